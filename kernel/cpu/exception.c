// SPDX-License-Identifier: GPL-2.0
/*
 * Exception entry (Arm ARM D1.3 "Exception entry", AArch64.TakeException):
 * to EL1, or to EL2 on a vCPU with EL2 (KVM_ARM_VCPU_HAS_EL2, VHE or not),
 * routed as HCR_EL2 says.  Without EL2 the backend plays EL2 and every
 * exception the engine raises goes to EL1.
 */
#include "internal.h"

/* VBAR offset of the vector group, for an exception from the current EL to el. */
static uint64_t vector_base_offset(const struct cpu_state *s, unsigned int el)
{
	if (cpu_current_el(s) < el)
		return 0x400;		/* lower EL, AArch64 */
	if (s->pstate & 1)
		return 0x200;		/* current EL with SP_ELx */
	return 0x000;			/* current EL with SP_EL0 */
}

/*
 * Where an exception that is not routed by a trap control goes: it stays
 * at EL2; from EL0 it goes to EL2 under HCR_EL2.TGE, else to EL1.
 * HCR_EL2 is 0 on a vCPU without EL2.
 */
static unsigned int default_target_el(const struct cpu_state *s)
{
	unsigned int el = cpu_current_el(s);

	if (el == 2 || (el == 0 && (s->sysreg[SR_HCR_EL2] & HCR_TGE)))
		return 2;
	return 1;
}

void cpu_take_exception_to(struct cpu_state *s, unsigned int el, enum cpu_vector vec,
			   uint64_t esr, uint64_t far, bool far_valid)
{
	uint64_t sctlr, old, pstate, vbar;

	nzcv_sync(s);
	old = s->pstate;

	if (el == 2) {
		sctlr = s->sysreg[SR_SCTLR_EL2];
		s->sysreg[SR_ELR_EL2] = s->pc;
		s->sysreg[SR_SPSR_EL2] = old;
		if (vec == CPU_VEC_SYNC || vec == CPU_VEC_SERROR)
			s->sysreg[SR_ESR_EL2] = esr;
		if (far_valid)
			s->sysreg[SR_FAR_EL2] = far;
		vbar = s->sysreg[SR_VBAR_EL2];
		/* NZCV, DIT and PAN carry over; in EL2&0 (E2H and TGE) PAN is
		 * set unless SCTLR_EL2.SPAN, as at EL1 */
		pstate = old & (PSR_NZCV_MASK | PSR_DIT_BIT | PSR_PAN_BIT);
		pstate |= PSR_MODE_EL2h | PSR_DAIF_MASK;
		if (cpu_e2h_tge(s) && !(sctlr & SCTLR_SPAN))
			pstate |= PSR_PAN_BIT;
	} else {
		sctlr = s->sysreg[SR_SCTLR_EL1];
		s->elr_el1 = s->pc;
		s->spsr[CPU_SPSR_EL1] = old;
		/* EL1 to EL1 under HCR_EL2.{NV2,NV1,NV} = {x,0,1} or {1,1,1}:
		 * SPSR_EL1.M says EL2 (the guest hypervisor's view; I_ZJRNN) */
		if (cpu_nv(s) && (s->sysreg[SR_HCR_EL2] & (HCR_NV1 | HCR_NV2)) != HCR_NV1)
			s->spsr[CPU_SPSR_EL1] = (old & ~0xcULL) | 0x8;
		if (vec == CPU_VEC_SYNC || vec == CPU_VEC_SERROR)
			s->sysreg[SR_ESR_EL1] = esr;
		if (far_valid)
			s->sysreg[SR_FAR_EL1] = far;
		vbar = s->sysreg[SR_VBAR_EL1];
		/* NZCV, DIT and (without SPAN) PAN carry over; the rest is reset. */
		pstate = old & (PSR_NZCV_MASK | PSR_DIT_BIT | PSR_PAN_BIT);
		pstate |= PSR_MODE_EL1h | PSR_DAIF_MASK;
		if (!(sctlr & SCTLR_SPAN))
			pstate |= PSR_PAN_BIT;
	}
	if (sctlr & SCTLR_DSSBS)
		pstate |= PSR_SSBS_BIT;
	/* FEAT_MTE: tag checks off until the handler clears TCO */
	if (mte_on(s))
		pstate |= PSR_TCO_BIT;
	/* IL, SS, UAO, BTYPE and ALLINT are cleared. */

	s->pc = (vbar & ~0x7ffULL) + vector_base_offset(s, el) + (uint64_t)vec;
	s->pstate = pstate;
}

void cpu_take_exception(struct cpu_state *s, enum cpu_vector vec,
			uint64_t esr, uint64_t far, bool far_valid)
{
	cpu_take_exception_to(s, default_target_el(s), vec, esr, far, far_valid);
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

/* A trap to EL2 (a HCR_EL2 control, HVC): ESR_EL2 ec and iss, at PC. */
int raise_sync_el2(struct cpu *c, unsigned int ec, uint32_t iss)
{
	cpu_take_exception_to(&c->state, 2, CPU_VEC_SYNC, esr_make(ec, iss), 0, false);
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

/*
 * The FP/AdvSIMD or SVE access trap r (SYSREG_FP_EL1/EL2, SYSREG_SVE_EL1/
 * EL2: cpu_fp_trap, cpu_sve_trap).  EC 0x07 with ConditionSyndrome() (CV
 * 1, COND 0xe), EC 0x19 with ISS 0; an FP trap meant for EL1 that
 * HCR_EL2.TGE routes from EL0 to EL2 is EC 0 (AArch64.AdvSIMDFPAccessTrap).
 */
int raise_fp_trap(struct cpu *c, int r)
{
	const struct cpu_state *s = &c->state;

	switch (r) {
	case SYSREG_FP_EL1:
		if (cpu_current_el(s) == 0 && (s->sysreg[SR_HCR_EL2] & HCR_TGE))
			return raise_sync_el2(c, EC_UNKNOWN, 0);
		return raise_sync(c, EC_FP_ASIMD, ESR_FP_ISS);
	case SYSREG_FP_EL2:
		return raise_sync_el2(c, EC_FP_ASIMD, ESR_FP_ISS);
	case SYSREG_SVE_EL1:
		return raise_sync(c, EC_SVE, 0);
	default:
		return raise_sync_el2(c, EC_SVE, 0);
	}
}

/* FP/AdvSIMD at the current EL (cpu_fp_trap); false: its trap was taken. */
bool fp_access_ok(struct cpu *c)
{
	int r = cpu_fp_trap(&c->state);

	if (likely(r == SYSREG_OK))
		return true;
	raise_fp_trap(c, r);
	return false;
}
