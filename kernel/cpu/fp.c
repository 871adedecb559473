// SPDX-License-Identifier: GPL-2.0
/*
 * Floating point as the Arm ARM's pseudocode defines it (shared/functions/
 * float: FPUnpack, FPProcessNaNs, FPRound, FPToFixed...).
 *
 * Half precision (FEAT_FP16) is computed on the host in double precision,
 * rounded toward zero with the inexact flag as a sticky bit, then rounded
 * to half by round_pack() as FPRound does: a double holds every half
 * operand, product and quotient range exactly, and a truncated double
 * with a sticky bit rounds to 11 bits exactly as the exact value would.
 * FPCR.FZ16 flushes half inputs (without IDC) and outputs; FPCR.AHP only
 * matters to the conversions (FPUnpackCV, FPRoundCV).
 *
 * Add, subtract, multiply, divide, square root and fused multiply-add run
 * on the host FPU, which is IEEE 754 binary32/64 and so bit-exact for
 * finite and infinite operands under each rounding mode.  What the host
 * does differently is handled here, around it:
 *  - NaNs never reach it: Arm picks the first signalling NaN, then the
 *    first quiet one, in operand order, and FPCR.DN replaces it with the
 *    default NaN (positive, unlike x86's);
 *  - FPCR.FZ flushes denormal inputs (IDC) and tiny outputs (UFC, no IXC);
 *  - Arm detects tininess before rounding, x86 after: a result that
 *    rounded up to the smallest normal is re-examined in round-to-zero.
 * Conversions, FPToFixed, FixedToFP and the estimates are done in integer
 * arithmetic.
 */
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "fp.h"

#define FPR_ODD		5	/* FCVTXN's von Neumann rounding */

struct fmt {
	unsigned int e, f;	/* exponent and fraction bits */
};

static const struct fmt fmts[4] = { { 0, 0 }, { 5, 10 }, { 8, 23 }, { 11, 52 } };

static inline uint64_t exp_mask(unsigned int sz)
{
	return ((1ULL << fmts[sz].e) - 1) << fmts[sz].f;
}

static inline uint64_t frac_mask(unsigned int sz)
{
	return (1ULL << fmts[sz].f) - 1;
}

static inline uint64_t quiet_bit(unsigned int sz)
{
	return 1ULL << (fmts[sz].f - 1);
}

static inline uint64_t default_nan(unsigned int sz)
{
	return exp_mask(sz) | quiet_bit(sz);
}

static inline uint64_t min_normal(unsigned int sz)
{
	return 1ULL << fmts[sz].f;
}

static inline uint64_t fp_inf(bool neg, unsigned int sz)
{
	return exp_mask(sz) | (neg ? fp_sign(sz) : 0);
}

static inline uint64_t fp_max_normal(bool neg, unsigned int sz)
{
	return (exp_mask(sz) - min_normal(sz)) | frac_mask(sz) | (neg ? fp_sign(sz) : 0);
}

bool fp_is_nan(uint64_t a, unsigned int sz)
{
	return (a & exp_mask(sz)) == exp_mask(sz) && (a & frac_mask(sz));
}

static inline bool is_snan(uint64_t a, unsigned int sz)
{
	return fp_is_nan(a, sz) && !(a & quiet_bit(sz));
}

static inline bool is_inf(uint64_t a, unsigned int sz)
{
	return (a & ~fp_sign(sz)) == exp_mask(sz);
}

static inline bool is_zero(uint64_t a, unsigned int sz)
{
	return !(a & ~fp_sign(sz));
}

static inline bool is_neg(uint64_t a, unsigned int sz)
{
	return a & fp_sign(sz);
}

/* FPUnpack's flush of a denormal input to a signed zero: FPCR.FZ16 for
 * half precision, which never sets IDC; FPCR.FZ for single and double */
static inline uint64_t flush_in(uint64_t a, unsigned int sz, struct fpst *st)
{
	if (!(a & exp_mask(sz)) && (a & frac_mask(sz))) {
		if (sz == 1) {
			if (st->fpcr & FPCR_FZ16)
				return a & fp_sign(sz);
		} else if (st->fpcr & FPCR_FZ) {
			st->exc |= FPSR_IDC;
			return a & fp_sign(sz);
		}
	}
	return a;
}

/* FPRound's flush of a tiny result: FZ16 for half, FZ otherwise */
static inline bool flush_out(unsigned int sz, const struct fpst *st)
{
	return st->fpcr & (sz == 1 ? FPCR_FZ16 : FPCR_FZ);
}

/* 2.0, 1.5 and 3.0 in format sz */
static inline uint64_t fp_two(unsigned int sz)
{
	return (uint64_t)(1u << (fmts[sz].e - 1)) << fmts[sz].f;
}

static inline uint64_t fp_one_half(unsigned int sz)
{
	return (((uint64_t)(1u << (fmts[sz].e - 1)) - 1) << fmts[sz].f) | quiet_bit(sz);
}

static uint64_t process_nan(uint64_t a, unsigned int sz, struct fpst *st)
{
	if (is_snan(a, sz)) {
		st->exc |= FPSR_IOC;
		a |= quiet_bit(sz);
	}
	return (st->fpcr & FPCR_DN) ? default_nan(sz) : a;
}

static bool process_nans(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st,
			 uint64_t *r)
{
	if (is_snan(a, sz))
		*r = process_nan(a, sz, st);
	else if (is_snan(b, sz))
		*r = process_nan(b, sz, st);
	else if (fp_is_nan(a, sz))
		*r = process_nan(a, sz, st);
	else if (fp_is_nan(b, sz))
		*r = process_nan(b, sz, st);
	else
		return false;
	return true;
}

