// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp: Linux's hardware breakpoints, watchpoints and ptrace single-step
 * in the guest (tests/boot/linux.spec linux-debug, linux-nested-debug).
 * Under `vmm run --nested` the kernel runs at EL2 (VHE) and is the debug
 * target there: its own breakpoints match at EL2 (DBGBCR.HMC 1), user
 * space's at EL0 of the EL2&0 regime, and single-step ERETs from EL2 into
 * a stepped EL0 (docs/nested.md).
 *
 * - a perf breakpoint on a user function, this task only: one hit per call
 * - a perf write watchpoint on a user variable: one hit per store
 * - a CPU-wide perf breakpoint on the kernel's getppid handler (per-task
 *   kernel breakpoints are refused on arm64): at least one hit per call
 * - PTRACE_SINGLESTEP of a child through a loop: each step stops with
 *   SIGTRAP at a new PC, until the child exits
 *
 * Prints each count and "hwbp: PASS" when all hold; exit status 0 then.
 * Static (guests/linux.mk).
 */
#define _GNU_SOURCE
#include <asm/ptrace.h>
#include <elf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CALLS	1000
#define STORES	500
#define KCALLS	300
#define STEPS	50

static volatile long watched;

__attribute__((noinline)) static long bumped(long x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

/* a perf breakpoint event of bp_type on addr: pid/cpu as perf_event_open */
static int bp_open(unsigned int type, uint64_t addr, int user_only, int pid, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_BREAKPOINT;
	a.bp_type = type;
	a.bp_addr = addr;
	a.bp_len = type == HW_BREAKPOINT_X ? HW_BREAKPOINT_LEN_4 : HW_BREAKPOINT_LEN_8;
	a.exclude_kernel = user_only;
	a.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &a, pid, cpu, -1, 0);
}

static long long bp_count(int fd)
{
	long long n = -1;

	if (fd < 0 || read(fd, &n, sizeof(n)) != sizeof(n))
		n = -1;
	if (fd >= 0)
		close(fd);
	return n;
}

static uint64_t kernel_symbol(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[256], sym[200], type;
	unsigned long long addr;
	uint64_t found = 0;

	while (f && !found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %199s", &addr, &type, sym) == 3 && !strcmp(sym, name))
			found = addr;
	if (f)
		fclose(f);
	return found;
}

/* Single-step a child through STEPS calls of bumped(): the steps taken, or -1. */
static int step_child(void)
{
	uint64_t last = 0;
	int status, steps = 0;
	pid_t pid = fork();
	long s = 0;

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (int i = 0; i < STEPS; i++)
			s += bumped(i);
		_exit((int)(s & 1));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	for (;;) {
		struct user_pt_regs r;
		struct iovec io = { &r, sizeof(r) };

		if (ptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS, &io))
			return -1;
		if (steps && r.pc == last) {
			printf("hwbp: step %d did not move from 0x%llx\n", steps, (unsigned long long)last);
			kill(pid, SIGKILL);
			return -1;
		}
		last = r.pc;
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0) || waitpid(pid, &status, 0) != pid)
			return -1;
		if (WIFEXITED(status))
			return steps;
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
			kill(pid, SIGKILL);
			return -1;
		}
		steps++;
	}
}

int main(void)
{
	long long x, w, k;
	uint64_t getppid_fn = kernel_symbol("__arm64_sys_getppid");
	cpu_set_t cpu0;
	long s = 0;
	int fd, i, steps;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_setaffinity(0, sizeof(cpu0), &cpu0);

	fd = bp_open(HW_BREAKPOINT_X, (uint64_t)(uintptr_t)bumped, 1, 0, -1);
	for (i = 0; i < CALLS; i++)
		s += bumped(i);
	x = bp_count(fd);
	printf("hwbp: user breakpoint %lld hits (want %d)\n", x, CALLS);

	fd = bp_open(HW_BREAKPOINT_W, (uint64_t)(uintptr_t)&watched, 1, 0, -1);
	for (i = 0; i < STORES; i++)
		watched = i;
	w = bp_count(fd);
	printf("hwbp: user watchpoint %lld hits (want %d)\n", w, STORES);

	fd = getppid_fn ? bp_open(HW_BREAKPOINT_X, getppid_fn, 0, -1, 0) : -1;
	for (i = 0; i < KCALLS; i++)
		syscall(SYS_getppid);
	k = bp_count(fd);
	printf("hwbp: kernel breakpoint on __arm64_sys_getppid %lld hits (want >= %d)\n", k, KCALLS);

	steps = step_child();
	printf("hwbp: single-step %d steps (want >= %d), each to a new PC\n", steps, STEPS);

	if (x == CALLS && w == STORES && k >= KCALLS && steps >= STEPS) {
		printf("hwbp: PASS\n");
		return (int)(s & 0);
	}
	printf("hwbp: FAIL\n");
	return 1;
}
