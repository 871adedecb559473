// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IRQFD and KVM_IOEVENTFD (virt/kvm/eventfd.c).
 *
 * An irqfd is an eventfd whose signal raises its GSI's routes (irqchip.c:
 * an SPI, by default GSI n is SPI n + 32, or an MSI): a per-VM thread
 * polls them all.  As on
 * arm64's atomic injection path only the rising edge is injected; with a
 * resample eventfd a level SPI is lowered, and the resample eventfd
 * signalled, when the guest deactivates it.
 *
 * An ioeventfd is a device on the in-kernel MMIO bus: a guest write that
 * matches its address, length and (optionally) data signals the eventfd
 * and completes without an exit.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kvm_host.h"
#include "vgic/vgic.h"

#define KCMP_FILE	0

struct irqfd {
	int fd;			/* our duplicate of the eventfd */
	int user_fd;		/* the VMM's descriptor of it, as KVM_IRQFD named it */
	u32 gsi;
	int resamplefd;		/* our duplicate, or -1 */
};

struct ioeventfd {
	struct kvm_io_device dev;
	int fd;
	u64 addr;
	u32 len;
	u32 bus;		/* KVM_IOEVENTFD_FLAG_PIO / _VIRTIO_CCW_NOTIFY, or 0 */
	bool wildcard;
	u64 datamatch;
};

struct kvm_eventfds {
	pthread_mutex_t lock;
	struct kvm *kvm;

	struct irqfd *irqfds;
	unsigned int nr_irqfds;
	int *to_close;			/* closed by the poller once it let go */
	unsigned int nr_to_close;
	int ctl_fd;			/* wakes the poller */
	pthread_t thread;
	bool started, stop;

	struct ioeventfd **ioeventfds;
	unsigned int nr_ioeventfds;
	struct ioeventfd **dead;	/* deassigned, still named by old buses */
	unsigned int nr_dead;
};

/* eventfd_ctx_fdget(): EBADF for no descriptor, EINVAL for another file */
static int eventfd_check(int fd)
{
	char path[64], link[64];
	ssize_t n;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -EBADF;
	link[n] = 0;
	return strcmp(link, "anon_inode:[eventfd]") ? -EINVAL : 0;
}

/* Do two descriptors name the same eventfd? */
static bool same_file(int a, int b)
{
	pid_t pid = getpid();
	long r = syscall(SYS_kcmp, pid, pid, KCMP_FILE, a, b);

	return r < 0 ? a == b : r == 0;
}

/*
 * Has the VMM closed the eventfd?  KVM holds the eventfd's context, not its
 * file: the VMM's last close() releases the file, whose EPOLLHUP shuts the
 * irqfd down (irqfd_wakeup).  Our duplicate keeps the file open, so ask
 * instead whether the descriptor the VMM named still is that file: closed
 * (EBADF) or reused for another file is taken as its release.
 */
static bool irqfd_released(const struct irqfd *f)
{
	pid_t pid = getpid();
	long r = syscall(SYS_kcmp, pid, pid, KCMP_FILE, f->user_fd, f->fd);

	if (r < 0)
		return errno == EBADF;	/* else kcmp cannot tell (ENOSYS, EPERM) */
	return r != 0;
}

/*
 * The eventfds bound as irqfds, in every VM of the process (our
 * duplicates).  KVM (>= 6.16) binds an eventfd to at most one irqfd in the
 * whole system, as the one exclusive priority waiter on its wait queue:
 * another KVM_IRQFD with it, in the same VM or another, is EBUSY until it
 * is deassigned or its VM ends.  Taken inside kvm_eventfds.lock.
 */
static pthread_mutex_t bound_lock = PTHREAD_MUTEX_INITIALIZER;
static int *bound_fds;
static unsigned int nr_bound, bound_cap;

static bool bound_find_locked(int fd)
{
	unsigned int i;

	for (i = 0; i < nr_bound; i++)
		if (same_file(bound_fds[i], fd))
			return true;
	return false;
}

/* Room for one more, so that adding it cannot fail. */
static int bound_reserve_locked(void)
{
	int *n;

	if (nr_bound < bound_cap)
		return 0;
	n = realloc(bound_fds, (bound_cap * 2 + 8) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	bound_fds = n;
	bound_cap = bound_cap * 2 + 8;
	return 0;
}

/* Forget our duplicate @fd, before it is closed (its number may return). */
static void bound_remove(int fd)
{
	unsigned int i;

	pthread_mutex_lock(&bound_lock);
	for (i = 0; i < nr_bound; i++) {
		if (bound_fds[i] == fd) {
			bound_fds[i] = bound_fds[--nr_bound];
			break;
		}
	}
	if (!nr_bound) {
		free(bound_fds);
		bound_fds = NULL;
		bound_cap = 0;
	}
	pthread_mutex_unlock(&bound_lock);
}

static struct kvm_eventfds *eventfds_get(struct kvm *kvm)
{
	struct kvm_eventfds *e;

	pthread_mutex_lock(&kvm->lock);
	e = kvm->eventfds;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (e) {
			pthread_mutex_init(&e->lock, NULL);
			e->kvm = kvm;
			e->ctl_fd = -1;
			kvm->eventfds = e;
		}
	}
	pthread_mutex_unlock(&kvm->lock);
	return e;
}

