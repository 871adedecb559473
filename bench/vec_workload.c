// SPDX-License-Identifier: GPL-2.0
/*
 * vec_workload: SVE, Advanced SIMD and crypto throughput, one source built
 * twice (bench/bench.mk, `make bench-vec`): a bare-metal guest on
 * guests/rt/ for `vmm run --sve-vl L` and a static Linux program for
 * qemu-aarch64 -cpu max at the same length (bench/vec.sh compares them).
 * -O3 -march=armv8.6-a+sve+crypto+sha3+sm4+fp16+i8mm+bf16, as tests/acle.
 *
 * Each kernel runs REPS times over a 64 KiB buffer and prints
 * "NAME bytes=B ticks=T freq=F sum=S": the bytes processed, the generic
 * timer's ticks (CNTVCT_EL0, readable at EL0 under Linux and qemu-user),
 * its frequency and a checksum (both sides must agree on it; for the SVE
 * kernels only at the same length).
 */
#include <arm_neon.h>
#include <arm_sve.h>

#ifdef VEC_LINUX
#include <stdint.h>
#include <stdio.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;
#else
#include "rt.h"
#endif

#define noinline	__attribute__((noipa))
#define BUF		65536
#define REPS		16

static u8 buf[BUF] __attribute__((aligned(64)));
static float fa[BUF / 4] __attribute__((aligned(64))), fb[BUF / 4] __attribute__((aligned(64)));

static u64 ticks(void)
{
	u64 t;

	asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t) : : "memory");
	return t;
}

