// SPDX-License-Identifier: GPL-2.0
/*
 * The Int8 matrix multiply (FEAT_I8MM) and BFloat16 (FEAT_BF16)
 * extensions, their Advanced SIMD and SVE forms, and the Advanced SIMD
 * dot products of FEAT_DotProd, which share I8MM's helpers:
 *   DotProd  SDOT, UDOT (vector, by element);
 *   I8MM  SMMLA, UMMLA, USMMLA; USDOT (vector, by element), SUDOT (by
 *         element); SVE SMMLA, UMMLA, USMMLA, USDOT (vectors, indexed),
 *         SUDOT (indexed);
 *   BF16  BFDOT (vector, by element), BFMMLA, BFMLALB/BFMLALT (vector, by
 *         element), BFCVTN/BFCVTN2, BFCVT (scalar); SVE BFDOT (vectors,
 *         indexed), BFMMLA, BFMLALB/T (vectors, indexed), BFCVT, BFCVTNT.
 *
 * The BFloat16 arithmetic is the Arm ARM's for FEAT_BF16 without
 * FEAT_EBF16 (FPCR.EBF reads as zero here):
 * - BFDOT and BFMMLA (BFDotAdd): each product (BFMul) and each sum (BFAdd)
 *   rounded to single precision by BFRound: round to odd whatever
 *   FPCR.RMode, denormal inputs and results flushed to zero, overflow to
 *   infinity, every NaN the default NaN, an exact zero sum +0; FPSR is
 *   never written.  Done here in integer arithmetic.
 * - BFMLALB/T: FPMulAdd of the widened halves (fp.c's fp_muladd), FPCR
 *   and FPSR as any single-precision FMLA.
 * - BFCVT, BFCVTN, BFCVTNT (FPConvertBF): FPCR's rounding mode, FZ and DN,
 *   exceptions into FPSR.
 *
 * The rows are in insn/mm.def, before fp, simd and sve in a64.def.
 */
#include "sve_elem.h"

#define MM_ENTER(c)							\
	do {								\
		if (!fp_access_ok(c))					\
			return EXEC_STOP;				\
	} while (0)

#define Q(d)		BIT((d)->insn, 30)

#define ZMAX		CPU_ZREG_BYTES

/* a V register, or a Z register up to the vector length */
union zbuf {
	uint8_t b[ZMAX];
	uint64_t d[ZMAX / 8];
};

static inline void zget_all(const struct cpu_state *s, unsigned int n, union zbuf *z,
			    unsigned int len)
{
	memcpy(z->b, s->z[n], len);
}

/* ---- Int8 matrix multiply and dot products ----------------------------------------- */

static inline int32_t ext8(uint8_t x, bool sgn)
{
	return sgn ? (int8_t)x : (int32_t)x;
}

/* acc plus the dot product of bytes n[0..3] and m[0..3], modulo 2^32 */
static inline uint32_t dot4(uint32_t acc, const uint8_t *n, const uint8_t *m, bool ns,
			    bool ms)
{
	for (unsigned int k = 0; k < 4; k++)
		acc += (uint32_t)(ext8(n[k], ns) * ext8(m[k], ms));
	return acc;
}

/* MatMulAdd of one 128-bit segment: the 2x2 words of a plus the 2x8 bytes of
 * n times the transpose of the 2x8 bytes of m */
static void mmla16(uint8_t *a, const uint8_t *n, const uint8_t *m, bool ns, bool ms)
{
	for (unsigned int i = 0; i < 2; i++)
		for (unsigned int j = 0; j < 2; j++) {
			uint32_t sum = (uint32_t)zget(a, 2 * i + j, 2);

			sum = dot4(sum, n + 8 * i, m + 8 * j, ns, ms);
			sum = dot4(sum, n + 8 * i + 4, m + 8 * j + 4, ns, ms);
			zset(a, 2 * i + j, 2, sum);
		}
}

static int mmla_v(struct cpu *c, const struct dinsn *d, bool ns, bool ms)
{
	struct cpu_state *s = &c->state;
	union zbuf a, n, m;

	MM_ENTER(c);
	zget_all(s, d->rd, &a, 16);
	zget_all(s, d->rn, &n, 16);
	zget_all(s, d->rm, &m, 16);
	mmla16(a.b, n.b, m.b, ns, ms);
	vwrite(s, d->rd, a.d, true);
	return EXEC_NEXT;
}

V_ROW(SMMLA_v, mmla_v, true, true)
V_ROW(UMMLA_v, mmla_v, false, false)
V_ROW(USMMLA_v, mmla_v, false, true)

