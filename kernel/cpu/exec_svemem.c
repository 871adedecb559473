// SPDX-License-Identifier: GPL-2.0
/*
 * SVE memory forms beyond exec_sve.c's LDR/STR, contiguous LD1/ST1 and
 * LD1R (Arm ARM C4.1.x, the SVE Memory groups): gather loads and scatter
 * stores, first-fault and non-fault loads, LD2-LD4 and ST2-ST4,
 * LDNT1/STNT1, LD1RQ and the prefetches.  docs/sve.md lists them.
 *
 * As in exec_sve.c, each active element is one mem_read/mem_write of its
 * memory size: a faulting element takes the data abort, or makes the MMIO
 * or NISV exit, that LD1 and ST1 make, and an inactive element touches
 * nothing.  Loads write their registers after the last access, zero in
 * the inactive elements.  A store that faults part-way leaves the elements
 * before the fault stored, as the architecture allows.
 *
 * The MemNF accesses (every element of LDNF1, every active element after
 * the first one of LDFF1) go through mem_read_nf(), which declines where
 * the access would fault or reach anything but Normal RAM (Device memory,
 * MMIO, poisoned, watched) or would fail its Tag Check (FEAT_MTE2, whatever
 * SCTLR_EL1.TCF says: no fault and no TFSR bit).  FFR is then cleared from that element on and
 * the rest of the destination is zero, one of the values the architecture
 * allows for elements past a cleared FFR element.
 *
 * The rows are in insn/svemem.def (after svefp in a64.def, no row
 * overlapping an earlier one); a row's handler exec_NAME is a family
 * helper given the fields the row fixes.
 */
#include "sve_elem.h"

#define SVE_ROW(NAME, helper, ...)					\
static int exec_##NAME(struct cpu *c, const struct dinsn *d)		\
{									\
	return helper(c, d, __VA_ARGS__);				\
}

#define MSZ(d)		FIELD((d)->insn, 24, 23)
#define DTYPE(d)	FIELD((d)->insn, 24, 21)
#define IMM4(d)		sext(FIELD((d)->insn, 19, 16), 4)

/* Predicate p false from element e (of 1 << sz bytes) on: FFR past a declined MemNF */
static void pclear_from(uint8_t *p, unsigned int e, unsigned int sz, unsigned int vl)
{
	unsigned int b;

	for (b = e << sz; b < vl; b++)
		p[b >> 3] &= (uint8_t)~(1u << (b & 7));
}

static inline uint64_t ext_elem(uint64_t x, unsigned int msz, bool sgn)
{
	return sgn ? (uint64_t)sext(x, 8u << msz) : x;
}

/*
 * One element of a load that may be first-fault or non-fault: *first says
 * whether this is an access that faults normally (then clears it).
 * 0 loaded, 1 declined (MemNF), -1 an exception or exit.
 */
static inline int ld_elem(struct cpu *c, uint64_t va, unsigned int msz, uint32_t acc,
			  bool *first, uint64_t *x)
{
	if (*first) {
		*first = false;
		return mem_read(c, va, 1u << msz, acc, x) ? -1 : 0;
	}
	return mem_read_nf(c, va, 1u << msz, acc, x) ? 1 : 0;
}

/* ---- first-fault and non-fault contiguous loads ----------------------------------- */

/* dtype (24:21): memory size, element size, sign extension (as LD1) */
static const uint8_t dtype_msz[16] = { 0, 0, 0, 0, 2, 1, 1, 1, 1, 1, 2, 2, 0, 0, 0, 3 };
static const uint8_t dtype_esz[16] = { 0, 1, 2, 3, 3, 1, 2, 3, 3, 2, 2, 3, 3, 2, 1, 3 };
#define DTYPE_SIGNED	0x7310u		/* dtypes 4, 8, 9, 12, 13, 14 */

/*
 * LDFF1<T> Zt, Pg/Z, [Xn|SP{, Xm, LSL #msz}] (Xm may be XZR) and
 * LDNF1<T> Zt, Pg/Z, [Xn|SP{, #imm4, MUL VL}]
 */
