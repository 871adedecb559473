// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder: instructions are data (a64.def's classes, each one's rows
 * {mask, match, handler, prep} turned into a table by a64_table.h);
 * decoding a word finds its row and extracts the fields once.  A decoded instruction depends on nothing
 * but its word, which is what lets the decode cache (engine.c) validate an
 * entry by comparing words.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

static const struct insn_table *const tables[] = {
#define A64_CLASS(c)	&c##_insns,
#include "a64.def"
#undef A64_CLASS
};
#define NTABLES		(sizeof(tables) / sizeof(tables[0]))

/*
 * Indexes built once (decode_index_init):
 * - rows[]: every row in table order, with its fast forms;
 * - key_rows[k]: the rows that can match a word whose bits [31:21] are k,
 *   in table order, so that the first match is the same as a scan of
 *   every row;
 * - a hash of handler -> threaded entry, and one of threaded entries that
 *   do not end a block.
 */
#define KEY_SHIFT	21
#define KEY(w)		((w) >> KEY_SHIFT)
#define NKEYS		(1u << (32 - KEY_SHIFT))
#define TFN_HASH_SIZE	4096u		/* a power of two, > 2 * entries */

struct decode_row {
	const struct insn_pattern *p;
	const struct insn_fast *fast;	/* nfast fast forms of p, in order */
	unsigned int nfast;
	unsigned int index;		/* in table order */
};

static struct decode_row *rows;
static unsigned int nrows;
static const struct decode_row **key_rows[NKEYS];
static uint16_t key_nr[NKEYS];
static struct thread_map tfn_hash[TFN_HASH_SIZE];	/* by fn */
static exec_fn nopc_hash[TFN_HASH_SIZE];		/* by tfn */
static pthread_once_t decode_once = PTHREAD_ONCE_INIT;

static unsigned int fn_slot(exec_fn fn)
{
	uintptr_t h = (uintptr_t)fn;

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return (unsigned int)(h >> 40) & (TFN_HASH_SIZE - 1);
}

/*
 * Every key (bits [31:21]) a word matching row r can have: the row's fixed
 * key bits with each combination of its free ones (the subsets of free,
 * enumerated by sub = (sub - free) & free).  Counts them into key_nr[], or,
 * with fill, appends r to their key_rows[] lists.
 */
static void index_row(const struct decode_row *r, bool fill)
{
	uint32_t km = r->p->mask >> KEY_SHIFT;
	uint32_t fixed = (r->p->match >> KEY_SHIFT) & km;
	uint32_t free = ~km & (NKEYS - 1), sub = 0;

	do {
		unsigned int k = fixed | sub;

		if (fill)
			key_rows[k][key_nr[k]] = r;
		else if (key_nr[k] == UINT16_MAX)
			abort();
		key_nr[k]++;
		sub = (sub - free) & free;
	} while (sub);
}

static void *init_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();	/* start-up, once per process: a few hundred KiB */
	return p;
}

/* A class's fast forms of row p (consecutive in its table: see
 * a64_table.h, which keeps their .def order). */
static void row_fast(struct decode_row *r, const struct insn_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nfast; i++)
		if (t->fast[i].ref == r->p->fn) {
			if (!r->nfast)
				r->fast = &t->fast[i];
			else if (r->fast + r->nfast != &t->fast[i])
				abort();	/* a64_table.h keeps them together */
			r->nfast++;
		}
}

static void thread_add(exec_fn fn, exec_fn tfn, bool nopc)
{
	unsigned int k;

	for (k = fn_slot(fn); tfn_hash[k].fn && tfn_hash[k].fn != fn;
	     k = (k + 1) & (TFN_HASH_SIZE - 1))
		;
	if (tfn_hash[k].fn)
		return;		/* the first mapping wins, as a scan */
	tfn_hash[k] = (struct thread_map){ fn, tfn, nopc };
	if (!nopc)
		return;
	for (k = fn_slot(tfn); nopc_hash[k] && nopc_hash[k] != tfn;
	     k = (k + 1) & (TFN_HASH_SIZE - 1))
		;
	nopc_hash[k] = tfn;
}

static void decode_index_init(void)
{
	unsigned int t, i, k, n = 0;

	for (t = 0; t < NTABLES; t++)
		n += tables[t]->nr;
	rows = init_alloc(n, sizeof(*rows));
	for (t = 0; t < NTABLES; t++)
		for (i = 0; i < tables[t]->nr; i++) {
			struct decode_row *r = &rows[nrows];

			r->p = &tables[t]->pat[i];
			r->index = nrows++;
			row_fast(r, tables[t]);
		}
	/* Count each key's rows, then fill the lists row by row: each list
	 * comes out in table order, as a scan of every row would meet them */
	for (i = 0; i < nrows; i++)
		index_row(&rows[i], false);
	for (k = 0; k < NKEYS; k++) {
		key_rows[k] = init_alloc(key_nr[k], sizeof(*key_rows[k]));
		key_nr[k] = 0;
	}
	for (i = 0; i < nrows; i++)
		index_row(&rows[i], true);
	for (n = 0, t = 0; t < NTABLES; t++)
		n += tables[t]->nmap;
	if (n > TFN_HASH_SIZE / 2)
		abort();		/* grow TFN_HASH_SIZE */
	for (t = 0; t < NTABLES; t++)
		for (i = 0; i < tables[t]->nmap; i++)
			thread_add(tables[t]->map[i].fn, tables[t]->map[i].tfn,
				   tables[t]->map[i].nopc);
}

