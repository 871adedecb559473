/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hint space and ADR/ADRP in a translation (kernel/cpu/jit/hint.c).
 */
#ifndef VKVM_CPU_JIT_HINT_H
#define VKVM_CPU_JIT_HINT_H

#include <stdbool.h>

#include "x86.h"

struct dinsn;

/* Does d do nothing whatever the state: NOP, BTI, CSDB, DGH... (exec_sys.c)? */
bool sys_hint_nop(const struct dinsn *d);

/* Is d an entry a translation emits nothing for? */
bool jit_hint_nothing(const struct dinsn *d);

/* ADR, ADRP (adrp: the page form) of entry d into dst, RBX holding
 * struct cpu *; its PC from the chain's page, as exec_ADR_t()'s.  No
 * other register touched; the host flags clobbered. */
void jit_hint_emit_adr(struct x86 *e, const struct dinsn *d, bool adrp, enum x86_reg dst);

#endif /* VKVM_CPU_JIT_HINT_H */
