// SPDX-License-Identifier: GPL-2.0
/*
 * SVE (Arm ARM C4.1.x "SVE encodings"): the subset Linux executes (vector
 * length probing, context save/restore, FFR handling) and what GCC emits
 * for auto-vectorised loops; docs/sve.md lists it.  Every other word of
 * the SVE encoding space is UNDEFINED.
 *
 * State: Z<n> is state->z[n] (V<n> its low 16 bytes), P<n> state->p[n]
 * and FFR state->ffr, one bit per byte of a vector, little-endian, as
 * KVM's ONE_REG layout has them.  An SVE write of a Z or P register
 * writes the effective length and zeroes the rest, up to the maximum.
 *
 * Element sizes are log2 bytes (0 B, 1 H, 2 S, 3 D).  FP arithmetic is
 * fp.c's: half, single and double precision for the arithmetic rows here;
 * exec_svefp.c's forms are S and D only (docs/sve.md).
 *
 * The rows are in insn/sve.def, one per encoding; a row's handler
 * exec_NAME is its semantics, written as a family helper (an element loop
 * over the vector length, always inlined) given the element operation and
 * the fields the row fixes.
 */
#include "sve_elem.h"

/* ---- access and state ------------------------------------------------------ */

static inline int64_t zsget(const uint8_t *z, unsigned int e, unsigned int sz)
{
	return sext(zget(z, e, sz), 8u << sz);
}

static inline uint64_t emask(unsigned int sz)
{
	return sz == 3 ? ~0ULL : (1ULL << (8u << sz)) - 1;
}

/* PredTest(mask, result, esize): NZCV in bits 31:28 */
static uint64_t pred_test(const uint8_t *mask, const uint8_t *res, unsigned int sz,
			  unsigned int vl)
{
	bool found = false, first = false, last = false, any = false;
	unsigned int e;

	for (e = 0; e < vl >> sz; e++) {
		if (!pact(mask, e, sz))
			continue;
		bool r = pact(res, e, sz);

		if (!found) {
			first = r;
			found = true;
		}
		last = r;
		any |= r;
	}
	return (uint64_t)first << 31 | (uint64_t)!any << 30 | (uint64_t)!last << 29;
}

/* DecodePredCount */
static unsigned int pred_count(unsigned int pat, unsigned int elements)
{
	unsigned int n;

	switch (pat) {
	case 0:
		for (n = 1; n * 2 <= elements; n *= 2)
			;
		return n;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
		return elements >= pat ? pat : 0;
	case 9: case 10: case 11: case 12: case 13:
		n = 16u << (pat - 9);
		return elements >= n ? n : 0;
	case 29: return elements - elements % 4;
	case 30: return elements - elements % 3;
	case 31: return elements;
	default: return 0;
	}
}

/* The vector-length multiple imm6 (bits 10:5) of RDVL, ADDVL, ADDPL. */
#define IMM6(d)		sext(FIELD((d)->insn, 10, 5), 6)

/* Element fields of the forms whose esize is not bits 23:22. */
#define SIZE21(d)	FIELD((d)->insn, 22, 21)	/* contiguous LD1/ST1 */
#define SIZE13(d)	FIELD((d)->insn, 14, 13)	/* LD1R */


/*
 * The handler exec_NAME of a row whose semantics is a family's helper,
 * given the element operation and the fields the row fixes:
 * SVE_ROW(ADD_zpzz, zpzz, op_add) is ADD (vectors, predicated).
 */
#define SVE_ROW(NAME, helper, ...)					\
static int exec_##NAME(struct cpu *c, const struct dinsn *d)		\
{									\
	return helper(c, d, __VA_ARGS__);				\
}

/* An integer element operation on a, b of 8 << sz bits (zero-extended). */
typedef uint64_t zop_fn(uint64_t a, uint64_t b, unsigned int sz);
/* A floating-point element operation (fp.c) of size sz, 2 S or 3 D. */
typedef uint64_t fop_fn(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);

/* ---- vector length: RDVL, ADDVL, ADDPL, CNT*, INC*, DEC* -------------------- */

static int exec_RDVL(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_xreg(&c->state, d->rd, (uint64_t)(IMM6(d) * vl));
	return EXEC_NEXT;
}

/* Xd|SP = Xn|SP (bits 20:16) + imm6 * bytes (of a vector or a predicate) */
SVE_INLINE int addvl(struct cpu *c, const struct dinsn *d, bool pred)
{
	unsigned int vl;
	int64_t m;

	SVE_ENTER(c, vl);
	m = IMM6(d) * (pred ? vl / 8 : vl);
	set_xreg_sp(&c->state, d->rd, xreg_sp(&c->state, d->rm) + (uint64_t)m);
	return EXEC_NEXT;
}

SVE_ROW(ADDVL, addvl, false)
SVE_ROW(ADDPL, addvl, true)

/* count * imm of an element-count instruction: pattern 9:5, imm4 19:16 */
static int64_t elem_count(const struct dinsn *d, unsigned int vl, unsigned int sz)
{
	return (int64_t)pred_count(FIELD(d->insn, 9, 5), vl >> sz) * (FIELD(d->insn, 19, 16) + 1);
}

/* CNT<T> Xd (sign 0), INC<T> Xdn (+1), DEC<T> Xdn (-1) */
SVE_INLINE int cnt_r(struct cpu *c, const struct dinsn *d, int sign)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;
	uint64_t n;

	SVE_ENTER(c, vl);
	n = (uint64_t)elem_count(d, vl, SIZE(d));
	if (!sign)
		set_xreg(s, d->rd, n);
	else
		set_xreg(s, d->rd, sign > 0 ? xreg(s, d->rd) + n : xreg(s, d->rd) - n);
	return EXEC_NEXT;
}

SVE_ROW(CNT_r, cnt_r, 0)
SVE_ROW(INC_r, cnt_r, 1)
SVE_ROW(DEC_r, cnt_r, -1)

static uint64_t sat_s(__int128 v, unsigned int sz)
{
	unsigned int bits = 8u << sz;
	__int128 max = ((__int128)1 << (bits - 1)) - 1, min = -max - 1;

	return (uint64_t)(v > max ? max : v < min ? min : v);
}

static uint64_t sat_u(__int128 v, unsigned int sz)
{
	__int128 max = (__int128)emask(sz);

	return (uint64_t)(v > max ? max : v < 0 ? 0 : v);
}

/*
 * x (its low 8 << sz bits, zero- or sign-extended: u) plus or minus (dec)
 * n, saturated to 8 << sz bits; signed: sign-extended to 64.
 */
static uint64_t qstep(uint64_t x, unsigned int sz, bool u, bool dec, int64_t n)
{
	__int128 v = u ? (__int128)(x & emask(sz)) : (__int128)sext(x, 8u << sz);

	v = dec ? v - n : v + n;
	return u ? sat_u(v, sz) : sat_s(v, sz);
}

/*
 * SQINC/UQINC/SQDEC/UQDEC<T> Xdn|Wdn: sf 20.  sf 0: the low 32 bits
 * saturate, the signed forms (Xdn, Wdn) sign-extend the result, the
 * unsigned (Wdn) zero-extend it.
 */
SVE_INLINE int qincdec_r(struct cpu *c, const struct dinsn *d, bool u, bool dec)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, ssz = BIT(d->insn, 20) ? 3 : 2;

	SVE_ENTER(c, vl);
	set_xreg(s, d->rd, qstep(xreg(s, d->rd), ssz, u, dec, elem_count(d, vl, SIZE(d))));
	return EXEC_NEXT;
}

SVE_ROW(SQINC_r, qincdec_r, false, false)
SVE_ROW(UQINC_r, qincdec_r, true, false)
SVE_ROW(SQDEC_r, qincdec_r, false, true)
SVE_ROW(UQDEC_r, qincdec_r, true, true)

/* Zdn.T's elements plus or minus n, wrapping (!sat) or saturating */
static void zincdec(struct cpu_state *s, unsigned int rd, unsigned int sz, bool sat, bool u,
		    bool dec, int64_t n, unsigned int vl)
{
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int e;

	for (e = 0; e < vl >> sz; e++) {
		uint64_t x = zget(s->z[rd], e, sz);

		if (!sat)
			x = dec ? x - (uint64_t)n : x + (uint64_t)n;
		else
			x = qstep(x, sz, u, dec, n);
		zset(buf, e, sz, x);
	}
	zwrite(s, rd, buf, vl);
}

/* INC/DEC<T> Zdn (!sat) and SQINC/UQINC/SQDEC/UQDEC<T> Zdn, T = H, W, D */
SVE_INLINE int incdec_v(struct cpu *c, const struct dinsn *d, bool sat, bool u, bool dec)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zincdec(&c->state, d->rd, SIZE(d), sat, u, dec, elem_count(d, vl, SIZE(d)), vl);
	return EXEC_NEXT;
}

SVE_ROW(INC_v, incdec_v, false, false, false)
SVE_ROW(DEC_v, incdec_v, false, false, true)
SVE_ROW(SQINC_v, incdec_v, true, false, false)
SVE_ROW(UQINC_v, incdec_v, true, true, false)
SVE_ROW(SQDEC_v, incdec_v, true, false, true)
SVE_ROW(UQDEC_v, incdec_v, true, true, true)

/* ---- predicates: PTRUE, PFALSE, FFR, PTEST ----------------------------------- */

SVE_INLINE int ptrue(struct cpu *c, const struct dinsn *d, bool setflags)
{
	unsigned int vl, sz = SIZE(d), e, n;
	uint8_t p[CPU_PREG_BYTES] = { 0 };

	SVE_ENTER(c, vl);
	n = pred_count(FIELD(d->insn, 9, 5), vl >> sz);
	for (e = 0; e < n; e++)
		pset(p, e, sz, true);
	pwrite(c->state.p[d->rd & 15], p, vl);
	if (setflags)
		set_nzcv(&c->state, pred_test(p, p, sz, vl));
	return EXEC_NEXT;
}

SVE_ROW(PTRUE, ptrue, false)
SVE_ROW(PTRUES, ptrue, true)

static int exec_PFALSE(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	(void)vl;
	memset(c->state.p[d->rd & 15], 0, CPU_PREG_BYTES);
	return EXEC_NEXT;
}

static int exec_SETFFR(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	uint8_t p[CPU_PREG_BYTES];

	(void)d;
	SVE_ENTER(c, vl);
	memset(p, 0xff, sizeof(p));
	pwrite(c->state.ffr, p, vl);
	return EXEC_NEXT;
}

