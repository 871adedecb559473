// SPDX-License-Identifier: GPL-2.0
/*
 * FP/SIMD case generation.  Each case is a short sequence of instructions
 * of one class over registers filled with interesting values of one
 * element size: signalling and quiet NaNs with random payloads, signed
 * zeros and infinities, denormals, the smallest and largest normals,
 * values a few ulps from integers, halves and the 2^31/2^32/2^63/2^64
 * conversion limits, and random normals in a narrow exponent range (so
 * that sums cancel and products stay finite).  FPCR gets a random rounding
 * mode, FZ, DN and AHP (and FZ16 in the FP16 classes); FPSR random
 * cumulative bits (sometimes none).
 * Sources and destinations are drawn from V0-V11 so results feed later
 * instructions; V12-V31 keep their values to check that nothing else is
 * written.
 */
#include <stdbool.h>
#include <string.h>

#include "fpgen.h"
#include "../../kernel/cpu/internal.h"

struct gen {
	uint64_t s;
	struct fpd_case *c;
	unsigned int sz;		/* the case's main element size: 1 H, 2 S, 3 D */
	int intmode;			/* registers hold integer edge values
					 * (1), random bits (2) or BFloat16
					 * pairs and singles (3) */
	bool half;			/* scalar FP instructions mostly on H */
};

/* libvkvm's decoder, to keep (or, for simd-undef, drop) allocated encodings */
static bool vkvm_allocated(uint32_t w)
{
	struct dinsn d;

	decode_insn(&d, w);
	return d.fn != exec_undef;
}

