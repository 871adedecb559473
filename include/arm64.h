/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architectural constants of AArch64 (Arm ARM, DDI 0487), the one home for
 * them: the exception syndrome (ESR_ELx), fault status codes, control
 * register bits, PSTATE and system-register encodings by name.  kernel/
 * (the engine and the KVM backend), vmm/, the tests and the bare-metal
 * guests include this header; it is plain C preprocessor constants, usable
 * from assembly too (the C-only parts are under #ifndef __ASSEMBLER__).
 */
#ifndef ARM64_ARCH_H
#define ARM64_ARCH_H

#ifdef __ASSEMBLER__
#define ARM64_BIT(n)		(1 << (n))
#define ARM64_U64(x)		x
#else
#define ARM64_BIT(n)		(1ULL << (n))
#define ARM64_U64(x)		x##ULL
#endif

/* ---- ESR_ELx (D24.2.40) -------------------------------------------------------- */

#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		(((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL			ARM64_BIT(25)
#define ESR_ISS_MASK		ARM64_U64(0x1ffffff)
#define ESR_ISS(esr)		((esr) & ESR_ISS_MASK)

/* Exception classes */
#define EC_UNKNOWN		0x00
#define EC_WFX			0x01
#define EC_FP_ASIMD		0x07
#define EC_PAC			0x09	/* PAuth trapped by HCR_EL2.API */
#define EC_BTI			0x0d	/* Branch Target exception: ISS = BTYPE */
#define EC_ILLEGAL		0x0e
#define EC_SVC64		0x15
#define EC_HVC64		0x16
#define EC_SMC64		0x17
#define EC_SYS64		0x18	/* MSR, MRS, SYS trapped */
#define EC_SVE			0x19	/* SVE trapped by CPACR_EL1.ZEN */
#define EC_ERET			0x1a	/* ERET, ERETAA, ERETAB at EL1 under HCR_EL2.NV */
#define EC_IABT_LOW		0x20
#define EC_IABT_CUR		0x21
#define EC_PC_ALIGN		0x22
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25
#define EC_SP_ALIGN		0x26
#define EC_SERROR		0x2f
#define EC_BKPT_LOW		0x30	/* hardware breakpoint */
#define EC_BKPT_CUR		0x31
#define EC_SOFTSTP_LOW		0x32
#define EC_SOFTSTP_CUR		0x33
#define EC_WATCHPT_LOW		0x34
#define EC_WATCHPT_CUR		0x35
#define EC_BRK64		0x3c
#define EC_MAX			0x3f

/* ISS of data and instruction aborts */
#define ESR_ISV			ARM64_BIT(24)
#define ESR_SAS_SHIFT		22
#define ESR_SSE			ARM64_BIT(21)
#define ESR_SRT_SHIFT		16
#define ESR_SF			ARM64_BIT(15)
#define ESR_AR			ARM64_BIT(14)
#define ESR_SET_MASK		(ARM64_U64(3) << 11)
#define ESR_FNV			ARM64_BIT(10)
#define ESR_EA			ARM64_BIT(9)
#define ESR_CM			ARM64_BIT(8)
#define ESR_VNCR		ARM64_BIT(13)	/* data abort: a FEAT_NV2 VNCR_EL2 access */
#define ESR_S1PTW		ARM64_BIT(7)
#define ESR_WNR			ARM64_BIT(6)
#define ESR_FSC_MASK		ARM64_U64(0x3f)
#define ESR_FSC(esr)		((esr) & ESR_FSC_MASK)

/* ISS of WFI/WFE (EC_WFX): TI<0> says WFE */
#define ESR_WFX_WFE		ARM64_BIT(0)

/*
 * ISS of a trapped MSR, MRS or SYS (EC_SYS64, D24.2.40): Op0, Op2, Op1,
 * CRn, Rt, CRm and Direction (1: read), taken from the instruction word.
 */
#define ESR_SYS64_ISS(insn)							\
	((((insn) >> 19) & 3) << 20 | (((insn) >> 5) & 7) << 17 |		\
	 (((insn) >> 16) & 7) << 14 | (((insn) >> 12) & 0xf) << 10 |		\
	 ((insn) & 0x1f) << 5 | (((insn) >> 8) & 0xf) << 1 | (((insn) >> 21) & 1))

/* Fault status codes (DFSC/IFSC); the translation level is added to the
 * level-0 codes */
#define FSC_ADDR_SIZE		0x00
#define FSC_TRANS		0x04
#define FSC_ACCESS		0x08
#define FSC_PERM		0x0c
#define FSC_SEA			0x10	/* synchronous external abort */
#define FSC_SEA_WALK		0x14	/* ... on a table walk, + level */
#define FSC_TAG_CHECK		0x11	/* synchronous tag check fault (FEAT_MTE2) */
#define FSC_ALIGN		0x21
#define FSC_DEBUG		0x22	/* debug exception (breakpoint, watchpoint, step) */

/* ISS of a software step exception: EX (a load-exclusive was stepped) valid
 * when ISV */
#define ESR_SS_EX		ARM64_BIT(6)

/* ---- control registers ------------------------------------------------------------- */

/* SCTLR_EL1 */
#define SCTLR_M			ARM64_BIT(0)
#define SCTLR_A			ARM64_BIT(1)
#define SCTLR_C			ARM64_BIT(2)
#define SCTLR_SA		ARM64_BIT(3)
#define SCTLR_SA0		ARM64_BIT(4)
#define SCTLR_NAA		ARM64_BIT(6)	/* FEAT_LSE2: no alignment fault, ordered */
#define SCTLR_UMA		ARM64_BIT(9)	/* EL0 may access DAIF */
#define SCTLR_I			ARM64_BIT(12)
#define SCTLR_DZE		ARM64_BIT(14)	/* EL0 may execute DC ZVA */
#define SCTLR_UCT		ARM64_BIT(15)	/* EL0 may read CTR_EL0 */
#define SCTLR_NTWI		ARM64_BIT(16)
#define SCTLR_NTWE		ARM64_BIT(18)
#define SCTLR_WXN		ARM64_BIT(19)
#define SCTLR_SPAN		ARM64_BIT(23)	/* 0: PSTATE.PAN set on entry to EL1 */
#define SCTLR_E0E		ARM64_BIT(24)
#define SCTLR_EE		ARM64_BIT(25)
#define SCTLR_UCI		ARM64_BIT(26)	/* EL0 may do cache maintenance */
#define SCTLR_BT0		ARM64_BIT(35)	/* EL0: PACIxSP not a landing pad for BTYPE 11 */
#define SCTLR_BT1		ARM64_BIT(36)	/* EL1: the same */
#define SCTLR_DSSBS		ARM64_BIT(44)	/* PSTATE.SSBS on entry to EL1 */
/* FEAT_MTE: tag check fault modes, allocation tag access, TFSR sync */
#define SCTLR_TCF0_SHIFT	38
#define SCTLR_TCF_SHIFT		40
#define SCTLR_ITFSB		ARM64_BIT(37)
#define SCTLR_ATA0		ARM64_BIT(42)
#define SCTLR_ATA		ARM64_BIT(43)

/* CPACR_EL1: two-bit trap controls */
#define CPACR_ZEN_SHIFT		16
#define CPACR_ZEN		(ARM64_U64(3) << CPACR_ZEN_SHIFT)
#define CPACR_FPEN_SHIFT	20
#define CPACR_FPEN		(ARM64_U64(3) << CPACR_FPEN_SHIFT)

/* CNTKCTL_EL1: EL0 access to the generic timer, event stream */
#define CNTKCTL_EL0PCTEN	ARM64_BIT(0)
#define CNTKCTL_EL0VCTEN	ARM64_BIT(1)
#define CNTKCTL_EVNTEN		ARM64_BIT(2)
#define CNTKCTL_EVNTI_SHIFT	4
#define CNTKCTL_EVNTI(v)	(((v) >> CNTKCTL_EVNTI_SHIFT) & 0xf)
#define CNTKCTL_EL0VTEN		ARM64_BIT(8)
#define CNTKCTL_EL0PTEN		ARM64_BIT(9)
#define CNTKCTL_EVNTIS		ARM64_BIT(17)	/* FEAT_ECV: EVNTI names bit EVNTI + 8 */
/* CNTHCTL_EL2, its HCR_EL2.E2H 0 layout (without FEAT_ECV) */
#define CNTHCTL_EL1PCTEN	ARM64_BIT(0)
#define CNTHCTL_EL1PCEN		ARM64_BIT(1)
#define CNTHCTL_E2H0_MASK	0xffULL	/* EL1PCTEN, EL1PCEN, EVNTEN, EVNTDIR, EVNTI */
/* ... and its E2H 1 layout: CNTKCTL_EL1's EL0 bits (the EL2&0 regime's), then */
#define CNTHCTL_E2H_EL1PCTEN	ARM64_BIT(10)
#define CNTHCTL_E2H_EL1PTEN	ARM64_BIT(11)
#define CNTHCTL_E2H1_MASK	0xfffULL
/* ... and FEAT_ECV's fields, the same in both layouts (ECV, bit 12: level 2 only) */
#define CNTHCTL_EL1TVT		ARM64_BIT(13)	/* EL0/EL1's CNTV_{CTL,CVAL,TVAL}_EL0 */
#define CNTHCTL_EL1TVCT		ARM64_BIT(14)	/* EL0/EL1's CNTVCT_EL0, CNTVCTSS_EL0 */
#define CNTHCTL_EL1NVPCT	ARM64_BIT(15)	/* EL1's CNTP_{CTL,CVAL}_EL02 under NV2 */
#define CNTHCTL_EL1NVVCT	ARM64_BIT(16)	/* EL1's CNTV_{CTL,CVAL}_EL02 under NV2 */
#define CNTHCTL_EVNTIS		ARM64_BIT(17)
#define CNTHCTL_ECV1_MASK	(0x1fULL << 13)

/* MDSCR_EL1 */
#define MDSCR_SS		ARM64_BIT(0)
#define MDSCR_TDCC		ARM64_BIT(12)
#define MDSCR_KDE		ARM64_BIT(13)
#define MDSCR_MDE		ARM64_BIT(15)

/* PMUv3 (Arm ARM D13): PMCR_EL0, PMUSERENR_EL0, PMEVTYPER<n>_EL0/PMCCFILTR_EL0 */
#define PMCR_E			ARM64_BIT(0)
#define PMCR_P			ARM64_BIT(1)
#define PMCR_C			ARM64_BIT(2)
#define PMCR_D			ARM64_BIT(3)
#define PMCR_X			ARM64_BIT(4)
#define PMCR_DP			ARM64_BIT(5)
#define PMCR_LC			ARM64_BIT(6)
#define PMCR_LP			ARM64_BIT(7)
#define PMCR_N_SHIFT		11
#define PMUSERENR_EN		ARM64_BIT(0)
#define PMUSERENR_SW		ARM64_BIT(1)
#define PMUSERENR_CR		ARM64_BIT(2)
#define PMUSERENR_ER		ARM64_BIT(3)
#define PMEVTYPER_P		ARM64_BIT(31)	/* don't count at EL1 */
#define PMEVTYPER_U		ARM64_BIT(30)	/* don't count at EL0 */
#define PMEVTYPER_NSH		ARM64_BIT(27)	/* count at EL2 (EL2 implemented) */
#define PMU_CYCLE_IDX		31		/* PMCCNTR_EL0's bit in PMCNTEN*, PMOVS*, PMINTEN* */
/* common event numbers */
#define PMU_EV_SW_INCR		0x00
#define PMU_EV_INST_RETIRED	0x08
#define PMU_EV_EXC_RETURN	0x0a
#define PMU_EV_CPU_CYCLES	0x11
#define PMU_EV_MEM_ACCESS	0x13
#define PMU_EV_CHAIN		0x1e
#define PMU_EV_BR_RETIRED	0x21
#define PMU_EV_STALL_FRONTEND	0x23
#define PMU_EV_STALL_BACKEND	0x24

/* HCR_EL2 */
#define HCR_VM			ARM64_BIT(0)
#define HCR_FMO			ARM64_BIT(3)
#define HCR_IMO			ARM64_BIT(4)
#define HCR_AMO			ARM64_BIT(5)
#define HCR_VF			ARM64_BIT(6)
#define HCR_VI			ARM64_BIT(7)
#define HCR_VSE			ARM64_BIT(8)
#define HCR_TWI			ARM64_BIT(13)
#define HCR_TWE			ARM64_BIT(14)
#define HCR_TID1		ARM64_BIT(16)
#define HCR_TID2		ARM64_BIT(17)
#define HCR_TID3		ARM64_BIT(18)
#define HCR_TSC			ARM64_BIT(19)
#define HCR_TACR		ARM64_BIT(21)
#define HCR_TSW			ARM64_BIT(22)
#define HCR_TPC			ARM64_BIT(23)
#define HCR_TPU			ARM64_BIT(24)
#define HCR_TTLB		ARM64_BIT(25)
#define HCR_TVM			ARM64_BIT(26)
#define HCR_TGE			ARM64_BIT(27)
#define HCR_TDZ			ARM64_BIT(28)
#define HCR_HCD			ARM64_BIT(29)
#define HCR_TRVM		ARM64_BIT(30)
#define HCR_RW			ARM64_BIT(31)
#define HCR_CD			ARM64_BIT(32)	/* stage 2 data, AT: Non-cacheable */
#define HCR_ID			ARM64_BIT(33)	/* stage 2 fetches: Non-cacheable */
#define HCR_E2H			ARM64_BIT(34)
#define HCR_APK			ARM64_BIT(40)
/* the HCR_EL2 bits that shape EL1&0 translation: VM, PTW, DC, TGE, E2H,
 * FWB, and NV with NV1 (descriptor bits, FEAT_NV) */
#define HCR_TLB_BITS		(HCR_VM | ARM64_BIT(2) | ARM64_BIT(12) | HCR_TGE | \
				 HCR_E2H | ARM64_BIT(46) | ARM64_BIT(42) | ARM64_BIT(43))
