// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interface as system registers (ICC_*_EL1), with the
 * semantics KVM's trap handlers give them (arch/arm64/kvm/hyp/vgic-v3-sr.c
 * and vgic-sys-reg-v3.c): five priority bits, BPR1 at least 3, one
 * active-priority register per group, SRE fixed to 1 with DIB and DFB.
 * sys_regs.c's table routes the encodings here.  And the device attribute
 * that saves and restores them, with the ICH_*_EL2 ones of a vCPU with EL2
 * (KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS).
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
#define ICH_UREG(crm, op2)	ICC_UREG(4, 12, crm, op2)

#define ICC_CTLR_EL1_PRIBITS	GENMASK_ULL(10, 8)
#define ICC_CTLR_EL1_IDBITS_SHIFT 11
#define ICC_CTLR_EL1_IDBITS	GENMASK_ULL(13, 11)
#define ICC_CTLR_EL1_SEIS	BIT(14)

enum cpu_ureg_kind {
	UREG_ICC,	/* an ICC_*_EL1 register as the guest's own accesses see it */
	UREG_ICC_APR,	/* ICC_AP{0,1}R<idx>_EL1 */
	UREG_ICC_CTLR,
	UREG_ICC_SRE,
	/* the EL2 ones, only for a vCPU with EL2 (KVM's el2_visibility) */
	UREG_ICH,	/* ICH_HCR_EL2, ICH_VMCR_EL2 */
	UREG_ICH_APR,	/* ICH_AP{0,1}R<idx>_EL2 */
	UREG_ICH_RO,	/* ICH_VTR_EL2, ICC_SRE_EL2: a write must match */
	UREG_ICH_LR,	/* ICH_LR<idx>_EL2 */
};

struct cpu_ureg {
	u16 enc;
	u8 kind;
	u8 reg;		/* its enum vgic_icc_reg or enum vgic_ich_reg */
	u8 idx;
};

#define UREG(enc, kind, reg)		{ enc, kind, reg, 0 }
#define UREG_IDX(enc, kind, reg, idx)	{ enc, kind, reg, idx }
#define UREG_APRS(kind, reg, enc0) \
	UREG_IDX((enc0), kind, reg, 0), UREG_IDX((enc0) + 1, kind, reg, 1), \
	UREG_IDX((enc0) + 2, kind, reg, 2), UREG_IDX((enc0) + 3, kind, reg, 3)
#define ICH_LRS(crm, first) \
	UREG_IDX(ICH_UREG(crm, 0), UREG_ICH_LR, ICH_LR0, (first)), \
	UREG_IDX(ICH_UREG(crm, 1), UREG_ICH_LR, ICH_LR0, (first) + 1), \
	UREG_IDX(ICH_UREG(crm, 2), UREG_ICH_LR, ICH_LR0, (first) + 2), \
	UREG_IDX(ICH_UREG(crm, 3), UREG_ICH_LR, ICH_LR0, (first) + 3), \
	UREG_IDX(ICH_UREG(crm, 4), UREG_ICH_LR, ICH_LR0, (first) + 4), \
	UREG_IDX(ICH_UREG(crm, 5), UREG_ICH_LR, ICH_LR0, (first) + 5), \
	UREG_IDX(ICH_UREG(crm, 6), UREG_ICH_LR, ICH_LR0, (first) + 6), \
	UREG_IDX(ICH_UREG(crm, 7), UREG_ICH_LR, ICH_LR0, (first) + 7)

/*
 * What KVM (Linux >= 6.16) exposes: fifteen EL1 registers, and for a vCPU
 * with EL2 the ICH_*_EL2 state a guest hypervisor programs, ICC_SRE_EL2
 * and ICH_VTR_EL2 (not ICH_MISR/EISR/ELRSR, which derive from the rest).
 * Sixteen LRs and four APnR of each group exist whatever the vCPU has.
 */
static const struct cpu_ureg cpu_uregs[] = {
	UREG(ICC_UREG(0, 4, 6, 0), UREG_ICC, ICC_PMR),
	UREG(ICC_UREG(0, 12, 8, 3), UREG_ICC, ICC_BPR0),
	UREG_APRS(UREG_ICC_APR, ICC_AP0R0, ICC_UREG(0, 12, 8, 4)),
	UREG_APRS(UREG_ICC_APR, ICC_AP1R0, ICC_UREG(0, 12, 9, 0)),
	UREG(ICC_UREG(0, 12, 12, 3), UREG_ICC, ICC_BPR1),
	UREG(ICC_UREG(0, 12, 12, 4), UREG_ICC_CTLR, ICC_CTLR),
	UREG(ICC_UREG(0, 12, 12, 5), UREG_ICC_SRE, ICC_SRE),
	UREG(ICC_UREG(0, 12, 12, 6), UREG_ICC, ICC_IGRPEN0),
	UREG(ICC_UREG(0, 12, 12, 7), UREG_ICC, ICC_IGRPEN1),
	UREG_APRS(UREG_ICH_APR, ICH_AP0R0, ICH_UREG(8, 0)),
	UREG_APRS(UREG_ICH_APR, ICH_AP1R0, ICH_UREG(9, 0)),
	UREG(ICH_UREG(9, 5), UREG_ICH_RO, ICC_SRE_EL2),
	UREG(ICH_UREG(11, 0), UREG_ICH, ICH_HCR),
	UREG(ICH_UREG(11, 1), UREG_ICH_RO, ICH_VTR),
	UREG(ICH_UREG(11, 7), UREG_ICH, ICH_VMCR),
	ICH_LRS(12, 0),
	ICH_LRS(13, 8),
};

