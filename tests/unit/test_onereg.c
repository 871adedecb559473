// SPDX-License-Identifier: GPL-2.0
/* ONE_REG: core, system, firmware, timer and demux registers; REG_LIST. */
#include <stdlib.h>

#include "vkvm_test.h"

#define ID_AA64PFR0	ARM64_SYS_REG(3, 0, 0, 4, 0)
#define ID_AA64ISAR0	ARM64_SYS_REG(3, 0, 0, 6, 0)
#define MIDR		ARM64_SYS_REG(3, 0, 0, 0, 0)
#define SCTLR		ARM64_SYS_REG(3, 0, 1, 0, 0)
#define ZCR		ARM64_SYS_REG(3, 0, 1, 2, 0)
#define CCSIDR(n)	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | \
			 KVM_REG_ARM_DEMUX_ID_CCSIDR | (n))

START_TEST(core_roundtrip)
{
	struct tvm t;
	uint64_t v;
	uint32_t w;
	__uint128_t q = ((__uint128_t)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL, q2 = 0;
	int i;

	tvm_create_init(&t, F(PSCI_0_2));
	for (i = 0; i < 31; i++) {
		v = 0x1000 + i;
		ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(regs.regs[i], KVM_REG_SIZE_U64), &v), 0);
	}
	for (i = 0; i < 31; i++)
		ck_assert_uint_eq(get_reg64(t.vcpu, CORE_REG(regs.regs[i], KVM_REG_SIZE_U64)),
				  0x1000 + i);
	v = 0xdead0000;
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(sp_el1, KVM_REG_SIZE_U64), &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, CORE_REG(sp_el1, KVM_REG_SIZE_U64)), 0xdead0000);
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(spsr[KVM_SPSR_FIQ], KVM_REG_SIZE_U64), &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, CORE_REG(spsr[KVM_SPSR_FIQ], KVM_REG_SIZE_U64)),
			  0xdead0000);
	/* V registers are 128 bits; FPSR and FPCR 32 */
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(fp_regs.vregs[7], KVM_REG_SIZE_U128), &q), 0);
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.vregs[7], KVM_REG_SIZE_U128), &q2), 0);
	ck_assert(q == q2);
	w = 0x03c00000;
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(fp_regs.fpcr, KVM_REG_SIZE_U32), &w), 0);
	w = 0;
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.fpcr, KVM_REG_SIZE_U32), &w), 0);
	ck_assert_uint_eq(w, 0x03c00000);
	tvm_destroy(&t);
}
END_TEST