#define HCR_API			ARM64_BIT(41)
#define HCR_NV			ARM64_BIT(42)	/* FEAT_NV */
#define HCR_NV1			ARM64_BIT(43)
#define HCR_AT			ARM64_BIT(44)
#define HCR_NV2			ARM64_BIT(45)	/* FEAT_NV2 */

/* ---- PSTATE, in SPSR_ELx layout (C5.2.18) --------------------------------------------- */

/*
 * The UAPI's asm/ptrace.h has some of these names as 32-bit constants;
 * ours are 64-bit, so that ~PSR_x keeps the upper half of a 64-bit
 * PSTATE: ours win (include this after <linux/kvm.h>).
 */
#undef PSR_MODE_MASK
#define PSR_MODE_MASK		0x0000000fULL
#undef PSR_MODE_EL0t
#define PSR_MODE_EL0t		0x0ULL
#undef PSR_MODE_EL1t
#define PSR_MODE_EL1t		0x4ULL
#undef PSR_MODE_EL1h
#define PSR_MODE_EL1h		0x5ULL
#undef PSR_MODE_EL2t
#define PSR_MODE_EL2t		0x8ULL
#undef PSR_MODE_EL2h
#define PSR_MODE_EL2h		0x9ULL
#undef PSR_MODE32_BIT
#define PSR_MODE32_BIT		0x10ULL
#undef PSR_F_BIT
#define PSR_F_BIT		0x40ULL
#undef PSR_I_BIT
#define PSR_I_BIT		0x80ULL
#undef PSR_A_BIT
#define PSR_A_BIT		0x100ULL
#undef PSR_D_BIT
#define PSR_D_BIT		0x200ULL
#undef PSR_BTYPE_MASK
#define PSR_BTYPE_MASK		0xc00ULL
#undef PSR_BTYPE_SHIFT
#define PSR_BTYPE_SHIFT		10
#undef PSR_SSBS_BIT
#define PSR_SSBS_BIT		0x1000ULL
#undef PSR_ALLINT_BIT
#define PSR_ALLINT_BIT		0x2000ULL
#undef PSR_IL_BIT
#define PSR_IL_BIT		0x100000ULL
#undef PSR_SS_BIT
#define PSR_SS_BIT		0x200000ULL
#undef PSR_PAN_BIT
#define PSR_PAN_BIT		0x400000ULL
#undef PSR_UAO_BIT
#define PSR_UAO_BIT		0x800000ULL
#undef PSR_DIT_BIT
#define PSR_DIT_BIT		0x1000000ULL
#undef PSR_TCO_BIT
#define PSR_TCO_BIT		0x2000000ULL
#undef PSR_V_BIT
#define PSR_V_BIT		0x10000000ULL
#undef PSR_C_BIT
#define PSR_C_BIT		0x20000000ULL
#undef PSR_Z_BIT
#define PSR_Z_BIT		0x40000000ULL
#undef PSR_N_BIT
#define PSR_N_BIT		0x80000000ULL
#undef PSR_NZCV_MASK
#define PSR_NZCV_MASK		0xf0000000ULL
#undef PSR_DAIF_MASK
#define PSR_DAIF_MASK		(PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)

