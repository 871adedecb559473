// SPDX-License-Identifier: GPL-2.0
/*
 * acle: each advertised extension through its ACLE intrinsics (arm_neon.h,
 * arm_sve.h, arm_acle.h) and a set of loops GCC auto-vectorises at -O3 for
 * SVE, built with -O3 -march=armv8.6-a+sve+crypto+sha3+sm4+fp16+fp16fml+
 * i8mm+bf16+rcpc.  One source, two builds: a bare-metal guest on
 * guests/rt/ for `vmm run --sve-vl L`, and a static Linux program for
 * qemu-aarch64 -cpu max at the same length.  Each test prints
 * "NAME=CHECKSUM" (FNV-1a over its results); tests/acle/acle.sh compares
 * the two outputs line by line at 128, 512 and 2048 bits.
 *
 * The inputs are a deterministic mix of random bit patterns (NaNs,
 * infinities, subnormals included) and ordinary values.  FPCR is zero in
 * both builds.  An exception in the guest ends the run (guests/rt reports
 * it with the frame), so a missing line is the failure's sign.  The guest
 * turns its MMU on first (an identity map, RAM Normal): with the MMU off
 * all memory is Device, where unaligned accesses fault and the non-fault
 * loads load nothing.
 */
#include <arm_acle.h>
#include <arm_neon.h>
#include <arm_sve.h>

#ifdef ACLE_LINUX
#include <stdint.h>
#include <stdio.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
#else
#include "rt.h"
#endif

#define noinline	__attribute__((noipa))
#define ALIGNED		__attribute__((aligned(64)))

#define NV	64		/* 16-byte vectors per Advanced SIMD test */
#define NB	(NV * 16)
#define NS	4096		/* bytes of each SVE operand (2048-bit VL: 16 vectors) */

static u8 A[NS] ALIGNED, B[NS] ALIGNED, C[NS] ALIGNED;
static u8 R[NS * 20] ALIGNED;	/* results: at most 19 SVE operands (t_sve_fp) */
static u32 seed;

static u32 rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8 ^ seed << 13;
}

/* FNV-1a, scalar */
noinline static u32 fnv(const void *p, unsigned long len)
{
	const volatile u8 *b = p;
	u32 h = 2166136261u;

	for (unsigned long i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* random bytes */
static void fill_bits(u8 *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (u8)rnd();
}

/* elements of SIZE bytes: a third random bits, the rest ordinary values */
static void fill_fp(u8 *p, unsigned int n, unsigned int size)
{
	for (unsigned int i = 0; i < n; i += size) {
		u32 r = rnd(), k = r % 3;
		int v = (int)(rnd() % 2001) - 1000;

		if (k == 0) {
			for (unsigned int j = 0; j < size; j++)
				p[i + j] = (u8)rnd();
		} else if (size == 2) {
			_Float16 h = (_Float16)v / (_Float16)(k == 1 ? 8 : 1000);
			__builtin_memcpy(p + i, &h, 2);
		} else if (size == 4) {
			float f = (float)v / (k == 1 ? 8.0f : 977.0f);
			__builtin_memcpy(p + i, &f, 4);
		} else {
			double d = (double)v / (k == 1 ? 8.0 : 977.0);
			__builtin_memcpy(p + i, &d, 8);
		}
	}
}

static void inputs(u32 s, unsigned int fpsize)
{
	seed = s;
	if (fpsize) {
		fill_fp(A, NS, fpsize);
		fill_fp(B, NS, fpsize);
		fill_fp(C, NS, fpsize);
	} else {
		fill_bits(A, NS);
		fill_bits(B, NS);
		fill_bits(C, NS);
	}
	__builtin_memset(R, 0, sizeof(R));
}

static u32 fbits(float f)
{
	u32 u;

	__builtin_memcpy(&u, &f, 4);
	return u;
}

static u64 dbits(double d)
{
	u64 u;

	__builtin_memcpy(&u, &d, 8);
	return u;
}

static void put(const char *name, u32 sum)
{
	printf("%s=%08x\n", name, sum);
}

static void done(const char *name, unsigned long len)
{
	put(name, fnv(R, len));
}

/* ---- Advanced SIMD and scalar extensions ---- */

#define LDQ8(p, i)	vld1q_u8((p) + 16 * (i))
#define LDQ16(p, i)	vld1q_u16((const u16 *)(p) + 8 * (i))
#define LDQ32(p, i)	vld1q_u32((const u32 *)(p) + 4 * (i))
#define LDQ64(p, i)	vld1q_u64((const u64 *)(p) + 2 * (i))
#define STQ8(k, v)	vst1q_u8(R + 16 * (k), (v))
#define STQ16(k, v)	vst1q_u16((u16 *)R + 8 * (k), (v))
#define STQ32(k, v)	vst1q_u32((u32 *)R + 4 * (k), (v))
#define STQ64(k, v)	vst1q_u64((u64 *)R + 2 * (k), (v))

noinline static void t_aes(void)
{
	inputs(1, 0);
	for (int i = 0; i < NV; i++) {
		uint8x16_t a = LDQ8(A, i), k = LDQ8(B, i), e = a, d = a;

		for (int r = 0; r < 10; r++) {
			e = vaesmcq_u8(vaeseq_u8(e, k));
			d = vaesimcq_u8(vaesdq_u8(d, k));
		}
		STQ8(4 * i, e);
		STQ8(4 * i + 1, d);
		STQ8(4 * i + 2, vaesmcq_u8(a));
		STQ8(4 * i + 3, vaesimcq_u8(a));
	}
	done("aes", NB * 4);
}

noinline static void t_pmull(void)
{
	inputs(2, 0);
	for (int i = 0; i < NV; i++) {
		poly64x2_t a = vreinterpretq_p64_u8(LDQ8(A, i)), b = vreinterpretq_p64_u8(LDQ8(B, i));
		poly128_t lo = vmull_p64(vgetq_lane_p64(a, 0), vgetq_lane_p64(b, 0));
		poly128_t hi = vmull_high_p64(a, b);
		poly16x8_t p8 = vmull_p8(vreinterpret_p8_u8(vld1_u8(C + 8 * i)),
					 vreinterpret_p8_u8(vld1_u8(C + 8 * i + 512)));

		STQ8(3 * i, vreinterpretq_u8_p128(lo));
		STQ8(3 * i + 1, vreinterpretq_u8_p128(hi));
		STQ8(3 * i + 2, vreinterpretq_u8_p16(p8));
	}
	done("pmull", NB * 3);
}

noinline static void t_sha1(void)
{
	inputs(3, 0);
	for (int i = 0; i < NV - 3; i++) {
		uint32x4_t abcd = LDQ32(A, i), wk = LDQ32(B, i), w2 = LDQ32(B, i + 1);
		uint32x4_t w3 = LDQ32(B, i + 2);
		u32 e = ((const u32 *)C)[i];

		abcd = vsha1cq_u32(abcd, e, wk);
		e = vsha1h_u32(e ^ vgetq_lane_u32(abcd, 0));
		abcd = vsha1pq_u32(abcd, e, w2);
		abcd = vsha1mq_u32(abcd, vsha1h_u32(e), w3);
		STQ32(3 * i, abcd);
		STQ32(3 * i + 1, vsha1su0q_u32(wk, w2, w3));
		STQ32(3 * i + 2, vsha1su1q_u32(wk, w3));
	}
	done("sha1", NB * 3);
}

noinline static void t_sha2(void)
{
	inputs(4, 0);
	for (int i = 0; i < NV - 3; i++) {
		uint32x4_t abcd = LDQ32(A, i), efgh = LDQ32(A, i + 1), wk = LDQ32(B, i);
		uint32x4_t w1 = LDQ32(C, i), w2 = LDQ32(C, i + 1), w3 = LDQ32(C, i + 2), t;

		t = vsha256hq_u32(abcd, efgh, wk);
		efgh = vsha256h2q_u32(efgh, abcd, wk);
		STQ32(4 * i, t);
		STQ32(4 * i + 1, efgh);
		STQ32(4 * i + 2, vsha256su0q_u32(wk, w1));
		STQ32(4 * i + 3, vsha256su1q_u32(w1, w2, w3));
	}
	done("sha2", NB * 4);
}

noinline static void t_sha512(void)
{
	inputs(5, 0);
	for (int i = 0; i < NV - 3; i++) {
		uint64x2_t a = LDQ64(A, i), b = LDQ64(B, i), c = LDQ64(C, i), d = LDQ64(C, i + 1);

		STQ64(4 * i, vsha512hq_u64(a, b, c));
		STQ64(4 * i + 1, vsha512h2q_u64(a, b, d));
		STQ64(4 * i + 2, vsha512su0q_u64(b, c));
		STQ64(4 * i + 3, vsha512su1q_u64(a, c, d));
	}
	done("sha512", NB * 4);
}

noinline static void t_sha3(void)
{
	inputs(6, 0);
	for (int i = 0; i < NV; i++) {
		uint64x2_t a = LDQ64(A, i), b = LDQ64(B, i), c = LDQ64(C, i);

		STQ64(5 * i, veor3q_u64(a, b, c));
		STQ64(5 * i + 1, vrax1q_u64(a, b));
		STQ64(5 * i + 2, vxarq_u64(a, c, 17));
		STQ64(5 * i + 3, vbcaxq_u64(a, b, c));
		STQ8(5 * i + 4, vbcaxq_u8(LDQ8(C, i), LDQ8(A, i), LDQ8(B, i)));
	}
	done("sha3", NB * 5);
}

noinline static void t_sm3(void)
{
	inputs(7, 0);
	for (int i = 0; i < NV - 2; i++) {
		uint32x4_t a = LDQ32(A, i), b = LDQ32(B, i), c = LDQ32(C, i), d = LDQ32(C, i + 1);
		uint32x4_t ss1 = vsm3ss1q_u32(a, b, c);

		STQ32(7 * i, ss1);
		STQ32(7 * i + 1, vsm3tt1aq_u32(a, ss1, d, 0));
		STQ32(7 * i + 2, vsm3tt1bq_u32(a, ss1, d, 3));
		STQ32(7 * i + 3, vsm3tt2aq_u32(b, ss1, c, 1));
		STQ32(7 * i + 4, vsm3tt2bq_u32(b, ss1, c, 2));
		STQ32(7 * i + 5, vsm3partw1q_u32(a, b, c));
		STQ32(7 * i + 6, vsm3partw2q_u32(a, b, d));
	}
	done("sm3", NB * 7);
}

noinline static void t_sm4(void)
{
	inputs(8, 0);
	for (int i = 0; i < NV; i++) {
		uint32x4_t a = LDQ32(A, i), b = LDQ32(B, i), k = LDQ32(C, i);

		for (int r = 0; r < 8; r++) {
			k = vsm4ekeyq_u32(k, b);
			a = vsm4eq_u32(a, k);
		}
		STQ32(2 * i, a);
		STQ32(2 * i + 1, k);
	}
	done("sm4", NB * 2);
}

noinline static void t_crc32(void)
{
	u32 c = 0xffffffff, cc = 0;

	inputs(9, 0);
	for (int i = 0; i < NB; i += 16) {
		c = __crc32b(c, A[i]);
		c = __crc32h(c, *(const u16 *)(A + i + 2));
		c = __crc32w(c, *(const u32 *)(A + i + 4));
		c = __crc32d(c, *(const u64 *)(A + i + 8));
		cc = __crc32cb(cc, B[i]);
		cc = __crc32ch(cc, *(const u16 *)(B + i + 2));
		cc = __crc32cw(cc, *(const u32 *)(B + i + 4));
		cc = __crc32cd(cc, *(const u64 *)(B + i + 8));
	}
	put("crc32", c ^ cc * 3);
}

noinline static void t_fp16(void)
{
	inputs(10, 2);
	for (int i = 0; i < NV; i++) {
		float16x8_t a = vreinterpretq_f16_u8(LDQ8(A, i)), b = vreinterpretq_f16_u8(LDQ8(B, i));
		float16x8_t c = vreinterpretq_f16_u8(LDQ8(C, i));
		int16x8_t ia = vreinterpretq_s16_u8(LDQ8(C, i));
		float16x4_t lo = vget_low_f16(a);
		float16_t s;

		STQ8(16 * i, vreinterpretq_u8_f16(vaddq_f16(a, b)));
		STQ8(16 * i + 1, vreinterpretq_u8_f16(vmulq_f16(a, b)));
		STQ8(16 * i + 2, vreinterpretq_u8_f16(vdivq_f16(a, b)));
		STQ8(16 * i + 3, vreinterpretq_u8_f16(vfmaq_f16(c, a, b)));
		STQ8(16 * i + 4, vreinterpretq_u8_f16(vsqrtq_f16(a)));
		STQ8(16 * i + 5, vreinterpretq_u8_f16(vmaxnmq_f16(a, b)));
		STQ8(16 * i + 6, vreinterpretq_u8_f16(vabdq_f16(a, c)));
		STQ8(16 * i + 7, vreinterpretq_u8_f16(vcvtq_f16_s16(ia)));
		STQ8(16 * i + 8, vreinterpretq_u8_s16(vcvtq_s16_f16(a)));
		STQ8(16 * i + 9, vreinterpretq_u8_f16(vrndnq_f16(b)));
		STQ8(16 * i + 10, vreinterpretq_u8_f16(vrecpeq_f16(a)));
		STQ8(16 * i + 11, vreinterpretq_u8_f16(vrsqrteq_f16(b)));
		STQ8(16 * i + 12, vreinterpretq_u8_u16(vcgeq_f16(a, b)));
		STQ8(16 * i + 13, vreinterpretq_u8_f16(vfmaq_laneq_f16(c, a, b, 5)));
		STQ8(16 * i + 14, vreinterpretq_u8_f32(vcvt_f32_f16(lo)));
		s = vaddh_f16(vgetq_lane_f16(a, 1), vgetq_lane_f16(b, 2));
		s = vfmah_f16(s, vgetq_lane_f16(c, 3), vgetq_lane_f16(a, 4));
		s = vdivh_f16(s, vsqrth_f16(vgetq_lane_f16(b, 6)));
		STQ8(16 * i + 15, vreinterpretq_u8_f16(vsetq_lane_f16(vmaxnmvq_f16(c), vdupq_n_f16(s), 7)));
	}
	done("fp16", NB * 16);
}

noinline static void t_fhm(void)
{
	inputs(11, 2);
	for (int i = 0; i < NV; i++) {
		float16x8_t a = vreinterpretq_f16_u8(LDQ8(A, i)), b = vreinterpretq_f16_u8(LDQ8(B, i));
		float32x4_t r = vreinterpretq_f32_u8(LDQ8(C, i));

		STQ8(5 * i, vreinterpretq_u8_f32(vfmlalq_low_f16(r, a, b)));
		STQ8(5 * i + 1, vreinterpretq_u8_f32(vfmlalq_high_f16(r, a, b)));
		STQ8(5 * i + 2, vreinterpretq_u8_f32(vfmlslq_low_f16(r, a, b)));
		STQ8(5 * i + 3, vreinterpretq_u8_f32(vfmlslq_high_f16(r, a, b)));
		STQ8(5 * i + 4, vreinterpretq_u8_f32(vfmlalq_laneq_high_f16(r, a, b, 6)));
	}
	done("fhm", NB * 5);
}

noinline static void t_dotprod(void)
{
	inputs(12, 0);
	for (int i = 0; i < NV; i++) {
		uint8x16_t a = LDQ8(A, i), b = LDQ8(B, i);
		uint32x4_t r = LDQ32(C, i);

		STQ32(4 * i, vdotq_u32(r, a, b));
		STQ32(4 * i + 1, vreinterpretq_u32_s32(vdotq_s32(vreinterpretq_s32_u32(r),
				vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b))));
		STQ32(4 * i + 2, vreinterpretq_u32_s32(vdotq_laneq_s32(vreinterpretq_s32_u32(r),
				vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b), 3)));
		STQ32(4 * i + 3, vdotq_laneq_u32(r, a, b, 1));
	}
	done("dotprod", NB * 4);
}

noinline static void t_rdm(void)
{
	inputs(13, 0);
	for (int i = 0; i < NV; i++) {
		int16x8_t a = vreinterpretq_s16_u8(LDQ8(A, i)), b = vreinterpretq_s16_u8(LDQ8(B, i));
		int16x8_t c = vreinterpretq_s16_u8(LDQ8(C, i));
		int32x4_t a4 = vreinterpretq_s32_s16(a), b4 = vreinterpretq_s32_s16(b);
		int32x4_t c4 = vreinterpretq_s32_s16(c);

		STQ16(5 * i, vreinterpretq_u16_s16(vqrdmlahq_s16(c, a, b)));
		STQ16(5 * i + 1, vreinterpretq_u16_s16(vqrdmlshq_s16(c, a, b)));
		STQ32(5 * i + 2, vreinterpretq_u32_s32(vqrdmlahq_s32(c4, a4, b4)));
		STQ32(5 * i + 3, vreinterpretq_u32_s32(vqrdmlshq_laneq_s32(c4, a4, b4, 2)));
		STQ16(5 * i + 4, vreinterpretq_u16_s16(vqrdmlahq_laneq_s16(c, a, b, 7)));
	}
	put("rdm", fnv(R, NB * 5) ^ (u32)(u16)vqrdmlahh_s16(0x1234, -0x7000, 0x7fff));
}

noinline static void t_fcma(void)
{
	inputs(14, 4);
	for (int i = 0; i < NV; i++) {
		float32x4_t a = vreinterpretq_f32_u8(LDQ8(A, i)), b = vreinterpretq_f32_u8(LDQ8(B, i));
		float32x4_t c = vreinterpretq_f32_u8(LDQ8(C, i));
		float16x8_t ah = vreinterpretq_f16_u8(LDQ8(A, i)), bh = vreinterpretq_f16_u8(LDQ8(B, i));
		float16x8_t ch = vreinterpretq_f16_u8(LDQ8(C, i));

		STQ8(8 * i, vreinterpretq_u8_f32(vcaddq_rot90_f32(a, b)));
		STQ8(8 * i + 1, vreinterpretq_u8_f32(vcaddq_rot270_f32(a, b)));
		STQ8(8 * i + 2, vreinterpretq_u8_f32(vcmlaq_f32(c, a, b)));
		STQ8(8 * i + 3, vreinterpretq_u8_f32(vcmlaq_rot90_f32(c, a, b)));
		STQ8(8 * i + 4, vreinterpretq_u8_f32(vcmlaq_rot180_f32(c, a, b)));
		STQ8(8 * i + 5, vreinterpretq_u8_f32(vcmlaq_rot270_f32(c, a, b)));
		STQ8(8 * i + 6, vreinterpretq_u8_f16(vcmlaq_f16(ch, ah, bh)));
		STQ8(8 * i + 7, vreinterpretq_u8_f16(vcaddq_rot90_f16(ah, bh)));
	}
	done("fcma", NB * 8);
}

noinline static void t_i8mm(void)
{
	inputs(15, 0);
	for (int i = 0; i < NV; i++) {
		uint8x16_t a = LDQ8(A, i), b = LDQ8(B, i);
		int8x16_t sa = vreinterpretq_s8_u8(a), sb = vreinterpretq_s8_u8(b);
		int32x4_t r = vreinterpretq_s32_u8(LDQ8(C, i));

		STQ8(6 * i, vreinterpretq_u8_s32(vmmlaq_s32(r, sa, sb)));
		STQ8(6 * i + 1, vreinterpretq_u8_u32(vmmlaq_u32(vreinterpretq_u32_s32(r), a, b)));
		STQ8(6 * i + 2, vreinterpretq_u8_s32(vusmmlaq_s32(r, a, sb)));
		STQ8(6 * i + 3, vreinterpretq_u8_s32(vusdotq_s32(r, a, sb)));
		STQ8(6 * i + 4, vreinterpretq_u8_s32(vusdotq_laneq_s32(r, a, sb, 2)));
		STQ8(6 * i + 5, vreinterpretq_u8_s32(vsudotq_laneq_s32(r, sa, b, 3)));
	}
	done("i8mm", NB * 6);
}

noinline static void t_bf16(void)
{
	inputs(16, 4);
	for (int i = 0; i < NV; i++) {
		float32x4_t a = vreinterpretq_f32_u8(LDQ8(A, i)), r = vreinterpretq_f32_u8(LDQ8(C, i));
		bfloat16x8_t x = vreinterpretq_bf16_u8(LDQ8(A, i)), y = vreinterpretq_bf16_u8(LDQ8(B, i));

		STQ8(7 * i, vreinterpretq_u8_f32(vbfdotq_f32(r, x, y)));
		STQ8(7 * i + 1, vreinterpretq_u8_f32(vbfdotq_laneq_f32(r, x, y, 3)));
		STQ8(7 * i + 2, vreinterpretq_u8_f32(vbfmmlaq_f32(r, x, y)));
		STQ8(7 * i + 3, vreinterpretq_u8_f32(vbfmlalbq_f32(r, x, y)));
		STQ8(7 * i + 4, vreinterpretq_u8_f32(vbfmlaltq_laneq_f32(r, x, y, 5)));
		STQ8(7 * i + 5, vreinterpretq_u8_bf16(vcvtq_high_bf16_f32(vcvtq_low_bf16_f32(a),
							vreinterpretq_f32_u8(LDQ8(B, i)))));
		STQ8(7 * i + 6, vreinterpretq_u8_bf16(vsetq_lane_bf16(vcvth_bf16_f32(vgetq_lane_f32(a, 2)),
								x, 0)));
	}
	done("bf16", NB * 7);
}

