// SPDX-License-Identifier: GPL-2.0
/*
 * Advanced SIMD (Arm ARM C4.1.96, the vector and scalar SIMD groups of
 * "Data Processing -- Scalar Floating-Point and Advanced SIMD"): three
 * same, three different, two-register miscellaneous, across lanes, copy,
 * modified immediate, shift by immediate, by element, permute, extract
 * and table lookup, in their vector and scalar forms.  The ARMv8.0 set
 * with half-precision FP (FEAT_FP16: the FP16 groups, rows _vh and _sh),
 * FMLAL/FMLSL (FEAT_FHM), FCMLA/FCADD (FEAT_FCMA), FRINT32/64
 * (FEAT_FRINTTS) and SQRDMLAH/SQRDMLSH (FEAT_RDM).  The dot products
 * SDOT/UDOT (FEAT_DotProd) are exec_mm.c's, beside their mixed-sign kin
 * of FEAT_I8MM.  The Cryptographic Extension, PMULL .1Q included, is
 * exec_crypto.c's.
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

/* The FP/AdvSIMD access check of every handler.  The rows' threaded
 * entries are THREADED_NOPC (insn/simd.def): PC is stored here, before
 * the trap reads it. */
#define SIMD_ENTER(c)							\
	do {								\
		if (unlikely(cpu_fp_trap(&(c)->state) != SYSREG_OK)) {	\
			thread_sync_pc(c, d);				\
			fp_access_ok(c);				\
			return EXEC_STOP;				\
		}							\
	} while (0)

#define SIZE(d)		FIELD((d)->insn, 23, 22)
#define Q(d)		BIT((d)->insn, 30)
#define FSZB(d)		(2u + BIT((d)->insn, 22))	/* FP: sz, 2 S or 3 D */
/* an FP row's element size, 1 H, 2 S or 3 D, as its PREP decoded it */
#define FSZ(d)		((unsigned int)(d)->imm)
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
	d->imm = FSZB(d);
	return !BIT(d->insn, 22) || Q(d);
}

/* FP scalar (and FMAXV... .4S): S or D by sz */
static bool prep_fs(struct dinsn *d)
{
	d->imm = FSZB(d);
	return true;
}

/* the FP16 groups: H */
static bool prep_fh(struct dinsn *d)
{
	d->imm = 1;
	return true;
}

static bool prep_sz0(struct dinsn *d)
{
	d->imm = 2;
	return !BIT(d->insn, 22);
}

static bool prep_sz1(struct dinsn *d)
{
	d->imm = 3;
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

/* SQRDMLAH / SQRDMLSH (FEAT_RDM): Vd's element times 2^esize, plus or minus
 * twice the product, rounded, the high half saturated */
static uint64_t sqrdmlah(uint64_t a, uint64_t b, uint64_t d, unsigned int esz, bool sub,
			 bool *qc)
{
	unsigned int bits = 8u << esz;
	__int128 p = 2 * (__int128)sx(a, esz) * sx(b, esz);
	__int128 acc = (__int128)sx(d, esz) * ((__int128)1 << bits);

	acc += (sub ? -p : p) + ((__int128)1 << (bits - 1));
	return ssat(acc >> bits, esz, qc);
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
IOP(e_sqrdmlah, sqrdmlah(a, b, d, esz, false, qc))
IOP(e_sqrdmlsh, sqrdmlah(a, b, d, esz, true, qc))

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
	unsigned int from = FSZB(d), to = from - 1, nn = scalar ? 1 : 8u >> to;
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
	unsigned int to = FSZB(d), from = to - 1, nn = 8u >> from, part = Q(d) ? nn : 0;
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

/* FMAXV, FMINV, FMAXNMV, FMINNMV: .4S, .4H or .8H */
V_INLINE int facross(struct cpu *c, const struct dinsn *d, fop3_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FSZ(d);
	uint64_t n[2], r;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	fpst_begin(&st, s);
	r = fp_reduce(op, n, 0, NELEM(d, esz, false), esz, &st);
	fpst_end(s, &st);
	vset_scalar(s, d->rd, r, esz);
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

/* ---- copy: DUP, INS, UMOV, SMOV --------------------------------------------------- */

#define IMM5(d)		FIELD((d)->insn, 20, 16)
#define CP_ESZ(d)	((unsigned int)__builtin_ctz(IMM5(d)))
#define CP_IDX(d)	(IMM5(d) >> (CP_ESZ(d) + 1))

static bool prep_imm5(struct dinsn *d)
{
	return IMM5(d) & 15;
}

static bool prep_dup(struct dinsn *d)
{
	return prep_imm5(d) && (CP_ESZ(d) != 3 || Q(d));
}

static bool prep_smov(struct dinsn *d)
{
	return prep_imm5(d) && CP_ESZ(d) < (Q(d) ? 3u : 2u);
}

static bool prep_umov(struct dinsn *d)
{
	return prep_imm5(d) && Q(d) == (CP_ESZ(d) == 3);
}

/* DUP: an element of Vn, or Rn, into every element */
V_INLINE int dup(struct cpu *c, const struct dinsn *d, bool gp, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = CP_ESZ(d), ne = NELEM(d, esz, scalar);
	uint64_t n[2], r[2] = { 0, 0 }, x;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	x = gp ? xreg(s, d->rn) & emask(esz) : elem(n, CP_IDX(d), esz);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, x);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* INS: Rn, or element imm4 of Vn, into one element of Vd */
V_INLINE int ins(struct cpu *c, const struct dinsn *d, bool gp)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = CP_ESZ(d);
	uint64_t n[2], r[2];

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, r);
	set_elem(r, CP_IDX(d), esz,
		 gp ? xreg(s, d->rn) : elem(n, FIELD(d->insn, 14, 11) >> esz, esz));
	vwrite(s, d->rd, r, true);
	return EXEC_NEXT;
}

/* SMOV, UMOV: an element to a general register, sign- or zero-extended */
V_INLINE int mov_gp(struct cpu *c, const struct dinsn *d, bool sign)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = CP_ESZ(d);
	uint64_t n[2], x;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	x = elem(n, CP_IDX(d), esz);
	if (sign) {
		x = (uint64_t)sx(x, esz);
		if (!Q(d))
			x = (uint32_t)x;
	}
	set_xreg(s, d->rd, x);
	return EXEC_NEXT;
}

