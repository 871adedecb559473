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
#include "virtio.h"

#define RX_Q	0
#define TX_Q	1

struct virtio_console {
	void (*out)(void *ctx, const void *buf, size_t len);
	void *out_ctx;
	uint8_t pending[VIRTIO_CONSOLE_PENDING];
	size_t npending;
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
		if (virtq_pop(t, RX_Q, &t->req) <= 0)
			return;
		n = virtq_copy_to(&t->req, 0, c->pending, c->npending);
		virtq_push(t, RX_Q, t->req.head, (uint32_t)n);
		memmove(c->pending, c->pending + n, c->npending - n);
		c->npending -= n;
	}
}

/* Guest output: every device-readable buffer of each chain, in order. */
static void transmit(struct virtio_mmio *t, struct virtio_console *c)
{
	unsigned int i;

	while (virtq_pop(t, TX_Q, &t->req) > 0) {
		for (i = 0; i < t->req.n; i++)
			if (!t->req.buf[i].write && t->req.buf[i].len && c->out)
				c->out(c->out_ctx, t->req.buf[i].addr, t->req.buf[i].len);
		virtq_push(t, TX_Q, t->req.head, 0);
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


/* ---- on the VM's bus: output to the console, input from it ------------- */

static void con_out(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	console_out(buf, len);
}

static int con_setup(struct virtio_mmio *t, struct device *dev)
{
	struct virtio_console *c = virtio_console_new(con_out, NULL);

	if (!c)
		return -ENOMEM;
	t->priv = c;
	virtio_console_attach(t, c);
	return 0;
}

static void con_teardown(struct virtio_mmio *t)
{
	virtio_console_free(t->priv);
}

const struct virtio_dev_ops virtio_console_dev_ops = {
	.name = "virtio-console",
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.notify = console_notify,
	.setup = con_setup,
	.teardown = con_teardown,
	.input = virtio_console_input,
};
VIRTIO_DEVICE_REGISTER(virtio_console_dev_ops)
