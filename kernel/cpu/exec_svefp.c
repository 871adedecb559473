// SPDX-License-Identifier: GPL-2.0
/*
 * SVE floating point beyond exec_sve.c's arithmetic (Arm ARM C4.1.x, the
 * SVE FP groups): unary operations, conversions, compares into
 * predicates, immediates, the trigonometric and exponential accelerators,
 * FSCALE, complex arithmetic and the indexed multiplies.  docs/sve.md
 * lists them.
 *
 * Half, single and double precision (FEAT_FP16 with SVE: every form's
 * .H encodings), with kernel/cpu/fp.c's arithmetic under FPCR (rounding
 * mode, FZ, FZ16, DN), exceptions accumulated into FPSR.
 *
 * The rows are in insn/svefp.def (after the sve class in a64.def, with
 * no overlap); a row's handler exec_NAME is a family helper (an element
 * loop over the vector length, always inlined) given the element
 * operation and the fields the row fixes.
 */
#include "sve_elem.h"

#define SVE_ROW(NAME, helper, ...)					\
static int exec_##NAME(struct cpu *c, const struct dinsn *d)		\
{									\
	return helper(c, d, __VA_ARGS__);				\
}

/* H, S and D elements */
static bool prep_size_nz(struct dinsn *d)
{
	return SIZE(d) != 0;
}

static inline uint64_t fp_one(unsigned int sz)
{
	return sz == 3 ? 0x3ff0000000000000ULL : sz == 2 ? 0x3f800000 : 0x3c00;
}

/* ---- unary, predicated: FABS FNEG FRINT* FRECPX FSQRT ----------------------------- */

static inline uint64_t fop_abs(uint64_t a, unsigned int sz, struct fpst *st)
{
	(void)st;
	return fp_abs(a, sz);
}

static inline uint64_t fop_neg(uint64_t a, unsigned int sz, struct fpst *st)
{
	(void)st;
	return fp_neg(a, sz);
}

static inline uint64_t fop_rintn(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, FPR_TIEEVEN, false, st);
}

static inline uint64_t fop_rintp(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, FPR_POSINF, false, st);
}

static inline uint64_t fop_rintm(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, FPR_NEGINF, false, st);
}

static inline uint64_t fop_rintz(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, FPR_ZERO, false, st);
}

static inline uint64_t fop_rinta(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, FPR_TIEAWAY, false, st);
}

static inline uint64_t fop_rintx(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, fp_rmode_of(st), true, st);
}

static inline uint64_t fop_rinti(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_round_int(a, sz, fp_rmode_of(st), false, st);
}

