// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_DEVICE(KVM_DEV_TYPE_ARM_VGIC_V3) and the device's attributes
 * (virt/kvm/kvm_main.c kvm_ioctl_create_device, arch/arm64/kvm/vgic/
 * vgic-kvm-device.c, Documentation/virt/kvm/devices/arm-vgic-v3.rst).
 *
 * KVM_DEV_TYPE_ARM_VGIC_V2's attributes are in vgic-kvm-device-v2.c, the
 * ITS's in vgic-its.c.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "vgic.h"

void kvm_device_put(struct kvm_device *dev)
{
	if (atomic_fetch_sub(&dev->refcount, 1) == 1) {
		kvm_put(dev->kvm);
		free(dev);
	}
}

int kvm_ioctl_create_device(struct kvm *kvm, struct kvm_create_device *cd)
{
	bool test = cd->flags & KVM_CREATE_DEVICE_TEST;
	struct kvm_device *dev;
	int fd, ret;

	if (cd->type >= KVM_DEV_TYPE_MAX ||
	    (cd->type != KVM_DEV_TYPE_ARM_VGIC_V3 && cd->type != KVM_DEV_TYPE_ARM_VGIC_V2 &&
	     cd->type != KVM_DEV_TYPE_ARM_VGIC_ITS))
		return -ENODEV;
	if (test)
		return 0;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	if (cd->type == KVM_DEV_TYPE_ARM_VGIC_ITS) {
		ret = vgic_its_create(kvm, dev);
	} else {
		pthread_mutex_lock(&kvm->lock);
		ret = kvm_vgic_create(kvm, cd->type);
		pthread_mutex_unlock(&kvm->lock);
	}
	if (ret) {
		free(dev);
		return ret;
	}
	atomic_init(&dev->refcount, 1);
	dev->kvm = kvm;
	dev->type = cd->type;
	kvm_get(kvm);

	/* the device stays with the VM even if its descriptor fails, as in KVM */
	fd = vkvm_new_fd(cd->type == KVM_DEV_TYPE_ARM_VGIC_V2 ? "kvm-arm-vgic-v2" :
			 cd->type == KVM_DEV_TYPE_ARM_VGIC_ITS ? "kvm-arm-vgic-its" :
			 "kvm-arm-vgic-v3", 0, O_CLOEXEC);
	if (fd < 0) {
		kvm_device_put(dev);
		return fd;
	}
	ret = vkvm_install_object(fd, VKVM_FILE_DEVICE, dev);
	if (ret) {
		close(fd);
		kvm_device_put(dev);
		return ret;
	}
	cd->fd = (u32)fd;
	return 0;
}

/* ---- KVM_DEV_ARM_VGIC_GRP_ADDR (kvm_vgic_addr) -------------------------------- */

static int vgic_set_addr(struct kvm *kvm, u64 type, u64 addr)
{
	struct vgic_dist *d = &kvm->vgic;
	int ret;

	switch (type) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		pthread_mutex_lock(&d->lock);
		ret = vgic_check_iorange(kvm, d->dist_base, addr, SZ_64K,
					 KVM_VGIC_V3_DIST_SIZE);
		if (!ret)
			d->dist_base = addr;
		pthread_mutex_unlock(&d->lock);
		return ret;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		return vgic_v3_set_redist_base(kvm, 0, addr, 0);
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION: {
		u32 index = (u32)(addr & KVM_VGIC_V3_RDIST_INDEX_MASK);
		u32 count = (u32)(addr >> KVM_VGIC_V3_RDIST_COUNT_SHIFT);
		u64 flags = addr & KVM_VGIC_V3_RDIST_FLAGS_MASK;

		if (!count || flags)
			return -EINVAL;
		return vgic_v3_set_redist_base(kvm, index,
					       addr & KVM_VGIC_V3_RDIST_BASE_MASK, count);
	}
	default:
		/* GICv2's and the ITS's types: not this device's (ENODEV → ENXIO) */
		return -ENXIO;
	}
}

static int vgic_get_addr(struct kvm *kvm, u64 type, u64 *addr)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	switch (type) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		*addr = d->dist_base;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		*addr = d->nr_rd_regions ? d->rd_regions[0].base : VGIC_ADDR_UNDEF;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION: {
		u32 index = (u32)(*addr & KVM_VGIC_V3_RDIST_INDEX_MASK);

		ret = -ENOENT;
		for (i = 0; i < d->nr_rd_regions; i++) {
			const struct vgic_redist_region *r = &d->rd_regions[i];

			if (r->index != index)
				continue;
			*addr = index | r->base |
				(u64)r->count << KVM_VGIC_V3_RDIST_COUNT_SHIFT;
			ret = 0;
			break;
		}
		break;
	}
	default:
		ret = -ENXIO;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int kvm_vgic_addr(struct kvm *kvm, const struct kvm_device_attr *attr,
			 bool write)
{
	void *uaddr = (void *)(uintptr_t)attr->addr;
	u64 addr = 0;
	int ret;

	/* reading a redistributor region's address takes its index */
	if (write || attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION) {
		ret = copy_from_user(&addr, uaddr, sizeof(addr));
		if (ret)
			return ret;
	}
	if (write)
		return vgic_set_addr(kvm, attr->attr, addr);
	ret = vgic_get_addr(kvm, attr->attr, &addr);
	if (ret)
		return ret;
	return copy_to_user(uaddr, &addr, sizeof(addr));
}

/* ---- KVM_DEV_ARM_VGIC_GRP_{DIST,REDIST}_REGS (vgic_v3_attr_regs_access) ------------- */

/*
 * The vCPU a register attribute names by its affinity in bits [63:32] (Aff3
 * in [63:56]), or vCPU 0 if by_aff is false, with kvm->lock and every vCPU
 * lock held on success; EINVAL without such a vCPU, EBUSY while a vCPU is
 * in an ioctl, no lock held then.  vgic_attr_unlock() releases them.
 */
static int vgic_attr_lock_vcpu(struct kvm *kvm, const struct kvm_device_attr *attr,
			       bool by_aff, struct kvm_vcpu **vcpu)
{
	u64 aff = (attr->attr & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;

	pthread_mutex_lock(&kvm->lock);
	*vcpu = by_aff ? vgic_mpidr_to_vcpu(kvm, (aff & 0xffffff) | ((aff >> 24) & 0xff) << 32) :
			 kvm->vcpu_by_idx[0];
	if (!*vcpu) {
		pthread_mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	if (!kvm_trylock_all_vcpus(kvm)) {
		pthread_mutex_unlock(&kvm->lock);
		return -EBUSY;
	}
	return 0;
}

static void vgic_attr_unlock(struct kvm *kvm)
{
	kvm_unlock_all_vcpus(kvm);
	pthread_mutex_unlock(&kvm->lock);
}

/*
 * The vCPU by its affinity in bits [63:32] (Aff3 in [63:56]) for REDIST_REGS,
 * vCPU 0 for DIST_REGS; EINVAL without one, EBUSY before the GIC's INIT or
 * while a vCPU is in an ioctl, ENXIO for an offset KVM does not expose.
 */
static int v3_regs_access(struct kvm *kvm, const struct kvm_device_attr *attr, bool write)
{
	bool redist = attr->group == KVM_DEV_ARM_VGIC_GRP_REDIST_REGS;
	u32 val, off = (u32)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	void *uaddr = (void *)(uintptr_t)attr->addr;
	struct kvm_vcpu *vcpu;
	int ret;

	if (write) {
		ret = copy_from_user(&val, uaddr, sizeof(val));
		if (ret)
			return ret;
	}
	ret = vgic_attr_lock_vcpu(kvm, attr, attr->group != KVM_DEV_ARM_VGIC_GRP_DIST_REGS, &vcpu);
	if (ret)
		return ret;
	if (!vgic_initialized(kvm) &&
	    !(attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS && vgic_v3_dist_reg_pre_init(off))) {
		ret = -EBUSY;
	} else if (attr->group == KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO) {
		ret = 0;
		if ((attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		    KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT != VGIC_LEVEL_INFO_LINE_LEVEL ||
		    (attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK) % 32)
			ret = -EINVAL;
		else
			vgic_v3_line_level_uaccess(vcpu, (u32)(attr->attr &
						   KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK),
						   write, &val);
	} else {
		ret = vgic_v3_uaccess(vcpu, redist, off, write, &val);
	}
	vgic_attr_unlock(kvm);
	if (!ret && !write)
		ret = copy_to_user(uaddr, &val, sizeof(val));
	return ret;
}

/*
 * KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: a 64-bit ICC_*_EL1 or (a vCPU with EL2)
 * ICH_*_EL2 value, the vCPU by affinity in bits 63:32 (EINVAL without one),
 * EBUSY before INIT or while a vCPU is in an ioctl, as the other register
 * groups; ENOENT for a register the vCPU has not (KVM's sysreg accessors).
 */
static int v3_cpu_sysregs_access(struct kvm *kvm, const struct kvm_device_attr *attr, bool write)
{
	void *uaddr = (void *)(uintptr_t)attr->addr;
	struct kvm_vcpu *vcpu;
	u64 val = 0;
	int ret;

	if (write) {
		ret = copy_from_user(&val, uaddr, sizeof(val));
		if (ret)
			return ret;
	}
	ret = vgic_attr_lock_vcpu(kvm, attr, true, &vcpu);
	if (ret)
		return ret;
	ret = vgic_initialized(kvm) ?
	      vgic_v3_cpu_sysreg_uaccess(vcpu, attr->attr, write, &val) : -EBUSY;
	vgic_attr_unlock(kvm);
	if (!ret && !write)
		ret = copy_to_user(uaddr, &val, sizeof(val));
	return ret;
}

/* ---- the attribute groups -------------------------------------------------------- */

static int vgic_v3_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = dev->kvm;
	struct vgic_dist *d = &kvm->vgic;
	u32 val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return kvm_vgic_addr(kvm, attr, true);
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
		switch (attr->attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
			pthread_mutex_lock(&kvm->lock);
			ret = vgic_init(kvm);
			pthread_mutex_unlock(&kvm->lock);
			return ret;
		case KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES:
			return vgic_v3_save_pending_tables(kvm);
		}
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return v3_regs_access(kvm, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return v3_cpu_sysregs_access(kvm, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ:
		/* nested virtualization's, as KVM's: offered to every VM */
		ret = copy_from_user(&val, (void *)(uintptr_t)attr->addr, sizeof(val));
		if (ret)
			return ret;
		pthread_mutex_lock(&d->lock);
		if (d->initialized)
			ret = -EBUSY;
		else if (val < VGIC_NR_SGIS || val >= VGIC_NR_PRIVATE_IRQS)
			ret = -EINVAL;	/* a PPI */
		else
			d->mi_intid = val;
		pthread_mutex_unlock(&d->lock);
		return ret;
	}
	return -ENXIO;
}

static int vgic_v3_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = dev->kvm;
	u32 val;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return kvm_vgic_addr(kvm, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		pthread_mutex_lock(&kvm->vgic.lock);
		val = kvm->vgic.nr_spis + VGIC_NR_PRIVATE_IRQS;
		pthread_mutex_unlock(&kvm->vgic.lock);
		return copy_to_user((void *)(uintptr_t)attr->addr, &val, sizeof(val));
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return v3_regs_access(kvm, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return v3_cpu_sysregs_access(kvm, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ:
		pthread_mutex_lock(&kvm->vgic.lock);
		val = kvm->vgic.mi_intid;
		pthread_mutex_unlock(&kvm->vgic.lock);
		return copy_to_user((void *)(uintptr_t)attr->addr, &val, sizeof(val));
	}
	return -ENXIO;
}

static int vgic_v3_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		switch (attr->attr) {
		case KVM_VGIC_V3_ADDR_TYPE_DIST:
		case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
			return 0;
		}
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		if (vgic_v3_uaccess_reg_exists(attr->group == KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				(u32)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK)))
			return 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: {
		/* KVM's vgic_v3_parse_attr first: the vCPU must exist */
		struct kvm *kvm = dev->kvm;
		u64 aff = (attr->attr & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) >>
			  KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
		struct kvm_vcpu *vcpu;
		int ret = -EINVAL;

		pthread_mutex_lock(&kvm->lock);
		vcpu = vgic_mpidr_to_vcpu(kvm, (aff & 0xffffff) | ((aff >> 24) & 0xff) << 32);
		if (vcpu)
			ret = vgic_v3_cpu_sysreg_exists(vcpu, attr->attr) ? 0 : -ENXIO;
		pthread_mutex_unlock(&kvm->lock);
		return ret;
	}
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		if ((attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		    KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT == VGIC_LEVEL_INFO_LINE_LEVEL)
			return 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr->attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
		case KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES:
			return 0;
		}
		break;
	case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ:
		return 0;
	}
	return -ENXIO;
}

long kvm_device_ioctl(struct kvm_device *dev, unsigned int ioctl,
		      unsigned long arg)
{
	struct kvm_device_attr attr;
	int ret;

	switch (ioctl) {
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		ret = copy_from_user(&attr, (void *)arg, sizeof(attr));
		if (ret)
			return ret;
		if (dev->type == KVM_DEV_TYPE_ARM_VGIC_V2)
			return ioctl == KVM_SET_DEVICE_ATTR ? vgic_v2_set_attr(dev, &attr) :
			       ioctl == KVM_GET_DEVICE_ATTR ? vgic_v2_get_attr(dev, &attr) :
			       vgic_v2_has_attr(dev, &attr);
		if (dev->type == KVM_DEV_TYPE_ARM_VGIC_ITS) {
			if (ioctl == KVM_SET_DEVICE_ATTR)
				return vgic_its_set_attr(dev, &attr);
			if (ioctl == KVM_GET_DEVICE_ATTR)
				return vgic_its_get_attr(dev, &attr);
			return vgic_its_has_attr(dev, &attr);
		}
		if (ioctl == KVM_SET_DEVICE_ATTR)
			return vgic_v3_set_attr(dev, &attr);
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return vgic_v3_get_attr(dev, &attr);
		return vgic_v3_has_attr(dev, &attr);
	default:
		/* the vGIC has no ioctl of its own */
		return -ENOTTY;
	}
}
