// SPDX-License-Identifier: GPL-2.0
/*
 * Known answers for the Cryptographic Extension (kernel/cpu/exec_crypto.c),
 * computed by the instructions the way software uses them: FIPS-197's
 * AES-128 example (Appendix C.1) enciphered with AESE/AESMC and
 * deciphered with AESD/AESIMC, the FIPS 180-2 "abc" examples of SHA-1 and
 * SHA-256 hashed with the SHA1 and SHA256 instructions, the GB/T 32905
 * "abc" example of SM3 hashed with the SM3 instructions, the GB/T 32907
 * example of SM4 enciphered and deciphered with SM4EKEY/SM4E, and
 * carry-less products with PMULL/PMULL2.  The test computes what the standards define
 * (the AES key schedule from GF(2^8) arithmetic, the SHA-256 constants
 * from the roots of the primes) and compares with the published results.
 * The differential classes of tests/fpdiff check the instructions on
 * random operands; this checks that they compose into the real algorithms.
 * Also: every crypto row decodes under its own name.
 */
#include <string.h>

#include "harness.h"
#include "../../kernel/cpu/internal.h"

static struct env V;

#define S		(V.cpu.state)
#define PROG_GPA	RAM_GPA
#define HVC0		0xd4000002u
#define MAX_WORDS	512

static uint32_t prog[MAX_WORDS];
static unsigned int nprog;

static void emit(uint32_t w)
{
	if (nprog < MAX_WORDS)
		prog[nprog++] = w;
}

/* run the program from PROG_GPA to its HVC; V registers as left by the caller */
static bool run_prog(void)
{
	emit(HVC0);
	if (nprog > MAX_WORDS - 1)
		return false;
	env_load(&V, PROG_GPA, prog, nprog * 4);
	nprog = 0;
	S.pc = PROG_GPA;
	cpu_flush_caches(&V.cpu);
	return env_run(&V) == CPU_EXIT_HVC;
}

static void vset(unsigned int n, const void *p)
{
	memset(S.z[n], 0, sizeof(S.z[n]));
	memcpy(S.z[n], p, 16);
}

static void vset32(unsigned int n, const uint32_t w[4])
{
	vset(n, w);
}

static uint32_t vword(unsigned int n, unsigned int i)
{
	uint32_t w;

	memcpy(&w, S.z[n] + 4 * i, 4);
	return w;
}

/* encodings */
#define RD(d, n, m)	((uint32_t)(m) << 16 | (uint32_t)(n) << 5 | (uint32_t)(d))
#define AESE(d, n)	(0x4e284800u | RD(d, n, 0))
#define AESD(d, n)	(0x4e285800u | RD(d, n, 0))
#define AESMC(d, n)	(0x4e286800u | RD(d, n, 0))
#define AESIMC(d, n)	(0x4e287800u | RD(d, n, 0))
#define EOR16B(d, n, m)	(0x6e201c00u | RD(d, n, m))
#define MOV16B(d, n)	(0x4ea01c00u | RD(d, n, n))
#define ADD4S(d, n, m)	(0x4ea08400u | RD(d, n, m))
#define SHA1C(d, n, m)	(0x5e000000u | RD(d, n, m))
#define SHA1P(d, n, m)	(0x5e001000u | RD(d, n, m))
#define SHA1M(d, n, m)	(0x5e002000u | RD(d, n, m))
#define SHA1SU0(d, n, m) (0x5e003000u | RD(d, n, m))
#define SHA256H(d, n, m) (0x5e004000u | RD(d, n, m))
#define SHA256H2(d, n, m) (0x5e005000u | RD(d, n, m))
#define SHA256SU1(d, n, m) (0x5e006000u | RD(d, n, m))
#define SHA1H(d, n)	(0x5e280800u | RD(d, n, 0))
#define SHA1SU1(d, n)	(0x5e281800u | RD(d, n, 0))
#define SHA256SU0(d, n)	(0x5e282800u | RD(d, n, 0))
#define PMULL1Q(d, n, m) (0x0ee0e000u | RD(d, n, m))
#define PMULL2_1Q(d, n, m) (0x4ee0e000u | RD(d, n, m))
#define EXT16B(d, n, m, i) (0x6e000000u | (uint32_t)(i) << 11 | RD(d, n, m))
#define DUP4S(d, n, i)	(0x4e040400u | (uint32_t)(i) << 19 | RD(d, n, 0))
#define REV64_4S(d, n)	(0x4ea00800u | RD(d, n, 0))
#define SM3SS1(d, n, m, a) (0xce400000u | (uint32_t)(a) << 10 | RD(d, n, m))
#define SM3TT(op, d, n, m, i) (0xce408000u | (uint32_t)(i) << 12 | (uint32_t)(op) << 10 | \
			      RD(d, n, m))
