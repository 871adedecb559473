// SPDX-License-Identifier: GPL-2.0
/*
 * The Cryptographic Extension (Arm ARM C4.1.96, the "Cryptographic"
 * groups of "Data Processing -- Scalar Floating-Point and Advanced SIMD"):
 * FEAT_AES with FEAT_PMULL (AESE, AESD, AESMC, AESIMC; PMULL/PMULL2 of
 * 64-bit elements), FEAT_SHA1, FEAT_SHA256, FEAT_SHA512, FEAT_SHA3 (EOR3,
 * RAX1, XAR, BCAX), FEAT_SM3 (SM3SS1, SM3TT1A/B, SM3TT2A/B, SM3PARTW1/2)
 * and FEAT_SM4 (SM4E, SM4EKEY), which ID_AA64ISAR0_EL1 advertises
 * (id_regs.c).
 * PMULL of bytes is simd's (PMULL_v).
 *
 * Each instruction reads its whole operands before it writes Vd (which may
 * be one of them) and writes all 128 bits of it (vreg.h), or 32 for
 * SHA1H.  The AES state is the 16 bytes of a V register in the order of
 * FIPS-197's input array: byte r + 4c is row r of column c.
 */
#include "vreg.h"

#define CRYPTO_ENTER(c)							\
	do {								\
		if (!fp_access_ok(c))					\
			return EXEC_STOP;				\
	} while (0)

/* V<n> as bytes, 32-bit words and 64-bit halves, least significant first */
union v128 {
	uint8_t b[16];
	uint32_t w[4];
	uint64_t d[2];
};

static inline union v128 vget(const struct cpu_state *s, unsigned int n)
{
	union v128 v;

	memcpy(v.b, s->z[n], 16);
	return v;
}

static inline void vput(struct cpu_state *s, unsigned int n, const union v128 *v)
{
	vwrite(s, n, v->d, true);
}

static inline uint32_t rol32(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);		/* n in 1..31 */
}

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static inline uint64_t ror64(uint64_t x, unsigned int n)
{
	return n ? x >> n | x << (64 - n) : x;
}

/* ---- AES ------------------------------------------------------------------------ */

