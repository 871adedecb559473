// SPDX-License-Identifier: GPL-2.0
/*
 * Scalar floating point (Arm ARM C4.1.96 "Data Processing -- Scalar
 * Floating-Point and Advanced SIMD", the scalar FP groups): one- two- and
 * three-source arithmetic, compares, conditional compare and select,
 * immediate moves and the conversions to and from integers and fixed
 * point.  Single and double precision; half precision only where the base
 * architecture has it without FEAT_FP16 (FCVT).  The arithmetic is fp.c's.
 *
 * d->imm holds the element size (2 single, 3 double) decoded from ftype.
 */
#include "vreg.h"

#define FTYPE(d)	FIELD((d)->insn, 23, 22)

/* ftype 00 single, 01 double; 11 (half) needs FEAT_FP16 */
static bool prep_ftype(struct dinsn *d)
{
	switch (FTYPE(d)) {
	case 0: d->imm = 2; return true;
	case 1: d->imm = 3; return true;
	default: return false;
	}
}

#define FP_ENTER(c)							\
	do {								\
		if (!fp_access_ok(c))					\
			return EXEC_STOP;				\
	} while (0)

/* ---- data-processing (1 source) ------------------------------------------------ */

enum {
	F1_FMOV, F1_FABS, F1_FNEG, F1_FSQRT, F1_FCVT_S, F1_FCVT_D, F1_FCVT_H,
	F1_FRINTN, F1_FRINTP, F1_FRINTM, F1_FRINTZ, F1_FRINTA, F1_FRINTX, F1_FRINTI,
};

static bool prep_fp_1src(struct dinsn *d)
{
	unsigned int op = FIELD(d->insn, 20, 15), type = FTYPE(d);

	if (type == 2)
		return false;
	d->imm = type == 0 ? 2 : type == 1 ? 3 : 1;
	switch (op) {
	case 0: d->aux = F1_FMOV; break;
	case 1: d->aux = F1_FABS; break;
	case 2: d->aux = F1_FNEG; break;
	case 3: d->aux = F1_FSQRT; break;
	case 4: d->aux = F1_FCVT_S; break;
	case 5: d->aux = F1_FCVT_D; break;
	case 7: d->aux = F1_FCVT_H; break;
	case 8: d->aux = F1_FRINTN; break;
	case 9: d->aux = F1_FRINTP; break;
	case 10: d->aux = F1_FRINTM; break;
	case 11: d->aux = F1_FRINTZ; break;
	case 12: d->aux = F1_FRINTA; break;
	case 14: d->aux = F1_FRINTX; break;
	case 15: d->aux = F1_FRINTI; break;
	default: return false;
	}
	/* FCVT to its own size is unallocated; other ops on half need FP16 */
	if (d->aux >= F1_FCVT_S && d->aux <= F1_FCVT_H)
		return (unsigned int)(d->aux - F1_FCVT_S) != (type == 0 ? 0 : type == 1 ? 1 : 2);
	return type != 3;
}

