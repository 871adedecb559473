// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-mmio transport, virtio 1.x "modern" (Version 2) only, and split
 * virtqueues (virtio 1.2, 2.7 and 4.2).  Notifications are served
 * synchronously on the notifying vCPU's thread, under the transport's lock.
 *
 * What the guest controls is never trusted: queue addresses and sizes are
 * checked when the queue is made ready, each descriptor is read once into
 * a local copy and its range translated by virtio_gpa(), chains are at most
 * QueueNum descriptors long (loops end there), indirect descriptors are
 * neither offered nor accepted, and anything malformed sets
 * DEVICE_NEEDS_RESET, after which the device ignores notifications until
 * the driver resets it.
 *
 * Last, the glue every device shares: one device_ops for all of them on the
 * VM's bus (instance, interrupt line, register access, DT node, console
 * input), so that a device file is its semantics and a virtio_dev_ops.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../vmm/vmm.h"
#include "device.h"
#include "virtio.h"

/* split virtqueue layout (2.7) */
#define DESC_SIZE		16
#define AVAIL_FLAGS		0
#define AVAIL_IDX		2
#define AVAIL_RING		4
#define USED_FLAGS		0
#define USED_IDX		2
#define USED_RING		4
#define USED_ELEM_SIZE		8
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1

void *virtio_gpa(const struct virtio_mmio *t, uint64_t gpa, uint64_t len)
{
	if (!t->ram || gpa < t->ram_base || len > t->ram_size ||
	    gpa - t->ram_base > t->ram_size - len)
		return NULL;
	return t->ram + (gpa - t->ram_base);
}

/* Guest-shared little-endian fields: single accesses, never re-read. */
static uint16_t load16(const uint8_t *p, int order)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, order));
}

uint16_t virtq_avail_idx(const struct virtq *vq)
{
	return vq->ready && vq->avail ? load16(vq->avail + AVAIL_IDX, __ATOMIC_ACQUIRE) : 0;
}

static void store16(uint8_t *p, uint16_t v, int order)
{
	__atomic_store_n((uint16_t *)p, htole16(v), order);
}

void virtio_update_irq(struct virtio_mmio *t)
{
	int level = t->isr != 0;

	if (level != t->irq_level) {
		t->irq_level = level;
		if (t->irq)
			t->irq(t->irq_ctx, level);
	}
}

/* The driver must look at queue @q (-1: the configuration): ISR is set. */
static void raise_irq(struct virtio_mmio *t, int q)
{
	if (t->signal)
		t->signal(t->irq_ctx, q);
	else
		virtio_update_irq(t);
}

void virtio_needs_reset(struct virtio_mmio *t, const char *why)
{
	if (!(t->status & VIRTIO_STATUS_NEEDS_RESET))
		pr_warn_rl("%s: %s: device needs reset\n", t->ops->name, why);
	t->status |= VIRTIO_STATUS_NEEDS_RESET;
	/* 2.1.2: a configuration change notification when DRIVER_OK */
	if (t->status & VIRTIO_STATUS_DRIVER_OK) {
		t->isr |= VIRTIO_MMIO_INT_CONFIG;
		raise_irq(t, -1);
	}
}

void virtio_reset(struct virtio_mmio *t)
{
	unsigned int i;

	t->status = 0;
	t->device_features_sel = t->driver_features_sel = 0;
	t->driver_features = 0;
	t->queue_sel = 0;
	t->isr = 0;
	for (i = 0; i < VIRTIO_MAX_QUEUES; i++)
		memset(&t->vq[i], 0, sizeof(t->vq[i]));
	virtio_update_irq(t);
	if (t->ops->reset)
		t->ops->reset(t);
}

void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_dev_ops *ops, void *priv,
		      uint8_t *ram, uint64_t ram_base, uint64_t ram_size,
		      void (*irq)(void *, int), void *irq_ctx)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	t->ops = ops;
	t->priv = priv;
	t->ram = ram;
	t->ram_base = ram_base;
	t->ram_size = ram_size;
	t->irq = irq;
	t->irq_ctx = irq_ctx;
	t->device_features = ops->features | (1ULL << VIRTIO_F_VERSION_1);
}

void virtio_mmio_destroy(struct virtio_mmio *t)
{
	pthread_mutex_destroy(&t->lock);
}

static struct virtq *selected(struct virtio_mmio *t)
{
	return t->queue_sel < t->ops->num_queues ? &t->vq[t->queue_sel] : NULL;
}

