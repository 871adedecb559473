// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging (KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG,
 * KVM_CLEAR_DIRTY_LOG, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2), on the ideas of
 * Linux's dirty_log_test and set_memory_region_test: a guest stores to
 * pages of a logging slot and every page stored to is reported, round
 * after round, although its soft-TLB entry was writable in the round
 * before; the CLEAR semantics and their EINVAL cases; logging switched on
 * and off on a live slot; a logging slot deleted under a running vCPU.
 * The guest code is hand-assembled A64 (the words are listed with their
 * assembly).
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

#define CODE_GPA	0x80000000ULL
#define LOG_GPA		0x100000000ULL
#define MMIO_GPA	0x0a000000ULL
#define LOG_SLOT	1
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

static const uint32_t guest[] = {
	/* stores: x4 pages from x2, x3 bytes apart, then an MMIO exit */
	0xf9000045,	/* 0x00 loop: str x5, [x2] */
	0x8b030042,	/* 0x04 add  x2, x2, x3 */
	0xf1000484,	/* 0x08 subs x4, x4, #1 */
	0x54ffffa1,	/* 0x0c b.ne loop */
	0xf9000025,	/* 0x10 str  x5, [x1]: MMIO exit */
	0x17fffffb,	/* 0x14 b    loop */
	/* forever: a count x5 to page x6, x6 += x4 masked by x7 */
	0xf8266845,	/* 0x18 spin: str x5, [x2, x6] */
	0x8b0400c6,	/* 0x1c add  x6, x6, x4 */
	0x8a0700c6,	/* 0x20 and  x6, x6, x7 */
	0x910004a5,	/* 0x24 add  x5, x5, #1 */
	0x17fffffc,	/* 0x28 b    spin */
};

#define SPIN_PC		(CODE_GPA + 0x18)

struct dvm {
	struct tvm t;
	void *code;
	uint64_t *mem;		/* the logging slot's memory */
	size_t pages;
};

static long set_log_slot(struct dvm *d, uint32_t flags, size_t pages)
{
	struct kvm_userspace_memory_region m = {
		.slot = LOG_SLOT, .flags = flags, .guest_phys_addr = LOG_GPA,
		.memory_size = pages * 4096,
		.userspace_addr = (uint64_t)(uintptr_t)d->mem,
	};

	return kio(d->t.vm, KVM_SET_USER_MEMORY_REGION, &m);
}

/* A VM with the code in slot 0 and `pages` pages in LOG_SLOT (flags). */
static void dvm_create(struct dvm *d, uint64_t manual, uint32_t flags, size_t pages)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, .args = { manual },
	};
	uint64_t v;

	tvm_create(&d->t);
	d->code = tvm_add_ram(&d->t, CODE_GPA, 0x10000, guest, sizeof(guest));
	if (manual)
		ck_assert_int_eq(kio(d->t.vm, KVM_ENABLE_CAP, &cap), 0);
	d->pages = pages;
	d->mem = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(d->mem, MAP_FAILED);
	ck_assert_int_eq(set_log_slot(d, flags, pages), 0);
	ck_assert_int_eq(tvm_init(d->t.vcpu, 0), 0);
	v = CODE_GPA;
	ck_assert_int_eq(set_reg(d->t.vcpu, PC_ID, &v), 0);
	v = MMIO_GPA;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(1), &v), 0);
}

static void dvm_destroy(struct dvm *d)
{
	tvm_destroy(&d->t);
	munmap(d->code, 0x10000);
	munmap(d->mem, d->pages * 4096);
}

/* The guest stores value to n pages from page first, stride pages apart. */
static void guest_store(struct dvm *d, uint64_t first, uint64_t stride, uint64_t n,
			uint64_t value)
{
	uint64_t v;

	v = LOG_GPA + first * 4096;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(2), &v), 0);
	v = stride * 4096;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(3), &v), 0);
	ck_assert_int_eq(set_reg(d->t.vcpu, X(4), &n), 0);
	ck_assert_int_eq(set_reg(d->t.vcpu, X(5), &value), 0);
	ck_assert_int_eq(kio_val(d->t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(d->t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(d->t.run->mmio.phys_addr, MMIO_GPA);
}

static long get_log(int vm, uint32_t slot, uint64_t *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	return kio(vm, KVM_GET_DIRTY_LOG, &log);
}

static long clear_log(int vm, uint32_t slot, uint64_t first, uint32_t n,
		      uint64_t *bitmap)
{
	struct kvm_clear_dirty_log log = {
		.slot = slot, .num_pages = n, .first_page = first, .dirty_bitmap = bitmap,
	};

	return kio(vm, KVM_CLEAR_DIRTY_LOG, &log);
}

START_TEST(dirty_log_caps)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 };
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
			 KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET);
	/* arm64 has only the ACQ_REL ring (1 MiB at most), not with a bitmap */
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING), 0);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL),
			 65536 * 16);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_WITH_BITMAP), 0);
	/* INITIALLY_SET only with MANUAL_PROTECT_ENABLE; no other bit; no flags */
	cap.args[0] = KVM_DIRTY_LOG_INITIALLY_SET;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | 4;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;
	cap.flags = 1;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.flags = 0;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), 0);
	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), 0);
	cap.args[0] = 0;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), 0);
	tvm_destroy(&t);
}
END_TEST

