// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of vkvm's integer instruction set against qemu-aarch64.
 *
 * For each instruction class, generate N seeded cases (gen.c), run them all
 * in one qemu-aarch64 process (qemu_runner, in the background) and, at the
 * same time, one after another in a vkvm VM (vkvm_side.c); then compare
 * X0-X30, NZCV and the data buffer.  Output is TAP, one point per class.
 *
 *   diff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-m MAXSHOW] [-v]
 *        [-R RUNNER] [-Q QEMU]
 *
 * -c and -i rerun one class or one case (as printed with a mismatch).
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

#include "gen.h"
#include "vkvm_side.h"

struct opts {
	uint64_t seed;
	unsigned int cases, maxshow;
	int cls, index, verbose;
	const char *runner, *qemu;
};

static const char *const xname[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
	"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
	"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};

static void disassemble(const struct diff_case *c)
{
	char path[] = "/tmp/vkvm-diff-XXXXXX", cmd[256], line[256];
	FILE *f, *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	f = fdopen(fd, "wb");
	fwrite(c->words, 4, c->nwords, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=%#llx %s 2>&1",
		 (unsigned long long)DIFF_ENTRY_VA, path);
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
	if (!p || !c->nwords)
		for (unsigned int i = 0; i < c->nwords; i++)
			printf("#   %08x\n", c->words[i]);
	unlink(path);
}

/* vkvm's exception as the signal Linux would deliver for it (qemu's side). */
static uint64_t fault_as_signal(uint64_t fault)
{
	uint64_t esr = fault & ~(0xfULL << 60), ec = esr >> 26 & 0x3f;

	if ((fault >> 60) != (DIFF_FAULT_ESR >> 60))
		return fault;
	if (ec == 0x25 && (esr & 0x3f) == 0x21)
		return SIGBUS;		/* alignment fault */
	if (ec == 0x25 || ec == 0x21)
		return SIGSEGV;
	if (ec == 0x00)
		return SIGILL;
	if (ec == 0x3c)
		return SIGTRAP;
	return fault;
}

static int compare(const struct diff_result *q, const struct diff_result *v)
{
	return memcmp(q->x, v->x, sizeof(q->x)) || q->nzcv != v->nzcv ||
	       q->fault != fault_as_signal(v->fault) || memcmp(q->buf, v->buf, DIFF_BUF_SIZE);
}

static void show(const struct opts *o, int cls, unsigned int idx, const struct diff_case *c,
		 const struct diff_result *q, const struct diff_result *v, int differ)
{
	printf("# %s class %s seed %#" PRIx64 " case %u (rerun: -s %#" PRIx64
	       " -c %s -i %u)\n", differ ? "MISMATCH" : "case", diff_class_name(cls),
	       o->seed, idx, o->seed, diff_class_name(cls), idx);
	disassemble(c);
	printf("#   nzcv in %" PRIx64 " qemu %" PRIx64 " vkvm %" PRIx64 "\n",
	       c->nzcv >> 28, q->nzcv >> 28, v->nzcv >> 28);
	if (q->fault || v->fault)
		printf("#   fault: qemu %#" PRIx64 " (signal) vkvm %#" PRIx64 "\n",
		       q->fault, v->fault);
	for (int i = 0; i < 31; i++)
		printf("#   %-3s in %016" PRIx64 " qemu %016" PRIx64 " vkvm %016" PRIx64 "%s\n",
		       xname[i], c->x[i], q->x[i], v->x[i], q->x[i] != v->x[i] ? "  <--" : "");
	for (unsigned int i = 0; i < DIFF_BUF_SIZE; i += 8) {
		uint64_t a, b, in;

		memcpy(&in, c->buf + i, 8);
		memcpy(&a, q->buf + i, 8);
		memcpy(&b, v->buf + i, 8);
		if (a != b)
			printf("#   buf[x28%+d] in %016" PRIx64 " qemu %016" PRIx64
			       " vkvm %016" PRIx64 "  <--\n",
			       (int)i - (int)(DIFF_BUF_SIZE / 2), in, a, b);
	}
}

/* Start the runner under qemu-aarch64 on in_fd, writing to out_fd. */
static pid_t start_qemu(const struct opts *o, int in_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		dup2(in_fd, 0);
		dup2(out_fd, 1);
		execlp(o->qemu, o->qemu, o->runner, (char *)NULL);
		perror(o->qemu);
		_exit(127);
	}
	return pid;
}

