// SPDX-License-Identifier: GPL-2.0
/*
 * The test device ("vmm,testdev", ours): present only with `vmm run
 * --testdev`, a test facility like QEMU's pc-testdev.  It is the "test
 * window" of guests/platform.h, with the semantics of tests/guests/harness.c,
 * so the bare-metal guests run the same under the harness and under vmm:
 *
 *   +0x000..0x7ff  pattern: each byte at GPA a reads (a & 0xff) ^ 0x5a;
 *                  writes are ignored
 *   +0x800..0xfff  scratch: RAM-like, zero at first
 *   +0x1000        control, written/read as 64-bit registers:
 *     +0x00 w      SError pending with ESR = value on the accessing vCPU
 *                  (KVM_SET_VCPU_EVENTS, serror_has_esr)
 *     +0x08 w      SError pending without ESR on the accessing vCPU
 *     +0x10 r      bit 0: KVM_CAP_ARM_SEA_TO_USER is on; bit 1: the page of
 *                  TESTDEV_POISON_GPA was poisoned (--inject-memory-error)
 *     +0x18 w      an MSI, as a device's write of EventID (low word) to the
 *                  ITS's GITS_TRANSLATER with DeviceID (high word):
 *                  KVM_SIGNAL_MSI (--irqchip gicv3-its)
 *     +0x20 r      KVM_SIGNAL_MSI's last answer: 1 delivered, 0 blocked,
 *                  -errno (none yet: -ENODEV)
 *
 * Anything else reads as zero and ignores writes (with --loglevel debug a
 * line says so).  The rest of 0x0a00_0000.. stays unbacked: the NISV and
 * instruction-abort guests use 0x0a10_0000 and 0x0a20_0000.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../vmm/vcpu.h"
#include "../vmm/vmm.h"
#include "device.h"
#include "testdev.h"

struct testdev {
	pthread_mutex_t lock;		/* vCPU threads access it concurrently */
	uint8_t scratch[TESTDEV_SCRATCH_LEN];
	int64_t msi_result;
};

uint8_t testdev_pattern_byte(uint64_t gpa)
{
	return (uint8_t)((gpa & 0xff) ^ 0x5a);
}

static int testdev_init(struct device *dev)
{
	struct testdev *td = calloc(1, sizeof(*td));

	if (!td)
		return -1;
	pthread_mutex_init(&td->lock, NULL);
	td->msi_result = -ENODEV;
	dev->priv = td;
	return 0;
}

static void testdev_exit(struct device *dev)
{
	struct testdev *td = dev->priv;

	if (td)
		pthread_mutex_destroy(&td->lock);
	free(td);
	dev->priv = NULL;
}

/* Whether one of --inject-memory-error's pages is TESTDEV_POISON_GPA's, and poisoned. */
static bool poisoned(const struct vm *vm)
{
	unsigned int i;

	if (!vm->memory_errors_on)
		return false;
	for (i = 0; i < vm->cfg->nr_memory_errors; i++)
		if ((vm->cfg->memory_errors[i] >> 12) == (TESTDEV_POISON_GPA >> 12))
			return true;
	return false;
}

uint64_t testdev_sea_mode(const struct vm *vm)
{
	return (vm->sea_to_user_on ? TESTDEV_SEA_MODE_TO_USER : 0) |
	       (poisoned(vm) ? TESTDEV_SEA_MODE_POISONED : 0);
}

static bool in(uint64_t off, unsigned int len, uint64_t start, uint64_t size)
{
	return off >= start && off + len <= start + size;
}

