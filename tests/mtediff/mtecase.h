/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One FEAT_MTE2 differential test case and its result, as both sides see
 * them (the layout of tests/lib/difflayout.h): X0-X30, NZCV, the buffer
 * and its 256 allocation tags (one a byte), and the tags GCR_EL1 lets IRG
 * and ADDG choose (qemu-user: prctl's PR_MTE_TAG_MASK), and whether
 * loads and stores are Tag Checked (PR_MTE_TCF_SYNC).
 */
#ifndef MTECASE_H
#define MTECASE_H

#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"

#define MTE_MAX_WORDS	32
#define MTE_NTAGS	(DIFF_BUF_SIZE / 16)

struct diff_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
};

_Static_assert(offsetof(struct diff_regs, nzcv) == DIFF_REG_NZCV &&
	       sizeof(struct diff_regs) == 256, "diff_regs layout");

struct mte_case {
	uint32_t nwords;
	uint32_t incl;			/* tags IRG/ADDG may choose: ~GCR_EL1.Exclude */
	uint32_t tcf;			/* tag checks: 0 off, 1 synchronous */
	uint32_t words[MTE_MAX_WORDS];
	struct diff_regs r;
	uint8_t buf[DIFF_BUF_SIZE];
	uint8_t tags[MTE_NTAGS];
};

struct mte_result {
	struct diff_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / DIFF_FAULT_* (vkvm) */
	uint8_t buf[DIFF_BUF_SIZE];
	uint8_t tags[MTE_NTAGS];
};

#endif
