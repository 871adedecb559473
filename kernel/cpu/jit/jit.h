/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block translator (kernel/cpu/jit/translate.c): hot blocks of a
 * decoded page become x86-64 code installed as the threaded entry of
 * their first instruction (docs/internals.md, "The JIT").  Off unless the
 * environment says VKVM_JIT=1.
 */
#ifndef VKVM_CPU_JIT_H
#define VKVM_CPU_JIT_H

#include <stdint.h>

struct cpu;
struct dpage;
struct jit;

struct jit_stats {
	uint64_t blocks;		/* translations made */
	uint64_t inlined;		/* instructions translated inline */
	uint64_t called;		/* ... as calls of their handler */
	uint64_t branches;		/* block-ending branches done inline */
	uint64_t chained;		/* ...exits jumping to a translation directly */
	uint64_t loops;			/* ... back edges kept in their translation */
	uint64_t patched;		/* ... exits pointed at a later translation */
	uint64_t peeled;		/* loops given a second body, a CMP pending */
	uint64_t cached;		/* guest registers given a host register */
	uint64_t flushes;		/* code buffer emptied */
	uint64_t decoded;		/* words (re-)decoded (jit_redecode()) */
	uint64_t dropped;		/* ... translations dropped for one */
	uint64_t code_checks;		/* inline stores on checked code's lines */
	uint64_t checked;		/* lockstep: instructions compared */
	uint64_t mismatches;		/* lockstep: ... that differed */
};

/*
 * A vCPU's translator, from the environment: VKVM_JIT=1 turns it on,
 * VKVM_JIT_THRESHOLD=N translates a block at its N-th execution (0: when
 * first checked), VKVM_JIT_LOCKSTEP=1 runs each inline-translated
 * instruction's handler too, on a copy of the state, and stops the vCPU
 * with an internal error if they differ.  NULL: the interpreter only
 * (also when the code buffer cannot be made: said once on stderr).
 * VKVM_JIT_STATS=1: jit_destroy() prints the counters on stderr;
 * VKVM_JIT_PERFMAP=1 names each translation in /tmp/perf-PID.map for perf
 * report (codebuf.h).  vmm run --jit / --no-jit set VKVM_JIT.
 */
struct jit *jit_create(void);
void jit_destroy(struct jit *j, int vcpu_id);

/* The block starting at entry i of dp was checked (engine.c): count it
 * towards translation, or translate it. */
void jit_block_checked(struct cpu *c, struct dpage *dp, unsigned int i);

/* Entry i of dp is about to be re-decoded (engine.c): the translations
 * that depend on it are dropped, the page's others kept. */
void jit_redecode(struct jit *j, struct dpage *dp, unsigned int i);

/* The translator's counters (NULL when off), for tests and benchmarks. */
const struct jit_stats *cpu_jit_stats(const struct cpu *c);

#endif /* VKVM_CPU_JIT_H */
