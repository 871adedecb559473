// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and stores of general-purpose and SIMD&FP registers: immediate
 * (unsigned offset, unscaled, pre/post-index, unprivileged), register offset,
 * literal and pairs (Arm ARM C4.1.88 "Loads and Stores").  Exclusives,
 * load-acquire/store-release and atomics are in exec_atomic.c.
 *
 * d->aux describes the access: the low 32 bits are the access word (ISS
 * syndrome + ACC_* flags, see internal.h), the rest the LS_* bits below.
 */
#include "internal.h"

#define LS_SIZE_SHIFT	32		/* log2 of the access size, 0..4 */
#define LS_LOAD		(1ULL << 40)
#define LS_SIGNED	(1ULL << 41)	/* sign-extend the loaded value */
#define LS_TO_W		(1ULL << 42)	/* ... to 32 bits (LDRSB/LDRSH Wt) */
#define LS_FP		(1ULL << 43)	/* SIMD&FP register */
#define LS_POST		(1ULL << 44)
#define LS_PRE		(1ULL << 45)
#define LS_PRFM		(1ULL << 46)

#define LS_ACC(d)	((uint32_t)(d)->aux)
#define LS_LOG2(d)	((unsigned int)(((d)->aux >> LS_SIZE_SHIFT) & 7))

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
	    (s->sysreg[SR_SCTLR_EL1] & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

static inline uint64_t extend_load(uint64_t v, uint64_t aux)
{
	unsigned int bits = 8u << ((aux >> LS_SIZE_SHIFT) & 7);

	if (!(aux & LS_SIGNED))
		return v;
	v = (uint64_t)sext(v, bits);
	return (aux & LS_TO_W) ? (uint32_t)v : v;
}

/* ---- SIMD&FP register file view ----------------------------------------------- */

static void vreg_write(struct cpu_state *s, unsigned int n, const uint64_t *v,
		       unsigned int bytes)
{
	/* A write to V<n> zeroes the rest of Z<n> (and of the 128-bit V) */
	memset(s->z[n], 0, sizeof(s->z[n]));
	memcpy(s->z[n], v, bytes);
}

static int fp_load(struct cpu *c, const struct dinsn *d, unsigned int rt,
		   uint64_t addr, uint64_t *out)
{
	unsigned int lg = LS_LOG2(d);
	uint32_t acc = LS_ACC(d);

	if (lg == 4) {
		if (mem_read(c, addr, 8, acc, &out[0]) ||
		    mem_read(c, addr + 8, 8, acc, &out[1]))
			return -1;
		return 0;
	}
	out[1] = 0;
	return mem_read(c, addr, 1u << lg, acc, &out[0]);
}

static int fp_store(struct cpu *c, const struct dinsn *d, unsigned int rt,
		    uint64_t addr)
{
	unsigned int lg = LS_LOG2(d);
	uint32_t acc = LS_ACC(d);
	uint64_t v[2];

	memcpy(v, c->state.z[rt], 16);
	if (lg == 4)
		return mem_write(c, addr, 8, acc, v[0]) ||
		       mem_write(c, addr + 8, 8, acc, v[1]) ? -1 : 0;
	return mem_write(c, addr, 1u << lg, acc, v[0]);
}

/* ---- the single-register access ---------------------------------------------------- */

static int access_one(struct cpu *c, const struct dinsn *d, uint64_t addr)
{
	struct cpu_state *s = &c->state;
	uint64_t aux = d->aux, v;

	if (aux & LS_FP) {
		uint64_t q[2];

		if (!fp_access_ok(c))
			return -1;
		if (!(aux & LS_LOAD))
			return fp_store(c, d, d->rd, addr);
		if (fp_load(c, d, d->rd, addr, q))
			return -1;
		vreg_write(s, d->rd, q, 1u << LS_LOG2(d));
		return 0;
	}
	if (aux & LS_LOAD) {
		if (mem_read(c, addr, 1u << LS_LOG2(d), LS_ACC(d), &v))
			return -1;
		set_xreg(s, d->rd, extend_load(v, aux));
		return 0;
	}
	return mem_write(c, addr, 1u << LS_LOG2(d), LS_ACC(d), xreg(s, d->rd));
}

/* LDR/STR (unsigned offset, unscaled, unprivileged), no writeback */
static int ldst_imm(struct cpu *c, const struct dinsn *d)
{
	uint64_t base;

	if (base_reg(c, d->rn, &base) || access_one(c, d, base + (uint64_t)d->imm))
		return EXEC_STOP;
	return EXEC_NEXT;
}

/*
 * General-purpose single-register forms specialised at decode time by size
 * and extension, so that the access size is a constant and the TLB fast
 * path (mem_read_cur/mem_write_cur) compiles to a tag compare and a host
 * access.  Same semantics as access_one() for the non-FP case; never used
 * for LDTR/STTR (ACC_UNPRIV), whose regime is not the current one.
 */

/* The TLB-miss side of int_access(), out of line so that the fast path
 * needs no stack frame. */
static __attribute__((noinline)) int int_access_slow(struct cpu *c,
						     const struct dinsn *d,
						     uint64_t addr, unsigned int lg,
						     uint64_t kind)
{
	struct cpu_state *s = &c->state;
	uint64_t v;

	thread_sync_pc(c, d);	/* the threaded entry did not store it */
	if (kind & LS_LOAD) {
		if (mem_read_slow(c, addr, 1u << lg, LS_ACC(d), &v))
			return EXEC_STOP;
		set_xreg(s, d->rd, extend_load(v, kind | ((uint64_t)lg << LS_SIZE_SHIFT)));
		return EXEC_NEXT;
	}
	if (mem_write_slow(c, addr, 1u << lg, LS_ACC(d), xreg(s, d->rd)))
		return EXEC_STOP;
	if (unlikely(c->th_dirty))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

static ALWAYS_INLINE int int_access(struct cpu *c, const struct dinsn *d,
				    uint64_t addr, unsigned int lg, uint64_t kind)
{
	struct cpu_state *s = &c->state;
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | ((1u << lg) - 1));

	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != tag))
			return int_access_slow(c, d, addr, lg, kind);
		set_xreg(s, d->rd, extend_load(host_load((const void *)(uintptr_t)(addr + t->addend),
							 1u << lg),
					       kind | ((uint64_t)lg << LS_SIZE_SHIFT)));
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != tag))
		return int_access_slow(c, d, addr, lg, kind);
	host_store((void *)(uintptr_t)(addr + t->addend), 1u << lg, xreg(s, d->rd));
	if (unlikely(thread_hits_code(c, (const void *)(uintptr_t)(addr + t->addend))))
		return thread_code_written(c, d);
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

