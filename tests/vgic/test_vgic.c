// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel GICv3 through libvkvm (TAP): KVM_CREATE_DEVICE and every
 * attribute error path, KVM_IRQ_LINE's encoding, the capabilities, the
 * vCPU timer attributes; then guests (tests/vgic/guest/vgic.S) that check
 * distributor, redistributor and ICC_* semantics without exiting, take an
 * SPI raised by KVM_IRQ_LINE and by an irqfd, an SGI from vCPU 0 to vCPU 1
 * on two threads, a virtual-timer interrupt that wakes WFI (with the host
 * CPU time it cost), and an ioeventfd.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vgic-tap.h"

extern const unsigned char vgic_guest[], vgic_guest_end[];

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define GICD_GPA	0x08000000ULL
#define GICR_GPA	0x080a0000ULL
#define REPORT_GPA	0x0a000000ULL
#define IOEVENT_GPA	0x0a001000ULL
#define ID_AA64PFR0	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
			 (3 << 14) | (0 << 11) | (0 << 7) | (4 << 3) | 0)

static int sys_fd;

static int new_vm(void)
{
	return (int)kio_val(sys_fd, KVM_CREATE_VM, 0);
}

static int create_gic(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	long r = kio(vm, KVM_CREATE_DEVICE, &cd);

	return r < 0 ? (int)r : (int)cd.fd;
}

static long set_addr(int gic, uint64_t type, uint64_t addr)
{
	return attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);
}

static long ctrl_init(int gic)
{
	return attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
		    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

static uint64_t region(uint64_t base, uint64_t count, uint64_t index)
{
	return base | (count << 52) | index;
}

/* ---- device creation, attributes, capabilities ---------------------------------- */

static void test_create_device(void)
{
	struct kvm_create_device cd = { 0 };
	int vm = new_vm(), gic;

	cd.type = KVM_DEV_TYPE_ARM_VGIC_ITS;
	cd.flags = KVM_CREATE_DEVICE_TEST;
	ok(kio(vm, KVM_CREATE_DEVICE, &cd) == 0, "VGIC_ITS: exists (tests/vgic/test_its.c)");
	cd.flags = 0;
	cd.type = 1000;
	ok(kio(vm, KVM_CREATE_DEVICE, &cd) == -ENODEV, "an unknown type: ENODEV");
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	cd.flags = KVM_CREATE_DEVICE_TEST;
	ok(kio(vm, KVM_CREATE_DEVICE, &cd) == 0, "VGIC_V3 with KVM_CREATE_DEVICE_TEST: 0");
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V2;
	ok(kio(vm, KVM_CREATE_DEVICE, &cd) == 0, "VGIC_V2 with TEST: 0 (tests/unit/test_vgic_v2.c)");
	ok(kio(vm, KVM_CREATE_DEVICE, (void *)8) == -EFAULT, "bad pointer: EFAULT");
	gic = create_gic(vm);
	ok(gic >= 0, "VGIC_V3: a device fd (%d)", gic);
	ok(create_gic(vm) == -EEXIST, "a second GIC: EEXIST");
	ok(kio_val(gic, KVM_RUN, 0) == -ENOTTY, "an ioctl the device does not have: ENOTTY");
	ok(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS) == 512, "MAX_VCPUS with a GICv3: 512");
	vkvm_close(gic);
	vkvm_close(vm);
}

