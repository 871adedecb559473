// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 for nested virtualization (issue 17): KVM_CAP_ARM_EL2,
 * KVM_ARM_VCPU_HAS_EL2 (and _E2H0), the vCPU's reset in EL2h, the EL2
 * registers through ONE_REG and KVM_GET_REG_LIST.  Offered to every VM, as
 * Linux >= 6.16 offers it; a vCPU without HAS_EL2 sees none of it.
 */
#include <stdlib.h>
#include <string.h>

#include "el2_vm.h"

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


START_TEST(el2_features)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2), 1);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2_E2H0), 1);
	/* E2H0 qualifies EL2: alone it is EINVAL, as in KVM */
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2_E2H0)), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2) | F(HAS_EL2_E2H0) | F(PSCI_0_2)), 0);
	/* the VM's features are fixed by the first INIT */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(el2_reset_state)
{
	struct tvm t, t1;
	uint64_t v, midr, mpidr;

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
}
END_TEST

START_TEST(el2_one_reg)
{
	struct tvm t;
	size_t i;

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

/*
 * Without HAS_EL2 nothing of EL2 shows: EL2 and EL3 absent, no VHE, no
 * NV, no EL2 register listed, whatever the environment says (the old
 * VKVM_EXPERIMENTAL_* switches are gone).
 */
START_TEST(el2_plain_vcpu)
{
	struct kvm_reg_list *l;
	struct tvm t;

	ck_assert_int_eq(setenv("VKVM_EXPERIMENTAL_EL2", "0", 1), 0);
	ck_assert_int_eq(setenv("VKVM_EXPERIMENTAL_NV", "0", 1), 0);
	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2), 1);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2_E2H0), 1);
	tvm_destroy(&t);
	l = reg_list(&t, F(PSCI_0_2));
	ck_assert_uint_eq(get_reg64(t.vcpu, SYSREG(ID_AA64PFR0_EL1)) & 0xff00ULL, 0);
	ck_assert_uint_eq((get_reg64(t.vcpu, SYSREG(ID_AA64PFR0_EL1)) >> 28) & 0xf, 1);
	ck_assert_uint_eq((get_reg64(t.vcpu, SYSREG(ID_AA64MMFR1_EL1)) >> 8) & 0xf, 0);
	ck_assert_uint_eq((get_reg64(t.vcpu, SYSREG(ID_AA64MMFR2_EL1)) >> 24) & 0xf, 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, SYSREG(ID_AA64MMFR4_EL1)), 0);
	ck_assert(!listed(l, SYSREG(HCR_EL2)));
	ck_assert(!listed(l, SYSREG(VNCR_EL2)));
	free(l);
	tvm_destroy(&t);
	ck_assert_int_eq(unsetenv("VKVM_EXPERIMENTAL_EL2"), 0);
	ck_assert_int_eq(unsetenv("VKVM_EXPERIMENTAL_NV"), 0);
}
END_TEST

START_TEST(el2_reg_list)
{
	struct tvm t0, t1, t2;
	struct kvm_reg_list *l0, *l1, *l2;
	uint64_t i;

	l0 = reg_list(&t0, F(PSCI_0_2));
	/* FEAT_VHE's CNTHV_CTL/CVAL_EL2 with it (HAS_EL2 alone), not with E2H0;
	 * FEAT_NV2's VNCR_EL2 too */
	l1 = reg_list(&t1, F(PSCI_0_2) | F(HAS_EL2));
	ck_assert_uint_eq(l1->n, l0->n + ARRAY_SIZE(el2_regs) + 3);
	ck_assert(listed(l1, ONE_REG_SYS(SYS_VNCR_EL2)));
	ck_assert(listed(l1, ONE_REG_SYS(SYS_CNTHV_CTL_EL2)));
	ck_assert(listed(l1, ONE_REG_SYS(SYS_CNTHV_CVAL_EL2)));
	ck_assert_uint_eq((get_reg64(t1.vcpu, ONE_REG_SYS(SYS_ID_AA64MMFR1_EL1)) >> 8) & 0xf, 1);
	free(l1);
	tvm_destroy(&t1);
	l1 = reg_list(&t1, F(PSCI_0_2) | F(HAS_EL2) | F(HAS_EL2_E2H0));
	ck_assert_uint_eq((get_reg64(t1.vcpu, ONE_REG_SYS(SYS_ID_AA64MMFR1_EL1)) >> 8) & 0xf, 0);
	ck_assert(!listed(l1, ONE_REG_SYS(SYS_CNTHV_CTL_EL2)));
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
}
END_TEST

/* ---- the engine at EL2 (E2H 0) ---------------------------------------------------- */

/* the vCPU of el2_vm.h; page tables at RAM + 0x4000 */
#define PT		(RAM_GPA + 0x4000)
#define PT2		(RAM_GPA + 0x5000)
#define PSR_PAN		(1ULL << 22)
#define ELR1_ID		CORE_REG(elr_el1, KVM_REG_SIZE_U64)
#define SPSR1_ID	CORE_REG(spsr[KVM_SPSR_EL1], KVM_REG_SIZE_U64)

START_TEST(el2_hvc_eret)
{
	static const uint32_t hvc_el2[] = { HVC(0x1234) };
	static const uint32_t eret[] = { 0xd69f03e0 /* eret */, B_SELF, HVC(2) };
	static const uint32_t hvc1[] = { HVC(1) };
	struct el2vm v;

	el2vm_create(&v);
	/* HVC at EL2: to EL2, current EL with SP_EL2; EC 0x16, ELR past it */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, hvc_el2, 1), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a001234);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL2H);
	ck_assert_uint_eq(el2vm_reg(&v, PSTATE_ID), EL2H);
	/* ERET to EL1h, whose HVC comes back to EL2 from a lower EL */
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, eret, 3), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000002);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 12);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL1H);
	/* HCR_EL2.HCD: RES0 with EL3 (ID_AA64PFR0_EL1.EL3 1, as KVM's); HVC
	 * still reaches EL2 (el2_id_regs: UNDEFINED with userspace's EL3 0) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_HCD);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hvc1, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000001);
	/* ERET to EL1 under HCR_EL2.TGE is an illegal return: IL, at EL2 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_TGE);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, eret, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x3a000000);	/* EC 0x0e */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 8);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL2H | PSR_IL_BIT);
	el2vm_destroy(&v);
}
END_TEST

/* Each HCR_EL2 trap of an instruction at EL1: ESR_EL2, ELR_EL2 at it. */
static const struct {
	const char *what;
	uint64_t hcr;
	uint32_t insn;
	uint32_t esr;
	bool completes;		/* without the bit it goes on to the HVC */
} hcr_traps[] = {
	{ "TWI wfi", HCR_TWI, 0xd503207f, 0x07e00000, false },
	{ "TWE wfe", HCR_TWE, 0xd503205f, 0x07e00001, false },
	{ "TSC smc #7", HCR_TSC, 0xd40000e3, 0x5e000007, false },
	{ "TID3 mrs x1, id_aa64pfr0_el1", HCR_TID3, 0xd5380401, 0x62300029, true },
	{ "TID1 mrs x1, revidr_el1", HCR_TID1, 0xd53800c1, 0x623c0021, true },
	{ "TID2 mrs x1, ctr_el0", HCR_TID2, 0xd53b0021, 0x6232c021, true },
	{ "TVM msr sctlr_el1, x1", HCR_TVM, 0xd5181001, 0x62300420, false },
	{ "TRVM mrs x1, ttbr0_el1", HCR_TRVM, 0xd5382001, 0x62300821, true },
	{ "TACR mrs x1, actlr_el1", HCR_TACR, 0xd5381021, 0x62320421, true },
	{ "TTLB tlbi vmalle1", HCR_TTLB, 0xd508871f, 0x621023ee, true },
	{ "TSW dc cisw, x1", HCR_TSW, 0xd5087e41, 0x62141c3c, true },
	{ "TPC dc civac, x1", HCR_TPC, 0xd50b7e21, 0x6212dc3c, false },
	{ "TPU ic iallu", HCR_TPU, 0xd508751f, 0x62101fea, true },
	{ "TDZ dc zva, x1", HCR_TDZ, 0xd50b7421, 0x6212dc28, false },
};

START_TEST(el2_hcr_traps)
{
	struct el2vm v;
	size_t i;

	el2vm_create(&v);
	for (i = 0; i < ARRAY_SIZE(hcr_traps); i++) {
		uint32_t code[2] = { hcr_traps[i].insn, HVC(3) };

		el2vm_put(&v, SYSREG(HCR_EL2), hcr_traps[i].hcr);
		ck_assert_msg(el2vm_run(&v, EL1H, code, 2) == VBAR2 + LOW_SYNC,
			      "%s", hcr_traps[i].what);
		ck_assert_msg(el2vm_reg(&v, SYSREG(ESR_EL2)) == hcr_traps[i].esr,
			      "%s: ESR_EL2 %#lx", hcr_traps[i].what,
			      (unsigned long)el2vm_reg(&v, SYSREG(ESR_EL2)));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
		if (!hcr_traps[i].completes)
			continue;
		/* every other bit set: this access is not trapped */
		el2vm_put(&v, SYSREG(HCR_EL2), (HCR_TWI | HCR_TWE | HCR_TSC | HCR_TID1 |
			HCR_TID2 | HCR_TID3 | HCR_TVM | HCR_TRVM | HCR_TACR | HCR_TTLB |
			HCR_TSW | HCR_TPC | HCR_TPU | HCR_TDZ) & ~hcr_traps[i].hcr);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 2), VBAR2 + LOW_SYNC);
		ck_assert_msg(el2vm_reg(&v, SYSREG(ESR_EL2)) == 0x5a000003, "%s",
			      hcr_traps[i].what);
	}
	/* EL0: SCTLR_EL1's traps to EL1 come first, then HCR_EL2's */
	{
		uint32_t wfi[2] = { 0xd503207f, B_SELF }, ctr[2] = { 0xd53b0021, B_SELF };

		el2vm_put(&v, SYSREG(HCR_EL2), HCR_TWI | HCR_TID2);
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 & ~SCTLR_NTWI);
		ck_assert_uint_eq(el2vm_run(&v, 0, wfi, 2), VBAR1 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x07e00000);
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078);
		ck_assert_uint_eq(el2vm_run(&v, 0, wfi, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x07e00000);
		/* CTR_EL0 at EL0: SCTLR_EL1.UCT clear traps to EL1 */
		ck_assert_uint_eq(el2vm_run(&v, 0, ctr, 2), VBAR1 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x6232c021);
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_UCT);
		ck_assert_uint_eq(el2vm_run(&v, 0, ctr, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6232c021);
	}
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_regs_by_el)
{
	static const uint32_t mrs_hcr[] = { 0xd53c1101 /* mrs x1, hcr_el2 */, HVC(5) };
	static const uint32_t tlbi[] = { 0xd50c871f /* tlbi alle2 */, HVC(5) };
	struct el2vm v;

	el2vm_create(&v);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	/* at EL2 they are the hypervisor's */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, mrs_hcr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000005);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, tlbi, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000005);
	/* below EL2 UNDEFINED (no FEAT_NV): EC 0 to EL1 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs_hcr, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, tlbi, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	/* a VHE vCPU has FEAT_NV and FEAT_NV2: an MSR keeps NV, NV1, AT, NV2 */
	{
		static const uint32_t msr_hcr[] = { 0xd51c1101 /* msr hcr_el2, x1 */, HVC(5) };

		el2vm_put(&v, X(1), HCR_RW | HCR_E2H | (0xfULL << 42));
		ck_assert_uint_eq(el2vm_run(&v, EL2H, msr_hcr, 2), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_RW | HCR_E2H | (0xfULL << 42));
		el2vm_destroy(&v);
		/* with HAS_EL2_E2H0 (no FEAT_VHE, no FEAT_NV) E2H and NV* are RES0,
		 * through ONE_REG as well */
		el2vm_create_f(&v, F(HAS_EL2_E2H0));
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | (0xfULL << 42));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_RW);
		el2vm_put(&v, X(1), HCR_RW | HCR_E2H | (0xfULL << 42));
		ck_assert_uint_eq(el2vm_run(&v, EL2H, msr_hcr, 2), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_RW);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * FEAT_NV (HCR_EL2.NV, NV1, AT) on a VHE vCPU: at EL1 under NV, CurrentEL
 * reads EL2, the EL2 registers, *_EL12, ERET, TLBI and AT of EL2 trap to
 * EL2; NV1 traps ELR/SPSR/VBAR_EL1; SPSR_EL1.M says EL2 for an exception
 * from EL1 to EL1 under NV without NV1.
 */
static const struct {
	const char *what;
	uint64_t hcr;
	uint32_t insn;
	uint32_t esr;
} nv_traps[] = {
	{ "mrs x1, hcr_el2", HCR_NV, 0xd53c1101, 0x62310423 },
	{ "mrs x1, sctlr_el12", HCR_NV, 0xd53d1001, 0x62314421 },
	{ "msr sp_el1, x1", HCR_NV, 0xd51c4101, 0x62311022 },
	{ "eret", HCR_NV, 0xd69f03e0, 0x6a000000 },
	{ "tlbi alle2", HCR_NV, 0xd50c871f, 0x621123ee },
	{ "at s1e2r, x1", HCR_NV, 0xd50c7801, 0x62111c30 },
	{ "at s12e1r, x1", HCR_NV, 0xd50c7881, 0x62191c30 },
	{ "NV1 mrs x1, elr_el1", HCR_NV | HCR_NV1, 0xd5384021, 0x62321021 },
	{ "NV1 msr vbar_el1, x1", HCR_NV | HCR_NV1, 0xd518c001, 0x62303020 },
	{ "AT at s1e1r, x1", HCR_AT, 0xd5087801, 0x62101c30 },
};