/* ---- modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector) ------------------------- */

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

/* d->imm: the 64-bit immediate, expanded */
static bool prep_mod_imm(struct dinsn *d)
{
	unsigned int imm8 = FIELD(d->insn, 18, 16) << 5 | FIELD(d->insn, 9, 5);

	d->imm = (int64_t)expand_imm(BIT(d->insn, 29), FIELD(d->insn, 15, 12), imm8);
	return true;
}

/* FMOV (vector, immediate) .4H/.8H */
static bool prep_fmov_h(struct dinsn *d)
{
	unsigned int imm8 = FIELD(d->insn, 18, 16) << 5 | FIELD(d->insn, 9, 5);

	d->imm = (int64_t)(vfp_expand_imm(imm8, 1) * 0x0001000100010001ULL);
	return true;
}

/* Vd = imm or ~imm (invert); merge: Vd |= imm or Vd &= ~imm */
V_INLINE int mod_imm(struct cpu *c, const struct dinsn *d, bool invert, bool merge)
{
	struct cpu_state *s = &c->state;
	uint64_t imm = (uint64_t)d->imm, v[2];

	SIMD_ENTER(c);
	if (!merge) {
		v[0] = v[1] = invert ? ~imm : imm;
	} else {
		vread(s, d->rd, v);
		for (int i = 0; i < 2; i++)
			v[i] = invert ? v[i] & ~imm : v[i] | imm;
	}
	vwrite(s, d->rd, v, Q(d));
	return EXEC_NEXT;
}

/* ---- shift by immediate -------------------------------------------------------------- */

#define IMMH(d)		FIELD((d)->insn, 22, 19)
#define IMMHB(d)	FIELD((d)->insn, 22, 16)
#define SH_ESZ(d)	(31u - (unsigned int)__builtin_clz(IMMH(d) | 1))
/* right shifts: 2 * esize - immh:immb; left: immh:immb - esize */
#define SHR(d)		((16u << SH_ESZ(d)) - IMMHB(d))
#define SHL(d)		(IMMHB(d) - (8u << SH_ESZ(d)))

/* vector */
static bool prep_shift_v(struct dinsn *d)
{
	return IMMH(d) && (IMMH(d) < 8 || Q(d));
}

/* scalar, D only */
static bool prep_shift_d(struct dinsn *d)
{
	return IMMH(d) >= 8;
}

static bool prep_shift_s(struct dinsn *d)
{
	return IMMH(d);
}

/* narrowing and lengthening: B, H, S */
static bool prep_shift_n(struct dinsn *d)
{
	return IMMH(d) && IMMH(d) < 8;
}

/* to and from fixed point: H (FP16), S, D */
static bool prep_fix_v(struct dinsn *d)
{
	return IMMH(d) >= 2 && (IMMH(d) < 8 || Q(d));
}

static bool prep_fix_s(struct dinsn *d)
{
	return IMMH(d) >= 2;
}

/* A shift of a (d: of Vd) by sh; m the element mask. */
typedef uint64_t sop_fn(uint64_t a, uint64_t d, unsigned int sh, unsigned int esz, bool u,
			bool *qc);

#define SOP(name, expr)							\
static inline uint64_t name(uint64_t a, uint64_t d, unsigned int sh, unsigned int esz,	\
			    bool u, bool *qc)				\
{									\
	uint64_t m = emask(esz);					\
	unsigned int bits = 8u << esz;					\
									\
	(void)m, (void)bits, (void)d;					\
	return (expr);							\
}
SOP(s_shr, shift_elem(a, -(int)sh, esz, u, false, 0, qc))
SOP(s_sra, (d + shift_elem(a, -(int)sh, esz, u, false, 0, qc)) & m)
SOP(s_rshr, shift_elem(a, -(int)sh, esz, u, true, 0, qc))
SOP(s_rsra, (d + shift_elem(a, -(int)sh, esz, u, true, 0, qc)) & m)
SOP(s_sri, sh >= bits ? d : (d & ~(m >> sh) & m) | (a >> sh))
SOP(s_shl, (a << sh) & m)
SOP(s_sli, ((a << sh) & m) | (d & ((1ULL << sh) - 1)))
SOP(s_sqshlu, shift_elem(a, (int)sh, esz, false, false, 2, qc))
SOP(s_qshl, shift_elem(a, (int)sh, esz, u, false, 1, qc))

V_INLINE int shift_imm(struct cpu *c, const struct dinsn *d, sop_fn *op, unsigned int sh,
		       bool u, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SH_ESZ(d), ne = NELEM(d, esz, scalar);
	uint64_t n[2], dv[2], r[2] = { 0, 0 };
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(elem(n, i, esz), elem(dv, i, esz), sh, esz, u, &qc));
	set_qc(s, qc);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* ---- by element ------------------------------------------------------------------------ */

/* d->imm: the element index; d->rm: M:Rm, or Rm for H elements */
static bool prep_elem_fp(struct dinsn *d)
{
	unsigned int h = BIT(d->insn, 11), l = BIT(d->insn, 21);

	d->rm = (uint8_t)(BIT(d->insn, 20) << 4 | FIELD(d->insn, 19, 16));
	switch (SIZE(d)) {
	case 0:
		d->imm = h << 2 | l << 1 | BIT(d->insn, 20);
		d->rm = (uint8_t)FIELD(d->insn, 19, 16);
		return true;
	case 2:
		d->imm = h << 1 | l;
		return true;
	case 3:
		d->imm = h;
		return !l && (Q(d) || BIT(d->insn, 28));
	default:
		return false;
	}
}

