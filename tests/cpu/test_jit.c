// SPDX-License-Identifier: GPL-2.0
/*
 * The block translator (kernel/cpu/jit/): the x86-64 emitter's encodings
 * against their known bytes; the code buffer (one memfd mapped RW and RX)
 * running what was written; then random loops of integer instructions
 * (every inline form of translate.c with random registers, shifts and
 * immediates, mixed with instructions it calls: ADDS, ANDS...; compares
 * followed by a conditional select or branch, and branches over one
 * instruction ending blocks; a third of the loops straddling a page, some
 * running past a chain's budget of taken branches) run by the interpreter
 * and by the JIT (translation at the first check with lockstep, and after
 * a few runs), compared register by register; the same loops with one
 * word changed between runs (the translation must be dropped) or run
 * again unchanged (translations kept, exits chained directly), and a
 * fault inside a translated block (same exit, PC and registers as the
 * interpreter); hints, PAuth hints, ADR/ADRP and BTI landings inside
 * blocks (test_hint20()).
 *
 * Usage: test_jit [seed]
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include "../../kernel/cpu/internal.h"
#include "../../kernel/cpu/fp.h"
#include "../../kernel/cpu/jit/codebuf.h"
#include "../../kernel/cpu/jit/jit.h"
#include "../../kernel/cpu/jit/x86.h"

#define RAM_SIZE	0x10000ULL
#define CODE_GPA	(RAM_GPA + 0x1000)
#define DATA_GPA	(RAM_GPA + 0x8000)
#define MEM_LO		(DATA_GPA - 0x1000)	/* the memory compared: to RAM's end */
#define MEM_SIZE	(RAM_GPA + RAM_SIZE - MEM_LO)
#define LOOPS		200
#define BODY_MAX	40

/* ---- emitter ---- */

static uint8_t ebuf[64];

static int bytes_are(struct x86 *e, const char *want_hex)
{
	uint8_t want[32];
	size_t n = 0;

	while (*want_hex) {
		unsigned int b;

		if (*want_hex == ' ') {
			want_hex++;
			continue;
		}
		sscanf(want_hex, "%2x", &b);
		want[n++] = (uint8_t)b;
		want_hex += 2;
	}
	return !e->full && (size_t)(e->p - ebuf) == n && !memcmp(ebuf, want, n);
}

#define ENC(call, hex)								\
	do {									\
		struct x86 e_;							\
		x86_init(&e_, ebuf, ebuf + sizeof(ebuf));			\
		{ struct x86 *e = &e_; call; }					\
		tap_ok(bytes_are(&e_, hex), "x86: %s is %s", #call, hex);	\
	} while (0)

static void test_emitter(void)
{
	struct x86 e;
	uint8_t *at;

	ENC(x86_push(e, X86_RBX), "53");
	ENC(x86_pop(e, X86_RBX), "5b");
	ENC(x86_ret(e), "c3");
	ENC(x86_mov_rr(e, true, X86_RBX, X86_RDI), "48 89 fb");
	ENC(x86_mov_rr(e, false, X86_RDX, X86_RAX), "89 c2");
	ENC(x86_mov_ri(e, X86_RCX, 0x12345678), "b9 78 56 34 12");
	ENC(x86_mov_ri(e, X86_RSI, 0x1122334455667788ULL), "48 be 88 77 66 55 44 33 22 11");
	ENC(x86_load(e, true, X86_RAX, X86_RBX, 0), "48 8b 03");
	ENC(x86_load(e, true, X86_RAX, X86_RBX, 0x10), "48 8b 43 10");
	ENC(x86_load(e, false, X86_RCX, X86_RBX, 0xf8), "8b 8b f8 00 00 00");
	ENC(x86_load(e, true, X86_RAX, X86_RBP, 0), "48 8b 45 00");
	ENC(x86_load(e, true, X86_RAX, X86_RSP, 8), "48 8b 44 24 08");
	ENC(x86_store(e, true, X86_RBX, 0x20, X86_RAX), "48 89 43 20");
	ENC(x86_store_imm(e, true, X86_RBX, 0x18, -1), "48 c7 43 18 ff ff ff ff");
	ENC(x86_store_imm(e, false, X86_RBX, 0x200, 2), "c7 83 00 02 00 00 02 00 00 00");
	ENC(x86_alu_rr(e, X86_ADD, true, X86_RAX, X86_RCX), "48 01 c8");
	ENC(x86_alu_rr(e, X86_SUB, false, X86_RAX, X86_RCX), "29 c8");
	ENC(x86_alu_rr(e, X86_XOR, true, X86_RAX, X86_RCX), "48 31 c8");
	ENC(x86_alu_rr(e, X86_AND, true, X86_RAX, X86_RCX), "48 21 c8");
	ENC(x86_alu_rr(e, X86_OR, false, X86_RAX, X86_RCX), "09 c8");
	ENC(x86_alu_ri(e, X86_ADD, true, X86_RAX, 1), "48 83 c0 01");
	ENC(x86_alu_ri(e, X86_SUB, false, X86_RAX, 0xfff000), "81 e8 00 f0 ff 00");
	ENC(x86_alu_rm(e, X86_CMP, true, X86_RCX, X86_RDX, 0), "48 3b 0a");
	ENC(x86_alu_rm(e, X86_ADD, true, X86_RDX, X86_RBX, 0x188), "48 03 93 88 01 00 00");
	ENC(x86_alu_rm(e, X86_ADD, true, X86_RAX, X86_RDX, 0x18), "48 03 42 18");
	ENC(x86_movzx_m(e, 1, X86_RAX, X86_RAX, 0), "0f b6 00");
	ENC(x86_store_n(e, 1, X86_RAX, 0, X86_RCX), "88 08");
	ENC(x86_store_n(e, 2, X86_RAX, 0, X86_RCX), "66 89 08");
	ENC(x86_store_n(e, 4, X86_RAX, 0, X86_RCX), "89 08");
	ENC(x86_store_n(e, 8, X86_RAX, 0, X86_RCX), "48 89 08");
	ENC(x86_movzx_m(e, 2, X86_RAX, X86_RAX, 0), "0f b7 00");
	ENC(x86_movsxd_m(e, X86_RCX, X86_RBX, 0x40), "48 63 4b 40");
	ENC(x86_shift_ri(e, X86_SHL, true, X86_RCX, 3), "48 c1 e1 03");
	ENC(x86_shift_ri(e, X86_SHR, false, X86_RAX, 31), "c1 e8 1f");
	ENC(x86_shift_ri(e, X86_SAR, true, X86_RAX, 63), "48 c1 f8 3f");
	ENC(x86_shift_ri(e, X86_ROR, false, X86_RCX, 7), "c1 c9 07");
	ENC(x86_not(e, true, X86_RCX), "48 f7 d1");
	ENC(x86_test_rr(e, false, X86_RAX, X86_RAX), "85 c0");
	ENC(x86_call_r(e, X86_RAX), "ff d0");
	ENC(x86_jmp_r(e, X86_RAX), "ff e0");
	ENC(x86_jmp_m(e, X86_RSI, 8), "ff 66 08");
	ENC(x86_shift_cl(e, X86_SHL, true, X86_RAX), "48 d3 e0");
	ENC(x86_shift_cl(e, X86_ROR, false, X86_RAX), "d3 c8");
	ENC(x86_alu_mi(e, X86_SUB, false, X86_RDI, 0x10, 1), "83 6f 10 01");
	ENC(x86_alu_mi(e, X86_ADD, true, X86_RBX, 0x200, 0x1000),
	    "48 81 83 00 02 00 00 00 10 00 00");
	ENC(x86_imul_rr(e, true, X86_RAX, X86_RCX), "48 0f af c1");
	ENC(x86_imul_rr(e, false, X86_RAX, X86_RCX), "0f af c1");
	ENC(x86_cmov(e, X86_NE, true, X86_RAX, X86_RCX), "48 0f 45 c1");
	ENC(x86_neg(e, false, X86_RAX), "f7 d8");
	ENC(x86_neg(e, true, X86_RCX), "48 f7 d9");
	ENC(x86_bt_ri(e, X86_RAX, 63), "48 0f ba e0 3f");
	ENC(x86_bt_rr(e, X86_RDX, X86_RCX), "48 0f a3 ca");
	ENC(x86_store_zero_n(e, 1, X86_RAX, 0), "c6 00 00");
	ENC(x86_store_zero_n(e, 2, X86_RAX, 0), "66 c7 00 00 00");
	ENC(x86_store_zero_n(e, 4, X86_R8, 8), "41 c7 40 08 00 00 00 00");
	ENC(x86_store_zero_n(e, 8, X86_RAX, 0), "48 c7 00 00 00 00 00");
	ENC(x86_bt_rr(e, X86_R9, X86_R10), "4d 0f a3 d1");
	ENC(x86_alu_rm(e, X86_CMP, true, X86_RSP, X86_RDI, 0x40), "48 3b 67 40");
	/* R8-R15: REX.R (reg field), REX.B (r/m or base); R12 as a base needs
	 * a SIB, R13 a displacement; a byte of SIL a bare REX */
	ENC(x86_mov_rr(e, true, X86_R8, X86_RAX), "49 89 c0");
	ENC(x86_mov_rr(e, false, X86_RAX, X86_R11), "44 89 d8");
	ENC(x86_load(e, true, X86_R9, X86_RBX, 0x10), "4c 8b 4b 10");
	ENC(x86_store(e, true, X86_RBX, 0x20, X86_R10), "4c 89 53 20");
	ENC(x86_load(e, true, X86_RAX, X86_R12, 8), "49 8b 44 24 08");
	ENC(x86_load(e, true, X86_RAX, X86_R13, 0), "49 8b 45 00");
	ENC(x86_load(e, true, X86_R8, X86_R15, 8), "4d 8b 47 08");
	ENC(x86_alu_ri(e, X86_ADD, false, X86_R8, 1), "41 83 c0 01");
	ENC(x86_alu_rr(e, X86_AND, true, X86_R9, X86_RCX), "49 21 c9");
	ENC(x86_imul_rr(e, true, X86_RAX, X86_R10), "49 0f af c2");
	ENC(x86_movzx_m(e, 2, X86_R11, X86_RAX, 0), "44 0f b7 18");
	ENC(x86_store_n(e, 1, X86_RAX, 0, X86_R8), "44 88 00");
	ENC(x86_store_n(e, 1, X86_RAX, 0, X86_RSI), "40 88 30");
	ENC(x86_movsxd_rr(e, X86_RCX, X86_R9), "49 63 c9");
	ENC(x86_test_rr(e, true, X86_R8, X86_R8), "4d 85 c0");
	ENC(x86_bt_ri(e, X86_R10, 5), "49 0f ba e2 05");
	ENC(x86_mov_ri(e, X86_R8, 5), "41 b8 05 00 00 00");
	ENC(x86_mov_ri(e, X86_R9, 0x1122334455667788ULL), "49 b9 88 77 66 55 44 33 22 11");
	ENC(x86_push(e, X86_R12), "41 54");
	ENC(x86_lea(e, false, X86_RAX, X86_R8, 5), "41 8d 40 05");
	ENC(x86_lea(e, true, X86_RAX, X86_R8, 5), "49 8d 40 05");
	ENC(x86_lea(e, true, X86_R9, X86_R12, -8), "4d 8d 4c 24 f8");
	ENC(x86_lea(e, true, X86_RAX, X86_RSI, 0x1000), "48 8d 86 00 10 00 00");
	ENC(x86_lea_idx(e, X86_RAX, X86_R10, X86_RCX, 0), "49 8d 04 0a");
	ENC(x86_lea_idx(e, X86_RAX, X86_RAX, X86_RCX, 2), "48 8d 04 88");
	ENC(x86_lea_idx(e, X86_RAX, X86_R13, X86_RCX, 3), "49 8d 44 cd 00");
	ENC(x86_lea_idx(e, X86_R11, X86_R8, X86_R9, 1), "4f 8d 1c 48");

	/* a forward Jcc patched to the next instruction: rel32 0 */
	x86_init(&e, ebuf, ebuf + sizeof(ebuf));
	at = x86_jcc(&e, X86_NE);
	x86_patch(at, e.p);
	tap_ok(bytes_are(&e, "0f 85 00 00 00 00"), "x86: JNE rel32 patched to the next byte");
	x86_init(&e, ebuf, ebuf + sizeof(ebuf));
	x86_ret(&e);
	at = x86_jmp(&e);
	x86_patch(at, ebuf);
	tap_ok(bytes_are(&e, "c3 e9 fa ff ff ff"), "x86: JMP rel32 backwards");
	x86_init(&e, ebuf, ebuf + 3);
	x86_mov_ri(&e, X86_RAX, 1);
	tap_ok(e.full, "x86: an instruction past the end sets full");
}

/* ---- code buffer ---- */

static void test_codebuf(void)
{
	struct codebuf b;
	struct x86 e;
	int (*f)(int);
	int ok;

	ok = codebuf_init(&b, 1 << 16) == 0;
	tap_ok(ok && b.rw != b.rx, "codebuf: one memfd mapped at two addresses");
	if (!ok)
		return;
	x86_init(&e, b.rw, b.rw + b.size);
	x86_mov_rr(&e, false, X86_RAX, X86_RDI);	/* mov eax, edi */
	x86_alu_ri(&e, X86_ADD, false, X86_RAX, 42);
	x86_ret(&e);
	f = (int (*)(int))(uintptr_t)codebuf_rx(&b, b.rw);
	tap_ok(f(1) == 43 && codebuf_holds(&b, (const void *)(uintptr_t)f) &&
	       !codebuf_holds(&b, b.rw + b.size) , "codebuf: code written through RW runs at RX");
	/* the RX side is not writable: mprotect to RWX would be needed */
	tap_ok(mprotect(b.rx, b.size, PROT_READ | PROT_EXEC) == 0 &&
	       b.rx != b.rw, "codebuf: RX mapping stays read-execute");
	codebuf_free(&b);
}

/* ---- engine: random loops, interpreter against JIT ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* not 0: registers drawn from x0..x(reg_pool - 1) (and x27, x28, XZR as
 * sources), so that blocks name a few registers many times and the
 * translator keeps them in host registers */
static unsigned int reg_pool;

static unsigned int rreg(void)		/* destination: never x27/x28 */
{
	unsigned int r = (unsigned int)(rnd() % (reg_pool ? reg_pool + 1 : 29));

	return r >= (reg_pool ? reg_pool : 27) ? 31 : r;
}

static unsigned int sreg(void)		/* source: any, 31 included */
{
	unsigned int r;

	if (!reg_pool)
		return (unsigned int)(rnd() % 32);
	r = (unsigned int)(rnd() % (reg_pool + 3));
	return r < reg_pool ? r : r == reg_pool ? 27 : r == reg_pool + 1 ? 28 : 31;
}

static uint32_t (*gen_extra)(void);	/* not NULL: half of gen_insn()'s words */

static uint32_t gen_insn(void)
{
	uint32_t sf = (uint32_t)(rnd() & 1), w;
	unsigned int n, immr, imms;
	uint64_t m;

	if (gen_extra && (rnd() & 1))
		return gen_extra();

	switch (rnd() % 18) {
	case 0:		/* ADD/ADDS/SUB/SUBS (immediate) */
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x11000000 |
		       (uint32_t)(rnd() & 1) << 22 | (uint32_t)(rnd() & 0xfff) << 10 |
		       sreg() << 5 | rreg();
	case 1:		/* ADD/ADDS/SUB/SUBS (shifted register); half unshifted:
			 * Xm straight from its host register (Xm = Xd too) */
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x0b000000 |
		       (uint32_t)(rnd() % 3) << 22 | sreg() << 16 |
		       (uint32_t)((rnd() & 1) ? 0 : rnd() % (sf ? 64 : 32)) << 10 |
		       sreg() << 5 | rreg();
	case 2:
	case 3:		/* AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register),
			 * half unshifted; Rn XZR: MOV, MVN */
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x0a000000 |
		       (uint32_t)(rnd() & 3) << 22 | (uint32_t)(rnd() & 1) << 21 |
		       sreg() << 16 |
		       (uint32_t)((rnd() & 1) ? 0 : rnd() % (sf ? 64 : 32)) << 10 |
		       sreg() << 5 | rreg();
	case 4:		/* MOVN/MOVZ/MOVK */
		return sf << 31 | (uint32_t)((rnd() % 3) ? 2 + (rnd() & 1) : 0) << 29 |
		       0x12800000 | (uint32_t)(rnd() % (sf ? 4 : 2)) << 21 |
		       (uint32_t)(rnd() & 0xffff) << 5 | rreg();
	case 5:		/* AND/ORR/EOR/ANDS (immediate), valid masks only */
		do {
			n = sf ? (unsigned int)(rnd() & 1) : 0;
			immr = (unsigned int)(rnd() % (sf ? 64 : 32));
			imms = (unsigned int)(rnd() % 64);
			if (!sf)
				imms &= 31;
		} while (!decode_bit_masks(n, imms, immr, &m));
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x12000000 | n << 22 |
		       immr << 16 | imms << 10 | sreg() << 5 | rreg();
	case 6:
	case 7:		/* SBFM/UBFM: the shift aliases mostly, any field sometimes */
		n = sf ? 64 : 32;
		immr = (unsigned int)(rnd() % n);
		switch (rnd() % 3) {
		case 0: imms = n - 1; break;			/* LSR/ASR */
		case 1: imms = immr ? immr - 1 : n - 1; break;	/* LSL */
		default: imms = (unsigned int)(rnd() % n); break;
		}
		return sf << 31 | (uint32_t)((rnd() & 1) ? 2 : 0) << 29 | 0x13000000 |
		       sf << 22 | immr << 16 | imms << 10 | sreg() << 5 | rreg();
	case 8:		/* MADD */
		return sf << 31 | 0x1b000000 | sreg() << 16 | sreg() << 10 | sreg() << 5 | rreg();
	case 9:		/* CSEL: reads NZCV (lazy or not) */
		return sf << 31 | 0x1a800000 | sreg() << 16 | (uint32_t)(rnd() & 15) << 12 |
		       sreg() << 5 | rreg();
	case 10:	/* LDR/STR X (unsigned offset) from x28 */
		w = (rnd() & 1) ? 0xf9400000 : 0xf9000000;
		return w | (uint32_t)(rnd() % 64) << 10 | 28 << 5 | rreg();
	case 12:	/* LDR/STR{B,H,W,X} (unsigned offset) from x28 */
		w = (rnd() & 1) ? 0x39400000 : 0x39000000;
		return (uint32_t)(rnd() & 3) << 30 | w | (uint32_t)(rnd() % 64) << 10 |
		       28 << 5 | (w == 0x39000000 ? sreg() : rreg());
	case 13:	/* LDR/STR{B,H,W,X} (register offset) x28 + x27 (1-5) */
		n = (unsigned int)(rnd() & 3);
		w = (rnd() & 1) ? 0x38600800 : 0x38200800;
		return (uint32_t)(rnd() & 3) << 30 | w | 27 << 16 |
		       (uint32_t)(n == 0 ? 2 : n == 1 ? 3 : n == 2 ? 6 : 7) << 13 |
		       (uint32_t)(rnd() & 1) << 12 | 28 << 5 | rreg();
	case 11:	/* MSUB */
		return sf << 31 | 0x1b008000 | sreg() << 16 | sreg() << 10 | sreg() << 5 | rreg();
	case 14:	/* LSLV, LSRV, ASRV, RORV */
		return sf << 31 | 0x1ac02000 | sreg() << 16 | (uint32_t)(rnd() & 3) << 10 |
		       sreg() << 5 | rreg();
	case 15:	/* CSINC, CSINV, CSNEG (CSEL: case 9) */
		n = (unsigned int)(1 + rnd() % 3);
		return sf << 31 | (n >> 1) << 30 | 0x1a800000 | sreg() << 16 |
		       (uint32_t)(rnd() & 15) << 12 | (n & 1) << 10 | sreg() << 5 | rreg();
	case 16:	/* LDR/STR{B,H,W,X} pre-/post-index x28, by -8..32 step 8
			 * (x28 drifts up, within MEM_LO..RAM's end or past it);
			 * a load into x28 itself sometimes (the writeback wins,
			 * as the handler has it) */
		w = (rnd() & 1) ? 0x38400000 : 0x38000000;
		return (uint32_t)(rnd() & 3) << 30 | w |
		       ((uint32_t)(8 * (int)(rnd() % 6) - 8) & 0x1ff) << 12 |
		       ((rnd() & 1) ? 0xc00 : 0x400) | 28 << 5 |
		       (w == 0x38000000 ? sreg() : (rnd() % 4) ? rreg() : 28);
	default:	/* CMP (immediate) */
		return sf << 31 | 0x71000000 | (uint32_t)(rnd() & 0xfff) << 10 | sreg() << 5 | 31;
	}
}

/* SUBS (immediate, or shifted register) of either size, to XZR (CMP) or
 * not: flags for the condition after it */
static uint32_t gen_subs(void)
{
	uint32_t sf = (uint32_t)(rnd() & 1);
	uint32_t rd = (rnd() & 1) ? 31 : rreg();

	if (rnd() & 1)
		return sf << 31 | 0x71000000 | (uint32_t)(rnd() & 1) << 22 |
		       (uint32_t)(rnd() & 0xfff) << 10 | (uint32_t)(rnd() % 31) << 5 | rd;
	/* half of them unshifted: CMP Xn, Xm from cached registers */
	return sf << 31 | 0x6b000000 | (uint32_t)(rnd() % 3) << 22 | sreg() << 16 |
	       (uint32_t)((rnd() & 1) ? 0 : rnd() % (sf ? 64 : 32)) << 10 | sreg() << 5 | rd;
}

/* A branch over the next instruction: B.cond (any condition), CBZ, CBNZ,
 * TBZ, TBNZ on any register, or B */
static uint32_t gen_skip(void)
{
	uint32_t sf = (uint32_t)(rnd() & 1), b = (uint32_t)(rnd() % 64);

	switch (rnd() % 6) {
	case 0: return 0x54000040 | (uint32_t)(rnd() & 15);		/* B.cond .+8 */
	case 1: return sf << 31 | 0x34000040 | sreg();			/* CBZ */
	case 2: return sf << 31 | 0x35000040 | sreg();			/* CBNZ */
	case 3: return (b >> 5) << 31 | 0x36000040 | (b & 31) << 19 | sreg(); /* TBZ */
	case 4: return (b >> 5) << 31 | 0x37000040 | (b & 31) << 19 | sreg(); /* TBNZ */
	default: return 0x14000002;					/* B .+8 */
	}
}

static struct env R, J;		/* interpreter, JIT */
static uint64_t sctlr_or;		/* setup()'s SCTLR_EL1 bits (SA: test_ins18()) */
static uint32_t prog[BODY_MAX + 8];
static unsigned int prog_len;
static uint64_t code_at = CODE_GPA;	/* where setup() loads prog */

/*
 * loop: body; SUBS x27, x27, #1; B.NE loop; then LDR x2, [x1] with x1 at
 * MMIO_GPA when fault, else HVC #0.  The body mixes single instructions
 * with a SUBS followed by a conditional select or a branch over the next
 * instruction, and with branches over the next instruction (blocks that
 * end in each branch the translator does itself).
 */
static void gen_prog(unsigned int body, bool fault)
{
	unsigned int i, r;

	prog_len = 0;
	for (i = 0; i < body;) {
		r = (unsigned int)(rnd() % 8);
		if (r == 0 && i + 3 <= body) {
			prog[prog_len++] = gen_subs();
			prog[prog_len++] = (rnd() & 1) ? 0x54000040 | (uint32_t)(rnd() & 15) :
				(uint32_t)(rnd() & 1) << 31 | (uint32_t)(rnd() & 1) << 30 |
				0x1a800000 | sreg() << 16 | (uint32_t)(rnd() & 15) << 12 |
				(uint32_t)(rnd() & 1) << 10 | sreg() << 5 | rreg();
			prog[prog_len++] = gen_insn();
			i += 3;
		} else if (r == 1 && i + 2 <= body) {
			prog[prog_len++] = gen_skip();
			prog[prog_len++] = gen_insn();
			i += 2;
		} else {
			prog[prog_len++] = gen_insn();
			i++;
		}
	}
	prog[prog_len++] = 0xf100077b;				/* SUBS x27, x27, #1 */
	prog[prog_len++] = 0x54000001 | ((uint32_t)(-(int)(body + 1)) & 0x7ffff) << 5;
	if (fault) {
		prog[prog_len++] = 0xd2a12001;			/* MOVZ x1, #0x900, LSL 16 */
		prog[prog_len++] = 0x91000400;			/* ADD x0, x0, #1 */
		prog[prog_len++] = 0xf9400022;			/* LDR x2, [x1] */
		prog[prog_len++] = 0x91000400;
	}
	prog[prog_len++] = 0xd4000002;				/* HVC #0 */
}

static void setup(struct env *v, const uint64_t *x0)
{
	struct cpu_state *s = &v->cpu.state;

	env_reset(v, code_at);
	env_load(v, code_at, prog, prog_len * 4);
	memcpy(s->x, x0, 31 * 8);
	/* sometimes more taken branches than a chain's budget (64) */
	s->x[27] = (rnd() % 4) ? 1 + rnd() % 5 : 60 + rnd() % 80;
	s->x[28] = DATA_GPA;
	s->sp_el1 = 0x1234;
	s->sp_el0 = 0x5670;
	s->sysreg[SR_SCTLR_EL1] |= sctlr_or;
}

static const char *differs(struct env *a, struct env *b, enum cpu_exit_reason ra,
			   enum cpu_exit_reason rb)
{
	static char why[128];
	const struct cpu_state *x = &a->cpu.state, *y = &b->cpu.state;
	unsigned int i;

	if (ra != rb)
		return "exit reason";
	for (i = 0; i < 31; i++)
		if (x->x[i] != y->x[i]) {
			snprintf(why, sizeof(why), "x%u %#llx vs %#llx", i,
				 (unsigned long long)x->x[i], (unsigned long long)y->x[i]);
			return why;
		}
	if (x->pc != y->pc)
		return "PC";
	if (x->pstate != y->pstate)
		return "PSTATE";
	if (x->sp_el1 != y->sp_el1 || x->sp_el0 != y->sp_el0)
		return "SP";
	if (x->sysreg[SR_ESR_EL1] != y->sysreg[SR_ESR_EL1] ||
	    a->cpu.exit.esr != b->cpu.exit.esr)
		return "ESR";
	if (memcmp(env_ptr(a, MEM_LO), env_ptr(b, MEM_LO), MEM_SIZE))
		return "memory";
	return NULL;
}

/* compare_loops()'s second run: none, with one body word replaced, or
 * the same code again (translations kept: blocks translated after their
 * targets jump to them directly) */
enum rerun { RUN_ONCE, RUN_CHANGED, RUN_SAME };

/*
 * n random loops run by R and by J (J's environment already chose the
 * JIT's mode), run again as rerun says; fault: end with a load that
 * aborts.  Returns the mismatches, describing the first.
 */
static unsigned int compare_loops(const char *what, unsigned int n, enum rerun rerun,
				  bool fault)
{
	unsigned int bad = 0, i, k;
	uint64_t x0[31];

	for (i = 0; i < n; i++) {
		unsigned int body = 1 + (unsigned int)(rnd() % BODY_MAX);
		uint64_t save = rng;
		enum cpu_exit_reason ra, rb;
		const char *why;

		gen_prog(body, fault);
		/* a third of the loops straddle a page boundary: branches
		 * that leave the page */
		code_at = (rnd() % 3) ? CODE_GPA : CODE_GPA + 0x1000 - 4 * (rnd() % prog_len);
		for (k = 0; k < 31; k++)
			x0[k] = (rnd() & 1) ? rnd() : rnd() % 8;
		for (k = 0; k < MEM_SIZE; k += 8) {
			uint64_t v = rnd();

			memcpy((uint8_t *)env_ptr(&R, MEM_LO) + k, &v, 8);
			memcpy((uint8_t *)env_ptr(&J, MEM_LO) + k, &v, 8);
		}
		rng = save;
		setup(&R, x0);
		rng = save;
		setup(&J, x0);
		for (k = 0; k < (rerun != RUN_ONCE ? 2u : 1u); k++) {
			if (k) {
				unsigned int at = (unsigned int)(rnd() % body);

				if (rerun == RUN_CHANGED)
					prog[at] = gen_insn();
				save = rng;
				setup(&R, x0);
				rng = save;
				setup(&J, x0);
			}
			ra = env_run(&R);
			rb = env_run(&J);
			why = differs(&R, &J, ra, rb);
			if (why && !bad++) {
				unsigned int w;

				printf("# %s: loop %u (run %u) differs: %s\n", what, i, k, why);
				for (w = 0; w < prog_len; w++)
					printf("#   %08x %s\n", prog[w], insn_name(prog[w]));
			}
		}
	}
	return bad;
}

/*
 * A store into the block being run, to a word after it: the chain must end
 * after the store and run the new word (vkvm's DIC behaviour), with the
 * store translated inline (a TLB hit: a store to the page's data before
 * it) as without the JIT.  A store to a line of the page without checked
 * code goes on inline, no code check called (jit_stats.code_checks: the
 * one store into the block's line only), and so does a store to the next
 * page, at the offset of a line of code (only its host page differs from
 * the page being run's).
 */
static const char *self_modify(void)
{
	static const uint32_t code[] = {
		0x52828001,	/* MOVZ w1, #0x1400 */
		0x72b22001,	/* MOVK w1, #0x9100, LSL 16: w1 = ADD x0, x0, #5 */
		0xd2800000,	/* MOVZ x0, #0 */
		0xb9080341,	/* STR w1, [x26, #0x800]: data, fills the TLB's write tag */
		0xb9080741,	/* STR w1, [x26, #0x804]: data, inline, no code there */
		0xb9100741,	/* STR w1, [x26, #0x1004]: the next page, its write tag */
		0xb9100341,	/* STR w1, [x26, #0x1000]: inline, its line 0 not code */
		0xb9002741,	/* STR w1, [x26, #36]: the word at 36, through that tag */
		0x91000400,	/* ADD x0, x0, #1 */
		0x91000400,	/* ADD x0, x0, #1: replaced */
		0xd4000002,	/* HVC #0 */
	};
	enum cpu_exit_reason ra, rb;
	uint64_t x0[31] = { 0 }, save = rng, checks = cpu_jit_stats(&J.cpu)->code_checks;
	const char *why;

	memcpy(prog, code, sizeof(code));
	prog_len = sizeof(code) / 4;
	code_at = CODE_GPA;
	x0[26] = CODE_GPA;
	setup(&R, x0);
	rng = save;
	setup(&J, x0);
	ra = env_run(&R);
	rb = env_run(&J);
	if (R.cpu.state.x[0] != 6)
		return "the interpreter did not run the new word";
	why = differs(&R, &J, ra, rb);
	if (!why && cpu_jit_stats(&J.cpu)->code_checks != checks + 1)
		why = "not one code check (the store into the block's line only)";
	return why;
}

/*
 * Loops counted by a register against a register or an immediate, cached
 * in the loop's translation (CMP or SUBS of X or W registers: the lazy
 * NZCV and the host compare from their host registers), each condition
 * one whose result depends on the operands' order, and at 32 bits on the
 * low halves only.  Returns the loops that differ
 * between R and J, describing the first in *why.
 */
static unsigned int compare_cmp_loops(const char **why)
{
	static const struct {
		uint32_t cmp;		/* the compare, then B.cond back to the ADD */
		unsigned int cond;
		uint64_t x1, x3;
	} t[] = {
		{ 0xeb03003f, 0xb, (uint64_t)-5, 7 },	/* CMP x1, x3; B.LT */
		{ 0xeb01007f, 0xc, (uint64_t)-5, 7 },	/* CMP x3, x1; B.GT */
		{ 0xeb03003f, 0x3, 2, 9 },		/* CMP x1, x3; B.LO */
		{ 0xeb010064, 0x8, 2, 9 },		/* SUBS x4, x3, x1; B.HI */
		{ 0xeb030024, 0xd, (uint64_t)-3, 4 },	/* SUBS x4, x1, x3; B.LE */
		/* 32 bits, the upper halves set so that a 64-bit compare
		 * would decide otherwise */
		{ 0x6b03003f, 0xb, (uint64_t)-5, 0x8000000000000007ULL },  /* CMP w1, w3; B.LT */
		{ 0x6b010064, 0x8, 2, 0xffffffff00000009ULL },	/* SUBS w4, w3, w1; B.HI */
		{ 0x71001c3f, 0xb, 0x7ffffffffffffffbULL, 0 },	/* CMP w1, #7; B.LT */
		{ 0x71001c24, 0xb, 0x7ffffffffffffffbULL, 0 },	/* SUBS w4, w1, #7; B.LT */
	};
	uint64_t x0[31] = { 0 }, save;
	unsigned int bad = 0, i;

	*why = NULL;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum cpu_exit_reason ra, rb;
		const char *w;

		prog[0] = 0x91000421;				/* ADD x1, x1, #1 */
		prog[1] = t[i].cmp;
		prog[2] = 0x54000000 | ((uint32_t)-2 & 0x7ffff) << 5 | t[i].cond;
		prog[3] = 0xd4000002;				/* HVC #0 */
		prog_len = 4;
		code_at = CODE_GPA;
		x0[1] = t[i].x1;
		x0[3] = t[i].x3;
		save = rng;
		setup(&R, x0);
		rng = save;
		setup(&J, x0);
		ra = env_run(&R);
		rb = env_run(&J);
		w = differs(&R, &J, ra, rb);
		if (!w && R.cpu.state.x[1] == t[i].x1 + 1)
			w = "the loop ran once";
		if (w && !bad++)
			*why = w;
	}
	return bad;
}

