/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference side of a differential test (diffrunner.c): a static
 * aarch64 Linux program run once per batch under qemu-aarch64, which reads
 * case records from stdin, runs each natively (that is, under qemu's
 * translator) and writes a result record per case to stdout.
 *
 * A test describes its records (difflayout.h) and provides runner_enter
 * and runner_exit in assembler (diffentry.h); its main() is
 * diff_runner_main().
 */
#ifndef TESTS_LIB_DIFFRUNNER_H
#define TESTS_LIB_DIFFRUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"

struct diff_runner {
	const char *name;		/* for messages */
	size_t case_size, case_nwords, case_words, case_regs, case_buf;
	size_t result_size, result_fault, result_buf;
	size_t regs_size;
	unsigned int max_words;
	int fault_fpsimd;		/* a fault reports FPCR, FPSR and V0-V31 too */
	/* 0 to run the case, else the exit status to stop with (optional) */
	int (*check)(const void *c);
	/* more PROT_* bits for the buffer's mapping (PROT_MTE) */
	int buf_prot;
	/*
	 * Optional: before a case runs, once its buffer holds the case's
	 * bytes (its allocation tags, tests/mtediff); after it, before the
	 * result gets the buffer (to read them back into the result and turn
	 * tag checks off)
	 */
	void (*before)(const void *c, uint8_t *buf);
	void (*after)(void *res, uint8_t *buf);
};

/* The layout fields of a struct diff_runner for records whose fields share these names */
#define DIFF_RUNNER_RECORDS(case_t, result_t, max)			\
	.case_size = sizeof(case_t),					\
	.case_nwords = offsetof(case_t, nwords),			\
	.case_words = offsetof(case_t, words),				\
	.case_regs = offsetof(case_t, r),				\
	.case_buf = offsetof(case_t, buf),				\
	.result_size = sizeof(result_t),				\
	.result_fault = offsetof(result_t, fault),			\
	.result_buf = offsetof(result_t, buf),				\
	.regs_size = sizeof(((result_t *)0)->r),			\
	.max_words = (max)

/*
 * runner_enter(regs, entry, stack) loads the register block and jumps to
 * entry on the test stack; the code page's trailer ends in runner_exit,
 * which returns from runner_enter with the block as the case left it.
 */
const void *runner_enter(const void *regs, uint64_t entry, void *stack);
void runner_exit(void);

/* Run the records of stdin: 0 at their end, 2 on an I/O error or a bad record */
int diff_runner_main(const struct diff_runner *r);

#endif
