/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Engine-private definitions shared by the files of kernel/cpu/, by
 * concern: decode.h (decoded instructions, the instruction table), tlb.h
 * (the soft TLB), thread.h (the decode cache and threaded dispatch),
 * mem.h (memory accesses) and include/arm64.h (architectural constants);
 * here the engine context, registers and PSTATE, and exceptions.
 */
#ifndef VKVM_CPU_INTERNAL_H
#define VKVM_CPU_INTERNAL_H

#include <stdatomic.h>
#include <string.h>

#include "cpu.h"
#include "decode.h"
#include "tlb.h"
#include "thread.h"
#include "arm64.h"

/* The PMU events counted per instruction (pmu.c), rows of cpu_engine.pmu_mask. */
enum { PMU_K_CYCLES, PMU_K_INST, PMU_K_BR, PMU_K_MEM, PMU_K_ERET, PMU_K_NR };

/*
 * One soft TLB: an array per mmu_idx, for one translation context (key,
 * tlb_key()); the entries filled since it was last emptied (mmu_idx <<
 * TLB_BITS | index), so that emptying it rewrites those rather than the
 * whole set (320 KiB); nfilled > TLB_FILL_LOG: too many, rewrite the arrays
 * filled since (arrays).
 */
#define TLB_FILL_LOG	256
_Static_assert((MMU_NR << TLB_BITS) <= 65536, "filled holds an entry in 16 bits");
struct tlb_set {
	struct tlb_entry tlb[MMU_NR][TLB_SIZE];
	struct tlb_key key;
	uint64_t used;			/* cpu_engine.tlb_clock when last current */
	unsigned int large;		/* the arrays (1 << mmu_idx) holding pieces
					 * of >4K translations */
	/* per array in large: the VAs (bits 55:0) those translations span,
	 * first and last byte; a TLBI by VA outside keeps the pieces */
	uint64_t large_lo[MMU_NR], large_hi[MMU_NR];
	unsigned int arrays;		/* the arrays (1 << mmu_idx) filled since
					 * last emptied: a rewrite skips the others */
	unsigned int nfilled;
	uint16_t filled[TLB_FILL_LOG];
	uint64_t big_empty;		/* set_empty() rewrote whole arrays */
};

/*
 * Counts of the run loop's and the TLB's events (VKVM_RUN_STATS=1 prints
 * them at vCPU teardown, engine.c): where a boot's time outside translated
 * code goes.  Incremented on paths that do far more work than an add.
 */
struct engine_stats {
	uint64_t loops;			/* run-loop iterations (chains started) */
	uint64_t loop_branch, loop_jump, loop_stop;	/* ... how chains ended */
	uint64_t resyncs;		/* ... in a new check epoch */
	uint64_t jump_sync;		/* EXEC_JUMP with th_sync (ISB, ERET, own code) */
	uint64_t cross;			/* thread_cross_page() calls */
	uint64_t cross_tlb, cross_events, cross_dcache;	/* ... back to the loop */
	uint64_t page_end;		/* ... from a page's sentinel */
	uint64_t checks, redecodes;	/* block checks, of which re-decoded */
	uint64_t decodes;		/* words decoded */
	uint64_t dc_miss, dc_evict;	/* decode-cache misses, ... evicting a page */
	uint64_t fills[MMU_NR];		/* TLB entries filled, per mmu_idx */
	uint64_t fill_fetch;		/* ... for a fetch */
	uint64_t fill_conflict;		/* ... over a valid entry of another page */
	uint64_t walks;			/* mmu_translate() calls from access_page() */
	uint64_t global_copies;		/* tlb_global_copy() hits */
	uint64_t flush_all;		/* tlb_flush_all() */
	uint64_t set_switch, set_evict;	/* context switches, ... emptying a set */
	uint64_t tlbi_va, tlbi_asid, tlbi_all;	/* tlb_invalidate() by kind */
};