static bool process_nans3(uint64_t a, uint64_t b, uint64_t c, unsigned int sz,
			  struct fpst *st, uint64_t *r)
{
	if (is_snan(a, sz))
		*r = process_nan(a, sz, st);
	else if (is_snan(b, sz))
		*r = process_nan(b, sz, st);
	else if (is_snan(c, sz))
		*r = process_nan(c, sz, st);
	else if (fp_is_nan(a, sz))
		*r = process_nan(a, sz, st);
	else if (fp_is_nan(b, sz))
		*r = process_nan(b, sz, st);
	else if (fp_is_nan(c, sz))
		*r = process_nan(c, sz, st);
	else
		return false;
	return true;
}

/* ---- the host FPU ---------------------------------------------------------------- */

enum host_op { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA };

/* The host's arithmetic on numbers of size sz (S or D) under its current
 * rounding mode; exception flags are left in the host's FP state. */
static uint64_t host_op(enum host_op op, unsigned int sz, uint64_t a, uint64_t b,
			uint64_t c)
{
	uint64_t r = 0;

	if (sz == 3) {
		volatile double x, y, z, v;
		double t;

		memcpy(&t, &a, 8); x = t;
		memcpy(&t, &b, 8); y = t;
		memcpy(&t, &c, 8); z = t;
		switch (op) {
		case H_ADD: v = x + y; break;
		case H_SUB: v = x - y; break;
		case H_MUL: v = x * y; break;
		case H_DIV: v = x / y; break;
		case H_SQRT: v = sqrt(x); break;
		default: v = fma(x, y, z); break;
		}
		t = v;
		memcpy(&r, &t, 8);
	} else {
		volatile float x, y, z, v;
		float t;
		uint32_t u;

		u = (uint32_t)a; memcpy(&t, &u, 4); x = t;
		u = (uint32_t)b; memcpy(&t, &u, 4); y = t;
		u = (uint32_t)c; memcpy(&t, &u, 4); z = t;
		switch (op) {
		case H_ADD: v = x + y; break;
		case H_SUB: v = x - y; break;
		case H_MUL: v = x * y; break;
		case H_DIV: v = x / y; break;
		case H_SQRT: v = sqrtf(x); break;
		default: v = fmaf(x, y, z); break;
		}
		t = v;
		memcpy(&u, &t, 4);
		r = u;
	}
	return r;
}

#if defined(__x86_64__) && defined(__SSE2__)
#include <xmmintrin.h>
/*
 * On x86-64 the arithmetic above is SSE: its rounding mode and exception
 * flags are MXCSR's alone, whose flag bits are the FE_* values.  The FP
 * engine owns MXCSR from fpst_begin() (fp_host_enter: the instruction's
 * rounding mode, no flags) to the end of cpu_run() (fp_host_leave), and
 * lets the flags of an instruction's elements accumulate: for a result
 * that is not tiny they are exactly what FPSR must gain (a union over the
 * elements); a result that may be tiny is computed again alone
 * (host_calc_alone), because underflow needs its own inexact flag.  This
 * spares feclearexcept()/fetestexcept()/fesetround(), which also save and
 * restore the x87 environment, and most MXCSR accesses.
 */
#define MXCSR_DEFAULT	0x1f80u		/* exceptions masked, no flags, nearest */
#define MXCSR_FLAGS	0x3fu
#define MXCSR_RC_SHIFT	13

static const unsigned int mxcsr_rc[4] = { 0, 2, 1, 3 };	/* FPR_* order */

static inline unsigned int mxcsr_for(unsigned int rm)
{
	return MXCSR_DEFAULT | mxcsr_rc[rm & 3] << MXCSR_RC_SHIFT;
}

void fp_host_enter(const struct fpst *st)
{
	unsigned int want = mxcsr_for(fp_rmode_of(st));

	if (_mm_getcsr() != want)
		_mm_setcsr(want);
}

void fp_host_leave(void)
{
	if (_mm_getcsr() != MXCSR_DEFAULT)
		_mm_setcsr(MXCSR_DEFAULT);
}

/* In the instruction's rounding mode; *exc: the flags accumulated since
 * fp_host_enter() */
static uint64_t host_calc(enum host_op op, unsigned int sz, uint64_t a, uint64_t b,
			  uint64_t c, int *exc)
{
	uint64_t r = host_op(op, sz, a, b, c);

	*exc = (int)(_mm_getcsr() & MXCSR_FLAGS);
	return r;
}

/* Alone, in rounding mode rm: *exc are this operation's flags; then back
 * to the instruction's mode (st), flags clear (st->exc holds them). */
static uint64_t host_calc_alone(enum host_op op, unsigned int sz, uint64_t a,
				uint64_t b, uint64_t c, unsigned int rm,
				const struct fpst *st, int *exc)
{
	uint64_t r;

	_mm_setcsr(mxcsr_for(rm));
	r = host_op(op, sz, a, b, c);
	*exc = (int)(_mm_getcsr() & MXCSR_FLAGS);
	_mm_setcsr(mxcsr_for(fp_rmode_of(st)));
	return r;
}
#else
static const int host_rmode[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };

void fp_host_enter(const struct fpst *st)
{
	(void)st;
}

void fp_host_leave(void)
{
}

