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

/* ---- add/subtract (immediate) ------------------------------------------------ */

static bool prep_addsub_imm(struct dinsn *d)
{
	d->imm = (int64_t)(FIELD(d->insn, 21, 10) << (BIT(d->insn, 22) ? 12 : 0));
	return true;
}

static int add_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg_sp(s, d->rn) + (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int sub_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg_sp(s, d->rn) - (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int adds_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg_sp(s, d->rn), (uint64_t)d->imm, 0, SF(d)));
	return EXEC_NEXT;
}

static int subs_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg_sp(s, d->rn), ~(uint64_t)d->imm, 1, SF(d)));
	return EXEC_NEXT;
}

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

/* DecodeBitMasks() for the logical immediates; false if reserved. */
static bool decode_bit_mask(unsigned int n, unsigned int imms, unsigned int immr,
			    bool sf, uint64_t *mask)
{
	unsigned int combined = (n << 6) | (~imms & 0x3f);
	unsigned int len, esize, levels, sbits, r, e;
	uint64_t elem, m;

	if (!combined)
		return false;
	len = 31 - (unsigned int)__builtin_clz(combined);
	if (len < 1)
		return false;
	esize = 1u << len;
	levels = esize - 1;
	sbits = imms & levels;
	r = immr & levels;
	if (sbits == levels)
		return false;
	elem = ror_n(ones(sbits + 1), r, esize);
	m = 0;
	for (e = 0; e < 64; e += esize)
		m |= elem << e;
	*mask = sf ? m : (uint32_t)m;
	return true;
}

static bool prep_logic_imm(struct dinsn *d)
{
	uint64_t m;

	if (!SF(d) && BIT(d->insn, 22))
		return false;
	if (!decode_bit_mask(BIT(d->insn, 22), FIELD(d->insn, 15, 10),
			     FIELD(d->insn, 21, 16), SF(d), &m))
		return false;
	d->imm = (int64_t)m;
	return true;
}

static int and_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, xreg(s, d->rn) & (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int orr_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg(s, d->rn) | (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int eor_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg(s, d->rn) ^ (uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int ands_imm(struct cpu *c, const struct dinsn *d)
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

static int movn(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, trunc_sf(~(uint64_t)d->imm, SF(d)));
	return EXEC_NEXT;
}

static int movz(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int movk(struct cpu *c, const struct dinsn *d)
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

static int adr(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, c->state.pc + (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int adrp(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, (c->state.pc & ~0xfffULL) + ((uint64_t)d->imm << 12));
	return EXEC_NEXT;
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
	d->aux = imms;
	return true;
}

static int sbfm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = SF(d) ? 64 : 32, immr = (unsigned int)d->imm,
		     imms = (unsigned int)d->aux;
	uint64_t src = xreg(s, d->rn), r;

	if (imms >= immr)
		r = (uint64_t)sext(src >> immr, imms - immr + 1);
	else
		r = (uint64_t)sext(src & ones(imms + 1), imms + 1) << (size - immr);
	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int ubfm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = SF(d) ? 64 : 32, immr = (unsigned int)d->imm,
		     imms = (unsigned int)d->aux;
	uint64_t src = xreg(s, d->rn), r;

	if (imms >= immr)
		r = (src >> immr) & ones(imms - immr + 1);
	else
		r = (src & ones(imms + 1)) << (size - immr);
	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

/*
 * UBFM into a general register (LSL, LSR, UBFX, UBFIZ, UXTB, UXTH...):
 * a rotate right by immr (imm) and a mask made at decode time (aux).
 */
static int ubfm_xr(struct cpu *c, const struct dinsn *d)
{
	uint64_t v = c->state.x[d->rn];
	unsigned int r = (unsigned int)d->imm;

	c->state.x[d->rd] = ((v >> r) | (v << ((64 - r) & 63))) & d->aux;
	return EXEC_NEXT;
}

static int ubfm_wr(struct cpu *c, const struct dinsn *d)
{
	uint32_t v = (uint32_t)c->state.x[d->rn];
	unsigned int r = (unsigned int)d->imm;

	c->state.x[d->rd] = ((v >> r) | (v << ((32 - r) & 31))) & d->aux;
	return EXEC_NEXT;
}

static bool prep_ubfm(struct dinsn *d)
{
	unsigned int size = SF(d) ? 64 : 32, immr, imms;

	if (!prep_bitfield(d))
		return false;
	immr = (unsigned int)d->imm;
	imms = (unsigned int)d->aux;
	if (d->rd == 31)
		return true;
	d->aux = imms >= immr ? ones(imms - immr + 1) : ones(imms + 1) << (size - immr);
	d->fn = SF(d) ? ubfm_xr : ubfm_wr;
	return true;
}

static int bfm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = SF(d) ? 64 : 32, immr = (unsigned int)d->imm,
		     imms = (unsigned int)d->aux;
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

static int extr(struct cpu *c, const struct dinsn *d)
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

static int and_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) & SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int bic_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) & ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int orr_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) | SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int orn_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) | ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int eor_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) ^ SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int eon_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) ^ ~SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int ands_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = trunc_sf(xreg(s, d->rn) & SHIFTED_OP2(s, d), SF(d));

	logic_flags(s, r, SF(d));
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