static void test_caps(void)
{
	static const struct { long cap; const char *name; } caps[] = {
		{ KVM_CAP_IRQCHIP, "IRQCHIP" }, { KVM_CAP_DEVICE_CTRL, "DEVICE_CTRL" },
		{ KVM_CAP_ARM_IRQ_LINE_LAYOUT_2, "ARM_IRQ_LINE_LAYOUT_2" },
		{ KVM_CAP_IRQFD, "IRQFD" }, { KVM_CAP_IRQFD_RESAMPLE, "IRQFD_RESAMPLE" },
		{ KVM_CAP_IOEVENTFD, "IOEVENTFD" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		ok(kio_val(sys_fd, KVM_CHECK_EXTENSION, caps[i].cap) == 1,
		   "KVM_CAP_%s: 1", caps[i].name);
	ok(kio_val(sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_USER_IRQ) == 0,
	   "KVM_CAP_ARM_USER_IRQ: 0");
}

static void test_addr_attrs(void)
{
	int vm = new_vm(), gic = create_gic(vm);
	uint64_t v;

	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA + 0x1000) == -EINVAL,
	   "DIST not 64K-aligned: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 1ULL << 40) == -E2BIG,
	   "DIST beyond the IPA space: E2BIG");
	ok(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, GICD_GPA) == -ENXIO,
	   "a GICv2 address type: ENXIO");
	ok(set_addr(gic, KVM_VGIC_ITS_ADDR_TYPE, GICD_GPA) == -ENXIO, "the ITS type: ENXIO");
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_DIST, &v) == 0 && v == ~0ULL, "DIST reads undefined at first");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA) == 0, "DIST set");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA + 0x10000) == -EEXIST,
	   "DIST again: EEXIST");
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_DIST, &v) == 0 && v == GICD_GPA, "DIST reads back");
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_DIST, (void *)8) == -EFAULT, "bad pointer: EFAULT");

	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, region(GICR_GPA, 0, 0)) == -EINVAL,
	   "REDIST_REGION with count 0: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
		    region(GICR_GPA, 2, 0) | (1 << 12)) == -EINVAL, "REDIST_REGION with flags: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, region(GICR_GPA, 2, 1)) == -EINVAL,
	   "REDIST_REGION index 1 first: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, region(GICR_GPA, 2, 0)) == 0,
	   "REDIST_REGION 0 (2 redistributors)");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, region(GICR_GPA, 2, 2)) == -EINVAL,
	   "REDIST_REGION index 2 after 0: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
		    region(GICR_GPA + 0x20000, 2, 1)) == -EINVAL, "overlapping REDIST_REGION: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
		    region((1ULL << 40) - 0x20000, 2, 1)) == -E2BIG, "REDIST_REGION past the IPA space: E2BIG");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_GPA + 0x100000) == -EINVAL,
	   "the legacy REDIST after a region: EINVAL");
	v = 0;
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &v) == 0 && v == region(GICR_GPA, 2, 0),
	   "REDIST_REGION 0 reads back base, count, index");
	v = 7;
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &v) == -ENOENT, "REDIST_REGION 7: ENOENT");
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_REDIST, &v) == 0 && v == GICR_GPA, "REDIST reads the first region");
	vkvm_close(gic);
	vkvm_close(vm);

	vm = new_vm();
	gic = create_gic(vm);
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_GPA + 0x8000) == -EINVAL,
	   "legacy REDIST not 64K-aligned: EINVAL");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_GPA) == 0, "legacy REDIST");
	ok(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_GPA + 0x100000) == -EEXIST,
	   "legacy REDIST again: EEXIST");
	vkvm_close(gic);
	vkvm_close(vm);
}