/* SubBytes and its inverse: the FIPS-197 S-box, S(x) = A(x^-1) + 0x63 */
static const uint8_t aes_sbox[256] = {
	0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5,
	0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
	0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0,
	0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
	0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc,
	0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
	0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a,
	0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
	0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0,
	0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
	0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b,
	0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
	0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85,
	0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
	0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5,
	0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
	0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17,
	0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
	0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88,
	0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
	0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c,
	0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
	0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9,
	0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
	0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6,
	0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
	0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e,
	0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
	0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94,
	0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
	0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68,
	0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

static const uint8_t aes_inv_sbox[256] = {
	0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38,
	0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
	0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87,
	0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
	0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d,
	0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
	0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2,
	0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
	0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16,
	0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
	0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda,
	0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
	0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a,
	0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
	0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02,
	0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
	0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea,
	0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
	0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85,
	0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
	0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89,
	0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
	0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20,
	0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
	0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31,
	0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
	0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d,
	0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
	0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0,
	0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
	0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26,
	0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

/* a times x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 xtime) */
static inline uint8_t xtime(uint8_t a)
{
	return (uint8_t)(a << 1 ^ (a >> 7) * 0x1b);
}

/* AESE, AESD: AddRoundKey (Vd EOR Vn), then (Inv)ShiftRows and
 * (Inv)SubBytes; row r moves left (AESE) or right (AESD) by r columns */
static int aes_round(struct cpu *c, const struct dinsn *d, bool dec)
{
	struct cpu_state *s = &c->state;
	union v128 x, k, r;

	CRYPTO_ENTER(c);
	x = vget(s, d->rd);
	k = vget(s, d->rn);
	for (unsigned int i = 0; i < 16; i++)
		x.b[i] ^= k.b[i];
	for (unsigned int col = 0; col < 4; col++)
		for (unsigned int row = 0; row < 4; row++) {
			unsigned int from = dec ? (col + 4 - row) & 3 : (col + row) & 3;
			uint8_t b = x.b[row + 4 * from];

			r.b[row + 4 * col] = dec ? aes_inv_sbox[b] : aes_sbox[b];
		}
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/*
 * AESMC, AESIMC: (Inv)MixColumns of Vn, column by column.  MixColumns as
 * xtime and XORs: row r is a_r ^ t ^ xtime(a_r ^ a_r+1), t the XOR of
 * the column (2a_r ^ 3a_r+1 ^ a_r+2 ^ a_r+3).  InvMixColumns is
 * MixColumns after adding x^2 (a_0 ^ a_2) to rows 0 and 2 and x^2 (a_1 ^
 * a_3) to rows 1 and 3 (its circulant 0e 0b 0d 09 factors so).  This
 * replaced 16 shift-and-add GF(2^8) products a column: AES-128 of 1 MiB
 * (bench/vec_workload.c) 0.53 s -> 0.085 s.
 */
static int aes_mix(struct cpu *c, const struct dinsn *d, bool inv)
{
	struct cpu_state *s = &c->state;
	union v128 x, r;

	CRYPTO_ENTER(c);
	x = vget(s, d->rn);
	for (unsigned int col = 0; col < 16; col += 4) {
		uint8_t *a = &x.b[col], t;

		if (inv) {
			uint8_t u = xtime(xtime((uint8_t)(a[0] ^ a[2])));
			uint8_t v = xtime(xtime((uint8_t)(a[1] ^ a[3])));

			a[0] ^= u;
			a[1] ^= v;
			a[2] ^= u;
			a[3] ^= v;
		}
		t = (uint8_t)(a[0] ^ a[1] ^ a[2] ^ a[3]);
		for (unsigned int row = 0; row < 4; row++)
			r.b[col + row] = (uint8_t)(a[row] ^ t ^ xtime((uint8_t)(a[row] ^ a[(row + 1) & 3])));
	}
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

V_ROW(AESE, aes_round, false)
V_ROW(AESD, aes_round, true)
V_ROW(AESMC, aes_mix, false)
V_ROW(AESIMC, aes_mix, true)

/* ---- PMULL/PMULL2 .1Q ----------------------------------------------------------- */

/* Vd = Vn.D[part] * Vm.D[part] over GF(2)[x], 128 bits; part = Q */
static int exec_PMULL_q(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	unsigned int part = BIT(d->insn, 30);
	union v128 n, m, r = { .d = { 0, 0 } };

	CRYPTO_ENTER(c);
	n = vget(s, d->rn);
	m = vget(s, d->rm);
	for (unsigned int i = 0; i < 64; i++)
		if (m.d[part] >> i & 1) {
			r.d[0] ^= n.d[part] << i;
			if (i)
				r.d[1] ^= n.d[part] >> (64 - i);
		}
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* ---- SHA-1 and SHA-256 ---------------------------------------------------------- */

static inline uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z)
{
	return ((y ^ z) & x) ^ z;
}

static inline uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z)
{
	return x ^ y ^ z;
}

static inline uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z)
{
	return (x & y) | ((x | y) & z);
}

typedef uint32_t sha_fn(uint32_t x, uint32_t y, uint32_t z);

/*
 * SHA1C, SHA1P, SHA1M: four rounds on the hash state Qd:Sn (a..d in Qd's
 * words 0..3, e in Sn) with the schedule words of Vm; after each round
 * the 160-bit Sn:Qd rotates left by 32.
 */
static int sha1_hash(struct cpu *c, const struct dinsn *d, sha_fn *f)
{
	struct cpu_state *s = &c->state;
	union v128 x, w;
	uint32_t y;

	CRYPTO_ENTER(c);
	x = vget(s, d->rd);
	y = vget(s, d->rn).w[0];
	w = vget(s, d->rm);
	for (unsigned int e = 0; e < 4; e++) {
		uint32_t top;

		y += rol32(x.w[0], 5) + f(x.w[1], x.w[2], x.w[3]) + w.w[e];
		x.w[1] = rol32(x.w[1], 30);
		top = x.w[3];
		x.w[3] = x.w[2];
		x.w[2] = x.w[1];
		x.w[1] = x.w[0];
		x.w[0] = y;
		y = top;
	}
	vput(s, d->rd, &x);
	return EXEC_NEXT;
}

V_ROW(SHA1C, sha1_hash, sha_choose)
V_ROW(SHA1P, sha1_hash, sha_parity)
V_ROW(SHA1M, sha1_hash, sha_majority)

/* SHA1H: Sd = Sn ROL 30 */
static int exec_SHA1H(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;

	CRYPTO_ENTER(c);
	vset_scalar(s, d->rd, rol32(vget(s, d->rn).w[0], 30), 2);
	return EXEC_NEXT;
}

/* SHA1SU0: (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm */
static int exec_SHA1SU0(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 a, b, m, r;

	CRYPTO_ENTER(c);
	a = vget(s, d->rd);
	b = vget(s, d->rn);
	m = vget(s, d->rm);
	r.d[0] = a.d[1] ^ a.d[0] ^ m.d[0];
	r.d[1] = b.d[0] ^ a.d[1] ^ m.d[1];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* SHA1SU1: T = Vd EOR (Vn >> 32); each word of T ROL 1, the top one
 * also EOR T<31:0> ROL 2 */
static int exec_SHA1SU1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 x, y, r;

	CRYPTO_ENTER(c);
	x = vget(s, d->rd);
	y = vget(s, d->rn);
	for (unsigned int i = 0; i < 4; i++)
		x.w[i] ^= i < 3 ? y.w[i + 1] : 0;
	for (unsigned int i = 0; i < 4; i++)
		r.w[i] = rol32(x.w[i], 1);
	r.w[3] ^= rol32(x.w[0], 2);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

static inline uint32_t sha256_sum0(uint32_t x)
{
	return ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22);
}

static inline uint32_t sha256_sum1(uint32_t x)
{
	return ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25);
}

/*
 * SHA256H, SHA256H2: four rounds on the state X (a..d) and Y (e..h) with
 * the words of W; after each round the 256-bit Y:X rotates left by 32.
 * SHA256H returns X with Qd as X and Qn as Y, SHA256H2 Y with Qn as X and
 * Qd as Y.
 */
static int sha256_hash(struct cpu *c, const struct dinsn *d, bool part1)
{
	struct cpu_state *s = &c->state;
	union v128 x, y, w;

	CRYPTO_ENTER(c);
	x = vget(s, part1 ? d->rd : d->rn);
	y = vget(s, part1 ? d->rn : d->rd);
	w = vget(s, d->rm);
	for (unsigned int e = 0; e < 4; e++) {
		uint32_t t = y.w[3] + sha256_sum1(y.w[0]) +
			     sha_choose(y.w[0], y.w[1], y.w[2]) + w.w[e];
		uint32_t xt = x.w[3] + t;
		uint32_t yt = t + sha256_sum0(x.w[0]) + sha_majority(x.w[0], x.w[1], x.w[2]);

		x.w[3] = x.w[2];
		x.w[2] = x.w[1];
		x.w[1] = x.w[0];
		x.w[0] = yt;
		y.w[3] = y.w[2];
		y.w[2] = y.w[1];
		y.w[1] = y.w[0];
		y.w[0] = xt;
	}
	vput(s, d->rd, part1 ? &x : &y);
	return EXEC_NEXT;
}

V_ROW(SHA256H, sha256_hash, true)
V_ROW(SHA256H2, sha256_hash, false)

static inline uint32_t sha256_sig0(uint32_t x)
{
	return ror32(x, 7) ^ ror32(x, 18) ^ x >> 3;
}

static inline uint32_t sha256_sig1(uint32_t x)
{
	return ror32(x, 17) ^ ror32(x, 19) ^ x >> 10;
}

/* SHA256SU0: Vd + sigma0(Vn<31:0> : Vd<127:32>), word by word */
static int exec_SHA256SU0(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 a, b, r;

	CRYPTO_ENTER(c);
	a = vget(s, d->rd);
	b = vget(s, d->rn);
	for (unsigned int i = 0; i < 4; i++)
		r.w[i] = a.w[i] + sha256_sig0(i < 3 ? a.w[i + 1] : b.w[0]);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* SHA256SU1: Vd + (Vm<31:0> : Vn<127:32>) + sigma1 of Vm's top words,
 * then of the two words just made */
static int exec_SHA256SU1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 a, b, m, r;

	CRYPTO_ENTER(c);
	a = vget(s, d->rd);
	b = vget(s, d->rn);
	m = vget(s, d->rm);
	for (unsigned int i = 0; i < 4; i++)
		r.w[i] = a.w[i] + (i < 3 ? b.w[i + 1] : m.w[0]) +
			 sha256_sig1(i < 2 ? m.w[i + 2] : r.w[i - 2]);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* ---- SHA-512 -------------------------------------------------------------------- */

static inline uint64_t sha512_sum0(uint64_t x)
{
	return ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39);
}

static inline uint64_t sha512_sum1(uint64_t x)
{
	return ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41);
}