static uint64_t rnd(struct gen *g)
{
	uint64_t x = g->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/*
 * n bytes, each the low byte of rnd(): the same bytes as that loop, but
 * with the state in a register (a byte store may alias g->s, which made
 * the compiler store and reload it each byte: a sixth of an fpdiff run)
 */
static void fill_bytes(struct gen *g, uint8_t *p, size_t n)
{
	struct gen l = { .s = g->s };

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(&l);
	g->s = l.s;
}

static unsigned int rn(struct gen *g, unsigned int n)
{
	return (unsigned int)(rnd(g) % n);
}

static void emit(struct gen *g, uint32_t w)
{
	if (g->c->nwords < FPD_MAX_WORDS)
		g->c->words[g->c->nwords++] = w;
}

/* ---- values -------------------------------------------------------------------- */

static const unsigned int ebits[4] = { 0, 5, 8, 11 }, fbits[4] = { 0, 10, 23, 52 };

static uint64_t mk(unsigned int sz, uint64_t sign, uint64_t exp, uint64_t frac)
{
	return sign << (ebits[sz] + fbits[sz]) | exp << fbits[sz] |
	       (frac & ((1ULL << fbits[sz]) - 1));
}

/* an integer-valued or half-integer value near n (n < 2^62) */
static uint64_t near_int(struct gen *g, unsigned int sz, uint64_t n, uint64_t sign)
{
	unsigned int f = fbits[sz], bias = (1u << (ebits[sz] - 1)) - 1;
	int lz, e;
	uint64_t m;

	if (!n)
		n = 1;
	lz = __builtin_clzll(n);
	e = 63 - lz;
	m = n << lz;				/* bit 63 set */
	m = f >= 63 ? m : m >> (63 - f);
	if (e + bias >= (1u << ebits[sz]) - 1)
		e = (int)((1u << ebits[sz]) - 2 - bias);
	return mk(sz, sign, (uint64_t)(e + (int)bias), m + (uint64_t)(int)(rn(g, 5) - 2));
}

static uint64_t fp_val(struct gen *g, unsigned int sz)
{
	unsigned int e = ebits[sz], f = fbits[sz], bias = (1u << (e - 1)) - 1;
	uint64_t emax = (1ULL << e) - 1, sign = rn(g, 2), fr = rnd(g);

	switch (rn(g, 20)) {
	case 0: return mk(sz, sign, 0, 0);
	case 1: return mk(sz, sign, emax, 0);
	case 2: return mk(sz, sign, emax, (1ULL << (f - 1)) | fr);
	case 3: return mk(sz, sign, emax, (fr & ((1ULL << (f - 1)) - 1)) | 1ULL << rn(g, f - 1));
	case 4: return mk(sz, sign, 0, fr | 1);
	case 5: return mk(sz, sign, 1, rn(g, 3) ? 0 : fr);
	case 6: return mk(sz, sign, 0, ~0ULL - rn(g, 3));
	case 7: return mk(sz, sign, emax - 1, ~0ULL - rn(g, 3));
	case 8: return mk(sz, sign, bias, rn(g, 2) ? fr : 0);
	case 9: return mk(sz, sign, bias - 1 + rn(g, 3), (uint64_t)rn(g, 4) << (f - 2));
	case 10: return near_int(g, sz, rnd(g) >> (1 + rn(g, 62)), sign);
	case 11: {
		static const uint64_t lim[] = { 1ULL << 31, 1ULL << 32, 1ULL << 63, 1ULL << 62,
						1ULL << 15, 1ULL << 16 };

		return near_int(g, sz, lim[rn(g, 6)] >> (sz == 1 ? 20 : 0), sign);
	}
	case 12: /* x.5 and friends: rounding ties */
		return near_int(g, sz, rn(g, 16), sign) ^ (rn(g, 2) ? 0 : 1ULL << (f - 1 - rn(g, 4)));
	case 13: return mk(sz, sign, rn(g, 8), fr);
	case 14: return mk(sz, sign, emax - 1 - rn(g, 4), fr);
	default: return mk(sz, sign, bias - 10 + rn(g, 20), fr);
	}
}

/* an integer element of 1 << esz bytes: edges of signed and unsigned ranges */
static uint64_t int_elem(struct gen *g, unsigned int esz)
{
	unsigned int bits = 8u << esz;
	uint64_t top = 1ULL << (bits - 1), r = rnd(g);

	switch (rn(g, 8)) {
	case 0: return 0;
	case 1: return top - rn(g, 3);		/* INT_MAX and below */
	case 2: return top + rn(g, 3);		/* INT_MIN and above */
	case 3: return ~0ULL - rn(g, 3);	/* -1, UINT_MAX */
	case 4: return rn(g, 70);		/* small: shift counts, indices */
	case 5: return -(uint64_t)rn(g, 70);
	default: return r;
	}
}

static void fill_vreg(struct gen *g, unsigned int n)
{
	uint64_t v[2];
	unsigned int sz = rn(g, 10) ? g->sz : 1 + rn(g, 3);

	if (g->intmode == 2) {
		v[0] = rnd(g);
		v[1] = rnd(g);
	} else if (g->intmode == 3) {
		/* words: a single (BFMLAL's, BFDOT's accumulators, BFCVT's
		 * sources) or two BFloat16 (the top halves of singles) */
		for (unsigned int i = 0; i < 4; i++) {
			uint32_t x = (uint32_t)fp_val(g, 2);

			if (rn(g, 2))
				x = x >> 16 | ((uint32_t)fp_val(g, 2) & 0xffff0000u);
			memcpy((uint8_t *)v + 4 * i, &x, 4);
		}
	} else if (g->intmode && rn(g, 4)) {
		unsigned int esz = rn(g, 4);

		for (unsigned int i = 0; i < 16u >> esz; i++) {
			uint64_t x = int_elem(g, esz);

			memcpy((uint8_t *)v + (i << esz), &x, 1u << esz);
		}
	} else if (!rn(g, 20)) {
		v[0] = rnd(g);
		v[1] = rnd(g);
	} else {
		for (unsigned int i = 0; i < 16u >> sz; i++) {
			uint64_t x = fp_val(g, sz);

			memcpy((uint8_t *)v + (i << sz), &x, 1u << sz);
		}
	}
	memcpy(g->c->r.v[n], v, 16);
}

static uint64_t int_val(struct gen *g)
{
	static const uint64_t edge[] = {
		0, 1, ~0ULL, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffff, 0x1000001,
		0x20000000000001ULL, 0x7fffff80, 0xffffff80ULL,
	};

	switch (rn(g, 4)) {
	case 0: return edge[rn(g, sizeof(edge) / sizeof(edge[0]))];
	case 1: return rnd(g) >> rn(g, 64);
	case 2: return -(rnd(g) >> rn(g, 64));
	default: return rnd(g);
	}
}

/* ---- encodings ----------------------------------------------------------------- */

static unsigned int vr(struct gen *g)
{
	return rn(g, 12);
}

/* ftype for the size: H 11, S 00, D 01 */
static uint32_t ftype(unsigned int sz)
{
	return sz == 3 ? 1u << 22 : sz == 1 ? 3u << 22 : 0;
}

/* a size for a scalar FP instruction: mostly the case's; H only in the
 * FP16 classes */
static unsigned int fsz(struct gen *g)
{
	unsigned int sz = rn(g, 5) ? g->sz : 1 + rn(g, 3);

	if (g->half)
		return rn(g, 6) ? 1 : sz;
	return sz == 1 ? 2 + rn(g, 2) : sz;
}

static void g_fp_arith(struct gen *g)
{
	unsigned int op = rn(g, 9), sz = fsz(g);

	emit(g, 0x1e200800 | ftype(sz) | vr(g) << 16 | op << 12 | vr(g) << 5 | vr(g));
}

static void g_fp_fma(struct gen *g)
{
	unsigned int sz = fsz(g);

	emit(g, 0x1f000000 | ftype(sz) | rn(g, 2) << 21 | vr(g) << 16 | rn(g, 2) << 15 |
		vr(g) << 10 | vr(g) << 5 | vr(g));
}

static void g_fp_1src(struct gen *g)
{
	static const unsigned int ops[] = { 0, 1, 2, 3, 3, 8, 9, 10, 11, 12, 14, 15 };
	unsigned int sz = fsz(g);

	emit(g, 0x1e204000 | ftype(sz) | ops[rn(g, 12)] << 15 | vr(g) << 5 | vr(g));
}

static void g_fp_cvt(struct gen *g)
{
	/* FCVT between H (type 11), S and D */
	static const unsigned int types[3] = { 3, 0, 1 };	/* H, S, D */
	unsigned int from = rn(g, 3), to = (from + 1 + rn(g, 2)) % 3;
	unsigned int opc = to == 0 ? 3 : to == 1 ? 0 : 1;

	if (rn(g, 3) == 0)
		from = g->sz == 1 ? 0 : g->sz == 2 ? 1 : 2, to = (from + 1 + rn(g, 2)) % 3,
		opc = to == 0 ? 3 : to == 1 ? 0 : 1;
	emit(g, 0x1e224000 | types[from] << 22 | opc << 15 | vr(g) << 5 | vr(g));
}

static void g_fp_cmp(struct gen *g)
{
	unsigned int sz = fsz(g), cond = rn(g, 16);

	switch (rn(g, 4)) {
	case 0:	/* FCMP/FCMPE, register or zero */
		emit(g, 0x1e202000 | ftype(sz) | vr(g) << 16 | vr(g) << 5 | rn(g, 4) << 3);
		break;
	case 1:	/* FCCMP/FCCMPE */
		emit(g, 0x1e200400 | ftype(sz) | vr(g) << 16 | cond << 12 | vr(g) << 5 |
			rn(g, 2) << 4 | rn(g, 16));
		break;
	default: /* FCSEL */
		emit(g, 0x1e200c00 | ftype(sz) | vr(g) << 16 | cond << 12 | vr(g) << 5 | vr(g));
		break;
	}
}

static void g_fp_int(struct gen *g)
{
	unsigned int sz = fsz(g), sf = rn(g, 2), rd = rn(g, 12), op, rmode;

	switch (rn(g, 4)) {
	case 0: case 1:	/* FCVT{N,P,M,Z}{S,U}, FCVTA{S,U} */
		if (rn(g, 5)) {
			rmode = rn(g, 4);
			op = rn(g, 2);
		} else {
			rmode = 0;
			op = 4 + rn(g, 2);
		}
		emit(g, 0x1e200000 | sf << 31 | ftype(sz) | rmode << 19 | op << 16 |
			vr(g) << 5 | rd);
		break;
	case 2: /* SCVTF/UCVTF */
		emit(g, 0x1e220000 | sf << 31 | ftype(sz) | rn(g, 2) << 16 | rd << 5 | vr(g));
		break;
	default: { /* fixed point */
		unsigned int scale = sf ? rn(g, 64) : 32 + rn(g, 32);

		if (rn(g, 2))
			emit(g, 0x1e180000 | sf << 31 | ftype(sz) | rn(g, 2) << 16 | scale << 10 |
				vr(g) << 5 | rd);
		else
			emit(g, 0x1e020000 | sf << 31 | ftype(sz) | rn(g, 2) << 16 | scale << 10 |
				rd << 5 | vr(g));
		break;
	}
	}
}

static void g_fp_mov(struct gen *g)
{
	unsigned int r = rn(g, 12);

	switch (rn(g, 4)) {
	case 0: /* FMOV imm */
		emit(g, 0x1e201000 | ftype(fsz(g)) | rn(g, 256) << 13 | vr(g));
		break;
	case 1: { /* FMOV W<->S, X<->D; bit 16: to the FP register */
		unsigned int dir = rn(g, 2), v = vr(g);

		emit(g, (rn(g, 2) ? 0x1e260000 : 0x9e660000) | dir << 16 |
			(dir ? r << 5 | v : v << 5 | r));
		break;
	}
	case 2: { /* FMOV X <-> V.D[1] */
		unsigned int dir = rn(g, 2), v = vr(g);

		emit(g, 0x9eae0000 | dir << 16 | (dir ? r << 5 | v : v << 5 | r));
		break;
	}
	default:
		g_fp_arith(g);
		break;
	}
}

/* FP16 scalar: the groups above on H, and FMOV between W/X and H */
static void g_fp16_scalar(struct gen *g)
{
	static void (*const gens[])(struct gen *g) = {
		g_fp_arith, g_fp_arith, g_fp_fma, g_fp_1src, g_fp_cmp, g_fp_int, g_fp_int,
		g_fp_mov, g_fp_cvt,
	};
	unsigned int r = rn(g, 12), v = vr(g), dir = rn(g, 2);

	g->half = true;
	if (!rn(g, 10)) {
		emit(g, 0x1ee60000 | rn(g, 2) << 31 | dir << 16 | (dir ? r << 5 | v : v << 5 | r));
		return;
	}
	gens[rn(g, sizeof(gens) / sizeof(gens[0]))](g);
}

/*
 * FJCVTZS Wd, Dn.  A positive denormal flushed by FPCR.FZ clears Z
 * (FPToFixedJS), which qemu 7.2 misses: with FZ the source is made
 * negative.
 */
static void g_jscvt(struct gen *g)
{
	unsigned int n = vr(g);
	uint64_t v;

	memcpy(&v, g->c->r.v[n], 8);
	if ((g->c->r.fpcr & (1u << 24)) && !(v >> 52) && v) {
		v |= 1ULL << 63;
		memcpy(g->c->r.v[n], &v, 8);
	}
	emit(g, 0x1e7e0000 | n << 5 | rn(g, 12));
}

/* FRINT32Z/32X/64Z/64X: scalar S and D, vector .2S/.4S/.2D */
static void g_frintts(struct gen *g)
{
	unsigned int op = rn(g, 4), sz = 2 + rn(g, 2);

	if (rn(g, 2)) {
		emit(g, 0x1e284000 | ftype(sz) | op << 15 | vr(g) << 5 | vr(g));
	} else {
		unsigned int q = sz == 3 ? 1 : rn(g, 2);

		emit(g, 0x0e21e800 | q << 30 | (op & 1) << 29 | (sz == 3) << 22 |
			(op >> 1) << 12 | vr(g) << 5 | vr(g));
	}
}

/*
 * Advanced SIMD: a group's fixed bits with every variable field random,
 * kept if vkvm's decoder allocates it (the reference runs as qemu's max
 * CPU, and any encoding vkvm accepts but qemu rejects shows as a fault
 * mismatch); simd-undef keeps the rejected ones, which qemu must reject
 * too even as a Cortex-A53.
 */
struct tmpl {
	uint32_t fixed, random;
};

static const struct tmpl int_tmpl[] = {
	{ 0x0e200400, 0x40ffc3ff & ~0x00008000 },	/* three same, opcode < 16 */
	{ 0x0e208400, 0x40ff43ff & ~0x00004000 },	/* opcode 16..23 */
	{ 0x0e208400, 0x60ff63ff & ~0x00006000 },
	{ 0x0e200000, 0x60fff3ff },			/* three different */
	{ 0x0e200800, 0x60c1f3ff },			/* two-reg misc */
	{ 0x0e300800, 0x60c1f3ff },			/* across lanes */
	{ 0x0e000400, 0x601f7bff },			/* copy */
	{ 0x0f000400, 0x6007f3ff },			/* modified immediate */
	{ 0x0f000400, 0x607ffbff },			/* shift by immediate */
	{ 0x0f000000, 0x60fffbff },			/* by element */
	{ 0x0e000800, 0x40df73ff },			/* permute */
	{ 0x2e000000, 0x401f7bff },			/* EXT */
	{ 0x0e000000, 0x401f73ff },			/* TBL/TBX */
};

static const struct tmpl fp_tmpl[] = {
	{ 0x0e20c400, 0x60df3bff },			/* three same FP */
	{ 0x0e20c400, 0x60df3bff },
	{ 0x0ea0c800, 0x6041f3ff },			/* two-reg misc FP (size<1>: 1) */
	{ 0x0e21c800, 0x6041f3ff },			/* ... (0) */
	{ 0x0e216800, 0x6041f3ff },			/* FCVTN/FCVTL/FCVTXN */
	{ 0x2e30c800, 0x40c1f3ff },			/* FMAXV... */
	{ 0x0f801000, 0x607ffbff },			/* FMLA... by element */
	{ 0x0f20e400, 0x601ffbff },			/* SCVTF/FCVTZS fixed */
};

static const struct tmpl scalar_tmpl[] = {
	{ 0x5e200400, 0x20fffbff },			/* three same */
	{ 0x5e200000, 0x20fff3ff },			/* three different */
	{ 0x5e200800, 0x20c1f3ff },			/* two-reg misc */
	{ 0x5e300800, 0x20c1f3ff },			/* pairwise */
	{ 0x5e000400, 0x001f03ff },			/* DUP */
	{ 0x5f000400, 0x207ffbff },			/* shift by immediate */
	{ 0x5f000000, 0x20fffbff },			/* by element */
};

static uint32_t tmpl_word(struct gen *g, const struct tmpl *t)
{
	uint32_t w = t->fixed | ((uint32_t)rnd(g) & t->random);

	/* registers from V0-V11 (and X0-X11) */
	w = (w & ~0x3ffu) | vr(g) << 5 | vr(g);
	if (t->random & (31u << 16) && (t->random & (31u << 16)) == (31u << 16) &&
	    (t->fixed & 0x1f000000) != 0x0f000000 && (t->fixed & 0x1f000000) != 0x1f000000)
		w = (w & ~(31u << 16)) | vr(g) << 16;
	return w;
}

/* a word of the FEAT_I8MM/FEAT_BF16 class (exec_mm.c), which the Cortex-A53
 * lacks: the simd-i8mm and simd-bf16 classes test those against max */
static bool mm_word(uint32_t w)
{
	for (unsigned int i = 0; i < mm_insns.nr; i++)
		if ((w & mm_insns.pat[i].mask) == mm_insns.pat[i].match)
			return true;
	return false;
}

static void g_from(struct gen *g, const struct tmpl *t, unsigned int n, bool want_defined)
{
	for (int tries = 0; tries < 200; tries++) {
		uint32_t w = tmpl_word(g, &t[rn(g, n)]);
		bool defined = vkvm_allocated(w);

		if (defined == want_defined && !mm_word(w)) {
			emit(g, w);
			return;
		}
	}
}

static void g_simd_int(struct gen *g)
{
	g_from(g, int_tmpl, sizeof(int_tmpl) / sizeof(int_tmpl[0]), true);
}

static void g_simd_fp(struct gen *g)
{
	g_from(g, fp_tmpl, sizeof(fp_tmpl) / sizeof(fp_tmpl[0]), true);
}

/*
 * qemu 7.2 writes FCVTZS Hd, Hn, #fbits (scalar, fixed-point, H) as a
 * 32-bit value sign-extended from 16 bits, so a negative result leaves
 * ones in bits 16-31 of Vd.  The Arm ARM has that instruction write
 * V[d, esize] = result with esize 16 (FCVTZS (vector, fixed-point), scalar
 * form), and the V[] setter zero-extends to the full register; vkvm and
 * QEMU 11.1 do so.  After that word (and only it), FMOV Hd, Hd clears
 * bits 16-127 on both sides so that the rest of the case still compares;
 * tests/cpu/test_fpfix.c pins the zero-extension itself.
 */
static void qemu72_fcvtzs_h(struct gen *g)
{
	uint32_t w = g->c->nwords ? g->c->words[g->c->nwords - 1] : 0;

	if ((w & 0xfff0fc00) == 0x5f10fc00)
		emit(g, 0x1ee04000 | (w & 31) << 5 | (w & 31));
}

static void g_simd_scalar(struct gen *g)
{
	g_from(g, scalar_tmpl, sizeof(scalar_tmpl) / sizeof(scalar_tmpl[0]), true);
	qemu72_fcvtzs_h(g);
}

/* The FP16 groups: three same, two-register misc (vector and scalar),
 * across lanes, scalar pairwise, by element (H), fixed-point shifts (H),
 * FMOV (vector, immediate) .H */
static void g_fp16_simd(struct gen *g)
{
	static const struct tmpl t[] = {
		{ 0x0e400400, 0x60803bff },		/* three same FP16 */
		{ 0x0e400400, 0x60803bff },
		{ 0x0e780800, 0x6081f3ff },		/* two-reg misc FP16 */
		{ 0x0e780800, 0x6081f3ff },
		{ 0x5e400400, 0x20803bff },		/* scalar three same FP16 */
		{ 0x5e780800, 0x2081f3ff },		/* scalar two-reg misc FP16 */
		{ 0x0e30c800, 0x408033ff },		/* FMAXNMV... .H */
		{ 0x5e30c800, 0x008033ff },		/* FMAXNMP... (scalar) .H */
		{ 0x0f001000, 0x603ffbff },		/* by element, H */
		{ 0x5f001000, 0x203ffbff },		/* scalar by element, H */
		{ 0x0f10e400, 0x600f1bff },		/* SCVTF/FCVTZS... fixed, H */
		{ 0x5f10e400, 0x200f1bff },
		{ 0x0f00fc00, 0x400703ff },		/* FMOV (vector, immediate) .H */
	};

	g_from(g, t, sizeof(t) / sizeof(t[0]), true);
	qemu72_fcvtzs_h(g);
}

/* FMLAL, FMLSL, FMLAL2, FMLSL2: vector and by element */
static void g_fhm(struct gen *g)
{
	static const struct tmpl t[] = {
		{ 0x0e20ec00, 0x409f03ff },		/* FMLAL, FMLSL */
		{ 0x2e20cc00, 0x409f03ff },		/* FMLAL2, FMLSL2 */
		{ 0x0f800000, 0x603f4bff },		/* by element */
	};

	g_from(g, t, sizeof(t) / sizeof(t[0]), true);
}

/* FCMLA (vector, by element), FCADD: H, S, D */
static void g_fcma(struct gen *g)
{
	static const struct tmpl t[] = {
		{ 0x2e00c400, 0x40df1bff },		/* FCMLA (vector) */
		{ 0x2e00e400, 0x40df13ff },		/* FCADD */
		{ 0x2f001000, 0x40ff6bff },		/* FCMLA (by element) */
	};

	g_from(g, t, sizeof(t) / sizeof(t[0]), true);
}

static void g_simd_undef(struct gen *g)
{
	switch (rn(g, 3)) {
	case 0: g_from(g, int_tmpl, sizeof(int_tmpl) / sizeof(int_tmpl[0]), false); break;
	case 1: g_from(g, fp_tmpl, sizeof(fp_tmpl) / sizeof(fp_tmpl[0]), false); break;
	default: g_from(g, scalar_tmpl, sizeof(scalar_tmpl) / sizeof(scalar_tmpl[0]), false); break;
	}
}

/*
 * The Cryptographic Extension: a group's fixed bits with its opcode (and
 * XAR's rotation, EOR3/BCAX's Ra) random, Vd, Vn and Vm from V0-V11; the
 * registers hold random bits.  AES, PMULL, SHA-1 and SHA-256 run against
 * the Cortex-A53 (FEAT_AES, PMULL, SHA1, SHA256), SHA-512, SHA-3, SM3 and
 * SM4 against qemu's max CPU.  crypto-undef takes the words of the crypto
 * groups vkvm leaves UNDEFINED (size != 00, the unallocated opcodes),
 * which the Cortex-A53 must reject too.
 */
static uint32_t crypto_word(struct gen *g, const struct tmpl *t)
{
	uint32_t w = t->fixed | ((uint32_t)rnd(g) & t->random);

	w = (w & ~0x3ffu) | vr(g) << 5 | vr(g);
	if (t->random & (31u << 16))
		w = (w & ~(31u << 16)) | vr(g) << 16;
	return w;
}

static void g_crypto_from(struct gen *g, const struct tmpl *t, unsigned int n,
			  bool want_defined)
{
	for (int tries = 0; tries < 200; tries++) {
		uint32_t w = crypto_word(g, &t[rn(g, n)]);

		if (vkvm_allocated(w) == want_defined) {
			emit(g, w);
			return;
		}
	}
}

#define CRYPTO_CLASS(name, ...)						\
static void g_crypto_##name(struct gen *g)				\
{									\
	static const struct tmpl t[] = { __VA_ARGS__ };			\
									\
	g_crypto_from(g, t, sizeof(t) / sizeof(t[0]), true);		\
}

/* AESE, AESD, AESMC, AESIMC */
CRYPTO_CLASS(aes, { 0x4e284800, 0x00003000 })
/* PMULL/PMULL2 .1Q, and .8H */
CRYPTO_CLASS(pmull, { 0x0ee0e000, 0x401f0000 }, { 0x0ee0e000, 0x401f0000 },
	     { 0x0e20e000, 0x401f0000 })
/* SHA1C, SHA1P, SHA1M, SHA1SU0; SHA1H, SHA1SU1 */
CRYPTO_CLASS(sha1, { 0x5e000000, 0x001f3000 }, { 0x5e280800, 0x00001000 })
/* SHA256H, SHA256H2, SHA256SU1 (opcode 7 is unallocated); SHA256SU0 */
CRYPTO_CLASS(sha256, { 0x5e004000, 0x001f3000 }, { 0x5e004000, 0x001f3000 },
	     { 0x5e282800, 0 })
/* SHA512H, SHA512H2, SHA512SU1, RAX1; SHA512SU0 */
CRYPTO_CLASS(sha512, { 0xce608000, 0x001f0c00 }, { 0xce608000, 0x001f0c00 },
	     { 0xcec08000, 0 })
/* EOR3, BCAX; XAR; RAX1 */
CRYPTO_CLASS(sha3, { 0xce000000, 0x003f7c00 }, { 0xce800000, 0x001ffc00 },
	     { 0xce608c00, 0x001f0000 })
/* SM3SS1; SM3TT1A/B, SM3TT2A/B with their index; SM3PARTW1/2 */
CRYPTO_CLASS(sm3, { 0xce400000, 0x001f7c00 }, { 0xce408000, 0x001f3c00 },
	     { 0xce408000, 0x001f3c00 }, { 0xce60c000, 0x001f0400 })
/* SM4E; SM4EKEY */
CRYPTO_CLASS(sm4, { 0xcec08400, 0 }, { 0xce60c800, 0x001f0000 })

static void g_crypto_undef(struct gen *g)
{
	static const struct tmpl t[] = {
		{ 0x4e280800, 0x00c1f000 },		/* AES */
		{ 0x5e000000, 0x00df7000 },		/* three-register SHA */
		{ 0x5e280800, 0x00c1f000 },		/* two-register SHA */
		{ 0xce000000, 0x00ffffff },		/* SHA512, SHA3, SM3, SM4 */
		{ 0x0e20e000, 0x40df0000 },		/* PMULL size 01, 10 */
	};

	g_crypto_from(g, t, sizeof(t) / sizeof(t[0]), false);
}

/* LD1-4/ST1-4 (multiple, single, replicate), no offset or post-index,
 * based on x28; post-index registers x12-x15 hold small offsets */
/*
 * FEAT_I8MM: SMMLA, UMMLA, USMMLA; USDOT (vector, by element), SUDOT (by
 * element), Vm of the indexed forms (M:Rm) from all 32; registers of random
 * bits or integer edges.
 */
static void g_simd_i8mm(struct gen *g)
{
	static const uint32_t mmla[] = { 0x4e80a400, 0x6e80a400, 0x4e80ac00 };
	uint32_t q = rn(g, 2) << 30, regs = vr(g) << 5 | vr(g);
	uint32_t idx = rn(g, 2) << 21 | rn(g, 2) << 11, rm = rn(g, 4) ? vr(g) : rn(g, 32);

	switch (rn(g, 4)) {
	case 0: emit(g, mmla[rn(g, 3)] | vr(g) << 16 | regs); break;
	case 1: emit(g, 0x0e809c00 | q | vr(g) << 16 | regs); break;
	default: emit(g, (rn(g, 2) ? 0x0f80f000 : 0x0f00f000) | q | idx | rm << 16 | regs); break;
	}
}

/*
 * FEAT_DotProd: SDOT, UDOT (vector, by element: Vm.4B[H:L], Vm is M:Rm,
 * from all 32), .2S and .4S; registers of random bits or integer edges.
 */
static void g_simd_dot(struct gen *g)
{
	uint32_t q = rn(g, 2) << 30, u = rn(g, 2) << 29, regs = vr(g) << 5 | vr(g);
	uint32_t idx = rn(g, 2) << 21 | rn(g, 2) << 11, rm = rn(g, 4) ? vr(g) : rn(g, 32);

	if (rn(g, 2))
		emit(g, 0x0e809400 | q | u | vr(g) << 16 | regs);
	else
		emit(g, 0x0f80e000 | q | u | idx | rm << 16 | regs);
}

/*
 * FEAT_RDM: SQRDMLAH, SQRDMLSH (vector, scalar, by element, scalar by
 * element), H and S: the H index is H:L:M with Vm from V0-V15, the S index
 * H:L with Vm M:Rm.  Registers hold integer edges (INT_MIN, INT_MAX, -1,
 * 0, ...) that saturate often; four instructions a case, so that FPSR.QC
 * is mostly first set by the last few.
 */
static void g_simd_rdm(struct gen *g)
{
	uint32_t q = rn(g, 2) << 30, sub = rn(g, 2), size = 1 + rn(g, 2);
	uint32_t regs = size << 22 | vr(g) << 5 | vr(g), rm;

	if (size == 1)
		rm = rn(g, 2) << 4 | (rn(g, 4) ? vr(g) : rn(g, 16));
	else
		rm = rn(g, 4) ? vr(g) : rn(g, 32);
	switch (rn(g, 4)) {
	case 0: emit(g, 0x2e008400 | q | sub << 11 | vr(g) << 16 | regs); break;
	case 1: emit(g, 0x7e008400 | sub << 11 | vr(g) << 16 | regs); break;
	case 2: emit(g, 0x2f00d000 | q | sub << 13 | rn(g, 2) << 21 | rn(g, 2) << 11 |
		       rm << 16 | regs); break;
	default: emit(g, 0x7f00d000 | sub << 13 | rn(g, 2) << 21 | rn(g, 2) << 11 |
		      rm << 16 | regs); break;
	}
}

/*
 * FEAT_BF16: BFDOT (vector, by element), BFMMLA, BFMLALB/T (vector, by
 * element: Vm from V0-V15), BFCVTN/BFCVTN2, BFCVT (scalar) over registers of
 * BFloat16 pairs and singles (intmode 3) and FPCR's modes.
 */
static void g_simd_bf16(struct gen *g)
{
	uint32_t q = rn(g, 2) << 30, regs = vr(g) << 5 | vr(g);
	uint32_t idx = rn(g, 2) << 21 | rn(g, 2) << 11;

	switch (rn(g, 7)) {
	case 0: emit(g, 0x2e40fc00 | q | vr(g) << 16 | regs); break;
	case 1: emit(g, 0x0f40f000 | q | idx | (rn(g, 4) ? vr(g) : rn(g, 32)) << 16 | regs); break;
	case 2: emit(g, 0x6e40ec00 | vr(g) << 16 | regs); break;
	case 3: emit(g, 0x2ec0fc00 | q | vr(g) << 16 | regs); break;
	case 4: emit(g, 0x0fc0f000 | q | idx | rn(g, 2) << 20 | rn(g, 16) << 16 | regs); break;
	case 5: emit(g, 0x0ea16800 | q | regs); break;
	default: emit(g, 0x1e634000 | regs); break;
	}
}

static void g_simd_ldst(struct gen *g)
{
	for (int tries = 0; tries < 200; tries++) {
		uint32_t w = rn(g, 2) ? 0x0c000000 | ((uint32_t)rnd(g) & 0x4040fc00)
				      : 0x0d000000 | ((uint32_t)rnd(g) & 0x4060fc00);

		w |= DIFF_BASE_REG << 5 | vr(g);
		if (rn(g, 2))
			w |= 1u << 23 | (rn(g, 2) ? 31u : 12 + rn(g, 4)) << 16;
		if (vkvm_allocated(w)) {
			emit(g, w);
			return;
		}
	}
}

/*
 * LDR/STR (unsigned offset, unscaled, pre- and post-index) of B/H/S/D/Q
 * and LDP/STP/LDNP/STNP of S/D/Q, based on x28, offsets kept inside the
 * buffer even after 8 writebacks.
 */
static void g_fp_ldst(struct gen *g)
{
	unsigned int t = vr(g), base = DIFF_BASE_REG;

	if (rn(g, 2)) {			/* single register */
		unsigned int lg = rn(g, 5), load = rn(g, 2);
		uint32_t size = lg == 4 ? 0 : lg, opc = (lg == 4 ? 2u : 0u) | load;

		switch (rn(g, 4)) {
		case 0: {		/* unsigned offset, scaled */
			uint32_t imm = rn(g, 1024u >> lg);

			emit(g, size << 30 | 0x3d000000u | opc << 22 | imm << 10 | base << 5 | t);
			break;
		}
		default: {		/* unscaled, post-index, pre-index */
			static const uint32_t mode[] = { 0, 1, 3 };
			int32_t imm = (int32_t)rn(g, 129) - 64;

			emit(g, size << 30 | 0x3c000000u | opc << 22 |
				((uint32_t)imm & 0x1ff) << 12 | mode[rn(g, 3)] << 10 | base << 5 | t);
			break;
		}
		}
		return;
	}
	{				/* pair */
		unsigned int opc = rn(g, 3), lg = 2 + opc, t2 = vr(g), type = rn(g, 4);
		int32_t imm = (int32_t)rn(g, 9) - 4;	/* x 4/8/16 bytes */

		if (t2 == t)
			t2 = (t + 1) % 12;	/* LDP with Rt == Rt2 is UNPREDICTABLE */
		(void)lg;
		emit(g, opc << 30 | 0x2c000000u | (uint32_t)type << 23 | rn(g, 2) << 22 |
			((uint32_t)imm & 0x7f) << 15 | t2 << 10 | base << 5 | t);
	}
}

static void g_fp_mixed(struct gen *g);

struct cls {
	const char *name;
	void (*gen)(struct gen *g);
	unsigned int len;		/* instructions per case */
	int intmode;
	int undef;			/* the case must end in UNDEFINED */
	const char *cpu;		/* qemu's -cpu, if not the Cortex-A53 */
	unsigned int scale;		/* cases per -n, if not 1 */
	int fp16;			/* H values mostly, FPCR.FZ16 random */
	unsigned int sz;		/* the values' size, if not random */
};

static const struct cls classes[] = {
	{ "fp-arith", g_fp_arith, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-fma", g_fp_fma, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-1src", g_fp_1src, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-cvt", g_fp_cvt, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-cmp", g_fp_cmp, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-int", g_fp_int, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-mov", g_fp_mov, 6, 0, 0, NULL, 0, 0, 0 },
	{ "fp-mixed", g_fp_mixed, 10, 0, 0, NULL, 0, 0, 0 },
	{ "simd-int", g_simd_int, 8, 1, 0, "max", 0, 0, 0 },
	{ "simd-fp", g_simd_fp, 8, 0, 0, "max", 0, 0, 0 },
	{ "simd-scalar", g_simd_scalar, 8, 1, 0, "max", 0, 0, 0 },
	{ "simd-ldst", g_simd_ldst, 8, 1, 0, NULL, 0, 0, 0 },
	{ "fp-ldst", g_fp_ldst, 8, 1, 0, NULL, 0, 0, 0 },
	{ "simd-undef", g_simd_undef, 1, 1, 1, NULL, 0, 0, 0 },
	{ "crypto-aes", g_crypto_aes, 8, 2, 0, NULL, 6, 0, 0 },
	{ "crypto-pmull", g_crypto_pmull, 8, 2, 0, NULL, 6, 0, 0 },
	{ "crypto-sha1", g_crypto_sha1, 8, 2, 0, NULL, 6, 0, 0 },
	{ "crypto-sha256", g_crypto_sha256, 8, 2, 0, NULL, 6, 0, 0 },
	{ "crypto-sha512", g_crypto_sha512, 8, 2, 0, "max", 6, 0, 0 },
	{ "crypto-sha3", g_crypto_sha3, 8, 2, 0, "max", 6, 0, 0 },
	{ "crypto-sm3", g_crypto_sm3, 8, 2, 0, "max", 6, 0, 0 },
	{ "crypto-sm4", g_crypto_sm4, 8, 2, 0, "max", 6, 0, 0 },
	{ "crypto-undef", g_crypto_undef, 1, 2, 1, NULL, 2, 0, 0 },
	{ "fp16-scalar", g_fp16_scalar, 6, 0, 0, "max", 2, 1, 0 },
	{ "fp16-simd", g_fp16_simd, 8, 0, 0, "max", 2, 1, 0 },
	{ "fhm", g_fhm, 8, 0, 0, "max", 1, 1, 0 },
	{ "fcma", g_fcma, 8, 0, 0, "max", 1, 1, 0 },
	{ "jscvt", g_jscvt, 6, 0, 0, "max", 1, 0, 3 },
	{ "frintts", g_frintts, 6, 0, 0, "max", 1, 0, 0 },
	{ "simd-i8mm", g_simd_i8mm, 8, 1, 0, "max", 0, 0, 0 },
	{ "simd-bf16", g_simd_bf16, 8, 3, 0, "max", 0, 0, 0 },
	{ "simd-dot", g_simd_dot, 8, 1, 0, "max", 0, 0, 0 },
	{ "simd-rdm", g_simd_rdm, 4, 1, 0, "max", 0, 0, 0 },
};

#define NCLASSES	(int)(sizeof(classes) / sizeof(classes[0]))

static void g_fp_mixed(struct gen *g)
{
	classes[rn(g, 7)].gen(g);
}

int fpd_class_undef(int cls)
{
	return classes[cls].undef;
}

int fpd_nclasses(void)
{
	return NCLASSES;
}

const char *fpd_class_name(int cls)
{
	return classes[cls].name;
}

const char *fpd_class_cpu(int cls)
{
	return classes[cls].cpu ? classes[cls].cpu : "cortex-a53";
}

unsigned int fpd_class_scale(int cls)
{
	return classes[cls].scale ? classes[cls].scale : 1;
}

/* The generator of (seed, cls, idx), its first draws discarded */
static void seed_gen(struct gen *g, uint64_t seed, int cls, unsigned int idx)
{
	g->s = (seed ^ 0x9e3779b97f4a7c15ULL * (uint64_t)(cls + 1) ^
		(0xbf58476d1ce4e5b9ULL * (idx + 1))) | 1;
	for (int i = 0; i < 4; i++)
		rnd(g);
}

/*
 * The inputs before the code constrains some (g_jscvt()): V0-V31 of the
 * case's element size, X0-X30, NZCV, FPCR, FPSR, the buffer
 */
static void fill_inputs(struct gen *g, int cls)
{
	struct fpd_case *c = g->c;

	for (unsigned int i = 0; i < 32; i++)
		fill_vreg(g, i);
	for (unsigned int i = 0; i < 31; i++)
		c->r.x[i] = int_val(g);
	c->r.x[DIFF_BASE_REG] = DIFF_BASE_VA;
	for (unsigned int i = 12; i < 16; i++)
		c->r.x[i] = (uint64_t)((int64_t)rn(g, 257) - 128);
	c->r.nzcv = (uint64_t)rn(g, 16) << 28;
	c->r.fpcr = (uint64_t)rn(g, 4) << 22 | (uint64_t)rn(g, 2) << 24 |
		    (uint64_t)rn(g, 2) << 25 | (uint64_t)rn(g, 2) << 26;
	if (classes[cls].fp16)
		c->r.fpcr |= (uint64_t)rn(g, 2) << 19;	/* FZ16 */
	c->r.fpsr = rn(g, 3) ? 0 : (rnd(g) & 0x0800009f);
	fill_bytes(g, c->buf, DIFF_BUF_SIZE);
}

/*
 * -k: the generator after the fill of the last base case, so that the
 * variants after it need not make its inputs again to reach the draws
 * of its code (the fill was a third of a run's CPU)
 */
static struct {
	bool valid;
	int cls;
	unsigned int base;
	uint64_t seed;
	struct gen g;
} after_fill;

void fpd_gen_case(struct fpd_case *c, int cls, uint64_t seed, unsigned int idx,
		  unsigned int variants)
{
	struct gen g = { .c = c };
	unsigned int base = idx / variants;

	memset(c, 0, sizeof(*c));
	if (idx % variants && after_fill.valid && after_fill.seed == seed &&
	    after_fill.cls == cls && after_fill.base == base) {
		g = after_fill.g;
		g.c = c;
	} else {
		seed_gen(&g, seed, cls, base);
		g.intmode = classes[cls].intmode;
		g.sz = 2 + rn(&g, 2);
		if (!rn(&g, 8) || (classes[cls].fp16 && rn(&g, 4)))
			g.sz = 1;
		if (classes[cls].sz)
			g.sz = classes[cls].sz;
		fill_inputs(&g, cls);
		if (variants > 1) {
			after_fill.valid = true;
			after_fill.cls = cls;
			after_fill.base = base;
			after_fill.seed = seed;
			after_fill.g = g;
		}
	}
	if (idx % variants) {
		/* a variant: inputs of its own of the base's element size, the
		 * base's code (g goes on) */
		struct gen v = g;

		seed_gen(&v, seed ^ DIFF_VARIANT_SEED, cls, idx);
		fill_inputs(&v, cls);
	}
	for (unsigned int i = 0; i < classes[cls].len; i++)
		classes[cls].gen(&g);
}