static bool prep_elem_int(struct dinsn *d)
{
	unsigned int h = BIT(d->insn, 11), l = BIT(d->insn, 21), m = BIT(d->insn, 20);

	switch (SIZE(d)) {
	case 1:
		d->imm = h << 2 | l << 1 | m;
		d->rm = (uint8_t)FIELD(d->insn, 19, 16);
		return true;
	case 2:
		d->imm = h << 1 | l;
		d->rm = (uint8_t)(m << 4 | FIELD(d->insn, 19, 16));
		return true;
	default:
		return false;
	}
}

V_INLINE int ielem(struct cpu *c, const struct dinsn *d, iop_fn *op, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, scalar);
	uint64_t n[2], mv[2], dv[2], r[2] = { 0, 0 }, b;
	bool qc = false;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, mv);
	vread(s, d->rd, dv);
	b = elem(mv, (unsigned int)d->imm, esz);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(elem(n, i, esz), b, elem(dv, i, esz), esz, false, &qc));
	set_qc(s, qc);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* long: the lower or (Q) upper half of Vn by the element */
V_INLINE int welem(struct cpu *c, const struct dinsn *d, wop_fn *op, bool u, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), wsz = esz + 1, nn = scalar ? 1 : 8u >> esz;
	unsigned int part = Q(d) && !scalar ? nn : 0;
	uint64_t n[2], mv[2], dv[2], r[2] = { 0, 0 };
	bool qc = false;
	__int128 b;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, mv);
	vread(s, d->rd, dv);
	b = ival(elem(mv, (unsigned int)d->imm, esz), esz, u);
	for (unsigned int i = 0; i < nn; i++)
		set_elem(r, i, wsz, op(ival(elem(n, part + i, esz), esz, u), b,
				       ival(elem(dv, i, wsz), wsz, u), wsz, &qc) & emask(wsz));
	set_qc(s, qc);
	vwrite(s, d->rd, r, !scalar);
	return EXEC_NEXT;
}

/* size 00 is H (FP16), 10 S, 11 D */
V_INLINE int felem(struct cpu *c, const struct dinsn *d, fop3_fn *op, bool scalar)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d) ? SIZE(d) : 1, ne = NELEM(d, esz, scalar);
	uint64_t n[2], mv[2], dv[2], r[2] = { 0, 0 }, b;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, mv);
	vread(s, d->rd, dv);
	b = elem(mv, (unsigned int)d->imm, esz);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(elem(n, i, esz), b, elem(dv, i, esz), esz, &st));
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d) && !scalar);
	return EXEC_NEXT;
}

/* ---- FMLAL, FMLSL (FEAT_FHM); FCMLA, FCADD (FEAT_FCMA) ------------------------------ */

/* FMLAL{2} (by element): d->imm the index H:L:M, d->rm Rm<3:0> */
static bool prep_elem_fhm(struct dinsn *d)
{
	d->imm = BIT(d->insn, 11) << 2 | BIT(d->insn, 21) << 1 | BIT(d->insn, 20);
	d->rm = (uint8_t)FIELD(d->insn, 19, 16);
	return true;
}

/*
 * Vd.S += (-)Vn.H * Vm.H (or the element) for the lower (part 0) or upper
 * (part 1) half of Vn's and Vm's half of the vector, rounded once
 * (FPMulAddH).
 */
V_INLINE int fmlal(struct cpu *c, const struct dinsn *d, bool sub, unsigned int part,
		   bool byelem)
{
	struct cpu_state *s = &c->state;
	unsigned int ne = Q(d) ? 4 : 2, off = part * ne;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	fpst_begin(&st, s);
	for (unsigned int i = 0; i < ne; i++) {
		uint64_t a = elem(n, off + i, 1), b;

		b = byelem ? elem(m, (unsigned int)d->imm, 1) : elem(m, off + i, 1);
		if (sub)
			a = fp_neg(a, 1);
		set_elem(r, i, 2, fp_muladd_h((uint32_t)elem(dv, i, 2), (uint16_t)a,
					      (uint16_t)b, &st));
	}
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/* FCMLA, FCADD (vector): H (FP16), S, or D in a 128-bit vector */
static bool prep_fcma(struct dinsn *d)
{
	d->imm = SIZE(d);
	return SIZE(d) && (SIZE(d) != 3 || Q(d));
}

/* FCMLA (by element): H with index H:L (H only for 128 bits), or S with
 * index H in a 128-bit vector; Rm is M:Rm */
static bool prep_elem_fcma(struct dinsn *d)
{
	unsigned int h = BIT(d->insn, 11), l = BIT(d->insn, 21);

	switch (SIZE(d)) {
	case 1:
		d->imm = h << 1 | l;
		return Q(d) || !h;
	case 2:
		d->imm = h;
		return !l && Q(d);
	default:
		return false;
	}
}

/*
 * FCMLA: complex pairs (real, imaginary) of Vd += Vn * Vm rotated by rot
 * x 90 degrees, half of the product per instruction; byelem: Vm's pair
 * d->imm for every pair of Vn.
 */
V_INLINE int fcmla(struct cpu *c, const struct dinsn *d, bool byelem)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, false);
	unsigned int rot = byelem ? FIELD(d->insn, 14, 13) : FIELD(d->insn, 12, 11);
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < ne / 2; e++) {
		unsigned int k = byelem ? (unsigned int)d->imm : e;
		uint64_t m0 = elem(m, 2 * k, esz), m1 = elem(m, 2 * k + 1, esz);
		uint64_t n0 = elem(n, 2 * e, esz), n1 = elem(n, 2 * e + 1, esz);
		uint64_t e1, e2, e3;

		switch (rot) {
		case 0: e1 = m0; e2 = n0; e3 = m1; break;
		case 1: e1 = fp_neg(m1, esz); e2 = n1; e3 = m0; break;
		case 2: e1 = fp_neg(m0, esz); e2 = n0; e3 = fp_neg(m1, esz); break;
		default: e1 = m1; e2 = n1; e3 = fp_neg(m0, esz); break;
		}
		set_elem(r, 2 * e, esz, fp_muladd(elem(dv, 2 * e, esz), e2, e1, esz, &st));
		set_elem(r, 2 * e + 1, esz, fp_muladd(elem(dv, 2 * e + 1, esz), e2, e3, esz, &st));
	}
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/* FCADD: Vn + Vm rotated by 90 (rot 0) or 270 degrees, pair by pair */
static int exec_FCADD_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, false), rot = BIT(d->insn, 12);
	uint64_t n[2], m[2], r[2] = { 0, 0 };
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	fpst_begin(&st, s);
	for (unsigned int e = 0; e < ne / 2; e++) {
		uint64_t m0 = elem(m, 2 * e, esz), m1 = elem(m, 2 * e + 1, esz);
		uint64_t e1 = rot ? m1 : fp_neg(m1, esz), e3 = rot ? fp_neg(m0, esz) : m0;

		set_elem(r, 2 * e, esz, fp_add(elem(n, 2 * e, esz), e1, esz, &st));
		set_elem(r, 2 * e + 1, esz, fp_add(elem(n, 2 * e + 1, esz), e3, esz, &st));
	}
	fpst_end(s, &st);
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