struct cpu_engine {
	/*
	 * The soft TLBs of the last TLB_SETS translation contexts (tlb.h),
	 * the current one tlb, the least recently current one replaced
	 * (emptied) when a context none holds becomes current.
	 */
	struct tlb_set tlbs[TLB_SETS];
	struct tlb_set *tlb;
	uint64_t tlb_clock;
	uint64_t memmap_gen;
	uint64_t tlbi_gen;
	struct cpu_memmap *map;

	struct dcache_slot dcache[DCACHE_SLOTS];
	uint8_t *dpage_arena;		/* DCACHE_SLOTS dpages, one mapping */
	unsigned int dpages;		/* taken from it, never returned */
	struct jit *jit;		/* the block translator, NULL: off (jit/jit.h) */

	/* exclusive monitor: the location and the value LDXR observed */
	bool excl_valid;
	unsigned int excl_size;		/* bytes, 16 for a 64-bit pair */
	uint8_t *excl_host;
	uint64_t excl_val[2];

	bool event;			/* the WFE event register (own SEVL, ERET) */
	uint64_t sev_seen;		/* cpu_vm.sev_gen when last consumed */
	uint64_t insns;			/* retired instruction count (stats) */

	/*
	 * The last data translation (mem.c) of a page that is not entered in
	 * the TLB (MMIO, or RAM that covers only part of the page): its VA
	 * page (top byte included, TLB_INVALID: none), mmu_idx and what
	 * access_page() uses of the stage-1 result.  Dropped with the TLB
	 * (tlb_flush_all/tlb_flush_va).
	 */
	uint64_t s1_last_va, s1_last_pa;
	unsigned int s1_last_idx, s1_last_perms, s1_last_level, s1_last_shift;
	bool s1_last_device;
	bool s1_last_guarded;
	bool s1_last_global;
	uint8_t s1_last_attr;
	bool last_tagged;		/* access_page's last RAM page was Tagged */

	/*
	 * Host pages a store found writable (cpu_host_writable) since the
	 * last KVM_RUN or memmap change, direct-mapped by page: a victim
	 * cache behind the TLB, so that refilling the TLB after a flush does
	 * not ask the kernel again.  No larger than the TLB: a protection
	 * change during a run is seen as late as with the TLB alone.
	 */
#define WVERIFIED_SIZE	1024
	uintptr_t wverified[WVERIFIED_SIZE];	/* page | wgen */
	/* 1..PAGE_SIZE-1: forgetting them all is a new generation, not a
	 * clearing of the array (each KVM_RUN forgets) */
	uintptr_t wgen;
	uint64_t wepoch;		/* bumped with wgen, never wraps */
	struct cpu_wmaps wmaps;		/* cpu_host_writable()'s, this epoch */

	/*
	 * Self-hosted debug (debug.c): dbg_insn, run one instruction at a
	 * time (a breakpoint or the software step is armed); dbg_watch, a
	 * watchpoint is armed (its pages stay out of the TLB for data); the
	 * watchpoints those pages were computed for; and the step state's
	 * syndrome (ss_isv: reached by stepping an instruction, ss_ex: a
	 * load-exclusive).
	 */
	bool dbg_insn, dbg_watch;
	bool ss_isv, ss_ex;
	uint64_t dbg_wsig[8];

	/*
	 * PMUv3 (pmu.c): pmu_insn, run one instruction at a time (a counter
	 * counts an event counted per instruction); pmu_mask[k][el], the
	 * counters (bit 31: PMCCNTR_EL0) that count event kind k at EL el
	 * (EL2 on a vCPU with EL2).
	 */
	bool pmu_insn;
	uint32_t pmu_mask[PMU_K_NR][3];

	struct engine_stats st;		/* VKVM_RUN_STATS */
};

/* ---- registers and PSTATE ------------------------------------------------------ */

/* Register n, 31 read as XZR: x[CPU_XZR] is always 0 (cpu_run checks). */
static inline uint64_t xreg(const struct cpu_state *s, unsigned int n)
{
	return s->x[n];
}

static inline uint64_t *spp(struct cpu_state *s)
{
	/* M[0]: SPSel; with it, M[3] says EL2 */
	if (!(s->pstate & 1))
		return &s->sp_el0;
	return unlikely(s->pstate & 8) ? &s->sp_el2 : &s->sp_el1;
}

/* Register n read as the stack pointer when n == 31. */
static inline uint64_t xreg_sp(struct cpu_state *s, unsigned int n)
{
	return n == 31 ? *spp(s) : s->x[n];
}

static inline void set_xreg(struct cpu_state *s, unsigned int n, uint64_t v)
{
	if (n != 31)
		s->x[n] = v;
}

static inline void set_xreg_sp(struct cpu_state *s, unsigned int n, uint64_t v)
{
	if (n == 31)
		*spp(s) = v;
	else
		s->x[n] = v;
}

/*
 * Lazy NZCV (cpu_state.nzcv_op): the fused compare-and-branch entries
 * (exec_dp.c) record the operands of their subtraction instead of
 * computing NZCV, and decide the branch from the operands.  Every reader
 * of PSTATE.NZCV calls nzcv_sync() first (cond_holds(), the carry of
 * ADC/SBC, exception entry, MRS/MSR, cpu_run()'s return); every writer
 * goes through set_nzcv() or clears nzcv_op.
 */
enum { NZCV_EAGER, NZCV_SUB32, NZCV_SUB64 };

void nzcv_materialize(struct cpu_state *s);	/* exec_dp.c */

static inline void nzcv_sync(struct cpu_state *s)
{
	if (unlikely(s->nzcv_op))
		nzcv_materialize(s);
}

static inline void set_nzcv(struct cpu_state *s, uint64_t nzcv)
{
	s->pstate = (s->pstate & ~PSR_NZCV_MASK) | nzcv;
	s->nzcv_op = NZCV_EAGER;
}

extern const uint16_t cond_table[16];

static inline bool cond_holds(struct cpu_state *s, unsigned int cond)
{
	nzcv_sync(s);
	return (cond_table[cond] >> ((s->pstate >> 28) & 0xf)) & 1;
}

/* ---- exceptions (exception.c) ------------------------------------------------------ */

int raise_sync(struct cpu *c, unsigned int ec, uint32_t iss);
int raise_undef(struct cpu *c);
/* An MRS, MSR or SYS that does not complete: enum sysreg_result (cpu.h). */
int raise_sysreg_result(struct cpu *c, uint32_t insn, int result);
/* Is the MRS insn one of those with a NOPC fast form (exec_sys.c)? */
bool mrs_hot(uint32_t insn);
/* Does d run that fast form (for the translator, jit/sys.c)? */
bool mrs_hot_entry(const struct dinsn *d);
int raise_sync_far(struct cpu *c, unsigned int ec, uint32_t iss, uint64_t far);
/* A trap to EL2 with ESR_EL2 = ec, iss and ELR_EL2 = PC (a vCPU with EL2). */
int raise_sync_el2(struct cpu *c, unsigned int ec, uint32_t iss);
void engine_exit(struct cpu *c, enum cpu_exit_reason r, uint64_t esr);
void excl_clear(struct cpu *c);
/* ERET and ERETAA/ERETAB (exec_branch.c): EXEC_JUMP to target */
int exception_return(struct cpu *c, uint64_t target);
/* ELR of the current EL: what ERET returns to (EL1 or EL2) */
static inline uint64_t eret_elr(const struct cpu_state *s)
{
	return cpu_current_el(s) == 2 ? s->sysreg[SR_ELR_EL2] : s->elr_el1;
}

/* Shared instruction helpers. */
int exec_undef(struct cpu *c, const struct dinsn *d);
int raise_fp_trap(struct cpu *c, int r);	/* SYSREG_FP_ELx, SYSREG_SVE_ELx */
bool fp_access_ok(struct cpu *c);	/* false: trap taken (CPACR_EL1.FPEN) */

/* ---- FEAT_BTI (bti.c) ---------------------------------------------------------------- */
static inline bool bti_on(const struct cpu_state *s)
{
	return s->sysreg[SR_ID_AA64PFR1_EL1] & 0xf;	/* ID_AA64PFR1_EL1.BT */
}

/* PSTATE.BTYPE is not 0 at instruction w, in a guarded page or not: take
 * the Branch Target exception (false) or go on (true). */
bool bti_landing(struct cpu *c, uint32_t w, bool guarded);

/*
 * The end of an indirect branch through Xn that wrote PC (BR, BLR and
 * their PAuth forms; link: BLR*): PSTATE.BTYPE 10 for a link, 01 through
 * X16/X17 or from a page not guarded, 11 otherwise.  A target in the page
 * being run, in a chain that surely goes on to it (budget left; no
 * single-step, debug or PMU counting, which run one instruction at a
 * time): checked here (bti_landing) and EXEC_BRANCH, so that the chain
 * goes on; no boundary event can come between (the chain takes
 * interrupts only where it ends).  Otherwise EXEC_JUMP, so that the run
 * loop checks the target after the boundary's exceptions.
 */
static inline int bti_branch(struct cpu *c, unsigned int n, bool link)
{
	struct cpu_state *s = &c->state;
	struct cpu_engine *e = c->engine;
	uint64_t btype;

	if (!bti_on(s))
		return EXEC_BRANCH;
	btype = link ? 2 : (c->th_guarded && (n | 1) != 17) ? 3 : 1;
	s->pstate = (s->pstate & ~PSR_BTYPE_MASK) | btype << PSR_BTYPE_SHIFT;
	if (likely(!((s->pc ^ c->th_page_va) & (PAGE_MASK | 3))) && c->th_budget > 1 &&
	    !c->single_step && !e->dbg_insn && !e->pmu_insn) {
		uint32_t w = __atomic_load_n(&c->th_host[(s->pc >> 2) & (PAGE_SIZE / 4 - 1)],
					     __ATOMIC_RELAXED);

		return bti_landing(c, w, c->th_guarded) ? EXEC_BRANCH : EXEC_STOP;
	}
	return EXEC_JUMP;
}

/* ---- self-hosted debug (debug.c) ---------------------------------------------------- */
void dbg_update(struct cpu *c);
enum { DBG_NONE, DBG_TAKEN, DBG_EXIT };
int dbg_before_insn(struct cpu *c);
int dbg_host_brk(struct cpu *c, uint32_t insn);
int dbg_raise_brk(struct cpu *c, uint32_t imm);
void dbg_after_insn(struct cpu *c, uint32_t insn, int r);
void dbg_ss_advance(struct cpu *c, uint32_t insn);
uint64_t dbg_eret_ss(struct cpu *c, uint64_t spsr, unsigned int dest_el);
bool dbg_watch_page(const struct cpu *c, uint64_t vpage);
int dbg_watch_check(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc);
/* ...of a FEAT_NV2 VNCR-page access (8 bytes at va): ISS.VNCR, as EL2 matches */
int dbg_watch_check_nv2(struct cpu *c, uint64_t va, bool write);

/* ---- PMUv3 (pmu.c) ------------------------------------------------------------------ */
/* After step_one ran word w (returning r), begun at EL el: count its events. */
void pmu_after_insn(struct cpu *c, uint32_t w, int r, unsigned int el);

/* ---- exec_maint.c ------------------------------------------------------------------- */
void tlbi_broadcast(struct cpu *c);

#include "mem.h"
#include "mte.h"

#endif /* VKVM_CPU_INTERNAL_H */
