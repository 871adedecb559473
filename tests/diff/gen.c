// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded generator of A64 integer instruction sequences for the
 * differential test (diff.c).
 *
 * A case is a straight-line sequence of "items", each one instruction or a
 * few that belong together (set a base register, then access memory through
 * it; an exclusive load, then the store; a branch and the instructions it
 * may skip).  Instructions are random within their class, constrained only
 * to keep the result architecturally defined and identical on a real CPU:
 *
 *   - x28 (DIFF_BASE_REG) points into the data buffer and is never written;
 *     every memory access goes through x28 or a register just derived from
 *     it, with offsets that stay inside the buffer;
 *   - no CONSTRAINED UNPREDICTABLE encodings (writeback onto a transfer
 *     register, LDP to one register twice, a store-exclusive status register
 *     that is also a source...);
 *   - SP is not used (register 31 only where it means XZR); control flow only
 *     skips forward inside the sequence;
 *   - only what the vkvm CPU advertises (kernel/cpu/id_regs.c: CRC32,
 *     LSE, LRCPC2, LSE2 yes; LOR no, hence no LDLAR/STLLR).  Misaligned
 *     acquire/release and atomic accesses: across a 16-byte boundary in
 *     align-fault (an alignment fault with or without FEAT_LSE2), inside
 *     one in lse2 only (qemu 7.2 has no LSE2: that class needs QEMU >= 8.1).
 */
#include <stdbool.h>
#include <string.h>

#include "gen.h"

struct gen {
	uint64_t rng;
	struct diff_case *c;
	unsigned int skippable;
};

static const char *const class_names[DIFF_NCLASSES] = {
	[CL_ADDSUB_IMM] = "addsub-imm",	[CL_LOGIC_IMM] = "logic-imm",
	[CL_MOVE_WIDE] = "move-wide",	[CL_ADR] = "adr",
	[CL_BITFIELD] = "bitfield",	[CL_EXTR] = "extr",
	[CL_ADDSUB_REG] = "addsub-reg",	[CL_LOGIC_REG] = "logic-reg",
	[CL_ADC] = "adc-sbc",		[CL_CCMP] = "ccmp",
	[CL_CSEL] = "csel",		[CL_DP1] = "dp-1src",
	[CL_DP2] = "dp-2src",		[CL_DP3] = "dp-3src",
	[CL_LDST_IMM] = "ldst-imm",	[CL_LDST_WB] = "ldst-writeback",
	[CL_LDST_REG] = "ldst-regoff",	[CL_LDST_LIT] = "ldst-literal",
	[CL_LDST_PAIR] = "ldst-pair",	[CL_LDST_UNPRIV] = "ldst-unpriv",
	[CL_ACQREL] = "acq-rel",	[CL_EXCL] = "exclusive",
	[CL_LSE] = "lse-atomic",	[CL_BRANCH] = "branch-skip",
	[CL_ALIGN] = "align-fault",
	[CL_DIRECTED] = "directed",	[CL_MIXED] = "mixed",
	[CL_FLAGM] = "flagm",		[CL_RCPC] = "rcpc",
	[CL_LSE2] = "lse2",
};

const char *diff_class_name(int cls)
{
	return cls >= 0 && cls < DIFF_NCLASSES ? class_names[cls] : "?";
}

/* ---- randomness -------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t r64(struct gen *g)
{
	return splitmix(&g->rng);
}

/* Uniform in [0, n). */
static uint32_t rn(struct gen *g, uint32_t n)
{
	return (uint32_t)(r64(g) % n);
}

/* Uniform in [lo, hi]. */
static int32_t rrange(struct gen *g, int32_t lo, int32_t hi)
{
	return lo + (int32_t)rn(g, (uint32_t)(hi - lo + 1));
}

static int chance(struct gen *g, uint32_t n)
{
	return rn(g, n) == 0;
}

static const uint64_t edge_values[] = {
	0, 1, 2, 3, 0x1f, 0x20, 0x21, 0x3f, 0x40, 0x41, 0x7f, 0x80, 0xff,
	0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0x80000001,
	0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0x8000000000000001ULL, 0xffffffff80000000ULL,
	0xffffffff7fffffffULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
	0x00000000ffffffffULL, 0x0123456789abcdefULL,
};

#define N_EDGE (sizeof(edge_values) / sizeof(edge_values[0]))

/* An operand value: edges and small numbers often, anything otherwise. */
static uint64_t rval(struct gen *g)
{
	switch (rn(g, 8)) {
	case 0:
	case 1:
		return edge_values[rn(g, N_EDGE)];
	case 2:
		return (uint64_t)(int64_t)rrange(g, -300, 300);
	case 3:
		return r64(g) & 0xffffffff;
	default:
		return r64(g);
	}
}

/* ---- registers --------------------------------------------------------- */

/* A destination that is a real register: never x28, never 31. */
static unsigned int rd_gp(struct gen *g)
{
	unsigned int r = rn(g, 30);

	return r >= DIFF_BASE_REG ? r + 1 : r;
}

/* A destination where 31 is XZR. */
static unsigned int rd_z(struct gen *g)
{
	return chance(g, 16) ? 31 : rd_gp(g);
}

/* A source where 31 is XZR. */
static unsigned int rs_z(struct gen *g)
{
	return chance(g, 16) ? 31 : rn(g, 31);
}

/* A source where 31 would be SP: any of x0-x30. */
static unsigned int rs_gp(struct gen *g)
{
	return rn(g, 31);
}

/* A destination register different from each of the n listed. */
static unsigned int rd_gp_not(struct gen *g, const unsigned int *avoid, int n)
{
	for (;;) {
		unsigned int r = rd_gp(g);
		int ok = 1;

		for (int i = 0; i < n; i++)
			if (avoid[i] == r)
				ok = 0;
		if (ok)
			return r;
	}
}

/* ---- emission ---------------------------------------------------------- */

static int room(struct gen *g, unsigned int n)
{
	return g->c->nwords + n <= DIFF_MAX_WORDS;
}

static void emit(struct gen *g, uint32_t w)
{
	if (g->c->nwords < DIFF_MAX_WORDS)
		g->c->words[g->c->nwords++] = w;
}

static uint64_t cur_pc(struct gen *g)
{
	return DIFF_ENTRY_VA + 4ULL * g->c->nwords;
}

/* ---- encoders (Arm ARM C4.1 encoding index) ---------------------------- */

static uint32_t enc_addsub_imm(int sf, int op, int s, int sh, uint32_t imm12,
			       unsigned int n, unsigned int d)
{
	return (uint32_t)sf << 31 | (uint32_t)op << 30 | (uint32_t)s << 29 |
	       0x22u << 23 | (uint32_t)sh << 22 | (imm12 & 0xfff) << 10 | n << 5 | d;
}

