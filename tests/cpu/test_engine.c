// SPDX-License-Identifier: GPL-2.0
/*
 * Directed tests of the execution engine: the integer self-check guest,
 * exceptions at EL0 and EL1, aborts outside memory and their syndromes,
 * the stage-1 MMU at every level for 4K/16K/64K, TLBI, AT, interrupts,
 * single-step and self-modifying code.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "snippets.h"
#include "../../kernel/cpu/internal.h"

extern const uint8_t blob_integer[], blob_integer_end[];
extern const uint8_t blob_snippets[], blob_snippets_end[];

static struct env V;
#define S	(V.cpu.state)

static uint64_t hvc_imm(void)
{
	return V.cpu.exit.esr & 0xffff;
}

static void load_snippets(void)
{
	env_load(&V, RAM_GPA, blob_snippets, (size_t)(blob_snippets_end - blob_snippets));
}

/* Run a snippet at EL1 (or EL0), expecting an HVC exit; returns its imm or -1 */
static long run_snip(uint64_t pc, bool el0)
{
	enum cpu_exit_reason r;

	S.pc = pc;
	S.pstate = el0 ? PSR_MODE_EL0t : (PSR_MODE_EL1h | PSR_DAIF_MASK);
	S.sysreg[SR_VBAR_EL1] = S_VECTORS;
	r = env_run(&V);
	if (r != CPU_EXIT_HVC)
		return -(long)r - 1;
	return (long)hvc_imm();
}

static void reset(void)
{
	env_reset(&V, RAM_GPA);
	load_snippets();
}

/* ---- integer --------------------------------------------------------------- */

static void test_integer(void)
{
	enum cpu_exit_reason r;
	uint64_t checks;

	env_reset(&V, RAM_GPA);
	env_load(&V, RAM_GPA, blob_integer, (size_t)(blob_integer_end - blob_integer));
	load_snippets();	/* overwrite? no: snippets at a different place */
	env_load(&V, RAM_GPA, blob_integer, (size_t)(blob_integer_end - blob_integer));
	S.sysreg[SR_VBAR_EL1] = RAM_GPA + 0x80000;
	*(uint32_t *)env_ptr(&V, RAM_GPA + 0x80200) = 0xd4000042;	/* hvc #2 */
	r = env_run(&V);
	tap_ok(r == CPU_EXIT_HVC && hvc_imm() == 2 &&
	       ESR_EC(S.sysreg[SR_ESR_EL1]) == EC_DABT_CUR &&
	       (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x21 &&
	       S.sysreg[SR_FAR_EL1] == 0x40100000,
	       "integer: DC ZVA on Device memory (MMU off) is an alignment fault (esr %#llx)",
	       (unsigned long long)S.sysreg[SR_ESR_EL1]);
	checks = S.x[27];
	S.pc = S.elr_el1 + 4;
	S.pstate = S.spsr[CPU_SPSR_EL1];
	r = env_run(&V);
	tap_ok(r == CPU_EXIT_HVC && hvc_imm() == 0,
	       "integer: self-check guest passes (%llu checks; failed at #%llu if not)",
	       (unsigned long long)S.x[0], (unsigned long long)checks);
}

/* A loop of 3000 YIELDs tells the backend on the 1024th and the 2048th. */
static void test_yield(void)
{
	static const uint32_t prog[] = {
		0xd2800000 | (3000 << 5),	/* mov x0, #3000 */
		0xd503203f,			/* 1: yield */
		0xf1000400,			/* subs x0, x0, #1 */
		0x54ffffc1,			/* b.ne 1b */
		0xd4000002,			/* hvc #0 */
	};
	enum cpu_exit_reason r;
	unsigned int before;

	env_reset(&V, RAM_GPA);
	env_load(&V, RAM_GPA, prog, sizeof(prog));
	V.cpu.yields = 0;
	before = fake_yield_hooks;
	r = env_run(&V);
	tap_ok(r == CPU_EXIT_HVC && S.x[0] == 0 && fake_yield_hooks - before == 3000 / CPU_YIELD_SPIN,
	       "yield: every %d-th YIELD reaches the backend (%u of 3000)", CPU_YIELD_SPIN,
	       fake_yield_hooks - before);
}

/* ---- exceptions ------------------------------------------------------------- */

static void test_exceptions(void)
{
	long v;
	uint64_t esr;

	reset();
	S.sysreg[SR_SCTLR_EL1] &= ~(1ULL << 23);	/* SPAN=0: PAN set on entry */
	v = run_snip(S_SVC, false);
	esr = S.sysreg[SR_ESR_EL1];
	tap_ok(v == 0x100 + 4 && ESR_EC(esr) == 0x15 && (esr & 0xffff) == 0x42 &&
	       (esr & (1 << 25)) && S.elr_el1 == S_SVC + 4 &&
	       S.spsr[0] == (PSR_MODE_EL1h | PSR_DAIF_MASK) &&
	       S.pstate == (PSR_MODE_EL1h | PSR_DAIF_MASK | PSR_PAN_BIT),
	       "SVC at EL1h: vector +0x200, ESR, ELR past SVC, SPSR, PSTATE (v=%ld pstate %#llx)", v,
	       (unsigned long long)S.pstate);

	reset();
	S.sysreg[SR_SCTLR_EL1] |= 1ULL << 23;	/* SPAN: PAN untouched */
	v = run_snip(S_SVC, true);
	tap_ok(v == 0x100 + 8 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x15 &&
	       S.spsr[0] == PSR_MODE_EL0t && !(S.pstate & PSR_PAN_BIT),
	       "SVC at EL0: lower-EL vector +0x400, SPSR EL0t, SPAN keeps PAN");

	reset();
	v = run_snip(S_BRK, true);
	tap_ok(v == 0x108 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x3c &&
	       (S.sysreg[SR_ESR_EL1] & 0xffff) == 7 && S.elr_el1 == S_BRK,
	       "BRK at EL0: EC 0x3c, imm, ELR at BRK");

	reset();
	v = run_snip(S_UNDEF, false);
	tap_ok(v == 0x104 && S.sysreg[SR_ESR_EL1] == (1ULL << 25) && S.elr_el1 == S_UNDEF,
	       "UDF at EL1: EC 0, IL=1, ELR at the instruction");

	reset();
	v = run_snip(S_HVC, false);
	tap_ok(v == 0x1234 && V.cpu.exit.esr == ((0x16ULL << 26) | (1 << 25) | 0x1234) &&
	       S.pc == S_HVC + 4, "HVC at EL1 exits with EC 0x16, imm16, PC past it");

	reset();
	V.cpu.exit.esr = 0;
	S.pc = S_SMC;
	S.pstate = PSR_MODE_EL1h;
	tap_ok(cpu_run(&V.cpu) == CPU_EXIT_SMC && ESR_EC(V.cpu.exit.esr) == 0x17 &&
	       (V.cpu.exit.esr & 0xffff) == 0x11 && S.pc == S_SMC + 4,
	       "SMC at EL1 exits with EC 0x17, PC past it");

	reset();
	v = run_snip(S_HVC, true);
	tap_ok(v == 0x108 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0, "HVC at EL0 is UNDEFINED");

	reset();
	S.x[1] = S_STEP + 2;
	v = run_snip(S_BR, false);
	tap_ok(v == 0x104 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x22 &&
	       S.sysreg[SR_FAR_EL1] == S_STEP + 2 && S.elr_el1 == S_STEP + 2,
	       "branch to a misaligned PC: PC alignment fault, FAR = ELR = target");

	reset();
	S.sysreg[SR_SCTLR_EL1] |= 1 << 3;	/* SA */
	S.x[1] = 0x40100008;
	v = run_snip(S_SP_LOAD, false);
	tap_ok(v == 0x104 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x26,
	       "SP-based load with misaligned SP and SCTLR.SA: SP alignment fault (v=%ld)", v);

	reset();
	v = run_snip(S_EL0_MSR, true);
	tap_ok(v == 0x108 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x18 &&
	       S.sysreg[SR_ESR_EL1] == ((0x18ULL << 26) | (1 << 25) | (6 << 17) | (3 << 14) |
					(4 << 10) | (31 << 5) | (2 << 1)),
	       "MSR DAIFSet at EL0 with UMA=0 traps (EC 0x18, ISS %#llx)",
	       (unsigned long long)(S.sysreg[SR_ESR_EL1] & 0x1ffffff));

	reset();
	v = run_snip(S_EL0_MRS_SCTLR, true);
	tap_ok(v == 0x108 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0,
	       "MRS SCTLR_EL1 at EL0 (hook says no): UNDEFINED");

	/* ERET: to EL0 */
	reset();
	S.elr_el1 = S_STEP;
	S.spsr[0] = PSR_MODE_EL0t | PSR_N_BIT;
	S.x[0] = 0;
	v = run_snip(S_ERET, false);
	tap_ok(v == 0x108 && S.x[0] == 3 && S.spsr[0] == (PSR_MODE_EL0t | PSR_N_BIT) &&
	       S.elr_el1 == S_STEP + 12,
	       "ERET to EL0 restores PSTATE and PC (runs to the HVC, UNDEFINED at EL0)");

	/* illegal return: to EL2h */
	reset();
	S.elr_el1 = S_STEP;
	S.spsr[0] = PSR_MODE_EL2h;
	v = run_snip(S_ERET, false);
	tap_ok(v == 0x104 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0x0e &&
	       (S.spsr[0] & PSR_IL_BIT) && (S.spsr[0] & PSR_MODE_MASK) == PSR_MODE_EL1h &&
	       S.elr_el1 == S_STEP,
	       "ERET to EL2: illegal return, PSTATE.IL, then Illegal Execution State (EC 0x0e)");

	reset();
	v = run_snip(S_ERET, true);
	tap_ok(v == 0x108 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0, "ERET at EL0 is UNDEFINED");
}

/* ---- interrupts, WFI, kick, step ---------------------------------------------- */

static void test_async(void)
{
	enum cpu_exit_reason r;
	long v;

	reset();
	S.pc = S_WFI;
	S.pstate = PSR_MODE_EL1h;
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_WFX && V.cpu.exit.esr >> 26 == 1 && !(V.cpu.exit.esr & 1) &&
	       S.pc == S_WFI + 4, "WFI exits (EC 1, TI=0), PC past it");

	reset();
	atomic_store(&V.cpu.irq_lines, CPU_IRQ_IRQ);
	S.pc = S_WFI;
	S.pstate = PSR_MODE_EL1h | PSR_I_BIT;
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_HVC && S.pc == S_WFI + 8,
	       "WFI with a (masked) pending IRQ completes at once");

	reset();
	atomic_store(&V.cpu.irq_lines, CPU_IRQ_IRQ);
	S.x[0] = 0;
	S.pc = S_LOOP;
	S.pstate = PSR_MODE_EL0t;
	S.sysreg[SR_VBAR_EL1] = S_VECTORS;
	r = env_run(&V);
	tap_ok(r == CPU_EXIT_HVC && hvc_imm() == 0x109 && (S.elr_el1 == S_LOOP ||
	       S.elr_el1 == S_LOOP + 4) && S.spsr[0] == PSR_MODE_EL0t,
	       "IRQ taken from EL0: vector +0x480, ELR at the interrupted instruction");

	reset();
	atomic_store(&V.cpu.irq_lines, CPU_IRQ_VSERR);
	V.cpu.vserror_esr = 0x123;
	S.x[0] = 0;
	S.pc = S_LOOP;
	S.pstate = PSR_MODE_EL1h;
	S.sysreg[SR_VBAR_EL1] = S_VECTORS;
	r = env_run(&V);
	tap_ok(r == CPU_EXIT_HVC && hvc_imm() == 0x107 &&
	       S.sysreg[SR_ESR_EL1] == ((0x2fULL << 26) | (1 << 25) | 0x123) &&
	       !(atomic_load(&V.cpu.irq_lines) & CPU_IRQ_VSERR),
	       "virtual SError: vector +0x380, ESR EC 0x2f with the ISS, line cleared");

	reset();
	S.x[0] = 0;
	S.pc = S_LOOP;
	S.pstate = PSR_MODE_EL1h;
	atomic_store(&V.cpu.kick, 1);
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_KICK, "kick ends cpu_run");
	atomic_store(&V.cpu.kick, 0);

	reset();
	S.x[0] = 0;
	S.pc = S_STEP;
	S.pstate = PSR_MODE_EL1h;
	V.cpu.single_step = true;
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_DEBUG && S.x[0] == 1 && S.pc == S_STEP + 4 &&
	       (V.cpu.exit.esr >> 26) == 0x32, "single step: one instruction, EC 0x32");
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_DEBUG && S.x[0] == 2, "single step: the next one");
	V.cpu.single_step = false;

	/* self-modifying code: store "mov x0, #7" over the next instruction */
	reset();
	S.x[0] = 0;
	S.x[1] = S_SMC_TARGET;
	S.x[2] = 0xd28000e0;		/* mov x0, #7 */
	v = run_snip(S_SMC_LOOP, false);
	tap_ok(v == 0 && S.x[0] == 7, "self-modifying code: a store over the next instruction takes effect");
	S.x[2] = 0xd2800100;		/* mov x0, #8 */
	v = run_snip(S_SMC_LOOP, false);
	tap_ok(v == 0 && S.x[0] == 8, "... and again after it was decoded");

	/* a generic-handler store (STP) over later instructions of the page */
	reset();
	S.x[0] = S.x[4] = S.x[6] = 0;
	S.x[1] = S_SMC_STP_TARGET;
	S.x[2] = 0xd28000e0;		/* mov x0, #7 */
	S.x[3] = 0xd2800126;		/* mov x6, #9 */
	v = run_snip(S_SMC_STP, false);
	tap_ok(v == 0 && S.x[0] == 7 && S.x[6] == 9 && S.x[4] == 1,
	       "self-modifying code: an STP over later instructions takes effect");
	S.x[2] = 0xd2800100;		/* mov x0, #8 */
	S.x[3] = 0xd2800146;		/* mov x6, #10 */
	v = run_snip(S_SMC_STP, false);
	tap_ok(v == 0 && S.x[0] == 8 && S.x[6] == 10 && S.x[4] == 2,
	       "... and again after it was decoded");

	/* cross-modified code: the VMM rewrites a decoded block between runs */
	reset();
	S.x[0] = 0;
	v = run_snip(S_XMC, false);
	tap_ok(v == 0 && S.x[0] == 3, "cross-modified code: the block runs as loaded");
	{
		uint32_t w = 0x91002800;	/* add x0, x0, #10 */

		memcpy(env_ptr(&V, S_XMC_TARGET), &w, sizeof(w));
	}
	S.x[0] = 0;
	v = run_snip(S_XMC, false);
	tap_ok(v == 0 && S.x[0] == 12,
	       "... a host write to it between two cpu_run calls is seen by the next");

	/* ... to any word of a block entered at an even or odd word (the block
	 * check compares two words at a time: a first and a last one alone) */
	{
		static const uint32_t add1 = 0x91000400, add10 = 0x91002800;
		unsigned int start, pos, bad = 0;

		reset();
		for (start = 0; start < 2; start++)
			for (pos = 0; pos < 4; pos++) {
				uint64_t want = 4 - start - (pos >= start) + 10 * (pos >= start);

				S.x[0] = 0;
				v = run_snip(S_XMC5 + 4 * start, false);
				if (v != 0 || S.x[0] != 4 - start)
					bad++;
				memcpy(env_ptr(&V, S_XMC5 + 4 * pos), &add10, 4);
				S.x[0] = 0;
				v = run_snip(S_XMC5 + 4 * start, false);
				if (v != 0 || S.x[0] != want)
					bad++;
				memcpy(env_ptr(&V, S_XMC5 + 4 * pos), &add1, 4);
			}
		for (start = 0; start < 2; start++) {	/* the last word, HVC #0 */
			static const uint32_t hvc0 = 0xd4000002, hvc1 = 0xd4000022;

			S.x[0] = 0;
			v = run_snip(S_XMC5 + 4 * start, false);
			memcpy(env_ptr(&V, S_XMC5 + 16), &hvc1, 4);
			S.x[0] = 0;
			if (v != 0 || run_snip(S_XMC5 + 4 * start, false) != 1 || S.x[0] != 4 - start)
				bad++;
			memcpy(env_ptr(&V, S_XMC5 + 16), &hvc0, 4);
		}
		tap_ok(!bad, "cross-modified code: each word of a 5-word block, entered at "
		       "word 0 or 1, rewritten in turn (%u wrong)", bad);
	}

	/* ... to a compare and the B.cond after it (run fused) */
	reset();
	S.x[0] = 5;
	S.x[1] = 0;
	v = run_snip(S_XMC_CMP, false);
	tap_ok(v == 0 && S.x[1] == 2, "cross-modified code: CMP; B.EQ taken");
	{
		uint32_t w = 0x54000061;	/* b.ne +12 */

		memcpy(env_ptr(&V, S_XMC_CMP_TARGET + 4), &w, sizeof(w));
	}
	S.x[1] = 0;
	v = run_snip(S_XMC_CMP, false);
	tap_ok(v == 0 && S.x[1] == 1, "... the B.cond rewritten to B.NE is seen");
	{
		uint32_t w = 0xf100181f;	/* cmp x0, #6 */

		memcpy(env_ptr(&V, S_XMC_CMP_TARGET), &w, sizeof(w));
	}
	S.x[1] = 0;
	v = run_snip(S_XMC_CMP, false);
	tap_ok(v == 0 && S.x[1] == 2, "... and so is the CMP rewritten");
	{
		uint32_t w = 0xd2800022;	/* mov x2, #1: no B.cond after the CMP */

		memcpy(env_ptr(&V, S_XMC_CMP_TARGET + 4), &w, sizeof(w));
	}
	S.x[1] = S.x[2] = 0;
	v = run_snip(S_XMC_CMP, false);
	tap_ok(v == 0 && S.x[1] == 1 && S.x[2] == 1, "... and the B.cond replaced by a MOV");
}

/* ---- aborts outside memory ------------------------------------------------------- */

static uint64_t dabt(unsigned int iss)
{
	return (0x24ULL << 26) | (1 << 25) | iss;
}

#define ISV	(1u << 24)
#define SAS(n)	((n) << 22)
#define SSE	(1u << 21)
#define SRT(n)	((n) << 16)
#define SF	(1u << 15)
#define AR	(1u << 14)
#define WNR	(1u << 6)

static void check_mmio(uint64_t pc, uint64_t addr, uint64_t esr, uint64_t data, const char *what)
{
	enum cpu_exit_reason r;

	reset();
	S.x[1] = addr;
	S.x[6] = 0xabcd;
	S.x[9] = 0x11223344;
	S.pc = pc;
	S.pstate = PSR_MODE_EL1h;
	r = cpu_run(&V.cpu);
	tap_ok(r == CPU_EXIT_ABORT && V.cpu.exit.esr == esr && S.pc == pc &&
	       V.cpu.exit.ipa == addr + (pc == S_STRH ? 2 : 0) &&
	       V.cpu.exit.far == V.cpu.exit.ipa && V.cpu.exit.data == data,
	       "outside memory: %s (esr %#llx ipa %#llx data %#llx)", what,
	       (unsigned long long)V.cpu.exit.esr, (unsigned long long)V.cpu.exit.ipa,
	       (unsigned long long)V.cpu.exit.data);
}

static void test_mmio(void)
{
	check_mmio(S_LDR_W, MMIO_GPA, dabt(ISV | SAS(2) | SRT(5) | 0x07), 0, "LDR W: ISV SAS=2 SRT");
	check_mmio(S_STRH, MMIO_GPA, dabt(ISV | SAS(1) | SRT(6) | WNR | 0x07), 0xabcd,
		   "STRH: ISV SAS=1 WnR, data");
	check_mmio(S_LDRSB, MMIO_GPA, dabt(ISV | SAS(0) | SSE | SRT(7) | SF | 0x07), 0,
		   "LDRSB X: SSE SF");
	check_mmio(S_LDAR, MMIO_GPA, dabt(ISV | SAS(3) | SRT(8) | SF | AR | 0x07), 0, "LDAR: AR");
	check_mmio(S_STLR_W, MMIO_GPA, dabt(ISV | SAS(2) | SRT(9) | AR | WNR | 0x07), 0x11223344,
		   "STLR W: AR WnR data");
	check_mmio(S_LDP, MMIO_GPA, dabt(0x07), 0, "LDP: no syndrome");
	check_mmio(S_LDR_POST, MMIO_GPA, dabt(0x07), 0, "LDR post-index: no syndrome");
	check_mmio(S_LDXR, MMIO_GPA, dabt(0x07), 0, "LDXR: no syndrome");
	check_mmio(S_LDADD, MMIO_GPA, dabt(WNR | 0x07), 0, "LDADD: no syndrome, WnR");
	check_mmio(S_DC_CIVAC, MMIO_GPA, dabt((1 << 8) | WNR | 0x07), 0, "DC CIVAC: CM");
	check_mmio(S_DC_CVADP, MMIO_GPA, dabt((1 << 8) | WNR | 0x07), 0, "DC CVADP: CM");

	/* a read-only region: writes exit as permission faults, reads work */
	{
		struct cpu_memmap *m = calloc(1, sizeof(*m) + 2 * sizeof(m->r[0]));
		static uint8_t rom[65536] __attribute__((aligned(4096)));
		enum cpu_exit_reason r;

		m->nr = 2;
		m->r[0] = (struct cpu_mem_region){
			.gpa = 0x10000000, .size = sizeof(rom), .hva = rom,
			.flags = CPU_MEM_READONLY, .slot = 1,
		};
		m->r[1] = V.map->r[0];
		memcpy(rom, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
		atomic_store(&V.vm.memmap, m);
		atomic_fetch_add(&V.vm.memmap_gen, 1);
		reset();
		S.x[1] = 0x10000000;
		S.pc = S_LOAD;
		S.pstate = PSR_MODE_EL1h;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_HVC && S.x[2] == 0x1122334455667788, "read-only region: loads read it");
		S.pc = S_STORE;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_ABORT && V.cpu.exit.esr == dabt(ISV | SAS(3) | SRT(2) | SF | WNR | 0x0f) &&
		       V.cpu.exit.data == 0x1122334455667788 && rom[0] == 0x88,
		       "read-only region: a store exits (permission fault, level 3), memory untouched");
		atomic_store(&V.vm.memmap, V.map);
		atomic_fetch_add(&V.vm.memmap_gen, 1);
		free(m);
	}

	/* an emulated memory error: synchronous external abort, no syndrome */
	{
		struct cpu_memmap *m = calloc(1, sizeof(*m) + sizeof(m->r[0]));
		static const uint64_t poison[] = { RAM_GPA + 0x300000 };
		enum cpu_exit_reason r;

		*m = *V.map;
		m->r[0] = V.map->r[0];
		m->nr_poison = 1;
		m->poison = poison;
		atomic_store(&V.vm.memmap, m);
		atomic_fetch_add(&V.vm.memmap_gen, 1);
		reset();
		S.x[1] = RAM_GPA + 0x300008;
		S.pc = S_LOAD;
		S.pstate = PSR_MODE_EL1h;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_ABORT && V.cpu.exit.esr == dabt(0x10) &&
		       V.cpu.exit.ipa == RAM_GPA + 0x300008,
		       "poisoned page: load exits as a synchronous external abort (esr %#llx)",
		       (unsigned long long)V.cpu.exit.esr);
		S.x[1] = RAM_GPA + 0x301000;
		S.pc = S_LOAD;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_HVC, "... the next page is fine");
		atomic_store(&V.vm.memmap, V.map);
		atomic_fetch_add(&V.vm.memmap_gen, 1);
		free(m);
	}

	/* fetch from outside memory */
	{
		enum cpu_exit_reason r;

		reset();
		S.pc = MMIO_GPA;
		S.pstate = PSR_MODE_EL1h;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_ABORT && ESR_EC(V.cpu.exit.esr) == EC_IABT_LOW &&
		       V.cpu.exit.ipa == MMIO_GPA, "instruction fetch outside memory: IABT exit");
	}

	/* access straddling the end of RAM (guard page beyond): never touches it */
	{
		enum cpu_exit_reason r;

		reset();
		S.sysreg[SR_SCTLR_EL1] &= ~2ULL;
		S.x[1] = RAM_GPA + V.ram_size - 8;
		S.x[2] = 0x55;
		S.pc = S_STORE;
		S.pstate = PSR_MODE_EL1h;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_HVC, "store to the last 8 bytes of RAM");
		S.x[1] = RAM_GPA + V.ram_size;
		S.pc = S_LOAD;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_ABORT && V.cpu.exit.ipa == RAM_GPA + V.ram_size,
		       "load just past the end of RAM exits, not touching the guard page");
	}
}

/* ---- MMU ------------------------------------------------------------------------ */

#define PT_BASE		(RAM_GPA + 0x400000)
#define DATA0		(RAM_GPA + 0x800000)
#define DATA1		(RAM_GPA + 0x900000)
#define TEST_VA		0x0000008000000000ULL
#define ALIAS_VA	0x0000009000000000ULL

static void mmu_setup(struct pt *m, unsigned int g)
{
	reset();
	pt_init(m, &V, g, PT_BASE);
	/* code: identity block at level 2, read-only, executable at EL0 and EL1 */
	pt_map(m, RAM_GPA, RAM_GPA, 2, D_AF | D_AP_EL0 | D_AP_RO | D_ATTR(0) | D_SH_IS);
	pt_enable(m);
}

static long mmu_load(uint64_t va, bool el0)
{
	S.x[1] = va;
	S.x[2] = 0;
	return run_snip(S_LOAD, el0);
}

static void test_mmu_granule(unsigned int g)
{
	struct pt m;
	unsigned int stride = g - 3, level, start = pt_start_level(g);
	const char *gn = g == 12 ? "4K" : g == 14 ? "16K" : "64K";
	uint64_t esr;
	long v;

	mmu_setup(&m, g);
	*(uint64_t *)env_ptr(&V, DATA0) = 0x1111;
	*(uint64_t *)env_ptr(&V, DATA1) = 0x2222;
	pt_map(&m, TEST_VA, DATA0, 3, D_AF | D_ATTR(0) | D_SH_IS);

	v = mmu_load(TEST_VA, false);
	tap_ok(v == 0 && S.x[2] == 0x1111, "%s: load through a level-3 page", gn);

	for (level = start; level <= 3; level++) {
		uint64_t va = TEST_VA + (1ULL << (g + stride * (3 - level)));

		v = mmu_load(va, false);
		esr = S.sysreg[SR_ESR_EL1];
		tap_ok(v == 0x104 && ESR_EC(esr) == EC_DABT_CUR && (esr & 0x3f) == (0x04 | level) &&
		       !(esr & WNR) && S.sysreg[SR_FAR_EL1] == va,
		       "%s: translation fault at level %u (esr %#llx)", gn, level,
		       (unsigned long long)esr);
	}

	/* access flag */
	pt_map(&m, TEST_VA + (1ULL << g), DATA1, 3, D_ATTR(0));
	v = mmu_load(TEST_VA + (1ULL << g), false);
	tap_ok(v == 0x104 && (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x0b,
	       "%s: access flag fault, level 3", gn);

	/* permission: store to read-only; EL0 load of EL1-only */
	pt_map(&m, TEST_VA + (2ULL << g), DATA1, 3, D_AF | D_AP_RO | D_ATTR(0));
	S.x[1] = TEST_VA + (2ULL << g);
	v = run_snip(S_STORE, false);
	esr = S.sysreg[SR_ESR_EL1];
	tap_ok(v == 0x104 && (esr & 0x3f) == 0x0f && (esr & WNR) && !(esr & ISV),
	       "%s: store to read-only page: permission fault level 3, WnR, no ISV", gn);
	/* the same after a load put the page in the TLB for reads (a store
	 * to a page read before takes its translation from the entry only
	 * when it was writable: mem.c, tlb_reuse_for_write()) */
	v = mmu_load(TEST_VA + (2ULL << g), false);
	S.x[1] = TEST_VA + (2ULL << g);
	v = v ? v : run_snip(S_STORE, false);
	esr = S.sysreg[SR_ESR_EL1];
	tap_ok(v == 0x104 && (esr & 0x3f) == 0x0f && (esr & WNR) && !(esr & ISV),
	       "%s: store to a read-only page loaded from before: permission fault", gn);
	v = mmu_load(TEST_VA, true);
	esr = S.sysreg[SR_ESR_EL1];
	tap_ok(v == 0x108 && ESR_EC(esr) == EC_DABT_LOW && (esr & 0x3f) == 0x0f,
	       "%s: EL0 load of an EL1-only page: permission fault from EL0", gn);

	/* PAN: EL1 load of an EL0-accessible page */
	pt_map(&m, TEST_VA + (3ULL << g), DATA1, 3, D_AF | D_AP_EL0 | D_ATTR(0));
	S.x[1] = TEST_VA + (3ULL << g);
	S.pc = S_LOAD;
	S.pstate = PSR_MODE_EL1h | PSR_PAN_BIT;
	S.sysreg[SR_VBAR_EL1] = S_VECTORS;
	tap_ok(env_run(&V) == CPU_EXIT_HVC && hvc_imm() == 0x104 &&
	       (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x0f, "%s: PAN blocks EL1 access to EL0 data", gn);
	S.pc = S_LDTR;
	S.pstate = PSR_MODE_EL1h | PSR_PAN_BIT;
	tap_ok(env_run(&V) == CPU_EXIT_HVC && hvc_imm() == 0 && S.x[2] == 0x2222,
	       "%s: ... but LDTR under PAN works", gn);

	/* block at level 2 (and level 1 with 4K) */
	{
		uint64_t bva = 0x0000400000000000ULL;
		uint64_t bsz = 1ULL << (g + stride);

		pt_map(&m, bva, DATA0 & ~(bsz - 1), 2, D_AF | D_ATTR(0));
		v = mmu_load(bva + (DATA0 & (bsz - 1)), false);
		tap_ok(v == 0 && S.x[2] == 0x1111, "%s: load through a level-2 block", gn);
		if (g == 12) {
			pt_map(&m, 0x0000500000000000ULL, 0x40000000, 1, D_AF | D_ATTR(0));
			v = mmu_load(0x0000500000000000ULL + (DATA0 - 0x40000000), false);
			tap_ok(v == 0 && S.x[2] == 0x1111, "%s: load through a level-1 block", gn);
		} else {
			uint64_t *e;
			uint64_t lva = 0x0000600000000000ULL;

			pt_map(&m, lva, 0, 2, D_AF);	/* creates the level-1 table entry */
			e = pt_entry(&m, m.root, start, lva);
			if (start == 0) {
				uint64_t t = *e & 0x0000fffffffff000ULL & ~((1ULL << g) - 1);

				e = pt_entry(&m, t, 1, lva);
			}
			*e = 0x40000000 | D_AF | 1;	/* level-1 block: not with 16K/64K */
			cpu_flush_tlb(&V.cpu);
			v = mmu_load(lva, false);
			tap_ok(v == 0x104 && (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x05,
			       "%s: a level-1 block descriptor is a translation fault at level 1", gn);
		}
	}

	/*
	 * TLBI by VA and blocks: the TLB holds a 2 MiB block as 4K pieces; a
	 * TLBI of one VA in the block drops every piece (the block's entry),
	 * a TLBI of a VA outside every block keeps them (mem.c, large_lo/hi)
	 */
	if (g == 12) {
		uint64_t bva = 0x0000700000000000ULL;
		uint64_t old_pa = RAM_GPA + 0x800000, new_pa = RAM_GPA + 0xa00000;
		uint64_t desc = pt_map(&m, bva, old_pa, 2, D_AF | D_ATTR(0));
		uint64_t p2 = bva + 0x5000;
		uint64_t walks;

		*(uint64_t *)env_ptr(&V, old_pa + 0x5000) = 0x5555;
		*(uint64_t *)env_ptr(&V, new_pa + 0x5000) = 0x6666;
		/* both pieces in the TLB (one writable), then a TLBI of a VA
		 * outside the block: the snippet's accesses take no walk */
		S.x[1] = bva + 0x3000;
		S.x[2] = 0;
		v = run_snip(S_STORE, false);
		v |= mmu_load(p2, false);
		S.x[1] = p2;
		S.x[3] = bva + 0x3000;		/* a harmless store */
		S.x[4] = 0;
		S.x[5] = 0x0000ff0000000000ULL >> 12;	/* above every block */
		walks = V.cpu.engine->st.walks;
		v |= run_snip(S_TLBI, false);
		tap_ok(v == 0 && S.x[6] == 0x5555 && V.cpu.engine->st.walks == walks,
		       "%s: TLBI VAE1IS outside a block keeps its pieces in the TLB (%llu walks)",
		       gn, (unsigned long long)(V.cpu.engine->st.walks - walks));
		/* the block remapped (by the VMM), a TLBI of another of its pages */
		*(uint64_t *)env_ptr(&V, desc) = new_pa | D_AF | D_ATTR(0) | 1;
		S.x[5] = (bva + 0x3000) >> 12;
		v = run_snip(S_TLBI, false);
		tap_ok(v == 0 && S.x[2] == 0x5555 && S.x[6] == 0x6666,
		       "%s: TLBI VAE1IS of one page of a block drops its other pieces", gn);
		*(uint64_t *)env_ptr(&V, desc) = 0;
		cpu_flush_tlb(&V.cpu);
	}

	/* more entries than the fill log holds, then a flush: each array
	 * filled since the last one is rewritten whole (tlb_set.arrays) */
	if (g == 12) {
		unsigned int k, n = TLB_FILL_LOG + 40, stale = 0;
		struct tlb_set *ts;

		v = 0;
		for (k = 0; k < n; k++)
			v |= mmu_load(RAM_GPA + ((uint64_t)k << 12), false);
		ts = V.cpu.engine->tlb;		/* the flush may make another current */
		cpu_flush_tlb(&V.cpu);
		for (k = 0; k < n; k++)
			stale += ts->tlb[MMU_EL1][((RAM_GPA >> PAGE_SHIFT) + k) & (TLB_SIZE - 1)].tag_r !=
				 TLB_INVALID;
		tap_ok(v == 0 && stale == 0,
		       "%s: %u pages loaded, the TLB flushed: none left (%u)", gn, n, stale);
	}

	/* AT (SCTLR_EL1.C clear: Normal reads Non-cacheable, Outer Shareable) */
	S.x[1] = TEST_VA + 0x10;
	v = run_snip(S_AT_S1E1R, false);
	tap_ok(v == 0 && S.sysreg[SR_PAR_EL1] == ((0x44ULL << 56) | DATA0 | (2 << 7) | (1 << 11)),
	       "%s: AT S1E1R with SCTLR_EL1.C clear: Normal Non-cacheable (%#llx)", gn,
	       (unsigned long long)S.sysreg[SR_PAR_EL1]);
	S.sysreg[SR_SCTLR_EL1] |= SCTLR_C;
	v = run_snip(S_AT_S1E1R, false);
	S.sysreg[SR_SCTLR_EL1] &= ~SCTLR_C;
	tap_ok(v == 0 && S.sysreg[SR_PAR_EL1] == ((0xffULL << 56) | DATA0 | (3 << 7) | (1 << 11)),
	       "%s: AT S1E1R success: PAR = PA, attributes, SH, RES1 (%#llx)", gn,
	       (unsigned long long)S.sysreg[SR_PAR_EL1]);
	S.x[1] = TEST_VA + (2ULL << g);
	v = run_snip(S_AT_S1E1W, false);
	tap_ok(v == 0 && S.sysreg[SR_PAR_EL1] == ((1 << 11) | (0x0f << 1) | 1),
	       "%s: AT S1E1W on a read-only page: PAR.F, FST permission level 3", gn);
	S.x[1] = TEST_VA;
	v = run_snip(S_AT_S1E0R, false);
	tap_ok(v == 0 && (S.sysreg[SR_PAR_EL1] & 1), "%s: AT S1E0R of an EL1-only page faults", gn);

	/* TLBI makes a page-table change visible */
	{
		uint64_t leaf = pt_map(&m, TEST_VA, DATA0, 3, D_AF | D_ATTR(0));
		uint64_t off = leaf & ((1ULL << g) - 1);

		pt_map(&m, ALIAS_VA, leaf & ~((1ULL << g) - 1), 3, D_AF | D_ATTR(0));
		S.x[1] = TEST_VA;
		S.x[3] = ALIAS_VA + off;
		S.x[4] = DATA1 | D_AF | D_ATTR(0) | 3;
		S.x[5] = TEST_VA >> 12;
		v = run_snip(S_TLBI, false);
		tap_ok(v == 0 && S.x[2] == 0x1111 && S.x[6] == 0x2222,
		       "%s: TLBI VAE1IS after a descriptor store: new mapping seen", gn);
	}

	/* Device memory: unaligned load faults; normal memory does not */
	{
		uint64_t dva = TEST_VA + (4ULL << g);

		pt_map(&m, dva, DATA0, 3, D_AF | D_ATTR(1));
		v = mmu_load(dva + 1, false);
		tap_ok(v == 0x104 && (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x21,
		       "%s: unaligned load from Device memory: alignment fault", gn);
		v = mmu_load(TEST_VA + 1, false);
		tap_ok(v == 0 && S.x[2] == 0x22, "%s: unaligned load from Normal memory", gn);
	}

	/* an MMIO page's translation is reused until the TLB is invalidated */
	{
		uint64_t mva = TEST_VA + (5ULL << g), leaf, off, m2 = MMIO_GPA + 0x10000;
		long ab = -(long)CPU_EXIT_ABORT - 1;
		enum cpu_exit_reason r;
		bool ok;

		leaf = pt_map(&m, mva, MMIO_GPA, 3, D_AF | D_ATTR(1));
		off = leaf & ((1ULL << g) - 1);
		pt_map(&m, ALIAS_VA, leaf & ~((1ULL << g) - 1), 3, D_AF | D_ATTR(0));
		v = mmu_load(mva + 8, false);
		ok = v == ab && V.cpu.exit.ipa == MMIO_GPA + 8;
		v = mmu_load(mva + 16, false);
		tap_ok(ok && v == ab && V.cpu.exit.ipa == MMIO_GPA + 16 && V.cpu.exit.far == mva + 16,
		       "%s: MMIO through a page: two loads exit at their IPAs", gn);
		v = mmu_load(mva + 8, true);
		tap_ok(v == 0x108 && (S.sysreg[SR_ESR_EL1] & 0x3f) == 0x0f,
		       "%s: ... an EL0 load of it (EL1-only) is a permission fault", gn);
		v = mmu_load(mva + 8, false);
		ok = v == ab && V.cpu.exit.ipa == MMIO_GPA + 8;
		pt_map(&m, mva, m2, 3, D_AF | D_ATTR(1));
		cpu_flush_tlb(&V.cpu);
		v = mmu_load(mva + 8, false);
		tap_ok(ok && v == ab && V.cpu.exit.ipa == m2 + 8,
		       "%s: ... remapped, then TLB flushed by the VMM: the new IPA", gn);
		/* the descriptor's page in the TLB: the store below takes no walk */
		v = mmu_load(ALIAS_VA + off, false);
		ok = v == 0;
		v = mmu_load(mva + 8, false);
		ok = ok && v == ab && V.cpu.exit.ipa == m2 + 8;
		*(uint64_t *)env_ptr(&V, DATA1 + 0x100) = 0x3333;
		S.x[1] = mva + 0x100;
		S.x[3] = ALIAS_VA + off;
		S.x[4] = DATA1 | D_AF | D_ATTR(0) | 3;
		S.x[5] = mva >> 12;
		S.x[6] = 0;
		S.pc = S_TLBI;
		S.pstate = PSR_MODE_EL1h | PSR_DAIF_MASK;
		r = cpu_run(&V.cpu);
		ok = ok && r == CPU_EXIT_ABORT && V.cpu.exit.ipa == m2 + 0x100;
		S.pc += 4;
		r = cpu_run(&V.cpu);
		tap_ok(ok && r == CPU_EXIT_HVC && hvc_imm() == 0 && S.x[6] == 0x3333,
		       "%s: ... remapped to RAM by the guest, TLBI VAE1IS: RAM is read", gn);
		*(uint64_t *)env_ptr(&V, DATA1 + 0x100) = 0;
	}

	/* a table walk outside memory: S1PTW exit */
	{
		enum cpu_exit_reason r;
		uint64_t wva = 0x0000c00000000000ULL;

		*pt_entry(&m, m.root, start, wva) = 0x0000000800000000ULL | 3;
		cpu_flush_tlb(&V.cpu);
		S.x[1] = wva;
		S.pc = S_LOAD;
		S.pstate = PSR_MODE_EL1h;
		r = cpu_run(&V.cpu);
		tap_ok(r == CPU_EXIT_ABORT && (V.cpu.exit.esr & (1 << 7)) &&
		       ESR_EC(V.cpu.exit.esr) == EC_DABT_LOW && V.cpu.exit.far == wva &&
		       (V.cpu.exit.ipa >> 16) == (0x0000000800000000ULL >> 16),
		       "%s: a walk outside memory exits with S1PTW (esr %#llx far %#llx ipa %#llx esr_el1 %#llx)", gn,
		       (unsigned long long)V.cpu.exit.esr, (unsigned long long)V.cpu.exit.far,
		       (unsigned long long)V.cpu.exit.ipa, (unsigned long long)S.sysreg[SR_ESR_EL1]);
	}
}

/* ---- FEAT_LSE2: alignment of ordered and atomic accesses ------------------------ */

enum lse2_kind { K_LOAD, K_STORE, K_CAS, K_LDADD, K_SWPW, K_CASPW };

static const struct lse2_case {
	const char *name;
	uint32_t insn;
	unsigned int size;
	enum lse2_kind kind;
	int cls;		/* 0 ordered, 1 atomic, 2 exclusive */
	bool wnr;		/* the syndrome's WnR */
	int64_t imm;		/* x1 = address - imm */
} lse2_cases[] = {
	{ "LDAR X", 0xc8dffc22, 8, K_LOAD, 0, false, 0 },
	{ "LDAR W", 0x88dffc22, 4, K_LOAD, 0, false, 0 },
	{ "LDARH", 0x48dffc22, 2, K_LOAD, 0, false, 0 },
	{ "STLR X", 0xc89ffc22, 8, K_STORE, 0, true, 0 },
	{ "STLR W", 0x889ffc22, 4, K_STORE, 0, true, 0 },
	{ "LDAPR X", 0xf8bfc022, 8, K_LOAD, 0, false, 0 },
	{ "LDAPUR X #-1", 0xd95ff022, 8, K_LOAD, 0, false, -1 },
	{ "STLUR X #-1", 0xd91ff022, 8, K_STORE, 0, true, -1 },
	{ "CAS X", 0xc8a37c22, 8, K_CAS, 1, true, 0 },
	{ "LDADD X", 0xf8230022, 8, K_LDADD, 1, true, 0 },
	{ "SWPAL W", 0xb8e38022, 4, K_SWPW, 1, true, 0 },
	{ "CASP W", 0x08247c26, 8, K_CASPW, 1, true, 0 },
	{ "LDXR X", 0xc85f7c22, 8, K_LOAD, 2, false, 0 },
};

#define LSE2_CODE	(RAM_GPA + 0x1f0000)
#define LSE2_VA		(TEST_VA + 0x100)

static uint64_t le_get(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;

	memcpy(&v, p, size);
	return v;
}

/* One case at offset off of a 16-byte quantity; lse2, nAA, A: the config. */
static bool lse2_run(const struct lse2_case *k, unsigned int off, bool lse2, bool naa,
		     bool a, bool *faulted)
{
	uint8_t *mem = env_ptr(&V, DATA0 + 0x100), want[48];
	uint64_t addr = LSE2_VA + off, old, nw = 0x8877665544332211ULL;
	uint64_t mask = k->size == 8 ? ~0ULL : (1ULL << (8 * k->size)) - 1;
	uint64_t esr = (0x25ULL << 26) | ESR_IL | 0x21 | (k->wnr ? ESR_WNR : 0);
	bool aligned = !(off & (k->size - 1)), fault;
	unsigned int i;
	long v;

	for (i = 0; i < 48; i++)
		mem[i] = want[i] = (uint8_t)(i * 7 + 3);
	old = le_get(mem + off, k->size);
	if (k->cls == 2 || !lse2)
		fault = !aligned;
	else if (aligned)
		fault = false;
	else if (a)
		fault = true;
	else
		fault = off + k->size > 16 && !(k->cls == 0 && naa);
	S.sysreg[SR_ID_AA64MMFR2_EL1] = (S.sysreg[SR_ID_AA64MMFR2_EL1] & ~(0xfULL << 32)) |
					((uint64_t)lse2 << 32);
	S.sysreg[SR_SCTLR_EL1] = (S.sysreg[SR_SCTLR_EL1] & ~(SCTLR_NAA | SCTLR_A)) |
				 (naa ? SCTLR_NAA : 0) | (a ? SCTLR_A : 0);
	S.x[1] = addr - (uint64_t)k->imm;
	S.x[2] = nw;
	S.x[3] = k->kind == K_CAS ? old : 0x0101010101010101ULL;
	S.x[4] = (uint32_t)old;
	S.x[5] = old >> 32;
	S.x[6] = 0xaabbccdd;
	S.x[7] = 0x11223344;
	S.sysreg[SR_ESR_EL1] = 0;
	S.sysreg[SR_FAR_EL1] = 0;
	v = run_snip(LSE2_CODE + 16 * (uint64_t)(k - lse2_cases), false);
	*faulted = v == 0x104;
	if (fault)
		return v == 0x104 && S.sysreg[SR_ESR_EL1] == esr &&
		       S.sysreg[SR_FAR_EL1] == addr && !memcmp(mem, want, 48);
	if (v != 0)
		return false;
	switch (k->kind) {
	case K_LOAD:
		return S.x[2] == old && !memcmp(mem, want, 48);
	case K_STORE:
		memcpy(want + off, &nw, k->size);
		break;
	case K_CAS:
		if (S.x[3] != old)
			return false;
		memcpy(want + off, &nw, k->size);
		break;
	case K_LDADD: {
		uint64_t sum = old + 0x0101010101010101ULL;

		if (S.x[2] != old)
			return false;
		memcpy(want + off, &sum, 8);
		break;
	}
	case K_SWPW: {
		uint32_t w3 = 0x01010101;

		if (S.x[2] != (old & mask))
			return false;
		memcpy(want + off, &w3, 4);
		break;
	}
	case K_CASPW: {
		uint64_t pair = 0x11223344aabbccddULL;

		if (S.x[4] != (uint32_t)old || S.x[5] != old >> 32)
			return false;
		memcpy(want + off, &pair, 8);
		break;
	}
	}
	return !memcmp(mem, want, 48);
}

static void test_lse2(void)
{
	static const struct {
		const char *name;
		bool lse2, naa, a;
	} cfg[] = {
		{ "no LSE2", false, false, false },
		{ "no LSE2, nAA=1 (RES0)", false, true, false },
		{ "LSE2, nAA=0", true, false, false },
		{ "LSE2, nAA=1", true, true, false },
		{ "LSE2, SCTLR.A=1", true, false, true },
	};
	unsigned int i, j, off, nk = sizeof(lse2_cases) / sizeof(lse2_cases[0]);
	uint64_t mmfr2 = S.sysreg[SR_ID_AA64MMFR2_EL1];
	struct pt m;

	mmu_setup(&m, 12);
	pt_map(&m, TEST_VA, DATA0, 3, D_AF | D_ATTR(0));
	for (i = 0; i < nk; i++) {
		uint32_t *code = env_ptr(&V, LSE2_CODE + 16 * i);

		code[0] = lse2_cases[i].insn;
		code[1] = 0xd4000002;	/* hvc #0 */
	}
	for (j = 0; j < sizeof(cfg) / sizeof(cfg[0]); j++) {
		for (i = 0; i < nk; i++) {
			const struct lse2_case *k = &lse2_cases[i];
			unsigned int bad = ~0u, faults = 0;
			bool f;

			for (off = 0; off < 16; off++) {
				if (!lse2_run(k, off, cfg[j].lse2, cfg[j].naa, cfg[j].a, &f) &&
				    bad == ~0u)
					bad = off;
				faults += f;
			}
			tap_ok(bad == ~0u, "LSE2 %s: %s at offsets 0-15 of a 16-byte quantity "
			       "(%u alignment faults; first wrong offset %d)",
			       cfg[j].name, k->name, faults, (int)bad);
		}
	}
	S.sysreg[SR_ID_AA64MMFR2_EL1] = mmfr2;
}

/* ---- the chain's stack bound -------------------------------------------- */

/*
 * Long runs without any event (no exit, no interrupt, no kick) stay in one
 * threaded chain (here: ALU, load, store, compare-and-branch entries).  Where the compiler did not turn its calls into jumps
 * (the ASan/UBSan build, -O0, -O1) the stack must still stay bounded: run
 * on a thread with a small stack, which such a chain without the bound
 * overflows within milliseconds.
 */
#define CHAIN_STACK	(512 * 1024)

#define A64_ADD_X0_1	0x91000400u	/* add x0, x0, #1 */
#define A64_ADD_X2_1	0x91000442u	/* add x2, x2, #1 */
#define A64_SUBS_X1_1	0xf1000421u	/* subs x1, x1, #1 */
#define A64_MRS_X3	0xd53bd043u	/* mrs x3, tpidr_el0: not a fast form */
#define A64_HVC0	0xd4000002u
#define A64_LDR_X4	0xf94000a4u	/* ldr x4, [x5] */
#define A64_STR_X2	0xf90004a2u	/* str x2, [x5, #8] */
#define CHAIN_DATA	(RAM_GPA + 0x200000)

static uint32_t a64_bne(int insns)		/* b.ne . + 4 * insns */
{
	return 0x54000001u | (((uint32_t)insns & 0x7ffff) << 5);
}

struct chain_case {
	const char *what;
	uint64_t pc;			/* where the loop starts */
	unsigned int body;		/* ADDs of x2 before SUBS, B.NE */
	bool generic;			/* an MRS (a block end) in the body */
	uint64_t iters;
	enum cpu_exit_reason r;
};

static void *chain_run(void *arg)
{
	struct chain_case *k = arg;
	uint64_t pc = k->pc;
	unsigned int i, n = 0;

	env_reset(&V, k->pc);
	for (i = 0; i < k->body; i++, n++)
		*(uint32_t *)env_ptr(&V, pc + 4 * n) = A64_ADD_X2_1;
	if (k->generic)
		*(uint32_t *)env_ptr(&V, pc + 4 * n++) = A64_MRS_X3;
	*(uint32_t *)env_ptr(&V, pc + 4 * n++) = A64_LDR_X4;
	*(uint32_t *)env_ptr(&V, pc + 4 * n++) = A64_STR_X2;
	*(uint32_t *)env_ptr(&V, pc + 4 * n++) = A64_SUBS_X1_1;
	*(uint32_t *)env_ptr(&V, pc + 4 * n) = a64_bne(-(int)n);
	n++;
	*(uint32_t *)env_ptr(&V, pc + 4 * n) = A64_HVC0;
	S.x[1] = k->iters;
	S.x[2] = 0;
	S.x[5] = CHAIN_DATA;
	k->r = env_run(&V);
	return NULL;
}

static void test_chain_stack(void)
{
	static struct chain_case cases[] = {
		{ .what = "a 2-instruction loop", .pc = RAM_GPA + 0x100000,
		  .iters = 20000000 },
		{ .what = "a loop across a page boundary", .pc = RAM_GPA + 0x101000 - 8,
		  .body = 3, .iters = 5000000 },
		{ .what = "a loop with a generic entry", .pc = RAM_GPA + 0x102000,
		  .body = 2, .generic = true, .iters = 5000000 },
		{ .what = "a 1000-instruction straight run", .pc = RAM_GPA + 0x103000,
		  .body = 1000, .iters = 20000 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct chain_case *k = &cases[i];
		pthread_attr_t attr;
		pthread_t t;
		bool ok;

		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, CHAIN_STACK);
		ok = pthread_create(&t, &attr, chain_run, k) == 0;
		pthread_attr_destroy(&attr);
		if (ok)
			ok = pthread_join(t, NULL) == 0;
		tap_ok(ok && k->r == CPU_EXIT_HVC && S.x[1] == 0 &&
		       S.x[2] == k->iters * k->body &&
		       *(uint64_t *)env_ptr(&V, CHAIN_DATA + 8) == S.x[2],
		       "chain: %s, %llu iterations on a %u KiB stack (exit %d, x2 %llu)",
		       k->what, (unsigned long long)k->iters, CHAIN_STACK / 1024, (int)k->r,
		       (unsigned long long)S.x[2]);
	}
}

/*
 * No word fits both a row of class tbl (svefp, svemem) and a row before
 * it, in its table or an earlier class's (a64.def): the earlier row would
 * decode it.  Rows added to an earlier class must leave these encodings
 * alone.
 */
static void test_rows_after(const struct insn_table *tbl, const char *what,
			    unsigned int min_rows)
{
	static const struct insn_table *const tables[] = {
#define A64_CLASS(c)	&c##_insns,
#include "../../kernel/cpu/a64.def"
#undef A64_CLASS
	};
	const struct insn_pattern *q = tbl->pat;
	unsigned int t, i, k, n = 0;

	for (k = 0; k < tbl->nr; k++) {
		for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			unsigned int nr = tables[t] == tbl ? k : tables[t]->nr;

			for (i = 0; i < nr; i++) {
				const struct insn_pattern *p = &tables[t]->pat[i];

				if ((p->match ^ q[k].match) & p->mask & q[k].mask)
					continue;
				if (n++ < 5)
					printf("# %s (%08x/%08x) overlaps the earlier %s (%08x/%08x)\n",
					       q[k].name, q[k].match, q[k].mask, p->name, p->match,
					       p->mask);
			}
			if (tables[t] == tbl)
				break;
		}
	}
	tap_ok(tbl->nr >= min_rows && n == 0,
	       "decode: no %s row overlaps an earlier row (%u rows, %u overlaps)",
	       what, tbl->nr, n);
}

/*
 * SVE first-fault and non-fault loads at the edges a differential test
 * against qemu-user cannot reach (docs/sve.md): a non-first element on
 * Device memory, on an IPA outside memory (MMIO) or unmapped is not
 * accessed and clears FFR from it on; the first one faults as LD1 does;
 * LDNF1 never faults; prefetches never access memory but still trap
 * where SVE is disabled.  VL 128: two D elements, the second 8 bytes on.
 */
#define SVE_PROG	(RAM_GPA + 0x1f0000)

static long sve_run(unsigned int k, const uint32_t *w, unsigned int n, uint64_t x1)
{
	uint64_t pc = SVE_PROG + 0x100 * k;

	memcpy(env_ptr(&V, pc), w, 4 * n);
	S.x[1] = x1;
	memset(S.z[1], 0x5a, sizeof(S.z[1]));
	memset(S.p[1], 0x5a, sizeof(S.p[1]));
	return run_snip(pc, false);
}

static void test_sve_ffr(void)
{
	/* setffr; ptrue p0.d; LDxx1D {z1.d}, p0/z, [x1]; rdffr p1.b; hvc #0 */
	uint32_t w[] = { 0x252c9000, 0x25d8e3e0, 0xa5ff6021, 0x2519f001, 0xd4000002 };
	static const uint32_t ldff1d = 0xa5ff6021, ldnf1d = 0xa5f0a021;
	static const uint32_t prfb[] = { 0x85c00020, 0xd4000002 };	/* prfb pldl1keep, p0, [x1] */
	const uint64_t elem0 = 0x1122334455667788ULL;
	struct pt m;
	uint64_t esr, z0;
	long v;

	mmu_setup(&m, 12);
	V.cpu.sve_max_vq = 1;
	S.sysreg[SR_ZCR_EL1] = 0;
	S.sysreg[SR_CPACR_EL1] = 3u << 16 | 3u << 20;
	/* Normal RAM, Normal on an IPA outside memory, Normal, Device, Normal, unmapped */
	pt_map(&m, TEST_VA, DATA0, 3, D_AF | D_ATTR(0) | D_SH_IS);
	pt_map(&m, TEST_VA + 0x1000, MMIO_GPA, 3, D_AF | D_ATTR(0) | D_SH_IS);
	pt_map(&m, TEST_VA + 0x2000, DATA0 + 0x2000, 3, D_AF | D_ATTR(0) | D_SH_IS);
	pt_map(&m, TEST_VA + 0x3000, DATA1, 3, D_AF | D_ATTR(1));
	pt_map(&m, TEST_VA + 0x4000, DATA0 + 0x4000, 3, D_AF | D_ATTR(0) | D_SH_IS);
	cpu_flush_tlb(&V.cpu);
	for (unsigned int i = 0; i < 3; i++)
		memcpy(env_ptr(&V, DATA0 + 0xff8 + i * 0x2000), &elem0, 8);

	v = sve_run(0, w, 5, TEST_VA + 0xff8);
	memcpy(&z0, S.z[1], 8);
	tap_ok(v == 0 && z0 == elem0 && !S.z[1][8] && S.p[1][0] == 0xff &&
	       S.p[1][1] == 0, "SVE LDFF1D: a second element outside memory (MMIO) is not "
	       "accessed, FFR cleared from it (v %ld, ffr %02x%02x)", v, S.p[1][1], S.p[1][0]);
	v = sve_run(1, w, 5, TEST_VA + 0x2ff8);
	memcpy(&z0, S.z[1], 8);
	tap_ok(v == 0 && z0 == elem0 && S.p[1][0] == 0xff && S.p[1][1] == 0,
	       "SVE LDFF1D: a second element on Device memory is not accessed, FFR cleared");
	v = sve_run(2, w, 5, TEST_VA + 0x4ff8);
	memcpy(&z0, S.z[1], 8);
	tap_ok(v == 0 && z0 == elem0 && S.p[1][0] == 0xff && S.p[1][1] == 0,
	       "SVE LDFF1D: a second element unmapped takes no fault, FFR cleared");
	v = sve_run(3, w, 5, TEST_VA + 0x5000);
	esr = S.sysreg[SR_ESR_EL1];
	tap_ok(v == 0x104 && ESR_EC(esr) == EC_DABT_CUR && (esr & 0x3f) == 0x07 &&
	       S.sysreg[SR_FAR_EL1] == TEST_VA + 0x5000,
	       "SVE LDFF1D: the first element unmapped: translation fault, FAR (esr %#llx)",
	       (unsigned long long)esr);
	S.pc = SVE_PROG + 0x400;
	memcpy(env_ptr(&V, S.pc), w, sizeof(w));
	S.x[1] = TEST_VA + 0x1000;
	S.pstate = PSR_MODE_EL1h | PSR_DAIF_MASK;
	tap_ok(env_run(&V) == CPU_EXIT_ABORT && V.cpu.exit.ipa == MMIO_GPA &&
	       ESR_EC(V.cpu.exit.esr) == EC_DABT_LOW && !(V.cpu.exit.esr & ISV) &&
	       S.pc == SVE_PROG + 0x408,
	       "SVE LDFF1D: the first element outside memory exits as LD1D does (no ISV, PC kept)");
	w[2] = ldnf1d;
	v = sve_run(5, w, 5, TEST_VA + 0x1000);
	tap_ok(v == 0 && !S.p[1][0] && !S.p[1][1] && !S.z[1][0] && !S.z[1][15],
	       "SVE LDNF1D outside memory: no exit, zeros, FFR all clear");
	v = sve_run(6, w, 5, TEST_VA + 0x3000);
	tap_ok(v == 0 && !S.p[1][0] && !S.p[1][1],
	       "SVE LDNF1D on Device memory: not accessed, FFR all clear");
	v = sve_run(7, w, 5, TEST_VA + 0x5000 - 8);
	memcpy(&z0, S.z[1], 8);
	tap_ok(v == 0 && z0 == *(uint64_t *)env_ptr(&V, DATA0 + 0x4ff8) && S.p[1][0] == 0xff &&
	       !S.p[1][1], "SVE LDNF1D: the second element unmapped, FFR cleared from it");
	{
		/* z2 = { TEST_VA, unmapped }: LD1D/ST1D/LDFF1D [z2.d] */
		uint64_t a[2] = { TEST_VA, TEST_VA + 0x5008 }, st = 0xa5a5a5a5a5a5a5a5ULL;
		uint8_t z1[16];

		memcpy(S.z[2], a, 16);
		w[2] = 0xc5a0c041;
		v = sve_run(30, w, 5, 0);
		esr = S.sysreg[SR_ESR_EL1];
		memset(z1, 0x5a, 16);
		tap_ok(v == 0x104 && ESR_EC(esr) == EC_DABT_CUR && (esr & 0x3f) == 0x07 &&
		       !(esr & (WNR | ISV)) && S.sysreg[SR_FAR_EL1] == TEST_VA + 0x5008 &&
		       !memcmp(S.z[1], z1, 16),
		       "SVE LD1D gather: the faulting element's FAR, ESR; Zt untouched (esr %#llx)",
		       (unsigned long long)esr);
		memcpy(S.z[1], &st, 8);
		w[2] = 0xe5c0a041;
		memcpy(env_ptr(&V, SVE_PROG + 0x100 * 31), w, sizeof(w));
		S.x[1] = 0;
		tap_ok(run_snip(SVE_PROG + 0x100 * 31, false) == 0x104 &&
		       (S.sysreg[SR_ESR_EL1] & (WNR | 0x3f)) == (WNR | 0x07) &&
		       S.sysreg[SR_FAR_EL1] == TEST_VA + 0x5008 &&
		       *(uint64_t *)env_ptr(&V, DATA0) == st,
		       "SVE ST1D scatter: element 0 stored, element 1 faults (WnR, FAR)");
		w[2] = 0xc5a0e041;
		v = sve_run(32, w, 5, 0);
		memcpy(&z0, S.z[1], 8);
		tap_ok(v == 0 && z0 == st && S.p[1][0] == 0xff && !S.p[1][1],
		       "SVE LDFF1D gather: element 1 unmapped, FFR cleared from it");
	}
	w[2] = ldff1d;
	v = sve_run(8, prfb, 2, TEST_VA + 0x1000);
	tap_ok(v == 0, "SVE PRFB of an address outside memory: no access, no exit");
	v = sve_run(9, prfb, 2, TEST_VA + 0x5000);
	tap_ok(v == 0, "SVE PRFB of an unmapped address: no fault");
	S.sysreg[SR_CPACR_EL1] = 3u << 20;
	v = sve_run(10, prfb, 2, TEST_VA);
	tap_ok(v == 0x104 && ESR_EC(S.sysreg[SR_ESR_EL1]) == EC_SVE,
	       "SVE PRFB with CPACR_EL1.ZEN = 0: trapped (EC 0x19)");
	S.sysreg[SR_CPACR_EL1] = 3u << 16 | 3u << 20;
	{
		/* Xm = XZR where scalar plus scalar forbids it; LD1SW .S gather; ST1D of
		 * .S; a scaled byte scatter; PRF with bit 4 set (qemu: SIGILL alike) */
		static const uint32_t undef[] = { 0xe41f4022, 0xa41fc022, 0xa43fc022, 0xa41f0022,
						  0xe41f6022, 0xe43f6022, 0x841fc020, 0x85010022,
						  0xc5810022, 0xe5c18022, 0xe4618022, 0xe421a022,
						  0x85c00030, 0x85208022 };
		unsigned int i, bad = 0;

		for (i = 0; i < sizeof(undef) / sizeof(undef[0]); i++) {
			uint32_t u[] = { undef[i], 0xd4000002 };

			v = sve_run(12 + i, u, 2, TEST_VA);
			if (v != 0x104 || ESR_EC(S.sysreg[SR_ESR_EL1]) != 0) {
				if (!bad++)
					printf("# %08x: v %ld esr %#llx\n", undef[i], v,
					       (unsigned long long)S.sysreg[SR_ESR_EL1]);
			}
		}
		tap_ok(!bad, "SVE memory: %u unallocated encodings are UNDEFINED (%u not)", i, bad);
	}
	V.cpu.sve_max_vq = 0;
	v = sve_run(11, prfb, 2, TEST_VA);
	tap_ok(v == 0x104 && ESR_EC(S.sysreg[SR_ESR_EL1]) == 0,
	       "SVE PRFB on a vCPU without SVE: UNDEFINED");
}

bool cond_table_ok(void);				/* kernel/cpu/decode.c */
bool decode_index_ok(uint64_t seed, unsigned int n);

int main(void)
{
	if (env_init(&V, 16 << 20)) {
		printf("not ok 1 - env_init\n");
		return 1;
	}
	tap_ok(cond_table_ok(), "decode: the condition table matches the conditions' definitions");
	tap_ok(decode_index_ok(0x5eed, 200000),
	       "decode: the indexed lookup finds what a scan of every table finds (400000 words)");
	test_rows_after(&svefp_insns, "svefp", 68);
	test_rows_after(&svemem_insns, "svemem", 49);
	test_integer();
	test_yield();
	test_exceptions();
	test_async();
	test_mmio();
	test_mmu_granule(12);
	test_mmu_granule(14);
	test_mmu_granule(16);
	test_chain_stack();
	test_sve_ffr();
	test_lse2();
	env_destroy(&V);
	return tap_done();
}
