// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the KVM ioctl interface of libvkvm.  The input is a
 * program: each operation is one opcode byte and its arguments, read in
 * order (bytes past the end read as 0).  Operations are the calls a VMM
 * makes (create VM, vCPUs, memslots, ONE_REG with valid and invalid IDs,
 * REG_LIST, VCPU_EVENTS, the GICv3 device and its attributes, IRQ lines,
 * irqfd/ioeventfd, KVM_RUN of a tiny guest, mmap, close...) with
 * structured arguments and a share of plain garbage; every object is
 * closed at the end of an input, so ASan's leak check sees what vkvm
 * leaks.  A KVM_RUN is bounded by a timer whose signal sets
 * kvm_run.immediate_exit (as a VMM's kick does).
 *
 * Seeds: tests/fuzz/corpus/ioctl/ (tests/fuzz/mkseeds.py writes them).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#define NR_FDS		16
#define RAM_SIZE	(1u << 20)
#define MAX_REGS	1024

enum fd_kind { FD_NONE, FD_SYS, FD_VM, FD_VCPU, FD_DEV, FD_EVENT };

struct fz {
	const uint8_t *p;
	size_t n;
	int fd[NR_FDS];
	enum fd_kind kind[NR_FDS];
	struct kvm_run *run[NR_FDS];	/* vCPU fds: the mapped kvm_run */
	size_t run_size;
	uint64_t regs[MAX_REGS];	/* the last REG_LIST */
	unsigned int nr_regs;
};

static uint8_t *ram;			/* backing of every memslot */
static bool debug;			/* FUZZ_IOCTL_DEBUG=1: each call's result */
static uint8_t *bad;			/* a PROT_NONE page: EFAULT pointers */
static timer_t timer;
static struct kvm_run *volatile running;

static uint64_t get(struct fz *z, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		uint64_t b = 0;

		if (z->n) {
			b = *z->p++;
			z->n--;
		}
		v |= b << (8 * i);
	}
	return v;
}

static void get_buf(struct fz *z, void *buf, size_t len)
{
	size_t n = len < z->n ? len : z->n;

	memset(buf, 0, len);
	memcpy(buf, z->p, n);
	z->p += n;
	z->n -= n;
}

static int ioc(int fd, unsigned long req, void *arg, const char *what)
{
	int ret = vkvm_ioctl(fd, req, arg);

	if (debug)
		fprintf(stderr, "fuzz_ioctl: %s(fd %d) = %d%s%s\n", what, fd, ret,
			ret < 0 ? " " : "", ret < 0 ? strerror(errno) : "");
	return ret;
}
#define IOC(fd, req, arg)	ioc((fd), (req), (void *)(uintptr_t)(arg), #req)

/* An fd of the wanted kind (sel picks among them), else any slot's. */
static int pick(struct fz *z, enum fd_kind k, unsigned int sel)
{
	unsigned int i, seen = 0, want;
	int cands[NR_FDS];

	for (i = 0; i < NR_FDS; i++)
		if (z->kind[i] == k)
			cands[seen++] = (int)i;
	if (seen && sel < 0xf0) {
		want = sel % seen;
		return z->fd[cands[want]];
	}
	return sel == 0xff ? -1 : z->fd[sel % NR_FDS] ?: 12345;
}

static int slot_of(struct fz *z, int fd)
{
	unsigned int i;

	for (i = 0; i < NR_FDS; i++)
		if (z->kind[i] != FD_NONE && z->fd[i] == fd)
			return (int)i;
	return -1;
}

static void add_fd(struct fz *z, int fd, enum fd_kind k)
{
	unsigned int i;

	if (fd < 0)
		return;
	for (i = 0; i < NR_FDS; i++)
		if (z->kind[i] == FD_NONE) {
			z->fd[i] = fd;
			z->kind[i] = k;
			return;
		}
	if (k == FD_EVENT)
		close(fd);
	else
		vkvm_close(fd);
}

static void drop_fd(struct fz *z, unsigned int i)
{
	if (z->run[i]) {
		munmap(z->run[i], z->run_size);
		z->run[i] = NULL;
	}
	if (z->kind[i] == FD_EVENT)
		close(z->fd[i]);
	else if (z->kind[i] != FD_NONE)
		vkvm_close(z->fd[i]);
	z->kind[i] = FD_NONE;
	z->fd[i] = 0;
}

