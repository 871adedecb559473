/* SPDX-License-Identifier: GPL-2.0 */
/* samples.S's words (assembled for aarch64 by idwalk.mk) in the host test */
	.section .rodata
	.globl	idwalk_samples
	.globl	idwalk_samples_end
	.balign	4
idwalk_samples:
	.incbin	"samples.bin"
idwalk_samples_end:
	.section .note.GNU-stack, "", %progbits
