// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 for nested virtualization (issue 17): KVM_CAP_ARM_EL2,
 * KVM_ARM_VCPU_HAS_EL2 (and _E2H0), the vCPU's reset in EL2h, the EL2
 * registers through ONE_REG and KVM_GET_REG_LIST.  Experimental: offered
 * only under VKVM_EXPERIMENTAL_EL2=1, which each test sets and clears.
 */
#include <stdlib.h>

#include "vkvm_test.h"
#include "arm64.h"

#define PSTATE_ID	CORE_REG(regs.pstate, KVM_REG_SIZE_U64)
#define EXPERIMENTAL	"VKVM_EXPERIMENTAL_EL2"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Upstream's get-reg-list el2_regs (Linux 7.x) less the registers of
 * features this CPU does not have (its feat_id_regs filter: FGT, HCX,
 * TCRX, S1PIE, S1POE, SCTLRX, NV2, VH), less ZCR_EL2 (SVE only).
 */
static const uint32_t el2_regs[] = {
	SYS_VPIDR_EL2, SYS_VMPIDR_EL2, SYS_SCTLR_EL2, SYS_ACTLR_EL2,
	SYS_HCR_EL2, SYS_MDCR_EL2, SYS_CPTR_EL2, SYS_HSTR_EL2, SYS_HACR_EL2,
	SYS_TTBR0_EL2, SYS_TTBR1_EL2, SYS_TCR_EL2, SYS_VTTBR_EL2, SYS_VTCR_EL2,
	SYS_SPSR_EL2, SYS_ELR_EL2, SYS_AFSR0_EL2, SYS_AFSR1_EL2, SYS_ESR_EL2,
	SYS_FAR_EL2, SYS_HPFAR_EL2, SYS_MAIR_EL2, SYS_AMAIR_EL2, SYS_VBAR_EL2,
	SYS_CONTEXTIDR_EL2, SYS_TPIDR_EL2, SYS_CNTVOFF_EL2, SYS_CNTHCTL_EL2,
	SYS_CNTHP_CTL_EL2, SYS_CNTHP_CVAL_EL2, SYS_SP_EL2, SYS_VDISR_EL2,
	SYS_VSESR_EL2,
};

static void experimental(int on)
{
	if (on)
		ck_assert_int_eq(setenv(EXPERIMENTAL, "1", 1), 0);
	else
		ck_assert_int_eq(unsetenv(EXPERIMENTAL), 0);
}

START_TEST(el2_off_by_default)
{
	struct tvm t;

	experimental(0);
	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2), 0);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2_E2H0), 0);
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2)), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2) | F(HAS_EL2_E2H0)), -EINVAL);
	/* any other value than "1" leaves it off */
	ck_assert_int_eq(setenv(EXPERIMENTAL, "yes", 1), 0);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2), 0);
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2)), -EINVAL);
	experimental(0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(el2_features)
{
	struct tvm t;

	experimental(1);
	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2), 1);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2_E2H0), 1);
	/* E2H0 qualifies EL2: alone it is EINVAL, as in KVM */
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2_E2H0)), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2) | F(HAS_EL2_E2H0) | F(PSCI_0_2)), 0);
	/* the VM's features are fixed by the first INIT */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), -EINVAL);
	tvm_destroy(&t);
	experimental(0);
}
END_TEST

START_TEST(el2_reset_state)
{
	struct tvm t, t1;
	uint64_t v, midr, mpidr;

	experimental(1);
	tvm_create_init(&t, F(HAS_EL2) | F(PSCI_0_2));
	/* EL2h with D, A, I, F masked (KVM's VCPU_RESET_PSTATE_EL2) */
	ck_assert_uint_eq(get_reg64(t.vcpu, PSTATE_ID), 0x3c9);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_SCTLR_EL2)), SCTLR_EL2_RES1);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_HCR_EL2)), 0);
	/* no SVE: CPTR_EL2.TZ is RES1 */
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_CPTR_EL2)),
			  CPTR_EL2_RES1 | CPTR_EL2_TZ);
	midr = get_reg64(t.vcpu, ONE_REG_SYS(SYS_MIDR_EL1));
	mpidr = get_reg64(t.vcpu, ONE_REG_SYS(SYS_MPIDR_EL1));
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_VPIDR_EL2)), midr);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_VMPIDR_EL2)), mpidr);
	/* ID_AA64PFR0_EL1.EL2 = 1: AArch64 only */
	v = get_reg64(t.vcpu, ONE_REG_SYS(SYS_ID_AA64PFR0_EL1));
	ck_assert_uint_eq((v >> 8) & 0xf, 1);
	/* EL2t and EL2h are valid modes here, not on a vCPU without EL2 */
	v = PSR_MODE_EL2t;
	ck_assert_int_eq(set_reg(t.vcpu, PSTATE_ID, &v), 0);
	tvm_create_init(&t1, F(PSCI_0_2));
	ck_assert_int_eq(set_reg(t1.vcpu, PSTATE_ID, &v), -EINVAL);
	v = PSR_MODE_EL2h;
	ck_assert_int_eq(set_reg(t1.vcpu, PSTATE_ID, &v), -EINVAL);
	ck_assert_int_eq(get_reg(t1.vcpu, ONE_REG_SYS(SYS_HCR_EL2), &v), -ENOENT);
	ck_assert_int_eq(get_reg(t1.vcpu, ONE_REG_SYS(SYS_SP_EL2), &v), -ENOENT);
	v = get_reg64(t1.vcpu, ONE_REG_SYS(SYS_ID_AA64PFR0_EL1));
	ck_assert_uint_eq((v >> 8) & 0xf, 0);
	tvm_destroy(&t1);
	tvm_destroy(&t);
	experimental(0);
}
END_TEST

