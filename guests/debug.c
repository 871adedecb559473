// SPDX-License-Identifier: GPL-2.0
/*
 * debug: self-hosted debug at EL1 (Arm ARM D2).  Hardware breakpoints
 * (EC 0x31, IFSC 0x22, ELR_EL1 the instruction) and what disables them
 * (PSTATE.D, MDSCR_EL1.KDE and MDE, PMC, the OS lock, the OS double lock),
 * an address breakpoint linked to a CONTEXTIDR_EL1 one; watchpoints (EC
 * 0x35, WnR, FAR_EL1 the address) with LSC, BAS (doubleword and word), MASK
 * and PSTATE.D; software step through active-pending and active-not-pending
 * (ISV, EX after a load-exclusive, SPSR_EL1.SS = 0 in the SVC the step ran);
 * from EL0, a breakpoint, a watchpoint and a step (EC 0x30, 0x34, 0x32 at
 * the lower-EL vector, whatever KDE and PSTATE.D), MDCCSR_EL0 at EL0; BRK
 * under the OS lock.
 *
 * The handlers record the exception and return with SPSR_EL1.D set (the
 * instruction then runs with debug exceptions masked, as kvm-unit-tests'
 * debug test does) or, for a step, with SPSR_EL1.SS set (step the next
 * instruction).  Everything runs with the MMU off: all accesses aligned.
 */
#include "rt.h"

#define DBG_E		BIT(0)
#define PMC_EL1		(1u << 1)
#define PMC_EL0		(2u << 1)
#define BAS_ALL		(0xfu << 5)
#define BT_LINKED_ADDR	(1u << 20)
#define BT_LINKED_CTX	(3u << 20)
#define LBN(n)		((u32)(n) << 16)
#define LSC_LOAD	(1u << 3)
#define LSC_STORE	(2u << 3)
#define WBAS(b)		((u32)(b) << 5)
#define WMASK(m)	((u32)(m) << 24)
#define OSLSR_OSLK	BIT(1)

#define ESR_DEBUG(ec)	(((u64)(ec) << ESR_EC_SHIFT) | ESR_IL | FSC_DEBUG)

/* ---- the debug registers by number ---- */

#define DBG_CASE(reg, n)	case n: write_sysreg(v, reg##n##_el1); break;
#define DBG_SWITCH(reg)							\
	switch (n) {							\
	DBG_CASE(reg, 0) DBG_CASE(reg, 1) DBG_CASE(reg, 2) DBG_CASE(reg, 3)	\
	DBG_CASE(reg, 4) DBG_CASE(reg, 5) DBG_CASE(reg, 6) DBG_CASE(reg, 7)	\
	DBG_CASE(reg, 8) DBG_CASE(reg, 9) DBG_CASE(reg, 10) DBG_CASE(reg, 11)	\
	DBG_CASE(reg, 12) DBG_CASE(reg, 13) DBG_CASE(reg, 14) DBG_CASE(reg, 15)	\
	}

static void write_bcr(unsigned int n, u64 v) { DBG_SWITCH(dbgbcr) }
static void write_bvr(unsigned int n, u64 v) { DBG_SWITCH(dbgbvr) }
static void write_wcr(unsigned int n, u64 v) { DBG_SWITCH(dbgwcr) }
static void write_wvr(unsigned int n, u64 v) { DBG_SWITCH(dbgwvr) }

static unsigned int nr_brps, nr_wrps, nr_ctx;

/* No lock, no breakpoint, watchpoint or step; PSTATE.D set. */
static void debug_reset(void)
{
	unsigned int n;

	asm volatile("msr daifset, #8" : : : "memory");
	write_sysreg(0, osdlr_el1);
	write_sysreg(0, oslar_el1);
	write_sysreg(0, mdscr_el1);
	write_sysreg(0, contextidr_el1);
	for (n = 0; n < nr_brps; n++) {
		write_bcr(n, 0);
		write_bvr(n, 0);
	}
	for (n = 0; n < nr_wrps; n++) {
		write_wcr(n, 0);
		write_wvr(n, 0);
	}
	isb();
}

/* ---- recording ---- */

#define MAX_REC	8
static volatile struct rt_exc_record rec[MAX_REC];
static volatile unsigned int hits;
static volatile u64 svc_spsr;
extern char ss_1[], ss_2[], ss_3[], ss_4[], ss_5[];

