// SPDX-License-Identifier: GPL-2.0
/*
 * mmu: stage-1 translation at EL1, first with the 4K granule, then with the
 * 64K granule (48-bit VA, TTBR0 only).  For each: identity-map RAM and the
 * UART/test-exit pages, turn the MMU on and keep running (this console goes
 * through the device mapping); read RAM through an alias mapping (a block
 * descriptor at another VA); take translation faults at each level of the
 * walk, a permission fault and an access-flag fault, checking ESR_EL1 (EC
 * 0x25, DFSC, WnR) and FAR_EL1; translate with AT S1E1R/S1E1W and check
 * PAR_EL1; remap a page and check that TLBI VAE1 makes the change visible.
 * Then the MMU goes off again.
 *
 * Descriptors, TCR_EL1, MAIR_EL1 and PAR_EL1 as in the Arm ARM (D8, VMSAv8-64).
 */
#include "rt.h"

#define ATTR_NORMAL	0	/* MAIR index */
#define ATTR_DEVICE	1
#define MAIR_VALUE	(0xffUL | (0x04UL << 8))	/* Normal WB, Device-nGnRE */

#define NORMAL		(D_ATTR(ATTR_NORMAL) | D_SH_INNER | D_AF)
#define DEVICE		(D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN)

#define TCR_T0SZ(n)	((u64)(n))
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_TG0_64K	(1UL << 14)
#define TCR_EPD1	BIT(23)
#define TCR_IPS_40	(2UL << 32)
#define TCR_COMMON	(TCR_T0SZ(16) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | \
			 TCR_EPD1 | TCR_IPS_40)

#define PAR_F		BIT(0)
#define PAR_FST(p)	(((p) >> 1) & 0x3f)
#define PAR_PA(p)	((p) & 0x0000fffffffff000UL)

#define ALIAS_VA	0x100000000UL	/* 4 GiB: an alias of RAM */
#define TEST_AREA	(RAM_BASE + 0xe00000)	/* RAM the guest image never reaches */

/* 4K granule: 512-entry tables */
static u64 l0_4k[512] __attribute__((aligned(4096)));
static u64 l1_4k[512] __attribute__((aligned(4096)));
static u64 l2dev_4k[512] __attribute__((aligned(4096)));
static u64 l3dev_4k[512] __attribute__((aligned(4096)));
static u64 l2ram_4k[512] __attribute__((aligned(4096)));
static u64 l3ram_4k[512] __attribute__((aligned(4096)));
/* 64K granule: 8192-entry tables (the level-1 table uses 64 entries) */
static u64 l1_64k[8192] __attribute__((aligned(65536)));
static u64 l2_64k[8192] __attribute__((aligned(65536)));
static u64 l3dev_64k[8192] __attribute__((aligned(65536)));
static u64 l3ram_64k[8192] __attribute__((aligned(65536)));

static u64 pa(const void *p)
{
	return (u64)(uintptr_t)p;	/* the MMU is off while tables are built */
}

struct granule {
	const char *name;
	u64 tcr;
	u64 *ttbr;
	u64 page;		/* bytes */
	/* VAs that miss at each level (0 if the walk does not start there) */
	u64 miss[4];
	u64 ro_page, noaf_page, remap_a, remap_b;
	u64 *remap_pte;
};

static void zero(u64 *t, unsigned int n)
{
	memset(t, 0, n * sizeof(u64));
}

static void flush_tables(void)
{
	dsb(ishst);
	asm volatile("tlbi vmalle1\n\tdsb ish\n\tisb" : : : "memory");
}

/*
 * 4K, 48-bit VA, walk starts at level 0:
 *   L0[0] -> L1;  L1[0] -> L2dev;  L1[2] -> L2ram;  L1[4] = 1 GiB block alias of 0x80000000
 *   L2dev[8] -> L3dev: the UART page and the test-exit page only
 *   L2ram[0..6] 2 MiB blocks;  L2ram[7] -> L3ram: 4K pages, one read-only, one without AF
 */
static void build_4k(struct granule *g)
{
	unsigned int i;

	zero(l0_4k, 512);
	zero(l1_4k, 512);
	zero(l2dev_4k, 512);
	zero(l3dev_4k, 512);
	zero(l2ram_4k, 512);
	zero(l3ram_4k, 512);
	l0_4k[0] = pa(l1_4k) | D_TABLE;
	l1_4k[0] = pa(l2dev_4k) | D_TABLE;
	l1_4k[2] = pa(l2ram_4k) | D_TABLE;
	l1_4k[4] = RAM_BASE | NORMAL | D_BLOCK;
	l2dev_4k[UART_BASE >> 21] = pa(l3dev_4k) | D_TABLE;
	l3dev_4k[(UART_BASE >> 12) & 511] = UART_BASE | DEVICE | D_PAGE;
	l3dev_4k[(TEST_EXIT_BASE >> 12) & 511] = TEST_EXIT_BASE | DEVICE | D_PAGE;
	for (i = 0; i < 7; i++)
		l2ram_4k[i] = (RAM_BASE + ((u64)i << 21)) | NORMAL | D_BLOCK;
	l2ram_4k[7] = pa(l3ram_4k) | D_TABLE;
	for (i = 0; i < 512; i++)
		l3ram_4k[i] = (TEST_AREA + ((u64)i << 12)) | NORMAL | D_PAGE;
	l3ram_4k[1] |= D_AP_RO;
	l3ram_4k[2] &= ~D_AF;

	g->name = "4K";
	g->tcr = TCR_COMMON | TCR_TG0_4K;
	g->ttbr = l0_4k;
	g->page = 4096;
	g->miss[0] = 0x800000000000UL;	/* L0[256] */
	g->miss[1] = 0x40000000UL;	/* L1[1] */
	g->miss[2] = 0x00200000UL;	/* L2dev[1] */
	g->miss[3] = UART_BASE + 0x1000;	/* L3dev[1] */
	g->ro_page = TEST_AREA + 0x1000;
	g->noaf_page = TEST_AREA + 0x2000;
	g->remap_a = TEST_AREA + 0x3000;
	g->remap_b = TEST_AREA + 0x4000;
	g->remap_pte = &l3ram_4k[3];
}