static uint64_t host_calc_alone(enum host_op op, unsigned int sz, uint64_t a,
				uint64_t b, uint64_t c, unsigned int rm,
				const struct fpst *st, int *exc)
{
	uint64_t r;

	(void)st;
	if (rm != FPR_TIEEVEN)
		fesetround(host_rmode[rm]);
	feclearexcept(FE_ALL_EXCEPT);
	r = host_op(op, sz, a, b, c);
	*exc = fetestexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);
	return r;
}

/* Elsewhere every operation is alone. */
static uint64_t host_calc(enum host_op op, unsigned int sz, uint64_t a, uint64_t b,
			  uint64_t c, int *exc)
{
	return host_calc_alone(op, sz, a, b, c, FPR_TIEEVEN, NULL, exc);
}
#endif

static uint64_t round_pack(bool sign, int exp, uint64_t sig, bool sticky, unsigned int sz,
			   unsigned int rm, bool fz, bool ahp, struct fpst *st);
static void unpack(uint64_t a, unsigned int sz, bool *sign, int *exp, uint64_t *sig);

/* A half-precision number (no NaN) as the double of the same value */
static uint64_t half_to_double(uint64_t a)
{
	bool sign = is_neg(a, 1);
	uint64_t s = sign ? 1ULL << 63 : 0, sig;
	int exp;

	if (is_zero(a, 1))
		return s;
	if (is_inf(a, 1))
		return s | exp_mask(3);
	unpack(a, 1, &sign, &exp, &sig);
	return s | (uint64_t)(exp + 1023) << 52 | ((sig << 1) >> 12);
}

/* Half precision: in double, toward zero, then FPRound to half. */
static uint64_t half_arith(enum host_op op, uint64_t a, uint64_t b, uint64_t c,
			   struct fpst *st)
{
	unsigned int rm = fp_rmode_of(st);
	uint64_t x = half_to_double(a), y = half_to_double(b), z = half_to_double(c), r, sig;
	bool sign;
	int hx, exp;

	r = host_calc_alone(op, 3, x, y, z, FPR_ZERO, st, &hx);
	if (hx & FE_INVALID) {
		st->exc |= FPSR_IOC;
		return default_nan(1);
	}
	if (hx & FE_DIVBYZERO)
		st->exc |= FPSR_DZC;
	sign = r >> 63;
	if (is_inf(r, 3))
		return fp_inf(sign, 1);
	if (is_zero(r, 3)) {
		/* exact: its sign is the rounding mode's (x + -x) */
		r = host_calc_alone(op, 3, x, y, z, rm, st, &hx);
		return r >> 63 ? fp_sign(1) : 0;
	}
	unpack(r, 3, &sign, &exp, &sig);
	return round_pack(sign, exp, sig, hx & FE_INEXACT, 1, rm, flush_out(1, st), false, st);
}

/* Operands are numbers (no NaN), already flushed: round as FPRound does. */
static uint64_t host_arith(enum host_op op, unsigned int sz, uint64_t a, uint64_t b,
			   uint64_t c, struct fpst *st)
{
	unsigned int rm = fp_rmode_of(st);
	uint64_t sign = fp_sign(sz), r, mag;
	uint32_t exc = 0;
	bool inexact, tiny = false;
	int hx;

	if (sz == 1)
		return half_arith(op, a, b, c, st);
	r = host_calc(op, sz, a, b, c, &hx);
	if ((r & ~sign) <= min_normal(sz))	/* maybe tiny: its own flags */
		r = host_calc_alone(op, sz, a, b, c, rm, st, &hx);
	if (fp_is_nan(r, sz))
		r = default_nan(sz);		/* invalid operation */
	inexact = hx & FE_INEXACT;
	mag = r & ~sign;
	if (mag < min_normal(sz)) {
		tiny = mag || inexact;
	} else if (mag == min_normal(sz) && inexact) {
		int hx2;
		uint64_t rz = host_calc_alone(op, sz, a, b, c, FPR_ZERO, st, &hx2);

		tiny = (rz & ~sign) < min_normal(sz);
	}
	if (hx & FE_INVALID)
		exc |= FPSR_IOC;
	if (hx & FE_DIVBYZERO)
		exc |= FPSR_DZC;
	if (hx & FE_OVERFLOW)
		exc |= FPSR_OFC;
	if (inexact)
		exc |= FPSR_IXC;
	if (tiny) {
		if (st->fpcr & FPCR_FZ) {
			r &= sign;
			exc = (exc & ~FPSR_IXC) | FPSR_UFC;
		} else if (inexact) {
			exc |= FPSR_UFC;
		}
	}
	st->exc |= exc;
	return r;
}

static uint64_t arith2(enum host_op op, uint64_t a, uint64_t b, unsigned int sz,
		       struct fpst *st)
{
	uint64_t r;

	a = flush_in(a, sz, st);
	b = flush_in(b, sz, st);
	if (process_nans(a, b, sz, st, &r))
		return r;
	return host_arith(op, sz, a, b, 0, st);
}

uint64_t fp_add(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return arith2(H_ADD, a, b, sz, st);
}

uint64_t fp_sub(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return arith2(H_SUB, a, b, sz, st);
}

uint64_t fp_mul(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return arith2(H_MUL, a, b, sz, st);
}

uint64_t fp_div(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return arith2(H_DIV, a, b, sz, st);
}

