// SPDX-License-Identifier: GPL-2.0
/*
 * sea: read (and, with SEA to user, branch to) a RAM page the harness marked
 * as holding an uncorrected memory error (VKVM_SET_MEMORY_ERROR, vkvm only).
 *
 * With KVM_CAP_ARM_SEA_TO_USER the hypervisor exits with KVM_EXIT_ARM_SEA
 * and the harness injects an external data (instruction) abort: ESR_EL1
 * EC 0x25 (0x21), FSC 0x10, FAR_EL1 the address.  Without it the hypervisor
 * makes an SError pending, as KVM does with an error the host cannot claim;
 * the load does not complete, so the SError is taken at it (ELR_EL1 = the
 * load) and the handler steps over it.
 */
#include "rt.h"

static u64 load_pc;

static int skip_load(struct rt_frame *f, unsigned int vec)
{
	rt_record(f, vec);
	if (f->elr == load_pc)
		f->elr += 4;
	return 1;
}

static int return_to_lr(struct rt_frame *f, unsigned int vec)
{
	rt_record(f, vec);
	f->elr = f->x[30];
	return 1;
}

static u64 load(u64 addr)
{
	u64 v = 0x5555;

	u64 pc;

	/* load_pc is stored before the load: the exception may come at it */
	asm volatile("adr	%[pc], 1f\n"
		     "str	%[pc], [%[slot]]\n"
		     "1:	ldr	%[v], [%[a]]"
		     : [v] "+r"(v), [pc] "=&r"(pc)
		     : [a] "r"(addr), [slot] "r"(&load_pc) : "memory");
	return v;
}

int main(void)
{
	u64 mode = readq(TESTDEV_CTL + CTL_SEA_MODE), addr = POISON_GPA + 0x28, esr;
	unsigned int caught = rt_caught;

	if (!(mode & SEA_MODE_POISONED)) {
		rt_skip("the harness poisoned no page");
		return rt_report("sea");
	}
	if (mode & SEA_MODE_TO_USER) {
		printf("sea: LDR from poisoned 0x%lx, SEA to user\n", (unsigned long)addr);
		rt_set_sync_handler(EC_DABT_CUR, rt_record_and_skip);
		load(addr);
		esr = rt_last.esr;
		check(rt_caught == caught + 1 && ESR_EC(esr) == EC_DABT_CUR &&
		      ESR_FSC(esr) == FSC_SEA && rt_last.far == addr && rt_last.elr == load_pc,
		      "synchronous external abort: ESR_EL1 0x%08lx (want EC 0x25, FSC 0x10), FAR 0x%lx (want 0x%lx), ELR at the load: %s",
		      (unsigned long)esr, (unsigned long)rt_last.far, (unsigned long)addr,
		      rt_last.elr == load_pc ? "yes" : "no");

		addr = POISON_GPA + 0x100;
		printf("sea: BLR to poisoned 0x%lx, SEA to user\n", (unsigned long)addr);
		rt_set_sync_handler(EC_IABT_CUR, return_to_lr);
		caught = rt_caught;
		asm volatile("blr %0" : : "r"(addr) : "x30", "memory");
		esr = rt_last.esr;
		check(rt_caught == caught + 1 && ESR_EC(esr) == EC_IABT_CUR &&
		      ESR_FSC(esr) == FSC_SEA && rt_last.far == addr && rt_last.elr == addr,
		      "synchronous external instruction abort: ESR_EL1 0x%08lx (want EC 0x21, IFSC 0x10), FAR 0x%lx, ELR 0x%lx (want 0x%lx)",
		      (unsigned long)esr, (unsigned long)rt_last.far, (unsigned long)rt_last.elr,
		      (unsigned long)addr);
	} else {
		printf("sea: LDR from poisoned 0x%lx, no SEA to user\n", (unsigned long)addr);
		rt_set_handler(VEC_SERROR, skip_load);
		asm volatile("msr daifclr, #4\n\tisb" : : : "memory");
		load(addr);
		asm volatile("msr daifset, #4\n\tisb" : : : "memory");
		esr = rt_last.esr;
		check(rt_caught == caught + 1 && (rt_last.vec & 3) == VEC_SERROR &&
		      ESR_EC(esr) == EC_SERROR,
		      "SError for the poisoned read: %u taken, ESR_EL1 0x%08lx (want EC 0x2f), ELR at the load: %s",
		      rt_caught - caught, (unsigned long)esr, rt_last.elr == load_pc ? "yes" : "no");
	}
	return rt_report("sea");
}
