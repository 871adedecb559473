// SPDX-License-Identifier: GPL-2.0
/*
 * What to do when the engine stops: dispatch on the exception class of the
 * syndrome it reports, as arch/arm64/kvm/handle_exit.c does with ESR_EL2.
 * A handler returns > 0 to keep running, 0 to return to userspace with
 * kvm_run filled in, < 0 for KVM_RUN to fail with that errno.
 */
#include <sched.h>

#include "run.h"
#include "psci.h"

typedef int (*exit_handle_fn)(struct kvm_vcpu *vcpu);

static int kvm_handle_wfx(struct kvm_vcpu *vcpu)
{
	/* WFE waits for an event; a vCPU waiting for a lock sleeps, so the
	 * host runs the lock holder's thread (kvm_vcpu_on_spin()'s aim) */
	if (vcpu->fault.esr & ESR_WFX_WFE) {
		vcpu->stats.data[VCPU_STAT_WFE_EXIT]++;
		return kvm_vcpu_wfe(vcpu) ? -EINTR : 1;
	}
	vcpu->stats.data[VCPU_STAT_WFI_EXIT]++;
	return kvm_vcpu_block(vcpu) ? -EINTR : 1;
}

static int handle_hvc(struct kvm_vcpu *vcpu)
{
	vcpu->stats.data[VCPU_STAT_HVC_EXIT]++;
	return kvm_smccc_call_handler(vcpu);
}

static int handle_smc(struct kvm_vcpu *vcpu)
{
	/* SMCCC says imm16 is 0; anything else is not a call we know */
	if (vcpu->fault.esr & 0xffff) {
		vcpu_state(vcpu)->x[0] = ~0ULL;
		return 1;
	}
	return kvm_smccc_call_handler(vcpu);
}

/* Is the abort a synchronous external abort (incl. on a table walk)? */
static bool kvm_vcpu_abt_issea(u64 esr)
{
	switch (esr & ESR_FSC_MASK) {
	case 0x10:			/* external abort */
	case 0x14: case 0x15: case 0x16: case 0x17:	/* ... on a walk, level 0-3 */
	case 0x18:			/* parity/ECC */
	case 0x1c: case 0x1d: case 0x1e: case 0x1f:
		return true;
	}
	return false;
}

/*
 * An access hit an uncorrected memory error.  With KVM_CAP_ARM_SEA_TO_USER
 * userspace gets KVM_EXIT_ARM_SEA and decides (typically it injects an
 * abort); without it the guest gets an SError, which is what KVM does when
 * the host cannot claim the error.
 */
static int kvm_handle_guest_sea(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u64 esr = vcpu->fault.esr;
	u64 mask = (0x3fULL << ESR_EC_SHIFT) | ESR_IL | ESR_FNV |
		   ESR_EA | ESR_CM | ESR_WNR | ESR_FSC_MASK |
		   ESR_SET_MASK;	/* SET: the CPU implements RAS */

	if (!vcpu->kvm->sea_to_user) {
		kvm_inject_serror_esr(vcpu, ESR_ISV);
		return 1;
	}
	memset(&run->arm_sea, 0, sizeof(run->arm_sea));
	run->exit_reason = KVM_EXIT_ARM_SEA;
	run->arm_sea.esr = esr & mask;
	if (!(esr & ESR_FNV))
		run->arm_sea.gva = vcpu->fault.far;
	/* the IPA as HPFAR_EL2 gives it: the page */
	run->arm_sea.flags |= KVM_EXIT_ARM_SEA_FLAG_GPA_VALID;
	run->arm_sea.gpa = vcpu->fault.ipa & ~0xfffULL;
	return 0;
}

