// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interface as system registers (ICC_*_EL1), with the
 * semantics KVM's trap handlers give them (arch/arm64/kvm/hyp/vgic-v3-sr.c
 * and vgic-sys-reg-v3.c): five priority bits, BPR1 at least 3, one
 * active-priority register per group, SRE fixed to 1 with DIB and DFB.
 * sys_regs.c's table routes the encodings here.
 */
#include "vgic.h"

#define ICC_SRE_EL1_SRE		BIT(0)
#define ICC_SRE_EL1_DFB		BIT(1)
#define ICC_SRE_EL1_DIB		BIT(2)
#define ICC_CTLR_EL1_CBPR	BIT(0)
#define ICC_CTLR_EL1_EOIMODE	BIT(1)
#define ICC_CTLR_EL1_PRIBITS_SHIFT 8
#define ICC_CTLR_EL1_A3V	BIT(15)
#define ICC_IAR_SPURIOUS	1023

#define PRE_SHIFT		(8 - VGIC_PRI_BITS)	/* bpr_min */

static u8 group_prio(const struct vgic_cpu *c, u8 prio, bool group1)
{
	unsigned int bpr = group1 ? c->bpr1 : c->bpr0 + 1u;

	return prio & (u8)(0xffu << bpr);
}

static u32 *apr(struct vgic_cpu *c, bool group1)
{
	return group1 ? &c->ap1r0 : &c->ap0r0;
}

static u8 highest_active_prio(const struct vgic_cpu *c)
{
	u32 ap = c->ap0r0 | c->ap1r0;

	return ap ? (u8)(__builtin_ctz(ap) << PRE_SHIFT) : VGIC_IDLE_PRIORITY;
}

/* ICC_IAR{0,1}_EL1: acknowledge the highest-priority pending interrupt. */
static u64 vgic_read_iar(struct kvm_vcpu *vcpu, bool group1)
{
	struct kvm *kvm = vcpu->kvm;
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct vgic_irq *irq;
	u32 intid;
	u8 prio, pre;

	if (!(group1 ? c->igrpen1 : c->igrpen0))
		return ICC_IAR_SPURIOUS;
	intid = vgic_highest_pending_locked(vcpu, group1, &prio);
	if (intid == ICC_IAR_SPURIOUS || c->pmr <= prio)
		return ICC_IAR_SPURIOUS;
	pre = group_prio(c, prio, group1);
	if (highest_active_prio(c) <= pre)
		return ICC_IAR_SPURIOUS;
	irq = vgic_get_irq(kvm, vcpu, intid);
	irq->pending_latch = false;
	irq->active = intid < VGIC_MIN_LPI;	/* an LPI has no active state */
	*apr(c, group1) |= 1u << (pre >> PRE_SHIFT);
	vgic_update_vcpu_locked(vcpu);
	return intid;
}

/* ICC_EOIR{0,1}_EL1: drop the running priority; deactivate unless EOImode. */
static void vgic_write_eoir(struct kvm_vcpu *vcpu, bool group1, u32 intid)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct vgic_irq *irq;
	u32 ap = c->ap0r0 | c->ap1r0;
	u8 act_prio;

	intid &= 0xffffff;
	if (ap) {
		u32 bit = 1u << __builtin_ctz(ap);

		act_prio = (u8)(__builtin_ctz(ap) << PRE_SHIFT);
		if (c->ap0r0 & bit)
			c->ap0r0 &= ~bit;
		else
			c->ap1r0 &= ~bit;
	} else {
		act_prio = VGIC_IDLE_PRIORITY;
	}
	irq = vgic_get_irq(vcpu->kvm, vcpu, intid);
	if (irq && irq->active && !c->eoimode && irq->group == group1 &&
	    group_prio(c, irq->priority, group1) == act_prio)
		vgic_deactivate_locked(vcpu->kvm, vcpu, intid);
	/* the caller updates the vCPU's line */
}

static void vgic_write_dir(struct kvm_vcpu *vcpu, u32 intid)
{
	if (!vcpu->vgic_cpu.eoimode)
		return;
	vgic_deactivate_locked(vcpu->kvm, vcpu, intid & 0xffffff);
	vgic_update_vcpu_locked(vcpu);
}

