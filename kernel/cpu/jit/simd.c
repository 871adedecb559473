// SPDX-License-Identifier: GPL-2.0
/*
 * FP/SIMD instructions inline in a translation (translate.c's
 * emit_block() asks jit_simd_form() of each entry it would call): the
 * single-precision vector forms FMLA (vector and by element), FADD, FSUB
 * and FMUL, .4S and .2S, on the host's AVX and FMA units (checked at run
 * time, jit_simd_create(); without them nothing is inlined).
 *
 * The host's IEEE 754 binary32 arithmetic, round to nearest, is the Arm
 * ARM's for finite and infinite operands in FPCR's default state (FPCR
 * all 0: no FZ, no DN, RN; FMLA fused as VFMADD231PS), so the inline code
 * runs only when:
 *  - FP is enabled without a look at the EL: CPACR_EL1.FPEN 11, HCR_EL2.E2H
 *    0, CPTR_EL2.TFP 0 (else the handler: it takes the trap);
 *  - FPCR is 0;
 * and keeps the host's result only when the host's MXCSR flags, cleared
 * before, show nothing but inexactness (no invalid operation, no
 * denormal operand, no division by zero, no overflow, no underflow) and
 * no lane of the result is a NaN (a NaN operand: Arm's choice of NaN is
 * not x86's).  When inexact, a lane of magnitude below twice the smallest
 * normal (exponent field 0 or 1) sends it to the handler too: Arm detects
 * tininess before rounding, x86 after, so a result rounded up to the
 * smallest normal would miss Arm's UFC.  Otherwise FPSR.IXC is set when
 * inexact, and the result written with the rest of the Z register
 * zeroed, as vwrite() does.  Everything else goes to the handler, which
 * computes from the operands, still in c->state.  The .2S forms load 64
 * bits (the upper lanes 0: +0, exact) and store all 16 bytes.
 *
 * Encodings from the Intel SDM, volume 2 (VEX prefixes); xmm0-xmm5 and
 * RAX are used, none of which a translation keeps anything in.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "../fp.h"
#include "simd.h"

#define Z_OFF(n)	((int32_t)(offsetof(struct cpu, state.z) + CPU_ZREG_BYTES * (n)))
#define FPSR_OFF	((int32_t)offsetof(struct cpu, state.fpsr))
#define FPCR_OFF	((int32_t)offsetof(struct cpu, state.fpcr))
#define SYSREG_OFF(r)	((int32_t)(offsetof(struct cpu, state.sysreg) + 8 * (r)))

_Static_assert(CPU_ZREG_BYTES % 32 == 16 || CPU_ZREG_BYTES % 32 == 0, "Z in 16-byte steps");

static bool host_ok;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

static void host_init(void)
{
	const char *v = getenv("VKVM_JIT_SIMD");

#if defined(__x86_64__)
	__builtin_cpu_init();
	host_ok = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma") &&
		  !(v && !strcmp(v, "0"));
#else
	(void)v;
	host_ok = false;	/* jit_create() makes no translator there */
#endif
}

/* once a process: vCPUs are created on several threads */
void jit_simd_init(void)
{
	pthread_once(&host_once, host_init);
}

enum simd_op { S_FMLA, S_FMLA_E, S_FADD, S_FSUB, S_FMUL };

static const struct {
	const char *name;
	enum simd_op op;
} forms[] = {
	{ "FMLA_v", S_FMLA }, { "FMLA_e", S_FMLA_E }, { "FADD_v", S_FADD },
	{ "FSUB_v", S_FSUB }, { "FMUL_v", S_FMUL },
};

/* Which form d is (its row, single precision), or -1 */
static int form_of(const struct dinsn *d)
{
	const char *name;
	unsigned int i;

	if (!host_ok || d->fn == exec_undef)
		return -1;
	name = insn_name(d->insn);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (strcmp(forms[i].name, name))
			continue;
		if (forms[i].op == S_FMLA_E)		/* size 10: S */
			return FIELD(d->insn, 23, 22) == 2 ? (int)forms[i].op : -1;
		return BIT(d->insn, 22) ? -1 : (int)forms[i].op;	/* sz 0: S */
	}
	return -1;
}

bool jit_simd_form(const struct dinsn *d)
{
	return form_of(d) >= 0;
}

/* ---- the encodings ---- */

/*
 * A two-byte VEX instruction on xmm registers 0-7 (ymm when l): opcode op
 * of map 0F, prefix pp (0 none, 1 66, 2 F3), vvvv the second source,
 * ModRM reg, and either a register rm (mem false) or [RBX + disp32].
 */
static void vex2(struct x86 *e, unsigned int pp, bool l, unsigned int vvvv, uint8_t op,
		 unsigned int reg, bool mem, unsigned int rm, int32_t disp)
{
	uint8_t b[4] = { 0xc5, (uint8_t)(0x80 | (~vvvv & 15) << 3 | (l ? 4 : 0) | pp), op, 0 };

	if (mem) {
		b[3] = (uint8_t)(0x80 | (reg & 7) << 3 | X86_RBX);
		x86_put(e, b, 4);
		x86_put4(e, (uint32_t)disp);
	} else {
		b[3] = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
		x86_put(e, b, 4);
	}
}

/* The same with a three-byte VEX for map 0F38 (pp 1: 66), W0 */
static void vex3_38(struct x86 *e, unsigned int vvvv, uint8_t op, unsigned int reg, bool mem,
		    unsigned int rm, int32_t disp)
{
	uint8_t b[5] = { 0xc4, 0xe2, (uint8_t)((~vvvv & 15) << 3 | 1), op, 0 };

	if (mem) {
		b[4] = (uint8_t)(0x80 | (reg & 7) << 3 | X86_RBX);
		x86_put(e, b, 5);
		x86_put4(e, (uint32_t)disp);
	} else {
		b[4] = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
		x86_put(e, b, 5);
	}
}

/* VMOVDQU xmm, [RBX + disp] (16 bytes) or VMOVQ xmm, [RBX + disp] (8,
 * the upper half zeroed) */
static void vload(struct x86 *e, unsigned int x, int32_t disp, bool q)
{
	vex2(e, 2, false, 0, q ? 0x6f : 0x7e, x, true, 0, disp);
}

/* [RSP - 8], for LDMXCSR/STMXCSR: the red zone (no call in between) */
static const uint8_t mxcsr_init[] = {
	0xc7, 0x44, 0x24, 0xf8, 0x80, 0x1f, 0x00, 0x00,	/* MOV dword [RSP-8], 0x1f80 */
	0x0f, 0xae, 0x54, 0x24, 0xf8,			/* LDMXCSR [RSP-8] */
};
static const uint8_t mxcsr_read[] = {
	0x0f, 0xae, 0x5c, 0x24, 0xf8,			/* STMXCSR [RSP-8] */
	0xf6, 0x44, 0x24, 0xf8, 0x1f,			/* TEST byte [RSP-8], IE|DE|ZE|OE|UE */
};
static const uint8_t mxcsr_pe[] = {
	0xf6, 0x44, 0x24, 0xf8, 0x20,			/* TEST byte [RSP-8], PE */
};

/* the jumps to the slow side: recorded in *sl */
static void slow_if(struct x86 *e, struct jit_simd_slow *sl, enum x86_cc cc)
{
	uint8_t *j = x86_jcc(e, cc);

	if (j && sl->n < JIT_SIMD_SLOW_MAX)
		sl->jcc[sl->n++] = j;
}

/* FP enabled at any EL without EL2's traps (CPACR_EL1.FPEN 11, E2H 0,
 * TFP 0), found with scratch register t; else the slow side */
