// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of vkvm's SVE instructions against qemu-aarch64 (the
 * approach of tests/fpdiff): for each vector length and class, generate N
 * seeded cases of random SVE instructions, run them all in one
 * qemu-aarch64 process (svd_runner, -cpu max,sve-max-vq=VQ,
 * sve-default-vector-length=VL; runs of at most DIFF_CHUNK cases) and
 * one after another in a vkvm VM whose
 * vCPU has KVM_ARM_VCPU_SVE, KVM_REG_ARM64_SVE_VLS cut at VQ, finalized,
 * CPACR_EL1.ZEN/FPEN open and ZCR_EL1.LEN = 15; compare X0-X30, NZCV,
 * FPCR, FPSR, Z0-Z31, P0-P15, FFR (at the vector length), the data buffer
 * and the fault.  TAP, one point per length and class.
 *
 *   svediff [-s SEED] [-n CASES] [-l VLBITS] [-c CLASS] [-i INDEX] [-k K] [-m MAXSHOW] [-v]
 *           [-R RUNNER] [-Q QEMU]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "difftest.h"
#include "svecase.h"

/* ---- generator ------------------------------------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int R(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static unsigned int xr(void)	{ return R(27); }	/* x0-x26: x27 index, x28 base */
static unsigned int zr(void)	{ return R(32); }
static unsigned int pg3(void)	{ return R(8); }
static unsigned int pr(void)	{ return R(16); }

enum {
	C_VL, C_PRED, C_LDST, C_INT, C_CMP, C_REDUCE, C_FP, C_INCDEC, C_PERM, C_SHIFT, C_UNARY,
	C_EXTRACT, C_BRK, C_INCP, C_ADR, C_DOT, C_FPU, C_FCVT, C_FCMP, C_FPIMM, C_FPX, C_FPH,
	C_I8MM, C_BF16, C_GATHER, C_SCATTER, C_FFNF, C_LDN, C_LDNT, C_LD1RQ, C_PRF, C_FPHX, C_NR
};
static const char *const class_names[C_NR] = {
	"vl", "pred", "ldst", "int", "cmp", "reduce", "fp", "incdec", "perm", "shift",
	"unary", "extract", "brk", "incp", "adr", "dot", "fpunary", "fpcvt", "fpcmp", "fpimm",
	"fpx", "fph", "i8mm", "bf16", "gather", "scatter", "ffnf", "ldn", "ldnt", "ld1rq",
	"prf", "fphx",
};

/* the classes of FP instructions: FP operands and FPCR modes (gen_case) */
static bool fp_class(int cls)
{
	return cls == C_FP || cls == C_REDUCE || (cls >= C_FPU && cls != C_I8MM);
}

static bool logic_imm_ok(unsigned int n, unsigned int immr, unsigned int imms)
{
	unsigned int comb = n << 6 | (~imms & 0x3f), len, levels;

	(void)immr;
	if (!comb)
		return false;
	len = 31 - (unsigned int)__builtin_clz(comb);
	if (len < 1)
		return false;
	levels = (1u << len) - 1;
	return (imms & levels) != levels;
}

static uint32_t gen_vl(void)
{
	unsigned int sz = R(4);

	switch (R(8)) {
	case 0: return 0x04bf5000 | R(64) << 5 | xr();
	case 1: return 0x04205000 | R(2) << 22 | xr() << 16 | R(64) << 5 | xr();
	case 2: return 0x0420e000 | sz << 22 | R(16) << 16 | R(32) << 5 | xr();
	case 3: return 0x0430e000 | sz << 22 | R(16) << 16 | R(2) << 10 | R(32) << 5 | xr();
	case 4: return 0x2518e000 | sz << 22 | R(2) << 16 | R(32) << 5 | pr();
	case 5: return 0x25208000 | sz << 22 | R(16) << 10 | pr() << 5 | xr();
	case 6: return 0x252c8800 | sz << 22 | R(2) << 16 | pr() << 5 | xr();
	default: return 0x2518e000 | sz << 22 | 31 << 5 | pr();	/* ptrue all */
	}
}

static uint32_t gen_pred(void)
{
	unsigned int sz = R(4), op;

	switch (R(12)) {
	case 0: return 0x2518e400 | pr();
	case 1: return 0x252c9000;
	case 2: return 0x2519f000 | pr();
	case 3: return 0x2518f000 | R(2) << 22 | pr() << 5 | pr();
	case 4: return 0x25289000 | pr() << 5;
	case 5: return 0x2550c000 | pr() << 10 | pr() << 5;
	case 6: case 7:
		do
			op = R(16);
		while (op == 7);	/* SELS */
		return 0x25004000 | (op >> 3) << 23 | ((op >> 2) & 1) << 22 | pr() << 16 |
		       pr() << 10 | ((op >> 1) & 1) << 9 | pr() << 5 | (op & 1) << 4 | pr();
	case 8: {
		unsigned int b = R(2), s = R(2), m = s ? 0 : R(2);

		return 0x25104000 | b << 23 | s << 22 | pr() << 10 | pr() << 5 | m << 4 | pr();
	}
	case 9: return 0x2558c000 | pr() << 5 | pr();
	case 10: return 0x2519c400 | sz << 22 | pr() << 5 | pr();
	default:	/* WHILE* on x0-x7, which hold small values */
		return 0x25200400 | sz << 22 | R(8) << 16 | R(2) << 12 | R(2) << 11 |
		       R(8) << 5 | R(2) << 4 | pr();
	}
}

static uint32_t gen_ldst(void)
{
	unsigned int imm9 = (unsigned int)(R(8) - 4) & 0x1ff, msz = R(4), esz;

	switch (R(9)) {
	case 0: return 0x85804000 | (imm9 >> 3) << 16 | (imm9 & 7) << 10 | 28 << 5 | zr();
	case 1: return 0x85800000 | (imm9 >> 3) << 16 | (imm9 & 7) << 10 | 28 << 5 | pr();
	case 2: return 0xe5804000 | (imm9 >> 3) << 16 | (imm9 & 7) << 10 | 28 << 5 | zr();
	case 3: return 0xe5800000 | (imm9 >> 3) << 16 | (imm9 & 7) << 10 | 28 << 5 | pr();
	case 4: return 0xa4004000 | R(16) << 21 | 27 << 16 | pg3() << 10 | 28 << 5 | zr();
	case 5: return 0xa400a000 | R(16) << 21 | (R(8) - 4u) % 16 << 16 | pg3() << 10 |
		       28 << 5 | zr();
	case 6:
		esz = msz + R(4 - msz);
		return 0xe4004000 | msz << 23 | esz << 21 | 27 << 16 | pg3() << 10 | 28 << 5 | zr();
	case 7:
		esz = msz + R(4 - msz);
		return 0xe400e000 | msz << 23 | esz << 21 | (R(8) - 4u) % 16 << 16 | pg3() << 10 |
		       28 << 5 | zr();
	default:
		return 0x84408000 | R(4) << 23 | R(64) << 16 | R(4) << 13 | pg3() << 10 |
		       28 << 5 | zr();
	}
}