static void test_other_attrs(void)
{
	int vm = new_vm(), gic = create_gic(vm), vcpu;
	uint32_t n;
	struct kvm_device_attr a = { 0 };

	n = 63;
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == -EINVAL,
	   "NR_IRQS 63: EINVAL");
	n = 32;
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == -EINVAL,
	   "NR_IRQS 32 (no SPI): EINVAL");
	n = 1024;
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == -EINVAL,
	   "NR_IRQS 1024: EINVAL");
	n = 0;
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == 0 && n == 32,
	   "NR_IRQS reads 32 before it is set");
	n = 128;
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == 0, "NR_IRQS 128");
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == -EBUSY,
	   "NR_IRQS again: EBUSY");
	ok(attr(gic, KVM_SET_DEVICE_ATTR, 99, 0, &n) == -ENXIO, "unknown group: ENXIO");
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL, 7, NULL) == -ENXIO,
	   "unknown CTRL attribute: ENXIO");
	ok(attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
		KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) == -ENXIO, "GET of CTRL: ENXIO");
	ok(attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
		KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) == 0, "HAS CTRL_INIT");
	ok(attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, NULL) == 0, "HAS ADDR REDIST_REGION");
	ok(attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
		KVM_VGIC_V2_ADDR_TYPE_CPU, NULL) == -ENXIO, "HAS ADDR of GICv2's CPU: ENXIO");
	ok(attr(gic, KVM_HAS_DEVICE_ATTR, 99, 0, NULL) == -ENXIO, "HAS unknown group: ENXIO");
	ok(kio(gic, KVM_HAS_DEVICE_ATTR, &a) == -ENXIO, "HAS group 0 attr 0 (GICv2 DIST): ENXIO");
	vcpu = (int)kio_val(vm, KVM_CREATE_VCPU, 0);
	ok(vcpu >= 0, "a vCPU before INIT");
	ok(ctrl_init(gic) == 0, "CTRL_INIT");
	ok(ctrl_init(gic) == 0, "CTRL_INIT again: 0");
	n = 96;
	ok(attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n) == -EBUSY,
	   "NR_IRQS after INIT: EBUSY");
	ok(kio_val(vm, KVM_CREATE_VCPU, 1) == -EBUSY, "a vCPU after INIT: EBUSY");
	vkvm_close(vcpu);
	vkvm_close(gic);
	vkvm_close(vm);
}

static void test_irq_line_and_timer_attrs(void)
{
	int vm = new_vm(), vcpu = (int)kio_val(vm, KVM_CREATE_VCPU, 0), gic;
	struct kvm_irq_level irq = { .irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 40, .level = 1 };
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	uint64_t pfr0 = 0;
	int ppi = 28;

	ok(kio(vm, KVM_IRQ_LINE, &irq) == -ENXIO, "SPI without a GIC: ENXIO");
	irq.irq = (KVM_ARM_IRQ_TYPE_CPU << 24) | (5 << 16);
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "CPU line of a missing vCPU: EINVAL");
	irq.irq = (KVM_ARM_IRQ_TYPE_CPU << 24) | 2;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "CPU line 2: EINVAL");
	irq.irq = (KVM_ARM_IRQ_TYPE_CPU << 24) | KVM_ARM_IRQ_CPU_IRQ;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == 0, "CPU IRQ line without a GIC");
	ok(attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &ppi) == -EINVAL, "timer PPI without a GIC: EINVAL");
	ok(kio(vcpu, KVM_ARM_VCPU_INIT, &init) == 0, "vCPU init");
	{
		struct kvm_one_reg r = { .id = ID_AA64PFR0, .addr = (uint64_t)(uintptr_t)&pfr0 };

		kio(vcpu, KVM_GET_ONE_REG, &r);
		/* what the VM would offer: hidden only once it runs without one */
		ok(((pfr0 >> 24) & 0xf) == 1, "ID_AA64PFR0_EL1.GIC = 1 before a GIC exists");
		gic = create_gic(vm);
		kio(vcpu, KVM_GET_ONE_REG, &r);
		ok(((pfr0 >> 24) & 0xf) == 1, "ID_AA64PFR0_EL1.GIC = 1 with one");
	}
	irq.irq = (KVM_ARM_IRQ_TYPE_CPU << 24);
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -ENXIO, "CPU line with a GIC: ENXIO");
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 40;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EBUSY, "SPI before INIT: EBUSY");
	ok(kio_val(vcpu, KVM_RUN, 0) == -ENXIO, "KVM_RUN without GIC addresses: ENXIO");
	set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA);
	set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_GPA);
	ok(kio_val(vcpu, KVM_RUN, 0) == -EBUSY, "KVM_RUN before INIT: EBUSY");

	ok(attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &ppi) == 0, "vtimer PPI 28");
	ppi = 0;
	ok(attr(vcpu, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &ppi) == 0 && ppi == 28, "vtimer PPI reads 28");
	ok(attr(vcpu, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_PTIMER, &ppi) == 0 && ppi == 30, "ptimer PPI is 30");
	ppi = 15;
	ok(attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_PTIMER, &ppi) == -EINVAL, "PPI 15 (an SGI): EINVAL");
	ppi = 27;
	ok(attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL, 9, &ppi) == -ENXIO,
	   "unknown timer attribute: ENXIO");
	ok(attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
		KVM_ARM_VCPU_TIMER_IRQ_PTIMER, NULL) == 0, "HAS ptimer PPI");
	ok(attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL, 0, NULL) == -ENXIO,
	   "HAS PMU attribute: ENXIO");
	ok(attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_CTRL, 1, NULL) == -ENXIO,
	   "HAS an unknown PVTIME attribute: ENXIO");

	ok(ctrl_init(gic) == 0, "INIT");
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 31;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "SPI 31: EINVAL");
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 64;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "SPI 64 of 64 INTIDs: EINVAL");
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 63;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == 0, "SPI 63");
	irq.irq = (KVM_ARM_IRQ_TYPE_PPI << 24) | 27;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == 0, "PPI 27 of vCPU 0");
	irq.irq = (KVM_ARM_IRQ_TYPE_PPI << 24) | (1u << 28) | 27;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "PPI of vCPU 256 (vcpu2 field): EINVAL");
	irq.irq = (KVM_ARM_IRQ_TYPE_PPI << 24) | 3;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "PPI 3 (an SGI): EINVAL");
	irq.irq = (3 << 24) | 40;
	ok(kio(vm, KVM_IRQ_LINE, &irq) == -EINVAL, "irq type 3: EINVAL");
	vkvm_close(gic);
	vkvm_close(vcpu);
	vkvm_close(vm);
}

