// SPDX-License-Identifier: GPL-2.0
/*
 * Self-hosted debug at EL0, EL1 and EL2 (Arm ARM D2): hardware
 * breakpoints and watchpoints (DBGBCR/DBGBVR, DBGWCR/DBGWVR), software step
 * (MDSCR_EL1.SS with PSTATE.SS), the OS lock and the OS double lock,
 * MDSCR_EL1.MDE/KDE and PSTATE.D, and the exceptions they take (EC
 * 0x30-0x35) to the debug target EL: EL1, or EL2 under MDCR_EL2.TDE or
 * HCR_EL2.TGE, where they are enabled by KDE with PSTATE.D clear.
 *
 * Nothing here costs anything while no breakpoint, watchpoint or step is
 * armed.  dbg_update() recomputes two engine flags whenever the state they
 * depend on may have changed (an MSR to a debug register, KVM_RUN entry):
 *
 * - dbg_insn: a breakpoint is enabled or MDSCR_EL1.SS is set.  The run loop
 *   then runs one instruction at a time (engine.c, step_one) and checks the
 *   step state machine and the breakpoints at each instruction boundary
 *   (dbg_before_insn, dbg_after_insn), where the rest of the conditions
 *   (EL, KDE, PSTATE.D) are evaluated.
 * - dbg_watch: a watchpoint is enabled.  Pages a watchpoint covers are not
 *   entered in the TLB for reads and writes, so every access to them takes
 *   the slow path (mem.c, access_page), which calls dbg_watch_check().
 */
#include "internal.h"
#include "id_regs.h"

#define VA_BITS_MASK	((1ULL << 49) - 1)	/* VA[48:0]: DBGxVR's RESS above */
#define OSLSR_OSLK	(1ULL << 1)
#define OSDLR_DLK	1ULL
#define ERET_WORD	0xd69f03e0u

_Static_assert(sizeof(((struct cpu_engine *)0)->dbg_wsig) == 2 * CPU_DBG_WRPS * sizeof(uint64_t),
	       "dbg_wsig holds DBGWCR and DBGWVR of each watchpoint");

/* DoubleLockStatus(): DBGPRCR_EL1.CORENPDRQ reads as 0 here. */
static bool dbg_locked(const struct cpu_state *s)
{
	return (s->sysreg[SR_OSLSR_EL1] & OSLSR_OSLK) ||
	       (s->sysreg[SR_OSDLR_EL1] & OSDLR_DLK);
}

/*
 * The debug target EL: EL2 on a vCPU with EL2 under MDCR_EL2.TDE or
 * HCR_EL2.TGE (E2H 0), else EL1.
 */
static unsigned int dbg_target_el(const struct cpu_state *s)
{
	if (unlikely(el2_on(s)) &&
	    ((s->sysreg[SR_MDCR_EL2] & MDCR_EL2_TDE) || (s->sysreg[SR_HCR_EL2] & HCR_TGE)))
		return 2;
	return 1;
}

/*
 * AArch64.GenerateDebugExceptionsFrom(el, mask) with no EL3: never under
 * a lock; from below the debug target EL always, from above it never, at
 * it with MDSCR_EL1.KDE set and PSTATE.D (mask) clear.
 */
static bool dbg_enabled_from(const struct cpu_state *s, unsigned int el, bool mask)
{
	unsigned int target = dbg_target_el(s);

	if (dbg_locked(s) || el > target)
		return false;
	if (el < target)
		return true;
	return (s->sysreg[SR_MDSCR_EL1] & MDSCR_KDE) && !mask;
}

static bool dbg_enabled(const struct cpu_state *s)
{
	return dbg_enabled_from(s, cpu_current_el(s), s->pstate & PSR_D_BIT);
}

/*
 * The breakpoint and watchpoint registers in force: the guest's, or
 * KVM_SET_GUEST_DEBUG's (USE_HW), which replace them.
 */
struct dbg_regs {
	const uint64_t *bcr, *bvr, *wcr, *wvr;
	bool host;
};

static void dbg_regs_of(const struct cpu *c, struct dbg_regs *d)
{
	const uint64_t *r = c->state.sysreg;

	d->host = c->host_debug.hw;
	if (d->host) {
		d->bcr = c->host_debug.bcr;
		d->bvr = c->host_debug.bvr;
		d->wcr = c->host_debug.wcr;
		d->wvr = c->host_debug.wvr;
		return;
	}
	d->bcr = r + SR_DBGBCR0_EL1;
	d->bvr = r + SR_DBGBVR0_EL1;
	d->wcr = r + SR_DBGWCR0_EL1;
	d->wvr = r + SR_DBGWVR0_EL1;
}

