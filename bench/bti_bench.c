// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of an indirect call under FEAT_BTI: a loop of BLR to a
 * function (BTI c; RET) in the same page, run in a vkvm VM with that page
 * guarded (stage-1 GP) and not, and the same loop with a direct BL as the
 * peer measured in the same run.  Prints ns of this thread's CPU time (the
 * vCPU runs on it: a loaded host does not inflate it) per iteration.
 *
 *   bti_bench [-n ITERS]
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmc.h"

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x200000ULL
#define L1_GPA		(RAM_GPA + 0x100000)
#define END_IPA		0x10000000ULL
#define GP		(1ULL << 50)	/* stage-1 Guarded Page */

/* 0: BLR x1 loop; 0x10: BTI c; RET (the callee); 0x20: BL loop */
static const uint32_t code[] = {
	0xd63f0020, 0xf1000442, 0x54ffffc1, 0xf90003ff,	/* blr x1; subs; b.ne; end */
	0xd503245f, 0xd65f03c0, 0, 0,			/* bti c; ret */
	0x97fffffc, 0xf1000442, 0x54ffffc1, 0xf90003ff,	/* bl 0x10; subs; b.ne; end */
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);	/* the vCPU runs on this thread */
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ns per iteration of the loop at pc, the code page guarded or not */
static double run(struct vmc *v, uint64_t pc, bool guarded, uint64_t iters)
{
	uint64_t *l1 = vmc_ram(v, L1_GPA);
	double t0, t;
	int ret;

	l1[0] = VMC_BLOCK(0ULL, VMC_ATTR_DEVICE, 0);
	l1[1] = VMC_BLOCK(RAM_GPA, VMC_ATTR_NORMAL, 0) | (guarded ? GP : 0);
	ret = vmc_mmu_on(v, L1_GPA);	/* SCTLR write: the TLB is flushed */
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pc), pc);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate), VMC_PSTATE_EL1H);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(sp_el1), END_IPA);
	ret = ret ?: vmc_set_reg(v, VMC_X(1), RAM_GPA + 0x10);
	ret = ret ?: vmc_set_reg(v, VMC_X(2), iters);
	if (ret)
		return -1;
	t0 = now();
	ret = vmc_run(v);
	t = now() - t0;
	if (ret || v->run->exit_reason != KVM_EXIT_MMIO || v->run->mmio.phys_addr != END_IPA)
		return -1;
	v->run->immediate_exit = 1;	/* complete the MMIO store */
	vmc_run(v);
	v->run->immediate_exit = 0;
	return t * 1e9 / (double)iters;
}

int main(int argc, char **argv)
{
	uint64_t iters = 5000000;
	double blr_g, blr_u, bl_g, bl_u;
	struct vmc v;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1)
		if (opt == 'n')
			iters = strtoull(optarg, NULL, 0);
	if (vmc_open(&v, RAM_GPA, RAM_SIZE, NULL)) {
		fprintf(stderr, "bti_bench: vmc_open: %s\n", strerror(errno));
		return 1;
	}
	memcpy(vmc_ram(&v, RAM_GPA), code, sizeof(code));
	run(&v, RAM_GPA, false, iters / 10);	/* warm the decode cache */
	blr_u = run(&v, RAM_GPA, false, iters);
	blr_g = run(&v, RAM_GPA, true, iters);
	bl_u = run(&v, RAM_GPA + 0x20, false, iters);
	bl_g = run(&v, RAM_GPA + 0x20, true, iters);
	vmc_close(&v);
	if (blr_u < 0 || blr_g < 0 || bl_u < 0 || bl_g < 0) {
		fprintf(stderr, "bti_bench: a run failed\n");
		return 1;
	}
	printf("bti_bench: %" PRIu64 " iterations of call + RET + SUBS + B.NE, ns each\n", iters);
	printf("  BLR (indirect), page not guarded  %6.2f\n", blr_u);
	printf("  BLR (indirect), guarded page      %6.2f\n", blr_g);
	printf("  BL (direct), page not guarded     %6.2f\n", bl_u);
	printf("  BL (direct), guarded page         %6.2f\n", bl_g);
	printf("  ratio BLR/BL: %.2f not guarded, %.2f guarded\n", blr_u / bl_u, blr_g / bl_g);
	return 0;
}
