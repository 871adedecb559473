// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_TYPE_ARM_VGIC_V2 (Documentation/virt/kvm/devices/arm-vgic.rst):
 * creation (TEST mode, one vGIC per VM, KVM_CREATE_IRQCHIP, 8 vCPUs at
 * most), the address attributes (4 KiB alignment, EEXIST, E2BIG, the
 * frames' overlap found at the first KVM_RUN), NR_IRQS, CTRL_INIT, the
 * distributor's and CPU interface's registers through DIST_REGS and
 * CPU_REGS (save and restore, banked by vCPU), and what the vCPUs see:
 * ID_AA64PFR0_EL1.GIC 0.
 */
#include <sys/mman.h>

#include "vkvm_test.h"

#define DIST_GPA	0x08000000ULL
#define CPU_GPA		0x08010000ULL
#define ID_AA64PFR0	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
			 (3 << 14) | (0 << 11) | (0 << 7) | (4 << 3) | 0)

static long gic_attr(int gic, unsigned long req, uint32_t group, uint64_t a, void *val)
{
	struct kvm_device_attr at = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)val };

	return kio(gic, req, &at);
}

static long set_addr(int gic, uint64_t type, uint64_t addr)
{
	return gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);
}

static long create_v2(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };
	long r = kio(vm, KVM_CREATE_DEVICE, &cd);

	return r < 0 ? r : (long)cd.fd;
}

/* a DIST_REGS/CPU_REGS attribute: the vCPU by id in bits [39:32] */
static uint64_t reg_attr(unsigned int vcpu_id, uint32_t off)
{
	return (uint64_t)vcpu_id << KVM_DEV_ARM_VGIC_CPUID_SHIFT | off;
}

static long dist_set(int gic, unsigned int vcpu, uint32_t off, uint32_t v)
{
	return gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
			reg_attr(vcpu, off), &v);
}

static uint32_t dist_get(int gic, unsigned int vcpu, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	ck_assert_int_eq(gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  reg_attr(vcpu, off), &v), 0);
	return v;
}

static long cpu_set(int gic, unsigned int vcpu, uint32_t off, uint32_t v)
{
	return gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
			reg_attr(vcpu, off), &v);
}

static uint32_t cpu_get(int gic, unsigned int vcpu, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	ck_assert_int_eq(gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
				  reg_attr(vcpu, off), &v), 0);
	return v;
}

START_TEST(create)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2,
					.flags = KVM_CREATE_DEVICE_TEST };
	int sys = vkvm_open(O_RDWR), vm = (int)kio_val(sys, KVM_CREATE_VM, 0), gic, i;
	int vcpus[9];

	ck_assert_int_eq(kio(vm, KVM_CREATE_DEVICE, &cd), 0);	/* TEST: nothing made */
	gic = (int)create_v2(vm);
	ck_assert_int_ge(gic, 0);
	ck_assert_int_eq(create_v2(vm), -EEXIST);
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	cd.flags = 0;
	ck_assert_int_eq(kio(vm, KVM_CREATE_DEVICE, &cd), -EEXIST);	/* one vGIC per VM */
	ck_assert_int_eq(kio(vm, KVM_CREATE_IRQCHIP, NULL), -EEXIST);
	ck_assert_int_eq(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 8);
	for (i = 0; i < 8; i++) {
		vcpus[i] = (int)kio_val(vm, KVM_CREATE_VCPU, (unsigned long)i);
		ck_assert_int_ge(vcpus[i], 0);
	}
	ck_assert_int_eq(kio_val(vm, KVM_CREATE_VCPU, 8), -EINVAL);	/* the 9th */
	for (i = 0; i < 8; i++)
		vkvm_close(vcpus[i]);
	vkvm_close(gic);
	vkvm_close(vm);

	/* 9 vCPUs first: the GICv2 is E2BIG */
	vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	for (i = 0; i < 9; i++)
		vcpus[i] = (int)kio_val(vm, KVM_CREATE_VCPU, (unsigned long)i);
	ck_assert_int_eq(create_v2(vm), -E2BIG);
	for (i = 0; i < 9; i++)
		vkvm_close(vcpus[i]);
	vkvm_close(vm);

	/* KVM_CREATE_IRQCHIP: a GICv2 without a descriptor */
	vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_eq(kio(vm, KVM_CREATE_IRQCHIP, NULL), 0);
	ck_assert_int_eq(create_v2(vm), -EEXIST);
	vkvm_close(vm);
	vkvm_close(sys);
}
END_TEST

