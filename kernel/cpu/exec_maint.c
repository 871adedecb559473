// SPDX-License-Identifier: GPL-2.0
/*
 * SYS instructions: data and instruction cache maintenance (DC, IC), TLB
 * maintenance (TLBI) and address translation (AT).
 *
 * Caches: the engine has no data caches and CTR_EL0 advertises IDC=1 and
 * DIC=1, and decoded code is checked against memory at every execution, so
 * DC and IC only have to fault where the architecture says they may: a DC
 * by VA on an address that does not translate faults like a load (DC IVAC
 * like a store), reporting CM=1 and WnR=1; outside memory it exits as a
 * stage-2 abort with CM=1 (KVM skips it).  Set/way operations are no-ops.
 *
 * TLBI: the TLB is not ASID-tagged (see mem.c), so by-ASID forms flush all;
 * inner-shareable forms also bump the VM's tlbi_gen, which every vCPU of
 * the VM compares at each block boundary and flushes on.
 */
#include "internal.h"

int raise_sys_trap(struct cpu *c, uint32_t insn);

#define SYSOP(op1, crn, crm, op2)	(((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* DC ZVA: DCZID_EL0.BS = 4, 64-byte blocks */
#define ZVA_BLOCK	64

enum sys_kind {
	SYS_DC_ZVA, SYS_DC_VA, SYS_DC_IVAC, SYS_DC_SW, SYS_IC_ALL, SYS_IC_IVAU,
	SYS_AT, SYS_TLBI_ALL, SYS_TLBI_VA, SYS_TLBI_ASID,
};

struct sys_op {
	uint32_t enc;
	uint8_t kind;
	bool el0;		/* may be executed at EL0 (subject to SCTLR traps) */
	bool is;		/* inner shareable broadcast */
};

static const struct sys_op sys_ops[] = {
	{ SYSOP(3, 7, 4, 1), SYS_DC_ZVA, true, false },
	{ SYSOP(0, 7, 6, 1), SYS_DC_IVAC, false, false },
	{ SYSOP(0, 7, 6, 2), SYS_DC_SW, false, false },		/* ISW */
	{ SYSOP(0, 7, 10, 2), SYS_DC_SW, false, false },	/* CSW */
	{ SYSOP(0, 7, 14, 2), SYS_DC_SW, false, false },	/* CISW */
	{ SYSOP(3, 7, 10, 1), SYS_DC_VA, true, false },		/* CVAC */
	{ SYSOP(3, 7, 11, 1), SYS_DC_VA, true, false },		/* CVAU */
	{ SYSOP(3, 7, 12, 1), SYS_DC_VA, true, false },		/* CVAP (FEAT_DPB) */
	{ SYSOP(3, 7, 14, 1), SYS_DC_VA, true, false },		/* CIVAC */
	{ SYSOP(0, 7, 1, 0), SYS_IC_ALL, false, false },	/* IALLUIS */
	{ SYSOP(0, 7, 5, 0), SYS_IC_ALL, false, false },	/* IALLU */
	{ SYSOP(3, 7, 5, 1), SYS_IC_IVAU, true, false },
	{ SYSOP(0, 7, 8, 0), SYS_AT, false, false },		/* S1E1R */
	{ SYSOP(0, 7, 8, 1), SYS_AT, false, false },		/* S1E1W */
	{ SYSOP(0, 7, 8, 2), SYS_AT, false, false },		/* S1E0R */
	{ SYSOP(0, 7, 8, 3), SYS_AT, false, false },		/* S1E0W */
	{ SYSOP(0, 8, 3, 0), SYS_TLBI_ALL, false, true },	/* VMALLE1IS */
	{ SYSOP(0, 8, 3, 1), SYS_TLBI_VA, false, true },	/* VAE1IS */
	{ SYSOP(0, 8, 3, 2), SYS_TLBI_ASID, false, true },	/* ASIDE1IS */
	{ SYSOP(0, 8, 3, 3), SYS_TLBI_VA, false, true },	/* VAAE1IS */
	{ SYSOP(0, 8, 3, 5), SYS_TLBI_VA, false, true },	/* VALE1IS */
	{ SYSOP(0, 8, 3, 7), SYS_TLBI_VA, false, true },	/* VAALE1IS */
	{ SYSOP(0, 8, 7, 0), SYS_TLBI_ALL, false, false },	/* VMALLE1 */
	{ SYSOP(0, 8, 7, 1), SYS_TLBI_VA, false, false },	/* VAE1 */
	{ SYSOP(0, 8, 7, 2), SYS_TLBI_ASID, false, false },	/* ASIDE1 */
	{ SYSOP(0, 8, 7, 3), SYS_TLBI_VA, false, false },	/* VAAE1 */
	{ SYSOP(0, 8, 7, 5), SYS_TLBI_VA, false, false },	/* VALE1 */
	{ SYSOP(0, 8, 7, 7), SYS_TLBI_VA, false, false },	/* VAALE1 */
};

