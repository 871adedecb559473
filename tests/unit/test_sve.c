// SPDX-License-Identifier: GPL-2.0
/*
 * SVE through ONE_REG: KVM_REG_ARM64_SVE_VLS, KVM_ARM_VCPU_FINALIZE and the
 * Z/P/FFR slices, with the ENOENT/EINVAL/EPERM rules of
 * Documentation/virt/kvm/api.rst.
 */
#include "vkvm_test.h"

#define VQ(n)	(1ULL << ((n) - 1))

static long get_vls(int vcpu, uint64_t vls[8])
{
	memset(vls, 0, 8 * sizeof(vls[0]));
	return get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vls);
}

static long set_vls(int vcpu, uint64_t word0)
{
	uint64_t vls[8] = { word0 };

	return set_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vls);
}

static long finalize(int vcpu, int what)
{
	return kio(vcpu, KVM_ARM_VCPU_FINALIZE, &what);
}

START_TEST(vls_default_and_rules)
{
	struct tvm t;
	uint64_t vls[8];
	int i;

	tvm_create_init(&t, F(PSCI_0_2) | F(SVE));
	/* readable after INIT: every supported length, 128 to 2048 bits */
	ck_assert_int_eq(get_vls(t.vcpu, vls), 0);
	ck_assert_uint_eq(vls[0], VQ(1) | VQ(2) | VQ(4) | VQ(8) | VQ(16));
	for (i = 1; i < 8; i++)
		ck_assert_uint_eq(vls[i], 0);
	/* a set with a length the host lacks (384 bits) */
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(3)), -EINVAL);
	/* a hole below the maximum */
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(4)), -EINVAL);
	/* beyond the host's maximum (4096 bits) */
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(4) | VQ(8) | VQ(16) | VQ(32)),
			 -EINVAL);
	/* nothing at all */
	ck_assert_int_eq(set_vls(t.vcpu, 0), -EINVAL);
	/* the supported set cut at 512 bits */
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(4)), 0);
	ck_assert_int_eq(get_vls(t.vcpu, vls), 0);
	ck_assert_uint_eq(vls[0], VQ(1) | VQ(2) | VQ(4));
	/* writable again until finalized */
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1)), 0);
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(4)), 0);
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_SVE), 0);
	/* after finalize: readable, not writable */
	ck_assert_int_eq(get_vls(t.vcpu, vls), 0);
	ck_assert_uint_eq(vls[0], VQ(1) | VQ(2) | VQ(4));
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(4)), -EPERM);
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1)), -EPERM);
	tvm_destroy(&t);
}
END_TEST

START_TEST(finalize_rules)
{
	struct tvm t, plain;

	tvm_create_init(&t, F(PSCI_0_2) | F(SVE));
	ck_assert_int_eq(finalize(t.vcpu, 99), -EINVAL);
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_PMU_V3), -EINVAL);
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_SVE), 0);
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_SVE), -EPERM);
	tvm_destroy(&t);

	/* a vCPU without SVE has nothing to finalize */
	tvm_create_init(&plain, F(PSCI_0_2));
	ck_assert_int_eq(finalize(plain.vcpu, KVM_ARM_VCPU_SVE), -EINVAL);
	tvm_destroy(&plain);
}
END_TEST

START_TEST(before_finalize_eperm)
{
	struct tvm t;
	uint8_t z[256];
	struct kvm_reg_list list = { .n = 0 };

	tvm_create_init(&t, F(PSCI_0_2) | F(SVE));
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_ZREG(0, 0), z), -EPERM);
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM64_SVE_ZREG(0, 0), z), -EPERM);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_PREG(15, 0), z), -EPERM);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_FFR(0), z), -EPERM);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_REG_LIST, &list), -EPERM);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EPERM);
	/* an out-of-range slice is ENOENT even before finalize */
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_ZREG(0, 1), z), -ENOENT);
	tvm_destroy(&t);
}
END_TEST