static int bics_reg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = trunc_sf(xreg(s, d->rn) & ~SHIFTED_OP2(s, d), SF(d));

	logic_flags(s, r, SF(d));
	set_xreg(s, d->rd, r);
	return EXEC_NEXT;
}

static int add_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) + SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int adds_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg(s, d->rn), SHIFTED_OP2(s, d), 0, SF(d)));
	return EXEC_NEXT;
}

static int sub_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) - SHIFTED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int subs_shifted(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg(s, d->rn), ~SHIFTED_OP2(s, d), 1, SF(d)));
	return EXEC_NEXT;
}

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

SHIFTED_FAMILY(f_and, OP_PLAIN(a & b))
SHIFTED_FAMILY(f_bic, OP_PLAIN(a & ~b))
SHIFTED_FAMILY(f_orr, OP_PLAIN(a | b))
SHIFTED_FAMILY(f_orn, OP_PLAIN(a | ~b))
SHIFTED_FAMILY(f_eor, OP_PLAIN(a ^ b))
SHIFTED_FAMILY(f_eon, OP_PLAIN(a ^ ~b))
SHIFTED_FAMILY(f_ands, OP_LOGICS(a & b))
SHIFTED_FAMILY(f_bics, OP_LOGICS(a & ~b))
SHIFTED_FAMILY(f_add, OP_PLAIN(a + b))
SHIFTED_FAMILY(f_sub, OP_PLAIN(a - b))
SHIFTED_FAMILY(f_adds, OP_ADDS(b, 0))
SHIFTED_FAMILY(f_subs, OP_SUBS(b))