static uint32_t enc_movw(int sf, int opc, int hw, uint32_t imm16, unsigned int d)
{
	return (uint32_t)sf << 31 | (uint32_t)opc << 29 | 0x25u << 23 |
	       (uint32_t)hw << 21 | (imm16 & 0xffff) << 5 | d;
}

/* MOVZ/MOVK a whole 64-bit constant (up to 4 words). */
static void emit_mov64(struct gen *g, unsigned int d, uint64_t v)
{
	int first = 1;

	for (int hw = 0; hw < 4; hw++) {
		uint32_t part = (uint32_t)(v >> (16 * hw)) & 0xffff;

		if (!part && !(first && hw == 3))
			continue;
		emit(g, enc_movw(1, first ? 2 : 3, hw, part, d));
		first = 0;
	}
}

/* Base register = x28 + off (ADD/SUB immediate). */
static void emit_base(struct gen *g, unsigned int b, int32_t off)
{
	if (off >= 0)
		emit(g, enc_addsub_imm(1, 0, 0, 0, (uint32_t)off, DIFF_BASE_REG, b));
	else
		emit(g, enc_addsub_imm(1, 1, 0, 0, (uint32_t)-off, DIFF_BASE_REG, b));
}

/* CSET-like capture of the flags: CSINC Xd, XZR, XZR, cond. */
static void emit_flag_capture(struct gen *g)
{
	unsigned int cond = rn(g, 14);

	emit(g, 0x9a800400u | 31u << 16 | cond << 12 | 31u << 5 | rd_gp(g));
}

/* ---- data processing, immediate ---------------------------------------- */

static void g_addsub_imm(struct gen *g)
{
	int sf = rn(g, 2), op = rn(g, 2), s = rn(g, 2);
	unsigned int d = s ? rd_z(g) : rd_gp(g);

	emit(g, enc_addsub_imm(sf, op, s, rn(g, 2),
			       chance(g, 4) ? rn(g, 4) : rn(g, 4096), rs_gp(g), d));
	if (s && chance(g, 3))
		emit_flag_capture(g);
}

/* A valid bitmask immediate: element size e, s+1 ones, rotated by r. */
static void g_logic_imm(struct gen *g)
{
	int sf = rn(g, 2), opc = rn(g, 4);
	unsigned int e = 2u << rn(g, sf ? 6 : 5);
	unsigned int ones = 1 + rn(g, e - 1), rot = rn(g, e);
	unsigned int n = e == 64, imms = ((~(2 * e - 1)) & 0x3f) | (ones - 1);
	unsigned int d = opc == 3 ? rd_z(g) : rd_gp(g);

	emit(g, (uint32_t)sf << 31 | (uint32_t)opc << 29 | 0x24u << 23 | n << 22 |
		rot << 16 | imms << 10 | rs_z(g) << 5 | d);
	if (opc == 3 && chance(g, 3))
		emit_flag_capture(g);
}

static void g_move_wide(struct gen *g)
{
	static const int opcs[] = { 0, 2, 3, 3 };	/* MOVN, MOVZ, MOVK */
	int sf = rn(g, 2);
	uint32_t imm = chance(g, 4) ? (uint32_t)edge_values[rn(g, N_EDGE)] : rn(g, 0x10000);

	emit(g, enc_movw(sf, opcs[rn(g, 4)], rn(g, sf ? 4 : 2), imm, rd_z(g)));
}

static void g_adr(struct gen *g)
{
	int op = rn(g, 2);
	uint32_t imm = (uint32_t)r64(g) & 0x1fffff;

	emit(g, (uint32_t)op << 31 | (imm & 3) << 29 | 0x10u << 24 |
		(imm >> 2) << 5 | rd_z(g));
}

static void g_bitfield(struct gen *g)
{
	int sf = rn(g, 2), opc = rn(g, 3);
	unsigned int w = sf ? 64 : 32, immr, imms;

	immr = rn(g, w);
	imms = rn(g, w);
	if (chance(g, 3))	/* LSL/LSR/ASR, UBFX... aliases have edges */
		imms = chance(g, 2) ? w - 1 : immr - (immr ? 1 : 0);
	emit(g, (uint32_t)sf << 31 | (uint32_t)opc << 29 | 0x26u << 23 |
		(uint32_t)sf << 22 | immr << 16 | imms << 10 | rs_z(g) << 5 | rd_z(g));
}

static void g_extr(struct gen *g)
{
	int sf = rn(g, 2);

	emit(g, (uint32_t)sf << 31 | 0x27u << 23 | (uint32_t)sf << 22 |
		rs_z(g) << 16 | rn(g, sf ? 64 : 32) << 10 | rs_z(g) << 5 | rd_z(g));
}

/* ---- data processing, register ----------------------------------------- */

static void g_addsub_reg(struct gen *g)
{
	int sf = rn(g, 2), op = rn(g, 2), s = rn(g, 2);

	if (chance(g, 2)) {	/* shifted register */
		emit(g, (uint32_t)sf << 31 | (uint32_t)op << 30 | (uint32_t)s << 29 |
			0x0bu << 24 | rn(g, 3) << 22 | rs_z(g) << 16 |
			rn(g, sf ? 64 : 32) << 10 | rs_z(g) << 5 | rd_z(g));
	} else {		/* extended register: Rn (and Rd without S) may be SP */
		unsigned int d = s ? rd_z(g) : rd_gp(g);

		emit(g, (uint32_t)sf << 31 | (uint32_t)op << 30 | (uint32_t)s << 29 |
			0x0bu << 24 | 1u << 21 | rs_z(g) << 16 | rn(g, 8) << 13 |
			rn(g, 5) << 10 | rs_gp(g) << 5 | d);
	}
	if (s && chance(g, 3))
		emit_flag_capture(g);
}

static void g_logic_reg(struct gen *g)
{
	int sf = rn(g, 2), opc = rn(g, 4);

	emit(g, (uint32_t)sf << 31 | (uint32_t)opc << 29 | 0x0au << 24 |
		rn(g, 4) << 22 | rn(g, 2) << 21 | rs_z(g) << 16 |
		rn(g, sf ? 64 : 32) << 10 | rs_z(g) << 5 | rd_z(g));
	if (opc == 3 && chance(g, 3))
		emit_flag_capture(g);
}

