// SPDX-License-Identifier: GPL-2.0
/*
 * tests/btidiff's guest: a bare-metal EL1 program for
 * qemu-system-aarch64 -M virt -cpu max (FEAT_BTI) and for vkvm.  Runs the
 * cases of btigen.h, first with the MMU off, then with one identity map of
 * RAM and two aliases of it executable at EL0 and EL1, one not guarded and
 * one guarded (GP), and prints each result in hex on the PL011; then powers
 * off through PSCI.
 */
#include "btigen.h"

#define UART_DR		((volatile uint32_t *)0x09000000)
#define RAM		0x40000000ULL
#define ALIAS_U		0x40000000ULL	/* VA - PA of the alias not guarded */
#define ALIAS_G		0x80000000ULL	/* ... of the guarded alias */

/* SCTLR_EL1: RES1 bits; M, C, I; BT0 (35), BT1 (36) */
#define SCTLR_RES1	0x30d00800ULL
#define SCTLR_MCI	(1ULL << 0 | 1ULL << 2 | 1ULL << 12)

/* L1 block descriptors: valid block, AF, inner shareable, AttrIndx, AP, XN, GP */
#define D_BLOCK		(1ULL | 1ULL << 10)
#define D_NORMAL	(3ULL << 8 | 1ULL << 2)
#define D_AP_RO_ALL	(3ULL << 6)
#define D_PXN		(1ULL << 53)
#define D_UXN		(1ULL << 54)
#define D_GP		(1ULL << 50)

extern const uint32_t src_stubs[], tgt_stubs[];
void run_case(uint64_t elr, uint64_t spsr, uint64_t target, uint64_t *out);
void guest_main(void);

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t out[3];

static void put_hex(uint64_t v)
{
	int i;

	for (i = 60; i >= 0; i -= 4)
		*UART_DR = "0123456789abcdef"[(v >> i) & 15];
	*UART_DR = '\n';
}

#define MSR(reg, v)	__asm__ volatile("msr " reg ", %0\n\tisb" : : "r"(v) : "memory")

static void mmu_on(void)
{
	l1[0] = 0 | D_BLOCK | D_PXN | D_UXN;		/* devices: AttrIndx 0 */
	l1[1] = RAM | D_BLOCK | D_NORMAL | D_UXN;	/* identity, EL1 RW */
	l1[2] = RAM | D_BLOCK | D_NORMAL | D_AP_RO_ALL;
	l1[3] = RAM | D_BLOCK | D_NORMAL | D_AP_RO_ALL | D_GP;
	__asm__ volatile("dsb sy" : : : "memory");
	MSR("mair_el1", 0xff00ULL);
	/* T0SZ 25 (39-bit VA: starts at level 1), WB WA, inner shareable, 4K, EPD1 */
	MSR("tcr_el1", 25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | 1ULL << 23);
	MSR("ttbr0_el1", (uint64_t)(uintptr_t)l1);
	__asm__ volatile("tlbi vmalle1\n\tdsb sy\n\tisb" : : : "memory");
}

static void run(unsigned int n)
{
	struct bti_case c;
	uint64_t src, tgt, elr, spsr, sctlr;

	bti_case_of(n, &c);
	src = (uint64_t)(uintptr_t)src_stubs + 16 * c.kind;
	tgt = (uint64_t)(uintptr_t)tgt_stubs + 16 * c.land;
	if (!c.mmu_off) {
		src += c.src_g ? ALIAS_G : ALIAS_U;
		tgt += c.tgt_g ? ALIAS_G : ALIAS_U;
	}
	sctlr = SCTLR_RES1 | (c.mmu_off ? 0 : SCTLR_MCI) | (uint64_t)c.bt << 35;
	MSR("sctlr_el1", sctlr);
	spsr = (c.el ? 5 : 0) | 0x3c0;
	if (c.kind >= K_ERET_B1) {
		elr = tgt;
		spsr |= (uint64_t)(c.kind - K_ERET_B1 + 1) << 10;
	} else {
		elr = src;
	}
	out[0] = out[1] = out[2] = ~0ULL;
	run_case(elr, spsr, tgt, out);
	put_hex(bti_result(out[0], out[1] - tgt, out[2]));
}

void guest_main(void)
{
	unsigned int n;

	MSR("sctlr_el1", SCTLR_RES1);
	for (n = 0; n < BTI_CASES; n++) {
		if (n == BTI_OFF_CASES)
			mmu_on();
		run(n);
	}
	MSR("sctlr_el1", SCTLR_RES1);
}