static uint32_t gen_int(void)
{
	unsigned int sz = R(4), op, n, immr, imms;

	switch (R(20)) {
	case 0: return 0x05203800 | sz << 22 | R(31) << 5 | zr();
	case 1: return 0x2538c000 | sz << 22 | (sz ? R(2) : 0) << 13 | R(256) << 5 | zr();
	case 2: return 0x2539c000 | (2 + R(2)) << 22 | R(256) << 5 | zr();
	case 3: {	/* DUP (indexed) of B, H, S, D and Q (tsz 10000) elements */
		unsigned int tsz, esz = R(5);

		tsz = (1u << esz | R(32) << (esz + 1)) & 31;
		return 0x05202000 | R(4) << 22 | tsz << 16 | zr() << 5 | zr();
	}
	case 4: return 0x04204000 | sz << 22 | R(32) << 16 | R(4) << 10 | R(8) << 5 | zr();
	case 5: return 0x0528a000 | sz << 22 | pg3() << 10 | R(31) << 5 | zr();
	case 6: return 0x05208000 | sz << 22 | pg3() << 10 | zr() << 5 | zr();
	case 7: return 0x05100000 | sz << 22 | pr() << 16 | R(2) << 14 |
		       (sz ? R(2) : 0) << 13 | R(256) << 5 | zr();
	case 8: return 0x0520c000 | sz << 22 | zr() << 16 | pr() << 10 | zr() << 5 | zr();
	case 9: return 0x0420bc00 | zr() << 5 | zr();
	case 10: return 0x04102000 | sz << 22 | R(2) << 16 | pg3() << 10 | zr() << 5 | zr();
	case 11: {
		static const uint8_t ok[] = { 0, 1, 3, 8, 9, 10, 11, 12, 13, 16, 18, 19,
					      20, 21, 22, 23, 24, 25, 26, 27 };

		op = ok[R(sizeof(ok))];
		if (op >= 20 && op <= 23 && sz < 2)
			sz += 2;
		return 0x04000000 | sz << 22 | op << 16 | pg3() << 10 | zr() << 5 | zr();
	}
	case 12: {
		static const uint8_t ok[] = { 0, 1, 4, 5, 6, 7 };

		return 0x04200000 | sz << 22 | zr() << 16 | ok[R(6)] << 10 | zr() << 5 | zr();
	}
	case 13: return 0x04203000 | R(4) << 22 | zr() << 16 | zr() << 5 | zr();
	case 14: {
		static const uint8_t ok[] = { 0, 1, 3, 4, 5, 6, 7 };

		return 0x2520c000 | sz << 22 | ok[R(7)] << 16 | (sz ? R(2) : 0) << 13 |
		       R(256) << 5 | zr();
	}
	case 15: return 0x2528c000 | sz << 22 | R(4) << 16 | R(256) << 5 | zr();
	case 16: return 0x2530c000 | sz << 22 | R(256) << 5 | zr();
	case 17:
		do {
			n = R(2);
			immr = R(64);
			imms = R(64);
		} while (!logic_imm_ok(n, immr, imms));
		return 0x05000000 | R(4) << 22 | n << 17 | immr << 11 | imms << 5 | zr();
	case 18: return 0x04004000 | sz << 22 | zr() << 16 | R(2) << 13 | pg3() << 10 |
			zr() << 5 | zr();
	default: return 0x0400c000 | sz << 22 | zr() << 16 | R(2) << 13 | pg3() << 10 |
			zr() << 5 | zr();
	}
}

static uint32_t gen_cmp(void)
{
	unsigned int sz = R(4), pd = pr(), g = pg3();

	switch (R(5)) {
	case 0: {	/* vectors: HS HI GE GT EQ NE */
		static const uint16_t f[] = { 0x0000, 0x0010, 0x8000, 0x8010, 0xa000, 0xa010 };

		return 0x24000000 | sz << 22 | zr() << 16 | f[R(6)] | g << 10 | zr() << 5 | pd;
	}
	case 1:	/* wide */
		sz = R(3);
		if (R(4) == 0)
			return 0x24002000 | sz << 22 | zr() << 16 | R(2) << 4 | g << 10 | zr() << 5 | pd;
		return 0x24004000 | sz << 22 | zr() << 16 | R(2) << 15 | R(2) << 13 | R(2) << 4 |
		       g << 10 | zr() << 5 | pd;
	case 2: {
		unsigned int k = R(6);

		return 0x25000000 | sz << 22 | R(32) << 16 | (k >> 2) << 15 | ((k >> 1) & 1) << 13 |
		       (k & 1) << 4 | g << 10 | zr() << 5 | pd;
	}
	default:
		return 0x24200000 | sz << 22 | R(128) << 14 | R(2) << 13 | R(2) << 4 | g << 10 |
		       zr() << 5 | pd;
	}
}

static uint32_t gen_reduce(void)
{
	static const uint8_t ops[] = { 0, 1, 8, 9, 10, 11, 24, 25, 26 };
	static const uint8_t fops[] = { 0, 4, 5, 6, 7 };
	unsigned int sz = R(4), op;

	switch (R(4)) {
	case 0: case 1:
		op = ops[R(9)];
		if (op == 0 && sz == 3)
			sz = R(3);
		return 0x04002000 | sz << 22 | op << 16 | pg3() << 10 | zr() << 5 | zr();
	case 2:
		return 0x65002000 | (2 + R(2)) << 22 | fops[R(5)] << 16 | pg3() << 10 | zr() << 5 |
		       zr();
	default:
		return 0x65182000 | (2 + R(2)) << 22 | pg3() << 10 | zr() << 5 | zr();
	}
}

static uint32_t gen_fp(void)
{
	static const uint8_t uops[] = { 0, 1, 2, 6, 7 };
	static const uint8_t pops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13 };
	unsigned int sz = 2 + R(2);

	switch (R(4)) {
	case 0: return 0x65000000 | sz << 22 | zr() << 16 | uops[R(5)] << 10 | zr() << 5 | zr();
	case 1: return 0x65008000 | sz << 22 | pops[R(12)] << 16 | pg3() << 10 | zr() << 5 | zr();
	default: return 0x65200000 | sz << 22 | zr() << 16 | R(4) << 13 | pg3() << 10 |
			zr() << 5 | zr();
	}
}

/*
 * half precision: the fp class's arithmetic, the FP reductions, the
 * unary forms (FRINT*, FRECPX, FSQRT, FRECPE, FRSQRTE), the compares, the
 * immediate forms, FTSMUL, FSCALE, FCADD and FCMLA on .H
 */
static uint32_t gen_fph(void)
{
	static const uint8_t uops[] = { 0, 1, 2, 6, 7 };
	static const uint8_t pops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13 };
	static const uint8_t fops[] = { 0, 4, 5, 6, 7 };
	static const uint8_t rops[] = { 0, 1, 2, 3, 4, 6, 7, 12, 13 };
	static const uint32_t cmps[] = { 0x65404000, 0x65404010, 0x65406000, 0x65406010,
					 0x6540c000, 0x6540c010, 0x6540e010 };
	static const uint32_t cmp0[] = { 0x65502000, 0x65502010, 0x65512000, 0x65512010,
					 0x65522000, 0x65532000 };

	switch (R(12)) {
	case 10:
		switch (R(4)) {
		case 0: return 0x65400c00 | zr() << 16 | zr() << 5 | zr();	/* FTSMUL */
		case 1: return 0x65498000 | pg3() << 10 | zr() << 5 | zr();	/* FSCALE */
		case 2: return 0x64408000 | R(2) << 16 | pg3() << 10 | zr() << 5 | zr();
		default: return 0x64400000 | zr() << 16 | R(4) << 13 | pg3() << 10 |
				zr() << 5 | zr();				/* FCMLA */
		}
	case 5: return 0x6540a000 | rops[R(9)] << 16 | pg3() << 10 | zr() << 5 | zr();
	case 6: return 0x654e3000 | R(2) << 16 | zr() << 5 | zr();
	case 7: return cmps[R(7)] | zr() << 16 | pg3() << 10 | zr() << 5 | R(16);
	case 8: return cmp0[R(6)] | pg3() << 10 | zr() << 5 | R(16);
	case 9: return 0x65588000 | R(8) << 16 | pg3() << 10 | R(2) << 5 | zr();
	}
	switch (R(5)) {
	case 0: return 0x65400000 | zr() << 16 | uops[R(5)] << 10 | zr() << 5 | zr();
	case 1: return 0x65408000 | pops[R(12)] << 16 | pg3() << 10 | zr() << 5 | zr();
	case 2: return 0x65402000 | fops[R(5)] << 16 | pg3() << 10 | zr() << 5 | zr();
	case 3: return 0x65582000 | pg3() << 10 | zr() << 5 | zr();
	default: return 0x65600000 | zr() << 16 | R(4) << 13 | pg3() << 10 | zr() << 5 | zr();
	}
}

/*
 * the rest of half precision: SCVTF/UCVTF (.H from 16, 32 and 64-bit
 * integers), FCVTZS/FCVTZU (.H to 16, 32 and 64-bit integers), FTMAD, and
 * the indexed FMLA/FMLS/FMUL (index 22, 20:19) and FCMLA (index 20:19)
 */
static uint32_t gen_fphx(void)
{
	static const uint8_t cvt[] = { 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,	/* SCVTF UCVTF */
				       0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f };	/* FCVTZS FCVTZU */

	switch (R(8)) {
	case 0:
	case 1:
	case 2: return 0x6500a000 | (uint32_t)cvt[R(12)] << 16 | pg3() << 10 | zr() << 5 | zr();
	case 3: return 0x65508000 | R(8) << 16 | zr() << 5 | zr();		/* FTMAD */
	case 4: return 0x64a01000 | R(32) << 16 | R(4) << 10 | zr() << 5 | zr();	/* FCMLA */
	default:	/* FMLA, FMLS, FMUL: index 22, 20:19, Zm 18:16 */
		return 0x64200000 | R(2) << 22 | R(32) << 16 |
		       (R(3) == 0 ? 0x2000 : R(2) << 10) | zr() << 5 | zr();
	}
}

/*
 * Saturating INC/DEC (scalar, 32 and 64-bit), INC/DEC and saturating INC/DEC
 * (vector, H/W/D); registers and elements near the saturation bounds
 * (gen_case).
 */
static uint32_t gen_incdec(void)
{
	unsigned int sz = R(4), pat = R(4) ? R(32) : 31, imm = R(3) ? R(16) : 0;

	switch (R(3)) {
	case 0: case 1:
		return 0x0420f000 | sz << 22 | R(2) << 20 | imm << 16 | R(4) << 10 | pat << 5 | xr();
	default:
		sz = 1 + R(3);
		if (R(2))
			return 0x0430c000 | sz << 22 | imm << 16 | R(2) << 10 | pat << 5 | zr();
		return 0x0420c000 | sz << 22 | imm << 16 | R(4) << 10 | pat << 5 | zr();
	}
}

/*
 * permutes: SUNPKLO/SUNPKHI/UUNPKLO/UUNPKHI, PUNPKLO/PUNPKHI, INSR (Rm with
 * XZR, Vm), REV (vector, predicate), EXT (every imm8: beyond the vector
 * too), ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2 (vectors, predicates)
 */
static uint32_t gen_perm(void)
{
	unsigned int sz = R(4), imm;

	switch (R(8)) {
	case 0: return 0x05304000 | R(2) << 16 | pr() << 5 | pr();
	case 1: return 0x05303800 | (1 + R(3)) << 22 | R(4) << 16 | zr() << 5 | zr();
	case 2: return 0x05243800 | sz << 22 | R(2) << 20 | R(32) << 5 | zr();
	case 3: return 0x05383800 | sz << 22 | zr() << 5 | zr();
	case 4:
		imm = R(256);
		return 0x05200000 | (imm >> 3) << 16 | (imm & 7) << 10 | zr() << 5 | zr();
	case 5: return 0x05206000 | sz << 22 | zr() << 16 | R(6) << 10 | zr() << 5 | zr();
	case 6: return 0x05204000 | sz << 22 | pr() << 16 | R(6) << 10 | pr() << 5 | pr();
	default: return 0x05344000 | sz << 22 | pr() << 5 | pr();
	}
}

/*
 * TBL, COMPACT, SPLICE, LASTA/LASTB (to Rd, Vd), CLASTA/CLASTB (Rdn, Vdn,
 * Zdn), REVB/REVH/REVW/RBIT; predicates with no or one active element and
 * vectors of small indices (gen_case).
 */
static uint32_t gen_extract(void)
{
	static const uint32_t pgz[] = { 0x052c8000, 0x0520a000, 0x05228000, 0x0530a000,
					0x052a8000, 0x05288000 };
	unsigned int sz = R(4), k = R(9), op;

	if (k == 8) {	/* REVB/REVH/REVW/RBIT on elements wider than the unit */
		op = R(4);
		if (op < 3 && sz <= op)
			sz = op + 1 + R(3 - op);
		return 0x05248000 | sz << 22 | op << 16 | pg3() << 10 | zr() << 5 | zr();
	}
	if (k == 0)
		return 0x05203000 | sz << 22 | zr() << 16 | zr() << 5 | zr();
	if (k == 1)
		return 0x05218000 | (2 + R(2)) << 22 | pg3() << 10 | zr() << 5 | zr();
	/* SPLICE, then the A/B pairs (bit 16) */
	return pgz[k - 2] | sz << 22 | (k > 2 ? R(2) : 0) << 16 | pg3() << 10 | zr() << 5 |
	       (k == 3 || k == 5 ? xr() : zr());
}

/* BRKN{S}, BRKPA/BRKPB{S}, CTERMEQ/CTERMNE on x0-x7 (gen_case) */
static uint32_t gen_brk(void)
{
	switch (R(7)) {
	case 0: case 1:
		return 0x25184000 | R(2) << 22 | pr() << 10 | pr() << 5 | pr();
	case 2: case 3: case 4:
		return 0x2500c000 | R(2) << 22 | pr() << 16 | pr() << 10 | pr() << 5 | R(2) << 4 |
		       pr();
	default:
		return 0x25a02000 | R(2) << 22 | R(8) << 16 | R(8) << 5 | R(2) << 4;
	}
}

/*
 * INCP/DECP (scalar, vector) and SQINCP/UQINCP/SQDECP/UQDECP (scalar 32
 * and 64-bit, vector); registers and elements near the bounds (gen_case)
 */
static uint32_t gen_incp(void)
{
	unsigned int sz = R(4), vsz = 1 + R(3);

	switch (R(5)) {
	case 0: case 1:
		return 0x25288800 | sz << 22 | R(4) << 16 | R(2) << 10 | pr() << 5 | xr();
	case 2: return 0x252c8800 | sz << 22 | R(2) << 16 | pr() << 5 | xr();
	case 3: return 0x252c8000 | vsz << 22 | R(2) << 16 | pr() << 5 | zr();
	default: return 0x25288000 | vsz << 22 | R(4) << 16 | pr() << 5 | zr();
	}
}

/* ADR: packed S and D, unpacked sign- and zero-extended, every shift */
static uint32_t gen_adr(void)
{
	return 0x0420a000 | R(4) << 22 | zr() << 16 | R(4) << 10 | zr() << 5 | zr();
}

/* SDOT/UDOT: vectors (S, D), indexed (S: Z0-Z7, imm 0-3; D: Z0-Z15, imm 0-1) */
static uint32_t gen_dot(void)
{
	switch (R(3)) {
	case 0:
		return 0x44800000 | R(2) << 22 | zr() << 16 | R(2) << 10 | zr() << 5 | zr();
	case 1:
		return 0x44a00000 | R(4) << 19 | R(8) << 16 | R(2) << 10 | zr() << 5 | zr();
	default:
		return 0x44e00000 | R(2) << 20 | R(16) << 16 | R(2) << 10 | zr() << 5 | zr();
	}
}

/* FEAT_I8MM: SMMLA, USMMLA, UMMLA; USDOT (vectors), USDOT/SUDOT (indexed) */
static uint32_t gen_i8mm(void)
{
	static const uint8_t mmla[] = { 0, 2, 3 };

	switch (R(3)) {
	case 0: return 0x45009800 | mmla[R(3)] << 22 | zr() << 16 | zr() << 5 | zr();
	case 1: return 0x44807800 | zr() << 16 | zr() << 5 | zr();
	default: return 0x44a01800 | R(4) << 19 | R(8) << 16 | R(2) << 10 | zr() << 5 | zr();
	}
}

/*
 * FEAT_BF16: BFDOT (vectors, indexed), BFMMLA, BFMLALB/T (vectors,
 * indexed), BFCVT, BFCVTNT (bf16_word's operands)
 */
static uint32_t gen_bf16(void)
{
	switch (R(7)) {
	case 0: return 0x64608000 | zr() << 16 | zr() << 5 | zr();
	case 1: return 0x64604000 | R(4) << 19 | R(8) << 16 | zr() << 5 | zr();
	case 2: return 0x6460e400 | zr() << 16 | zr() << 5 | zr();
	case 3: return 0x64e08000 | zr() << 16 | R(2) << 10 | zr() << 5 | zr();
	case 4: return 0x64e04000 | R(4) << 19 | R(8) << 16 | R(2) << 11 | R(2) << 10 |
		       zr() << 5 | zr();
	default: return (R(2) ? 0x658aa000 : 0x648aa000) | pg3() << 10 | zr() << 5 | zr();
	}
}

/*
 * a shift amount of 8 << sz bit elements: 0, esize - 1, esize and a random
 * one as often (the immediates: right 1..esize, left 0..esize-1)
 */
static unsigned int shift_amount(unsigned int sz, bool left)
{
	unsigned int bits = 8u << sz;

	switch (R(4)) {
	case 0: return left ? 0 : 1;
	case 1: return left ? bits - 1 : bits;
	case 2: return left ? 1 : bits - 1;
	default: return left ? R(bits) : 1 + R(bits);
	}
}

/* tsz:imm3 of a shift by immediate (tsz at 23:22 and hi2 << lo) */
static uint32_t shift_imm(unsigned int sz, bool left, unsigned int lo)
{
	unsigned int sh = shift_amount(sz, left);
	unsigned int imm = left ? (8u << sz) + sh : (16u << sz) - sh;

	return (imm >> 5) << 22 | ((imm >> 3) & 3) << lo | (imm & 7) << (lo == 8 ? 5 : 16);
}

