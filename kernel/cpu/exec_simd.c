// SPDX-License-Identifier: GPL-2.0
/*
 * Advanced SIMD (Arm ARM C4.1.96, the vector and scalar SIMD groups of
 * "Data Processing -- Scalar Floating-Point and Advanced SIMD"): three
 * same, three different, two-register miscellaneous, across lanes, copy,
 * modified immediate, shift by immediate, by element, permute, extract
 * and table lookup, in their vector and scalar forms.  The ARMv8.0 set:
 * no FP16, RDM, dot product or crypto (the ID registers advertise none).
 *
 * Structure loads and stores (LD1-LD4, ST1-ST4, LD1R-LD4R) are here too,
 * through mem.c's mem_read/mem_write.
 *
 * The rows are in insn/simd.def, one per form (vector _v, scalar _s, by
 * element _e and _es); a row's handler exec_NAME is a family helper (an
 * element loop, always inlined) given the element operation and the
 * fields the row fixes.  Elements are handled as zero-extended 64-bit
 * values, esz being log2 of their size in bytes; saturation sets FPSR.QC.
 * Scalar forms are the vector ones on one element, with the rest of the
 * register zeroed.
 */
#include "vreg.h"

#define SIMD_ENTER(c)							\
	do {								\
		if (!fp_access_ok(c))					\
			return EXEC_STOP;				\
	} while (0)

#define SIZE(d)		FIELD((d)->insn, 23, 22)
#define Q(d)		BIT((d)->insn, 30)
#define FSZ(d)		(2u + BIT((d)->insn, 22))	/* FP: sz, 2 S or 3 D */
/* elements of esz in a 64- or 128-bit vector, or 1 for a scalar form */
#define NELEM(d, esz, scalar)	((scalar) ? 1u : (Q(d) ? 16u : 8u) >> (esz))

/* A vector form and its scalar one (SQADD_v, SQADD_s): the helper's last
 * argument says which. */
#define V_ROWS(NAME, V, S, helper, ...)					\
	V_ROW(NAME##V, helper, __VA_ARGS__, false)			\
	V_ROW(NAME##S, helper, __VA_ARGS__, true)

static inline void set_qc(struct cpu_state *s, bool qc)
{
	if (qc)
		s->fpsr |= FPSR_QC;
}

/* ---- field checks: a PREP refuses what its row leaves unallocated ---------------- */

/* vector: 64-bit elements only in a 128-bit vector */
static bool prep_q(struct dinsn *d)
{
	return SIZE(d) != 3 || Q(d);
}

static bool prep_bhs(struct dinsn *d)
{
	return SIZE(d) != 3;
}

static bool prep_bh(struct dinsn *d)
{
	return SIZE(d) < 2;
}

static bool prep_hs(struct dinsn *d)
{
	return SIZE(d) == 1 || SIZE(d) == 2;
}

static bool prep_b(struct dinsn *d)
{
	return SIZE(d) == 0;
}

static bool prep_d(struct dinsn *d)
{
	return SIZE(d) == 3;
}

/* FP vector: double precision only in a 128-bit vector */
static bool prep_fq(struct dinsn *d)
{
	return !BIT(d->insn, 22) || Q(d);
}

static bool prep_sz0(struct dinsn *d)
{
	return !BIT(d->insn, 22);
}

static bool prep_sz1(struct dinsn *d)
{
	return BIT(d->insn, 22);
}

/* ---- element arithmetic helpers -------------------------------------------------- */

static inline int64_t sx(uint64_t v, unsigned int esz)
{
	return esz == 3 ? (int64_t)v : sext(v, 8u << esz);
}

static inline uint64_t emask(unsigned int esz)
{
	return esz == 3 ? ~0ULL : (1ULL << (8u << esz)) - 1;
}

static uint64_t ssat(__int128 v, unsigned int esz, bool *qc)
{
	__int128 max = ((__int128)1 << ((8u << esz) - 1)) - 1, min = -max - 1;

	if (v > max) {
		*qc = true;
		v = max;
	} else if (v < min) {
		*qc = true;
		v = min;
	}
	return (uint64_t)v & emask(esz);
}

static uint64_t usat(__int128 v, unsigned int esz, bool *qc)
{
	__int128 max = ((__int128)1 << (8u << esz)) - 1;

	if (v > max) {
		*qc = true;
		v = max;
	} else if (v < 0) {
		*qc = true;
		v = 0;
	}
	return (uint64_t)v;
}

static inline __int128 ival(uint64_t v, unsigned int esz, bool u)
{
	return u ? (__int128)v : (__int128)sx(v, esz);
}

/*
 * Shift by a signed amount (register shifts and the immediate forms): left
 * for sh >= 0, right otherwise; round: add the rounding constant first;
 * sat: 0 none, 1 saturate to the input's signedness, 2 signed input to
 * unsigned result (SQSHLU).
 */
static uint64_t shift_elem(uint64_t a, int sh, unsigned int esz, bool u, bool round,
			   int sat, bool *qc)
{
	int bits = 8 << esz;
	__int128 v = ival(a, esz, u), r;

	if (sh >= 0) {
		if (sh >= bits) {
			if (!sat || v == 0)
				return 0;
			r = v < 0 ? -((__int128)1 << 100) : ((__int128)1 << 100);
		} else {
			r = v * ((__int128)1 << sh);
		}
	} else {
		sh = -sh;
		if (sh > 64)
			sh = 65;
		if (round)
			v += (__int128)1 << (sh - 1);
		r = v >> sh;
	}
	if (sat == 1)
		return u ? usat(r, esz, qc) : ssat(r, esz, qc);
	if (sat == 2)
		return usat(r, esz, qc);
	return (uint64_t)r & emask(esz);
}

static uint64_t pmul8(uint64_t a, uint64_t b)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if (b >> i & 1)
			r ^= a << i;
	return r;
}

/* polynomial multiply of two esz-sized elements, double-width result */
static uint64_t pmull(uint64_t a, uint64_t b, unsigned int bits)
{
	uint64_t r = 0;

	for (unsigned int i = 0; i < bits; i++)
		if (b >> i & 1)
			r ^= a << i;
	return r;
}

/* SQDMULH / SQRDMULH */
static uint64_t sqdmulh(uint64_t a, uint64_t b, unsigned int esz, bool round, bool *qc)
{
	unsigned int bits = 8u << esz;
	__int128 p = 2 * (__int128)sx(a, esz) * sx(b, esz);

	if (round)
		p += (__int128)1 << (bits - 1);
	return ssat(p >> bits, esz, qc);
}

static inline uint64_t qsat(__int128 v, unsigned int esz, bool u, bool *qc)
{
	return u ? usat(v, esz, qc) : ssat(v, esz, qc);
}

static inline __int128 iabs(__int128 t)
{
	return t < 0 ? -t : t;
}

/* ---- three same -------------------------------------------------------------------- */

/*
 * An integer element operation: a of Vn, b of Vm, d of Vd (the
 * accumulator), esz-sized and zero-extended; u: unsigned.  x and y are a
 * and b extended by u, m the element mask.
 */
typedef uint64_t iop_fn(uint64_t a, uint64_t b, uint64_t d, unsigned int esz, bool u,
			bool *qc);

#define IOP(name, expr)							\
static inline uint64_t name(uint64_t a, uint64_t b, uint64_t d, unsigned int esz,	\
			    bool u, bool *qc)				\
{									\
	__int128 x = ival(a, esz, u), y = ival(b, esz, u);		\
	uint64_t m = emask(esz);					\
									\
	(void)x, (void)y, (void)m, (void)d, (void)qc;			\
	return (expr);							\
}
IOP(e_hadd, (uint64_t)((x + y) >> 1) & m)
IOP(e_rhadd, (uint64_t)((x + y + 1) >> 1) & m)
IOP(e_hsub, (uint64_t)((x - y) >> 1) & m)
IOP(e_qadd, qsat(x + y, esz, u, qc))
IOP(e_qsub, qsat(x - y, esz, u, qc))
IOP(e_cmgt, x > y ? m : 0)
IOP(e_cmge, x >= y ? m : 0)
IOP(e_cmtst, (a & b) ? m : 0)
IOP(e_cmeq, a == b ? m : 0)
IOP(e_shl, shift_elem(a, (int8_t)b, esz, u, false, 0, qc))
IOP(e_qshl, shift_elem(a, (int8_t)b, esz, u, false, 1, qc))
IOP(e_rshl, shift_elem(a, (int8_t)b, esz, u, true, 0, qc))
IOP(e_qrshl, shift_elem(a, (int8_t)b, esz, u, true, 1, qc))
IOP(e_max, (uint64_t)(x > y ? x : y) & m)
IOP(e_min, (uint64_t)(x < y ? x : y) & m)
IOP(e_abd, (uint64_t)iabs(x - y) & m)
IOP(e_aba, (d + (uint64_t)iabs(x - y)) & m)
IOP(e_add, (a + b) & m)
IOP(e_sub, (a - b) & m)
IOP(e_mla, (d + a * b) & m)
IOP(e_mls, (d - a * b) & m)
IOP(e_mul, (a * b) & m)
IOP(e_pmul, pmul8(a, b) & m)
IOP(e_sqdmulh, sqdmulh(a, b, esz, false, qc))
IOP(e_sqrdmulh, sqdmulh(a, b, esz, true, qc))

/* the elements of Vn then those of Vm, for the pairwise operations */
static void concat(const uint64_t *n, const uint64_t *m, unsigned int ne, unsigned int esz,
		   uint64_t *cat)
{
	for (unsigned int i = 0; i < ne; i++) {
		set_elem(cat, i, esz, elem(n, i, esz));
		set_elem(cat, ne + i, esz, elem(m, i, esz));
	}
}

/* Vd = op(Vn, Vm) element by element, or on adjacent pairs of Vn:Vm */
V_INLINE int same3(struct cpu *c, const struct dinsn *d, iop_fn *op, bool u, bool pairwise,
		   bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, scalar), i;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 }, pair[4];
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	if (pairwise) {
		concat(n, m, ne, esz, pair);
		for (i = 0; i < ne; i++)
			set_elem(r, i, esz, op(elem(pair, 2 * i, esz), elem(pair, 2 * i + 1, esz),
					       0, esz, u, &qc));
	} else {
		for (i = 0; i < ne; i++)
			set_elem(r, i, esz, op(elem(n, i, esz), elem(m, i, esz), elem(dv, i, esz),
					       esz, u, &qc));
	}
	set_qc(s, qc);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* the logical operations, on 64 bits at a time: n, m, and d of Vd */
