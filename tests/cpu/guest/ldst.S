/*
 * Snippets for tests/cpu/test_ldst.c: integer loads and stores on the
 * engine's fast paths (pre-/post-index, register offset, pairs) and their
 * edge cases.  Each snippet ends in HVC #0 unless it is meant to fault;
 * the vector table reports HVC #0x100+n for entry n.  Most start with
 * "add x9, x9, #1" so that the access under test is not the first
 * instruction of its chain: an exception's ELR then shows whether the
 * engine stored the right PC before taking it.
 */
#include "snip.h"

	/*
	 * Pre-/post-index forms with Rt == Rn (CONSTRAINED UNPREDICTABLE,
	 * which the assembler warns about): written as words.  op is the
	 * encoding with imm9, Rn and Rt zero.
	 */
	.macro WB op, rt, rn, imm
	.inst	\op | ((\imm & 0x1ff) << 12) | (\rn << 5) | \rt
	.endm
	OP_STRX_PRE	= 0xf8000c00
	OP_STRX_POST	= 0xf8000400
	OP_STRW_PRE	= 0xb8000c00
	OP_STRB_POST	= 0x38000400
	OP_LDRX_PRE	= 0xf8400c00
	OP_LDRX_POST	= 0xf8400400
	OP_LDRSW_PRE	= 0xb8800c00