static int exec_RDFFR(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	uint8_t p[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(p, c->state.ffr, sizeof(p));
	pwrite(c->state.p[d->rd & 15], p, vl);
	return EXEC_NEXT;
}

/* RDFFR(S) Pd, Pg/Z */
SVE_INLINE int rdffr_p(struct cpu *c, const struct dinsn *d, bool setflags)
{
	struct cpu_state *s = &c->state;
	const uint8_t *g = s->p[FIELD(d->insn, 8, 5)];
	uint8_t p[CPU_PREG_BYTES];
	unsigned int vl, i;

	SVE_ENTER(c, vl);
	for (i = 0; i < CPU_PREG_BYTES; i++)
		p[i] = s->ffr[i] & g[i];
	if (setflags)
		set_nzcv(s, pred_test(g, p, 0, vl));
	pwrite(s->p[d->rd & 15], p, vl);
	return EXEC_NEXT;
}

SVE_ROW(RDFFR_p, rdffr_p, false)
SVE_ROW(RDFFRS_p, rdffr_p, true)

static int exec_WRFFR(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	uint8_t p[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(p, c->state.p[FIELD(d->insn, 8, 5)], sizeof(p));
	pwrite(c->state.ffr, p, vl);
	return EXEC_NEXT;
}

static int exec_PTEST(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_nzcv(s, pred_test(s->p[FIELD(d->insn, 13, 10)], s->p[FIELD(d->insn, 8, 5)], 0, vl));
	return EXEC_NEXT;
}

/* ---- memory helpers ------------------------------------------------------------ */

static int load_bytes(struct cpu *c, uint64_t va, uint8_t *dst, unsigned int n, uint32_t acc)
{
	unsigned int i = 0;
	uint64_t x;

	if (!(va & 7) && !(n & 7)) {
		for (; i < n; i += 8) {
			if (mem_read(c, va + i, 8, acc, &x))
				return -1;
			memcpy(dst + i, &x, 8);
		}
		return 0;
	}
	for (; i < n; i++) {
		if (mem_read(c, va + i, 1, acc, &x))
			return -1;
		dst[i] = (uint8_t)x;
	}
	return 0;
}

static int store_bytes(struct cpu *c, uint64_t va, const uint8_t *src, unsigned int n,
		       uint32_t acc)
{
	unsigned int i = 0;
	uint64_t x;

	if (!(va & 7) && !(n & 7)) {
		for (; i < n; i += 8) {
			memcpy(&x, src + i, 8);
			if (mem_write(c, va + i, 8, ACC_WRITE | acc, x))
				return -1;
		}
		return 0;
	}
	for (; i < n; i++)
		if (mem_write(c, va + i, 1, ACC_WRITE | acc, src[i]))
			return -1;
	return 0;
}

/* ---- LDR/STR (vector and predicate) ---------------------------------------------- */

/* LDR/STR Zt|Pt, [Xn|SP{, #imm, MUL VL}]: whole registers as bytes */
SVE_INLINE int ldr_str(struct cpu *c, const struct dinsn *d, bool store, bool pred)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, n;
	int64_t imm = sext(FIELD(d->insn, 21, 16) << 3 | FIELD(d->insn, 12, 10), 9);
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t va;

	SVE_ENTER(c, vl);
	n = pred ? vl / 8 : vl;
	va = xreg_sp(s, d->rn) + (uint64_t)(imm * n);
	if (store) {
		memcpy(buf, pred ? s->p[d->rd & 15] : s->z[d->rd], n);
		return store_bytes(c, va, buf, n, acc_sp_notag(d->rn, false)) ? EXEC_STOP : EXEC_NEXT;
	}
	if (load_bytes(c, va, buf, n, acc_sp_notag(d->rn, false)))
		return EXEC_STOP;
	if (pred)
		pwrite(s->p[d->rd & 15], buf, vl);
	else
		zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(LDR_zri, ldr_str, false, false)
SVE_ROW(LDR_pri, ldr_str, false, true)
SVE_ROW(STR_zri, ldr_str, true, false)
SVE_ROW(STR_pri, ldr_str, true, true)

/* ---- contiguous LD1/ST1, LD1R ------------------------------------------------------ */

/*
 * The element offset of a contiguous access: Xm (scalar plus scalar) or
 * imm4 (19:16) vectors of elems elements (scalar plus immediate).
 */
SVE_INLINE uint64_t ld1_offset(const struct cpu_state *s, const struct dinsn *d, bool imm,
			       unsigned int elems)
{
	if (imm)
		return (uint64_t)(sext(FIELD(d->insn, 19, 16), 4) * elems);
	return xreg(s, d->rm);
}

/* LD1<msz> Zt.<esz>, Pg/Z, [Xn|SP, offset]: sgn sign-extends each element */
SVE_INLINE int ld1(struct cpu *c, const struct dinsn *d, unsigned int msz, unsigned int esz,
		   bool sgn, bool imm)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, elems;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t base, off, x;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	base = xreg_sp(s, d->rn);
	off = ld1_offset(s, d, imm, elems);
	for (e = 0; e < elems; e++) {
		x = 0;
		if (pact(pg, e, esz)) {
			if (mem_read(c, base + ((off + e) << msz), 1u << msz,
				     acc_sp_notag(d->rn, !imm), &x))
				return EXEC_STOP;
			if (sgn)
				x = (uint64_t)sext(x, 8u << msz);
		}
		zset(buf, e, esz, x);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * The rows of LD1<T> (dtype 24:21): esize is dtype<22:21> for the
 * zero-extending forms and 3 - dtype<22:21> for the sign-extending ones.
 */
SVE_ROW(LD1B_zprr, ld1, 0, SIZE21(d), false, false)
SVE_ROW(LD1B_zpri, ld1, 0, SIZE21(d), false, true)
SVE_ROW(LD1H_zprr, ld1, 1, SIZE21(d), false, false)
SVE_ROW(LD1H_zpri, ld1, 1, SIZE21(d), false, true)
SVE_ROW(LD1W_zprr, ld1, 2, SIZE21(d), false, false)
SVE_ROW(LD1W_zpri, ld1, 2, SIZE21(d), false, true)
SVE_ROW(LD1D_zprr, ld1, 3, SIZE21(d), false, false)
SVE_ROW(LD1D_zpri, ld1, 3, SIZE21(d), false, true)
SVE_ROW(LD1SB_zprr, ld1, 0, 3 - SIZE21(d), true, false)
SVE_ROW(LD1SB_zpri, ld1, 0, 3 - SIZE21(d), true, true)
SVE_ROW(LD1SH_zprr, ld1, 1, 3 - SIZE21(d), true, false)
SVE_ROW(LD1SH_zpri, ld1, 1, 3 - SIZE21(d), true, true)
SVE_ROW(LD1SW_zprr, ld1, 2, 3 - SIZE21(d), true, false)
SVE_ROW(LD1SW_zpri, ld1, 2, 3 - SIZE21(d), true, true)

/* scalar plus scalar: Xm = XZR is unallocated for the loads */
static bool prep_ld1_rr(struct dinsn *d)
{
	return d->rm != 31;
}

/* ST1<msz> Zt.<esz>, Pg, [Xn|SP, offset]: esz 22:21 */
SVE_INLINE int st1(struct cpu *c, const struct dinsn *d, unsigned int msz, bool imm)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, esz = SIZE21(d), e, elems;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t base, off;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	memcpy(buf, s->z[d->rd], vl);
	base = xreg_sp(s, d->rn);
	off = ld1_offset(s, d, imm, elems);
	for (e = 0; e < elems; e++)
		if (pact(pg, e, esz) &&
		    mem_write(c, base + ((off + e) << msz), 1u << msz,
			      ACC_WRITE | acc_sp_notag(d->rn, !imm), zget(buf, e, esz)))
			return EXEC_STOP;
	return EXEC_NEXT;
}

SVE_ROW(ST1B_zprr, st1, 0, false)
SVE_ROW(ST1B_zpri, st1, 0, true)
SVE_ROW(ST1H_zprr, st1, 1, false)
SVE_ROW(ST1H_zpri, st1, 1, true)
SVE_ROW(ST1W_zprr, st1, 2, false)
SVE_ROW(ST1W_zpri, st1, 2, true)
SVE_ROW(ST1D_zprr, st1, 3, false)
SVE_ROW(ST1D_zpri, st1, 3, true)

/*
 * An element narrower than the memory access (msz 24:23) is unallocated,
 * and so is Xm = XZR (scalar plus scalar; the imm4 of scalar plus
 * immediate, bits 19:16, leaves rm below 16).
 */
static bool prep_st1(struct dinsn *d)
{
	return SIZE21(d) >= FIELD(d->insn, 24, 23) && d->rm != 31;
}

/* LD1R<msz> Zt.<esz>, Pg/Z, [Xn|SP{, #imm6 * bytes}] */
SVE_INLINE int ld1r(struct cpu *c, const struct dinsn *d, unsigned int msz, unsigned int esz,
		    bool sgn)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, elems;
	bool any = false;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t x = 0;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	for (e = 0; e < elems; e++)
		any |= pact(pg, e, esz);
	if (any) {
		if (mem_read(c, xreg_sp(s, d->rn) + ((uint64_t)FIELD(d->insn, 21, 16) << msz),
			     1u << msz, acc_sp_notag(d->rn, false), &x))
			return EXEC_STOP;
		if (sgn)
			x = (uint64_t)sext(x, 8u << msz);
	}
	for (e = 0; e < elems; e++)
		zset(buf, e, esz, pact(pg, e, esz) ? x : 0);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* dtype 24:23,14:13 as for LD1: esize dtype<14:13>, or 3 - it when signed */
SVE_ROW(LD1RB_zpri, ld1r, 0, SIZE13(d), false)
SVE_ROW(LD1RH_zpri, ld1r, 1, SIZE13(d), false)
SVE_ROW(LD1RW_zpri, ld1r, 2, SIZE13(d), false)
SVE_ROW(LD1RD_zpri, ld1r, 3, SIZE13(d), false)
SVE_ROW(LD1RSB_zpri, ld1r, 0, 3 - SIZE13(d), true)
SVE_ROW(LD1RSH_zpri, ld1r, 1, 3 - SIZE13(d), true)
SVE_ROW(LD1RSW_zpri, ld1r, 2, 3 - SIZE13(d), true)

/* ---- WHILE ---------------------------------------------------------------------------- */

/* WHILE<cc>'s comparison of operands a and b, of 32 bits (!sf) or 64 */
static inline bool while_cond(uint64_t a, uint64_t b, bool sf, bool uns, bool eq)
{
	if (!uns) {
		a = sf ? a : (uint64_t)(int64_t)(int32_t)a;
		b = sf ? b : (uint64_t)(int64_t)(int32_t)b;
		return eq ? (int64_t)a <= (int64_t)b : (int64_t)a < (int64_t)b;
	}
	return eq ? a <= b : a < b;
}

/*
 * WHILE<cc> Pd.T, Rn, Rm: sf 12; uns: LO/LS; eq: LE/LS.  The first operand
 * counts up by one an element in the register's width: WHILELE/LS from the
 * largest value wraps to the smallest, whose comparison then holds again.
 */
SVE_INLINE int sve_while(struct cpu *c, const struct dinsn *d, bool uns, bool eq)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	bool sf = BIT(d->insn, 12), last = true;
	uint8_t p[CPU_PREG_BYTES] = { 0 }, all[CPU_PREG_BYTES];
	uint64_t wmask = sf ? ~0ULL : 0xffffffffULL;
	uint64_t a = xreg(s, d->rn) & wmask, b = xreg(s, d->rm) & wmask;

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++) {
		if (last)
			last = while_cond(a, b, sf, uns, eq);
		pset(p, e, sz, last);
		a = (a + 1) & wmask;
	}
	memset(all, 0xff, sizeof(all));
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(all, p, sz, vl));
	return EXEC_NEXT;
}