SVE_INLINE int ld_ffnf(struct cpu *c, const struct dinsn *d, bool nf)
{
	struct cpu_state *s = &c->state;
	unsigned int dt = DTYPE(d), msz = dtype_msz[dt], esz = dtype_esz[dt];
	bool sgn = (DTYPE_SIGNED >> dt) & 1, first = !nf;
	unsigned int vl, e, elems;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES], ffr[CPU_PREG_BYTES];
	uint64_t base, off, x;
	int r;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	base = xreg_sp(s, d->rn);
	off = nf ? (uint64_t)(IMM4(d) * elems) : xreg(s, d->rm);
	memset(buf, 0, vl);
	memcpy(ffr, s->ffr, sizeof(ffr));
	for (e = 0; e < elems; e++) {
		if (!pact(pg, e, esz))
			continue;
		r = ld_elem(c, base + ((off + e) << msz), msz, acc_sp_notag(d->rn, !nf),
			    &first, &x);
		if (r < 0)
			return EXEC_STOP;
		if (r) {
			pclear_from(ffr, e, esz, vl);
			break;
		}
		zset(buf, e, esz, ext_elem(x, msz, sgn));
	}
	zwrite(s, d->rd, buf, vl);
	pwrite(s->ffr, ffr, vl);
	return EXEC_NEXT;
}

SVE_ROW(LDFF1_zprr, ld_ffnf, false)
SVE_ROW(LDNF1_zpri, ld_ffnf, true)

/* ---- LDNT1, LD2-LD4; STNT1, ST2-ST4 ------------------------------------------------- */

/*
 * LD<n><T> {Zt..Zt+n-1}, Pg/Z, [Xn|SP, Xm, LSL #msz] or [Xn|SP{, #imm, MUL VL}]
 * (imm4 * n vectors): element e of register r at (offset + e * n + r);
 * LDNT1 is n = 1.  Registers wrap from Z31 to Z0.
 */
SVE_INLINE int ldn(struct cpu *c, const struct dinsn *d, unsigned int n, bool imm)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, r, sz = MSZ(d), elems;
	const uint8_t *pg;
	uint8_t buf[4][CPU_ZREG_BYTES];
	uint64_t base, off, x;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	pg = s->p[PG3(d)];
	base = xreg_sp(s, d->rn);
	off = imm ? (uint64_t)(IMM4(d) * elems * n) : xreg(s, d->rm);
	for (e = 0; e < elems; e++)
		for (r = 0; r < n; r++) {
			x = 0;
			if (pact(pg, e, sz) &&
			    mem_read(c, base + ((off + e * n + r) << sz), 1u << sz,
				     acc_sp_notag(d->rn, !imm), &x))
				return EXEC_STOP;
			zset(buf[r], e, sz, x);
		}
	for (r = 0; r < n; r++)
		zwrite(s, (d->rd + r) & 31, buf[r], vl);
	return EXEC_NEXT;
}

SVE_ROW(LDNT1_zprr, ldn, 1, false)
SVE_ROW(LD2_zprr, ldn, 2, false)
SVE_ROW(LD3_zprr, ldn, 3, false)
SVE_ROW(LD4_zprr, ldn, 4, false)
SVE_ROW(LDNT1_zpri, ldn, 1, true)
SVE_ROW(LD2_zpri, ldn, 2, true)
SVE_ROW(LD3_zpri, ldn, 3, true)
SVE_ROW(LD4_zpri, ldn, 4, true)

/* ST<n><T> {Zt..Zt+n-1}, Pg, [...]: the addresses of ldn() */
SVE_INLINE int stn(struct cpu *c, const struct dinsn *d, unsigned int n, bool imm)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, r, sz = MSZ(d), elems;
	const uint8_t *pg;
	uint64_t base, off;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	pg = s->p[PG3(d)];
	base = xreg_sp(s, d->rn);
	off = imm ? (uint64_t)(IMM4(d) * elems * n) : xreg(s, d->rm);
	for (e = 0; e < elems; e++) {
		if (!pact(pg, e, sz))
			continue;
		for (r = 0; r < n; r++)
			if (mem_write(c, base + ((off + e * n + r) << sz), 1u << sz,
				      ACC_WRITE | acc_sp_notag(d->rn, !imm),
				      zget(s->z[(d->rd + r) & 31], e, sz)))
				return EXEC_STOP;
	}
	return EXEC_NEXT;
}

SVE_ROW(STNT1_zprr, stn, 1, false)
SVE_ROW(ST2_zprr, stn, 2, false)
SVE_ROW(ST3_zprr, stn, 3, false)
SVE_ROW(ST4_zprr, stn, 4, false)
SVE_ROW(STNT1_zpri, stn, 1, true)
SVE_ROW(ST2_zpri, stn, 2, true)
SVE_ROW(ST3_zpri, stn, 3, true)
SVE_ROW(ST4_zpri, stn, 4, true)

