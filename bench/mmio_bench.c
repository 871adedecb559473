// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO exit round trips: a guest store loop to an unbacked IPA; the client
 * answers every KVM_EXIT_MMIO by calling KVM_RUN again.
 *
 *   mmio_bench [-n EXITS]
 *
 * Guest (hand-assembled, at RAM_GPA; x0 = MMIO_GPA, x2 = EXITS):
 *	1: str  w1, [x0]
 *	   add  w1, w1, #1
 *	   subs x2, x2, #1
 *	   b.ne 1b
 *	   str  xzr, [x0, #8]	the end
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmclient.h"

static const uint32_t guest[] = {
	0xb9000001,	/* str  w1, [x0] */
	0x11000421,	/* add  w1, w1, #1 */
	0xf1000442,	/* subs x2, x2, #1 */
	0x54ffffa1,	/* b.ne .-12 */
	0xf900041f,	/* str  xzr, [x0, #8] */
};

int main(int argc, char **argv)
{
	uint64_t exits = 5000000, n = 0, bad = 0;
	struct timespec t0, t1;
	struct vmc v;
	double secs;
	int ret;

	if (argc > 2 && !strcmp(argv[1], "-n"))
		exits = strtoull(argv[2], NULL, 0);
	ret = bench_vm_create(&v, 1 << 20, guest, sizeof(guest), 0);
	ret = ret ?: vmc_set_reg(&v, VMC_X(0), MMIO_GPA);
	ret = ret ?: vmc_set_reg(&v, VMC_X(1), 0);
	ret = ret ?: vmc_set_reg(&v, VMC_X(2), exits);
	if (ret) {
		fprintf(stderr, "mmio_bench: VM setup: %s\n", strerror(-ret));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		uint32_t data;

		ret = vmc_run(&v);
		if (ret || v.run->exit_reason != KVM_EXIT_MMIO) {
			fprintf(stderr, "mmio_bench: KVM_RUN: %s, exit %u\n",
				strerror(-ret), v.run->exit_reason);
			return 1;
		}
		if (v.run->mmio.phys_addr != MMIO_GPA)
			break;
		memcpy(&data, v.run->mmio.data, 4);
		bad += data != (uint32_t)n;
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("MMIO exits: %" PRIu64 " in %.3f s: %.2f million/s, %.0f ns per round trip "
	       "(issue target: >= 5 million/s)%s\n", n, secs, (double)n / secs * 1e-6,
	       secs / (double)n * 1e9, bad || n != exits ? "  WRONG DATA" : "");
	vmc_close(&v);
	return bad || n != exits;
}