/* ID register field [shift+3:shift] */
static unsigned int fld(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

/*
 * What Linux 7.2 KVM's limit_nv_id_reg() leaves a vCPU with EL2 (VHE or
 * E2H0), read through ONE_REG, against the same VM's vCPU without EL2:
 * every field it touches that this CPU has.
 */
static void check_el2_id_regs(struct tvm *t, const struct tvm *plain, bool e2h0)
{
	uint64_t pfr0 = get_reg64(t->vcpu, SYSREG(ID_AA64PFR0_EL1));
	uint64_t pfr1 = get_reg64(t->vcpu, SYSREG(ID_AA64PFR1_EL1));
	uint64_t dfr0 = get_reg64(t->vcpu, SYSREG(ID_AA64DFR0_EL1));
	uint64_t mmfr0 = get_reg64(t->vcpu, SYSREG(ID_AA64MMFR0_EL1));
	uint64_t mmfr1 = get_reg64(t->vcpu, SYSREG(ID_AA64MMFR1_EL1));
	uint64_t mmfr2 = get_reg64(t->vcpu, SYSREG(ID_AA64MMFR2_EL1));
	uint64_t p_pfr0 = get_reg64(plain->vcpu, SYSREG(ID_AA64PFR0_EL1));
	uint64_t p_dfr0 = get_reg64(plain->vcpu, SYSREG(ID_AA64DFR0_EL1));
	uint64_t p_mmfr0 = get_reg64(plain->vcpu, SYSREG(ID_AA64MMFR0_EL1));
	uint64_t p_mmfr2 = get_reg64(plain->vcpu, SYSREG(ID_AA64MMFR2_EL1));

	/* PFR0: EL0-EL3 AArch64 only; RAS kept (KVM hides it, vkvm not) */
	ck_assert_uint_eq(fld(pfr0, 0), 1);
	ck_assert_uint_eq(fld(pfr0, 4), 1);
	ck_assert_uint_eq(fld(pfr0, 8), 1);
	ck_assert_uint_eq(fld(pfr0, 12), 1);
	ck_assert_uint_eq(fld(p_pfr0, 12), 0);
	ck_assert_uint_eq(fld(pfr0, 28), 1);
	/* the rest as without EL2 (FP, AdvSIMD, GIC, RAS, DIT, CSV2, CSV3) */
	ck_assert_uint_eq(pfr0 & ~0xffffULL, p_pfr0 & ~0xffffULL);
	/* PFR1: BT and SSBS only, no MTE though the VM has KVM_CAP_ARM_MTE */
	ck_assert_uint_eq(get_reg64(plain->vcpu, SYSREG(ID_AA64PFR1_EL1)), 0x21);
	ck_assert_uint_eq(pfr1, 0x21);
	/* DFR0: PMUVer, BRPs, WRPs, DebugVer; CTX_CMPs hidden */
	ck_assert_uint_eq(fld(p_dfr0, 28), 1);
	ck_assert_uint_eq(dfr0, p_dfr0 & ~(0xfULL << 28));
	ck_assert_uint_le(fld(dfr0, 0), 7);
	/* MMFR0: stage 2's granules explicit (GTG), the rest as stage 1's */
	ck_assert_uint_eq(fld(p_mmfr0, 32) | fld(p_mmfr0, 36) | fld(p_mmfr0, 40), 0);
	ck_assert_uint_eq(fld(mmfr0, 32), 2);
	ck_assert_uint_eq(fld(mmfr0, 36), 2);
	ck_assert_uint_eq(fld(mmfr0, 40), 2);
	ck_assert_uint_eq(mmfr0 & ~(0xfffULL << 32), p_mmfr0 & ~(0xfffULL << 32));
	ck_assert_uint_le(fld(mmfr0, 0), 5);	/* PARange at most 48 bits */
	/* MMFR1: PAN, and VH with VHE only */
	ck_assert_uint_eq(mmfr1, (1ULL << 20) | (e2h0 ? 0 : 1ULL << 8));
	/* MMFR2: FEAT_TTL forced; UAO, IDS, AT kept; NV 2 with VHE */
	ck_assert_uint_eq(fld(p_mmfr2, 48), 0);
	ck_assert_uint_eq(fld(mmfr2, 48), 1);
	ck_assert_uint_eq(fld(mmfr2, 24), e2h0 ? 0 : 2);
	ck_assert_uint_eq(mmfr2 & ~(0xfULL << 48 | 0xfULL << 24), p_mmfr2);
}

START_TEST(el2_id_regs)
{
	static const uint32_t hvc[] = { HVC(6) };
	struct el2vm v;
	struct tvm t;
	uint64_t mmfr4;

	tvm_create_init(&t, F(PSCI_0_2));
	/* a VM with KVM_CAP_ARM_MTE (upstream allows it with EL2, hides it) */
	el2vm_create_mte(&v);
	check_el2_id_regs(&v.t, &t, false);
	mmfr4 = el2vm_reg(&v, SYSREG(ID_AA64MMFR4_EL1));
	ck_assert_uint_eq(mmfr4, 1ULL << 20);	/* NV_frac NV2_ONLY, E2H0 0 */
	/* HCR_EL2.HCD is RES0 with EL3: HVC at EL1 still reaches EL2 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_HCD);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hvc, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	el2vm_destroy(&v);
	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	check_el2_id_regs(&v.t, &t, true);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ID_AA64MMFR4_EL1)), 0);
	/* userspace may take EL3 away (FTR_LOWER_SAFE): HCD then UNDEFs HVC */
	el2vm_put(&v, SYSREG(ID_AA64PFR0_EL1),
		  el2vm_reg(&v, SYSREG(ID_AA64PFR0_EL1)) & ~(0xfULL << 12));
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_HCD);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hvc, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	el2vm_destroy(&v);
	tvm_destroy(&t);
}
END_TEST

START_TEST(el2_nv)
{
	static const uint32_t currentel[] = { 0xd5384241 /* mrs x1, currentel */, HVC(6) };
	static const uint32_t msr_hcr[] = { 0xd51c1101 /* msr hcr_el2, x1 */, HVC(6) };
	static const uint32_t svc[] = { 0xd4000001 /* svc #0 */ };
	struct el2vm v;
	size_t i;

	el2vm_create_f(&v, F(HAS_EL2_E2H0));	/* no NV without VHE */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ID_AA64MMFR4_EL1)), 0);
	el2vm_destroy(&v);
	/* NV 2 (FEAT_NV, FEAT_NV2) and NV_frac NV2_ONLY */
	el2vm_create(&v);
	ck_assert_uint_eq((el2vm_reg(&v, SYSREG(ID_AA64MMFR2_EL1)) >> 24) & 0xf, 2);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ID_AA64MMFR4_EL1)), 1ULL << 20);
	/* NV, NV1, AT and (FEAT_NV2) NV2 writable */
	el2vm_put(&v, X(1), HCR_RW | (0xfULL << 42));
	ck_assert_uint_eq(el2vm_run(&v, EL2H, msr_hcr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)),
			  HCR_RW | HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);
	/* CurrentEL: EL2 at EL1 under NV, EL1 without */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, currentel, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x8);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, currentel, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x4);
	for (i = 0; i < ARRAY_SIZE(nv_traps); i++) {
		uint32_t code[2] = { nv_traps[i].insn, HVC(6) };

		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | nv_traps[i].hcr);
		ck_assert_msg(el2vm_run(&v, EL1H, code, 2) == VBAR2 + LOW_SYNC,
			      "%s", nv_traps[i].what);
		ck_assert_msg(el2vm_reg(&v, SYSREG(ESR_EL2)) == nv_traps[i].esr,
			      "%s: ESR_EL2 %#lx", nv_traps[i].what,
			      (unsigned long)el2vm_reg(&v, SYSREG(ESR_EL2)));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL1H);
	}
	/* SVC at EL1 to EL1: SPSR_EL1.M EL2h under NV, EL1h under NV and NV1 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, svc, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SPSR1_ID), EL2H);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV | HCR_NV1);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, svc, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SPSR1_ID), EL1H);
	/* ... and EL2h again under NV2, NV1 or not (NVx 'x01' or '111') */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV | HCR_NV1 | HCR_NV2);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, svc, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SPSR1_ID), EL2H);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV | HCR_NV2);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, svc, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SPSR1_ID), EL2H);
	/* at EL2, NV changes nothing: CurrentEL 2, ERET returns */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, currentel, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x8);
	el2vm_destroy(&v);
	/*
	 * NV with NV1 in EL1&0's stage 1: bit 54 is PXN, UXN 0, AP[1] 0.
	 * EL1's 4 KiB pages over the RAM: CODE's read-only, EL0-accessible
	 * (AP[2:1] 3) with bit 54 set.  NV alone: EL0 may not execute it (UXN,
	 * an instruction abort to EL1), AT S1E0R succeeds; NV, NV1: EL0
	 * executes it (its HVC UNDEFINED), AT S1E0R a permission fault.
	 */
	el2vm_create(&v);
	{
		static const uint32_t hvc[] = { HVC(6) };
		static const uint32_t at_e0[] = { 0xd5087843 /* at s1e0r, x3 */,
						  0xd5387404 /* mrs x4, par_el1 */, HVC(6) };
		uint64_t *l1 = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
		uint64_t *l2 = (uint64_t *)(void *)(v.ram + 0x5000 / 4);
		uint64_t *l3 = (uint64_t *)(void *)(v.ram + 0x6000 / 4);
		unsigned int i;

		l1[0] = 0x401;				/* the first GiB: the MMIO store */
		l1[2] = (RAM_GPA + 0x5000) | 3;
		l2[0] = (RAM_GPA + 0x6000) | 3;
		for (i = 0; i < 16; i++)
			l3[i] = (RAM_GPA + 0x1000 * i) | 0x403;
		l3[2] |= (3 << 6) | (1ULL << 54);	/* CODE */
		el2vm_put(&v, SYSREG(MAIR_EL1), 0xff);
		el2vm_put(&v, SYSREG(TCR_EL1), 25);
		el2vm_put(&v, SYSREG(TTBR0_EL1), PT);
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M);
		el2vm_put(&v, X(3), CODE);
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV);
		ck_assert_uint_eq(el2vm_run(&v, 0, hvc, 1), VBAR1 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x8200000f);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, at_e0, 3), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, X(4)) & 1, 0);
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV | HCR_NV1);
		ck_assert_uint_eq(el2vm_run(&v, 0, hvc, 1), VBAR1 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, at_e0, 3), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x800 | (0x0f << 1) | 1);
	}
	el2vm_destroy(&v);
	/* ERETAA, ERETAB: EC 0x1a with ISS ERET 1 and ERETA the key, before
	 * HCR_EL2.API's trap (API clear) */
	el2vm_create_f(&v, F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC));
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV);
	{
		static const uint32_t eretaa[] = { 0xd69f0bff, HVC(6) };
		static const uint32_t eretab[] = { 0xd69f0fff, HVC(6) };

		ck_assert_uint_eq(el2vm_run(&v, EL1H, eretaa, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6a000002);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, eretab, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6a000003);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * FEAT_NV2: at EL1 under HCR_EL2.{NV,NV2} the
 * registers of the VNCR page are memory at VNCR_EL2 + their offset (the
 * offsets here from Linux's arch/arm64/include/asm/vncr_mapping.h): an
 * MSR stores there, an MRS loads what was planted there, the register
 * itself is untouched.  The VNCR page is in the RAM, EL2's MMU off.
 */
#define VNCR_PAGE	(RAM_GPA + 0x8000)
#define EL12(enc)	(((enc) & ~(7u << 11)) | (5u << 11))
#define MSR_X1(enc)	(0xd5000001u | ((uint32_t)(enc) << 5))
#define MRS_X2(enc)	(0xd5200002u | ((uint32_t)(enc) << 5))

static const struct {
	const char *what;
	uint32_t enc;
	uint16_t off;
	bool nv1;	/* the EL1 encoding, under NV1 (without: its _EL12, _EL02) */
} vncr_regs[] = {
	{ "VTTBR_EL2", SYS_VTTBR_EL2, 0x020, false },
	{ "VTCR_EL2", SYS_VTCR_EL2, 0x040, false },
	{ "VMPIDR_EL2", SYS_VMPIDR_EL2, 0x050, false },
	{ "CNTVOFF_EL2", SYS_CNTVOFF_EL2, 0x060, false },
	{ "HCR_EL2", SYS_HCR_EL2, 0x078, false },
	{ "HSTR_EL2", SYS_HSTR_EL2, 0x080, false },
	{ "VPIDR_EL2", SYS_VPIDR_EL2, 0x088, false },
	{ "TPIDR_EL2", SYS_TPIDR_EL2, 0x090, false },
	{ "VNCR_EL2", SYS_VNCR_EL2, 0x0b0, false },
	{ "ACTLR_EL1", SYS_ACTLR_EL1, 0x118, false },
	{ "MDSCR_EL1", SYS_MDSCR_EL1, 0x158, false },
	{ "SP_EL1", SYS_SP_EL1, 0x240, false },
	{ "VDISR_EL2", SYS_VDISR_EL2, 0x500, false },
	{ "VSESR_EL2", SYS_VSESR_EL2, 0x508, false },
	{ "CPACR_EL1", SYS_CPACR_EL1, 0x100, true },
	{ "CONTEXTIDR_EL1", SYS_CONTEXTIDR_EL1, 0x108, true },
	{ "SCTLR_EL1", SYS_SCTLR_EL1, 0x110, true },
	{ "TCR_EL1", SYS_TCR_EL1, 0x120, true },
	{ "AFSR0_EL1", SYS_AFSR0_EL1, 0x128, true },
	{ "AFSR1_EL1", SYS_AFSR1_EL1, 0x130, true },
	{ "ESR_EL1", SYS_ESR_EL1, 0x138, true },
	{ "MAIR_EL1", SYS_MAIR_EL1, 0x140, true },
	{ "AMAIR_EL1", SYS_AMAIR_EL1, 0x148, true },
	{ "SPSR_EL1", SYS_SPSR_EL1, 0x160, true },
	{ "CNTV_CVAL_EL0", SYS_CNTV_CVAL_EL0, 0x168, true },
	{ "CNTV_CTL_EL0", SYS_CNTV_CTL_EL0, 0x170, true },
	{ "CNTP_CVAL_EL0", SYS_CNTP_CVAL_EL0, 0x178, true },
	{ "CNTP_CTL_EL0", SYS_CNTP_CTL_EL0, 0x180, true },
	{ "TTBR0_EL1", SYS_TTBR0_EL1, 0x200, true },
	{ "TTBR1_EL1", SYS_TTBR1_EL1, 0x210, true },
	{ "FAR_EL1", SYS_FAR_EL1, 0x220, true },
	{ "ELR_EL1", SYS_ELR_EL1, 0x230, true },
	{ "VBAR_EL1", SYS_VBAR_EL1, 0x250, true },
};

/* The VNCR page's 512 words, each its index with a tag in the top bits. */
static uint64_t *vncr_fill(struct el2vm *v)
{
	uint64_t *page = (uint64_t *)(void *)(v->ram + (VNCR_PAGE - RAM_GPA) / 4);
	unsigned int i;

	for (i = 0; i < 512; i++)
		page[i] = 0xa5a5000000000000ULL | i;
	return page;
}

/*
 * The register's encoding at EL1 under HCR_EL2 hcr: an MSR of x1 stores
 * at its offset (and nowhere else), an MRS loads the value there.
 */
static void vncr_check(struct el2vm *v, const char *what, uint32_t enc, uint16_t off,
		       uint64_t hcr)
{
	const uint32_t msr[] = { MSR_X1(enc), HVC(6) }, mrs[] = { MRS_X2(enc), HVC(6) };
	uint64_t val = 0x0123456789abc000ULL ^ ((uint64_t)off << 20), *page;
	unsigned int i;

	page = vncr_fill(v);
	el2vm_put(v, SYSREG(HCR_EL2), hcr);
	el2vm_put(v, SYSREG(VNCR_EL2), VNCR_PAGE);
	el2vm_put(v, X(1), val);
	ck_assert_msg(el2vm_run(v, EL1H, msr, 2) == VBAR2 + LOW_SYNC, "%s: msr", what);
	ck_assert_msg(el2vm_reg(v, SYSREG(ESR_EL2)) == 0x5a000006, "%s: msr ESR_EL2 %#lx",
		      what, (unsigned long)el2vm_reg(v, SYSREG(ESR_EL2)));
	for (i = 0; i < 512; i++)
		ck_assert_msg(page[i] == (i == off / 8u ? val : 0xa5a5000000000000ULL | i),
			      "%s: word %#x of the VNCR page %#lx", what, i * 8,
			      (unsigned long)page[i]);
	page[off / 8] = ~val;
	el2vm_put(v, X(2), 0);
	ck_assert_msg(el2vm_run(v, EL1H, mrs, 2) == VBAR2 + LOW_SYNC, "%s: mrs", what);
	ck_assert_msg(el2vm_reg(v, X(2)) == ~val, "%s: mrs read %#lx", what,
		      (unsigned long)el2vm_reg(v, X(2)));
	/* the registers themselves: HCR_EL2 and VNCR_EL2 as they were */
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(HCR_EL2)), hcr);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(VNCR_EL2)), VNCR_PAGE);
}

