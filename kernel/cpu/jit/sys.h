/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System instructions inline in a translation (kernel/cpu/jit/sys.c).
 */
#ifndef VKVM_CPU_JIT_SYS_H
#define VKVM_CPU_JIT_SYS_H

#include <stdbool.h>

#include "simd.h"
#include "x86.h"

struct dinsn;

/* Is d an MRS that jit_sys_emit_mrs() reads inline (exec_sys.c's MRS_hot)? */
bool jit_sys_mrs(const struct dinsn *d);
/*
 * d's register read into RAX, RBX holding struct cpu *, under the checks
 * of the interpreter's fast form (EL1, SPSel, HCR_EL2.TID2/TDZ); where
 * one fails, a jump to one of *sl, where the caller calls the handler
 * (nothing written yet).  Clobbers RAX and the host flags.
 */
void jit_sys_emit_mrs(struct x86 *e, const struct dinsn *d, struct jit_simd_slow *sl);

#endif /* VKVM_CPU_JIT_SYS_H */
