// SPDX-License-Identifier: GPL-2.0
/*
 * System instructions other than SYS: hints (WFI/WFE/SEV/SEVL/YIELD/ESB...),
 * barriers, MSR (immediate) and MRS/MSR (register), as rows (insn/sys.def).
 * MRS/MSR reach the backend's system-register table: the descriptor is
 * looked up once at decode time and its accessors run at execution.
 */
#include "internal.h"
#include "jit/hint.h"

/*
 * The feature ID space: op0 3, op1 0, 1 or 3, CRn 0, CRm 0..7 (Arm ARM,
 * UnimplementedIDRegister()), of an MRS (L, bit 21).
 */
static bool mrs_in_feat_id_space(uint32_t insn)
{
	uint32_t enc = FIELD(insn, 20, 5);
	uint32_t op1 = (enc >> 11) & 7;

	return BIT(insn, 21) && enc >> 14 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) &&
	       ((enc >> 7) & 0xf) == 0 && !BIT(enc, 6);
}

/*
 * FEAT_IDST (ID_AA64MMFR2_EL1.IDS 1): a read of the feature ID space that
 * would be UNDEFINED -- an absent register, or any at EL0 -- traps with
 * EC 0x18 instead, as a trapped MRS.
 */
static bool idst_traps(const struct cpu *c, uint32_t insn)
{
	return ((c->state.sysreg[SR_ID_AA64MMFR2_EL1] >> 36) & 0xf) != 0 &&
	       mrs_in_feat_id_space(insn);
}

/*
 * An MRS, MSR or SYS that does not complete (enum sysreg_result): a trap
 * with EC 0x18 and the instruction's ISS to EL1 (EL2 from EL0 under
 * HCR_EL2.TGE) or to EL2 (a HCR_EL2 trap), an FP or SVE access trap
 * (EC 0x07, 0x19), UNDEFINED, or an exception already taken (SYSREG_STOP:
 * a FEAT_NV2 access that faulted).
 */
int raise_sysreg_result(struct cpu *c, uint32_t insn, int result)
{
	if (result == SYSREG_UNDEF && idst_traps(c, insn))
		result = SYSREG_TRAP_EL1;
	if (result == SYSREG_TRAP_EL1)
		return raise_sync(c, EC_SYS64, ESR_SYS64_ISS(insn));
	if (result == SYSREG_TRAP_EL2)
		return raise_sync_el2(c, EC_SYS64, ESR_SYS64_ISS(insn));
	if (result == SYSREG_STOP)
		return EXEC_STOP;
	if (result >= SYSREG_FP_EL1)
		return raise_fp_trap(c, result);
	return raise_undef(c);
}

/* ---- hints ------------------------------------------------------------------- */

#define WFX_ISS(ti)	((1u << 24) | (0xeu << 20) | (ti))	/* CV=1, COND=AL */

/* An SEV by any vCPU since this one last consumed one?  Consumes it. */
static bool sev_pending(struct cpu *c)
{
	uint64_t gen = atomic_load(&c->vm->sev_gen);

	if (gen == c->engine->sev_seen)
		return false;
	c->engine->sev_seen = gen;
	return true;
}

/*
 * WFI/WFE below EL2: SCTLR_EL1.nTWx traps EL0's to EL1 first, then
 * HCR_EL2.TWx traps EL0's and EL1's to EL2 (HCR_EL2 is 0 without EL2).
 */
static ALWAYS_INLINE bool wfx_trapped(struct cpu *c, uint64_t ntwx, uint64_t twx,
				      unsigned int ti)
{
	struct cpu_state *s = &c->state;
	unsigned int el = cpu_current_el(s);

	/* EL0's nTWx: SCTLR_EL2's in the EL2&0 regime (cur_sctlr) */
	if (el == 0 && !(cur_sctlr(s) & ntwx)) {
		raise_sync(c, EC_WFX, WFX_ISS(ti));
		return true;
	}
	/* not at EL0 in the EL2&0 regime (E2H, TGE): EL2's own */
	if (el < 2 && unlikely(s->sysreg[SR_HCR_EL2] & twx) && !(el == 0 && cpu_e2h_tge(s))) {
		raise_sync_el2(c, EC_WFX, WFX_ISS(ti));
		return true;
	}
	return false;
}

static int exec_WFI(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (wfx_trapped(c, SCTLR_NTWI, HCR_TWI, 0))
		return EXEC_STOP;
	s->pc += 4;
	/* A pending interrupt, masked or not, completes WFI at once. */
	if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed))
		return EXEC_JUMP;
	engine_exit(c, CPU_EXIT_WFX, esr_make(EC_WFX, WFX_ISS(0)));
	return EXEC_STOP;
}