static void record(const struct rt_frame *f)
{
	if (hits < MAX_REC) {
		rec[hits].esr = f->esr;
		rec[hits].far = f->far;
		rec[hits].elr = f->elr;
		rec[hits].spsr = f->spsr;
	}
	hits++;
}

/* Breakpoint and watchpoint: resume at the instruction, debug masked. */
static int masking_handler(struct rt_frame *f, unsigned int vec)
{
	record(f);
	f->spsr |= PSR_D_BIT;
	return 1;
}

/*
 * Software step: step the next instruction too, up to ss_5, from which it
 * returns with debug exceptions masked instead (QEMU TCG takes one more
 * step exception after stepping an MSR DAIFSet that masks them: the test
 * stops short of that question).
 */
static int step_handler(struct rt_frame *f, unsigned int vec)
{
	record(f);
	if (f->elr == (u64)(uintptr_t)ss_5)
		f->spsr |= PSR_D_BIT;
	else
		f->spsr |= PSR_SS_BIT;
	return 1;
}

static int svc_handler(struct rt_frame *f, unsigned int vec)
{
	svc_spsr = f->spsr;
	return 1;
}

static int brk_handler(struct rt_frame *f, unsigned int vec)
{
	record(f);
	f->elr += 4;
	return 1;
}

/* ---- the code under test (each ends with debug exceptions unmasked) ---- */

void dbg_nops(void);
void ss_code(u64 *excl);
void st32(u64 addr, u32 v);
void st8(u64 addr, u8 v);
u64 ld64(u64 addr);
extern char dbg_nop1[], st32_insn[], st8_insn[], ld64_insn[];

asm(
"	.text\n"
"	.balign	4\n"
"	.global	dbg_nops, dbg_nop1\n"
"dbg_nops:\n"
"	nop\n"
"dbg_nop1:\n"
"	nop\n"
"	nop\n"
"	msr	daifclr, #8\n"
"	ret\n"
"	.global	st32, st32_insn\n"
"st32:\n"
"st32_insn:\n"
"	str	w1, [x0]\n"
"	msr	daifclr, #8\n"
"	ret\n"
"	.global	st8, st8_insn\n"
"st8:\n"
"st8_insn:\n"
"	strb	w1, [x0]\n"
"	msr	daifclr, #8\n"
"	ret\n"
"	.global	ld64, ld64_insn\n"
"ld64:\n"
"ld64_insn:\n"
"	ldr	x0, [x0]\n"
"	msr	daifclr, #8\n"
"	ret\n"
/* entered with PSTATE.D set, MDSCR_EL1.SS and KDE set, PSTATE.SS clear;
 * steps ss_1 to ss_4, then the handler masks debug exceptions at ss_5 */
"	.global	ss_code, ss_1, ss_2, ss_3, ss_4, ss_5\n"
"ss_code:\n"
"	msr	daifclr, #8\n"
"ss_1:\n"
"	add	x1, x0, #1\n"
"ss_2:\n"
"	ldxr	x1, [x0]\n"
"ss_3:\n"
"	svc	#0x5\n"
"ss_4:\n"
"	nop\n"
"ss_5:\n"
"	nop\n"
"	msr	daifset, #8\n"
"	clrex\n"
"	ret\n"
);

#define ADDR(p)		((u64)(uintptr_t)(p))

static void unmask(void)
{
	asm volatile("msr daifclr, #8" : : : "memory");
}

/* One breakpoint at dbg_nop1 with bcr, the given MDSCR_EL1, then dbg_nops()
 * with PSTATE.D as masked says: how many breakpoint exceptions. */
static unsigned int bp_run(u32 bcr, u64 mdscr, int masked)
{
	debug_reset();
	write_bcr(0, bcr);
	write_bvr(0, ADDR(dbg_nop1));
	write_sysreg(mdscr, mdscr_el1);
	isb();
	hits = 0;
	if (!masked)
		unmask();
	dbg_nops();
	return hits;
}

