// SPDX-License-Identifier: GPL-2.0
/*
 * --network mode=user: user-mode networking on libslirp, the TCP/IP stack
 * QEMU's -netdev user uses, with its defaults: the guest network
 * 10.0.2.0/24, the host (its loopback included) at 10.0.2.2, DNS at
 * 10.0.2.3, DHCP from 10.0.2.15; and IPv6 as QEMU's ipv6=on (its
 * default): the prefix fec0::/64 in slirp's router advertisements (the
 * guest takes an address by SLAAC), the host at fec0::2 (its ::1), DNS at
 * fec0::3.  hostfwd= forwards host ports to the guest.
 *
 * libslirp is not thread-safe: every call into it holds nu->lock.  The
 * vCPU thread that transmits calls slirp_input (transport lock, then
 * nu->lock); one poll thread waits on slirp's sockets and timers and runs
 * slirp_pollfds_poll and the expired timers.  Frames slirp emits go to
 * the device's receive queue (a leaf lock, net.h), and the poll thread
 * flushes them once it has let go of nu->lock.  A transmission that may
 * have made a socket wakes the poll thread (an eventfd) when it sleeps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vmm/vmm.h"
#include "net.h"
#include "virtio.h"

#ifdef HAVE_SLIRP
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/eventfd.h>

#include <slirp/libslirp.h>

struct slirp_timer {
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms;		/* -1: not armed */
	struct slirp_timer *next;
};