/* ---- irqfd ------------------------------------------------------------------------ */

/* through the GSI routing table (irqchip.c): an SPI or an MSI */
static void irqfd_inject(struct kvm *kvm, u32 gsi, int resamplefd)
{
	kvm_set_irq_gsi(kvm, gsi, resamplefd);
}

static void *irqfd_poller(void *arg)
{
	struct kvm_eventfds *e = arg;
	struct pollfd *pfds = NULL;
	struct irqfd *snap = NULL;
	unsigned int n = 0, i;
	uint64_t v;

	for (;;) {
		pthread_mutex_lock(&e->lock);
		for (i = 0; i < e->nr_to_close; i++)
			close(e->to_close[i]);
		e->nr_to_close = 0;
		if (e->stop) {
			pthread_mutex_unlock(&e->lock);
			break;
		}
		n = e->nr_irqfds;
		free(pfds);
		free(snap);
		pfds = calloc(n + 1, sizeof(*pfds));
		snap = calloc(n + 1, sizeof(*snap));
		if (!pfds || !snap) {
			n = 0;
			pfds = pfds ? pfds : malloc(sizeof(*pfds));
		} else {
			memcpy(snap, e->irqfds, n * sizeof(*snap));
		}
		pthread_mutex_unlock(&e->lock);
		if (!pfds)
			break;
		pfds[0].fd = e->ctl_fd;
		pfds[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfds[i + 1].fd = snap[i].fd;
			pfds[i + 1].events = POLLIN;
		}
		if (poll(pfds, n + 1, -1) < 0)
			continue;
		if (pfds[0].revents && read(e->ctl_fd, &v, sizeof(v)) < 0) {
			/* EAGAIN */
		}
		for (i = 0; i < n; i++) {
			if (!(pfds[i + 1].revents & POLLIN))
				continue;
			if (read(snap[i].fd, &v, sizeof(v)) == sizeof(v))
				irqfd_inject(e->kvm, snap[i].gsi, snap[i].resamplefd);
		}
	}
	free(pfds);
	free(snap);
	return NULL;
}

