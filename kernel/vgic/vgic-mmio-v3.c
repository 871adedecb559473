// SPDX-License-Identifier: GPL-2.0
/*
 * The distributor and the redistributors' registers (arch/arm64/kvm/vgic/
 * vgic-mmio.c and vgic-mmio-v3.c), handled on the in-kernel MMIO bus: an
 * access to them never exits to userspace.  As in KVM, an access of a
 * width a register does not allow, or to an offset with no register, reads
 * as zero and ignores writes; private INTIDs in the distributor are RAZ/WI
 * (affinity routing).
 */
#include <stdlib.h>

#include "vgic.h"

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_TYPER2		0x000c
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8

#define GICD_CTLR_ENABLE_G1	BIT(1)
#define GICD_CTLR_ARE_NS	BIT(4)
#define GICD_CTLR_DS		BIT(6)

#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_INVLPIR		0x00a0
#define GICR_INVALLR		0x00b0
#define GICR_SYNCR		0x00c0
#define GICR_CTLR_ENABLE_LPIS	BIT(0)
#define GICR_TYPER_PLPIS	BIT(0)
#define GICD_TYPER_LPIS		BIT(17)
#define GICR_PIDR2		GICD_PIDR2
#define GICR_CTLR_CES		BIT(1)
#define GICR_CTLR_IR		BIT(2)
#define GICR_TYPER_LAST		BIT(4)
#define SGI_BASE		0x10000

/* GICD_IIDR: KVM's product ID, Arm; its Revision (3, or 2 restored) apart */
#define VGIC_IIDR_BASE		((0x4bU << 24) | 0x43bU)
#define GICD_IIDR_REVISION	0xf000u
#define GICD_IIDR_REVISION_SHIFT 12
/* GICR_IIDR: the same without a revision, as KVM's (Revision 0) */
#define VGIC_GICR_IIDR		VGIC_IIDR_BASE
#define VGIC_PIDR2		0x3b	/* architecture revision 3 */

enum bit_reg { R_GROUP, R_SENABLE, R_CENABLE, R_SPEND, R_CPEND, R_SACTIVE, R_CACTIVE };

struct vgic_iodev {
	struct kvm_io_device dev;
	struct kvm *kvm;
	u64 base;
	int region;		/* -1: the distributor */
};

static u64 le_get(const void *p, unsigned int len)
{
	const u8 *b = p;
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (u64)b[i] << (8 * i);
	return v;
}

static void le_put(void *p, unsigned int len, u64 v)
{
	u8 *b = p;
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = (u8)(v >> (8 * i));
}

static u32 nr_irqs(struct kvm *kvm)
{
	return kvm->vgic.nr_spis + VGIC_NR_PRIVATE_IRQS;
}

/* 32 one-bit fields from @intid; @vcpu for private INTIDs. */
static u32 read_bits(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid, enum bit_reg r)
{
	u32 v = 0, i;

	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq = vgic_get_irq(kvm, vcpu, intid + i);
		bool bit = false;

		if (!irq)
			continue;
		switch (r) {
		case R_GROUP:
			bit = irq->group;
			break;
		case R_SENABLE:
		case R_CENABLE:
			bit = irq->enabled;
			break;
		case R_SPEND:
		case R_CPEND:
			bit = vgic_irq_is_pending(irq);
			break;
		case R_SACTIVE:
		case R_CACTIVE:
			bit = irq->active;
			break;
		}
		v |= (u32)bit << i;
	}
	return v;
}

static void write_bits(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid,
		       enum bit_reg r, u32 val)
{
	u32 i;

	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq = vgic_get_irq(kvm, vcpu, intid + i);
		bool bit = val & (1u << i);

		if (!irq)
			continue;
		switch (r) {
		case R_GROUP:
			irq->group = bit;
			break;
		case R_SENABLE:
			if (bit)
				irq->enabled = true;
			break;
		case R_CENABLE:
			if (bit)
				irq->enabled = false;
			break;
		case R_SPEND:
			if (bit)
				irq->pending_latch = true;
			break;
		case R_CPEND:
			if (bit)
				irq->pending_latch = false;
			break;
		case R_SACTIVE:
			if (bit)
				irq->active = true;
			break;
		case R_CACTIVE:
			if (bit)
				vgic_deactivate_locked(kvm, vcpu, intid + i);
			break;
		}
	}
}