static void test_breakpoints(void)
{
	const u32 bcr = DBG_E | PMC_EL1 | BAS_ALL;
	const u64 kde_mde = MDSCR_KDE | MDSCR_MDE;
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned int n;

	rt_set_sync_handler(EC_BKPT_CUR, masking_handler);
	n = bp_run(bcr, kde_mde, 0);
	check(n == 1 && rec[0].esr == ESR_DEBUG(EC_BKPT_CUR) && rec[0].elr == ADDR(dbg_nop1),
	      "breakpoint at EL1: %u taken, ESR_EL1 0x%08lx (want 0xc6000022), ELR at it %d",
	      n, (unsigned long)rec[0].esr, rec[0].elr == ADDR(dbg_nop1));
	check(bp_run(bcr, kde_mde, 1) == 0, "breakpoint: none with PSTATE.D set");
	check(bp_run(bcr, MDSCR_MDE, 0) == 0, "breakpoint: none at EL1 without MDSCR_EL1.KDE");
	check(bp_run(bcr, MDSCR_KDE, 0) == 0, "breakpoint: none without MDSCR_EL1.MDE");
	check(bp_run(DBG_E | PMC_EL0 | BAS_ALL, kde_mde, 0) == 0,
	      "breakpoint: none at EL1 with PMC EL0 only");
	check(bp_run(bcr & ~DBG_E, kde_mde, 0) == 0, "breakpoint: none when not enabled");

	/* the OS lock */
	bp_run(0, 0, 1);
	write_sysreg(1, oslar_el1);
	isb();
	check(read_sysreg(oslsr_el1) & OSLSR_OSLK, "OSLAR_EL1 1: OSLSR_EL1.OSLK set (0x%lx)",
	      (unsigned long)read_sysreg(oslsr_el1));
	write_bcr(0, bcr);
	write_bvr(0, ADDR(dbg_nop1));
	write_sysreg(kde_mde, mdscr_el1);
	isb();
	hits = 0;
	unmask();
	dbg_nops();
	check(hits == 0, "breakpoint: none under the OS lock (%u)", hits);
	write_sysreg(0, oslar_el1);
	isb();
	check(!(read_sysreg(oslsr_el1) & OSLSR_OSLK), "OSLAR_EL1 0: OSLSR_EL1.OSLK clear");
	unmask();
	dbg_nops();
	check(hits == 1, "breakpoint: taken again once the OS lock is clear (%u)", hits);

	/* the OS double lock, where FEAT_DoubleLock is (ID_AA64DFR0_EL1.DoubleLock 0) */
	if (((dfr0 >> 36) & 0xf) == 0) {
		write_sysreg(1, osdlr_el1);
		isb();
		if (read_sysreg(osdlr_el1) & 1) {
			hits = 0;
			unmask();
			dbg_nops();
			check(hits == 0, "breakpoint: none under the OS double lock (%u)", hits);
		} else {
			rt_skip("OSDLR_EL1.DLK reads as 0 after writing 1 (RAZ/WI here)");
		}
		write_sysreg(0, osdlr_el1);
		isb();
	}

	/* address breakpoint 0 linked to context breakpoint nr_brps - 1 */
	debug_reset();
	write_bcr(nr_brps - 1, DBG_E | BT_LINKED_CTX | PMC_EL1 | PMC_EL0 | BAS_ALL);
	write_bvr(nr_brps - 1, 0x55);
	write_bcr(0, bcr | BT_LINKED_ADDR | LBN(nr_brps - 1));
	write_bvr(0, ADDR(dbg_nop1));
	write_sysreg(kde_mde, mdscr_el1);
	write_sysreg(0x66, contextidr_el1);
	isb();
	hits = 0;
	unmask();
	dbg_nops();
	check(hits == 0, "linked breakpoint: none with CONTEXTIDR_EL1 0x66 (%u)", hits);
	write_sysreg(0x55, contextidr_el1);
	isb();
	unmask();
	dbg_nops();
	check(hits == 1 && rec[0].elr == ADDR(dbg_nop1),
	      "linked breakpoint: taken with CONTEXTIDR_EL1 0x55 (%u)", hits);
	rt_set_sync_handler(EC_BKPT_CUR, 0);
}

/* ---- watchpoints ---- */

static volatile u64 wdata[16] __attribute__((aligned(128)));

/* Watchpoint 0 with wcr at wvr, debug unmasked. */
static void wp_arm(u32 wcr, u64 wvr)
{
	debug_reset();
	write_wcr(0, wcr);
	write_wvr(0, wvr);
	write_sysreg(MDSCR_KDE | MDSCR_MDE, mdscr_el1);
	isb();
	hits = 0;
	unmask();
}

static int wp_hit(u64 addr, int write, const char *insn)
{
	u64 esr = ESR_DEBUG(EC_WATCHPT_CUR) | (write ? ESR_WNR : 0);

	return hits == 1 && rec[0].esr == esr && rec[0].far == addr &&
	       rec[0].elr == ADDR(insn);
}