typedef uint64_t lop_fn(uint64_t n, uint64_t m, uint64_t d);

#define LOGIC(name, expr)						\
static inline uint64_t name(uint64_t n, uint64_t m, uint64_t d)	\
{									\
	return (expr);							\
}
LOGIC(l_and, n & m)
LOGIC(l_bic, n & ~m)
LOGIC(l_orr, n | m)
LOGIC(l_orn, n | ~m)
LOGIC(l_eor, n ^ m)
LOGIC(l_bsl, (d & n) | (~d & m))
LOGIC(l_bit, (d & ~m) | (n & m))
LOGIC(l_bif, (d & m) | (n & ~m))

V_INLINE int logic3(struct cpu *c, const struct dinsn *d, lop_fn *op)
{
	struct cpu_state *s = &c->state;
	uint64_t n[2], m[2], dv[2];

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	for (int i = 0; i < 2; i++)
		dv[i] = op(n[i], m[i], dv[i]);
	vwrite(s, d->rd, dv, Q(d));
	return EXEC_NEXT;
}

/* An FP element operation: a of Vn, b of Vm (or the element), d of Vd. */
typedef uint64_t fop3_fn(uint64_t a, uint64_t b, uint64_t d, unsigned int sz,
			 struct fpst *st);

#define FOP3(name, expr)						\
static inline uint64_t name(uint64_t a, uint64_t b, uint64_t d, unsigned int sz,	\
			    struct fpst *st)				\
{									\
	(void)d;							\
	return (expr);							\
}
FOP3(f_maxnm, fp_maxnm(a, b, sz, st))
FOP3(f_minnm, fp_minnm(a, b, sz, st))
FOP3(f_max, fp_max(a, b, sz, st))
FOP3(f_min, fp_min(a, b, sz, st))
FOP3(f_mla, fp_muladd(d, a, b, sz, st))
FOP3(f_mls, fp_muladd(d, fp_neg(a, sz), b, sz, st))
FOP3(f_add, fp_add(a, b, sz, st))
FOP3(f_sub, fp_sub(a, b, sz, st))
FOP3(f_mulx, fp_mulx(a, b, sz, st))
FOP3(f_mul, fp_mul(a, b, sz, st))
FOP3(f_div, fp_div(a, b, sz, st))
FOP3(f_abd, fp_abs(fp_sub(a, b, sz, st), sz))
FOP3(f_recps, fp_recps(a, b, sz, st))
FOP3(f_rsqrts, fp_rsqrts(a, b, sz, st))
FOP3(f_cmeq, fp_cmp_eq(a, b, sz, st) ? emask(sz) : 0)
FOP3(f_cmge, fp_cmp_ge(a, b, sz, st) ? emask(sz) : 0)
FOP3(f_cmgt, fp_cmp_gt(a, b, sz, st) ? emask(sz) : 0)
FOP3(f_acge, fp_cmp_ge(fp_abs(a, sz), fp_abs(b, sz), sz, st) ? emask(sz) : 0)
FOP3(f_acgt, fp_cmp_gt(fp_abs(a, sz), fp_abs(b, sz), sz, st) ? emask(sz) : 0)

V_INLINE int fsame3(struct cpu *c, const struct dinsn *d, fop3_fn *op, bool pairwise,
		    bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FSZ(d), ne = NELEM(d, esz, scalar), i;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 }, pair[4];
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	fpst_begin(&st, s);
	if (pairwise) {
		concat(n, m, ne, esz, pair);
		for (i = 0; i < ne; i++)
			set_elem(r, i, esz, op(elem(pair, 2 * i, esz), elem(pair, 2 * i + 1, esz),
					       0, esz, &st));
	} else {
		for (i = 0; i < ne; i++)
			set_elem(r, i, esz, op(elem(n, i, esz), elem(m, i, esz), elem(dv, i, esz),
					       esz, &st));
	}
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* ---- three different ---------------------------------------------------------------- */

/*
 * A long element operation: a, b extended to 128 bits (a of Vn, or of
 * the wide Vn), acc the wide element of Vd; the result has wsz.
 */
typedef uint64_t wop_fn(__int128 a, __int128 b, __int128 acc, unsigned int wsz, bool *qc);

#define WOP(name, expr)							\
static inline uint64_t name(__int128 a, __int128 b, __int128 acc, unsigned int wsz,	\
			    bool *qc)					\
{									\
	(void)acc, (void)qc;						\
	return (uint64_t)(expr);					\
}
WOP(w_add, a + b)
WOP(w_sub, a - b)
WOP(w_aba, acc + iabs(a - b))
WOP(w_abd, iabs(a - b))
WOP(w_mla, acc + a * b)
WOP(w_mls, acc - a * b)
WOP(w_mul, a * b)
WOP(w_pmul, pmull((uint64_t)a, (uint64_t)b, 4u << wsz))
WOP(w_sqdmull, ssat(2 * a * b, wsz, qc))
WOP(w_sqdmlal, ssat(acc + sx(ssat(2 * a * b, wsz, qc), wsz), wsz, qc))
WOP(w_sqdmlsl, ssat(acc - sx(ssat(2 * a * b, wsz, qc), wsz), wsz, qc))

/* Vd (wide) = op(Vn, Vm), from the lower or upper (Q) half; wide: Vn is
 * already wide */
V_INLINE int diff3(struct cpu *c, const struct dinsn *d, wop_fn *op, bool u, bool wide,
		   bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), wsz = esz + 1, ne = scalar ? 1 : 8u >> esz;
	unsigned int part = Q(d) && !scalar ? ne : 0;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 };
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	for (unsigned int i = 0; i < ne; i++) {
		__int128 a, b = ival(elem(m, part + i, esz), esz, u);

		if (wide)
			a = ival(elem(n, i, wsz), wsz, u);
		else
			a = ival(elem(n, part + i, esz), esz, u);
		set_elem(r, i, wsz, op(a, b, ival(elem(dv, i, wsz), wsz, u), wsz, &qc) &
			 emask(wsz));
	}
	set_qc(s, qc);
	vwrite(s, d->rd, r, !scalar);
	return EXEC_NEXT;
}

/* ADDHN, SUBHN and the rounding forms: the high halves of the wide sums */
V_INLINE int addhn(struct cpu *c, const struct dinsn *d, bool sub, bool round)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), wsz = esz + 1, ne = 8u >> esz, bits = 8u << esz;
	unsigned int part = Q(d) ? ne : 0;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	if (Q(d))
		r[0] = dv[0];
	for (unsigned int i = 0; i < ne; i++) {
		uint64_t a = elem(n, i, wsz), b = elem(m, i, wsz);
		uint64_t x = sub ? a - b : a + b;

		if (round)
			x += 1ULL << (bits - 1);
		set_elem(r, part + i, esz, (x & emask(wsz)) >> bits);
	}
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/* ---- two-register miscellaneous --------------------------------------------------- */

/* An integer element operation on a of Vn (d of Vd for the accumulating
 * SUQADD/USQADD); sa is a sign-extended, m the element mask. */
typedef uint64_t uop_fn(uint64_t a, uint64_t d, unsigned int esz, bool u, bool *qc);

#define UOP(name, expr)							\
static inline uint64_t name(uint64_t a, uint64_t d, unsigned int esz, bool u,	\
			    bool *qc)					\
{									\
	int64_t sa = sx(a, esz);					\
	uint64_t m = emask(esz);					\
	unsigned int bits = 8u << esz;					\
									\
	(void)sa, (void)m, (void)bits, (void)d, (void)qc;		\
	return (expr);							\
}