#define THREADED_FAMILY(f)	THREADED_NOPC(f##_x_lsl) THREADED_NOPC(f##_x_lsr)	\
	THREADED_NOPC(f##_x_asr) THREADED_NOPC(f##_w_lsl) THREADED_NOPC(f##_w_lsr)	\
	THREADED_NOPC(f##_w_asr)
#define THREAD_MAP_FAMILY(f)	THREAD_MAP(f##_x_lsl), THREAD_MAP(f##_x_lsr),	\
	THREAD_MAP(f##_x_asr), THREAD_MAP(f##_w_lsl), THREAD_MAP(f##_w_lsr),	\
	THREAD_MAP(f##_w_asr)

THREADED_FAMILY(f_and)
THREADED_FAMILY(f_bic)
THREADED_FAMILY(f_orr)
THREADED_FAMILY(f_orn)
THREADED_FAMILY(f_eor)
THREADED_FAMILY(f_eon)
THREADED_FAMILY(f_ands)
THREADED_FAMILY(f_bics)
THREADED_FAMILY(f_add)
THREADED_FAMILY(f_sub)
THREADED_FAMILY(f_adds)
THREADED_FAMILY(f_subs)

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
	RR_FAST(f##_x_r0, uint64_t, false, op) RR_FAST(f##_w_r0, uint32_t, false, op) \
	THREADED_NOPC(f##_x_nr) THREADED_NOPC(f##_w_nr)				\
	THREADED_NOPC(f##_x_r0) THREADED_NOPC(f##_w_r0)
#define THREAD_MAP_RR(f)	THREAD_MAP(f##_x_nr), THREAD_MAP(f##_w_nr),	\
	THREAD_MAP(f##_x_r0), THREAD_MAP(f##_w_r0)

RR_FAMILY(f_add, +)
RR_FAMILY(f_sub, -)
RR_FAMILY(f_and, &)
RR_FAMILY(f_orr, |)
RR_FAMILY(f_eor, ^)

static int mov_reg_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rm];
	return EXEC_NEXT;
}

static int mov_reg_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)c->state.x[d->rm];
	return EXEC_NEXT;
}

THREADED_NOPC(mov_reg_x)
THREADED_NOPC(mov_reg_w)

#define RR_ROW(f)	{ { f##_w_lsl, f##_x_lsl }, { f##_w_nr, f##_x_nr },	\
			  { f##_w_r0, f##_x_r0 } }

static const struct {
	exec_fn lsl[2], nr[2], r0[2];	/* [sf] */
} rr_fast[] = {
	RR_ROW(f_add), RR_ROW(f_sub), RR_ROW(f_and), RR_ROW(f_orr), RR_ROW(f_eor),
};

/* d->fn: a fast shifted form (Rd, Rm not 31, not ROR); shorter if possible */
static void prep_rr_fast(struct dinsn *d)
{
	unsigned int i, sf = SF(d);

	if (d->rn == 31) {
		if (d->fn == (sf ? f_orr_x_lsl : f_orr_w_lsl) && !d->imm)
			d->fn = sf ? mov_reg_x : mov_reg_w;
		return;
	}
	for (i = 0; i < sizeof(rr_fast) / sizeof(rr_fast[0]); i++)
		if (rr_fast[i].lsl[sf] == d->fn) {
			d->fn = d->imm ? rr_fast[i].nr[sf] : rr_fast[i].r0[sf];
			return;
		}
}

#define FAMILY_ROW(g, f)	{ g, { { f##_w_lsl, f##_w_lsr, f##_w_asr },	\
				       { f##_x_lsl, f##_x_lsr, f##_x_asr } } }

static const struct {
	exec_fn generic;
	exec_fn fast[2][3];		/* [sf][shift type] */
} shifted_fast[] = {
	FAMILY_ROW(and_reg, f_and), FAMILY_ROW(bic_reg, f_bic),
	FAMILY_ROW(orr_reg, f_orr), FAMILY_ROW(orn_reg, f_orn),
	FAMILY_ROW(eor_reg, f_eor), FAMILY_ROW(eon_reg, f_eon),
	FAMILY_ROW(ands_reg, f_ands), FAMILY_ROW(bics_reg, f_bics),
	FAMILY_ROW(add_shifted, f_add), FAMILY_ROW(sub_shifted, f_sub),
	FAMILY_ROW(adds_shifted, f_adds), FAMILY_ROW(subs_shifted, f_subs),
};

static bool prep_shifted_fast(struct dinsn *d)
{
	unsigned int i;

	if (!prep_shifted(d))
		return false;
	if (!d->imm)
		d->aux = 0;	/* no shift: every type is LSL #0 */
	if (d->aux == 3 || d->rm == 31)
		return true;	/* ROR, or XZR as Rm: the generic handlers */
	for (i = 0; i < sizeof(shifted_fast) / sizeof(shifted_fast[0]); i++)
		if (shifted_fast[i].generic == d->fn) {
			/* only the flag-setting forms (CMP, TST) take XZR as Rd */
			if (d->rd == 31 && d->fn != ands_reg && d->fn != bics_reg &&
			    d->fn != adds_shifted && d->fn != subs_shifted)
				break;
			d->fn = shifted_fast[i].fast[SF(d)][d->aux];
			if (!d->aux)
				prep_rr_fast(d);
			break;
		}
	return true;
}

static bool prep_addsub_shifted_fast(struct dinsn *d)
{
	if (!prep_addsub_shifted(d))
		return false;
	return prep_shifted_fast(d);
}

/* Immediate forms without SP (register 31) operands */
static int add_imm_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] + (uint64_t)d->imm;
	return EXEC_NEXT;
}

static int add_imm_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)(c->state.x[d->rn] + (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int sub_imm_x(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] - (uint64_t)d->imm;
	return EXEC_NEXT;
}

static int sub_imm_w(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = (uint32_t)(c->state.x[d->rn] - (uint64_t)d->imm);
	return EXEC_NEXT;
}

static int adds_imm_x(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, s->x[d->rn], (uint64_t)d->imm, 0, true));
	return EXEC_NEXT;
}

static int adds_imm_w(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, s->x[d->rn], (uint64_t)d->imm, 0, false));
	return EXEC_NEXT;
}

static int subs_imm_x(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, sub_flags(s, s->x[d->rn], (uint64_t)d->imm, true));
	return EXEC_NEXT;
}

static int subs_imm_w(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, sub_flags(s, s->x[d->rn], (uint64_t)d->imm, false));
	return EXEC_NEXT;
}

static bool prep_addsub_imm_fast(struct dinsn *d)
{
	static const struct { exec_fn generic, w, x; bool rd_sp; } tab[] = {
		{ add_imm, add_imm_w, add_imm_x, true },
		{ sub_imm, sub_imm_w, sub_imm_x, true },
		{ adds_imm, adds_imm_w, adds_imm_x, false },
		{ subs_imm, subs_imm_w, subs_imm_x, false },
	};
	unsigned int i;

	prep_addsub_imm(d);
	if (d->rn == 31)
		return true;	/* SP */
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].generic == d->fn) {
			if (tab[i].rd_sp && d->rd == 31)
				break;
			d->fn = SF(d) ? tab[i].x : tab[i].w;
			break;
		}
	return true;
}

/* AND (immediate) into a general register: the mask is already sized */
static int and_imm_r(struct cpu *c, const struct dinsn *d)
{
	c->state.x[d->rd] = c->state.x[d->rn] & (uint64_t)d->imm;
	return EXEC_NEXT;
}

THREADED_NOPC(add_imm_x)
THREADED_NOPC(add_imm_w)
THREADED_NOPC(sub_imm_x)
THREADED_NOPC(sub_imm_w)
THREADED_NOPC(adds_imm_x)
THREADED_NOPC(adds_imm_w)
THREADED_NOPC(subs_imm_x)
THREADED_NOPC(subs_imm_w)
THREADED_NOPC(and_imm_r)


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

FUSED_BCOND(adds_imm_x)
FUSED_BCOND(adds_imm_w)
FUSED_BCOND(f_adds_x_lsl)
FUSED_BCOND(f_adds_w_lsl)
FUSED_BCOND(f_ands_x_lsl)
FUSED_BCOND(f_ands_w_lsl)

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

FUSED_SUBS(subs_imm_x, uint64_t, int64_t, true)
FUSED_SUBS(subs_imm_w, uint32_t, int32_t, true)
FUSED_SUBS(f_subs_x_lsl, uint64_t, int64_t, false)
FUSED_SUBS(f_subs_w_lsl, uint32_t, int32_t, false)

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

FUSED_CS(subs_imm_x, uint64_t, int64_t, true)
FUSED_CS(subs_imm_w, uint32_t, int32_t, true)
FUSED_CS(f_subs_x_lsl, uint64_t, int64_t, false)
FUSED_CS(f_subs_w_lsl, uint32_t, int32_t, false)

#define FUSED_ROW(name, kind)							\
	{ name##_##kind##0, name##_##kind##1, name##_##kind##2, name##_##kind##3, \
	  name##_##kind##4, name##_##kind##5, name##_##kind##6, name##_##kind##7, \
	  name##_##kind##8, name##_##kind##9, name##_##kind##10, name##_##kind##11, \
	  name##_##kind##12, name##_##kind##13, name##_##kind##14, name##_##kind##15 }
#define FUSED_SUBS_ENTRY(name)	name, { FUSED_ROW(name, bc), FUSED_ROW(name, cmp_bc) }

static const struct {
	exec_fn fn;
	exec_fn tfn[2][16];		/* [Rd == 31][cond] */
	exec_fn cs[16];			/* CMP + CSEL family, [cond] */
} fused_subs[] = {
	{ FUSED_SUBS_ENTRY(subs_imm_x), FUSED_ROW(subs_imm_x, cs) },
	{ FUSED_SUBS_ENTRY(subs_imm_w), FUSED_ROW(subs_imm_w, cs) },
	{ FUSED_SUBS_ENTRY(f_subs_x_lsl), FUSED_ROW(f_subs_x_lsl, cs) },
	{ FUSED_SUBS_ENTRY(f_subs_w_lsl), FUSED_ROW(f_subs_w_lsl, cs) },
};

static const struct thread_map fused_other[] = {
	{ adds_imm_x, adds_imm_x_bc_t, false }, { adds_imm_w, adds_imm_w_bc_t, false },
	{ f_adds_x_lsl, f_adds_x_lsl_bc_t, false }, { f_adds_w_lsl, f_adds_w_lsl_bc_t, false },
	{ f_ands_x_lsl, f_ands_x_lsl_bc_t, false }, { f_ands_w_lsl, f_ands_w_lsl_bc_t, false },
};

exec_fn dp_fused_csel_tfn(exec_fn fn, unsigned int cond)
{
	unsigned int k;

	for (k = 0; k < sizeof(fused_subs) / sizeof(fused_subs[0]); k++)
		if (fused_subs[k].fn == fn)
			return fused_subs[k].cs[cond & 15];
	return NULL;
}

exec_fn dp_fused_tfn(exec_fn fn, bool rd31, unsigned int cond)
{
	unsigned int k;

	for (k = 0; k < sizeof(fused_subs) / sizeof(fused_subs[0]); k++)
		if (fused_subs[k].fn == fn)
			return fused_subs[k].tfn[rd31][cond & 15];
	for (k = 0; k < sizeof(fused_other) / sizeof(fused_other[0]); k++)
		if (fused_other[k].fn == fn)
			return fused_other[k].tfn;
	return NULL;
}

static bool prep_logic_imm_fast(struct dinsn *d)
{
	if (!prep_logic_imm(d))
		return false;
	if (d->fn == and_imm && d->rd != 31 && d->rn != 31)
		d->fn = and_imm_r;
	return true;
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

static int add_ext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg_sp(s, d->rn) + EXTENDED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int adds_ext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg_sp(s, d->rn), EXTENDED_OP2(s, d), 0, SF(d)));
	return EXEC_NEXT;
}

