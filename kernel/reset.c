// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU reset and SVE vector-length configuration (arch/arm64/kvm/reset.c).
 *
 * The emulated host implements SVE at 128, 256, 512, 1024 and 2048 bits
 * (VQ 1, 2, 4, 8, 16): the power-of-two lengths, which is what Armv9
 * requires of hardware.  A vCPU's default set is all of them; userspace may
 * cut the set at a maximum through KVM_REG_ARM64_SVE_VLS before finalizing.
 */
#include "kvm_host.h"

/* PSTATE at reset: EL1h with every exception masked (KVM's VCPU_RESET_PSTATE_EL1). */
#define VCPU_RESET_PSTATE_EL1	(PSR_MODE_EL1h | PSR_A_BIT | PSR_I_BIT | \
				 PSR_F_BIT | PSR_D_BIT)
/* ...and EL2h for a vCPU with EL2 (VCPU_RESET_PSTATE_EL2) */
#define VCPU_RESET_PSTATE_EL2	(PSR_MODE_EL2h | PSR_A_BIT | PSR_I_BIT | \
				 PSR_F_BIT | PSR_D_BIT)

bool kvm_sve_vq_available(unsigned int vq)
{
	return vq >= 1 && vq <= VKVM_SVE_VQ_MAX && (VKVM_SVE_VQ_MAP & BIT(vq));
}

void kvm_reset_vcpu(struct kvm_vcpu *vcpu)
{
	struct cpu_state *s = vcpu_state(vcpu);
	bool pending;
	u64 pc = 0, r0 = 0;

	pthread_mutex_lock(&vcpu->mp_lock);
	pending = vcpu->reset_state.pending;
	if (pending) {
		pc = vcpu->reset_state.pc;
		r0 = vcpu->reset_state.r0;
		vcpu->reset_state.pending = false;
	}
	pthread_mutex_unlock(&vcpu->mp_lock);

	memset(s->x, 0, sizeof(s->x));
	s->sp_el0 = s->sp_el1 = s->sp_el2 = s->elr_el1 = 0;
	memset(s->spsr, 0, sizeof(s->spsr));
	s->pc = 0;
	s->pstate = vcpu_has_el2(vcpu) ? VCPU_RESET_PSTATE_EL2 : VCPU_RESET_PSTATE_EL1;
	s->fpsr = s->fpcr = 0;
	memset(s->z, 0, sizeof(s->z));
	memset(s->p, 0, sizeof(s->p));
	memset(s->ffr, 0, sizeof(s->ffr));
	kvm_reset_sys_regs(vcpu);

	vcpu->cpu.vserror_esr = 0;
	atomic_fetch_and(&vcpu->cpu.irq_lines, ~CPU_IRQ_VSERR);
	vcpu->mmio_needed = false;
	cpu_flush_caches(&vcpu->cpu);

	/* PSCI CPU_ON: start at the entry point with the context ID in x0 */
	if (pending) {
		s->pc = pc;
		s->x[0] = r0;
	}
}

/* A CPU_ON from another vCPU asked for a reset: do it on this thread. */
void kvm_vcpu_apply_pending_reset(struct kvm_vcpu *vcpu)
{
	bool pending;

	pthread_mutex_lock(&vcpu->mp_lock);
	pending = vcpu->reset_state.pending;
	pthread_mutex_unlock(&vcpu->mp_lock);
	if (pending)
		kvm_reset_vcpu(vcpu);
}

int kvm_arm_vcpu_finalize(struct kvm_vcpu *vcpu, int feature)
{
	switch (feature) {
	case KVM_ARM_VCPU_SVE:
		if (!vcpu_has_sve(vcpu))
			return -EINVAL;
		if (vcpu->sve_finalized)
			return -EPERM;
		/* the state is allocated at the largest length: nothing to size */
		vcpu->sve_finalized = true;
		vcpu->cpu.sve_max_vq = vcpu->sve_max_vq;	/* the engine's SVE length */
		return 0;
	}
	return -EINVAL;
}
