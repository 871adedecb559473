// SPDX-License-Identifier: GPL-2.0
/*
 * mmio: every single-register load and store size to an unbacked IPA (the
 * harness's test window).  Each access has a valid syndrome, so it must
 * complete through KVM_EXIT_MMIO: loads zero- or sign-extended into Rt as
 * SAS/SSE/SF say (W forms clear bits 63:32), stores of exactly 1, 2, 4 or 8
 * bytes.  The destination register holds garbage before each load, so a
 * completion that forgets the extension shows.
 */
#include "rt.h"

#define POISON_VAL	0xdeadbeefcafef00dUL

/* "mov Rt, garbage; INSN Rt, [addr]" */
#define LOAD(insn, reg, addr) ({						\
	u64 __v;								\
	asm volatile("mov %0, %2\n\t" insn " %" reg "0, [%1]"			\
		     : "=&r"(__v) : "r"(addr), "r"(POISON_VAL) : "memory");	\
	__v; })

static u64 pattern(unsigned long a, unsigned int len)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (u64)pattern_byte(a + i) << (8 * i);
	return v;
}

static u64 sext(u64 v, unsigned int bits)
{
	u64 m = 1UL << (bits - 1);

	v &= (bits == 64) ? ~0UL : (1UL << bits) - 1;
	return (v ^ m) - m;
}

static void check_load(const char *what, u64 got, u64 want)
{
	check(got == want, "%s: 0x%016lx (want 0x%016lx)", what, (unsigned long)got,
	      (unsigned long)want);
}

int main(void)
{
	unsigned long neg = TESTDEV_PATTERN + 0x80;	/* bytes with bit 7 set */
	unsigned long pos = TESTDEV_PATTERN + 0x10;	/* bytes with bit 7 clear */
	unsigned long s = TESTDEV_SCRATCH;
	u64 v;

	printf("mmio: loads from the pattern window at 0x%lx\n", TESTDEV_PATTERN);
	check_load("LDRB W (zero-extends)", LOAD("ldrb", "w", neg), pattern(neg, 1));
	check_load("LDRSB W (sign-extends to 32, clears 63:32)", LOAD("ldrsb", "w", neg),
		   sext(pattern(neg, 1), 8) & 0xffffffffUL);
	check_load("LDRSB X (sign-extends to 64)", LOAD("ldrsb", "x", neg),
		   sext(pattern(neg, 1), 8));
	check_load("LDRSB X of a positive byte", LOAD("ldrsb", "x", pos), pattern(pos, 1));
	check_load("LDRH W (zero-extends)", LOAD("ldrh", "w", neg), pattern(neg, 2));
	check_load("LDRSH W (sign-extends to 32, clears 63:32)", LOAD("ldrsh", "w", neg),
		   sext(pattern(neg, 2), 16) & 0xffffffffUL);
	check_load("LDRSH X (sign-extends to 64)", LOAD("ldrsh", "x", neg),
		   sext(pattern(neg, 2), 16));
	check_load("LDR W (clears 63:32)", LOAD("ldr", "w", neg), pattern(neg, 4));
	check_load("LDRSW X (sign-extends to 64)", LOAD("ldrsw", "x", neg),
		   sext(pattern(neg, 4), 32));
	check_load("LDRSW X of a positive word", LOAD("ldrsw", "x", pos), pattern(pos, 4));
	check_load("LDR X", LOAD("ldr", "x", neg), pattern(neg, 8));
	check_load("LDAR W (acquire, valid syndrome)", LOAD("ldar", "w", neg), pattern(neg, 4));
	check_load("LDARB W (acquire byte)", LOAD("ldarb", "w", pos), pattern(pos, 1));

	printf("mmio: stores to the scratch window at 0x%lx\n", s);
	writeq(0x1122334455667788UL, s);
	check_load("STR X, then LDR X", readq(s), 0x1122334455667788UL);
	writeb(0xab, s + 1);
	check_load("STRB writes one byte", readq(s), 0x112233445566ab88UL);
	writew(0xcdef, s + 2);
	check_load("STRH writes two bytes", readq(s), 0x11223344cdefab88UL);
	writel(0x99aabbcc, s + 4);
	check_load("STR W writes four bytes", readq(s), 0x99aabbcccdefab88UL);
	asm volatile("stlr %w0, [%1]" : : "r"(0x01020304u), "r"(s) : "memory");
	check_load("STLR W (release, valid syndrome)", readq(s), 0x99aabbcc01020304UL);
	v = LOAD("ldrsb", "x", s + 7);
	check_load("LDRSB X of a stored byte", v, sext(0x99, 8));
	return rt_report("mmio");
}
