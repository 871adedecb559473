// SPDX-License-Identifier: GPL-2.0
/*
 * The declared fast forms against their references (decode.h: FAST rows).
 * For every fast form decode_fast() lists, random words of its reference
 * row (with the register, shift and immediate fields biased towards 0, 1,
 * 31 and all-ones) are decoded with decode_insn() and decode_insn_ref();
 * where the fast decode picked that form, both handlers run on identical
 * copies of a random vCPU state (edge values in the registers, random or
 * lazy NZCV) and of guest RAM, and everything they can change is
 * compared: the state after nzcv_sync, the handler's result, the exit
 * and RAM.  Loads and stores get their base register pointed into RAM.
 * A fast form that no word exercised is a failure.  Then the fused
 * compare pairs (exec_dp.c) run through the engine against their two rows
 * run one after the other.
 *
 * Usage: test_fast [seed]
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../kernel/cpu/internal.h"

/* decode.c and exec_dp.c, exported for this test */
bool decode_fast(unsigned int i, const char **name, uint32_t *mask, uint32_t *match,
		 bool (**cond)(const struct dinsn *d), exec_fn *fn);
bool dp_fused_pair(unsigned int i, exec_fn *first, const char **next, uint32_t *mask,
		   uint32_t *match);

#define RAM_SIZE	0x10000ULL		/* 16 pages, compared whole */
#define PT_GPA		(RAM_GPA + RAM_SIZE)	/* stage-1 tables, not compared */
#define PT_SPACE	0x10000ULL
#define DATA_GPA	(RAM_GPA + 0x8000)	/* base registers point near here */
#define CASES		300			/* applied cases per fast form */
#define PAIR_CASES	1000			/* applied cases per fused pair */
#define MAX_TRIES	400000			/* words tried per fast form */
#define MAX_REPORTS	3			/* mismatches described per form */
#define PAIR_GPA	(RAM_GPA + 0x2800)	/* a fused pair's first word */
#define HVC(imm)	(0xd4000002u | (uint32_t)(imm) << 5)

static struct env A, B;		/* reference, fast */
static uint8_t ram0[RAM_SIZE];	/* RAM before each case */
static struct cpu_state base;	/* after env_reset */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t edge_value(void)
{
	static const uint64_t v[] = {
		0, 1, ~0ULL, 1ULL << 63, ~0ULL >> 1, 0x80000000, 0x7fffffff,
		0xffffffff, 0x100000000ULL, 0xffffffff80000000ULL, 2, 31, 32, 63, 64,
	};

	switch (rnd() % 4) {
	case 0:
		return v[rnd() % (sizeof(v) / sizeof(v[0]))];
	case 1:
		return rnd() & 0xff;
	default:
		return rnd();
	}
}

/*
 * A word of the row (match, mask): the bits outside the mask random, the
 * usual register and immediate fields often all-zero, all-ones, 1 or half
 * of all-ones (shift 31 of a 6-bit field, register 15).
 */
static uint32_t random_word(uint32_t mask, uint32_t match)
{
	static const struct { unsigned int lo, bits; } field[] = {
		{ 0, 5 }, { 5, 5 }, { 16, 5 }, { 10, 6 }, { 16, 6 }, { 10, 12 },
		{ 12, 4 }, { 22, 2 }, { 10, 3 }, { 13, 3 },
	};
	uint32_t w = (uint32_t)rnd();
	unsigned int i;

	for (i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		uint32_t m = ((1u << field[i].bits) - 1) << field[i].lo;

		switch (rnd() % 8) {
		case 0: w |= m; break;
		case 1: w &= ~m; break;
		case 2: w = (w & ~m) | (1u << field[i].lo); break;
		case 3: w = (w & ~m) | ((m >> 1) & m); break;
		default: break;
		}
	}
	return (w & ~mask) | match;
}

/* Loads and stores (op0 x1x0): base register into RAM, index register small. */
static bool is_mem(uint32_t w)
{
	return (w & 0x0a000000) == 0x08000000;
}

