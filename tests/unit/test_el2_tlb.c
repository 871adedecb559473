// SPDX-License-Identifier: GPL-2.0
/*
 * The soft TLB's contexts (kernel/cpu/tlb.h, mem.c): entries tagged by
 * ASID and VMID survive a switch of either, global entries (nG 0) serve
 * every ASID, and each TLBI drops what the Arm ARM says (D8.17, "TLB
 * maintenance instructions") and nothing else these tests can see.
 *
 * How a test sees an entry: VA DVA (page 12 of RAM) maps through 4 KiB
 * stage-1 pages to page 8 (its first word 8); the host then points the
 * page's descriptor at page 9 (word 9) without a TLBI, so a load of DVA
 * reads 8 while the soft TLB holds the old translation and 9 after a
 * walk.  EL1 code runs on el2_vm.h's vCPU; HVC ends each run.
 */
#include "el2_vm.h"

#define PT1		(RAM_GPA + 0x4000)	/* stage 1, level 1 */
#define PT2		(RAM_GPA + 0x5000)	/* level 2 */
#define PT3		(RAM_GPA + 0x6000)	/* level 3: RAM's 16 pages */
#define S2PT		(RAM_GPA + 0x7000)	/* stage 2, level 1 */
#define DVA		(RAM_GPA + 0xc000)
#define DVA2		(RAM_GPA + 0xd000)
#define ASID(n)		((uint64_t)(n) << 48)
#define PAGE_DESC	(0x403ULL | (3 << 8))	/* AF, page, ISH, AttrIndx 0 */
#define NG		(1ULL << 11)

#define MSR_TTBR0_X5	0xd5182005u
#define MSR_TTBR0_X6	0xd5182006u
#define ISB		0xd5033fdfu
#define DSB_ISH		0xd5033b9fu
#define LDR_X1_X3	0xf9400061u
#define LDR_X2_X3	0xf9400062u
#define LDR_X2_X4	0xf9400082u
#define LDR_X10_X3	0xf940006au
#define LDR_X11_X4	0xf940008bu
#define TLBI_VAAE1_X9	0xd5088769u
#define TLBI_VAE1_X9	0xd5088729u
#define TLBI_ASIDE1_X7	0xd5088747u
#define TLBI_VMALLE1	0xd508871fu
#define TLBI_VMALLS12E1	0xd50c87dfu
#define TLBI_IPAS2E1_X9	0xd50c8429u
#define TLBI_ALLE2	0xd50c871fu
#define MSR_VTTBR_X8	0xd51c2108u
#define ERET		0xd69f03e0u
#define MSR_CONTEXTIDR_X12	0xd518d02cu
#define MSR_SCTLR_X13	0xd518100du
#define MSR_TCR_X14	0xd518204eu
#define STR_X12_X3	0xf900006cu

static uint64_t *pt3(struct el2vm *v)
{
	return (uint64_t *)(void *)(v->ram + 0x6000 / 4);
}

/*
 * Stage 1 of EL1&0 (39-bit VA, 4K, ASIDs in TTBR0, 16 bits) and of EL2
 * (the same tables): RAM identity-mapped by pages (nG as ng says), but
 * DVA -> page 8, DVA2 -> page 10, the GiB at 0 Device (the MMIO exits);
 * stage 2 maps RAM's GiB and the Device GiB, VMID 1, not enabled.
 */