/* QueueReady = 1: check size and ring addresses once; NULL pointers never get used. */
void virtio_queue_enable(struct virtio_mmio *t, struct virtq *vq)
{
	uint64_t n = vq->num;

	if (!n || n > VIRTQ_NUM_MAX || (n & (n - 1))) {
		virtio_needs_reset(t, "queue size not a power of two up to QueueNumMax");
		return;
	}
	/* alignments of 2.7: descriptors 16, driver area 2, device area 4 */
	if ((vq->desc_gpa & 15) || (vq->avail_gpa & 1) || (vq->used_gpa & 3)) {
		virtio_needs_reset(t, "misaligned queue area");
		return;
	}
	vq->desc = virtio_gpa(t, vq->desc_gpa, n * DESC_SIZE);
	vq->avail = virtio_gpa(t, vq->avail_gpa, AVAIL_RING + 2 * n + 2);
	vq->used = virtio_gpa(t, vq->used_gpa, USED_RING + USED_ELEM_SIZE * n + 2);
	if (!vq->desc || !vq->avail || !vq->used) {
		vq->desc = vq->avail = vq->used = NULL;
		virtio_needs_reset(t, "queue area outside guest RAM");
		return;
	}
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->ready = true;
}

int virtq_pop(struct virtio_mmio *t, unsigned int q, struct virtq_req *req)
{
	struct virtq *vq = &t->vq[q];
	uint16_t avail_idx, head, idx;
	unsigned int count;

	if (q >= t->ops->num_queues || !vq->ready || (t->status & VIRTIO_STATUS_NEEDS_RESET))
		return 0;
	/* acquire: the ring entries and descriptors the driver wrote before idx */
	avail_idx = load16(vq->avail + AVAIL_IDX, __ATOMIC_ACQUIRE);
	if (avail_idx == vq->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
		virtio_needs_reset(t, "available index runs ahead by more than the queue size");
		return -1;
	}
	head = load16(vq->avail + AVAIL_RING + 2 * (vq->last_avail & (vq->num - 1)),
		      __ATOMIC_RELAXED);
	vq->last_avail++;
	if (head >= vq->num) {
		virtio_needs_reset(t, "descriptor head out of range");
		return -1;
	}
	req->head = head;
	req->n = 0;
	idx = head;
	for (count = 0;; count++) {
		const uint8_t *d = vq->desc + (size_t)idx * DESC_SIZE;
		uint64_t addr = le64toh(__atomic_load_n((const uint64_t *)d, __ATOMIC_RELAXED));
		uint32_t len = le32toh(__atomic_load_n((const uint32_t *)(d + 8), __ATOMIC_RELAXED));
		uint16_t flags = load16(d + 12, __ATOMIC_RELAXED);
		uint16_t next = load16(d + 14, __ATOMIC_RELAXED);
		uint8_t *p;

		if (count >= vq->num) {
			virtio_needs_reset(t, "descriptor chain longer than the queue (a loop?)");
			return -1;
		}
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			virtio_needs_reset(t, "indirect descriptor (VIRTIO_F_INDIRECT_DESC not offered)");
			return -1;
		}
		p = virtio_gpa(t, addr, len);
		if (!p) {
			virtio_needs_reset(t, "descriptor outside guest RAM");
			return -1;
		}
		req->buf[req->n].addr = p;
		req->buf[req->n].len = len;
		req->buf[req->n].write = flags & VIRTQ_DESC_F_WRITE;
		req->n++;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		if (next >= vq->num) {
			virtio_needs_reset(t, "next descriptor out of range");
			return -1;
		}
		idx = next;
	}
	return 1;
}

void virtq_push_n(struct virtio_mmio *t, unsigned int q, const uint16_t *head,
		  const uint32_t *written, unsigned int n)
{
	struct virtq *vq = &t->vq[q];
	unsigned int i;
	uint8_t *e;

	if (q >= t->ops->num_queues || !vq->ready || !n)
		return;
	for (i = 0; i < n; i++) {
		e = vq->used + USED_RING + USED_ELEM_SIZE * (size_t)(vq->used_idx & (vq->num - 1));
		__atomic_store_n((uint32_t *)e, htole32(head[i]), __ATOMIC_RELAXED);
		__atomic_store_n((uint32_t *)(e + 4), htole32(written[i]), __ATOMIC_RELAXED);
		vq->used_idx++;
	}
	/* release: the elements (and the data written into the buffers) before idx */
	store16(vq->used + USED_IDX, vq->used_idx, __ATOMIC_RELEASE);
	t->pushed = true;
}