noinline static void t_jscvt(void)
{
	inputs(17, 8);
	for (int i = 0; i < NB / 8; i++) {
		double d = ((const double *)A)[i];

		((u32 *)R)[i] = (u32)__jcvt(d);
		((u32 *)R)[NB / 8 + i] = (u32)__jcvt(d * 1e12);
	}
	done("jscvt", NB);
}

noinline static void t_frintts(void)
{
	inputs(18, 4);
	for (int i = 0; i < NV; i++) {
		float32x4_t a = vreinterpretq_f32_u8(LDQ8(A, i));
		float64x2_t d = vreinterpretq_f64_u8(LDQ8(B, i));

		a = vmulq_n_f32(a, (float)(1 << (i % 32)));
		STQ8(8 * i, vreinterpretq_u8_f32(vrnd32zq_f32(a)));
		STQ8(8 * i + 1, vreinterpretq_u8_f32(vrnd32xq_f32(a)));
		STQ8(8 * i + 2, vreinterpretq_u8_f32(vrnd64zq_f32(a)));
		STQ8(8 * i + 3, vreinterpretq_u8_f32(vrnd64xq_f32(a)));
		STQ8(8 * i + 4, vreinterpretq_u8_f64(vrnd32zq_f64(d)));
		STQ8(8 * i + 5, vreinterpretq_u8_f64(vrnd32xq_f64(d)));
		STQ8(8 * i + 6, vreinterpretq_u8_f64(vrnd64zq_f64(d)));
		STQ8(8 * i + 7, vreinterpretq_u8_f64(vrnd64xq_f64(d)));
	}
	done("frintts", NB * 8);
}

/* LDAPR from the acquire loads (+rcpc), LDAPUR/STLUR (RCPC2), LSE atomics */
noinline static void t_rcpc_lse(void)
{
	static u64 cell[8] ALIGNED;
	u64 acc = 0, v;

	inputs(19, 0);
	for (int i = 0; i < NB / 8; i++) {
		u64 x = ((const u64 *)A)[i];

		cell[i & 7] = x;
		acc += __atomic_load_n(&cell[i & 7], __ATOMIC_ACQUIRE);
		acc += __atomic_load_n((u32 *)&cell[i & 7], __ATOMIC_ACQUIRE);
		acc += __atomic_load_n((u16 *)&cell[i & 7], __ATOMIC_ACQUIRE);
		acc += __atomic_load_n((u8 *)&cell[i & 7], __ATOMIC_ACQUIRE);
		asm volatile("stlur %1, [%2, #-8]\n\tldapur %0, [%2, #-8]"
			     : "=&r"(v) : "r"(x ^ acc), "r"(&cell[1 + (i & 3)]) : "memory");
		acc ^= v;
		asm volatile("ldapursw %0, [%1, #4]" : "=r"(v) : "r"(&cell[i & 7]) : "memory");
		acc += v;
		acc += __atomic_fetch_add(&cell[3], x, __ATOMIC_ACQ_REL);
		acc ^= __atomic_fetch_xor(&cell[4], x >> 3, __ATOMIC_RELAXED);
		acc += __atomic_exchange_n(&cell[5], acc, __ATOMIC_SEQ_CST);
		v = cell[6];
		__atomic_compare_exchange_n(&cell[6], &v, x, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		acc += __atomic_fetch_or(&cell[7], x & 0xf0f0, __ATOMIC_RELEASE);
		acc += __atomic_fetch_and(&cell[2], ~x, __ATOMIC_ACQUIRE);
	}
	put("rcpc-lse", (u32)acc ^ (u32)(acc >> 32) ^ fnv(cell, sizeof(cell)));
}

/* FlagM, FlagM2: no intrinsics; the instructions on NZCV */
noinline static void t_flagm(void)
{
	u32 h = 0;

	inputs(20, 0);
	for (int i = 0; i < NB / 4; i++) {
		u64 x = ((const u32 *)A)[i], nz = (u64)(((const u32 *)B)[i] & 0xf) << 28, f;

		asm volatile("msr nzcv, %1\n\tcfinv\n\trmif %2, #3, #0b1010\n\t"
			     "setf8 %w2\n\tmrs %0, nzcv" : "=r"(f) : "r"(nz), "r"(x) : "cc");
		h = h * 33 + (u32)(f >> 28);
		asm volatile("msr nzcv, %1\n\tsetf16 %w2\n\taxflag\n\tmrs %0, nzcv"
			     : "=r"(f) : "r"(nz), "r"(x) : "cc");
		h = h * 33 + (u32)(f >> 28);
		asm volatile("msr nzcv, %1\n\txaflag\n\tmrs %0, nzcv" : "=r"(f) : "r"(nz) : "cc");
		h = h * 33 + (u32)(f >> 28);
	}
	put("flagm", h);
}

/* ---- SVE through arm_sve.h: VL-dependent results, compared at one VL ---- */

#define NSV	(NS / 4)	/* 32-bit elements of an operand */

noinline static void t_sve_int(void)
{
	const int32_t *a = (const int32_t *)A, *b = (const int32_t *)B, *c = (const int32_t *)C;
	int32_t *r = (int32_t *)R;

	inputs(30, 0);
	for (int i = 0; i < NSV - 3; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, NSV - 3);
		svbool_t pm = svcmpgt_n_s32(pg, svld1_s32(pg, c + i), 0);
		svint32_t x = svld1_s32(pg, a + i), y = svld1_s32(pg, b + i), z = svld1_s32(pg, c + i);
		svint32_t ynz = svsel_s32(svcmpeq_n_s32(pg, y, 0), svdup_n_s32(7), y);

		svst1_s32(pg, r + i, svmla_s32_m(pm, x, y, z));
		svst1_s32(pg, r + NSV + i, svdiv_s32_m(pm, x, ynz));
		svst1_s32(pg, r + 2 * NSV + i, svasrd_n_s32_m(pm, x, 5));
		svst1_s32(pg, r + 3 * NSV + i, svqadd_s32(svlsl_n_s32_x(pg, x, 3), svabs_s32_z(pm, y)));
		svst1_s32(pg, r + 4 * NSV + i,
			  svreinterpret_s32_u32(svcnt_s32_m(svreinterpret_u32_s32(z), pm, x)));
		svst1_s32(pg, r + 5 * NSV + i, svasr_wide_s32_m(pm, x, svreinterpret_u64_s32(y)));
		svst1_s32(pg, r + 6 * NSV + i, svmulh_s32_m(pm, x, y));
		svst1_s32(pg, r + 7 * NSV + i, svrevb_s32_m(x, pm, svextb_s32_x(pg, y)));
		svst1_s32(pg, r + 8 * NSV + i, svreinterpret_s32_u32(svrbit_u32_z(pm,
						svreinterpret_u32_s32(svabd_s32_m(pg, x, y)))));
	}
	done("sve-int", NS * 9 - 96);
}

