// SPDX-License-Identifier: GPL-2.0
/*
 * System instructions other than SYS: hints (WFI/WFE/SEV/SEVL/YIELD/ESB...),
 * barriers, MSR (immediate) and MRS/MSR (register).  MRS/MSR reach the
 * backend's system-register table: the descriptor is looked up once at
 * decode time and its accessors run at execution.
 */
#include "internal.h"

/* ISS of an EC 0x18 trap for an MSR/MRS/SYS encoding (D17.2.37). */
static uint32_t sys_trap_iss(uint32_t insn)
{
	return (FIELD(insn, 20, 19) << 20) | (FIELD(insn, 7, 5) << 17) |
	       (FIELD(insn, 18, 16) << 14) | (FIELD(insn, 15, 12) << 10) |
	       (FIELD(insn, 4, 0) << 5) | (FIELD(insn, 11, 8) << 1) | BIT(insn, 21);
}

int raise_sys_trap(struct cpu *c, uint32_t insn);
int raise_sys_trap(struct cpu *c, uint32_t insn)
{
	return raise_sync(c, EC_SYS64, sys_trap_iss(insn));
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

static int wfi(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (cpu_current_el(s) == 0 && !(s->sysreg[SR_SCTLR_EL1] & SCTLR_NTWI))
		return raise_sync(c, EC_WFX, WFX_ISS(0));
	s->pc += 4;
	/* A pending interrupt, masked or not, completes WFI at once. */
	if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed))
		return EXEC_JUMP;
	engine_exit(c, CPU_EXIT_WFX, esr_make(EC_WFX, WFX_ISS(0)));
	return EXEC_STOP;
}

static int wfe(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (cpu_current_el(s) == 0 && !(s->sysreg[SR_SCTLR_EL1] & SCTLR_NTWE))
		return raise_sync(c, EC_WFX, WFX_ISS(1));
	s->pc += 4;
	if (c->engine->event) {
		c->engine->event = false;
		return EXEC_JUMP;
	}
	if (sev_pending(c))
		return EXEC_JUMP;
	if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed))
		return EXEC_JUMP;
	/* the backend waits for the other wake-up events (cpu_wfe_event) */
	engine_exit(c, CPU_EXIT_WFX, esr_make(EC_WFX, WFX_ISS(1)));
	return EXEC_STOP;
}

/* SEV: an event to every PE, this one included (SendEvent()). */
static int sev(struct cpu *c, const struct dinsn *d)
{
	c->engine->sev_seen = atomic_fetch_add(&c->vm->sev_gen, 1) + 1;
	c->engine->event = true;
	cpu_hook_sev(c);
	return EXEC_NEXT;
}

static int sevl(struct cpu *c, const struct dinsn *d)
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
static int esb(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if ((atomic_load_explicit(&c->irq_lines, memory_order_relaxed) & CPU_IRQ_VSERR) &&
	    (s->pstate & PSR_A_BIT) && cpu_current_el(s) == 1) {
		atomic_fetch_and(&c->irq_lines, ~CPU_IRQ_VSERR);
		s->sysreg[SR_DISR_EL1] = (1ULL << 31) | (c->vserror_esr & 0x1ffffffULL);
	}
	return EXEC_NEXT;
}

static int nop(struct cpu *c, const struct dinsn *d)
{
	return EXEC_NEXT;
}

static bool prep_hint(struct dinsn *d)
{
	switch (FIELD(d->insn, 11, 5)) {
	case 2: d->fn = wfe; break;
	case 3: d->fn = wfi; break;
	case 4: d->fn = sev; break;
	case 5: d->fn = sevl; break;
	case 16: d->fn = esb; break;
	default: d->fn = nop; break;	/* YIELD, CSDB, BTI, PAC hints... */
	}
	return true;
}

/* ---- barriers ---------------------------------------------------------------- */

static int dmb(struct cpu *c, const struct dinsn *d)
{
	switch (FIELD(d->insn, 9, 8)) {	/* CRm<1:0>: types */
	case 1: __atomic_thread_fence(__ATOMIC_ACQUIRE); break;	/* LD */
	case 2: __atomic_thread_fence(__ATOMIC_RELEASE); break;	/* ST */
	default: __atomic_thread_fence(__ATOMIC_SEQ_CST); break;
	}
	return EXEC_NEXT;
}

