/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU registers through ONE_REG: the IDs the VMM uses and accessors. */
#ifndef VMM_REGS_H
#define VMM_REGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>

#include "arm64.h"

#define CORE_REG(field)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(field))
#define REG_X(n)	(CORE_REG(regs.regs[0]) + 2 * (n))
#define REG_SP		CORE_REG(regs.sp)
#define REG_PC		CORE_REG(regs.pc)
#define REG_PSTATE	CORE_REG(regs.pstate)
#define REG_SP_EL1	CORE_REG(sp_el1)
#define REG_ELR_EL1	CORE_REG(elr_el1)
#define REG_SPSR_EL1	CORE_REG(spsr[0])

#define REG_MPIDR_EL1	ONE_REG_SYS(SYS_MPIDR_EL1)
#define REG_ID_AA64MMFR1_EL1	ONE_REG_SYS(SYS_ID_AA64MMFR1_EL1)
#define REG_SCTLR_EL1	ONE_REG_SYS(SYS_SCTLR_EL1)
#define REG_TTBR0_EL1	ONE_REG_SYS(SYS_TTBR0_EL1)
#define REG_TTBR1_EL1	ONE_REG_SYS(SYS_TTBR1_EL1)
#define REG_TCR_EL1	ONE_REG_SYS(SYS_TCR_EL1)
#define REG_ESR_EL1	ONE_REG_SYS(SYS_ESR_EL1)
#define REG_FAR_EL1	ONE_REG_SYS(SYS_FAR_EL1)
#define REG_VBAR_EL1	ONE_REG_SYS(SYS_VBAR_EL1)

struct vcpu;

int vcpu_get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val);
int vcpu_set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val);
/* Every register a diagnostic shows, written to @out in one piece. */
void vcpu_dump_regs(struct vcpu *vcpu, FILE *out);

#endif
