// SPDX-License-Identifier: GPL-2.0
/*
 * The guest harness: one VM, RAM at RAM_BASE, the guest loaded as the arm64
 * boot protocol says (Image header) or at raw_offset (raw binary), vCPU 0
 * started at the entry with x0 = 0 (no DTB), the others powered off until
 * PSCI CPU_ON.  Written for /dev/kvm; libvkvm is the other entry of the
 * table.  See harness.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#ifdef USE_VKVM
#include <vkvm.h>
#endif

#include "../../guests/platform.h"
#include "harness.h"

#ifndef KVM_CAP_ARM_SEA_TO_USER
#define KVM_CAP_ARM_SEA_TO_USER		245
#endif

#define MAX_VCPUS	8
#define PSTATE_EL1H_DAIF	0x3c5	/* EL1h, D, A, I, F masked: the reset state */
#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */

/* ---- the two providers ---- */

static int kvm_dev_open(int flags)
{
	return open("/dev/kvm", flags);
}

const struct hv_ops hv_kvm = {
	.name = "kvm", .open = kvm_dev_open, .ioctl = ioctl, .mmap = mmap, .close = close,
};

#ifdef USE_VKVM
const struct hv_ops hv_vkvm = {
	.name = "vkvm", .open = vkvm_open, .ioctl = vkvm_ioctl, .mmap = vkvm_mmap,
	.close = vkvm_close,
};
#endif

/* ---- state of one run ---- */

struct vcpu {
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int started;
	unsigned long runs;	/* KVM_RUN calls that returned */
};

static const struct harness_opts *opts;
static const struct hv_ops *hv;
static int vm_fd = -1;
static size_t run_size;
static struct vcpu vcpus[MAX_VCPUS];
static uint64_t entry;
static uint8_t scratch[TESTDEV_SCRATCH_SIZE];
static int sea_mode;

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stopping;		/* set once: every vCPU loop ends */
static int result = -1;			/* exit status; first writer wins */
static volatile sig_atomic_t timed_out;
static int line_open;			/* the console's last line has no '\n' yet */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	if (line_open) {
		putchar('\n');
		line_open = 0;
	}
	fputs("harness: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void console_putc(uint8_t c)
{
	if (c == '\r')
		return;
	pthread_mutex_lock(&out_lock);
	putchar(c);
	line_open = c != '\n';
	if (c == '\n')
		fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* Ends the run with status rc (the first caller decides) and kicks every vCPU out of KVM_RUN. */
static void finish(int rc)
{
	unsigned int i;

	pthread_mutex_lock(&out_lock);
	if (result < 0)
		result = rc;
	pthread_mutex_unlock(&out_lock);
	atomic_store(&stopping, 1);
	for (i = 0; i < opts->vcpus; i++) {
		if (!vcpus[i].run)
			continue;
		vcpus[i].run->immediate_exit = 1;
		if (vcpus[i].started && !pthread_equal(vcpus[i].thread, pthread_self()))
			pthread_kill(vcpus[i].thread, SIGUSR1);
	}
}

static void on_kick(int sig)
{
	(void)sig;
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	/* vCPU 0 runs on this thread (the others block SIGALRM) */
	if (vcpus[0].run)
		vcpus[0].run->immediate_exit = 1;
}

static const char *errstr(void)
{
	return strerror(errno);
}

/* ---- ONE_REG ---- */

#define CORE_REG(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

static int get_reg(int fd, uint64_t id, uint64_t *v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)v };

	return hv->ioctl(fd, KVM_GET_ONE_REG, &r);
}

static int set_reg(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	return hv->ioctl(fd, KVM_SET_ONE_REG, &r);
}

static uint64_t vcpu_pc(struct vcpu *v)
{
	uint64_t pc = ~0ULL;

	if (get_reg(v->fd, CORE_REG(regs.pc), &pc) < 0)
		return ~0ULL;
	return pc;
}