/*
 * dirty_log_test's check, single-threaded so that it is exact: the pages
 * the guest stored to, and only those, each round.  Round 2 stores to
 * pages whose TLB entries round 1 left writable: caught only if fetching
 * the log write-protected them again.
 */
START_TEST(guest_stores_logged_round_after_round)
{
	uint64_t bm[2];
	struct dvm d;
	unsigned int round;

	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, 128);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0] | bm[1], 0);

	guest_store(&d, 0, 1, 128, 1);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], ~0ULL);
	ck_assert_uint_eq(bm[1], ~0ULL);
	/* without manual protection, fetching cleared the log */
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0] | bm[1], 0);

	for (round = 2; round < 20; round++) {
		/* every (round % 5 + 2)-th page from page round % 3 */
		uint64_t first = round % 3, stride = round % 5 + 2, n = 0, p;

		bm[0] = bm[1] = 0;
		for (p = first; p < 128; p += stride)
			n++;
		guest_store(&d, first, stride, n, round);
		ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
		for (p = 0; p < 128; p++) {
			bool stored = p >= first && (p - first) % stride == 0;

			ck_assert_msg((bool)((bm[p / 64] >> (p % 64)) & 1) == stored,
				      "round %u page %lu: bit %d, stored %d", round,
				      (unsigned long)p, (int)((bm[p / 64] >> (p % 64)) & 1),
				      stored);
			if (stored)
				ck_assert_uint_eq(d.mem[p * 512], round);
		}
	}
	dvm_destroy(&d);
}
END_TEST

/* KVM_CLEAR_DIRTY_LOG with manual protection, and INITIALLY_SET. */
START_TEST(clear_dirty_log_semantics)
{
	uint64_t bm[2], ones[2] = { ~0ULL, ~0ULL }, mask;
	struct dvm d;

	/* 100 pages: the second word has 36 */
	dvm_create(&d, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET,
		   KVM_MEM_LOG_DIRTY_PAGES, 100);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], ~0ULL);
	ck_assert_uint_eq(bm[1], (1ULL << 36) - 1);

	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 64, ones), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0);
	ck_assert_uint_eq(bm[1], (1ULL << 36) - 1);
	/* the tail: num_pages reaches the end of the slot, need not be 64n */
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 64, 36, ones), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0] | bm[1], 0);

	guest_store(&d, 0, 1, 4, 7);		/* pages 0..3 */
	guest_store(&d, 70, 1, 1, 7);		/* page 70 */
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0xf);
	ck_assert_uint_eq(bm[1], 1ULL << 6);
	/* with manual protection, fetching leaves the bits */
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0xf);

	/* clear pages 0 and 1 only; bits that were clear stay clear */
	mask = 0x3 | (1ULL << 40);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 64, &mask), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0xc);
	ck_assert_uint_eq(bm[1], 1ULL << 6);

	/* page 0 again: its TLB entry was writable, the clear protected it */
	guest_store(&d, 0, 1, 1, 8);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0xd);
	/* page 2, still dirty, stored to again: no change */
	guest_store(&d, 2, 1, 1, 8);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0xd);
	/* a clear of nothing is fine */
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 0, ones), 0);
	dvm_destroy(&d);
}
END_TEST

