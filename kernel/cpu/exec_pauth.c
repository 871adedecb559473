// SPDX-License-Identifier: GPL-2.0
/*
 * Pointer authentication instructions (FEAT_PAuth), as rows
 * (insn/pauth.def): PAC*, AUT*, XPAC*, PACGA, the authenticating branches
 * and LDRAA/LDRAB.  The cipher and AddPAC/Auth/Strip are in pauth.c.
 *
 * A vCPU without KVM_ARM_VCPU_PTRAUTH_* (pauth_on() false) has no
 * FEAT_PAuth: the HINT-space forms execute as NOP (C6.2 HINT), the others
 * are UNDEFINED.  With it, SCTLR_EL1.EnIA/EnIB/EnDA/EnDB turn each key on:
 * with its key off, PAC and AUT return the pointer unchanged (AddPACIA,
 * AuthIA...).  PACGA and XPAC have no enable.  On a vCPU with EL2,
 * HCR_EL2.API clear traps EL0's and EL1's use of a key (pac_trap).
 */
#include "internal.h"
#include "pauth.h"

#define SCTLR_ENIA	(1ULL << 31)
#define SCTLR_ENIB	(1ULL << 30)
#define SCTLR_ENDA	(1ULL << 27)
#define SCTLR_ENDB	(1ULL << 13)

/* A key: its slots, its enable, whether it signs data, whether it is a B key */
struct pac_use {
	unsigned int slot;
	uint64_t enable;
	bool data, key_b;
};

static const struct pac_use key_ia = { SR_APIAKEYLO_EL1, SCTLR_ENIA, false, false };
static const struct pac_use key_ib = { SR_APIBKEYLO_EL1, SCTLR_ENIB, false, true };
static const struct pac_use key_da = { SR_APDAKEYLO_EL1, SCTLR_ENDA, true, false };
static const struct pac_use key_db = { SR_APDBKEYLO_EL1, SCTLR_ENDB, true, true };

static inline bool key_enabled(const struct cpu_state *s, const struct pac_use *u)
{
	return cur_sctlr(s) & u->enable;
}

/*
 * TrapPACUse(EL2): on a vCPU with EL2, HCR_EL2.API clear traps EL0's and
 * EL1's use of an enabled key (and PACGA, which has no enable) to EL2
 * with EC 0x09, ISS 0.  True when it trapped.
 */
static inline bool pac_traps(const struct cpu_state *s, const struct pac_use *u)
{
	return !(likely(!el2_on(s)) || cpu_in_el2_regime(s) ||
		 (s->sysreg[SR_HCR_EL2] & HCR_API) || (u && !key_enabled(s, u)));
}

static bool pac_trap(struct cpu *c, const struct pac_use *u)
{
	if (!pac_traps(&c->state, u))
		return false;
	raise_sync_el2(c, EC_PAC, 0);
	return true;
}

/* AddPACxx: the pointer signed, or unchanged with the key disabled */
static uint64_t add_pac(const struct cpu_state *s, const struct pac_use *u,
			uint64_t ptr, uint64_t modifier)
{
	if (!key_enabled(s, u))
		return ptr;
	return pac_op(s, (u->data ? PAC_OP_DATA : 0) | (u->key_b ? PAC_OP_KEY_B : 0),
		      ptr, modifier, pac_key_of(s, u->slot));
}

/* AuthXX: the pointer authenticated, or unchanged with the key disabled */
static uint64_t auth(const struct cpu_state *s, const struct pac_use *u,
		     uint64_t ptr, uint64_t modifier)
{
	if (!key_enabled(s, u))
		return ptr;
	return pac_op(s, PAC_OP_AUTH | (u->data ? PAC_OP_DATA : 0) | (u->key_b ? PAC_OP_KEY_B : 0),
		      ptr, modifier, pac_key_of(s, u->slot));
}

/* Xn, or SP for register 31 (the modifier of PACIA <Xd>, <Xn|SP> ...) */
static inline uint64_t xreg_or_sp(struct cpu_state *s, unsigned int n)
{
	return n == 31 ? *spp(s) : s->x[n];
}

/* ---- data processing ---------------------------------------------------------- */

static inline int pac_dp(struct cpu *c, const struct dinsn *d, const struct pac_use *u,
			 bool aut, bool zero)
{
	struct cpu_state *s = &c->state;
	uint64_t mod, ptr;

	if (!pauth_on(s))
		return raise_undef(c);
	if (pac_trap(c, u))
		return EXEC_STOP;
	mod = zero ? 0 : xreg_or_sp(s, d->rn);
	ptr = xreg(s, d->rd);
	set_xreg(s, d->rd, aut ? auth(s, u, ptr, mod) : add_pac(s, u, ptr, mod));
	return EXEC_NEXT;
}