/* ---- pre-/post-index ----------------------------------------------------- */

	SNIP s_str_x1_pre		/* str x1, [x1, #16]! */
	add	x9, x9, #1
	WB	OP_STRX_PRE, 1, 1, 16
	hvc	#0
	SNIP s_str_x1_post		/* str x1, [x1], #-8 */
	add	x9, x9, #1
	WB	OP_STRX_POST, 1, 1, -8
	hvc	#0
	SNIP s_str_w1_pre		/* str w1, [x1, #4]! */
	add	x9, x9, #1
	WB	OP_STRW_PRE, 1, 1, 4
	hvc	#0
	SNIP s_strb_w1_post		/* strb w1, [x1], #1 */
	add	x9, x9, #1
	WB	OP_STRB_POST, 1, 1, 1
	hvc	#0
	SNIP s_ldr_x1_pre		/* ldr x1, [x1, #8]! */
	add	x9, x9, #1
	WB	OP_LDRX_PRE, 1, 1, 8
	hvc	#0
	SNIP s_ldr_x1_post		/* ldr x1, [x1], #8 */
	add	x9, x9, #1
	WB	OP_LDRX_POST, 1, 1, 8
	hvc	#0
	SNIP s_ldrsw_x1_pre		/* ldrsw x1, [x1, #-4]! */
	add	x9, x9, #1
	WB	OP_LDRSW_PRE, 1, 1, -4
	hvc	#0

	/* Rt 31 is XZR/WZR: no overlap with Rn, fully defined */
	SNIP s_ldr_wzr_pre
	add	x9, x9, #1
	ldr	wzr, [x1, #4]!
	hvc	#0
	SNIP s_strh_wzr_post
	add	x9, x9, #1
	strh	wzr, [x1], #-2
	hvc	#0

	/* every size and extension, the imm9 extremes, one after the other */
	SNIP s_wb_ld
	add	x9, x9, #1
	ldrsb	x2, [x1], #1
	ldrsh	w3, [x1, #3]!
	ldrsw	x4, [x1], #-3
	ldrb	w5, [x1, #-255]!
	ldrh	w6, [x1], #255
	ldrsb	w7, [x1, #-256]!
	ldrsh	x8, [x1, #5]!
	ldr	w10, [x1, #2]!
	ldr	x11, [x1], #-8
	hvc	#0
	SNIP s_wb_st
	add	x9, x9, #1
	strb	w11, [x1], #-256
	strh	w12, [x1], #255
	str	w13, [x1, #-251]!
	str	x14, [x1, #12]!
	hvc	#0

	/* single accesses for the misalignment and page-crossing cases */
	SNIP s_ldr_x_post
	add	x9, x9, #1
	ldr	x2, [x1], #8
	hvc	#0
	SNIP s_ldr_x_pre
	add	x9, x9, #1
	ldr	x2, [x1, #8]!
	hvc	#0
	SNIP s_str_x_post
	add	x9, x9, #1
	str	x2, [x1], #8
	hvc	#0
	SNIP s_str_x_pre
	add	x9, x9, #1
	str	x2, [x1, #8]!
	hvc	#0
	SNIP s_ldrsh_post
	add	x9, x9, #1
	ldrsh	x2, [x1], #-2
	hvc	#0
	SNIP s_ldrsw_pre
	add	x9, x9, #1
	ldrsw	x2, [x1, #4]!
	hvc	#0
	SNIP s_strh_pre
	add	x9, x9, #1
	strh	w2, [x1, #2]!
	hvc	#0
	SNIP s_ldr_x_uimm
	add	x9, x9, #1
	ldr	x2, [x1, #8]
	hvc	#0
	SNIP s_ldur_w
	add	x9, x9, #1
	ldur	w2, [x1, #-1]
	hvc	#0
	SNIP s_ldr_x_rx
	add	x9, x9, #1
	ldr	x2, [x1, x3]
	hvc	#0
	SNIP s_str_x_rx
	add	x9, x9, #1
	str	x2, [x1, x3]
	hvc	#0
	SNIP s_ldr_w_uxtw
	add	x9, x9, #1
	ldr	w2, [x1, w3, uxtw]
	hvc	#0
	SNIP s_str_w_sxtw
	add	x9, x9, #1
	str	w2, [x1, w3, sxtw]
	hvc	#0

/* ---- SP as the base --------------------------------------------------------- */

	SNIP s_sp_str_pre
	add	x9, x9, #1
	str	x2, [sp, #-16]!
	hvc	#0
	SNIP s_sp_ldr_post
	add	x9, x9, #1
	ldr	x2, [sp], #16
	hvc	#0
	SNIP s_sp_ldrb_imm
	add	x9, x9, #1
	ldrb	w2, [sp, #9]
	hvc	#0
	SNIP s_sp_str_lsl
	add	x9, x9, #1
	str	x2, [sp, x3, lsl #3]
	hvc	#0
	SNIP s_sp_ldr_sxtw
	add	x9, x9, #1
	ldr	w2, [sp, w3, sxtw #2]
	hvc	#0
	SNIP s_sp_stp_pre
	add	x9, x9, #1
	stp	x2, x3, [sp, #-32]!
	hvc	#0
	SNIP s_sp_ldp_post
	add	x9, x9, #1
	ldp	x2, x3, [sp], #32
	hvc	#0
	SNIP s_sp_stp_w
	add	x9, x9, #1
	stp	w2, w3, [sp, #8]
	hvc	#0
	/* Rt and Rn both 31 are XZR and SP: no overlap, fully defined */
	SNIP s_sp_str_xzr_pre
	add	x9, x9, #1
	str	xzr, [sp, #-16]!
	hvc	#0
	SNIP s_sp_ldr_xzr_post
	add	x9, x9, #1
	ldr	xzr, [sp], #16
	hvc	#0
	SNIP s_sp_stp_xzr_pre
	add	x9, x9, #1
	stp	xzr, xzr, [sp, #-16]!
	hvc	#0
	SNIP s_sp_ldp_xzr_post
	add	x9, x9, #1
	ldp	x2, xzr, [sp], #16
	hvc	#0
	/* the first writes SP back 8-byte aligned: the second finds it so */
	SNIP s_sp_chain
	add	x9, x9, #1
	ldr	x2, [sp, #-8]!
	ldr	x3, [sp], #8
	hvc	#0

/* ---- register offset ------------------------------------------------------------ */

	SNIP s_reg_uxtw3
	add	x9, x9, #1
	ldr	x2, [x1, w3, uxtw #3]
	hvc	#0
	SNIP s_reg_sxtw3
	add	x9, x9, #1
	ldr	x2, [x1, w3, sxtw #3]
	hvc	#0
	SNIP s_reg_ldrsh_sxtw
	add	x9, x9, #1
	ldrsh	x2, [x1, w3, sxtw #1]
	hvc	#0
	SNIP s_reg_ldrsb_w_sxtw
	add	x9, x9, #1
	ldrsb	w2, [x1, w3, sxtw]
	hvc	#0
	SNIP s_reg_lsl3
	add	x9, x9, #1
	ldr	x2, [x1, x3, lsl #3]
	hvc	#0
	SNIP s_reg_sxtx
	add	x9, x9, #1
	ldr	x2, [x1, x3, sxtx]
	hvc	#0
	SNIP s_reg_w_sxtx2
	add	x9, x9, #1
	ldr	w2, [x1, x3, sxtx #2]
	hvc	#0
	SNIP s_reg_ldrsh_w_lsl
	add	x9, x9, #1
	ldrsh	w2, [x1, x3, lsl #1]
	hvc	#0
	SNIP s_reg_str_lsl3
	add	x9, x9, #1
	str	x2, [x1, x3, lsl #3]
	hvc	#0
	SNIP s_reg_strh_sxtx
	add	x9, x9, #1
	strh	w2, [x1, x3, sxtx #1]
	hvc	#0
	SNIP s_reg_str_xzr_lsl3
	add	x9, x9, #1
	str	xzr, [x1, x3, lsl #3]
	hvc	#0
	SNIP s_reg_str_wzr_sxtw2
	add	x9, x9, #1
	str	wzr, [x1, w3, sxtw #2]
	hvc	#0
	SNIP s_reg_strb_wzr
	add	x9, x9, #1
	strb	wzr, [x1, x3]
	hvc	#0
	SNIP s_reg_strh_wzr_uxtw1
	add	x9, x9, #1
	strh	wzr, [x1, w3, uxtw #1]
	hvc	#0
	SNIP s_reg_ldr_wzr
	add	x9, x9, #1
	ldr	wzr, [x1, x3]
	hvc	#0
	SNIP s_reg_ldr_xzr_sxtw3
	add	x9, x9, #1
	ldr	xzr, [x1, w3, sxtw #3]
	hvc	#0
	SNIP s_reg_rm_xzr
	add	x9, x9, #1
	ldr	x2, [x1, xzr, lsl #3]
	hvc	#0
	SNIP s_reg_rt_rn		/* Rt == Rn without writeback: defined */
	add	x9, x9, #1
	ldr	x1, [x1, x3]
	hvc	#0
	SNIP s_reg_rt_rm
	add	x9, x9, #1
	ldr	x3, [x1, x3, lsl #3]
	hvc	#0

/* ---- pairs -------------------------------------------------------------------- */

	SNIP s_ldp_x
	add	x9, x9, #1
	ldp	x2, x3, [x1]
	hvc	#0
	SNIP s_stp_x
	add	x9, x9, #1
	stp	x2, x3, [x1]
	hvc	#0
	SNIP s_ldp_x_pre
	add	x9, x9, #1
	ldp	x2, x3, [x1, #16]!
	hvc	#0
	SNIP s_stp_x_post
	add	x9, x9, #1
	stp	x2, x3, [x1], #16
	hvc	#0
	SNIP s_ldp_w_pre
	add	x9, x9, #1
	ldp	w2, w3, [x1, #-8]!
	hvc	#0
	SNIP s_stp_w_post
	add	x9, x9, #1
	stp	w2, w3, [x1], #-256
	hvc	#0
	SNIP s_ldp_rt_rn		/* Rt == Rn without writeback: defined */
	add	x9, x9, #1
	ldp	x1, x2, [x1]
	hvc	#0
	SNIP s_ldp_rt2_rn
	add	x9, x9, #1
	ldp	w2, w1, [x1, #8]
	hvc	#0

/* ---- self-modifying code: one page, stores into it ------------------------------ */

	.balign	4096
	.global	s_smc_page
s_smc_page:
	/* each store rewrites the instruction right after it */
	SNIP s_smc_post
	add	x9, x9, #1
	str	w2, [x1], #4
	.global	s_smc_post_t
s_smc_post_t:
	mov	x0, #1
	hvc	#0
	SNIP s_smc_pre
	add	x9, x9, #1
	str	w2, [x1, #-4]!
	.global	s_smc_pre_t
s_smc_pre_t:
	mov	x0, #1
	hvc	#0
	SNIP s_smc_rx
	add	x9, x9, #1
	str	w2, [x1, x3]
	.global	s_smc_rx_t
s_smc_rx_t:
	mov	x0, #1
	hvc	#0
	SNIP s_smc_uxtw
	add	x9, x9, #1
	str	w2, [x1, w3, uxtw #2]
	.global	s_smc_uxtw_t
s_smc_uxtw_t:
	mov	x0, #1
	hvc	#0
	SNIP s_smc_stp
	add	x9, x9, #1
	stp	w2, w3, [x1, #8]!
	.global	s_smc_stp_t
s_smc_stp_t:
	mov	x0, #1
	mov	x6, #1
	hvc	#0
	SNIP s_smc_strb		/* one byte of the next word: its immediate */
	add	x9, x9, #1
	strb	w2, [x1], #1
	.global	s_smc_strb_t
s_smc_strb_t:
	mov	x0, #1
	hvc	#0

	/* stores into the page where no code was decoded: all goes on */
	SNIP s_smc_data
	add	x9, x9, #1
	str	x2, [x1], #8
	add	x0, x0, #1
	str	x2, [x1, x3]
	add	x0, x0, #2
	stp	w2, w4, [x1, #8]!
	add	x0, x0, #4
	str	x4, [x1, #8]
	add	x0, x0, #8
	cbz	x0, s_smc_data_hvc
	add	x0, x0, #16
	.global	s_smc_data_hvc
s_smc_data_hvc:
	hvc	#0
	.balign	16
	.global	s_smc_data_slot
s_smc_data_slot:
	.quad	0, 0, 0, 0

	/*
	 * a loop whose store rewrites its first instruction, already run:
	 * the next iteration must run the new one (x3 = iterations)
	 */
	SNIP s_smc_loop_wb
	add	x9, x9, #1
	.global	s_smc_loop_wb_t
s_smc_loop_wb_t:
	add	x0, x0, #1
	str	w2, [x1, #-4]!
	add	x1, x1, #4
	subs	x3, x3, #1
	b.ne	s_smc_loop_wb_t
	hvc	#0
	SNIP s_smc_loop_rx
	add	x9, x9, #1
	.global	s_smc_loop_rx_t
s_smc_loop_rx_t:
	add	x0, x0, #1
	str	w2, [x1, x4]
	subs	x3, x3, #1
	b.ne	s_smc_loop_rx_t
	hvc	#0
	SNIP s_smc_loop_stp		/* rewrites the first two */
	add	x9, x9, #1
	.global	s_smc_loop_stp_t
s_smc_loop_stp_t:
	add	x0, x0, #1
	add	x5, x5, #1
	stp	w2, w4, [x1]
	subs	x3, x3, #1
	b.ne	s_smc_loop_stp_t
	hvc	#0
	.balign	4096

/* ---- MMU off: data in the page being run is Device too ------------------- */

	SNIP s_ldr_own_page		/* ldr x2, [x1, #8]: x1 misaligned, this page */
	add	x9, x9, #1
	ldr	x2, [x1, #8]
	hvc	#0
	SNIP s_zva_own_page		/* dc zva, x1: this page */
	add	x9, x9, #1
	dc	zva, x1
	hvc	#0