static u64 freq(void)
{
	u64 f;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

/* AES-128 encryption rounds (AESE+AESMC x9, AESE, EOR), ECB over the buffer */
noinline static u32 k_aes(void)
{
	uint8x16_t rk[11], acc = vdupq_n_u8(0);

	for (int i = 0; i < 11; i++)
		rk[i] = vdupq_n_u8((u8)(i * 29 + 7));
	for (int i = 0; i < BUF; i += 16) {
		uint8x16_t b = vld1q_u8(buf + i);

		for (int r = 0; r < 9; r++)
			b = vaesmcq_u8(vaeseq_u8(b, rk[r]));
		b = veorq_u8(vaeseq_u8(b, rk[9]), rk[10]);
		acc = veorq_u8(acc, b);
	}
	return vgetq_lane_u32(vreinterpretq_u32_u8(acc), 0) ^ vgetq_lane_u32(vreinterpretq_u32_u8(acc), 3);
}

/* AES-128 decryption rounds (AESD+AESIMC) */
noinline static u32 k_aesd(void)
{
	uint8x16_t rk[11], acc = vdupq_n_u8(0);

	for (int i = 0; i < 11; i++)
		rk[i] = vdupq_n_u8((u8)(i * 31 + 3));
	for (int i = 0; i < BUF; i += 16) {
		uint8x16_t b = vld1q_u8(buf + i);

		for (int r = 0; r < 9; r++)
			b = vaesimcq_u8(vaesdq_u8(b, rk[r]));
		b = veorq_u8(vaesdq_u8(b, rk[9]), rk[10]);
		acc = veorq_u8(acc, b);
	}
	return vgetq_lane_u32(vreinterpretq_u32_u8(acc), 1);
}

/* SHA-256 compression: 16 rounds of 4 (SHA256H/H2), schedule SU0/SU1 */
noinline static u32 k_sha256(void)
{
	uint32x4_t abcd = vdupq_n_u32(0x6a09e667), efgh = vdupq_n_u32(0x510e527f);
	const uint32x4_t k = vdupq_n_u32(0x428a2f98);

	for (int i = 0; i < BUF; i += 64) {
		uint32x4_t w0 = vld1q_u32((const u32 *)(buf + i)), w1 = vld1q_u32((const u32 *)(buf + i + 16));
		uint32x4_t w2 = vld1q_u32((const u32 *)(buf + i + 32)), w3 = vld1q_u32((const u32 *)(buf + i + 48));
		uint32x4_t a0 = abcd, e0 = efgh;

		for (int r = 0; r < 16; r++) {
			uint32x4_t wk = vaddq_u32(w0, k), t = abcd, w4;

			abcd = vsha256hq_u32(abcd, efgh, wk);
			efgh = vsha256h2q_u32(efgh, t, wk);
			w4 = vsha256su1q_u32(vsha256su0q_u32(w0, w1), w2, w3);
			w0 = w1, w1 = w2, w2 = w3, w3 = w4;
		}
		abcd = vaddq_u32(abcd, a0);
		efgh = vaddq_u32(efgh, e0);
	}
	return vgetq_lane_u32(abcd, 0) ^ vgetq_lane_u32(efgh, 2);
}

/* SHA-512 compression: 40 rounds of 2 (SHA512H/H2/SU0/SU1) */
noinline static u32 k_sha512(void)
{
	uint64x2_t s0 = vdupq_n_u64(0x6a09e667f3bcc908ull), s1 = vdupq_n_u64(0xbb67ae8584caa73bull);
	uint64x2_t s2 = vdupq_n_u64(0x3c6ef372fe94f82bull), s3 = vdupq_n_u64(0xa54ff53a5f1d36f1ull);

	for (int i = 0; i < BUF; i += 128) {
		uint64x2_t w[8];

		for (int j = 0; j < 8; j++)
			w[j] = vld1q_u64((const u64 *)(buf + i + 16 * j));
		for (int r = 0; r < 40; r++) {
			uint64x2_t t = vsha512hq_u64(s0, s1, vaddq_u64(w[r & 7], s2));

			s2 = vsha512h2q_u64(t, s3, s0);
			s3 = s1, s1 = s0, s0 = t;
			w[r & 7] = vsha512su1q_u64(vsha512su0q_u64(w[r & 7], w[(r + 1) & 7]), w[(r + 7) & 7],
						   w[(r + 4) & 7]);
		}
	}
	return (u32)(vgetq_lane_u64(s0, 0) ^ vgetq_lane_u64(s2, 1));
}

/* GHASH-style: PMULL/PMULL2 carry-less products and their reduction-free fold */
noinline static u32 k_pmull(void)
{
	poly64x2_t h = vreinterpretq_p64_u8(vdupq_n_u8(0x87));
	uint8x16_t acc = vdupq_n_u8(0);

	for (int i = 0; i < BUF; i += 16) {
		poly64x2_t x = vreinterpretq_p64_u8(veorq_u8(vld1q_u8(buf + i), acc));
		poly128_t lo = vmull_p64(vgetq_lane_p64(x, 0), vgetq_lane_p64(h, 0));
		poly128_t hi = vmull_high_p64(x, h);

		acc = veorq_u8(vreinterpretq_u8_p128(lo), vreinterpretq_u8_p128(hi));
	}
	return vgetq_lane_u32(vreinterpretq_u32_u8(acc), 2);
}

/* Keccak-style lanes: EOR3, RAX1, XAR, BCAX (FEAT_SHA3) */
noinline static u32 k_sha3(void)
{
	uint64x2_t a = vdupq_n_u64(1), b = vdupq_n_u64(2), c = vdupq_n_u64(3);

	for (int i = 0; i < BUF; i += 16) {
		uint64x2_t x = vld1q_u64((const u64 *)(buf + i));

		a = veor3q_u64(a, x, c);
		b = vrax1q_u64(a, b);
		c = vxarq_u64(b, x, 13);
		a = vbcaxq_u64(a, c, b);
	}
	return (u32)(vgetq_lane_u64(a, 0) ^ vgetq_lane_u64(c, 1));
}

/* SM4 rounds (SM4E) */
noinline static u32 k_sm4(void)
{
	uint32x4_t acc = vdupq_n_u32(0), k = vdupq_n_u32(0x01234567);

	for (int i = 0; i < BUF; i += 16) {
		uint32x4_t b = vld1q_u32((const u32 *)(buf + i));

		for (int r = 0; r < 8; r++)
			b = vsm4eq_u32(b, k);
		acc = veorq_u32(acc, b);
	}
	return vgetq_lane_u32(acc, 3);
}

/* CRC-32C over the buffer, 8 bytes a step */
noinline static u32 k_crc32c(void)
{
	u32 c = ~0u;

	for (int i = 0; i < BUF; i += 8)
		c = __builtin_aarch64_crc32cx(c, *(const u64 *)(buf + i));
	return c;
}

/* Advanced SIMD: float multiply-add over the arrays (FMLA .4s) */
noinline static u32 k_neon_fma(void)
{
	float32x4_t acc = vdupq_n_f32(0);

	for (int i = 0; i < BUF / 4; i += 4)
		acc = vfmaq_f32(acc, vld1q_f32(fa + i), vld1q_f32(fb + i));
	return (u32)(vaddvq_f32(acc) * 16.0f);
}

/* SVE: saxpy, predicated by WHILELT */
noinline static u32 k_sve_saxpy(void)
{
	const int n = BUF / 4;

	for (int i = 0; i < n; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, n);

		svst1_f32(pg, fb + i, svmla_n_f32_x(pg, svld1_f32(pg, fb + i), svld1_f32(pg, fa + i), 0.5f));
	}
	return (u32)(int)fb[n / 3];
}

