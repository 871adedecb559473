/*
 * tests/lse2tear guest: one writer and several readers of one 16-byte
 * quantity at [x0] (16-byte aligned), in EL1 with the MMU on (Normal WB).
 * The writer stores whole quantities of pattern A or B (STP X, STR Q) and
 * an 8-byte pattern C at [x0, #4] (unaligned, within the quantity); every
 * state a reader may see is then A or B whole, or A or B with bytes 4-11
 * C.  A reader that sees anything else saw a torn access: it counts them
 * in x11.  The end: "str xzr, [sp]", an MMIO exit at SP.
 */
	.text
	.globl	_start
_start:
/*
 * x0 quantity, x1 A, x2 B, x3 C, x5 the number of readers; q0 A:A, q1 B:B.
 * [x0, #64]: set when the writer runs; [x0, #72]: readers done.  The
 * writer stores until every reader is done, so that each reader's rounds
 * all run while it stores.  Out: x4 rounds.
 */
writer:
	mov	x6, #1
	str	x6, [x0, #64]		/* started */
1:	stp	x1, x1, [x0]
	str	q1, [x0]
	stur	x3, [x0, #4]
	stp	x2, x2, [x0]
	stur	x3, [x0, #4]
	str	q0, [x0]
	stp	x2, x2, [x0]
	stur	x3, [x0, #4]
	str	q0, [x0]
	add	x4, x4, #1
	ldr	x6, [x0, #72]
	cmp	x6, x5
	b.ne	1b
	str	xzr, [sp]

	.org	0x100
/* x0 quantity, w3 C (one 32-bit half), x4 rounds to run; out: x11 torn
 * reads, x13 rounds run, x16 changes seen between two LDPs (many when the
 * writer ran at the same time, not just in turns) */
reader:
	ldr	x12, [x0, #64]		/* wait for the writer */
	cbz	x12, reader
1:	ldp	x5, x6, [x0]
	cmp	x5, x15
	cinc	x16, x16, ne
	mov	x15, x5
	bl	check
	ldr	q2, [x0]
	fmov	x5, d2
	mov	x6, v2.d[1]
	bl	check
	ldnp	x5, x6, [x0]
	bl	check
	ldur	x5, [x0, #4]		/* bytes 4-11: one pattern */
	lsr	x7, x5, #32
	cmp	w5, w7
	cinc	x11, x11, ne
	add	x13, x13, #1
	cmp	x13, x4
	b.ne	1b
	mov	x12, #1
	add	x14, x0, #72
	ldaddal	x12, x12, [x14]		/* done */
	str	xzr, [sp]

/* x5 bytes 0-7, x6 bytes 8-15 of one read */
check:
	lsr	x10, x6, #32		/* bytes 12-15 == bytes 0-3 */
	cmp	w5, w10
	b.ne	2f
	lsr	x7, x5, #32		/* bytes 4-7 == bytes 8-11 */
	cmp	w7, w6
	b.ne	2f
	cmp	w7, w5			/* ... and either A/B (bytes 0-3) or C */
	ccmp	w7, w3, #4, ne
	b.ne	2f
	ret
2:	add	x11, x11, #1
	ret
