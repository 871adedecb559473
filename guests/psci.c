// SPDX-License-Identifier: GPL-2.0
/*
 * psci: the PSCI 1.1 calls a guest OS makes, over HVC (Arm DEN0022):
 * PSCI_VERSION, PSCI_FEATURES, AFFINITY_INFO, CPU_ON of vCPU 1 (twice: a
 * vCPU that did CPU_OFF can be turned on again), CPU_ON of a vCPU that does
 * not exist, and at last SYSTEM_OFF, which the harness sees as
 * KVM_EXIT_SYSTEM_EVENT (shutdown).  On a failed check the guest exits
 * through the test-exit device with status 1 instead.
 */
#include "rt.h"

#define SECONDARY_MPIDR	1	/* KVM: Aff0 = vCPU id for ids < 16 */

static volatile u64 ran, secondary_mpidr, secondary_el;
static u64 stack[1024] __attribute__((aligned(16)));
static struct rt_cpu_boot boot;

static void secondary(void *arg)
{
	secondary_mpidr = read_sysreg(mpidr_el1);
	secondary_el = read_sysreg(CurrentEL) >> 2;
	dsb(sy);
	ran = ran + (u64)(uintptr_t)arg;
	dsb(sy);
	/* returning to rt_secondary_entry calls PSCI CPU_OFF */
}

/* Waits up to 10 s of the generic timer for cond(); returns its last value. */
static int wait_for(int (*cond)(void))
{
	u64 freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntvct_el0);

	if (!freq)
		freq = 62500000;
	while (!cond()) {
		if (read_sysreg(cntvct_el0) - start > 10 * freq)
			return cond();
		asm volatile("yield");
	}
	return 1;
}

static u64 want_ran;
static int secondary_ran(void)
{
	return ran == want_ran;
}

static int secondary_off(void)
{
	return psci_call(PSCI_AFFINITY_INFO, SECONDARY_MPIDR, 0, 0) == PSCI_AFF_OFF;
}

static void feature(const char *name, u32 fn, long want)
{
	long r = psci_call(PSCI_FEATURES, fn, 0, 0);

	check(r == want, "PSCI_FEATURES(%s 0x%08x) = %ld (want %ld)", name, fn, r, want);
}

static void cpu_on_once(unsigned int n)
{
	long r;

	want_ran = ran + 1;	/* boot.arg */
	r = rt_cpu_on(SECONDARY_MPIDR, &boot);
	check(r == PSCI_SUCCESS, "CPU_ON(vCPU 1) #%u = %ld (want 0)", n, r);
	check(wait_for(secondary_ran), "vCPU 1 ran the function (#%u)", n);
	check(wait_for(secondary_off), "AFFINITY_INFO(vCPU 1) = OFF again after its CPU_OFF (#%u)", n);
}

int main(void)
{
	long r;
	int status;

	boot.stack_top = (u64)(uintptr_t)&stack[ARRAY_SIZE(stack)];
	boot.fn = secondary;
	boot.arg = (void *)1;

	r = psci_call(PSCI_VERSION, 0, 0, 0);
	/* 1.1 or a later 1.x: vkvm and Linux 6.1 say 1.1, Linux 7.2 says 1.3 */
	check(r >= 0x10001 && r <= 0x1ffff, "PSCI_VERSION = 0x%lx (want 1.1 or a later 1.x)", r);

	feature("PSCI_VERSION", PSCI_VERSION, 0);
	feature("CPU_OFF", PSCI_CPU_OFF, 0);
	feature("CPU_ON", PSCI_CPU_ON, 0);
	feature("AFFINITY_INFO", PSCI_AFFINITY_INFO, 0);
	feature("SYSTEM_OFF", PSCI_SYSTEM_OFF, 0);
	feature("SYSTEM_RESET", PSCI_SYSTEM_RESET, 0);
	feature("PSCI_FEATURES", PSCI_FEATURES, 0);
	feature("SYSTEM_RESET2", PSCI_SYSTEM_RESET2, 0);
	feature("an unknown function", 0x840000ffU, PSCI_NOT_SUPPORTED);

	r = psci_call(PSCI_AFFINITY_INFO, read_sysreg(mpidr_el1) & 0xff00ffffffUL, 0, 0);
	check(r == PSCI_AFF_ON, "AFFINITY_INFO(vCPU 0, itself) = %ld (want 0, ON)", r);
	r = psci_call(PSCI_AFFINITY_INFO, SECONDARY_MPIDR, 0, 0);
	check(r == PSCI_AFF_OFF, "AFFINITY_INFO(vCPU 1) = %ld (want 1, OFF: powered off at start)", r);

	cpu_on_once(1);
	check((secondary_mpidr & 0xff) == SECONDARY_MPIDR && secondary_el == 1,
	      "vCPU 1 ran at EL1 with MPIDR_EL1 0x%lx", (unsigned long)secondary_mpidr);
	cpu_on_once(2);

	r = rt_cpu_on(0xff, &boot);
	check(r == PSCI_INVALID_PARAMS, "CPU_ON(MPIDR 0xff, no such vCPU) = %ld (want -2)", r);

	status = rt_report("psci");
	if (status)
		return status;
	printf("psci: SYSTEM_OFF\n");
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("FAIL: SYSTEM_OFF returned\n");
	return 1;
}
