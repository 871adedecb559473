// SPDX-License-Identifier: GPL-2.0
/*
 * Directed tests of the integer load/store paths of kernel/cpu/exec_ldst.c:
 * pre-/post-index (int_access_wb), register offset (int_access_rx and the
 * _reg forms), LDP/STP of W and X (pair_fast) and the immediate forms, at
 * their edges: Rt == Rn with writeback, XZR/WZR, SP as the base (SPSel, SP
 * alignment faults), extended and shifted register offsets, misaligned
 * accesses and accesses crossing a page (mapped, unmapped, read-only), and
 * stores into the code page being run.
 *
 * Every case runs twice: with the TLB flushed (the data access misses and
 * takes the slow path) and again as the first run left it (it hits and,
 * where the access qualifies, takes the fast path; a misaligned one takes
 * the slow path's TLB-hit side), and must give the same exact result both
 * times: every
 * general register and both SPs (only the expected ones changed), the whole
 * data region (only the expected bytes written), PC, and for exceptions
 * ESR, FAR, ELR and SPSR.
 */
#include <string.h>

#include "harness.h"
#include "ldst.h"

extern const uint8_t blob_ldst[], blob_ldst_end[];

static struct env V;
#define S	(V.cpu.state)

#define EL1H		(PSR_MODE_EL1h | PSR_DAIF_MASK)
#define EL1T		(PSR_MODE_EL1t | PSR_DAIF_MASK)
#define EL0T		PSR_MODE_EL0t

#define ESR_UNDEF	ESR_IL				/* EC 0 */
#define ESR_SP_ALIGN	((0x26ULL << 26) | ESR_IL)
#define ESR_DABT(fsc)	((0x25ULL << 26) | ESR_IL | (fsc))	/* from EL1, no ISV */
#define WNR		(1u << 6)
#define FSC_TRANS_L3	0x07
#define FSC_PERM_L3	0x0f
#define FSC_ALIGNMENT	0x21
#define NO_FAR		1ULL		/* FAR is UNKNOWN: not checked */

/* A data region filled with a pattern; every case checks all of it. */
#define DREG		(RAM_GPA + 0x100000)
#define DREG_SIZE	0x20000
#define DATA		(DREG + 0x8000)	/* MMU off: Device-nGnRnE, aligned only */
#define PT_BASE		(RAM_GPA + 0x400000)

/*
 * MMU on, 4K pages of Normal memory at DVA (whose TLB index is no code
 * page's): B is not A's physical neighbour, so a fast path that ran past
 * A's end would read or write the wrong page.
 */
#define DVA		0x0000008000100000ULL
#define PA_A		(DREG + 0x10000)	/* DVA + 0x0000 */
#define PA_B		(DREG + 0x14000)	/* DVA + 0x1000 */
					/* DVA + 0x2000: not mapped */
#define PA_C		(DREG + 0x16000)	/* DVA + 0x3000 */
#define PA_D		(DREG + 0x18000)	/* DVA + 0x4000 */
#define PA_E		(DREG + 0x1a000)	/* DVA + 0x5000, read-only */
#define SMC_VA		0x0000009000080000ULL	/* a writable alias of s_smc_page */

static const struct {
	uint64_t va, pa;
	bool ro;
} dmap[] = {
	{ DVA, PA_A, false }, { DVA + 0x1000, PA_B, false }, { DVA + 0x3000, PA_C, false },
	{ DVA + 0x4000, PA_D, false }, { DVA + 0x5000, PA_E, true },
};

/* ---- state, runs and checks ------------------------------------------------ */

#define NREGS		33		/* x0-x30, SP_EL0, SP_EL1 */
#define SP0		31
#define SP1		32

static int pass;			/* 0: TLB flushed first; 1: as left */
static uint64_t sctlr_base;
static uint64_t before[NREGS], want_regs[NREGS], start_pstate;
static uint8_t pattern[DREG_SIZE], expect[DREG_SIZE];

static uint64_t *reg(unsigned int n)
{
	return n < 31 ? &S.x[n] : n == SP0 ? &S.sp_el0 : &S.sp_el1;
}

static uint64_t va2pa(uint64_t va)
{
	unsigned int i;

	for (i = 0; i < sizeof(dmap) / sizeof(dmap[0]); i++)
		if ((va & ~0xfffULL) == dmap[i].va)
			return dmap[i].pa | (va & 0xfff);
	return va;			/* MMU off, or the identity map */
}

static bool outside_dreg;	/* a case named memory outside the region */

static uint8_t *exp_byte(uint64_t va)
{
	static uint8_t dummy;
	uint64_t pa = va2pa(va);

	if (pa - DREG >= DREG_SIZE) {
		outside_dreg = true;
		return &dummy;
	}
	return &expect[pa - DREG];
}

/* Memory holds v (little-endian) at va before the run. */
static void preset(uint64_t va, uint64_t v, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		uint8_t *e = exp_byte(va + i);

		*e = (uint8_t)(v >> (8 * i));
		if (e >= expect && e < expect + DREG_SIZE)
			*(uint8_t *)env_ptr(&V, DREG + (uint64_t)(e - expect)) = *e;
	}
}

/* What memory holds at va, before the run or as expected after it */
static uint64_t pat(uint64_t va, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)*exp_byte(va + i) << (8 * i);
	return v;
}

/* The run is expected to write v at va. */
static void want(uint64_t va, uint64_t v, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		*exp_byte(va + i) = (uint8_t)(v >> (8 * i));
}

/* What memory holds at va now */
static uint64_t ram_val(uint64_t va, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)*(uint8_t *)env_ptr(&V, va2pa(va + i)) << (8 * i);
	return v;
}

static uint64_t sx(uint64_t v, unsigned int bits)
{
	return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static void want_x(unsigned int n, uint64_t v)
{
	want_regs[n] = v;
}

/* A fresh start for one run of a case: code as loaded, data as patterned. */
static void begin(uint64_t pstate)
{
	unsigned int i;

	env_load(&V, RAM_GPA, blob_ldst, (size_t)(blob_ldst_end - blob_ldst));
	memcpy(env_ptr(&V, DREG), pattern, DREG_SIZE);
	memcpy(expect, pattern, DREG_SIZE);
	if (!pass)
		cpu_flush_tlb(&V.cpu);
	for (i = 0; i < 31; i++)
		S.x[i] = 0xa5a5a5a500000000ULL | (i * 0x01010101ULL);
	S.sp_el0 = 0x5a5a5a5a5a5a5a50ULL;
	S.sp_el1 = 0x6b6b6b6b6b6b6b60ULL;
	S.pstate = pstate;
	S.sysreg[SR_SCTLR_EL1] = sctlr_base;
	S.sysreg[SR_VBAR_EL1] = S_VECTORS;
	S.sysreg[SR_ESR_EL1] = 0;
	S.sysreg[SR_FAR_EL1] = 0;
	S.elr_el1 = 0;
	S.spsr[CPU_SPSR_EL1] = 0;
	V.cpu.single_step = false;
}

static void snapshot(void)
{
	unsigned int i;

	for (i = 0; i < NREGS; i++)
		before[i] = want_regs[i] = *reg(i);
	want_regs[9]++;			/* every snippet starts "add x9, x9, #1" */
	start_pstate = S.pstate;
}

/* Run from pc; returns the HVC immediate, or < 0 for another exit. */
static long go(uint64_t pc)
{
	enum cpu_exit_reason r;

	snapshot();
	S.pc = pc;
	r = env_run(&V);
	if (r != CPU_EXIT_HVC)
		return -1 - (long)r;
	return (long)(V.cpu.exit.esr & 0xffff);
}

static const char *reg_name(unsigned int n)
{
	static char b[8];

	if (n == SP0)
		return "sp_el0";
	if (n == SP1)
		return "sp_el1";
	snprintf(b, sizeof(b), "x%u", n);
	return b;
}

static bool regs_ok(void)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < NREGS; i++)
		if (*reg(i) != want_regs[i]) {
			printf("# %s = %#llx, want %#llx (was %#llx)\n", reg_name(i),
			       (unsigned long long)*reg(i), (unsigned long long)want_regs[i],
			       (unsigned long long)before[i]);
			ok = false;
		}
	return ok;
}

static bool mem_ok(void)
{
	const uint8_t *m = env_ptr(&V, DREG);
	unsigned int i, bad = 0;

	if (outside_dreg) {
		printf("# the case named memory outside the data region\n");
		outside_dreg = false;
		return false;
	}
	for (i = 0; i < DREG_SIZE; i++)
		if (m[i] != expect[i] && bad++ < 8)
			printf("# memory at %#llx = %#x, want %#x\n",
			       (unsigned long long)(DREG + i), m[i], expect[i]);
	return !bad;
}

/* The snippet ran to its HVC at hvc_pc: an exit at EL1 (PC past it), an
 * UNDEFINED exception at EL0. */
static bool ended_at(long v, uint64_t hvc_pc)
{
	bool ok;

	if ((start_pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
		ok = v == 0x108 && S.sysreg[SR_ESR_EL1] == ESR_UNDEF &&
		     S.elr_el1 == hvc_pc && S.spsr[CPU_SPSR_EL1] == start_pstate;
	else
		ok = v == 0 && S.pc == hvc_pc + 4;
	if (!ok)
		printf("# ended with %#lx, pc %#llx esr %#llx elr %#llx far %#llx (want the HVC at %#llx)\n",
		       v, (unsigned long long)S.pc, (unsigned long long)S.sysreg[SR_ESR_EL1],
		       (unsigned long long)S.elr_el1, (unsigned long long)S.sysreg[SR_FAR_EL1],
		       (unsigned long long)hvc_pc);
	return ok;
}

/* The usual snippet: the prelude, the access, HVC */
static bool done(long v, uint64_t pc)
{
	return ended_at(v, pc + 8);
}

/* A synchronous exception to EL1 from elr, with esr (and far) */
static bool took(long v, uint64_t esr, uint64_t elr, uint64_t far)
{
	long vec = (start_pstate & PSR_MODE_MASK) == PSR_MODE_EL0t ? 0x108 :
		   (start_pstate & PSR_MODE_MASK) == PSR_MODE_EL1t ? 0x100 : 0x104;
	bool ok = v == vec && S.sysreg[SR_ESR_EL1] == esr && S.elr_el1 == elr &&
		  S.spsr[CPU_SPSR_EL1] == start_pstate &&
		  (far == NO_FAR || S.sysreg[SR_FAR_EL1] == far);

	if (!ok)
		printf("# vector %#lx esr %#llx elr %#llx far %#llx spsr %#llx; want %#lx %#llx %#llx %#llx %#llx\n",
		       v, (unsigned long long)S.sysreg[SR_ESR_EL1], (unsigned long long)S.elr_el1,
		       (unsigned long long)S.sysreg[SR_FAR_EL1],
		       (unsigned long long)S.spsr[CPU_SPSR_EL1], vec, (unsigned long long)esr,
		       (unsigned long long)elr, (unsigned long long)far,
		       (unsigned long long)start_pstate);
	return ok;
}

/* Each case twice: TLB flushed (miss, slow path), then warm (hit, fast path) */
static void twice(const char *what, bool (*fn)(void))
{
	for (pass = 0; pass < 2; pass++)
		tap_ok(fn(), "%s (%s)", what, pass ? "TLB warm" : "TLB flushed");
}

static void mmu_off(void)
{
	env_reset(&V, RAM_GPA);
	sctlr_base = S.sysreg[SR_SCTLR_EL1];
}

static void mmu_on(void)
{
	struct pt m;
	unsigned int i;

	env_reset(&V, RAM_GPA);
	pt_init(&m, &V, 12, PT_BASE);
	/* code and the rest of the first 2 MiB: identity, EL1 read/write */
	pt_map(&m, RAM_GPA, RAM_GPA, 2, D_AF | D_ATTR(0) | D_SH_IS);
	for (i = 0; i < sizeof(dmap) / sizeof(dmap[0]); i++)
		pt_map(&m, dmap[i].va, dmap[i].pa, 3,
		       D_AF | D_ATTR(0) | D_SH_IS | (dmap[i].ro ? D_AP_RO : 0));
	pt_map(&m, SMC_VA, S_SMC_PAGE, 3, D_AF | D_ATTR(0) | D_SH_IS);
	pt_enable(&m);
	sctlr_base = S.sysreg[SR_SCTLR_EL1];
}

#define V8	0x8877665544332211ULL	/* values stored */
#define V8B	0xf0e1d2c3b4a59687ULL

/* ---- pre-/post-index with Rt == Rn, XZR/WZR, sizes --------------------------- */

/*
 * Rt == Rn with writeback is CONSTRAINED UNPREDICTABLE.  A store: the
 * engine (as qemu-aarch64) stores the base's value before the writeback.
 * A load: the engine ends with the written-back base (exec_ldst.c), as
 * qemu-aarch64 does; the loaded value is lost.
 */
static bool str_x1_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_STR_X1_PRE);
	want_x(1, DATA + 16);
	want(DATA + 16, DATA, 8);
	return done(v, S_STR_X1_PRE) && regs_ok() && mem_ok();
}

static bool str_x1_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_STR_X1_POST);
	want_x(1, DATA - 8);
	want(DATA, DATA, 8);
	return done(v, S_STR_X1_POST) && regs_ok() && mem_ok();
}

static bool str_w1_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_STR_W1_PRE);
	want_x(1, DATA + 4);
	want(DATA + 4, DATA, 4);
	return done(v, S_STR_W1_PRE) && regs_ok() && mem_ok();
}

static bool strb_w1_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA + 5;
	v = go(S_STRB_W1_POST);
	want_x(1, DATA + 6);
	want(DATA + 5, DATA + 5, 1);
	return done(v, S_STRB_W1_POST) && regs_ok() && mem_ok();
}

static bool ldr_x1_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDR_X1_PRE);
	want_x(1, DATA + 8);
	return done(v, S_LDR_X1_PRE) && regs_ok() && mem_ok();
}

static bool ldr_x1_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDR_X1_POST);
	want_x(1, DATA + 8);
	return done(v, S_LDR_X1_POST) && regs_ok() && mem_ok();
}

static bool ldrsw_x1_pre(void)
{
	long v;

	begin(EL1H);
	preset(DATA + 4, 0x80000001, 4);
	S.x[1] = DATA + 8;
	v = go(S_LDRSW_X1_PRE);
	want_x(1, DATA + 4);
	return done(v, S_LDRSW_X1_PRE) && regs_ok() && mem_ok();
}

/* Rt 31 is WZR/XZR: defined, the load discarded, the store of zero */
static bool ldr_wzr_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDR_WZR_PRE);
	want_x(1, DATA + 4);
	return done(v, S_LDR_WZR_PRE) && regs_ok() && mem_ok();
}

static bool strh_wzr_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA + 6;
	v = go(S_STRH_WZR_POST);
	want_x(1, DATA + 4);
	want(DATA + 6, 0, 2);
	return done(v, S_STRH_WZR_POST) && regs_ok() && mem_ok();
}

/* Every load size and extension, pre and post, imm9 from -256 to 255 */
static bool wb_ld(void)
{
	uint64_t d = DATA + 0x100;
	long v;

	begin(EL1H);
	preset(d, 0x80, 1);
	preset(d + 4, 0x8765fedc, 4);
	preset(d - 255, 0xf1, 1);
	preset(d - 254, 0x9180, 2);
	preset(d - 250, 0x8002, 2);
	S.x[1] = d;
	v = go(S_WB_LD);
	want_x(2, sx(pat(d, 1), 8));
	want_x(3, (uint32_t)sx(pat(d + 4, 2), 16));
	want_x(4, sx(pat(d + 4, 4), 32));
	want_x(5, pat(d - 254, 1));
	want_x(6, pat(d - 254, 2));
	want_x(7, (uint32_t)sx(pat(d - 255, 1), 8));
	want_x(8, sx(pat(d - 250, 2), 16));
	want_x(10, pat(d - 248, 4));
	want_x(11, pat(d - 248, 8));
	want_x(1, d - 256);
	return ended_at(v, S_WB_LD + 40) && regs_ok() && mem_ok() &&
	       S.x[3] == 0xfffffedc && S.x[4] == 0xffffffff8765fedcULL &&
	       S.x[7] == 0xfffffff1 && S.x[8] == 0xffffffffffff8002ULL;
}

static bool wb_st(void)
{
	uint64_t e = DATA + 0x200;
	long v;

	begin(EL1H);
	S.x[1] = e;
	S.x[11] = V8;
	S.x[12] = V8B;
	S.x[13] = V8;
	S.x[14] = V8B;
	v = go(S_WB_ST);
	want(e, V8, 1);
	want(e - 256, V8B, 2);
	want(e - 252, V8, 4);
	want(e - 240, V8B, 8);
	want_x(1, e - 240);
	return ended_at(v, S_WB_ST + 20) && regs_ok() && mem_ok();
}

static void test_wb(void)
{
	mmu_off();
	twice("STR X1, [X1, #16]! (Rt == Rn, CONSTRAINED UNPREDICTABLE: stores the old base, as qemu)",
	      str_x1_pre);
	twice("STR X1, [X1], #-8 (Rt == Rn, UNPREDICTABLE: stores the old base)", str_x1_post);
	twice("STR W1, [X1, #4]! (Rt == Rn, UNPREDICTABLE: the old base's low word)", str_w1_pre);
	twice("STRB W1, [X1], #1 (Rt == Rn, UNPREDICTABLE: the old base's low byte)", strb_w1_post);
	twice("LDR X1, [X1, #8]! (Rt == Rn, UNPREDICTABLE: engine's choice, the written-back base)",
	      ldr_x1_pre);
	twice("LDR X1, [X1], #8 (Rt == Rn, UNPREDICTABLE: the written-back base)", ldr_x1_post);
	twice("LDRSW X1, [X1, #-4]! (Rt == Rn, UNPREDICTABLE: the written-back base)", ldrsw_x1_pre);
	twice("LDR WZR, [X1, #4]!: load discarded, base written back", ldr_wzr_pre);
	twice("STRH WZR, [X1], #-2: stores zero, base written back", strh_wzr_post);
	twice("LDRSB/LDRSH/LDRSW/LDRB/LDRH/LDR W/X pre- and post-index, imm9 -256..255: "
	      "extensions and writebacks", wb_ld);
	twice("STRB/STRH/STR W/X pre- and post-index: bytes and writebacks", wb_st);
}

/* ---- SP as the base ------------------------------------------------------------ */

/* One SP-based snippet: its expected effect given the SP it started with. */
struct sp_snip {
	const char *name;
	uint64_t pc;
	void (*expect)(unsigned int spr, uint64_t sp);
};

static void e_str_pre(unsigned int spr, uint64_t sp)
{
	want_x(spr, sp - 16);
	want(sp - 16, before[2], 8);
}

static void e_ldr_post(unsigned int spr, uint64_t sp)
{
	want_x(2, pat(sp, 8));
	want_x(spr, sp + 16);
}

static void e_ldrb_imm(unsigned int spr, uint64_t sp)
{
	want_x(2, pat(sp + 9, 1));
}

static void e_str_lsl(unsigned int spr, uint64_t sp)
{
	want(sp - 16, before[2], 8);		/* x3 = -2 */
}

static void e_ldr_sxtw(unsigned int spr, uint64_t sp)
{
	want_x(2, pat(sp - 8, 4));		/* w3 = -2 */
}

static void e_stp_pre(unsigned int spr, uint64_t sp)
{
	want_x(spr, sp - 32);
	want(sp - 32, before[2], 8);
	want(sp - 24, before[3], 8);
}

static void e_ldp_post(unsigned int spr, uint64_t sp)
{
	want_x(2, pat(sp, 8));
	want_x(3, pat(sp + 8, 8));
	want_x(spr, sp + 32);
}

static void e_stp_w(unsigned int spr, uint64_t sp)
{
	want(sp + 8, before[2], 4);
	want(sp + 12, before[3], 4);
}

static void e_str_xzr_pre(unsigned int spr, uint64_t sp)
{
	want_x(spr, sp - 16);
	want(sp - 16, 0, 8);
}

static void e_ldr_xzr_post(unsigned int spr, uint64_t sp)
{
	want_x(spr, sp + 16);
}

static void e_stp_xzr_pre(unsigned int spr, uint64_t sp)
{
	want_x(spr, sp - 16);
	want(sp - 16, 0, 8);
	want(sp - 8, 0, 8);
}

static void e_ldp_xzr_post(unsigned int spr, uint64_t sp)
{
	want_x(2, pat(sp, 8));
	want_x(spr, sp + 16);
}

static const struct sp_snip sp_snips[] = {
	{ "STR X2, [SP, #-16]!", S_SP_STR_PRE, e_str_pre },
	{ "LDR X2, [SP], #16", S_SP_LDR_POST, e_ldr_post },
	{ "LDRB W2, [SP, #9]", S_SP_LDRB_IMM, e_ldrb_imm },
	{ "STR X2, [SP, X3, LSL #3]", S_SP_STR_LSL, e_str_lsl },
	{ "LDR W2, [SP, W3, SXTW #2]", S_SP_LDR_SXTW, e_ldr_sxtw },
	{ "STP X2, X3, [SP, #-32]!", S_SP_STP_PRE, e_stp_pre },
	{ "LDP X2, X3, [SP], #32", S_SP_LDP_POST, e_ldp_post },
	{ "STP W2, W3, [SP, #8]", S_SP_STP_W, e_stp_w },
	{ "STR XZR, [SP, #-16]!", S_SP_STR_XZR_PRE, e_str_xzr_pre },
	{ "LDR XZR, [SP], #16", S_SP_LDR_XZR_POST, e_ldr_xzr_post },
	{ "STP XZR, XZR, [SP, #-16]!", S_SP_STP_XZR_PRE, e_stp_xzr_pre },
	{ "LDP X2, XZR, [SP], #16", S_SP_LDP_XZR_POST, e_ldp_xzr_post },
};

/* Where it runs: PSTATE, the SP it selects and the other one, SCTLR bits */
struct sp_cfg {
	const char *name;
	uint64_t pstate, sp, other_sp, sctlr;
	bool fault;
};

static const struct sp_cfg sp_cfgs[] = {
	{ "EL1h: SP_EL1 (SA, SA0; SP_EL0 misaligned)", EL1H, DATA, DATA + 8,
	  SCTLR_SA | SCTLR_SA0, false },
	{ "EL1t: SP_EL0 (SA, SA0; SP_EL1 misaligned)", EL1T, DATA, DATA + 8,
	  SCTLR_SA | SCTLR_SA0, false },
	{ "EL0: SP_EL0 (SA, SA0; SP_EL1 misaligned)", EL0T, DATA, DATA + 8,
	  SCTLR_SA | SCTLR_SA0, false },
	{ "EL1h, SP_EL1 misaligned, SA0 only: no fault", EL1H, DATA + 8, DATA, SCTLR_SA0, false },
	{ "EL0, SP_EL0 misaligned, SA only: no fault", EL0T, DATA + 8, DATA, SCTLR_SA, false },
	{ "EL1h, SP_EL1 misaligned, SA: SP alignment fault", EL1H, DATA + 8, DATA, SCTLR_SA, true },
	{ "EL1t, SP_EL0 misaligned, SA: SP alignment fault", EL1T, DATA + 8, DATA, SCTLR_SA, true },
	{ "EL0, SP_EL0 misaligned, SA0: SP alignment fault", EL0T, DATA + 8, DATA, SCTLR_SA0, true },
};

static const struct sp_snip *cur_snip;
static const struct sp_cfg *cur_cfg;

static bool sp_case(void)
{
	const struct sp_cfg *c = cur_cfg;
	bool el1h = c->pstate == EL1H;
	unsigned int spr = el1h ? SP1 : SP0;
	long v;

	begin(c->pstate);
	S.sysreg[SR_SCTLR_EL1] |= c->sctlr;
	*reg(spr) = c->sp;
	*reg(el1h ? SP0 : SP1) = c->other_sp;
	S.x[2] = V8;
	S.x[3] = (uint64_t)-2;
	v = go(cur_snip->pc);
	if (c->fault)		/* nothing but the prelude ran: no access, no writeback */
		return took(v, ESR_SP_ALIGN, cur_snip->pc + 4, NO_FAR) && regs_ok() && mem_ok();
	cur_snip->expect(spr, c->sp);
	return done(v, cur_snip->pc) && regs_ok() && mem_ok();
}

/* SA set, SP aligned: the first load writes back SP - 8, the second faults */
static bool sp_chain_sa(void)
{
	long v;

	begin(EL1H);
	S.sysreg[SR_SCTLR_EL1] |= SCTLR_SA;
	S.sp_el1 = DATA;
	v = go(S_SP_CHAIN);
	want_x(2, pat(DATA - 8, 8));
	want_x(SP1, DATA - 8);
	return took(v, ESR_SP_ALIGN, S_SP_CHAIN + 8, NO_FAR) && regs_ok() && mem_ok();
}

static bool sp_chain(void)
{
	long v;

	begin(EL1H);
	S.sp_el1 = DATA;
	v = go(S_SP_CHAIN);
	want_x(2, pat(DATA - 8, 8));
	want_x(3, pat(DATA - 8, 8));
	return ended_at(v, S_SP_CHAIN + 12) && regs_ok() && mem_ok();
}

static void test_sp(void)
{
	char name[200];
	unsigned int i, j;

	mmu_off();
	for (j = 0; j < sizeof(sp_cfgs) / sizeof(sp_cfgs[0]); j++)
		for (i = 0; i < sizeof(sp_snips) / sizeof(sp_snips[0]); i++) {
			cur_cfg = &sp_cfgs[j];
			cur_snip = &sp_snips[i];
			snprintf(name, sizeof(name), "%s at %s%s", sp_snips[i].name, sp_cfgs[j].name,
				 sp_cfgs[j].fault ? " (EC 0x26, ELR at it, no access, no writeback)" : "");
			twice(name, sp_case);
		}
	twice("LDR X2, [SP, #-8]!; LDR X3, [SP], #8 with SA: the first misaligns SP, "
	      "the second takes the SP alignment fault", sp_chain_sa);
	twice("... without SA: both run", sp_chain);
}

/* ---- register offset --------------------------------------------------------------- */

/* A register-offset load of size bytes at addr into x2; ext: 0, or the
 * bits to sign-extend from (W destination: then zero-extended from 32) */
static bool reg_load(uint64_t pc, uint64_t x3, uint64_t addr, unsigned int size,
		     unsigned int ext, bool to_w)
{
	uint64_t want2;
	long v;

	begin(EL1H);
	if (ext)		/* the sign bit set */
		preset(addr, (1ULL << (ext - 1)) | 0x35, size);
	S.x[1] = DATA;
	S.x[3] = x3;
	v = go(pc);
	want2 = pat(addr, size);
	if (ext)
		want2 = sx(want2, ext);
	if (to_w)
		want2 = (uint32_t)want2;
	want_x(2, want2);
	return done(v, pc) && regs_ok() && mem_ok();
}

static bool reg_store(uint64_t pc, uint64_t x3, uint64_t addr, unsigned int size, bool zr)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[2] = V8;
	S.x[3] = x3;
	v = go(pc);
	want(addr, zr ? 0 : V8, size);
	return done(v, pc) && regs_ok() && mem_ok();
}

static bool r_uxtw3(void)
{
	return reg_load(S_REG_UXTW3, 0xdeadbeef00000002ULL, DATA + 16, 8, 0, false);
}

static bool r_sxtw3(void)
{
	return reg_load(S_REG_SXTW3, 0x12345678fffffffeULL, DATA - 16, 8, 0, false);
}

static bool r_ldrsh_sxtw(void)
{
	return reg_load(S_REG_LDRSH_SXTW, 0x00000000ffffffffULL, DATA - 2, 2, 16, false);
}

static bool r_ldrsb_w_sxtw(void)
{
	return reg_load(S_REG_LDRSB_W_SXTW, 0xabcdef01fffffff9ULL, DATA - 7, 1, 8, true);
}

static bool r_lsl3(void)
{
	return reg_load(S_REG_LSL3, (uint64_t)-3, DATA - 24, 8, 0, false);
}

static bool r_sxtx(void)
{
	return reg_load(S_REG_SXTX, (uint64_t)-40, DATA - 40, 8, 0, false);
}

static bool r_w_sxtx2(void)
{
	return reg_load(S_REG_W_SXTX2, (uint64_t)-5, DATA - 20, 4, 0, true);
}

static bool r_ldrsh_w_lsl(void)
{
	return reg_load(S_REG_LDRSH_W_LSL, 3, DATA + 6, 2, 16, true);
}

static bool r_str_lsl3(void)
{
	return reg_store(S_REG_STR_LSL3, (uint64_t)-1, DATA - 8, 8, false);
}

static bool r_strh_sxtx(void)
{
	return reg_store(S_REG_STRH_SXTX, (uint64_t)-4, DATA - 8, 2, false);
}

static bool r_str_xzr_lsl3(void)
{
	return reg_store(S_REG_STR_XZR_LSL3, 5, DATA + 40, 8, true);
}

static bool r_str_wzr_sxtw2(void)
{
	return reg_store(S_REG_STR_WZR_SXTW2, (uint64_t)-2, DATA - 8, 4, true);
}

static bool r_strb_wzr(void)
{
	return reg_store(S_REG_STRB_WZR, 7, DATA + 7, 1, true);
}

static bool r_strh_wzr_uxtw1(void)
{
	return reg_store(S_REG_STRH_WZR_UXTW1, 0x8000000000000003ULL, DATA + 6, 2, true);
}

/* Loads into WZR/XZR: nothing changes (not SP_EL0 either, which follows
 * x30 in the register file) */
static bool r_ldr_wzr(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[3] = 4;
	v = go(S_REG_LDR_WZR);
	return done(v, S_REG_LDR_WZR) && regs_ok() && mem_ok();
}

static bool r_ldr_xzr_sxtw3(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[3] = 0x00000000ffffffffULL;
	v = go(S_REG_LDR_XZR_SXTW3);
	return done(v, S_REG_LDR_XZR_SXTW3) && regs_ok() && mem_ok();
}

/* Rm 31 is XZR, not SP */
static bool r_rm_xzr(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.sp_el0 = 8;
	S.sp_el1 = 8;
	v = go(S_REG_RM_XZR);
	want_x(2, pat(DATA, 8));
	return done(v, S_REG_RM_XZR) && regs_ok() && mem_ok();
}

/* Rt == Rn or Rt == Rm without writeback: defined */
static bool r_rt_rn(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[3] = 8;
	v = go(S_REG_RT_RN);
	want_x(1, pat(DATA + 8, 8));
	return done(v, S_REG_RT_RN) && regs_ok() && mem_ok();
}

static bool r_rt_rm(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[3] = 2;
	v = go(S_REG_RT_RM);
	want_x(3, pat(DATA + 16, 8));
	return done(v, S_REG_RT_RM) && regs_ok() && mem_ok();
}