/* kvm_clear_dirty_log_protect()'s and kvm_get_dirty_log()'s errors */
START_TEST(dirty_log_errors)
{
	uint64_t bm[2] = { 0, 0 };
	struct kvm_userspace_memory_region m;
	struct dvm d;

	dvm_create(&d, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, KVM_MEM_LOG_DIRTY_PAGES, 100);
	/* slot ids: out of range, another address space, absent, not logging */
	ck_assert_int_eq(get_log(d.t.vm, 32767, bm), -EINVAL);
	ck_assert_int_eq(get_log(d.t.vm, (1u << 16) | LOG_SLOT, bm), -EINVAL);
	ck_assert_int_eq(get_log(d.t.vm, 5, bm), -ENOENT);
	ck_assert_int_eq(get_log(d.t.vm, 0, bm), -ENOENT);
	ck_assert_int_eq(clear_log(d.t.vm, 32767, 0, 64, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, (1u << 16) | LOG_SLOT, 0, 64, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, 0, 0, 64, bm), -ENOENT);
	/* first_page a multiple of 64 (checked before the slot) */
	ck_assert_int_eq(clear_log(d.t.vm, 5, 1, 63, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 32, 64, bm), -EINVAL);
	/* in the slot: first_page <= npages, first + num <= npages */
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 128, 0, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 64, 37, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 101, bm), -EINVAL);
	/* short of the end: a multiple of 64 */
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 64, 35, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 10, bm), -EINVAL);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 100, bm), 0);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 64, 36, bm), 0);
	/* the caller's bitmap unreadable or unwritable */
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 64, (uint64_t *)8), -EFAULT);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, (uint64_t *)8), -EFAULT);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, (uint64_t *)d.code), 0);

	/* memslot flags: READONLY may not change, unknown flags are EINVAL */
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY, 100),
			 -EINVAL);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES | (1u << 3), 100), -EINVAL);
	m = (struct kvm_userspace_memory_region){
		.slot = 7, .flags = KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY,
		.guest_phys_addr = 0x200000000ULL, .memory_size = 4096,
		.userspace_addr = (uint64_t)(uintptr_t)d.mem,
	};
	ck_assert_int_eq(kio(d.t.vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	ck_assert_int_eq(get_log(d.t.vm, 7, bm), 0);
	dvm_destroy(&d);
}
END_TEST

/*
 * KVM_MR_FLAGS_ONLY: logging switched on for a slot whose pages the guest
 * has stored to (their TLB entries writable) starts clean and catches the
 * next store; switched off, the log is gone (ENOENT); on again, a new one.
 * A move keeps the bitmap.
 */
START_TEST(logging_switched_on_and_off_on_a_live_slot)
{
	uint64_t bm[1];
	struct dvm d;

	dvm_create(&d, 0, 0, 64);
	guest_store(&d, 0, 1, 64, 1);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), -ENOENT);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, 64), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0);
	guest_store(&d, 5, 1, 1, 2);
	guest_store(&d, 9, 1, 1, 2);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], (1ULL << 5) | (1ULL << 9));

	guest_store(&d, 11, 1, 1, 3);
	ck_assert_int_eq(set_log_slot(&d, 0, 64), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), -ENOENT);
	guest_store(&d, 12, 1, 1, 3);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, 64), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 0);

	/* a move keeps the slot's log */
	guest_store(&d, 13, 1, 1, 4);
	{
		struct kvm_userspace_memory_region m = {
			.slot = LOG_SLOT, .flags = KVM_MEM_LOG_DIRTY_PAGES,
			.guest_phys_addr = LOG_GPA + 0x100000, .memory_size = 64 * 4096,
			.userspace_addr = (uint64_t)(uintptr_t)d.mem,
		};

		ck_assert_int_eq(kio(d.t.vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	}
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_uint_eq(bm[0], 1ULL << 13);
	dvm_destroy(&d);
}
END_TEST

struct spinner {
	struct dvm *d;
	long ret;
};

static void *spin_vcpu(void *arg)
{
	struct spinner *s = arg;

	s->ret = kio_val(s->d->t.vcpu, KVM_RUN, 0);
	return NULL;
}

/* The guest stores a rising count to page after page, stride pages apart. */
static void start_spinner(struct dvm *d, struct spinner *s, pthread_t *th, uint64_t stride,
			  uint64_t span)
{
	uint64_t v;

	v = SPIN_PC;
	ck_assert_int_eq(set_reg(d->t.vcpu, PC_ID, &v), 0);
	v = LOG_GPA;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(2), &v), 0);
	v = stride * 4096;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(4), &v), 0);
	v = 1;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(5), &v), 0);
	v = 0;
	ck_assert_int_eq(set_reg(d->t.vcpu, X(6), &v), 0);
	v = (span - 1) * 4096;		/* span: a power of two */
	ck_assert_int_eq(set_reg(d->t.vcpu, X(7), &v), 0);
	s->d = d;
	ck_assert_int_eq(pthread_create(th, NULL, spin_vcpu, s), 0);
}

#define RACE_PAGES	256		/* half the TLB: entries stay, writable */
#define RACE_ROUNDS	200

/*
 * dirty_log_test's race: the guest stores while the host fetches the log.
 * A page whose contents changed between the snapshots taken after fetches
 * k-1 and k was stored to after fetch k-1 returned, so fetch k or k+1
 * (a store after k's exchange of its word) reports it.
 */
/*
 * dirty_log_test's race: the guest stores while the host fetches the log.
 * A page whose contents changed between the snapshots taken after fetches
 * k-1 and k was stored to after fetch k-1 returned, so fetch k or k+1
 * (a store after k's exchange of its word) reports it.  Snapshot 0 is
 * taken before any fetch: logging is on, write-protected, by then.
 */
