// SPDX-License-Identifier: GPL-2.0
/*
 * The block translator: the run of THREADED_NOPC entries from a block's
 * first entry up to the entry that ends the block (thread.h) becomes one
 * x86-64 function with the signature of a threaded entry,
 *
 *	int code(struct cpu *c, const struct dinsn *d)
 *
 * installed as the first entry's tfn, so that the run loop, the chains
 * and the block checks run it as they run any threaded entry.  Each
 * instruction is either inlined (integer register operations, guest
 * registers read and written in c->state, RBX holding c) or a call of its
 * handler, fn(c, entry), exactly as its THREADED_NOPC entry would make it:
 * a result other than EXEC_NEXT leaves through thread_leave() with that
 * entry, which is where the handler stored PC if it needed to (a fault, a
 * store into the page being run).  The code ends with a jump to the
 * threaded entry of the block's last entry, the one that ends the block.
 * Inline instructions neither fault nor read PC, so PC is exact wherever
 * the interpreter would have it.
 *
 * A translation depends only on the decoded entries it covers, from its
 * own up to and including its tail (jit_span()): when engine.c re-decodes
 * a word (the block check found it changed), the translations covering
 * that word are dropped, the page's others stay (jit_redecode()).  The
 * code buffer is emptied wholesale when full, every page's JIT entries
 * dropped first.  Either way no translated code is then running (a
 * translation jumps to the next entry after popping its frame, and the
 * handlers it calls never run a chain).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "codebuf.h"
#include "hint.h"
#include "jit.h"
#include "simd.h"
#include "sys.h"
#include "x86.h"

#define JIT_BUF_SIZE		(16u << 20)	/* per vCPU */
#define JIT_MAX_INSNS		128		/* per translation */
#define JIT_DEFAULT_THRESHOLD	50

struct pending {
	uint8_t *jcc;			/* its JNZ's rel32 */
	const struct dinsn *d;
	bool stop;			/* a lockstep mismatch, not a handler's result */
};

/* A translation's first bytes: PUSH RBX (1), PUSH R12-R15 (2 each), MOV
 * RBX, RDI (3); a chained jump from another translation goes on after
 * them, the frame and RBX kept.  Every way out pops the frame
 * (emit_pop_frame()). */
#define JIT_PROLOGUE	12

/*
 * An exit of a translation to an entry t of its page not translated when
 * it was made jumps, after its checks, to a slow side that goes through
 * t's tfn; its rel32 is recorded here (the page, the entry, where the
 * rel32 is) and pointed past t's prologue once t is translated
 * (patches_resolve()).  A translation dropped alone (jit_redecode())
 * keeps its code, never entered again but through these direct jumps,
 * which its first bytes past the prologue then bounce to the slow side
 * (jit_unlink()); a record whose jumping code was dropped patches dead
 * code.  The records go when the code buffer is emptied, or all at once
 * when full (the exits keep their slow side: still correct).
 */
#define PATCH_MAX	8192
#define PATCH_BUCKETS	1024

struct patch {
	const struct dpage *dp;
	uint32_t at;			/* the rel32's offset in the buffer */
	uint16_t i;			/* the target entry */
	int32_t next;			/* in its bucket; -1: last */
};

struct patches {
	struct patch rec[PATCH_MAX];
	int32_t bucket[PATCH_BUCKETS];
	unsigned int n;
};

static unsigned int patch_hash(const struct dpage *dp, unsigned int i)
{
	return (unsigned int)(((uintptr_t)dp >> 12) * 31 + i) % PATCH_BUCKETS;
}

static void patches_clear(struct patches *p)
{
	memset(p->bucket, 0xff, sizeof(p->bucket));	/* all -1 */
	p->n = 0;
}

static void patches_add(struct patches *p, const struct dpage *dp, unsigned int i, uint32_t at)
{
	unsigned int h = patch_hash(dp, i);

	if (p->n == PATCH_MAX)
		patches_clear(p);
	p->rec[p->n] = (struct patch){ dp, at, (uint16_t)i, p->bucket[h] };
	p->bucket[h] = (int32_t)p->n++;
}

/* Entry i of dp was translated at code (rw): point the exits waiting for
 * it there, past its prologue, and forget them.  Returns how many. */
static unsigned int patches_resolve(struct patches *p, uint8_t *rw, const struct dpage *dp,
				    unsigned int i, const uint8_t *code)
{
	int32_t *link = &p->bucket[patch_hash(dp, i)];
	unsigned int n = 0;

	while (*link >= 0) {
		struct patch *q = &p->rec[*link];

		if (q->dp == dp && q->i == i) {
			x86_patch(rw + q->at, code + JIT_PROLOGUE);
			*link = q->next;
			n++;
		} else {
			link = &q->next;
		}
	}
	return n;
}

struct jit {
	struct codebuf buf;
	uint8_t *bounce;		/* jit_bounce_emit()'s code (rw) */
	/* emit_block()'s exits: two an instruction at most (a store's TLB
	 * miss and code check; an FP/SIMD form's slow side and lockstep's
	 * stop), the loop's body emitted twice (the peel) */
	struct pending pend[4 * JIT_MAX_INSNS];
	unsigned int threshold;
	bool lockstep;
	struct cpu *shadow;		/* lockstep: the handlers' copy */
	struct jit_stats st;
	struct patches patches;		/* exits waiting for their target */
};

/* ---- switches ---- */

static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

/*
 * VKVM_JIT: the translator is on unless it says 0 (vmm's --no-jit sets
 * that); another value is told once and the default kept.  *asked: it
 * said 1 (or the default holds), for the message where there is no JIT.
 */
