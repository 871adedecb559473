/* SPDX-License-Identifier: GPL-2.0 */
/* tests/pauthdiff guest: a stack, vectors, guest_main(), PSCI SYSTEM_OFF (HVC). */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x0, stack_top
	add	x0, x0, :lo12:stack_top
	mov	sp, x0
	adrp	x0, vectors
	add	x0, x0, :lo12:vectors
	msr	vbar_el1, x0
	isb
	bl	guest_main
off:
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16
	hvc	#0
1:	wfi
	b	1b

/* any exception: guest_fault(ESR, ELR) prints them, then power off */
	.balign	2048
vectors:
	.rept	16
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_fault
	b	off
	.balign	128
	.endr

	.bss
	.balign	16
	.space	16384
stack_top:
