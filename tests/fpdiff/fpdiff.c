// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of vkvm's FP and Advanced SIMD instructions against
 * qemu-aarch64 (the approach of tests/diff/diff.c): for each class,
 * generate N seeded cases (fpgen.c), run them all in one qemu-aarch64
 * process (fpd_runner, in the background) and meanwhile one after another
 * in a vkvm VM (fpd_vside.c); compare X0-X30, NZCV, V0-V31, FPCR, FPSR,
 * the data buffer and the fault.  TAP, one point per class.
 *
 *   fpdiff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-m MAXSHOW] [-v]
 *          [-R RUNNER] [-Q QEMU]
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fpgen.h"
#include "fpd_vside.h"

struct opts {
	uint64_t seed;
	unsigned int cases, maxshow;
	int cls, index, verbose;
	const char *runner, *qemu;
};

static void disassemble(const struct fpd_case *c)
{
	char path[] = "/tmp/vkvm-fpdiff-XXXXXX", cmd[256], line[256];
	FILE *f, *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	f = fdopen(fd, "wb");
	fwrite(c->words, 4, c->nwords, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=%#llx %s 2>&1",
		 (unsigned long long)FPD_ENTRY_VA, path);
	p = popen(cmd, "r");
	if (p) {
		int body = 0;

		while (fgets(line, sizeof(line), p)) {
			if (strstr(line, ">:"))
				body = 1;
			else if (body && line[0] != '\n')
				printf("#   %s", line);
		}
		pclose(p);
	}
	unlink(path);
}

/* vkvm's exception as the signal Linux would deliver for it */
static uint64_t fault_as_signal(uint64_t fault)
{
	uint64_t esr = fault & ~(0xfULL << 60), ec = esr >> 26 & 0x3f;

	if ((fault >> 60) != (FPD_FAULT_ESR >> 60))
		return fault;
	if (ec == 0x25 && (esr & 0x3f) == 0x21)
		return SIGBUS;
	if (ec == 0x25 || ec == 0x21)
		return SIGSEGV;
	if (ec == 0x00)
		return SIGILL;
	if (ec == 0x3c)
		return SIGTRAP;
	return fault;
}

static int compare(const struct fpd_result *q, const struct fpd_result *v)
{
	return memcmp(&q->r, &v->r, sizeof(q->r)) || q->fault != fault_as_signal(v->fault) ||
	       memcmp(q->buf, v->buf, FPD_BUF_SIZE);
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

static void show(const struct opts *o, int cls, unsigned int idx, const struct fpd_case *c,
		 const struct fpd_result *q, const struct fpd_result *v, int differ)
{
	char name[8];

	printf("# %s class %s seed %#" PRIx64 " case %u (rerun: -s %#" PRIx64
	       " -c %s -i %u)\n", differ ? "MISMATCH" : "case", fpd_class_name(cls),
	       o->seed, idx, o->seed, fpd_class_name(cls), idx);
	disassemble(c);
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
	for (unsigned int i = 0; i < FPD_BUF_SIZE; i += 8) {
		uint64_t a, b, in;

		memcpy(&in, c->buf + i, 8);
		memcpy(&a, q->buf + i, 8);
		memcpy(&b, v->buf + i, 8);
		if (a != b)
			printf("#   buf[x28%+d] in %016" PRIx64 " qemu %016" PRIx64
			       " vkvm %016" PRIx64 "  <--\n",
			       (int)i - (int)(FPD_BUF_SIZE / 2), in, a, b);
	}
}

static pid_t start_qemu(const struct opts *o, int in_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		dup2(in_fd, 0);
		dup2(out_fd, 1);
		/* a Cortex-A53: ARMv8.0 SIMD&FP, as vkvm (no FP16, RDM, dot product) */
		execlp(o->qemu, o->qemu, "-cpu", "cortex-a53", o->runner, (char *)NULL);
		perror(o->qemu);
		_exit(127);
	}
	return pid;
}