static void test_regoff(void)
{
	mmu_off();
	twice("LDR X2, [X1, W3, UXTW #3]: W3's upper half ignored", r_uxtw3);
	twice("LDR X2, [X1, W3, SXTW #3], W3 = -2", r_sxtw3);
	twice("LDRSH X2, [X1, W3, SXTW #1], W3 = -1 (upper half zero)", r_ldrsh_sxtw);
	twice("LDRSB W2, [X1, W3, SXTW], W3 = -7: sign-extended to 32 bits", r_ldrsb_w_sxtw);
	twice("LDR X2, [X1, X3, LSL #3], X3 = -3", r_lsl3);
	twice("LDR X2, [X1, X3, SXTX], X3 = -40", r_sxtx);
	twice("LDR W2, [X1, X3, SXTX #2], X3 = -5: zero-extended", r_w_sxtx2);
	twice("LDRSH W2, [X1, X3, LSL #1]", r_ldrsh_w_lsl);
	twice("STR X2, [X1, X3, LSL #3], X3 = -1", r_str_lsl3);
	twice("STRH W2, [X1, X3, SXTX #1], X3 = -4", r_strh_sxtx);
	twice("STR XZR, [X1, X3, LSL #3]: eight zero bytes", r_str_xzr_lsl3);
	twice("STR WZR, [X1, W3, SXTW #2], W3 = -2: four zero bytes", r_str_wzr_sxtw2);
	twice("STRB WZR, [X1, X3]: one zero byte", r_strb_wzr);
	twice("STRH WZR, [X1, W3, UXTW #1]: X3's bit 63 ignored", r_strh_wzr_uxtw1);
	twice("LDR WZR, [X1, X3]: no register written (SP_EL0 neither)", r_ldr_wzr);
	twice("LDR XZR, [X1, W3, SXTW #3]: no register written", r_ldr_xzr_sxtw3);
	twice("LDR X2, [X1, XZR, LSL #3]: Rm 31 is XZR, not SP", r_rm_xzr);
	twice("LDR X1, [X1, X3] (Rt == Rn, no writeback: defined)", r_rt_rn);
	twice("LDR X3, [X1, X3, LSL #3] (Rt == Rm)", r_rt_rm);
}

/* ---- pairs (MMU off) ------------------------------------------------------------ */

static bool p_ldp_x(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDP_X);
	want_x(2, pat(DATA, 8));
	want_x(3, pat(DATA + 8, 8));
	return done(v, S_LDP_X) && regs_ok() && mem_ok();
}

static bool p_stp_x(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[2] = V8;
	S.x[3] = V8B;
	v = go(S_STP_X);
	want(DATA, V8, 8);
	want(DATA + 8, V8B, 8);
	return done(v, S_STP_X) && regs_ok() && mem_ok();
}

static bool p_ldp_x_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDP_X_PRE);
	want_x(2, pat(DATA + 16, 8));
	want_x(3, pat(DATA + 24, 8));
	want_x(1, DATA + 16);
	return done(v, S_LDP_X_PRE) && regs_ok() && mem_ok();
}

static bool p_stp_x_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[2] = V8;
	S.x[3] = V8B;
	v = go(S_STP_X_POST);
	want(DATA, V8, 8);
	want(DATA + 8, V8B, 8);
	want_x(1, DATA + 16);
	return done(v, S_STP_X_POST) && regs_ok() && mem_ok();
}

static bool p_ldp_w_pre(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDP_W_PRE);
	want_x(2, pat(DATA - 8, 4));
	want_x(3, pat(DATA - 4, 4));
	want_x(1, DATA - 8);
	return done(v, S_LDP_W_PRE) && regs_ok() && mem_ok();
}

static bool p_stp_w_post(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	S.x[2] = V8;
	S.x[3] = V8B;
	v = go(S_STP_W_POST);
	want(DATA, V8, 4);
	want(DATA + 4, V8B, 4);
	want_x(1, DATA - 256);
	return done(v, S_STP_W_POST) && regs_ok() && mem_ok();
}

static bool p_ldp_rt_rn(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDP_RT_RN);
	want_x(1, pat(DATA, 8));
	want_x(2, pat(DATA + 8, 8));
	return done(v, S_LDP_RT_RN) && regs_ok() && mem_ok();
}

static bool p_ldp_rt2_rn(void)
{
	long v;

	begin(EL1H);
	S.x[1] = DATA;
	v = go(S_LDP_RT2_RN);
	want_x(2, pat(DATA + 8, 4));
	want_x(1, pat(DATA + 12, 4));
	return done(v, S_LDP_RT2_RN) && regs_ok() && mem_ok();
}

static void test_pairs(void)
{
	mmu_off();
	twice("LDP X2, X3, [X1]", p_ldp_x);
	twice("STP X2, X3, [X1]", p_stp_x);
	twice("LDP X2, X3, [X1, #16]!", p_ldp_x_pre);
	twice("STP X2, X3, [X1], #16", p_stp_x_post);
	twice("LDP W2, W3, [X1, #-8]!: zero-extended", p_ldp_w_pre);
	twice("STP W2, W3, [X1], #-256: low words only", p_stp_w_post);
	twice("LDP X1, X2, [X1] (Rt == Rn, no writeback: defined)", p_ldp_rt_rn);
	twice("LDP W2, W1, [X1, #8] (Rt2 == Rn, no writeback: defined)", p_ldp_rt2_rn);
}

/* ---- misaligned, page-crossing (MMU on, Normal memory) ---------------------------- */

/*
 * One access by a snippet with base x1 (and index x3): a load into x2
 * (loads: x2/x3 = the bytes at addr and addr + size for pairs), or a store
 * of x2 (and x3); wb: the base after the access, or 0 for none.
 */
static bool mis_access(uint64_t pc, uint64_t x1, uint64_t x3, uint64_t addr, unsigned int size,
		       bool load, bool pair, unsigned int ext, uint64_t wb)
{
	long v;

	begin(EL1H);
	if (ext)		/* the sign bit set */
		preset(addr, (1ULL << (ext - 1)) | 0x35, size);
	S.x[1] = x1;
	S.x[2] = V8;
	S.x[3] = pair ? V8B : x3;
	v = go(pc);
	if (load) {
		uint64_t a = pat(addr, size);

		want_x(2, ext ? sx(a, ext) : a);
		if (pair)
			want_x(3, pat(addr + size, size));
	} else {
		want(addr, V8, size);
		if (pair)
			want(addr + size, V8B, size);
	}
	if (wb)
		want_x(1, wb);
	return done(v, pc) && regs_ok() && mem_ok();
}

static bool m_ldr_post(void)
{
	return mis_access(S_LDR_X_POST, DVA + 0x103, 0, DVA + 0x103, 8, true, false, 0, DVA + 0x10b);
}

static bool m_ldr_pre(void)
{
	return mis_access(S_LDR_X_PRE, DVA + 0x205, 0, DVA + 0x20d, 8, true, false, 0, DVA + 0x20d);
}

static bool m_str_post(void)
{
	return mis_access(S_STR_X_POST, DVA + 0x301, 0, DVA + 0x301, 8, false, false, 0, DVA + 0x309);
}

static bool m_str_pre(void)
{
	return mis_access(S_STR_X_PRE, DVA + 0x3f9, 0, DVA + 0x401, 8, false, false, 0, DVA + 0x401);
}

static bool m_ldrsh_post(void)
{
	return mis_access(S_LDRSH_POST, DVA + 0x511, 0, DVA + 0x511, 2, true, false, 16,
			  DVA + 0x50f);
}

static bool m_ldrsw_pre(void)
{
	return mis_access(S_LDRSW_PRE, DVA + 0x602, 0, DVA + 0x606, 4, true, false, 32, DVA + 0x606);
}

static bool m_strh_pre(void)
{
	return mis_access(S_STRH_PRE, DVA + 0x701, 0, DVA + 0x703, 2, false, false, 0, DVA + 0x703);
}

static bool m_ldr_uimm(void)
{
	return mis_access(S_LDR_X_UIMM, DVA + 0x7f7, 0, DVA + 0x7ff, 8, true, false, 0, 0);
}