static bool jit_wanted(bool *asked)
{
	static bool said;
	const char *v = getenv("VKVM_JIT");

	*asked = v && !strcmp(v, "1");
	if (!v || !*v || *asked)
		return true;
	if (!strcmp(v, "0"))
		return false;
	if (!__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
		fprintf(stderr, "vkvm: VKVM_JIT='%.24s': expected 0 (off) or 1 (on); "
			"the default, on, is used\n", v);
	return true;
}

static void jit_bounce_emit(struct jit *j);
static bool count_calls;
static void jit_calls_print(int vcpu_id);

struct jit *jit_create(void)
{
	static bool said, said_threshold;
	const char *t = getenv("VKVM_JIT_THRESHOLD");
	struct jit *j;
	bool asked;
	int err;

	if (!jit_wanted(&asked))
		return NULL;
#if !defined(__x86_64__)
	/* the translator emits x86-64 code: elsewhere (vkvm on an arm64
	 * host) the interpreter runs, said only when VKVM_JIT=1 asked */
	if (asked && !__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
		fprintf(stderr, "vkvm: VKVM_JIT=1: the JIT translates to x86-64 only; "
			"the interpreter runs\n");
	return NULL;
#else
	(void)asked;
#endif
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->threshold = JIT_DEFAULT_THRESHOLD;
	if (t && *t) {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(t, &end, 10);
		/* dinsn.jcount counts up to it */
		if (!*end && *t >= '0' && *t <= '9' && !errno && n <= UINT16_MAX)
			j->threshold = (unsigned int)n;
		else if (!__atomic_exchange_n(&said_threshold, true, __ATOMIC_RELAXED))
			fprintf(stderr, "vkvm: VKVM_JIT_THRESHOLD='%.24s': expected a number "
				"from 0 to %u; the default, %u, is used\n", t, UINT16_MAX,
				JIT_DEFAULT_THRESHOLD);
	}
	patches_clear(&j->patches);
	jit_simd_init();
	j->lockstep = env_flag("VKVM_JIT_LOCKSTEP");
	count_calls = env_flag("VKVM_JIT_CALLS");
	if (j->lockstep) {
		j->shadow = calloc(1, sizeof(*j->shadow));
		if (!j->shadow)
			goto fail;
	}
	err = codebuf_init(&j->buf, JIT_BUF_SIZE);
	if (err) {
		if (!__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
			fprintf(stderr, "vkvm: JIT off, the interpreter runs: "
				"no code buffer (shared memory mapped RW and RX): %s\n",
				strerror(-err));
		goto fail;
	}
	jit_bounce_emit(j);
	return j;
fail:
	free(j->shadow);
	free(j);
	return NULL;
}

void jit_destroy(struct jit *j, int vcpu_id)
{
	if (!j)
		return;
	if (env_flag("VKVM_JIT_STATS"))
		fprintf(stderr, "vkvm: JIT vcpu %d: %llu blocks, %llu inline, %llu calls, "
			"%llu branches, %llu chained, %llu loops, %llu patched, %llu peeled, "
			"%llu registers cached, %llu flushes, %llu words decoded, "
			"%llu translations dropped, %llu code checks, "
			"lockstep %llu compared, %llu mismatches\n", vcpu_id,
			(unsigned long long)j->st.blocks,
			(unsigned long long)j->st.inlined, (unsigned long long)j->st.called,
			(unsigned long long)j->st.branches, (unsigned long long)j->st.chained,
			(unsigned long long)j->st.loops, (unsigned long long)j->st.patched,
			(unsigned long long)j->st.peeled,
			(unsigned long long)j->st.cached, (unsigned long long)j->st.flushes,
			(unsigned long long)j->st.decoded, (unsigned long long)j->st.dropped,
			(unsigned long long)j->st.code_checks,
			(unsigned long long)j->st.checked, (unsigned long long)j->st.mismatches);
	if (count_calls)
		jit_calls_print(vcpu_id);
	codebuf_free(&j->buf);
	free(j->shadow);
	free(j);
}

const struct jit_stats *cpu_jit_stats(const struct cpu *c)
{
	return c->engine && c->engine->jit ? &c->engine->jit->st : NULL;
}

/* ---- the code's helpers (called or jumped to from translated code) ---- */

/* An instruction's handler returned r, not EXEC_NEXT: what its
 * THREADED_NOPC entry does with r. */
static int jit_leave(struct cpu *c, const struct dinsn *d, int r)
{
	return thread_leave(c, d, r, false);
}

/* The low (0) or high (1) 64 bits of a V register's bytes */
static uint64_t vls_half(const uint8_t *z, unsigned int hi)
{
	uint64_t v;

	memcpy(&v, z + 8 * hi, sizeof(v));
	return v;
}

/* Lockstep: run d's handler on a copy of the state before the inline code
 * runs on the real one... */
static void jit_ls_before(struct cpu *c, const struct dinsn *d)
{
	struct cpu *s = c->engine->jit->shadow;

	memcpy(s->state.x, c->state.x, sizeof(s->state.x));
	s->state.sp_el0 = c->state.sp_el0;
	s->state.sp_el1 = c->state.sp_el1;
	s->state.sp_el2 = c->state.sp_el2;
	s->state.pstate = c->state.pstate;
	s->state.nzcv_a = c->state.nzcv_a;
	s->state.nzcv_b = c->state.nzcv_b;
	s->state.nzcv_op = c->state.nzcv_op;
	s->state.pc = c->th_pc_bias + ((uintptr_t)d >> DINSN_TO_WORD_SHIFT);	/* ADR */
	/* FP/SIMD: the V (Z) registers, FPSR and FPCR, and what the handlers'
	 * FP access check reads (the EL in PSTATE, CPACR_EL1, CPTR_EL2,
	 * HCR_EL2) */
	memcpy(s->state.z, c->state.z, sizeof(s->state.z));
	s->state.fpsr = c->state.fpsr;
	s->state.fpcr = c->state.fpcr;
	s->state.sysreg[SR_CPACR_EL1] = c->state.sysreg[SR_CPACR_EL1];
	s->state.sysreg[SR_CPTR_EL2] = c->state.sysreg[SR_CPTR_EL2];
	s->state.sysreg[SR_HCR_EL2] = c->state.sysreg[SR_HCR_EL2];
	/* and the registers an inline MRS reads (jit/sys.c) */
	s->state.sysreg[SR_TPIDR_EL1] = c->state.sysreg[SR_TPIDR_EL1];
	s->state.sysreg[SR_CTR_EL0] = c->state.sysreg[SR_CTR_EL0];
	s->state.sysreg[SR_DCZID_EL0] = c->state.sysreg[SR_DCZID_EL0];
	d->fn(s, d);
}

/* ...and compare after it: X0-X30, the SPs, PSTATE with NZCV made eager
 * on copies, V0-V31 (all of each Z register), FPSR and FPCR.  Not 0: they
 * differ, the vCPU stops (internal error). */
static int jit_ls_after(struct cpu *c, const struct dinsn *d)
{
	struct jit *j = c->engine->jit;
	struct cpu_state *s = &j->shadow->state, r;
	unsigned int n, v;

	r.pstate = c->state.pstate;
	r.nzcv_a = c->state.nzcv_a;
	r.nzcv_b = c->state.nzcv_b;
	r.nzcv_op = c->state.nzcv_op;
	nzcv_sync(&r);
	nzcv_sync(s);
	j->st.checked++;
	for (n = 0; n < 32; n++)
		if (s->x[n] != c->state.x[n])
			break;
	for (v = 0; v < 32; v++)
		if (memcmp(s->z[v], c->state.z[v], sizeof(s->z[v])))
			break;
	if (n == 32 && v == 32 && r.pstate == s->pstate && s->sp_el0 == c->state.sp_el0 &&
	    s->sp_el1 == c->state.sp_el1 && s->sp_el2 == c->state.sp_el2 &&
	    s->fpsr == c->state.fpsr && s->fpcr == c->state.fpcr)
		return 0;
	j->st.mismatches++;
	thread_sync_pc(c, d);
	fprintf(stderr, "vkvm: JIT lockstep: %08x (%s) at PC %#llx: ", d->insn,
		insn_name(d->insn), (unsigned long long)c->state.pc);
	if (n < 32)
		fprintf(stderr, "x%u %#llx, handler %#llx\n", n,
			(unsigned long long)c->state.x[n], (unsigned long long)s->x[n]);
	else if (v < 32)
		fprintf(stderr, "v%u %016llx%016llx, handler %016llx%016llx\n", v,
			(unsigned long long)vls_half(c->state.z[v], 1),
			(unsigned long long)vls_half(c->state.z[v], 0),
			(unsigned long long)vls_half(s->z[v], 1),
			(unsigned long long)vls_half(s->z[v], 0));
	else if (s->fpsr != c->state.fpsr || s->fpcr != c->state.fpcr)
		fprintf(stderr, "FPSR %#x FPCR %#x, handler %#x %#x\n", c->state.fpsr,
			c->state.fpcr, s->fpsr, s->fpcr);
	else
		fprintf(stderr, "PSTATE %#llx, handler %#llx\n",
			(unsigned long long)r.pstate, (unsigned long long)s->pstate);
	engine_exit(c, CPU_EXIT_INTERNAL, 0);
	return 1;
}

/* ---- translation ---- */

#define X_OFF(n)	((int32_t)(offsetof(struct cpu, state.x) + 8 * (n)))
#define NZCV_A_OFF	((int32_t)offsetof(struct cpu, state.nzcv_a))
#define NZCV_B_OFF	((int32_t)offsetof(struct cpu, state.nzcv_b))
#define NZCV_OP_OFF	((int32_t)offsetof(struct cpu, state.nzcv_op))
#define TFN_OFF		((int8_t)offsetof(struct dinsn, tfn))

#define C	X86_RBX		/* struct cpu *, callee-saved */
#define A	X86_RAX
#define B	X86_RCX

/*
 * Guest registers in host registers: per translation, the (at most
 * RC_N) X registers its inline instructions name most, each at least
 * RC_MIN_USES times, live in R8-R15 (never across a call).  A cached
 * register is loaded from c->state at its first use (lazily: never on a
 * path taken only sometimes) and written back there, when written since
 * (dirty), before every call (a handler, a helper, lockstep), on every
 * side path that calls (a TLB miss, the code check of a store) and
 * before the block's end, so that c->state is exact wherever a handler,
 * the interpreter or a fault can see it; after a call nothing is loaded.
 * A direct jump into a translation (chain_to()) comes with everything
 * written back and nothing loaded, the target's own state at its start.
 * XZR (31) is never cached: x[31] is 0 in c->state.
 */
#define RC_N		8
/* fewer uses gain nothing: a load at the first, a store at the end
 * (cpu_bench, callgrind: more host instructions at 2 than at 3) */
#define RC_MIN_USES	3
/* R12-R15 are callee-saved: the frame saves them (JIT_PROLOGUE); they
 * are treated as R8-R11 all the same (written back before a call and
 * loaded again after: a handler may write any X register) */
static const enum x86_reg rc_host[RC_N] = { X86_R8, X86_R9, X86_R10, X86_R11,
					    X86_R12, X86_R13, X86_R14, X86_R15 };

/* The frame of a translation (JIT_PROLOGUE) */
static void emit_push_frame(struct x86 *e)
{
	x86_push(e, X86_RBX);
	x86_push(e, X86_R12);
	x86_push(e, X86_R13);
	x86_push(e, X86_R14);
	x86_push(e, X86_R15);
}

static void emit_pop_frame(struct x86 *e)
{
	x86_pop(e, X86_R15);
	x86_pop(e, X86_R14);
	x86_pop(e, X86_R13);
	x86_pop(e, X86_R12);
	x86_pop(e, X86_RBX);
}

/*
 * The NZCV of an inline CMP/SUBS whose operands are cached registers
 * (Xn, and Xm or an immediate), kept as those operands instead of stored
 * as the lazy form at once: stale, the lazy form in c->state lags and is
 * stored wherever the registers are written back (rc_write_back(): every
 * call, side path, exit), so that c->state is exact wherever it can be
 * seen; cmp, the operands are still in their host registers and a
 * condition can be had from a CMP of them (emit_cond()).  An instruction
 * about to write Xn or Xm first stores it (nz_clobber()); a call forgets
 * it (rc_flush()).  A64's C is x86's CF inverted (sub_cc[]).
 */
struct nzp {
	bool stale;
	bool cmp;
	bool sf;
	bool bimm;			/* the second operand is imm, not Xm */
	uint8_t ra, rb;
	int32_t imm;
	/* an operand written since by an ADD/SUB of an immediate (or a
	 * writeback): it is its host register + adj; by an ADD (SUB) of
	 * a cached Xm: its host register - (+) Xm's, xa/xb = m (else 31) */
	int32_t adja, adjb;
	uint8_t xa, xb;
	bool xadda, xaddb;
};

struct regs {
	int8_t host[32];		/* X register -> its host register, or -1 */
	uint32_t loaded;		/* holds the value (bit n: Xn) */
	uint32_t dirty;			/* ... not yet written back */
	struct nzp nz;			/* a CMP's NZCV not yet stored */
};

/* The host register holding Xn, loaded now if it was not; -1: not cached */
static int rc_use(struct x86 *e, struct regs *r, unsigned int n)
{
	int h = n < 31 ? r->host[n] : -1;

	if (h >= 0 && !(r->loaded >> n & 1)) {
		x86_load(e, true, (enum x86_reg)h, C, X_OFF(n));
		r->loaded |= 1u << n;
	}
	return h;
}

/* dst = Xn at the data size (32 bits: zero-extended) */
static void rc_get(struct x86 *e, struct regs *r, bool sf, enum x86_reg dst, unsigned int n)
{
	int h = rc_use(e, r, n);

	if (h < 0)
		x86_load(e, sf, dst, C, X_OFF(n));
	else
		x86_mov_rr(e, sf, dst, (enum x86_reg)h);
}

/* The host register to compute Xn in place (counted written); -1: none */
static int rc_def(struct regs *r, unsigned int n)
{
	int h = n < 31 ? r->host[n] : -1;

	if (h >= 0) {
		r->loaded |= 1u << n;
		r->dirty |= 1u << n;
	}
	return h;
}

/* Xn = src, all 64 bits (nothing for XZR) */
static void rc_set(struct x86 *e, struct regs *r, unsigned int n, enum x86_reg src)
{
	int h = rc_def(r, n);

	if (n == 31)
		return;
	if (h < 0)
		x86_store(e, true, C, X_OFF(n), src);
	else if ((enum x86_reg)h != src)
		x86_mov_rr(e, true, (enum x86_reg)h, src);
}

/* The pending CMP's first (or second) operand: its host register, or
 * tmp = the register + adj (a LEA: the flags kept) */
static enum x86_reg nz_operand(struct x86 *e, const struct regs *r, bool second,
			       enum x86_reg tmp)
{
	const struct nzp *z = &r->nz;
	enum x86_reg h = (enum x86_reg)r->host[second ? z->rb : z->ra];
	int32_t adj = second ? z->adjb : z->adja;
	unsigned int x = second ? z->xb : z->xa;
	bool add = second ? z->xaddb : z->xadda;

	if (x < 31) {
		/* flags clobbered by the SUB: never where they are live (they
		 * are a SUBS's just made, which moved nothing yet) */
		if (add) {
			x86_lea_idx(e, tmp, h, (enum x86_reg)r->host[x], 0);
		} else {
			x86_mov_rr(e, true, tmp, h);
			x86_alu_rr(e, X86_SUB, true, tmp, (enum x86_reg)r->host[x]);
		}
		return tmp;
	}
	if (!adj)
		return h;
	x86_lea(e, true, tmp, h, adj);
	return tmp;
}

/* Store the lazy NZCV of the pending CMP (MOVs: the flags kept) */
static void nz_store(struct x86 *e, const struct regs *r)
{
	const struct nzp *z = &r->nz;

	/* RDI: free wherever this is (an access's address, its base and
	 * the code check's argument are in RAX, RSI, RDX) */
	x86_store(e, true, C, NZCV_A_OFF, nz_operand(e, r, false, X86_RDI));
	if (z->bimm)
		x86_store_imm(e, true, C, NZCV_B_OFF, z->imm);
	else
		x86_store(e, true, C, NZCV_B_OFF, nz_operand(e, r, true, X86_RDI));
	x86_store_imm(e, false, C, NZCV_OP_OFF, z->sf ? NZCV_SUB64 : NZCV_SUB32);
}

/* Write the dirty registers (and a stale NZCV) back to c->state (MOVs:
 * the flags kept) */
static void rc_write_back(struct x86 *e, const struct regs *r)
{
	unsigned int n;

	for (n = 0; n < 31; n++)
		if (r->dirty >> n & 1)
			x86_store(e, true, C, X_OFF(n), (enum x86_reg)r->host[n]);
	if (r->nz.stale)
		nz_store(e, r);
}

/* Before a call on the main path: written back, and nothing loaded after */
static void rc_flush(struct x86 *e, struct regs *r)
{
	rc_write_back(e, r);
	r->dirty = 0;
	r->loaded = 0;
	r->nz.stale = r->nz.cmp = false;
}

/* Xn is about to be written: a pending CMP that reads it is stored now */
static void nz_clobber(struct x86 *e, struct regs *r, unsigned int n)
{
	struct nzp *z = &r->nz;

	if (!(z->stale || z->cmp) || n >= 31 ||
	    (n != z->ra && n != z->xa && (z->bimm || (n != z->rb && n != z->xb))))
		return;
	if (z->stale)
		nz_store(e, r);
	z->stale = z->cmp = false;
}

/* A CMP/SUBS of cached Xn with imm (bimm) or cached Xm left pending */
static void nz_set(struct regs *r, bool sf, unsigned int rn, unsigned int rm, bool bimm,
		   int32_t imm)
{
	r->nz = (struct nzp){ .stale = true, .cmp = true, .sf = sf, .bimm = bimm,
			      .ra = (uint8_t)rn, .rb = (uint8_t)rm, .imm = imm,
			      .xa = 31, .xb = 31 };
}

/*
 * Xn is about to become Xn + delta (an ADD/SUB immediate in place, at 64
 * bits or not (w64), or a writeback): a pending CMP that reads it takes
 * the new value - delta, exact for a 64-bit change and for the low half
 * a 32-bit compare reads; else (a 32-bit change of a 64-bit compare's
 * operand, too far) it is stored now.
 */
static void nz_moved(struct x86 *e, struct regs *r, unsigned int n, int64_t delta, bool w64)
{
	struct nzp *z = &r->nz;
	bool a = n == z->ra, b = !z->bimm && n == z->rb;
	int64_t na = (int64_t)z->adja - delta, nb = (int64_t)z->adjb - delta;

	if ((z->stale || z->cmp) && n < 31 && (n == z->xa || n == z->xb)) {
		nz_clobber(e, r, n);	/* the register an operand moved by */
		return;
	}
	if (!(z->stale || z->cmp) || n >= 31 || !(a || b))
		return;
	if ((!w64 && z->sf) || na < INT32_MIN || na > INT32_MAX || nb < INT32_MIN ||
	    nb > INT32_MAX || (a && z->xa < 31) || (b && z->xb < 31)) {
		nz_clobber(e, r, n);
		return;
	}
	if (a)
		z->adja = (int32_t)na;
	if (b)
		z->adjb = (int32_t)nb;
}

/*
 * Xn is about to become Xn + Xm (add) or Xn - Xm, Xm cached and not Xn,
 * at 64 bits or not: a pending CMP that reads Xn takes the new value
 * minus (plus) Xm, as nz_moved(), while Xm is not written (nz_clobber());
 * else it is stored now.
 */
static void nz_moved_reg(struct x86 *e, struct regs *r, unsigned int n, unsigned int m,
			 bool add, bool w64)
{
	struct nzp *z = &r->nz;
	bool a = n == z->ra, b = !z->bimm && n == z->rb;

	if ((z->stale || z->cmp) && n < 31 && (n == z->xa || n == z->xb)) {
		nz_clobber(e, r, n);	/* the register an operand moved by */
		return;
	}
	if (!(z->stale || z->cmp) || n >= 31 || !(a || b))
		return;
	if ((!w64 && z->sf) || m >= 31 || m == n || r->host[m] < 0 ||
	    (a && (z->adja || z->xa < 31)) || (b && (z->adjb || z->xb < 31)) ||
	    (a && b)) {
		nz_clobber(e, r, n);
		return;
	}
	if (a) {
		z->xa = (uint8_t)m;
		z->xadda = !add;
	} else {
		z->xb = (uint8_t)m;
		z->xaddb = !add;
	}
}

static bool nz_same(const struct nzp *a, const struct nzp *b)
{
	return a->adja == b->adja && a->adjb == b->adjb && a->xa == b->xa && a->xb == b->xb &&
	       (a->xa >= 31 || a->xadda == b->xadda) && (a->xb >= 31 || a->xaddb == b->xaddb) &&
	       a->stale == b->stale && a->cmp == b->cmp && a->sf == b->sf &&
	       a->bimm == b->bimm && a->ra == b->ra && (a->bimm || a->rb == b->rb) &&
	       (!a->bimm || a->imm == b->imm);
}

/* After a call on a side path: load what the main path holds (mask) */
static void rc_reload(struct x86 *e, const struct regs *r, uint32_t mask)
{
	unsigned int n;

	for (n = 0; n < 31; n++)
		if (mask >> n & 1)
			x86_load(e, true, (enum x86_reg)r->host[n], C, X_OFF(n));
}

/* the inline forms */
enum kind {
	K_CALL,
	K_NOTHING,		/* writes XZR only */
	K_ADDSUB_IMM, K_SUBS_IMM, K_ADDSUB_SH, K_SUBS_SH, K_LOGIC_SH,
	K_MOVZ, K_MOVN, K_MOVK, K_LOGIC_IMM, K_UBFM, K_SBFM,
	K_MADD, K_CSEL, K_SHIFTV, K_ADDSUB_EXT, K_ADDS_SH, K_EXTR, K_ANDS_IMM, K_ANDS_SH,
	K_ADC, K_CCMP,
	K_REV, K_CLZ, K_BFM, K_DIV,	/* REV op: 16, 32, 64; DIV inv: signed */
	K_ADR,				/* op: 1 ADRP (hint.c) */
	K_LOAD_UIMM, K_LOAD_REG,	/* op: log2 of the size */
	K_STORE_UIMM, K_STORE_REG,
	K_LOAD_WB, K_STORE_WB,		/* pre-/post-index; inv: post */
	K_LOAD_PAIR, K_STORE_PAIR,	/* LDP/STP/LDNP/STNP of X, W; op: lg */
};

static const struct {
	const char *name;
	enum kind kind;
	int op;			/* enum x86_alu; -1 for MOV-like */
	bool inv;		/* second operand inverted (BIC, ORN, EON) */
} rows[] = {
	{ "ADD_imm", K_ADDSUB_IMM, X86_ADD, false },
	{ "SUB_imm", K_ADDSUB_IMM, X86_SUB, false },
	{ "SUBS_imm", K_SUBS_IMM, X86_SUB, false },
	{ "ADDS_imm", K_SUBS_IMM, X86_ADD, false },	/* as SUBS of -imm */
	{ "ADD_ext", K_ADDSUB_EXT, X86_ADD, false },
	{ "SUB_ext", K_ADDSUB_EXT, X86_SUB, false },
	{ "ADDS_shifted", K_ADDS_SH, X86_ADD, false },	/* as SUBS of -Xm */
	{ "EXTR", K_EXTR, -1, false },
	{ "ANDS_imm", K_ANDS_IMM, X86_AND, false },
	{ "ADC", K_ADC, X86_ADC, false },
	{ "SBC", K_ADC, X86_ADC, true },		/* Xn + ~Xm + C */
	{ "CCMP_imm", K_CCMP, X86_SUB, false },
	{ "CCMP_reg", K_CCMP, X86_SUB, false },
	{ "CCMN_imm", K_CCMP, X86_ADD, false },		/* as CCMP of -imm */
	{ "ANDS_shifted", K_ANDS_SH, X86_AND, false },
	{ "BICS_shifted", K_ANDS_SH, X86_AND, true },
	{ "ADD_shifted", K_ADDSUB_SH, X86_ADD, false },
	{ "SUB_shifted", K_ADDSUB_SH, X86_SUB, false },
	{ "SUBS_shifted", K_SUBS_SH, X86_SUB, false },
	{ "AND_shifted", K_LOGIC_SH, X86_AND, false },
	{ "BIC_shifted", K_LOGIC_SH, X86_AND, true },
	{ "ORR_shifted", K_LOGIC_SH, X86_OR, false },
	{ "ORN_shifted", K_LOGIC_SH, X86_OR, true },
	{ "EOR_shifted", K_LOGIC_SH, X86_XOR, false },
	{ "EON_shifted", K_LOGIC_SH, X86_XOR, true },
	{ "MOVZ", K_MOVZ, -1, false },
	{ "MOVN", K_MOVN, -1, false },
	{ "MOVK", K_MOVK, -1, false },
	{ "AND_imm", K_LOGIC_IMM, X86_AND, false },
	{ "ORR_imm", K_LOGIC_IMM, X86_OR, false },
	{ "EOR_imm", K_LOGIC_IMM, X86_XOR, false },
	{ "UBFM", K_UBFM, -1, false },
	{ "SBFM", K_SBFM, -1, false },
	{ "LDR_x_uimm", K_LOAD_UIMM, 3, false },
	{ "LDR_w_uimm", K_LOAD_UIMM, 2, false },
	{ "LDRH_uimm", K_LOAD_UIMM, 1, false },
	{ "LDRB_uimm", K_LOAD_UIMM, 0, false },
	{ "LDR_x_reg", K_LOAD_REG, 3, false },
	{ "LDR_w_reg", K_LOAD_REG, 2, false },
	{ "LDRH_reg", K_LOAD_REG, 1, false },
	{ "LDRB_reg", K_LOAD_REG, 0, false },
	{ "STR_x_uimm", K_STORE_UIMM, 3, false },
	{ "STR_w_uimm", K_STORE_UIMM, 2, false },
	{ "STRH_uimm", K_STORE_UIMM, 1, false },
	{ "STRB_uimm", K_STORE_UIMM, 0, false },
	{ "STR_x_reg", K_STORE_REG, 3, false },
	{ "STR_w_reg", K_STORE_REG, 2, false },
	{ "STRH_reg", K_STORE_REG, 1, false },
	{ "STRB_reg", K_STORE_REG, 0, false },
	{ "LDR_x_pre", K_LOAD_WB, 3, false },
	{ "LDR_x_post", K_LOAD_WB, 3, true },
	{ "STR_x_pre", K_STORE_WB, 3, false },
	{ "STR_x_post", K_STORE_WB, 3, true },
	{ "LDR_w_pre", K_LOAD_WB, 2, false },
	{ "LDR_w_post", K_LOAD_WB, 2, true },
	{ "STR_w_pre", K_STORE_WB, 2, false },
	{ "STR_w_post", K_STORE_WB, 2, true },
	{ "LDRH_pre", K_LOAD_WB, 1, false },
	{ "LDRH_post", K_LOAD_WB, 1, true },
	{ "STRH_pre", K_STORE_WB, 1, false },
	{ "STRH_post", K_STORE_WB, 1, true },
	{ "LDRB_pre", K_LOAD_WB, 0, false },
	{ "LDRB_post", K_LOAD_WB, 0, true },
	{ "STRB_pre", K_STORE_WB, 0, false },
	{ "STRB_post", K_STORE_WB, 0, true },
	{ "LDP_x", K_LOAD_PAIR, 3, false },
	{ "LDP_x_pre", K_LOAD_PAIR, 3, false },
	{ "LDP_x_post", K_LOAD_PAIR, 3, false },
	{ "LDNP_x", K_LOAD_PAIR, 3, false },
	{ "STP_x", K_STORE_PAIR, 3, false },
	{ "STP_x_pre", K_STORE_PAIR, 3, false },
	{ "STP_x_post", K_STORE_PAIR, 3, false },
	{ "STNP_x", K_STORE_PAIR, 3, false },
	{ "LDP_w", K_LOAD_PAIR, 2, false },
	{ "LDP_w_pre", K_LOAD_PAIR, 2, false },
	{ "LDP_w_post", K_LOAD_PAIR, 2, false },
	{ "LDNP_w", K_LOAD_PAIR, 2, false },
	{ "STP_w", K_STORE_PAIR, 2, false },
	{ "STP_w_pre", K_STORE_PAIR, 2, false },
	{ "STP_w_post", K_STORE_PAIR, 2, false },
	{ "STNP_w", K_STORE_PAIR, 2, false },
	{ "MADD", K_MADD, X86_ADD, false },
	{ "MSUB", K_MADD, X86_SUB, false },
	{ "CSEL", K_CSEL, 0, false },
	{ "CSINC", K_CSEL, 1, false },
	{ "CSINV", K_CSEL, 2, false },
	{ "CSNEG", K_CSEL, 3, false },
	{ "LSLV", K_SHIFTV, X86_SHL, false },
	{ "LSRV", K_SHIFTV, X86_SHR, false },
	{ "ASRV", K_SHIFTV, X86_SAR, false },
	{ "RORV", K_SHIFTV, X86_ROR, false },
	{ "REV16", K_REV, 16, false },
	{ "REV32", K_REV, 32, false },		/* sf 0: REV Wd */
	{ "REV64", K_REV, 64, false },
	{ "CLZ", K_CLZ, -1, false },
	{ "BFM", K_BFM, -1, false },
	{ "UDIV", K_DIV, -1, false },
	{ "SDIV", K_DIV, -1, true },
	{ "ADR", K_ADR, 0, false },
	{ "ADRP", K_ADR, 1, false },
};

/* B = shift(Xm) (type: LSL, LSR, ASR, ROR), at the data size */
static void emit_shifted(struct x86 *e, struct regs *r, bool sf, unsigned int rm,
			 unsigned int type, unsigned int amount)
{
	static const enum x86_shift sh[4] = { X86_SHL, X86_SHR, X86_SAR, X86_ROR };

	rc_get(e, r, sf, B, rm);
	if (amount)
		x86_shift_ri(e, sh[type], sf, B, (uint8_t)amount);
}

/*
 * The second operand of an ADD/SUB or logical (shifted register) form
 * writing Xd from Xn: Xm's own host register when it is cached, unshifted
 * and not inverted, and not Xd about to be overwritten by Xn first
 * (emit_alu_in_place()); else B = shift(Xm) (inverted with inv).  A
 * 32-bit operation reads only the low half either way.
 */
static enum x86_reg emit_operand(struct x86 *e, struct regs *r, bool sf, unsigned int rd,
				 unsigned int rn, unsigned int rm, unsigned int type,
				 unsigned int amount, bool inv)
{
	int h = rm < 31 ? r->host[rm] : -1;

	if (h >= 0 && !amount && !inv && (rm != rd || rd == rn || r->host[rd] < 0)) {
		rc_use(e, r, rm);
		return (enum x86_reg)h;
	}
	emit_shifted(e, r, sf, rm, type, amount);
	if (inv)
		x86_not(e, sf, B);
	return B;
}

#define PSTATE_OFF	((int32_t)offsetof(struct cpu, state.pstate))
#define SP_EL0_OFF	((int32_t)offsetof(struct cpu, state.sp_el0))
_Static_assert(offsetof(struct cpu_state, sp_el1) == offsetof(struct cpu_state, sp_el0) + 8 &&
	       offsetof(struct cpu_state, sp_el2) == offsetof(struct cpu_state, sp_el0) + 16,
	       "SP_EL0, SP_EL1, SP_EL2 in a row");

/* RDX = &the stack pointer PSTATE selects (spp()): SP_EL0 + 8 * (M[0] *
 * (1 + M[3])); RDI clobbered */
static void emit_sp_slot(struct x86 *e)
{
	x86_load(e, false, X86_RDX, C, PSTATE_OFF);
	x86_mov_rr(e, false, X86_RDI, X86_RDX);
	x86_shift_ri(e, X86_SHR, false, X86_RDI, 3);
	x86_alu_rr(e, X86_AND, false, X86_RDI, X86_RDX);
	x86_alu_ri(e, X86_AND, false, X86_RDI, 1);
	x86_alu_ri(e, X86_AND, false, X86_RDX, 1);
	x86_alu_rr(e, X86_ADD, false, X86_RDX, X86_RDI);
	x86_lea_idx(e, X86_RDX, C, X86_RDX, 3);
	x86_alu_ri(e, X86_ADD, true, X86_RDX, SP_EL0_OFF);
}

/*
 * ANDS, BICS, TST: NZCV made eagerly from A (the result at the data size:
 * N its top bit, Z, C and V 0) into PSTATE, the lazy form cleared (a
 * pending CMP ends: overwritten); then the host flags of TEST A, A with
 * CF inverted (CMC), which are SUBS's convention (sub_cc[]: C = !CF) for
 * N, Z, C 0 and V 0, live for a consumer right after.  RCX, RDX, RDI
 * clobbered.
 */
static void emit_nz_logic(struct x86 *e, struct regs *r, bool sf)
{
	r->nz.stale = r->nz.cmp = false;
	x86_test_rr(e, sf, A, A);
	x86_setcc(e, X86_S, X86_RDX);
	x86_setcc(e, X86_E, B);
	x86_alu_ri(e, X86_AND, false, X86_RDX, 1);
	x86_alu_ri(e, X86_AND, false, B, 1);
	x86_shift_ri(e, X86_SHL, false, X86_RDX, 31);
	x86_shift_ri(e, X86_SHL, false, B, 30);
	x86_alu_rr(e, X86_OR, false, X86_RDX, B);
	x86_load(e, false, X86_RDI, C, PSTATE_OFF);
	x86_alu_ri(e, X86_AND, false, X86_RDI, 0x0fffffff);
	x86_alu_rr(e, X86_OR, false, X86_RDI, X86_RDX);
	x86_store(e, false, C, PSTATE_OFF, X86_RDI);
	x86_store_imm(e, false, C, NZCV_OP_OFF, NZCV_EAGER);
	x86_test_rr(e, sf, A, A);
	x86_cmc(e);
}

/* A -> Xd (the value already at the data size; nothing for XZR) */
static void emit_set(struct x86 *e, struct regs *r, unsigned int rd)
{
	rc_set(e, r, rd, A);
}

/* Store the lazy NZCV of SUBS A - B (internal.h, "Lazy NZCV") */
static void emit_lazy_sub(struct x86 *e, bool sf)
{
	x86_store(e, true, C, NZCV_A_OFF, A);
	x86_store(e, true, C, NZCV_B_OFF, B);
	x86_store_imm(e, false, C, NZCV_OP_OFF, sf ? NZCV_SUB64 : NZCV_SUB32);
}

/* A64's condition cond on the host flags of CMP a, b (a - b): C is the
 * inverse of x86's CF. */
static const enum x86_cc sub_cc[14] = {
	X86_E, X86_NE, X86_AE, X86_B, X86_S, X86_NS, X86_O, X86_NO,
	X86_A, X86_BE, X86_GE, X86_L, X86_G, X86_LE,
};

/* emit_cond() from c->state, exact there: no compare is pending (a
 * stale one is also cmp, made again from its operands instead) */
static enum x86_cc emit_cond_state(struct x86 *e, unsigned int cond)
{
	uint8_t *s64, *s32, *d1, *d2;
	bool w64;

	x86_load(e, false, X86_RDX, C, NZCV_OP_OFF);
	x86_alu_ri(e, X86_CMP, false, X86_RDX, NZCV_SUB64);
	s64 = x86_jcc(e, X86_E);
	x86_alu_ri(e, X86_CMP, false, X86_RDX, NZCV_SUB32);
	s32 = x86_jcc(e, X86_E);
	/* EAGER: CF = bit NZCV of cond_table[cond] */
	x86_load(e, false, X86_RDX, C, PSTATE_OFF);
	x86_shift_ri(e, X86_SHR, false, X86_RDX, 28);
	x86_mov_ri(e, B, cond_table[cond]);
	x86_bt_rr(e, B, X86_RDX);
	x86_mov_ri(e, X86_RDX, 0);		/* MOV: the flags kept */
	x86_setcc(e, X86_B, X86_RDX);
	d1 = x86_jmp(e);
	d2 = NULL;
	for (w64 = true;; w64 = false) {
		uint8_t *at = w64 ? s64 : s32;

		if (at)
			x86_patch(at, e->p);
		x86_load(e, w64, X86_RDI, C, NZCV_A_OFF);
		x86_alu_rm(e, X86_CMP, w64, X86_RDI, C, NZCV_B_OFF);
		x86_mov_ri(e, X86_RDX, 0);
		x86_setcc(e, sub_cc[cond], X86_RDX);
		if (!w64)
			break;
		d2 = x86_jmp(e);
	}
	if (d1)
		x86_patch(d1, e->p);
	if (d2)
		x86_patch(d2, e->p);
	x86_test_rr(e, false, X86_RDX, X86_RDX);
	return X86_NE;
}

/*
 * Host flags whose x86 condition says whether A64 condition cond (0-13)
 * holds: the flags of the SUBS just before when live (the instruction
 * right before set them and nothing since), else those of a CMP of the
 * pending compare's operands (struct nzp), else from c->state's NZCV as
 * cond_holds() has it, inline (EDX != 0): by its lazy op, SUB64 and
 * SUB32 the stored operands compared again (at 32 bits their low
 * halves), EAGER PSTATE.NZCV's bit in cond_table[cond]; RCX, RDX, RDI
 * clobbered, the cached registers kept.
 */
static enum x86_cc emit_cond(struct x86 *e, struct regs *r, unsigned int cond, bool live)
{
	const struct nzp *z = &r->nz;
	int ha, hb;

	if (live)
		return sub_cc[cond];
	if (z->cmp) {			/* the pending CMP's operands: again */
		ha = nz_operand(e, r, false, A);
		if (z->bimm) {
			x86_alu_ri(e, X86_CMP, z->sf, (enum x86_reg)ha, z->imm);
		} else {
			hb = nz_operand(e, r, true, B);
			x86_alu_rr(e, X86_CMP, z->sf, (enum x86_reg)ha, (enum x86_reg)hb);
		}
		return sub_cc[cond];
	}
	return emit_cond_state(e, cond);
}

/* A = CSEL/CSINC/CSINV/CSNEG (op 0-3) of d, at its data size */
static void emit_csel(struct x86 *e, struct regs *r, const struct dinsn *d, int op, bool live)
{
	bool sf = BIT(d->insn, 31);
	unsigned int cond = FIELD(d->insn, 15, 12);
	enum x86_cc cc;
	uint8_t *done;

	if (cond >= 14) {			/* AL, NV: Rn */
		rc_get(e, r, sf, A, d->rn);
		return;
	}
	cc = emit_cond(e, r, cond, live);
	/* both loaded here, not only on the path that reads Rm; MOV leaves
	 * the flags */
	rc_use(e, r, d->rm);
	rc_get(e, r, sf, A, d->rn);
	done = x86_jcc(e, cc);
	rc_get(e, r, sf, A, d->rm);
	if (op == 1)
		x86_alu_ri(e, X86_ADD, sf, A, 1);
	else if (op == 2)
		x86_not(e, sf, A);
	else if (op == 3)
		x86_neg(e, sf, A);
	if (done)
		x86_patch(done, e->p);
}

/*
 * Inline code for d, which decoded as row name with its handler (never
 * exec_undef: the row's PREP accepted the word).  False: call the handler.
 * Each form mirrors its handler in exec_dp.c; register 31 is XZR where
 * the form reads it as such (x[31] is 0), and a form that would read or
 * write SP is left to the handler.
 */
/*
 * Xd = Xn OP B where Xd is cached in host register h and B holds the
 * second operand (shifted, inverted) already: the operation made in h.
 */
static void emit_alu_in_place(struct x86 *e, struct regs *r, bool sf, int op, int h,
			      unsigned int rd, unsigned int rn, enum x86_reg src)
{
	if (rd != rn)
		rc_get(e, r, sf, (enum x86_reg)h, rn);
	else
		rc_use(e, r, rn);
	rc_def(r, rd);
	x86_alu_rr(e, (enum x86_alu)op, sf, (enum x86_reg)h, src);
}

/*
 * CCMP (immediate, register), CCMN (immediate, not #0: its carry is not
 * SUBS's, as ADDS_imm): the condition from live flags, a pending CMP or
 * c->state (emit_cond()); holding, the lazy NZCV of SUBS Xn - op (CCMN:
 * of -imm) stored, else NZCV = #nzcv into PSTATE, eager.  Neither path
 * leaves host flags a consumer could take: it reads c->state inline.
 * False: the handler.
 */
static bool emit_ccmp(struct x86 *e, struct regs *r, const struct dinsn *d, int op, bool live)
{
	uint32_t w = d->insn;
	bool sf = BIT(w, 31), imm = BIT(w, 11);
	unsigned int cond = FIELD(w, 15, 12), nzcv = FIELD(w, 3, 0), rn = d->rn, rm = d->rm;
	uint8_t *skip = NULL, *done = NULL;
	int h;

	if (op == X86_ADD && (!imm || !rm))
		return false;
	if (cond < 14) {
		enum x86_cc cc = emit_cond(e, r, cond, live);

		/* both operands loaded before the paths part (MOVs) */
		rc_use(e, r, rn);
		if (!imm)
			rc_use(e, r, rm);
		skip = x86_jcc(e, (enum x86_cc)(cc ^ 1));
	}
	/* a pending CMP ends: NZCV is written on both paths */
	r->nz.stale = r->nz.cmp = false;
	h = rc_use(e, r, rn);
	if (h >= 0) {
		x86_store(e, true, C, NZCV_A_OFF, (enum x86_reg)h);
	} else {
		x86_load(e, true, A, C, X_OFF(rn));
		x86_store(e, true, C, NZCV_A_OFF, A);
	}
	if (imm) {
		x86_store_imm(e, true, C, NZCV_B_OFF, op == X86_ADD ? -(int32_t)rm : (int32_t)rm);
	} else {
		h = rc_use(e, r, rm);	/* XZR: x[31] is 0 */
		if (h >= 0) {
			x86_store(e, true, C, NZCV_B_OFF, (enum x86_reg)h);
		} else {
			x86_load(e, true, B, C, X_OFF(rm));
			x86_store(e, true, C, NZCV_B_OFF, B);
		}
	}
	x86_store_imm(e, false, C, NZCV_OP_OFF, sf ? NZCV_SUB64 : NZCV_SUB32);
	if (!skip)
		return true;
	done = x86_jmp(e);
	x86_patch(skip, e->p);
	x86_load(e, false, X86_RDX, C, PSTATE_OFF);
	x86_alu_ri(e, X86_AND, false, X86_RDX, 0x0fffffff);
	if (nzcv)
		x86_alu_ri(e, X86_OR, false, X86_RDX, (int32_t)(nzcv << 28));
	x86_store(e, false, C, PSTATE_OFF, X86_RDX);
	x86_store_imm(e, false, C, NZCV_OP_OFF, NZCV_EAGER);
	if (done)
		x86_patch(done, e->p);
	return true;
}

static bool emit_inline(struct x86 *e, struct regs *r, const struct dinsn *d, enum kind k,
			int op, bool inv, bool live, bool *live_out)
{
	uint32_t w = d->insn;
	bool sf = BIT(w, 31);
	unsigned int rd = d->rd, rn = d->rn, rm = (w >> 16) & 31;
	unsigned int type = FIELD(w, 23, 22), amount = FIELD(w, 15, 10);
	unsigned int immr = FIELD(w, 21, 16), imms = FIELD(w, 15, 10);
	unsigned int size = sf ? 64 : 32;
	uint64_t v;
	int h, hn;
	int32_t im;
	enum x86_reg dst, src;

	*live_out = false;
	switch (k) {
	case K_ADC:				/* ADC, SBC: Xn + Xm (~Xm) + C */
		/* CF = A64's C first: from live SUBS flags or a pending CMP
		 * (CF = !C: CMC), else from c->state, the lazy form's
		 * operands compared (nzcv_sync()) or PSTATE.C; then only
		 * MOVs and NOT (no flags) up to the ADC */
		if (live) {
			x86_cmc(e);
		} else if (r->nz.cmp) {
			emit_cond(e, r, 2, false);	/* CMP: CF = !C */
			x86_cmc(e);
		} else {
			uint8_t *eager, *s64, *have, *go;

			if (r->nz.stale) {
				nz_store(e, r);
				r->nz.stale = false;
			}
			x86_load(e, false, X86_RDX, C, NZCV_OP_OFF);
			x86_test_rr(e, false, X86_RDX, X86_RDX);
			eager = x86_jcc(e, X86_E);
			x86_load(e, true, X86_RDI, C, NZCV_A_OFF);
			x86_alu_ri(e, X86_CMP, false, X86_RDX, NZCV_SUB64);
			s64 = x86_jcc(e, X86_E);
			x86_alu_rm(e, X86_CMP, false, X86_RDI, C, NZCV_B_OFF);
			have = x86_jmp(e);
			if (s64)
				x86_patch(s64, e->p);
			x86_alu_rm(e, X86_CMP, true, X86_RDI, C, NZCV_B_OFF);
			if (have)
				x86_patch(have, e->p);
			x86_cmc(e);
			go = x86_jmp(e);
			if (eager)
				x86_patch(eager, e->p);
			x86_load(e, false, X86_RDX, C, PSTATE_OFF);
			x86_bt_ri(e, X86_RDX, 29);
			if (go)
				x86_patch(go, e->p);
		}
		rc_get(e, r, sf, B, rm);
		if (inv)
			x86_not(e, sf, B);
		rc_get(e, r, sf, A, rn);
		x86_alu_rr(e, X86_ADC, sf, A, B);
		emit_set(e, r, rd);
		return true;
	case K_CCMP:
		return emit_ccmp(e, r, d, op, live);
	case K_ANDS_IMM:			/* ANDS, TST (immediate) */
	case K_ANDS_SH:				/* ANDS, BICS, TST (shifted register) */
		if (k == K_ANDS_SH && !sf && amount >= 32)
			return false;		/* reserved: not this row */
		rc_get(e, r, sf, A, rn);
		if (k == K_ANDS_IMM && (!sf || (int64_t)d->imm == (int32_t)d->imm)) {
			x86_alu_ri(e, X86_AND, sf, A, (int32_t)d->imm);
		} else if (k == K_ANDS_IMM) {
			x86_mov_ri(e, B, (uint64_t)d->imm);
			x86_alu_rr(e, X86_AND, true, A, B);
		} else {
			emit_shifted(e, r, sf, rm, type, amount);
			if (inv)
				x86_not(e, sf, B);
			x86_alu_rr(e, X86_AND, sf, A, B);
		}
		emit_nz_logic(e, r, sf);
		emit_set(e, r, rd);	/* a MOV: the flags kept */
		*live_out = true;
		return true;
	case K_EXTR:				/* EXTR, ROR (immediate) */
		/* Xd = (Xn:Xm) >> lsb at the data size: SHRD of Xm by Xn;
		 * lsb 0 is Xm (no SHRD by 0: a MOV zero-extends for sure) */
		rc_get(e, r, sf, A, rm);
		if (d->imm) {
			rc_get(e, r, sf, B, rn);
			x86_shrd_ri(e, sf, A, B, (uint8_t)d->imm);
		}
		emit_set(e, r, rd);
		return true;
	case K_ADDSUB_EXT:			/* ADD/SUB (extended register) */
		/* Xd = Xn + (Xm extended, option aux) << imm (0-4); Rd and Rn
		 * 31 are SP: the handler */
		if (rd == 31 || rn == 31)
			return false;
		switch (d->aux) {
		case 0:				/* UXTB, UXTH */
		case 1:
			rc_get(e, r, false, B, rm);
			x86_alu_ri(e, X86_AND, false, B, d->aux ? 0xffff : 0xff);
			break;
		case 2:				/* UXTW */
			rc_get(e, r, false, B, rm);
			break;
		case 4:				/* SXTB, SXTH: up, then down */
		case 5:
			rc_get(e, r, true, B, rm);
			x86_shift_ri(e, X86_SHL, true, B, d->aux == 4 ? 56 : 48);
			x86_shift_ri(e, X86_SAR, true, B, d->aux == 4 ? 56 : 48);
			break;
		case 6:				/* SXTW */
			h = rc_use(e, r, rm);
			if (h >= 0)
				x86_movsxd_rr(e, B, (enum x86_reg)h);
			else
				x86_movsxd_m(e, B, C, X_OFF(rm));
			break;
		default:			/* UXTX, SXTX */
			rc_get(e, r, true, B, rm);
			break;
		}
		if (d->imm)
			x86_shift_ri(e, X86_SHL, true, B, (uint8_t)d->imm);
		rc_get(e, r, true, A, rn);
		x86_alu_rr(e, (enum x86_alu)op, sf, A, B);
		emit_set(e, r, rd);
		return true;
	case K_ADDSUB_IMM:			/* ADD/SUB (immediate) */
		if (rd == 31 || rn == 31) {
			/* SP: RDX = its slot, the one PSTATE selects */
			emit_sp_slot(e);
			if (rn == 31)
				x86_load(e, true, A, X86_RDX, 0);
			else
				rc_get(e, r, true, A, rn);
			x86_alu_ri(e, (enum x86_alu)op, sf, A, (int32_t)d->imm);
			if (rd == 31)
				x86_store(e, true, X86_RDX, 0, A);	/* WSP: zero-extended */
			else
				emit_set(e, r, rd);
			return true;
		}
		h = r->host[rd];
		hn = rc_use(e, r, rn);
		if (hn >= 0 && rd != rn) {	/* LEA: ADD/SUB set no flags here */
			dst = h >= 0 ? (enum x86_reg)h : A;
			x86_lea(e, sf, dst, (enum x86_reg)hn,
				op == X86_ADD ? (int32_t)d->imm : -(int32_t)d->imm);
			rc_set(e, r, rd, dst);
			return true;
		}
		if (h >= 0) {			/* in place */
			if (rd != rn)
				rc_get(e, r, true, (enum x86_reg)h, rn);
			else
				nz_moved(e, r, rd, op == X86_ADD ? (int64_t)d->imm :
					 -(int64_t)d->imm, sf);
			rc_def(r, rd);
			x86_alu_ri(e, (enum x86_alu)op, sf, (enum x86_reg)h, (int32_t)d->imm);
			return true;
		}
		rc_get(e, r, true, A, rn);
		x86_alu_ri(e, (enum x86_alu)op, sf, A, (int32_t)d->imm);
		emit_set(e, r, rd);
		return true;
	case K_SUBS_IMM:			/* SUBS (immediate), CMP; ADDS, CMN */
		/* ADDS of imm (not 0: 1 to 0xfff << 12) sets the NZCV of SUBS
		 * of -imm at the data size: the same result and signed
		 * overflow (-imm is never the most negative value), and a
		 * carry out of a + imm exactly when no borrow from
		 * a - (2^size - imm).  Of 0 the carry differs: a call. */
		if (rn == 31 || (op == X86_ADD && !d->imm))
			return false;
		im = op == X86_ADD ? -(int32_t)d->imm : (int32_t)d->imm;
		/* the lazy NZCV's first operand: Xn's host register (all 64
		 * bits: for NZCV_SUB32 nzcv_materialize() takes the low
		 * halves), else Xn in A at the data size; the immediate (12
		 * bits, maybe shifted) fits a sign-extended imm32 */
		hn = rc_use(e, r, rn);
		dst = hn >= 0 ? (enum x86_reg)hn : A;
		if (hn >= 0 && rd != rn) {
			/* pending: stored when seen (struct nzp) */
			nz_set(r, sf, rn, 31, true, im);
			if (rd == 31) {
				x86_alu_ri(e, X86_CMP, sf, dst, im);
			} else {
				x86_mov_rr(e, true, A, dst);
				x86_alu_ri(e, X86_SUB, sf, A, im);
				emit_set(e, r, rd);	/* a MOV: the flags kept */
			}
			*live_out = true;
			return true;
		}
		r->nz.stale = r->nz.cmp = false;	/* stored now */
		if (hn < 0)
			rc_get(e, r, sf, A, rn);
		x86_store(e, true, C, NZCV_A_OFF, dst);
		x86_store_imm(e, true, C, NZCV_B_OFF, im);
		x86_store_imm(e, false, C, NZCV_OP_OFF, sf ? NZCV_SUB64 : NZCV_SUB32);
		/* the host flags of Xn - imm are A64's NZCV but for C,
		 * inverted: live for a consumer right after (emit_cond()) */
		if (rd == 31) {
			x86_alu_ri(e, X86_CMP, sf, dst, im);
		} else if (rd == rn && hn >= 0) {
			rc_def(r, rd);
			x86_alu_ri(e, X86_SUB, sf, dst, im);
		} else {
			if (dst != A)
				x86_mov_rr(e, true, A, dst);
			x86_alu_ri(e, X86_SUB, sf, A, im);
			emit_set(e, r, rd);	/* a MOV: the flags kept */
		}
		*live_out = true;
		return true;
	case K_ADDSUB_SH:
	case K_SUBS_SH:
		if (type == 3)
			return false;		/* reserved: not this row */
		if (k == K_SUBS_SH && !amount && rn != 31 && rm != 31 &&
		    r->host[rn] >= 0 && r->host[rm] >= 0) {
			/* CMP/SUBS Xn, Xm both cached: the lazy NZCV's operands
			 * stored (all 64 bits: for NZCV_SUB32 only the low halves
			 * count) and compared from their registers */
			hn = rc_use(e, r, rn);
			h = rc_use(e, r, rm);
			if (rd == 31 || (rd != rn && rd != rm)) {
				/* pending: stored when seen (struct nzp) */
				nz_set(r, sf, rn, rm, false, 0);
				if (rd == 31) {
					x86_alu_rr(e, X86_CMP, sf, (enum x86_reg)hn,
						   (enum x86_reg)h);
				} else {
					x86_mov_rr(e, true, A, (enum x86_reg)hn);
					x86_alu_rr(e, X86_SUB, sf, A, (enum x86_reg)h);
					emit_set(e, r, rd);
				}
				*live_out = true;
				return true;
			}
			r->nz.stale = r->nz.cmp = false;	/* stored now */
			x86_store(e, true, C, NZCV_A_OFF, (enum x86_reg)hn);
			x86_store(e, true, C, NZCV_B_OFF, (enum x86_reg)h);
			x86_store_imm(e, false, C, NZCV_OP_OFF, sf ? NZCV_SUB64 : NZCV_SUB32);
			if (rd == 31) {
				x86_alu_rr(e, X86_CMP, sf, (enum x86_reg)hn, (enum x86_reg)h);
			} else {
				x86_mov_rr(e, true, A, (enum x86_reg)hn);
				x86_alu_rr(e, X86_SUB, sf, A, (enum x86_reg)h);
				emit_set(e, r, rd);	/* a MOV: the flags kept */
			}
			*live_out = true;
			return true;
		}
		h = r->host[rd];
		if (k == K_ADDSUB_SH && h >= 0 && rn != 31) {
			src = emit_operand(e, r, sf, rd, rn, rm, type, amount, false);
			/* Xd = Xd +/- Xm: a pending CMP of Xd moves with it */
			if (rd == rn && !amount)
				nz_moved_reg(e, r, rd, rm, op == X86_ADD, sf);
			else if (rd == rn)
				nz_clobber(e, r, rd);
			emit_alu_in_place(e, r, sf, op, h, rd, rn, src);
			return true;
		}
		emit_shifted(e, r, sf, rm, type, amount);
		if (k == K_ADDSUB_SH && rd == rn)
			nz_clobber(e, r, rd);
		rc_get(e, r, sf, A, rn);	/* 32 bits: zero-extended */
		if (k == K_SUBS_SH) {
			r->nz.stale = r->nz.cmp = false;	/* stored now */
			emit_lazy_sub(e, sf);
		}
		if (k == K_SUBS_SH && rd == 31) {
			x86_alu_rr(e, X86_CMP, sf, A, B);
			*live_out = true;
			return true;
		}
		x86_alu_rr(e, (enum x86_alu)op, sf, A, B);
		emit_set(e, r, rd);
		*live_out = k == K_SUBS_SH;
		return true;
	case K_LOGIC_SH:
		if (rd == 31)
			return true;		/* no flags, XZR written */
		h = r->host[rd];
		if (rn == 31 && op != X86_AND) {
			/* ORR/EOR (ORN/EON) with XZR: MOV (MVN), the operand
			 * alone, at the data size (32 bits: zero-extended) */
			hn = rm < 31 ? r->host[rm] : -1;
			if (hn >= 0 && !amount && !inv) {
				rc_use(e, r, rm);
				src = (enum x86_reg)hn;
			} else {
				emit_shifted(e, r, sf, rm, type, amount);
				if (inv)
					x86_not(e, sf, B);
				src = B;
			}
			dst = h >= 0 ? (enum x86_reg)h : A;
			rc_def(r, rd);
			x86_mov_rr(e, sf, dst, src);
			if (h < 0)
				emit_set(e, r, rd);
			return true;
		}
		if (h >= 0) {
			src = emit_operand(e, r, sf, rd, rn, rm, type, amount, inv);
			emit_alu_in_place(e, r, sf, op, h, rd, rn, src);
			return true;
		}
		src = emit_operand(e, r, sf, rd, rn, rm, type, amount, inv);
		rc_get(e, r, sf, A, rn);
		x86_alu_rr(e, (enum x86_alu)op, sf, A, src);
		emit_set(e, r, rd);
		return true;
	case K_MOVZ:
	case K_MOVN:
		if (rd == 31)
			return true;
		v = (uint64_t)d->imm;
		if (k == K_MOVN)
			v = sf ? ~v : (uint32_t)~v;
		h = rc_def(r, rd);
		if (h >= 0) {
			x86_mov_ri(e, (enum x86_reg)h, v);
			return true;
		}
		if (v <= 0x7fffffff) {
			x86_store_imm(e, true, C, X_OFF(rd), (int32_t)v);
			return true;
		}
		x86_mov_ri(e, A, v);
		emit_set(e, r, rd);
		return true;
	case K_ADR:
		if (rd == 31)
			return true;
		h = rc_def(r, rd);
		jit_hint_emit_adr(e, d, op, h >= 0 ? (enum x86_reg)h : A);
		if (h < 0)
			emit_set(e, r, rd);
		return true;
	case K_MOVK:
		if (rd == 31)
			return true;
		rc_get(e, r, true, A, rd);
		x86_mov_ri(e, B, ~(0xffffULL << d->aux));
		x86_alu_rr(e, X86_AND, true, A, B);
		x86_mov_ri(e, B, (uint64_t)d->imm);
		x86_alu_rr(e, X86_OR, sf, A, B);	/* 32 bits: upper half 0 */
		emit_set(e, r, rd);
		return true;
	case K_LOGIC_IMM:
		if (rd == 31)
			return false;		/* SP */
		if (!sf || (int64_t)d->imm == (int32_t)d->imm) {
			/* the mask as an imm32 (sign-extended at 64 bits), at
			 * the data size, in place when Rd is cached */
			h = r->host[rd];
			dst = h >= 0 ? (enum x86_reg)h : A;
			if (h >= 0 && rd == rn)
				rc_use(e, r, rn);
			else
				rc_get(e, r, sf, dst, rn);
			x86_alu_ri(e, (enum x86_alu)op, sf, dst, (int32_t)d->imm);
			if (h >= 0)
				rc_def(r, rd);
			else
				emit_set(e, r, rd);
			return true;
		}
		rc_get(e, r, true, A, rn);
		x86_mov_ri(e, B, (uint64_t)d->imm);
		/* AND's mask is sized; ORR and EOR truncate (exec_dp.c) */
		x86_alu_rr(e, (enum x86_alu)op, op == X86_AND || sf, A, B);
		emit_set(e, r, rd);
		return true;
	case K_UBFM:
	case K_SBFM:
		if (BIT(w, 22) != sf || immr >= size || imms >= size)
			return false;
		if (rd == 31)
			return true;
		h = r->host[rd];
		dst = h >= 0 ? (enum x86_reg)h : A;
		if (imms == size - 1 || (k == K_UBFM && imms + 1 == immr)) {
			/* LSR, ASR #immr; LSL #(size - immr): a shift at the
			 * data size (32 bits: the upper half cleared), in
			 * place when Rd is cached */
			if (h >= 0 && rd == rn && (sf || immr))
				rc_use(e, r, rn);
			else
				rc_get(e, r, sf, dst, rn);
			if (imms != size - 1)
				x86_shift_ri(e, X86_SHL, sf, dst, (uint8_t)(size - immr));
			else if (immr)
				x86_shift_ri(e, k == K_UBFM ? X86_SHR : X86_SAR, sf, dst,
					     (uint8_t)immr);
			if (h >= 0)
				rc_def(r, rd);
			else
				emit_set(e, r, rd);
			return true;
		}
		rc_get(e, r, sf, A, rn);
		if (k == K_UBFM) {
			/* rotate right by immr, then the mask (fast_UBFM_xr) */
			if (immr)
				x86_shift_ri(e, X86_ROR, sf, A, (uint8_t)immr);
			if (d->aux != (sf ? ~0ULL : 0xffffffffULL)) {
				x86_mov_ri(e, B, d->aux);
				x86_alu_rr(e, X86_AND, true, A, B);
			}
			emit_set(e, r, rd);
			return true;
		}
		/* SBFM: the field to the top, then an arithmetic shift down
		 * (SBFX, SXTB...) or down and back up (SBFIZ) */
		if (size - 1 - imms)
			x86_shift_ri(e, X86_SHL, sf, A, (uint8_t)(size - 1 - imms));
		if (imms >= immr) {
			if (size - 1 - imms + immr)
				x86_shift_ri(e, X86_SAR, sf, A, (uint8_t)(size - 1 - imms + immr));
		} else {
			if (size - 1 - imms)
				x86_shift_ri(e, X86_SAR, sf, A, (uint8_t)(size - 1 - imms));
			x86_shift_ri(e, X86_SHL, sf, A, (uint8_t)(size - immr));
		}
		if (!sf)
			x86_mov_rr(e, false, A, A);
		emit_set(e, r, rd);
		return true;
	case K_MADD:				/* MADD, MSUB: Ra +/- Rn * Rm */
		if (rd == 31)
			return true;
		rc_get(e, r, sf, A, rn);
		h = rc_use(e, r, rm);
		if (h >= 0) {
			x86_imul_rr(e, sf, A, (enum x86_reg)h);
		} else {
			x86_load(e, sf, B, C, X_OFF(rm));
			x86_imul_rr(e, sf, A, B);
		}
		h = rc_use(e, r, d->ra);
		if (op == X86_ADD && h >= 0) {
			x86_alu_rr(e, X86_ADD, sf, A, (enum x86_reg)h);
		} else if (op == X86_ADD) {
			x86_alu_rm(e, X86_ADD, sf, A, C, X_OFF(d->ra));
		} else {
			rc_get(e, r, sf, B, d->ra);
			x86_alu_rr(e, X86_SUB, sf, B, A);
			x86_mov_rr(e, true, A, B);
		}
		emit_set(e, r, rd);
		return true;
	case K_SHIFTV:				/* LSLV...: the count mod the size */
		if (rd == 31)
			return true;
		rc_get(e, r, sf, A, rn);
		rc_get(e, r, false, B, rm);
		x86_shift_cl(e, (enum x86_shift)op, sf, A);
		emit_set(e, r, rd);
		return true;
	case K_CSEL:				/* CSEL, CSINC, CSINV, CSNEG */
		if (rd == 31)
			return true;
		emit_csel(e, r, d, op, live);
		emit_set(e, r, rd);
		return true;
	case K_REV:				/* REV16, REV32 (REV Wd), REV64 */
		if (rd == 31)
			return true;
		rc_get(e, r, sf, A, rn);
		if (op == 16) {
			/* the bytes of each halfword swapped: the even ones up,
			 * the odd ones down (exec_REV16) */
			x86_mov_ri(e, X86_RDX, sf ? 0x00ff00ff00ff00ffULL : 0x00ff00ffULL);
			x86_mov_rr(e, true, B, A);
			x86_alu_rr(e, X86_AND, true, A, X86_RDX);
			x86_shift_ri(e, X86_SHL, true, A, 8);
			x86_shift_ri(e, X86_SHR, true, B, 8);
			x86_alu_rr(e, X86_AND, true, B, X86_RDX);
			x86_alu_rr(e, X86_OR, true, A, B);
		} else {
			/* REV32 of X: both words swapped back in place */
			x86_bswap(e, sf, A);
			if (op == 32 && sf)
				x86_shift_ri(e, X86_ROR, true, A, 32);
		}
		emit_set(e, r, rd);
		return true;
	case K_CLZ:
		/* size - 1 - BSR, BSR of 0 taken as -1 (CMOVZ): size */
		if (rd == 31)
			return true;
		rc_get(e, r, sf, A, rn);
		x86_mov_ri(e, X86_RDX, sf ? ~0ULL : 0xffffffffULL);
		x86_bsr_rr(e, sf, A, A);
		x86_cmov(e, X86_E, sf, A, X86_RDX);
		x86_neg(e, sf, A);
		x86_alu_ri(e, X86_ADD, sf, A, (int32_t)size - 1);
		emit_set(e, r, rd);
		return true;
	case K_BFM:				/* BFI, BFXIL: Xd's bits outside kept */
		/* the field as UBFM's rotate-and-mask (prep_bitfield's aux),
		 * Xd's other bits by ~aux */
		if (rd == 31)
			return true;
		rc_get(e, r, sf, A, rn);
		if (immr)
			x86_shift_ri(e, X86_ROR, sf, A, (uint8_t)immr);
		x86_mov_ri(e, X86_RDX, d->aux);
		x86_alu_rr(e, X86_AND, true, A, X86_RDX);
		x86_not(e, true, X86_RDX);
		rc_get(e, r, sf, B, rd);
		x86_alu_rr(e, X86_AND, true, B, X86_RDX);
		x86_alu_rr(e, X86_OR, true, A, B);
		emit_set(e, r, rd);
		return true;
	case K_DIV: {				/* UDIV, SDIV (inv) */
		uint8_t *zero, *done, *done2 = NULL, *notm1 = NULL;

		if (rd == 31)
			return true;
		rc_get(e, r, sf, B, rm);
		rc_get(e, r, sf, A, rn);
		x86_test_rr(e, sf, B, B);
		zero = x86_jcc(e, X86_E);		/* by 0: 0 */
		if (inv) {
			/* by -1: the negation, INT_MIN's wrapping to itself
			 * (IDIV would fault) */
			x86_alu_ri(e, X86_CMP, sf, B, -1);
			notm1 = x86_jcc(e, X86_NE);
			x86_neg(e, sf, A);
			done2 = x86_jmp(e);
			if (notm1)
				x86_patch(notm1, e->p);
			x86_cqo(e, sf);
		} else {
			x86_mov_ri(e, X86_RDX, 0);
		}
		x86_div(e, inv, sf, B);
		done = x86_jmp(e);
		if (zero)
			x86_patch(zero, e->p);
		x86_mov_ri(e, A, 0);
		if (done)
			x86_patch(done, e->p);
		if (done2)
			x86_patch(done2, e->p);
		emit_set(e, r, rd);
		return true;
	}
	default:
		return false;
	}
}

/*
 * The row of rows[] an instruction word's name has, or -1.  Each
 * translation asks for every instruction in it two or three times, and a
 * name costs the decoder's search and a strcmp() per row: a memo of the
 * last answers per word, per thread (vCPUs translate concurrently).
 */
#define KIND_MEMO_BITS	10
static _Thread_local struct kind_memo {
	uint32_t insn;
	int16_t row;		/* rows[] index, -1: none */
	bool valid;
} kind_memo[1u << KIND_MEMO_BITS];

static int kind_row(uint32_t insn)
{
	struct kind_memo *m = &kind_memo[(insn * 0x9e3779b1u) >> (32 - KIND_MEMO_BITS)];
	const char *name;
	unsigned int i;

	if (m->valid && m->insn == insn)
		return m->row;
	name = insn_name(insn);
	m->row = -1;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!strcmp(rows[i].name, name)) {
			m->row = (int16_t)i;
			break;
		}
	m->insn = insn;
	m->valid = true;
	return m->row;
}

static enum kind kind_of(const struct dinsn *d, int *op, bool *inv)
{
	int i;

	if (d->fn == exec_undef)
		return K_CALL;
	i = kind_row(d->insn);
	if (i < 0)
		return K_CALL;
	*op = rows[i].op;
	*inv = rows[i].inv;
	return rows[i].kind;
}

/*
 * VKVM_JIT_CALLS=1: each handler call the translations make (an
 * instruction not inlined) counts, by instruction name, into calls[]
 * (a process-wide table, counted without atomics: a profile), printed
 * busiest first when a vCPU is destroyed.  Which instructions to
 * translate next (issue 18).
 */
#define JIT_CALL_SLOTS	1024
static struct jit_call {
	const char *name;
	unsigned int r31;		/* bit 1: Rn is 31, bit 0: Rd/Rt is 31; bit 2:
					 * a side path's (emit_pair()'s slow way) */
	uint64_t n;
} calls[JIT_CALL_SLOTS];

static uint64_t *jit_call_slot(const char *name, unsigned int r31)
{
	unsigned int h = (unsigned int)((((uintptr_t)name >> 3) + r31) * 2654435761u) %
			 JIT_CALL_SLOTS;
	unsigned int k;

	for (k = 0; k < JIT_CALL_SLOTS; k++, h = (h + 1) % JIT_CALL_SLOTS) {
		if (!calls[h].name) {
			calls[h].name = name;
			calls[h].r31 = r31;
		}
		if (calls[h].name == name && calls[h].r31 == r31)
			return &calls[h].n;
	}
	return NULL;
}

static int call_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct jit_call *)a)->n, y = ((const struct jit_call *)b)->n;

	return x < y ? 1 : x > y ? -1 : 0;
}