/* SDOT, UDOT (FEAT_DotProd), USDOT (vector, by element), SUDOT (by element):
 * Vm.4B[H:L] for the indexed forms, Vm is M:Rm; ns, ms: Vn's, Vm's bytes
 * signed */
static int usdot_v(struct cpu *c, const struct dinsn *d, bool ns, bool ms, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int idx = BIT(d->insn, 11) << 1 | BIT(d->insn, 21);
	union zbuf a, n, m;

	MM_ENTER(c);
	zget_all(s, d->rd, &a, 16);
	zget_all(s, d->rn, &n, 16);
	zget_all(s, d->rm, &m, 16);
	for (unsigned int e = 0; e < (Q(d) ? 4u : 2u); e++)
		zset(a.b, e, 2, dot4((uint32_t)zget(a.b, e, 2), n.b + 4 * e,
				     m.b + 4 * (indexed ? idx : e), ns, ms));
	vwrite(s, d->rd, a.d, Q(d));
	return EXEC_NEXT;
}

V_ROW(SDOT_v, usdot_v, true, true, false)
V_ROW(UDOT_v, usdot_v, false, false, false)
V_ROW(SDOT_e, usdot_v, true, true, true)
V_ROW(UDOT_e, usdot_v, false, false, true)
V_ROW(USDOT_v, usdot_v, false, true, false)
V_ROW(USDOT_e, usdot_v, false, true, true)
V_ROW(SUDOT_e, usdot_v, true, false, true)

static int mmla_z(struct cpu *c, const struct dinsn *d, bool ns, bool ms)
{
	struct cpu_state *s = &c->state;
	union zbuf a, n, m;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &a, vl);
	zget_all(s, d->rn, &n, vl);
	zget_all(s, d->rm, &m, vl);
	for (unsigned int seg = 0; seg < vl; seg += 16)
		mmla16(a.b + seg, n.b + seg, m.b + seg, ns, ms);
	zwrite(s, d->rd, a.b, vl);
	return EXEC_NEXT;
}

V_ROW(SMMLA_z, mmla_z, true, true)
V_ROW(UMMLA_z, mmla_z, false, false)
V_ROW(USMMLA_z, mmla_z, false, true)

/* USDOT (vectors); USDOT/SUDOT (indexed): word i2 (20:19) of each 128-bit
 * segment of Zm (18:16) */
static int usdot_z(struct cpu *c, const struct dinsn *d, bool ns, bool ms, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int idx = FIELD(d->insn, 20, 19), vl;
	union zbuf a, n, m;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &a, vl);
	zget_all(s, d->rn, &n, vl);
	zget_all(s, indexed ? FIELD(d->insn, 18, 16) : d->rm, &m, vl);
	for (unsigned int e = 0; e < vl / 4; e++)
		zset(a.b, e, 2, dot4((uint32_t)zget(a.b, e, 2), n.b + 4 * e,
				     m.b + 4 * (indexed ? (e & ~3u) + idx : e), ns, ms));
	zwrite(s, d->rd, a.b, vl);
	return EXEC_NEXT;
}

V_ROW(USDOT_zzzz, usdot_z, false, true, false)
V_ROW(USDOT_zzxw, usdot_z, false, true, true)
V_ROW(SUDOT_zzxw, usdot_z, true, false, true)

/* ---- BFloat16 dot products: BFMul, BFAdd, BFRound ------------------------------------ */

/* BFUnpack's types of a single-precision pattern (a BFloat16 value is its
 * upper half) */
enum { BF_ZERO, BF_NUM, BF_INF, BF_NAN };

#define BF_SIGN		0x80000000u
#define BF_INF_BITS	0x7f800000u
#define BF_DEFAULT_NAN	0x7fc00000u

static inline unsigned int bf_type(uint32_t a)
{
	uint32_t e = (a >> 23) & 0xff;

	if (!e)
		return BF_ZERO;		/* denormals flushed to zero */
	if (e == 0xff)
		return (a & 0x7fffff) ? BF_NAN : BF_INF;
	return BF_NUM;
}

/* a BF_NUM as sig * 2^exp */
static inline uint64_t bf_sig(uint32_t a)
{
	return (a & 0x7fffff) | 0x800000;
}

static inline int bf_exp(uint32_t a)
{
	return (int)((a >> 23) & 0xff) - 150;
}

/*
 * BFRound of sign * (m + a fraction, nonzero if sticky) * 2^e, m nonzero:
 * to single precision with round to odd, a result below the smallest
 * normal flushed to a signed zero, one beyond the largest an infinity.
 */