void dbg_update(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	const uint64_t *r = c->state.sysreg;
	uint64_t sig[2 * CPU_DBG_WRPS];
	bool bp = false, wp = false, armed;
	struct dbg_regs d;
	unsigned int n;

	dbg_regs_of(c, &d);
	/* the host's are armed whatever the guest's MDSCR_EL1 and locks say */
	armed = d.host || ((r[SR_MDSCR_EL1] & MDSCR_MDE) && !dbg_locked(&c->state));
	for (n = 0; n < CPU_DBG_BRPS; n++)
		bp |= d.bcr[n] & 1;
	memset(sig, 0, sizeof(sig));
	for (n = 0; n < CPU_DBG_WRPS; n++) {
		if (!armed || !(d.wcr[n] & 1))
			continue;
		wp = true;
		sig[2 * n] = d.wcr[n];
		sig[2 * n + 1] = d.wvr[n];
	}
	/* the guest's software step is off while the host debugs (as KVM) */
	e->dbg_insn = (armed && bp) || (!d.host && (r[SR_MDSCR_EL1] & MDSCR_SS));
	e->dbg_watch = wp;
	if (memcmp(sig, e->dbg_wsig, sizeof(sig))) {
		/* the watched pages changed: enter or leave the TLB again */
		memcpy(e->dbg_wsig, sig, sizeof(sig));
		tlb_flush_all(c);
	}
}

/* ---- state matching (AArch64.StateMatch) --------------------------------- */

static bool bp_value_match(const struct cpu_state *s, const struct dbg_regs *d,
			   unsigned int n, uint64_t pc, bool linked_to);

/*
 * Is breakpoint n context-aware?  The highest-numbered CTX_CMPs + 1 of the
 * BRPs + 1, as ID_AA64DFR0_EL1 says (neither field is writable): two on a
 * vCPU without EL2, one with EL2 (Linux's limit_nv_id_reg() clears CTX_CMPs).
 */
static bool bp_ctx_aware(const struct cpu_state *s, unsigned int n)
{
	uint64_t dfr0 = s->sysreg[SR_ID_AA64DFR0_EL1];
	unsigned int brps = (dfr0 >> 12) & 0xf, ctx = (dfr0 >> 28) & 0xf;

	return n <= brps && n + ctx >= brps;
}

/*
 * SSC, HMC and PxC for an access or fetch at el, and the linked context
 * breakpoint lbn when linked.  Non-secure, no EL3, no Secure state.
 *
 * Without EL2: SSC 0b10 (Secure only) never matches and EL1/EL0 match by
 * PxC; the other reserved combinations act as the formula says, which the
 * architecture allows (a defined type or disabled).
 *
 * With EL2 (CheckValidStateMatch(), no EL3, no FEAT_SEL2, AArch64 only)
 * the valid HMC:SSC:PxC are 0:00:01 (EL1), 0:00:10 (EL0), 0:00:11 (EL1,
 * EL0), 1:00:01 (EL2, EL1), 1:00:11 (EL2, EL1, EL0) and 1:11:00 (EL2);
 * every other combination is reserved and acts as disabled.  EL0 is EL0
 * in the EL2&0 regime too.  el is the Exception level the access is made
 * for (an unprivileged access: EL0).
 *
 * KVM_SET_GUEST_DEBUG's breakpoints (d->host) see the guest as KVM's
 * hardware does under NV: the guest's EL2 runs at EL1, so EL2 matches as
 * EL1 with the table of a CPU without EL2.
 */