static int sub_ext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg_sp(s, d->rd, trunc_sf(xreg_sp(s, d->rn) - EXTENDED_OP2(s, d), SF(d)));
	return EXEC_NEXT;
}

static int subs_ext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg_sp(s, d->rn), ~EXTENDED_OP2(s, d), 1, SF(d)));
	return EXEC_NEXT;
}

/* ---- with carry ------------------------------------------------------------------- */

static inline unsigned int carry_flag(struct cpu_state *s)
{
	nzcv_sync(s);
	return (unsigned int)((s->pstate >> 29) & 1);
}

#define CARRY(s)	carry_flag(s)

static int adc(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) + xreg(s, d->rm) + CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int adcs(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, add_flags(s, xreg(s, d->rn), xreg(s, d->rm), CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int sbc(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->rn) + ~xreg(s, d->rm) + CARRY(s), SF(d)));
	return EXEC_NEXT;
}

static int sbcs(struct cpu *c, const struct dinsn *d)
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

static int ccmn_reg(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, xreg(&c->state, d->rm), true);
}

static int ccmp_reg(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, xreg(&c->state, d->rm), false);
}

static int ccmn_imm(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, d->rm, true);
}

static int ccmp_imm(struct cpu *c, const struct dinsn *d)
{
	return ccmp_common(c, d, d->rm, false);
}

#define COND(d)	FIELD((d)->insn, 15, 12)

static int csel(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int csinc(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : xreg(s, d->rm) + 1;

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int csinv(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : ~xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

static int csneg(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t r = cond_holds(s, COND(d)) ? xreg(s, d->rn) : -xreg(s, d->rm);

	set_xreg(s, d->rd, trunc_sf(r, SF(d)));
	return EXEC_NEXT;
}

/* ---- multiply and divide ------------------------------------------------------------ */

static int madd(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->ra) + xreg(s, d->rn) * xreg(s, d->rm), SF(d)));
	return EXEC_NEXT;
}

static int msub(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	set_xreg(s, d->rd, trunc_sf(xreg(s, d->ra) - xreg(s, d->rn) * xreg(s, d->rm), SF(d)));
	return EXEC_NEXT;
}

static int smaddl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int64_t p = (int64_t)(int32_t)xreg(s, d->rn) * (int32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) + (uint64_t)p);
	return EXEC_NEXT;
}

static int smsubl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	int64_t p = (int64_t)(int32_t)xreg(s, d->rn) * (int32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) - (uint64_t)p);
	return EXEC_NEXT;
}

static int umaddl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t p = (uint64_t)(uint32_t)xreg(s, d->rn) * (uint32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) + p);
	return EXEC_NEXT;
}

static int umsubl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t p = (uint64_t)(uint32_t)xreg(s, d->rn) * (uint32_t)xreg(s, d->rm);

	set_xreg(s, d->rd, xreg(s, d->ra) - p);
	return EXEC_NEXT;
}

static int smulh(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	__int128 p = (__int128)(int64_t)xreg(s, d->rn) * (int64_t)xreg(s, d->rm);

	set_xreg(s, d->rd, (uint64_t)(p >> 64));
	return EXEC_NEXT;
}

static int umulh(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned __int128 p = (unsigned __int128)xreg(s, d->rn) * xreg(s, d->rm);

	set_xreg(s, d->rd, (uint64_t)(p >> 64));
	return EXEC_NEXT;
}

static int udiv(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t n = trunc_sf(xreg(s, d->rn), SF(d)), m = trunc_sf(xreg(s, d->rm), SF(d));

	set_xreg(s, d->rd, m ? n / m : 0);
	return EXEC_NEXT;
}

static int sdiv(struct cpu *c, const struct dinsn *d)
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

static int lslv(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 0); }
static int lsrv(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 1); }
static int asrv(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 2); }
static int rorv(struct cpu *c, const struct dinsn *d) { return shiftv(c, d, 3); }

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
	d->aux = BIT(d->insn, 12);
	return true;
}

static int crc32(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	const uint32_t *tab = crc_tab[d->aux];
	uint32_t acc = (uint32_t)xreg(s, d->rn);
	uint64_t v = xreg(s, d->rm);
	int i;

	for (i = 0; i < d->imm; i++, v >>= 8)
		acc = (acc >> 8) ^ tab[(acc ^ v) & 0xff];
	set_xreg(s, d->rd, acc);
	return EXEC_NEXT;
}

/* ---- one source ---------------------------------------------------------------------- */

static int rbit(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn), r = 0;
	int i;

	for (i = 0; i < 64; i++)
		r |= ((v >> i) & 1) << (63 - i);
	set_xreg(s, d->rd, SF(d) ? r : r >> 32);
	return EXEC_NEXT;
}

static int rev16(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn);

	v = ((v & 0x00ff00ff00ff00ffULL) << 8) | ((v >> 8) & 0x00ff00ff00ff00ffULL);
	set_xreg(s, d->rd, trunc_sf(v, SF(d)));
	return EXEC_NEXT;
}

static int rev32(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint64_t v = xreg(s, d->rn);

	/* REV32 (sf=1) and REV Wd (sf=0) both reverse bytes within words */
	v = ((uint64_t)__builtin_bswap32((uint32_t)(v >> 32)) << 32) |
	    __builtin_bswap32((uint32_t)v);
	set_xreg(s, d->rd, trunc_sf(v, SF(d)));
	return EXEC_NEXT;
}

static int rev64(struct cpu *c, const struct dinsn *d)
{
	set_xreg(&c->state, d->rd, __builtin_bswap64(xreg(&c->state, d->rn)));
	return EXEC_NEXT;
}

static int clz(struct cpu *c, const struct dinsn *d)
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

static int cls(struct cpu *c, const struct dinsn *d)
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

static bool prep_rev32(struct dinsn *d)
{
	return true;
}

static bool prep_sf1(struct dinsn *d)
{
	return SF(d);
}

static bool prep_ccmp_imm(struct dinsn *d)
{
	d->rm = (uint8_t)FIELD(d->insn, 20, 16);	/* imm5 */
	return true;
}


/*
 * Threaded entries (THREADED_NOPC: they neither read PC nor take exceptions)
 * for the rest of the class, all but ADR and ADRP.
 */
THREADED_NOPC(add_imm)
THREADED_NOPC(adds_imm)
THREADED_NOPC(sub_imm)
THREADED_NOPC(subs_imm)
THREADED_NOPC(and_imm)
THREADED_NOPC(orr_imm)
THREADED_NOPC(eor_imm)
THREADED_NOPC(ands_imm)
THREADED_NOPC(movn)
THREADED_NOPC(movz)
THREADED_NOPC(movk)
THREADED_NOPC(sbfm)
THREADED_NOPC(bfm)
THREADED_NOPC(ubfm)
THREADED_NOPC(ubfm_xr)
THREADED_NOPC(ubfm_wr)
THREADED_NOPC(extr)
THREADED_NOPC(and_reg)
THREADED_NOPC(bic_reg)
THREADED_NOPC(orr_reg)
THREADED_NOPC(orn_reg)
THREADED_NOPC(eor_reg)
THREADED_NOPC(eon_reg)
THREADED_NOPC(ands_reg)
THREADED_NOPC(bics_reg)
THREADED_NOPC(add_shifted)
THREADED_NOPC(adds_shifted)
THREADED_NOPC(sub_shifted)
THREADED_NOPC(subs_shifted)
THREADED_NOPC(add_ext)
THREADED_NOPC(adds_ext)
THREADED_NOPC(sub_ext)
THREADED_NOPC(subs_ext)
THREADED_NOPC(adc)
THREADED_NOPC(adcs)
THREADED_NOPC(sbc)
THREADED_NOPC(sbcs)
THREADED_NOPC(ccmn_reg)
THREADED_NOPC(ccmp_reg)
THREADED_NOPC(ccmn_imm)
THREADED_NOPC(ccmp_imm)
THREADED_NOPC(csel)
THREADED_NOPC(csinc)
THREADED_NOPC(csinv)
THREADED_NOPC(csneg)
THREADED_NOPC(madd)
THREADED_NOPC(msub)
THREADED_NOPC(smaddl)
THREADED_NOPC(smsubl)
THREADED_NOPC(smulh)
THREADED_NOPC(umaddl)
THREADED_NOPC(umsubl)
THREADED_NOPC(umulh)
THREADED_NOPC(udiv)
THREADED_NOPC(sdiv)
THREADED_NOPC(lslv)
THREADED_NOPC(lsrv)
THREADED_NOPC(asrv)
THREADED_NOPC(rorv)
THREADED_NOPC(crc32)
THREADED_NOPC(rbit)
THREADED_NOPC(rev16)
THREADED_NOPC(rev32)
THREADED_NOPC(rev64)
THREADED_NOPC(clz)
THREADED_NOPC(cls)