/* ---- system-register encodings (C5.3) ------------------------------------------------ */

/*
 * An MRS/MSR operand as Op0:Op1:CRn:CRm:Op2, in the layout of the
 * instruction's bits [20:5], which is also the low bits of a KVM ONE_REG
 * system-register ID (KVM_REG_ARM64_SYSREG_*_SHIFT).
 */
#define SYS_REG(op0, op1, crn, crm, op2)					\
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define SYS_REG_OP0(enc)	(((enc) >> 14) & 3)
#define SYS_REG_OP1(enc)	(((enc) >> 11) & 7)
#define SYS_REG_CRN(enc)	(((enc) >> 7) & 0xf)
#define SYS_REG_CRM(enc)	(((enc) >> 3) & 0xf)
#define SYS_REG_OP2(enc)	((enc) & 7)

/* MRS Xt, <enc> and MSR <enc>, Xt as instruction words */
#define A64_MRS(enc, rt)	(0xd5300000 | (enc) << 5 | (rt))
#define A64_MSR(enc, rt)	(0xd5100000 | (enc) << 5 | (rt))
/* The ONE_REG ID of a 64-bit system register (needs <linux/kvm.h>). */
#define ONE_REG_SYS(enc)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | (enc))

/* debug (op0 = 2) */
#define SYS_DBGBVRn_EL1(n)	SYS_REG(2, 0, 0, n, 4)
#define SYS_DBGBCRn_EL1(n)	SYS_REG(2, 0, 0, n, 5)
#define SYS_DBGWVRn_EL1(n)	SYS_REG(2, 0, 0, n, 6)
#define SYS_DBGWCRn_EL1(n)	SYS_REG(2, 0, 0, n, 7)
#define SYS_MDCCINT_EL1		SYS_REG(2, 0, 0, 2, 0)
#define SYS_MDSCR_EL1		SYS_REG(2, 0, 0, 2, 2)
#define SYS_MDRAR_EL1		SYS_REG(2, 0, 1, 0, 0)
#define SYS_OSLAR_EL1		SYS_REG(2, 0, 1, 0, 4)
#define SYS_OSLSR_EL1		SYS_REG(2, 0, 1, 1, 4)
#define SYS_OSDLR_EL1		SYS_REG(2, 0, 1, 3, 4)
#define SYS_DBGPRCR_EL1		SYS_REG(2, 0, 1, 4, 4)
#define SYS_DBGCLAIMSET_EL1	SYS_REG(2, 0, 7, 8, 6)
#define SYS_DBGCLAIMCLR_EL1	SYS_REG(2, 0, 7, 9, 6)
#define SYS_DBGAUTHSTATUS_EL1	SYS_REG(2, 0, 7, 14, 6)
#define SYS_MDCCSR_EL0		SYS_REG(2, 3, 0, 1, 0)
#define SYS_DBGDTR_EL0		SYS_REG(2, 3, 0, 4, 0)
#define SYS_DBGDTRRX_EL0	SYS_REG(2, 3, 0, 5, 0)	/* DBGDTRTX_EL0 when written */