static void poller_wake(struct kvm_eventfds *e)
{
	uint64_t one = 1;

	if (e->ctl_fd >= 0 && write(e->ctl_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: a wake-up is pending */
	}
}

static void irqfds_reap_locked(struct kvm *kvm, struct kvm_eventfds *e);

static int kvm_irqfd_assign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct kvm_eventfds *e;
	struct irqfd *n, *f;
	int ret, fd, rfd = -1;

	ret = eventfd_check((int)args->fd);
	if (ret)
		return ret;
	if (args->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		ret = eventfd_check((int)args->resamplefd);
		if (ret)
			return ret;
	}
	e = eventfds_get(kvm);
	if (!e)
		return -ENOMEM;
	pthread_mutex_lock(&e->lock);
	irqfds_reap_locked(kvm, e);
	pthread_mutex_lock(&bound_lock);
	if (bound_find_locked((int)args->fd)) {
		ret = -EBUSY;
		goto out;
	}
	ret = bound_reserve_locked();
	if (ret)
		goto out;
	if (e->ctl_fd < 0) {
		e->ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (e->ctl_fd < 0) {
			ret = -errno;
			goto out;
		}
	}
	n = realloc(e->irqfds, (e->nr_irqfds + 1) * sizeof(*n));
	if (!n) {
		ret = -ENOMEM;
		goto out;
	}
	e->irqfds = n;
	fd = fcntl((int)args->fd, F_DUPFD_CLOEXEC, 0);
	if (fd >= 0 && (args->flags & KVM_IRQFD_FLAG_RESAMPLE)) {
		rfd = fcntl((int)args->resamplefd, F_DUPFD_CLOEXEC, 0);
		if (rfd < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	f = &e->irqfds[e->nr_irqfds++];
	f->fd = fd;
	f->user_fd = (int)args->fd;
	f->gsi = args->gsi;
	f->resamplefd = rfd;
	if (!e->started) {
		e->started = !pthread_create(&e->thread, NULL, irqfd_poller, e);
		if (!e->started) {
			e->nr_irqfds--;
			close(fd);
			if (rfd >= 0)
				close(rfd);
			ret = -ENOMEM;
			goto out;
		}
	}
	bound_fds[nr_bound++] = fd;
	poller_wake(e);
out:
	pthread_mutex_unlock(&bound_lock);
	pthread_mutex_unlock(&e->lock);
	return ret;
}

static int defer_close(struct kvm_eventfds *e, int fd)
{
	int *n = realloc(e->to_close, (e->nr_to_close + 1) * sizeof(*n));

	if (!n) {
		close(fd);	/* the poller may see EBADF/POLLNVAL once */
		return 0;
	}
	e->to_close = n;
	e->to_close[e->nr_to_close++] = fd;
	return 0;
}

/* irqfd_shutdown(): irqfd i of e leaves; e->lock held. */
static void irqfd_drop_locked(struct kvm *kvm, struct kvm_eventfds *e, unsigned int i)
{
	struct irqfd *f = &e->irqfds[i];

	if (f->resamplefd >= 0) {
		pthread_mutex_lock(&kvm->vgic.lock);
		/* whichever SPI the GSI's route named */
		for (u32 s = 0; kvm->vgic.spis && s < kvm->vgic.nr_spis; s++)
			if (kvm->vgic.spis[s].resamplefd == f->resamplefd)
				kvm->vgic.spis[s].resamplefd = -1;
		pthread_mutex_unlock(&kvm->vgic.lock);
		defer_close(e, f->resamplefd);
	}
	bound_remove(f->fd);
	defer_close(e, f->fd);
	*f = e->irqfds[--e->nr_irqfds];
	poller_wake(e);
}

/*
 * The irqfds whose eventfd the VMM has closed leave, as KVM's EPOLLHUP
 * shuts them down: at each KVM_IRQFD of their VM, else at its end.
 */
static void irqfds_reap_locked(struct kvm *kvm, struct kvm_eventfds *e)
{
	unsigned int i = 0;

	while (i < e->nr_irqfds) {
		if (irqfd_released(&e->irqfds[i]))
			irqfd_drop_locked(kvm, e, i);
		else
			i++;
	}
}

/* kvm_irqfd_deassign(): no matching irqfd is not an error. */
static int kvm_irqfd_deassign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct kvm_eventfds *e = kvm->eventfds;
	unsigned int i;
	int ret;

	ret = eventfd_check((int)args->fd);
	if (ret)
		return ret;
	if (!e)
		return 0;
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nr_irqfds; i++) {
		struct irqfd *f = &e->irqfds[i];

		if (f->gsi != args->gsi || !same_file(f->fd, (int)args->fd))
			continue;
		irqfd_drop_locked(kvm, e, i);
		break;
	}
	irqfds_reap_locked(kvm, e);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

int kvm_irqfd(struct kvm *kvm, const struct kvm_irqfd *args)
{
	if (args->flags & ~(u32)(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE))
		return -EINVAL;
	if (args->flags & KVM_IRQFD_FLAG_DEASSIGN)
		return kvm_irqfd_deassign(kvm, args);
	return kvm_irqfd_assign(kvm, args);
}

/* ---- ioeventfd ------------------------------------------------------------------------ */

static int ioeventfd_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			   u64 addr, unsigned int len, const void *val)
{
	struct ioeventfd *p = (struct ioeventfd *)dev;
	uint64_t one = 1, data = 0;
	unsigned int i;

	if (p->bus || addr != p->addr)
		return -EOPNOTSUPP;
	/* a zero length matches any write to the address (api.rst) */
	if (p->len) {
		if (len != p->len)
			return -EOPNOTSUPP;
		if (!p->wildcard) {
			for (i = 0; i < len; i++)
				data |= (u64)((const u8 *)val)[i] << (8 * i);
			if (data != p->datamatch)
				return -EOPNOTSUPP;
		}
	}
	if (write(p->fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, the reader is behind */
	}
	return 0;
}

static const struct kvm_io_device_ops ioeventfd_ops = {
	.write = ioeventfd_write,
};

static u32 ioeventfd_bus(u32 flags)
{
	return flags & (KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY);
}

static int kvm_assign_ioeventfd(struct kvm *kvm, const struct kvm_ioeventfd *args)
{
	struct kvm_eventfds *e;
	struct ioeventfd *p, **n;
	u32 bus = ioeventfd_bus(args->flags);
	unsigned int i;
	int ret;

	switch (args->len) {
	case 0: case 1: case 2: case 4: case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	if (args->flags & ~(u32)KVM_IOEVENTFD_VALID_FLAG_MASK)
		return -EINVAL;
	if (!args->len && (args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH))
		return -EINVAL;
	ret = eventfd_check(args->fd);
	if (ret)
		return ret;
	e = eventfds_get(kvm);
	p = calloc(1, sizeof(*p));
	if (!e || !p) {
		free(p);
		return -ENOMEM;
	}
	p->dev.ops = &ioeventfd_ops;
	p->addr = args->addr;
	p->len = args->len;
	p->bus = bus;
	p->wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	p->datamatch = p->wildcard ? 0 : args->datamatch;

	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nr_ioeventfds; i++) {
		struct ioeventfd *q = e->ioeventfds[i];

		/* ioeventfd_check_collision() */
		if (q->bus == p->bus && q->addr == p->addr &&
		    (!q->len || !p->len ||
		     (q->len == p->len &&
		      (q->wildcard || p->wildcard || q->datamatch == p->datamatch)))) {
			ret = -EEXIST;
			goto out_free;
		}
	}
	n = realloc(e->ioeventfds, (e->nr_ioeventfds + 1) * sizeof(*n));
	if (!n) {
		ret = -ENOMEM;
		goto out_free;
	}
	e->ioeventfds = n;
	p->fd = fcntl(args->fd, F_DUPFD_CLOEXEC, 0);
	if (p->fd < 0) {
		ret = -errno;
		goto out_free;
	}
	ret = kvm_io_bus_register_dev(kvm, p->addr, p->len, &p->dev);
	if (ret) {
		close(p->fd);
		goto out_free;
	}
	e->ioeventfds[e->nr_ioeventfds++] = p;
	pthread_mutex_unlock(&e->lock);
	return 0;

out_free:
	pthread_mutex_unlock(&e->lock);
	free(p);
	return ret;
}

static int kvm_deassign_ioeventfd(struct kvm *kvm, const struct kvm_ioeventfd *args)
{
	struct kvm_eventfds *e = kvm->eventfds;
	u32 bus = ioeventfd_bus(args->flags);
	bool wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	unsigned int i;
	int ret;

	ret = eventfd_check(args->fd);
	if (ret)
		return ret;
	if (!e)
		return -ENOENT;
	ret = -ENOENT;
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nr_ioeventfds; i++) {
		struct ioeventfd *p = e->ioeventfds[i];

		if (p->bus != bus || !same_file(p->fd, args->fd) ||
		    p->addr != args->addr || p->len != args->len ||
		    p->wildcard != wildcard)
			continue;
		if (!p->wildcard && p->datamatch != args->datamatch)
			continue;
		kvm_io_bus_unregister_dev(kvm, &p->dev);
		e->ioeventfds[i] = e->ioeventfds[--e->nr_ioeventfds];
		/*
		 * A vCPU may still hold the old bus and call p: the bus keeps
		 * old snapshots until the VM dies, so p must live as long.
		 */
		p->bus = ~0u;
		defer_close(e, p->fd);
		{
			struct ioeventfd **d = realloc(e->dead, (e->nr_dead + 1) * sizeof(*d));

			if (d) {
				e->dead = d;
				e->dead[e->nr_dead++] = p;
			}
		}
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&e->lock);
	return ret;
}

