/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architectural state of one AArch64 vCPU (EL0/EL1, and EL2 for a vCPU with
 * KVM_ARM_VCPU_HAS_EL2; AArch64 only).
 *
 * This is the single copy of the guest's register state.  The execution
 * engine may cache parts of it while it runs, but whenever the engine is not
 * inside cpu_run() everything here is current: the backend's ONE_REG, reset
 * and injection code read and write these fields directly.
 */
#ifndef VKVM_CPU_STATE_H
#define VKVM_CPU_STATE_H

#include <stdint.h>

/* Largest vector length the engine supports: VQ 16 = 2048 bits. */
#define CPU_SVE_VQ_MAX		16
#define CPU_SVE_VQ_BYTES	16
#define CPU_ZREG_BYTES		(CPU_SVE_VQ_MAX * CPU_SVE_VQ_BYTES)	/* 256 */
#define CPU_PREG_BYTES		(CPU_ZREG_BYTES / 8)			/* 32 */

/* PSTATE bits (PSR_*), in SPSR_ELx layout: the shared header */
#include "arm64.h"

/* Banked SPSRs, numbered as KVM's struct kvm_regs.spsr[]. */
enum cpu_spsr {
	CPU_SPSR_EL1,
	CPU_SPSR_ABT,
	CPU_SPSR_UND,
	CPU_SPSR_IRQ,
	CPU_SPSR_FIQ,
	CPU_NR_SPSR,
};

/*
 * Storage slots for system registers that hold per-vCPU state.  The table in
 * kernel/sys_regs.c maps architectural encodings onto these slots (several
 * encodings may share one slot, e.g. the *_EL12 aliases later); the engine
 * reads the slots directly on its fast paths (translation, exceptions).
 */
enum cpu_sysreg {
	SR_MPIDR_EL1,
	SR_CSSELR_EL1,
	SR_SCTLR_EL1,
	SR_ACTLR_EL1,
	SR_CPACR_EL1,
	SR_ZCR_EL1,
	SR_TTBR0_EL1,
	SR_TTBR1_EL1,
	SR_TCR_EL1,
	SR_ESR_EL1,
	SR_AFSR0_EL1,
	SR_AFSR1_EL1,
	SR_FAR_EL1,
	SR_PAR_EL1,
	SR_MAIR_EL1,
	SR_AMAIR_EL1,
	SR_VBAR_EL1,
	SR_CONTEXTIDR_EL1,
	SR_TPIDR_EL0,
	SR_TPIDRRO_EL0,
	SR_TPIDR_EL1,
	SR_CNTKCTL_EL1,
	SR_MDSCR_EL1,
	SR_MDCCINT_EL1,
	SR_DISR_EL1,
	SR_OSLSR_EL1,
	SR_OSDLR_EL1,
	SR_DBGCLAIM,		/* DBGCLAIMSET/CLR_EL1 share the claim tags */
	SR_DACR32_EL2,		/* AArch32 EL1 state KVM keeps for userspace */
	SR_IFSR32_EL2,
	SR_FPEXC32_EL2,
	SR_DBGVCR32_EL2,
	SR_CNTV_CTL_EL0,
	SR_CNTV_CVAL_EL0,
	SR_CNTP_CTL_EL0,
	SR_CNTP_CVAL_EL0,
	SR_APIAKEYLO_EL1,
	SR_APIAKEYHI_EL1,
	SR_APIBKEYLO_EL1,
	SR_APIBKEYHI_EL1,
	SR_APDAKEYLO_EL1,
	SR_APDAKEYHI_EL1,
	SR_APDBKEYLO_EL1,
	SR_APDBKEYHI_EL1,
	SR_APGAKEYLO_EL1,
	SR_APGAKEYHI_EL1,
	/* FEAT_MTE2 (mte_tags.c) */
	SR_GCR_EL1,
	SR_RGSR_EL1,
	SR_TFSR_EL1,
	SR_TFSRE0_EL1,
	/* PMUv3 (pmu.c): the SET/CLR pairs share one slot each */
	SR_PMCR_EL0,
	SR_PMCNTENSET_EL0,
	SR_PMINTENSET_EL1,
	SR_PMOVSSET_EL0,
	SR_PMSELR_EL0,
	SR_PMUSERENR_EL0,
	SR_PMCCNTR_EL0,
	SR_PMCCFILTR_EL0,
	SR_PMEVCNTR0_EL0,
	SR_PMEVTYPER0_EL0 = SR_PMEVCNTR0_EL0 + 31,
	SR_DBGBVR0_EL1 = SR_PMEVTYPER0_EL0 + 31,
	SR_DBGBCR0_EL1 = SR_DBGBVR0_EL1 + 16,
	SR_DBGWVR0_EL1 = SR_DBGBCR0_EL1 + 16,
	SR_DBGWCR0_EL1 = SR_DBGWVR0_EL1 + 16,
	/* ID registers: per vCPU copies of the VM's CPU description. */
	SR_MIDR_EL1 = SR_DBGWCR0_EL1 + 16,
	SR_REVIDR_EL1,
	SR_AIDR_EL1,
	SR_CTR_EL0,
	SR_DCZID_EL0,
	SR_CLIDR_EL1,
	SR_ID_AA64PFR0_EL1,
	SR_ID_AA64PFR1_EL1,
	SR_ID_AA64PFR2_EL1,
	SR_ID_AA64ZFR0_EL1,
	SR_ID_AA64FPFR0_EL1,
	SR_ID_AA64DFR0_EL1,
	SR_ID_AA64DFR1_EL1,
	SR_ID_AA64AFR0_EL1,
	SR_ID_AA64AFR1_EL1,
	SR_ID_AA64ISAR0_EL1,
	SR_ID_AA64ISAR1_EL1,
	SR_ID_AA64ISAR2_EL1,
	SR_ID_AA64ISAR3_EL1,
	SR_ID_AA64MMFR0_EL1,
	SR_ID_AA64MMFR1_EL1,
	SR_ID_AA64MMFR2_EL1,
	SR_ID_AA64MMFR3_EL1,
	SR_ID_AA64MMFR4_EL1,
	/* EL2 (KVM_ARM_VCPU_HAS_EL2): the guest hypervisor's registers */
	SR_VPIDR_EL2,
	SR_VMPIDR_EL2,
	SR_SCTLR_EL2,
	SR_ACTLR_EL2,
	SR_HCR_EL2,
	SR_MDCR_EL2,
	SR_CPTR_EL2,
	SR_HSTR_EL2,
	SR_HACR_EL2,
	SR_ZCR_EL2,
	SR_TTBR0_EL2,
	SR_TTBR1_EL2,
	SR_TCR_EL2,
	SR_VTTBR_EL2,
	SR_VTCR_EL2,
	SR_SPSR_EL2,
	SR_ELR_EL2,
	SR_AFSR0_EL2,
	SR_AFSR1_EL2,
	SR_ESR_EL2,
	SR_FAR_EL2,
	SR_HPFAR_EL2,
	SR_MAIR_EL2,
	SR_AMAIR_EL2,
	SR_VBAR_EL2,
	SR_CONTEXTIDR_EL2,
	SR_TPIDR_EL2,
	SR_CNTVOFF_EL2,
	SR_CNTHCTL_EL2,
	SR_CNTHP_CTL_EL2,
	SR_CNTHP_CVAL_EL2,
	SR_CNTHV_CTL_EL2,		/* FEAT_VHE */
	SR_CNTHV_CVAL_EL2,
	SR_VDISR_EL2,
	SR_VSESR_EL2,
	SR_VNCR_EL2,			/* FEAT_NV2 */
	SR_TFSR_EL2,			/* with MTE: state only */
	NR_CPU_SYSREGS,
};

