// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile guest: floods the VMM with unhandled accesses (tests/robust/flood.sh).
 *
 *   FLOOD_SAME   one load at one PC from one unbacked IPA, FLOOD_N times; the
 *                abort handler returns to it once (a retry: the classic loop
 *                of a handler that does nothing), then skips it
 *   FLOOD_MANY   FLOOD_REPS passes over 512 LDRs (syndrome: KVM_EXIT_MMIO)
 *                and 64 LDPs (no syndrome: KVM_EXIT_ARM_NISV), every one at
 *                its own PC and IPA; the handler skips each
 *   FLOOD_SEA    as FLOOD_SAME on the poisoned page (--inject-memory-error)
 *
 * Under --unhandled-mmio ignore the loads complete (as 0) without an abort.
 * It ends with "flood-mmio: N accesses, A aborts" and exit status 0: the
 * VMM saw N exits if A is 0, else A.
 */
#include "rt.h"

#ifndef FLOOD_N
#define FLOOD_N		100000UL
#endif
#ifndef FLOOD_REPS
#define FLOOD_REPS	64UL
#endif

static volatile unsigned long aborts;

static __attribute__((unused)) int retry_once(struct rt_frame *f, unsigned int vec)
{
	/* odd aborts return to the access as they are: the guest loops on it */
	if (++aborts & 1)
		return 1;
	f->elr += 4;
	return 1;
}

static __attribute__((unused)) int skip(struct rt_frame *f, unsigned int vec)
{
	aborts++;
	f->elr += 4;
	return 1;
}

#if defined(FLOOD_MANY)
static unsigned long sled(unsigned long base)
{
	/* 512 LDRs at 512 PCs, offsets 0..2044, then 64 LDPs at offsets 2048..2552 */
	asm volatile(".set off, 0\n"
		     ".rept 512\n"
		     "ldr w2, [%0, #off]\n"
		     ".set off, off + 4\n"
		     ".endr\n"
		     ".set off, 0\n"
		     ".rept 64\n"
		     "ldp x2, x3, [%1, #off]\n"
		     ".set off, off + 8\n"
		     ".endr\n"
		     : : "r"(base), "r"(base + 2048) : "x2", "x3", "memory");
	return 512 + 64;
}
#endif

int main(void)
{
	unsigned long n = 0;

#if defined(FLOOD_MANY)
	unsigned long r;

	rt_set_sync_handler(EC_DABT_CUR, skip);
	for (r = 0; r < FLOOD_REPS; r++)
		n += sled(UNBACKED_DATA + r * 0x1000);
#else
#if defined(FLOOD_SEA)
	const unsigned long ipa = POISON_GPA;
#else
	const unsigned long ipa = UNBACKED_DATA;
#endif
	rt_set_sync_handler(EC_DABT_CUR, retry_once);
	for (n = 0; n < FLOOD_N; n++)
		(void)readl(ipa);
#endif
	printf("flood-mmio: %lu accesses, %lu aborts\n", n, (unsigned long)aborts);
	return 0;
}