SVE_ROW(WHILELT, sve_while, false, false)
SVE_ROW(WHILELE, sve_while, false, true)
SVE_ROW(WHILELO, sve_while, true, false)
SVE_ROW(WHILELS, sve_while, true, true)

/* ---- DUP, FDUP, INDEX, permutes, CPY, SEL, MOVPRFX --------------------------------------- */

static void zfill(struct cpu_state *s, unsigned int n, unsigned int sz, uint64_t v,
		  unsigned int vl)
{
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int e;

	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, v);
	zwrite(s, n, buf, vl);
}

/* the signed imm8 (12:5) of DUP and CPY, shifted left by 8 if sh (13) */
static uint64_t dup_imm(const struct dinsn *d)
{
	return (uint64_t)sext(FIELD(d->insn, 12, 5), 8) << (BIT(d->insn, 13) ? 8 : 0);
}

/* DUP Zd.T, Rn|SP */
static int exec_DUP_s(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zfill(&c->state, d->rd, SIZE(d), xreg_sp(&c->state, d->rn), vl);
	return EXEC_NEXT;
}

/* DUP Zd.T, #imm{, LSL #8} */
static int exec_DUP_i(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zfill(&c->state, d->rd, SIZE(d), dup_imm(d), vl);
	return EXEC_NEXT;
}

/* a shifted immediate of byte elements is unallocated */
static bool prep_imm_sh(struct dinsn *d)
{
	return !(SIZE(d) == 0 && BIT(d->insn, 13));
}

static int exec_FDUP(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zfill(&c->state, d->rd, SIZE(d), vfp_expand_imm(FIELD(d->insn, 12, 5), SIZE(d)), vl);
	return EXEC_NEXT;
}

static bool prep_size_nz(struct dinsn *d)
{
	return SIZE(d) != 0;
}

/* DUP Zd.T, Zn.T[imm]; T = Q (tsz 10000): 16-byte elements, copied whole */
static int exec_DUP_x(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, tsz = FIELD(d->insn, 20, 16), sz = (unsigned int)__builtin_ctz(tsz);
	unsigned int imm = FIELD(d->insn, 23, 22) << 5 | tsz, idx = imm >> (sz + 1), i;
	uint8_t buf[CPU_ZREG_BYTES], q[16] = { 0 };

	SVE_ENTER(c, vl);
	if (sz < 4) {
		zfill(s, d->rd, sz, idx < vl >> sz ? zget(s->z[d->rn], idx, sz) : 0, vl);
		return EXEC_NEXT;
	}
	if (idx < vl / 16)
		memcpy(q, s->z[d->rn] + idx * 16, 16);
	for (i = 0; i < vl; i += 16)
		memcpy(buf + i, q, 16);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

static bool prep_dup_x(struct dinsn *d)
{
	return FIELD(d->insn, 20, 16) != 0;
}

/* INDEX Zd.T, base, step: each a register (Rn, Rm) or a signed imm5 there */
SVE_INLINE int sve_index(struct cpu *c, const struct dinsn *d, bool rbase, bool rstep)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint64_t base, step;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	base = rbase ? xreg(s, d->rn) : (uint64_t)sext(d->rn, 5);
	step = rstep ? xreg(s, d->rm) : (uint64_t)sext(d->rm, 5);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, base + e * step);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(INDEX_ii, sve_index, false, false)
SVE_ROW(INDEX_ri, sve_index, true, false)
SVE_ROW(INDEX_ir, sve_index, false, true)
SVE_ROW(INDEX_rr, sve_index, true, true)

/* SUNPKLO/SUNPKHI/UUNPKLO/UUNPKHI Zd.T, Zn.Tb */
SVE_INLINE int unpk(struct cpu *c, const struct dinsn *d, bool u, bool hi)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *zn = s->z[d->rn];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++) {
		unsigned int i = hi * elems + e;

		zset(buf, e, sz, u ? zget(zn, i, sz - 1) : (uint64_t)zsget(zn, i, sz - 1));
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(SUNPKLO, unpk, false, false)
SVE_ROW(SUNPKHI, unpk, false, true)
SVE_ROW(UUNPKLO, unpk, true, false)
SVE_ROW(UUNPKHI, unpk, true, true)

/* PUNPKLO/PUNPKHI Pd.H, Pn.B: the low or high half of Pn's byte elements,
 * each to a halfword element */
SVE_INLINE int punpk(struct cpu *c, const struct dinsn *d, bool hi)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, elems;
	uint8_t p[CPU_PREG_BYTES] = { 0 };
	const uint8_t *pn = s->p[(d->insn >> 5) & 15];

	SVE_ENTER(c, vl);
	elems = vl >> 1;
	for (e = 0; e < elems; e++)
		pset(p, e, 1, pact(pn, hi * elems + e, 0));
	pwrite(s->p[d->insn & 15], p, vl);
	return EXEC_NEXT;
}

SVE_ROW(PUNPKLO, punpk, false)
SVE_ROW(PUNPKHI, punpk, true)

/* INSR Zdn.T, Rm|Vm: Zdn's elements up by one, Rm or Vm's element 0 into element 0 */
SVE_INLINE int insr(struct cpu *c, const struct dinsn *d, bool simd)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t v = simd ? zget(s->z[d->rn], 0, sz) : xreg(s, d->rn);

	SVE_ENTER(c, vl);
	for (e = 1; e < vl >> sz; e++)
		zset(buf, e, sz, zget(s->z[d->rd], e - 1, sz));
	zset(buf, 0, sz, v);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(INSR_r, insr, false)
SVE_ROW(INSR_f, insr, true)

/* REV Zd.T, Zn.T */
static int exec_REV_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++)
		zset(buf, e, sz, zget(s->z[d->rn], elems - 1 - e, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* EXT Zdn.B, Zdn.B, Zm.B, #imm (imm8 20:16,12:10): bytes imm.. of Zm:Zdn; imm 0 if beyond */
static int exec_EXT(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, i, pos = FIELD(d->insn, 20, 16) << 3 | FIELD(d->insn, 12, 10);
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	if (pos >= vl)
		pos = 0;
	for (i = 0; i < vl; i++)
		buf[i] = i + pos < vl ? s->z[d->rd][i + pos] : s->z[d->rn][i + pos - vl];
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * ZIP, UZP, TRN: element i of the result is element k of the concatenation
 * N:M (k < elems: N's), k given by the instruction's index function.
 */
typedef unsigned int perm_fn(unsigned int i, unsigned int elems, bool hi);

static inline unsigned int perm_zip(unsigned int i, unsigned int elems, bool hi)
{
	return (i & 1) * elems + hi * (elems / 2) + i / 2;
}

static inline unsigned int perm_uzp(unsigned int i, unsigned int elems, bool hi)
{
	(void)elems;
	return 2 * i + hi;
}

static inline unsigned int perm_trn(unsigned int i, unsigned int elems, bool hi)
{
	return (i & 1) * elems + (i & ~1u) + hi;
}

/* ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2 Zd.T, Zn.T, Zm.T */
SVE_INLINE int zperm(struct cpu *c, const struct dinsn *d, perm_fn *idx, bool hi)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++) {
		unsigned int k = idx(e, elems, hi);

		zset(buf, e, sz, k < elems ? zget(s->z[d->rn], k, sz) :
			zget(s->z[d->rm], k - elems, sz));
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ZIP1_z, zperm, perm_zip, false)
SVE_ROW(ZIP2_z, zperm, perm_zip, true)
SVE_ROW(UZP1_z, zperm, perm_uzp, false)
SVE_ROW(UZP2_z, zperm, perm_uzp, true)
SVE_ROW(TRN1_z, zperm, perm_trn, false)
SVE_ROW(TRN2_z, zperm, perm_trn, true)

/* the 1 << sz predicate bits of element e (a whole element moves in a permute) */
static inline unsigned int pelem(const uint8_t *p, unsigned int e, unsigned int sz)
{
	unsigned int b = e << sz;

	return (p[b >> 3] >> (b & 7)) & ((1u << (1u << sz)) - 1);
}

/* into a zeroed p */
static inline void pelem_set(uint8_t *p, unsigned int e, unsigned int sz, unsigned int v)
{
	unsigned int b = e << sz;

	p[b >> 3] |= (uint8_t)(v << (b & 7));
}

/* ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2 Pd.T, Pn.T, Pm.T (Pm 19:16, Pn 8:5, Pd 3:0) */
SVE_INLINE int pperm(struct cpu *c, const struct dinsn *d, perm_fn *idx, bool hi)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t p[CPU_PREG_BYTES] = { 0 };
	const uint8_t *pn = s->p[FIELD(d->insn, 8, 5)], *pm = s->p[FIELD(d->insn, 19, 16)];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++) {
		unsigned int k = idx(e, elems, hi);

		pelem_set(p, e, sz, k < elems ? pelem(pn, k, sz) : pelem(pm, k - elems, sz));
	}
	pwrite(s->p[d->insn & 15], p, vl);
	return EXEC_NEXT;
}

SVE_ROW(ZIP1_p, pperm, perm_zip, false)
SVE_ROW(ZIP2_p, pperm, perm_zip, true)
SVE_ROW(UZP1_p, pperm, perm_uzp, false)
SVE_ROW(UZP2_p, pperm, perm_uzp, true)
SVE_ROW(TRN1_p, pperm, perm_trn, false)
SVE_ROW(TRN2_p, pperm, perm_trn, true)

/* REV Pd.T, Pn.T */
static int exec_REV_p(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t p[CPU_PREG_BYTES] = { 0 };
	const uint8_t *pn = s->p[FIELD(d->insn, 8, 5)];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++)
		pelem_set(p, e, sz, pelem(pn, elems - 1 - e, sz));
	pwrite(s->p[d->insn & 15], p, vl);
	return EXEC_NEXT;
}

/* Zd.T = v in the elements active in pg; the others kept (merge) or zeroed */
static void zcpy(struct cpu_state *s, const struct dinsn *d, const uint8_t *pg, uint64_t v,
		 bool merge, unsigned int vl)
{
	unsigned int sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];

	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, v);
		else if (!merge)
			zset(buf, e, sz, 0);
	zwrite(s, d->rd, buf, vl);
}

/* CPY Zd.T, Pg/M, Rn|SP */
static int exec_CPY_z_p_r(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zcpy(s, d, s->p[PG3(d)], xreg_sp(s, d->rn), true, vl);
	return EXEC_NEXT;
}

/* CPY Zd.T, Pg/M, Vn */
static int exec_CPY_z_p_v(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zcpy(s, d, s->p[PG3(d)], zget(s->z[d->rn], 0, SIZE(d)), true, vl);
	return EXEC_NEXT;
}

/* CPY Zd.T, Pg/Z|M (M: 14), #imm{, LSL #8}: Pg 19:16 */
static int exec_CPY_z_p_i(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	zcpy(s, d, s->p[FIELD(d->insn, 19, 16)], dup_imm(d), BIT(d->insn, 14), vl);
	return EXEC_NEXT;
}