/*
 * Shifts: by immediate (predicated with ASRD, unpredicated), by vector
 * (predicated, with the reversed forms), by wide elements; the vectors'
 * elements hold small shift amounts (gen_case).
 */
static uint32_t gen_shift(void)
{
	static const uint8_t zpzi[] = { 0, 1, 3, 4 }, rev[] = { 0, 1, 3, 4, 5, 7 };
	static const uint8_t zzi[] = { 0, 1, 3 };
	unsigned int sz = R(4), op;

	switch (R(5)) {
	case 0:
		op = zpzi[R(4)];
		return 0x04008000 | op << 16 | pg3() << 10 | shift_imm(sz, op == 3, 8) | zr();
	case 1:
		op = zzi[R(3)];
		return 0x04209000 | op << 10 | shift_imm(sz, op == 3, 19) | zr() << 5 | zr();
	case 2:
		return 0x04108000 | sz << 22 | rev[R(6)] << 16 | pg3() << 10 | zr() << 5 | zr();
	case 3:
		return 0x04188000 | R(3) << 22 | zpzi[R(3)] << 16 | pg3() << 10 | zr() << 5 |
		       zr();
	default:
		return 0x04208000 | R(3) << 22 | zr() << 16 | zzi[R(3)] << 10 | zr() << 5 | zr();
	}
}

/*
 * Unary, predicated: SXTB..UXTW (opc 0-5, sizes above the source's), ABS,
 * NEG, CLS, CLZ, CNT, CNOT, NOT; elements near the saturation bounds
 * (gen_case) and 0, -1.
 */
static uint32_t gen_unary(void)
{
	static const uint8_t ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14 };
	unsigned int op = ops[R(13)], sz = R(4);

	if (op < 6 && sz <= op / 2)
		sz = op / 2 + 1 + R(3 - op / 2);
	return 0x0410a000 | sz << 22 | op << 16 | pg3() << 10 | zr() << 5 | zr();
}

/*
 * FP unary: FABS, FNEG (H, S, D), FRINTN/P/M/Z/A/X/I, FRECPX, FSQRT
 * (predicated), FRECPE, FRSQRTE (unpredicated)
 */
static uint32_t gen_fpu(void)
{
	static const uint8_t ops[] = { 0, 1, 2, 3, 4, 6, 7, 12, 13 };
	unsigned int sz = 2 + R(2);

	switch (R(4)) {
	case 0: return 0x041ca000 | (1 + R(3)) << 22 | R(2) << 16 | pg3() << 10 | zr() << 5 | zr();
	case 1: return 0x650e3000 | sz << 22 | R(2) << 16 | zr() << 5 | zr();
	default: return 0x6500a000 | sz << 22 | ops[R(9)] << 16 | pg3() << 10 | zr() << 5 | zr();
	}
}

/* FCVT (S, D and H), SCVTF/UCVTF, FCVTZS/FCVTZU (S and D, 32 and 64-bit) */
static uint32_t gen_fcvt(void)
{
	static const uint16_t fcvt[] = { 0x6588, 0x6589, 0x65c8, 0x65c9, 0x65ca, 0x65cb };
	static const uint16_t icvt[] = { 0x6594, 0x65d0, 0x65d4, 0x65d6,	/* SCVTF */
					 0x659c, 0x65d8, 0x65dc, 0x65de };	/* FCVTZS */
	uint32_t w = R(4) ? (uint32_t)(icvt[R(8)] | R(2)) << 16 : (uint32_t)fcvt[R(6)] << 16;

	return w | 0xa000 | pg3() << 10 | zr() << 5 | zr();
}

/* FCMGE/GT/EQ/NE/UO, FACGE/GT (vectors), FCMGE/GT/LT/LE/EQ/NE #0.0 */
static uint32_t gen_fcmp(void)
{
	static const uint16_t vec[] = { 0x4000, 0x4010, 0x6000, 0x6010, 0xc000, 0xc010, 0xe010 };
	static const uint32_t zero[] = { 0x102000, 0x102010, 0x112000, 0x112010, 0x122000,
					 0x132000 };
	unsigned int sz = 2 + R(2);

	if (R(2))
		return 0x65000000 | sz << 22 | zr() << 16 | vec[R(7)] | pg3() << 10 | zr() << 5 | pr();
	return 0x65000000 | sz << 22 | zero[R(6)] | pg3() << 10 | zr() << 5 | pr();
}

/* FADD/FSUB/FMUL/FSUBR/FMAXNM/FMINNM/FMAX/FMIN #imm, FCPY (H, S, D), FDUP */
static uint32_t gen_fpimm(void)
{
	unsigned int sz = 2 + R(2);

	switch (R(4)) {
	case 0: return 0x0510c000 | (1 + R(3)) << 22 | pr() << 16 | R(256) << 5 | zr();
	case 1: return 0x2539c000 | sz << 22 | R(256) << 5 | zr();
	default: return 0x65188000 | sz << 22 | R(8) << 16 | pg3() << 10 | R(2) << 5 | zr();
	}
}

/*
 * FTMAD, FTSMUL, FTSSEL and FEXPA (H, S, D), FSCALE, FCADD, FCMLA
 * (predicated, indexed), FMLA/FMLS/FMUL (indexed)
 */
static uint32_t gen_fpx(void)
{
	unsigned int sz = 2 + R(2), d = R(2);

	switch (R(10)) {
	case 0: return 0x65108000 | sz << 22 | R(8) << 16 | zr() << 5 | zr();
	case 1: return 0x65000c00 | sz << 22 | zr() << 16 | zr() << 5 | zr();
	case 2: return 0x0420b000 | (1 + R(3)) << 22 | zr() << 16 | zr() << 5 | zr();
	case 3: return 0x0420b800 | (1 + R(3)) << 22 | zr() << 5 | zr();
	case 4: return 0x65098000 | sz << 22 | pg3() << 10 | zr() << 5 | zr();
	case 5: return 0x64008000 | sz << 22 | R(2) << 16 | pg3() << 10 | zr() << 5 | zr();
	case 6: return 0x64000000 | sz << 22 | zr() << 16 | R(4) << 13 | pg3() << 10 | zr() << 5 |
		       zr();
	case 7: return 0x64e01000 | R(32) << 16 | R(4) << 10 | zr() << 5 | zr();
	default:	/* FMLA, FMLS, FMUL: index and Zm 20:16 */
		return 0x64a00000 | d << 22 | R(32) << 16 | (R(3) == 0 ? 0x2000 : R(2) << 10) |
		       zr() << 5 | zr();
	}
}

/* a 64-bit word of elements of 8 << sz bits, each a shift amount or random */
static uint64_t shift_word(void)
{
	unsigned int sz = R(4), bits = 8u << sz;
	uint64_t v = 0;

	for (unsigned int k = 0; k < 64; k += bits) {
		uint64_t e = R(4) ? shift_amount(sz, true) + R(3) : rnd();

		v |= (bits == 64 ? e : e & ((1ULL << bits) - 1)) << k;
	}
	return v;
}

/* a 64-bit word of elements of 8 << sz bits, each an index into 2 vectors of vl bytes */
static uint64_t index_word(unsigned int vl)
{
	unsigned int sz = R(4), bits = 8u << sz;
	uint64_t v = 0;

	for (unsigned int k = 0; k < 64; k += bits)
		v |= (uint64_t)R(2 * (vl >> sz) + 1) << k;
	return v;
}

/* a quarter of the predicates all false, a quarter with one true bit */
static void sparse_preds(struct svd_case *c, unsigned int vl)
{
	for (int i = 0; i < 16; i++) {
		unsigned int k = R(4), b = R(vl);

		if (k > 1)
			continue;
		memset(c->r.p[i], 0, sizeof(c->r.p[i]));
		if (k)
			c->r.p[i][b / 8] = (uint8_t)(1u << (b % 8));
	}
}

/* a value near a signed or unsigned saturation bound of 8 << sz bits */
static uint64_t near_bound(unsigned int sz)
{
	unsigned int bits = 8u << sz;
	uint64_t smax = (1ULL << (bits - 1)) - 1, d = R(64), v;

	switch (R(4)) {
	case 0: v = smax - d; break;
	case 1: v = smax + 1 + d; break;
	case 2: v = d; break;
	default: v = -d; break;
	}
	return bits == 64 ? v : v & ((1ULL << bits) - 1);
}

