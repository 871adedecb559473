// SPDX-License-Identifier: GPL-2.0
/*
 * Integer data processing: immediate and register forms, bitfield, extract,
 * conditional select/compare, multiply/divide, CRC32/CRC32C and the
 * one-source operations (Arm ARM C4.1.86-C4.1.90, C6.2).
 */
#include "internal.h"

#define SF(d)		BIT((d)->insn, 31)

static inline uint64_t trunc_sf(uint64_t v, bool sf)
{
	return sf ? v : (uint32_t)v;
}

/* a + b + carry, setting NZCV; the result is truncated to the data size. */
static inline __attribute__((always_inline)) uint64_t add_flags(struct cpu_state *s, uint64_t a, uint64_t b,
			  unsigned int carry, bool sf)
{
	uint64_t r, n, z, cf, v;

	if (sf) {
		r = a + b + carry;
		cf = carry ? r <= a : r < a;
		v = ((a ^ r) & (b ^ r)) >> 63;
		n = r >> 63;
	} else {
		uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
		uint64_t wide = (uint64_t)a32 + b32 + carry;

		r = (uint32_t)wide;
		cf = wide >> 32;
		v = ((a32 ^ (uint32_t)r) & (b32 ^ (uint32_t)r)) >> 31;
		n = r >> 31;
	}
	z = r == 0;
	set_nzcv(s, (n << 31) | (z << 30) | (cf << 29) | (v << 28));
	return r;
}

/* a - b: NZCV as SUBS sets them, for the data size of T (signed: ST); the
 * borrow and overflow of one host subtraction give C and V */
#define NZCV_SUB(T, ST, a_, b_) ({						\
	T x_ = (T)(a_), y_ = (T)(b_), r_;					\
	ST sr_;									\
	bool borrow_ = __builtin_sub_overflow(x_, y_, &r_);			\
	bool v_ = __builtin_sub_overflow((ST)x_, (ST)y_, &sr_);		\
	(uint64_t)((((unsigned int)((ST)r_ < 0) * 2 + (r_ == 0)) * 2 +		\
		    !borrow_) * 2 + v_) << 28; })

/* a - b (SUBS, CMP), setting NZCV; the result is truncated to the data size */
static inline __attribute__((always_inline)) uint64_t sub_flags(struct cpu_state *s, uint64_t a,
								uint64_t b, bool sf)
{
	if (sf) {
		set_nzcv(s, NZCV_SUB(uint64_t, int64_t, a, b));
		return a - b;
	}
	set_nzcv(s, NZCV_SUB(uint32_t, int32_t, a, b));
	return (uint32_t)(a - b);
}

static inline __attribute__((always_inline)) void
logic_flags(struct cpu_state *s, uint64_t r, bool sf)
{
	uint64_t n = sf ? r >> 63 : (r >> 31) & 1;

	set_nzcv(s, (n << 31) | ((uint64_t)(r == 0) << 30));
}

/*
 * ADD, ADDS, SUB and SUBS of one operand form (exec_ADD_form ...): get
 * reads the first operand and set writes the result of ADD and SUB (as SP
 * or as XZR for register 31), op2 gives the second operand.  ADDS and SUBS
 * write XZR for register 31.
 */
#define ADDSUB_FORMS(form, get, set, op2)					\
static int exec_ADD_##form(struct cpu *c, const struct dinsn *d)		\
{										\
	struct cpu_state *s = &c->state;					\
										\
	set(s, d->rd, trunc_sf(get(s, d->rn) + op2(s, d), SF(d)));		\
	return EXEC_NEXT;							\
}										\
static int exec_SUB_##form(struct cpu *c, const struct dinsn *d)		\
{										\
	struct cpu_state *s = &c->state;					\
										\
	set(s, d->rd, trunc_sf(get(s, d->rn) - op2(s, d), SF(d)));		\
	return EXEC_NEXT;							\
}										\
static int exec_ADDS_##form(struct cpu *c, const struct dinsn *d)		\
{										\
	struct cpu_state *s = &c->state;					\
										\
	set_xreg(s, d->rd, add_flags(s, get(s, d->rn), op2(s, d), 0, SF(d)));	\
	return EXEC_NEXT;							\
}										\
static int exec_SUBS_##form(struct cpu *c, const struct dinsn *d)		\
{										\
	struct cpu_state *s = &c->state;					\
										\
	set_xreg(s, d->rd, add_flags(s, get(s, d->rn), ~op2(s, d), 1, SF(d)));	\
	return EXEC_NEXT;							\
}

/* ---- add/subtract (immediate) ------------------------------------------------ */

static bool prep_addsub_imm(struct dinsn *d)
{
	d->imm = (int64_t)(FIELD(d->insn, 21, 10) << (BIT(d->insn, 22) ? 12 : 0));
	return true;
}

#define IMM_OP2(s, d)	((uint64_t)(d)->imm)

ADDSUB_FORMS(imm, xreg_sp, set_xreg_sp, IMM_OP2)

/* ---- logical (immediate) ------------------------------------------------------- */

