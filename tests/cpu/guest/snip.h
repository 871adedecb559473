/*
 * The start of a snippet blob (snippets.S, ldst.S): _start, a vector table
 * whose entry n reports HVC #0x100+n, and SNIP, which starts a snippet.
 */
	.text
	.global _start
_start:
	b	.

	.balign	2048
	.global	s_vectors
s_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	hvc	#(0x100 + \n)
	.endr

	.macro SNIP name
	.balign 16
	.global \name
\name:
	.endm
