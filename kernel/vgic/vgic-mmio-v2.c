// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv2 distributor and its memory-mapped CPU interface, as a KVM
 * guest sees them (arch/arm64/kvm/vgic/vgic-mmio-v2.c; the CPU interface
 * is the GICV_* virtual interface's layout, GIC architecture v2 §4.3,
 * §4.4).  Pending, active and delivery state are the vgic core's; this
 * file adds what GICv2 has of its own: the private INTIDs banked in the
 * distributor, GICD_ITARGETSR (an SPI goes to the lowest-numbered CPU of
 * its target mask, as KVM routes it), GICD_SGIR with the source CPU
 * remembered per SGI, and both interrupt groups signalled by one CPU
 * interface (group 0 as FIQ when GICC_CTLR.FIQEn is set).  A CPU
 * interface number is the vCPU's index (KVM's vcpu_idx).
 *
 * An access of a width a register does not allow, unaligned, or to an
 * offset with no register reads as zero and ignores writes, as in KVM.
 */
#include <stdlib.h>

#include "vgic.h"
#include "../run.h"

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IIDR		0x008
#define GICD_IGROUPR		0x080
#define GICD_ISPENDR		0x200
#define GICD_ICPENDR		0x280
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_CPENDSGIR		0xf10
#define GICD_SPENDSGIR		0xf20
#define GICD_ICPIDR2		0xfe8

#define GICD_CTLR_ENABLE	BIT(0)
#define GICD_SGIR_TLF_LIST	0
#define GICD_SGIR_TLF_OTHERS	1
#define GICD_SGIR_TLF_SELF	2

#define GICC_CTLR		0x00
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_IAR		0x0c
#define GICC_EOIR		0x10
#define GICC_RPR		0x14
#define GICC_HPPIR		0x18
#define GICC_ABPR		0x1c
#define GICC_AIAR		0x20
#define GICC_AEOIR		0x24
#define GICC_AHPPIR		0x28
#define GICC_APR0		0xd0
#define GICC_NSAPR0		0xe0
#define GICC_IIDR		0xfc
#define GICC_DIR		0x1000

/* GICV_CTLR's fields (GIC architecture v2 §5.6.1) */
#define GICC_CTLR_ENABLEGRP0	BIT(0)
#define GICC_CTLR_ENABLEGRP1	BIT(1)
#define GICC_CTLR_ACKCTL	BIT(2)
#define GICC_CTLR_FIQEN		BIT(3)
#define GICC_CTLR_CBPR		BIT(4)
#define GICC_CTLR_EOIMODE	BIT(9)

#define GICC_IAR_CPUID_SHIFT	10
#define INTID_SPURIOUS		1023
#define INTID_GROUP1		1022	/* a group-1 interrupt, AckCtl clear */

/* KVM's: product 0x4b, revision 2 (guest-configurable groups), Arm */
#define VGIC_V2_GICD_IIDR	((0x4bU << 24) | (2U << 12) | 0x43bU)
#define VGIC_V2_GICC_IIDR	((0x4bU << 20) | (2U << 16) | 0x43bU)
#define VGIC_V2_PIDR2		0x2b	/* architecture revision 2 */

#define PRE_SHIFT		(8 - VGIC_PRI_BITS)
#define BPR_MIN			(PRE_SHIFT - 1)		/* GICC_BPR */
#define ABPR_MIN		PRE_SHIFT		/* GICC_ABPR */

struct vgic_v2_iodev {
	struct kvm_io_device dev;
	struct kvm *kvm;
	u64 base;
	bool cpuif;
};

static u32 nr_irqs(struct kvm *kvm)
{
	return kvm->vgic.nr_spis + VGIC_NR_PRIVATE_IRQS;
}

/* The CPU interfaces that exist: GICD_ITARGETSR and GICD_SGIR bits beyond are RAZ/WI. */
static u8 cpu_mask(struct kvm *kvm)
{
	unsigned int n = kvm->created_vcpus < VGIC_V2_MAX_CPUS ?
			 kvm->created_vcpus : VGIC_V2_MAX_CPUS;

	return (u8)((1u << n) - 1);
}

static struct kvm_vcpu *cpuif_vcpu(struct kvm *kvm, unsigned int n)
{
	return n < VGIC_V2_MAX_CPUS ? kvm->vcpu_by_idx[n] : NULL;
}

