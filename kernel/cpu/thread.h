/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decode cache (decoded pages) and threaded dispatch: how a decoded
 * page runs as a chain of entries that call each other (engine.c).
 */
#ifndef VKVM_CPU_THREAD_H
#define VKVM_CPU_THREAD_H

#include "decode.h"
#include "tlb.h"

/* ---- decode cache ------------------------------------------------------------ */

#define DPAGE_INSNS	(PAGE_SIZE / 4)
/*
 * The decode cache: DCACHE_SETS sets of DCACHE_WAYS decoded pages, a set
 * chosen by the IPA's page number, the ways of a set kept in order of
 * use (way 0 the last used), so a page missing from its set takes the
 * least recently used way's decoded page.  A decoded page is about 70 KiB
 * (struct dpage), mapped when a slot is first used.
 */
#define DCACHE_SETS	256
#define DCACHE_WAYS	4
#define DCACHE_SLOTS	(DCACHE_SETS * DCACHE_WAYS)

/*
 * insn[DPAGE_INSNS] is a sentinel whose entry ends the page's chain.  An
 * entry with fn NULL (a new page is all zeros) is not decoded yet: the
 * block check decodes it whatever word[] says.
 * word[i] is insn[i].insn, contiguous, for comparing a block's words with
 * memory; gen changes whenever an entry starts or stops ending a block,
 * which makes every cached blen stale.  lines has bit n set when a block
 * with a word in the n-th CODE_LINE bytes of the page has been checked
 * (engine.c): only a store into such a line can change code a chain is
 * running unchecked.  Bits are never cleared.
 */
#define CODE_LINE_SHIFT	6
#define CODE_LINE	(1u << CODE_LINE_SHIFT)
_Static_assert(PAGE_SIZE / CODE_LINE == 64, "one bit per line in a uint64_t");

struct dpage {
	struct dinsn insn[DPAGE_INSNS + 1];
	uint32_t word[DPAGE_INSNS];
	uint32_t gen;
	uint32_t jit_n;		/* entries with dinsn.jit set */
	uint64_t lines;
	uint64_t jit_map[DPAGE_INSNS / 64];	/* bit i: entry i's dinsn.jit */
};

/*
 * The JIT's side of a decoded page (engine.c): the threaded entry entry i
 * has without the JIT, and the undoing of every JIT entry of a page (when
 * the code buffer is emptied; a re-decoded word drops only the
 * translations that cover it, jit_redecode()).
 */
exec_fn dpage_natural_tfn(const struct dpage *dp, unsigned int i);
void dpage_jit_drop(struct dpage *dp);

/* In dcache_slot.pa: the slot held that page before cpu_flush_caches(). */
#define DCACHE_STALE	1ULL

struct dcache_slot {
	uint64_t pa;			/* IPA of the page (| DCACHE_STALE), or ~0 */
	struct dpage *page;
};


/* ---- threaded dispatch (engine.c) ------------------------------------------------------ */

/*
 * A page runs as a chain: each entry's tfn runs the semantics and
 * tail-calls the next entry's tfn; a taken branch inside the page
 * tail-calls its target while th_budget lasts.  The chain returns to
 * cpu_run() only for EXEC_JUMP, EXEC_STOP, a branch out of the page (or
 * out of budget) and the page-end sentinel (EXEC_BRANCH with PC at the
 * next page).
 *
 * Modified code is caught per block and check epoch, not per instruction.
 * A block is the run of entries from one entry up to the first that ends
 * a block (any entry but a THREADED_NOPC one: branches and generic
 * handlers).  The first time a block is entered in an epoch (th_chain) its
 * words in memory are compared with the words it was decoded from, and
 * re-decoded if they differ.  An epoch ends at every context
 * synchronization event (cpu_run() bumps th_chain after a chain that
 * returns EXEC_STOP, an exception or an exit, or that ended with th_sync
 * set: ISB, ERET), at every KVM_RUN, when the vCPU stores into its own
 * code (below) and when a decode-cache slot changes page; not at MSR, nor
 * at branches out of the page or budget refills.  That sees writes by
 * other vCPUs and by the VMM (DMA, image loading) by the next context
 * synchronization, which is all the architecture asks of cross-modified
 * code.  A store by this vCPU into a line of the page being run that holds
 * a block checked in the epoch (dpage.lines) ends the chain and the epoch
 * after the storing instruction; data sharing the page with code does not:
 * THREADED_NOPC stores check for it themselves (thread_code_written()),
 * the others through th_dirty, which every write path of mem.c sets.  So
 * CTR_EL0 can advertise DIC=1 and IDC=1 (software still follows the
 * architecture's sequence for modified code: an ISB on the executing PE).
 */
#define ALWAYS_INLINE	inline __attribute__((always_inline))

/*
 * The stack bound.  Entries call the next entry in tail position, and at
 * -O2 GCC and Clang turn those calls into jumps, but nothing obliges a
 * compiler to (ASan, -O0 and -O1 builds do not): every call into the next
 * entry therefore first compares the stack pointer with th_stack_floor,
 * THREAD_STACK_ALLOWANCE below the run loop's, and below it stores PC and
 * returns to the run loop (thread_unwind), which starts a new chain at
 * PC.  Where the calls are jumps the stack pointer never moves and the
 * check costs a compare; elsewhere a chain's stack is bounded whatever the
 * optimizer did.
 */
#define THREAD_STACK_ALLOWANCE	(64 * 1024)

