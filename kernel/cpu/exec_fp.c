// SPDX-License-Identifier: GPL-2.0
/*
 * Scalar floating point (Arm ARM C4.1.96 "Data Processing -- Scalar
 * Floating-Point and Advanced SIMD", the scalar FP groups): one- two- and
 * three-source arithmetic, compares, conditional compare and select,
 * immediate moves and the conversions to and from integers and fixed
 * point.  Half (FEAT_FP16), single and double precision; FJCVTZS
 * (FEAT_JSCVT) and FRINT32Z/32X/64Z/64X (FEAT_FRINTTS).  The arithmetic is
 * fp.c's.
 *
 * The rows are in insn/fp.def, one per form; a row's handler exec_NAME is
 * a family helper given the element operation.  d->imm holds the element
 * size (1 half, 2 single, 3 double) decoded from ftype.
 */
#include "vreg.h"

#define FTYPE(d)	FIELD((d)->insn, 23, 22)
#define ESZ(d)		((unsigned int)(d)->imm)

/* ftype 00 single, 01 double, 11 half (FEAT_FP16); 10 is unallocated */
static bool prep_ftype(struct dinsn *d)
{
	switch (FTYPE(d)) {
	case 0: d->imm = 2; return true;
	case 1: d->imm = 3; return true;
	case 3: d->imm = 1; return true;
	default: return false;
	}
}

/* single and double only (FRINT32Z...) */
static bool prep_ftype_sd(struct dinsn *d)
{
	return FTYPE(d) < 2 && prep_ftype(d);
}

/* The rows' threaded entries are THREADED_NOPC (insn/fp.def): PC is
 * stored here, before the trap reads it. */
#define FP_ENTER(c)							\
	do {								\
		if (unlikely(cpu_fp_trap(&(c)->state) != SYSREG_OK)) {	\
			thread_sync_pc(c, d);				\
			fp_access_ok(c);				\
			return EXEC_STOP;				\
		}							\
	} while (0)

/* FP_ENTER, then the FP state for an arithmetic instruction */
#define FP_BEGIN(c, st)							\
	do {								\
		FP_ENTER(c);						\
		fpst_begin(&(st), &(c)->state);				\
	} while (0)

/* ---- data-processing (1 source) ------------------------------------------------ */

/* FCVT: ftype is the source (11 half), opc<1:0> the destination; not to
 * its own size */
static bool prep_fcvt(struct dinsn *d)
{
	static const int8_t size[4] = { 2, 3, -1, 1 };
	int from = size[FTYPE(d)], to = size[FIELD(d->insn, 16, 15)];

	d->imm = from;
	return from >= 0 && to >= 0 && from != to;
}

/* Rd = op1(Rn), or op2(Rn, Rm) */
V_INLINE int fp_arith(struct cpu *c, const struct dinsn *d, fop1_fn *op1, fop2_fn *op2)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d);
	struct fpst st;
	uint64_t a;

	FP_BEGIN(c, st);
	a = vscalar(s, d->rn, sz);
	a = op1 ? op1(a, sz, &st) : op2(a, vscalar(s, d->rm, sz), sz, &st);
	vset_scalar(s, d->rd, a, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

static inline uint64_t f_mov(uint64_t a, unsigned int sz, struct fpst *st)
{
	return a;
}

static int exec_FCVT(struct cpu *c, const struct dinsn *d)
{
	static const uint8_t size[4] = { 2, 3, 0, 1 };
	struct cpu_state *s = &c->state;
	unsigned int from = ESZ(d), to = size[FIELD(d->insn, 16, 15)];
	struct fpst st;

	FP_BEGIN(c, st);
	vset_scalar(s, d->rd, fp_convert(vscalar(s, d->rn, from), from, to, &st), to);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- data-processing (2 source), (3 source) -------------------------------------- */

static inline uint64_t f_nmul(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_neg(fp_mul(a, b, sz, st), sz);
}

/* Ra + Rn * Rm with the addend and the product negated as asked */
V_INLINE int fp_3src(struct cpu *c, const struct dinsn *d, bool neg_a, bool neg_n)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d);
	uint64_t a, n, m;
	struct fpst st;

	FP_BEGIN(c, st);
	a = vscalar(s, d->ra, sz);
	n = vscalar(s, d->rn, sz);
	m = vscalar(s, d->rm, sz);
	if (neg_a)
		a = fp_neg(a, sz);
	if (neg_n)
		n = fp_neg(n, sz);
	vset_scalar(s, d->rd, fp_muladd(a, n, m, sz, &st), sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- compare, conditional compare, conditional select ----------------------------- */

/* FCMP, FCMPE: with Rm or with zero; signal: quiet NaNs raise Invalid too */
V_INLINE int fp_cmp(struct cpu *c, const struct dinsn *d, bool zero, bool signal)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d), nzcv;
	uint64_t a, b;
	struct fpst st;

	FP_BEGIN(c, st);
	a = vscalar(s, d->rn, sz);
	b = zero ? 0 : vscalar(s, d->rm, sz);
	nzcv = fp_compare(a, b, sz, signal, &st);
	set_nzcv(s, (uint64_t)nzcv << 28);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

V_INLINE int fp_ccmp(struct cpu *c, const struct dinsn *d, bool signal)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d), nzcv = d->insn & 15;
	struct fpst st;

	FP_ENTER(c);
	if (cond_holds(s, FIELD(d->insn, 15, 12))) {
		fpst_begin(&st, s);
		nzcv = fp_compare(vscalar(s, d->rn, sz), vscalar(s, d->rm, sz), sz, signal, &st);
		fpst_end(s, &st);
	}
	set_nzcv(s, (uint64_t)nzcv << 28);
	return EXEC_NEXT;
}

