/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-mmio transport (virtio 1.x, "modern" only: Version 2) and split
 * virtqueues, apart from their wiring into the VM so that tests can drive
 * them over a fake guest RAM buffer.
 *
 * Safety: every guest-physical address and length that comes from the
 * driver (queue addresses, descriptors) goes through virtio_gpa(), which
 * returns NULL unless every byte is inside guest RAM.  A malformed queue or
 * chain puts the device in DEVICE_NEEDS_RESET instead of touching anything.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

/* registers (virtio 1.2, 4.2.2) */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC		0x74726976	/* "virt" */
#define VIRTIO_MMIO_VENDOR		0x4d4d5600	/* "\0VMM" */
#define VIRTIO_MMIO_SIZE		0x200		/* one slot of the map */

#define VIRTIO_MMIO_INT_VRING		0x1
#define VIRTIO_MMIO_INT_CONFIG		0x2

/* device status */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_INDIRECT_DESC		28	/* not offered */

#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2
#define VIRTQ_DESC_F_INDIRECT		4

#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_RNG			4
#define VIRTIO_ID_9P			9

#define VIRTQ_NUM_MAX			256	/* QueueNumMax of every queue */
#define VIRTIO_MAX_QUEUES		2
#define VIRTIO_CONFIG_MAX		64

struct virtio_mmio;

/* One buffer of a chain: a checked host pointer into guest RAM. */
struct virtq_buf {
	uint8_t *addr;
	uint32_t len;
	bool write;		/* device-writable */
};

/* A chain popped from the available ring. */
struct virtq_req {
	uint16_t head;
	unsigned int n;
	struct virtq_buf buf[VIRTQ_NUM_MAX];
};

struct virtq {
	uint32_t num;			/* QueueNum (0: not set) */
	bool ready;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/* checked host pointers, valid while ready */
	uint8_t *desc, *avail, *used;
	uint16_t last_avail;
	uint16_t used_idx;
};

/*
 * A virtio device: its semantics (the callbacks) and a small descriptor.
 * VIRTIO_DEVICE_REGISTER() puts it on the VM's bus; the transport does the
 * rest (registers, rings, interrupt line, DT node, console input).
 */
struct virtio_dev_ops {
	const char *name;		/* the memory map's device name, for messages */
	uint32_t device_id;
	unsigned int num_queues;
	/* device-specific feature bits (the transport adds VIRTIO_F_VERSION_1) */
	uint64_t features;
	/* a notification of queue @q: pop chains, push them (lock held) */
	void (*notify)(struct virtio_mmio *t, unsigned int q);
	/* the device was reset (lock held); may be NULL */
	void (*reset)(struct virtio_mmio *t);
	/* the driver's features were accepted (FEATURES_OK set; lock held); may be NULL */
	void (*features_ok)(struct virtio_mmio *t);

	/* ---- on the VM's bus; each may be NULL ---- */
	/*
	 * Make the device's state for @dev (dev->region->arg: which one of
	 * its kind) into t->priv and its configuration space: 0 or -errno.
	 */
	int (*setup)(struct virtio_mmio *t, struct device *dev);
	/* free what setup made */
	void (*teardown)(struct virtio_mmio *t);
	/* console input for a device that takes it (all or none; false: not now) */
	bool (*input)(struct virtio_mmio *t, const uint8_t *buf, size_t len);
};

struct virtio_mmio {
	pthread_mutex_t lock;		/* vCPU threads access it concurrently */
	const struct virtio_dev_ops *ops;
	void *priv;			/* the device's */
	/* guest RAM */
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	/* interrupt line (level) */
	void (*irq)(void *ctx, int level);
	void *irq_ctx;
	int irq_level;
	/*
	 * A transport that signals each queue on its own (virtio-pci's MSI-X):
	 * called with @irq_ctx, instead of driving the line, when the device
	 * used buffers of queue @q or changed its configuration (@q = -1),
	 * ISR already set (lock held).  NULL: the line follows ISR.
	 */
	void (*signal)(void *ctx, int q);

	/* registers */
	uint64_t device_features;	/* ops->features, VERSION_1, per-device bits */
	uint32_t status;
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t isr;
	uint32_t config_generation;
	uint8_t config[VIRTIO_CONFIG_MAX];
	unsigned int config_len;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	bool pushed;			/* used buffers added in this notify */
	/* the chain a device is serving (lock held); large: not on a stack */
	struct virtq_req req;
};

