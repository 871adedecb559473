// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's entry points and the run loop.
 *
 * The loop translates PC to a guest-physical page (through the exec side of
 * the soft TLB), finds that page's decoded instructions in a set-associative
 * decode cache keyed by IPA, and runs them as a threaded chain (each entry
 * calls the next, see internal.h) until an instruction jumps, the page
 * ends, or something needs the backend.  Block boundaries
 * (jumps and page ends) are where kicks, interrupts, memory-map changes and
 * broadcast TLB invalidations are noticed.
 *
 * Self-modifying and cross-modifying code: the words of a block are
 * compared with the words it was decoded from when it is first entered
 * after a context synchronization event (see internal.h); a store by this
 * vCPU into a line of the page being run that holds checked code ends the
 * chain.  That sees writes by any vCPU and by the VMM itself (DMA, image
 * loading), which is why CTR_EL0 can advertise DIC=1 and IDC=1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"
#include "fp.h"
#include "jit/jit.h"

/*
 * Decoded pages come from one mapping per vCPU, reserved at the first miss
 * and touched only where entries are decoded: a slot keeps its page for the
 * vCPU's life, so at most DCACHE_SLOTS are ever taken.  One mapping instead
 * of one per page: a boot maps ~1,000 pages, and unmapping each at teardown
 * was a TLB shootdown each (1.5% of a boot's samples).
 */
#define DPAGE_STRIDE		((sizeof(struct dpage) + 4095) & ~(size_t)4095)
#define DPAGE_ARENA_SIZE	(DPAGE_STRIDE * DCACHE_SLOTS)

int cpu_init(struct cpu *cpu, struct cpu_vm *vm, int vcpu_id)
{
	struct cpu_engine *e;
	unsigned int i;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	cpu->vm = vm;
	cpu->vcpu_id = vcpu_id;
	cpu->engine = e;
	e->sev_seen = atomic_load(&vm->sev_gen);
	e->tlb = &e->tlbs[0];
	cpu->cur_tlb = e->tlb->tlb[MMU_EL1];
	cpu->th_base = NULL;
	cpu->th_host = NULL;
	cpu->th_chain = 1;		/* no block's vchain (0 when decoded) */
	cpu->pmu_n = CPU_PMU_COUNTERS;
	cpu->th_dirty = false;
	cpu->th_sync = false;
	for (i = 0; i < DCACHE_SLOTS; i++)
		e->dcache[i].pa = ~0ULL;
	for (i = 0; i < TLB_SETS; i++) {	/* calloc's zeros: rewrite it all */
		e->tlbs[i].nfilled = TLB_FILL_LOG + 1;
		e->tlbs[i].arrays = (1u << MMU_NR) - 1;
	}
	tlb_flush_all(cpu);
	e->jit = jit_create();		/* NULL with VKVM_JIT=0 */
	return 0;
}

/* VKVM_RUN_STATS=1: the run loop's and the TLB's counts (internal.h). */
static void engine_stats_print(const struct cpu_engine *e, int vcpu_id)
{
	const struct engine_stats *s = &e->st;
	const char *v = getenv("VKVM_RUN_STATS");
	uint64_t big = 0;
	unsigned int i;

	if (!v || strcmp(v, "1"))
		return;
	for (i = 0; i < TLB_SETS; i++)
		big += e->tlbs[i].big_empty;
	fprintf(stderr, "vkvm: run vcpu %d: %llu loops (%llu new epochs; %llu branch, %llu jump "
		"(%llu sync), %llu stop), "
		"%llu cross-page (%llu sentinel; back to loop: %llu tlb, %llu events, "
		"%llu dcache), %llu block checks, %llu redecoded, %llu words decoded, "
		"dcache %llu misses %llu evictions\n", vcpu_id,
		(unsigned long long)s->loops, (unsigned long long)s->resyncs,
		(unsigned long long)s->loop_branch, (unsigned long long)s->loop_jump,
		(unsigned long long)s->jump_sync, (unsigned long long)s->loop_stop,
		(unsigned long long)s->cross, (unsigned long long)s->page_end,
		(unsigned long long)s->cross_tlb, (unsigned long long)s->cross_events,
		(unsigned long long)s->cross_dcache, (unsigned long long)s->checks,
		(unsigned long long)s->redecodes, (unsigned long long)s->decodes,
		(unsigned long long)s->dc_miss, (unsigned long long)s->dc_evict);
	fprintf(stderr, "vkvm: tlb vcpu %d: fills el0 %llu el1 %llu el1pan %llu el2 %llu "
		"el2pan %llu (%llu fetch, %llu over another page), %llu walks, "
		"%llu global copies, %llu flush-all, %llu set switches (%llu emptied), "
		"tlbi %llu va %llu asid %llu all, %llu whole-array empties\n", vcpu_id,
		(unsigned long long)s->fills[MMU_EL0], (unsigned long long)s->fills[MMU_EL1],
		(unsigned long long)s->fills[MMU_EL1_PAN], (unsigned long long)s->fills[MMU_EL2],
		(unsigned long long)s->fills[MMU_EL2_PAN], (unsigned long long)s->fill_fetch,
		(unsigned long long)s->fill_conflict, (unsigned long long)s->walks,
		(unsigned long long)s->global_copies, (unsigned long long)s->flush_all,
		(unsigned long long)s->set_switch, (unsigned long long)s->set_evict,
		(unsigned long long)s->tlbi_va, (unsigned long long)s->tlbi_asid,
		(unsigned long long)s->tlbi_all, (unsigned long long)big);
}