static const struct thread_map dp_thread_map[] = {
	THREAD_MAP_FAMILY(f_and), THREAD_MAP_FAMILY(f_bic), THREAD_MAP_FAMILY(f_orr),
	THREAD_MAP_FAMILY(f_orn), THREAD_MAP_FAMILY(f_eor), THREAD_MAP_FAMILY(f_eon),
	THREAD_MAP_FAMILY(f_ands), THREAD_MAP_FAMILY(f_bics), THREAD_MAP_FAMILY(f_add),
	THREAD_MAP_FAMILY(f_sub), THREAD_MAP_FAMILY(f_adds), THREAD_MAP_FAMILY(f_subs),
	THREAD_MAP(add_imm_x), THREAD_MAP(add_imm_w), THREAD_MAP(sub_imm_x),
	THREAD_MAP(sub_imm_w), THREAD_MAP(adds_imm_x), THREAD_MAP(adds_imm_w),
	THREAD_MAP(subs_imm_x), THREAD_MAP(subs_imm_w), THREAD_MAP(and_imm_r),
	THREAD_MAP_RR(f_add), THREAD_MAP_RR(f_sub), THREAD_MAP_RR(f_and),
	THREAD_MAP_RR(f_orr), THREAD_MAP_RR(f_eor), THREAD_MAP(mov_reg_x),
	THREAD_MAP(mov_reg_w),
	THREAD_MAP(add_imm), THREAD_MAP(adds_imm), THREAD_MAP(sub_imm),
	THREAD_MAP(subs_imm), THREAD_MAP(and_imm), THREAD_MAP(orr_imm),
	THREAD_MAP(eor_imm), THREAD_MAP(ands_imm), THREAD_MAP(movn),
	THREAD_MAP(movz), THREAD_MAP(movk), THREAD_MAP(sbfm), THREAD_MAP(bfm),
	THREAD_MAP(ubfm), THREAD_MAP(ubfm_xr), THREAD_MAP(ubfm_wr), THREAD_MAP(extr), THREAD_MAP(and_reg),
	THREAD_MAP(bic_reg), THREAD_MAP(orr_reg), THREAD_MAP(orn_reg),
	THREAD_MAP(eor_reg), THREAD_MAP(eon_reg), THREAD_MAP(ands_reg),
	THREAD_MAP(bics_reg), THREAD_MAP(add_shifted),
	THREAD_MAP(adds_shifted), THREAD_MAP(sub_shifted),
	THREAD_MAP(subs_shifted), THREAD_MAP(add_ext), THREAD_MAP(adds_ext),
	THREAD_MAP(sub_ext), THREAD_MAP(subs_ext), THREAD_MAP(adc),
	THREAD_MAP(adcs), THREAD_MAP(sbc), THREAD_MAP(sbcs),
	THREAD_MAP(ccmn_reg), THREAD_MAP(ccmp_reg), THREAD_MAP(ccmn_imm),
	THREAD_MAP(ccmp_imm), THREAD_MAP(csel), THREAD_MAP(csinc),
	THREAD_MAP(csinv), THREAD_MAP(csneg), THREAD_MAP(madd),
	THREAD_MAP(msub), THREAD_MAP(smaddl), THREAD_MAP(smsubl),
	THREAD_MAP(smulh), THREAD_MAP(umaddl), THREAD_MAP(umsubl),
	THREAD_MAP(umulh), THREAD_MAP(udiv), THREAD_MAP(sdiv),
	THREAD_MAP(lslv), THREAD_MAP(lsrv), THREAD_MAP(asrv), THREAD_MAP(rorv),
	THREAD_MAP(crc32), THREAD_MAP(rbit), THREAD_MAP(rev16),
	THREAD_MAP(rev32), THREAD_MAP(rev64), THREAD_MAP(clz), THREAD_MAP(cls),
};

const struct thread_table dp_threaded = {
	dp_thread_map, sizeof(dp_thread_map) / sizeof(dp_thread_map[0])
};

