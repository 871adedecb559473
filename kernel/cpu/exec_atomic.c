// SPDX-License-Identifier: GPL-2.0
/*
 * Ordered and atomic accesses: load-acquire/store-release, the exclusive
 * pair LDXR/STXR (and their pair and acquire/release forms), and the LSE
 * atomics CAS, CASP, LD<op>, ST<op> and SWP.
 *
 * Exclusives are correct across host threads: LDXR remembers the host
 * location and the value it read, and STXR is a host compare-and-swap
 * against that value, so it fails if another vCPU changed the location in
 * between (an intervening write of the same value goes unnoticed, which the
 * architecture's "may succeed" latitude for a cleared global monitor does
 * not strictly allow but no software can rely on detecting).  The host
 * pointers of guest memory must be naturally aligned for these: regions are
 * page-aligned mappings.
 */
#include <pthread.h>

#include "internal.h"

#define SZ_LOG2(d)	FIELD((d)->insn, 31, 30)

static int base_of(struct cpu *c, unsigned int rn, uint64_t *addr)
{
	struct cpu_state *s = &c->state;

	if (rn != 31) {
		*addr = s->x[rn];
		return 0;
	}
	*addr = *spp(s);
	if ((*addr & 15) &&
	    (s->sysreg[SR_SCTLR_EL1] & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

/* ---- 128-bit host compare-and-swap ------------------------------------------ */

static pthread_mutex_t cas128_lock = PTHREAD_MUTEX_INITIALIZER;

static bool host_cas128(uint8_t *p, uint64_t expect[2], const uint64_t desired[2])
{
#if defined(__x86_64__)
	if (!((uintptr_t)p & 15)) {
		bool ok;

		__asm__ __volatile__("lock cmpxchg16b %1"
				     : "=@ccz"(ok), "+m"(*(volatile unsigned __int128 *)p),
				       "+a"(expect[0]), "+d"(expect[1])
				     : "b"(desired[0]), "c"(desired[1])
				     : "memory");
		return ok;
	}
#endif
	{
		uint64_t cur[2];
		bool ok;

		pthread_mutex_lock(&cas128_lock);
		memcpy(cur, p, 16);
		ok = cur[0] == expect[0] && cur[1] == expect[1];
		if (ok)
			memcpy(p, desired, 16);
		expect[0] = cur[0];
		expect[1] = cur[1];
		pthread_mutex_unlock(&cas128_lock);
		return ok;
	}
}

static uint64_t host_load_acq(const uint8_t *p, unsigned int size)
{
	switch (size) {
	case 1: return __atomic_load_n(p, __ATOMIC_ACQUIRE);
	case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
	case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
	default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
	}
}

static bool host_cas(uint8_t *p, unsigned int size, uint64_t *expect, uint64_t desired)
{
	bool ok;

	switch (size) {
	case 1: {
		uint8_t e = (uint8_t)*expect;

		ok = __atomic_compare_exchange_n(p, &e, (uint8_t)desired, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		*expect = e;
		return ok;
	}
	case 2: {
		uint16_t e = (uint16_t)*expect;

		ok = __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)desired,
						 false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		*expect = e;
		return ok;
	}
	case 4: {
		uint32_t e = (uint32_t)*expect;

		ok = __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)desired,
						 false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		*expect = e;
		return ok;
	}
	default:
		return __atomic_compare_exchange_n((uint64_t *)p, expect, desired, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}

/* ---- load-acquire / store-release ------------------------------------------------ */

static bool prep_ordered(struct dinsn *d)
{
	unsigned int lg = SZ_LOG2(d);
	bool load = BIT(d->insn, 22);

	d->aux = acc_iss(lg, d->rd, false, lg == 3, true, !load) | ACC_ALIGN;
	return true;
}

static int ldar(struct cpu *c, const struct dinsn *d)
{
	uint64_t addr, v;

	if (base_of(c, d->rn, &addr) ||
	    mem_read(c, addr, 1u << SZ_LOG2(d), (uint32_t)d->aux, &v))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	set_xreg(&c->state, d->rd, v);
	return EXEC_NEXT;
}

static int stlr(struct cpu *c, const struct dinsn *d)
{
	uint64_t addr;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (mem_write(c, addr, 1u << SZ_LOG2(d), (uint32_t)d->aux,
		      xreg(&c->state, d->rd)))
		return EXEC_STOP;
	/* RCsc: a later LDAR must not pass this store */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return EXEC_NEXT;
}

/* ---- exclusives ------------------------------------------------------------------ */

#define EXCL_ACC	(ACC_ALIGN)

static int ldxr(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t addr;
	uint8_t *h;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, EXCL_ACC);
	if (!h)
		return EXEC_STOP;
	e->excl_val[0] = host_load_acq(h, size);
	e->excl_host = h;
	e->excl_size = size;
	e->excl_valid = true;
	set_xreg(&c->state, d->rd, e->excl_val[0]);
	return EXEC_NEXT;
}

static int stxr(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t addr, expect;
	uint8_t *h;
	bool ok = false;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, EXCL_ACC | ACC_WRITE);
	if (!h)
		return EXEC_STOP;
	if (e->excl_valid && e->excl_host == h && e->excl_size == size) {
		expect = e->excl_val[0];
		ok = host_cas(h, size, &expect, xreg(&c->state, d->rd));
	}
	e->excl_valid = false;
	set_xreg(&c->state, d->rm, ok ? 0 : 1);
	return EXEC_NEXT;
}

static int ldxp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	uint64_t addr, v[2];
	uint8_t *h;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, EXCL_ACC);
	if (!h)
		return EXEC_STOP;
	if (x) {
		v[0] = host_load_acq(h, 8);
		v[1] = host_load_acq(h + 8, 8);
		e->excl_val[0] = v[0];
		e->excl_val[1] = v[1];
	} else {
		uint64_t w = host_load_acq(h, 8);

		v[0] = (uint32_t)w;
		v[1] = w >> 32;
		e->excl_val[0] = w;
	}
	e->excl_host = h;
	e->excl_size = size;
	e->excl_valid = true;
	set_xreg(&c->state, d->rd, v[0]);
	set_xreg(&c->state, d->ra, v[1]);
	return EXEC_NEXT;
}

