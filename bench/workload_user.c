// SPDX-License-Identifier: GPL-2.0
/*
 * The workload as a static aarch64 Linux program, for qemu-aarch64:
 * "workload_user ITERS" prints the checksum and the nanoseconds the work took
 * (clock_gettime under qemu-user is the host's clock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "workload.h"

int main(int argc, char **argv)
{
	struct timespec a, b;
	uint32_t iters = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1;
	uint64_t sum;

	clock_gettime(CLOCK_MONOTONIC, &a);
	sum = workload(iters);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%016llx %lld\n", (unsigned long long)sum,
	       (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
	return 0;
}
