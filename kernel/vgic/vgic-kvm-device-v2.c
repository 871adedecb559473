// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_TYPE_ARM_VGIC_V2's attributes (arch/arm64/kvm/vgic/
 * vgic-kvm-device.c, Documentation/virt/kvm/devices/arm-vgic.rst): the
 * distributor's and the CPU interface's addresses (4 KiB aligned), the
 * number of IRQs, INIT, and the distributor's and CPU interface's
 * registers for save and restore (32-bit, the vCPU by its vcpu_id in
 * bits [39:32] of the attribute).
 */
#include "vgic.h"

#define SZ_4K		0x1000ULL

/* ---- KVM_DEV_ARM_VGIC_GRP_ADDR ------------------------------------------------------ */

static u64 *addr_of(struct kvm *kvm, u64 type, u64 *size)
{
	switch (type) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		*size = KVM_VGIC_V2_DIST_SIZE;
		return &kvm->vgic.dist_base;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		*size = KVM_VGIC_V2_CPU_SIZE;
		return &kvm->vgic.cpu_base;
	}
	return NULL;
}

static int v2_addr(struct kvm *kvm, const struct kvm_device_attr *attr, bool write)
{
	void *uaddr = (void *)(uintptr_t)attr->addr;
	u64 addr, size, *slot = addr_of(kvm, attr->attr, &size);
	int ret;

	if (!slot)
		return -ENXIO;
	if (!write) {
		pthread_mutex_lock(&kvm->vgic.lock);
		addr = *slot;
		pthread_mutex_unlock(&kvm->vgic.lock);
		return copy_to_user(uaddr, &addr, sizeof(addr));
	}
	ret = copy_from_user(&addr, uaddr, sizeof(addr));
	if (ret)
		return ret;
	/* EEXIST once set, EINVAL unaligned, E2BIG beyond the IPA space */
	pthread_mutex_lock(&kvm->vgic.lock);
	ret = vgic_check_iorange(kvm, *slot, addr, SZ_4K, size);
	if (!ret)
		*slot = addr;
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

/* ---- KVM_DEV_ARM_VGIC_GRP_{DIST,CPU}_REGS ----------------------------------------------- */

/* The offsets KVM's tables register (vgic_v2_dist_registers, vgic_v2_cpu_registers). */
static bool v2_reg_exists(u64 group, u32 off)
{
	if (off & 3)
		return false;
	if (group == KVM_DEV_ARM_VGIC_GRP_CPU_REGS)
		return off <= 0x08 || off == 0x1c || (off >= 0xd0 && off < 0xe0) ||
		       off == 0xfc;
	return off <= 0x08 || (off >= 0x80 && off < 0xd00) || off == 0xf00 ||
	       (off >= 0xf10 && off < 0xf30);
}

/* vgic_v2_attr_regs_access(): the GIC is initialised first, as in KVM. */
static int v2_regs_access(struct kvm *kvm, const struct kvm_device_attr *attr, bool write)
{
	u32 val, off = (u32)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	u64 cpuid = (attr->attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >> KVM_DEV_ARM_VGIC_CPUID_SHIFT;
	void *uaddr = (void *)(uintptr_t)attr->addr;
	struct kvm_vcpu *vcpu;
	int ret;

	vcpu = cpuid < KVM_MAX_VCPUS_NR ? kvm->vcpus[cpuid] : NULL;
	if (!vcpu)
		return -EINVAL;
	if (write) {
		ret = copy_from_user(&val, uaddr, sizeof(val));
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&kvm->lock);
	if (!kvm_trylock_all_vcpus(kvm)) {
		pthread_mutex_unlock(&kvm->lock);
		return -EBUSY;
	}
	ret = vgic_init(kvm);
	if (!ret)
		ret = attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_REGS ?
		      vgic_v2_cpu_uaccess(vcpu, off, write, &val) :
		      vgic_v2_dist_uaccess(vcpu, off, write, &val);
	kvm_unlock_all_vcpus(kvm);
	pthread_mutex_unlock(&kvm->lock);
	if (!ret && !write)
		ret = copy_to_user(uaddr, &val, sizeof(val));
	return ret;
}

/* ---- the attribute groups ------------------------------------------------------------ */

int vgic_v2_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = dev->kvm;
	struct vgic_dist *d = &kvm->vgic;
	u32 val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return v2_addr(kvm, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return v2_regs_access(kvm, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		ret = copy_from_user(&val, (void *)(uintptr_t)attr->addr, sizeof(val));
		if (ret)
			return ret;
		/* 32 SPIs at least, at most 1024 INTIDs, a multiple of 32 */
		if (val < VGIC_NR_PRIVATE_IRQS + 32 || val > VGIC_MAX_RESERVED ||
		    (val & 31))
			return -EINVAL;
		pthread_mutex_lock(&d->lock);
		if (d->ready || d->nr_spis)
			ret = -EBUSY;
		else
			d->nr_spis = val - VGIC_NR_PRIVATE_IRQS;
		pthread_mutex_unlock(&d->lock);
		return ret;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr != KVM_DEV_ARM_VGIC_CTRL_INIT)
			return -ENXIO;
		pthread_mutex_lock(&kvm->lock);
		ret = vgic_init(kvm);
		pthread_mutex_unlock(&kvm->lock);
		return ret;
	}
	return -ENXIO;
}

int vgic_v2_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = dev->kvm;
	u32 val;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return v2_addr(kvm, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return v2_regs_access(kvm, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		pthread_mutex_lock(&kvm->vgic.lock);
		val = kvm->vgic.nr_spis + VGIC_NR_PRIVATE_IRQS;
		pthread_mutex_unlock(&kvm->vgic.lock);
		return copy_to_user((void *)(uintptr_t)attr->addr, &val, sizeof(val));
	}
	return -ENXIO;
}

int vgic_v2_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr->attr == KVM_VGIC_V2_ADDR_TYPE_DIST ||
		    attr->attr == KVM_VGIC_V2_ADDR_TYPE_CPU)
			return 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS: {
		/* vgic_v2_parse_attr() first: EINVAL without the vCPU */
		u64 cpuid = (attr->attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >>
			    KVM_DEV_ARM_VGIC_CPUID_SHIFT;

		if (cpuid >= KVM_MAX_VCPUS_NR || !dev->kvm->vcpus[cpuid])
			return -EINVAL;
		if (v2_reg_exists(attr->group,
				  (u32)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK)))
			return 0;
		break;
	}
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
			return 0;
		break;
	}
	return -ENXIO;
}
