/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembler macros for a differential test's way in and out of a case on
 * the qemu-aarch64 side (diffrunner.c); each test's entry .S adds the
 * state of its own register block between them:
 *
 *	diff_enter_begin	runner_enter(regs, entry, stack): save
 *				x19-x30, SP and d8-d15 in runner_host_ctx,
 *				switch to the test stack, push the case's x30
 *				(the code page's first word pops it), load NZCV
 *	...			load the rest from the block at x0 (x9-x11
 *				are free)
 *	diff_enter_end		load X0-X29, jump to entry
 *
 *	diff_exit_begin SIZE	runner_exit, which the code page's trailer
 *				branches to after pushing x30: store X0-X30
 *				and NZCV in a SIZE-byte block on the test stack
 *	...			store the rest at sp (x0, x1, x9-x11 are free)
 *	diff_exit_end		return from runner_enter with the block
 */
#include "difflayout.h"

/* x19-x30 and d8-d15 in runner_host_ctx at x9 (SP goes at 96): op is stp or ldp */
	.macro	diff_host_ctx op
	\op	x19, x20, [x9, #0]
	\op	x21, x22, [x9, #16]
	\op	x23, x24, [x9, #32]
	\op	x25, x26, [x9, #48]
	\op	x27, x28, [x9, #64]
	\op	x29, x30, [x9, #80]
	\op	d8, d9, [x9, #112]
	\op	d10, d11, [x9, #128]
	\op	d12, d13, [x9, #144]
	\op	d14, d15, [x9, #160]
	.endm

/* X2-X29 in a register block at base: op is ldp or stp */
	.macro	diff_x2_x29 op, base
	\op	x2, x3, [\base, #16]
	\op	x4, x5, [\base, #32]
	\op	x6, x7, [\base, #48]
	\op	x8, x9, [\base, #64]
	\op	x10, x11, [\base, #80]
	\op	x12, x13, [\base, #96]
	\op	x14, x15, [\base, #112]
	\op	x16, x17, [\base, #128]
	\op	x18, x19, [\base, #144]
	\op	x20, x21, [\base, #160]
	\op	x22, x23, [\base, #176]
	\op	x24, x25, [\base, #192]
	\op	x26, x27, [\base, #208]
	\op	x28, x29, [\base, #224]
	.endm

	.macro	diff_enter_begin
	.text
	.globl	runner_enter
	.type	runner_enter, %function
runner_enter:
	adrp	x9, runner_host_ctx
	add	x9, x9, :lo12:runner_host_ctx
	diff_host_ctx stp
	mov	x10, sp
	str	x10, [x9, #96]
	mov	sp, x2
	ldr	x10, [x0, #DIFF_REG_X30]
	str	x10, [sp, #-16]!
	ldr	x10, [x0, #DIFF_REG_NZCV]
	msr	nzcv, x10
	.endm

	.macro	diff_enter_end
	mov	x30, x1
	diff_x2_x29 ldp, x0
	ldp	x0, x1, [x0, #0]
	br	x30
	.size	runner_enter, . - runner_enter
	.endm

	.macro	diff_exit_begin size
	.text
	.globl	runner_exit
	.type	runner_exit, %function
runner_exit:
	.if	(\size) >> 12
	sub	sp, sp, #((\size) >> 12), lsl #12
	.endif
	.if	(\size) & 0xfff
	sub	sp, sp, #((\size) & 0xfff)
	.endif
	stp	x0, x1, [sp, #0]
	diff_x2_x29 stp, sp
	mrs	x0, nzcv
	ldr	x1, [sp, #(\size)]
	stp	x1, x0, [sp, #DIFF_REG_X30]
	.endm

	.macro	diff_exit_end
	mov	x0, sp
	adrp	x9, runner_host_ctx
	add	x9, x9, :lo12:runner_host_ctx
	ldr	x10, [x9, #96]
	mov	sp, x10
	diff_host_ctx ldp
	ret
	.size	runner_exit, . - runner_exit
	.endm

/* FPCR and FPSR, at the head of the FP/SIMD and SVE register blocks */
	.macro	diff_load_fpcr_fpsr
	ldr	x10, [x0, #DIFF_REG_FPCR]
	msr	fpcr, x10
	ldr	x10, [x0, #DIFF_REG_FPSR]
	msr	fpsr, x10
	.endm

	.macro	diff_store_fpcr_fpsr
	mrs	x0, fpcr
	mrs	x1, fpsr
	stp	x0, x1, [sp, #DIFF_REG_FPCR]
	.endm

	.section .note.GNU-stack, "", %progbits
