// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_MTE2 instructions, as rows (insn/mte.def): IRG, GMI, SUBP(S),
 * ADDG, SUBG; the tag loads and stores LDG, STG, STZG, ST2G, STZ2G, STGP
 * and, at EL1, LDGM, STGM, STZGM; DC GVA and DC GZVA; MSR TCO, #imm.  The
 * tags and the Tag Check are in mte_tags.c.
 *
 * A vCPU without MTE (mte_on() false) finds them all UNDEFINED.  Tag
 * loads and stores are Tag Unchecked; they translate like a load (LDG,
 * LDGM) or a store (the rest), and where the page is not Tagged or
 * SCTLR_EL1.ATA (ATA0 at EL0) is 0, tags read as 0 and tag writes are
 * ignored (AArch64.MemTag).  A tag store's address must be 16-byte
 * aligned (an Alignment fault otherwise); LDG aligns it down.
 */
#include "internal.h"

/* DCZID_EL0.BS = 4: DC GVA, DC GZVA and STZGM cover 64 bytes */
#define MTE_ZVA_BLOCK	64u

static inline unsigned int cur_el(const struct cpu *c)
{
	return cpu_current_el(&c->state);
}

/* GCR_EL1.Exclude */
static inline uint16_t gcr_exclude(const struct cpu_state *s)
{
	return (uint16_t)s->sysreg[SR_GCR_EL1];
}

/* ---- tag arithmetic --------------------------------------------------------------- */

static int exec_IRG(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t op = xreg_sp(s, d->rn);
	uint16_t exclude = (uint16_t)xreg(s, d->rm) | gcr_exclude(s);
	unsigned int rtag = 0;

	if (!mte_on(s))
		return raise_undef(c);
	if (mte_ata(s, cur_el(c))) {
		/*
		 * GCR_EL1.RRND = 1: the tag is IMPLEMENTATION DEFINED; the
		 * same LFSR, from a seed of 1 where RGSR_EL1 holds none
		 */
		if ((s->sysreg[SR_GCR_EL1] >> 16 & 1) && !(s->sysreg[SR_RGSR_EL1] >> 8 & 0xffff))
			s->sysreg[SR_RGSR_EL1] |= 1ULL << 8;
		rtag = mte_choose_tag((unsigned int)s->sysreg[SR_RGSR_EL1] & 0xf,
				      mte_random_tag(s), exclude);
		s->sysreg[SR_RGSR_EL1] = (s->sysreg[SR_RGSR_EL1] & ~0xfULL) | rtag;
	}
	set_xreg_sp(s, d->rd, mte_with_tag(op, rtag));
	return EXEC_NEXT;
}

static int exec_GMI(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (!mte_on(s))
		return raise_undef(c);
	set_xreg(s, d->rd, xreg(s, d->rm) | 1ULL << mte_addr_tag(xreg_sp(s, d->rn)));
	return EXEC_NEXT;
}

/* SUBP(S): the difference of two 56-bit addresses, sign-extended */
static uint64_t subp(struct cpu_state *s, const struct dinsn *d, uint64_t *a, uint64_t *b)
{
	*a = (uint64_t)sext(xreg_sp(s, d->rn), 56);
	*b = (uint64_t)sext(xreg_sp(s, d->rm), 56);
	return *a - *b;
}

static int exec_SUBP(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t a, b;

	if (!mte_on(s))
		return raise_undef(c);
	set_xreg(s, d->rd, subp(s, d, &a, &b));
	return EXEC_NEXT;
}