/* SEL Zd.T, Pg, Zn.T, Zm.T: Pg 13:10 */
static int exec_SEL_zpzz(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[FIELD(d->insn, 13, 10)];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, zget(pact(pg, e, sz) ? s->z[d->rn] : s->z[d->rm], e, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* MOVPRFX Zd, Zn */
static int exec_MOVPRFX(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int vl;

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rn], vl);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* MOVPRFX Zd.T, Pg/Z|M, Zn.T */
SVE_INLINE int movprfx_p(struct cpu *c, const struct dinsn *d, bool merge)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg;

	SVE_ENTER(c, vl);
	pg = s->p[PG3(d)];
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, zget(s->z[d->rn], e, sz));
		else if (!merge)
			zset(buf, e, sz, 0);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(MOVPRFX_z, movprfx_p, false)
SVE_ROW(MOVPRFX_m, movprfx_p, true)

/* ---- integer arithmetic ----------------------------------------------------------------- */

static inline int64_t ssz(uint64_t a, unsigned int sz)
{
	return sext(a, 8u << sz);
}

static inline uint64_t op_add(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a + b;
}

static inline uint64_t op_sub(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a - b;
}

static inline uint64_t op_subr(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return b - a;
}

static inline uint64_t op_smax(uint64_t a, uint64_t b, unsigned int sz)
{
	return ssz(a, sz) > ssz(b, sz) ? a : b;
}

static inline uint64_t op_umax(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a > b ? a : b;
}

static inline uint64_t op_smin(uint64_t a, uint64_t b, unsigned int sz)
{
	return ssz(a, sz) < ssz(b, sz) ? a : b;
}

static inline uint64_t op_umin(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a < b ? a : b;
}

static inline uint64_t op_sabd(uint64_t a, uint64_t b, unsigned int sz)
{
	int64_t sa = ssz(a, sz), sb = ssz(b, sz);

	return (uint64_t)(sa > sb ? (__int128)sa - sb : (__int128)sb - sa);
}

static inline uint64_t op_uabd(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a > b ? a - b : b - a;
}

static inline uint64_t op_mul(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a * b;
}

static inline uint64_t op_smulh(uint64_t a, uint64_t b, unsigned int sz)
{
	return (uint64_t)(((__int128)ssz(a, sz) * ssz(b, sz)) >> (8u << sz));
}

static inline uint64_t op_umulh(uint64_t a, uint64_t b, unsigned int sz)
{
	return (uint64_t)(((unsigned __int128)a * b) >> (8u << sz));
}

/* x / 0 is 0; INT_MIN / -1 wraps */
static inline uint64_t op_sdiv(uint64_t a, uint64_t b, unsigned int sz)
{
	int64_t sa = ssz(a, sz), sb = ssz(b, sz);

	if (!sb)
		return 0;
	if (sb == -1)
		return (uint64_t)-(uint64_t)sa;
	return (uint64_t)(sa / sb);
}

static inline uint64_t op_udiv(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return b ? a / b : 0;
}

static inline uint64_t op_sdivr(uint64_t a, uint64_t b, unsigned int sz)
{
	return op_sdiv(b, a, sz);
}

static inline uint64_t op_udivr(uint64_t a, uint64_t b, unsigned int sz)
{
	return op_udiv(b, a, sz);
}

static inline uint64_t op_orr(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a | b;
}

static inline uint64_t op_eor(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a ^ b;
}

static inline uint64_t op_and(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a & b;
}

static inline uint64_t op_bic(uint64_t a, uint64_t b, unsigned int sz)
{
	(void)sz;
	return a & ~b;
}

static inline uint64_t op_sqadd(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_s((__int128)ssz(a, sz) + ssz(b, sz), sz);
}

static inline uint64_t op_uqadd(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_u((__int128)a + b, sz);
}

static inline uint64_t op_sqsub(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_s((__int128)ssz(a, sz) - ssz(b, sz), sz);
}

static inline uint64_t op_uqsub(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_u((__int128)a - b, sz);
}

/* the immediate of SQADD/SQSUB (immediate) is unsigned */
static inline uint64_t op_sqadd_ui(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_s((__int128)ssz(a, sz) + (int64_t)b, sz);
}

static inline uint64_t op_sqsub_ui(uint64_t a, uint64_t b, unsigned int sz)
{
	return sat_s((__int128)ssz(a, sz) - (int64_t)b, sz);
}

/* <op> Zdn.T, Pg/M, Zdn.T, Zm.T (Zm 9:5) */
SVE_INLINE int zpzz(struct cpu *c, const struct dinsn *d, zop_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)], *zm = s->z[d->rn];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(buf, e, sz), zget(zm, e, sz), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ADD_zpzz, zpzz, op_add)
SVE_ROW(SUB_zpzz, zpzz, op_sub)
SVE_ROW(SUBR_zpzz, zpzz, op_subr)
SVE_ROW(SMAX_zpzz, zpzz, op_smax)
SVE_ROW(UMAX_zpzz, zpzz, op_umax)
SVE_ROW(SMIN_zpzz, zpzz, op_smin)
SVE_ROW(UMIN_zpzz, zpzz, op_umin)
SVE_ROW(SABD_zpzz, zpzz, op_sabd)
SVE_ROW(UABD_zpzz, zpzz, op_uabd)
SVE_ROW(MUL_zpzz, zpzz, op_mul)
SVE_ROW(SMULH_zpzz, zpzz, op_smulh)
SVE_ROW(UMULH_zpzz, zpzz, op_umulh)
SVE_ROW(SDIV_zpzz, zpzz, op_sdiv)
SVE_ROW(UDIV_zpzz, zpzz, op_udiv)
SVE_ROW(SDIVR_zpzz, zpzz, op_sdivr)
SVE_ROW(UDIVR_zpzz, zpzz, op_udivr)
SVE_ROW(ORR_zpzz, zpzz, op_orr)
SVE_ROW(EOR_zpzz, zpzz, op_eor)
SVE_ROW(AND_zpzz, zpzz, op_and)
SVE_ROW(BIC_zpzz, zpzz, op_bic)

/* S and D elements only (SDIV, ...) */
static bool prep_size_sd(struct dinsn *d)
{
	return SIZE(d) >= 2;
}

/* H, S and D elements (the FP arithmetic) */
static bool prep_size_hsd(struct dinsn *d)
{
	return SIZE(d) >= 1;
}

/* <op> Zd.T, Zn.T, Zm.T; the logical forms on .D (sz 3) */
SVE_INLINE int zzz(struct cpu *c, const struct dinsn *d, zop_fn *op, unsigned int sz)
{
	struct cpu_state *s = &c->state;
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int vl, e;

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(s->z[d->rn], e, sz), zget(s->z[d->rm], e, sz), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ADD_zzz, zzz, op_add, SIZE(d))
SVE_ROW(SUB_zzz, zzz, op_sub, SIZE(d))
SVE_ROW(SQADD_zzz, zzz, op_sqadd, SIZE(d))
SVE_ROW(UQADD_zzz, zzz, op_uqadd, SIZE(d))
SVE_ROW(SQSUB_zzz, zzz, op_sqsub, SIZE(d))
SVE_ROW(UQSUB_zzz, zzz, op_uqsub, SIZE(d))
SVE_ROW(AND_zzz, zzz, op_and, 3)
SVE_ROW(ORR_zzz, zzz, op_orr, 3)
SVE_ROW(EOR_zzz, zzz, op_eor, 3)
SVE_ROW(BIC_zzz, zzz, op_bic, 3)

/* <op> Zdn.T, Zdn.T, #imm: d->imm, zero-extended from the element size */
SVE_INLINE int zzi(struct cpu *c, const struct dinsn *d, zop_fn *op, unsigned int sz)
{
	struct cpu_state *s = &c->state;
	uint64_t imm = (uint64_t)d->imm & emask(sz);
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int vl, e;

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(s->z[d->rd], e, sz), imm, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ADD_zzi, zzi, op_add, SIZE(d))
SVE_ROW(SUB_zzi, zzi, op_sub, SIZE(d))
SVE_ROW(SUBR_zzi, zzi, op_subr, SIZE(d))
SVE_ROW(SQADD_zzi, zzi, op_sqadd_ui, SIZE(d))
SVE_ROW(UQADD_zzi, zzi, op_uqadd, SIZE(d))
SVE_ROW(SQSUB_zzi, zzi, op_sqsub_ui, SIZE(d))
SVE_ROW(UQSUB_zzi, zzi, op_uqsub, SIZE(d))
SVE_ROW(SMAX_zzi, zzi, op_smax, SIZE(d))
SVE_ROW(UMAX_zzi, zzi, op_umax, SIZE(d))
SVE_ROW(SMIN_zzi, zzi, op_smin, SIZE(d))
SVE_ROW(UMIN_zzi, zzi, op_umin, SIZE(d))
SVE_ROW(MUL_zzi, zzi, op_mul, SIZE(d))
SVE_ROW(ORR_zzi, zzi, op_orr, 3)
SVE_ROW(EOR_zzi, zzi, op_eor, 3)
SVE_ROW(AND_zzi, zzi, op_and, 3)

/* ADD..UQSUB (immediate): unsigned imm8 (12:5), LSL #8 if sh (13) */
static bool prep_imm8_sh(struct dinsn *d)
{
	if (SIZE(d) == 0 && BIT(d->insn, 13))
		return false;
	d->imm = (int64_t)(FIELD(d->insn, 12, 5) << (BIT(d->insn, 13) ? 8 : 0));
	return true;
}

static bool prep_imm8_s(struct dinsn *d)
{
	d->imm = sext(FIELD(d->insn, 12, 5), 8);
	return true;
}

static bool prep_imm8_u(struct dinsn *d)
{
	d->imm = (int64_t)FIELD(d->insn, 12, 5);
	return true;
}

/* DecodeBitMasks for the 64-bit logical immediates (N 17, immr 16:11, imms 10:5) */
static bool prep_logic_imm(struct dinsn *d)
{
	uint64_t m;

	if (!decode_bit_masks(BIT(d->insn, 17), FIELD(d->insn, 10, 5),
			      FIELD(d->insn, 16, 11), &m))
		return false;
	d->imm = (int64_t)m;
	return true;
}

/* DUPM Zd.D, #imm */
static int exec_DUPM(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zfill(&c->state, d->rd, 3, (uint64_t)d->imm, vl);
	return EXEC_NEXT;
}

/*
 * MLA/MLS Zda, Pg/M, Zn, Zm: Zda +- Zn * Zm (!mad);
 * MAD/MSB Zdn, Pg/M, Zm, Za: Za +- Zdn * Zm (mad: Zm in 20:16, Za in 9:5)
 */
SVE_INLINE int mla(struct cpu *c, const struct dinsn *d, bool mad, bool sub)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t acc, p;

		if (!pact(pg, e, sz))
			continue;
		if (!mad) {
			acc = zget(buf, e, sz);
			p = zget(s->z[d->rn], e, sz) * zget(s->z[d->rm], e, sz);
		} else {
			acc = zget(s->z[d->rn], e, sz);
			p = zget(buf, e, sz) * zget(s->z[d->rm], e, sz);
		}
		zset(buf, e, sz, sub ? acc - p : acc + p);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(MLA, mla, false, false)
