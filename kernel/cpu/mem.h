/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory accesses: access descriptors, stage-1 translation (mmu.c)
 * and the inline load/store paths through the soft TLB (mem.c).
 */
#ifndef VKVM_CPU_MEM_H
#define VKVM_CPU_MEM_H

/* Included at the end of internal.h: needs the engine context. */

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
#define ACC_LSE2	(1u << 31)	/* FEAT_LSE2: caller checked the 16-byte quantity */
#define ACC_NOTAG	(1u << 25)	/* Tag Unchecked (FEAT_MTE2): tag access, STGP data */

/*
 * FEAT_MTE2: a load or store with base SP, an immediate offset (or none)
 * and no writeback is Tag Unchecked (the Arm ARM's "tagchecked = wback ||
 * n != 31"); checked: writeback, or a register offset, which are checked.
 */
static inline uint32_t acc_sp_notag(unsigned int rn, bool checked)
{
	return rn == 31 && !checked ? ACC_NOTAG : 0;
}

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
	unsigned int block_shift;	/* log2 of the stage-1 mapping's size */
	unsigned int level;		/* level of the final descriptor or fault */
	unsigned int perms;		/* PERM_* for the mmu_idx */
	uint8_t attr;			/* MAIR attribute */
	uint8_t sh;			/* descriptor SH[1:0] */
	bool device;
	bool guarded;			/* GP: a guarded page (FEAT_BTI) */
	bool global;			/* nG == 0 (or no ASIDs: MMU off) */
	/* fault: FSC (with level); s1ptw_ipa valid when FSC_SEA_WALK */
	int fsc;
	uint64_t walk_ipa;
	bool walk_poison;		/* the walk read a poisoned page */
	/* stage 2 (HCR_EL2.VM, a vCPU with EL2): its permissions for the
	 * output; on a stage-2 fault s2 is set, fsc is stage 2's, s2_ipa the
	 * IPA it faulted on (a descriptor's when s1ptw) */
	unsigned int s2_perms, s2_level;
	uint8_t s2_memattr;		/* stage 2's MemAttr[3:0] (0xf without it) */
	bool s2, s1ptw;
	uint64_t s2_ipa;
};

/* Stage-1 translation of va for the mmu_idx; returns 0 or -1 with res->fsc.
 * Under HCR_EL2.VM the walk and the output go through stage 2 (res->pa is
 * then the PA); stage 1's permissions must include need (PERM_*, a
 * permission fault otherwise) before stage 2 translates the output.
 * mmu_translate_s1() leaves the output an IPA (AT S1E*). */
int mmu_translate(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		  unsigned int need, struct s1_result *res);
int mmu_translate_s1(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		     struct s1_result *res);

/* ---- memory (mem.c) ----------------------------------------------------------- */

static inline enum mmu_idx mmu_idx_of(const struct cpu_state *s, uint32_t acc)
{
	if (cpu_current_el(s) == 0)
		return MMU_EL0;
	if (unlikely(s->pstate & 8)) {
		/* EL2: unprivileged accesses are EL0's only in EL2&0 under TGE */
		if (likely(!cpu_e2h(s)))
			return MMU_EL2;
		if ((acc & ACC_UNPRIV) && !(s->pstate & PSR_UAO_BIT) &&
		    (s->sysreg[SR_HCR_EL2] & HCR_TGE))
			return MMU_EL0;
		return (s->pstate & PSR_PAN_BIT) ? MMU_EL2_PAN : MMU_EL2;
	}
	if ((acc & ACC_UNPRIV) && !(s->pstate & PSR_UAO_BIT))
		return MMU_EL0;
	return (s->pstate & PSR_PAN_BIT) ? MMU_EL1_PAN : MMU_EL1;
}

