// SPDX-License-Identifier: GPL-2.0
/*
 * The counting half of PMUv3 (Arm ARM D13): which counters count which
 * event at which EL, the increments, overflow (PMOVSSET_EL0), the CHAIN
 * event and the overflow interrupt request.  The registers themselves are
 * rows of the system-register table (kernel/sys_regs.c), which call
 * cpu_pmu_update() after every write that changes what is counted.
 *
 * Events are counted per instruction, which the threaded chains cannot
 * do: while a counter is enabled (PMCR_EL0.E and PMCNTENSET_EL0) for an
 * event counted per instruction, the run loop runs one instruction at a
 * time (engine.c, step_one) and calls pmu_after_insn().  With the PMU
 * disabled nothing here runs and nothing costs.
 *
 * The events, what they count here:
 * - CPU_CYCLES (and PMCCNTR_EL0): one cycle per instruction executed,
 *   retired or not.  The engine has no other notion of time spent; WFI
 *   and WFE waits, and interrupts taken between instructions, cost none.
 * - INST_RETIRED: each instruction architecturally executed: completed,
 *   or SVC and BRK, whose exception is their execution; not one that took
 *   another exception (an abort, UNDEFINED, a trap).
 * - BR_RETIRED: those of them that are branches (B, BL, B.cond, CBZ/CBNZ,
 *   TBZ/TBNZ, BR, BLR, RET, ERET and their pointer-authentication forms),
 *   taken or not.
 * - EXC_RETURN: those of them that are ERET.
 * - MEM_ACCESS: those of them in the loads-and-stores encoding group or
 *   SVE loads and stores, prefetches excepted: one per instruction,
 *   whatever the number of elements or registers it transfers.
 * - STALL_FRONTEND, STALL_BACKEND: never: a cycle here is an instruction
 *   executed, so no cycle goes without one (PMUv3p1 requires them).
 * - SW_INCR (PMSWINC_EL0) and CHAIN.
 */
#include "internal.h"

static const uint16_t pmu_k_event[PMU_K_NR] = {
	[PMU_K_CYCLES] = PMU_EV_CPU_CYCLES,
	[PMU_K_INST] = PMU_EV_INST_RETIRED,
	[PMU_K_BR] = PMU_EV_BR_RETIRED,
	[PMU_K_MEM] = PMU_EV_MEM_ACCESS,
	[PMU_K_ERET] = PMU_EV_EXC_RETURN,
};

/* Every event this PMU counts honestly (PMCEID0/1_EL0). */
static const uint16_t pmu_events[] = {
	PMU_EV_SW_INCR, PMU_EV_INST_RETIRED, PMU_EV_EXC_RETURN,
	PMU_EV_CPU_CYCLES, PMU_EV_MEM_ACCESS, PMU_EV_CHAIN,
	PMU_EV_BR_RETIRED, PMU_EV_STALL_FRONTEND, PMU_EV_STALL_BACKEND,
};

static bool pmu_allowed(const struct cpu *c, unsigned int ev)
{
	return !c->pmu_filter || ((c->pmu_filter[ev / 64] >> (ev % 64)) & 1);
}

uint64_t cpu_pmu_ceid(const struct cpu *c, unsigned int n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < sizeof(pmu_events) / sizeof(pmu_events[0]); i++) {
		unsigned int ev = pmu_events[i];

		if (ev / 32 == n && pmu_allowed(c, ev))
			v |= 1ULL << (ev % 32);
	}
	return v;
}

/* Event counter i is EL2's: from MDCR_EL2.HPMN up, on a vCPU with EL2 */
static bool pmu_is_hyp(const uint64_t *r, unsigned int i)
{
	return unlikely((r[SR_ID_AA64PFR0_EL1] >> 8) & 0xf) && i != PMU_CYCLE_IDX &&
	       i >= (r[SR_MDCR_EL2] & MDCR_EL2_HPMN);
}

/*
 * Counter i's enable: PMCR_EL0.E, or MDCR_EL2.HPME for an EL2 counter
 * (the Arm ARM's AArch64.PMUCounterIsHyp()).
 */
static bool pmu_e(const uint64_t *r, unsigned int i)
{
	return pmu_is_hyp(r, i) ? r[SR_MDCR_EL2] & MDCR_EL2_HPME : r[SR_PMCR_EL0] & PMCR_E;
}

/* Counter i is enabled: its E and its PMCNTENSET_EL0 bit. */
static bool pmu_enabled(const uint64_t *r, unsigned int i)
{
	return pmu_e(r, i) && ((r[SR_PMCNTENSET_EL0] >> i) & 1);
}

static uint64_t pmu_evtyper(const uint64_t *r, unsigned int i)
{
	return i == PMU_CYCLE_IDX ? r[SR_PMCCFILTR_EL0] : r[SR_PMEVTYPER0_EL0 + i];
}