static inline uint64_t ones(unsigned int n)
{
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

static uint64_t ror_n(uint64_t v, unsigned int r, unsigned int n)
{
	r %= n;
	if (!r)
		return v;
	return ((v >> r) | (v << (n - r))) & ones(n);
}

static bool prep_logic_imm(struct dinsn *d)
{
	uint64_t m;

	if (!SF(d) && BIT(d->insn, 22))
		return false;
	if (!decode_bit_masks(BIT(d->insn, 22), FIELD(d->insn, 15, 10),
			      FIELD(d->insn, 21, 16), &m))
		return false;
	d->imm = SF(d) ? (int64_t)m : (int64_t)(uint32_t)m;
	return true;
}

static int exec_AND_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, xreg(s, d->rn) & (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int exec_ORR_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg(s, d->rn) | (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int exec_EOR_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg(s, d->rn) ^ (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int exec_ANDS_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = xreg(s, d->rn) & (uint64_t)d->imm;

	logic_flags(s, r, SF(d));
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

/* ---- move wide, PC-relative ------------------------------------------------------- */

static bool prep_movw(struct dinsn *d)
{
	unsigned int hw = FIELD(d->insn, 22, 21);

	if (!SF(d) && hw >= 2)
		return false;
	d->imm = (int64_t)((uint64_t)FIELD(d->insn, 20, 5) << (16 * hw));
	d->aux = hw * 16;
	return true;
}

static int exec_MOVN(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, trunc_sf(~(uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int exec_MOVZ(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int exec_MOVK(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rd) & ~(0xffffULL << d->aux);

	set_xreg(s, d->rd, trunc_sf(v | (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static bool prep_adr(struct dinsn *d)
{
	uint64_t imm = (FIELD(d->insn, 23, 5) << 2) | FIELD(d->insn, 30, 29);

	d->imm = sext(imm, 21);
	return true;
}

static int exec_ADR(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, c->state.pc + (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int exec_ADRP(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, (c->state.pc & ~0xfffULL) + ((uint64_t)d->imm << 12));
	return EXEC_NEXT;
}

/*
 * Their threaded entries do not end a block: PC is not stored in a chain,
 * but d's is the chain's page VA (th_pc_bias, thread_sync_pc()) plus its
 * offset, right whichever VA the decoded page (keyed by IPA) runs at.
 */
static __attribute__((flatten)) int exec_ADR_t(struct cpu *c, const struct dinsn *d)
{
	uint64_t pc = c->th_pc_bias + ((uintptr_t)d >> DINSN_TO_WORD_SHIFT);

	set_xreg(&c->state, d->rd, pc + (uint64_t)d->imm);
	return thread_leave(c, d, EXEC_NEXT, false);
}

static __attribute__((flatten)) int exec_ADRP_t(struct cpu *c, const struct dinsn *d)
{
	uint64_t pc = c->th_pc_bias + ((uintptr_t)d >> DINSN_TO_WORD_SHIFT);

	set_xreg(&c->state, d->rd, (pc & ~0xfffULL) + ((uint64_t)d->imm << 12));
	return thread_leave(c, d, EXEC_NEXT, false);
}

/* ---- bitfield, extract ------------------------------------------------------------- */

static bool prep_bitfield(struct dinsn *d)
{
	unsigned int n = BIT(d->insn, 22), immr = FIELD(d->insn, 21, 16),
		     imms = FIELD(d->insn, 15, 10);

	if (n != SF(d))
		return false;
	if (!SF(d) && ((immr | imms) & 0x20))
		return false;
	d->imm = immr;
	d->ra = (uint8_t)imms;
	/* the mask UBFM's rotate-and-mask form applies (fast_UBFM_xr) */
	d->aux = imms >= immr ? ones(imms - immr + 1)
			      : ones(imms + 1) << ((SF(d) ? 64 : 32) - immr);
	return true;
}

/* SBFM (sign) and UBFM: the field, extended, and shifted into place */
static ALWAYS_INLINE int bitfield_move(struct cpu *c, const struct dinsn *d, bool sign)
{
	struct cpu_state *s = &c->state;
	unsigned int size = SF(d) ? 64 : 32, immr = (unsigned int)d->imm,
		     imms = d->ra, w = imms >= immr ? imms - immr + 1 : imms + 1;
	uint64_t src = xreg(s, d->rn), r;

	if (imms >= immr)
		src >>= immr;
	r = sign ? (uint64_t)sext(src & ones(w), w) : src & ones(w);
	if (imms < immr)
		r <<= size - immr;
	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int exec_SBFM(struct cpu *c, const struct dinsn *d)
{
	return bitfield_move(c, d, true);
}

static int exec_UBFM(struct cpu *c, const struct dinsn *d)
{
	return bitfield_move(c, d, false);
}

/*
 * UBFM into a general register (LSL, LSR, UBFX, UBFIZ, UXTB, UXTH...):
 * a rotate right by immr (imm) and the mask prep_bitfield made (aux).
 */
static int fast_UBFM_xr(struct cpu *c, const struct dinsn *d)
{
	uint64_t v = c->state.x[d->rn];
	unsigned int r = (unsigned int)d->imm;

	c->state.x[d->rd] = ((v >> r) | (v << ((64 - r) & 63))) & d->aux;
	return EXEC_NEXT;
}

static int fast_UBFM_wr(struct cpu *c, const struct dinsn *d)
{
	uint32_t v = (uint32_t)c->state.x[d->rn];
	unsigned int r = (unsigned int)d->imm;

	c->state.x[d->rd] = ((v >> r) | (v << ((32 - r) & 31))) & d->aux;
	return EXEC_NEXT;
}

static bool c_ubfm_x(const struct dinsn *d)
{
	return SF(d) && d->rd != 31;
}

static bool c_ubfm_w(const struct dinsn *d)
{
	return !SF(d) && d->rd != 31;
}

static int exec_BFM(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = SF(d) ? 64 : 32, immr = (unsigned int)d->imm,
		     imms = d->ra;
	uint64_t src = xreg(s, d->rn), dst = xreg(s, d->rd), m;

	if (imms >= immr) {
		m = ones(imms - immr + 1);
		dst = (dst & ~m) | ((src >> immr) & m);
	} else {
		unsigned int pos = size - immr;

		m = ones(imms + 1) << pos;
		dst = (dst & ~m) | ((src << pos) & m);
	}
	set_xreg(s, d->rd, trunc_sf(dst, SF(d)));
	return EXEC_NEXT;
}

static bool prep_extr(struct dinsn *d)
{
	if (BIT(d->insn, 22) != SF(d))
		return false;
	if (!SF(d) && BIT(d->insn, 15))
		return false;
	d->imm = FIELD(d->insn, 15, 10);
	return true;
}

static int exec_EXTR(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int lsb = (unsigned int)d->imm;
	uint64_t hi = xreg(s, d->rn), lo = xreg(s, d->rm), r;

	if (SF(d)) {
		r = lsb ? (lo >> lsb) | (hi << (64 - lsb)) : lo;
	} else {
		uint64_t cat = ((hi & 0xffffffffULL) << 32) | (uint32_t)lo;

		r = (uint32_t)(cat >> lsb);
	}
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

/* ---- shifted and extended register operands ---------------------------------------- */

static uint64_t shift_reg(uint64_t v, unsigned int type, unsigned int amount, bool sf)
{
	unsigned int size = sf ? 64 : 32;

	v = trunc_sf(v, sf);
	if (!amount)
		return v;
	switch (type) {
	case 0:
		return trunc_sf(v << amount, sf);
	case 1:
		return v >> amount;
	case 2:
		return sf ? (uint64_t)((int64_t)v >> amount)
			  : (uint32_t)((int32_t)(uint32_t)v >> amount);
	default:
		return ror_n(v, amount, size);
	}
}

static bool prep_shifted(struct dinsn *d)
{
	unsigned int amount = FIELD(d->insn, 15, 10);

	if (!SF(d) && amount >= 32)
		return false;
	d->imm = amount;
	d->aux = FIELD(d->insn, 23, 22);
	return true;
}

static bool prep_addsub_shifted(struct dinsn *d)
{
	if (FIELD(d->insn, 23, 22) == 3)
		return false;
	return prep_shifted(d);
}

#define SHIFTED_OP2(s, d) \
	shift_reg(xreg((s), (d)->rm), (unsigned int)(d)->aux, (unsigned int)(d)->imm, SF(d))

static int exec_AND_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) & SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_BIC_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) & ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_ORR_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) | SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_ORN_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) | ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_EOR_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) ^ SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_EON_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) ^ ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int exec_ANDS_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = trunc_sf(xreg(s, d->rn) & SHIFTED_OP2(s, d), SF(d));

	logic_flags(s, r, SF(d));
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

static int exec_BICS_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = trunc_sf(xreg(s, d->rn) & ~SHIFTED_OP2(s, d), SF(d));

	logic_flags(s, r, SF(d));
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

ADDSUB_FORMS(shifted, xreg, set_xreg, SHIFTED_OP2)

/*
 * The shifted-register forms specialised at decode time by data size and
 * shift type (ROR keeps the generic body): the shift is a single host shift
 * and the size a constant.  Same semantics as the generic handlers above.
 */
#define SHIFTED_FAST(name, sf, T, ST, type, op)					\
static int name(struct cpu *c, const struct dinsn *d)				\
{										\
	typedef T t_;								\
	const bool sf_ = sf;							\
	struct cpu_state *s = &c->state;					\
	T a = (T)xreg(s, d->rn), m = (T)s->x[d->rm], b;	/* Rm never 31 */ \
										\
	(void)sf_;								\
	b = type == 0 ? (T)(m << d->imm) : type == 1 ? (T)(m >> d->imm) :	\
	    (T)((ST)m >> d->imm);						\
	op;									\
	return EXEC_NEXT;							\
}

#define OP_PLAIN(e)	(s->x[d->rd] = (t_)(e))	/* never 31 */
#define OP_LOGICS(e)	do { t_ r_ = (t_)(e); logic_flags(s, r_, sf_); set_xreg(s, d->rd, r_); } while (0)
#define OP_ADDS(bb, cin) set_xreg(s, d->rd, add_flags(s, a, (uint64_t)(t_)(bb), cin, sf_))
#define OP_SUBS(bb)	set_xreg(s, d->rd, sub_flags(s, a, (uint64_t)(t_)(bb), sf_))

#define SHIFTED_FAMILY(op_name, opx)						\
	SHIFTED_FAST(op_name##_x_lsl, true, uint64_t, int64_t, 0, opx)		\
	SHIFTED_FAST(op_name##_x_lsr, true, uint64_t, int64_t, 1, opx)		\
	SHIFTED_FAST(op_name##_x_asr, true, uint64_t, int64_t, 2, opx)		\
	SHIFTED_FAST(op_name##_w_lsl, false, uint32_t, int32_t, 0, opx)		\
	SHIFTED_FAST(op_name##_w_lsr, false, uint32_t, int32_t, 1, opx)		\
	SHIFTED_FAST(op_name##_w_asr, false, uint32_t, int32_t, 2, opx)

SHIFTED_FAMILY(fast_AND, OP_PLAIN(a & b))
SHIFTED_FAMILY(fast_BIC, OP_PLAIN(a & ~b))
SHIFTED_FAMILY(fast_ORR, OP_PLAIN(a | b))
SHIFTED_FAMILY(fast_ORN, OP_PLAIN(a | ~b))
SHIFTED_FAMILY(fast_EOR, OP_PLAIN(a ^ b))
SHIFTED_FAMILY(fast_EON, OP_PLAIN(a ^ ~b))
SHIFTED_FAMILY(fast_ANDS, OP_LOGICS(a & b))
SHIFTED_FAMILY(fast_BICS, OP_LOGICS(a & ~b))
SHIFTED_FAMILY(fast_ADD, OP_PLAIN(a + b))
SHIFTED_FAMILY(fast_SUB, OP_PLAIN(a - b))
SHIFTED_FAMILY(fast_ADDS, OP_ADDS(b, 0))
SHIFTED_FAMILY(fast_SUBS, OP_SUBS(b))

/*
 * Shorter still, for the plain (no flags) ADD, SUB, AND, ORR and EOR with
 * LSL and Rn not register 31: _nr with a shift, _r0 with none (amount 0,
 * any type), and MOV (ORR with XZR as Rn, amount 0).  Rd and Rm never 31.
 */
#define RR_FAST(name, T, shifted, op)						\
static int name(struct cpu *c, const struct dinsn *d)				\
{										\
	struct cpu_state *s = &c->state;					\
	T a = (T)s->x[d->rn], b = (T)s->x[d->rm];				\
										\
	if (shifted)								\
		b = (T)(b << d->imm);						\
	s->x[d->rd] = (T)(a op b);						\
	return EXEC_NEXT;							\
}

#define RR_FAMILY(f, op)							\
	RR_FAST(f##_x_nr, uint64_t, true, op) RR_FAST(f##_w_nr, uint32_t, true, op) \
	RR_FAST(f##_x_r0, uint64_t, false, op) RR_FAST(f##_w_r0, uint32_t, false, op)

RR_FAMILY(fast_ADD, +)
RR_FAMILY(fast_SUB, -)
RR_FAMILY(fast_AND, &)
RR_FAMILY(fast_ORR, |)
RR_FAMILY(fast_EOR, ^)

static int fast_MOV_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rm];
	return EXEC_NEXT;
}

static int fast_MOV_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)c->state.x[d->rm];
	return EXEC_NEXT;
}

/* Immediate forms without SP (register 31) operands */
static int fast_ADD_imm_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] + (uint64_t)d->imm;
	return EXEC_NEXT;
}

static int fast_ADD_imm_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)(c->state.x[d->rn] + (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int fast_SUB_imm_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] - (uint64_t)d->imm;
	return EXEC_NEXT;
}

static int fast_SUB_imm_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)(c->state.x[d->rn] - (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int fast_ADDS_imm_x(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, s->x[d->rn], (uint64_t)d->imm, 0, true));
	return EXEC_NEXT;
}

static int fast_ADDS_imm_w(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, s->x[d->rn], (uint64_t)d->imm, 0, false));
	return EXEC_NEXT;
}

static int fast_SUBS_imm_x(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, sub_flags(s, s->x[d->rn], (uint64_t)d->imm, true));
	return EXEC_NEXT;
}

static int fast_SUBS_imm_w(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, sub_flags(s, s->x[d->rn], (uint64_t)d->imm, false));
	return EXEC_NEXT;
}

/* AND (immediate) into a general register: the mask is already sized */
static int fast_AND_imm_r(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] & (uint64_t)d->imm;
	return EXEC_NEXT;
}

/*
 * When the fast forms above apply (the FAST rows of insn/dp.def).  Shifted
 * register: Rm is never 31 (the fast forms read x[Rm]); the forms without
 * flags never write register 31 (XZR); LSL takes every shift type with
 * amount 0.  _nr/_r0 read x[Rn], so Rn is not 31 (MOV is ORR with XZR).
 */
static ALWAYS_INLINE bool shifted_ok(const struct dinsn *d, bool sf, int type,
				     bool flags)
{
	bool t = type == 0 ? d->aux == 0 || d->imm == 0 : d->aux == (unsigned int)type && d->imm;

	return SF(d) == sf && t && d->rm != 31 && (flags || d->rd != 31);
}

#define SHIFTED_COND(name, sf, type, flags)					\
static bool name(const struct dinsn *d) { return shifted_ok(d, sf, type, flags); }

SHIFTED_COND(c_x_lsl, true, 0, false) SHIFTED_COND(c_x_lsr, true, 1, false)
SHIFTED_COND(c_x_asr, true, 2, false) SHIFTED_COND(c_w_lsl, false, 0, false)
SHIFTED_COND(c_w_lsr, false, 1, false) SHIFTED_COND(c_w_asr, false, 2, false)
SHIFTED_COND(cs_x_lsl, true, 0, true) SHIFTED_COND(cs_x_lsr, true, 1, true)
SHIFTED_COND(cs_x_asr, true, 2, true) SHIFTED_COND(cs_w_lsl, false, 0, true)
SHIFTED_COND(cs_w_lsr, false, 1, true) SHIFTED_COND(cs_w_asr, false, 2, true)

/* _nr: LSL by a non-zero amount; _r0: amount 0; MOV: amount 0, Rn XZR */
#define RR_COND(name, lsl, shifted, rn_zr)					\
static bool name(const struct dinsn *d)						\
{										\
	return lsl(d) && (d->imm != 0) == (shifted) && (d->rn == 31) == (rn_zr); \
}

RR_COND(c_x_nr, c_x_lsl, true, false)
RR_COND(c_w_nr, c_w_lsl, true, false)
RR_COND(c_x_r0, c_x_lsl, false, false)
RR_COND(c_w_r0, c_w_lsl, false, false)
RR_COND(c_mov_x, c_x_lsl, false, true)
RR_COND(c_mov_w, c_w_lsl, false, true)

/* Immediate: Rn not SP; for ADD and SUB Rd not SP either. */
static bool c_imm_x(const struct dinsn *d)
{
	return SF(d) && d->rn != 31 && d->rd != 31;
}

static bool c_imm_w(const struct dinsn *d)
{
	return !SF(d) && d->rn != 31 && d->rd != 31;
}

static bool cs_imm_x(const struct dinsn *d)
{
	return SF(d) && d->rn != 31;
}

static bool cs_imm_w(const struct dinsn *d)
{
	return !SF(d) && d->rn != 31;
}

/* AND (immediate): Rd not SP, Rn not XZR. */
static bool c_and_imm_r(const struct dinsn *d)
{
	return d->rd != 31 && d->rn != 31;
}


/*
 * A compare (CMP/CMN immediate, CMP/CMN/TST shifted register: the short
 * forms above) directly followed by B.cond in the same page: engine.c points
 * the compare's threaded entry at a fused one, which sets NZCV as the
 * compare does and then does the B.cond of the next entry itself, saving
 * a dispatch.  The B.cond entry keeps its own decode (for single-step and
 * for chains that enter at it); the compare's block always contains it,
 * so the block check sees a change to either word, and engine.c re-fuses
 * the compare whenever the entry after it is re-decoded.
 */
/* The B.cond after a fused compare, with the NZCV the compare set. */
static ALWAYS_INLINE int fused_bcond(struct cpu *c, const struct dinsn *d, uint64_t nzcv)
{
	d++;
	if (!((d->aux >> (nzcv >> 28)) & 1))	/* B.cond: the condition's mask */
		return thread_leave(c, d, EXEC_NEXT, true);	/* PC not needed */
	return thread_branch_rel(c, d, d->imm);
}

#define FUSED_BCOND(name)							\
static __attribute__((flatten)) int name##_bc_t(struct cpu *c, const struct dinsn *d) \
{										\
	name(c, d);			/* EXEC_NEXT: a register compare */	\
	return fused_bcond(c, d, c->state.pstate & PSR_NZCV_MASK);		\
}

FUSED_BCOND(fast_ADDS_imm_x)
FUSED_BCOND(fast_ADDS_imm_w)
FUSED_BCOND(fast_ADDS_x_lsl)
FUSED_BCOND(fast_ADDS_w_lsl)
FUSED_BCOND(fast_ANDS_x_lsl)
FUSED_BCOND(fast_ANDS_w_lsl)

/* PSTATE.NZCV from the operands of a lazy subtraction (internal.h) */
void nzcv_materialize(struct cpu_state *s)
{
	uint64_t nzcv = s->nzcv_op == NZCV_SUB64 ?
		NZCV_SUB(uint64_t, int64_t, s->nzcv_a, s->nzcv_b) :
		NZCV_SUB(uint32_t, int32_t, s->nzcv_a, s->nzcv_b);

	set_nzcv(s, nzcv);
}

/* Does condition cond hold after SUBS of a - b (T: data size, ST signed)? */
#define SUB_COND(T, ST, a, b, cond) ({						\
	T a_ = (a), b_ = (b);							\
	ST r_;									\
	bool h_;								\
										\
	switch ((cond) >> 1) {							\
	case 0: h_ = a_ == b_; break;				/* EQ */	\
	case 1: h_ = a_ >= b_; break;				/* CS */	\
	case 2: h_ = (ST)(T)(a_ - b_) < 0; break;		/* MI */	\
	case 3: h_ = __builtin_sub_overflow((ST)a_, (ST)b_, &r_); break; /* VS */ \
	case 4: h_ = a_ > b_; break;				/* HI */	\
	case 5: h_ = (ST)a_ >= (ST)b_; break;			/* GE */	\
	case 6: h_ = (ST)a_ > (ST)b_; break;			/* GT */	\
	default: h_ = true; break;				/* AL */	\
	}									\
	((cond) & 1) && (cond) != 15 ? !h_ : h_; })

/*
 * SUBS/CMP (immediate, or shifted register LSL) fused with the B.cond of
 * condition cond after it: NZCV is left lazy (the operands are recorded)
 * and the branch is decided from the operands.  cmp: Rd is 31.
 */
#define FUSED_SUBS_C(fname, T, ST, is_imm, cmp, cond)				\
static __attribute__((flatten)) int fname(struct cpu *c, const struct dinsn *d) \
{										\
	struct cpu_state *s = &c->state;					\
	T a = (T)s->x[d->rn];		/* imm: Rn not SP; else XZR reads 0 */	\
	T b = is_imm ? (T)d->imm : (T)((T)s->x[d->rm] << d->imm);		\
										\
	s->nzcv_a = a;								\
	s->nzcv_b = b;								\
	s->nzcv_op = sizeof(T) == 8 ? NZCV_SUB64 : NZCV_SUB32;			\
	if (!cmp)								\
		s->x[d->rd] = (T)(a - b);	/* Rd not 31 */			\
	d++;									\
	if (!SUB_COND(T, ST, a, b, cond))					\
		return thread_leave(c, d, EXEC_NEXT, true);	/* PC not needed */ \
	return thread_branch_rel(c, d, d->imm);					\
}

#define FUSED_SUBS_CMP(name, T, ST, is_imm, cond)				\
	FUSED_SUBS_C(name##_bc##cond, T, ST, is_imm, false, cond)		\
	FUSED_SUBS_C(name##_cmp_bc##cond, T, ST, is_imm, true, cond)
#define FUSED_SUBS(name, T, ST, is_imm)						\
	FUSED_SUBS_CMP(name, T, ST, is_imm, 0) FUSED_SUBS_CMP(name, T, ST, is_imm, 1) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 2) FUSED_SUBS_CMP(name, T, ST, is_imm, 3) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 4) FUSED_SUBS_CMP(name, T, ST, is_imm, 5) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 6) FUSED_SUBS_CMP(name, T, ST, is_imm, 7) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 8) FUSED_SUBS_CMP(name, T, ST, is_imm, 9) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 10) FUSED_SUBS_CMP(name, T, ST, is_imm, 11) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 12) FUSED_SUBS_CMP(name, T, ST, is_imm, 13) \
	FUSED_SUBS_CMP(name, T, ST, is_imm, 14) FUSED_SUBS_CMP(name, T, ST, is_imm, 15)

