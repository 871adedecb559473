// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_MTE2/MTE3 for the VM, as arch/arm64/kvm (arm.c's KVM_CAP_ARM_MTE,
 * guest.c's KVM_ARM_MTE_COPY_TAGS): the allocation-tag storage of guest
 * RAM and userspace's window on it.  The engine reads and writes the
 * tags (kernel/cpu/mte_tags.c); here they are allocated, one per 16-byte
 * granule, 4 bits each, per memslot, and only once the VM enabled the
 * capability.  KVM_CHECK_EXTENSION(KVM_CAP_ARM_MTE) answers 1, as KVM on
 * a host with MTE.
 */
#include <stdlib.h>

#include "kvm_host.h"

#define MTE_GRANULE_SHIFT	4
#define MTE_PAGE		4096ULL	/* KVM's PAGE_SIZE for COPY_TAGS: this host's */

/* Bytes of tag storage for size bytes of RAM: two granules a byte */
static u64 tag_bytes(u64 size)
{
	return (size >> MTE_GRANULE_SHIFT) / 2;
}

int kvm_mte_slot_init(struct kvm *kvm, struct kvm_memslot *s)
{
	if (!kvm_has_mte(kvm) || s->tags)
		return 0;
	/* calloc: pages of zeroes come from the kernel as the guest tags them */
	s->tags = calloc(1, sizeof(*s->tags) + tag_bytes(s->size));
	return s->tags ? 0 : -ENOMEM;
}

void kvm_mte_slot_retire(struct kvm *kvm, struct kvm_memslot *s)
{
	if (!s->tags)
		return;
	s->tags->next = kvm->dead_tags;
	kvm->dead_tags = s->tags;
	s->tags = NULL;
}

void kvm_mte_destroy(struct kvm *kvm)
{
	struct kvm_mte_tags *t = kvm->dead_tags, *next;

	for (; t; t = next) {
		next = t->next;
		free(t);
	}
	kvm->dead_tags = NULL;
}

/*
 * KVM_ENABLE_CAP(KVM_CAP_ARM_MTE): before any vCPU exists (EINVAL after,
 * as KVM); again is harmless.  Slots made before get their tags now.
 */
int kvm_vm_enable_mte(struct kvm *kvm)
{
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&kvm->lock);
	if (kvm->created_vcpus) {
		ret = -EINVAL;
		goto out;
	}
	if (kvm_has_mte(kvm))
		goto out;
	kvm->cpu_vm.mte = true;
	for (i = 0; i < kvm->nr_slots && !ret; i++)
		ret = kvm_mte_slot_init(kvm, kvm->slots[i]);
	if (ret) {
		kvm->cpu_vm.mte = false;
		goto out;
	}
	atomic_store(&kvm->memmap_dirty, true);
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* The tag of granule g of a slot's storage */
static u8 tag_get(const struct kvm_mte_tags *t, u64 g)
{
	return (atomic_load_explicit(&t->t[g / 2], memory_order_relaxed) >> (g & 1) * 4) & 0xf;
}

static void tag_set(struct kvm_mte_tags *t, u64 g, u8 tag)
{
	_Atomic u8 *b = &t->t[g / 2];
	unsigned int sh = (g & 1) * 4;
	u8 old = atomic_load_explicit(b, memory_order_relaxed), new;

	do {
		new = (u8)((old & ~(0xf << sh)) | ((tag & 0xf) << sh));
	} while (!atomic_compare_exchange_weak(b, &old, new));
}

/*
 * KVM_ARM_MTE_COPY_TAGS (api.rst 4.130): one tag a byte at addr for each
 * granule of [guest_ipa, guest_ipa + length), both page-aligned; the
 * bytes copied, or an error if none was.  KVM_ARM_TAGS_TO_GUEST takes the
 * low 4 bits of each byte; an IPA outside every memslot, or a read-only
 * one written, stops the copy with EFAULT.
 */
long kvm_vm_ioctl_mte_copy_tags(struct kvm *kvm, const struct kvm_arm_copy_mte_tags *ct)
{
	bool to_guest = ct->flags == KVM_ARM_TAGS_TO_GUEST;
	u8 buf[MTE_PAGE >> MTE_GRANULE_SHIFT];
	u64 ipa = ct->guest_ipa, left = ct->length;
	u8 *uaddr = ct->addr;
	long ret = 0;

	if (ct->reserved[0] || ct->reserved[1])
		return -EINVAL;
	if (!kvm_has_mte(kvm))
		return -EINVAL;
	if (ct->flags & ~(u64)KVM_ARM_TAGS_FROM_GUEST)
		return -EINVAL;
	if ((ipa | left) & (MTE_PAGE - 1))
		return -EINVAL;
	/* the count of bytes copied must fit the ioctl's int */
	if (left > 0x7fffffff)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	while (left) {
		struct kvm_memslot *s = kvm_gpa_to_memslot(kvm, ipa);
		u64 g, i;

		if (!s || !s->tags || (to_guest && (s->flags & KVM_MEM_READONLY))) {
			ret = -EFAULT;
			break;
		}
		g = (ipa - s->base_gpa) >> MTE_GRANULE_SHIFT;
		if (to_guest) {
			ret = copy_from_user(buf, uaddr, sizeof(buf));
			if (ret)
				break;
			for (i = 0; i < sizeof(buf); i++)
				tag_set(s->tags, g + i, buf[i]);
		} else {
			for (i = 0; i < sizeof(buf); i++)
				buf[i] = tag_get(s->tags, g + i);
			ret = copy_to_user(uaddr, buf, sizeof(buf));
			if (ret)
				break;
		}
		uaddr += sizeof(buf);
		ipa += MTE_PAGE;
		left -= MTE_PAGE;
	}
	pthread_mutex_unlock(&kvm->lock);
	if (left != ct->length)
		return (long)(ct->length - left);
	return ret;
}
