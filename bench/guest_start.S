/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload as a bare-metal vkvm guest.  The client sets SP_EL1, x0 =
 * iterations and x1 = the result IPA (unbacked); the checksum is reported
 * by a store there (KVM_EXIT_MMIO), which is also where timing stops.
 */
	.section .text.boot, "ax"
	.globl	_start
_start:
	mov	x19, x1
	bl	workload
	str	x0, [x19]
1:	b	1b
	.section .note.GNU-stack, "", %progbits
