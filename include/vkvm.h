/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vkvm: the Linux KVM arm64 ioctl ABI, implemented in software, in-process.
 *
 * A KVM client written for /dev/kvm ports to vkvm by replacing four calls:
 *
 *	open("/dev/kvm", flags)		-> vkvm_open(flags)
 *	ioctl(fd, request, arg)		-> vkvm_ioctl(fd, request, arg)
 *	mmap(addr, len, prot, flags, fd, off) -> vkvm_mmap(...)
 *	close(fd)			-> vkvm_close(fd)
 *
 * They behave like the system calls: -1 (MAP_FAILED for vkvm_mmap) and errno
 * on error.  The descriptors are real file descriptors; a descriptor vkvm
 * did not hand out is passed to the system call unchanged.
 */
#ifndef VKVM_H
#define VKVM_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int vkvm_open(int flags);
int vkvm_ioctl(int fd, unsigned long request, ...);
void *vkvm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int vkvm_close(int fd);

/*
 * vkvm-specific VM ioctls.  These are emulation facilities with no
 * counterpart in Linux KVM; their numbers sit in a range Linux does not use
 * (KVMIO type, numbers 0xf0 and up).
 */

#ifdef __cplusplus
}
#endif

#endif /* VKVM_H */
