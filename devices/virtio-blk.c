// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk (virtio 1.2, 5.2) over a raw file: IN, OUT, FLUSH (fsync) and
 * GET_ID; capacity in the configuration space; a read-only disk offers
 * VIRTIO_BLK_F_RO and fails OUT with IOERR.  Requests are checked against
 * the disk's size (whole 512-byte sectors) before any I/O.
 *
 * A request is a header (type, reserved, sector: 16 bytes) in the readable
 * part of the chain, data, and a status byte: the last writable byte.  With
 * VERSION_1 the split into descriptors is free, so both are gathered as
 * byte streams (virtq_copy_from/to).
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../vmm/vmm.h"
#include "device.h"
#include "virtio.h"

struct virtio_blk {
	int fd;
	uint64_t size;			/* bytes, whole sectors */
	bool ro;
	char id[VIRTIO_BLK_ID_BYTES];
};

struct virtio_blk *virtio_blk_new(int fd, uint64_t size, bool ro, const char *id)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->fd = fd;
	b->size = size & ~(uint64_t)(VIRTIO_BLK_SECTOR - 1);
	b->ro = ro;
	if (id)		/* not NUL-terminated when 20 long (5.2.6) */
		memcpy(b->id, id, strnlen(id, sizeof(b->id)));
	return b;
}

void virtio_blk_free(struct virtio_blk *b)
{
	free(b);
}

void virtio_blk_attach(struct virtio_mmio *t, struct virtio_blk *b)
{
	uint64_t cap = htole64(b->size / VIRTIO_BLK_SECTOR);

	t->priv = b;
	if (b->ro)
		t->device_features |= 1ULL << VIRTIO_BLK_F_RO;
	memset(t->config, 0, sizeof(t->config));
	memcpy(t->config, &cap, sizeof(cap));	/* struct virtio_blk_config.capacity */
	t->config_len = 8;
}

/* Readable data after the header, or writable data before the status byte. */
static size_t stream_len(const struct virtq_req *req, bool write)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < req->n; i++)
		if (req->buf[i].write == write)
			n += req->buf[i].len;
	return n;
}

/*
 * I/O between the file at @pos and the chain's data bytes [@off, @off+@len)
 * of the readable (OUT) or writable (IN) stream.
 */
static int blk_io(struct virtio_blk *b, const struct virtq_req *req, bool in, size_t off,
		  size_t len, uint64_t pos)
{
	unsigned int i;

	for (i = 0; i < req->n && len; i++) {
		const struct virtq_buf *buf = &req->buf[i];
		size_t n, done = 0;
		ssize_t r;

		if (buf->write != in)
			continue;
		if (off >= buf->len) {
			off -= buf->len;
			continue;
		}
		n = buf->len - off;
		if (n > len)
			n = len;
		while (done < n) {
			if (in)
				r = pread(b->fd, buf->addr + off + done, n - done, (off_t)(pos + done));
			else
				r = pwrite(b->fd, buf->addr + off + done, n - done, (off_t)(pos + done));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return -1;
			if (!r) {	/* the file shrank: reads see zeroes */
				if (!in)
					return -1;
				memset(buf->addr + off + done, 0, n - done);
				break;
			}
			done += (size_t)r;
		}
		pos += n;
		len -= n;
		off = 0;
	}
	return 0;
}

/* One request; returns the bytes written into the chain (status included). */
static uint32_t blk_request(struct virtio_blk *b, const struct virtq_req *req)
{
	uint8_t hdr[16], status = VIRTIO_BLK_S_IOERR;
	size_t rd = stream_len(req, false), wr = stream_len(req, true), len, written = 0;
	uint32_t type;
	uint64_t sector, pos;

	if (!wr)
		return 0;		/* nowhere to put a status: nothing to say */
	if (virtq_copy_from(req, 0, hdr, sizeof(hdr)) != sizeof(hdr))
		goto out;
	memcpy(&type, hdr, 4);
	memcpy(&sector, hdr + 8, 8);
	type = le32toh(type);
	sector = le64toh(sector);

	switch (type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		len = type == VIRTIO_BLK_T_IN ? wr - 1 : rd - sizeof(hdr);
		if (type == VIRTIO_BLK_T_OUT && b->ro)
			break;
		/* whole sectors, inside the disk (no overflow: sector is checked first) */
		if (len % VIRTIO_BLK_SECTOR || sector > b->size / VIRTIO_BLK_SECTOR ||
		    len > b->size - sector * VIRTIO_BLK_SECTOR)
			break;
		pos = sector * VIRTIO_BLK_SECTOR;
		if (blk_io(b, req, type == VIRTIO_BLK_T_IN, type == VIRTIO_BLK_T_IN ? 0 :
			   sizeof(hdr), len, pos) < 0)
			break;
		if (type == VIRTIO_BLK_T_IN)
			written = len;
		status = VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (!fsync(b->fd))
			status = VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_GET_ID:
		len = wr - 1 < VIRTIO_BLK_ID_BYTES ? wr - 1 : VIRTIO_BLK_ID_BYTES;
		written = virtq_copy_to(req, 0, b->id, len);
		status = VIRTIO_BLK_S_OK;
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
	}
out:
	virtq_copy_to(req, wr - 1, &status, 1);
	return (uint32_t)(written + 1);
}

static void blk_notify(struct virtio_mmio *t, unsigned int q)
{
	struct virtio_blk *b = t->priv;
	int r;

	while ((r = virtq_pop(t, q, &t->req)) > 0)
		virtq_push(t, q, t->req.head, blk_request(b, &t->req));
}


/* ---- on the VM's bus: --disk number dev->region->arg --------------------- */

static int blk_setup(struct virtio_mmio *t, struct device *dev)
{
	struct vm *vm = dev->vm;
	unsigned int i = (unsigned int)dev->region->arg;
	char id[VIRTIO_BLK_ID_BYTES + 1];
	struct virtio_blk *b;

	if (i >= vm->cfg->nr_disks || vm->disk_fd[i] < 0)
		return -EINVAL;
	snprintf(id, sizeof(id), "vmm-disk%u", i);
	b = virtio_blk_new(vm->disk_fd[i], vm->disk_size[i], vm->cfg->disks[i].ro, id);
	if (!b)
		return -ENOMEM;
	virtio_blk_attach(t, b);
	pr_debug("%s: --disk %.*s%s, %" PRIu64 " sectors\n", dev->region->name,
		 vm->cfg->disks[i].path_len, vm->cfg->disks[i].path, vm->cfg->disks[i].ro ? " (read-only)" : "",
		 vm->disk_size[i] / VIRTIO_BLK_SECTOR);
	return 0;
}

static void blk_teardown(struct virtio_mmio *t)
{
	virtio_blk_free(t->priv);
}

const struct virtio_dev_ops virtio_blk_dev_ops = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.features = 1ULL << VIRTIO_BLK_F_FLUSH,
	.notify = blk_notify,
	.setup = blk_setup,
	.teardown = blk_teardown,
};
VIRTIO_DEVICE_REGISTER(virtio_blk_dev_ops)