static void jit_calls_print(int vcpu_id)
{
	static __typeof__(calls) sorted;
	uint64_t total = 0;
	unsigned int k;

	memcpy(sorted, calls, sizeof(calls));
	qsort(sorted, JIT_CALL_SLOTS, sizeof(sorted[0]), call_cmp);
	for (k = 0; k < JIT_CALL_SLOTS; k++)
		total += sorted[k].n;
	fprintf(stderr, "vkvm: JIT calls (all vCPUs so far, at vcpu %d's end): %llu\n",
		vcpu_id, (unsigned long long)total);
	for (k = 0; k < 40 && sorted[k].n; k++)
		fprintf(stderr, "vkvm: JIT calls %2u %-20s %-7s %12llu %5.1f%%\n", k + 1,
			sorted[k].name, (const char *[]){ "", "Rd31", "Rn31", "Rd,Rn31", "side",
			"Rd31 s", "Rn31 s", "Rd,Rn s" }[sorted[k].r31 & 7],
			(unsigned long long)sorted[k].n,
			100.0 * (double)sorted[k].n / (double)total);
}

static void emit_call_count_side(struct x86 *e, const struct dinsn *d, bool side)
{
	uint64_t *slot;

	if (!count_calls)
		return;
	slot = jit_call_slot(d->fn == exec_undef ? "undefined" : insn_name(d->insn),
			     side * 4u + (d->rn == 31) * 2u + (d->rd == 31));
	if (!slot)
		return;
	x86_mov_ri(e, X86_RAX, (uint64_t)(uintptr_t)slot);
	x86_alu_mi(e, X86_ADD, true, X86_RAX, 0, 1);
}