static int exec_WFE(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	/* the event register set: WFE completes, consuming it, untrapped */
	if (c->engine->event || sev_pending(c)) {
		c->engine->event = false;
		s->pc += 4;
		return EXEC_JUMP;
	}
	if (wfx_trapped(c, SCTLR_NTWE, HCR_TWE, 1))
		return EXEC_STOP;
	s->pc += 4;
	if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed))
		return EXEC_JUMP;
	/* the backend waits for the other wake-up events (cpu_wfe_event) */
	engine_exit(c, CPU_EXIT_WFX, esr_make(EC_WFX, WFX_ISS(1)));
	return EXEC_STOP;
}

/* SEV: an event to every PE, this one included (SendEvent()). */
static int exec_SEV(struct cpu *c, const struct dinsn *d)
{
	c->engine->sev_seen = atomic_fetch_add(&c->vm->sev_gen, 1) + 1;
	c->engine->event = true;
	cpu_hook_sev(c);
	return EXEC_NEXT;
}

static int exec_SEVL(struct cpu *c, const struct dinsn *d)
{
	c->engine->event = true;
	return EXEC_NEXT;
}

/* Does the exclusive monitor's location still hold what LDXR read? */
static bool excl_unchanged(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	const uint8_t *h = e->excl_host;

	/* a new memory map may have unmapped the location: an event */
	if (atomic_load(&c->vm->memmap_gen) != e->memmap_gen)
		return false;
	switch (e->excl_size) {
	case 1: return __atomic_load_n(h, __ATOMIC_ACQUIRE) == (uint8_t)e->excl_val[0];
	case 2: return __atomic_load_n((const uint16_t *)(const void *)h, __ATOMIC_ACQUIRE) ==
		       (uint16_t)e->excl_val[0];
	case 4: return __atomic_load_n((const uint32_t *)(const void *)h, __ATOMIC_ACQUIRE) ==
		       (uint32_t)e->excl_val[0];
	case 8: return __atomic_load_n((const uint64_t *)(const void *)h, __ATOMIC_ACQUIRE) ==
		       e->excl_val[0];
	default: return __atomic_load_n((const uint64_t *)(const void *)h, __ATOMIC_ACQUIRE) ==
			e->excl_val[0] &&
			__atomic_load_n((const uint64_t *)(const void *)(h + 8), __ATOMIC_ACQUIRE) ==
			e->excl_val[1];
	}
}

bool cpu_wfe_event(struct cpu *c)
{
	if (sev_pending(c))
		return true;
	if (c->engine->excl_valid && !excl_unchanged(c)) {
		excl_clear(c);		/* the global monitor was cleared */
		return true;
	}
	return false;
}

/*
 * ESB (FEAT_RAS): a pending virtual SError that PSTATE.A masks is deferred
 * into DISR_EL1 (as VDISR_EL2 would be, under KVM) and consumed.
 */
static int exec_ESB(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if ((atomic_load_explicit(&c->irq_lines, memory_order_relaxed) & CPU_IRQ_VSERR) &&
	    (s->pstate & PSR_A_BIT) && cpu_current_el(s) == 1) {
		atomic_fetch_and(&c->irq_lines, ~CPU_IRQ_VSERR);
		s->sysreg[SR_DISR_EL1] = (1ULL << 31) | (c->vserror_esr & 0x1ffffffULL);
	}
	return EXEC_NEXT;
}

/*
 * Hints with nothing to do on this PE: no tracing, no speculation to hold
 * back, BTI's check made at the landing (bti.c); and the rest of the hint
 * space, which executes as NOP (C6.2 HINT).  (The PAuth hints are
 * exec_pauth.c's.)
 */
#define HINT_NOP(name)							\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	return EXEC_NEXT;						\
}
HINT_NOP(NOP)
HINT_NOP(DGH)
HINT_NOP(PSB)
HINT_NOP(TSB)
HINT_NOP(CSDB)
HINT_NOP(BTI)
HINT_NOP(HINT)

/* Does d do nothing at all, whatever the state?  (A translation emits
 * nothing for it, jit/hint.c.) */
bool sys_hint_nop(const struct dinsn *d)
{
	return d->fn == exec_NOP || d->fn == exec_DGH || d->fn == exec_PSB ||
	       d->fn == exec_TSB || d->fn == exec_CSDB || d->fn == exec_BTI ||
	       d->fn == exec_HINT;
}