FUSED_SUBS(fast_SUBS_imm_x, uint64_t, int64_t, true)
FUSED_SUBS(fast_SUBS_imm_w, uint32_t, int32_t, true)
FUSED_SUBS(fast_SUBS_x_lsl, uint64_t, int64_t, false)
FUSED_SUBS(fast_SUBS_w_lsl, uint32_t, int32_t, false)

/*
 * CMP (the same forms) directly followed by CSEL, CSINC, CSINV or CSNEG
 * (e.g. CSET, the carry of multi-word arithmetic in C): one entry per
 * condition that leaves NZCV lazy, selects from the operands and goes on
 * after the select (which ends no block: the two are one block).
 */
static ALWAYS_INLINE uint64_t fused_csel_value(const struct cpu_state *s,
					       const struct dinsn *n, bool holds)
{
	uint32_t w = n->insn;
	uint64_t r = s->x[n->rm];	/* XZR reads 0 */

	if (holds)
		r = s->x[n->rn];
	else if (w & (1u << 30))
		r = (w & (1u << 10)) ? -r : ~r;		/* CSNEG, CSINV */
	else if (w & (1u << 10))
		r += 1;					/* CSINC */
	return BIT(w, 31) ? r : (uint32_t)r;
}

#define FUSED_CMP_CS(fname, T, ST, is_imm, cond)				\
static __attribute__((flatten)) int fname(struct cpu *c, const struct dinsn *d) \
{										\
	struct cpu_state *s = &c->state;					\
	T a = (T)s->x[d->rn];							\
	T b = is_imm ? (T)d->imm : (T)((T)s->x[d->rm] << d->imm);		\
	uint64_t r;								\
										\
	s->nzcv_a = a;								\
	s->nzcv_b = b;								\
	s->nzcv_op = sizeof(T) == 8 ? NZCV_SUB64 : NZCV_SUB32;			\
	d++;									\
	r = fused_csel_value(s, d, SUB_COND(T, ST, a, b, cond));		\
	if (d->rd != 31)							\
		s->x[d->rd] = r;						\
	d++;									\
	return thread_next(c, d);						\
}
#define FUSED_CS(name, T, ST, is_imm)						\
	FUSED_CMP_CS(name##_cs0, T, ST, is_imm, 0) FUSED_CMP_CS(name##_cs1, T, ST, is_imm, 1) \
	FUSED_CMP_CS(name##_cs2, T, ST, is_imm, 2) FUSED_CMP_CS(name##_cs3, T, ST, is_imm, 3) \
	FUSED_CMP_CS(name##_cs4, T, ST, is_imm, 4) FUSED_CMP_CS(name##_cs5, T, ST, is_imm, 5) \
	FUSED_CMP_CS(name##_cs6, T, ST, is_imm, 6) FUSED_CMP_CS(name##_cs7, T, ST, is_imm, 7) \
	FUSED_CMP_CS(name##_cs8, T, ST, is_imm, 8) FUSED_CMP_CS(name##_cs9, T, ST, is_imm, 9) \
	FUSED_CMP_CS(name##_cs10, T, ST, is_imm, 10) FUSED_CMP_CS(name##_cs11, T, ST, is_imm, 11) \
	FUSED_CMP_CS(name##_cs12, T, ST, is_imm, 12) FUSED_CMP_CS(name##_cs13, T, ST, is_imm, 13) \
	FUSED_CMP_CS(name##_cs14, T, ST, is_imm, 14) FUSED_CMP_CS(name##_cs15, T, ST, is_imm, 15)

FUSED_CS(fast_SUBS_imm_x, uint64_t, int64_t, true)
FUSED_CS(fast_SUBS_imm_w, uint32_t, int32_t, true)
FUSED_CS(fast_SUBS_x_lsl, uint64_t, int64_t, false)
FUSED_CS(fast_SUBS_w_lsl, uint32_t, int32_t, false)

#define FUSED_ROW(name, kind)							\
	{ name##_##kind##0, name##_##kind##1, name##_##kind##2, name##_##kind##3, \
	  name##_##kind##4, name##_##kind##5, name##_##kind##6, name##_##kind##7, \
	  name##_##kind##8, name##_##kind##9, name##_##kind##10, name##_##kind##11, \
	  name##_##kind##12, name##_##kind##13, name##_##kind##14, name##_##kind##15 }
#define FUSED_SAME16(f)	{ f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f }

/*
 * The fused pairs: a compare as decoded (a fast form of insn/dp.def, which
 * names its row) and the rows of the instruction after it that it fuses
 * with.  engine.c asks dp_fuse() for the entry of a pair; tests/cpu/
 * test_fast runs every pair against the two rows run one after the other.
 */
#define IS_BCOND(w)	(((w) & 0xff000010) == 0x54000000)	/* B_cond */
#define IS_CSEL(w)	(((w) & 0x3fe00800) == 0x1a800000)	/* CSEL, CSINC, CSINV, CSNEG */

static const struct dp_fused {
	exec_fn first;
	exec_fn bc[2][16];		/* followed by B_cond: [Rd == 31][cond] */
	exec_fn cs[16];			/* CMP (Rd 31) followed by CSEL...: [cond] */
} dp_fused[] = {
#define FUSED_SUBS_ENTRY(f)	{ f, { FUSED_ROW(f, bc), FUSED_ROW(f, cmp_bc) }, FUSED_ROW(f, cs) }
	FUSED_SUBS_ENTRY(fast_SUBS_imm_x), FUSED_SUBS_ENTRY(fast_SUBS_imm_w),
	FUSED_SUBS_ENTRY(fast_SUBS_x_lsl), FUSED_SUBS_ENTRY(fast_SUBS_w_lsl),
#define FUSED_BC_ENTRY(f)	{ f, { FUSED_SAME16(f##_bc_t), FUSED_SAME16(f##_bc_t) }, { NULL } }
	FUSED_BC_ENTRY(fast_ADDS_imm_x), FUSED_BC_ENTRY(fast_ADDS_imm_w),
	FUSED_BC_ENTRY(fast_ADDS_x_lsl), FUSED_BC_ENTRY(fast_ADDS_w_lsl),
	FUSED_BC_ENTRY(fast_ANDS_x_lsl), FUSED_BC_ENTRY(fast_ANDS_w_lsl),
};

static const struct dp_fused *fused_of(exec_fn fn)
{
	unsigned int k;

	for (k = 0; k < sizeof(dp_fused) / sizeof(dp_fused[0]); k++)
		if (dp_fused[k].first == fn)
			return &dp_fused[k];
	return NULL;
}

bool dp_fusable(exec_fn fn)
{
	return fused_of(fn) != NULL;
}

exec_fn dp_fuse(const struct dinsn *d, uint32_t next)
{
	const struct dp_fused *f = fused_of(d->fn);

	if (!f)
		return NULL;
	if (IS_BCOND(next))
		return f->bc[d->rd == 31][next & 15];
	if (IS_CSEL(next) && d->rd == 31)
		return f->cs[(next >> 12) & 15];
	return NULL;
}

/* The i-th pair, for tests/cpu/test_fast: the compare's fast form, and the
 * mask and match of the instructions after it (next names them). */
bool dp_fused_pair(unsigned int i, exec_fn *first, const char **next, uint32_t *mask,
		   uint32_t *match);
bool dp_fused_pair(unsigned int i, exec_fn *first, const char **next, uint32_t *mask,
		   uint32_t *match)
{
	unsigned int k, csel;

	for (k = 0; k < sizeof(dp_fused) / sizeof(dp_fused[0]); k++)
		for (csel = 0; csel < 2; csel++) {
			if ((csel && !dp_fused[k].cs[0]) || i--)
				continue;
			*first = dp_fused[k].first;
			*next = csel ? "CSEL/CSINC/CSINV/CSNEG" : "B_cond";
			*mask = csel ? 0x3fe00800 : 0xff000010;
			*match = csel ? 0x1a800000 : 0x54000000;
			return true;
		}
	return false;
}

static bool prep_extended(struct dinsn *d)
{
	if (FIELD(d->insn, 12, 10) > 4)
		return false;
	d->imm = FIELD(d->insn, 12, 10);
	d->aux = FIELD(d->insn, 15, 13);
	return true;
}

static uint64_t extend_reg(uint64_t v, unsigned int option, unsigned int shift)
{
	switch (option) {
	case 0: v = (uint8_t)v; break;
	case 1: v = (uint16_t)v; break;
	case 2: v = (uint32_t)v; break;
	case 3: break;
	case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
	case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
	case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
	default: break;
	}
	return v << shift;
}

#define EXTENDED_OP2(s, d) \
	extend_reg(xreg((s), (d)->rm), (unsigned int)(d)->aux, (unsigned int)(d)->imm)

ADDSUB_FORMS(ext, xreg_sp, set_xreg_sp, EXTENDED_OP2)

/* ---- with carry ------------------------------------------------------------------- */

static inline unsigned int carry_flag(struct cpu_state *s)
{
	nzcv_sync(s);
	return (unsigned int)((s->pstate >> 29) & 1);
}

#define CARRY(s)	carry_flag(s)

static int exec_ADC(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) + xreg(s, d->rm) + CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int exec_ADCS(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg(s, d->rn), xreg(s, d->rm), CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int exec_SBC(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) + ~xreg(s, d->rm) + CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int exec_SBCS(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg(s, d->rn), ~xreg(s, d->rm), CARRY(s), SF(d)));
	return EXEC_NEXT;
}

/* ---- conditional compare and select ------------------------------------------------ */

static int ccmp_common(struct cpu *c, const struct dinsn *d, uint64_t op2, bool neg)
{
	struct cpu_state *s = &c->state;

	if (cond_holds(s, FIELD(d->insn, 15, 12))) {
		if (neg)
			add_flags(s, xreg(s, d->rn), op2, 0, SF(d));
		else
			add_flags(s, xreg(s, d->rn), ~op2, 1, SF(d));
	} else {
		set_nzcv(s, (uint64_t)FIELD(d->insn, 3, 0) << 28);
	}
	return EXEC_NEXT;
}

static int exec_CCMN_reg(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, xreg(&c->state, d->rm), true);
}

static int exec_CCMP_reg(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, xreg(&c->state, d->rm), false);
}

static int exec_CCMN_imm(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, d->rm, true);
}

static int exec_CCMP_imm(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, d->rm, false);
}

#define COND(d)	FIELD((d)->insn, 15, 12)

static int exec_CSEL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int exec_CSINC(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : xreg(s, d->rm) + 1;

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int exec_CSINV(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : ~xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int exec_CSNEG(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : -xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

/* ---- multiply and divide ------------------------------------------------------------ */

static int exec_MADD(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->ra) + xreg(s, d->rn) * xreg(s, d->rm), SF(d)));
	return EXEC_NEXT;
}

static int exec_MSUB(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->ra) - xreg(s, d->rn) * xreg(s, d->rm), SF(d)));
	return EXEC_NEXT;
}

static int exec_SMADDL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int64_t p = (int64_t)(int32_t)xreg(s, d->rn) * (int32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) + (uint64_t)p);
	return EXEC_NEXT;
}