static void random_state(struct cpu_state *s, uint32_t w)
{
	unsigned int i, rn = (w >> 5) & 31, rm = (w >> 16) & 31;
	uint64_t *z = (uint64_t *)(void *)s->z;

	*s = base;
	for (i = 0; i < 31; i++)
		s->x[i] = edge_value();
	s->x[CPU_XZR] = 0;
	s->sp_el0 = edge_value();
	s->sp_el1 = edge_value();
	s->pc = RAM_GPA + 4 * (rnd() % (RAM_SIZE / 4));
	s->pstate |= rnd() & PSR_NZCV_MASK;
	if (!(rnd() % 4)) {	/* NZCV left lazy by a fused compare */
		s->nzcv_op = rnd() & 1 ? NZCV_SUB64 : NZCV_SUB32;
		s->nzcv_a = edge_value();
		s->nzcv_b = edge_value();
	}
	for (i = 0; i < sizeof(s->z) / 8; i++)
		z[i] = rnd();
	for (i = 0; i < sizeof(s->p); i++)
		((uint8_t *)s->p)[i] = (uint8_t)rnd();
	if (!is_mem(w))
		return;
	if (rm != 31) {
		int64_t small = (int64_t)(rnd() % 129) - 64;

		s->x[rm] = (uint64_t)small;
		if (rnd() & 1)	/* junk above a 32-bit index (UXTW, SXTW) */
			s->x[rm] = (uint32_t)small | (rnd() << 32);
	}
	if (rn == 31)
		s->sp_el1 = DATA_GPA + (rnd() % 512) * 8 - 2048;
	else
		s->x[rn] = DATA_GPA + (rnd() % 4096) - 2048;
}

/*
 * Compares decide on equal operands, and operands one apart: often make
 * Rn equal to Rm, or to the immediate, give or take one.
 */
static void bias_operands(struct cpu_state *s, const struct dinsn *d)
{
	uint64_t *rn = &s->x[d->rn];

	if (is_mem(d->insn) || d->rn == 31)
		return;		/* a base register, or XZR/SP */
	switch (rnd() % 4) {
	case 0:
		*rn = s->x[d->rm];
		break;
	case 1:
		*rn = (uint64_t)d->imm + rnd() % 3 - 1;
		break;
	default:
		break;
	}
}

/*
 * Run d's handler on v from state s0 as a chain would: PC where d says
 * (thread_sync_pc), no page being run (a store never hits code).
 */
static int run_handler(struct env *v, const struct dinsn *d, const struct cpu_state *s0)
{
	struct cpu *c = &v->cpu;
	int r;

	c->state = *s0;
	memset(&c->exit, 0, sizeof(c->exit));
	memcpy(v->ram, ram0, RAM_SIZE);
	c->th_pc_bias = s0->pc - ((uintptr_t)d >> DINSN_TO_WORD_SHIFT);
	c->th_host = NULL;
	c->th_dirty = false;
	c->th_sync = false;
	r = d->fn(c, d);
	nzcv_sync(&c->state);
	return r;
}

/* What differs between A and B after a case, or NULL.  NZCV has been
 * synced: the operands of a lazy NZCV left behind mean nothing. */
static const char *state_diff(int ra, int rb, char *buf, size_t n)
{
	struct cpu_state *a = &A.cpu.state, *b = &B.cpu.state;
	unsigned int i;

	a->nzcv_a = a->nzcv_b = b->nzcv_a = b->nzcv_b = 0;

	if (ra != rb)
		return snprintf(buf, n, "result %d, fast %d", ra, rb), buf;
	for (i = 0; i < 32; i++)
		if (a->x[i] != b->x[i])
			return snprintf(buf, n, "x%u %#llx, fast %#llx", i,
					(unsigned long long)a->x[i],
					(unsigned long long)b->x[i]), buf;
	if (a->pstate != b->pstate)
		return snprintf(buf, n, "pstate %#llx, fast %#llx",
				(unsigned long long)a->pstate,
				(unsigned long long)b->pstate), buf;
	if (a->pc != b->pc)
		return snprintf(buf, n, "pc %#llx, fast %#llx", (unsigned long long)a->pc,
				(unsigned long long)b->pc), buf;
	if (a->sp_el0 != b->sp_el0 || a->sp_el1 != b->sp_el1)
		return "sp";
	if (memcmp(a, b, sizeof(*a)))
		return "other state (vector, system registers)";
	if (memcmp(&A.cpu.exit, &B.cpu.exit, sizeof(A.cpu.exit)))
		return "exit";
	if (memcmp(A.ram, B.ram, RAM_SIZE))
		return "memory";
	return NULL;
}