/* ---- devices ---- */

static void le_store(uint8_t *d, uint64_t v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		d[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le_load(const uint8_t *d, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (uint64_t)d[i] << (8 * i);
	return v;
}

static int set_serror(struct vcpu *v, int has_esr, uint64_t esr)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = (uint8_t)has_esr;
	ev.exception.serror_esr = has_esr ? esr : 0;
	if (hv->ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
		say("KVM_SET_VCPU_EVENTS (SError%s 0x%llx): %s", has_esr ? " with ESR" : "",
		    (unsigned long long)esr, errstr());
		return -1;
	}
	say("SError made pending on vCPU %u %s 0x%llx", v->id,
	    has_esr ? "with ESR" : "without ESR", (unsigned long long)esr);
	return 0;
}

/* Returns 0 to continue, -1 when the run ended (finish() was called). */
static int handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t a = run->mmio.phys_addr, val;
	unsigned int len = run->mmio.len, i;
	int w = run->mmio.is_write;

	if (len == 0 || len > 8) {
		say("MMIO with length %u at 0x%llx", len, (unsigned long long)a);
		finish(HARNESS_RC_ERROR);
		return -1;
	}
	val = w ? le_load(run->mmio.data, len) : 0;

	if (a >= UART_BASE && a < UART_BASE + 8) {
		if (w && a == UART_BASE + UART_THR)
			console_putc((uint8_t)val);
		else if (!w && a == UART_BASE + UART_LSR)
			val = 0x60;	/* THRE | TEMT: always ready */
	} else if (a >= TEST_EXIT_BASE && a < TEST_EXIT_BASE + 0x1000) {
		if (w && a == TEST_EXIT_BASE && len == 4) {
			say("exit status %u (test-exit device, vCPU %u)",
			    (unsigned int)(val & 0xff), v->id);
			finish((int)(val & 0xff));
			return -1;
		}
	} else if (a >= TESTDEV_PATTERN && a + len <= TESTDEV_SCRATCH) {
		if (!w)
			for (i = 0; i < len; i++)
				val |= (uint64_t)pattern_byte((unsigned long)(a + i)) << (8 * i);
	} else if (a >= TESTDEV_SCRATCH && a + len <= TESTDEV_SCRATCH + TESTDEV_SCRATCH_SIZE) {
		if (w)
			le_store(&scratch[a - TESTDEV_SCRATCH], val, len);
		else
			val = le_load(&scratch[a - TESTDEV_SCRATCH], len);
	} else if (a == TESTDEV_CTL + CTL_SERROR_ESR && w) {
		if (set_serror(v, 1, val) < 0) {
			finish(HARNESS_RC_ERROR);
			return -1;
		}
	} else if (a == TESTDEV_CTL + CTL_SERROR && w) {
		if (set_serror(v, 0, 0) < 0) {
			finish(HARNESS_RC_ERROR);
			return -1;
		}
	} else if (a == TESTDEV_CTL + CTL_SEA_MODE && !w) {
		val = (uint64_t)sea_mode;
	} else {
		say("unhandled MMIO %s of %u bytes at 0x%llx%s", w ? "write" : "read", len,
		    (unsigned long long)a, w ? "" : " (reads as 0)");
	}
	if (!w)
		le_store(run->mmio.data, val, len);
	return 0;
}

static int inject_abort(struct vcpu *v, int iabt)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	if (iabt)
		ev.exception.ext_iabt_pending = 1;
	else
		ev.exception.ext_dabt_pending = 1;
	if (hv->ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
		say("KVM_SET_VCPU_EVENTS (%s): %s", iabt ? "ext_iabt" : "ext_dabt", errstr());
		return -1;
	}
	return 0;
}

static const char *event_name(uint32_t type)
{
	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:	return "shutdown";
	case KVM_SYSTEM_EVENT_RESET:	return "reset";
	case KVM_SYSTEM_EVENT_CRASH:	return "crash";
	case KVM_SYSTEM_EVENT_WAKEUP:	return "wakeup";
	case KVM_SYSTEM_EVENT_SUSPEND:	return "suspend";
	default:			return "unknown";
	}
}

/* One exit of v; 0 to run again, -1 when the run ended. */
static int handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t pc;
	unsigned int i;
	int ec;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return handle_mmio(v);
	case KVM_EXIT_ARM_NISV:
		say("NISV on vCPU %u: IPA 0x%llx, ESR ISS 0x%llx; injecting an external data abort",
		    v->id, (unsigned long long)run->arm_nisv.fault_ipa,
		    (unsigned long long)run->arm_nisv.esr_iss);
		if (inject_abort(v, 0) < 0)
			break;
		return 0;
	case KVM_EXIT_ARM_SEA:
		ec = (int)((run->arm_sea.esr >> 26) & 0x3f);
		say("SEA on vCPU %u: ESR 0x%llx (EC 0x%x), GVA 0x%llx, GPA 0x%llx%s; injecting an external %s abort",
		    v->id, (unsigned long long)run->arm_sea.esr, ec,
		    (unsigned long long)run->arm_sea.gva, (unsigned long long)run->arm_sea.gpa,
		    run->arm_sea.flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID ? "" : " (not valid)",
		    ec == 0x20 || ec == 0x21 ? "instruction" : "data");
		if (inject_abort(v, ec == 0x20 || ec == 0x21) < 0)
			break;
		return 0;
	case KVM_EXIT_SYSTEM_EVENT:
		say("system event %s (type %u, vCPU %u)", event_name(run->system_event.type),
		    run->system_event.type, v->id);
		finish(run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ||
		       run->system_event.type == KVM_SYSTEM_EVENT_RESET ? 0 : HARNESS_RC_ERROR);
		return -1;
	case KVM_EXIT_INTERNAL_ERROR:
		pc = vcpu_pc(v);
		pthread_mutex_lock(&out_lock);
		printf("%sharness: internal error on vCPU %u: suberror %u, PC 0x%llx, data:",
		       line_open ? "\n" : "", v->id, run->internal.suberror,
		       (unsigned long long)pc);
		line_open = 0;
		for (i = 0; i < run->internal.ndata && i < 16; i++)
			printf(" 0x%llx", (unsigned long long)run->internal.data[i]);
		printf("\n");
		pthread_mutex_unlock(&out_lock);
		if (v->id == 0 && v->runs == 1 && pc == entry) {
			say("the hypervisor did not execute the first instruction");
			finish(HARNESS_RC_NOT_RUN);
		} else {
			finish(HARNESS_RC_ERROR);
		}
		return -1;
	case KVM_EXIT_FAIL_ENTRY:
		say("KVM_EXIT_FAIL_ENTRY on vCPU %u: reason 0x%llx", v->id,
		    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTR:
		return 0;	/* the loop looks at stopping and timed_out */
	default:
		say("unexpected exit reason %u on vCPU %u at PC 0x%llx", run->exit_reason,
		    v->id, (unsigned long long)vcpu_pc(v));
		break;
	}
	finish(HARNESS_RC_ERROR);
	return -1;
}

static void vcpu_loop(struct vcpu *v)
{
	for (;;) {
		int r;

		if (atomic_load(&stopping))
			return;
		if (timed_out) {
			say("timeout after %u s (vCPU %u at PC 0x%llx)", opts->timeout, v->id,
			    (unsigned long long)vcpu_pc(v));
			finish(HARNESS_RC_TIMEOUT);
			return;
		}
		r = hv->ioctl(v->fd, KVM_RUN, 0);
		v->runs++;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				v->run->immediate_exit = atomic_load(&stopping) || timed_out;
				continue;
			}
			say("KVM_RUN on vCPU %u: %s (PC 0x%llx)", v->id, errstr(),
			    (unsigned long long)vcpu_pc(v));
			finish(HARNESS_RC_ERROR);
			return;
		}
		if (handle_exit(v) < 0)
			return;
	}
}

static void *vcpu_thread(void *arg)
{
	vcpu_loop(arg);
	return NULL;
}

/* ---- setup ---- */

static int check_cap(int fd, long cap)
{
	int r = hv->ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

static int enable_cap(uint32_t cap)
{
	struct kvm_enable_cap c;

	memset(&c, 0, sizeof(c));
	c.cap = cap;
	return hv->ioctl(vm_fd, KVM_ENABLE_CAP, &c);
}

static int setup_sve(struct vcpu *v)
{
	uint64_t vls[KVM_ARM64_SVE_VLS_WORDS];
	struct kvm_one_reg r = { .id = KVM_REG_ARM64_SVE_VLS, .addr = (uint64_t)(uintptr_t)vls };
	unsigned int vq, max = 0;
	int feature = KVM_ARM_VCPU_SVE;

	if (hv->ioctl(v->fd, KVM_GET_ONE_REG, &r) < 0) {
		say("KVM_GET_ONE_REG(SVE_VLS): %s", errstr());
		return -1;
	}
	if (opts->sve_vl) {
		vq = opts->sve_vl / 128;
		if (opts->sve_vl % 128 || vq < 1 || vq > KVM_ARM64_SVE_VQ_MAX ||
		    !(vls[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)))) {
			say("SVE vector length %u is not supported here", opts->sve_vl);
			return 1;
		}
		for (unsigned int q = vq + 1; q <= KVM_ARM64_SVE_VQ_MAX; q++)
			vls[(q - 1) / 64] &= ~(1ULL << ((q - 1) % 64));
		if (hv->ioctl(v->fd, KVM_SET_ONE_REG, &r) < 0) {
			say("KVM_SET_ONE_REG(SVE_VLS): %s", errstr());
			return -1;
		}
	}
	for (vq = 1; vq <= KVM_ARM64_SVE_VQ_MAX; vq++)
		if (vls[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)))
			max = vq;
	if (hv->ioctl(v->fd, KVM_ARM_VCPU_FINALIZE, &feature) < 0) {
		say("KVM_ARM_VCPU_FINALIZE(SVE): %s", errstr());
		return -1;
	}
	if (v->id == 0)
		say("SVE: maximum vector length %u bits", max * 128);
	return 0;
}

/* 0 ok, -1 error (said), 1 skip (said) */
static int create_vcpu(struct vcpu *v, unsigned int id)
{
	struct kvm_vcpu_init init;
	int r;

	v->id = id;
	v->fd = hv->ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (v->fd < 0) {
		say("KVM_CREATE_VCPU %u: %s", id, errstr());
		return -1;
	}
	memset(&init, 0, sizeof(init));
	if (hv->ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		say("KVM_ARM_PREFERRED_TARGET: %s", errstr());
		return -1;
	}
	memset(init.features, 0, sizeof(init.features));
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (id > 0)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (opts->sve)
		init.features[0] |= 1U << KVM_ARM_VCPU_SVE;
	if (hv->ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		say("KVM_ARM_VCPU_INIT %u: %s", id, errstr());
		return -1;
	}
	if (opts->sve) {
		r = setup_sve(v);
		if (r)
			return r;
	}
	v->run = hv->mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		say("mmap of kvm_run for vCPU %u: %s", id, errstr());
		return -1;
	}
	return 0;
}

