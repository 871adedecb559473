/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The features tests/idwalk checks, shared by the sample encodings
 * (samples.S, assembled for aarch64) and the checker (idwalk.c).
 */
#ifndef TESTS_IDWALK_H
#define TESTS_IDWALK_H

#define F_FP16		1
#define F_ASIMDHP	2
#define F_SVE		3
#define F_MTE		4
#define F_AES		5
#define F_PMULL		6
#define F_SHA1		7
#define F_SHA256	8
#define F_SHA512	9
#define F_CRC32		10
#define F_LSE		11
#define F_RDM		12
#define F_SHA3		13
#define F_SM3		14
#define F_SM4		15
#define F_DOTPROD	16
#define F_FHM		17
#define F_FLAGM		18
#define F_FLAGM2	19
#define F_TLBIOS	20
#define F_TLBIRANGE	21
#define F_RNG		22
#define F_DPB		23
#define F_DPB2		24
#define F_PAUTH		25
#define F_JSCVT		26
#define F_FCMA		27
#define F_LRCPC		28
#define F_LRCPC2	29
#define F_PACGA		30
#define F_FRINTTS	31
#define F_SB		32
#define F_SPECRES	33
#define F_BF16		34
#define F_I8MM		35
#define F_LS64		36
#define F_MOPS		37
#define F_HBC		38
#define F_CSSC		39
#define F_TME		40
#define F_SVE2		41
#define F_SVE_AES	42
#define F_SVE_BITPERM	43
#define F_SVE_BF16	44
#define F_SVE_SHA3	45
#define F_SVE_SM4	46
#define F_SVE_I8MM	47
#define F_SVE_F32MM	48
#define F_SVE_F64MM	49
#define F_LOR		50
#define F_PAN		51
#define F_UAO		52
#define F_DIT		53
#define F_RAS		54
#define F_PMU		55
#define F_AMU		56
#define F_SME		57
#define F_SSBS		58
#define F_SSBS2		59
#define F_LSE2		60
#define F_NR		61

/* tests/idwalk/table.c: the decode table's rows and their features */
#define IW_BASE		F_NR		/* Armv8.0: always there */
#define IW_HINT		(F_NR + 1)	/* hint space: a NOP where absent */
#define IW_UNKNOWN	(F_NR + 2)	/* a class table.c does not know */
#define IW_EL2		(F_NR + 3)	/* an EL2 operation: UNDEFINED at EL1 */

#ifndef __ASSEMBLER__
#include <stdint.h>

unsigned int iw_nrows(void);
/* row i in decode order: its name, class, mask and match; NULL past the end */
const char *iw_row(unsigned int i, const char **cls, uint32_t *mask, uint32_t *match);
/* the row w decodes to, -1 if it is UNDEFINED, -2 out of memory */
int iw_row_of(uint32_t w);
int iw_feature(const char *cls, const char *name, uint32_t w);
#endif

#endif