static void tables(struct el2vm *v, uint64_t ng)
{
	uint64_t *l1 = (uint64_t *)(void *)(v->ram + 0x4000 / 4);
	uint64_t *l2 = (uint64_t *)(void *)(v->ram + 0x5000 / 4);
	uint64_t *s2 = (uint64_t *)(void *)(v->ram + 0x7000 / 4);
	unsigned int i;

	l1[0] = 0x405;				/* AF, block, AttrIndx 1: Device */
	l1[2] = PT2 | 3;
	l2[0] = PT3 | 3;
	for (i = 0; i < 16; i++)
		pt3(v)[i] = (RAM_GPA + 0x1000 * i) | PAGE_DESC | ng;
	pt3(v)[12] = (RAM_GPA + 0x8000) | PAGE_DESC | ng;
	pt3(v)[13] = (RAM_GPA + 0xa000) | PAGE_DESC | ng;
	v->ram[0x8000 / 4] = 8;
	v->ram[0x9000 / 4] = 9;
	v->ram[0xa000 / 4] = 0xa;
	s2[0] = 0x401 | (3 << 6);				/* Device, RW */
	s2[2] = RAM_GPA | 0x401 | (3 << 6) | (0xfULL << 2);	/* Normal WB, RW */
	el2vm_put(v, SYSREG(MAIR_EL1), 0x04ff);
	el2vm_put(v, SYSREG(TCR_EL1), 25 | (1ULL << 23) | (1ULL << 36));
	el2vm_put(v, SYSREG(TTBR0_EL1), PT1 | ASID(1));
	el2vm_put(v, SYSREG(SCTLR_EL1), 0x00c50078 | SCTLR_M | SCTLR_C | SCTLR_I);
	el2vm_put(v, SYSREG(MAIR_EL2), 0x04ff);
	el2vm_put(v, SYSREG(TCR_EL2), 25 | (1ULL << 23) | (1ULL << 31));
	el2vm_put(v, SYSREG(TTBR0_EL2), PT1);
	el2vm_put(v, SYSREG(VTCR_EL2), 25 | (1ULL << 6) | (5ULL << 16) | (1ULL << 31));
	el2vm_put(v, SYSREG(VTTBR_EL2), S2PT | ASID(1));
	el2vm_put(v, SYSREG(HCR_EL2), HCR_RW);
	el2vm_put(v, X(3), DVA);
	el2vm_put(v, X(4), DVA2);
	el2vm_put(v, X(5), PT1 | ASID(1));
	el2vm_put(v, X(6), PT1 | ASID(2));
}

/* Point DVA (and DVA2) at page 9, no TLBI. */
static void remap(struct el2vm *v)
{
	pt3(v)[12] = (pt3(v)[12] & ~0xfffff000ULL) | (RAM_GPA + 0x9000);
	pt3(v)[13] = (pt3(v)[13] & ~0xfffff000ULL) | (RAM_GPA + 0x9000);
}

/* Run code at EL1 to its HVC. */
static void el1(struct el2vm *v, const uint32_t *code, unsigned int n)
{
	ck_assert_uint_eq(el2vm_run(v, EL1H, code, n), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ESR_EL2)), 0x5a000006);
}

#define RUN(v, ...) do {						\
	static const uint32_t c_[] = { __VA_ARGS__, HVC(6) };		\
	el1(v, c_, sizeof(c_) / sizeof(c_[0]));				\
} while (0)

static uint64_t xr(struct el2vm *v, unsigned int n)
{
	return el2vm_reg(v, X(n));
}

/* An entry of ASID 1 serves ASID 1 only, and outlives a switch to ASID 2. */
START_TEST(el2_tlb_asid)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	RUN(&v, MSR_TTBR0_X5, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);
	remap(&v);
	RUN(&v, MSR_TTBR0_X6, ISB, LDR_X1_X3, MSR_TTBR0_X5, ISB, LDR_X2_X3);
	ck_assert_uint_eq(xr(&v, 1), 9);	/* ASID 2 walks */
	ck_assert_uint_eq(xr(&v, 2), 8);	/* ASID 1's entry is still there */
	el2vm_destroy(&v);
}
END_TEST

/*
 * A global entry serves every ASID: filled under ASID 1, used under 2;
 * TLBI VAAE1 drops it for all.
 */
START_TEST(el2_tlb_global)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, 0);
	RUN(&v, MSR_TTBR0_X5, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);
	remap(&v);
	el2vm_put(&v, X(9), DVA >> 12);
	RUN(&v, MSR_TTBR0_X6, ISB, LDR_X1_X3, TLBI_VAAE1_X9, DSB_ISH, ISB,
	    LDR_X2_X3, MSR_TTBR0_X5, ISB, LDR_X10_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);	/* ASID 1's global entry */
	ck_assert_uint_eq(xr(&v, 2), 9);
	ck_assert_uint_eq(xr(&v, 10), 9);	/* gone for ASID 1 too */
	el2vm_destroy(&v);
}
END_TEST

/*
 * TLBI ASIDE1: ASID 1's non-global entries; not its global ones (DVA2
 * global here), not ASID 2's.
 */
