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
 * did not hand out is passed to the system call unchanged.  As with KVM, an
 * object lives as long as its open file description (dups included); close
 * vkvm's descriptors with vkvm_close(), which is how vkvm learns that the
 * last one is gone (docs/abi.md, "Descriptors").
 */
#ifndef VKVM_H
#define VKVM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int vkvm_open(int flags);
int vkvm_ioctl(int fd, unsigned long request, ...);
void *vkvm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int vkvm_close(int fd);

/*
 * The file calls whose answer differs between KVM's files and the memfds
 * vkvm hands out for them (docs/abi.md, "guest_memfd"): read, write,
 * pread, pwrite and ftruncate on a descriptor of vkvm's fail with EINVAL,
 * as on KVM's files; fallocate is a guest_memfd's (KVM's rules: KEEP_SIZE,
 * page-aligned, allocation within its size), EOPNOTSUPP on vkvm's other
 * descriptors.  A descriptor vkvm did not hand out goes to the system call
 * unchanged.  Made directly, these system calls act on the memfd.
 * vkvm_madvise() likewise refuses MADV_COLLAPSE of a guest_memfd's mapping.
 */
ssize_t vkvm_read(int fd, void *buf, size_t count);
ssize_t vkvm_write(int fd, const void *buf, size_t count);
ssize_t vkvm_pread(int fd, void *buf, size_t count, off_t off);
ssize_t vkvm_pwrite(int fd, const void *buf, size_t count, off_t off);
int vkvm_ftruncate(int fd, off_t len);
int vkvm_fallocate(int fd, int mode, off_t off, off_t len);
/* madvise(2), but MADV_COLLAPSE of a guest_memfd's mapping is EINVAL, as KVM's */
int vkvm_madvise(void *addr, size_t len, int advice);

/*
 * The name of the row of vkvm's instruction table that decodes the A64
 * word insn (e.g. "LDR_x_uimm"), or "undefined" when vkvm has none: for
 * diagnostics, so that a user sees what vkvm made of an instruction.
 * Names are not ABI: they follow the table (docs/internals.md).
 */
const char *vkvm_insn_name(uint32_t insn);

/*
 * vkvm-specific VM ioctls.  These are emulation facilities with no
 * counterpart in Linux KVM; their numbers sit in a range Linux does not use
 * (KVMIO type 0xAE, numbers 0xf0 and up).
 */

/*
 * VKVM_SET_MEMORY_ERROR: emulate (or clear) an uncorrected memory error in
 * guest RAM.  Every page of [gpa, gpa + size) becomes poisoned when flags
 * has VKVM_MEMORY_ERROR_POISON, healthy again when it does not.  A data
 * access, instruction fetch or stage-1 table walk that touches a poisoned
 * page is a synchronous external abort: KVM_EXIT_ARM_SEA when userspace
 * enabled KVM_CAP_ARM_SEA_TO_USER, else an SError made pending to the
 * guest, as KVM does with an error the host cannot claim.
 *
 * Errors: EINVAL for an unaligned or empty range, unknown flags, non-zero
 * reserved, or a range not wholly inside memslots; ENOMEM, also when the
 * VM would have more than 2^20 poisoned pages (4 GiB).
 */
struct vkvm_memory_error {
	uint64_t gpa;		/* page aligned */
	uint64_t size;		/* bytes, a multiple of the page size */
	uint32_t flags;
	uint32_t reserved;	/* must be 0 */
};

#define VKVM_MEMORY_ERROR_POISON	(1u << 0)

#define VKVM_SET_MEMORY_ERROR	_IOW(0xAE, 0xf0, struct vkvm_memory_error)

#ifdef __cplusplus
}
#endif

#endif /* VKVM_H */
