// SPDX-License-Identifier: GPL-2.0
/*
 * The SMCCC services behind the firmware bitmaps, as arch/arm64/kvm/
 * {hypercalls,trng,pvtime}.c answer them: the TRNG, KVM's vendor calls
 * (UID, features, PTP), PV time with its vCPU attribute, and the bitmap
 * registers that gate each of them.
 */
#include <pthread.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define ST_GPA		(RAM_GPA + 0x8000)	/* a stolen-time structure */
#define MMIO_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

#define SMCCC_ARCH_FEATURES	0x80000001ULL
#define TRNG_VERSION		0x84000050ULL
#define TRNG_FEATURES		0x84000051ULL
#define TRNG_GET_UUID		0x84000052ULL
#define TRNG_RND32		0x84000053ULL
#define TRNG_RND64		0xc4000053ULL
#define PV_TIME_FEATURES	0xc5000020ULL
#define PV_TIME_ST		0xc5000021ULL
#define KVM_FEATURES		0x86000000ULL
#define KVM_PTP			0x86000001ULL
#define KVM_CALL_UID		0x8600ff01ULL
#define NOT_SUPPORTED		(~0ULL)

static const uint32_t hvc_then_report[] = {
	0xd4000002,	/* hvc #0 */
	0xf9000120,	/* str x0, [x9] */
	0x14000000,	/* b . */
};

struct hc {
	struct tvm t;
	uint8_t *ram;
};

static void hc_setup(struct hc *c)
{
	uint64_t v = MMIO_GPA;

	tvm_create(&c->t);
	c->ram = tvm_add_ram(&c->t, RAM_GPA, RAM_SIZE, hvc_then_report,
			     sizeof(hvc_then_report));
	ck_assert_int_eq(tvm_init(c->t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(9), &v), 0);
}

static void hc_destroy(struct hc *c)
{
	tvm_destroy(&c->t);
	munmap(c->ram, RAM_SIZE);
}

/* HVC #0 with fn and a1; x0..x3 afterwards in r[] */
static void hc_call(struct hc *c, uint64_t fn, uint64_t a1, uint64_t r[4])
{
	uint64_t pc = RAM_GPA;
	int i;

	ck_assert_int_eq(set_reg(c->t.vcpu, PC_ID, &pc), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(0), &fn), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(1), &a1), 0);
	for (i = 2; i < 4; i++)
		ck_assert_int_eq(set_reg(c->t.vcpu, X(i), &pc), 0);	/* junk */
	c->t.run->exit_reason = 0;	/* the last report needs no completion */
	ck_assert_int_eq(kio_val(c->t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(c->t.run->exit_reason, KVM_EXIT_MMIO);
	for (i = 0; i < 4; i++)
		r[i] = get_reg64(c->t.vcpu, X(i));
}

static uint64_t hc_x0(struct hc *c, uint64_t fn, uint64_t a1)
{
	uint64_t r[4];

	hc_call(c, fn, a1, r);
	return r[0];
}

static void set_bmap(struct hc *c, uint64_t id, uint64_t v, long want)
{
	ck_assert_int_eq(set_reg(c->t.vcpu, id, &v), want);
}

START_TEST(bitmaps_as_kvm)
{
	uint64_t r[4];
	struct hc c;

	hc_setup(&c);
	/* Linux 6.1 to 7.2: TRNG, PV time, FUNC_FEAT and PTP offered */
	ck_assert_uint_eq(get_reg64(c.t.vcpu, KVM_REG_ARM_STD_BMAP), 1);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, KVM_REG_ARM_STD_HYP_BMAP), 1);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP), 3);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP_2), 0);
	/* bits beyond those offered: EINVAL */
	set_bmap(&c, KVM_REG_ARM_STD_BMAP, 2, -EINVAL);
	set_bmap(&c, KVM_REG_ARM_STD_HYP_BMAP, 2, -EINVAL);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 4, -EINVAL);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP_2, 4, -EINVAL);
	/* 7.2: DISCOVER_IMPL_VER/CPUS may be offered (FEATURES's x2, below) */
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP_2, 3, 0);
	/* narrowing and widening again before the first run */
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 1, 0);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 3, 0);
	set_bmap(&c, KVM_REG_ARM_STD_BMAP, 0, 0);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, KVM_REG_ARM_STD_BMAP), 0);
	ck_assert_uint_eq(hc_x0(&c, TRNG_VERSION, 0), NOT_SUPPORTED);
	/* once the VM has run: the same value only */
	set_bmap(&c, KVM_REG_ARM_STD_BMAP, 1, -EBUSY);
	set_bmap(&c, KVM_REG_ARM_STD_BMAP, 0, 0);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 1, -EBUSY);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 3, 0);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP_2, 0, -EBUSY);
	hc_call(&c, KVM_FEATURES, 0, r);
	ck_assert_uint_eq(r[0], 3);
	ck_assert_uint_eq(r[2], 3);
	hc_destroy(&c);
}
END_TEST