static bool state_match(const struct cpu_state *s, const struct dbg_regs *d,
			uint64_t ctl, bool linked, unsigned int el)
{
	unsigned int ssc = (ctl >> 14) & 3, hmc = (ctl >> 13) & 1, pxc = (ctl >> 1) & 3;
	unsigned int lbn = (ctl >> 16) & 0xf;

	if (d->host && el == 2)
		el = 1;
	if (el2_on(s) && !d->host) {
		bool valid = ssc == 0 ? (hmc ? (pxc & 1) : pxc != 0) :
				 (hmc && ssc == 3 && pxc == 0);

		if (!valid || !(el == 2 ? hmc : el == 1 ? (pxc & 1) : (pxc & 2)))
			return false;
	} else {
		if (el == 2 || !(el == 0 ? pxc & 2 : pxc & 1))
			return false;
		if (ssc == 2)
			return false;
	}
	if (!linked)
		return true;
	if (lbn >= CPU_DBG_BRPS || !bp_ctx_aware(s, lbn))
		return false;		/* not context-aware: no match */
	return bp_value_match(s, d, lbn, 0, true);
}

/* ---- breakpoints (AArch64.BreakpointValueMatch) ---------------------------- */

/* ELIsInHost(el): EL2 with HCR_EL2.E2H, EL0 with E2H and TGE */
static bool dbg_in_host(const struct cpu_state *s, unsigned int el)
{
	return (el == 2 && cpu_e2h(s)) || (el == 0 && cpu_e2h_tge(s));
}

/* VTTBR_EL2.VMID, and breakpoint value bvr's VMID field, 8 or 16 bits */
static bool bp_vmid_match(const struct cpu_state *s, uint64_t bvr)
{
	bool vmid16 = ((s->sysreg[SR_ID_AA64MMFR1_EL1] >> 4) & 0xf) == 2 &&
		      (s->sysreg[SR_VTCR_EL2] & (1ULL << 19));
	uint64_t mask = vmid16 ? 0xffff : 0xff;

	return ((s->sysreg[SR_VTTBR_EL2] >> 48) & mask) == ((bvr >> 32) & mask);
}

/*
 * Breakpoint n against instruction address pc at PSTATE.EL, or (linked_to)
 * as the context breakpoint another one links to.  Types (BT): 0b0000/
 * 0b0001 (un)linked address; on the context-aware breakpoints 0b0010/
 * 0b0011 CONTEXTIDR_EL1 (CONTEXTIDR_EL2 in the EL2&0 regime); with EL2
 * 0b100x VMID, 0b101x VMID and CONTEXTIDR_EL1, and with FEAT_VHE 0b011x
 * CONTEXTIDR_EL1, 0b110x CONTEXTIDR_EL2 (DBGBVR[63:32]), 0b111x both.  The
 * odd context types and 0b1001/0b1101 are the linkable ones.  The VMID and
 * CONTEXTIDR_EL1 comparisons match only at EL0/EL1 outside EL2&0.  Reserved
 * types (address mismatch 0b010x: no AArch32; the rest without EL2, VHE or
 * a context-aware breakpoint) act as disabled.
 */
static bool bp_value_match(const struct cpu_state *s, const struct dbg_regs *d,
			   unsigned int n, uint64_t pc, bool linked_to)
{
	uint64_t bcr = d->bcr[n], bvr = d->bvr[n];
	unsigned int bt = (bcr >> 20) & 0xf, el = cpu_current_el(s);
	bool match_addr = !(bt & 0xa), linking = (bt & 3) == 3 || (bt & 9) == 9;
	bool lower = el < 2, host = dbg_in_host(s, el), ok = true;
	uint32_t cid1 = (uint32_t)s->sysreg[SR_CONTEXTIDR_EL1];
	uint32_t cid2 = (uint32_t)s->sysreg[SR_CONTEXTIDR_EL2];
	bool vhe = el2_on(s) && ((s->sysreg[SR_ID_AA64MMFR1_EL1] >> 8) & 0xf);

	if (!(bcr & 1) || bt == 4 || bt == 5)
		return false;
	if (!match_addr && !bp_ctx_aware(s, n))
		return false;
	if (((bt & 8) && !el2_on(s)) || ((bt == 6 || bt == 7 || bt >= 12) && !vhe))
		return false;
	if (linked_to != linking)
		return false;
	if (match_addr)
		return !((pc ^ bvr) & VA_BITS_MASK & ~3ULL);
	if ((bt & 0xe) == 2)		/* CONTEXTIDR_EL1, or _EL2 in EL2&0 */
		ok = host ? cid2 == (uint32_t)bvr : lower && cid1 == (uint32_t)bvr;
	else if ((bt & 6) == 6 || (bt & 0xe) == 0xa)	/* CONTEXTIDR_EL1 */
		ok = lower && !host && cid1 == (uint32_t)bvr;
	if ((bt & 0xc) == 8)		/* VMID */
		ok = ok && lower && !host && bp_vmid_match(s, bvr);
	else if ((bt & 0xc) == 0xc)	/* CONTEXTIDR_EL2 */
		ok = ok && cid2 == (uint32_t)(bvr >> 32);
	return ok;
}