struct form_stats {
	unsigned int applied, tries, bad;
};

static void one_case(const char *name, uint32_t w, struct form_stats *st)
{
	struct dinsn dr, df;
	struct cpu_state s0;
	const char *diff;
	char buf[160];
	int ra, rb;

	decode_insn_ref(&dr, w);
	decode_insn(&df, w);
	random_state(&s0, w);
	bias_operands(&s0, &dr);
	ra = run_handler(&A, &dr, &s0);
	rb = run_handler(&B, &df, &s0);
	diff = state_diff(ra, rb, buf, sizeof(buf));
	if (!diff)
		return;
	if (st->bad++ < MAX_REPORTS)
		printf("# %s: %08x (%s): %s\n", name, w, insn_name(w), diff);
}

/* The fast form whose handler is fn: its name and its row's mask and match. */
static const char *fast_form_of(exec_fn fn, uint32_t *mask, uint32_t *match)
{
	bool (*cond)(const struct dinsn *d);
	const char *name;
	exec_fn f;
	unsigned int i;

	for (i = 0; decode_fast(i, &name, mask, match, &cond, &f); i++)
		if (f == fn)
			return name;
	return NULL;
}

/*
 * B.cond targets: after the pair (HVC #2), before it in the page (HVC #3)
 * and in the next page (HVC #4), as offsets from the B.cond; HVC #1 is
 * the instruction after the pair.
 */
static const int32_t bcond_off[] = { 8, -20, 0x1000 };

static void put_word(struct env *v, uint64_t gpa, uint32_t w)
{
	memcpy(env_ptr(v, gpa), &w, 4);
}

/* The pair w1, w2 run by its two rows one after the other on B, then the
 * HVC that ends the engine's run (PC past it). */
static void run_pair_ref(uint32_t w1, uint32_t w2, const struct cpu_state *s0)
{
	struct dinsn d1, d2;
	struct cpu_state s1;
	int r;

	decode_insn_ref(&d1, w1);
	decode_insn_ref(&d2, w2);
	run_handler(&B, &d1, s0);
	s1 = B.cpu.state;
	s1.pc = PAIR_GPA + 4;
	r = run_handler(&B, &d2, &s1);
	if (r == EXEC_NEXT)
		B.cpu.state.pc = PAIR_GPA + 8;
	B.cpu.state.pc += 4;
	B.cpu.exit.reason = CPU_EXIT_HVC;
}

/* The same pair run by the engine on A (fused as it decodes it). */
static void run_pair_engine(uint32_t w1, uint32_t w2, const struct cpu_state *s0)
{
	unsigned int k;

	A.cpu.state = *s0;
	A.cpu.state.pc = PAIR_GPA;
	memcpy(A.ram, ram0, RAM_SIZE);
	put_word(&A, PAIR_GPA, w1);
	put_word(&A, PAIR_GPA + 4, w2);
	put_word(&A, PAIR_GPA + 8, HVC(1));
	for (k = 0; k < sizeof(bcond_off) / sizeof(bcond_off[0]); k++)
		put_word(&A, PAIR_GPA + 4 + (uint64_t)(int64_t)bcond_off[k], HVC(2 + k));
	memcpy(ram0, A.ram, RAM_SIZE);	/* so that B's RAM is A's */
	cpu_flush_caches(&A.cpu);
	memset(&A.cpu.exit, 0, sizeof(A.cpu.exit));
	env_run(&A);
}

/* A word for the second instruction of a pair: a B.cond to one of the
 * targets, or a word of the rows mask/match. */
static uint32_t pair_second(uint32_t mask, uint32_t match)
{
	uint32_t w = random_word(mask, match);

	if ((w & 0xff000010) == 0x54000000) {
		int32_t off = bcond_off[rnd() % (sizeof(bcond_off) / sizeof(bcond_off[0]))];

		w = (w & ~(0x7ffffu << 5)) | (((uint32_t)off >> 2) & 0x7ffff) << 5;
	}
	return w;
}

