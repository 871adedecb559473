// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU's PMUv3 as KVM presents it (arch/arm64/kvm/pmu-emul.c): the
 * KVM_ARM_VCPU_PMU_V3_CTRL attributes (IRQ, INIT, FILTER) with KVM's error
 * codes and ordering rules, the check at the first KVM_RUN, and the
 * overflow interrupt's line into the vGIC.  The registers are rows of
 * sys_regs.c and the counting is the engine's (cpu/pmu.c).
 */
#include <stdlib.h>

#include "kvm_host.h"
#include "vgic/vgic.h"

/* PMUv3p1 and later: 16-bit event numbers, so the filter covers 65536 */
#define PMU_NR_EVENTS		0x10000u
#define PMU_FILTER_WORDS	(PMU_NR_EVENTS / 64)

static bool irq_is_ppi(int irq)
{
	return irq >= VGIC_NR_SGIS && irq < VGIC_NR_PRIVATE_IRQS;
}

static bool irq_is_spi(int irq)
{
	return irq >= VGIC_NR_PRIVATE_IRQS && irq < 1020;
}

/* kvm_pmu_update_state(): the overflow request reaches the vGIC as a level */
void cpu_hook_pmu_irq(struct cpu *cpu, bool level)
{
	struct kvm_vcpu *vcpu = cpu->backend;
	int irq = vcpu->pmu.irq_num;

	if (!irqchip_in_kernel(vcpu->kvm) || !vcpu->pmu.created || !irq)
		return;
	kvm_vgic_inject_irq(vcpu->kvm, irq_is_ppi(irq) ? vcpu : NULL, (u32)irq, level);
}

/*
 * pmu_irq_is_valid(): every vCPU uses the same PPI, or each its own SPI.
 * Called with kvm->lock held.
 */
static bool pmu_irq_is_valid(struct kvm *kvm, int irq)
{
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		struct kvm_vcpu *v = kvm->vcpus[i];

		if (!v || !v->pmu.irq_num)
			continue;
		if (irq_is_ppi(irq) ? v->pmu.irq_num != irq : v->pmu.irq_num == irq)
			return false;
	}
	return true;
}