/*
 * 64K, 48-bit VA, walk starts at level 1 (42 bits per level-1 entry):
 *   L1[0] -> L2;  L2[0] -> L3dev (UART, test-exit pages);  L2[4] -> L3ram;
 *   L2[8] = 512 MiB block alias of 0x80000000
 *   L3ram: 64K pages over RAM, one read-only, one without AF
 */
static void build_64k(struct granule *g)
{
	unsigned int i;

	zero(l1_64k, 8192);
	zero(l2_64k, 8192);
	zero(l3dev_64k, 8192);
	zero(l3ram_64k, 8192);
	l1_64k[0] = pa(l2_64k) | D_TABLE;
	l2_64k[0] = pa(l3dev_64k) | D_TABLE;
	l2_64k[RAM_BASE >> 29] = pa(l3ram_64k) | D_TABLE;
	l2_64k[ALIAS_VA >> 29] = RAM_BASE | NORMAL | D_BLOCK;
	l3dev_64k[UART_BASE >> 16] = UART_BASE | DEVICE | D_PAGE;
	l3dev_64k[TEST_EXIT_BASE >> 16] = TEST_EXIT_BASE | DEVICE | D_PAGE;
	for (i = 0; i < GUEST_RAM_SIZE >> 16; i++)
		l3ram_64k[i] = (RAM_BASE + ((u64)i << 16)) | NORMAL | D_PAGE;
	l3ram_64k[((TEST_AREA + 0x10000) >> 16) & 8191] |= D_AP_RO;
	l3ram_64k[((TEST_AREA + 0x20000) >> 16) & 8191] &= ~D_AF;

	g->name = "64K";
	g->tcr = TCR_COMMON | TCR_TG0_64K;
	g->ttbr = l1_64k;
	g->page = 65536;
	g->miss[0] = 0;
	g->miss[1] = 1UL << 42;		/* L1[1] */
	g->miss[2] = 0x20000000UL;	/* L2[1] */
	g->miss[3] = UART_BASE + 0x10000;	/* L3dev[0x101] */
	g->ro_page = TEST_AREA + 0x10000;
	g->noaf_page = TEST_AREA + 0x20000;
	g->remap_a = TEST_AREA + 0x30000;
	g->remap_b = TEST_AREA + 0x40000;
	g->remap_pte = &l3ram_64k[((TEST_AREA + 0x30000) >> 16) & 8191];
}

static u64 at_s1e1r(u64 va)
{
	asm volatile("at s1e1r, %0\n\tisb" : : "r"(va) : "memory");
	return read_sysreg(par_el1);
}

static u64 at_s1e1w(u64 va)
{
	asm volatile("at s1e1w, %0\n\tisb" : : "r"(va) : "memory");
	return read_sysreg(par_el1);
}

/* One access expected to fault: DFSC and WnR checked, FAR = va. */
static void expect_fault(const struct granule *g, const char *what, u64 va, int write,
			 unsigned int dfsc)
{
	unsigned int caught = rt_caught;
	u64 v = 0, esr;

	if (write)
		asm volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
	else
		asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
	esr = rt_last.esr;
	check(rt_caught == caught + 1 && ESR_EC(esr) == EC_DABT_CUR && ESR_FSC(esr) == dfsc &&
	      !!(esr & ESR_WNR) == write && rt_last.far == va,
	      "%s: %s at 0x%lx: ESR_EL1 0x%08lx (want EC 0x25, DFSC 0x%02x, WnR %d), FAR_EL1 0x%lx",
	      g->name, what, (unsigned long)va, (unsigned long)esr, dfsc, write,
	      (unsigned long)rt_last.far);
}

static volatile u64 marker;

