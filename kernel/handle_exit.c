// SPDX-License-Identifier: GPL-2.0
/*
 * What to do when the engine stops: dispatch on the exception class of the
 * syndrome it reports, as arch/arm64/kvm/handle_exit.c does with ESR_EL2.
 * A handler returns > 0 to keep running, 0 to return to userspace with
 * kvm_run filled in, < 0 for KVM_RUN to fail with that errno.
 */
#include "run.h"
#include "psci.h"

#define ESR_ELx_EC_UNKNOWN	0x00
#define ESR_ELx_EC_WFx		0x01
#define ESR_ELx_EC_HVC64	0x16
#define ESR_ELx_EC_SMC64	0x17
#define ESR_ELx_EC_SOFTSTP_LOW	0x32
#define ESR_ELx_EC_SOFTSTP_CUR	0x33
#define ESR_ELx_EC_MAX		0x3f

#define ESR_ELx_WFx_ISS_WFE	BIT_ULL(0)
#define ESR_ELx_S1PTW		BIT_ULL(7)
#define ESR_ELx_CM		BIT_ULL(8)

typedef int (*exit_handle_fn)(struct kvm_vcpu *vcpu);

static int kvm_handle_wfx(struct kvm_vcpu *vcpu)
{
	/* WFE: nothing to wait for that the guest could not see by spinning */
	if (vcpu->fault.esr & ESR_ELx_WFx_ISS_WFE)
		return 1;
	return kvm_vcpu_block(vcpu) ? -EINTR : 1;
}

static int handle_hvc(struct kvm_vcpu *vcpu)
{
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

static int kvm_handle_guest_abort(struct kvm_vcpu *vcpu)
{
	u64 esr = vcpu->fault.esr;
	bool is_iabt = ESR_ELx_EC(esr) == ESR_ELx_EC_IABT_LOW ||
		       ESR_ELx_EC(esr) == ESR_ELx_EC_IABT_CUR;

	/* An instruction fetch from outside memory: a prefetch abort. */
	if (is_iabt) {
		kvm_inject_sea(vcpu, true, vcpu->fault.far);
		return 1;
	}
	/* A stage-1 table walk outside memory: an external data abort. */
	if (esr & ESR_ELx_S1PTW) {
		kvm_inject_sea(vcpu, false, vcpu->fault.far);
		return 1;
	}
	/* Cache maintenance by VA on something that is not memory: a no-op. */
	if (esr & ESR_ELx_CM) {
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

static const exit_handle_fn arm_exit_handlers[ESR_ELx_EC_MAX + 1] = {
	[ESR_ELx_EC_WFx]		= kvm_handle_wfx,
	[ESR_ELx_EC_HVC64]		= handle_hvc,
	[ESR_ELx_EC_SMC64]		= handle_smc,
	[ESR_ELx_EC_IABT_LOW]		= kvm_handle_guest_abort,
	[ESR_ELx_EC_IABT_CUR]		= kvm_handle_guest_abort,
	[ESR_ELx_EC_DABT_LOW]		= kvm_handle_guest_abort,
	[ESR_ELx_EC_DABT_CUR]		= kvm_handle_guest_abort,
	[ESR_ELx_EC_SOFTSTP_LOW]	= kvm_handle_debug,
	[ESR_ELx_EC_SOFTSTP_CUR]	= kvm_handle_debug,
};

int handle_exit(struct kvm_vcpu *vcpu)
{
	const struct cpu_exit *e = &vcpu->cpu.exit;

	switch (e->reason) {
	case CPU_EXIT_NONE:
		return 1;
	case CPU_EXIT_KICK:
		return vcpu->run->immediate_exit ? -EINTR : 1;
	case CPU_EXIT_INTERNAL:
		vcpu->fault.esr = e->esr;
		return kvm_handle_unknown_ec(vcpu);
	default:
		break;
	}
	/* Like ESR_EL2/FAR_EL2/HPFAR_EL2, kept until the next such exit. */
	vcpu->fault.esr = e->esr;
	if (e->reason == CPU_EXIT_ABORT) {
		vcpu->fault.far = e->far;
		vcpu->fault.ipa = e->ipa;
	}
	if (!arm_exit_handlers[ESR_ELx_EC(e->esr)])
		return kvm_handle_unknown_ec(vcpu);
	return arm_exit_handlers[ESR_ELx_EC(e->esr)](vcpu);
}