/* ---- the CPU interface's priority logic -------------------------------------------- */

/*
 * The group priority: GICC_BPR's for group 0 (bits [7:BPR+1]), GICC_ABPR's
 * for group 1 (bits [7:ABPR]), GICC_BPR's for both when CBPR is set.
 */
static u8 group_prio(const struct vgic_cpu *c, u8 prio, bool group1)
{
	unsigned int shift = group1 && !c->cbpr ? c->bpr1 : c->bpr0 + 1u;

	return prio & (u8)(0xffu << shift);
}

static u8 running_prio(const struct vgic_cpu *c)
{
	u32 ap = c->ap0r0 | c->ap1r0;

	return ap ? (u8)(__builtin_ctz(ap) << PRE_SHIFT) : VGIC_IDLE_PRIORITY;
}

/* The highest-priority pending interrupt of the enabled groups, or 1023. */
static u32 highest_pending(struct kvm_vcpu *vcpu, bool grp0, bool grp1, u8 *prio,
			   bool *group1)
{
	u32 i0 = INTID_SPURIOUS, i1 = INTID_SPURIOUS;
	u8 p0 = 0xff, p1 = 0xff;

	if (grp0)
		i0 = vgic_highest_pending_locked(vcpu, false, &p0);
	if (grp1)
		i1 = vgic_highest_pending_locked(vcpu, true, &p1);
	if (i1 != INTID_SPURIOUS &&
	    (i0 == INTID_SPURIOUS || p1 < p0 || (p1 == p0 && i1 < i0))) {
		*prio = p1;
		*group1 = true;
		return i1;
	}
	*prio = p0;
	*group1 = false;
	return i0;
}

/* The interrupt the CPU interface would signal now, or 1023. */
static u32 signalled(struct kvm_vcpu *vcpu, bool grp0, bool grp1, bool *group1)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	u32 intid;
	u8 prio;

	intid = highest_pending(vcpu, grp0, grp1, &prio, group1);
	if (intid == INTID_SPURIOUS || prio >= c->pmr ||
	    group_prio(c, prio, *group1) >= running_prio(c))
		return INTID_SPURIOUS;
	return intid;
}

/* The vCPU's IRQ (and FIQ) line, from the CPU interface's state. */
void vgic_v2_update_vcpu_locked(struct kvm_vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	u32 line = 0, old;
	bool group1;

	if (signalled(vcpu, c->igrpen0, c->igrpen1, &group1) != INTID_SPURIOUS)
		line = !group1 && c->fiqen ? CPU_IRQ_FIQ : CPU_IRQ_IRQ;
	atomic_fetch_and(&vcpu->cpu.irq_lines, ~((CPU_IRQ_IRQ | CPU_IRQ_FIQ) & ~line));
	if (line) {
		old = atomic_fetch_or(&vcpu->cpu.irq_lines, line);
		if (!(old & line))
			run_wake(vcpu);
	}
}

/* The SGI's source the next acknowledge reports: the lowest pending one. */
static unsigned int sgi_source(const struct vgic_irq *irq)
{
	return irq->source ? (unsigned int)__builtin_ctz(irq->source) : 0;
}

/* GICC_IAR (@alias false) and GICC_AIAR (group 1 only). */
static u32 cpuif_ack(struct kvm_vcpu *vcpu, bool alias)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct vgic_irq *irq;
	unsigned int src = 0;
	u32 intid;
	bool group1;

	intid = signalled(vcpu, !alias && c->igrpen0, c->igrpen1, &group1);
	if (intid == INTID_SPURIOUS)
		return INTID_SPURIOUS;
	if (!alias && group1 && !c->ackctl)
		return INTID_GROUP1;
	irq = vgic_get_irq(vcpu->kvm, vcpu, intid);
	if (intid < VGIC_NR_SGIS) {
		src = sgi_source(irq);
		irq->source &= (u8)~(1u << src);
		irq->pending_latch = irq->source != 0;
	} else {
		irq->pending_latch = false;
	}
	irq->active = true;
	*(group1 ? &c->ap1r0 : &c->ap0r0) |=
		1u << (group_prio(c, irq->priority, group1) >> PRE_SHIFT);
	vgic_v2_update_vcpu_locked(vcpu);
	return intid | src << GICC_IAR_CPUID_SHIFT;
}

