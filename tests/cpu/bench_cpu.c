// SPDX-License-Identifier: GPL-2.0
/*
 * Engine throughput, measured (never asserted): an integer loop at EL1 with
 * the MMU off, against the same loop as a user process under qemu-aarch64
 * (when installed) in the same run, and the raw cost of an MMIO store exit +
 * re-entry at the engine interface.  Times are CPU time (user + system), so
 * that other load on the host disturbs them less; qemu-aarch64 runs ten
 * times the iterations, less a one-iteration run for its start-up.  Each
 * figure is the median of several runs.
 * Usage: bench_cpu [iterations] [exits] [runs]
 */
#include <spawn.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "bench.h"

#define INSNS_PER_ITER	9

extern const uint8_t blob_bench[], blob_bench_end[];
extern char **environ;

#define QEMU_SCALE	10

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* CPU time of qemu-aarch64 running the loop; < 0 if it could not run. */
static double qemu_time(uint64_t iters)
{
	char n[32], elf[] = BENCH_USER_ELF, qemu[] = "qemu-aarch64";
	char *argv[] = { qemu, elf, n, NULL };
	struct rusage ru;
	int status;
	pid_t pid;

	snprintf(n, sizeof(n), "%llu", (unsigned long long)iters);
	if (posix_spawnp(&pid, qemu, NULL, NULL, argv, environ))
		return -1;
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	uint64_t iters = argc > 1 ? strtoull(argv[1], 0, 0) : 20000000;
	uint64_t exits = argc > 2 ? strtoull(argv[2], 0, 0) : 5000000, i;
	int runs = argc > 3 ? atoi(argv[3]) : 5, r;
	double tv[64], tq[64], ts[64], t, mv, mq = -1, mips;
	struct env v;

	if (runs < 1 || runs > 64)
		runs = 5;
	if (env_init(&v, 16 << 20))
		return 1;
	for (r = 0; r < runs; r++) {
		env_reset(&v, RAM_GPA);
		env_load(&v, RAM_GPA, blob_bench, (size_t)(blob_bench_end - blob_bench));
		memset(env_ptr(&v, 0x40100000), 0, 4096 * 8);
		v.cpu.state.x[3] = iters;
		t = now();
		if (env_run(&v) != CPU_EXIT_HVC)
			return 1;
		tv[r] = now() - t;
		/* qemu: the loop, less the start-up of a one-iteration run */
		ts[r] = qemu_time(1);
		tq[r] = ts[r] < 0 ? -1 : (qemu_time(iters * QEMU_SCALE) - ts[r]) / QEMU_SCALE;
		if (tq[r] < 0)
			mq = -2;
	}
	mv = median(tv, runs);
	mips = iters * INSNS_PER_ITER / 1e6 / mv;
	printf("# integer loop, vkvm: %.0f M instructions in %.3f s = %.0f MIPS "
	       "(median of %d; x4=%llx)\n", iters * INSNS_PER_ITER / 1e6, mv, mips,
	       runs, (unsigned long long)v.cpu.state.x[4]);
	if (mq == -2) {
		printf("# qemu-aarch64: not run (missing, or %s not built)\n",
		       BENCH_USER_ELF);
	} else {
		mq = median(tq, runs);
		printf("# integer loop, qemu-aarch64: %.3f s (per as many iterations; "
		       "start-up %.3f s excluded) "
		       "= %.0f MIPS; vkvm takes %.2fx qemu-aarch64's time\n", mq,
		       median(ts, runs), iters * INSNS_PER_ITER / 1e6 / mq, mv / mq);
	}

	for (r = 0; r < runs; r++) {
		env_reset(&v, S_MMIO_LOOP);
		v.cpu.state.x[1] = MMIO_GPA;
		t = now();
		for (i = 0; i < exits; i++) {
			if (cpu_run(&v.cpu) != CPU_EXIT_ABORT)
				return 1;
			v.cpu.state.pc += 4;	/* complete the write as the backend does */
		}
		tv[r] = now() - t;
	}
	printf("# MMIO store exits at the engine interface: %.2f M/s (median of %d)\n",
	       exits / 1e6 / median(tv, runs), runs);
	printf("ok 1 - bench ran\n1..1\n");
	env_destroy(&v);
	return 0;
}