/* ---- guests ------------------------------------------------------------------------ */

struct gvm {
	int vm, gic, nr;
	int vcpu[2];
	struct kvm_run *run[2];
	void *ram;
};

static void set_reg(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	if (kio(vcpu, KVM_SET_ONE_REG, &r))
		printf("# SET_ONE_REG %llx failed\n", (unsigned long long)id);
}

static void gvm_create(struct gvm *g, int nr, int test, uint64_t param)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	long size = kio_val(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	int i;

	memset(g, 0, sizeof(*g));
	g->nr = nr;
	g->vm = new_vm();
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memcpy(g->ram, vgic_guest, (size_t)(vgic_guest_end - vgic_guest));
	mem.userspace_addr = (uint64_t)(uintptr_t)g->ram;
	kio(g->vm, KVM_SET_USER_MEMORY_REGION, &mem);
	for (i = 0; i < nr; i++) {
		g->vcpu[i] = (int)kio_val(g->vm, KVM_CREATE_VCPU, (unsigned long)i);
		g->run[i] = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
				      g->vcpu[i], 0);
	}
	g->gic = create_gic(g->vm);
	set_addr(g->gic, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA);
	set_addr(g->gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, region(GICR_GPA, 2, 0));
	if (ctrl_init(g->gic))
		printf("# INIT failed\n");
	for (i = 0; i < nr; i++) {
		init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
		kio(g->vcpu[i], KVM_ARM_VCPU_INIT, &init);
		set_reg(g->vcpu[i], CORE_REG(regs.pc), RAM_GPA);
		set_reg(g->vcpu[i], CORE_REG(regs.regs[0]), (uint64_t)test);
		set_reg(g->vcpu[i], CORE_REG(regs.regs[1]), GICD_GPA);
		set_reg(g->vcpu[i], CORE_REG(regs.regs[2]), GICR_GPA + 0x20000ULL * (uint64_t)i);
		set_reg(g->vcpu[i], CORE_REG(regs.regs[3]), REPORT_GPA);
		set_reg(g->vcpu[i], CORE_REG(regs.regs[5]), param);
	}
}

