/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The qemu-aarch64 side's way in and out of an SVE test sequence
 * (svd_runner.c, tests/lib/diffentry.h): a struct svd_regs, whose FPCR,
 * FPSR, Z0-Z31, P0-P15 and FFR are loaded and stored around X0-X30 and
 * NZCV.  FPCR goes back to 0 for the C code.
 */
#include "diffentry.h"

/* struct svd_regs: offsetof p, offsetof ffr, sizeof */
#define SVD_REG_P	8464
#define SVD_REG_FFR	8976
#define SVD_REGS_SIZE	9008

	.arch	armv8.2-a+sve

/* Z0-Z31 (zregs) or P0-P15 (pregs) from x10 on: op is ldr or str */
	.macro	zregs op
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	\op	z\n, [x10]
	add	x10, x10, #256
	.endr
	.endm

	.macro	pregs op
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	p\n, [x10]
	add	x10, x10, #32
	.endr
	.endm

	diff_enter_begin
	diff_load_fpcr_fpsr
	mov	x11, #SVD_REG_FFR
	add	x10, x0, x11
	ldr	p0, [x10]
	wrffr	p0.b
	mov	x11, #SVD_REG_P
	add	x10, x0, x11
	pregs	ldr
	add	x10, x0, #DIFF_REG_VEC
	zregs	ldr
	diff_enter_end

	diff_exit_begin SVD_REGS_SIZE
	diff_store_fpcr_fpsr
	add	x10, sp, #DIFF_REG_VEC
	zregs	str
	mov	x11, #SVD_REG_P
	add	x10, sp, x11
	pregs	str
	rdffr	p0.b
	mov	x11, #SVD_REG_FFR
	add	x10, sp, x11
	str	p0, [x10]
	msr	fpcr, xzr
	diff_exit_end