/*
 * The SVE memory classes (gather .. prf).  Every access stays in the data
 * buffer, x28 its middle, except the first-fault and non-fault loads' later
 * elements, which may run into the unmapped page past its end (the MemNF
 * cases).  An LDNF1 is either wholly in the buffer or wholly past it:
 * qemu 7.2 declines every element of one that runs into an unmapped page
 * (the architecture lets it) and faults on one whose first element
 * straddles the end (it must not); tests/cpu/test_engine covers those.
 * gen_mem_state() sets the registers the addresses come from:
 *	x25	just past the buffer's end (LDNF1 at 0 or more vectors from it)
 *	x26	near the buffer's end (LDNF1 at vectors below it), x27 a small
 *		element offset
 *	z0	32-bit lanes of signed offsets -255..255 (SXTW)
 *	z1	32-bit lanes of offsets 0..255 (UXTW, SXTW; as 64-bit lanes,
 *		two of them: for the unpacked forms)
 *	z2	64-bit lanes of signed offsets -255..255
 *	z3	64-bit lanes, offsets 0..255 below random high halves (unpacked)
 *	z4, z5	32 and 64-bit lanes of buffer addresses (vector plus immediate)
 * Loads write z8-z31 only, so that these survive a case's instructions.
 */
static unsigned int gen_vlb;	/* the vector length of the case, bytes */

static unsigned int zd(void)	{ return 8 + R(24); }

/* the offset vector of a 32-bit offset form (esz 2 or 3; SXTW or UXTW) */
static unsigned int zoff32(unsigned int esz, bool sxtw)
{
	if (!sxtw)
		return esz == 2 || R(2) ? 1 : 3;
	return esz == 2 ? R(2) : R(4);
}

/* imm4 in -8..7 such that imm4 * bytes and the bytes after stay in the buffer */
static unsigned int imm4_in(unsigned int bytes)
{
	unsigned int k = DIFF_BUF_SIZE / 2 / bytes;

	if (k > 8)
		k = 8;
	return (R(2 * k) - k) & 15;
}

/* a gather load: all forms and sizes; ff 1 forces the first-fault forms */
static uint32_t gen_gather_ld(bool ff_only)
{
	unsigned int msz, u, xs = R(2), ff = ff_only ? 1 : R(2);
	uint32_t w;

	switch (R(8)) {
	case 0:		/* 32-bit elements, 32-bit unscaled offsets */
		msz = R(3);
		w = 0x84000000 | xs << 22 | zoff32(2, xs) << 16 | 28 << 5;
		break;
	case 1:		/* scaled */
		msz = 1 + R(2);
		w = 0x84200000 | xs << 22 | zoff32(2, xs) << 16 | 28 << 5;
		break;
	case 2:		/* vector plus immediate */
		msz = R(3);
		w = 0x84208000 | R(32) << 16 | 4 << 5;
		break;
	case 3:		/* 64-bit elements, unpacked 32-bit unscaled offsets */
		msz = R(4);
		w = 0xc4000000 | xs << 22 | zoff32(3, xs) << 16 | 28 << 5;
		break;
	case 4:		/* scaled */
		msz = 1 + R(3);
		w = 0xc4200000 | xs << 22 | zoff32(3, xs) << 16 | 28 << 5;
		break;
	case 5:		/* 64-bit offsets */
		msz = R(4);
		w = 0xc4408000 | 2 << 16 | 28 << 5;
		break;
	case 6:		/* scaled */
		msz = 1 + R(3);
		w = 0xc4608000 | 2 << 16 | 28 << 5;
		break;
	default:	/* vector plus immediate */
		msz = R(4);
		w = 0xc4208000 | R(32) << 16 | 5 << 5;
		break;
	}
	/* a whole element (LD1W .S, LD1D) has no sign-extending form */
	u = msz == ((w >> 30) & 1 ? 3u : 2u) ? 1 : R(2);
	return w | msz << 23 | u << 14 | ff << 13 | pg3() << 10 | zd();
}

static uint32_t gen_scatter(void)
{
	unsigned int msz, xs = R(2);
	uint32_t w;

	switch (R(8)) {
	case 0:
		msz = R(3);
		w = 0xe4408000 | zoff32(2, xs) << 16 | xs << 14 | 28 << 5;
		break;
	case 1:
		msz = 1 + R(2);
		w = 0xe4608000 | zoff32(2, xs) << 16 | xs << 14 | 28 << 5;
		break;
	case 2:
		msz = R(3);
		w = 0xe460a000 | R(32) << 16 | 4 << 5;
		break;
	case 3:
		msz = R(4);
		w = 0xe4008000 | zoff32(3, xs) << 16 | xs << 14 | 28 << 5;
		break;
	case 4:
		msz = 1 + R(3);
		w = 0xe4208000 | zoff32(3, xs) << 16 | xs << 14 | 28 << 5;
		break;
	case 5:
		msz = R(4);
		w = 0xe400a000 | 2 << 16 | 28 << 5;
		break;
	case 6:
		msz = 1 + R(3);
		w = 0xe420a000 | 2 << 16 | 28 << 5;
		break;
	default:
		msz = R(4);
		w = 0xe440a000 | R(32) << 16 | 5 << 5;
		break;
	}
	return w | msz << 23 | pg3() << 10 | zr();
}

/* LDFF1 (x26 near the end, Xm x27 or XZR), LDNF1, first-fault gathers */
static uint32_t gen_ffnf(void)
{
	unsigned int dt = R(16);

	switch (R(4)) {
	case 0:
		return 0xa4006000 | dt << 21 | (R(3) ? 27 : 31) << 16 | pg3() << 10 |
		       (R(4) ? 26 : 28) << 5 | zd();
	case 1:		/* in the buffer from x28 or below x26, past it from x25 */
		switch (R(3)) {
		case 0: return 0xa410a000 | dt << 21 | R(16) << 16 | pg3() << 10 | 28 << 5 | zd();
		case 1: return 0xa410a000 | dt << 21 | (8 + R(8)) << 16 | pg3() << 10 | 26 << 5 |
			       zd();
		default: return 0xa410a000 | dt << 21 | R(8) << 16 | pg3() << 10 | 25 << 5 | zd();
		}
	default:
		return gen_gather_ld(true);
	}
}

/* LD2-LD4, ST2-ST4 (n 2..4) or, n 1, LDNT1 and STNT1 */
static uint32_t gen_ldn(unsigned int n)
{
	unsigned int msz = R(4), nreg = n - 1;

	switch (R(4)) {
	case 0: return 0xa400c000 | msz << 23 | nreg << 21 | 27 << 16 | pg3() << 10 | 28 << 5 | zd();
	case 1: return 0xa400e000 | msz << 23 | nreg << 21 | imm4_in(n * gen_vlb) << 16 |
		       pg3() << 10 | 28 << 5 | zd();
	case 2: return 0xe4006000 | msz << 23 | nreg << 21 | 27 << 16 | pg3() << 10 | 28 << 5 | zr();
	default: return 0xe410e000 | msz << 23 | nreg << 21 | imm4_in(n * gen_vlb) << 16 |
			pg3() << 10 | 28 << 5 | zr();
	}
}

static uint32_t gen_ld1rq(void)
{
	unsigned int msz = R(4);

	if (R(2))
		return 0xa4000000 | msz << 23 | 27 << 16 | pg3() << 10 | 28 << 5 | zd();
	return 0xa4002000 | msz << 23 | R(16) << 16 | pg3() << 10 | 28 << 5 | zd();
}

/* every prefetch form, any operands: no access, no fault */
static uint32_t gen_prf(void)
{
	uint32_t any = R(32) << 5 | pg3() << 10 | R(16);

	switch (R(7)) {
	case 0: return 0x85c00000 | R(64) << 16 | R(4) << 13 | any;
	case 1: return 0x8400c000 | R(4) << 23 | R(31) << 16 | any;
	case 2: return 0x84200000 | R(2) << 22 | R(32) << 16 | R(4) << 13 | any;
	case 3: return 0x8400e000 | R(4) << 23 | R(32) << 16 | any;
	case 4: return 0xc4200000 | R(2) << 22 | R(32) << 16 | R(4) << 13 | any;
	case 5: return 0xc4608000 | R(32) << 16 | R(4) << 13 | any;
	default: return 0xc400e000 | R(4) << 23 | R(32) << 16 | any;
	}
}

static bool mem_class(int cls)
{
	return cls >= C_GATHER;
}

