/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One SVE differential test case and its result, as both sides see them
 * (the layout of tests/lib/difflayout.h), with the SVE state: Z0-Z31 and
 * P0-P15, FFR at up to 2048 bits, of which the first vl bytes (vl / 8 for
 * predicates) are compared.  svd_entry.S knows the offsets.
 */
#ifndef SVECASE_H
#define SVECASE_H

#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"

#define SVD_MAX_WORDS	32

struct svd_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
	uint64_t fpcr;
	uint64_t fpsr;
	uint8_t z[32][256];		/* offset 272 */
	uint8_t p[16][32];		/* offset 8464 */
	uint8_t ffr[32];		/* offset 8976; size 9008 */
};

/* svd_entry.S's offsets */
_Static_assert(offsetof(struct svd_regs, nzcv) == DIFF_REG_NZCV &&
	       offsetof(struct svd_regs, fpcr) == DIFF_REG_FPCR &&
	       offsetof(struct svd_regs, fpsr) == DIFF_REG_FPSR &&
	       offsetof(struct svd_regs, z) == DIFF_REG_VEC &&
	       offsetof(struct svd_regs, p) == DIFF_SVE_P &&
	       offsetof(struct svd_regs, ffr) == DIFF_SVE_FFR &&
	       sizeof(struct svd_regs) == 9008, "svd_regs layout");

struct svd_case {
	uint32_t nwords;
	uint32_t vl;			/* bytes */
	uint32_t words[SVD_MAX_WORDS];
	struct svd_regs r;
	uint8_t buf[DIFF_BUF_SIZE];
};

struct svd_result {
	struct svd_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / DIFF_FAULT_* (vkvm) */
	uint8_t buf[DIFF_BUF_SIZE];
};

#endif