noinline static void t_sve_perm(void)
{
	const uint32_t *a = (const uint32_t *)A, *b = (const uint32_t *)B;
	uint32_t *r = (uint32_t *)R;
	unsigned int n = svcntw(), k = 0;

	inputs(31, 0);
	for (unsigned int i = 0; i + n <= NSV / 2; i += n) {
		svbool_t pg = svptrue_b32(), pm = svcmplt_n_u32(pg, svld1_u32(pg, b + i), 0x80000000u);
		svuint32_t x = svld1_u32(pg, a + i), y = svld1_u32(pg, b + i);
		svuint32_t idx = svand_n_u32_x(pg, y, 2 * n - 1);

		svst1_u32(pg, r + k, svzip1_u32(x, y)), k += n;
		svst1_u32(pg, r + k, svuzp2_u32(x, y)), k += n;
		svst1_u32(pg, r + k, svtrn1_u32(x, y)), k += n;
		svst1_u32(pg, r + k, svext_u32(x, y, 3)), k += n;
		svst1_u32(pg, r + k, svrev_u32(x)), k += n;
		svst1_u32(pg, r + k, svtbl_u32(x, idx)), k += n;
		svst1_u32(pg, r + k, svsplice_u32(pm, x, y)), k += n;
		svst1_u32(pg, r + k, svcompact_u32(pm, x)), k += n;
		svst1_u32(pg, r + k, svinsr_n_u32(x, a[i + 1])), k += n;
		svst1_u32(pg, r + k, svclastb_u32(pm, y, x)), k += n;
		svst1_u32(pg, r + k, svdup_lane_u32(x, 1)), k += n;
		svst1_u64(svptrue_b64(), (uint64_t *)(r + k), svunpklo_u64(x)), k += n;
		svst1_u16(svptrue_b16(), (uint16_t *)(r + k),
			  svuzp1_u16(svreinterpret_u16_u32(x), svreinterpret_u16_u32(y))), k += n;
		r[k] = svlasta_u32(pm, x) ^ svlastb_u32(pm, y) ^ svclasta_n_u32(pm, 5, x);
		r[k + 1] = 0;
		k += 2;		/* the .D stores stay 8-byte aligned (the guest's Device memory) */
		if (k > NS - 16 * n)
			break;
	}
	done("sve-perm", k * 4);
}

noinline static void t_sve_pred(void)
{
	const uint8_t *a = A, *b = B;
	uint8_t *r = R;
	u32 h = 0;
	unsigned int n = svcntb();

	inputs(32, 0);
	for (unsigned int i = 0; i + n <= NS; i += n) {
		svbool_t all = svptrue_b8(), pg = svwhilelt_b8((int)i, NS - 5);
		svbool_t p = svcmpgt_n_u8(all, svld1_u8(all, a + i), 0xa0);
		svbool_t q = svcmpeq_n_u8(all, svand_n_u8_x(all, svld1_u8(all, b + i), 7), 0);
		svbool_t s;

		s = svbrka_b_z(pg, p);
		svst1_u8(s, r + i, svdup_n_u8(1));
		s = svbrkb_b_m(q, pg, q);
		h = h * 31 + (u32)svcntp_b8(all, s);
		h = h * 31 + (u32)svcntp_b16(svptrue_b16(), svbrkn_b_z(pg, p, q));
		h = h * 31 + (u32)svcntp_b8(all, svbrkpa_b_z(pg, p, q));
		h = h * 31 + (u32)svcntp_b8(all, svbrkpb_b_z(pg, q, p));
		h = h * 31 + (u32)svcntp_b8(all, svpfirst_b(p, q));
		h = h * 31 + (u32)svcntp_b32(svptrue_b32(), svpnext_b32(p, q));
		h = h * 31 + (u32)svptest_any(pg, svnand_b_z(all, p, q)) * 2 +
		    (u32)svptest_first(all, p) * 4 + (u32)svptest_last(all, q);
		h = h * 31 + (u32)svcntp_b16(svptrue_b16(), svzip1_b16(p, q));
		h = h * 31 + (u32)svcntp_b8(all, svunpklo_b(p));
		h = h * 31 + (u32)svcntp_b64(svptrue_b64(), svwhilele_b64_s64((int64_t)i, NS / 2));
	}
	put("sve-pred", h ^ fnv(r, NS));
}

noinline static void t_sve_reduce(void)
{
	u64 h = 0;

	inputs(33, 4);
	for (int i = 0; i < NS / 4; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, NS / 4 - 3), pd = svwhilelt_b64(i, NS / 8);
		svfloat32_t f = svld1_f32(pg, (const float *)A + i);
		svint32_t x = svld1_s32(pg, (const int32_t *)B + i);
		float fa, fm, fx;
		double d = svaddv_f64(pd, svld1_f64(pd, (const double *)C + i));

		fa = svadda_f32(pg, 1.0f, f);
		fm = svmaxnmv_f32(pg, f);
		fx = svminv_f32(pg, f);
		h = h * 31 + (u64)svaddv_s32(pg, x) + (u64)svmaxv_s32(pg, x);
		h = h * 31 + svorv_u32(pg, svreinterpret_u32_s32(x)) + svandv_s32(pg, x);
		h = h * 31 + (u64)svminv_u8(svptrue_b8(), svld1_u8(svptrue_b8(), B + 4 * i));
		h = h * 31 + (u64)svaddv_u8(svptrue_b8(), svld1_u8(svptrue_b8(), A + 4 * i));
		h = h * 31 + fbits(fa) + (u64)fbits(fm) * 7 + fbits(fx);
		h = h * 31 + dbits(d);
	}
	put("sve-reduce", (u32)h ^ (u32)(h >> 32));
}