/*
 * Two translations in one page, A (entries 0-1) jumping to B (3-6) and
 * B's loop back to A, both chained directly after the first round; then
 * one word of B changed (its ADD #1 becomes ADD #2, or, change 1, its
 * B.NE's target moves past A's ADD x1) and the loop run again: B alone
 * is dropped (A kept: no other translation made or dropped) and, its
 * threshold reached, made again, while A's direct jump into B's old code
 * must not run it (x2, x1 as the interpreter's).  Returns why it failed,
 * or NULL; *made and *dropped: translations made and dropped by the run
 * after the change.
 */
static const char *partial_drop(unsigned int change, uint64_t *made, uint64_t *dropped)
{
	static const uint32_t code[] = {
		0x91000421,	/* 0: ADD x1, x1, #1		A */
		0x14000002,	/* 1: B 3 */
		0xdeadbeef,	/* 2: data */
		0x91000400,	/* 3: ADD x0, x0, #1		B */
		0x91000442,	/* 4: ADD x2, x2, #1: changed to #2 */
		0xf100077b,	/* 5: SUBS x27, x27, #1 */
		0x54ffff41,	/* 6: B.NE 0: changed to B.NE 1 */
		0xd4000002,	/* 7: HVC #0 */
	};
	const struct jit_stats *st = cpu_jit_stats(&J.cpu);
	enum cpu_exit_reason ra, rb;
	uint64_t x0[31] = { 0 }, blocks, drops, save;
	const char *why;

	memcpy(prog, code, sizeof(code));
	prog_len = sizeof(code) / 4;
	code_at = CODE_GPA + 0x800;	/* past the other loops: no translation of theirs covers it */
	x0[27] = 40;
	save = rng;
	setup(&R, x0);
	R.cpu.state.x[27] = 40;
	rng = save;
	setup(&J, x0);
	J.cpu.state.x[27] = 40;
	ra = env_run(&R);
	rb = env_run(&J);
	why = differs(&R, &J, ra, rb);
	if (why)
		return why;
	if (change)
		prog[6] = 0x54ffff61;		/* B.NE 1 */
	else
		prog[4] = 0x91000842;		/* ADD x2, x2, #2 */
	blocks = st->blocks;
	drops = st->dropped;
	save = rng;
	setup(&R, x0);
	R.cpu.state.x[27] = 40;
	rng = save;
	setup(&J, x0);
	J.cpu.state.x[27] = 40;
	ra = env_run(&R);
	rb = env_run(&J);
	*made = st->blocks - blocks;
	*dropped = st->dropped - drops;
	why = differs(&R, &J, ra, rb);
	if (why)
		return why;
	if (R.cpu.state.x[2] != (change ? 40u : 80u) || R.cpu.state.x[1] != (change ? 1u : 40u))
		return "the interpreter did not run the new word";
	if (*dropped != 1 || *made != 1)
		return "not B alone dropped and made again";
	return NULL;
}

/* ---- FP/SIMD loops (kernel/cpu/jit/simd.c's forms and their slow sides) ---- */

/* self_modify() with STR Q: four words of the block replaced at once */
static const char *self_modify_q(void)
{
	static const uint32_t code[] = {
		0xd2800000,	/* MOVZ x0, #0 */
		0x3dc20340,	/* LDR q0, [x26, #0x800]: four ADD x0, x0, #5 */
		0x3d820740,	/* STR q0, [x26, #0x810]: data, fills the write tag */
		0x3d800740,	/* STR q0, [x26, #16]: words 4-7 */
		0x91000400, 0x91000400, 0x91000400, 0x91000400,	/* replaced */
		0xd4000002,	/* HVC #0 */
	};
	static const uint32_t add5[4] = { 0x91001400, 0x91001400, 0x91001400, 0x91001400 };
	enum cpu_exit_reason ra, rb;
	uint64_t x0[31] = { 0 }, save = rng;

	memcpy(prog, code, sizeof(code));
	prog_len = sizeof(code) / 4;
	code_at = CODE_GPA;
	x0[26] = CODE_GPA;
	setup(&R, x0);
	rng = save;
	setup(&J, x0);
	env_load(&R, CODE_GPA + 0x800, add5, sizeof(add5));
	env_load(&J, CODE_GPA + 0x800, add5, sizeof(add5));
	ra = env_run(&R);
	rb = env_run(&J);
	if (R.cpu.state.x[0] != 20)
		return "the interpreter did not run the new words";
	return differs(&R, &J, ra, rb);
}


/* single-precision values that take each way through the inline code */
static const uint32_t fp_special[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbfc00000,	/* +-0, 1, -1.5 */
	0x7f800000, 0xff800000,				/* +-inf */
	0x7fc00001, 0xffc12345, 0x7f800001, 0xff812345,	/* quiet, signalling NaNs */
	0x00000001, 0x807fffff,				/* denormals */
	0x00800000, 0x3f7fffff,	/* min normal, 1 - 2^-24: their product rounds up to
				 * the min normal, tiny before rounding only */
	0x7f7fffff, 0x40000000, 0x3dcccccd,		/* max, 2, 0.1 */
};

static uint32_t fp_value(void)
{
	unsigned int n = sizeof(fp_special) / sizeof(fp_special[0]);

	return (rnd() % 3) ? fp_special[rnd() % n] : (uint32_t)rnd();
}

/* an FP/SIMD instruction on v0-v7: the inline forms (.4S, .2S; LDR/STR Q,
 * LDP/STP Q from x28, the data, or x26, the code's page after the code:
 * the store's slow side; offsets either side of x28 for LDP/STP), a few
 * the translator calls, an integer one */
static uint32_t gen_fp_insn(void)
{
	uint32_t q = (uint32_t)(rnd() & 1) << 30, rd = (uint32_t)(rnd() % 8),
		 rn = (uint32_t)(rnd() % 8) << 5, rm = (uint32_t)(rnd() % 8) << 16;

	uint32_t base = (rnd() % 4) ? 28u << 5 : 26u << 5;	/* data; the code's page */

	switch (rnd() % 13) {
	case 9: return 0x3dc00000 | (uint32_t)(rnd() % 64) << 10 | base | rd;	/* LDR Q */
	case 10: return 0x3d800000 | (uint32_t)(rnd() % 64) << 10 | base | rd;	/* STR Q */
	case 11: return 0xad400000 | (uint32_t)(rnd() % 128) << 15 |		/* LDP Q */
			(uint32_t)(rnd() % 8) << 10 | base | rd;
	case 12: return 0xad000000 | (uint32_t)(rnd() % 128) << 15 |		/* STP Q */
			(uint32_t)(rnd() % 8) << 10 | base | rd;
	case 0: return 0x0e20cc00 | q | rm | rn | rd;			/* FMLA .S */
	case 1: return 0x0f801000 | q | (uint32_t)(rnd() & 1) << 21 |	/* FMLA .S[i] */
		       (uint32_t)(rnd() & 1) << 11 | rm | rn | rd;
	case 2: return 0x0e20d400 | q | rm | rn | rd;			/* FADD .S */
	case 3: return 0x0ea0d400 | q | rm | rn | rd;			/* FSUB .S */
	case 4: return 0x2e20dc00 | q | rm | rn | rd;			/* FMUL .S */
	case 5: return 0x0e60d400 | 1u << 30 | rm | rn | rd;		/* FADD .2D: called */
	case 6: return 0x0e20f400 | q | rm | rn | rd;			/* FMAX .S: called */
	case 7: return 0x4ea01c00 | rm | rn | rd;			/* ORR .16B (MOV) */
	default: return 0x91000400 | (uint32_t)(rnd() % 8) * 0x21;	/* ADD xn, xn, #1 */
	}
}

static const char *fp_differs(struct env *a, struct env *b, enum cpu_exit_reason ra,
			      enum cpu_exit_reason rb)
{
	static char why[160];
	const struct cpu_state *x = &a->cpu.state, *y = &b->cpu.state;
	const char *w = differs(a, b, ra, rb);
	unsigned int i;

	if (w)
		return w;
	for (i = 0; i < 32; i++)
		if (memcmp(x->z[i], y->z[i], sizeof(x->z[i]))) {
			uint64_t p[2], q[2];

			memcpy(p, x->z[i], 16);
			memcpy(q, y->z[i], 16);
			snprintf(why, sizeof(why), "v%u %016llx%016llx vs %016llx%016llx", i,
				 (unsigned long long)p[1], (unsigned long long)p[0],
				 (unsigned long long)q[1], (unsigned long long)q[0]);
			return why;
		}
	if (x->fpsr != y->fpsr) {
		snprintf(why, sizeof(why), "FPSR %#x vs %#x", x->fpsr, y->fpsr);
		return why;
	}
	if (x->elr_el1 != y->elr_el1)
		return "ELR_EL1";
	return NULL;
}

#define VEC_GPA		(RAM_GPA + 0x4000)	/* VBAR_EL1 for the FP trap */

static unsigned int fp_traps;	/* loops that took the FP access trap */

/*
 * n loops of FP/SIMD instructions on v0-v7 holding special values (NaNs,
 * infinities, denormals, the tiny-before-rounding pair...) with FPCR 0
 * mostly, else FZ, DN, round toward zero or FZ+DN; with trap, FP disabled
 * (CPACR_EL1.FPEN 0) in a tenth of them: the trap's ELR, ESR and the
 * vector's HVC as the interpreter's.  Run by R and J, compared with V0-V31
 * and FPSR.  Returns the loops that differ.
 */
static unsigned int compare_fp_loops(const char *what, unsigned int n, bool trap)
{
	static const uint32_t fpcrs[] = { 1u << 24, 1u << 25, 3u << 22, 3u << 24 };
	unsigned int bad = 0, i, k, body;
	uint64_t x0[31] = { 0 };

	for (i = 0; i < n; i++) {
		uint64_t save, iters;
		uint32_t fpcr = (rnd() % 4) ? 0 : fpcrs[rnd() % 4], z[8][4];
		bool off = trap && !(rnd() % 10);
		enum cpu_exit_reason ra, rb;
		const char *why;
		uint32_t hvc = 0xd4000002;

		body = 1 + (unsigned int)(rnd() % BODY_MAX);
		prog_len = 0;
		for (k = 0; k < body; k++)
			prog[prog_len++] = gen_fp_insn();
		prog[prog_len++] = 0xf100077b;			/* SUBS x27, x27, #1 */
		prog[prog_len++] = 0x54000001 | ((uint32_t)(-(int)body - 1) & 0x7ffff) << 5;
		prog[prog_len++] = 0xd4000002;			/* HVC #0 */
		code_at = CODE_GPA;
		for (k = 0; k < 8; k++) {
			z[k][0] = fp_value();
			z[k][1] = fp_value();
			z[k][2] = fp_value();
			z[k][3] = fp_value();
		}
		if (i < 2) {
			/* directed: 1 - 2^-24 times the min normal (tiny, UE on
			 * x86 too), and FMLA of the min normal and 2^-75 times
			 * -2^-76, which rounds up to the min normal: tiny before
			 * rounding (Arm's UFC), not after (x86: PE only) */
			static const uint32_t tiny[] = {
				0x6e22dc23,	/* FMUL v3.4S, v1.4S, v2.4S */
				0x4e27ccc4,	/* FMLA v4.4S, v6.4S, v7.4S */
				0x4f8710c5,	/* FMLA v5.4S, v6.4S, v7.S[0] */
			};

			memcpy(prog, tiny, sizeof(tiny));
			if (i)		/* the FMLAs alone: their UFC only */
				prog[0] = 0x4ea11c23;	/* MOV v3.16B, v1.16B */
			prog[3] = 0xf100077b;
			prog[4] = 0x54000001 | ((uint32_t)-4 & 0x7ffff) << 5;
			prog[5] = 0xd4000002;
			prog_len = 6;
			fpcr = 0;
			off = false;
			for (k = 0; k < 4; k++) {
				z[1][k] = 0x3f7fffff;
				z[2][k] = 0x00800000;
				z[6][k] = 0x1a000000;
				z[7][k] = 0x99800000;
				z[4][k] = z[5][k] = 0x00800000;
			}
		}
		iters = 1 + rnd() % 6;
		x0[26] = CODE_GPA + 0xc00;
		for (k = 0; k < MEM_SIZE; k += 4) {
			uint32_t v = fp_value();

			memcpy((uint8_t *)env_ptr(&R, MEM_LO) + k, &v, 4);
			memcpy((uint8_t *)env_ptr(&J, MEM_LO) + k, &v, 4);
		}
		/* and the code's page after the code, which x26 reaches */
		for (k = 0x400; k < 0x1000; k += 4) {
			uint32_t v = fp_value();

			memcpy((uint8_t *)env_ptr(&R, CODE_GPA) + k, &v, 4);
			memcpy((uint8_t *)env_ptr(&J, CODE_GPA) + k, &v, 4);
		}
		save = rng;
		for (k = 0; k < 2; k++) {
			struct env *v = k ? &J : &R;
			struct cpu_state *s = &v->cpu.state;
			unsigned int r;

			rng = save;
			setup(v, x0);
			s->x[27] = iters;
			s->fpcr = fpcr;
			for (r = 0; r < 8; r++)
				memcpy(s->z[r], z[r], 16);
			s->sysreg[SR_VBAR_EL1] = VEC_GPA;
			env_load(v, VEC_GPA + 0x200, &hvc, 4);
			if (off)
				s->sysreg[SR_CPACR_EL1] = 0;
		}
		ra = env_run(&R);
		rb = env_run(&J);
		why = fp_differs(&R, &J, ra, rb);
		if (!why && ra != CPU_EXIT_HVC)
			why = "no HVC";
		if (off && (R.cpu.state.sysreg[SR_ESR_EL1] >> 26) == 0x07)
			fp_traps++;
		if (!why && i < 2 && R.cpu.state.fpsr != (FPSR_UFC | FPSR_IXC))
			why = "the directed loop: not UFC and IXC";
		if (why && !bad++) {
			printf("# %s: loop %u differs: %s (FPCR %#x%s)\n", what, i, why, fpcr,
			       off ? ", FP off" : "");
			for (k = 0; k < prog_len; k++)
				printf("#   %08x %s\n", prog[k], insn_name(prog[k]));
		}
	}
	return bad;
}

/* gen_insn() that sets no flags and moves no base register (no pre- or
 * post-index): what may stand between a loop's CMP and its B.cond */
static uint32_t gen_noflags(void)
{
	const char *n;
	uint32_t w;

	do {
		w = gen_insn();
		n = insn_name(w);
	} while (!strncmp(n, "ADDS", 4) || !strncmp(n, "SUBS", 4) || !strncmp(n, "ANDS", 4) ||
		 !strncmp(n, "BICS", 4) || strstr(n, "_pre") || strstr(n, "_post"));
	return w;
}

/*
 * Loops whose compare stays pending across the back edge (translate.c,
 * struct nzp: its lazy NZCV stored only where seen, the body emitted a
 * second time for the iterations after the first):
 *
 *	loop:	random; [LDR x1, [x24], #8]; step; random; CMP; random; B.cond loop
 *
 * step: ADD x26, x26, #k or x23 (64 or 32 bits; the compare's operand
 * moved after it, nz_moved(), nz_moved_reg(); x23 changed and restored
 * after it in some) or STR x0, [x28], #8 (a writeback); CMP: x26 with
 * an immediate or x25 at 64 or 32 bits (x26's upper half set against a
 * 32-bit one) and B.NE, x26 counting up through 0 to the bound in most
 * (NZCV changes on the way: a stale copy would show), or x28 with x25
 * either way round and B.LO, B.HI; random: flag-free
 * instructions of x0 and x1 (CSELs reading the pending compare, calls
 * that store it).  The LDR, in a third of them, reads past RAM's end
 * after some iterations: an abort in the middle of the second copy, with
 * the compare pending.  Returns the loops that differ, the first in *why;
 * *hvc: those that ran to their HVC (the others aborted: that LDR, or a
 * random access misaligned or out of RAM).
 */
static unsigned int compare_nz_loops(unsigned int n, const char **why, unsigned int *hvc)
{
	static char buf[160];
	unsigned int bad = 0, i, k, at, iters;

	*why = NULL;
	*hvc = 0;
	/* few registers: x26, x25 (x28, x24) among the four cached */
	reg_pool = 1;
	for (i = 0; i < n; i++) {
		uint64_t x0[31], save;
		bool cnt = rnd() & 1, sf = rnd() & 1, abort = rnd() % 3 == 0, bare = i % 4 == 0;
		unsigned int step = 1 + (unsigned int)(rnd() % 4), cmp = (unsigned int)(rnd() % 4);
		unsigned int bound = (unsigned int)(rnd() % 600);
		enum cpu_exit_reason ra, rb;
		const char *w;

		iters = 1 + (unsigned int)(rnd() % 150);
		prog_len = 0;
		/* a quarter bare: the step, [the LDR,] a CSINC counting the
		 * iterations whose pending NZCV fails a condition (its
		 * operands moved by the step), the compare and the branch */
		if (bare)
			abort = i % 8 == 0;
		for (k = bare ? 0 : (unsigned int)(rnd() % 3); k; k--)
			prog[prog_len++] = gen_noflags();
		if (abort && !bare)
			prog[prog_len++] = 0xf8408701;		/* LDR x1, [x24], #8 */
		if (cnt && (rnd() & 1)) {			/* ADD x26, x26, #step */
			prog[prog_len++] = (rnd() & 1 ? 0x91000000 : 0x11000000) | step << 10 |
					   26 << 5 | 26;
		} else if (cnt) {			/* ADD x26, x26, x23 (step) */
			prog[prog_len++] = (rnd() & 1 ? 0x8b000000 : 0x0b000000) | 23 << 16 |
					   26 << 5 | 26;
			/* x23 up and down again, in place or through x22:
			 * the operand's move undone while x23 differs */
			k = (unsigned int)(rnd() % 3);
			if (bare && k == 1) {
				prog[prog_len++] = 0x912002f7;	/* ADD x23, x23, #0x800 */
				prog[prog_len++] = 0x9a800400 | (uint32_t)(rnd() % 14) << 12;
				prog[prog_len++] = 0xd12002f7;	/* SUB x23, x23, #0x800 */
			} else if (bare && k == 2) {
				prog[prog_len++] = 0x912002f6;	/* ADD x22, x23, #0x800 */
				prog[prog_len++] = 0xaa1603f7;	/* MOV x23, x22 */
				prog[prog_len++] = 0x9a800400 | (uint32_t)(rnd() % 14) << 12;
				prog[prog_len++] = 0xd12002f6;	/* SUB x22, x23, #0x800 */
				prog[prog_len++] = 0xaa1603f7;
			}
		} else {
			prog[prog_len++] = 0xf8008780;		/* STR x0, [x28], #8 */
		}
		if (abort && bare)
			prog[prog_len++] = 0xf8408701;
		if (bare)		/* CSINC x0, x0, x0, cond: the moved operands */
			prog[prog_len++] = 0x9a800400 | (uint32_t)(rnd() % 14) << 12;
		for (k = bare ? 0 : (unsigned int)(rnd() % 2); k; k--)
			prog[prog_len++] = gen_noflags();
		if (cnt && cmp < 2)				/* CMP x26, #bound */
			prog[prog_len++] = (uint32_t)sf << 31 | 0x7100001f | bound << 10 | 26 << 5;
		else if (cnt)					/* CMP x26, x25 */
			prog[prog_len++] = (uint32_t)sf << 31 | 0x6b00001f | 25 << 16 | 26 << 5;
		else if (cmp & 1)				/* CMP x25, x28 */
			prog[prog_len++] = 0xeb00001f | 28 << 16 | 25 << 5;
		else						/* CMP x28, x25 */
			prog[prog_len++] = 0xeb00001f | 25 << 16 | 28 << 5;
		for (k = bare ? 0 : (unsigned int)(rnd() % 2); k; k--)
			prog[prog_len++] = gen_noflags();
		/* B.NE loop (B.LO, B.HI for x28 - x25, x25 - x28) */
		k = prog_len;
		prog[prog_len++] = 0x54000000 | ((uint32_t)-(int)k & 0x7ffff) << 5 |
				   (cnt ? 1 : (cmp & 1) ? 8 : 3);
		prog[prog_len++] = 0xd4000002;			/* HVC #0 */
		code_at = CODE_GPA;
		for (k = 0; k < 31; k++)
			x0[k] = (rnd() & 1) ? rnd() : rnd() % 8;
		/* x26 from bound - iters * step: through 0 (C, N change) when
		 * that is negative */
		x0[26] = (uint64_t)bound - (uint64_t)iters * step;
		if (!sf)
			x0[26] = (uint32_t)x0[26] | 0xabcd00000000ULL;
		x0[25] = cnt ? bound : DATA_GPA + 8ULL * iters;
		x0[23] = step;
		at = 1 + (unsigned int)(rnd() % iters);
		x0[24] = abort ? RAM_GPA + RAM_SIZE - 8ULL * at : DATA_GPA;
		save = rng;
		setup(&R, x0);
		rng = save;
		setup(&J, x0);
		R.cpu.state.x[28] = J.cpu.state.x[28] = DATA_GPA;
		ra = env_run(&R);
		rb = env_run(&J);
		w = differs(&R, &J, ra, rb);
		*hvc += ra == CPU_EXIT_HVC;
		if (w && !bad++) {
			snprintf(buf, sizeof(buf), "loop %u: %s", i, w);
			*why = buf;
			for (k = 0; k < prog_len; k++)
				printf("#   %08x %s\n", prog[k], insn_name(prog[k]));
		}
	}
	reg_pool = 0;
	return bad;
}