static void test_fused_pair(unsigned int i, exec_fn first, const char *next, uint32_t nmask,
			    uint32_t nmatch)
{
	struct form_stats st = { 0, 0, 0 };
	uint32_t mask = 0, match = 0;
	const char *name = fast_form_of(first, &mask, &match);
	uint8_t saved[RAM_SIZE];

	memcpy(saved, ram0, RAM_SIZE);
	while (name && st.applied < PAIR_CASES && st.tries < MAX_TRIES) {
		uint32_t w1 = random_word(mask, match), w2 = pair_second(nmask, nmatch);
		struct cpu_state s0;
		struct dinsn d;
		const char *diff;
		char buf[160];

		st.tries++;
		decode_insn(&d, w1);
		if (d.fn != first || !dp_fuse(&d, w2))
			continue;
		st.applied++;
		random_state(&s0, w1);
		bias_operands(&s0, &d);
		s0.pc = PAIR_GPA;
		run_pair_engine(w1, w2, &s0);
		run_pair_ref(w1, w2, &s0);
		memcpy(ram0, saved, RAM_SIZE);
		memcpy(A.ram, B.ram, RAM_SIZE);	/* the code words differ: not compared */
		B.cpu.exit.esr = A.cpu.exit.esr;	/* HVC's syndrome: PC tells which */
		diff = state_diff(EXEC_NEXT, EXEC_NEXT, buf, sizeof(buf));
		if (diff && st.bad++ < MAX_REPORTS)
			printf("# %s + %s: %08x %08x: %s\n", name, next, w1, w2, diff);
	}
	tap_ok(st.applied && !st.bad,
	       "fused pair %u, %s + %s, against the two rows: %u cases (%u words), %u mismatches",
	       i, name ? name : "(compare not a fast form)", next, st.applied, st.tries, st.bad);
}

static void test_fused_pairs(void)
{
	uint32_t mask, match;
	const char *next;
	exec_fn first;
	unsigned int i;

	for (i = 0; dp_fused_pair(i, &first, &next, &mask, &match); i++)
		test_fused_pair(i, first, next, mask, match);
}

static void test_fast_forms(void)
{
	bool (*cond)(const struct dinsn *d);
	unsigned int i;
	uint32_t mask, match;
	const char *name;
	exec_fn fn;

	for (i = 0; decode_fast(i, &name, &mask, &match, &cond, &fn); i++) {
		struct form_stats st = { 0, 0, 0 };

		while (st.applied < CASES && st.tries < MAX_TRIES) {
			uint32_t w = random_word(mask, match);
			struct dinsn d;

			st.tries++;
			decode_insn(&d, w);
			if (d.fn != fn)
				continue;
			if (!cond(&d))
				st.bad++;	/* picked although COND fails */
			st.applied++;
			one_case(name, w, &st);
		}
		tap_ok(st.applied && !st.bad,
		       "fast form %s against its row: %u cases (%u words), %u mismatches",
		       name, st.applied, st.tries, st.bad);
	}
	if (!i)
		tap_ok(1, "no fast forms declared");
}

/*
 * Stage-1 identity map of the compared RAM as Normal memory in 4K pages:
 * with the MMU off data is Device, which never enters the TLB, and the
 * load/store fast forms would only ever take their slow paths.  Addresses
 * outside the RAM take translation faults.
 */
static void map_ram(struct env *v)
{
	struct pt m;
	uint64_t off;

	pt_init(&m, v, 12, PT_GPA);
	for (off = 0; off < RAM_SIZE; off += 4096)
		pt_map(&m, RAM_GPA + off, RAM_GPA + off, 3, D_AF | D_ATTR(0) | D_SH_IS);
	pt_enable(&m);
	engine_sync_vm(&v->cpu);	/* the RAM region, as KVM_RUN would */
}

int main(int argc, char **argv)
{
	unsigned int i;

	rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x9e3779b97f4a7c15ULL;
	if (!rng)
		rng = 1;
	printf("# seed %#llx\n", (unsigned long long)rng);
	if (env_init(&A, RAM_SIZE + PT_SPACE) || env_init(&B, RAM_SIZE + PT_SPACE)) {
		tap_ok(0, "env_init");
		return tap_done();
	}
	for (i = 0; i < RAM_SIZE; i++)
		ram0[i] = (uint8_t)rnd();
	env_reset(&A, RAM_GPA);
	env_reset(&B, RAM_GPA);
	map_ram(&A);
	map_ram(&B);
	base = A.cpu.state;
	test_fast_forms();
	test_fused_pairs();
	env_destroy(&A);
	env_destroy(&B);
	return tap_done();
}
