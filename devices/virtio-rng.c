// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng / entropy device (virtio 1.2, 5.4): one queue; every
 * device-writable buffer of a chain is filled from getrandom().
 */
#include <errno.h>
#include <sys/random.h>

#include "virtio.h"

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
	struct virtq_req *req = &t->req;
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
VIRTIO_DEVICE_REGISTER(virtio_rng_dev_ops)