/* An access at EL1 under hcr that traps to EL2 with EC 0x18 and iss. */
static void nv2_trap(struct el2vm *v, const char *what, uint32_t insn, uint32_t esr,
		     uint64_t hcr)
{
	const uint32_t code[] = { insn, HVC(6) };
	uint64_t *page = vncr_fill(v);
	unsigned int i;

	el2vm_put(v, SYSREG(HCR_EL2), hcr);
	el2vm_put(v, SYSREG(VNCR_EL2), VNCR_PAGE);
	ck_assert_msg(el2vm_run(v, EL1H, code, 2) == VBAR2 + LOW_SYNC, "%s", what);
	ck_assert_msg(el2vm_reg(v, SYSREG(ESR_EL2)) == esr, "%s: ESR_EL2 %#lx", what,
		      (unsigned long)el2vm_reg(v, SYSREG(ESR_EL2)));
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ELR_EL2)), CODE);
	for (i = 0; i < 512; i++)
		ck_assert_msg(page[i] == (0xa5a5000000000000ULL | i), "%s: VNCR word %#x", what,
			      i * 8);
}

START_TEST(el2_nv2_off)
{
	static const uint32_t msr_hcr[] = { 0xd51c1101 /* msr hcr_el2, x1 */, HVC(6) };
	static const uint32_t mrs_vncr[] = { MRS_X2(SYS_VNCR_EL2), HVC(6) };
	struct el2vm v;
	struct tvm t;
	struct kvm_reg_list *l;
	uint64_t x;

	/* without VHE (E2H0): no FEAT_NV2, NV* RES0, no VNCR_EL2 */
	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	ck_assert_uint_eq((el2vm_reg(&v, SYSREG(ID_AA64MMFR2_EL1)) >> 24) & 0xf, 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ID_AA64MMFR4_EL1)), 0);
	el2vm_put(&v, X(1), HCR_RW | HCR_NV | HCR_NV2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, msr_hcr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, mrs_vncr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	ck_assert_int_eq(get_reg(v.t.vcpu, SYSREG(VNCR_EL2), &x), -ENOENT);
	el2vm_destroy(&v);
	/* with VHE: NV 2, NV_frac NV2_ONLY, VNCR_EL2 listed */
	l = reg_list(&t, F(PSCI_0_2) | F(HAS_EL2));
	ck_assert(listed(l, SYSREG(VNCR_EL2)));
	ck_assert_uint_eq((get_reg64(t.vcpu, SYSREG(ID_AA64MMFR2_EL1)) >> 24) & 0xf, 2);
	ck_assert_uint_eq(get_reg64(t.vcpu, SYSREG(ID_AA64MMFR4_EL1)), 1ULL << 20);
	free(l);
	tvm_destroy(&t);
	l = reg_list(&t, F(PSCI_0_2) | F(HAS_EL2) | F(HAS_EL2_E2H0));
	ck_assert(!listed(l, SYSREG(VNCR_EL2)));
	ck_assert_uint_eq(get_reg64(t.vcpu, SYSREG(ID_AA64MMFR4_EL1)), 0);
	free(l);
	tvm_destroy(&t);
}
END_TEST

START_TEST(el2_nv2)
{
	static const uint32_t msr_vncr[] = { MSR_X1(SYS_VNCR_EL2), MRS_X2(SYS_VNCR_EL2),
					     0xd51c1103 /* msr hcr_el2, x3 */, HVC(6) };
	const uint64_t nv2 = HCR_RW | HCR_NV | HCR_NV2;
	struct el2vm v;
	size_t i;

	el2vm_create(&v);
	/* VNCR_EL2 at EL2: bits [11:0] RES0; ONE_REG the same; NV2 writable */
	el2vm_put(&v, X(1), VNCR_PAGE | 0xfff);
	el2vm_put(&v, X(3), nv2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, msr_vncr, 4), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), VNCR_PAGE);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), nv2);
	el2vm_put(&v, SYSREG(VNCR_EL2), 0xffff800000001234ULL);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(VNCR_EL2)), 0xffff800000001000ULL);

	/* every register of the page, E2H 0 and 1, NV1 for the EL1 encodings
	 * (CNTHCTL_EL2.EL1PCTEN/EL1PCEN: the physical timer not trapped) */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), 3);
	for (i = 0; i < ARRAY_SIZE(vncr_regs); i++) {
		uint32_t enc = vncr_regs[i].enc;

		if (vncr_regs[i].nv1) {
			vncr_check(&v, vncr_regs[i].what, enc, vncr_regs[i].off,
				   nv2 | HCR_NV1);
			vncr_check(&v, vncr_regs[i].what, EL12(enc), vncr_regs[i].off, nv2);
			vncr_check(&v, vncr_regs[i].what, EL12(enc), vncr_regs[i].off,
				   nv2 | HCR_E2H);
			/* the _EL12 encoding under NV1 still traps */
			nv2_trap(&v, vncr_regs[i].what, MRS_X2(EL12(enc)),
				 0x62000000u | ESR_SYS64_ISS(MRS_X2(EL12(enc))),
				 nv2 | HCR_NV1);
		} else {
			vncr_check(&v, vncr_regs[i].what, enc, vncr_regs[i].off, nv2);
			vncr_check(&v, vncr_regs[i].what, enc, vncr_regs[i].off,
				   nv2 | HCR_NV1 | HCR_E2H);
		}
	}
	/* ELR_EL2, SPSR_EL2, ESR_EL2, FAR_EL2 reach the EL1 registers, NV1 or not */
	for (i = 0; i < 4; i++) {
		static const uint32_t el2[] = { SYS_ELR_EL2, SYS_SPSR_EL2, SYS_ESR_EL2,
						SYS_FAR_EL2 };
		const uint64_t el1[] = { ELR1_ID, SPSR1_ID, SYSREG(ESR_EL1), SYSREG(FAR_EL1) };
		const uint32_t code[] = { MSR_X1(el2[i]), MRS_X2(el2[i]), HVC(6) };
		uint64_t hcr = nv2 | (i & 1 ? HCR_NV1 : 0), *page = vncr_fill(&v);
		unsigned int w;

		el2vm_put(&v, SYSREG(HCR_EL2), hcr);
		el2vm_put(&v, SYSREG(VNCR_EL2), VNCR_PAGE);
		el2vm_put(&v, X(1), 0x3c0 + i);
		el2vm_put(&v, X(2), 0);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 3), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, el1[i]), 0x3c0 + i);
		ck_assert_uint_eq(el2vm_reg(&v, X(2)), 0x3c0 + i);
		for (w = 0; w < 512; w++)
			ck_assert_uint_eq(page[w], 0xa5a5000000000000ULL | w);
	}
	/*
	 * Still trapped (EC 0x18), not in the page: SCTLR_EL2, TCR_EL2,
	 * VBAR_EL2, HPFAR_EL2, CNTHCTL_EL2, CNTKCTL_EL12, CNTV_TVAL_EL02;
	 * ERET (EC 0x1a) and TLBI ALLE2 as under NV.  HCR_EL2.TVM traps MSR
	 * SCTLR_EL1 under NV1 before the page; TRVM the MRS.
	 */
	{
		static const uint32_t trapped[] = { SYS_SCTLR_EL2, SYS_TCR_EL2, SYS_VBAR_EL2,
			SYS_HPFAR_EL2, SYS_CNTHCTL_EL2, EL12(SYS_CNTKCTL_EL1),
			EL12(SYS_CNTV_TVAL_EL0) };

		for (i = 0; i < ARRAY_SIZE(trapped); i++) {
			nv2_trap(&v, "trapped mrs", MRS_X2(trapped[i]),
				 0x62000000u | ESR_SYS64_ISS(MRS_X2(trapped[i])), nv2);
			nv2_trap(&v, "trapped msr", MSR_X1(trapped[i]),
				 0x62000000u | ESR_SYS64_ISS(MSR_X1(trapped[i])), nv2 | HCR_E2H);
		}
		nv2_trap(&v, "eret", 0xd69f03e0, 0x6a000000, nv2);
		nv2_trap(&v, "tlbi alle2", 0xd50c871f, 0x621123ee, nv2);
		nv2_trap(&v, "TVM: msr sctlr_el1", MSR_X1(SYS_SCTLR_EL1),
			 0x62000000u | ESR_SYS64_ISS(MSR_X1(SYS_SCTLR_EL1)),
			 nv2 | HCR_NV1 | HCR_TVM);
		nv2_trap(&v, "TRVM: mrs sctlr_el1", MRS_X2(SYS_SCTLR_EL1),
			 0x62000000u | ESR_SYS64_ISS(MRS_X2(SYS_SCTLR_EL1)),
			 nv2 | HCR_NV1 | HCR_TRVM);
	}
	/* without NV2, SCTLR_EL1 under NV1 is the register; NV2 without NV nothing */
	{
		const uint32_t code[] = { MSR_X1(SYS_SCTLR_EL1), HVC(6) };
		uint64_t *page = vncr_fill(&v);

		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV | HCR_NV1);
		el2vm_put(&v, X(1), 0x00c50078);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SCTLR_EL1)), 0x00c50078);
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_NV2 | HCR_NV1);
		el2vm_put(&v, X(1), 0x00c5007a);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SCTLR_EL1)), 0x00c5007a);
		ck_assert_uint_eq(page[0x110 / 8], 0xa5a5000000000000ULL | (0x110 / 8));
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078);
	}
	/*
	 * A VNCR access that faults: a data abort to EL2 (vector 0x400), EC
	 * 0x25 with ISS.VNCR, WnR for the MSR, no ISV; FAR_EL2 the address.
	 * Outside RAM: an external abort (0x10); above 48 bits with EL2's MMU
	 * off: an address size fault, level 0.
	 */
	{
		const uint32_t msr[] = { MSR_X1(SYS_HCR_EL2), HVC(6) };
		const uint32_t mrs[] = { MRS_X2(SYS_VTTBR_EL2), HVC(6) };

		el2vm_put(&v, SYSREG(HCR_EL2), nv2);
		el2vm_put(&v, SYSREG(VNCR_EL2), 0x40000000);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, msr, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x96002050);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), 0x40000078);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL1H);
		el2vm_put(&v, SYSREG(VNCR_EL2), 1ULL << 52);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x96002000);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), (1ULL << 52) + 0x20);
	}
	/*
	 * EL2's MMU on: the access is translated by the EL2 regime (E2H 0,
	 * TTBR0_EL2) or the EL2&0 one (E2H 1, TTBR1_EL2 for the top half),
	 * whatever EL1's own MMU does, and not subject to PSTATE.PAN.
	 * TTBR0_EL2: Device at 0, nothing at 1 GiB, RAM at 2 GiB, RAM again
	 * at 3 GiB (EL0 read/write); TTBR1_EL2: RAM read-only at the top
	 * half's first GiB.  Faults: translation level 1 (0x05), permission
	 * level 1 (0x0d), ISS.VNCR, FAR_EL2 the VA.
	 */
	{
		const uint32_t msr[] = { MSR_X1(SYS_HCR_EL2), HVC(6) };
		const uint32_t mrs[] = { MRS_X2(SYS_TPIDR_EL2), HVC(6) };
		uint64_t *pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
		uint64_t *pt2 = (uint64_t *)(void *)(v.ram + 0x5000 / 4), *page;
		const uint64_t top = 0xffffff8000000000ULL;

		pt[0] = 0x405;
		pt[1] = 0;
		pt[2] = RAM_GPA | 0x401;
		pt[3] = RAM_GPA | 0x441 | (1ULL << 54);
		pt2[0] = RAM_GPA | 0x401 | (1ULL << 7);		/* AP 10: read-only */
		el2vm_put(&v, SYSREG(TTBR0_EL2), PT);
		el2vm_put(&v, SYSREG(TTBR1_EL2), PT2);
		el2vm_put(&v, SYSREG(MAIR_EL2), 0x00ff);
		el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M);

		/* E2H 0: TCR_EL2's EL2 layout, T0SZ 25; VNCR at 3 GiB's alias */
		el2vm_put(&v, SYSREG(TCR_EL2), 25 | (5ULL << 16));
		page = vncr_fill(&v);
		el2vm_put(&v, SYSREG(HCR_EL2), nv2);
		el2vm_put(&v, SYSREG(VNCR_EL2), 0xc0000000ULL + (VNCR_PAGE - RAM_GPA));
		el2vm_put(&v, X(1), 0x1234);
		ck_assert_uint_eq(el2vm_run(&v, EL1H | PSR_PAN, msr, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
		ck_assert_uint_eq(page[0x78 / 8], 0x1234);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), nv2);
		/* nothing at 1 GiB: a translation fault, level 1 */
		el2vm_put(&v, SYSREG(VNCR_EL2), 0x40000000ULL + 0x3000);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x96002005);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), 0x40003090ULL);

		/* E2H 1: TCR_EL2 in TCR_EL1's layout, both halves 39 bits */
		el2vm_put(&v, SYSREG(TCR_EL2), 25 | (25ULL << 16) | (2ULL << 30) | (5ULL << 32));
		page = vncr_fill(&v);
		page[0x90 / 8] = 0x7e57;
		el2vm_put(&v, SYSREG(HCR_EL2), nv2 | HCR_E2H);
		el2vm_put(&v, SYSREG(VNCR_EL2), top + (VNCR_PAGE - RAM_GPA));
		el2vm_put(&v, X(2), 0);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
		ck_assert_uint_eq(el2vm_reg(&v, X(2)), 0x7e57);
		/* a store there: a permission fault, level 1, WnR */
		ck_assert_uint_eq(el2vm_run(&v, EL1H, msr, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x9600204d);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)),
				  top + (VNCR_PAGE - RAM_GPA) + 0x78);
		ck_assert_uint_eq(page[0x78 / 8], 0xa5a5000000000000ULL | (0x78 / 8));
		/* the EL0-accessible alias through TTBR0_EL2, PAN set: no PAN fault */
		el2vm_put(&v, SYSREG(VNCR_EL2), 0xc0000000ULL + (VNCR_PAGE - RAM_GPA));
		el2vm_put(&v, X(1), 0x5678);
		ck_assert_uint_eq(el2vm_run(&v, EL1H | PSR_PAN, msr, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
		ck_assert_uint_eq(page[0x78 / 8], 0x5678);
		el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * FEAT_NV2 with SVE: ZCR_EL1 (0x1e0) under NV1, ZCR_EL12 without, after
 * the SVE enables: CPACR_EL1.ZEN 0 traps the EL1 encoding to EL1 (EC
 * 0x19) before the page is reached.
 */
START_TEST(el2_nv2_sve)
{
	const uint64_t nv2 = HCR_RW | HCR_NV | HCR_NV2;
	const uint32_t msr[] = { MSR_X1(SYS_ZCR_EL1), HVC(6) };
	uint64_t *page;
	struct el2vm v;

	el2vm_create_f(&v, F(SVE));
	el2vm_put(&v, SYSREG(CPACR_EL1), CPACR_FPEN | CPACR_ZEN);
	el2vm_put(&v, SYSREG(ZCR_EL1), 0);
	vncr_check(&v, "ZCR_EL1", SYS_ZCR_EL1, 0x1e0, nv2 | HCR_NV1);
	vncr_check(&v, "ZCR_EL12", EL12(SYS_ZCR_EL1), 0x1e0, nv2);
	vncr_check(&v, "ZCR_EL12", EL12(SYS_ZCR_EL1), 0x1e0, nv2 | HCR_E2H);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ZCR_EL1)), 0);
	el2vm_put(&v, SYSREG(CPACR_EL1), CPACR_FPEN);
	page = vncr_fill(&v);
	el2vm_put(&v, SYSREG(HCR_EL2), nv2 | HCR_NV1);
	el2vm_put(&v, X(1), 3);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, msr, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x66000000);
	ck_assert_uint_eq(page[0x1e0 / 8], 0xa5a5000000000000ULL | (0x1e0 / 8));
	el2vm_destroy(&v);
}
END_TEST

