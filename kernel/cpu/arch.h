/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architectural constants the engine uses: SCTLR_EL1 bits, ESR fields
 * and fault status codes.
 */
#ifndef VKVM_CPU_ARCH_H
#define VKVM_CPU_ARCH_H

#include <stdint.h>

/* SCTLR_EL1 bits the engine obeys */
#define SCTLR_M		(1ULL << 0)
#define SCTLR_A		(1ULL << 1)
#define SCTLR_SA	(1ULL << 3)
#define SCTLR_SA0	(1ULL << 4)
#define SCTLR_UMA	(1ULL << 9)
#define SCTLR_DZE	(1ULL << 14)
#define SCTLR_NTWI	(1ULL << 16)
#define SCTLR_NTWE	(1ULL << 18)
#define SCTLR_WXN	(1ULL << 19)
#define SCTLR_SPAN	(1ULL << 23)
#define SCTLR_E0E	(1ULL << 24)
#define SCTLR_EE	(1ULL << 25)
#define SCTLR_UCI	(1ULL << 26)

/* ---- ESR --------------------------------------------------------------------- */

#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_FP_ASIMD	0x07
#define EC_ILLEGAL	0x0e
#define EC_SVC64	0x15
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYS64	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_PC_ALIGN	0x22
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_SP_ALIGN	0x26
#define EC_SERROR	0x2f
#define EC_SOFTSTP_LOW	0x32
#define EC_BRK64	0x3c

#define ESR_EC_SHIFT	26
#define ESR_IL		(1ULL << 25)
#define ESR_ISV		(1u << 24)
#define ESR_SAS_SHIFT	22
#define ESR_SSE		(1u << 21)
#define ESR_SRT_SHIFT	16
#define ESR_SF		(1u << 15)
#define ESR_AR		(1u << 14)
#define ESR_FNV		(1u << 10)
#define ESR_CM		(1u << 8)
#define ESR_S1PTW	(1u << 7)
#define ESR_WNR		(1u << 6)

static inline uint64_t esr_make(unsigned int ec, uint32_t iss)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
}

/* Fault status codes (DFSC/IFSC), level in the low two bits. */
#define FSC_ADDR_SIZE	0x00
#define FSC_TRANS	0x04
#define FSC_ACCESS	0x08
#define FSC_PERM	0x0c
#define FSC_SEA		0x10
#define FSC_SEA_WALK	0x14
#define FSC_ALIGN	0x21


#endif /* VKVM_CPU_ARCH_H */
