/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary statistics (KVM_GET_STATS_FD, Documentation/virt/kvm/api.rst
 * "KVM_GET_STATS_FD"): a header, the id string, the descriptors, then the
 * counters, read with pread(2) from a read-only file.
 *
 * The counters live in our own memory until userspace first asks for a
 * stats fd; from then on they live in a shared mapping of a sealed memfd,
 * so that every stats fd reads them as they are, with no call into vkvm.
 * Only the owner's thread writes them (a vCPU's own thread; the VM's under
 * kvm->lock), one aligned u64 at a time.
 */
#ifndef VKVM_STATS_H
#define VKVM_STATS_H

#include <stdint.h>

/* A VM's counters (KVM_GENERIC_VM_STATS) */
enum {
	VM_STAT_REMOTE_TLB_FLUSH,
	VM_STAT_REMOTE_TLB_FLUSH_REQUESTS,
	VM_STAT_NR
};

/* A vCPU's counters: the generic ones vkvm can measure, then arm64's */
enum {
	VCPU_STAT_HALT_WAKEUP,
	VCPU_STAT_HALT_WAIT_NS,
	VCPU_STAT_BLOCKING,
	VCPU_STAT_HVC_EXIT,
	VCPU_STAT_WFE_EXIT,
	VCPU_STAT_WFI_EXIT,
	VCPU_STAT_MMIO_EXIT_USER,
	VCPU_STAT_MMIO_EXIT_KERNEL,
	VCPU_STAT_SIGNAL_EXITS,
	VCPU_STAT_EXITS,
	VCPU_STAT_HALT_WAKEUP_KICK,	/* vkvm's: halts another thread's kick ended */
	VCPU_STAT_NR
};

#define KVM_STATS_MAX	VCPU_STAT_NR

struct kvm_stats {
	uint64_t *data;			/* local, or the shared file's data block */
	uint64_t local[KVM_STATS_MAX];
	int fd;				/* our memfd once created, else -1 */
	void *map;
	size_t map_size;
};

void kvm_stats_init(struct kvm_stats *st);
void kvm_stats_destroy(struct kvm_stats *st);
/* A new read-only stats fd (O_CLOEXEC) for @st, or -errno. */
int kvm_stats_get_fd(struct kvm_stats *st, int is_vcpu, const char *id);

#endif