static bool m_ldur(void)
{
	return mis_access(S_LDUR_W, DVA + 0x800, 0, DVA + 0x7ff, 4, true, false, 0, 0);
}

static bool m_ldr_rx(void)
{
	return mis_access(S_LDR_X_RX, DVA + 0x900, 5, DVA + 0x905, 8, true, false, 0, 0);
}

static bool m_str_rx(void)
{
	return mis_access(S_STR_X_RX, DVA + 0xa00, 3, DVA + 0xa03, 8, false, false, 0, 0);
}

static bool m_ldp(void)
{
	return mis_access(S_LDP_X, DVA + 0xb04, 0, DVA + 0xb04, 8, true, true, 0, 0);
}

static bool m_stp(void)
{
	return mis_access(S_STP_X, DVA + 0xc0c, 0, DVA + 0xc0c, 8, false, true, 0, 0);
}

/* Crossing from page A into page B (mapped, not A's physical neighbour) */
static bool c_ldr_post(void)
{
	return mis_access(S_LDR_X_POST, DVA + 0xffd, 0, DVA + 0xffd, 8, true, false, 0, DVA + 0x1005);
}

static bool c_ldr_pre(void)
{
	return mis_access(S_LDR_X_PRE, DVA + 0xff2, 0, DVA + 0xffa, 8, true, false, 0, DVA + 0xffa);
}

static bool c_str_post(void)
{
	return mis_access(S_STR_X_POST, DVA + 0xffe, 0, DVA + 0xffe, 8, false, false, 0, DVA + 0x1006);
}

static bool c_str_pre(void)
{
	return mis_access(S_STR_X_PRE, DVA + 0xff3, 0, DVA + 0xffb, 8, false, false, 0, DVA + 0xffb);
}

static bool c_ldrsw_pre(void)
{
	return mis_access(S_LDRSW_PRE, DVA + 0xffa, 0, DVA + 0xffe, 4, true, false, 32, DVA + 0xffe);
}

static bool c_ldr_rx(void)
{
	return mis_access(S_LDR_X_RX, DVA + 0x1000, (uint64_t)-3, DVA + 0xffd, 8, true, false, 0, 0);
}

static bool c_str_rx(void)
{
	return mis_access(S_STR_X_RX, DVA + 0xf00, 0xff, DVA + 0xfff, 8, false, false, 0, 0);
}

static bool c_ldr_uxtw(void)
{
	return mis_access(S_LDR_W_UXTW, DVA + 0xf00, 0x77777777000000feULL, DVA + 0xffe, 4, true,
			  false, 0, 0);
}

static bool c_str_sxtw(void)
{
	return mis_access(S_STR_W_SXTW, DVA + 0x1002, 0x00000000fffffffbULL, DVA + 0xffd, 4, false,
			  false, 0, 0);
}

static bool c_ldp_fit(void)
{
	return mis_access(S_LDP_X, DVA + 0xff0, 0, DVA + 0xff0, 8, true, true, 0, 0);
}

static bool c_ldp_split(void)
{
	return mis_access(S_LDP_X, DVA + 0xff8, 0, DVA + 0xff8, 8, true, true, 0, 0);
}

static bool c_ldp_cross(void)
{
	return mis_access(S_LDP_X, DVA + 0xffc, 0, DVA + 0xffc, 8, true, true, 0, 0);
}

static bool c_stp_split(void)
{
	return mis_access(S_STP_X, DVA + 0xff8, 0, DVA + 0xff8, 8, false, true, 0, 0);
}

static bool c_stp_cross(void)
{
	return mis_access(S_STP_X, DVA + 0xff4, 0, DVA + 0xff4, 8, false, true, 0, 0);
}

static bool c_ldp_pre_fit(void)
{
	return mis_access(S_LDP_X_PRE, DVA + 0xfe0, 0, DVA + 0xff0, 8, true, true, 0, DVA + 0xff0);
}

static bool c_ldp_w_pre(void)
{
	return mis_access(S_LDP_W_PRE, DVA + 0x1004, 0, DVA + 0xffc, 4, true, true, 0, DVA + 0xffc);
}

static bool c_stp_w_post(void)
{
	return mis_access(S_STP_W_POST, DVA + 0xffc, 0, DVA + 0xffc, 4, false, true, 0, DVA + 0xefc);
}

/*
 * An access that faults on a page: the data abort's ESR and FAR (the
 * engine's FAR, as qemu's: the first byte of the access in the page that
 * faults), ELR at it, no writeback and no register loaded.  Memory: a
 * single store writes nothing (the engine translates both pages first, as
 * qemu does); a pair's first element, in the page that did not fault, may
 * or may not have been written (UNKNOWN) and is accepted either way.
 */
static bool fault_access(uint64_t pc, uint64_t x1, uint64_t x3, uint64_t esr, uint64_t far,
			 uint64_t pair_first, unsigned int size)
{
	long v;

	begin(EL1H);
	S.x[1] = x1;
	S.x[2] = V8;
	S.x[3] = x3;
	v = go(pc);
	if (pair_first && ram_val(pair_first, size) == (V8 & (~0ULL >> (64 - 8 * size))))
		want(pair_first, V8, size);
	return took(v, esr, pc + 4, far) && regs_ok() && mem_ok();
}

#define DABT_R(l)	ESR_DABT(l)
#define DABT_W(l)	ESR_DABT(WNR | (l))

static bool f_ldr_post(void)
{
	return fault_access(S_LDR_X_POST, DVA + 0x1ffd, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_ldr_pre(void)
{
	return fault_access(S_LDR_X_PRE, DVA + 0x1ff4, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_str_post(void)
{
	return fault_access(S_STR_X_POST, DVA + 0x1ffa, 0, DABT_W(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_str_pre(void)
{
	return fault_access(S_STR_X_PRE, DVA + 0x1ff1, 0, DABT_W(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_str_pre_whole(void)
{
	return fault_access(S_STR_X_PRE, DVA + 0x1ff9, 0, DABT_W(FSC_TRANS_L3), DVA + 0x2001, 0, 0);
}

static bool f_ldrsw_pre(void)
{
	return fault_access(S_LDRSW_PRE, DVA + 0x1ffa, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_ldr_rx(void)
{
	return fault_access(S_LDR_X_RX, DVA + 0x1f00, 0xfc, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_str_rx(void)
{
	return fault_access(S_STR_X_RX, DVA + 0x1f00, 0xfc, DABT_W(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_ldp_pre(void)
{
	return fault_access(S_LDP_X_PRE, DVA + 0x1fe8, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_ldp_w_pre(void)
{
	return fault_access(S_LDP_W_PRE, DVA + 0x2004, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2000, 0, 0);
}

static bool f_stp(void)
{
	return fault_access(S_STP_X, DVA + 0x1ff8, 0, DABT_W(FSC_TRANS_L3), DVA + 0x2000,
			    DVA + 0x1ff8, 8);
}

static bool f_ldr_first(void)
{
	return fault_access(S_LDR_X_POST, DVA + 0x2ffd, 0, DABT_R(FSC_TRANS_L3), DVA + 0x2ffd, 0, 0);
}

static bool f_str_ro(void)
{
	return fault_access(S_STR_X_PRE, DVA + 0x4ff4, 0, DABT_W(FSC_PERM_L3), DVA + 0x5000, 0, 0);
}

static bool f_stp_w_ro(void)
{
	return fault_access(S_STP_W_POST, DVA + 0x4ffc, 0, DABT_W(FSC_PERM_L3), DVA + 0x5000,
			    DVA + 0x4ffc, 4);
}

static void test_misaligned(void)
{
	mmu_on();
	twice("misaligned LDR X2, [X1], #8 (Normal memory): the bytes, writeback", m_ldr_post);
	twice("misaligned LDR X2, [X1, #8]!", m_ldr_pre);
	twice("misaligned STR X2, [X1], #8", m_str_post);
	twice("misaligned STR X2, [X1, #8]!", m_str_pre);
	twice("misaligned LDRSH X2, [X1], #-2", m_ldrsh_post);
	twice("misaligned LDRSW X2, [X1, #4]!", m_ldrsw_pre);
	twice("misaligned STRH W2, [X1, #2]!", m_strh_pre);
	twice("misaligned LDR X2, [X1, #8] (unsigned offset)", m_ldr_uimm);
	twice("misaligned LDUR W2, [X1, #-1]", m_ldur);
	twice("misaligned LDR X2, [X1, X3]", m_ldr_rx);
	twice("misaligned STR X2, [X1, X3]", m_str_rx);
	twice("misaligned LDP X2, X3, [X1]", m_ldp);
	twice("misaligned STP X2, X3, [X1]", m_stp);

	twice("LDR X2, [X1], #8 across two pages (not physically adjacent)", c_ldr_post);
	twice("LDR X2, [X1, #8]! across two pages", c_ldr_pre);
	twice("STR X2, [X1], #8 across two pages", c_str_post);
	twice("STR X2, [X1, #8]! across two pages", c_str_pre);
	twice("LDRSW X2, [X1, #4]! across two pages", c_ldrsw_pre);
	twice("LDR X2, [X1, X3] across two pages, X3 = -3", c_ldr_rx);
	twice("STR X2, [X1, X3] across two pages", c_str_rx);
	twice("LDR W2, [X1, W3, UXTW] across two pages", c_ldr_uxtw);
	twice("STR W2, [X1, W3, SXTW] across two pages, W3 = -5", c_str_sxtw);
	twice("LDP X2, X3, [X1] in a page's last 16 bytes", c_ldp_fit);
	twice("LDP X2, X3, [X1]: one X in each page", c_ldp_split);
	twice("LDP X2, X3, [X1]: the first X across the pages", c_ldp_cross);
	twice("STP X2, X3, [X1]: one X in each page", c_stp_split);
	twice("STP X2, X3, [X1]: the second X across the pages", c_stp_cross);
	twice("LDP X2, X3, [X1, #16]! to a page's last 16 bytes", c_ldp_pre_fit);
	twice("LDP W2, W3, [X1, #-8]!: one W in each page", c_ldp_w_pre);
	twice("STP W2, W3, [X1], #-256: one W in each page", c_stp_w_post);

	twice("LDR X2, [X1], #8 into an unmapped page: translation fault, FAR = its first byte, "
	      "no load, no writeback", f_ldr_post);
	twice("LDR X2, [X1, #8]! into an unmapped page: the same", f_ldr_pre);
	twice("STR X2, [X1], #8 into an unmapped page: WnR, nothing written (engine, as qemu)",
	      f_str_post);
	twice("STR X2, [X1, #8]! into an unmapped page: the same", f_str_pre);
	twice("STR X2, [X1, #8]! wholly in an unmapped page: FAR = the address", f_str_pre_whole);
	twice("LDRSW X2, [X1, #4]! into an unmapped page", f_ldrsw_pre);
	twice("LDR X2, [X1, X3] into an unmapped page", f_ldr_rx);
	twice("STR X2, [X1, X3] into an unmapped page", f_str_rx);
	twice("LDP X2, X3, [X1, #16]!: the second X unmapped: no load, no writeback", f_ldp_pre);
	twice("LDP W2, W3, [X1, #-8]!: the second W unmapped", f_ldp_w_pre);
	twice("STP X2, X3, [X1]: the second X unmapped (the first's bytes UNKNOWN)", f_stp);
	twice("LDR X2, [X1], #8 from an unmapped page into a mapped one: FAR = the address",
	      f_ldr_first);
	twice("STR X2, [X1, #8]! into a read-only page: permission fault, FAR = its first byte, "
	      "nothing written", f_str_ro);
	twice("STP W2, W3, [X1], #-256: the second W read-only: permission fault", f_stp_w_ro);
}

/* ---- self-modifying code ------------------------------------------------------------ */

#define MOV_X0_7	0xd28000e0u
#define MOV_X6_9	0xd2800126u
#define ADD_X0_100	0x91019000u
#define ADD_X5_10	0x910028a5u

static bool smc_alias;		/* store through SMC_VA (MMU on), not the code's VA */

static uint64_t smc_addr(uint64_t code)
{
	return smc_alias ? SMC_VA + (code - S_SMC_PAGE) : code;
}

static uint32_t code_word(uint64_t gpa)
{
	uint32_t w;

	memcpy(&w, env_ptr(&V, gpa), 4);
	return w;
}

/* The store rewrote the next instruction to MOV X0, #7, which then ran */
static bool smc_next(uint64_t pc, uint64_t t, uint64_t x1, uint64_t x2, uint64_t x3,
		     uint64_t wb)
{
	long v;

	begin(EL1H);
	S.x[0] = 0;
	S.x[1] = x1;
	S.x[2] = x2;
	S.x[3] = x3;
	v = go(pc);
	want_x(0, 7);
	if (wb)
		want_x(1, wb);
	return ended_at(v, t + 4) && regs_ok() && mem_ok() && code_word(t) == MOV_X0_7;
}

static bool smc_post(void)
{
	return smc_next(S_SMC_POST, S_SMC_POST_T, smc_addr(S_SMC_POST_T), MOV_X0_7, 0,
			smc_addr(S_SMC_POST_T) + 4);
}

static bool smc_pre(void)
{
	return smc_next(S_SMC_PRE, S_SMC_PRE_T, smc_addr(S_SMC_PRE_T) + 4, MOV_X0_7, 0,
			smc_addr(S_SMC_PRE_T));
}

static bool smc_rx(void)
{
	return smc_next(S_SMC_RX, S_SMC_RX_T, smc_addr(S_SMC_RX_T) + 0x100, MOV_X0_7,
			(uint64_t)-0x100, 0);
}

static bool smc_uxtw(void)
{
	return smc_next(S_SMC_UXTW, S_SMC_UXTW_T, smc_addr(S_SMC_UXTW_T) - 8, MOV_X0_7,
			0xffffffff00000002ULL, 0);
}

static bool smc_strb(void)
{
	return smc_next(S_SMC_STRB, S_SMC_STRB_T, smc_addr(S_SMC_STRB_T),
			0x12345678abcdefe0ULL | (MOV_X0_7 & 0xff), 0, smc_addr(S_SMC_STRB_T) + 1);
}

static bool smc_stp(void)
{
	long v;

	begin(EL1H);
	S.x[0] = 0;
	S.x[6] = 0;
	S.x[1] = smc_addr(S_SMC_STP_T) - 8;
	S.x[2] = MOV_X0_7;
	S.x[3] = MOV_X6_9;
	v = go(S_SMC_STP);
	want_x(0, 7);
	want_x(6, 9);
	want_x(1, smc_addr(S_SMC_STP_T));
	return ended_at(v, S_SMC_STP_T + 8) && regs_ok() && mem_ok() &&
	       code_word(S_SMC_STP_T) == MOV_X0_7 && code_word(S_SMC_STP_T + 4) == MOV_X6_9;
}

/* Stores to words of the page that hold no code: the rest runs as it is */
static bool smc_data(void)
{
	uint64_t slot = smc_addr(S_SMC_DATA_SLOT);
	uint64_t got[4];
	long v;

	begin(EL1H);
	S.x[0] = 0;
	S.x[1] = slot;
	S.x[2] = V8;
	S.x[3] = 0;
	S.x[4] = V8B;
	v = go(S_SMC_DATA);
	want_x(0, 31);
	want_x(1, slot + 16);
	memcpy(got, env_ptr(&V, S_SMC_DATA_SLOT), sizeof(got));
	return ended_at(v, S_SMC_DATA_HVC) && regs_ok() && mem_ok() &&
	       got[0] == V8 && got[1] == V8 && got[2] == ((V8B << 32) | (uint32_t)V8) &&
	       got[3] == V8B;
}

/* A loop rewrites its first instruction (already run) on the first pass:
 * the later iterations run ADD X0, X0, #100 */
static bool smc_loop(uint64_t pc, uint64_t t, uint64_t hvc, uint64_t x1, bool stp)
{
	long v;

	begin(EL1H);
	S.x[0] = 0;
	S.x[1] = x1;
	S.x[2] = ADD_X0_100;
	S.x[3] = 4;
	S.x[4] = stp ? ADD_X5_10 : 0;
	S.x[5] = 0;
	v = go(pc);
	want_x(0, 1 + 3 * 100);
	want_x(3, 0);
	if (stp)
		want_x(5, 1 + 3 * 10);
	return ended_at(v, hvc) && regs_ok() && mem_ok() && code_word(t) == ADD_X0_100;
}

static bool smc_loop_wb(void)
{
	return smc_loop(S_SMC_LOOP_WB, S_SMC_LOOP_WB_T, S_SMC_LOOP_WB_T + 20,
			smc_addr(S_SMC_LOOP_WB_T) + 4, false);
}

static bool smc_loop_rx(void)
{
	return smc_loop(S_SMC_LOOP_RX, S_SMC_LOOP_RX_T, S_SMC_LOOP_RX_T + 16,
			smc_addr(S_SMC_LOOP_RX_T), false);
}

static bool smc_loop_stp(void)
{
	return smc_loop(S_SMC_LOOP_STP, S_SMC_LOOP_STP_T, S_SMC_LOOP_STP_T + 20,
			smc_addr(S_SMC_LOOP_STP_T), true);
}

/* Single-step (the handlers run outside a chain): the store over the next
 * instruction is one step, PC past it once; the next step runs the new
 * instruction */
static bool smc_step(uint64_t pc, uint64_t t, uint64_t x1, uint64_t x3, uint64_t wb)
{
	enum cpu_exit_reason r[3];
	unsigned int i;
	uint64_t at[3];

	begin(EL1H);
	S.x[0] = 0;
	S.x[1] = x1;
	S.x[2] = MOV_X0_7;
	S.x[3] = x3;
	snapshot();
	S.pc = pc;
	V.cpu.single_step = true;
	for (i = 0; i < 3; i++) {
		r[i] = cpu_run(&V.cpu);
		at[i] = S.pc;
	}
	V.cpu.single_step = false;
	want_x(0, 7);
	if (wb)
		want_x(1, wb);
	return r[0] == CPU_EXIT_DEBUG && r[1] == CPU_EXIT_DEBUG && r[2] == CPU_EXIT_DEBUG &&
	       at[0] == pc + 4 && at[1] == t && at[2] == t + 4 &&
	       regs_ok() && mem_ok() && code_word(t) == MOV_X0_7;
}

static bool smc_step_post(void)
{
	return smc_step(S_SMC_POST, S_SMC_POST_T, smc_addr(S_SMC_POST_T), 0,
			smc_addr(S_SMC_POST_T) + 4);
}

static bool smc_step_rx(void)
{
	return smc_step(S_SMC_RX, S_SMC_RX_T, smc_addr(S_SMC_RX_T) + 0x100, (uint64_t)-0x100, 0);
}

/*
 * An STP whose first word is the code page's last (no code there) and whose
 * second is in the unmapped page after it: a data abort, no writeback, the
 * next instruction not run; the first word's bytes are UNKNOWN.
 */
static bool smc_stp_fault(void)
{
	uint64_t last = smc_addr(S_SMC_PAGE) + 0xffc;
	long v;

	begin(EL1H);
	S.x[0] = 0;
	S.x[1] = last - 8;
	S.x[2] = MOV_X0_7;
	S.x[3] = MOV_X6_9;
	v = go(S_SMC_STP);
	return took(v, DABT_W(FSC_TRANS_L3), S_SMC_STP + 4, last + 4) && regs_ok() && mem_ok() &&
	       code_word(S_SMC_STP_T) == 0xd2800020;	/* MOV X0, #1 */
}

static void smc_cases(const char *how)
{
	char name[200];

#define SMC(fn, what)	do { snprintf(name, sizeof(name), "%s %s", what, how); twice(name, fn); } while (0)
	SMC(smc_post, "STR W2, [X1], #4 over the next instruction: it runs the new one");
	SMC(smc_pre, "STR W2, [X1, #-4]! over the next instruction");
	SMC(smc_rx, "STR W2, [X1, X3] over the next instruction");
	SMC(smc_uxtw, "STR W2, [X1, W3, UXTW #2] over the next instruction");
	SMC(smc_strb, "STRB W2, [X1], #1 over the next instruction's low byte");
	SMC(smc_stp, "STP W2, W3, [X1, #8]! over the next two instructions");
	SMC(smc_data, "stores to words of the code page that hold no code: the rest runs");
	SMC(smc_loop_wb, "STR W2, [X1, #-4]! over an earlier instruction of its loop: "
	    "the next iteration runs the new one");
	SMC(smc_loop_rx, "STR W2, [X1, X4] over an earlier instruction of its loop");
	SMC(smc_loop_stp, "STP W2, W4, [X1] over the two first instructions of its loop");
	SMC(smc_step_post, "single-step over STR W2, [X1], #4 rewriting the next instruction");
	SMC(smc_step_rx, "single-step over STR W2, [X1, X3] rewriting the next instruction");
#undef SMC
}

static void test_smc(void)
{
	mmu_off();
	smc_alias = false;
	smc_cases("(MMU off)");
	mmu_on();
	smc_alias = true;
	smc_cases("(MMU on, through a writable alias of the code page)");
	twice("STP W2, W3, [X1, #8]! to the code page's last word and the unmapped page after it: "
	      "data abort, FAR = that page, no writeback", smc_stp_fault);
	smc_alias = false;
}

/* ---- MMU off: the page being run is Normal to fetches, Device to data ------- */

/*
 * With SCTLR_EL1.M == 0 data accesses are Device-nGnRnE even to the page
 * the vCPU executes from (whose fetch translation is Normal): a misaligned
 * load there and DC ZVA there take alignment faults.
 */
static bool own_page_ldr(void)
{
	uint64_t addr = S_LDR_OWN_PAGE + 1 + 8;
	long v;

	begin(EL1H);
	*reg(1) = S_LDR_OWN_PAGE + 1;
	v = go(S_LDR_OWN_PAGE);
	return took(v, ESR_DABT(FSC_ALIGNMENT), S_LDR_OWN_PAGE + 4, addr) &&
	       regs_ok() && mem_ok();
}

static bool own_page_zva(void)
{
	const uint8_t *code = env_ptr(&V, S_ZVA_OWN_PAGE & ~63ULL);
	uint8_t before_zva[64];
	long v;

	begin(EL1H);
	memcpy(before_zva, code, sizeof(before_zva));
	*reg(1) = S_ZVA_OWN_PAGE;
	v = go(S_ZVA_OWN_PAGE);
	/* FAR: the block's first byte (as qemu reports it) */
	return took(v, ESR_DABT(FSC_ALIGNMENT | WNR), S_ZVA_OWN_PAGE + 4,
		    S_ZVA_OWN_PAGE & ~63ULL) &&
	       !memcmp(before_zva, code, sizeof(before_zva)) && regs_ok() && mem_ok();
}

static void test_mmu_off_own_page(void)
{
	mmu_off();
	twice("MMU off: misaligned LDR into the page being run: alignment fault", own_page_ldr);
	twice("MMU off: DC ZVA on the page being run: alignment fault, nothing zeroed",
	      own_page_zva);
}

int main(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	if (env_init(&V, 16 << 20)) {
		printf("not ok 1 - env_init\n");
		return 1;
	}
	for (i = 0; i < DREG_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pattern[i] = (uint8_t)(x >> 24);
	}
	test_wb();
	test_sp();
	test_regoff();
	test_pairs();
	test_misaligned();
	test_smc();
	test_mmu_off_own_page();
	env_destroy(&V);
	return tap_done();
}
