/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The qemu-aarch64 side's way in and out of a test sequence (qemu_runner.c).
 *
 * diff_enter(regs, entry, stack): saves the callee-saved state, switches to
 * the test stack, loads NZCV and x0-x30 from regs[0..31] (x30 travels on
 * the test stack: the code page's first word pops it), jumps to entry.
 * The code page's trailer pushes x30 and branches to diff_exit, which saves
 * x0-x30 and NZCV on the test stack and returns from diff_enter with a
 * pointer to them.
 */
	.text
	.globl	diff_enter
	.type	diff_enter, %function
diff_enter:
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
	mov	sp, x2
	ldr	x10, [x0, #240]
	str	x10, [sp, #-16]!
	ldr	x10, [x0, #248]
	msr	nzcv, x10
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
	.size	diff_enter, . - diff_enter

	.globl	diff_exit
	.type	diff_exit, %function
diff_exit:
	sub	sp, sp, #256
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
	ldr	x1, [sp, #256]
	stp	x1, x0, [sp, #240]
	mov	x0, sp
	adrp	x9, host_ctx
	add	x9, x9, :lo12:host_ctx
	ldr	x10, [x9, #96]
	mov	sp, x10
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ret
	.size	diff_exit, . - diff_exit

	.bss
	.balign	16
host_ctx:
	.space	112
	.section .note.GNU-stack, "", %progbits
