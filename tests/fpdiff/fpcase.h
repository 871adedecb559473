/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One FP/SIMD differential test case and its result, as both runners see
 * them (the same layout as tests/diff: code at FPD_CODE_VA behind a
 * literal pool, a data buffer with x28 in its middle), plus the SIMD&FP
 * state: V0-V31, FPCR and FPSR.  Raw structs of fixed-width fields, the
 * same on x86-64 and aarch64.
 */
#ifndef FPCASE_H
#define FPCASE_H

#include <stdint.h>

#define FPD_CODE_VA	0x40000000ULL
#define FPD_POOL_SIZE	0xf0u
#define FPD_ENTRY_VA	(FPD_CODE_VA + 0x100)
#define FPD_BUF_VA	0x40200000ULL
#define FPD_BUF_SIZE	4096u
#define FPD_BASE_VA	(FPD_BUF_VA + FPD_BUF_SIZE / 2)
#define FPD_BASE_REG	28
#define FPD_MAX_WORDS	64

/* The register block fpd_enter loads and fpd_exit stores (fpd_entry.S). */
struct fpd_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
	uint64_t fpcr;
	uint64_t fpsr;
	uint8_t v[32][16];
};

struct fpd_case {
	uint32_t nwords;
	uint32_t pad;
	uint32_t words[FPD_MAX_WORDS];
	struct fpd_regs r;
	uint8_t buf[FPD_BUF_SIZE];
};

struct fpd_result {
	struct fpd_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / ESR (vkvm) */
	uint8_t buf[FPD_BUF_SIZE];
};

static inline uint8_t fpd_pool_byte(unsigned int i)
{
	return (uint8_t)(i * 73u + 0x5a) ^ (uint8_t)(i >> 3);
}

#endif