static int isb(struct cpu *c, const struct dinsn *d)
{
	/* Context synchronization: refetch, look at interrupts, and check
	 * blocks against memory again (a new epoch, see internal.h) */
	c->th_sync = true;
	c->state.pc += 4;
	return EXEC_JUMP;
}

/* ---- MSR (immediate) ---------------------------------------------------------- */

static int msr_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int op1 = FIELD(d->insn, 18, 16), op2 = FIELD(d->insn, 7, 5);
	unsigned int crm = FIELD(d->insn, 11, 8);
	bool el0 = cpu_current_el(s) == 0;
	uint64_t bit;

	switch ((op1 << 3) | op2) {
	case 003:	/* UAO */
	case 004:	/* PAN */
	case 005:	/* SPSel */
		if (el0)
			return raise_undef(c);
		bit = op2 == 3 ? PSR_UAO_BIT : op2 == 4 ? PSR_PAN_BIT : 1;
		s->pstate = (crm & 1) ? s->pstate | bit : s->pstate & ~bit;
		break;
	case 031:	/* SSBS */
		s->pstate = (crm & 1) ? s->pstate | PSR_SSBS_BIT : s->pstate & ~PSR_SSBS_BIT;
		break;
	case 032:	/* DIT */
		s->pstate = (crm & 1) ? s->pstate | PSR_DIT_BIT : s->pstate & ~PSR_DIT_BIT;
		break;
	case 036:	/* DAIFSet */
	case 037:	/* DAIFClr */
		if (el0 && !(s->sysreg[SR_SCTLR_EL1] & SCTLR_UMA))
			return raise_sys_trap(c, d->insn);
		if (op2 == 6)
			s->pstate |= (uint64_t)crm << 6;
		else
			s->pstate &= ~((uint64_t)crm << 6);
		break;
	default:
		return raise_undef(c);
	}
	s->pc += 4;
	return EXEC_JUMP;	/* unmasking must let a pending interrupt in */
}

/* ---- MRS / MSR (register) ------------------------------------------------------- */

static bool prep_sysreg(struct dinsn *d)
{
	const struct sys_reg_desc *desc = sys_reg_lookup(FIELD(d->insn, 20, 5));

	if (!desc)
		return false;
	d->aux = (uintptr_t)desc;
	return true;
}

static int mrs(struct cpu *c, const struct dinsn *d)
{
	uint64_t v;

	nzcv_sync(&c->state);		/* MRS NZCV reads PSTATE */
	if (sys_reg_read(c, (const struct sys_reg_desc *)(uintptr_t)d->aux, &v))
		return raise_undef(c);
	set_xreg(&c->state, d->rd, v);
	return EXEC_NEXT;
}

static int msr(struct cpu *c, const struct dinsn *d)
{
	nzcv_sync(&c->state);		/* MSR NZCV writes PSTATE */
	if (sys_reg_write(c, (const struct sys_reg_desc *)(uintptr_t)d->aux,
			  xreg(&c->state, d->rd)))
		return raise_undef(c);
	/* The write may change translation, PSTATE or interrupt masks */
	c->state.pc += 4;
	return EXEC_JUMP;
}

static const struct insn_pattern sys_patterns[] = {
	PAT(0xfffff01f, 0xd503201f, nop, prep_hint),
	PAT(0xfffff0ff, 0xd503309f, dmb, NULL),		/* DSB (and SSBB/PSSBB) */
	PAT(0xfffff0ff, 0xd50330bf, dmb, NULL),		/* DMB */
	PAT(0xfffff0ff, 0xd50330df, isb, NULL),
	PAT(0xfff8f01f, 0xd500401f, msr_imm, NULL),
	PAT(0xfff00000, 0xd5100000, msr, prep_sysreg),
	PAT(0xfff00000, 0xd5300000, mrs, prep_sysreg),
};

const struct insn_table sys_insns = PAT_TABLE(sys_patterns);