START_TEST(trng)
{
	struct hc c;
	uint64_t r[4];
	int i, nonzero = 0;

	hc_setup(&c);
	ck_assert_uint_eq(hc_x0(&c, TRNG_VERSION, 0), 0x10000);
	ck_assert_uint_eq(hc_x0(&c, TRNG_FEATURES, TRNG_RND64), 0);
	ck_assert_uint_eq(hc_x0(&c, TRNG_FEATURES, TRNG_RND32), 0);
	ck_assert_uint_eq(hc_x0(&c, TRNG_FEATURES, TRNG_GET_UUID), 0);
	ck_assert_uint_eq(hc_x0(&c, TRNG_FEATURES, 0x84000054ULL), NOT_SUPPORTED);
	hc_call(&c, TRNG_GET_UUID, 0, r);
	ck_assert_uint_eq(r[0], 0x00e0210d);
	ck_assert_uint_eq(r[1], 0xeb118443);
	ck_assert_uint_eq(r[2], 0x44527080);
	ck_assert_uint_eq(r[3], 0x4c5a4e55);
	/* 192 bits in x1..x3; a few calls cannot all be zero */
	for (i = 0; i < 4; i++) {
		hc_call(&c, TRNG_RND64, 192, r);
		ck_assert_uint_eq(r[0], 0);
		nonzero += r[1] != 0 && r[2] != 0 && r[3] != 0;
	}
	ck_assert_int_ge(nonzero, 3);
	/* fewer bits: right-aligned in x3, the rest zero */
	for (i = 0; i < 8; i++) {
		hc_call(&c, TRNG_RND64, 5, r);
		ck_assert_uint_eq(r[0], 0);
		ck_assert_uint_eq(r[1] | r[2], 0);
		ck_assert_uint_lt(r[3], 32);
		hc_call(&c, TRNG_RND32, 40, r);
		ck_assert_uint_eq(r[0], 0);
		ck_assert_uint_eq(r[1], 0);
		ck_assert_uint_lt(r[2], 256);
		ck_assert_uint_le(r[3], 0xffffffffULL);
	}
	hc_call(&c, TRNG_RND32, 96, r);
	ck_assert_uint_eq(r[0], 0);
	ck_assert_uint_le(r[1] | r[2] | r[3], 0xffffffffULL);
	/* more than the registers hold: INVALID_PARAMETER */
	ck_assert_uint_eq(hc_x0(&c, TRNG_RND64, 193), (uint64_t)-2);
	ck_assert_uint_eq(hc_x0(&c, TRNG_RND32, 97), (uint64_t)-2);
	/* SMC32 calls take the low 32 bits of x1 */
	ck_assert_uint_eq(hc_x0(&c, TRNG_RND32, 0x100000020ULL), 0);
	hc_destroy(&c);
}
END_TEST

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