static const struct insn_pattern dp_patterns[] = {
	PAT(0x9f000000, 0x10000000, adr, prep_adr),
	PAT(0x9f000000, 0x90000000, adrp, prep_adr),
	PAT(0x7f800000, 0x11000000, add_imm, prep_addsub_imm_fast),
	PAT(0x7f800000, 0x31000000, adds_imm, prep_addsub_imm_fast),
	PAT(0x7f800000, 0x51000000, sub_imm, prep_addsub_imm_fast),
	PAT(0x7f800000, 0x71000000, subs_imm, prep_addsub_imm_fast),
	PAT(0x7f800000, 0x12000000, and_imm, prep_logic_imm_fast),
	PAT(0x7f800000, 0x32000000, orr_imm, prep_logic_imm),
	PAT(0x7f800000, 0x52000000, eor_imm, prep_logic_imm),
	PAT(0x7f800000, 0x72000000, ands_imm, prep_logic_imm),
	PAT(0x7f800000, 0x12800000, movn, prep_movw),
	PAT(0x7f800000, 0x52800000, movz, prep_movw),
	PAT(0x7f800000, 0x72800000, movk, prep_movw),
	PAT(0x7f800000, 0x13000000, sbfm, prep_bitfield),
	PAT(0x7f800000, 0x33000000, bfm, prep_bitfield),
	PAT(0x7f800000, 0x53000000, ubfm, prep_ubfm),
	PAT(0x7fa00000, 0x13800000, extr, prep_extr),

	PAT(0x7f200000, 0x0a000000, and_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x0a200000, bic_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x2a000000, orr_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x2a200000, orn_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x4a000000, eor_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x4a200000, eon_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x6a000000, ands_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x6a200000, bics_reg, prep_shifted_fast),
	PAT(0x7f200000, 0x0b000000, add_shifted, prep_addsub_shifted_fast),
	PAT(0x7f200000, 0x2b000000, adds_shifted, prep_addsub_shifted_fast),
	PAT(0x7f200000, 0x4b000000, sub_shifted, prep_addsub_shifted_fast),
	PAT(0x7f200000, 0x6b000000, subs_shifted, prep_addsub_shifted_fast),
	PAT(0x7fe00000, 0x0b200000, add_ext, prep_extended),
	PAT(0x7fe00000, 0x2b200000, adds_ext, prep_extended),
	PAT(0x7fe00000, 0x4b200000, sub_ext, prep_extended),
	PAT(0x7fe00000, 0x6b200000, subs_ext, prep_extended),
	PAT(0x7fe0fc00, 0x1a000000, adc, NULL),
	PAT(0x7fe0fc00, 0x3a000000, adcs, NULL),
	PAT(0x7fe0fc00, 0x5a000000, sbc, NULL),
	PAT(0x7fe0fc00, 0x7a000000, sbcs, NULL),
	PAT(0x7fe00c10, 0x3a400000, ccmn_reg, NULL),
	PAT(0x7fe00c10, 0x7a400000, ccmp_reg, NULL),
	PAT(0x7fe00c10, 0x3a400800, ccmn_imm, prep_ccmp_imm),
	PAT(0x7fe00c10, 0x7a400800, ccmp_imm, prep_ccmp_imm),
	PAT(0x7fe00c00, 0x1a800000, csel, NULL),
	PAT(0x7fe00c00, 0x1a800400, csinc, NULL),
	PAT(0x7fe00c00, 0x5a800000, csinv, NULL),
	PAT(0x7fe00c00, 0x5a800400, csneg, NULL),

	PAT(0x7fe08000, 0x1b000000, madd, NULL),
	PAT(0x7fe08000, 0x1b008000, msub, NULL),
	PAT(0xffe08000, 0x9b200000, smaddl, NULL),
	PAT(0xffe08000, 0x9b208000, smsubl, NULL),
	PAT(0xffe08000, 0x9b400000, smulh, NULL),
	PAT(0xffe08000, 0x9ba00000, umaddl, NULL),
	PAT(0xffe08000, 0x9ba08000, umsubl, NULL),
	PAT(0xffe08000, 0x9bc00000, umulh, NULL),

	PAT(0x7fe0fc00, 0x1ac00800, udiv, NULL),
	PAT(0x7fe0fc00, 0x1ac00c00, sdiv, NULL),
	PAT(0x7fe0fc00, 0x1ac02000, lslv, NULL),
	PAT(0x7fe0fc00, 0x1ac02400, lsrv, NULL),
	PAT(0x7fe0fc00, 0x1ac02800, asrv, NULL),
	PAT(0x7fe0fc00, 0x1ac02c00, rorv, NULL),
	PAT(0x7fe0e000, 0x1ac04000, crc32, prep_crc),

	PAT(0x7ffffc00, 0x5ac00000, rbit, NULL),
	PAT(0x7ffffc00, 0x5ac00400, rev16, NULL),
	PAT(0x7ffffc00, 0x5ac00800, rev32, prep_rev32),
	PAT(0xfffffc00, 0xdac00c00, rev64, prep_sf1),
	PAT(0x7ffffc00, 0x5ac01000, clz, NULL),
	PAT(0x7ffffc00, 0x5ac01400, cls, NULL),
};

const struct insn_table dp_insns = PAT_TABLE(dp_patterns);
