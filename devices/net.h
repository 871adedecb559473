/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a virtio-net device connects to (--network): a backend that takes
 * the guest's Ethernet frames and gives it frames back.  mode=user is
 * libslirp (net-user.c), mode=tap a host tap interface (net-tap.c).
 *
 * Locking, the one rule: a backend hands frames to the guest with
 * virtio_net_rx_queue() (any thread, any lock held: it takes only the
 * queue's own lock), then calls virtio_net_rx_flush() holding none of its
 * own locks (it takes the transport's).  The device calls ->send on a vCPU
 * thread with the transport's lock held, so a backend lock is always taken
 * after the transport's, never before.
 */
#ifndef VMM_NET_H
#define VMM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct virtio_net;
struct vmm_net;

/* the longest frame either way (an MTU of 1500 needs 1514; a TSO segment more) */
#define NET_FRAME_MAX		65536

struct net_backend {
	/*
	 * the VIRTIO_NET_F_* offloads the backend brings, offered with the
	 * device's own: libslirp takes a TCP segment longer than the MTU, up to
	 * NET_FRAME_MAX, as one IPv4 packet (HOST_TSO4; vmm coalesces for
	 * GUEST_TSO4; for HOST_TSO6, vmm hands a backend without a vnet header
	 * the segments); a tap with a vnet header takes and gives what its
	 * kernel does (TUNSETOFFLOAD)
	 */
	uint64_t features;
	/*
	 * frames go both ways with their struct virtio_net_hdr, passed
	 * through (a tap with IFF_VNET_HDR): ->send gets the guest's, and the
	 * backend queues its frames with virtio_net_rx_queue_hdr()
	 */
	bool vnet_hdr;
	/* a frame from the guest (@hdr: its VIRTIO_NET_HDR_SIZE bytes); must not block */
	void (*send)(struct net_backend *nb, const uint8_t *hdr, const void *frame, size_t len);
	/*
	 * the driver's features @driver_features (0: reset): what the backend
	 * may give the guest from now on (transport lock held); may be NULL
	 */
	void (*set_offloads)(struct net_backend *nb, uint64_t driver_features);
	/* stop its thread and free it (no frame is queued after this) */
	void (*free)(struct net_backend *nb);
};

/*
 * Queue a frame for the guest: false when the queue is full (the frame is
 * dropped: TCP retransmits).  Safe from any thread.
 */
bool virtio_net_rx_queue(struct virtio_net *n, const void *frame, size_t len);
/*
 * The same with the frame's struct virtio_net_hdr (@hdr, VIRTIO_NET_HDR_SIZE
 * bytes, little-endian; num_buffers ignored), for a vnet_hdr backend: its
 * flags and GSO are the guest's when the driver took those offloads, else
 * the checksum is completed here or the frame dropped.
 */
bool virtio_net_rx_queue_hdr(struct virtio_net *n, const uint8_t *hdr, const void *frame,
			     size_t len);
/* Hand the queued frames to the guest's posted buffers (takes the transport's lock). */
void virtio_net_rx_flush(struct virtio_net *n);
/* Wait up to @ms for room in the queue: true when there is some. */
bool virtio_net_rx_wait_room(struct virtio_net *n, int ms);

/*
 * The backends.  NULL with a message printed on failure.  @tap_fd: the
 * open tap (vm.c opens it before privileges go).
 */
struct net_backend *net_user_new(const struct vmm_net *cfg, struct virtio_net *n);
struct net_backend *net_tap_new(const struct vmm_net *cfg, int tap_fd, struct virtio_net *n);
/* Open /dev/net/tun and attach or create the tap @name: an fd, or -1 (message printed). */
int net_tap_open(const char *name);

#endif