START_TEST(vendor_calls_and_ptp)
{
	const uint64_t cnt = 0x123456789abULL, pcnt = 0x5000000000ULL;
	struct hc c;
	uint64_t r[4], before, after, real, cycles;

	hc_setup(&c);
	ck_assert_int_eq(kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_PTP_KVM), 1);
	hc_call(&c, KVM_CALL_UID, 0, r);	/* 28b46fb6-2ec5-11e9-a9ca-4b564d003a74 */
	ck_assert_uint_eq(r[0], 0xb66fb428);
	ck_assert_uint_eq(r[1], 0xe911c52e);
	ck_assert_uint_eq(r[2], 0x564bcaa9);
	ck_assert_uint_eq(r[3], 0x743a004d);
	hc_call(&c, KVM_FEATURES, 0, r);
	ck_assert_uint_eq(r[0], 3);
	ck_assert_uint_eq(r[1] | r[2] | r[3], 0);

	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_TIMER_CNT, &cnt), 0);
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_PTIMER_CNT, &pcnt), 0);
	before = realtime_ns();
	hc_call(&c, KVM_PTP, 0, r);		/* KVM_PTP_VIRT_COUNTER */
	after = realtime_ns();
	real = r[0] << 32 | r[1];
	cycles = r[2] << 32 | r[3];
	ck_assert_uint_le(r[0] | r[1] | r[2] | r[3], 0xffffffffULL);	/* 32-bit halves */
	ck_assert_uint_ge(real, before);
	ck_assert_uint_le(real, after);
	/* 62.5 MHz: less than ten seconds past the count set above */
	ck_assert_uint_ge(cycles, cnt);
	ck_assert_uint_lt(cycles, cnt + 625000000ULL);
	hc_call(&c, KVM_PTP, 1, r);		/* KVM_PTP_PHYS_COUNTER */
	cycles = r[2] << 32 | r[3];
	ck_assert_uint_ge(cycles, pcnt);
	ck_assert_uint_lt(cycles, pcnt + 625000000ULL);
	hc_call(&c, KVM_PTP, 2, r);
	ck_assert_uint_eq(r[0], NOT_SUPPORTED);
	ck_assert_uint_eq(r[1] | r[2] | r[3], 0);
	hc_destroy(&c);

	/* PTP's bit cleared: the call is gone, FEATURES says so */
	hc_setup(&c);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 1, 0);
	ck_assert_uint_eq(hc_x0(&c, KVM_FEATURES, 0), 1);
	ck_assert_uint_eq(hc_x0(&c, KVM_PTP, 0), NOT_SUPPORTED);
	hc_destroy(&c);
	/* FUNC_FEAT cleared too: no UID either */
	hc_setup(&c);
	set_bmap(&c, KVM_REG_ARM_VENDOR_HYP_BMAP, 0, 0);
	ck_assert_uint_eq(hc_x0(&c, KVM_CALL_UID, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(hc_x0(&c, KVM_FEATURES, 0), NOT_SUPPORTED);
	hc_destroy(&c);
}
END_TEST

static long pvtime_attr(struct hc *c, unsigned long ioctl, uint64_t attr, uint64_t *ipa)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PVTIME_CTRL,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)ipa,
	};

	return kio(c->t.vcpu, ioctl, &a);
}

START_TEST(pvtime_attribute)
{
	struct hc c;
	uint64_t ipa;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		/* a host without schedstat: no PV time, as KVM without sched_info */
		ck_assert_int_eq(pvtime_attr(&c, KVM_HAS_DEVICE_ATTR, 0, &ipa), -ENXIO);
		hc_destroy(&c);
		return;
	}
	ck_assert_int_eq(kio_val(c.t.vm, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME), 1);
	ck_assert_int_eq(pvtime_attr(&c, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_int_eq(pvtime_attr(&c, KVM_HAS_DEVICE_ATTR, 1, &ipa), -ENXIO);
	ck_assert_int_eq(pvtime_attr(&c, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_uint_eq(ipa, ~0ULL);		/* INVALID_GPA */
	/* without it, the guest sees no PV time */
	ck_assert_uint_eq(hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_FEATURES, PV_TIME_ST), NOT_SUPPORTED);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), NOT_SUPPORTED);

	ipa = ST_GPA + 32;
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), -EINVAL);
	ipa = 0x40000000;			/* no memslot */
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), -EINVAL);
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, 1, &ipa), -ENXIO);
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA,
				     (uint64_t *)8), -EFAULT);
	ipa = ST_GPA;
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), -EEXIST);
	ipa = 0;
	ck_assert_int_eq(pvtime_attr(&c, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_uint_eq(ipa, ST_GPA);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_FEATURES, PV_TIME_ST), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_FEATURES, PV_TIME_FEATURES), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_FEATURES, 0x12345), NOT_SUPPORTED);
	hc_destroy(&c);

	/* STD_HYP_BMAP cleared: PV time is not there, attribute or not */
	hc_setup(&c);
	ipa = ST_GPA;
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	set_bmap(&c, KVM_REG_ARM_STD_HYP_BMAP, 0, 0);
	ck_assert_uint_eq(hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES), NOT_SUPPORTED);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_FEATURES, PV_TIME_ST), NOT_SUPPORTED);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), NOT_SUPPORTED);
	hc_destroy(&c);
}
END_TEST

