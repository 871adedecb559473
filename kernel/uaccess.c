// SPDX-License-Identifier: GPL-2.0
/*
 * Copying ioctl arguments from and to the caller.
 *
 * KVM answers EFAULT for a bad pointer instead of crashing; so must we,
 * although we share the caller's address space.  process_vm_readv/writev on
 * our own pid copies through the kernel and fails cleanly on an unmapped
 * address.  Where a sandbox forbids them, we fall back to plain copies
 * after rejecting the obviously bad (NULL page) pointers.
 *
 * Both name the process by pid: getpid() is a syscall each time (glibc
 * caches nothing), and a KVM_RUN of a VM with PV time copies twice, so
 * the pid is kept, and forgotten in a fork()'s child (pthread_atfork),
 * which would otherwise copy from its parent.
 */
#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kvm_host.h"

static _Atomic int vm_rw_broken;

static _Atomic pid_t self_pid;

static void forget_pid(void)
{
	atomic_store_explicit(&self_pid, 0, memory_order_relaxed);
}

static void register_forget_pid(void)
{
	pthread_atfork(NULL, NULL, forget_pid);
}

static pid_t my_pid(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pid_t pid = atomic_load_explicit(&self_pid, memory_order_relaxed);

	if (!pid) {
		pthread_once(&once, register_forget_pid);
		pid = getpid();
		atomic_store_explicit(&self_pid, pid, memory_order_relaxed);
	}
	return pid;
}

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
		n = process_vm_readv(my_pid(), &local, 1, &remote, 1, 0);
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
		n = process_vm_writev(my_pid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		atomic_store(&vm_rw_broken, 1);
	}
	memcpy(udst, src, len);
	return 0;
}
