/*
 * Guest code for tests/vgic: one image, a test per entry.  At entry:
 * x0 = test, x1 = GICD base, x2 = this vCPU's GICR base, x3 = the report
 * address (a store there exits as KVM_EXIT_MMIO with the value), x5 = a
 * parameter.  GIC accesses themselves must never exit.
 */
#define ICC_PMR_EL1	s3_0_c4_c6_0
#define ICC_DIR_EL1	s3_0_c12_c11_1
#define ICC_RPR_EL1	s3_0_c12_c11_3
#define ICC_SGI1R_EL1	s3_0_c12_c11_5
#define ICC_IAR1_EL1	s3_0_c12_c12_0
#define ICC_EOIR1_EL1	s3_0_c12_c12_1
#define ICC_HPPIR1_EL1	s3_0_c12_c12_2
#define ICC_CTLR_EL1	s3_0_c12_c12_4
#define ICC_SRE_EL1	s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1	s3_0_c12_c12_7
#define ICC_AP1R0_EL1	s3_0_c12_c9_0

#define REPORT(r)	str r, [x3]

	.text
	.globl	_start
_start:
	adr	x9, vectors
	msr	vbar_el1, x9
	isb
	cmp	x0, #1
	b.eq	t_regs
	cmp	x0, #2
	b.eq	t_irq
	cmp	x0, #3
	b.eq	t_timer
	cmp	x0, #4
	b.eq	t_sgi
	cmp	x0, #5
	b.eq	t_ioeventfd
	cmp	x0, #6
	b.eq	t_eoimode
	cmp	x0, #7
	b.eq	t_lpis
	cmp	x0, #8
	b.eq	t_pingpong
	b	.