static void check_logs_while_the_guest_stores(struct dvm *d, unsigned int rounds)
{
	static uint64_t snap[2][RACE_PAGES], bm[2][RACE_PAGES / 64];
	static bool chg[RACE_PAGES];
	unsigned int k, p, changed = 0;

	memset(bm, 0, sizeof(bm));
	memset(chg, 0, sizeof(chg));
	for (p = 0; p < RACE_PAGES; p++)
		snap[0][p] = __atomic_load_n(&d->mem[p * 512], __ATOMIC_RELAXED);
	for (k = 1; k <= rounds; k++) {
		uint64_t *prev = snap[(k - 1) & 1], *cur = snap[k & 1];
		uint64_t *bprev = bm[(k - 1) & 1], *bcur = bm[k & 1];

		usleep(300);
		ck_assert_int_eq(get_log(d->t.vm, LOG_SLOT, bcur), 0);
		for (p = 0; p < RACE_PAGES; p++) {
			bool in = ((bprev[p / 64] | bcur[p / 64]) >> (p % 64)) & 1;

			/* changed between snapshots k-2 and k-1: fetch k-1 or k has it */
			ck_assert_msg(!chg[p] || in, "round %u: page %u stored to, not logged",
				      k, p);
			cur[p] = __atomic_load_n(&d->mem[p * 512], __ATOMIC_RELAXED);
			chg[p] = cur[p] != prev[p];
			changed += chg[p];
		}
	}
	/* the guest ran between the fetches: there was something to check */
	ck_assert_uint_gt(changed, rounds);
}

static void stop_spinner(struct dvm *d, struct spinner *s, pthread_t th)
{
	d->t.run->immediate_exit = 1;
	pthread_join(th, NULL);
	ck_assert_int_eq(s->ret, -EINTR);
}

START_TEST(guest_stores_logged_while_it_runs)
{
	struct spinner s;
	struct dvm d;
	pthread_t th;

	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, RACE_PAGES);
	start_spinner(&d, &s, &th, 7, RACE_PAGES);
	usleep(2000);
	check_logs_while_the_guest_stores(&d, RACE_ROUNDS);
	stop_spinner(&d, &s, th);
	dvm_destroy(&d);
}
END_TEST

/*
 * Logging switched on while the vCPU stores to the slot through writable
 * TLB entries: by the time KVM_SET_USER_MEMORY_REGION returns, every
 * later store is caught (KVM write-protects the slot before returning).
 */
START_TEST(logging_switched_on_under_a_running_vcpu)
{
	struct spinner s;
	struct dvm d;
	pthread_t th;

	dvm_create(&d, 0, 0, RACE_PAGES);
	start_spinner(&d, &s, &th, 5, RACE_PAGES);
	usleep(2000);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, RACE_PAGES), 0);
	check_logs_while_the_guest_stores(&d, RACE_ROUNDS / 4);
	stop_spinner(&d, &s, th);
	dvm_destroy(&d);
}
END_TEST

/*
 * A logging slot deleted while the vCPU stores to it: the log is gone
 * (ENOENT), the vCPU's next store there exits as MMIO, and the bitmap its
 * engine may still point at lives until it cannot (ASan checks).
 */
START_TEST(logging_slot_deleted_under_a_running_vcpu)
{
	uint64_t bm[RACE_PAGES / 64];
	struct spinner s;
	struct dvm d;
	pthread_t th;
	unsigned int i;

	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, RACE_PAGES);
	start_spinner(&d, &s, &th, 3, RACE_PAGES);
	for (i = 0; i < 20; i++) {
		usleep(200);
		ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	}
	ck_assert_int_eq(set_log_slot(&d, 0, 0), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), -ENOENT);
	pthread_join(th, NULL);
	ck_assert_int_eq(s.ret, 0);
	ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_ge(d.t.run->mmio.phys_addr, LOG_GPA);
	ck_assert_uint_lt(d.t.run->mmio.phys_addr, LOG_GPA + RACE_PAGES * 4096);
	/* the same slot again, logging: a new, clean log */
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, RACE_PAGES), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	for (i = 0; i < RACE_PAGES / 64; i++)
		ck_assert_uint_eq(bm[i], 0);
	dvm_destroy(&d);
}
END_TEST

/*
 * Logging switched on and off 200 times on a 512 MiB slot (16 KiB of
 * bitmap each time) while the vCPU stores to it: the bitmaps are retired
 * with the memmaps that point at them, not kept (3.2 MB if they were).
 * (Under ASan mallinfo2() reads 0 and this checks nothing.)
 */
START_TEST(bitmaps_freed_while_a_vcpu_runs)
{
	const size_t pages = 131072;
	struct spinner s;
	struct dvm d;
	pthread_t th;
	size_t heap0;
	unsigned int i;

	dvm_create(&d, 0, 0, pages);
	start_spinner(&d, &s, &th, 3, 64);
	usleep(2000);
	heap0 = mallinfo2().uordblks;
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, pages), 0);
		ck_assert_int_eq(set_log_slot(&d, 0, pages), 0);
	}
	ck_assert_int_lt((long)mallinfo2().uordblks - (long)heap0, 1L << 20);
	stop_spinner(&d, &s, th);
	dvm_destroy(&d);
}
END_TEST

/*
 * Every kind of store marks its page (pair, exclusive, atomic, SIMD,
 * swap, writeback) and cache maintenance does not (DC IVAC asks for write
 * permission but writes nothing), round after round.
 */
