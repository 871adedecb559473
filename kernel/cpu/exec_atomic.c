// SPDX-License-Identifier: GPL-2.0
/*
 * Ordered and atomic accesses: load-acquire/store-release, the exclusive
 * pair LDXR/STXR (and their pair and acquire/release forms), and the LSE
 * atomics CAS, CASP, LD<op>, ST<op> and SWP, one row per form in
 * insn/atomic.def (the size field, and for LD<op> and SWP the A and R
 * bits, are read by the handler: every ordering is implemented as the
 * strongest, sequentially consistent host atomics).
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
	    (cur_sctlr(s) & (cpu_current_el(s) ? SCTLR_SA : SCTLR_SA0))) {
		raise_sync(c, EC_SP_ALIGN, 0);
		return -1;
	}
	return 0;
}

/* ---- FEAT_LSE2 alignment --------------------------------------------------------- */

/* FEAT_LSE2 is implemented when the vCPU's ID_AA64MMFR2_EL1.AT says so. */
static inline bool has_lse2(const struct cpu_state *s)
{
	return FIELD(s->sysreg[SR_ID_AA64MMFR2_EL1], 35, 32) != 0;
}

/*
 * The alignment rule of an ordered (ordered) or atomic access of size bytes
 * at addr; *acc is its descriptor, with ACC_ALIGN.  Without FEAT_LSE2 it
 * must be naturally aligned.  With it (Arm ARM, FEAT_LSE2: "Alignment of
 * ordered and atomic accesses"): bytes in one 16-byte-aligned quantity do
 * not fault (SCTLR_EL1.A still applies) and are single-copy atomic; across
 * a 16-byte boundary an Alignment fault, except that an ordered access with
 * SCTLR_EL1.nAA = 1 is performed as an ordinary one.  -1 when it faulted.
 */