static uint64_t rbit8(uint64_t v)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if (v >> i & 1)
			r |= 1u << (7 - i);
	return r;
}

static inline uint64_t cls(int64_t sa, uint64_t m, unsigned int bits)
{
	uint64_t t = (uint64_t)(sa ^ (sa >> 63)) & m;

	return t ? (uint64_t)(__builtin_clzll(t) - (64 - (int)bits)) - 1 : bits - 1;
}

UOP(u_suqadd, u ? usat((__int128)d + sa, esz, qc) : ssat((__int128)sx(d, esz) + a, esz, qc))
UOP(u_cls, cls(sa, m, bits))
UOP(u_clz, a ? (uint64_t)(__builtin_clzll(a) - (64 - (int)bits)) : bits)
UOP(u_cnt, (uint64_t)__builtin_popcountll(a))
UOP(u_not, ~a & 0xff)
UOP(u_rbit, rbit8(a))
UOP(u_sqabs, ssat(sa < 0 ? -(__int128)sa : sa, esz, qc))
UOP(u_sqneg, ssat(-(__int128)sa, esz, qc))
UOP(u_cmgt0, sa > 0 ? m : 0)
UOP(u_cmge0, sa >= 0 ? m : 0)
UOP(u_cmeq0, sa == 0 ? m : 0)
UOP(u_cmle0, sa <= 0 ? m : 0)
UOP(u_cmlt0, sa < 0 ? m : 0)
UOP(u_abs, (sa < 0 ? -(uint64_t)sa : (uint64_t)sa) & m)
UOP(u_neg, -a & m)

V_INLINE int misc2(struct cpu *c, const struct dinsn *d, uop_fn *op, bool u, unsigned int esz,
		   bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int ne = NELEM(d, esz, scalar);
	uint64_t n[2], dv[2], r[2] = { 0, 0 };
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(elem(n, i, esz), elem(dv, i, esz), esz, u, &qc));
	set_qc(s, qc);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* REV16, REV32, REV64: elements reversed in each container of cont bytes */