static void g_adc(struct gen *g)
{
	int s = rn(g, 2);

	emit(g, rn(g, 2) << 31 | rn(g, 2) << 30 | (uint32_t)s << 29 | 0xd0u << 21 |
		rs_z(g) << 16 | rs_z(g) << 5 | rd_z(g));
	if (s && chance(g, 3))
		emit_flag_capture(g);
}

static void g_ccmp(struct gen *g)
{
	uint32_t w = rn(g, 2) << 31 | rn(g, 2) << 30 | 1u << 29 | 0xd2u << 21 |
		     rn(g, 16) << 12 | rs_z(g) << 5 | rn(g, 16);

	if (chance(g, 2))
		w |= 1u << 11 | rn(g, 32) << 16;	/* immediate */
	else
		w |= rs_z(g) << 16;
	emit(g, w);
	if (chance(g, 2))
		emit_flag_capture(g);
}

static void g_csel(struct gen *g)
{
	emit(g, rn(g, 2) << 31 | rn(g, 2) << 30 | 0xd4u << 21 | rs_z(g) << 16 |
		rn(g, 16) << 12 | rn(g, 2) << 10 | rs_z(g) << 5 | rd_z(g));
}

static void g_dp1(struct gen *g)
{
	static const unsigned int ops32[] = { 0, 1, 2, 4, 5 };
	static const unsigned int ops64[] = { 0, 1, 2, 3, 4, 5 };
	int sf = rn(g, 2);
	unsigned int op = sf ? ops64[rn(g, 6)] : ops32[rn(g, 5)];

	emit(g, (uint32_t)sf << 31 | 1u << 30 | 0xd6u << 21 | op << 10 |
		rs_z(g) << 5 | rd_z(g));
}

static void g_dp2(struct gen *g)
{
	unsigned int op, sf;

	switch (rn(g, 3)) {
	case 0:		/* UDIV, SDIV */
		op = 2 + rn(g, 2);
		sf = rn(g, 2);
		break;
	case 1:		/* LSLV, LSRV, ASRV, RORV */
		op = 8 + rn(g, 4);
		sf = rn(g, 2);
		break;
	default:	/* CRC32{,C}{B,H,W,X}: X needs sf=1, the others sf=0 */
		op = 16 + rn(g, 8);
		sf = (op & 3) == 3;
		break;
	}
	emit(g, sf << 31 | 0xd6u << 21 | rs_z(g) << 16 | op << 10 | rs_z(g) << 5 | rd_z(g));
}

static void g_dp3(struct gen *g)
{
	/* op31:o0 — MADD/MSUB (32/64), S/UMADDL, S/UMSUBL, S/UMULH */
	static const unsigned int forms[][2] = {
		{ 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 2, 0 },
		{ 5, 0 }, { 5, 1 }, { 6, 0 },
	};
	unsigned int f = rn(g, 8), sf = 1, ra = rs_z(g);

	if (f < 2)
		sf = rn(g, 2);
	if (forms[f][0] == 2 || forms[f][0] == 6)
		ra = 31;
	emit(g, sf << 31 | 0x1bu << 24 | forms[f][0] << 21 | rs_z(g) << 16 |
		forms[f][1] << 15 | ra << 10 | rs_z(g) << 5 | rd_z(g));
}

/* ---- loads and stores -------------------------------------------------- */

/*
 * size:opc of a single-register access (Arm ARM "Load/store register"):
 * STR, LDR, LDRS to 64, LDRS to 32; size 3 opc 2 is PRFM.
 */
struct ldst_form {
	unsigned int size, opc;
};

static struct ldst_form ldst_form(struct gen *g, int allow_prfm)
{
	static const struct ldst_form forms[] = {
		{ 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 },
		{ 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 },
		{ 2, 0 }, { 2, 1 }, { 2, 2 },
		{ 3, 0 }, { 3, 1 }, { 3, 2 },
	};
	unsigned int n = sizeof(forms) / sizeof(forms[0]);
	struct ldst_form f;

	do
		f = forms[rn(g, n)];
	while (!allow_prfm && f.size == 3 && f.opc == 2);
	return f;
}

static uint32_t enc_ldst(struct ldst_form f, uint32_t mode_bits, unsigned int n, unsigned int t)
{
	return f.size << 30 | 0x38u << 24 | f.opc << 22 | mode_bits | n << 5 | t;
}

/* PRFM's Rt is a prefetch operation: keep it one of the defined ones. */
static unsigned int ldst_rt(struct gen *g, struct ldst_form f, unsigned int avoid)
{
	if (f.size == 3 && f.opc == 2)
		return rn(g, 6) | (rn(g, 3) << 3 & 0x18);
	for (;;) {
		unsigned int t = f.opc == 0 ? rs_z(g) : rd_z(g);

		if (t != avoid)
			return t;
	}
}

/* Unsigned scaled offset and unscaled (LDUR/STUR) offset. */
static void g_ldst_imm(struct gen *g)
{
	struct ldst_form f = ldst_form(g, 1);
	unsigned int b = DIFF_BASE_REG, t;
	int32_t base_off = 0;

	if (chance(g, 2)) {
		b = rd_gp(g);
		base_off = rrange(g, -2000, 0);
		emit_base(g, b, base_off);
	}
	t = ldst_rt(g, f, b);
	if (chance(g, 2)) {
		/* scaled: base_off + imm12 << size within [-2048, 2040] */
		int32_t max = (2040 - base_off) >> f.size;
		uint32_t imm = rn(g, (uint32_t)max + 1);

		if (imm > 4095)
			imm = 4095;
		emit(g, enc_ldst(f, 1u << 24 | imm << 10, b, t));
	} else {
		int32_t imm = rrange(g, -256, 255);

		if (base_off + imm < -2048)
			imm = 0;
		emit(g, enc_ldst(f, ((uint32_t)imm & 0x1ff) << 12, b, t));
	}
}

/* Pre- and post-index: writeback into a base register derived from x28. */
static void g_ldst_wb(struct gen *g)
{
	struct ldst_form f = ldst_form(g, 0);
	unsigned int b = rd_gp(g), t;
	int32_t imm = rrange(g, -256, 255);

	emit_base(g, b, rrange(g, -1700, 1700));
	t = ldst_rt(g, f, b);
	emit(g, enc_ldst(f, ((uint32_t)imm & 0x1ff) << 12 | (chance(g, 2) ? 3u : 1u) << 10, b, t));
}