static int stxp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	uint64_t addr;
	uint8_t *h;
	bool ok = false;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, EXCL_ACC | ACC_WRITE);
	if (!h)
		return EXEC_STOP;
	if (e->excl_valid && e->excl_host == h && e->excl_size == size) {
		if (x) {
			uint64_t expect[2] = { e->excl_val[0], e->excl_val[1] };
			uint64_t val[2] = { xreg(&c->state, d->rd), xreg(&c->state, d->ra) };

			ok = host_cas128(h, expect, val);
		} else {
			uint64_t expect = e->excl_val[0];
			uint64_t val = (uint32_t)xreg(&c->state, d->rd) |
				       (xreg(&c->state, d->ra) << 32);

			ok = host_cas(h, 8, &expect, val);
		}
	}
	e->excl_valid = false;
	set_xreg(&c->state, d->rm, ok ? 0 : 1);
	return EXEC_NEXT;
}

static int clrex(struct cpu *c, const struct dinsn *d)
{
	excl_clear(c);
	return EXEC_NEXT;
}

/* ---- LSE ------------------------------------------------------------------------ */

#define RMW_ACC	(ACC_RMW | ACC_WRITE | ACC_ALIGN)

static int cas(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t addr, expect, mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	uint8_t *h;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, RMW_ACC);
	if (!h)
		return EXEC_STOP;
	expect = xreg(s, d->rm) & mask;
	host_cas(h, size, &expect, xreg(s, d->rd));
	set_xreg(s, d->rm, expect & mask);
	return EXEC_NEXT;
}

static bool prep_casp(struct dinsn *d)
{
	return !(d->rd & 1) && !(d->rm & 1);
}

