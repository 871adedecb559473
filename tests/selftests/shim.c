// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's KVM selftests against vkvm: the selftests are linked for aarch64
 * with -Wl,--wrap= for the calls below and with vkvm as a shared library
 * (tests/selftests/selftests.mk), so that the tests' "/dev/kvm" is vkvm and
 * their every ioctl, mmap and close goes through it
 * (include/vkvm.h: descriptors vkvm did not hand out reach the system call
 * unchanged).  read, write, pread, pwrite, ftruncate, fallocate and
 * madvise go through vkvm's own too, so that a guest_memfd (and vkvm's
 * other files) answer them as KVM's files do.  Run under qemu-aarch64 by
 * tests/selftests/run.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "vkvm.h"

int __real_open(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);

static int is_kvm(const char *path)
{
	return path && !strcmp(path, "/dev/kvm");
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ?
	       (mode_t)va_arg(ap, int) : 0;
}

/* open(), open64() and openat() alike: "/dev/kvm" is vkvm, the rest the system's */
static int open_at(int dirfd, const char *path, int flags, mode_t mode)
{
	if (is_kvm(path))
		return vkvm_open(flags);
	return dirfd == AT_FDCWD ? __real_open(path, flags, mode) :
	       __real_openat(dirfd, path, flags, mode);
}

int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_at(AT_FDCWD, path, flags, mode);
}

int __wrap_open64(const char *path, int flags, ...)
	__attribute__((alias("__wrap_open")));

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_at(dirfd, path, flags, mode);
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return vkvm_ioctl(fd, request, arg);
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return vkvm_mmap(addr, len, prot, flags, fd, off);
}

void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("__wrap_mmap")));

int __wrap_close(int fd)
{
	return vkvm_close(fd);
}

ssize_t __wrap_read(int fd, void *buf, size_t count)
{
	return vkvm_read(fd, buf, count);
}

ssize_t __wrap_write(int fd, const void *buf, size_t count)
{
	return vkvm_write(fd, buf, count);
}

ssize_t __wrap_pread(int fd, void *buf, size_t count, off_t off)
{
	return vkvm_pread(fd, buf, count, off);
}

ssize_t __wrap_pread64(int fd, void *buf, size_t count, off_t off)
	__attribute__((alias("__wrap_pread")));

ssize_t __wrap_pwrite(int fd, const void *buf, size_t count, off_t off)
{
	return vkvm_pwrite(fd, buf, count, off);
}

ssize_t __wrap_pwrite64(int fd, const void *buf, size_t count, off_t off)
	__attribute__((alias("__wrap_pwrite")));

int __wrap_ftruncate(int fd, off_t len)
{
	return vkvm_ftruncate(fd, len);
}

int __wrap_ftruncate64(int fd, off_t len)
	__attribute__((alias("__wrap_ftruncate")));

int __wrap_fallocate(int fd, int mode, off_t off, off_t len)
{
	return vkvm_fallocate(fd, mode, off, len);
}

int __wrap_fallocate64(int fd, int mode, off_t off, off_t len)
	__attribute__((alias("__wrap_fallocate")));

int __wrap_madvise(void *addr, size_t len, int advice)
{
	return vkvm_madvise(addr, len, advice);
}
