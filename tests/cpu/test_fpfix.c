// SPDX-License-Identifier: GPL-2.0
/*
 * Pinned FP/SIMD cases: what tests/fpdiff's comparison with qemu-aarch64
 * 7.2 cannot check because that qemu is wrong there, with the result the
 * Arm ARM's pseudocode gives (QEMU 11.1 agrees).
 *
 * FCVTZS Hd, Hn, #fbits (FCVTZS (vector, fixed-point), scalar, H): the
 * pseudocode writes V[d, esize] = result with esize 16, and the V[]
 * setter zero-extends to the whole register.  qemu 7.2 sign-extends the
 * 16-bit result into 32 bits.  The cases fpdiff found (simd-scalar -s
 * 0x3e9 -i 1324: FCVTZS H4, H10, #11 of -Inf; -s 0x3ec/0x3ed -i 821:
 * FCVTZS H7, H2, #9 of a negative normal) are rebuilt here with their
 * operands and every rounding mode.
 */
#include <string.h>

#include "harness.h"

static struct env V;

#define S		(V.cpu.state)
#define PROG_GPA	RAM_GPA
#define HVC0		0xd4000002u

/* FCVTZS Hd, Hn, #fbits: immh:immb = 32 - fbits */
static uint32_t fcvtzs_h_fixed(unsigned int d, unsigned int n, unsigned int fbits)
{
	return 0x5f00fc00u | (32 - fbits) << 16 | n << 5 | d;
}

/* one instruction on Vn = in (upper bits all ones), Vd all ones, FPCR fpcr:
 * Vd's low and high 64 bits after it, and FPSR */
static bool run1(uint32_t w, unsigned int d, unsigned int n, uint64_t in, uint32_t fpcr,
		 uint64_t out[2], uint32_t *fpsr)
{
	uint32_t prog[2] = { w, HVC0 };

	memset(S.z[d], 0xff, sizeof(S.z[d]));
	memset(S.z[n], 0xff, sizeof(S.z[n]));
	memcpy(S.z[n], &in, 8);
	S.fpcr = fpcr;
	S.fpsr = 0;
	env_load(&V, PROG_GPA, prog, sizeof(prog));
	S.pc = PROG_GPA;
	cpu_flush_caches(&V.cpu);
	if (env_run(&V) != CPU_EXIT_HVC)
		return false;
	memcpy(out, S.z[d], 16);
	*fpsr = S.fpsr;
	return true;
}

static void test_fcvtzs_h_fixed(void)
{
	static const struct {
		const char *what;
		unsigned int d, n, fbits;
		uint16_t in;		/* half precision */
		uint16_t want;		/* the saturated or converted result */
		uint32_t fpsr;
	} c[] = {
		/* simd-scalar -s 0x3e9 -i 1324: -Inf saturates to INT16_MIN */
		{ "-Inf, #11", 4, 10, 11, 0xfc00, 0x8000, 0x01 },
		/* simd-scalar -s 0x3ec -i 821: -1.159 * 2^-9, to -1 */
		{ "-0x1.28cp-9, #9", 7, 2, 9, 0x98a3, 0xffff, 0x10 },
		{ "-1.0, #9", 7, 2, 9, 0xbc00, 0xfe00, 0 },
		{ "-65504, #9", 7, 2, 9, 0xfbff, 0x8000, 0x01 },
		{ "-0.75, #1", 1, 2, 1, 0xba00, 0xffff, 0x10 },
		{ "+Inf, #16", 3, 5, 16, 0x7c00, 0x7fff, 0x01 },
	};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		for (uint32_t rm = 0; rm < 4; rm++) {
			uint64_t out[2] = { 0, 0 };
			uint32_t fpsr = 0;
			bool ran = run1(fcvtzs_h_fixed(c[i].d, c[i].n, c[i].fbits), c[i].d, c[i].n,
					c[i].in, rm << 22, out, &fpsr);

			/* FCVTZS rounds towards zero whatever FPCR.RMode says */
			tap_ok(ran && out[0] == c[i].want && !out[1] && fpsr == c[i].fpsr,
			       "FCVTZS Hd, Hn, %s (RMode %u): %#llx:%016llx fpsr %#x, want %#x "
			       "zero-extended, fpsr %#x", c[i].what, rm,
			       (unsigned long long)out[1], (unsigned long long)out[0], fpsr,
			       c[i].want, c[i].fpsr);
		}
}

int main(void)
{
	if (env_init(&V, 1 << 20)) {
		printf("Bail out! env_init\n");
		return 1;
	}
	env_reset(&V, PROG_GPA);
	test_fcvtzs_h_fixed();
	env_destroy(&V);
	return tap_done();
}
