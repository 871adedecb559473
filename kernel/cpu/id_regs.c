// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU vkvm emulates, as its identification registers describe it.
 *
 * One coherent Armv8.2-A-class core with AArch64 only at EL0 and EL1.  A
 * field is set only when the engine implements the feature it names: the
 * guest would use it otherwise.  The implementer code 0x00 is the one the
 * architecture reserves for software use: this is a software CPU, and no
 * guest errata workaround keyed on a real part number should apply to it.
 */
#include "cpu.h"
#include "id_regs.h"

/* MIDR_EL1: implementer 0 (software), architecture 0xf, part 0x001. */
#define VKVM_MIDR	0x000f0010ULL

static uint64_t field(unsigned int shift, uint64_t val)
{
	return val << shift;
}

static uint64_t set_field(uint64_t reg, unsigned int shift, uint64_t val)
{
	return (reg & ~field(shift, 0xf)) | field(shift, val);
}

/*
 * A vCPU with EL2 sees what Linux 7.2 KVM's limit_nv_id_reg() leaves its
 * guest hypervisor (arch/arm64/kvm/nested.c), as far as this CPU has it:
 * 64-bit EL0-EL3 (SMC goes to the backend's firmware, HCR_EL2.HCD RES0),
 * no MTE (mte_on() is false then),
 * stage 2's granules as FEAT_GTG, FEAT_TTL forced (TLBI ignores its
 * hint: mem.c flushes at least what it names), debug without CTX_CMPs.
 * Not done:
 * ID_AA64MMFR4_EL1.E2H0 NI_NV1 (HCR_EL2.E2H RES1, NV1 RES0): the E2H 0
 * EL2 of a VHE vCPU stays (docs/nested.md).
 */
static void limit_el2(uint64_t *r)
{
	uint64_t v;

	/*
	 * PFR0: no SEL2, MPAM, AMU, RME; AArch64 only at every EL.  RAS stays
	 * (KVM hides it): the engine implements it, and a guest KVM without
	 * it loses KVM_CAP_ARM_INJECT_SERROR_ESR (the vkvm rig's serror spec).
	 */
	v = r[SR_ID_AA64PFR0_EL1];
	v &= ~(field(36, 0xf) | field(40, 0xf) | field(44, 0xf) | field(52, 0xf));
	v = set_field(v, 0, 1);
	v = set_field(v, 4, 1);
	v = set_field(v, 8, 1);
	r[SR_ID_AA64PFR0_EL1] = set_field(v, 12, 1);
	/* PFR1: BT, SSBS, CSV2_frac only (no MTE) */
	r[SR_ID_AA64PFR1_EL1] &= field(0, 0xf) | field(4, 0xf) | field(32, 0xf);
	/* MMFR0: no ExS, SNSMem; TGran{4,16,64}_2 IMP (4K host pages); ECV <= 1 */
	v = r[SR_ID_AA64MMFR0_EL1] & ~(field(44, 0xf) | field(12, 0xf));
	v = set_field(v, 32, 2);
	v = set_field(v, 36, 2);
	v = set_field(v, 40, 2);
	if (((v >> 60) & 0xf) > 1)
		v = set_field(v, 60, 1);
	r[SR_ID_AA64MMFR0_EL1] = v;
	/* MMFR1: HCX, PAN, LO, HPDS, VH, VMIDBits only */
	r[SR_ID_AA64MMFR1_EL1] &= field(40, 0xf) | field(20, 0xf) | field(16, 0xf) |
				  field(12, 0xf) | field(8, 0xf) | field(4, 0xf);
	/*
	 * MMFR2: no BBM, ST, CCIDX, VARange; FEAT_TTL.  NV stays (KVM hides
	 * it from every guest, outside limit_nv_id_reg(), and offers NV2 as
	 * NV_frac alone): FEAT_NV's NV-only form, which vkvm has, stays
	 * advertised (docs/nested.md).
	 */
	v = r[SR_ID_AA64MMFR2_EL1];
	v &= ~(field(52, 0xf) | field(44, 0xf) | field(28, 0xf) | field(20, 0xf) |
	       field(16, 0xf));
	r[SR_ID_AA64MMFR2_EL1] = set_field(v, 48, 1);
	/* DFR0: PMUVer, WRPs, BRPs, DebugVer (at most v8.1), HPMN0 only */
	r[SR_ID_AA64DFR0_EL1] &= field(8, 0xf) | field(20, 0xf) | field(12, 0xf) |
				 field(0, 0xf) | field(60, 0xf);
	if ((r[SR_ID_AA64DFR0_EL1] & 0xf) > 7)
		r[SR_ID_AA64DFR0_EL1] = set_field(r[SR_ID_AA64DFR0_EL1], 0, 7);
}