SVE_ROW(MLS, mla, false, true)
SVE_ROW(MAD, mla, true, false)
SVE_ROW(MSB, mla, true, true)

/* ---- shifts ------------------------------------------------------------------------------ */

/* a shifted by b (unsigned, any size): ASR fills with the sign, LSR/LSL with 0 */
static inline uint64_t op_asr(uint64_t a, uint64_t b, unsigned int sz)
{
	unsigned int bits = 8u << sz;

	return (uint64_t)(ssz(a, sz) >> (b >= bits ? bits - 1 : b));
}

static inline uint64_t op_lsr(uint64_t a, uint64_t b, unsigned int sz)
{
	return b >= 8u << sz ? 0 : a >> b;
}

static inline uint64_t op_lsl(uint64_t a, uint64_t b, unsigned int sz)
{
	return b >= 8u << sz ? 0 : a << b;
}

static inline uint64_t op_asrr(uint64_t a, uint64_t b, unsigned int sz)
{
	return op_asr(b, a, sz);
}

static inline uint64_t op_lsrr(uint64_t a, uint64_t b, unsigned int sz)
{
	return op_lsr(b, a, sz);
}

static inline uint64_t op_lslr(uint64_t a, uint64_t b, unsigned int sz)
{
	return op_lsl(b, a, sz);
}

/* ASRD: a / 2^b rounded towards zero, b in 1..esize */
static inline uint64_t op_asrd(uint64_t a, uint64_t b, unsigned int sz)
{
	__int128 x = ssz(a, sz);

	if (x < 0)
		x += ((__int128)1 << b) - 1;
	return (uint64_t)(x >> b);
}

/*
 * The element size and shift of the tsz:imm3 immediates (tsz 0 is
 * unallocated, prep_tsz_*): esize 8 << HighestSetBit(tsz); a left shift is
 * tsz:imm3 - esize, a right one 2 * esize - tsz:imm3.
 */
static inline unsigned int tsz_shift(unsigned int tsz, unsigned int imm3, bool left,
				     unsigned int *sz)
{
	unsigned int imm = tsz << 3 | imm3;

	*sz = 31 - (unsigned int)__builtin_clz(tsz);
	return left ? imm - (8u << *sz) : (16u << *sz) - imm;
}

#define TSZ_P(d)	(FIELD((d)->insn, 23, 22) << 2 | FIELD((d)->insn, 9, 8))
#define TSZ_U(d)	(FIELD((d)->insn, 23, 22) << 2 | FIELD((d)->insn, 20, 19))

static bool prep_tsz_p(struct dinsn *d)
{
	return TSZ_P(d) != 0;
}

static bool prep_tsz_u(struct dinsn *d)
{
	return TSZ_U(d) != 0;
}

/* <op> Zdn.T, Pg/M, Zdn.T, #shift (tsz 23:22,9:8, imm3 7:5) */
SVE_INLINE int zpzi_sh(struct cpu *c, const struct dinsn *d, zop_fn *op, bool left)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz, e, sh = tsz_shift(TSZ_P(d), FIELD(d->insn, 7, 5), left, &sz);
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(buf, e, sz), sh, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ASR_zpzi, zpzi_sh, op_asr, false)
SVE_ROW(LSR_zpzi, zpzi_sh, op_lsr, false)
SVE_ROW(LSL_zpzi, zpzi_sh, op_lsl, true)
SVE_ROW(ASRD, zpzi_sh, op_asrd, false)

/* <op> Zd.T, Zn.T, #shift (tsz 23:22,20:19, imm3 18:16) */
SVE_INLINE int zzi_sh(struct cpu *c, const struct dinsn *d, zop_fn *op, bool left)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz, e, sh = tsz_shift(TSZ_U(d), FIELD(d->insn, 18, 16), left, &sz);
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(s->z[d->rn], e, sz), sh, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ASR_zzi, zzi_sh, op_asr, false)
SVE_ROW(LSR_zzi, zzi_sh, op_lsr, false)
SVE_ROW(LSL_zzi, zzi_sh, op_lsl, true)

/* by vector: <op> Zdn.T, Pg/M, Zdn.T, Zm.T, the zpzz family */
SVE_ROW(ASR_zpzz, zpzz, op_asr)
SVE_ROW(LSR_zpzz, zpzz, op_lsr)
SVE_ROW(LSL_zpzz, zpzz, op_lsl)
SVE_ROW(ASRR_zpzz, zpzz, op_asrr)
SVE_ROW(LSRR_zpzz, zpzz, op_lsrr)
SVE_ROW(LSLR_zpzz, zpzz, op_lslr)

/* by wide elements: <op> Zdn.T, Pg/M, Zdn.T, Zm.D (Zm 9:5) */
SVE_INLINE int zpzw(struct cpu *c, const struct dinsn *d, zop_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)], *zm = s->z[d->rn];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(buf, e, sz), zget(zm, (e << sz) >> 3, 3), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ASR_zpzw, zpzw, op_asr)
SVE_ROW(LSR_zpzw, zpzw, op_lsr)
SVE_ROW(LSL_zpzw, zpzw, op_lsl)

/* <op> Zd.T, Zn.T, Zm.D */
SVE_INLINE int zzw(struct cpu *c, const struct dinsn *d, zop_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *zn = s->z[d->rn], *zm = s->z[d->rm];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, op(zget(zn, e, sz), zget(zm, (e << sz) >> 3, 3), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ASR_zzw, zzw, op_asr)
SVE_ROW(LSR_zzw, zzw, op_lsr)
SVE_ROW(LSL_zzw, zzw, op_lsl)

/* wide elements are D: no .D form (as the wide compares) */
static bool prep_size_bhs(struct dinsn *d)
{
	return SIZE(d) != 3;
}

/* ---- unary integer operations -------------------------------------------------------------- */

/* An integer element operation on a (zero-extended) of 8 << sz bits. */
typedef uint64_t zuop_fn(uint64_t a, unsigned int sz);

/* leading zero bits of v in a field of n bits */
static inline uint64_t clz_n(uint64_t v, unsigned int n)
{
	return v ? (unsigned int)__builtin_clzll(v) - (64 - n) : n;
}

static inline uint64_t uop_abs(uint64_t a, unsigned int sz)
{
	return ssz(a, sz) < 0 ? -a : a;
}

static inline uint64_t uop_neg(uint64_t a, unsigned int sz)
{
	(void)sz;
	return -a;
}

/* the bits below the sign bit equal to it */
static inline uint64_t uop_cls(uint64_t a, unsigned int sz)
{
	return clz_n((a ^ a >> 1) & emask(sz) >> 1, (8u << sz) - 1);
}

static inline uint64_t uop_clz(uint64_t a, unsigned int sz)
{
	return clz_n(a, 8u << sz);
}

static inline uint64_t uop_cnt(uint64_t a, unsigned int sz)
{
	(void)sz;
	return (uint64_t)__builtin_popcountll(a);
}

static inline uint64_t uop_cnot(uint64_t a, unsigned int sz)
{
	(void)sz;
	return !a;
}

static inline uint64_t uop_not(uint64_t a, unsigned int sz)
{
	(void)sz;
	return ~a;
}

static inline uint64_t uop_sxtb(uint64_t a, unsigned int sz)
{
	(void)sz;
	return (uint64_t)sext(a, 8);
}

static inline uint64_t uop_uxtb(uint64_t a, unsigned int sz)
{
	(void)sz;
	return a & 0xff;
}

static inline uint64_t uop_sxth(uint64_t a, unsigned int sz)
{
	(void)sz;
	return (uint64_t)sext(a, 16);
}

static inline uint64_t uop_uxth(uint64_t a, unsigned int sz)
{
	(void)sz;
	return a & 0xffff;
}

static inline uint64_t uop_sxtw(uint64_t a, unsigned int sz)
{
	(void)sz;
	return (uint64_t)sext(a, 32);
}

static inline uint64_t uop_uxtw(uint64_t a, unsigned int sz)
{
	(void)sz;
	return a & 0xffffffff;
}

/* <op> Zd.T, Pg/M, Zn.T: the inactive elements of Zd kept */
SVE_INLINE int zpz(struct cpu *c, const struct dinsn *d, zuop_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)], *zn = s->z[d->rn];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(zn, e, sz), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ABS, zpz, uop_abs)
SVE_ROW(NEG, zpz, uop_neg)
SVE_ROW(CLS, zpz, uop_cls)
SVE_ROW(CLZ, zpz, uop_clz)
SVE_ROW(CNT_zpz, zpz, uop_cnt)
SVE_ROW(CNOT, zpz, uop_cnot)
SVE_ROW(NOT_zpz, zpz, uop_not)
SVE_ROW(SXTB, zpz, uop_sxtb)
SVE_ROW(UXTB, zpz, uop_uxtb)
SVE_ROW(SXTH, zpz, uop_sxth)
SVE_ROW(UXTH, zpz, uop_uxth)
SVE_ROW(SXTW, zpz, uop_sxtw)
SVE_ROW(UXTW, zpz, uop_uxtw)

/* SXTW/UXTW: D elements only */
static bool prep_size_d(struct dinsn *d)
{
	return SIZE(d) == 3;
}

/* ---- compares into predicates ----------------------------------------------------------- */

/* A comparison of a, b of `bits` bits (zero-extended). */
typedef bool cmp_fn(uint64_t a, uint64_t b, unsigned int bits);

static inline bool cc_eq(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a == b;
}

static inline bool cc_ne(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a != b;
}

static inline bool cc_ge(uint64_t a, uint64_t b, unsigned int bits)
{
	return sext(a, bits) >= sext(b, bits);
}

static inline bool cc_gt(uint64_t a, uint64_t b, unsigned int bits)
{
	return sext(a, bits) > sext(b, bits);
}

static inline bool cc_lt(uint64_t a, uint64_t b, unsigned int bits)
{
	return sext(a, bits) < sext(b, bits);
}

static inline bool cc_le(uint64_t a, uint64_t b, unsigned int bits)
{
	return sext(a, bits) <= sext(b, bits);
}

static inline bool cc_hs(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a >= b;
}

static inline bool cc_hi(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a > b;
}

static inline bool cc_lo(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a < b;
}

static inline bool cc_ls(uint64_t a, uint64_t b, unsigned int bits)
{
	(void)bits;
	return a <= b;
}

/* What a compare compares Zn.T with. */
enum cmp_with { CMP_ZM, CMP_WIDE, CMP_IMM };

/*
 * CMP<cc> Pd.T, Pg/Z, Zn.T, <Zm.T | Zm.D | #imm>: against Zm (CMP_ZM),
 * the 64-bit element of Zm covering the element (CMP_WIDE: Zn's element
 * extended to 64 bits as cc is signed or not), or d->imm (CMP_IMM).
 */
SVE_INLINE int cmp(struct cpu *c, const struct dinsn *d, cmp_fn *cc, enum cmp_with with,
		   bool sgn)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, bits = 8u << sz;
	uint8_t p[CPU_PREG_BYTES] = { 0 }, pg[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(pg, s->p[PG3(d)], sizeof(pg));
	for (e = 0; e < vl >> sz; e++) {
		uint64_t a, b;

		if (!pact(pg, e, sz))
			continue;
		a = zget(s->z[d->rn], e, sz);
		if (with == CMP_WIDE) {
			b = zget(s->z[d->rm], (e << sz) >> 3, 3);
			pset(p, e, sz, cc(sgn ? (uint64_t)sext(a, bits) : a, b, 64));
			continue;
		}
		b = with == CMP_IMM ? (uint64_t)d->imm & emask(sz) : zget(s->z[d->rm], e, sz);
		pset(p, e, sz, cc(a, b, bits));
	}
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(pg, p, sz, vl));
	return EXEC_NEXT;
}

/* the rows of CMP<cc>; sgn: cc is a signed comparison (or EQ, NE) */
/* and of the six with a vector form (LT, LE, LO, LS are its aliases) */
SVE_ROW(CMPEQ_ppzz, cmp, cc_eq, CMP_ZM, false)
SVE_ROW(CMPEQ_ppzw, cmp, cc_eq, CMP_WIDE, true)
SVE_ROW(CMPEQ_ppzi, cmp, cc_eq, CMP_IMM, true)
SVE_ROW(CMPNE_ppzz, cmp, cc_ne, CMP_ZM, false)
SVE_ROW(CMPNE_ppzw, cmp, cc_ne, CMP_WIDE, true)
SVE_ROW(CMPNE_ppzi, cmp, cc_ne, CMP_IMM, true)
SVE_ROW(CMPGE_ppzz, cmp, cc_ge, CMP_ZM, false)
SVE_ROW(CMPGE_ppzw, cmp, cc_ge, CMP_WIDE, true)
SVE_ROW(CMPGE_ppzi, cmp, cc_ge, CMP_IMM, true)
SVE_ROW(CMPGT_ppzz, cmp, cc_gt, CMP_ZM, false)
SVE_ROW(CMPGT_ppzw, cmp, cc_gt, CMP_WIDE, true)
SVE_ROW(CMPGT_ppzi, cmp, cc_gt, CMP_IMM, true)
SVE_ROW(CMPHS_ppzz, cmp, cc_hs, CMP_ZM, false)
SVE_ROW(CMPHS_ppzw, cmp, cc_hs, CMP_WIDE, false)
SVE_ROW(CMPHS_ppzi, cmp, cc_hs, CMP_IMM, false)
SVE_ROW(CMPHI_ppzz, cmp, cc_hi, CMP_ZM, false)
SVE_ROW(CMPHI_ppzw, cmp, cc_hi, CMP_WIDE, false)
SVE_ROW(CMPHI_ppzi, cmp, cc_hi, CMP_IMM, false)
SVE_ROW(CMPLT_ppzw, cmp, cc_lt, CMP_WIDE, true)
SVE_ROW(CMPLT_ppzi, cmp, cc_lt, CMP_IMM, true)
SVE_ROW(CMPLE_ppzw, cmp, cc_le, CMP_WIDE, true)
SVE_ROW(CMPLE_ppzi, cmp, cc_le, CMP_IMM, true)
SVE_ROW(CMPLO_ppzw, cmp, cc_lo, CMP_WIDE, false)
SVE_ROW(CMPLO_ppzi, cmp, cc_lo, CMP_IMM, false)
SVE_ROW(CMPLS_ppzw, cmp, cc_ls, CMP_WIDE, false)
SVE_ROW(CMPLS_ppzi, cmp, cc_ls, CMP_IMM, false)

/* wide elements are D: no .D form */
static bool prep_cmp_wide(struct dinsn *d)
{
	return SIZE(d) != 3;
}

static bool prep_imm5_s(struct dinsn *d)
{
	d->imm = sext(FIELD(d->insn, 20, 16), 5);
	return true;
}

static bool prep_imm7_u(struct dinsn *d)
{
	d->imm = FIELD(d->insn, 20, 14);
	return true;
}

/* ---- reductions ------------------------------------------------------------------------- */

/*
 * <op>V Vd, Pg, Zn.T: r = op(r, element) over the active elements from
 * init; the result is a D scalar (wide) or of the element size.
 */
SVE_INLINE int reduce(struct cpu *c, const struct dinsn *d, zop_fn *op, uint64_t init,
		      bool wide)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)], *zn = s->z[d->rn];
	uint64_t r = init;

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			r = op(r, zget(zn, e, sz), sz);
	vset_scalar(s, d->rd, r, wide ? 3 : sz);
	return EXEC_NEXT;
}

static inline uint64_t op_sadd(uint64_t r, uint64_t x, unsigned int sz)
{
	return r + (uint64_t)ssz(x, sz);
}

static inline uint64_t op_smaxe(uint64_t r, uint64_t x, unsigned int sz)
{
	return op_smax(r, x, sz) & emask(sz);
}

static inline uint64_t op_smine(uint64_t r, uint64_t x, unsigned int sz)
{
	return op_smin(r, x, sz) & emask(sz);
}

SVE_ROW(SADDV, reduce, op_sadd, 0, true)
SVE_ROW(UADDV, reduce, op_add, 0, true)

/* from the smallest signed value */
static int exec_SMAXV(struct cpu *c, const struct dinsn *d)
{
	unsigned int sz = SIZE(d);

	return reduce(c, d, op_smaxe, (uint64_t)ssz(1ULL << ((8u << sz) - 1), sz) & emask(sz),
		      false);
}

SVE_ROW(UMAXV, reduce, op_umax, 0, false)

/* from the largest signed value */
SVE_ROW(SMINV, reduce, op_smine, emask(SIZE(d)) >> 1, false)
SVE_ROW(UMINV, reduce, op_umin, emask(SIZE(d)), false)
SVE_ROW(ORV, reduce, op_orr, 0, false)
SVE_ROW(EORV, reduce, op_eor, 0, false)
SVE_ROW(ANDV, reduce, op_and, emask(SIZE(d)), false)

/* SADDV of D elements is unallocated */
static bool prep_saddv(struct dinsn *d)
{
	return SIZE(d) != 3;
}

/* ---- floating point ---------------------------------------------------------------------- */

static inline uint64_t fop_subr(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_sub(b, a, sz, st);
}

static inline uint64_t fop_abd(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_abs(fp_sub(a, b, sz, st), sz);
}

static inline uint64_t fop_divr(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_div(b, a, sz, st);
}

/* <op> Zd.T, Zn.T, Zm.T */
SVE_INLINE int fzzz(struct cpu *c, const struct dinsn *d, fop_fn *op)
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

SVE_ROW(FADD_zzz, fzzz, fp_add)
SVE_ROW(FSUB_zzz, fzzz, fp_sub)
SVE_ROW(FMUL_zzz, fzzz, fp_mul)
SVE_ROW(FRECPS, fzzz, fp_recps)
SVE_ROW(FRSQRTS, fzzz, fp_rsqrts)

/* <op> Zdn.T, Pg/M, Zdn.T, Zm.T (Zm 9:5) */
SVE_INLINE int fzpzz(struct cpu *c, const struct dinsn *d, fop_fn *op)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, op(zget(buf, e, sz), zget(s->z[d->rn], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FADD_zpzz, fzpzz, fp_add)
SVE_ROW(FSUB_zpzz, fzpzz, fp_sub)
SVE_ROW(FMUL_zpzz, fzpzz, fp_mul)
SVE_ROW(FSUBR_zpzz, fzpzz, fop_subr)
SVE_ROW(FMAXNM_zpzz, fzpzz, fp_maxnm)
SVE_ROW(FMINNM_zpzz, fzpzz, fp_minnm)
SVE_ROW(FMAX_zpzz, fzpzz, fp_max)
SVE_ROW(FMIN_zpzz, fzpzz, fp_min)
SVE_ROW(FABD_zpzz, fzpzz, fop_abd)
SVE_ROW(FMULX_zpzz, fzpzz, fp_mulx)
SVE_ROW(FDIVR_zpzz, fzpzz, fop_divr)
SVE_ROW(FDIV_zpzz, fzpzz, fp_div)

/*
 * FMLA FMLS FNMLA FNMLS Zda, Pg/M, Zn, Zm (!mad): Zda +- Zn * Zm;
 * FMAD FMSB FNMAD FNMSB Zdn, Pg/M, Zm, Za (mad): Za +- Zdn * Zm;
 * neg1 negates the product, neg3 the addend.
 */
SVE_INLINE int fmla(struct cpu *c, const struct dinsn *d, bool mad, bool neg1, bool neg3)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t a, m1, m2;

		if (!pact(pg, e, sz))
			continue;
		if (!mad) {
			a = zget(buf, e, sz);
			m1 = zget(s->z[d->rn], e, sz);
			m2 = zget(s->z[d->rm], e, sz);
		} else {
			a = zget(s->z[d->rm], e, sz);
			m1 = zget(buf, e, sz);
			m2 = zget(s->z[d->rn], e, sz);
		}
		if (neg1)
			m1 = fp_neg(m1, sz);
		if (neg3)
			a = fp_neg(a, sz);
		zset(buf, e, sz, fp_muladd(a, m1, m2, sz, &st));
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FMLA_zpzzz, fmla, false, false, false)
SVE_ROW(FMLS_zpzzz, fmla, false, true, false)
SVE_ROW(FNMLA_zpzzz, fmla, false, true, true)
SVE_ROW(FNMLS_zpzzz, fmla, false, false, true)
SVE_ROW(FMAD_zpzzz, fmla, true, false, false)
SVE_ROW(FMSB_zpzzz, fmla, true, true, false)
SVE_ROW(FNMAD_zpzzz, fmla, true, true, true)
SVE_ROW(FNMSB_zpzzz, fmla, true, false, true)

/*
 * FADDV FMAXNMV FMINNMV FMAXV FMINV Vd, Pg, Zn.T: a pairwise tree over
 * the vector, the inactive elements replaced by id (idd for D elements,
 * ids for S, idh for H).
 */
