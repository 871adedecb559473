// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_REGISTER_COALESCED_MMIO / KVM_UNREGISTER_COALESCED_MMIO
 * (virt/kvm/coalesced_mmio.c).
 *
 * A zone is a device on the in-kernel MMIO bus that takes guest writes
 * wholly inside it and appends them to the VM's ring (one host page, struct
 * kvm_coalesced_mmio_ring) without an exit.  When the ring is full (one
 * entry always stays free) or userspace left `last` out of range, the write
 * is not taken and becomes an ordinary KVM_EXIT_MMIO; reads are never
 * coalesced.  As in KVM the ring is the VM's, shared by every vCPU: each
 * vCPU's vkvm_mmap shows it at page KVM_COALESCED_MMIO_PAGE_OFFSET
 * (kvm_coalesced_mmio_map()); a plain mmap(2) of a vCPU descriptor does not.  PIO zones are accepted
 * and kept, as arm64 KVM keeps them on its PIO bus, which nothing reaches.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_host.h"

struct coalesced_mmio_dev {
	struct kvm_io_device dev;	/* first: the bus hands us &dev */
	struct kvm *kvm;
	struct kvm_coalesced_mmio_zone zone;
	_Atomic bool live;		/* false once unregistered */
};

static size_t ring_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* KVM_COALESCED_MMIO_MAX for the host's page, which holds the ring. */
u32 kvm_coalesced_mmio_max(void)
{
	return (u32)((ring_page_size() - sizeof(struct kvm_coalesced_mmio_ring)) /
		     sizeof(struct kvm_coalesced_mmio));
}

/* coalesced_mmio_in_range(): (addr, len) wholly inside the zone. */
static bool zone_has(const struct kvm_coalesced_mmio_zone *zone, u64 addr,
		     u64 len)
{
	if (addr + len < addr)
		return false;
	return addr >= zone->addr && addr + len <= zone->addr + zone->size;
}

static int coalesced_mmio_write(struct kvm_vcpu *vcpu, struct kvm_io_device *this,
				u64 addr, unsigned int len, const void *val)
{
	struct coalesced_mmio_dev *dev = (struct coalesced_mmio_dev *)this;
	struct kvm *kvm = dev->kvm;
	volatile struct kvm_coalesced_mmio_ring *ring = kvm->coalesced_ring;
	u32 max = kvm_coalesced_mmio_max(), insert;

	(void)vcpu;
	if (!atomic_load(&dev->live) || len > 8 || !zone_has(&dev->zone, addr, len))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&kvm->ring_lock);
	/* `last` is userspace's to write too: out of range counts as full */
	insert = __atomic_load_n(&ring->last, __ATOMIC_RELAXED);
	if (insert >= max ||
	    (insert + 1) % max == __atomic_load_n(&ring->first, __ATOMIC_ACQUIRE)) {
		pthread_mutex_unlock(&kvm->ring_lock);
		return -EOPNOTSUPP;
	}
	ring->coalesced_mmio[insert].phys_addr = addr;
	ring->coalesced_mmio[insert].len = len;
	memcpy((void *)ring->coalesced_mmio[insert].data, val, len);
	ring->coalesced_mmio[insert].pio = dev->zone.pio;
	/* the entry before the index that publishes it (KVM's smp_wmb) */
	__atomic_store_n(&ring->last, (insert + 1) % max, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&kvm->ring_lock);
	return 0;
}

static const struct kvm_io_device_ops coalesced_mmio_ops = {
	.write = coalesced_mmio_write,
};

/*
 * The ring is one shared page that vkvm_mmap shows in any vCPU mapping.
 * Where mremap() can map a shared page a second time (old size 0: Linux)
 * it is anonymous, so a VM costs one descriptor as with KVM; elsewhere
 * (qemu-user) it is a memfd whose descriptor is moved high, out of the
 * numbers KVM would hand out next, until the VM dies.
 */
#define RING_FD_MIN	512

static int ring_memfd(size_t pg)
{
	int fd = memfd_create("kvm-coalesced-mmio", MFD_CLOEXEC), high;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)pg)) {
		close(fd);
		return -ENOMEM;
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, RING_FD_MIN);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	return fd;
}

