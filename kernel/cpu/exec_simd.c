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
 * Each group has one handler; its prep decodes the word into struct
 * simd_op (packed in d->aux) once.  Elements are handled as zero-extended
 * 64-bit values, esz being log2 of their size in bytes; saturation sets
 * FPSR.QC.  Scalar forms are the vector ones on one element, with the
 * rest of the register zeroed.
 */
#include "vreg.h"

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

#define SIMD_ENTER(c)							\
	do {								\
		if (!fp_access_ok(c))					\
			return EXEC_STOP;				\
	} while (0)

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

/* ---- FP element operations --------------------------------------------------------- */

enum {
	F3_FMAXNM, F3_FMLA, F3_FADD, F3_FMULX, F3_FCMEQ, F3_FMAX, F3_FRECPS,
	F3_FMINNM, F3_FMLS, F3_FSUB, F3_FMIN, F3_FRSQRTS,
	F3_FMAXNMP, F3_FADDP, F3_FMUL, F3_FCMGE, F3_FACGE, F3_FMAXP, F3_FDIV,
	F3_FMINNMP, F3_FABD, F3_FCMGT, F3_FACGT, F3_FMINP,
	F3_BAD = 0xff,
};

/* by U:a:opcode<2:0> (opcode 11xxx) */
static const uint8_t f3_ops[32] = {
	F3_FMAXNM, F3_FMLA, F3_FADD, F3_FMULX, F3_FCMEQ, F3_BAD, F3_FMAX, F3_FRECPS,
	F3_FMINNM, F3_FMLS, F3_FSUB, F3_BAD, F3_BAD, F3_BAD, F3_FMIN, F3_FRSQRTS,
	F3_FMAXNMP, F3_BAD, F3_FADDP, F3_FMUL, F3_FCMGE, F3_FACGE, F3_FMAXP, F3_FDIV,
	F3_FMINNMP, F3_BAD, F3_FABD, F3_BAD, F3_FCMGT, F3_FACGT, F3_FMINP, F3_BAD,
};

static bool f3_pairwise(unsigned int op)
{
	return op == F3_FMAXNMP || op == F3_FADDP || op == F3_FMAXP || op == F3_FMINNMP ||
	       op == F3_FMINP;
}

static uint64_t fp3(unsigned int op, uint64_t a, uint64_t b, uint64_t d, unsigned int sz,
		    struct fpst *st)
{
	uint64_t ones = emask(sz);

	switch (op) {
	case F3_FMAXNM: case F3_FMAXNMP: return fp_maxnm(a, b, sz, st);
	case F3_FMINNM: case F3_FMINNMP: return fp_minnm(a, b, sz, st);
	case F3_FMAX: case F3_FMAXP: return fp_max(a, b, sz, st);
	case F3_FMIN: case F3_FMINP: return fp_min(a, b, sz, st);
	case F3_FMLA: return fp_muladd(d, a, b, sz, st);
	case F3_FMLS: return fp_muladd(d, fp_neg(a, sz), b, sz, st);
	case F3_FADD: case F3_FADDP: return fp_add(a, b, sz, st);
	case F3_FSUB: return fp_sub(a, b, sz, st);
	case F3_FMULX: return fp_mulx(a, b, sz, st);
	case F3_FMUL: return fp_mul(a, b, sz, st);
	case F3_FDIV: return fp_div(a, b, sz, st);
	case F3_FABD: return fp_abs(fp_sub(a, b, sz, st), sz);
	case F3_FRECPS: return fp_recps(a, b, sz, st);
	case F3_FRSQRTS: return fp_rsqrts(a, b, sz, st);
	case F3_FCMEQ: return fp_cmp_eq(a, b, sz, st) ? ones : 0;
	case F3_FCMGE: return fp_cmp_ge(a, b, sz, st) ? ones : 0;
	case F3_FCMGT: return fp_cmp_gt(a, b, sz, st) ? ones : 0;
	case F3_FACGE: return fp_cmp_ge(fp_abs(a, sz), fp_abs(b, sz), sz, st) ? ones : 0;
	default: return fp_cmp_gt(fp_abs(a, sz), fp_abs(b, sz), sz, st) ? ones : 0;
	}
}