static atomic_bool spin_stop;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&spin_stop, memory_order_relaxed))
		;
	return NULL;
}

static uint64_t stolen_time(struct hc *c)
{
	uint64_t v;

	memcpy(&v, c->ram + (ST_GPA - RAM_GPA) + 8, sizeof(v));
	return v;
}

START_TEST(pvtime_counts_runnable_time)
{
	struct hc c;
	uint64_t ipa = ST_GPA, start;
	cpu_set_t one, old;
	pthread_attr_t pa;
	pthread_t th;
	int i;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		hc_destroy(&c);
		return;
	}
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	memset(c.ram + (ST_GPA - RAM_GPA), 0xa5, 64);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), ST_GPA);
	/*
	 * PV_TIME_ST zeroes the structure: revision 0, attributes 0, padding;
	 * stolen_time counts from there (an update may already have come,
	 * between guest entries): less than a second, not the 0xa5 pattern.
	 */
	for (i = 0; i < 64; i++)
		if (i < 8 || i >= 16)
			ck_assert_uint_eq(c.ram[ST_GPA - RAM_GPA + i], 0);
	ck_assert_uint_lt(stolen_time(&c), 1000000000ULL);
	/* the count continues from whatever the guest holds */
	start = 1000000;
	memcpy(c.ram + (ST_GPA - RAM_GPA) + 8, &start, sizeof(start));

	/* a busy thread on our CPU: the vCPU thread waits, runnable */
	ck_assert_int_eq(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	atomic_store(&spin_stop, false);
	pthread_attr_init(&pa);
	pthread_attr_setaffinity_np(&pa, sizeof(one), &one);
	ck_assert_int_eq(pthread_create(&th, &pa, spinner, NULL), 0);
	pthread_attr_destroy(&pa);
	for (i = 0; i < 20000 && stolen_time(&c) <= start; i++)
		ck_assert_uint_eq(hc_x0(&c, 0x80000000ULL, 0), 0x10001);
	atomic_store(&spin_stop, true);
	pthread_join(th, NULL);
	sched_setaffinity(0, sizeof(old), &old);
	ck_assert_uint_gt(stolen_time(&c), start);
	/* and never more than the time that passed */
	ck_assert_uint_lt(stolen_time(&c) - start, 60000000000ULL);
	hc_destroy(&c);
}
END_TEST

/*
 * Descriptors of this process open on a schedstat file; the task
 * directory of the last one in *tid (-1 if none)
 */
static int schedstat_fds_of(long *tid)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], target[256];
	const char *task;
	int n = 0;
	ssize_t len;

	ck_assert_ptr_nonnull(d);
	*tid = -1;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strstr(target, "/schedstat"))
			continue;
		n++;
		task = strstr(target, "/task/");
		*tid = task ? strtol(task + 6, NULL, 10) : 0;
	}
	closedir(d);
	return n;
}

static int schedstat_fds(void)
{
	long tid;

	return schedstat_fds_of(&tid);
}

struct other_run {
	struct hc *c;
	long tid, fd_tid;
	int fds;
};

