// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of FEAT_BTI: the engine (kernel/cpu/bti.c and the
 * indirect branches) against qemu-system-aarch64 -M virt -cpu max and
 * against a model of the Arm ARM's rules written here.  The guest
 * (guest.c, start.S) runs every case of btigen.h: each indirect branch
 * kind (BR, BLR, BRAA, BLRAA, BRAAZ, BLRAAZ through X1, X16, X17; RET;
 * ERET with SPSR.BTYPE 1-3) from a page guarded or not, at EL0 and EL1,
 * under each SCTLR_EL1.BT0/BT1, to each landing instruction (BTI, BTI c,
 * j, jc, PACIASP, PACIBSP, NOP, BRK, HLT, ADD) in a page guarded or not,
 * and with the MMU off; it prints ESR_EL1, ELR_EL1 (from the target) and
 * SPSR_EL1.BTYPE/M of the exception that ends the case.  The same flat
 * image then runs under vkvm on a vCPU with PTRAUTH.  TAP, three points.
 *
 *	btidiff [GUEST_ELF [QEMU]]	(default: bti-guest.elf beside it;
 *					 its flat image GUEST.bin next to it)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btigen.h"
#include "../pauthdiff/pauth_vkvm.h"

static uint64_t esr(unsigned int ec, unsigned int iss)
{
	return (uint64_t)ec << 26 | 1u << 25 | iss;
}

/* BTypeCompatible of the landing instruction (BTI, PACIxSP pseudocode) */
static bool compatible(unsigned int land, unsigned int btype, bool sctlr_bt)
{
	switch (land) {
	case L_BTI:
		return false;
	case L_BTI_C:
		return btype != 3;
	case L_BTI_J:
		return btype != 2;
	case L_BTI_JC:
	case L_BRK2:		/* BRK and HLT: their own exception first */
	case L_HLT:
		return true;
	case L_PACIASP:
	case L_PACIBSP:
		return btype != 3 || !sctlr_bt;
	default:
		return false;
	}
}

/* What the Arm ARM says the case ends with */
static uint64_t expect(const struct bti_case *c)
{
	bool src_g = c->src_g && !c->mmu_off, tgt_g = c->tgt_g && !c->mmu_off;
	uint64_t mode = c->el ? 5 : 0;
	unsigned int btype;

	switch (c->kind) {
	case K_BR_X1:
	case K_BRAA_X1:
		btype = src_g ? 3 : 1;	/* BR: 11 from a guarded page... */
		break;
	case K_BR_X16:
	case K_BR_X17:
	case K_BRAA_X16:
	case K_BRAAZ_X17:
		btype = 1;		/* ...but 01 through X16/X17 */
		break;
	case K_RET_X1:
		btype = 0;
		break;
	case K_ERET_B1:
	case K_ERET_B2:
	case K_ERET_B3:
		btype = c->kind - K_ERET_B1 + 1;
		break;
	default:
		btype = 2;		/* BLR and BLRAA */
		break;
	}
	if (btype && tgt_g && !compatible(c->land, btype, (c->bt >> c->el) & 1))
		return bti_result(esr(0x0d, btype), 0, (uint64_t)btype << 10 | mode);
	switch (c->land) {
	case L_BRK2:		/* SPSR.BTYPE kept for BRK */
		return bti_result(esr(0x3c, 2), 0, (uint64_t)btype << 10 | mode);
	case L_HLT:		/* UNDEFINED */
		return bti_result(esr(0, 0), 0, mode);
	default:		/* the landing ran: BRK #1 after it */
		return bti_result(esr(0x3c, 1), 4, mode);
	}
}

static const char *const kinds[K_NR] = {
	"BR X1", "BR X16", "BR X17", "BLR X1", "BLR X16", "BRAA X1", "BRAA X16",
	"BRAAZ X17", "BLRAA X1", "BLRAAZ X16", "RET X1", "ERET BTYPE 1",
	"ERET BTYPE 2", "ERET BTYPE 3",
};
static const char *const lands[L_NR] = {
	"BTI", "BTI c", "BTI j", "BTI jc", "PACIASP", "PACIBSP", "NOP", "BRK",
	"HLT", "ADD",
};

