// SPDX-License-Identifier: GPL-2.0
/* hello: the smallest guest — a greeting, then exit status 0. */
#include "rt.h"

int main(void)
{
	u64 el = read_sysreg(CurrentEL) >> 2;

	printf("Hello from a bare-metal guest (EL%lu, loaded at %p, x0 = 0x%lx)\n",
	       (unsigned long)el, (void *)rt_secondary_entry, (unsigned long)rt_dtb);
	check(el == 1, "running at EL1");
	return rt_report("hello");
}