/* <op> Zd.T, Pg/M, Zn.T */
SVE_INLINE int fzpz(struct cpu *c, const struct dinsn *d, fop1_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(s->z[d->rn], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FABS, fzpz, fop_abs)
SVE_ROW(FNEG, fzpz, fop_neg)
SVE_ROW(FRINTN, fzpz, fop_rintn)
SVE_ROW(FRINTP, fzpz, fop_rintp)
SVE_ROW(FRINTM, fzpz, fop_rintm)
SVE_ROW(FRINTZ, fzpz, fop_rintz)
SVE_ROW(FRINTA, fzpz, fop_rinta)
SVE_ROW(FRINTX, fzpz, fop_rintx)
SVE_ROW(FRINTI, fzpz, fop_rinti)
SVE_ROW(FRECPX, fzpz, fp_recpx)
SVE_ROW(FSQRT, fzpz, fp_sqrt)

/* ---- unary, unpredicated: FRECPE FRSQRTE FEXPA ------------------------------------ */

/* <op> Zd.T, Zn.T */
SVE_INLINE int fzz(struct cpu *c, const struct dinsn *d, fop1_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(s->z[d->rn], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/*
 * FPExpCoefficient: the fraction of 2^(i/32) (H) or 2^(i/64) (S, D),
 * rounded to nearest.
 */
static const uint16_t fexpa_h[32] = {
	0x000, 0x016, 0x02d, 0x045, 0x05d, 0x075, 0x08e, 0x0a8,
	0x0c2, 0x0dc, 0x0f8, 0x114, 0x130, 0x14d, 0x16b, 0x189,
	0x1a8, 0x1c8, 0x1e8, 0x209, 0x22b, 0x24e, 0x271, 0x295,
	0x2ba, 0x2e0, 0x306, 0x32e, 0x356, 0x37f, 0x3a9, 0x3d4,
};

static const uint32_t fexpa_s[64] = {
	0x000000, 0x0164d2, 0x02cd87, 0x043a29, 0x05aac3, 0x071f62, 0x08980f, 0x0a14d5,
	0x0b95c2, 0x0d1adf, 0x0ea43a, 0x1031dc, 0x11c3d3, 0x135a2b, 0x14f4f0, 0x16942d,
	0x1837f0, 0x19e046, 0x1b8d3a, 0x1d3eda, 0x1ef532, 0x20b051, 0x227043, 0x243516,
	0x25fed7, 0x27cd94, 0x29a15b, 0x2b7a3a, 0x2d583f, 0x2f3b79, 0x3123f6, 0x3311c4,
	0x3504f3, 0x36fd92, 0x38fbaf, 0x3aff5b, 0x3d08a4, 0x3f179a, 0x412c4d, 0x4346cd,
	0x45672a, 0x478d75, 0x49b9be, 0x4bec15, 0x4e248c, 0x506334, 0x52a81e, 0x54f35b,
	0x5744fd, 0x599d16, 0x5bfbb8, 0x5e60f5, 0x60ccdf, 0x633f89, 0x65b907, 0x68396a,
	0x6ac0c7, 0x6d4f30, 0x6fe4ba, 0x728177, 0x75257d, 0x77d0df, 0x7a83b3, 0x7d3e0c,
};

static const uint64_t fexpa_d[64] = {
	0x0000000000000ULL, 0x02c9a3e778061ULL, 0x059b0d3158574ULL, 0x0874518759bc8ULL,
	0x0b5586cf9890fULL, 0x0e3ec32d3d1a2ULL, 0x11301d0125b51ULL, 0x1429aaea92de0ULL,
	0x172b83c7d517bULL, 0x1a35beb6fcb75ULL, 0x1d4873168b9aaULL, 0x2063b88628cd6ULL,
	0x2387a6e756238ULL, 0x26b4565e27cddULL, 0x29e9df51fdee1ULL, 0x2d285a6e4030bULL,
	0x306fe0a31b715ULL, 0x33c08b26416ffULL, 0x371a7373aa9cbULL, 0x3a7db34e59ff7ULL,
	0x3dea64c123422ULL, 0x4160a21f72e2aULL, 0x44e086061892dULL, 0x486a2b5c13cd0ULL,
	0x4bfdad5362a27ULL, 0x4f9b2769d2ca7ULL, 0x5342b569d4f82ULL, 0x56f4736b527daULL,
	0x5ab07dd485429ULL, 0x5e76f15ad2148ULL, 0x6247eb03a5585ULL, 0x6623882552225ULL,
	0x6a09e667f3bcdULL, 0x6dfb23c651a2fULL, 0x71f75e8ec5f74ULL, 0x75feb564267c9ULL,
	0x7a11473eb0187ULL, 0x7e2f336cf4e62ULL, 0x82589994cce13ULL, 0x868d99b4492edULL,
	0x8ace5422aa0dbULL, 0x8f1ae99157736ULL, 0x93737b0cdc5e5ULL, 0x97d829fde4e50ULL,
	0x9c49182a3f090ULL, 0xa0c667b5de565ULL, 0xa5503b23e255dULL, 0xa9e6b5579fdbfULL,
	0xae89f995ad3adULL, 0xb33a2b84f15fbULL, 0xb7f76f2fb5e47ULL, 0xbcc1e904bc1d2ULL,
	0xc199bdd85529cULL, 0xc67f12e57d14bULL, 0xcb720dcef9069ULL, 0xd072d4a07897cULL,
	0xd5818dcfba487ULL, 0xda9e603db3285ULL, 0xdfc97337b9b5fULL, 0xe502ee78b3ff6ULL,
	0xea4afa2a490daULL, 0xefa1bee615a27ULL, 0xf50765b6e4540ULL, 0xfa7c1819e90d8ULL,
};

/* FPExpA: an exponent from the operand's upper bits, a fraction from the table */
static inline uint64_t fop_expa(uint64_t a, unsigned int sz, struct fpst *st)
{
	(void)st;
	if (sz == 1)
		return (a >> 5 & 0x1f) << 10 | fexpa_h[a & 0x1f];
	if (sz == 2)
		return (a >> 6 & 0xff) << 23 | fexpa_s[a & 0x3f];
	return (a >> 6 & 0x7ff) << 52 | fexpa_d[a & 0x3f];
}

SVE_ROW(FRECPE, fzz, fp_recpe)
SVE_ROW(FRSQRTE, fzz, fp_rsqrte)
SVE_ROW(FEXPA, fzz, fop_expa)

/* ---- conversions: FCVT SCVTF UCVTF FCVTZS FCVTZU ----------------------------------- */

/* What a conversion row converts: FP to FP, integers to FP, FP to integers
 * rounding towards zero (signed, unsigned) */
enum cvt_kind { CVT_FF, CVT_SF, CVT_UF, CVT_FS, CVT_FU };

static inline uint64_t low_bits(uint64_t a, unsigned int sz)
{
	return sz == 3 ? a : a & ((1ULL << (8u << sz)) - 1);
}

/*
 * <op> Zd.<T>, Pg/M, Zn.<Tb>: from the low 8 << from bits of each element
 * to a value of 8 << to bits, on elements of the larger size.  A signed
 * integer result is sign-extended to the element, any other
 * zero-extended.  FPConvertSVE ignores FPCR.AHP.
 */
SVE_INLINE int fcvt(struct cpu *c, const struct dinsn *d, enum cvt_kind kind,
		    unsigned int from, unsigned int to)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, csz = from > to ? from : to, e;
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	st.fpcr &= ~FPCR_AHP;
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> csz; e++) {
		uint64_t a, r;

		if (!pact(pg, e, csz))
			continue;
		a = low_bits(zget(s->z[d->rn], e, csz), from);
		switch (kind) {
		case CVT_FF:
			r = fp_convert(a, from, to, &st);
			break;
		case CVT_SF:
		case CVT_UF:
			r = fp_from_fixed(a, 8u << from, 0, kind == CVT_UF, to, fp_rmode_of(&st),
					  &st);
			break;
		default:
			r = fp_to_fixed(a, from, 0, kind == CVT_FU, 8u << to, FPR_ZERO, &st);
			if (kind == CVT_FS)
				r = (uint64_t)sext(r, 8u << to);
			break;
		}
		zset(buf, e, csz, r);
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FCVT_sh, fcvt, CVT_FF, 2, 1)
SVE_ROW(FCVT_hs, fcvt, CVT_FF, 1, 2)
SVE_ROW(FCVT_dh, fcvt, CVT_FF, 3, 1)
SVE_ROW(FCVT_hd, fcvt, CVT_FF, 1, 3)
SVE_ROW(FCVT_ds, fcvt, CVT_FF, 3, 2)
SVE_ROW(FCVT_sd, fcvt, CVT_FF, 2, 3)
SVE_ROW(SCVTF_hh, fcvt, CVT_SF, 1, 1)
SVE_ROW(UCVTF_hh, fcvt, CVT_UF, 1, 1)
SVE_ROW(SCVTF_sh, fcvt, CVT_SF, 2, 1)
SVE_ROW(UCVTF_sh, fcvt, CVT_UF, 2, 1)
SVE_ROW(SCVTF_dh, fcvt, CVT_SF, 3, 1)
SVE_ROW(UCVTF_dh, fcvt, CVT_UF, 3, 1)
SVE_ROW(SCVTF_ss, fcvt, CVT_SF, 2, 2)
SVE_ROW(UCVTF_ss, fcvt, CVT_UF, 2, 2)
SVE_ROW(SCVTF_sd, fcvt, CVT_SF, 2, 3)
SVE_ROW(UCVTF_sd, fcvt, CVT_UF, 2, 3)
SVE_ROW(SCVTF_ds, fcvt, CVT_SF, 3, 2)
SVE_ROW(UCVTF_ds, fcvt, CVT_UF, 3, 2)
SVE_ROW(SCVTF_dd, fcvt, CVT_SF, 3, 3)
SVE_ROW(UCVTF_dd, fcvt, CVT_UF, 3, 3)
SVE_ROW(FCVTZS_hh, fcvt, CVT_FS, 1, 1)
SVE_ROW(FCVTZU_hh, fcvt, CVT_FU, 1, 1)
SVE_ROW(FCVTZS_hs, fcvt, CVT_FS, 1, 2)
SVE_ROW(FCVTZU_hs, fcvt, CVT_FU, 1, 2)
SVE_ROW(FCVTZS_hd, fcvt, CVT_FS, 1, 3)
SVE_ROW(FCVTZU_hd, fcvt, CVT_FU, 1, 3)
SVE_ROW(FCVTZS_ss, fcvt, CVT_FS, 2, 2)
SVE_ROW(FCVTZU_ss, fcvt, CVT_FU, 2, 2)
SVE_ROW(FCVTZS_ds, fcvt, CVT_FS, 3, 2)
SVE_ROW(FCVTZU_ds, fcvt, CVT_FU, 3, 2)
SVE_ROW(FCVTZS_sd, fcvt, CVT_FS, 2, 3)
SVE_ROW(FCVTZU_sd, fcvt, CVT_FU, 2, 3)
SVE_ROW(FCVTZS_dd, fcvt, CVT_FS, 3, 3)
SVE_ROW(FCVTZU_dd, fcvt, CVT_FU, 3, 3)

/* ---- compares into predicates ------------------------------------------------------ */

typedef bool fcmp_fn(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);

static inline bool cmp_ne(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return !fp_cmp_eq(a, b, sz, st);
}

/* unordered: a quiet comparison */
static inline bool cmp_uo(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_compare(a, b, sz, false, st) == 0x3;
}

static inline bool cmp_acge(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_cmp_ge(fp_abs(a, sz), fp_abs(b, sz), sz, st);
}

static inline bool cmp_acgt(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_cmp_gt(fp_abs(a, sz), fp_abs(b, sz), sz, st);
}

/* a < b and a <= b as the Arm ARM computes them: b > a, b >= a */
static inline bool cmp_lt(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_cmp_gt(b, a, sz, st);
}

static inline bool cmp_le(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_cmp_ge(b, a, sz, st);
}

/* <op> Pd.T, Pg/Z, Zn.T, Zm.T (zero: #0.0 for Zm) */
SVE_INLINE int fcmp(struct cpu *c, const struct dinsn *d, fcmp_fn *op, bool zero)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t res[CPU_PREG_BYTES] = { 0 };
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			pset(res, e, sz, op(zget(s->z[d->rn], e, sz),
					    zero ? 0 : zget(s->z[d->rm], e, sz), sz, &st));
	pwrite(s->p[d->rd & 15], res, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FCMGE_ppzz, fcmp, fp_cmp_ge, false)
SVE_ROW(FCMGT_ppzz, fcmp, fp_cmp_gt, false)
SVE_ROW(FCMEQ_ppzz, fcmp, fp_cmp_eq, false)
SVE_ROW(FCMNE_ppzz, fcmp, cmp_ne, false)
SVE_ROW(FCMUO_ppzz, fcmp, cmp_uo, false)
SVE_ROW(FACGE_ppzz, fcmp, cmp_acge, false)
SVE_ROW(FACGT_ppzz, fcmp, cmp_acgt, false)
SVE_ROW(FCMGE_ppz0, fcmp, fp_cmp_ge, true)
SVE_ROW(FCMGT_ppz0, fcmp, fp_cmp_gt, true)
SVE_ROW(FCMLT_ppz0, fcmp, cmp_lt, true)
SVE_ROW(FCMLE_ppz0, fcmp, cmp_le, true)
SVE_ROW(FCMEQ_ppz0, fcmp, fp_cmp_eq, true)
SVE_ROW(FCMNE_ppz0, fcmp, cmp_ne, true)

/* ---- immediates: FADD..FMIN #imm, FCPY --------------------------------------------- */

static inline uint64_t fop_subr(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_sub(b, a, sz, st);
}

/* The immediate pairs of bit 5: 0.5 or 1.0, 0.5 or 2.0, 0.0 or 1.0 */
enum fimm { FIMM_HALF_ONE, FIMM_HALF_TWO, FIMM_ZERO_ONE };

static inline uint64_t fimm_value(enum fimm k, bool i1, unsigned int sz)
{
	if (!i1)
		return k == FIMM_ZERO_ONE ? 0 : vfp_expand_imm(0x60, sz);	/* 0.5 */
	return k == FIMM_HALF_TWO ? vfp_expand_imm(0x00, sz) : fp_one(sz);
}

/* <op> Zdn.T, Pg/M, Zdn.T, #imm */
SVE_INLINE int fzpzi(struct cpu *c, const struct dinsn *d, fop2_fn *op, enum fimm k)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t imm = fimm_value(k, BIT(d->insn, 5), sz);
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(buf, e, sz), imm, sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FADD_zpzi, fzpzi, fp_add, FIMM_HALF_ONE)
SVE_ROW(FSUB_zpzi, fzpzi, fp_sub, FIMM_HALF_ONE)
SVE_ROW(FMUL_zpzi, fzpzi, fp_mul, FIMM_HALF_TWO)
SVE_ROW(FSUBR_zpzi, fzpzi, fop_subr, FIMM_HALF_ONE)
SVE_ROW(FMAXNM_zpzi, fzpzi, fp_maxnm, FIMM_ZERO_ONE)
SVE_ROW(FMINNM_zpzi, fzpzi, fp_minnm, FIMM_ZERO_ONE)
SVE_ROW(FMAX_zpzi, fzpzi, fp_max, FIMM_ZERO_ONE)
SVE_ROW(FMIN_zpzi, fzpzi, fp_min, FIMM_ZERO_ONE)

/* FCPY Zd.T, Pg/M, #imm (FMOV): Pg 19:16, imm8 12:5 */
static int exec_FCPY(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[FIELD(d->insn, 19, 16)];
	uint64_t imm = vfp_expand_imm(FIELD(d->insn, 12, 5), sz);
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, imm);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- trigonometric accelerators, FSCALE -------------------------------------------- */

/* FPTrigMAddCoefficient: sine (0-7) then cosine (8-15) series terms */
static const uint16_t ftmad_h[16] = {
	0x3c00, 0xb155, 0x2030, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x3c00, 0xb800, 0x293a, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
};

static const uint32_t ftmad_s[16] = {
	0x3f800000, 0xbe2aaaab, 0x3c088886, 0xb95008b9,
	0x36369d6d, 0x00000000, 0x00000000, 0x00000000,
	0x3f800000, 0xbf000000, 0x3d2aaaa6, 0xbab60705,
	0x37cd37cc, 0x00000000, 0x00000000, 0x00000000,
};

static const uint64_t ftmad_d[16] = {
	0x3ff0000000000000ULL, 0xbfc5555555555543ULL, 0x3f8111111110f30cULL,
	0xbf2a01a019b92fc6ULL, 0x3ec71de351f3d22bULL, 0xbe5ae5e2b60f7b91ULL,
	0x3de5d8408868552fULL, 0x0000000000000000ULL,
	0x3ff0000000000000ULL, 0xbfe0000000000000ULL, 0x3fa5555555555536ULL,
	0xbf56c16c16c13a0bULL, 0x3efa01a019b1e8d8ULL, 0xbe927e4f7282f468ULL,
	0x3e21ee96d2641b13ULL, 0xbda8f76380fbb401ULL,
};

/* FTMAD Zdn.T, Zdn.T, Zm.T, #imm3: coefficient + Zdn * |Zm| */
static int exec_FTMAD(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, x = FIELD(d->insn, 18, 16);
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t m = zget(s->z[d->rn], e, sz);
		unsigned int i = x + ((m & fp_sign(sz)) ? 8 : 0);
		uint64_t k = sz == 3 ? ftmad_d[i] : sz == 2 ? ftmad_s[i] : ftmad_h[i];

		zset(buf, e, sz, fp_muladd(k, zget(s->z[d->rd], e, sz), fp_abs(m, sz), sz, &st));
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* <op> Zd.T, Zn.T, Zm.T */
SVE_INLINE int fzzz(struct cpu *c, const struct dinsn *d, fop2_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(s->z[d->rn], e, sz), zget(s->z[d->rm], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* FPTrigSMul: a * a, its sign bit b<0> unless a NaN */
static inline uint64_t fop_tsmul(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	uint64_t r = fp_mul(a, a, sz, st);

	if (fp_is_nan(r, sz))
		return r;
	return (r & ~fp_sign(sz)) | ((b & 1) ? fp_sign(sz) : 0);
}

/* FPTrigSSel: 1.0 (b<0>) or a, negated by b<1> */
static inline uint64_t fop_tssel(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	uint64_t r = (b & 1) ? fp_one(sz) : a;

	(void)st;
	return (b & 2) ? fp_neg(r, sz) : r;
}

SVE_ROW(FTSMUL, fzzz, fop_tsmul)
SVE_ROW(FTSSEL, fzzz, fop_tssel)

/* FSCALE Zdn.T, Pg/M, Zdn.T, Zm.T: Zdn * 2^Zm (a signed integer) */
static int exec_FSCALE(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, fp_scale(zget(buf, e, sz),
						  sext(zget(s->z[d->rn], e, sz), 8u << sz),
						  sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- complex arithmetic: FCADD, FCMLA ----------------------------------------------- */

/*
 * FCADD Zdn.T, Pg/M, Zdn.T, Zm.T, #rot (rot 16: 0 #90, 1 #270): on pairs
 * (real, imaginary), Zdn + Zm * i (#90) or Zdn - Zm * i (#270).
 */
static int exec_FCADD(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	bool rot270 = BIT(d->insn, 16);
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e += 2) {
		uint64_t mr = zget(s->z[d->rn], e, sz), mi = zget(s->z[d->rn], e + 1, sz);

		if (pact(pg, e, sz))
			zset(buf, e, sz, fp_add(zget(buf, e, sz), rot270 ? mi : fp_neg(mi, sz),
						sz, &st));
		if (pact(pg, e + 1, sz))
			zset(buf, e + 1, sz, fp_add(zget(buf, e + 1, sz),
						    rot270 ? fp_neg(mr, sz) : mr, sz, &st));
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/*
 * One complex pair of FCMLA: acc (real, imaginary) += n * m rotated by
 * rot * 90 degrees, each half of it when active (act[0], act[1]).
 */
static inline void cmla_pair(uint64_t acc[2], const uint64_t n[2], const uint64_t m[2],
			     unsigned int rot, const bool act[2], unsigned int sz,
			     struct fpst *st)
{
	unsigned int sel = rot & 1;
	bool neg_r = (rot & 1) != (rot >> 1), neg_i = rot >> 1;
	uint64_t ma = m[sel], mb = m[sel ^ 1];

	if (act[0])
		acc[0] = fp_muladd(acc[0], n[sel], neg_r ? fp_neg(ma, sz) : ma, sz, st);
	if (act[1])
		acc[1] = fp_muladd(acc[1], n[sel], neg_i ? fp_neg(mb, sz) : mb, sz, st);
}

/* FCMLA Zda.T, Pg/M, Zn.T, Zm.T, #rot (rot 14:13, Zm 20:16) */
static int exec_FCMLA_zpzzz(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, rot = FIELD(d->insn, 14, 13);
	const uint8_t *pg = s->p[PG3(d)];
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e += 2) {
		uint64_t acc[2] = { zget(buf, e, sz), zget(buf, e + 1, sz) };
		uint64_t n[2] = { zget(s->z[d->rn], e, sz), zget(s->z[d->rn], e + 1, sz) };
		uint64_t m[2] = { zget(s->z[d->rm], e, sz), zget(s->z[d->rm], e + 1, sz) };
		bool act[2] = { pact(pg, e, sz), pact(pg, e + 1, sz) };

		cmla_pair(acc, n, m, rot, act, sz, &st);
		zset(buf, e, sz, acc[0]);
		zset(buf, e + 1, sz, acc[1]);
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- indexed: FMLA FMLS FMUL FCMLA (Zm[imm] in each 128-bit segment) ------------- */

/*
 * H (bit 23 clear): index 22, 20:19, Zm 18:16; S (size 10): index 20:19,
 * Zm 18:16; D (11): index 20, Zm 19:16
 */
static bool prep_fp_idx(struct dinsn *d)
{
	if (!BIT(d->insn, 23)) {
		d->imm = BIT(d->insn, 22) << 2 | FIELD(d->insn, 20, 19);
		d->aux = FIELD(d->insn, 18, 16);
	} else if (BIT(d->insn, 22)) {
		d->imm = BIT(d->insn, 20);
		d->aux = FIELD(d->insn, 19, 16);
	} else {
		d->imm = FIELD(d->insn, 20, 19);
		d->aux = FIELD(d->insn, 18, 16);
	}
	return true;
}

#define IDX_SZ(d)	(!BIT((d)->insn, 23) ? 1u : BIT((d)->insn, 22) ? 3u : 2u)

/*
 * FMLA FMLS (mul false) Zda.T, Zn.T, Zm.T[imm]: Zda +- Zn * Zm[imm];
 * FMUL (mul) Zd.T, Zn.T, Zm.T[imm]
 */
SVE_INLINE int fmla_idx(struct cpu *c, const struct dinsn *d, bool mul, bool neg)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = IDX_SZ(d), e, seg = 16u >> sz;
	const uint8_t *zm = s->z[d->aux];
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t n = zget(s->z[d->rn], e, sz);
		uint64_t m = zget(zm, e - e % seg + (unsigned int)d->imm, sz);

		if (mul)
			zset(buf, e, sz, fp_mul(n, m, sz, &st));
		else
			zset(buf, e, sz, fp_muladd(zget(s->z[d->rd], e, sz),
						   neg ? fp_neg(n, sz) : n, m, sz, &st));
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FMLA_zzxz, fmla_idx, false, false)
SVE_ROW(FMLS_zzxz, fmla_idx, false, true)
SVE_ROW(FMUL_zzx, fmla_idx, true, false)

/*
 * FCMLA Zda.T, Zn.T, Zm.T[imm], #rot (rot 11:10): H (size 10) index
 * 20:19, Zm 18:16; S (11) index 20, Zm 19:16
 */
static int exec_FCMLA_zzxz(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	bool single = BIT(d->insn, 22);
	unsigned int vl, e, rot = FIELD(d->insn, 11, 10), sz = single ? 2 : 1, seg = 16u >> sz;
	unsigned int i = single ? BIT(d->insn, 20) : FIELD(d->insn, 20, 19);
	const uint8_t *zm = s->z[single ? FIELD(d->insn, 19, 16) : FIELD(d->insn, 18, 16)];
	const bool act[2] = { true, true };
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e += 2) {
		unsigned int p = e - e % seg + 2 * i;
		uint64_t acc[2] = { zget(s->z[d->rd], e, sz), zget(s->z[d->rd], e + 1, sz) };
		uint64_t n[2] = { zget(s->z[d->rn], e, sz), zget(s->z[d->rn], e + 1, sz) };
		uint64_t m[2] = { zget(zm, p, sz), zget(zm, p + 1, sz) };

		cmla_pair(acc, n, m, rot, act, sz, &st);
		zset(buf, e, sz, acc[0]);
		zset(buf, e + 1, sz, acc[1]);
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

#define INSN_CLASS	svefp
#define INSN_DEF	"insn/svefp.def"
#include "a64_table.h"