/* Number of cache levels/types CCSIDR describes: CSSELR values 0..13. */
#define CPU_NR_CCSIDR		14

/* X0-X30; x[CPU_XZR] is the zero register, always 0 (handlers specialised
 * for register 31 as XZR read it; nothing writes it). */
#define CPU_XZR			31

struct cpu_state {
	uint64_t x[32];
	uint64_t sp_el0;
	uint64_t sp_el1;
	uint64_t sp_el2;		/* with EL2 (KVM_ARM_VCPU_HAS_EL2) */
	uint64_t pc;
	uint64_t pstate;		/* SPSR layout; M[3:0] gives EL and SPSel */
	uint64_t elr_el1;
	uint64_t spsr[CPU_NR_SPSR];

	uint32_t fpsr;
	uint32_t fpcr;
	/*
	 * Z0-Z31 at the largest supported length; V<n> is the low 128 bits of
	 * Z<n> (little-endian byte order, as KVM's SVE ONE_REG layout).
	 */
	uint8_t z[32][CPU_ZREG_BYTES] __attribute__((aligned(16)));
	uint8_t p[16][CPU_PREG_BYTES];
	uint8_t ffr[CPU_PREG_BYTES];

	uint64_t sysreg[NR_CPU_SYSREGS];
	uint64_t ccsidr[CPU_NR_CCSIDR];

	/*
	 * Lazy NZCV, private to the engine (kernel/cpu/internal.h): while
	 * nzcv_op is not 0, PSTATE.NZCV is what SUBS of nzcv_a - nzcv_b sets
	 * (32- or 64-bit as nzcv_op says) and the NZCV bits of pstate are
	 * stale.  cpu_run() always returns with nzcv_op 0.
	 */
	uint64_t nzcv_a, nzcv_b;
	uint32_t nzcv_op;
};

#endif /* VKVM_CPU_STATE_H */