static int pmu_set_irq(struct kvm_vcpu *vcpu, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = vcpu->kvm;
	int irq, ret;

	if (!irqchip_in_kernel(kvm))
		return -EINVAL;
	ret = copy_from_user(&irq, (void *)(uintptr_t)attr->addr, sizeof(irq));
	if (ret)
		return ret;
	if (!irq_is_ppi(irq) && !irq_is_spi(irq))
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	if (!pmu_irq_is_valid(kvm, irq))
		ret = -EINVAL;
	else if (vcpu->pmu.irq_num)
		ret = -EBUSY;
	else
		vcpu->pmu.irq_num = irq;
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * KVM_ARM_VCPU_PMU_V3_FILTER: the first range sets the default (an allow
 * list denies everything else, a deny list allows it); refused once a vCPU
 * of the VM has run.
 */
static int pmu_set_filter(struct kvm_vcpu *vcpu, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_pmu_event_filter f;
	u32 ev;
	int ret;

	ret = copy_from_user(&f, (void *)(uintptr_t)attr->addr, sizeof(f));
	if (ret)
		return ret;
	if ((u32)f.base_event + f.nevents > PMU_NR_EVENTS ||
	    (f.action != KVM_PMU_EVENT_ALLOW && f.action != KVM_PMU_EVENT_DENY))
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	if (kvm->has_run_once) {
		ret = -EBUSY;
		goto out;
	}
	if (!kvm->pmu_filter) {
		kvm->pmu_filter = malloc(PMU_FILTER_WORDS * sizeof(u64));
		if (!kvm->pmu_filter) {
			ret = -ENOMEM;
			goto out;
		}
		memset(kvm->pmu_filter, f.action == KVM_PMU_EVENT_ALLOW ? 0 : 0xff,
		       PMU_FILTER_WORDS * sizeof(u64));
	}
	for (ev = f.base_event; ev < (u32)f.base_event + f.nevents; ev++) {
		if (f.action == KVM_PMU_EVENT_ALLOW)
			kvm->pmu_filter[ev / 64] |= 1ULL << (ev % 64);
		else
			kvm->pmu_filter[ev / 64] &= ~(1ULL << (ev % 64));
	}
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS (Linux 6.16): the VM's PMCR_EL0.N, at
 * most the counters vkvm implements (EINVAL), before any vCPU ran (EBUSY).
 * vkvm's PMU is always the selected one: no SET_PMU needed first.
 */
static int pmu_set_nr_counters(struct kvm_vcpu *vcpu, const struct kvm_device_attr *attr)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned int n;
	int ret;

	ret = copy_from_user(&n, (void *)(uintptr_t)attr->addr, sizeof(n));
	if (ret)
		return ret;
	if (n > CPU_PMU_COUNTERS)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	if (kvm->has_run_once)
		ret = -EBUSY;
	else
		kvm_set_nr_counters(kvm, n);
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* kvm_arm_pmu_v3_init(): with a vGIC, it must be initialized and the IRQ set */
static int pmu_init(struct kvm_vcpu *vcpu)
{
	if (irqchip_in_kernel(vcpu->kvm)) {
		if (!vgic_initialized(vcpu->kvm))
			return -ENODEV;
		if (!vcpu->pmu.irq_num)
			return -ENXIO;
	}
	vcpu->pmu.created = true;
	return 0;
}

int kvm_arm_pmu_v3_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	if (!vcpu_has_pmu(vcpu))
		return -ENODEV;
	if (vcpu->pmu.created)
		return -EBUSY;
	switch (attr->attr) {
	case KVM_ARM_VCPU_PMU_V3_IRQ:
		return pmu_set_irq(vcpu, attr);
	case KVM_ARM_VCPU_PMU_V3_FILTER:
		return pmu_set_filter(vcpu, attr);
	case KVM_ARM_VCPU_PMU_V3_INIT:
		return pmu_init(vcpu);
	case KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS:
		return pmu_set_nr_counters(vcpu, attr);
	}
	/* SET_PMU names a host PMU (a perf type); vkvm's is its own: none to pick */
	return -ENXIO;
}

int kvm_arm_pmu_v3_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	int irq;

	if (attr->attr != KVM_ARM_VCPU_PMU_V3_IRQ)
		return -ENXIO;
	if (!irqchip_in_kernel(vcpu->kvm))
		return -EINVAL;
	if (!vcpu_has_pmu(vcpu))
		return -ENODEV;
	if (!vcpu->pmu.irq_num)
		return -ENXIO;
	irq = vcpu->pmu.irq_num;
	return copy_to_user((void *)(uintptr_t)attr->addr, &irq, sizeof(irq));
}

int kvm_arm_pmu_v3_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	switch (attr->attr) {
	case KVM_ARM_VCPU_PMU_V3_IRQ:
	case KVM_ARM_VCPU_PMU_V3_INIT:
	case KVM_ARM_VCPU_PMU_V3_FILTER:
	case KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS:
		if (vcpu_has_pmu(vcpu))
			return 0;
	}
	return -ENXIO;
}

/*
 * kvm_arm_pmu_v3_enable(), at each vCPU's first KVM_RUN: a vCPU with a PMU
 * must have been through INIT (EINVAL); with a vGIC its interrupt is a PPI
 * or an SPI the vGIC has, without one no interrupt may have been set.
 * The guest then sees the VM's PMCR_EL0.N counters.
 */
int kvm_arm_pmu_v3_enable(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	int irq = vcpu->pmu.irq_num;

	if (!vcpu_has_pmu(vcpu))
		return 0;
	if (!vcpu->pmu.created)
		return -EINVAL;
	if (irqchip_in_kernel(kvm)) {
		if (!irq_is_ppi(irq) &&
		    (u32)irq >= VGIC_NR_PRIVATE_IRQS + kvm->vgic.nr_spis)
			return -EINVAL;
	} else if (irq) {
		return -EINVAL;
	}
	/* both fixed from now on */
	vcpu->cpu.pmu_filter = kvm->pmu_filter;
	pthread_mutex_lock(&kvm->lock);
	vcpu->cpu.pmu_n = kvm->pmcr_n;
	pthread_mutex_unlock(&kvm->lock);
	return 0;
}