/* ---- three same --------------------------------------------------------------------- */

static bool prep_three_same(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 15, 11), size = FIELD(d->insn, 23, 22);

	o.u = BIT(d->insn, 29);
	o.q = BIT(d->insn, 30);
	o.scalar = BIT(d->insn, 28);
	o.op = (uint8_t)opc;
	o.esz = (uint8_t)size;
	if (opc >= 24) {
		o.op = f3_ops[o.u << 4 | (size >> 1) << 3 | (opc & 7)];
		o.extra = 1;			/* FP */
		o.esz = 2 + (size & 1);
		if (o.op == F3_BAD || (o.esz == 3 && !o.q && !o.scalar))
			return false;
		if (o.scalar) {
			switch (o.op) {
			case F3_FMULX: case F3_FCMEQ: case F3_FRECPS: case F3_FRSQRTS:
			case F3_FCMGE: case F3_FACGE: case F3_FABD: case F3_FCMGT: case F3_FACGT:
				break;
			default:
				return false;
			}
		}
		put_op(d, &o);
		return true;
	}
	if (o.scalar) {
		switch (opc) {
		case 1: case 5: case 9: case 11:
			break;
		case 6: case 7: case 8: case 10: case 16: case 17:
			if (size != 3)
				return false;
			break;
		case 22:
			if (size != 1 && size != 2)
				return false;
			break;
		default:
			return false;
		}
		put_op(d, &o);
		return true;
	}
	switch (opc) {
	case 3:
		o.esz = 0;			/* logic: size selects the op */
		break;
	case 18: case 20: case 21:
		if (size == 3)
			return false;
		break;
	case 12: case 13: case 14: case 15:
		if (size == 3)
			return false;
		break;
	case 19:
		if (size == 3 || (o.u && size != 0))
			return false;
		break;
	case 22:
		if (size != 1 && size != 2)
			return false;
		break;
	case 23:
		if (o.u)
			return false;
		break;
	case 0: case 2: case 4:
		if (size == 3)
			return false;
		break;
	default:
		break;
	}
	if (size == 3 && !o.q && opc != 3)
		return false;
	put_op(d, &o);
	return true;
}

static void logic3(unsigned int op, bool u, const uint64_t *n, const uint64_t *m,
		   uint64_t *dd)
{
	for (int i = 0; i < 2; i++) {
		uint64_t a = n[i], b = m[i], d = dd[i];

		switch (u << 2 | op) {
		case 0: dd[i] = a & b; break;
		case 1: dd[i] = a & ~b; break;
		case 2: dd[i] = a | b; break;
		case 3: dd[i] = a | ~b; break;
		case 4: dd[i] = a ^ b; break;
		case 5: dd[i] = (d & a) | (~d & b); break;		/* BSL */
		case 6: dd[i] = (d & ~b) | (a & b); break;		/* BIT */
		default: dd[i] = (d & b) | (a & ~b); break;		/* BIF */
		}
	}
}

/* the elements of Vn then those of Vm, for the pairwise operations */
static void concat(const uint64_t *n, const uint64_t *m, unsigned int ne, unsigned int esz,
		   uint64_t *cat)
{
	for (unsigned int i = 0; i < ne; i++) {
		set_elem(cat, i, esz, elem(n, i, esz));
		set_elem(cat, ne + i, esz, elem(m, i, esz));
	}
}