static inline struct tlb_entry *tlb_entry_of(struct cpu *c, enum mmu_idx idx,
					     uint64_t va)
{
	return &c->engine->tlb->tlb[idx][(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];
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
 * One 16-byte access of 16-byte-aligned host memory: FEAT_LSE2's
 * single-copy atomic LDP/STP of two X registers (and LDR/STR Q, atomic
 * here though the architecture asks only for 64-bit halves).  x86-64:
 * MOVDQA, atomic on processors that enumerate AVX (Intel SDM vol. 3A
 * 9.1.1; AMD APM vol. 2 7.3.2); cpu_host_atomic16() says whether this host
 * is one, and ID_AA64MMFR2_EL1.AT advertises LSE2 only then.
 * VKVM_TEAR_16 (a debug build switch) makes them two 64-bit accesses, to
 * show that tests/lse2tear catches tearing.
 */
#if defined(__x86_64__) && !defined(VKVM_TEAR_16)
typedef long long host_v2di __attribute__((vector_size(16)));

static inline void host_load16(const void *p, uint64_t v[2])
{
	host_v2di x;

	__asm__ __volatile__("movdqa %1, %0" : "=x"(x)
			     : "m"(*(const volatile host_v2di *)p));
	v[0] = (uint64_t)x[0];
	v[1] = (uint64_t)x[1];
}

static inline void host_store16(void *p, const uint64_t v[2])
{
	host_v2di x = { (long long)v[0], (long long)v[1] };

	__asm__ __volatile__("movdqa %1, %0" : "=m"(*(volatile host_v2di *)p) : "x"(x));
}
#else
static inline void host_load16(const void *p, uint64_t v[2])
{
	v[0] = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	v[1] = __atomic_load_n((const uint64_t *)p + 1, __ATOMIC_RELAXED);
}

static inline void host_store16(void *p, const uint64_t v[2])
{
	__atomic_store_n((uint64_t *)p, v[0], __ATOMIC_RELAXED);
	__atomic_store_n((uint64_t *)p + 1, v[1], __ATOMIC_RELAXED);
}
#endif

/*
 * Unaligned host accesses of 2, 4 or 8 bytes within one page.  FEAT_LSE2
 * makes an access whose bytes lie in one 16-byte-aligned quantity
 * single-copy atomic: on x86-64 one MOV of the access size is atomic when
 * it does not cross a cache line (Intel SDM vol. 3A 9.1.1, "unaligned ...
 * accesses to cached memory that fit within a cache line"; AMD APM vol. 2
 * 7.3.2 likewise), and a 16-byte quantity always lies in one 64-byte line.
 * Inline assembly, as C accesses through a misaligned pointer are
 * undefined (and UBSan reports them).
 */
static inline uint64_t load_le(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;

#if defined(__x86_64__)
	switch (size) {
	case 2: {
		uint16_t w;

		__asm__ __volatile__("movw %1, %0" : "=r"(w) : "m"(*(const volatile uint16_t *)p));
		return w;
	}
	case 4: {
		uint32_t w;

		__asm__ __volatile__("movl %1, %0" : "=r"(w) : "m"(*(const volatile uint32_t *)p));
		return w;
	}
	case 8:
		__asm__ __volatile__("movq %1, %0" : "=r"(v) : "m"(*(const volatile uint64_t *)p));
		return v;
	}
#endif
	memcpy(&v, p, size);
	return v;
}

static inline void store_le(uint8_t *p, unsigned int size, uint64_t v)
{
#if defined(__x86_64__)
	switch (size) {
	case 2:
		__asm__ __volatile__("movw %1, %0" : "=m"(*(volatile uint16_t *)p) : "r"((uint16_t)v));
		return;
	case 4:
		__asm__ __volatile__("movl %1, %0" : "=m"(*(volatile uint32_t *)p) : "r"((uint32_t)v));
		return;
	case 8:
		__asm__ __volatile__("movq %1, %0" : "=m"(*(volatile uint64_t *)p) : "r"(v));
		return;
	}
#endif
	memcpy(p, &v, size);
}

/*
 * Does a store of the byte at host address h hit code of the page being
 * run, i.e. a line of it holding a block checked by a chain (engine.c)?
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
 * taken or an exit is needed.  With ACC_LSE2 the access may be unaligned
 * within one 16-byte quantity (the caller checked it; never crosses a page).
 */
uint8_t *mem_host_ptr(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc);

/*
 * The host location of an access of size bytes at va whose bytes lie in
 * one 16-byte-aligned quantity (FEAT_LSE2's single-copy atomic pairs and
 * 128-bit accesses), made of elements of esize bytes (the alignment
 * SCTLR_EL1.A checks): 1 and *h when it is RAM, -1 when an exception was
 * taken or an exit is needed, 0 when it is not plain RAM (MMIO, a watched
 * page): the caller then accesses element by element, which reports it.
 */
int mem_granule(struct cpu *c, uint64_t va, unsigned int esize, unsigned int size,
		uint32_t acc, uint8_t **h);

/*
 * MemNF (SVE non-fault loads, the non-first elements of first-fault ones):
 * 0 and the little-endian value, or -1 with no exception, no exit and no
 * access where the load would fault or reach other than Normal RAM
 * (Device memory, outside every memslot, poisoned, watched) or would fail
 * its Tag Check (acc: ACC_NOTAG or 0).
 */
int mem_read_nf(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc, uint64_t *val);

/*
 * FEAT_MTE2: the Tag Check of all size bytes at va before a store made of
 * several accesses (STP, an unaligned STR Q), so that a Tag Check fault
 * stores nothing, as one access: -1 when it raised an exception, else 0
 * (also when the real accesses will fault or exit).  mte.h's
 * mem_tag_precheck() calls it only when SCTLR_EL1.TCF/TCF0 enables checks.
 */
int mem_tag_precheck_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc);

/* AT S12E*: both stages, returns 0 and the PA, or the fault in res. */
int mem_probe_s12(struct cpu *c, uint64_t va, enum mmu_idx idx, uint32_t acc,
		  struct s1_result *res);
/* Translate for AT/DC: returns 0 and the IPA, or the fault in res. */
int mem_probe(struct cpu *c, uint64_t va, enum mmu_idx idx, uint32_t acc,
	      struct s1_result *res);
/* AT S1E1*, S1E0* from EL1 under stage 2: a stage-2 fault on stage 1's walk
 * (r from mem_probe()) taken to EL2 (mem.c). */
void mem_at_walk_abort(struct cpu *c, uint64_t va, const struct s1_result *r);

/* Data abort for a stage-1 fault, to EL1. */
void raise_data_abort(struct cpu *c, uint64_t va, uint32_t acc, int fsc);
/* Exit for an access outside guest memory (KVM's stage-2 abort). */
void exit_stage2_abort(struct cpu *c, uint64_t va, uint64_t ipa, uint32_t acc,
		       int fsc, uint64_t data);

/* Fetch: host pointer to the page holding pc, its IPA; NULL on fault. */
const uint8_t *mem_fetch_page(struct cpu *c, uint64_t pc, uint64_t *pa);

void tlb_flush_all(struct cpu *c);
void tlb_flush_va(struct cpu *c, uint64_t va);

/* A TLBI's scope (tlb_invalidate(), mem.c). */
enum tlbi_regime { TLBI_EL10, TLBI_EL20, TLBI_EL2 };
struct tlbi_op {
	enum tlbi_regime regime;
	bool by_vmid, by_asid, by_va;
	uint32_t vmid, asid;
	uint64_t va;
};
void tlb_invalidate(struct cpu *c, const struct tlbi_op *op);
uint32_t tlb_vmid(const struct cpu_state *s);	/* the current VMID, as tagged */
void engine_sync_vm(struct cpu *c);

/* Strip a tag and sign-extend from bit 55 where TBI applies (data accesses). */
/* The current EL's TCR in TCR_EL1's layout (TCR_EL2 at EL2 mapped onto it, mmu.c) */
uint64_t cpu_regime_tcr(const struct cpu_state *s);
uint64_t va_untag(const struct cpu_state *s, uint64_t va, bool fetch);
/* AArch64.BranchAddr: the PC a branch to target sets. */
uint64_t branch_addr(const struct cpu_state *s, uint64_t target);


#endif /* VKVM_CPU_MEM_H */