/* AArch32 state kept at EL2 (ONE_REG only: the guest runs at EL1) */
#define SYS_DBGVCR32_EL2	SYS_REG(2, 4, 0, 7, 0)
#define SYS_DACR32_EL2		SYS_REG(3, 4, 3, 0, 0)
#define SYS_IFSR32_EL2		SYS_REG(3, 4, 5, 0, 1)
#define SYS_FPEXC32_EL2		SYS_REG(3, 4, 5, 3, 0)

/* identification: op0 = 3, op1 = 0, CRn = 0 */
#define SYS_ID_REG(crm, op2)	SYS_REG(3, 0, 0, crm, op2)
#define SYS_MIDR_EL1		SYS_ID_REG(0, 0)
#define SYS_MPIDR_EL1		SYS_ID_REG(0, 5)
#define SYS_REVIDR_EL1		SYS_ID_REG(0, 6)
#define SYS_ID_PFR0_EL1		SYS_ID_REG(1, 0)
#define SYS_ID_PFR1_EL1		SYS_ID_REG(1, 1)
#define SYS_ID_DFR0_EL1		SYS_ID_REG(1, 2)
#define SYS_ID_AFR0_EL1		SYS_ID_REG(1, 3)
#define SYS_ID_MMFR0_EL1	SYS_ID_REG(1, 4)
#define SYS_ID_MMFR1_EL1	SYS_ID_REG(1, 5)
#define SYS_ID_MMFR2_EL1	SYS_ID_REG(1, 6)
#define SYS_ID_MMFR3_EL1	SYS_ID_REG(1, 7)
#define SYS_ID_ISAR0_EL1	SYS_ID_REG(2, 0)
#define SYS_ID_ISAR1_EL1	SYS_ID_REG(2, 1)
#define SYS_ID_ISAR2_EL1	SYS_ID_REG(2, 2)
#define SYS_ID_ISAR3_EL1	SYS_ID_REG(2, 3)
#define SYS_ID_ISAR4_EL1	SYS_ID_REG(2, 4)
#define SYS_ID_ISAR5_EL1	SYS_ID_REG(2, 5)
#define SYS_ID_MMFR4_EL1	SYS_ID_REG(2, 6)
#define SYS_ID_ISAR6_EL1	SYS_ID_REG(2, 7)
#define SYS_MVFR0_EL1		SYS_ID_REG(3, 0)
#define SYS_MVFR1_EL1		SYS_ID_REG(3, 1)
#define SYS_MVFR2_EL1		SYS_ID_REG(3, 2)
#define SYS_ID_PFR2_EL1		SYS_ID_REG(3, 4)
#define SYS_ID_DFR1_EL1		SYS_ID_REG(3, 5)
#define SYS_ID_MMFR5_EL1	SYS_ID_REG(3, 6)
#define SYS_ID_AA64PFR0_EL1	SYS_ID_REG(4, 0)
#define SYS_ID_AA64PFR1_EL1	SYS_ID_REG(4, 1)
#define SYS_ID_AA64PFR2_EL1	SYS_ID_REG(4, 2)
#define SYS_ID_AA64ZFR0_EL1	SYS_ID_REG(4, 4)
#define SYS_ID_AA64SMFR0_EL1	SYS_ID_REG(4, 5)
#define SYS_ID_AA64FPFR0_EL1	SYS_ID_REG(4, 7)
#define SYS_ID_AA64DFR0_EL1	SYS_ID_REG(5, 0)
#define SYS_ID_AA64DFR1_EL1	SYS_ID_REG(5, 1)
#define SYS_ID_AA64DFR2_EL1	SYS_ID_REG(5, 2)
#define SYS_ID_AA64AFR0_EL1	SYS_ID_REG(5, 4)
#define SYS_ID_AA64AFR1_EL1	SYS_ID_REG(5, 5)
#define SYS_ID_AA64ISAR0_EL1	SYS_ID_REG(6, 0)
#define SYS_ID_AA64ISAR1_EL1	SYS_ID_REG(6, 1)
#define SYS_ID_AA64ISAR2_EL1	SYS_ID_REG(6, 2)
#define SYS_ID_AA64ISAR3_EL1	SYS_ID_REG(6, 3)
#define SYS_ID_AA64MMFR0_EL1	SYS_ID_REG(7, 0)
#define SYS_ID_AA64MMFR1_EL1	SYS_ID_REG(7, 1)
#define SYS_ID_AA64MMFR2_EL1	SYS_ID_REG(7, 2)
#define SYS_ID_AA64MMFR3_EL1	SYS_ID_REG(7, 3)
#define SYS_ID_AA64MMFR4_EL1	SYS_ID_REG(7, 4)