/* FPMulX: 0 * inf is 2.0 with the product's sign instead of invalid */
uint64_t fp_mulx(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	uint64_t r;

	a = flush_in(a, sz, st);
	b = flush_in(b, sz, st);
	if (process_nans(a, b, sz, st, &r))
		return r;
	if ((is_inf(a, sz) && is_zero(b, sz)) || (is_zero(a, sz) && is_inf(b, sz)))
		return ((a ^ b) & fp_sign(sz)) | fp_two(sz);
	return host_arith(H_MUL, sz, a, b, 0, st);
}

uint64_t fp_sqrt(uint64_t a, unsigned int sz, struct fpst *st)
{
	a = flush_in(a, sz, st);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	if (is_zero(a, sz))
		return a;
	if (is_neg(a, sz)) {
		st->exc |= FPSR_IOC;
		return default_nan(sz);
	}
	return host_arith(H_SQRT, sz, a, 0, 0, st);
}

uint64_t fp_muladd(uint64_t addend, uint64_t a, uint64_t b, unsigned int sz,
		   struct fpst *st)
{
	uint64_t r;
	bool inf_zero;

	addend = flush_in(addend, sz, st);
	a = flush_in(a, sz, st);
	b = flush_in(b, sz, st);
	inf_zero = (is_inf(a, sz) && is_zero(b, sz)) || (is_zero(a, sz) && is_inf(b, sz));
	if (process_nans3(addend, a, b, sz, st, &r)) {
		/* a quiet NaN addend does not hide the invalid 0 * inf */
		if (fp_is_nan(addend, sz) && !is_snan(addend, sz) && inf_zero) {
			st->exc |= FPSR_IOC;
			return default_nan(sz);
		}
		return r;
	}
	return host_arith(H_FMA, sz, a, b, addend, st);
}

/* ---- min and max --------------------------------------------------------------- */

/* Compare two numbers (no NaN): a > b */
static bool num_gt(uint64_t a, uint64_t b, unsigned int sz)
{
	bool na = is_neg(a, sz), nb = is_neg(b, sz);
	uint64_t ma = fp_abs(a, sz), mb = fp_abs(b, sz);

	if (!ma && !mb)
		return false;
	if (na != nb)
		return nb;
	return na ? ma < mb : ma > mb;
}

static uint64_t minmax(uint64_t a, uint64_t b, unsigned int sz, bool max, bool nm,
		       struct fpst *st)
{
	uint64_t r;

	a = flush_in(a, sz, st);
	b = flush_in(b, sz, st);
	if (nm) {
		/* FPMaxNum/FPMinNum: a quiet NaN loses against a number */
		bool qa = fp_is_nan(a, sz) && !is_snan(a, sz);
		bool qb = fp_is_nan(b, sz) && !is_snan(b, sz);

		if (qa && !fp_is_nan(b, sz))
			a = max ? fp_inf(true, sz) : fp_inf(false, sz);
		else if (qb && !fp_is_nan(a, sz))
			b = max ? fp_inf(true, sz) : fp_inf(false, sz);
	}
	if (process_nans(a, b, sz, st, &r))
		return r;
	if (is_zero(a, sz) && is_zero(b, sz)) {
		/* max(+0, -0) = +0, min(+0, -0) = -0 */
		return max ? (a & b) : (a | b);
	}
	if (max)
		return num_gt(a, b, sz) ? a : b;
	return num_gt(a, b, sz) ? b : a;
}

uint64_t fp_max(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return minmax(a, b, sz, true, false, st);
}

uint64_t fp_min(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return minmax(a, b, sz, false, false, st);
}

uint64_t fp_maxnm(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return minmax(a, b, sz, true, true, st);
}

uint64_t fp_minnm(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return minmax(a, b, sz, false, true, st);
}

/* ---- comparisons ----------------------------------------------------------------- */

unsigned int fp_compare(uint64_t a, uint64_t b, unsigned int sz, bool signal,
			struct fpst *st)
{
	a = flush_in(a, sz, st);
	b = flush_in(b, sz, st);
	if (fp_is_nan(a, sz) || fp_is_nan(b, sz)) {
		if (signal || is_snan(a, sz) || is_snan(b, sz))
			st->exc |= FPSR_IOC;
		return 0x3;
	}
	if (is_zero(a, sz) && is_zero(b, sz))
		return 0x6;
	if (a == b)
		return 0x6;
	return num_gt(a, b, sz) ? 0x2 : 0x8;
}

bool fp_cmp_eq(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_compare(a, b, sz, false, st) == 0x6;
}

bool fp_cmp_ge(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	unsigned int f = fp_compare(a, b, sz, true, st);

	return f == 0x6 || f == 0x2;
}

bool fp_cmp_gt(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return fp_compare(a, b, sz, true, st) == 0x2;
}

/* ---- rounding in integer arithmetic (FPRound) ---------------------------------- */

/*
 * Round sign * 1.sig[62:0] * 2^exp (sig has bit 63 set; sticky: nonzero
 * bits below it) to the format sz.  fz: flush tiny results (FPCR.FZ for
 * single and double); ahp: the Arm alternative half precision.
 */
static uint64_t round_pack(bool sign, int exp, uint64_t sig, bool sticky, unsigned int sz,
			   unsigned int rm, bool fz, bool ahp, struct fpst *st)
{
	unsigned int e = fmts[sz].e, f = fmts[sz].f, shift = 63 - f;
	int bias = (1 << (e - 1)) - 1, min_exp = 1 - bias, biased;
	uint64_t s = sign ? fp_sign(sz) : 0, mant;
	bool half, more, up = false;

	if (fz && exp < min_exp) {
		st->exc |= FPSR_UFC;
		return s;
	}
	biased = exp - min_exp + 1;
	if (biased <= 0) {
		shift += (unsigned int)(1 - biased);
		biased = 0;
	}
	if (shift >= 64) {
		mant = 0;
		half = shift == 64;
		more = sticky || (shift == 64 ? sig << 1 : sig) != 0;
	} else {
		uint64_t rest = sig << (64 - shift);

		mant = sig >> shift;
		half = rest >> 63;
		more = sticky || (rest << 1) != 0;
	}
	if (biased == 0 && (half || more))
		st->exc |= FPSR_UFC;
	switch (rm) {
	case FPR_TIEEVEN: up = half && (more || (mant & 1)); break;
	case FPR_POSINF: up = (half || more) && !sign; break;
	case FPR_NEGINF: up = (half || more) && sign; break;
	case FPR_TIEAWAY: up = half; break;
	case FPR_ODD: mant |= half || more; break;
	default: break;
	}
	mant += up;
	if (biased == 0) {
		if (mant >> f)
			biased = 1;
	} else if (mant >> (f + 1)) {
		mant >>= 1;
		biased++;
	}
	if (!ahp && biased >= (1 << e) - 1) {
		bool to_inf = rm == FPR_TIEEVEN || rm == FPR_TIEAWAY ||
			      (rm == FPR_POSINF && !sign) || (rm == FPR_NEGINF && sign);

		st->exc |= FPSR_OFC | FPSR_IXC;
		return to_inf ? fp_inf(sign, sz) : fp_max_normal(sign, sz);
	}
	if (ahp && biased >= (1 << e)) {
		st->exc |= FPSR_IOC;
		return s | ((1ULL << (e + f)) - 1);
	}
	if (half || more)
		st->exc |= FPSR_IXC;
	return s | ((uint64_t)biased << f) | (mant & frac_mask(sz));
}

/* A nonzero finite value as sign, exponent and a normalised significand */
static void unpack(uint64_t a, unsigned int sz, bool *sign, int *exp, uint64_t *sig)
{
	unsigned int f = fmts[sz].f;
	int bias = (1 << (fmts[sz].e - 1)) - 1;
	uint64_t ef = (a & exp_mask(sz)) >> f, m = a & frac_mask(sz);
	int lz;

	*sign = is_neg(a, sz);
	if (ef) {
		*exp = (int)ef - bias;
		*sig = (m | (1ULL << f)) << (63 - f);
	} else {
		lz = __builtin_clzll(m);
		*exp = 1 - bias - (lz - (63 - (int)f));
		*sig = m << lz;
	}
}

static uint64_t convert(uint64_t a, unsigned int from, unsigned int to, unsigned int rm,
			struct fpst *st)
{
	bool ahp = st->fpcr & FPCR_AHP, sign;
	uint64_t sig;
	int exp;

	if (from != 1)
		a = flush_in(a, from, st);
	sign = is_neg(a, from);
	if (!(from == 1 && ahp) && (a & exp_mask(from)) == exp_mask(from)) {
		if (a & frac_mask(from)) {
			if (to == 1 && ahp) {
				st->exc |= FPSR_IOC;
				return sign ? fp_sign(1) : 0;
			}
			if (is_snan(a, from))
				st->exc |= FPSR_IOC;
			if (st->fpcr & FPCR_DN)
				return default_nan(to);
			/* FPConvertNaN: sign and the payload's top bits */
			sig = (a & frac_mask(from)) << (64 - fmts[from].f);
			return (sign ? fp_sign(to) : 0) | exp_mask(to) | quiet_bit(to) |
			       (sig >> (64 - fmts[to].f));
		}
		if (to == 1 && ahp) {
			st->exc |= FPSR_IOC;
			return (sign ? fp_sign(1) : 0) | 0x7fff;
		}
		return fp_inf(sign, to);
	}
	if (is_zero(a, from))
		return sign ? fp_sign(to) : 0;
	unpack(a, from, &sign, &exp, &sig);
	return round_pack(sign, exp, sig, false, to, rm, to != 1 && (st->fpcr & FPCR_FZ),
			  to == 1 && ahp, st);
}

uint64_t fp_convert(uint64_t a, unsigned int from, unsigned int to, struct fpst *st)
{
	return convert(a, from, to, fp_rmode_of(st), st);
}

uint64_t fp_convert_odd(uint64_t a, struct fpst *st)
{
	return convert(a, 3, 2, FPR_ODD, st);
}

uint64_t fp_from_fixed(uint64_t v, unsigned int ibits, unsigned int fbits, bool uns,
		       unsigned int sz, unsigned int rm, struct fpst *st)
{
	bool sign = false;
	int lz;

	if (ibits < 64)
		v = uns ? v & ((1ULL << ibits) - 1) : (uint64_t)((int64_t)(v << (64 - ibits)) >>
								   (64 - ibits));
	if (!uns && (int64_t)v < 0) {
		sign = true;
		v = -v;
	}
	if (!v)
		return 0;
	lz = __builtin_clzll(v);
	return round_pack(sign, 63 - lz - (int)fbits, v << lz, false, sz, rm,
			  flush_out(sz, st), false, st);
}