/*
 * FEAT_NV2 with MTE: TFSR_EL1 (0x190) under NV1, TFSR_EL12 without it;
 * TFSR_EL2 at EL1 reaches TFSR_EL1 under NV2 (as ELR_EL2 does) and traps
 * under NV alone; at EL2 it is a register of its own.
 */
START_TEST(el2_nv2_mte)
{
	const uint32_t tfsr2[] = { MSR_X1(SYS_TFSR_EL2), MRS_X2(SYS_TFSR_EL2), HVC(6) };
	const uint32_t tfsr12[] = { MRS_X2(EL12(SYS_TFSR_EL1)), HVC(6) };
	const uint64_t nv2 = HCR_RW | HCR_NV | HCR_NV2;
	uint64_t *page;
	struct el2vm v;

	el2vm_create_mte(&v);
	vncr_check(&v, "TFSR_EL1", SYS_TFSR_EL1, 0x190, nv2 | HCR_NV1);
	vncr_check(&v, "TFSR_EL12", EL12(SYS_TFSR_EL1), 0x190, nv2);
	vncr_check(&v, "TFSR_EL12", EL12(SYS_TFSR_EL1), 0x190, nv2 | HCR_E2H);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(TFSR_EL1)), 0);
	/* TFSR_EL2 at EL1 under NV2, NV1 or not: TFSR_EL1, the page untouched */
	page = vncr_fill(&v);
	el2vm_put(&v, SYSREG(HCR_EL2), nv2 | HCR_NV1);
	el2vm_put(&v, X(1), 2);
	el2vm_put(&v, X(2), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, tfsr2, 3), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(TFSR_EL1)), 2);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 2);
	ck_assert_uint_eq(page[0x190 / 8], 0xa5a5000000000000ULL | (0x190 / 8));
	/* at EL2 a register of its own; TFSR_EL12 there (E2H) is TFSR_EL1 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	el2vm_put(&v, X(1), 1);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, tfsr2, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 1);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(TFSR_EL1)), 2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, tfsr12, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 2);
	/* under NV alone TFSR_EL2 traps */
	nv2_trap(&v, "TFSR_EL2 under NV", MRS_X2(SYS_TFSR_EL2),
		 0x62000000u | ESR_SYS64_ISS(MRS_X2(SYS_TFSR_EL2)), HCR_RW | HCR_NV);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_interrupt_routing)
{
	static const uint32_t spin[] = { NOP, B_SELF };
	static const uint32_t hvc4[] = { HVC(4) };
	struct el2vm v;

	el2vm_create(&v);
	/* a virtual IRQ (IMO, VI) at EL1 with PSTATE.I clear */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO | HCR_VI);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, spin, 2), VBAR1 + CUR_IRQ);
	/* masked by PSTATE.I; never taken at EL2 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hvc4, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_run(&v, EL2H & ~PSR_I_BIT, hvc4, 1), VBAR2 + CUR_SYNC);
	/* VI without IMO is not pending */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_VI);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc4, 1), VBAR2 + LOW_SYNC);
	/* a virtual FIQ */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_FMO | HCR_VF);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_F_BIT, spin, 2), VBAR1 + CUR_FIQ);
	/* a virtual SError: ESR_EL1 from VSESR_EL2, and VSE clears */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_AMO | HCR_VSE);
	el2vm_put(&v, SYSREG(VSESR_EL2), 0x1234);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_A_BIT, spin, 2), VBAR1 + CUR_SERROR);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0xbe001234);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HCR_EL2)), HCR_AMO);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_A_BIT, hvc4, 1), VBAR2 + LOW_SYNC);
	/* TGE: EL0's exceptions go to EL2 */
	{
		static const uint32_t svc[] = { 0xd4000121 /* svc #9 */ };

		el2vm_put(&v, SYSREG(HCR_EL2), HCR_TGE);
		ck_assert_uint_eq(el2vm_run(&v, 0, svc, 1), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x56000009);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), 0);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * Below EL2: ISR_EL1's A, I, F show the virtual SError, IRQ and FIQ under
 * AMO, IMO and FMO (VSE, VI, VF); MIDR_EL1 and MPIDR_EL1 read VPIDR_EL2 and
 * VMPIDR_EL2 (a guest KVM's vCPUs saw the host's MPIDR_EL1 before).
 */
START_TEST(el2_isr_midr)
{
	static const uint32_t isr[] = { 0xd538c101 /* mrs x1, isr_el1 */, HVC(5) };
	static const uint32_t ids[] = { 0xd5380001 /* mrs x1, midr_el1 */,
					0xd53800a2 /* mrs x2, mpidr_el1 */, HVC(5) };
	uint64_t exit = VBAR2 + LOW_SYNC, midr, mpidr;
	struct el2vm v;

	el2vm_create(&v);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_AMO | HCR_IMO | HCR_FMO | HCR_VSE | HCR_VI | HCR_VF);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, isr, 2), exit);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x1c0);
	/* without the V bits nothing is pending; nor at EL2, which sees the physical ones */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_AMO | HCR_IMO | HCR_FMO);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, isr, 2), exit);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_AMO | HCR_IMO | HCR_VSE | HCR_VI);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, isr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0);
	/* only the bit whose routing is virtual follows its V bit */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO | HCR_VSE | HCR_VI);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, isr, 2), exit);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x80);

	el2vm_put(&v, SYSREG(HCR_EL2), 0);
	midr = el2vm_reg(&v, SYSREG(MIDR_EL1));
	mpidr = el2vm_reg(&v, SYSREG(MPIDR_EL1));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(VPIDR_EL2)), midr);
	el2vm_put(&v, SYSREG(VPIDR_EL2), 0x410fd0c0);
	el2vm_put(&v, SYSREG(VMPIDR_EL2), 0x80000107);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ids, 3), exit);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x410fd0c0);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 0x80000107);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, ids, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), midr);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), mpidr);
	/* ONE_REG keeps the vCPU's own */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MPIDR_EL1)), mpidr);
	el2vm_destroy(&v);
}
END_TEST

/*
 * SVE's effective length with EL2: ZCR_EL2.LEN at EL2 (where a VHE host's
 * ZCR_EL1 writes land) and as a bound at EL1 (a VHE guest KVM saw 16 bytes)
 */