/*
 * YIELD: software says it spins, waiting for another PE (Linux's
 * cpu_relax()).  Each CPU_YIELD_SPIN-th tells the backend, which may give
 * the host CPU away so that the thread waited for gets to run.
 */
static int exec_YIELD(struct cpu *c, const struct dinsn *d)
{
	if (!(++c->yields % CPU_YIELD_SPIN))
		cpu_hook_yield(c);
	return EXEC_NEXT;
}

/* ---- barriers ---------------------------------------------------------------- */

/* The host barrier for a DMB/DSB of types CRm<1:0> (host memory order). */
static inline int barrier(const struct dinsn *d)
{
	switch (FIELD(d->insn, 9, 8)) {	/* CRm<1:0>: types */
	case 1: __atomic_thread_fence(__ATOMIC_ACQUIRE); break;	/* LD */
	case 2: __atomic_thread_fence(__ATOMIC_RELEASE); break;	/* ST */
	default: __atomic_thread_fence(__ATOMIC_SEQ_CST); break;
	}
	return EXEC_NEXT;
}

static int exec_DMB(struct cpu *c, const struct dinsn *d)
{
	return barrier(d);
}

/* No instruction here waits on memory accesses to complete beyond their
 * order: a DSB is a DMB of the same types. */
static int exec_DSB(struct cpu *c, const struct dinsn *d)
{
	return barrier(d);
}

/* SSBB, PSSBB: the engine does not speculate; ordered as a full DSB. */
static int exec_SSBB(struct cpu *c, const struct dinsn *d)
{
	return barrier(d);
}

static int exec_PSSBB(struct cpu *c, const struct dinsn *d)
{
	return barrier(d);
}

static int exec_ISB(struct cpu *c, const struct dinsn *d)
{
	/* Context synchronization: refetch, look at interrupts, and check
	 * blocks against memory again (a new epoch, see internal.h) */
	c->th_sync = true;
	c->state.pc += 4;
	return EXEC_JUMP;
}

/* SB (FEAT_SB): the engine does not speculate, nothing to order past it. */
static int exec_SB(struct cpu *c, const struct dinsn *d)
{
	return EXEC_NEXT;
}

/* ---- flag manipulation (FEAT_FlagM, FEAT_FlagM2) --------------------------------- */

#define NZCV_N	8u
#define NZCV_Z	4u
#define NZCV_C	2u
#define NZCV_V	1u

static inline unsigned int nzcv_get(struct cpu_state *s)
{
	nzcv_sync(s);
	return (unsigned int)(s->pstate >> 28) & 0xf;
}

static inline void nzcv_put(struct cpu_state *s, unsigned int f)
{
	set_nzcv(s, (uint64_t)f << 28);
}

/* CFINV: C = NOT C */
static int exec_CFINV(struct cpu *c, const struct dinsn *d)
{
	nzcv_put(&c->state, nzcv_get(&c->state) ^ NZCV_C);
	return EXEC_NEXT;
}

/* XAFLAG: the external floating-point flag format to Arm's (Arm ARM C6.2) */
static int exec_XAFLAG(struct cpu *c, const struct dinsn *d)
{
	unsigned int f = nzcv_get(&c->state), z = !!(f & NZCV_Z), cf = !!(f & NZCV_C);

	nzcv_put(&c->state, (!cf && !z) << 3 | (z && cf) << 2 | (cf || z) << 1 | (!cf && z));
	return EXEC_NEXT;
}

/* AXFLAG: Arm's floating-point flag format to the external one */
static int exec_AXFLAG(struct cpu *c, const struct dinsn *d)
{
	unsigned int f = nzcv_get(&c->state), v = !!(f & NZCV_V);

	nzcv_put(&c->state, (!!(f & NZCV_Z) || v) << 2 | (!!(f & NZCV_C) && !v) << 1);
	return EXEC_NEXT;
}

/* RMIF Xn, #shift, #mask: the flags of mask from Xn ROR shift, bits 3:0 */
static int exec_RMIF(struct cpu *c, const struct dinsn *d)
{
	unsigned int sh = FIELD(d->insn, 20, 15), mask = FIELD(d->insn, 3, 0);
	uint64_t x = xreg(&c->state, d->rn);
	unsigned int t = (unsigned int)((sh ? x >> sh | x << (64 - sh) : x) & 0xf);

	nzcv_put(&c->state, (nzcv_get(&c->state) & ~mask) | (t & mask));
	return EXEC_NEXT;
}