/* GICC_HPPIR (@alias false) and GICC_AHPPIR. */
static u32 cpuif_hppir(struct kvm_vcpu *vcpu, bool alias)
{
	struct vgic_irq *irq;
	bool group1;
	u32 intid;
	u8 prio;

	intid = highest_pending(vcpu, !alias, true, &prio, &group1);
	if (intid == INTID_SPURIOUS)
		return intid;
	if (!alias && group1 && !vcpu->vgic_cpu.ackctl)
		return INTID_GROUP1;
	irq = vgic_get_irq(vcpu->kvm, vcpu, intid);
	if (intid < VGIC_NR_SGIS)
		intid |= sgi_source(irq) << GICC_IAR_CPUID_SHIFT;
	return intid;
}

/* GICC_EOIR, GICC_AEOIR: drop the running priority; deactivate unless EOImode. */
static void cpuif_eoi(struct kvm_vcpu *vcpu, u32 val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	u32 intid = val & 0x3ff, ap = c->ap0r0 | c->ap1r0, bit;

	if (intid >= 1020)
		return;
	if (ap) {
		bit = 1u << __builtin_ctz(ap);
		if (c->ap0r0 & bit)
			c->ap0r0 &= ~bit;
		else
			c->ap1r0 &= ~bit;
	}
	if (!c->eoimode)
		vgic_deactivate_locked(vcpu->kvm, vcpu, intid);
	vgic_v2_update_vcpu_locked(vcpu);
}

/* GICC_DIR: deactivation, with EOImode set (UNPREDICTABLE otherwise: ignored). */
static void cpuif_dir(struct kvm_vcpu *vcpu, u32 val)
{
	if (!vcpu->vgic_cpu.eoimode || (val & 0x3ff) >= 1020)
		return;
	vgic_deactivate_locked(vcpu->kvm, vcpu, val & 0x3ff);
	vgic_v2_update_vcpu_locked(vcpu);
}

static u32 cpuif_ctlr(const struct vgic_cpu *c)
{
	return (c->igrpen0 ? GICC_CTLR_ENABLEGRP0 : 0) |
	       (c->igrpen1 ? GICC_CTLR_ENABLEGRP1 : 0) |
	       (c->ackctl ? GICC_CTLR_ACKCTL : 0) | (c->fiqen ? GICC_CTLR_FIQEN : 0) |
	       (c->cbpr ? GICC_CTLR_CBPR : 0) | (c->eoimode ? GICC_CTLR_EOIMODE : 0);
}

static void cpuif_set_ctlr(struct vgic_cpu *c, u32 val)
{
	c->igrpen0 = val & GICC_CTLR_ENABLEGRP0;
	c->igrpen1 = val & GICC_CTLR_ENABLEGRP1;
	c->ackctl = val & GICC_CTLR_ACKCTL;
	c->fiqen = val & GICC_CTLR_FIQEN;
	c->cbpr = val & GICC_CTLR_CBPR;
	c->eoimode = val & GICC_CTLR_EOIMODE;
}

/*
 * The registers that hold state (KVM's vgic_v2_cpu_registers, what
 * KVM_DEV_ARM_VGIC_GRP_CPU_REGS reaches); false when @off is not one.
 */
static bool cpuif_state_access(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;

	switch (off) {
	case GICC_CTLR:
		if (write)
			cpuif_set_ctlr(c, *val);
		else
			*val = cpuif_ctlr(c);
		return true;
	case GICC_PMR:
		if (write)
			c->pmr = (u8)*val & VGIC_PRI_MASK;
		else
			*val = c->pmr;
		return true;
	case GICC_BPR:
		if (write)
			c->bpr0 = (u8)(*val & 7) < BPR_MIN ? BPR_MIN : (u8)(*val & 7);
		else
			*val = c->bpr0;
		return true;
	case GICC_ABPR:
		if (write)
			c->bpr1 = (u8)(*val & 7) < ABPR_MIN ? ABPR_MIN : (u8)(*val & 7);
		else
			*val = c->bpr1;
		return true;
	case GICC_APR0:
		if (write)
			c->ap0r0 = *val;
		else
			*val = c->ap0r0;
		return true;
	case GICC_APR0 + 4:
	case GICC_APR0 + 8:
	case GICC_APR0 + 12:
		/* 5 priority bits: one active-priority register per group */
		if (!write)
			*val = 0;
		return true;
	case GICC_IIDR:
		if (!write)
			*val = VGIC_V2_GICC_IIDR;
		return true;
	}
	return false;
}