/* A user pointer: mostly good, sometimes NULL or unmapped. */
static void *uptr(struct fz *z, void *good)
{
	switch (get(z, 1) % 16) {
	case 0: return NULL;
	case 1: return bad;
	default: return good;
	}
}

/* ---- register IDs --------------------------------------------------------- */

#define CORE(off)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | (off))
static const uint64_t fixed_ids[] = {
	KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE_REG(regs.pc),
	KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE_REG(regs.pstate),
	KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE_REG(sp_el1),
	KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE_REG(fp_regs.vregs[3]),
	KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE_REG(fp_regs.fpsr),
	CORE(1), CORE(0x7fff), CORE(0xffff),
	KVM_REG_ARM64_SVE_VLS, KVM_REG_ARM64_SVE_ZREG(0, 0), KVM_REG_ARM64_SVE_ZREG(31, 0),
	KVM_REG_ARM64_SVE_PREG(15, 0), KVM_REG_ARM64_SVE_FFR(0), KVM_REG_ARM64_SVE_ZREG(1, 31),
	KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CVAL,
	KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_FW_REG(1), KVM_REG_ARM_FW_REG(0xffff),
	ARM64_SYS_REG(3, 0, 1, 0, 0), ARM64_SYS_REG(3, 0, 0, 4, 0), ARM64_SYS_REG(3, 3, 14, 0, 2),
	ARM64_SYS_REG(3, 0, 0, 0, 5), ARM64_SYS_REG(3, 7, 15, 15, 7), ARM64_SYS_REG(2, 0, 0, 0, 4),
	KVM_REG_ARM64 | KVM_REG_ARM_DEMUX | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX_ID_CCSIDR | 1,
	KVM_REG_ARM64 | KVM_REG_SIZE_U2048 | 0x12345,
};

static uint64_t reg_id(struct fz *z)
{
	unsigned int sel = (unsigned int)get(z, 1);

	if (sel < 0x80 && z->nr_regs)
		return z->regs[sel % z->nr_regs];
	if (sel < 0xf0)
		return fixed_ids[(sel & 0x7f) % (sizeof(fixed_ids) / sizeof(fixed_ids[0]))];
	return get(z, 8);
}

/* ---- KVM_RUN, bounded ------------------------------------------------------- */

static void on_timer(int sig)
{
	struct kvm_run *r = running;

	(void)sig;
	if (r)
		r->immediate_exit = 1;
}

