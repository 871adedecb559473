/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest virtual to guest physical addresses, for the monitor and the
 * diagnostics: the stage-1 walk of the vCPU's EL1&0 regime (what AT S1E1R
 * would give), made by the VMM over guest RAM with the registers that
 * ONE_REG reads.
 */
#ifndef VMM_TRANSLATE_H
#define VMM_TRANSLATE_H

#include <stddef.h>
#include <stdint.h>

struct vcpu;

/*
 * @va through the vCPU's current translation: 0 with *pa, or -1 with why
 * in @why ("level 2 descriptor invalid", ...).  MMU off: pa = va.
 */
int vcpu_translate(struct vcpu *vcpu, uint64_t va, uint64_t *pa, char *why, size_t len);

#endif