static void emit_call_count(struct x86 *e, const struct dinsn *d)
{
	emit_call_count_side(e, d, false);
}

/* rdi = c, rsi = d; call f */
static void emit_call(struct x86 *e, const void *f, const struct dinsn *d)
{
	x86_mov_rr(e, true, X86_RDI, C);
	x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)d);
	x86_mov_ri(e, X86_RAX, (uint64_t)(uintptr_t)f);
	x86_call_r(e, X86_RAX);
}

/* Leave with r in EAX through jit_leave(c, d, r) */
static void emit_leave(struct x86 *e, const struct dinsn *d)
{
	x86_mov_rr(e, false, X86_RDX, X86_RAX);
	x86_mov_rr(e, true, X86_RDI, C);
	x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)d);
	emit_pop_frame(e);
	x86_mov_ri(e, X86_RAX, (uint64_t)(uintptr_t)jit_leave);
	x86_jmp_r(e, X86_RAX);
}

#define CUR_TLB_OFF	((int32_t)offsetof(struct cpu, cur_tlb))
#define TAG_R_OFF	((int32_t)offsetof(struct tlb_entry, tag_r))
#define ADDEND_OFF	((int32_t)offsetof(struct tlb_entry, addend))
_Static_assert(sizeof(struct tlb_entry) == 64, "a TLB entry is 1 << 6 bytes");
_Static_assert(PAGE_SHIFT + TLB_BITS <= 32, "the TLB index from the address's low half");

