// SPDX-License-Identifier: GPL-2.0
/* MMIO dispatch through the memory map (mmio.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "../devices/device.h"
#include "mmio.h"
#include "vmm.h"

bool mmio_dispatch(struct vm *vm, unsigned int vcpu, uint64_t addr, uint8_t *data,
		   unsigned int len, bool is_write)
{
	const struct region *r = memmap_find(&vm->map, addr);
	struct device *dev;
	uint64_t off, val = 0;
	unsigned int i;

	if (!r || r->type != REGION_DEVICE)
		return false;
	dev = vm->region_dev[r - vm->map.r];
	if (!dev || (len != 1 && len != 2 && len != 4 && len != 8))
		return false;
	off = addr - r->base;
	if (off + len > r->size)
		return false;
	if (is_write) {
		for (i = 0; i < len; i++)
			val |= (uint64_t)data[i] << (8 * i);
		if (vm->cfg->debug_mmio)
			pr_diag("mmio: vCPU %u write %u bytes %#" PRIx64 " at %#" PRIx64
				" (%s+%#" PRIx64 ")\n", vcpu, len, val, addr, r->name, off);
		if (dev->ops->write)
			dev->ops->write(dev, vcpu, off, len, val);
	} else {
		if (dev->ops->read)
			val = dev->ops->read(dev, vcpu, off, len);
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)(val >> (8 * i));
		if (vm->cfg->debug_mmio)
			pr_diag("mmio: vCPU %u read  %u bytes %#" PRIx64 " at %#" PRIx64
				" (%s+%#" PRIx64 ")\n", vcpu, len, val, addr, r->name, off);
	}
	return true;
}

int mmio_coalesce(struct vm *vm, uint64_t addr, uint64_t size, bool on)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = addr, .size = (uint32_t)size };

	if (!vm->coalesced) {
		errno = ENOTTY;
		return -1;
	}
	return vm->hv->ioctl(vm->vm_fd, on ? KVM_REGISTER_COALESCED_MMIO :
			     KVM_UNREGISTER_COALESCED_MMIO, &zone) < 0 ? -1 : 0;
}

void mmio_coalesced_drain(struct vm *vm, unsigned int vcpu)
{
	struct kvm_coalesced_mmio_ring *ring = vm->coalesced;
	uint32_t first;

	/* the common case, nothing written: no lock */
	if (!ring || __atomic_load_n(&ring->first, __ATOMIC_RELAXED) ==
		     __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&vm->coalesced_lock);
	first = ring->first;
	/* an entry is complete once `last` (acquired) is past it */
	while (first < vm->coalesced_max &&
	       first != __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE)) {
		struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[first];
		uint8_t data[8];
		uint32_t len = e->len;

		if (len > sizeof(data))
			len = sizeof(data);
		memcpy(data, e->data, len);
		/* arm64 has no port I/O: a PIO entry cannot be, and is dropped */
		if (!e->pio && !mmio_dispatch(vm, vcpu, e->phys_addr, data, len, true))
			pr_warn_rl("coalesced MMIO write at %#llx: no device there\n",
				   (unsigned long long)e->phys_addr);
		vm->coalesced_writes++;
		first = (first + 1) % vm->coalesced_max;
		/* the slot is KVM's again only after it was read */
		__atomic_store_n(&ring->first, first, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vm->coalesced_lock);
}