void cpu_destroy(struct cpu *cpu)
{
	struct cpu_engine *e = cpu->engine;

	if (!e)
		return;
	engine_stats_print(e, cpu->vcpu_id);
	jit_destroy(e->jit, cpu->vcpu_id);
	if (e->dpage_arena)
		munmap(e->dpage_arena, DPAGE_ARENA_SIZE);
	cpu_wmaps_free(&e->wmaps);
	free(e);
	cpu->engine = NULL;
}

void cpu_flush_tlb(struct cpu *cpu)
{
	if (cpu->engine)
		tlb_flush_all(cpu);
}

void cpu_flush_caches(struct cpu *cpu)
{
	struct cpu_engine *e = cpu->engine;
	unsigned int i;

	if (!e)
		return;
	tlb_flush_all(cpu);
	/* decoded pages stay valid (word-checked); forget which IPA they held,
	 * but let that IPA take its old slot back (dcache_page()) */
	for (i = 0; i < DCACHE_SLOTS; i++)
		e->dcache[i].pa |= DCACHE_STALE;
	e->excl_valid = false;
}

/* ---- threaded dispatch (see internal.h) ---- */

/* The sentinel after a decoded page's last entry: on to the next page. */
static int thread_page_end(struct cpu *c, const struct dinsn *d)
{
	c->state.pc = c->th_page_va + PAGE_SIZE;
	c->engine->st.page_end++;
	return thread_cross_page(c);
}

/*
 * Entry i's threaded entry given the entry after it: a compare directly
 * followed by B.cond or CSEL runs fused with it (exec_dp.c, dp_fuse()).
 * Does not change whether entry i ends a block.
 */
static void dpage_fuse(struct dpage *dp, unsigned int i)
{
	struct dinsn *d = &dp->insn[i];
	exec_fn f = NULL;

	if (i + 1 >= DPAGE_INSNS || !dp_fusable(d->fn))
		return;				/* never fused */
	if (d->jit)
		return;	/* a counting entry: it runs dpage_natural_tfn() */
	if (dp->insn[i + 1].fn && dp->insn[i + 1].insn == dp->word[i + 1])	/* decoded */
		f = dp_fuse(d, dp->word[i + 1]);
	d->tfn = f ? f : decode_tfn(d->fn);
}

/* The threaded entry of entry i without the JIT: its own or fused. */
exec_fn dpage_natural_tfn(const struct dpage *dp, unsigned int i)
{
	const struct dinsn *d = &dp->insn[i];
	exec_fn f = NULL;

	if (i < DPAGE_INSNS && i + 1 < DPAGE_INSNS && dp_fusable(d->fn) &&
	    dp->insn[i + 1].fn && dp->insn[i + 1].insn == dp->word[i + 1])
		f = dp_fuse(d, dp->word[i + 1]);
	return f ? f : decode_tfn(d->fn);
}

/* Every JIT entry of dp back to its natural one (the JIT's code buffer
 * is being emptied). */
void dpage_jit_drop(struct dpage *dp)
{
	unsigned int i;

	for (i = 0; i < DPAGE_INSNS; i++) {
		struct dinsn *d = &dp->insn[i];

		if (!d->jit)
			continue;
		d->jit = false;
		d->jcount = 0;
		d->tfn = dpage_natural_tfn(dp, i);
	}
	dp->jit_n = 0;
	memset(dp->jit_map, 0, sizeof(dp->jit_map));
}

/* Decode word w into entry i of dp; with the JIT, the translations that
 * cover entry i are dropped first (jit_redecode()), the others stay. */
