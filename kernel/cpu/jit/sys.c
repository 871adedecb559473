// SPDX-License-Identifier: GPL-2.0
/*
 * System instructions inline in a translation (translate.c's emit_body()
 * asks jit_sys_mrs() of each entry it would call): the MRS of the
 * registers exec_sys.c's MRS_hot fast form reads (SP_EL0, TPIDR_EL1,
 * DAIF, CTR_EL0, DCZID_EL0) become a load from c->state behind the same
 * checks, made at run time: the EL is 1 (PSTATE.M[3:2]), SPSel is 1 for
 * SP_EL0, HCR_EL2.TID2 is clear for CTR_EL0 and HCR_EL2.TDZ for
 * DCZID_EL0.  Where a check fails the handler runs on a side path, which
 * stores PC and takes the trap or the UNDEFINED exception exactly as the
 * interpreter.  No MRS here has a side effect, so none ends a translation.
 */
#include <stddef.h>

#include "../internal.h"
#include "sys.h"

#define PSTATE_OFF	((int32_t)offsetof(struct cpu, state.pstate))
#define SP_EL0_OFF	((int32_t)offsetof(struct cpu, state.sp_el0))
#define SYSREG_OFF(r)	((int32_t)(offsetof(struct cpu, state.sysreg) + 8 * (r)))

bool jit_sys_mrs(const struct dinsn *d)
{
	return mrs_hot_entry(d);
}

static void slow_if(struct x86 *e, struct jit_simd_slow *sl, enum x86_cc cc)
{
	if (sl->n < JIT_SIMD_SLOW_MAX)
		sl->jcc[sl->n++] = x86_jcc(e, cc);
	else
		e->full = true;		/* cannot be: two checks at most */
}

/* PSTATE.M & mask == want, else the side path */
static void check_mode(struct x86 *e, struct jit_simd_slow *sl, int32_t mask, int32_t want)
{
	x86_load(e, false, X86_RAX, X86_RBX, PSTATE_OFF);
	x86_alu_ri(e, X86_AND, false, X86_RAX, mask);
	x86_alu_ri(e, X86_CMP, false, X86_RAX, want);
	slow_if(e, sl, X86_NE);
}

/* HCR_EL2 bit n clear, else the side path */
static void check_hcr_clear(struct x86 *e, struct jit_simd_slow *sl, unsigned int n)
{
	x86_load(e, true, X86_RAX, X86_RBX, SYSREG_OFF(SR_HCR_EL2));
	x86_bt_ri(e, X86_RAX, (uint8_t)n);
	slow_if(e, sl, X86_B);
}

void jit_sys_emit_mrs(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl)
{
	sl->n = 0;
	switch (FIELD(d->insn, 20, 5)) {
	case SYS_SP_EL0:
		check_mode(e, sl, 0xd, 0x5);		/* EL1h */
		x86_load(e, true, X86_RAX, X86_RBX, SP_EL0_OFF);
		break;
	case SYS_TPIDR_EL1:
		check_mode(e, sl, 0xc, 0x4);
		x86_load(e, true, X86_RAX, X86_RBX, SYSREG_OFF(SR_TPIDR_EL1));
		break;
	case SYS_DAIF:
		check_mode(e, sl, 0xc, 0x4);
		x86_load(e, false, X86_RAX, X86_RBX, PSTATE_OFF);
		x86_alu_ri(e, X86_AND, false, X86_RAX, (int32_t)PSR_DAIF_MASK);
		break;
	case SYS_CTR_EL0:
		check_mode(e, sl, 0xc, 0x4);
		check_hcr_clear(e, sl, 17);		/* TID2 */
		x86_load(e, true, X86_RAX, X86_RBX, SYSREG_OFF(SR_CTR_EL0));
		break;
	default:					/* DCZID_EL0 */
		check_mode(e, sl, 0xc, 0x4);
		check_hcr_clear(e, sl, 28);		/* TDZ */
		x86_load(e, true, X86_RAX, X86_RBX, SYSREG_OFF(SR_DCZID_EL0));
		break;
	}
}

_Static_assert(HCR_TID2 == 1ULL << 17 && HCR_TDZ == 1ULL << 28, "HCR_EL2 bits");
_Static_assert(PSR_DAIF_MASK == 0x3c0, "DAIF in PSTATE");