/* SETF8, SETF16: N, Z, V of the 8- or 16-bit value of Wn, C unchanged */
static inline int setf(struct cpu *c, const struct dinsn *d, unsigned int bits)
{
	uint32_t w = (uint32_t)xreg(&c->state, d->rn);
	unsigned int top = w >> (bits - 1) & 1;

	nzcv_put(&c->state, top << 3 | !(w & ((1u << bits) - 1)) << 2 |
		 (nzcv_get(&c->state) & NZCV_C) | ((w >> bits & 1) ^ top));
	return EXEC_NEXT;
}

static int exec_SETF8(struct cpu *c, const struct dinsn *d)
{
	return setf(c, d, 8);
}

static int exec_SETF16(struct cpu *c, const struct dinsn *d)
{
	return setf(c, d, 16);
}

/* ---- MSR (immediate): one row per PSTATE field ------------------------------------ */

/* PSTATE.bit = CRm<0>; PC moves on, and a context change ends the block. */
static inline int msr_i_bit(struct cpu *c, const struct dinsn *d, uint64_t bit)
{
	struct cpu_state *s = &c->state;

	s->pstate = BIT(d->insn, 8) ? s->pstate | bit : s->pstate & ~bit;
	s->pc += 4;
	return EXEC_JUMP;
}

/* UAO, PAN, SPSel: UNDEFINED at EL0 */
static inline int msr_i_el1_bit(struct cpu *c, const struct dinsn *d, uint64_t bit)
{
	if (cpu_current_el(&c->state) == 0)
		return raise_undef(c);
	return msr_i_bit(c, d, bit);
}

static int exec_MSR_i_UAO(struct cpu *c, const struct dinsn *d)
{
	return msr_i_el1_bit(c, d, PSR_UAO_BIT);
}

static int exec_MSR_i_PAN(struct cpu *c, const struct dinsn *d)
{
	return msr_i_el1_bit(c, d, PSR_PAN_BIT);
}

static int exec_MSR_i_SPSel(struct cpu *c, const struct dinsn *d)
{
	return msr_i_el1_bit(c, d, 1);
}

static int exec_MSR_i_SSBS(struct cpu *c, const struct dinsn *d)
{
	return msr_i_bit(c, d, PSR_SSBS_BIT);
}

static int exec_MSR_i_DIT(struct cpu *c, const struct dinsn *d)
{
	return msr_i_bit(c, d, PSR_DIT_BIT);
}

/* DAIFSet/DAIFClr: EL0 access gated by SCTLR_EL1.UMA, as MRS/MSR DAIF */
static int exec_MSR_i_DAIFSet(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int r = cpu_el0_gate(s, SR_SCTLR_EL1, SCTLR_UMA);

	if (r != SYSREG_OK)
		return raise_sysreg_result(c, d->insn, r);
	s->pstate |= (uint64_t)FIELD(d->insn, 11, 8) << 6;
	s->pc += 4;
	return EXEC_JUMP;
}

static int exec_MSR_i_DAIFClr(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int r = cpu_el0_gate(s, SR_SCTLR_EL1, SCTLR_UMA);

	if (r != SYSREG_OK)
		return raise_sysreg_result(c, d->insn, r);
	s->pstate &= ~((uint64_t)FIELD(d->insn, 11, 8) << 6);
	s->pc += 4;
	return EXEC_JUMP;	/* unmasking must let a pending interrupt in */
}

/* ---- MRS / MSR (register) ------------------------------------------------------- */

/* An MRS of an unallocated register in the feature ID space: see idst_traps() */
static int exec_MRS_unimpl_id(struct cpu *c, const struct dinsn *d)
{
	return raise_sysreg_result(c, d->insn, SYSREG_UNDEF);
}

static bool prep_sysreg(struct dinsn *d)
{
	const struct sys_reg_desc *desc = sys_reg_lookup(FIELD(d->insn, 20, 5));

	if (!desc && mrs_in_feat_id_space(d->insn)) {
		d->fn = exec_MRS_unimpl_id;
		return true;
	}
	if (!desc)
		return false;
	d->aux = (uintptr_t)desc;
	return true;
}