#define TAG_W_OFF	((int32_t)offsetof(struct tlb_entry, tag_w))
#define TH_HOST_OFF	((int32_t)offsetof(struct cpu, th_host))
#define TH_BASE_OFF	((int32_t)offsetof(struct cpu, th_base))
#define DPAGE_LINES_OFF	((int32_t)offsetof(struct dpage, lines))

/* A store of this translation wrote h in the page being run: does it hit
 * checked code?  Then end the chain after d, as its handler would. */
static int jit_code_check(struct cpu *c, const struct dinsn *d, const void *h)
{
	c->engine->jit->st.code_checks++;
	return thread_hits_code(c, h) ? thread_code_written(c, d) : EXEC_NEXT;
}

static void emit_exit_check(struct x86 *e, const struct dinsn *d, struct pending *pend,
			    unsigned int *np)
{
	x86_test_rr(e, false, X86_RAX, X86_RAX);
	pend[*np].jcc = x86_jcc(e, X86_NE);
	pend[*np].stop = false;
	pend[(*np)++].d = d;
}

/* Xn = base (in host register base: RSI or Xn's own) + the offset: a
 * pre- or post-index writeback */
static void emit_writeback(struct x86 *e, struct regs *r, const struct dinsn *d,
			   enum x86_reg base)
{
	int h;

	nz_moved(e, r, d->rn, (int64_t)d->imm, true);
	h = rc_def(r, d->rn);
	if (h >= 0) {
		if (d->imm || (enum x86_reg)h != base)
			x86_lea(e, true, (enum x86_reg)h, base, (int32_t)d->imm);
		return;
	}
	if (d->imm)
		x86_alu_ri(e, X86_ADD, true, X86_RSI, (int32_t)d->imm);
	x86_store(e, true, C, X_OFF(d->rn), X86_RSI);
}

/*
 * The slow way of an inline access, here: the handler runs with the
 * cached registers written back before and those of after loaded again;
 * then the hit path (hit, a Jcc from the TLB tag compare) goes on with
 * RAX the host address (the entry in RDX: its addend added).  Returns the
 * slow way's JMP past the hit path, for the caller to patch.
 */
static uint8_t *emit_tlb_slow_way(struct x86 *e, struct regs *r, const struct dinsn *d,
				  struct pending *pend, unsigned int *np, uint32_t after,
				  uint8_t *hit)
{
	uint8_t *done;

	rc_write_back(e, r);
	emit_call(e, d->fn, d);
	emit_exit_check(e, d, pend, np);
	rc_reload(e, r, after);
	done = x86_jmp(e);
	if (hit)
		x86_patch(hit, e->p);
	x86_alu_rm(e, X86_ADD, true, A, X86_RDX, ADDEND_OFF);
	return done;
}

/* Xt (a store's source, XZR 0: x[31]) into XMM x */
static void pair_xmm(struct x86 *e, struct regs *r, unsigned int x, unsigned int n)
{
	int h = n < 31 ? r->host[n] : -1;

	if (h >= 0)
		x86_movq_xr(e, x, (enum x86_reg)h);
	else
		x86_movq_xm(e, x, C, X_OFF(n));
}

/*
 * The second chance of an X pair whose tag compare (the page, 16-byte
 * aligned) failed: aligned to 8 only (8 mod 16) with both registers in the
 * page, two 8-byte host accesses (MOVQ), each single-copy atomic, which is
 * all such a pair asks (Arm ARM B2.2.1: two single-copy atomic 64-bit
 * accesses; with FEAT_LSE2 the pair is one 16-byte atomic access only
 * when 16-byte aligned).  A load leaves the pair in XMM0 (Rt low) as
 * MOVDQA does, a store reads Rt and Rt2 and stores them, Rt first.  The
 * jumps to the slow way go into miss[] (NULL: none); returns the jump to
 * the join, for emit_pair() to patch after its 16-byte access.
 */
static uint8_t *emit_pair_x8(struct x86 *e, const struct regs *r, bool store,
			     unsigned int rt, unsigned int rt2, uint8_t *miss[3])
{
	unsigned int i;

	x86_mov_rr(e, true, B, A);
	x86_alu_ri(e, X86_AND, true, B, (int32_t)(PAGE_MASK | 7));
	x86_alu_rm(e, X86_CMP, true, B, X86_RDX, store ? TAG_W_OFF : TAG_R_OFF);
	miss[0] = x86_jcc(e, X86_NE);
	/* Rt2 in the next page */
	x86_mov_rr(e, false, B, A);
	x86_alu_ri(e, X86_AND, false, B, (int32_t)(PAGE_SIZE - 8));
	x86_alu_ri(e, X86_CMP, false, B, (int32_t)(PAGE_SIZE - 8));
	miss[1] = x86_jcc(e, X86_E);
	x86_alu_rm(e, X86_ADD, true, A, X86_RDX, ADDEND_OFF);
	miss[2] = NULL;
	if (!store) {
		x86_movq_xm(e, 0, A, 0);
		x86_movq_xm(e, 1, A, 8);
		x86_punpcklqdq(e, 0, 1);
		return x86_jmp(e);
	}
	/* into the page being run: the handler's, as emit_pair()'s */
	x86_mov_rr(e, true, B, A);
	x86_alu_rm(e, X86_SUB, true, B, C, TH_HOST_OFF);
	x86_alu_ri(e, X86_CMP, true, B, (int32_t)PAGE_SIZE);
	miss[2] = x86_jcc(e, X86_B);
	for (i = 0; i < 2; i++) {
		unsigned int n = i ? rt2 : rt;
		int h = n < 31 ? r->host[n] : -1;

		if (h < 0) {
			x86_load(e, true, B, C, X_OFF(n));
			h = B;
		}
		x86_store(e, true, A, (int32_t)(8 * i), (enum x86_reg)h);
	}
	return x86_jmp(e);
}

