// SPDX-License-Identifier: GPL-2.0
/*
 * Pointer authentication (Arm ARM, "Pointer authentication" and the
 * shared pseudocode library's ComputePAC, AddPAC, Auth, Strip): the
 * architected QARMA5 cipher, as ID_AA64ISAR1_EL1.APA = GPA = 1 advertise
 * (FEAT_PAuth without EPAC, PAuth2 or FPAC: a failed authentication
 * inserts the error code, no exception).
 *
 * The 64-bit state is sixteen 4-bit cells, cell i in bits [4i+3:4i].
 * Every cell permutation is a table and its inverse is computed from it,
 * so that each of the Arm ARM's tables is written down once; the linear
 * steps then run from byte tables made of them (see linear()).
 */
#include <pthread.h>

#include "internal.h"
#include "pauth.h"

/* PACCellShuffle: output cell i is input cell shuffle[i] */
static const uint8_t shuffle[16] = { 13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15 };
/* TweakShuffle: output cell i is input cell tweak[i], TweakCellRot'ed if tweak_rot bit i */
static const uint8_t tweak[16] = { 4, 5, 6, 7, 11, 2, 3, 8, 12, 13, 14, 15, 0, 1, 10, 9 };
#define TWEAK_ROT	0xd894u		/* cells 2, 4, 7, 11, 12, 14, 15 */
/* PACSub's S-box */
static const uint8_t sbox[16] = { 0xb, 0x6, 0x8, 0xf, 0xc, 0x0, 0x9, 0xe,
				  0x3, 0x7, 0x4, 0x5, 0xd, 0x2, 0x1, 0xa };
/* RC[0..4] and Alpha */
static const uint64_t rc[5] = {
	0x0000000000000000ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
	0x082efa98ec4e6c89ULL, 0x452821e638d01377ULL,
};
#define ALPHA	0xc0ac29b7c97c50ddULL

static uint8_t inv_shuffle[16], inv_sbox[16];
static uint8_t sub8[256], inv_sub8[256];

static inline unsigned int cell(uint64_t x, unsigned int i)
{
	return (unsigned int)(x >> (4 * i)) & 15;
}

static uint64_t permute(uint64_t x, const uint8_t *from)
{
	uint64_t o = 0;
	unsigned int i;

	for (i = 0; i < 16; i++)
		o |= (uint64_t)cell(x, from[i]) << (4 * i);
	return o;
}

static uint64_t sub(uint64_t x, const uint8_t *t8)
{
	uint64_t o = 0;
	unsigned int i;

	for (i = 0; i < 64; i += 8)
		o |= (uint64_t)t8[(x >> i) & 0xff] << i;
	return o;
}

/* RotCell: a cell rotated left by n */
static inline unsigned int rot_cell(unsigned int c, unsigned int n)
{
	return ((c << n) | (c >> (4 - n))) & 15;
}

/* PACMult: the MixColumns of QARMA over the four columns {i, i+4, i+8, i+12} */
static uint64_t mult(uint64_t x)
{
	uint64_t o = 0;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		unsigned int c0 = cell(x, i), c4 = cell(x, i + 4);
		unsigned int c8 = cell(x, i + 8), c12 = cell(x, i + 12);
		unsigned int t0 = rot_cell(c8, 1) ^ rot_cell(c4, 2) ^ rot_cell(c0, 1);
		unsigned int t1 = rot_cell(c12, 1) ^ rot_cell(c4, 1) ^ rot_cell(c0, 2);
		unsigned int t2 = rot_cell(c12, 2) ^ rot_cell(c8, 1) ^ rot_cell(c0, 1);
		unsigned int t3 = rot_cell(c12, 1) ^ rot_cell(c8, 2) ^ rot_cell(c4, 1);

		o |= (uint64_t)t3 << (4 * i) | (uint64_t)t2 << (4 * (i + 4)) |
		     (uint64_t)t1 << (4 * (i + 8)) | (uint64_t)t0 << (4 * (i + 12));
	}
	return o;
}

/* TweakCellRot: an LFSR step on one cell */
static inline unsigned int tweak_rot(unsigned int c)
{
	return (c >> 1) | (((c ^ (c >> 1)) & 1) << 3);
}

