/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Engine-private definitions shared by the files of kernel/cpu/: decoded
 * instructions, the soft TLB, the engine context and small helpers that
 * every instruction class uses.
 */
#ifndef VKVM_CPU_INTERNAL_H
#define VKVM_CPU_INTERNAL_H

#include <stdatomic.h>
#include <string.h>

#include "cpu.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Bits hi..lo of an instruction word. */
#define FIELD(w, hi, lo)	(((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(w, n)		(((w) >> (n)) & 1u)

static inline int64_t sext(uint64_t v, unsigned int bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* ---- decoded instructions -------------------------------------------------- */

struct dinsn;

/*
 * An instruction's semantics.  Returns EXEC_NEXT to fall through to the next
 * instruction (the loop advances PC), EXEC_BRANCH when a plain branch wrote
 * PC (no context change: the loop may stay in the decoded page), EXEC_JUMP
 * when PC has been written and context may have changed (MSR, ERET, ISB),
 * EXEC_STOP when an exception was taken (PC is the vector) or, if
 * cpu->exit.reason is set, the engine must return to the backend.
 */
typedef int (*exec_fn)(struct cpu *c, const struct dinsn *d);

enum { EXEC_NEXT, EXEC_JUMP, EXEC_STOP, EXEC_BRANCH };

/*
 * A decoded instruction.  fn is its semantics; tfn its threaded entry (see
 * "threaded dispatch" below), which checks the word, runs fn and goes on to
 * the next entry itself.  64 bytes each, so that an entry's offset in its
 * decoded page shifted right by 4 is the offset of its word in the page.
 */
struct dinsn {
	exec_fn fn;
	exec_fn tfn;
	uint32_t insn;		/* the word this was decoded from */
	uint8_t rd, rn, rm, ra;	/* Rd/Rt, Rn, Rm/Rs, Ra/Rt2 */
	int64_t imm;		/* immediate, decoded */
	uint64_t aux;		/* class-specific: access syndrome, mask, descriptor */
	/*
	 * The block that starts here (run.c): blen words up to and including
	 * the first entry that ends a block, valid while bgen equals its
	 * page's gen.  bend: this entry ends a block (its tfn is not a
	 * THREADED_NOPC one).  vchain: the chain in which the block starting
	 * here was last checked.  Set by run.c, not by decode_insn().
	 */
	uint32_t blen, bgen;
	uint64_t vchain;
	bool bend;
} __attribute__((aligned(64)));

#define DINSN_TO_WORD_SHIFT	4	/* sizeof(struct dinsn) / 4 == 1 << 4 */
_Static_assert(sizeof(struct dinsn) == 4 << DINSN_TO_WORD_SHIFT, "dinsn size");

/* A handler with a threaded entry of its own (semantics inlined). */
struct thread_map {
	exec_fn fn, tfn;
};

struct thread_table {
	const struct thread_map *map;
	unsigned int nr;
};

extern const struct thread_table dp_threaded, branch_threaded, ldst_threaded;
/* The threaded entry of the compare handler fn (Rd == 31 if rd31) fused
 * with a B.cond of condition cond after it, or NULL (exec_dp.c). */
exec_fn dp_fused_tfn(exec_fn fn, bool rd31, unsigned int cond);
/* The same for CMP (Rd == 31) followed by CSEL/CSINC/CSINV/CSNEG, or NULL. */
exec_fn dp_fused_csel_tfn(exec_fn fn, unsigned int cond);

/* One instruction pattern: word & mask == match.  prep may refine fields and
 * return false for an unallocated encoding inside the pattern. */
struct insn_pattern {
	uint32_t mask, match;
	exec_fn fn;
	bool (*prep)(struct dinsn *d);
	const char *name;
};

#define PAT(m, v, f, p)	{ (m), (v), (f), (p), #f }

struct insn_table {
	const struct insn_pattern *pat;
	unsigned int nr;
};

extern const struct insn_table dp_insns, branch_insns, ldst_insns,
	atomic_insns, sys_insns, sysinsn_insns;

void decode_insn(struct dinsn *d, uint32_t insn);
exec_fn decode_tfn(exec_fn fn);		/* the threaded entry decode_insn gives fn */
const char *insn_name(uint32_t insn);

/* ---- the soft TLB ------------------------------------------------------------ */

#define TLB_BITS	9
#define TLB_SIZE	(1u << TLB_BITS)
#define TLB_INVALID	(~0ULL)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ULL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define TLBA_DEVICE	(1u << 0)	/* Device memory: unaligned accesses fault */

/*
 * One 4 KiB page of a translation, for one translation context (mmu_idx):
 * the tag is the accessed VA page (top byte included) when that kind of
 * access is permitted and the page is plain RAM, TLB_INVALID otherwise.
 */
struct tlb_entry {
	uint64_t tag_r, tag_w, tag_x;
	uintptr_t addend;		/* host address = VA + addend */
	uint64_t pa;			/* page's IPA */
	uint32_t attrs;
} __attribute__((aligned(64)));	/* a power of two: indexing is one shift */

enum mmu_idx {
	MMU_EL0,			/* EL0 and unprivileged EL1 accesses */
	MMU_EL1,			/* EL1, PSTATE.PAN == 0 */
	MMU_EL1_PAN,			/* EL1, PSTATE.PAN == 1 */
	MMU_NR,
};

/* ---- decode cache ------------------------------------------------------------ */

#define DPAGE_INSNS	(PAGE_SIZE / 4)
#define DCACHE_SLOTS	256

/*
 * insn[DPAGE_INSNS] is a sentinel whose entry ends the page's chain.
 * word[i] is insn[i].insn, contiguous, for comparing a block's words with
 * memory; gen changes whenever an entry starts or stops ending a block,
 * which makes every cached blen stale.  lines has bit n set when a block
 * with a word in the n-th CODE_LINE bytes of the page has been checked
 * (run.c): only a store into such a line can change code a chain is
 * running unchecked.  Bits are never cleared.
 */
#define CODE_LINE_SHIFT	6
#define CODE_LINE	(1u << CODE_LINE_SHIFT)
_Static_assert(PAGE_SIZE / CODE_LINE == 64, "one bit per line in a uint64_t");

struct dpage {
	struct dinsn insn[DPAGE_INSNS + 1];
	uint32_t word[DPAGE_INSNS];
	uint32_t gen;
	uint64_t lines;
};

struct dcache_slot {
	uint64_t pa;			/* IPA of the page, or ~0 */
	struct dpage *page;
};

struct cpu_engine {
	struct tlb_entry tlb[MMU_NR][TLB_SIZE];
	bool tlb_large;			/* holds pieces of >4K translations */
	/*
	 * The entries filled since the last full flush (mmu_idx << TLB_BITS |
	 * index), so that a flush rewrites those rather than the whole TLB
	 * (96 KiB); tlb_nfilled > TLB_FILL_LOG: too many, rewrite it all.
	 */
#define TLB_FILL_LOG	256
_Static_assert((MMU_NR << TLB_BITS) <= 65536, "tlb_filled holds an entry in 16 bits");
	unsigned int tlb_nfilled;
	uint16_t tlb_filled[TLB_FILL_LOG];
	uint64_t memmap_gen;
	uint64_t tlbi_gen;
	struct cpu_memmap *map;

	struct dcache_slot dcache[DCACHE_SLOTS];

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
};

/* ---- registers and PSTATE ------------------------------------------------------ */

/* Register n, 31 read as XZR: x[CPU_XZR] is always 0 (cpu_run checks). */
static inline uint64_t xreg(const struct cpu_state *s, unsigned int n)
{
	return s->x[n];
}

static inline uint64_t *spp(struct cpu_state *s)
{
	return (s->pstate & 1) ? &s->sp_el1 : &s->sp_el0;	/* M[0]: SPSel */
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

/* SCTLR_EL1 bits the engine obeys */
#define SCTLR_M		(1ULL << 0)
#define SCTLR_A		(1ULL << 1)
#define SCTLR_SA	(1ULL << 3)
#define SCTLR_SA0	(1ULL << 4)
#define SCTLR_UMA	(1ULL << 9)
#define SCTLR_DZE	(1ULL << 14)
#define SCTLR_NTWI	(1ULL << 16)
#define SCTLR_NTWE	(1ULL << 18)
#define SCTLR_WXN	(1ULL << 19)
#define SCTLR_SPAN	(1ULL << 23)
#define SCTLR_E0E	(1ULL << 24)
#define SCTLR_EE	(1ULL << 25)
#define SCTLR_UCI	(1ULL << 26)

/* ---- ESR --------------------------------------------------------------------- */

#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_FP_ASIMD	0x07
#define EC_ILLEGAL	0x0e
#define EC_SVC64	0x15
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYS64	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_PC_ALIGN	0x22
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_SP_ALIGN	0x26
#define EC_SERROR	0x2f
#define EC_SOFTSTP_LOW	0x32
#define EC_BRK64	0x3c

#define ESR_EC_SHIFT	26
#define ESR_IL		(1ULL << 25)
#define ESR_ISV		(1u << 24)
#define ESR_SAS_SHIFT	22
#define ESR_SSE		(1u << 21)
#define ESR_SRT_SHIFT	16
#define ESR_SF		(1u << 15)
#define ESR_AR		(1u << 14)
#define ESR_FNV		(1u << 10)
#define ESR_CM		(1u << 8)
#define ESR_S1PTW	(1u << 7)
#define ESR_WNR		(1u << 6)

static inline uint64_t esr_make(unsigned int ec, uint32_t iss)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
}

/* Fault status codes (DFSC/IFSC), level in the low two bits. */
#define FSC_ADDR_SIZE	0x00
#define FSC_TRANS	0x04
#define FSC_ACCESS	0x08
#define FSC_PERM	0x0c
#define FSC_SEA		0x10
#define FSC_SEA_WALK	0x14
#define FSC_ALIGN	0x21

/* ---- access descriptors ---------------------------------------------------------- */

/*
 * An access is described by one word: the data-abort ISS bits it would report
 * with a valid syndrome (ISV, SAS, SSE, SRT, SF, AR, CM, WnR) plus engine flags
 * above bit 25.  Built at decode time for each load/store.
 */
#define ACC_ISS_MASK	(ESR_ISV | (3u << ESR_SAS_SHIFT) | ESR_SSE | \
			 (31u << ESR_SRT_SHIFT) | ESR_SF | ESR_AR | ESR_CM | ESR_WNR)