static uint32_t bf_round(uint32_t sign, uint64_t m, int e, bool sticky)
{
	int p = 63 - __builtin_clzll(m), x = p + e;
	uint32_t mant;

	if (x < -126)
		return sign;
	if (x > 127)
		return sign | BF_INF_BITS;
	if (p > 23) {
		sticky |= (m & ((1ULL << (p - 23)) - 1)) != 0;
		mant = (uint32_t)(m >> (p - 23));
	} else {
		mant = (uint32_t)(m << (23 - p));
	}
	mant |= sticky;			/* round to odd: never carries */
	return sign | (uint32_t)(x + 127) << 23 | (mant & 0x7fffff);
}

static uint32_t bf_mul(uint32_t a, uint32_t b)
{
	unsigned int ta = bf_type(a), tb = bf_type(b);
	uint32_t sign = (a ^ b) & BF_SIGN;

	if (ta == BF_NAN || tb == BF_NAN)
		return BF_DEFAULT_NAN;
	if ((ta == BF_INF && tb == BF_ZERO) || (ta == BF_ZERO && tb == BF_INF))
		return BF_DEFAULT_NAN;
	if (ta == BF_INF || tb == BF_INF)
		return sign | BF_INF_BITS;
	if (ta == BF_ZERO || tb == BF_ZERO)
		return sign;
	return bf_round(sign, bf_sig(a) * bf_sig(b), bf_exp(a) + bf_exp(b), false);
}

static uint32_t bf_add(uint32_t a, uint32_t b)
{
	unsigned int ta = bf_type(a), tb = bf_type(b);
	uint32_t t, x, y;
	uint64_t mx, my, m;
	bool sticky = false;
	int d;

	if (ta == BF_NAN || tb == BF_NAN)
		return BF_DEFAULT_NAN;
	if (ta == BF_INF && tb == BF_INF && ((a ^ b) & BF_SIGN))
		return BF_DEFAULT_NAN;
	if (ta == BF_INF)
		return a;
	if (tb == BF_INF)
		return b;
	if (ta == BF_ZERO && tb == BF_ZERO)
		return (a & b) & BF_SIGN;	/* -0 only if both are */
	if (ta == BF_ZERO)
		return b;			/* a normal: BFRound is exact */
	if (tb == BF_ZERO)
		return a;
	x = a & ~BF_SIGN;
	y = b & ~BF_SIGN;
	if (x < y) {
		t = a, a = b, b = t;
		t = x, x = y, y = t;
	}
	/* |a| >= |b|: align b's significand to a's, 32 guard bits, sticky */
	d = bf_exp(a) - bf_exp(b);
	mx = bf_sig(a) << 32;
	my = bf_sig(b) << 32;
	if (d >= 64) {
		my = 0;
		sticky = true;
	} else if (d) {
		sticky = (my & ((1ULL << d) - 1)) != 0;
		my >>= d;
	}
	if ((a ^ b) & BF_SIGN)
		m = mx - my - sticky;	/* the fraction below borrows one */
	else
		m = mx + my;
	if (!m && !sticky)
		return 0;		/* an exact zero sum is +0 */
	return bf_round(a & BF_SIGN, m, bf_exp(a) - 32, sticky);
}

/* BFDotAdd: sum + (n.lo * m.lo + n.hi * m.hi), pairs of BFloat16 in 32 bits */
static uint32_t bf_dot(uint32_t sum, uint32_t n, uint32_t m)
{
	uint32_t p = bf_add(bf_mul(n << 16, m << 16), bf_mul(n & 0xffff0000u, m & 0xffff0000u));

	return bf_add(sum, p);
}

/* BFMMLA of one 128-bit segment: a's 2x2 words plus n (2x4) times m^T */
static void bfmmla16(uint8_t *a, const uint8_t *n, const uint8_t *m)
{
	for (unsigned int i = 0; i < 2; i++)
		for (unsigned int j = 0; j < 2; j++) {
			uint32_t sum = (uint32_t)zget(a, 2 * i + j, 2);

			for (unsigned int k = 0; k < 2; k++)
				sum = bf_dot(sum, (uint32_t)zget(n, 2 * i + k, 2),
					     (uint32_t)zget(m, 2 * j + k, 2));
			zset(a, 2 * i + j, 2, sum);
		}
}

/* ---- FPConvertBF ------------------------------------------------------------------- */

/*
 * Single to BFloat16 under FPCR (FPRoundCVBF: single precision's exponent
 * range, 7 fraction bits): the rounding of the low 16 bits of the pattern,
 * whose carry into the exponent is the right result up to infinity.
 * Tininess before rounding: a denormal input rounded inexactly underflows.
 */