static void cpuif_access(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;

	if (cpuif_state_access(vcpu, off, write, val)) {
		if (write)
			vgic_v2_update_vcpu_locked(vcpu);
		return;
	}
	if (write) {
		switch (off) {
		case GICC_EOIR:
		case GICC_AEOIR:
			cpuif_eoi(vcpu, *val);
			break;
		case GICC_DIR:
			cpuif_dir(vcpu, *val);
			break;
		case GICC_NSAPR0:
			c->ap1r0 = *val;
			vgic_v2_update_vcpu_locked(vcpu);
			break;
		}
		return;
	}
	switch (off) {
	case GICC_IAR:
	case GICC_AIAR:
		*val = cpuif_ack(vcpu, off == GICC_AIAR);
		break;
	case GICC_HPPIR:
	case GICC_AHPPIR:
		*val = cpuif_hppir(vcpu, off == GICC_AHPPIR);
		break;
	case GICC_RPR:
		*val = running_prio(c);
		break;
	case GICC_NSAPR0:
		*val = c->ap1r0;
		break;
	}
}

/* ---- the distributor ---------------------------------------------------------------- */

/* GICD_SGIR: make SGI pending on the CPU interfaces the filter names, from @vcpu. */
static void dist_sgir(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 val)
{
	unsigned int sgi = val & 0xf, me = vcpu->vcpu_idx, i;
	u8 targets = (u8)(val >> 16);

	switch ((val >> 24) & 3) {
	case GICD_SGIR_TLF_LIST:
		break;
	case GICD_SGIR_TLF_OTHERS:
		targets = (u8)~(1u << me);
		break;
	case GICD_SGIR_TLF_SELF:
		targets = (u8)(1u << me);
		break;
	default:
		return;	/* reserved */
	}
	targets &= cpu_mask(kvm);
	for (i = 0; i < VGIC_V2_MAX_CPUS; i++) {
		struct kvm_vcpu *v = cpuif_vcpu(kvm, i);
		struct vgic_irq *irq;

		if (!v || !(targets & (1u << i)))
			continue;
		irq = &v->vgic_cpu.private_irqs[sgi];
		irq->source |= (u8)(1u << me);
		irq->pending_latch = true;
		vgic_v2_update_vcpu_locked(v);
	}
}

/* One byte of GICD_ITARGETSR. */
static u8 read_target(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid)
{
	struct vgic_irq *irq;

	if (intid < VGIC_NR_PRIVATE_IRQS)
		return (u8)(1u << vcpu->vcpu_idx);
	irq = vgic_get_irq(kvm, NULL, intid);
	return irq ? irq->targets : 0;
}

static void write_target(struct kvm *kvm, u32 intid, u8 targets)
{
	struct vgic_irq *irq = intid < VGIC_NR_PRIVATE_IRQS ? NULL :
			       vgic_get_irq(kvm, NULL, intid);
	struct kvm_vcpu *v;

	if (!irq)
		return;
	irq->targets = targets & cpu_mask(kvm);
	v = irq->targets ? cpuif_vcpu(kvm, (unsigned int)__builtin_ctz(irq->targets)) : NULL;
	irq->target = v ? (int)v->vcpu_idx : -1;
}

/* Is @off one of the bit-per-INTID, IPRIORITYR or ICFGR words of INTIDs 0-31? */
static bool banked(u32 off)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return (off & 0x7f) < 4;
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_PRIVATE_IRQS)
		return true;
	return off >= GICD_ICFGR && off < GICD_ICFGR + 8;
}

/*
 * The distributor as @vcpu sees it (its private INTIDs).  @uaccess: from
 * KVM_DEV_ARM_VGIC_GRP_DIST_REGS; returns false when @off has no register.
 */