noinline static void t_sve_fp(void)
{
	const float *a = (const float *)A, *b = (const float *)B, *c = (const float *)C;
	float *r = (float *)R;

	inputs(34, 4);
	for (int i = 0; i < NSV; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, NSV);
		svfloat32_t x = svld1_f32(pg, a + i), y = svld1_f32(pg, b + i), z = svld1_f32(pg, c + i);
		svbool_t pm = svcmpgt_n_f32(pg, z, 0.5f);
		svint32_t ix = svreinterpret_s32_f32(y);

		svst1_f32(pg, r + i, svdiv_f32_m(pm, x, y));
		svst1_f32(pg, r + NSV + i, svsqrt_f32_x(pg, x));
		svst1_f32(pg, r + 2 * NSV + i, svmul_f32_x(pg, svrecpe_f32(x), svrecps_f32(x, y)));
		svst1_f32(pg, r + 3 * NSV + i, svrsqrte_f32(y));
		svst1_f32(pg, r + 4 * NSV + i, svrinta_f32_m(z, pm, x));
		svst1_s32(pg, (int32_t *)r + 5 * NSV + i, svcvt_s32_f32_x(pg, x));
		svst1_f32(pg, r + 6 * NSV + i, svscale_f32_m(pg, x, svasr_n_s32_x(pg, ix, 26)));
		svst1_f32(pg, r + 7 * NSV + i, svexpa_f32(svreinterpret_u32_f32(z)));
		svst1_f32(pg, r + 8 * NSV + i, svtmad_f32(x, svabs_f32_x(pg, y), 3));
		svst1_f32(pg, r + 9 * NSV + i, svtsmul_f32(x, svreinterpret_u32_f32(y)));
		svst1_f32(pg, r + 10 * NSV + i, svtssel_f32(x, svreinterpret_u32_f32(z)));
		svst1_f32(pg, r + 11 * NSV + i, svcmla_f32_m(pg, z, x, y, 90));
		svst1_f32(pg, r + 12 * NSV + i, svcadd_f32_m(pg, x, y, 270));
		svst1_f32(pg, r + 13 * NSV + i, svmla_lane_f32(z, x, y, 2));
		svst1_f32(pg, r + 14 * NSV + i, svmaxnm_n_f32_m(pm, x, 1.0f));
		svst1_f32(pg, r + 15 * NSV + i, svnmsb_f32_m(pm, x, y, z));
		svst1_u32(pg, (uint32_t *)r + 16 * NSV + i,
			  svdup_n_u32_z(svorr_b_z(pg, svcmpuo_f32(pg, x, y), svacge_f32(pg, x, z)), 1));
		svst1_f16(svwhilelt_b16(2 * i, 2 * NSV), (float16_t *)(r + 17 * NSV) + 2 * i,
			  svcvt_f16_f32_x(svptrue_b32(), x));
		if (i < NSV / 2) {
			svbool_t pd = svwhilelt_b64(i, NSV / 2);
			svfloat64_t dx = svld1_f64(pd, (const double *)a + i);

			svst1_f64(pd, (double *)(r + 18 * NSV) + i, svcvt_f64_s64_x(pd,
					svcvt_s64_f64_x(pd, svmul_n_f64_x(pd, dx, 3.0))));
		}
	}
	done("sve-fp", NS * 19);
}

noinline static void t_sve_fp16(void)
{
	const float16_t *a = (const float16_t *)A, *b = (const float16_t *)B, *c = (const float16_t *)C;
	float16_t *r = (float16_t *)R;
	const int n = NS / 2;

	inputs(35, 2);
	for (int i = 0; i < n; i += (int)svcnth()) {
		svbool_t pg = svwhilelt_b16(i, n - 1);
		svfloat16_t x = svld1_f16(pg, a + i), y = svld1_f16(pg, b + i), z = svld1_f16(pg, c + i);
		svbool_t pm = svcmpge_f16(pg, x, y);

		svst1_f16(pg, r + i, svmad_f16_m(pm, x, y, z));
		svst1_f16(pg, r + n + i, svdiv_f16_x(pg, x, y));
		svst1_f16(pg, r + 2 * n + i, svsqrt_f16_m(z, pm, x));
		svst1_f16(pg, r + 3 * n + i, svcmla_f16_x(pg, z, x, y, 180));
		svst1_f16(pg, r + 4 * n + i, svmul_lane_f16(x, y, 7));
		svst1_s16(pg, (int16_t *)r + 5 * n + i, svcvt_s16_f16_z(pm, x));
		svst1_f16(pg, r + 6 * n + i, svrintx_f16_x(pg, svmul_n_f16_x(pg, y, 10)));
		svst1_f16(pg, r + 7 * n + i, svrecpx_f16_x(pg, z));
		svst1_f16(pg, r + 8 * n + i, svsub_n_f16_m(pm, x, 0.5));
	}
	done("sve-fp16", NS * 9);
}

noinline static void t_sve_mem(void)
{
	const uint32_t *a = (const uint32_t *)A;
	uint32_t *r = (uint32_t *)R;
	u32 h = 0;

	inputs(36, 0);
	for (unsigned int i = 0; i < NSV; i++)
		((uint32_t *)C)[i] = (((const uint32_t *)C)[i] % NSV);
	for (int i = 0; i < NSV / 4; i += (int)svcntw()) {
		svbool_t pg = svwhilelt_b32(i, NSV / 4 - 1), pd = svwhilelt_b64(i, NSV / 8);
		svuint32_t idx = svld1_u32(pg, (const uint32_t *)C + i);
		svuint32_t g = svld1_gather_u32index_u32(pg, a, idx);
		svuint64_t off = svlsl_n_u64_x(pd, svand_n_u64_x(pd, svld1uw_u64(pd, (const uint32_t *)C + i),
								   NSV / 2 - 1), 3);
		svuint32x3_t t3 = svld3_u32(pg, a + 3 * i);
		svuint32x2_t t2 = svld2_u32(pg, a + 2 * i);
		svuint32x4_t t4 = svld4_u32(pg, a + 4 * i);

		svst1_u32(pg, r + i, g);
		svst1_scatter_u64offset_u64(pd, (uint64_t *)(r + NSV), off, svld1_u64(pd, (const uint64_t *)B + i));
		svst2_u32(pg, r + 2 * NSV + 2 * i, svcreate2_u32(svget3_u32(t3, 2), svget2_u32(t2, 0)));
		svst1_u32(pg, r + 5 * NSV + i, svadd_u32_x(pg, svget4_u32(t4, 1), svget4_u32(t4, 3)));
		svst1_s32(pg, (int32_t *)r + 6 * NSV + i, svld1sb_s32(pg, (const int8_t *)B + i));
		svst1_u32(pg, r + 7 * NSV + i, svld1uh_u32(pg, (const uint16_t *)B + i));
		svst1_u32(pg, r + 8 * NSV + i, svld1rq_u32(pg, a + i));
		svstnt1_u32(pg, r + 9 * NSV + i, svldnt1_u32(pg, a + NSV / 2 + i));
		svprfb(pg, a + i + 64, SV_PLDL1KEEP);
		svprfw_gather_u32index(pg, a, idx, SV_PLDL2STRM);
		svsetffr();
		svst1_u32(pg, r + 10 * NSV + i, svldff1_u32(pg, a + i));
		h = h * 31 + (u32)svcntp_b32(pg, svrdffr());
		svst1_u32(pg, r + 11 * NSV + i, svldnf1_u32(pg, a + 2 * i));
		h = h * 31 + (u32)svcntp_b32(pg, svrdffr_z(pg));
	}
	put("sve-mem", h ^ fnv(R, NS * 12));
}