START_TEST(stores_of_every_kind_are_logged)
{
	static const uint32_t code[] = {
		0xa9000040,	/* 0x100 stp   x0, x0, [x2]		page 0 */
		0x91400442,	/* 0x104 add   x2, x2, #1, lsl #12 */
		0xc85ffc45,	/* 0x108 ldaxr x5, [x2] */
		0xc8067c40,	/* 0x10c stxr  w6, x0, [x2]		page 1 */
		0x91400442,	/* 0x110 add   x2, x2, #1, lsl #12 */
		0xf8200045,	/* 0x114 ldadd x0, x5, [x2]		page 2 */
		0x91400442,	/* 0x118 add   x2, x2, #1, lsl #12 */
		0x4c007c40,	/* 0x11c st1   {v0.2d}, [x2]		page 3 */
		0x91400442,	/* 0x120 add   x2, x2, #1, lsl #12 */
		0xf8e08045,	/* 0x124 swpal x0, x5, [x2]		page 4 */
		0x91400442,	/* 0x128 add   x2, x2, #1, lsl #12 */
		0xd5087622,	/* 0x12c dc    ivac, x2		page 5: no */
		0x91400442,	/* 0x130 add   x2, x2, #1, lsl #12 */
		0xb8008c40,	/* 0x134 str   w0, [x2, #8]!		page 6 */
		0xf9000020,	/* 0x138 str   x0, [x1]: MMIO exit */
		0x17fffff1,	/* 0x13c b     0x100 */
	};
	uint64_t bm[1], v, cpacr_fpen = 3ULL << 20;
	unsigned int round;
	struct dvm d;

	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, 64);
	memcpy((char *)d.code + 0x100, code, sizeof(code));
	ck_assert_int_eq(set_reg(d.t.vcpu, ARM64_SYS_REG(3, 0, 1, 0, 2), &cpacr_fpen), 0);
	v = CODE_GPA + 0x100;
	ck_assert_int_eq(set_reg(d.t.vcpu, PC_ID, &v), 0);
	for (round = 1; round <= 3; round++) {
		/* from the second round on, the MMIO store completes first */
		v = LOG_GPA;
		ck_assert_int_eq(set_reg(d.t.vcpu, X(2), &v), 0);
		v = round;
		ck_assert_int_eq(set_reg(d.t.vcpu, X(0), &v), 0);
		ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), 0);
		ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_MMIO);
		ck_assert_uint_eq(get_reg64(d.t.vcpu, X(6)), 0);	/* stxr stored */
		ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
		ck_assert_msg(bm[0] == 0x5f, "round %u: %#lx", round, (unsigned long)bm[0]);
		ck_assert_uint_eq(d.mem[6 * 512 + 1] & 0xffffffff, round);
	}
	dvm_destroy(&d);
}
END_TEST

/*
 * vkvm's own stores for the guest are logged as the guest's (KVM's
 * mark_page_dirty): the stolen-time structure KVM_RUN updates lies in the
 * logging slot, so its page is reported although the guest never stored
 * there.
 */
START_TEST(vkvm_stores_for_the_guest_are_logged)
{
	uint64_t bm[1], ipa = LOG_GPA + 10 * 4096;
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VCPU_PVTIME_CTRL, .attr = KVM_ARM_VCPU_PVTIME_IPA,
		.addr = (uint64_t)(uintptr_t)&ipa,
	};
	struct dvm d;

	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, 64);
	if (kio_val(d.t.vm, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME) <= 0) {
		dvm_destroy(&d);
		return;		/* no run delay from the host: no PV time */
	}
	ck_assert_int_eq(kio(d.t.vcpu, KVM_SET_DEVICE_ATTR, &attr), 0);
	guest_store(&d, 0, 1, 1, 1);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_msg(bm[0] == (1ULL | 1ULL << 10), "log %#lx", (unsigned long)bm[0]);
	/* and again after the log was taken: the next KVM_RUN stores anew */
	guest_store(&d, 0, 1, 1, 2);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
	ck_assert_msg(bm[0] == (1ULL | 1ULL << 10), "log %#lx", (unsigned long)bm[0]);
	dvm_destroy(&d);
}
END_TEST

/* kernel/cpu/cpu.h's test hooks: how the host is asked */
void cpu_host_wchk_use_maps(void);
unsigned long cpu_host_wchk_maps_reads(void);
const char *cpu_host_wchk_way(void);

/*
 * qemu-user answers read() of no descriptor with EFAULT for a read-only
 * buffer, which vkvm takes as its cheap writability question there; Linux
 * itself answers EBADF whatever the buffer, so the probe must not choose
 * that way here: it would take every page for writable.  Natively the
 * store to a PROT_READ slot stays EFAULT whichever way was chosen.
 */