static bool dist_access(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 off,
			unsigned int len, bool write, u32 *val)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_irq *irq;
	u64 v = write ? *val : 0;
	unsigned int i;

	if (off >= GICD_IGROUPR && off < GICD_ITARGETSR) {
		/* SGIs: pending only through GICD_SGIR and GICD_SPENDSGIR (§4.3.7) */
		if (write && banked(off) &&
		    ((off >= GICD_ISPENDR && off < GICD_ISPENDR + 4) ||
		     (off >= GICD_ICPENDR && off < GICD_ICPENDR + 4)))
			v &= ~0xffffULL;
		vgic_mmio_irq_reg_access(kvm, banked(off) ? vcpu : NULL, off, len, write, &v);
		goto out;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		vgic_mmio_irq_reg_access(kvm, banked(off) ? vcpu : NULL, off, len, write, &v);
		goto out;
	}
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + 0x400) {
		u32 intid = off - GICD_ITARGETSR;

		if (len != 1 && len != 4)
			goto out;
		for (i = 0; i < len && intid + i < nr_irqs(kvm); i++) {
			if (write)
				write_target(kvm, intid + i, (u8)(v >> (8 * i)));
			else
				v |= (u64)read_target(kvm, vcpu, intid + i) << (8 * i);
		}
		goto out;
	}
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
		u32 sgi = off & 0xf;

		if (len != 1 && len != 4)
			goto out;
		for (i = 0; i < len; i++) {
			u8 b = (u8)(v >> (8 * i));

			irq = &vcpu->vgic_cpu.private_irqs[sgi + i];
			if (!write) {
				v |= (u64)irq->source << (8 * i);
				continue;
			}
			if (off >= GICD_SPENDSGIR)
				irq->source |= b & cpu_mask(kvm);
			else
				irq->source &= (u8)~b;
			irq->pending_latch = irq->source != 0;
		}
		goto out;
	}
	if (len != 4)
		return off == GICD_CTLR || off == GICD_TYPER || off == GICD_IIDR ||
		       off == GICD_SGIR;
	switch (off) {
	case GICD_CTLR:
		if (write)
			d->enabled = v & GICD_CTLR_ENABLE;
		else
			v = d->enabled ? GICD_CTLR_ENABLE : 0;
		break;
	case GICD_TYPER:
		/* CPUNumber (the CPU interfaces less one), ITLinesNumber; no SecurityExtn */
		if (!write)
			v = (u32)__builtin_popcount(cpu_mask(kvm) >> 1) << 5 |
			    ((nr_irqs(kvm) >> 5) - 1);
		break;
	case GICD_IIDR:
		if (!write)
			v = VGIC_V2_GICD_IIDR;
		break;
	case GICD_SGIR:
		if (write)
			dist_sgir(kvm, vcpu, (u32)v);
		break;
	default:
		return false;
	}
out:
	if (write)
		vgic_update_all_locked(kvm);
	else
		*val = (u32)v;
	return true;
}

/* ---- the bus side -------------------------------------------------------------------- */

static int v2_iodev_access(struct kvm_vcpu *vcpu, struct kvm_io_device *dev, u64 addr,
			   unsigned int len, bool write, void *buf)
{
	struct vgic_v2_iodev *io = (struct vgic_v2_iodev *)dev;
	struct kvm *kvm = io->kvm;
	u32 off = (u32)(addr - io->base), val = 0;
	u8 *b = buf;
	unsigned int i;

	if (!vcpu)
		return -EOPNOTSUPP;	/* banked registers: a CPU's access only */
	if (write)
		for (i = 0; i < len && i < 4; i++)
			val |= (u32)b[i] << (8 * i);
	pthread_mutex_lock(&kvm->vgic.lock);
	if ((off & (len - 1)) || len > 4) {
		/* unaligned or 64-bit: RAZ/WI */
	} else if (io->cpuif) {
		if (len == 4)
			cpuif_access(vcpu, off, write, &val);
	} else if (!dist_access(kvm, vcpu, off, len, write, &val) && !write &&
		   off == GICD_ICPIDR2 && len == 4) {
		val = VGIC_V2_PIDR2;
	}
	pthread_mutex_unlock(&kvm->vgic.lock);
	if (!write)
		for (i = 0; i < len; i++)
			b[i] = i < 4 ? (u8)(val >> (8 * i)) : 0;
	return 0;
}

static int v2_iodev_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev, u64 addr,
			 unsigned int len, void *val)
{
	return v2_iodev_access(vcpu, dev, addr, len, false, val);
}

static int v2_iodev_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev, u64 addr,
			  unsigned int len, const void *val)
{
	return v2_iodev_access(vcpu, dev, addr, len, true, (void *)val);
}

static const struct kvm_io_device_ops v2_io_ops = {
	.read = v2_iodev_read,
	.write = v2_iodev_write,
};

