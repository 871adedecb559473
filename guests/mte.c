// SPDX-License-Identifier: GPL-2.0
/*
 * mte: FEAT_MTE2/MTE3 at EL1 (Arm ARM D10, "The Memory Tagging
 * Extension") in a VM that enabled KVM_CAP_ARM_MTE (without it, a SKIP).  ID_AA64PFR1_EL1.MTE;
 * the MMU on with RAM Tagged Normal (MAIR 0xf0), TBI0 and TBI1, an alias
 * of it in TTBR1's half and one Normal untagged (MAIR 0xff); IRG under
 * GCR_EL1.Exclude, STG/LDG and ST2G; then the Tag Check of a load and a
 * store whose logical tag differs from the granule's allocation tag:
 *   SCTLR_EL1.TCF 1 (synchronous): a Data Abort, EC 0x25, DFSC 0x11, WnR,
 *     FAR bits 59:0 the tagged address (63:60 are UNKNOWN), the store not
 *     done; the matching access does not fault;
 *   TCF 2 (asynchronous): no fault, TFSR_EL1.TF0 (TTBR0) or TF1 (TTBR1);
 *   TCF 3 (asymmetric, FEAT_MTE3): reads synchronous, writes asynchronous;
 *   and what goes unchecked: PSTATE.TCO, TCR_EL1.TCMA0 with tag 0 and
 *   TCMA1 with tag 0xf in TTBR1's half (the match-all tags), untagged
 *   memory, TBI0 0, TCF 0, and SCTLR_EL1.ATA 0 making LDG read 0 and STG ignored.
 */
#include "rt.h"

/* the MTE system registers by encoding (the instructions: guests.mk's -march) */
#define GCR_EL1		s3_0_c1_c0_6
#define RGSR_EL1	s3_0_c1_c0_5
#define TFSR_EL1	s3_0_c5_c6_0

#define TCF_SHIFT	40
#define TFSR_TF0	BIT(0)
#define TFSR_TF1	BIT(1)

/* MAIR indexes and TCR_EL1 (Arm ARM D8) */
#define ATTR_TAGGED	0
#define ATTR_DEVICE	1
#define ATTR_UNTAGGED	2
#define MAIR_VALUE	(0xf0UL | 0x00UL << 8 | 0xffUL << 16)

#define TCR_T0SZ(n)	((u64)(n))
#define TCR_T1SZ(n)	((u64)(n) << 16)
#define TCR_WBWA_SH0	(1UL << 8 | 1UL << 10 | 3UL << 12)
#define TCR_WBWA_SH1	(1UL << 24 | 1UL << 26 | 3UL << 28)
#define TCR_TG1_4K	(2UL << 30)
#define TCR_IPS_40	(2UL << 32)
#define TCR_TBI0	BIT(37)
#define TCR_TBI1	BIT(38)
#define TCR_TCMA0	BIT(57)
#define TCR_TCMA1	BIT(58)
#define TCR_VALUE	(TCR_T0SZ(25) | TCR_T1SZ(25) | TCR_WBWA_SH0 | TCR_WBWA_SH1 | \
			 TCR_TG1_4K | TCR_IPS_40 | TCR_TBI0 | TCR_TBI1)

/* 39-bit VAs, the walk starts at level 1: 1 GiB blocks */
#define GIB		0x40000000UL
#define UNTAGGED_VA(p)	((p) + GIB)			/* the next block: RAM again */
#define TTBR1_VA(p)	((p) | 0xffffff8000000000UL)	/* the same l1[] through TTBR1 */

/*
 * Also runs under QEMU (qemu-system-aarch64 -M virt,mte=on -cpu max, RAM
 * at 1 GiB, the PL011 at 0x09000000, PSCI over HVC) to compare its lines.
 */
#define PL011		0x09000000UL

static void pl011_putc(char c)
{
	while (readl(PL011 + 0x18) & (1 << 5))	/* FR.TXFF */
		;
	writel((u8)c, PL011);
}