static int exec_SMSUBL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int64_t p = (int64_t)(int32_t)xreg(s, d->rn) * (int32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) - (uint64_t)p);
	return EXEC_NEXT;
}

static int exec_UMADDL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t p = (uint64_t)(uint32_t)xreg(s, d->rn) * (uint32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) + p);
	return EXEC_NEXT;
}

static int exec_UMSUBL(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t p = (uint64_t)(uint32_t)xreg(s, d->rn) * (uint32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) - p);
	return EXEC_NEXT;
}

static int exec_SMULH(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	__int128 p = (__int128)(int64_t)xreg(s, d->rn) * (int64_t)xreg(s, d->rm);

	set_xreg(s, d->rd, (uint64_t)(p >> 64));
	return EXEC_NEXT;
}

static int exec_UMULH(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned __int128 p = (unsigned __int128)xreg(s, d->rn) * xreg(s, d->rm);

	set_xreg(s, d->rd, (uint64_t)(p >> 64));
	return EXEC_NEXT;
}

static int exec_UDIV(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t n = trunc_sf(xreg(s, d->rn), SF(d)), m = trunc_sf(xreg(s, d->rm), SF(d));

	set_xreg(s, d->rd, m ? n / m : 0);
	return EXEC_NEXT;
}

static int exec_SDIV(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int64_t n, m, r;

	if (SF(d)) {
		n = (int64_t)xreg(s, d->rn);
		m = (int64_t)xreg(s, d->rm);
		if (!m)
			r = 0;
		else if (n == INT64_MIN && m == -1)
			r = INT64_MIN;
		else
			r = n / m;
		set_xreg(s, d->rd, (uint64_t)r);
	} else {
		n = (int32_t)xreg(s, d->rn);
		m = (int32_t)xreg(s, d->rm);
		r = m ? n / m : 0;	/* INT32_MIN / -1 fits in 64 bits */
		set_xreg(s, d->rd, (uint32_t)r);
	}
	return EXEC_NEXT;
}