static uint16_t bf_convert(uint32_t a, struct fpst *st)
{
	uint32_t sign = a & BF_SIGN, mag = a & ~BF_SIGN, hi = mag >> 16, lo = mag & 0xffff;
	bool up = false;

	if (mag && !(mag >> 23) && (st->fpcr & FPCR_FZ)) {
		st->exc |= FPSR_IDC;
		return (uint16_t)(sign >> 16);
	}
	if (mag > BF_INF_BITS) {
		if (!(a & 0x00400000))
			st->exc |= FPSR_IOC;
		if (st->fpcr & FPCR_DN)
			return 0x7fc0;
		return (uint16_t)((a | 0x00400000) >> 16);	/* FPConvertNaN */
	}
	if (!lo)
		return (uint16_t)(a >> 16);		/* exact: zeros, infinities */
	switch (fp_rmode_of(st)) {
	case FPR_TIEEVEN: up = lo > 0x8000 || (lo == 0x8000 && (hi & 1)); break;
	case FPR_POSINF: up = !sign; break;
	case FPR_NEGINF: up = sign; break;
	default: break;
	}
	if (!(mag >> 23))
		st->exc |= FPSR_UFC;
	st->exc |= FPSR_IXC;
	hi += up;
	if (hi == BF_INF_BITS >> 16)
		st->exc |= FPSR_OFC;		/* only rounding up overflows */
	return (uint16_t)(sign >> 16 | hi);
}

/* ---- BFloat16, Advanced SIMD ---------------------------------------------------------- */

/* BFDOT (vector); (by element: Vm.2H[H:L], Vm is M:Rm) */
static int bfdot_v(struct cpu *c, const struct dinsn *d, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int idx = BIT(d->insn, 11) << 1 | BIT(d->insn, 21);
	union zbuf a, n, m;

	MM_ENTER(c);
	zget_all(s, d->rd, &a, 16);
	zget_all(s, d->rn, &n, 16);
	zget_all(s, d->rm, &m, 16);
	for (unsigned int e = 0; e < (Q(d) ? 4u : 2u); e++)
		zset(a.b, e, 2, bf_dot((uint32_t)zget(a.b, e, 2), (uint32_t)zget(n.b, e, 2),
				       (uint32_t)zget(m.b, indexed ? idx : e, 2)));
	vwrite(s, d->rd, a.d, Q(d));
	return EXEC_NEXT;
}

V_ROW(BFDOT_v, bfdot_v, false)
V_ROW(BFDOT_e, bfdot_v, true)

static int exec_BFMMLA_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union zbuf a, n, m;

	MM_ENTER(c);
	zget_all(s, d->rd, &a, 16);
	zget_all(s, d->rn, &n, 16);
	zget_all(s, d->rm, &m, 16);
	bfmmla16(a.b, n.b, m.b);
	vwrite(s, d->rd, a.d, true);
	return EXEC_NEXT;
}

/* acc + (BFloat16 a widened) * (BFloat16 b widened), fused (FPMulAdd) */
static inline uint32_t bf_mla(uint32_t acc, uint64_t a, uint64_t b, struct fpst *st)
{
	return (uint32_t)fp_muladd(acc, a << 16, b << 16, 2, st);
}

/* BFMLALB/T (vector: Q is T); (by element: Vm.H[H:L:M], Vm is Rm 19:16) */
static int bfmlal_v(struct cpu *c, const struct dinsn *d, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int sel = Q(d);
	unsigned int idx = BIT(d->insn, 11) << 2 | BIT(d->insn, 21) << 1 | BIT(d->insn, 20);
	union zbuf a, n, m;
	struct fpst st;

	MM_ENTER(c);
	zget_all(s, d->rd, &a, 16);
	zget_all(s, d->rn, &n, 16);
	zget_all(s, indexed ? FIELD(d->insn, 19, 16) : d->rm, &m, 16);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < 4; e++)
		zset(a.b, e, 2, bf_mla((uint32_t)zget(a.b, e, 2), zget(n.b, 2 * e + sel, 1),
				       zget(m.b, indexed ? idx : 2 * e + sel, 1), &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, a.d, true);
	return EXEC_NEXT;
}

V_ROW(BFMLAL_v, bfmlal_v, false)
V_ROW(BFMLAL_e, bfmlal_v, true)

/* BFCVTN: Vd.4H, upper half zeroed; BFCVTN2 (Q): Vd.8H's upper half, the
 * lower kept */