START_TEST(el2_sve_len)
{
	static const uint32_t rdvl[] = { 0x04bf5021 /* rdvl x1, #1 */, HVC(5) };
	struct el2vm v;

	el2vm_create_f(&v, F(SVE));
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	el2vm_put(&v, SYSREG(CPACR_EL1), CPACR_FPEN | CPACR_ZEN);
	el2vm_put(&v, SYSREG(ZCR_EL2), 3);
	el2vm_put(&v, SYSREG(ZCR_EL1), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, rdvl, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 64);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, rdvl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 16);
	el2vm_put(&v, SYSREG(ZCR_EL1), 0xf);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, rdvl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 64);
	el2vm_put(&v, SYSREG(ZCR_EL2), 1);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, rdvl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 32);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, rdvl, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 32);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_stage1)
{
	static const uint32_t code[] = {
		0xd50c7803,	/* at   s1e2r, x3 */
		0xd5387404,	/* mrs  x4, par_el1 */
		0xd50c7802,	/* at   s1e2r, x2 */
		0xd5387405,	/* mrs  x5, par_el1 */
		0xf9400041,	/* ldr  x1, [x2] */
	};
	static const uint32_t store[] = {
		0xd50c871f,	/* tlbi alle2 */
		0xf9000061,	/* str  x1, [x3] */
	};
	struct el2vm v;
	uint64_t *pt;

	el2vm_create(&v);
	/*
	 * 39-bit VA, 4K granule, 48-bit PA: 1 GiB RW blocks, Device at 0
	 * (the vectors' MMIO store), Normal at 0x80000000; none at 1 GiB.
	 */
	pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
	pt[0] = 0x405;				/* AF, block, AttrIndx 1 */
	pt[2] = RAM_GPA | 0x401;		/* AF, block, AttrIndx 0 */
	el2vm_put(&v, SYSREG(TCR_EL2), 25 | (5ULL << 16));
	el2vm_put(&v, SYSREG(TTBR0_EL2), PT);
	el2vm_put(&v, SYSREG(MAIR_EL2), 0x00ff);
	/* C: Normal stays cacheable (clear, AT reports Non-cacheable: test_el2_at.c) */
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C);
	el2vm_put(&v, X(2), 0x40001000);
	el2vm_put(&v, X(3), CODE + 0x800);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 5), VBAR2 + CUR_SYNC);
	/* PAR_EL1: Normal WB (0xff), the PA, RES1; then a level-1 translation fault */
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0xff00000000000800ULL | CODE);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0x80b);
	/* the load: a data abort at the current EL, DFSC translation level 1 */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x96000005);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), 0x40001000);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 16);
	/* AP[2]: read-only at EL2, a permission fault with WnR */
	pt[2] |= 1 << 7;
	ck_assert_uint_eq(el2vm_run(&v, EL2H, store, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x9600004d);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), CODE + 0x800);
	el2vm_destroy(&v);
}
END_TEST

/*
 * Stage 2 (HCR_EL2.VM): a level-1 table at RAM + 0x6000 (39-bit IPA, 4K,
 * SL0 1), the MMIO page's GiB as Device and RAM's as Normal; EL1 with its
 * MMU off (IPA = VA), then on with a table at an IPA stage 2 lacks.
 */
#define S2PT		(RAM_GPA + 0x6000)
#define S2_BLOCK	0x401ULL			/* AF, block */
#define S2AP_R		(1ULL << 6)
#define S2AP_W		(1ULL << 7)

static void s2_load(struct el2vm *v, uint64_t ram_s2ap)
{
	uint64_t *pt = (uint64_t *)(void *)(v->ram + 0x6000 / 4);

	pt[0] = S2_BLOCK | S2AP_R | S2AP_W;			/* Device: MemAttr 0 */
	pt[2] = RAM_GPA | S2_BLOCK | ram_s2ap | (0xfULL << 2);	/* Normal WB */
	el2vm_put(v, SYSREG(VTCR_EL2), 25 | (1ULL << 6) | (5ULL << 16) | (1ULL << 31));
	el2vm_put(v, SYSREG(VTTBR_EL2), S2PT);		/* and the TLB is flushed */
	el2vm_put(v, SYSREG(HCR_EL2), HCR_VM | HCR_RW);
}

START_TEST(el2_stage2)
{
	static const uint32_t ldr[] = { 0xf9400061 /* ldr x1, [x3] */ };
	static const uint32_t str[] = { 0xf9000061 /* str x1, [x3] */ };
	static const uint32_t br[] = { 0xd61f0060 /* br x3 */ };
	static const uint32_t ok[] = { 0xf9400061 /* ldr x1, [x3] */, HVC(6) };
	struct el2vm v;

	el2vm_create(&v);
	s2_load(&v, S2AP_R | S2AP_W);
	/* mapped: the load completes through stage 2 */
	v.ram[0x2800 / 4] = 0x1234;
	el2vm_put(&v, X(3), CODE + 0x800);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ok, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x1234);
	/* a load from an IPA stage 2 lacks: EC 0x24, ISV (SAS 3, SRT 1, SF),
	 * DFSC translation level 1, FAR_EL2, HPFAR_EL2 */
	el2vm_put(&v, X(3), 0x40001008);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ldr, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x93c18005);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), 0x40001008);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), 0x400010);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	{
		/* LDRSB X1: SAS 0, SSE, SF (a guest KVM sign-extends by SSE) */
		static const uint32_t ldrsb[] = { 0x39800061 /* ldrsb x1, [x3] */ };

		ck_assert_uint_eq(el2vm_run(&v, EL1H, ldrsb, 1), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x93218005);
	}
	/* a fetch from there: EC 0x20 */
	el2vm_put(&v, X(3), 0x40002000);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, br, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x82000005);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), 0x400020);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), 0x40002000);
	/* S2AP read-only: a store is stage 2's permission fault, WnR */
	s2_load(&v, S2AP_R);
	el2vm_put(&v, X(3), CODE + 0x800);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, str, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x93c1804d);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), ((CODE + 0x800) >> 12) << 4);
	/* EL1's stage-1 walk at an IPA stage 2 lacks: S1PTW, at the fetch */
	s2_load(&v, S2AP_R | S2AP_W);
	el2vm_put(&v, SYSREG(TCR_EL1), 25);
	el2vm_put(&v, SYSREG(TTBR0_EL1), 0x40000000);
	el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ok, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x82000085);	/* S1PTW, L1 */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), CODE);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), 0x400000);
	el2vm_destroy(&v);
}
END_TEST

/*
 * FEAT_NV2 under HCR_EL2.VM: the VNCR access is EL2's, so stage 2 does not
 * apply to it; here stage 2 gives RAM read-only, and an MSR at EL1 still
 * stores into the page while an STR there faults at stage 2.
 */
START_TEST(el2_nv2_s2)
{
	static const uint32_t str[] = { 0xf9000061 /* str x1, [x3] */, HVC(6) };
	const uint64_t nv2 = HCR_VM | HCR_RW | HCR_NV | HCR_NV2;
	struct el2vm v;

	el2vm_create(&v);
	s2_load(&v, S2AP_R);
	vncr_check(&v, "HCR_EL2 under VM", SYS_HCR_EL2, 0x78, nv2);
	vncr_check(&v, "SCTLR_EL1 under VM", SYS_SCTLR_EL1, 0x110, nv2 | HCR_NV1);
	el2vm_put(&v, X(3), VNCR_PAGE);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, str, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)) >> 26, 0x24);
	el2vm_destroy(&v);
}
END_TEST

/*
 * Stage 1's permission check comes before stage 2 translates the output
 * address (Arm ARM, AArch64.FullTranslate: stage 2 only once stage 1
 * passed).  EL1's 1 GiB at 0x40000000 is a read-only block (AP[2]) onto
 * an IPA stage 2 lacks: a store is a permission fault at EL1 (WnR, level
 * 1), a load a stage-2 translation fault at EL2, AT S12E1W stage 1's
 * permission fault in PAR_EL1.  With VM alone, and as Linux KVM runs an
 * E2H 0 guest hypervisor's EL2: EL1 under HCR_EL2.{NV,NV1,NV2}, E2H set
 * for the host (the EL2 guest's "str to a read-only block" under the
 * nested rig, docs/nested.md).
 */
START_TEST(el2_s1_perm_before_s2)
{
	static const uint32_t str[] = { 0xf9000061 /* str x1, [x3] */ };
	static const uint32_t ldr[] = { 0xf9400061 /* ldr x1, [x3] */ };
	static const uint32_t at[] = {
		0xd50c78a3,	/* at   s12e1w, x3 */
		0xd5387404,	/* mrs  x4, par_el1 */
		HVC(6),
	};
	static const uint64_t hcrs[] = {
		HCR_VM | HCR_RW,
		HCR_VM | HCR_RW | HCR_E2H | HCR_NV | HCR_NV1 | HCR_NV2,
	};
	uint64_t *pt;
	struct el2vm v;
	unsigned int i;

	el2vm_create(&v);
	pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
	pt[0] = 0x405;					/* Device: the vectors' MMIO store */
	pt[1] = 0x40000000 | 0x401 | (1 << 7);		/* read-only, not in stage 2 */
	pt[2] = RAM_GPA | 0x401;
	for (i = 0; i < ARRAY_SIZE(hcrs); i++) {
		s2_load(&v, S2AP_R | S2AP_W);
		el2vm_put(&v, SYSREG(MAIR_EL1), 0x00ff);
		el2vm_put(&v, SYSREG(TCR_EL1), 25 | (5ULL << 32));
		el2vm_put(&v, SYSREG(TTBR0_EL1), PT);
		el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M);
		el2vm_put(&v, SYSREG(HCR_EL2), hcrs[i]);
		el2vm_put(&v, X(3), 0x40000008);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, str, 1), VBAR1 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x9600004d);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL1)), 0x40000008);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, ldr, 1), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x93c18005);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), 0x400000);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, at, 3), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x800 | (0x0d << 1) | 1);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * CPTR_EL2 (E2H 0): TFP traps FP/AdvSIMD (FPCR, FPSR too) at EL0-EL2 with
 * EC 0x07, after CPACR_EL1.FPEN's own trap to EL1; TZ traps SVE (and
 * ZCR_ELx) with EC 0x19 after CPACR_EL1.ZEN; TCPAC traps CPACR_EL1 at
 * EL1.  EC 0x07's ISS from AArch64 is CV 1, COND 0xe.
 */
#define ESR_FP		0x1fe00000ULL
#define ESR_SVE		0x66000000ULL

START_TEST(el2_cptr_traps)
{
	static const uint32_t fmov[] = { 0x9e670020 /* fmov d0, x1 */, HVC(3) };
	static const uint32_t ldrq[] = { 0x3dc00060 /* ldr q0, [x3] */, HVC(3) };
	static const uint32_t mrs_fpcr[] = { 0xd53b4401 /* mrs x1, fpcr */, HVC(3) };
	static const uint32_t msr_fpsr[] = { 0xd51b4421 /* msr fpsr, x1 */, HVC(3) };
	static const uint32_t cpacr[] = { 0xd5381041 /* mrs x1, cpacr_el1 */, HVC(3) };
	static const uint32_t sctlr[] = { 0xd5381001 /* mrs x1, sctlr_el1 */, HVC(3) };
	static const uint32_t sve_add[] = { 0x04e20020 /* add z0.d, z1.d, z2.d */, HVC(3) };
	static const uint32_t zcr1[] = { 0xd5381201 /* mrs x1, zcr_el1 */, HVC(3) };
	static const uint32_t zcr2[] = { 0xd53c1201 /* mrs x1, zcr_el2 */, HVC(3) };
	struct el2vm v;

	el2vm_create_f(&v, F(SVE));
	el2vm_put(&v, X(3), CODE + 0x800);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	/* FP enabled at EL1 by CPACR_EL1, trapped by TFP: at EL1 and EL2 */
	el2vm_put(&v, SYSREG(CPACR_EL1), CPACR_FPEN | CPACR_ZEN);
	el2vm_put(&v, SYSREG(CPTR_EL2), CPTR_EL2_RES1 | CPTR_EL2_TFP);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, fmov, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_FP);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ldrq, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_FP);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs_fpcr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_FP);
	ck_assert_uint_eq(el2vm_run(&v, 0, msr_fpsr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_FP);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, fmov, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_FP);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	/* SVE: TZ before TFP, at EL1 and at EL2 */
	el2vm_put(&v, SYSREG(CPTR_EL2), CPTR_EL2_RES1 | CPTR_EL2_TFP | CPTR_EL2_TZ);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, sve_add, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_SVE);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, zcr1, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_SVE);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, zcr2, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_SVE);
	/* CPACR_EL1's traps to EL1 come first */
	el2vm_put(&v, SYSREG(CPACR_EL1), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, fmov, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR_FP);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs_fpcr, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR_FP);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, sve_add, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR_SVE);
	/* EL0's FPEN trap that TGE routes to EL2 is EC 0 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TGE);
	ck_assert_uint_eq(el2vm_run(&v, 0, fmov, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	/* without TFP and TZ: CPACR_EL1 does not apply at EL2 */
	el2vm_put(&v, SYSREG(CPTR_EL2), CPTR_EL2_RES1);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, fmov, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, sve_add, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_put(&v, SYSREG(CPACR_EL1), CPACR_FPEN | CPACR_ZEN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ldrq, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, zcr1, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	/* TCPAC: CPACR_EL1 at EL1, EC 0x18 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, cpacr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_put(&v, SYSREG(CPTR_EL2), CPTR_EL2_RES1 | CPTR_EL2_TCPAC);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, cpacr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62340421);
	/* HSTR_EL2 traps AArch32 accesses only: EL1 here is AArch64 */
	el2vm_put(&v, SYSREG(HSTR_EL2), 0xbfff);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, sctlr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_destroy(&v);
}
END_TEST

/*
 * HCR_EL2.API clear: PAuth at EL1 with its key enabled, and PACGA, trap
 * with EC 0x09; APK clear: the key registers at EL1 (EC 0x18).  TDZ makes
 * DCZID_EL0.DZP read 1 below EL2.
 */
