/* A hostile guest for tests/robust/guest-loops.sh: a 48-byte loop that
 * never leaves the vCPU (no MMIO, no exception, no interrupt enabled):
 * ALU, load, store, compare and branch, forever. */
	.text
	.globl _start
_start:
	adr	x1, data
	mov	x0, #0
1:	add	x0, x0, #1
	ldr	x2, [x1]
	add	x2, x2, x0
	str	x2, [x1, #8]
	ldrb	w3, [x1, #3]
	eor	x4, x3, x0
	strh	w4, [x1, #16]
	cmp	x0, x2
	csel	x5, x0, x2, lo
	sub	x6, x5, #1
	cbz	x6, 1b
	b	1b
	.balign	16
data:
	.quad	0, 0, 0
