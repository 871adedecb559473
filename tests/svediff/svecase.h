/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One SVE differential test case and its result, as both sides see them
 * (the layout of tests/fpdiff: code at SVD_CODE_VA behind a literal pool,
 * a data buffer with x28 in its middle), with the SVE state: Z0-Z31 and
 * P0-P15, FFR at up to 2048 bits, of which the first vl bytes (vl / 8 for
 * predicates) are compared.  Raw fixed-width structs, the same on x86-64
 * and aarch64; svd_entry.S knows the offsets.
 */
#ifndef SVECASE_H
#define SVECASE_H

#include <stdint.h>

#define SVD_CODE_VA	0x40000000ULL
#define SVD_POOL_SIZE	0xf0u
#define SVD_ENTRY_VA	(SVD_CODE_VA + 0x100)
#define SVD_BUF_VA	0x40200000ULL
#define SVD_BUF_SIZE	4096u
#define SVD_BASE_VA	(SVD_BUF_VA + SVD_BUF_SIZE / 2)
#define SVD_MAX_WORDS	32

struct svd_regs {
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
	uint64_t fpcr;
	uint64_t fpsr;
	uint8_t z[32][256];		/* offset 272 */
	uint8_t p[16][32];		/* offset 8464 */
	uint8_t ffr[32];		/* offset 8976; size 9008 */
};

_Static_assert(sizeof(struct svd_regs) == 9008, "svd_regs layout");

struct svd_case {
	uint32_t nwords;
	uint32_t vl;			/* bytes */
	uint32_t words[SVD_MAX_WORDS];
	struct svd_regs r;
	uint8_t buf[SVD_BUF_SIZE];
};

struct svd_result {
	struct svd_regs r;
	uint64_t fault;			/* 0, or a signal (qemu) / ESR (vkvm) */
	uint8_t buf[SVD_BUF_SIZE];
};

static inline uint8_t svd_pool_byte(unsigned int i)
{
	return (uint8_t)(i * 73u + 0x5a) ^ (uint8_t)(i >> 3);
}

#endif
