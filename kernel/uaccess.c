// SPDX-License-Identifier: GPL-2.0
/*
 * Copying ioctl arguments from and to the caller.
 *
 * KVM answers EFAULT for a bad pointer instead of crashing; so must we,
 * although we share the caller's address space.  process_vm_readv/writev on
 * our own pid copies through the kernel and fails cleanly on an unmapped
 * address.  Where a sandbox forbids them, we fall back to plain copies
 * after rejecting the obviously bad (NULL page) pointers.
 */
#include <sys/uio.h>
#include <unistd.h>

#include "kvm_host.h"

static _Atomic int vm_rw_broken;

static bool obviously_bad(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	return a < 4096 || a + len < a;
}

int copy_from_user(void *dst, const void *usrc, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)usrc, len };
	ssize_t n;

	if (!len)
		return 0;
	if (obviously_bad(usrc, len))
		return -EFAULT;
	if (!atomic_load_explicit(&vm_rw_broken, memory_order_relaxed)) {
		n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		atomic_store(&vm_rw_broken, 1);
	}
	memcpy(dst, usrc, len);
	return 0;
}

int copy_to_user(void *udst, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { udst, len };
	ssize_t n;

	if (!len)
		return 0;
	if (obviously_bad(udst, len))
		return -EFAULT;
	if (!atomic_load_explicit(&vm_rw_broken, memory_order_relaxed)) {
		n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		atomic_store(&vm_rw_broken, 1);
	}
	memcpy(udst, src, len);
	return 0;
}