static void dpage_decode(struct cpu *c, struct dpage *dp, unsigned int i, uint32_t w)
{
	struct dinsn *d = &dp->insn[i];
	bool was = d->bend;

	c->engine->st.decodes++;
	if (unlikely(c->engine->jit))
		jit_redecode(c->engine->jit, dp, i);
	decode_insn(d, w);
	d->bend = decode_tfn_ends_block(d->tfn);
	dp->word[i] = w;
	if (d->bend != was && !++dp->gen)
		dp->gen = 1;		/* 0 is never a page's gen */
	dpage_fuse(dp, i);
	if (i)
		dpage_fuse(dp, i - 1);	/* its fusion depends on this word */
}

/* Are n words of guest code at m still the words w they were decoded from?
 * m and w are equally aligned (page and dpage.word both 8-byte aligned):
 * two words per 64-bit load. */
static ALWAYS_INLINE bool block_words_same(const uint32_t *m, const uint32_t *w,
					   unsigned int n)
{
	uint64_t x = 0, a;
	unsigned int j = 0;

	if (n && ((uintptr_t)m & 4)) {
		x = __atomic_load_n(m, __ATOMIC_RELAXED) ^ w[0];
		j = 1;
	}
	for (; j + 2 <= n; j += 2) {
		memcpy(&a, w + j, sizeof(a));
		x |= __atomic_load_n((const uint64_t *)(const void *)(m + j),
				     __ATOMIC_RELAXED) ^ a;
	}
	if (j < n)
		x |= __atomic_load_n(&m[j], __ATOMIC_RELAXED) ^ w[j];
	return !x;
}

/* Note that the n words from entry i hold checked code (dpage.lines). */
static ALWAYS_INLINE void dpage_mark_lines(struct dpage *dp, unsigned int i,
					   unsigned int n)
{
	unsigned int first = i >> (CODE_LINE_SHIFT - 2);
	unsigned int last = (i + n - 1) >> (CODE_LINE_SHIFT - 2);

	dp->lines |= ((2ULL << last) - 1) & ~((1ULL << first) - 1);
}

/* The words of the block starting at entry i changed (or its length is
 * stale): re-decode the ones that changed, finding where it now ends. */
static __attribute__((noinline)) int thread_block_redecode(struct cpu *c,
							   struct dpage *dp,
							   unsigned int i)
{
	struct dinsn *b = &dp->insn[i];
	unsigned int j;

	c->engine->st.redecodes++;
	for (j = i;; j++) {
		uint32_t w = __atomic_load_n(&c->th_host[j], __ATOMIC_RELAXED);

		if (w != dp->word[j] || unlikely(!dp->insn[j].fn))
			dpage_decode(c, dp, j, w);
		if (j == DPAGE_INSNS - 1 || dp->insn[j].bend)
			break;
	}
	/*
	 * A block checked earlier in this epoch that overlaps this one can
	 * only have changed extent if its own words changed since its check,
	 * i.e. if another vCPU or the VMM modified them: that code may run
	 * stale until the next context synchronization, as the architecture
	 * allows, and every entry is a valid decode of some word.
	 */
	b->blen = j - i + 1;
	dpage_mark_lines(dp, i, b->blen);
	b->bgen = dp->gen;
	b->vchain = c->th_chain;
	if (unlikely(c->engine->jit))
		jit_block_checked(c, dp, i);
	return b->tfn(c, b);
}

/*
 * First entry of this chain into the block starting at d: compare its words
 * with memory, re-decode the ones that changed (finding where the block now
 * ends), then run it.
 */
int thread_block_check(struct cpu *c, const struct dinsn *d)
{
	struct dpage *dp = (struct dpage *)(void *)c->th_base;
	unsigned int i = (unsigned int)(d - dp->insn);
	uint32_t gen = dp->gen;
	struct dinsn *b;

	if (i == DPAGE_INSNS)		/* the sentinel */
		return d->tfn(c, d);
	c->engine->st.checks++;
	b = &dp->insn[i];
	if (b->bgen == gen && likely(block_words_same(c->th_host + i, dp->word + i, b->blen))) {
		dpage_mark_lines(dp, i, b->blen);
		b->vchain = c->th_chain;
		if (unlikely(c->engine->jit))
			jit_block_checked(c, dp, i);
		return b->tfn(c, b);
	}
	return thread_block_redecode(c, dp, i);
}

/* The threaded entry of handlers without one of their own: a store into
 * the page being run ends the chain after it. */
int thread_generic(struct cpu *c, const struct dinsn *d)
{
	int r;

	thread_sync_pc(c, d);
	r = d->fn(c, d);
	if (unlikely(c->th_dirty)) {
		c->th_dirty = false;
		c->th_sync = true;
		if (r == EXEC_NEXT)
			c->state.pc += 4;
		return r == EXEC_STOP ? r : EXEC_JUMP;
	}
	return thread_leave(c, d, r, true);
}

/* A THREADED_NOPC store after d wrote to the page being run: end the chain,
 * so that the next instruction is checked before it runs. */
int thread_code_written(struct cpu *c, const struct dinsn *d)
{
	c->th_dirty = false;
	c->th_sync = true;
	thread_sync_pc(c, d);
	c->state.pc += 4;
	return EXEC_JUMP;
}

/*
 * Taken branches that stay in the decoded page between two looks at kicks,
 * interrupts and broadcasts: bounds how late an event is noticed in a loop
 * that never leaves its page (a few microseconds) while keeping those
 * atomic loads off the path of every branch.
 */
#define BRANCH_BUDGET	64

/* The backend's countdown to a look at pending signals: spent, a kick. */
static ALWAYS_INLINE bool sig_poll_due(struct cpu *c)
{
	if (likely(!c->sig_poll_left) || --c->sig_poll_left)
		return false;
	atomic_store_explicit(&c->kick, 1, memory_order_relaxed);
	return true;
}

/* Has the run loop something to look at: a kick, a pending interrupt
 * line, a memory-map change, a broadcast TLB invalidation? */
static ALWAYS_INLINE bool thread_events(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	struct cpu_vm *vm = c->vm;

	return sig_poll_due(c) ||
	       atomic_load_explicit(&c->kick, memory_order_relaxed) ||
	       (c->poll_exit && *c->poll_exit) ||
	       atomic_load_explicit(&vm->memmap_gen, memory_order_relaxed) != e->memmap_gen ||
	       atomic_load_explicit(&vm->tlbi_gen, memory_order_relaxed) != e->tlbi_gen ||
	       atomic_load_explicit(&c->irq_lines, memory_order_relaxed);
}

/* The stack bound was reached (internal.h): back to the run loop, PC at d. */
__attribute__((noinline, cold)) int thread_unwind(struct cpu *c, const struct dinsn *d)
{
	thread_sync_pc(c, d);
	return EXEC_BRANCH;
}

/*
 * A taken branch to entry t of the page being run found the budget spent:
 * if the run loop has nothing to look at (no kick, no pending interrupt
 * line, no memory-map change, no broadcast TLB invalidation), refill the
 * budget and go on in the chain, which spares the run loop's translation
 * of PC and the re-check of every block; otherwise back to the run loop
 * with PC at t.
 */
int thread_budget_out(struct cpu *c, const struct dinsn *t)
{
	if (thread_events(c)) {
		thread_sync_pc(c, t);
		return EXEC_BRANCH;
	}
	c->th_budget = BRANCH_BUDGET;
	return thread_enter_block(c, t);
}

/* The set of the decode cache that holds IPA pa's page, if it is cached. */
static ALWAYS_INLINE struct dcache_slot *dcache_set(struct cpu_engine *e, uint64_t pa)
{
	return &e->dcache[((pa >> PAGE_SHIFT) % DCACHE_SETS) * DCACHE_WAYS];
}

/* The decoded page of IPA pa, made its set's most recently used, or NULL. */
static ALWAYS_INLINE struct dpage *dcache_lookup(struct cpu_engine *e, uint64_t pa)
{
	struct dcache_slot *set = dcache_set(e, pa), hit;
	unsigned int w;

	if (likely(set[0].pa == pa))
		return set[0].page;
	for (w = 1; w < DCACHE_WAYS; w++)
		if (set[w].pa == pa) {
			hit = set[w];
			memmove(&set[1], &set[0], w * sizeof(*set));
			set[0] = hit;
			return hit.page;
		}
	return NULL;
}

/*
 * A branch or the fall-through out of the page being run, PC stored: when
 * the run loop has nothing to look at, PC's page is in the exec side of
 * the TLB and its decoded page in the decode cache, go on there in the
 * chain (what the run loop would do, without its re-translation);
 * otherwise back to the run loop.
 */
int thread_cross_page(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	uint64_t pc = c->state.pc;
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, 0), pc);
	struct dpage *dp;

	e->st.cross++;
	if (unlikely(t->tag_x != (pc & PAGE_MASK) || (pc & 3))) {
		e->st.cross_tlb++;
		return EXEC_BRANCH;	/* the run loop faults a misaligned PC */
	}
	if (thread_events(c)) {
		e->st.cross_events++;
		return EXEC_BRANCH;
	}
	dp = dcache_lookup(e, t->pa);
	if (unlikely(!dp)) {
		e->st.cross_dcache++;
		return EXEC_BRANCH;
	}
	c->th_base = dp->insn;
	c->th_page_va = pc & PAGE_MASK;
	c->th_pc_bias = c->th_page_va - ((uintptr_t)dp->insn >> DINSN_TO_WORD_SHIFT);
	c->th_host = (const uint32_t *)(uintptr_t)(c->th_page_va + t->addend);
	c->th_guarded = t->attrs & TLBA_GUARDED;
	return thread_enter_block(c, &dp->insn[(pc >> 2) & (DPAGE_INSNS - 1)]);
}

