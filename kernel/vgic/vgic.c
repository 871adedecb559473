// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt state and delivery (arch/arm64/kvm/vgic/vgic.c).
 *
 * There are no list registers: a vCPU's IRQ line (cpu->irq_lines &
 * CPU_IRQ_IRQ) is recomputed whenever something that decides it changes,
 * as the GIC's CPU interface would signal it: the highest-priority
 * pending, enabled, inactive group-1 interrupt routed to the vCPU, with
 * group 1 and the distributor enabled, priority below ICC_PMR_EL1 and a
 * group priority that preempts the running priority (GICv3 §4.8).
 */
#include <unistd.h>

#include "vgic.h"
#include "../run.h"

struct vgic_irq *vgic_get_irq(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE_IRQS)
		return vcpu ? &vcpu->vgic_cpu.private_irqs[intid] : NULL;
	if (intid < VGIC_NR_PRIVATE_IRQS + kvm->vgic.nr_spis && kvm->vgic.spis)
		return &kvm->vgic.spis[intid - VGIC_NR_PRIVATE_IRQS];
	if (intid >= VGIC_MIN_LPI) {
		struct vgic_lpi *lpi = vgic_find_lpi_locked(kvm, intid);

		return lpi ? &lpi->irq : NULL;
	}
	return NULL;
}

/* MPIDR's affinity fields as GICD_IROUTER/ICC_SGI1R name a PE. */
static u64 mpidr_aff(u64 mpidr)
{
	return mpidr & 0xff00ffffffULL;
}

struct kvm_vcpu *vgic_mpidr_to_vcpu(struct kvm *kvm, u64 mpidr)
{
	unsigned int i;

	mpidr = mpidr_aff(mpidr);
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpu_by_idx[i];

		if (v && mpidr_aff(vcpu_state(v)->sysreg[SR_MPIDR_EL1]) == mpidr)
			return v;
	}
	return NULL;
}

bool vgic_irq_is_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/* Group priority under ICC_BPR1_EL1 (KVM's __vgic_v3_pri_to_pre). */
static u8 vgic_group_prio(const struct vgic_cpu *c, u8 prio, bool group1)
{
	unsigned int bpr = group1 ? c->bpr1 : c->bpr0 + 1u;

	return prio & (u8)(0xffu << bpr);
}

/* The running priority: the lowest active priority bit, or idle. */
static u8 vgic_running_prio(const struct vgic_cpu *c)
{
	u32 ap = c->ap0r0 | c->ap1r0;

	if (!ap)
		return VGIC_IDLE_PRIORITY;
	return (u8)(__builtin_ctz(ap) << (8 - VGIC_PRI_BITS));
}

static void consider(struct vgic_irq *irq, bool group1, u32 intid,
		     u32 *best, u8 *best_prio)
{
	if (!irq->enabled || irq->active || irq->group != group1 ||
	    !vgic_irq_is_pending(irq))
		return;
	if (*best == 1023 || irq->priority < *best_prio) {
		*best = intid;
		*best_prio = irq->priority;
	}
}

u32 vgic_highest_pending_locked(struct kvm_vcpu *vcpu, bool group1, u8 *prio)
{
	struct kvm *kvm = vcpu->kvm;
	struct vgic_dist *d = &kvm->vgic;
	u32 best = 1023, i;
	u8 best_prio = 0xff;

	if (!d->enabled)
		goto out;
	for (i = 0; i < VGIC_NR_PRIVATE_IRQS; i++)
		consider(&vcpu->vgic_cpu.private_irqs[i], group1, i, &best, &best_prio);
	for (i = 0; i < d->nr_spis && d->spis; i++)
		if (d->spis[i].target == (int)vcpu->vcpu_idx)
			consider(&d->spis[i], group1, i + VGIC_NR_PRIVATE_IRQS,
				 &best, &best_prio);
	/* LPIs reach a redistributor whose GICR_CTLR.EnableLPIs is set */
	for (i = 0; i < d->nr_lpis && vcpu->vgic_cpu.lpis_enabled; i++)
		if (d->lpis[i]->irq.target == (int)vcpu->vcpu_idx)
			consider(&d->lpis[i]->irq, group1, d->lpis[i]->intid,
				 &best, &best_prio);
out:
	*prio = best_prio;
	return best;
}

/* Set or clear the vCPU's IRQ line; wake it when the line rises. */
void vgic_update_vcpu_locked(struct kvm_vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	bool fire = false;
	u32 intid;
	u8 prio;

	if (vgic_is_v2(vcpu->kvm)) {
		vgic_v2_update_vcpu_locked(vcpu);
		return;
	}
	if (c->igrpen1) {
		intid = vgic_highest_pending_locked(vcpu, true, &prio);
		fire = intid != 1023 && prio < c->pmr &&
		       vgic_group_prio(c, prio, true) < vgic_running_prio(c);
	}
	if (fire) {
		if (!(atomic_fetch_or(&vcpu->cpu.irq_lines, CPU_IRQ_IRQ) & CPU_IRQ_IRQ))
			run_wake(vcpu);
	} else {
		atomic_fetch_and(&vcpu->cpu.irq_lines, ~CPU_IRQ_IRQ);
	}
}

void vgic_update_all_locked(struct kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpu_by_idx[i])
			vgic_update_vcpu_locked(kvm->vcpu_by_idx[i]);
}