static bool prep_sys(struct dinsn *d)
{
	uint32_t enc = FIELD(d->insn, 18, 5);
	unsigned int i;

	for (i = 0; i < sizeof(sys_ops) / sizeof(sys_ops[0]); i++)
		if (sys_ops[i].enc == enc) {
			d->aux = i;
			return true;
		}
	return false;
}

void tlbi_broadcast(struct cpu *c)
{
	atomic_fetch_add_explicit(&c->vm->tlbi_gen, 1, memory_order_release);
}

/* Cache maintenance by VA: translate (no data moves); fault as the rules say. */
static int dc_va(struct cpu *c, uint64_t va, bool inval)
{
	uint32_t acc = ESR_CM | (inval ? (ACC_RMW | ACC_WRITE) : 0);

	if (!mem_host_ptr(c, va & ~(uint64_t)(ZVA_BLOCK - 1), 1, acc))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int dc_zva(struct cpu *c, uint64_t va)
{
	uint64_t base = va & ~(uint64_t)(ZVA_BLOCK - 1);
	uint8_t *h = mem_host_ptr(c, base, ZVA_BLOCK, ACC_WRITE | ACC_DEVFAULT);

	if (!h)
		return EXEC_STOP;
	memset(h, 0, ZVA_BLOCK);
	return EXEC_NEXT;
}

static uint64_t par_success(const struct s1_result *r)
{
	/* SH: Device and Non-cacheable memory report Outer Shareable */
	uint64_t sh = (r->device || (r->attr & 0xf0) == 0x40) ? 2 : r->sh;

	return ((uint64_t)r->attr << 56) | (r->pa & 0x0000fffffffff000ULL) | (sh << 7);
}

static uint64_t par_fault(const struct s1_result *r)
{
	/* F=1, FST, bit 11 RES1 */
	return (1ULL << 11) | ((uint64_t)(r->fsc & 0x3f) << 1) | 1;
}

static int at(struct cpu *c, unsigned int op2, uint64_t va)
{
	struct cpu_state *s = &c->state;
	enum mmu_idx idx = op2 >= 2 ? MMU_EL0 : MMU_EL1;	/* no PAN2: ignore PAN */
	uint32_t acc = (op2 & 1) ? ACC_WRITE : 0;
	struct s1_result r;

	if (mem_probe(c, va, idx, acc, &r))
		s->sysreg[SR_PAR_EL1] = par_fault(&r);
	else
		s->sysreg[SR_PAR_EL1] = par_success(&r);
	return EXEC_NEXT;
}

static int sys(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	const struct sys_op *op = &sys_ops[d->aux];
	uint64_t xt = xreg(s, d->rd), sctlr = s->sysreg[SR_SCTLR_EL1];
	int ret = EXEC_NEXT;

	if (cpu_current_el(s) == 0) {
		if (!op->el0)
			return raise_undef(c);
		if (op->kind == SYS_DC_ZVA ? !(sctlr & SCTLR_DZE) : !(sctlr & SCTLR_UCI))
			return raise_sys_trap(c, d->insn);
	}
	switch (op->kind) {
	case SYS_DC_ZVA:
		ret = dc_zva(c, va_untag(s, xt, false));
		break;
	case SYS_DC_VA:
	case SYS_IC_IVAU:
		ret = dc_va(c, va_untag(s, xt, false), false);
		break;
	case SYS_DC_IVAC:
		ret = dc_va(c, va_untag(s, xt, false), true);
		break;
	case SYS_DC_SW:
	case SYS_IC_ALL:
		break;
	case SYS_AT:
		ret = at(c, FIELD(d->insn, 7, 5), xt);
		break;
	case SYS_TLBI_VA:
		tlb_flush_va(c, (uint64_t)sext((xt & 0xfffffffffffULL) << 12, 56));
		if (op->is)
			tlbi_broadcast(c);
		break;
	case SYS_TLBI_ALL:
	case SYS_TLBI_ASID:
		tlb_flush_all(c);
		if (op->is)
			tlbi_broadcast(c);
		break;
	}
	return ret;
}

static const struct insn_pattern maint_patterns[] = {
	PAT(0xfff80000, 0xd5080000, sys, prep_sys),
};

const struct insn_table maint_insns = PAT_TABLE(maint_patterns);
