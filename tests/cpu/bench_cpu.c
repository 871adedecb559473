// SPDX-License-Identifier: GPL-2.0
/*
 * Engine throughput, measured (never asserted): an integer loop at EL1 with
 * the MMU off, and the raw cost of an MMIO store exit + re-entry at the
 * engine interface.  Usage: bench_cpu [iterations] [exits]
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "bench.h"

extern const uint8_t blob_bench[], blob_bench_end[];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t iters = argc > 1 ? strtoull(argv[1], 0, 0) : 20000000;
	uint64_t exits = argc > 2 ? strtoull(argv[2], 0, 0) : 5000000, i;
	struct env v;
	double t;

	if (env_init(&v, 16 << 20))
		return 1;
	env_reset(&v, RAM_GPA);
	env_load(&v, RAM_GPA, blob_bench, (size_t)(blob_bench_end - blob_bench));
	v.cpu.state.x[3] = iters;
	t = now();
	if (env_run(&v) != CPU_EXIT_HVC)
		return 1;
	t = now() - t;
	printf("# integer loop: %.0f M instructions in %.3f s = %.0f MIPS (x4=%llx)\n",
	       iters * 9 / 1e6, t, iters * 9 / 1e6 / t, (unsigned long long)v.cpu.state.x[4]);

	env_reset(&v, S_MMIO_LOOP);
	v.cpu.state.x[1] = MMIO_GPA;
	t = now();
	for (i = 0; i < exits; i++) {
		if (cpu_run(&v.cpu) != CPU_EXIT_ABORT)
			return 1;
		v.cpu.state.pc += 4;	/* complete the write as the backend does */
	}
	t = now() - t;
	printf("# MMIO store exits at the engine interface: %.2f M/s\n", exits / 1e6 / t);
	printf("ok 1 - bench ran\n1..1\n");
	env_destroy(&v);
	return 0;
}
