// SPDX-License-Identifier: GPL-2.0
/*
 * pmu: PMUv3 at EL1 and EL0 (Arm ARM D13) on a vCPU made with --pmu.
 * PMUVer and PMCR_EL0.N; exact counts of vkvm's events for fixed code
 * (docs/internals.md, "PMU": one cycle per instruction; the instruction
 * that enables counting and the one that disables it are not counted);
 * EL filtering with PMEVTYPER<n>_EL0.P and .U; PMXEVTYPER/PMXEVCNTR
 * through PMSELR_EL0; an overflow at 32 bits of a 64-bit counter setting
 * PMOVSSET_EL0 and raising the overflow interrupt (PPI 7, INTID 23, seen
 * pending in the redistributor) until PMOVSCLR_EL0 clears it; PMSWINC_EL0
 * and CHAIN; at EL0, PMCCNTR_EL0 trapping (EC 0x18) unless PMUSERENR_EL0
 * allows it, and PMUSERENR_EL0 itself read-only there.
 */
#include "rt.h"

#define ADDR(sym)	((u64)(uintptr_t)(sym))
#define EXCL_EL1	BIT(31)
#define EXCL_EL0	BIT(30)
#define EV_SW_INCR	0x00
#define EV_INST		0x08
#define EV_CYCLES	0x11
#define EV_MEM		0x13
#define EV_CHAIN	0x1e
#define EV_BR		0x21
/* 1 vCPU: the redistributor is just below the distributor; SGI_base.ISPENDR0 */
#define GICR_ISPENDR0	(0x3fff0000UL - 0x20000UL + 0x10000UL + 0x200UL)

/* Count from the enabling MSR to the disabling one: ISB, 10 NOPs, 4 loads,
 * a PRFM, a 3-round loop (SUBS, B.NE): 16 + 6 = 22 instructions. */
extern void counted(u64 *buf);
asm(
"	.text\n"
"	.balign	4\n"
"	.global	counted\n"
"counted:\n"
"	mov	x2, #3\n"
"	mov	x1, #1\n"
"	msr	pmcr_el0, x1\n"
"	isb\n"
"	nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n"
"	ldr	x3, [x0]\n"
"	ldr	x3, [x0, #8]\n"
"	ldp	x3, x4, [x0]\n"
"	str	x3, [x0, #16]\n"
"	prfm	pldl1keep, [x0]\n"
"1:	subs	x2, x2, #1\n"
"	b.ne	1b\n"
"	msr	pmcr_el0, xzr\n"
"	ret\n"
);

static void pmu_reset(void)
{
	write_sysreg(PMCR_P | PMCR_C | PMCR_LC, pmcr_el0);
	write_sysreg(~0ULL, pmcntenclr_el0);
	write_sysreg(~0ULL, pmintenclr_el1);
	write_sysreg(~0ULL, pmovsclr_el0);
	write_sysreg(0, pmuserenr_el0);
	write_sysreg(0, pmccfiltr_el0);
	isb();
}

static u64 buf[4];

static void test_counts(void)
{
	u64 c0, c1, c2, c3, cc;

	pmu_reset();
	write_sysreg(EV_INST, pmevtyper0_el0);
	write_sysreg(EV_BR, pmevtyper1_el0);
	write_sysreg(EV_MEM, pmevtyper2_el0);
	write_sysreg(EV_CYCLES | EXCL_EL1, pmevtyper3_el0);	/* EL1 only runs here */
	write_sysreg(0x8000000fULL, pmcntenset_el0);
	counted(buf);
	c0 = read_sysreg(pmevcntr0_el0);
	c1 = read_sysreg(pmevcntr1_el0);
	c2 = read_sysreg(pmevcntr2_el0);
	c3 = read_sysreg(pmevcntr3_el0);
	cc = read_sysreg(pmccntr_el0);
	check(c0 == 22, "INST_RETIRED: %lu (want 22)", (unsigned long)c0);
	check(c1 == 3, "BR_RETIRED: %lu (want 3: B.NE, taken or not)", (unsigned long)c1);
	check(c2 == 4, "MEM_ACCESS: %lu (want 4: LDR, LDR, LDP, STR; not PRFM)",
	      (unsigned long)c2);
	check(c3 == 0, "CPU_CYCLES with P (EL1 excluded): %lu (want 0)", (unsigned long)c3);
	check(cc == 22, "PMCCNTR_EL0: %lu (want 22: one cycle per instruction)",
	      (unsigned long)cc);

	/* the same through PMSELR_EL0 */
	write_sysreg(3, pmselr_el0);
	write_sysreg(EV_CYCLES | EXCL_EL0, pmxevtyper_el0);
	write_sysreg(100, pmxevcntr_el0);
	isb();
	check(read_sysreg(pmevtyper3_el0) == (EV_CYCLES | EXCL_EL0),
	      "PMXEVTYPER_EL0 writes PMEVTYPER3_EL0");
	counted(buf);
	c3 = read_sysreg(pmxevcntr_el0);
	check(c3 == 122, "CPU_CYCLES with U (EL0 excluded), from 100: %lu (want 122)",
	      (unsigned long)c3);
	check((read_sysreg(pmceid0_el0) & 0x400a0101ULL) == 0x400a0101ULL,
	      "PMCEID0_EL0 0x%lx lists SW_INCR, INST_RETIRED, CPU_CYCLES, MEM_ACCESS, CHAIN",
	      (unsigned long)read_sysreg(pmceid0_el0));
	check(read_sysreg(pmceid1_el0) & 2, "PMCEID1_EL0 lists BR_RETIRED");
}

