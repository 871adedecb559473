// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder: instruction patterns are data (each exec_*.c file exports a
 * table of {mask, match, handler, prep}); decoding a word finds its pattern
 * and extracts the fields once.  A decoded instruction depends on nothing
 * but its word, which is what lets the decode cache (run.c) validate an
 * entry by comparing words.
 */
#include "internal.h"

extern const struct insn_table fp_insns, simd_insns;	/* exec_fp.c, exec_simd.c */
extern const struct insn_table sve_insns;		/* exec_sve.c */

static const struct insn_table *const tables[] = {
	&branch_insns, &dp_insns, &ldst_insns, &atomic_insns, &sys_insns,
	&sysinsn_insns, &fp_insns, &simd_insns, &sve_insns,
};

static const struct insn_pattern *find_pattern(uint32_t insn)
{
	unsigned int t, i;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; i < tables[t]->nr; i++) {
			const struct insn_pattern *p = &tables[t]->pat[i];

			if ((insn & p->mask) == p->match)
				return p;
		}
	return NULL;
}

static const struct thread_table *const thread_tables[] = {
	&branch_threaded, &dp_threaded, &ldst_threaded,
};

/* The threaded entry for a handler: its own, or the generic one. */
exec_fn decode_tfn(exec_fn fn)
{
	unsigned int t, i;

	for (t = 0; t < sizeof(thread_tables) / sizeof(thread_tables[0]); t++)
		for (i = 0; i < thread_tables[t]->nr; i++)
			if (thread_tables[t]->map[i].fn == fn)
				return thread_tables[t]->map[i].tfn;
	return thread_generic;
}

void decode_insn(struct dinsn *d, uint32_t insn)
{
	const struct insn_pattern *p = find_pattern(insn);

	d->insn = insn;
	d->rd = insn & 31;
	d->rn = (insn >> 5) & 31;
	d->rm = (insn >> 16) & 31;
	d->ra = (insn >> 10) & 31;
	d->imm = 0;
	d->aux = 0;
	d->fn = p ? p->fn : exec_undef;
	if (p && p->prep && !p->prep(d))
		d->fn = exec_undef;
	d->tfn = decode_tfn(d->fn);
}

const char *insn_name(uint32_t insn)
{
	const struct insn_pattern *p = find_pattern(insn);

	return p ? p->name : "undefined";
}

/* NZCV values (bit index N:Z:C:V) for which each condition holds. */
static uint16_t cond_mask(unsigned int cond)
{
	uint16_t m = 0;
	unsigned int f;

	for (f = 0; f < 16; f++) {
		bool n = f & 8, z = f & 4, c = f & 2, v = f & 1, r;

		switch (cond >> 1) {
		case 0: r = z; break;
		case 1: r = c; break;
		case 2: r = n; break;
		case 3: r = v; break;
		case 4: r = c && !z; break;
		case 5: r = n == v; break;
		case 6: r = n == v && !z; break;
		default: r = true; break;
		}
		if ((cond & 1) && cond != 15)
			r = !r;
		if (r)
			m |= (uint16_t)(1u << f);
	}
	return m;
}

const uint16_t cond_table[16] = {
	0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
	0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};

/* Checked once at start-up in debug builds' tests: see tests/cpu. */
bool cond_table_ok(void);
bool cond_table_ok(void)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (cond_table[i] != cond_mask(i))
			return false;
	return true;
}
