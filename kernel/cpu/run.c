// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's entry points and the run loop.
 *
 * The loop translates PC to a guest-physical page (through the exec side of
 * the soft TLB), finds that page's decoded instructions in a direct-mapped
 * decode cache keyed by IPA, and runs them as a threaded chain (each entry
 * calls the next, see internal.h) until an instruction jumps, the page
 * ends, or something needs the backend.  Block boundaries
 * (jumps and page ends) are where kicks, interrupts, memory-map changes and
 * broadcast TLB invalidations are noticed.
 *
 * Self-modifying and cross-modifying code: every decoded entry keeps the
 * word it was decoded from and is re-decoded when the word in memory
 * differs.  That check is one load and compare per instruction; it sees
 * writes by any vCPU and by the VMM itself (DMA, image loading), which is
 * why CTR_EL0 can advertise DIC=1 and IDC=1.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

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
	for (i = 0; i < DCACHE_SLOTS; i++)
		e->dcache[i].pa = ~0ULL;
	tlb_flush_all(cpu);
	return 0;
}

void cpu_destroy(struct cpu *cpu)
{
	struct cpu_engine *e = cpu->engine;
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < DCACHE_SLOTS; i++)
		if (e->dcache[i].page)
			munmap(e->dcache[i].page, sizeof(struct dpage));
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
	/* decoded pages stay valid (word-checked); forget which IPA they held */
	for (i = 0; i < DCACHE_SLOTS; i++)
		e->dcache[i].pa = ~0ULL;
	e->excl_valid = false;
}

/* ---- threaded dispatch (see internal.h) ---- */

/* The sentinel after a decoded page's last entry: on to the next page. */
static int thread_page_end(struct cpu *c, const struct dinsn *d)
{
	c->state.pc = c->engine->th_page_va + PAGE_SIZE;
	return EXEC_BRANCH;
}

/* The word changed since d was decoded: decode it again, then run it. */
int thread_redecode(struct cpu *c, const struct dinsn *d)
{
	uintptr_t k = (uintptr_t)d >> DINSN_TO_WORD_SHIFT;
	struct dinsn *w = (struct dinsn *)d;	/* decoded pages are writable */

	decode_insn(w, __atomic_load_n((const uint32_t *)(c->engine->th_word_bias + k),
				       __ATOMIC_RELAXED));
	return w->tfn(c, w);
}

/* The threaded entry of handlers without one of their own. */
int thread_generic(struct cpu *c, const struct dinsn *d)
{
	if (unlikely(!thread_enter(c, d)))
		return thread_redecode(c, d);
	return thread_leave(c, d, d->fn(c, d));
}

static struct dpage *dcache_page(struct cpu_engine *e, uint64_t pa)
{
	struct dcache_slot *slot = &e->dcache[(pa >> PAGE_SHIFT) % DCACHE_SLOTS];

