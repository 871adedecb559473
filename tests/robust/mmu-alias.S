/* A guest for tests/robust/monitor-mmu.sh: turns the MMU on (4K granule,
 * 39-bit VA, TTBR0) with RAM at 0x8000_0000 mapped twice, identity and at
 * the alias VA 0x4000_0000, and the first GiB as Device memory; jumps to
 * its alias, then touches 0x0a00_0000 (nothing there): vmm --unhandled-mmio
 * stop opens the monitor with PC at a virtual address that is not its
 * physical one.  Before that it writes "guest> " (no newline) to the UART.  Loaded as a raw image at 0x8000_0000. */
	.text
	.globl _start
_start:
	adr	x0, l1			/* the level 1 table (4 KiB aligned) */
	mov	x1, #0x0401		/* block, AttrIndx 0 (Device), AF */
	str	x1, [x0]		/* VA 0-1G -> PA 0 */
	mov	x1, #0x0405		/* block, AttrIndx 1 (Normal), AF */
	movk	x1, #0x8000, lsl #16
	str	x1, [x0, #8]		/* VA 1G-2G -> PA 2G (the alias) */
	str	x1, [x0, #16]		/* VA 2G-3G -> PA 2G (identity) */
	msr	ttbr0_el1, x0
	mov	x1, #0xff00		/* MAIR: attr0 Device-nGnRnE, attr1 Normal WB */
	msr	mair_el1, x1
	mov	x1, #25			/* T0SZ 25: 39-bit VA, start at level 1 */
	orr	x1, x1, #(1 << 23)	/* EPD1: no TTBR1 walks */
	msr	tcr_el1, x1
	isb
	mrs	x1, sctlr_el1
	orr	x1, x1, #1		/* M */
	msr	sctlr_el1, x1
	isb
	adr	x2, alias		/* its identity address... */
	mov	x1, #0x40000000
	sub	x2, x2, x1		/* ...at the alias VA */
	br	x2
alias:
	mov	x5, #0x01000000		/* the UART (Device, identity) */
	adr	x6, prompt
1:	ldrb	w7, [x6], #1		/* an unfinished line: "guest> " */
	cbz	w7, 2f
	strb	w7, [x5]
	b	1b
2:	mov	x3, #0x0a000000
	ldr	w4, [x3]		/* unhandled MMIO: the monitor opens */
	b	.
prompt:
	.asciz	"guest> "
	.balign	4096
l1:
	.fill	512, 8, 0