static void run_vcpu(struct fz *z, int fd)
{
	struct itimerspec on = { { 0, 250000 }, { 0, 250000 } }, off = { { 0, 0 }, { 0, 0 } };
	int i = slot_of(z, fd);
	struct kvm_run *r;
	unsigned int words = (unsigned int)get(z, 1) % 8, k;

	/*
	 * Only immediate_exit bounds a vCPU that runs: vkvm notices a bare
	 * signal only while the vCPU sleeps (KVM would return EINTR at once).
	 * A vCPU fd without its kvm_run mapped gets it mapped for the run.
	 */
	if (i >= 0 && !z->run[i] && z->kind[i] == FD_VCPU && z->run_size) {
		void *m = vkvm_mmap(NULL, z->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (m != MAP_FAILED)
			z->run[i] = m;
	}
	if (i < 0 || !z->run[i]) {
		if (i < 0 || z->kind[i] != FD_VCPU)
			IOC(fd, KVM_RUN, 0);	/* not a vCPU: an error */
		return;
	}
	/* a few instruction words at the start of RAM (the seeds' memslot) */
	for (k = 0; k < words; k++) {
		uint32_t w = (uint32_t)get(z, 4);

		memcpy(ram + 4 * k, &w, 4);
	}
	r = z->run[i];
	r->immediate_exit = (uint8_t)(get(z, 1) == 0xff);
	running = r;
	timer_settime(timer, 0, &on, NULL);
	for (k = 0; k < 4; k++) {
		if (IOC(fd, KVM_RUN, 0) < 0)
			break;
		if (r->exit_reason == KVM_EXIT_MMIO && !r->mmio.is_write)
			memset(r->mmio.data, 0x5a, sizeof(r->mmio.data));
		if (r->exit_reason == KVM_EXIT_ARM_NISV || r->exit_reason == KVM_EXIT_ARM_SEA) {
			struct kvm_vcpu_events ev;

			memset(&ev, 0, sizeof(ev));
			ev.exception.ext_dabt_pending = 1;
			IOC(fd, KVM_SET_VCPU_EVENTS, &ev);
		}
	}
	timer_settime(timer, 0, &off, NULL);
	running = NULL;
	r->immediate_exit = 0;
}

/* ---- the operations ------------------------------------------------------------ */

enum {
	OP_OPEN, OP_CREATE_VM, OP_CREATE_VCPU, OP_VCPU_INIT, OP_MEMSLOT, OP_SET_REG,
	OP_GET_REG, OP_REG_LIST, OP_EVENTS, OP_CREATE_DEV, OP_DEV_ATTR, OP_IRQ_LINE,
	OP_IRQFD, OP_IOEVENTFD, OP_RUN, OP_MP_STATE, OP_GUEST_DEBUG, OP_ENABLE_CAP,
	OP_CHECK_EXT, OP_FINALIZE, OP_MMAP, OP_CLOSE, OP_RAW, OP_MEM_ERROR, OP_EVENTFD,
	OP_PREFERRED, OP_DEVICE_ADDR, OP_DUP,
	NR_OPS
};

static void op(struct fz *z)
{
	uint8_t buf[4096] __attribute__((aligned(16)));
	unsigned int code = (unsigned int)get(z, 1) % NR_OPS;
	int fd, ret;

	switch (code) {
	case OP_OPEN:
		add_fd(z, vkvm_open(get(z, 1) & 1 ? O_RDWR | O_CLOEXEC : O_RDONLY), FD_SYS);
		break;
	case OP_CREATE_VM: {
		unsigned int t = (unsigned int)get(z, 1);
		unsigned long type = t < 0x80 ? 0 : t < 0xf0 ? (t & 0x3f) : get(z, 8);

		add_fd(z, IOC(pick(z, FD_SYS, (unsigned int)get(z, 1)), KVM_CREATE_VM, type),
		       FD_VM);
		break;
	}
	case OP_CREATE_VCPU: {
		long sz;
		int i;

		fd = IOC(pick(z, FD_VM, (unsigned int)get(z, 1)), KVM_CREATE_VCPU,
				(unsigned long)get(z, 1) % 300);
		add_fd(z, fd, FD_VCPU);
		i = fd >= 0 ? slot_of(z, fd) : -1;
		sz = IOC(pick(z, FD_SYS, 0), KVM_GET_VCPU_MMAP_SIZE, 0);
		if (i >= 0 && sz > 0) {
			void *m = vkvm_mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

			z->run_size = (size_t)sz;
			if (m != MAP_FAILED)
				z->run[i] = m;
		}
		break;
	}
	case OP_VCPU_INIT: {
		struct kvm_vcpu_init init;
		unsigned int sel;

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		memset(&init, 0, sizeof(init));
		sel = (unsigned int)get(z, 1);
		init.target = sel < 0xf0 ? KVM_ARM_TARGET_GENERIC_V8 : (uint32_t)get(z, 4);
		init.features[0] = (uint32_t)get(z, 1) & 0x7f;	/* SVE, PMU, PSCI 0.2, ptrauth... */
		if (sel == 0xf8)
			init.features[1] = (uint32_t)get(z, 4);
		if (IOC(fd, KVM_ARM_VCPU_INIT, uptr(z, &init)) == 0) {
			struct kvm_reg_list *l = (struct kvm_reg_list *)buf;

			l->n = (sizeof(buf) - sizeof(*l)) / 8;
			z->nr_regs = 0;
			if (IOC(fd, KVM_GET_REG_LIST, l) == 0) {
				z->nr_regs = l->n < MAX_REGS ? (unsigned int)l->n : MAX_REGS;
				memcpy(z->regs, l->reg, 8 * z->nr_regs);
			}
		}
		break;
	}
	case OP_MEMSLOT: {
		static const uint64_t gpas[] = { 0x80000000ULL, 0, 0x40000000ULL, 0x80100000ULL,
						 0xfffff000ULL, 1ULL << 40, 0x3fff0000ULL };
		static const uint64_t sizes[] = { RAM_SIZE, 0, 4096, 65536, RAM_SIZE / 2, 1ULL << 62 };
		struct kvm_userspace_memory_region m;

		memset(&m, 0, sizeof(m));
		fd = pick(z, FD_VM, (unsigned int)get(z, 1));
		m.slot = (uint32_t)get(z, 1) % 40;
		m.flags = (uint32_t)get(z, 1) % 8;
		m.guest_phys_addr = gpas[get(z, 1) % 7];
		m.memory_size = sizes[get(z, 1) % 6];
		switch (get(z, 1) % 8) {
		case 0: m.userspace_addr = 0; break;
		case 1: m.userspace_addr = (uintptr_t)bad; break;
		case 2: m.userspace_addr = (uintptr_t)ram + 4096; break;
		case 3: m.userspace_addr = (uintptr_t)ram + 1; break;
		default: m.userspace_addr = (uintptr_t)ram; break;
		}
		if (m.userspace_addr >= (uintptr_t)ram && m.memory_size > RAM_SIZE)
			m.memory_size = RAM_SIZE;	/* never a range we do not own */
		if (m.userspace_addr >= (uintptr_t)ram &&
		    m.userspace_addr - (uintptr_t)ram + m.memory_size > RAM_SIZE)
			m.memory_size = RAM_SIZE - (m.userspace_addr - (uintptr_t)ram);
		IOC(fd, KVM_SET_USER_MEMORY_REGION, uptr(z, &m));
		break;
	}
	case OP_SET_REG:
	case OP_GET_REG: {
		struct kvm_one_reg r;

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		r.id = reg_id(z);
		get_buf(z, buf, 16);
		memset(buf + 16, (int)get(z, 1), 256 - 16);
		r.addr = (uintptr_t)uptr(z, buf);
		IOC(fd, code == OP_SET_REG ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &r);
		break;
	}
	case OP_REG_LIST: {
		struct kvm_reg_list *l = (struct kvm_reg_list *)buf;

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		l->n = get(z, 2);
		if (l->n > (sizeof(buf) - sizeof(*l)) / 8)
			l->n = (sizeof(buf) - sizeof(*l)) / 8;	/* the buffer we have */
		IOC(fd, KVM_GET_REG_LIST, uptr(z, l));
		break;
	}
	case OP_EVENTS: {
		struct kvm_vcpu_events ev;
		bool set = get(z, 1) & 1;

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		get_buf(z, &ev, sizeof(ev));
		IOC(fd, set ? KVM_SET_VCPU_EVENTS : KVM_GET_VCPU_EVENTS, uptr(z, &ev));
		break;
	}
	case OP_CREATE_DEV: {
		struct kvm_create_device cd;
		unsigned int t = (unsigned int)get(z, 1);

		memset(&cd, 0, sizeof(cd));
		cd.type = t < 0xc0 ? KVM_DEV_TYPE_ARM_VGIC_V3 : t < 0xe0 ? KVM_DEV_TYPE_ARM_VGIC_V2
								   : (uint32_t)get(z, 4);
		cd.flags = get(z, 1) == 0xff ? KVM_CREATE_DEVICE_TEST : 0;
		if (IOC(pick(z, FD_VM, (unsigned int)get(z, 1)), KVM_CREATE_DEVICE,
			       uptr(z, &cd)) == 0 && !cd.flags)
			add_fd(z, (int)cd.fd, FD_DEV);
		break;
	}
	case OP_DEV_ATTR: {
		static const unsigned long req[] = {
			KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR,
		};
		struct kvm_device_attr a;
		unsigned int g = (unsigned int)get(z, 1), w = (unsigned int)get(z, 1);
		uint64_t val = get(z, 8);

		memset(&a, 0, sizeof(a));
		/* the device, or a vCPU (timer, PMU attributes) */
		fd = w & 0x80 ? pick(z, FD_VCPU, w) : pick(z, FD_DEV, w);
		a.group = g < 0xf0 ? g % 10 : (uint32_t)get(z, 4);
		a.attr = get(z, 8);
		memcpy(buf, &val, 8);
		memset(buf + 8, 0, 8);
		a.addr = (uintptr_t)uptr(z, buf);
		IOC(fd, req[w % 3], &a);
		break;
	}
	case OP_IRQ_LINE: {
		struct kvm_irq_level l;

		l.irq = (uint32_t)get(z, 4);
		l.level = (uint32_t)get(z, 1) & 1;
		IOC(pick(z, FD_VM, (unsigned int)get(z, 1)),
			   get(z, 1) & 1 ? KVM_IRQ_LINE_STATUS : KVM_IRQ_LINE, uptr(z, &l));
		break;
	}
	case OP_EVENTFD:
		add_fd(z, eventfd((unsigned int)get(z, 1), EFD_NONBLOCK | EFD_CLOEXEC), FD_EVENT);
		break;
	case OP_IRQFD: {
		struct kvm_irqfd f;

		memset(&f, 0, sizeof(f));
		fd = pick(z, FD_VM, (unsigned int)get(z, 1));
		f.fd = (uint32_t)pick(z, FD_EVENT, (unsigned int)get(z, 1));
		f.gsi = (uint32_t)get(z, 2);
		f.flags = (uint32_t)get(z, 1) % 4;
		f.resamplefd = (uint32_t)pick(z, FD_EVENT, (unsigned int)get(z, 1));
		IOC(fd, KVM_IRQFD, uptr(z, &f));
		ret = slot_of(z, (int)f.fd);
		if (ret >= 0 && z->kind[ret] == FD_EVENT) {
			uint64_t one = 1;

			if (write((int)f.fd, &one, 8) < 0) {
				/* full: fine */
			}
		}
		break;
	}
	case OP_IOEVENTFD: {
		struct kvm_ioeventfd e;

		memset(&e, 0, sizeof(e));
		fd = pick(z, FD_VM, (unsigned int)get(z, 1));
		e.fd = pick(z, FD_EVENT, (unsigned int)get(z, 1));
		e.addr = get(z, 1) & 1 ? 0x3000050ULL : get(z, 8);
		e.len = (uint32_t)get(z, 1) % 10;
		e.flags = (uint32_t)get(z, 1) % 32;
		e.datamatch = get(z, 8);
		IOC(fd, KVM_IOEVENTFD, uptr(z, &e));
		break;
	}
	case OP_RUN:
		run_vcpu(z, pick(z, FD_VCPU, (unsigned int)get(z, 1)));
		break;
	case OP_MP_STATE: {
		struct kvm_mp_state s = { (uint32_t)get(z, 1) % 6 };

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		IOC(fd, get(z, 1) & 1 ? KVM_SET_MP_STATE : KVM_GET_MP_STATE, uptr(z, &s));
		break;
	}
	case OP_GUEST_DEBUG: {
		struct kvm_guest_debug d;

		memset(&d, 0, sizeof(d));
		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		d.control = (uint32_t)get(z, 4);
		IOC(fd, KVM_SET_GUEST_DEBUG, uptr(z, &d));
		break;
	}
	case OP_ENABLE_CAP: {
		static const uint32_t caps[] = {
			KVM_CAP_ARM_NISV_TO_USER, KVM_CAP_ARM_SEA_TO_USER, KVM_CAP_ARM_INJECT_EXT_DABT,
			KVM_CAP_ARM_INJECT_SERROR_ESR, KVM_CAP_ARM_VM_IPA_SIZE, KVM_CAP_ARM_MTE,
			KVM_CAP_ARM_SVE, KVM_CAP_ARM_PTRAUTH_ADDRESS, 0,
		};
		struct kvm_enable_cap c;
		unsigned int w = (unsigned int)get(z, 1);

		memset(&c, 0, sizeof(c));
		fd = w & 1 ? pick(z, FD_VCPU, w) : pick(z, FD_VM, w);
		c.cap = w < 0xf0 ? caps[w % 9] : (uint32_t)get(z, 4);
		c.flags = get(z, 1) == 0xff ? 1 : 0;
		c.args[0] = get(z, 1) == 0xff ? get(z, 8) : 0;
		IOC(fd, KVM_ENABLE_CAP, uptr(z, &c));
		break;
	}
	case OP_CHECK_EXT: {
		unsigned int w = (unsigned int)get(z, 1);

		fd = w & 1 ? pick(z, FD_VM, w) : pick(z, FD_SYS, w);
		IOC(fd, KVM_CHECK_EXTENSION, (unsigned long)get(z, 2));
		break;
	}
	case OP_FINALIZE: {
		int what = get(z, 1) & 1 ? KVM_ARM_VCPU_SVE : (int)get(z, 4);

		fd = pick(z, FD_VCPU, (unsigned int)get(z, 1));
		IOC(fd, KVM_ARM_VCPU_FINALIZE, uptr(z, &what));
		break;
	}
	case OP_MMAP: {
		static const size_t lens[] = { 4096, 8192, 0, 1 << 20, 3 };
		size_t len = lens[get(z, 1) % 5];
		off_t off = (off_t)(get(z, 1) % 4) * 4096;
		void *m;

		fd = pick(z, (enum fd_kind)(get(z, 1) % 6), (unsigned int)get(z, 1));
		m = vkvm_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
		if (m != MAP_FAILED)
			munmap(m, len);
		break;
	}
	case OP_CLOSE: {
		unsigned int i = (unsigned int)get(z, 1) % NR_FDS;

		drop_fd(z, i);
		break;
	}
	case OP_RAW: {
		unsigned long req = (unsigned long)get(z, 4);

		fd = pick(z, (enum fd_kind)(get(z, 1) % 6), (unsigned int)get(z, 1));
		get_buf(z, buf, 64);
		memset(buf + 64, 0, sizeof(buf) - 64);
		/* an ioctl number of ours with a random direction/size half the time */
		if (req & 1)
			req = (req & 0xc0ff00ffUL) | 0xae00UL;
		IOC(fd, req, buf);
		break;
	}
	case OP_MEM_ERROR: {
		struct vkvm_memory_error e;

		memset(&e, 0, sizeof(e));
		e.gpa = 0x80000000ULL + (get(z, 2) << 12);
		e.size = (get(z, 1) % 4) << 12;
		e.flags = (uint32_t)get(z, 1) % 4;
		e.reserved = get(z, 1) == 0xff;
		IOC(pick(z, FD_VM, (unsigned int)get(z, 1)), VKVM_SET_MEMORY_ERROR,
			   uptr(z, &e));
		break;
	}
	case OP_PREFERRED: {
		struct kvm_vcpu_init init;

		IOC(pick(z, FD_VM, (unsigned int)get(z, 1)), KVM_ARM_PREFERRED_TARGET,
			   uptr(z, &init));
		break;
	}
	case OP_DEVICE_ADDR: {
		struct kvm_arm_device_addr a = { get(z, 8), get(z, 8) };

		IOC(pick(z, FD_VM, (unsigned int)get(z, 1)), KVM_ARM_SET_DEVICE_ADDR,
			   uptr(z, &a));
		break;
	}
	case OP_DUP: {
		/* vkvm hands out real fds: a dup is a second reference */
		int i = slot_of(z, pick(z, (enum fd_kind)(get(z, 1) % 6), (unsigned int)get(z, 1)));

		if (i >= 0 && z->kind[i] != FD_EVENT) {
			ret = dup(z->fd[i]);
			if (ret >= 0)
				close(ret);
		}
		break;
	}
	}
}

static void setup(void)
{
	struct sigevent sev;
	struct sigaction sa;

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED || bad == MAP_FAILED)
		abort();	/* the harness itself, not an input */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 1;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct fz z;
	unsigned int i, ops = 0;

	if (!ready) {
		debug = getenv("FUZZ_IOCTL_DEBUG") != NULL;
		setup();
		ready = true;
	}
	memset(&z, 0, sizeof(z));
	z.p = data;
	z.n = size;
	/* every input starts with /dev/kvm open, as every VMM does */
	add_fd(&z, vkvm_open(O_RDWR | O_CLOEXEC), FD_SYS);
	while (z.n && ops++ < 256)
		op(&z);
	/* vCPUs and devices before their VM, as a VMM closing in order does;
	 * the reverse order is exercised by OP_CLOSE */
	for (i = NR_FDS; i-- > 0;)
		if (z.kind[i] == FD_VCPU || z.kind[i] == FD_DEV || z.kind[i] == FD_EVENT)
			drop_fd(&z, i);
	for (i = NR_FDS; i-- > 0;)
		drop_fd(&z, i);
	return 0;
}
