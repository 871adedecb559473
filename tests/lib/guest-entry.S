/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the differential tests' bare-metal guests (tests/btidiff,
 * tests/pauthdiff), under QEMU and under vkvm alike: a 16 KiB stack,
 * VBAR_EL1 = the guest's own `vectors`, guest_main(), then guest_off:
 * PSCI SYSTEM_OFF over HVC.
 */
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
	.global	guest_off
guest_off:
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16
	hvc	#0
1:	wfi
	b	1b

	.bss
	.balign	16
	.space	16384
stack_top:
