/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVE (exec_sve.c): the effective vector length and the decode table.
 *
 * The vCPU's maximum length is cpu->sve_max_vq (0: no SVE), set by the
 * backend when the vCPU's SVE configuration is finalized.  The effective
 * length is the largest supported VQ (1, 2, 4, 8, 16) not above
 * ZCR_EL1.LEN + 1 nor the maximum; with EL2, not above ZCR_EL2.LEN + 1
 * either, which alone applies in an EL2 regime (EL2, EL0 under E2H+TGE).
 */
#ifndef VKVM_CPU_SVE_H
#define VKVM_CPU_SVE_H

#include "internal.h"


static inline unsigned int sve_vq(const struct cpu *c)
{
	const struct cpu_state *s = &c->state;
	unsigned int len = (unsigned int)(s->sysreg[SR_ZCR_EL1] & 0xf) + 1;
	unsigned int m, vq = 1;

	/* with EL2: ZCR_EL2.LEN in an EL2 regime, and a bound on EL1's too */
	if (unlikely(el2_on(s))) {
		unsigned int len2 = (unsigned int)(s->sysreg[SR_ZCR_EL2] & 0xf) + 1;

		if (cpu_in_el2_regime(s) || len2 < len)
			len = len2;
	}
	m = c->sve_max_vq < len ? c->sve_max_vq : len;

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