static int kvm_handle_guest_abort(struct kvm_vcpu *vcpu)
{
	u64 esr = vcpu->fault.esr;
	bool is_iabt = ESR_EC(esr) == EC_IABT_LOW ||
		       ESR_EC(esr) == EC_IABT_CUR;

	if (kvm_vcpu_abt_issea(esr))
		return kvm_handle_guest_sea(vcpu);

	/* An instruction fetch from outside memory: a prefetch abort. */
	if (is_iabt) {
		kvm_inject_sea(vcpu, true, vcpu->fault.far);
		return 1;
	}
	/* A stage-1 table walk outside memory: an external data abort. */
	if (esr & ESR_S1PTW) {
		kvm_inject_sea(vcpu, false, vcpu->fault.far);
		return 1;
	}
	/* Cache maintenance by VA on something that is not memory: a no-op. */
	if (esr & ESR_CM) {
		vcpu_state(vcpu)->pc += 4;
		return 1;
	}
	/* The IPA is reported at page granularity; the VA gives the offset. */
	return io_mem_abort(vcpu, (vcpu->fault.ipa & ~0xfffULL) |
				  (vcpu->fault.far & 0xfff));
}

static int kvm_handle_debug(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.hsr = (u32)vcpu->fault.esr;
	run->debug.arch.hsr_high = (u32)(vcpu->fault.esr >> 32);
	run->debug.arch.far = vcpu->fault.far;
	return 0;
}

/* A software step completed outside the engine: no instruction stepped
 * on entry (ISV 0), as from the active-pending state. */
int kvm_exit_step_done(struct kvm_vcpu *vcpu)
{
	vcpu->fault.esr = ((u64)EC_SOFTSTP_LOW << ESR_EC_SHIFT) |
			  ESR_IL | 0x22;
	vcpu->fault.far = 0;
	return kvm_handle_debug(vcpu);
}

static int kvm_handle_unknown_ec(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 2;
	run->internal.data[0] = vcpu->fault.esr;
	run->internal.data[1] = vcpu_state(vcpu)->pc;
	return 0;
}

static const exit_handle_fn arm_exit_handlers[EC_MAX + 1] = {
	[EC_WFX]		= kvm_handle_wfx,
	[EC_HVC64]		= handle_hvc,
	[EC_SMC64]		= handle_smc,
	[EC_IABT_LOW]		= kvm_handle_guest_abort,
	[EC_IABT_CUR]		= kvm_handle_guest_abort,
	[EC_DABT_LOW]		= kvm_handle_guest_abort,
	[EC_DABT_CUR]		= kvm_handle_guest_abort,
	[EC_BKPT_LOW]		= kvm_handle_debug,
	[EC_SOFTSTP_LOW]	= kvm_handle_debug,
	[EC_SOFTSTP_CUR]	= kvm_handle_debug,
	[EC_WATCHPT_LOW]	= kvm_handle_debug,
	[EC_BRK64]		= kvm_handle_debug,
};

int handle_exit(struct kvm_vcpu *vcpu)
{
	const struct cpu_exit *e = &vcpu->cpu.exit;

	vcpu->stats.data[VCPU_STAT_EXITS]++;
	switch (e->reason) {
	case CPU_EXIT_NONE:
		return 1;
	case CPU_EXIT_KICK:
		if (vcpu->run->immediate_exit)
			return -EINTR;
		/* the engine's countdown is spent (KVM_SET_SIGNAL_MASK) */
		if (vcpu->sigset_active && !vcpu->cpu.sig_poll_left)
			return run_signal_pending(vcpu) ? -EINTR : 1;
		return 1;
	case CPU_EXIT_INTERNAL:
		vcpu->fault.esr = e->esr;
		return kvm_handle_unknown_ec(vcpu);
	case CPU_EXIT_EFAULT:
		/* user_mem_abort(): the VMM's page is not writable */
		return -EFAULT;
	default:
		break;
	}
	/* Like ESR_EL2/FAR_EL2/HPFAR_EL2, kept until the next such exit. */
	vcpu->fault.esr = e->esr;
	if (e->reason == CPU_EXIT_DEBUG)
		vcpu->fault.far = e->far;	/* a watchpoint's address */
	if (e->reason == CPU_EXIT_ABORT) {
		vcpu->fault.far = e->far;
		vcpu->fault.ipa = e->ipa;
		vcpu->fault.walk_level = e->walk_level;
	}
	if (!arm_exit_handlers[ESR_EC(e->esr)])
		return kvm_handle_unknown_ec(vcpu);
	return arm_exit_handlers[ESR_EC(e->esr)](vcpu);
}
