/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample encodings per feature for tests/idwalk: pairs of words, the
 * feature (idwalk.h) and one instruction of it, assembled by the cross
 * assembler so that every encoding is what a compiler would emit.  Hint
 * space encodings (BTI, PACIASP, ESB, ...) are absent: they execute as
 * NOPs whatever the ID registers say.  Each instruction runs alone with
 * every X register pointing at the middle of a 2 MiB buffer.
 */
#include "idwalk.h"

	.arch	armv8.8-a+sve2+sve2-aes+sve2-sm4+sve2-sha3+sve2-bitperm+i8mm+bf16+f32mm+f64mm+crypto+sha3+sm4+fp16+fp16fml+rcpc+rng+memtag+flagm+pauth+sb+predres+ls64+mops+hbc+cssc+tme+sme

	.macro	s feat:req, insn:vararg
	.word	\feat
	\insn
	.endm

	.section .rodata
	.balign	4
	s F_FP16,	fadd h0, h1, h2
	s F_FP16,	fcvtzs w0, h1
	s F_FP16,	fmov h0, #1.0
	s F_FP16,	fcmp h0, h1
	s F_ASIMDHP,	fadd v0.8h, v1.8h, v2.8h
	s F_ASIMDHP,	fmaxnmv h0, v1.8h
	s F_ASIMDHP,	fmul v0.4h, v1.4h, v2.h[3]
	s F_ASIMDHP,	fcvtzs v0.8h, v1.8h
	s F_SVE,	add z0.b, z1.b, z2.b
	s F_SVE,	ptrue p0.b
	s F_SVE,	ld1d {z0.d}, p0/z, [x0]
	s F_MTE,	irg x0, x1
	s F_MTE,	addg x0, x1, #16, #1
	s F_MTE,	gmi x0, x1, x2
	s F_AES,	aese v0.16b, v1.16b
	s F_AES,	aesimc v0.16b, v1.16b
	s F_PMULL,	pmull v0.1q, v1.1d, v2.1d
	s F_SHA1,	sha1c q0, s1, v2.4s
	s F_SHA256,	sha256h q0, q1, v2.4s
	s F_SHA512,	sha512h q0, q1, v2.2d
	s F_CRC32,	crc32cx w0, w1, x2
	s F_LSE,	ldadd x0, x1, [x2]
	s F_LSE,	casal x0, x1, [x2]
	s F_RDM,	sqrdmlah v0.4s, v1.4s, v2.4s
	s F_RDM,	sqrdmlsh h0, h1, v2.h[1]
	s F_RDM,	sqrdmlsh v0.8h, v1.8h, v2.8h
	s F_RDM,	sqrdmlah s0, s1, s2
	s F_RDM,	sqrdmlah v0.2s, v1.2s, v2.s[3]
	s F_SHA3,	eor3 v0.16b, v1.16b, v2.16b, v3.16b
	s F_SHA3,	rax1 v0.2d, v1.2d, v2.2d
	s F_SM3,	sm3ss1 v0.4s, v1.4s, v2.4s, v3.4s
	s F_SM3,	sm3partw1 v0.4s, v1.4s, v2.4s
	s F_SM3,	sm3partw2 v0.4s, v1.4s, v2.4s
	s F_SM3,	sm3tt1a v0.4s, v1.4s, v2.s[3]
	s F_SM3,	sm3tt1b v0.4s, v1.4s, v2.s[0]
	s F_SM3,	sm3tt2a v0.4s, v1.4s, v2.s[1]
	s F_SM3,	sm3tt2b v0.4s, v1.4s, v2.s[2]
	s F_SM4,	sm4e v0.4s, v1.4s
	s F_SM4,	sm4ekey v0.4s, v1.4s, v2.4s
	s F_DOTPROD,	sdot v0.4s, v1.16b, v2.16b
	s F_DOTPROD,	udot v0.2s, v1.8b, v2.4b[1]
	s F_DOTPROD,	udot v0.4s, v1.16b, v2.16b
	s F_DOTPROD,	sdot v0.4s, v1.16b, v31.4b[3]
	s F_FHM,	fmlal v0.4s, v1.4h, v2.4h
	s F_FHM,	fmlsl2 v0.2s, v1.2h, v2.h[3]
	s F_FLAGM,	cfinv
	s F_FLAGM,	rmif x0, #3, #5
	s F_FLAGM,	setf8 w0
	s F_FLAGM2,	axflag
	s F_FLAGM2,	xaflag
	s F_TLBIOS,	tlbi vmalle1os
	s F_TLBIRANGE,	tlbi rvae1, x0
	s F_RNG,	mrs x0, rndr
	s F_RNG,	mrs x0, rndrrs
	s F_DPB,	dc cvap, x0
	s F_DPB2,	dc cvadp, x0
	s F_SSBS,	msr ssbs, #1
	s F_SSBS2,	mrs x0, ssbs
	s F_SSBS2,	msr ssbs, x0
	s F_PAUTH,	pacia x0, x1
	s F_PAUTH,	autdb x0, x1
	s F_PAUTH,	xpaci x0
	s F_PAUTH,	ldraa x0, [x1]
	s F_PAUTH,	blraa x0, x1
	s F_JSCVT,	fjcvtzs w0, d1
	s F_FCMA,	fcmla v0.4s, v1.4s, v2.4s, #90
	s F_FCMA,	fcadd v0.8h, v1.8h, v2.8h, #270
	s F_LRCPC,	ldapr x0, [x1]
	s F_LRCPC,	ldaprb w0, [x1]
	s F_LRCPC2,	ldapur x0, [x1, #-8]
	s F_LRCPC2,	stlurh w0, [x1, #3]
	s F_PACGA,	pacga x0, x1, x2
	s F_FRINTTS,	frint32z s0, s1
	s F_FRINTTS,	frint64x v0.2d, v1.2d
	s F_SB,		sb
	s F_SPECRES,	cfp rctx, x0
	s F_BF16,	bfdot v0.4s, v1.8h, v2.8h
	s F_BF16,	bfcvt h0, s1
	s F_BF16,	bfmmla v0.4s, v1.8h, v2.8h
	s F_I8MM,	smmla v0.4s, v1.16b, v2.16b
	s F_I8MM,	usdot v0.4s, v1.16b, v2.16b
	s F_LS64,	ld64b x0, [x1]
	s F_HBC,	bc.eq .+8
	s F_CSSC,	abs x0, x1
	s F_CSSC,	smax x0, x1, #3
	s F_TME,	tstart x0
	s F_SVE2,	adclb z0.s, z1.s, z2.s
	s F_SVE2,	sqxtnb z0.b, z1.h
	s F_SVE_AES,	aese z0.b, z0.b, z1.b
	s F_SVE_BITPERM, bdep z0.s, z1.s, z2.s
	s F_SVE_BF16,	bfdot z0.s, z1.h, z2.h
	s F_SVE_BF16,	bfcvt z0.h, p0/m, z1.s
	s F_SVE_SHA3,	rax1 z0.d, z1.d, z2.d
	s F_SVE_SM4,	sm4e z0.s, z0.s, z1.s
	s F_SVE_I8MM,	smmla z0.s, z1.b, z2.b
	s F_SVE_I8MM,	usdot z0.s, z1.b, z2.b
	s F_SVE_F32MM,	fmmla z0.s, z1.s, z2.s
	s F_SVE_F64MM,	fmmla z0.d, z1.d, z2.d
	s F_SVE_F64MM,	ld1rob {z0.b}, p0/z, [x0]
	s F_LOR,	ldlar x0, [x1]
	s F_LOR,	stllr x0, [x1]
	s F_PAN,	msr pan, #1
	s F_UAO,	msr uao, #1
	/* FEAT_LSE2 has no instruction: its sample is a misaligned ordered
	 * access inside one 16-byte quantity (Xn is 16-byte aligned), an
	 * alignment fault without it */
	s F_LSE2,	ldapur x0, [x1, #1]
	s F_LSE2,	stlur w0, [x1, #6]
	s F_LSE2,	ldapurh w0, [x1, #3]
	s F_DIT,	msr dit, #1
	s F_RAS,	mrs x0, erridr_el1
	s F_PMU,	mrs x0, pmcr_el0
	s F_AMU,	mrs x0, amcr_el0
	s F_SME,	smstart
	/* cpyfp [x0]!, [x1]!, x2! (the assembler wants its sequence closed) */
	s F_MOPS,	.inst 0x19010440
	.section .note.GNU-stack, "", %progbits