static ALWAYS_INLINE uintptr_t thread_sp(void)
{
	uintptr_t sp;

#if defined(__x86_64__)
	__asm__("movq %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
	__asm__("mov %0, sp" : "=r"(sp));
#else
	sp = (uintptr_t)__builtin_frame_address(0);
#endif
	return sp;
}

/* Is the stack pointer below th_stack_floor?  (On x86-64 one compare with
 * the stack pointer as operand: this runs at every block entry.) */
static ALWAYS_INLINE bool thread_below_floor(const struct cpu *c)
{
#if defined(__x86_64__)
	__asm__ goto("cmpq %0, %%rsp\n\tjb %l[below]"
		     : : "m"(c->th_stack_floor) : "cc" : below);
	return false;
below:
	return true;
#else
	return thread_sp() < c->th_stack_floor;
#endif
}

int thread_unwind(struct cpu *c, const struct dinsn *d);

/*
 * Go on at entry d, which does not start a block: not checked, as a run of
 * such entries ends at a block entry or at the page's end (whose sentinel
 * enters the next page through thread_enter_block()), so it adds at most
 * DPAGE_INSNS frames to the bound.
 */
static ALWAYS_INLINE int thread_next(struct cpu *c, const struct dinsn *d)
{
	return d->tfn(c, d);
}

/* The threaded entries below are flattened: the semantics are inlined even
 * where the handler is also referenced from a decode table. */
int thread_block_check(struct cpu *c, const struct dinsn *d);
int thread_generic(struct cpu *c, const struct dinsn *d);
int thread_code_written(struct cpu *c, const struct dinsn *d);
/* A NOPC fast form's slow side: its row's reference ref with PC stored,
 * then thread_generic()'s self-modifying-code check (exec_ldst.c). */
int ldst_slow(struct cpu *c, const struct dinsn *d, exec_fn ref);
int thread_budget_out(struct cpu *c, const struct dinsn *t);
int thread_cross_page(struct cpu *c);

/* Enter the block starting at d: checked once per chain (see above). */
static ALWAYS_INLINE int thread_enter_block(struct cpu *c, const struct dinsn *d)
{
	if (unlikely(thread_below_floor(c)))
		return thread_unwind(c, d);
	if (unlikely(d->vchain != c->th_chain))
		return thread_block_check(c, d);
	return d->tfn(c, d);
}

/* Store d's PC into the state (also valid under single-step, see engine.c). */
static ALWAYS_INLINE void thread_sync_pc(struct cpu *c, const struct dinsn *d)
{
	c->state.pc = c->th_pc_bias + ((uintptr_t)d >> DINSN_TO_WORD_SHIFT);
}

/* Go on after d; ends_block: d ends a block, the next entry starts one. */
static ALWAYS_INLINE int thread_leave(struct cpu *c, const struct dinsn *d, int r,
				      bool ends_block)
{
	if (likely(r == EXEC_NEXT)) {
		d++;
		if (ends_block)
			return thread_enter_block(c, d);
		return thread_next(c, d);
	}
	if (r == EXEC_BRANCH) {
		uint64_t pc = c->state.pc;

		if (!((pc ^ c->th_page_va) & (PAGE_MASK | 3))) {
			d = &c->th_base[(pc >> 2) & (DPAGE_INSNS - 1)];
			if (likely(--c->th_budget))
				return thread_enter_block(c, d);
			return thread_budget_out(c, d);
		}
		return thread_cross_page(c);
	}
	return r;
}

/*
 * A taken PC-relative branch (B, B.cond, CB(N)Z, TB(N)Z) of entry d by off
 * bytes: a target in the page being run is entered directly, PC not
 * stored (as after a THREADED_NOPC entry: every way out of a chain stores
 * it); otherwise thread_cross_page(), or out of budget, back to the run
 * loop.
 */
static ALWAYS_INLINE int thread_branch_rel(struct cpu *c, const struct dinsn *d,
					   int64_t off)
{
	const struct dinsn *t = (const struct dinsn *)((uintptr_t)d +
		(uintptr_t)off * (sizeof(struct dinsn) / 4));

	if (likely((uintptr_t)t - (uintptr_t)c->th_base <
		   DPAGE_INSNS * sizeof(struct dinsn))) {
		if (likely(--c->th_budget))
			return thread_enter_block(c, t);
		return thread_budget_out(c, t);
	}
	thread_sync_pc(c, d);
	c->state.pc += (uint64_t)off;
	return thread_cross_page(c);
}

#define THREADED(name)								\
static __attribute__((flatten)) int name##_t(struct cpu *c, const struct dinsn *d) \
{										\
	thread_sync_pc(c, d);							\
	return thread_leave(c, d, name(c, d), true);				\
}

/*
 * The same for handlers that never read PC nor take an exception on their
 * fast path (register ALU, TLB-hit loads/stores): PC is not stored; their
 * slow paths store it with thread_sync_pc() before anything can read it.
 * Every way out of a chain goes through an entry that stored PC.  These
 * entries do not end a block: one that stores to memory must return
 * thread_code_written() when the store hits the page being run.
 */
#define THREADED_NOPC(name)							\
static __attribute__((flatten)) int name##_t(struct cpu *c, const struct dinsn *d) \
{										\
	return thread_leave(c, d, name(c, d), false);				\
}

#define THREAD_MAP(name)	{ name, name##_t, false }

#endif /* VKVM_CPU_THREAD_H */