static int exec_FCSEL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d);
	bool t;

	FP_ENTER(c);
	t = cond_holds(s, FIELD(d->insn, 15, 12));
	vset_scalar(s, d->rd, vscalar(s, t ? d->rn : d->rm, sz), sz);
	return EXEC_NEXT;
}

/* ---- FMOV (scalar, immediate) ----------------------------------------------------- */

/* d->aux: the immediate, expanded */
static bool prep_fp_imm(struct dinsn *d)
{
	if (!prep_ftype(d))
		return false;
	d->aux = vfp_expand_imm(FIELD(d->insn, 20, 13), ESZ(d));
	return true;
}

static int exec_FMOV_imm(struct cpu *c, const struct dinsn *d)
{
	FP_ENTER(c);
	vset_scalar(&c->state, d->rd, d->aux, ESZ(d));
	return EXEC_NEXT;
}

/* ---- conversions between FP and integer or fixed point ------------------------------ */

/* the fixed-point forms: scale (bits 15:10) at least 32 for 32-bit Rd/Rn */
static bool prep_fixed(struct dinsn *d)
{
	return (BIT(d->insn, 31) || FIELD(d->insn, 15, 10) >= 32) && prep_ftype(d);
}

#define FBITS(d)	(64 - FIELD((d)->insn, 15, 10))
#define IBITS(d)	(BIT((d)->insn, 31) ? 64u : 32u)