START_TEST(el2_pauth_dzp)
{
	static const uint32_t pacia[] = { 0xdac10041 /* pacia x1, x2 */, HVC(3) };
	static const uint32_t paciasp[] = { 0xd503233f /* paciasp */, HVC(3) };
	static const uint32_t pacga[] = { 0x9ac33041 /* pacga x1, x2, x3 */, HVC(3) };
	static const uint32_t key[] = { 0xd5382101 /* mrs x1, apiakeylo_el1 */, HVC(3) };
	static const uint32_t dczid[] = { 0xd53b00e1 /* mrs x1, dczid_el0 */, HVC(3) };
	struct el2vm v;

	el2vm_create_f(&v, F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC));
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	/* EnIA clear: PACIA leaves the pointer, nothing traps; PACGA does */
	el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078);
	el2vm_put(&v, X(1), 0x1000);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pacia, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x1000);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pacga, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x26000000);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	/* EnIA set: PACIA and PACIASP trap at EL1, not at EL2 */
	el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | (1ULL << 31));
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pacia, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x26000000);
	ck_assert_uint_eq(el2vm_run(&v, 0, paciasp, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x26000000);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, pacia, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, key, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62300823);
	/* API and APK set: nothing traps, PACIA signs */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_API | HCR_APK);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pacia, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_ne(el2vm_reg(&v, X(1)), 0x1000);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, key, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	/* DCZID_EL0.DZP: 0 at EL1, 1 under TDZ (which traps DC ZVA), 0 at EL2 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, dczid, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)) & 0x10, 0);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TDZ);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, dczid, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)) & 0x10, 0x10);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, dczid, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)) & 0x10, 0);
	el2vm_destroy(&v);
}
END_TEST

/*
 * MDCR_EL2: TDA, TDOSA, TDRA trap their debug registers at EL1 (TDE all of
 * them) with EC 0x18; TDE makes EL2 the debug target (BRK, breakpoints
 * from EL1 whatever MDSCR_EL1.KDE); TPM and TPMCR trap the PMU registers;
 * HPMN is the number of event counters EL1 sees (KVM resets it to N).
 */

START_TEST(el2_mdcr_traps)
{
	static const uint32_t mdscr[] = { 0xd5300241 /* mrs x1, mdscr_el1 */, HVC(3) };
	static const uint32_t oslsr[] = { 0xd5301181 /* mrs x1, oslsr_el1 */, HVC(3) };
	static const uint32_t mdrar[] = { 0xd5301001 /* mrs x1, mdrar_el1 */, HVC(3) };
	static const uint32_t brk[] = { 0xd42000a0 /* brk #5 */, HVC(3) };
	static const uint32_t nop[] = { NOP, HVC(3) };
	static const uint32_t pmcr[] = { 0xd53b9c01 /* mrs x1, pmcr_el0 */, HVC(3) };
	static const uint32_t pmccntr[] = { 0xd53b9d01 /* mrs x1, pmccntr_el0 */, HVC(3) };
	static const uint32_t pmev2[] = { 0xd53be841 /* mrs x1, pmevcntr2_el0 */, HVC(3) };
	static const struct {
		const uint32_t *code;
		uint64_t bit;
		uint32_t esr;
	} dbg[] = {
		{ mdscr, MDCR_EL2_TDA, 0x62240025 },
		{ oslsr, MDCR_EL2_TDOSA, 0x62280423 },
		{ mdrar, MDCR_EL2_TDRA, 0x62200421 },
	};
	struct kvm_device_attr init = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
					.attr = KVM_ARM_VCPU_PMU_V3_INIT };
	struct el2vm v;
	size_t i;

	el2vm_create_f(&v, F(PMU_V3));
	ck_assert_int_eq(kio(v.t.vcpu, KVM_SET_DEVICE_ATTR, &init), 0);
	/* HPMN at reset: PMCR_EL0.N, every counter EL1's */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MDCR_EL2)),
			  (el2vm_reg(&v, SYSREG(PMCR_EL0)) >> PMCR_N_SHIFT) & 0x1f);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MDCR_EL2)), 6);
	/* a new N before the first run sets HPMN too (kvm_arm_set_nr_counters) */
	el2vm_put(&v, SYSREG(PMCR_EL0), 4ULL << PMCR_N_SHIFT);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MDCR_EL2)), 4);
	el2vm_put(&v, SYSREG(PMCR_EL0), 6ULL << PMCR_N_SHIFT);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MDCR_EL2)), 6);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	for (i = 0; i < ARRAY_SIZE(dbg); i++) {
		el2vm_put(&v, SYSREG(MDCR_EL2), 6);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, dbg[i].code, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
		el2vm_put(&v, SYSREG(MDCR_EL2), 6 | dbg[i].bit);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, dbg[i].code, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), dbg[i].esr);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
		el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TDE);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, dbg[i].code, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), dbg[i].esr);
	}
	/* BRK: to EL1, or under TDE to EL2 (EC 0x3c) */
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, brk, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0xf2000005);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TDE);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, brk, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0xf2000005);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	/* a breakpoint at EL1 without KDE: not taken at EL1, taken to EL2 under TDE */
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_MDE);
	el2vm_put(&v, ONE_REG_SYS(SYS_DBGBVRn_EL1(0)), CODE);
	el2vm_put(&v, ONE_REG_SYS(SYS_DBGBCRn_EL1(0)), 1 | (3 << 1) | (0xf << 5));
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, nop, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TDE);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, nop, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0xc2000022);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_put(&v, ONE_REG_SYS(SYS_DBGBCRn_EL1(0)), 0);
	el2vm_put(&v, SYSREG(MDSCR_EL1), 0);
	/* TPMCR: PMCR_EL0 only; TPM: every PMU register */
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TPMCR);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pmcr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6230e439);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TPM);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6230e43b);
	/* HPMN 2: EL1 sees two counters (N 2, counter 2 UNDEFINED), EL2 six */
	el2vm_put(&v, SYSREG(MDCR_EL2), 2);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pmcr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq((el2vm_reg(&v, X(1)) >> PMCR_N_SHIFT) & 0x1f, 2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, pmcr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq((el2vm_reg(&v, X(1)) >> PMCR_N_SHIFT) & 0x1f, 6);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, pmev2, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, pmev2, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	el2vm_destroy(&v);
}
END_TEST

/*
 * AT S12E1R/W, S12E0R at EL2: both stages into PAR_EL1 (the attributes
 * combined), a stage-2 fault with S; without HCR_EL2.VM stage 1 alone.
 */
#define PAR_S2		0x200ULL			/* PAR_EL1.S */
#define PAGE_OF(a)	((a) & ~0xfffULL)

START_TEST(el2_at_s12)
{
	static const uint32_t code[] = {
		0xd50c7883,	/* at   s12e1r, x3 */
		0xd5387404,	/* mrs  x4, par_el1 */
		0xd50c78a3,	/* at   s12e1w, x3 */
		0xd5387405,	/* mrs  x5, par_el1 */
		0xd50c7882,	/* at   s12e1r, x2 */
		0xd5387406,	/* mrs  x6, par_el1 */
		0xd5087803,	/* at   s1e1r, x3 */
		0xd5387407,	/* mrs  x7, par_el1 */
		HVC(6),
	};
	static const uint32_t at_el1[] = { 0xd50c7883 /* at s12e1r, x3 */, HVC(6) };
	static const uint32_t at_el0[] = { 0xd50c78c3 /* at s12e0r, x3 */,
					  0xd5387408 /* mrs x8, par_el1 */, HVC(6) };
	uint64_t *pt;
	struct el2vm v;

	el2vm_create(&v);
	s2_load(&v, S2AP_R | S2AP_W);
	el2vm_put(&v, X(3), CODE + 0x800);
	el2vm_put(&v, X(2), 0x40001000);
	/* EL1's MMU off: stage 1 flat and Device, stage 2 Normal: Device,
	 * Outer Shareable; an IPA stage 2 lacks: S, translation level 1 */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 9), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), PAGE_OF(CODE + 0x800) | 0x900);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), PAGE_OF(CODE + 0x800) | 0x900);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 0x800 | PAR_S2 | (0x05 << 1) | 1);
	ck_assert_uint_eq(el2vm_reg(&v, X(7)), PAGE_OF(CODE + 0x800) | 0x900);
	/* S2AP read-only: a write is stage 2's permission fault */
	s2_load(&v, S2AP_R);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_VM | HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 9), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), PAGE_OF(CODE + 0x800) | 0x900);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0x800 | PAR_S2 | (0x0d << 1) | 1);
	/* EL1's MMU on, Normal WB (MAIR 0xff): with stage 2's Normal WB 0xff,
	 * with its Device (the first GiB) Device-nGnRnE; EL0 has no access */
	s2_load(&v, S2AP_R | S2AP_W);
	pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
	pt[0] = 0x401;				/* AF, block, AttrIndx 0: EL1 only */
	pt[2] = RAM_GPA | 0x401;
	el2vm_put(&v, SYSREG(MAIR_EL1), 0xff);
	el2vm_put(&v, SYSREG(TCR_EL1), 25);
	el2vm_put(&v, SYSREG(TTBR0_EL1), PT);
	el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M | SCTLR_C);
	el2vm_put(&v, X(2), 0x1000);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 9), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0xff00000000000800ULL | PAGE_OF(CODE + 0x800));
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 0x1000 | 0x900);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, at_el0, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(8)), 0x800 | (0x0d << 1) | 1);	/* stage 1's */
	/* without HCR_EL2.VM: stage 1 alone (here the same PA) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	pt[2] = RAM_GPA | 0x401 | (3 << 8);	/* Inner Shareable */
	el2vm_put(&v, SYSREG(TTBR0_EL1), PT);	/* flushes */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 9), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0xff00000000000980ULL | PAGE_OF(CODE + 0x800));
	/* below EL2: UNDEFINED */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, at_el1, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	el2vm_destroy(&v);
}
END_TEST

/*
 * No VMID tags: an MSR of VTTBR_EL2 with another VMID flushes the soft
 * TLB, so that a stage-2 mapping the guest hypervisor removed without a
 * TLBI is gone for the new VMID (a stale entry would let EL1 run on).
 */
START_TEST(el2_vmid_flush)
{
	static const uint32_t code[] = {
		0xd51c2105,	/* msr  vttbr_el2, x5 */
		0xd5033fdf,	/* isb */
		0xd69f03e0,	/* eret: to CODE + 12 */
		0xf9400061,	/* ldr  x1, [x3] */
		HVC(6),
	};
	uint64_t *s2pt;
	struct el2vm v;

	el2vm_create(&v);
	s2_load(&v, S2AP_R | S2AP_W);
	v.ram[0x2800 / 4] = 0x1234;
	el2vm_put(&v, X(3), CODE + 0x800);
	el2vm_put(&v, X(5), S2PT);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 12);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 5), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x1234);
	/* RAM's GiB goes from stage 2, no TLBI: for VMID 1 the fetch of the
	 * EL1 code the last run translated faults (EC 0x20, level 1) */
	s2pt = (uint64_t *)(void *)(v.ram + 0x6000 / 4);
	s2pt[2] = 0;
	el2vm_put(&v, X(5), S2PT | (1ULL << 48));
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 12);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 5), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x82000005);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 12);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), (CODE >> 12) << 4);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(VTTBR_EL2)), S2PT | (1ULL << 48));
	el2vm_destroy(&v);
}
END_TEST

/*
 * The EL2 timers (E2H 0): CNTVOFF_EL2 under the virtual count at EL2 and
 * EL1 and through ONE_REG; CNTHCTL_EL2.EL1PCTEN/EL1PCEN trapping EL1's
 * and EL0's physical count and timer, after EL0's CNTKCTL_EL1; CNTHP_*
 * as a timer: ISTATUS, TVAL, and WFI at EL2 ending when it fires (no
 * GIC: the level ends WFI, kvm_cpu_has_pending_timer); the HPTIMER and
 * HVTIMER attributes.
 */
#define CNTVOFF		(1ULL << 40)
#define ESR_CNTPCT_X1	0x6232f821u	/* EC 0x18, mrs x1, cntpct_el0 */
#define ESR_CNTP_CTL_X1	0x6232f825u	/* EC 0x18, mrs x1, cntp_ctl_el0 */

