/*
 * Self-checking integer test for the engine: runs at EL1 with the MMU off
 * from the start of RAM; HVC #0 with x0 = number of checks passed, or
 * HVC #1 with x0 = the number of the failed check.  Data area at 0x40100000.
 */
	.macro CHECK reg, val
	mrs	x29, nzcv
	ldr	x28, =\val
	cmp	\reg, x28
	b.ne	fail
	msr	nzcv, x29
	add	x27, x27, #1
	.endm

	.macro CHECKNZCV val
	mrs	x26, nzcv
	ldr	x28, =(\val << 28)
	cmp	x26, x28
	b.ne	fail
	add	x27, x27, #1
	.endm

	.text
	.global _start
_start:
	mov	x27, #0
	ldr	x20, =0x40100000	/* data */

	/* add/sub immediate, shifted, flags */
	mov	x0, #5
	add	x1, x0, #7
	CHECK	x1, 12
	add	x1, x0, #1, lsl #12
	CHECK	x1, 0x1005
	sub	w2, w0, #6
	CHECK	x2, 0xffffffff
	subs	x3, x0, #5
	CHECKNZCV 0b0110
	mov	x4, #0x7fffffffffffffff
	adds	x5, x4, #1
	CHECK	x5, 0x8000000000000000
	CHECKNZCV 0b1001
	mov	w6, #-1
	adds	w7, w6, #1
	CHECK	x7, 0
	CHECKNZCV 0b0110
	cmn	x0, #5
	CHECKNZCV 0b0000
	cmp	x0, #6
	CHECKNZCV 0b1000
	mov	x8, sp
	add	sp, x20, #16
	mov	x9, sp
	CHECK	x9, 0x40100010
	mov	sp, x8

	/* logical immediate and register */
	mov	x0, #0xff00
	and	x1, x0, #0xf0f0f0f0f0f0f0f0
	CHECK	x1, 0xf000
	orr	x2, xzr, #0x5555555555555555
	CHECK	x2, 0x5555555555555555
	eor	w3, w0, #0xffff
	CHECK	x3, 0x00ff
	ands	x4, x0, #0xff
	CHECKNZCV 0b0100
	mov	x5, #0x8000000000000000
	tst	x5, x5
	CHECKNZCV 0b1000
	bic	x6, x0, x0, lsr #4
	CHECK	x6, 0xf000
	orn	w7, wzr, w0
	CHECK	x7, 0xffff00ff
	eon	x8, x0, x0, ror #8
	CHECK	x8, 0xffffffffffff0000
	mvn	x9, x0, lsl #4
	CHECK	x9, 0xfffffffffff00fff

	/* move wide */
	movz	x0, #0x1234, lsl #32
	CHECK	x0, 0x123400000000
	movk	x0, #0xabcd, lsl #16
	CHECK	x0, 0x1234abcd0000
	movn	w1, #0
	CHECK	x1, 0xffffffff
	movn	x2, #1, lsl #16
	CHECK	x2, 0xfffffffffffeffff

	/* register forms with no shift, LSL and Rn/Rm XZR, MOV (short forms) */
	mov	x0, #0x1234
	movk	x0, #0x8000, lsl #48
	mov	x1, #-3
	add	x2, x0, x1
	CHECK	x2, 0x8000000000001231
	add	w3, w0, w1
	CHECK	x3, 0x1231
	sub	x4, x1, x0
	CHECK	x4, 0x7fffffffffffedc9
	sub	w5, w1, w0, lsr #0
	CHECK	x5, 0xffffedc9
	and	x6, x0, x1, ror #0
	CHECK	x6, 0x8000000000001234
	orr	w7, w1, w0, asr #0
	CHECK	x7, 0xfffffffd
	eor	x8, x0, x1
	CHECK	x8, 0x7fffffffffffedc9
	eor	x8, x8, x8, lsl #7
	CHECK	x8, 0x8000000000090949
	add	w9, w0, w1, lsl #31
	CHECK	x9, 0x80001234
	sub	x10, x0, x1, lsl #60
	CHECK	x10, 0xb000000000001234
	orr	x11, xzr, x0
	CHECK	x11, 0x8000000000001234
	mov	w12, w1
	CHECK	x12, 0xfffffffd
	mov	x13, x1
	CHECK	x13, 0xfffffffffffffffd
	orr	x14, xzr, x0, lsl #4
	CHECK	x14, 0x12340
	add	x15, xzr, x0
	CHECK	x15, 0x8000000000001234
	sub	w16, wzr, w0
	CHECK	x16, 0xffffedcc
	eor	x17, x0, xzr
	CHECK	x17, 0x8000000000001234
	and	x18, xzr, x0, lsl #0
	CHECK	x18, 0
	add	x0, x0, x0
	CHECK	x0, 0x2468

	/* LDP/STP W and X (short forms): at a page's end, across two pages,
	 * pre/post-index, XZR, SP as the base */
	add	x0, x20, #0x1000
	mov	x1, #0x1111
	mov	x2, #0x2222
	stp	x1, x2, [x0, #-16]
	ldp	x3, x4, [x0, #-16]
	CHECK	x3, 0x1111
	CHECK	x4, 0x2222
	stp	x2, x1, [x0, #-8]!
	CHECK	x0, 0x40100ff8
	ldp	x5, x6, [x0], #8
	CHECK	x5, 0x2222
	CHECK	x6, 0x1111
	CHECK	x0, 0x40101000
	stp	w1, w2, [x0, #-4]
	mov	x7, #-1
	ldp	w7, w8, [x0, #-4]
	CHECK	x7, 0x1111
	CHECK	x8, 0x2222
	stp	xzr, xzr, [x0]
	mov	x9, #5
	ldp	x9, xzr, [x0]
	CHECK	x9, 0
	stp	w2, w1, [x0, #8]!
	ldr	x10, [x0]
	CHECK	x10, 0x0000111100002222
	mov	x14, sp
	add	sp, x20, #0x2000
	stp	x1, x2, [sp, #-16]!
	ldp	x15, x16, [sp], #16
	mov	x17, sp
	mov	sp, x14
	CHECK	x15, 0x1111
	CHECK	x16, 0x2222
	CHECK	x17, 0x40102000

	/* shifted/extended register, carry */
	mov	x0, #0x100
	mov	x1, #-1
	add	x2, x0, x1, lsl #4
	CHECK	x2, 0xf0
	add	x3, x0, w1, sxtw #2
	CHECK	x3, 0xfc
	add	x4, x0, w1, uxtb
	CHECK	x4, 0x1ff
	sub	x5, x0, x1, asr #63
	CHECK	x5, 0x101
	sub	w6, w0, w1, lsr #28
	CHECK	x6, 0xf1
	adds	xzr, x1, #1		/* C set */
	adc	x7, x0, x0
	CHECK	x7, 0x201
	sbc	x8, x0, xzr
	CHECK	x8, 0x100
	cmp	x0, x1			/* C clear */
	sbc	x8, x0, xzr
	CHECK	x8, 0xff
	adcs	x9, x1, xzr
	CHECK	x9, 0xffffffffffffffff
	CHECKNZCV 0b1000

	/* PC-relative branches to the first and last word of a page, out of it
	 * by one word, across pages, many more times than the branch budget */
	mov	x0, #0
	ldr	x2, =200000
	mov	x5, #0
	mov	x6, #0
	mov	x7, #0
	b	pg_top
	.balign	4096
pg_top:	add	x0, x0, #1
	cmp	x0, x2
	b.eq	pg_next			/* the next page's first word */
	tbnz	x0, #0, pg_odd
	add	x5, x5, #1
	cbz	x6, pg_last
	b	fail
pg_odd:	add	x7, x7, #1
	cbnz	x2, pg_last
	b	fail
pg_back:
	tbz	x0, #0, pg_cont		/* back to the next page */
	b	fail
	.org	pg_top + 4092
pg_last:
	b	pg_top
pg_next:
	CHECK	x0, 200000
	CHECK	x5, 99999
	CHECK	x7, 100000
	tbnz	x0, #1, fail
	tbz	x0, #1, pg_back		/* back to the previous page */
	b	fail
pg_cont:
	cbnz	xzr, fail
	cbz	wzr, 1f
	b	fail
1:	add	x27, x27, #1

	/* SUBS (Rd not 31) directly followed by B.cond (fused): result written */
	mov	x0, #7
	subs	x1, x0, #7
	b.ne	fail
	CHECK	x1, 0
	subs	w2, w0, w0, lsl #1
	b.pl	fail
	CHECK	x2, 0xfffffff9
	subs	x3, x0, #8
	b.hs	fail
	CHECK	x3, 0xffffffffffffffff
	/* every condition of a lone B.cond, NZCV = 0110 */
	mov	x4, #0x60000000
	msr	nzcv, x4
	b.ne	fail
	b.lo	fail
	b.mi	fail
	b.vs	fail
	b.hi	fail
	b.lt	fail
	b.gt	fail
	b.eq	1f
	b	fail
1:
	b.hs	1f
	b	fail
1:
	b.pl	1f
	b	fail
1:
	b.vc	1f
	b	fail
1:
	b.ls	1f
	b	fail
1:
	b.ge	1f
	b	fail
1:
	b.le	1f
	b	fail
1:
	b.al	1f
	b	fail
1:
	b.nv	1f
	b	fail
1:
	add	x27, x27, #1

	/* bitfield and extract */
	mov	x0, #0xf0f0
	ubfx	x1, x0, #4, #8
	CHECK	x1, 0x0f
	sbfx	x2, x0, #4, #4
	CHECK	x2, 0xffffffffffffffff
	ubfiz	w3, w0, #24, #8
	CHECK	x3, 0xf0000000
	sbfiz	x4, x1, #60, #4
	CHECK	x4, 0xf000000000000000
	mov	x5, #-1
	bfi	x5, x0, #8, #16
	CHECK	x5, 0xfffffffffff0f0ff
	bfxil	w6, w0, #8, #8
	CHECK	x6, 0x000000f0
	sxtb	x7, w0
	CHECK	x7, 0xfffffffffffffff0
	uxth	w8, w1
	CHECK	x8, 0x0f
	lsl	x9, x0, #60
	CHECK	x9, 0x0
	lsr	w10, w0, #4
	CHECK	x10, 0xf0f
	asr	x11, x5, #60
	CHECK	x11, 0xffffffffffffffff
	mov	x12, #0x1234
	extr	x13, x12, x0, #4
	CHECK	x13, 0x4000000000000f0f
	ror	w14, w12, #8
	CHECK	x14, 0x34000012

	/* conditional select / compare */
	mov	x0, #1
	mov	x1, #2
	cmp	x0, x1
	csel	x2, x0, x1, lt
	CHECK	x2, 1
	csinc	x3, x0, x1, ge
	CHECK	x3, 3
	csinv	x4, x0, x1, eq
	CHECK	x4, 0xfffffffffffffffd
	csneg	w5, w0, w1, hi
	CHECK	x5, 0xfffffffe
	cset	x6, ne
	CHECK	x6, 1
	ccmp	x0, #1, #0b0010, lt	/* lt holds: compare 1,1 -> Z C */
	CHECKNZCV 0b0110
	ccmp	x0, x1, #0b1001, ne	/* ne false: nzcv = 1001 */
	CHECKNZCV 0b1001
	ccmn	x1, #2, #0, pl		/* N set: pl false -> 0 */
	CHECKNZCV 0b0000

	/* multiply and divide */
	mov	x0, #-3
	mov	x1, #7
	mul	x2, x0, x1
	CHECK	x2, 0xffffffffffffffeb
	madd	x3, x0, x1, x1
	CHECK	x3, 0xfffffffffffffff2
	msub	x4, x0, x1, xzr
	CHECK	x4, 21
	smull	x5, w0, w1
	CHECK	x5, 0xffffffffffffffeb
	umull	x6, w0, w1
	CHECK	x6, 0x6ffffffeb
	smulh	x7, x0, x1
	CHECK	x7, 0xffffffffffffffff
	umulh	x8, x0, x1
	CHECK	x8, 6
	sdiv	x9, x0, x1
	CHECK	x9, 0
	mov	x0, #-21
	sdiv	x9, x0, x1
	CHECK	x9, 0xfffffffffffffffd
	udiv	w10, w0, w1
	CHECK	x10, 0x24924921
	udiv	x11, x1, xzr
	CHECK	x11, 0
	mov	x12, #0x8000000000000000
	mov	x13, #-1
	sdiv	x14, x12, x13
	CHECK	x14, 0x8000000000000000
	smaddl	x15, w1, w13, x1
	CHECK	x15, 0
	umsubl	x16, w1, w1, x1
	CHECK	x16, 0xffffffffffffffd6

	/* variable shifts, one-source */
	mov	x0, #1
	mov	x1, #65
	lsl	x2, x0, x1
	CHECK	x2, 2
	mov	w3, #0x80000000
	mov	x4, #35
	asr	w5, w3, w4
	CHECK	x5, 0xf0000000
	ror	x6, x0, x4
	CHECK	x6, 0x0000000020000000
	mov	x7, #0x1234
	rev	x8, x7
	CHECK	x8, 0x3412000000000000
	rev	w9, w7
	CHECK	x9, 0x34120000
	rev16	x10, x7
	CHECK	x10, 0x3412
	rev32	x11, x8
	CHECK	x11, 0x0000123400000000
	rbit	w12, w0
	CHECK	x12, 0x80000000
	clz	x13, x7
	CHECK	x13, 51
	clz	w14, wzr
	CHECK	x14, 32
	cls	x15, x13
	CHECK	x15, 57
	mov	x16, #-1
	cls	w17, w16
	CHECK	x17, 31

	/* CRC32 */
	mov	w0, #0xffffffff
	mov	w1, #0x61		/* 'a' */
	crc32b	w2, w0, w1
	mvn	w2, w2
	CHECK	x2, 0xe8b7be43
	mov	w0, #0xffffffff
	crc32cb	w3, w0, w1
	mvn	w3, w3
	CHECK	x3, 0xc1d04330

	/* branches */
	mov	x0, #0
	cbz	x0, 1f
	b	fail
1:	cbnz	x0, fail
	mov	x1, #0x100
	tbnz	x1, #8, 2f
	b	fail
2:	tbz	x1, #7, 3f
	b	fail
3:	bl	4f
	b	5f
4:	ret
5:	adr	x2, 6f
	br	x2
	b	fail
6:	adr	x3, 7f
	blr	x3
	b	8f
7:	ret
8:	adrp	x4, _start
	CHECK	x4, 0x40000000

	/* loads and stores, every addressing mode */
	mov	x0, x20
	ldr	x1, =0x1122334455667788
	str	x1, [x0]
	ldr	x2, [x0]
	CHECK	x2, 0x1122334455667788
	ldrb	w3, [x0, #1]
	CHECK	x3, 0x77
	ldrsb	x4, [x0, #7]
	CHECK	x4, 0x11
	ldrsh	w5, [x0, #6]
	CHECK	x5, 0x1122
	ldrsw	x6, [x0, #4]
	CHECK	x6, 0x11223344
	ldur	w7, [x0, #4]
	CHECK	x7, 0x11223344
	mov	x8, x0
	str	x1, [x8, #16]!
	CHECK	x8, 0x40100010
	ldr	x9, [x8], #-8
	CHECK	x9, 0x1122334455667788
	CHECK	x8, 0x40100008
	mov	x10, #2
	ldr	x11, [x0, x10, lsl #3]
	CHECK	x11, 0x1122334455667788
	mov	w12, #-8
	ldr	x13, [x8, w12, sxtw]
	CHECK	x13, 0x1122334455667788
	strh	w1, [x0, #32]
	ldrh	w14, [x0, #32]
	CHECK	x14, 0x7788
	ldrsh	x15, [x0, #32]
	CHECK	x15, 0x7788
	mov	x16, #0x80
	strb	w16, [x0, #40]
	ldrsb	w17, [x0, #40]
	CHECK	x17, 0xffffff80
	stp	x1, x16, [x0, #48]
	ldp	x18, x19, [x0, #48]
	CHECK	x18, 0x1122334455667788
	CHECK	x19, 0x80
	mov	x21, x0
	stp	w16, w1, [x21, #64]!
	CHECK	x21, 0x40100040
	ldpsw	x22, x23, [x21], #8
	CHECK	x22, 0x80
	CHECK	x23, 0x55667788
	CHECK	x21, 0x40100048
	ldr	x24, lit
	CHECK	x24, 0xdeadbeefcafef00d
	ldr	w25, lit
	CHECK	x25, 0xcafef00d
	ldrsw	x25, lit+4
	CHECK	x25, 0xffffffffdeadbeef
	prfm	pldl1keep, [x0]
	/* unaligned, MMU on? no: MMU off means Device: keep aligned here */

	/* exclusives and atomics */
	add	x0, x20, #0x100
	str	xzr, [x0]
	ldxr	x1, [x0]
	add	x1, x1, #5
	stxr	w2, x1, [x0]
	CHECK	x2, 0
	ldr	x3, [x0]
	CHECK	x3, 5
	stxr	w2, x1, [x0]		/* monitor cleared: fails */
	CHECK	x2, 1
	ldaxp	x4, x5, [x20]
	stlxp	w6, x5, x4, [x20]
	CHECK	x6, 0
	ldr	x7, [x20]
	CHECK	x7, 0
	mov	x8, #3
	ldadd	x8, x9, [x0]
	CHECK	x9, 5
	ldr	x10, [x0]
	CHECK	x10, 8
	mov	x11, #8
	mov	x12, #100
	cas	x11, x12, [x0]
	CHECK	x11, 8
	ldr	x13, [x0]
	CHECK	x13, 100
	mov	x11, #7
	casal	x11, x12, [x0]
	CHECK	x11, 100
	mov	w14, #-1
	ldsmaxal w14, w15, [x0]
	CHECK	x15, 100
	mov	w14, #200
	ldumin	w14, w15, [x0]
	CHECK	x15, 100
	mov	x16, #0xf
	ldclr	x16, x17, [x0]
	CHECK	x17, 100
	ldr	x17, [x0]
	CHECK	x17, 96
	swp	x16, x18, [x0]
	CHECK	x18, 96
	steor	x16, [x0]
	ldr	x19, [x0]
	CHECK	x19, 0
	mov	x2, #1
	mov	x3, #2
	mov	x4, #10
	mov	x5, #20
	stp	x2, x3, [x0]
	casp	x2, x3, x4, x5, [x0]
	CHECK	x2, 1
	ldp	x6, x7, [x0]
	CHECK	x6, 10
	CHECK	x7, 20
	stlr	x1, [x0]
	ldar	x8, [x0]
	CHECK	x8, 5
	ldaxrb	w9, [x0]
	stlxrb	w10, w9, [x0]
	CHECK	x10, 0

	/* system: MRS/MSR, PSTATE */
	mrs	x0, currentel
	CHECK	x0, 4
	msr	tpidr_el1, x20
	mrs	x1, tpidr_el1
	CHECK	x1, 0x40100000
	msr	daifclr, #0xf
	mrs	x2, daif
	CHECK	x2, 0
	msr	daifset, #2
	mrs	x2, daif
	CHECK	x2, 0x80
	msr	spsel, #0
	mrs	x3, spsel
	CHECK	x3, 0
	msr	spsel, #1
	mov	x4, #0xf0000000
	msr	nzcv, x4
	CHECKNZCV 0b1111
	dmb	ish
	dsb	sy
	isb
	nop
	yield
	sevl
	wfe				/* event set by SEVL: falls through */
	clrex
	dc	civac, x20
	ic	iallu
	tlbi	vmalle1is
	dc	zva, x20		/* Device memory with the MMU off: must fault */
	b	after_zva

	.balign 8
lit:	.quad	0xdeadbeefcafef00d

fail:	mov	x0, x27
	hvc	#1
	b	.

	.global	after_zva
after_zva:
	mov	x0, x27
	hvc	#0
	b	.
	.ltorg
