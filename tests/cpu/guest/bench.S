/* CPU-bound loop for bench_cpu: 9 instructions per iteration, x3 iterations. */
	.text
	.global _start
_start:
	ldr	x1, =0x40100000
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
	hvc	#0
	.global	s_mmio_loop
s_mmio_loop:
	str	w2, [x1]
	b	s_mmio_loop
	.ltorg