START_TEST(slices_and_sizes)
{
	struct tvm t, plain;
	uint8_t z[256];
	uint64_t bad;

	tvm_create_init(&t, F(PSCI_0_2) | F(SVE));
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_SVE), 0);
	/* 2048 x slice >= 128 x max_vq: every slice but 0 is out of range */
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_ZREG(0, 1), z), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_ZREG(31, 31), z), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_PREG(3, 2), z), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_FFR(1), z), -ENOENT);
	/* a Z register id with the size of a P register and vice versa */
	bad = (KVM_REG_ARM64_SVE_ZREG(0, 0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U256;
	ck_assert_int_eq(get_reg(t.vcpu, bad, z), -EINVAL);
	bad = (KVM_REG_ARM64_SVE_PREG(0, 0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U2048;
	ck_assert_int_eq(get_reg(t.vcpu, bad, z), -EINVAL);
	bad = (KVM_REG_ARM64_SVE_VLS & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U64;
	ck_assert_int_eq(get_reg(t.vcpu, bad, z), -EINVAL);
	/* V registers belong to Z on an SVE vCPU */
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.vregs[0], KVM_REG_SIZE_U128), z),
			 -EINVAL);
	tvm_destroy(&t);

	/* without SVE the SVE registers do not exist */
	tvm_create_init(&plain, F(PSCI_0_2));
	ck_assert_int_eq(get_reg(plain.vcpu, KVM_REG_ARM64_SVE_VLS, z), -ENOENT);
	ck_assert_int_eq(set_reg(plain.vcpu, KVM_REG_ARM64_SVE_VLS, z), -ENOENT);
	ck_assert_int_eq(get_reg(plain.vcpu, KVM_REG_ARM64_SVE_ZREG(0, 0), z), -ENOENT);
	ck_assert_int_eq(get_reg(plain.vcpu, KVM_REG_ARM64_SVE_FFR(0), z), -ENOENT);
	tvm_destroy(&plain);
}
END_TEST

/* Register id of a slice bytes long holds len bytes: in[0, len) reads
 * back, and the rest of the slice reads zero */
static void check_slice(int vcpu, uint64_t id, const uint8_t *in, int len, int slice)
{
	uint8_t out[256];
	int i;

	ck_assert_int_eq(set_reg(vcpu, id, in), 0);
	memset(out, 0xaa, sizeof(out));
	ck_assert_int_eq(get_reg(vcpu, id, out), 0);
	ck_assert(!memcmp(out, in, (size_t)len));
	for (i = len; i < slice; i++)
		ck_assert_uint_eq(out[i], 0);
}

START_TEST(z_and_p_at_512)
{
	struct tvm t;
	uint8_t in[256], out[256];
	uint64_t pfr0;
	int i;

	tvm_create_init(&t, F(PSCI_0_2) | F(SVE));
	ck_assert_int_eq(set_vls(t.vcpu, VQ(1) | VQ(2) | VQ(4)), 0);
	ck_assert_int_eq(finalize(t.vcpu, KVM_ARM_VCPU_SVE), 0);
	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)(i + 1);
	/* 64 bytes of state; the rest of the slice is ignored and reads zero */
	check_slice(t.vcpu, KVM_REG_ARM64_SVE_ZREG(5, 0), in, 64, 256);
	/* P and FFR: 8 bytes at 512 bits, of a 32-byte slice */
	check_slice(t.vcpu, KVM_REG_ARM64_SVE_PREG(2, 0), in, 8, 32);
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM64_SVE_FFR(0), in + 8), 0);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64_SVE_FFR(0), out), 0);
	ck_assert(!memcmp(out, in + 8, 8));
	/* ZCR_EL1 exists, and the CPU says it has SVE */
	ck_assert_int_eq(get_reg(t.vcpu, ARM64_SYS_REG(3, 0, 1, 2, 0), out), 0);
	pfr0 = get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 4, 0));
	ck_assert_uint_eq((pfr0 >> 32) & 0xf, 1);
	tvm_destroy(&t);
}
END_TEST

Suite *sve_suite(void)
{
	return CHECK_SUITE("sve", 0, vls_default_and_rules, finalize_rules,
			   before_finalize_eperm, slices_and_sizes,
			   z_and_p_at_512);
}
