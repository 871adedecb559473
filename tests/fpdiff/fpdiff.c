// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of vkvm's FP and Advanced SIMD instructions against
 * qemu-aarch64 (the approach of tests/diff/diff.c): for each class,
 * generate N seeded cases (fpgen.c), run them all in one qemu-aarch64
 * process (fpd_runner, in the background) and meanwhile one after another
 * in a vkvm VM (tests/lib/difftest.c, with CPACR_EL1.FPEN open and V0-V31,
 * FPCR and FPSR set and read through ONE_REG); compare X0-X30, NZCV,
 * V0-V31, FPCR, FPSR, the data buffer and the fault.  TAP, one point per
 * class.  qemu runs as a Cortex-A53 (ARMv8.0 SIMD&FP with AES, PMULL,
 * SHA1 and SHA256), except for the classes that reach what the A53 lacks
 * (SHA512, SHA3, SM3, SM4, FP16, FHM, FCMA, JSCVT, FRINTTS,
 * I8MM, BF16, DotProd, RDM) and run on its max CPU; each class in runs
 * of at most DIFF_CHUNK cases.  Some classes run fpd_class_scale() times
 * the cases -n asks for.
 *
 *   fpdiff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-k K] [-m MAXSHOW] [-v]
 *          [-R RUNNER] [-Q QEMU]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "difftest.h"
#include "fpgen.h"

#define VREG(n)		(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U128 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.vregs[n]))
#define FPREG32(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U32 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.name))
#define CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define CPACR_FPEN	(3ULL << 20)

static int compare(const struct fpd_result *q, const struct fpd_result *v)
{
	return memcmp(&q->r, &v->r, sizeof(q->r)) || q->fault != diff_fault_signal(v->fault) ||
	       memcmp(q->buf, v->buf, DIFF_BUF_SIZE);
}

static void show_v(const char *name, const uint8_t *in, const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2], z[2];

	memcpy(x, in, 16);
	memcpy(y, a, 16);
	memcpy(z, b, 16);
	printf("#   %-4s in %016" PRIx64 ":%016" PRIx64 " qemu %016" PRIx64 ":%016" PRIx64
	       " vkvm %016" PRIx64 ":%016" PRIx64 "%s\n", name, x[1], x[0], y[1], y[0], z[1], z[0],
	       memcmp(a, b, 16) ? "  <--" : "");
}

static void show(const struct diff_opts *o, int cls, unsigned int idx, const struct fpd_case *c,
		 const struct fpd_result *q, const struct fpd_result *v, int differ)
{
	char name[8];

	diff_show_head(o, fpd_class_name(cls), idx, differ);
	diff_disassemble(c->words, c->nwords, diff_base(o, idx));
	printf("#   nzcv in %" PRIx64 " qemu %" PRIx64 " vkvm %" PRIx64 "%s\n",
	       c->r.nzcv >> 28, q->r.nzcv >> 28, v->r.nzcv >> 28,
	       q->r.nzcv != v->r.nzcv ? "  <--" : "");
	printf("#   fpcr in %08" PRIx64 " qemu %08" PRIx64 " vkvm %08" PRIx64 "%s\n",
	       c->r.fpcr, q->r.fpcr, v->r.fpcr, q->r.fpcr != v->r.fpcr ? "  <--" : "");
	printf("#   fpsr in %08" PRIx64 " qemu %08" PRIx64 " vkvm %08" PRIx64 "%s\n",
	       c->r.fpsr, q->r.fpsr, v->r.fpsr, q->r.fpsr != v->r.fpsr ? "  <--" : "");
	if (q->fault || v->fault)
		printf("#   fault: qemu %#" PRIx64 " (signal) vkvm %#" PRIx64 "\n",
		       q->fault, v->fault);
	for (int i = 0; i < 31; i++)
		if (o->verbose > 1 || q->r.x[i] != v->r.x[i] || q->r.x[i] != c->r.x[i])
			printf("#   x%-3d in %016" PRIx64 " qemu %016" PRIx64 " vkvm %016" PRIx64
			       "%s\n", i, c->r.x[i], q->r.x[i], v->r.x[i],
			       q->r.x[i] != v->r.x[i] ? "  <--" : "");
	for (int i = 0; i < 32; i++) {
		if (o->verbose < 2 && !memcmp(q->r.v[i], v->r.v[i], 16) &&
		    !memcmp(q->r.v[i], c->r.v[i], 16))
			continue;
		snprintf(name, sizeof(name), "v%d", i);
		show_v(name, c->r.v[i], q->r.v[i], v->r.v[i]);
	}
	diff_show_buf(c->buf, q->buf, v->buf);
}

/* V0-V31, FPCR and FPSR through ONE_REG: 0 or -errno */
static int set_fp_state(struct vmc *v, const struct fpd_regs *fr)
{
	uint32_t fpcr = (uint32_t)fr->fpcr, fpsr = (uint32_t)fr->fpsr;
	int ret = 0;

	for (int i = 0; i < 32 && !ret; i++)
		ret = vmc_set_reg_p(v, VREG(i), fr->v[i]);
	ret = ret ?: vmc_set_reg_p(v, FPREG32(fpcr), &fpcr);
	return ret ?: vmc_set_reg_p(v, FPREG32(fpsr), &fpsr);
}

