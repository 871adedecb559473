// SPDX-License-Identifier: GPL-2.0
/* MMIO dispatch through the memory map (mmio.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "../devices/device.h"
#include "console.h"
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

/*
 * A guest that writes a coalesced register and then computes, waits for
 * an interrupt or hangs makes no exit: what it wrote (its last console
 * characters) would wait in the ring for as long.  This thread drains the
 * ring every 10 ms once a zone was registered, under the same lock as a
 * vCPU's drain, so the order of the writes and of the exits is kept.
 */
#define COALESCED_FLUSH_NS	10000000L

static void *coalesced_flusher(void *arg)
{
	struct vm *vm = arg;
	const struct timespec ts = { 0, COALESCED_FLUSH_NS };

	while (!atomic_load(&vm->coalesced_stop)) {
		nanosleep(&ts, NULL);
		mmio_coalesced_drain(vm, 0);
		console_flush();	/* console_out_held()'s characters */
	}
	return NULL;
}

static void coalesced_flusher_start(struct vm *vm)
{
	sigset_t old;
	int ret;

	if (mmio_coalesced_flushing(vm))
		return;
	block_process_signals(&old, SIGALRM);
	ret = pthread_create(&vm->coalesced_flusher, NULL, coalesced_flusher, vm);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		pr_warn("coalesced MMIO: no thread to flush the ring (%s): writes wait "
			"for the next exit\n", strerror(ret));
	else
		__atomic_store_n(&vm->coalesced_flusher_on, true, __ATOMIC_RELEASE);
}

bool mmio_coalesced_flushing(struct vm *vm)
{
	return __atomic_load_n(&vm->coalesced_flusher_on, __ATOMIC_ACQUIRE);
}

void mmio_coalesced_stop(struct vm *vm)
{
	if (!mmio_coalesced_flushing(vm))
		return;
	atomic_store(&vm->coalesced_stop, true);
	pthread_join(vm->coalesced_flusher, NULL);
	__atomic_store_n(&vm->coalesced_flusher_on, false, __ATOMIC_RELEASE);
	console_flush();
}

int mmio_coalesce(struct vm *vm, uint64_t addr, uint64_t size, bool on)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = addr, .size = (uint32_t)size };

	if (!vm->coalesced) {
		errno = ENOTTY;
		return -1;
	}
	if (vm->hv->ioctl(vm->vm_fd, on ? KVM_REGISTER_COALESCED_MMIO :
			  KVM_UNREGISTER_COALESCED_MMIO, &zone) < 0)
		return -1;
	if (on)
		coalesced_flusher_start(vm);
	return 0;
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