uint64_t fp_to_fixed(uint64_t a, unsigned int sz, unsigned int fbits, bool uns,
		     unsigned int ibits, unsigned int rm, struct fpst *st)
{
	uint64_t sig, ip, rest = 0, umax, mag_max;
	bool sign, half = false, more = false, up = false, ovf = false;
	int exp, sh;

	a = flush_in(a, sz, st);
	sign = is_neg(a, sz);
	umax = ibits == 64 ? ~0ULL : (1ULL << ibits) - 1;
	if ((a & exp_mask(sz)) == exp_mask(sz)) {
		st->exc |= FPSR_IOC;
		if (a & frac_mask(sz))
			return 0;
		if (uns)
			return sign ? 0 : umax;
		return sign ? (1ULL << (ibits - 1)) : umax >> 1;
	}
	if (is_zero(a, sz))
		return 0;
	unpack(a, sz, &sign, &exp, &sig);
	/* value = sig * 2^(exp + fbits - 63) */
	sh = exp + (int)fbits - 63;
	if (sh > 0) {
		ip = 0;
		ovf = true;			/* >= 2^64 */
	} else if (sh == 0) {
		ip = sig;
	} else if (sh <= -64) {
		ip = 0;
		half = sh == -64;
		more = sh == -64 ? (sig << 1) != 0 : true;
	} else {
		ip = sig >> -sh;
		rest = sig << (64 + sh);
		half = rest >> 63;
		more = (rest << 1) != 0;
	}
	if (!ovf) {
		switch (rm) {
		case FPR_TIEEVEN: up = half && (more || (ip & 1)); break;
		case FPR_POSINF: up = (half || more) && !sign; break;
		case FPR_NEGINF: up = (half || more) && sign; break;
		case FPR_TIEAWAY: up = half; break;
		default: break;
		}
		if (up && ++ip == 0)
			ovf = true;
	}
	mag_max = uns ? (sign ? 0 : umax) : (sign ? 1ULL << (ibits - 1) : umax >> 1);
	if (ovf || ip > mag_max) {
		st->exc |= FPSR_IOC;
		if (uns)
			return sign ? 0 : umax;
		return sign ? (1ULL << (ibits - 1)) & umax : umax >> 1;
	}
	if (half || more)
		st->exc |= FPSR_IXC;
	return (sign ? -ip : ip) & umax;
}

uint64_t fp_round_int(uint64_t a, unsigned int sz, unsigned int rm, bool exact,
		      struct fpst *st)
{
	unsigned int f = fmts[sz].f;
	int bias = (1 << (fmts[sz].e - 1)) - 1, exp, sh;
	uint64_t sig, ip, rest, r;
	bool sign, half, more, up = false;

	a = flush_in(a, sz, st);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	if (is_inf(a, sz) || is_zero(a, sz))
		return a;
	exp = (int)((a & exp_mask(sz)) >> f) - bias;
	if (exp >= (int)f)
		return a;			/* already integral */
	unpack(a, sz, &sign, &exp, &sig);
	sh = 63 - exp;				/* bits below the binary point */
	if (sh >= 64) {
		ip = 0;
		half = sh == 64;
		more = sh == 64 ? (sig << 1) != 0 : true;
	} else {
		ip = sig >> sh;
		rest = sig << (64 - sh);
		half = rest >> 63;
		more = (rest << 1) != 0;
	}
	switch (rm) {
	case FPR_TIEEVEN: up = half && (more || (ip & 1)); break;
	case FPR_POSINF: up = (half || more) && !sign; break;
	case FPR_NEGINF: up = (half || more) && sign; break;
	case FPR_TIEAWAY: up = half; break;
	default: break;
	}
	ip += up;
	if (exact && (half || more))
		st->exc |= FPSR_IXC;
	if (!ip)
		return sign ? fp_sign(sz) : 0;
	{
		struct fpst tmp = { 0, 0 };

		r = fp_from_fixed(ip, 64, 0, true, sz, FPR_ZERO, &tmp);	/* exact */
	}
	return r | (sign ? fp_sign(sz) : 0);
}

/*
 * FPRoundIntN: round to an integral value in rm that must fit intsize
 * bits signed; NaNs, infinities and what does not fit give -2^(intsize-1)
 * and Invalid Operation (no Inexact).
 */
uint64_t fp_round_int_n(uint64_t a, unsigned int sz, unsigned int rm, unsigned int intsize,
			struct fpst *st)
{
	unsigned int f = fmts[sz].f;
	int bias = (1 << (fmts[sz].e - 1)) - 1;
	uint64_t most_neg = fp_sign(sz) | (uint64_t)(bias + (int)intsize - 1) << f, r;
	struct fpst t = { st->fpcr, 0 };

	a = flush_in(a, sz, st);
	if ((a & exp_mask(sz)) == exp_mask(sz)) {
		st->exc |= FPSR_IOC;
		return most_neg;
	}
	if (is_zero(a, sz))
		return a;
	r = fp_round_int(a, sz, rm, true, &t);
	/* |r| < 2^(intsize-1), or exactly -2^(intsize-1) */
	if (r != most_neg &&
	    (int)((r & exp_mask(sz)) >> f) - bias >= (int)intsize - 1) {
		st->exc |= FPSR_IOC;
		return most_neg;
	}
	st->exc |= t.exc & FPSR_IXC;
	return r;
}

/*
 * FPToFixedJS: double to a 32-bit integer as JavaScript's ToInt32 (round
 * toward zero, modulo 2^32); Z when the conversion was exact and in range.
 */