/*
 * The decode cache's sets (kernel/cpu/thread.h): DCACHE_WAYS + 1 pages
 * whose IPAs share a set, page k holding ADD x0, x0, #k+1; HVC #0 (its
 * own words, so that a page decoded into a slot another held is decoded
 * anew).  Run one after the other, the first DCACHE_WAYS stay decoded;
 * page 0 used again is kept when page DCACHE_WAYS takes the least
 * recently used way (page 1's).  Counts in VKVM_JIT_STATS' words decoded;
 * NULL if all held.
 */
#define SET_STRIDE	((uint64_t)DCACHE_SETS * PAGE_SIZE)
#define SET_RAM		((DCACHE_WAYS + 1) * SET_STRIDE)

static const char *run_page(struct env *v, unsigned int k, uint64_t *x0)
{
	v->cpu.state.pc = RAM_GPA + k * SET_STRIDE;
	if (env_run(v) != CPU_EXIT_HVC)
		return "a page's run did not end at its HVC";
	*x0 += k + 1;
	return v->cpu.state.x[0] == *x0 ? NULL : "x0 is not the sum of the pages' immediates";
}

static const char *dcache_sets(uint64_t *first, uint64_t *again)
{
	const struct jit_stats *st;
	const char *why = NULL;
	uint64_t x0 = 0, n;
	unsigned int k;

	if (env_init(&J, SET_RAM))
		return "no environment";
	st = cpu_jit_stats(&J.cpu);
	if (!st) {
		env_destroy(&J);
		return "no JIT";
	}
	env_reset(&J, RAM_GPA);
	for (k = 0; k <= DCACHE_WAYS; k++) {
		uint32_t code[2] = { 0x91000000 | (k + 1) << 10, 0xd4000002 };

		env_load(&J, RAM_GPA + k * SET_STRIDE, code, sizeof(code));
	}
	for (k = 0; !why && k < DCACHE_WAYS; k++)
		why = run_page(&J, k, &x0);
	*first = n = st->decoded;
	for (k = 0; !why && k < DCACHE_WAYS; k++)
		why = run_page(&J, k, &x0);
	*again = st->decoded - n;
	if (!why && st->decoded != n)
		why = "the set's pages run again were decoded again";
	/* page 0 the most recently used, page 1 the least: page
	 * DCACHE_WAYS takes page 1's way */
	if (!why)
		why = run_page(&J, 0, &x0);
	if (!why)
		why = run_page(&J, DCACHE_WAYS, &x0);
	n = st->decoded;
	for (k = 0; !why && k < DCACHE_WAYS; k++)
		if (k != 1)
			why = run_page(&J, k, &x0);
	if (!why && st->decoded != n)
		why = "a page used since the least recently used one was given up";
	if (!why)
		why = run_page(&J, 1, &x0);
	if (!why && st->decoded == n)
		why = "the least recently used page was not the one given up";
	env_destroy(&J);
	return why;
}

static int make_env(struct env *v, const char *jit, const char *threshold, const char *ls)
{
	if (jit)
		setenv("VKVM_JIT", jit, 1);
	else
		unsetenv("VKVM_JIT");
	setenv("VKVM_JIT_THRESHOLD", threshold, 1);
	if (ls)
		setenv("VKVM_JIT_LOCKSTEP", ls, 1);
	else
		unsetenv("VKVM_JIT_LOCKSTEP");
	return env_init(v, RAM_SIZE);
}

static void test_engine(void)
{
	const struct jit_stats *st;
	const char *why;
	unsigned int bad;
	uint64_t chained, cached, loops, inl, made = 0, dropped = 0;
	unsigned int k, hvc;

	if (make_env(&R, "0", "0", NULL)) {
		tap_ok(0, "engine: environments");
		return;
	}
	/* first, on fresh decode caches: translation at the first check in
	 * lockstep, then at the 3rd run */
	for (k = 0; k < 4; k++) {
		if (!(k & 1) && make_env(&J, "1", k ? "3" : "0", k ? NULL : "1")) {
			tap_ok(0, "engine: JIT environment");
			return;
		}
		why = partial_drop(k & 1, &made, &dropped);
		tap_ok(!why, "threshold %s: two translations chained in a page, a word of one "
		       "changed (%s): it alone dropped and made again, the other's jump into "
		       "it not running its old code (%s; %llu made, %llu dropped)",
		       k < 2 ? "0" : "3", (k & 1) ? "its branch's target" : "an ADD's immediate",
		       why ? why : "ok", (unsigned long long)made, (unsigned long long)dropped);
		if (k & 1)
			env_destroy(&J);
	}
	if (make_env(&J, "1", "0", "1")) {
		tap_ok(0, "engine: environments");
		return;
	}
	tap_ok(!cpu_jit_stats(&R.cpu) && cpu_jit_stats(&J.cpu),
	       "VKVM_JIT=1 turns the translator on, VKVM_JIT=0 leaves it off");
	bad = compare_loops("first check, lockstep", LOOPS, RUN_ONCE, false);
	st = cpu_jit_stats(&J.cpu);
	tap_ok(!bad && st->blocks && st->inlined && st->called && st->branches &&
	       st->chained && st->loops && st->patched && st->checked && !st->mismatches,
	       "every block translated at its first check, in lockstep: %u of %u loops differ "
	       "(%llu blocks, %llu inline, %llu calls, %llu branches, %llu exits chained, "
	       "%llu of them loops kept in their translation, %llu patched to a later "
	       "one, %llu compared)", bad, LOOPS, (unsigned long long)st->blocks,
	       (unsigned long long)st->inlined, (unsigned long long)st->called,
	       (unsigned long long)st->branches, (unsigned long long)st->chained,
	       (unsigned long long)st->loops, (unsigned long long)st->patched,
	       (unsigned long long)st->checked);
	bad = compare_loops("changed code", LOOPS, RUN_CHANGED, false);
	tap_ok(!bad && !st->mismatches,
	       "a word changed between runs: its block re-translated (%u differ)", bad);
	chained = st->chained;
	bad = compare_loops("same code again", LOOPS / 2, RUN_SAME, false);
	tap_ok(!bad && !st->mismatches && st->chained > chained,
	       "the same code run again: exits chained directly to translations made "
	       "before (%u differ, %llu more chained exits)", bad,
	       (unsigned long long)(st->chained - chained));
	why = self_modify();
	tap_ok(!why, "a translated store into the block being run: the new word runs (%s)",
	       why ? why : "x0 = 6 on both");
	bad = compare_loops("fault", LOOPS / 2, RUN_ONCE, true);
	tap_ok(!bad && !st->mismatches,
	       "an abort after translated code: same exit, PC, registers (%u differ)", bad);
	/* six registers named all over each block: four of them in host
	 * registers, written back at calls, TLB misses, faults, exits */
	reg_pool = 6;
	cached = st->cached;
	loops = st->loops;
	bad = compare_loops("few registers, lockstep", LOOPS, RUN_ONCE, false);
	bad += compare_loops("few registers, again", LOOPS / 2, RUN_SAME, false);
	bad += compare_loops("few registers, fault", LOOPS / 2, RUN_ONCE, true);
	tap_ok(!bad && !st->mismatches && st->cached > cached && st->loops > loops,
	       "loops on six registers, in lockstep: %u differ, %llu registers cached, "
	       "%llu loops kept with theirs loaded", bad,
	       (unsigned long long)(st->cached - cached), (unsigned long long)(st->loops - loops));
	reg_pool = 0;
	loops = st->loops;
	bad = compare_cmp_loops(&why);
	tap_ok(!bad && !st->mismatches && st->loops > loops,
	       "loops on CMP/SUBS of cached registers, each order, 64 and 32 bits: %u differ (%s)", bad,
	       why ? why : "every loop ran to its bound");
	inl = st->inlined;
	why = self_modify_q();
	tap_ok(!why && st->inlined > inl, "a translated STR Q into the block being run: the "
	       "new words run (%s)", why ? why : "x0 = 20 on both");
	inl = st->inlined;
	fp_traps = 0;
	bad = compare_fp_loops("FP/SIMD, lockstep", LOOPS, true);
	tap_ok(!bad && !st->mismatches && st->inlined > inl && fp_traps,
	       "FP/SIMD loops on special values, FPCR 0 or not, FP off in some, in lockstep: "
	       "%u of %u differ, %llu mismatches, %llu more inline, %u FP traps", bad, LOOPS,
	       (unsigned long long)st->mismatches, (unsigned long long)(st->inlined - inl),
	       fp_traps);
	bad = compare_nz_loops(LOOPS, &why, &hvc);
	tap_ok(!bad && !st->mismatches && hvc > LOOPS / 4, "loops with the compare pending "
	       "across the back edge, in lockstep: %u of %u differ (%s), %u ran to the end",
	       bad, LOOPS, why ? why : "none", hvc);
	env_destroy(&J);

	if (make_env(&J, "1", "3", NULL)) {
		tap_ok(0, "engine: JIT environment, threshold 3");
		return;
	}
	bad = compare_loops("threshold 3", LOOPS, RUN_CHANGED, true);
	st = cpu_jit_stats(&J.cpu);
	tap_ok(!bad && st->blocks, "translation at the 3rd run, no lockstep: %u differ, "
	       "%llu blocks", bad, (unsigned long long)st->blocks);
	reg_pool = 6;
	cached = st->cached;
	loops = st->loops;
	bad = compare_loops("few registers, threshold 3", LOOPS, RUN_CHANGED, true);
	bad += compare_loops("few registers, threshold 3 again", LOOPS / 2, RUN_SAME, false);
	tap_ok(!bad && st->cached > cached && st->loops > loops, "loops on six registers, "
	       "translation at the 3rd run: %u differ, %llu registers cached, %llu loops kept",
	       bad, (unsigned long long)(st->cached - cached),
	       (unsigned long long)(st->loops - loops));
	reg_pool = 0;
	/* without lockstep the branch takes the compare's host flags */
	loops = st->loops;
	bad = compare_cmp_loops(&why);
	tap_ok(!bad && st->loops > loops, "the same CMP/SUBS loops at threshold 3, the "
	       "branch on the host flags: %u differ (%s)", bad,
	       why ? why : "every loop ran to its bound");
	inl = st->inlined;
	fp_traps = 0;
	bad = compare_fp_loops("FP/SIMD, threshold 3", LOOPS, true);
	tap_ok(!bad && st->inlined > inl && fp_traps, "the FP/SIMD loops at threshold 3, "
	       "no lockstep: %u of %u differ, %u FP traps", bad, LOOPS, fp_traps);
	loops = st->peeled;
	bad = compare_nz_loops(2 * LOOPS, &why, &hvc);
	tap_ok(!bad && st->peeled > loops + LOOPS / 2 && hvc > LOOPS / 2, "loops with the "
	       "compare pending across the back edge, its NZCV stored only at exits, calls and "
	       "aborts, at threshold 3: %u of %u differ (%s), %u ran to the end, %llu given "
	       "a second body", bad, 2 * LOOPS, why ? why : "none", hvc,
	       (unsigned long long)(st->peeled - loops));
	env_destroy(&J);

	/* the JIT on for its count of decoded words, never translating */
	setenv("VKVM_JIT", "1", 1);
	setenv("VKVM_JIT_THRESHOLD", "60000", 1);
	unsetenv("VKVM_JIT_LOCKSTEP");
	{
		uint64_t first = 0, again = 0;

		why = dcache_sets(&first, &again);
		tap_ok(!why, "decode cache: %u pages in one set stay decoded, the least "
		       "recently used given up for a %uth (%s; %llu words decoded at first, "
		       "%llu when run again)", DCACHE_WAYS, DCACHE_WAYS + 1, why ? why : "ok",
		       (unsigned long long)first, (unsigned long long)again);
	}

	if (make_env(&J, "0", "0", NULL)) {
		tap_ok(0, "engine: VKVM_JIT=0");
		return;
	}
	tap_ok(!cpu_jit_stats(&J.cpu), "VKVM_JIT=0 leaves the translator off");
	env_destroy(&J);
	/* the default: on, unset or with a value it does not know */
	if (make_env(&J, NULL, "0", NULL)) {
		tap_ok(0, "engine: VKVM_JIT unset");
		return;
	}
	tap_ok(cpu_jit_stats(&J.cpu) != NULL, "VKVM_JIT unset: the translator is on");
	env_destroy(&J);
	if (make_env(&J, "yes", "0", NULL)) {
		tap_ok(0, "engine: VKVM_JIT=yes");
		return;
	}
	tap_ok(cpu_jit_stats(&J.cpu) != NULL, "VKVM_JIT=yes: told, and the default (on) kept");
	env_destroy(&J);
	env_destroy(&R);
}

/* ---- ins18: ADDS/CMN (immediate, shifted register), ADD/SUB (extended) ---- */

/*
 * The flag-setting adds the translator does as SUBS of the negated second
 * operand, and ADD/SUB (extended register), with their edge cases: ADDS of
 * #0 (a call: its carry is not SUBS's), a shifted Xm of 0 or of the most
 * negative value (1 << 63, 1 << 31: the side path), CMN (Rd XZR), every
 * extend option and amount 0-4; their NZCV read by CSEL/CSINC (any
 * condition) and ADC/ADCS/SBC (the carry, a call reading the lazy form).
 */