/*
 * The overflow interrupt request (AArch64.CheckForPMUOverflow): a counter
 * with its PMINTENSET_EL1 and PMOVSSET_EL0 bits set whose E is set
 * (PMCR_EL0.E, MDCR_EL2.HPME for an EL2 counter).
 */
static void pmu_irq_update(struct cpu *c)
{
	const uint64_t *r = c->state.sysreg;
	uint64_t m = r[SR_PMINTENSET_EL1] & r[SR_PMOVSSET_EL0] & cpu_pmu_counter_mask(c->pmu_n);
	bool level = false;
	unsigned int i;

	for (i = 0; m && !level; i++, m >>= 1)
		level = (m & 1) && pmu_e(r, i);
	if (level != c->pmu_irq_level) {
		c->pmu_irq_level = level;
		cpu_hook_pmu_irq(c, level);
	}
}

static void pmu_add(struct cpu *c, unsigned int i);

/* Counter i + 1 counts the overflows of counter i through CHAIN. */
static void pmu_chain(struct cpu *c, unsigned int i)
{
	const uint64_t *r = c->state.sysreg;
	unsigned int odd = i + 1;

	if ((i & 1) || odd >= c->pmu_n || !pmu_enabled(r, odd) ||
	    (r[SR_PMEVTYPER0_EL0 + odd] & 0xffff) != PMU_EV_CHAIN)
		return;
	pmu_add(c, odd);
}

/*
 * AArch64.IncrementEventCounter() by one, PMUv3p5: the counters are 64
 * bits wide; an overflow is a carry out of bit 31 or, with PMCR_EL0.LP
 * (LC for the cycle counter, MDCR_EL2.HLP for an EL2 counter), out of
 * bit 63.  An even counter overflowing at 32 bits feeds its odd
 * neighbour's CHAIN.
 */
static void pmu_add(struct cpu *c, unsigned int i)
{
	uint64_t *r = c->state.sysreg;
	uint64_t *p = i == PMU_CYCLE_IDX ? &r[SR_PMCCNTR_EL0] : &r[SR_PMEVCNTR0_EL0 + i];
	uint64_t old = *p, new = old + 1;
	bool wide = i == PMU_CYCLE_IDX ? r[SR_PMCR_EL0] & PMCR_LC :
		    pmu_is_hyp(r, i) ? r[SR_MDCR_EL2] & MDCR_EL2_HLP : r[SR_PMCR_EL0] & PMCR_LP;
	bool ovf = wide ? new == 0 : (((old ^ new) >> 32) & 1);

	*p = new;
	if (!ovf)
		return;
	r[SR_PMOVSSET_EL0] |= 1ULL << i;
	if (!wide && i != PMU_CYCLE_IDX)
		pmu_chain(c, i);
	pmu_irq_update(c);
}

/*
 * Does counter i count at el?  EL0 and EL1: PMEVTYPER's U and P (no EL3,
 * so no NSU/NSK).  EL2: NSH, unless counting there is prohibited:
 * MDCR_EL2.HPMD for the counters below HPMN and, with PMCR_EL0.DP, the
 * cycle counter, which MDCR_EL2.HCCD stops at EL2 too (PMUv3p5; the Arm
 * ARM's CountingProhibited(), as QEMU's pmu_counter_enabled()).
 */
static bool pmu_counts_at(const uint64_t *r, unsigned int i, unsigned int el)
{
	uint64_t t = pmu_evtyper(r, i), mdcr = r[SR_MDCR_EL2];
	bool prohibited;

	if (el < 2)
		return !(t & (el ? PMEVTYPER_P : PMEVTYPER_U));
	if (i == PMU_CYCLE_IDX)
		prohibited = ((mdcr & MDCR_EL2_HPMD) && (r[SR_PMCR_EL0] & PMCR_DP)) ||
			     (mdcr & MDCR_EL2_HCCD);
	else
		prohibited = !pmu_is_hyp(r, i) && (mdcr & MDCR_EL2_HPMD);
	return (t & PMEVTYPER_NSH) && !prohibited;
}

/*
 * PMSWINC_EL0: SW_INCR is an event like any, counted by an enabled
 * counter that counts at the current EL (AArch64.PMUSwIncrement(), as
 * QEMU's pmswinc_write()).
 */
void cpu_pmu_swinc(struct cpu *c, uint64_t mask)
{
	const uint64_t *r = c->state.sysreg;
	unsigned int i, el = cpu_current_el(&c->state);

	for (i = 0; i < c->pmu_n; i++)
		if (((mask >> i) & 1) && pmu_enabled(r, i) &&
		    (r[SR_PMEVTYPER0_EL0 + i] & 0xffff) == PMU_EV_SW_INCR &&
		    pmu_counts_at(r, i, el))
			pmu_add(c, i);
}

