// SPDX-License-Identifier: GPL-2.0
/*
 * smp-stress: exclusives and atomics across vCPUs (issue 7 item 3).  vCPU 0
 * turns the MMU on (identity map: RAM Normal write-back inner shareable, the
 * first GiB Device-nGnRE for the UART and test-exit), then starts every
 * other vCPU with PSCI CPU_ON (MPIDR Aff0 = 1, 2, ... until INVALID_PARAMS);
 * each turns its own MMU on with the same tables.  After a start barrier
 * every vCPU runs ITERATIONS rounds of:
 *
 *   (a) a ticket lock (LDADDA for the ticket, LDAXR + WFE to wait for it,
 *       STLR + SEV to hand it on) around a plain, non-atomic increment of
 *       a shared counter, read and written back as two separate accesses;
 *   (b) LDADD (LSE) on a second counter;
 *   (c) an LDAXR/STLXR retry loop on a third counter.
 *
 * Then vCPU 0 waits for the others, and checks that every counter equals
 * vCPUs x ITERATIONS.  WFE may be a plain hint (vkvm) or trap (KVM): the
 * lock wait re-checks the ticket after every WFE, so either way it works.
 */
#include "rt.h"

#define MAX_VCPUS	8
#define ITERATIONS	10000

/* ---- stage 1: 4K granule, 39-bit VA, the walk starts at level 1 ---- */
#define MAIR_VALUE	(0xffUL | (0x04UL << 8))	/* 0: Normal WB RWA, 1: Device-nGnRE */
#define NORMAL		(D_ATTR(0) | D_SH_INNER | D_AF)
#define DEVICE		(D_ATTR(1) | D_AF | D_PXN | D_UXN)
#define TCR_VALUE	(25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (0UL << 14) | \
			 BIT(23) | (2UL << 32))	/* T0SZ 25, WBWA, inner, 4K, EPD1, IPS 40 bits */

static u64 l1[512] __attribute__((aligned(4096)));

static void build_tables(void)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		l1[i] = 0;
	l1[0] = 0x00000000UL | DEVICE | D_BLOCK;	/* UART, test-exit, ... */
	l1[RAM_BASE >> 30] = RAM_BASE | NORMAL | D_BLOCK;
	l1[(RAM_BASE >> 30) + 1] = (RAM_BASE + (1UL << 30)) | NORMAL | D_BLOCK;
	/* written with the MMU off: make sure no stale line hides them */
	for (i = 0; i < 512; i += 8)
		asm volatile("dc civac, %0" : : "r"(&l1[i]) : "memory");
	dsb(sy);
}

