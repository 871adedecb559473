// SPDX-License-Identifier: GPL-2.0
/*
 * Branches, exception generation and exception return (Arm ARM C4.1.65).
 */
#include "internal.h"

static bool prep_imm26(struct dinsn *d)
{
	d->imm = sext((uint64_t)FIELD(d->insn, 25, 0) << 2, 28);
	return true;
}

static bool prep_imm19(struct dinsn *d)
{
	d->imm = sext((uint64_t)FIELD(d->insn, 23, 5) << 2, 21);
	return true;
}

/* B.cond: aux is the condition's mask over NZCV values (cond_table) */
static bool prep_bcond(struct dinsn *d)
{
	prep_imm19(d);
	d->aux = cond_table[FIELD(d->insn, 3, 0)];
	return true;
}

static bool prep_imm14(struct dinsn *d)
{
	d->imm = sext((uint64_t)FIELD(d->insn, 18, 5) << 2, 16);
	d->aux = (BIT(d->insn, 31) << 5) | FIELD(d->insn, 23, 19);
	return true;
}

static int jump(struct cpu *c, uint64_t target)
{
	c->state.pc = branch_addr(&c->state, target);
	return EXEC_BRANCH;
}

static int exec_B(struct cpu *c, const struct dinsn *d)
{
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static int exec_BL(struct cpu *c, const struct dinsn *d)
{
	c->state.x[30] = c->state.pc + 4;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static inline bool b_cond_holds(struct cpu *c, const struct dinsn *d)
{
	nzcv_sync(&c->state);
	return (d->aux >> ((c->state.pstate >> 28) & 0xf)) & 1;
}

static int exec_B_cond(struct cpu *c, const struct dinsn *d)
{
	if (!b_cond_holds(c, d))
		return EXEC_NEXT;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static inline uint64_t cb_value(const struct cpu *c, const struct dinsn *d)
{
	uint64_t v = xreg(&c->state, d->rd);

	return BIT(d->insn, 31) ? v : (uint32_t)v;
}

static int exec_CBZ(struct cpu *c, const struct dinsn *d)
{
	if (cb_value(c, d))
		return EXEC_NEXT;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static int exec_CBNZ(struct cpu *c, const struct dinsn *d)
{
	if (!cb_value(c, d))
		return EXEC_NEXT;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static int exec_TBZ(struct cpu *c, const struct dinsn *d)
{
	if ((xreg(&c->state, d->rd) >> d->aux) & 1)
		return EXEC_NEXT;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

static int exec_TBNZ(struct cpu *c, const struct dinsn *d)
{
	if (!((xreg(&c->state, d->rd) >> d->aux) & 1))
		return EXEC_NEXT;
	c->state.pc += (uint64_t)d->imm;
	return EXEC_BRANCH;
}

/* PC-relative branches: PC is stored only when the chain leaves the page */
#define THREADED_REL(name, taken)						\
static __attribute__((flatten)) int name##_t(struct cpu *c, const struct dinsn *d) \
{										\
	if (!(taken))								\
		return thread_leave(c, d, EXEC_NEXT, true);			\
	return thread_branch_rel(c, d, d->imm);				\
}

THREADED_REL(exec_B, true)
THREADED_REL(exec_B_cond, b_cond_holds(c, d))
THREADED_REL(exec_CBZ, !cb_value(c, d))
THREADED_REL(exec_CBNZ, cb_value(c, d))
THREADED_REL(exec_TBZ, !((xreg(&c->state, d->rd) >> d->aux) & 1))
THREADED_REL(exec_TBNZ, (xreg(&c->state, d->rd) >> d->aux) & 1)

static int exec_BR(struct cpu *c, const struct dinsn *d)
{
	jump(c, xreg(&c->state, d->rn));
	return bti_branch(c, d->rn, false);
}

static int exec_BLR(struct cpu *c, const struct dinsn *d)
{
	uint64_t target = xreg(&c->state, d->rn);

	c->state.x[30] = c->state.pc + 4;
	jump(c, target);
	return bti_branch(c, d->rn, true);
}

static int exec_RET(struct cpu *c, const struct dinsn *d)
{
	return jump(c, xreg(&c->state, d->rn));
}

/* SPSR bits that exist in this implementation's PSTATE */
#define SPSR_VALID	(PSR_NZCV_MASK | PSR_DAIF_MASK | PSR_PAN_BIT | PSR_UAO_BIT | \
			 PSR_DIT_BIT | PSR_SSBS_BIT | PSR_IL_BIT | PSR_MODE_MASK | \
			 PSR_MODE32_BIT | PSR_BTYPE_MASK | PSR_TCO_BIT)

/* AArch64.ExceptionReturn to target, with the illegal-return checks of D1.4
 * (ERET, ERETAA, ERETAB at EL1 or EL2): SPSR of the current EL. */
int exception_return(struct cpu *c, uint64_t target)
{
	struct cpu_state *s = &c->state;
	unsigned int el = cpu_current_el(s);
	uint64_t spsr = el == 2 ? s->sysreg[SR_SPSR_EL2] : s->spsr[CPU_SPSR_EL1];
	uint64_t mode = spsr & PSR_MODE_MASK, pstate;
	bool illegal;

	illegal = (spsr & PSR_MODE32_BIT) ||
		  !(mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t ||
		    mode == PSR_MODE_EL1h ||
		    (el == 2 && (mode == PSR_MODE_EL2t || mode == PSR_MODE_EL2h)));
	/* to EL1 while HCR_EL2.TGE routes EL1's exceptions to EL2 (E2H 0) */
	if (el == 2 && (mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h) &&
	    (s->sysreg[SR_HCR_EL2] & HCR_TGE))
		illegal = true;
	pstate = spsr & SPSR_VALID & ~PSR_MODE32_BIT;
	if (!mte_on(s))
		pstate &= ~PSR_TCO_BIT;		/* RES0 without FEAT_MTE */
	/* BTYPE: RES0 without FEAT_BTI, UNKNOWN after an illegal return (0, as QEMU) */
	if (!bti_on(s) || illegal)
		pstate &= ~PSR_BTYPE_MASK;
	if (illegal)
		pstate = (pstate & ~PSR_MODE_MASK) | (s->pstate & PSR_MODE_MASK) |
			 PSR_IL_BIT;
	pstate |= dbg_eret_ss(c, spsr, (unsigned int)(pstate >> 2) & 3);
	s->pstate = pstate;
	s->nzcv_op = NZCV_EAGER;	/* NZCV from SPSR */
	c->th_sync = true;		/* context synchronization */
	excl_clear(c);
	c->engine->event = true;
	s->pc = branch_addr(s, target);
	return EXEC_JUMP;
}

static int exec_ERET(struct cpu *c, const struct dinsn *d)
{
	if (cpu_current_el(&c->state) == 0)
		return raise_undef(c);
	if (cpu_nv(&c->state))		/* FEAT_NV: EC 0x1a, ISS ERET 0 */
		return raise_sync_el2(c, EC_ERET, 0);
	return exception_return(c, eret_elr(&c->state));
}

static int exec_SVC(struct cpu *c, const struct dinsn *d)
{
	c->state.pc += 4;	/* preferred return: the next instruction */
	dbg_ss_advance(c, d->insn);	/* SVC is stepped: SPSR_EL1.SS = 0 */
	return raise_sync(c, EC_SVC64, FIELD(d->insn, 20, 5));
}

/*
 * HVC at EL1 goes to the backend (KVM's EL2) with PC past it.  On a vCPU
 * with EL2 it is the guest hypervisor's: an exception to EL2 (EC 0x16,
 * ELR past it), UNDEFINED under HCR_EL2.HCD.
 */
static int exec_HVC(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (cpu_current_el(s) == 0)
		return raise_undef(c);
	if (el2_on(s)) {
		if (s->sysreg[SR_HCR_EL2] & HCR_HCD)
			return raise_undef(c);
		s->pc += 4;
		return raise_sync_el2(c, EC_HVC64, FIELD(d->insn, 20, 5));
	}
	s->pc += 4;
	engine_exit(c, CPU_EXIT_HVC, esr_make(EC_HVC64, FIELD(d->insn, 20, 5)));
	return EXEC_STOP;
}

/*
 * SMC goes to the backend (EL3's firmware: PSCI), but from EL1 under
 * HCR_EL2.TSC it traps to EL2 (EC 0x17, ELR the SMC itself).
 */
static int exec_SMC(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int el = cpu_current_el(s);

	if (el == 0)
		return raise_undef(c);
	if (el == 1 && (s->sysreg[SR_HCR_EL2] & HCR_TSC))
		return raise_sync_el2(c, EC_SMC64, FIELD(d->insn, 20, 5));
	s->pc += 4;
	engine_exit(c, CPU_EXIT_SMC, esr_make(EC_SMC64, FIELD(d->insn, 20, 5)));
	return EXEC_STOP;
}

static int exec_BRK(struct cpu *c, const struct dinsn *d)
{
	if (c->host_debug.sw_bp)	/* KVM_GUESTDBG_USE_SW_BP: to userspace */
		return dbg_host_brk(c, d->insn);
	return dbg_raise_brk(c, FIELD(d->insn, 20, 5));
}

#define INSN_CLASS	branch
#define INSN_DEF	"insn/branch.def"
#include "a64_table.h"