uint32_t fp_to_js(uint64_t a, bool *z, struct fpst *st)
{
	uint64_t sig, ip = 0, lo, orig = a;
	bool sign, inexact = false, range = false;
	int exp;

	a = flush_in(a, 3, st);
	*z = true;
	if (fp_is_nan(a, 3) || is_inf(a, 3)) {
		st->exc |= FPSR_IOC;
		*z = false;
		return 0;
	}
	sign = is_neg(a, 3);
	if (is_zero(a, 3)) {
		/* -0, or a positive denormal that FZ flushed */
		if (sign || (orig & frac_mask(3)))
			*z = false;
		return 0;
	}
	unpack(a, 3, &sign, &exp, &sig);
	if (exp < 0) {
		inexact = true;
	} else if (exp <= 63) {
		ip = sig >> (63 - exp);
		inexact = exp < 63 && (sig << (exp + 1)) != 0;
		range = sign ? ip > 0x80000000ULL : ip > 0x7fffffffULL;
	} else {
		/* beyond 2^63: the low 32 bits of the integer part */
		ip = exp - 63 >= 32 ? 0 : sig << (exp - 63);
		range = true;
	}
	lo = sign ? -ip : ip;
	if (range) {
		st->exc |= FPSR_IOC;
		*z = false;
	} else if (inexact) {
		st->exc |= FPSR_IXC;
		*z = false;
	}
	return (uint32_t)lo;
}

/* FPConvertNaN of a processed half NaN to single */
static uint32_t nan_h_to_s(uint64_t a)
{
	return (uint32_t)((is_neg(a, 1) ? fp_sign(2) : 0) | exp_mask(2) | quiet_bit(2) |
			  (a & frac_mask(1)) << 13);
}

/* A half-precision number (no NaN) as the single of the same value */
static uint64_t half_to_single(uint64_t a)
{
	bool sign = is_neg(a, 1);
	uint64_t s = sign ? fp_sign(2) : 0, sig;
	int exp;

	if (is_zero(a, 1))
		return s;
	if (is_inf(a, 1))
		return s | exp_mask(2);
	unpack(a, 1, &sign, &exp, &sig);
	return s | (uint64_t)(exp + 127) << 23 | ((sig << 1) >> 41);
}

uint32_t fp_muladd_h(uint32_t addend, uint16_t a, uint16_t b, struct fpst *st)
{
	uint64_t c = flush_in(addend, 2, st), x = flush_in(a, 1, st), y = flush_in(b, 1, st);
	bool inf_zero = (is_inf(x, 1) && is_zero(y, 1)) || (is_zero(x, 1) && is_inf(y, 1));
	uint64_t r;

	/* FPProcessNaNs3H: signalling before quiet, the addend first */
	if (is_snan(c, 2))
		return (uint32_t)process_nan(c, 2, st);
	if (is_snan(x, 1))
		return nan_h_to_s(process_nan(x, 1, st));
	if (is_snan(y, 1))
		return nan_h_to_s(process_nan(y, 1, st));
	if (fp_is_nan(c, 2)) {
		r = process_nan(c, 2, st);
		/* a quiet NaN addend does not hide the invalid 0 * inf */
		if (inf_zero) {
			st->exc |= FPSR_IOC;
			r = default_nan(2);
		}
		return (uint32_t)r;
	}
	if (fp_is_nan(x, 1))
		return nan_h_to_s(process_nan(x, 1, st));
	if (fp_is_nan(y, 1))
		return nan_h_to_s(process_nan(y, 1, st));
	return (uint32_t)host_arith(H_FMA, 2, half_to_single(x), half_to_single(y), c, st);
}

/* FPScale: a * 2^n, rounded once (FSCALE) */
uint64_t fp_scale(uint64_t a, int64_t n, unsigned int sz, struct fpst *st)
{
	uint64_t sig;
	bool sign;
	int exp;

	a = flush_in(a, sz, st);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	if (is_inf(a, sz) || is_zero(a, sz))
		return a;
	unpack(a, sz, &sign, &exp, &sig);
	/* beyond +-4096 the result is an overflow or all underflow anyway */
	n = n > 4096 ? 4096 : n < -4096 ? -4096 : n;
	return round_pack(sign, exp + (int)n, sig, false, sz, fp_rmode_of(st),
			  flush_out(sz, st), false, st);
}

/* ---- reciprocal and square-root estimates and steps ----------------------------- */

static unsigned int recip_estimate(unsigned int a)
{
	unsigned int b;

	a = a * 2 + 1;
	b = (1u << 19) / a;
	return (b + 1) / 2;
}

static unsigned int rsqrt_estimate(unsigned int a)
{
	unsigned int b = 512;

	if (a < 256) {
		a = a * 2 + 1;
	} else {
		a = (a >> 1) << 1;
		a = (a + 1) * 2;
	}
	while ((uint64_t)a * (b + 1) * (b + 1) < (1ULL << 28))
		b++;
	return (b + 1) / 2;
}