/* x26, x27, z0-z5 as the memory classes' addresses want them (above) */
static void gen_mem_state(struct svd_case *c, int cls, unsigned int vl)
{
	bool ff = cls == C_FFNF;

	c->r.x[25] = DIFF_BUF_VA + DIFF_BUF_SIZE + R(vl + 1);
	c->r.x[26] = DIFF_BUF_VA + DIFF_BUF_SIZE - 32 - R(vl + 1);
	c->r.x[27] = ff ? R(4) : R(16);
	for (unsigned int j = 0; j < 256; j += 8) {
		/* past the first lane, in a first-fault case: sometimes beyond the end */
		bool far = ff && j && !R(4);
		uint64_t big = DIFF_BUF_SIZE + R(DIFF_BUF_SIZE), v[6];

		v[0] = (uint32_t)(far ? big : R(511) - 255u) |
		       (uint64_t)(uint32_t)(far ? big : R(511) - 255u) << 32;
		v[1] = (far ? big : R(256)) | (uint64_t)(far ? big : R(256)) << 32;
		v[2] = far ? big : (uint64_t)(int64_t)((int)R(511) - 255);
		v[3] = (far ? big : R(256)) | (rnd() & ~0xffffffffULL);
		v[4] = (uint32_t)(DIFF_BUF_VA + (far ? big : R(DIFF_BUF_SIZE - 256))) |
		       (DIFF_BUF_VA + (far ? big : R(DIFF_BUF_SIZE - 256))) << 32;
		v[5] = DIFF_BUF_VA + (far ? big : R(DIFF_BUF_SIZE - 256));
		for (int i = 0; i < 6; i++)
			memcpy(&c->r.z[i][j], &v[i], 8);
	}
	/* the first element active: a first-fault load's first access is in the buffer */
	if (ff)
		for (int i = 0; i < 8; i++)
			c->r.p[i][0] |= 1;
}

static uint32_t gen_insn(int cls)
{
	switch (cls) {
	case C_VL: return gen_vl();
	case C_PRED: return gen_pred();
	case C_LDST: return gen_ldst();
	case C_INT: return gen_int();
	case C_CMP: return gen_cmp();
	case C_REDUCE: return gen_reduce();
	case C_FP: return gen_fp();
	case C_INCDEC: return gen_incdec();
	case C_SHIFT: return gen_shift();
	case C_UNARY: return gen_unary();
	case C_EXTRACT: return gen_extract();
	case C_BRK: return gen_brk();
	case C_INCP: return gen_incp();
	case C_ADR: return gen_adr();
	case C_DOT: return gen_dot();
	case C_FPU: return gen_fpu();
	case C_FCVT: return gen_fcvt();
	case C_FCMP: return gen_fcmp();
	case C_FPIMM: return gen_fpimm();
	case C_FPX: return gen_fpx();
	case C_I8MM: return gen_i8mm();
	case C_BF16: return gen_bf16();
	case C_FPH: return gen_fph();
	case C_GATHER: return R(4) ? gen_gather_ld(false) : gen_scatter();
	case C_SCATTER: return gen_scatter();
	case C_FFNF: return gen_ffnf();
	case C_LDN: return gen_ldn(2 + R(3));
	case C_LDNT: return gen_ldn(1);
	case C_LD1RQ: return gen_ld1rq();
	case C_PRF: return gen_prf();
	case C_FPHX: return gen_fphx();
	default: return gen_perm();
	}
}

static uint64_t fp_val(bool dbl)
{
	static const uint64_t d[] = { 0x3ff0000000000000ULL, 0x8000000000000000ULL, 0,
				      0x7ff0000000000000ULL, 0x7ff8000000000001ULL,
				      0x7ff4000000000000ULL, 0x000fffffffffffffULL,
				      0xc00921fb54442d18ULL };
	static const uint32_t s[] = { 0x3f800000, 0x80000000, 0, 0x7f800000, 0x7fc00001,
				      0x7fa00000, 0x007fffff, 0xc0490fdb };

	if (R(3))
		return dbl ? (rnd() & 0x800fffffffffffffULL) | (uint64_t)(1000 + R(48)) << 52 :
			     (uint32_t)((rnd() & 0x807fffff) | (uint32_t)(110 + R(30)) << 23);
	return dbl ? d[R(8)] : s[R(8)];
}

/* a half-precision value: specials, or normals of middling exponents */
static uint64_t fp_val_h(void)
{
	static const uint16_t h[] = { 0x3c00, 0x8000, 0, 0x7c00, 0x7e01, 0x7d00, 0x03ff, 0xc248 };

	if (R(3))
		return (rnd() & 0x83ff) | (uint64_t)(5 + R(20)) << 10;
	return h[R(8)];
}

/*
 * BF16's operands: two singles (accumulators, BFCVT's sources) or four
 * BFloat16, each an fp_val's top half or any sign, exponent and fraction
 * (products and sums that overflow or flush to zero)
 */
static uint64_t bf16_word(void)
{
	uint64_t v = 0;

	if (R(3) == 0)
		return fp_val(false) | fp_val(false) << 32;
	for (unsigned int k = 0; k < 64; k += 16)
		v |= (uint64_t)(R(3) ? fp_val(false) >> 16 : rnd() & 0xffff) << k;
	return v;
}

/* an FP element pattern (fp_val), an integer of any size or a small one,
 * an FP value near the bounds of 32 and 64-bit integers */
static uint64_t fp_word(int cls)
{
	unsigned int k = cls == C_FCVT || cls == C_FPX ? R(4) : 0;
	uint64_t v;

	if (cls == C_FPHX)	/* halves, any 16-bit patterns, integers of any size */
		switch (R(6)) {
		case 0: return rnd() >> R(64);
		case 1: return rnd();
		case 2:
			k = 1 + R(3);
			v = 0;
			for (unsigned int b = 0; b < 64; b += 8u << k)
				v |= near_bound(k) << b;
			return v;
		default: break;
		}
	if (cls == C_FPH || cls == C_FPHX)
		return fp_val_h() | fp_val_h() << 16 | fp_val_h() << 32 | fp_val_h() << 48;
	switch (k) {
	case 1:
		return rnd() >> R(64);
	case 3:		/* near the integer bounds (FCVTZS) */
		if (cls == C_FCVT)
			return R(2) ? (rnd() & 0x800fffffffffffffULL) | (uint64_t)(1043 + R(48)) << 52 :
			       (rnd() & 0x807fffff807fffffULL) | (uint64_t)(147 + R(48)) << 23 |
			       (uint64_t)(147 + R(48)) << 55;
		/* fall through */
	case 2:		/* small signed integers in each S or D element (FSCALE) */
		v = (uint64_t)(int64_t)(int)(R(600) - 300);
		if (R(2))
			return v;
		return (v & 0xffffffff) | (uint64_t)(R(600) - 300) << 32;
	default:
		return R(2) ? fp_val(true) : fp_val(false) | fp_val(false) << 32;
	}
}

/*
 * The pred class's first four cases are directed (element size idx):
 * WHILELE and WHILELS, 32 and 64-bit, from the largest value of their type
 * to itself.  The first operand counts up in the register's width, so it
 * wraps to the smallest value, whose comparison holds again: every element
 * is active.
 */
#define WHILE_EDGE_CASES	4

static void gen_while_edges(struct svd_case *c, unsigned int sz)
{
	static const struct { bool sf, uns; uint64_t max; } edge[4] = {
		{ false, false, 0x7fffffff },		/* WHILELE Wn */
		{ true, false, 0x7fffffffffffffffULL },	/* WHILELE Xn */
		{ false, true, 0xffffffff },		/* WHILELS Wn */
		{ true, true, ~0ULL },			/* WHILELS Xn */
	};

	c->nwords = 4;
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int rn = 2 * i, rm = 2 * i + 1;

		c->words[i] = 0x25200400 | sz << 22 | rm << 16 | edge[i].sf << 12 |
			      edge[i].uns << 11 | rn << 5 | 1u << 4 | i;
		/* the W forms read no more than the low 32 bits */
		c->r.x[rn] = edge[i].max | (edge[i].sf ? 0 : 0xa5a5a5a500000000ULL);
		c->r.x[rm] = edge[i].max;
	}
}

/*
 * Case idx of class cls at vl bytes, with variants (-k, difftest.h)
 * cases a code: the code of base case idx / variants, then the inputs,
 * the base's or (idx % variants != 0) a variant's own from a seed of
 * its own; the constraints the code puts on them (the memory classes'
 * addresses, WHILE's edges) come after, on either.
 */
