// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder: instruction patterns are data (each exec_*.c file exports a
 * table of {mask, match, handler, prep}); decoding a word finds its pattern
 * and extracts the fields once.  A decoded instruction depends on nothing
 * but its word, which is what lets the decode cache (engine.c) validate an
 * entry by comparing words.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

extern const struct insn_table fp_insns, simd_insns;	/* exec_fp.c, exec_simd.c */
extern const struct insn_table sve_insns;		/* exec_sve.c */

static const struct insn_table *const tables[] = {
	&branch_insns, &dp_insns, &ldst_insns, &atomic_insns, &sys_insns,
	&sysinsn_insns, &fp_insns, &simd_insns, &sve_insns,
};

static const struct thread_table *const thread_tables[] = {
	&branch_threaded, &dp_threaded, &ldst_threaded,
};

/*
 * Indexes built once (decode_index_init): the patterns that can match a
 * word with bits [28:25] (the top-level encoding group) equal to k, in
 * table order, so that the first match is the same as a scan of every
 * table; and a hash of handler -> threaded entry.
 */
#define GROUP(w)	(((w) >> 25) & 0xf)
#define TFN_HASH_SIZE	1024u		/* a power of two, > 2 * entries */

static const struct insn_pattern **group_pat[16];
static unsigned int group_nr[16];
static struct thread_map tfn_hash[TFN_HASH_SIZE];
static pthread_once_t decode_once = PTHREAD_ONCE_INIT;

static unsigned int tfn_slot(exec_fn fn)
{
	uintptr_t h = (uintptr_t)fn;

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return (unsigned int)(h >> 40) & (TFN_HASH_SIZE - 1);
}

static bool pattern_in_group(const struct insn_pattern *p, unsigned int k)
{
	uint32_t gm = p->mask & (0xfu << 25);

	return ((k << 25) & gm) == (p->match & gm);
}

static void decode_index_init(void)
{
	unsigned int t, i, k, n;

	for (k = 0; k < 16; k++) {
		n = 0;
		for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (i = 0; i < tables[t]->nr; i++)
				n += pattern_in_group(&tables[t]->pat[i], k);
		group_pat[k] = calloc(n ? n : 1, sizeof(*group_pat[k]));
		if (!group_pat[k])
			abort();	/* start-up: a few KiB */
		for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (i = 0; i < tables[t]->nr; i++)
				if (pattern_in_group(&tables[t]->pat[i], k))
					group_pat[k][group_nr[k]++] = &tables[t]->pat[i];
	}
	for (n = 0, t = 0; t < sizeof(thread_tables) / sizeof(thread_tables[0]); t++)
		n += thread_tables[t]->nr;
	if (n > TFN_HASH_SIZE / 2)
		abort();		/* grow TFN_HASH_SIZE */
	for (t = 0; t < sizeof(thread_tables) / sizeof(thread_tables[0]); t++)
		for (i = 0; i < thread_tables[t]->nr; i++) {
			const struct thread_map *m = &thread_tables[t]->map[i];

			for (k = tfn_slot(m->fn); tfn_hash[k].fn && tfn_hash[k].fn != m->fn;
			     k = (k + 1) & (TFN_HASH_SIZE - 1))
				;
			if (!tfn_hash[k].fn)	/* the first mapping wins, as a scan */
				tfn_hash[k] = *m;
		}
}

static const struct insn_pattern *find_pattern(uint32_t insn)
{
	unsigned int k = GROUP(insn), i;

	pthread_once(&decode_once, decode_index_init);
	for (i = 0; i < group_nr[k]; i++) {
		const struct insn_pattern *p = group_pat[k][i];

		if ((insn & p->mask) == p->match)
			return p;
	}
	return NULL;
}

/* The threaded entry for a handler: its own, or the generic one. */
exec_fn decode_tfn(exec_fn fn)
{
	unsigned int k;

	pthread_once(&decode_once, decode_index_init);
	for (k = tfn_slot(fn); tfn_hash[k].fn; k = (k + 1) & (TFN_HASH_SIZE - 1))
		if (tfn_hash[k].fn == fn)
			return tfn_hash[k].tfn;
	return thread_generic;
}

/*
 * Decode coverage, for the instruction fuzzer (tests/cpu/test_fuzz.c): when
 * decode_coverage is set, decode_insn() counts each word it decodes under
 * its pattern's index (patterns numbered in table order, decode_pattern()),
 * undefined words at index decode_nr_patterns().  Decoding happens once per
 * word a block is built from, so this costs the engine's hot path nothing.
 * Not atomic: a fuzzer runs one vCPU.
 */
uint32_t *decode_coverage;
unsigned int decode_nr_patterns(void);
bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name);

unsigned int decode_nr_patterns(void)
{
	unsigned int t, n = 0;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		n += tables[t]->nr;
	return n;
}

bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name)
{
	unsigned int t;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		if (i < tables[t]->nr) {
			*mask = tables[t]->pat[i].mask;
			*match = tables[t]->pat[i].match;
			*name = tables[t]->pat[i].name;
			return true;
		}
		i -= tables[t]->nr;
	}
	return false;
}

static unsigned int pattern_index(const struct insn_pattern *p)
{
	unsigned int t, n = 0;

	for (t = 0; p && t < sizeof(tables) / sizeof(tables[0]); t++) {
		if (p >= tables[t]->pat && p < tables[t]->pat + tables[t]->nr)
			return n + (unsigned int)(p - tables[t]->pat);
		n += tables[t]->nr;
	}
	return decode_nr_patterns();
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
	/* prep may pick a specialised handler, or refuse a reserved field value */
	if (p && p->prep && !p->prep(d)) {
		d->fn = exec_undef;
		p = NULL;
	}
	d->tfn = decode_tfn(d->fn);
	if (unlikely(decode_coverage))
		decode_coverage[pattern_index(p)]++;
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

/* Self-checks for tests/cpu/test_engine: the tables above against the
 * definitions they are made from. */
bool cond_table_ok(void);
bool decode_index_ok(uint64_t seed, unsigned int n);
bool cond_table_ok(void)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (cond_table[i] != cond_mask(i))
			return false;
	return true;
}

/* find_pattern() and decode_tfn() agree with a scan of every table for n
 * words (random, and every group with each pattern's own match word). */
static const struct insn_pattern *scan_pattern(uint32_t insn)
{
	unsigned int t, i;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; i < tables[t]->nr; i++)
			if ((insn & tables[t]->pat[i].mask) == tables[t]->pat[i].match)
				return &tables[t]->pat[i];
	return NULL;
}

static exec_fn scan_tfn(exec_fn fn)
{
	unsigned int t, i;

	for (t = 0; t < sizeof(thread_tables) / sizeof(thread_tables[0]); t++)
		for (i = 0; i < thread_tables[t]->nr; i++)
			if (thread_tables[t]->map[i].fn == fn)
				return thread_tables[t]->map[i].tfn;
	return thread_generic;
}

static bool word_ok(uint32_t w)
{
	const struct insn_pattern *p = scan_pattern(w);

	return find_pattern(w) == p && (!p || decode_tfn(p->fn) == scan_tfn(p->fn));
}

bool decode_index_ok(uint64_t seed, unsigned int n)
{
	unsigned int t, i;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; i < tables[t]->nr; i++) {
			const struct insn_pattern *p = &tables[t]->pat[i];

			/* the pattern's word, and with the don't-care bits set */
			if (!word_ok(p->match) || !word_ok(p->match | ~p->mask))
				return false;
		}
	while (n--) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		if (!word_ok((uint32_t)seed) || !word_ok((uint32_t)(seed >> 32)))
			return false;
	}
	return true;
}
