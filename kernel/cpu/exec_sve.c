// SPDX-License-Identifier: GPL-2.0
/*
 * SVE (Arm ARM C4.1.x "SVE encodings"): the subset Linux executes (vector
 * length probing, context save/restore, FFR handling) and what GCC emits
 * for auto-vectorised loops; docs/sve.md lists it.  Every other word of
 * the SVE encoding space is UNDEFINED.
 *
 * State: Z<n> is state->z[n] (V<n> its low 16 bytes), P<n> state->p[n]
 * and FFR state->ffr, one bit per byte of a vector, little-endian, as
 * KVM's ONE_REG layout has them.  An SVE write of a Z or P register
 * writes the effective length and zeroes the rest, up to the maximum.
 *
 * Element sizes are log2 bytes (0 B, 1 H, 2 S, 3 D).  FP arithmetic is
 * fp.c's, single and double precision only: half precision SVE FP is
 * UNDEFINED here.
 */
#include "vreg.h"
#include "sve.h"

/* ---- access and state ------------------------------------------------------ */

/* CheckSVEEnabled(): ZEN before FPEN; no SVE on the vCPU: UNDEFINED. */
static bool sve_access_ok(struct cpu *c)
{
	unsigned int zen = (c->state.sysreg[SR_CPACR_EL1] >> 16) & 3;

	if (!c->sve_max_vq) {
		raise_undef(c);
		return false;
	}
	if (!(zen == 3 || (zen == 1 && cpu_current_el(&c->state) == 1))) {
		raise_sync(c, EC_SVE, 0);
		return false;
	}
	return fp_access_ok(c);
}

#define SVE_ENTER(c, vl)						\
	do {								\
		if (!sve_access_ok(c))					\
			return EXEC_STOP;				\
		(vl) = sve_vl(c);					\
	} while (0)

#define PG3(d)		FIELD((d)->insn, 12, 10)
#define SIZE(d)		FIELD((d)->insn, 23, 22)

static inline uint64_t zget(const uint8_t *z, unsigned int e, unsigned int sz)
{
	const uint8_t *b = z + (e << sz);

	switch (sz) {
	case 0: return *b;
	case 1: { uint16_t x; memcpy(&x, b, 2); return x; }
	case 2: { uint32_t x; memcpy(&x, b, 4); return x; }
	default: { uint64_t x; memcpy(&x, b, 8); return x; }
	}
}

static inline void zset(uint8_t *z, unsigned int e, unsigned int sz, uint64_t x)
{
	uint8_t *b = z + (e << sz);

	switch (sz) {
	case 0: *b = (uint8_t)x; break;
	case 1: { uint16_t y = (uint16_t)x; memcpy(b, &y, 2); break; }
	case 2: { uint32_t y = (uint32_t)x; memcpy(b, &y, 4); break; }
	default: memcpy(b, &x, 8); break;
	}
}

static inline int64_t zsget(const uint8_t *z, unsigned int e, unsigned int sz)
{
	return sext(zget(z, e, sz), 8u << sz);
}

static inline uint64_t emask(unsigned int sz)
{
	return sz == 3 ? ~0ULL : (1ULL << (8u << sz)) - 1;
}

/* Is element e (of 1 << sz bytes) active in predicate p? */
static inline bool pact(const uint8_t *p, unsigned int e, unsigned int sz)
{
	unsigned int b = e << sz;

	return (p[b >> 3] >> (b & 7)) & 1;
}

static inline void pset(uint8_t *p, unsigned int e, unsigned int sz, bool v)
{
	unsigned int b = e << sz;

	if (v)
		p[b >> 3] |= (uint8_t)(1u << (b & 7));
	else
		p[b >> 3] &= (uint8_t)~(1u << (b & 7));
}

static void zwrite(struct cpu_state *s, unsigned int n, const uint8_t *v, unsigned int vl)
{
	memcpy(s->z[n], v, vl);
	memset(s->z[n] + vl, 0, CPU_ZREG_BYTES - vl);
}

static void pwrite(uint8_t *dst, const uint8_t *v, unsigned int vl)
{
	memcpy(dst, v, vl / 8);
	memset(dst + vl / 8, 0, CPU_PREG_BYTES - vl / 8);
}

/* PredTest(mask, result, esize): NZCV in bits 31:28 */
static uint64_t pred_test(const uint8_t *mask, const uint8_t *res, unsigned int sz,
			  unsigned int vl)
{
	bool found = false, first = false, last = false, any = false;
	unsigned int e;

	for (e = 0; e < vl >> sz; e++) {
		if (!pact(mask, e, sz))
			continue;
		bool r = pact(res, e, sz);

		if (!found) {
			first = r;
			found = true;
		}
		last = r;
		any |= r;
	}
	return (uint64_t)first << 31 | (uint64_t)!any << 30 | (uint64_t)!last << 29;
}

/* DecodePredCount */
static unsigned int pred_count(unsigned int pat, unsigned int elements)
{
	unsigned int n;

	switch (pat) {
	case 0:
		for (n = 1; n * 2 <= elements; n *= 2)
			;
		return n;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
		return elements >= pat ? pat : 0;
	case 9: case 10: case 11: case 12: case 13:
		n = 16u << (pat - 9);
		return elements >= n ? n : 0;
	case 29: return elements - elements % 4;
	case 30: return elements - elements % 3;
	case 31: return elements;
	default: return 0;
	}
}

/* ---- vector length: RDVL, ADDVL, ADDPL, CNT*, INC*, DEC* -------------------- */

static int sve_rdvl(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_xreg(&c->state, d->rd, (uint64_t)(sext(FIELD(d->insn, 10, 5), 6) * vl));
	return EXEC_NEXT;
}

/* ADDVL (aux 0), ADDPL (aux 1) */
static int sve_addvl(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	int64_t m;

	SVE_ENTER(c, vl);
	m = sext(FIELD(d->insn, 10, 5), 6) * (d->aux ? vl / 8 : vl);
	set_xreg_sp(&c->state, d->rd, xreg_sp(&c->state, d->rm) + (uint64_t)m);	/* Rn: 20:16 */
	return EXEC_NEXT;
}

/* CNT<T>, INC<T>, DEC<T> (scalar): aux 0 count, 1 inc, 2 dec */
static int sve_cnt(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d);
	uint64_t n;

	SVE_ENTER(c, vl);
	n = (uint64_t)pred_count(FIELD(d->insn, 9, 5), vl >> sz) * (FIELD(d->insn, 19, 16) + 1);
	if (d->aux == 0)
		set_xreg(s, d->rd, n);
	else
		set_xreg(s, d->rd, d->aux == 1 ? xreg(s, d->rd) + n : xreg(s, d->rd) - n);
	return EXEC_NEXT;
}

/* ---- predicates: PTRUE, PFALSE, FFR, PTEST ----------------------------------- */

static int sve_ptrue(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl, sz = SIZE(d), e, n;
	uint8_t p[CPU_PREG_BYTES] = { 0 };

	SVE_ENTER(c, vl);
	n = pred_count(FIELD(d->insn, 9, 5), vl >> sz);
	for (e = 0; e < n; e++)
		pset(p, e, sz, true);
	pwrite(c->state.p[d->rd & 15], p, vl);
	if (BIT(d->insn, 16))
		set_nzcv(&c->state, pred_test(p, p, sz, vl));
	return EXEC_NEXT;
}