static int fp_1src(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm, rm;
	uint64_t a, r;
	struct fpst st;

	FP_ENTER(c);
	fpst_begin(&st, s);
	a = vscalar(s, d->rn, sz);
	rm = fp_rmode_of(&st);
	switch (d->aux) {
	case F1_FMOV: r = a; break;
	case F1_FABS: r = fp_abs(a, sz); break;
	case F1_FNEG: r = fp_neg(a, sz); break;
	case F1_FSQRT: r = fp_sqrt(a, sz, &st); break;
	case F1_FCVT_S: r = fp_convert(a, sz, 2, &st); vset_scalar(s, d->rd, r, 2); goto out;
	case F1_FCVT_D: r = fp_convert(a, sz, 3, &st); vset_scalar(s, d->rd, r, 3); goto out;
	case F1_FCVT_H: r = fp_convert(a, sz, 1, &st); vset_scalar(s, d->rd, r, 1); goto out;
	case F1_FRINTN: r = fp_round_int(a, sz, FPR_TIEEVEN, false, &st); break;
	case F1_FRINTP: r = fp_round_int(a, sz, FPR_POSINF, false, &st); break;
	case F1_FRINTM: r = fp_round_int(a, sz, FPR_NEGINF, false, &st); break;
	case F1_FRINTZ: r = fp_round_int(a, sz, FPR_ZERO, false, &st); break;
	case F1_FRINTA: r = fp_round_int(a, sz, FPR_TIEAWAY, false, &st); break;
	case F1_FRINTX: r = fp_round_int(a, sz, rm, true, &st); break;
	default: r = fp_round_int(a, sz, rm, false, &st); break;
	}
	vset_scalar(s, d->rd, r, sz);
out:
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- data-processing (2 source) ------------------------------------------------ */

static bool prep_fp_2src(struct dinsn *d)
{
	d->aux = FIELD(d->insn, 15, 12);
	return d->aux <= 8 && prep_ftype(d);
}

static int fp_2src(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm;
	uint64_t a, b, r;
	struct fpst st;

	FP_ENTER(c);
	fpst_begin(&st, s);
	a = vscalar(s, d->rn, sz);
	b = vscalar(s, d->rm, sz);
	switch (d->aux) {
	case 0: r = fp_mul(a, b, sz, &st); break;
	case 1: r = fp_div(a, b, sz, &st); break;
	case 2: r = fp_add(a, b, sz, &st); break;
	case 3: r = fp_sub(a, b, sz, &st); break;
	case 4: r = fp_max(a, b, sz, &st); break;
	case 5: r = fp_min(a, b, sz, &st); break;
	case 6: r = fp_maxnm(a, b, sz, &st); break;
	case 7: r = fp_minnm(a, b, sz, &st); break;
	default: r = fp_neg(fp_mul(a, b, sz, &st), sz); break;	/* FNMUL */
	}
	vset_scalar(s, d->rd, r, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- data-processing (3 source): FMADD, FMSUB, FNMADD, FNMSUB ------------------ */

static int fp_3src(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm;
	uint64_t a, n, m;
	struct fpst st;

	FP_ENTER(c);
	fpst_begin(&st, s);
	a = vscalar(s, d->ra, sz);
	n = vscalar(s, d->rn, sz);
	m = vscalar(s, d->rm, sz);
	if (BIT(d->insn, 21))			/* o1: negate the addend */
		a = fp_neg(a, sz);
	if (BIT(d->insn, 21) != BIT(d->insn, 15))	/* FMSUB, FNMADD */
		n = fp_neg(n, sz);
	vset_scalar(s, d->rd, fp_muladd(a, n, m, sz, &st), sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- compare, conditional compare, conditional select ----------------------------- */

static bool prep_fp_cmp(struct dinsn *d)
{
	return !(d->insn & 7) && prep_ftype(d);
}

static int fp_cmp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm, nzcv;
	uint64_t a, b;
	struct fpst st;

	FP_ENTER(c);
	fpst_begin(&st, s);
	a = vscalar(s, d->rn, sz);
	b = BIT(d->insn, 3) ? 0 : vscalar(s, d->rm, sz);
	nzcv = fp_compare(a, b, sz, BIT(d->insn, 4), &st);
	set_nzcv(s, (uint64_t)nzcv << 28);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

static int fp_ccmp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm, nzcv = d->insn & 15;
	struct fpst st;

	FP_ENTER(c);
	if (cond_holds(s, FIELD(d->insn, 15, 12))) {
		fpst_begin(&st, s);
		nzcv = fp_compare(vscalar(s, d->rn, sz), vscalar(s, d->rm, sz), sz,
				  BIT(d->insn, 4), &st);
		fpst_end(s, &st);
	}
	set_nzcv(s, (uint64_t)nzcv << 28);
	return EXEC_NEXT;
}

static int fp_csel(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm;
	bool t;

	FP_ENTER(c);
	t = cond_holds(s, FIELD(d->insn, 15, 12));
	vset_scalar(s, d->rd, vscalar(s, t ? d->rn : d->rm, sz), sz);
	return EXEC_NEXT;
}

/* ---- FMOV (scalar, immediate) ----------------------------------------------------- */

static bool prep_fp_imm(struct dinsn *d)
{
	if (FIELD(d->insn, 9, 5) || !prep_ftype(d))
		return false;
	d->aux = vfp_expand_imm(FIELD(d->insn, 20, 13), (unsigned int)d->imm);
	return true;
}

static int fp_imm(struct cpu *c, const struct dinsn *d)
{
	FP_ENTER(c);
	vset_scalar(&c->state, d->rd, d->aux, (unsigned int)d->imm);
	return EXEC_NEXT;
}

/* ---- conversions between FP and integer or fixed point ------------------------------ */

enum {
	CV_TO_INT,		/* FCVT<r>S/U: aux rounding mode, unsigned */
	CV_FROM_INT,		/* SCVTF/UCVTF */
	CV_FMOV_TO_GP,
	CV_FMOV_FROM_GP,
	CV_FMOV_TO_GP_HI,	/* FMOV Xd, Vn.D[1] */
	CV_FMOV_FROM_GP_HI,
};

/* aux: kind | rmode << 8 | unsigned << 12 | fbits << 16 */
#define CV_AUX(kind, rm, u, fb)	((kind) | (rm) << 8 | (u) << 12 | (uint64_t)(fb) << 16)

static bool prep_fp_int(struct dinsn *d)
{
	unsigned int sf = BIT(d->insn, 31), type = FTYPE(d);
	unsigned int rmode = FIELD(d->insn, 20, 19), op = FIELD(d->insn, 18, 16);

	if (BIT(d->insn, 29))
		return false;
	if (op == 6 || op == 7) {		/* FMOV */
		bool to_gp = op == 6;

		if (rmode == 0 && ((sf == 0 && type == 0) || (sf == 1 && type == 1))) {
			d->imm = sf ? 3 : 2;
			d->aux = to_gp ? CV_FMOV_TO_GP : CV_FMOV_FROM_GP;
			return true;
		}
		if (rmode == 1 && sf == 1 && type == 2) {
			d->imm = 3;
			d->aux = to_gp ? CV_FMOV_TO_GP_HI : CV_FMOV_FROM_GP_HI;
			return true;
		}
		return false;
	}
	if (!prep_ftype(d))
		return false;
	switch (op) {
	case 0: case 1:
		d->aux = CV_AUX(CV_TO_INT, rmode, op & 1, 0);
		return true;
	case 4: case 5:
		if (rmode)
			return false;
		d->aux = CV_AUX(CV_TO_INT, FPR_TIEAWAY, op & 1, 0);
		return true;
	case 2: case 3:
		if (rmode)
			return false;
		d->aux = CV_AUX(CV_FROM_INT, 0, op & 1, 0);
		return true;
	default:
		return false;
	}
}

static bool prep_fp_fixed(struct dinsn *d)
{
	unsigned int sf = BIT(d->insn, 31), scale = FIELD(d->insn, 15, 10);
	unsigned int rmode = FIELD(d->insn, 20, 19), op = FIELD(d->insn, 18, 16);

	if (BIT(d->insn, 29) || (!sf && scale < 32) || !prep_ftype(d))
		return false;
	if (rmode == 3 && (op == 0 || op == 1))
		d->aux = CV_AUX(CV_TO_INT, FPR_ZERO, op & 1, 64 - scale);
	else if (rmode == 0 && (op == 2 || op == 3))
		d->aux = CV_AUX(CV_FROM_INT, 0, op & 1, 64 - scale);
	else
		return false;
	return true;
}

static int fp_conv(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int sz = (unsigned int)d->imm, ibits = BIT(d->insn, 31) ? 64 : 32;
	unsigned int rm = (d->aux >> 8) & 15, fbits = (unsigned int)(d->aux >> 16);
	bool uns = (d->aux >> 12) & 1;
	struct fpst st;
	uint64_t v[2], r;

	FP_ENTER(c);
	switch (d->aux & 0xff) {
	case CV_TO_INT:
		fpst_begin(&st, s);
		r = fp_to_fixed(vscalar(s, d->rn, sz), sz, fbits, uns, ibits, rm, &st);
		set_xreg(s, d->rd, r);
		fpst_end(s, &st);
		break;
	case CV_FROM_INT:
		fpst_begin(&st, s);
		r = fp_from_fixed(xreg(s, d->rn), ibits, fbits, uns, sz, fp_rmode_of(&st), &st);
		vset_scalar(s, d->rd, r, sz);
		fpst_end(s, &st);
		break;
	case CV_FMOV_TO_GP:
		set_xreg(s, d->rd, vscalar(s, d->rn, sz));
		break;
	case CV_FMOV_FROM_GP:
		vset_scalar(s, d->rd, xreg(s, d->rn), sz);
		break;
	case CV_FMOV_TO_GP_HI:
		vread(s, d->rn, v);
		set_xreg(s, d->rd, v[1]);
		break;
	default:
		/* FMOV Vd.D[1], Xn: the low half is kept */
		vread(s, d->rd, v);
		v[1] = xreg(s, d->rn);
		vwrite(s, d->rd, v, true);
		break;
	}
	return EXEC_NEXT;
}

static bool prep_fp_3src(struct dinsn *d)
{
	return prep_ftype(d);
}

static const struct insn_pattern fp_pats[] = {
	PAT(0x7f20fc00, 0x1e200000, fp_conv, prep_fp_int),
	PAT(0x7f200000, 0x1e000000, fp_conv, prep_fp_fixed),
	PAT(0xff207c00, 0x1e204000, fp_1src, prep_fp_1src),
	PAT(0xff20fc00, 0x1e202000, fp_cmp, prep_fp_cmp),
	PAT(0xff201c00, 0x1e201000, fp_imm, prep_fp_imm),
	PAT(0xff200c00, 0x1e200400, fp_ccmp, prep_fp_3src),
	PAT(0xff200c00, 0x1e200800, fp_2src, prep_fp_2src),
	PAT(0xff200c00, 0x1e200c00, fp_csel, prep_fp_3src),
	PAT(0xff000000, 0x1f000000, fp_3src, prep_fp_3src),
};

const struct insn_table fp_insns = PAT_TABLE(fp_pats);
