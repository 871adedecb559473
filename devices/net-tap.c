// SPDX-License-Identifier: GPL-2.0
/*
 * --network mode=tap,tapif=NAME: frames to and from a host tap interface
 * (Documentation/networking/tuntap.rst), IFF_TAP | IFF_NO_PI, no vnet
 * header (the device offers no offloads).  A reader thread moves what the
 * tap gives into the device's receive queue; while that is full it stops
 * reading, so the host's tap queue holds the rest.  Writes to the tap are
 * non-blocking: a frame the tap cannot take now is dropped, as a wire would.
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

#include "../vmm/vmm.h"
#include "net.h"

struct net_tap {
	struct net_backend nb;
	struct virtio_net *n;
	int fd;
	int stop_fd;		/* an eventfd: the thread ends */
	pthread_t thread;
	uint8_t buf[NET_FRAME_MAX];
};

int net_tap_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		pr_err("--network mode=tap: /dev/net/tun: %s%s\n", strerror(errno),
		       errno == EACCES ? " (a tap needs read-write access to /dev/net/tun; "
		       "or use --network mode=user, which needs no privilege)" : "");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
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

static void tap_send(struct net_backend *nb, const void *frame, size_t len)
{
	struct net_tap *tp = (struct net_tap *)nb;

	if (write(tp->fd, frame, len) < 0 && errno != EAGAIN)
		pr_warn_rl("--network mode=tap: write: %s\n", strerror(errno));
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
		while ((r = read(tp->fd, tp->buf, sizeof(tp->buf))) > 0)
			if (!virtio_net_rx_queue(tp->n, tp->buf, (size_t)r))
				break;
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
	tp->nb.free = tap_free;
	tp->n = n;
	tp->fd = tap_fd;
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