static void hvc_system_off(unsigned int status)
{
	printf("mte: exit status %u\n", status);
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

static u64 l1[512] __attribute__((aligned(4096)));
static u8 buf[256] __attribute__((aligned(256)));

static u64 with_tag(u64 p, unsigned int tag)
{
	return (p & ~(0xfUL << 56)) | (u64)(tag & 0xf) << 56;
}

static unsigned int tag_of(u64 p)
{
	return (unsigned int)(p >> 56) & 0xf;
}

static u64 irg(u64 p, u64 exclude)
{
	u64 r;

	asm volatile("irg %0, %1, %2" : "=r"(r) : "r"(p), "r"(exclude));
	return r;
}

static void stg(u64 p)
{
	asm volatile("stg %0, [%0]" : : "r"(p) : "memory");
}

static void st2g(u64 p)
{
	asm volatile("st2g %0, [%0]" : : "r"(p) : "memory");
}

static u64 ldg(u64 p)
{
	asm volatile("ldg %0, [%0]" : "+r"(p) : : "memory");
	return p;
}

/* register-base accesses: Tag Checked (only SP-based immediates are not) */
static u64 ld64(u64 p)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static void st64(u64 p, u64 v)
{
	asm volatile("str %0, [%1]" : : "r"(v), "r"(p) : "memory");
}

static void set_tcf(unsigned int tcf)
{
	u64 sctlr = read_sysreg(sctlr_el1) & ~(3UL << TCF_SHIFT);

	write_sysreg(sctlr | (u64)tcf << TCF_SHIFT, sctlr_el1);
	isb();
}

static void set_tcr(u64 tcr)
{
	write_sysreg(tcr, tcr_el1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb ish\n\tisb" : : : "memory");
}

static u64 tfsr_take(void)
{
	u64 v;

	isb();
	v = read_sysreg(TFSR_EL1);
	write_sysreg(0, TFSR_EL1);
	isb();
	return v;
}

static void mmu_on(void)
{
	u64 ram = (u64)(uintptr_t)buf & ~(GIB - 1), sctlr;

	l1[0] = 0 | D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN | D_BLOCK;
	l1[ram / GIB] = ram | D_ATTR(ATTR_TAGGED) | D_SH_INNER | D_AF | D_BLOCK;
	l1[ram / GIB + 1] = ram | D_ATTR(ATTR_UNTAGGED) | D_SH_INNER | D_AF | D_BLOCK;
	dsb(ishst);
	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(TCR_VALUE, tcr_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr0_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr1_el1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb ish\n\tisb" : : : "memory");
	sctlr = read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_ATA;
	write_sysreg(sctlr, sctlr_el1);
	isb();
}

/*
 * One access through p: 1 when it took a Tag Check fault whose ESR and FAR
 * are right, 0 when it did not fault, -1 for any other exception.
 */
static int access(u64 p, int write)
{
	unsigned int before = rt_caught;
	u64 esr, want_far = p & ((1UL << 60) - 1);

	if (write)
		st64(p, 0x5a5a5a5a5a5a5a5aUL);
	else
		(void)ld64(p);
	if (rt_caught == before)
		return 0;
	esr = rt_last.esr;
	if (ESR_EC(esr) != EC_DABT_CUR || ESR_FSC(esr) != FSC_TAG_CHECK ||
	    !!(esr & ESR_WNR) != write || (rt_last.far & ((1UL << 60) - 1)) != want_far) {
		printf("  ESR_EL1 0x%lx FAR_EL1 0x%lx for %s of 0x%lx\n", (unsigned long)esr,
		       (unsigned long)rt_last.far, write ? "a store" : "a load",
		       (unsigned long)p);
		return -1;
	}
	return 1;
}

int main(void)
{
	u64 pfr1 = read_sysreg(id_aa64pfr1_el1), base, p, q, t5;
	unsigned int mte = (pfr1 >> 8) & 0xf, i, bad;

	if ((u64)(uintptr_t)buf < RAM_BASE) {	/* QEMU's virt: RAM at 1 GiB */
		writel(0x301, PL011 + 0x30);	/* CR: UARTEN, TXE, RXE */
		rt_putc_hook = pl011_putc;
		rt_exit_hook = hvc_system_off;
		printf("mte: on QEMU virt\n");
	}
	if (mte < 2) {
		/* vmm --disable-mte, or a hypervisor without KVM_CAP_ARM_MTE */
		rt_skip("ID_AA64PFR1_EL1.MTE %u: no FEAT_MTE2", mte);
		return rt_report("mte");
	}
	check(mte == 3, "ID_AA64PFR1_EL1.MTE %u (want 3: FEAT_MTE3)", mte);
	rt_set_sync_handler(EC_DABT_CUR, rt_record_and_skip);
	mmu_on();
	base = (u64)(uintptr_t)buf;

	/* IRG: never an excluded tag; only bits 59:56 change */
	write_sysreg(0x1234UL << 8, RGSR_EL1);	/* SEED */
	write_sysreg(0x1UL, GCR_EL1);	/* Exclude tag 0; RRND 0 */
	isb();
	bad = 0;
	for (i = 0; i < 64; i++) {
		p = irg(base, 0x8000);	/* and 0xf through Xm */
		if (tag_of(p) == 0 || tag_of(p) == 0xf || with_tag(p, 0) != base)
			bad++;
	}
	check(!bad, "IRG: 64 tags, none excluded (0 by GCR_EL1, 0xf by Xm): %u bad", bad);
	write_sysreg(0xfffeUL, GCR_EL1);	/* only tag 0 allowed */
	isb();
	p = irg(base, 0);
	check(tag_of(p) == 0, "IRG with every tag but 0 excluded: tag %u", tag_of(p));

	/* STG, ST2G, LDG: buf's 16 granules tagged 5, but granules 2-3 tagged 9 */
	t5 = with_tag(base, 5);
	for (i = 0; i < sizeof(buf); i += 16)
		stg(t5 + i);
	st2g(with_tag(base + 32, 9));
	p = ldg(base);
	q = ldg(base + 40);
	check(tag_of(p) == 5 && with_tag(p, 0) == base, "LDG of granule 0: 0x%lx (tag 5)",
	      (unsigned long)p);
	check(tag_of(q) == 9, "ST2G then LDG of granule 2 (its offset 8): tag %u (want 9)",
	      tag_of(q));
	check(tag_of(ldg(base + 48)) == 9 && tag_of(ldg(base + 64)) == 5,
	      "ST2G tagged two granules, not three");
	st64(t5, 0x1111);

	/* TCF 1: synchronous.  TFSR_EL1 resets UNKNOWN (KVM: a junk pattern) */
	tfsr_take();
	set_tcf(1);
	check(access(t5, 0) == 0 && access(t5 + 8, 1) == 0 && access(with_tag(base + 32, 9), 0) == 0,
	      "TCF 1: the matching tags do not fault");
	check(access(with_tag(base, 3), 0) == 1,
	      "TCF 1: a load with tag 3 from a granule tagged 5: EC 0x25 DFSC 0x11, FAR 0x%lx",
	      (unsigned long)rt_last.far);
	check(access(with_tag(base, 3), 1) == 1, "TCF 1: a store with tag 3: WnR, DFSC 0x11");
	check(ld64(t5) == 0x1111, "TCF 1: the faulting store stored nothing");
	check(access(with_tag(base + 24, 5), 0) == 0 && access(with_tag(base + 32, 5), 0) == 1,
	      "TCF 1: the tag is checked per granule (16 bytes)");
	check(access(with_tag(TTBR1_VA(base), 3), 0) == 1,
	      "TCF 1: through TTBR1 (bit 55 set) too");
	check(!tfsr_take(), "TCF 1: TFSR_EL1 untouched");

	/* TCF 2: asynchronous */
	set_tcf(2);
	tfsr_take();
	check(access(with_tag(base, 3), 0) == 0, "TCF 2: a mismatching load does not fault");
	check(tfsr_take() == TFSR_TF0, "TCF 2: TFSR_EL1.TF0 set (TTBR0 half)");
	check(access(with_tag(TTBR1_VA(base), 3), 1) == 0 && tfsr_take() == TFSR_TF1,
	      "TCF 2: a mismatching store through TTBR1: TFSR_EL1.TF1, no fault");
	check(ld64(t5) == 0x5a5a5a5a5a5a5a5aUL, "TCF 2: the mismatching store was done");
	check(access(t5, 0) == 0 && !tfsr_take(), "TCF 2: a matching load sets nothing");

	/* TCF 3: asymmetric (FEAT_MTE3) */
	set_tcf(3);
	check(access(with_tag(base, 3), 0) == 1 && !tfsr_take(),
	      "TCF 3: a mismatching load faults synchronously");
	check(access(with_tag(base, 3), 1) == 0 && tfsr_take() == TFSR_TF0,
	      "TCF 3: a mismatching store does not fault, TFSR_EL1.TF0");

	/* what is not checked */
	set_tcf(1);
	asm volatile("msr tco, #1" : : : "memory");
	i = (unsigned int)access(with_tag(base, 3), 0);
	asm volatile("msr tco, #0" : : : "memory");
	check(i == 0, "PSTATE.TCO 1: unchecked");
	check(access(with_tag(base, 0), 0) == 1, "TCMA0 0: tag 0 is checked");
	set_tcr(TCR_VALUE | TCR_TCMA0);
	check(access(with_tag(base, 0), 0) == 0 && access(with_tag(base, 3), 0) == 1,
	      "TCMA0 1: tag 0 matches any allocation tag, tag 3 still checked");
	check(access(TTBR1_VA(base), 0) == 1, "TCMA1 0: tag 0xf in TTBR1's half is checked");
	set_tcr(TCR_VALUE | TCR_TCMA1);
	check(access(TTBR1_VA(base), 0) == 0 && access(with_tag(TTBR1_VA(base), 3), 0) == 1,
	      "TCMA1 1: tag 0xf in TTBR1's half matches any allocation tag");
	set_tcr(TCR_VALUE);
	check(access(UNTAGGED_VA(with_tag(base, 3)), 0) == 0,
	      "untagged Normal memory (MAIR 0xff): unchecked");
	set_tcr(TCR_VALUE & ~TCR_TBI0);
	check(access(base, 0) == 0, "TBI0 0: unchecked (a Tag Check needs TBI)");
	set_tcr(TCR_VALUE);
	set_tcf(0);
	check(access(with_tag(base, 3), 0) == 0 && !tfsr_take(), "TCF 0: unchecked");

	/* SCTLR_EL1.ATA 0: tags read as 0, writes of them ignored */
	write_sysreg(read_sysreg(sctlr_el1) & ~SCTLR_ATA, sctlr_el1);
	isb();
	stg(with_tag(base, 7));
	p = ldg(with_tag(base, 0));
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_ATA, sctlr_el1);
	isb();
	check(tag_of(p) == 0 && tag_of(ldg(base)) == 5,
	      "ATA 0: LDG reads tag 0 (%u), STG ignored (granule still 5)", tag_of(p));
	rt_set_sync_handler(EC_DABT_CUR, 0);
	return rt_report("mte");
}