/* FCVT<r>S/U: to a general register, rounding rm, fbits fraction bits */
V_INLINE int fp_to_int(struct cpu *c, const struct dinsn *d, unsigned int rm, bool uns,
		       unsigned int fbits)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d);
	struct fpst st;

	FP_BEGIN(c, st);
	set_xreg(s, d->rd, fp_to_fixed(vscalar(s, d->rn, sz), sz, fbits, uns, IBITS(d), rm, &st));
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* SCVTF/UCVTF from a general register */
V_INLINE int fp_from_int(struct cpu *c, const struct dinsn *d, bool uns, unsigned int fbits)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = ESZ(d);
	struct fpst st;
	uint64_t r;

	FP_BEGIN(c, st);
	r = fp_from_fixed(xreg(s, d->rn), IBITS(d), fbits, uns, sz, fp_rmode_of(&st), &st);
	vset_scalar(s, d->rd, r, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* FMOV between a general register and an FP one: Wd/Sn, Xd/Dn, or
 * Wd/Hn and Xd/Hn (the 16 bits zero-extended) */
static bool prep_fmov_g(struct dinsn *d)
{
	unsigned int sf = BIT(d->insn, 31), type = FTYPE(d);

	if (type == 3) {
		d->imm = 1;
		return true;
	}
	if (sf != type || type > 1)
		return false;
	d->imm = sf ? 3 : 2;
	return true;
}

/* FJCVTZS Wd, Dn: NZCV = 0Z00 */
static int exec_FJCVTZS(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct fpst st;
	uint32_t r;
	bool z;

	FP_BEGIN(c, st);
	r = fp_to_js(vscalar(s, d->rn, 3), &z, &st);
	set_xreg(s, d->rd, r);
	set_nzcv(s, (uint64_t)z << 30);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

static int exec_FMOV_gf(struct cpu *c, const struct dinsn *d)
{
	FP_ENTER(c);
	set_xreg(&c->state, d->rd, vscalar(&c->state, d->rn, ESZ(d)));
	return EXEC_NEXT;
}

static int exec_FMOV_fg(struct cpu *c, const struct dinsn *d)
{
	FP_ENTER(c);
	vset_scalar(&c->state, d->rd, xreg(&c->state, d->rn), ESZ(d));
	return EXEC_NEXT;
}

/* FMOV Xd, Vn.D[1] */
static int exec_FMOV_gd1(struct cpu *c, const struct dinsn *d)
{
	uint64_t v[2];

	FP_ENTER(c);
	vread(&c->state, d->rn, v);
	set_xreg(&c->state, d->rd, v[1]);
	return EXEC_NEXT;
}

/* FMOV Vd.D[1], Xn: the low half is kept */
static int exec_FMOV_d1g(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v[2];

	FP_ENTER(c);
	vread(s, d->rd, v);
	v[1] = xreg(s, d->rn);
	vwrite(s, d->rd, v, true);
	return EXEC_NEXT;
}

/* ---- the rows: their handlers, in insn/fp.def's order --------------------------------- */

/* conversions to and from integers, fixed point; FMOV to and from general registers */
V_ROW(FCVTNS_g, fp_to_int, FPR_TIEEVEN, false, 0)
V_ROW(FCVTNU_g, fp_to_int, FPR_TIEEVEN, true, 0)
V_ROW(FCVTPS_g, fp_to_int, FPR_POSINF, false, 0)
V_ROW(FCVTPU_g, fp_to_int, FPR_POSINF, true, 0)
V_ROW(FCVTMS_g, fp_to_int, FPR_NEGINF, false, 0)
V_ROW(FCVTMU_g, fp_to_int, FPR_NEGINF, true, 0)
V_ROW(FCVTZS_g, fp_to_int, FPR_ZERO, false, 0)
V_ROW(FCVTZU_g, fp_to_int, FPR_ZERO, true, 0)
V_ROW(SCVTF_g, fp_from_int, false, 0)
V_ROW(UCVTF_g, fp_from_int, true, 0)
V_ROW(FCVTAS_g, fp_to_int, FPR_TIEAWAY, false, 0)
V_ROW(FCVTAU_g, fp_to_int, FPR_TIEAWAY, true, 0)
V_ROW(FCVTZS_gfix, fp_to_int, FPR_ZERO, false, FBITS(d))
V_ROW(FCVTZU_gfix, fp_to_int, FPR_ZERO, true, FBITS(d))
V_ROW(SCVTF_gfix, fp_from_int, false, FBITS(d))
V_ROW(UCVTF_gfix, fp_from_int, true, FBITS(d))

/* data-processing (1 source) */
V_ROW(FMOV_s, fp_arith, f_mov, NULL)
V_ROW(FABS_s, fp_arith, f_abs, NULL)
V_ROW(FNEG_s, fp_arith, f_neg, NULL)
V_ROW(FSQRT_s, fp_arith, fp_sqrt, NULL)
V_ROW(FRINTN_s, fp_arith, f_rintn, NULL)
V_ROW(FRINTP_s, fp_arith, f_rintp, NULL)
V_ROW(FRINTM_s, fp_arith, f_rintm, NULL)
V_ROW(FRINTZ_s, fp_arith, f_rintz, NULL)
V_ROW(FRINTA_s, fp_arith, f_rinta, NULL)
V_ROW(FRINTX_s, fp_arith, f_rintx, NULL)
V_ROW(FRINTI_s, fp_arith, f_rinti, NULL)
V_ROW(FRINT32Z_s, fp_arith, f_rint32z, NULL)
V_ROW(FRINT32X_s, fp_arith, f_rint32x, NULL)
V_ROW(FRINT64Z_s, fp_arith, f_rint64z, NULL)
V_ROW(FRINT64X_s, fp_arith, f_rint64x, NULL)

/* compare, FMOV (immediate), conditional compare */
V_ROW(FCMP, fp_cmp, false, false)
V_ROW(FCMP_z, fp_cmp, true, false)
V_ROW(FCMPE, fp_cmp, false, true)
V_ROW(FCMPE_z, fp_cmp, true, true)
V_ROW(FCCMP, fp_ccmp, false)
V_ROW(FCCMPE, fp_ccmp, true)

/* data-processing (2 source), conditional select, (3 source) */
V_ROW(FMUL_s, fp_arith, NULL, fp_mul)
V_ROW(FDIV_s, fp_arith, NULL, fp_div)
V_ROW(FADD_s, fp_arith, NULL, fp_add)
V_ROW(FSUB_s, fp_arith, NULL, fp_sub)
V_ROW(FMAX_s, fp_arith, NULL, fp_max)
V_ROW(FMIN_s, fp_arith, NULL, fp_min)
V_ROW(FMAXNM_s, fp_arith, NULL, fp_maxnm)
V_ROW(FMINNM_s, fp_arith, NULL, fp_minnm)
V_ROW(FNMUL_s, fp_arith, NULL, f_nmul)
V_ROW(FMADD, fp_3src, false, false)
V_ROW(FMSUB, fp_3src, false, true)
V_ROW(FNMADD, fp_3src, true, true)
V_ROW(FNMSUB, fp_3src, true, false)

#define INSN_CLASS	fp
#define INSN_DEF	"insn/fp.def"
#include "a64_table.h"