/* vgic_v3_dispatch_sgi(): ICC_SGI1R_EL1 and friends. */
static void vgic_dispatch_sgi(struct kvm_vcpu *vcpu, u64 reg, bool allow_group1)
{
	struct kvm *kvm = vcpu->kvm;
	u32 sgi = (reg >> 24) & 0xf;
	bool broadcast = reg & BIT_ULL(40);
	u32 targets = reg & 0xffff;
	u32 rs = (reg >> 44) & 0xf;
	u64 aff = (((reg >> 48) & 0xff) << 32) | (((reg >> 32) & 0xff) << 16) |
		  (((reg >> 16) & 0xff) << 8);
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpu_by_idx[i];
		struct vgic_irq *irq;

		if (!v)
			continue;
		if (broadcast) {
			if (v == vcpu)
				continue;
		} else {
			u64 mpidr = vcpu_state(v)->sysreg[SR_MPIDR_EL1] & 0xff00ffffffULL;
			u32 aff0 = mpidr & 0xff;

			if ((mpidr & ~0xffULL) != aff || aff0 / 16 != rs ||
			    !(targets & (1u << (aff0 % 16))))
				continue;
		}
		irq = &v->vgic_cpu.private_irqs[sgi];
		/* a group-0 request only makes group-0 SGIs pending */
		if (!irq->group || allow_group1) {
			irq->pending_latch = true;
			vgic_update_vcpu_locked(v);
		}
	}
}

int vgic_v3_icc_read(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 *val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct kvm *kvm = vcpu->kvm;
	u8 prio;

	/* no FEAT_GICv3 (no GIC, or a GICv2): every ICC_* access is UNDEFINED */
	if (!irqchip_in_kernel(kvm) || vgic_is_v2(kvm))
		return -1;
	pthread_mutex_lock(&kvm->vgic.lock);
	switch (r) {
	case ICC_PMR:
		*val = c->pmr;
		break;
	case ICC_IAR0:
	case ICC_IAR1:
		*val = vgic_read_iar(vcpu, r == ICC_IAR1);
		break;
	case ICC_HPPIR0:
	case ICC_HPPIR1:
		*val = vgic_highest_pending_locked(vcpu, r == ICC_HPPIR1, &prio);
		break;
	case ICC_BPR0:
		*val = c->bpr0;
		break;
	case ICC_BPR1:
		*val = c->cbpr ? (c->bpr0 < 7 ? c->bpr0 + 1u : 7u) : c->bpr1;
		break;
	case ICC_AP0R0:
		*val = c->ap0r0;
		break;
	case ICC_AP1R0:
		*val = c->ap1r0;
		break;
	case ICC_RPR:
		*val = highest_active_prio(c);
		break;
	case ICC_CTLR:
		*val = ((u64)(VGIC_PRI_BITS - 1) << ICC_CTLR_EL1_PRIBITS_SHIFT) |
		       ICC_CTLR_EL1_A3V | (c->cbpr ? ICC_CTLR_EL1_CBPR : 0) |
		       (c->eoimode ? ICC_CTLR_EL1_EOIMODE : 0);
		break;
	case ICC_SRE:
		*val = ICC_SRE_EL1_SRE | ICC_SRE_EL1_DFB | ICC_SRE_EL1_DIB;
		break;
	case ICC_IGRPEN0:
		*val = c->igrpen0;
		break;
	case ICC_IGRPEN1:
		*val = c->igrpen1;
		break;
	default:
		/* write-only: EOIR, DIR, SGI*R */
		*val = 0;
		break;
	}
	pthread_mutex_unlock(&kvm->vgic.lock);
	return 0;
}