int kvm_ioeventfd(struct kvm *kvm, const struct kvm_ioeventfd *args)
{
	if (args->flags & KVM_IOEVENTFD_FLAG_DEASSIGN)
		return kvm_deassign_ioeventfd(kvm, args);
	return kvm_assign_ioeventfd(kvm, args);
}

void kvm_eventfd_destroy(struct kvm *kvm)
{
	struct kvm_eventfds *e = kvm->eventfds;
	unsigned int i;

	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->stop = true;
	poller_wake(e);
	pthread_mutex_unlock(&e->lock);
	if (e->started)
		pthread_join(e->thread, NULL);
	for (i = 0; i < e->nr_to_close; i++)
		close(e->to_close[i]);
	for (i = 0; i < e->nr_irqfds; i++) {
		bound_remove(e->irqfds[i].fd);
		close(e->irqfds[i].fd);
		if (e->irqfds[i].resamplefd >= 0)
			close(e->irqfds[i].resamplefd);
	}
	for (i = 0; i < e->nr_ioeventfds; i++) {
		close(e->ioeventfds[i]->fd);
		free(e->ioeventfds[i]);
	}
	for (i = 0; i < e->nr_dead; i++)
		free(e->dead[i]);
	if (e->ctl_fd >= 0)
		close(e->ctl_fd);
	free(e->dead);
	free(e->to_close);
	free(e->irqfds);
	free(e->ioeventfds);
	pthread_mutex_destroy(&e->lock);
	free(e);
	kvm->eventfds = NULL;
}
