// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-9p (virtio 1.2, 5.11): one request queue whose chains carry a 9P
 * message in their readable part and room for the reply in their writable
 * part, served by devices/p9-server.c; the mount tag in the configuration
 * space (VIRTIO_9P_MOUNT_TAG).  The Linux client's zero-copy reads and
 * writes put the data right after the header in the same chain, so both
 * parts are simply byte streams (virtq_copy_from/to).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../vmm/vmm.h"
#include "device.h"
#include "p9-server.h"
#include "virtio.h"

_Static_assert(VIRTIO_9P_TAG_MAX == VIRTIO_9P_TAG_MAX_BYTES, "one bound for --9p tags");

struct virtio_9p {
	struct p9_server *srv;
	uint8_t *req, *rsp;		/* P9_MSIZE_MAX each */
	char tag[VIRTIO_9P_TAG_MAX + 1];
};

struct virtio_9p *virtio_9p_new(int dir_fd, bool ro, const char *tag)
{
	struct virtio_9p *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->srv = p9_server_new(dir_fd, ro);
	p->req = malloc(P9_MSIZE_MAX);
	p->rsp = malloc(P9_MSIZE_MAX);
	if (!p->srv || !p->req || !p->rsp) {
		virtio_9p_free(p);
		return NULL;
	}
	snprintf(p->tag, sizeof(p->tag), "%s", tag);
	return p;
}

void virtio_9p_free(struct virtio_9p *p)
{
	if (!p)
		return;
	p9_server_free(p->srv);
	free(p->req);
	free(p->rsp);
	free(p);
}

void virtio_9p_attach(struct virtio_mmio *t, struct virtio_9p *p)
{
	size_t n = strlen(p->tag);

	t->priv = p;
	memset(t->config, 0, sizeof(t->config));
	/* struct virtio_9p_config: tag_len (le16), then the tag, no NUL */
	t->config[0] = (uint8_t)n;
	t->config[1] = (uint8_t)(n >> 8);
	memcpy(t->config + 2, p->tag, n);
	t->config_len = (unsigned int)(2 + n);
}

static size_t stream_len(const struct virtq_req *req, bool write)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < req->n; i++)
		if (req->buf[i].write == write)
			n += req->buf[i].len;
	return n;
}

static void p9_notify(struct virtio_mmio *t, unsigned int q)
{
	struct virtio_9p *p = t->priv;
	size_t in, wr, out;

	while (virtq_pop(t, q, &t->req) > 0) {
		/* a message longer than the buffer is cut: its size field then
		 * exceeds what the server sees, and it answers Rlerror */
		in = virtq_copy_from(&t->req, 0, p->req, P9_MSIZE_MAX);
		wr = stream_len(&t->req, true);
		out = p9_server_handle(p->srv, p->req, in, p->rsp,
				       wr < P9_MSIZE_MAX ? wr : P9_MSIZE_MAX);
		virtq_push(t, q, t->req.head, (uint32_t)virtq_copy_to(&t->req, 0, p->rsp, out));
	}
}

/* A reset forgets every fid: the driver starts over with Tversion. */
static void p9_reset(struct virtio_mmio *t)
{
	struct virtio_9p *p = t->priv;

	if (p)
		p9_server_reset(p->srv);
}

/* ---- on the VM's bus: --9p number dev->region->arg ------------------------ */

/* Fids hold descriptors: let the guest have as many as the hard limit allows. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int p9_setup(struct virtio_mmio *t, struct device *dev)
{
	struct vm *vm = dev->vm;
	unsigned int i = (unsigned int)dev->region->arg;
	const struct vmm_9p *c;
	struct virtio_9p *p;
	char path[PATH_MAX];
	int fd;

	if (i >= vm->cfg->nr_9p)
		return -EINVAL;
	c = &vm->cfg->p9[i];
	snprintf(path, sizeof(path), "%.*s", c->dir_len, c->dir);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("--9p '%s': %s\n", path, strerror(errno));
		return -errno;
	}
	p = virtio_9p_new(fd, c->ro, c->tag);
	close(fd);
	if (!p)
		return -ENOMEM;
	raise_nofile();
	virtio_9p_attach(t, p);
	pr_debug("%s: --9p %s, tag %s%s\n", dev->region->name, path, c->tag,
		 c->ro ? " (read-only)" : "");
	return 0;
}

static void p9_teardown(struct virtio_mmio *t)
{
	virtio_9p_free(t->priv);
}

const struct virtio_dev_ops virtio_9p_dev_ops = {
	.name = "virtio-9p",
	.device_id = VIRTIO_ID_9P,
	.num_queues = 1,
	.features = 1ULL << VIRTIO_9P_MOUNT_TAG,
	.notify = p9_notify,
	.reset = p9_reset,
	.setup = p9_setup,
	.teardown = p9_teardown,
};
VIRTIO_DEVICE_REGISTER(virtio_9p_dev_ops)