void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_dev_ops *ops, void *priv,
		      uint8_t *ram, uint64_t ram_base, uint64_t ram_size,
		      void (*irq)(void *, int), void *irq_ctx);
void virtio_mmio_destroy(struct virtio_mmio *t);
uint64_t virtio_mmio_read(struct virtio_mmio *t, uint64_t off, unsigned int len);
void virtio_mmio_write(struct virtio_mmio *t, uint64_t off, unsigned int len, uint64_t val);

/*
 * For a transport (virtio-pci), lock held: the interrupt line from ISR; a
 * reset (status 0); a status write (FEATURES_OK checked); make a queue ready
 * (its size and areas checked: DEVICE_NEEDS_RESET when bad).
 */
void virtio_update_irq(struct virtio_mmio *t);
void virtio_reset(struct virtio_mmio *t);
void virtio_write_status(struct virtio_mmio *t, uint32_t val);
void virtio_queue_enable(struct virtio_mmio *t, struct virtq *vq);

/*
 * The one translation of a guest-physical range: a host pointer to
 * [gpa, gpa + len) when every byte is in guest RAM (overflow-safe), else NULL.
 */
void *virtio_gpa(const struct virtio_mmio *t, uint64_t gpa, uint64_t len);

/*
 * For devices, lock held: take the next chain of @q into @req.  1: one was
 * taken; 0: the ring is empty; -1: the ring or the chain is malformed (the
 * device is now in NEEDS_RESET and processes nothing until reset).
 */
int virtq_pop(struct virtio_mmio *t, unsigned int q, struct virtq_req *req);
/* the driver's avail idx of a ready queue (0 if not ready), for reports */
uint16_t virtq_avail_idx(const struct virtq *vq);
/* Return chain @head with @written bytes written to the used ring. */
void virtq_push(struct virtio_mmio *t, unsigned int q, uint16_t head, uint32_t written);
/*
 * Return @n chains at once: the driver sees all of them or none (one used
 * index update), as a frame over several receive chains needs.
 */
void virtq_push_n(struct virtio_mmio *t, unsigned int q, const uint16_t *head,
		  const uint32_t *written, unsigned int n);
/* Give back the last @n chains popped from @q, unused: the next pops take them again. */
void virtq_unpop(struct virtio_mmio *t, unsigned int q, unsigned int n);
/* Put the device in DEVICE_NEEDS_RESET (and tell the driver). */
void virtio_needs_reset(struct virtio_mmio *t, const char *why);
/*
 * For devices, lock held: process queue @q as a driver notification would
 * (when the queue is ready, DRIVER_OK, no NEEDS_RESET), and interrupt the
 * driver if buffers were used.  For work that starts in the device (input).
 */
void virtio_mmio_device_notify(struct virtio_mmio *t, unsigned int q);

/*
 * Copy between a chain's buffers (readable ones for _from, writable ones for
 * _to), seen as one byte stream, at @off.  Return the bytes copied.
 */
size_t virtq_copy_from(const struct virtq_req *req, size_t off, void *dst, size_t len);
size_t virtq_copy_to(const struct virtq_req *req, size_t off, const void *src, size_t len);

/*
 * Put the virtio device @vops on the VM's bus under its name: a device_ops
 * (@bus, filled here) whose instances are a transport each, set up by
 * vops->setup.  Use VIRTIO_DEVICE_REGISTER(vops) at the end of a device.
 */
void virtio_device_register(struct device_ops *bus, const struct virtio_dev_ops *vops);

