// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 virtualization for a vCPU with EL2 (docs/nested.md): the ICH_*_EL2
 * registers the guest hypervisor programs, and the virtual CPU interface
 * (ICV_*) that EL1's ICC_* accesses reach under HCR_EL2.IMO/FMO, as the
 * GICv3 architecture specification (IHI 0069, chapters 6 and 12) defines
 * them.  Four list registers, five priority and preemption bits, 16-bit
 * INTIDs, no GICv4.  The virtual IRQ/FIQ go to the engine as
 * CPU_IRQ_VIRQ/CPU_IRQ_VFIQ; the maintenance interrupt is a PPI of this
 * vCPU's redistributor (25 unless userspace sets KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ
 * before INIT, as in KVM), level-sensitive.
 *
 * All this state belongs to the vCPU's own thread (EL2's MSR/MRS, EL1's
 * ICV accesses): only the outer GIC (the maintenance PPI, the physical
 * deactivation of a hardware-linked LR) takes vgic.lock.
 */
#include <string.h>

#include "vgic.h"

#define ICH_HCR_EN		BIT(0)
#define ICH_HCR_UIE		BIT(1)
#define ICH_HCR_LRENPIE		BIT(2)
#define ICH_HCR_NPIE		BIT(3)
#define ICH_HCR_VGRP0EIE	BIT(4)
#define ICH_HCR_VGRP0DIE	BIT(5)
#define ICH_HCR_VGRP1EIE	BIT(6)
#define ICH_HCR_VGRP1DIE	BIT(7)
#define ICH_HCR_TC		BIT(10)
#define ICH_HCR_TALL0		BIT(11)
#define ICH_HCR_TALL1		BIT(12)
#define ICH_HCR_TDIR		BIT(14)
#define ICH_HCR_EOICOUNT_SHIFT	27
#define ICH_HCR_EOICOUNT	GENMASK_ULL(31, 27)
#define ICH_HCR_MASK		(GENMASK_ULL(7, 0) | ICH_HCR_TC | ICH_HCR_TALL0 | \
				 ICH_HCR_TALL1 | ICH_HCR_TDIR | ICH_HCR_EOICOUNT)

#define ICH_VMCR_VENG0		BIT(0)
#define ICH_VMCR_VENG1		BIT(1)
#define ICH_VMCR_VFIQEN		BIT(3)	/* RES1: system registers only */
#define ICH_VMCR_VCBPR		BIT(4)
#define ICH_VMCR_VEOIM		BIT(9)
#define ICH_VMCR_VBPR1_SHIFT	18
#define ICH_VMCR_VBPR0_SHIFT	21
#define ICH_VMCR_VPMR_SHIFT	24
#define ICH_VMCR_MASK		(ICH_VMCR_VENG0 | ICH_VMCR_VENG1 | ICH_VMCR_VFIQEN | \
				 ICH_VMCR_VCBPR | ICH_VMCR_VEOIM | \
				 GENMASK_ULL(23, 18) | ((u64)VGIC_PRI_MASK << ICH_VMCR_VPMR_SHIFT))

#define ICH_LR_VINTID		GENMASK_ULL(31, 0)
#define ICH_LR_PINTID_SHIFT	32
#define ICH_LR_PINTID		GENMASK_ULL(41, 32)
#define ICH_LR_EOI		BIT_ULL(41)	/* HW 0: a maintenance interrupt on deactivation */
#define ICH_LR_PRIO_SHIFT	48
#define ICH_LR_GROUP		BIT_ULL(60)
#define ICH_LR_HW		BIT_ULL(61)
#define ICH_LR_PENDING		BIT_ULL(62)
#define ICH_LR_ACTIVE		BIT_ULL(63)
#define ICH_LR_STATE		(ICH_LR_PENDING | ICH_LR_ACTIVE)
#define ICH_LR_MASK		(ICH_LR_VINTID | ICH_LR_PINTID | \
				 ((u64)VGIC_PRI_MASK << ICH_LR_PRIO_SHIFT) | \
				 ICH_LR_GROUP | ICH_LR_HW | ICH_LR_STATE)

#define ICH_MISR_EOI		BIT(0)
#define ICH_MISR_U		BIT(1)
#define ICH_MISR_LRENP		BIT(2)
#define ICH_MISR_NP		BIT(3)
#define ICH_MISR_VGRP0E		BIT(4)
#define ICH_MISR_VGRP0D		BIT(5)
#define ICH_MISR_VGRP1E		BIT(6)
#define ICH_MISR_VGRP1D		BIT(7)

