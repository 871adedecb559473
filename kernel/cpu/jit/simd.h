/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FP/SIMD forms inline in a translation (kernel/cpu/jit/simd.c).
 */
#ifndef VKVM_CPU_JIT_SIMD_H
#define VKVM_CPU_JIT_SIMD_H

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"

struct dinsn;

#define JIT_SIMD_SLOW_MAX	8

/* the jumps of an inline form to its slow side (the handler's call) */
struct jit_simd_slow {
	uint8_t *jcc[JIT_SIMD_SLOW_MAX];
	unsigned int n;
};

/* Look at the host (AVX, FMA) and VKVM_JIT_SIMD (0: inline none); once. */
void jit_simd_init(void);
/* Is d one of the forms jit_simd_emit() inlines? */
bool jit_simd_form(const struct dinsn *d);
/* d's inline code, RBX holding struct cpu *: falls through with the
 * result in c->state, or jumps to one of *sl, where the caller calls the
 * handler (nothing written yet).  Clobbers RAX and xmm0-xmm4. */
void jit_simd_emit(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl);

/*
 * LDR/STR of a Q register (unsigned offset), LDP/STP of Q registers
 * (signed offset), Rn not SP, through the data TLB as the handlers' fast
 * path; jit_simd_emit_ldst() expects Xn in RAX and clobbers RCX, RDX,
 * xmm0, xmm1, xmm3.  A TLB miss, a pair crossing its page, FP disabled,
 * or a store touching the page being run (stored, then again by the
 * handler, which checks for code) go to *sl.
 */
bool jit_simd_ldst(const struct dinsn *d);
void jit_simd_emit_ldst(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl);

#endif /* VKVM_CPU_JIT_SIMD_H */
