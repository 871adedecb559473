// SPDX-License-Identifier: GPL-2.0
/*
 * perf-count: Linux perf's hardware events in the guest (vmm run --pmu;
 * tests/boot/linux.spec linux-features).  One group of two counters on this
 * task, user space only: instructions and cycles around a loop of LOOPS
 * rounds of SUBS, B.NE (2 * LOOPS instructions, plus the few between the
 * enabling ioctl's return and the disabling one's entry).  Prints both counts
 * and "perf-count: PASS" when instructions are 2 * LOOPS to 2 * LOOPS + SLACK
 * and cycles are not 0; exit status 0 then.  Static (guests/linux.mk).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOOPS	1000000UL
#define SLACK	10000UL

static int open_counter(uint64_t config, int group)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = config;
	attr.disabled = group < 0;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	attr.read_format = PERF_FORMAT_GROUP;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, group, 0);
}

int main(void)
{
	struct { uint64_t nr, insns, cycles; } v;
	unsigned long n = LOOPS;
	int insns, cycles;

	insns = open_counter(PERF_COUNT_HW_INSTRUCTIONS, -1);
	cycles = insns < 0 ? -1 : open_counter(PERF_COUNT_HW_CPU_CYCLES, insns);
	if (insns < 0 || cycles < 0) {
		printf("perf-count: perf_event_open: %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(insns, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) < 0)
		goto fail;
	asm volatile("1:	subs	%0, %0, #1\n"
		     "	b.ne	1b\n" : "+r"(n) : : "cc");
	if (ioctl(insns, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP) < 0 ||
	    read(insns, &v, sizeof(v)) != (ssize_t)sizeof(v) || v.nr != 2)
		goto fail;
	printf("perf-count: instructions %llu (want %lu to %lu), cycles %llu\n",
	       (unsigned long long)v.insns, 2 * LOOPS, 2 * LOOPS + SLACK,
	       (unsigned long long)v.cycles);
	if (v.insns < 2 * LOOPS || v.insns > 2 * LOOPS + SLACK || !v.cycles) {
		printf("perf-count: FAIL\n");
		return 1;
	}
	printf("perf-count: PASS\n");
	return 0;
fail:
	printf("perf-count: %s\n", strerror(errno));
	return 1;
}
