// SPDX-License-Identifier: GPL-2.0
/*
 * sve-vl: report the SVE vector length.  If ID_AA64PFR0_EL1.SVE says SVE is
 * there: enable it for EL1 (CPACR_EL1.ZEN and FPEN), ask for the largest
 * length (ZCR_EL1.LEN = 15; the hypervisor caps it at the VM's), then RDVL
 * and print "vl=<bits>".
 */
#include "rt.h"

int main(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), vl;
	unsigned int sve = (pfr0 >> 32) & 0xf, caught;

	printf("sve-vl: ID_AA64PFR0_EL1 0x%016lx, SVE field %u\n", (unsigned long)pfr0, sve);
	if (!sve) {
		printf("SVE not implemented\n");
		return rt_report("sve-vl");
	}
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN | CPACR_ZEN, cpacr_el1);
	isb();
	/* the SVE support of an engine may lag its ID registers: say which part */
	rt_set_sync_handler(EC_UNKNOWN, rt_record_and_skip);
	write_sysreg(0xf, S3_0_C1_C2_0);	/* ZCR_EL1.LEN: the largest */
	isb();
	if (rt_caught)
		check(0, "MSR ZCR_EL1 is UNDEFINED although ID_AA64PFR0_EL1.SVE = %u", sve);
	caught = rt_caught;
	asm volatile("mov x0, xzr\n\t"
		     ".inst 0x04bf5020\n\t"	/* rdvl x0, #1 */
		     "mov %0, x0" : "=r"(vl) : : "x0");
	rt_set_sync_handler(EC_UNKNOWN, 0);
	if (rt_caught != caught) {
		check(0, "RDVL is UNDEFINED although ID_AA64PFR0_EL1.SVE = %u", sve);
		return rt_report("sve-vl");
	}
	printf("vl=%lu\n", (unsigned long)vl * 8);
	check(vl >= 16 && vl <= 256 && !(vl % 16), "RDVL: %lu bytes, a multiple of 16 up to 256",
	      (unsigned long)vl);
	return rt_report("sve-vl");
}
