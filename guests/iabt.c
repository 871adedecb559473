// SPDX-License-Identifier: GPL-2.0
/*
 * iabt: branch to an unbacked IPA.  There is nothing to emulate an
 * instruction fetch with, so the hypervisor itself injects an instruction
 * abort (KVM: kvm_inject_pabt): ESR_EL1 EC 0x21 (from EL1), IL 1, IFSC 0x10,
 * FAR_EL1 and ELR_EL1 the branch target.  The handler returns to the
 * caller through x30, as if the call had returned.
 */
#include "rt.h"

static int return_to_lr(struct rt_frame *f, unsigned int vec)
{
	rt_record(f, vec);
	f->elr = f->x[30];
	return 1;
}

static void branch_to(u64 target)
{
	unsigned int caught = rt_caught;
	u64 esr;

	printf("iabt: BLR to 0x%lx\n", (unsigned long)target);
	asm volatile("blr %0" : : "r"(target) : "x30", "memory");
	esr = rt_last.esr;
	check(rt_caught == caught + 1, "one exception taken (%u)", rt_caught - caught);
	check(ESR_EC(esr) == EC_IABT_CUR && (esr & ESR_IL) && ESR_FSC(esr) == FSC_SEA,
	      "instruction abort: ESR_EL1 EC 0x%02lx (want 0x21), IL %lu, IFSC 0x%02lx (want 0x10); ESR 0x%08lx",
	      (unsigned long)ESR_EC(esr), (unsigned long)!!(esr & ESR_IL),
	      (unsigned long)ESR_FSC(esr), (unsigned long)esr);
	check(rt_last.far == target, "FAR_EL1 0x%lx (want 0x%lx)", (unsigned long)rt_last.far,
	      (unsigned long)target);
	check(rt_last.elr == target, "ELR_EL1 0x%lx (want 0x%lx)", (unsigned long)rt_last.elr,
	      (unsigned long)target);
}

int main(void)
{
	rt_set_sync_handler(EC_IABT_CUR, return_to_lr);
	branch_to(UNBACKED_CODE);
	branch_to(UNBACKED_CODE + 0x1234);
	return rt_report("iabt");
}