#define INT_LS(name, lg, kind)							\
static int name##_imm(struct cpu *c, const struct dinsn *d)			\
{										\
	uint64_t base;								\
										\
	if (unlikely(d->rn == 31))						\
		thread_sync_pc(c, d);	/* SP alignment fault possible */	\
	if (unlikely(base_reg(c, d->rn, &base)))				\
		return EXEC_STOP;						\
	return int_access(c, d, base + (uint64_t)d->imm, lg, kind);		\
}										\
static int name##_reg(struct cpu *c, const struct dinsn *d)			\
{										\
	uint64_t base;								\
										\
	if (unlikely(d->rn == 31))						\
		thread_sync_pc(c, d);	/* SP alignment fault possible */	\
	if (unlikely(base_reg(c, d->rn, &base)))				\
		return EXEC_STOP;						\
	return int_access(c, d, base + reg_offset(&c->state, d), lg, kind);	\
}

/* Every general-purpose single-register form: name, log2 size, kind. */
#define INT_LS_FORMS(X)								\
	X(strb, 0, 0) X(strh, 1, 0) X(strw, 2, 0) X(strx, 3, 0)			\
	X(ldrb, 0, LS_LOAD) X(ldrh, 1, LS_LOAD) X(ldrw, 2, LS_LOAD)		\
	X(ldrx, 3, LS_LOAD) X(ldrsbx, 0, LS_LOAD | LS_SIGNED)			\
	X(ldrshx, 1, LS_LOAD | LS_SIGNED) X(ldrswx, 2, LS_LOAD | LS_SIGNED)	\
	X(ldrsbw, 0, LS_LOAD | LS_SIGNED | LS_TO_W)				\
	X(ldrshw, 1, LS_LOAD | LS_SIGNED | LS_TO_W)

INT_LS_FORMS(INT_LS)

/*
 * Register offset with Rn not SP and, for loads, Rt not XZR, specialised
 * at decode time by the index's extension (ext: the option field, 3 for a
 * 64-bit index (LSL, SXTX), 2 UXTW, 6 SXTW): no register-31 checks (Rm
 * and a stored Rt read as XZR through x[CPU_XZR]), and a threaded entry
 * whose fast path needs no stack frame (the TLB-miss side is a tail call
 * that goes on down the chain itself).
 */
static __attribute__((noinline)) int int_access_slow_t(struct cpu *c,
						       const struct dinsn *d,
						       uint64_t addr, unsigned int lg,
						       uint64_t kind)
{
	return thread_leave(c, d, int_access_slow(c, d, addr, lg, kind), false);
}

static ALWAYS_INLINE int int_access_rx(struct cpu *c, const struct dinsn *d,
				       unsigned int lg, uint64_t kind, unsigned int ext,
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
						    1u << lg),
					  kind | ((uint64_t)lg << LS_SIZE_SHIFT));
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

