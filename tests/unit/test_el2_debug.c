// SPDX-License-Identifier: GPL-2.0
/*
 * Self-hosted debug with EL2 as the debug target (kernel/cpu/debug.c, Arm
 * ARM D2): the breakpoint and watchpoint HMC/SSC/PxC table of a vCPU with
 * EL2 and no EL3 (EL2&0's EL0 included), the context-aware breakpoint
 * types EL2 adds (VMID, CONTEXTIDR_EL2) on the one context-aware
 * breakpoint such a vCPU advertises, software step at EL2 and out of EL2
 * by ERET, BRK at EL2, the OS locks, and the syndromes (EC 0x30-0x35, ISV,
 * EX, WnR) with FAR_EL2.  The code runs on el2_vm.h's vCPU, whose every
 * vector exits to an MMIO store; the SCTLRs are 0 (no translation).
 */
#include <string.h>

#include "el2_vm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EL2H_D0		0x1c9ULL	/* EL2h, A, I, F masked, D clear */
#define EL1H_D0		0x1c5ULL
#define EL0T		0x3c0ULL	/* EL0t (DAIF set: D means nothing below the target) */
#define SS		PSR_SS_BIT
#define DATA		(RAM_GPA + 0x3000)

#define ESR(ec, iss)	((uint64_t)(ec) << 26 | 1ULL << 25 | (iss))
#define ESR_HVC3	ESR(0x16, 3)
#define ISV		(1u << 24)
#define EX		(1u << 6)
#define WNR		(1u << 6)

#define ERET		0xd69f03e0u
#define LDXR_X1_X2	0xc85f7c41u
#define STR_X1_X2	0xf9000041u
#define LDR_X1_X2	0xf9400041u
#define LDTR_X1_X2	0xf8400841u
#define MSR_OSLAR_X3	0xd5101083u
#define MSR_OSDLR_X3	(0xd5000000u | (uint32_t)SYS_OSDLR_EL1 << 5 | 3)
#define BRK(n)		(0xd4200000u | (uint32_t)(n) << 5)

/* DBGBCR/DBGWCR fields */
#define CTL(hmc, ssc, pxc) \
	(1ULL | (uint64_t)(pxc) << 1 | (uint64_t)(hmc) << 13 | (uint64_t)(ssc) << 14)
#define BCR(hmc, ssc, pxc, bt)	(CTL(hmc, ssc, pxc) | 0xfULL << 5 | (uint64_t)(bt) << 20)
#define LBN(n)			((uint64_t)(n) << 16)
#define WCR(hmc, ssc, pxc, lsc, bas) \
	(CTL(hmc, ssc, pxc) | (uint64_t)(lsc) << 3 | (uint64_t)(bas) << 5)
#define LSC_LOAD	1
#define LSC_STORE	2

#define BCR_ID(n)	ONE_REG_SYS(SYS_DBGBCRn_EL1(n))
#define BVR_ID(n)	ONE_REG_SYS(SYS_DBGBVRn_EL1(n))
#define WCR_ID(n)	ONE_REG_SYS(SYS_DBGWCRn_EL1(n))
#define WVR_ID(n)	ONE_REG_SYS(SYS_DBGWVRn_EL1(n))

/* The vCPU with MDSCR_EL1 mdscr, MDCR_EL2 6 | mdcr, HCR_EL2 hcr */
static void dbg_vm(struct el2vm *v, uint32_t f, uint64_t mdscr, uint64_t mdcr, uint64_t hcr)
{
	el2vm_create_f(v, f);
	el2vm_put(v, SYSREG(MDSCR_EL1), mdscr);
	el2vm_put(v, SYSREG(MDCR_EL2), 6 | mdcr);
	el2vm_put(v, SYSREG(HCR_EL2), hcr);
}

/* Run code at pstate to a vector: it is expected, and ESR_EL2 is esr */
static void run_to_el2(struct el2vm *v, uint64_t pstate, const uint32_t *code, unsigned int n,
		       uint64_t vector, uint64_t esr)
{
	ck_assert_uint_eq(el2vm_run(v, pstate, code, n), vector);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ESR_EL2)), esr);
}

/*
 * The valid HMC:SSC:PxC of a vCPU with EL2, no EL3 and no Secure state
 * (CheckValidStateMatch(): SSC 0b01 and 0b10, HMC 0 with SSC 0b1x, PxC
 * 0b00 but for 1:11:00 and HMC 1 with PxC 0b10 are reserved here), and the
 * ELs each matches at (AArch64.StateMatch()); the rest are disabled.
 */