#define ACC_WRITE	ESR_WNR
#define ACC_UNPRIV	(1u << 26)	/* LDTR/STTR */
#define ACC_ALIGN	(1u << 27)	/* must be naturally aligned (exclusive, atomic) */
#define ACC_FETCH	(1u << 28)
#define ACC_RMW		(1u << 29)	/* atomic read-modify-write: needs R and W */
#define ACC_DEVFAULT	(1u << 30)	/* Device memory faults even aligned (DC ZVA) */

static inline uint32_t acc_iss(unsigned int size_log2, unsigned int rt, bool sse,
			       bool sf, bool ar, bool write)
{
	return ESR_ISV | (size_log2 << ESR_SAS_SHIFT) | (sse ? ESR_SSE : 0) |
	       (rt << ESR_SRT_SHIFT) | (sf ? ESR_SF : 0) | (ar ? ESR_AR : 0) |
	       (write ? ACC_WRITE : 0);
}

/* ---- translation (mmu.c) --------------------------------------------------------- */

#define PERM_R		1u
#define PERM_W		2u
#define PERM_X		4u

struct s1_result {
	uint64_t pa;			/* output address of the VA */
	unsigned int block_shift;	/* log2 of the mapping's size */
	unsigned int level;		/* level of the final descriptor or fault */
	unsigned int perms;		/* PERM_* for the mmu_idx */
	uint8_t attr;			/* MAIR attribute */
	uint8_t sh;			/* descriptor SH[1:0] */
	bool device;
	/* fault: FSC (with level); s1ptw_ipa valid when FSC_SEA_WALK */
	int fsc;
	uint64_t walk_ipa;
	bool walk_poison;		/* the walk read a poisoned page */
};