void cpu_pmu_update(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	const uint64_t *r = c->state.sysreg;
	uint32_t any = 0;
	unsigned int k, i, el;

	if (!e)
		return;
	memset(e->pmu_mask, 0, sizeof(e->pmu_mask));
	for (i = 0; i <= PMU_CYCLE_IDX; i++) {
		unsigned int ev;

		if (i >= c->pmu_n && i != PMU_CYCLE_IDX)
			continue;
		if (!pmu_enabled(r, i))
			continue;
		ev = i == PMU_CYCLE_IDX ? PMU_EV_CPU_CYCLES
					: (unsigned int)(r[SR_PMEVTYPER0_EL0 + i] & 0xffff);
		if (!pmu_allowed(c, ev))
			continue;	/* KVM_ARM_VCPU_PMU_V3_FILTER denies it */
		for (k = 0; k < PMU_K_NR; k++) {
			if (pmu_k_event[k] != ev)
				continue;
			for (el = 0; el < 3; el++)
				if (pmu_counts_at(r, i, el))
					e->pmu_mask[k][el] |= 1u << i;
			any |= e->pmu_mask[k][0] | e->pmu_mask[k][1] | e->pmu_mask[k][2];
		}
	}
	e->pmu_insn = any != 0;
	pmu_irq_update(c);
}

/* ---- per instruction ------------------------------------------------------------- */

static bool insn_is_branch(uint32_t w)
{
	return (w & 0x7c000000u) == 0x14000000u ||	/* B, BL */
	       (w & 0x7e000000u) == 0x34000000u ||	/* CBZ, CBNZ */
	       (w & 0x7e000000u) == 0x36000000u ||	/* TBZ, TBNZ */
	       (w & 0xff000000u) == 0x54000000u ||	/* B.cond, BC.cond */
	       (w & 0xfe000000u) == 0xd6000000u;	/* BR, BLR, RET, ERET... */
}

static bool insn_is_eret(uint32_t w)
{
	return (w & 0xfffffbffu) == 0xd69f0bffu || w == 0xd69f03e0u;
}

static bool insn_is_mem(uint32_t w)
{
	if ((w & 0x0a000000u) == 0x08000000u)		/* loads and stores */
		return (w & 0xffc00000u) != 0xf9800000u &&	/* PRFM (imm) */
		       (w & 0xff000000u) != 0xd8000000u &&	/* PRFM (literal) */
		       (w & 0xffe00c00u) != 0xf8a00800u &&	/* PRFM (register) */
		       (w & 0xffe00c00u) != 0xf8800000u;	/* PRFUM */
	/* SVE memory: op0 1xx, bits [28:25] 0010 (its prefetches are UNDEFINED here) */
	return (w & 0x9e000000u) == 0x84000000u;
}

/* Did the instruction step_one ran (returning r) execute architecturally? */
static bool insn_retired(struct cpu *c, int r)
{
	unsigned int ec;

	if (r != EXEC_STOP)
		return true;
	switch (c->exit.reason) {
	case CPU_EXIT_NONE:
		/* an exception: SVC and BRK executed, anything else did not
		 * (its syndrome in the ESR of the EL it went to) */
		ec = (unsigned int)(c->state.sysreg[cpu_current_el(&c->state) == 2 ?
						    SR_ESR_EL2 : SR_ESR_EL1] >> ESR_EC_SHIFT) & 0x3f;
		return ec == EC_SVC64 || ec == EC_BRK64;
	case CPU_EXIT_DEBUG:
	case CPU_EXIT_INTERNAL:
	case CPU_EXIT_KICK:
		return false;
	default:
		return true;	/* completed by the backend or userspace */
	}
}

void pmu_after_insn(struct cpu *c, uint32_t w, int r, unsigned int el)
{
	const struct cpu_engine *e = c->engine;
	uint32_t m = e->pmu_mask[PMU_K_CYCLES][el];
	unsigned int i;

	if (insn_retired(c, r)) {
		m |= e->pmu_mask[PMU_K_INST][el];
		if (e->pmu_mask[PMU_K_BR][el] && insn_is_branch(w))
			m |= e->pmu_mask[PMU_K_BR][el];
		if (e->pmu_mask[PMU_K_ERET][el] && insn_is_eret(w))
			m |= e->pmu_mask[PMU_K_ERET][el];
		if (e->pmu_mask[PMU_K_MEM][el] && insn_is_mem(w))
			m |= e->pmu_mask[PMU_K_MEM][el];
	}
	for (i = 0; m; i++, m >>= 1)
		if (m & 1)
			pmu_add(c, i);
}