static void mmu_on(void)
{
	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(TCR_VALUE, tcr_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr0_el1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
	isb();
}

/* ---- the shared state, each on its own cache line ---- */
struct line {
	volatile u64 v;
	u64 pad[7];
};
static struct line ticket_next __attribute__((aligned(64)));
static struct line ticket_owner __attribute__((aligned(64)));
static struct line locked_counter __attribute__((aligned(64)));
static struct line lse_counter __attribute__((aligned(64)));
static struct line excl_counter __attribute__((aligned(64)));
static struct line started __attribute__((aligned(64)));
static struct line go __attribute__((aligned(64)));
static struct line finished __attribute__((aligned(64)));

static u64 stacks[MAX_VCPUS][1024] __attribute__((aligned(16)));
static struct rt_cpu_boot boots[MAX_VCPUS];
static int have_lse;

static u64 ldadd(volatile u64 *p, u64 v)	/* LDADD: returns the old value */
{
	u64 old;

	asm volatile(".arch_extension lse\n\tldadd %1, %0, %2"
		     : "=r"(old) : "r"(v), "Q"(*p) : "memory");
	return old;
}

static u64 ldadda(volatile u64 *p, u64 v)
{
	u64 old;

	asm volatile(".arch_extension lse\n\tldadda %1, %0, %2"
		     : "=r"(old) : "r"(v), "Q"(*p) : "memory");
	return old;
}

static void excl_add(volatile u64 *p, u64 v)	/* LDAXR/STLXR until it sticks */
{
	u64 tmp;
	u32 fail;

	asm volatile("1:\tldaxr %0, %2\n"
		     "\tadd %0, %0, %3\n"
		     "\tstlxr %w1, %0, %2\n"
		     "\tcbnz %w1, 1b"
		     : "=&r"(tmp), "=&r"(fail), "+Q"(*p) : "r"(v) : "memory");
}

static u64 fetch_inc(volatile u64 *p)	/* the ticket: LSE if there is, else exclusives */
{
	u64 old, tmp;
	u32 fail;

	if (have_lse)
		return ldadda(p, 1);
	asm volatile("1:\tldaxr %0, %3\n"
		     "\tadd %1, %0, #1\n"
		     "\tstxr %w2, %1, %3\n"
		     "\tcbnz %w2, 1b"
		     : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(*p) : : "memory");
	return old;
}

static void lock(void)
{
	u64 me = fetch_inc(&ticket_next.v), owner;

	/*
	 * SEVL makes the first WFE fall through; the LDAXR arms the exclusive
	 * monitor, so the owner's STLR (and its SEV) wakes a real WFE.
	 */
	asm volatile("sevl\n"
		     "1:\twfe\n"
		     "\tldaxr %0, %1\n"
		     "\tcmp %0, %2\n"
		     "\tb.ne 1b"
		     : "=&r"(owner) : "Q"(ticket_owner.v), "r"(me) : "cc", "memory");
}

static void unlock(void)
{
	u64 next = ticket_owner.v + 1;	/* only the holder writes it */

	asm volatile("stlr %0, %1\n\tdsb ishst\n\tsev"
		     : : "r"(next), "Q"(ticket_owner.v) : "memory");
}

static void stress(void)
{
	unsigned int i;

	for (i = 0; i < ITERATIONS; i++) {
		/* (a) a read and a separate write: only the lock keeps it exact */
		lock();
		u64 v = locked_counter.v;

		locked_counter.v = v + 1;
		unlock();
		/* (b) */
		if (have_lse)
			ldadd(&lse_counter.v, 1);
		/* (c) */
		excl_add(&excl_counter.v, 1);
	}
}

static void secondary(void *arg)
{
	mmu_on();
	excl_add(&started.v, 1);
	while (!go.v)
		asm volatile("yield");
	stress();
	excl_add(&finished.v, 1);
	/* returning to rt_secondary_entry calls PSCI CPU_OFF */
}

static u64 seconds(void)
{
	u64 freq = read_sysreg(cntfrq_el0);

	return read_sysreg(cntvct_el0) / (freq ? freq : 62500000);
}

/* Waits up to 60 s of the generic timer for *p == want. */
static int wait_for(volatile u64 *p, u64 want)
{
	u64 start = seconds();

	while (*p != want) {
		if (seconds() - start > 60)
			return *p == want;
		asm volatile("yield");
	}
	return 1;
}

int main(void)
{
	unsigned int n;
	u64 want;
	long r;

	have_lse = ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
	build_tables();
	mmu_on();
	check((read_sysreg(sctlr_el1) & SCTLR_M) != 0, "vCPU 0: MMU on, RAM Normal write-back");

	for (n = 1; n < MAX_VCPUS; n++) {
		boots[n].stack_top = (u64)(uintptr_t)&stacks[n][ARRAY_SIZE(stacks[n])];
		boots[n].fn = secondary;
		boots[n].arg = (void *)(uintptr_t)n;
		/* the vCPU reads its boot block with the MMU off */
		asm volatile("dc civac, %0" : : "r"(&boots[n]) : "memory");
		asm volatile("dc civac, %0" : : "r"((char *)&boots[n] + sizeof(boots[n]) - 1) : "memory");
		dsb(sy);
		r = rt_cpu_on(n, &boots[n]);
		if (r == PSCI_INVALID_PARAMS)
			break;
		if (!check(r == PSCI_SUCCESS, "CPU_ON(vCPU %u) = %ld (want 0)", n, r))
			break;
	}
	printf("smp-stress: %u vCPUs, %u iterations each, LSE %s\n", n, ITERATIONS,
	       have_lse ? "yes" : "no");
	check(wait_for(&started.v, n - 1), "%u secondary vCPUs started with their MMU on", n - 1);
	go.v = 1;
	asm volatile("dsb ish\n\tsev" : : : "memory");
	stress();
	check(wait_for(&finished.v, n - 1), "%u secondary vCPUs finished", n - 1);
	dsb(ish);

	want = (u64)n * ITERATIONS;
	check(locked_counter.v == want, "ticket-locked counter = %lu (want %lu)",
	      (unsigned long)locked_counter.v, (unsigned long)want);
	check(ticket_next.v == want && ticket_owner.v == want,
	      "ticket lock: next %lu, owner %lu (want %lu)", (unsigned long)ticket_next.v,
	      (unsigned long)ticket_owner.v, (unsigned long)want);
	if (have_lse)
		check(lse_counter.v == want, "LDADD counter = %lu (want %lu)",
		      (unsigned long)lse_counter.v, (unsigned long)want);
	else
		rt_skip("LDADD counter: no LSE (ID_AA64ISAR0_EL1.Atomic = 0)");
	check(excl_counter.v == want, "LDAXR/STLXR counter = %lu (want %lu)",
	      (unsigned long)excl_counter.v, (unsigned long)want);

	return rt_report("smp-stress");
}