/* The row of @attr's register, or NULL: none, or an EL2 one without EL2. */
static const struct cpu_ureg *find_ureg(const struct kvm_vcpu *vcpu, u64 attr)
{
	u16 enc = (u16)(attr & KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK);
	size_t i;

	for (i = 0; i < sizeof(cpu_uregs) / sizeof(cpu_uregs[0]); i++) {
		const struct cpu_ureg *u = &cpu_uregs[i];

		if (u->enc != enc)
			continue;
		return u->kind >= UREG_ICH && !vcpu_has_el2(vcpu) ? NULL : u;
	}
	return NULL;
}

bool vgic_v3_cpu_sysreg_exists(const struct kvm_vcpu *vcpu, u64 attr)
{
	return find_ureg(vcpu, attr);
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

static int uctlr_access(struct kvm_vcpu *vcpu, bool write, u64 *val)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	int ret = 0;

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
}

/*
 * The EL2 state as the guest hypervisor's own MRS/MSR at EL2 see it (a write
 * drops the RES0 and unimplemented bits, and updates the virtual interrupt
 * and the maintenance interrupt at once).  ICH_LR4-15_EL2 are not this
 * vCPU's (ICH_VTR_EL2.ListRegs 3): they read 0, and only 0 restores
 * (EINVAL otherwise), where KVM keeps sixteen whatever the hardware has.
 */
static int ich_access(struct kvm_vcpu *vcpu, const struct cpu_ureg *u, bool write, u64 *val)
{
	enum vgic_ich_reg r = (enum vgic_ich_reg)u->reg;
	u64 cur;

	switch (u->kind) {
	case UREG_ICH_APR:
		/* as the EL1 ones: ICH_VTR_EL2.PRIbits + 1 bits need one */
		if (u->idx > max_apr_idx(&vcpu->vgic_cpu))
			return -EINVAL;
		break;
	case UREG_ICH_LR:
		if (u->idx >= VGIC_V3_NR_LR) {
			if (write)
				return *val ? -EINVAL : 0;
			*val = 0;
			return 0;
		}
		r = ICH_LR0 + u->idx;
		break;
	case UREG_ICH_RO:
		if (vgic_v3_ich_read(vcpu, r, &cur) != SYSREG_OK)
			return -ENOENT;
		if (write)
			return *val == cur ? 0 : -EINVAL;
		*val = cur;
		return 0;
	}
	if (write)
		return vgic_v3_ich_write(vcpu, r, *val) == SYSREG_OK ? 0 : -ENOENT;
	return vgic_v3_ich_read(vcpu, r, val) == SYSREG_OK ? 0 : -ENOENT;
}

int vgic_v3_cpu_sysreg_uaccess(struct kvm_vcpu *vcpu, u64 attr, bool write, u64 *val)
{
	const struct cpu_ureg *u = find_ureg(vcpu, attr);
	enum vgic_icc_reg icc;

	if (!u)
		return -ENOENT;	/* kvm_sys_reg_{get,set}_user's */
	icc = (enum vgic_icc_reg)u->reg;
	switch (u->kind) {
	case UREG_ICC_APR:
		if (u->idx > max_apr_idx(&vcpu->vgic_cpu))
			return -EINVAL;
		break;
	case UREG_ICC_SRE:
		/* SRE is fixed at 1 (with DFB, DIB): clearing it is refused */
		if (write)
			return *val & ICC_SRE_EL1_SRE ? 0 : -EINVAL;
		break;
	case UREG_ICC_CTLR:
		return uctlr_access(vcpu, write, val);
	case UREG_ICH:
	case UREG_ICH_APR:
	case UREG_ICH_RO:
	case UREG_ICH_LR:
		return ich_access(vcpu, u, write, val);
	}
	/* the rest as the guest's own accesses (the width each register has) */
	if (write)
		return vgic_v3_icc_write(vcpu, icc, *val) ? -ENOENT : 0;
	return vgic_v3_icc_read(vcpu, icc, val) ? -ENOENT : 0;
}