START_TEST(el2_tlb_aside1)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	pt3(&v)[13] &= ~NG;
	RUN(&v, MSR_TTBR0_X6, ISB, LDR_X1_X3, MSR_TTBR0_X5, ISB, LDR_X1_X3, LDR_X2_X4);
	ck_assert_uint_eq(xr(&v, 1), 8);
	ck_assert_uint_eq(xr(&v, 2), 0xa);
	remap(&v);
	el2vm_put(&v, X(7), ASID(1));
	RUN(&v, TLBI_ASIDE1_X7, DSB_ISH, ISB, LDR_X1_X3, LDR_X2_X4,
	    MSR_TTBR0_X6, ISB, LDR_X10_X3);
	ck_assert_uint_eq(xr(&v, 1), 9);	/* dropped */
	ck_assert_uint_eq(xr(&v, 2), 0xa);	/* global: kept */
	ck_assert_uint_eq(xr(&v, 10), 8);	/* ASID 2's: kept */
	el2vm_destroy(&v);
}
END_TEST

/* TLBI VAE1 (ASID 1, DVA): that entry; not ASID 2's, not another VA's. */
START_TEST(el2_tlb_vae1)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	RUN(&v, MSR_TTBR0_X6, ISB, LDR_X1_X3, MSR_TTBR0_X5, ISB, LDR_X1_X3, LDR_X2_X4);
	remap(&v);
	el2vm_put(&v, X(9), ASID(1) | DVA >> 12);
	RUN(&v, TLBI_VAE1_X9, DSB_ISH, ISB, LDR_X1_X3, LDR_X2_X4,
	    MSR_TTBR0_X6, ISB, LDR_X10_X3);
	ck_assert_uint_eq(xr(&v, 1), 9);	/* dropped */
	ck_assert_uint_eq(xr(&v, 2), 0xa);	/* DVA2: kept */
	ck_assert_uint_eq(xr(&v, 10), 8);	/* ASID 2's: kept */
	el2vm_destroy(&v);
}
END_TEST

/*
 * A store to a page the TLB holds for reads goes where the loads go: the
 * entry's translation (its walk found it writable), not a new walk's,
 * until a TLBI (mem.c, tlb_reuse_for_write()).
 */
START_TEST(el2_tlb_store_after_load)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	RUN(&v, MSR_TTBR0_X5, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);
	remap(&v);
	el2vm_put(&v, X(12), 0x77);
	el2vm_put(&v, X(9), ASID(1) | DVA >> 12);
	RUN(&v, STR_X12_X3, LDR_X1_X3, TLBI_VAE1_X9, DSB_ISH, ISB, LDR_X2_X3);
	ck_assert_uint_eq(xr(&v, 1), 0x77);
	ck_assert_uint_eq(v.ram[0x8000 / 4], 0x77);	/* page 8, the entry's */
	ck_assert_uint_eq(xr(&v, 2), 9);		/* page 9 untouched */
	el2vm_destroy(&v);
}
END_TEST

/*
 * System register writes that do not change translation keep the entries:
 * CONTEXTIDR_EL1, SCTLR_EL1's pointer-authentication enables (which Linux
 * switches per task), TCR_EL1 written with its value; a write of
 * SCTLR_EL1.M drops them (mem.c, cpu_tlb_shaped_by()): DVA then reads
 * its own page, 12 (word 0xc).
 */
START_TEST(el2_tlb_sysreg_writes)
{
	struct el2vm v;
	uint64_t sctlr;

	el2vm_create(&v);
	tables(&v, NG);
	RUN(&v, MSR_TTBR0_X5, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);
	remap(&v);
	sctlr = el2vm_reg(&v, SYSREG(SCTLR_EL1));
	el2vm_put(&v, X(12), 0x1234);
	el2vm_put(&v, X(13), sctlr ^ (1ULL << 31 | 1ULL << 30 | 1ULL << 27 | 1ULL << 13));
	el2vm_put(&v, X(14), el2vm_reg(&v, SYSREG(TCR_EL1)));
	RUN(&v, MSR_CONTEXTIDR_X12, MSR_SCTLR_X13, MSR_TCR_X14, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);	/* kept */
	v.ram[0xc000 / 4] = 0xc;
	el2vm_put(&v, X(13), sctlr & ~SCTLR_M);
	RUN(&v, MSR_SCTLR_X13, ISB, LDR_X2_X3);
	ck_assert_uint_eq(xr(&v, 2), 0xc);	/* dropped: the MMU is off */
	el2vm_destroy(&v);
}
END_TEST

