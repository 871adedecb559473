// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and stores of general-purpose and SIMD&FP registers: immediate
 * (unsigned offset, unscaled, pre/post-index, unprivileged), register offset,
 * literal and pairs (Arm ARM C4.1.88 "Loads and Stores"), one row per form
 * in insn/ldst.def.  Exclusives, load-acquire/store-release and atomics are
 * in exec_atomic.c.
 *
 * A row's handler exec_NAME is its reference semantics, made from the
 * inline helpers below with the row's log2 access size and kind (what it
 * moves: LS_LOAD, LS_SIGNED, LS_TO_W, LS_FP) as constants.  d->aux is the
 * access word (ISS syndrome + ACC_* flags, mem.h) the row's prep builds;
 * d->imm the byte offset, or for register offset the shift amount with
 * the option field in d->ra.
 *
 * The fast forms (FAST rows, decode.h) are the same accesses through the
 * current regime's TLB inline, with PC stored only on their slow path
 * (THREADED_NOPC): "_tlb" for any operands, "_nosp" (pre/post-index) and
 * "_xidx", "_uxtw", "_sxtw" (register offset, by the index's extension)
 * for a base other than SP and, for loads, Rt other than XZR, which need
 * no register-31 checks.
 */
#include "internal.h"

/* the kind of a row: what it moves (constants, never decoded state) */
#define LS_LOAD		1u
#define LS_SIGNED	2u	/* sign-extend the loaded value */
#define LS_TO_W		4u	/* ... to 32 bits (LDRSB/LDRSH Wt) */
#define LS_FP		8u	/* SIMD&FP register */

#define LS_ACC(d)	((uint32_t)(d)->aux)

/* SP as a base register must be 16-byte aligned when SCTLR_EL1.SA/SA0 say so */
static inline int base_reg(struct cpu *c, unsigned int rn, uint64_t *base)
{
	struct cpu_state *s = &c->state;

	if (rn != 31) {
		*base = s->x[rn];
		return 0;
	}
	*base = *spp(s);
	if (unlikely(*base & 15) &&
	    (cur_sctlr(s) & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

static ALWAYS_INLINE uint64_t extend_load(uint64_t v, unsigned int lg, unsigned int kind)
{
	if (!(kind & LS_SIGNED))
		return v;
	v = (uint64_t)sext(v, 8u << lg);
	return (kind & LS_TO_W) ? (uint32_t)v : v;
}

/* ---- SIMD&FP register file view ----------------------------------------------- */

static void vreg_write(struct cpu_state *s, unsigned int n, const uint64_t *v,
		       unsigned int bytes)
{
	/* A write to V<n> zeroes the rest of Z<n> (and of the 128-bit V) */
	memset(s->z[n], 0, sizeof(s->z[n]));
	memcpy(s->z[n], v, bytes);
}

static int fp_load(struct cpu *c, uint32_t acc, unsigned int lg, uint64_t addr,
		   uint64_t *out)
{
	if (lg == 4) {
		uint8_t *h;
		int r = (addr & 15) ? 0 : mem_granule(c, addr, 16, 16, acc, &h);

		if (r) {
			if (r > 0)
				host_load16(h, out);
			return r > 0 ? 0 : -1;
		}
		/* not 16-byte aligned, or not RAM: two 64-bit accesses */
		if (mem_read(c, addr, 8, acc, &out[0]) ||
		    mem_read(c, addr + 8, 8, acc, &out[1]))
			return -1;
		return 0;
	}
	out[1] = 0;
	return mem_read(c, addr, 1u << lg, acc, &out[0]);
}

static int fp_store(struct cpu *c, uint32_t acc, unsigned int lg, unsigned int rt,
		    uint64_t addr)
{
	uint64_t v[2];

	memcpy(v, c->state.z[rt], 16);
	if (lg == 4) {
		uint8_t *h;
		int r = (addr & 15) ? 0 : mem_granule(c, addr, 16, 16, acc | ACC_WRITE, &h);

		if (r) {
			if (r > 0)
				host_store16(h, v);
			return r > 0 ? 0 : -1;
		}
	}
	if (lg == 4)
		return mem_tag_precheck(c, addr, 16, acc | ACC_WRITE) ||
		       mem_write(c, addr, 8, acc, v[0]) ||
		       mem_write(c, addr + 8, 8, acc, v[1]) ? -1 : 0;
	return mem_write(c, addr, 1u << lg, acc, v[0]);
}

/* ---- reference semantics ------------------------------------------------------ */

/* Rt <-> [addr]: 0, or -1 when an exception was taken or an exit is needed */
static ALWAYS_INLINE int access_one(struct cpu *c, const struct dinsn *d, uint64_t addr,
				    unsigned int lg, unsigned int kind)
{
	struct cpu_state *s = &c->state;
	uint64_t v;

	if (kind & LS_FP) {
		uint64_t q[2];

		if (!fp_access_ok(c))
			return -1;
		if (!(kind & LS_LOAD))
			return fp_store(c, LS_ACC(d), lg, d->rd, addr);
		if (fp_load(c, LS_ACC(d), lg, addr, q))
			return -1;
		vreg_write(s, d->rd, q, 1u << lg);
		return 0;
	}
	if (kind & LS_LOAD) {
		if (mem_read(c, addr, 1u << lg, LS_ACC(d), &v))
			return -1;
		set_xreg(s, d->rd, extend_load(v, lg, kind));
		return 0;
	}
	return mem_write(c, addr, 1u << lg, LS_ACC(d), xreg(s, d->rd));
}

/* Unsigned offset, unscaled, unprivileged (ACC_UNPRIV in the access word) */
static ALWAYS_INLINE int ref_offset(struct cpu *c, const struct dinsn *d,
				    unsigned int lg, unsigned int kind)
{
	uint64_t base;

	if (base_reg(c, d->rn, &base) ||
	    access_one(c, d, base + (uint64_t)d->imm, lg, kind))
		return EXEC_STOP;
	return EXEC_NEXT;
}

/* Pre-/post-index: the base is written back after the access succeeds (a
 * load with Rt == Rn ends with the written-back base). */
static ALWAYS_INLINE int ref_wb(struct cpu *c, const struct dinsn *d, unsigned int lg,
				unsigned int kind, bool post)
{
	uint64_t base;

	if (base_reg(c, d->rn, &base) ||
	    access_one(c, d, post ? base : base + (uint64_t)d->imm, lg, kind))
		return EXEC_STOP;
	set_xreg_sp(&c->state, d->rn, base + (uint64_t)d->imm);
	return EXEC_NEXT;
}

/* Register offset: option (UXTW, LSL, SXTW, SXTX) in d->ra, shift in d->imm */
static ALWAYS_INLINE uint64_t reg_offset(const struct cpu_state *s, const struct dinsn *d)
{
	uint64_t off = xreg(s, d->rm);

	if (d->ra == 2)
		off = (uint32_t)off;
	else if (d->ra == 6)
		off = (uint64_t)(int64_t)(int32_t)off;
	return off << d->imm;
}

static ALWAYS_INLINE int ref_reg(struct cpu *c, const struct dinsn *d, unsigned int lg,
				 unsigned int kind)
{
	uint64_t base;

	if (base_reg(c, d->rn, &base) ||
	    access_one(c, d, base + reg_offset(&c->state, d), lg, kind))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static ALWAYS_INLINE int ref_lit(struct cpu *c, const struct dinsn *d, unsigned int lg,
				 unsigned int kind)
{
	if (access_one(c, d, c->state.pc + (uint64_t)d->imm, lg, kind))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int fp_pair(struct cpu *c, const struct dinsn *d, uint64_t addr, unsigned int lg,
		   bool load)
{
	uint64_t a[2] = { 0, 0 }, b[2] = { 0, 0 };
	unsigned int size = 1u << lg;
	uint32_t acc = LS_ACC(d);

	if (!fp_access_ok(c))
		return -1;
	if (!load)
		return mem_tag_precheck(c, addr, 2 * size, acc | ACC_WRITE) ||
		       fp_store(c, acc, lg, d->rd, addr) ||
		       fp_store(c, acc, lg, d->ra, addr + size) ? -1 : 0;
	if (fp_load(c, acc, lg, addr, a) || fp_load(c, acc, lg, addr + size, b))
		return -1;
	vreg_write(&c->state, d->rd, a, size);
	vreg_write(&c->state, d->ra, b, size);
	return 0;
}

/*
 * FEAT_LSE2: an LDP/STP/LDNP/STNP of two X registers 16-byte aligned, or of
 * two W registers (LDPSW too) in one 16-byte quantity, is single-copy
 * atomic (Arm ARM B2.2.1): one host access of the pair.  1 done, -1
 * faulted, 0 not such a pair or not RAM: element by element.
 */
static ALWAYS_INLINE int int_pair_granule(struct cpu *c, const struct dinsn *d,
					  uint64_t addr, unsigned int lg, unsigned int kind)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 2u << lg;
	uint64_t v[2];
	uint8_t *h;
	int r;

	if ((addr & 15) + size > 16)
		return 0;
	r = mem_granule(c, addr, 1u << lg, size, LS_ACC(d), &h);
	if (r <= 0)
		return r;
	if (lg == 3) {
		if (kind & LS_LOAD) {
			host_load16(h, v);
			set_xreg(s, d->rd, v[0]);
			set_xreg(s, d->ra, v[1]);
		} else {
			v[0] = xreg(s, d->rd);
			v[1] = xreg(s, d->ra);
			host_store16(h, v);
		}
		return 1;
	}
	if (kind & LS_LOAD) {
		v[0] = (addr & 7) ? load_le(h, 8) : host_load(h, 8);
		set_xreg(s, d->rd, extend_load((uint32_t)v[0], 2, kind));
		set_xreg(s, d->ra, extend_load(v[0] >> 32, 2, kind));
		return 1;
	}
	v[0] = (uint32_t)xreg(s, d->rd) | (xreg(s, d->ra) << 32);
	if (addr & 7)
		store_le(h, 8, v[0]);
	else
		host_store(h, 8, v[0]);
	return 1;
}

/* LDP/STP/LDNP/STNP/LDPSW: Rt at addr, Rt2 (d->ra) after it; post: the
 * address is the base; wb: the base is written back. */
static ALWAYS_INLINE int ref_pair(struct cpu *c, const struct dinsn *d, unsigned int lg,
				  unsigned int kind, bool post, bool wb)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	uint32_t acc = LS_ACC(d);
	uint64_t base, addr, v1, v2;
	int r;

	if (base_reg(c, d->rn, &base))
		return EXEC_STOP;
	addr = post ? base : base + (uint64_t)d->imm;
	if (kind & LS_FP) {
		if (fp_pair(c, d, addr, lg, kind & LS_LOAD))
			return EXEC_STOP;
	} else if ((r = int_pair_granule(c, d, addr, lg, kind))) {
		if (r < 0)
			return EXEC_STOP;
	} else if (kind & LS_LOAD) {
		if (mem_read(c, addr, size, acc, &v1) ||
		    mem_read(c, addr + size, size, acc, &v2))
			return EXEC_STOP;
		set_xreg(s, d->rd, extend_load(v1, lg, kind));
		set_xreg(s, d->ra, extend_load(v2, lg, kind));
	} else if (mem_tag_precheck(c, addr, 2 * size, acc) ||
		   mem_write(c, addr, size, acc, xreg(s, d->rd)) ||
		   mem_write(c, addr + size, size, acc, xreg(s, d->ra))) {
		return EXEC_STOP;
	}
	if (wb)
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	return EXEC_NEXT;
}

/* ---- fast forms ------------------------------------------------------------------ */

/*
 * The TLB-miss side of int_access(), out of line so that the fast path
 * needs no stack frame.  Never used for LDTR/STTR (ACC_UNPRIV), whose
 * regime is not the current one.
 */
static __attribute__((noinline)) int int_access_slow(struct cpu *c,
						     const struct dinsn *d,
						     uint64_t addr, unsigned int lg,
						     unsigned int kind)
{
	struct cpu_state *s = &c->state;
	uint64_t v;

	thread_sync_pc(c, d);	/* the threaded entry did not store it */
	if (kind & LS_LOAD) {
		if (mem_read_slow(c, addr, 1u << lg, LS_ACC(d), &v))
			return EXEC_STOP;
		set_xreg(s, d->rd, extend_load(v, lg, kind));
		return EXEC_NEXT;
	}
	if (mem_write_slow(c, addr, 1u << lg, LS_ACC(d), xreg(s, d->rd)))
		return EXEC_STOP;
	if (unlikely(c->th_dirty))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* A general-purpose access with the size a constant, so that the TLB fast
 * path compiles to a tag compare and a host access. */
static ALWAYS_INLINE int int_access(struct cpu *c, const struct dinsn *d,
				    uint64_t addr, unsigned int lg, unsigned int kind)
{
	struct cpu_state *s = &c->state;
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | ((1u << lg) - 1));

	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != tag))
			return int_access_slow(c, d, addr, lg, kind);
		set_xreg(s, d->rd, extend_load(host_load((const void *)(uintptr_t)(addr + t->addend),
							 1u << lg), lg, kind));
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != tag))
		return int_access_slow(c, d, addr, lg, kind);
	host_store((void *)(uintptr_t)(addr + t->addend), 1u << lg, xreg(s, d->rd));
	if (unlikely(thread_hits_code(c, (const void *)(uintptr_t)(addr + t->addend))))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* Xn or SP for a fast form, which stores PC first where SP's alignment
 * check may fault */
static ALWAYS_INLINE int fast_base(struct cpu *c, const struct dinsn *d, uint64_t *base)
{
	if (unlikely(d->rn == 31))
		thread_sync_pc(c, d);
	return base_reg(c, d->rn, base);
}

/* unsigned offset, unscaled (reg false: d->imm) and register offset, any
 * operands */
static ALWAYS_INLINE int fast_single(struct cpu *c, const struct dinsn *d, bool reg,
				     unsigned int lg, unsigned int kind)
{
	uint64_t base;

	if (unlikely(fast_base(c, d, &base)))
		return EXEC_STOP;
	return int_access(c, d, base + (reg ? reg_offset(&c->state, d) : (uint64_t)d->imm),
			  lg, kind);
}

/*
 * Register offset with Rn not SP and, for loads, Rt not XZR, by the
 * index's extension (ext: the option field, 3 for a 64-bit index (LSL,
 * SXTX), 2 UXTW, 6 SXTW): no register-31 checks (Rm and a stored Rt read
 * as XZR through x[CPU_XZR]), and a threaded entry whose fast path needs
 * no stack frame (the TLB-miss side is a tail call that goes on down the
 * chain itself): DISPATCH OWN_NOPC.
 */
static __attribute__((noinline)) int int_access_slow_t(struct cpu *c,
						       const struct dinsn *d,
						       uint64_t addr, unsigned int lg,
						       unsigned int kind)
{
	return thread_leave(c, d, int_access_slow(c, d, addr, lg, kind), false);
}

static ALWAYS_INLINE int int_access_rx(struct cpu *c, const struct dinsn *d,
				       unsigned int lg, unsigned int kind, unsigned int ext,
				       bool threaded)
{
	struct cpu_state *s = &c->state;
	uint64_t idx = s->x[d->rm], addr;

	if (ext == 2)
		idx = (uint32_t)idx;
	else if (ext == 6)
		idx = (uint64_t)(int64_t)(int32_t)idx;
	addr = s->x[d->rn] + (idx << d->imm);
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | ((1u << lg) - 1));
	void *h;

	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != tag))
			goto slow;
		s->x[d->rd] = extend_load(host_load((const void *)(uintptr_t)(addr + t->addend),
						    1u << lg), lg, kind);
	} else {
		if (unlikely(t->tag_w != tag))
			goto slow;
		h = (void *)(uintptr_t)(addr + t->addend);
		host_store(h, 1u << lg, s->x[d->rd]);
		if (unlikely(thread_hits_code(c, h)))
			return thread_code_written(c, d);
	}
	if (threaded) {
		d++;
		return thread_next(c, d);
	}
	return EXEC_NEXT;
