// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of pointer authentication: kernel/cpu/pauth.c against
 * qemu-system-aarch64 -M virt -cpu max (QEMU's FEAT_PAuth with the
 * architected QARMA5, ID_AA64ISAR1_EL1.APA = 1 as ours).  qemu-user cannot
 * serve: EL0 may not set the keys.  The guest (guest.c, start.S) runs the
 * cases of pacgen.h at EL1 with random keys, TCR_EL1 (TxSZ, TBI, TBID),
 * pointers and modifiers, and prints every result; this program makes the
 * same cases and compares bit for bit.   *
 * The same guest then runs under vkvm on a vCPU with PTRAUTH, and its
 * results, every one, must be the model's: the engine's instructions
 * (exec_pauth.c) against pauth.c; and on a vCPU without PTRAUTH, where
 * its first key write (and any PAC instruction) is UNDEFINED.  TAP, three
 * points.
 *
 *	pauthdiff [-s SEED] [-n CASES] [GUEST_ELF [QEMU]]
 *		(default: seed 0x5eed, 1200 cases (pacgen.h), pauth-guest.elf
 *		 beside it, its flat image GUEST.bin next to it; the seed and
 *		 number go to the guest at PAC_PARAM_VA)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kernel/cpu/pauth.h"
#include "pacgen.h"
#include "pauth_vkvm.h"

/*
 * A pointer whose bits 63 and 55 differ with no TBI for its kind: the Arm
 * ARM's AddPAC takes the range from bit 63 (PtrHasUpperAndLowerAddRanges,
 * TBI off in both ranges) or bit 55, QEMU 7.2 mixes them; the PAC is
 * corrupted either way (bad extension bits).  Not compared.
 */
static bool unpredictable(const struct cpu_state *s, uint64_t ptr, bool data)
{
	return !pac_tbi(s, ptr, data) && ((ptr >> 63) ^ (ptr >> 55)) & 1;
}

/* Which results are compared: a bit per result */
static unsigned int compared(const struct pac_case *c)
{
	struct cpu_state s;
	unsigned int m = (1u << PAC_NR_RESULTS) - 1;

	memset(&s, 0, sizeof(s));
	s.sysreg[SR_TCR_EL1] = c->tcr;
	if (unpredictable(&s, c->ptr, false))
		m &= ~(1u << 0 | 1u << 1 | 1u << 4 | 1u << 6 | 1u << 7 | 1u << 11 |
		       1u << 12 | 1u << 13);
	if (unpredictable(&s, c->ptr, true))
		m &= ~(1u << 2 | 1u << 3 | 1u << 5 | 1u << 8 | 1u << 10);
	return m;
}

static uint64_t results(const struct pac_case *c, uint64_t *r)
{
	struct cpu_state s;
	struct pac_key ia = { c->key[1], c->key[0] }, ib = { c->key[3], c->key[2] };
	struct pac_key da = { c->key[5], c->key[4] }, db = { c->key[7], c->key[6] };
	struct pac_key ga = { c->key[9], c->key[8] };

	memset(&s, 0, sizeof(s));
	s.sysreg[SR_TCR_EL1] = c->tcr;
	r[0] = pac_add(&s, c->ptr, c->mod, ia, false);
	r[1] = pac_add(&s, c->ptr, c->mod, ib, false);
	r[2] = pac_add(&s, c->ptr, c->mod, da, true);
	r[3] = pac_add(&s, c->ptr, c->mod, db, true);
	r[4] = pac_auth(&s, r[0], c->mod, ia, false, false);
	r[5] = pac_auth(&s, r[3] ^ c->flip, c->mod, db, true, true);
	r[6] = pac_auth(&s, c->ptr, c->mod, ib, false, true);
	r[7] = pac_strip(&s, c->ptr, false);
	r[8] = pac_strip(&s, c->ptr, true);
	r[9] = pac_compute(c->ptr, c->mod, ga) & 0xffffffff00000000ULL;
	r[10] = pac_add(&s, c->ptr, 0, db, true);
	r[11] = pac_add(&s, c->ptr, c->mod, ia, false);
	r[12] = pac_add(&s, c->ptr, c->mod & ~15ULL, ib, false);
	r[13] = pac_strip(&s, c->ptr, false);
	r[14] = pac_case_low(c) ? PAC_LANDED : 0;
	r[15] = pac_case_low(c) ? PAC_LDRA : 0;
	return 0;
}

static const char *const op_names[PAC_NR_RESULTS] = {
	"PACIA", "PACIB", "PACDA", "PACDB", "AUTIA", "AUTDB", "AUTIB", "XPACI",
	"XPACD", "PACGA", "PACDZB", "PACIA1716", "PACIBSP", "XPACLRI", "BRAA/BLRAA/RETAA",
	"LDRAA/LDRAB",
};

/* Each line of hex from f, up to max: how many */
static unsigned int read_lines(FILE *f, uint64_t *out, unsigned int max)
{
	char line[64];
	unsigned int n = 0;

	while (n < max && fgets(line, sizeof(line), f))
		out[n++] = strtoull(line, NULL, 16);
	return n;
}

static void show(unsigned int idx, const char *who, const struct pac_case *c,
		 uint64_t a, uint64_t b)
{
	printf("# case %u %s: ptr %016" PRIx64 " mod %016" PRIx64 " tcr %016" PRIx64
	       ": %s %016" PRIx64 " %016" PRIx64 "\n", idx / PAC_NR_RESULTS,
	       op_names[idx % PAC_NR_RESULTS], c->ptr, c->mod, c->tcr, who, a, b);
}

