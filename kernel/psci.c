// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI (0.1, 0.2, 1.0 to 1.3) as KVM implements it for its guests: CPU
 * power management between vCPU threads and system events for userspace.
 * Function numbers and return codes: Arm DEN0022 and include/uapi/linux/psci.h.
 */
#include <linux/psci.h>

#include "psci.h"
#include "run.h"

#define MPIDR_HWID_BITMASK	0xff00ffffffULL

u32 kvm_psci_version(const struct kvm_vcpu *vcpu)
{
	if (vcpu_has_feature(vcpu, KVM_ARM_VCPU_PSCI_0_2))
		return vcpu->kvm->psci_version;
	return KVM_ARM_PSCI_0_1;
}

static u64 smccc_get_arg(struct kvm_vcpu *vcpu, int n)
{
	return vcpu_state(vcpu)->x[n];
}

static u64 vcpu_mpidr(struct kvm_vcpu *vcpu)
{
	return vcpu_state(vcpu)->sysreg[SR_MPIDR_EL1] & MPIDR_HWID_BITMASK;
}

static struct kvm_vcpu *kvm_mpidr_to_vcpu(struct kvm *kvm, u64 mpidr)
{
	unsigned int i;

	mpidr &= MPIDR_HWID_BITMASK;
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpus[i];

		if (v && vcpu_mpidr(v) == mpidr)
			return v;
	}
	return NULL;
}

static u64 psci_affinity_mask(u64 level)
{
	if (level <= 3)
		return MPIDR_HWID_BITMASK & ~((1ULL << (level * 8)) - 1);
	return 0;
}

static void kvm_psci_narrow_to_32bit(struct kvm_vcpu *vcpu)
{
	int i;

	/* SMC32 calls: arguments are 32 bits wide */
	for (i = 1; i < 4; i++)
		vcpu_state(vcpu)->x[i] = (u32)vcpu_state(vcpu)->x[i];
}

static void vcpu_power_off(struct kvm_vcpu *vcpu)
{
	atomic_store(&vcpu->mp_state, KVM_MP_STATE_STOPPED);
	run_wake(vcpu);
}

static long kvm_psci_vcpu_on(struct kvm_vcpu *source)
{
	struct kvm *kvm = source->kvm;
	struct kvm_vcpu *target;
	u64 cpu_id = smccc_get_arg(source, 1);
	long ret = PSCI_RET_SUCCESS;

	if (kvm_psci_version(source) != KVM_ARM_PSCI_0_1 &&
	    (cpu_id & ~MPIDR_HWID_BITMASK))
		return PSCI_RET_INVALID_PARAMS;

	pthread_mutex_lock(&kvm->lock);
	target = kvm_mpidr_to_vcpu(kvm, cpu_id);
	if (!target) {
		ret = PSCI_RET_INVALID_PARAMS;
		goto out;
	}
	pthread_mutex_lock(&target->mp_lock);
	if (atomic_load(&target->mp_state) != KVM_MP_STATE_STOPPED) {
		if (kvm_psci_version(source) == KVM_ARM_PSCI_0_1)
			ret = PSCI_RET_INVALID_PARAMS;
		else if (target->reset_state.pending)
			ret = PSCI_RET_ON_PENDING;
		else
			ret = PSCI_RET_ALREADY_ON;
		pthread_mutex_unlock(&target->mp_lock);
		goto out;
	}
	/* The target resets itself on its own thread, then starts at pc. */
	target->reset_state.pc = smccc_get_arg(source, 2);
	target->reset_state.r0 = smccc_get_arg(source, 3);
	target->reset_state.pending = true;
	atomic_store(&target->mp_state, KVM_MP_STATE_RUNNABLE);
	pthread_mutex_unlock(&target->mp_lock);
	run_wake(target);
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

static long kvm_psci_vcpu_affinity_info(struct kvm_vcpu *vcpu)
{
	u64 target = smccc_get_arg(vcpu, 1);
	u64 level = smccc_get_arg(vcpu, 2);
	u64 mask = psci_affinity_mask(level);
	struct kvm *kvm = vcpu->kvm;
	unsigned int i;

	if (!mask)
		return PSCI_RET_INVALID_PARAMS;
	target &= mask;
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpus[i];

		if (v && (vcpu_mpidr(v) & mask) == target &&
		    atomic_load(&v->mp_state) != KVM_MP_STATE_STOPPED)
			return PSCI_0_2_AFFINITY_LEVEL_ON;
	}
	return PSCI_0_2_AFFINITY_LEVEL_OFF;
}