slow:
	if (threaded)
		return int_access_slow_t(c, d, addr, lg, kind);
	return int_access_slow(c, d, addr, lg, kind);
}

/*
 * The slow side of a fast form: its row's reference handler ref with PC
 * stored, then the self-modifying-code check of thread_generic().
 */
__attribute__((noinline)) int ldst_slow(struct cpu *c, const struct dinsn *d, exec_fn ref)
{
	int r;

	thread_sync_pc(c, d);
	r = ref(c, d);
	if (unlikely(c->th_dirty)) {
		if (r == EXEC_NEXT)
			return thread_code_written(c, d);
		c->th_dirty = false;
	}
	return r;
}

/*
 * Pre-/post-index (LDR/STR Xt/Wt, [Xn, #imm]! and [Xn], #imm): the access
 * and the writeback with no PC store when the current TLB holds the page;
 * anything else (TLB miss, misaligned, MMIO) runs the row's reference.
 */
static ALWAYS_INLINE int int_access_wb(struct cpu *c, const struct dinsn *d,
				       unsigned int lg, unsigned int kind, bool post,
				       exec_fn ref)
{
	struct cpu_state *s = &c->state;
	uint64_t base, addr;
	struct tlb_entry *t;
	void *h;

	if (unlikely(fast_base(c, d, &base)))
		return EXEC_STOP;
	addr = post ? base : base + (uint64_t)d->imm;
	t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	h = (void *)(uintptr_t)(addr + t->addend);
	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != (addr & (PAGE_MASK | ((1u << lg) - 1)))))
			return ldst_slow(c, d, ref);
		set_xreg(s, d->rd, extend_load(host_load(h, 1u << lg), lg, kind));
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != (addr & (PAGE_MASK | ((1u << lg) - 1)))))
		return ldst_slow(c, d, ref);
	host_store(h, 1u << lg, xreg(s, d->rd));
	set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	if (unlikely(thread_hits_code(c, h)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* The same with the base not SP and, for loads, Rt not XZR: no register-31
 * checks, no mode test. */
static ALWAYS_INLINE int int_access_wbs(struct cpu *c, const struct dinsn *d,
					unsigned int lg, unsigned int kind, bool post,
					exec_fn ref)
{
	struct cpu_state *s = &c->state;
	uint64_t base = s->x[d->rn], addr = post ? base : base + (uint64_t)d->imm;
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | ((1u << lg) - 1));
	void *h = (void *)(uintptr_t)(addr + t->addend);

	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != tag))
			return ldst_slow(c, d, ref);
		s->x[d->rd] = extend_load(host_load(h, 1u << lg), lg, kind);
		s->x[d->rn] = base + (uint64_t)d->imm;
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != tag))
		return ldst_slow(c, d, ref);
	host_store(h, 1u << lg, s->x[d->rd]);
	s->x[d->rn] = base + (uint64_t)d->imm;
	if (unlikely(thread_hits_code(c, h)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/*
 * SIMD&FP: when FP is enabled (CPACR_EL1.FPEN, CPTR_EL2.TFP) and the current TLB holds
 * the naturally aligned access, host copies; anything else runs the row's
 * reference.  A load zeroes the rest of Z<t>, as vreg_write().
 */
static ALWAYS_INLINE bool fp_enabled(const struct cpu_state *s)
{
	return cpu_fp_trap(s) == SYSREG_OK;
}

/* h is aligned to size: a Q register is one 128-bit host access (host_load16) */
static ALWAYS_INLINE void vreg_load(struct cpu_state *s, unsigned int n, const uint8_t *h,
				    unsigned int size)
{
	if (size == 16) {
		uint64_t v[2];

		host_load16(h, v);
		memcpy(s->z[n], v, 16);
	} else {
		memcpy(s->z[n], h, size);
	}
	memset(s->z[n] + size, 0, CPU_ZREG_BYTES - size);
}

static ALWAYS_INLINE void vreg_store(const struct cpu_state *s, unsigned int n, uint8_t *h,
				     unsigned int size)
{
	if (size == 16) {
		uint64_t v[2];

		memcpy(v, s->z[n], 16);
		host_store16(h, v);
	} else {
		memcpy(h, s->z[n], size);
	}
}

/* LDR/STR (unsigned offset, unscaled) of B/H/S/D/Q with the base not SP */
static ALWAYS_INLINE int fp_single_fast(struct cpu *c, const struct dinsn *d,
					unsigned int lg, unsigned int kind, exec_fn ref)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	uint64_t addr = s->x[d->rn] + (uint64_t)d->imm;	/* Rn not SP */
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | (size - 1));
	uint8_t *h = (uint8_t *)(uintptr_t)(addr + t->addend);
	bool load = kind & LS_LOAD;

	if (unlikely(!fp_enabled(s) || (load ? t->tag_r : t->tag_w) != tag))
		return ldst_slow(c, d, ref);
	if (load) {
		vreg_load(s, d->rd, h, size);
		return EXEC_NEXT;
	}
	vreg_store(s, d->rd, h, size);
	if (unlikely(thread_hits_code(c, h) || thread_hits_code(c, h + size - 1)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* LDP/STP/LDNP/STNP of W, X, S, D or Q registers: both in one page the
 * current TLB holds; anything else (TLB miss, misaligned, the pair
 * crossing a page) runs the row's reference. */
static ALWAYS_INLINE int pair_fast(struct cpu *c, const struct dinsn *d, unsigned int lg,
				   unsigned int kind, bool post, bool wb, exec_fn ref)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	bool load = kind & LS_LOAD;
	uint64_t base, addr;
	struct tlb_entry *t;
	uint8_t *h;

	if ((kind & LS_FP) && unlikely(!fp_enabled(s)))
		return ldst_slow(c, d, ref);
	if (unlikely(fast_base(c, d, &base)))
		return EXEC_STOP;
	addr = post ? base : base + (uint64_t)d->imm;
	t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	if (unlikely((load ? t->tag_r : t->tag_w) != (addr & (PAGE_MASK | (size - 1))) ||
		     (addr & ~PAGE_MASK) > PAGE_SIZE - 2 * size))
		return ldst_slow(c, d, ref);
	h = (uint8_t *)(uintptr_t)(addr + t->addend);
	if (kind & LS_FP) {
		if (load) {
			vreg_load(s, d->rd, h, size);
			vreg_load(s, d->ra, h + size, size);
		} else {
			vreg_store(s, d->rd, h, size);
			vreg_store(s, d->ra, h + size, size);
		}
	} else if (size == 8 && !(addr & 15)) {
		/* FEAT_LSE2: single-copy atomic, one 128-bit access */
		uint64_t v[2];

		if (load) {
			host_load16(h, v);
			set_xreg(s, d->rd, v[0]);
			set_xreg(s, d->ra, v[1]);
		} else {
			v[0] = xreg(s, d->rd);
			v[1] = xreg(s, d->ra);
			host_store16(h, v);
		}
	} else if (size == 4 && (addr & 15) <= 8) {
		/* FEAT_LSE2: in one 16-byte quantity, one 64-bit access */
		if (load) {
			uint64_t v = (addr & 7) ? load_le(h, 8) : host_load(h, 8);

			set_xreg(s, d->rd, (uint32_t)v);
			set_xreg(s, d->ra, v >> 32);
		} else {
			uint64_t v = (uint32_t)xreg(s, d->rd) | (xreg(s, d->ra) << 32);

			if (addr & 7)
				store_le(h, 8, v);
			else
				host_store(h, 8, v);
		}
	} else if (load) {
		uint64_t v1 = host_load(h, size), v2 = host_load(h + size, size);

		set_xreg(s, d->rd, v1);
		set_xreg(s, d->ra, v2);
	} else {
		host_store(h, size, xreg(s, d->rd));
		host_store(h + size, size, xreg(s, d->ra));
	}
	if (wb)
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	if (!load && unlikely(thread_hits_code(c, h) ||
			      thread_hits_code(c, h + 2 * size - 1)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/* ---- fast-form conditions ------------------------------------------------------- */

static bool ls_any(const struct dinsn *d)
{
	return true;
}

static bool ls_nosp(const struct dinsn *d)
{
	return d->rn != 31;
}

/* a load with the base not SP and Rt not XZR (a store's Rt reads XZR as 0) */
static bool ld_nosp(const struct dinsn *d)
{
	return d->rn != 31 && d->rd != 31;
}

/* register offset: the option field (prep_*_reg) picks the index's extension */
static bool st_xidx(const struct dinsn *d) { return ls_nosp(d) && (d->ra & 3) == 3; }
static bool st_uxtw(const struct dinsn *d) { return ls_nosp(d) && d->ra == 2; }
static bool st_sxtw(const struct dinsn *d) { return ls_nosp(d) && d->ra == 6; }
static bool ld_xidx(const struct dinsn *d) { return ld_nosp(d) && (d->ra & 3) == 3; }
static bool ld_uxtw(const struct dinsn *d) { return ld_nosp(d) && d->ra == 2; }
static bool ld_sxtw(const struct dinsn *d) { return ld_nosp(d) && d->ra == 6; }

/* ---- the rows' handlers ---------------------------------------------------------- */

#define HANDLER(name, body)							\
static int name(struct cpu *c, const struct dinsn *d)				\
{										\
	return body;								\
}

/* a register-offset fast form and its own threaded entry (OWN_NOPC) */
#define RX_FAST(name, lg, kind, ext)						\
HANDLER(name, int_access_rx(c, d, lg, kind, ext, false))			\
static __attribute__((flatten)) int name##_t(struct cpu *c, const struct dinsn *d) \
{										\
	return int_access_rx(c, d, lg, kind, ext, true);			\
}

/*
 * The general-purpose forms: the stem of the unsigned-offset (_uimm),
 * post-index, pre-index and register-offset (_reg) rows, the unscaled
 * row, the unprivileged row; log2 size; kind.
 */
#define INT_FORMS(X)								\
	X(STRB, STURB, STTRB, 0, 0)						\
	X(LDRB, LDURB, LDTRB, 0, LS_LOAD)					\
	X(LDRSB_x, LDURSB_x, LDTRSB_x, 0, LS_LOAD | LS_SIGNED)			\
	X(LDRSB_w, LDURSB_w, LDTRSB_w, 0, LS_LOAD | LS_SIGNED | LS_TO_W)	\
	X(STRH, STURH, STTRH, 1, 0)						\
	X(LDRH, LDURH, LDTRH, 1, LS_LOAD)					\
	X(LDRSH_x, LDURSH_x, LDTRSH_x, 1, LS_LOAD | LS_SIGNED)			\
	X(LDRSH_w, LDURSH_w, LDTRSH_w, 1, LS_LOAD | LS_SIGNED | LS_TO_W)	\
	X(STR_w, STUR_w, STTR_w, 2, 0)						\
	X(LDR_w, LDUR_w, LDTR_w, 2, LS_LOAD)					\
	X(LDRSW, LDURSW, LDTRSW, 2, LS_LOAD | LS_SIGNED)			\
	X(STR_x, STUR_x, STTR_x, 3, 0)						\
	X(LDR_x, LDUR_x, LDTR_x, 3, LS_LOAD)

#define INT_ROWS(s, u, t, lg, k)						\
HANDLER(exec_##s##_uimm, ref_offset(c, d, lg, k))				\
HANDLER(exec_##u, ref_offset(c, d, lg, k))					\
HANDLER(exec_##t, ref_offset(c, d, lg, k))					\
HANDLER(exec_##s##_post, ref_wb(c, d, lg, k, true))				\
HANDLER(exec_##s##_pre, ref_wb(c, d, lg, k, false))				\
HANDLER(exec_##s##_reg, ref_reg(c, d, lg, k))					\
HANDLER(fast_##s##_uimm_tlb, fast_single(c, d, false, lg, k))			\
HANDLER(fast_##u##_tlb, fast_single(c, d, false, lg, k))			\
HANDLER(fast_##s##_post_tlb, int_access_wb(c, d, lg, k, true, exec_##s##_post)) \
HANDLER(fast_##s##_post_nosp, int_access_wbs(c, d, lg, k, true, exec_##s##_post)) \
HANDLER(fast_##s##_pre_tlb, int_access_wb(c, d, lg, k, false, exec_##s##_pre)) \
HANDLER(fast_##s##_pre_nosp, int_access_wbs(c, d, lg, k, false, exec_##s##_pre)) \
HANDLER(fast_##s##_reg_tlb, fast_single(c, d, true, lg, k))			\
RX_FAST(fast_##s##_reg_xidx, lg, k, 3)						\
RX_FAST(fast_##s##_reg_uxtw, lg, k, 2)						\
RX_FAST(fast_##s##_reg_sxtw, lg, k, 6)

INT_FORMS(INT_ROWS)

/* The SIMD&FP forms: stem of the _uimm, _post, _pre and _reg rows, the
 * unscaled row; log2 size; kind. */
#define FP_FORMS(X)								\
	X(STR_b, STUR_b, 0, LS_FP) X(LDR_b, LDUR_b, 0, LS_FP | LS_LOAD)		\
	X(STR_h, STUR_h, 1, LS_FP) X(LDR_h, LDUR_h, 1, LS_FP | LS_LOAD)		\
	X(STR_s, STUR_s, 2, LS_FP) X(LDR_s, LDUR_s, 2, LS_FP | LS_LOAD)		\
	X(STR_d, STUR_d, 3, LS_FP) X(LDR_d, LDUR_d, 3, LS_FP | LS_LOAD)		\
	X(STR_q, STUR_q, 4, LS_FP) X(LDR_q, LDUR_q, 4, LS_FP | LS_LOAD)

#define FP_ROWS(s, u, lg, k)							\
HANDLER(exec_##s##_uimm, ref_offset(c, d, lg, k))				\
HANDLER(exec_##u, ref_offset(c, d, lg, k))					\
HANDLER(exec_##s##_post, ref_wb(c, d, lg, k, true))				\
HANDLER(exec_##s##_pre, ref_wb(c, d, lg, k, false))				\
HANDLER(exec_##s##_reg, ref_reg(c, d, lg, k))					\
HANDLER(fast_##s##_uimm_tlb, fp_single_fast(c, d, lg, k, exec_##s##_uimm))	\
HANDLER(fast_##u##_tlb, fp_single_fast(c, d, lg, k, exec_##u))

FP_FORMS(FP_ROWS)

/* Pairs: stem of the offset, _post and _pre rows, the no-allocate row;
 * log2 size; kind. */
#define PAIR_FORMS(X)								\
	X(STP_w, STNP_w, 2, 0) X(LDP_w, LDNP_w, 2, LS_LOAD)			\
	X(STP_x, STNP_x, 3, 0) X(LDP_x, LDNP_x, 3, LS_LOAD)			\
	X(STP_s, STNP_s, 2, LS_FP) X(LDP_s, LDNP_s, 2, LS_FP | LS_LOAD)		\
	X(STP_d, STNP_d, 3, LS_FP) X(LDP_d, LDNP_d, 3, LS_FP | LS_LOAD)		\
	X(STP_q, STNP_q, 4, LS_FP) X(LDP_q, LDNP_q, 4, LS_FP | LS_LOAD)

#define PAIR_ROWS(s, np, lg, k)							\
HANDLER(exec_##s, ref_pair(c, d, lg, k, false, false))				\
HANDLER(exec_##s##_post, ref_pair(c, d, lg, k, true, true))			\
HANDLER(exec_##s##_pre, ref_pair(c, d, lg, k, false, true))			\
HANDLER(exec_##np, ref_pair(c, d, lg, k, false, false))				\
HANDLER(fast_##s##_tlb, pair_fast(c, d, lg, k, false, false, exec_##s))		\
HANDLER(fast_##s##_post_tlb, pair_fast(c, d, lg, k, true, true, exec_##s##_post)) \
HANDLER(fast_##s##_pre_tlb, pair_fast(c, d, lg, k, false, true, exec_##s##_pre)) \
HANDLER(fast_##np##_tlb, pair_fast(c, d, lg, k, false, false, exec_##np))

PAIR_FORMS(PAIR_ROWS)

HANDLER(exec_LDPSW, ref_pair(c, d, 2, LS_LOAD | LS_SIGNED, false, false))
HANDLER(exec_LDPSW_post, ref_pair(c, d, 2, LS_LOAD | LS_SIGNED, true, true))
HANDLER(exec_LDPSW_pre, ref_pair(c, d, 2, LS_LOAD | LS_SIGNED, false, true))

HANDLER(exec_LDR_w_lit, ref_lit(c, d, 2, LS_LOAD))
HANDLER(exec_LDR_x_lit, ref_lit(c, d, 3, LS_LOAD))
HANDLER(exec_LDRSW_lit, ref_lit(c, d, 2, LS_LOAD | LS_SIGNED))
HANDLER(exec_LDR_s_lit, ref_lit(c, d, 2, LS_FP | LS_LOAD))
HANDLER(exec_LDR_d_lit, ref_lit(c, d, 3, LS_FP | LS_LOAD))
HANDLER(exec_LDR_q_lit, ref_lit(c, d, 4, LS_FP | LS_LOAD))

/* prefetch hints never fault */
HANDLER(exec_PRFM_uimm, EXEC_NEXT)
HANDLER(exec_PRFUM, EXEC_NEXT)
HANDLER(exec_PRFM_reg, EXEC_NEXT)
HANDLER(exec_PRFM_lit, EXEC_NEXT)

/* ---- field extraction --------------------------------------------------------------- */

/*
 * The access word of a general-purpose single-register form from size
 * (bits 31:30) and opc (23:22): with the syndrome (ISV=1) where the
 * architecture reports one, or only the direction (pre/post-index).
 */
static uint32_t int_acc(const struct dinsn *d, bool syndrome)
{
	unsigned int size = FIELD(d->insn, 31, 30), opc = FIELD(d->insn, 23, 22);
	bool sf = opc == 2 || (opc < 2 && size == 3);

	if (!syndrome)
		return opc ? 0 : ACC_WRITE;
	return acc_iss(size, d->rd, opc >= 2, sf, false, opc == 0);
}

/* SIMD&FP: size:opc<1> gives B, H, S, D or Q; opc<0> is L.  No syndrome. */
static unsigned int fp_lg(const struct dinsn *d)
{
	return BIT(d->insn, 23) ? 4 : FIELD(d->insn, 31, 30);
}

static uint32_t fp_acc(const struct dinsn *d)
{
	return BIT(d->insn, 22) ? 0 : ACC_WRITE;
}

/* unsigned offset: imm12 scaled by the access size */
static bool prep_uimm(struct dinsn *d, uint32_t acc, unsigned int lg)
{
	d->aux = acc | acc_sp_notag(d->rn, false);
	d->imm = (int64_t)(FIELD(d->insn, 21, 10) << lg);
	return true;
}

static bool prep_int_uimm(struct dinsn *d)
{
	return prep_uimm(d, int_acc(d, true), FIELD(d->insn, 31, 30));
}

static bool prep_fp_uimm(struct dinsn *d)
{
	return prep_uimm(d, fp_acc(d), fp_lg(d));
}

/* unscaled, unprivileged, post- and pre-index (bit 10: writeback): simm9 */
static bool prep_simm(struct dinsn *d, uint32_t acc)
{
	d->aux = acc | acc_sp_notag(d->rn, BIT(d->insn, 10));
	d->imm = sext(FIELD(d->insn, 20, 12), 9);
	return true;
}

static bool prep_int_simm(struct dinsn *d)
{
	return prep_simm(d, int_acc(d, true));
}

static bool prep_fp_simm(struct dinsn *d)
{
	return prep_simm(d, fp_acc(d));
}

static bool prep_int_unpriv(struct dinsn *d)
{
	return prep_simm(d, int_acc(d, true) | ACC_UNPRIV);
}

/* post- and pre-index: no syndrome */
static bool prep_int_wb(struct dinsn *d)
{
	return prep_simm(d, int_acc(d, false));
}

/* option must be UXTW, LSL, SXTW or SXTX */
static bool prep_prfm_reg(struct dinsn *d)
{
	return FIELD(d->insn, 15, 13) & 2;
}

/* register offset: the option in d->ra, the shift (S: the size) in d->imm */
static bool prep_reg(struct dinsn *d, uint32_t acc, unsigned int lg)
{
	d->aux = acc;
	d->ra = (uint8_t)FIELD(d->insn, 15, 13);
	d->imm = BIT(d->insn, 12) ? lg : 0;
	return prep_prfm_reg(d);
}

static bool prep_int_reg(struct dinsn *d)
{
	return prep_reg(d, int_acc(d, true), FIELD(d->insn, 31, 30));
}

static bool prep_fp_reg(struct dinsn *d)
{
	return prep_reg(d, fp_acc(d), fp_lg(d));
}

/* LDR (literal) W, X, SW: opc 0, 1, 2 */
static bool prep_int_lit(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 31, 30);

	d->imm = sext((uint64_t)FIELD(d->insn, 23, 5) << 2, 21);
	/* PC-relative: Tag Unchecked */
	d->aux = acc_iss(opc == 1 ? 3 : 2, d->rd, opc == 2, opc != 0, false, false) | ACC_NOTAG;
	return true;
}

static bool prep_fp_lit(struct dinsn *d)
{
	d->aux = ACC_NOTAG;
	d->imm = sext((uint64_t)FIELD(d->insn, 23, 5) << 2, 21);
	return true;
}

/* pairs: imm7 scaled by the size; L is bit 22, writeback bit 23 */
static bool prep_pair(struct dinsn *d, unsigned int lg)
{
	d->aux = (BIT(d->insn, 22) ? 0 : ACC_WRITE) | acc_sp_notag(d->rn, BIT(d->insn, 23));
	d->imm = (int64_t)((uint64_t)sext(FIELD(d->insn, 21, 15), 7) << lg);
	return true;
}

/* opc 0 W (LDPSW: opc 1), 2 X */
static bool prep_int_pair(struct dinsn *d)
{
	return prep_pair(d, BIT(d->insn, 31) ? 3 : 2);
}

/* opc 0 S, 1 D, 2 Q */
static bool prep_fp_pair(struct dinsn *d)
{
	return prep_pair(d, 2 + FIELD(d->insn, 31, 30));
}

#define INSN_CLASS	ldst
#define INSN_DEF	"insn/ldst.def"
#include "a64_table.h"