int main(int argc, char **argv)
{
	const char *qemu = "qemu-system-aarch64", *argv0 = argv[0];
	char guest[4096], bin[4096], cmd[8192 + 512], *slash;
	unsigned int nq, i, bad = 0, vbad = 0, total = 0, skipped = 0, m = 0, max;
	uint64_t seed = PAC_SEED, ncases = PAC_CASES, r[PAC_NR_RESULTS], *q, *vk, *model;
	uint64_t param[3];
	struct pac_case *cases;
	int nv, nv2, nobad, opt;
	FILE *f;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		if (opt == 's') {
			seed = strtoull(optarg, NULL, 0);
		} else if (opt == 'n') {
			ncases = strtoull(optarg, NULL, 0);
		} else {
			fprintf(stderr, "usage: pauthdiff [-s SEED] [-n CASES] [GUEST_ELF [QEMU]]\n");
			return 2;
		}
	}
	if (ncases < 1 || ncases > 10000000) {
		fprintf(stderr, "pauthdiff: -n takes 1 to 10000000 cases\n");
		return 2;
	}
	max = (unsigned int)ncases * PAC_NR_RESULTS;
	param[0] = PAC_PARAM_MAGIC;
	param[1] = seed;
	param[2] = ncases;
	argc -= optind;
	argv += optind;
	if (argc > 1)
		qemu = argv[1];

	/* GUEST_ELF, default pauth-guest.elf beside this program; .bin beside it */
	snprintf(guest, sizeof(guest), "%s", argc > 0 ? argv[0] : argv0);
	if (argc < 1) {
		slash = strrchr(guest, '/');
		snprintf(slash ? slash + 1 : guest, 64, "pauth-guest.elf");
	}
	snprintf(bin, sizeof(bin), "%.*s.bin", (int)strlen(guest) - 4, guest);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..3\n");
	q = calloc(max, sizeof(*q));
	vk = calloc(max, sizeof(*vk));
	model = calloc(max, sizeof(*model));
	cases = calloc(max / PAC_NR_RESULTS, sizeof(*cases));
	if (!q || !vk || !model || !cases)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s -M virt -cpu max -m 128 -nographic -nic none "
		 "-monitor none -kernel '%s' -device loader,addr=%#llx,data=%#" PRIx64
		 ",data-len=8 -device loader,addr=%#llx,data=%#" PRIx64 ",data-len=8 "
		 "-device loader,addr=%#llx,data=%#" PRIx64 ",data-len=8 </dev/null", qemu, guest,
		 PAC_PARAM_VA, param[0], PAC_PARAM_VA + 8, param[1], PAC_PARAM_VA + 16, param[2]);
	f = popen(cmd, "r");
	if (!f) {
		printf("Bail out! cannot run %s\n", qemu);
		return 1;
	}
	nq = read_lines(f, q, max) / PAC_NR_RESULTS * PAC_NR_RESULTS;
	pclose(f);
	for (i = 0; i < nq; i++) {
		struct pac_case *c = &cases[i / PAC_NR_RESULTS];

		if (i % PAC_NR_RESULTS == 0) {
			pac_case_make(&seed, c);
			results(c, r);
			m = compared(c);
		}
		model[i] = r[i % PAC_NR_RESULTS];
		if (!((m >> (i % PAC_NR_RESULTS)) & 1)) {
			skipped++;
			continue;
		}
		total++;
		if (q[i] != model[i] && bad++ < 10)
			show(i, "qemu, pauth.c", c, q[i], model[i]);
	}
	if (nq != max || total < (ncases < 1200 ? 0 : 10000))
		printf("not ok 1 - pauth.c: only %u of %u results from %s\n", nq, max, qemu);
	else
		printf("%s 1 - pauth.c against %s: %u cases, %u results compared "
		       "(%u not: bits 63, 55 differ), %u differ\n", bad ? "not ok" : "ok",
		       qemu, nq / PAC_NR_RESULTS, total, skipped, bad);

	/* the engine's instructions against the model, every result */
	nv = pauth_run_vkvm(bin, vk, max, 1, param, 3);
	for (i = 0; nv >= 0 && i < nq && i < (unsigned int)nv; i++)
		if (vk[i] != model[i] && vbad++ < 10)
			show(i, "vkvm, pauth.c", &cases[i / PAC_NR_RESULTS], vk[i], model[i]);
	if (nv < 0 || (unsigned int)nv != nq)
		printf("not ok 2 - vkvm: the guest printed %d results, qemu %u\n", nv, nq);
	else
		printf("%s 2 - vkvm guest: %u results, %u differ from pauth.c\n",
		       vbad ? "not ok" : "ok", nq, vbad);

	/* without PTRAUTH the keys and instructions are absent: the guest
	 * faults (EC 0) at its first one, the key MSR */
	nv2 = pauth_run_vkvm(bin, vk, max, 0, param, 3);
	nobad = nv2 != 3 || vk[0] != 0xfa17fa17fa17fa17ULL || vk[1] != 0x02000000ULL;
	printf("%s 3 - vkvm guest without PTRAUTH: MSR APIAKeyLo_EL1 UNDEFINED "
	       "(%d lines, ESR %016" PRIx64 ")\n", nobad ? "not ok" : "ok", nv2,
	       nv2 > 1 ? vk[1] : 0);
	free(q);
	free(vk);
	free(model);
	free(cases);
	return bad || vbad || nq != max || total < (ncases < 1200 ? 0 : 10000) || nv < 0 ||
	       (unsigned int)nv != nq || nobad;
}
