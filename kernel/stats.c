// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_STATS_FD on VM and vCPU fds (virt/kvm/binary_stats.c's layout).
 * Names, types, units and exponents are KVM's for the same statistics.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "stats.h"

#define KVM_STATS_NAME_SIZE	48

struct stat_info {
	const char *name;
	uint32_t flags;
	int16_t exponent;
};

#define CUMUL	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE | KVM_STATS_BASE_POW10)

static const struct stat_info vm_stats[VM_STAT_NR] = {
	[VM_STAT_REMOTE_TLB_FLUSH] = { "remote_tlb_flush", CUMUL, 0 },
	[VM_STAT_REMOTE_TLB_FLUSH_REQUESTS] = { "remote_tlb_flush_requests", CUMUL, 0 },
};

static const struct stat_info vcpu_stats[VCPU_STAT_NR] = {
	[VCPU_STAT_HALT_WAKEUP] = { "halt_wakeup", CUMUL, 0 },
	[VCPU_STAT_HALT_WAIT_NS] = { "halt_wait_ns", KVM_STATS_TYPE_CUMULATIVE |
				     KVM_STATS_UNIT_SECONDS | KVM_STATS_BASE_POW10, -9 },
	[VCPU_STAT_BLOCKING] = { "blocking", KVM_STATS_TYPE_INSTANT |
				 KVM_STATS_UNIT_BOOLEAN | KVM_STATS_BASE_POW10, 0 },
	[VCPU_STAT_HVC_EXIT] = { "hvc_exit_stat", CUMUL, 0 },
	[VCPU_STAT_WFE_EXIT] = { "wfe_exit_stat", CUMUL, 0 },
	[VCPU_STAT_WFI_EXIT] = { "wfi_exit_stat", CUMUL, 0 },
	[VCPU_STAT_MMIO_EXIT_USER] = { "mmio_exit_user", CUMUL, 0 },
	[VCPU_STAT_MMIO_EXIT_KERNEL] = { "mmio_exit_kernel", CUMUL, 0 },
	[VCPU_STAT_SIGNAL_EXITS] = { "signal_exits", CUMUL, 0 },
	[VCPU_STAT_EXITS] = { "exits", CUMUL, 0 },
	[VCPU_STAT_HALT_WAKEUP_KICK] = { "halt_wakeup_kick", CUMUL, 0 },
};

void kvm_stats_init(struct kvm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->data = st->local;
	st->fd = -1;
}

void kvm_stats_destroy(struct kvm_stats *st)
{
	if (st->map)
		munmap(st->map, st->map_size);
	if (st->fd >= 0)
		close(st->fd);
	kvm_stats_init(st);
}

/* The file: header, id, descriptors, data; then our shared view of it. */
static int stats_file_create(struct kvm_stats *st, int is_vcpu, const char *id)
{
	const struct stat_info *info = is_vcpu ? vcpu_stats : vm_stats;
	unsigned int n = is_vcpu ? VCPU_STAT_NR : VM_STAT_NR, i;
	size_t desc_size = sizeof(struct kvm_stats_desc) + KVM_STATS_NAME_SIZE;
	struct kvm_stats_header h = {
		.name_size = KVM_STATS_NAME_SIZE,
		.num_desc = n,
		.id_offset = sizeof(h),
		.desc_offset = sizeof(h) + KVM_STATS_NAME_SIZE,
	};
	char buf[sizeof(struct kvm_stats_desc) + KVM_STATS_NAME_SIZE];
	char name[KVM_STATS_NAME_SIZE] = { 0 };
	size_t size;
	void *map;
	int fd, ret;

	h.data_offset = h.desc_offset + n * desc_size;
	size = h.data_offset + n * sizeof(uint64_t);
	fd = memfd_create("kvm-stats", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		goto out_errno;
	snprintf(name, sizeof(name), "%s", id);
	if (pwrite(fd, &h, sizeof(h), 0) != sizeof(h) ||
	    pwrite(fd, name, sizeof(name), h.id_offset) != sizeof(name))
		goto out_errno;
	for (i = 0; i < n; i++) {
		struct kvm_stats_desc d = {
			.flags = info[i].flags, .exponent = info[i].exponent,
			.size = 1, .offset = i * sizeof(uint64_t),
		};

		memset(buf, 0, sizeof(buf));
		memcpy(buf, &d, sizeof(d));
		snprintf(buf + sizeof(d), KVM_STATS_NAME_SIZE, "%s", info[i].name);
		if (pwrite(fd, buf, desc_size, h.desc_offset + i * desc_size) !=
		    (ssize_t)desc_size)
			goto out_errno;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		goto out_errno;
	/* nobody but us writes it, and its size is fixed (best effort) */
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE);
	memcpy((char *)map + h.data_offset, st->local, n * sizeof(uint64_t));
	st->map = map;
	st->map_size = size;
	st->fd = fd;
	st->data = (uint64_t *)((char *)map + h.data_offset);
	return 0;

out_errno:
	ret = -errno;
	close(fd);
	return ret;
}

int kvm_stats_get_fd(struct kvm_stats *st, int is_vcpu, const char *id)
{
	char path[32];
	int fd, ret;

	if (st->fd < 0) {
		ret = stats_file_create(st, is_vcpu, id);
		if (ret)
			return ret;
	}
	/* a description of its own: its own file offset, read-only, as KVM's */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", st->fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