/* Stage-1 translation of va for the mmu_idx; returns 0 or -1 with res->fsc. */
int mmu_translate(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		  struct s1_result *res);

/* ---- memory (mem.c) ----------------------------------------------------------- */

static inline enum mmu_idx mmu_idx_of(const struct cpu_state *s, uint32_t acc)
{
	if (cpu_current_el(s) == 0)
		return MMU_EL0;
	if ((acc & ACC_UNPRIV) && !(s->pstate & PSR_UAO_BIT))
		return MMU_EL0;
	return (s->pstate & PSR_PAN_BIT) ? MMU_EL1_PAN : MMU_EL1;
}

static inline struct tlb_entry *tlb_entry_of(struct cpu *c, enum mmu_idx idx,
					     uint64_t va)
{
	return &c->engine->tlb[idx][(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];
}

int mem_read_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		  uint64_t *val);
int mem_write_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		   uint64_t val);

static inline uint64_t host_load(const void *p, unsigned int size)
{
	switch (size) {
	case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_RELAXED);
	case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
	case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
	default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	}
}

static inline void host_store(void *p, unsigned int size, uint64_t v)
{
	switch (size) {
	case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, __ATOMIC_RELAXED); break;
	case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELAXED); break;
	case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELAXED); break;
	default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED); break;
	}
}

/*
 * Does a store of the byte at host address h hit code of the page being
 * run, i.e. a line of it holding a block checked by a chain (run.c)?
 * Stores to data that shares a page with code go on in the chain.
 */
static inline bool thread_hits_code(struct cpu *c, const void *h)
{
	uintptr_t off = (uintptr_t)h - (uintptr_t)c->th_host;

	if (likely(off >= PAGE_SIZE))
		return false;
	return (((const struct dpage *)(const void *)c->th_base)->lines >>
		(off >> CODE_LINE_SHIFT)) & 1;
}

/* A store to h: if it hit the page being run, the chain must end. */
static inline void thread_note_store(struct cpu *c, const void *h)
{
	if (unlikely(thread_hits_code(c, h)))
		c->th_dirty = true;
}