noinline static void t_sve_mm(void)
{
	inputs(37, 0);
	for (unsigned int i = 0; i < NS; i += (unsigned int)svcntb()) {
		svbool_t pg = svptrue_b8(), p32 = svptrue_b32();
		svint8_t a = svld1_s8(pg, (const int8_t *)A + i), b = svld1_s8(pg, (const int8_t *)B + i);
		svint32_t c = svld1_s32(p32, (const int32_t *)C + i / 4);
		svfloat32_t fc = svld1_f32(p32, (const float *)C + i / 4);
		svbfloat16_t x = svreinterpret_bf16_s8(a), y = svreinterpret_bf16_s8(b);
		int32_t *r = (int32_t *)R + i / 4;

		svst1_s32(p32, r, svdot_s32(c, a, b));
		svst1_u32(p32, (uint32_t *)r + NS / 4, svdot_lane_u32(svreinterpret_u32_s32(c),
				svreinterpret_u8_s8(a), svreinterpret_u8_s8(b), 3));
		svst1_s32(p32, r + 2 * NS / 4, svmmla_s32(c, a, b));
		svst1_s32(p32, r + 3 * NS / 4, svusmmla_s32(c, svreinterpret_u8_s8(a), b));
		svst1_s32(p32, r + 4 * NS / 4, svusdot_s32(c, svreinterpret_u8_s8(a), b));
		svst1_s32(p32, r + 5 * NS / 4, svsudot_lane_s32(c, a, svreinterpret_u8_s8(b), 1));
		svst1_f32(p32, (float *)r + 6 * NS / 4, svbfdot_f32(fc, x, y));
		svst1_f32(p32, (float *)r + 7 * NS / 4, svbfmmla_f32(fc, x, y));
		svst1_f32(p32, (float *)r + 8 * NS / 4, svbfmlalb_lane_f32(fc, x, y, 6));
		svst1_bf16(svptrue_b16(), (bfloat16_t *)(r + 9 * NS / 4),
			   svcvtnt_bf16_f32_x(svcvt_bf16_f32_x(p32, fc), p32,
					      svreinterpret_f32_s8(b)));
		svst1_f32(p32, (float *)r + 10 * NS / 4, svbfmlalt_f32(fc, x, y));
	}
	done("sve-mm", NS * 11);
}

noinline static void t_sve_count(void)
{
	u64 h = 0;
	int64_t x = 0x7ffffff0;

	inputs(38, 0);
	h = h * 31 + svcntb() + svcnth_pat(SV_VL7) * 3 + svcntw_pat(SV_MUL3) * 5 +
	    svcntd_pat(SV_POW2) * 7;
	for (int i = 0; i < 40; i++) {
		x = svqincw_n_s64(x, 3);
		h = h * 31 + (u64)x;
		x = svqdecd_pat_n_s64(x, SV_VL4, 2);
		h = h * 31 + (u64)svqincb_n_u32((u32)x, 16) + (u64)svqdech_pat_n_s32((int32_t)x, SV_ALL, 1);
	}
	{
		svbool_t pg = svptrue_b64();
		svuint64_t base = svindex_u64(0x1000, 24);
		svuint64_t ad = svadrd_u64base_u64index(base, svindex_u64(3, 5));
		svint32_t ix = svindex_s32(-7, 3);

		svst1_u64(pg, (uint64_t *)R, ad);
		svst1_s32(svptrue_b32(), (int32_t *)R + 512, svqincw_s32(ix, 4));
		svst1_s16(svptrue_b16(), (int16_t *)R + 2048, svqdech_pat_s16(svindex_s16(-32760, 1),
									   SV_VL16, 3));
		svst1_u64(pg, (uint64_t *)R + 1024, svqincp_u64(svindex_u64(~0ull - 20, 1),
								 svptrue_pat_b16(SV_VL32)));
	}
	put("sve-count", (u32)h ^ (u32)(h >> 32) ^ fnv(R, NS * 4));
}

/* ---- GCC's auto-vectorised loops (-O3, SVE) ---- */

#define NL	1021	/* a prime: no vector length divides it */

noinline static void v_saxpy(int n, float a, const float *restrict x, float *restrict y)
{
	for (int i = 0; i < n; i++)
		y[i] = a * x[i] + y[i];
}

noinline static double v_ddot(int n, const double *x, const double *y)
{
	double s = 0;

	for (int i = 0; i < n; i++)
		s += x[i] * y[i];
	return s;
}

noinline static int v_sdot8(int n, const int8_t *x, const int8_t *y)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += x[i] * y[i];
	return s;
}

noinline static unsigned int v_sad(int n, const u8 *x, const u8 *y)
{
	unsigned int s = 0;

	for (int i = 0; i < n; i++)
		s += x[i] > y[i] ? x[i] - y[i] : y[i] - x[i];
	return s;
}

noinline static void v_fp16(int n, _Float16 *restrict r, const _Float16 *x, const _Float16 *y)
{
	for (int i = 0; i < n; i++)
		r[i] = x[i] * y[i] + (_Float16)0.25;
}

noinline static void v_clamp(int n, int16_t *restrict r, const int32_t *x)
{
	for (int i = 0; i < n; i++)
		r[i] = (int16_t)(x[i] > 32767 ? 32767 : x[i] < -32768 ? -32768 : x[i]);
}

noinline static void v_select(int n, int32_t *restrict r, const int32_t *x, const int32_t *y)
{
	for (int i = 0; i < n; i++)
		r[i] = x[i] < y[i] ? x[i] * 3 : y[i] >> 2;
}

struct rgb { u8 r, g, b; };

noinline static void v_gray(int n, u8 *restrict out, const struct rgb *in)
{
	for (int i = 0; i < n; i++)
		out[i] = (u8)((in[i].r * 77 + in[i].g * 150 + in[i].b * 29) >> 8);
}

noinline static void v_gather(int n, float *restrict r, const float *x, const int32_t *idx)
{
	for (int i = 0; i < n; i++)
		r[i] = x[idx[i]] * 2.0f;
}

noinline static void v_divmod(int n, int32_t *restrict q, const int32_t *x, const int32_t *y)
{
	for (int i = 0; i < n; i++)
		q[i] = x[i] / (y[i] | 1);
}

noinline static void v_f2i(int n, int32_t *restrict r, const double *x)
{
	for (int i = 0; i < n; i++)
		r[i] = (int32_t)x[i];
}

noinline static void v_reverse(int n, u64 *restrict r, const u64 *x)
{
	for (int i = 0; i < n; i++)
		r[i] = x[n - 1 - i] >> (i & 63);
}

noinline static u32 v_popcnt(int n, const u64 *x)
{
	u32 s = 0;

	for (int i = 0; i < n; i++)
		s += (u32)__builtin_popcountll(x[i]);
	return s;
}

noinline static void v_widen(int n, int64_t *restrict r, const int16_t *x, const u8 *y)
{
	for (int i = 0; i < n; i++)
		r[i] = (int64_t)x[i] * y[i] - 5;
}

noinline static float v_fmaxf(int n, const float *x)
{
	float m = -__builtin_inff();

	for (int i = 0; i < n; i++)
		m = __builtin_fmaxf(m, x[i]);
	return m;
}