int kvm_coalesced_mmio_init(struct kvm *kvm)
{
	size_t pg = ring_page_size();
	void *p, *q;
	int fd = -1;

	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	q = mremap(p, 0, pg, MREMAP_MAYMOVE);
	if (q != MAP_FAILED) {
		munmap(q, pg);
	} else {
		munmap(p, pg);
		fd = ring_memfd(pg);
		if (fd < 0)
			return fd;
		p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return -ENOMEM;
		}
	}
	kvm->coalesced_ring = p;
	kvm->coalesced_fd = fd;
	pthread_mutex_init(&kvm->ring_lock, NULL);
	return 0;
}

void kvm_coalesced_mmio_free(struct kvm *kvm)
{
	unsigned int i;

	/* unregistered zones too: a vCPU may have held an older bus */
	for (i = 0; i < kvm->nr_coalesced_zones; i++)
		free(kvm->coalesced_zones[i]);
	free(kvm->coalesced_zones);
	if (kvm->coalesced_ring) {
		munmap(kvm->coalesced_ring, ring_page_size());
		if (kvm->coalesced_fd >= 0)
			close(kvm->coalesced_fd);
		pthread_mutex_destroy(&kvm->ring_lock);
	}
}

/*
 * Show the ring at page KVM_COALESCED_MMIO_PAGE_OFFSET of a vCPU mapping
 * @p of @len bytes from file offset @off, if it covers that page.
 */
int kvm_coalesced_mmio_map(struct kvm *kvm, void *p, size_t len, off_t off,
			   int prot, int flags)
{
	size_t pg = ring_page_size(), at = KVM_COALESCED_MMIO_PAGE_OFFSET * pg;
	int type = (flags & MAP_PRIVATE) ? MAP_PRIVATE : MAP_SHARED;
	void *dst;

	if (!kvm->coalesced_ring || off < 0 || (size_t)off > at ||
	    len <= at - (size_t)off)
		return 0;
	dst = (char *)p + (at - (size_t)off);
	if (kvm->coalesced_fd >= 0) {
		if (mmap(dst, pg, prot, type | MAP_FIXED, kvm->coalesced_fd, 0) == MAP_FAILED)
			return -errno;
		return 0;
	}
	/* old size 0: a second mapping of the same shared page */
	if (mremap(kvm->coalesced_ring, 0, pg, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED ||
	    mprotect(dst, pg, prot))
		return -errno;
	return 0;
}

int kvm_vm_ioctl_register_coalesced_mmio(struct kvm *kvm,
					 const struct kvm_coalesced_mmio_zone *zone)
{
	struct coalesced_mmio_dev *dev, **zones;
	int ret;

	if (zone->pio != 1 && zone->pio != 0)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->dev.ops = &coalesced_mmio_ops;
	dev->kvm = kvm;
	dev->zone = *zone;
	atomic_init(&dev->live, true);
	pthread_mutex_lock(&kvm->lock);
	zones = realloc(kvm->coalesced_zones,
			(kvm->nr_coalesced_zones + 1) * sizeof(*zones));
	if (!zones) {
		ret = -ENOMEM;
		goto out_free;
	}
	kvm->coalesced_zones = zones;
	/* arm64 has no port I/O: a PIO zone is kept but never reached */
	if (!zone->pio) {
		ret = kvm_io_bus_register_dev(kvm, zone->addr, zone->size, &dev->dev);
		if (ret)
			goto out_free;
	}
	zones[kvm->nr_coalesced_zones++] = dev;
	pthread_mutex_unlock(&kvm->lock);
	return 0;

out_free:
	pthread_mutex_unlock(&kvm->lock);
	free(dev);
	return ret;
}

/* Every zone of that kind inside (addr, size) goes; the answer is always 0. */
int kvm_vm_ioctl_unregister_coalesced_mmio(struct kvm *kvm,
					   const struct kvm_coalesced_mmio_zone *zone)
{
	unsigned int i;

	if (zone->pio != 1 && zone->pio != 0)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < kvm->nr_coalesced_zones; i++) {
		struct coalesced_mmio_dev *dev = kvm->coalesced_zones[i];

		if (!atomic_load(&dev->live) || dev->zone.pio != zone->pio ||
		    !zone_has(&dev->zone, zone->addr, zone->size))
			continue;
		if (!dev->zone.pio)
			kvm_io_bus_unregister_dev(kvm, &dev->dev);
		/* kept until the VM dies: an older bus may still name it */
		atomic_store(&dev->live, false);
	}
	pthread_mutex_unlock(&kvm->lock);
	return 0;
}