static void gvm_destroy(struct gvm *g)
{
	int i;

	for (i = 0; i < g->nr; i++) {
		munmap(g->run[i], (size_t)kio_val(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
		vkvm_close(g->vcpu[i]);
	}
	vkvm_close(g->gic);
	vkvm_close(g->vm);
	munmap(g->ram, RAM_SIZE);
}

/*
 * Run until the guest reports: the value it stored at REPORT_GPA, or
 * 0xffff000000000000 | exit reason for anything else.
 */
static uint64_t next_report(struct gvm *g, int i, uint64_t *addr)
{
	struct kvm_run *run = g->run[i];
	uint64_t v = 0;
	long r = kio_val(g->vcpu[i], KVM_RUN, 0);
	int b;

	if (r)
		return 0xfffe000000000000ULL | (uint64_t)-r;
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write)
		return 0xffff000000000000ULL | run->exit_reason;
	for (b = 0; b < (int)run->mmio.len; b++)
		v |= (uint64_t)run->mmio.data[b] << (8 * b);
	if (addr)
		*addr = run->mmio.phys_addr;
	else if (run->mmio.phys_addr != REPORT_GPA)
		return 0xfffd000000000000ULL | run->mmio.phys_addr;
	return v;
}

/* A value the guest reports, and what it is */
struct report {
	uint64_t v;
	const char *what;
};

/* The guest's test number test, on one vCPU, reports want[0, n) in order */
static void guest_reports(int test, const struct report *want, unsigned int n)
{
	struct gvm g;
	unsigned int i;

	gvm_create(&g, 1, test, 0);
	for (i = 0; i < n; i++) {
		uint64_t v = next_report(&g, 0, NULL);

		ok(v == want[i].v, "guest: %s (0x%llx)", want[i].what, (unsigned long long)v);
	}
	gvm_destroy(&g);
}

static void test_guest_regs(void)
{
	static const struct report want[] = {
		{ 0x480001, "GICD_TYPER: 64 INTIDs, 10 ID bits" },
		{ 0x4b00343b, "GICD_IIDR: KVM, revision 3, Arm" },
		{ 0x3b, "GICD_PIDR2: GICv3" },
		{ 0x52, "GICD_CTLR: EnableGrp1NS, ARE_NS, DS" },
		{ 1, "ISENABLER1 after set 32,33 and clear 33" },
		{ 0, "GICD_ISENABLER0: RAZ with affinity routing" },
		{ 0xf800, "IPRIORITYR byte write, 5 priority bits" },
		{ 0xaaaaaaaa, "GICD_ICFGR2: SPIs edge at reset" },
		{ 0, "GICD_ICFGR2 written level" },
		{ 0x030102, "GICD_IROUTER: Aff2.Aff1.Aff0 kept, IRM and Aff3 WI" },
		{ 1, "ISPENDR1 sets pending" },
		{ 0, "ICPENDR1 clears it" },
		{ 0x10, "GICR_TYPER: affinity 0, processor 0, Last" },
		{ 0, "GICR_WAKER: RAZ" },
		{ 0x3b, "GICR_PIDR2" },
		{ 0xffff, "GICR_ISENABLER0: SGIs enabled at reset" },
		{ 0x0800ffff, "GICR_ISENABLER0 sets PPI 27" },
		{ 0xaaaaaaaa, "GICR_ICFGR0: SGIs edge" },
		{ 0, "GICR_ICFGR1: PPIs level, read-only" },
		{ 7, "ICC_SRE_EL1: SRE, DFB, DIB" },
		{ 0x8400, "ICC_CTLR_EL1: PRIbits 5, A3V" },
		{ 1, "ID_AA64PFR0_EL1.GIC = 1 in the guest" },
		{ 0xf8, "ICC_PMR_EL1 keeps 5 bits" },
		{ 0xff, "ICC_RPR_EL1 idle" },
		{ 1023, "ICC_IAR1_EL1 with nothing pending: 1023" },
		{ 0xdead, "the guest completed" },
	};

	guest_reports(1, want, sizeof(want) / sizeof(want[0]));
}

static void test_guest_spi(bool use_irqfd)
{
	struct kvm_irq_level irq = { .irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 40, .level = 1 };
	struct kvm_irqfd ifd = { .gsi = 8 };
	struct gvm g;
	uint64_t v;
	int efd = -1;
	uint64_t one = 1;

	gvm_create(&g, 1, 2, 40);
	if (use_irqfd) {
		efd = eventfd(0, EFD_CLOEXEC);
		ifd.fd = (uint32_t)efd;
		ok(kio(g.vm, KVM_IRQFD, &ifd) == 0, "KVM_IRQFD gsi 8 (SPI 40)");
		ok(kio(g.vm, KVM_IRQFD, &ifd) == -EBUSY, "the same eventfd again: EBUSY");
		ifd.flags = 4;
		ok(kio(g.vm, KVM_IRQFD, &ifd) == -EINVAL, "unknown irqfd flag: EINVAL");
		ifd.flags = 0;
		ifd.fd = 0x7fff;
		ok(kio(g.vm, KVM_IRQFD, &ifd) == -EBADF, "irqfd of a closed fd: EBADF");
		ifd.fd = (uint32_t)g.vcpu[0];
		ok(kio(g.vm, KVM_IRQFD, &ifd) == -EINVAL, "irqfd of a non-eventfd: EINVAL");
		ifd.fd = (uint32_t)efd;
	}
	v = next_report(&g, 0, NULL);
	ok(v == 1, "guest ready for SPI 40 (0x%llx)", (unsigned long long)v);
	if (use_irqfd)
		ok(write(efd, &one, sizeof(one)) == sizeof(one), "signal the irqfd");
	else
		ok(kio(g.vm, KVM_IRQ_LINE, &irq) == 0, "KVM_IRQ_LINE SPI 40");
	v = next_report(&g, 0, NULL);
	ok(v == 40, "%s: the guest's ICC_IAR1_EL1 reads 40 (0x%llx)",
	   use_irqfd ? "irqfd" : "KVM_IRQ_LINE", (unsigned long long)v);
	v = next_report(&g, 0, NULL);
	ok(v == 0xff, "after EOIR the running priority is idle (0x%llx)", (unsigned long long)v);
	if (use_irqfd) {
		ifd.flags = KVM_IRQFD_FLAG_DEASSIGN;
		ok(kio(g.vm, KVM_IRQFD, &ifd) == 0, "irqfd deassigned");
		close(efd);
	}
	gvm_destroy(&g);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_guest_timer(void)
{
	struct gvm g;
	uint64_t v;
	double t0, c0, wall, cpu;

	/* 100 ms at 62.5 MHz */
	gvm_create(&g, 1, 3, 6250000);
	v = next_report(&g, 0, NULL);
	ok(v == 2, "timer guest ready (0x%llx)", (unsigned long long)v);
	t0 = now_s();
	c0 = thread_cpu_s();
	v = next_report(&g, 0, NULL);
	wall = now_s() - t0;
	cpu = thread_cpu_s() - c0;
	ok(v == 27, "the vtimer PPI 27 woke WFI (0x%llx)", (unsigned long long)v);
	/* not before its deadline: a correctness property, not a speed one */
	ok(wall >= 0.095, "not before its deadline: %.1f ms", wall * 1e3);
	/* how cheap the sleep was is a measurement (no timed assertions in tests) */
	printf("# while idle for %.1f ms the vCPU thread used %.1f ms of CPU\n",
	       wall * 1e3, cpu * 1e3);
	v = next_report(&g, 0, NULL);
	ok(v == 0xff, "timer EOI'd (0x%llx)", (unsigned long long)v);
	gvm_destroy(&g);
}

struct sgi_arg {
	struct gvm *g;
	uint64_t got[2];
};

static void *sgi_vcpu1(void *p)
{
	struct sgi_arg *a = p;

	a->got[0] = next_report(a->g, 1, NULL);	/* ready */
	a->got[1] = next_report(a->g, 1, NULL);	/* the SGI */
	return NULL;
}

static void test_guest_sgi(void)
{
	struct sgi_arg a;
	pthread_t t;
	struct gvm g;
	uint64_t v;

	gvm_create(&g, 2, 4, 0);
	a.g = &g;
	pthread_create(&t, NULL, sgi_vcpu1, &a);
	v = next_report(&g, 0, NULL);
	ok(v == 0x5e, "vCPU 0 wrote ICC_SGI1R_EL1 (0x%llx)", (unsigned long long)v);
	pthread_join(t, NULL);
	ok(a.got[0] == 1, "vCPU 1 ready (0x%llx)", (unsigned long long)a.got[0]);
	ok(a.got[1] == 3, "vCPU 1 took SGI 3 (0x%llx)", (unsigned long long)a.got[1]);
	gvm_destroy(&g);
}

/* A vCPU statistic by name, through KVM_GET_STATS_FD; ~0 if there is none. */
static uint64_t vcpu_stat(int vcpu, const char *name)
{
	struct kvm_stats_header h;
	uint64_t v = ~0ULL;
	size_t dsize;
	char *buf = NULL;
	unsigned int i;
	int fd = (int)kio_val(vcpu, KVM_GET_STATS_FD, 0);

	if (fd < 0 || pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		goto out;
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	buf = malloc(dsize * h.num_desc);
	if (!buf || pread(fd, buf, dsize * h.num_desc, h.desc_offset) !=
		    (ssize_t)(dsize * h.num_desc))
		goto out;
	for (i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(buf + i * dsize);

		if (!strcmp(d->name, name) &&
		    pread(fd, &v, sizeof(v), h.data_offset + d->offset) != sizeof(v))
			v = ~0ULL;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return v;
}

struct pingpong_arg {
	struct gvm *g;
	uint64_t got[2];
};

static void *pingpong_vcpu1(void *p)
{
	struct pingpong_arg *a = p;

	a->got[0] = next_report(a->g, 1, NULL);	/* rounds */
	a->got[1] = next_report(a->g, 1, NULL);	/* timer wake-ups */
	return NULL;
}

/*
 * An SGI to a vCPU asleep in WFI wakes it through the kick path
 * (run_wake(): the eventfd it sleeps on), not on a later look at its
 * interrupts: both vCPUs of the ping-pong must end most of their halts by
 * a kick (halt_wakeup_kick) and seldom need their 10 ms timer.  Not a
 * timed assertion: without the kick every round is a timer wake-up.
 */
#define PINGPONG_ROUNDS	200

static void test_guest_sgi_pingpong(void)
{
	struct pingpong_arg a;
	uint64_t rounds, timer, kicks[2], halts[2];
	pthread_t t;
	struct gvm g;
	int i;

	gvm_create(&g, 2, 8, PINGPONG_ROUNDS);
	a.g = &g;
	pthread_create(&t, NULL, pingpong_vcpu1, &a);
	rounds = next_report(&g, 0, NULL);
	timer = next_report(&g, 0, NULL);
	pthread_join(t, NULL);
	for (i = 0; i < 2; i++) {
		kicks[i] = vcpu_stat(g.vcpu[i], "halt_wakeup_kick");
		halts[i] = vcpu_stat(g.vcpu[i], "halt_wakeup");
	}
	ok(rounds == PINGPONG_ROUNDS && a.got[0] == PINGPONG_ROUNDS,
	   "ping-pong: %d rounds on both vCPUs (%llu, %llu)", PINGPONG_ROUNDS,
	   (unsigned long long)rounds, (unsigned long long)a.got[0]);
	for (i = 0; i < 2; i++)
		ok(kicks[i] != ~0ULL && kicks[i] >= PINGPONG_ROUNDS / 4,
		   "vCPU %d: %llu of its %llu halts ended by a kick (at least %d)", i,
		   (unsigned long long)kicks[i], (unsigned long long)halts[i],
		   PINGPONG_ROUNDS / 4);
	ok(timer <= PINGPONG_ROUNDS / 4 && a.got[1] <= PINGPONG_ROUNDS / 4,
	   "the 10 ms timers seldom woke them (%llu, %llu)",
	   (unsigned long long)timer, (unsigned long long)a.got[1]);
	gvm_destroy(&g);
}

static void test_guest_ioeventfd(void)
{
	struct kvm_ioeventfd io = { .addr = IOEVENT_GPA, .len = 4, .datamatch = 0x1234,
				    .flags = KVM_IOEVENTFD_FLAG_DATAMATCH };
	struct gvm g;
	uint64_t v, addr = 0, cnt = 0;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	gvm_create(&g, 1, 5, IOEVENT_GPA);
	io.fd = efd;
	io.len = 3;
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == -EINVAL, "ioeventfd length 3: EINVAL");
	io.len = 0;
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == -EINVAL, "length 0 with DATAMATCH: EINVAL");
	io.len = 4;
	io.flags |= 1u << 7;
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == -EINVAL, "unknown flag: EINVAL");
	io.flags = KVM_IOEVENTFD_FLAG_DATAMATCH;
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == 0, "ioeventfd at 0x%llx, 4 bytes, data 0x1234",
	   (unsigned long long)IOEVENT_GPA);
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == -EEXIST, "the same again: EEXIST");
	v = next_report(&g, 0, &addr);
	ok(addr == IOEVENT_GPA && v == 0x5678,
	   "the matching write did not exit, the other did (0x%llx at 0x%llx)",
	   (unsigned long long)v, (unsigned long long)addr);
	ok(read(efd, &cnt, sizeof(cnt)) == sizeof(cnt) && cnt == 1, "the eventfd counted 1 write");
	v = next_report(&g, 0, NULL);
	ok(v == 0xdead, "guest completed (0x%llx)", (unsigned long long)v);
	io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == 0, "deassign");
	ok(kio(g.vm, KVM_IOEVENTFD, &io) == -ENOENT, "deassign again: ENOENT");
	close(efd);
	gvm_destroy(&g);
}