SVE_INLINE int fp_reduce(struct cpu *c, const struct dinsn *d, fop_fn *op, uint64_t idh,
			 uint64_t ids, uint64_t idd)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, n, w;
	const uint8_t *pg = s->p[PG3(d)];
	uint64_t v[CPU_ZREG_BYTES / 2];	/* H elements: 128 */
	struct fpst st;

	SVE_ENTER(c, vl);
	n = vl >> sz;
	for (e = 0; e < n; e++)
		v[e] = pact(pg, e, sz) ? zget(s->z[d->rn], e, sz) : sz == 3 ? idd : sz == 2 ? ids : idh;
	fpst_begin(&st, s);
	/* level by level: v[i] = op(v[i], v[i + w]), the lower half first */
	for (w = 1; w < n; w *= 2)
		for (e = 0; e < n; e += 2 * w)
			v[e] = op(v[e], v[e + w], sz, &st);
	vset_scalar(s, d->rd, v[0], sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

SVE_ROW(FADDV, fp_reduce, fp_add, 0, 0, 0)

/* the inactive elements of FMAXNMV/FMINNMV are the default NaN */
SVE_ROW(FMAXNMV, fp_reduce, fp_maxnm, 0x7e00, 0x7fc00000, 0x7ff8000000000000ULL)
SVE_ROW(FMINNMV, fp_reduce, fp_minnm, 0x7e00, 0x7fc00000, 0x7ff8000000000000ULL)

/* -infinity */
SVE_ROW(FMAXV, fp_reduce, fp_max, 0xfc00, 0xff800000, 0xfff0000000000000ULL)

/* +infinity */
SVE_ROW(FMINV, fp_reduce, fp_min, 0x7c00, 0x7f800000, 0x7ff0000000000000ULL)

/* FADDA Vdn, Pg, Vdn, Zm: strictly ordered */
static int exec_FADDA(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint64_t r;
	struct fpst st;

	SVE_ENTER(c, vl);
	r = vscalar(s, d->rd, sz);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			r = fp_add(r, zget(s->z[d->rn], e, sz), sz, &st);
	vset_scalar(s, d->rd, r, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- predicate operations ----------------------------------------------------------------- */

/* A bitwise predicate operation on bytes of Pg, Pn, Pm. */
typedef uint8_t pop_fn(uint8_t g, uint8_t n, uint8_t m);

static inline uint8_t pop_and(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)(n & m & g);
}

static inline uint8_t pop_bic(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)(n & ~m & g);
}

static inline uint8_t pop_eor(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)((n ^ m) & g);
}

/* SEL: not zeroing */
static inline uint8_t pop_sel(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)((g & n) | (~g & m));
}

static inline uint8_t pop_orr(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)((n | m) & g);
}

static inline uint8_t pop_orn(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)((n | ~m) & g);
}

static inline uint8_t pop_nor(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)(~(n | m) & g);
}

static inline uint8_t pop_nand(uint8_t g, uint8_t n, uint8_t m)
{
	return (uint8_t)(~(n & m) & g);
}

/* <op>{S} Pd.B, Pg/Z, Pn.B, Pm.B: Pg 13:10, Pn 8:5, Pm 19:16 */
SVE_INLINE int pppp(struct cpu *c, const struct dinsn *d, pop_fn *op, bool setflags)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, i;
	const uint8_t *n = s->p[FIELD(d->insn, 8, 5)], *m = s->p[FIELD(d->insn, 19, 16)];
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 13, 10)], sizeof(g));
	for (i = 0; i < CPU_PREG_BYTES; i++)
		p[i] = op(g[i], n[i], m[i]);
	pwrite(s->p[d->rd & 15], p, vl);
	if (setflags)
		set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

SVE_ROW(AND_pppp, pppp, pop_and, false)
SVE_ROW(ANDS_pppp, pppp, pop_and, true)
SVE_ROW(BIC_pppp, pppp, pop_bic, false)
SVE_ROW(BICS_pppp, pppp, pop_bic, true)
SVE_ROW(EOR_pppp, pppp, pop_eor, false)
SVE_ROW(EORS_pppp, pppp, pop_eor, true)
SVE_ROW(ORR_pppp, pppp, pop_orr, false)
SVE_ROW(ORRS_pppp, pppp, pop_orr, true)
SVE_ROW(ORN_pppp, pppp, pop_orn, false)
SVE_ROW(ORNS_pppp, pppp, pop_orn, true)
SVE_ROW(NOR_pppp, pppp, pop_nor, false)
SVE_ROW(NORS_pppp, pppp, pop_nor, true)
SVE_ROW(NAND_pppp, pppp, pop_nand, false)
SVE_ROW(NANDS_pppp, pppp, pop_nand, true)
SVE_ROW(SEL_pppp, pppp, pop_sel, false)

/*
 * BRKA/BRKB{S} Pd.B, Pg/Z|M, Pn.B: active elements true up to the first
 * true one of Pn (after: BRKA, including it); the inactive kept (merge) or
 * zeroed.
 */
SVE_INLINE int brk(struct cpu *c, const struct dinsn *d, bool after, bool merge, bool setflags)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e;
	const uint8_t *n = s->p[FIELD(d->insn, 8, 5)];
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];
	bool b = false;

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 13, 10)], sizeof(g));
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	for (e = 0; e < vl; e++) {
		if (pact(g, e, 0)) {
			bool el = pact(n, e, 0);

			if (after) {
				pset(p, e, 0, !b);
				b |= el;
			} else {
				b |= el;
				pset(p, e, 0, !b);
			}
		} else if (!merge) {
			pset(p, e, 0, false);
		}
	}
	pwrite(s->p[d->rd & 15], p, vl);
	if (setflags)
		set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

SVE_ROW(BRKA_z, brk, true, false, false)
SVE_ROW(BRKA_m, brk, true, true, false)
SVE_ROW(BRKAS_z, brk, true, false, true)
SVE_ROW(BRKB_z, brk, false, false, false)
SVE_ROW(BRKB_m, brk, false, true, false)
SVE_ROW(BRKBS_z, brk, false, false, true)

/* PFIRST Pdn.B, Pg, Pdn.B: the first active element of Pg set in Pdn */
static int exec_PFIRST(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];
	unsigned int vl, e;

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 8, 5)], sizeof(g));
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	for (e = 0; e < vl; e++)
		if (pact(g, e, 0)) {
			pset(p, e, 0, true);
			break;
		}
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

/* PNEXT Pdn.T, Pv, Pdn.T: the next active element of Pv after Pdn's last */
static int exec_PNEXT(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];
	int next = -1, last = -1;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	memcpy(g, s->p[FIELD(d->insn, 8, 5)], sizeof(g));
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	for (e = 0; e < elems; e++)
		if (pact(p, e, sz))	/* LastActiveElement(Pdn) */
			last = (int)e;
	for (e = (unsigned int)(last + 1); e < elems; e++)
		if (pact(g, e, sz)) {
			next = (int)e;
			break;
		}
	memset(p, 0, sizeof(p));
	if (next >= 0)
		pset(p, (unsigned int)next, sz, true);
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(g, p, sz, vl));
	return EXEC_NEXT;
}

static unsigned int count_active(const uint8_t *g, const uint8_t *n, unsigned int sz,
				 unsigned int vl)
{
	unsigned int e, k = 0;

	for (e = 0; e < vl >> sz; e++)
		k += pact(g, e, sz) && pact(n, e, sz);
	return k;
}

/* CNTP Xd, Pg, Pn.T */
static int exec_CNTP(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_xreg(s, d->rd, count_active(s->p[FIELD(d->insn, 13, 10)], s->p[FIELD(d->insn, 8, 5)],
					 SIZE(d), vl));
	return EXEC_NEXT;
}

/* the number of Pm.T's (8:5) true elements, T = SIZE */
static unsigned int pm_count(const struct cpu_state *s, const struct dinsn *d, unsigned int vl)
{
	uint8_t all[CPU_PREG_BYTES];

	memset(all, 0xff, sizeof(all));
	return count_active(all, s->p[FIELD(d->insn, 8, 5)], SIZE(d), vl);
}

/* INCP/DECP Xdn, Pm.T */
SVE_INLINE int incdecp_r(struct cpu *c, const struct dinsn *d, bool dec)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;
	uint64_t n;

	SVE_ENTER(c, vl);
	n = pm_count(s, d, vl);
	set_xreg(s, d->rd, dec ? xreg(s, d->rd) - n : xreg(s, d->rd) + n);
	return EXEC_NEXT;
}

SVE_ROW(INCP_r, incdecp_r, false)
SVE_ROW(DECP_r, incdecp_r, true)

/* SQINCP/UQINCP/SQDECP/UQDECP Xdn|Wdn, Pm.T: sf 10, as SQINC_r */
SVE_INLINE int qincdecp_r(struct cpu *c, const struct dinsn *d, bool u, bool dec)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, ssz = BIT(d->insn, 10) ? 3 : 2;

	SVE_ENTER(c, vl);
	set_xreg(s, d->rd, qstep(xreg(s, d->rd), ssz, u, dec, pm_count(s, d, vl)));
	return EXEC_NEXT;
}

SVE_ROW(SQINCP_r, qincdecp_r, false, false)
SVE_ROW(UQINCP_r, qincdecp_r, true, false)
SVE_ROW(SQDECP_r, qincdecp_r, false, true)
SVE_ROW(UQDECP_r, qincdecp_r, true, true)

/* INCP/DECP Zdn.T, Pm.T (!sat) and SQINCP/UQINCP/SQDECP/UQDECP Zdn.T, Pm.T */
SVE_INLINE int incdecp_v(struct cpu *c, const struct dinsn *d, bool sat, bool u, bool dec)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	zincdec(&c->state, d->rd, SIZE(d), sat, u, dec, pm_count(&c->state, d, vl), vl);
	return EXEC_NEXT;
}

SVE_ROW(INCP_v, incdecp_v, false, false, false)
SVE_ROW(DECP_v, incdecp_v, false, false, true)
SVE_ROW(SQINCP_v, incdecp_v, true, false, false)
SVE_ROW(UQINCP_v, incdecp_v, true, true, false)
SVE_ROW(SQDECP_v, incdecp_v, true, false, true)
SVE_ROW(UQDECP_v, incdecp_v, true, true, true)

/* the last active element of pg (elements of 1 << sz bytes), or -1 */
static int last_active(const uint8_t *pg, unsigned int sz, unsigned int elems)
{
	int e;

	for (e = (int)elems - 1; e >= 0; e--)
		if (pact(pg, (unsigned int)e, sz))
			break;
	return e;
}

/*
 * BRKN{S} Pdm.B, Pg/Z, Pn.B, Pdm.B: Pdm kept if Pn is true at Pg's last
 * active element, else all false; the flags as a PTEST with an all-true
 * governing predicate.
 */
SVE_INLINE int brkn(struct cpu *c, const struct dinsn *d, bool setflags)
{
	struct cpu_state *s = &c->state;
	const uint8_t *g = s->p[FIELD(d->insn, 13, 10)], *n = s->p[FIELD(d->insn, 8, 5)];
	uint8_t p[CPU_PREG_BYTES], all[CPU_PREG_BYTES];
	unsigned int vl;
	int last;

	SVE_ENTER(c, vl);
	last = last_active(g, 0, vl);
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	if (last < 0 || !pact(n, (unsigned int)last, 0))
		memset(p, 0, sizeof(p));
	pwrite(s->p[d->rd & 15], p, vl);
	memset(all, 0xff, sizeof(all));
	if (setflags)
		set_nzcv(s, pred_test(all, p, 0, vl));
	return EXEC_NEXT;
}

SVE_ROW(BRKN, brkn, false)
SVE_ROW(BRKNS, brkn, true)

/*
 * BRKPA/BRKPB{S} Pd.B, Pg/Z, Pn.B, Pm.B: if Pn is true at Pg's last active
 * element, the active elements true up to the first true one of Pm
 * (after: BRKPA, including it); all others false.
 */