static void gen_case(struct svd_case *c, int cls, unsigned int vl, uint64_t seed,
		     unsigned int idx, unsigned int variants)
{
	static const uint32_t fpcrs[] = { 0, 0, 1u << 22, 2u << 22, 3u << 22, 1u << 25, 1u << 24,
					  /* the new FP classes: AHP, and modes combined */
					  1u << 26, 3u << 24 | 1u << 22, 1u << 24 | 2u << 22 };
	unsigned int base = idx / variants;

	rng = seed ^ (uint64_t)cls << 40 ^ (uint64_t)vl << 48 ^ (uint64_t)base * 0x100000001ULL;
	memset(c, 0, sizeof(*c));
	c->vl = vl;
	gen_vlb = vl;
	c->nwords = 1 + R(6);
	for (unsigned int i = 0; i < c->nwords; i++)
		c->words[i] = gen_insn(cls);
	if (idx % variants)
		rng = seed ^ DIFF_VARIANT_SEED ^ (uint64_t)cls << 40 ^ (uint64_t)vl << 48 ^
		      (uint64_t)idx * 0x100000001ULL;
	for (int i = 0; i < 31; i++)
		c->r.x[i] = i < 8 ? (uint64_t)(int64_t)(int)(R(2 * vl + 8) - 4) :
			    R(4) ? rnd() : R(256);
	if (cls == C_INCDEC || cls == C_INCP)
		for (int i = 8; i < 27; i++)
			if (R(4)) {
				uint64_t v = near_bound(2 + R(2));

				c->r.x[i] = R(2) ? v : v | (rnd() & ~0xffffffffULL);
			}
	c->r.x[27] = R(16);
	c->r.x[28] = DIFF_BASE_VA;
	c->r.nzcv = (rnd() & 0xf) << 28;
	c->r.fpcr = !fp_class(cls) ? 0 : fpcrs[R(cls >= C_FPU ? 10 : 7)];
	if ((cls == C_FPH || cls == C_FPHX) && R(2))
		c->r.fpcr |= 1u << 19;		/* FZ16 */
	for (int i = 0; i < 32; i++)
		for (unsigned int j = 0; j < 256; j += 8) {
			uint64_t v;

			switch (fp_class(cls) ? 3 : R(3)) {
			case 0: v = rnd(); break;
			case 1: v = rnd() & 0x0000000f0000000fULL; break;
			case 2: v = R(2) ? 0 : ~0ULL; break;
			default:
				v = fp_word(cls);
				break;
			}
			if ((cls == C_INCDEC || cls == C_UNARY || cls == C_INCP) && R(2)) {	/* elements near the bounds */
				unsigned int sz = 1 + R(3);

				v = 0;
				for (unsigned int k = 0; k < 64; k += 8u << sz)
					v |= near_bound(sz) << k;
			}
			if (cls == C_BF16)
				v = bf16_word();
			if (cls == C_SHIFT && R(2))
				v = shift_word();
			if (cls == C_EXTRACT && R(2))
				v = index_word(vl);
			if (cls == C_UNARY && !R(4)) {	/* INT_MIN of each size */
				static const uint64_t m[] = { 0x8080808080808080ULL,
							      0x8000800080008000ULL,
							      0x8000000080000000ULL,
							      0x8000000000000000ULL };

				v = m[R(4)];
			}
			memcpy(&c->r.z[i][j], &v, 8);
		}
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 32; j++)
			c->r.p[i][j] = R(4) ? (uint8_t)rnd() : R(2) ? 0xff : 0x11;
	if (cls == C_EXTRACT || cls == C_BRK)
		sparse_preds(c, vl);
	if (cls == C_BRK)	/* CTERM's operands: often equal, in the low 32 bits only too */
		for (int i = 0; i < 8; i++)
			c->r.x[i] = R(3) | (R(2) ? (uint64_t)R(2) << 32 : 0);
	for (int j = 0; j < 32; j++)
		c->r.ffr[j] = (uint8_t)rnd();
	for (unsigned int i = 0; i < DIFF_BUF_SIZE; i += 8) {
		uint64_t v = rnd();

		memcpy(c->buf + i, &v, 8);
	}
	if (cls == C_PRED && base < WHILE_EDGE_CASES)
		gen_while_edges(c, base);
	if (mem_class(cls))
		gen_mem_state(c, cls, vl);
}

/* ---- the vkvm side ----------------------------------------------------------------- */

#define FPREG32(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U32 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.name))
#define CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define CPACR_ZEN_FPEN	(3ULL << 20 | 3ULL << 16)
#define ZCR_EL1		ARM64_SYS_REG(3, 0, 1, 2, 0)

/* The VM of tests/lib/difftest.c at VL *arg, SVE and FP/SIMD open, ZCR_EL1.LEN = 15 */
static int vm_open(struct vmc *v, void *arg)
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS] = { 0 };
	unsigned int vq = *(unsigned int *)arg / 16;
	int ret;

	/* the supported lengths up to vq: 128, 256, 512, 1024, 2048 bits */
	for (unsigned int q = 1; q <= vq; q *= 2)
		vqs[(q - 1) / 64] |= 1ULL << ((q - 1) % 64);
	ret = diff_vm_open(v, vqs);
	ret = ret ?: vmc_set_reg(v, CPACR_EL1, CPACR_ZEN_FPEN);
	ret = ret ?: vmc_set_reg(v, ZCR_EL1, 15);
	if (!ret)
		diff_vm_stubs(v, DIFF_STATE_SVE);
	return ret;
}

/* FPCR, FPSR, Z0-Z31, P0-P15 and FFR through ONE_REG: 0 or -errno */
static int set_sve_state(struct vmc *v, const struct svd_regs *r)
{
	uint32_t fpcr = (uint32_t)r->fpcr, fpsr = (uint32_t)r->fpsr;
	int ret;

	ret = vmc_set_reg_p(v, FPREG32(fpcr), &fpcr);
	ret = ret ?: vmc_set_reg_p(v, FPREG32(fpsr), &fpsr);
	for (int i = 0; i < 32 && !ret; i++)
		ret = vmc_set_reg_p(v, KVM_REG_ARM64_SVE_ZREG(i, 0), r->z[i]);
	for (int i = 0; i < 16 && !ret; i++)
		ret = vmc_set_reg_p(v, KVM_REG_ARM64_SVE_PREG(i, 0), r->p[i]);
	return ret ?: vmc_set_reg_p(v, KVM_REG_ARM64_SVE_FFR(0), r->ffr);
}

static int get_sve_state(struct vmc *v, struct svd_regs *r)
{
	uint32_t fpcr, fpsr;
	int ret;

	ret = vmc_get_reg_p(v, FPREG32(fpcr), &fpcr);
	ret = ret ?: vmc_get_reg_p(v, FPREG32(fpsr), &fpsr);
	for (int i = 0; i < 32 && !ret; i++)
		ret = vmc_get_reg_p(v, KVM_REG_ARM64_SVE_ZREG(i, 0), r->z[i]);
	for (int i = 0; i < 16 && !ret; i++)
		ret = vmc_get_reg_p(v, KVM_REG_ARM64_SVE_PREG(i, 0), r->p[i]);
	ret = ret ?: vmc_get_reg_p(v, KVM_REG_ARM64_SVE_FFR(0), r->ffr);
	if (ret)
		return ret;
	r->fpcr = fpcr;
	r->fpsr = fpsr;
	return 0;
}

static int run_vkvm(struct vmc *v, const void *c_, void *r_)
{
	const struct svd_case *c = c_;
	struct svd_result *r = r_;
	struct svd_regs *block = diff_vm_block(v);
	int ret;

	ret = diff_vm_load(v, c->words, c->nwords, c->r.x, c->r.nzcv, c->buf);
	if (block)
		memcpy(block, &c->r, sizeof(*block));
	else
		ret = ret ?: set_sve_state(v, &c->r);
	if (ret)
		return ret;
	memset(r, 0, sizeof(*r));
	r->fault = diff_vm_run(v);
	ret = diff_vm_save(v, r->r.x, &r->r.nzcv, r->buf);
	if (block) {
		uint64_t x[31], nzcv = r->r.nzcv;

		memcpy(x, r->r.x, sizeof(x));
		memcpy(&r->r, block, sizeof(r->r));
		memcpy(r->r.x, x, sizeof(x));
		r->r.nzcv = nzcv;
		return ret;
	}
	return ret ?: get_sve_state(v, &r->r);
}