/* ---- permute, extract, table lookup ------------------------------------------------------ */

/* element i of the result, of ne, from Vn:Vm; part: the second form (UZP2...) */
typedef uint64_t pop_fn(const uint64_t *n, const uint64_t *m, unsigned int i, unsigned int ne,
			unsigned int esz, unsigned int part);

/* UZP: even (or odd) elements of Vn:Vm */
static inline uint64_t p_uzp(const uint64_t *n, const uint64_t *m, unsigned int i,
			     unsigned int ne, unsigned int esz, unsigned int part)
{
	unsigned int j = 2 * i + part;

	return j < ne ? elem(n, j, esz) : elem(m, j - ne, esz);
}

static inline uint64_t p_trn(const uint64_t *n, const uint64_t *m, unsigned int i,
			     unsigned int ne, unsigned int esz, unsigned int part)
{
	unsigned int p = (i & ~1u) + part;

	return (i & 1) ? elem(m, p, esz) : elem(n, p, esz);
}

static inline uint64_t p_zip(const uint64_t *n, const uint64_t *m, unsigned int i,
			     unsigned int ne, unsigned int esz, unsigned int part)
{
	unsigned int p = part * ne / 2 + i / 2;

	return (i & 1) ? elem(m, p, esz) : elem(n, p, esz);
}

V_INLINE int permute(struct cpu *c, const struct dinsn *d, pop_fn *op, unsigned int part)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = SIZE(d), ne = NELEM(d, esz, false);
	uint64_t n[2], m[2], r[2] = { 0, 0 };

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	for (unsigned int i = 0; i < ne; i++)
		set_elem(r, i, esz, op(n, m, i, ne, esz, part));
	vwrite(s, d->rd, r, Q(d));
	return EXEC_NEXT;
}

static bool prep_ext(struct dinsn *d)
{
	return Q(d) || !BIT(d->insn, 14);
}

static int exec_EXT_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int pos = FIELD(d->insn, 14, 11), nb = Q(d) ? 16 : 8;
	uint8_t cat[32], r[16] = { 0 };
	uint64_t v[2];

	SIMD_ENTER(c);
	memcpy(cat, s->z[d->rn], nb);
	memcpy(cat + nb, s->z[d->rm], nb);
	memcpy(r, cat + pos, nb);
	memcpy(v, r, 16);
	vwrite(s, d->rd, v, Q(d));
	return EXEC_NEXT;
}

/* TBL, TBX: one to four table registers from Vn; TBX keeps Vd's bytes
 * whose index is out of range */
V_INLINE int tbl(struct cpu *c, const struct dinsn *d, bool tbx)
{
	struct cpu_state *s = &c->state;
	unsigned int len = FIELD(d->insn, 14, 13) + 1, nb = Q(d) ? 16 : 8;
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
	vwrite(s, d->rd, v, Q(d));
	return EXEC_NEXT;
}

/* ---- structure loads and stores: LD1-LD4, ST1-ST4, LD1R-LD4R ----------------------------- */

