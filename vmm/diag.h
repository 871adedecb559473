/* SPDX-License-Identifier: GPL-2.0 */
/* The one-screen diagnostic of an access nothing handled (DESIGN §6). */
#ifndef VMM_DIAG_H
#define VMM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;
struct memmap;
struct log_site;

struct access {
	const char *what;	/* "MMIO", "MMIO (no syndrome: NISV)", "SEA" */
	uint64_t ipa;
	bool ipa_valid;
	unsigned int size;	/* bytes; 0 when unknown */
	int is_write;		/* 1, 0, or -1 when unknown */
	uint64_t value;
	bool value_valid;
	uint64_t esr;
	bool esr_valid;
	bool esr_is_iss;	/* only the ISS bits (NISV) */
	uint64_t gva;
	bool gva_valid;
};

/* The instruction at @pc, disassembled, or why it is not available. */
void diag_insn(struct vcpu *vcpu, uint64_t pc, char *buf, size_t len);
/* One A64 instruction word as text: capstone's disassembly (when built
 * with it) and the name of vkvm's row for it ("; vkvm LDR_x_uimm"). */
bool diag_disasm(uint32_t insn, uint64_t pc, char *buf, size_t len);
/* "uart0 (ns16550a) at 0x1000000-0x1000007, 0x8 bytes past its end" */
void diag_where(const struct memmap *map, uint64_t ipa, char *buf, size_t len);
/*
 * Print the diagnostic for @a on @vcpu to stderr, ending with @policy;
 * rate-limited by @site (vmm.h), or always printed when @site is NULL.
 */
void diag_access(struct vcpu *vcpu, const struct access *a, const char *policy,
		 struct log_site *site);

#endif