START_TEST(core_bad_ids)
{
	struct tvm t;
	uint64_t v = 0;
	__uint128_t q = 0;

	tvm_create_init(&t, F(PSCI_0_2));
	/* wrong size for the register at that offset */
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(regs.regs[0], KVM_REG_SIZE_U32), &v), -EINVAL);
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.fpsr, KVM_REG_SIZE_U64), &v), -EINVAL);
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.vregs[0], KVM_REG_SIZE_U64), &v), -EINVAL);
	/* an offset in the middle of a register */
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(regs.regs[0], KVM_REG_SIZE_U64) + 1, &v), -EINVAL);
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.vregs[1], KVM_REG_SIZE_U128) + 2, &q),
			 -EINVAL);
	/* the reserved words after FPCR */
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(fp_regs.fpcr, KVM_REG_SIZE_U32) + 1, &v), -EINVAL);
	/* beyond struct kvm_regs */
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 |
				 (sizeof(struct kvm_regs) / 4), &v), -ENOENT);
	/* not an arm64 register at all */
	ck_assert_int_eq(get_reg(t.vcpu, 0x4000000000000000ULL | KVM_REG_SIZE_U64, &v), -EINVAL);
	ck_assert_int_eq(set_reg(t.vcpu, 0x4000000000000000ULL | KVM_REG_SIZE_U64, &v), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(pstate_modes)
{
	struct tvm t;
	uint64_t id = CORE_REG(regs.pstate, KVM_REG_SIZE_U64), v;

	tvm_create_init(&t, F(PSCI_0_2));
	v = 0x3c4;	/* EL1t */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), 0);
	v = 0x0;	/* EL0t */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, id), 0);
	v = 0x3c9;	/* EL2h: no nested virtualisation */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	v = 0x3c8;	/* EL2t */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	v = 0x3cd;	/* EL3h */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	v = 0x10;	/* AArch32 USR: no AArch32 */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	v = 0x13;	/* AArch32 SVC */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	v = 0x2;	/* reserved */
	ck_assert_int_eq(set_reg(t.vcpu, id, &v), -EINVAL);
	/* the failed writes changed nothing */
	ck_assert_uint_eq(get_reg64(t.vcpu, id), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(sysregs)
{
	struct tvm t;
	uint64_t v, midr;
	uint32_t w;

	tvm_create_init(&t, F(PSCI_0_2));
	/* ordinary registers: read back what was written */
	v = 0x30d00800;
	ck_assert_int_eq(set_reg(t.vcpu, SCTLR, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, SCTLR), 0x30d00800);
	/* ID registers describe the CPU: the same value only */
	midr = get_reg64(t.vcpu, MIDR);
	ck_assert_int_eq(set_reg(t.vcpu, MIDR, &midr), 0);
	v = midr + 1;
	ck_assert_int_eq(set_reg(t.vcpu, MIDR, &v), -EINVAL);
	v = get_reg64(t.vcpu, ID_AA64PFR0);
	ck_assert_uint_eq((v >> 32) & 0xf, 0);	/* no SVE on this vCPU */
	ck_assert_uint_eq(v & 0xff, 0x11);	/* EL0 and EL1 AArch64 only */
	v ^= 1ULL << 32;
	ck_assert_int_eq(set_reg(t.vcpu, ID_AA64PFR0, &v), -EINVAL);
	/* FP and AdvSIMD with half precision (FEAT_FP16) */
	v = get_reg64(t.vcpu, ID_AA64PFR0);
	ck_assert_uint_eq((v >> 16) & 0xff, 0x11);
	/* the crypto the engine implements (exec_crypto.c): AES with PMULL,
	 * SHA1, SHA2 with SHA512, SHA3, SM3, SM4; CRC32, LSE atomics;
	 * RDM (SQRDMLAH); DP (SDOT); FHM (FMLAL); TS 2 (FlagM2); RNDR */
	v = get_reg64(t.vcpu, ID_AA64ISAR0);
	ck_assert_uint_eq(v, 0x1021111110212120ULL);
	/* DPB 2 (DC CVADP), JSCVT, FCMA, LRCPC 2, FRINTTS, SB, BF16, I8MM */
	v = get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 6, 1));
	ck_assert_uint_eq(v, 0x0010101100211002ULL);
	/* UAO; IDS 1 (FEAT_IDST); AT 1 (FEAT_LSE2) where 16-byte host accesses
	 * are atomic (AVX) */
	v = get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 7, 2));
	ck_assert_uint_eq(v, 0x10 | 1ULL << 36 | (__builtin_cpu_supports("avx") ? 1ULL << 32 : 0));
	/* BT 1 (FEAT_BTI); SSBS 2: PSTATE.SSBS, MSR (immediate), the register */
	v = get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 4, 1));
	ck_assert_uint_eq(v, 0x21);
	/* unallocated ID space reads as zero, keeps zero */
	ck_assert_uint_eq(get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 7, 7)), 0);
	v = 1;
	ck_assert_int_eq(set_reg(t.vcpu, ARM64_SYS_REG(3, 0, 0, 7, 7), &v), -EINVAL);
	/* ZCR_EL1 exists only with SVE */
	ck_assert_int_eq(get_reg(t.vcpu, ZCR, &v), -ENOENT);
	/* an encoding with nothing behind it, a wrong size, junk bits */
	ck_assert_int_eq(get_reg(t.vcpu, ARM64_SYS_REG(3, 7, 15, 15, 7), &v), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, (SCTLR & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32, &w),
			 -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, SCTLR | (1ULL << 28), &v), -ENOENT);
	/* core state is not a system register for ONE_REG (SP_EL0, NZCV) */
	ck_assert_int_eq(get_reg(t.vcpu, ARM64_SYS_REG(3, 0, 4, 1, 0), &v), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, ARM64_SYS_REG(3, 3, 4, 2, 0), &v), -ENOENT);
	tvm_destroy(&t);
}
END_TEST