static int exec_SUBPS(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t a, b, r;
	uint64_t n, z, cf, v;

	if (!mte_on(s))
		return raise_undef(c);
	r = subp(s, d, &a, &b);
	/* AddWithCarry(a, NOT b, 1) */
	n = r >> 63;
	z = r == 0;
	cf = a >= b;
	v = ((a ^ b) & (a ^ r)) >> 63;
	set_nzcv(s, n << 31 | z << 30 | cf << 29 | v << 28);
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

/* ADDG, SUBG: Xd|SP = Xn|SP +- uimm6 * 16, its tag stepped uimm4 times */
static int addg(struct cpu *c, const struct dinsn *d, bool sub)
{
	struct cpu_state *s = &c->state;
	uint64_t op = xreg_sp(s, d->rn), off = (uint64_t)FIELD(d->insn, 21, 16) << 4;
	unsigned int rtag = 0;

	if (!mte_on(s))
		return raise_undef(c);
	if (mte_ata(s, cur_el(c)))
		rtag = mte_choose_tag(mte_addr_tag(op), FIELD(d->insn, 13, 10), gcr_exclude(s));
	set_xreg_sp(s, d->rd, mte_with_tag(sub ? op - off : op + off, rtag));
	return EXEC_NEXT;
}

static int exec_ADDG(struct cpu *c, const struct dinsn *d)
{
	return addg(c, d, false);
}

static int exec_SUBG(struct cpu *c, const struct dinsn *d)
{
	return addg(c, d, true);
}

/* ---- tag loads and stores --------------------------------------------------------- */

/* imm9 * 16; op2 in aux: 1 post-index, 2 signed offset, 3 pre-index (0: not here) */
static bool prep_tag_st(struct dinsn *d)
{
	d->aux = FIELD(d->insn, 11, 10);
	d->imm = sext(FIELD(d->insn, 20, 12), 9) * 16;
	/* LDG's row is op2 = 00 alone; the stores' rows take 01, 10, 11 */
	return (d->insn & 0xffe00c00) == 0xd9600000 || d->aux;
}

/* STGP: imm7 * 16; Rt2 in ra */
static bool prep_stgp(struct dinsn *d)
{
	d->imm = sext(FIELD(d->insn, 21, 15), 7) * 16;
	return true;
}

/* The address of a post-index (1), offset (2) or pre-index (3) form */
static inline uint64_t idx_addr(struct cpu_state *s, const struct dinsn *d, unsigned int op2)
{
	uint64_t base = xreg_sp(s, d->rn);

	return op2 == 1 ? base : base + (uint64_t)d->imm;
}

static inline void idx_writeback(struct cpu_state *s, const struct dinsn *d, unsigned int op2,
				 uint64_t addr)
{
	if (op2 == 1)
		set_xreg_sp(s, d->rn, addr + (uint64_t)d->imm);
	else if (op2 == 3)
		set_xreg_sp(s, d->rn, addr);
}

static int tag_align_fault(struct cpu *c, uint64_t va)
{
	raise_data_abort(c, va, ACC_WRITE, FSC_ALIGN);
	return EXEC_STOP;
}

/*
 * Store tag to the n granules at va (16-byte aligned, in one page), and
 * zeroes to their data with zero: 0, or -1 on a fault or exit.
 */
static int tag_store(struct cpu *c, uint64_t va, unsigned int n, unsigned int tag, bool zero)
{
	const struct cpu_mem_region *reg = NULL;
	uint64_t pa = 0;
	uint8_t *h;
	/* DC GZVA and STZGM fault on Device memory, as DC ZVA */
	uint32_t acc = ACC_WRITE | (n > 2 ? ACC_DEVFAULT : 0);
	int r = mem_tag_access(c, va, n * MTE_GRANULE, acc, &reg, &pa, &h);

	if (r < 0)
		return -1;
	if (zero)
		memset(h, 0, n * MTE_GRANULE);
	for (unsigned int i = 0; r && i < n; i++)
		mte_tag_store(reg, pa + i * MTE_GRANULE, tag);
	return 0;
}

/* STG, STZG, ST2G, STZ2G: granules of tag Xt<59:56> (Xt may be SP) */
static int tag_st(struct cpu *c, const struct dinsn *d, unsigned int n, bool zero)
{
	struct cpu_state *s = &c->state;
	unsigned int op2 = (unsigned int)d->aux;
	uint64_t addr = idx_addr(s, d, op2);
	unsigned int tag = mte_addr_tag(xreg_sp(s, d->rd));

	if (!mte_on(s))
		return raise_undef(c);
	if (addr & (MTE_GRANULE - 1))
		return tag_align_fault(c, addr);
	/* granule by granule: ST2G's second may be in the next page */
	for (unsigned int i = 0; i < n; i++)
		if (tag_store(c, addr + i * MTE_GRANULE, 1, tag, zero))
			return EXEC_STOP;
	idx_writeback(s, d, op2, addr);
	return EXEC_NEXT;
}

static int exec_STG(struct cpu *c, const struct dinsn *d)
{
	return tag_st(c, d, 1, false);
}

static int exec_STZG(struct cpu *c, const struct dinsn *d)
{
	return tag_st(c, d, 1, true);
}

static int exec_ST2G(struct cpu *c, const struct dinsn *d)
{
	return tag_st(c, d, 2, false);
}

static int exec_STZ2G(struct cpu *c, const struct dinsn *d)
{
	return tag_st(c, d, 2, true);
}

/* LDG: Xt<59:56> = the tag of the granule at Xn|SP + imm */
static int exec_LDG(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t addr = (xreg_sp(s, d->rn) + (uint64_t)d->imm) & ~(uint64_t)(MTE_GRANULE - 1);
	const struct cpu_mem_region *reg = NULL;
	uint64_t pa = 0;
	uint8_t *h;
	int r;

	if (!mte_on(s))
		return raise_undef(c);
	r = mem_tag_access(c, addr, MTE_GRANULE, 0, &reg, &pa, &h);
	if (r < 0)
		return EXEC_STOP;
	set_xreg(s, d->rd, mte_with_tag(xreg(s, d->rd), r ? mte_tag_load(reg, pa) : 0));
	return EXEC_NEXT;
}

/* STGP: Xt, Xt2 to the granule at the address, tagged with the address's tag */
static int stgp(struct cpu *c, const struct dinsn *d, unsigned int op2)
{
	struct cpu_state *s = &c->state;
	uint64_t addr = idx_addr(s, d, op2);
	const struct cpu_mem_region *reg = NULL;
	uint64_t pa = 0, v[2];
	uint8_t *h;
	int r;

	if (!mte_on(s))
		return raise_undef(c);
	if (addr & (MTE_GRANULE - 1))
		return tag_align_fault(c, addr);
	v[0] = xreg(s, d->rd);
	v[1] = xreg(s, d->ra);
	r = mem_tag_access(c, addr, MTE_GRANULE, ACC_WRITE, &reg, &pa, &h);
	if (r < 0)
		return EXEC_STOP;
	host_store(h, 8, v[0]);
	host_store(h + 8, 8, v[1]);
	if (r)
		mte_tag_store(reg, pa, mte_addr_tag(addr));
	idx_writeback(s, d, op2, addr);
	return EXEC_NEXT;
}

static int exec_STGP_post(struct cpu *c, const struct dinsn *d)
{
	return stgp(c, d, 1);
}

static int exec_STGP_off(struct cpu *c, const struct dinsn *d)
{
	return stgp(c, d, 2);
}

static int exec_STGP_pre(struct cpu *c, const struct dinsn *d)
{
	return stgp(c, d, 3);
}

/* ---- EL1: LDGM, STGM, STZGM --------------------------------------------------------- */

static inline bool el1_mte(struct cpu *c)
{
	return mte_on(&c->state) && cur_el(c) == 1;
}

/* LDGM: the GMID_EL1.BS block's tags, granule i at bits 4i+3:4i */
static int exec_LDGM(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t addr = xreg_sp(s, d->rn) & ~(uint64_t)(MTE_GM_BYTES - 1), v = 0, pa = 0;
	const struct cpu_mem_region *reg = NULL;
	uint8_t *h;
	int r;

	if (!el1_mte(c))
		return raise_undef(c);
	r = mem_tag_access(c, addr, MTE_GM_BYTES, 0, &reg, &pa, &h);
	if (r < 0)
		return EXEC_STOP;
	for (unsigned int i = 0; r && i < MTE_GM_BYTES / MTE_GRANULE; i++)
		v |= (uint64_t)mte_tag_load(reg, pa + i * MTE_GRANULE) << (4 * i);
	set_xreg(s, d->rd, v);
	return EXEC_NEXT;
}

static int exec_STGM(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t addr = xreg_sp(s, d->rn) & ~(uint64_t)(MTE_GM_BYTES - 1), v = xreg(s, d->rd);
	const struct cpu_mem_region *reg = NULL;
	uint64_t pa = 0;
	uint8_t *h;
	int r;

	if (!el1_mte(c))
		return raise_undef(c);
	r = mem_tag_access(c, addr, MTE_GM_BYTES, ACC_WRITE, &reg, &pa, &h);
	if (r < 0)
		return EXEC_STOP;
	for (unsigned int i = 0; r && i < MTE_GM_BYTES / MTE_GRANULE; i++)
		mte_tag_store(reg, pa + i * MTE_GRANULE, (unsigned int)(v >> (4 * i)) & 0xf);
	return EXEC_NEXT;
}

/* STZGM: zeroes and tag Xt<3:0> over the DCZID_EL0 block */
static int exec_STZGM(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t addr = xreg_sp(s, d->rn) & ~(uint64_t)(MTE_ZVA_BLOCK - 1);

	if (!el1_mte(c))
		return raise_undef(c);
	if (tag_store(c, addr, MTE_ZVA_BLOCK / MTE_GRANULE, (unsigned int)xreg(s, d->rd) & 0xf,
		      true))
		return EXEC_STOP;
	return EXEC_NEXT;
}

/* ---- DC GVA, DC GZVA; MSR TCO --------------------------------------------------------- */

/* The DCZID_EL0 block at Xt, tagged with Xt's tag (and zeroed); EL0 as DC ZVA */
static int dc_g(struct cpu *c, const struct dinsn *d, bool zero)
{
	struct cpu_state *s = &c->state;
	uint64_t xt = xreg(s, d->rd);
	int r;

	if (!mte_on(s))
		return raise_undef(c);
	r = cpu_el0_gate(s, SR_SCTLR_EL1, SCTLR_DZE);
	if (r != SYSREG_OK)
		return raise_sysreg_result(c, d->insn, r);
	if (tag_store(c, xt & ~(uint64_t)(MTE_ZVA_BLOCK - 1), MTE_ZVA_BLOCK / MTE_GRANULE,
		      mte_addr_tag(xt), zero))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int exec_DC_GVA(struct cpu *c, const struct dinsn *d)
{
	return dc_g(c, d, false);
}

static int exec_DC_GZVA(struct cpu *c, const struct dinsn *d)
{
	return dc_g(c, d, true);
}

/* PSTATE.TCO = CRm<0>; at EL0 too */
static int exec_MSR_i_TCO(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	if (!mte_on(s))
		return raise_undef(c);
	s->pstate = BIT(d->insn, 8) ? s->pstate | PSR_TCO_BIT : s->pstate & ~PSR_TCO_BIT;
	s->pc += 4;
	return EXEC_JUMP;
}

#define INSN_CLASS	mte
#define INSN_DEF	"insn/mte.def"
#include "a64_table.h"