/* system control, translation, exceptions (EL1) */
#define SYS_SCTLR_EL1		SYS_REG(3, 0, 1, 0, 0)
#define SYS_ACTLR_EL1		SYS_REG(3, 0, 1, 0, 1)
#define SYS_CPACR_EL1		SYS_REG(3, 0, 1, 0, 2)
#define SYS_ZCR_EL1		SYS_REG(3, 0, 1, 2, 0)
#define SYS_TTBR0_EL1		SYS_REG(3, 0, 2, 0, 0)
#define SYS_TTBR1_EL1		SYS_REG(3, 0, 2, 0, 1)
#define SYS_TCR_EL1		SYS_REG(3, 0, 2, 0, 2)
#define SYS_APIAKEYLO_EL1	SYS_REG(3, 0, 2, 1, 0)	/* FEAT_PAuth keys */
#define SYS_APIAKEYHI_EL1	SYS_REG(3, 0, 2, 1, 1)
#define SYS_APIBKEYLO_EL1	SYS_REG(3, 0, 2, 1, 2)
#define SYS_APIBKEYHI_EL1	SYS_REG(3, 0, 2, 1, 3)
#define SYS_APDAKEYLO_EL1	SYS_REG(3, 0, 2, 2, 0)
#define SYS_APDAKEYHI_EL1	SYS_REG(3, 0, 2, 2, 1)
#define SYS_APDBKEYLO_EL1	SYS_REG(3, 0, 2, 2, 2)
#define SYS_APDBKEYHI_EL1	SYS_REG(3, 0, 2, 2, 3)
#define SYS_APGAKEYLO_EL1	SYS_REG(3, 0, 2, 3, 0)
#define SYS_APGAKEYHI_EL1	SYS_REG(3, 0, 2, 3, 1)
#define SYS_SPSR_EL1		SYS_REG(3, 0, 4, 0, 0)
#define SYS_ELR_EL1		SYS_REG(3, 0, 4, 0, 1)
#define SYS_SP_EL0		SYS_REG(3, 0, 4, 1, 0)
#define SYS_SPSel		SYS_REG(3, 0, 4, 2, 0)
#define SYS_CurrentEL		SYS_REG(3, 0, 4, 2, 2)
#define SYS_PAN			SYS_REG(3, 0, 4, 2, 3)
#define SYS_UAO			SYS_REG(3, 0, 4, 2, 4)
#define SYS_TCO			SYS_REG(3, 3, 4, 2, 7)	/* FEAT_MTE */
#define SYS_RGSR_EL1		SYS_REG(3, 0, 1, 0, 5)
#define SYS_GCR_EL1		SYS_REG(3, 0, 1, 0, 6)
#define SYS_TFSR_EL1		SYS_REG(3, 0, 5, 6, 0)
#define SYS_TFSRE0_EL1		SYS_REG(3, 0, 5, 6, 1)
#define SYS_TFSR_EL2		SYS_REG(3, 4, 5, 6, 0)
#define SYS_GMID_EL1		SYS_REG(3, 1, 0, 0, 4)
#define SYS_AFSR0_EL1		SYS_REG(3, 0, 5, 1, 0)
#define SYS_AFSR1_EL1		SYS_REG(3, 0, 5, 1, 1)
#define SYS_ESR_EL1		SYS_REG(3, 0, 5, 2, 0)
#define SYS_ERRIDR_EL1		SYS_REG(3, 0, 5, 3, 0)
#define SYS_ERRSELR_EL1		SYS_REG(3, 0, 5, 3, 1)
#define SYS_ERXFR_EL1		SYS_REG(3, 0, 5, 4, 0)
#define SYS_ERXCTLR_EL1		SYS_REG(3, 0, 5, 4, 1)
#define SYS_ERXSTATUS_EL1	SYS_REG(3, 0, 5, 4, 2)
#define SYS_ERXADDR_EL1		SYS_REG(3, 0, 5, 4, 3)
#define SYS_ERXMISC0_EL1	SYS_REG(3, 0, 5, 5, 0)
#define SYS_ERXMISC1_EL1	SYS_REG(3, 0, 5, 5, 1)
#define SYS_FAR_EL1		SYS_REG(3, 0, 6, 0, 0)
#define SYS_PAR_EL1		SYS_REG(3, 0, 7, 4, 0)
#define SYS_MAIR_EL1		SYS_REG(3, 0, 10, 2, 0)
#define SYS_AMAIR_EL1		SYS_REG(3, 0, 10, 3, 0)
#define SYS_VBAR_EL1		SYS_REG(3, 0, 12, 0, 0)
#define SYS_ISR_EL1		SYS_REG(3, 0, 12, 1, 0)
#define SYS_DISR_EL1		SYS_REG(3, 0, 12, 1, 1)
#define SYS_CONTEXTIDR_EL1	SYS_REG(3, 0, 13, 0, 1)
#define SYS_TPIDR_EL1		SYS_REG(3, 0, 13, 0, 4)
#define SYS_CNTKCTL_EL1		SYS_REG(3, 0, 14, 1, 0)

