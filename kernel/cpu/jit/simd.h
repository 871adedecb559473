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

#endif /* VKVM_CPU_JIT_SIMD_H */
