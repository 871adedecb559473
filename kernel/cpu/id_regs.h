/* SPDX-License-Identifier: GPL-2.0 */
/* The emulated CPU's identification registers (id_regs.c). */
#ifndef VKVM_CPU_ID_REGS_H
#define VKVM_CPU_ID_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"

/* VM/vCPU configuration the ID registers depend on. */
struct cpu_features {
	bool sve;
	bool ptrauth;	/* FEAT_PAuth, QARMA5: ID_AA64ISAR1_EL1.APA = GPA = 1 */
	bool gicv3;	/* the VM has a GICv3: ID_AA64PFR0_EL1.GIC = 1 */
	bool pmu;	/* KVM_ARM_VCPU_PMU_V3: PMUv3p5 (pmu.c) */
	bool el2;	/* KVM_ARM_VCPU_HAS_EL2: ID_AA64PFR0_EL1.EL2 = 1 */
	bool vhe;	/* ... without HAS_EL2_E2H0: FEAT_VHE, ID_AA64MMFR1_EL1.VH = 1 */
	bool nv;	/* ... FEAT_NV and FEAT_NV2: ID_AA64MMFR2_EL1.NV = 2, NV_frac 1 */
	bool mte;	/* KVM_CAP_ARM_MTE: FEAT_MTE2 (mte_tags.c) */
};

void cpu_id_regs_init(struct cpu_state *s, const struct cpu_features *f);
/* The ID registers' values alone, into sysreg[NR_CPU_SYSREGS] (the rest untouched). */
void cpu_id_regs_values(uint64_t *sysreg, const struct cpu_features *f);
/* Are aligned 16-byte host accesses single-copy atomic here (mem.c)? */
bool cpu_host_atomic16(void);
uint64_t cpu_mpidr_for(int vcpu_id);

/*
 * Self-hosted debug (debug.c): breakpoints, of which the highest-numbered
 * CPU_DBG_CTX_CMPS are context-aware, and watchpoints, as
 * ID_AA64DFR0_EL1 advertises them (each field holds the number minus one).
 */
#define CPU_DBG_BRPS		6
#define CPU_DBG_WRPS		4
#define CPU_DBG_CTX_CMPS	2

/* Frequency of the generic counter: 62.5 MHz, one tick per 16 ns. */
#define CPU_CNTFRQ_HZ		62500000ULL

#endif
