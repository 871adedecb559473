/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/btidiff guest (entered from tests/lib/guest-entry.S): vectors;
 * run_case(), which ERETs into a case and comes back from the exception
 * that ends it; the source and target stubs of btigen.h.
 */
	.text

/*
 * run_case(elr, spsr, target, out): ERET to elr with spsr, X1, X16 and
 * X17 = target, X2 = 0; the exception that ends the case stores ESR_EL1,
 * ELR_EL1 and SPSR_EL1 in out[0..2] and returns from here.
 */
	.global	run_case
run_case:
	sub	sp, sp, #96
	stp	x19, x20, [sp]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x19, x3
	mov	x4, sp
	adrp	x5, saved_sp
	str	x4, [x5, :lo12:saved_sp]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	mov	x1, x2
	mov	x16, x2
	mov	x17, x2
	mov	x2, #0
	eret

vec_common:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	adrp	x5, saved_sp
	ldr	x4, [x5, :lo12:saved_sp]
	mov	sp, x4
	stp	x0, x1, [x19]
	str	x2, [x19, #16]
	ldp	x19, x20, [sp]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret

	.balign	2048
	.global	vectors
vectors:
	.rept	16
	b	vec_common
	.balign	128
	.endr

/* the stubs, one page, 16 bytes each (btigen.h's order) */
	.balign	4096
	.global	src_stubs
src_stubs:
	.balign 16
	br	x1
	.balign 16
	br	x16
	.balign 16
	br	x17
	.balign 16
	blr	x1
	.balign 16
	blr	x16
	.balign 16
	braa	x1, x2
	.balign 16
	braa	x16, x2
	.balign 16
	braaz	x17
	.balign 16
	blraa	x1, x2
	.balign 16
	blraaz	x16
	.balign 16
	ret	x1
	.balign 16

	.global	tgt_stubs
tgt_stubs:
	.balign 16
	hint	#32		/* BTI */
	brk	#1
	.balign 16
	hint	#34		/* BTI c */
	brk	#1
	.balign 16
	hint	#36		/* BTI j */
	brk	#1
	.balign 16
	hint	#38		/* BTI jc */
	brk	#1
	.balign 16
	hint	#25		/* PACIASP */
	brk	#1
	.balign 16
	hint	#27		/* PACIBSP */
	brk	#1
	.balign 16
	nop
	brk	#1
	.balign 16
	brk	#2
	brk	#1
	.balign 16
	hlt	#1
	brk	#1
	.balign 16
	add	x0, x0, #1
	brk	#1
	.balign	4096

	.bss
	.balign	16
saved_sp:
	.space	16