static int shiftv(struct cpu *c, const struct dinsn *d, unsigned int type)
{
	struct cpu_state *s = &c->state;
	unsigned int amount = (unsigned int)(xreg(s, d->rm) & (SF(d) ? 63 : 31));

	set_xreg(s, d->rd, shift_reg(xreg(s, d->rn), type, amount, SF(d)));
	return EXEC_NEXT;
}

static int exec_LSLV(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 0); }
static int exec_LSRV(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 1); }
static int exec_ASRV(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 2); }
static int exec_RORV(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 3); }

/* ---- CRC32 ----------------------------------------------------------------------- */

static uint32_t crc_tab[2][256];

__attribute__((constructor)) static void crc_tables_init(void)
{
	static const uint32_t poly[2] = { 0xedb88320u, 0x82f63b78u };
	unsigned int t, i, k;

	for (t = 0; t < 2; t++)
		for (i = 0; i < 256; i++) {
			uint32_t v = i;

			for (k = 0; k < 8; k++)
				v = (v >> 1) ^ ((v & 1) ? poly[t] : 0);
			crc_tab[t][i] = v;
		}
}

static bool prep_crc(struct dinsn *d)
{
	unsigned int sz = FIELD(d->insn, 11, 10);

	/* CRC32X/CX need sf=1, the others sf=0 */
	if ((sz == 3) != SF(d))
		return false;
	d->imm = 1 << sz;
	return true;
}