/* Load/store of 1, 2, 4 or 8 bytes; 0 on success, -1 when the access took
 * an exception or needs an exit (the handler then returns EXEC_STOP). */
static inline int mem_read(struct cpu *c, uint64_t va, unsigned int size,
			   uint32_t acc, uint64_t *val)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, acc), va);

	if (likely(t->tag_r == (va & (PAGE_MASK | (size - 1))))) {
		*val = host_load((const void *)(uintptr_t)(va + t->addend), size);
		return 0;
	}
	return mem_read_slow(c, va, size, acc, val);
}

static inline int mem_write(struct cpu *c, uint64_t va, unsigned int size,
			    uint32_t acc, uint64_t val)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, acc), va);

	if (likely(t->tag_w == (va & (PAGE_MASK | (size - 1))))) {
		host_store((void *)(uintptr_t)(va + t->addend), size, val);
		thread_note_store(c, (const void *)(uintptr_t)(va + t->addend));
		return 0;
	}
	return mem_write_slow(c, va, size, acc, val);
}

/*
 * The same for a privileged-or-not access of the current PSTATE (no
 * ACC_UNPRIV): the TLB of the current translation regime, already chosen.
 */
static inline int mem_read_cur(struct cpu *c, uint64_t va, unsigned int size,
			       uint32_t acc, uint64_t *val)
{
	struct tlb_entry *t = &c->cur_tlb[(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];

	if (likely(t->tag_r == (va & (PAGE_MASK | (size - 1))))) {
		*val = host_load((const void *)(uintptr_t)(va + t->addend), size);
		return 0;
	}
	return mem_read_slow(c, va, size, acc, val);
}

static inline int mem_write_cur(struct cpu *c, uint64_t va, unsigned int size,
				uint32_t acc, uint64_t val)
{
	struct tlb_entry *t = &c->cur_tlb[(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];

	if (likely(t->tag_w == (va & (PAGE_MASK | (size - 1))))) {
		host_store((void *)(uintptr_t)(va + t->addend), size, val);
		thread_note_store(c, (const void *)(uintptr_t)(va + t->addend));
		return 0;
	}
	return mem_write_slow(c, va, size, acc, val);
}

/*
 * Host pointer for an aligned access of size bytes (exclusives, atomics,
 * DC ZVA) with the permissions acc asks for; NULL when an exception was
 * taken or an exit is needed.
 */
uint8_t *mem_host_ptr(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc);

/* Translate for AT/DC: returns 0 and the IPA, or the fault in res. */
int mem_probe(struct cpu *c, uint64_t va, enum mmu_idx idx, uint32_t acc,
	      struct s1_result *res);

/* Data abort for a stage-1 fault, to EL1. */
void raise_data_abort(struct cpu *c, uint64_t va, uint32_t acc, int fsc);
/* Exit for an access outside guest memory (KVM's stage-2 abort). */
void exit_stage2_abort(struct cpu *c, uint64_t va, uint64_t ipa, uint32_t acc,
		       int fsc, uint64_t data);

/* Fetch: host pointer to the page holding pc, its IPA; NULL on fault. */
const uint8_t *mem_fetch_page(struct cpu *c, uint64_t pc, uint64_t *pa);

void tlb_flush_all(struct cpu *c);
void tlb_flush_va(struct cpu *c, uint64_t va);
void engine_sync_vm(struct cpu *c);

/* Strip a tag and sign-extend from bit 55 where TBI applies (data accesses). */
uint64_t va_untag(const struct cpu_state *s, uint64_t va, bool fetch);
/* AArch64.BranchAddr: the PC a branch to target sets. */
uint64_t branch_addr(const struct cpu_state *s, uint64_t target);

/* ---- exceptions (exception.c) ------------------------------------------------------ */

int raise_sync(struct cpu *c, unsigned int ec, uint32_t iss);
int raise_undef(struct cpu *c);
int raise_sync_far(struct cpu *c, unsigned int ec, uint32_t iss, uint64_t far);
void engine_exit(struct cpu *c, enum cpu_exit_reason r, uint64_t esr);
void excl_clear(struct cpu *c);

/* Shared instruction helpers. */
int exec_undef(struct cpu *c, const struct dinsn *d);
bool fp_access_ok(struct cpu *c);	/* false: trap taken (CPACR_EL1.FPEN) */

/* ---- threaded dispatch (run.c) ------------------------------------------------------ */

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

/* Store d's PC into the state (also valid under single-step, see run.c). */
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

#define THREAD_MAP(name)	{ name, name##_t }

/* ---- sysinsn.c ------------------------------------------------------------------- */
void tlbi_broadcast(struct cpu *c);

#endif /* VKVM_CPU_INTERNAL_H */