void cpu_id_regs_values(uint64_t *r, const struct cpu_features *f)
{
	r[SR_MIDR_EL1] = VKVM_MIDR;
	r[SR_REVIDR_EL1] = 0;
	r[SR_AIDR_EL1] = 0;

	/*
	 * CTR_EL0: DIC and IDC (the engine keeps decoded code coherent with
	 * memory itself), 64-byte lines, PIPT instruction cache.
	 */
	r[SR_CTR_EL0] = field(31, 1) | field(29, 1) | field(28, 1) |
			field(24, 4) | field(20, 4) | field(16, 4) |
			field(14, 3) | field(0, 4);
	/* DCZID_EL0: DC ZVA zeroes 64 bytes (BS = log2(words) = 4). */
	r[SR_DCZID_EL0] = 4;
	/* CLIDR_EL1: L1 separate I+D, L2 unified; LoUIS 1, LoC 2, LoUU 1. */
	r[SR_CLIDR_EL1] = field(0, 3) | field(3, 4) | field(21, 1) |
			  field(24, 2) | field(27, 1);

	r[SR_ID_AA64PFR0_EL1] =
		field(0, 1) |			/* EL0: AArch64 only */
		field(4, 1) |			/* EL1: AArch64 only */
		field(8, f->el2 ? 1 : 0) |	/* EL2: AArch64 only, with HAS_EL2 */
		field(12, 0) |			/* EL3: not implemented */
		field(16, 1) |			/* FP: with half precision (FP16) */
		field(20, 1) |			/* AdvSIMD: with half precision */
		field(24, f->gicv3 ? 1 : 0) |	/* GIC: system-register CPU interface */
		field(28, 1) |			/* RAS v1 */
		field(32, f->sve ? 1 : 0) |	/* SVE */
		field(48, 1) |			/* DIT */
		field(56, 1) |			/* CSV2: no speculation at all */
		field(60, 1);			/* CSV3 */
	r[SR_ID_AA64PFR1_EL1] =
		field(0, 1) |			/* BT: FEAT_BTI (bti.c) */
		field(4, 2) |			/* SSBS2: PSTATE.SSBS, MRS/MSR SSBS */
		field(8, f->mte ? 3 : 0);	/* MTE: FEAT_MTE3 (mte_tags.c) */
	r[SR_ID_AA64ZFR0_EL1] = !f->sve ? 0 :
		field(20, 1) |			/* BF16: SVE BFDOT...BFCVTNT */
		field(44, 1);			/* I8MM: SVE SMMLA...SUDOT */
	r[SR_ID_AA64DFR0_EL1] =
		field(0, 6) |			/* DebugVer: Armv8.0 */
		field(8, f->pmu ? 6 : 0) |	/* PMUVer: PMUv3p5 (pmu.c) */
		field(12, CPU_DBG_BRPS - 1) |	/* BRPs */
		field(20, CPU_DBG_WRPS - 1) |	/* WRPs */
		field(28, CPU_DBG_CTX_CMPS - 1);	/* CTX_CMPs */
	r[SR_ID_AA64DFR1_EL1] = 0;
	r[SR_ID_AA64AFR0_EL1] = 0;
	r[SR_ID_AA64AFR1_EL1] = 0;
	r[SR_ID_AA64ISAR0_EL1] =
		field(4, 2) |			/* AES: AESE..AESIMC, PMULL .1Q */
		field(8, 1) |			/* SHA1 */
		field(12, 2) |			/* SHA2: SHA256 and SHA512 */
		field(16, 1) |			/* CRC32 */
		field(20, 2) |			/* Atomic: LSE */
		field(28, 1) |			/* RDM: SQRDMLAH, SQRDMLSH */
		field(32, 1) |			/* SHA3: EOR3, RAX1, XAR, BCAX */
		field(36, 1) |			/* SM3: SM3SS1, SM3TT*, SM3PARTW* */
		field(40, 1) |			/* SM4: SM4E, SM4EKEY */
		field(44, 1) |			/* DP: SDOT, UDOT */
		field(48, 1) |			/* FHM: FMLAL, FMLSL */
		field(52, 2) |			/* TS: FlagM and FlagM2 */
		field(60, 1);			/* RNDR: RNDR, RNDRRS */
	r[SR_ID_AA64ISAR1_EL1] =
		field(0, 2) |			/* DPB: DC CVAP, DC CVADP (DPB2) */
		field(4, f->ptrauth ? 1 : 0) |	/* APA: PAuth, QARMA5 (pauth.c) */
		field(12, 1) |			/* JSCVT: FJCVTZS */
		field(16, 1) |			/* FCMA: FCMLA, FCADD */
		field(20, 2) |			/* LRCPC: LDAPR, LDAPUR/STLUR */
		field(24, f->ptrauth ? 1 : 0) |	/* GPA: PACGA, QARMA5 */
		field(32, 1) |			/* FRINTTS: FRINT32Z... */
		field(36, 1) |			/* SB */
		field(44, 1) |			/* BF16: BFDOT...BFCVT (exec_mm.c) */
		field(52, 1);			/* I8MM: SMMLA...SUDOT (exec_mm.c) */
	r[SR_ID_AA64ISAR2_EL1] = 0;
	r[SR_ID_AA64MMFR0_EL1] =
		field(0, 5) |			/* PARange: 48 bits */
		field(4, 2) |			/* ASIDBits: 16 */
		field(20, 1) |			/* TGran16: supported */
		field(24, 0) |			/* TGran64: supported */
		field(28, 0) |			/* TGran4: supported */
		/* ECV: FEAT_ECV's traps, CNT[PV]CTSS_EL0, EVNTIS (sys_regs.c,
		 * arch_timer.c); not 2, CNTPOFF_EL2, which upstream KVM hides
		 * from a vCPU with EL2 (limit_nv_id_reg) */
		field(60, 1);
	r[SR_ID_AA64MMFR1_EL1] =
		field(8, f->vhe ? 1 : 0) |	/* VH: FEAT_VHE, with EL2 (not E2H0) */
		field(20, 1);			/* PAN */
	r[SR_ID_AA64MMFR2_EL1] =
		field(4, 1) |			/* UAO */
		field(24, f->nv ? 2 : 0) |	/* NV: FEAT_NV and FEAT_NV2, with VHE */
		field(36, 1) |			/* IDS: FEAT_IDST (exec_sys.c idst_traps) */
		/* AT: FEAT_LSE2, where 16-byte host accesses are atomic (mem.h) */
		field(32, cpu_host_atomic16() ? 1 : 0);
	/* NV_frac NV2_ONLY, as upstream's limit_nv_id_reg() (E2H0 stays 0: FEAT_E2H0) */
	r[SR_ID_AA64MMFR4_EL1] = field(20, f->nv ? 1 : 0);
	if (f->el2)
		limit_el2(r);
}

void cpu_id_regs_init(struct cpu_state *s, const struct cpu_features *f)
{
	cpu_id_regs_values(s->sysreg, f);
	/*
	 * CCSIDR_EL1 (no FEAT_CCIDX): L1 D and I 64 KiB 4-way, L2 1 MiB
	 * 8-way, 64-byte lines.  LineSize = log2(bytes) - 4, fields minus one.
	 */
	s->ccsidr[0] = (255ULL << 13) | (3ULL << 3) | 2;	/* L1 D */
	s->ccsidr[1] = (255ULL << 13) | (3ULL << 3) | 2;	/* L1 I */
	s->ccsidr[2] = (2047ULL << 13) | (7ULL << 3) | 2;	/* L2 */
}

uint64_t cpu_mpidr_for(int vcpu_id)
{
	uint64_t id = (uint64_t)vcpu_id;

	/* As KVM: Aff0 from bits [3:0], Aff1 [11:4], Aff2 [19:12]; bit 31 RES1 */
	return (1ULL << 31) | (id & 0xf) | (((id >> 4) & 0xff) << 8) |
	       (((id >> 12) & 0xff) << 16);
}
