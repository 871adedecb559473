/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IEEE 754 half, single and double precision as the Arm ARM's FP
 * pseudocode defines it (FPAdd, FPMulAdd, FPRound, FPToFixed,
 * FPRecipEstimate...): FPCR.RMode, FZ (single, double), FZ16 (half) and
 * DN honoured, AHP where FPConvert reads it, exceptions accumulated as
 * FPSR cumulative bits.  Values travel as raw bit patterns; sz is log2 of
 * the element size in bytes (1: half, 2: single, 3: double).
 */
#ifndef VKVM_CPU_FP_H
#define VKVM_CPU_FP_H

#include <stdbool.h>
#include <stdint.h>

#define FPSR_IOC	(1u << 0)
#define FPSR_DZC	(1u << 1)
#define FPSR_OFC	(1u << 2)
#define FPSR_UFC	(1u << 3)
#define FPSR_IXC	(1u << 4)
#define FPSR_IDC	(1u << 7)
#define FPSR_QC		(1u << 27)

#define FPCR_FZ16	(1u << 19)
#define FPCR_RMODE_SHIFT 22
#define FPCR_FZ		(1u << 24)
#define FPCR_DN		(1u << 25)
#define FPCR_AHP	(1u << 26)

/* Rounding modes: FPCR.RMode's four, then ties-away (FCVTA*, FRINTA). */
enum fp_rmode { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO, FPR_TIEAWAY };

/* The FP context of one instruction: FPCR in, FPSR cumulative bits out. */
struct fpst {
	uint32_t fpcr;
	uint32_t exc;
};

static inline unsigned int fp_rmode_of(const struct fpst *st)
{
	return (st->fpcr >> FPCR_RMODE_SHIFT) & 3;
}

static inline uint64_t fp_sign(unsigned int sz)
{
	return sz == 3 ? 1ULL << 63 : sz == 2 ? 1ULL << 31 : 1ULL << 15;
}

static inline uint64_t fp_neg(uint64_t a, unsigned int sz)
{
	return a ^ fp_sign(sz);
}

static inline uint64_t fp_abs(uint64_t a, unsigned int sz)
{
	return a & ~fp_sign(sz);
}

bool fp_is_nan(uint64_t a, unsigned int sz);

/* The host FPU state the engine's FP arithmetic needs, from the start of
 * an FP instruction (fpst_begin) to the end of cpu_run(). */
void fp_host_enter(const struct fpst *st);
void fp_host_leave(void);

uint64_t fp_add(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_sub(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_mul(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_mulx(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_div(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_sqrt(uint64_t a, unsigned int sz, struct fpst *st);
/* addend + a * b, rounded once */
uint64_t fp_muladd(uint64_t addend, uint64_t a, uint64_t b, unsigned int sz,
		   struct fpst *st);
uint64_t fp_max(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_min(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_maxnm(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_minnm(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);

/* FPCompare: NZCV in bits 3:0; signal: any NaN raises IOC (FCMPE) */
unsigned int fp_compare(uint64_t a, uint64_t b, unsigned int sz, bool signal,
			struct fpst *st);
bool fp_cmp_eq(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
bool fp_cmp_ge(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
bool fp_cmp_gt(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);

/* FPConvert between sizes 1 (half), 2 and 3. */
uint64_t fp_convert(uint64_t a, unsigned int from, unsigned int to, struct fpst *st);
/* FPConvert to single with round-to-odd (FCVTXN) */
uint64_t fp_convert_odd(uint64_t a, struct fpst *st);
/* FPToFixed: fbits fraction bits, result of ibits (32/64) bits */
uint64_t fp_to_fixed(uint64_t a, unsigned int sz, unsigned int fbits, bool uns,
		     unsigned int ibits, unsigned int rmode, struct fpst *st);
/* FixedToFP: v holds ibits significant bits */
uint64_t fp_from_fixed(uint64_t v, unsigned int ibits, unsigned int fbits, bool uns,
		       unsigned int sz, unsigned int rmode, struct fpst *st);
/* FPRoundInt; exact: signal IXC (FRINTX) */
uint64_t fp_round_int(uint64_t a, unsigned int sz, unsigned int rmode, bool exact,
		      struct fpst *st);

/* FPRoundIntN (FRINT32Z/X, FRINT64Z/X): S and D, intsize 32 or 64 */
uint64_t fp_round_int_n(uint64_t a, unsigned int sz, unsigned int rm, unsigned int intsize,
			struct fpst *st);
/* FPToFixedJS (FJCVTZS): the low 32 bits; *z: the Z flag */
uint32_t fp_to_js(uint64_t a, bool *z, struct fpst *st);
/* FPMulAddH (FMLAL, FMLSL): single addend + half a * half b, rounded once */
uint32_t fp_muladd_h(uint32_t addend, uint16_t a, uint16_t b, struct fpst *st);

/* FPScale: a * 2^n (FSCALE) */
uint64_t fp_scale(uint64_t a, int64_t n, unsigned int sz, struct fpst *st);

uint64_t fp_recpe(uint64_t a, unsigned int sz, struct fpst *st);
uint64_t fp_rsqrte(uint64_t a, unsigned int sz, struct fpst *st);
uint64_t fp_recps(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_rsqrts(uint64_t a, uint64_t b, unsigned int sz, struct fpst *st);
uint64_t fp_recpx(uint64_t a, unsigned int sz, struct fpst *st);
/* UnsignedRecipEstimate / UnsignedRSqrtEstimate (URECPE, URSQRTE) */
uint32_t fp_urecpe(uint32_t a);
uint32_t fp_ursqrte(uint32_t a);

#endif