/* Where the guest goes: the arm64 boot protocol for an Image, raw_offset otherwise. */
static int load_image(uint8_t *ram, size_t ram_size)
{
	const uint8_t *img = opts->image;
	size_t n = opts->image_size, need = n;
	uint64_t off = opts->raw_offset;

	if (n >= 64 && le_load(img + 56, 4) == ARM64_IMAGE_MAGIC) {
		uint64_t text_offset = le_load(img + 8, 8), image_size = le_load(img + 16, 8);

		/* RAM_BASE is 2 MiB aligned: the image goes at base + text_offset */
		off = image_size ? text_offset : 0x80000;
		need = image_size > n ? image_size : n;
		say("%s: arm64 Image, text_offset 0x%llx, image_size 0x%llx", opts->name,
		    (unsigned long long)text_offset, (unsigned long long)image_size);
	} else {
		say("%s: raw binary, %zu bytes at offset 0x%llx", opts->name, n,
		    (unsigned long long)off);
	}
	if (off > ram_size || need > ram_size - off) {
		say("%s does not fit in %zu bytes of RAM at offset 0x%llx", opts->name, ram_size,
		    (unsigned long long)off);
		return -1;
	}
	memcpy(ram + off, img, n);
	entry = RAM_BASE + off;
	return 0;
}

static int setup_poison(void)
{
#ifdef VKVM_SET_MEMORY_ERROR
	struct vkvm_memory_error me = {
		.gpa = POISON_GPA, .size = 0x1000, .flags = VKVM_MEMORY_ERROR_POISON,
	};

	if (opts->hv == &hv_kvm) {
		say("skip: Linux KVM has no ioctl to mark guest memory as poisoned (VKVM_SET_MEMORY_ERROR is vkvm's)");
		return 1;
	}
	if (hv->ioctl(vm_fd, VKVM_SET_MEMORY_ERROR, &me) < 0) {
		say("skip: VKVM_SET_MEMORY_ERROR: %s", errstr());
		return 1;
	}
	say("GPA 0x%lx poisoned (VKVM_SET_MEMORY_ERROR)", POISON_GPA);
	sea_mode |= SEA_MODE_POISONED;
	return 0;
#else
	say("skip: nothing can raise a memory error here: Linux KVM has no ioctl to poison guest memory, and this /dev/kvm-only build lacks vkvm's VKVM_SET_MEMORY_ERROR");
	return 1;
#endif
}

