/* SPDX-License-Identifier: GPL-2.0 */
/* tests/pauthdiff guest: a stack, guest_main(), PSCI SYSTEM_OFF (HVC). */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x0, stack_top
	add	x0, x0, :lo12:stack_top
	mov	sp, x0
	bl	guest_main
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16
	hvc	#0
1:	wfi
	b	1b

	.bss
	.balign	16
	.space	16384
stack_top:
