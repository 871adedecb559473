/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam: how vmm reaches a hypervisor.  Four operations shaped like the
 * system calls a KVM client uses; one table calls the real ones on
 * /dev/kvm, the other calls libvkvm (include/vkvm.h).
 */
#ifndef VMM_HV_H
#define VMM_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hv_ops {
	const char *name;
	int (*open)(int flags);
	int (*ioctl)(int fd, unsigned long request, ...);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*close)(int fd);
};

extern const struct hv_ops hv_kvm;
extern const struct hv_ops hv_vkvm;

/* "auto" (KVM if /dev/kvm opens on an arm64 host, else vkvm), "kvm", "vkvm" */
const struct hv_ops *hv_select(const char *accel);
/* @accel is one of those (NULL is auto) */
bool hv_known(const char *accel);

#endif