static int sve_pfalse(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;

	SVE_ENTER(c, vl);
	(void)vl;
	memset(c->state.p[d->rd & 15], 0, CPU_PREG_BYTES);
	return EXEC_NEXT;
}

static int sve_setffr(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	uint8_t p[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memset(p, 0xff, sizeof(p));
	pwrite(c->state.ffr, p, vl);
	return EXEC_NEXT;
}

/* RDFFR Pd (aux 0), RDFFR(S) Pd, Pg/Z (aux 1) */
static int sve_rdffr(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, i;
	uint8_t p[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(p, s->ffr, sizeof(p));
	if (d->aux) {
		const uint8_t *g = s->p[FIELD(d->insn, 8, 5)];

		for (i = 0; i < CPU_PREG_BYTES; i++)
			p[i] &= g[i];
		if (BIT(d->insn, 22))
			set_nzcv(s, pred_test(g, p, 0, vl));
	}
	pwrite(s->p[d->rd & 15], p, vl);
	return EXEC_NEXT;
}

static int sve_wrffr(struct cpu *c, const struct dinsn *d)
{
	unsigned int vl;
	uint8_t p[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(p, c->state.p[FIELD(d->insn, 8, 5)], sizeof(p));
	pwrite(c->state.ffr, p, vl);
	return EXEC_NEXT;
}

static int sve_ptest(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_nzcv(s, pred_test(s->p[FIELD(d->insn, 13, 10)], s->p[FIELD(d->insn, 8, 5)], 0, vl));
	return EXEC_NEXT;
}

/* ---- memory helpers ------------------------------------------------------------ */

static int load_bytes(struct cpu *c, uint64_t va, uint8_t *dst, unsigned int n)
{
	unsigned int i = 0;
	uint64_t x;

	if (!(va & 7) && !(n & 7)) {
		for (; i < n; i += 8) {
			if (mem_read(c, va + i, 8, 0, &x))
				return -1;
			memcpy(dst + i, &x, 8);
		}
		return 0;
	}
	for (; i < n; i++) {
		if (mem_read(c, va + i, 1, 0, &x))
			return -1;
		dst[i] = (uint8_t)x;
	}
	return 0;
}

static int store_bytes(struct cpu *c, uint64_t va, const uint8_t *src, unsigned int n)
{
	unsigned int i = 0;
	uint64_t x;

	if (!(va & 7) && !(n & 7)) {
		for (; i < n; i += 8) {
			memcpy(&x, src + i, 8);
			if (mem_write(c, va + i, 8, ACC_WRITE, x))
				return -1;
		}
		return 0;
	}
	for (; i < n; i++)
		if (mem_write(c, va + i, 1, ACC_WRITE, src[i]))
			return -1;
	return 0;
}

/* ---- LDR/STR (vector and predicate) ---------------------------------------------- */

/* aux: bit 0 store, bit 1 predicate */
static int sve_ldr_str(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, n;
	int64_t imm = sext(FIELD(d->insn, 21, 16) << 3 | FIELD(d->insn, 12, 10), 9);
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t va;

	SVE_ENTER(c, vl);
	n = (d->aux & 2) ? vl / 8 : vl;
	va = xreg_sp(s, d->rn) + (uint64_t)(imm * n);
	if (d->aux & 1) {
		memcpy(buf, (d->aux & 2) ? s->p[d->rd & 15] : s->z[d->rd], n);
		return store_bytes(c, va, buf, n) ? EXEC_STOP : EXEC_NEXT;
	}
	if (load_bytes(c, va, buf, n))
		return EXEC_STOP;
	if (d->aux & 2)
		pwrite(s->p[d->rd & 15], buf, vl);
	else
		zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- contiguous LD1/ST1, LD1R ------------------------------------------------------ */

/* dtype of LD1*: msize, esize (log2 bytes), signed */
static const uint8_t ld1_dtype[16][3] = {
	{ 0, 0, 0 }, { 0, 1, 0 }, { 0, 2, 0 }, { 0, 3, 0 },
	{ 2, 3, 1 }, { 1, 1, 0 }, { 1, 2, 0 }, { 1, 3, 0 },
	{ 1, 3, 1 }, { 1, 2, 1 }, { 2, 2, 0 }, { 2, 3, 0 },
	{ 0, 3, 1 }, { 0, 2, 1 }, { 0, 1, 1 }, { 3, 3, 0 },
};

/* d->imm: msize | esize << 2 | signed << 4 | scalar+imm << 5 */
static bool prep_ld1(struct dinsn *d)
{
	unsigned int dt = FIELD(d->insn, 24, 21);
	bool imm = BIT(d->insn, 13);

	if (!imm && d->rm == 31)
		return false;
	d->imm = ld1_dtype[dt][0] | ld1_dtype[dt][1] << 2 | ld1_dtype[dt][2] << 4 | imm << 5;
	return true;
}

static bool prep_st1(struct dinsn *d)
{
	unsigned int msz = FIELD(d->insn, 24, 23), esz = FIELD(d->insn, 22, 21);
	bool imm = BIT(d->insn, 13);

	if (esz < msz)
		return false;
	d->imm = msz | esz << 2 | imm << 5;
	return true;
}

static bool prep_ld1r(struct dinsn *d)
{
	unsigned int dt = FIELD(d->insn, 24, 23) << 2 | FIELD(d->insn, 14, 13);

	d->imm = ld1_dtype[dt][0] | ld1_dtype[dt][1] << 2 | ld1_dtype[dt][2] << 4;
	return true;
}

static int sve_ld1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, msz = d->imm & 3, esz = (d->imm >> 2) & 3, e, elems;
	bool sgn = (d->imm >> 4) & 1;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t base, off, x;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	base = xreg_sp(s, d->rn);
	if ((d->imm >> 5) & 1)
		off = (uint64_t)(sext(FIELD(d->insn, 19, 16), 4) * elems);
	else
		off = xreg(s, d->rm);
	for (e = 0; e < elems; e++) {
		x = 0;
		if (pact(pg, e, esz)) {
			if (mem_read(c, base + ((off + e) << msz), 1u << msz, 0, &x))
				return EXEC_STOP;
			if (sgn)
				x = (uint64_t)sext(x, 8u << msz);
		}
		zset(buf, e, esz, x);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

static int sve_st1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, msz = d->imm & 3, esz = (d->imm >> 2) & 3, e, elems;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t base, off;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	memcpy(buf, s->z[d->rd], vl);
	base = xreg_sp(s, d->rn);
	if ((d->imm >> 5) & 1)
		off = (uint64_t)(sext(FIELD(d->insn, 19, 16), 4) * elems);
	else
		off = xreg(s, d->rm);
	for (e = 0; e < elems; e++)
		if (pact(pg, e, esz) &&
		    mem_write(c, base + ((off + e) << msz), 1u << msz, ACC_WRITE,
			      zget(buf, e, esz)))
			return EXEC_STOP;
	return EXEC_NEXT;
}

static int sve_ld1r(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, msz = d->imm & 3, esz = (d->imm >> 2) & 3, e, elems;
	bool sgn = (d->imm >> 4) & 1, any = false;
	const uint8_t *pg;
	uint8_t buf[CPU_ZREG_BYTES];
	uint64_t x = 0;

	SVE_ENTER(c, vl);
	elems = vl >> esz;
	pg = s->p[PG3(d)];
	for (e = 0; e < elems; e++)
		any |= pact(pg, e, esz);
	if (any) {
		if (mem_read(c, xreg_sp(s, d->rn) + ((uint64_t)FIELD(d->insn, 21, 16) << msz),
			     1u << msz, 0, &x))
			return EXEC_STOP;
		if (sgn)
			x = (uint64_t)sext(x, 8u << msz);
	}
	for (e = 0; e < elems; e++)
		zset(buf, e, esz, pact(pg, e, esz) ? x : 0);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- WHILE ---------------------------------------------------------------------------- */

/* aux: U << 1 | eq */
static int sve_while(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	bool sf = BIT(d->insn, 12), uns = BIT(d->insn, 11), eq = BIT(d->insn, 4), last = true;
	uint8_t p[CPU_PREG_BYTES] = { 0 }, all[CPU_PREG_BYTES];
	__int128 a, b;
	uint64_t x = xreg(s, d->rn), y = xreg(s, d->rm);

	SVE_ENTER(c, vl);
	if (!sf) {
		x = uns ? (uint32_t)x : (uint64_t)(int64_t)(int32_t)x;
		y = uns ? (uint32_t)y : (uint64_t)(int64_t)(int32_t)y;
	}
	a = uns ? (__int128)x : (__int128)(int64_t)x;
	b = uns ? (__int128)y : (__int128)(int64_t)y;
	for (e = 0; e < vl >> sz; e++) {
		if (last)
			last = eq ? a <= b : a < b;
		pset(p, e, sz, last);
		a++;
	}
	memset(all, 0xff, sizeof(all));
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(all, p, sz, vl));
	return EXEC_NEXT;
}

/* ---- DUP, FDUP, INDEX, CPY, SEL, MOVPRFX ------------------------------------------------ */

static void zfill(struct cpu_state *s, unsigned int n, unsigned int sz, uint64_t v,
		  unsigned int vl)
{
	uint8_t buf[CPU_ZREG_BYTES];
	unsigned int e;

	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, v);
	zwrite(s, n, buf, vl);
}

/* DUP Zd, Rn|SP (aux 0); DUP Zd, #imm{, LSL #8} (aux 1); FDUP (aux 2) */
static int sve_dup(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d);
	uint64_t v;

	SVE_ENTER(c, vl);
	if (d->aux == 0)
		v = xreg_sp(s, d->rn);
	else if (d->aux == 1)
		v = (uint64_t)sext(FIELD(d->insn, 12, 5), 8) << (BIT(d->insn, 13) ? 8 : 0);
	else
		v = vfp_expand_imm(FIELD(d->insn, 12, 5), sz);
	zfill(s, d->rd, sz, v, vl);
	return EXEC_NEXT;
}

static bool prep_dup_imm(struct dinsn *d)
{
	d->aux = 1;
	return !(SIZE(d) == 0 && BIT(d->insn, 13));
}

static bool prep_fdup(struct dinsn *d)
{
	d->aux = 2;
	return SIZE(d) != 0;
}

/* DUP Zd.T, Zn.T[imm] */
static int sve_dup_idx(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, tsz = FIELD(d->insn, 20, 16), sz = (unsigned int)__builtin_ctz(tsz);
	unsigned int imm = FIELD(d->insn, 23, 22) << 5 | tsz, idx = imm >> (sz + 1);

	SVE_ENTER(c, vl);
	zfill(s, d->rd, sz, idx < vl >> sz ? zget(s->z[d->rn], idx, sz) : 0, vl);
	return EXEC_NEXT;
}

static bool prep_dup_idx(struct dinsn *d)
{
	return FIELD(d->insn, 20, 16) != 0;
}

static int sve_index(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint64_t base, step;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	base = BIT(d->insn, 10) ? xreg(s, d->rn) : (uint64_t)sext(d->rn, 5);
	step = BIT(d->insn, 11) ? xreg(s, d->rm) : (uint64_t)sext(d->rm, 5);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, base + e * step);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * CPY Zd, Pg/M, Rn|SP (aux 0); CPY Zd, Pg/M, Vn (aux 1);
 * CPY Zd, Pg/Z|M, #imm (aux 2)
 */
static int sve_cpy(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg;
	bool merge = true;
	uint64_t v;

	SVE_ENTER(c, vl);
	if (d->aux == 0) {
		v = xreg_sp(s, d->rn);
		pg = s->p[PG3(d)];
	} else if (d->aux == 1) {
		v = zget(s->z[d->rn], 0, sz);
		pg = s->p[PG3(d)];
	} else {
		v = (uint64_t)sext(FIELD(d->insn, 12, 5), 8) << (BIT(d->insn, 13) ? 8 : 0);
		pg = s->p[FIELD(d->insn, 19, 16)];
		merge = BIT(d->insn, 14);
	}
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, v);
		else if (!merge)
			zset(buf, e, sz, 0);
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

static int sve_sel(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[FIELD(d->insn, 13, 10)];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, zget(pact(pg, e, sz) ? s->z[d->rn] : s->z[d->rm], e, sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* MOVPRFX Zd, Zn (aux 0); MOVPRFX Zd.T, Pg/Z|M, Zn.T (aux 1) */
static int sve_movprfx(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg;

	SVE_ENTER(c, vl);
	if (!d->aux) {
		memcpy(buf, s->z[d->rn], vl);
	} else {
		pg = s->p[PG3(d)];
		memcpy(buf, s->z[d->rd], vl);
		for (e = 0; e < vl >> sz; e++)
			if (pact(pg, e, sz))
				zset(buf, e, sz, zget(s->z[d->rn], e, sz));
			else if (!BIT(d->insn, 16))
				zset(buf, e, sz, 0);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- integer arithmetic ----------------------------------------------------------------- */

enum {
	OP_ADD, OP_SUB, OP_SUBR, OP_SMAX, OP_UMAX, OP_SMIN, OP_UMIN, OP_SABD, OP_UABD,
	OP_MUL, OP_SMULH, OP_UMULH, OP_SDIV, OP_UDIV, OP_SDIVR, OP_UDIVR,
	OP_ORR, OP_EOR, OP_AND, OP_BIC, OP_SQADD, OP_UQADD, OP_SQSUB, OP_UQSUB,
};

static uint64_t sat_s(__int128 v, unsigned int sz)
{
	unsigned int bits = 8u << sz;
	__int128 max = ((__int128)1 << (bits - 1)) - 1, min = -max - 1;

	return (uint64_t)(v > max ? max : v < min ? min : v);
}

static uint64_t sat_u(__int128 v, unsigned int sz)
{
	__int128 max = (__int128)emask(sz);

	return (uint64_t)(v > max ? max : v < 0 ? 0 : v);
}

static uint64_t int_op(unsigned int op, uint64_t a, uint64_t b, unsigned int sz)
{
	unsigned int bits = 8u << sz;
	int64_t sa = sext(a, bits), sb = sext(b, bits);

	switch (op) {
	case OP_ADD: return a + b;
	case OP_SUB: return a - b;
	case OP_SUBR: return b - a;
	case OP_SMAX: return sa > sb ? a : b;
	case OP_UMAX: return a > b ? a : b;
	case OP_SMIN: return sa < sb ? a : b;
	case OP_UMIN: return a < b ? a : b;
	case OP_SABD: return (uint64_t)(sa > sb ? (__int128)sa - sb : (__int128)sb - sa);
	case OP_UABD: return a > b ? a - b : b - a;
	case OP_MUL: return a * b;
	case OP_SMULH: return (uint64_t)(((__int128)sa * sb) >> bits);
	case OP_UMULH: return (uint64_t)(((unsigned __int128)a * b) >> bits);
	case OP_SDIV: case OP_SDIVR:
		if (op == OP_SDIVR) {
			int64_t t = sa;

			sa = sb;
			sb = t;
		}
		if (!sb)
			return 0;
		if (sb == -1)
			return (uint64_t)-(uint64_t)sa;
		return (uint64_t)(sa / sb);
	case OP_UDIV: return b ? a / b : 0;
	case OP_UDIVR: return a ? b / a : 0;
	case OP_ORR: return a | b;
	case OP_EOR: return a ^ b;
	case OP_AND: return a & b;
	case OP_BIC: return a & ~b;
	case OP_SQADD: return sat_s((__int128)sa + sb, sz);
	case OP_UQADD: return sat_u((__int128)a + b, sz);
	case OP_SQSUB: return sat_s((__int128)sa - sb, sz);
	default: return sat_u((__int128)a - b, sz);
	}
}

static const int8_t arith_pred_ops[4][8] = {
	{ OP_ADD, OP_SUB, -1, OP_SUBR, -1, -1, -1, -1 },
	{ OP_SMAX, OP_UMAX, OP_SMIN, OP_UMIN, OP_SABD, OP_UABD, -1, -1 },
	{ OP_MUL, -1, OP_SMULH, OP_UMULH, OP_SDIV, OP_UDIV, OP_SDIVR, OP_UDIVR },
	{ OP_ORR, OP_EOR, OP_AND, OP_BIC, -1, -1, -1, -1 },
};

static bool prep_arith_pred(struct dinsn *d)
{
	int op = arith_pred_ops[FIELD(d->insn, 20, 19)][FIELD(d->insn, 18, 16)];

	if (op < 0)
		return false;
	if (op >= OP_SDIV && op <= OP_UDIVR && SIZE(d) < 2)
		return false;
	d->aux = (uint64_t)op;
	return true;
}

/* <op> Zdn.T, Pg/M, Zdn.T, Zm.T */
static int sve_arith_pred(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)], *zm = s->z[d->rn];

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, int_op((unsigned int)d->aux, zget(buf, e, sz),
						zget(zm, e, sz), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* unpredicated ADD/SUB/SQADD/UQADD/SQSUB/UQSUB Zd, Zn, Zm */
static const int8_t arith_unpred_ops[8] = {
	OP_ADD, OP_SUB, -1, -1, OP_SQADD, OP_UQADD, OP_SQSUB, OP_UQSUB,
};

static bool prep_arith_unpred(struct dinsn *d)
{
	int op = arith_unpred_ops[FIELD(d->insn, 12, 10)];

	d->aux = (uint64_t)op;
	return op >= 0;
}

static int sve_arith_unpred(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, int_op((unsigned int)d->aux, zget(s->z[d->rn], e, sz),
					zget(s->z[d->rm], e, sz), sz));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* AND, ORR, EOR, BIC Zd.D, Zn.D, Zm.D */
static int sve_logic_unpred(struct cpu *c, const struct dinsn *d)
{
	static const uint8_t ops[4] = { OP_AND, OP_ORR, OP_EOR, OP_BIC };
	struct cpu_state *s = &c->state;
	unsigned int vl, e;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl / 8; e++)
		zset(buf, e, 3, int_op(ops[SIZE(d)], zget(s->z[d->rn], e, 3),
				       zget(s->z[d->rm], e, 3), 3));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* <op> Zdn.T, Zdn.T, #imm: d->aux the op, d->imm the immediate */
static const int8_t arith_imm_ops[8] = {
	OP_ADD, OP_SUB, -1, OP_SUBR, OP_SQADD, OP_UQADD, OP_SQSUB, OP_UQSUB,
};

static bool prep_arith_imm(struct dinsn *d)
{
	int op = arith_imm_ops[FIELD(d->insn, 18, 16)];

	if (op < 0 || (SIZE(d) == 0 && BIT(d->insn, 13)))
		return false;
	d->aux = (uint64_t)op;
	d->imm = (int64_t)(FIELD(d->insn, 12, 5) << (BIT(d->insn, 13) ? 8 : 0));
	return true;
}

static bool prep_mul_imm(struct dinsn *d)
{
	d->aux = OP_MUL;
	d->imm = sext(FIELD(d->insn, 12, 5), 8);
	return true;
}

static bool prep_minmax_imm(struct dinsn *d)
{
	static const uint8_t ops[4] = { OP_SMAX, OP_UMAX, OP_SMIN, OP_UMIN };
	unsigned int o = FIELD(d->insn, 17, 16);

	d->aux = ops[o];
	d->imm = (o & 1) ? (int64_t)FIELD(d->insn, 12, 5) : sext(FIELD(d->insn, 12, 5), 8);
	return true;
}

static uint64_t ones(unsigned int n)
{
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* DecodeBitMasks for the 64-bit logical immediates */
static bool prep_logic_imm(struct dinsn *d)
{
	static const uint8_t ops[3] = { OP_ORR, OP_EOR, OP_AND };
	unsigned int n = BIT(d->insn, 17), immr = FIELD(d->insn, 16, 11);
	unsigned int imms = FIELD(d->insn, 10, 5), comb = n << 6 | (~imms & 0x3f);
	unsigned int len, esize, levels, sb, r, e;
	uint64_t el, m = 0;

	if (!comb)
		return false;
	len = 31 - (unsigned int)__builtin_clz(comb);
	if (len < 1)
		return false;
	esize = 1u << len;
	levels = esize - 1;
	sb = imms & levels;
	r = immr & levels;
	if (sb == levels)
		return false;
	el = ones(sb + 1);
	if (r)
		el = ((el >> r) | (el << (esize - r))) & ones(esize);
	for (e = 0; e < 64; e += esize)
		m |= el << e;
	d->imm = (int64_t)m;
	d->aux = SIZE(d) == 3 ? 0xff : ops[SIZE(d)];	/* 0xff: DUPM */
	return true;
}

static int sve_arith_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t x = zget(s->z[d->rd], e, sz), r;

		/* the immediate of SQADD/SQSUB is unsigned */
		if (d->aux == OP_SQADD)
			r = sat_s((__int128)sext(x, 8u << sz) + d->imm, sz);
		else if (d->aux == OP_SQSUB)
			r = sat_s((__int128)sext(x, 8u << sz) - d->imm, sz);
		else
			r = int_op((unsigned int)d->aux, x, (uint64_t)d->imm & emask(sz), sz);
		zset(buf, e, sz, r);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ORR, EOR, AND (immediate) on .D, DUPM */
static int sve_logic_imm(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e;
	uint8_t buf[CPU_ZREG_BYTES];

	SVE_ENTER(c, vl);
	for (e = 0; e < vl / 8; e++)
		zset(buf, e, 3, d->aux == 0xff ? (uint64_t)d->imm :
			int_op((unsigned int)d->aux, zget(s->z[d->rd], e, 3), (uint64_t)d->imm, 3));
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/*
 * MLA/MLS Zda, Pg/M, Zn, Zm (aux 0): Zda +- Zn * Zm;
 * MAD/MSB Zdn, Pg/M, Zm, Za (aux 1): Za +- Zdn * Zm (Zm in 20:16, Za in 9:5)
 */
static int sve_mla(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	bool sub = BIT(d->insn, 13);

	SVE_ENTER(c, vl);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t acc, p;

		if (!pact(pg, e, sz))
			continue;
		if (!d->aux) {
			acc = zget(buf, e, sz);
			p = zget(s->z[d->rn], e, sz) * zget(s->z[d->rm], e, sz);
		} else {
			acc = zget(s->z[d->rn], e, sz);
			p = zget(buf, e, sz) * zget(s->z[d->rm], e, sz);
		}
		zset(buf, e, sz, sub ? acc - p : acc + p);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- saturating and vector INC/DEC by element count, UNPK ---------------------------- */

/* count * imm of an element-count instruction: pattern 9:5, imm4 19:16 */
static int64_t elem_count(const struct dinsn *d, unsigned int vl, unsigned int sz)
{
	return (int64_t)pred_count(FIELD(d->insn, 9, 5), vl >> sz) * (FIELD(d->insn, 19, 16) + 1);
}

/*
 * SQINC/UQINC/SQDEC/UQDEC<T> (scalar): D 11, U 10, sf 20.  sf 0: the low
 * 32 bits saturate, the signed forms (Xdn, Wdn) sign-extend the result,
 * the unsigned (Wdn) zero-extend it.
 */
static int sve_qincdec(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, ssz = BIT(d->insn, 20) ? 3 : 2;
	bool u = BIT(d->insn, 10);
	uint64_t x = xreg(s, d->rd);
	__int128 v;
	int64_t n;

	SVE_ENTER(c, vl);
	n = elem_count(d, vl, SIZE(d));
	v = u ? (__int128)(x & emask(ssz)) : (__int128)sext(x, 8u << ssz);
	v = BIT(d->insn, 11) ? v - n : v + n;
	set_xreg(s, d->rd, u ? sat_u(v, ssz) : sat_s(v, ssz));
	return EXEC_NEXT;
}

/*
 * INC/DEC<T> Zdn (aux 0: D 10) and SQINC/UQINC/SQDEC/UQDEC<T> Zdn (aux 1:
 * D 11, U 10), T = H, W, D: every element, unpredicated.
 */
static int sve_incdec_vec(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	bool dec = BIT(d->insn, d->aux ? 11 : 10), u = BIT(d->insn, 10);
	uint8_t buf[CPU_ZREG_BYTES];
	int64_t n;

	SVE_ENTER(c, vl);
	n = elem_count(d, vl, sz);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t x = zget(s->z[d->rd], e, sz), r;

		if (!d->aux) {
			r = dec ? x - (uint64_t)n : x + (uint64_t)n;
		} else {
			__int128 v = u ? (__int128)x : (__int128)zsget(s->z[d->rd], e, sz);

			v = dec ? v - n : v + n;
			r = u ? sat_u(v, sz) : sat_s(v, sz);
		}
		zset(buf, e, sz, r);
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* SUNPKLO/SUNPKHI/UUNPKLO/UUNPKHI Zd.T, Zn.Tb: U 17, H 16 */
static int sve_unpk(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, elems;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *zn = s->z[d->rn];

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	for (e = 0; e < elems; e++) {
		unsigned int i = BIT(d->insn, 16) * elems + e;

		zset(buf, e, sz, BIT(d->insn, 17) ? zget(zn, i, sz - 1) :
						    (uint64_t)zsget(zn, i, sz - 1));
	}
	zwrite(s, d->rd, buf, vl);
	return EXEC_NEXT;
}

/* ---- compares into predicates ----------------------------------------------------------- */

enum { CMP_EQ, CMP_NE, CMP_GE, CMP_GT, CMP_LT, CMP_LE, CMP_HS, CMP_HI, CMP_LO, CMP_LS };

static bool cmp_holds(unsigned int cc, uint64_t a, uint64_t b, unsigned int bits)
{
	int64_t sa = sext(a, bits), sb = sext(b, bits);

	switch (cc) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_GE: return sa >= sb;
	case CMP_GT: return sa > sb;
	case CMP_LT: return sa < sb;
	case CMP_LE: return sa <= sb;
	case CMP_HS: return a >= b;
	case CMP_HI: return a > b;
	case CMP_LO: return a < b;
	default: return a <= b;
	}
}

/*
 * d->aux: cc | kind << 8: kind 0 vectors, 1 wide (Zm.D), 2 immediate
 * (d->imm)
 */
static bool prep_cmp_vec(struct dinsn *d)
{
	static const uint8_t cc[8] = { CMP_HS, CMP_HI, 0xff, 0xff, CMP_GE, CMP_GT, CMP_EQ, CMP_NE };
	unsigned int k = BIT(d->insn, 15) << 2 | BIT(d->insn, 13) << 1 | BIT(d->insn, 4);

	if (cc[k] == 0xff)
		return false;
	d->aux = cc[k];
	return true;
}

static bool prep_cmp_wide(struct dinsn *d)
{
	/* op(15) o2(13) ne(4) with bit 14 set: GE GT LT LE / HS HI LO LS */
	static const uint8_t lo[4] = { CMP_GE, CMP_GT, CMP_LT, CMP_LE };
	static const uint8_t hi[4] = { CMP_HS, CMP_HI, CMP_LO, CMP_LS };
	unsigned int k = BIT(d->insn, 13) << 1 | BIT(d->insn, 4);

	if (SIZE(d) == 3)
		return false;
	if (!BIT(d->insn, 14)) {	/* op 0, o2 1: CMPEQ/CMPNE wide */
		d->aux = (BIT(d->insn, 4) ? CMP_NE : CMP_EQ) | 1u << 8;
		return true;
	}
	d->aux = (BIT(d->insn, 15) ? hi[k] : lo[k]) | 1u << 8;
	return true;
}

static bool prep_cmp_simm(struct dinsn *d)
{
	static const uint8_t cc[8] = { CMP_GE, CMP_GT, CMP_LT, CMP_LE, CMP_EQ, CMP_NE, 0xff, 0xff };
	unsigned int k = BIT(d->insn, 15) << 2 | BIT(d->insn, 13) << 1 | BIT(d->insn, 4);

	if (cc[k] == 0xff)
		return false;
	d->aux = cc[k] | 2u << 8;
	d->imm = sext(FIELD(d->insn, 20, 16), 5);
	return true;
}

static bool prep_cmp_uimm(struct dinsn *d)
{
	static const uint8_t cc[4] = { CMP_HS, CMP_HI, CMP_LO, CMP_LS };

	d->aux = cc[BIT(d->insn, 13) << 1 | BIT(d->insn, 4)] | 2u << 8;
	d->imm = FIELD(d->insn, 20, 14);
	return true;
}

static int sve_cmp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, cc = d->aux & 0xff, kind = (unsigned int)d->aux >> 8;
	unsigned int bits = 8u << sz;
	uint8_t p[CPU_PREG_BYTES] = { 0 }, pg[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(pg, s->p[PG3(d)], sizeof(pg));
	for (e = 0; e < vl >> sz; e++) {
		uint64_t a, b;

		if (!pact(pg, e, sz))
			continue;
		a = zget(s->z[d->rn], e, sz);
		if (kind == 2) {
			b = (uint64_t)d->imm & emask(sz);
		} else if (kind == 1) {
			/* the 64-bit element of Zm covering this element, full width */
			uint64_t w = zget(s->z[d->rm], (e << sz) >> 3, 3);
			bool sg = cc == CMP_GE || cc == CMP_GT || cc == CMP_LT || cc == CMP_LE ||
				  cc == CMP_EQ || cc == CMP_NE;

			a = sg ? (uint64_t)sext(a, bits) : a;
			pset(p, e, sz, cmp_holds(cc, a, w, 64));
			continue;
		} else {
			b = zget(s->z[d->rm], e, sz);
		}
		pset(p, e, sz, cmp_holds(cc, a, b, bits));
	}
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(pg, p, sz, vl));
	return EXEC_NEXT;
}

/* ---- reductions ------------------------------------------------------------------------- */

/* SADDV UADDV - - SMAXV UMAXV SMINV UMINV - - - - ORV EORV ANDV */
static bool prep_reduce(struct dinsn *d)
{
	unsigned int op = FIELD(d->insn, 20, 16);

	switch (op) {
	case 0: return SIZE(d) != 3;
	case 1: case 8: case 9: case 10: case 11: case 24: case 25: case 26:
		return true;
	default: return false;
	}
}

static int sve_reduce(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, op = FIELD(d->insn, 20, 16), bits = 8u << sz;
	const uint8_t *pg = s->p[PG3(d)], *zn = s->z[d->rn];
	uint64_t r;

	SVE_ENTER(c, vl);
	switch (op) {
	case 8: r = (uint64_t)sext(1ULL << (bits - 1), bits) & emask(sz); break; /* SMAXV: min */
	case 10: r = emask(sz) >> 1; break;	/* SMINV: max */
	case 11: case 26: r = emask(sz); break;
	default: r = 0; break;
	}
	for (e = 0; e < vl >> sz; e++) {
		uint64_t x;

		if (!pact(pg, e, sz))
			continue;
		x = zget(zn, e, sz);
		switch (op) {
		case 0: r += (uint64_t)sext(x, bits); break;
		case 1: r += x; break;
		case 8: r = int_op(OP_SMAX, r, x, sz) & emask(sz); break;
		case 9: r = r > x ? r : x; break;
		case 10: r = int_op(OP_SMIN, r, x, sz) & emask(sz); break;
		case 11: r = r < x ? r : x; break;
		case 24: r |= x; break;
		case 25: r ^= x; break;
		default: r &= x; break;
		}
	}
	vset_scalar(s, d->rd, r, op <= 1 ? 3 : sz);
	return EXEC_NEXT;
}

/* ---- floating point ---------------------------------------------------------------------- */

enum {
	FOP_ADD, FOP_SUB, FOP_MUL, FOP_SUBR, FOP_MAXNM, FOP_MINNM, FOP_MAX, FOP_MIN,
	FOP_ABD, FOP_MULX, FOP_DIVR, FOP_DIV, FOP_RECPS, FOP_RSQRTS,
};

static uint64_t fp_op(unsigned int op, uint64_t a, uint64_t b, unsigned int sz,
		      struct fpst *st)
{
	switch (op) {
	case FOP_ADD: return fp_add(a, b, sz, st);
	case FOP_SUB: return fp_sub(a, b, sz, st);
	case FOP_MUL: return fp_mul(a, b, sz, st);
	case FOP_SUBR: return fp_sub(b, a, sz, st);
	case FOP_MAXNM: return fp_maxnm(a, b, sz, st);
	case FOP_MINNM: return fp_minnm(a, b, sz, st);
	case FOP_MAX: return fp_max(a, b, sz, st);
	case FOP_MIN: return fp_min(a, b, sz, st);
	case FOP_ABD: return fp_abs(fp_sub(a, b, sz, st), sz);
	case FOP_MULX: return fp_mulx(a, b, sz, st);
	case FOP_DIVR: return fp_div(b, a, sz, st);
	case FOP_DIV: return fp_div(a, b, sz, st);
	case FOP_RECPS: return fp_recps(a, b, sz, st);
	default: return fp_rsqrts(a, b, sz, st);
	}
}

static bool prep_fp_unpred(struct dinsn *d)
{
	static const int8_t ops[8] = { FOP_ADD, FOP_SUB, FOP_MUL, -1, -1, -1, FOP_RECPS, FOP_RSQRTS };
	int op = ops[FIELD(d->insn, 12, 10)];

	d->aux = (uint64_t)op;
	return op >= 0 && SIZE(d) >= 2;
}

static int sve_fp_unpred(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		zset(buf, e, sz, fp_op((unsigned int)d->aux, zget(s->z[d->rn], e, sz),
				       zget(s->z[d->rm], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

static bool prep_fp_pred(struct dinsn *d)
{
	static const int8_t ops[16] = {
		FOP_ADD, FOP_SUB, FOP_MUL, FOP_SUBR, FOP_MAXNM, FOP_MINNM, FOP_MAX, FOP_MIN,
		FOP_ABD, -1, FOP_MULX, -1, FOP_DIVR, FOP_DIV, -1, -1,
	};
	int op = ops[FIELD(d->insn, 19, 16)];

	d->aux = (uint64_t)op;
	return op >= 0 && SIZE(d) >= 2;
}

static int sve_fp_pred(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			zset(buf, e, sz, fp_op((unsigned int)d->aux, zget(buf, e, sz),
					       zget(s->z[d->rn], e, sz), sz, &st));
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

static bool prep_fp_size(struct dinsn *d)
{
	return SIZE(d) >= 2;
}

static bool prep_fmad(struct dinsn *d)
{
	d->aux = 1;
	return SIZE(d) >= 2;
}

/*
 * FMLA FMLS FNMLA FNMLS Zda, Pg/M, Zn, Zm (aux 0);
 * FMAD FMSB FNMAD FNMSB Zdn, Pg/M, Zm, Za (aux 1)
 */
static int sve_fmla(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, opc = FIELD(d->insn, 14, 13);
	bool neg1 = opc == 1 || opc == 2, neg3 = opc >= 2;
	uint8_t buf[CPU_ZREG_BYTES];
	const uint8_t *pg = s->p[PG3(d)];
	struct fpst st;

	SVE_ENTER(c, vl);
	fpst_begin(&st, s);
	memcpy(buf, s->z[d->rd], vl);
	for (e = 0; e < vl >> sz; e++) {
		uint64_t a, m1, m2;

		if (!pact(pg, e, sz))
			continue;
		if (!d->aux) {
			a = zget(buf, e, sz);
			m1 = zget(s->z[d->rn], e, sz);
			m2 = zget(s->z[d->rm], e, sz);
		} else {
			a = zget(s->z[d->rm], e, sz);
			m1 = zget(buf, e, sz);
			m2 = zget(s->z[d->rn], e, sz);
		}
		if (neg1)
			m1 = fp_neg(m1, sz);
		if (neg3)
			a = fp_neg(a, sz);
		zset(buf, e, sz, fp_muladd(a, m1, m2, sz, &st));
	}
	zwrite(s, d->rd, buf, vl);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* FADDV FMAXNMV FMINNMV FMAXV FMINV: a pairwise tree over the vector */
static uint64_t fp_tree(unsigned int op, const uint64_t *v, unsigned int n, unsigned int sz,
			struct fpst *st)
{
	uint64_t lo, hi;

	if (n == 1)
		return v[0];
	lo = fp_tree(op, v, n / 2, sz, st);
	hi = fp_tree(op, v + n / 2, n / 2, sz, st);
	return fp_op(op, lo, hi, sz, st);
}

static bool prep_fp_reduce(struct dinsn *d)
{
	static const int8_t ops[8] = { FOP_ADD, -1, -1, -1, FOP_MAXNM, FOP_MINNM, FOP_MAX, FOP_MIN };
	int op = ops[FIELD(d->insn, 18, 16)];

	d->aux = (uint64_t)op;
	return op >= 0 && SIZE(d) >= 2;
}

static int sve_fp_reduce(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e, n;
	const uint8_t *pg = s->p[PG3(d)];
	uint64_t v[CPU_ZREG_BYTES / 4], id;
	struct fpst st;

	SVE_ENTER(c, vl);
	n = vl >> sz;
	switch (d->aux) {
	case FOP_ADD: id = 0; break;
	case FOP_MAX: id = sz == 3 ? 0xfff0000000000000ULL : 0xff800000; break;
	case FOP_MIN: id = sz == 3 ? 0x7ff0000000000000ULL : 0x7f800000; break;
	default: id = sz == 3 ? 0x7ff8000000000000ULL : 0x7fc00000; break;	/* default NaN */
	}
	for (e = 0; e < n; e++)
		v[e] = pact(pg, e, sz) ? zget(s->z[d->rn], e, sz) : id;
	fpst_begin(&st, s);
	id = fp_tree((unsigned int)d->aux, v, n, sz, &st);
	vset_scalar(s, d->rd, id, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* FADDA Vdn, Pg, Vdn, Zm: strictly ordered */
static int sve_fadda(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = SIZE(d), e;
	const uint8_t *pg = s->p[PG3(d)];
	uint64_t r;
	struct fpst st;

	SVE_ENTER(c, vl);
	r = vscalar(s, d->rd, sz);
	fpst_begin(&st, s);
	for (e = 0; e < vl >> sz; e++)
		if (pact(pg, e, sz))
			r = fp_add(r, zget(s->z[d->rn], e, sz), sz, &st);
	vset_scalar(s, d->rd, r, sz);
	fpst_end(s, &st);
	return EXEC_NEXT;
}

/* ---- predicate operations ----------------------------------------------------------------- */

/* AND BIC EOR SEL ORR ORN NOR NAND (and the flag-setting forms) */
static bool prep_plogic(struct dinsn *d)
{
	unsigned int op = BIT(d->insn, 23) << 2 | BIT(d->insn, 9) << 1 | BIT(d->insn, 4);

	d->aux = op;
	return !(op == 3 && BIT(d->insn, 22));	/* SELS */
}

static int sve_plogic(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, i;
	const uint8_t *n = s->p[FIELD(d->insn, 8, 5)], *m = s->p[FIELD(d->insn, 19, 16)];
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 13, 10)], sizeof(g));
	for (i = 0; i < CPU_PREG_BYTES; i++) {
		uint8_t r;

		switch (d->aux) {
		case 0: r = n[i] & m[i]; break;
		case 1: r = n[i] & ~m[i]; break;
		case 2: r = n[i] ^ m[i]; break;
		case 3: r = (uint8_t)((g[i] & n[i]) | (~g[i] & m[i])); break;
		case 4: r = n[i] | m[i]; break;
		case 5: r = n[i] | ~m[i]; break;
		case 6: r = ~(n[i] | m[i]); break;
		default: r = ~(n[i] & m[i]); break;
		}
		p[i] = d->aux == 3 ? r : (uint8_t)(r & g[i]);
	}
	pwrite(s->p[d->rd & 15], p, vl);
	if (BIT(d->insn, 22))
		set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

/* BRKA, BRKB (and BRKAS, BRKBS): Pd, Pg/Z|M, Pn (byte elements) */
static bool prep_brk(struct dinsn *d)
{
	return !(BIT(d->insn, 22) && BIT(d->insn, 4));
}

static int sve_brk(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, e;
	const uint8_t *n = s->p[FIELD(d->insn, 8, 5)];
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];
	bool after = !BIT(d->insn, 23), merge = BIT(d->insn, 4), brk = false;

	SVE_ENTER(c, vl);
	memcpy(g, s->p[FIELD(d->insn, 13, 10)], sizeof(g));
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	for (e = 0; e < vl; e++) {
		if (pact(g, e, 0)) {
			bool el = pact(n, e, 0);

			if (after) {
				pset(p, e, 0, !brk);
				brk |= el;
			} else {
				brk |= el;
				pset(p, e, 0, !brk);
			}
		} else if (!merge) {
			pset(p, e, 0, false);
		}
	}
	pwrite(s->p[d->rd & 15], p, vl);
	if (BIT(d->insn, 22))
		set_nzcv(s, pred_test(g, p, 0, vl));
	return EXEC_NEXT;
}

/* PFIRST Pdn, Pg, Pdn (aux 0); PNEXT Pdn.T, Pv, Pdn.T (aux 1) */
static int sve_pfirst_pnext(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl, sz = d->aux ? SIZE(d) : 0, e, elems;
	uint8_t p[CPU_PREG_BYTES], g[CPU_PREG_BYTES];
	int first = -1, next = -1, last = -1;

	SVE_ENTER(c, vl);
	elems = vl >> sz;
	memcpy(g, s->p[FIELD(d->insn, 8, 5)], sizeof(g));
	memcpy(p, s->p[d->rd & 15], sizeof(p));
	for (e = 0; e < elems; e++) {
		if (pact(g, e, sz) && first < 0)
			first = (int)e;
		if (pact(p, e, sz))	/* LastActiveElement(Pdn) */
			last = (int)e;
	}
	if (!d->aux) {
		if (first >= 0)
			pset(p, (unsigned int)first, 0, true);
	} else {
		for (e = (unsigned int)(last + 1); e < elems; e++)
			if (pact(g, e, sz)) {
				next = (int)e;
				break;
			}
		memset(p, 0, sizeof(p));
		if (next >= 0)
			pset(p, (unsigned int)next, sz, true);
	}
	pwrite(s->p[d->rd & 15], p, vl);
	set_nzcv(s, pred_test(g, p, sz, vl));
	return EXEC_NEXT;
}

static unsigned int count_active(const uint8_t *g, const uint8_t *n, unsigned int sz,
				 unsigned int vl)
{
	unsigned int e, k = 0;

	for (e = 0; e < vl >> sz; e++)
		k += pact(g, e, sz) && pact(n, e, sz);
	return k;
}

/* CNTP Xd, Pg, Pn.T */
static int sve_cntp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int vl;

	SVE_ENTER(c, vl);
	set_xreg(s, d->rd, count_active(s->p[FIELD(d->insn, 13, 10)], s->p[FIELD(d->insn, 8, 5)],
					 SIZE(d), vl));
	return EXEC_NEXT;
}

/* INCP/DECP Xdn, Pm.T */
static int sve_incp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	uint8_t all[CPU_PREG_BYTES];
	unsigned int vl;
	uint64_t n;

	SVE_ENTER(c, vl);
	memset(all, 0xff, sizeof(all));
	n = count_active(all, s->p[FIELD(d->insn, 8, 5)], SIZE(d), vl);
	set_xreg(s, d->rd, BIT(d->insn, 16) ? xreg(s, d->rd) - n : xreg(s, d->rd) + n);
	return EXEC_NEXT;
}

/* ---- the table ------------------------------------------------------------------------------ */

static bool prep_aux0(struct dinsn *d) { d->aux = 0; return true; }
static bool prep_aux1(struct dinsn *d) { d->aux = 1; return true; }
static bool prep_aux2(struct dinsn *d) { d->aux = 2; return true; }
static bool prep_aux3(struct dinsn *d) { d->aux = 3; return true; }

static bool prep_size_nz(struct dinsn *d)
{
	return SIZE(d) != 0;
}

static bool prep_size_nz_aux1(struct dinsn *d)
{
	d->aux = 1;
	return SIZE(d) != 0;
}

static bool prep_incdec(struct dinsn *d)
{
	d->aux = BIT(d->insn, 10) ? 2 : 1;
	return true;
}

static const struct insn_pattern sve_pats[] = {
	/* vector length */
	PAT(0xfffff800, 0x04bf5000, sve_rdvl, NULL),
	PAT(0xffe0f800, 0x04205000, sve_addvl, prep_aux0),
	PAT(0xffe0f800, 0x04605000, sve_addvl, prep_aux1),
	PAT(0xff30fc00, 0x0420e000, sve_cnt, prep_aux0),
	PAT(0xff30f800, 0x0430e000, sve_cnt, prep_incdec),
	PAT(0xff20f000, 0x0420f000, sve_qincdec, NULL),
	PAT(0xff30f800, 0x0430c000, sve_incdec_vec, prep_size_nz),	/* aux 0 */
	PAT(0xff30f000, 0x0420c000, sve_incdec_vec, prep_size_nz_aux1),
	/* predicate initialisation, FFR, PTEST */
	PAT(0xff3efc10, 0x2518e000, sve_ptrue, NULL),
	PAT(0xfffffff0, 0x2518e400, sve_pfalse, NULL),
	PAT(0xffffffff, 0x252c9000, sve_setffr, NULL),
	PAT(0xfffffff0, 0x2519f000, sve_rdffr, prep_aux0),
	PAT(0xffbffe10, 0x2518f000, sve_rdffr, prep_aux1),
	PAT(0xfffffe1f, 0x25289000, sve_wrffr, NULL),
	PAT(0xffffc21f, 0x2550c000, sve_ptest, NULL),
	/* LDR/STR of Z and P */
	PAT(0xffc0e000, 0x85804000, sve_ldr_str, prep_aux0),
	PAT(0xffc0e010, 0x85800000, sve_ldr_str, prep_aux2),
	PAT(0xffc0e000, 0xe5804000, sve_ldr_str, prep_aux1),
	PAT(0xffc0e010, 0xe5800000, sve_ldr_str, prep_aux3),
	/* contiguous loads and stores, LD1R */
	PAT(0xfe00e000, 0xa4004000, sve_ld1, prep_ld1),
	PAT(0xfe10e000, 0xa400a000, sve_ld1, prep_ld1),
	PAT(0xfe00e000, 0xe4004000, sve_st1, prep_st1),
	PAT(0xfe10e000, 0xe400e000, sve_st1, prep_st1),
	PAT(0xfe408000, 0x84408000, sve_ld1r, prep_ld1r),
	/* WHILE */
	PAT(0xff20e400, 0x25200400, sve_while, NULL),
	/* moves */
	PAT(0xff3ffc00, 0x05203800, sve_dup, prep_aux0),
	PAT(0xff3fc000, 0x2538c000, sve_dup, prep_dup_imm),
	PAT(0xff3cfc00, 0x05303800, sve_unpk, prep_size_nz),
	PAT(0xff3fe000, 0x2539c000, sve_dup, prep_fdup),
	PAT(0xff20fc00, 0x05202000, sve_dup_idx, prep_dup_idx),
	PAT(0xff20f000, 0x04204000, sve_index, NULL),
	PAT(0xff3fe000, 0x0528a000, sve_cpy, prep_aux0),
	PAT(0xff3fe000, 0x05208000, sve_cpy, prep_aux1),
	PAT(0xff308000, 0x05100000, sve_cpy, prep_aux2),
	PAT(0xff20c000, 0x0520c000, sve_sel, NULL),
	PAT(0xfffffc00, 0x0420bc00, sve_movprfx, prep_aux0),
	PAT(0xff3ee000, 0x04102000, sve_movprfx, prep_aux1),
	/* integer arithmetic */
	PAT(0xff20e000, 0x04000000, sve_arith_pred, prep_arith_pred),	/* size bit 21 = 0 */
	PAT(0xff20e000, 0x04200000, sve_arith_unpred, prep_arith_unpred),
	PAT(0xff20fc00, 0x04203000, sve_logic_unpred, NULL),
	PAT(0xff38c000, 0x2520c000, sve_arith_imm, prep_arith_imm),
	PAT(0xff3ce000, 0x2528c000, sve_arith_imm, prep_minmax_imm),
	PAT(0xff3fe000, 0x2530c000, sve_arith_imm, prep_mul_imm),
	PAT(0xff3c0000, 0x05000000, sve_logic_imm, prep_logic_imm),
	PAT(0xff20c000, 0x04004000, sve_mla, prep_aux0),
	PAT(0xff20c000, 0x0400c000, sve_mla, prep_aux1),
	/* compares */
	PAT(0xff20c000, 0x24008000, sve_cmp, prep_cmp_vec),
	PAT(0xff20e000, 0x24000000, sve_cmp, prep_cmp_vec),
	PAT(0xff20e000, 0x24002000, sve_cmp, prep_cmp_wide),
	PAT(0xff204000, 0x24004000, sve_cmp, prep_cmp_wide),
	PAT(0xff204000, 0x25000000, sve_cmp, prep_cmp_simm),
	PAT(0xff200000, 0x24200000, sve_cmp, prep_cmp_uimm),
	/* reductions */
	PAT(0xff20e000, 0x04002000, sve_reduce, prep_reduce),
	PAT(0xff38e000, 0x65002000, sve_fp_reduce, prep_fp_reduce),
	PAT(0xff3fe000, 0x65182000, sve_fadda, prep_fp_size),
	/* floating point */
	PAT(0xff20e000, 0x65000000, sve_fp_unpred, prep_fp_unpred),
	PAT(0xff30e000, 0x65008000, sve_fp_pred, prep_fp_pred),
	PAT(0xff208000, 0x65200000, sve_fmla, prep_fp_size),
	PAT(0xff208000, 0x65208000, sve_fmla, prep_fmad),
	/* predicate operations */
	PAT(0xff30c000, 0x25004000, sve_plogic, prep_plogic),
	PAT(0xff3fc200, 0x25104000, sve_brk, prep_brk),
	PAT(0xfffffe10, 0x2558c000, sve_pfirst_pnext, prep_aux0),
	PAT(0xff3ffe10, 0x2519c400, sve_pfirst_pnext, prep_aux1),
	PAT(0xff3fc200, 0x25208000, sve_cntp, NULL),
	PAT(0xff3efe00, 0x252c8800, sve_incp, NULL),
};

const struct insn_table sve_insns = PAT_TABLE(sve_pats);