static int tmpfile_fd(void)
{
	char path[] = "/tmp/vkvm-fpdiff-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: fpdiff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-m MAXSHOW] "
		"[-v] [-R RUNNER] [-Q QEMU]\nclasses:");
	for (int i = 0; i < fpd_nclasses(); i++)
		fprintf(stderr, " %s", fpd_class_name(i));
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char runner[PATH_MAX];
	struct opts o = { .seed = 0xf10a7, .cases = 300, .maxshow = 3, .cls = -1, .index = -1,
			  .qemu = "qemu-aarch64" };
	struct fpd_case *cases;
	struct fpd_result *qres, *vres;
	unsigned int n, ncls = 0, tp = 0, fails = 0;
	int *cls_list, opt, in_fd, out_fd, status;
	struct fvside v;
	pid_t pid;

	snprintf(runner, sizeof(runner), "%s", argv[0]);
	if (strrchr(runner, '/'))
		strcpy(strrchr(runner, '/') + 1, "fpd_runner");
	else
		strcpy(runner, "./fpd_runner");
	o.runner = runner;
	while ((opt = getopt(argc, argv, "s:n:c:i:m:vR:Q:")) != -1) {
		switch (opt) {
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'n': o.cases = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c':
			o.cls = fpd_class_by_name(optarg);
			if (o.cls < 0)
				usage();
			break;
		case 'i': o.index = atoi(optarg); break;
		case 'm': o.maxshow = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'v': o.verbose++; break;
		case 'R': o.runner = optarg; break;
		case 'Q': o.qemu = optarg; break;
		default: usage();
		}
	}
	if (o.index >= 0 && o.cls < 0)
		usage();
	cls_list = calloc((size_t)fpd_nclasses(), sizeof(*cls_list));
	for (int c = 0; c < fpd_nclasses(); c++)
		if (o.cls < 0 || o.cls == c)
			cls_list[ncls++] = c;
	if (o.index >= 0)
		o.cases = 1;
	n = ncls * o.cases;

	cases = calloc(n, sizeof(*cases));
	qres = calloc(n, sizeof(*qres));
	vres = calloc(n, sizeof(*vres));
	if (!cases || !qres || !vres || !cls_list) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	for (unsigned int k = 0; k < ncls; k++)
		for (unsigned int i = 0; i < o.cases; i++)
			fpd_gen_case(&cases[k * o.cases + i], cls_list[k], o.seed,
				     o.index >= 0 ? (unsigned int)o.index : i);

	in_fd = tmpfile_fd();
	out_fd = tmpfile_fd();
	if (in_fd < 0 || out_fd < 0 || write(in_fd, cases, n * sizeof(*cases)) !=
	    (ssize_t)(n * sizeof(*cases)) || lseek(in_fd, 0, SEEK_SET) != 0) {
		printf("Bail out! temporary files: %s\n", strerror(errno));
		return 1;
	}
	pid = start_qemu(&o, in_fd, out_fd);
	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		return 1;
	}
	opt = fvside_open(&v);
	if (opt) {
		printf("Bail out! vkvm VM setup: %s\n", strerror(-opt));
		return 1;
	}
	for (unsigned int j = 0; j < n; j++) {
		opt = fvside_run(&v, &cases[j], &vres[j]);
		if (opt) {
			printf("Bail out! vkvm run: %s\n", strerror(-opt));
			return 1;
		}
	}
	fvside_close(&v);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("Bail out! %s %s failed (status %#x)\n", o.qemu, o.runner, status);
		return 1;
	}
	if (pread(out_fd, qres, n * sizeof(*qres), 0) != (ssize_t)(n * sizeof(*qres))) {
		printf("Bail out! short output from %s\n", o.runner);
		return 1;
	}

	printf("1..%u\n", ncls);
	for (unsigned int k = 0; k < ncls; k++) {
		unsigned int bad = 0, faults = 0;
		uint64_t cw = 0;

		for (unsigned int i = 0; i < o.cases; i++) {
			unsigned int j = k * o.cases + i;
			unsigned int idx = o.index >= 0 ? (unsigned int)o.index : i;
			int differ = compare(&qres[j], &vres[j]);

			cw += cases[j].nwords;
			faults += !qres[j].fault != !fpd_class_undef(cls_list[k]);
			if (differ && bad++ < o.maxshow)
				show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], 1);
			else if (o.verbose)
				show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], differ);
		}
		/* a case qemu faults on (or, in simd-undef, does not) is a generator bug */
		printf("%s %u - %s: %u cases, %" PRIu64 " instructions, %u mismatches%s\n",
		       bad || faults ? "not ok" : "ok", ++tp, fpd_class_name(cls_list[k]),
		       o.cases, cw, bad, faults ? " (cases faulting under qemu)" : "");
		fails += bad || faults;
	}
	free(cases);
	free(qres);
	free(vres);
	free(cls_list);
	return fails ? 1 : 0;
}
