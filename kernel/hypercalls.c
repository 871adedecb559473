// SPDX-License-Identifier: GPL-2.0
/*
 * SMCCC calls and the firmware pseudo-registers that describe them to
 * userspace (arch/arm64/kvm/hypercalls.c, Documentation/virt/kvm/arm/
 * fw-pseudo-registers.rst).
 *
 * The emulated CPU does not speculate, so it is unaffected by the Spectre
 * variants the SMCCC workarounds address: every workaround register reads
 * NOT_REQUIRED.
 *
 * The firmware bitmaps gate the services as in KVM: a call whose bit is
 * clear answers NOT_SUPPORTED; SMCCC_VERSION, ARCH_FEATURES and PSCI are
 * never gated.
 */
#include <stdlib.h>

#include <linux/psci.h>

#include "arm_smccc.h"
#include "psci.h"

/* KVM's vendor hypervisor UID, 28b46fb6-2ec5-11e9-a9ca-4b564d003a74 */
#define KVM_UID_REG_0	0xb66fb428U
#define KVM_UID_REG_1	0xe911c52eU
#define KVM_UID_REG_2	0x564bcaa9U
#define KVM_UID_REG_3	0x743a004dU

#define KVM_REG_FEATURE_LEVEL_MASK	0xfULL

/* What the firmware interface offers; the bitmaps may only narrow it. */
#define VKVM_SMCCC_STD_FEATURES		BIT_ULL(KVM_REG_ARM_STD_BIT_TRNG_V1_0)
#define VKVM_SMCCC_STD_HYP_FEATURES	BIT_ULL(KVM_REG_ARM_STD_HYP_BIT_PV_TIME)
#define VKVM_SMCCC_VENDOR_HYP_FEATURES	(BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT) | \
					 BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_PTP))
/*
 * Vendor calls 64..127: DISCOVER_IMPL_VER/CPUS, off at reset.  As KVM,
 * only the bits and VENDOR_HYP_KVM_FEATURES's x2: userspace that sets
 * them answers the calls (KVM_ARM_VM_SMCCC_FILTER, FWD_TO_USER).
 */
#define VKVM_SMCCC_VENDOR_HYP_FEATURES_2 \
	(BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_VER) | \
	 BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_CPUS))

static const u64 kvm_arm_fw_reg_ids[] = {
	KVM_REG_ARM_PSCI_VERSION,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
	KVM_REG_ARM_STD_BMAP,
	KVM_REG_ARM_STD_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP_2,
};

void kvm_arm_init_hypercalls(struct kvm *kvm)
{
	kvm->psci_version = KVM_ARM_PSCI_LATEST;
	kvm->fw_std_bmap = VKVM_SMCCC_STD_FEATURES;
	kvm->fw_std_hyp_bmap = VKVM_SMCCC_STD_HYP_FEATURES;
	kvm->fw_vendor_hyp_bmap = VKVM_SMCCC_VENDOR_HYP_FEATURES;
	kvm->fw_vendor_hyp_bmap_2 = 0;
}

int kvm_arm_get_fw_num_regs(struct kvm_vcpu *vcpu)
{
	return ARRAY_SIZE(kvm_arm_fw_reg_ids);
}

int kvm_arm_copy_fw_reg_indices(struct kvm_vcpu *vcpu, void *uindices)
{
	return copy_to_user(uindices, kvm_arm_fw_reg_ids,
			    sizeof(kvm_arm_fw_reg_ids));
}

static u64 kvm_wa_level(u64 id)
{
	switch (id) {
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
		return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
		return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED;
	}
	return 0;
}

int kvm_arm_get_fw_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	struct kvm *kvm = vcpu->kvm;
	u64 val;

	switch (reg->id) {
	case KVM_REG_ARM_PSCI_VERSION:
		val = kvm_psci_version(vcpu);
		break;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		val = kvm_wa_level(reg->id);
		break;
	case KVM_REG_ARM_STD_BMAP:
		val = kvm->fw_std_bmap;
		break;
	case KVM_REG_ARM_STD_HYP_BMAP:
		val = kvm->fw_std_hyp_bmap;
		break;
	case KVM_REG_ARM_VENDOR_HYP_BMAP:
		val = kvm->fw_vendor_hyp_bmap;
		break;
	case KVM_REG_ARM_VENDOR_HYP_BMAP_2:
		val = kvm->fw_vendor_hyp_bmap_2;
		break;
	default:
		return -ENOENT;
	}
	return copy_to_user((void *)(uintptr_t)reg->addr, &val, sizeof(val));
}