static bool bp_hit(const struct cpu_state *s, const struct dbg_regs *d, uint64_t pc)
{
	unsigned int el = cpu_current_el(s), n;

	for (n = 0; n < CPU_DBG_BRPS; n++) {
		uint64_t bcr = d->bcr[n];

		if ((bcr & 1) && bp_value_match(s, d, n, pc, false) &&
		    state_match(s, d, bcr, ((bcr >> 20) & 0xf) == 1, el))
			return true;
	}
	return false;
}

/* ---- software step (AArch64.SoftwareStep) ---------------------------------- */

/* A debug exception to the debug target EL: ec_low, or ec_low + 1 taken
 * from the target EL itself (EC 0x30/0x31, 0x32/0x33, 0x34/0x35). */
static int raise_debug_far(struct cpu *c, unsigned int ec_low, uint32_t iss, uint64_t far,
			   bool far_valid)
{
	struct cpu_state *s = &c->state;
	unsigned int target = dbg_target_el(s);
	unsigned int ec = ec_low + (cpu_current_el(s) == target);

	cpu_take_exception_to(s, target, CPU_VEC_SYNC, esr_make(ec, iss), far, far_valid);
	return EXEC_STOP;
}

static int raise_debug(struct cpu *c, unsigned int ec_low, uint32_t iss)
{
	return raise_debug_far(c, ec_low, iss | FSC_DEBUG, 0, false);
}

/* BRK #imm: EC 0x3c to the debug target EL (at EL2, EL2) */
int dbg_raise_brk(struct cpu *c, uint32_t imm)
{
	struct cpu_state *s = &c->state;
	unsigned int el = cpu_current_el(s);

	cpu_take_exception_to(s, el == 2 ? 2 : dbg_target_el(s), CPU_VEC_SYNC,
			      esr_make(EC_BRK64, imm), 0, false);
	return EXEC_STOP;
}

/*
 * A KVM_SET_GUEST_DEBUG breakpoint, watchpoint or BRK: an exit with the
 * ESR_EL2 KVM reports (EC of a lower EL, IL, the ISS) and, for a
 * watchpoint, the address.
 */
static void dbg_host_exit(struct cpu *c, unsigned int ec, uint32_t iss, uint64_t far)
{
	engine_exit(c, CPU_EXIT_DEBUG, esr_make(ec, iss));
	c->exit.far = far;
}

int dbg_host_brk(struct cpu *c, uint32_t insn)
{
	dbg_host_exit(c, EC_BRK64, FIELD(insn, 20, 5), 0);
	return EXEC_STOP;
}

/*
 * Before the instruction at PC: a software step exception in the
 * active-pending state (MDSCR_EL1.SS, PSTATE.SS clear, debug exceptions
 * enabled here), else a breakpoint exception, or the host's breakpoint
 * exit.  DBG_NONE, DBG_TAKEN (an exception) or DBG_EXIT.
 */
int dbg_before_insn(struct cpu *c)
{
	struct cpu_state *s = &c->state;
	struct cpu_engine *e = c->engine;
	struct dbg_regs d;
	uint32_t iss;

	dbg_regs_of(c, &d);
	if (d.host) {
		if (!bp_hit(s, &d, s->pc))
			return DBG_NONE;
		dbg_host_exit(c, EC_BKPT_LOW, FSC_DEBUG, 0);
		return DBG_EXIT;
	}
	if (!dbg_enabled(s))
		return DBG_NONE;
	if ((s->sysreg[SR_MDSCR_EL1] & MDSCR_SS) && !(s->pstate & PSR_SS_BIT)) {
		/* ISV: the state was reached by stepping an instruction */
		iss = e->ss_isv ? (ESR_ISV | (e->ss_ex ? ESR_SS_EX : 0)) : 0;
		e->ss_isv = false;
		raise_debug(c, EC_SOFTSTP_LOW, iss);
		return DBG_TAKEN;
	}
	if ((s->sysreg[SR_MDSCR_EL1] & MDSCR_MDE) && bp_hit(s, &d, s->pc)) {
		raise_debug(c, EC_BKPT_LOW, 0);	/* FAR_ELx is UNKNOWN */
		return DBG_TAKEN;
	}
	return DBG_NONE;
}