#define INT_LS_RX1(fname, lg, kind, ext)					\
static int fname(struct cpu *c, const struct dinsn *d)				\
{										\
	return int_access_rx(c, d, lg, kind, ext, false);			\
}										\
static __attribute__((flatten)) int fname##_t(struct cpu *c, const struct dinsn *d) \
{										\
	return int_access_rx(c, d, lg, kind, ext, true);			\
}
#define INT_LS_RX(name, lg, kind)						\
	INT_LS_RX1(name##_rx, lg, kind, 3)					\
	INT_LS_RX1(name##_rxu, lg, kind, 2)					\
	INT_LS_RX1(name##_rxs, lg, kind, 6)

INT_LS_FORMS(INT_LS_RX)

/*
 * Pre-/post-index (LDR/STR Xt/Wt, [Xn, #imm]! and [Xn], #imm, all sizes and
 * extensions): the access and the writeback with no PC store when the
 * current TLB holds the page; anything else (TLB miss, misaligned,
 * MMIO) runs ldst_wb() with PC stored and the self-modifying-code check
 * of thread_generic.  As in ldst_wb(), the base is written back after the
 * access (a load with Rt == Rn ends with the written-back base).
 */
static int ldst_wb(struct cpu *c, const struct dinsn *d);

/*
 * The slow side of a short form: the generic handler fn with PC stored,
 * then the self-modifying-code check of thread_generic().
 */
static __attribute__((noinline)) int ldst_slow(struct cpu *c, const struct dinsn *d,
					       exec_fn fn)
{
	int r;

	thread_sync_pc(c, d);
	r = fn(c, d);
	if (unlikely(c->th_dirty)) {
		if (r == EXEC_NEXT)
			return thread_code_written(c, d);
		c->th_dirty = false;
	}
	return r;
}

static int wb_slow(struct cpu *c, const struct dinsn *d)
{
	return ldst_slow(c, d, ldst_wb);
}

static ALWAYS_INLINE int int_access_wb(struct cpu *c, const struct dinsn *d,
				       unsigned int lg, uint64_t kind)
{
	struct cpu_state *s = &c->state;
	uint64_t base, addr;
	struct tlb_entry *t;
	void *h;

	if (unlikely(d->rn == 31))
		thread_sync_pc(c, d);	/* SP alignment fault possible */
	if (unlikely(base_reg(c, d->rn, &base)))
		return EXEC_STOP;
	addr = (d->aux & LS_POST) ? base : base + (uint64_t)d->imm;
	t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	h = (void *)(uintptr_t)(addr + t->addend);
	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != (addr & (PAGE_MASK | ((1u << lg) - 1)))))
			return wb_slow(c, d);
		set_xreg(s, d->rd, extend_load(host_load(h, 1u << lg),
					       kind | ((uint64_t)lg << LS_SIZE_SHIFT)));
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != (addr & (PAGE_MASK | ((1u << lg) - 1)))))
		return wb_slow(c, d);
	host_store(h, 1u << lg, xreg(s, d->rd));
	set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	if (unlikely(thread_hits_code(c, h)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

#define INT_LS_WB(name, lg, kind)						\
static int name##_wb(struct cpu *c, const struct dinsn *d)			\
{										\
	return int_access_wb(c, d, lg, kind);					\
}

INT_LS_FORMS(INT_LS_WB)

/*
 * The same with the base not SP and, for loads, Rt not XZR, specialised
 * by post (post-index) or pre (pre-index): no register-31 checks, no
 * mode test.  A load with Rt == Rn ends with the written-back base.
 */
static ALWAYS_INLINE int int_access_wbs(struct cpu *c, const struct dinsn *d,
					unsigned int lg, uint64_t kind, bool post)
{
	struct cpu_state *s = &c->state;
	uint64_t base = s->x[d->rn], addr = post ? base : base + (uint64_t)d->imm;
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | ((1u << lg) - 1));
	void *h = (void *)(uintptr_t)(addr + t->addend);

	if (kind & LS_LOAD) {
		if (unlikely(t->tag_r != tag))
			return wb_slow(c, d);
		s->x[d->rd] = extend_load(host_load(h, 1u << lg),
					  kind | ((uint64_t)lg << LS_SIZE_SHIFT));
		s->x[d->rn] = base + (uint64_t)d->imm;
		return EXEC_NEXT;
	}
	if (unlikely(t->tag_w != tag))
		return wb_slow(c, d);
	host_store(h, 1u << lg, s->x[d->rd]);
	s->x[d->rn] = base + (uint64_t)d->imm;
	if (unlikely(thread_hits_code(c, h)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

#define INT_LS_WBS(name, lg, kind)						\
static int name##_post(struct cpu *c, const struct dinsn *d)			\
{										\
	return int_access_wbs(c, d, lg, kind, true);				\
}										\
static int name##_pre(struct cpu *c, const struct dinsn *d)			\
{										\
	return int_access_wbs(c, d, lg, kind, false);				\
}

INT_LS_FORMS(INT_LS_WBS)

#define INT_LS_THREADED(name)	THREADED_NOPC(name##_imm) THREADED_NOPC(name##_reg) \
				THREADED_NOPC(name##_wb) THREADED_NOPC(name##_post) \
				THREADED_NOPC(name##_pre)
#define INT_LS_MAP(name)	THREAD_MAP(name##_imm), THREAD_MAP(name##_reg), \
				THREAD_MAP(name##_rx), THREAD_MAP(name##_rxu), \
				THREAD_MAP(name##_rxs), THREAD_MAP(name##_wb), \
				THREAD_MAP(name##_post), THREAD_MAP(name##_pre)

#define INT_LS_THREADED_FORM(name, lg, kind)	INT_LS_THREADED(name)
#define INT_LS_MAP_FORM(name, lg, kind)		INT_LS_MAP(name),

INT_LS_FORMS(INT_LS_THREADED_FORM)

/*
 * LDP/STP of W or X registers (not LDPSW, not SIMD&FP), specialised at
 * decode time: when both words lie in one page the current TLB holds, two
 * host accesses and no PC store; anything else (TLB miss, misaligned, the
 * pair crossing a page) runs ldst_pair() with PC stored.
 */
static int ldst_pair(struct cpu *c, const struct dinsn *d);

static int pair_slow(struct cpu *c, const struct dinsn *d)
{
	return ldst_slow(c, d, ldst_pair);
}

static ALWAYS_INLINE int pair_fast(struct cpu *c, const struct dinsn *d,
				   unsigned int lg, bool load)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	uint64_t base, addr, aux = d->aux;
	struct tlb_entry *t;
	uint8_t *h;

	if (unlikely(d->rn == 31))
		thread_sync_pc(c, d);	/* SP alignment fault possible */
	if (unlikely(base_reg(c, d->rn, &base)))
		return EXEC_STOP;
	addr = (aux & LS_POST) ? base : base + (uint64_t)d->imm;
	t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	if (unlikely((load ? t->tag_r : t->tag_w) != (addr & (PAGE_MASK | (size - 1))) ||
		     (addr & ~PAGE_MASK) > PAGE_SIZE - 2 * size))
		return pair_slow(c, d);
	h = (uint8_t *)(uintptr_t)(addr + t->addend);
	if (load) {
		uint64_t v1 = host_load(h, size), v2 = host_load(h + size, size);

		set_xreg(s, d->rd, v1);
		set_xreg(s, d->ra, v2);
	} else {
		host_store(h, size, xreg(s, d->rd));
		host_store(h + size, size, xreg(s, d->ra));
	}
	if (aux & (LS_PRE | LS_POST))
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	if (!load && unlikely(thread_hits_code(c, h) ||
			      thread_hits_code(c, h + 2 * size - 1)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

/*
 * SIMD&FP LDR/STR (unsigned offset, unscaled) of B/H/S/D/Q and LDP/STP of
 * S/D/Q (any addressing mode), specialised at decode time: when FP is
 * enabled (CPACR_EL1.FPEN) and the current TLB holds the naturally aligned
 * access, host copies and no PC store; anything else runs the generic
 * handler with PC stored.  A load zeroes the rest of Z<t>, as vreg_write.
 */
static ALWAYS_INLINE bool fp_enabled(const struct cpu_state *s)
{
	unsigned int fpen = (s->sysreg[SR_CPACR_EL1] >> 20) & 3;

	return fpen == 3 || (fpen == 1 && cpu_current_el(s) == 1);
}

static ALWAYS_INLINE void vreg_load(struct cpu_state *s, unsigned int n, const uint8_t *h,
				    unsigned int size)
{
	memcpy(s->z[n], h, size);
	memset(s->z[n] + size, 0, CPU_ZREG_BYTES - size);
}

static int fp_single_slow(struct cpu *c, const struct dinsn *d)
{
	return ldst_slow(c, d, ldst_imm);
}

static ALWAYS_INLINE int fp_single_fast(struct cpu *c, const struct dinsn *d,
					unsigned int lg, bool load)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	uint64_t addr = s->x[d->rn] + (uint64_t)d->imm;	/* Rn not SP */
	struct tlb_entry *t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t tag = addr & (PAGE_MASK | (size - 1));
	uint8_t *h = (uint8_t *)(uintptr_t)(addr + t->addend);

	if (unlikely(!fp_enabled(s) || (load ? t->tag_r : t->tag_w) != tag))
		return fp_single_slow(c, d);
	if (load) {
		vreg_load(s, d->rd, h, size);
		return EXEC_NEXT;
	}
	memcpy(h, s->z[d->rd], size);
	if (unlikely(thread_hits_code(c, h) || thread_hits_code(c, h + size - 1)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

static ALWAYS_INLINE int fp_pair_fast(struct cpu *c, const struct dinsn *d,
				      unsigned int lg, bool load)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << lg;
	uint64_t base, addr, aux = d->aux;
	struct tlb_entry *t;
	uint8_t *h;

	if (unlikely(!fp_enabled(s)))
		return pair_slow(c, d);
	if (unlikely(d->rn == 31))
		thread_sync_pc(c, d);	/* SP alignment fault possible */
	if (unlikely(base_reg(c, d->rn, &base)))
		return EXEC_STOP;
	addr = (aux & LS_POST) ? base : base + (uint64_t)d->imm;
	t = &c->cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	if (unlikely((load ? t->tag_r : t->tag_w) != (addr & (PAGE_MASK | (size - 1))) ||
		     (addr & ~PAGE_MASK) > PAGE_SIZE - 2 * size))
		return pair_slow(c, d);
	h = (uint8_t *)(uintptr_t)(addr + t->addend);
	if (load) {
		vreg_load(s, d->rd, h, size);
		vreg_load(s, d->ra, h + size, size);
	} else {
		memcpy(h, s->z[d->rd], size);
		memcpy(h + size, s->z[d->ra], size);
	}
	if (aux & (LS_PRE | LS_POST))
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	if (!load && unlikely(thread_hits_code(c, h) ||
			      thread_hits_code(c, h + 2 * size - 1)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

#define FP_SINGLE(lg, sfx)							\
static int ldr_##sfx(struct cpu *c, const struct dinsn *d) { return fp_single_fast(c, d, lg, true); } \
static int str_##sfx(struct cpu *c, const struct dinsn *d) { return fp_single_fast(c, d, lg, false); } \
THREADED_NOPC(ldr_##sfx) THREADED_NOPC(str_##sfx)
#define FP_PAIR(lg, sfx)							\
static int ldp_##sfx(struct cpu *c, const struct dinsn *d) { return fp_pair_fast(c, d, lg, true); } \
static int stp_##sfx(struct cpu *c, const struct dinsn *d) { return fp_pair_fast(c, d, lg, false); } \
THREADED_NOPC(ldp_##sfx) THREADED_NOPC(stp_##sfx)

FP_SINGLE(0, vb) FP_SINGLE(1, vh) FP_SINGLE(2, vs) FP_SINGLE(3, vd) FP_SINGLE(4, vq)
FP_PAIR(2, vs) FP_PAIR(3, vd) FP_PAIR(4, vq)

/* [load][log2 size] */
static const exec_fn fp_single_fn[2][5] = {
	{ str_vb, str_vh, str_vs, str_vd, str_vq },
	{ ldr_vb, ldr_vh, ldr_vs, ldr_vd, ldr_vq },
};
static const exec_fn fp_pair_fn[2][3] = {
	{ stp_vs, stp_vd, stp_vq },
	{ ldp_vs, ldp_vd, ldp_vq },
};

static int ldp_w(struct cpu *c, const struct dinsn *d) { return pair_fast(c, d, 2, true); }
static int ldp_x(struct cpu *c, const struct dinsn *d) { return pair_fast(c, d, 3, true); }
static int stp_w(struct cpu *c, const struct dinsn *d) { return pair_fast(c, d, 2, false); }
static int stp_x(struct cpu *c, const struct dinsn *d) { return pair_fast(c, d, 3, false); }

THREADED_NOPC(ldp_w)
THREADED_NOPC(ldp_x)
THREADED_NOPC(stp_w)
THREADED_NOPC(stp_x)

static const struct thread_map ldst_thread_map[] = {
	INT_LS_FORMS(INT_LS_MAP_FORM)
	THREAD_MAP(ldp_w), THREAD_MAP(ldp_x), THREAD_MAP(stp_w), THREAD_MAP(stp_x),
	THREAD_MAP(ldr_vb), THREAD_MAP(ldr_vh), THREAD_MAP(ldr_vs), THREAD_MAP(ldr_vd),
	THREAD_MAP(ldr_vq), THREAD_MAP(str_vb), THREAD_MAP(str_vh), THREAD_MAP(str_vs),
	THREAD_MAP(str_vd), THREAD_MAP(str_vq),
	THREAD_MAP(ldp_vs), THREAD_MAP(ldp_vd), THREAD_MAP(ldp_vq),
	THREAD_MAP(stp_vs), THREAD_MAP(stp_vd), THREAD_MAP(stp_vq),
};

const struct thread_table ldst_threaded = {
	ldst_thread_map, sizeof(ldst_thread_map) / sizeof(ldst_thread_map[0])
};

/* [kind][lg]: kind 0 store, 1 load, 2 signed to X, 3 signed to W */
#define INT_LS_TABLE(sfx)							\
static const exec_fn int_ls_##sfx[4][4] = {					\
	{ strb_##sfx, strh_##sfx, strw_##sfx, strx_##sfx },			\
	{ ldrb_##sfx, ldrh_##sfx, ldrw_##sfx, ldrx_##sfx },			\
	{ ldrsbx_##sfx, ldrshx_##sfx, ldrswx_##sfx, NULL },			\
	{ ldrsbw_##sfx, ldrshw_##sfx, NULL, NULL },				\
};

INT_LS_TABLE(imm)
INT_LS_TABLE(reg)
INT_LS_TABLE(rx)
INT_LS_TABLE(rxu)
INT_LS_TABLE(rxs)
INT_LS_TABLE(wb)
INT_LS_TABLE(post)
INT_LS_TABLE(pre)

/* The specialised handler for a decoded general-purpose access, or NULL. */
static exec_fn int_ls_fn(const struct dinsn *d, const exec_fn (*tab)[4])
{
	uint64_t aux = d->aux;
	unsigned int kind;

	if (aux & (LS_FP | LS_PRE | LS_POST | LS_PRFM | ACC_UNPRIV))
		return NULL;
	if (!(aux & LS_LOAD))
		kind = 0;
	else if (!(aux & LS_SIGNED))
		kind = 1;
	else
		kind = (aux & LS_TO_W) ? 3 : 2;
	return LS_LOG2(d) < 4 ? tab[kind][LS_LOG2(d)] : NULL;
}

/* Pre-/post-index: the base is written back after the access succeeds. */
static int ldst_wb(struct cpu *c, const struct dinsn *d)
{
	uint64_t base, addr;

	if (base_reg(c, d->rn, &base))
		return EXEC_STOP;
	addr = (d->aux & LS_POST) ? base : base + (uint64_t)d->imm;
	if (access_one(c, d, addr))
		return EXEC_STOP;
	set_xreg_sp(&c->state, d->rn, base + (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int ldst_reg(struct cpu *c, const struct dinsn *d)
{
	uint64_t base, off = xreg(&c->state, d->rm);
	unsigned int option = FIELD(d->insn, 15, 13);

	if (base_reg(c, d->rn, &base))
		return EXEC_STOP;
	switch (option) {
	case 2: off = (uint32_t)off; break;
	case 6: off = (uint64_t)(int64_t)(int32_t)off; break;
	default: break;			/* 3 (LSL/UXTX), 7 (SXTX) */
	}
	if (BIT(d->insn, 12))
		off <<= LS_LOG2(d);
	if (access_one(c, d, base + off))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int ldr_lit(struct cpu *c, const struct dinsn *d)
{
	if (access_one(c, d, c->state.pc + (uint64_t)d->imm))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int prfm(struct cpu *c, const struct dinsn *d)
{
	return EXEC_NEXT;	/* hints never fault */
}

/* ---- pairs ------------------------------------------------------------------ */

static int ldst_pair(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int lg = LS_LOG2(d), size = 1u << lg;
	uint64_t base, addr, aux = d->aux;
	uint32_t acc = LS_ACC(d);

	if (base_reg(c, d->rn, &base))
		return EXEC_STOP;
	addr = (aux & LS_POST) ? base : base + (uint64_t)d->imm;

	if (aux & LS_FP) {
		uint64_t a[2] = { 0, 0 }, b[2] = { 0, 0 };

		if (!fp_access_ok(c))
			return EXEC_STOP;
		if (aux & LS_LOAD) {
			if (fp_load(c, d, d->rd, addr, a) ||
			    fp_load(c, d, d->ra, addr + size, b))
				return EXEC_STOP;
			vreg_write(s, d->rd, a, size);
			vreg_write(s, d->ra, b, size);
		} else if (fp_store(c, d, d->rd, addr) ||
			   fp_store(c, d, d->ra, addr + size)) {
			return EXEC_STOP;
		}
	} else if (aux & LS_LOAD) {
		uint64_t v1, v2;

		if (mem_read(c, addr, size, acc, &v1) ||
		    mem_read(c, addr + size, size, acc, &v2))
			return EXEC_STOP;
		set_xreg(s, d->rd, extend_load(v1, aux));
		set_xreg(s, d->ra, extend_load(v2, aux));
	} else {
		uint64_t v1 = xreg(s, d->rd), v2 = xreg(s, d->ra);

		if (mem_write(c, addr, size, acc, v1) ||
		    mem_write(c, addr + size, size, acc, v2))
			return EXEC_STOP;
	}
	if (aux & (LS_PRE | LS_POST))
		set_xreg_sp(s, d->rn, base + (uint64_t)d->imm);
	return EXEC_NEXT;
}

/* ---- decoding ------------------------------------------------------------------- */

/*
 * size:opc of the general-purpose forms -> LS_* bits and the syndrome.
 * Returns false for unallocated combinations; *prfm for PRFM.
 */
static bool decode_int(struct dinsn *d, unsigned int size, unsigned int opc,
		       bool syndrome, bool *is_prfm)
{
	uint64_t aux = (uint64_t)size << LS_SIZE_SHIFT;
	bool sse = false, sf = size == 3;

	*is_prfm = false;
	switch (opc) {
	case 0:
		break;
	case 1:
		aux |= LS_LOAD;
		break;
	case 2:
		if (size == 3) {
			*is_prfm = true;
			return true;
		}
		aux |= LS_LOAD | LS_SIGNED;
		sse = true;
		sf = true;
		break;
	default:
		if (size >= 2)
			return false;
		aux |= LS_LOAD | LS_SIGNED | LS_TO_W;
		sse = true;
		sf = false;
		break;
	}
	if (syndrome)
		aux |= acc_iss(size, d->rd, sse, sf, false, !(aux & LS_LOAD));
	else if (!(aux & LS_LOAD))
		aux |= ACC_WRITE;
	d->aux = aux;
	return true;
}

/* SIMD&FP: size:opc<1> gives B, H, S, D or Q; opc<0> is L.  No syndrome. */
static bool decode_fp(struct dinsn *d, unsigned int size, unsigned int opc)
{
	unsigned int lg = size;

	if (opc & 2) {
		if (size)
			return false;
		lg = 4;
	}
	d->aux = ((uint64_t)lg << LS_SIZE_SHIFT) | LS_FP |
		 ((opc & 1) ? LS_LOAD : ACC_WRITE);
	return true;
}

static bool prep_single(struct dinsn *d, bool syndrome, uint64_t flags, bool *is_prfm)
{
	unsigned int size = FIELD(d->insn, 31, 30), opc = FIELD(d->insn, 23, 22);

	*is_prfm = false;
	if (BIT(d->insn, 26)) {
		if (!decode_fp(d, size, opc))
			return false;
	} else if (!decode_int(d, size, opc, syndrome, is_prfm)) {
		return false;
	}
	d->aux |= flags;
	return true;
}

/* unsigned offset */
/* SIMD&FP LDR/STR without writeback, base not SP: the fp_single_fn form */
static void prep_fp_single(struct dinsn *d)
{
	if ((d->aux & (LS_FP | LS_PRE | LS_POST | ACC_UNPRIV)) == LS_FP && d->rn != 31)
		d->fn = fp_single_fn[!!(d->aux & LS_LOAD)][LS_LOG2(d)];
}

static bool prep_uimm(struct dinsn *d)
{
	bool p;

	if (!prep_single(d, true, 0, &p))
		return false;
	d->imm = (int64_t)(FIELD(d->insn, 21, 10) << LS_LOG2(d));
	if (p)
		d->fn = prfm;
	else if (int_ls_fn(d, int_ls_imm))
		d->fn = int_ls_fn(d, int_ls_imm);
	else
		prep_fp_single(d);
	return true;
}

static bool prep_imm9(struct dinsn *d, bool syndrome, uint64_t flags)
{
	bool p;

	if (!prep_single(d, syndrome, flags, &p))
		return false;
	d->imm = sext(FIELD(d->insn, 20, 12), 9);
	if (p) {
		/* PRFUM only in the unscaled form */
		if (FIELD(d->insn, 11, 10) != 0)
			return false;
		d->fn = prfm;
	}
	return true;
}

static bool prep_unscaled(struct dinsn *d)
{
	if (!prep_imm9(d, true, 0))
		return false;
	if (d->fn != prfm && int_ls_fn(d, int_ls_imm))
		d->fn = int_ls_fn(d, int_ls_imm);
	else if (d->fn != prfm)
		prep_fp_single(d);
	return true;
}

static bool prep_unpriv(struct dinsn *d)
{
	if (BIT(d->insn, 26))
		return false;	/* no SIMD&FP LDTR */
	return prep_imm9(d, true, ACC_UNPRIV);
}

/* Pre-/post-index of a general-purpose register: the int_ls_wb form */
static bool prep_wb(struct dinsn *d, uint64_t flags)
{
	struct dinsn plain;

	if (!prep_imm9(d, false, flags))
		return false;
	plain = *d;
	plain.aux &= ~flags;
	if (d->fn != prfm && int_ls_fn(&plain, int_ls_wb)) {
		d->fn = int_ls_fn(&plain, int_ls_wb);
		/* the short forms: base not SP, a load's Rt not XZR */
		if (d->rn != 31 && (d->rd != 31 || !(d->aux & LS_LOAD)))
			d->fn = int_ls_fn(&plain, flags == LS_POST ? int_ls_post : int_ls_pre);
	}
	return true;
}

static bool prep_post(struct dinsn *d)
{
	return prep_wb(d, LS_POST);
}

static bool prep_pre(struct dinsn *d)
{
	return prep_wb(d, LS_PRE);
}

static bool prep_regoff(struct dinsn *d)
{
	bool p;

	if (!(FIELD(d->insn, 15, 13) & 2))
		return false;	/* option must be UXTW, LSL, SXTW or SXTX */
	if (!prep_single(d, true, 0, &p))
		return false;
	if (p) {
		d->fn = prfm;
	} else if (int_ls_fn(d, int_ls_reg)) {
		d->fn = int_ls_fn(d, int_ls_reg);
		d->ra = (uint8_t)FIELD(d->insn, 15, 13);
		d->imm = BIT(d->insn, 12) ? LS_LOG2(d) : 0;
		/* the short forms: base not SP, a load's Rt not XZR */
		if (d->rn != 31 && (d->rd != 31 || !(d->aux & LS_LOAD)))
			d->fn = int_ls_fn(d, (d->ra & 3) == 3 ? int_ls_rx :
					  d->ra == 2 ? int_ls_rxu : int_ls_rxs);
	}
	return true;
}

static bool prep_literal(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 31, 30);

	d->imm = sext((uint64_t)FIELD(d->insn, 23, 5) << 2, 21);
	if (BIT(d->insn, 26)) {
		if (opc == 3)
			return false;
		d->aux = ((uint64_t)(opc + 2) << LS_SIZE_SHIFT) | LS_FP | LS_LOAD;
		return true;
	}
	switch (opc) {
	case 0:
		d->aux = (2ULL << LS_SIZE_SHIFT) | LS_LOAD | acc_iss(2, d->rd, false, false, false, false);
		break;
	case 1:
		d->aux = (3ULL << LS_SIZE_SHIFT) | LS_LOAD | acc_iss(3, d->rd, false, true, false, false);
		break;
	case 2:
		d->aux = (2ULL << LS_SIZE_SHIFT) | LS_LOAD | LS_SIGNED |
			 acc_iss(2, d->rd, true, true, false, false);
		break;
	default:
		d->fn = prfm;
		break;
	}
	return true;
}

static bool prep_pair(struct dinsn *d)
{
	unsigned int opc = FIELD(d->insn, 31, 30), type = FIELD(d->insn, 24, 23);
	bool load = BIT(d->insn, 22);
	unsigned int lg;
	uint64_t aux = 0;

	if (BIT(d->insn, 26)) {
		if (opc == 3)
			return false;
		lg = 2 + opc;
		aux = LS_FP;
	} else {
		switch (opc) {
		case 0: lg = 2; break;
		case 1:
			if (!load)
				return false;	/* STGP: no MTE */
			lg = 2;
			aux = LS_SIGNED;
			break;
		case 2: lg = 3; break;
		default: return false;
		}
		if (type == 0 && opc == 1)
			return false;	/* no LDNPSW */
	}
	aux |= (uint64_t)lg << LS_SIZE_SHIFT;
	aux |= load ? LS_LOAD : ACC_WRITE;
	if (type == 1)
		aux |= LS_POST;
	else if (type == 3)
		aux |= LS_PRE;
	d->aux = aux;
	d->imm = (int64_t)((uint64_t)sext(FIELD(d->insn, 21, 15), 7) << lg);
	if (!(aux & (LS_FP | LS_SIGNED)))
		d->fn = lg == 3 ? (load ? ldp_x : stp_x) : (load ? ldp_w : stp_w);
	else if (aux & LS_FP)
		d->fn = fp_pair_fn[load][lg - 2];
	return true;
}

static const struct insn_pattern ldst_patterns[] = {
	PAT(0x3b000000, 0x39000000, ldst_imm, prep_uimm),
	PAT(0x3b200c00, 0x38000000, ldst_imm, prep_unscaled),
	PAT(0x3b200c00, 0x38000400, ldst_wb, prep_post),
	PAT(0x3b200c00, 0x38000800, ldst_imm, prep_unpriv),
	PAT(0x3b200c00, 0x38000c00, ldst_wb, prep_pre),
	PAT(0x3b200c00, 0x38200800, ldst_reg, prep_regoff),
	PAT(0x3b000000, 0x18000000, ldr_lit, prep_literal),
	PAT(0x3a000000, 0x28000000, ldst_pair, prep_pair),
};

const struct insn_table ldst_insns = PAT_TABLE(ldst_patterns);
