// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the SVE differential test (tests/lib/diffrunner.c),
 * run under qemu-aarch64 -cpu max,sve-max-vq=N,sve-default-vector-length=16N:
 * struct svd_case records in, struct svd_result records out.  The SVE
 * state of a faulting case is not compared, so a fault reports X0-X30 and
 * NZCV only.
 */
#include <stdio.h>

#include "diffrunner.h"
#include "svecase.h"

/* qemu's vector length must be the case's */
static int check_vl(const void *p)
{
	const struct svd_case *c = p;
	uint64_t vl;

	asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
	if (vl != c->vl) {
		fprintf(stderr, "svd_runner: VL %llu bytes, the case wants %u\n",
			(unsigned long long)vl, c->vl);
		return 3;
	}
	return 0;
}

static const struct diff_runner svd_runner = {
	.name = "svd_runner",
	DIFF_RUNNER_RECORDS(struct svd_case, struct svd_result, SVD_MAX_WORDS),
	.check = check_vl,
};

int main(void)
{
	return diff_runner_main(&svd_runner);
}