/*
 * LDP/STP/LDNP/STNP of X or W registers (signed offset, pre- and
 * post-index), any base (SP: its slot, emit_sp_slot(), an SP not 16-byte
 * aligned the slow way as emit_access()), as the handler's fast path
 * (pair_fast(), exec_ldst.c) does them but for alignment: the inline
 * path takes a pair aligned to its own size (16 bytes for X, 8 for W:
 * the tag compare's low bits), which is then in one page and one 16-byte
 * quantity, one host access (MOVDQA for X, single-copy atomic as
 * host_load16(); one 8-byte MOV for W), and an X pair at 8 mod 16 in one
 * page as two 8-byte accesses (emit_pair_x8()); a W pair aligned to its
 * elements only, or a pair crossing a page, or a TLB miss, is the handler's (its slow
 * path faults with PC and the registers exact: nothing is written
 * before).  Rt then Rt2 (Rt2 wins when the same), then the writeback
 * (wins over a load's Rt == Rn); a store reads both before it (Rt == Rn:
 * the old base), as ref_pair().  A store into the page being run is the
 * handler's (it looks for checked code itself): one compare, and no
 * code check inline (smaller code; a stack page holds no code).
 */
static bool emit_pair(struct x86 *e, struct regs *r, const struct dinsn *d, bool store,
		      unsigned int lg, struct pending *pend, unsigned int *np)
{
	uint32_t w = d->insn;
	bool wb = BIT(w, 23), post = FIELD(w, 24, 23) == 1;
	unsigned int rt = d->rd, rt2 = d->ra, rn = d->rn, pair = 2u << lg;
	enum x86_reg base = X86_RSI;
	uint8_t *hit, *done, *code, *the_slow_way, *sp_miss = NULL;
	uint8_t *miss8[3] = { NULL, NULL, NULL }, *join8 = NULL;
	uint32_t after;
	unsigned int i;
	int h;

	/* what the paths write: a pending CMP reading it stored first
	 * (emit_body() did Rt) */
	if (!store)
		nz_clobber(e, r, rt2);
	if (store) {
		rc_use(e, r, rt);
		rc_use(e, r, rt2);
	}
	if (rn == 31) {
		/* RDI = SP's slot, RSI = SP */
		emit_sp_slot(e);
		x86_mov_rr(e, true, X86_RDI, X86_RDX);
		x86_load(e, true, X86_RSI, X86_RDI, 0);
		x86_mov_rr(e, false, B, X86_RSI);
		x86_alu_ri(e, X86_AND, false, B, 15);
		sp_miss = x86_jcc(e, X86_NE);
	} else {
		/* Xn's host register, or RSI: a copy when a load with
		 * writeback writes Xn as Rt or Rt2 (the writeback wins) */
		h = rc_use(e, r, rn);
		if (h >= 0 && !(wb && !store && (rt == rn || rt2 == rn)))
			base = (enum x86_reg)h;
		else
			rc_get(e, r, true, X86_RSI, rn);
	}
	if (!post && d->imm)
		x86_lea(e, true, A, base, (int32_t)d->imm);
	else
		x86_mov_rr(e, true, A, base);
	/* RDX = the TLB entry; the tag: the page, aligned to the pair */
	x86_mov_rr(e, false, X86_RDX, A);
	x86_shift_ri(e, X86_SHR, false, X86_RDX, PAGE_SHIFT - 6);
	x86_alu_ri(e, X86_AND, false, X86_RDX, (TLB_SIZE - 1) << 6);
	x86_alu_rm(e, X86_ADD, true, X86_RDX, C, CUR_TLB_OFF);
	x86_mov_rr(e, true, B, A);
	x86_alu_ri(e, X86_AND, true, B, (int32_t)(PAGE_MASK | (pair - 1)));
	x86_alu_rm(e, X86_CMP, true, B, X86_RDX, store ? TAG_W_OFF : TAG_R_OFF);
	after = r->loaded;
	if (!store && rt < 31 && r->host[rt] >= 0)
		after |= 1u << rt;
	if (!store && rt2 < 31 && r->host[rt2] >= 0)
		after |= 1u << rt2;
	if (wb && rn < 31 && r->host[rn] >= 0)
		after |= 1u << rn;
	hit = x86_jcc(e, X86_E);
	if (lg == 3)
		join8 = emit_pair_x8(e, r, store, rt, rt2, miss8);
	/* miss (or a store into the page being run): the handler, the state
	 * written back before and loaded after */
	if (sp_miss)
		x86_patch(sp_miss, e->p);
	the_slow_way = e->p;
	for (i = 0; i < 3; i++)
		if (miss8[i])
			x86_patch(miss8[i], the_slow_way);
	emit_call_count_side(e, d, true);	/* VKVM_JIT_CALLS: "side" */
	done = emit_tlb_slow_way(e, r, d, pend, np, after, hit);
	if (store) {
		/* into the page being run: the handler's (it stores and looks
		 * for checked code itself); nothing is written before */
		x86_mov_rr(e, true, B, A);
		x86_alu_rm(e, X86_SUB, true, B, C, TH_HOST_OFF);
		x86_alu_ri(e, X86_CMP, true, B, (int32_t)PAGE_SIZE);
		code = x86_jcc(e, X86_B);
		if (code)
			x86_patch(code, the_slow_way);
	}
	if (!store && lg == 3) {
		int ht = rt < 31 ? r->host[rt] : -1, ht2 = rt2 < 31 ? r->host[rt2] : -1;

		x86_movdqa_load(e, 0, A, 0);
		if (join8)
			x86_patch(join8, e->p);
		x86_movq_rx(e, ht >= 0 ? (enum x86_reg)ht : B, 0);
		rc_set(e, r, rt, ht >= 0 ? (enum x86_reg)ht : B);
		x86_punpckhqdq(e, 0, 0);
		x86_movq_rx(e, ht2 >= 0 ? (enum x86_reg)ht2 : B, 0);
		rc_set(e, r, rt2, ht2 >= 0 ? (enum x86_reg)ht2 : B);
	} else if (!store) {
		x86_load(e, true, B, A, 0);
		x86_mov_rr(e, false, X86_RDX, B);
		rc_set(e, r, rt, X86_RDX);
		x86_shift_ri(e, X86_SHR, true, B, 32);
		rc_set(e, r, rt2, B);
	} else if (lg == 3) {
		pair_xmm(e, r, 0, rt);
		pair_xmm(e, r, 1, rt2);
		x86_punpcklqdq(e, 0, 1);
		x86_movdqa_store(e, A, 0, 0);
		if (join8)
			x86_patch(join8, e->p);
	} else {
		h = rt < 31 ? r->host[rt] : -1;
		if (h >= 0)
			x86_mov_rr(e, false, B, (enum x86_reg)h);
		else
			x86_load(e, false, B, C, X_OFF(rt));
		rc_get(e, r, true, X86_RDX, rt2);
		x86_shift_ri(e, X86_SHL, true, X86_RDX, 32);
		x86_alu_rr(e, X86_OR, true, X86_RDX, B);
		x86_store(e, true, A, 0, X86_RDX);
	}
	if (wb && rn == 31) {
		x86_lea(e, true, X86_RSI, X86_RSI, (int32_t)d->imm);
		x86_store(e, true, X86_RDI, 0, X86_RSI);
	} else if (wb) {
		emit_writeback(e, r, d, base);
	}
	if (done)
		x86_patch(done, e->p);
	return true;
}

/*
 * LDR and STR (immediate, unsigned offset; register offset; pre- and
 * post-index) of X, W, H, B with Rn not SP but for the unsigned offset
 * (and, for a load, Rt not XZR),
 * as the handlers' fast path does them (int_access(), int_access_rx() and
 * int_access_wbs(), exec_ldst.c): the address,
 * its data-TLB entry in c->cur_tlb, the tag compared with the page and the
 * low bits the size must leave clear (a misaligned access goes the slow
 * way), then the host load, zero-extended, or the host store and, when it
 * lands in the page being run, the check for checked code
 * (thread_hits_code()); a writeback after the access (after Rt for a
 * load, and a store's Rt read before it).  On a miss, the handler runs
 * (its slow path walks, faults, exits) as if called alone.  False: not
 * this form.
 */
static bool emit_access(struct x86 *e, struct regs *r, const struct dinsn *d, enum kind k,
			unsigned int lg, bool post, struct pending *pend, unsigned int *np)
{
	bool store = k == K_STORE_UIMM || k == K_STORE_REG || k == K_STORE_WB;
	bool reg = k == K_LOAD_REG || k == K_STORE_REG;
	bool wb = k == K_LOAD_WB || k == K_STORE_WB;
	unsigned int ext = d->ra;
	uint8_t *hit, *done, *away, *away2, *sp_miss = NULL;
	uint32_t after;
	int h, hn = X86_RSI;

	if (k == K_LOAD_PAIR || k == K_STORE_PAIR)
		return emit_pair(e, r, d, k == K_STORE_PAIR, lg, pend, np);
	if ((d->rn == 31 && (reg || wb)) || (!store && d->rd == 31))
		return false;
	if (reg && ((ext != 2 && ext != 3 && ext != 6 && ext != 7) || d->imm > 3))
		return false;
	/* what the hit path reads, loaded before the paths part; what it
	 * writes, loaded on the miss path after the handler */
	if (store)
		rc_use(e, r, d->rd);
	if (wb) {
		/* RSI: the base, written back after the access; or Xn's own
		 * host register, unless a load's Rt is Xn */
		hn = rc_use(e, r, d->rn);
		if (hn < 0 || (!store && d->rd == d->rn)) {
			rc_get(e, r, true, X86_RSI, d->rn);
			hn = X86_RSI;
		}
		if (!post && d->imm)
			x86_lea(e, true, A, (enum x86_reg)hn, (int32_t)d->imm);
		else
			x86_mov_rr(e, true, A, (enum x86_reg)hn);
	} else if (!reg && d->rn == 31) {
		/* SP: its slot (emit_sp_slot()); an SP not 16-byte aligned
		 * goes the slow way (the handler's SP alignment check) */
		emit_sp_slot(e);
		x86_load(e, true, A, X86_RDX, 0);
		x86_mov_rr(e, false, B, A);
		x86_alu_ri(e, X86_AND, false, B, 15);
		sp_miss = x86_jcc(e, X86_NE);
		if (d->imm)
			x86_alu_ri(e, X86_ADD, true, A, (int32_t)d->imm);
	} else if (!reg) {
		h = rc_use(e, r, d->rn);
		if (h >= 0 && d->imm) {
			x86_lea(e, true, A, (enum x86_reg)h, (int32_t)d->imm);
		} else {
			rc_get(e, r, true, A, d->rn);
			if (d->imm)
				x86_alu_ri(e, X86_ADD, true, A, (int32_t)d->imm);
		}
	} else {
		/* A = Xn + (the extended Xm << imm): one LEA, from the cached
		 * registers where they are (imm: 0 or the size's log2) */
		enum x86_reg base = A, idx = B;

		h = rc_use(e, r, d->rm);
		if (ext == 2)
			rc_get(e, r, false, B, d->rm);				/* UXTW */
		else if (ext == 6 && h >= 0)
			x86_movsxd_rr(e, B, (enum x86_reg)h);			/* SXTW */
		else if (ext == 6)
			x86_movsxd_m(e, B, C, X_OFF(d->rm));
		else if (h >= 0)
			idx = (enum x86_reg)h;					/* LSL, SXTX */
		else
			rc_get(e, r, true, B, d->rm);
		hn = rc_use(e, r, d->rn);
		if (hn >= 0)
			base = (enum x86_reg)hn;
		else
			rc_get(e, r, true, A, d->rn);
		x86_lea_idx(e, A, base, idx, (unsigned int)d->imm);
	}
	/* RDX = &cur_tlb[(addr >> PAGE_SHIFT) & (TLB_SIZE - 1)]: the index
	 * times 64 is (addr >> (PAGE_SHIFT - 6)) masked, from the low half */
	x86_mov_rr(e, false, X86_RDX, A);
	x86_shift_ri(e, X86_SHR, false, X86_RDX, PAGE_SHIFT - 6);
	x86_alu_ri(e, X86_AND, false, X86_RDX, (TLB_SIZE - 1) << 6);
	x86_alu_rm(e, X86_ADD, true, X86_RDX, C, CUR_TLB_OFF);
	/* RCX = addr & (PAGE_MASK | (size - 1)) */
	x86_mov_rr(e, true, B, A);
	x86_alu_ri(e, X86_AND, true, B, (int32_t)(PAGE_MASK | ((1u << lg) - 1)));
	x86_alu_rm(e, X86_CMP, true, B, X86_RDX, store ? TAG_W_OFF : TAG_R_OFF);
	after = r->loaded;
	if (!store && r->host[d->rd] >= 0)
		after |= 1u << d->rd;
	if (wb && r->host[d->rn] >= 0)
		after |= 1u << d->rn;
	hit = x86_jcc(e, X86_E);
	/* miss: the handler, the state written back before and loaded after */
	if (sp_miss)
		x86_patch(sp_miss, e->p);
	done = emit_tlb_slow_way(e, r, d, pend, np, after, hit);
	if (store) {
		/* on a hit RCX is the tag, the address's page (its size's low
		 * bits clear): its host address, compared with th_host below */
		x86_alu_rm(e, X86_ADD, true, B, X86_RDX, ADDEND_OFF);
		h = d->rd < 31 ? r->host[d->rd] : -1;	/* loaded above */
		if (h >= 0) {
			x86_store_n(e, 1u << lg, A, 0, (enum x86_reg)h);
		} else if (d->rd == 31) {
			x86_store_zero_n(e, 1u << lg, A, 0);	/* XZR */
		} else {
			x86_load(e, true, X86_RDX, C, X_OFF(d->rd));
			x86_store_n(e, 1u << lg, A, 0, X86_RDX);
		}
		if (wb)
			emit_writeback(e, r, d, (enum x86_reg)hn);
		/* in the page being run (its host page th_host), on a line of
		 * checked code (its dpage's lines, thread_hits_code())? then
		 * the code check, which ends the chain */
		x86_alu_rm(e, X86_CMP, true, B, C, TH_HOST_OFF);
		away = x86_jcc(e, X86_NE);
		x86_mov_rr(e, true, B, A);
		x86_alu_rm(e, X86_SUB, true, B, C, TH_HOST_OFF);
		x86_shift_ri(e, X86_SHR, false, B, CODE_LINE_SHIFT);
		x86_load(e, true, X86_RDX, C, TH_BASE_OFF);
		x86_load(e, true, X86_RDX, X86_RDX, DPAGE_LINES_OFF);
		x86_bt_rr(e, X86_RDX, B);
		away2 = x86_jcc(e, X86_AE);
		x86_mov_rr(e, true, X86_RDX, A);
		rc_write_back(e, r);
		emit_call(e, jit_code_check, d);
		emit_exit_check(e, d, pend, np);
		rc_reload(e, r, r->loaded);
		if (away)
			x86_patch(away, e->p);
		if (away2)
			x86_patch(away2, e->p);
		if (done)
			x86_patch(done, e->p);
		return true;
	}
	h = r->host[d->rd];			/* the load's Rt: not XZR */
	if (h < 0)
		h = A;
	if (lg == 3)
		x86_load(e, true, (enum x86_reg)h, A, 0);
	else if (lg == 2)
		x86_load(e, false, (enum x86_reg)h, A, 0);
	else
		x86_movzx_m(e, 1u << lg, (enum x86_reg)h, A, 0);
	rc_set(e, r, d->rd, (enum x86_reg)h);
	if (wb)
		emit_writeback(e, r, d, (enum x86_reg)hn);	/* after Rt, as the handler */
	if (done)
		x86_patch(done, e->p);
	return true;
}

/*
 * The entries a translation from entry i covers: i up to the one that
 * ends the block, at most JIT_MAX_INSNS.  Returns the count; *tail: the
 * entry after them, which ends the block (a branch the translation does
 * itself, emit_tail(), or an entry it jumps to), or the entry
 * JIT_MAX_INSNS on, or the page's sentinel.
 */
static unsigned int jit_span(const struct dpage *dp, unsigned int i, unsigned int *tail)
{
	unsigned int k;

	for (k = i; k < DPAGE_INSNS && !dp->insn[k].bend && k - i < JIT_MAX_INSNS; k++)
		;
	*tail = k;
	return k - i;
}

#define TH_BUDGET_OFF	((int32_t)offsetof(struct cpu, th_budget))
#define TH_FLOOR_OFF	((int32_t)offsetof(struct cpu, th_stack_floor))
#define TH_CHAIN_OFF	((int32_t)offsetof(struct cpu, th_chain))
#define VCHAIN_OFF	((int32_t)offsetof(struct dinsn, vchain))
_Static_assert(offsetof(struct dinsn, vchain) < 128, "JMP/CMP [RSI + disp8]");

/* A taken branch of entry d leaves the page being run: PC stored, on to
 * the next page as thread_branch_rel() does. */
static int jit_branch_out(struct cpu *c, const struct dinsn *d)
{
	thread_sync_pc(c, d);
	c->state.pc += (uint64_t)d->imm;
	return thread_cross_page(c);
}

/* RDI and RSI set, the frame popped: jump to f(c, t) */
static void emit_tail_call(struct x86 *e, const void *f)
{
	x86_mov_ri(e, X86_RAX, (uint64_t)(uintptr_t)f);
	x86_jmp_r(e, X86_RAX);
}

/* Jcc to a tail call of f, emitted after the code that follows (*later) */
struct stub {
	uint8_t *jcc;
	const void *f;
};