static int lse2_align(struct cpu *c, uint64_t addr, unsigned int size, bool ordered,
		      uint32_t *acc)
{
	const struct cpu_state *s = &c->state;

	if (!(addr & (size - 1)) || !has_lse2(s))
		return 0;
	if ((addr & 15) + size <= 16 ||
	    (ordered && (cur_sctlr(s) & SCTLR_NAA))) {
		*acc = (*acc & ~ACC_ALIGN) | ACC_LSE2;
		return 0;
	}
	raise_data_abort(c, addr, *acc, FSC_ALIGN);
	return -1;
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

/*
 * LOCK CMPXCHG of a misaligned location in one 16-byte quantity (FEAT_LSE2),
 * hence in one cache line: atomic on x86-64 (Intel SDM vol. 3A 9.1.2.2).
 * C11 and __atomic builtins on a misaligned pointer are undefined.
 */
static bool host_cas_unaligned(uint8_t *p, unsigned int size, uint64_t *expect,
			       uint64_t desired)
{
#if defined(__x86_64__)
	bool ok;

	switch (size) {
	case 2: {
		uint16_t e = (uint16_t)*expect;

		__asm__ __volatile__("lock cmpxchgw %3, %1"
				     : "=@ccz"(ok), "+m"(*(volatile uint16_t *)p), "+a"(e)
				     : "r"((uint16_t)desired) : "memory");
		*expect = e;
		return ok;
	}
	case 4: {
		uint32_t e = (uint32_t)*expect;

		__asm__ __volatile__("lock cmpxchgl %3, %1"
				     : "=@ccz"(ok), "+m"(*(volatile uint32_t *)p), "+a"(e)
				     : "r"((uint32_t)desired) : "memory");
		*expect = e;
		return ok;
	}
	default:
		__asm__ __volatile__("lock cmpxchgq %3, %1"
				     : "=@ccz"(ok), "+m"(*(volatile uint64_t *)p), "+a"(*expect)
				     : "r"(desired) : "memory");
		return ok;
	}
#else
	/* other hosts: atomic against other atomics only (not against plain stores) */
	uint64_t cur = 0;
	bool ok;

	pthread_mutex_lock(&cas128_lock);
	memcpy(&cur, p, size);
	ok = cur == *expect;
	if (ok)
		memcpy(p, &desired, size);
	*expect = cur;
	pthread_mutex_unlock(&cas128_lock);
	return ok;
#endif
}

static bool host_cas(uint8_t *p, unsigned int size, uint64_t *expect, uint64_t desired)
{
	bool ok;

	if (size > 1 && ((uintptr_t)p & (size - 1)))
		return host_cas_unaligned(p, size, expect, desired);
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

/* A first guess for a compare-and-swap loop: h may be misaligned (FEAT_LSE2). */
static uint64_t load_any(const uint8_t *h, unsigned int size)
{
	uint64_t v = 0;

	if (!((uintptr_t)h & (size - 1)))
		return host_load(h, size);
	memcpy(&v, h, size);
	return v;
}

/* ---- load-acquire / store-release ------------------------------------------------ */

static bool prep_ordered(struct dinsn *d)
{
	unsigned int lg = SZ_LOG2(d);
	bool load = BIT(d->insn, 22);

	d->aux = acc_iss(lg, d->rd, false, lg == 3, true, !load) | ACC_ALIGN |
		 acc_sp_notag(d->rn, false);
	return true;
}

static inline int load_acquire(struct cpu *c, const struct dinsn *d)
{
	uint32_t acc = (uint32_t)d->aux;
	uint64_t addr, v;

	if (base_of(c, d->rn, &addr) ||
	    lse2_align(c, addr, 1u << SZ_LOG2(d), true, &acc) ||
	    mem_read(c, addr, 1u << SZ_LOG2(d), acc, &v))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	set_xreg(&c->state, d->rd, v);
	return EXEC_NEXT;
}

static inline int store_release(struct cpu *c, const struct dinsn *d)
{
	uint32_t acc = (uint32_t)d->aux;
	uint64_t addr;

	if (base_of(c, d->rn, &addr) ||
	    lse2_align(c, addr, 1u << SZ_LOG2(d), true, &acc))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (mem_write(c, addr, 1u << SZ_LOG2(d), acc, xreg(&c->state, d->rd)))
		return EXEC_STOP;
	/* RCsc: a later LDAR must not pass this store */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return EXEC_NEXT;
}

static int exec_LDAR(struct cpu *c, const struct dinsn *d) { return load_acquire(c, d); }
static int exec_STLR(struct cpu *c, const struct dinsn *d) { return store_release(c, d); }

/*
 * FEAT_LRCPC, FEAT_LRCPC2: LDAPR (no offset), LDAPUR/STLUR and the
 * sign-extending LDAPURS* (Xn|SP + simm9, no writeback).  RCpc acquire is
 * weaker than LDAR's RCsc: running it as LDAR is one of its allowed
 * behaviours.  Ordered accesses: aligned as lse2_align() says.
 * imm: the offset; aux: the access syndrome; LDAPURS: 8 + the width of
 * the sign extension in the low byte of ra.
 */
static bool prep_rcpc(struct dinsn *d)
{
	unsigned int lg = SZ_LOG2(d), opc = FIELD(d->insn, 23, 22);
	bool ldapr = !BIT(d->insn, 24), sse = false, sf = lg == 3, write = false;

	d->imm = ldapr ? 0 : sext(FIELD(d->insn, 20, 12), 9);
	d->ra = 0;
	if (!ldapr) {
		write = opc == 0;
		if (opc >= 2) {		/* LDAPURS*: to X (opc 10), to W (opc 11) */
			if (lg == 3 || (lg == 2 && opc == 3))
				return false;
			sse = true;
			sf = opc == 2;
			d->ra = (uint8_t)(8u << lg);
		}
	}
	d->aux = acc_iss(lg, d->rd, sse, sf, true, write) | ACC_ALIGN |
		 acc_sp_notag(d->rn, false);
	return true;
}

static int rcpc_load(struct cpu *c, const struct dinsn *d)
{
	uint32_t acc = (uint32_t)d->aux;
	uint64_t addr, v;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	addr += (uint64_t)d->imm;
	if (lse2_align(c, addr, 1u << SZ_LOG2(d), true, &acc) ||
	    mem_read(c, addr, 1u << SZ_LOG2(d), acc, &v))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (d->ra) {
		v = (uint64_t)sext(v, d->ra);
		if (!(d->aux & ESR_SF))
			v &= 0xffffffffu;
	}
	set_xreg(&c->state, d->rd, v);
	return EXEC_NEXT;
}

static int exec_LDAPR(struct cpu *c, const struct dinsn *d) { return rcpc_load(c, d); }
static int exec_LDAPUR(struct cpu *c, const struct dinsn *d) { return rcpc_load(c, d); }
static int exec_LDAPURS(struct cpu *c, const struct dinsn *d) { return rcpc_load(c, d); }

static int exec_STLUR(struct cpu *c, const struct dinsn *d)
{
	uint32_t acc = (uint32_t)d->aux;
	uint64_t addr;

	if (base_of(c, d->rn, &addr))
		return EXEC_STOP;
	addr += (uint64_t)d->imm;
	if (lse2_align(c, addr, 1u << SZ_LOG2(d), true, &acc))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (mem_write(c, addr, 1u << SZ_LOG2(d), acc, xreg(&c->state, d->rd)))
		return EXEC_STOP;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return EXEC_NEXT;
}

/* ---- exclusives ------------------------------------------------------------------ */

#define EXCL_ACC	(ACC_ALIGN)

/* The host location of an exclusive access of size bytes at [Xn], or NULL
 * when an exception was taken or an exit is needed. */
static uint8_t *excl_ptr(struct cpu *c, const struct dinsn *d, unsigned int size,
			 uint32_t acc)
{
	uint64_t addr;

	if (base_of(c, d->rn, &addr))
		return NULL;
	return mem_host_ptr(c, addr, size, EXCL_ACC | acc | acc_sp_notag(d->rn, false));
}

/* The monitor holds h for size bytes, with the value(s) read. */
static void excl_arm(struct cpu_engine *e, uint8_t *h, unsigned int size)
{
	e->excl_host = h;
	e->excl_size = size;
	e->excl_valid = true;
}

/* A store-exclusive to h may succeed: the monitor holds it.  Cleared. */
static bool excl_armed(struct cpu_engine *e, const uint8_t *h, unsigned int size)
{
	bool armed = e->excl_valid && e->excl_host == h && e->excl_size == size;

	e->excl_valid = false;
	return armed;
}

static inline int load_excl(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	unsigned int size = 1u << SZ_LOG2(d);
	uint8_t *h = excl_ptr(c, d, size, 0);

	if (!h)
		return EXEC_STOP;
	e->excl_val[0] = host_load_acq(h, size);
	excl_arm(e, h, size);
	set_xreg(&c->state, d->rd, e->excl_val[0]);
	return EXEC_NEXT;
}

static inline int store_excl(struct cpu *c, const struct dinsn *d)
{
	unsigned int size = 1u << SZ_LOG2(d);
	uint8_t *h = excl_ptr(c, d, size, ACC_WRITE);
	uint64_t expect;
	bool ok = false;

	if (!h)
		return EXEC_STOP;
	if (excl_armed(c->engine, h, size)) {
		expect = c->engine->excl_val[0];
		ok = host_cas(h, size, &expect, xreg(&c->state, d->rd));
	}
	set_xreg(&c->state, d->rm, ok ? 0 : 1);
	return EXEC_NEXT;
}

static int exec_LDXR(struct cpu *c, const struct dinsn *d) { return load_excl(c, d); }
static int exec_LDAXR(struct cpu *c, const struct dinsn *d) { return load_excl(c, d); }
static int exec_STXR(struct cpu *c, const struct dinsn *d) { return store_excl(c, d); }
static int exec_STLXR(struct cpu *c, const struct dinsn *d) { return store_excl(c, d); }

/* pairs: sz (bit 30) 1 two X registers, 0 two W registers as one doubleword */
static inline int load_excl_pair(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	uint8_t *h = excl_ptr(c, d, size, 0);
	uint64_t v[2];

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
	excl_arm(e, h, size);
	set_xreg(&c->state, d->rd, v[0]);
	set_xreg(&c->state, d->ra, v[1]);
	return EXEC_NEXT;
}

static inline int store_excl_pair(struct cpu *c, const struct dinsn *d)
{
	struct cpu_engine *e = c->engine;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	uint8_t *h = excl_ptr(c, d, size, ACC_WRITE);
	bool ok = false;

	if (!h)
		return EXEC_STOP;
	if (excl_armed(e, h, size)) {
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
	set_xreg(&c->state, d->rm, ok ? 0 : 1);
	return EXEC_NEXT;
}

static int exec_LDXP(struct cpu *c, const struct dinsn *d) { return load_excl_pair(c, d); }
static int exec_LDAXP(struct cpu *c, const struct dinsn *d) { return load_excl_pair(c, d); }
static int exec_STXP(struct cpu *c, const struct dinsn *d) { return store_excl_pair(c, d); }
static int exec_STLXP(struct cpu *c, const struct dinsn *d) { return store_excl_pair(c, d); }

static int exec_CLREX(struct cpu *c, const struct dinsn *d)
{
	excl_clear(c);
	return EXEC_NEXT;
}

/* ---- LSE ------------------------------------------------------------------------ */

#define RMW_ACC	(ACC_RMW | ACC_WRITE | ACC_ALIGN)

/* The host location of an atomic read-modify-write of size bytes at [Xn],
 * or NULL when an exception was taken or an exit is needed. */
static uint8_t *rmw_ptr(struct cpu *c, const struct dinsn *d, unsigned int size)
{
	uint32_t acc = RMW_ACC | acc_sp_notag(d->rn, false);
	uint64_t addr;

	if (base_of(c, d->rn, &addr) || lse2_align(c, addr, size, false, &acc))
		return NULL;
	return mem_host_ptr(c, addr, size, acc);
}

static inline int cas(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t expect, mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	uint8_t *h = rmw_ptr(c, d, size);

	if (!h)
		return EXEC_STOP;
	expect = xreg(s, d->rm) & mask;
	host_cas(h, size, &expect, xreg(s, d->rd));
	set_xreg(s, d->rm, expect & mask);
	return EXEC_NEXT;
}

static int exec_CAS(struct cpu *c, const struct dinsn *d) { return cas(c, d); }
static int exec_CASA(struct cpu *c, const struct dinsn *d) { return cas(c, d); }
static int exec_CASL(struct cpu *c, const struct dinsn *d) { return cas(c, d); }
static int exec_CASAL(struct cpu *c, const struct dinsn *d) { return cas(c, d); }

/* Rs and Rt name even-numbered register pairs */
static bool prep_casp(struct dinsn *d)
{
	return !(d->rd & 1) && !(d->rm & 1);
}

static inline int casp(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	bool x = BIT(d->insn, 30);
	unsigned int size = x ? 16 : 8;
	unsigned int rs = d->rm, rt = d->rd;
	uint8_t *h = rmw_ptr(c, d, size);

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

static int exec_CASP(struct cpu *c, const struct dinsn *d) { return casp(c, d); }
static int exec_CASPA(struct cpu *c, const struct dinsn *d) { return casp(c, d); }
static int exec_CASPL(struct cpu *c, const struct dinsn *d) { return casp(c, d); }
static int exec_CASPAL(struct cpu *c, const struct dinsn *d) { return casp(c, d); }

/*
 * LD<op> and SWP: [Xn] <- op(old, Rs) as a host compare-and-swap loop, Rt
 * <- old (ST<op> is LD<op> with Rt = XZR).  op gets the old value and the
 * operand masked to the access size (bits = 8 * size) and returns the new.
 */
typedef uint64_t (*lse_op)(uint64_t old, uint64_t v, unsigned int bits);

static ALWAYS_INLINE int lse_rmw(struct cpu *c, const struct dinsn *d, lse_op op)
{
	struct cpu_state *s = &c->state;
	unsigned int size = 1u << SZ_LOG2(d);
	uint64_t mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	uint64_t v = xreg(s, d->rm) & mask, old;
	uint8_t *h = rmw_ptr(c, d, size);

	if (!h)
		return EXEC_STOP;
	old = load_any(h, size);
	for (;;) {
		uint64_t expect = old;

		if (host_cas(h, size, &expect, op(old, v, 8 * size) & mask))
			break;
		old = expect;
	}
	set_xreg(s, d->rd, old);
	return EXEC_NEXT;
}

static inline uint64_t op_add(uint64_t o, uint64_t v, unsigned int bits) { return o + v; }
static inline uint64_t op_clr(uint64_t o, uint64_t v, unsigned int bits) { return o & ~v; }
static inline uint64_t op_eor(uint64_t o, uint64_t v, unsigned int bits) { return o ^ v; }
static inline uint64_t op_set(uint64_t o, uint64_t v, unsigned int bits) { return o | v; }
static inline uint64_t op_swp(uint64_t o, uint64_t v, unsigned int bits) { return v; }

static inline uint64_t op_smax(uint64_t o, uint64_t v, unsigned int bits)
{
	return sext(o, bits) > sext(v, bits) ? o : v;
}

static inline uint64_t op_smin(uint64_t o, uint64_t v, unsigned int bits)
{
	return sext(o, bits) < sext(v, bits) ? o : v;
}

static inline uint64_t op_umax(uint64_t o, uint64_t v, unsigned int bits)
{
	return o > v ? o : v;
}

static inline uint64_t op_umin(uint64_t o, uint64_t v, unsigned int bits)
{
	return o < v ? o : v;
}

/* NAME, NAMEA, NAMEL, NAMEAL: the orderings of one operation */
#define LSE_ROWS(name, op)							\
static int exec_##name(struct cpu *c, const struct dinsn *d) { return lse_rmw(c, d, op); } \
static int exec_##name##A(struct cpu *c, const struct dinsn *d) { return lse_rmw(c, d, op); } \
static int exec_##name##L(struct cpu *c, const struct dinsn *d) { return lse_rmw(c, d, op); } \
static int exec_##name##AL(struct cpu *c, const struct dinsn *d) { return lse_rmw(c, d, op); }

LSE_ROWS(LDADD, op_add)
LSE_ROWS(LDCLR, op_clr)
LSE_ROWS(LDEOR, op_eor)
LSE_ROWS(LDSET, op_set)
LSE_ROWS(LDSMAX, op_smax)
LSE_ROWS(LDSMIN, op_smin)
LSE_ROWS(LDUMAX, op_umax)
LSE_ROWS(LDUMIN, op_umin)
LSE_ROWS(SWP, op_swp)

#define INSN_CLASS	atomic
#define INSN_DEF	"insn/atomic.def"
#include "a64_table.h"