static int tmpfile_fd(void)
{
	char path[] = "/tmp/vkvm-diff-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: diff [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-m MAXSHOW] "
		"[-v] [-R RUNNER] [-Q QEMU]\nclasses:");
	for (int i = 0; i < DIFF_NCLASSES; i++)
		fprintf(stderr, " %s", diff_class_name(i));
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char runner[PATH_MAX];
	struct opts o = { .seed = 0x5eed, .cases = 400, .maxshow = 3, .cls = -1, .index = -1,
			  .qemu = "qemu-aarch64" };
	struct diff_case *cases;
	struct diff_result *qres, *vres;
	unsigned int n, *skip, ncls = 0, tp = 0, fails = 0;
	int cls_list[DIFF_NCLASSES], opt, in_fd, out_fd, status;
	uint64_t words = 0, skippable = 0;
	struct vside v;
	pid_t pid;

	snprintf(runner, sizeof(runner), "%s", argv[0]);
	if (strrchr(runner, '/'))
		strcpy(strrchr(runner, '/') + 1, "qemu_runner");
	else
		strcpy(runner, "./qemu_runner");
	o.runner = runner;
	while ((opt = getopt(argc, argv, "s:n:c:i:m:vR:Q:")) != -1) {
		switch (opt) {
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'n': o.cases = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c':
			o.cls = diff_class_by_name(optarg);
			if (o.cls < 0)
				usage();
			break;
		case 'i': o.index = atoi(optarg); break;
		case 'm': o.maxshow = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'v': o.verbose = 1; break;
		case 'R': o.runner = optarg; break;
		case 'Q': o.qemu = optarg; break;
		default: usage();
		}
	}
	if (o.index >= 0 && o.cls < 0)
		usage();
	for (int c = 0; c < DIFF_NCLASSES; c++)
		if (o.cls < 0 || o.cls == c)
			cls_list[ncls++] = c;
	if (o.index >= 0)
		o.cases = 1;
	n = ncls * o.cases;

	cases = calloc(n, sizeof(*cases));
	qres = calloc(n, sizeof(*qres));
	vres = calloc(n, sizeof(*vres));
	skip = calloc(n, sizeof(*skip));
	if (!cases || !qres || !vres || !skip) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	for (unsigned int k = 0; k < ncls; k++)
		for (unsigned int i = 0; i < o.cases; i++) {
			unsigned int idx = o.index >= 0 ? (unsigned int)o.index : i;
			unsigned int j = k * o.cases + i;

			skip[j] = diff_gen_case(&cases[j], cls_list[k], o.seed, idx);
			words += cases[j].nwords;
			skippable += skip[j];
		}

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

	opt = vside_open(&v);
	if (opt) {
		printf("Bail out! vkvm VM setup: %s\n", strerror(-opt));
		return 1;
	}
	for (unsigned int j = 0; j < n; j++) {
		opt = vside_run(&v, &cases[j], &vres[j]);
		if (opt) {
			printf("Bail out! vkvm run: %s\n", strerror(-opt));
			return 1;
		}
	}
	vside_close(&v);

	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("Bail out! %s %s failed (status %#x)\n", o.qemu, o.runner, status);
		return 1;
	}
	if (pread(out_fd, qres, n * sizeof(*qres), 0) != (ssize_t)(n * sizeof(*qres))) {
		printf("Bail out! short output from %s\n", o.runner);
		return 1;
	}

	printf("1..%u\n", ncls + (o.cls < 0 ? 1 : 0));
	for (unsigned int k = 0; k < ncls; k++) {
		unsigned int bad = 0, faults = 0;
		uint64_t cw = 0;

		for (unsigned int i = 0; i < o.cases; i++) {
			unsigned int j = k * o.cases + i;
			unsigned int idx = o.index >= 0 ? (unsigned int)o.index : i;
			int differ = compare(&qres[j], &vres[j]);

			cw += cases[j].nwords;
			if (!qres[j].fault != (cls_list[k] != CL_ALIGN))
				faults++;
			if (differ && bad++ < o.maxshow)
				show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], 1);
			else if (o.verbose)
				show(&o, cls_list[k], idx, &cases[j], &qres[j], &vres[j], differ);
		}
		/*
		 * A case qemu faults on (or, in align-fault, does not fault on)
		 * is a generator bug: it does not test what it says.
		 */
		printf("%s %u - %s: %u cases, %" PRIu64 " instructions, %u mismatches%s\n",
		       bad || faults ? "not ok" : "ok", ++tp, diff_class_name(cls_list[k]),
		       o.cases, cw, bad, faults ? " (cases faulting unexpectedly under qemu)" : "");
		fails += bad || faults;
	}
	if (o.cls < 0) {
		uint64_t executed = words - skippable;

		printf("%s %u - total: %" PRIu64 " instructions, at least %" PRIu64
		       " executed (>= 100000 required), seed %#" PRIx64 "\n",
		       executed >= 100000 ? "ok" : "not ok", ++tp, words, executed, o.seed);
		fails += executed < 100000;
	}
	free(cases);
	free(qres);
	free(vres);
	free(skip);
	return fails ? 1 : 0;
}
