// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 emitter (x86.h).  Encodings from the Intel SDM, volume 2:
 * REX.W (0x48) for 64-bit operands, REX.R and REX.B for R8-R15 in ModRM's
 * reg and r/m fields, ModRM mod 11 for registers, mod 01/10 with an
 * 8/32-bit displacement for [base + disp] (a base of RSP or R12 needs a
 * SIB byte, RBP and R13 no displacement-less form: both handled below).
 */
#include <string.h>

#include "x86.h"

void x86_init(struct x86 *e, uint8_t *buf, uint8_t *end)
{
	e->p = buf;
	e->end = end;
	e->full = false;
}

static void put(struct x86 *e, const uint8_t *b, unsigned int n)
{
	if (e->full || (unsigned long)(e->end - e->p) < n) {
		e->full = true;
		return;
	}
	memcpy(e->p, b, n);
	e->p += n;
}

static void put1(struct x86 *e, uint8_t b)
{
	put(e, &b, 1);
}

static void put4(struct x86 *e, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(e, b, 4);
}

/* The raw bytes and a 32-bit little-endian immediate, for emitters of
 * encodings this file does not have (simd.c's VEX forms) */
void x86_put(struct x86 *e, const uint8_t *b, unsigned int n)
{
	put(e, b, n);
}

void x86_put4(struct x86 *e, uint32_t v)
{
	put4(e, v);
}

static void put8(struct x86 *e, uint64_t v)
{
	put4(e, (uint32_t)v);
	put4(e, (uint32_t)(v >> 32));
}

/* REX: W for 64 bits, R for reg >= 8, B for r/m (or base) >= 8; none
 * when all clear unless force (a byte register SPL..DIL) */
static void rex(struct x86 *e, bool w64, unsigned int reg, unsigned int rm, bool force)
{
	uint8_t v = (uint8_t)(0x40 | (w64 ? 8 : 0) | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0));

	if (v != 0x40 || force)
		put1(e, v);
}

static void modrm_reg(struct x86 *e, unsigned int reg, unsigned int rm)
{
	put1(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* ModRM (+ SIB) + displacement for [base + disp] */
static void modrm_mem(struct x86 *e, unsigned int reg, enum x86_reg base, int32_t disp)
{
	unsigned int mod = disp == 0 && (base & 7) != X86_RBP ? 0 :
			   disp >= -128 && disp <= 127 ? 1 : 2;

	put1(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == X86_RSP)
		put1(e, 0x24);		/* SIB: no index, base RSP or R12 */
	if (mod == 1)
		put1(e, (uint8_t)disp);
	else if (mod == 2)
		put4(e, (uint32_t)disp);
}

void x86_push(struct x86 *e, enum x86_reg r)
{
	rex(e, false, 0, r, false);
	put1(e, (uint8_t)(0x50 + (r & 7)));
}

void x86_pop(struct x86 *e, enum x86_reg r)
{
	rex(e, false, 0, r, false);
	put1(e, (uint8_t)(0x58 + (r & 7)));
}

void x86_ret(struct x86 *e)
{
	put1(e, 0xc3);
}

void x86_mov_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src)
{
	rex(e, w64, src, dst, false);
	put1(e, 0x89);
	modrm_reg(e, src, dst);
}

void x86_mov_ri(struct x86 *e, enum x86_reg r, uint64_t imm)
{
	if (imm <= 0xffffffffULL) {
		rex(e, false, 0, r, false);
		put1(e, (uint8_t)(0xb8 + (r & 7)));
		put4(e, (uint32_t)imm);
		return;
	}
	rex(e, true, 0, r, false);
	put1(e, (uint8_t)(0xb8 + (r & 7)));
	put8(e, imm);
}

void x86_load(struct x86 *e, bool w64, enum x86_reg r, enum x86_reg base, int32_t disp)
{
	rex(e, w64, r, base, false);
	put1(e, 0x8b);
	modrm_mem(e, r, base, disp);
}

void x86_store(struct x86 *e, bool w64, enum x86_reg base, int32_t disp, enum x86_reg r)
{
	rex(e, w64, r, base, false);
	put1(e, 0x89);
	modrm_mem(e, r, base, disp);
}

void x86_store_n(struct x86 *e, unsigned int size, enum x86_reg base, int32_t disp,
		 enum x86_reg r)
{
	if (size == 2)
		put1(e, 0x66);		/* operand-size prefix */
	/* a byte of SPL..DIL needs a REX (else AH..BH) */
	rex(e, size == 8, r, base, size == 1 && (r & ~3u) == 4);
	put1(e, size == 1 ? 0x88 : 0x89);
	modrm_mem(e, r, base, disp);
}

void x86_store_zero_n(struct x86 *e, unsigned int size, enum x86_reg base, int32_t disp)
{
	if (size == 2)
		put1(e, 0x66);		/* operand-size prefix */
	rex(e, size == 8, 0, base, false);
	put1(e, size == 1 ? 0xc6 : 0xc7);
	modrm_mem(e, 0, base, disp);
	if (size == 1)
		put1(e, 0);
	else if (size == 2)
		put1(e, 0), put1(e, 0);
	else
		put4(e, 0);
}

void x86_store_imm(struct x86 *e, bool w64, enum x86_reg base, int32_t disp, int32_t imm)
{
	rex(e, w64, 0, base, false);
	put1(e, 0xc7);
	modrm_mem(e, 0, base, disp);
	put4(e, (uint32_t)imm);
}

void x86_alu_rr(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg dst, enum x86_reg src)
{
	rex(e, w64, src, dst, false);
	put1(e, (uint8_t)(op << 3 | 1));	/* op r/m, reg */
	modrm_reg(e, src, dst);
}

void x86_alu_ri(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg dst, int32_t imm)
{
	rex(e, w64, 0, dst, false);
	if (imm >= -128 && imm <= 127) {
		put1(e, 0x83);
		modrm_reg(e, op, dst);
		put1(e, (uint8_t)imm);
		return;
	}
	put1(e, 0x81);
	modrm_reg(e, op, dst);
	put4(e, (uint32_t)imm);
}

void x86_alu_rm(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg r, enum x86_reg base,
		int32_t disp)
{
	rex(e, w64, r, base, false);
	put1(e, (uint8_t)(op << 3 | 3));	/* op reg, r/m */
	modrm_mem(e, r, base, disp);
}

void x86_lea(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg base, int32_t disp)
{
	rex(e, w64, dst, base, false);
	put1(e, 0x8d);
	modrm_mem(e, dst, base, disp);
}

void x86_lea_idx(struct x86 *e, enum x86_reg dst, enum x86_reg base, enum x86_reg index,
		 unsigned int scale)
{
	bool bp = (base & 7) == X86_RBP;	/* RBP, R13: only with a displacement */

	put1(e, (uint8_t)(0x48 | (dst & 8 ? 4 : 0) | (index & 8 ? 2 : 0) | (base & 8 ? 1 : 0)));
	put1(e, 0x8d);
	put1(e, (uint8_t)((bp ? 0x40 : 0) | (dst & 7) << 3 | 4));
	put1(e, (uint8_t)((scale & 3) << 6 | (index & 7) << 3 | (base & 7)));
	if (bp)
		put1(e, 0);
}

void x86_movzx_m(struct x86 *e, unsigned int size, enum x86_reg r, enum x86_reg base,
		 int32_t disp)
{
	rex(e, false, r, base, false);
	put1(e, 0x0f);
	put1(e, size == 1 ? 0xb6 : 0xb7);
	modrm_mem(e, r, base, disp);
}

void x86_movsxd_m(struct x86 *e, enum x86_reg r, enum x86_reg base, int32_t disp)
{
	rex(e, true, r, base, false);
	put1(e, 0x63);
	modrm_mem(e, r, base, disp);
}

void x86_movsxd_rr(struct x86 *e, enum x86_reg dst, enum x86_reg src)
{
	rex(e, true, dst, src, false);
	put1(e, 0x63);
	modrm_reg(e, dst, src);
}

void x86_shift_ri(struct x86 *e, enum x86_shift op, bool w64, enum x86_reg r, uint8_t n)
{
	rex(e, w64, 0, r, false);
	put1(e, 0xc1);
	modrm_reg(e, op, r);
	put1(e, n);
}

void x86_setcc(struct x86 *e, enum x86_cc cc, enum x86_reg r)
{
	rex(e, false, 0, r, r >= 4);	/* SPL...: a REX, not AH... */
	put1(e, 0x0f);
	put1(e, (uint8_t)(0x90 + cc));
	modrm_reg(e, 0, r);
}

void x86_cmc(struct x86 *e)
{
	put1(e, 0xf5);
}

void x86_shrd_ri(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src, uint8_t n)
{
	rex(e, w64, src, dst, false);
	put1(e, 0x0f);
	put1(e, 0xac);
	modrm_reg(e, src, dst);
	put1(e, n);
}

void x86_shift_cl(struct x86 *e, enum x86_shift op, bool w64, enum x86_reg r)
{
	rex(e, w64, 0, r, false);
	put1(e, 0xd3);
	modrm_reg(e, op, r);
}

void x86_alu_mi(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg base, int32_t disp,
		int32_t imm)
{
	bool short_imm = imm >= -128 && imm <= 127;

	rex(e, w64, 0, base, false);
	put1(e, short_imm ? 0x83 : 0x81);
	modrm_mem(e, op, base, disp);
	if (short_imm)
		put1(e, (uint8_t)imm);
	else
		put4(e, (uint32_t)imm);
}

void x86_imul_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src)
{
	rex(e, w64, dst, src, false);
	put1(e, 0x0f);
	put1(e, 0xaf);
	modrm_reg(e, dst, src);
}

void x86_cmov(struct x86 *e, enum x86_cc cc, bool w64, enum x86_reg dst, enum x86_reg src)
{
	rex(e, w64, dst, src, false);
	put1(e, 0x0f);
	put1(e, (uint8_t)(0x40 | cc));
	modrm_reg(e, dst, src);
}

void x86_neg(struct x86 *e, bool w64, enum x86_reg r)
{
	rex(e, w64, 0, r, false);
	put1(e, 0xf7);
	modrm_reg(e, 3, r);
}

void x86_bt_ri(struct x86 *e, enum x86_reg r, uint8_t n)
{
	rex(e, true, 0, r, false);
	put1(e, 0x0f);
	put1(e, 0xba);
	modrm_reg(e, 4, r);
	put1(e, n);
}

void x86_bt_rr(struct x86 *e, enum x86_reg r, enum x86_reg n)
{
	rex(e, true, n, r, false);
	put1(e, 0x0f);
	put1(e, 0xa3);
	modrm_reg(e, n, r);
}

void x86_bswap(struct x86 *e, bool w64, enum x86_reg r)
{
	rex(e, w64, 0, r, false);
	put1(e, 0x0f);
	put1(e, (uint8_t)(0xc8 | (r & 7)));
}

void x86_bsr_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src)
{
	rex(e, w64, dst, src, false);
	put1(e, 0x0f);
	put1(e, 0xbd);
	modrm_reg(e, dst, src);
}

void x86_div(struct x86 *e, bool sign, bool w64, enum x86_reg r)
{
	rex(e, w64, 0, r, false);
	put1(e, 0xf7);
	modrm_reg(e, sign ? 7 : 6, r);
}

void x86_cqo(struct x86 *e, bool w64)
{
	rex(e, w64, 0, 0, false);
	put1(e, 0x99);
}

void x86_not(struct x86 *e, bool w64, enum x86_reg r)
{
	rex(e, w64, 0, r, false);
	put1(e, 0xf7);
	modrm_reg(e, 2, r);
}

void x86_test_rr(struct x86 *e, bool w64, enum x86_reg a, enum x86_reg b)
{
	rex(e, w64, b, a, false);
	put1(e, 0x85);
	modrm_reg(e, b, a);
}

void x86_call_r(struct x86 *e, enum x86_reg r)
{
	rex(e, false, 0, r, false);
	put1(e, 0xff);
	modrm_reg(e, 2, r);
}

void x86_jmp_r(struct x86 *e, enum x86_reg r)
{
	rex(e, false, 0, r, false);
	put1(e, 0xff);
	modrm_reg(e, 4, r);
}

void x86_jmp_m(struct x86 *e, enum x86_reg base, int8_t disp)
{
	rex(e, false, 0, base, false);
	put1(e, 0xff);
	put1(e, (uint8_t)(0x40 | 4 << 3 | (base & 7)));
	if ((base & 7) == X86_RSP)
		put1(e, 0x24);
	put1(e, (uint8_t)disp);
}

uint8_t *x86_jcc(struct x86 *e, enum x86_cc cc)
{
	put1(e, 0x0f);
	put1(e, (uint8_t)(0x80 | cc));
	put4(e, 0);
	return e->full ? NULL : e->p - 4;
}

uint8_t *x86_jmp(struct x86 *e)
{
	put1(e, 0xe9);
	put4(e, 0);
	return e->full ? NULL : e->p - 4;
}

void x86_patch(uint8_t *at, const uint8_t *target)
{
	int32_t rel = (int32_t)(target - (at + 4));

	memcpy(at, &rel, 4);
}

/* SSE2 (every x86-64 host): 66 [REX] 0F op ModRM; x is an XMM register
 * number (0-15) in ModRM's reg field */
static void sse_rr(struct x86 *e, bool w64, uint8_t op, unsigned int x, unsigned int rm)
{
	put1(e, 0x66);
	rex(e, w64, x, rm, false);
	put1(e, 0x0f);
	put1(e, op);
	modrm_reg(e, x, rm);
}

static void sse_rm(struct x86 *e, bool w64, uint8_t op, unsigned int x, enum x86_reg base,
		   int32_t disp)
{
	put1(e, 0x66);
	rex(e, w64, x, base, false);
	put1(e, 0x0f);
	put1(e, op);
	modrm_mem(e, x, base, disp);
}

void x86_movq_xr(struct x86 *e, unsigned int x, enum x86_reg r)
{
	sse_rr(e, true, 0x6e, x, r);
}

void x86_movq_xm(struct x86 *e, unsigned int x, enum x86_reg base, int32_t disp)
{
	sse_rm(e, true, 0x6e, x, base, disp);
}

void x86_movq_rx(struct x86 *e, enum x86_reg r, unsigned int x)
{
	sse_rr(e, true, 0x7e, x, r);
}

void x86_movdqa_load(struct x86 *e, unsigned int x, enum x86_reg base, int32_t disp)
{
	sse_rm(e, false, 0x6f, x, base, disp);
}

void x86_movdqa_store(struct x86 *e, enum x86_reg base, int32_t disp, unsigned int x)
{
	sse_rm(e, false, 0x7f, x, base, disp);
}

void x86_punpcklqdq(struct x86 *e, unsigned int dst, unsigned int src)
{
	sse_rr(e, false, 0x6c, dst, src);
}

void x86_punpckhqdq(struct x86 *e, unsigned int dst, unsigned int src)
{
	sse_rr(e, false, 0x6d, dst, src);
}
