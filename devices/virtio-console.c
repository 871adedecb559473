// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio 1.2, 5.3): port 0 only (VIRTIO_CONSOLE_F_MULTIPORT
 * and VIRTIO_CONSOLE_F_SIZE are not offered), receiveq 0 and transmitq 1.
 * What the guest transmits goes to the console output (as the UART's does)
 * before its chain is used: while stdout is full the notification waits;
 * console input (--console virtio) is copied into receiveq buffers, and
 * kept in a small pending buffer while the driver has none posted: it is
 * delivered on the next notification of the receiveq.
 *
 * The pending buffer is under the transport's lock, like the rings.  Input
 * arrives on the console thread, so delivery from there goes through
 * virtio_mmio_device_notify(), which raises the interrupt as a driver's
 * notification would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../vmm/console.h"
#include "../vmm/vmm.h"
#include "device.h"
#include "virtio.h"

#define RX_Q	0
#define TX_Q	1

struct virtio_console {
	void (*out)(void *ctx, const void *buf, size_t len);
	void *out_ctx;
	uint8_t pending[VIRTIO_CONSOLE_PENDING];
	size_t npending;
	struct virtq_req req;
};

struct virtio_console *virtio_console_new(void (*out)(void *ctx, const void *buf, size_t len),
					  void *out_ctx)
{
	struct virtio_console *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->out = out;
	c->out_ctx = out_ctx;
	return c;
}

void virtio_console_free(struct virtio_console *c)
{
	free(c);
}

void virtio_console_attach(struct virtio_mmio *t, struct virtio_console *c)
{
	(void)c;
	/* struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr (all 0) */
	memset(t->config, 0, 12);
	t->config_len = 12;
}

/* Give the pending input to the posted receiveq buffers (lock held). */
static void deliver(struct virtio_mmio *t, struct virtio_console *c)
{
	size_t n;

	while (c->npending) {
		if (virtq_pop(t, RX_Q, &c->req) <= 0)
			return;
		n = virtq_copy_to(&c->req, 0, c->pending, c->npending);
		virtq_push(t, RX_Q, c->req.head, (uint32_t)n);
		memmove(c->pending, c->pending + n, c->npending - n);
		c->npending -= n;
	}
}

/* Guest output: every device-readable buffer of each chain, in order. */
static void transmit(struct virtio_mmio *t, struct virtio_console *c)
{
	unsigned int i;

	while (virtq_pop(t, TX_Q, &c->req) > 0) {
		for (i = 0; i < c->req.n; i++)
			if (!c->req.buf[i].write && c->req.buf[i].len && c->out)
				c->out(c->out_ctx, c->req.buf[i].addr, c->req.buf[i].len);
		virtq_push(t, TX_Q, c->req.head, 0);
	}
}

static void console_notify(struct virtio_mmio *t, unsigned int q)
{
	struct virtio_console *c = t->priv;

	if (q == RX_Q)
		deliver(t, c);
	else if (q == TX_Q)
		transmit(t, c);
}

bool virtio_console_input(struct virtio_mmio *t, const uint8_t *buf, size_t len)
{
	struct virtio_console *c = t->priv;
	bool ok = false;

	pthread_mutex_lock(&t->lock);
	if (len <= sizeof(c->pending) - c->npending) {
		memcpy(c->pending + c->npending, buf, len);
		c->npending += len;
		ok = true;
	}
	virtio_mmio_device_notify(t, RX_Q);
	pthread_mutex_unlock(&t->lock);
	return ok;
}

const struct virtio_dev_ops virtio_console_dev_ops = {
	.name = "virtio-console",
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.notify = console_notify,
};

/* ---- wiring into the VM ------------------------------------------------- */

struct console_dev {
	struct virtio_mmio t;
	struct virtio_console *c;
};

static void con_irq(void *ctx, int level)
{
	struct device *dev = ctx;

	vm_irq_line(dev->vm, dev->region->intid, level);
}

static void con_out(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	console_out(buf, len);
}

static int con_init(struct device *dev)
{
	struct console_dev *d = calloc(1, sizeof(*d));
	struct vm *vm = dev->vm;

	if (!d)
		return -ENOMEM;
	d->c = virtio_console_new(con_out, NULL);
	if (!d->c) {
		free(d);
		return -ENOMEM;
	}
	virtio_mmio_init(&d->t, &virtio_console_dev_ops, d->c, vm->ram, vm->ram_base,
			 vm->ram_size, con_irq, dev);
	virtio_console_attach(&d->t, d->c);
	dev->priv = d;
	return 0;
}

static void con_exit(struct device *dev)
{
	struct console_dev *d = dev->priv;

	if (!d)
		return;
	virtio_mmio_destroy(&d->t);
	virtio_console_free(d->c);
	free(d);
	dev->priv = NULL;
}

static uint64_t con_read(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len)
{
	struct console_dev *d = dev->priv;

	return virtio_mmio_read(&d->t, off, len);
}

static void con_write(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len,
		      uint64_t val)
{
	struct console_dev *d = dev->priv;

	virtio_mmio_write(&d->t, off, len, val);
}

static bool con_input(struct device *dev, uint8_t ch)
{
	struct console_dev *d = dev->priv;

	return virtio_console_input(&d->t, &ch, 1);
}

static const struct device_ops virtio_console_ops = {
	.name = "virtio-console",
	.init = con_init,
	.exit = con_exit,
	.read = con_read,
	.write = con_write,
	.fdt_props = virtio_mmio_fdt_props,
	.input = con_input,
};
DEVICE_REGISTER(virtio_console_ops)