static uint32_t gen_adds(void)
{
	uint32_t sf = (uint32_t)(rnd() & 1), amt;
	unsigned int size = sf ? 64 : 32, n, immr, imms;
	uint64_t m;

	switch (rnd() % 14) {
	case 12:	/* ANDS, TST (immediate), valid masks only */
		do {
			n = sf ? (unsigned int)(rnd() & 1) : 0;
			immr = (unsigned int)(rnd() % size);
			imms = (unsigned int)(rnd() % size);
		} while (!decode_bit_masks(n, imms, immr, &m));
		return sf << 31 | 0x72000000 | n << 22 | immr << 16 | imms << 10 |
		       sreg() << 5 | ((rnd() & 1) ? rreg() : 31);
	case 13:	/* ANDS, BICS, TST (shifted register), any shift */
		return sf << 31 | 0x6a000000 | (uint32_t)(rnd() & 3) << 22 |
		       (uint32_t)(rnd() & 1) << 21 | sreg() << 16 |
		       (uint32_t)((rnd() & 1) ? 0 : rnd() % size) << 10 | sreg() << 5 |
		       ((rnd() & 1) ? rreg() : 31);
	case 10:	/* MOV SP, x28 (+ 8, 16: aligned; + 4 or 12: not) */
		return 0x9100039f | (uint32_t)(4 * (rnd() % 5)) << 10;
	case 11:	/* LDR/STR X, W (unsigned offset) from SP */
		return ((rnd() & 1) ? 0xf9000000 : 0xb9000000) | (uint32_t)(rnd() & 1) << 22 |
		       (uint32_t)(rnd() % 64) << 10 | 31 << 5 | rreg();
	case 8:		/* MSR SPSel, #0 or #1: SP_EL0 or SP_EL1 */
		return 0xd50040bf | (uint32_t)(rnd() & 1) << 8;
	case 9:		/* ADD/SUB (immediate) from or to SP */
		return sf << 31 | (uint32_t)(rnd() & 1) << 30 | 0x11000000 |
		       (uint32_t)(rnd() & 0xfff) << 10 | ((rnd() & 1) ? 31 : sreg()) << 5 |
		       ((rnd() & 1) ? 31 : rreg());
	case 7:		/* EXTR (ROR when Rn is Rm), lsb 0 sometimes */
		return sf << 31 | sf << 22 | 0x13800000 | sreg() << 16 |
		       (uint32_t)((rnd() & 3) ? rnd() % size : 0) << 10 | sreg() << 5 | rreg();
	case 0:		/* ADDS (immediate), CMN; #0 a quarter of the time */
		return sf << 31 | 0x31000000 | (uint32_t)(rnd() & 1) << 22 |
		       (uint32_t)((rnd() & 3) ? rnd() & 0xfff : 0) << 10 | sreg() << 5 |
		       ((rnd() & 3) ? rreg() : 31);
	case 1:
	case 2:		/* ADDS (shifted register), CMN: LSL size - 1 often */
		amt = (uint32_t)((rnd() & 1) ? size - 1 : rnd() % size);
		return sf << 31 | 0x2b000000 | (uint32_t)(rnd() % 3) << 22 | sreg() << 16 |
		       amt << 10 | sreg() << 5 | ((rnd() & 3) ? rreg() : 31);
	case 3:		/* ADD/SUB (extended register), Rd and Rn not SP */
		return sf << 31 | (uint32_t)(rnd() & 1) << 30 | 0x0b200000 | sreg() << 16 |
		       (uint32_t)(rnd() & 7) << 13 | (uint32_t)(rnd() % 5) << 10 |
		       (uint32_t)(rnd() % 31) << 5 | (uint32_t)(rnd() % 27);
	case 4:		/* ADC, ADCS, SBC, SBCS: the carry */
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x1a000000 | sreg() << 16 |
		       sreg() << 5 | rreg();
	case 5:		/* MOVZ Xd, #1 (<< 48 sometimes): the shifted operand's edges */
		return sf << 31 | 0x52800020 | (uint32_t)((rnd() & 1) && sf ? 3 : 0) << 21 |
		       rreg();
	default:	/* CSEL, CSINC, CSINV, CSNEG: any condition */
		return sf << 31 | (uint32_t)(rnd() & 3) << 29 | 0x1a800000 | sreg() << 16 |
		       (uint32_t)(rnd() & 15) << 12 | (uint32_t)(rnd() & 1) << 10 |
		       sreg() << 5 | rreg();
	}
}

/* Count of these words translated inline: each loop's body run at least
 * once translated, VKVM_JIT_CALLS-free (the stats' inline count) */
static void test_ins18(void)
{
	const struct jit_stats *st;
	uint64_t inl, called;
	unsigned int bad, k;
	static const char *const mode[2][2] = { { "0", "1" }, { "3", NULL } };

	{
		struct x86 e;

		x86_init(&e, ebuf, ebuf + sizeof(ebuf));
		x86_shrd_ri(&e, true, X86_RAX, X86_RCX, 7);
		x86_shrd_ri(&e, false, X86_R9, X86_R12, 31);
		tap_ok(bytes_are(&e, "480facc807 450face11f"),
		       "emitter: SHRD rax, rcx, 7; SHRD r9d, r12d, 31");
		x86_init(&e, ebuf, ebuf + sizeof(ebuf));
		x86_setcc(&e, X86_S, X86_RDX);
		x86_setcc(&e, X86_E, X86_RCX);
		x86_setcc(&e, X86_B, X86_RDI);
		x86_cmc(&e);
		tap_ok(bytes_are(&e, "0f98c2 0f94c1 400f92c7 f5"),
		       "emitter: SETS dl; SETE cl; SETB dil; CMC");
	}
	if (make_env(&R, "0", "0", NULL)) {
		tap_ok(0, "ins18: environments");
		return;
	}
	gen_extra = gen_adds;
	sctlr_or = SCTLR_SA;	/* a load or store from SP not 16-byte aligned faults */
	for (k = 0; k < 2; k++) {
		if (make_env(&J, "1", mode[k][0], mode[k][1])) {
			tap_ok(0, "ins18: JIT environment");
			break;
		}
		st = cpu_jit_stats(&J.cpu);
		reg_pool = 0;
		bad = compare_loops("ADDS/ADD_ext", LOOPS, RUN_ONCE, false);
		reg_pool = 6;
		bad += compare_loops("ADDS/ADD_ext, few registers", LOOPS, RUN_ONCE, true);
		inl = st->inlined;
		called = st->called;
		tap_ok(!bad && !st->mismatches && st->blocks,
		       "ADDS/CMN (immediate, shifted register: of 0, of 1 << 63), ADD/SUB "
		       "(extended), EXTR, ADD/SUB of SP (SPSel 0, 1), LDR/STR from SP (aligned or not, SCTLR_EL1.SA set), ANDS/BICS/TST, their NZCV read by CSEL and ADC/SBC, threshold %s%s: "
		       "%u of %u loops differ, %llu mismatches, %llu inline, %llu calls",
		       mode[k][0], mode[k][1] ? ", in lockstep" : "", bad, 2 * LOOPS,
		       (unsigned long long)st->mismatches, (unsigned long long)inl,
		       (unsigned long long)called);
		env_destroy(&J);
	}
	reg_pool = 0;
	gen_extra = NULL;
	sctlr_or = 0;
	/* ADC/SBC reading the carry of a compare left pending (ADDS of a
	 * cached register, then an ADD that clobbers the host flags): the
	 * CMP made again, 64 and 32 bits, carry 1 (x1 = -1) and 0 */
	bad = 0;
	if (!make_env(&J, "1", "3", NULL)) {
		static const uint32_t loop[] = {
			0xb1000422,	/* ADDS x2, x1, #1 */
			0x91000463,	/* ADD x3, x3, #1 */
			0x9a050084,	/* ADC x4, x4, x5 */
			0x31000422,	/* ADDS w2, w1, #1 */
			0x91000463,	/* ADD x3, x3, #1 */
			0x5a0500c6,	/* SBC w6, w6, w5 */
			0xf100077b,	/* SUBS x27, x27, #1 */
			0x54ffff21,	/* B.NE loop */
			0xd4000002,	/* HVC #0 */
		};
		uint64_t x0[31] = { 0 };

		memcpy(prog, loop, sizeof(loop));
		prog_len = sizeof(loop) / 4;
		code_at = CODE_GPA;
		for (k = 0; k < 4; k++) {
			enum cpu_exit_reason ra, rb;

			x0[1] = k & 1 ? 5 : UINT64_MAX;
			x0[5] = k;
			setup(&R, x0);
			setup(&J, x0);
			R.cpu.state.x[27] = J.cpu.state.x[27] = 20;
			ra = env_run(&R);
			rb = env_run(&J);
			/* registers and PSTATE (the memories differ: J is new) */
			if (ra != rb || memcmp(R.cpu.state.x, J.cpu.state.x, 31 * 8) ||
			    R.cpu.state.pstate != J.cpu.state.pstate ||
			    R.cpu.state.x[4] != (k & 1 ? 0 : 20) + 20 * k)
				bad++;
		}
		st = cpu_jit_stats(&J.cpu);
		tap_ok(!bad && st->loops, "ADC/SBC after a pending ADDS, threshold 3: %u of 4 "
		       "runs differ (x4 %#llx)", bad, (unsigned long long)J.cpu.state.x[4]);
		env_destroy(&J);
	} else {
		tap_ok(0, "ins18: JIT environment");
	}
	env_destroy(&R);
}

/* ---- ldst18: LDP/STP of X and W inline ---- */

/*
 * LDP/STP/LDNP/STNP of X and W (signed offset, pre- and post-index) from
 * x28 or SP (MOV SP, x28 + 0..16: aligned or not, SCTLR_EL1.SA set; SPSel
 * 0 or 1), offsets of any element count (a pair aligned to its elements
 * only: the slow way), x28 moved near a page's end (a pair crossing it)
 * or drifting past RAM (an abort), never below DATA_GPA; a load into x28 itself with writeback
 * (the writeback wins) and Rt == Rt2 (Rt2 wins), as the interpreter has
 * them; CCMP and CCMN among them, their NZCV and the one they read
 * taken by the loop's CSEL, B.cond and ADC (gen_insn(), gen_prog()).
 */
static uint32_t gen_pairs(void)
{
	uint32_t x = (uint32_t)(rnd() & 1), mode = (uint32_t)(rnd() & 3), load = (uint32_t)(rnd() & 1);
	int32_t imm = (int32_t)(rnd() % 12) - 4;
	unsigned int rn = (rnd() % 3) ? 28 : 31, rt, rt2;

	switch (rnd() % 12) {
	case 4:
	case 5:		/* CCMP, CCMN (immediate, register; imm5 0 sometimes), any
			 * condition and #nzcv: NZCV from live flags, a pending
			 * compare, a lazy SUB of either size, or eager */
		return (uint32_t)(rnd() & 1) << 31 | (uint32_t)(rnd() & 1) << 30 | 0x3a400000 |
		       (uint32_t)((rnd() & 3) ? sreg() : 0) << 16 | (uint32_t)(rnd() & 15) << 12 |
		       (uint32_t)(rnd() & 1) << 11 | sreg() << 5 | (uint32_t)(rnd() & 15);
	case 0:		/* MOV SP, x28 (+ 4, 8, 12, 16); AND SP, x28, #~15 */
		if (rnd() & 1)
			return 0x927cef9f;
		return 0x9100039f | (uint32_t)(4 * (rnd() % 5)) << 10;
	case 1:		/* MSR SPSel, #0 or #1 */
		return 0xd50040bf | (uint32_t)(rnd() & 1) << 8;
	case 2:		/* ADD x28, x28, #0xff8 (or #4): near the next page's start */
		return 0x91000000 | (uint32_t)((rnd() & 1) ? 0xff8 : 4) << 10 | 28 << 5 | 28;
	case 3:		/* ORR x28, x28, #0x8000: never below DATA_GPA (under
			 * MEM_LO the two environments' memories differ) */
		return 0xb271039c;
	default:
		break;
	}
	if (mode == 1 || mode == 3)	/* writeback: a smaller drift */
		imm = (int32_t)(rnd() % 6) - 2;
	if (rn == 31 && (rnd() & 3))	/* SP mostly kept 16-byte aligned */
		imm &= x ? ~1 : ~3;
	if (load) {
		rt = rreg();
		rt2 = (rnd() % 8) ? rreg() : rt;
		if (mode & 1 && rn == 28 && !(rnd() % 4))
			rt = 28;		/* the writeback wins */
	} else {
		rt = sreg();
		rt2 = sreg();
	}
	return x << 31 | 0x28000000 | mode << 23 | load << 22 | ((uint32_t)imm & 0x7f) << 15 |
	       rt2 << 10 | rn << 5 | rt;
}

/*
 * STP X and W in a block, into the page being run: at lines without code
 * and into the block's own line, after the STP (the chain ends after it,
 * the new words run): x0 = 5 + 4 * 5 as without the JIT.  An inline pair
 * leaves a store into the page being run to its handler (no inline code
 * check, jit_code_check(), is called).
 */
static const char *self_modify_pair(void)
{
	static const uint32_t code[] = {
		0x52828001,	/* MOVZ w1, #0x1400 */
		0x72b22001,	/* MOVK w1, #0x9100, LSL 16: w1 = ADD x0, x0, #5 */
		0xd2800000,	/* MOVZ x0, #0 */
		0xaa018021,	/* ORR x1, x1, x1, LSL #32: two of them */
		0xa91f0741,	/* STP x1, x1, [x26, #0x1f0]: line 7, no code */
		0x291f0741,	/* STP w1, w1, [x26, #0xf8]: line 3, no code */
		0xa9030741,	/* STP x1, x1, [x26, #48]: words 12-15 */
		0x91000400, 0x91000400, 0x91000400, 0x91000400, 0x91000400,
		0x91000400, 0x91000400, 0x91000400, 0x91000400,	/* 12-15: replaced */
		0xd4000002,	/* HVC #0 */
	};
	enum cpu_exit_reason ra, rb;
	uint64_t x0[31] = { 0 }, save = rng, checks = cpu_jit_stats(&J.cpu)->code_checks;
	const char *why;

	memcpy(prog, code, sizeof(code));
	prog_len = sizeof(code) / 4;
	code_at = CODE_GPA;
	x0[26] = CODE_GPA;
	setup(&R, x0);
	rng = save;
	setup(&J, x0);
	ra = env_run(&R);
	rb = env_run(&J);
	if (R.cpu.state.x[0] != 25)
		return "the interpreter did not run the new words";
	why = differs(&R, &J, ra, rb);
	if (!why && cpu_jit_stats(&J.cpu)->code_checks != checks)
		why = "an inline code check (the handler's to do)";
	return why;
}

