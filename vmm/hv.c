// SPDX-License-Identifier: GPL-2.0
/* The two hypervisor providers behind the seam (hv.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vkvm.h>

#include "hv.h"

static int kvm_open(int flags)
{
	return open("/dev/kvm", flags);
}

static int kvm_ioctl(int fd, unsigned long request, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return ioctl(fd, request, arg);
}

const struct hv_ops hv_kvm = {
	.name = "kvm",
	.open = kvm_open,
	.ioctl = kvm_ioctl,
	.mmap = mmap,
	.close = close,
};

const struct hv_ops hv_vkvm = {
	.name = "vkvm",
	.open = vkvm_open,
	.ioctl = vkvm_ioctl,
	.mmap = vkvm_mmap,
	.close = vkvm_close,
};

bool hv_known(const char *accel)
{
	return !accel || !strcmp(accel, "auto") || !strcmp(accel, hv_kvm.name) ||
	       !strcmp(accel, hv_vkvm.name);
}

const struct hv_ops *hv_select(const char *accel)
{
	if (!hv_known(accel)) {
		errno = EINVAL;
		return NULL;
	}
	if (!accel || !strcmp(accel, "auto")) {
#if defined(__aarch64__)
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			return &hv_kvm;
		}
#endif
		return &hv_vkvm;
	}
	return strcmp(accel, hv_kvm.name) ? &hv_vkvm : &hv_kvm;
}