static int get_fp_state(struct vmc *v, struct fpd_regs *fr)
{
	uint32_t fpcr, fpsr;
	int ret = 0;

	for (int i = 0; i < 32 && !ret; i++)
		ret = vmc_get_reg_p(v, VREG(i), fr->v[i]);
	ret = ret ?: vmc_get_reg_p(v, FPREG32(fpcr), &fpcr);
	ret = ret ?: vmc_get_reg_p(v, FPREG32(fpsr), &fpsr);
	if (ret)
		return ret;
	fr->fpcr = fpcr;
	fr->fpsr = fpsr;
	return 0;
}

static int vm_open(struct vmc *v, void *arg)
{
	int ret = diff_vm_open(v, NULL);

	ret = ret ?: vmc_set_reg(v, CPACR_EL1, CPACR_FPEN);
	if (!ret)
		diff_vm_stubs(v, DIFF_STATE_FP);
	return ret;
}

static int run_vkvm(struct vmc *v, const void *c_, void *r_)
{
	const struct fpd_case *c = c_;
	struct fpd_result *r = r_;
	struct fpd_regs *block = diff_vm_block(v);
	int ret;

	ret = diff_vm_load(v, c->words, c->nwords, c->r.x, c->r.nzcv, c->buf);
	if (block)
		memcpy(block, &c->r, sizeof(*block));
	else
		ret = ret ?: set_fp_state(v, &c->r);
	if (ret)
		return ret;
	memset(r, 0, sizeof(*r));
	r->fault = diff_vm_run(v);
	ret = diff_vm_save(v, r->r.x, &r->r.nzcv, r->buf);
	if (block) {
		r->r.fpcr = block->fpcr;
		r->r.fpsr = block->fpsr;
		memcpy(r->r.v, block->v, sizeof(r->r.v));
		return ret;
	}
	return ret ?: get_fp_state(v, &r->r);
}

/*
 * Run class cls, -n CASES times its scale (or the -i case), in chunks
 * of at most DIFF_CHUNK cases: its TAP point, numbered *tp + 1.  0 if it
 * passed, 1 if it failed, -1 after a "Bail out!".
 */
static int run_class(const struct diff_opts *o, int cls, unsigned int *tp)
{
	const struct diff_test t = {
		.cpu = fpd_class_cpu(cls),
		.case_size = sizeof(struct fpd_case),
		.result_size = sizeof(struct fpd_result),
		.vm_open = vm_open,
		.run = run_vkvm,
	};
	unsigned int total = o->index >= 0 ? o->cases : o->cases * fpd_class_scale(cls);
	unsigned int chunk = total < DIFF_CHUNK ? total : DIFF_CHUNK, bad = 0, faults = 0;
	struct diff_faults qf = { 0 };
	struct fpd_case *cases = calloc(chunk, sizeof(*cases));
	struct fpd_result *qres = calloc(chunk, sizeof(*qres));
	struct fpd_result *vres = calloc(chunk, sizeof(*vres));
	uint64_t cw = 0;
	int ret = 0;

	if (!cases || !qres || !vres) {
		printf("Bail out! out of memory\n");
		ret = -1;
		goto out;
	}
	for (unsigned int first = 0, n; first < total; first += n) {
		n = total - first < chunk ? total - first : chunk;
		for (unsigned int j = 0; j < n; j++) {
			unsigned int idx = o->index >= 0 ? (unsigned int)o->index : first + j;

			fpd_gen_case(&cases[j], cls, o->seed, idx, o->variants);
			if (j && diff_check_variant(o, idx, &cases[j - 1], &cases[j],
						    offsetof(struct fpd_case, r))) {
				ret = -1;
				goto out;
			}
		}
		if (diff_run(&t, o, NULL, cases, qres, vres, n, first)) {
			ret = -1;
			goto out;
		}
		for (unsigned int j = 0; j < n; j++) {
			unsigned int idx = o->index >= 0 ? (unsigned int)o->index : first + j;
			int differ = compare(&qres[j], &vres[j]);

			cw += cases[j].nwords;
			diff_count_fault(&qf, qres[j].fault);
			faults += !qres[j].fault != !fpd_class_undef(cls);
			if (differ && bad++ < o->maxshow)
				show(o, cls, idx, &cases[j], &qres[j], &vres[j], 1);
			else if (o->verbose)
				show(o, cls, idx, &cases[j], &qres[j], &vres[j], differ);
		}
	}
	/* a case qemu faults on (or, in an undef class, does not) is a
	 * generator bug */
	diff_show_faults(fpd_class_name(cls), &qf);
	ret = diff_tap(++*tp, fpd_class_name(cls), total, cw, bad, faults,
		       " (cases faulting under qemu)");
out:
	free(cases);
	free(qres);
	free(vres);
	return ret;
}

/* The classes in order, each its own runs (qemu -cpu per class) */
int main(int argc, char **argv)
{
	struct diff_opts o;
	int cls, fails = 0, nc = fpd_nclasses();
	unsigned int tp = 0;

	diff_opts_init(&o, argv[0], "fpd_runner", 0xf10a7, 10000);
	cls = diff_parse_args(&o, argc, argv, "fpdiff", nc, fpd_class_name);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", cls < 0 ? nc : 1);
	for (int c = 0; c < nc; c++) {
		int r;

		if (cls >= 0 && c != cls)
			continue;
		r = run_class(&o, c, &tp);
		if (r < 0)
			return 1;
		fails += r;
	}
	return fails ? 1 : 0;
}