/*
 * ICH_VTR_EL2: ListRegs 3 (four), PRIbits and PREbits 4 (five bits),
 * IDbits 0 (16), A3V, nV4 (no direct injection), TDS (ICH_HCR_EL2.TDIR).
 */
#define ICH_VTR_VALUE		((u64)(VGIC_V3_NR_LR - 1) | BIT(19) | BIT(20) | BIT(21) | \
				 (u64)(VGIC_PRI_BITS - 1) << 26 | (u64)(VGIC_PRI_BITS - 1) << 29)
/* ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use its system registers) */
#define ICC_SRE_EL2_VALUE	0xfULL

#define ICV_CTLR_CBPR		BIT(0)
#define ICV_CTLR_EOIMODE	BIT(1)
#define ICV_CTLR_A3V		BIT(15)

#define INTID_SPURIOUS		1023
#define MIN_VBPR0		(8 - VGIC_PRI_BITS - 1)
#define PRE_SHIFT		(8 - VGIC_PRI_BITS)

static bool nested_gic(struct kvm_vcpu *vcpu)
{
	return vcpu_has_el2(vcpu) && irqchip_in_kernel(vcpu->kvm) && !vgic_is_v2(vcpu->kvm);
}

void vgic_v3_nested_reset(struct kvm_vcpu *vcpu)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;

	memset(n, 0, sizeof(*n));
	n->vmcr = ICH_VMCR_VFIQEN | (u64)MIN_VBPR0 << ICH_VMCR_VBPR0_SHIFT |
		  (u64)(MIN_VBPR0 + 1) << ICH_VMCR_VBPR1_SHIFT;
}

/* ---- the virtual CPU interface's state ------------------------------------------ */

static unsigned int lr_state(u64 lr)
{
	return (unsigned int)(lr >> 62);
}

static u8 lr_prio(u64 lr)
{
	return (u8)(lr >> ICH_LR_PRIO_SHIFT);
}

static u32 lr_vintid(u64 lr)
{
	return (u32)(lr & ICH_LR_VINTID);
}

/* VBPR0/VBPR1 as the interface uses them: never below their minimum */
static unsigned int vbpr(const struct vgic_v3_nested *n, bool group1)
{
	unsigned int b = (unsigned int)(n->vmcr >> (group1 ? ICH_VMCR_VBPR1_SHIFT :
						       ICH_VMCR_VBPR0_SHIFT)) & 7;
	unsigned int min = MIN_VBPR0 + group1;

	return b < min ? min : b;
}

/* The mask of a priority's group-priority bits (VCBPR: group 1 uses VBPR0). */
static u8 gprio_mask(const struct vgic_v3_nested *n, bool group1)
{
	unsigned int shift;

	if (group1 && !(n->vmcr & ICH_VMCR_VCBPR))
		shift = vbpr(n, true);
	else
		shift = vbpr(n, false) + 1;
	return (u8)(0xffu << shift);
}

/* The running priority: the lowest active-priority bit of either group. */
static u8 running_prio(const struct vgic_v3_nested *n)
{
	u32 ap = n->ap0r0 | n->ap1r0;

	return ap ? (u8)(__builtin_ctz(ap) << PRE_SHIFT) : VGIC_IDLE_PRIORITY;
}

/* The highest-priority pending LR of an enabled group, or -1. */
static int hppi_lr(const struct vgic_v3_nested *n)
{
	int i, best = -1;
	u8 prio = 0xff;

	for (i = 0; i < VGIC_V3_NR_LR; i++) {
		u64 lr = n->lr[i];

		if (lr_state(lr) != 1)
			continue;
		if (!(n->vmcr & ((lr & ICH_LR_GROUP) ? ICH_VMCR_VENG1 : ICH_VMCR_VENG0)))
			continue;
		if (best < 0 || lr_prio(lr) < prio) {
			best = i;
			prio = lr_prio(lr);
		}
	}
	return best;
}

/* May the LR's interrupt be signalled: En, below VPMR, preempting. */
static bool can_preempt(const struct vgic_v3_nested *n, u64 lr)
{
	u8 prio = lr_prio(lr), rprio = running_prio(n), mask;

	if (!(n->hcr & ICH_HCR_EN))
		return false;
	if (prio >= (u8)(n->vmcr >> ICH_VMCR_VPMR_SHIFT))
		return false;
	if (rprio == VGIC_IDLE_PRIORITY)
		return true;
	mask = gprio_mask(n, lr & ICH_LR_GROUP);
	return (prio & mask) < (rprio & mask);
}