uint64_t fp_recpe(uint64_t a, unsigned int sz, struct fpst *st)
{
	int bias = (1 << (fmts[sz].e - 1)) - 1, exp, rexp;
	uint64_t frac, fraction;
	unsigned int est;
	bool sign;

	a = flush_in(a, sz, st);
	sign = is_neg(a, sz);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	if (is_inf(a, sz))
		return sign ? fp_sign(sz) : 0;
	if (is_zero(a, sz)) {
		st->exc |= FPSR_DZC;
		return fp_inf(sign, sz);
	}
	frac = (a & frac_mask(sz)) << (52 - fmts[sz].f);
	exp = (int)((a & exp_mask(sz)) >> fmts[sz].f);
	/* |value| < 2^-16, 2^-128 or 2^-1024: the estimate overflows */
	if (exp == 0 && !(frac >> 50)) {
		unsigned int rm = fp_rmode_of(st);
		bool to_inf = rm == FPR_TIEEVEN || (rm == FPR_POSINF && !sign) ||
			      (rm == FPR_NEGINF && sign);

		st->exc |= FPSR_OFC | FPSR_IXC;
		return to_inf ? fp_inf(sign, sz) : fp_max_normal(sign, sz);
	}
	if (flush_out(sz, st) && exp >= 2 * bias - 1) {
		st->exc |= FPSR_UFC;
		return sign ? fp_sign(sz) : 0;
	}
	if (exp == 0) {
		if (!(frac >> 51)) {
			exp = -1;
			frac = (frac << 2) & frac_mask(3);
		} else {
			frac = (frac << 1) & frac_mask(3);
		}
	}
	est = recip_estimate(0x100 | (unsigned int)(frac >> 44));
	rexp = 2 * bias - 1 - exp;
	fraction = (uint64_t)(est & 0xff) << 44;
	if (rexp == 0) {
		fraction = (1ULL << 51) | (fraction >> 1);
	} else if (rexp == -1) {
		fraction = (1ULL << 50) | (fraction >> 2);
		rexp = 0;
	}
	return (sign ? fp_sign(sz) : 0) | (((uint64_t)rexp << fmts[sz].f) & exp_mask(sz)) |
	       (fraction >> (52 - fmts[sz].f));
}

uint64_t fp_rsqrte(uint64_t a, unsigned int sz, struct fpst *st)
{
	int bias = (1 << (fmts[sz].e - 1)) - 1, exp, rexp;
	unsigned int scaled, est;
	uint64_t frac;

	a = flush_in(a, sz, st);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	if (is_zero(a, sz)) {
		st->exc |= FPSR_DZC;
		return fp_inf(is_neg(a, sz), sz);
	}
	if (is_neg(a, sz)) {
		st->exc |= FPSR_IOC;
		return default_nan(sz);
	}
	if (is_inf(a, sz))
		return 0;
	frac = (a & frac_mask(sz)) << (52 - fmts[sz].f);
	exp = (int)((a & exp_mask(sz)) >> fmts[sz].f);
	if (exp == 0) {
		while (!(frac >> 51)) {
			frac = (frac << 1) & frac_mask(3);
			exp--;
		}
		frac = (frac << 1) & frac_mask(3);
	}
	if (!(exp & 1))
		scaled = 0x100 | (unsigned int)(frac >> 44);
	else
		scaled = 0x80 | (unsigned int)(frac >> 45);
	rexp = (3 * bias - 1 - exp) / 2;
	est = rsqrt_estimate(scaled);
	return (((uint64_t)rexp << fmts[sz].f) & exp_mask(sz)) |
	       ((uint64_t)(est & 0xff) << (fmts[sz].f - 8));
}

/* FPRecipStepFused: 2 - a * b; FPRSqrtStepFused: (3 - a * b) / 2 */
static uint64_t step_fused(uint64_t a, uint64_t b, unsigned int sz, bool rsqrt,
			   struct fpst *st)
{
	uint64_t r, k;

	a = flush_in(fp_neg(a, sz), sz, st);
	b = flush_in(b, sz, st);
	if (process_nans(a, b, sz, st, &r))
		return r;
	if ((is_inf(a, sz) && is_zero(b, sz)) || (is_zero(a, sz) && is_inf(b, sz)))
		return rsqrt ? fp_one_half(sz) : fp_two(sz);
	if (is_inf(a, sz) || is_inf(b, sz))
		return fp_inf(is_neg(a, sz) != is_neg(b, sz), sz);
	if (!rsqrt)
		return host_arith(H_FMA, sz, a, b, fp_two(sz), st);
	/* (3 + a*b) / 2 rounded once: halve an operand exactly instead */
	k = fp_one_half(sz);
	if (((a & exp_mask(sz)) >> fmts[sz].f) > 1)
		a -= min_normal(sz);
	else if (((b & exp_mask(sz)) >> fmts[sz].f) > 1)
		b -= min_normal(sz);
	else {
		/* both tiny: 3 + a*b is near 3, halving it is exact */
		r = host_arith(H_FMA, sz, a, b, k + min_normal(sz), st);
		return r - min_normal(sz);
	}
	return host_arith(H_FMA, sz, a, b, k, st);
}

uint64_t fp_recps(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return step_fused(a, b, sz, false, st);
}

uint64_t fp_rsqrts(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st)
{
	return step_fused(a, b, sz, true, st);
}

uint64_t fp_recpx(uint64_t a, unsigned int sz, struct fpst *st)
{
	uint64_t e;

	a = flush_in(a, sz, st);
	if (fp_is_nan(a, sz))
		return process_nan(a, sz, st);
	e = a & exp_mask(sz);
	if (!e)
		return (a & fp_sign(sz)) | (exp_mask(sz) - min_normal(sz));
	return (a & fp_sign(sz)) | (~e & exp_mask(sz));
}

uint32_t fp_urecpe(uint32_t a)
{
	if (!(a >> 31))
		return 0xffffffffu;
	return (uint32_t)recip_estimate(a >> 23) << 23;
}

uint32_t fp_ursqrte(uint32_t a)
{
	if (!(a >> 30))
		return 0xffffffffu;
	return (uint32_t)rsqrt_estimate(a >> 23) << 23;
}