START_TEST(el2_one_reg)
{
	struct tvm t;
	size_t i;

	experimental(1);
	tvm_create_init(&t, F(HAS_EL2));
	/* each EL2 register keeps its own value (SP_EL2 included) */
	for (i = 0; i < ARRAY_SIZE(el2_regs); i++) {
		uint64_t v = 0x1000 * (i + 1) + 0x10;

		ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(el2_regs[i]), &v), 0);
	}
	for (i = 0; i < ARRAY_SIZE(el2_regs); i++)
		ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(el2_regs[i])),
				  0x1000 * (i + 1) + 0x10);
	/* SP_EL1 at EL2 is core state (sp_el1), not a ONE_REG system register */
	ck_assert_int_eq(get_reg(t.vcpu, ONE_REG_SYS(SYS_SP_EL1), &i), -ENOENT);
	/* ZCR_EL2 only with SVE */
	ck_assert_int_eq(get_reg(t.vcpu, ONE_REG_SYS(SYS_ZCR_EL2), &i), -ENOENT);
	tvm_destroy(&t);
	experimental(0);
}
END_TEST

/* KVM_GET_REG_LIST of a new vCPU with features f (SVE: finalized); free it. */
static struct kvm_reg_list *reg_list(struct tvm *t, uint32_t f)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	int feature = KVM_ARM_VCPU_SVE;

	tvm_create_init(t, f);
	if (f & F(SVE))
		ck_assert_int_eq(kio(t->vcpu, KVM_ARM_VCPU_FINALIZE, &feature), 0);
	ck_assert_int_eq(kio(t->vcpu, KVM_GET_REG_LIST, &probe), -E2BIG);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	ck_assert_ptr_nonnull(list);
	list->n = probe.n;
	ck_assert_int_eq(kio(t->vcpu, KVM_GET_REG_LIST, list), 0);
	return list;
}

static int listed(const struct kvm_reg_list *l, uint64_t id)
{
	uint64_t i;

	for (i = 0; i < l->n; i++)
		if (l->reg[i] == id)
			return 1;
	return 0;
}

START_TEST(el2_reg_list)
{
	struct tvm t0, t1, t2;
	struct kvm_reg_list *l0, *l1, *l2;
	uint64_t i;

	experimental(1);
	l0 = reg_list(&t0, F(PSCI_0_2));
	l1 = reg_list(&t1, F(PSCI_0_2) | F(HAS_EL2));
	/* the EL2 list, nothing more: the rest is the base list */
	ck_assert_uint_eq(l1->n, l0->n + ARRAY_SIZE(el2_regs));
	for (i = 0; i < ARRAY_SIZE(el2_regs); i++) {
		ck_assert_msg(listed(l1, ONE_REG_SYS(el2_regs[i])), "EL2 reg %zu", (size_t)i);
		ck_assert(!listed(l0, ONE_REG_SYS(el2_regs[i])));
	}
	for (i = 0; i < l0->n; i++)
		ck_assert(listed(l1, l0->reg[i]));
	ck_assert(!listed(l1, ONE_REG_SYS(SYS_ZCR_EL2)));
	free(l1);
	tvm_destroy(&t1);
	/* with SVE, ZCR_EL2 too */
	l2 = reg_list(&t2, F(PSCI_0_2) | F(HAS_EL2) | F(SVE));
	ck_assert(listed(l2, ONE_REG_SYS(SYS_ZCR_EL2)));
	ck_assert_uint_eq(get_reg64(t2.vcpu, ONE_REG_SYS(SYS_CPTR_EL2)), CPTR_EL2_RES1);
	free(l2);
	tvm_destroy(&t2);
	free(l0);
	tvm_destroy(&t0);
	experimental(0);
}
END_TEST

START_TEST(el2_run_refused)
{
	struct tvm t;

	experimental(1);
	tvm_create_init(&t, F(HAS_EL2));
	/* the engine has no EL2 yet: KVM_RUN says so rather than run it as EL1 */
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EOPNOTSUPP);
	tvm_destroy(&t);
	experimental(0);
}
END_TEST

Suite *el2_suite(void)
{
	Suite *s = suite_create("el2");
	TCase *tc = tcase_create("el2");

	tcase_add_test(tc, el2_off_by_default);
	tcase_add_test(tc, el2_features);
	tcase_add_test(tc, el2_reset_state);
	tcase_add_test(tc, el2_one_reg);
	tcase_add_test(tc, el2_reg_list);
	tcase_add_test(tc, el2_run_refused);
	suite_add_tcase(s, tc);
	return s;
}