START_TEST(ccsidr_demux)
{
	struct tvm t;
	uint32_t w;
	uint64_t v;

	tvm_create_init(&t, F(PSCI_0_2));
	/* L1 has separate I and D, L2 is unified */
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(0), &w), 0);
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(1), &w), 0);
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(2), &w), 0);
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(3), &w), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(4), &w), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(14), &w), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, (CCSIDR(0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U64, &v),
			 -ENOENT);
	/* the geometry is fixed */
	ck_assert_int_eq(get_reg(t.vcpu, CCSIDR(2), &w), 0);
	ck_assert_int_eq(set_reg(t.vcpu, CCSIDR(2), &w), 0);
	w ^= 8;
	ck_assert_int_eq(set_reg(t.vcpu, CCSIDR(2), &w), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(firmware_regs)
{
	struct tvm t, t01;
	uint64_t v;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_PSCI_VERSION), 0x10003);
	v = 0x10000;	/* 1.0 */
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_PSCI_VERSION), 0x10000);
	v = 0x1;	/* 0.1 needs a vCPU without PSCI_0_2 */
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), -EINVAL);
	v = 0x10004;	/* after the newest, 1.3 */
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), -EINVAL);

	/* the CPU does not speculate: every workaround is NOT_REQUIRED */
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1),
			  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2),
			  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3),
			  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED);
	/* a migration source may promise less, never more */
	v = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, &v), 0);
	v = 3;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, &v), -EINVAL);
	v = 0x10;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3, &v), -EINVAL);
	v = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, &v), 0);
	v = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL | KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, &v), 0);
	v = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL |
	    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, &v), -EINVAL);
	v = 4;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, &v), -EINVAL);

	/* feature bitmaps: only what is offered, narrowing allowed */
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP), 3);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_STD_BMAP), 1);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_STD_HYP_BMAP), 1);
	v = 7;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP, &v), -EINVAL);
	v = 0;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP), 0);
	v = 2;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_STD_BMAP, &v), -EINVAL);

	/* unknown firmware registers and wrong sizes */
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM_FW_REG(0x99), &v), -ENOENT);
	ck_assert_int_eq(get_reg(t.vcpu, KVM_REG_ARM_FW_FEAT_BMAP_REG(9), &v), -ENOENT);
	ck_assert_int_eq(set_reg(t.vcpu, (KVM_REG_ARM_PSCI_VERSION & ~KVM_REG_SIZE_MASK) |
				 KVM_REG_SIZE_U32, &v), -ENOENT);
	tvm_destroy(&t);

	/* without PSCI_0_2 the vCPU has PSCI 0.1 */
	tvm_create_init(&t01, 0);
	ck_assert_uint_eq(get_reg64(t01.vcpu, KVM_REG_ARM_PSCI_VERSION), 1);
	v = 0x10001;
	ck_assert_int_eq(set_reg(t01.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), -EINVAL);
	v = 1;
	ck_assert_int_eq(set_reg(t01.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), 0);
	tvm_destroy(&t01);
}
END_TEST

