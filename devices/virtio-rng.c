// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng / entropy device (virtio 1.2, 5.4): one queue; every
 * device-writable buffer of a chain is filled from getrandom().
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "../vmm/vmm.h"
#include "device.h"
#include "virtio.h"

struct rng_dev {
	struct virtio_mmio t;
	struct virtq_req req;
};

static uint32_t fill(uint8_t *p, uint32_t len)
{
	uint32_t done = 0;
	ssize_t r;

	while (done < len) {
		r = getrandom(p + done, len - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (uint32_t)r;
	}
	return done;
}

static void rng_notify(struct virtio_mmio *t, unsigned int q)
{
	struct virtq_req *req = t->priv;
	unsigned int i;
	uint32_t written, n;

	while (virtq_pop(t, q, req) > 0) {
		written = 0;
		for (i = 0; i < req->n; i++) {
			if (!req->buf[i].write)
				continue;
			n = fill(req->buf[i].addr, req->buf[i].len);
			written += n;
			if (n < req->buf[i].len)
				break;
		}
		virtq_push(t, q, req->head, written);
	}
}

const struct virtio_dev_ops virtio_rng_dev_ops = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.notify = rng_notify,
};

/* ---- wiring into the VM ------------------------------------------------- */

static void rng_irq(void *ctx, int level)
{
	struct device *dev = ctx;

	vm_irq_line(dev->vm, dev->region->intid, level);
}

static int rng_init(struct device *dev)
{
	struct rng_dev *d = calloc(1, sizeof(*d));
	struct vm *vm = dev->vm;

	if (!d)
		return -ENOMEM;
	virtio_mmio_init(&d->t, &virtio_rng_dev_ops, &d->req, vm->ram, vm->ram_base,
			 vm->ram_size, rng_irq, dev);
	dev->priv = d;
	return 0;
}

static void rng_exit(struct device *dev)
{
	struct rng_dev *d = dev->priv;

	if (!d)
		return;
	virtio_mmio_destroy(&d->t);
	free(d);
	dev->priv = NULL;
}

static uint64_t rng_read(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len)
{
	struct rng_dev *d = dev->priv;

	return virtio_mmio_read(&d->t, off, len);
}

static void rng_write(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len,
		      uint64_t val)
{
	struct rng_dev *d = dev->priv;

	virtio_mmio_write(&d->t, off, len, val);
}

static const struct device_ops virtio_rng_ops = {
	.name = "virtio-rng",
	.init = rng_init,
	.exit = rng_exit,
	.read = rng_read,
	.write = rng_write,
	.fdt_props = virtio_mmio_fdt_props,
};
DEVICE_REGISTER(virtio_rng_ops)