START_TEST(host_writability_probe_knows_the_kernel)
{
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dvm d;
	uint64_t v;

	ck_assert_ptr_ne(ro, MAP_FAILED);
	errno = 0;
	ck_assert_int_eq(read(-1, ro, 1), -1);
	ck_assert_int_eq(errno, EBADF);		/* the kernel, not an emulator */
	munmap(ro, 4096);

	dvm_create(&d, 0, 0, 4);
	ck_assert_int_eq(mprotect(d.mem, 4 * 4096, PROT_READ), 0);
	v = LOG_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(2), &v), 0);
	v = 1;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(4), &v), 0);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), -EFAULT);
	ck_assert_str_ne(cpu_host_wchk_way(), "read-efault");
	ck_assert_str_ne(cpu_host_wchk_way(), "unknown");
	ck_assert_int_eq(mprotect(d.mem, 4 * 4096, PROT_READ | PROT_WRITE), 0);
	dvm_destroy(&d);
}
END_TEST

/*
 * Where only /proc/self/maps tells a writable host page from a read-only
 * one (qemu-user ignores madvise), a vCPU reads it once per KVM_RUN and
 * per log round, not once per page stored to: Linux's dirty_log_test
 * stores to 262,144 pages in its first run, and one read costs ~10 ms
 * under qemu-user.  What it read still yields to an mprotect() between
 * runs (EFAULT, PC at the store) and to its undoing.
 */
START_TEST(host_maps_read_once_per_run_not_per_page)
{
	enum { PAGES = 4096 };
	uint64_t bm[PAGES / 64], v, i;
	unsigned long reads;
	struct dvm d;
	unsigned int round;

	cpu_host_wchk_use_maps();
	dvm_create(&d, 0, KVM_MEM_LOG_DIRTY_PAGES, PAGES);
	for (round = 1; round <= 2; round++) {
		reads = cpu_host_wchk_maps_reads();
		guest_store(&d, 0, 1, PAGES, round);
		ck_assert_msg(cpu_host_wchk_maps_reads() - reads <= 2,
			      "round %u: %lu reads of /proc/self/maps for %d pages", round,
			      cpu_host_wchk_maps_reads() - reads, PAGES);
		ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bm), 0);
		for (i = 0; i < PAGES / 64; i++)
			ck_assert_uint_eq(bm[i], ~0ULL);
		ck_assert_uint_eq(d.mem[(PAGES - 1) * 512], round);
	}

	ck_assert_int_eq(mprotect(d.mem + 100 * 512, 4096, PROT_READ), 0);
	v = LOG_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(2), &v), 0);
	v = PAGES;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(4), &v), 0);
	v = 3;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(5), &v), 0);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), -EFAULT);
	ck_assert_uint_eq(get_reg64(d.t.vcpu, PC_ID), CODE_GPA);
	ck_assert_uint_eq(get_reg64(d.t.vcpu, X(2)), LOG_GPA + 100 * 4096);
	ck_assert_uint_eq(d.mem[99 * 512], 3);
	ck_assert_uint_eq(d.mem[100 * 512], 2);

	ck_assert_int_eq(mprotect(d.mem + 100 * 512, 4096, PROT_READ | PROT_WRITE), 0);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(d.mem[100 * 512], 3);
	ck_assert_uint_eq(d.mem[(PAGES - 1) * 512], 3);
	dvm_destroy(&d);
}
END_TEST

#define RING_BYTES	4096		/* 256 entries, 64 reserved: soft limit 192 */
#define RING_PAGES	250

static long enable_ring(int vm, uint64_t bytes)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_DIRTY_LOG_RING_ACQ_REL, .args = { bytes } };

	return kio(vm, KVM_ENABLE_CAP, &cap);
}

/* Userspace's side: the DIRTY entries from *next, each marked RESET. */
static unsigned int harvest(struct kvm_dirty_gfn *ring, uint32_t *next, uint64_t *offsets)
{
	unsigned int n = 0;

	for (;;) {
		struct kvm_dirty_gfn *e = &ring[*next % (RING_BYTES / sizeof(*e))];

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_DIRTY))
			return n;
		ck_assert_uint_eq(e->slot, LOG_SLOT);
		offsets[n++] = e->offset;
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
		(*next)++;
	}
}

/*
 * KVM_CAP_DIRTY_LOG_RING_ACQ_REL (Documentation/virt/kvm/api.rst 8.29;
 * dirty_log_test -M dirty-ring): a guest store to a clean page of a logging
 * slot pushes one entry (slot, offset) to the vCPU's ring at
 * KVM_DIRTY_LOG_PAGE_OFFSET; KVM_RESET_DIRTY_RINGS frees the entries
 * userspace marked RESET and makes their pages clean again; at the soft
 * limit the vCPU exits with KVM_EXIT_DIRTY_RING_FULL, and its stores wait
 * until userspace harvested.  The bitmap ioctls answer ENXIO.
 */