START_TEST(timer_regs)
{
	struct tvm t;
	uint64_t v, cnt;

	tvm_create_init(&t, F(PSCI_0_2));
	v = 1000000;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_TIMER_CNT, &v), 0);
	cnt = get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CNT);
	/* the virtual counter runs on from the value written */
	ck_assert_uint_ge(cnt, 1000000);
	ck_assert_uint_lt(cnt, 1000000 + 62500000ULL * 10);
	v = 0x123456789;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_TIMER_CVAL, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CVAL), 0x123456789);
	v = 1;	/* ENABLE; ISTATUS is computed, not stored */
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_TIMER_CTL, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CTL) & 3, 1);
	tvm_destroy(&t);
}
END_TEST

/*
 * The counters' offsets are the VM's (KVM >= 6.4, timer_data): a count
 * written through one vCPU is every vCPU's, survives KVM_ARM_VCPU_INIT,
 * and a new vCPU restarts the virtual count at 0 for all (KVM's
 * kvm_timer_vcpu_init()).  Per-vCPU offsets let a restored SMP guest see
 * its vCPUs' counters apart.
 */
START_TEST(timer_counts_are_the_vms)
{
	const uint64_t ten_s = 625000000ULL, v0 = 1ULL << 50, p0 = 5ULL << 40;
	struct tvm t;
	uint64_t v;
	int vcpu1, vcpu2;

	tvm_create_init(&t, F(PSCI_0_2));
	/* the virtual count starts near 0 */
	ck_assert_uint_lt(get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CNT), ten_s);
	vcpu1 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 1);
	ck_assert_int_ge(vcpu1, 0);
	ck_assert_int_eq(tvm_init(vcpu1, F(PSCI_0_2)), 0);

	v = v0;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_TIMER_CNT, &v), 0);
	ck_assert_uint_lt(get_reg64(vcpu1, KVM_REG_ARM_TIMER_CNT) - v0, ten_s);
	v = p0;
	ck_assert_int_eq(set_reg(vcpu1, KVM_REG_ARM_PTIMER_CNT, &v), 0);
	ck_assert_uint_lt(get_reg64(t.vcpu, KVM_REG_ARM_PTIMER_CNT) - p0, ten_s);
	/* a vCPU reset keeps them */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_uint_lt(get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CNT) - v0, ten_s);
	ck_assert_uint_lt(get_reg64(t.vcpu, KVM_REG_ARM_PTIMER_CNT) - p0, ten_s);

	/* a new vCPU: the virtual count restarts at 0, for every vCPU */
	vcpu2 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 2);
	ck_assert_int_ge(vcpu2, 0);
	ck_assert_uint_lt(get_reg64(t.vcpu, KVM_REG_ARM_TIMER_CNT), ten_s);
	ck_assert_uint_lt(get_reg64(vcpu1, KVM_REG_ARM_TIMER_CNT), ten_s);
	vkvm_close(vcpu2);
	vkvm_close(vcpu1);
	tvm_destroy(&t);
}
END_TEST

static void check_reg_list(uint32_t features, int finalize)
{
	struct tvm t;
	struct kvm_reg_list probe = { .n = 0 }, *list;
	uint8_t buf[256], buf2[256];
	uint64_t i;
	int feature = KVM_ARM_VCPU_SVE, nv = 0, nz = 0;

	tvm_create_init(&t, features);
	if (finalize)
		ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_FINALIZE, &feature), 0);
	/* too small: E2BIG, and n says how many there are */
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_REG_LIST, &probe), -E2BIG);
	ck_assert_uint_gt(probe.n, 100);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	list->n = probe.n;
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_REG_LIST, list), 0);
	ck_assert_uint_eq(list->n, probe.n);
	/* every listed register reads with its size and takes its own value back */
	for (i = 0; i < list->n; i++) {
		uint64_t id = list->reg[i];

		ck_assert_uint_le(KVM_REG_SIZE(id), sizeof(buf));
		memset(buf, 0, sizeof(buf));
		ck_assert_msg(get_reg(t.vcpu, id, buf) == 0, "get %llx", (unsigned long long)id);
		if (id == KVM_REG_ARM64_SVE_VLS) {
			/* fixed by KVM_ARM_VCPU_FINALIZE */
			ck_assert_int_eq(set_reg(t.vcpu, id, buf), -EPERM);
			nz++;
			continue;
		}
		ck_assert_msg(set_reg(t.vcpu, id, buf) == 0, "set %llx", (unsigned long long)id);
		if (id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT)
			continue;	/* they count */
		ck_assert_int_eq(get_reg(t.vcpu, id, buf2), 0);
		ck_assert_msg(!memcmp(buf, buf2, KVM_REG_SIZE(id)), "reg %llx changed",
			      (unsigned long long)id);
		if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE &&
		    (id & KVM_REG_SIZE_MASK) == KVM_REG_SIZE_U128)
			nv++;
		if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SVE)
			nz++;
	}
	if (features & F(SVE)) {
		ck_assert_int_eq(nv, 0);	/* V regs only through Z on SVE vCPUs */
		ck_assert_int_eq(nz, 1 + 32 + 16 + 1);
	} else {
		ck_assert_int_eq(nv, 32);
		ck_assert_int_eq(nz, 0);
	}
	free(list);
	tvm_destroy(&t);
}