static void *run_features(void *arg)
{
	struct other_run *o = arg;

	o->tid = gettid();
	hc_x0(o->c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	o->fds = schedstat_fds_of(&o->fd_tid);
	return NULL;
}

/*
 * The update at each KVM_RUN reads the vCPU thread's run_delay from one
 * descriptor the vCPU keeps (not an open and close per exit), only once
 * the guest has a stolen-time structure; a KVM_RUN from another thread
 * reads that thread's, the first one's descriptor closed; the vCPU's
 * destruction closes it.
 */
START_TEST(pvtime_keeps_one_schedstat_open)
{
	struct hc c;
	struct other_run other = { .c = &c };
	uint64_t ipa = ST_GPA;
	pthread_t th;
	long tid;
	int i;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		hc_destroy(&c);
		return;
	}
	ck_assert_int_eq(schedstat_fds(), 0);
	for (i = 0; i < 3; i++)
		hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	ck_assert_int_eq(schedstat_fds(), 0);		/* no structure: no work */
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), ST_GPA);
	for (i = 0; i < 10; i++) {
		hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
		ck_assert_int_eq(schedstat_fds(), 1);
	}
	ck_assert_int_eq(schedstat_fds_of(&tid), 1);
	ck_assert_int_eq(tid, gettid());
	/* the other thread's run reads its own run_delay, not this one's */
	ck_assert_int_eq(pthread_create(&th, NULL, run_features, &other), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(other.fds, 1);
	ck_assert_int_eq(other.fd_tid, other.tid);
	hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	ck_assert_int_eq(schedstat_fds_of(&tid), 1);
	ck_assert_int_eq(tid, gettid());
	hc_destroy(&c);
	ck_assert_int_eq(schedstat_fds(), 0);
}
END_TEST

/*
 * KVM stores stolen_time at every vCPU load, changed or not, and so marks
 * its page dirty each time: a KVM_RUN that had nothing stolen to add
 * still leaves the page in the dirty log.
 */
START_TEST(pvtime_page_dirty_at_every_run)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .flags = KVM_MEM_LOG_DIRTY_PAGES,
		.guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	uint64_t ipa = ST_GPA, bm;
	struct kvm_dirty_log log = { .slot = 0, .dirty_bitmap = &bm };
	struct hc c;
	int i;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		hc_destroy(&c);
		return;
	}
	mem.userspace_addr = (uint64_t)(uintptr_t)c.ram;
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION, &mem), 0);
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), ST_GPA);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(kio(c.t.vm, KVM_GET_DIRTY_LOG, &log), 0);
		hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
		ck_assert_int_eq(kio(c.t.vm, KVM_GET_DIRTY_LOG, &log), 0);
		ck_assert_msg(bm == 1ULL << ((ST_GPA - RAM_GPA) >> 12),
			      "run %d: dirty bitmap %#llx", i, (unsigned long long)bm);
	}
	hc_destroy(&c);
}
END_TEST

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* the calling thread's run_delay, ns: schedstat's second field */
static uint64_t own_run_delay(void)
{
	unsigned long long run, delay;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%llu %llu", &run, &delay), 2);
	fclose(f);
	return delay;
}

/*
 * The vCPU thread kept off its CPU for a while outside KVM_RUN (runnable
 * behind a spinner pinned to the same CPU): the very next KVM_RUN adds at
 * least the run_delay it gathered meanwhile, however recent the update
 * before that was, and never more than the time that passed.
 */