/*
 * Stage 2 on, VMIDs 1 and 2 (EL2 code: MSR VTTBR_EL2, ERET to EL1's
 * load): VMID 1's entry outlives VMID 2's run and serves only VMID 1;
 * TLBI VMALLE1 (EL1, VMID 1) drops VMID 1's entries only, TLBI
 * VMALLS12E1 (EL2, VTTBR_EL2 at VMID 2) VMID 2's only, IPAS2E1 leaves
 * other VMIDs' entries.
 */
static uint64_t vmid_load(struct el2vm *v, unsigned int vmid)
{
	static const uint32_t code[] = { MSR_VTTBR_X8, ISB, ERET, LDR_X1_X3, HVC(6) };

	el2vm_put(v, X(8), S2PT | ASID(vmid));
	el2vm_put(v, SYSREG(ELR_EL2), CODE + 12);
	el2vm_put(v, SYSREG(SPSR_EL2), EL1H);
	ck_assert_uint_eq(el2vm_run(v, EL2H, code, 5), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ESR_EL2)), 0x5a000006);
	return xr(v, 1);
}

START_TEST(el2_tlb_vmid)
{
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_VM);
	ck_assert_uint_eq(vmid_load(&v, 1), 8);
	remap(&v);
	ck_assert_uint_eq(vmid_load(&v, 2), 9);		/* VMID 2 walks */
	ck_assert_uint_eq(vmid_load(&v, 1), 8);		/* VMID 1's kept */
	/* VMALLE1 under VMID 1 */
	RUN(&v, TLBI_VMALLE1, DSB_ISH, ISB, LDR_X2_X3);
	ck_assert_uint_eq(xr(&v, 2), 9);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_tlb_vmalls12e1)
{
	static const uint32_t code[] = { MSR_VTTBR_X8, ISB, TLBI_VMALLS12E1, DSB_ISH, HVC(6) };
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_VM);
	ck_assert_uint_eq(vmid_load(&v, 2), 8);
	ck_assert_uint_eq(vmid_load(&v, 1), 8);
	RUN(&v, LDR_X2_X4);				/* VMID 1, DVA2 */
	remap(&v);
	/* at EL2, VMID 2 current: VMID 2's entries go */
	el2vm_put(&v, X(8), S2PT | ASID(2));
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(vmid_load(&v, 2), 9);
	ck_assert_uint_eq(vmid_load(&v, 1), 8);		/* VMID 1's kept */
	RUN(&v, LDR_X2_X4);
	ck_assert_uint_eq(xr(&v, 2), 0xa);
	el2vm_destroy(&v);
}
END_TEST

/* IPAS2E1 (EL2, VMID 2 current, DVA's IPA): not VMID 1's entries. */
START_TEST(el2_tlb_ipas2e1)
{
	static const uint32_t code[] = { MSR_VTTBR_X8, ISB, TLBI_IPAS2E1_X9, DSB_ISH,
					 TLBI_VMALLE1, DSB_ISH, HVC(6) };
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_VM);
	ck_assert_uint_eq(vmid_load(&v, 1), 8);
	ck_assert_uint_eq(vmid_load(&v, 2), 8);
	remap(&v);
	/* KVM's unmap: IPAS2E1 then VMALLE1, at EL2 under VMID 2 */
	el2vm_put(&v, X(8), S2PT | ASID(2));
	el2vm_put(&v, X(9), (RAM_GPA + 0x8000) >> 12);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 7), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(vmid_load(&v, 2), 9);
	ck_assert_uint_eq(vmid_load(&v, 1), 8);		/* VMID 1's kept */
	el2vm_destroy(&v);
}
END_TEST

/*
 * TLBI ALLE2: EL2's entries (EL2's MMU on, the same tables), not EL1&0's;
 * TLBI VMALLE1 at EL1 leaves EL2's.
 */