static u32 eisr(const struct vgic_v3_nested *n)
{
	u32 v = 0;
	int i;

	for (i = 0; i < VGIC_V3_NR_LR; i++)
		if (!lr_state(n->lr[i]) && !(n->lr[i] & ICH_LR_HW) && (n->lr[i] & ICH_LR_EOI))
			v |= 1u << i;
	return v;
}

static u32 elrsr(const struct vgic_v3_nested *n)
{
	u32 v = 0;
	int i;

	for (i = 0; i < VGIC_V3_NR_LR; i++)
		if (!lr_state(n->lr[i]) && ((n->lr[i] & ICH_LR_HW) || !(n->lr[i] & ICH_LR_EOI)))
			v |= 1u << i;
	return v;
}

/* ICH_MISR_EL2: the maintenance conditions, each under its enable. */
static u32 misr(const struct vgic_v3_nested *n)
{
	unsigned int valid = 0, i;
	bool pending = false;
	u32 v = 0;

	for (i = 0; i < VGIC_V3_NR_LR; i++) {
		valid += lr_state(n->lr[i]) != 0;
		pending |= lr_state(n->lr[i]) == 1;
	}
	if (eisr(n))
		v |= ICH_MISR_EOI;
	if ((n->hcr & ICH_HCR_UIE) && valid < 2)
		v |= ICH_MISR_U;
	if ((n->hcr & ICH_HCR_LRENPIE) && (n->hcr & ICH_HCR_EOICOUNT))
		v |= ICH_MISR_LRENP;
	if ((n->hcr & ICH_HCR_NPIE) && !pending)
		v |= ICH_MISR_NP;
	if (n->hcr & ICH_HCR_VGRP0EIE && (n->vmcr & ICH_VMCR_VENG0))
		v |= ICH_MISR_VGRP0E;
	if (n->hcr & ICH_HCR_VGRP0DIE && !(n->vmcr & ICH_VMCR_VENG0))
		v |= ICH_MISR_VGRP0D;
	if (n->hcr & ICH_HCR_VGRP1EIE && (n->vmcr & ICH_VMCR_VENG1))
		v |= ICH_MISR_VGRP1E;
	if (n->hcr & ICH_HCR_VGRP1DIE && !(n->vmcr & ICH_VMCR_VENG1))
		v |= ICH_MISR_VGRP1D;
	return v;
}

/*
 * After any change: the virtual IRQ/FIQ lines the engine takes at EL1
 * (group 1 IRQ, group 0 FIQ), and the maintenance interrupt's level.
 */
static void nested_update(struct kvm_vcpu *vcpu)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;
	struct kvm *kvm = vcpu->kvm;
	u32 set = 0, clr;
	int i = hppi_lr(n);
	bool mi;

	if (i >= 0 && can_preempt(n, n->lr[i]))
		set = (n->lr[i] & ICH_LR_GROUP) ? CPU_IRQ_VIRQ : CPU_IRQ_VFIQ;
	clr = (CPU_IRQ_VIRQ | CPU_IRQ_VFIQ) & ~set;
	if (set)
		atomic_fetch_or(&vcpu->cpu.irq_lines, set);
	if (atomic_load_explicit(&vcpu->cpu.irq_lines, memory_order_relaxed) & clr)
		atomic_fetch_and(&vcpu->cpu.irq_lines, ~clr);

	mi = (n->hcr & ICH_HCR_EN) && misr(n);
	if (mi != n->mi_level) {
		struct vgic_irq *irq;

		n->mi_level = mi;
		pthread_mutex_lock(&kvm->vgic.lock);
		irq = &vcpu->vgic_cpu.private_irqs[kvm->vgic.mi_intid];
		irq->line_level = mi;
		vgic_irq_changed_locked(kvm, vcpu, irq);
		pthread_mutex_unlock(&kvm->vgic.lock);
	}
}

/* An active LR leaves the active state; HW: the physical INTID is deactivated. */
static void deactivate_lr(struct kvm_vcpu *vcpu, int i)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;
	u64 lr = n->lr[i];

	if (lr & ICH_LR_HW) {
		u32 pintid = (u32)((lr & ICH_LR_PINTID) >> ICH_LR_PINTID_SHIFT);

		if (pintid < 1020) {
			pthread_mutex_lock(&vcpu->kvm->vgic.lock);
			vgic_deactivate_locked(vcpu->kvm, vcpu, pintid);
			pthread_mutex_unlock(&vcpu->kvm->vgic.lock);
		}
	}
	n->lr[i] = lr & ~ICH_LR_ACTIVE;
}