/* SVE: int8 dot product (SDOT) and a reduction */
noinline static u32 k_sve_sdot(void)
{
	svint32_t acc = svdup_n_s32(0);

	for (int i = 0; i < BUF; i += (int)svcntb()) {
		svbool_t pg = svwhilelt_b8(i, BUF);

		acc = svdot_s32(acc, svld1_s8(pg, (const int8_t *)buf + i),
				svld1_s8(pg, (const int8_t *)buf + (BUF - 1 - i) / 2));
	}
	return (u32)svaddv_s32(svptrue_b32(), acc);
}

/* SVE: a gather of 32-bit words by index */
noinline static u32 k_sve_gather(void)
{
	const int n = BUF / 4;
	svuint32_t acc = svdup_n_u32(0);

	for (int i = 0; i < n; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, n);
		svuint32_t idx = svand_n_u32_x(pg, svld1_u32(pg, (const u32 *)buf + i), n - 1);

		acc = svadd_u32_m(pg, acc, svld1_gather_u32index_u32(pg, (const u32 *)buf, idx));
	}
	return (u32)svaddv_u32(svptrue_b32(), acc);
}

/* SVE: the -O3 auto-vectorised byte copy with a transform */
noinline static u32 k_sve_autovec(void)
{
	static u8 out[BUF];

	for (int i = 0; i < BUF; i++)
		out[i] = (u8)(buf[i] * 3 + (buf[BUF - 1 - i] >> 2));
	return out[77] | out[BUF - 5] << 8;
}

struct kernel {
	const char *name;
	u32 (*fn)(void);
};

static const struct kernel kernels[] = {
	{ "aes-enc", k_aes }, { "aes-dec", k_aesd }, { "sha256", k_sha256 },
	{ "sha512", k_sha512 }, { "pmull", k_pmull }, { "sha3", k_sha3 },
	{ "sm4", k_sm4 }, { "crc32c", k_crc32c }, { "neon-fma", k_neon_fma },
	{ "sve-saxpy", k_sve_saxpy }, { "sve-sdot", k_sve_sdot },
	{ "sve-gather", k_sve_gather }, { "sve-autovec", k_sve_autovec },
};

noinline static int run(void)
{
	u64 vl;

	asm volatile("msr fpcr, xzr\n\trdvl %0, #8" : "=r"(vl));
	for (int i = 0; i < BUF; i++)
		buf[i] = (u8)(i * 2654435761u >> 13);
	for (int i = 0; i < BUF / 4; i++) {
		fa[i] = (float)(i % 97) * 0.25f;
		fb[i] = (float)(i % 89) * 0.5f;
	}
	printf("vl=%u\n", (unsigned int)vl);
	for (unsigned int k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		u32 sum = 0;
		u64 t0 = ticks(), t1;

		for (int r = 0; r < REPS; r++)
			sum = sum * 31 + kernels[k].fn();
		t1 = ticks();
		printf("%s bytes=%u ticks=%llu freq=%llu sum=%08x\n", kernels[k].name, BUF * REPS,
		       (unsigned long long)(t1 - t0), (unsigned long long)freq(), sum);
	}
	return 0;
}

#ifdef VEC_LINUX
int main(void)
{
	return run();
}
#else
/* the identity map of tests/acle/acle.c: RAM Normal, the first GiB Device */
static u64 l1[512] __attribute__((aligned(4096)));

__attribute__((target("general-regs-only"))) int main(void)
{
	l1[0] = 0x00000000UL | 0x1UL | 1UL << 2 | 1UL << 10 | 3UL << 53;
	l1[2] = RAM_BASE | 0x1UL | 3UL << 8 | 1UL << 10;
	dsb(sy);
	write_sysreg(0xffUL | 0x04UL << 8, mair_el1);
	write_sysreg(25UL | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 2UL << 32, tcr_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr0_el1);
	isb();
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
	isb();
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN | CPACR_ZEN, cpacr_el1);
	isb();
	write_sysreg(0xf, S3_0_C1_C2_0);	/* ZCR_EL1.LEN: the largest */
	isb();
	return run();
}
#endif