	if (likely(slot->pa == pa))
		return slot->page;
	if (!slot->page) {
		struct dinsn zero;
		void *p = mmap(NULL, sizeof(struct dpage), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned int i;

		if (p == MAP_FAILED)
			return NULL;
		slot->page = p;
		decode_insn(&zero, 0);
		for (i = 0; i < DPAGE_INSNS; i++)
			slot->page->insn[i] = zero;
		slot->page->insn[DPAGE_INSNS].fn = thread_page_end;
		slot->page->insn[DPAGE_INSNS].tfn = thread_page_end;
	}
	/* Whatever the slot held is still a valid decode of its own words. */
	slot->pa = pa;
	return slot->page;
}

/* Take a pending, unmasked asynchronous exception; true if one was taken. */
static bool take_interrupt(struct cpu *c, uint32_t lines)
{
	struct cpu_state *s = &c->state;

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

/*
 * Taken branches that stay in the decoded page between two looks at kicks,
 * interrupts and broadcasts: bounds how late an event is noticed in a loop
 * that never leaves its page (a few microseconds) while keeping those
 * atomic loads off the path of every branch.
 */
#define BRANCH_BUDGET	64

static enum cpu_exit_reason stop(struct cpu *c, enum cpu_exit_reason r, uint64_t esr)
{
	engine_exit(c, r, esr);
	return r;
}

#define ESR_SOFTSTEP	esr_make(EC_SOFTSTP_LOW, (1u << 24) | 0x22)

enum cpu_exit_reason cpu_run(struct cpu *c)
{
	struct cpu_state *s = &c->state;
	struct cpu_engine *e = c->engine;
	struct cpu_vm *vm = c->vm;
	bool step = c->single_step;
	unsigned int stepped = 0;

	c->exit.reason = CPU_EXIT_NONE;
	if (!e)
		return stop(c, CPU_EXIT_INTERNAL, 0);
	engine_sync_vm(c);

	for (;;) {
		const uint8_t *page;
		struct dpage *dp;
		uint64_t pa, gen, page_va;
		uint32_t lines;
		unsigned int idx;
		int r;

		if (step && stepped)
			return stop(c, CPU_EXIT_DEBUG, ESR_SOFTSTEP);
		if (atomic_load_explicit(&c->kick, memory_order_relaxed) ||
		    (c->poll_exit && *c->poll_exit))
			return stop(c, CPU_EXIT_KICK, 0);
		if (unlikely(atomic_load_explicit(&vm->memmap_gen, memory_order_relaxed) !=
			     e->memmap_gen))
			engine_sync_vm(c);
		gen = atomic_load_explicit(&vm->tlbi_gen, memory_order_acquire);
		if (unlikely(gen != e->tlbi_gen)) {
			e->tlbi_gen = gen;
			tlb_flush_all(c);
		}
		lines = atomic_load_explicit(&c->irq_lines, memory_order_relaxed);
		if (unlikely(lines) && take_interrupt(c, lines)) {
			stepped++;
			continue;
		}
		if (unlikely(s->pstate & PSR_IL_BIT)) {
			raise_sync(c, EC_ILLEGAL, 0);
			stepped++;
			continue;
		}
		if (unlikely(s->pc & 3)) {
			raise_sync_far(c, EC_PC_ALIGN, 0, s->pc);
			stepped++;
			continue;
		}
		page = mem_fetch_page(c, s->pc, &pa);
		if (!page) {
			if (c->exit.reason != CPU_EXIT_NONE)
				return c->exit.reason;
			stepped++;
			continue;
		}
		dp = dcache_page(e, pa);
		if (!dp)
			return stop(c, CPU_EXIT_INTERNAL, 0);

		e->cur_tlb = e->tlb[mmu_idx_of(s, 0)];
		page_va = s->pc & PAGE_MASK;
		idx = (unsigned int)((s->pc >> 2) & (DPAGE_INSNS - 1));
		/* The page's chain context (see "threaded dispatch"); single-step
		 * needs it too: slow paths find PC with thread_sync_pc() */
		e->th_base = dp->insn;
		e->th_page_va = page_va;
		e->th_pc_bias = page_va - ((uintptr_t)dp->insn >> DINSN_TO_WORD_SHIFT);
		e->th_word_bias = (uintptr_t)page - ((uintptr_t)dp->insn >> DINSN_TO_WORD_SHIFT);
		e->th_budget = BRANCH_BUDGET;
		if (unlikely(step)) {
			struct dinsn *d = &dp->insn[idx];
			uint32_t w = __atomic_load_n((const uint32_t *)(page + 4 * idx),
						     __ATOMIC_RELAXED);
			int r;

			if (d->insn != w)
				decode_insn(d, w);
			r = d->fn(c, d);
			stepped++;
			if (r == EXEC_NEXT)
				s->pc += 4;
			else if (r == EXEC_STOP && c->exit.reason != CPU_EXIT_NONE)
				return c->exit.reason;
			continue;
		}
		/* Run the page as a chain from idx */
		r = dp->insn[idx].tfn(c, &dp->insn[idx]);
		if (r == EXEC_STOP && c->exit.reason != CPU_EXIT_NONE)
			return c->exit.reason;
	}
}
