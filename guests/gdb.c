// SPDX-License-Identifier: GPL-2.0
/*
 * gdb: the guest of tests/vmm/test_gdbstub.c, debugged through `vmm run
 * --gdb` by gdb-multiarch.  Its symbols are what the test names: a
 * breakpoint on gdb_add (x0 and x1 its arguments), a hardware watchpoint on
 * gdb_watched, gdb_message read as memory.  Run alone it just passes.
 */
#include "rt.h"

volatile u64 gdb_watched;
const char gdb_message[] = "vmm gdbstub";

__attribute__((noinline)) u64 gdb_add(u64 a, u64 b)
{
	return a + b;
}

int main(void)
{
	u64 r = gdb_add(0x1234, 0x5678);

	gdb_watched = r;
	check(gdb_watched == 0x68ac, "gdb_add(0x1234, 0x5678) = 0x%lx", (unsigned long)r);
	return rt_report("gdb");
}