static u32 read_icfgr(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid)
{
	u32 v = 0, i;

	for (i = 0; i < 16; i++) {
		struct vgic_irq *irq = vgic_get_irq(kvm, vcpu, intid + i);

		if (irq && irq->edge)
			v |= 2u << (2 * i);
	}
	return v;
}

static void write_icfgr(struct kvm *kvm, u32 intid, u32 val)
{
	u32 i;

	for (i = 0; i < 16; i++) {
		/* SGIs and PPIs: read-only (the timers rely on level PPIs) */
		struct vgic_irq *irq = intid + i < VGIC_NR_PRIVATE_IRQS ? NULL :
				       vgic_get_irq(kvm, NULL, intid + i);

		if (irq)
			irq->edge = val & (2u << (2 * i));
	}
}

/*
 * The registers the distributor and the SGI frame (and GICv2) share: bit-per-IRQ,
 * IPRIORITYR and ICFGR.  Returns false when @off is not one of them.
 */
bool vgic_mmio_irq_reg_access(struct kvm *kvm, struct kvm_vcpu *vcpu, u64 off,
			      unsigned int len, bool write, u64 *val)
{
	static const struct { u64 off; enum bit_reg r; } bit_regs[] = {
		{ GICD_IGROUPR, R_GROUP }, { GICD_ISENABLER, R_SENABLE },
		{ GICD_ICENABLER, R_CENABLE }, { GICD_ISPENDR, R_SPEND },
		{ GICD_ICPENDR, R_CPEND }, { GICD_ISACTIVER, R_SACTIVE },
		{ GICD_ICACTIVER, R_CACTIVE },
	};
	u32 first = vcpu ? 0 : VGIC_NR_PRIVATE_IRQS;
	u32 limit = vcpu ? VGIC_NR_PRIVATE_IRQS : nr_irqs(kvm);
	u32 intid, i;

	for (i = 0; i < ARRAY_SIZE(bit_regs); i++) {
		if (off < bit_regs[i].off || off >= bit_regs[i].off + 0x80)
			continue;
		intid = (u32)(off - bit_regs[i].off) * 8;
		if (len != 4 || intid < first || intid >= limit)
			return true;	/* RAZ/WI */
		if (write)
			write_bits(kvm, vcpu, intid, bit_regs[i].r, (u32)*val);
		else
			*val = read_bits(kvm, vcpu, intid, bit_regs[i].r);
		return true;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		intid = (u32)(off - GICD_IPRIORITYR);
		if ((len != 1 && len != 4) || intid < first || intid >= limit)
			return true;
		for (i = 0; i < len; i++) {
			struct vgic_irq *irq = vgic_get_irq(kvm, vcpu, intid + i);

			if (!irq)
				continue;
			if (write)
				irq->priority = (u8)(*val >> (8 * i)) & VGIC_PRI_MASK;
			else
				*val |= (u64)irq->priority << (8 * i);
		}
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		intid = (u32)(off - GICD_ICFGR) * 4;
		if (len != 4 || intid >= limit || (vcpu == NULL && intid < first))
			return true;
		if (write)
			write_icfgr(kvm, intid, (u32)*val);
		else
			*val = read_icfgr(kvm, vcpu, intid);
		return true;
	}
	return false;
}

/* ---- the distributor ------------------------------------------------------------ */