START_TEST(reg_list_plain)
{
	check_reg_list(F(PSCI_0_2), 0);
}
END_TEST

START_TEST(reg_list_sve)
{
	check_reg_list(F(PSCI_0_2) | F(SVE), 1);
}
END_TEST

/* Is @id in @t's vCPU's KVM_GET_REG_LIST? */
static int listed(const struct tvm *t, uint64_t id)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	uint64_t i;
	int found = 0;

	ck_assert_int_eq(kio(t->vcpu, KVM_GET_REG_LIST, &probe), -E2BIG);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	list->n = probe.n;
	ck_assert_int_eq(kio(t->vcpu, KVM_GET_REG_LIST, list), 0);
	for (i = 0; i < list->n; i++)
		found |= list->reg[i] == id;
	free(list);
	return found;
}

/*
 * Pointer authentication (KVM_ARM_VCPU_PTRAUTH_*): the ten key registers
 * exist, in ONE_REG and REG_LIST, only on a vCPU that has it (KVM's
 * ptrauth_visibility()), and ID_AA64ISAR1_EL1 says APA = GPA = 1 (QARMA5)
 * there and 0 elsewhere.
 */
START_TEST(ptrauth_regs)
{
	const uint64_t apiakeylo = ARM64_SYS_REG(3, 0, 2, 1, 0);
	const uint64_t apgakeyhi = ARM64_SYS_REG(3, 0, 2, 3, 1);
	const uint64_t isar1 = ARM64_SYS_REG(3, 0, 0, 6, 1);
	uint64_t v = 0x0123456789abcdefULL;
	struct tvm t;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_int_eq(get_reg(t.vcpu, apiakeylo, &v), -ENOENT);
	ck_assert_int_eq(set_reg(t.vcpu, apgakeyhi, &v), -ENOENT);
	ck_assert(!listed(&t, apiakeylo));
	ck_assert_uint_eq(get_reg64(t.vcpu, isar1) & 0x0f0000f0ULL, 0);
	tvm_destroy(&t);

	tvm_create_init(&t, F(PSCI_0_2) | F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC));
	ck_assert(listed(&t, apiakeylo));
	ck_assert(listed(&t, apgakeyhi));
	ck_assert_int_eq(set_reg(t.vcpu, apgakeyhi, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, apgakeyhi), 0x0123456789abcdefULL);
	ck_assert_uint_eq(get_reg64(t.vcpu, isar1) & 0x0f0000f0ULL, 0x01000010ULL);
	tvm_destroy(&t);
}
END_TEST

/*
 * The registers Linux 6.1 to 7.2 list that vkvm lacked: the AArch32 state
 * KVM keeps in EL2 registers (with their reset values, any value written
 * back), the second vendor-hypervisor bitmap (7.2); OSDLR_EL1, which 7.2
 * no longer lists; AArch32 ID registers take any value and stay 0, but
 * for the two KVM hides (ID_HIDDEN) and the unallocated ones.
 */