noinline static void v_cmul(int n, float *restrict r, const float *x, const float *y)
{
	for (int i = 0; i < n; i++) {
		r[2 * i] = x[2 * i] * y[2 * i] - x[2 * i + 1] * y[2 * i + 1];
		r[2 * i + 1] = x[2 * i] * y[2 * i + 1] + x[2 * i + 1] * y[2 * i];
	}
}

static float vf_a[NL] ALIGNED, vf_b[NL] ALIGNED, vf_r[2 * NL] ALIGNED;
static double vd_a[NL] ALIGNED, vd_b[NL] ALIGNED;
static int32_t vi_a[NL] ALIGNED, vi_b[NL] ALIGNED, vi_r[NL] ALIGNED;
static int16_t vh_r[NL] ALIGNED;
static int64_t vl_r[NL] ALIGNED;
static _Float16 vhf_a[NL], vhf_b[NL], vhf_r[NL];
static struct rgb vrgb[NL];

noinline static void t_autovec(void)
{
	u32 h;

	inputs(40, 0);
	for (int i = 0; i < NL; i++) {
		vf_a[i] = (float)((int)(rnd() % 20001) - 10000) / 64.0f;
		vf_b[i] = (float)((int)(rnd() % 20001) - 10000) / 512.0f;
		vd_a[i] = (double)((int)(rnd() % 200001) - 100000) / 8.0;
		vd_b[i] = (double)((int)(rnd() % 2001) - 1000) / 16.0;
		vi_a[i] = (int32_t)(rnd() << 4);
		vi_b[i] = (int32_t)(rnd() % NL);
		vhf_a[i] = (_Float16)((int)(rnd() % 401) - 200) / (_Float16)16;
		vhf_b[i] = (_Float16)((int)(rnd() % 401) - 200) / (_Float16)32;
		vrgb[i].r = (u8)rnd();
		vrgb[i].g = (u8)rnd();
		vrgb[i].b = (u8)rnd();
	}
	v_saxpy(NL, 1.75f, vf_a, vf_b);
	put("v-saxpy", fnv(vf_b, sizeof(vf_b)));
	{
		double d = v_ddot(NL, vd_a, vd_b);

		put("v-ddot", fnv(&d, sizeof(d)));
	}
	put("v-sdot8", (u32)v_sdot8(NS - 7, (const int8_t *)A, (const int8_t *)B + 3));
	put("v-sad", v_sad(NS - 1, A + 1, B));
	v_fp16(NL, vhf_r, vhf_a, vhf_b);
	put("v-fp16", fnv(vhf_r, sizeof(vhf_r)));
	v_clamp(NL, vh_r, (const int32_t *)A);
	put("v-clamp", fnv(vh_r, sizeof(vh_r)));
	v_select(NL, vi_r, vi_a, (const int32_t *)C);
	put("v-select", fnv(vi_r, sizeof(vi_r)));
	v_gray(NL, R, vrgb);
	put("v-gray", fnv(R, NL));
	v_gather(NL, vf_r, vf_a, vi_b);
	put("v-gather", fnv(vf_r, NL * 4));
	v_divmod(NL, vi_r, vi_a, (const int32_t *)B);
	put("v-div", fnv(vi_r, sizeof(vi_r)));
	v_f2i(NL, vi_r, vd_a);
	put("v-f2i", fnv(vi_r, sizeof(vi_r)));
	v_reverse(NS / 8, (u64 *)R, (const u64 *)A);
	put("v-reverse", fnv(R, NS));
	put("v-popcnt", v_popcnt(NS / 8 - 1, (const u64 *)C));
	v_widen(NL, vl_r, (const int16_t *)A, B);
	put("v-widen", fnv(vl_r, sizeof(vl_r)));
	{
		float m = v_fmaxf(NL, vf_b);

		put("v-fmax", fnv(&m, sizeof(m)));
	}
	v_cmul(NL / 2, vf_r, vf_a, vf_b);
	h = fnv(vf_r, NL * 4);
	put("v-cmul", h);
}

/*
 * RNDR/RNDRRS: random, so only that they succeed and differ.  FEAT_RNG is
 * not in -march=armv8.6-a (optional from v8.5): this one function adds it.
 */
__attribute__((target("+rng"))) noinline static void t_rng(void)
{
	uint64_t x = 0, y = 0;
	int s1 = __rndr(&x), s2 = __rndrrs(&y);

	printf("rng=%s\n", !s1 && !s2 && x != y ? "ok" : "fail");
}

noinline static int run(void)
{
	unsigned long vl;

	asm volatile("msr fpcr, xzr\n\trdvl %0, #8" : "=r"(vl));
	printf("vl=%u\n", (unsigned int)vl);
	t_aes();
	t_pmull();
	t_sha1();
	t_sha2();
	t_sha512();
	t_sha3();
	t_sm3();
	t_sm4();
	t_crc32();
	t_fp16();
	t_fhm();
	t_dotprod();
	t_rdm();
	t_fcma();
	t_i8mm();
	t_bf16();
	t_jscvt();
	t_frintts();
	t_rcpc_lse();
	t_flagm();
	t_rng();
	t_sve_int();
	t_sve_perm();
	t_sve_pred();
	t_sve_reduce();
	t_sve_fp();
	t_sve_fp16();
	t_sve_mem();
	t_sve_mm();
	t_sve_count();
	t_autovec();
	printf("end\n");
	return 0;
}

#ifdef ACLE_LINUX
int main(void)
{
	return run();
}
#else
/*
 * An identity map with the MMU on, so that the guest's memory is Normal, as
 * a Linux program's is: unaligned accesses and the first-fault and non-fault
 * loads behave as they do under qemu-aarch64.  4K granule, 39-bit VA (the
 * walk starts at level 1): 1 GiB blocks, the first one Device (the UART,
 * the test-exit device), the RAM's Normal write-back.
 */
static u64 l1[512] __attribute__((aligned(4096)));

#define BLOCK_NORMAL	(0x1UL | 0UL << 2 | 3UL << 8 | 1UL << 10)	/* AttrIndx 0, inner shareable, AF */
#define BLOCK_DEVICE	(0x1UL | 1UL << 2 | 1UL << 10 | 3UL << 53)	/* AttrIndx 1, AF, PXN, UXN */
#define MAIR		(0xffUL | 0x04UL << 8)	/* 0: Normal WB, 1: Device-nGnRE */
#define TCR		(25UL | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 2UL << 32)

__attribute__((target("general-regs-only"))) static void mmu_on(void)
{
	l1[0] = 0x00000000UL | BLOCK_DEVICE;
	l1[2] = RAM_BASE | BLOCK_NORMAL;
	dsb(sy);
	write_sysreg(MAIR, mair_el1);
	write_sysreg(TCR, tcr_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr0_el1);
	isb();
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
	isb();
}

/* no FP/SIMD register may be touched (saved) here before FPEN is set */
__attribute__((target("general-regs-only"))) int main(void)
{
	mmu_on();
	/* before any FP or SVE instruction: FPEN, ZEN, and the largest length */
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN | CPACR_ZEN, cpacr_el1);
	isb();
	write_sysreg(0xf, S3_0_C1_C2_0);	/* ZCR_EL1.LEN */
	isb();
	return run();
}
#endif
