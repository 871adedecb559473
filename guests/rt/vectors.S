/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL1 exception vectors (VBAR_EL1, 2 KiB aligned, 16 entries of 0x80).
 * Every entry saves a struct rt_frame (rt.h) and calls
 * rt_exc_dispatch(frame, vector index); the handler may change the saved
 * registers, ELR, SPSR and SP_EL0, which are restored before ERET.
 */
#define FRAME_SIZE	288

	.macro	ventry index
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\index
	b	rt_exc_common
	.endm

	.text
	.balign	2048
	.global	rt_vectors
rt_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_ELx: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

rt_exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	stp	x30, x1, [sp, #240]
	mrs	x2, spsr_el1
	mrs	x3, esr_el1
	stp	x2, x3, [sp, #256]
	mrs	x4, far_el1
	mrs	x5, sp_el0
	stp	x4, x5, [sp, #272]
	mov	x1, x0
	mov	x0, sp
	bl	rt_exc_dispatch
	ldp	x1, x2, [sp, #248]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldr	x5, [sp, #280]
	msr	sp_el0, x5
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