/* Register semantics, one report per check. */
t_regs:
	ldr	w4, [x1, #0x4]		/* GICD_TYPER */
	REPORT(x4)
	ldr	w4, [x1, #0x8]		/* GICD_IIDR */
	REPORT(x4)
	mov	x6, #0xffe8
	ldr	w4, [x1, x6]		/* GICD_PIDR2 */
	REPORT(x4)
	mov	w4, #2
	str	w4, [x1]		/* GICD_CTLR.EnableGrp1NS */
	ldr	w4, [x1]
	REPORT(x4)
	mov	w4, #3
	str	w4, [x1, #0x104]	/* ISENABLER1: 32, 33 */
	mov	w4, #2
	str	w4, [x1, #0x184]	/* ICENABLER1: 33 */
	ldr	w4, [x1, #0x104]
	REPORT(x4)
	ldr	w4, [x1, #0x100]	/* ISENABLER0 in the distributor: RAZ */
	REPORT(x4)
	mov	w4, #0xff
	strb	w4, [x1, #0x421]	/* IPRIORITYR, INTID 33, a byte */
	ldr	w4, [x1, #0x420]
	REPORT(x4)
	ldr	w4, [x1, #0xc08]	/* ICFGR2: SPIs reset edge */
	REPORT(x4)
	str	wzr, [x1, #0xc08]
	ldr	w4, [x1, #0xc08]
	REPORT(x4)
	mov	x6, #0x6108		/* IROUTER33 */
	mov	x4, #0x0102
	movk	x4, #0x8003, lsl #16
	str	x4, [x1, x6]
	ldr	x4, [x1, x6]
	REPORT(x4)
	mov	w4, #1
	str	w4, [x1, #0x204]	/* ISPENDR1: 32 */
	ldr	w4, [x1, #0x204]
	REPORT(x4)
	str	w4, [x1, #0x284]	/* ICPENDR1 */
	ldr	w4, [x1, #0x204]
	REPORT(x4)
	ldr	x4, [x2, #8]		/* GICR_TYPER */
	REPORT(x4)
	ldr	w4, [x2, #0x14]		/* GICR_WAKER */
	REPORT(x4)
	mov	x6, #0xffe8
	ldr	w4, [x2, x6]		/* GICR_PIDR2 */
	REPORT(x4)
	add	x7, x2, #0x10000	/* SGI frame */
	ldr	w4, [x7, #0x100]	/* ISENABLER0: SGIs enabled at reset */
	REPORT(x4)
	mov	w4, #(1 << 27)
	str	w4, [x7, #0x100]
	ldr	w4, [x7, #0x100]
	REPORT(x4)
	ldr	w4, [x7, #0xc00]	/* ICFGR0: SGIs edge */
	REPORT(x4)
	mov	w4, #-1
	str	w4, [x7, #0xc04]	/* ICFGR1: read-only */
	ldr	w4, [x7, #0xc04]
	REPORT(x4)
	mrs	x4, ICC_SRE_EL1
	REPORT(x4)
	mrs	x4, ICC_CTLR_EL1
	REPORT(x4)
	mrs	x4, id_aa64pfr0_el1
	ubfx	x4, x4, #24, #4
	REPORT(x4)
	mov	x4, #0xff
	msr	ICC_PMR_EL1, x4
	mrs	x4, ICC_PMR_EL1
	REPORT(x4)
	mrs	x4, ICC_RPR_EL1
	REPORT(x4)
	mrs	x4, ICC_IAR1_EL1	/* nothing pending: spurious */
	REPORT(x4)
	mov	x4, #0xdead
	REPORT(x4)
	b	.

gic_enable:
	mov	w4, #2
	str	w4, [x1]		/* GICD_CTLR */
	mov	x4, #0xf0
	msr	ICC_PMR_EL1, x4
	mov	x4, #1
	msr	ICC_IGRPEN1_EL1, x4
	isb
	ret

/* Enable SPI x5 at priority 0xa0, then wait for interrupts. */
t_irq:
	lsr	x6, x5, #5
	lsl	x6, x6, #2
	add	x6, x6, #0x100
	and	x7, x5, #31
	mov	w8, #1
	lsl	w8, w8, w7
	str	w8, [x1, x6]		/* ISENABLER */
	add	x6, x5, #0x400
	mov	w4, #0xa0
	strb	w4, [x1, x6]		/* IPRIORITYR */
	bl	gic_enable
	msr	daifclr, #2
	mov	x4, #1
	REPORT(x4)			/* ready */
1:	wfi
	b	1b

/* The virtual timer in x5 ticks: PPI 27 wakes the WFI. */
t_timer:
	add	x7, x2, #0x10000
	mov	w4, #(1 << 27)
	str	w4, [x7, #0x100]	/* GICR ISENABLER0 */
	bl	gic_enable
	msr	daifclr, #2
	mov	x4, #2
	REPORT(x4)			/* ready */
	msr	cntv_tval_el0, x5
	mov	x4, #1
	msr	cntv_ctl_el0, x4
	isb
1:	wfi
	b	1b

/* vCPU with Aff0 0 sends SGI 3 to Aff0 1, which waits for it. */
t_sgi:
	bl	gic_enable
	mrs	x4, mpidr_el1
	and	x4, x4, #0xff
	cbnz	x4, 2f
	mov	x4, #(3 << 24)
	orr	x4, x4, #2		/* target list: Aff0 1 */
	msr	ICC_SGI1R_EL1, x4
	isb
	mov	x4, #0x5e
	REPORT(x4)
	b	.
2:	mov	x4, #1
	REPORT(x4)			/* ready, then unmask: the SGI may be pending */
	msr	daifclr, #2
1:	wfi
	b	1b

/* LPIs (tests/vgic/test_its.c): property table at x5, pending table at x5 + 64K */
t_lpis:
	orr	x4, x5, #15
	str	x4, [x2, #0x70]		/* GICR_PROPBASER: 16 ID bits */
	add	x4, x5, #0x10000
	str	x4, [x2, #0x78]		/* GICR_PENDBASER */
	mov	w4, #1
	str	w4, [x2]		/* GICR_CTLR.EnableLPIs */
	ldr	w4, [x2]
	REPORT(x4)
	bl	gic_enable
	msr	daifclr, #2
	mov	x4, #1
	REPORT(x4)			/* ready */
1:	wfi
	b	1b

/* Two writes to the ioeventfd at x5: the first matches (no exit). */
t_ioeventfd:
	mov	w4, #0x1234
	str	w4, [x5]
	mov	w4, #0x5678
	str	w4, [x5]
	mov	x4, #0xdead
	REPORT(x4)
	b	.

/* EOImode 1: EOIR drops the priority only, DIR deactivates. */
t_eoimode:
	mov	x4, #2
	msr	ICC_CTLR_EL1, x4	/* EOImode */
	bl	gic_enable
	mov	w4, #1
	str	w4, [x1, #0x104]	/* ISENABLER1: 32 */
	str	w4, [x1, #0x204]	/* ISPENDR1: 32 */
	mrs	x4, ICC_HPPIR1_EL1
	REPORT(x4)			/* 32 */
	mrs	x10, ICC_IAR1_EL1
	REPORT(x10)			/* 32 */
	mrs	x4, ICC_RPR_EL1
	REPORT(x4)			/* 0 */
	mrs	x4, ICC_AP1R0_EL1
	REPORT(x4)			/* 1 */
	msr	ICC_EOIR1_EL1, x10
	mrs	x4, ICC_RPR_EL1
	REPORT(x4)			/* 0xff */
	ldr	w4, [x1, #0x304]	/* ISACTIVER1: still active */
	REPORT(x4)
	msr	ICC_DIR_EL1, x10
	ldr	w4, [x1, #0x304]
	REPORT(x4)			/* 0 */
	mov	x4, #0xdead
	REPORT(x4)
	b	.

/*
 * SGI ping-pong in WFI, x5 rounds: Aff0 0 sends SGI 1 to Aff0 1, which
 * answers with SGI 2.  IRQs stay masked (WFI completes on a pending
 * interrupt all the same).  Before each WFI a vCPU arms its virtual timer
 * 10 ms ahead, so an SGI that fails to wake it is found late, on PPI 27.
 * Each vCPU reports its rounds, then its timer wake-ups.
 */
t_pingpong:
	bl	gic_enable
	add	x7, x2, #0x10000
	mov	w4, #(1 << 27)
	str	w4, [x7, #0x100]	/* GICR ISENABLER0: PPI 27 */
	mov	x6, #0			/* rounds */
	mov	x8, #0			/* timer wake-ups */
	mrs	x4, mpidr_el1
	ands	x4, x4, #0xff
	b.ne	2f
1:	mov	x4, #(1 << 24)
	orr	x4, x4, #2		/* SGI 1 to Aff0 1 */
	msr	ICC_SGI1R_EL1, x4
	isb
	mov	x9, #2
	bl	wait_sgi
	add	x6, x6, #1
	cmp	x6, x5
	b.ne	1b
	b	3f
2:	mov	x9, #1
	bl	wait_sgi
	mov	x4, #(2 << 24)
	orr	x4, x4, #1		/* SGI 2 to Aff0 0 */
	msr	ICC_SGI1R_EL1, x4
	isb
	add	x6, x6, #1
	cmp	x6, x5
	b.ne	2b
3:	REPORT(x6)
	REPORT(x8)
	b	.

/* WFI until SGI x9 is acknowledged (and EOI'd); x8 counts PPI 27. */
wait_sgi:
	ldr	x4, =625000		/* 10 ms at 62.5 MHz */
	msr	cntv_tval_el0, x4
	mov	x4, #1
	msr	cntv_ctl_el0, x4
	isb
1:	wfi
	mrs	x10, ICC_IAR1_EL1
	cmp	x10, #1023
	b.eq	1b
	msr	cntv_ctl_el0, xzr	/* the timer off: its line falls */
	isb
	msr	ICC_EOIR1_EL1, x10
	cmp	x10, #27
	b.ne	2f
	add	x8, x8, #1
	b	wait_sgi
2:	cmp	x10, x9
	b.ne	wait_sgi
	ret

irq_handler:
	mrs	x10, ICC_IAR1_EL1
	REPORT(x10)
	cmp	x10, #27
	b.ne	1f
	mov	x11, #2
	msr	cntv_ctl_el0, x11	/* IMASK: the line falls */
1:	msr	ICC_EOIR1_EL1, x10
	mrs	x11, ICC_RPR_EL1
	REPORT(x11)
	eret

sync_handler:
	mrs	x4, esr_el1
	movk	x4, #0xbad0, lsl #48
	REPORT(x4)
	b	.

	.balign	2048
vectors:				/* only current EL with SPx is used */
	.org	vectors + 0x200
	b	sync_handler
	.org	vectors + 0x280
	b	irq_handler
	.org	vectors + 0x800