/* An exit made by emit_exit() for a target not yet translated */
struct late {
	uint8_t *at;			/* its JMP's rel32 */
	unsigned int i;
};

/* The exits of a translation being made: where a jump to an entry of the
 * same page may go directly (chain_to()), the loop head (a branch to the
 * translation's own entry), the exits to patch later. */
struct chain {
	const struct dpage *dp;
	const struct codebuf *buf;
	unsigned int self_i;
	uint8_t *self;
	uint8_t *head;			/* the loop's head, NULL: no loop */
	/* the second copy of a loop's body, entered from a back edge with a
	 * CMP pending (nz2): its head, or the first copy's jump to it */
	uint8_t *head2, *to_head2;
	struct nzp nz2;
	struct jit_stats *st;		/* chained, loops counted */
	struct late late[4];		/* the taken and the fall-through side (x2) */
	unsigned int nlate;
};

/* t's translation made before (rw address, past its prologue), or NULL */
static uint8_t *chain_to(const struct chain *ch, const struct dinsn *t)
{
	if (t->jit && codebuf_holds(ch->buf, (const void *)(uintptr_t)t->tfn))
		return ch->buf->rw + ((const uint8_t *)(uintptr_t)t->tfn - ch->buf->rx) +
		       JIT_PROLOGUE;
	return NULL;
}

/* The slow sides of the checks below: the frame popped, a tail jump to
 * f(c, t) */
static void emit_stubs(struct x86 *e, const struct stub *st, unsigned int n,
		       const struct dinsn *t)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		if (st[k].jcc)
			x86_patch(st[k].jcc, e->p);
		x86_mov_rr(e, true, X86_RDI, C);
		x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)t);
		emit_pop_frame(e);
		emit_tail_call(e, st[k].f);
	}
}

/*
 * Leave the translation for entry t of the page (not its own entry),
 * which starts a block, as engine.c enters it after a branch
 * (thread_leave(), thread_branch_rel() and thread_enter_block() in
 * thread.h): a taken branch spends one of th_budget (spent:
 * thread_budget_out(), which looks at kicks and interrupts); the block
 * check when the block was not checked in this chain
 * (thread_block_check()); then a direct JMP past the prologue of t's
 * translation, the frame and RBX kept (a JMP does not grow the stack: no
 * stack bound), or, while t has none, a slow side that pops the frame,
 * compares the stack bound (thread_unwind()) and jumps through t's tfn
 * (patched to the direct form when t is translated, patches_resolve()).
 * c->state is exact here, nothing cached is loaded.
 */
static void emit_exit(struct x86 *e, struct chain *ch, const struct dinsn *t, bool taken)
{
	struct stub st[2], unwind;
	unsigned int n = 0;
	uint8_t *to = chain_to(ch, t), *j;

	if (taken) {
		x86_alu_mi(e, X86_SUB, false, C, TH_BUDGET_OFF, 1);
		st[n].jcc = x86_jcc(e, X86_E);
		st[n++].f = thread_budget_out;
	}
	x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)t);
	x86_load(e, true, A, C, TH_CHAIN_OFF);
	x86_alu_rm(e, X86_CMP, true, A, X86_RSI, VCHAIN_OFF);
	st[n].jcc = x86_jcc(e, X86_NE);
	st[n++].f = thread_block_check;
	j = x86_jmp(e);
	if (to) {
		if (j)
			x86_patch(j, to);
		ch->st->chained++;
	} else {
		if (j)
			x86_patch(j, e->p);
		if (j && ch->nlate < sizeof(ch->late) / sizeof(ch->late[0])) {
			ch->late[ch->nlate].at = j;
			ch->late[ch->nlate++].i = (unsigned int)(t - ch->dp->insn);
		}
		x86_mov_rr(e, true, X86_RDI, C);
		emit_pop_frame(e);
		x86_alu_rm(e, X86_CMP, true, X86_RSP, X86_RDI, TH_FLOOR_OFF);
		unwind.jcc = x86_jcc(e, X86_B);
		x86_jmp_m(e, X86_RSI, TFN_OFF);
		if (unwind.jcc)
			x86_patch(unwind.jcc, e->p);
		emit_tail_call(e, thread_unwind);
	}
	emit_stubs(e, st, n, t);
}

/*
 * A taken branch back to the translation's own entry t (a loop): every
 * cached register loaded, nothing written back, one of th_budget spent
 * and a jump to the loop's head, after the prologue's loads (emit_block()).
 * No block check: the block was checked in this chain, which it has not
 * left (the epoch only ends when the chain returns), and a store into it
 * ends the chain; no stack bound: a JMP.  Out of budget: written back,
 * on to thread_budget_out() as emit_exit().
 */
static void emit_back_edge(struct x86 *e, struct chain *ch, struct regs *r,
			   const struct dinsn *t)
{
	uint8_t *j;
	unsigned int n;

	const uint8_t *to = ch->head;

	for (n = 0; n < 31; n++)
		if (r->host[n] >= 0)
			rc_use(e, r, n);
	if (r->nz.stale && !ch->head2 && !ch->to_head2) {
		/* the first copy: on to the second, the CMP pending there */
		ch->nz2 = r->nz;
		to = NULL;
	} else if (r->nz.stale && ch->head2 && nz_same(&r->nz, &ch->nz2)) {
		to = ch->head2;
	} else if (r->nz.stale) {	/* cannot be: the same code again */
		nz_store(e, r);
		r->nz.stale = false;
	}
	x86_alu_mi(e, X86_SUB, false, C, TH_BUDGET_OFF, 1);
	j = x86_jcc(e, X86_NE);
	if (j && to)
		x86_patch(j, to);
	else if (!to)
		ch->to_head2 = j;
	rc_write_back(e, r);
	x86_mov_rr(e, true, X86_RDI, C);
	x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)t);
	emit_pop_frame(e);
	emit_tail_call(e, thread_budget_out);
	ch->st->chained++;
	ch->st->loops++;
}

/* The in-page entry a PC-relative branch at entry b jumps to, or -1 (out
 * of the page) */
static int64_t branch_target(const struct dpage *dp, const struct dinsn *b)
{
	int64_t t = (b - dp->insn) + b->imm / 4;

	return t >= 0 && t < (int64_t)DPAGE_INSNS ? t : -1;
}

/* The taken path of branch entry b of the page */
static void emit_taken(struct x86 *e, struct chain *ch, struct regs *r, const struct dinsn *b)
{
	const struct dpage *dp = ch->dp;
	int64_t t = branch_target(dp, b);

	if (t == (int64_t)ch->self_i && ch->head) {
		emit_back_edge(e, ch, r, &dp->insn[t]);
		return;
	}
	if (t >= 0) {
		emit_exit(e, ch, &dp->insn[t], true);
		return;
	}
	x86_mov_rr(e, true, X86_RDI, C);
	x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)b);
	emit_pop_frame(e);
	emit_tail_call(e, jit_branch_out);
}

/* The PC-relative branches a translation does itself (emit_tail()) */
enum tail_kind { T_NONE, T_B, T_BCOND, T_CBZ, T_TBZ };

static enum tail_kind tail_kind(const struct dpage *dp, unsigned int tail, bool *nz)
{
	const struct dinsn *b = &dp->insn[tail];
	const char *name;

	*nz = false;
	if (tail >= DPAGE_INSNS || b->fn == exec_undef)
		return T_NONE;
	name = insn_name(b->insn);
	if (!strcmp(name, "B") || (!strcmp(name, "B_cond") && (b->insn & 15) >= 14))
		return T_B;
	if (!strcmp(name, "B_cond"))
		return T_BCOND;
	*nz = name[2] == 'N';
	if (!strcmp(name, "CBZ") || !strcmp(name, "CBNZ"))
		return T_CBZ;
	if (!strcmp(name, "TBZ") || !strcmp(name, "TBNZ"))
		return T_TBZ;
	return T_NONE;
}

/* Does the translation of entries i..tail loop to its own entry? */
static bool is_loop(const struct dpage *dp, unsigned int i, unsigned int tail)
{
	bool nz;

	return tail_kind(dp, tail, &nz) != T_NONE &&
	       branch_target(dp, &dp->insn[tail]) == (int64_t)i;
}

/*
 * The end of a translation at entry tail: a PC-relative branch (B,
 * B.cond, CBZ, CBNZ, TBZ, TBNZ) done here, its condition from the host
 * flags of a SUBS just before (live) or else from the registers or NZCV,
 * both ways out chained (emit_exit()), a taken branch to the
 * translation's own entry kept in it with the registers cached
 * (emit_back_edge()); anything else is jumped to as its threaded entry,
 * which ends the block without the JIT.  True: a branch done here.
 */
static bool emit_tail(struct x86 *e, struct regs *r, struct chain *ch, unsigned int tail,
		      bool live)
{
	const struct dinsn *b = &ch->dp->insn[tail];
	bool sf = BIT(b->insn, 31), nz, loop = ch->head != NULL;
	enum tail_kind k = tail_kind(ch->dp, tail, &nz);
	struct regs out;
	enum x86_cc cc;
	uint8_t *taken;
	int h;

	/* every way out but a loop's back edge leaves c->state exact (MOVs:
	 * the flags kept) */
	if (!loop) {
		rc_write_back(e, r);
		r->dirty = 0;
		r->nz.stale = false;	/* stored; its operands still there */
	}
	switch (k) {
	case T_B:
		emit_taken(e, ch, r, b);
		return true;
	case T_BCOND:
		cc = emit_cond(e, r, b->insn & 15, live);
		break;
	case T_CBZ:
		h = rc_use(e, r, b->rd);	/* XZR: x[31] is 0 */
		if (h >= 0) {
			x86_test_rr(e, sf, (enum x86_reg)h, (enum x86_reg)h);
		} else {
			x86_load(e, sf, A, C, X_OFF(b->rd));
			x86_test_rr(e, sf, A, A);
		}
		cc = nz ? X86_NE : X86_E;
		break;
	case T_TBZ:
		h = rc_use(e, r, b->rd);
		if (h >= 0) {
			x86_bt_ri(e, (enum x86_reg)h, (uint8_t)b->aux);
		} else {
			x86_load(e, true, A, C, X_OFF(b->rd));
			x86_bt_ri(e, A, (uint8_t)b->aux);
		}
		cc = nz ? X86_B : X86_AE;
		break;
	default:
		rc_write_back(e, r);
		x86_mov_rr(e, true, X86_RDI, C);
		x86_mov_ri(e, X86_RSI, (uint64_t)(uintptr_t)b);
		emit_pop_frame(e);
		x86_jmp_m(e, X86_RSI, TFN_OFF);
		return false;
	}
	taken = x86_jcc(e, cc);
	out = *r;
	rc_write_back(e, &out);
	emit_exit(e, ch, b + 1, false);
	if (taken)
		x86_patch(taken, e->p);
	emit_taken(e, ch, r, b);
	return true;
}

/*
 * The registers to cache in a translation of entries i..tail (and the
 * branch at tail): the RC_N most named by its inline forms (as operands),
 * each at least RC_MIN_USES times, or once in a loop (is_loop(): loaded
 * once before it, written back at its exits).
 */
static unsigned int rc_choose(struct regs *r, const struct dpage *dp, unsigned int i,
			      unsigned int tail, bool loop)
{
	unsigned int uses[32] = { 0 }, k, n, best, got, min = loop ? 1 : RC_MIN_USES;
	bool nz;

	memset(r, 0, sizeof(*r));
	memset(r->host, -1, sizeof(r->host));
	for (k = i; k < tail; k++) {
		const struct dinsn *d = &dp->insn[k];
		int op = -1;
		bool inv = false;
		enum kind kd = kind_of(d, &op, &inv);

		if (kd == K_CALL)
			continue;
		if (kd == K_CCMP) {		/* Rn, and Rm (imm5 in the field) */
			uses[d->rn & 31]++;
			if (!BIT(d->insn, 11))
				uses[d->rm & 31]++;
			continue;
		}
		uses[d->rd & 31]++;
		if (kd != K_MOVZ && kd != K_MOVN && kd != K_MOVK)
			uses[d->rn & 31]++;
		if (kd == K_ADDSUB_SH || kd == K_SUBS_SH || kd == K_LOGIC_SH || kd == K_MADD ||
		    kd == K_CSEL || kd == K_SHIFTV || kd == K_ADDSUB_EXT || kd == K_ADDS_SH ||
		    kd == K_EXTR || kd == K_ANDS_SH || kd == K_ADC)
			uses[(d->insn >> 16) & 31]++;
		if (kd == K_LOAD_REG || kd == K_STORE_REG)
			uses[d->rm & 31]++;
		if (kd == K_LOAD_PAIR || kd == K_STORE_PAIR)
			uses[d->ra & 31]++;		/* Rt2 */
		if (kd == K_MADD)
			uses[d->ra & 31]++;
	}
	k = tail_kind(dp, tail, &nz);
	if (k == T_CBZ || k == T_TBZ)
		uses[dp->insn[tail].rd & 31]++;	/* Rt */
	uses[31] = 0;
	for (got = 0; got < RC_N; got++) {
		best = 31;
		for (n = 0; n < 31; n++)
			if (r->host[n] < 0 && uses[n] >= min &&
			    (best == 31 || uses[n] > uses[best]))
				best = n;
		if (best == 31)
			break;
		r->host[best] = (int8_t)rc_host[got];
	}
	return got;
}

/* Lockstep, after an inlined instruction: the state written back, the
 * handler's run on the copy compared (jit_ls_after()), a difference an
 * exit that stops the vCPU. */
static void emit_ls_after(struct x86 *e, struct regs *r, const struct dinsn *d,
			  struct pending *pend, unsigned int *np)
{
	rc_flush(e, r);
	emit_call(e, jit_ls_after, d);
	x86_test_rr(e, false, X86_RAX, X86_RAX);
	pend[*np].jcc = x86_jcc(e, X86_NE);
	pend[*np].stop = true;
	pend[(*np)++].d = d;
}

/*
 * After an FP/SIMD form's fast path (simd.c): its slow sides sl call the
 * handler with the cached registers written back (a pending CMP's NZCV
 * stored) and loaded again after, as a TLB miss's; both ways meet after.
 */
static void emit_simd_slow(struct x86 *e, struct regs *r, const struct dinsn *d,
			   const struct jit_simd_slow *sl, struct pending *pend, unsigned int *np)
{
	uint8_t *done = x86_jmp(e);
	unsigned int s;

	for (s = 0; s < sl->n; s++)
		x86_patch(sl->jcc[s], e->p);
	rc_write_back(e, r);
	emit_call(e, d->fn, d);
	emit_exit_check(e, d, pend, np);
	rc_reload(e, r, r->loaded);
	if (done)
		x86_patch(done, e->p);
}

/* An MRS jit_sys_emit_mrs() reads: Xt written on the main path; the side
 * path writes back the registers as they were before it and calls the
 * handler, which stores PC where it traps; both meet after. */
static void emit_sys_mrs(struct x86 *e, struct regs *r, const struct dinsn *d, bool lockstep,
			 struct pending *pend, unsigned int *np)
{
	struct jit_simd_slow sl;
	struct regs before;
	uint8_t *done;
	unsigned int s;

	if (lockstep) {
		rc_flush(e, r);
		emit_call(e, jit_ls_before, d);
	}
	nz_clobber(e, r, d->rd);
	before = *r;
	jit_sys_emit_mrs(e, d, &sl);
	rc_set(e, r, d->rd, X86_RAX);
	done = x86_jmp(e);
	for (s = 0; s < sl.n; s++)
		if (sl.jcc[s])
			x86_patch(sl.jcc[s], e->p);
	rc_write_back(e, &before);
	emit_call(e, d->fn, d);
	emit_exit_check(e, d, pend, np);
	rc_reload(e, r, r->loaded);
	if (done)
		x86_patch(done, e->p);
	if (lockstep)
		emit_ls_after(e, r, d, pend, np);
}

/*
 * Entries i..tail-1 of dp into e, the registers as r says at the start;
 * their exits (a handler's result, a lockstep mismatch) added to pend.
 * Returns whether the host flags are a SUBS's (the last one's).
 */
/*
 * ADDS (shifted register), CMN: B = the shifted Xm negated at the data
 * size; unless that was 0 or the most negative value (NEG's ZF, OF), the
 * lazy NZCV of SUBS Xn - B is ADDS's (as ADDS of an immediate,
 * emit_inline()) and stored at once, the result A = Xn - B; else the
 * handler, on a side path as a TLB miss's.  A pending CMP ends here (its
 * NZCV is overwritten on both paths).
 */
static void emit_adds_reg(struct x86 *e, struct regs *r, const struct dinsn *d,
			  struct pending *pend, unsigned int *np)
{
	uint32_t w = d->insn;
	bool sf = BIT(w, 31);
	unsigned int rm = (w >> 16) & 31;
	uint8_t *zero, *ovf, *done;
	uint32_t after;

