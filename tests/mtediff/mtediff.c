// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of FEAT_MTE2's EL0 instructions: vkvm (a VM with
 * KVM_CAP_ARM_MTE) against qemu-aarch64 -cpu max (mte_runner, a PROT_MTE
 * buffer).  Both sides start each case from the same X0-X30, NZCV,
 * buffer, buffer tags and GCR_EL1 include mask, and must end with the
 * same registers, buffer and tags (vkvm's read with
 * KVM_ARM_MTE_COPY_TAGS, qemu's with LDG), or fault alike.
 *
 *   mtediff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-k K] [-m MAXSHOW] [-v]
 *           [-R RUNNER] [-Q QEMU]
 *
 * Classes: tag-arith (IRG, GMI, SUBP, SUBPS, ADDG, SUBG), tag-ldst (LDG,
 * STG, STZG, ST2G, STZ2G in each index form, STGP), mixed, and tag-check:
 * loads and stores (B, H, W, X; unsigned offset, unscaled, pre- and
 * post-index, register offset, LDP/STP, LDADD) with synchronous Tag
 * Checks (SCTLR_EL1.TCF 1 at vkvm's EL1, PR_MTE_TCF_SYNC), a third of them based on SP
 * (mov sp, xN first; Tag Unchecked with an immediate offset and no
 * writeback), the tags in 128-byte runs and most pointers' matching
 * theirs, so that a case runs some accesses before one faults.  x20-x27 point into the buffer with
 * random tags in bits 59:56, 16-byte aligned but, in one case in 16, one
 * of them 8 bytes off (a tag store through it faults, Alignment, SIGBUS);
 * offsets keep every access inside the buffer.  IRG's tag is random
 * unless at most one tag is left to choose: its Xm (x16-x18) excludes all
 * tags but one.  Not here: LDGM, STGM and STZGM (EL1 only), DC GVA and
 * DC GZVA (their block is DCZID_EL0's, 64 bytes here and 512 in QEMU's
 * max CPU); the mte guest (guests/mte.c) runs them.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "difftest.h"
#include "mtecase.h"

enum { CL_ARITH, CL_LDST, CL_MIXED, CL_CHECK, NCLASSES };

static const char *const class_names[NCLASSES] = { "tag-arith", "tag-ldst", "mixed",
						   "tag-check" };

static const char *class_name(int cls)
{
	return cls >= 0 && cls < NCLASSES ? class_names[cls] : "?";
}

/* ---- generator ---------------------------------------------------------- */

struct gen {
	uint64_t rng;
	struct mte_case *c;
};

static uint64_t rnd(struct gen *g)
{
	/* xorshift64* */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dULL;
}

/* n bytes, each the low byte of rnd(), with the state in a register (a
 * byte store may alias g->rng: the compiler stored and reloaded it) */
static void fill_bytes(struct gen *g, uint8_t *p, size_t n)
{
	struct gen l = { .rng = g->rng };

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(&l);
	g->rng = l.rng;
}

static unsigned int pick(struct gen *g, unsigned int n)
{
	return (unsigned int)(rnd(g) % n);
}

static void emit(struct gen *g, uint32_t w)
{
	if (g->c->nwords < MTE_MAX_WORDS)
		g->c->words[g->c->nwords++] = w;
}

#define PTR_FIRST	20		/* x20-x27: pointers into the buffer */
#define NPTR		8
#define MASK_FIRST	16		/* x16-x18: IRG's exclusion masks */

static unsigned int data_reg(struct gen *g)	/* x0-x15 */
{
	return pick(g, 16);
}

static unsigned int ptr_reg(struct gen *g)
{
	return PTR_FIRST + pick(g, NPTR);
}

/* any register but x28 (the base) and SP */
static unsigned int any_reg(struct gen *g)
{
	unsigned int r = pick(g, 30);

	return r >= 28 ? r + 1 : r;
}

/* a small signed count of granules: pointers stay within +-1.5 KiB */
static int small_imm(struct gen *g)
{
	return (int)pick(g, 17) - 8;
}

static void gen_arith(struct gen *g)
{
	unsigned int rd, rn, rm;

	switch (pick(g, 6)) {
	case 0:	/* IRG: into a pointer or a data register */
		rd = pick(g, 2) ? ptr_reg(g) : data_reg(g);
		rn = pick(g, 2) ? ptr_reg(g) : any_reg(g);
		rm = MASK_FIRST + pick(g, 3);
		if (__builtin_popcount(g->c->incl & 0xffff) <= 1 && !pick(g, 4))
			rm = 31;
		if (rd >= PTR_FIRST)
			rn = ptr_reg(g);
		emit(g, 0x9ac01000 | rm << 16 | rn << 5 | rd);
		break;
	case 1:	/* GMI */
		emit(g, 0x9ac01400 | any_reg(g) << 16 | any_reg(g) << 5 | data_reg(g));
		break;
	case 2:	/* SUBP, SUBPS (CMPP when Rd is XZR) */
	case 3:
		rd = pick(g, 8) ? data_reg(g) : 31;
		emit(g, (pick(g, 2) ? 0x9ac00000 : 0xbac00000) | any_reg(g) << 16 |
			any_reg(g) << 5 | rd);
		break;
	default: {	/* ADDG, SUBG */
		unsigned int uimm6, uimm4 = pick(g, 16);

		if (pick(g, 2)) {
			rd = ptr_reg(g);
			rn = ptr_reg(g);
			uimm6 = pick(g, 5);
		} else {
			rd = data_reg(g);
			rn = any_reg(g);
			uimm6 = pick(g, 64);
		}
		emit(g, (pick(g, 2) ? 0x91800000 : 0xd1800000) | uimm6 << 16 | uimm4 << 10 |
			rn << 5 | rd);
		break;
	}
	}
}

static void gen_ldst(struct gen *g)
{
	unsigned int rn = ptr_reg(g), rt, op2;
	uint32_t imm9 = (uint32_t)small_imm(g) & 0x1ff;

	switch (pick(g, 4)) {
	case 0:	/* LDG */
		rt = pick(g, 2) ? ptr_reg(g) : data_reg(g);
		emit(g, 0xd9600000 | imm9 << 12 | rn << 5 | rt);
		break;
	case 1:	/* STG, STZG, ST2G, STZ2G: post, offset, pre */
	case 2:
		do
			rt = any_reg(g);
		while (rt == rn);
		op2 = 1 + pick(g, 3);
		emit(g, 0xd9200000 | pick(g, 4) << 22 | imm9 << 12 | op2 << 10 | rn << 5 | rt);
		break;
	case 3: {	/* STGP: post, offset, pre */
		static const uint32_t stgp[] = { 0x68800000, 0x69000000, 0x69800000 };
		uint32_t imm7 = (uint32_t)small_imm(g) & 0x7f;

		emit(g, stgp[pick(g, 3)] | imm7 << 15 | pick(g, 20) << 10 | rn << 5 | pick(g, 20));
		break;
	}
	}
}

#define OFF_REG		19		/* x19: tag-check's register offset */
#define SAVE_REG	29		/* x29: tag-check's saved SP (not compared) */

/* a multiple of 8 (16 for SP, which stays aligned) within +-128 bytes */
static uint32_t check_imm(struct gen *g, unsigned int rn, unsigned int bits)
{
	int k = small_imm(g) * (rn == 31 ? 2 : 1);

	return (uint32_t)(k * 8) & ((1u << bits) - 1);
}

static void gen_check(struct gen *g)
{
	unsigned int rn = pick(g, 3) ? ptr_reg(g) : 31, rt = data_reg(g), rt2;
	unsigned int size = pick(g, 4);
	uint32_t ld = pick(g, 2);

	switch (pick(g, 6)) {
	case 0:	/* LDR/STR (unsigned offset): imm12 scaled by the size */
		emit(g, size << 30 | 0x39000000 | ld << 22 | pick(g, 8) << 10 | rn << 5 | rt);
		break;
	case 1:	/* LDUR/STUR */
		emit(g, size << 30 | 0x38000000 | ld << 22 | check_imm(g, rn, 9) << 12 |
			rn << 5 | rt);
		break;
	case 2:	/* post-index (01), pre-index (11): checked, SP too */
		emit(g, size << 30 | 0x38000000 | ld << 22 | check_imm(g, rn, 9) << 12 |
			(pick(g, 2) ? 1u : 3u) << 10 | rn << 5 | rt);
		break;
	case 3:	/* register offset [Xn|SP, x19]: checked, SP too */
		emit(g, size << 30 | 0x38200800 | ld << 22 | OFF_REG << 16 | 3u << 13 |
			rn << 5 | rt);
		break;
	case 4:	/* LDP/STP X: post (01), offset (10), pre (11) */
		do
			rt2 = data_reg(g);
		while (rt2 == rt);
		emit(g, 0xa8000000 | (1 + pick(g, 3)) << 23 | ld << 22 |
			(check_imm(g, rn, 10) >> 3) << 15 | rt2 << 10 | rn << 5 | rt);
		break;
	default:	/* LDADD Xs, Xt, [Xn|SP] */
		emit(g, 0xf8200000 | data_reg(g) << 16 | rn << 5 | rt);
		break;
	}
}

static uint64_t rand_tagged(struct gen *g, uint64_t v)
{
	return (v & ~(0xfULL << 56)) | (rnd(g) & (0xfULL << 56));
}

/* The generator of (seed, cls, idx), its first draws discarded */
static void seed_gen(struct gen *g, uint64_t seed, int cls, unsigned int idx)
{
	g->rng = (seed ^ (uint64_t)(cls + 1) * 0x9e3779b97f4a7c15ULL) +
		 (uint64_t)idx * 0xbf58476d1ce4e5b9ULL + 1;
	for (int i = 0; i < 4; i++)
		rnd(g);
}

/*
 * The inputs but the include mask (the code depends on it: the base's
 * for every variant): X0-X30, NZCV, the buffer and its tags; tag-check's
 * tags in runs, most pointers' matching theirs, its offset register
 */
static void fill_inputs(struct gen *g, int cls)
{
	struct mte_case *c = g->c;
	unsigned int i;

	for (i = 0; i < 31; i++)
		c->r.x[i] = pick(g, 4) ? rnd(g) : rnd(g) & 0xff;
	for (i = 0; i < 16; i++)
		if (pick(g, 2))
			c->r.x[i] = rand_tagged(g, DIFF_BASE_VA + pick(g, 4096) - 2048);
	for (i = MASK_FIRST; i < MASK_FIRST + 3; i++)
		c->r.x[i] = (rnd(g) & ~0xffffULL) |
			    (pick(g, 8) ? 0xffff & ~(1u << pick(g, 16)) : 0xffff);
	for (i = PTR_FIRST; i < PTR_FIRST + NPTR; i++)
		c->r.x[i] = rand_tagged(g, DIFF_BASE_VA + 16 * ((int64_t)pick(g, 65) - 32));
	if (!pick(g, 16))
		c->r.x[PTR_FIRST + pick(g, NPTR)] += 8;
	c->r.x[DIFF_BASE_REG] = DIFF_BASE_VA;
	c->r.nzcv = (rnd(g) & 0xf) << 28;
	fill_bytes(g, c->buf, DIFF_BUF_SIZE);
	for (i = 0; i < MTE_NTAGS; i++)
		c->tags[i] = (uint8_t)pick(g, 16);
	if (cls == CL_CHECK) {
		c->tcf = 1;
		/* tags in runs of 8 granules, most pointers' matching theirs */
		for (i = 0; i < MTE_NTAGS; i++)
			c->tags[i] = c->tags[i & ~7u];
		for (i = PTR_FIRST; i < PTR_FIRST + NPTR; i++)
			if (pick(g, 4))
				c->r.x[i] = (c->r.x[i] & ~(0xfULL << 56)) |
					    (uint64_t)c->tags[(c->r.x[i] - DIFF_BUF_VA) / 16 %
							      MTE_NTAGS] << 56;
		c->r.x[OFF_REG] = (uint64_t)(8 * ((int64_t)pick(g, 17) - 8));
	}
}

/*
 * Case idx of class cls, with variants (-k, difftest.h) cases a code:
 * the code of base case idx / variants, and its inputs when idx %
 * variants is 0, else inputs of its own, the code's constraints on them
 * applied again (tag-check's SP register: a 16-byte aligned pointer)
 */
/*
 * -k: the generator after the fill (and tag-check's SP) of the last base
 * case, so that the variants after it need not make its inputs again to
 * reach the draws of its code (the fill was a fourth of a run's CPU)
 */
static struct {
	bool valid;
	int cls;
	unsigned int base, sp;
	uint32_t incl;
	uint64_t seed, rng;
} after_fill;

static void gen_case(struct mte_case *c, int cls, uint64_t seed, unsigned int idx,
		     unsigned int variants)
{
	struct gen g = { .c = c };
	unsigned int n, i, sp = 0, base = idx / variants;

	memset(c, 0, sizeof(*c));
	if (idx % variants && after_fill.valid && after_fill.seed == seed &&
	    after_fill.cls == cls && after_fill.base == base) {
		g.rng = after_fill.rng;
		c->incl = after_fill.incl;
		sp = after_fill.sp;
	} else {
		seed_gen(&g, seed, cls, base);
		/* the include mask: none, all, one, or any */
		switch (pick(&g, 4)) {
		case 0: c->incl = 0; break;
		case 1: c->incl = 0xffff; break;
		case 2: c->incl = 1u << pick(&g, 16); break;
		default: c->incl = (uint32_t)rnd(&g) & 0xffff; break;
		}
		fill_inputs(&g, cls);
		/* tag-check's SP: an aligned pointer's value, x29 keeping the runner's */
		if (cls == CL_CHECK)
			do
				sp = ptr_reg(&g);
			while (c->r.x[sp] & 15);
		if (variants > 1) {
			after_fill.valid = true;
			after_fill.cls = cls;
			after_fill.base = base;
			after_fill.sp = sp;
			after_fill.incl = c->incl;
			after_fill.seed = seed;
			after_fill.rng = g.rng;
		}
	}
	if (idx % variants) {
		struct gen v = { .c = c };

		seed_gen(&v, seed ^ DIFF_VARIANT_SEED, cls, idx);
		fill_inputs(&v, cls);
		if (cls == CL_CHECK)
			c->r.x[sp] &= ~15ULL;	/* its one pointer 8 past a granule */
	}
	if (cls == CL_CHECK) {
		emit(&g, 0x910003e0 | SAVE_REG);		/* mov x29, sp */
		emit(&g, 0x9100001f | sp << 5);			/* mov sp, xN */
		n = 1 + pick(&g, 8);
		for (i = 0; i < n; i++)
			gen_check(&g);
		emit(&g, 0x9100001f | SAVE_REG << 5);		/* mov sp, x29 */
		emit(&g, 0xd2800000 | SAVE_REG);		/* mov x29, #0 */
		return;
	}

	n = 1 + pick(&g, 8);
	for (i = 0; i < n; i++) {
		int k = cls == CL_MIXED ? (int)pick(&g, 2) : cls;

		if (k == CL_ARITH)
			gen_arith(&g);
		else
			gen_ldst(&g);
	}
}

/* ---- the vkvm side ------------------------------------------------------ */

#define SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define MAIR_EL1	ARM64_SYS_REG(3, 0, 10, 2, 0)
#define GCR_EL1		ARM64_SYS_REG(3, 0, 1, 0, 6)
#define SCTLR_ATA	(1ULL << 43)
#define SCTLR_TCF_SHIFT	40		/* the cases run at EL1 (difftest.c): TCF */
#define TCR_TBI0	(1ULL << 37)
#define ATTR_TAGGED	2		/* MAIR Attr2: Tagged Normal, 0xf0 */
#define L3_GPA		(DIFF_CODE_VA + 0x102000)	/* difftest.c's buffer table */

static int copy_tags(struct vmc *v, uint8_t *tags, bool to_guest)
{
	struct kvm_arm_copy_mte_tags ct = {
		.guest_ipa = DIFF_BUF_VA, .length = DIFF_BUF_SIZE, .addr = tags,
		.flags = to_guest ? KVM_ARM_TAGS_TO_GUEST : KVM_ARM_TAGS_FROM_GUEST,
	};
	long n = vkvm_ioctl(v->vm, KVM_ARM_MTE_COPY_TAGS, &ct);

	if (n < 0)
		return -errno;
	return n == DIFF_BUF_SIZE ? 0 : -EIO;
}

static uint64_t sctlr0;		/* SCTLR_EL1 but TCF */

static int vm_open(struct vmc *v, void *arg)
{
	uint64_t *l3, sctlr, tcr;
	int ret;

	(void)arg;
	ret = diff_vm_open_features(v, NULL, VMC_FEATURE_MTE);
	if (ret)
		return ret;
	/* the buffer's page Tagged; tag access at EL1; TBI for tagged pointers */
	l3 = vmc_ram(v, L3_GPA);
	l3[0] = VMC_BLOCK(DIFF_BUF_VA, ATTR_TAGGED, 1) | 2;
	ret = vmc_set_reg(v, MAIR_EL1, 0xf000ffULL);
	ret = ret ?: vmc_get_reg(v, SCTLR_EL1, &sctlr);
	sctlr0 = (sctlr | SCTLR_ATA) & ~(3ULL << SCTLR_TCF_SHIFT);
	ret = ret ?: vmc_set_reg(v, SCTLR_EL1, sctlr0);
	ret = ret ?: vmc_get_reg(v, TCR_EL1, &tcr);
	ret = ret ?: vmc_set_reg(v, TCR_EL1, tcr | TCR_TBI0);
	if (!ret)
		diff_vm_stubs(v, DIFF_STATE_GP);
	return ret;
}

static int run_vkvm(struct vmc *v, const void *c_, void *r_)
{
	const struct mte_case *c = c_;
	struct mte_result *r = r_;
	uint8_t tags[MTE_NTAGS];
	int ret;

	memcpy(tags, c->tags, sizeof(tags));
	ret = vmc_set_reg(v, GCR_EL1, (~c->incl & 0xffff) | 1ULL << 16);	/* RRND */
	ret = ret ?: vmc_set_reg(v, SCTLR_EL1, sctlr0 | (uint64_t)c->tcf << SCTLR_TCF_SHIFT);
	ret = ret ?: copy_tags(v, tags, true);
	ret = ret ?: diff_vm_load(v, c->words, c->nwords, c->r.x, c->r.nzcv, c->buf);
	/* tag-check moves SP: SP_EL0's, so that the vectors still work */
	if (!ret && c->tcf)
		ret = diff_vm_sp_el0(v);
	if (ret)
		return ret;
	memset(r, 0, sizeof(*r));
	r->fault = diff_vm_run(v);
	ret = diff_vm_save(v, r->r.x, &r->r.nzcv, r->buf);
	return ret ?: copy_tags(v, r->tags, false);
}

static const struct diff_test mte_test = {
	.cpu = "max",
	.case_size = sizeof(struct mte_case),
	.result_size = sizeof(struct mte_result),
	.vm_open = vm_open,
	.run = run_vkvm,
};

/* ---- comparison and report ---------------------------------------------- */

/* x29 holds each side's own SP in tag-check cases that fault: not compared */
static int compare(const struct mte_case *c, struct mte_result *q, struct mte_result *v)
{
	if (c->tcf)
		q->r.x[SAVE_REG] = v->r.x[SAVE_REG] = 0;
	return memcmp(q->r.x, v->r.x, sizeof(q->r.x)) || q->r.nzcv != v->r.nzcv ||
	       q->fault != diff_fault_signal(v->fault) ||
	       memcmp(q->buf, v->buf, DIFF_BUF_SIZE) || memcmp(q->tags, v->tags, MTE_NTAGS);
}

static void show(const struct diff_opts *o, int cls, unsigned int idx, const struct mte_case *c,
		 const struct mte_result *q, const struct mte_result *v, int differ)
{
	diff_show_head(o, class_name(cls), idx, differ);
	diff_disassemble(c->words, c->nwords, diff_base(o, idx));
	printf("#   include %04x nzcv in %" PRIx64 " qemu %" PRIx64 " vkvm %" PRIx64 "\n",
	       c->incl, c->r.nzcv >> 28, q->r.nzcv >> 28, v->r.nzcv >> 28);
	if (q->fault || v->fault)
		printf("#   fault: qemu %#" PRIx64 " (signal) vkvm %#" PRIx64 "\n",
		       q->fault, v->fault);
	for (int i = 0; i < 31; i++)
		printf("#   x%-2d in %016" PRIx64 " qemu %016" PRIx64 " vkvm %016" PRIx64 "%s\n",
		       i, c->r.x[i], q->r.x[i], v->r.x[i], q->r.x[i] != v->r.x[i] ? "  <--" : "");
	diff_show_buf(c->buf, q->buf, v->buf);
	for (unsigned int i = 0; i < MTE_NTAGS; i++)
		if (q->tags[i] != v->tags[i])
			printf("#   tag[x28%+d] in %x qemu %x vkvm %x  <--\n",
			       (int)(16 * i) - (int)(DIFF_BUF_SIZE / 2), c->tags[i], q->tags[i],
			       v->tags[i]);
}

int main(int argc, char **argv)
{
	struct diff_opts o;
	struct mte_case *cases;
	struct mte_result *qres, *vres;
	unsigned int chunk, ncls = 0, tp = 0, fails = 0;
	int cls_list[NCLASSES], cls;

	diff_opts_init(&o, argv[0], "mte_runner", 0x3e7e, 10000);
	cls = diff_parse_args(&o, argc, argv, "mtediff", NCLASSES, class_name);
	for (int k = 0; k < NCLASSES; k++)
		if (cls < 0 || cls == k)
			cls_list[ncls++] = k;
	chunk = o.cases < DIFF_CHUNK ? o.cases : DIFF_CHUNK;
	cases = calloc(chunk, sizeof(*cases));
	qres = calloc(chunk, sizeof(*qres));
	vres = calloc(chunk, sizeof(*vres));
	if (!cases || !qres || !vres) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", ncls);
	/* each class in runs of at most DIFF_CHUNK cases */
	for (unsigned int k = 0; k < ncls; k++) {
		unsigned int bad = 0, faults = 0, segv = 0;
		struct diff_faults qf = { 0 };
		uint64_t words = 0;

		for (unsigned int first = 0, n; first < o.cases; first += n) {
			n = o.cases - first < chunk ? o.cases - first : chunk;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int idx = o.index >= 0 ? (unsigned int)o.index : first + j;

				gen_case(&cases[j], cls_list[k], o.seed, idx, o.variants);
				if (j && diff_check_variant(&o, idx, &cases[j - 1], &cases[j],
							    offsetof(struct mte_case, r)))
					return 1;
			}
			if (diff_run(&mte_test, &o, NULL, cases, qres, vres, n, first))
				return 1;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int idx = o.index >= 0 ? (unsigned int)o.index : first + j;
				int differ = compare(&cases[j], &qres[j], &vres[j]);

				words += cases[j].nwords;
				diff_count_fault(&qf, qres[j].fault);
				/*
				 * only the misaligned pointer may fault, a SIGBUS,
				 * but for a tag-check case's Tag Check fault
				 */
				if (cases[j].tcf && qres[j].fault == SIGSEGV)
					segv++;
				else if (qres[j].fault && qres[j].fault != SIGBUS)
					faults++;
				if (differ && bad++ < o.maxshow)
					show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], 1);
				else if (o.verbose)
					show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j],
					     differ);
			}
		}
		diff_show_faults(class_name(cls_list[k]), &qf);
		if (cls_list[k] == CL_CHECK) {
			/* both outcomes must be common, or the class tests little */
			printf("# tag-check: %u of %u cases end in a Tag Check fault\n", segv,
			       o.cases);
			if (o.cases >= 100 && (segv < o.cases / 10 || segv > o.cases * 9 / 10))
				faults++;
		}
		fails += diff_tap(++tp, class_name(cls_list[k]), o.cases, words, bad, faults,
				  " (cases faulting other than SIGBUS under qemu, or tag-check's"
				  " Tag Check faults too rare or too common)");
	}
	free(cases);
	free(qres);
	free(vres);
	return fails ? 1 : 0;
}