V_INLINE int rev(struct cpu *c, const struct dinsn *d, unsigned int cont)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), per = cont >> esz, ne = NELEM(d, esz, false);
	uint64_t n[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, elem(n, (i / per) * per + (per - 1 - i % per), esz));
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/* [SU]ADDLP, [SU]ADALP: sums of adjacent pairs, long, accumulated or not */
V_INLINE int addlp(struct cpu *c, const struct dinsn *d, bool u, bool acc)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), nw = NELEM(d, esz, false) / 2;
	uint64_t n[2], dv[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	for (unsigned int i = 0; i < nw; i++) {
		__int128 x = ival(elem(n, 2 * i, esz), esz, u) + ival(elem(n, 2 * i + 1, esz), esz, u);

		if (acc)
			x += elem(dv, i, esz + 1);
		set_elem(r, i, esz + 1, (uint64_t)x & emask(esz + 1));
	}
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/*
 * Narrowing (XTN, [SU]Q[R]SHR[U]N, ...): each wide element of Vn,
 * extended by uns, rounded and shifted right by sh, made narrow by out,
 * into the lower half of Vd or (Q) the upper one.
 */
typedef uint64_t nop_fn(__int128 v, unsigned int esz, bool *qc);

static inline uint64_t n_trunc(__int128 v, unsigned int esz, bool *qc)
{
	return (uint64_t)v & emask(esz);
}

V_INLINE int narrow(struct cpu *c, const struct dinsn *d, unsigned int esz, unsigned int sh,
		    bool uns, bool round, nop_fn *out, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int nn = scalar ? 1 : 8u >> esz, part = Q(d) && !scalar ? nn : 0;
	uint64_t n[2], dv[2], r[2] = { 0, 0 };
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	if (part)
		memcpy(r, dv, 8);
	for (unsigned int i = 0; i < nn; i++) {
		__int128 v = ival(elem(n, i, esz + 1), esz + 1, uns);

		if (round)
			v += (__int128)1 << (sh - 1);
		set_elem(r, part + i, esz, out(v >> sh, esz, &qc));
	}
	set_qc(s, qc);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* SHLL, [SU]SHLL: the lower or (Q) upper half of Vn, long, shifted left */
V_INLINE int widen(struct cpu *c, const struct dinsn *d, unsigned int esz, unsigned int sh,
		   bool u)
{
	struct cpu_state *s = &c->state;
	unsigned int ne = 8u >> esz, part = Q(d) ? ne : 0;
	uint64_t n[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz + 1,
			 ((uint64_t)ival(elem(n, part + i, esz), esz, u) << sh) & emask(esz + 1));
	vwrite(s, d->rd, r, true);
	return EXEC_NEXT;
}

/* FCVTN, FCVTXN (double to single, or single to half), FCVTL */
V_INLINE int fcvtn(struct cpu *c, const struct dinsn *d, bool odd, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int from = FSZ(d), to = from - 1, nn = scalar ? 1 : 8u >> to;
	unsigned int part = Q(d) && !scalar ? nn : 0;
	uint64_t n[2], dv[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	fpst_begin(&st, s);
	if (part)
		memcpy(r, dv, 8);
	for (unsigned int i = 0; i < nn; i++) {
		uint64_t x = elem(n, i, from);

		x = odd ? fp_convert_odd(x, &st) : fp_convert(x, from, to, &st);
		set_elem(r, part + i, to, x);
	}
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

static int exec_FCVTL_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int to = FSZ(d), from = to - 1, nn = 8u >> from, part = Q(d) ? nn : 0;
	uint64_t n[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < nn; i++)
		set_elem(r, i, to, fp_convert(elem(n, part + i, from), from, to, &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r, true);
	return EXEC_NEXT;
}

/* FP element by element: Vd = op(Vn) */
V_INLINE int fmisc2(struct cpu *c, const struct dinsn *d, fop1_fn *op, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FSZ(d), ne = NELEM(d, esz, scalar);
	uint64_t n[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(elem(n, i, esz), esz, &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

#define FOP1(name, expr)						\
static inline uint64_t name(uint64_t a, unsigned int sz, struct fpst *st)	\
{									\
	return (expr);							\
}
FOP1(f_cmgt0, fp_cmp_gt(a, 0, sz, st) ? emask(sz) : 0)
FOP1(f_cmeq0, fp_cmp_eq(a, 0, sz, st) ? emask(sz) : 0)
FOP1(f_cmlt0, fp_cmp_gt(0, a, sz, st) ? emask(sz) : 0)
FOP1(f_cmge0, fp_cmp_ge(a, 0, sz, st) ? emask(sz) : 0)
FOP1(f_cmle0, fp_cmp_ge(0, a, sz, st) ? emask(sz) : 0)
FOP1(f_urecpe, fp_urecpe((uint32_t)a))
FOP1(f_ursqrte, fp_ursqrte((uint32_t)a))

/*
 * FP to integer or fixed point (fbits fraction bits), rounding rm, and
 * back: the two-register forms (fbits 0) and the shifts by immediate.
 */
V_INLINE int fcvt_to(struct cpu *c, const struct dinsn *d, unsigned int esz,
		     unsigned int fbits, bool u, unsigned int rm, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int ne = NELEM(d, esz, scalar);
	uint64_t n[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, fp_to_fixed(elem(n, i, esz), esz, fbits, u, 8u << esz, rm, &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

V_INLINE int fcvt_from(struct cpu *c, const struct dinsn *d, unsigned int esz,
		       unsigned int fbits, bool u, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int ne = NELEM(d, esz, scalar);
	uint64_t n[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, fp_from_fixed(elem(n, i, esz), 8u << esz, fbits, u, esz,
						  fp_rmode_of(&st), &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* ---- across lanes and scalar pairwise ------------------------------------------------ */

/* 64-bit elements cannot be reduced; 32-bit ones only in a 128-bit vector */
static bool prep_across(struct dinsn *d)
{
	return SIZE(d) < 2 || (SIZE(d) == 2 && Q(d));
}

typedef __int128 aop_fn(__int128 acc, __int128 x);

static inline __int128 a_add(__int128 acc, __int128 x)
{
	return acc + x;
}

static inline __int128 a_max(__int128 acc, __int128 x)
{
	return x > acc ? x : acc;
}

static inline __int128 a_min(__int128 acc, __int128 x)
{
	return x < acc ? x : acc;
}

/* [SU]ADDLV (long), ADDV, [SU]MAXV, [SU]MINV */
V_INLINE int across(struct cpu *c, const struct dinsn *d, aop_fn *op, bool u, bool lng)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, false), rsz = esz + lng;
	uint64_t n[2];
	__int128 acc;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	acc = ival(elem(n, 0, esz), esz, u);
	for (unsigned int i = 1; i < ne; i++)
		acc = op(acc, ival(elem(n, i, esz), esz, u));
	vset_scalar(s, d->rd, (uint64_t)acc & emask(rsz), rsz);
	return EXEC_NEXT;
}

/* Arm's Reduce(): a pairwise tree over the elements */
static uint64_t fp_reduce(fop3_fn *op, const uint64_t *v, unsigned int lo, unsigned int n,
			  unsigned int esz, struct fpst *st)
{
	if (n == 1)
		return elem(v, lo, esz);
	return op(fp_reduce(op, v, lo, n / 2, esz, st), fp_reduce(op, v, lo + n / 2, n / 2, esz, st),
		  0, esz, st);
}

/* FMAXV, FMINV, FMAXNMV, FMINNMV: .4S only */
V_INLINE int facross(struct cpu *c, const struct dinsn *d, fop3_fn *op)
{
	struct cpu_state *s = &c->state;
	uint64_t n[2], r;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	r = fp_reduce(op, n, 0, 4, 2, &st);
	fpst_end(s, &st);
	vset_scalar(s, d->rd, r, 2);
	return EXEC_NEXT;
}

/* ADDP Dd, Vn.2D */
static int exec_ADDP_s(struct cpu *c, const struct dinsn *d)
{
	uint64_t n[2];

	SIMD_ENTER(c);
	vread(&c->state, d->rn, n);
	vset_scalar(&c->state, d->rd, n[0] + n[1], 3);
	return EXEC_NEXT;
}

/* the FP pairwise operations on the two elements of Vn */
V_INLINE int fpair(struct cpu *c, const struct dinsn *d, fop3_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FSZ(d);
	uint64_t n[2], r;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	r = op(elem(n, 0, esz), elem(n, 1, esz), 0, esz, &st);
	fpst_end(s, &st);
	vset_scalar(s, d->rd, r, esz);
	return EXEC_NEXT;
}

/* ---- the groups not yet written as rows ------------------------------------------------ */

/* d->aux: the decoded operation */
struct simd_op {
	uint8_t op;		/* group-specific opcode */
	uint8_t u;		/* the U bit */
	uint8_t esz;		/* element size, log2 bytes */
	uint8_t q;		/* 128-bit vector */
	uint8_t scalar;
	uint8_t idx;		/* element index (by element, copy) */
	uint8_t shift;		/* shift amount, fraction bits */
	uint8_t extra;
};

_Static_assert(sizeof(struct simd_op) == 8, "simd_op fits aux");

static inline struct simd_op get_op(const struct dinsn *d)
{
	struct simd_op o;

	memcpy(&o, &d->aux, sizeof(o));
	return o;
}

static inline void put_op(struct dinsn *d, const struct simd_op *o)
{
	memcpy(&d->aux, o, sizeof(*o));
}

/* the integer "three same" operations, by opcode<4:0> and U */
static uint64_t int3(unsigned int op, bool u, uint64_t a, uint64_t b, uint64_t d,
		     unsigned int esz, bool *qc)
{
	__int128 x = ival(a, esz, u), y = ival(b, esz, u), t;
	uint64_t m = emask(esz);

	switch (op) {
	case 0: return (uint64_t)((x + y) >> 1) & m;
	case 1: return u ? usat(x + y, esz, qc) : ssat(x + y, esz, qc);
	case 2: return (uint64_t)((x + y + 1) >> 1) & m;
	case 4: return (uint64_t)((x - y) >> 1) & m;
	case 5: return u ? usat(x - y, esz, qc) : ssat(x - y, esz, qc);
	case 6: return x > y ? m : 0;
	case 7: return x >= y ? m : 0;
	case 8: return shift_elem(a, (int8_t)b, esz, u, false, 0, qc);
	case 9: return shift_elem(a, (int8_t)b, esz, u, false, 1, qc);
	case 10: return shift_elem(a, (int8_t)b, esz, u, true, 0, qc);
	case 11: return shift_elem(a, (int8_t)b, esz, u, true, 1, qc);
	case 12: case 20: return (uint64_t)(x > y ? x : y) & m;
	case 13: case 21: return (uint64_t)(x < y ? x : y) & m;
	case 14: t = x - y; return (uint64_t)(t < 0 ? -t : t) & m;
	case 15: t = x - y; return (d + (uint64_t)(t < 0 ? -t : t)) & m;
	case 16: return (u ? a - b : a + b) & m;
	case 17: return u ? (a == b ? m : 0) : ((a & b) ? m : 0);
	case 18: return (u ? d - a * b : d + a * b) & m;
	case 19: return u ? pmul8(a, b) & m : (a * b) & m;
	case 22: return sqdmulh(a, b, esz, u, qc);
	default: return (a + b) & m;				/* 23: ADDP */
	}
}

/* ---- copy: DUP, INS, UMOV, SMOV ------------------------------------------------------ */

static bool prep_copy(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int imm5 = FIELD(d->insn, 20, 16), imm4 = FIELD(d->insn, 14, 11);
	unsigned int op = BIT(d->insn, 29);

	if (!(imm5 & 15))
		return false;
	o.esz = (uint8_t)__builtin_ctz(imm5);
	o.idx = (uint8_t)(imm5 >> (o.esz + 1));
	o.q = BIT(d->insn, 30);
	o.scalar = BIT(d->insn, 28);
	if (o.scalar) {
		if (op || imm4)
			return false;
		o.op = 0;				/* DUP (element), scalar */
		put_op(d, &o);
		return true;
	}
	if (op) {
		if (!o.q)
			return false;
		o.op = 4;				/* INS (element) */
		o.shift = (uint8_t)(imm4 >> o.esz);	/* source index */
		put_op(d, &o);
		return true;
	}
	switch (imm4) {
	case 0: o.op = 0; if (o.esz == 3 && !o.q) return false; break;	/* DUP element */
	case 1: o.op = 1; if (o.esz == 3 && !o.q) return false; break;	/* DUP general */
	case 3: o.op = 3; if (!o.q) return false; break;		/* INS general */
	case 5: o.op = 5; if (o.esz >= (o.q ? 3 : 2)) return false; break;	/* SMOV */
	case 7: o.op = 7; if (o.q != (o.esz == 3)) return false; break;	/* UMOV */
	default: return false;
	}
	put_op(d, &o);
	return true;
}

static int simd_copy(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int ne = o.scalar ? 1 : (o.q ? 16u : 8u) >> o.esz;
	uint64_t n[2], r[2] = { 0, 0 }, x;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	switch (o.op) {
	case 0: case 1:
		x = o.op == 0 ? elem(n, o.idx, o.esz) : xreg(s, d->rn) & emask(o.esz);
		for (unsigned int i = 0; i < ne; i++)
			set_elem(r, i, o.esz, x);
		vwrite(s, d->rd, r, o.q && !o.scalar);
		break;
	case 3: case 4:
		vread(s, d->rd, r);
		x = o.op == 3 ? xreg(s, d->rn) : elem(n, o.shift, o.esz);
		set_elem(r, o.idx, o.esz, x);
		vwrite(s, d->rd, r, true);
		break;
	case 5:
		x = (uint64_t)sx(elem(n, o.idx, o.esz), o.esz);
		set_xreg(s, d->rd, o.q ? x : (uint32_t)x);
		break;
	default:
		set_xreg(s, d->rd, elem(n, o.idx, o.esz));
		break;
	}
	return EXEC_NEXT;
}

/* ---- modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector) ---------------------------- */

static uint64_t expand_imm(unsigned int op, unsigned int cmode, unsigned int imm8)
{
	uint64_t imm = imm8, r = 0;

	switch (cmode >> 1) {
	case 0: return imm * 0x0000000100000001ULL;
	case 1: return (imm << 8) * 0x0000000100000001ULL;
	case 2: return (imm << 16) * 0x0000000100000001ULL;
	case 3: return (imm << 24) * 0x0000000100000001ULL;
	case 4: return imm * 0x0001000100010001ULL;
	case 5: return (imm << 8) * 0x0001000100010001ULL;
	case 6:
		if (!(cmode & 1))
			return ((imm << 8) | 0xff) * 0x0000000100000001ULL;
		return ((imm << 16) | 0xffff) * 0x0000000100000001ULL;
	default:
		if (!(cmode & 1) && !op)
			return imm * 0x0101010101010101ULL;
		if (!(cmode & 1) && op) {
			for (int i = 0; i < 8; i++)
				if (imm8 >> i & 1)
					r |= 0xffULL << (8 * i);
			return r;
		}
		if (!op)
			return vfp_expand_imm(imm8, 2) * 0x0000000100000001ULL;
		return vfp_expand_imm(imm8, 3);
	}
}

static bool prep_mod_imm(struct dinsn *d)
{
	unsigned int q = BIT(d->insn, 30), op = BIT(d->insn, 29), cmode = FIELD(d->insn, 15, 12);
	unsigned int imm8 = FIELD(d->insn, 18, 16) << 5 | FIELD(d->insn, 9, 5);
	unsigned int kind;	/* 0 MOVI, 1 MVNI, 2 ORR, 3 BIC */

	if (BIT(d->insn, 11))			/* o2: FMOV half (FP16) */
		return false;
	if (cmode == 15 && op && !q)
		return false;
	if (cmode < 8)
		kind = (cmode & 1) ? (op ? 3 : 2) : (op ? 1 : 0);
	else if (cmode < 12)
		kind = (cmode & 1) ? (op ? 3 : 2) : (op ? 1 : 0);
	else if (cmode < 14)
		kind = op ? 1 : 0;
	else
		kind = 0;
	d->imm = (int64_t)expand_imm(op, cmode, imm8);
	d->ra = (uint8_t)(kind | q << 2);
	return true;
}

static int simd_mod_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t imm = (uint64_t)d->imm, v[2];
	bool q = d->ra & 4;

	SIMD_ENTER(c);
	switch (d->ra & 3) {
	case 0: v[0] = v[1] = imm; break;
	case 1: v[0] = v[1] = ~imm; break;
	case 2: vread(s, d->rd, v); v[0] |= imm; v[1] |= imm; break;
	default: vread(s, d->rd, v); v[0] &= ~imm; v[1] &= ~imm; break;
	}
	vwrite(s, d->rd, v, q);
	return EXEC_NEXT;
}

/* ---- shift by immediate --------------------------------------------------------------- */

static bool prep_shift_imm(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int immh = FIELD(d->insn, 22, 19), immhb = FIELD(d->insn, 22, 16);
	unsigned int opc = FIELD(d->insn, 15, 11), esz;

	if (!immh)
		return false;
	esz = 31 - (unsigned int)__builtin_clz(immh);
	o.u = BIT(d->insn, 29);
	o.q = BIT(d->insn, 30);
	o.scalar = BIT(d->insn, 28);
	o.op = (uint8_t)opc;
	o.esz = (uint8_t)esz;
	/* right shifts: 2 * esize - immh:immb; left: immh:immb - esize */
	switch (opc) {
	case 0: case 2: case 4: case 6: case 8: case 28: case 31:
		o.shift = (uint8_t)((16u << esz) - immhb);
		break;
	case 10: case 12: case 14:
		o.shift = (uint8_t)(immhb - (8u << esz));
		break;
	case 16: case 17: case 18: case 19:
		if (esz == 3)
			return false;
		o.shift = (uint8_t)((16u << esz) - immhb);	/* of the narrow size */
		break;
	case 20:
		if (esz == 3 || o.scalar)
			return false;
		o.shift = (uint8_t)(immhb - (8u << esz));
		break;
	default:
		return false;
	}
	if (opc == 8 && !o.u)
		return false;				/* SRI is U=1 */
	if (opc == 12 && !o.u)
		return false;				/* SQSHLU */
	if ((opc == 16 || opc == 17) && o.scalar && !o.u)
		return false;				/* SHRN/RSHRN: vector only */
	if (opc == 28 || opc == 31) {
		if (esz < 2)
			return false;			/* FP16 */
	}
	if (o.scalar && esz != 3 && opc <= 10)
		return false;				/* D only */
	if (!o.scalar && esz == 3 && !o.q && opc != 16 && opc != 17 && opc != 18 &&
	    opc != 19 && opc != 20)
		return false;
	put_op(d, &o);
	return true;
}

static int simd_shift_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int esz = o.esz, bits = 8u << esz, sh = o.shift;
	unsigned int ne = o.scalar ? 1 : (o.q ? 16u : 8u) >> esz;
	uint64_t n[2], dv[2], r[2] = { 0, 0 }, m = emask(esz);
	bool qc = false, u = o.u;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	if (o.op >= 16 && o.op <= 19) {		/* narrowing */
		unsigned int nn = o.scalar ? 1 : 8u >> esz, part = o.q && !o.scalar ? nn : 0;
		bool round = o.op & 1;

		if (part)
			memcpy(r, dv, 8);
		for (unsigned int i = 0; i < nn; i++) {
			uint64_t w = elem(n, i, esz + 1), x;

			__int128 v = ival(w, esz + 1, o.op <= 17 ? !u : u);

			if (round)
				v += (__int128)1 << (sh - 1);
			v >>= sh;
			if (o.op <= 17 && !u)		/* SHRN, RSHRN */
				x = (uint64_t)v & m;
			else if (o.op <= 17)		/* SQSHRUN, SQRSHRUN */
				x = usat(v, esz, &qc);
			else				/* [SU]Q[R]SHRN */
				x = u ? usat(v, esz, &qc) : ssat(v, esz, &qc);
			set_elem(r, part + i, esz, x);
		}
		if (qc)
			s->fpsr |= FPSR_QC;
		vwrite(s, d->rd, r, o.q && !o.scalar);
		return EXEC_NEXT;
	}
	if (o.op == 20) {			/* SSHLL/USHLL */
		unsigned int part = o.q ? 8u >> esz : 0;

		for (unsigned int i = 0; i < (8u >> esz); i++)
			set_elem(r, i, esz + 1,
				 ((uint64_t)ival(elem(n, part + i, esz), esz, u) << sh) &
				 emask(esz + 1));
		vwrite(s, d->rd, r, true);
		return EXEC_NEXT;
	}
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++) {
		uint64_t a = elem(n, i, esz), dd = elem(dv, i, esz), x;

		switch (o.op) {
		case 0: x = shift_elem(a, -(int)sh, esz, u, false, 0, &qc); break;
		case 2: x = (dd + shift_elem(a, -(int)sh, esz, u, false, 0, &qc)) & m; break;
		case 4: x = shift_elem(a, -(int)sh, esz, u, true, 0, &qc); break;
		case 6: x = (dd + shift_elem(a, -(int)sh, esz, u, true, 0, &qc)) & m; break;
		case 8: {			/* SRI */
			uint64_t keep = sh >= bits ? m : ~(m >> sh) & m;

			x = sh >= bits ? dd : (dd & keep) | (a >> sh);
			break;
		}
		case 10:
			if (!u)
				x = (a << sh) & m;
			else			/* SLI */
				x = ((a << sh) & m) | (dd & ((1ULL << sh) - 1));
			break;
		case 12: x = shift_elem(a, (int)sh, esz, false, false, 2, &qc); break;
		case 14: x = shift_elem(a, (int)sh, esz, u, false, 1, &qc); break;
		case 28: x = fp_from_fixed(a, bits, sh, u, esz, fp_rmode_of(&st), &st); break;
		default: x = fp_to_fixed(a, esz, sh, u, bits, FPR_ZERO, &st); break;
		}
		set_elem(r, i, esz, x);
	}
	fpst_end(s, &st);
	if (qc)
		s->fpsr |= FPSR_QC;
	vwrite(s, d->rd, r, o.q && !o.scalar);
	return EXEC_NEXT;
}

/* ---- by element ------------------------------------------------------------------------- */

static bool prep_by_elem(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 15, 12), size = FIELD(d->insn, 23, 22);
	unsigned int h = BIT(d->insn, 11), l = BIT(d->insn, 21), mbit = BIT(d->insn, 20);
	bool fp = opc == 1 || opc == 5 || opc == 9;

	o.u = BIT(d->insn, 29);
	o.q = BIT(d->insn, 30);
	o.scalar = BIT(d->insn, 28);
	o.op = (uint8_t)opc;
	if (fp) {
		if (size < 2 || (o.u && opc != 9))
			return false;
		o.esz = (uint8_t)size;
		if (size == 3) {
			if (l || (!o.q && !o.scalar))
				return false;
			o.idx = (uint8_t)h;
		} else {
			o.idx = (uint8_t)(h << 1 | l);
		}
		o.extra = 1;
		d->rm = (uint8_t)(mbit << 4 | FIELD(d->insn, 19, 16));
		put_op(d, &o);
		return true;
	}
	if (size == 0 || size == 3)
		return false;
	o.esz = (uint8_t)size;
	if (size == 1) {
		o.idx = (uint8_t)(h << 2 | l << 1 | mbit);
		d->rm = (uint8_t)FIELD(d->insn, 19, 16);
	} else {
		o.idx = (uint8_t)(h << 1 | l);
		d->rm = (uint8_t)(mbit << 4 | FIELD(d->insn, 19, 16));
	}
	switch (opc) {
	case 0: case 4: if (!o.u || o.scalar) return false; break;	/* MLA, MLS */
	case 8: if (o.u || o.scalar) return false; break;		/* MUL */
	case 2: case 6: case 10: if (o.scalar) return false; break;	/* [SU]MLAL, MLSL, MULL */
	case 3: case 7: case 11: if (o.u) return false; break;	/* SQDMLAL, SQDMLSL, SQDMULL */
	case 12: case 13: if (o.u) return false; break;		/* SQDMULH, SQRDMULH */
	default: return false;
	}
	put_op(d, &o);
	return true;
}

static int simd_by_elem(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int esz = o.esz, ne = o.scalar ? 1 : (o.q ? 16u : 8u) >> esz;
	uint64_t n[2], mv[2], dv[2], r[2] = { 0, 0 }, b;
	bool qc = false, u = o.u;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, mv);
	vread(s, d->rd, dv);
	b = elem(mv, o.idx, esz);
	if (o.extra) {
		fpst_begin(&st, s);
		for (unsigned int i = 0; i < ne; i++) {
			uint64_t a = elem(n, i, esz), x;

			switch (o.op) {
			case 1: x = fp_muladd(elem(dv, i, esz), a, b, esz, &st); break;
			case 5: x = fp_muladd(elem(dv, i, esz), fp_neg(a, esz), b, esz, &st); break;
			default: x = u ? fp_mulx(a, b, esz, &st) : fp_mul(a, b, esz, &st); break;
			}
			set_elem(r, i, esz, x);
		}
		fpst_end(s, &st);
		vwrite(s, d->rd, r, o.q && !o.scalar);
		return EXEC_NEXT;
	}
	switch (o.op) {
	case 0: case 4: case 8: case 12: case 13:
		for (unsigned int i = 0; i < ne; i++) {
			uint64_t a = elem(n, i, esz), x;

			if (o.op == 0)
				x = int3(18, false, a, b, elem(dv, i, esz), esz, &qc);
			else if (o.op == 4)
				x = int3(18, true, a, b, elem(dv, i, esz), esz, &qc);
			else if (o.op == 8)
				x = int3(19, false, a, b, 0, esz, &qc);
			else
				x = sqdmulh(a, b, esz, o.op == 13, &qc);
			set_elem(r, i, esz, x);
		}
		if (qc)
			s->fpsr |= FPSR_QC;
		vwrite(s, d->rd, r, o.q && !o.scalar);
		return EXEC_NEXT;
	default: {
		/* long: [SU]MLAL, [SU]MLSL, [SU]MULL, SQDML[AS]L, SQDMULL */
		unsigned int wsz = esz + 1, nn = o.scalar ? 1 : 8u >> esz;
		unsigned int part = o.q && !o.scalar ? nn : 0;

		for (unsigned int i = 0; i < nn; i++) {
			__int128 a = ival(elem(n, part + i, esz), esz, u), bb = ival(b, esz, u);
			__int128 acc = ival(elem(dv, i, wsz), wsz, u);
			uint64_t x, p;

			switch (o.op) {
			case 2: x = (uint64_t)(acc + a * bb); break;
			case 6: x = (uint64_t)(acc - a * bb); break;
			case 10: x = (uint64_t)(a * bb); break;
			default:
				p = ssat(2 * a * bb, wsz, &qc);
				if (o.op == 11)
					x = p;
				else if (o.op == 3)
					x = ssat(acc + sx(p, wsz), wsz, &qc);
				else
					x = ssat(acc - sx(p, wsz), wsz, &qc);
				break;
			}
			set_elem(r, i, wsz, x & emask(wsz));
		}
		if (qc)
			s->fpsr |= FPSR_QC;
		vwrite(s, d->rd, r, !o.scalar);
		return EXEC_NEXT;
	}
	}
}

/* ---- permute, extract, table lookup ------------------------------------------------------ */

static bool prep_permute(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 14, 12), size = FIELD(d->insn, 23, 22);

	if (!(opc & 3) || (size == 3 && !BIT(d->insn, 30)))
		return false;
	return true;
}

static int simd_permute(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FIELD(d->insn, 23, 22), opc = FIELD(d->insn, 14, 12);
	bool q = BIT(d->insn, 30);
	unsigned int ne = (q ? 16u : 8u) >> esz, part = opc >> 2;
	uint64_t n[2], m[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	for (unsigned int i = 0; i < ne; i++) {
		uint64_t x;

		switch (opc & 3) {
		case 1: {		/* UZP: even (or odd) elements of Vn:Vm */
			unsigned int j = 2 * i + part;

			x = j < ne ? elem(n, j, esz) : elem(m, j - ne, esz);
			break;
		}
		case 2: {		/* TRN */
			unsigned int p = i & ~1u;

			x = (i & 1) ? elem(m, p + part, esz) : elem(n, p + part, esz);
			break;
		}
		default: {		/* ZIP */
			unsigned int base = part * ne / 2;

			x = (i & 1) ? elem(m, base + i / 2, esz) : elem(n, base + i / 2, esz);
			break;
		}
		}
		set_elem(r, i, esz, x);
	}
	vwrite(s, d->rd, r, q);
	return EXEC_NEXT;
}

static bool prep_ext(struct dinsn *d)
{
	return BIT(d->insn, 30) || !BIT(d->insn, 14);
}

static int simd_ext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	bool q = BIT(d->insn, 30);
	unsigned int pos = FIELD(d->insn, 14, 11), nb = q ? 16 : 8;
	uint8_t cat[32], r[16] = { 0 };
	uint64_t v[2];

	SIMD_ENTER(c);
	memcpy(cat, s->z[d->rn], nb);
	memcpy(cat + nb, s->z[d->rm], nb);
	memcpy(r, cat + pos, nb);
	memcpy(v, r, 16);
	vwrite(s, d->rd, v, q);
	return EXEC_NEXT;
}

static int simd_tbl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	bool q = BIT(d->insn, 30), tbx = BIT(d->insn, 12);
	unsigned int len = FIELD(d->insn, 14, 13) + 1, nb = q ? 16 : 8;
	uint8_t table[64], idx[16], r[16] = { 0 };
	uint64_t v[2];

	SIMD_ENTER(c);
	for (unsigned int i = 0; i < len; i++)
		memcpy(table + 16 * i, s->z[(d->rn + i) % 32], 16);
	memcpy(idx, s->z[d->rm], 16);
	if (tbx)
		memcpy(r, s->z[d->rd], 16);
	for (unsigned int i = 0; i < nb; i++)
		if (idx[i] < 16 * len)
			r[i] = table[idx[i]];
		else if (!tbx)
			r[i] = 0;
	memcpy(v, r, 16);
	vwrite(s, d->rd, v, q);
	return EXEC_NEXT;
}

/* ---- structure loads and stores: LD1-LD4, ST1-ST4, LD1R-LD4R ----------------------------- */

/* SP as the base must be 16-byte aligned when SCTLR_EL1.SA/SA0 say so */
static int struct_base(struct cpu *c, unsigned int rn, uint64_t *base)
{
	struct cpu_state *s = &c->state;

	*base = xreg_sp(s, rn);
	if (rn == 31 && (*base & 15) &&
	    (s->sysreg[SR_SCTLR_EL1] & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

/* d->imm: bytes transferred (the post-index immediate); d->aux: see below */
#define LS_SELEM(d)	((unsigned int)((d)->aux & 7))
#define LS_RPT(d)	((unsigned int)((d)->aux >> 3 & 7))
#define LS_ESZ(d)	((unsigned int)((d)->aux >> 6 & 3))
#define LS_INDEX(d)	((unsigned int)((d)->aux >> 8 & 15))
#define LS_REPL		(1u << 12)
#define LS_POSTIDX	(1u << 13)

static bool prep_ldst_multi(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 15, 12), size = FIELD(d->insn, 11, 10);
	unsigned int q = BIT(d->insn, 30), rpt, selem;

	switch (opc) {
	case 0: rpt = 1; selem = 4; break;
	case 2: rpt = 4; selem = 1; break;
	case 4: rpt = 1; selem = 3; break;
	case 6: rpt = 3; selem = 1; break;
	case 7: rpt = 1; selem = 1; break;
	case 8: rpt = 1; selem = 2; break;
	case 10: rpt = 2; selem = 1; break;
	default: return false;
	}
	if (size == 3 && !q && selem != 1)
		return false;
	d->aux = selem | rpt << 3 | size << 6 | (BIT(d->insn, 23) ? LS_POSTIDX : 0);
	d->imm = (int64_t)(rpt * selem * (q ? 16u : 8u));
	return true;
}

static bool prep_ldst_single(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 15, 13), size = FIELD(d->insn, 11, 10);
	unsigned int q = BIT(d->insn, 30), sbit = BIT(d->insn, 12), scale = opc >> 1;
	unsigned int selem = ((opc & 1) << 1 | BIT(d->insn, 21)) + 1, index = 0;
	uint64_t repl = 0;

	switch (scale) {
	case 3:
		if (!BIT(d->insn, 22) || sbit)
			return false;
		scale = size;
		repl = LS_REPL;
		break;
	case 0:
		index = q << 3 | sbit << 2 | size;
		break;
	case 1:
		if (size & 1)
			return false;
		index = q << 2 | sbit << 1 | size >> 1;
		break;
	default:
		if (size & 2)
			return false;
		if (!(size & 1)) {
			index = q << 1 | sbit;
		} else {
			if (size != 1 || sbit)
				return false;
			index = q;
			scale = 3;
		}
		break;
	}
	d->aux = selem | 1 << 3 | scale << 6 | index << 8 | repl |
		 (BIT(d->insn, 23) ? LS_POSTIDX : 0);
	d->imm = (int64_t)(selem << scale);
	return true;
}

static int ldst_writeback(struct cpu *c, const struct dinsn *d, uint64_t base)
{
	if (d->aux & LS_POSTIDX)
		set_xreg_sp(&c->state, d->rn,
			    base + (d->rm == 31 ? (uint64_t)d->imm : c->state.x[d->rm]));
	return EXEC_NEXT;
}

static int simd_ldst_multi(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int selem = LS_SELEM(d), rpt = LS_RPT(d), esz = LS_ESZ(d);
	bool q = BIT(d->insn, 30), load = BIT(d->insn, 22);
	unsigned int ne = (q ? 16u : 8u) >> esz, nregs = selem * rpt, eb = 1u << esz;
	uint64_t base, addr, v[4][2], x;

	SIMD_ENTER(c);
	if (struct_base(c, d->rn, &base))
		return EXEC_STOP;
	for (unsigned int i = 0; i < nregs; i++)
		vread(s, (d->rd + i) % 32, v[i]);
	addr = base;
	for (unsigned int r = 0; r < rpt; r++)
		for (unsigned int e = 0; e < ne; e++)
			for (unsigned int k = 0; k < selem; k++) {
				uint64_t *reg = v[r + k];

				if (load) {
					if (mem_read(c, addr, eb, 0, &x))
						return EXEC_STOP;
					set_elem(reg, e, esz, x);
				} else if (mem_write(c, addr, eb, ACC_WRITE, elem(reg, e, esz))) {
					return EXEC_STOP;
				}
				addr += eb;
			}
	if (load)
		for (unsigned int i = 0; i < nregs; i++)
			vwrite(s, (d->rd + i) % 32, v[i], q);
	return ldst_writeback(c, d, base);
}

static int simd_ldst_single(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int selem = LS_SELEM(d), esz = LS_ESZ(d), index = LS_INDEX(d);
	bool q = BIT(d->insn, 30), load = BIT(d->insn, 22), repl = d->aux & LS_REPL;
	unsigned int eb = 1u << esz;
	uint64_t base, addr, v[4][2], x;

	SIMD_ENTER(c);
	if (struct_base(c, d->rn, &base))
		return EXEC_STOP;
	addr = base;
	for (unsigned int k = 0; k < selem; k++) {
		unsigned int t = (d->rd + k) % 32;

		vread(s, t, v[k]);
		if (load) {
			if (mem_read(c, addr, eb, 0, &x))
				return EXEC_STOP;
			if (repl) {
				for (unsigned int e = 0; e < (16u >> esz); e++)
					set_elem(v[k], e, esz, x);
			} else {
				set_elem(v[k], index, esz, x);
			}
		} else if (mem_write(c, addr, eb, ACC_WRITE, elem(v[k], index, esz))) {
			return EXEC_STOP;
		}
		addr += eb;
	}
	if (load)
		for (unsigned int k = 0; k < selem; k++)
			vwrite(s, (d->rd + k) % 32, v[k], repl ? q : true);
	return ldst_writeback(c, d, base);
}

/* the groups not yet written as rows: their handlers of before */
#define exec_simd_copy_v	simd_copy
#define exec_simd_copy_s	simd_copy
#define exec_simd_mod_imm_v	simd_mod_imm
#define exec_simd_shift_imm_v	simd_shift_imm
#define exec_simd_shift_imm_s	simd_shift_imm
#define exec_simd_by_elem_v	simd_by_elem
#define exec_simd_by_elem_s	simd_by_elem
#define exec_simd_permute_v	simd_permute
#define exec_simd_ext_v		simd_ext
#define exec_simd_tbl_v		simd_tbl
#define exec_simd_ldst_multi_n	simd_ldst_multi
#define exec_simd_ldst_multi_p	simd_ldst_multi
#define exec_simd_ldst_single_n	simd_ldst_single
#define exec_simd_ldst_single_p	simd_ldst_single

/* ---- the rows: their handlers, in insn/simd.def's order ---------------------------- */

/* vector three same: integer (U, opcode 15:11) */
V_ROW(SHADD_v, same3, e_hadd, false, false, false)
V_ROW(UHADD_v, same3, e_hadd, true, false, false)
V_ROWS(SQADD, _v, _s, same3, e_qadd, false, false)
V_ROWS(UQADD, _v, _s, same3, e_qadd, true, false)
V_ROW(SRHADD_v, same3, e_rhadd, false, false, false)
V_ROW(URHADD_v, same3, e_rhadd, true, false, false)
V_ROW(SHSUB_v, same3, e_hsub, false, false, false)
V_ROW(UHSUB_v, same3, e_hsub, true, false, false)
V_ROWS(SQSUB, _v, _s, same3, e_qsub, false, false)
V_ROWS(UQSUB, _v, _s, same3, e_qsub, true, false)
V_ROWS(CMGT, _v, _s, same3, e_cmgt, false, false)
V_ROWS(CMHI, _v, _s, same3, e_cmgt, true, false)
V_ROWS(CMGE, _v, _s, same3, e_cmge, false, false)
V_ROWS(CMHS, _v, _s, same3, e_cmge, true, false)
V_ROWS(SSHL, _v, _s, same3, e_shl, false, false)
V_ROWS(USHL, _v, _s, same3, e_shl, true, false)
V_ROWS(SQSHL, _v, _s, same3, e_qshl, false, false)
V_ROWS(UQSHL, _v, _s, same3, e_qshl, true, false)
V_ROWS(SRSHL, _v, _s, same3, e_rshl, false, false)
V_ROWS(URSHL, _v, _s, same3, e_rshl, true, false)
V_ROWS(SQRSHL, _v, _s, same3, e_qrshl, false, false)
V_ROWS(UQRSHL, _v, _s, same3, e_qrshl, true, false)
V_ROW(SMAX_v, same3, e_max, false, false, false)
V_ROW(UMAX_v, same3, e_max, true, false, false)
V_ROW(SMIN_v, same3, e_min, false, false, false)
V_ROW(UMIN_v, same3, e_min, true, false, false)
V_ROW(SABD_v, same3, e_abd, false, false, false)
V_ROW(UABD_v, same3, e_abd, true, false, false)
V_ROW(SABA_v, same3, e_aba, false, false, false)
V_ROW(UABA_v, same3, e_aba, true, false, false)
V_ROWS(ADD, _v, _s, same3, e_add, false, false)
V_ROWS(SUB, _v, _s, same3, e_sub, true, false)
V_ROWS(CMTST, _v, _s, same3, e_cmtst, false, false)
V_ROWS(CMEQ, _v, _s, same3, e_cmeq, true, false)
V_ROW(MLA_v, same3, e_mla, false, false, false)
V_ROW(MLS_v, same3, e_mls, true, false, false)
V_ROW(MUL_v, same3, e_mul, false, false, false)
V_ROW(PMUL_v, same3, e_pmul, true, false, false)
V_ROW(SMAXP_v, same3, e_max, false, true, false)
V_ROW(UMAXP_v, same3, e_max, true, true, false)
V_ROW(SMINP_v, same3, e_min, false, true, false)
V_ROW(UMINP_v, same3, e_min, true, true, false)
V_ROWS(SQDMULH, _v, _s, same3, e_sqdmulh, false, false)
V_ROWS(SQRDMULH, _v, _s, same3, e_sqrdmulh, true, false)
V_ROW(ADDP_v, same3, e_add, false, true, false)

/* vector three same: logical (U, size) */
V_ROW(AND_v, logic3, l_and)
V_ROW(BIC_v, logic3, l_bic)
V_ROW(ORR_v, logic3, l_orr)
V_ROW(ORN_v, logic3, l_orn)
V_ROW(EOR_v, logic3, l_eor)
V_ROW(BSL_v, logic3, l_bsl)
V_ROW(BIT_v, logic3, l_bit)
V_ROW(BIF_v, logic3, l_bif)

/* vector three same: floating point (U, a = bit 23, opcode) */
V_ROW(FMAXNM_v, fsame3, f_maxnm, false, false)
V_ROW(FMLA_v, fsame3, f_mla, false, false)
V_ROW(FADD_v, fsame3, f_add, false, false)
V_ROWS(FMULX, _v, _s, fsame3, f_mulx, false)
V_ROWS(FCMEQ, _v, _s, fsame3, f_cmeq, false)
V_ROW(FMAX_v, fsame3, f_max, false, false)
V_ROWS(FRECPS, _v, _s, fsame3, f_recps, false)
V_ROW(FMINNM_v, fsame3, f_minnm, false, false)
V_ROW(FMLS_v, fsame3, f_mls, false, false)
V_ROW(FSUB_v, fsame3, f_sub, false, false)
V_ROW(FMIN_v, fsame3, f_min, false, false)
V_ROWS(FRSQRTS, _v, _s, fsame3, f_rsqrts, false)
V_ROW(FMAXNMP_v, fsame3, f_maxnm, true, false)
V_ROW(FADDP_v, fsame3, f_add, true, false)
V_ROW(FMUL_v, fsame3, f_mul, false, false)
V_ROWS(FCMGE, _v, _s, fsame3, f_cmge, false)
V_ROWS(FACGE, _v, _s, fsame3, f_acge, false)
V_ROW(FMAXP_v, fsame3, f_max, true, false)
V_ROW(FDIV_v, fsame3, f_div, false, false)
V_ROW(FMINNMP_v, fsame3, f_minnm, true, false)
V_ROWS(FABD, _v, _s, fsame3, f_abd, false)
V_ROWS(FCMGT, _v, _s, fsame3, f_cmgt, false)
V_ROWS(FACGT, _v, _s, fsame3, f_acgt, false)
V_ROW(FMINP_v, fsame3, f_min, true, false)

/* vector three different (U, opcode 15:12) */
V_ROW(SADDL_v, diff3, w_add, false, false, false)
V_ROW(UADDL_v, diff3, w_add, true, false, false)
V_ROW(SADDW_v, diff3, w_add, false, true, false)
V_ROW(UADDW_v, diff3, w_add, true, true, false)
V_ROW(SSUBL_v, diff3, w_sub, false, false, false)
V_ROW(USUBL_v, diff3, w_sub, true, false, false)
V_ROW(SSUBW_v, diff3, w_sub, false, true, false)
V_ROW(USUBW_v, diff3, w_sub, true, true, false)
V_ROW(ADDHN_v, addhn, false, false)
V_ROW(RADDHN_v, addhn, false, true)
V_ROW(SABAL_v, diff3, w_aba, false, false, false)
V_ROW(UABAL_v, diff3, w_aba, true, false, false)
V_ROW(SUBHN_v, addhn, true, false)
V_ROW(RSUBHN_v, addhn, true, true)
V_ROW(SABDL_v, diff3, w_abd, false, false, false)
V_ROW(UABDL_v, diff3, w_abd, true, false, false)
V_ROW(SMLAL_v, diff3, w_mla, false, false, false)
V_ROW(UMLAL_v, diff3, w_mla, true, false, false)
V_ROWS(SQDMLAL, _v, _s, diff3, w_sqdmlal, false, false)
V_ROW(SMLSL_v, diff3, w_mls, false, false, false)
V_ROW(UMLSL_v, diff3, w_mls, true, false, false)
V_ROWS(SQDMLSL, _v, _s, diff3, w_sqdmlsl, false, false)
V_ROW(SMULL_v, diff3, w_mul, false, false, false)
V_ROW(UMULL_v, diff3, w_mul, true, false, false)
V_ROWS(SQDMULL, _v, _s, diff3, w_sqdmull, false, false)
V_ROW(PMULL_v, diff3, w_pmul, true, false, false)

/* vector two-register miscellaneous: integer (U, opcode 16:12) */
V_ROW(REV64_v, rev, 8)
V_ROW(REV32_v, rev, 4)
V_ROW(REV16_v, rev, 2)
V_ROW(SADDLP_v, addlp, false, false)
V_ROW(UADDLP_v, addlp, true, false)
V_ROWS(SUQADD, _v, _s, misc2, u_suqadd, false, SIZE(d))
V_ROWS(USQADD, _v, _s, misc2, u_suqadd, true, SIZE(d))
V_ROW(CLS_v, misc2, u_cls, false, SIZE(d), false)
V_ROW(CLZ_v, misc2, u_clz, false, SIZE(d), false)
V_ROW(CNT_v, misc2, u_cnt, false, 0, false)
V_ROW(NOT_v, misc2, u_not, false, 0, false)
V_ROW(RBIT_v, misc2, u_rbit, false, 0, false)
V_ROW(SADALP_v, addlp, false, true)
V_ROW(UADALP_v, addlp, true, true)
V_ROWS(SQABS, _v, _s, misc2, u_sqabs, false, SIZE(d))
V_ROWS(SQNEG, _v, _s, misc2, u_sqneg, false, SIZE(d))
V_ROWS(CMGT0, _v, _s, misc2, u_cmgt0, false, SIZE(d))
V_ROWS(CMGE0, _v, _s, misc2, u_cmge0, false, SIZE(d))
V_ROWS(CMEQ0, _v, _s, misc2, u_cmeq0, false, SIZE(d))
V_ROWS(CMLE0, _v, _s, misc2, u_cmle0, false, SIZE(d))
V_ROWS(CMLT0, _v, _s, misc2, u_cmlt0, false, SIZE(d))
V_ROWS(ABS, _v, _s, misc2, u_abs, false, SIZE(d))
V_ROWS(NEG, _v, _s, misc2, u_neg, false, SIZE(d))
V_ROW(XTN_v, narrow, SIZE(d), 0, true, false, n_trunc, false)
V_ROWS(SQXTUN, _v, _s, narrow, SIZE(d), 0, false, false, usat)
V_ROW(SHLL_v, widen, SIZE(d), 8u << SIZE(d), true)
V_ROWS(SQXTN, _v, _s, narrow, SIZE(d), 0, false, false, ssat)
V_ROWS(UQXTN, _v, _s, narrow, SIZE(d), 0, true, false, usat)

/* vector two-register miscellaneous: floating point (U, a = bit 23, opcode) */
V_ROW(FCVTN_v, fcvtn, false, false)
V_ROWS(FCVTXN, _v, _s, fcvtn, true)
V_ROW(FRINTN_v, fmisc2, f_rintn, false)
V_ROW(FRINTM_v, fmisc2, f_rintm, false)
V_ROW(FRINTP_v, fmisc2, f_rintp, false)
V_ROW(FRINTZ_v, fmisc2, f_rintz, false)
V_ROW(FRINTA_v, fmisc2, f_rinta, false)
V_ROW(FRINTX_v, fmisc2, f_rintx, false)
V_ROW(FRINTI_v, fmisc2, f_rinti, false)
V_ROWS(FCVTNS, _v, _s, fcvt_to, FSZ(d), 0, false, FPR_TIEEVEN)
V_ROWS(FCVTNU, _v, _s, fcvt_to, FSZ(d), 0, true, FPR_TIEEVEN)
V_ROWS(FCVTMS, _v, _s, fcvt_to, FSZ(d), 0, false, FPR_NEGINF)
V_ROWS(FCVTMU, _v, _s, fcvt_to, FSZ(d), 0, true, FPR_NEGINF)
V_ROWS(FCVTAS, _v, _s, fcvt_to, FSZ(d), 0, false, FPR_TIEAWAY)
V_ROWS(FCVTAU, _v, _s, fcvt_to, FSZ(d), 0, true, FPR_TIEAWAY)
V_ROWS(FCVTPS, _v, _s, fcvt_to, FSZ(d), 0, false, FPR_POSINF)
V_ROWS(FCVTPU, _v, _s, fcvt_to, FSZ(d), 0, true, FPR_POSINF)
V_ROWS(FCVTZS, _v, _s, fcvt_to, FSZ(d), 0, false, FPR_ZERO)
V_ROWS(FCVTZU, _v, _s, fcvt_to, FSZ(d), 0, true, FPR_ZERO)
V_ROWS(SCVTF, _v, _s, fcvt_from, FSZ(d), 0, false)
V_ROWS(UCVTF, _v, _s, fcvt_from, FSZ(d), 0, true)
V_ROWS(FCMGT0, _v, _s, fmisc2, f_cmgt0)
V_ROWS(FCMEQ0, _v, _s, fmisc2, f_cmeq0)
V_ROWS(FCMLT0, _v, _s, fmisc2, f_cmlt0)
V_ROWS(FCMGE0, _v, _s, fmisc2, f_cmge0)
V_ROWS(FCMLE0, _v, _s, fmisc2, f_cmle0)
V_ROW(FABS_v, fmisc2, f_abs, false)
V_ROW(FNEG_v, fmisc2, f_neg, false)
V_ROW(URECPE_v, fmisc2, f_urecpe, false)
V_ROW(URSQRTE_v, fmisc2, f_ursqrte, false)
V_ROWS(FRECPE, _v, _s, fmisc2, fp_recpe)
V_ROWS(FRSQRTE, _v, _s, fmisc2, fp_rsqrte)
V_ROW(FSQRT_v, fmisc2, fp_sqrt, false)

/* across lanes */
V_ROW(SADDLV_v, across, a_add, false, true)
V_ROW(UADDLV_v, across, a_add, true, true)
V_ROW(SMAXV_v, across, a_max, false, false)
V_ROW(UMAXV_v, across, a_max, true, false)
V_ROW(SMINV_v, across, a_min, false, false)
V_ROW(UMINV_v, across, a_min, true, false)
V_ROW(ADDV_v, across, a_add, false, false)
V_ROW(FMAXNMV_v, facross, f_maxnm)
V_ROW(FMINNMV_v, facross, f_minnm)
V_ROW(FMAXV_v, facross, f_max)
V_ROW(FMINV_v, facross, f_min)

/* scalar three same */

/* scalar three different */

/* scalar two-register miscellaneous */
V_ROW(FRECPX_s, fmisc2, fp_recpx, true)

/* scalar pairwise */
V_ROW(FMAXNMP_s, fpair, f_maxnm)
V_ROW(FADDP_s, fpair, f_add)
V_ROW(FMAXP_s, fpair, f_max)
V_ROW(FMINNMP_s, fpair, f_minnm)
V_ROW(FMINP_s, fpair, f_min)

/* not yet rows: the groups' handlers of before, by pattern */

#define INSN_CLASS	simd
#define INSN_DEF	"insn/simd.def"
#include "a64_table.h"