static uint64_t tweak_shuffle(uint64_t x)
{
	uint64_t o = 0;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		unsigned int c = cell(x, tweak[i]);

		o |= (uint64_t)((TWEAK_ROT >> i) & 1 ? tweak_rot(c) : c) << (4 * i);
	}
	return o;
}

/*
 * Every step but the S-box is linear over GF(2): each is run as the XOR of
 * its images of the eight bytes (a table of 8 x 256 words), made once from
 * the functions above.  ~10 times faster than cell by cell.  The S-box
 * works on each cell alone, so a linear step that follows it takes it
 * into its table too (L_MSS: MixColumns(Shuffle(Sub(x)))); where a key or
 * tweak word is XORed in between, the linear step of that word is a
 * separate term, off the cipher's chain of dependent lookups (qarma5()).
 */
enum { L_MS, L_ISH, L_TWEAK, L_MSS, L_ISH_MSS, L_ISMIS, NR_LIN };
static uint64_t lin[NR_LIN][8][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* The linear part of table t */
static uint64_t lin_ref(unsigned int t, uint64_t x)
{
	switch (t) {
	case L_MS:
	case L_MSS: return mult(permute(x, shuffle));
	case L_ISH: return permute(x, inv_shuffle);
	case L_TWEAK: return tweak_shuffle(x);
	case L_ISH_MSS: return permute(mult(permute(x, shuffle)), inv_shuffle);
	default: return permute(mult(x), inv_shuffle);	/* L_ISMIS */
	}
}

static void tables_init(void)
{
	unsigned int i, t, b;

	for (i = 0; i < 16; i++) {
		inv_shuffle[shuffle[i]] = (uint8_t)i;
		inv_sbox[sbox[i]] = (uint8_t)i;
	}
	for (i = 0; i < 256; i++) {
		sub8[i] = (uint8_t)(sbox[i & 15] | sbox[i >> 4] << 4);
		inv_sub8[i] = (uint8_t)(inv_sbox[i & 15] | inv_sbox[i >> 4] << 4);
	}
	for (t = 0; t < NR_LIN; t++)
		for (b = 0; b < 8; b++)
			for (i = 0; i < 256; i++) {
				/* the S-box first, byte by byte, where the table takes it */
				unsigned int in = t == L_MSS || t == L_ISH_MSS ? sub8[i] :
						  t == L_ISMIS ? inv_sub8[i] : i;

				lin[t][b][i] = lin_ref(t, (uint64_t)in << (8 * b));
			}
}

static inline uint64_t linear(unsigned int t, uint64_t x)
{
	const uint64_t (*l)[256] = lin[t];

	return l[0][x & 0xff] ^ l[1][(x >> 8) & 0xff] ^ l[2][(x >> 16) & 0xff] ^
	       l[3][(x >> 24) & 0xff] ^ l[4][(x >> 32) & 0xff] ^ l[5][(x >> 40) & 0xff] ^
	       l[6][(x >> 48) & 0xff] ^ l[7][x >> 56];
}

static uint64_t qarma5(uint64_t data, uint64_t modifier, struct pac_key k);

/*
 * The cipher is a pure function of its four inputs, and a guest asks the
 * same question twice in a row (PACIASP signs LR at a function's entry,
 * AUTIASP checks the same LR, SP and key at its return) and again on the
 * next call from the same site: a direct-mapped memo per host thread (one
 * per vCPU), tagged with every input, so that a key change needs no flush.
 * Linux 6.1 signs every non-leaf return: its boot to power-off took 4.4 s
 * with the cipher alone, 2.8 s without pointer authentication.  That boot
 * asks 11 million times: 256 entries missed 1.24 million, 4,096 (192 KiB
 * a thread) miss 0.45 million.
 */
#define PAC_MEMO_BITS	12
static _Thread_local struct pac_memo {
	uint64_t data, modifier, hi, lo, pac;
	bool valid;
} pac_memo[1u << PAC_MEMO_BITS];

uint64_t pac_compute(uint64_t data, uint64_t modifier, struct pac_key k)
{
	uint64_t h = (data ^ (modifier * 0x9e3779b97f4a7c15ULL) ^ k.lo) *
		     0xff51afd7ed558ccdULL;
	struct pac_memo *m = &pac_memo[h >> (64 - PAC_MEMO_BITS)];

	if (!m->valid || m->data != data || m->modifier != modifier ||
	    m->hi != k.hi || m->lo != k.lo) {
		m->pac = qarma5(data, modifier, k);
		m->data = data;
		m->modifier = modifier;
		m->hi = k.hi;
		m->lo = k.lo;
		m->valid = true;
	}
	return m->pac;
}

/*
 * ComputePAC, its rounds regrouped: v is the state before each S-box not
 * yet applied.  The forward rounds are w = Sub(MixColumns(Shuffle(w ^ t)))
 * with t = key1 ^ tweak ^ RC[i], so v' = L_MSS(v) ^ L_MS(t); the centre
 * and the backward rounds likewise; the tweak's schedule is computed
 * once, forward, as the backward rounds undo its steps in reverse order.
 */
static uint64_t qarma5(uint64_t data, uint64_t modifier, struct pac_key k)
{
	uint64_t key0 = k.hi, key1 = k.lo;
	uint64_t modk0, mod[6], v;
	int i;

	pthread_once(&tables_once, tables_init);
	/* modk0 = key0<0>:key0<63:2>:(key0<63> EOR key0<1>) */
	modk0 = (key0 << 63) | ((key0 >> 2) << 1) | (((key0 >> 63) ^ (key0 >> 1)) & 1);
	mod[0] = modifier;
	for (i = 0; i < 5; i++)
		mod[i + 1] = linear(L_TWEAK, mod[i]);
	v = data ^ key0 ^ key1 ^ mod[0] ^ rc[0];
	for (i = 1; i < 5; i++)
		v = linear(L_MSS, v) ^ linear(L_MS, key1 ^ mod[i] ^ rc[i]);
	/* the centre: Sub(MS(w ^ modk0 ^ mod)), MS, ^ key1, InvShuffle, InvSub, Mult, InvShuffle */
	v = linear(L_MSS, v) ^ linear(L_MS, modk0 ^ mod[5]);
	v = linear(L_ISH_MSS, v) ^ linear(L_ISH, key1);
	v = linear(L_ISMIS, v) ^ key0 ^ mod[5];
	for (i = 0; i < 4; i++)
		v = linear(L_ISMIS, v) ^ rc[4 - i] ^ key1 ^ mod[4 - i] ^ ALPHA;
	v = sub(v, inv_sub8) ^ rc[0] ^ key1 ^ mod[0] ^ ALPHA;
	return v ^ modk0;
}

/* ---- AddPAC, Auth, Strip for the EL1&0 regime ---------------------------------- */

#define TCR_TBI0	(1ULL << 37)
#define TCR_TBI1	(1ULL << 38)
#define TCR_TBID0	(1ULL << 51)
#define TCR_TBID1	(1ULL << 52)

bool pac_tbi(const struct cpu_state *s, uint64_t ptr, bool data)
{
	uint64_t tcr = cpu_regime_tcr(s);
	bool upper = (ptr >> 55) & 1;

	if (!(tcr & (upper ? TCR_TBI1 : TCR_TBI0)))
		return false;
	return data || !(tcr & (upper ? TCR_TBID1 : TCR_TBID0));
}

/*
 * CalculateBottomPACBit: 64 - TxSZ of the half selbit names, TxSZ forced
 * into [16, 39] as the translation (mmu.c) forces it (no FEAT_TTST, LVA).
 */
static unsigned int bottom_pac_bit(const struct cpu_state *s, bool selbit)
{
	uint64_t tcr = cpu_regime_tcr(s);
	unsigned int tsz = (unsigned int)(tcr >> (selbit ? 16 : 0)) & 0x3f;

	if (tsz < 16)
		tsz = 16;
	if (tsz > 39)
		tsz = 39;
	return 64 - tsz;
}

/* Bits [hi:lo], inclusive, as a mask. */
static inline uint64_t bits(unsigned int hi, unsigned int lo)
{
	return (~0ULL >> (63 - hi)) & (~0ULL << lo);
}

/* The pointer with its extension field [top:bottom] all copies of selbit */
static uint64_t extend(uint64_t ptr, bool tbi, bool selbit, unsigned int bottom)
{
	uint64_t field = bits(tbi ? 55 : 63, bottom);

	return selbit ? ptr | field : ptr & ~field;
}

/* AddPAC; *wf: the extension field was well formed (Auth of the result gives ptr) */
static uint64_t add(const struct cpu_state *s, uint64_t ptr, uint64_t modifier,
		    struct pac_key k, bool data, bool *wf)
{
	uint64_t tcr = cpu_regime_tcr(s);
	bool tbi = pac_tbi(s, ptr, data), selbit;
	unsigned int top = tbi ? 55 : 63, bottom;
	uint64_t pac, field;

	/*
	 * Two VA ranges: bit 55 selects the range whenever the top byte may
	 * be a tag for this kind of address in either range.
	 */
	if (data)
		selbit = (tcr & (TCR_TBI0 | TCR_TBI1)) ? (ptr >> 55) & 1 : ptr >> 63;
	else
		selbit = (((tcr & TCR_TBI1) && !(tcr & TCR_TBID1)) ||
			  ((tcr & TCR_TBI0) && !(tcr & TCR_TBID0))) ?
			 (ptr >> 55) & 1 : ptr >> 63;
	bottom = bottom_pac_bit(s, selbit);
	pac = pac_compute(extend(ptr, tbi, selbit, bottom), modifier, k);
	/* bad extension bits: the PAC is corrupted, so that Auth fails */
	field = ptr & bits(top, bottom);
	*wf = !field || field == bits(top, bottom);
	if (!*wf)
		pac ^= 1ULL << (top - 1);
	field = bits(54, bottom) | (tbi ? 0 : bits(63, 56));
	return (ptr & ~(field | 1ULL << 55)) | (pac & field) | (uint64_t)selbit << 55;
}

uint64_t pac_add(const struct cpu_state *s, uint64_t ptr, uint64_t modifier,
		 struct pac_key k, bool data)
{
	bool wf;

	return add(s, ptr, modifier, k, data, &wf);
}

uint64_t pac_auth(const struct cpu_state *s, uint64_t ptr, uint64_t modifier,
		  struct pac_key k, bool data, bool key_b)
{
	bool tbi = pac_tbi(s, ptr, data), selbit = (ptr >> 55) & 1;
	unsigned int bottom = bottom_pac_bit(s, selbit);
	uint64_t orig = extend(ptr, tbi, selbit, bottom);
	uint64_t pac = pac_compute(orig, modifier, k);
	uint64_t field = bits(54, bottom) | (tbi ? 0 : bits(63, 56));
	uint64_t err = key_b ? 2 : 1;	/* key_number:NOT(key_number) */

	if (!((pac ^ ptr) & field))
		return orig;
	if (tbi)
		return (orig & ~bits(54, 53)) | err << 53;
	return (orig & ~bits(62, 61)) | err << 61;
}

/*
 * The first-level memo (pac_op): AddPAC and Auth whole, in front of the
 * cipher's memo.  Their result is a function of the pointer, the modifier,
 * the operation, the key and the TCR bits read above (TBI, TBID, TxSZ);
 * the key and those bits are named by a context number, so that an entry
 * is 32 bytes and a hit compares three words (1,024 entries, 32 KiB).  A
 * context is found among the last few (Linux installs a task's kernel
 * keys at each switch); numbers are never reused, so a key write needs no
 * flush: the next operation sees other key words, a new context, and
 * misses.
 *
 * PACIASP at a function's entry and AUTIASP at its return nest as calls
 * do: each AddPAC of a well-formed pointer (its extension field all 0 or
 * all 1) pushes, on a small per-thread stack, the Auth question that
 * would undo it and its answer, the pointer signed: with the same context
 * Auth recomputes the same PAC over the same extended pointer and
 * returns it (add()'s wf).  An Auth first looks at the top few entries;
 * whatever does not nest (a context switch, a longjmp) falls through to
 * the memo.  Debian's Linux 6.1 to power-off asks 11.0 million: the
 * memo alone missed 1.77 million (256 entries 3.0 million, 4,096 1.05
 * million); with the stack, the stack answers 5.48 million (all but a
 * few hundred Auths), the memo misses 0.65 million AddPACs, and 0.37
 * million ciphers are computed (2026-12-07).
 */
#define PAC_L1_BITS	10
#define PAC_CTXS	16
#define PAC_STACK	64	/* entries, a power of 2 */
#define PAC_STACK_LOOK	4	/* entries an Auth looks at */
#define PAC_OP_WF	8u	/* in an entry's tag: the AddPAC's pointer was well formed */
#define TCR_PAC_BITS	(0x3fULL | 0x3fULL << 16 | TCR_TBI0 | TCR_TBI1 | TCR_TBID0 | TCR_TBID1)

struct pac_ctx {
	uint64_t hi, lo, tcr, id;
};

/* A memo entry, or a stack entry (result: the Auth of ptr) */
struct pac_l1_entry {
	uint64_t ptr, modifier, tag, result;
};

static _Thread_local struct pac_l1 {
	struct pac_ctx ctx[PAC_CTXS];
	unsigned int last, victim, top;
	uint64_t next_id;
	struct pac_l1_entry stack[PAC_STACK];
	struct pac_l1_entry e[1u << PAC_L1_BITS];
} pac_l1;

static __attribute__((noinline)) struct pac_ctx *pac_ctx_find(struct pac_l1 *l, struct pac_key k,
							      uint64_t tcr)
{
	struct pac_ctx *x;
	unsigned int i;

	for (i = 0; i < PAC_CTXS; i++) {
		x = &l->ctx[i];
		if (x->id && x->hi == k.hi && x->lo == k.lo && x->tcr == tcr)
			goto found;
	}
	i = l->victim;
	l->victim = (i + 1) % PAC_CTXS;
	x = &l->ctx[i];
	*x = (struct pac_ctx){ .hi = k.hi, .lo = k.lo, .tcr = tcr, .id = ++l->next_id };
found:
	l->last = i;
	return x;
}

uint64_t pac_op(const struct cpu_state *s, unsigned int op, uint64_t ptr, uint64_t modifier,
		struct pac_key k)
{
	struct pac_l1 *l = &pac_l1;
	uint64_t tcr = cpu_regime_tcr(s) & TCR_PAC_BITS, tag, r;
	struct pac_ctx *x = &l->ctx[l->last];
	struct pac_l1_entry *e;
	unsigned int i;
	bool wf;

	if (unlikely(x->hi != k.hi || x->lo != k.lo || x->tcr != tcr || !x->id))
		x = pac_ctx_find(l, k, tcr);
	/* ids start at 1: a zeroed entry's tag 0 never matches */
	tag = x->id << 4 | op;
	if (op & PAC_OP_AUTH) {
		for (i = 0; i < PAC_STACK_LOOK; i++) {
			e = &l->stack[(l->top - i) % PAC_STACK];
			if (e->ptr == ptr && e->modifier == modifier && e->tag == tag) {
				l->top -= i + 1;
				return e->result;
			}
		}
	}
	e = &l->e[((ptr ^ (modifier * 0x9e3779b97f4a7c15ULL) ^ op) * 0xff51afd7ed558ccdULL) >>
		  (64 - PAC_L1_BITS)];
	if (likely(e->ptr == ptr && e->modifier == modifier && (e->tag & ~(uint64_t)PAC_OP_WF) == tag)) {
		r = e->result;
		wf = e->tag & PAC_OP_WF;
	} else if (op & PAC_OP_AUTH) {
		r = pac_auth(s, ptr, modifier, k, op & PAC_OP_DATA, op & PAC_OP_KEY_B);
		*e = (struct pac_l1_entry){ .ptr = ptr, .modifier = modifier, .tag = tag, .result = r };
		return r;
	} else {
		r = add(s, ptr, modifier, k, op & PAC_OP_DATA, &wf);
		*e = (struct pac_l1_entry){ .ptr = ptr, .modifier = modifier,
					    .tag = tag | (wf ? PAC_OP_WF : 0), .result = r };
	}
	if (op & PAC_OP_AUTH)
		return r;
	if (wf)
		l->stack[++l->top % PAC_STACK] = (struct pac_l1_entry){
			.ptr = r, .modifier = modifier, .tag = tag | PAC_OP_AUTH, .result = ptr };
	return r;
}

uint64_t pac_strip(const struct cpu_state *s, uint64_t ptr, bool data)
{
	bool selbit = (ptr >> 55) & 1;

	return extend(ptr, pac_tbi(s, ptr, data), selbit, bottom_pac_bit(s, selbit));
}
