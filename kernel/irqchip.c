// SPDX-License-Identifier: GPL-2.0
/*
 * GSI routing (virt/kvm/irqchip.c, arch/arm64/kvm/vgic/vgic-irqfd.c):
 * KVM_SET_GSI_ROUTING's table, the default one vgic_init() installs (GSI n
 * is SPI n + 32), KVM_SIGNAL_MSI, and the delivery of an irqfd's GSI
 * through the table: an IRQCHIP entry raises its SPI, an MSI entry goes to
 * the ITS whose frame holds the doorbell address.
 */
#include <stdlib.h>

#include "kvm_host.h"
#include "vgic/vgic.h"

#define KVM_MAX_IRQ_ROUTES	4096
#define KVM_NR_IRQCHIPS		1
#define KVM_IRQCHIP_NUM_PINS	(1020 - 32)

struct kvm_irq_routing_table {
	unsigned int nr;
	struct kvm_irq_routing_entry e[];
};

/* kvm_set_routing_entry() and setup_routing_entry()'s checks */
static int check_entry(const struct kvm_irq_routing_entry *ue,
		       const struct kvm_irq_routing_entry *prev, unsigned int nr_prev)
{
	unsigned int i;

	if (ue->gsi >= KVM_MAX_IRQ_ROUTES)
		return -EINVAL;
	switch (ue->type) {
	case KVM_IRQ_ROUTING_MSI:
		if (ue->flags & ~KVM_MSI_VALID_DEVID)
			return -EINVAL;
		break;
	case KVM_IRQ_ROUTING_IRQCHIP:
		if (ue->flags)
			return -EINVAL;
		if (ue->u.irqchip.pin >= KVM_IRQCHIP_NUM_PINS ||
		    ue->u.irqchip.irqchip >= KVM_NR_IRQCHIPS)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/* a GSI names one MSI, or at most one pin per irqchip */
	for (i = 0; i < nr_prev; i++)
		if (prev[i].gsi == ue->gsi &&
		    (prev[i].type != KVM_IRQ_ROUTING_IRQCHIP ||
		     ue->type != KVM_IRQ_ROUTING_IRQCHIP ||
		     prev[i].u.irqchip.irqchip == ue->u.irqchip.irqchip))
			return -EINVAL;
	return 0;
}

static int kvm_set_irq_routing(struct kvm *kvm, const struct kvm_irq_routing_entry *ue,
			       unsigned int nr)
{
	struct kvm_irq_routing_table *t, *old;
	unsigned int i;
	int ret;

	t = malloc(sizeof(*t) + (nr + 1) * sizeof(t->e[0]));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		ret = check_entry(&ue[i], ue, i);
		if (ret) {
			free(t);
			return ret;
		}
		t->e[i] = ue[i];
	}
	t->nr = nr;
	pthread_mutex_lock(&kvm->irq_lock);
	old = kvm->irq_routing;
	kvm->irq_routing = t;
	pthread_mutex_unlock(&kvm->irq_lock);
	free(old);
	return 0;
}

int kvm_vm_ioctl_set_gsi_routing(struct kvm *kvm, unsigned long arg)
{
	struct kvm_irq_routing routing;
	struct kvm_irq_routing_entry *e = NULL;
	int ret = copy_from_user(&routing, (void *)arg, sizeof(routing));

	if (ret)
		return ret;
	if (routing.nr > KVM_MAX_IRQ_ROUTES || routing.flags)
		return -EINVAL;
	if (routing.nr) {
		e = malloc(routing.nr * sizeof(*e));
		if (!e)
			return -ENOMEM;
		ret = copy_from_user(e, (u8 *)arg + sizeof(routing), routing.nr * sizeof(*e));
		if (ret) {
			free(e);
			return ret;
		}
	}
	ret = kvm_set_irq_routing(kvm, e, routing.nr);
	free(e);
	return ret;
}

/* kvm_vgic_setup_default_irq_routing(): at vgic_init, GSI n → SPI n + 32 */
int kvm_irq_routing_set_default(struct kvm *kvm, u32 nr_spis)
{
	struct kvm_irq_routing_entry *e = calloc(nr_spis ? nr_spis : 1, sizeof(*e));
	u32 i;
	int ret;

	if (!e)
		return -ENOMEM;
	for (i = 0; i < nr_spis; i++) {
		e[i].gsi = i;
		e[i].type = KVM_IRQ_ROUTING_IRQCHIP;
		e[i].u.irqchip.irqchip = 0;
		e[i].u.irqchip.pin = i;
	}
	ret = kvm_set_irq_routing(kvm, e, nr_spis);
	free(e);
	return ret;
}

void kvm_irq_routing_destroy(struct kvm *kvm)
{
	free(kvm->irq_routing);
	kvm->irq_routing = NULL;
}

static int set_msi(struct kvm *kvm, const struct kvm_irq_routing_entry *e)
{
	struct kvm_msi msi = {
		.address_lo = e->u.msi.address_lo,
		.address_hi = e->u.msi.address_hi,
		.data = e->u.msi.data,
		.flags = e->flags,
		.devid = e->u.msi.devid,
	};

	return vgic_its_inject_msi(kvm, &msi);
}

/*
 * kvm_set_irq() for an irqfd's rising edge: every route of @gsi; a level
 * SPI keeps @resamplefd to signal when the guest deactivates it.
 */
void kvm_set_irq_gsi(struct kvm *kvm, u32 gsi, int resamplefd)
{
	struct kvm_irq_routing_entry e[KVM_NR_IRQCHIPS + 1];
	const struct kvm_irq_routing_table *t;
	unsigned int i, n = 0;

	pthread_mutex_lock(&kvm->irq_lock);
	t = kvm->irq_routing;
	for (i = 0; t && i < t->nr && n < ARRAY_SIZE(e); i++)
		if (t->e[i].gsi == gsi)
			e[n++] = t->e[i];
	pthread_mutex_unlock(&kvm->irq_lock);

	for (i = 0; i < n; i++) {
		if (e[i].type == KVM_IRQ_ROUTING_MSI) {
			set_msi(kvm, &e[i]);
			continue;
		}
		if (!irqchip_in_kernel(kvm))
			continue;
		if (resamplefd >= 0)
			kvm_vgic_set_resamplefd(kvm, e[i].u.irqchip.pin + VGIC_NR_PRIVATE_IRQS,
						resamplefd);
		kvm_vgic_inject_irq(kvm, NULL, e[i].u.irqchip.pin + VGIC_NR_PRIVATE_IRQS, true);
	}
}

/* kvm_send_userspace_msi() */
int kvm_send_userspace_msi(struct kvm *kvm, const struct kvm_msi *msi)
{
	if (!irqchip_in_kernel(kvm) || (msi->flags & ~KVM_MSI_VALID_DEVID))
		return -EINVAL;
	return vgic_its_inject_msi(kvm, msi);
}