void vgic_v2_unregister_iodevs(struct kvm *kvm)
{
	struct vgic_v2_iodev *devs = kvm->vgic.v2_iodevs;
	unsigned int i;

	if (!devs)
		return;
	for (i = 0; i < 2; i++)
		if (devs[i].kvm)
			kvm_io_bus_unregister_dev(kvm, &devs[i].dev);
	free(devs);
	kvm->vgic.v2_iodevs = NULL;
}

/* Caller holds vgic.lock. */
static int v2_register_iodevs(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_v2_iodev *devs;
	int ret;

	devs = calloc(2, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	d->v2_iodevs = devs;
	devs[0] = (struct vgic_v2_iodev){ { &v2_io_ops }, NULL, d->dist_base, false };
	devs[1] = (struct vgic_v2_iodev){ { &v2_io_ops }, NULL, d->cpu_base, true };
	ret = kvm_io_bus_register_dev(kvm, d->dist_base, KVM_VGIC_V2_DIST_SIZE, &devs[0].dev);
	if (ret)
		return ret;
	devs[0].kvm = kvm;
	ret = kvm_io_bus_register_dev(kvm, d->cpu_base, KVM_VGIC_V2_CPU_SIZE, &devs[1].dev);
	if (ret)
		return ret;
	devs[1].kvm = kvm;
	return 0;
}

/* vgic_v2_check_base(): neither frame wraps, and they do not overlap. */
static bool v2_check_base(struct kvm *kvm)
{
	u64 dist = kvm->vgic.dist_base, cpu = kvm->vgic.cpu_base;

	if (dist + KVM_VGIC_V2_DIST_SIZE < dist || cpu + KVM_VGIC_V2_CPU_SIZE < cpu)
		return false;
	return dist + KVM_VGIC_V2_DIST_SIZE <= cpu || cpu + KVM_VGIC_V2_CPU_SIZE <= dist;
}

/* vgic_v2_map_resources(), at the first KVM_RUN: the frames, and INIT if not yet. */
int vgic_v2_map_resources(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	if (d->ready)
		goto out;
	if (d->dist_base == VGIC_ADDR_UNDEF || d->cpu_base == VGIC_ADDR_UNDEF) {
		ret = -ENXIO;
		goto out;
	}
	if (!v2_check_base(kvm)) {
		ret = -EINVAL;
		goto out;
	}
	pthread_mutex_unlock(&d->lock);
	ret = vgic_init(kvm);
	pthread_mutex_lock(&d->lock);
	if (ret || d->ready)
		goto out;
	ret = v2_register_iodevs(kvm);
	if (ret) {
		vgic_v2_unregister_iodevs(kvm);
		goto out;
	}
	d->ready = true;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/* vgic_init() of a GICv2: everything in group 0, no SPI targets (KVM's reset). */
void vgic_v2_init_locked(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i, j;

	for (i = 0; i < d->nr_spis; i++) {
		d->spis[i].group = false;
		d->spis[i].targets = 0;
	}
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpu_by_idx[i];

		if (!v)
			continue;
		for (j = 0; j < VGIC_NR_PRIVATE_IRQS; j++)
			v->vgic_cpu.private_irqs[j].group = false;
	}
}

/* ---- userspace's side: KVM_DEV_ARM_VGIC_GRP_{DIST,CPU}_REGS ------------------------------ */

int vgic_v2_dist_uaccess(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val)
{
	struct kvm *kvm = vcpu->kvm;
	int ret = 0;

	/* 32-bit, aligned, within the 4 KiB frame; GICD_ICPIDR2 is not KVM's */
	if ((off & 3) || off >= KVM_VGIC_V2_DIST_SIZE)
		return -ENXIO;
	pthread_mutex_lock(&kvm->vgic.lock);
	if (!dist_access(kvm, vcpu, off, 4, write, val))
		ret = -ENXIO;
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

int vgic_v2_cpu_uaccess(struct kvm_vcpu *vcpu, u32 off, bool write, u32 *val)
{
	struct kvm *kvm = vcpu->kvm;
	int ret = 0;

	if (off & 3)
		return -ENXIO;
	pthread_mutex_lock(&kvm->vgic.lock);
	if (!cpuif_state_access(vcpu, off, write && off != GICC_IIDR, val))
		ret = -ENXIO;
	else if (write)
		vgic_v2_update_vcpu_locked(vcpu);
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}