START_TEST(el2_tlb_alle2)
{
	static const uint32_t el2_load[] = { LDR_X10_X3, HVC(6) };
	static const uint32_t el2_alle2[] = { TLBI_ALLE2, DSB_ISH, ISB, LDR_X10_X3, HVC(6) };
	struct el2vm v;

	el2vm_create(&v);
	tables(&v, NG);
	el2vm_put(&v, SYSREG(SCTLR_EL2), 0x30c50830 | SCTLR_M | SCTLR_C | SCTLR_I);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, el2_load, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(xr(&v, 10), 8);
	RUN(&v, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 8);
	remap(&v);
	/* VMALLE1: EL1's entry goes, EL2's stays */
	RUN(&v, TLBI_VMALLE1, DSB_ISH, ISB, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 9);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, el2_load, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(xr(&v, 10), 8);
	/* DVA to page 10, no TLBI: EL1 holds 9, EL2 8; ALLE2 drops EL2's */
	pt3(&v)[12] = (RAM_GPA + 0xa000) | PAGE_DESC | NG;
	ck_assert_uint_eq(el2vm_run(&v, EL2H, el2_alle2, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(xr(&v, 10), 0xa);	/* EL2 walked again */
	RUN(&v, LDR_X1_X3);
	ck_assert_uint_eq(xr(&v, 1), 9);	/* EL1&0's entry kept */
	el2vm_destroy(&v);
}
END_TEST

/*
 * A stage-1 block over stage-2 pages: the TLB holds the block as pieces
 * at 4 KiB (the stage-2 page size), and a TLBI by VA of one of them
 * drops every piece of the stage-1 block (it names the block's entry),
 * so that a load at another VA of the block walks again.  Stage 1: VAs
 * 0x80200000-0x803fffff a 2 MiB block onto RAM (VA 0x80208000 reads page
 * 8, 0x8020a000 page 10); stage 2: RAM by 4 KiB pages, VMID 1.  The
 * block is then made invalid and one piece's VA invalidated: the load
 * through the other piece faults at EL1 (translation, level 2).
 */
#define S2L2		(RAM_GPA + 0xb000)
#define S2L3		(RAM_GPA + 0xe000)
#define BVA		(RAM_GPA + 0x200000)

START_TEST(el2_tlb_s1_block_s2_pages)
{
	static const uint32_t code[] = { TLBI_VAE1_X9, DSB_ISH, ISB, LDR_X2_X4, HVC(6) };
	uint64_t *l2 = NULL, *s2, *s2l2, *s2l3;
	struct el2vm v;
	unsigned int i;

	el2vm_create(&v);
	tables(&v, NG);
	l2 = (uint64_t *)(void *)(v.ram + 0x5000 / 4);
	s2 = (uint64_t *)(void *)(v.ram + 0x7000 / 4);
	s2l2 = (uint64_t *)(void *)(v.ram + 0xb000 / 4);
	s2l3 = (uint64_t *)(void *)(v.ram + 0xe000 / 4);
	l2[1] = RAM_GPA | 0x401 | (3 << 8) | NG;		/* block, AF, ISH */
	s2[2] = S2L2 | 3;
	s2l2[0] = S2L3 | 3;
	for (i = 0; i < 16; i++)
		s2l3[i] = (RAM_GPA + 0x1000 * i) | 0x403 | (3 << 6) | (0xfULL << 2);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_VM);
	el2vm_put(&v, X(3), BVA + 0x8000);
	el2vm_put(&v, X(4), BVA + 0xa000);
	RUN(&v, LDR_X1_X3, LDR_X2_X4);
	ck_assert_uint_eq(xr(&v, 1), 8);
	ck_assert_uint_eq(xr(&v, 2), 0xa);
	l2[1] = 0;
	el2vm_put(&v, X(9), ASID(1) | (BVA + 0x8000) >> 12);
	el2vm_put(&v, X(2), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 5), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)) >> 26, 0x25);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)) & 0x3f, 0x06);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL1)), BVA + 0xa000);
	ck_assert_uint_eq(xr(&v, 2), 0);
	el2vm_destroy(&v);
}
END_TEST

Suite *el2_tlb_suite(void)
{
	Suite *s = suite_create("el2_tlb");
	TCase *tc = tcase_create("el2_tlb");

	tcase_add_test(tc, el2_tlb_asid);
	tcase_add_test(tc, el2_tlb_global);
	tcase_add_test(tc, el2_tlb_aside1);
	tcase_add_test(tc, el2_tlb_vae1);
	tcase_add_test(tc, el2_tlb_sysreg_writes);
	tcase_add_test(tc, el2_tlb_store_after_load);
	tcase_add_test(tc, el2_tlb_vmid);
	tcase_add_test(tc, el2_tlb_vmalls12e1);
	tcase_add_test(tc, el2_tlb_ipas2e1);
	tcase_add_test(tc, el2_tlb_alle2);
	tcase_add_test(tc, el2_tlb_s1_block_s2_pages);
	suite_add_tcase(s, tc);
	return s;
}