#define VIRTIO_DEVICE_REGISTER(vops)					\
	static struct device_ops vops##_bus;				\
	static void __attribute__((constructor)) register_##vops(void)	\
	{								\
		virtio_device_register(&vops##_bus, &vops);		\
	}

/* ---- the devices, apart from the VM (tests drive them on a fake RAM) ----- */

/* virtio-blk over an open raw file of @size bytes */
struct virtio_blk;
struct virtio_blk *virtio_blk_new(int fd, uint64_t size, bool ro, const char *id);
void virtio_blk_free(struct virtio_blk *b);
extern const struct virtio_dev_ops virtio_blk_dev_ops;
/* set up t->config and the features of @b (after virtio_mmio_init) */
void virtio_blk_attach(struct virtio_mmio *t, struct virtio_blk *b);

#define VIRTIO_BLK_F_RO			5
#define VIRTIO_BLK_F_FLUSH		9
#define VIRTIO_BLK_T_IN			0
#define VIRTIO_BLK_T_OUT		1
#define VIRTIO_BLK_T_FLUSH		4
#define VIRTIO_BLK_T_GET_ID		8
#define VIRTIO_BLK_S_OK			0
#define VIRTIO_BLK_S_IOERR		1
#define VIRTIO_BLK_S_UNSUPP		2
#define VIRTIO_BLK_ID_BYTES		20
#define VIRTIO_BLK_SECTOR		512

extern const struct virtio_dev_ops virtio_rng_dev_ops;

/*
 * virtio-console, port 0 only: transmitq output goes to @out; input is
 * queued with virtio_console_input() (at most VIRTIO_CONSOLE_PENDING bytes
 * wait for receiveq buffers).  t->priv is the struct virtio_console.
 */
#define VIRTIO_CONSOLE_PENDING		256
struct virtio_console;
struct virtio_console *virtio_console_new(void (*out)(void *ctx, const void *buf, size_t len),
					  void *out_ctx);
void virtio_console_free(struct virtio_console *c);
extern const struct virtio_dev_ops virtio_console_dev_ops;
/* set up t->config (after virtio_mmio_init) */
void virtio_console_attach(struct virtio_mmio *t, struct virtio_console *c);
/* Take @len bytes of input (all or none: false when the pending buffer is full). */
bool virtio_console_input(struct virtio_mmio *t, const uint8_t *buf, size_t len);

/*
 * virtio-9p over the host directory @dir_fd (dup'ed) with mount tag @tag
 * (at most VIRTIO_9P_TAG_MAX bytes); t->priv is the struct virtio_9p.
 */
#define VIRTIO_9P_MOUNT_TAG		0
#define VIRTIO_9P_TAG_MAX		32	/* kvmtool's */
struct virtio_9p;
struct virtio_9p *virtio_9p_new(int dir_fd, bool ro, const char *tag);
void virtio_9p_free(struct virtio_9p *p);
extern const struct virtio_dev_ops virtio_9p_dev_ops;
/* set up t->config (after virtio_mmio_init) */
void virtio_9p_attach(struct virtio_mmio *t, struct virtio_9p *p);

/*
 * virtio-net, one receiveq/transmitq pair (devices/net.h: its backends).
 * t->priv is the struct virtio_net.
 */
#define VIRTIO_NET_F_CSUM		0	/* the device completes checksums */
#define VIRTIO_NET_F_GUEST_CSUM		1	/* the driver takes DATA_VALID */
#define VIRTIO_NET_F_MAC		5
#define VIRTIO_NET_F_GUEST_TSO4		7	/* the driver takes TCPv4 GSO frames */
#define VIRTIO_NET_F_GUEST_TSO6		8	/* ... TCPv6 GSO frames */
#define VIRTIO_NET_F_GUEST_ECN		9	/* ... GSO frames with ECN (CWR) */
#define VIRTIO_NET_F_HOST_TSO4		11	/* the device takes TCPv4 GSO frames */
#define VIRTIO_NET_F_HOST_TSO6		12	/* ... TCPv6 GSO frames */
#define VIRTIO_NET_F_HOST_ECN		13	/* ... GSO frames with ECN (CWR) */
#define VIRTIO_NET_F_MRG_RXBUF		15	/* a received frame may span receive chains */
#define VIRTIO_NET_F_STATUS		16
#define VIRTIO_NET_S_LINK_UP		1
#define VIRTIO_NET_HDR_SIZE		12	/* struct virtio_net_hdr, VERSION_1 */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1
#define VIRTIO_NET_HDR_GSO_TCPV6	4
#define VIRTIO_NET_HDR_GSO_ECN		0x80
struct virtio_net;
struct net_backend;
struct virtio_net *virtio_net_new(const uint8_t mac[6]);
/* the backend the frames go to (its features offered); virtio_net_free frees it */
void virtio_net_set_backend(struct virtio_net *n, struct net_backend *nb);
void virtio_net_free(struct virtio_net *n);
extern const struct virtio_dev_ops virtio_net_dev_ops;
/* set up t->config and the features (after virtio_mmio_init; the backend's, before or after) */
void virtio_net_attach(struct virtio_mmio *t, struct virtio_net *n);

#endif
