// SPDX-License-Identifier: GPL-2.0
/*
 * tests/pauthdiff's reference side: a bare-metal EL1 program for
 * qemu-system-aarch64 -M virt -cpu max (FEAT_PAuth, QARMA5).  Runs the
 * cases of pacgen.h and prints each result in hex on the PL011, then
 * powers off through PSCI.
 */
#include "pacgen.h"

#define UART_DR		((volatile uint32_t *)0x09000000)

static void put_hex(uint64_t v)
{
	int i;

	for (i = 60; i >= 0; i -= 4)
		*UART_DR = "0123456789abcdef"[(v >> i) & 15];
	*UART_DR = '\n';
}

/* An exception: a line the host does not expect, then power off */
void guest_fault(uint64_t esr, uint64_t elr)
{
	put_hex(0xfa17fa17fa17fa17ULL);
	put_hex(esr);
	put_hex(elr);
}

#define MSR(reg, v)	__asm__ volatile("msr " reg ", %0" : : "r"(v))
#define OP1(op, x, m)	({ uint64_t _x = (x); \
			   __asm__ volatile(op " %0, %1" : "+r"(_x) : "r"(m)); _x; })
#define OP0(op, x)	({ uint64_t _x = (x); __asm__ volatile(op " %0" : "+r"(_x)); _x; })

void guest_fault(uint64_t esr, uint64_t elr);
void guest_main(void);

struct two {
	uint64_t a, b;
};
struct two pac_branches(uint64_t mod, uint64_t *buf);
static uint64_t buf[4] __attribute__((aligned(16))) = { 0, 1, 2, 3 };

void guest_main(void)
{
	const volatile uint64_t *param = (const volatile uint64_t *)PAC_PARAM_VA;
	struct two t;
	uint64_t seed = PAC_SEED, r[PAC_NR_RESULTS], g, cases = PAC_CASES;
	struct pac_case c;
	unsigned int i;
	uint64_t n;

	/* SCTLR_EL1: RES1 bits, EnIA, EnIB, EnDA, EnDB; MMU off */
	MSR("sctlr_el1", 0x30d00800ULL | 1ULL << 31 | 1ULL << 30 | 1ULL << 27 | 1ULL << 13);
	if (param[0] == PAC_PARAM_MAGIC) {
		seed = param[1];
		cases = param[2];
	}
	for (n = 0; n < cases; n++) {
		pac_case_make(&seed, &c);
		MSR("S3_0_C2_C1_0", c.key[0]); MSR("S3_0_C2_C1_1", c.key[1]);
		MSR("S3_0_C2_C1_2", c.key[2]); MSR("S3_0_C2_C1_3", c.key[3]);
		MSR("S3_0_C2_C2_0", c.key[4]); MSR("S3_0_C2_C2_1", c.key[5]);
		MSR("S3_0_C2_C2_2", c.key[6]); MSR("S3_0_C2_C2_3", c.key[7]);
		MSR("S3_0_C2_C3_0", c.key[8]); MSR("S3_0_C2_C3_1", c.key[9]);
		MSR("tcr_el1", c.tcr);
		__asm__ volatile("isb");
		r[0] = OP1("pacia", c.ptr, c.mod);
		r[1] = OP1("pacib", c.ptr, c.mod);
		r[2] = OP1("pacda", c.ptr, c.mod);
		r[3] = OP1("pacdb", c.ptr, c.mod);
		r[4] = OP1("autia", r[0], c.mod);
		r[5] = OP1("autdb", r[3] ^ c.flip, c.mod);
		r[6] = OP1("autib", c.ptr, c.mod);
		r[7] = OP0("xpaci", c.ptr);
		r[8] = OP0("xpacd", c.ptr);
		__asm__ volatile("pacga %0, %1, %2" : "=r"(g) : "r"(c.ptr), "r"(c.mod));
		r[9] = g;
		r[10] = OP0("pacdzb", c.ptr);
		__asm__ volatile("mov x17, %1; mov x16, %2; pacia1716; mov %0, x17"
				 : "=r"(r[11]) : "r"(c.ptr), "r"(c.mod) : "x16", "x17");
		__asm__ volatile("mov x9, sp; mov sp, %2; mov x30, %1; pacibsp; mov sp, x9; "
				 "mov %0, x30" : "=r"(r[12]) : "r"(c.ptr), "r"(c.mod & ~15ULL)
				 : "x9", "x30");
		__asm__ volatile("mov x30, %1; xpaclri; mov %0, x30" : "=r"(r[13]) : "r"(c.ptr)
				 : "x30");
		t = (struct two){ 0, 0 };
		if (pac_case_low(&c))
			t = pac_branches(c.mod & ~15ULL, buf);
		r[14] = t.a;
		r[15] = t.b;
		for (i = 0; i < PAC_NR_RESULTS; i++)
			put_hex(r[i]);
	}
}
