// SPDX-License-Identifier: GPL-2.0
/*
 * --network mode=tap,tapif=NAME: frames to and from a host tap interface
 * (Documentation/networking/tuntap.rst), IFF_TAP | IFF_NO_PI, and
 * IFF_VNET_HDR where the kernel has it: every frame then carries the
 * 12-byte struct virtio_net_hdr (TUNSETVNETHDRSZ), the guest's passed to
 * the tap and the tap's to the guest, so checksums and TCP segmentation
 * are the host kernel's both ways.  The tap takes any GSO frame written to
 * it (HOST_TSO4/TSO6/ECN); what it may give (GUEST_TSO4/TSO6/ECN) is
 * probed with TUNSETOFFLOAD at start, then set to what the driver took
 * each time it takes features (and to none at a reset), as QEMU does.  A
 * reader thread moves what the tap gives into the device's receive queue;
 * while that is full it stops reading, so the host's tap queue holds the
 * rest.  Writes to the tap are non-blocking: a frame the tap cannot take
 * now is dropped, as a wire would.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "../vmm/vmm.h"
#include "net.h"
#include "virtio.h"

struct net_tap {
	struct net_backend nb;
	struct virtio_net *n;
	int fd;
	int stop_fd;		/* an eventfd: the thread ends */
	pthread_t thread;
	unsigned int offloads;		/* TUN_F_* the tap took at the last TUNSETOFFLOAD */
	uint8_t buf[VIRTIO_NET_HDR_SIZE + NET_FRAME_MAX];
};

/* the guest's receive offloads and the tap's flags for them */
static const struct {
	unsigned int feature, tun;
} tap_offloads[] = {
	{ VIRTIO_NET_F_GUEST_CSUM, TUN_F_CSUM },
	{ VIRTIO_NET_F_GUEST_TSO4, TUN_F_TSO4 },
	{ VIRTIO_NET_F_GUEST_TSO6, TUN_F_TSO6 },
	{ VIRTIO_NET_F_GUEST_ECN, TUN_F_TSO_ECN },
};

int net_tap_open(const char *name)
{
	struct ifreq ifr;
	unsigned int features = 0;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		pr_err("--network mode=tap: /dev/net/tun: %s%s\n", strerror(errno),
		       errno == EACCES ? " (a tap needs read-write access to /dev/net/tun; "
		       "or use --network mode=user, which needs no privilege)" : "");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	/* the vnet header where the kernel has it (since 2.6.27) */
	if (ioctl(fd, TUNGETFEATURES, &features) == 0 && (features & IFF_VNET_HDR))
		ifr.ifr_flags |= IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;

		close(fd);
		if (e == EPERM)
			pr_err("--network mode=tap,tapif=%s: not permitted: creating a tap needs "
			       "CAP_NET_ADMIN, using one needs it to be yours (as root: ip tuntap "
			       "add %s mode tap user $USER)\n", name, name);
		else if (e == EBUSY)
			pr_err("--network mode=tap,tapif=%s: in use, or a tun (not tap) "
			       "interface\n", name);
		else
			pr_err("--network mode=tap,tapif=%s: TUNSETIFF: %s\n", name, strerror(e));
		return -1;
	}
	pr_debug("--network: tap %s\n", ifr.ifr_name);
	return fd;
}

static void tap_send(struct net_backend *nb, const uint8_t *hdr, const void *frame, size_t len)
{
	struct net_tap *tp = (struct net_tap *)nb;
	struct iovec iov[2] = {
		{ .iov_base = (void *)hdr, .iov_len = VIRTIO_NET_HDR_SIZE },
		{ .iov_base = (void *)frame, .iov_len = len },
	};
	unsigned int i = tp->nb.vnet_hdr ? 0 : 1;

	/* EINVAL: a header the tap's kernel refuses (virtio_net_hdr_to_skb) */
	if (writev(tp->fd, iov + i, 2 - (int)i) < 0 && errno != EAGAIN)
		pr_warn_rl("--network mode=tap: write: %s\n", strerror(errno));
}

/* The tap's TUN_F_* for the driver's @feat (only offloads offered). */
static unsigned int tun_flags(const struct net_tap *tp, uint64_t feat)
{
	unsigned int i, flags = 0;

	feat &= tp->nb.features;
	for (i = 0; i < sizeof(tap_offloads) / sizeof(tap_offloads[0]); i++)
		if (feat & (1ULL << tap_offloads[i].feature))
			flags |= tap_offloads[i].tun;
	/* TSO needs the checksum offload (5.1.3.1; tun refuses it otherwise) */
	return flags & TUN_F_CSUM ? flags : 0;
}

static void tap_set_offloads(struct net_backend *nb, uint64_t driver_features)
{
	struct net_tap *tp = (struct net_tap *)nb;
	unsigned int flags = tun_flags(tp, driver_features);

	if (flags == tp->offloads)
		return;
	if (ioctl(tp->fd, TUNSETOFFLOAD, (unsigned long)flags) < 0) {
		pr_warn_rl("--network mode=tap: TUNSETOFFLOAD %#x: %s\n", flags, strerror(errno));
		return;
	}
	tp->offloads = flags;
	pr_debug("--network mode=tap: offloads to the guest %#x (TUN_F_*)\n", flags);
}