	/* what either path reads, loaded before they part */
	emit_shifted(e, r, sf, rm, FIELD(w, 23, 22), FIELD(w, 15, 10));
	rc_use(e, r, d->rn);
	x86_neg(e, sf, B);
	zero = x86_jcc(e, X86_E);
	ovf = x86_jcc(e, X86_O);
	after = r->loaded;
	if (d->rd < 31 && r->host[d->rd] >= 0)
		after |= 1u << d->rd;
	/* the main path: nothing pending after it */
	{
		struct regs main = *r;

		main.nz.stale = main.nz.cmp = false;
		rc_get(e, &main, sf, A, d->rn);
		emit_lazy_sub(e, sf);
		x86_alu_rr(e, X86_SUB, sf, A, B);
		emit_set(e, &main, d->rd);
		done = x86_jmp(e);
		/* the side path: from the state before (a pending CMP stored
		 * by the write-back, then overwritten by the handler) */
		if (zero)
			x86_patch(zero, e->p);
		if (ovf)
			x86_patch(ovf, e->p);
		rc_write_back(e, r);
		emit_call(e, d->fn, d);
		emit_exit_check(e, d, pend, np);
		rc_reload(e, r, after);
		if (done)
			x86_patch(done, e->p);
		*r = main;
	}
}

static bool emit_body(struct x86 *e, struct regs *r, const struct dpage *dp, unsigned int i,
		      unsigned int tail, bool lockstep, struct pending *pend, unsigned int *np,
		      struct jit_stats *st)
{
	bool live = false;
	unsigned int k;

	for (k = i; k < tail; k++) {
		const struct dinsn *d = &dp->insn[k];
		int op = -1;
		bool inv = false, live_out = false;
		enum kind kd = kind_of(d, &op, &inv);
		uint8_t *mark = e->p;
		struct regs r0;

		if (jit_hint_nothing(d)) {	/* NOP, BTI...: nothing (hint.c) */
			st->inlined++;
			continue;
		}
		/* a register it writes ends a pending CMP that reads it */
		if (kd != K_CALL && kd != K_NOTHING && kd != K_CCMP) {
			/* not a store's Rt; a writeback's Rn and an ADD/SUB
			 * immediate in place move it instead (nz_moved()) */
			if (kd != K_STORE_UIMM && kd != K_STORE_REG && kd != K_STORE_WB &&
			    kd != K_STORE_PAIR &&
			    !((kd == K_ADDSUB_IMM || kd == K_ADDSUB_SH) && d->rd == d->rn))
				nz_clobber(e, r, d->rd);
			mark = e->p;
		}
		r0 = *r;
		if (kd == K_CALL && jit_simd_ldst(d)) {
			/* LDR/STR/LDP/STP of Q registers (simd.c): Xn in RAX,
			 * the slow side as a TLB miss's; no lockstep (the
			 * handler would access memory again) */
			struct jit_simd_slow sl;

			live = false;
			rc_get(e, r, true, X86_RAX, d->rn);
			jit_simd_emit_ldst(e, d, &sl);
			emit_simd_slow(e, r, d, &sl, pend, np);
			st->inlined++;
			continue;
		}
		if (kd == K_CALL && jit_sys_mrs(d)) {
			/* MRS of a hot register (sys.c): read into Xt, the
			 * handler on a side path from the state before */
			emit_sys_mrs(e, r, d, lockstep, pend, np);
			live = false;
			st->inlined++;
			continue;
		}
		if (kd == K_CALL && jit_simd_form(d)) {
			/* FP/SIMD inline (simd.c), its slow side the handler's
			 * call with the cached registers written back and loaded
			 * again after, as a TLB miss's */
			struct jit_simd_slow sl;

			live = false;
			if (lockstep) {
				rc_flush(e, r);
				emit_call(e, jit_ls_before, d);
			}
			jit_simd_emit(e, d, &sl);
			emit_simd_slow(e, r, d, &sl, pend, np);
			st->inlined++;
			if (lockstep)
				emit_ls_after(e, r, d, pend, np);
			continue;
		}
		if (kd == K_ADDS_SH && FIELD(d->insn, 23, 22) != 3 && d->rn < 31) {
			live = false;
			if (lockstep) {
				rc_flush(e, r);
				emit_call(e, jit_ls_before, d);
			}
			emit_adds_reg(e, r, d, pend, np);
			st->inlined++;
			if (lockstep)
				emit_ls_after(e, r, d, pend, np);
			continue;
		}
		if (kd == K_ADDS_SH)
			kd = K_CALL;
		if (kd >= K_LOAD_UIMM) {
			live = false;
			/* no lockstep: the handler would access memory again */
			if (emit_access(e, r, d, kd, (unsigned int)op, inv, pend, np)) {
				st->inlined++;
				continue;
			}
			kd = K_CALL;
		}
		if (kd != K_CALL) {
			if (lockstep) {
				rc_flush(e, r);
				emit_call(e, jit_ls_before, d);
				live = false;
			}
			if (emit_inline(e, r, d, kd, op, inv, live, &live_out)) {
				st->inlined++;
				live = live_out;
				if (lockstep) {
					emit_ls_after(e, r, d, pend, np);
					live = false;
				}
				continue;
			}
			e->p = mark;		/* not inline after all */
			*r = r0;
		}
		live = false;
		st->called++;
		rc_flush(e, r);
		emit_call_count(e, d);
		emit_call(e, d->fn, d);
		x86_test_rr(e, false, X86_RAX, X86_RAX);
		pend[*np].jcc = x86_jcc(e, X86_NE);
		pend[*np].stop = false;
		pend[(*np)++].d = d;
	}
	return live;
}

/*
 * Emit the translation of entries i.. of dp (jit_span()) into e; the
 * code's address is where e started.  Counts into st (only kept if the
 * code fits).  A loop whose back edge has a CMP pending (struct nzp: its
 * lazy NZCV not stored) gets its body twice: the first copy from the
 * prologue, c->state's NZCV exact at its head, and a second one, where
 * every back edge goes, whose head has that CMP pending (its side paths
 * and exits store it): the loop stores no NZCV on its way round.
 */
static void emit_block(struct x86 *e, struct dpage *dp, unsigned int i, bool lockstep,
		       struct chain *ch, struct pending *pend, struct jit_stats *st)
{
	unsigned int np = 0, k, n, tail;
	struct jit_stats st2;
	struct regs r, at_head;
	bool live;

	jit_span(dp, i, &tail);
	st->cached += rc_choose(&r, dp, i, tail, is_loop(dp, i, tail));
	ch->dp = dp;
	ch->self_i = i;
	ch->self = e->p;
	ch->head = ch->head2 = ch->to_head2 = NULL;
	ch->st = st;
	ch->nlate = 0;
	emit_push_frame(e);
	x86_mov_rr(e, true, C, X86_RDI);
	if (!e->full && e->p != ch->self + JIT_PROLOGUE)
		e->full = true;		/* cannot be: chain_to() relies on it */
	if (is_loop(dp, i, tail)) {
		/* the loop's head: every cached register loaded (and counted
		 * dirty: the back edge writes nothing back) */
		for (n = 0; n < 31; n++)
			if (r.host[n] >= 0)
				rc_use(e, &r, n);
		r.dirty = r.loaded;
		ch->head = e->p;
	}
	at_head = r;
	live = emit_body(e, &r, dp, i, tail, lockstep, pend, &np, st);
	if (emit_tail(e, &r, ch, tail, live))
		st->branches++;
	if (ch->to_head2) {
		/* the second copy (counted once, in the first) */
		memset(&st2, 0, sizeof(st2));
		st->peeled++;
		ch->st = &st2;
		ch->head2 = e->p;
		x86_patch(ch->to_head2, ch->head2);
		r = at_head;
		r.nz = ch->nz2;
		live = emit_body(e, &r, dp, i, tail, lockstep, pend, &np, &st2);
		emit_tail(e, &r, ch, tail, live);
		ch->st = st;
	}
	for (k = 0; k < np; k++) {
		if (pend[k].jcc)
			x86_patch(pend[k].jcc, e->p);
		/* a lockstep mismatch: jit_ls_after() stopped the vCPU; leave
		 * as a handler that took an exit would */
		if (pend[k].stop)
			x86_mov_ri(e, X86_RAX, EXEC_STOP);
		emit_leave(e, pend[k].d);
	}
}

/*
 * The bounce, first in the (emptied) buffer: where a direct jump into a
 * translation dropped alone lands (jit_unlink()), RSI the entry the jump
 * was for, the frame and RBX kept (emit_exit()).  It is that exit's slow
 * side: the frame popped, the stack bound compared (thread_unwind()), a
 * jump through the entry's tfn, natural or a newer translation.  The
 * jumping exit has done the block check and spent the budget already.
 */
static void jit_bounce_emit(struct jit *j)
{
	struct x86 e;
	uint8_t *unwind;

	codebuf_reset(&j->buf);
	j->bounce = j->buf.rw;
	x86_init(&e, j->buf.rw, j->buf.rw + j->buf.size);
	x86_mov_rr(&e, true, X86_RDI, C);
	emit_pop_frame(&e);
	x86_alu_rm(&e, X86_CMP, true, X86_RSP, X86_RDI, TH_FLOOR_OFF);
	unwind = x86_jcc(&e, X86_B);
	x86_jmp_m(&e, X86_RSI, TFN_OFF);
	x86_patch(unwind, e.p);
	emit_tail_call(&e, thread_unwind);
	j->buf.used = ((size_t)(e.p - j->buf.rw) + 15) & ~(size_t)15;
	codebuf_name_bounce(&j->buf, j->buf.rw, (size_t)(e.p - j->buf.rw));
}

/* Empty the code buffer: every page's JIT entries back to natural ones. */
static void jit_flush(struct cpu *c, struct jit *j)
{
	struct cpu_engine *eng = c->engine;
	unsigned int i;

	for (i = 0; i < DCACHE_SLOTS; i++)
		if (eng->dcache[i].page && eng->dcache[i].page->jit_n)
			dpage_jit_drop(eng->dcache[i].page);
	jit_bounce_emit(j);
	patches_clear(&j->patches);
	j->st.flushes++;
}

/* Translate the block from entry i of dp; NULL if it does not fit even in
 * an empty buffer (it always does: JIT_MAX_INSNS bounds it). */
static exec_fn jit_translate(struct cpu *c, struct jit *j, struct dpage *dp, unsigned int i)
{
	struct jit_stats st;
	struct chain ch = { .buf = &j->buf };
	struct x86 e;
	uint8_t *start;
	unsigned int k;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		memset(&st, 0, sizeof(st));
		start = j->buf.rw + j->buf.used;
		x86_init(&e, start, j->buf.rw + j->buf.size);
		emit_block(&e, dp, i, j->lockstep, &ch, j->pend, &st);
		if (!e.full)
			break;
		jit_flush(c, j);
	}
	if (e.full)
		return NULL;
	j->buf.used = (size_t)(e.p - j->buf.rw);
	/* 16-byte aligned starts */
	j->buf.used = (j->buf.used + 15) & ~(size_t)15;
	if (j->buf.used > j->buf.size)
		j->buf.used = j->buf.size;
	codebuf_name(&j->buf, start, (size_t)(e.p - start),
		     c->th_pc_bias + ((uintptr_t)&dp->insn[i] >> DINSN_TO_WORD_SHIFT),
		     cpu_current_el(&c->state));
	j->st.blocks++;
	/* the exits waiting for this block jump to it now; this one's own
	 * wait for theirs */
	k = patches_resolve(&j->patches, j->buf.rw, dp, i, start);
	j->st.chained += k;
	j->st.patched += k;
	for (k = 0; k < ch.nlate; k++)
		patches_add(&j->patches, dp, ch.late[k].i, (uint32_t)(ch.late[k].at - j->buf.rw));
	j->st.inlined += st.inlined;
	j->st.called += st.called;
	j->st.branches += st.branches;
	j->st.chained += st.chained;
	j->st.loops += st.loops;
	j->st.peeled += st.peeled;
	j->st.cached += st.cached;
	return (exec_fn)(uintptr_t)codebuf_rx(&j->buf, start);
}

/*
 * f becomes b's threaded entry: a translation of entries b..b + cover - 1
 * (its tail included: what it depends on), or, cover 0, the counting
 * entry.  A translation's jcount holds its cover (jit_redecode()).
 */
static void jit_install(struct dpage *dp, struct dinsn *b, exec_fn f, unsigned int cover)
{
	if (!b->jit) {
		unsigned int i = (unsigned int)(b - dp->insn);

		b->jit = true;
		dp->jit_n++;
		dp->jit_map[i / 64] |= 1ULL << (i % 64);
	}
	b->tfn = f;
	if (cover)
		b->jcount = (uint16_t)cover;
}

/* The entries a translation from entry i depends on (jit_install()) */
static unsigned int jit_cover(const struct dpage *dp, unsigned int i)
{
	unsigned int tail;

	jit_span(dp, i, &tail);
	return tail - i + 1;
}

/* Is b's tfn a translation (not its counting entry)? */
static bool jit_translated(const struct jit *j, const struct dinsn *b)
{
	return b->jit && codebuf_holds(&j->buf, (const void *)(uintptr_t)b->tfn);
}

/*
 * b's translation was dropped: its code stays in the buffer, reachable
 * only through the direct jumps of the page's other translations past its
 * prologue (chain_to(), patches_resolve()), so a JMP to the bounce there
 * sends them through b's tfn as if they had never been chained.  At least
 * 5 bytes follow the prologue: every translation ends with an exit.
 */
static void jit_unlink(struct jit *j, const struct dinsn *b)
{
	uint8_t *at = j->buf.rw + ((const uint8_t *)(uintptr_t)b->tfn - j->buf.rx) +
		      JIT_PROLOGUE;
	struct x86 e;
	uint8_t *rel;

	x86_init(&e, at, at + 5);
	rel = x86_jmp(&e);
	if (rel)
		x86_patch(rel, j->bounce);
}

/* The first entry from k to i (k <= i) with dinsn.jit set (dpage.jit_map),
 * or i + 1 */
static unsigned int jit_next(const struct dpage *dp, unsigned int k, unsigned int i)
{
	while (k <= i) {
		uint64_t m = dp->jit_map[k / 64] >> (k % 64);

		if (m)
			return k + (unsigned int)__builtin_ctzll(m);
		k = (k | 63) + 1;
	}
	return i + 1;
}

/*
 * Entry i of dp is about to be re-decoded (engine.c): drop the
 * translations that cover it, which start at most JIT_MAX_INSNS entries
 * before it (jit_cover()), and the counting entry of i itself; the page's
 * other JIT entries stay, counting entries of blocks through i counting on.
 * The page's map of JIT entries finds them.
 */
void jit_redecode(struct jit *j, struct dpage *dp, unsigned int i)
{
	unsigned int k = i > JIT_MAX_INSNS ? i - JIT_MAX_INSNS : 0;

	j->st.decoded++;
	if (!dp->jit_n)
		return;
	for (k = jit_next(dp, k, i); k <= i; k = jit_next(dp, k + 1, i)) {
		struct dinsn *b = &dp->insn[k];

		if (jit_translated(j, b)) {
			if (k + b->jcount <= i)
				continue;
			jit_unlink(j, b);
			j->st.dropped++;
		} else if (k != i) {
			continue;
		}
		b->jit = false;
		b->jcount = 0;
		b->tfn = dpage_natural_tfn(dp, k);
		dp->jit_n--;
		dp->jit_map[k / 64] &= ~(1ULL << (k % 64));
	}
}

/* Translate the block at b (entry i of the page being run) and run it, or
 * go on as without the JIT. */
static int jit_translate_run(struct cpu *c, struct jit *j, struct dpage *dp, unsigned int i)
{
	struct dinsn *b = &dp->insn[i];
	exec_fn f = jit_translate(c, j, dp, i);

	if (!f)
		return dpage_natural_tfn(dp, i)(c, b);
	jit_install(dp, b, f, jit_cover(dp, i));
	return f(c, b);
}

/*
 * The counting entry of a block not yet translated: its threshold-th run
 * translates it.  Reached as the block's threaded entry, from a block
 * check, a chain or the run loop, always in the page being run.
 */
static int jit_count_t(struct cpu *c, const struct dinsn *d)
{
	struct dpage *dp = (struct dpage *)(void *)c->th_base;
	unsigned int i = (unsigned int)(d - dp->insn);
	struct dinsn *b = &dp->insn[i];
	struct jit *j = c->engine->jit;

	if (++b->jcount >= j->threshold)
		return jit_translate_run(c, j, dp, i);
	return dpage_natural_tfn(dp, i)(c, b);
}

void jit_block_checked(struct cpu *c, struct dpage *dp, unsigned int i)
{
	struct jit *j = c->engine->jit;
	struct dinsn *b = &dp->insn[i];
	unsigned int tail;
	exec_fn f;

	if (b->jit || b->bend || !jit_span(dp, i, &tail))
		return;		/* done, or nothing to translate */
	if (j->threshold) {
		b->jcount = 0;
		jit_install(dp, b, jit_count_t, 0);
		return;
	}
	f = jit_translate(c, j, dp, i);
	if (f)
		jit_install(dp, b, f, jit_cover(dp, i));
}