static void test_watchpoints(void)
{
	const u32 el1 = DBG_E | PMC_EL1;
	u64 a = ADDR(&wdata[1]);

	rt_set_sync_handler(EC_WATCHPT_CUR, masking_handler);
	wp_arm(el1 | LSC_STORE | WBAS(0xff), a);
	st32(a + 4, 0x1234);
	check(wp_hit(a + 4, 1, st32_insn),
	      "watchpoint on a store: ESR_EL1 0x%08lx (want 0xd6000062), FAR_EL1 0x%lx (want 0x%lx)",
	      (unsigned long)rec[0].esr, (unsigned long)rec[0].far, (unsigned long)(a + 4));
	check(wdata[1] >> 32 == 0x1234, "watchpoint: the store completed after the handler");
	ld64(a);
	check(hits == 1, "watchpoint for stores: a load does not match (%u)", hits - 1);

	wp_arm(el1 | LSC_LOAD | WBAS(0xff), a);
	ld64(a);
	check(wp_hit(a, 0, ld64_insn), "watchpoint on a load: ESR_EL1 0x%08lx (want 0xd6000022)",
	      (unsigned long)rec[0].esr);

	wp_arm(el1 | LSC_STORE | WBAS(0xff), a);
	asm volatile("msr daifset, #8" : : : "memory");
	st32(a, 1);
	check(hits == 0, "watchpoint: none with PSTATE.D set (%u)", hits);

	/* BAS: byte 2 of the doubleword only */
	wp_arm(el1 | LSC_STORE | WBAS(0x04), a);
	st8(a, 1);
	st8(a + 3, 1);
	check(hits == 0, "BAS 0x04: bytes 0 and 3 do not match (%u)", hits);
	st8(a + 2, 1);
	check(wp_hit(a + 2, 1, st8_insn), "BAS 0x04: byte 2 matches (%u, FAR_EL1 0x%lx)",
	      hits, (unsigned long)rec[0].far);

	/* DBGWVR bit 2: the upper word, BAS<0> its first byte */
	wp_arm(el1 | LSC_STORE | WBAS(0x01), a + 4);
	st8(a, 1);
	check(hits == 0, "word watchpoint at +4: a store to +0 does not match (%u)", hits);
	st8(a + 4, 1);
	check(wp_hit(a + 4, 1, st8_insn), "word watchpoint at +4: a store to +4 matches (%u)",
	      hits);

	/* MASK 6: the 64 bytes at wdata */
	wp_arm(el1 | LSC_STORE | WBAS(0xff) | WMASK(6), ADDR(wdata));
	st32(ADDR(wdata) + 64, 1);
	check(hits == 0, "MASK 6: a store 64 bytes on does not match (%u)", hits);
	st32(ADDR(wdata) + 40, 1);
	check(wp_hit(ADDR(wdata) + 40, 1, st32_insn), "MASK 6: a store at +40 matches (%u)", hits);
	rt_set_sync_handler(EC_WATCHPT_CUR, 0);
}

/* ---- software step ---- */

static void test_step(void)
{
	static u64 excl;
	static const char *const at[] = { ss_1, ss_2, ss_3, ss_4, ss_5 };
	static const u64 want[] = { 0, ESR_ISV, ESR_ISV | ESR_SS_EX, 0, ESR_ISV };
	unsigned int i;

	rt_set_sync_handler(EC_SOFTSTP_CUR, step_handler);
	rt_set_sync_handler(EC_SVC64, svc_handler);
	debug_reset();
	write_sysreg(MDSCR_KDE | MDSCR_SS, mdscr_el1);
	isb();
	hits = 0;
	svc_spsr = ~0ULL;
	ss_code(&excl);
	write_sysreg(0, mdscr_el1);
	isb();
	check(hits == 5, "software step: %u step exceptions (want 5)", hits);
	for (i = 0; i < 5 && i < hits; i++) {
		u64 esr = ESR_DEBUG(EC_SOFTSTP_CUR) | want[i];

		check(rec[i].elr == ADDR(at[i]) && rec[i].esr == esr,
		      "step %u: ELR_EL1 at ss_%u %d, ESR_EL1 0x%08lx (want 0x%08lx)", i + 1,
		      i + 1, rec[i].elr == ADDR(at[i]), (unsigned long)rec[i].esr,
		      (unsigned long)esr);
	}
	check(svc_spsr != ~0ULL && !(svc_spsr & PSR_SS_BIT),
	      "stepped SVC: SPSR_EL1.SS 0 in its handler (SPSR 0x%lx)", (unsigned long)svc_spsr);
	rt_set_sync_handler(EC_SOFTSTP_CUR, 0);
	rt_set_sync_handler(EC_SVC64, 0);
}

