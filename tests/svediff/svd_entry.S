/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The qemu-aarch64 side's way in and out of an SVE test sequence
 * (svd_runner.c), after tests/fpdiff/fpd_entry.S: svd_enter(regs, entry,
 * stack) saves the callee-saved state, loads FFR, P0-P15, Z0-Z31, FPCR,
 * FPSR, NZCV and X0-X30 from a struct svd_regs and jumps to entry; the
 * trailer pushes x30 and branches to svd_exit, which stores the same state
 * on the test stack and returns a pointer to it.
 */
	.arch	armv8.2-a+sve
	.text
	.globl	svd_enter
	.type	svd_enter, %function
svd_enter:
	adrp	x9, host_ctx
	add	x9, x9, :lo12:host_ctx
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	stp	d8, d9, [x9, #112]
	stp	d10, d11, [x9, #128]
	stp	d12, d13, [x9, #144]
	stp	d14, d15, [x9, #160]
	mov	sp, x2
	ldr	x10, [x0, #240]
	str	x10, [sp, #-16]!
	ldr	x10, [x0, #248]
	msr	nzcv, x10
	ldr	x10, [x0, #256]
	msr	fpcr, x10
	ldr	x10, [x0, #264]
	msr	fpsr, x10
	mov	x11, #8976
	add	x10, x0, x11
	ldr	p0, [x10]
	wrffr	p0.b
	mov	x11, #8464
	add	x10, x0, x11
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x10]
	add	x10, x10, #32
	.endr
	add	x10, x0, #272
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x10]
	add	x10, x10, #256
	.endr
	mov	x30, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldp	x0, x1, [x0, #0]
	br	x30
	.size	svd_enter, . - svd_enter

	.globl	svd_exit
	.type	svd_exit, %function
svd_exit:
	sub	sp, sp, #2, lsl #12
	sub	sp, sp, #816
	stp	x0, x1, [sp, #0]
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
	mrs	x0, nzcv
	ldr	x1, [sp, #9008]
	stp	x1, x0, [sp, #240]
	mrs	x0, fpcr
	mrs	x1, fpsr
	stp	x0, x1, [sp, #256]
	add	x10, sp, #272
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x10]
	add	x10, x10, #256
	.endr
	mov	x11, #8464
	add	x10, sp, x11
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x10]
	add	x10, x10, #32
	.endr
	rdffr	p0.b
	mov	x11, #8976
	add	x10, sp, x11
	str	p0, [x10]
	msr	fpcr, xzr
	mov	x0, sp
	adrp	x9, host_ctx
	add	x9, x9, :lo12:host_ctx
	ldr	x10, [x9, #96]
	mov	sp, x10
	ldp	d8, d9, [x9, #112]
	ldp	d10, d11, [x9, #128]
	ldp	d12, d13, [x9, #144]
	ldp	d14, d15, [x9, #160]
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ret
	.size	svd_exit, . - svd_exit

	.bss
	.balign	16
host_ctx:
	.space	176
	.section .note.GNU-stack, "", %progbits
