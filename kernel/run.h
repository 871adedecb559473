/* SPDX-License-Identifier: GPL-2.0 */
/* KVM_RUN: the run loop, blocking and waking vCPUs, exit handling. */
#ifndef VKVM_RUN_H
#define VKVM_RUN_H

#include "kvm_host.h"

int run_wait_init(struct kvm_vcpu *vcpu);
void run_wait_destroy(struct kvm_vcpu *vcpu);
/* Wake @vcpu if it sleeps (WFI, powered off) and make a running one exit. */
void run_wake(struct kvm_vcpu *vcpu);

/* KVM_SET_SIGNAL_MASK: the mask's signalfd; KVM_RUN under it; a look at
 * the pending signals (true: one the mask lets through, KVM_RUN ends) */
int run_sigmask_set(struct kvm_vcpu *vcpu, const sigset_t *kvm_mask);
int run_sigmask_run(struct kvm_vcpu *vcpu);
bool run_signal_pending(struct kvm_vcpu *vcpu);

int kvm_vcpu_block(struct kvm_vcpu *vcpu);
int kvm_vcpu_wfe(struct kvm_vcpu *vcpu);
int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu);
int kvm_arch_vcpu_ioctl_set_guest_debug(struct kvm_vcpu *vcpu, void *argp);

/* handle_exit.c: > 0 continue running, 0 exit to userspace, < 0 error */
int handle_exit(struct kvm_vcpu *vcpu);
/* KVM_EXIT_DEBUG for a single step completed outside the engine; 0 */
int kvm_exit_step_done(struct kvm_vcpu *vcpu);

/* mmio.c */
int io_mem_abort(struct kvm_vcpu *vcpu, u64 fault_ipa);
/* Complete an MMIO read and step over the access; false if none was pending. */
bool kvm_handle_mmio_return(struct kvm_vcpu *vcpu);

#endif