START_TEST(el2_timers)
{
	static const uint32_t counts[] = {
		0xd53be021,	/* mrs  x1, cntpct_el0 */
		0xd53be042,	/* mrs  x2, cntvct_el0 */
		0xd53be023,	/* mrs  x3, cntpct_el0 */
		HVC(5),
	};
	static const uint32_t cntpct[] = { 0xd53be021, HVC(5) };
	static const uint32_t cntp_ctl[] = { 0xd53be221 /* mrs x1, cntp_ctl_el0 */, HVC(5) };
	static const uint32_t cntv_ctl[] = { 0xd53be321 /* mrs x1, cntv_ctl_el0 */, HVC(5) };
	static const uint32_t cnthp[] = {
		0xd53ce221,	/* mrs  x1, cnthp_ctl_el2 */
		0xd53ce202,	/* mrs  x2, cnthp_tval_el2 */
		HVC(5),
	};
	static const uint32_t wfi[] = { 0xd503207f, HVC(6) };
	struct kvm_device_attr attr = { .group = KVM_ARM_VCPU_TIMER_CTRL };
	uint64_t p1, v, p2;
	struct el2vm v2;
	int irq = 0;

	el2vm_create(&v2);
	el2vm_put(&v2, SYSREG(CNTVOFF_EL2), CNTVOFF);
	/* at EL2 and at EL1 the virtual count is the physical one less CNTVOFF_EL2 */
	ck_assert_uint_eq(el2vm_run(&v2, EL2H, counts, 4), VBAR2 + CUR_SYNC);
	ck_assert(el2vm_reg(&v2, X(1)) - CNTVOFF <= el2vm_reg(&v2, X(2)));
	ck_assert(el2vm_reg(&v2, X(2)) <= el2vm_reg(&v2, X(3)) - CNTVOFF);
	el2vm_put(&v2, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, counts, 4), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), 0x5a000005);
	ck_assert(el2vm_reg(&v2, X(1)) - CNTVOFF <= el2vm_reg(&v2, X(2)));
	ck_assert(el2vm_reg(&v2, X(2)) <= el2vm_reg(&v2, X(3)) - CNTVOFF);
	/* ONE_REG: the same relation; TIMER_CNT moves both counts */
	p1 = el2vm_reg(&v2, KVM_REG_ARM_PTIMER_CNT);
	v = el2vm_reg(&v2, KVM_REG_ARM_TIMER_CNT);
	p2 = el2vm_reg(&v2, KVM_REG_ARM_PTIMER_CNT);
	ck_assert(p1 - CNTVOFF <= v && v <= p2 - CNTVOFF);
	el2vm_put(&v2, KVM_REG_ARM_TIMER_CNT, 1000);
	v = el2vm_reg(&v2, KVM_REG_ARM_TIMER_CNT);
	p1 = el2vm_reg(&v2, KVM_REG_ARM_PTIMER_CNT);
	ck_assert(v >= 1000 && v < (1ULL << 39));
	ck_assert(p1 - CNTVOFF >= v && p1 - CNTVOFF < (1ULL << 39));
	/* the virtual timer compares with the offset count: CNTVOFF_EL2 moves ISTATUS */
	el2vm_put(&v2, KVM_REG_ARM_TIMER_CVAL, 1ULL << 37);
	el2vm_put(&v2, KVM_REG_ARM_TIMER_CTL, 1);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntv_ctl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, X(1)), 1);
	el2vm_put(&v2, SYSREG(CNTVOFF_EL2), CNTVOFF - (1ULL << 38));
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntv_ctl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, X(1)), 5);
	el2vm_put(&v2, KVM_REG_ARM_TIMER_CTL, 0);

	/* CNTHCTL_EL2.EL1PCTEN clear: CNTPCT_EL0 at EL1 traps; CNTVCT does not */
	el2vm_put(&v2, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCEN);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), ESR_CNTPCT_X1);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ELR_EL2)), CODE);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntp_ctl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), 0x5a000005);
	/* at EL0: CNTKCTL_EL1.EL0PCTEN clear traps to EL1 first */
	ck_assert_uint_eq(el2vm_run(&v2, 0, cntpct, 2), VBAR1 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL1)), ESR_CNTPCT_X1);
	el2vm_put(&v2, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0PCTEN | CNTKCTL_EL0PTEN);
	ck_assert_uint_eq(el2vm_run(&v2, 0, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), ESR_CNTPCT_X1);
	/* EL1PCEN clear: the EL1 physical timer traps */
	el2vm_put(&v2, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntp_ctl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), ESR_CNTP_CTL_X1);
	ck_assert_uint_eq(el2vm_run(&v2, 0, cntp_ctl, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), ESR_CNTP_CTL_X1);
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), 0x5a000005);
	/* the fields beyond the E2H 0 layout's and FEAT_ECV's (13-17) are RES0 */
	el2vm_put(&v2, X(1), ~0ULL);
	{
		static const uint32_t msr[] = { 0xd51ce101 /* msr cnthctl_el2, x1 */, HVC(5) };

		ck_assert_uint_eq(el2vm_run(&v2, EL2H, msr, 2), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(CNTHCTL_EL2)), 0xff | CNTHCTL_ECV1_MASK);
	}

	/* CNTHP: a CVAL passed is ISTATUS, TVAL its negative distance */
	el2vm_put(&v2, SYSREG(CNTHP_CVAL_EL2), 0x100);
	el2vm_put(&v2, SYSREG(CNTHP_CTL_EL2), 1);
	ck_assert_uint_eq(el2vm_run(&v2, EL2H, cnthp, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, X(1)), 5);
	ck_assert_uint_eq(el2vm_reg(&v2, X(2)) >> 32, 0);
	/* ... not below EL2 */
	ck_assert_uint_eq(el2vm_run(&v2, EL1H, cnthp, 3), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL1)), 0x02000000);
	/* a fired CNTHP ends WFI at EL2 (no GIC: the level wakes it) */
	ck_assert_uint_eq(el2vm_run(&v2, EL2H, wfi, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), 0x5a000006);
	/* one in the future: WFI sleeps until it fires (1 ms of counts) */
	el2vm_put(&v2, SYSREG(CNTHP_CVAL_EL2), el2vm_reg(&v2, KVM_REG_ARM_PTIMER_CNT) + 62500);
	ck_assert_uint_eq(el2vm_run(&v2, EL2H, wfi, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v2, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert(el2vm_reg(&v2, KVM_REG_ARM_PTIMER_CNT) >= el2vm_reg(&v2, SYSREG(CNTHP_CVAL_EL2)));
	el2vm_put(&v2, SYSREG(CNTHP_CTL_EL2), 0);

	/* the EL2 timers' PPIs: KVM's defaults, 28 and 26 */
	attr.addr = (uint64_t)(uintptr_t)&irq;
	attr.attr = KVM_ARM_VCPU_TIMER_IRQ_HPTIMER;
	ck_assert_int_eq(kio(v2.t.vcpu, KVM_HAS_DEVICE_ATTR, &attr), 0);
	ck_assert_int_eq(kio(v2.t.vcpu, KVM_GET_DEVICE_ATTR, &attr), 0);
	ck_assert_int_eq(irq, 26);
	attr.attr = KVM_ARM_VCPU_TIMER_IRQ_HVTIMER;
	ck_assert_int_eq(kio(v2.t.vcpu, KVM_HAS_DEVICE_ATTR, &attr), 0);
	ck_assert_int_eq(kio(v2.t.vcpu, KVM_GET_DEVICE_ATTR, &attr), 0);
	ck_assert_int_eq(irq, 28);
	/* without an in-kernel GIC there is nothing to set */
	ck_assert_int_eq(kio(v2.t.vcpu, KVM_SET_DEVICE_ATTR, &attr), -EINVAL);
	el2vm_destroy(&v2);
}
END_TEST

/*
 * FEAT_VHE (HCR_EL2.E2H): the EL1 encodings at EL2 reaching the EL2
 * registers and the _EL12 and _EL02 ones the EL1/EL0 ones (UNDEFINED
 * without E2H);
 * CNTVCT_EL0 at EL2 without CNTVOFF_EL2, CNTHV through CNTV_*_EL0;
 * CNTHCTL_EL2's E2H layout; CPTR_EL2's (FPEN); the EL2&0 regime: TTBR1_EL2,
 * EL0 under TGE translated by it, PAN at EL2 and set on entry under TGE.
 */

/*
 * EL2&0 with HCR_EL2.{E2H,TGE} {1,1}: AT S1E1* at EL2 translate in EL2&0,
 * HCR_EL2.TDZ and TPU are not EL0's there, MDCR_EL2.TDE acts as 1.
 */
START_TEST(el2_vhe_host)
{
	static const uint32_t at[] = {
		0xd5087802,	/* at   s1e1r, x2 */
		0xd5387403,	/* mrs  x3, par_el1 */
		0xd5087844,	/* at   s1e0r, x4 */
		0xd5387405,	/* mrs  x5, par_el1 */
		HVC(5),
	};
	static const uint32_t zva[] = { 0xd50b7422 /* dc zva, x2 */, HVC(5) };
	static const uint32_t cvau[] = { 0xd50b7b22 /* dc cvau, x2 */, HVC(5) };
	static const uint32_t mdccsr[] = { 0xd5330101 /* mrs x1, mdccsr_el0 */, HVC(5) };
	const uint64_t host = HCR_RW | HCR_E2H | HCR_TGE;
	uint64_t *pt, *pt2;
	struct el2vm v;

	/* el2_vhe's EL2&0 tables: RAM at 2 GiB (EL2 only), 3 GiB (EL0 too),
	 * and at the top half's first GiB */
	el2vm_create(&v);
	pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
	pt2 = (uint64_t *)(void *)(v.ram + 0x5000 / 4);
	pt[0] = 0x405;		/* the vectors' MMIO */
	pt[2] = RAM_GPA | 0x401;
	pt[3] = RAM_GPA | 0x441 | (1ULL << 54);
	pt2[0] = RAM_GPA | 0x401;
	el2vm_put(&v, SYSREG(TCR_EL2), 25 | (25ULL << 16) | (2ULL << 30) | (5ULL << 32));
	el2vm_put(&v, SYSREG(TTBR0_EL2), PT);
	el2vm_put(&v, SYSREG(TTBR1_EL2), PT2);
	el2vm_put(&v, SYSREG(MAIR_EL2), 0x00ff);
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M | SCTLR_SPAN |
		  SCTLR_DZE | SCTLR_UCI);

	/* AT S1E1R at EL2 in EL2&0: TTBR1_EL2's RAM; S1E0R: EL0's permissions */
	el2vm_put(&v, SYSREG(HCR_EL2), host);
	el2vm_put(&v, X(2), 0xffffff8000002800ULL);
	el2vm_put(&v, X(4), RAM_GPA + 0x2800);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, at, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(3)) & 0xfffffffff001ULL, RAM_GPA + 0x2000);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)) & 0x7f, 0x1b);	/* F, permission L1 */
	el2vm_put(&v, X(4), 0xc0002800ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, at, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)) & 0xfffffffff001ULL, RAM_GPA + 0x2000);
	/* with TGE clear the EL1&0 regime (SCTLR_EL1.M 0: flat, 48-bit PA) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	el2vm_put(&v, X(2), 0xc0002800ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, at, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(3)) & 0xfffffffff001ULL, 0xc0002000ULL);

	/* HCR_EL2.TDZ, TPU: not EL0's in EL2&0 (SCTLR_EL2.DZE, UCI its gates) */
	el2vm_put(&v, SYSREG(HCR_EL2), host | HCR_TDZ | HCR_TPU);
	ck_assert_uint_eq(el2vm_run(&v, 0, zva, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);	/* the HVC */
	ck_assert_uint_eq(el2vm_run(&v, 0, cvau, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	/* ... and they trap EL1 (TGE clear) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TDZ);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, zva, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62000000u | ESR_SYS64_ISS(zva[0]));

	/* MDCR_EL2.TDE as 1 under TGE: EL0's DCC access traps to EL2 */
	el2vm_put(&v, SYSREG(MDCR_EL2), 0);
	el2vm_put(&v, SYSREG(HCR_EL2), host);
	ck_assert_uint_eq(el2vm_run(&v, 0, mdccsr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62000000u | ESR_SYS64_ISS(mdccsr[0]));
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TGE);
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1);
	ck_assert_uint_eq(el2vm_run(&v, 0, mdccsr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62000000u | ESR_SYS64_ISS(mdccsr[0]));
	/* without TGE EL0 reads it (then its HVC is UNDEFINED, to EL1) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, 0, mdccsr, 2), VBAR1 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_vhe)
{
	static const uint32_t redirect[] = {
		0xd5381001,	/* mrs  x1, sctlr_el1 */
		0xd53d1002,	/* mrs  x2, sctlr_el12 */
		0xd518d023,	/* msr  contextidr_el1, x3 */
		0xd51dd024,	/* msr  contextidr_el12, x4 */
		0xd538e105,	/* mrs  x5, cntkctl_el1 */
		HVC(5),
	};
	static const uint32_t el12[] = { 0xd53d1002 /* mrs x2, sctlr_el12 */, HVC(5) };
	static const uint32_t counts[] = { 0xd53be021, 0xd53be042, 0xd53be023, HVC(5) };
	static const uint32_t cntv[] = {
		0xd51be341,	/* msr  cntv_cval_el0, x1: CNTHV_CVAL_EL2 */
		0xd51be322,	/* msr  cntv_ctl_el0, x2: CNTHV_CTL_EL2 */
		0xd51de343,	/* msr  cntv_cval_el02, x3: CNTV_CVAL_EL0 */
		0xd53be326,	/* mrs  x6, cntv_ctl_el0 */
		HVC(5),
	};
	static const uint32_t cntpct[] = { 0xd53be021, HVC(5) };
	static const uint32_t wfi[] = { 0xd503207f, HVC(6) };
	static const uint32_t wfi0[] = { 0xd503207f, HVC(5) };
	static const uint32_t fmov[] = { 0x9e670020 /* fmov d0, x1 */, HVC(5) };
	static const uint32_t ldr[] = { 0xf9400041 /* ldr x1, [x2] */, HVC(5) };
	static const uint32_t svc[] = { 0xd4000121 /* svc #9 */ };
	uint64_t *pt, *pt2;
	struct el2vm v;

	el2vm_create(&v);
	/* without E2H the aliases are UNDEFINED, and the EL1 encodings EL1's */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, el12, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), 0x303);
	el2vm_put(&v, X(3), 0x33);
	el2vm_put(&v, X(4), 0x44);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, redirect, 6), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000005);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), SCTLR_EL2_RES1);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 0x00c50078);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CONTEXTIDR_EL2)), 0x33);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CONTEXTIDR_EL1)), 0x44);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0x303);
	/* at EL1 (TGE clear) the EL1 encodings are EL1's; the aliases UNDEFINED */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, redirect, 6), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0x00c50078);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);

	/* CNTVCT_EL0 at EL2 with E2H: no CNTVOFF_EL2; at EL1 it applies */
	el2vm_put(&v, SYSREG(CNTVOFF_EL2), CNTVOFF);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, counts, 4), VBAR2 + CUR_SYNC);
	ck_assert(el2vm_reg(&v, X(1)) <= el2vm_reg(&v, X(2)));
	ck_assert(el2vm_reg(&v, X(2)) <= el2vm_reg(&v, X(3)));
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_E2H_EL1PCTEN | CNTHCTL_E2H_EL1PTEN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, counts, 4), VBAR2 + LOW_SYNC);
	ck_assert(el2vm_reg(&v, X(1)) - CNTVOFF <= el2vm_reg(&v, X(2)));
	ck_assert(el2vm_reg(&v, X(2)) <= el2vm_reg(&v, X(3)) - CNTVOFF);
	/* CNTHCTL_EL2 (E2H 1): EL1PCTEN is bit 10 */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_E2H_EL1PTEN | CNTHCTL_EL1PCTEN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_CNTPCT_X1);
	/* EL0 in EL2&0 (TGE): CNTHCTL_EL2.EL0PCTEN (bit 0) is its gate, to EL2 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), 0);
	ck_assert_uint_eq(el2vm_run(&v, 0, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_CNTPCT_X1);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN);	/* EL0PCTEN */
	ck_assert_uint_eq(el2vm_run(&v, 0, cntpct, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);	/* the HVC */

	/* CNTV_*_EL0 at EL2 are CNTHV_*, CNTV_*_EL02 the EL1 virtual timer */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	el2vm_put(&v, X(1), 0x100);
	el2vm_put(&v, X(2), 1);
	el2vm_put(&v, X(3), 0x123456789ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, cntv, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CNTHV_CVAL_EL2)), 0x100);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CNTHV_CTL_EL2)), 1);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 5);		/* CNTHV's ISTATUS */
	ck_assert_uint_eq(el2vm_reg(&v, KVM_REG_ARM_TIMER_CVAL), 0x123456789ULL);
	/* a fired CNTHV ends WFI at EL2 */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, wfi, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000006);
	el2vm_put(&v, SYSREG(CNTHV_CTL_EL2), 0);

	/* CPTR_EL2 (E2H 1): FPEN 00 traps EL2's FP; 01 EL0's under TGE */
	el2vm_put(&v, SYSREG(CPTR_EL2), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, fmov, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x1fe00000);
	el2vm_put(&v, SYSREG(CPTR_EL2), 1ULL << 20);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, fmov, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000005);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	ck_assert_uint_eq(el2vm_run(&v, 0, fmov, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x1fe00000);
	el2vm_put(&v, SYSREG(CPTR_EL2), 3ULL << 20);	/* CPACR_EL1 0: not EL0's gate here */
	ck_assert_uint_eq(el2vm_run(&v, 0, fmov, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	/*
	 * HCR_EL2.TWI is not EL0's in EL2&0 (SCTLR_EL2.nTWI set: no trap);
	 * a fired CNTHP (no GIC) ends the WFI.  Outside EL2&0 it traps.
	 */
	el2vm_put(&v, SYSREG(CNTHP_CVAL_EL2), 0);
	el2vm_put(&v, SYSREG(CNTHP_CTL_EL2), 1);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE | HCR_TWI);
	ck_assert_uint_eq(el2vm_run(&v, 0, wfi0, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TWI);
	ck_assert_uint_eq(el2vm_run(&v, 0, wfi0, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x07e00000);
	el2vm_put(&v, SYSREG(CNTHP_CTL_EL2), 0);

	/*
	 * The EL2&0 regime: TCR_EL2 in TCR_EL1's layout, 39-bit VAs both
	 * halves, 4K granules.  TTBR0_EL2: Device at 0, RAM at 2 GiB (EL0 no
	 * access), RAM again at 3 GiB (EL0 read/write); TTBR1_EL2: RAM at
	 * the top half's first GiB.
	 */
	pt = (uint64_t *)(void *)(v.ram + 0x4000 / 4);
	pt2 = (uint64_t *)(void *)(v.ram + 0x5000 / 4);
	pt[0] = 0x405;
	pt[2] = RAM_GPA | 0x401;
	pt[3] = RAM_GPA | 0x441 | (1ULL << 54);	/* AP 01, UXN */
	pt2[0] = RAM_GPA | 0x401;
	v.ram[0x2800 / 4] = 0xabcd;
	el2vm_put(&v, SYSREG(TCR_EL2), 25 | (25ULL << 16) | (2ULL << 30) | (5ULL << 32));
	el2vm_put(&v, SYSREG(TTBR0_EL2), PT);
	el2vm_put(&v, SYSREG(TTBR1_EL2), PT2);
	el2vm_put(&v, SYSREG(MAIR_EL2), 0x00ff);
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M | SCTLR_SPAN);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	/* EL2 through TTBR1_EL2 */
	el2vm_put(&v, X(2), 0xffffff8000002800ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, ldr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000005);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0xabcd);
	/* PAN at EL2: the EL0-accessible alias faults (permission, level 1) */
	el2vm_put(&v, X(2), 0xc0002800ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H | PSR_PAN, ldr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x9600000d);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, ldr, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0xabcd);
	/* EL0 under TGE: the same regime, EL0's permissions */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, X(1), 0);
	ck_assert_uint_eq(el2vm_run(&v, 0, ldr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);	/* the HVC */
	ck_assert_uint_eq(el2vm_reg(&v, X(1)), 0xabcd);
	el2vm_put(&v, X(2), RAM_GPA + 0x2800);
	ck_assert_uint_eq(el2vm_run(&v, 0, ldr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x9200000d);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), RAM_GPA + 0x2800);
	/* entry to EL2 under E2H and TGE sets PAN unless SCTLR_EL2.SPAN */
	ck_assert_uint_eq(el2vm_run(&v, 0, svc, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, PSTATE_ID) & PSR_PAN, 0);
	el2vm_put(&v, SYSREG(SCTLR_EL2), (SCTLR_EL2_RES1 & ~SCTLR_SPAN) | SCTLR_M);
	ck_assert_uint_eq(el2vm_run(&v, 0, svc, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, PSTATE_ID) & PSR_PAN, PSR_PAN);
	el2vm_destroy(&v);
}
END_TEST