static ALWAYS_INLINE int crc32_bytes(struct cpu *c, const struct dinsn *d, const uint32_t *tab)
{
	struct cpu_state *s = &c->state;
	uint32_t acc = (uint32_t)xreg(s, d->rn);
	uint64_t v = xreg(s, d->rm);
	int i;

	for (i = 0; i < d->imm; i++, v >>= 8)
		acc = (acc >> 8) ^ tab[(acc ^ v) & 0xff];
	set_xreg(s, d->rd, acc);
	return EXEC_NEXT;
}

/* CRC32B/H/W/X: polynomial 0x04c11db7 */
static int exec_CRC32(struct cpu *c, const struct dinsn *d)
{
	return crc32_bytes(c, d, crc_tab[0]);
}

/* CRC32CB/CH/CW/CX: polynomial 0x1edc6f41 (Castagnoli) */
static int exec_CRC32C(struct cpu *c, const struct dinsn *d)
{
	return crc32_bytes(c, d, crc_tab[1]);
}

/* ---- one source ---------------------------------------------------------------------- */

static int exec_RBIT(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn), r = 0;
	int i;

	for (i = 0; i < 64; i++)
		r |= ((v >> i) & 1) << (63 - i);
	set_xreg(s, d->rd, SF(d) ? r : r >> 32);
	return EXEC_NEXT;
}

