// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the FP/SIMD differential test, under qemu-aarch64
 * (tests/lib/diffrunner.c): struct fpd_case records in, struct fpd_result
 * records out; a fault reports the FPSIMD state of its signal frame too.
 */
#include "diffrunner.h"
#include "fpcase.h"

static const struct diff_runner fpd_runner = {
	.name = "fpd_runner",
	DIFF_RUNNER_RECORDS(struct fpd_case, struct fpd_result, FPD_MAX_WORDS),
	.fault_fpsimd = 1,
};

int main(void)
{
	return diff_runner_main(&fpd_runner);
}