static void fp_enabled(struct x86 *e, struct jit_simd_slow *sl, enum x86_reg t)
{
	x86_load(e, false, t, X86_RBX, SYSREG_OFF(SR_CPACR_EL1));
	x86_alu_ri(e, X86_AND, false, t, 3 << 20);
	x86_alu_ri(e, X86_CMP, false, t, 3 << 20);
	slow_if(e, sl, X86_NE);
	x86_load(e, false, t, X86_RBX, SYSREG_OFF(SR_CPTR_EL2));
	x86_alu_ri(e, X86_AND, false, t, (int32_t)CPU_CPTR_TFP);
	slow_if(e, sl, X86_NE);
	x86_load(e, false, t, X86_RBX, SYSREG_OFF(SR_HCR_EL2) + 4);
	x86_alu_ri(e, X86_AND, false, t, (int32_t)(HCR_E2H >> 32));
	slow_if(e, sl, X86_NE);
}

/* Zd's bytes from 16 on zeroed (xmm3, ymm3 clobbered), VZEROUPPER */
static void zero_rest(struct x86 *e, unsigned int rd)
{
	unsigned int k;

	vex2(e, 1, false, 3, 0xef, 3, false, 3, 0);		/* VPXOR xmm3 */
	for (k = 16; k + 32 <= CPU_ZREG_BYTES; k += 32)
		vex2(e, 2, true, 0, 0x7f, 3, true, 0, Z_OFF(rd) + (int32_t)k);
	if (k < CPU_ZREG_BYTES)
		vex2(e, 2, false, 0, 0x7f, 3, true, 0, Z_OFF(rd) + (int32_t)k);
	x86_put(e, (const uint8_t[]){ 0xc5, 0xf8, 0x77 }, 3);	/* VZEROUPPER */
}

void jit_simd_emit(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl)
{
	enum simd_op op = (enum simd_op)form_of(d);
	bool q = BIT(d->insn, 30);
	unsigned int rd = d->insn & 31, rn = (d->insn >> 5) & 31, rm = (d->insn >> 16) & 31;
	unsigned int lanes = q ? 0xf : 0x3;

	sl->n = 0;
	/* FP enabled at any EL without EL2's traps, FPCR 0 */
	fp_enabled(e, sl, X86_RAX);
	x86_alu_mi(e, X86_CMP, false, X86_RBX, FPCR_OFF, 0);
	slow_if(e, sl, X86_NE);

	x86_put(e, mxcsr_init, sizeof(mxcsr_init));
	/* xmm1 = Vn, xmm2 = Vm or its element broadcast, xmm0 = Vd */
	vload(e, 1, Z_OFF(rn), q);
	if (op == S_FMLA_E) {
		/* by element, S: Rm is M:Rm (bits 20:16), the index H:L */
		unsigned int idx = BIT(d->insn, 11) << 1 | BIT(d->insn, 21);

		rm = (d->insn >> 16) & 31;
		vex3_38(e, 0, 0x18, 2, true, 0, Z_OFF(rm) + 4 * (int32_t)idx);	/* VBROADCASTSS */
		if (!q)		/* the upper lanes 0, as the 64-bit loads' */
			vex2(e, 2, false, 0, 0x7e, 2, false, 2, 0);	/* VMOVQ xmm2, xmm2 */
	} else {
		vload(e, 2, Z_OFF(rm), q);
	}
	switch (op) {
	case S_FMLA:
	case S_FMLA_E:
		vload(e, 0, Z_OFF(rd), q);
		vex3_38(e, 1, 0xb8, 0, false, 2, 0);	/* VFMADD231PS xmm0, xmm1, xmm2 */
		break;
	case S_FADD:
		vex2(e, 0, false, 1, 0x58, 0, false, 2, 0);	/* VADDPS xmm0, xmm1, xmm2 */
		break;
	case S_FSUB:
		vex2(e, 0, false, 1, 0x5c, 0, false, 2, 0);	/* VSUBPS */
		break;
	case S_FMUL:
		vex2(e, 0, false, 1, 0x59, 0, false, 2, 0);	/* VMULPS */
		break;
	}
	x86_put(e, mxcsr_read, sizeof(mxcsr_read));
	slow_if(e, sl, X86_NE);
	/* a NaN lane: VCMPUNORDPS xmm3, xmm0, xmm0; VMOVMSKPS eax, xmm3 */
	vex2(e, 0, false, 0, 0xc2, 3, false, 0, 0);
	x86_put(e, (const uint8_t[]){ 3 }, 1);
	vex2(e, 0, false, 0, 0x50, X86_RAX, false, 3, 0);
	x86_test_rr(e, false, X86_RAX, X86_RAX);
	slow_if(e, sl, X86_NE);
	/* inexact: every lane's exponent field above 1, then FPSR.IXC */
	x86_put(e, mxcsr_pe, sizeof(mxcsr_pe));
	{
		uint8_t *exact = x86_jcc(e, X86_E);

		/* VPSLLD xmm3, xmm0, 1; VPSRLD xmm3, xmm3, 24: the exponent
		 * field; VPCMPEQD xmm4, xmm4, xmm4; VPSRLD xmm4, xmm4, 31: 1s;
		 * VPCMPGTD xmm3, xmm3, xmm4; VMOVMSKPS eax, xmm3 */
		vex2(e, 1, false, 3, 0x72, 6, false, 0, 0);
		x86_put(e, (const uint8_t[]){ 1 }, 1);
		vex2(e, 1, false, 3, 0x72, 2, false, 3, 0);
		x86_put(e, (const uint8_t[]){ 24 }, 1);
		vex2(e, 1, false, 4, 0x76, 4, false, 4, 0);
		vex2(e, 1, false, 4, 0x72, 2, false, 4, 0);
		x86_put(e, (const uint8_t[]){ 31 }, 1);
		vex2(e, 1, false, 3, 0x66, 3, false, 4, 0);
		vex2(e, 0, false, 0, 0x50, X86_RAX, false, 3, 0);
		x86_alu_ri(e, X86_AND, false, X86_RAX, (int32_t)lanes);
		x86_alu_ri(e, X86_CMP, false, X86_RAX, (int32_t)lanes);
		slow_if(e, sl, X86_NE);
		x86_alu_mi(e, X86_OR, false, X86_RBX, FPSR_OFF, FPSR_IXC);
		if (exact)
			x86_patch(exact, e->p);
	}
	/* Vd = xmm0 (16 bytes: a .2S result's upper lanes are +0), the rest
	 * of Zd zeroed */
	vex2(e, 2, false, 0, 0x7f, 0, true, 0, Z_OFF(rd));
	zero_rest(e, rd);
}

/* ---- LDR/STR Q (unsigned offset), LDP/STP Q (signed offset) ---- */

#define CUR_TLB_OFF	((int32_t)offsetof(struct cpu, cur_tlb))
#define TH_HOST_OFF	((int32_t)offsetof(struct cpu, th_host))
#define TAG_R_OFF	((int32_t)offsetof(struct tlb_entry, tag_r))
#define TAG_W_OFF	((int32_t)offsetof(struct tlb_entry, tag_w))
#define ADDEND_OFF	((int32_t)offsetof(struct tlb_entry, addend))
_Static_assert(sizeof(struct tlb_entry) == 64, "a TLB entry is 1 << 6 bytes");

enum ldst_form { Q_LDR, Q_STR, Q_LDP, Q_STP };

static int ldst_of(const struct dinsn *d)
{
	static const char *const names[] = { "LDR_q_uimm", "STR_q_uimm", "LDP_q", "STP_q" };
	const char *name;
	unsigned int i;

	if (!host_ok || d->fn == exec_undef || d->rn == 31)
		return -1;
	name = insn_name(d->insn);
	for (i = 0; i < 4; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

bool jit_simd_ldst(const struct dinsn *d)
{
	return ldst_of(d) >= 0;
}

void jit_simd_emit_ldst(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl)
{
	enum ldst_form f = (enum ldst_form)ldst_of(d);
	bool pair = f == Q_LDP || f == Q_STP, store = f == Q_STR || f == Q_STP;
	unsigned int rt = d->rd, rt2 = d->ra;

	sl->n = 0;
	fp_enabled(e, sl, X86_RCX);
	/* RAX = the address; RDX = its TLB entry in c->cur_tlb */
	if (d->imm)
		x86_lea(e, true, X86_RAX, X86_RAX, (int32_t)d->imm);
	x86_mov_rr(e, false, X86_RDX, X86_RAX);
	x86_shift_ri(e, X86_SHR, false, X86_RDX, PAGE_SHIFT - 6);
	x86_alu_ri(e, X86_AND, false, X86_RDX, (TLB_SIZE - 1) << 6);
	x86_alu_rm(e, X86_ADD, true, X86_RDX, X86_RBX, CUR_TLB_OFF);
	/* the tag: the page, 16-byte aligned */
	x86_mov_rr(e, true, X86_RCX, X86_RAX);
	x86_alu_ri(e, X86_AND, true, X86_RCX, (int32_t)(PAGE_MASK | 15));
	x86_alu_rm(e, X86_CMP, true, X86_RCX, X86_RDX, store ? TAG_W_OFF : TAG_R_OFF);
	slow_if(e, sl, X86_NE);
	if (pair) {		/* both in the page */
		x86_mov_rr(e, false, X86_RCX, X86_RAX);
		x86_alu_ri(e, X86_AND, false, X86_RCX, (int32_t)(PAGE_SIZE - 1));
		x86_alu_ri(e, X86_CMP, false, X86_RCX, (int32_t)(PAGE_SIZE - 32));
		slow_if(e, sl, X86_A);
	}
	x86_alu_rm(e, X86_ADD, true, X86_RAX, X86_RDX, ADDEND_OFF);
	if (!store) {
		/* VMOVDQU xmm0, [RAX] (and xmm1, [RAX + 16]): both read
		 * before either register is written; Rt then Rt2, as the
		 * handler (Rt2 wins when they are the same) */
		x86_put(e, (const uint8_t[]){ 0xc5, 0xfa, 0x6f, 0x00 }, 4);
		if (pair)
			x86_put(e, (const uint8_t[]){ 0xc5, 0xfa, 0x6f, 0x48, 0x10 }, 5);
		vex2(e, 2, false, 0, 0x7f, 0, true, 0, Z_OFF(rt));
		zero_rest(e, rt);
		if (pair) {
			vex2(e, 2, false, 0, 0x7f, 1, true, 0, Z_OFF(rt2));
			zero_rest(e, rt2);
		}
		return;
	}
	/* VMOVDQU xmm0, Zt; [RAX] = xmm0 (and Zt2 at [RAX + 16]) */
	vload(e, 0, Z_OFF(rt), true);
	x86_put(e, (const uint8_t[]){ 0xc5, 0xfa, 0x7f, 0x00 }, 4);
	if (pair) {
		vload(e, 1, Z_OFF(rt2), true);
		x86_put(e, (const uint8_t[]){ 0xc5, 0xfa, 0x7f, 0x48, 0x10 }, 5);
	}
	/* a store touching the page being run: the handler stores again
	 * (the same bytes) and looks for checked code there */
	x86_mov_rr(e, true, X86_RCX, X86_RAX);
	x86_alu_rm(e, X86_SUB, true, X86_RCX, X86_RBX, TH_HOST_OFF);
	x86_alu_ri(e, X86_ADD, true, X86_RCX, 32);
	x86_alu_ri(e, X86_CMP, true, X86_RCX, (int32_t)PAGE_SIZE + 32);
	slow_if(e, sl, X86_B);
}