static int exec_BFCVTN_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union zbuf r, n;
	struct fpst st;

	MM_ENTER(c);
	zget_all(s, d->rd, &r, 16);
	zget_all(s, d->rn, &n, 16);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < 4; e++)
		zset(r.b, 4 * Q(d) + e, 1, bf_convert((uint32_t)zget(n.b, e, 2), &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r.d, Q(d));
	return EXEC_NEXT;
}

static int exec_BFCVT_s(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct fpst st;
	uint16_t r;

	MM_ENTER(c);
	fpst_begin(&st, s);
	r = bf_convert((uint32_t)vscalar(s, d->rn, 2), &st);
	fpst_end(s, &st);
	vset_scalar(s, d->rd, r, 1);
	return EXEC_NEXT;
}

/* ---- BFloat16, SVE -------------------------------------------------------------------- */

/* BFDOT (vectors); (indexed: word i2 (20:19) of each segment of Zm (18:16)) */
static int bfdot_z(struct cpu *c, const struct dinsn *d, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int idx = FIELD(d->insn, 20, 19), vl;
	union zbuf a, n, m;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &a, vl);
	zget_all(s, d->rn, &n, vl);
	zget_all(s, indexed ? FIELD(d->insn, 18, 16) : d->rm, &m, vl);
	for (unsigned int e = 0; e < vl / 4; e++)
		zset(a.b, e, 2, bf_dot((uint32_t)zget(a.b, e, 2), (uint32_t)zget(n.b, e, 2),
				       (uint32_t)zget(m.b, indexed ? (e & ~3u) + idx : e, 2)));
	zwrite(s, d->rd, a.b, vl);
	return EXEC_NEXT;
}

V_ROW(BFDOT_zzzz, bfdot_z, false)
V_ROW(BFDOT_zzxz, bfdot_z, true)

static int exec_BFMMLA_z(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union zbuf a, n, m;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &a, vl);
	zget_all(s, d->rn, &n, vl);
	zget_all(s, d->rm, &m, vl);
	for (unsigned int seg = 0; seg < vl; seg += 16)
		bfmmla16(a.b + seg, n.b + seg, m.b + seg);
	zwrite(s, d->rd, a.b, vl);
	return EXEC_NEXT;
}

/* BFMLALB/T (vectors); (indexed: halfword i3h:i3l (20:19, 11) of each
 * segment of Zm (18:16)) */
static int bfmlal_z(struct cpu *c, const struct dinsn *d, unsigned int sel, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int idx = FIELD(d->insn, 20, 19) << 1 | BIT(d->insn, 11), vl;
	union zbuf a, n, m;
	struct fpst st;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &a, vl);
	zget_all(s, d->rn, &n, vl);
	zget_all(s, indexed ? FIELD(d->insn, 18, 16) : d->rm, &m, vl);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < vl / 4; e++)
		zset(a.b, e, 2, bf_mla((uint32_t)zget(a.b, e, 2), zget(n.b, 2 * e + sel, 1),
				       zget(m.b, indexed ? 2 * (e & ~3u) + idx : 2 * e + sel, 1),
				       &st));
	fpst_end(s, &st);
	zwrite(s, d->rd, a.b, vl);
	return EXEC_NEXT;
}

V_ROW(BFMLALB_zzzw, bfmlal_z, 0, false)
V_ROW(BFMLALT_zzzw, bfmlal_z, 1, false)
V_ROW(BFMLALB_zzxw, bfmlal_z, 0, true)
V_ROW(BFMLALT_zzxw, bfmlal_z, 1, true)

/* BFCVT: active words of Zn converted, zero-extended (merging); BFCVTNT
 * (top): into the odd halfwords, the even ones kept */
static int bfcvt_z(struct cpu *c, const struct dinsn *d, bool top)
{
	struct cpu_state *s = &c->state;
	const uint8_t *pg = s->p[PG3(d)];
	union zbuf r, n;
	struct fpst st;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zget_all(s, d->rd, &r, vl);
	zget_all(s, d->rn, &n, vl);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < vl / 4; e++) {
		uint16_t h;

		if (!pact(pg, e, 2))
			continue;
		h = bf_convert((uint32_t)zget(n.b, e, 2), &st);
		if (top)
			zset(r.b, 2 * e + 1, 1, h);
		else
			zset(r.b, e, 2, h);
	}
	fpst_end(s, &st);
	zwrite(s, d->rd, r.b, vl);
	return EXEC_NEXT;
}

V_ROW(BFCVT_z, bfcvt_z, false)
V_ROW(BFCVTNT_z, bfcvt_z, true)

#define INSN_CLASS	mm
#define INSN_DEF	"insn/mm.def"
#include "a64_table.h"