static uint64_t testdev_read(struct device *dev, unsigned int vcpu, uint64_t off,
			     unsigned int len)
{
	struct testdev *td = dev->priv;
	uint64_t val = 0;
	unsigned int i;

	if (in(off, len, TESTDEV_PATTERN_OFF, TESTDEV_PATTERN_LEN)) {
		for (i = 0; i < len; i++)
			val |= (uint64_t)testdev_pattern_byte(dev->region->base + off + i) << (8 * i);
	} else if (in(off, len, TESTDEV_SCRATCH_OFF, TESTDEV_SCRATCH_LEN)) {
		pthread_mutex_lock(&td->lock);
		for (i = 0; i < len; i++)
			val |= (uint64_t)td->scratch[off - TESTDEV_SCRATCH_OFF + i] << (8 * i);
		pthread_mutex_unlock(&td->lock);
	} else if (off == TESTDEV_CTL_OFF + TESTDEV_CTL_SEA_MODE) {
		val = testdev_sea_mode(dev->vm);
	} else if (off == TESTDEV_CTL_OFF + TESTDEV_CTL_MSI_RESULT) {
		pthread_mutex_lock(&td->lock);
		val = (uint64_t)td->msi_result;
		pthread_mutex_unlock(&td->lock);
	} else {
		pr_debug_rl("testdev: vCPU %u: %u-byte read at offset %#" PRIx64 " reads as 0\n",
			 vcpu, len, off);
	}
	return val;
}

/* A device's MSI: its write to the ITS's doorbell, which the hypervisor takes */
static void testdev_msi(struct device *dev, uint64_t val)
{
	struct testdev *td = dev->priv;
	struct vm *vm = dev->vm;
	uint64_t db = vm->its_base + GITS_TRANSLATER;
	struct kvm_msi msi = {
		.address_lo = (uint32_t)db, .address_hi = (uint32_t)(db >> 32),
		.data = (uint32_t)val, .flags = KVM_MSI_VALID_DEVID,
		.devid = (uint32_t)(val >> 32),
	};
	int64_t ret = -ENODEV;

	if (vm->its_fd >= 0) {
		ret = vm->hv->ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
		if (ret < 0)
			ret = -errno;
	}
	pr_debug_rl("testdev: MSI DeviceID %u EventID %u: %" PRId64 "\n", msi.devid,
		    msi.data, ret);
	pthread_mutex_lock(&td->lock);
	td->msi_result = ret;
	pthread_mutex_unlock(&td->lock);
}

static void testdev_write(struct device *dev, unsigned int vcpu, uint64_t off,
			  unsigned int len, uint64_t val)
{
	struct testdev *td = dev->priv;
	struct vcpu *v = &dev->vm->vcpus[vcpu];
	unsigned int i;

	if (in(off, len, TESTDEV_PATTERN_OFF, TESTDEV_PATTERN_LEN))
		return;		/* the pattern is read-only */
	if (in(off, len, TESTDEV_SCRATCH_OFF, TESTDEV_SCRATCH_LEN)) {
		pthread_mutex_lock(&td->lock);
		for (i = 0; i < len; i++)
			td->scratch[off - TESTDEV_SCRATCH_OFF + i] = (uint8_t)(val >> (8 * i));
		pthread_mutex_unlock(&td->lock);
	} else if (off == TESTDEV_CTL_OFF + TESTDEV_CTL_SERROR_ESR) {
		pr_info_rl("testdev: SError with ESR %#" PRIx64 " made pending on vCPU %u\n",
			val, vcpu);
		if (vcpu_inject_serror(v, true, val) < 0)
			vm_stop(dev->vm, VMM_EXIT_INTERNAL);
	} else if (off == TESTDEV_CTL_OFF + TESTDEV_CTL_MSI) {
		testdev_msi(dev, val);
	} else if (off == TESTDEV_CTL_OFF + TESTDEV_CTL_SERROR) {
		pr_info_rl("testdev: SError without ESR made pending on vCPU %u\n", vcpu);
		if (vcpu_inject_serror(v, false, 0) < 0)
			vm_stop(dev->vm, VMM_EXIT_INTERNAL);
	} else {
		pr_debug_rl("testdev: vCPU %u: %u-byte write of %#" PRIx64 " at offset %#" PRIx64
			 " ignored\n", vcpu, len, val, off);
	}
}

static int testdev_fdt_props(struct device *dev, void *fdt)
{
	return fdt_property_string(fdt, "compatible", "vmm,testdev");
}

static const struct device_ops testdev_ops = {
	.name = "testdev",
	.init = testdev_init,
	.exit = testdev_exit,
	.read = testdev_read,
	.write = testdev_write,
	.fdt_props = testdev_fdt_props,
};
DEVICE_REGISTER(testdev_ops)