static inline uint64_t sha512_sig0(uint64_t x)
{
	return ror64(x, 1) ^ ror64(x, 8) ^ x >> 7;
}

static inline uint64_t sha512_sig1(uint64_t x)
{
	return ror64(x, 19) ^ ror64(x, 61) ^ x >> 6;
}

/* SHA512H: two rounds' Sigma1 + Ch + W part, X = Qn, Y = Vm, W = Qd */
static int exec_SHA512H(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 x, y, w, r;
	uint64_t t;

	CRYPTO_ENTER(c);
	x = vget(s, d->rn);
	y = vget(s, d->rm);
	w = vget(s, d->rd);
	r.d[1] = ((y.d[1] & x.d[0]) ^ (~y.d[1] & x.d[1])) + sha512_sum1(y.d[1]) + w.d[1];
	t = r.d[1] + y.d[0];
	r.d[0] = ((t & y.d[1]) ^ (~t & x.d[0])) + sha512_sum1(t) + w.d[0];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* SHA512H2: two rounds' Sigma0 + Maj part, X = Qn, Y = Vm, W = Qd */
static int exec_SHA512H2(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 x, y, w, r;

	CRYPTO_ENTER(c);
	x = vget(s, d->rn);
	y = vget(s, d->rm);
	w = vget(s, d->rd);
	r.d[1] = ((x.d[0] & y.d[1]) ^ (x.d[0] & y.d[0]) ^ (y.d[1] & y.d[0])) +
		 sha512_sum0(y.d[0]) + w.d[1];
	r.d[0] = ((r.d[1] & y.d[0]) ^ (r.d[1] & y.d[1]) ^ (y.d[1] & y.d[0])) +
		 sha512_sum0(r.d[1]) + w.d[0];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* SHA512SU0: Vd + sigma0(Vn<63:0> : Vd<127:64>), doubleword by doubleword */
static int exec_SHA512SU0(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 w, x, r;

	CRYPTO_ENTER(c);
	w = vget(s, d->rd);
	x = vget(s, d->rn);
	r.d[0] = w.d[0] + sha512_sig0(w.d[1]);
	r.d[1] = w.d[1] + sha512_sig0(x.d[0]);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* SHA512SU1: Vd + sigma1(Vn) + Vm, doubleword by doubleword */
static int exec_SHA512SU1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 w, x, y, r;

	CRYPTO_ENTER(c);
	w = vget(s, d->rd);
	x = vget(s, d->rn);
	y = vget(s, d->rm);
	for (unsigned int i = 0; i < 2; i++)
		r.d[i] = w.d[i] + sha512_sig1(x.d[i]) + y.d[i];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* ---- SHA-3 ---------------------------------------------------------------------- */

/* EOR3: Vn EOR Vm EOR Va; BCAX: Vn EOR (Vm AND NOT Va) */
static int sha3_4reg(struct cpu *c, const struct dinsn *d, bool bcax)
{
	struct cpu_state *s = &c->state;
	union v128 n, m, a, r;

	CRYPTO_ENTER(c);
	n = vget(s, d->rn);
	m = vget(s, d->rm);
	a = vget(s, d->ra);
	for (unsigned int i = 0; i < 2; i++)
		r.d[i] = n.d[i] ^ (bcax ? m.d[i] & ~a.d[i] : m.d[i] ^ a.d[i]);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

V_ROW(EOR3, sha3_4reg, false)
V_ROW(BCAX, sha3_4reg, true)

/* RAX1: Vn EOR (Vm ROL 1); XAR: (Vn EOR Vm) ROR imm6, per doubleword */
static int sha3_rot(struct cpu *c, const struct dinsn *d, bool xar)
{
	struct cpu_state *s = &c->state;
	unsigned int rot = FIELD(d->insn, 15, 10);
	union v128 n, m, r;

	CRYPTO_ENTER(c);
	n = vget(s, d->rn);
	m = vget(s, d->rm);
	for (unsigned int i = 0; i < 2; i++)
		r.d[i] = xar ? ror64(n.d[i] ^ m.d[i], rot) : n.d[i] ^ ror64(m.d[i], 63);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

V_ROW(RAX1, sha3_rot, false)
V_ROW(XAR, sha3_rot, true)

/* ---- SM3 ------------------------------------------------------------------------ */

/* GB/T 32905's permutations: P0 on TT2, P1 in the message expansion */
static inline uint32_t sm3_p0(uint32_t x)
{
	return x ^ rol32(x, 9) ^ rol32(x, 17);
}

static inline uint32_t sm3_p1(uint32_t x)
{
	return x ^ rol32(x, 15) ^ rol32(x, 23);
}

/* SM3SS1: Vd<127:96> = ROL(ROL(Vn<127:96>, 12) + Vm<127:96> + Va<127:96>, 7),
 * the rest zero */
static int exec_SM3SS1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 r = { .d = { 0, 0 } };

	CRYPTO_ENTER(c);
	r.w[3] = rol32(rol32(vget(s, d->rn).w[3], 12) + vget(s, d->rm).w[3] +
		       vget(s, d->ra).w[3], 7);
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/*
 * SM3TT1A/B: one round's TT1 on Vd = D:C:B:A (A in the top word), SS1 in
 * Vn<127:96>, W'j = Vm.S[imm2]; FF is parity (A) or majority (B).  The
 * state moves down a word: A = TT1, B = A, C = ROL(B, 9), D = C.
 */
static int sm3_tt1(struct cpu *c, const struct dinsn *d, sha_fn *ff)
{
	struct cpu_state *s = &c->state;
	unsigned int i = FIELD(d->insn, 13, 12);
	union v128 x, r;
	uint32_t ss2;

	CRYPTO_ENTER(c);
	x = vget(s, d->rd);
	ss2 = vget(s, d->rn).w[3] ^ rol32(x.w[3], 12);
	r.w[3] = ff(x.w[3], x.w[2], x.w[1]) + x.w[0] + ss2 + vget(s, d->rm).w[i];
	r.w[2] = x.w[3];
	r.w[1] = rol32(x.w[2], 9);
	r.w[0] = x.w[1];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* GG of SM3TT2B: (E AND F) OR (NOT E AND G) */
static inline uint32_t sm3_gg1(uint32_t e, uint32_t f, uint32_t g)
{
	return (e & f) | (~e & g);
}

/*
 * SM3TT2A/B: one round's TT2 on Vd = H:G:F:E (E in the top word), SS1 in
 * Vn<127:96>, Wj = Vm.S[imm2]; GG is parity (A) or choice (B).  E = P0(TT2),
 * F = E, G = ROL(F, 19), H = G.
 */
static int sm3_tt2(struct cpu *c, const struct dinsn *d, sha_fn *gg)
{
	struct cpu_state *s = &c->state;
	unsigned int i = FIELD(d->insn, 13, 12);
	union v128 x, r;
	uint32_t tt2;

	CRYPTO_ENTER(c);
	x = vget(s, d->rd);
	tt2 = gg(x.w[3], x.w[2], x.w[1]) + x.w[0] + vget(s, d->rn).w[3] + vget(s, d->rm).w[i];
	r.w[3] = sm3_p0(tt2);
	r.w[2] = x.w[3];
	r.w[1] = rol32(x.w[2], 19);
	r.w[0] = x.w[1];
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

V_ROW(SM3TT1A, sm3_tt1, sha_parity)
V_ROW(SM3TT1B, sm3_tt1, sha_majority)
V_ROW(SM3TT2A, sm3_tt2, sha_parity)
V_ROW(SM3TT2B, sm3_tt2, sm3_gg1)

/*
 * SM3PARTW1: P1 of Vd EOR Vn EOR (Vm ROL 15, one word down); the top
 * word takes the ROL 15 of the bottom result word instead, as W[j + 3]
 * depends on W[j].
 */
static int exec_SM3PARTW1(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 a, b, m, r;

	CRYPTO_ENTER(c);
	a = vget(s, d->rd);
	b = vget(s, d->rn);
	m = vget(s, d->rm);
	for (unsigned int i = 0; i < 4; i++)
		r.w[i] = sm3_p1(a.w[i] ^ b.w[i] ^ rol32(i < 3 ? m.w[i + 1] : r.w[0], 15));
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/*
 * SM3PARTW2: Vd EOR T, T = Vn EOR (Vm ROL 7) word by word; the top word
 * also EOR P1(T<31:0> ROL 15), completing SM3PARTW1's use of W[j].
 */
static int exec_SM3PARTW2(struct cpu *c, const struct dinsn *d)
{
	struct cpu_state *s = &c->state;
	union v128 a, t, m, r;

	CRYPTO_ENTER(c);
	a = vget(s, d->rd);
	t = vget(s, d->rn);
	m = vget(s, d->rm);
	for (unsigned int i = 0; i < 4; i++) {
		t.w[i] ^= rol32(m.w[i], 7);
		r.w[i] = a.w[i] ^ t.w[i];
	}
	r.w[3] ^= sm3_p1(rol32(t.w[0], 15));
	vput(s, d->rd, &r);
	return EXEC_NEXT;
}

/* ---- SM4 ------------------------------------------------------------------------ */

/* GB/T 32907's S-box: an affine map (constant 0xd3) of the inverse in
 * GF(2^8) modulo x^8 + x^7 + x^6 + x^5 + x^4 + x^2 + 1 of the same
 * affine map of x */
static const uint8_t sm4_sbox[256] = {
	0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7,
	0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
	0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3,
	0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
	0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a,
	0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
	0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95,
	0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
	0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba,
	0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
	0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b,
	0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
	0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2,
	0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
	0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52,
	0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
	0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5,
	0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
	0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55,
	0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
	0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60,
	0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
	0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f,
	0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
	0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f,
	0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
	0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd,
	0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
	0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e,
	0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
	0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20,
	0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
};

/* tau, the S-box on each byte of a word */
static uint32_t sm4_tau(uint32_t x)
{
	uint32_t r = 0;

	for (unsigned int i = 0; i < 32; i += 8)
		r |= (uint32_t)sm4_sbox[x >> i & 0xff] << i;
	return r;
}

/*
 * SM4E, SM4EKEY: four rounds on X = Vd (SM4E) or Vn (SM4EKEY), X0 in the
 * bottom word, with the round keys or key-schedule constants K in the
 * words of Vn or Vm: X4 = X0 EOR L(tau(X1 EOR X2 EOR X3 EOR K0)), L the
 * cipher's or the key schedule's linear map; X moves down a word.
 */
static int sm4_rounds(struct cpu *c, const struct dinsn *d, bool key)
{
	struct cpu_state *s = &c->state;
	union v128 x, k;

	CRYPTO_ENTER(c);
	x = vget(s, key ? d->rn : d->rd);
	k = vget(s, key ? d->rm : d->rn);
	for (unsigned int i = 0; i < 4; i++) {
		uint32_t b = sm4_tau(x.w[1] ^ x.w[2] ^ x.w[3] ^ k.w[i]);

		b ^= key ? rol32(b, 13) ^ rol32(b, 23) :
			   rol32(b, 2) ^ rol32(b, 10) ^ rol32(b, 18) ^ rol32(b, 24);
		x.w[0] ^= b;
		x = (union v128){ .w = { x.w[1], x.w[2], x.w[3], x.w[0] } };
	}
	vput(s, d->rd, &x);
	return EXEC_NEXT;
}

V_ROW(SM4E, sm4_rounds, false)
V_ROW(SM4EKEY, sm4_rounds, true)

#define INSN_CLASS	crypto
#define INSN_DEF	"insn/crypto.def"
#include "a64_table.h"