/* ---- the driver ---------------------------------------------------------------------- */

/* what differs: 0 nothing; the state is compared at the case's length */
static int compare(const struct svd_case *c, const struct svd_result *q,
		   const struct svd_result *v)
{
	unsigned int vl = c->vl;

	if (q->fault != diff_fault_signal(v->fault) || memcmp(q->r.x, v->r.x, sizeof(q->r.x)))
		return 1;
	if (q->fault)
		return 0;	/* qemu's SVE state of a faulting case is not taken */
	if (q->r.nzcv != v->r.nzcv || q->r.fpcr != v->r.fpcr || q->r.fpsr != v->r.fpsr ||
	    memcmp(q->buf, v->buf, DIFF_BUF_SIZE) || memcmp(q->r.ffr, v->r.ffr, vl / 8))
		return 1;
	for (int i = 0; i < 32; i++)
		if (memcmp(q->r.z[i], v->r.z[i], vl))
			return 1;
	for (int i = 0; i < 16; i++)
		if (memcmp(q->r.p[i], v->r.p[i], vl / 8))
			return 1;
	return 0;
}

static void hex(const char *tag, const uint8_t *b, unsigned int n)
{
	printf(" %s ", tag);
	for (unsigned int i = n; i-- > 0;)
		printf("%02x", b[i]);
}

static void show(int cls, unsigned int vl, const struct diff_opts *o, unsigned int idx,
		 const struct svd_case *c, const struct svd_result *q, const struct svd_result *v)
{
	printf("# MISMATCH vl %u class %s seed %#" PRIx64 " case %u (rerun: -l %u -s %#" PRIx64
	       " -c %s -i %u -k %u)\n", vl * 8, class_names[cls], o->seed, idx, vl * 8, o->seed,
	       class_names[cls], idx, o->variants);
	diff_disassemble(c->words, c->nwords, diff_base(o, idx));
	printf("#   fault qemu %#" PRIx64 " vkvm %#" PRIx64 "; nzcv in %" PRIx64 " qemu %" PRIx64
	       " vkvm %" PRIx64 "; fpsr qemu %" PRIx64 " vkvm %" PRIx64 "\n", q->fault, v->fault,
	       c->r.nzcv >> 28, q->r.nzcv >> 28, v->r.nzcv >> 28, q->r.fpsr, v->r.fpsr);
	for (int i = 0; i < 31; i++)
		if (q->r.x[i] != v->r.x[i])
			printf("#   x%d in %016" PRIx64 " qemu %016" PRIx64 " vkvm %016" PRIx64 "\n",
			       i, c->r.x[i], q->r.x[i], v->r.x[i]);
	for (int i = 0; i < 32; i++)
		if (memcmp(q->r.z[i], v->r.z[i], vl)) {
			printf("#   z%d\n#  ", i);
			hex("in", c->r.z[i], vl);
			printf("\n#  ");
			hex("qemu", q->r.z[i], vl);
			printf("\n#  ");
			hex("vkvm", v->r.z[i], vl);
			printf("\n");
		}
	for (int i = 0; i < 17; i++) {
		const uint8_t *a = i < 16 ? q->r.p[i] : q->r.ffr, *b = i < 16 ? v->r.p[i] : v->r.ffr;
		const uint8_t *in = i < 16 ? c->r.p[i] : c->r.ffr;

		if (memcmp(a, b, vl / 8)) {
			printf("#   %s%d", i < 16 ? "p" : "ffr", i < 16 ? i : 0);
			hex("in", in, vl / 8);
			hex("qemu", a, vl / 8);
			hex("vkvm", b, vl / 8);
			printf("\n");
		}
	}
	for (unsigned int i = 0; i < DIFF_BUF_SIZE; i += 8)
		if (memcmp(q->buf + i, v->buf + i, 8)) {
			printf("#   buf[x28%+d]", (int)i - (int)(DIFF_BUF_SIZE / 2));
			hex("qemu", q->buf + i, 8);
			hex("vkvm", v->buf + i, 8);
			printf("\n");
		}
}

int main(int argc, char **argv)
{
	static const unsigned int all_vls[] = { 16, 32, 64, 256 };
	unsigned int tp = 0, fails = 0, vls[4], nvl = 0, chunk;
	struct svd_case *cases;
	struct svd_result *qres, *vres;
	struct diff_test t = {
		.case_size = sizeof(struct svd_case),
		.result_size = sizeof(struct svd_result),
		.vm_open = vm_open,
		.run = run_vkvm,
	};
	int cls_only = -1, opt;
	struct diff_opts o;

	diff_opts_init(&o, argv[0], "svd_runner", 0x5fe, 2500);
	while ((opt = getopt(argc, argv, "s:n:l:c:i:k:m:R:Q:")) != -1) {
		if (opt == 'l') {
			vls[nvl++ & 3] = (unsigned int)strtoul(optarg, NULL, 0) / 8;
		} else if (!diff_opt(&o, opt, optarg)) {
			fprintf(stderr, "usage: svediff [-s SEED] [-n CASES] [-l VLBITS] [-c CLASS] "
				"[-i INDEX] [-k K] [-m MAXSHOW] [-R RUNNER] [-Q QEMU]\n");
			return 2;
		} else if (opt == 'c') {
			for (int k = 0; k < C_NR; k++)
				if (!strcmp(optarg, class_names[k]))
					cls_only = k;
		}
	}
	if (!nvl)
		for (nvl = 0; nvl < 4; nvl++)
			vls[nvl] = all_vls[nvl];
	if (o.index >= 0)
		o.cases = 1;
	chunk = o.cases < DIFF_CHUNK ? o.cases : DIFF_CHUNK;
	/* cases and qemu's results in the runner's memfds: no copy of them */
	cases = diff_cases_buffer(chunk * sizeof(*cases));
	qres = diff_results_buffer(chunk * sizeof(*qres));
	vres = calloc(chunk, sizeof(*vres));
	if (!cases || !qres || !vres) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", nvl * (cls_only >= 0 ? 1 : C_NR));
	/*
	 * Each length's classes one after another, each in runs of at most
	 * DIFF_CHUNK cases (so that case i runs in code slot i % DIFF_CHUNK,
	 * and so does its rerun); the TAP points once the length is done.
	 */
	for (unsigned int l = 0; l < nvl; l++) {
		unsigned int vl = vls[l], ncls = cls_only >= 0 ? 1 : C_NR, total = ncls * o.cases;
		unsigned int bad[C_NR] = { 0 }, faults[C_NR] = { 0 }, words[C_NR] = { 0 };
		struct diff_faults qf[C_NR] = { 0 };
		char cpu[96], name[32];

		snprintf(cpu, sizeof(cpu), "max,sve-max-vq=%u,sve-default-vector-length=%u",
			 vl / 16, vl);
		t.cpu = cpu;
		for (unsigned int first = 0, n; first < total; first += n) {
			n = o.cases - first % o.cases < chunk ? o.cases - first % o.cases : chunk;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int g = first + j;
				unsigned int i = o.index >= 0 ? (unsigned int)o.index : g % o.cases;

				gen_case(&cases[j], cls_only >= 0 ? cls_only : (int)(g / o.cases), vl,
					 o.seed, i, o.variants);
				if (j && diff_check_variant(&o, i, &cases[j - 1], &cases[j],
							    offsetof(struct svd_case, r)))
					return 1;
			}
			if (diff_run(&t, &o, &vl, cases, qres, vres, n, first % o.cases))
				return 1;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int g = first + j, i = g % o.cases;
				int cls = cls_only >= 0 ? cls_only : (int)(g / o.cases);

				words[cls] += cases[j].nwords;
				faults[cls] += qres[j].fault != 0;
				diff_count_fault(&qf[cls], qres[j].fault);
				if (compare(&cases[j], &qres[j], &vres[j]) && bad[cls]++ < o.maxshow)
					show(cls, vl, &o, o.index >= 0 ? (unsigned int)o.index : i,
					     &cases[j], &qres[j], &vres[j]);
			}
		}
		for (unsigned int k = 0; k < ncls; k++) {
			int cls = cls_only >= 0 ? cls_only : (int)k;

			snprintf(name, sizeof(name), "vl %u %s", vl * 8, class_names[cls]);
			diff_show_faults(name, &qf[cls]);
			fails += diff_tap(++tp, name, o.cases, words[cls], bad[cls], faults[cls],
					  " (cases faulting under qemu)");
		}
	}
	free(vres);
	return fails ? 1 : 0;
}