static int simd_three_same(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 }, pair[4];
	unsigned int ne = o.scalar ? 1 : (o.q ? 16u : 8u) >> o.esz;
	bool qc = false;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	if (!o.extra && o.op == 3) {
		logic3(FIELD(d->insn, 23, 22), o.u, n, m, dv);
		vwrite(s, d->rd, dv, o.q);
		return EXEC_NEXT;
	}
	if (o.extra) {
		fpst_begin(&st, s);
		if (f3_pairwise(o.op)) {
			concat(n, m, ne, o.esz, pair);
			for (unsigned int i = 0; i < ne; i++)
				set_elem(r, i, o.esz, fp3(o.op, elem(pair, 2 * i, o.esz),
							  elem(pair, 2 * i + 1, o.esz), 0, o.esz, &st));
		} else {
			for (unsigned int i = 0; i < ne; i++)
				set_elem(r, i, o.esz, fp3(o.op, elem(n, i, o.esz), elem(m, i, o.esz),
							  elem(dv, i, o.esz), o.esz, &st));
		}
		fpst_end(s, &st);
	} else if (o.op == 20 || o.op == 21 || o.op == 23) {
		concat(n, m, ne, o.esz, pair);
		for (unsigned int i = 0; i < ne; i++)
			set_elem(r, i, o.esz, int3(o.op, o.u, elem(pair, 2 * i, o.esz),
						   elem(pair, 2 * i + 1, o.esz), 0, o.esz, &qc));
	} else {
		for (unsigned int i = 0; i < ne; i++)
			set_elem(r, i, o.esz, int3(o.op, o.u, elem(n, i, o.esz), elem(m, i, o.esz),
						   elem(dv, i, o.esz), o.esz, &qc));
	}
	if (qc)
		s->fpsr |= FPSR_QC;
	vwrite(s, d->rd, r, o.q && !o.scalar);
	return EXEC_NEXT;
}

/* ---- three different -------------------------------------------------------------- */

static bool prep_three_diff(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 15, 12), size = FIELD(d->insn, 23, 22);

	o.u = BIT(d->insn, 29);
	o.q = BIT(d->insn, 30);
	o.scalar = BIT(d->insn, 28);
	o.op = (uint8_t)opc;
	o.esz = (uint8_t)size;
	if (opc == 15 || size == 3)
		return false;
	if (o.scalar) {
		if (o.u || (opc != 9 && opc != 11 && opc != 13) || size == 0)
			return false;
	} else if ((opc == 9 || opc == 11 || opc == 13) && (o.u || size == 0)) {
		return false;
	} else if (opc == 14 && (o.u || size != 0)) {
		return false;
	}
	put_op(d, &o);
	return true;
}

static int simd_three_diff(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int esz = o.esz, wsz = esz + 1, ne = o.scalar ? 1 : 8u >> esz;
	unsigned int part = o.q && !o.scalar ? ne : 0, bits = 8u << esz;
	uint64_t n[2], m[2], dv[2], r[2] = { 0, 0 };
	bool qc = false, u = o.u;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rm, m);
	vread(s, d->rd, dv);
	if (o.op == 4 || o.op == 6) {		/* ADDHN, SUBHN and rounding forms */
		if (o.q)
			r[0] = dv[0];
		for (unsigned int i = 0; i < ne; i++) {
			uint64_t a = elem(n, i, wsz), b = elem(m, i, wsz);
			uint64_t x = o.op == 4 ? a + b : a - b;

			if (u)
				x += 1ULL << (bits - 1);
			set_elem(r, part + i, esz, (x & emask(wsz)) >> bits);
		}
		vwrite(s, d->rd, r, o.q);
		return EXEC_NEXT;
	}
	for (unsigned int i = 0; i < ne; i++) {
		__int128 a, b, acc = ival(elem(dv, i, wsz), wsz, u), t;
		uint64_t x;

		if (o.op == 1 || o.op == 3)		/* wide: Vn has wide elements */
			a = ival(elem(n, i, wsz), wsz, u);
		else
			a = ival(elem(n, part + i, esz), esz, u);
		b = ival(elem(m, part + i, esz), esz, u);
		switch (o.op) {
		case 0: case 1: x = (uint64_t)(a + b); break;
		case 2: case 3: x = (uint64_t)(a - b); break;
		case 5: t = a - b; x = (uint64_t)(acc + (t < 0 ? -t : t)); break;
		case 7: t = a - b; x = (uint64_t)(t < 0 ? -t : t); break;
		case 8: x = (uint64_t)(acc + a * b); break;
		case 10: x = (uint64_t)(acc - a * b); break;
		case 12: x = (uint64_t)(a * b); break;
		case 14: x = pmull(elem(n, part + i, esz), elem(m, part + i, esz), bits); break;
		default: {			/* SQDMLAL, SQDMLSL, SQDMULL */
			uint64_t p = ssat(2 * a * b, wsz, &qc);

			if (o.op == 13)
				x = p;
			else if (o.op == 9)
				x = ssat(acc + sx(p, wsz), wsz, &qc);
			else
				x = ssat(acc - sx(p, wsz), wsz, &qc);
			break;
		}
		}
		set_elem(r, i, wsz, x & emask(wsz));
	}
	if (qc)
		s->fpsr |= FPSR_QC;
	vwrite(s, d->rd, r, !o.scalar);
	return EXEC_NEXT;
}

/* ---- two-register miscellaneous ------------------------------------------------------ */

enum {
	M_REV64, M_REV32, M_REV16, M_ADDLP, M_SUQADD, M_CLS, M_CLZ, M_CNT, M_NOT, M_RBIT,
	M_ADALP, M_SQABS, M_SQNEG, M_CMGT0, M_CMGE0, M_CMEQ0, M_CMLE0, M_CMLT0, M_ABS, M_NEG,
	M_XTN, M_SQXTUN, M_SHLL, M_SQXTN, M_FCVTN, M_FCVTXN, M_FCVTL,
	M_FRINT, M_FCVT_INT, M_CVTF, M_FCMGT0, M_FCMEQ0, M_FCMLT0, M_FCMGE0, M_FCMLE0,
	M_FABS, M_FNEG, M_URECPE, M_URSQRTE, M_FRECPE, M_FRSQRTE, M_FSQRT, M_FRECPX,
	M_BAD,
};

static bool prep_two_misc(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 16, 12), size = FIELD(d->insn, 23, 22);
	unsigned int u = BIT(d->insn, 29), a = size >> 1;
	bool scalar = BIT(d->insn, 28), fp = false, ok_scalar = false;
	int op = M_BAD;

	o.u = (uint8_t)u;
	o.q = BIT(d->insn, 30);
	o.scalar = scalar;
	o.esz = (uint8_t)size;
	switch (opc) {
	case 0: op = u ? M_REV32 : M_REV64; if (size >= (u ? 2u : 3u)) op = M_BAD; break;
	case 1: op = u ? M_BAD : M_REV16; if (size) op = M_BAD; break;
	case 2: op = size == 3 ? M_BAD : M_ADDLP; break;
	case 3: op = M_SUQADD; ok_scalar = true; break;
	case 4: op = u ? M_CLZ : M_CLS; if (size == 3) op = M_BAD; break;
	case 5:
		if (!u)
			op = size ? M_BAD : M_CNT;
		else
			op = size == 0 ? M_NOT : size == 1 ? M_RBIT : M_BAD;
		break;
	case 6: op = size == 3 ? M_BAD : M_ADALP; break;
	case 7: op = u ? M_SQNEG : M_SQABS; ok_scalar = true; break;
	case 8: op = u ? M_CMGE0 : M_CMGT0; ok_scalar = true; break;
	case 9: op = u ? M_CMLE0 : M_CMEQ0; ok_scalar = true; break;
	case 10: op = u ? M_BAD : M_CMLT0; ok_scalar = true; break;
	case 11: op = u ? M_NEG : M_ABS; ok_scalar = true; break;
	case 18: op = u ? M_SQXTUN : M_XTN; ok_scalar = u; if (size == 3) op = M_BAD; break;
	case 19: op = u && size != 3 ? M_SHLL : M_BAD; break;
	case 20: op = size == 3 ? M_BAD : M_SQXTN; ok_scalar = true; break;
	default: fp = true; break;
	}
	if (!fp) {
		if (op == M_BAD)
			return false;
		if (scalar && (!ok_scalar ||
			       ((op >= M_CMGT0 && op <= M_NEG) && size != 3)))
			return false;
		if (!scalar && size == 3 && !o.q && op != M_XTN && op != M_SQXTN &&
		    op != M_SQXTUN && op != M_SHLL)
			return false;
		if (op == M_CNT || op == M_NOT || op == M_RBIT)
			o.esz = 0;
		o.op = (uint8_t)op;
		put_op(d, &o);
		return true;
	}
	/* FP: size<0> is sz */
	o.esz = 2 + (size & 1);
	o.extra = (uint8_t)(a ? 4 : 0);			/* rounding mode for FRINT/FCVT */
	switch (u << 6 | a << 5 | opc) {
	case 0x16: op = M_FCVTN; o.esz = 2 + (size & 1); break;
	case 0x56: op = M_FCVTXN; if (!(size & 1)) return false; break;
	case 0x17: op = M_FCVTL; break;
	case 0x18: op = M_FRINT; o.extra = FPR_TIEEVEN; break;
	case 0x19: op = M_FRINT; o.extra = FPR_NEGINF; break;
	case 0x38: op = M_FRINT; o.extra = FPR_POSINF; break;
	case 0x39: op = M_FRINT; o.extra = FPR_ZERO; break;
	case 0x58: op = M_FRINT; o.extra = FPR_TIEAWAY; break;
	case 0x59: op = M_FRINT; o.extra = 8 | 16; break;	/* FRINTX: FPCR, exact */
	case 0x79: op = M_FRINT; o.extra = 8; break;		/* FRINTI: FPCR */
	case 0x1a: case 0x5a: op = M_FCVT_INT; o.extra = FPR_TIEEVEN; ok_scalar = true; break;
	case 0x1b: case 0x5b: op = M_FCVT_INT; o.extra = FPR_NEGINF; ok_scalar = true; break;
	case 0x1c: case 0x5c: op = M_FCVT_INT; o.extra = FPR_TIEAWAY; ok_scalar = true; break;
	case 0x3a: case 0x7a: op = M_FCVT_INT; o.extra = FPR_POSINF; ok_scalar = true; break;
	case 0x3b: case 0x7b: op = M_FCVT_INT; o.extra = FPR_ZERO; ok_scalar = true; break;
	case 0x1d: case 0x5d: op = M_CVTF; ok_scalar = true; break;
	case 0x2c: op = M_FCMGT0; ok_scalar = true; break;
	case 0x2d: op = M_FCMEQ0; ok_scalar = true; break;
	case 0x2e: op = M_FCMLT0; ok_scalar = true; break;
	case 0x6c: op = M_FCMGE0; ok_scalar = true; break;
	case 0x6d: op = M_FCMLE0; ok_scalar = true; break;
	case 0x2f: op = M_FABS; break;
	case 0x6f: op = M_FNEG; break;
	case 0x3c: op = M_URECPE; if (size & 1) return false; o.esz = 2; break;
	case 0x7c: op = M_URSQRTE; if (size & 1) return false; o.esz = 2; break;
	case 0x3d: op = M_FRECPE; ok_scalar = true; break;
	case 0x7d: op = M_FRSQRTE; ok_scalar = true; break;
	case 0x7f: op = M_FSQRT; break;
	case 0x3f: op = M_FRECPX; ok_scalar = true; if (!scalar) return false; break;
	default: return false;
	}
	if (op == M_FCVTXN)
		ok_scalar = true;
	if (scalar && !ok_scalar)
		return false;
	if (!scalar && o.esz == 3 && !o.q && op != M_FCVTN && op != M_FCVTXN && op != M_FCVTL)
		return false;
	o.op = (uint8_t)op;
	put_op(d, &o);
	return true;
}

static uint64_t rbit8(uint64_t v)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if (v >> i & 1)
			r |= 1u << (7 - i);
	return r;
}

static int simd_two_misc(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int esz = o.esz, ne = o.scalar ? 1 : (o.q ? 16u : 8u) >> esz, bits = 8u << esz;
	uint64_t n[2], dv[2], r[2] = { 0, 0 }, m = emask(esz);
	bool qc = false, u = o.u;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	vread(s, d->rd, dv);
	fpst_begin(&st, s);
	switch (o.op) {
	case M_REV64: case M_REV32: case M_REV16: {
		unsigned int cont = o.op == M_REV64 ? 8 : o.op == M_REV32 ? 4 : 2;
		unsigned int per = cont >> esz, total = o.q ? 16u >> esz : 8u >> esz;

		for (unsigned int i = 0; i < total; i++)
			set_elem(r, i, esz, elem(n, (i / per) * per + (per - 1 - i % per), esz));
		break;
	}
	case M_ADDLP: case M_ADALP: {
		unsigned int nw = ne / 2;

		for (unsigned int i = 0; i < nw; i++) {
			__int128 x = ival(elem(n, 2 * i, esz), esz, u) +
				     ival(elem(n, 2 * i + 1, esz), esz, u);

			if (o.op == M_ADALP)
				x += elem(dv, i, esz + 1);
			set_elem(r, i, esz + 1, (uint64_t)x & emask(esz + 1));
		}
		break;
	}
	case M_XTN: case M_SQXTN: case M_SQXTUN: {
		unsigned int nn = o.scalar ? 1 : 8u >> esz, part = o.q && !o.scalar ? nn : 0;

		if (part)
			memcpy(r, dv, 8);
		for (unsigned int i = 0; i < nn; i++) {
			uint64_t w = elem(n, i, esz + 1), x;

			if (o.op == M_XTN)
				x = w & m;
			else if (o.op == M_SQXTUN)
				x = usat(sx(w, esz + 1), esz, &qc);
			else if (u)
				x = usat(w, esz, &qc);
			else
				x = ssat(sx(w, esz + 1), esz, &qc);
			set_elem(r, part + i, esz, x);
		}
		if (qc)
			s->fpsr |= FPSR_QC;
		vwrite(s, d->rd, r, o.q && !o.scalar);
		return EXEC_NEXT;
	}
	case M_SHLL: {
		unsigned int part = o.q ? 8u >> esz : 0;

		for (unsigned int i = 0; i < (8u >> esz); i++)
			set_elem(r, i, esz + 1, elem(n, part + i, esz) << bits);
		vwrite(s, d->rd, r, true);
		return EXEC_NEXT;
	}
	case M_FCVTN: case M_FCVTXN: {
		/* double (sz 1) to single, or single to half */
		unsigned int from = esz, to = esz - 1, nn = o.scalar ? 1 : 8u >> to;
		unsigned int part = o.q && !o.scalar ? nn : 0;

		if (part)
			memcpy(r, dv, 8);
		for (unsigned int i = 0; i < nn; i++) {
			uint64_t x = elem(n, i, from);

			x = o.op == M_FCVTXN ? fp_convert_odd(x, &st) : fp_convert(x, from, to, &st);
			set_elem(r, part + i, to, x);
		}
		fpst_end(s, &st);
		vwrite(s, d->rd, r, o.q && !o.scalar);
		return EXEC_NEXT;
	}
	case M_FCVTL: {
		unsigned int to = esz, from = esz - 1, nn = 8u >> from;
		unsigned int part = o.q ? nn : 0;

		for (unsigned int i = 0; i < nn; i++)
			set_elem(r, i, to, fp_convert(elem(n, part + i, from), from, to, &st));
		fpst_end(s, &st);
		vwrite(s, d->rd, r, true);
		return EXEC_NEXT;
	}
	default:
		for (unsigned int i = 0; i < ne; i++) {
			uint64_t a = elem(n, i, esz), x;
			int64_t sa = sx(a, esz);

			switch (o.op) {
			case M_SUQADD:
				x = u ? usat((__int128)elem(dv, i, esz) + sa, esz, &qc)
				      : ssat((__int128)sx(elem(dv, i, esz), esz) + a, esz, &qc);
				break;
			case M_CLS: {
				uint64_t t = (uint64_t)(sa ^ (sa >> 63)) & m;

				x = t ? (uint64_t)(__builtin_clzll(t) - (64 - (int)bits)) - 1 : bits - 1;
				break;
			}
			case M_CLZ: x = a ? (uint64_t)(__builtin_clzll(a) - (64 - (int)bits)) : bits; break;
			case M_CNT: x = (uint64_t)__builtin_popcountll(a); break;
			case M_NOT: x = ~a & 0xff; break;
			case M_RBIT: x = rbit8(a); break;
			case M_SQABS: x = ssat(sa < 0 ? -(__int128)sa : sa, esz, &qc); break;
			case M_SQNEG: x = ssat(-(__int128)sa, esz, &qc); break;
			case M_CMGT0: x = sa > 0 ? m : 0; break;
			case M_CMGE0: x = sa >= 0 ? m : 0; break;
			case M_CMEQ0: x = sa == 0 ? m : 0; break;
			case M_CMLE0: x = sa <= 0 ? m : 0; break;
			case M_CMLT0: x = sa < 0 ? m : 0; break;
			case M_ABS: x = (sa < 0 ? -(uint64_t)sa : (uint64_t)sa) & m; break;
			case M_NEG: x = -a & m; break;
			case M_FRINT:
				x = fp_round_int(a, esz, (o.extra & 8) ? fp_rmode_of(&st) : o.extra & 7,
						 o.extra & 16, &st);
				break;
			case M_FCVT_INT:
				x = fp_to_fixed(a, esz, 0, u, bits, o.extra, &st);
				break;
			case M_CVTF:
				x = fp_from_fixed(a, bits, 0, u, esz, fp_rmode_of(&st), &st);
				break;
			case M_FCMGT0: x = fp_cmp_gt(a, 0, esz, &st) ? m : 0; break;
			case M_FCMEQ0: x = fp_cmp_eq(a, 0, esz, &st) ? m : 0; break;
			case M_FCMLT0: x = fp_cmp_gt(0, a, esz, &st) ? m : 0; break;
			case M_FCMGE0: x = fp_cmp_ge(a, 0, esz, &st) ? m : 0; break;
			case M_FCMLE0: x = fp_cmp_ge(0, a, esz, &st) ? m : 0; break;
			case M_FABS: x = fp_abs(a, esz); break;
			case M_FNEG: x = fp_neg(a, esz); break;
			case M_URECPE: x = fp_urecpe((uint32_t)a); break;
			case M_URSQRTE: x = fp_ursqrte((uint32_t)a); break;
			case M_FRECPE: x = fp_recpe(a, esz, &st); break;
			case M_FRSQRTE: x = fp_rsqrte(a, esz, &st); break;
			case M_FSQRT: x = fp_sqrt(a, esz, &st); break;
			default: x = fp_recpx(a, esz, &st); break;
			}
			set_elem(r, i, esz, x);
		}
		break;
	}
	if (qc)
		s->fpsr |= FPSR_QC;
	fpst_end(s, &st);
	vwrite(s, d->rd, r, o.q && !o.scalar);
	return EXEC_NEXT;
}