/* Register offset: Xm set just before, extended UXTW/LSL/SXTW/SXTX. */
static void g_ldst_reg(struct gen *g)
{
	static const unsigned int options[] = { 2, 3, 6, 7 };
	struct ldst_form f = ldst_form(g, 1);
	unsigned int b = DIFF_BASE_REG, m, t, opt = options[rn(g, 4)], s = rn(g, 2);
	int32_t idx = rrange(g, opt == 2 ? 0 : -200, 200);
	unsigned int avoid[1] = { DIFF_BASE_REG };

	if (chance(g, 3)) {
		b = rd_gp(g);
		avoid[0] = b;
		emit_base(g, b, rrange(g, -400, 400));
	}
	m = rd_gp_not(g, avoid, 1);
	if (opt == 2 || opt == 6) {
		/* a 32-bit index; the upper half is garbage the extend drops */
		uint32_t lo = (uint32_t)idx;

		emit(g, enc_movw(1, 2, 0, lo & 0xffff, m));
		emit(g, enc_movw(1, 3, 1, lo >> 16, m));
		if (chance(g, 2))
			emit(g, enc_movw(1, 3, 2 + rn(g, 2), rn(g, 0x10000), m));
	} else if (idx >= 0) {
		emit(g, enc_movw(1, 2, 0, (uint32_t)idx, m));
	} else {
		emit(g, enc_movw(1, 0, 0, (uint32_t)(-idx - 1), m));
	}
	t = ldst_rt(g, f, b);
	emit(g, enc_ldst(f, 1u << 21 | m << 16 | opt << 13 | s << 12 | 2u << 10, b, t));
}

/* LDR (literal): W, X, SW, PRFM; the target is in the literal pool. */
static void g_ldst_lit(struct gen *g)
{
	unsigned int opc = rn(g, 4), t = opc == 3 ? rn(g, 6) : rd_z(g);
	uint64_t target = DIFF_CODE_VA + 4 * rn(g, (DIFF_POOL_SIZE - 8) / 4);
	int64_t off = (int64_t)(target - cur_pc(g));

	emit(g, opc << 30 | 0x18u << 24 | ((uint32_t)(off / 4) & 0x7ffff) << 5 | t);
}

/* LDP/STP (32, 64), LDPSW, LDNP/STNP; offset, pre- and post-index. */
static void g_ldst_pair(struct gen *g)
{
	unsigned int opc, mode, l, t1, t2, b = DIFF_BASE_REG;
	int32_t imm = rrange(g, -64, 63);

	opc = rn(g, 3);
	l = opc == 1 ? 1 : rn(g, 2);
	mode = rn(g, 4);
	if (opc == 1 && mode == 0)
		mode = 2;
	if (mode == 1 || mode == 3 || chance(g, 2)) {
		b = rd_gp(g);
		emit_base(g, b, rrange(g, -1400, 1400));
	}
	if (l) {
		unsigned int avoid[2] = { b, 0 };

		t1 = rd_gp_not(g, avoid, 1);
		avoid[1] = t1;
		t2 = rd_gp_not(g, avoid, 2);
		if (chance(g, 8))
			t1 = 31;
	} else {
		do
			t1 = rs_z(g);
		while (t1 == b);
		do
			t2 = rs_z(g);
		while (t2 == b);
	}
	emit(g, opc << 30 | 0x5u << 27 | mode << 23 | l << 22 | ((uint32_t)imm & 0x7f) << 15 |
		t2 << 10 | b << 5 | t1);
}

/* LDTR/STTR and the sign-extending forms: EL0 permissions at EL1. */
static void g_ldst_unpriv(struct gen *g)
{
	struct ldst_form f = ldst_form(g, 0);
	unsigned int b = DIFF_BASE_REG, t;
	int32_t imm = rrange(g, -256, 255);

	if (chance(g, 2)) {
		b = rd_gp(g);
		emit_base(g, b, rrange(g, -1500, 1500));
	}
	t = ldst_rt(g, f, b);
	emit(g, enc_ldst(f, ((uint32_t)imm & 0x1ff) << 12 | 2u << 10, b, t));
}

/* A base register for an access that must be aligned to `align`. */
static unsigned int aligned_base(struct gen *g, unsigned int align)
{
	unsigned int b;
	int32_t off;

	if (chance(g, 4))
		return DIFF_BASE_REG;
	b = rd_gp(g);
	off = rrange(g, -2000, 2000) & ~(int32_t)(align - 1);
	emit_base(g, b, off);
	return b;
}

static uint32_t enc_excl(unsigned int size, unsigned int o2, unsigned int l, unsigned int o1,
			 unsigned int s, unsigned int o0, unsigned int t2, unsigned int n,
			 unsigned int t)
{
	return size << 30 | 0x08u << 24 | o2 << 23 | l << 22 | o1 << 21 | s << 16 |
	       o0 << 15 | t2 << 10 | n << 5 | t;
}

/* LDAR/STLR, all sizes (LDAPR, LDLAR, STLLR are not advertised). */
static void g_acqrel(struct gen *g)
{
	unsigned int size = rn(g, 4), b = aligned_base(g, 1u << size), l = rn(g, 2), t;

	if (l) {
		unsigned int avoid[1] = { b };

		t = chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
	} else {
		t = rs_z(g);
	}
	emit(g, enc_excl(size, 1, l, 0, 31, 1, 31, b, t));
}

/* A register-only instruction that writes neither the avoided registers. */
static void emit_alu_not(struct gen *g, const unsigned int *avoid, int n)
{
	unsigned int d = rd_gp_not(g, avoid, n);

	emit(g, enc_addsub_imm(rn(g, 2), rn(g, 2), 0, 0, rn(g, 4096), rs_gp(g), d));
}

/*
 * LDXR/STXR, LDAXR/STLXR (all sizes), LDXP/STXP and LDAXP/STLXP: a load,
 * register-only work, then the store to the same address with the same
 * size, which then must succeed; or a CLREX first, which must make it fail.
 */
static void g_excl(struct gen *g)
{
	int pair = chance(g, 3);
	unsigned int size = pair ? 2 + rn(g, 2) : rn(g, 4);
	unsigned int b = aligned_base(g, pair ? 2u << size : 1u << size);
	unsigned int acq = rn(g, 2), rel = rn(g, 2), o1 = pair;
	unsigned int avoid[4] = { b, 0, 0, 0 }, t1, t2 = 31, s;

	t1 = rd_gp_not(g, avoid, 1);
	if (pair) {
		avoid[1] = t1;
		t2 = rd_gp_not(g, avoid, 2);
	}
	emit(g, enc_excl(size, 0, 1, o1, 31, acq, t2, b, t1));
	for (unsigned int i = rn(g, 3); i; i--)
		emit_alu_not(g, avoid, 1);
	if (chance(g, 6))
		emit(g, 0xd503305f);	/* CLREX */
	/* store: any sources, the status register distinct from them and b */
	t1 = rs_z(g);
	t2 = pair ? rs_z(g) : 31;
	avoid[1] = t1;
	avoid[2] = t2;
	s = rd_gp_not(g, avoid, 3);
	emit(g, enc_excl(size, 0, 0, o1, s, rel, t2, b, t1));
}