/* SP as the base must be 16-byte aligned when SCTLR_EL1.SA/SA0 say so */
static int struct_base(struct cpu *c, unsigned int rn, uint64_t *base)
{
	struct cpu_state *s = &c->state;

	*base = xreg_sp(s, rn);
	if (rn == 31 && (*base & 15) &&
	    (cur_sctlr(s) & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

/*
 * d->imm: bytes transferred (the post-index immediate).  No offset (bit
 * 23 clear) has Rm 0; post-index by Rm, or by d->imm for Rm 31.
 */
static bool ldst_offset_ok(const struct dinsn *d)
{
	return BIT(d->insn, 23) || !FIELD(d->insn, 20, 16);
}

/* multiple structures: registers by opcode (bits 15:12) */
static bool prep_ldst_m(struct dinsn *d)
{
	static const uint8_t nregs[16] = { [0] = 4, [2] = 4, [4] = 3, [6] = 3, [7] = 1,
					   [8] = 2, [10] = 2 };
	unsigned int opc = FIELD(d->insn, 15, 12), q = Q(d);

	/* LD2-LD4, ST2-ST4 (interleaved): not .1D */
	if (!(opc & 3) && FIELD(d->insn, 11, 10) == 3 && !q)
		return false;
	d->imm = (int64_t)(nregs[opc] * (q ? 16u : 8u));
	return ldst_offset_ok(d);
}

/* single structure: d->aux the element size << 4 | the lane index */
#define LS_SELEM(d)	((BIT((d)->insn, 13) << 1 | BIT((d)->insn, 21)) + 1)
#define LS_ESZ(d)	((unsigned int)((d)->aux >> 4))
#define LS_INDEX(d)	((unsigned int)((d)->aux & 15))

static bool prep_ldst_l(struct dinsn *d)
{
	unsigned int scale = FIELD(d->insn, 15, 14), size = FIELD(d->insn, 11, 10);
	unsigned int q = Q(d), sbit = BIT(d->insn, 12), index;

	switch (scale) {
	case 0:
		index = q << 3 | sbit << 2 | size;
		break;
	case 1:
		if (size & 1)
			return false;
		index = q << 2 | sbit << 1 | size >> 1;
		break;
	case 2:
		if (size == 0) {
			index = q << 1 | sbit;
		} else if (size == 1 && !sbit) {
			index = q;
			scale = 3;
		} else {
			return false;
		}
		break;
	default:
		return false;		/* LD1R-LD4R: their rows */
	}
	d->aux = scale << 4 | index;
	d->imm = (int64_t)(LS_SELEM(d) << scale);
	return ldst_offset_ok(d);
}

static bool prep_ldst_r(struct dinsn *d)
{
	unsigned int size = FIELD(d->insn, 11, 10);

	d->aux = size << 4;
	d->imm = (int64_t)(LS_SELEM(d) << size);
	return ldst_offset_ok(d);
}

static int ldst_writeback(struct cpu *c, const struct dinsn *d, uint64_t base)
{
	if (BIT(d->insn, 23))
		set_xreg_sp(&c->state, d->rn,
			    base + (d->rm == 31 ? (uint64_t)d->imm : c->state.x[d->rm]));
	return EXEC_NEXT;
}

/* LD1-LD4, ST1-ST4 (multiple structures): rpt times selem registers */
V_INLINE int ldst_m(struct cpu *c, const struct dinsn *d, unsigned int selem,
		    unsigned int rpt, bool load)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = FIELD(d->insn, 11, 10);
	bool q = Q(d);
	unsigned int ne = (q ? 16u : 8u) >> esz, nregs = selem * rpt, eb = 1u << esz;
	uint64_t base, addr, v[4][2], x;
	uint32_t nt = acc_sp_notag(d->rn, BIT(d->insn, 23));

	thread_sync_pc(c, d);	/* NOPC rows: a fault, a watchpoint read PC */
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
					if (mem_read(c, addr, eb, nt, &x))
						return EXEC_STOP;
					set_elem(reg, e, esz, x);
				} else if (mem_write(c, addr, eb, ACC_WRITE | nt,
						     elem(reg, e, esz))) {
					return EXEC_STOP;
				}
				addr += eb;
			}
	if (load)
		for (unsigned int i = 0; i < nregs; i++)
			vwrite(s, (d->rd + i) % 32, v[i], q);
	ldst_writeback(c, d, base);
	if (!load && unlikely(c->th_dirty))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* LD1-LD4, ST1-ST4 (single structure) and LD1R-LD4R (repl) */
V_INLINE int ldst_l(struct cpu *c, const struct dinsn *d, unsigned int selem, bool load,
		    bool repl)
{
	struct cpu_state *s = &c->state;
	unsigned int esz = LS_ESZ(d), index = LS_INDEX(d), eb = 1u << esz;
	uint64_t base, addr, v[4][2], x;
	uint32_t nt = acc_sp_notag(d->rn, BIT(d->insn, 23));

	thread_sync_pc(c, d);	/* NOPC rows: a fault, a watchpoint read PC */
	SIMD_ENTER(c);
	if (struct_base(c, d->rn, &base))
		return EXEC_STOP;
	addr = base;
	for (unsigned int k = 0; k < selem; k++) {
		unsigned int t = (d->rd + k) % 32;

		vread(s, t, v[k]);
		if (load) {
			if (mem_read(c, addr, eb, nt, &x))
				return EXEC_STOP;
			if (repl) {
				for (unsigned int e = 0; e < (16u >> esz); e++)
					set_elem(v[k], e, esz, x);
			} else {
				set_elem(v[k], index, esz, x);
			}
		} else if (mem_write(c, addr, eb, ACC_WRITE | nt, elem(v[k], index, esz))) {
			return EXEC_STOP;
		}
		addr += eb;
	}
	if (load)
		for (unsigned int k = 0; k < selem; k++)
			vwrite(s, (d->rd + k) % 32, v[k], repl ? Q(d) : true);
	ldst_writeback(c, d, base);
	if (!load && unlikely(c->th_dirty))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

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

/* vector three same extra: SQRDMLAH, SQRDMLSH (FEAT_RDM), and their scalar forms */
V_ROWS(SQRDMLAH, _v, _s, same3, e_sqrdmlah, false, false)
V_ROWS(SQRDMLSH, _v, _s, same3, e_sqrdmlsh, false, false)

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

/* copy: op, imm4; imm5 (bits 20:16) gives the element */
V_ROWS(DUP, _e, _s, dup, false)
V_ROW(DUP_g, dup, true, false)
V_ROW(INS_g, ins, true)
V_ROW(SMOV, mov_gp, true)
V_ROW(UMOV, mov_gp, false)
V_ROW(INS_e, ins, false)

/* modified immediate: op, cmode (bits 15:12), o2 0 */
V_ROW(MOVI_32, mod_imm, false, false)
V_ROW(MVNI_32, mod_imm, true, false)
V_ROW(ORR_i32, mod_imm, false, true)
V_ROW(BIC_i32, mod_imm, true, true)
V_ROW(MOVI_16, mod_imm, false, false)
V_ROW(MVNI_16, mod_imm, true, false)
V_ROW(ORR_i16, mod_imm, false, true)
V_ROW(BIC_i16, mod_imm, true, true)
V_ROW(MOVI_msl, mod_imm, false, false)
V_ROW(MVNI_msl, mod_imm, true, false)
V_ROW(MOVI_8, mod_imm, false, false)
V_ROW(MOVI_64, mod_imm, false, false)
V_ROW(FMOV_vimm_s, mod_imm, false, false)
V_ROW(FMOV_vimm_d, mod_imm, false, false)
V_ROW(FMOV_vimm_h, mod_imm, false, false)

/* shift by immediate (U, opcode 15:11); immh:immb give size and amount */
V_ROWS(SSHR, _v, _s, shift_imm, s_shr, SHR(d), false)
V_ROWS(USHR, _v, _s, shift_imm, s_shr, SHR(d), true)
V_ROWS(SSRA, _v, _s, shift_imm, s_sra, SHR(d), false)
V_ROWS(USRA, _v, _s, shift_imm, s_sra, SHR(d), true)
V_ROWS(SRSHR, _v, _s, shift_imm, s_rshr, SHR(d), false)
V_ROWS(URSHR, _v, _s, shift_imm, s_rshr, SHR(d), true)
V_ROWS(SRSRA, _v, _s, shift_imm, s_rsra, SHR(d), false)
V_ROWS(URSRA, _v, _s, shift_imm, s_rsra, SHR(d), true)
V_ROWS(SRI, _v, _s, shift_imm, s_sri, SHR(d), true)
V_ROWS(SHL, _v, _s, shift_imm, s_shl, SHL(d), false)
V_ROWS(SLI, _v, _s, shift_imm, s_sli, SHL(d), true)
V_ROWS(SQSHLU, _v, _s, shift_imm, s_sqshlu, SHL(d), false)
V_ROWS(SQSHL, _vi, _si, shift_imm, s_qshl, SHL(d), false)
V_ROWS(UQSHL, _vi, _si, shift_imm, s_qshl, SHL(d), true)
V_ROW(SHRN_v, narrow, SH_ESZ(d), SHR(d), true, false, n_trunc, false)
V_ROWS(SQSHRUN, _v, _s, narrow, SH_ESZ(d), SHR(d), false, false, usat)
V_ROW(RSHRN_v, narrow, SH_ESZ(d), SHR(d), true, true, n_trunc, false)
V_ROWS(SQRSHRUN, _v, _s, narrow, SH_ESZ(d), SHR(d), false, true, usat)
V_ROWS(SQSHRN, _v, _s, narrow, SH_ESZ(d), SHR(d), false, false, ssat)
V_ROWS(UQSHRN, _v, _s, narrow, SH_ESZ(d), SHR(d), true, false, usat)
V_ROWS(SQRSHRN, _v, _s, narrow, SH_ESZ(d), SHR(d), false, true, ssat)
V_ROWS(UQRSHRN, _v, _s, narrow, SH_ESZ(d), SHR(d), true, true, usat)
V_ROW(SSHLL_v, widen, SH_ESZ(d), SHL(d), false)
V_ROW(USHLL_v, widen, SH_ESZ(d), SHL(d), true)
V_ROWS(SCVTF, _vfix, _sfix, fcvt_from, SH_ESZ(d), SHR(d), false)
V_ROWS(UCVTF, _vfix, _sfix, fcvt_from, SH_ESZ(d), SHR(d), true)
V_ROWS(FCVTZS, _vfix, _sfix, fcvt_to, SH_ESZ(d), SHR(d), false, FPR_ZERO)
V_ROWS(FCVTZU, _vfix, _sfix, fcvt_to, SH_ESZ(d), SHR(d), true, FPR_ZERO)

/* by element (U, opcode 15:12); L, M, H give the index */
V_ROWS(FMLA, _e, _es, felem, f_mla)
V_ROWS(FMLS, _e, _es, felem, f_mls)
V_ROWS(FMUL, _e, _es, felem, f_mul)
V_ROWS(FMULX, _e, _es, felem, f_mulx)
V_ROW(MLA_e, ielem, e_mla, false)
V_ROW(MLS_e, ielem, e_mls, false)
V_ROW(MUL_e, ielem, e_mul, false)
V_ROWS(SQDMULH, _e, _es, ielem, e_sqdmulh)
V_ROWS(SQRDMULH, _e, _es, ielem, e_sqrdmulh)
V_ROWS(SQRDMLAH, _e, _es, ielem, e_sqrdmlah)
V_ROWS(SQRDMLSH, _e, _es, ielem, e_sqrdmlsh)
V_ROW(SMLAL_e, welem, w_mla, false, false)
V_ROW(UMLAL_e, welem, w_mla, true, false)
V_ROW(SMLSL_e, welem, w_mls, false, false)
V_ROW(UMLSL_e, welem, w_mls, true, false)
V_ROW(SMULL_e, welem, w_mul, false, false)
V_ROW(UMULL_e, welem, w_mul, true, false)
V_ROWS(SQDMLAL, _e, _es, welem, w_sqdmlal, false)
V_ROWS(SQDMLSL, _e, _es, welem, w_sqdmlsl, false)
V_ROWS(SQDMULL, _e, _es, welem, w_sqdmull, false)

/* permute, extract, table lookup */
V_ROW(UZP1_v, permute, p_uzp, 0)
V_ROW(TRN1_v, permute, p_trn, 0)
V_ROW(ZIP1_v, permute, p_zip, 0)
V_ROW(UZP2_v, permute, p_uzp, 1)
V_ROW(TRN2_v, permute, p_trn, 1)
V_ROW(ZIP2_v, permute, p_zip, 1)
V_ROW(TBL_v, tbl, false)
V_ROW(TBX_v, tbl, true)

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

/* scalar copy, shift by immediate, by element */

/* three same FP16 (U, a, opcode 13:11) */
V_ROW(FMAXNM_vh, fsame3, f_maxnm, false, false)
V_ROW(FMLA_vh, fsame3, f_mla, false, false)
V_ROW(FADD_vh, fsame3, f_add, false, false)
V_ROW(FMULX_vh, fsame3, f_mulx, false, false)
V_ROW(FCMEQ_vh, fsame3, f_cmeq, false, false)
V_ROW(FMAX_vh, fsame3, f_max, false, false)
V_ROW(FRECPS_vh, fsame3, f_recps, false, false)
V_ROW(FMINNM_vh, fsame3, f_minnm, false, false)
V_ROW(FMLS_vh, fsame3, f_mls, false, false)
V_ROW(FSUB_vh, fsame3, f_sub, false, false)
V_ROW(FMIN_vh, fsame3, f_min, false, false)
V_ROW(FRSQRTS_vh, fsame3, f_rsqrts, false, false)
V_ROW(FMAXNMP_vh, fsame3, f_maxnm, true, false)
V_ROW(FADDP_vh, fsame3, f_add, true, false)
V_ROW(FMUL_vh, fsame3, f_mul, false, false)
V_ROW(FCMGE_vh, fsame3, f_cmge, false, false)
V_ROW(FACGE_vh, fsame3, f_acge, false, false)
V_ROW(FMAXP_vh, fsame3, f_max, true, false)
V_ROW(FDIV_vh, fsame3, f_div, false, false)
V_ROW(FMINNMP_vh, fsame3, f_minnm, true, false)
V_ROW(FABD_vh, fsame3, f_abd, false, false)
V_ROW(FCMGT_vh, fsame3, f_cmgt, false, false)
V_ROW(FACGT_vh, fsame3, f_acgt, false, false)
V_ROW(FMINP_vh, fsame3, f_min, true, false)

/* FMLAL, FMLSL (FEAT_FHM); FCMLA, FCADD (FEAT_FCMA) */
V_ROW(FMLAL_v, fmlal, false, 0, false)
V_ROW(FMLSL_v, fmlal, true, 0, false)
V_ROW(FMLAL2_v, fmlal, false, 1, false)
V_ROW(FMLSL2_v, fmlal, true, 1, false)
V_ROW(FCMLA_v, fcmla, false)

/* two-register miscellaneous FP16 (U, a, opcode 16:12) */
V_ROW(FRINTN_vh, fmisc2, f_rintn, false)
V_ROW(FRINTM_vh, fmisc2, f_rintm, false)
V_ROW(FCVTNS_vh, fcvt_to, 1, 0, false, FPR_TIEEVEN, false)
V_ROW(FCVTMS_vh, fcvt_to, 1, 0, false, FPR_NEGINF, false)
V_ROW(FCVTAS_vh, fcvt_to, 1, 0, false, FPR_TIEAWAY, false)
V_ROW(SCVTF_vh, fcvt_from, 1, 0, false, false)
V_ROW(FCMGT0_vh, fmisc2, f_cmgt0, false)
V_ROW(FCMEQ0_vh, fmisc2, f_cmeq0, false)
V_ROW(FCMLT0_vh, fmisc2, f_cmlt0, false)
V_ROW(FABS_vh, fmisc2, f_abs, false)
V_ROW(FRINTP_vh, fmisc2, f_rintp, false)
V_ROW(FRINTZ_vh, fmisc2, f_rintz, false)
V_ROW(FCVTPS_vh, fcvt_to, 1, 0, false, FPR_POSINF, false)
V_ROW(FCVTZS_vh, fcvt_to, 1, 0, false, FPR_ZERO, false)
V_ROW(FRECPE_vh, fmisc2, fp_recpe, false)
V_ROW(FRINTA_vh, fmisc2, f_rinta, false)
V_ROW(FRINTX_vh, fmisc2, f_rintx, false)
V_ROW(FCVTNU_vh, fcvt_to, 1, 0, true, FPR_TIEEVEN, false)
V_ROW(FCVTMU_vh, fcvt_to, 1, 0, true, FPR_NEGINF, false)
V_ROW(FCVTAU_vh, fcvt_to, 1, 0, true, FPR_TIEAWAY, false)
V_ROW(UCVTF_vh, fcvt_from, 1, 0, true, false)
V_ROW(FCMGE0_vh, fmisc2, f_cmge0, false)
V_ROW(FCMLE0_vh, fmisc2, f_cmle0, false)
V_ROW(FNEG_vh, fmisc2, f_neg, false)
V_ROW(FRINTI_vh, fmisc2, f_rinti, false)
V_ROW(FCVTPU_vh, fcvt_to, 1, 0, true, FPR_POSINF, false)
V_ROW(FCVTZU_vh, fcvt_to, 1, 0, true, FPR_ZERO, false)
V_ROW(FRSQRTE_vh, fmisc2, fp_rsqrte, false)
V_ROW(FSQRT_vh, fmisc2, fp_sqrt, false)

/* FRINT32Z, FRINT32X, FRINT64Z, FRINT64X (FEAT_FRINTTS) */
V_ROW(FRINT32Z_v, fmisc2, f_rint32z, false)
V_ROW(FRINT32X_v, fmisc2, f_rint32x, false)
V_ROW(FRINT64Z_v, fmisc2, f_rint64z, false)
V_ROW(FRINT64X_v, fmisc2, f_rint64x, false)

/* across lanes FP16 */
V_ROW(FMAXNMV_vh, facross, f_maxnm)
V_ROW(FMINNMV_vh, facross, f_minnm)
V_ROW(FMAXV_vh, facross, f_max)
V_ROW(FMINV_vh, facross, f_min)

/* scalar three same FP16 */
V_ROW(FMULX_sh, fsame3, f_mulx, false, true)
V_ROW(FCMEQ_sh, fsame3, f_cmeq, false, true)
V_ROW(FRECPS_sh, fsame3, f_recps, false, true)
V_ROW(FRSQRTS_sh, fsame3, f_rsqrts, false, true)
V_ROW(FCMGE_sh, fsame3, f_cmge, false, true)
V_ROW(FACGE_sh, fsame3, f_acge, false, true)
V_ROW(FABD_sh, fsame3, f_abd, false, true)
V_ROW(FCMGT_sh, fsame3, f_cmgt, false, true)
V_ROW(FACGT_sh, fsame3, f_acgt, false, true)

/* scalar two-register miscellaneous FP16 */
V_ROW(FCVTNS_sh, fcvt_to, 1, 0, false, FPR_TIEEVEN, true)
V_ROW(FCVTMS_sh, fcvt_to, 1, 0, false, FPR_NEGINF, true)
V_ROW(FCVTAS_sh, fcvt_to, 1, 0, false, FPR_TIEAWAY, true)
V_ROW(SCVTF_sh, fcvt_from, 1, 0, false, true)
V_ROW(FCMGT0_sh, fmisc2, f_cmgt0, true)
V_ROW(FCMEQ0_sh, fmisc2, f_cmeq0, true)
V_ROW(FCMLT0_sh, fmisc2, f_cmlt0, true)
V_ROW(FCVTPS_sh, fcvt_to, 1, 0, false, FPR_POSINF, true)
V_ROW(FCVTZS_sh, fcvt_to, 1, 0, false, FPR_ZERO, true)
V_ROW(FRECPE_sh, fmisc2, fp_recpe, true)
V_ROW(FRECPX_sh, fmisc2, fp_recpx, true)
V_ROW(FCVTNU_sh, fcvt_to, 1, 0, true, FPR_TIEEVEN, true)
V_ROW(FCVTMU_sh, fcvt_to, 1, 0, true, FPR_NEGINF, true)
V_ROW(FCVTAU_sh, fcvt_to, 1, 0, true, FPR_TIEAWAY, true)
V_ROW(UCVTF_sh, fcvt_from, 1, 0, true, true)
V_ROW(FCMGE0_sh, fmisc2, f_cmge0, true)
V_ROW(FCMLE0_sh, fmisc2, f_cmle0, true)
V_ROW(FCVTPU_sh, fcvt_to, 1, 0, true, FPR_POSINF, true)
V_ROW(FCVTZU_sh, fcvt_to, 1, 0, true, FPR_ZERO, true)
V_ROW(FRSQRTE_sh, fmisc2, fp_rsqrte, true)

/* scalar pairwise FP16 */
V_ROW(FMAXNMP_sh, fpair, f_maxnm)
V_ROW(FADDP_sh, fpair, f_add)
V_ROW(FMAXP_sh, fpair, f_max)
V_ROW(FMINNMP_sh, fpair, f_minnm)
V_ROW(FMINP_sh, fpair, f_min)

/* by element: FMLAL, FMLSL (FEAT_FHM), FCMLA (FEAT_FCMA) */
V_ROW(FMLAL_e, fmlal, false, 0, true)
V_ROW(FMLSL_e, fmlal, true, 0, true)
V_ROW(FMLAL2_e, fmlal, false, 1, true)
V_ROW(FMLSL2_e, fmlal, true, 1, true)
V_ROW(FCMLA_e, fcmla, true)

/* structure loads and stores (L, opcode): no offset (Rm 0) or post-index */
V_ROW(ST4_m, ldst_m, 4, 1, false)
V_ROW(ST1_m4, ldst_m, 1, 4, false)
V_ROW(ST3_m, ldst_m, 3, 1, false)
V_ROW(ST1_m3, ldst_m, 1, 3, false)
V_ROW(ST1_m1, ldst_m, 1, 1, false)
V_ROW(ST2_m, ldst_m, 2, 1, false)
V_ROW(ST1_m2, ldst_m, 1, 2, false)
V_ROW(LD4_m, ldst_m, 4, 1, true)
V_ROW(LD1_m4, ldst_m, 1, 4, true)
V_ROW(LD3_m, ldst_m, 3, 1, true)
V_ROW(LD1_m3, ldst_m, 1, 3, true)
V_ROW(LD1_m1, ldst_m, 1, 1, true)
V_ROW(LD2_m, ldst_m, 2, 1, true)
V_ROW(LD1_m2, ldst_m, 1, 2, true)

/* LD1R-LD4R before the single-structure forms, whose rows they carve */
V_ROW(LD1R, ldst_l, 1, true, true)
V_ROW(LD2R, ldst_l, 2, true, true)
V_ROW(LD3R, ldst_l, 3, true, true)
V_ROW(LD4R, ldst_l, 4, true, true)
V_ROW(ST1_l, ldst_l, 1, false, false)
V_ROW(ST2_l, ldst_l, 2, false, false)
V_ROW(ST3_l, ldst_l, 3, false, false)
V_ROW(ST4_l, ldst_l, 4, false, false)
V_ROW(LD1_l, ldst_l, 1, true, false)
V_ROW(LD2_l, ldst_l, 2, true, false)
V_ROW(LD3_l, ldst_l, 3, true, false)
V_ROW(LD4_l, ldst_l, 4, true, false)

#define INSN_CLASS	simd
#define INSN_DEF	"insn/simd.def"
#include "a64_table.h"