/* ---- EL0: debug exceptions from a lower EL ignore KDE and PSTATE.D ---- */

u64 el0_call(u64 entry, u64 sp_el0, u64 spsr, u64 addr);
extern char el0_back[], el0_dbg[], el0_dbg1[], el0_dbg2[], el0_dcc[];
static u64 el0_stack[64] __attribute__((aligned(16)));

asm(
"	.text\n"
"	.balign	4\n"
/* el0_call(entry, sp_el0, spsr, addr): ERET to EL0 at entry, x3 = addr;
 * back at el0_back when EL0 makes SVC #0xff */
"	.global	el0_call, el0_back\n"
"el0_call:\n"
"	stp	x29, x30, [sp, #-96]!\n"
"	stp	x19, x20, [sp, #16]\n"
"	stp	x21, x22, [sp, #32]\n"
"	stp	x23, x24, [sp, #48]\n"
"	stp	x25, x26, [sp, #64]\n"
"	stp	x27, x28, [sp, #80]\n"
"	msr	sp_el0, x1\n"
"	msr	elr_el1, x0\n"
"	msr	spsr_el1, x2\n"
"	eret\n"
"el0_back:\n"
"	ldp	x19, x20, [sp, #16]\n"
"	ldp	x21, x22, [sp, #32]\n"
"	ldp	x23, x24, [sp, #48]\n"
"	ldp	x25, x26, [sp, #64]\n"
"	ldp	x27, x28, [sp, #80]\n"
"	ldp	x29, x30, [sp], #96\n"
"	ret\n"
"	.global	el0_dbg, el0_dbg1, el0_dbg2\n"
"el0_dbg:\n"
"	nop\n"
"el0_dbg1:\n"
"	nop\n"
"el0_dbg2:\n"
"	str	x3, [x3]\n"
"	svc	#0xff\n"
"	b	.\n"
"	.global	el0_dcc\n"
"el0_dcc:\n"
"	mrs	x0, mdccsr_el0\n"
"	svc	#0xff\n"
"	b	.\n"
);

/* A debug exception from EL0: recorded, then every source turned off. */
static int el0_dbg_handler(struct rt_frame *f, unsigned int vec)
{
	record(f);
	rec[hits - 1].spsr = vec;
	write_bcr(0, 0);
	write_wcr(0, 0);
	write_sysreg(read_sysreg(mdscr_el1) & ~MDSCR_SS, mdscr_el1);
	return 1;
}

static int el0_svc_handler(struct rt_frame *f, unsigned int vec)
{
	if ((f->esr & 0xffff) != 0xff)
		return 0;
	f->elr = ADDR(el0_back);
	f->spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;
	return 1;
}

/* EL0 runs el0_dbg with every DAIF bit set in SPSR_EL1 (| extra): the
 * number of debug exceptions it took. */
static unsigned int el0_run(u64 extra, u64 addr)
{
	hits = 0;
	el0_call(ADDR(el0_dbg), ADDR(&el0_stack[ARRAY_SIZE(el0_stack)]),
		 PSR_MODE_EL0t | PSR_DAIF_MASK | extra, addr);
	return hits;
}