/* EL2 (op1 = 4; SP_EL2 op1 = 6, SP_EL1 at EL2 op1 = 4) */
#define SYS_VPIDR_EL2		SYS_REG(3, 4, 0, 0, 0)
#define SYS_VMPIDR_EL2		SYS_REG(3, 4, 0, 0, 5)
#define SYS_SCTLR_EL2		SYS_REG(3, 4, 1, 0, 0)
#define SYS_ACTLR_EL2		SYS_REG(3, 4, 1, 0, 1)
#define SYS_HCR_EL2		SYS_REG(3, 4, 1, 1, 0)
#define SYS_MDCR_EL2		SYS_REG(3, 4, 1, 1, 1)
#define SYS_CPTR_EL2		SYS_REG(3, 4, 1, 1, 2)
#define SYS_HSTR_EL2		SYS_REG(3, 4, 1, 1, 3)
#define SYS_HACR_EL2		SYS_REG(3, 4, 1, 1, 7)
#define SYS_ZCR_EL2		SYS_REG(3, 4, 1, 2, 0)
#define SYS_TTBR0_EL2		SYS_REG(3, 4, 2, 0, 0)
#define SYS_TTBR1_EL2		SYS_REG(3, 4, 2, 0, 1)
#define SYS_TCR_EL2		SYS_REG(3, 4, 2, 0, 2)
#define SYS_VTTBR_EL2		SYS_REG(3, 4, 2, 1, 0)
#define SYS_VTCR_EL2		SYS_REG(3, 4, 2, 1, 2)
#define SYS_VNCR_EL2		SYS_REG(3, 4, 2, 2, 0)	/* FEAT_NV2 */
#define SYS_SPSR_EL2		SYS_REG(3, 4, 4, 0, 0)
#define SYS_ELR_EL2		SYS_REG(3, 4, 4, 0, 1)
#define SYS_SP_EL1		SYS_REG(3, 4, 4, 1, 0)
#define SYS_AFSR0_EL2		SYS_REG(3, 4, 5, 1, 0)
#define SYS_AFSR1_EL2		SYS_REG(3, 4, 5, 1, 1)
#define SYS_ESR_EL2		SYS_REG(3, 4, 5, 2, 0)
#define SYS_VSESR_EL2		SYS_REG(3, 4, 5, 2, 3)
#define SYS_FAR_EL2		SYS_REG(3, 4, 6, 0, 0)
#define SYS_HPFAR_EL2		SYS_REG(3, 4, 6, 0, 4)
#define SYS_MAIR_EL2		SYS_REG(3, 4, 10, 2, 0)
#define SYS_AMAIR_EL2		SYS_REG(3, 4, 10, 3, 0)
#define SYS_VBAR_EL2		SYS_REG(3, 4, 12, 0, 0)
#define SYS_VDISR_EL2		SYS_REG(3, 4, 12, 1, 1)
#define SYS_CONTEXTIDR_EL2	SYS_REG(3, 4, 13, 0, 1)
#define SYS_TPIDR_EL2		SYS_REG(3, 4, 13, 0, 2)
#define SYS_CNTVOFF_EL2		SYS_REG(3, 4, 14, 0, 3)
#define SYS_CNTHCTL_EL2		SYS_REG(3, 4, 14, 1, 0)
#define SYS_CNTHP_TVAL_EL2	SYS_REG(3, 4, 14, 2, 0)
#define SYS_CNTHP_CTL_EL2	SYS_REG(3, 4, 14, 2, 1)
#define SYS_CNTHP_CVAL_EL2	SYS_REG(3, 4, 14, 2, 2)
#define SYS_CNTHV_TVAL_EL2	SYS_REG(3, 4, 14, 3, 0)
#define SYS_CNTHV_CTL_EL2	SYS_REG(3, 4, 14, 3, 1)
#define SYS_CNTHV_CVAL_EL2	SYS_REG(3, 4, 14, 3, 2)
#define SYS_SP_EL2		SYS_REG(3, 6, 4, 1, 0)