/*
 * X pairs at 8 mod 16, inline as two 8-byte accesses (emit_pair_x8()):
 * an STP and an LDP in the page, then an LDP whose second register lies
 * past RAM's end (x29 = its last 8 bytes, a page in the TLB), which must
 * abort as the interpreter does, not read on past the page.
 */
static const char *pair_x8(void)
{
	static const uint32_t code[] = {
		0xa9009383,	/* STP x3, x4, [x28, #8] */
		0xa9408b81,	/* LDP x1, x2, [x28, #8] */
		0xf94003a7,	/* LDR x7, [x29]: its page in the TLB */
		0xa9401ba5,	/* LDP x5, x6, [x29]: its second half past RAM */
		0xd4000002,	/* HVC #0 */
	};
	enum cpu_exit_reason ra, rb;
	uint64_t x0[31] = { 0 }, save = rng, inl = cpu_jit_stats(&J.cpu)->inlined;
	const char *why;

	memcpy(prog, code, sizeof(code));
	prog_len = sizeof(code) / 4;
	code_at = CODE_GPA;
	x0[3] = 0x1111222233334444ULL;
	x0[4] = 0x5555666677778888ULL;
	x0[29] = RAM_GPA + RAM_SIZE - 8;
	setup(&R, x0);
	rng = save;
	setup(&J, x0);
	ra = env_run(&R);
	rb = env_run(&J);
	if (R.cpu.state.x[1] != x0[3] || R.cpu.state.x[2] != x0[4] || ra != CPU_EXIT_ABORT)
		return "the interpreter did not load the pair and abort";
	why = differs(&R, &J, ra, rb);
	if (!why && cpu_jit_stats(&J.cpu)->inlined < inl + 4)
		why = "the pairs were not translated inline";
	return why;
}

static void test_ldst18(void)
{
	const struct jit_stats *st;
	static const char *const mode[2][2] = { { "0", "1" }, { "3", NULL } };
	unsigned int bad, k;
	const char *why;

	ENC(x86_movq_xr(e, 0, X86_RAX), "66 48 0f 6e c0");
	ENC(x86_movq_xr(e, 1, X86_R13), "66 49 0f 6e cd");
	ENC(x86_movq_xm(e, 1, X86_RBX, 0x48), "66 48 0f 6e 4b 48");
	ENC(x86_movq_rx(e, X86_RCX, 0), "66 48 0f 7e c1");
	ENC(x86_movq_rx(e, X86_R9, 0), "66 49 0f 7e c1");
	ENC(x86_movdqa_load(e, 0, X86_RAX, 0), "66 0f 6f 00");
	ENC(x86_movdqa_store(e, X86_RAX, 0, 0), "66 0f 7f 00");
	ENC(x86_punpcklqdq(e, 0, 1), "66 0f 6c c1");
	ENC(x86_punpckhqdq(e, 0, 0), "66 0f 6d c0");
	if (make_env(&R, "0", "0", NULL)) {
		tap_ok(0, "ldst18: environments");
		return;
	}
	gen_extra = gen_pairs;
	sctlr_or = SCTLR_SA;
	for (k = 0; k < 2; k++) {
		uint64_t inl;

		if (make_env(&J, "1", mode[k][0], mode[k][1])) {
			tap_ok(0, "ldst18: JIT environment");
			break;
		}
		st = cpu_jit_stats(&J.cpu);
		reg_pool = 0;
		bad = compare_loops("LDP/STP", LOOPS, RUN_ONCE, false);
		reg_pool = 6;
		bad += compare_loops("LDP/STP, few registers", LOOPS, RUN_CHANGED, true);
		inl = st->inlined;
		tap_ok(!bad && !st->mismatches && st->blocks && inl,
		       "LDP/STP/LDNP/STNP of X and W (offset, pre-, post-index) from x28 and SP "
		       "(aligned or not, SPSel 0 and 1), across a page, past RAM, Rt = Rn and "
		       "Rt = Rt2; CCMP/CCMN; threshold %s%s: %u of %u loops differ, %llu inline",
		       mode[k][0], mode[k][1] ? ", in lockstep" : "", bad, 2 * LOOPS,
		       (unsigned long long)inl);
		if (!k) {
			why = self_modify_pair();
			tap_ok(!why, "a translated STP into the block being run: the new words "
			       "run (%s)", why ? why : "x0 = 25 on both");
			why = pair_x8();
			tap_ok(!why, "STP/LDP X at 8 mod 16 inline; an LDP X whose second "
			       "register is past RAM aborts (%s)", why ? why : "as the interpreter");
		}
		env_destroy(&J);
	}
	reg_pool = 0;
	gen_extra = NULL;
	sctlr_or = 0;
	env_destroy(&R);
}

/* ---- alu18: REV, CLZ, BFM, UDIV/SDIV inline ---- */

/*
 * REV16/REV32/REV64 (REV Wd), CLZ, BFM (every immr/imms: BFXIL's
 * imms >= immr and BFI's wrap-around), UDIV/SDIV of any registers (XZR:
 * by 0), with values that make the edge cases: MOVN #0 (-1, W -1),
 * MOVZ of the most negative X and W, MOVZ #0, LSR of a random amount
 * (leading zeros for CLZ).
 */
static uint32_t gen_alu(void)
{
	uint32_t sf = (uint32_t)(rnd() & 1);
	unsigned int n = sf ? 64 : 32;

	switch (rnd() % 10) {
	case 0:		/* REV16, REV32 (REV Wd), REV64 (X only) */
		return sf << 31 | 0x5ac00000 | (uint32_t)(1 + rnd() % (sf ? 3 : 2)) << 10 |
		       sreg() << 5 | rreg();
	case 1:		/* CLZ */
		return sf << 31 | 0x5ac01000 | sreg() << 5 | rreg();
	case 2:
	case 3:		/* BFM */
		return sf << 31 | 0x33000000 | sf << 22 | (uint32_t)(rnd() % n) << 16 |
		       (uint32_t)(rnd() % n) << 10 | sreg() << 5 | rreg();
	case 4:
	case 5:		/* UDIV, SDIV */
		return sf << 31 | 0x1ac00800 | sreg() << 16 | (uint32_t)(rnd() & 1) << 10 |
		       sreg() << 5 | rreg();
	case 6:		/* MOVN Xd/Wd, #0: -1 */
		return sf << 31 | 0x12800000 | rreg();
	case 7:		/* MOVZ Xd, #0x8000, LSL 48; Wd, LSL 16: INT_MIN; #0 */
		if (rnd() & 1)
			return 0x52800000 | rreg();
		return sf << 31 | 0x52800000 | (sf ? 3u : 1u) << 21 | 0x8000u << 5 | rreg();
	default:	/* LSR Xd, Xn, #random */
		return 0xd340fc00 | (uint32_t)(rnd() % 64) << 16 | sreg() << 5 | rreg();
	}
}

static void test_alu18(void)
{
	const struct jit_stats *st;
	static const char *const mode[2][2] = { { "0", "1" }, { "3", NULL } };
	unsigned int bad, k;

	ENC(x86_bswap(e, true, X86_RAX), "48 0f c8");
	ENC(x86_bswap(e, false, X86_R9), "41 0f c9");
	ENC(x86_bsr_rr(e, true, X86_RAX, X86_R10), "49 0f bd c2");
	ENC(x86_bsr_rr(e, false, X86_RCX, X86_RDX), "0f bd ca");
	ENC(x86_div(e, false, true, X86_RCX), "48 f7 f1");
	ENC(x86_div(e, true, false, X86_R11), "41 f7 fb");
	ENC(x86_cqo(e, true), "48 99");
	ENC(x86_cqo(e, false), "99");
	if (make_env(&R, "0", "0", NULL)) {
		tap_ok(0, "alu18: environments");
		return;
	}
	gen_extra = gen_alu;
	for (k = 0; k < 2; k++) {
		uint64_t inl;

		if (make_env(&J, "1", mode[k][0], mode[k][1])) {
			tap_ok(0, "alu18: JIT environment");
			break;
		}
		st = cpu_jit_stats(&J.cpu);
		reg_pool = 0;
		bad = compare_loops("REV/CLZ/BFM/DIV", LOOPS, RUN_ONCE, false);
		reg_pool = 6;
		bad += compare_loops("REV/CLZ/BFM/DIV, few registers", LOOPS, RUN_CHANGED, true);
		inl = st->inlined;
		tap_ok(!bad && !st->mismatches && st->blocks && inl,
		       "REV16/REV32/REV64, CLZ, BFM, UDIV/SDIV (by 0, INT_MIN / -1) among "
		       "random words, threshold %s%s: %u of %u loops differ, %llu mismatches, "
		       "%llu inline", mode[k][0], mode[k][1] ? ", in lockstep" : "", bad,
		       2 * LOOPS, (unsigned long long)st->mismatches, (unsigned long long)inl);
		env_destroy(&J);
	}
	reg_pool = 0;
	gen_extra = NULL;
	/* the edge cases by hand, translated (threshold 3, a loop of 20),
	 * against the interpreter and against their values */
	bad = 0;
	if (!make_env(&J, "1", "3", NULL)) {
		static const uint32_t loop[] = {
			0xdac0102a,	/* CLZ x10, x1 (0): 64 */
			0x5ac0102b,	/* CLZ w11, w1: 32 */
			0xdac010cc,	/* CLZ x12, x6 */
			0x5ac010ed,	/* CLZ w13, w7 (1): 31 */
			0xdac00cce,	/* REV x14, x6 */
			0x5ac008cf,	/* REV w15, w6 */
			0xdac008d0,	/* REV32 x16, x6 */
			0xdac004d1,	/* REV16 x17, x6 */
			0x5ac004d2,	/* REV16 w18, w6 */
			0x9ac30c53,	/* SDIV x19, x2, x3: INT64_MIN / -1 */
			0x1ac50c94,	/* SDIV w20, w4, w5: INT32_MIN / -1 */
			0x9ac108d5,	/* UDIV x21, x6, x1: by 0 */
			0x9ac10cd6,	/* SDIV x22, x6, x1: by 0 */
			0x1ac708d7,	/* UDIV w23, w6, w7 (1) */
			0xb37c1cd8,	/* BFM x24, x6, #60, #7: BFI #4, #8 */
			0xb3440cd9,	/* BFM x25, x6, #4, #3: BFI #60, #4 (the top) */
			0xb344f8da,	/* BFM x26, x6, #4, #62: BFXIL */
			0x331f00c8,	/* BFM w8, w6, #31, #0: BFI #1, #1 */
			0xb34ffcc9,	/* BFM x9, x6, #15, #63: BFXIL #15, #49 */
			0xf100077b,	/* SUBS x27, x27, #1 */
			0x54fffd81,	/* B.NE loop */
			0xd4000002,	/* HVC #0 */
		};
		uint64_t x0[31] = { 0 };
		enum cpu_exit_reason ra, rb;

		memcpy(prog, loop, sizeof(loop));
		prog_len = sizeof(loop) / 4;
		code_at = CODE_GPA;
		x0[2] = 1ULL << 63;
		x0[3] = UINT64_MAX;
		x0[4] = 0x80000000;
		x0[5] = 0xffffffff;
		x0[6] = 0x0123456789abcdefULL;
		x0[7] = 1;
		for (k = 8; k < 27; k++)
			x0[k] = 0xa5a5a5a5a5a5a5a5ULL * k;
		setup(&R, x0);
		setup(&J, x0);
		R.cpu.state.x[27] = J.cpu.state.x[27] = 20;
		ra = env_run(&R);
		rb = env_run(&J);
		if (ra != rb || memcmp(R.cpu.state.x, J.cpu.state.x, 31 * 8))
			bad++;
		if (J.cpu.state.x[10] != 64 || J.cpu.state.x[11] != 32 ||
		    J.cpu.state.x[12] != 7 || J.cpu.state.x[13] != 31 ||
		    J.cpu.state.x[14] != 0xefcdab8967452301ULL ||
		    J.cpu.state.x[15] != 0xefcdab89 || J.cpu.state.x[16] != 0x67452301efcdab89ULL ||
		    J.cpu.state.x[17] != 0x23016745ab89efcdULL || J.cpu.state.x[18] != 0xab89efcd ||
		    J.cpu.state.x[19] != 1ULL << 63 || J.cpu.state.x[20] != 0x80000000 ||
		    J.cpu.state.x[21] || J.cpu.state.x[22] || J.cpu.state.x[23] != 0x89abcdef ||
		    J.cpu.state.x[25] >> 60 != 0xf)
			bad++;
		st = cpu_jit_stats(&J.cpu);
		tap_ok(!bad && st->loops && st->inlined >= 19,
		       "CLZ of 0 and 1, REV of a pattern, SDIV INT_MIN / -1 (X, W), UDIV/SDIV "
		       "by 0, BFM (BFI at the top, wrapped, BFXIL), threshold 3: %u wrong "
		       "(x19 %#llx x24 %#llx)", bad, (unsigned long long)J.cpu.state.x[19],
		       (unsigned long long)J.cpu.state.x[24]);
		env_destroy(&J);
	} else {
		tap_ok(0, "alu18: JIT environment");
	}
	env_destroy(&R);
}

/* ---- hints, PAuth hints, ADR/ADRP inside blocks (hint20) ---- */

