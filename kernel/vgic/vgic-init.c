// SPDX-License-Identifier: GPL-2.0
/*
 * Creation, KVM_DEV_ARM_VGIC_CTRL_INIT, per-vCPU state and the mapping of
 * the MMIO frames at the first KVM_RUN (arch/arm64/kvm/vgic/vgic-init.c),
 * and the redistributor regions' rules (vgic-mmio-v3.c, vgic-kvm-device.c).
 */
#include <stdlib.h>

#include "vgic.h"

void kvm_vgic_early_init(struct kvm *kvm)
{
	pthread_mutex_init(&kvm->vgic.lock, NULL);
	kvm->vgic.dist_base = VGIC_ADDR_UNDEF;
	kvm->vgic.cpu_base = VGIC_ADDR_UNDEF;
}

/* kvm_vgic_create(): caller holds kvm->lock; vCPUs are locked by trylock. */
int kvm_vgic_create(struct kvm *kvm, u32 type)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;
	int ret = -EBUSY;

	/* a vCPU in an ioctl (KVM_RUN...) makes this EBUSY */
	if (!kvm_trylock_all_vcpus(kvm))
		return ret;
	pthread_mutex_lock(&d->lock);
	if (d->in_kernel) {
		ret = -EEXIST;
		goto out;
	}
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpu_by_idx[i] && kvm->vcpu_by_idx[i]->has_run_once)
			goto out;
	ret = 0;
	kvm->max_vcpus = type == KVM_DEV_TYPE_ARM_VGIC_V2 ? VGIC_V2_MAX_CPUS : VGIC_V3_MAX_CPUS;
	if (kvm->created_vcpus > kvm->max_vcpus) {
		ret = -E2BIG;
		goto out;
	}
	d->in_kernel = true;
	d->model = type;
	d->mi_intid = 25;	/* KVM's default, the SBSA's */
	d->dist_base = VGIC_ADDR_UNDEF;
	d->cpu_base = VGIC_ADDR_UNDEF;
	/* ID_AA64PFR0_EL1.GIC: a GICv3 CPU interface, or none with a GICv2 */
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		u64 *pfr0;

		if (!kvm->vcpu_by_idx[i])
			continue;
		pfr0 = &vcpu_state(kvm->vcpu_by_idx[i])->sysreg[SR_ID_AA64PFR0_EL1];
		*pfr0 = (*pfr0 & ~(0xfULL << 24)) |
			(type == KVM_DEV_TYPE_ARM_VGIC_V3 ? 1ULL << 24 : 0);
	}
out:
	pthread_mutex_unlock(&d->lock);
	kvm_unlock_all_vcpus(kvm);
	return ret;
}

static void vgic_irq_reset(struct vgic_irq *irq)
{
	memset(irq, 0, sizeof(*irq));
	irq->group = true;
	irq->resamplefd = -1;
	irq->target = -1;
}

/* vgic_init(): freeze the number of SPIs and allocate them. */
int vgic_init(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	struct kvm_vcpu *vcpu0;
	u32 i;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	if (d->initialized)
		goto out;
	if (!d->nr_spis)
		d->nr_spis = VGIC_NR_IRQS_LEGACY - VGIC_NR_PRIVATE_IRQS;
	d->spis = calloc(d->nr_spis, sizeof(*d->spis));
	if (!d->spis) {
		ret = -ENOMEM;
		goto out;
	}
	vcpu0 = vgic_mpidr_to_vcpu(kvm, 0);
	for (i = 0; i < d->nr_spis; i++) {
		/* edge, group 1, routed to affinity 0.0.0.0 */
		vgic_irq_reset(&d->spis[i]);
		d->spis[i].edge = true;
		d->spis[i].target = vcpu0 ? (int)vcpu0->vcpu_idx : -1;
	}
	if (vgic_is_v2(kvm))
		vgic_v2_init_locked(kvm);
	d->initialized = true;
	pthread_mutex_unlock(&d->lock);
	return kvm_irq_routing_set_default(kvm, d->nr_spis);
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/* ---- redistributor regions ------------------------------------------------------ */

int vgic_check_iorange(struct kvm *kvm, u64 ioaddr, u64 addr, u64 alignment,
		       u64 size)
{
	u64 phys_size = 1ULL << kvm->cpu_vm.ipa_bits;

	if (ioaddr != VGIC_ADDR_UNDEF)
		return -EEXIST;
	if ((addr & (alignment - 1)) || (size & (alignment - 1)))
		return -EINVAL;
	if (addr + size < addr)
		return -EINVAL;
	if ((addr & ~(phys_size - 1)) || addr + size > phys_size)
		return -E2BIG;
	return 0;
}

static unsigned int online_vcpus(struct kvm *kvm)
{
	return kvm->created_vcpus;
}

u64 vgic_v3_rd_region_size(struct kvm *kvm, const struct vgic_redist_region *r)
{
	u32 n = r->count ? r->count : online_vcpus(kvm);

	return (u64)n * KVM_VGIC_V3_REDIST_SIZE;
}

bool vgic_v3_rdist_overlap(struct kvm *kvm, u64 base, u64 size)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;

	for (i = 0; i < d->nr_rd_regions; i++) {
		const struct vgic_redist_region *r = &d->rd_regions[i];

		if (base + size > r->base &&
		    base < r->base + vgic_v3_rd_region_size(kvm, r))
			return true;
	}
	return false;
}