static int kvm_arm_set_fw_reg_bmap(struct kvm_vcpu *vcpu, u64 id, u64 val)
{
	struct kvm *kvm = vcpu->kvm;
	u64 *bmap, features;
	int ret = 0;

	switch (id) {
	case KVM_REG_ARM_STD_BMAP:
		bmap = &kvm->fw_std_bmap;
		features = VKVM_SMCCC_STD_FEATURES;
		break;
	case KVM_REG_ARM_STD_HYP_BMAP:
		bmap = &kvm->fw_std_hyp_bmap;
		features = VKVM_SMCCC_STD_HYP_FEATURES;
		break;
	case KVM_REG_ARM_VENDOR_HYP_BMAP:
		bmap = &kvm->fw_vendor_hyp_bmap;
		features = VKVM_SMCCC_VENDOR_HYP_FEATURES;
		break;
	case KVM_REG_ARM_VENDOR_HYP_BMAP_2:
		bmap = &kvm->fw_vendor_hyp_bmap_2;
		features = VKVM_SMCCC_VENDOR_HYP_FEATURES_2;
		break;
	default:
		return -ENOENT;
	}
	if (val & ~features)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	/* Fixed once the VM has run: the guest may have seen them. */
	if (kvm->has_run_once && val != *bmap)
		ret = -EBUSY;
	else
		*bmap = val;
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

int kvm_arm_set_fw_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	bool wants_02 = vcpu_has_feature(vcpu, KVM_ARM_VCPU_PSCI_0_2);
	u64 val, level;
	int ret;

	if (KVM_REG_SIZE(reg->id) != sizeof(val))
		return -ENOENT;
	ret = copy_from_user(&val, (void *)(uintptr_t)reg->addr, sizeof(val));
	if (ret)
		return ret;

	switch (reg->id) {
	case KVM_REG_ARM_PSCI_VERSION:
		switch (val) {
		case KVM_ARM_PSCI_0_1:
			if (wants_02)
				return -EINVAL;
			vcpu->kvm->psci_version = (u32)val;
			return 0;
		case KVM_ARM_PSCI_0_2:
		case KVM_ARM_PSCI_1_0:
		case KVM_ARM_PSCI_1_1:
		case KVM_ARM_PSCI_1_2:
		case KVM_ARM_PSCI_1_3:
			if (!wants_02)
				return -EINVAL;
			vcpu->kvm->psci_version = (u32)val;
			return 0;
		}
		return -EINVAL;

	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		if (val & ~KVM_REG_FEATURE_LEVEL_MASK)
			return -EINVAL;
		if (kvm_wa_level(reg->id) < val)
			return -EINVAL;
		return 0;

	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
		if (val & ~(KVM_REG_FEATURE_LEVEL_MASK |
			    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED))
			return -EINVAL;
		/* ENABLED only makes sense with AVAIL */
		if ((val & KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED) &&
		    (val & KVM_REG_FEATURE_LEVEL_MASK) !=
		    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL)
			return -EINVAL;
		/* The deprecated states fold into NOT_AVAIL and NOT_REQUIRED. */
		switch (val & KVM_REG_FEATURE_LEVEL_MASK) {
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL:
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN:
			level = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL;
			break;
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL:
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED:
			level = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED;
			break;
		default:
			return -EINVAL;
		}
		if (kvm_wa_level(reg->id) < level)
			return -EINVAL;
		return 0;

	case KVM_REG_ARM_STD_BMAP:
	case KVM_REG_ARM_STD_HYP_BMAP:
	case KVM_REG_ARM_VENDOR_HYP_BMAP:
	case KVM_REG_ARM_VENDOR_HYP_BMAP_2:
		return kvm_arm_set_fw_reg_bmap(vcpu, reg->id, val);
	default:
		return -ENOENT;
	}
}

/* ---- the SMCCC filter (KVM_ARM_VM_SMCCC_FILTER) ------------------------- */

/*
 * The Arm Architecture Calls (SMC32 and SMC64 function numbers 0-0xffff)
 * stay KVM's: the filter holds them as HANDLE ranges from its first
 * entry on, so that userspace cannot misreport Spectre mitigations.
 */
#define SMC32_ARCH_RANGE_BEGIN	0x80000000U
#define SMC32_ARCH_RANGE_END	0x8000ffffU
#define SMC64_ARCH_RANGE_BEGIN	0xc0000000U
#define SMC64_ARCH_RANGE_END	0xc000ffffU

