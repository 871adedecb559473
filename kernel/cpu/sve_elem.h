/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVE element and predicate access and the SVE access check, for the
 * SVE classes' handlers (exec_sve.c, exec_svefp.c).
 *
 * Element sizes are log2 bytes (0 B, 1 H, 2 S, 3 D).  Z<n> is
 * state->z[n], P<n> state->p[n], one bit per byte of a vector,
 * little-endian.  A write of a Z or P register writes the effective length
 * and zeroes the rest.
 */
#ifndef VKVM_CPU_SVE_ELEM_H
#define VKVM_CPU_SVE_ELEM_H

#include "vreg.h"
#include "sve.h"

/* CheckSVEEnabled() (cpu_sve_trap); no SVE on the vCPU: UNDEFINED. */
static inline bool sve_access_ok(struct cpu *c)
{
	int r;

	if (!c->sve_max_vq) {
		raise_undef(c);
		return false;
	}
	r = cpu_sve_trap(&c->state, false);
	if (likely(r == SYSREG_OK))
		return true;
	raise_fp_trap(c, r);
	return false;
}

/* the access check, then vl: the effective vector length in bytes */
#define SVE_ENTER(c, vl)						\
	do {								\
		if (!sve_access_ok(c))					\
			return EXEC_STOP;				\
		(vl) = sve_vl(c);					\
	} while (0)

#define PG3(d)		FIELD((d)->insn, 12, 10)
#define SIZE(d)		FIELD((d)->insn, 23, 22)

#define SVE_INLINE	static ALWAYS_INLINE

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

static inline void zwrite(struct cpu_state *s, unsigned int n, const uint8_t *v,
			  unsigned int vl)
{
	memcpy(s->z[n], v, vl);
	memset(s->z[n] + vl, 0, CPU_ZREG_BYTES - vl);
}

static inline void pwrite(uint8_t *dst, const uint8_t *v, unsigned int vl)
{
	memcpy(dst, v, vl / 8);
	memset(dst + vl / 8, 0, CPU_PREG_BYTES - vl / 8);
}

#endif