static void test_overflow(void)
{
	u64 c0, ovs, pend;

	pmu_reset();
	write_sysreg(EV_INST, pmevtyper0_el0);
	write_sysreg(0xfffffff0ULL, pmevcntr0_el0);
	write_sysreg(1, pmintenset_el1);
	write_sysreg(1, pmcntenset_el0);
	counted(buf);
	c0 = read_sysreg(pmevcntr0_el0);
	ovs = read_sysreg(pmovsset_el0);
	pend = readl(GICR_ISPENDR0);
	check(c0 == 0x100000006ULL, "64-bit counter past 32 bits: 0x%lx (want 0x100000006)",
	      (unsigned long)c0);
	check(ovs == 1, "PMOVSSET_EL0 0x%lx (want 0x1)", (unsigned long)ovs);
	/* the request is PMCR_EL0.E && PMINTENSET && PMOVSSET: E is off again */
	check(!(pend & BIT(23)), "PMCR_EL0.E clear: PPI 7 not pending (ISPENDR0 0x%x)",
	      (unsigned int)pend);
	write_sysreg(PMCR_E | PMCR_LC, pmcr_el0);
	isb();
	pend = readl(GICR_ISPENDR0);
	write_sysreg(PMCR_LC, pmcr_el0);
	check(pend & BIT(23), "overflow interrupt: PPI 7 pending (ISPENDR0 0x%x)",
	      (unsigned int)pend);
	write_sysreg(PMCR_E | PMCR_LC, pmcr_el0);
	write_sysreg(1, pmovsclr_el0);
	isb();
	pend = readl(GICR_ISPENDR0);
	write_sysreg(PMCR_LC, pmcr_el0);
	check(!(pend & BIT(23)) && !read_sysreg(pmovsset_el0),
	      "PMOVSCLR_EL0: overflow and interrupt cleared (ISPENDR0 0x%x)", (unsigned int)pend);
}

static void test_swinc_chain(void)
{
	u64 c0, c1;

	pmu_reset();
	write_sysreg(EV_SW_INCR, pmevtyper0_el0);
	write_sysreg(EV_CHAIN, pmevtyper1_el0);
	write_sysreg(0xfffffffeULL, pmevcntr0_el0);
	write_sysreg(3, pmcntenset_el0);
	write_sysreg(PMCR_E | PMCR_LC, pmcr_el0);
	write_sysreg(1, pmswinc_el0);
	write_sysreg(1, pmswinc_el0);
	write_sysreg(2, pmswinc_el0);		/* counter 1 counts CHAIN, not SW_INCR */
	write_sysreg(PMCR_LC, pmcr_el0);
	write_sysreg(1, pmswinc_el0);		/* disabled: nothing */
	c0 = read_sysreg(pmevcntr0_el0);
	c1 = read_sysreg(pmevcntr1_el0);
	check(c0 == 0x100000000ULL && c1 == 1 && read_sysreg(pmovsset_el0) == 1,
	      "PMSWINC_EL0 overflowing counter 0 into CHAIN counter 1: 0x%lx, %lu, PMOVS 0x%lx",
	      (unsigned long)c0, (unsigned long)c1, (unsigned long)read_sysreg(pmovsset_el0));
}

/* ---- EL0 ---- */

u64 el0_call(u64 entry, u64 sp_el0, u64 spsr);
extern char el0_back[], el0_code[];
static u64 el0_stack[64] __attribute__((aligned(16)));

