/* A guest for tests/robust/guest-loops.sh: writes IER = 0 to the 8250
 * (0x1000000), which makes vmm take THR as a coalesced-MMIO zone, then a
 * line to THR, and then waits in WFI for ever: no exit follows
 * the stores, so only vmm's periodic drain of the ring can print them. */
	.text
	.globl _start
_start:
	mov	x1, #0x1000000
	strb	wzr, [x1, #1]		/* IER = 0, as Linux's console sets it */
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	strb	w3, [x1]
	b	1b
2:	wfi
	b	2b
msg:
	.asciz	"spin-print: the line before the wait\n"
