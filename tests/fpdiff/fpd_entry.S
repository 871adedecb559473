/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The qemu-aarch64 side's way in and out of an FP/SIMD test sequence
 * (fpd_runner.c, tests/lib/diffentry.h): a struct fpd_regs, whose
 * V0-V31, FPCR and FPSR are loaded and stored around X0-X30 and NZCV.
 * FPCR goes back to 0 for the C code.
 */
#include "diffentry.h"

#define FPD_REGS_SIZE	784		/* sizeof(struct fpd_regs) */

/* V0-V31 from x10 on: op is ldp or stp */
	.macro	vregs op
	\op	q0, q1, [x10], #32
	\op	q2, q3, [x10], #32
	\op	q4, q5, [x10], #32
	\op	q6, q7, [x10], #32
	\op	q8, q9, [x10], #32
	\op	q10, q11, [x10], #32
	\op	q12, q13, [x10], #32
	\op	q14, q15, [x10], #32
	\op	q16, q17, [x10], #32
	\op	q18, q19, [x10], #32
	\op	q20, q21, [x10], #32
	\op	q22, q23, [x10], #32
	\op	q24, q25, [x10], #32
	\op	q26, q27, [x10], #32
	\op	q28, q29, [x10], #32
	\op	q30, q31, [x10], #32
	.endm

	diff_enter_begin
	diff_load_fpcr_fpsr
	add	x10, x0, #DIFF_REG_VEC
	vregs	ldp
	diff_enter_end

	diff_exit_begin FPD_REGS_SIZE
	diff_store_fpcr_fpsr
	add	x10, sp, #DIFF_REG_VEC
	vregs	stp
	msr	fpcr, xzr
	diff_exit_end