SVE_INLINE int brkp(struct cpu *c, const struct dinsn *d, bool after, bool setflags)
{
	struct cpu_state *s = &c->state;
	const uint8_t *n = s->p[FIELD(d->insn, 8, 5)], *m = s->p[FIELD(d->insn, 19, 16)];
	uint8_t p[CPU_PREG_BYTES] = { 0 }, g[CPU_PREG_BYTES];
	unsigned int vl, e;
	int last;
	bool b;

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 13, 10)], sizeof(g));
	last = last_active(g, 0, vl);
	b = last >= 0 && pact(n, (unsigned int)last, 0);
	for (e = 0; e < vl; e++) {
		if (!pact(g, e, 0))
			continue;
		if (after) {
			pset(p, e, 0, b);
			b = b && !pact(m, e, 0);
		} else {
			b = b && !pact(m, e, 0);
			pset(p, e, 0, b);
		}
	}
	pwrite(s->p[d->rd & 15], p, vl);
	if (setflags)
		set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

SVE_ROW(BRKPA, brkp, true, false)
SVE_ROW(BRKPAS, brkp, true, true)
SVE_ROW(BRKPB, brkp, false, false)
SVE_ROW(BRKPBS, brkp, false, true)

/*
 * CTERMEQ/CTERMNE Rn, Rm (sz 22: X): N set when the comparison holds,
 * V = !N && !C; Z and C kept.
 */
SVE_INLINE int cterm(struct cpu *c, const struct dinsn *d, bool ne)
{
	struct cpu_state *s = &c->state;
	uint64_t mask = BIT(d->insn, 22) ? ~0ULL : 0xffffffffULL, f;
	unsigned int vl;
	bool term;

	SVE_ENTER(c, vl);
	(void)vl;
	term = !((xreg(s, d->rn) ^ xreg(s, d->rm)) & mask) != ne;
	nzcv_sync(s);
	f = s->pstate & (PSR_Z_BIT | PSR_C_BIT);
	if (term)
		f |= PSR_N_BIT;
	else if (!(f & PSR_C_BIT))
		f |= PSR_V_BIT;
	set_nzcv(s, f);
	return EXEC_NEXT;
}

SVE_ROW(CTERMEQ, cterm, false)
SVE_ROW(CTERMNE, cterm, true)

/* ---- extraction: TBL, COMPACT, SPLICE, LASTA/LASTB, CLASTA/CLASTB --------------------------- */

/* TBL Zd.T, {Zn.T}, Zm.T: Zn's element Zm[e], 0 beyond the vector */
static int exec_TBL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++) {
		uint64_t i = zget(s->z[d->rm], e, sz);

		zset(buf, e, sz, i < elems ? zget(s->z[d->rn], (unsigned int)i, sz) : 0);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* COMPACT Zd.T, Pg, Zn.T (S, D): Zn's active elements, packed down; zeros above */
static int exec_COMPACT(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, k = 0;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];

	SVE_ENTER(c, vl);
	memset(buf, 0, vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, k++, sz, zget(s->z[d->rn], e, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * SPLICE Zdn.T, Pg, Zdn.T, Zm.T: Zdn's elements from Pg's first active
 * one to its last (none if none is active), then Zm's from element 0.
 */
static int exec_SPLICE(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, k = 0, elems;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	int last;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	last = last_active(pg, sz, elems);
	for (e = 0; (int)e <= last; e++)
		if (k || pact(pg, e, sz))
			zset(buf, k++, sz, zget(s->z[d->rd], e, sz));
	for (e = 0; k < elems; e++)
		zset(buf, k++, sz, zget(s->z[d->rn], e, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * The element LASTA/CLASTA (after) and LASTB/CLASTB read, given the last
 * active one: the one after it, wrapping to 0; or that one, the last
 * element of the vector if none is active.
 */
static unsigned int last_index(int last, bool after, unsigned int elems)
{
	if (after)
		return (unsigned int)(last + 1) < elems ? (unsigned int)(last + 1) : 0;
	return last < 0 ? elems - 1 : (unsigned int)last;
}

/* V<d> = v as a scalar of 1 << sz bytes (simd), or X<d> = v */
static void last_write(struct cpu_state *s, unsigned int rd, uint64_t v, unsigned int sz,
		       bool simd)
{
	if (simd)
		vset_scalar(s, rd, v, sz);
	else
		set_xreg(s, rd, v);
}

/* LASTA/LASTB Rd|Vd, Pg, Zn.T: Rd zero-extended */
SVE_INLINE int last_rv(struct cpu *c, const struct dinsn *d, bool after, bool simd)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), elems;
	uint64_t v;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	v = zget(s->z[d->rn], last_index(last_active(s->p[PG3(d)], sz, elems), after, elems), sz);
	last_write(s, d->rd, v, sz, simd);
	return EXEC_NEXT;
}

SVE_ROW(LASTA_r, last_rv, true, false)
SVE_ROW(LASTB_r, last_rv, false, false)
SVE_ROW(LASTA_v, last_rv, true, true)
SVE_ROW(LASTB_v, last_rv, false, true)

/*
 * CLASTA/CLASTB Rdn|Vdn, Pg, Rdn|Vdn, Zm.T: as LASTA/LASTB of Zm; none
 * active: Rdn|Vdn's low element, zero-extended.
 */
SVE_INLINE int clast_rv(struct cpu *c, const struct dinsn *d, bool after, bool simd)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), elems;
	uint64_t v;
	int last;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	last = last_active(s->p[PG3(d)], sz, elems);
	if (last < 0)
		v = (simd ? vscalar(s, d->rd, sz) : xreg(s, d->rd)) & emask(sz);
	else
		v = zget(s->z[d->rn], last_index(last, after, elems), sz);
	last_write(s, d->rd, v, sz, simd);
	return EXEC_NEXT;
}

SVE_ROW(CLASTA_r, clast_rv, true, false)
SVE_ROW(CLASTB_r, clast_rv, false, false)
SVE_ROW(CLASTA_v, clast_rv, true, true)
SVE_ROW(CLASTB_v, clast_rv, false, true)

/* CLASTA/CLASTB Zdn.T, Pg, Zdn.T, Zm.T: that element of Zm to every element; none active: Zdn */
SVE_INLINE int clast_z(struct cpu *c, const struct dinsn *d, bool after)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), elems;
	uint8_t buf[CPU_ZREG_BYTES];
	int last;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	last = last_active(s->p[PG3(d)], sz, elems);
	if (last >= 0) {
		zfill(s, d->rd, sz, zget(s->z[d->rn], last_index(last, after, elems), sz), vl);
	} else {
		memcpy(buf, s->z[d->rd], vl);
		zwrite(s, d->rd, buf, vl);
	}
	return EXEC_NEXT;
}

SVE_ROW(CLASTA_z, clast_z, true)
SVE_ROW(CLASTB_z, clast_z, false)

/* ---- ADR, SDOT/UDOT ---------------------------------------------------------------------------- */

/*
 * ADR Zd.T, [Zn.T, Zm.T{, <mod> #msz}] (msz 11:10): Zn + (Zm << msz); for
 * ADR_s32/ADR_u32 (ext) of D elements, Zm's low 32 bits sign- (sgn) or
 * zero-extended.
 */
SVE_INLINE int adr(struct cpu *c, const struct dinsn *d, unsigned int sz, bool ext, bool sgn)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, sh = FIELD(d->insn, 11, 10);
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t m = zget(s->z[d->rm], e, sz);

		if (ext)
			m = sgn ? (uint64_t)sext(m, 32) : m & 0xffffffffULL;
		zset(buf, e, sz, zget(s->z[d->rn], e, sz) + (m << sh));
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(ADR_s32, adr, 3, true, true)
SVE_ROW(ADR_u32, adr, 3, true, false)
SVE_ROW(ADR_p32, adr, 2, false, false)
SVE_ROW(ADR_p64, adr, 3, false, false)

/*
 * SDOT/UDOT Zda.T, Zn.Tb, Zm.Tb{[imm]}: T = S (22 clear) or D, Tb its
 * quarter.  Each element of Zda plus the four products of Zn's and Zm's
 * Tb elements at its place; indexed (Zm 18:16, imm 20:19 for S; Zm 19:16,
 * imm 20 for D): Zm's T element imm of the same 128-bit segment.
 */
SVE_INLINE int dot(struct cpu *c, const struct dinsn *d, bool u, bool indexed)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = 2 + BIT(d->insn, 22), e, i, seg = 16u >> sz;
	unsigned int rm = d->rm, idx = 0;
	uint8_t buf[CPU_ZREG_BYTES];

	if (indexed) {
		rm = sz == 2 ? FIELD(d->insn, 18, 16) : FIELD(d->insn, 19, 16);
		idx = sz == 2 ? FIELD(d->insn, 20, 19) : BIT(d->insn, 20);
	}
	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++) {
		unsigned int me = indexed ? e - e % seg + idx : e;
		uint64_t acc = zget(s->z[d->rd], e, sz);

		for (i = 0; i < 4; i++) {
			const uint8_t *zn = s->z[d->rn], *zm = s->z[rm];

			if (u)
				acc += zget(zn, 4 * e + i, sz - 2) * zget(zm, 4 * me + i, sz - 2);
			else
				acc += (uint64_t)(zsget(zn, 4 * e + i, sz - 2) *
						  zsget(zm, 4 * me + i, sz - 2));
		}
		zset(buf, e, sz, acc);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(SDOT_zzzz, dot, false, false)
SVE_ROW(UDOT_zzzz, dot, true, false)
SVE_ROW(SDOT_zzxw_4s, dot, false, true)
SVE_ROW(UDOT_zzxw_4s, dot, true, true)
SVE_ROW(SDOT_zzxw_4d, dot, false, true)
SVE_ROW(UDOT_zzxw_4d, dot, true, true)

/* ---- REVB, REVH, REVW, RBIT (predicated, merging) ------------------------------------------------ */

/* the units of 8 << usz bits of a (an element of 8 << sz bits) in reverse order */
static inline uint64_t rev_units(uint64_t a, unsigned int sz, unsigned int usz)
{
	unsigned int ub = 8u << usz, n = 1u << (sz - usz), i;
	uint64_t r = 0;

	for (i = 0; i < n; i++)
		r |= ((a >> (i * ub)) & emask(usz)) << ((n - 1 - i) * ub);
	return r;
}

static inline uint64_t uop_revb(uint64_t a, unsigned int sz)
{
	return rev_units(a, sz, 0);
}

static inline uint64_t uop_revh(uint64_t a, unsigned int sz)
{
	return rev_units(a, sz, 1);
}

static inline uint64_t uop_revw(uint64_t a, unsigned int sz)
{
	return rev_units(a, sz, 2);
}

static inline uint64_t uop_rbit(uint64_t a, unsigned int sz)
{
	unsigned int bits = 8u << sz, i;
	uint64_t r = 0;

	for (i = 0; i < bits; i++)
		r |= ((a >> i) & 1) << (bits - 1 - i);
	return r;
}

/* the element is wider than the unit reversed: REVB H, S, D; REVH S, D; REVW D */
SVE_ROW(REVB, zpz, uop_revb)
SVE_ROW(REVH, zpz, uop_revh)
SVE_ROW(REVW, zpz, uop_revw)
SVE_ROW(RBIT, zpz, uop_rbit)

#define INSN_CLASS	sve
#define INSN_DEF	"insn/sve.def"
#include "a64_table.h"