static void test_guest_eoimode(void)
{
	static const struct report want[] = {
		{ 32, "ICC_HPPIR1_EL1: 32" }, { 32, "ICC_IAR1_EL1: 32" },
		{ 0, "ICC_RPR_EL1: priority 0 running" }, { 1, "ICC_AP1R0_EL1 bit 0" },
		{ 0xff, "EOIR dropped the priority" }, { 1, "EOImode 1: still active" },
		{ 0, "ICC_DIR_EL1 deactivated it" }, { 0xdead, "the guest completed" },
	};

	guest_reports(6, want, sizeof(want) / sizeof(want[0]));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sys_fd = vkvm_open(0);
	if (sys_fd < 0) {
		printf("1..0 # SKIP vkvm_open failed\n");
		return 0;
	}
	test_caps();
	test_create_device();
	test_addr_attrs();
	test_other_attrs();
	test_irq_line_and_timer_attrs();
	test_guest_regs();
	test_guest_eoimode();
	test_guest_spi(false);
	test_guest_spi(true);
	test_guest_sgi();
	test_guest_sgi_pingpong();
	test_guest_timer();
	test_guest_ioeventfd();
	printf("1..%d\n", nr_test);
	vkvm_close(sys_fd);
	return nr_failed ? 1 : 0;
}
