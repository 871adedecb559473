// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of vkvm's integer instruction set against qemu-aarch64.
 *
 * For each instruction class, generate N seeded cases (gen.c), run them all
 * in one qemu-aarch64 process (qemu_runner, in the background) and, at the
 * same time, one after another in a vkvm VM (tests/lib/difftest.c); then
 * compare X0-X30, NZCV and the data buffer.  Output is TAP, one point per
 * class.
 *
 *   diff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-k K] [-m MAXSHOW] [-v]
 *        [-R RUNNER] [-Q QEMU]
 *
 * -c and -i rerun one class or one case (as printed with a mismatch);
 * -k K runs each code with K inputs (difftest.h).
 *
 * Class lse2 needs a QEMU with FEAT_LSE2 (8.1 or later; Debian 12's 7.2
 * has none): -Q QEMU, else $VKVM_QEMU_LSE2, else the sid chroot's
 * (BUILD/sid/chroot/usr/bin/qemu-aarch64, tests/rig/sid.sh), else it is
 * skipped.  The other classes run under -Q QEMU or qemu-aarch64.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "difftest.h"
#include "gen.h"

static const char *const xname[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
	"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
	"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};

static int compare(const struct diff_result *q, const struct diff_result *v)
{
	return memcmp(q->r.x, v->r.x, sizeof(q->r.x)) || q->r.nzcv != v->r.nzcv ||
	       q->fault != diff_fault_signal(v->fault) || memcmp(q->buf, v->buf, DIFF_BUF_SIZE);
}

static void show(const struct diff_opts *o, int cls, unsigned int idx, const struct diff_case *c,
		 const struct diff_result *q, const struct diff_result *v, int differ)
{
	diff_show_head(o, diff_class_name(cls), idx, differ);
	diff_disassemble(c->words, c->nwords, diff_base(o, idx));
	printf("#   nzcv in %" PRIx64 " qemu %" PRIx64 " vkvm %" PRIx64 "\n",
	       c->r.nzcv >> 28, q->r.nzcv >> 28, v->r.nzcv >> 28);
	if (q->fault || v->fault)
		printf("#   fault: qemu %#" PRIx64 " (signal) vkvm %#" PRIx64 "\n",
		       q->fault, v->fault);
	for (int i = 0; i < 31; i++)
		printf("#   %-3s in %016" PRIx64 " qemu %016" PRIx64 " vkvm %016" PRIx64 "%s\n",
		       xname[i], c->r.x[i], q->r.x[i], v->r.x[i],
		       q->r.x[i] != v->r.x[i] ? "  <--" : "");
	diff_show_buf(c->buf, q->buf, v->buf);
}

static int run_vkvm(struct vmc *v, const void *c_, void *r_)
{
	const struct diff_case *c = c_;
	struct diff_result *r = r_;
	int ret;

	ret = diff_vm_load(v, c->words, c->nwords, c->r.x, c->r.nzcv, c->buf);
	if (ret)
		return ret;
	memset(r, 0, sizeof(*r));
	r->fault = diff_vm_run(v);
	return diff_vm_save(v, r->r.x, &r->r.nzcv, r->buf);
}

static int vm_open(struct vmc *v, void *arg)
{
	int ret = diff_vm_open(v, NULL);

	(void)arg;
	if (!ret)
		diff_vm_stubs(v, DIFF_STATE_GP);
	return ret;
}

static const struct diff_test diff_test = {
	.case_size = sizeof(struct diff_case),
	.result_size = sizeof(struct diff_result),
	.vm_open = vm_open,
	.run = run_vkvm,
};

/* The QEMU for class lse2, or NULL (see the top of this file) */
static const char *lse2_oracle(const struct diff_opts *o, const char *argv0, char *buf,
			       size_t len)
{
	const char *env = getenv("VKVM_QEMU_LSE2"), *slash = strrchr(argv0, '/');

	if (strcmp(o->qemu, "qemu-aarch64"))
		return o->qemu;
	if (env && *env)
		return env;
	snprintf(buf, len, "%.*s/../../sid/chroot/usr/bin/qemu-aarch64",
		 slash ? (int)(slash - argv0) : 1, slash ? argv0 : ".");
	return access(buf, X_OK) ? NULL : buf;
}

int main(int argc, char **argv)
{
	struct diff_opts o, lse2_o;
	struct diff_case *cases;
	struct diff_result *qres, *vres;
	unsigned int chunk, ncls = 0, tp = 0, fails = 0;
	char lse2_qemu[4096];
	int cls_list[DIFF_NCLASSES], cls;
	uint64_t words = 0, skippable = 0;

	diff_opts_init(&o, argv[0], "qemu_runner", 0x5eed, 10000);
	cls = diff_parse_args(&o, argc, argv, "diff", DIFF_NCLASSES, diff_class_name);
	for (int c = 0; c < DIFF_NCLASSES; c++)
		if (cls < 0 || cls == c)
			cls_list[ncls++] = c;
	lse2_o = o;
	lse2_o.qemu = lse2_oracle(&o, argv[0], lse2_qemu, sizeof(lse2_qemu));

	chunk = o.cases < DIFF_CHUNK ? o.cases : DIFF_CHUNK;
	cases = calloc(chunk, sizeof(*cases));
	qres = calloc(chunk, sizeof(*qres));
	vres = calloc(chunk, sizeof(*vres));
	if (!cases || !qres || !vres) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", ncls + (cls < 0 ? 1 : 0));
	/* each class in runs of at most DIFF_CHUNK cases; lse2 under its own oracle */
	for (unsigned int k = 0; k < ncls; k++) {
		const struct diff_opts *ok = cls_list[k] == CL_LSE2 ? &lse2_o : &o;
		unsigned int bad = 0, faults = 0;
		struct diff_faults qf = { 0 };
		uint64_t cw = 0;

		if (!ok->qemu) {
			printf("ok %u - %s # SKIP no QEMU with FEAT_LSE2 (-Q, $VKVM_QEMU_LSE2 "
			       "or BUILD/sid)\n", ++tp, diff_class_name(cls_list[k]));
			continue;
		}
		for (unsigned int first = 0, n; first < o.cases; first += n) {
			n = o.cases - first < chunk ? o.cases - first : chunk;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int idx = o.index >= 0 ? (unsigned int)o.index : first + j;

				skippable += diff_gen_case(&cases[j], cls_list[k], o.seed, idx,
							   o.variants);
				words += cases[j].nwords;
				if (j && diff_check_variant(&o, idx, &cases[j - 1], &cases[j],
							    offsetof(struct diff_case, r)))
					return 1;
			}
			if (diff_run(&diff_test, ok, NULL, cases, qres, vres, n, first))
				return 1;
			for (unsigned int j = 0; j < n; j++) {
				unsigned int idx = o.index >= 0 ? (unsigned int)o.index : first + j;
				int differ = compare(&qres[j], &vres[j]);

				cw += cases[j].nwords;
				diff_count_fault(&qf, qres[j].fault);
				/* lse2: faults or not, by the offset */
				if (cls_list[k] != CL_LSE2 &&
				    !qres[j].fault != (cls_list[k] != CL_ALIGN))
					faults++;
				if (differ && bad++ < o.maxshow)
					show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], 1);
				else if (o.verbose)
					show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j],
					     differ);
			}
		}
		/*
		 * A case qemu faults on (or, in align-fault, does not fault on)
		 * is a generator bug: it does not test what it says.
		 */
		diff_show_faults(diff_class_name(cls_list[k]), &qf);
		fails += diff_tap(++tp, diff_class_name(cls_list[k]), o.cases, cw, bad, faults,
				  " (cases faulting unexpectedly under qemu)");
	}
	if (cls < 0) {
		uint64_t executed = words - skippable;

		printf("%s %u - total: %" PRIu64 " instructions, at least %" PRIu64
		       " executed (>= 100000 required), seed %#" PRIx64 "\n",
		       executed >= 100000 ? "ok" : "not ok", ++tp, words, executed, o.seed);
		fails += executed < 100000;
	}
	free(cases);
	free(qres);
	free(vres);
	return fails ? 1 : 0;
}