#define PAC_DP(name, key, aut, zero)					\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	return pac_dp(c, d, &key, aut, zero);				\
}
PAC_DP(PACIA, key_ia, false, false)
PAC_DP(PACIB, key_ib, false, false)
PAC_DP(PACDA, key_da, false, false)
PAC_DP(PACDB, key_db, false, false)
PAC_DP(AUTIA, key_ia, true, false)
PAC_DP(AUTIB, key_ib, true, false)
PAC_DP(AUTDA, key_da, true, false)
PAC_DP(AUTDB, key_db, true, false)
PAC_DP(PACIZA, key_ia, false, true)
PAC_DP(PACIZB, key_ib, false, true)
PAC_DP(PACDZA, key_da, false, true)
PAC_DP(PACDZB, key_db, false, true)
PAC_DP(AUTIZA, key_ia, true, true)
PAC_DP(AUTIZB, key_ib, true, true)
PAC_DP(AUTDZA, key_da, true, true)
PAC_DP(AUTDZB, key_db, true, true)

static inline int xpac(struct cpu *c, const struct dinsn *d, bool data)
{
	struct cpu_state *s = &c->state;

	if (!pauth_on(s))
		return raise_undef(c);
	set_xreg(s, d->rd, pac_strip(s, xreg(s, d->rd), data));
	return EXEC_NEXT;
}

static int exec_XPACI(struct cpu *c, const struct dinsn *d)
{
	return xpac(c, d, false);
}

static int exec_XPACD(struct cpu *c, const struct dinsn *d)
{
	return xpac(c, d, true);
}

/* PACGA Xd, Xn, Xm|SP: the top half of the PAC of Xn with the generic key */
static int exec_PACGA(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t pac;

	if (!pauth_on(s))
		return raise_undef(c);
	if (pac_trap(c, NULL))
		return EXEC_STOP;
	pac = pac_compute(xreg(s, d->rn), xreg_or_sp(s, d->rm),
			  pac_key_of(s, SR_APGAKEYLO_EL1));
	set_xreg(s, d->rd, pac & 0xffffffff00000000ULL);
	return EXEC_NEXT;
}

/* ---- hints: X17 with X16, or X30 with 0 or SP; NOP without FEAT_PAuth -------- */

/* THREADED_NOPC entries (insn/pauth.def): PC is stored before the trap */
static inline int pac_hint(struct cpu *c, const struct dinsn *d, const struct pac_use *u,
			   unsigned int rd, uint64_t mod, bool aut)
{
	struct cpu_state *s = &c->state;

	if (!pauth_on(s))
		return EXEC_NEXT;
	if (unlikely(pac_traps(s, u))) {
		thread_sync_pc(c, d);
		raise_sync_el2(c, EC_PAC, 0);
		return EXEC_STOP;
	}
	s->x[rd] = aut ? auth(s, u, s->x[rd], mod) : add_pac(s, u, s->x[rd], mod);
	return EXEC_NEXT;
}

#define PAC_HINT(name, key, rd, mod, aut)				\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	return pac_hint(c, d, &key, rd, mod, aut);				\
}
PAC_HINT(PACIA1716, key_ia, 17, c->state.x[16], false)
PAC_HINT(PACIB1716, key_ib, 17, c->state.x[16], false)
PAC_HINT(AUTIA1716, key_ia, 17, c->state.x[16], true)
PAC_HINT(AUTIB1716, key_ib, 17, c->state.x[16], true)
PAC_HINT(PACIAZ, key_ia, 30, 0, false)
PAC_HINT(PACIBZ, key_ib, 30, 0, false)
PAC_HINT(AUTIAZ, key_ia, 30, 0, true)
PAC_HINT(AUTIBZ, key_ib, 30, 0, true)
PAC_HINT(PACIASP, key_ia, 30, *spp(&c->state), false)
PAC_HINT(PACIBSP, key_ib, 30, *spp(&c->state), false)
PAC_HINT(AUTIASP, key_ia, 30, *spp(&c->state), true)
PAC_HINT(AUTIBSP, key_ib, 30, *spp(&c->state), true)

static int exec_XPACLRI(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (pauth_on(s))
		s->x[30] = pac_strip(s, s->x[30], false);
	return EXEC_NEXT;
}

/* ---- branches ----------------------------------------------------------------- */

/*
 * BRAA, BLRAA, RETAA...: the target authenticated (a failure leaves the
 * error code in it, and the fetch there faults), the link written after
 * the target was read.
 */