static bool vgic_dist_overlap(struct kvm *kvm, u64 base, u64 size)
{
	u64 dist = kvm->vgic.dist_base;

	return base + size > dist && base < dist + KVM_VGIC_V3_DIST_SIZE;
}

bool vgic_v3_check_base(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;

	if (d->dist_base != VGIC_ADDR_UNDEF &&
	    d->dist_base + KVM_VGIC_V3_DIST_SIZE < d->dist_base)
		return false;
	for (i = 0; i < d->nr_rd_regions; i++)
		if (vgic_check_iorange(kvm, VGIC_ADDR_UNDEF, d->rd_regions[i].base,
				       SZ_64K,
				       vgic_v3_rd_region_size(kvm, &d->rd_regions[i])))
			return false;
	if (d->dist_base == VGIC_ADDR_UNDEF)
		return true;
	return !vgic_v3_rdist_overlap(kvm, d->dist_base, KVM_VGIC_V3_DIST_SIZE);
}

/* vgic_v3_alloc_redist_region(); caller holds vgic.lock */
static int vgic_v3_alloc_redist_region(struct kvm *kvm, u32 index, u64 base,
				       u32 count)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_redist_region *r, *n;
	u64 size = (u64)(count ? count : online_vcpus(kvm)) * KVM_VGIC_V3_REDIST_SIZE;
	int ret;

	if (base + size < base)
		return -EINVAL;
	if (!d->nr_rd_regions) {
		if (index != 0)
			return -EINVAL;
	} else {
		r = &d->rd_regions[d->nr_rd_regions - 1];
		/* don't mix the legacy single region with discrete regions */
		if (!count && r->count)
			return -EINVAL;
		if (!count)
			return -EEXIST;
		if (index != r->index + 1)
			return -EINVAL;
	}
	if (!count && d->dist_base != VGIC_ADDR_UNDEF &&
	    vgic_dist_overlap(kvm, base, size))
		return -EINVAL;
	if (vgic_v3_rdist_overlap(kvm, base, size))
		return -EINVAL;
	ret = vgic_check_iorange(kvm, VGIC_ADDR_UNDEF, base, SZ_64K, size);
	if (ret)
		return ret;
	n = realloc(d->rd_regions, (d->nr_rd_regions + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	d->rd_regions = n;
	r = &n[d->nr_rd_regions++];
	r->index = index;
	r->base = base;
	r->count = count;
	r->free_index = 0;
	return 0;
}

/* vgic_register_redist_iodev(): give @vcpu the next free redistributor. */
static int vgic_assign_redist_locked(struct kvm_vcpu *vcpu)
{
	struct vgic_dist *d = &vcpu->kvm->vgic;
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	struct vgic_redist_region *r = NULL;
	unsigned int i;

	if (c->rd_base != VGIC_ADDR_UNDEF)
		return 0;
	for (i = 0; i < d->nr_rd_regions; i++) {
		if (!d->rd_regions[i].count ||
		    d->rd_regions[i].free_index < d->rd_regions[i].count) {
			r = &d->rd_regions[i];
			break;
		}
	}
	if (!r)
		return 0;	/* no room yet: a later region will take it */
	if (!vgic_v3_check_base(vcpu->kvm))
		return -EINVAL;
	c->rdreg = (int)i;
	c->rdreg_index = r->free_index;
	c->rd_base = r->base + (u64)r->free_index * KVM_VGIC_V3_REDIST_SIZE;
	r->free_index++;
	return 0;
}

/*
 * vgic_register_all_redist_iodevs(): the overlap check is the VM's, so
 * either the first vCPU that would take a redistributor fails it and none
 * took one, or none fails.
 */
int vgic_register_all_redist_locked(struct kvm *kvm)
{
	unsigned int i;
	int ret;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		if (!kvm->vcpu_by_idx[i])
			continue;
		ret = vgic_assign_redist_locked(kvm->vcpu_by_idx[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A new region that a vCPU would take over the distributor (or another
 * frame) is refused, EINVAL, and dropped again, as KVM frees it when
 * registering the vCPUs' redistributors fails.
 */
int vgic_v3_set_redist_base(struct kvm *kvm, u32 index, u64 addr, u32 count)
{
	struct vgic_dist *d = &kvm->vgic;
	int ret;

	pthread_mutex_lock(&d->lock);
	ret = vgic_v3_alloc_redist_region(kvm, index, addr, count);
	if (!ret) {
		ret = vgic_register_all_redist_locked(kvm);
		if (ret)
			d->nr_rd_regions--;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/* ---- vCPUs --------------------------------------------------------------------- */

/* kvm_vgic_vcpu_init(); caller holds kvm->lock, vcpu_idx is set. */
int kvm_vgic_vcpu_init(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	struct vgic_cpu *c = &vcpu->vgic_cpu;
	unsigned int i;
	int ret;

	for (i = 0; i < VGIC_NR_PRIVATE_IRQS; i++) {
		vgic_irq_reset(&c->private_irqs[i]);
		/* SGIs: always edge, enabled at reset as in KVM; PPIs: level */
		c->private_irqs[i].edge = i < VGIC_NR_SGIS;
		c->private_irqs[i].enabled = i < VGIC_NR_SGIS;
	}
	c->bpr0 = 8 - VGIC_PRI_BITS - 1;
	c->bpr1 = 8 - VGIC_PRI_BITS;
	c->uctlr_pri_bits = VGIC_PRI_BITS;
	c->rdreg = -1;
	c->rd_base = VGIC_ADDR_UNDEF;
	/* INITIAL_PENDBASER_VALUE: inner RaWb, outer same as inner, inner shareable */
	c->pendbaser = (3ULL << 7) | (1ULL << 10);
	vgic_v3_nested_reset(vcpu);

	pthread_mutex_lock(&kvm->vgic.lock);
	kvm->vcpu_by_idx[vcpu->vcpu_idx] = vcpu;
	ret = irqchip_in_kernel(kvm) ? vgic_assign_redist_locked(vcpu) : 0;
	if (ret)
		kvm->vcpu_by_idx[vcpu->vcpu_idx] = NULL;
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

void kvm_vgic_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	u32 i;

	pthread_mutex_lock(&kvm->vgic.lock);
	if (kvm->vcpu_by_idx[vcpu->vcpu_idx] == vcpu)
		kvm->vcpu_by_idx[vcpu->vcpu_idx] = NULL;
	for (i = 0; i < kvm->vgic.nr_spis && kvm->vgic.spis; i++)
		if (kvm->vgic.spis[i].target == (int)vcpu->vcpu_idx)
			kvm->vgic.spis[i].target = -1;
	pthread_mutex_unlock(&kvm->vgic.lock);
}

void kvm_vgic_destroy(struct kvm *kvm)
{
	vgic_unregister_iodevs(kvm);
	vgic_v2_unregister_iodevs(kvm);
	vgic_its_destroy_all(kvm);
	free(kvm->vgic.spis);
	free(kvm->vgic.rd_regions);
	pthread_mutex_destroy(&kvm->vgic.lock);
}

/* kvm_vgic_map_resources() and vgic_v3_map_resources(), at the first KVM_RUN. */
int kvm_vgic_map_resources(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;
	int ret = 0;

	if (vgic_is_v2(kvm))
		return vgic_v2_map_resources(kvm);
	pthread_mutex_lock(&d->lock);
	if (d->ready || !d->in_kernel)
		goto out;
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		if (kvm->vcpu_by_idx[i] &&
		    kvm->vcpu_by_idx[i]->vgic_cpu.rd_base == VGIC_ADDR_UNDEF) {
			ret = -ENXIO;
			goto out;
		}
	}
	if (d->dist_base == VGIC_ADDR_UNDEF) {
		ret = -ENXIO;
		goto out;
	}
	if (!vgic_v3_check_base(kvm)) {
		ret = -EINVAL;
		goto out;
	}
	if (!d->initialized) {
		ret = -EBUSY;
		goto out;
	}
	ret = vgic_register_dist_iodev(kvm);
	if (!ret)
		ret = vgic_register_redist_iodevs(kvm);
	if (ret) {
		vgic_unregister_iodevs(kvm);
		goto out;
	}
	/* IROUTER was written before the vCPUs' MPIDRs were final: route again */
	for (i = 0; i < d->nr_spis; i++) {
		struct kvm_vcpu *v = vgic_mpidr_to_vcpu(kvm, d->spis[i].mpidr);

		d->spis[i].target = v ? (int)v->vcpu_idx : -1;
	}
	d->ready = true;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}