#define SM3TT1A		0
#define SM3TT1B		1
#define SM3TT2A		2
#define SM3TT2B		3
#define SM3PARTW1(d, n, m) (0xce60c000u | RD(d, n, m))
#define SM3PARTW2(d, n, m) (0xce60c400u | RD(d, n, m))
#define SM4EKEY(d, n, m) (0xce60c800u | RD(d, n, m))
#define SM4E(d, n)	(0xcec08400u | RD(d, n, 0))

/* ---- AES-128 (FIPS-197 Appendix C.1) -------------------------------------------- */

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;

	for (; b; b >>= 1) {
		if (b & 1)
			r ^= a;
		a = (uint8_t)(a << 1 ^ (a & 0x80 ? 0x1b : 0));
	}
	return r;
}

/* FIPS-197 5.1.1: the multiplicative inverse (x^254), then the affine map */
static uint8_t sbox(uint8_t x)
{
	uint8_t inv = 1, b;

	for (int i = 0; i < 254; i++)
		inv = gf_mul(inv, x);
	b = x ? inv : 0;
	return (uint8_t)(b ^ (b << 1 | b >> 7) ^ (b << 2 | b >> 6) ^ (b << 3 | b >> 5) ^
			 (b << 4 | b >> 4) ^ 0x63);
}

/* FIPS-197 5.2: the eleven round keys of a 128-bit key, as bytes */
static void key_expand(const uint8_t key[16], uint8_t rk[11][16])
{
	uint8_t rcon = 1;

	memcpy(rk[0], key, 16);
	for (int r = 1; r <= 10; r++) {
		uint8_t t[4];

		for (int i = 0; i < 4; i++)
			t[i] = sbox(rk[r - 1][12 + (i + 1) % 4]);
		t[0] ^= rcon;
		rcon = gf_mul(rcon, 2);
		for (int i = 0; i < 16; i++) {
			rk[r][i] = rk[r - 1][i] ^ t[i % 4];
			t[i % 4] = rk[r][i];
		}
	}
}

