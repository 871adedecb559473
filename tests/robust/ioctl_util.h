/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the hostile-caller ioctl tests (tests/robust/ioctl_*.c): short
 * ioctl wrappers, objects of every kind, descriptor counting, and pointers
 * a hostile caller would pass (misaligned, NULL, unmapped, half mapped).
 */
#ifndef TESTS_ROBUST_IOCTL_UTIL_H
#define TESTS_ROBUST_IOCTL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "../lib/checksuite.h"

/* ioctl result and errno in one value: >= 0 result, or -errno. */
static inline long kio(int fd, unsigned long req, const void *arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static inline long kio_val(int fd, unsigned long req, unsigned long arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

/* Descriptors open in this process (without opening one: it may be at its limit). */
static inline int nr_open_fds(void)
{
	struct rlimit lim;
	int fd, n = 0, max = 65536;

	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_max < (rlim_t)max)
		max = (int)lim.rlim_max;
	for (fd = 0; fd < max; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static inline int open_sys(void)
{
	int fd = vkvm_open(O_RDWR | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static inline int create_vm(int sys)
{
	int fd = (int)kio_val(sys, KVM_CREATE_VM, 0);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static inline int create_vcpu(int vm, unsigned long id)
{
	int fd = (int)kio_val(vm, KVM_CREATE_VCPU, id);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static inline int create_gic(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	ck_assert_int_eq(kio(vm, KVM_CREATE_DEVICE, &cd), 0);
	return (int)cd.fd;
}

static inline long vcpu_init(int vcpu, uint32_t features)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	init.features[0] = features;
	return kio(vcpu, KVM_ARM_VCPU_INIT, &init);
}

/*
 * Three pages: two readable and writable, then one with no access.
 * hostile_at(h, size, kind) gives a pointer for an object of @size bytes.
 */
struct hostile {
	uint8_t *base;
	size_t page;
};

enum hostile_kind {
	H_ALIGNED,		/* valid, 8-byte aligned */
	H_MISALIGNED,		/* valid, at an odd address */
	H_NULL,
	H_UNMAPPED,		/* no access at all */
	H_PARTIAL,		/* the first half mapped, the rest not */
	H_KERNEL,		/* a kernel-half address */
	H_WRAP,			/* object would wrap around the address space */
	H_NR,
};

static const char *const hostile_names[H_NR] = {
	"aligned", "misaligned", "NULL", "unmapped", "half mapped",
	"kernel address", "wrapping",
};

static inline void hostile_init(struct hostile *h)
{
	h->page = (size_t)sysconf(_SC_PAGESIZE);
	h->base = mmap(NULL, 3 * h->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(h->base, MAP_FAILED);
	ck_assert_int_eq(mprotect(h->base + 2 * h->page, h->page, PROT_NONE), 0);
}

static inline void hostile_fini(struct hostile *h)
{
	munmap(h->base, 3 * h->page);
}

static inline bool hostile_valid(enum hostile_kind k)
{
	return k == H_ALIGNED || k == H_MISALIGNED;
}

static inline void *hostile_at(struct hostile *h, size_t size, enum hostile_kind k)
{
	switch (k) {
	case H_ALIGNED:
		return h->base + 64;
	case H_MISALIGNED:
		return h->base + 64 + 3;
	case H_NULL:
		return NULL;
	case H_UNMAPPED:
		return h->base + 2 * h->page;
	case H_PARTIAL:
		return h->base + 2 * h->page - (size > 1 ? size / 2 : 1);
	case H_KERNEL:
		return (void *)(uintptr_t)0xffff800000001000ULL;
	case H_WRAP:
	default:
		return (void *)(uintptr_t)(UINTPTR_MAX - size / 2);
	}
}

/* Put @size bytes of @src at the hostile pointer when it is valid; return it. */
static inline void *hostile_put(struct hostile *h, const void *src, size_t size,
				enum hostile_kind k)
{
	void *p = hostile_at(h, size, k);

	if (hostile_valid(k))
		memcpy(p, src, size);
	else if (k == H_PARTIAL)
		memcpy(p, src, h->base + 2 * h->page - (uint8_t *)p);
	return p;
}

/* One object of each kind: a VM with vCPU 0 and a GICv3 device. */
enum kind { K_SYSTEM, K_VM, K_VCPU, K_DEVICE, K_NR };

static const char *const kind_names[K_NR] = { "system", "VM", "vCPU", "device" };

struct objs {
	int fd[K_NR];
};

static inline void objs_create(struct objs *o)
{
	o->fd[K_SYSTEM] = open_sys();
	o->fd[K_VM] = create_vm(o->fd[K_SYSTEM]);
	o->fd[K_VCPU] = create_vcpu(o->fd[K_VM], 0);
	o->fd[K_DEVICE] = create_gic(o->fd[K_VM]);
}

/* Closes the ones still open (fd >= 0), the device first. */
static inline void objs_close(struct objs *o)
{
	int k;

	for (k = K_NR - 1; k >= 0; k--)
		if (o->fd[k] >= 0)
			ck_assert_int_eq(vkvm_close(o->fd[k]), 0);
}

/* Run @s with TAP on stdout; the exit status of the program. */
static inline int run_tap(Suite *s)
{
	return check_run_tap(srunner_create(s));
}

#endif
