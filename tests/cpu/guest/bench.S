/*
 * CPU-bound loop for bench_cpu: 9 instructions per iteration, x3 iterations.
 * Built twice: bare metal for the engine (x3 set by bench_cpu, hvc at the
 * end) and, with -DUSER, as a Linux user program that takes the iteration
 * count in argv[1], so that qemu-aarch64 runs the very same loop.
 */
	.text
	.global _start
_start:
#ifdef USER
	ldr	x9, [sp, #16]		/* argv[1], NULL without arguments */
	mov	x3, #0
	mov	x11, #10
	cbz	x9, 3f
2:	ldrb	w10, [x9], #1
	cbz	w10, 3f
	sub	w10, w10, #'0'
	madd	x3, x3, x11, x10
	b	2b
3:	adrp	x1, buf
	add	x1, x1, :lo12:buf
#else
	ldr	x1, =0x40100000
#endif
	mov	x2, #0
	mov	x4, #0
1:	and	x5, x2, #0xfff
	ldr	x6, [x1, x5, lsl #3]
	add	x4, x4, x6
	eor	x4, x4, x4, lsl #7
	add	x6, x6, x2
	str	x6, [x1, x5, lsl #3]
	add	x2, x2, #1
	cmp	x2, x3
	b.ne	1b
#ifdef USER
	mov	x0, #0
	mov	x8, #93			/* exit */
	svc	#0

	.bss
	.balign	4096
buf:	.skip	4096 * 8
#else
	hvc	#0
	.global	s_mmio_loop
s_mmio_loop:
	str	w2, [x1]
	b	s_mmio_loop
	.ltorg
#endif
