/* SPDX-License-Identifier: GPL-2.0 */
/* tests/pauthdiff guest (entered from tests/lib/guest-entry.S): vectors, pac_branches(). */
	.text

/*
 * pac_branches(mod, buf): BRAA, BLRAA, RETAA, ERETAA (SP = mod, EL1h to
 * EL1h) to where they should land, x0 bits 0-2 and 4, and BLRAA's link,
 * bit 3; LDRAA and LDRAB
 * pre-index on buf, x1 (pacgen.h)
 */
	.global	pac_branches
pac_branches:
	mov	x9, x30
	mov	x10, sp
	mov	x11, #0
	adr	x2, 1f
	pacia	x2, x0
	braa	x2, x0
	b	2f
1:	orr	x11, x11, #1
2:	adr	x2, 3f
	pacia	x2, x0
	blraa	x2, x0
4:	b	5f
3:	orr	x11, x11, #2
	adr	x3, 4b
	cmp	x30, x3
	b.ne	5f
	orr	x11, x11, #8
5:	adr	x30, 6f
	mov	sp, x0
	pacia	x30, sp
	retaa
	b	7f
6:	orr	x11, x11, #4
7:	adr	x3, 8f
	pacia	x3, sp
	msr	elr_el1, x3
	mov	x3, #0x3c5
	msr	spsr_el1, x3
	eretaa
	b	9f
8:	orr	x11, x11, #16
9:	mov	sp, x10
	mov	x4, x1
	pacdza	x4
	ldraa	x5, [x4, #8]
	mov	x6, x1
	pacdzb	x6
	ldrab	x7, [x6, #16]!
	sub	x6, x6, x1
	eor	x5, x5, x7
	eor	x1, x5, x6
	mov	x0, x11
	mov	x30, x9
	ret

/* any exception: guest_fault(ESR, ELR) prints them, then power off */
	.balign	2048
	.global	vectors
vectors:
	.rept	16
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_fault
	b	guest_off
	.balign	128
	.endr