void virtq_push(struct virtio_mmio *t, unsigned int q, uint16_t head, uint32_t written)
{
	virtq_push_n(t, q, &head, &written, 1);
}

void virtq_unpop(struct virtio_mmio *t, unsigned int q, unsigned int n)
{
	if (q < t->ops->num_queues)
		t->vq[q].last_avail -= (uint16_t)n;
}

static size_t copy(const struct virtq_req *req, bool write, size_t off, uint8_t *mem,
		   size_t len, bool to_guest)
{
	size_t done = 0, n;
	unsigned int i;

	for (i = 0; i < req->n && done < len; i++) {
		const struct virtq_buf *b = &req->buf[i];

		if (b->write != write)
			continue;
		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		n = b->len - off;
		if (n > len - done)
			n = len - done;
		if (to_guest)
			memcpy(b->addr + off, mem + done, n);
		else
			memcpy(mem + done, b->addr + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t virtq_copy_from(const struct virtq_req *req, size_t off, void *dst, size_t len)
{
	return copy(req, false, off, dst, len, false);
}

size_t virtq_copy_to(const struct virtq_req *req, size_t off, const void *src, size_t len)
{
	return copy(req, true, off, (uint8_t *)src, len, true);
}

static void notify(struct virtio_mmio *t, uint32_t q)
{
	struct virtq *vq;

	if (q >= t->ops->num_queues)
		return;
	vq = &t->vq[q];
	if (!vq->ready || !(t->status & VIRTIO_STATUS_DRIVER_OK) ||
	    (t->status & VIRTIO_STATUS_NEEDS_RESET))
		return;
	t->pushed = false;
	t->ops->notify(t, q);
	if (!t->pushed || !vq->ready)
		return;
	/* the used idx store before the flags load (virtqueue_enable_cb's race) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (load16(vq->avail + AVAIL_FLAGS, __ATOMIC_RELAXED) & VIRTQ_AVAIL_F_NO_INTERRUPT)
		return;
	t->isr |= VIRTIO_MMIO_INT_VRING;
	raise_irq(t, (int)q);
}

void virtio_mmio_device_notify(struct virtio_mmio *t, unsigned int q)
{
	notify(t, q);
}

static uint64_t config_read(struct virtio_mmio *t, uint64_t off, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	if (off > t->config_len || len > t->config_len - off)
		return 0;
	for (i = 0; i < len; i++)
		v |= (uint64_t)t->config[off + i] << (8 * i);
	return v;
}

static uint32_t reg_read(struct virtio_mmio *t, uint64_t off)
{
	struct virtq *vq = selected(t);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (t->device_features_sel > 1)
			return 0;
		return (uint32_t)(t->device_features >> (32 * t->device_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? VIRTQ_NUM_MAX : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq ? vq->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return t->isr;
	case VIRTIO_MMIO_STATUS:
		return t->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return t->config_generation;
	}
	return 0;
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
	if (high)
		*v = (*v & 0xffffffffULL) | ((uint64_t)val << 32);
	else
		*v = (*v & ~0xffffffffULL) | val;
}

void virtio_write_status(struct virtio_mmio *t, uint32_t val)
{
	uint64_t extra;
	bool accepted;

	if (!val) {
		virtio_reset(t);
		return;
	}
	val &= 0xff & ~VIRTIO_STATUS_NEEDS_RESET;	/* the device's bit */
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
		extra = t->driver_features & ~t->device_features;
		if (extra || !(t->driver_features & (1ULL << VIRTIO_F_VERSION_1))) {
			pr_debug_rl("%s: features %#" PRIx64 " refused (offered %#" PRIx64
				 ", VERSION_1 required)\n", t->ops->name, t->driver_features,
				 t->device_features);
			val &= ~VIRTIO_STATUS_FEATURES_OK;	/* the driver reads it back */
		}
	}
	accepted = (val & ~t->status) & VIRTIO_STATUS_FEATURES_OK;
	t->status = (t->status & VIRTIO_STATUS_NEEDS_RESET) | val;
	if (accepted && t->ops->features_ok)
		t->ops->features_ok(t);
}

static void reg_write(struct virtio_mmio *t, uint64_t off, uint32_t val)
{
	struct virtq *vq = selected(t);
	bool qw = vq && !vq->ready;	/* queue registers: only while not ready */

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		t->device_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->driver_features_sel <= 1 && !(t->status & VIRTIO_STATUS_FEATURES_OK))
			set_half(&t->driver_features, t->driver_features_sel, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		t->driver_features_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		t->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (qw)
			vq->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (!vq)
			break;
		if (val & 1) {
			if (!vq->ready)
				virtio_queue_enable(t, vq);
		} else {
			vq->ready = false;
			vq->desc = vq->avail = vq->used = NULL;
		}
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		notify(t, val);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		t->isr &= ~val;
		virtio_update_irq(t);
		break;
	case VIRTIO_MMIO_STATUS:
		virtio_write_status(t, val);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (qw)
			set_half(&vq->desc_gpa, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (qw)
			set_half(&vq->avail_gpa, off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (qw)
			set_half(&vq->used_gpa, off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, val);
		break;
	default:
		pr_debug_rl("%s: write of %#x at %#" PRIx64 " ignored\n", t->ops->name, val, off);
	}
}

uint64_t virtio_mmio_read(struct virtio_mmio *t, uint64_t off, unsigned int len)
{
	uint64_t v = 0;

	pthread_mutex_lock(&t->lock);
	if (off >= VIRTIO_MMIO_CONFIG)
		v = config_read(t, off - VIRTIO_MMIO_CONFIG, len);
	else if (len == 4 && !(off & 3))
		v = reg_read(t, off);
	pthread_mutex_unlock(&t->lock);
	return v;
}

void virtio_mmio_write(struct virtio_mmio *t, uint64_t off, unsigned int len, uint64_t val)
{
	pthread_mutex_lock(&t->lock);
	if (off >= VIRTIO_MMIO_CONFIG)
		pr_debug_rl("%s: config write at %#" PRIx64 " ignored\n", t->ops->name, off);
	else if (len == 4 && !(off & 3))
		reg_write(t, off, (uint32_t)val);
	pthread_mutex_unlock(&t->lock);
}

/* ---- on the VM's bus: the one device_ops of every virtio device --------- */

static void bus_irq(void *ctx, int level)
{
	struct device *dev = ctx;

	vm_irq_line(dev->vm, dev->region->intid, level);
}

static int bus_init(struct device *dev)
{
	const struct virtio_dev_ops *ops = dev->ops->data;
	struct virtio_mmio *t = calloc(1, sizeof(*t));
	struct vm *vm = dev->vm;
	int ret;

	if (!t)
		return -ENOMEM;
	virtio_mmio_init(t, ops, NULL, vm->ram, vm->ram_base, vm->ram_size, bus_irq, dev);
	ret = ops->setup ? ops->setup(t, dev) : 0;
	if (ret < 0) {
		virtio_mmio_destroy(t);
		free(t);
		return ret;
	}
	dev->priv = t;
	return 0;
}

static void bus_exit(struct device *dev)
{
	struct virtio_mmio *t = dev->priv;

	if (!t)
		return;
	if (t->ops->teardown)
		t->ops->teardown(t);
	virtio_mmio_destroy(t);
	free(t);
	dev->priv = NULL;
}

static uint64_t bus_read(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len)
{
	return virtio_mmio_read(dev->priv, off, len);
}

static void bus_write(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len,
		      uint64_t val)
{
	virtio_mmio_write(dev->priv, off, len, val);
}

static bool bus_input(struct device *dev, uint8_t c)
{
	struct virtio_mmio *t = dev->priv;

	return t->ops->input(t, &c, 1);
}

/* every virtio-mmio node: "virtio,mmio", dma-coherent (reg, interrupts: fdt.c) */
static int bus_fdt_props(struct device *dev, void *fdt)
{
	int ret = fdt_property_string(fdt, "compatible", "virtio,mmio");

	if (!ret)
		ret = fdt_property(fdt, "dma-coherent", NULL, 0);
	return ret;
}

void virtio_device_register(struct device_ops *bus, const struct virtio_dev_ops *vops)
{
	*bus = (struct device_ops){
		.name = vops->name,
		.init = bus_init,
		.exit = bus_exit,
		.read = bus_read,
		.write = bus_write,
		.fdt_props = bus_fdt_props,
		.input = vops->input ? bus_input : NULL,
		.data = vops,
	};
	device_register(bus);
}
