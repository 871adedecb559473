/* A hostile guest for tests/robust/guest-loops.sh: spins in WFE and WFI
 * with an exclusive monitor armed, never woken. */
	.text
	.globl _start
_start:
	adr	x1, data
1:	ldxr	x2, [x1]
	wfe
	wfi
	b	1b
	.balign	16
data:
	.quad	0
