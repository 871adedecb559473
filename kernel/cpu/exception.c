// SPDX-License-Identifier: GPL-2.0
/*
 * Exception entry to EL1 (Arm ARM D1.3 "Exception entry", AArch64.TakeException
 * with EL1 as the target and no EL2/EL3 routing: the backend plays EL2).
 */
#include "internal.h"

/* VBAR_EL1 offset of the vector group for where the exception comes from. */
static uint64_t vector_base_offset(const struct cpu_state *s)
{
	if (cpu_current_el(s) == 0)
		return 0x400;		/* lower EL, AArch64 */
	if (s->pstate & 1)
		return 0x200;		/* current EL with SP_ELx */
	return 0x000;			/* current EL with SP_EL0 */
}

void cpu_take_exception(struct cpu_state *s, enum cpu_vector vec,
			uint64_t esr, uint64_t far, bool far_valid)
{
	uint64_t sctlr = s->sysreg[SR_SCTLR_EL1];
	uint64_t old, pstate;

	nzcv_sync(s);
	old = s->pstate;

	s->elr_el1 = s->pc;
	s->spsr[CPU_SPSR_EL1] = old;
	if (vec == CPU_VEC_SYNC || vec == CPU_VEC_SERROR)
		s->sysreg[SR_ESR_EL1] = esr;
	if (far_valid)
		s->sysreg[SR_FAR_EL1] = far;

	/* NZCV, DIT and (without SPAN) PAN carry over; the rest is reset. */
	pstate = old & (PSR_NZCV_MASK | PSR_DIT_BIT | PSR_PAN_BIT);
	pstate |= PSR_MODE_EL1h | PSR_DAIF_MASK;
	if (!(sctlr & SCTLR_SPAN))
		pstate |= PSR_PAN_BIT;
	if (sctlr & SCTLR_DSSBS)
		pstate |= PSR_SSBS_BIT;
	/* FEAT_MTE: tag checks off until the handler clears TCO */
	if (mte_on(s))
		pstate |= PSR_TCO_BIT;
	/* IL, SS, UAO, BTYPE and ALLINT are cleared. */

	s->pc = (s->sysreg[SR_VBAR_EL1] & ~0x7ffULL) + vector_base_offset(s) +
		(uint64_t)vec;
	s->pstate = pstate;
}

/* ---- synchronous exceptions raised by the engine --------------------------- */


int raise_sync(struct cpu *c, unsigned int ec, uint32_t iss)
{
	cpu_take_exception(&c->state, CPU_VEC_SYNC, esr_make(ec, iss), 0, false);
	return EXEC_STOP;
}

int raise_sync_far(struct cpu *c, unsigned int ec, uint32_t iss, uint64_t far)
{
	cpu_take_exception(&c->state, CPU_VEC_SYNC, esr_make(ec, iss), far, true);
	return EXEC_STOP;
}

/* UNDEFINED: an Unknown-reason exception (EC 0) at the instruction. */
int raise_undef(struct cpu *c)
{
	return raise_sync(c, EC_UNKNOWN, 0);
}

int exec_undef(struct cpu *c, const struct dinsn *d)
{
	return raise_undef(c);
}

void engine_exit(struct cpu *c, enum cpu_exit_reason r, uint64_t esr)
{
	c->exit.reason = r;
	c->exit.esr = esr;
	c->exit.far = 0;
	c->exit.ipa = 0;
	c->exit.data = 0;
}

void excl_clear(struct cpu *c)
{
	c->engine->excl_valid = false;
}

/* CPACR_EL1.FPEN: FP/AdvSIMD instructions trap with EC 0x07 unless enabled */
bool fp_access_ok(struct cpu *c)
{
	unsigned int fpen = (c->state.sysreg[SR_CPACR_EL1] >> 20) & 3;

	if (fpen == 3 || (fpen == 1 && cpu_current_el(&c->state) == 1))
		return true;
	raise_sync(c, EC_FP_ASIMD, 0);
	return false;
}
