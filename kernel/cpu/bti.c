// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_BTI, branch target identification (Arm ARM D8.? "Branch Target
 * Identification", the BTI, BR, BLR and PACIxSP pseudocode).
 *
 * PSTATE.BTYPE is non-zero only between an indirect branch that set it
 * (BR, BLR, BRAA... with the X16/X17 and guarded-page rules, bti.h) or an
 * ERET that restored it, and the instruction at the target: a branch to
 * the page being run, in a chain that goes on, checks it at once
 * (bti_branch); the others end the chain (EXEC_JUMP), and the run loop
 * checks the target here before it runs, after the exceptions taken at
 * the boundary (interrupts, PC alignment, the fetch's instruction abort,
 * breakpoints, software step), which save the BTYPE in SPSR_EL1 as the
 * architecture requires.  Once the
 * target passes, BTYPE is cleared before it executes: a synchronous
 * exception it then takes saves BTYPE 00, which the architecture allows
 * for all but a few kinds (AArch64.TakeException, Unpredictable_ZEROBTYPE);
 * of those BRK is an instruction, so BTYPE stays for it.  Branches that set
 * no BTYPE (RET, B, BL...) stay in the chain: they pay nothing.
 */
#include "internal.h"

/* BRK and HLT are compatible with every BTYPE: their own exceptions win */
static bool insn_is_brk_hlt(uint32_t w)
{
	return (w & 0xffe0001fu) == 0xd4200000u ||	/* BRK */
	       (w & 0xffe0001fu) == 0xd4400000u;	/* HLT */
}

/* BTypeCompatible for the instruction w with PSTATE.BTYPE btype (not 0) */
static bool bti_compatible(const struct cpu_state *s, uint32_t w, unsigned int btype)
{
	uint64_t bt;

	if ((w & 0xffffff3fu) == 0xd503241fu) {
		switch ((w >> 6) & 3) {		/* BTI {c, j, jc}: op2<2:1> */
		case 0:
			return false;		/* BTI: no branch lands here */
		case 1:
			return btype != 3;	/* BTI c */
		case 2:
			return btype != 2;	/* BTI j */
		default:
			return true;		/* BTI jc */
		}
	}
	if (w == 0xd503233fu || w == 0xd503237fu) {	/* PACIASP, PACIBSP */
		/* like BTI c, and like BTI jc while SCTLR_EL1.BT0/BT1 is 0 */
		bt = cpu_current_el(s) ? SCTLR_BT1 : SCTLR_BT0;
		return btype != 3 || !(cur_sctlr(s) & bt);	/* SCTLR_EL2.BT is BT1's bit */
	}
	return insn_is_brk_hlt(w);
}

bool bti_landing(struct cpu *c, uint32_t w, bool guarded)
{
	struct cpu_state *s = &c->state;
	unsigned int btype = (unsigned int)(s->pstate >> PSR_BTYPE_SHIFT) & 3;

	if (guarded && !bti_compatible(s, w, btype)) {
		raise_sync(c, EC_BTI, btype);	/* SPSR_EL1.BTYPE = BTYPE */
		return false;
	}
	if ((w & 0xffe0001fu) != 0xd4200000u)	/* BRK saves it in SPSR */
		s->pstate &= ~PSR_BTYPE_MASK;
	return true;
}