static void dist_access(struct kvm *kvm, u64 off, unsigned int len, bool write, u64 *val)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_irq *irq;
	u32 intid;

	if (vgic_mmio_irq_reg_access(kvm, NULL, off, len, write, val)) {
		if (write)
			vgic_update_all_locked(kvm);
		return;
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1024) {
		intid = (u32)(off - GICD_IROUTER) / 8;
		irq = intid < VGIC_NR_PRIVATE_IRQS ? NULL : vgic_get_irq(kvm, NULL, intid);
		if (!irq || (len != 4 && len != 8) || (off & (len - 1)))
			return;
		if (!write) {
			*val = off & 4 ? 0 : (u64)irq->mpidr;
			if (len == 4)
				*val &= 0xffffffffULL;
			return;
		}
		/* the upper word (Aff3) and IRM are WI: KVM routes to one PE */
		if (off & 4)
			return;
		irq->mpidr = (u32)(*val & GENMASK_ULL(23, 0));
		{
			struct kvm_vcpu *v = vgic_mpidr_to_vcpu(kvm, irq->mpidr);

			irq->target = v ? (int)v->vcpu_idx : -1;
		}
		vgic_update_all_locked(kvm);
		return;
	}
	if (len != 4)
		return;
	switch (off) {
	case GICD_CTLR:
		if (write) {
			d->enabled = *val & GICD_CTLR_ENABLE_G1;
			vgic_update_all_locked(kvm);
		} else {
			*val = (d->enabled ? GICD_CTLR_ENABLE_G1 : 0) |
			       GICD_CTLR_ARE_NS | GICD_CTLR_DS;
		}
		return;
	case GICD_TYPER:
		/* ITLinesNumber; IDbits 10, or 16 and LPIS with an ITS */
		if (!write)
			*val = ((nr_irqs(kvm) >> 5) - 1) |
			       (d->has_its ? GICD_TYPER_LPIS | (15u << 19) : 9u << 19);
		return;
	case GICD_IIDR:
		if (!write)
			*val = VGIC_IIDR_BASE | (d->imp_rev_2 ? 2u : 3u) << GICD_IIDR_REVISION_SHIFT;
		return;
	case GICD_PIDR2:
		if (!write)
			*val = VGIC_PIDR2;
		return;
	}
}

/* ---- the redistributors ---------------------------------------------------------- */

/* vgic_mmio_vcpu_rdist_is_last() */
static bool rdist_is_last(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct vgic_redist_region *r;
	unsigned int i;
	u64 end;

	if (c->rdreg < 0)
		return false;
	r = &d->rd_regions[c->rdreg];
	if (c->rdreg_index < r->free_index - 1)
		return false;
	if (r->count && c->rdreg_index == r->count - 1) {
		end = r->base + (u64)r->count * KVM_VGIC_V3_REDIST_SIZE;
		for (i = 0; i < d->nr_rd_regions; i++)
			if (d->rd_regions[i].base == end && d->rd_regions[i].free_index > 0)
				return false;
	}
	return true;
}

/* GICR_PROPBASER/PENDBASER: 64-bit, 32-bit halves allowed; fixed once LPIs are on */
static void rdist_baser_access(struct kvm *kvm, struct kvm_vcpu *vcpu, u64 off,
			       unsigned int len, bool write, u64 *val)
{
	u64 *reg = (off & ~7ULL) == GICR_PROPBASER ? &kvm->vgic.propbaser
						   : &vcpu->vgic_cpu.pendbaser;
	unsigned int shift = (off & 4) * 8;
	u64 mask = len == 8 ? ~0ULL : 0xffffffffULL, v;

	if (!write) {
		v = *reg;
		if (reg == &vcpu->vgic_cpu.pendbaser)
			v &= ~BIT_ULL(62);	/* PTZ reads as 0 */
		*val = (v >> shift) & mask;
		return;
	}
	if (vcpu->vgic_cpu.lpis_enabled)
		return;
	v = (*reg & ~(mask << shift)) | ((*val & mask) << shift);
	*reg = reg == &kvm->vgic.propbaser ? vgic_sanitise_propbaser(v)
					   : vgic_sanitise_pendbaser(v);
}

/* What a redistributor write leaves to do once vgic.lock is dropped (guest memory) */
struct rdist_deferred {
	struct kvm_vcpu *enable_lpis;	/* read its pending table */
	struct kvm_vcpu *inv;		/* GICR_INVLPIR (intid) or GICR_INVALLR */
	u32 intid;			/* 0: INVALLR */
};