/* CAS, CASP (with the compare value loaded to make success likely), LD<op>, SWP. */
static void g_lse(struct gen *g)
{
	unsigned int size, b, a = rn(g, 2), r = rn(g, 2), s, t;
	unsigned int avoid[3];
	uint32_t kind = rn(g, 8);

	if (kind == 0) {	/* CASP: even pairs, never x28/x29 or 31 */
		unsigned int sz = rn(g, 2);

		b = aligned_base(g, 8u << sz);
		do
			s = 2 * rn(g, 14);
		while (s == b || s + 1 == b);
		do
			t = 2 * rn(g, 14);
		while (t == b || t + 1 == b);
		if (chance(g, 2))	/* LDP s, s+1, [b] */
			emit(g, (sz ? 2u : 0u) << 30 | 0x5u << 27 | 2u << 23 | 1u << 22 |
				(s + 1) << 10 | b << 5 | s);
		emit(g, sz << 30 | 0x08u << 24 | a << 22 | 1u << 21 | s << 16 | r << 15 |
			31u << 10 | b << 5 | t);
		return;
	}
	size = rn(g, 4);
	b = aligned_base(g, 1u << size);
	avoid[0] = b;
	s = rd_gp_not(g, avoid, 1);
	if (kind == 1) {	/* CAS{A,L,AL}{B,H,} */
		if (chance(g, 2))	/* LDR s, [b] of the same size */
			emit(g, enc_ldst((struct ldst_form){ size, 1 }, 1u << 24, b, s));
		emit(g, size << 30 | 0x08u << 24 | 1u << 23 | a << 22 | 1u << 21 | s << 16 |
			r << 15 | 31u << 10 | b << 5 | rs_z(g));
		return;
	}
	/* LDADD..LDUMIN (o3=0, opc 0-7), SWP (o3=1, opc 0); Rt=31 is ST<op> */
	s = rs_z(g);
	t = chance(g, 6) ? 31 : rd_gp_not(g, avoid, 1);
	if (kind == 2)
		emit(g, size << 30 | 0x38u << 24 | a << 23 | r << 22 | 1u << 21 | s << 16 |
			1u << 15 | b << 5 | t);
	else
		emit(g, size << 30 | 0x38u << 24 | a << 23 | r << 22 | 1u << 21 | s << 16 |
			rn(g, 8) << 12 | b << 5 | t);
}

/* ---- branches (forward skips only) ------------------------------------- */

static void (*const filler_gens[])(struct gen *) = {
	g_addsub_imm, g_logic_imm, g_move_wide, g_bitfield, g_extr, g_addsub_reg,
	g_logic_reg, g_adc, g_csel, g_dp1, g_dp2, g_dp3,
};

/* One register-only instruction (flag captures dropped: exactly one word). */
static void emit_filler(struct gen *g)
{
	unsigned int n = g->c->nwords;

	filler_gens[rn(g, sizeof(filler_gens) / sizeof(filler_gens[0]))](g);
	g->c->nwords = n + 1;
}

/* Set source register r to an edge-heavy value, unless it is XZR or the base. */
static void emit_operand(struct gen *g, unsigned int r, uint64_t v)
{
	if (r != 31 && r != DIFF_BASE_REG)
		emit_mov64(g, r, v);
}

/*
 * The compare before a B.cond: CMP or SUBS, W or X, shifted register or
 * immediate, on operands that are often edge values and often equal
 * (the engine fuses these with a B.cond or CSEL-family instruction after
 * them and leaves NZCV lazy); cmp_only: Rd is 31.  At most 9 words.
 */
static void emit_compare(struct gen *g, int cmp_only)
{
	unsigned int sf = rn(g, 2), d = cmp_only || chance(g, 2) ? 31 : rd_gp(g);
	uint64_t v = rval(g);

	if (chance(g, 3)) {		/* immediate: Rn is SP when 31, avoid it */
		unsigned int n = rd_gp(g), sh = chance(g, 4);
		uint32_t imm = chance(g, 2) ? (uint32_t)(v & 0xfff) : rn(g, 0x1000);

		if (chance(g, 2))
			emit_operand(g, n, chance(g, 2) ? (uint64_t)imm << (12 * sh) : v);
		emit(g, enc_addsub_imm((int)sf, 1, 1, (int)sh, imm, n, d));
		return;
	}
	{
		unsigned int n = rs_z(g), m = chance(g, 4) ? n : rs_z(g);
		unsigned int sh = chance(g, 2) ? 0 : rn(g, sf ? 64 : 32);

		if (chance(g, 2)) {
			emit_operand(g, n, v);
			if (m != n)
				emit_operand(g, m, chance(g, 2) ? v : rval(g));
		}
		emit(g, sf << 31 | 0x6b000000u | m << 16 | sh << 10 | n << 5 | d);
	}
}

/* The CSEL family, after a CMP half of the time (the engine fuses the
 * two and leaves NZCV lazy). */
static void g_csel_class(struct gen *g)
{
	if (chance(g, 2) && room(g, 10))
		emit_compare(g, 1);
	g_csel(g);
}

static void g_branch(struct gen *g)
{
	unsigned int k = 1 + rn(g, 3), kind = rn(g, 7);
	uint32_t off = k + 1;	/* in words, from the branch */

	if (!room(g, k + 12))
		return;
	switch (kind) {
	case 0:		/* B.cond, after a compare half of the time */
		if (chance(g, 2))
			emit_compare(g, 0);
		emit(g, 0x54000000u | off << 5 | rn(g, 16));
		break;
	case 1:		/* CBZ/CBNZ */
		emit(g, rn(g, 2) << 31 | 0x1au << 25 | rn(g, 2) << 24 | off << 5 | rs_z(g));
		break;
	case 2:		/* TBZ/TBNZ */
	case 3: {
		unsigned int bit = rn(g, 64);

		emit(g, (bit >> 5) << 31 | 0x1bu << 25 | rn(g, 2) << 24 | (bit & 31) << 19 |
			off << 5 | rs_z(g));
		break;
	}
	case 4:		/* B, BL */
		emit(g, rn(g, 2) << 31 | 0x5u << 26 | off);
		break;
	default: {	/* ADR + BR/BLR/RET */
		static const uint32_t ops[] = { 0xd61f0000, 0xd63f0000, 0xd65f0000 };
		unsigned int x = rd_gp(g);

		emit(g, 0x10000000u | ((off + 1) * 4 & 3) << 29 | ((off + 1) & 0x7ffff) << 5 | x);
		emit(g, ops[rn(g, 3)] | x << 5);
		break;
	}
	}
	for (unsigned int i = 0; i < k; i++)
		emit_filler(g);
	g->skippable += k;
}