asm(
"	.text\n"
"	.balign	4\n"
"	.global	el0_call, el0_back, el0_code\n"
"el0_call:\n"
"	stp	x29, x30, [sp, #-16]!\n"
"	msr	sp_el0, x1\n"
"	msr	elr_el1, x0\n"
"	msr	spsr_el1, x2\n"
"	eret\n"
"el0_back:\n"
"	ldp	x29, x30, [sp], #16\n"
"	ret\n"
/* EL0: read PMCCNTR_EL0 (x0), write PMUSERENR_EL0, read PMEVCNTR0_EL0 (x0) */
"el0_code:\n"
"	mrs	x0, pmccntr_el0\n"
"	msr	pmuserenr_el0, xzr\n"
"	mrs	x0, pmevcntr0_el0\n"
"	svc	#0xff\n"
"	b	.\n"
);

static int el0_svc_handler(struct rt_frame *f, unsigned int vec)
{
	if ((f->esr & 0xffff) != 0xff)
		return 0;
	f->elr = ADDR(el0_back);
	f->spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;
	return 1;
}

static volatile unsigned int nr_traps, nr_undef;
static volatile u64 trap_esr[4];

static int el0_trap(struct rt_frame *f, unsigned int vec)
{
	if (nr_traps < 4)
		trap_esr[nr_traps] = f->esr;
	if ((f->esr >> 26) == EC_SYS64)
		nr_traps++;
	else
		nr_undef++;
	f->elr += 4;
	return 1;
}

static void test_el0(void)
{
	pmu_reset();
	rt_set_sync_handler(EC_SVC64, el0_svc_handler);
	rt_set_sync_handler(EC_SYS64, el0_trap);
	rt_set_sync_handler(EC_UNKNOWN, el0_trap);
	nr_traps = nr_undef = 0;
	el0_call(ADDR(el0_code), ADDR(el0_stack + 64), PSR_MODE_EL0t | PSR_DAIF_MASK);
	check(nr_traps == 2 && nr_undef == 1,
	      "PMUSERENR_EL0 0: PMCCNTR and PMEVCNTR0 trap (%u, want 2), MSR PMUSERENR "
	      "UNDEFINED (%u, want 1)", nr_traps, nr_undef);
	check(trap_esr[0] == (((u64)EC_SYS64 << 26) | ESR_IL | 0x30e41b),
	      "MRS PMCCNTR_EL0 at EL0: ESR_EL1 0x%lx (want 0x%lx)", (unsigned long)trap_esr[0],
	      (unsigned long)(((u64)EC_SYS64 << 26) | ESR_IL | 0x30e41b));
	write_sysreg(PMUSERENR_CR, pmuserenr_el0);
	nr_traps = nr_undef = 0;
	el0_call(ADDR(el0_code), ADDR(el0_stack + 64), PSR_MODE_EL0t | PSR_DAIF_MASK);
	check(nr_traps == 1 && nr_undef == 1,
	      "PMUSERENR_EL0.CR: PMCCNTR readable, PMEVCNTR0 still traps (%u, want 1)",
	      nr_traps);
	write_sysreg(PMUSERENR_EN, pmuserenr_el0);
	nr_traps = nr_undef = 0;
	el0_call(ADDR(el0_code), ADDR(el0_stack + 64), PSR_MODE_EL0t | PSR_DAIF_MASK);
	check(nr_traps == 0 && nr_undef == 1, "PMUSERENR_EL0.EN: no trap (%u)", nr_traps);
	rt_set_sync_handler(EC_SVC64, 0);
	rt_set_sync_handler(EC_SYS64, 0);
	rt_set_sync_handler(EC_UNKNOWN, 0);
	write_sysreg(0, pmuserenr_el0);
}

int main(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 pmcr;

	if (((dfr0 >> 8) & 0xf) == 0) {
		rt_skip("no PMU (ID_AA64DFR0_EL1.PMUVer 0): run with --pmu");
		return rt_report("pmu");
	}
	pmcr = read_sysreg(pmcr_el0);
	check(((dfr0 >> 8) & 0xf) == 6, "PMUVer %lu (want 6: PMUv3p5)",
	      (unsigned long)((dfr0 >> 8) & 0xf));
	check(((pmcr >> 11) & 0x1f) == 6 && (pmcr & PMCR_LC), "PMCR_EL0 0x%lx: N 6, LC",
	      (unsigned long)pmcr);
	test_counts();
	test_overflow();
	test_swinc_chain();
	test_el0();
	return rt_report("pmu");
}