static void run_granule(struct granule *g)
{
	static const char *const level_name[4] = { "level 0", "level 1", "level 2", "level 3" };
	volatile u64 *alias, *ra, *rb;
	u64 sctlr, par, v;
	int lvl;

	if (pa(g->ttbr) & (g->page - 1)) {
		check(0, "%s: tables not aligned to the granule (loaded at a bad offset?)", g->name);
		return;
	}
	/* test data, written with the MMU off */
	*(volatile u64 *)g->remap_a = 0xaaaa;
	*(volatile u64 *)g->remap_b = 0xbbbb;
	marker = 0x6d6d750000000000UL | g->page;

	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(g->tcr, tcr_el1);
	write_sysreg(pa(g->ttbr), ttbr0_el1);
	flush_tables();
	sctlr = read_sysreg(sctlr_el1);
	write_sysreg(sctlr | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
	isb();
	check(read_sysreg(sctlr_el1) & SCTLR_M, "%s: MMU on, running and printing through the identity map",
	      g->name);

	alias = (volatile u64 *)(ALIAS_VA + (pa((const void *)&marker) - RAM_BASE));
	v = *alias;
	check(v == marker, "%s: read through the alias block at 0x%lx: 0x%lx (want 0x%lx)", g->name,
	      (unsigned long)(uintptr_t)alias, (unsigned long)v, (unsigned long)marker);
	*alias = marker + 1;
	check(marker == v + 1, "%s: a write through the alias is seen at the identity VA", g->name);

	rt_set_sync_handler(EC_DABT_CUR, rt_record_and_skip);
	for (lvl = 0; lvl < 4; lvl++)
		if (g->miss[lvl])
			expect_fault(g, level_name[lvl], g->miss[lvl], 0, FSC_TRANS + lvl);
	expect_fault(g, "write to a read-only page", g->ro_page, 1, FSC_PERM + 3);
	expect_fault(g, "read of a page without AF", g->noaf_page, 0, FSC_ACCESS + 3);
	v = *(volatile u64 *)g->ro_page;	/* reading it is fine */
	rt_set_sync_handler(EC_DABT_CUR, 0);

	par = at_s1e1r(g->remap_a + 0x18);
	check(!(par & PAR_F) && PAR_PA(par) == ((g->remap_a + 0x18) & ~0xfffUL),
	      "%s: AT S1E1R 0x%lx: PAR_EL1 0x%016lx (want F 0, PA 0x%lx)", g->name,
	      (unsigned long)(g->remap_a + 0x18), (unsigned long)par,
	      (unsigned long)((g->remap_a + 0x18) & ~0xfffUL));
	par = at_s1e1r(ALIAS_VA + 0x5000);
	check(!(par & PAR_F) && PAR_PA(par) == RAM_BASE + 0x5000,
	      "%s: AT S1E1R of the alias 0x%lx: PAR_EL1 0x%016lx (want PA 0x%lx)", g->name,
	      ALIAS_VA + 0x5000, (unsigned long)par, RAM_BASE + 0x5000);
	par = at_s1e1r(g->miss[2]);
	check((par & PAR_F) && PAR_FST(par) == (FSC_TRANS + 2),
	      "%s: AT S1E1R of an unmapped VA: PAR_EL1 0x%lx (want F 1, FST 0x%02x)", g->name,
	      (unsigned long)par, FSC_TRANS + 2);
	par = at_s1e1w(g->ro_page);
	check((par & PAR_F) && PAR_FST(par) == (FSC_PERM + 3),
	      "%s: AT S1E1W of a read-only page: PAR_EL1 0x%lx (want F 1, FST 0x%02x)", g->name,
	      (unsigned long)par, FSC_PERM + 3);

	/* remap: a TLB entry for remap_a exists now; TLBI VAE1 must drop it */
	ra = (volatile u64 *)g->remap_a;
	rb = (volatile u64 *)g->remap_b;
	v = *ra;
	*g->remap_pte = (*g->remap_pte & ~PAR_PA(~0UL)) | PAR_PA(g->remap_b);
	dsb(ishst);
	asm volatile("tlbi vae1, %0\n\tdsb ish\n\tisb" : : "r"(g->remap_a >> 12) : "memory");
	check(v == 0xaaaa && *ra == 0xbbbb && *rb == 0xbbbb,
	      "%s: after remapping and TLBI VAE1 the VA reads the new page (0x%lx, then 0x%lx)",
	      g->name, (unsigned long)v, (unsigned long)*ra);

	write_sysreg(sctlr & ~SCTLR_M, sctlr_el1);
	isb();
	flush_tables();
	check(!(read_sysreg(sctlr_el1) & SCTLR_M), "%s: MMU off again", g->name);
}

int main(void)
{
	struct granule g;
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);

	printf("mmu: ID_AA64MMFR0_EL1 0x%016lx\n", (unsigned long)mmfr0);
	/* TGran4 [31:28], TGran64 [27:24]: 0xf = not supported (1: also 52-bit) */
	if (((mmfr0 >> 28) & 0xf) != 0xf) {
		build_4k(&g);
		run_granule(&g);
	} else {
		check(0, "4K granule not supported (ID_AA64MMFR0_EL1)");
	}
	if (((mmfr0 >> 24) & 0xf) != 0xf) {
		build_64k(&g);
		run_granule(&g);
	} else {
		check(0, "64K granule not supported (ID_AA64MMFR0_EL1)");
	}
	return rt_report("mmu");
}
