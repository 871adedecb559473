/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tests/vgic's programs (test_vgic.c, test_its.c) share: TAP output
 * and vkvm ioctls returning -errno.  Included once per program.
 */
#ifndef VGIC_TAP_H
#define VGIC_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>
#include <vkvm.h>

#define CORE_REG(name) \
	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE_REG(name))

static int nr_test, nr_failed;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++nr_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		nr_failed++;
}

static long kio(int fd, unsigned long req, void *arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static long kio_val(int fd, unsigned long req, unsigned long arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

/* KVM_{SET,GET,HAS}_DEVICE_ATTR of (group, attr) with val as the user pointer */
static long attr(int fd, unsigned long req, uint32_t group, uint64_t a, void *val)
{
	struct kvm_device_attr at = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)val };

	return kio(fd, req, &at);
}

#endif