void vgic_irq_changed_locked(struct kvm *kvm, struct kvm_vcpu *vcpu,
			     struct vgic_irq *irq)
{
	struct kvm_vcpu *target = vcpu;

	if (!target && irq->target >= 0 && irq->target < KVM_MAX_VCPUS_NR)
		target = kvm->vcpu_by_idx[irq->target];
	if (target)
		vgic_update_vcpu_locked(target);
}

/*
 * An interrupt leaves the active state.  A level SPI fed by an irqfd with
 * a resample descriptor is lowered and the descriptor signalled, as KVM's
 * resampler does on EOI.
 */
void vgic_deactivate_locked(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(kvm, vcpu, intid);
	uint64_t one = 1;

	if (!irq || !irq->active)
		return;
	irq->active = false;
	if (!irq->edge && irq->resamplefd >= 0) {
		irq->line_level = false;
		if (write(irq->resamplefd, &one, sizeof(one)) < 0) {
			/* EAGAIN: the counter is saturated */
		}
	}
	vgic_irq_changed_locked(kvm, intid < VGIC_NR_PRIVATE_IRQS ? vcpu : NULL, irq);
}

/*
 * kvm_vgic_inject_irq(): a rising edge makes an edge interrupt pending; a
 * level interrupt follows the line.
 */
int kvm_vgic_inject_irq(struct kvm *kvm, struct kvm_vcpu *vcpu, u32 intid,
			bool level)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_irq *irq;
	int ret = 0;

	/* vgic_lazy_init(): only a GICv2 initialises itself */
	if (vgic_is_v2(kvm) && !d->initialized) {
		ret = vgic_init(kvm);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&d->lock);
	if (!d->initialized) {
		ret = -EBUSY;
		goto out;
	}
	if (!vcpu && intid < VGIC_NR_PRIVATE_IRQS) {
		ret = -EINVAL;
		goto out;
	}
	irq = vgic_get_irq(kvm, vcpu, intid);
	if (!irq) {
		ret = -EINVAL;
		goto out;
	}
	if (irq->edge) {
		if (!level)
			goto out;
		irq->pending_latch = true;
	} else {
		if (irq->line_level == level)
			goto out;
		irq->line_level = level;
	}
	vgic_irq_changed_locked(kvm, vcpu, irq);
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

int kvm_vgic_set_resamplefd(struct kvm *kvm, u32 intid, int fd)
{
	struct vgic_irq *irq;
	int ret = -EINVAL;

	pthread_mutex_lock(&kvm->vgic.lock);
	if (intid >= VGIC_NR_PRIVATE_IRQS) {
		irq = vgic_get_irq(kvm, NULL, intid);
		if (irq) {
			irq->resamplefd = fd;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

/* ---- KVM_IRQ_LINE ---------------------------------------------------------------- */

/* Without an in-kernel GIC: userspace drives the vCPU's IRQ and FIQ inputs. */
static int vcpu_interrupt_line(struct kvm_vcpu *vcpu, u32 number, bool level)
{
	u32 bit = number == KVM_ARM_IRQ_CPU_FIQ ? CPU_IRQ_FIQ : CPU_IRQ_IRQ;
	u32 old;

	if (level) {
		old = atomic_fetch_or(&vcpu->cpu.irq_lines, bit);
		if (!(old & bit))
			run_wake(vcpu);
	} else {
		atomic_fetch_and(&vcpu->cpu.irq_lines, ~bit);
	}
	return 0;
}

int kvm_vm_ioctl_irq_line(struct kvm *kvm, const struct kvm_irq_level *irq_level)
{
	u32 irq = irq_level->irq;
	unsigned int irq_type, vcpu_id, irq_num;
	struct kvm_vcpu *vcpu;
	bool level = irq_level->level;

	irq_type = (irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
	vcpu_id = (irq >> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK;
	vcpu_id += ((irq >> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) *
		   (KVM_ARM_IRQ_VCPU_MASK + 1);
	irq_num = (irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;

	switch (irq_type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		if (irqchip_in_kernel(kvm))
			return -ENXIO;
		vcpu = vcpu_id < KVM_MAX_VCPUS_NR ? kvm->vcpus[vcpu_id] : NULL;
		if (!vcpu)
			return -EINVAL;
		if (irq_num > KVM_ARM_IRQ_CPU_FIQ)
			return -EINVAL;
		return vcpu_interrupt_line(vcpu, irq_num, level);
	case KVM_ARM_IRQ_TYPE_PPI:
		if (!irqchip_in_kernel(kvm))
			return -ENXIO;
		vcpu = vcpu_id < KVM_MAX_VCPUS_NR ? kvm->vcpus[vcpu_id] : NULL;
		if (!vcpu)
			return -EINVAL;
		if (irq_num < VGIC_NR_SGIS || irq_num >= VGIC_NR_PRIVATE_IRQS)
			return -EINVAL;
		return kvm_vgic_inject_irq(kvm, vcpu, irq_num, level);
	case KVM_ARM_IRQ_TYPE_SPI:
		if (!irqchip_in_kernel(kvm))
			return -ENXIO;
		if (irq_num < VGIC_NR_PRIVATE_IRQS)
			return -EINVAL;
		return kvm_vgic_inject_irq(kvm, NULL, irq_num, level);
	}
	return -EINVAL;
}
