/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cases of tests/pauthdiff, made the same way by the bare-metal guest
 * (qemu-system-aarch64 -cpu max, which implements FEAT_PAuth with QARMA5)
 * and by the host (kernel/cpu/pauth.c): one splitmix64 stream.
 */
#ifndef TESTS_PAUTHDIFF_PACGEN_H
#define TESTS_PAUTHDIFF_PACGEN_H

#include <stdint.h>

#define PAC_NR_RESULTS	16	/* results per case, in this order: */
/* PACIA PACIB PACDA PACDB AUTIA(PACIA) AUTDB(PACDB ^ flip) AUTIB XPACI XPACD PACGA
 * PACDZB PACIA1716 PACIBSP(SP = mod & ~15) XPACLRI
 * and, when T0SZ <= 33 (the guest's addresses are good lower-range
 * pointers; 0 otherwise), pac_branches() of start.S: BRAA, BLRAA (and its
 * link), RETAA, ERETAA landing (PAC_LANDED), LDRAA [PACDZA(buf), #8] ^ LDRAB
 * [PACDZB(buf), #16]! ^ the writeback's offset, with buf[i] = i (PAC_LDRA) */
#define PAC_LANDED	0x1fULL
#define PAC_LDRA	(1ULL ^ 2ULL ^ 16ULL)

/*
 * A run's seed and number of cases, which the host puts at PAC_PARAM_VA
 * (QEMU's generic loader, vkvm's guest RAM): magic, seed, cases.  Without
 * the magic, the guest runs PAC_SEED and PAC_CASES.
 */
#define PAC_PARAM_VA	0x40f00000ULL
#define PAC_PARAM_MAGIC	0x7061757468706172ULL
#define PAC_SEED	0x5eedULL
#define PAC_CASES	10000u


struct pac_case {
	uint64_t key[10];	/* IA lo, hi; IB; DA; DB; GA */
	uint64_t tcr, ptr, mod, flip;
};

static inline int pac_case_low(const struct pac_case *c)
{
	return (c->tcr & 0x3f) <= 33;
}

static inline uint64_t pac_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* TCR_EL1: T0SZ/T1SZ in [16, 39], TBI0/TBI1/TBID0/TBID1 at random */
static inline void pac_case_make(uint64_t *s, struct pac_case *c)
{
	uint64_t r, top;
	unsigned int i;

	for (i = 0; i < 10; i++)
		c->key[i] = pac_rand(s);
	r = pac_rand(s);
	c->tcr = (16 + (r & 0xff) % 24) | (16 + ((r >> 8) & 0xff) % 24) << 16 |
		 ((r >> 16) & 3ULL) << 37 | ((r >> 18) & 3ULL) << 51;
	c->ptr = pac_rand(s);
	/* mostly pointers with good extension bits in either range */
	switch ((r >> 20) & 3) {
	case 0:
		break;
	case 1:
		c->ptr &= 0x0000ffffffffffffULL >> ((r >> 24) & 15);
		break;
	default:
		top = 0x0000ffffffffffffULL >> ((r >> 24) & 15);
		c->ptr = (c->ptr & top) | ~top;
		if ((r >> 28) & 1)	/* a tag in the top byte */
			c->ptr ^= pac_rand(s) & 0xff00000000000000ULL;
		break;
	}
	c->mod = (r >> 30) & 1 ? pac_rand(s) : (r >> 32) & 0xffff;
	c->flip = (r >> 40) & 1 ? 0 : 1ULL << ((r >> 48) & 63);
}

#endif