struct net_user {
	struct net_backend nb;
	struct virtio_net *n;
	pthread_mutex_t lock;		/* slirp's, and the timers' */
	Slirp *slirp;
	struct slirp_timer *timers;
	int wake_fd;			/* eventfd */
	atomic_bool sleeping;		/* the poll thread is (about to be) in poll() */
	atomic_bool stop;
	pthread_t thread;
	bool started;
	struct pollfd *pfd;		/* the poll thread's */
	unsigned int npfd, cap;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void wake(struct net_user *nu)
{
	uint64_t one = 1;

	if (write(nu->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		pr_warn_rl("--network mode=user: eventfd: %s\n", strerror(errno));
}

/* ---- libslirp's callbacks (nu->lock held) ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_user *nu = opaque;

	virtio_net_rx_queue(nu->n, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	pr_warn_rl("--network mode=user: the guest: %s\n", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	return now_ns();
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct net_user *nu = opaque;
	struct slirp_timer *tm = calloc(1, sizeof(*tm));

	if (!tm)
		return NULL;
	tm->id = id;
	tm->cb_opaque = cb_opaque;
	tm->expire_ms = -1;
	tm->next = nu->timers;
	nu->timers = tm;
	return tm;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_user *nu = opaque;
	struct slirp_timer **p;

	for (p = &nu->timers; *p; p = &(*p)->next)
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_timer *tm = timer;

	if (tm)
		tm->expire_ms = expire_ms;
}

static void cb_register_poll_fd(int fd, void *opaque)
{
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
}

static void cb_notify(void *opaque)
{
	wake(opaque);
}

static const SlirpCb callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

static short to_poll(int ev)
{
	return (short)(((ev & SLIRP_POLL_IN) ? POLLIN : 0) | ((ev & SLIRP_POLL_OUT) ? POLLOUT : 0) |
		       ((ev & SLIRP_POLL_PRI) ? POLLPRI : 0));
}

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct net_user *nu = opaque;
	struct pollfd *p;

	if (nu->npfd == nu->cap) {
		p = realloc(nu->pfd, (nu->cap * 2 + 16) * sizeof(*p));
		if (!p)
			return -1;	/* not polled this round */
		nu->pfd = p;
		nu->cap = nu->cap * 2 + 16;
	}
	nu->pfd[nu->npfd] = (struct pollfd){ .fd = fd, .events = to_poll(events) };
	return (int)nu->npfd++;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct net_user *nu = opaque;
	short r;

	if (idx < 1 || (unsigned int)idx >= nu->npfd)
		return 0;
	r = nu->pfd[idx].revents;
	return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
	       ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
	       ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

/* The expired timers, one at a time (a callback may change the list). */
static void run_timers(struct net_user *nu)
{
	int64_t now = now_ns() / 1000000;
	struct slirp_timer *tm;

again:
	for (tm = nu->timers; tm; tm = tm->next)
		if (tm->expire_ms >= 0 && tm->expire_ms <= now) {
			tm->expire_ms = -1;
			slirp_handle_timer(nu->slirp, tm->id, tm->cb_opaque);
			goto again;
		}
}

static uint32_t timers_timeout(struct net_user *nu, uint32_t timeout)
{
	int64_t now = now_ns() / 1000000;
	struct slirp_timer *tm;

	for (tm = nu->timers; tm; tm = tm->next)
		if (tm->expire_ms >= 0) {
			if (tm->expire_ms <= now)
				return 0;
			if (tm->expire_ms - now < timeout)
				timeout = (uint32_t)(tm->expire_ms - now);
		}
	return timeout;
}

static void *poll_thread(void *arg)
{
	struct net_user *nu = arg;
	uint32_t timeout;
	uint64_t v;
	int r;

	while (!atomic_load(&nu->stop)) {
		pthread_mutex_lock(&nu->lock);
		nu->npfd = 0;
		cb_add_poll(nu->wake_fd, SLIRP_POLL_IN, nu);
		timeout = 1000;
		slirp_pollfds_fill(nu->slirp, &timeout, cb_add_poll, nu);
		timeout = timers_timeout(nu, timeout);
		/* under the lock: a slirp_input after this sees it and wakes us */
		atomic_store(&nu->sleeping, true);
		pthread_mutex_unlock(&nu->lock);

		r = poll(nu->pfd, nu->npfd, (int)timeout);
		atomic_store(&nu->sleeping, false);
		if (r > 0 && nu->pfd[0].revents & POLLIN) {
			if (read(nu->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				break;
		}

		pthread_mutex_lock(&nu->lock);
		slirp_pollfds_poll(nu->slirp, r < 0, cb_get_revents, nu);
		run_timers(nu);
		pthread_mutex_unlock(&nu->lock);
		virtio_net_rx_flush(nu->n);
	}
	return NULL;
}

static void user_send(struct net_backend *nb, const uint8_t *hdr, const void *frame, size_t len)
{
	struct net_user *nu = (struct net_user *)nb;

	pthread_mutex_lock(&nu->lock);
	slirp_input(nu->slirp, frame, (int)len);
	pthread_mutex_unlock(&nu->lock);
	if (atomic_exchange(&nu->sleeping, false))
		wake(nu);
}

static void user_free(struct net_backend *nb)
{
	struct net_user *nu = (struct net_user *)nb;
	struct slirp_timer *tm;

	if (nu->started) {
		atomic_store(&nu->stop, true);
		wake(nu);
		pthread_join(nu->thread, NULL);
	}
	if (nu->slirp)
		slirp_cleanup(nu->slirp);
	while ((tm = nu->timers)) {
		nu->timers = tm->next;
		free(tm);
	}
	if (nu->wake_fd >= 0)
		close(nu->wake_fd);
	pthread_mutex_destroy(&nu->lock);
	free(nu->pfd);
	free(nu);
}

static int add_hostfwds(struct net_user *nu, const struct vmm_net *cfg)
{
	unsigned int i;
	char host[INET_ADDRSTRLEN];

	for (i = 0; i < cfg->nr_fwd; i++) {
		const struct vmm_hostfwd *f = &cfg->fwd[i];
		struct in_addr h = { .s_addr = f->host_addr ? f->host_addr : htonl(INADDR_LOOPBACK) };
		struct in_addr g = { .s_addr = f->guest_addr };

		if (slirp_add_hostfwd(nu->slirp, f->udp, h, f->host_port, g, f->guest_port) < 0) {
			inet_ntop(AF_INET, &h, host, sizeof(host));
			pr_err("--network hostfwd=%s:%s:%u: cannot listen there: %s\n",
			       f->udp ? "udp" : "tcp", host, f->host_port,
			       errno ? strerror(errno) : "in use?");
			return -1;
		}
	}
	return 0;
}

struct net_backend *net_user_new(const struct vmm_net *cfg, struct virtio_net *n)
{
	struct net_user *nu = calloc(1, sizeof(*nu));
	SlirpConfig sc = {
		.version = 4,
		.in_enabled = true,
		.vnetwork = { .s_addr = htonl(0x0a000200) },	/* 10.0.2.0 */
		.vnetmask = { .s_addr = htonl(0xffffff00) },
		.vhost = { .s_addr = htonl(0x0a000202) },	/* 10.0.2.2 */
		.vdhcp_start = { .s_addr = htonl(0x0a00020f) },	/* 10.0.2.15 */
		.vnameserver = { .s_addr = htonl(0x0a000203) },	/* 10.0.2.3 */
		.vhostname = "vmm",
		.in6_enabled = true,
		.vprefix_len = 64,
	};
	int ret;

	if (!nu)
		return NULL;
	/* fec0::, fec0::2, fec0::3 */
	sc.vprefix_addr6.s6_addr[0] = sc.vhost6.s6_addr[0] = sc.vnameserver6.s6_addr[0] = 0xfe;
	sc.vprefix_addr6.s6_addr[1] = sc.vhost6.s6_addr[1] = sc.vnameserver6.s6_addr[1] = 0xc0;
	sc.vhost6.s6_addr[15] = 2;
	sc.vnameserver6.s6_addr[15] = 3;
	/*
	 * slirp_input takes an IPv4 packet of any length (its TCP, up to the
	 * window); a TCPv6 one virtio-net.c segments first (slirp's IPv6 takes
	 * nothing beyond its MTU); vmm coalesces slirp's segments for the
	 * guest, IPv4's and IPv6's
	 */
	nu->nb.features = (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) |
			  (1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6);
	nu->nb.send = user_send;
	nu->nb.free = user_free;
	nu->n = n;
	pthread_mutex_init(&nu->lock, NULL);
	nu->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (nu->wake_fd < 0) {
		pr_err("--network mode=user: eventfd: %s\n", strerror(errno));
		goto fail;
	}
	nu->slirp = slirp_new(&sc, &callbacks, nu);
	if (!nu->slirp) {
		pr_err("--network mode=user: libslirp %s would not start\n",
		       slirp_version_string());
		goto fail;
	}
	errno = 0;
	if (add_hostfwds(nu, cfg) < 0)
		goto fail;
	ret = pthread_create(&nu->thread, NULL, poll_thread, nu);
	if (ret) {
		pr_err("--network mode=user: cannot start its thread: %s\n", strerror(ret));
		goto fail;
	}
	nu->started = true;
	pr_debug("--network mode=user: libslirp %s\n", slirp_version_string());
	return &nu->nb;
fail:
	user_free(&nu->nb);
	return NULL;
}

#else

struct net_backend *net_user_new(const struct vmm_net *cfg, struct virtio_net *n)
{
	pr_err("--network mode=user: this vmm was built without libslirp "
	       "(Debian: libslirp-dev)\n");
	return NULL;
}

#endif