/* scalar plus scalar: Xm = XZR is unallocated */
static bool prep_rm(struct dinsn *d)
{
	return d->rm != 31;
}

/* ---- LD1RQ ---------------------------------------------------------------------------- */

/*
 * LD1RQ<T> Zt, Pg/Z, [Xn|SP, Xm, LSL #msz] or [Xn|SP{, #imm4 * 16}]: a
 * quadword under the low 128 bits of Pg, replicated.
 */
SVE_INLINE int ld1rq(struct cpu *c, const struct dinsn *d, bool imm)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, i, sz = MSZ(d);
	const uint8_t *pg;
	uint8_t q[16], buf[CPU_ZREG_BYTES];
	uint64_t addr, x;

	SVE_ENTER(c, vl);
	pg = s->p[PG3(d)];
	addr = xreg_sp(s, d->rn) + (imm ? (uint64_t)(IMM4(d) * 16) : xreg(s, d->rm) << sz);
	for (e = 0; e < 16u >> sz; e++) {
		x = 0;
		if (pact(pg, e, sz) &&
		    mem_read(c, addr + (e << sz), 1u << sz, acc_sp_notag(d->rn, !imm), &x))
			return EXEC_STOP;
		zset(q, e, sz, x);
	}
	for (i = 0; i < vl; i += 16)
		memcpy(buf + i, q, 16);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

SVE_ROW(LD1RQ_zprr, ld1rq, false)
SVE_ROW(LD1RQ_zpri, ld1rq, true)

/* ---- gather loads, scatter stores ------------------------------------------------------ */

/*
 * The addressing forms: vector plus immediate (Zn's elements, zero-extended,
 * plus imm5 << msz), scalar plus vector with 32-bit offsets (the low 32 bits
 * of Zm's elements, SXTW when bit 22 is set, else UXTW) or 64-bit ones,
 * shifted left by msz when scaled.
 */
enum gform { G_VEC_IMM, G_OFF32, G_OFF64 };

SVE_INLINE uint64_t g_addr(struct cpu_state *s, const struct dinsn *d, enum gform f,
			   bool scaled, bool sxtw, unsigned int e, unsigned int esz,
			   unsigned int msz)
{
	uint64_t v;

	if (f == G_VEC_IMM)
		return zget(s->z[d->rn], e, esz) + ((uint64_t)FIELD(d->insn, 20, 16) << msz);
	v = zget(s->z[d->rm], e, esz);
	if (f == G_OFF32)
		v = sxtw ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	return xreg_sp(s, d->rn) + (scaled ? v << msz : v);
}

/*
 * LD1<T>/LD1S<T>/LDFF1<T>/LDFF1S<T> Zt.<esz>, Pg/Z, [<form>]: msz 24:23,
 * U (zero-extend) bit 14, FF bit 13; esz 2 (32-bit gathers) or 3.
 */
SVE_INLINE int gather(struct cpu *c, const struct dinsn *d, unsigned int esz, enum gform f,
		      bool scaled)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, elems, msz = MSZ(d);
	bool sgn = !FIELD(d->insn, 14, 14), ff = FIELD(d->insn, 13, 13), first = true;
	bool sxtw = FIELD(d->insn, 22, 22);
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES], ffr[CPU_PREG_BYTES];
	uint64_t x, va;
	int r;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	memset(buf, 0, vl);
	if (ff)
		memcpy(ffr, s->ffr, sizeof(ffr));
	for (e = 0; e < elems; e++) {
		if (!pact(pg, e, esz))
			continue;
		va = g_addr(s, d, f, scaled, sxtw, e, esz, msz);
		if (!ff) {
			if (mem_read(c, va, 1u << msz, 0, &x))
				return EXEC_STOP;
		} else {
			r = ld_elem(c, va, msz, 0, &first, &x);
			if (r < 0)
				return EXEC_STOP;
			if (r) {
				pclear_from(ffr, e, esz, vl);
				break;
			}
		}
		zset(buf, e, esz, ext_elem(x, msz, sgn));
	}
	zwrite(s, d->rd, buf, vl);
	if (ff)
		pwrite(s->ffr, ffr, vl);
	return EXEC_NEXT;
}