static int exec_MRS(struct cpu *c, const struct dinsn *d)
{
	uint32_t lines = atomic_load_explicit(&c->irq_lines, memory_order_relaxed);
	uint64_t v;
	int r;

	nzcv_sync(&c->state);		/* MRS NZCV reads PSTATE */
	r = sys_reg_read(c, (const struct sys_reg_desc *)(uintptr_t)d->aux, &v);
	if (r != SYSREG_OK)
		return raise_sysreg_result(c, d->insn, r);
	set_xreg(&c->state, d->rd, v);
	/* a counter read raised a timer: take it before the next instruction */
	if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed) != lines) {
		c->state.pc += 4;
		return EXEC_JUMP;
	}
	return EXEC_NEXT;
}

/*
 * The MRS a boot makes most (Linux: current is SP_EL0, the per-CPU offset
 * TPIDR_EL1, local_irq_save() reads DAIF, the cache maintenance and
 * clear_page() CTR_EL0 and DCZID_EL0: 2.3M of a boot's 2.4M MRS) as a
 * THREADED_NOPC fast form.  At EL1 none of them traps (kernel/sys_regs.c:
 * no EL0 gate applies, no FEAT_NV2 page offset, no E2H redirection, and
 * of HCR_EL2 only TID2 traps CTR_EL0 and TDZ changes DCZID_EL0), nor has a
 * side effect, so the register is read here; anywhere else (another EL,
 * SP_EL0 while it is the SP, those HCR_EL2 bits) the row's reference runs
 * with PC stored, and it may trap: a NOPC entry's slow path.  An MRS never
 * stores, so it need not end a block.  The translator inlines the same
 * checks (kernel/cpu/jit/sys.c, jit_sys_emit_mrs()).
 */
bool mrs_hot(uint32_t insn)
{
	switch (FIELD(insn, 20, 5)) {
	case SYS_SP_EL0: case SYS_TPIDR_EL1: case SYS_DAIF:
	case SYS_CTR_EL0: case SYS_DCZID_EL0:
		return true;
	default:
		return false;
	}
}

/* (and a register the backend has: prep_sysreg() found its descriptor) */
static bool c_mrs_hot(const struct dinsn *d)
{
	return d->aux && mrs_hot(d->insn);
}

/* The value the fast form reads, or false where the reference must run. */
static ALWAYS_INLINE bool mrs_hot_value(const struct cpu_state *s, uint32_t insn, uint64_t *v)
{
	if (unlikely(cpu_current_el(s) != 1))
		return false;
	switch (FIELD(insn, 20, 5)) {
	case SYS_SP_EL0:
		/* SPSel 0: SP_EL0 is the current SP, the MRS UNDEFINED */
		*v = s->sp_el0;
		return s->pstate & 1;
	case SYS_TPIDR_EL1:
		*v = s->sysreg[SR_TPIDR_EL1];
		return true;
	case SYS_DAIF:
		*v = s->pstate & PSR_DAIF_MASK;
		return true;
	case SYS_CTR_EL0:
		*v = s->sysreg[SR_CTR_EL0];
		return !(s->sysreg[SR_HCR_EL2] & HCR_TID2);
	default:	/* DCZID_EL0: DZP set under TDZ (read_dczid()) */
		*v = s->sysreg[SR_DCZID_EL0];
		return !(s->sysreg[SR_HCR_EL2] & HCR_TDZ);
	}
}

static __attribute__((noinline)) int mrs_hot_slow(struct cpu *c, const struct dinsn *d)
{
	thread_sync_pc(c, d);
	return exec_MRS(c, d);
}

static int fast_MRS_hot(struct cpu *c, const struct dinsn *d)
{
	uint64_t v;

	if (unlikely(!mrs_hot_value(&c->state, d->insn, &v)))
		return mrs_hot_slow(c, d);
	set_xreg(&c->state, d->rd, v);
	return EXEC_NEXT;
}

bool mrs_hot_entry(const struct dinsn *d)
{
	return d->fn == fast_MRS_hot;
}

static int exec_MSR_r(struct cpu *c, const struct dinsn *d)
{
	int r;

	nzcv_sync(&c->state);		/* MSR NZCV writes PSTATE */
	r = sys_reg_write(c, (const struct sys_reg_desc *)(uintptr_t)d->aux,
			  xreg(&c->state, d->rd));
	if (r != SYSREG_OK)
		return raise_sysreg_result(c, d->insn, r);
	if (FIELD(d->insn, 20, 19) == 2)	/* op0 2: a debug register */
		dbg_update(c);
	/* The write may change translation, PSTATE or interrupt masks */
	c->state.pc += 4;
	return EXEC_JUMP;
}

#define INSN_CLASS	sys
#define INSN_DEF	"insn/sys.def"
#include "a64_table.h"