static struct dpage *dcache_page(struct cpu *c, uint64_t pa)
{
	struct cpu_engine *e = c->engine;
	struct dcache_slot *set = dcache_set(e, pa), *slot = &set[0], victim;
	struct dpage *dp = dcache_lookup(e, pa);
	unsigned int w;

	if (likely(dp))
		return dp;
	e->st.dc_miss++;
	/* the way that held the page before cpu_flush_caches(), else the
	 * least recently used one, takes it, as way 0 */
	for (w = 0; w < DCACHE_WAYS - 1 && set[w].pa != (pa | DCACHE_STALE); w++)
		;
	victim = set[w];
	if (victim.page && !(victim.pa & DCACHE_STALE) && victim.pa != ~0ULL)
		e->st.dc_evict++;
	memmove(&set[1], &set[0], w * sizeof(*set));
	*slot = victim;
	c->th_chain++;		/* the slot's blocks were checked as another page */
	if (!slot->page) {
		/* zeros: no entry decoded yet (fn NULL, thread.h), so that only
		 * the parts of the page that run are ever written */
		if (!e->dpage_arena) {
			void *p = mmap(NULL, DPAGE_ARENA_SIZE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				       -1, 0);

			if (p == MAP_FAILED)
				return NULL;
			e->dpage_arena = p;
		}
		if (e->dpages == DCACHE_SLOTS)	/* each slot takes one page, once */
			return NULL;
		slot->page = (struct dpage *)(void *)(e->dpage_arena +
						       (size_t)e->dpages++ * DPAGE_STRIDE);
		slot->page->gen = 1;	/* every bgen is 0: blocks unknown */
		slot->page->insn[DPAGE_INSNS].fn = thread_page_end;
		slot->page->insn[DPAGE_INSNS].tfn = thread_page_end;
		slot->page->insn[DPAGE_INSNS].bgen = 0;
	}
	/* Whatever the slot held is still a valid decode of its own words. */
	slot->pa = pa;
	return slot->page;
}

/*
 * With EL2: may a physical interrupt that HCR_EL2 routes to EL2 when
 * route (or TGE) is set, masked by PSTATE bit mask, be taken now?  To an
 * EL above the current one it is never masked; to EL1 it never is taken
 * at EL2.  *to says where it goes.
 */
static bool phys_takeable(const struct cpu_state *s, uint64_t hcr, uint64_t route,
			  uint64_t mask, unsigned int *to)
{
	unsigned int el = cpu_current_el(s);

	*to = (hcr & (route | HCR_TGE)) ? 2 : 1;
	if (el < *to)
		return true;
	return el == *to && !(s->pstate & mask);
}

/*
 * take_interrupt() on a vCPU with EL2 whose HCR_EL2 is not 0: physical
 * interrupts routed by IMO/FMO/AMO (and TGE), then the virtual ones
 * HCR_EL2.VI/VF/VSE raise at EL1 and EL0 (with IMO/FMO/AMO, without TGE).
 */
static bool take_interrupt_el2(struct cpu *c, uint32_t lines, uint64_t hcr)
{
	struct cpu_state *s = &c->state;
	unsigned int to;

	if ((lines & CPU_IRQ_VSERR) && phys_takeable(s, hcr, HCR_AMO, PSR_A_BIT, &to)) {
		atomic_fetch_and(&c->irq_lines, ~CPU_IRQ_VSERR);
		cpu_take_exception_to(s, to, CPU_VEC_SERROR,
				      esr_make(EC_SERROR, (uint32_t)(c->vserror_esr & 0x1ffffff)),
				      0, false);
		return true;
	}
	if ((lines & CPU_IRQ_FIQ) && phys_takeable(s, hcr, HCR_FMO, PSR_F_BIT, &to)) {
		cpu_take_exception_to(s, to, CPU_VEC_FIQ, 0, 0, false);
		return true;
	}
	if ((lines & CPU_IRQ_IRQ) && phys_takeable(s, hcr, HCR_IMO, PSR_I_BIT, &to)) {
		cpu_take_exception_to(s, to, CPU_VEC_IRQ, 0, 0, false);
		return true;
	}
	if (cpu_current_el(s) == 2 || (hcr & HCR_TGE))
		return false;
	if ((hcr & (HCR_AMO | HCR_VSE)) == (HCR_AMO | HCR_VSE) && !(s->pstate & PSR_A_BIT)) {
		/* the virtual SError is consumed: VSE clears; its ISS is VSESR_EL2's */
		s->sysreg[SR_HCR_EL2] &= ~HCR_VSE;
		cpu_hcr_changed(c);
		cpu_take_exception_to(s, 1, CPU_VEC_SERROR,
				      esr_make(EC_SERROR,
					       (uint32_t)(s->sysreg[SR_VSESR_EL2] & 0x1ffffff)),
				      0, false);
		return true;
	}
	/* VF/VI, or the GIC's virtual CPU interface (CPU_IRQ_VFIQ/VIRQ) */
	if ((hcr & HCR_FMO) && ((hcr & HCR_VF) || (lines & CPU_IRQ_VFIQ)) &&
	    !(s->pstate & PSR_F_BIT)) {
		cpu_take_exception_to(s, 1, CPU_VEC_FIQ, 0, 0, false);
		return true;
	}
	if ((hcr & HCR_IMO) && ((hcr & HCR_VI) || (lines & CPU_IRQ_VIRQ)) &&
	    !(s->pstate & PSR_I_BIT)) {
		cpu_take_exception_to(s, 1, CPU_VEC_IRQ, 0, 0, false);
		return true;
	}
	return false;
}

/* HCR_EL2 was written: CPU_IRQ_HCRV says whether VI, VF or VSE is set. */
void cpu_hcr_changed(struct cpu *c)
{
	if (c->state.sysreg[SR_HCR_EL2] & (HCR_VI | HCR_VF | HCR_VSE))
		atomic_fetch_or(&c->irq_lines, CPU_IRQ_HCRV);
	else if (atomic_load_explicit(&c->irq_lines, memory_order_relaxed) & CPU_IRQ_HCRV)
		atomic_fetch_and(&c->irq_lines, ~CPU_IRQ_HCRV);
}

/* Take a pending, unmasked asynchronous exception; true if one was taken. */
static bool take_interrupt(struct cpu *c, uint32_t lines)
{
	struct cpu_state *s = &c->state;
	uint64_t hcr = s->sysreg[SR_HCR_EL2];	/* 0 without EL2 */

	if (hcr)
		return take_interrupt_el2(c, lines, hcr);
	if ((lines & CPU_IRQ_VSERR) && !(s->pstate & PSR_A_BIT)) {
		atomic_fetch_and(&c->irq_lines, ~CPU_IRQ_VSERR);
		cpu_take_exception(s, CPU_VEC_SERROR,
				   esr_make(EC_SERROR, (uint32_t)(c->vserror_esr & 0x1ffffff)),
				   0, false);
		return true;
	}
	if ((lines & CPU_IRQ_FIQ) && !(s->pstate & PSR_F_BIT)) {
		cpu_take_exception(s, CPU_VEC_FIQ, 0, 0, false);
		return true;
	}
	if ((lines & CPU_IRQ_IRQ) && !(s->pstate & PSR_I_BIT)) {
		cpu_take_exception(s, CPU_VEC_IRQ, 0, 0, false);
		return true;
	}
	return false;
}

static enum cpu_exit_reason stop(struct cpu *c, enum cpu_exit_reason r, uint64_t esr)
{
	engine_exit(c, r, esr);
	return r;
}

#define ESR_SOFTSTEP	esr_make(EC_SOFTSTP_LOW, (1u << 24) | 0x22)

static enum cpu_exit_reason run_loop(struct cpu *c);

enum cpu_exit_reason cpu_run(struct cpu *c)
{
	enum cpu_exit_reason r;

	/* pairs with the backend's reclaim: it sees us, or we see its memmap */
	atomic_store(&c->memmap_busy, 1);
	atomic_thread_fence(memory_order_seq_cst);
	r = run_loop(c);
	atomic_store_explicit(&c->memmap_busy, 0, memory_order_release);

	nzcv_sync(&c->state);		/* NZCV is never lazy outside */
	fp_host_leave();		/* the host's default FP environment */
	return r;
}

/*
 * run_loop()'s steps between chains.  LOOP_RUN: go on; LOOP_TAKEN: an
 * exception was taken at the instruction boundary (a step, for
 * single-step); LOOP_EXIT: return c->exit.reason.
 */
enum loop_step { LOOP_RUN, LOOP_TAKEN, LOOP_EXIT };

static ALWAYS_INLINE enum loop_step loop_exit(struct cpu *c,
					      enum cpu_exit_reason r, uint64_t esr)
{
	stop(c, r, esr);
	return LOOP_EXIT;
}

