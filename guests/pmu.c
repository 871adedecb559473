// SPDX-License-Identifier: GPL-2.0
/*
 * pmu: PMUv3 at EL1 and EL0 (Arm ARM D13) on a vCPU made with --pmu.
 * PMUVer and PMCR_EL0.N; PMCR_EL0.LC as the ID registers say (RES1 without
 * AArch32); counts of fixed code; EL filtering with PMEVTYPER<n>_EL0.P and
 * .U; PMXEVTYPER/PMXEVCNTR through PMSELR_EL0; an overflow at 32 bits (of a
 * 64-bit counter with PMUv3p5) setting PMOVSSET_EL0 and raising the overflow
 * interrupt (PPI 7, INTID 23, seen pending in the redistributor) until
 * PMOVSCLR_EL0 clears it; a CPU_CYCLES overflow; PMSWINC_EL0 and CHAIN; at
 * EL0, PMCCNTR_EL0 trapping (EC 0x18) unless PMUSERENR_EL0 allows it, and
 * PMUSERENR_EL0 itself read-only there.
 *
 * It runs under vkvm (make check) and under Linux KVM in the QEMU rigs
 * (tests/vmm/rig/specs_rig.c), with two kinds of excused checks, which
 * guests.cfg rejects under vkvm and the rigs accept (docs/testing.md):
 *   VKVM-ONLY  what vkvm as the hypervisor decides: PMUVer 6 with N 6, and
 *              its cycle counts (docs/internals.md, "PMU": one cycle per
 *              instruction; the MSRs that enable and disable counting are
 *              not counted, where a KVM traps them, MDCR_EL2.TPMCR)
 *   VKVM-PMU   exact event counts of vkvm's PMU model and its event list,
 *              also required in the vkvm rigs (a KVM on vkvm's EL2 counts
 *              with vkvm's PMU); QEMU TCG, the other rigs' CPU, implements
 *              no INST_RETIRED without -icount, nor MEM_ACCESS or BR_RETIRED
 *   KNOWN-KVM  Linux KVM injects an UNDEF (EC 0) for an EL0 access that
 *              PMUSERENR_EL0 forbids, where the Arm ARM traps it to EL1
 *              with EC 0x18
 *   KNOWN-QEMU in the rigs such an EL0 read is not trapped at all
 *              (check_el0_trap())
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

#define VKVM_ONLY	"VKVM-ONLY"
#define VKVM_PMU	"VKVM-PMU"
#define KNOWN_KVM	"KNOWN-KVM"
#define KNOWN_QEMU	"KNOWN-QEMU"

static int pmuv3p5;		/* PMUVer >= 6: 64-bit event counters */

/* Stopped, zeroed, nothing enabled; LC set (64-bit PMCCNTR), LP clear
 * (event counters overflow at 32 bits) */
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

/* An event counter's value one past 0xffffffff: 64 bits wide with PMUv3p5 */
static u64 wrapped(u64 past)
{
	return pmuv3p5 ? 0x100000000ULL + past : past;
}

/* LC is RES1 when no EL supports AArch32 (ID_AA64PFR0_EL1.ELn 2), else RW */
static void test_pmcr_lc(u64 pmcr_reset)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), lc0, lc1;
	int aarch32 = 0, i;

	for (i = 0; i < 4; i++)
		aarch32 |= ((pfr0 >> (4 * i)) & 0xf) == 2;
	write_sysreg(0, pmcr_el0);
	isb();
	lc0 = read_sysreg(pmcr_el0) & PMCR_LC;
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	lc1 = read_sysreg(pmcr_el0) & PMCR_LC;
	if (!aarch32)
		check((pmcr_reset & PMCR_LC) && lc0 && lc1,
		      "no AArch32 (ID_AA64PFR0_EL1 0x%lx): PMCR_EL0.LC RES1: %d at reset, %d "
		      "written 0, %d written 1", (unsigned long)pfr0, !!(pmcr_reset & PMCR_LC),
		      !!lc0, !!lc1);
	else
		check(!lc0 && lc1, "AArch32 at some EL (ID_AA64PFR0_EL1 0x%lx): PMCR_EL0.LC "
		      "read/write: %d written 0, %d written 1", (unsigned long)pfr0, !!lc0, !!lc1);
}

static u64 buf[4];

static void test_counts(void)
{
	u64 c0, c1, c2, c3, cc, ceid0, ceid1;

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
	ceid0 = read_sysreg(pmceid0_el0);
	ceid1 = read_sysreg(pmceid1_el0);
	check_known(c0 == 22, 1, VKVM_PMU, "INST_RETIRED: %lu (want 22; PMCEID0_EL0 0x%lx)",
		    (unsigned long)c0, (unsigned long)ceid0);
	check_known(c1 == 3, 1, VKVM_PMU, "BR_RETIRED: %lu (want 3: B.NE, taken or not)",
		    (unsigned long)c1);
	check_known(c2 == 4, 1, VKVM_PMU,
		    "MEM_ACCESS: %lu (want 4: LDR, LDR, LDP, STR; not PRFM)", (unsigned long)c2);
	check(c3 == 0, "CPU_CYCLES with P (EL1 excluded): %lu (want 0)", (unsigned long)c3);
	check(cc != 0, "PMCCNTR_EL0 counted: %lu", (unsigned long)cc);
	check_known(cc == 22, 1, VKVM_ONLY,
		    "PMCCNTR_EL0: %lu (want 22: one cycle per instruction)", (unsigned long)cc);

	/* the same through PMSELR_EL0 */
	write_sysreg(3, pmselr_el0);
	write_sysreg(EV_CYCLES | EXCL_EL0, pmxevtyper_el0);
	write_sysreg(100, pmxevcntr_el0);
	isb();
	check(read_sysreg(pmevtyper3_el0) == (EV_CYCLES | EXCL_EL0),
	      "PMXEVTYPER_EL0 writes PMEVTYPER3_EL0");
	counted(buf);
	c3 = read_sysreg(pmxevcntr_el0);
	check(c3 > 100, "CPU_CYCLES with U (EL0 excluded) counted from 100: %lu",
	      (unsigned long)c3);
	check_known(c3 == 122, 1, VKVM_ONLY,
		    "CPU_CYCLES with U (EL0 excluded), from 100: %lu (want 122)", (unsigned long)c3);
	/* SW_INCR: every PMUv3; CPU_CYCLES: the cycle counter's event */
	check((ceid0 & 0x20001ULL) == 0x20001ULL,
	      "PMCEID0_EL0 0x%lx lists SW_INCR, CPU_CYCLES", (unsigned long)ceid0);
	check_known((ceid0 & 0x400a0100ULL) == 0x400a0100ULL && (ceid1 & 2), 1, VKVM_PMU,
		    "PMCEID0_EL0 0x%lx, PMCEID1_EL0 0x%lx list INST_RETIRED, MEM_ACCESS, "
		    "CHAIN, BR_RETIRED", (unsigned long)ceid0, (unsigned long)ceid1);
}

