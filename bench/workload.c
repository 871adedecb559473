// SPDX-License-Identifier: GPL-2.0
/*
 * A CPU-bound integer workload, built twice from this one source: as a
 * freestanding guest for vkvm (guest_start.S, guest.ld) and as a static
 * aarch64 Linux program for qemu-aarch64 (workload_user.c).  Integer only
 * (-mgeneral-regs-only: vkvm has no FP/SIMD yet), no library calls.
 *
 * Each iteration does the same work on re-seeded data, so the instruction
 * count is a + b * iterations exactly (cpu_bench measures a and b).
 */
#include <stdint.h>

#include "workload.h"

#define SIEVE_N		65536
#define BUF_BYTES	16384
#define SORT_N		2048

static uint8_t sieve[SIEVE_N];
static uint8_t buf[BUF_BYTES];
static uint32_t crc_table[256];
static uint32_t sort_a[SORT_N];

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint32_t primes(void)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < SIEVE_N; i++)
		sieve[i] = 1;
	for (uint32_t i = 2; i * i < SIEVE_N; i++)
		if (sieve[i])
			for (uint32_t j = i * i; j < SIEVE_N; j += i)
				sieve[j] = 0;
	for (uint32_t i = 2; i < SIEVE_N; i++)
		count += sieve[i];
	return count;
}

/* CRC-32 (IEEE, reflected) in software: table built bitwise, then bytewise. */
static uint32_t crc32_sw(const uint8_t *p, uint32_t n)
{
	uint32_t crc = ~0u;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
		crc_table[i] = c;
	}
	for (uint32_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void heap_sift(uint32_t *a, uint32_t start, uint32_t end)
{
	uint32_t root = start;

	while (2 * root + 1 <= end) {
		uint32_t child = 2 * root + 1, swap = root;

		if (a[swap] < a[child])
			swap = child;
		if (child + 1 <= end && a[swap] < a[child + 1])
			swap = child + 1;
		if (swap == root)
			return;
		uint32_t t = a[root];

		a[root] = a[swap];
		a[swap] = t;
		root = swap;
	}
}

static uint64_t heap_sort(uint32_t *a, uint32_t n)
{
	uint64_t sum = 0;

	for (uint32_t s = n / 2; s-- > 0;)
		heap_sift(a, s, n - 1);
	for (uint32_t end = n - 1; end > 0; end--) {
		uint32_t t = a[0];

		a[0] = a[end];
		a[end] = t;
		heap_sift(a, 0, end - 1);
	}
	for (uint32_t i = 0; i < n; i++)
		sum = sum * 31 + a[i];
	return sum;
}

/* FNV-1a over bytes and a 64-bit multiply-xorshift mix over words. */
static uint64_t hashes(const uint8_t *p, uint32_t n)
{
	uint64_t fnv = 0xcbf29ce484222325ULL, mix = 0;

	for (uint32_t i = 0; i < n; i++)
		fnv = (fnv ^ p[i]) * 0x100000001b3ULL;
	for (uint32_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w = 0;

		for (int k = 0; k < 8; k++)
			w |= (uint64_t)p[i + k] << (8 * k);
		w *= 0xff51afd7ed558ccdULL;
		w ^= w >> 33;
		mix = (mix ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	return fnv ^ mix;
}

uint64_t workload(uint32_t iters)
{
	uint64_t sum = 0;

	for (uint32_t it = 0; it < iters; it++) {
		uint64_t seed = 0x9e3779b97f4a7c15ULL;

		for (uint32_t i = 0; i < BUF_BYTES; i++)
			buf[i] = (uint8_t)xorshift(&seed);
		for (uint32_t i = 0; i < SORT_N; i++)
			sort_a[i] = (uint32_t)xorshift(&seed);
		sum += primes();
		sum = sum * 3 + crc32_sw(buf, BUF_BYTES);
		sum = sum * 5 + heap_sort(sort_a, SORT_N);
		sum = sum * 7 + hashes(buf, BUF_BYTES);
	}
	return sum;
}
