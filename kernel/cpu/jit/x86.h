/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small x86-64 instruction emitter: only the encodings the block
 * translator (translate.c) uses, on the sixteen registers (REX.R and REX.B
 * for R8-R15), each checked against its bytes by tests/cpu/test_jit.
 * Emitting past the end sets full and writes nothing more (an instruction
 * may be cut): the caller checks full once, when the block is done, and
 * discards the block if set.
 */
#ifndef VKVM_CPU_JIT_X86_H
#define VKVM_CPU_JIT_X86_H

#include <stdbool.h>
#include <stdint.h>

enum x86_reg { X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	       X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15 };

/* the ModRM reg field of the 0x81 / 0xc1 / 0xf7 groups, and the opcode of
 * the register-register form (op r/m, reg) for the ALU ones */
enum x86_alu { X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP };
enum x86_shift { X86_ROL, X86_ROR, X86_SHL = 4, X86_SHR, X86_SAR = 7 };

/* condition codes, the low nibble of Jcc */
enum x86_cc { X86_O, X86_NO, X86_B, X86_AE, X86_E, X86_NE, X86_BE, X86_A,
	      X86_S, X86_NS, X86_P, X86_NP, X86_L, X86_GE, X86_LE, X86_G };

struct x86 {
	uint8_t *p;		/* next byte */
	uint8_t *end;
	bool full;
};

void x86_init(struct x86 *e, uint8_t *buf, uint8_t *end);

void x86_push(struct x86 *e, enum x86_reg r);
void x86_pop(struct x86 *e, enum x86_reg r);
void x86_ret(struct x86 *e);
/* dst = src (w64 false: 32 bits, zeroing the upper half) */
void x86_mov_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src);
/* r = imm: MOV r32, imm32 when imm fits 32 bits unsigned, else MOVABS */
void x86_mov_ri(struct x86 *e, enum x86_reg r, uint64_t imm);
/* r = [base + disp] / [base + disp] = r, 32 or 64 bits */
void x86_load(struct x86 *e, bool w64, enum x86_reg r, enum x86_reg base, int32_t disp);
void x86_store(struct x86 *e, bool w64, enum x86_reg base, int32_t disp, enum x86_reg r);
/* the low size bytes (1, 2, 4, 8) of r to [base + disp] */
void x86_store_n(struct x86 *e, unsigned int size, enum x86_reg base, int32_t disp,
		 enum x86_reg r);
/* size bytes (1, 2, 4, 8) of zeros to [base + disp] (MOV r/m, imm) */
void x86_store_zero_n(struct x86 *e, unsigned int size, enum x86_reg base, int32_t disp);
/* [base + disp] = imm (sign-extended to 64 bits with w64) */
void x86_store_imm(struct x86 *e, bool w64, enum x86_reg base, int32_t disp, int32_t imm);
/* dst op= src; dst op= imm (sign-extended) */
void x86_alu_rr(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg dst, enum x86_reg src);
void x86_alu_ri(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg dst, int32_t imm);
/* reg op= [base + disp] (ADD, AND, CMP...: op r, r/m) */
void x86_alu_rm(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg r, enum x86_reg base,
		int32_t disp);
/* dst = base + disp, no flags (32 bits: the sum's low half, zero-extended) */
void x86_lea(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg base, int32_t disp);
/* dst = base + (index << scale), 64 bits; index not RSP, scale 0-3 */
void x86_lea_idx(struct x86 *e, enum x86_reg dst, enum x86_reg base, enum x86_reg index,
		 unsigned int scale);
/* r = zero-extended byte (size 1) or word (2) at [base + disp] */
void x86_movzx_m(struct x86 *e, unsigned int size, enum x86_reg r, enum x86_reg base,
		 int32_t disp);
/* r = sign-extended dword at [base + disp] (MOVSXD) */
void x86_movsxd_m(struct x86 *e, enum x86_reg r, enum x86_reg base, int32_t disp);
/* dst = src's low dword sign-extended */
void x86_movsxd_rr(struct x86 *e, enum x86_reg dst, enum x86_reg src);
void x86_shift_ri(struct x86 *e, enum x86_shift op, bool w64, enum x86_reg r, uint8_t n);
/* r op= CL (the count masked to 5 or 6 bits, as A64's variable shifts) */
/* SETcc of r's low byte (the rest kept); CMC (CF inverted) */
void x86_setcc(struct x86 *e, enum x86_cc cc, enum x86_reg r);
void x86_cmc(struct x86 *e);
/* SHRD dst, src, n: dst = (src:dst) >> n, the low half (n < the size) */
void x86_shrd_ri(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src, uint8_t n);
void x86_shift_cl(struct x86 *e, enum x86_shift op, bool w64, enum x86_reg r);
/* [base + disp] op= imm (sign-extended), 32 or 64 bits */
void x86_alu_mi(struct x86 *e, enum x86_alu op, bool w64, enum x86_reg base, int32_t disp,
		int32_t imm);
/* dst *= src (the low half of the product) */
void x86_imul_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src);
/* dst = src if cc holds (32 bits: the upper half zeroed either way) */
void x86_cmov(struct x86 *e, enum x86_cc cc, bool w64, enum x86_reg dst, enum x86_reg src);
void x86_neg(struct x86 *e, bool w64, enum x86_reg r);
/* CF = bit n (0-63) of r */
void x86_bt_ri(struct x86 *e, enum x86_reg r, uint8_t n);
/* CF = bit (n mod 64) of r */
void x86_bt_rr(struct x86 *e, enum x86_reg r, enum x86_reg n);
/* BSWAP r (32 bits: the low dword's bytes, the upper half zeroed) */
void x86_bswap(struct x86 *e, bool w64, enum x86_reg r);
/* BSR dst, src: dst = the index of src's top set bit, ZF = (src == 0)
 * (dst then undefined) */
void x86_bsr_rr(struct x86 *e, bool w64, enum x86_reg dst, enum x86_reg src);
/* DIV / IDIV r (sign): RDX:RAX / r -> RAX, remainder RDX (EDX:EAX at
 * 32 bits); CQO / CDQ (w64 false): RDX = RAX's sign */
void x86_div(struct x86 *e, bool sign, bool w64, enum x86_reg r);
void x86_cqo(struct x86 *e, bool w64);
void x86_not(struct x86 *e, bool w64, enum x86_reg r);
void x86_test_rr(struct x86 *e, bool w64, enum x86_reg a, enum x86_reg b);
void x86_call_r(struct x86 *e, enum x86_reg r);
void x86_jmp_r(struct x86 *e, enum x86_reg r);
/* JMP [base + disp8] */
void x86_jmp_m(struct x86 *e, enum x86_reg base, int8_t disp);
/* Jcc rel32 / JMP rel32 with the displacement left 0: returns where it
 * goes, for x86_patch() (NULL when full) */
uint8_t *x86_jcc(struct x86 *e, enum x86_cc cc);
uint8_t *x86_jmp(struct x86 *e);
/* point the rel32 at at to target */
void x86_patch(uint8_t *at, const uint8_t *target);

/* SSE2, x an XMM register (0-15): MOVQ xmm, r64 / xmm, [base + disp] /
 * r64, xmm; MOVDQA xmm, [base + disp] and back (16-byte aligned: one
 * single-copy atomic access on the hosts the JIT runs on); PUNPCKLQDQ
 * dst, src (dst's high half = src's low), PUNPCKHQDQ (dst's low = dst's
 * high, dst's high = src's high) */
void x86_movq_xr(struct x86 *e, unsigned int x, enum x86_reg r);
void x86_movq_xm(struct x86 *e, unsigned int x, enum x86_reg base, int32_t disp);
void x86_movq_rx(struct x86 *e, enum x86_reg r, unsigned int x);
void x86_movdqa_load(struct x86 *e, unsigned int x, enum x86_reg base, int32_t disp);
void x86_movdqa_store(struct x86 *e, enum x86_reg base, int32_t disp, unsigned int x);
void x86_punpcklqdq(struct x86 *e, unsigned int dst, unsigned int src);
void x86_punpckhqdq(struct x86 *e, unsigned int dst, unsigned int src);

void x86_put(struct x86 *e, const uint8_t *b, unsigned int n);
void x86_put4(struct x86 *e, uint32_t v);

#endif /* VKVM_CPU_JIT_X86_H */