/*
 * With the vnet header: its size, and the offloads the tap takes (each
 * tried with the ones before, as tun's set_offload wants TUN_F_CSUM under
 * the others), offered as the guest's; the tap then gives none until the
 * driver takes some.  0, or -1 with a message printed.
 */
static int tap_probe(struct net_tap *tp)
{
	int hdr_size = VIRTIO_NET_HDR_SIZE;
	unsigned int i, flags = 0;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(tp->fd, TUNGETIFF, &ifr) < 0 || !(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	if (ioctl(tp->fd, TUNSETVNETHDRSZ, &hdr_size) < 0) {
		pr_err("--network mode=tap: TUNSETVNETHDRSZ %d: %s\n", hdr_size, strerror(errno));
		return -1;
	}
	tp->nb.vnet_hdr = true;
	/* the tap takes the checksum offload and GSO of any kind written to it */
	tp->nb.features = (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) |
			  (1ULL << VIRTIO_NET_F_HOST_ECN);
	for (i = 0; i < sizeof(tap_offloads) / sizeof(tap_offloads[0]); i++) {
		if (ioctl(tp->fd, TUNSETOFFLOAD, (unsigned long)(flags | tap_offloads[i].tun)) < 0)
			continue;
		flags |= tap_offloads[i].tun;
		tp->nb.features |= 1ULL << tap_offloads[i].feature;
	}
	if (ioctl(tp->fd, TUNSETOFFLOAD, 0UL) < 0) {
		pr_err("--network mode=tap: TUNSETOFFLOAD 0: %s\n", strerror(errno));
		return -1;
	}
	tp->offloads = 0;
	pr_debug("--network mode=tap: vnet header, the tap takes TUN_F_* %#x\n", flags);
	return 0;
}

static void *tap_thread(void *arg)
{
	struct net_tap *tp = arg;
	struct pollfd pfd[2] = {
		{ .fd = tp->fd, .events = POLLIN }, { .fd = tp->stop_fd, .events = POLLIN },
	};
	ssize_t r;

	for (;;) {
		if (!virtio_net_rx_wait_room(tp->n, 100)) {
			if (poll(&pfd[1], 1, 0) > 0)
				break;
			continue;
		}
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & POLLIN)) {
			if (pfd[0].revents & (POLLERR | POLLHUP)) {
				pr_err("--network mode=tap: the tap went away\n");
				break;
			}
			continue;
		}
		while ((r = read(tp->fd, tp->buf, sizeof(tp->buf))) > 0) {
			if (!tp->nb.vnet_hdr) {
				if (!virtio_net_rx_queue(tp->n, tp->buf, (size_t)r))
					break;
			} else if (r > VIRTIO_NET_HDR_SIZE &&
				   !virtio_net_rx_queue_hdr(tp->n, tp->buf, tp->buf + VIRTIO_NET_HDR_SIZE,
							    (size_t)r - VIRTIO_NET_HDR_SIZE)) {
				break;
			}
		}
		virtio_net_rx_flush(tp->n);
	}
	return NULL;
}

static void tap_free(struct net_backend *nb)
{
	struct net_tap *tp = (struct net_tap *)nb;
	uint64_t one = 1;

	if (write(tp->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(tp->thread, NULL);
	/*
	 * the offloads outlive the descriptor on a persistent tap: the next
	 * reader without a vnet header would get GSO frames it cannot take
	 */
	if (tp->offloads && ioctl(tp->fd, TUNSETOFFLOAD, 0UL) < 0)
		pr_warn("--network mode=tap: TUNSETOFFLOAD 0: %s\n", strerror(errno));
	close(tp->stop_fd);
	close(tp->fd);
	free(tp);
}

struct net_backend *net_tap_new(const struct vmm_net *cfg, int tap_fd, struct virtio_net *n)
{
	struct net_tap *tp = calloc(1, sizeof(*tp));
	int ret;

	if (!tp || tap_fd < 0) {
		free(tp);
		return NULL;
	}
	tp->nb.send = tap_send;
	tp->nb.set_offloads = tap_set_offloads;
	tp->nb.free = tap_free;
	tp->n = n;
	tp->fd = tap_fd;
	if (tap_probe(tp) < 0) {
		free(tp);
		return NULL;
	}
	tp->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (tp->stop_fd < 0) {
		pr_err("--network mode=tap: eventfd: %s\n", strerror(errno));
		free(tp);
		return NULL;
	}
	ret = pthread_create(&tp->thread, NULL, tap_thread, tp);
	if (ret) {
		pr_err("--network mode=tap: cannot start its thread: %s\n", strerror(ret));
		close(tp->stop_fd);
		free(tp);
		return NULL;
	}
	return &tp->nb;
}
