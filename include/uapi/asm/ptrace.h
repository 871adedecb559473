/*
 * arm64 user register layouts (PSTATE bits, GPR and FP/SIMD blocks) as the
 * Linux UAPI defines them; struct kvm_regs embeds two of them.  Only the
 * parts a KVM client needs: no ptrace request numbers, no SVE/ZA regsets.
 */
#ifndef __ASM_PTRACE_H
#define __ASM_PTRACE_H

#include <linux/types.h>
#include <asm/sve_context.h>

/* PSTATE.{nRW,EL,SP} as saved in SPSR. */
#define PSR_MODE_EL0t	0x00000000
#define PSR_MODE_EL1t	0x00000004
#define PSR_MODE_EL1h	0x00000005
#define PSR_MODE_EL2t	0x00000008
#define PSR_MODE_EL2h	0x00000009
#define PSR_MODE_EL3t	0x0000000c
#define PSR_MODE_EL3h	0x0000000d
#define PSR_MODE_MASK	0x0000000f

#define PSR_MODE32_BIT	0x00000010	/* AArch32 state (SPSR.M[4]) */

#define PSR_F_BIT	0x00000040
#define PSR_I_BIT	0x00000080
#define PSR_A_BIT	0x00000100
#define PSR_D_BIT	0x00000200
#define PSR_BTYPE_MASK	0x00000c00
#define PSR_SSBS_BIT	0x00001000
#define PSR_PAN_BIT	0x00400000
#define PSR_UAO_BIT	0x00800000
#define PSR_DIT_BIT	0x01000000
#define PSR_TCO_BIT	0x02000000
#define PSR_V_BIT	0x10000000
#define PSR_C_BIT	0x20000000
#define PSR_Z_BIT	0x40000000
#define PSR_N_BIT	0x80000000

#define PSR_BTYPE_SHIFT	10

/* Byte fields of the PSR (AArch32 MSR field mask naming). */
#define PSR_f		0xff000000
#define PSR_s		0x00ff0000
#define PSR_x		0x0000ff00
#define PSR_c		0x000000ff

#define PSR_BTYPE_NONE	(0x0 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_JC	(0x1 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_C	(0x2 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_J	(0x3 << PSR_BTYPE_SHIFT)

#ifndef __ASSEMBLER__

struct user_pt_regs {
	__u64		regs[31];	/* X0..X30 */
	__u64		sp;
	__u64		pc;
	__u64		pstate;
};

struct user_fpsimd_state {
	__uint128_t	vregs[32];	/* V0..V31 */
	__u32		fpsr;
	__u32		fpcr;
	__u32		__reserved[2];
};

struct user_hwdebug_state {
	__u32		dbg_info;
	__u32		pad;
	struct {
		__u64	addr;
		__u32	ctrl;
		__u32	pad;
	}		dbg_regs[16];
};

#endif /* __ASSEMBLER__ */

#endif /* __ASM_PTRACE_H */