int vgic_v3_icc_write(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct kvm *kvm = vcpu->kvm;

	/* no FEAT_GICv3 (no GIC, or a GICv2): every ICC_* access is UNDEFINED */
	if (!irqchip_in_kernel(kvm) || vgic_is_v2(kvm))
		return -1;
	/*
	 * EOIR with no active priority changes nothing: no priority to drop,
	 * and no interrupt's group priority matches the idle one, so none is
	 * deactivated (KVM's __vgic_v3_write_eoir).  The active priorities
	 * are only ever changed on this vCPU's own thread: no lock needed to
	 * see that (a guest's EOI of a spurious INTID, micro-bench's "eoi").
	 */
	if ((r == ICC_EOIR0 || r == ICC_EOIR1) && !(c->ap0r0 | c->ap1r0))
		return 0;
	pthread_mutex_lock(&kvm->vgic.lock);
	switch (r) {
	case ICC_PMR:
		c->pmr = (u8)val & VGIC_PRI_MASK;
		break;
	case ICC_EOIR0:
	case ICC_EOIR1:
		vgic_write_eoir(vcpu, r == ICC_EOIR1, (u32)val);
		break;
	case ICC_DIR:
		vgic_write_dir(vcpu, (u32)val);
		break;
	case ICC_BPR0:
		c->bpr0 = (u8)(val & 7) < PRE_SHIFT - 1 ? PRE_SHIFT - 1 : (u8)(val & 7);
		break;
	case ICC_BPR1:
		if (!c->cbpr)
			c->bpr1 = (u8)(val & 7) < PRE_SHIFT ? PRE_SHIFT : (u8)(val & 7);
		break;
	case ICC_AP0R0:
		c->ap0r0 = (u32)val;
		break;
	case ICC_AP1R0:
		c->ap1r0 = (u32)val;
		break;
	case ICC_SGI1R:
		vgic_dispatch_sgi(vcpu, val, true);
		break;
	case ICC_ASGI1R:
	case ICC_SGI0R:
		vgic_dispatch_sgi(vcpu, val, false);
		break;
	case ICC_CTLR:
		c->cbpr = val & ICC_CTLR_EL1_CBPR;
		c->eoimode = val & ICC_CTLR_EL1_EOIMODE;
		break;
	case ICC_IGRPEN0:
		c->igrpen0 = val & 1;
		break;
	case ICC_IGRPEN1:
		c->igrpen1 = val & 1;
		break;
	default:
		/* read-only: IAR, HPPIR, RPR, SRE (writes ignored, as KVM) */
		break;
	}
	vgic_update_vcpu_locked(vcpu);
	pthread_mutex_unlock(&kvm->vgic.lock);
	return 0;
}

/* ---- KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS (KVM's gic_v3_icc_reg_descs) ---------------- */