/* SSAdvance(): an instruction completed in the active-not-pending state. */
void dbg_ss_advance(struct cpu *c, uint32_t insn)
{
	struct cpu_state *s = &c->state;

	if (!(s->sysreg[SR_MDSCR_EL1] & MDSCR_SS) || !(s->pstate & PSR_SS_BIT))
		return;
	s->pstate &= ~PSR_SS_BIT;
	c->engine->ss_isv = true;
	/* LDXR, LDAXR, LDXP, LDAXP: L = 1, o2 = 0 */
	c->engine->ss_ex = (insn & 0x3fc00000u) == 0x08400000u;
}

/*
 * After instruction insn at step_one returned r: unless it took an
 * exception (which saved PSTATE.SS in SPSR_EL1: not stepped; SVC advanced
 * before taking its own), stopped at a KVM_SET_GUEST_DEBUG breakpoint or
 * watchpoint, or was ERET (which set PSTATE.SS itself), it completed, in
 * the engine or in the backend (HVC, SMC, WFx, MMIO).
 */
void dbg_after_insn(struct cpu *c, uint32_t insn, int r)
{
	if (insn == ERET_WORD)
		return;
	if (r == EXEC_STOP && (c->exit.reason == CPU_EXIT_NONE ||
			       c->exit.reason == CPU_EXIT_KICK ||
			       c->exit.reason == CPU_EXIT_DEBUG ||
			       c->exit.reason == CPU_EXIT_INTERNAL))
		return;
	dbg_ss_advance(c, insn);
}

/*
 * DebugExceptionReturnSS(): the PSTATE.SS an exception return to spsr sets
 * (dest_el: the EL it returns to), SPSR.SS only when stepping is disabled
 * where the ERET runs and enabled where it returns.
 */
uint64_t dbg_eret_ss(struct cpu *c, uint64_t spsr, unsigned int dest_el)
{
	const struct cpu_state *s = &c->state;

	c->engine->ss_isv = false;
	if (!(s->sysreg[SR_MDSCR_EL1] & MDSCR_SS) || dbg_enabled(s) ||
	    !dbg_enabled_from(s, dest_el, spsr & PSR_D_BIT))
		return 0;
	return spsr & PSR_SS_BIT;
}

/* ---- watchpoints (AArch64.WatchpointByteMatch) ------------------------------ */

/*
 * The bytes watchpoint n can match: [*lo, *lo + *len), and within them the
 * BAS byte mask (bit i: byte lo + i; all ones for a MASK range).  False for
 * a reserved MASK (1 or 2), which acts as disabled.
 */
static bool wp_range(const struct dbg_regs *d, unsigned int n, uint64_t *lo,
		     uint64_t *len, unsigned int *bas)
{
	uint64_t wcr = d->wcr[n], wvr = d->wvr[n] & VA_BITS_MASK;
	unsigned int mask = (wcr >> 24) & 0x1f;

	if (mask == 1 || mask == 2)
		return false;
	if (mask) {
		*lo = wvr & ~((1ULL << mask) - 1);
		*len = 1ULL << mask;
		*bas = 0xff;
		return true;
	}
	*bas = (wcr >> 5) & 0xff;
	if (wvr & 4) {		/* a word: BAS[3:0] */
		*lo = wvr & ~3ULL;
		*len = 4;
		*bas &= 0xf;
	} else {
		*lo = wvr & ~7ULL;
		*len = 8;
	}
	return true;
}

/* Does [va, va + size) touch a byte watchpoint n watches? */
static bool wp_value_match(const struct dbg_regs *d, unsigned int n,
			   uint64_t va, uint64_t size)
{
	uint64_t lo, len, a = va & VA_BITS_MASK, i;
	unsigned int bas;

	if (!wp_range(d, n, &lo, &len, &bas))
		return false;
	if (a >= lo + len || a + size <= lo)
		return false;
	if (len > 8)
		return true;
	for (i = 0; i < len; i++)
		if (((bas >> i) & 1) && lo + i >= a && lo + i < a + size)
			return true;
	return false;
}