/* ADR (page 0) or ADRP (page 1) Xd, imm */
static uint32_t adr(bool page, unsigned int rd, int64_t imm)
{
	uint32_t i = (uint32_t)imm & 0x1fffff;

	return (uint32_t)page << 31 | 0x10000000 | (i & 3) << 29 | (i >> 2) << 5 | rd;
}

#define HINT_VA2	0x80001000ULL	/* a second VA of the code's page (CODE_GPA) */
#define HINT_PT		(RAM_GPA + 0xa000)	/* the tables: six 4K pages */

/* PAuth on (APA), key IA with EnIA, and the state hint_prog() expects */
static void hint_setup(struct env *v, uint64_t pc, bool el2)
{
	struct cpu_state *s = &v->cpu.state;

	env_reset(v, pc);
	env_load(v, CODE_GPA, prog, prog_len * 4);
	memset(env_ptr(v, HINT_PT), 0, RAM_GPA + RAM_SIZE - HINT_PT);	/* old tables */
	s->sysreg[SR_ID_AA64ISAR1_EL1] |= 1u << 4;		/* APA: QARMA5 */
	s->sysreg[SR_SCTLR_EL1] |= 1ULL << 31;			/* EnIA */
	s->sysreg[SR_APIAKEYLO_EL1] = 0x0123456789abcdefULL;
	s->sysreg[SR_APIAKEYLO_EL1 + 1] = 0xfedcba9876543210ULL;
	s->sp_el1 = 0x40008000;
	s->x[30] = 0x40001234;
	s->x[27] = 40;
	if (el2) {
		/* EL2 present, HCR_EL2.API clear: EL1's PAC traps to EL2 */
		s->sysreg[SR_ID_AA64PFR0_EL1] |= 1u << 8;
		s->sysreg[SR_HCR_EL2] = HCR_RW;
		s->sysreg[SR_VBAR_EL2] = RAM_GPA + 0x4000;
	}
}

/*
 * loop: NOP; PACIASP; ADR x10; ADRP x11; BTI c; CSDB; ADD x12 += x30;
 * [ADD SP, SP, #16 when bad: AUTIASP then fails]; AUTIASP; EOR x13 ^= x30;
 * [XPACLRI unless bad]; SUBS x27; B.NE loop; RET (a failed AUTIASP's pointer: an
 * instruction abort at it) or HVC #0.
 */
static void hint_prog(bool bad)
{
	prog_len = 0;
	prog[prog_len++] = 0xd503201f;			/* NOP */
	prog[prog_len++] = 0xd503233f;			/* PACIASP */
	prog[prog_len++] = adr(false, 10, 0x1234 + 1);	/* ADR x10, .+0x1235 */
	prog[prog_len++] = adr(true, 11, -3);		/* ADRP x11, .-3 pages */
	prog[prog_len++] = 0xd503245f;			/* BTI c */
	prog[prog_len++] = 0xd503229f;			/* CSDB */
	prog[prog_len++] = 0x8b1e018c;			/* ADD x12, x12, x30 */
	if (bad)
		prog[prog_len++] = 0x910043ff;		/* ADD SP, SP, #16 */
	prog[prog_len++] = 0xd50323bf;			/* AUTIASP */
	prog[prog_len++] = 0xca1e01ad;			/* EOR x13, x13, x30 */
	if (!bad)
		prog[prog_len++] = 0xd50320ff;		/* XPACLRI */
	prog[prog_len++] = 0xf100077b;			/* SUBS x27, x27, #1 */
	prog[prog_len] = 0x54000001 | ((uint32_t)-(int)prog_len & 0x7ffff) << 5;
	prog_len++;
	prog[prog_len++] = bad ? 0xd65f03c0 : 0xd4000002;	/* RET; HVC #0 */
}

static const char *hint_differs(struct env *a, struct env *b, enum cpu_exit_reason ra,
				enum cpu_exit_reason rb)
{
	const struct cpu_state *x = &a->cpu.state, *y = &b->cpu.state;
	const char *why = differs(a, b, ra, rb);

	if (why)
		return why;
	if (x->elr_el1 != y->elr_el1 ||
	    x->sysreg[SR_FAR_EL1] != y->sysreg[SR_FAR_EL1] ||
	    x->sysreg[SR_ELR_EL2] != y->sysreg[SR_ELR_EL2] ||
	    x->sysreg[SR_ESR_EL2] != y->sysreg[SR_ESR_EL2])
		return "ELR, FAR or ESR_EL2";
	return NULL;
}

static void test_hint20(void)
{
	static const char *const mode[2][2] = { { "0", "1" }, { "3", NULL } };
	const struct jit_stats *st;
	const struct cpu_state *s;
	enum cpu_exit_reason ra, rb;
	uint64_t checks, esr, fail;
	const char *why;
	unsigned int k;
	struct pt m;

	/* ADR's constant added to th_pc_bias in a cached register */
	ENC(x86_alu_rm(e, X86_ADD, true, X86_R9, X86_RBX, 0x1234), "4c 03 8b 34 12 00 00");
	if (make_env(&R, "0", "0", NULL)) {
		tap_ok(0, "hint20: environments");
		return;
	}
	for (k = 0; k < 2; k++) {
		if (make_env(&J, "1", mode[k][0], mode[k][1])) {
			tap_ok(0, "hint20: JIT environment");
			break;
		}
		st = cpu_jit_stats(&J.cpu);
		/* 1. the loop: one block, one translation with its back edge */
		hint_prog(false);
		hint_setup(&R, CODE_GPA, false);
		hint_setup(&J, CODE_GPA, false);
		checks = R.cpu.engine->st.checks;
		ra = env_run(&R);
		checks = R.cpu.engine->st.checks - checks;
		rb = env_run(&J);
		why = differs(&R, &J, ra, rb);
		s = &J.cpu.state;
		tap_ok(!why && ra == CPU_EXIT_HVC && s->x[10] == CODE_GPA + 8 + 0x1235 &&
		       s->x[11] == (CODE_GPA & ~0xfffULL) - 0x3000 && s->x[30] == 0x40001234 &&
		       s->x[12] != 40 * 0x40001234ULL && checks == 2 && st->loops >= 1 &&
		       !st->mismatches,
		       "NOP, PACIASP, ADR, ADRP, BTI c, CSDB, AUTIASP, XPACLRI in one block "
		       "(%llu block checks), threshold %s%s: %s; x10 %#llx x11 %#llx, %llu "
		       "loops kept, %llu mismatches", (unsigned long long)checks, mode[k][0],
		       mode[k][1] ? ", lockstep" : "", why ? why : "same",
		       (unsigned long long)s->x[10], (unsigned long long)s->x[11],
		       (unsigned long long)st->loops, (unsigned long long)st->mismatches);

		/* 2. AUTIASP with another SP fails: RET to its pointer, an
		 * instruction abort (address size, MMU off) at it, exact */
		hint_prog(true);
		hint_setup(&R, CODE_GPA, false);
		hint_setup(&J, CODE_GPA, false);
		R.cpu.state.x[27] = J.cpu.state.x[27] = 1;
		R.cpu.state.sysreg[SR_VBAR_EL1] = J.cpu.state.sysreg[SR_VBAR_EL1] = RAM_GPA + 0x4000;
		prog[0] = 0xd2a12001;		/* the vector: MOVZ x1, #0x900, LSL 16 */
		prog[1] = 0xf9400022;		/* LDR x2, [x1]: an MMIO exit */
		env_load(&R, RAM_GPA + 0x4200, prog, 8);
		env_load(&J, RAM_GPA + 0x4200, prog, 8);
		ra = env_run(&R);
		rb = env_run(&J);
		why = hint_differs(&R, &J, ra, rb);
		esr = s->sysreg[SR_ESR_EL1];
		fail = s->elr_el1;
		tap_ok(!why && ra == CPU_EXIT_ABORT && (esr >> 26) == EC_IABT_CUR &&
		       fail != 0x40001234 && (fail & 0xffffffffffffULL) == 0x40001234 &&
		       s->sysreg[SR_FAR_EL1] == fail,
		       "AUTIASP failing in a block, RET to its pointer: an instruction abort at "
		       "ELR %#llx, ESR %#llx, threshold %s: %s", (unsigned long long)fail,
		       (unsigned long long)esr, mode[k][0], why ? why : "same");

		/* 3. PACIASP trapped to EL2 (HCR_EL2.API 0) mid-block: ELR_EL2
		 * is its PC */
		hint_prog(false);
		hint_setup(&R, CODE_GPA, true);
		hint_setup(&J, CODE_GPA, true);
		prog[0] = 0xd2a12001;
		prog[1] = 0xf9400022;
		env_load(&R, RAM_GPA + 0x4400, prog, 8);
		env_load(&J, RAM_GPA + 0x4400, prog, 8);
		ra = env_run(&R);
		rb = env_run(&J);
		why = hint_differs(&R, &J, ra, rb);
		tap_ok(!why && ra == CPU_EXIT_ABORT && s->sysreg[SR_ELR_EL2] == CODE_GPA + 4 &&
		       (s->sysreg[SR_ESR_EL2] >> 26) == EC_PAC,
		       "PACIASP trapped by HCR_EL2.API after a NOP: ELR_EL2 %#llx, ESR_EL2 %#llx, "
		       "threshold %s: %s", (unsigned long long)s->sysreg[SR_ELR_EL2],
		       (unsigned long long)s->sysreg[SR_ESR_EL2], mode[k][0], why ? why : "same");

		/* 4. the page at two VAs (one decoded page, one translation):
		 * ADR and ADRP follow the VA */
		hint_prog(false);
		hint_setup(&J, CODE_GPA, false);
		pt_init(&m, &J, 12, HINT_PT);
		pt_map(&m, CODE_GPA, CODE_GPA, 3, D_AF | D_ATTR(0) | D_SH_IS);
		pt_map(&m, HINT_VA2, CODE_GPA, 3, D_AF | D_ATTR(0) | D_SH_IS);
		pt_enable(&m);
		rb = env_run(&J);
		fail = s->x[10] != CODE_GPA + 8 + 0x1235 ||
		       s->x[11] != (CODE_GPA & ~0xfffULL) - 0x3000;
		J.cpu.state.pc = HINT_VA2;
		J.cpu.state.x[27] = 40;
		ra = env_run(&J);
		tap_ok(ra == CPU_EXIT_HVC && rb == CPU_EXIT_HVC && !fail &&
		       s->x[10] == HINT_VA2 + 8 + 0x1235 && s->x[11] == HINT_VA2 - 0x3000,
		       "ADR, ADRP of one page at two VAs, threshold %s: x10 %#llx x11 %#llx at "
		       "the second", mode[k][0], (unsigned long long)s->x[10],
		       (unsigned long long)s->x[11]);

		/* 5. BTI: BR to a BTI j in a guarded page goes on, through a
		 * BTI c reached by falling through (a NOP); BR to a NOP there
		 * takes the Branch Target exception (EC 0x0d, ISS BTYPE 3) */
		prog_len = 0;
		prog[prog_len++] = adr(false, 0, 4 * 4);	/* ADR x0, t */
		prog[prog_len++] = 0xd61f0000;			/* BR x0 */
		prog[prog_len++] = 0xd4000002;			/* HVC #0 (not reached) */
		prog[prog_len++] = 0xd503201f;			/* NOP */
		prog[prog_len++] = 0xd503249f;			/* t: BTI j */
		prog[prog_len++] = 0xd503245f;			/* BTI c */
		prog[prog_len++] = 0x91000529;			/* ADD x9, x9, #1 */
		prog[prog_len++] = adr(false, 1, 4 * 4);	/* ADR x1, u */
		prog[prog_len++] = 0xd61f0020;			/* BR x1 */
		prog[prog_len++] = 0xd4000002;			/* HVC #0 (not reached) */
		prog[prog_len++] = 0xd503201f;			/* NOP */
		prog[prog_len++] = 0xd503201f;			/* u: NOP: no landing */
		prog[prog_len++] = 0xd4000002;			/* HVC #0 */
		for (fail = 0; fail < 2; fail++) {
			struct env *v = fail ? &J : &R;

			hint_setup(v, CODE_GPA, false);
			v->cpu.state.sysreg[SR_ID_AA64PFR1_EL1] |= 1;		/* BT */
			v->cpu.state.sysreg[SR_VBAR_EL1] = RAM_GPA + 0x4000;
			prog[prog_len] = 0xd4000022;				/* HVC #1 */
			env_load(v, RAM_GPA + 0x4200, prog + prog_len, 4);
			pt_init(&m, v, 12, HINT_PT);
			pt_map(&m, RAM_GPA, RAM_GPA, 2, D_AF | D_ATTR(0) | D_SH_IS |
			       1ULL << 50);					/* GP */
			pt_enable(&m);
		}
		ra = env_run(&R);
		rb = env_run(&J);
		why = hint_differs(&R, &J, ra, rb);
		esr = s->sysreg[SR_ESR_EL1];
		tap_ok(!why && ra == CPU_EXIT_HVC && s->x[9] == 1 && (esr >> 26) == EC_BTI &&
		       (esr & 0x1ffffff) == 3 && s->elr_el1 == CODE_GPA + 11 * 4,
		       "BTI j landed (then BTI c fallen through), a NOP landed on in a guarded "
		       "page: ESR %#llx ELR %#llx, threshold %s: %s", (unsigned long long)esr,
		       (unsigned long long)s->elr_el1, mode[k][0], why ? why : "same");
		env_destroy(&J);
	}
	env_destroy(&R);
}

int main(int argc, char **argv)
{
	rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed1234abcdULL;
	if (!rng)
		rng = 1;
	printf("# seed %#llx\n", (unsigned long long)rng);
	test_emitter();
	test_codebuf();
	test_engine();
	test_ins18();
	test_ldst18();
	test_alu18();
	test_hint20();
	return tap_done();
}
