// SPDX-License-Identifier: GPL-2.0
/*
 * The hint space and ADR/ADRP in a translation.  Since they run as
 * THREADED_NOPC entries (insn/sys.def, pauth.def, dp.def), a block -- and
 * so a translation -- runs on through them: Linux's every non-leaf
 * function is PACIASP (or BTI c; PACIASP) ... AUTIASP; RET, and NOPs pad
 * its patchable entries and alternatives.
 *
 *  - NOP, BTI, CSDB, DGH, PSB, TSB and the unallocated hints emit nothing
 *    (BTI's check is made where the indirect branch lands, bti.c, before
 *    any translation runs from there);
 *  - ADR and ADRP: PC is not stored in a chain; a decoded page (keyed by
 *    IPA) and its translations may run at any VA that maps it, so PC is
 *    read from the chain's context, set at every entry into a page
 *    (engine.c, chain_context() and thread_cross_page()), never embedded;
 *  - the PAuth hints are calls of their handlers, which leave the
 *    translation only when they trap (HCR_EL2.API clear at EL1 under EL2,
 *    having stored PC): translate.c's ordinary handler call.
 */
#include <stddef.h>

#include "../internal.h"
#include "hint.h"

#define C		X86_RBX
#define TH_PC_BIAS_OFF	((int32_t)offsetof(struct cpu, th_pc_bias))
#define TH_PAGE_VA_OFF	((int32_t)offsetof(struct cpu, th_page_va))

bool jit_hint_nothing(const struct dinsn *d)
{
	return sys_hint_nop(d);
}

void jit_hint_emit_adr(struct x86 *e, const struct dinsn *d, bool adrp, enum x86_reg dst)
{
	/* ADRP: PC's page is the chain's, th_page_va; ADR: PC is th_pc_bias +
	 * (d >> DINSN_TO_WORD_SHIFT), as thread_sync_pc() has it */
	int32_t field = adrp ? TH_PAGE_VA_OFF : TH_PC_BIAS_OFF;
	uint64_t off = adrp ? (uint64_t)d->imm << 12 :
		       ((uintptr_t)d >> DINSN_TO_WORD_SHIFT) + (uint64_t)d->imm;

	if ((int64_t)off == (int32_t)off) {
		x86_load(e, true, dst, C, field);
		x86_alu_ri(e, X86_ADD, true, dst, (int32_t)off);
	} else {
		x86_mov_ri(e, dst, off);
		x86_alu_rm(e, X86_ADD, true, dst, C, field);
	}
}