static void test_aes(void)
{
	static const uint8_t key[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	static const uint8_t pt[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	static const uint8_t ct[16] = {
		0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
		0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a,
	};
	uint8_t rk[11][16];
	bool ok;

	key_expand(key, rk);
	/* V1-V11: round keys 0-10; V0 the state */
	for (int i = 0; i < 11; i++)
		vset(1 + i, rk[i]);
	vset(0, pt);
	for (int r = 0; r < 9; r++) {
		emit(AESE(0, 1 + r));
		emit(AESMC(0, 0));
	}
	emit(AESE(0, 10));
	emit(EOR16B(0, 0, 11));
	ok = run_prog();
	tap_ok(ok && !memcmp(S.z[0], ct, 16),
	       "AES-128 FIPS-197 C.1 enciphered with AESE/AESMC: 69c4e0d8...c55a");

	/* the equivalent inverse cipher: InvMixColumns of round keys 1-9 */
	for (int r = 2; r <= 10; r++)
		emit(AESIMC(r, r));
	emit(AESD(0, 11));
	for (int r = 9; r >= 1; r--) {
		emit(AESIMC(0, 0));
		emit(AESD(0, 1 + r));
	}
	emit(EOR16B(0, 0, 1));
	ok = run_prog();
	tap_ok(ok && !memcmp(S.z[0], pt, 16),
	       "AES-128 FIPS-197 C.1 deciphered with AESD/AESIMC: 00112233...eeff");
}

/* ---- SHA-1 and SHA-256 of "abc" (FIPS 180-2 Appendices A.1, B.1) ----------------- */

/* the one padded block of "abc" as big-endian words, in V4-V7 */
static void load_abc_block(void)
{
	uint32_t w[16] = { 0x61626380, [15] = 24 };

	for (int i = 0; i < 4; i++)
		vset32(4 + i, w + 4 * i);
}

static void test_sha1(void)
{
	static const uint32_t h0[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};
	static const uint32_t k[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
	static const uint32_t want[5] = {
		0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d,
	};
	uint32_t e[4] = { h0[4] };
	bool ok = true;

	/* V0 abcd, V1 e, V2 the next e, V3 W+K, V4-V7 the schedule, V8-V11 K */
	vset32(0, h0);
	vset32(1, e);
	for (int i = 0; i < 4; i++) {
		uint32_t kv[4] = { k[i], k[i], k[i], k[i] };

		vset32(8 + i, kv);
	}
	load_abc_block();
	for (int g = 0; g < 20; g++) {
		unsigned int m = 4 + g % 4;

		emit(ADD4S(3, m, 8 + g / 5));
		emit(SHA1H(2, 0));
		emit(g < 5 ? SHA1C(0, 1, 3) : g >= 10 && g < 15 ? SHA1M(0, 1, 3) : SHA1P(0, 1, 3));
		emit(MOV16B(1, 2));
		if (g < 16) {
			emit(SHA1SU0(m, 4 + (g + 1) % 4, 4 + (g + 2) % 4));
			emit(SHA1SU1(m, 4 + (g + 3) % 4));
		}
	}
	ok = run_prog();
	for (int i = 0; i < 5; i++)
		ok = ok && (i < 4 ? vword(0, i) : vword(1, 0)) + h0[i] == want[i];
	tap_ok(ok, "SHA-1(\"abc\") with SHA1C/P/M/H/SU0/SU1: a9993e36...9cd0d89d");
}

/* floor(cbrt(v)) and floor(sqrt(v)) of a 128-bit integer, by bisection */
static uint64_t iroot(unsigned __int128 v, int cube)
{
	uint64_t lo = 0, hi = cube ? 1ULL << 40 : 1ULL << 63;	/* hi^3, hi^2 < 2^128 */

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		unsigned __int128 p = (unsigned __int128)mid * mid;

		if (cube)
			p *= mid;
		if (p <= v)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* FIPS 180-2 4.2.2, 5.3.2: the first 32 bits of the fractional parts of
 * the cube roots of the first 64 primes, the square roots of the first 8 */
static void sha256_constants(uint32_t k[64], uint32_t h[8])
{
	unsigned int n = 0;

	for (unsigned int p = 2; n < 64; p++) {
		bool prime = true;

		for (unsigned int q = 2; q * q <= p; q++)
			prime = prime && p % q;
		if (!prime)
			continue;
		k[n] = (uint32_t)iroot((unsigned __int128)p << 96, 1);
		if (n < 8)
			h[n] = (uint32_t)iroot((unsigned __int128)p << 64, 0);
		n++;
	}
}

static void test_sha256(void)
{
	static const uint32_t want[8] = {
		0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
		0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad,
	};
	uint32_t k[64], h[8];
	bool ok;

	sha256_constants(k, h);
	/* V0 abcd, V1 efgh, V2 abcd before the rounds, V3 W+K, V4-V7 the
	 * schedule, V16-V31 K */
	vset32(0, h);
	vset32(1, h + 4);
	for (int i = 0; i < 16; i++)
		vset32(16 + i, k + 4 * i);
	load_abc_block();
	for (int g = 0; g < 16; g++) {
		unsigned int m = 4 + g % 4;

		emit(ADD4S(3, m, 16 + g));
		emit(MOV16B(2, 0));
		emit(SHA256H(0, 1, 3));
		emit(SHA256H2(1, 2, 3));
		if (g < 12) {
			emit(SHA256SU0(m, 4 + (g + 1) % 4));
			emit(SHA256SU1(m, 4 + (g + 2) % 4, 4 + (g + 3) % 4));
		}
	}
	ok = run_prog();
	for (int i = 0; i < 8; i++)
		ok = ok && vword(i / 4, i % 4) + h[i] == want[i];
	tap_ok(ok, "SHA-256(\"abc\") with SHA256H/H2/SU0/SU1: ba7816bf...f20015ad");
}

/* ---- SM3 of "abc" (GB/T 32905-2016 Appendix A.1) ---------------------------------- */

static inline uint32_t rol32(uint32_t x, unsigned int n)
{
	return n ? x << n | x >> (32 - n) : x;
}

/* the ring of five W groups (W[4g..4g+3]) the expansion runs in */
#define SM3_W(g)	(10 + (g) % 5)

static void test_sm3(void)
{
	static const uint32_t iv[8] = {
		0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
		0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
	};
	static const uint32_t want[8] = {
		0x66c7f0f4, 0x62eeedd9, 0xd1f2d46b, 0xdc10e4e2,
		0x4167c487, 0x5cf2f7a2, 0x297da02b, 0x8f4ba8e0,
	};
	uint32_t abcd[4] = { iv[3], iv[2], iv[1], iv[0] };
	uint32_t efgh[4] = { iv[7], iv[6], iv[5], iv[4] };
	uint32_t w[16] = { 0x61626380, [15] = 24 }, t[64];
	bool ok = true;

	/* V0 D:C:B:A, V1 H:G:F:E (A, E on top), V2 SS1, V3 T'j, V4 W'
	 * (W EOR the next group), V5-V7 scratch, V10-V14 the W ring, V16-V31
	 * Tj ROL (j mod 32) */
	vset32(0, abcd);
	vset32(1, efgh);
	for (int j = 0; j < 64; j++)
		t[j] = rol32(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);
	for (int i = 0; i < 16; i++)
		vset32(16 + i, t + 4 * i);
	for (int g = 0; g < 4; g++)
		vset32(SM3_W(g), w + 4 * g);
	for (int g = 0; g < 16; g++) {
		if (g + 4 <= 16) {	/* W[k..k+3], k = 4(g + 4), from W[k-16..k-1] */
			emit(MOV16B(SM3_W(g + 4), SM3_W(g)));
			emit(EXT16B(5, SM3_W(g + 1), SM3_W(g + 2), 12));	/* W[k-9..k-6] */
			emit(SM3PARTW1(SM3_W(g + 4), 5, SM3_W(g + 3)));
			emit(EXT16B(6, SM3_W(g + 2), SM3_W(g + 3), 8));	/* W[k-6..k-3] */
			emit(EXT16B(7, SM3_W(g), SM3_W(g + 1), 12));	/* W[k-13..k-10] */
			emit(SM3PARTW2(SM3_W(g + 4), 6, 7));
		}
		emit(EOR16B(4, SM3_W(g), SM3_W(g + 1)));
		for (int i = 0; i < 4; i++) {
			emit(DUP4S(3, 16 + g, i));
			emit(SM3SS1(2, 0, 1, 3));
			emit(SM3TT(g < 4 ? SM3TT1A : SM3TT1B, 0, 2, 4, i));
			emit(SM3TT(g < 4 ? SM3TT2A : SM3TT2B, 1, 2, SM3_W(g), i));
		}
	}
	ok = run_prog();
	for (int i = 0; i < 8; i++)
		ok = ok && (vword(i / 4, 3 - i % 4) ^ iv[i]) == want[i];
	tap_ok(ok, "SM3(\"abc\") with SM3SS1/TT1A/TT1B/TT2A/TT2B/PARTW1/PARTW2: 66c7f0f4...8f4ba8e0");
}

/* ---- SM4 (GB/T 32907-2016 Appendix A.1) ------------------------------------------- */

/* V[d] = the words of V[n] in reverse order */
static void emit_rev4s(unsigned int d, unsigned int n)
{
	emit(EXT16B(d, n, n, 8));
	emit(REV64_4S(d, d));
}

static void test_sm4(void)
{
	/* key and plaintext 01234567 89abcdef fedcba98 76543210 */
	static const uint32_t mk[4] = { 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210 };
	static const uint32_t fk[4] = { 0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc };
	static const uint32_t want[4] = { 0x681edf34, 0xd206965e, 0x86b3e94f, 0x536e4246 };
	uint32_t k[4], ck[32];
	bool ok;

	/* the key schedule's CK: byte j of CK[i] is (4i + j) * 7 mod 256 */
	for (int i = 0; i < 32; i++) {
		ck[i] = 0;
		for (int j = 0; j < 4; j++)
			ck[i] = ck[i] << 8 | (uint8_t)((4 * i + j) * 7);
	}
	for (int i = 0; i < 4; i++)
		k[i] = mk[i] ^ fk[i];
	/* V0 K0-K3, V1-V8 CK, V9-V16 the round keys, V17 the block (X0 in
	 * the bottom word); V18-V25 the round keys in reverse, V26 the
	 * ciphertext block to decipher */
	vset32(0, k);
	for (int i = 0; i < 8; i++)
		vset32(1 + i, ck + 4 * i);
	vset32(17, mk);
	for (int i = 0; i < 8; i++)
		emit(SM4EKEY(9 + i, i ? 8 + i : 0, 1 + i));
	for (int i = 0; i < 8; i++)
		emit(SM4E(17, 9 + i));
	/* the cipher's output is X35..X32: the block reversed */
	emit_rev4s(17, 17);
	ok = run_prog();
	for (int i = 0; i < 4; i++)
		ok = ok && vword(17, i) == want[i];
	tap_ok(ok, "SM4 GB/T 32907 A.1 enciphered with SM4EKEY/SM4E: 681edf34...536e4246");

	/* deciphering is the same rounds with the round keys reversed */
	for (int i = 0; i < 8; i++)
		emit_rev4s(25 - i, 9 + i);
	emit(MOV16B(26, 17));
	for (int i = 0; i < 8; i++)
		emit(SM4E(26, 18 + i));
	emit_rev4s(26, 26);
	ok = run_prog();
	for (int i = 0; i < 4; i++)
		ok = ok && vword(26, i) == mk[i];
	tap_ok(ok, "SM4 GB/T 32907 A.1 deciphered with SM4E: 01234567...76543210");
}

/* ---- PMULL .1Q -------------------------------------------------------------------- */

static void test_pmull(void)
{
	uint64_t a[2] = { ~0ULL, 1ULL << 63 }, b[2] = { ~0ULL, 3 }, r0[2], r1[2];
	bool ok;

	vset(1, a);
	vset(2, b);
	emit(PMULL1Q(3, 1, 2));
	emit(PMULL2_1Q(4, 1, 2));
	ok = run_prog();
	memcpy(r0, S.z[3], 16);
	memcpy(r1, S.z[4], 16);
	/* (sum of x^0..x^63)^2 = sum of the even powers x^0..x^126 */
	tap_ok(ok && r0[0] == 0x5555555555555555ULL && r0[1] == 0x5555555555555555ULL,
	       "PMULL .1Q: all-ones squared is x^0 + x^2 + ... + x^126");
	/* x^63 * (x + 1) = x^64 + x^63 */
	tap_ok(ok && r1[0] == 1ULL << 63 && r1[1] == 1, "PMULL2 .1Q: x^63 (x + 1), the upper halves");
}

/* ---- decoding --------------------------------------------------------------------- */

/* the row a word decodes as, or "undefined" (no row, or its PREP refuses) */
static const char *decodes_as(uint32_t w)
{
	struct dinsn d;

	decode_insn(&d, w);
	return d.fn == exec_undef ? "undefined" : insn_name(w);
}

static void test_names(void)
{
	static const struct {
		uint32_t w;
		const char *name;
	} t[] = {
		{ AESE(1, 2), "AESE" }, { AESD(1, 2), "AESD" },
		{ AESMC(1, 2), "AESMC" }, { AESIMC(1, 2), "AESIMC" },
		{ PMULL1Q(1, 2, 3), "PMULL_q" }, { PMULL2_1Q(1, 2, 3), "PMULL_q" },
		{ 0x0e23e041, "PMULL_v" },			/* pmull v1.8h */
		{ SHA1C(1, 2, 3), "SHA1C" }, { SHA1P(1, 2, 3), "SHA1P" },
		{ SHA1M(1, 2, 3), "SHA1M" }, { SHA1SU0(1, 2, 3), "SHA1SU0" },
		{ SHA256H(1, 2, 3), "SHA256H" }, { SHA256H2(1, 2, 3), "SHA256H2" },
		{ SHA256SU1(1, 2, 3), "SHA256SU1" }, { SHA1H(1, 2), "SHA1H" },
		{ SHA1SU1(1, 2), "SHA1SU1" }, { SHA256SU0(1, 2), "SHA256SU0" },
		{ 0xce638041, "SHA512H" }, { 0xce638441, "SHA512H2" },
		{ 0xcec08041, "SHA512SU0" }, { 0xce638841, "SHA512SU1" },
		{ 0xce031041, "EOR3" }, { 0xce231041, "BCAX" },
		{ 0xce638c41, "RAX1" }, { 0xce831441, "XAR" },
		{ 0xce420c20, "SM3SS1" }, { 0xce42b020, "SM3TT1A" },
		{ 0xce428420, "SM3TT1B" }, { 0xce429820, "SM3TT2A" },
		{ 0xce42ac20, "SM3TT2B" }, { 0xce62c020, "SM3PARTW1" },
		{ 0xce62c420, "SM3PARTW2" }, { 0xcec08420, "SM4E" },
		{ 0xce62c820, "SM4EKEY" },
		/* unallocated: size 01 AES, PMULL size 01, SHA op 7, the fourth
		 * four-register op, SHA512 O 1 op 11, two-register op 10 */
		{ 0x4e684841, "undefined" }, { 0x0e63e041, "undefined" },
		{ 0x5e037041, "undefined" }, { 0xce631041, "undefined" },
		{ 0xce63cc41, "undefined" }, { 0xcec08841, "undefined" },
	};
	unsigned int bad = 0;

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(decodes_as(t[i].w), t[i].name)) {
			printf("# %08x decodes as %s, not %s\n", t[i].w, decodes_as(t[i].w),
			       t[i].name);
			bad++;
		}
	tap_ok(!bad, "every crypto row decodes under its name, its neighbours do not");
}

int main(void)
{
	if (env_init(&V, 1 << 20)) {
		printf("Bail out! env_init\n");
		return 1;
	}
	env_reset(&V, PROG_GPA);
	test_names();
	test_aes();
	test_sha1();
	test_sha256();
	test_sm3();
	test_sm4();
	test_pmull();
	env_destroy(&V);
	return tap_done();
}