static void kvm_prepare_system_event(struct kvm_vcpu *vcpu, u32 type, u64 flags)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_run *run = vcpu->run;
	unsigned int i;

	/* Every vCPU stops; userspace decides what happens next. */
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpus[i])
			vcpu_power_off(kvm->vcpus[i]);
	memset(&run->system_event, 0, sizeof(run->system_event));
	run->system_event.type = type;
	run->system_event.ndata = 1;
	run->system_event.data[0] = flags;
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
}

/* PSCI_FEATURES: 0 (or SYSTEM_OFF2's types) for a call this version has */
static long psci_features(struct kvm_vcpu *vcpu, u32 fn)
{
	u32 ver = kvm_psci_version(vcpu);
	bool known;

	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case 0x80000000:	/* ARM_SMCCC_VERSION_FUNC_ID */
		known = true;
		break;
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
		known = ver >= KVM_ARM_PSCI_1_1;
		break;
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		known = vcpu->kvm->system_suspend;
		break;
	case PSCI_1_3_FN_SYSTEM_OFF2:
	case PSCI_1_3_FN64_SYSTEM_OFF2:
		/* the power-off types it takes: hibernation only, as KVM */
		return ver >= KVM_ARM_PSCI_1_3 ? (long)PSCI_1_3_OFF_TYPE_HIBERNATE_OFF :
						 PSCI_RET_NOT_SUPPORTED;
	default:
		known = false;
		break;
	}
	return known ? 0 : PSCI_RET_NOT_SUPPORTED;
}