static void show(unsigned int n, const char *who, uint64_t got, uint64_t want)
{
	struct bti_case c;

	bti_case_of(n, &c);
	printf("# case %u: EL%u BT0/1 %u %s from %s to %s in %s%s: %s %016" PRIx64
	       ", model %016" PRIx64 "\n", n, c.el, c.bt, kinds[c.kind],
	       c.src_g ? "guarded" : "plain", lands[c.land],
	       c.tgt_g ? "guarded" : "plain", c.mmu_off ? " (MMU off)" : "",
	       who, got, want);
}

/* Each line of hex from f, up to max: how many */
static unsigned int read_lines(FILE *f, uint64_t *out, unsigned int max)
{
	char line[64];
	unsigned int n = 0;

	while (n < max && fgets(line, sizeof(line), f))
		out[n++] = strtoull(line, NULL, 16);
	return n;
}

int main(int argc, char **argv)
{
	const char *qemu = argc > 2 ? argv[2] : "qemu-system-aarch64";
	char guest[4096], bin[4096], cmd[8192 + 256], *slash;
	static uint64_t q[BTI_CASES + 8], v[BTI_CASES + 8];
	unsigned int nq, i, qbad = 0, vbad = 0, bt_taken = 0;
	int nv;
	FILE *f;

	snprintf(guest, sizeof(guest), "%s", argc > 1 ? argv[1] : argv[0]);
	if (argc < 2) {
		slash = strrchr(guest, '/');
		snprintf(slash ? slash + 1 : guest, 64, "bti-guest.elf");
	}
	snprintf(bin, sizeof(bin), "%.*s.bin", (int)strlen(guest) - 4, guest);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..3\n");

	snprintf(cmd, sizeof(cmd), "%s -M virt -cpu max -m 128 -nographic -nic none "
		 "-monitor none -kernel '%s' </dev/null", qemu, guest);
	f = popen(cmd, "r");
	nq = f ? read_lines(f, q, BTI_CASES + 8) : 0;
	if (f)
		pclose(f);
	for (i = 0; i < nq && i < BTI_CASES; i++) {
		uint64_t want;
		struct bti_case c;

		bti_case_of(i, &c);
		want = expect(&c);
		if (q[i] != want && qbad++ < 10)
			show(i, "qemu", q[i], want);
	}
	printf("%s 1 - model against %s: %u of %u cases, %u differ\n",
	       nq == BTI_CASES && !qbad ? "ok" : "not ok", qemu, nq, BTI_CASES, qbad);

	nv = pauth_run_vkvm(bin, v, BTI_CASES + 8, 1, NULL, 0);
	for (i = 0; nv > 0 && i < (unsigned int)nv && i < BTI_CASES; i++) {
		struct bti_case c;
		uint64_t want;

		bti_case_of(i, &c);
		want = expect(&c);
		bt_taken += (v[i] >> 58) == 0x0d;
		if (v[i] != want && vbad++ < 10)
			show(i, "vkvm", v[i], want);
	}
	printf("%s 2 - vkvm against the model: %d of %u cases, %u differ "
	       "(%u Branch Target exceptions)\n",
	       nv == BTI_CASES && !vbad ? "ok" : "not ok", nv, BTI_CASES, vbad, bt_taken);
	for (i = 0, qbad = 0; nv == (int)nq && i < nq; i++)
		qbad += q[i] != v[i];
	printf("%s 3 - vkvm against %s: %s\n", nv == (int)nq && !qbad ? "ok" : "not ok",
	       qemu, nv == (int)nq ? (qbad ? "results differ" : "identical results") :
	       "different case counts");
	return !(nq == BTI_CASES && nv == BTI_CASES && !vbad && !qbad);
}