static void test_overflow(void)
{
	u64 c0, ovs, pend;

	/* INST_RETIRED's overflow, exactly where vkvm's count puts it (64 bits wide
	 * with PMUv3p5; a KVM with PMUv3p4, Linux 6.1's, has 32-bit counters) */
	pmu_reset();
	write_sysreg(EV_INST, pmevtyper0_el0);
	write_sysreg(0xfffffff0ULL, pmevcntr0_el0);
	write_sysreg(1, pmcntenset_el0);
	counted(buf);
	c0 = read_sysreg(pmevcntr0_el0);
	ovs = read_sysreg(pmovsset_el0);
	check_known(c0 == wrapped(6) && ovs == 1, 1, VKVM_PMU,
		    "INST_RETIRED from 0xfffffff0: 0x%lx, PMOVSSET_EL0 0x%lx (want 0x%lx, 0x1)",
		    (unsigned long)c0, (unsigned long)ovs, (unsigned long)wrapped(6));

	/* the overflow interrupt, from a PMSWINC_EL0 every PMU counts exactly */
	pmu_reset();
	write_sysreg(EV_SW_INCR, pmevtyper0_el0);
	write_sysreg(0xffffffffULL, pmevcntr0_el0);
	write_sysreg(1, pmintenset_el1);
	write_sysreg(1, pmcntenset_el0);
	write_sysreg(PMCR_E | PMCR_LC, pmcr_el0);
	isb();
	write_sysreg(1, pmswinc_el0);
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	c0 = read_sysreg(pmevcntr0_el0);
	ovs = read_sysreg(pmovsset_el0);
	pend = readl(GICR_ISPENDR0);
	check(c0 == wrapped(0), "SW_INCR past 32 bits: 0x%lx (want 0x%lx)",
	      (unsigned long)c0, (unsigned long)wrapped(0));
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

/* A counted event's overflow: CPU_CYCLES from 256 below 2^32, until PMOVSSET_EL0 shows it */
static void test_cycles_overflow(void)
{
	unsigned int reads;
	u64 c0, ovs = 0;

	pmu_reset();
	write_sysreg(EV_CYCLES, pmevtyper0_el0);
	write_sysreg(0xffffff00ULL, pmevcntr0_el0);
	write_sysreg(1, pmcntenset_el0);
	write_sysreg(PMCR_E | PMCR_LC, pmcr_el0);
	isb();
	for (reads = 0; reads < 100000 && !(ovs & 1); reads++)
		ovs = read_sysreg(pmovsset_el0);
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	c0 = read_sysreg(pmevcntr0_el0);
	check(ovs == 1 && c0 >= wrapped(0) && c0 < wrapped(0x80000000ULL),
	      "CPU_CYCLES past 32 bits: PMOVSSET_EL0 0x%lx after %u reads, counter 0x%lx",
	      (unsigned long)ovs, reads, (unsigned long)c0);
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
	check(c0 == wrapped(0) && c1 == 1 && read_sysreg(pmovsset_el0) == 1,
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

#define EL0_CCNTR	0	/* el0_code's instructions */
#define EL0_USERENR	1
#define EL0_EVCNTR0	2
#define EL0_INSNS	3

static int el0_svc_handler(struct rt_frame *f, unsigned int vec)
{
	if ((f->esr & 0xffff) != 0xff)
		return 0;
	f->elr = ADDR(el0_back);
	f->spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;
	return 1;
}

/* ESR_EL1 of the exception each of el0_code's instructions took, 0 if none */
static volatile u64 el0_esr[EL0_INSNS];

static int el0_trap(struct rt_frame *f, unsigned int vec)
{
	u64 i = (f->elr - ADDR(el0_code)) / 4;

	if (f->elr >= ADDR(el0_code) && i < EL0_INSNS)
		el0_esr[i] = f->esr;
	f->elr += 4;
	return 1;
}

static void run_el0(u64 pmuserenr)
{
	unsigned int i;

	write_sysreg(pmuserenr, pmuserenr_el0);
	for (i = 0; i < EL0_INSNS; i++)
		el0_esr[i] = 0;
	el0_call(ADDR(el0_code), ADDR(el0_stack + 64), PSR_MODE_EL0t | PSR_DAIF_MASK);
}

static int el0_undef(unsigned int i)
{
	return el0_esr[i] == (((u64)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL);
}

/*
 * Instruction i of el0_code trapped to EL1 as the Arm ARM says.  Excused:
 * KNOWN-KVM, an UNDEF, which Linux KVM injects instead; KNOWN-QEMU, no
 * exception at all, as in both rigs: Linux KVM sets the real PMUSERENR_EL0
 * to all ones while a guest runs and relies on MDCR_EL2.TPM to trap EL0's
 * accesses to it, but QEMU TCG (7.2 and 11.1) lets an EL0 read that
 * PMUSERENR_EL0.CR or .ER allows through before it looks at TPM.
 */
static void check_el0_trap(unsigned int i, const char *what)
{
	u32 insn = *(const u32 *)(uintptr_t)(ADDR(el0_code) + 4 * i);
	u64 want = ((u64)EC_SYS64 << ESR_EC_SHIFT) | ESR_IL | ESR_SYS64_ISS(insn);
	int undef = el0_undef(i), none = !el0_esr[i];

	check_known(el0_esr[i] == want, undef || none, undef ? KNOWN_KVM : KNOWN_QEMU,
		    "%s at EL0 traps: ESR_EL1 0x%lx (want 0x%lx)%s", what,
		    (unsigned long)el0_esr[i], (unsigned long)want,
		    undef ? ": an UNDEF, as Linux KVM injects" :
		    none ? ": no exception, as QEMU TCG under Linux KVM" : "");
}

static void test_el0(void)
{
	pmu_reset();
	rt_set_sync_handler(EC_SVC64, el0_svc_handler);
	rt_set_sync_handler(EC_SYS64, el0_trap);
	rt_set_sync_handler(EC_UNKNOWN, el0_trap);
	run_el0(0);
	check_el0_trap(EL0_CCNTR, "PMUSERENR_EL0 0: MRS PMCCNTR_EL0");
	check_el0_trap(EL0_EVCNTR0, "PMUSERENR_EL0 0: MRS PMEVCNTR0_EL0");
	check(el0_undef(EL0_USERENR), "MSR PMUSERENR_EL0 at EL0 UNDEFINED: ESR_EL1 0x%lx",
	      (unsigned long)el0_esr[EL0_USERENR]);
	run_el0(PMUSERENR_CR);
	check(!el0_esr[EL0_CCNTR], "PMUSERENR_EL0.CR: PMCCNTR readable (ESR_EL1 0x%lx)",
	      (unsigned long)el0_esr[EL0_CCNTR]);
	check_el0_trap(EL0_EVCNTR0, "PMUSERENR_EL0.CR: MRS PMEVCNTR0_EL0");
	run_el0(PMUSERENR_EN);
	check(!el0_esr[EL0_CCNTR] && !el0_esr[EL0_EVCNTR0] && el0_undef(EL0_USERENR),
	      "PMUSERENR_EL0.EN: no trap, MSR PMUSERENR_EL0 still UNDEFINED");
	rt_set_sync_handler(EC_SVC64, 0);
	rt_set_sync_handler(EC_SYS64, 0);
	rt_set_sync_handler(EC_UNKNOWN, 0);
	write_sysreg(0, pmuserenr_el0);
}

int main(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 pmuver = (dfr0 >> 8) & 0xf;
	u64 pmcr, n;

	if (pmuver == 0) {
		rt_skip("no PMU (ID_AA64DFR0_EL1.PMUVer 0): run with --pmu");
		return rt_report("pmu");
	}
	pmcr = read_sysreg(pmcr_el0);
	n = (pmcr >> PMCR_N_SHIFT) & 0x1f;
	pmuv3p5 = pmuver >= 6 && pmuver != 0xf;
	check(pmuver != 0xf && n >= 4, "PMUVer %lu (PMUv3), PMCR_EL0 0x%lx: N %lu (at least 4)",
	      (unsigned long)pmuver, (unsigned long)pmcr, (unsigned long)n);
	check_known(pmuver == 6 && n == 6, 1, VKVM_ONLY, "PMUVer %lu, N %lu (want 6: PMUv3p5, 6)",
		    (unsigned long)pmuver, (unsigned long)n);
	test_pmcr_lc(pmcr);
	test_counts();
	test_overflow();
	test_cycles_overflow();
	test_swinc_chain();
	test_el0();
	return rt_report("pmu");
}
