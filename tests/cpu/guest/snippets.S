/*
 * Small guest snippets the engine tests jump into (their addresses reach
 * the C side through a generated header).  Each ends in HVC #0 unless it
 * is meant to fault; the vector table reports HVC #0x100+n for entry n.
 */
#include "snip.h"

	SNIP s_svc
	svc	#0x42
	hvc	#0
	SNIP s_brk
	brk	#0x7
	hvc	#0
	SNIP s_undef
	.word	0x00000000
	hvc	#0
	SNIP s_hvc
	hvc	#0x1234
	hvc	#0
	SNIP s_smc
	smc	#0x11
	hvc	#0
	SNIP s_ldr_w
	ldr	w5, [x1]
	hvc	#0
	SNIP s_strh
	strh	w6, [x1, #2]
	hvc	#0
	SNIP s_ldrsb
	ldrsb	x7, [x1]
	hvc	#0
	SNIP s_ldar
	ldar	x8, [x1]
	hvc	#0
	SNIP s_stlr_w
	stlr	w9, [x1]
	hvc	#0
	SNIP s_ldp
	ldp	x2, x3, [x1]
	hvc	#0
	SNIP s_ldr_post
	ldr	x2, [x1], #8
	hvc	#0
	SNIP s_ldxr
	ldxr	x2, [x1]
	hvc	#0
	SNIP s_ldadd
	ldadd	x2, x3, [x1]
	hvc	#0
	SNIP s_load
	ldr	x2, [x1]
	hvc	#0
	SNIP s_store
	str	x2, [x1]
	hvc	#0
	SNIP s_ldtr
	ldtr	x2, [x1]
	hvc	#0
	SNIP s_dc_civac
	dc	civac, x1
	hvc	#0
	SNIP s_dc_cvadp
	sys	#3, c7, c13, #1, x1	// DC CVADP (FEAT_DPB2)
	hvc	#0
	SNIP s_dc_zva
	dc	zva, x1
	hvc	#0
	SNIP s_at_s1e1r
	at	s1e1r, x1
	hvc	#0
	SNIP s_at_s1e1w
	at	s1e1w, x1
	hvc	#0
	SNIP s_at_s1e0r
	at	s1e0r, x1
	hvc	#0
	SNIP s_tlbi
	ldr	x2, [x1]
	str	x4, [x3]
	dsb	ishst
	tlbi	vae1is, x5
	dsb	ish
	ldr	x6, [x1]
	hvc	#0
	SNIP s_eret
	eret
	SNIP s_wfi
	wfi
	hvc	#0
	SNIP s_loop
	add	x0, x0, #1
	b	s_loop
	SNIP s_br
	br	x1
	SNIP s_sp_load
	mov	sp, x1
	ldr	x2, [sp]
	hvc	#0
	SNIP s_el0_msr
	msr	daifset, #2
	hvc	#0
	SNIP s_el0_mrs_sctlr
	mrs	x2, sctlr_el1
	hvc	#0
	SNIP s_step
	add	x0, x0, #1
	add	x0, x0, #1
	add	x0, x0, #1
	hvc	#0
	SNIP s_stxr_mmio
	stxr	w3, x2, [x1]
	hvc	#0
	SNIP s_smc_loop
	/* self-modifying: patch the next instruction, then run it */
	str	w2, [x1]
	.global	s_smc_target
s_smc_target:
	mov	x0, #1
	hvc	#0
	SNIP s_smc_stp
	/* a store through a generic handler (STP) patches two instructions
	 * further on in the same page, past an ALU instruction */
	stp	w2, w3, [x1]
	add	x4, x4, #1
	.global	s_smc_stp_target
s_smc_stp_target:
	mov	x0, #1
	mov	x6, #1
	hvc	#0
	SNIP s_xmc_cmp
	/* a compare and the B.cond after it, each cross-modified by the test */
	.global	s_xmc_cmp_target
s_xmc_cmp_target:
	cmp	x0, #5
	b.eq	1f
	mov	x1, #1
	hvc	#0
1:	mov	x1, #2
	hvc	#0
	SNIP s_xmc5
	/* four ADDs and an HVC, each ADD rewritten in turn by the test */
	add	x0, x0, #1
	add	x0, x0, #1
	add	x0, x0, #1
	add	x0, x0, #1
	hvc	#0
	SNIP s_xmc
	/* cross-modified by the test (as VMM) between two runs */
	add	x0, x0, #1
	.global	s_xmc_target
s_xmc_target:
	add	x0, x0, #1
	add	x0, x0, #1
	hvc	#0