static void rdist_access(struct kvm *kvm, struct kvm_vcpu *vcpu, u64 off,
			 unsigned int len, bool write, u64 *val,
			 struct rdist_deferred *later)
{
	u64 mpidr, typer;

	if (off >= SGI_BASE) {
		off -= SGI_BASE;
		if (vgic_mmio_irq_reg_access(kvm, vcpu, off, len, write, val) && write)
			vgic_update_vcpu_locked(vcpu);
		return;
	}
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		if (write || (len != 8 && len != 4) || (off & (len - 1)))
			return;
		mpidr = vcpu_state(vcpu)->sysreg[SR_MPIDR_EL1];
		typer = ((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000)) << 32;
		typer |= (u64)(vcpu->vcpu_id & 0xffff) << 8;
		if (rdist_is_last(kvm, vcpu))
			typer |= GICR_TYPER_LAST;
		if (kvm->vgic.has_its)
			typer |= GICR_TYPER_PLPIS;
		*val = typer >> (8 * (off & 7));
		if (len == 4)
			*val &= 0xffffffffULL;
		return;
	}
	if (off >= GICR_PROPBASER && off < GICR_PENDBASER + 8) {
		if ((len == 8 || len == 4) && !(off & (len - 1)))
			rdist_baser_access(kvm, vcpu, off, len, write, val);
		return;
	}
	/*
	 * GICR_INVLPIR/INVALLR (GICR_CTLR.IR is advertised, so Linux invalidates
	 * LPIs here rather than with ITS commands), with LPIs on; SYNCR reads 0:
	 * never busy (vgic_mmio_write_invlpi, vgic_mmio_write_invall)
	 */
	if ((off & ~7ULL) == GICR_INVLPIR || (off & ~7ULL) == GICR_INVALLR) {
		bool invall = (off & ~7ULL) == GICR_INVALLR;

		if (write && !(off & 4) && (len == 8 || len == 4) && vcpu->vgic_cpu.lpis_enabled &&
		    (invall || (u32)*val >= VGIC_MIN_LPI)) {
			later->inv = vcpu;
			later->intid = invall ? 0 : (u32)*val;
		}
		return;
	}
	if (len != 4)
		return;
	if (write) {
		/* EnableLPIs, with an ITS (vgic_mmio_write_v3r_ctlr) */
		if (off != GICR_CTLR || !kvm->vgic.has_its ||
		    vcpu->vgic_cpu.lpis_enabled == !!(*val & GICR_CTLR_ENABLE_LPIS))
			return;
		vcpu->vgic_cpu.lpis_enabled = *val & GICR_CTLR_ENABLE_LPIS;
		if (vcpu->vgic_cpu.lpis_enabled)
			later->enable_lpis = vcpu;
		else
			vgic_flush_pending_lpis_locked(vcpu);
		return;
	}
	switch (off) {
	case GICR_CTLR:
		/* IR and CES are revision 3's (KVM_VGIC_IMP_REV_3) */
		*val = (kvm->vgic.imp_rev_2 ? 0 : GICR_CTLR_IR | GICR_CTLR_CES) |
		       (vcpu->vgic_cpu.lpis_enabled ? GICR_CTLR_ENABLE_LPIS : 0);
		return;
	case GICR_IIDR:
		*val = VGIC_GICR_IIDR;
		return;
	case GICR_PIDR2:
		*val = VGIC_PIDR2;
		return;
	}
	/* WAKER, STATUSR...: RAZ/WI */
}

/* ---- userspace (KVM_DEV_ARM_VGIC_GRP_{DIST,REDIST}_REGS) ------------------------------- */