static inline int branch_auth(struct cpu *c, const struct pac_use *u, uint64_t target,
			      uint64_t mod, bool link)
{
	struct cpu_state *s = &c->state;

	if (!pauth_on(s))
		return raise_undef(c);
	if (pac_trap(c, u))
		return EXEC_STOP;
	target = auth(s, u, target, mod);
	if (link)
		s->x[30] = s->pc + 4;
	s->pc = branch_addr(s, target);
	return EXEC_BRANCH;
}

#define BR_AUTH(name, key, mod, link)					\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	int r = branch_auth(c, &key, xreg(&c->state, d->rn), mod, link);	\
									\
	return r == EXEC_BRANCH ? bti_branch(c, d->rn, link) : r;	\
}
BR_AUTH(BRAAZ, key_ia, 0, false)
BR_AUTH(BRABZ, key_ib, 0, false)
BR_AUTH(BLRAAZ, key_ia, 0, true)
BR_AUTH(BLRABZ, key_ib, 0, true)
BR_AUTH(BRAA, key_ia, xreg_or_sp(&c->state, d->rd), false)
BR_AUTH(BRAB, key_ib, xreg_or_sp(&c->state, d->rd), false)
BR_AUTH(BLRAA, key_ia, xreg_or_sp(&c->state, d->rd), true)
BR_AUTH(BLRAB, key_ib, xreg_or_sp(&c->state, d->rd), true)

/* RETAA/RETAB: X30 with SP as the modifier (Rn is 11111 in the encoding) */
static int exec_RETAA(struct cpu *c, const struct dinsn *d)
{
	return branch_auth(c, &key_ia, c->state.x[30], *spp(&c->state), false);
}

static int exec_RETAB(struct cpu *c, const struct dinsn *d)
{
	return branch_auth(c, &key_ib, c->state.x[30], *spp(&c->state), false);
}

/* ERETAA/ERETAB: ELR_EL1 (ELR_EL2 at EL2) authenticated with SP as the modifier */
static inline int eret_auth(struct cpu *c, const struct pac_use *u)
{
	struct cpu_state *s = &c->state;

	if (!pauth_on(s) || cpu_current_el(s) == 0)
		return raise_undef(c);
	/* FEAT_NV: EC 0x1a, ISS ERET 1 and ERETA the key (B: 1), before TrapPACUse */
	if (cpu_nv(s))
		return raise_sync_el2(c, EC_ERET, 2 | (u != &key_ia));
	if (pac_trap(c, u))
		return EXEC_STOP;
	return exception_return(c, auth(s, u, eret_elr(s), *spp(s)));
}

static int exec_ERETAA(struct cpu *c, const struct dinsn *d)
{
	return eret_auth(c, &key_ia);
}

static int exec_ERETAB(struct cpu *c, const struct dinsn *d)
{
	return eret_auth(c, &key_ib);
}

/* ---- LDRAA, LDRAB ------------------------------------------------------------- */

/* imm: S:imm9 << 3; aux: the access (a syndrome unless it writes back) */
static bool prep_ldra(struct dinsn *d)
{
	bool wback = BIT(d->insn, 11);

	d->imm = sext(((uint64_t)BIT(d->insn, 22) << 9 | FIELD(d->insn, 20, 12)) << 3, 13);
	d->aux = wback ? 0 : acc_iss(3, d->rd, false, true, false, false);
	return true;
}

static inline int ldra(struct cpu *c, const struct dinsn *d, const struct pac_use *u)
{
	struct cpu_state *s = &c->state;
	uint64_t addr, v;

	if (!pauth_on(s))
		return raise_undef(c);
	if (pac_trap(c, u))
		return EXEC_STOP;
	addr = auth(s, u, xreg_or_sp(s, d->rn), 0);
	if (d->rn == 31 && (addr & 15) &&
	    (cur_sctlr(s) & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0)))
		return raise_sync(c, EC_SP_ALIGN, 0);
	addr += (uint64_t)d->imm;
	if (mem_read(c, addr, 8, (uint32_t)d->aux, &v))
		return EXEC_STOP;
	set_xreg(s, d->rd, v);
	if (BIT(d->insn, 11))
		set_xreg_sp(s, d->rn, addr);
	return EXEC_NEXT;
}

static int exec_LDRAA(struct cpu *c, const struct dinsn *d)
{
	return ldra(c, d, &key_da);
}

static int exec_LDRAB(struct cpu *c, const struct dinsn *d)
{
	return ldra(c, d, &key_db);
}

#define INSN_CLASS	pauth
#define INSN_DEF	"insn/pauth.def"
#include "a64_table.h"
