// SPDX-License-Identifier: GPL-2.0
/*
 * nisv-abort: an LDP and an STP with writeback to an unbacked IPA.  Neither
 * has a valid syndrome, so the hypervisor exits with KVM_EXIT_ARM_NISV
 * (NISV_TO_USER) and the harness injects an external data abort
 * (ext_dabt_pending).  The guest's handler must see ESR_EL1 EC 0x25 (from
 * EL1), IL 1, FSC 0x10 (synchronous external abort), FAR_EL1 the address of
 * the access, ELR_EL1 the faulting instruction; no register, memory or
 * writeback effect of the aborted instruction may remain.
 */
#include "rt.h"

static void check_abort(const char *insn, unsigned int caught, u64 far, u64 pc)
{
	u64 esr = rt_last.esr;

	check(rt_caught == caught + 1, "%s: one synchronous exception taken (%u)", insn,
	      rt_caught - caught);
	check(ESR_EC(esr) == EC_DABT_CUR && (esr & ESR_IL) && ESR_FSC(esr) == FSC_SEA,
	      "%s: ESR_EL1 0x%08lx: EC 0x%02lx (want 0x25), IL %lu (want 1), FSC 0x%02lx (want 0x10)",
	      insn, (unsigned long)esr, (unsigned long)ESR_EC(esr),
	      (unsigned long)!!(esr & ESR_IL), (unsigned long)ESR_FSC(esr));
	check(rt_last.far == far, "%s: FAR_EL1 0x%lx (want 0x%lx)", insn,
	      (unsigned long)rt_last.far, (unsigned long)far);
	check(rt_last.elr == pc, "%s: ELR_EL1 0x%lx is the faulting instruction (0x%lx)", insn,
	      (unsigned long)rt_last.elr, (unsigned long)pc);
	check((rt_last.spsr & 0xf) == 0x5, "%s: SPSR_EL1 0x%lx says EL1h", insn,
	      (unsigned long)rt_last.spsr);
}

int main(void)
{
	u64 base = UNBACKED_DATA, a = 0x1111, b = 0x2222, pc;
	unsigned int caught;

	rt_set_sync_handler(EC_DABT_CUR, rt_record_and_skip);

	printf("nisv-abort: LDP x, x, [0x%lx]\n", (unsigned long)base);
	caught = rt_caught;
	asm volatile("adr	%[pc], 1f\n"
		     "1:	ldp	%[a], %[b], [%[base]]"
		     : [a] "+r"(a), [b] "+r"(b), [pc] "=&r"(pc) : [base] "r"(base) : "memory");
	check_abort("LDP", caught, UNBACKED_DATA, pc);
	check(a == 0x1111 && b == 0x2222, "LDP: destination registers unchanged (0x%lx, 0x%lx)",
	      (unsigned long)a, (unsigned long)b);

	printf("nisv-abort: STP x, x, [0x%lx, #16]!\n", (unsigned long)base);
	caught = rt_caught;
	asm volatile("adr	%[pc], 1f\n"
		     "1:	stp	%[a], %[b], [%[base], #16]!"
		     : [base] "+r"(base), [pc] "=&r"(pc) : [a] "r"(a), [b] "r"(b) : "memory");
	check_abort("STP", caught, UNBACKED_DATA + 16, pc);
	check(base == UNBACKED_DATA, "STP: no writeback of the base register (0x%lx)",
	      (unsigned long)base);
	return rt_report("nisv-abort");
}