START_TEST(addresses)
{
	int sys = vkvm_open(O_RDWR), vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	int gic = (int)create_v2(vm);
	uint64_t v = 0;

	ck_assert_int_eq(gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V2_ADDR_TYPE_DIST, &v), 0);
	ck_assert_uint_eq(v, ~0ULL);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, DIST_GPA + 0x800), -EINVAL);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, 1ULL << 40), -E2BIG);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, DIST_GPA + 0x1000), 0);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, DIST_GPA), -EEXIST);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_CPU, CPU_GPA), 0);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_CPU, CPU_GPA), -EEXIST);
	ck_assert_int_eq(gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V2_ADDR_TYPE_CPU, &v), 0);
	ck_assert_uint_eq(v, CPU_GPA);
	/* GICv3's types are not this device's */
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x09000000), -ENXIO);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x09000000), -ENXIO);
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V2_ADDR_TYPE_CPU, NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V3_ADDR_TYPE_REDIST, NULL), -ENXIO);
	vkvm_close(gic);
	vkvm_close(vm);
	vkvm_close(sys);
}
END_TEST

/* The frames are checked at the first KVM_RUN: unset ENXIO, overlapping EINVAL. */
START_TEST(frames_at_first_run)
{
	static const uint32_t wfi[] = { 0xd503207f, 0x17ffffff };	/* wfi; b . */
	struct tvm t;
	int gic;
	void *ram;

	tvm_create_init(&t, 0);
	ram = tvm_add_ram(&t, 0x80000000, 0x10000, wfi, sizeof(wfi));
	gic = (int)create_v2(t.vm);
	ck_assert_int_ge(gic, 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ID_AA64PFR0) >> 24 & 0xf, 0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -ENXIO);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, DIST_GPA), 0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -ENXIO);
	ck_assert_int_eq(set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_CPU, DIST_GPA - 0x1000), 0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EINVAL);	/* 8 KiB over the dist */
	vkvm_close(gic);
	munmap(ram, 0x10000);
	tvm_destroy(&t);
}
END_TEST

START_TEST(nr_irqs_and_init)
{
	int sys = vkvm_open(O_RDWR), vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	int gic = (int)create_v2(vm);
	uint32_t n = 48;

	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n),
			 -EINVAL);
	n = 96;
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n),
			 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n),
			 -EBUSY);
	n = 0;
	ck_assert_int_eq(gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &n),
			 0);
	ck_assert_uint_eq(n, 96);
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL), -ENXIO);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, 99, 0, &n), -ENXIO);
	vkvm_close(gic);
	vkvm_close(vm);
	vkvm_close(sys);
}
END_TEST

