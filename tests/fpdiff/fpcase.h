/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One FP/SIMD differential test case and its result, as both sides see
 * them (the layout of tests/lib/difflayout.h), with the SIMD&FP state:
 * V0-V31, FPCR and FPSR.
 */
#ifndef FPCASE_H
#define FPCASE_H

#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"

#define FPD_MAX_WORDS	64

/* The register block fpd_entry.S loads and stores (its offsets) */
struct fpd_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
	uint64_t fpcr;
	uint64_t fpsr;
	uint8_t v[32][16];
};

_Static_assert(offsetof(struct fpd_regs, nzcv) == DIFF_REG_NZCV &&
	       offsetof(struct fpd_regs, fpcr) == DIFF_REG_FPCR &&
	       offsetof(struct fpd_regs, fpsr) == DIFF_REG_FPSR &&
	       offsetof(struct fpd_regs, v) == DIFF_REG_VEC &&
	       sizeof(struct fpd_regs) == 784, "fpd_regs layout");

struct fpd_case {
	uint32_t nwords;
	uint32_t pad;
	uint32_t words[FPD_MAX_WORDS];
	struct fpd_regs r;
	uint8_t buf[DIFF_BUF_SIZE];
};

struct fpd_result {
	struct fpd_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / DIFF_FAULT_* (vkvm) */
	uint8_t buf[DIFF_BUF_SIZE];
};

#endif