static const struct state_row {
	unsigned int hmc, ssc, pxc;
	bool el2, el1, el0;
} valid_rows[] = {
	{ 0, 0, 1, false, true, false },
	{ 0, 0, 2, false, false, true },
	{ 0, 0, 3, false, true, true },
	{ 1, 0, 1, true, true, false },
	{ 1, 0, 3, true, true, true },
	{ 1, 3, 0, true, false, false },
};

static struct state_row row_of(unsigned int hmc, unsigned int ssc, unsigned int pxc)
{
	struct state_row r = { hmc, ssc, pxc, false, false, false };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid_rows); i++)
		if (valid_rows[i].hmc == hmc && valid_rows[i].ssc == ssc && valid_rows[i].pxc == pxc)
			r = valid_rows[i];
	return r;
}

/*
 * Each of the 32 HMC:SSC:PxC on an address breakpoint at the code, run at
 * EL2, EL1 and EL0 under MDCR_EL2.TDE, and at EL2 and EL2&0's EL0 under
 * HCR_EL2.{E2H,TGE}: a breakpoint exception to EL2 exactly where the table
 * says (EC 0x31 from EL2, 0x30 from below), else the HVC (or at EL0 the
 * UNDEFINED HVC) that follows.
 */
START_TEST(el2_dbg_bp_state)
{
	static const uint32_t code[] = { NOP, HVC(3) };
	unsigned int i, host;

	for (host = 0; host < 2; host++) {
		struct el2vm v;

		dbg_vm(&v, 0, MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE,
		       HCR_RW | (host ? HCR_E2H | HCR_TGE : 0));
		el2vm_put(&v, BVR_ID(0), CODE);
		for (i = 0; i < 32; i++) {
			struct state_row r = row_of(i >> 4, (i >> 2) & 3, i & 3);

			el2vm_put(&v, BCR_ID(0), BCR(r.hmc, r.ssc, r.pxc, 0));
			run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC,
				   r.el2 ? ESR(0x31, 0x22) : ESR_HVC3);
			if (r.el2)
				ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
			if (!host)
				run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC,
					   r.el1 ? ESR(0x30, 0x22) : ESR_HVC3);
			if (r.el0) {
				run_to_el2(&v, EL0T, code, 2, VBAR2 + LOW_SYNC, ESR(0x30, 0x22));
			} else if (host) {
				/* HVC at EL0: UNDEFINED, to EL2 under TGE */
				run_to_el2(&v, EL0T, code, 2, VBAR2 + LOW_SYNC, ESR(0, 0));
			} else {
				ck_assert_uint_eq(el2vm_run(&v, EL0T, code, 2), VBAR1 + LOW_SYNC);
				ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR(0, 0));
			}
		}
		el2vm_destroy(&v);
	}
}
END_TEST

/*
 * At EL2 breakpoints need MDSCR_EL1.MDE and KDE, PSTATE.D clear, EL2 the
 * debug target (TDE or TGE), and the OS lock and OS double lock clear.
 */