/* SCTLR_EL2 (E2H = 0) at reset: its RES1 bits, caches and MMU off */
#define SCTLR_EL2_RES1		0x30c50830ULL
/* CPTR_EL2 (E2H = 0): RES1 bits 13, 12 (TSM, no SME), 9, 7:0; TZ is 8 */
#define CPTR_EL2_RES1		0x32ffULL
#define CPTR_EL2_TZ		(1ULL << 8)
#define CPTR_EL2_TFP		(1ULL << 10)
#define CPTR_EL2_TTA		(1ULL << 20)
/* MDCR_EL2 */
#define MDCR_EL2_HPMN		0x1fULL
#define MDCR_EL2_TPMCR		(1ULL << 5)
#define MDCR_EL2_TPM		(1ULL << 6)
#define MDCR_EL2_HPME		(1ULL << 7)
#define MDCR_EL2_TDE		(1ULL << 8)
#define MDCR_EL2_TDA		(1ULL << 9)
#define MDCR_EL2_TDOSA		(1ULL << 10)
#define MDCR_EL2_TDRA		(1ULL << 11)
#define MDCR_EL2_HPMD		(1ULL << 17)	/* PMUv3p1: no counting at EL2 */
#define MDCR_EL2_HCCD		(1ULL << 23)	/* PMUv3p5: no cycle counting at EL2 */
#define MDCR_EL2_HLP		(1ULL << 26)	/* PMUv3p5: LP of counters >= HPMN */
#define CPTR_EL2_TCPAC		(1ULL << 31)
/* the ISS of EC 0x07 from AArch64: CV 1, COND 0xe (ConditionSyndrome()) */
#define ESR_FP_ISS		0x01e00000U

/* the performance monitors (PMUv3) */
#define SYS_PMINTENSET_EL1	SYS_REG(3, 0, 9, 14, 1)
#define SYS_PMINTENCLR_EL1	SYS_REG(3, 0, 9, 14, 2)
#define SYS_PMMIR_EL1		SYS_REG(3, 0, 9, 14, 6)
#define SYS_PMCR_EL0		SYS_REG(3, 3, 9, 12, 0)
#define SYS_PMCNTENSET_EL0	SYS_REG(3, 3, 9, 12, 1)
#define SYS_PMCNTENCLR_EL0	SYS_REG(3, 3, 9, 12, 2)
#define SYS_PMOVSCLR_EL0	SYS_REG(3, 3, 9, 12, 3)
#define SYS_PMSWINC_EL0		SYS_REG(3, 3, 9, 12, 4)
#define SYS_PMSELR_EL0		SYS_REG(3, 3, 9, 12, 5)
#define SYS_PMCEID0_EL0		SYS_REG(3, 3, 9, 12, 6)
#define SYS_PMCEID1_EL0		SYS_REG(3, 3, 9, 12, 7)
#define SYS_PMCCNTR_EL0		SYS_REG(3, 3, 9, 13, 0)
#define SYS_PMXEVTYPER_EL0	SYS_REG(3, 3, 9, 13, 1)
#define SYS_PMXEVCNTR_EL0	SYS_REG(3, 3, 9, 13, 2)
#define SYS_PMUSERENR_EL0	SYS_REG(3, 3, 9, 14, 0)
#define SYS_PMOVSSET_EL0	SYS_REG(3, 3, 9, 14, 3)
#define SYS_PMEVCNTRn_EL0(n)	SYS_REG(3, 3, 14, 8 + ((n) >> 3), (n) & 7)
#define SYS_PMEVTYPERn_EL0(n)	SYS_REG(3, 3, 14, 12 + ((n) >> 3), (n) & 7)
#define SYS_PMCCFILTR_EL0	SYS_REG(3, 3, 14, 15, 7)

