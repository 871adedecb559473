// SPDX-License-Identifier: GPL-2.0
/*
 * Faults injected into the guest (arch/arm64/kvm/inject_fault.c): a
 * synchronous external abort, data or instruction, taken to EL1 at once, and
 * a virtual SError left pending until PSTATE.A lets the guest take it.
 */
#include "kvm_host.h"
#include "run.h"

void kvm_inject_sea(struct kvm_vcpu *vcpu, bool iabt, u64 addr)
{
	struct cpu_state *s = vcpu_state(vcpu);
	u64 esr = 0;

	/* IL as the trapped instruction had it (a 32-bit A64 instruction) */
	if (vcpu->fault.esr & ESR_IL)
		esr |= ESR_IL;
	esr |= (u64)(cpu_current_el(s) == 0 ? EC_IABT_LOW
					    : EC_IABT_CUR) << ESR_EC_SHIFT;
	if (!iabt)
		esr |= (u64)EC_DABT_LOW << ESR_EC_SHIFT;
	/*
	 * After a stage-1 walk failed (the last exit's S1PTW), KVM rewalks
	 * and reports an external abort on the walk at the level whose read
	 * failed (0x14 + level, as in Linux 7.2); otherwise FSC 0x10.
	 */
	if (vcpu->fault.esr & ESR_S1PTW)
		esr |= FSC_SEA_WALK | (vcpu->fault.walk_level & 3);
	else
		esr |= FSC_SEA;

	/* The abort replaces the access: no MMIO completion, PC not advanced. */
	vcpu->mmio_needed = false;
	cpu_take_exception(s, CPU_VEC_SYNC, esr, addr, true);
	cpu_flush_caches(&vcpu->cpu);
}

/* Like HCR_EL2.VSE with VSESR_EL2: the engine takes it when PSTATE.A allows. */
void kvm_inject_serror_esr(struct kvm_vcpu *vcpu, u64 esr)
{
	vcpu->cpu.vserror_esr = esr & ESR_ISS_MASK;
	atomic_fetch_or(&vcpu->cpu.irq_lines, CPU_IRQ_VSERR);
	run_wake(vcpu);		/* a vCPU in WFI takes it too */
}

bool kvm_serror_pending(struct kvm_vcpu *vcpu)
{
	return atomic_load(&vcpu->cpu.irq_lines) & CPU_IRQ_VSERR;
}