/* The 32-bit offsets KVM's register tables expose (vgic_v3_{dist,rd,sgi}_registers) */
bool vgic_v3_uaccess_reg_exists(bool redist, u32 off)
{
	if (off & 3)
		return false;
	if (off >= 0xffd0 && off < 0x10000)	/* ID registers */
		return !(redist && off >= SZ_64K);
	if (!redist)
		return off < 0x14 || (off >= 0x40 && off < 0x60) ||
		       (off >= GICD_IGROUPR && off < 0xe00) ||
		       (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE_IRQS &&
			off < GICD_IROUTER + 8 * 1020);
	if (off >= SGI_BASE) {
		off -= SGI_BASE;
		return off == GICD_IGROUPR || off == GICD_ISENABLER || off == GICD_ICENABLER ||
		       off == GICD_ISPENDR || off == GICD_ICPENDR || off == GICD_ISACTIVER ||
		       off == GICD_ICACTIVER || (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) ||
		       off == GICD_ICFGR || off == GICD_ICFGR + 4 || off == 0xd00 || off == 0xe00;
	}
	return off <= 0x18 || (off >= GICR_PROPBASER && off < GICR_PENDBASER + 8) ||
	       (off >= GICR_INVLPIR && off < GICR_INVLPIR + 8) ||
	       (off >= GICR_INVALLR && off < GICR_INVALLR + 8) || off == 0xc0;
}

/* GICD_IIDR and GICD_TYPER2 size the vGIC: userspace's before INIT too */
bool vgic_v3_dist_reg_pre_init(u32 off)
{
	return off == GICD_IIDR || off == GICD_TYPER2;
}

/*
 * Userspace's writes of GICD_TYPER2 and GICD_IIDR (KVM's
 * vgic_mmio_uaccess_write_v3_misc): TYPER2 only as it reads (no GICv4.1,
 * so no nASSGIcap: EINVAL; changed after INIT: EBUSY); IIDR's Revision 2 or
 * 3 only, every other field as it reads (EINVAL).
 */
static int dist_uaccess_write_id(struct kvm *kvm, u32 off, u32 val)
{
	struct vgic_dist *d = &kvm->vgic;
	u64 reg = 0;
	u32 rev;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	dist_access(kvm, off, 4, false, &reg);
	if (off == GICD_TYPER2) {
		if (reg != val)
			ret = vgic_initialized(kvm) ? -EBUSY : -EINVAL;
	} else {
		rev = (val & GICD_IIDR_REVISION) >> GICD_IIDR_REVISION_SHIFT;
		if (((u32)reg ^ val) & ~GICD_IIDR_REVISION || (rev != 2 && rev != 3))
			ret = -EINVAL;
		else
			d->imp_rev_2 = rev == 2;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/*
 * vgic_v3_{dist,redist}_uaccess(): a 32-bit access from the device's attributes,
 * @vcpu's redistributor (or vCPU 0's view of the distributor).  The caller
 * holds kvm->lock and every vCPU's lock.
 */
int vgic_v3_uaccess(struct kvm_vcpu *vcpu, bool redist, u32 off, bool write, u32 *val)
{
	struct kvm *kvm = vcpu->kvm;
	struct rdist_deferred later = { 0 };
	u64 v = write ? *val : 0;

	if (!vgic_v3_uaccess_reg_exists(redist, off))
		return -ENXIO;
	if (!redist && write && (off == GICD_TYPER2 || off == GICD_IIDR))
		return dist_uaccess_write_id(kvm, off, *val);
	pthread_mutex_lock(&kvm->vgic.lock);
	if (redist)
		rdist_access(kvm, vcpu, off, 4, write, &v, &later);
	else
		dist_access(kvm, off, 4, write, &v);
	pthread_mutex_unlock(&kvm->vgic.lock);
	if (later.enable_lpis)
		vgic_enable_lpis(later.enable_lpis);
	if (later.inv)
		vgic_its_inv(later.inv, later.intid);
	if (!write)
		*val = (u32)v;
	return 0;
}

/*
 * KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO (vgic_v3_line_level_info_uaccess): the input
 * level of the 32 level-sensitive INTIDs from @intid (@vcpu's private ones).
 */
void vgic_v3_line_level_uaccess(struct kvm_vcpu *vcpu, u32 intid, bool write, u32 *val)
{
	struct kvm *kvm = vcpu->kvm;
	u32 i, v = 0;

	pthread_mutex_lock(&kvm->vgic.lock);
	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq = intid + i < nr_irqs(kvm) ?
				       vgic_get_irq(kvm, vcpu, intid + i) : NULL;

		if (!irq || irq->edge)
			continue;
		if (write)
			irq->line_level = *val & (1u << i);
		else
			v |= (u32)irq->line_level << i;
	}
	if (write)
		vgic_update_all_locked(kvm);
	pthread_mutex_unlock(&kvm->vgic.lock);
	if (!write)
		*val = v;
}

/* ---- the bus side ------------------------------------------------------------------ */

static struct kvm_vcpu *rdist_vcpu(struct kvm *kvm, int region, u64 frame)
{
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpu_by_idx[i];

		if (v && v->vgic_cpu.rdreg == region && v->vgic_cpu.rdreg_index == frame)
			return v;
	}
	return NULL;
}