static void test_el0(void)
{
	u64 a = ADDR(&wdata[8]);
	unsigned int n;

	rt_set_sync_handler(EC_SVC64, el0_svc_handler);
	rt_set_sync_handler(EC_BKPT_LOW, el0_dbg_handler);
	rt_set_sync_handler(EC_WATCHPT_LOW, el0_dbg_handler);
	rt_set_sync_handler(EC_SOFTSTP_LOW, el0_dbg_handler);

	debug_reset();
	write_bcr(0, DBG_E | PMC_EL1 | BAS_ALL);
	write_bvr(0, ADDR(el0_dbg1));
	write_sysreg(MDSCR_MDE, mdscr_el1);
	isb();
	check(el0_run(0, a) == 0, "EL0: no breakpoint with PMC EL1 only");
	write_bcr(0, DBG_E | PMC_EL0 | BAS_ALL);
	isb();
	n = el0_run(0, a);
	check(n == 1 && rec[0].esr == ESR_DEBUG(EC_BKPT_LOW) && rec[0].elr == ADDR(el0_dbg1) &&
	      rec[0].spsr == VEC_LOW64,
	      "EL0 breakpoint, KDE clear, PSTATE.D set: %u taken, ESR_EL1 0x%08lx (want 0xc2000022), lower-EL vector %d",
	      n, (unsigned long)rec[0].esr, rec[0].spsr == VEC_LOW64);

	debug_reset();
	write_wcr(0, DBG_E | PMC_EL0 | LSC_STORE | WBAS(0xff));
	write_wvr(0, a);
	write_sysreg(MDSCR_MDE, mdscr_el1);
	isb();
	n = el0_run(0, a);
	check(n == 1 && rec[0].esr == (ESR_DEBUG(EC_WATCHPT_LOW) | ESR_WNR) && rec[0].far == a &&
	      rec[0].elr == ADDR(el0_dbg2) && wdata[8] == a,
	      "EL0 watchpoint: %u taken, ESR_EL1 0x%08lx (want 0xd2000062), FAR_EL1 at it %d, then stored",
	      n, (unsigned long)rec[0].esr, rec[0].far == a);

	debug_reset();
	write_sysreg(MDSCR_SS, mdscr_el1);
	isb();
	n = el0_run(PSR_SS_BIT, a);
	check(n == 1 && rec[0].esr == (ESR_DEBUG(EC_SOFTSTP_LOW) | ESR_ISV) &&
	      rec[0].elr == ADDR(el0_dbg1),
	      "EL0 step from ERET with SPSR_EL1.SS, KDE clear: %u, ESR_EL1 0x%08lx (want 0xcb000022), ELR the next instruction %d",
	      n, (unsigned long)rec[0].esr, rec[0].elr == ADDR(el0_dbg1));

	/* EL0 may read MDCCSR_EL0 while MDSCR_EL1.TDCC is clear (with it set,
	 * Linux 6.1 KVM under QEMU 7.2 does not trap the read to EL1: untested) */
	debug_reset();
	rt_set_sync_handler(EC_SYS64, brk_handler);
	hits = 0;
	el0_call(ADDR(el0_dcc), ADDR(&el0_stack[ARRAY_SIZE(el0_stack)]),
		 PSR_MODE_EL0t | PSR_DAIF_MASK, 0);
	check(hits == 0, "EL0 MRS MDCCSR_EL0 with TDCC clear: no trap (%u)", hits);
	rt_set_sync_handler(EC_SYS64, 0);

	debug_reset();
	rt_set_sync_handler(EC_SVC64, 0);
	rt_set_sync_handler(EC_BKPT_LOW, 0);
	rt_set_sync_handler(EC_WATCHPT_LOW, 0);
	rt_set_sync_handler(EC_SOFTSTP_LOW, 0);
}

static void test_brk(void)
{
	debug_reset();
	write_sysreg(1, oslar_el1);
	isb();
	rt_set_sync_handler(EC_BRK64, brk_handler);
	hits = 0;
	asm volatile("brk #0x77" : : : "memory");
	check(hits == 1 && rec[0].esr == (((u64)EC_BRK64 << ESR_EC_SHIFT) | ESR_IL | 0x77),
	      "BRK under the OS lock and PSTATE.D: ESR_EL1 0x%08lx (want 0xf2000077)",
	      (unsigned long)rec[0].esr);
	rt_set_sync_handler(EC_BRK64, 0);
	write_sysreg(0, oslar_el1);
	isb();
}

int main(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	nr_brps = ((dfr0 >> 12) & 0xf) + 1;
	nr_wrps = ((dfr0 >> 20) & 0xf) + 1;
	nr_ctx = ((dfr0 >> 28) & 0xf) + 1;
	printf("debug: %u breakpoints (%u context-aware), %u watchpoints\n",
	       nr_brps, nr_ctx, nr_wrps);
	check(nr_brps >= 2 && nr_wrps >= 2 && nr_ctx >= 1 && nr_ctx <= nr_brps,
	      "ID_AA64DFR0_EL1 0x%lx: BRPs, WRPs, CTX_CMPs", (unsigned long)dfr0);
	test_breakpoints();
	test_watchpoints();
	test_step();
	test_el0();
	test_brk();
	debug_reset();
	return rt_report("debug");
}
