/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIMD&FP register file as exec_fp.c and exec_simd.c see it: V<n> is
 * the low 128 bits of Z<n>, and every write of a V register (or of its
 * scalar B/H/S/D view) zeroes the bits above what it writes, up to the
 * top of Z<n> (Arm ARM: "the unused upper bits are cleared").
 */
#ifndef VKVM_CPU_VREG_H
#define VKVM_CPU_VREG_H

#include "internal.h"
#include "fp.h"

/* the 128-bit V register as two 64-bit halves */
static inline void vread(const struct cpu_state *s, unsigned int n, uint64_t v[2])
{
	memcpy(v, s->z[n], 16);
}

/* write the low 16 bytes (or 8 when !q, zeroing the upper half) */
static inline void vwrite(struct cpu_state *s, unsigned int n, const uint64_t v[2], bool q)
{
	memcpy(s->z[n], v, q ? 16 : 8);
	memset(s->z[n] + (q ? 16 : 8), 0, sizeof(s->z[n]) - (q ? 16 : 8));
}

/* the scalar B/H/S/D of V<n> */
static inline uint64_t vscalar(const struct cpu_state *s, unsigned int n, unsigned int sz)
{
	uint64_t v;

	memcpy(&v, s->z[n], 8);
	return sz == 3 ? v : v & ((1ULL << (8u << sz)) - 1);
}

static inline void vset_scalar(struct cpu_state *s, unsigned int n, uint64_t v,
			       unsigned int sz)
{
	uint64_t w[2] = { sz == 3 ? v : v & ((1ULL << (8u << sz)) - 1), 0 };

	vwrite(s, n, w, true);
}

/* element e of size 1 << sz bytes in a 16-byte vector */
static inline uint64_t elem(const uint64_t *v, unsigned int e, unsigned int sz)
{
	const uint8_t *b = (const uint8_t *)v + (e << sz);

	switch (sz) {
	case 0: return *b;
	case 1: { uint16_t x; memcpy(&x, b, 2); return x; }
	case 2: { uint32_t x; memcpy(&x, b, 4); return x; }
	default: { uint64_t x; memcpy(&x, b, 8); return x; }
	}
}

static inline void set_elem(uint64_t *v, unsigned int e, unsigned int sz, uint64_t x)
{
	uint8_t *b = (uint8_t *)v + (e << sz);

	switch (sz) {
	case 0: *b = (uint8_t)x; break;
	case 1: { uint16_t y = (uint16_t)x; memcpy(b, &y, 2); break; }
	case 2: { uint32_t y = (uint32_t)x; memcpy(b, &y, 4); break; }
	default: memcpy(b, &x, 8); break;
	}
}

static inline void fpst_begin(struct fpst *st, const struct cpu_state *s)
{
	st->fpcr = s->fpcr;
	st->exc = 0;
	fp_host_enter(st);		/* fp.c: the host FPU for this instruction */
}

static inline void fpst_end(struct cpu_state *s, const struct fpst *st)
{
	s->fpsr |= st->exc;
}

/* VFPExpandImm */
static inline uint64_t vfp_expand_imm(unsigned int imm8, unsigned int sz)
{
	uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, lo = imm8 & 0x3f;

	if (sz == 3)
		return sign << 63 | (b6 ^ 1) << 62 | (b6 ? 0xffULL << 54 : 0) | lo << 48;
	if (sz == 2)
		return sign << 31 | (b6 ^ 1) << 30 | (b6 ? 0x1fULL << 25 : 0) | lo << 19;
	return sign << 15 | (b6 ^ 1) << 14 | (b6 ? 0x3ULL << 12 : 0) | lo << 6;
}

/*
 * The handler exec_NAME of a row whose semantics is a family's helper,
 * given the element operation and the fields the row fixes (exec_fp.c,
 * exec_simd.c): V_ROW(FADD_s, fp_2src, fp_add) is FADD (scalar).
 */
#define V_ROW(NAME, helper, ...)					\
static int exec_##NAME(struct cpu *c, const struct dinsn *d)		\
{									\
	return helper(c, d, __VA_ARGS__);				\
}

#define V_INLINE	static ALWAYS_INLINE

/* Floating-point element operations (fp.c), on one or two operands of
 * size sz (1 H, 2 S, 3 D). */
typedef uint64_t fop1_fn(uint64_t a, unsigned int sz, struct fpst *st);
typedef uint64_t fop2_fn(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);

/* FABS, FNEG as fop1_fn */
static inline uint64_t f_abs(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_abs(a, sz);
}

static inline uint64_t f_neg(uint64_t a, unsigned int sz, struct fpst *st)
{
	return fp_neg(a, sz);
}

/* FRINT<r>: a fixed rounding mode, or FPCR's (FPR_FPCR), exact or not */
#define FPR_FPCR	8u

static inline uint64_t f_rint(uint64_t a, unsigned int sz, struct fpst *st,
			      unsigned int rm, bool exact)
{
	return fp_round_int(a, sz, rm == FPR_FPCR ? fp_rmode_of(st) : rm, exact, st);
}

#define F_RINT(name, rm, exact)						\
static inline uint64_t name(uint64_t a, unsigned int sz, struct fpst *st)	\
{									\
	return f_rint(a, sz, st, rm, exact);				\
}
F_RINT(f_rintn, FPR_TIEEVEN, false)
F_RINT(f_rintp, FPR_POSINF, false)
F_RINT(f_rintm, FPR_NEGINF, false)
F_RINT(f_rintz, FPR_ZERO, false)
F_RINT(f_rinta, FPR_TIEAWAY, false)
F_RINT(f_rintx, FPR_FPCR, true)
F_RINT(f_rinti, FPR_FPCR, false)

/* FRINT32Z, FRINT32X, FRINT64Z, FRINT64X (FEAT_FRINTTS): FPRoundIntN */
#define F_RINT_N(name, rm, intsize)					\
static inline uint64_t name(uint64_t a, unsigned int sz, struct fpst *st)	\
{									\
	return fp_round_int_n(a, sz, rm == FPR_FPCR ? fp_rmode_of(st) : rm, intsize, st); \
}
F_RINT_N(f_rint32z, FPR_ZERO, 32)
F_RINT_N(f_rint32x, FPR_FPCR, 32)
F_RINT_N(f_rint64z, FPR_ZERO, 64)
F_RINT_N(f_rint64x, FPR_FPCR, 64)

#endif
