/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One integer differential test case and its result, as both sides see
 * them (the layout of tests/lib/difflayout.h): X0-X30 and NZCV.
 */
#ifndef DIFFCASE_H
#define DIFFCASE_H

#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"

#define DIFF_MAX_WORDS	96

struct diff_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
};

/* qemu_entry.S's offsets */
_Static_assert(offsetof(struct diff_regs, nzcv) == DIFF_REG_NZCV &&
	       sizeof(struct diff_regs) == 256, "diff_regs layout");

struct diff_case {
	uint32_t nwords;
	uint32_t pad;
	uint32_t words[DIFF_MAX_WORDS];
	struct diff_regs r;
	uint8_t buf[DIFF_BUF_SIZE];
};

struct diff_result {
	struct diff_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / DIFF_FAULT_* (vkvm) */
	uint8_t buf[DIFF_BUF_SIZE];
};

#endif
