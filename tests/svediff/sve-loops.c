// SPDX-License-Identifier: GPL-2.0
/*
 * sve-loops: auto-vectorised loops compiled with -O2 -march=armv8.2-a+sve,
 * run as a bare-metal guest under vkvm (vmm run --sve-vl L) and, from the
 * same source, as a static Linux program under qemu-aarch64 at the same
 * length.  It prints the length RDVL reports and a checksum of each loop's
 * results; tests/svediff/sve-loops.sh compares the two outputs.
 *
 * The loops: saxpy on floats (FMLA), an int32 sum and maximum (reductions),
 * a conditional copy (compare into a predicate, predicated store) and an
 * int64 x[i] = i * k + c (INDEX), and a gather and a scatter through an
 * index array (LD1W with SXTW offsets, ST1D; those two at GCC's O3 with
 * the unlimited cost model, which -O2 does not vectorise).  Trip counts
 * are not multiples of any vector length, so WHILELO's partial predicates
 * are exercised.
 *
 * Built with -DSVE_LOOPS_LINUX it is a hosted program (printf to stdout);
 * without, it uses the runtime of guests/rt/ and leaves through the test-exit
 * device.  In the guest an UNDEFINED instruction inside a loop (the engine
 * lacks it) returns from that loop's function -- they are all leaf functions
 * without a frame, so ELR = LR is a return -- and the loop's line reads
 * "NAME=undef WORD+OFFSET" (the instruction word, its offset in the
 * function) instead of a checksum.
 */
#ifdef SVE_LOOPS_LINUX
#include <stdint.h>
#include <stdio.h>
typedef uint64_t u64;
typedef uint32_t u32;
#define noinline __attribute__((noipa))
#else
#include "rt.h"
#define noinline __attribute__((noipa))
#endif

static u32 undef_word;
static u64 undef_elr;

#ifdef SVE_LOOPS_LINUX
#define guard()		(undef_word = 0)
#define rt_unguard()
#else
static int undef_return(struct rt_frame *f, unsigned int vec)
{
	undef_elr = f->elr;
	undef_word = *(volatile u32 *)f->elr;
	f->elr = f->x[30];
	return 1;
}
#define guard()		(undef_word = 0, rt_set_sync_handler(EC_UNKNOWN, undef_return))
#define rt_unguard()	rt_set_sync_handler(EC_UNKNOWN, 0)
#endif

/* NAME=CHECKSUM, or NAME=undef WORD+OFFSET when FN met an UNDEFINED instruction */
static int result(const char *name, u32 sum, const void *fn)
{
	if (!undef_word) {
		printf("%s=%08x\n", name, sum);
		return 0;
	}
	printf("%s=undef %08x+%x\n", name, undef_word, (unsigned int)(undef_elr - (u64)fn));
	return 1;
}

#define N	1003	/* not a multiple of any vector length */

static float fx[N], fy[N];
static int ia[N], ib[N], ic[N];
static long long lx[N];
static int gidx[N], gy[N];
static long long sy[N];

noinline static void saxpy(int n, float a, const float *restrict x, float *restrict y)
{
	for (int i = 0; i < n; i++)
		y[i] = a * x[i] + y[i];
}

noinline static int isum(int n, const int *a)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

noinline static int imax(int n, const int *a)
{
	int m = -2147483647 - 1;

	for (int i = 0; i < n; i++)
		m = a[i] > m ? a[i] : m;
	return m;
}

noinline static void condcopy(int n, int t, const int *restrict a, int *restrict b)
{
	for (int i = 0; i < n; i++)
		if (a[i] > t)
			b[i] = a[i];
}

noinline static void iota(int n, long long k, long long c, long long *x)
{
	for (int i = 0; i < n; i++)
		x[i] = i * k + c;
}

#define VECT_GS	__attribute__((optimize("O3", "vect-cost-model=unlimited")))

noinline VECT_GS static void gather(int n, const int *restrict x, const int *restrict idx,
				    int *restrict y)
{
	for (int i = 0; i < n; i++)
		y[i] = x[idx[i]];
}

