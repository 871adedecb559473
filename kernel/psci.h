/* SPDX-License-Identifier: GPL-2.0 */
/* PSCI and SMCCC over HVC/SMC (arch/arm64/kvm/psci.c, hypercalls.c). */
#ifndef VKVM_PSCI_H
#define VKVM_PSCI_H

#include "kvm_host.h"

#define KVM_ARM_PSCI_0_1	PSCI_VERSION(0, 1)
#define KVM_ARM_PSCI_0_2	PSCI_VERSION(0, 2)
#define KVM_ARM_PSCI_1_0	PSCI_VERSION(1, 0)
#define KVM_ARM_PSCI_1_1	PSCI_VERSION(1, 1)
#define KVM_ARM_PSCI_1_2	PSCI_VERSION(1, 2)
#define KVM_ARM_PSCI_1_3	PSCI_VERSION(1, 3)
#define KVM_ARM_PSCI_LATEST	KVM_ARM_PSCI_1_3

u32 kvm_psci_version(const struct kvm_vcpu *vcpu);
/* > 0: continue the guest; 0: exit to userspace (kvm_run filled in). */
int kvm_psci_call(struct kvm_vcpu *vcpu);
int kvm_smccc_call_handler(struct kvm_vcpu *vcpu);

#endif