/*
 * One misaligned exclusive, acquire/release or atomic access: an alignment
 * fault on both sides, after some register work whose results are
 * compared at the fault.  Exclusives fault misaligned anywhere; the others
 * cross a 16-byte boundary, which faults with FEAT_LSE2 too (SCTLR_EL1.nAA
 * is 0 in both).
 */
static void g_align_fault(struct gen *g)
{
	unsigned int size = 1 + rn(g, 3), b = 27, t = rd_gp(g), s = rd_gp(g);
	unsigned int kind = rn(g, 8);
	int32_t mis = rrange(g, 1, (1 << size) - 1);
	int32_t off = rrange(g, -100, 100) * 16 + (kind <= 2 ? mis : 16 - mis);

	for (unsigned int i = rn(g, 6); i; i--)
		emit_filler(g);
	emit_base(g, b, off);
	if (t == b)
		t = 0;
	if (s == b || s == t)
		s = t ? t - 1 : 1;
	/*
	 * No STXR/STLXR: the Arm ARM checks alignment before the monitor
	 * (AArch64.ExclusiveMonitorsPass), qemu-user 7.2 fails the store
	 * without a fault when no monitor is open at that address.
	 */
	switch (kind) {
	case 7:	/* LDAPUR, STLUR (FEAT_LRCPC2) */
		emit(g, size << 30 | 0x19000000u | rn(g, 2) << 22 |
			((uint32_t)rrange(g, -4, 4) << (12 + 4) & 0x1ff000u) | b << 5 | t);
		break;
	case 0:	/* LDXR, LDAXR */
	case 1:
		emit(g, enc_excl(size, 0, 1, 0, 31, rn(g, 2), 31, b, t));
		break;
	case 2:	/* LDXP, LDAXP (32- and 64-bit elements) */
		emit(g, enc_excl(2 + rn(g, 2), 0, 1, 1, 31, rn(g, 2), s, b, t));
		break;
	case 3:	/* LDAR, STLR */
		emit(g, enc_excl(size, 1, rn(g, 2), 0, 31, 1, 31, b, t));
		break;
	case 4:	/* CAS */
		emit(g, size << 30 | 0x08u << 24 | 1u << 23 | rn(g, 2) << 22 | 1u << 21 |
			s << 16 | rn(g, 2) << 15 | 31u << 10 | b << 5 | t);
		break;
	default:	/* LD<op>, SWP */
		emit(g, size << 30 | 0x38u << 24 | rn(g, 2) << 23 | rn(g, 2) << 22 | 1u << 21 |
			s << 16 | (chance(g, 5) ? 1u << 15 : rn(g, 8) << 12) | b << 5 | t);
		break;
	}
	for (unsigned int i = rn(g, 3); i; i--)
		emit_filler(g);
}

/*
 * FEAT_LSE2 (Arm ARM B2.2.1, "Alignment of ordered and atomic accesses"):
 * LDAR/STLR, LDAPR, LDAPUR/STLUR/LDAPURS, CAS, CASP, LD<op>/SWP at any
 * offset of a 16-byte quantity: inside it performed (single-copy atomic),
 * across its end an alignment fault (SCTLR_EL1.nAA = 0, as qemu-user
 * runs).  A fault ends the case (registers compared there): one access in
 * 24 crosses.
 */
static void g_lse2(struct gen *g)
{
	unsigned int lg = rn(g, 4), size = 1u << lg, b = 27, s, t, kind = rn(g, 6);
	unsigned int a = rn(g, 2), r = rn(g, 2), avoid[1] = { b };
	unsigned int go, span = size;
	int32_t imm = 0;

	if (kind == 5) {	/* CASP W (8 bytes) or X (16 bytes) */
		lg = 2 + rn(g, 2);
		span = 2u << lg;
	}
	if (span > 1 && chance(g, 24))
		go = 16 - span + 1 + rn(g, span - 1);	/* across the end */
	else
		go = rn(g, 16 - span + 1);		/* inside */
	if (kind == 2)
		imm = rrange(g, -4, 4) * 16;
	emit_base(g, b, rrange(g, -100, 100) * 16 + (int32_t)go - imm);
	switch (kind) {
	case 0:	/* LDAR, STLR */
		t = chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, enc_excl(lg, 1, rn(g, 2), 0, 31, 1, 31, b, t));
		break;
	case 1:	/* LDAPR */
		t = chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, lg << 30 | 0x38bfc000u | b << 5 | t);
		break;
	case 2: {	/* STLUR, LDAPUR, LDAPURS to X, to W */
		unsigned int opc = rn(g, 4);

		if (lg == 3 && opc >= 2)
			opc = rn(g, 2);
		if (lg == 2 && opc == 3)
			opc = 2;
		t = opc == 0 ? rs_z(g) : chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, lg << 30 | 0x19000000u | opc << 22 | ((uint32_t)imm & 0x1ff) << 12 |
			b << 5 | t);
		break;
	}
	case 3:	/* CAS{,A,L,AL} */
		s = rd_gp_not(g, avoid, 1);
		emit(g, lg << 30 | 0x08u << 24 | 1u << 23 | a << 22 | 1u << 21 | s << 16 |
			r << 15 | 31u << 10 | b << 5 | rs_z(g));
		break;
	case 4:	/* LD<op>, SWP; Rt = 31: ST<op> */
		s = rs_z(g);
		t = chance(g, 6) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, lg << 30 | 0x38u << 24 | a << 23 | r << 22 | 1u << 21 | s << 16 |
			(chance(g, 5) ? 1u << 15 : rn(g, 8) << 12) | b << 5 | t);
		break;
	default:	/* CASP: even pairs clear of the base (x27) */
		do
			s = 2 * rn(g, 14);
		while (s == b || s + 1 == b);
		do
			t = 2 * rn(g, 14);
		while (t == b || t + 1 == b);
		emit(g, (lg - 2) << 30 | 0x08u << 24 | a << 22 | 1u << 21 | s << 16 |
			r << 15 | 31u << 10 | b << 5 | t);
		break;
	}
}

/* ---- directed edge cases ----------------------------------------------- */

static uint64_t edge(struct gen *g)
{
	return edge_values[rn(g, N_EDGE)];
}

/* The same inputs (x1, x2, x3) through every op of a group, results in x4.. */
static void d_ops(struct gen *g, const uint32_t *ops, unsigned int n, int capture)
{
	unsigned int d = 4;

	for (unsigned int i = 0; i < n && room(g, 2); i++) {
		emit(g, ops[i] | d);
		d = d == 27 ? 4 : d + 1;
		if (capture) {
			emit(g, 0xd53b4200u | d);	/* MRS Xd, NZCV */
			d = d == 27 ? 4 : d + 1;
		}
	}
}

#define R3(op)	((op) | 2u << 16 | 1u << 5)		/* op Rd, R1, R2 */

static void g_directed(struct gen *g, unsigned int index)
{
	struct diff_case *c = g->c;

	c->r.x[1] = edge(g);
	c->r.x[2] = edge(g);
	c->r.x[3] = edge(g);
	switch (index % 7) {
	case 0: {	/* division: by zero, INT_MIN / -1 */
		static const uint32_t ops[] = {
			R3(0x1ac00800), R3(0x1ac00c00), R3(0x9ac00800), R3(0x9ac00c00),
		};
		static const uint64_t dv[] = { 0, (uint64_t)-1, 0xffffffff, 1, 0x80000000 };

		if (chance(g, 2))
			c->r.x[1] = chance(g, 2) ? 0x8000000000000000ULL : 0xffffffff80000000ULL;
		c->r.x[2] = dv[rn(g, 5)];
		d_ops(g, ops, 4, 0);
		break;
	}
	case 1: {	/* variable shifts by >= the width */
		static const uint32_t ops[] = {
			R3(0x1ac02000), R3(0x1ac02400), R3(0x1ac02800), R3(0x1ac02c00),
			R3(0x9ac02000), R3(0x9ac02400), R3(0x9ac02800), R3(0x9ac02c00),
		};
		static const uint64_t sh[] = { 31, 32, 33, 63, 64, 65, 127, 128, 255,
					       0xffffffff, (uint64_t)-1, 0x100000020ULL };

		c->r.x[2] = sh[rn(g, sizeof(sh) / sizeof(sh[0]))];
		d_ops(g, ops, 8, 0);
		break;
	}
	case 2: {	/* flags of ADDS/SUBS/ADCS/SBCS/ANDS/BICS, 32 and 64 */
		static const uint32_t ops[] = {
			R3(0x2b000000), R3(0x6b000000), R3(0x3a000000), R3(0x7a000000),
			R3(0x6a000000), R3(0x6a200000),
			R3(0xab000000), R3(0xeb000000), R3(0xba000000), R3(0xfa000000),
			R3(0xea000000), R3(0xea200000),
		};

		d_ops(g, ops, 12, 1);
		break;
	}
	case 3: {	/* CCMP/CCMN every condition, CSEL family on the flags */
		uint32_t ops[16];

		for (unsigned int i = 0; i < 16; i++)
			ops[i] = (rn(g, 2) ? 0xfa400000u : 0xba400000u) | 2u << 16 |
				 i << 12 | 1u << 5 | rn(g, 16);
		for (unsigned int i = 0; i < 16 && room(g, 3); i++) {
			emit(g, ops[i]);
			emit(g, 0xd53b4200u | (4 + i));	/* MRS Xn, NZCV */
		}
		break;
	}
	case 4: {	/* misaligned accesses and pairs on Normal memory */
		for (unsigned int i = 0; i < 10 && room(g, 3); i++) {
			unsigned int size = 1 + rn(g, 3), t = 4 + i;
			int32_t off = rrange(g, -90, 90) * 16 + 1 + (int32_t)rn(g, 15);

			switch (rn(g, 4)) {
			case 0:	/* LDUR/STUR any size, sign-extending too */
				emit(g, enc_ldst((struct ldst_form){ size, rn(g, size == 3 ? 2 : size == 2 ? 3 : 4) },
						 ((uint32_t)(off % 256) & 0x1ff) << 12,
						 DIFF_BASE_REG, t));
				break;
			case 1:	/* LDP/STP/LDPSW at an odd address */
				emit_base(g, 27, off);
				emit(g, (rn(g, 2) ? 2u : rn(g, 2)) << 30 | 0x5u << 27 | 2u << 23 |
					1u << 22 | (rn(g, 8) & 0x7f) << 15 | (t + 12) << 10 |
					27u << 5 | t);
				break;
			case 2:
				emit_base(g, 27, off);
				emit(g, (rn(g, 2) ? 2u : 0u) << 30 | 0x5u << 27 | 2u << 23 |
					(rn(g, 8) & 0x7f) << 15 | rn(g, 31) << 10 | 27u << 5 | rn(g, 31));
				break;
			default:	/* register offset */
				emit_mov64(g, 26, (uint64_t)(int64_t)off);
				emit(g, enc_ldst((struct ldst_form){ size, rn(g, 2) },
						 1u << 21 | 26u << 16 | 7u << 13 | 2u << 10,
						 DIFF_BASE_REG, t));
				break;
			}
		}
		break;
	}
	case 5:		/* exclusives: success, failure after CLREX, pairs */
		for (unsigned int i = 0; i < 6 && room(g, 8); i++)
			g_excl(g);
		break;
	default:	/* CAS/CASP (compare value often loaded first), LD<op>, SWP */
		for (unsigned int i = 0; i < 8 && room(g, 6); i++)
			g_lse(g);
		break;
	}
}

/*
 * FEAT_FlagM, FEAT_FlagM2 and FEAT_SB: CFINV, RMIF (any shift and mask),
 * SETF8/SETF16, AXFLAG/XAFLAG and SB between flag-setting filler, NZCV
 * often captured (MRS) on the way.  After the random classes: not in mixed.
 */
static void g_flagm(struct gen *g)
{
	switch (rn(g, 7)) {
	case 0:
		emit(g, 0xd500401f);	/* CFINV */
		break;
	case 1:
		emit(g, 0xba000400u | rn(g, 64) << 15 | rs_z(g) << 5 | rn(g, 16));	/* RMIF */
		break;
	case 2:
		emit(g, 0x3a00080du | rn(g, 2) << 14 | rs_z(g) << 5);	/* SETF8, SETF16 */
		break;
	case 3:
		emit(g, rn(g, 2) ? 0xd500403f : 0xd500405f);	/* XAFLAG, AXFLAG */
		break;
	case 4:
		emit(g, 0xd50330ff);	/* SB */
		break;
	case 5:		/* ADDS/SUBS/ANDS: new flags */
		emit(g, (rn(g, 2) ? 0xab000000u : 0xea000000u) | rs_z(g) << 16 | rs_z(g) << 5 |
			rd_z(g));
		break;
	default:
		emit(g, 0xd53b4200u | rd_gp(g));	/* MRS Xt, NZCV */
		break;
	}
}

/*
 * FEAT_LRCPC and FEAT_LRCPC2: LDAPR{B,H,}, STLUR/LDAPUR all sizes and
 * LDAPURS{B,H,W} to W and X, aligned (offset a multiple of the size),
 * base x28 or a register derived from it, loads never to the base.
 */
static void g_rcpc(struct gen *g)
{
	unsigned int size = rn(g, 4), b = DIFF_BASE_REG, t;
	unsigned int avoid[1];

	if (!chance(g, 4)) {	/* inside the buffer even with the offset */
		b = rd_gp(g);
		emit_base(g, b, rrange(g, -1700, 1700) & ~(int32_t)((1u << size) - 1));
	}
	avoid[0] = b;

	if (chance(g, 3)) {	/* LDAPR */
		t = chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, size << 30 | 0x38bfc000u | b << 5 | t);
		return;
	}
	{
		unsigned int opc = rn(g, 4);
		int32_t off = rrange(g, -256 >> size, 255 >> size) * (1 << size);

		if (size == 3 && opc >= 2)
			opc = rn(g, 2);
		if (size == 2 && opc == 3)
			opc = 2;
		t = opc == 0 ? rs_z(g) : chance(g, 8) ? 31 : rd_gp_not(g, avoid, 1);
		emit(g, size << 30 | 0x19000000u | opc << 22 | ((uint32_t)off & 0x1ff) << 12 |
			b << 5 | t);
	}
}

/* ---- cases ------------------------------------------------------------- */

static void (*const class_gens[])(struct gen *) = {
	[CL_ADDSUB_IMM] = g_addsub_imm,	[CL_LOGIC_IMM] = g_logic_imm,
	[CL_MOVE_WIDE] = g_move_wide,	[CL_ADR] = g_adr,
	[CL_BITFIELD] = g_bitfield,	[CL_EXTR] = g_extr,
	[CL_ADDSUB_REG] = g_addsub_reg,	[CL_LOGIC_REG] = g_logic_reg,
	[CL_ADC] = g_adc,		[CL_CCMP] = g_ccmp,
	[CL_CSEL] = g_csel_class,		[CL_DP1] = g_dp1,
	[CL_DP2] = g_dp2,		[CL_DP3] = g_dp3,
	[CL_LDST_IMM] = g_ldst_imm,	[CL_LDST_WB] = g_ldst_wb,
	[CL_LDST_REG] = g_ldst_reg,	[CL_LDST_LIT] = g_ldst_lit,
	[CL_LDST_PAIR] = g_ldst_pair,	[CL_LDST_UNPRIV] = g_ldst_unpriv,
	[CL_ACQREL] = g_acqrel,		[CL_EXCL] = g_excl,
	[CL_LSE] = g_lse,		[CL_BRANCH] = g_branch,
};

#define N_CLASS_GENS (sizeof(class_gens) / sizeof(class_gens[0]))

/* The inputs before the code constrains some: X0-X30, NZCV, the buffer */
static void fill_inputs(struct gen *g)
{
	struct diff_case *c = g->c;

	for (int i = 0; i < 31; i++)
		c->r.x[i] = rval(g);
	c->r.x[DIFF_BASE_REG] = DIFF_BASE_VA;
	c->r.nzcv = (uint64_t)rn(g, 16) << 28;
	for (unsigned int i = 0; i < DIFF_BUF_SIZE; i += 8) {
		uint64_t v = chance(g, 4) ? edge(g) : r64(g);

		memcpy(c->buf + i, &v, 8);
	}
}

/*
 * -k: the generator after the fill of the last base case, so that the
 * variants after it need not make its inputs again to reach the draws
 * of its code (the fill was a fifth to a third of a run's CPU)
 */
static struct {
	bool valid;
	int cls;
	unsigned int base;
	uint64_t seed, rng;
} after_fill;

unsigned int diff_gen_case(struct diff_case *c, int cls, uint64_t seed, unsigned int index,
			   unsigned int variants)
{
	struct gen g = { .c = c };
	unsigned int target, base = index / variants;

	memset(c, 0, sizeof(*c));
	if (index % variants && after_fill.valid && after_fill.seed == seed &&
	    after_fill.cls == cls && after_fill.base == base) {
		g.rng = after_fill.rng;
	} else {
		g.rng = seed ^ (uint64_t)cls << 48 ^ (uint64_t)base * 0x2545f4914f6cdd1dULL;
		splitmix(&g.rng);
		fill_inputs(&g);
		if (variants > 1) {
			after_fill.valid = true;
			after_fill.cls = cls;
			after_fill.base = base;
			after_fill.seed = seed;
			after_fill.rng = g.rng;
		}
	}
	if (index % variants) {
		/* a variant: its own inputs, the base's code (g.rng goes on) */
		struct gen v = { .c = c };

		v.rng = seed ^ DIFF_VARIANT_SEED ^ (uint64_t)cls << 48 ^
			(uint64_t)index * 0x2545f4914f6cdd1dULL;
		splitmix(&v.rng);
		fill_inputs(&v);
	}
	index = base;

	if (cls == CL_FLAGM || cls == CL_RCPC) {
		target = 16 + rn(&g, 48);
		while (c->nwords < target && room(&g, 12))
			(cls == CL_FLAGM ? g_flagm : g_rcpc)(&g);
		return 0;
	}
	if (cls == CL_LSE2) {
		/* a fault ends the case: count nothing after the first access */
		target = 8 + rn(&g, 24);
		while (c->nwords < target && room(&g, 4)) {
			g_lse2(&g);
			if (chance(&g, 2))
				emit_filler(&g);
		}
		return c->nwords > 2 ? c->nwords - 2 : 0;
	}
	if (cls == CL_DIRECTED) {
		g_directed(&g, index);
		return g.skippable;
	}
	if (cls == CL_ALIGN) {
		unsigned int before;

		g_align_fault(&g);
		/* the words after the faulting one do not run */
		before = c->nwords;
		while (before && !((c->words[before - 1] & 0x3f000000u) == 0x08000000u ||
				   (c->words[before - 1] & 0x3f200c00u) == 0x38200000u ||
				   (c->words[before - 1] & 0x3f000000u) == 0x19000000u))
			before--;
		return c->nwords - before;
	}
	target = 16 + rn(&g, 48);
	while (c->nwords < target && room(&g, 12)) {
		if (cls == CL_MIXED)
			class_gens[rn(&g, N_CLASS_GENS)](&g);
		else
			class_gens[cls](&g);
	}
	return g.skippable;
}