noinline VECT_GS static void scatter(int n, const int *restrict x, const int *restrict idx,
				     long long *restrict y)
{
	for (int i = 0; i < n; i++)
		y[idx[i]] = x[i] * 3LL;
}

noinline static u64 rdvl(void)
{
	u64 vl;

	asm volatile("rdvl %0, #1" : "=r"(vl));
	return vl;
}

/* FNV-1a over the bytes of a buffer: a scalar loop, not vectorised */
noinline static u32 fnv(const void *p, unsigned long len)
{
	const volatile unsigned char *b = p;
	u32 h = 2166136261u;

	for (unsigned long i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static u32 seed = 12345;

static u32 rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

noinline static int run(void)
{
	int i, s, m, bad = 0, sbad = 0, iota_bad;

	for (i = 0; i < N; i++) {
		fx[i] = (float)(int)(rnd() & 0xffff) / 256.0f - 128.0f;
		fy[i] = (float)(int)(rnd() & 0xffff) / 1024.0f;
		ia[i] = (int)(rnd() & 0xfffff) - 0x80000;
		ib[i] = -1;
		gidx[i] = (int)((i * 7919u) % N);	/* a permutation: 7919 is prime to N */
	}
	printf("vl=%u\n", (unsigned int)(rdvl() * 8));

	guard();
	for (i = 0; i < 3 && !undef_word; i++)
		saxpy(N - i, 1.5f + (float)i, fx, fy);
	bad += result("saxpy", fnv(fy, sizeof(fy)), saxpy);

	guard();
	s = isum(N, ia);
	s ^= undef_word ? 0 : isum(N - 7, ia + 3) << 1;
	bad += result("isum", (u32)s, isum);

	guard();
	m = imax(N, ia);
	m ^= undef_word ? 0 : imax(N - 500, ia + 500);
	bad += result("imax", (u32)m, imax);

	guard();
	condcopy(N, 0x1000, ia, ib);
	if (!undef_word)
		condcopy(N - 2, -0x2000, ia + 1, ic);
	bad += result("condcopy", fnv(ib, sizeof(ib)) ^ fnv(ic, sizeof(ic)), condcopy);

	guard();
	gather(N, ia, gidx, gy);
	bad += result("gather", fnv(gy, sizeof(gy)), gather);

	guard();
	scatter(N, ia, gidx, sy);
	bad += result("scatter", fnv(sy, sizeof(sy)), scatter);

	guard();
	iota(N, 0x123456789LL, -77, lx);
	iota_bad = result("iota", fnv(lx, sizeof(lx)), iota);
	rt_unguard();
	if (bad) {
		printf("scalar-check=skipped\n");
		return 1;
	}

	/* scalar recomputation of the integer results: the checksums mean something */
	s = 0;
	m = -2147483647 - 1;
	for (i = 0; i < N; i++) {
		s += ((volatile int *)ia)[i];
		if (((volatile int *)ia)[i] > m)
			m = ((volatile int *)ia)[i];
		if (((volatile int *)ib)[i] != (ia[i] > 0x1000 ? ia[i] : -1))
			sbad++;
		if (!iota_bad && ((volatile long long *)lx)[i] != i * 0x123456789LL - 77)
			sbad++;
		if (((volatile int *)gy)[i] != ia[gidx[i]] ||
		    ((volatile long long *)sy)[gidx[i]] != ia[i] * 3LL)
			sbad++;
	}
	if (s != isum(N, ia) || m != imax(N, ia))
		sbad++;
	printf("scalar-check=%s\n", sbad ? "FAIL" : "ok");
	return sbad || iota_bad;
}

#ifdef SVE_LOOPS_LINUX
int main(void)
{
	return run();
}
#else
/* no FP/SIMD register may be touched (saved) here before FPEN is set */
__attribute__((target("general-regs-only"))) int main(void)
{
	/* before any FP or SVE instruction: FPEN, ZEN, and the largest length */
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN | CPACR_ZEN, cpacr_el1);
	isb();
	write_sysreg(0xf, S3_0_C1_C2_0);	/* ZCR_EL1.LEN */
	isb();
	return run();
}
#endif