/* Insert [first, last] (under kvm->lock); -EEXIST if it overlaps a range. */
static int smccc_filter_insert(struct kvm *kvm, u32 first, u32 last, u8 action)
{
	struct kvm_smccc_range *r;
	unsigned int i, n = kvm->nr_smccc_filter;

	for (i = 0; i < n; i++) {
		if (kvm->smccc_filter[i].first > last)
			break;
		if (kvm->smccc_filter[i].last >= first)
			return -EEXIST;
	}
	r = realloc(kvm->smccc_filter, (n + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
	r[i] = (struct kvm_smccc_range){ .first = first, .last = last, .action = action };
	kvm->smccc_filter = r;
	kvm->nr_smccc_filter = n + 1;
	return 0;
}

static int kvm_smccc_set_filter(struct kvm *kvm, const void *uaddr)
{
	struct kvm_smccc_filter filter;
	u32 start, end;
	unsigned int i;
	int ret;

	ret = copy_from_user(&filter, uaddr, sizeof(filter));
	if (ret)
		return ret;
	for (i = 0; i < sizeof(filter.pad); i++)
		if (filter.pad[i])
			return -EINVAL;
	/* u32 arithmetic: an empty or wrapping range ends before it starts */
	start = filter.base;
	end = start + filter.nr_functions - 1;
	if (end < start || filter.action > KVM_SMCCC_FILTER_FWD_TO_USER)
		return -EINVAL;

	pthread_mutex_lock(&kvm->lock);
	if (kvm->has_run_once) {
		ret = -EBUSY;
		goto out;
	}
	if (!kvm->nr_smccc_filter) {
		ret = smccc_filter_insert(kvm, SMC32_ARCH_RANGE_BEGIN,
					  SMC32_ARCH_RANGE_END, KVM_SMCCC_FILTER_HANDLE);
		if (!ret)
			ret = smccc_filter_insert(kvm, SMC64_ARCH_RANGE_BEGIN,
						  SMC64_ARCH_RANGE_END,
						  KVM_SMCCC_FILTER_HANDLE);
		if (ret) {
			free(kvm->smccc_filter);
			kvm->smccc_filter = NULL;
			kvm->nr_smccc_filter = 0;
			goto out;
		}
	}
	ret = smccc_filter_insert(kvm, start, end, filter.action);
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

int kvm_vm_smccc_has_attr(struct kvm *kvm, const struct kvm_device_attr *attr)
{
	return attr->attr == KVM_ARM_VM_SMCCC_FILTER ? 0 : -ENXIO;
}

int kvm_vm_smccc_set_attr(struct kvm *kvm, const struct kvm_device_attr *attr)
{
	if (attr->attr != KVM_ARM_VM_SMCCC_FILTER)
		return -ENXIO;
	return kvm_smccc_set_filter(kvm, (const void *)(uintptr_t)attr->addr);
}

/*
 * The filter's action for @fn.  Read without the lock: the filter is
 * fixed once a vCPU has run (EBUSY above), and only a running vCPU asks.
 */
static u8 kvm_smccc_filter_get_action(struct kvm *kvm, u32 fn)
{
	unsigned int lo = 0, hi = kvm->nr_smccc_filter;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct kvm_smccc_range *r = &kvm->smccc_filter[mid];

		if (fn < r->first)
			hi = mid;
		else if (fn > r->last)
			lo = mid + 1;
		else
			return r->action;
	}
	return KVM_SMCCC_FILTER_HANDLE;
}

static void kvm_prepare_hypercall_exit(struct kvm_vcpu *vcpu, u32 fn)
{
	struct kvm_run *run = vcpu->run;
	u64 flags = 0;

	if (ESR_EC(vcpu->fault.esr) == EC_SMC64)
		flags |= KVM_HYPERCALL_EXIT_SMC;
	/* A64 instructions are 32-bit: never KVM_HYPERCALL_EXIT_16BIT */
	memset(&run->hypercall, 0, sizeof(run->hypercall));
	run->hypercall.nr = fn;
	run->hypercall.flags = flags;
	run->exit_reason = KVM_EXIT_HYPERCALL;
}

/* Calls the bitmaps never gate: SMCCC discovery and PSCI (0.1's own IDs too) */
static bool kvm_smccc_default_allowed(u32 fn)
{
	switch (fn) {
	case ARM_SMCCC_VERSION_FUNC_ID:
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		return true;
	}
	if (ARM_SMCCC_OWNER_NUM(fn) == ARM_SMCCC_OWNER_STANDARD &&
	    ARM_SMCCC_FUNC_NUM(fn) <= 0x1f)
		return true;
	return fn >= KVM_PSCI_FN_BASE && fn <= KVM_PSCI_FN(3);
}

static bool kvm_smccc_test_fw_bmap(struct kvm *kvm, u32 fn)
{
	switch (fn) {
	case ARM_SMCCC_TRNG_VERSION:
	case ARM_SMCCC_TRNG_FEATURES:
	case ARM_SMCCC_TRNG_GET_UUID:
	case ARM_SMCCC_TRNG_RND32:
	case ARM_SMCCC_TRNG_RND64:
		return kvm->fw_std_bmap & BIT_ULL(KVM_REG_ARM_STD_BIT_TRNG_V1_0);
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
	case ARM_SMCCC_HV_PV_TIME_ST:
		return kvm->fw_std_hyp_bmap & BIT_ULL(KVM_REG_ARM_STD_HYP_BIT_PV_TIME);
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
		return kvm->fw_vendor_hyp_bmap &
		       BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT);
	case ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID:
		return kvm->fw_vendor_hyp_bmap & BIT_ULL(KVM_REG_ARM_VENDOR_HYP_BIT_PTP);
	}
	return false;
}

static long smccc_arch_features(struct kvm_vcpu *vcpu, u32 feature)
{
	switch (feature) {
	case ARM_SMCCC_ARCH_WORKAROUND_1:
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		return SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED;
	case ARM_SMCCC_ARCH_WORKAROUND_2:
		return SMCCC_RET_NOT_REQUIRED;
	case ARM_SMCCC_VERSION_FUNC_ID:
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		return SMCCC_RET_SUCCESS;
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
		if (vcpu->kvm->fw_std_hyp_bmap & BIT_ULL(KVM_REG_ARM_STD_HYP_BIT_PV_TIME))
			return SMCCC_RET_SUCCESS;
		return SMCCC_RET_NOT_SUPPORTED;
	default:
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

/*
 * KVM_PTP: CLOCK_REALTIME and the guest's virtual or physical count at the
 * same instant, each split in 32-bit halves; x0 stays NOT_SUPPORTED for an
 * unknown counter.
 */
static void kvm_ptp_get_time(struct kvm_vcpu *vcpu, u64 val[4])
{
	u64 real, cycles = kvm_counter_snapshot(&real);

	switch ((u32)vcpu_state(vcpu)->x[1]) {
	case KVM_PTP_VIRT_COUNTER:
		cycles -= kvm_timer_vcnt_offset(vcpu);
		break;
	case KVM_PTP_PHYS_COUNTER:
		cycles -= kvm_timer_poffset(vcpu->kvm);
		break;
	default:
		return;
	}
	val[0] = real >> 32;
	val[1] = (u32)real;
	val[2] = cycles >> 32;
	val[3] = (u32)cycles;
}

/* HVC/SMC from the guest: > 0 continue, 0 exit to userspace, < 0 error. */
int kvm_smccc_call_handler(struct kvm_vcpu *vcpu)
{
	struct cpu_state *s = vcpu_state(vcpu);
	struct kvm *kvm = vcpu->kvm;
	u32 fn = (u32)s->x[0];
	u64 val[4] = { (u64)SMCCC_RET_NOT_SUPPORTED, 0, 0, 0 };
	int i;

	/* the filter comes before the firmware bitmaps, PSCI included */
	switch (kvm_smccc_filter_get_action(kvm, fn)) {
	case KVM_SMCCC_FILTER_DENY:
		goto out;
	case KVM_SMCCC_FILTER_FWD_TO_USER:
		kvm_prepare_hypercall_exit(vcpu, fn);
		return 0;
	}
	if (!kvm_smccc_test_fw_bmap(kvm, fn) && !kvm_smccc_default_allowed(fn))
		goto out;

	switch (fn) {
	case ARM_SMCCC_VERSION_FUNC_ID:
		val[0] = ARM_SMCCC_VERSION_1_1;
		break;
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		val[0] = (u64)smccc_arch_features(vcpu, (u32)s->x[1]);
		break;
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
		val[0] = (u64)kvm_hypercall_pv_features(vcpu);
		break;
	case ARM_SMCCC_HV_PV_TIME_ST:
		if (kvm_init_stolen_time(vcpu) != INVALID_GPA)
			val[0] = vcpu->steal.base;
		break;
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
		val[0] = KVM_UID_REG_0;
		val[1] = KVM_UID_REG_1;
		val[2] = KVM_UID_REG_2;
		val[3] = KVM_UID_REG_3;
		break;
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
		val[0] = kvm->fw_vendor_hyp_bmap;
		val[2] = kvm->fw_vendor_hyp_bmap_2;	/* calls 64..95 */
		break;
	case ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID:
		kvm_ptp_get_time(vcpu, val);
		break;
	case ARM_SMCCC_TRNG_VERSION:
	case ARM_SMCCC_TRNG_FEATURES:
	case ARM_SMCCC_TRNG_GET_UUID:
	case ARM_SMCCC_TRNG_RND32:
	case ARM_SMCCC_TRNG_RND64:
		kvm_trng_call(vcpu, fn, val);
		break;
	default:
		return kvm_psci_call(vcpu);
	}
out:
	for (i = 0; i < 4; i++)
		s->x[i] = val[i];
	return 1;
}