/* the GICv3 CPU interface */
#define SYS_ICC_PMR_EL1		SYS_REG(3, 0, 4, 6, 0)
#define SYS_ICC_IAR0_EL1	SYS_REG(3, 0, 12, 8, 0)
#define SYS_ICC_EOIR0_EL1	SYS_REG(3, 0, 12, 8, 1)
#define SYS_ICC_HPPIR0_EL1	SYS_REG(3, 0, 12, 8, 2)
#define SYS_ICC_BPR0_EL1	SYS_REG(3, 0, 12, 8, 3)
#define SYS_ICC_AP0R0_EL1	SYS_REG(3, 0, 12, 8, 4)
#define SYS_ICC_AP1R0_EL1	SYS_REG(3, 0, 12, 9, 0)
#define SYS_ICC_DIR_EL1		SYS_REG(3, 0, 12, 11, 1)
#define SYS_ICC_RPR_EL1		SYS_REG(3, 0, 12, 11, 3)
#define SYS_ICC_SGI1R_EL1	SYS_REG(3, 0, 12, 11, 5)
#define SYS_ICC_ASGI1R_EL1	SYS_REG(3, 0, 12, 11, 6)
#define SYS_ICC_SGI0R_EL1	SYS_REG(3, 0, 12, 11, 7)
#define SYS_ICC_IAR1_EL1	SYS_REG(3, 0, 12, 12, 0)
#define SYS_ICC_EOIR1_EL1	SYS_REG(3, 0, 12, 12, 1)
#define SYS_ICC_HPPIR1_EL1	SYS_REG(3, 0, 12, 12, 2)
#define SYS_ICC_BPR1_EL1	SYS_REG(3, 0, 12, 12, 3)
#define SYS_ICC_CTLR_EL1	SYS_REG(3, 0, 12, 12, 4)
#define SYS_ICC_SRE_EL1		SYS_REG(3, 0, 12, 12, 5)
#define SYS_ICC_IGRPEN0_EL1	SYS_REG(3, 0, 12, 12, 6)
#define SYS_ICC_IGRPEN1_EL1	SYS_REG(3, 0, 12, 12, 7)
/* GICv3 virtualization (EL2): four list registers, AP0R0/AP1R0 only */
#define SYS_ICH_AP0R0_EL2	SYS_REG(3, 4, 12, 8, 0)
#define SYS_ICH_AP1R0_EL2	SYS_REG(3, 4, 12, 9, 0)
#define SYS_ICC_SRE_EL2		SYS_REG(3, 4, 12, 9, 5)
#define SYS_ICH_HCR_EL2		SYS_REG(3, 4, 12, 11, 0)
#define SYS_ICH_VTR_EL2		SYS_REG(3, 4, 12, 11, 1)
#define SYS_ICH_MISR_EL2	SYS_REG(3, 4, 12, 11, 2)
#define SYS_ICH_EISR_EL2	SYS_REG(3, 4, 12, 11, 3)
#define SYS_ICH_ELRSR_EL2	SYS_REG(3, 4, 12, 11, 5)
#define SYS_ICH_VMCR_EL2	SYS_REG(3, 4, 12, 11, 7)
#define SYS_ICH_LR0_EL2		SYS_REG(3, 4, 12, 12, 0)
#define SYS_ICH_LR1_EL2		SYS_REG(3, 4, 12, 12, 1)
#define SYS_ICH_LR2_EL2		SYS_REG(3, 4, 12, 12, 2)
#define SYS_ICH_LR3_EL2		SYS_REG(3, 4, 12, 12, 3)

/* cache identification */
#define SYS_CCSIDR_EL1		SYS_REG(3, 1, 0, 0, 0)
#define SYS_CLIDR_EL1		SYS_REG(3, 1, 0, 0, 1)
#define SYS_AIDR_EL1		SYS_REG(3, 1, 0, 0, 7)
#define SYS_CSSELR_EL1		SYS_REG(3, 2, 0, 0, 0)
#define SYS_CTR_EL0		SYS_REG(3, 3, 0, 0, 1)
#define SYS_DCZID_EL0		SYS_REG(3, 3, 0, 0, 7)

/* EL0-visible PSTATE and FP control, thread ID */
#define SYS_NZCV		SYS_REG(3, 3, 4, 2, 0)
#define SYS_DAIF		SYS_REG(3, 3, 4, 2, 1)
#define SYS_DIT			SYS_REG(3, 3, 4, 2, 5)
#define SYS_SSBS		SYS_REG(3, 3, 4, 2, 6)
/* FEAT_RNG */
#define SYS_RNDR		SYS_REG(3, 3, 2, 4, 0)
#define SYS_RNDRRS		SYS_REG(3, 3, 2, 4, 1)
#define SYS_FPCR		SYS_REG(3, 3, 4, 4, 0)
#define SYS_FPSR		SYS_REG(3, 3, 4, 4, 1)
#define SYS_TPIDR_EL0		SYS_REG(3, 3, 13, 0, 2)
#define SYS_TPIDRRO_EL0		SYS_REG(3, 3, 13, 0, 3)

/* the generic timer */
#define SYS_CNTFRQ_EL0		SYS_REG(3, 3, 14, 0, 0)
#define SYS_CNTPCT_EL0		SYS_REG(3, 3, 14, 0, 1)
#define SYS_CNTVCT_EL0		SYS_REG(3, 3, 14, 0, 2)
#define SYS_CNTPCTSS_EL0	SYS_REG(3, 3, 14, 0, 5)	/* FEAT_ECV */
#define SYS_CNTVCTSS_EL0	SYS_REG(3, 3, 14, 0, 6)	/* FEAT_ECV */
#define SYS_CNTP_TVAL_EL0	SYS_REG(3, 3, 14, 2, 0)
#define SYS_CNTP_CTL_EL0	SYS_REG(3, 3, 14, 2, 1)
#define SYS_CNTP_CVAL_EL0	SYS_REG(3, 3, 14, 2, 2)
#define SYS_CNTV_TVAL_EL0	SYS_REG(3, 3, 14, 3, 0)
#define SYS_CNTV_CTL_EL0	SYS_REG(3, 3, 14, 3, 1)
#define SYS_CNTV_CVAL_EL0	SYS_REG(3, 3, 14, 3, 2)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* An ESR value for a 32-bit instruction (IL = 1). */
static inline uint64_t esr_make(unsigned int ec, uint32_t iss)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
}
#endif

#endif /* ARM64_ARCH_H */