static int casp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	unsigned int rs = d->rm, rt = d->rd;
	uint64_t addr;
	uint8_t *h;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, RMW_ACC);
	if (!h)
		return EXEC_STOP;
	if (x) {
		uint64_t expect[2] = { xreg(s, rs), xreg(s, rs + 1) };
		uint64_t val[2] = { xreg(s, rt), xreg(s, rt + 1) };

		host_cas128(h, expect, val);
		set_xreg(s, rs, expect[0]);
		set_xreg(s, rs + 1, expect[1]);
	} else {
		uint64_t expect = (uint32_t)xreg(s, rs) | (xreg(s, rs + 1) << 32);
		uint64_t val = (uint32_t)xreg(s, rt) | (xreg(s, rt + 1) << 32);

		host_cas(h, 8, &expect, val);
		set_xreg(s, rs, (uint32_t)expect);
		set_xreg(s, rs + 1, expect >> 32);
	}
	return EXEC_NEXT;
}

enum lse_op { LSE_ADD, LSE_CLR, LSE_EOR, LSE_SET, LSE_SMAX, LSE_SMIN, LSE_UMAX,
	      LSE_UMIN, LSE_SWP };

static uint64_t lse_apply(enum lse_op op, uint64_t old, uint64_t v, unsigned int size)
{
	unsigned int bits = 8 * size;
	int64_t so = sext(old, bits), sv = sext(v, bits);

	switch (op) {
	case LSE_ADD: return old + v;
	case LSE_CLR: return old & ~v;
	case LSE_EOR: return old ^ v;
	case LSE_SET: return old | v;
	case LSE_SMAX: return so > sv ? old : v;
	case LSE_SMIN: return so < sv ? old : v;
	case LSE_UMAX: return old > v ? old : v;
	case LSE_UMIN: return old < v ? old : v;
	default: return v;
	}
}

static bool prep_lse(struct dinsn *d)
{
	unsigned int o3 = BIT(d->insn, 15), opc = FIELD(d->insn, 14, 12);

	if (o3) {
		if (opc != 0)
			return false;	/* LDAPR (RCpc) is not implemented */
		d->aux = LSE_SWP;
	} else {
		d->aux = opc;
	}
	return true;
}

static int ld_atomic(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	uint64_t addr, v = xreg(s, d->rm) & mask, old;
	enum lse_op op = (enum lse_op)d->aux;
	uint8_t *h;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	h = mem_host_ptr(c, addr, size, RMW_ACC);
	if (!h)
		return EXEC_STOP;
	old = host_load(h, size);
	for (;;) {
		uint64_t expect = old;

		if (host_cas(h, size, &expect, lse_apply(op, old, v, size) & mask))
			break;
		old = expect;
	}
	set_xreg(s, d->rd, old);
	return EXEC_NEXT;
}

static const struct insn_pattern atomic_patterns[] = {
	PAT(0x3fe08000, 0x08000000, stxr, NULL),	/* STXR */
	PAT(0x3fe08000, 0x08008000, stxr, NULL),	/* STLXR */
	PAT(0x3fe08000, 0x08400000, ldxr, NULL),	/* LDXR */
	PAT(0x3fe08000, 0x08408000, ldxr, NULL),	/* LDAXR */
	PAT(0xbfe08000, 0x88200000, stxp, NULL),	/* STXP */
	PAT(0xbfe08000, 0x88208000, stxp, NULL),	/* STLXP */
	PAT(0xbfe08000, 0x88600000, ldxp, NULL),	/* LDXP */
	PAT(0xbfe08000, 0x88608000, ldxp, NULL),	/* LDAXP */
	PAT(0xbfa07c00, 0x08207c00, casp, prep_casp),	/* CASP{A,L,AL} */
	PAT(0x3fe08000, 0x08800000, stlr, prep_ordered),	/* STLLR */
	PAT(0x3fe08000, 0x08808000, stlr, prep_ordered),	/* STLR */
	PAT(0x3fe08000, 0x08c00000, ldar, prep_ordered),	/* LDLAR */
	PAT(0x3fe08000, 0x08c08000, ldar, prep_ordered),	/* LDAR */
	PAT(0x3fa07c00, 0x08a07c00, cas, NULL),		/* CAS{A,L,AL}{B,H} */
	PAT(0x3f200c00, 0x38200000, ld_atomic, prep_lse),	/* LD<op>, ST<op>, SWP */
	PAT(0xfffff0ff, 0xd503305f, clrex, NULL),
};

const struct insn_table atomic_insns = PAT_TABLE(atomic_patterns);