/* DIST_REGS and CPU_REGS: what a VMM saves and restores. */
START_TEST(register_access)
{
	int sys = vkvm_open(O_RDWR), vm = (int)kio_val(sys, KVM_CREATE_VM, 0), gic;
	int v0 = (int)kio_val(vm, KVM_CREATE_VCPU, 0), v1 = (int)kio_val(vm, KVM_CREATE_VCPU, 1);

	gic = (int)create_v2(vm);
	/* the registers exist or not, whoever asks */
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  reg_attr(0, 0x800), NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  reg_attr(0, 0xfe8), NULL), -ENXIO);
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
				  reg_attr(0, 0x0c), NULL), -ENXIO);	/* GICC_IAR */
	ck_assert_int_eq(gic_attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
				  reg_attr(0, 0xd0), NULL), 0);
	/* a vCPU that does not exist: EINVAL; a register that does not: ENXIO */
	ck_assert_int_eq(dist_set(gic, 5, 0, 1), -EINVAL);
	ck_assert_int_eq(dist_set(gic, 0, 0x00c, 1), -ENXIO);
	ck_assert_int_eq(dist_set(gic, 0, 0x802, 1), -ENXIO);	/* unaligned */
	ck_assert_int_eq(cpu_set(gic, 0, 0x0c, 0), -ENXIO);

	/* the first access initialises the GIC: 64 INTIDs by default */
	ck_assert_uint_eq(dist_get(gic, 0, 0x004), 1u << 5 | 1);	/* 2 CPUs, 64 INTIDs */
	ck_assert_uint_eq(dist_get(gic, 0, 0x008), 0x4b00243b);
	ck_assert_int_eq(dist_set(gic, 0, 0x000, 1), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x000), 1);
	/* banked by vCPU: private ITARGETSR, ISENABLER0, IPRIORITYR0 */
	ck_assert_uint_eq(dist_get(gic, 0, 0x800), 0x01010101);
	ck_assert_uint_eq(dist_get(gic, 1, 0x800), 0x02020202);
	ck_assert_int_eq(dist_set(gic, 1, 0x100, 1u << 27), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x100), 0x0800ffff);
	ck_assert_uint_eq(dist_get(gic, 0, 0x100), 0x0000ffff);
	ck_assert_int_eq(dist_set(gic, 1, 0x404, 0xa0a0a0a0), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x404), 0xa0a0a0a0);
	ck_assert_uint_eq(dist_get(gic, 0, 0x404), 0);
	/* SPIs: one copy, ITARGETSR masked to the CPUs that exist */
	ck_assert_int_eq(dist_set(gic, 0, 0x820, 0xffffff02), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x820), 0x03030302);
	ck_assert_int_eq(dist_set(gic, 0, 0x104, 0x5), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x104), 0x5);
	/* SGI sources: SPENDSGIR per target vCPU; ISPENDR0 shows them, cannot set them */
	ck_assert_int_eq(dist_set(gic, 1, 0xf20, 0x00000100), 0);	/* SGI 1 from CPU 0 */
	ck_assert_uint_eq(dist_get(gic, 1, 0x200) & 0xffff, 0x2);
	ck_assert_uint_eq(dist_get(gic, 0, 0x200) & 0xffff, 0);
	ck_assert_int_eq(dist_set(gic, 0, 0x200, 0x8), 0);
	ck_assert_uint_eq(dist_get(gic, 0, 0x200) & 0xffff, 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0xf20), 0x00000100);
	ck_assert_int_eq(dist_set(gic, 1, 0xf10, 0x00000100), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0xf20), 0);
	/* ISACTIVER of an SPI */
	ck_assert_int_eq(dist_set(gic, 0, 0x304, 0x10), 0);
	ck_assert_uint_eq(dist_get(gic, 1, 0x304), 0x10);

	/* the CPU interface, per vCPU */
	ck_assert_int_eq(cpu_set(gic, 1, 0x00, 0x207), 0);	/* Grp0, Grp1, AckCtl, EOImode */
	ck_assert_uint_eq(cpu_get(gic, 1, 0x00), 0x207);
	ck_assert_uint_eq(cpu_get(gic, 0, 0x00), 0);
	ck_assert_int_eq(cpu_set(gic, 1, 0x04, 0xff), 0);
	ck_assert_uint_eq(cpu_get(gic, 1, 0x04), 0xf8);		/* 5 priority bits */
	ck_assert_int_eq(cpu_set(gic, 1, 0x08, 0), 0);
	ck_assert_uint_eq(cpu_get(gic, 1, 0x08), 2);		/* BPR's minimum */
	ck_assert_uint_eq(cpu_get(gic, 1, 0x1c), 3);		/* ABPR's */
	ck_assert_int_eq(cpu_set(gic, 1, 0xd0, 0x100), 0);
	ck_assert_uint_eq(cpu_get(gic, 1, 0xd0), 0x100);
	ck_assert_uint_eq(cpu_get(gic, 1, 0xd4), 0);
	ck_assert_uint_eq(cpu_get(gic, 1, 0xfc), 0x04b2043b);	/* GICC_IIDR */
	vkvm_close(gic);
	vkvm_close(v0);
	vkvm_close(v1);
	vkvm_close(vm);
	vkvm_close(sys);
}
END_TEST

Suite *vgic_v2_suite(void)
{
	return CHECK_SUITE("vgic_v2", 0, create, addresses, frames_at_first_run,
			   nr_irqs_and_init, register_access);
}
