/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both sides of every differential test (tests/diff, tests/fpdiff,
 * tests/svediff) agree on: vkvm and the runner under qemu-aarch64.
 *
 * The same guest-virtual layout on both sides (vkvm: identity-mapped MMU;
 * qemu-aarch64: MAP_FIXED), so that PC-relative results (ADR, ADRP,
 * literal loads) and pointers derived from the buffer base compare equal:
 *
 *	DIFF_CODE_VA	literal pool (DIFF_POOL_SIZE bytes, a fixed pattern),
 *			then the test words at DIFF_ENTRY_VA (one case alone:
 *			tests/idwalk)
 *	DIFF_SLOTS_VA	DIFF_SLOTS code slots of DIFF_SLOT_SIZE bytes, each
 *			laid out as the code page above: the case of index i
 *			runs in slot i % DIFF_SLOTS (with -k K, the K cases
 *			of base b = i / K share slot b % DIFF_SLOTS: one
 *			code, K inputs), so that a run writes
 *			each case's code once, before any case runs, and no
 *			side sees its code rewritten case after case (qemu's
 *			self-modifying-code handling cost half a run); a
 *			rerun of one case (-i) runs at the same address
 *	DIFF_BUF_VA	the data buffer, x28 = DIFF_BASE_VA in the middle
 *
 * Records travel as raw structs of fixed-width, naturally aligned fields
 * (the same ABI on x86-64 and aarch64), each test with its own register
 * block "regs", whose head is X0-X30 and NZCV:
 *
 *	case:	u32 nwords, u32 (test's own), u32 words[MAX], regs, u8 buf[]
 *	result:	regs, u64 fault, u8 buf[]
 *
 * DIFF_REG_* are byte offsets in a register block, for diffentry.h too.
 */
#ifndef TESTS_LIB_DIFFLAYOUT_H
#define TESTS_LIB_DIFFLAYOUT_H

#define DIFF_REG_X30	240
#define DIFF_REG_NZCV	248		/* PSTATE bits 31:28 */
/* FP/SIMD and SVE tests: FPCR and FPSR, then their vector state */
#define DIFF_REG_FPCR	256
#define DIFF_REG_FPSR	264
#define DIFF_REG_VEC	272
/* SVE tests (struct svd_regs): Z0-Z31 256 bytes apart from DIFF_REG_VEC,
 * P0-P15 32 bytes apart, FFR */
#define DIFF_SVE_P	8464
#define DIFF_SVE_FFR	8976

#ifndef __ASSEMBLER__
#include <stdint.h>

#define DIFF_CODE_VA	0x40000000ULL
#define DIFF_POOL_SIZE	0xf0u
#define DIFF_ENTRY_VA	(DIFF_CODE_VA + 0x100)
#define DIFF_BUF_VA	0x40200000ULL
#define DIFF_BUF_SIZE	4096u
#define DIFF_BASE_VA	(DIFF_BUF_VA + DIFF_BUF_SIZE / 2)
#define DIFF_BASE_REG	28

#define DIFF_SLOTS	4096u
#define DIFF_SLOTS_VA	0x40800000ULL
#define DIFF_SLOT_SIZE	0x400u
/* the most words a slot holds: pool, the word before the entry, the
 * runner's 5-word trailer (diffrunner.c) */
#define DIFF_SLOT_WORDS	((DIFF_SLOT_SIZE - (DIFF_ENTRY_VA - DIFF_CODE_VA) - 20) / 4)

/*
 * The head of the runner's input, in its first DIFF_RUN_RECORDS bytes;
 * the count case records follow from there (aligned: a harness makes
 * them in place, tests/lib/difftest.c; the input may be longer).
 * Record k is the case of index first + k, which runs the code of its
 * base case (first + k) / variants (-k: variants cases a code,
 * consecutive, in one slot) in slot diff_slot_va() of that base.
 * first: the index of the run's first case (-i: that case's).
 */
#define DIFF_RUN_MAGIC	0x66666964u	/* "diff" */
#define DIFF_RUN_RECORDS	0x1000u
struct diff_run_head {
	uint32_t magic, first, variants, count;
};

/* the most cases that share a code (-k) */
#define DIFF_MAX_VARIANTS	64u
/*
 * What a generator mixes into its seed for the inputs of a variant
 * (-k: case i of a run, not the first of its base i / K): "variants"
 */
#define DIFF_VARIANT_SEED	0x76617269616e7473ULL

/* The base case whose code record k of a run runs */
static inline unsigned int diff_run_base(const struct diff_run_head *h, unsigned int k)
{
	return (h->first + k) / h->variants;
}

/* The code slot of base case idx (-k 1: case idx): its pool, then its words at + 0x100 */
static inline uint64_t diff_slot_va(unsigned int idx)
{
	return DIFF_SLOTS_VA + (uint64_t)(idx % DIFF_SLOTS) * DIFF_SLOT_SIZE;
}

static inline uint64_t diff_slot_entry(unsigned int idx)
{
	return diff_slot_va(idx) + (DIFF_ENTRY_VA - DIFF_CODE_VA);
}

#define DIFF_NZCV_MASK	0xf0000000u

/* The literal pool's byte i (identical on both sides). */
static inline uint8_t diff_pool_byte(unsigned int i)
{
	return (uint8_t)(i * 73u + 0x5a) ^ (uint8_t)(i >> 3);
}
#endif

#endif
