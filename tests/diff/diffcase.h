/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One differential test case and its result, as both runners see them.
 *
 * The same guest-virtual layout on both sides (vkvm: identity-mapped MMU;
 * qemu-aarch64: MAP_FIXED), so that PC-relative results (ADR, ADRP,
 * literal loads) and pointers derived from the buffer base compare equal:
 *
 *	DIFF_CODE_VA	literal pool (DIFF_POOL_SIZE bytes, a fixed pattern),
 *			then the test words at DIFF_ENTRY_VA
 *	DIFF_BUF_VA	the data buffer, x28 = DIFF_BASE_VA in the middle
 *
 * Records travel as raw structs (same ABI on x86-64 and aarch64: only
 * fixed-width fields, naturally aligned).
 */
#ifndef DIFFCASE_H
#define DIFFCASE_H

#include <stdint.h>

#define DIFF_CODE_VA	0x40000000ULL
#define DIFF_POOL_SIZE	0xf0u
#define DIFF_ENTRY_VA	(DIFF_CODE_VA + 0x100)
#define DIFF_BUF_VA	0x40200000ULL
#define DIFF_BUF_SIZE	4096u
#define DIFF_BASE_VA	(DIFF_BUF_VA + DIFF_BUF_SIZE / 2)
#define DIFF_BASE_REG	28
#define DIFF_MAX_WORDS	96

struct diff_case {
	uint32_t nwords;
	uint32_t pad;
	uint32_t words[DIFF_MAX_WORDS];
	uint64_t x[31];
	uint64_t nzcv;			/* PSTATE bits 31:28 */
	uint8_t buf[DIFF_BUF_SIZE];
};

struct diff_result {
	uint64_t x[31];
	uint64_t nzcv;
	uint64_t fault;			/* 0, or a signal (qemu) / ESR (vkvm) */
	uint8_t buf[DIFF_BUF_SIZE];
};

/* The literal pool's byte i (identical on both sides). */
static inline uint8_t diff_pool_byte(unsigned int i)
{
	return (uint8_t)(i * 73u + 0x5a) ^ (uint8_t)(i >> 3);
}

#endif