static int find_active_lr(const struct vgic_v3_nested *n, u32 intid)
{
	int i;

	for (i = 0; i < VGIC_V3_NR_LR; i++)
		if ((n->lr[i] & ICH_LR_ACTIVE) && lr_vintid(n->lr[i]) == intid)
			return i;
	return -1;
}

static void bump_eoicount(struct vgic_v3_nested *n)
{
	u64 c = ((n->hcr >> ICH_HCR_EOICOUNT_SHIFT) + 1) & 0x1f;

	n->hcr = (n->hcr & ~ICH_HCR_EOICOUNT) | c << ICH_HCR_EOICOUNT_SHIFT;
}

/* ICV_IAR{0,1}_EL1 */
static u64 icv_iar(struct vgic_v3_nested *n, bool group1)
{
	int i = hppi_lr(n);
	u64 lr;
	u32 intid;
	u8 gprio;

	if (i < 0)
		return INTID_SPURIOUS;
	lr = n->lr[i];
	if (!(lr & ICH_LR_GROUP) != !group1 || !can_preempt(n, lr))
		return INTID_SPURIOUS;
	intid = lr_vintid(lr);
	if (intid >= 1020 && intid <= 1023) {
		n->lr[i] = lr & ~ICH_LR_PENDING;	/* pending to invalid */
		return intid;
	}
	gprio = lr_prio(lr) & gprio_mask(n, group1);
	if (intid >= VGIC_MIN_LPI)
		n->lr[i] = lr & ~ICH_LR_STATE;		/* an LPI has no active state */
	else
		n->lr[i] = (lr & ~ICH_LR_PENDING) | ICH_LR_ACTIVE;
	*(group1 ? &n->ap1r0 : &n->ap0r0) |= 1u << (gprio >> PRE_SHIFT);
	return intid;
}

/* Drop the running priority (group 0 first at equal priority): the priority, or idle. */
static u8 drop_prio(struct vgic_v3_nested *n)
{
	int b0 = n->ap0r0 ? __builtin_ctz(n->ap0r0) : 32;
	int b1 = n->ap1r0 ? __builtin_ctz(n->ap1r0) : 32;

	if (b0 == 32 && b1 == 32)
		return VGIC_IDLE_PRIORITY;
	if (b0 <= b1) {
		n->ap0r0 &= n->ap0r0 - 1;
		return (u8)(b0 << PRE_SHIFT);
	}
	n->ap1r0 &= n->ap1r0 - 1;
	return (u8)(b1 << PRE_SHIFT);
}

/* ICV_EOIR{0,1}_EL1: priority drop, and deactivation unless VEOIM. */
static void icv_eoir(struct kvm_vcpu *vcpu, bool group1, u32 intid)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;
	u8 dropped;
	int i;

	intid &= 0xffffff;
	if (intid >= 1020 && intid <= 1023)
		return;
	dropped = drop_prio(n);
	if (dropped == VGIC_IDLE_PRIORITY)
		return;		/* nothing active: ignored (UNPREDICTABLE) */
	i = find_active_lr(n, intid);
	if (i < 0) {
		bump_eoicount(n);	/* no LR for it: the hypervisor's to complete */
		return;
	}
	if (!(n->lr[i] & ICH_LR_GROUP) != !group1 ||
	    (lr_prio(n->lr[i]) & gprio_mask(n, group1)) != dropped)
		return;
	if (!(n->vmcr & ICH_VMCR_VEOIM))
		deactivate_lr(vcpu, i);
}

/* ICV_DIR_EL1: deactivation, with VEOIM only. */
static void icv_dir(struct kvm_vcpu *vcpu, u32 intid)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;
	int i;

	if (!(n->vmcr & ICH_VMCR_VEOIM))
		return;
	i = find_active_lr(n, intid & 0xffffff);
	if (i < 0)
		bump_eoicount(n);
	else
		deactivate_lr(vcpu, i);
}

static void set_vbpr(struct vgic_v3_nested *n, bool group1, u64 val)
{
	unsigned int shift = group1 ? ICH_VMCR_VBPR1_SHIFT : ICH_VMCR_VBPR0_SHIFT;
	unsigned int min = MIN_VBPR0 + group1, b = (unsigned int)(val & 7);

	if (b < min)
		b = min;
	n->vmcr = (n->vmcr & ~(7ULL << shift)) | (u64)b << shift;
}

static void set_vmcr(struct vgic_v3_nested *n, u64 val)
{
	n->vmcr = (val & ICH_VMCR_MASK) | ICH_VMCR_VFIQEN;
	/* a BPR below its minimum reads as the minimum */
	set_vbpr(n, false, val >> ICH_VMCR_VBPR0_SHIFT);
	set_vbpr(n, true, val >> ICH_VMCR_VBPR1_SHIFT);
}

/*
 * Is this ICC_*_EL1 access (EL1, a vCPU with EL2 and a GICv3) the virtual
 * interface's?  Group 0's registers under FMO, group 1's under IMO, the
 * common ones (PMR, RPR, CTLR, DIR) under either; the SGI registers trap
 * to EL2 under either (as QEMU's gicv3_sgi_access).  ICH_HCR_EL2's TALL0,
 * TALL1, TC and TDIR trap the ICV accesses to EL2.
 */
static bool icv_route(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, int *res)
{
	const struct cpu_state *s = vcpu_state(vcpu);
	u64 hcr = s->sysreg[SR_HCR_EL2], ich = vcpu->vgic_cpu.nested.hcr;
	bool imo = hcr & HCR_IMO, fmo = hcr & HCR_FMO;
	u64 trap;

	if (cpu_current_el(s) != 1 || !(imo || fmo) || !nested_gic(vcpu))
		return false;
	switch (r) {
	case ICC_IAR0: case ICC_EOIR0: case ICC_HPPIR0: case ICC_BPR0:
	case ICC_AP0R0: case ICC_IGRPEN0:
		if (!fmo)
			return false;
		trap = ICH_HCR_TALL0;
		break;
	case ICC_IAR1: case ICC_EOIR1: case ICC_HPPIR1: case ICC_BPR1:
	case ICC_AP1R0: case ICC_IGRPEN1:
		if (!imo)
			return false;
		trap = ICH_HCR_TALL1;
		break;
	case ICC_DIR:
		trap = ICH_HCR_TC | ICH_HCR_TDIR;
		break;
	case ICC_PMR: case ICC_RPR: case ICC_CTLR:
		trap = ICH_HCR_TC;
		break;
	case ICC_SGI1R: case ICC_ASGI1R: case ICC_SGI0R:
		*res = SYSREG_TRAP_EL2;
		return true;
	default:
		return false;	/* ICC_SRE_EL1 */
	}
	*res = (ich & trap) ? SYSREG_TRAP_EL2 : SYSREG_OK;
	return true;
}

bool vgic_v3_icv_read(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 *val, int *res)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;
	int i;

	if (!icv_route(vcpu, r, res))
		return false;
	if (*res != SYSREG_OK)
		return true;
	switch (r) {
	case ICC_PMR:
		*val = (n->vmcr >> ICH_VMCR_VPMR_SHIFT) & 0xff;
		break;
	case ICC_IAR0:
	case ICC_IAR1:
		*val = icv_iar(n, r == ICC_IAR1);
		nested_update(vcpu);
		break;
	case ICC_HPPIR0:
	case ICC_HPPIR1:
		i = hppi_lr(n);
		*val = i >= 0 && !(n->lr[i] & ICH_LR_GROUP) == (r == ICC_HPPIR0) ?
		       lr_vintid(n->lr[i]) : INTID_SPURIOUS;
		break;
	case ICC_BPR0:
		*val = vbpr(n, false);
		break;
	case ICC_BPR1:
		if (n->vmcr & ICH_VMCR_VCBPR)
			*val = vbpr(n, false) < 7 ? vbpr(n, false) + 1 : 7;
		else
			*val = vbpr(n, true);
		break;
	case ICC_AP0R0:
		*val = n->ap0r0;
		break;
	case ICC_AP1R0:
		*val = n->ap1r0;
		break;
	case ICC_RPR:
		*val = running_prio(n);
		break;
	case ICC_CTLR:
		*val = (u64)(VGIC_PRI_BITS - 1) << 8 | ICV_CTLR_A3V |
		       ((n->vmcr & ICH_VMCR_VCBPR) ? ICV_CTLR_CBPR : 0) |
		       ((n->vmcr & ICH_VMCR_VEOIM) ? ICV_CTLR_EOIMODE : 0);
		break;
	case ICC_IGRPEN0:
		*val = !!(n->vmcr & ICH_VMCR_VENG0);
		break;
	case ICC_IGRPEN1:
		*val = !!(n->vmcr & ICH_VMCR_VENG1);
		break;
	default:
		*val = 0;	/* write-only: EOIR, DIR */
		break;
	}
	return true;
}

