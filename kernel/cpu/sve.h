/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVE (exec_sve.c): the effective vector length and the decode table.
 *
 * The vCPU's maximum length is cpu->sve_max_vq (0: no SVE), set by the
 * backend when the vCPU's SVE configuration is finalized.  The effective
 * length is the largest supported VQ (1, 2, 4, 8, 16) not above
 * ZCR_EL1.LEN + 1 nor the maximum.
 */
#ifndef VKVM_CPU_SVE_H
#define VKVM_CPU_SVE_H

#include "internal.h"


static inline unsigned int sve_vq(const struct cpu *c)
{
	unsigned int len = (unsigned int)(c->state.sysreg[SR_ZCR_EL1] & 0xf) + 1;
	unsigned int m = c->sve_max_vq < len ? c->sve_max_vq : len, vq = 1;

	if (!m)
		return 0;
	while (vq * 2 <= m)
		vq *= 2;
	return vq;
}

/* The effective vector length in bytes. */
static inline unsigned int sve_vl(const struct cpu *c)
{
	return sve_vq(c) * 16;
}

extern const struct insn_table sve_insns;

#endif