/*
 * The MRS and DC ZVA fast forms (kernel/cpu/exec_sys.c, exec_maint.c; and
 * inline, kernel/cpu/jit/sys.c, when run with every block translated:
 * tests/jit/jit.mk's unit_lockstep): EL1 with its MMU on, so that DC ZVA's
 * page is in the TLB (the store before it); each value read, each trap
 * and UNDEFINED exception at its instruction with its syndrome, and a DC
 * ZVA that zeroes the rest of its own block ending it there.
 */
#define HOT_DATA	(RAM_GPA + 0x3000)
#define SP_ID		CORE_REG(regs.sp, KVM_REG_SIZE_U64)

static void hot_fill(struct el2vm *v)
{
	unsigned int i;

	for (i = 0; i < 0x100 / 4; i++)
		v->ram[(HOT_DATA - RAM_GPA) / 4 + i] = 0x55555555;
}

/* the 32-bit words at HOT_DATA + 0x40..0x7f are 0 (else 0x55555555), the
 * ones around them 0x55555555 */
static bool hot_zeroed(struct el2vm *v, bool zero)
{
	const uint32_t *w = v->ram + (HOT_DATA - RAM_GPA) / 4;
	unsigned int i;

	for (i = 0; i < 0x100 / 4; i++)
		if (w[i] != ((zero && i >= 0x10 && i < 0x20) ? 0 : 0x55555555))
			return false;
	return true;
}

START_TEST(el2_hot_sys)
{
	static const uint32_t hot[] = {
		0xf90000ff,	/* str  xzr, [x7] */
		0xd50b7421,	/* dc   zva, x1 */
		0xd5384102,	/* mrs  x2, sp_el0 */
		0xd538d083,	/* mrs  x3, tpidr_el1 */
		0xd53b4224,	/* mrs  x4, daif */
		0xd53b0025,	/* mrs  x5, ctr_el0 */
		0xd53b00e6,	/* mrs  x6, dczid_el0 */
		HVC(3),
	};
	static const uint32_t ctr[] = { 0xd53b0025 /* mrs x5, ctr_el0 */, HVC(3) };
	uint32_t own[32];
	struct el2vm v;
	uint64_t ctr_el0;
	uint64_t *pt;
	unsigned int i;

	el2vm_create(&v);
	/* EL1's stage 1 as el2_stage1's: Device below 1 GiB, RAM's GiB Normal */
	pt = (uint64_t *)(void *)(v.ram + (PT - RAM_GPA) / 4);
	pt[0] = 0x405;
	pt[2] = RAM_GPA | 0x401;
	el2vm_put(&v, SYSREG(TCR_EL1), 25 | (1ULL << 23) | (5ULL << 32));
	el2vm_put(&v, SYSREG(TTBR0_EL1), PT);
	el2vm_put(&v, SYSREG(MAIR_EL1), 0x00ff);
	el2vm_put(&v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M | SCTLR_C);
	el2vm_put(&v, SP_ID, 0x1234567890abcdefULL);
	el2vm_put(&v, SYSREG(TPIDR_EL1), 0xfedcba0987654321ULL);
	el2vm_put(&v, X(1), HOT_DATA + 0x48);		/* not aligned */
	el2vm_put(&v, X(7), HOT_DATA + 0x800);
	/* CTR_EL0 as EL2 reads it (the reference path: not EL1) */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, ctr, 2), VBAR2 + CUR_SYNC);
	ctr_el0 = el2vm_reg(&v, X(5));
	ck_assert_uint_ne(ctr_el0, 0);

	/* nothing traps: the values, and exactly DCZID's 64-byte block zeroed */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	hot_fill(&v);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hot, 8), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000003);
	ck_assert_uint_eq(el2vm_reg(&v, X(2)), 0x1234567890abcdefULL);
	ck_assert_uint_eq(el2vm_reg(&v, X(3)), 0xfedcba0987654321ULL);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x3c0);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), ctr_el0);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 4);
	ck_assert(hot_zeroed(&v, true));

	/* TDZ: DC ZVA traps (its page in the TLB), nothing zeroed */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TDZ);
	hot_fill(&v);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hot, 8), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6212dc28);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	ck_assert(hot_zeroed(&v, false));

	/* TID2: MRS CTR_EL0 traps, the MRS before it done */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_TID2);
	el2vm_put(&v, X(4), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hot, 8), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6232c0a1);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 20);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x3c0);

	/* EL1t: MRS SP_EL0 is UNDEFINED (SP_EL0 is the SP) */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	ck_assert_uint_eq(el2vm_run(&v, 0x3c4, hot, 8), VBAR1);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	ck_assert_uint_eq(el2vm_reg(&v, ELR1_ID), CODE + 8);

	/* a translation fault: a data abort with WnR at the DC ZVA */
	el2vm_put(&v, X(1), 0x40000048);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, hot, 8), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x96000045);
	ck_assert_uint_eq(el2vm_reg(&v, ELR1_ID), CODE + 4);

	/* DC ZVA zeroes the rest of the block it is in: the word after it
	 * (0: UDF) runs, not what was decoded there */
	own[0] = 0xf90000ff;			/* str  xzr, [x7] */
	for (i = 1; i < 15; i++)
		own[i] = 0x91000529;		/* add  x9, x9, #1 */
	own[15] = 0xd50b7421;			/* dc   zva, x1 */
	for (i = 16; i < 32; i++)
		own[i] = HVC(4);
	el2vm_put(&v, X(1), CODE + 0x48);
	el2vm_put(&v, X(7), CODE + 0x800);
	el2vm_put(&v, X(9), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, own, 32), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	ck_assert_uint_eq(el2vm_reg(&v, ELR1_ID), CODE + 0x40);
	ck_assert_uint_eq(el2vm_reg(&v, X(9)), 14);
	ck_assert_uint_eq(v.ram[(CODE - RAM_GPA) / 4 + 15], 0xd50b7421);
	ck_assert_uint_eq(v.ram[(CODE - RAM_GPA) / 4 + 16], 0);
	el2vm_destroy(&v);
}
END_TEST

Suite *el2_suite(void)
{
	Suite *s = suite_create("el2");
	TCase *tc = tcase_create("el2");

	tcase_add_test(tc, el2_plain_vcpu);
	tcase_add_test(tc, el2_features);
	tcase_add_test(tc, el2_reset_state);
	tcase_add_test(tc, el2_id_regs);
	tcase_add_test(tc, el2_one_reg);
	tcase_add_test(tc, el2_reg_list);
	tcase_add_test(tc, el2_hvc_eret);
	tcase_add_test(tc, el2_hcr_traps);
	tcase_add_test(tc, el2_regs_by_el);
	tcase_add_test(tc, el2_isr_midr);
	tcase_add_test(tc, el2_sve_len);
	tcase_add_test(tc, el2_interrupt_routing);
	tcase_add_test(tc, el2_stage1);
	tcase_add_test(tc, el2_stage2);
	tcase_add_test(tc, el2_nv2_s2);
	tcase_add_test(tc, el2_s1_perm_before_s2);
	tcase_add_test(tc, el2_cptr_traps);
	tcase_add_test(tc, el2_pauth_dzp);
	tcase_add_test(tc, el2_hot_sys);
	tcase_add_test(tc, el2_mdcr_traps);
	tcase_add_test(tc, el2_at_s12);
	tcase_add_test(tc, el2_vmid_flush);
	tcase_add_test(tc, el2_timers);
	tcase_add_test(tc, el2_vhe);
	tcase_add_test(tc, el2_vhe_host);
	tcase_add_test(tc, el2_nv);
	tcase_add_test(tc, el2_nv2_off);
	tcase_add_test(tc, el2_nv2);
	tcase_add_test(tc, el2_nv2_sve);
	tcase_add_test(tc, el2_nv2_mte);
	suite_add_tcase(s, tc);
	return s;
}