bool vgic_v3_icv_write(struct kvm_vcpu *vcpu, enum vgic_icc_reg r, u64 val, int *res)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;

	if (!icv_route(vcpu, r, res))
		return false;
	if (*res != SYSREG_OK)
		return true;
	switch (r) {
	case ICC_PMR:
		n->vmcr = (n->vmcr & ~(0xffULL << ICH_VMCR_VPMR_SHIFT)) |
			  (val & VGIC_PRI_MASK) << ICH_VMCR_VPMR_SHIFT;
		break;
	case ICC_EOIR0:
	case ICC_EOIR1:
		icv_eoir(vcpu, r == ICC_EOIR1, (u32)val);
		break;
	case ICC_DIR:
		icv_dir(vcpu, (u32)val);
		break;
	case ICC_BPR0:
		set_vbpr(n, false, val);
		break;
	case ICC_BPR1:
		if (!(n->vmcr & ICH_VMCR_VCBPR))
			set_vbpr(n, true, val);
		break;
	case ICC_AP0R0:
		n->ap0r0 = (u32)val;
		break;
	case ICC_AP1R0:
		n->ap1r0 = (u32)val;
		break;
	case ICC_CTLR:
		n->vmcr &= ~(ICH_VMCR_VCBPR | ICH_VMCR_VEOIM);
		n->vmcr |= ((val & ICV_CTLR_CBPR) ? ICH_VMCR_VCBPR : 0) |
			   ((val & ICV_CTLR_EOIMODE) ? ICH_VMCR_VEOIM : 0);
		break;
	case ICC_IGRPEN0:
		n->vmcr = (n->vmcr & ~ICH_VMCR_VENG0) | ((val & 1) ? ICH_VMCR_VENG0 : 0);
		break;
	case ICC_IGRPEN1:
		n->vmcr = (n->vmcr & ~ICH_VMCR_VENG1) | ((val & 1) ? ICH_VMCR_VENG1 : 0);
		break;
	default:
		break;		/* read-only: IAR, HPPIR, RPR */
	}
	nested_update(vcpu);
	return true;
}

/* ---- ICH_*_EL2 and ICC_SRE_EL2 (EL2 only: sys_regs.c's SR_EL2 rows) ------------ */

int vgic_v3_ich_read(struct kvm_vcpu *vcpu, enum vgic_ich_reg r, u64 *val)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;

	if (!nested_gic(vcpu))
		return SYSREG_UNDEF;
	switch (r) {
	case ICH_AP0R0:
		*val = n->ap0r0;
		break;
	case ICH_AP1R0:
		*val = n->ap1r0;
		break;
	case ICH_HCR:
		*val = n->hcr;
		break;
	case ICH_VTR:
		*val = ICH_VTR_VALUE;
		break;
	case ICH_MISR:
		*val = misr(n);
		break;
	case ICH_EISR:
		*val = eisr(n);
		break;
	case ICH_ELRSR:
		*val = elrsr(n);
		break;
	case ICH_VMCR:
		*val = n->vmcr;
		break;
	case ICC_SRE_EL2:
		*val = ICC_SRE_EL2_VALUE;
		break;
	default:
		*val = n->lr[r - ICH_LR0];
		break;
	}
	return SYSREG_OK;
}

int vgic_v3_ich_write(struct kvm_vcpu *vcpu, enum vgic_ich_reg r, u64 val)
{
	struct vgic_v3_nested *n = &vcpu->vgic_cpu.nested;

	if (!nested_gic(vcpu))
		return SYSREG_UNDEF;
	switch (r) {
	case ICH_AP0R0:
		n->ap0r0 = (u32)val;
		break;
	case ICH_AP1R0:
		n->ap1r0 = (u32)val;
		break;
	case ICH_HCR:
		n->hcr = val & ICH_HCR_MASK;
		break;
	case ICH_VMCR:
		set_vmcr(n, val);
		break;
	case ICH_VTR: case ICH_MISR: case ICH_EISR: case ICH_ELRSR:
	case ICC_SRE_EL2:
		return SYSREG_OK;	/* read-only rows are SR_RO; SRE_EL2 is RAO/WI */
	default:
		n->lr[r - ICH_LR0] = val & ICH_LR_MASK;
		break;
	}
	nested_update(vcpu);
	return SYSREG_OK;
}