static int setup_vm(uint8_t **ram_out)
{
	struct kvm_userspace_memory_region region;
	uint8_t *ram;
	int sys_fd, r;

	sys_fd = hv->open(O_RDWR | O_CLOEXEC);
	if (sys_fd < 0) {
		say("cannot open %s: %s", hv == &hv_kvm ? "/dev/kvm" : "vkvm", errstr());
		return -1;
	}
	r = hv->ioctl(sys_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION) {
		say("KVM_GET_API_VERSION: %d", r);
		return -1;
	}
	run_size = (size_t)hv->ioctl(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if ((long)run_size < (long)sizeof(struct kvm_run)) {
		say("KVM_GET_VCPU_MMAP_SIZE: %zd", (ssize_t)run_size);
		return -1;
	}
	if (opts->sve && !check_cap(sys_fd, KVM_CAP_ARM_SVE)) {
		say("skip: no KVM_CAP_ARM_SVE");
		return 1;
	}
	vm_fd = hv->ioctl(sys_fd, KVM_CREATE_VM, 0UL);
	if (vm_fd < 0) {
		say("KVM_CREATE_VM: %s", errstr());
		return -1;
	}

	ram = mmap(NULL, opts->ram_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED) {
		say("cannot map %zu bytes of RAM: %s", opts->ram_size, errstr());
		return -1;
	}
	*ram_out = ram;
	if (load_image(ram, opts->ram_size) < 0)
		return -1;
	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = RAM_BASE;
	region.memory_size = opts->ram_size;
	region.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (hv->ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		say("KVM_SET_USER_MEMORY_REGION: %s", errstr());
		return -1;
	}

	if (opts->nisv_to_user) {
		if (!check_cap(vm_fd, KVM_CAP_ARM_NISV_TO_USER) ||
		    enable_cap(KVM_CAP_ARM_NISV_TO_USER) < 0) {
			say("skip: KVM_CAP_ARM_NISV_TO_USER cannot be enabled");
			return 1;
		}
	}
	if (opts->sea_to_user) {
		if (!check_cap(vm_fd, KVM_CAP_ARM_SEA_TO_USER)) {
			say("skip: no KVM_CAP_ARM_SEA_TO_USER (Linux 6.1 lacks it)");
			return 1;
		}
		if (enable_cap(KVM_CAP_ARM_SEA_TO_USER) < 0) {
			say("KVM_ENABLE_CAP(ARM_SEA_TO_USER): %s", errstr());
			return -1;
		}
		sea_mode |= SEA_MODE_TO_USER;
	}
	if (opts->poison) {
		r = setup_poison();
		if (r)
			return r;
	}
	return 0;
}

void harness_defaults(struct harness_opts *o)
{
	memset(o, 0, sizeof(*o));
#ifdef USE_VKVM
	o->hv = &hv_vkvm;
#else
	o->hv = &hv_kvm;
#endif
	o->name = "guest";
	o->vcpus = 1;
	o->ram_size = GUEST_RAM_SIZE;
	o->timeout = 20;
	o->nisv_to_user = 1;
}

int harness_run(const struct harness_opts *o)
{
	struct sigaction sa;
	sigset_t block, old;
	uint8_t *ram = NULL;
	unsigned int i;
	int r;

	opts = o;
	hv = o->hv;
	if (o->vcpus < 1 || o->vcpus > MAX_VCPUS || o->ram_size < 0x100000 ||
	    o->ram_size % 0x10000 || !o->image || !o->image_size) {
		say("bad options (vCPUs 1..%d, RAM a multiple of 64 KiB from 1 MiB, a non-empty image)",
		    MAX_VCPUS);
		return HARNESS_RC_ERROR;
	}
	say("running %s with %s, %u vCPU%s, %zu MiB", o->name, hv->name, o->vcpus,
	    o->vcpus > 1 ? "s" : "", o->ram_size >> 20);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN returns EINTR */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	r = setup_vm(&ram);
	if (r)
		return r > 0 ? HARNESS_RC_SKIP : HARNESS_RC_ERROR;
	for (i = 0; i < o->vcpus; i++) {
		r = create_vcpu(&vcpus[i], i);
		if (r)
			return r > 0 ? HARNESS_RC_SKIP : HARNESS_RC_ERROR;
	}
	if (set_reg(vcpus[0].fd, CORE_REG(regs.pc), entry) < 0 ||
	    set_reg(vcpus[0].fd, CORE_REG(regs.regs[0]), 0) < 0 ||
	    set_reg(vcpus[0].fd, CORE_REG(regs.pstate), PSTATE_EL1H_DAIF) < 0) {
		say("KVM_SET_ONE_REG (PC, x0, PSTATE): %s", errstr());
		return HARNESS_RC_ERROR;
	}

	/* secondaries never take SIGALRM: it must interrupt vCPU 0's KVM_RUN */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 1; i < o->vcpus; i++) {
		if (pthread_create(&vcpus[i].thread, NULL, vcpu_thread, &vcpus[i])) {
			say("pthread_create: %s", errstr());
			finish(HARNESS_RC_ERROR);
			break;
		}
		vcpus[i].started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	vcpus[0].thread = pthread_self();
	vcpus[0].started = 1;

	alarm(o->timeout);
	vcpu_loop(&vcpus[0]);
	alarm(0);
	finish(HARNESS_RC_ERROR);	/* no-op when the run already ended */
	for (i = 1; i < o->vcpus; i++)
		if (vcpus[i].started)
			pthread_join(vcpus[i].thread, NULL);

	for (i = 0; i < o->vcpus; i++) {
		if (vcpus[i].run)
			munmap(vcpus[i].run, run_size);
		if (vcpus[i].fd >= 0)
			hv->close(vcpus[i].fd);
	}
	if (ram)
		munmap(ram, o->ram_size);
	fflush(stdout);
	return result;
}