/* PSCI 0.2 and later; 0 exits to userspace, 1 continues. */
static int kvm_psci_0_2_call(struct kvm_vcpu *vcpu, u32 fn)
{
	u32 ver = kvm_psci_version(vcpu);
	long val = PSCI_RET_NOT_SUPPORTED;
	int ret = 1;

	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		val = ver;
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		/* As KVM: a suspend is a WFI; wake-up returns success. */
		if (kvm_vcpu_block(vcpu))
			return -EINTR;
		val = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_OFF:
		vcpu_power_off(vcpu);
		val = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_ON:
		kvm_psci_narrow_to_32bit(vcpu);
		/* fallthrough */
	case PSCI_0_2_FN64_CPU_ON:
		val = kvm_psci_vcpu_on(vcpu);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
		kvm_psci_narrow_to_32bit(vcpu);
		/* fallthrough */
	case PSCI_0_2_FN64_AFFINITY_INFO:
		val = kvm_psci_vcpu_affinity_info(vcpu);
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		/* no Trusted OS: nothing to migrate */
		val = PSCI_0_2_TOS_MP;
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		kvm_prepare_system_event(vcpu, KVM_SYSTEM_EVENT_SHUTDOWN, 0);
		/* a guest resumed after SYSTEM_OFF sees a failure */
		val = PSCI_RET_INTERNAL_FAILURE;
		ret = 0;
		break;
	case PSCI_0_2_FN_SYSTEM_RESET:
		kvm_prepare_system_event(vcpu, KVM_SYSTEM_EVENT_RESET, 0);
		val = PSCI_RET_INTERNAL_FAILURE;
		ret = 0;
		break;
	case PSCI_1_0_FN_PSCI_FEATURES:
		if (ver < KVM_ARM_PSCI_1_0)
			break;
		val = psci_features(vcpu, (u32)smccc_get_arg(vcpu, 1));
		break;
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
		kvm_psci_narrow_to_32bit(vcpu);
		/* fallthrough */
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		/*
		 * KVM_CAP_ARM_SYSTEM_SUSPEND: userspace implements it from the
		 * call's arguments, so the registers stay as the guest left
		 * them (api.rst, KVM_SYSTEM_EVENT_SUSPEND).
		 */
		if (ver < KVM_ARM_PSCI_1_0 || !vcpu->kvm->system_suspend)
			break;
		memset(&vcpu->run->system_event, 0, sizeof(vcpu->run->system_event));
		vcpu->run->system_event.type = KVM_SYSTEM_EVENT_SUSPEND;
		vcpu->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
		return 0;
	case PSCI_1_1_FN_SYSTEM_RESET2:
		kvm_psci_narrow_to_32bit(vcpu);
		/* fallthrough */
	case PSCI_1_1_FN64_SYSTEM_RESET2: {
		u64 type = smccc_get_arg(vcpu, 1);

		if (ver < KVM_ARM_PSCI_1_1)
			break;
		if (type <= PSCI_1_1_RESET_TYPE_SYSTEM_WARM_RESET ||
		    type >= PSCI_1_1_RESET_TYPE_VENDOR_START) {
			kvm_prepare_system_event(vcpu, KVM_SYSTEM_EVENT_RESET,
						 KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
			val = PSCI_RET_INTERNAL_FAILURE;
			ret = 0;
		} else {
			val = PSCI_RET_INVALID_PARAMS;
		}
		break;
	}
	case PSCI_1_3_FN_SYSTEM_OFF2:
		kvm_psci_narrow_to_32bit(vcpu);
		/* fallthrough */
	case PSCI_1_3_FN64_SYSTEM_OFF2:
		if (ver < KVM_ARM_PSCI_1_3)
			break;
		/*
		 * Type 0 means HIBERNATE_OFF, the only one; KVM reads the type
		 * as 32 bits.  The cookie (x2) must be 0.
		 */
		if (((u32)smccc_get_arg(vcpu, 1) &&
		     (u32)smccc_get_arg(vcpu, 1) != PSCI_1_3_OFF_TYPE_HIBERNATE_OFF) ||
		    smccc_get_arg(vcpu, 2)) {
			val = PSCI_RET_INVALID_PARAMS;
			break;
		}
		kvm_prepare_system_event(vcpu, KVM_SYSTEM_EVENT_SHUTDOWN,
					 KVM_SYSTEM_EVENT_SHUTDOWN_FLAG_PSCI_OFF2);
		val = PSCI_RET_INTERNAL_FAILURE;	/* if resumed */
		ret = 0;
		break;
	default:
		break;
	}
	vcpu_state(vcpu)->x[0] = (u64)val;
	return ret;
}

/* PSCI 0.1: the function numbers KVM publishes in its device tree. */
static int kvm_psci_0_1_call(struct kvm_vcpu *vcpu, u32 fn)
{
	long val = PSCI_RET_NOT_SUPPORTED;

	switch (fn) {
	case KVM_PSCI_FN_CPU_OFF:
		vcpu_power_off(vcpu);
		val = PSCI_RET_SUCCESS;
		break;
	case KVM_PSCI_FN_CPU_ON:
		val = kvm_psci_vcpu_on(vcpu);
		break;
	}
	vcpu_state(vcpu)->x[0] = (u64)val;
	return 1;
}

int kvm_psci_call(struct kvm_vcpu *vcpu)
{
	u32 fn = (u32)smccc_get_arg(vcpu, 0);

	if (kvm_psci_version(vcpu) == KVM_ARM_PSCI_0_1)
		return kvm_psci_0_1_call(vcpu, fn);
	return kvm_psci_0_2_call(vcpu, fn);
}