START_TEST(el2_dbg_bp_enable)
{
	static const uint32_t code[] = { NOP, HVC(3) };
	static const uint32_t lock[] = { MSR_OSLAR_X3, NOP, HVC(3) };
	static const uint32_t dlock[] = { MSR_OSDLR_X3, NOP, HVC(3) };
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	el2vm_put(&v, BVR_ID(0), CODE);
	el2vm_put(&v, BCR_ID(0), BCR(1, 0, 1, 0));
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	run_to_el2(&v, EL2H, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);		/* D */
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);					/* target EL1 */
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);		/* TGE: EL2 */
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_MDE);				/* no KDE */
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_KDE);				/* no MDE */
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	/* the OS lock, then the OS double lock, set by the code at EL2 */
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_MDE | MDSCR_KDE);
	el2vm_put(&v, BVR_ID(0), CODE + 4);
	el2vm_put(&v, X(3), 0);
	run_to_el2(&v, EL2H_D0, lock, 3, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	el2vm_put(&v, X(3), 1);
	run_to_el2(&v, EL2H_D0, lock, 3, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, X(3), 0);
	run_to_el2(&v, EL2H_D0, lock, 3, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	el2vm_put(&v, X(3), 1);
	run_to_el2(&v, EL2H_D0, dlock, 3, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, X(3), 0);
	run_to_el2(&v, EL2H_D0, dlock, 3, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	/* BRK at EL2 goes to EL2 whatever the debug target, D and the locks */
	{
		static const uint32_t brk[] = { BRK(7), HVC(3) };

		el2vm_put(&v, SYSREG(MDCR_EL2), 6);
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
		run_to_el2(&v, EL2H, brk, 2, VBAR2 + CUR_SYNC, ESR(0x3c, 7));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * Context breakpoints on a vCPU with EL2: only breakpoint 5 is
 * context-aware (ID_AA64DFR0_EL1.CTX_CMPs 0); BT 0b0010 compares
 * CONTEXTIDR_EL1 at EL0/EL1 and CONTEXTIDR_EL2 at EL2 with E2H; 0b1000
 * the 8-bit VMID at EL0/EL1 only; 0b1100 CONTEXTIDR_EL2 (FEAT_VHE: not on
 * an E2H0 vCPU); a linked address breakpoint through a linked VMID one.
 */
START_TEST(el2_dbg_bp_context)
{
	static const uint32_t code[] = { NOP, HVC(3) };
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	ck_assert_uint_eq((el2vm_reg(&v, SYSREG(ID_AA64DFR0_EL1)) >> 28) & 0xf, 0);
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL1), 0x55);
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL2), 0x77);
	/* CONTEXTIDR_EL1 on breakpoint 4: not context-aware, disabled */
	el2vm_put(&v, BVR_ID(4), 0x55);
	el2vm_put(&v, BCR_ID(4), BCR(1, 0, 3, 2));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	el2vm_put(&v, BCR_ID(4), 0);
	/* ...on breakpoint 5 */
	el2vm_put(&v, BVR_ID(5), 0x55);
	el2vm_put(&v, BCR_ID(5), BCR(1, 0, 3, 2));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR(0x30, 0x22));
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL1), 0x56);
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	/* at EL2: no CONTEXTIDR_EL1 match; with E2H CONTEXTIDR_EL2 */
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL1), 0x55);
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H);
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, BVR_ID(5), 0x77);
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	/* VMID (8 bits here: ID_AA64MMFR1_EL1.VMIDBits 0) at EL1, not EL2 */
	ck_assert_uint_eq((el2vm_reg(&v, SYSREG(ID_AA64MMFR1_EL1)) >> 4) & 0xf, 0);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	el2vm_put(&v, SYSREG(VTTBR_EL2), 0x1234ULL << 48);
	el2vm_put(&v, BVR_ID(5), 0x34ULL << 32);
	el2vm_put(&v, BCR_ID(5), BCR(1, 0, 3, 8));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR(0x30, 0x22));
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(VTTBR_EL2), 0x1235ULL << 48);
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	/* CONTEXTIDR_EL2 in DBGBVR[63:32], at EL1 and EL2 */
	el2vm_put(&v, BVR_ID(5), 0x77ULL << 32);
	el2vm_put(&v, BCR_ID(5), BCR(1, 0, 3, 12));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR(0x30, 0x22));
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR(0x31, 0x22));
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL2), 0x78);
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	/* a linked address breakpoint (0b0001) through a linked VMID (0b1001) */
	el2vm_put(&v, SYSREG(VTTBR_EL2), 0x34ULL << 48);
	el2vm_put(&v, BVR_ID(5), 0x34ULL << 32);
	el2vm_put(&v, BCR_ID(5), BCR(1, 0, 3, 9));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);	/* linkable only */
	el2vm_put(&v, BVR_ID(0), CODE);
	el2vm_put(&v, BCR_ID(0), BCR(0, 0, 3, 1) | LBN(5));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR(0x30, 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_put(&v, SYSREG(VTTBR_EL2), 0x35ULL << 48);
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	/* ...linked to breakpoint 4 (not context-aware): no match */
	el2vm_put(&v, SYSREG(VTTBR_EL2), 0x34ULL << 48);
	el2vm_put(&v, BVR_ID(4), 0x34ULL << 32);
	el2vm_put(&v, BCR_ID(4), BCR(1, 0, 3, 9));
	el2vm_put(&v, BCR_ID(0), BCR(0, 0, 3, 1) | LBN(4));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	el2vm_destroy(&v);

	/* without FEAT_VHE (E2H0) CONTEXTIDR_EL2 matching is reserved: disabled */
	dbg_vm(&v, F(HAS_EL2_E2H0), MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	el2vm_put(&v, SYSREG(CONTEXTIDR_EL2), 0x77);
	el2vm_put(&v, BVR_ID(5), 0x77ULL << 32);
	el2vm_put(&v, BCR_ID(5), BCR(1, 0, 3, 12));
	run_to_el2(&v, EL1H_D0, code, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	run_to_el2(&v, EL2H_D0, code, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_destroy(&v);
}
END_TEST

/*
 * Software step at EL2 (MDSCR_EL1.SS and KDE, PSTATE.D clear, EL2 the
 * debug target): from active-not-pending one instruction then EC 0x33
 * with ISV (EX for a load-exclusive), from active-pending at once without
 * ISV; nothing with D set, without KDE or with EL1 the target.
 */
START_TEST(el2_dbg_step)
{
	static const uint32_t code[] = { NOP, NOP, HVC(3) };
	static const uint32_t ldxr[] = { LDXR_X1_X2, NOP, HVC(3) };
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_SS | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	run_to_el2(&v, EL2H_D0 | SS, code, 3, VBAR2 + CUR_SYNC, ESR(0x33, ISV | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL2H_D0);
	run_to_el2(&v, EL2H_D0, code, 3, VBAR2 + CUR_SYNC, ESR(0x33, 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_put(&v, X(2), DATA);
	run_to_el2(&v, EL2H_D0 | SS, ldxr, 3, VBAR2 + CUR_SYNC, ESR(0x33, ISV | EX | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	/* E2H and TGE: the same */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);
	run_to_el2(&v, EL2H_D0 | SS, code, 3, VBAR2 + CUR_SYNC, ESR(0x33, ISV | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	/* D set; KDE clear; EL1 the target: no step at EL2 */
	run_to_el2(&v, EL2H | SS, code, 3, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_SS);
	run_to_el2(&v, EL2H_D0 | SS, code, 3, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_SS | MDSCR_KDE);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	run_to_el2(&v, EL2H_D0 | SS, code, 3, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_destroy(&v);
}
END_TEST

/*
 * Stepping out of EL2 (debug disabled there: D set): ERET to a stepped
 * state (SPSR_EL2.SS) runs one instruction at EL1 or EL0, then EC 0x32
 * with ISV to EL2 under TDE or TGE; SPSR_EL2.SS clear: the step exception
 * at once, without ISV.  With EL1 the target, EL1 takes its own (EC 0x33)
 * when SPSR_EL2.D is clear, and SS is not set when it is.
 */
START_TEST(el2_dbg_step_eret)
{
	static const uint32_t code[] = { ERET, HVC(3), NOP, NOP, HVC(3) };
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_SS | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H | SS);
	run_to_el2(&v, EL2H, code, 5, VBAR2 + LOW_SYNC, ESR(0x32, ISV | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 12);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(SPSR_EL2)), EL1H);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H);
	run_to_el2(&v, EL2H, code, 5, VBAR2 + LOW_SYNC, ESR(0x32, 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 8);
	/* to EL2&0's EL0 under E2H and TGE */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL0T | SS);
	run_to_el2(&v, EL2H, code, 5, VBAR2 + LOW_SYNC, ESR(0x32, ISV | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 12);
	/* EL1 the target: EL1 steps and takes it itself, if D is clear there */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H_D0 | SS);
	ck_assert_uint_eq(el2vm_run(&v, EL2H_D0, code, 5), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR(0x33, ISV | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, CORE_REG(elr_el1, KVM_REG_SIZE_U64)), CODE + 12);
	el2vm_put(&v, SYSREG(ELR_EL2), CODE + 8);
	el2vm_put(&v, SYSREG(SPSR_EL2), EL1H | SS);
	run_to_el2(&v, EL2H_D0, code, 5, VBAR2 + LOW_SYNC, ESR_HVC3);
	el2vm_destroy(&v);
}
END_TEST

/*
 * Watchpoints at EL2: HMC 1 matches EL2's accesses (EC 0x35, WnR for a
 * store, FAR_EL2 the address, ELR_EL2 the instruction), HMC 0 does not;
 * from EL1 EC 0x34 to EL2; D set at EL2 masks them; in EL2&0 an LDTR is
 * EL0's access (PxC bit 1), an LDR EL2's.
 */
START_TEST(el2_dbg_watch)
{
	static const uint32_t str[] = { STR_X1_X2, HVC(3) };
	static const uint32_t ldr[] = { LDR_X1_X2, HVC(3) };
	static const uint32_t ldtr[] = { LDTR_X1_X2, HVC(3) };
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE, HCR_RW);
	el2vm_put(&v, X(2), DATA + 8);		/* aligned: the SCTLRs are 0 */
	el2vm_put(&v, WVR_ID(0), DATA + 8);
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_STORE, 0xf0));
	el2vm_put(&v, SYSREG(FAR_EL2), 0);
	run_to_el2(&v, EL2H_D0, str, 2, VBAR2 + CUR_SYNC, ESR(0x35, WNR | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), DATA + 8);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);	/* a load */
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_LOAD, 0xf0));
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR(0x35, 0x22));
	run_to_el2(&v, EL2H, ldr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);	/* D */
	el2vm_put(&v, WVR_ID(0), DATA);				/* other bytes */
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, WVR_ID(0), DATA + 8);
	el2vm_put(&v, WCR_ID(0), WCR(0, 0, 1, LSC_LOAD, 0xf0));	/* HMC 0 */
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, SYSREG(FAR_EL2), 0);
	run_to_el2(&v, EL1H_D0, ldr, 2, VBAR2 + LOW_SYNC, ESR(0x34, 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), DATA + 8);
	/* EL2&0: LDTR is EL0's */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, WCR_ID(0), WCR(0, 0, 2, LSC_LOAD, 0xf0));
	run_to_el2(&v, EL2H_D0, ldtr, 2, VBAR2 + CUR_SYNC, ESR(0x35, 0x22));
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_LOAD, 0xf0));
	run_to_el2(&v, EL2H_D0, ldtr, 2, VBAR2 + CUR_SYNC, ESR_HVC3);
	run_to_el2(&v, EL2H_D0, ldr, 2, VBAR2 + CUR_SYNC, ESR(0x35, 0x22));
	/* ...and without E2H an LDTR at EL2 is EL2's */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
	run_to_el2(&v, EL2H_D0, ldtr, 2, VBAR2 + CUR_SYNC, ESR(0x35, 0x22));
	el2vm_destroy(&v);
}
END_TEST

