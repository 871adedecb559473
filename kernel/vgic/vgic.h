/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel GICv3 (arch/arm64/kvm/vgic/), cut the same way:
 *
 *	vgic.c			interrupt state, injection, delivery to vCPUs
 *	vgic-init.c		creation, INIT, per-vCPU state, mapping at first run
 *	vgic-kvm-device.c	KVM_CREATE_DEVICE and the device attributes
 *	vgic-mmio-v3.c		distributor and redistributor registers
 *	vgic-sys-reg-v3.c	the ICC_* system-register CPU interface
 *
 * Affinity routing only (GICD_CTLR.ARE_NS reads 1, DS 1), and non-secure
 * group 1 is what a vCPU takes as IRQ, as a KVM guest sees its GIC.
 */
#ifndef VKVM_VGIC_H
#define VKVM_VGIC_H

#include "../kvm_host.h"

/* KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION's value (arm-vgic-v3.rst). */
#define KVM_VGIC_V3_RDIST_INDEX_MASK	GENMASK_ULL(11, 0)
#define KVM_VGIC_V3_RDIST_FLAGS_MASK	GENMASK_ULL(15, 12)
#define KVM_VGIC_V3_RDIST_BASE_MASK	GENMASK_ULL(51, 16)
#define KVM_VGIC_V3_RDIST_COUNT_MASK	GENMASK_ULL(63, 52)
#define KVM_VGIC_V3_RDIST_COUNT_SHIFT	52

#define SZ_64K				0x10000ULL

static inline bool vgic_initialized(const struct kvm *kvm)
{
	return kvm->vgic.initialized;
}

/* vgic.c; "_locked": the caller holds kvm->vgic.lock */
struct vgic_irq *vgic_get_irq(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid);
struct kvm_vcpu *vgic_mpidr_to_vcpu(struct kvm *kvm, u64 mpidr);
void vgic_update_vcpu_locked(struct kvm_vcpu *vcpu);
void vgic_update_all_locked(struct kvm *kvm);
/* After a change to @irq (of @vcpu, or an SPI when @vcpu is NULL). */
void vgic_irq_changed_locked(struct kvm *kvm, struct kvm_vcpu *vcpu,
			     struct vgic_irq *irq);
bool vgic_irq_is_pending(const struct vgic_irq *irq);
void vgic_deactivate_locked(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid);
int kvm_vgic_inject_irq(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid,
			bool level);
int kvm_vgic_set_resamplefd(struct kvm *kvm, u32 intid, int fd);
/* The highest-priority pending, enabled interrupt of the group, or 1023. */
u32 vgic_highest_pending_locked(struct kvm_vcpu *vcpu, bool group1, u8 *prio);

/* vgic-init.c */
void kvm_vgic_early_init(struct kvm *kvm);
int kvm_vgic_create(struct kvm *kvm, u32 type);
int vgic_init(struct kvm *kvm);
int kvm_vgic_vcpu_init(struct kvm_vcpu *vcpu);
void kvm_vgic_vcpu_destroy(struct kvm_vcpu *vcpu);
void kvm_vgic_destroy(struct kvm *kvm);
int kvm_vgic_map_resources(struct kvm *kvm);
int vgic_register_all_redist_locked(struct kvm *kvm);
bool vgic_v3_check_base(struct kvm *kvm);
u64 vgic_v3_rd_region_size(struct kvm *kvm, const struct vgic_redist_region *r);
int vgic_check_iorange(struct kvm *kvm, u64 ioaddr, u64 addr, u64 alignment,
		       u64 size);
int vgic_v3_set_redist_base(struct kvm *kvm, u32 index, u64 addr, u32 count);
bool vgic_v3_rdist_overlap(struct kvm *kvm, u64 base, u64 size);

/* vgic-kvm-device.c */
int kvm_ioctl_create_device(struct kvm *kvm, struct kvm_create_device *cd);

/* vgic-mmio-v3.c */
int vgic_register_dist_iodev(struct kvm *kvm);
/* IGROUPR..ICACTIVER, IPRIORITYR, ICFGR of @vcpu's private INTIDs or the SPIs */
bool vgic_mmio_irq_reg_access(struct kvm *kvm, struct kvm_vcpu *vcpu, u64 off,
			      unsigned int len, bool write, u64 *val);
int vgic_register_redist_iodevs(struct kvm *kvm);
void vgic_unregister_iodevs(struct kvm *kvm);