START_TEST(dirty_ring)
{
	uint64_t v, bitmap[4], offsets[256];
	struct kvm_dirty_gfn *ring;
	uint32_t next = 0;
	unsigned int n, i;
	struct dvm d;
	long size;

	memset(&d, 0, sizeof(d));
	d.t.sys = vkvm_open(O_RDWR | O_CLOEXEC);
	d.t.vm = (int)kio_val(d.t.sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(d.t.vm, 0);
	ck_assert_int_eq(enable_ring(d.t.vm, 0), -EINVAL);
	ck_assert_int_eq(enable_ring(d.t.vm, 3 * 1024), -EINVAL);	/* not a power of 2 */
	ck_assert_int_eq(enable_ring(d.t.vm, 512), -EINVAL);		/* under a page */
	ck_assert_int_eq(enable_ring(d.t.vm, 2 << 20), -E2BIG);
	ck_assert_int_eq(enable_ring(d.t.vm, RING_BYTES), 0);
	ck_assert_int_eq(enable_ring(d.t.vm, RING_BYTES), -EINVAL);	/* once */
	d.t.vcpu = (int)kio_val(d.t.vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(d.t.vcpu, 0);
	size = kio_val(d.t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	d.t.run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, d.t.vcpu, 0);
	ck_assert_ptr_ne(d.t.run, MAP_FAILED);
	/* the ring's pages: shared and not executable only */
	ck_assert_ptr_eq(vkvm_mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE,
				   d.t.vcpu, KVM_DIRTY_LOG_PAGE_OFFSET * 4096), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_eq(vkvm_mmap(NULL, RING_BYTES, PROT_READ | PROT_EXEC, MAP_SHARED,
				   d.t.vcpu, KVM_DIRTY_LOG_PAGE_OFFSET * 4096), MAP_FAILED);
	ring = vkvm_mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
			 d.t.vcpu, KVM_DIRTY_LOG_PAGE_OFFSET * 4096);
	ck_assert_ptr_ne(ring, MAP_FAILED);
	ck_assert_int_eq(enable_ring(d.t.vm, RING_BYTES), -EINVAL);	/* after a vCPU */

	d.code = tvm_add_ram(&d.t, CODE_GPA, 0x10000, guest, sizeof(guest));
	d.pages = RING_PAGES;
	d.mem = mmap(NULL, RING_PAGES * 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(d.mem, MAP_FAILED);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, RING_PAGES), 0);
	ck_assert_int_eq(get_log(d.t.vm, LOG_SLOT, bitmap), -ENXIO);
	ck_assert_int_eq(clear_log(d.t.vm, LOG_SLOT, 0, 64, bitmap), -ENXIO);
	ck_assert_int_eq(tvm_init(d.t.vcpu, 0), 0);
	v = CODE_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, PC_ID, &v), 0);
	v = MMIO_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(1), &v), 0);

	/* pages 0..9, twice: one entry each */
	guest_store(&d, 0, 1, 10, 1);
	guest_store(&d, 0, 1, 10, 2);
	n = harvest(ring, &next, offsets);
	ck_assert_uint_eq(n, 10);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(offsets[i], i);
	/* reset only the first five: pages 0..4 are clean again, 5..9 not */
	ring[5].flags = KVM_DIRTY_GFN_F_DIRTY;
	ring[6].flags = KVM_DIRTY_GFN_F_DIRTY;
	ring[7].flags = KVM_DIRTY_GFN_F_DIRTY;
	ring[8].flags = KVM_DIRTY_GFN_F_DIRTY;
	ring[9].flags = KVM_DIRTY_GFN_F_DIRTY;
	ck_assert_int_eq(kio_val(d.t.vm, KVM_RESET_DIRTY_RINGS, 0), 5);
	ck_assert_uint_eq(ring[0].flags, 0);
	next = 10;
	guest_store(&d, 0, 1, 10, 3);
	ck_assert_uint_eq(harvest(ring, &next, offsets), 5);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(offsets[i], i);
	for (i = 5; i < 10; i++)
		ring[i].flags = KVM_DIRTY_GFN_F_RESET;
	ck_assert_int_eq(kio_val(d.t.vm, KVM_RESET_DIRTY_RINGS, 0), 10);

	/* 240 more pages: the vCPU stops at the soft limit (192 in use) */
	v = LOG_GPA + 10 * 4096;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(2), &v), 0);
	v = 4096;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(3), &v), 0);
	v = RING_PAGES - 10;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(4), &v), 0);
	v = 4;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(5), &v), 0);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_DIRTY_RING_FULL);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), 0);		/* still full */
	ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_DIRTY_RING_FULL);
	n = harvest(ring, &next, offsets);
	ck_assert_uint_eq(n, 192);
	ck_assert_uint_eq(offsets[0], 10);
	ck_assert_uint_eq(offsets[n - 1], n + 9);
	ck_assert_uint_eq(d.mem[(n + 10) * 512], 0);			/* not stored yet */
	ck_assert_int_eq(kio_val(d.t.vm, KVM_RESET_DIRTY_RINGS, 0), (long)n);
	ck_assert_int_eq(kio_val(d.t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(d.t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(harvest(ring, &next, offsets), RING_PAGES - 10 - n);
	for (i = 10; i < RING_PAGES; i++)
		ck_assert_uint_eq(d.mem[i * 512], 4);
	munmap(ring, RING_BYTES);
	dvm_destroy(&d);
}
END_TEST

struct ring_spinner {
	struct dvm *d;
	_Atomic bool stop;
	long ret;
	unsigned int full_exits;
};

/* KVM_RUN again after each KVM_EXIT_DIRTY_RING_FULL, until told to stop */
static void *ring_spin_vcpu(void *arg)
{
	struct ring_spinner *s = arg;

	for (;;) {
		s->ret = kio_val(s->d->t.vcpu, KVM_RUN, 0);
		if (s->ret || s->d->t.run->exit_reason != KVM_EXIT_DIRTY_RING_FULL ||
		    atomic_load(&s->stop))
			return NULL;
		s->full_exits++;
		usleep(100);
	}
}

/*
 * dirty_log_test -M dirty-ring's collection, with the guest storing all
 * the while: KVM_RESET_DIRTY_RINGS frees exactly the entries harvested,
 * even one harvested as the vCPU publishes it (its flags are visible
 * before the vCPU's own index moves), and the vCPU goes on after each
 * full exit.
 */
START_TEST(dirty_ring_harvested_while_the_guest_stores)
{
	struct kvm_dirty_gfn *ring;
	struct ring_spinner sp = { 0 };
	uint64_t v, offsets[256], total = 0;
	uint32_t next = 0;
	unsigned int k, n;
	pthread_t th;
	struct dvm d;
	long size;

	memset(&d, 0, sizeof(d));
	d.t.sys = vkvm_open(O_RDWR | O_CLOEXEC);
	d.t.vm = (int)kio_val(d.t.sys, KVM_CREATE_VM, 0);
	ck_assert_int_eq(enable_ring(d.t.vm, RING_BYTES), 0);
	d.t.vcpu = (int)kio_val(d.t.vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(d.t.vcpu, 0);
	size = kio_val(d.t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	d.t.run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, d.t.vcpu, 0);
	ck_assert_ptr_ne(d.t.run, MAP_FAILED);
	ring = vkvm_mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
			 d.t.vcpu, KVM_DIRTY_LOG_PAGE_OFFSET * 4096);
	ck_assert_ptr_ne(ring, MAP_FAILED);
	d.code = tvm_add_ram(&d.t, CODE_GPA, 0x10000, guest, sizeof(guest));
	d.pages = RACE_PAGES;
	d.mem = mmap(NULL, RACE_PAGES * 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(d.mem, MAP_FAILED);
	ck_assert_int_eq(set_log_slot(&d, KVM_MEM_LOG_DIRTY_PAGES, RACE_PAGES), 0);
	ck_assert_int_eq(tvm_init(d.t.vcpu, 0), 0);
	v = MMIO_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(1), &v), 0);

	v = SPIN_PC;
	ck_assert_int_eq(set_reg(d.t.vcpu, PC_ID, &v), 0);
	v = LOG_GPA;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(2), &v), 0);
	v = 4096;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(4), &v), 0);
	v = 1;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(5), &v), 0);
	v = 0;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(6), &v), 0);
	v = (RACE_PAGES - 1) * 4096;
	ck_assert_int_eq(set_reg(d.t.vcpu, X(7), &v), 0);
	sp.d = &d;
	ck_assert_int_eq(pthread_create(&th, NULL, ring_spin_vcpu, &sp), 0);
	/* until the guest went round its pages 8 times (at most 20 s) */
	for (k = 0; total < 8 * RACE_PAGES && k < 200000; k++) {
		n = harvest(ring, &next, offsets);
		ck_assert_int_eq(kio_val(d.t.vm, KVM_RESET_DIRTY_RINGS, 0), (long)n);
		total += n;
		if (!n)
			usleep(100);
	}
	atomic_store(&sp.stop, true);
	d.t.run->immediate_exit = 1;
	pthread_join(th, NULL);
	ck_assert_uint_ge(total, 8 * RACE_PAGES);
	munmap(ring, RING_BYTES);
	dvm_destroy(&d);
}
END_TEST

Suite *dirty_suite(void)
{
	return CHECK_SUITE("dirty", 30, dirty_log_caps,
			   guest_stores_logged_round_after_round,
			   stores_of_every_kind_are_logged,
			   clear_dirty_log_semantics, dirty_log_errors,
			   logging_switched_on_and_off_on_a_live_slot,
			   guest_stores_logged_while_it_runs,
			   logging_switched_on_under_a_running_vcpu,
			   logging_slot_deleted_under_a_running_vcpu,
			   bitmaps_freed_while_a_vcpu_runs,
			   vkvm_stores_for_the_guest_are_logged,
			   host_maps_read_once_per_run_not_per_page,
			   host_writability_probe_knows_the_kernel, dirty_ring,
			   dirty_ring_harvested_while_the_guest_stores);
}
