/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FP/SIMD workload as a bare-metal vkvm guest: guest_start.S's contract
 * (x0 = iterations, x1 = the result IPA, reported by a store there), with
 * CPACR_EL1.FPEN set first so that FP/SIMD does not trap.
 */
	.section .text.boot, "ax"
	.globl	_start
_start:
	mrs	x2, cpacr_el1
	orr	x2, x2, #(3 << 20)
	msr	cpacr_el1, x2
	isb
	mov	x19, x1
	bl	workload
	str	x0, [x19]
1:	b	1b
	.section .note.GNU-stack, "", %progbits