/* ---- across lanes and scalar pairwise ------------------------------------------------- */

static bool prep_across(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 16, 12), size = FIELD(d->insn, 23, 22);

	o.u = BIT(d->insn, 29);
	o.q = BIT(d->insn, 30);
	o.esz = (uint8_t)size;
	o.op = (uint8_t)opc;
	switch (opc) {
	case 3: case 10: case 26:
		if (size == 3 || (size == 2 && !o.q))
			return false;
		break;
	case 27:
		if (o.u || size == 3 || (size == 2 && !o.q))
			return false;
		break;
	case 12: case 15:		/* FMAXNMV/FMINNMV, FMAXV/FMINV: U=1, .4S */
		if (!o.u || (size & 1) || !o.q)
			return false;
		o.extra = 1;
		o.esz = 2;
		o.op = (uint8_t)(opc == 12 ? (size ? F3_FMINNM : F3_FMAXNM) : (size ? F3_FMIN : F3_FMAX));
		break;
	default:
		return false;
	}
	put_op(d, &o);
	return true;
}

/* Arm's Reduce(): a pairwise tree over the elements */
static uint64_t fp_reduce(unsigned int op, const uint64_t *v, unsigned int lo, unsigned int n,
			  unsigned int esz, struct fpst *st)
{
	if (n == 1)
		return elem(v, lo, esz);
	return fp3(op, fp_reduce(op, v, lo, n / 2, esz, st), fp_reduce(op, v, lo + n / 2, n / 2, esz, st),
		   0, esz, st);
}

static int simd_across(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	unsigned int esz = o.esz, ne = (o.q ? 16u : 8u) >> esz;
	uint64_t n[2], r;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	if (o.extra) {
		fpst_begin(&st, s);
		r = fp_reduce(o.op, n, 0, ne, esz, &st);
		fpst_end(s, &st);
		vset_scalar(s, d->rd, r, esz);
		return EXEC_NEXT;
	}
	{
		__int128 acc = ival(elem(n, 0, esz), esz, o.u);

		for (unsigned int i = 1; i < ne; i++) {
			__int128 x = ival(elem(n, i, esz), esz, o.u);

			switch (o.op) {
			case 3: case 27: acc += x; break;
			case 10: if (x > acc) acc = x; break;
			default: if (x < acc) acc = x; break;
			}
		}
		if (o.op == 3)
			vset_scalar(s, d->rd, (uint64_t)acc & emask(esz + 1), esz + 1);
		else
			vset_scalar(s, d->rd, (uint64_t)acc & emask(esz), esz);
	}
	return EXEC_NEXT;
}

static bool prep_scalar_pairwise(struct dinsn *d)
{
	struct simd_op o = { 0 };
	unsigned int opc = FIELD(d->insn, 16, 12), size = FIELD(d->insn, 23, 22);

	o.u = BIT(d->insn, 29);
	if (!o.u) {
		if (opc != 27 || size != 3)	/* ADDP Dd, Vn.2D */
			return false;
		o.esz = 3;
		o.op = 23;
	} else {
		o.extra = 1;
		o.esz = 2 + (size & 1);
		switch ((size >> 1) << 5 | opc) {
		case 12: o.op = F3_FMAXNM; break;
		case 13: o.op = F3_FADD; break;
		case 15: o.op = F3_FMAX; break;
		case 32 | 12: o.op = F3_FMINNM; break;
		case 32 | 15: o.op = F3_FMIN; break;
		default: return false;
		}
	}
	put_op(d, &o);
	return true;
}

static int simd_scalar_pairwise(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	struct simd_op o = get_op(d);
	uint64_t n[2], r;
	struct fpst st;

	SIMD_ENTER(c);
	vread(s, d->rn, n);
	if (!o.extra) {
		r = n[0] + n[1];
	} else {
		fpst_begin(&st, s);
		r = fp3(o.op, elem(n, 0, o.esz), elem(n, 1, o.esz), 0, o.esz, &st);
		fpst_end(s, &st);
	}
	vset_scalar(s, d->rd, r, o.esz);
	return EXEC_NEXT;
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

static const struct insn_pattern simd_pats[] = {
	/* vector */
	PAT(0x9f200400, 0x0e200400, simd_three_same, prep_three_same),
	PAT(0x9f200c00, 0x0e200000, simd_three_diff, prep_three_diff),
	PAT(0x9f3e0c00, 0x0e200800, simd_two_misc, prep_two_misc),
	PAT(0x9f3e0c00, 0x0e300800, simd_across, prep_across),
	PAT(0x9fe08400, 0x0e000400, simd_copy, prep_copy),
	PAT(0x9ff80400, 0x0f000400, simd_mod_imm, prep_mod_imm),
	PAT(0x9f800400, 0x0f000400, simd_shift_imm, prep_shift_imm),
	PAT(0x9f000400, 0x0f000000, simd_by_elem, prep_by_elem),
	PAT(0xbf208c00, 0x0e000800, simd_permute, prep_permute),
	PAT(0xbfe08400, 0x2e000000, simd_ext, prep_ext),
	PAT(0xbfe08c00, 0x0e000000, simd_tbl, NULL),
	/* scalar */
	PAT(0xdf200400, 0x5e200400, simd_three_same, prep_three_same),
	PAT(0xdf200c00, 0x5e200000, simd_three_diff, prep_three_diff),
	PAT(0xdf3e0c00, 0x5e200800, simd_two_misc, prep_two_misc),
	PAT(0xdf3e0c00, 0x5e300800, simd_scalar_pairwise, prep_scalar_pairwise),
	PAT(0xffe08400, 0x5e000400, simd_copy, prep_copy),
	PAT(0xdf800400, 0x5f000400, simd_shift_imm, prep_shift_imm),
	PAT(0xdf000400, 0x5f000000, simd_by_elem, prep_by_elem),
	/* structure loads and stores, no offset and post-index */
	PAT(0xbfbf0000, 0x0c000000, simd_ldst_multi, prep_ldst_multi),
	PAT(0xbfa00000, 0x0c800000, simd_ldst_multi, prep_ldst_multi),
	PAT(0xbf9f0000, 0x0d000000, simd_ldst_single, prep_ldst_single),
	PAT(0xbf800000, 0x0d800000, simd_ldst_single, prep_ldst_single),
};

const struct insn_table simd_insns = PAT_TABLE(simd_pats);
