// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the integer differential test, under qemu-aarch64
 * (tests/lib/diffrunner.c): struct diff_case records in, struct
 * diff_result records out, X0-X30 and NZCV carried.
 */
#include "diffcase.h"
#include "diffrunner.h"

static const struct diff_runner qemu_runner = {
	.name = "qemu_runner",
	DIFF_RUNNER_RECORDS(struct diff_case, struct diff_result, DIFF_MAX_WORDS),
};

int main(void)
{
	return diff_runner_main(&qemu_runner);
}