SVE_ROW(LD1_s32u_b, gather, 2, G_OFF32, false)
SVE_ROW(LD1_s32u_h, gather, 2, G_OFF32, false)
SVE_ROW(LD1_s32u_w, gather, 2, G_OFF32, false)
SVE_ROW(LD1_s32s_h, gather, 2, G_OFF32, true)
SVE_ROW(LD1_s32s_w, gather, 2, G_OFF32, true)
SVE_ROW(LD1_svi_bh, gather, 2, G_VEC_IMM, false)
SVE_ROW(LD1_svi_w, gather, 2, G_VEC_IMM, false)
SVE_ROW(LD1_d32u, gather, 3, G_OFF32, false)
SVE_ROW(LD1_d32s_h, gather, 3, G_OFF32, true)
SVE_ROW(LD1_d32s_wd, gather, 3, G_OFF32, true)
SVE_ROW(LD1_d64u, gather, 3, G_OFF64, false)
SVE_ROW(LD1_d64s_h, gather, 3, G_OFF64, true)
SVE_ROW(LD1_d64s_wd, gather, 3, G_OFF64, true)
SVE_ROW(LD1_dvi, gather, 3, G_VEC_IMM, false)

/* a sign-extending load of a whole element (LD1SW .S, LD1SD) is unallocated */
static bool prep_gather_s(struct dinsn *d)
{
	return MSZ(d) < 2 || FIELD(d->insn, 14, 14);
}

static bool prep_gather_d(struct dinsn *d)
{
	return MSZ(d) < 3 || FIELD(d->insn, 14, 14);
}

/* ST1<T> Zt.<esz>, Pg, [<form>]: msz 24:23; 32-bit offsets SXTW when bit 14 */
SVE_INLINE int scatter(struct cpu *c, const struct dinsn *d, unsigned int esz, enum gform f,
		       bool scaled)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e, elems, msz = MSZ(d);
	bool sxtw = FIELD(d->insn, 14, 14);
	const uint8_t *pg;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	for (e = 0; e < elems; e++)
		if (pact(pg, e, esz) &&
		    mem_write(c, g_addr(s, d, f, scaled, sxtw, e, esz, msz), 1u << msz, ACC_WRITE,
			      zget(s->z[d->rd], e, esz)))
			return EXEC_STOP;
	return EXEC_NEXT;
}

SVE_ROW(ST1_s32u, scatter, 2, G_OFF32, false)
SVE_ROW(ST1_s32s, scatter, 2, G_OFF32, true)
SVE_ROW(ST1_svi, scatter, 2, G_VEC_IMM, false)
SVE_ROW(ST1_d32u, scatter, 3, G_OFF32, false)
SVE_ROW(ST1_d32s, scatter, 3, G_OFF32, true)
SVE_ROW(ST1_d64u, scatter, 3, G_OFF64, false)
SVE_ROW(ST1_d64s, scatter, 3, G_OFF64, true)
SVE_ROW(ST1_dvi, scatter, 3, G_VEC_IMM, false)

/* 32-bit elements: no doubleword access (msz 3) */
static bool prep_scatter_s(struct dinsn *d)
{
	return MSZ(d) != 3;
}

/* scaled offsets: not for bytes (msz 0) */
static bool prep_scatter_s_sc(struct dinsn *d)
{
	return MSZ(d) != 3 && MSZ(d) != 0;
}

static bool prep_scatter_d_sc(struct dinsn *d)
{
	return MSZ(d) != 0;
}

/* ---- prefetches ------------------------------------------------------------------------ */

/* PRFB/H/W/D, every form: a hint, no access, no fault; CheckSVEEnabled still */
SVE_INLINE int prf(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	(void)d;
	SVE_ENTER(c, vl);
	(void)vl;
	return EXEC_NEXT;
}

#define PRF_ROW(NAME)							\
static int exec_##NAME(struct cpu *c, const struct dinsn *d)		\
{									\
	return prf(c, d);						\
}

PRF_ROW(PRF_ri)
PRF_ROW(PRF_rr)
PRF_ROW(PRF_s32_sc)
PRF_ROW(PRF_s_vi)
PRF_ROW(PRF_d64_sc)
PRF_ROW(PRF_d32_sc)
PRF_ROW(PRF_d_vi)

#define INSN_CLASS	svemem
#define INSN_DEF	"insn/svemem.def"
#include "a64_table.h"