static const struct decode_row *find_row(uint32_t insn)
{
	unsigned int k = KEY(insn), i;

	pthread_once(&decode_once, decode_index_init);
	for (i = 0; i < key_nr[k]; i++) {
		const struct decode_row *r = key_rows[k][i];

		if ((insn & r->p->mask) == r->p->match)
			return r;
	}
	return NULL;
}

/* The threaded entry for a handler: its own, or the generic one. */
exec_fn decode_tfn(exec_fn fn)
{
	unsigned int k;

	pthread_once(&decode_once, decode_index_init);
	for (k = fn_slot(fn); tfn_hash[k].fn; k = (k + 1) & (TFN_HASH_SIZE - 1))
		if (tfn_hash[k].fn == fn)
			return tfn_hash[k].tfn;
	return thread_generic;
}

/* Does an entry with this threaded entry end a block?  All do but the
 * NOPC ones (decode.h). */
bool decode_tfn_ends_block(exec_fn tfn)
{
	unsigned int k;

	pthread_once(&decode_once, decode_index_init);
	for (k = fn_slot(tfn); nopc_hash[k]; k = (k + 1) & (TFN_HASH_SIZE - 1))
		if (nopc_hash[k] == tfn)
			return false;
	return true;
}

/*
 * Decode coverage, for the instruction fuzzer (tests/cpu/test_fuzz.c): when
 * decode_coverage is set, decode_insn() counts each word it decodes under
 * its row's index (rows numbered in table order, decode_pattern()),
 * undefined words at index decode_nr_patterns().  Decoding happens once per
 * word a block is built from, so this costs the engine's hot path nothing.
 * Not atomic: a fuzzer runs one vCPU.
 */
uint32_t *decode_coverage;
unsigned int decode_nr_patterns(void);
bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name);

unsigned int decode_nr_patterns(void)
{
	pthread_once(&decode_once, decode_index_init);
	return nrows;
}

bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name)
{
	pthread_once(&decode_once, decode_index_init);
	if (i >= nrows)
		return false;
	*mask = rows[i].p->mask;
	*match = rows[i].p->match;
	*name = rows[i].p->name;
	return true;
}

static void decode(struct dinsn *d, uint32_t insn, bool fast)
{
	const struct decode_row *r = find_row(insn);
	unsigned int i;

	d->insn = insn;
	d->rd = insn & 31;
	d->rn = (insn >> 5) & 31;
	d->rm = (insn >> 16) & 31;
	d->ra = (insn >> 10) & 31;
	d->imm = 0;
	d->aux = 0;
	d->fn = r ? r->p->fn : exec_undef;
	/* prep may pick a specialised handler, or refuse a reserved field value */
	if (r && r->p->prep && !r->p->prep(d)) {
		d->fn = exec_undef;
		r = NULL;
	}
	for (i = 0; fast && r && i < r->nfast; i++)
		if (r->fast[i].cond(d)) {
			d->fn = r->fast[i].fn;
			break;
		}
	d->tfn = decode_tfn(d->fn);
	if (unlikely(decode_coverage))
		decode_coverage[r ? r->index : nrows]++;
}

void decode_insn(struct dinsn *d, uint32_t insn)
{
	decode(d, insn, true);
}

void decode_insn_ref(struct dinsn *d, uint32_t insn)
{
	decode(d, insn, false);
}

/* The fast forms, for tests/cpu/test_engine: the i-th one's name, its
 * reference row's mask and match, and its condition. */
bool decode_fast(unsigned int i, const char **name, uint32_t *mask, uint32_t *match,
		 bool (**cond)(const struct dinsn *d), exec_fn *fn);
bool decode_fast(unsigned int i, const char **name, uint32_t *mask, uint32_t *match,
		 bool (**cond)(const struct dinsn *d), exec_fn *fn)
{
	unsigned int r;

	pthread_once(&decode_once, decode_index_init);
	for (r = 0; r < nrows; r++) {
		if (i >= rows[r].nfast) {
			i -= rows[r].nfast;
			continue;
		}
		*name = rows[r].fast[i].name;
		*mask = rows[r].p->mask;
		*match = rows[r].p->match;
		*cond = rows[r].fast[i].cond;
		*fn = rows[r].fast[i].fn;
		return true;
	}
	return false;
}

const char *insn_name(uint32_t insn)
{
	const struct decode_row *r = find_row(insn);

	return r ? r->p->name : "undefined";
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

/* find_row() and decode_tfn() agree with a scan of every row for n words
 * (random, and each row's own match word with its don't-care bits clear
 * and set). */
static const struct insn_pattern *scan_pattern(uint32_t insn)
{
	unsigned int t, i;

	for (t = 0; t < NTABLES; t++)
		for (i = 0; i < tables[t]->nr; i++)
			if ((insn & tables[t]->pat[i].mask) == tables[t]->pat[i].match)
				return &tables[t]->pat[i];
	return NULL;
}

static exec_fn scan_tfn(exec_fn fn)
{
	unsigned int t, i;

	for (t = 0; t < NTABLES; t++)
		for (i = 0; i < tables[t]->nmap; i++)
			if (tables[t]->map[i].fn == fn)
				return tables[t]->map[i].tfn;
	return thread_generic;
}

static bool word_ok(uint32_t w)
{
	const struct insn_pattern *p = scan_pattern(w);
	const struct decode_row *r = find_row(w);

	return (r ? r->p : NULL) == p && (!p || decode_tfn(p->fn) == scan_tfn(p->fn));
}

bool decode_index_ok(uint64_t seed, unsigned int n)
{
	unsigned int i;

	pthread_once(&decode_once, decode_index_init);
	for (i = 0; i < nrows; i++) {
		const struct insn_pattern *p = rows[i].p;

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