START_TEST(reg_list_as_linux_7_2)
{
	static const uint64_t aa32el2[] = {
		ARM64_SYS_REG(2, 4, 0, 7, 0),	/* DBGVCR32_EL2 */
		ARM64_SYS_REG(3, 4, 3, 0, 0),	/* DACR32_EL2 */
		ARM64_SYS_REG(3, 4, 5, 0, 1),	/* IFSR32_EL2 */
		ARM64_SYS_REG(3, 4, 5, 3, 0),	/* FPEXC32_EL2 */
	};
	static const uint64_t raz_invariant[] = {
		ARM64_SYS_REG(3, 0, 0, 1, 3),	/* ID_AFR0_EL1 */
		ARM64_SYS_REG(3, 0, 0, 3, 3),
		ARM64_SYS_REG(3, 0, 0, 3, 5),	/* ID_DFR1_EL1 */
		ARM64_SYS_REG(3, 0, 0, 3, 7),
	};
	const uint64_t id_pfr0 = ARM64_SYS_REG(3, 0, 0, 1, 0), mvfr0 = ARM64_SYS_REG(3, 0, 0, 3, 0);
	struct tvm t;
	uint64_t v;
	size_t i;

	tvm_create_init(&t, F(PSCI_0_2));
	for (i = 0; i < sizeof(aa32el2) / sizeof(aa32el2[0]); i++) {
		ck_assert(listed(&t, aa32el2[i]));
		v = 0x1de7ec7edbadc0deULL + i;
		ck_assert_int_eq(set_reg(t.vcpu, aa32el2[i], &v), 0);
		ck_assert_uint_eq(get_reg64(t.vcpu, aa32el2[i]), v);
	}
	tvm_destroy(&t);
	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_uint_eq(get_reg64(t.vcpu, aa32el2[0]), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, aa32el2[3]), 0x700);

	ck_assert(listed(&t, KVM_REG_ARM_VENDOR_HYP_BMAP_2));
	ck_assert_uint_eq(get_reg64(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP_2), 0);
	v = 0;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP_2, &v), 0);
	v = 3;			/* DISCOVER_IMPL_VER and _CPUS, off at reset */
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP_2, &v), 0);
	v = 4;
	ck_assert_int_eq(set_reg(t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP_2, &v), -EINVAL);

	ck_assert(!listed(&t, ARM64_SYS_REG(2, 0, 1, 3, 4)));	/* OSDLR_EL1 */
	ck_assert_int_eq(get_reg(t.vcpu, ARM64_SYS_REG(2, 0, 1, 3, 4), &v), -ENOENT);

	v = 0x10010131;
	ck_assert_int_eq(set_reg(t.vcpu, id_pfr0, &v), 0);
	ck_assert_int_eq(set_reg(t.vcpu, mvfr0, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, id_pfr0), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, mvfr0), 0);
	/* but ID_AFR0_EL1, ID_DFR1_EL1 and the unallocated 3,3 and 3,7: EINVAL */
	for (i = 0; i < sizeof(raz_invariant) / sizeof(raz_invariant[0]); i++) {
		ck_assert_int_eq(set_reg(t.vcpu, raz_invariant[i], &v), -EINVAL);
		ck_assert_uint_eq(get_reg64(t.vcpu, raz_invariant[i]), 0);
		v = 0;
		ck_assert_int_eq(set_reg(t.vcpu, raz_invariant[i], &v), 0);
		v = 0x10010131;
	}
	tvm_destroy(&t);
}
END_TEST

Suite *onereg_suite(void)
{
	return CHECK_SUITE("onereg", 0, core_roundtrip, core_bad_ids,
			   pstate_modes, sysregs, ccsidr_demux, firmware_regs,
			   timer_regs, timer_counts_are_the_vms, reg_list_plain,
			   reg_list_sve, ptrauth_regs, reg_list_as_linux_7_2);
}