START_TEST(pvtime_steal_arrives_at_the_next_run)
{
	struct hc c;
	uint64_t ipa = ST_GPA, s0, s1, r0, r1, t0, t;
	cpu_set_t one, old;
	pthread_attr_t pa;
	pthread_t th;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		hc_destroy(&c);
		return;
	}
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	t0 = mono_ns();
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), ST_GPA);
	hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	s0 = stolen_time(&c);
	r0 = own_run_delay();

	ck_assert_int_eq(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	atomic_store(&spin_stop, false);
	pthread_attr_init(&pa);
	pthread_attr_setaffinity_np(&pa, sizeof(one), &one);
	ck_assert_int_eq(pthread_create(&th, &pa, spinner, NULL), 0);
	pthread_attr_destroy(&pa);
	/* 100 ms of busy waiting, half of it or so behind the spinner */
	for (t = mono_ns(); mono_ns() - t < 100000000ULL;)
		;
	atomic_store(&spin_stop, true);
	pthread_join(th, NULL);
	sched_setaffinity(0, sizeof(old), &old);
	r1 = own_run_delay();
	ck_assert_uint_gt(r1, r0);		/* the thread did wait */

	hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	s1 = stolen_time(&c);
	ck_assert_msg(s1 - s0 >= r1 - r0, "stolen %llu ns, run_delay grew %llu ns",
		      (unsigned long long)(s1 - s0), (unsigned long long)(r1 - r0));
	ck_assert_uint_le(s1, mono_ns() - t0);
	hc_destroy(&c);
}
END_TEST

/* read() and pread() calls of the calling thread so far (/proc/.../io) */
static uint64_t own_read_calls(void)
{
	char buf[512], *p;
	int fd = open("/proc/thread-self/io", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	p = strstr(buf, "syscr: ");
	ck_assert_ptr_nonnull(p);
	return strtoull(p + 7, NULL, 10);
}

/*
 * A console's LSR poll makes an exit every few microseconds: run_delay
 * is read at most once per 4 ms tick, not at every KVM_RUN (issue 18:
 * 15,688 pread() calls in one boot).  Each read is one read syscall of
 * the vCPU thread, which its I/O accounting counts.
 */
START_TEST(pvtime_reads_run_delay_once_a_tick)
{
	struct hc c;
	uint64_t ipa = ST_GPA, reads, t0, t1, allowed;
	int i;

	hc_setup(&c);
	if (!kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME)) {
		hc_destroy(&c);
		return;
	}
	ck_assert_int_eq(pvtime_attr(&c, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_IPA, &ipa), 0);
	ck_assert_uint_eq(hc_x0(&c, PV_TIME_ST, 0), ST_GPA);
	t0 = mono_ns();
	reads = own_read_calls();
	for (i = 0; i < 2000; i++)
		hc_x0(&c, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	reads = own_read_calls() - reads - 1;	/* less the first look's */
	t1 = mono_ns();
	/* one read per 4 ms that passed, and one at either end */
	allowed = (t1 - t0) / 4000000 + 2;
	/* (a machine so slow that 2000 runs took 4 s tells nothing) */
	ck_assert_uint_lt(allowed, 1000);
	ck_assert_msg(reads <= allowed, "%llu reads in %llu ms of 2000 KVM_RUNs",
		      (unsigned long long)reads, (unsigned long long)((t1 - t0) / 1000000));
	hc_destroy(&c);
}
END_TEST

/*
 * The ioctls copy their arguments through process_vm_readv() on the
 * process's pid, which vkvm keeps: a fork()'s child must copy from its
 * own memory, not its parent's at the same address.
 */
static uint64_t fork_val, fork_got;

START_TEST(ioctl_copies_from_the_child_after_fork)
{
	struct hc c;
	pid_t pid;
	int status;

	hc_setup(&c);
	fork_val = 0x1111;
	ck_assert_int_eq(set_reg(c.t.vcpu, X(5), &fork_val), 0);	/* pid known */
	hc_destroy(&c);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		fork_val = 0x2222;
		hc_setup(&c);
		if (set_reg(c.t.vcpu, X(5), &fork_val) || get_reg(c.t.vcpu, X(5), &fork_got))
			_exit(2);
		_exit(fork_got == 0x2222 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

Suite *hypercalls_suite(void)
{
	return CHECK_SUITE("hypercalls", 60, bitmaps_as_kvm, trng,
			   vendor_calls_and_ptp, pvtime_attribute,
			   pvtime_counts_runnable_time, pvtime_keeps_one_schedstat_open,
			   pvtime_page_dirty_at_every_run, pvtime_steal_arrives_at_the_next_run,
			   pvtime_reads_run_delay_once_a_tick,
			   ioctl_copies_from_the_child_after_fork);
}