static int exec_REV16(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn);

	v = ((v & 0x00ff00ff00ff00ffULL) << 8) | ((v >> 8) & 0x00ff00ff00ff00ffULL);
	set_xreg(s, d->rd, trunc_sf(v, SF(d)));
	return EXEC_NEXT;
}

static int exec_REV32(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn);

	/* REV32 (sf=1) and REV Wd (sf=0) both reverse bytes within words */
	v = ((uint64_t)__builtin_bswap32((uint32_t)(v >> 32)) << 32) |
	    __builtin_bswap32((uint32_t)v);
	set_xreg(s, d->rd, trunc_sf(v, SF(d)));
	return EXEC_NEXT;
}

static int exec_REV64(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, __builtin_bswap64(xreg(&c->state, d->rn)));
	return EXEC_NEXT;
}

static int exec_CLZ(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn);
	uint64_t r;

	if (SF(d))
		r = v ? (uint64_t)__builtin_clzll(v) : 64;
	else
		r = (uint32_t)v ? (uint64_t)__builtin_clz((uint32_t)v) : 32;
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

static int exec_CLS(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn), x;
	uint64_t r;

	if (SF(d)) {
		x = v ^ (v << 1) ;		/* bit i+1 set where bits i+1 and i differ */
		x |= 1;
		r = (uint64_t)__builtin_clzll(x);
	} else {
		uint32_t w = (uint32_t)v, y = w ^ (w << 1);

		y |= 1;
		r = (uint64_t)__builtin_clz(y);
	}
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

static bool prep_ccmp_imm(struct dinsn *d)
{
	d->rm = (uint8_t)FIELD(d->insn, 20, 16);	/* imm5 */
	return true;
}


#define INSN_CLASS	dp
#define INSN_DEF	"insn/dp.def"
#include "a64_table.h"