static int vgic_iodev_access(struct kvm_io_device *dev, u64 addr, unsigned int len,
			     bool write, void *buf)
{
	struct vgic_iodev *io = (struct vgic_iodev *)dev;
	struct kvm *kvm = io->kvm;
	u64 off = addr - io->base, val = 0;
	struct rdist_deferred later = { 0 };
	struct kvm_vcpu *target;
	int ret = 0;

	if (write)
		val = le_get(buf, len);
	pthread_mutex_lock(&kvm->vgic.lock);
	if (off & (len - 1)) {
		/* unaligned: RAZ/WI */
	} else if (io->region < 0) {
		dist_access(kvm, off, len, write, &val);
	} else {
		target = rdist_vcpu(kvm, io->region, off / KVM_VGIC_V3_REDIST_SIZE);
		if (!target)
			ret = -EOPNOTSUPP;	/* no redistributor there: userspace's */
		else
			rdist_access(kvm, target, off % KVM_VGIC_V3_REDIST_SIZE, len,
				     write, &val, &later);
	}
	pthread_mutex_unlock(&kvm->vgic.lock);
	/* the pending table is guest memory: read without the vgic lock */
	if (later.enable_lpis)
		vgic_enable_lpis(later.enable_lpis);
	if (later.inv)
		vgic_its_inv(later.inv, later.intid);
	if (!write && !ret)
		le_put(buf, len, val);
	return ret;
}

static int vgic_iodev_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			   u64 addr, unsigned int len, void *val)
{
	return vgic_iodev_access(dev, addr, len, false, val);
}

static int vgic_iodev_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			    u64 addr, unsigned int len, const void *val)
{
	return vgic_iodev_access(dev, addr, len, true, (void *)val);
}

static const struct kvm_io_device_ops vgic_io_ops = {
	.read = vgic_iodev_read,
	.write = vgic_iodev_write,
};

/* Caller holds vgic.lock; the distributor first, then one per region. */
static int vgic_add_iodev(struct kvm *kvm, u64 base, u64 len, int region)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_iodev *devs = d->iodevs, *io;
	unsigned int n = d->nr_rd_regions + 1;
	int ret;

	if (!devs) {
		devs = calloc(n, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		d->iodevs = devs;
	}
	io = &devs[d->nr_iodevs];
	io->dev.ops = &vgic_io_ops;
	io->kvm = kvm;
	io->base = base;
	io->region = region;
	ret = kvm_io_bus_register_dev(kvm, base, len, &io->dev);
	if (!ret)
		d->nr_iodevs++;
	return ret;
}

int vgic_register_dist_iodev(struct kvm *kvm)
{
	return vgic_add_iodev(kvm, kvm->vgic.dist_base, KVM_VGIC_V3_DIST_SIZE, -1);
}

int vgic_register_redist_iodevs(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;
	int ret;

	for (i = 0; i < d->nr_rd_regions; i++) {
		ret = vgic_add_iodev(kvm, d->rd_regions[i].base,
				     vgic_v3_rd_region_size(kvm, &d->rd_regions[i]),
				     (int)i);
		if (ret)
			return ret;
	}
	return 0;
}

void vgic_unregister_iodevs(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_iodev *devs = d->iodevs;
	unsigned int i;

	for (i = 0; i < d->nr_iodevs; i++)
		kvm_io_bus_unregister_dev(kvm, &devs[i].dev);
	d->nr_iodevs = 0;
	free(devs);
	d->iodevs = NULL;
}
