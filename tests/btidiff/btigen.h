/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/btidiff: the case matrix, shared by the guest (guest.c, built for
 * aarch64) and the host checker (btidiff.c).  A case is an indirect branch
 * (or ERET, or RET) from a page guarded or not, at EL0 or EL1, under
 * SCTLR_EL1.BT0/BT1, to a landing instruction in a page guarded or not.
 */
#ifndef TESTS_BTIDIFF_BTIGEN_H
#define TESTS_BTIDIFF_BTIGEN_H

#include <stdint.h>

/* branch kinds: the source stubs of start.S, in this order */
enum {
	K_BR_X1, K_BR_X16, K_BR_X17, K_BLR_X1, K_BLR_X16, K_BRAA_X1, K_BRAA_X16,
	K_BRAAZ_X17, K_BLRAA_X1, K_BLRAAZ_X16, K_RET_X1,
	K_ERET_B1, K_ERET_B2, K_ERET_B3,	/* ERET with SPSR.BTYPE 1..3 */
	K_NR
};

/* landing instructions: the target stubs of start.S, in this order */
enum {
	L_BTI, L_BTI_C, L_BTI_J, L_BTI_JC, L_PACIASP, L_PACIBSP, L_NOP,
	L_BRK2, L_HLT, L_ADD, L_NR
};

struct bti_case {
	unsigned int el;	/* 0 or 1 */
	unsigned int bt;	/* bit 0: SCTLR_EL1.BT0, bit 1: BT1 */
	unsigned int src_g, tgt_g;	/* guarded */
	unsigned int kind, land;
	unsigned int mmu_off;	/* the phase with SCTLR_EL1.M = 0 (EL1 only) */
};

/* the MMU-off cases: EL1, each kind and landing; then the full matrix */
#define BTI_OFF_CASES	(K_NR * L_NR)
#define BTI_CASES	(BTI_OFF_CASES + 2 * 4 * 2 * K_NR * L_NR * 2)

static inline void bti_case_of(unsigned int n, struct bti_case *c)
{
	c->mmu_off = n < BTI_OFF_CASES;
	if (c->mmu_off) {
		c->el = 1;
		c->bt = 0;
		c->src_g = c->tgt_g = 0;
		c->kind = n / L_NR;
		c->land = n % L_NR;
		return;
	}
	n -= BTI_OFF_CASES;
	c->tgt_g = n % 2;
	n /= 2;
	c->land = n % L_NR;
	n /= L_NR;
	c->kind = n % K_NR;
	n /= K_NR;
	c->src_g = n % 2;
	n /= 2;
	c->bt = n % 4;
	n /= 4;
	c->el = n;
}

/*
 * A case's result line: ESR_EL1 (bits 63:32), ELR_EL1 minus the target
 * stub (15:8... as 16 bits at 31:16), SPSR_EL1.BTYPE (9:8), SPSR_EL1.M (3:0).
 */
static inline uint64_t bti_result(uint64_t esr, uint64_t elr_off, uint64_t spsr)
{
	uint64_t btype = (spsr >> 10) & 3;

	/* an UNDEFINED landing (HLT): SPSR.BTYPE may be either (ZEROBTYPE) */
	if (((esr >> 26) & 0x3f) == 0)
		btype = 0;
	return (esr & 0xffffffffULL) << 32 | (elr_off & 0xffff) << 16 |
	       btype << 8 | (spsr & 0xf);
}

#endif
