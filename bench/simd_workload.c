// SPDX-License-Identifier: GPL-2.0
/*
 * An FP/Advanced SIMD workload (not SVE), built twice from this one source
 * like workload.c: as a freestanding vkvm guest (simd_start.S, guest.ld) and
 * as a static aarch64 Linux program for qemu-aarch64 (workload_user.c).
 * -O3 -march=armv8-a, no library calls.  Per iteration, on re-seeded data:
 *
 *   sgemm   C = A x B, 48x48 floats, auto-vectorised (FMLA/FMUL .4s)
 *   copy    a 32 KiB byte copy, auto-vectorised (LDP/STP Q)
 *   strlen  the lengths of 64 strings in that buffer, NEON intrinsics:
 *           16 bytes at a time, CMEQ + UMAXV, then the first zero byte
 *   fsum    a float dot product, NEON intrinsics (FMLA .4s, FADDP)
 *
 * The instruction count is a + b * iterations exactly (cpu_bench measures
 * a and b by single-stepping under vkvm).
 */
#include <arm_neon.h>
#include <stdint.h>

#include "workload.h"

#define MN		48
#define COPY_BYTES	32768
#define NSTR		64

static float ma[MN][MN], mb[MN][MN], mc[MN][MN];
static uint8_t src[COPY_BYTES + 16], dst[COPY_BYTES + 16];

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

__attribute__((noinline)) static void sgemm(void)
{
	for (int i = 0; i < MN; i++) {
		for (int j = 0; j < MN; j++)
			mc[i][j] = 0.0f;
		for (int k = 0; k < MN; k++) {
			float a = ma[i][k];

			for (int j = 0; j < MN; j++)
				mc[i][j] += a * mb[k][j];
		}
	}
}

__attribute__((noinline)) static void copy(uint8_t *restrict d, const uint8_t *restrict s,
					    uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		d[i] = s[i];
}

/* strlen, 16 bytes a step (the buffer has 16 bytes of slack at its end) */
__attribute__((noinline)) static uint32_t vstrlen(const uint8_t *s)
{
	const uint8_t *p = s;

	for (;;) {
		uint8x16_t z = vceqq_u8(vld1q_u8(p), vdupq_n_u8(0));

		if (vmaxvq_u8(z)) {
			while (*p)
				p++;
			return (uint32_t)(p - s);
		}
		p += 16;
	}
}

__attribute__((noinline)) static float fdot(const float *x, const float *y, int n)
{
	float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f);
	int i;

	for (i = 0; i + 8 <= n; i += 8) {
		acc0 = vfmaq_f32(acc0, vld1q_f32(x + i), vld1q_f32(y + i));
		acc1 = vfmaq_f32(acc1, vld1q_f32(x + i + 4), vld1q_f32(y + i + 4));
	}
	return vaddvq_f32(vaddq_f32(acc0, acc1));
}

static uint32_t fbits(float f)
{
	union { float f; uint32_t u; } u = { f };

	return u.u;
}

uint64_t workload(uint32_t iters)
{
	uint64_t sum = 0;

	for (uint32_t it = 0; it < iters; it++) {
		uint32_t seed = 2024, h = 0;

		for (int i = 0; i < MN; i++)
			for (int j = 0; j < MN; j++) {
				ma[i][j] = (float)(int)(lcg(&seed) & 0xfff) / 512.0f - 4.0f;
				mb[i][j] = (float)(int)(lcg(&seed) & 0xfff) / 256.0f;
			}
		sgemm();
		for (int i = 0; i < MN; i++)
			h = (h ^ fbits(mc[i][(i * 7) % MN])) * 16777619u;
		h ^= fbits(fdot(&mc[0][0], &ma[0][0], MN * MN));

		/* non-zero bytes with a zero every 1..1024 bytes */
		for (uint32_t i = 0; i < COPY_BYTES; i++)
			src[i] = (uint8_t)(lcg(&seed) | 1);
		for (uint32_t i = 0; i < NSTR; i++)
			src[(lcg(&seed) % COPY_BYTES)] = 0;
		src[COPY_BYTES - 1] = 0;
		copy(dst, src, COPY_BYTES);
		for (uint32_t off = 0, k = 0; k < NSTR && off < COPY_BYTES; k++) {
			uint32_t len = vstrlen(dst + off);

			h = (h ^ len) * 16777619u;
			off += len + 1;
		}
		h = (h ^ dst[lcg(&seed) % COPY_BYTES]) * 16777619u;
		sum = sum * 31 + h;
	}
	return sum;
}