/* vgic-mmio-v2.c: the GICv2 distributor and memory-mapped CPU interface */
static inline bool vgic_is_v2(const struct kvm *kvm)
{
	return kvm->vgic.model == KVM_DEV_TYPE_ARM_VGIC_V2;
}
void vgic_v2_init_locked(struct kvm *kvm);
void vgic_v2_update_vcpu_locked(struct kvm_vcpu *vcpu);
int vgic_v2_map_resources(struct kvm *kvm);
void vgic_v2_unregister_iodevs(struct kvm *kvm);
/* KVM_DEV_ARM_VGIC_GRP_{DIST,CPU}_REGS: 0, -ENXIO (no such register) */
int vgic_v2_dist_uaccess(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val);
int vgic_v2_cpu_uaccess(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val);
/* KVM_DEV_ARM_VGIC_GRP_{DIST,REDIST}_REGS: 0, -ENXIO (no such register) */
bool vgic_v3_uaccess_reg_exists(bool redist, u32 off);
int vgic_v3_uaccess(struct kvm_vcpu *vcpu, bool redist, u32 off, bool write, u32 *val);
bool vgic_v3_dist_reg_pre_init(u32 off);
void vgic_v3_line_level_uaccess(struct kvm_vcpu *vcpu, u32 intid, bool write, u32 *val);

/* vgic-kvm-device-v2.c: KVM_DEV_TYPE_ARM_VGIC_V2's attributes */
int vgic_v2_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);
int vgic_v2_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);
int vgic_v2_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);

/* vgic-sys-reg-v3.c: the ICC_* registers, for sys_regs.c */
enum vgic_icc_reg {
	ICC_PMR, ICC_IAR0, ICC_EOIR0, ICC_HPPIR0, ICC_BPR0, ICC_AP0R0,
	ICC_AP1R0, ICC_DIR, ICC_RPR, ICC_SGI1R, ICC_ASGI1R, ICC_SGI0R,
	ICC_IAR1, ICC_EOIR1, ICC_HPPIR1, ICC_BPR1, ICC_CTLR, ICC_SRE,
	ICC_IGRPEN0, ICC_IGRPEN1,
};

/* 0, or -1: the access is UNDEFINED (no in-kernel GICv3) */
int vgic_v3_icc_read(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 *val);
int vgic_v3_icc_write(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 val);
/*
 * KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: the register @attr encodes (bits 15:0,
 * op0:op1:CRn:CRm:op2) as userspace saves and restores it; ENOENT for one
 * KVM does not expose to @vcpu (the ICH_*_EL2 ones need EL2), EINVAL for a
 * value it refuses or an APnR the priority bits leave out.
 */
bool vgic_v3_cpu_sysreg_exists(const struct kvm_vcpu *vcpu, u64 attr);
int vgic_v3_cpu_sysreg_uaccess(struct kvm_vcpu *vcpu, u64 attr, bool write, u64 *val);

/* vgic-v3-nested.c: GICv3 virtualization (ICH_*_EL2, ICV_*) for a vCPU with EL2 */
enum vgic_ich_reg {
	ICH_AP0R0, ICH_AP1R0, ICH_HCR, ICH_VTR, ICH_MISR, ICH_EISR, ICH_ELRSR,
	ICH_VMCR, ICC_SRE_EL2, ICH_LR0, ICH_LR1, ICH_LR2, ICH_LR3,
};

void vgic_v3_nested_reset(struct kvm_vcpu *vcpu);
/* an enum sysreg_result: SYSREG_UNDEF without EL2 and an in-kernel GICv3 */
int vgic_v3_ich_read(struct kvm_vcpu *vcpu, enum vgic_ich_reg r, u64 *val);
int vgic_v3_ich_write(struct kvm_vcpu *vcpu, enum vgic_ich_reg r, u64 val);
/*
 * An ICC_*_EL1 access by the guest: true if the virtual CPU interface
 * takes it (EL1 under HCR_EL2.IMO/FMO), *res its enum sysreg_result.
 */
bool vgic_v3_icv_read(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 *val, int *res);
bool vgic_v3_icv_write(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 val, int *res);

/*
 * vgic-its.c: the ITS device, LPIs and MSIs.  Lock order: an ITS's lock,
 * then kvm->lock (guest memory), then vgic.lock; guest memory is never
 * read with vgic.lock held.
 */
struct vgic_lpi *vgic_find_lpi_locked(struct kvm *kvm, u32 intid);
int vgic_its_create(struct kvm *kvm, struct kvm_device *dev);
int vgic_its_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);
int vgic_its_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);
int vgic_its_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr);
void vgic_its_destroy_all(struct kvm *kvm);
/* KVM_SIGNAL_MSI's answer: 1 delivered, 0 blocked by the guest, or -errno */
int vgic_its_inject_msi(struct kvm *kvm, const struct kvm_msi *msi);
/* GICR_CTLR.EnableLPIs set: read the pending table (no vgic lock held) */
void vgic_enable_lpis(struct kvm_vcpu *vcpu);
void vgic_flush_pending_lpis_locked(struct kvm_vcpu *vcpu);
/* GICR_INVLPIR (@intid) or GICR_INVALLR (0): reread the property table */
void vgic_its_inv(struct kvm_vcpu *vcpu, u32 intid);
int vgic_v3_save_pending_tables(struct kvm *kvm);
u64 vgic_sanitise_propbaser(u64 reg);
u64 vgic_sanitise_pendbaser(u64 reg);

/* KVM_IRQ_LINE (arch/arm64/kvm/arm.c kvm_vm_ioctl_irq_line) */
int kvm_vm_ioctl_irq_line(struct kvm *kvm, const struct kvm_irq_level *irq);

#endif
