// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of pointer authentication: kernel/cpu/pauth.c against
 * qemu-system-aarch64 -M virt -cpu max (QEMU's FEAT_PAuth with the
 * architected QARMA5, ID_AA64ISAR1_EL1.APA = 1 as ours).  qemu-user cannot
 * serve: EL0 may not set the keys.  The guest (guest.c, start.S) runs the
 * cases of pacgen.h at EL1 with random keys, TCR_EL1 (TxSZ, TBI, TBID),
 * pointers and modifiers, and prints every result; this program makes the
 * same cases and compares bit for bit.  TAP, one point.
 *
 *	pauthdiff [GUEST_ELF [QEMU]]	(default: pauth-guest.elf beside it)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/cpu/pauth.h"
#include "pacgen.h"

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
		m &= ~(1u << 0 | 1u << 1 | 1u << 4 | 1u << 6 | 1u << 7);
	if (unpredictable(&s, c->ptr, true))
		m &= ~(1u << 2 | 1u << 3 | 1u << 5 | 1u << 8);
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
	return 0;
}

static const char *const op_names[PAC_NR_RESULTS] = {
	"PACIA", "PACIB", "PACDA", "PACDB", "AUTIA", "AUTDB", "AUTIB", "XPACI",
	"XPACD", "PACGA",
};

int main(int argc, char **argv)
{
	const char *qemu = argc > 2 ? argv[2] : "qemu-system-aarch64", *guest = argv[1];
	char def[4096], *slash;
	uint64_t seed = 0x5eed, r[PAC_NR_RESULTS], q;
	unsigned int n = 0, i, bad = 0, total = 0, skipped = 0, m;
	struct pac_case c;
	char cmd[8192 + 256], line[64];
	FILE *f;

	if (argc < 2) {
		snprintf(def, sizeof(def), "%s", argv[0]);
		slash = strrchr(def, '/');
		snprintf(slash ? slash + 1 : def, sizeof(def) - (size_t)(slash ? slash + 1 - def : 0),
			 "pauth-guest.elf");
		guest = def;
	}
	printf("1..1\n");
	snprintf(cmd, sizeof(cmd), "%s -M virt -cpu max -m 128 -nographic -nic none "
		 "-monitor none -kernel '%s' </dev/null", qemu, guest);
	f = popen(cmd, "r");
	if (!f) {
		printf("Bail out! cannot run %s\n", qemu);
		return 1;
	}
	for (;;) {
		pac_case_make(&seed, &c);
		results(&c, r);
		m = compared(&c);
		for (i = 0; i < PAC_NR_RESULTS; i++) {
			if (!fgets(line, sizeof(line), f))
				goto out;
			q = strtoull(line, NULL, 16);
			if (!((m >> i) & 1)) {
				skipped++;
				continue;
			}
			total++;
			if (q == r[i])
				continue;
			if (bad++ < 10)
				printf("# case %u %s: ptr %016" PRIx64 " mod %016" PRIx64
				       " tcr %016" PRIx64 ": qemu %016" PRIx64
				       " vkvm %016" PRIx64 "\n", n, op_names[i], c.ptr,
				       c.mod, c.tcr, q, r[i]);
		}
		n++;
	}
out:
	pclose(f);
	if (total < 10000) {
		printf("not ok 1 - pauth: only %u results from %s\n", total, qemu);
		return 1;
	}
	printf("%s 1 - pauth: %u cases, %u results compared (%u not: bits 63, 55 differ), "
	       "%u differ\n", bad ? "not ok" : "ok", n, total, skipped, bad);
	return bad != 0;
}