/*
 * At an instruction boundary before a chain: the exits owed (an engine bug,
 * a single step done, a kick), the VM's memmap and TLB generations, then
 * the exceptions taken there (an interrupt, PSTATE.IL, a misaligned PC).
 */
static ALWAYS_INLINE enum loop_step loop_boundary(struct cpu *c, bool step,
						  unsigned int stepped)
{
	struct cpu_state *s = &c->state;
	struct cpu_engine *e = c->engine;
	struct cpu_vm *vm = c->vm;
	uint64_t gen;
	uint32_t lines;

	if (unlikely(s->x[CPU_XZR])) {
		/* an engine bug: a handler wrote register 31 as a GPR */
		s->x[CPU_XZR] = 0;
		return loop_exit(c, CPU_EXIT_INTERNAL, 0);
	}
	if (step && stepped)
		return loop_exit(c, CPU_EXIT_DEBUG, ESR_SOFTSTEP);
	if (sig_poll_due(c) || atomic_load_explicit(&c->kick, memory_order_relaxed) ||
	    (c->poll_exit && *c->poll_exit))
		return loop_exit(c, CPU_EXIT_KICK, 0);
	if (unlikely(atomic_load_explicit(&vm->memmap_gen, memory_order_relaxed) !=
		     e->memmap_gen))
		engine_sync_vm(c);
	gen = atomic_load_explicit(&vm->tlbi_gen, memory_order_acquire);
	if (unlikely(gen != e->tlbi_gen)) {
		e->tlbi_gen = gen;
		tlb_flush_all(c);
	}
	lines = atomic_load_explicit(&c->irq_lines, memory_order_relaxed);
	if (unlikely(lines) && take_interrupt(c, lines))
		return LOOP_TAKEN;
	if (unlikely(s->pstate & PSR_IL_BIT)) {
		raise_sync(c, EC_ILLEGAL, 0);
		return LOOP_TAKEN;
	}
	if (unlikely(s->pc & 3)) {
		raise_sync_far(c, EC_PC_ALIGN, 0, s->pc);
		return LOOP_TAKEN;
	}
	return LOOP_RUN;
}

/*
 * The page at PC, fetched and decoded (*page, *dp): LOOP_TAKEN if the
 * fetch took an exception.
 */
static ALWAYS_INLINE enum loop_step loop_fetch(struct cpu *c, const uint8_t **page,
					       struct dpage **dp)
{
	uint64_t pa;

	*page = mem_fetch_page(c, c->state.pc, &pa);
	if (!*page)
		return c->exit.reason != CPU_EXIT_NONE ? LOOP_EXIT : LOOP_TAKEN;
	*dp = dcache_page(c, pa);
	if (!*dp)
		return loop_exit(c, CPU_EXIT_INTERNAL, 0);
	return LOOP_RUN;
}

/* The page's chain context (see "threaded dispatch"); single-step needs it
 * too: slow paths find PC with thread_sync_pc() */
static ALWAYS_INLINE void chain_context(struct cpu *c, struct dpage *dp,
				       const uint8_t *page, bool resync)
{
	uint64_t page_va = c->state.pc & PAGE_MASK;
	struct tlb_entry *tlb = c->engine->tlb->tlb[mmu_idx_of(&c->state, 0)];

	c->cur_tlb = tlb;
	/* loop_fetch() left the page's exec entry there */
	c->th_guarded = tlb[(page_va >> PAGE_SHIFT) & (TLB_SIZE - 1)].attrs & TLBA_GUARDED;
	c->th_base = dp->insn;
	c->th_page_va = page_va;
	c->th_pc_bias = page_va - ((uintptr_t)dp->insn >> DINSN_TO_WORD_SHIFT);
	c->th_host = (const uint32_t *)(const void *)page;
	c->th_budget = BRANCH_BUDGET;
	if (resync)
		c->th_chain++;
	c->th_dirty = false;
}

/*
 * Single-step (KVM_GUESTDBG_SINGLESTEP), self-hosted debug (debug.c) and
 * PMU counting (pmu.c): the instruction at idx alone, revalidated against
 * its word, with the debug checks at its boundaries when a breakpoint or
 * the software step is armed, its events counted when a PMU counter
 * counts them.  LOOP_EXIT if it stopped with an exit.
 */
static ALWAYS_INLINE enum loop_step step_one(struct cpu *c, struct dpage *dp,
					      const uint8_t *page, unsigned int idx)
{
	struct dinsn *d = &dp->insn[idx];
	uint32_t w = __atomic_load_n((const uint32_t *)(page + 4 * idx),
				     __ATOMIC_RELAXED);
	bool dbg = c->engine->dbg_insn;
	unsigned int el = cpu_current_el(&c->state);
	int r;

	if (dbg) {
		r = dbg_before_insn(c);
		if (r != DBG_NONE)
			return r == DBG_EXIT ? LOOP_EXIT : LOOP_TAKEN;
	}
	if (unlikely(c->state.pstate & PSR_BTYPE_MASK) &&
	    !bti_landing(c, w, c->th_guarded))
		return LOOP_TAKEN;
	if (dp->word[idx] != w || unlikely(!d->fn))
		dpage_decode(c, dp, idx, w);
	r = d->fn(c, d);
	if (r == EXEC_NEXT)
		c->state.pc += 4;
	if (dbg)
		dbg_after_insn(c, w, r);
	if (c->engine->pmu_insn)
		pmu_after_insn(c, w, r, el);
	if (r == EXEC_STOP && c->exit.reason != CPU_EXIT_NONE)
		return LOOP_EXIT;
	return LOOP_TAKEN;
}

/*
 * PSTATE.BTYPE is set (an indirect branch or ERET ended the last chain):
 * the Branch Target check of the instruction at idx (bti.c), after the
 * exceptions of the boundary and of the fetch.
 */
static enum loop_step loop_landing(struct cpu *c, const uint8_t *page, unsigned int idx)
{
	uint32_t w = __atomic_load_n((const uint32_t *)(const void *)(page + 4 * idx),
				     __ATOMIC_RELAXED);

	return bti_landing(c, w, c->th_guarded) ? LOOP_RUN : LOOP_TAKEN;
}

static enum cpu_exit_reason run_loop(struct cpu *c)
{
	bool step = c->single_step;
	bool same_epoch = false;	/* no context synchronization since the
					 * last chain (see "the check epoch") */
	unsigned int stepped = 0;

	c->exit.reason = CPU_EXIT_NONE;
	if (!c->engine)
		return stop(c, CPU_EXIT_INTERNAL, 0);
	engine_sync_vm(c);
	cpu_hcr_changed(c);	/* ONE_REG and reset write HCR_EL2 directly */
	cpu_tlb_context(c);	/* and VTTBR_EL2, the TTBRs (their ASIDs) */
	dbg_update(c);		/* ONE_REG and reset write debug state directly */
	/* and PMU state; with PMCR_EL0.E and MDCR_EL2.HPME clear and nothing
	 * raised, nothing to do */
	if ((c->state.sysreg[SR_PMCR_EL0] & PMCR_E) ||
	    (c->state.sysreg[SR_MDCR_EL2] & MDCR_EL2_HPME) || c->engine->pmu_insn ||
	    c->pmu_irq_level)
		cpu_pmu_update(c);
	c->th_stack_floor = thread_sp() - THREAD_STACK_ALLOWANCE;

	for (;;) {
		const uint8_t *page;
		struct dpage *dp;
		unsigned int idx;
		bool resync = !same_epoch;
		enum loop_step ls;
		int r;

		same_epoch = false;
		ls = loop_boundary(c, step, stepped);
		if (likely(ls == LOOP_RUN))
			ls = loop_fetch(c, &page, &dp);
		if (likely(ls == LOOP_RUN)) {
			chain_context(c, dp, page, resync);
			idx = (unsigned int)((c->state.pc >> 2) & (DPAGE_INSNS - 1));
			if (unlikely(step || c->engine->dbg_insn || c->engine->pmu_insn))
				ls = step_one(c, dp, page, idx);
			else if (unlikely(c->state.pstate & PSR_BTYPE_MASK))
				ls = loop_landing(c, page, idx);
		}
		if (ls == LOOP_EXIT)
			return c->exit.reason;
		if (ls == LOOP_TAKEN) {
			stepped++;
			continue;
		}
		/* Run the page as a chain from idx */
		c->engine->st.loops++;
		c->engine->st.resyncs += resync;
		r = thread_enter_block(c, &dp->insn[idx]);
		if (r == EXEC_BRANCH)
			c->engine->st.loop_branch++;
		else if (r == EXEC_JUMP) {
			c->engine->st.loop_jump++;
			c->engine->st.jump_sync += c->th_sync;
		}
		else
			c->engine->st.loop_stop++;
		/* EXEC_JUMP without th_sync: an MSR, not an ISB or ERET */
		same_epoch = (r == EXEC_BRANCH || r == EXEC_JUMP) && !c->th_sync;
		c->th_sync = false;
		if (r == EXEC_STOP && c->exit.reason != CPU_EXIT_NONE)
			return c->exit.reason;
	}
}