/*
 * A watchpoint on a FEAT_NV2 access: HCR_EL2 at EL1 under NV2 is a load
 * of VNCR_EL2 + 0x78.  Arm ARM AArch64.CheckDebug for AccessType_NV2: debug
 * exceptions as from EL2 with PSTATE.D ignored, so only under MDCR_EL2.TDE
 * with MDSCR_EL1.KDE (and MDE); the watchpoint matches it as EL2's (HMC 1,
 * not HMC 0 with PxC 01); the exception goes to EL2 from EL1, EC 0x34 with
 * ISS.VNCR (bit 13), WnR for the MSR, FAR_EL2 the page's address.
 */
#define VNCR_PG		(RAM_GPA + 0x8000)
#define VNCR_HCR_VA	(VNCR_PG + 0x78)
#define ISS_VNCR	(1u << 13)

START_TEST(el2_dbg_watch_nv2)
{
	static const uint32_t mrs[] = { 0xd53c1101 /* mrs x1, hcr_el2 */, HVC(3) };
	static const uint32_t msr[] = { 0xd51c1101 /* msr hcr_el2, x1 */, HVC(3) };
	const uint64_t nv2 = HCR_RW | HCR_NV | HCR_NV2;
	struct el2vm v;

	dbg_vm(&v, 0, MDSCR_MDE | MDSCR_KDE, MDCR_EL2_TDE, nv2);
	el2vm_put(&v, SYSREG(VNCR_EL2), VNCR_PG);
	el2vm_put(&v, WVR_ID(0), VNCR_HCR_VA);
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_LOAD, 0xff));
	el2vm_put(&v, SYSREG(FAR_EL2), 0);
	/* PSTATE.D set at EL1: it does not mask an NV2 access's */
	run_to_el2(&v, EL1H, mrs, 2, VBAR2 + LOW_SYNC, ESR(0x34, ISS_VNCR | 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), VNCR_HCR_VA);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	run_to_el2(&v, EL1H, msr, 2, VBAR2 + LOW_SYNC, ESR_HVC3);	/* a store */
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_STORE, 0xff));
	run_to_el2(&v, EL1H, msr, 2, VBAR2 + LOW_SYNC, ESR(0x34, ISS_VNCR | WNR | 0x22));
	/* EL1's state alone (HMC 0, PxC 01) does not match the EL2 access */
	el2vm_put(&v, WCR_ID(0), WCR(0, 0, 1, LSC_STORE, 0xff));
	run_to_el2(&v, EL1H, msr, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	/* other bytes */
	el2vm_put(&v, WCR_ID(0), WCR(1, 0, 1, LSC_LOAD, 0xff));
	el2vm_put(&v, WVR_ID(0), VNCR_HCR_VA + 8);
	run_to_el2(&v, EL1H, mrs, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	el2vm_put(&v, WVR_ID(0), VNCR_HCR_VA);
	/* without KDE: none from EL2 */
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_MDE);
	run_to_el2(&v, EL1H_D0, mrs, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	/* debug target EL1 (no TDE): EL2's accesses never generate them */
	el2vm_put(&v, SYSREG(MDSCR_EL1), MDSCR_MDE | MDSCR_KDE);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6);
	run_to_el2(&v, EL1H_D0, mrs, 2, VBAR2 + LOW_SYNC, ESR_HVC3);
	el2vm_destroy(&v);
}
END_TEST