/* the attribute's bits 15:0: op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0] */
#define ICC_UREG(op1, crn, crm, op2) \
	(3u << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define ICC_UREG_PMR		ICC_UREG(0, 4, 6, 0)
#define ICC_UREG_BPR0		ICC_UREG(0, 12, 8, 3)
#define ICC_UREG_AP0R(n)	ICC_UREG(0, 12, 8, 4 + (n))
#define ICC_UREG_AP1R(n)	ICC_UREG(0, 12, 9, (n))
#define ICC_UREG_BPR1		ICC_UREG(0, 12, 12, 3)
#define ICC_UREG_CTLR		ICC_UREG(0, 12, 12, 4)
#define ICC_UREG_SRE		ICC_UREG(0, 12, 12, 5)
#define ICC_UREG_IGRPEN0	ICC_UREG(0, 12, 12, 6)
#define ICC_UREG_IGRPEN1	ICC_UREG(0, 12, 12, 7)

#define ICC_CTLR_EL1_PRIBITS	GENMASK_ULL(10, 8)
#define ICC_CTLR_EL1_IDBITS_SHIFT 11
#define ICC_CTLR_EL1_IDBITS	GENMASK_ULL(13, 11)
#define ICC_CTLR_EL1_SEIS	BIT(14)

/*
 * The fifteen EL1 registers; the ICH_*_EL2 ones are KVM's only with nested
 * virtualization, which vkvm has not (hidden: ENXIO).  AP0R1..3/AP1R1..3
 * exist but, with five priority bits, refuse access (EINVAL) as KVM's do.
 */
bool vgic_v3_cpu_sysreg_exists(u64 attr)
{
	u32 r = (u32)(attr & 0xffff);

	switch (r) {
	case ICC_UREG_PMR: case ICC_UREG_BPR0: case ICC_UREG_BPR1:
	case ICC_UREG_CTLR: case ICC_UREG_SRE:
	case ICC_UREG_IGRPEN0: case ICC_UREG_IGRPEN1:
	case ICC_UREG_AP0R(0): case ICC_UREG_AP0R(1): case ICC_UREG_AP0R(2): case ICC_UREG_AP0R(3):
	case ICC_UREG_AP1R(0): case ICC_UREG_AP1R(1): case ICC_UREG_AP1R(2): case ICC_UREG_AP1R(3):
		return true;
	}
	return false;
}

/* vgic_v3_max_apr_idx(): one APnR per 32 group priorities */
static unsigned int max_apr_idx(const struct vgic_cpu *c)
{
	return c->uctlr_pri_bits == 7 ? 3 : c->uctlr_pri_bits == 6 ? 1 : 0;
}

/*
 * ICC_CTLR_EL1 from userspace (KVM's set_gic_ctlr): PRIbits and IDbits may
 * shrink, never grow; SEIS and A3V must be this CPU interface's; CBPR and
 * EOImode are state.  The emulation keeps its five bits: what shrinks is
 * what userspace reads back (a hardware GIC under KVM does the same).
 */
static int set_uctlr(struct vgic_cpu *c, u64 val)
{
	unsigned int pri = (unsigned int)((val & ICC_CTLR_EL1_PRIBITS) >> ICC_CTLR_EL1_PRIBITS_SHIFT) + 1;
	unsigned int id = (unsigned int)((val & ICC_CTLR_EL1_IDBITS) >> ICC_CTLR_EL1_IDBITS_SHIFT);

	if (pri > VGIC_PRI_BITS || id > 0 || (val & ICC_CTLR_EL1_SEIS) ||
	    !(val & ICC_CTLR_EL1_A3V))
		return -EINVAL;
	c->uctlr_pri_bits = (u8)pri;
	c->uctlr_id_bits = (u8)id;
	c->cbpr = val & ICC_CTLR_EL1_CBPR;
	c->eoimode = val & ICC_CTLR_EL1_EOIMODE;
	return 0;
}

int vgic_v3_cpu_sysreg_uaccess(struct kvm_vcpu *vcpu, u64 attr, bool write, u64 *val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	u32 r = (u32)(attr & 0xffff);
	enum vgic_icc_reg icc;
	int ret = 0;

	switch (r) {
	case ICC_UREG_PMR: icc = ICC_PMR; break;
	case ICC_UREG_BPR0: icc = ICC_BPR0; break;
	case ICC_UREG_BPR1: icc = ICC_BPR1; break;
	case ICC_UREG_IGRPEN0: icc = ICC_IGRPEN0; break;
	case ICC_UREG_IGRPEN1: icc = ICC_IGRPEN1; break;
	case ICC_UREG_AP0R(0): case ICC_UREG_AP0R(1): case ICC_UREG_AP0R(2): case ICC_UREG_AP0R(3):
		if ((r & 3) > max_apr_idx(c))
			return -EINVAL;
		icc = ICC_AP0R0;
		break;
	case ICC_UREG_AP1R(0): case ICC_UREG_AP1R(1): case ICC_UREG_AP1R(2): case ICC_UREG_AP1R(3):
		if ((r & 3) > max_apr_idx(c))
			return -EINVAL;
		icc = ICC_AP1R0;
		break;
	case ICC_UREG_SRE:
		/* SRE is fixed at 1 (with DFB, DIB): clearing it is refused */
		if (write)
			return *val & ICC_SRE_EL1_SRE ? 0 : -EINVAL;
		icc = ICC_SRE;
		break;
	case ICC_UREG_CTLR:
		pthread_mutex_lock(&vcpu->kvm->vgic.lock);
		if (write)
			ret = set_uctlr(c, *val);
		else
			*val = ((u64)(c->uctlr_pri_bits - 1) << ICC_CTLR_EL1_PRIBITS_SHIFT) |
			       ((u64)c->uctlr_id_bits << ICC_CTLR_EL1_IDBITS_SHIFT) |
			       ICC_CTLR_EL1_A3V | (c->cbpr ? ICC_CTLR_EL1_CBPR : 0) |
			       (c->eoimode ? ICC_CTLR_EL1_EOIMODE : 0);
		if (write && !ret)
			vgic_update_vcpu_locked(vcpu);
		pthread_mutex_unlock(&vcpu->kvm->vgic.lock);
		return ret;
	default:
		return -ENXIO;
	}
	/* the rest as the guest's own accesses (the width each register has) */
	if (write)
		return vgic_v3_icc_write(vcpu, icc, *val) ? -ENXIO : 0;
	return vgic_v3_icc_read(vcpu, icc, val) ? -ENXIO : 0;
}