/* May a watchpoint match an access to the 4K page at vpage? */
bool dbg_watch_page(const struct cpu *c, uint64_t vpage)
{
	unsigned int n, bas;
	uint64_t lo, len, p = vpage & VA_BITS_MASK & PAGE_MASK;
	struct dbg_regs d;

	dbg_regs_of(c, &d);
	for (n = 0; n < CPU_DBG_WRPS; n++)
		if ((d.wcr[n] & 1) && wp_range(&d, n, &lo, &len, &bas) &&
		    lo < p + PAGE_SIZE && lo + len > p)
			return true;
	return false;
}

/*
 * The watchpoints of an access of size bytes at va made as EL el (acc:
 * mem.h; iss_extra: ISS bits the exception adds, ISS.VNCR): the exception
 * of the first that matches, -1 then.
 */
static int watch_match(struct cpu *c, const struct dbg_regs *d, uint64_t va, unsigned int size,
		       uint32_t acc, unsigned int el, uint32_t iss_extra)
{
	const struct cpu_state *s = &c->state;
	bool write = acc & ACC_WRITE, rmw = (acc & ACC_RMW) && !(acc & ESR_CM);
	unsigned int n;

	for (n = 0; n < CPU_DBG_WRPS; n++) {
		uint64_t wcr = d->wcr[n];
		unsigned int lsc = (wcr >> 3) & 3;	/* bit 0: loads, 1: stores */
		uint32_t iss;

		if (!rmw)
			lsc &= write ? 2 : 1;
		if (!(wcr & 1) || !lsc || !wp_value_match(d, n, va, size) ||
		    !state_match(s, d, wcr, (wcr >> 20) & 1, el))
			continue;
		iss = (acc & ESR_CM) | FSC_DEBUG | iss_extra;
		if (lsc & 2)
			iss |= ESR_WNR;
		if (d->host)
			dbg_host_exit(c, EC_WATCHPT_LOW, iss, va);
		else
			raise_debug_far(c, EC_WATCHPT_LOW, iss, va, true);
		return -1;
	}
	return 0;
}

/*
 * A data access of size bytes at va (acc: mem.h) whose translation
 * succeeded: a watchpoint exception, before the access, if a watchpoint
 * matches it (AArch64.CheckWatchpoint); -1 then.  Cache maintenance other
 * than DC IVAC (an invalidation: a store) does not match; an atomic
 * read-modify-write matches as a load and as a store, and reports WnR as
 * the watchpoint's store condition.  FAR_ELx is va.
 */
int dbg_watch_check(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc)
{
	const struct cpu_state *s = &c->state;
	struct dbg_regs d;
	unsigned int el;

	if ((acc & ESR_CM) && !(acc & ACC_WRITE))
		return 0;
	dbg_regs_of(c, &d);
	if (!d.host && (!(s->sysreg[SR_MDSCR_EL1] & MDSCR_MDE) || !dbg_enabled(s)))
		return 0;
	el = mmu_idx_of(s, acc) == MMU_EL0 ? 0 : cpu_current_el(s) == 2 ? 2 : 1;
	return watch_match(c, &d, va, size, acc, el, 0);
}

/*
 * A FEAT_NV2 access (a register of the VNCR page, from EL1) whose
 * translation succeeded: Arm ARM AArch64.CheckDebug for AccessType_NV2
 * generates debug exceptions as from EL2 with PSTATE.D ignored
 * (AArch64.GenerateDebugExceptionsFrom(EL2, ss, '0')), so only with the
 * debug target EL2 (MDCR_EL2.TDE) and MDSCR_EL1.KDE, with MDE; the
 * watchpoint matches it as EL2's access (CreateAccDescNV2: EL2), and its
 * exception, to EL2 from EL1 (EC 0x34), has ISS.VNCR (bit 13) set.
 * KVM_SET_GUEST_DEBUG's watchpoints see that EL2 as EL1 (state_match()).
 */
int dbg_watch_check_nv2(struct cpu *c, uint64_t va, bool write)
{
	const struct cpu_state *s = &c->state;
	struct dbg_regs d;

	dbg_regs_of(c, &d);
	if (!d.host && (!(s->sysreg[SR_MDSCR_EL1] & MDSCR_MDE) || !dbg_enabled_from(s, 2, false)))
		return 0;
	return watch_match(c, &d, va, 8, write ? ACC_WRITE : 0, 2, ESR_VNCR);
}
