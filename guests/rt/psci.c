// SPDX-License-Identifier: GPL-2.0
/* PSCI over HVC #0, SMC Calling Convention (Arm DEN0028): x0 = function, x1..x3 arguments, x0 = result. */
#include "rt.h"

long psci_call(u32 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	/* SMCCC 1.0 lets the callee clobber x0-x17 */
	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

noreturn void psci_cpu_off(void)
{
	long r = psci_call(PSCI_CPU_OFF, 0, 0, 0);

	printf("FAIL: PSCI CPU_OFF returned %ld\n", r);
	rt_exit(4);
}

noreturn void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

long rt_cpu_on(u64 mpidr, struct rt_cpu_boot *boot)
{
	return psci_call(PSCI_CPU_ON, mpidr, (u64)(uintptr_t)rt_secondary_entry,
			 (u64)(uintptr_t)boot);
}