/*
 * KVM_SET_GUEST_DEBUG's USE_HW breakpoints and watchpoints on a vCPU with
 * EL2 see its EL2 as EL1, as KVM's hardware runs a guest hypervisor: the
 * PxC-01 breakpoint QEMU's gdbstub sets (HMC 0) exits at EL2 too (hsr EC
 * 0x30), whatever MDSCR_EL1, MDCR_EL2 and PSTATE.D say; so does a store
 * watchpoint (EC 0x34, far the address).
 */
START_TEST(el2_dbg_host)
{
	static const uint32_t code[] = { NOP, STR_X1_X2, HVC(3) };
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW };
	struct el2vm v;

	dbg_vm(&v, 0, 0, 0, HCR_RW);
	el2vm_put(&v, X(2), DATA + 8);
	dbg.arch.dbg_bcr[0] = BCR(0, 0, 3, 0);
	dbg.arch.dbg_bvr[0] = CODE;
	ck_assert_int_eq(kio(v.t.vcpu, KVM_SET_GUEST_DEBUG, &dbg), 0);
	memcpy(v.ram + 0x2000 / 4, code, sizeof(code));
	el2vm_put(&v, PC_ID, CODE);
	el2vm_put(&v, PSTATE_ID, EL2H);
	ck_assert_int_eq(kio_val(v.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(v.t.run->exit_reason, KVM_EXIT_DEBUG);
	ck_assert_uint_eq(v.t.run->debug.arch.hsr, ESR(0x30, 0x22));
	ck_assert_uint_eq(el2vm_reg(&v, PC_ID), CODE);
	/* SSC 0b01 (Non-secure EL1 on KVM's hardware, reserved for the guest) */
	dbg.arch.dbg_bcr[0] = BCR(0, 1, 1, 0);
	ck_assert_int_eq(kio(v.t.vcpu, KVM_SET_GUEST_DEBUG, &dbg), 0);
	ck_assert_int_eq(kio_val(v.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(v.t.run->exit_reason, KVM_EXIT_DEBUG);
	ck_assert_uint_eq(el2vm_reg(&v, PC_ID), CODE);
	/* HMC 1 PxC 00 (EL2 alone on a CPU with EL2): no EL1 of KVM's */
	dbg.arch.dbg_bcr[0] = BCR(1, 3, 0, 0);
	dbg.arch.dbg_wcr[0] = WCR(0, 0, 1, LSC_STORE, 0xff);
	dbg.arch.dbg_wvr[0] = DATA + 8;
	ck_assert_int_eq(kio(v.t.vcpu, KVM_SET_GUEST_DEBUG, &dbg), 0);
	ck_assert_int_eq(kio_val(v.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(v.t.run->exit_reason, KVM_EXIT_DEBUG);
	ck_assert_uint_eq(v.t.run->debug.arch.hsr, ESR(0x34, WNR | 0x22));
	ck_assert_uint_eq(v.t.run->debug.arch.far, DATA + 8);
	ck_assert_uint_eq(el2vm_reg(&v, PC_ID), CODE + 4);
	el2vm_destroy(&v);
}
END_TEST

Suite *el2_debug_suite(void)
{
	Suite *s = suite_create("el2_debug");
	TCase *tc = tcase_create("el2_debug");

	tcase_add_test(tc, el2_dbg_bp_state);
	tcase_add_test(tc, el2_dbg_bp_enable);
	tcase_add_test(tc, el2_dbg_bp_context);
	tcase_add_test(tc, el2_dbg_step);
	tcase_add_test(tc, el2_dbg_step_eret);
	tcase_add_test(tc, el2_dbg_watch);
	tcase_add_test(tc, el2_dbg_watch_nv2);
	tcase_add_test(tc, el2_dbg_host);
	suite_add_tcase(s, tc);
	return s;
}
