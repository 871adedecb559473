// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT's perf map (kernel/cpu/jit/codebuf.c): with VKVM_JIT_PERFMAP=1
 * every translation is a line of /tmp/perf-PID.map as perf reads it,
 * "START SIZE name", START and SIZE hex without 0x, the name "vkvm-jit
 * EL<n> pc=0x<pc>".  Two vCPUs run a loop with every block translated at
 * its first check; then each line must parse, lie inside the executable
 * view of its vCPU's code buffer, as /proc/self/maps shows it (a mapping
 * perf takes for anonymous memory: "/dev/zero", shared), name an EL1 PC
 * of the loop, and the lines of one buffer must follow each other from
 * the buffer's start without overlap (16-byte aligned starts), one line a
 * translation, after the first, "START SIZE vkvm-jit bounce" (the stub
 * first in the buffer that jumps into a dropped translation bounce to).  Without the variable, or with a value other than 0 or 1,
 * no file is written.
 *
 * Usage: test_jit_perfmap
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../../kernel/cpu/internal.h"
#include "../../kernel/cpu/jit/jit.h"

#define RAM_SIZE	0x10000ULL
#define CODE_GPA	(RAM_GPA + 0x1000)
#define MAX_LINES	64
#define MAX_MAPS	8

static const uint32_t loop[] = {
	0xd2800000,	/* MOVZ x0, #0 */
	0xd2800c81,	/* MOVZ x1, #100 */
	0x91000c00,	/* loop: ADD x0, x0, #3 */
	0xf1000421,	/* SUBS x1, x1, #1 */
	0x54ffffc1,	/* B.NE loop */
	0xd4000002,	/* HVC #0 */
};

struct line {
	uint64_t start, size, pc;
	unsigned int el;
	int bounce;		/* the bounce's line, no EL or PC */
};

struct range {
	uintptr_t lo, hi;
};

static char path[64];

/* the executable views of JIT code buffers in /proc/self/maps */
static unsigned int jit_maps(struct range *r)
{
	char l[512], perms[8], name[256];
	unsigned int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	uintptr_t lo, hi;

	if (!f)
		return 0;
	while (n < MAX_MAPS && fgets(l, sizeof(l), f)) {
		name[0] = '\0';
		if (sscanf(l, "%" SCNxPTR "-%" SCNxPTR " %7s %*s %*s %*s %255[^\n]", &lo, &hi,
			   perms, name) < 3)
			continue;
		if (!strcmp(perms, "r-xs") && !strncmp(name, "/dev/zero", 9))
			r[n++] = (struct range){ lo, hi };
	}
	fclose(f);
	return n;
}

/* One line as perf reads it; 0 and why in @why if it is not one. */
static int parse(const char *l, struct line *o, char *why, size_t len)
{
	char tail[2];
	int a, b;

	/* "%x" would take a 0x prefix, a sign or blanks: digits checked first */
	a = (int)strspn(l, "0123456789abcdef");
	b = l[a] == ' ' ? (int)strspn(l + a + 1, "0123456789abcdef") : 0;
	if (!a || !b || l[a + 1 + b] != ' ') {
		snprintf(why, len, "START or SIZE is not plain hex");
		return 0;
	}
	o->bounce = sscanf(l, "%" SCNx64 " %" SCNx64 " vkvm-jit bounce%1[\n]",
			   &o->start, &o->size, tail) == 3 && !strchr(l, '\n')[1];
	if (o->bounce)
		return 1;
	if (sscanf(l, "%" SCNx64 " %" SCNx64 " vkvm-jit EL%u pc=0x%" SCNx64 "%1[\n]",
		   &o->start, &o->size, &o->el, &o->pc, tail) != 5 || strchr(l, '\n')[1]) {
		snprintf(why, len, "not 'START SIZE vkvm-jit ELn pc=0xPC'");
		return 0;
	}
	return 1;
}

static int make_env(struct env *v, const char *perfmap)
{
	setenv("VKVM_JIT", "1", 1);
	setenv("VKVM_JIT_THRESHOLD", "0", 1);
	if (perfmap)
		setenv("VKVM_JIT_PERFMAP", perfmap, 1);
	else
		unsetenv("VKVM_JIT_PERFMAP");
	return env_init(v, RAM_SIZE);
}

static int run_loop(struct env *v)
{
	env_reset(v, CODE_GPA);
	env_load(v, CODE_GPA, loop, sizeof(loop));
	return env_run(v) == CPU_EXIT_HVC && v->cpu.state.x[0] == 300;
}

/* Check the file's lines against the buffers in r; the number of lines. */
static unsigned int check_lines(FILE *f, const struct range *r, unsigned int nr)
{
	uintptr_t end[MAX_MAPS] = { 0 };
	unsigned int n = 0, k, bad = 0, bounces = 0;
	char l[256], why[96];
	struct line o;

	while (fgets(l, sizeof(l), f)) {
		n++;
		if (!parse(l, &o, why, sizeof(why))) {
			tap_ok(0, "line %u parses: %s: %s", n, why, l);
			bad++;
			continue;
		}
		for (k = 0; k < nr && !(o.start >= r[k].lo && o.start < r[k].hi); k++)
			;
		if (k == nr || !o.size || o.start + o.size > r[k].hi) {
			tap_ok(0, "line %u: %#" PRIx64 "+%#" PRIx64 " is not inside a code buffer",
			       n, o.start, o.size);
			bad++;
			continue;
		}
		/* a buffer's code follows on from its start, the bounce first:
		 * 16-byte aligned */
		if (!end[k] && !o.bounce) {
			tap_ok(0, "line %u: not after the bounce", n);
			bad++;
		}
		if (o.bounce ? o.start != r[k].lo || end[k] :
		    o.start < end[k] || o.start - end[k] >= 16 || o.start % 16) {
			tap_ok(0, "line %u: %#" PRIx64 " does not follow on from %#" PRIxPTR,
			       n, o.start, end[k]);
			bad++;
		}
		end[k] = (uintptr_t)(o.start + o.size);
		if (o.bounce) {
			bounces++;
			continue;
		}
		if (o.el != 1 || o.pc < CODE_GPA || o.pc >= CODE_GPA + sizeof(loop) ||
		    o.pc % 4) {
			tap_ok(0, "line %u: EL%u pc %#" PRIx64 " is not one of the loop's", n,
			       o.el, o.pc);
			bad++;
		}
	}
	for (k = 0; k < nr; k++)
		if (!end[k]) {
			tap_ok(0, "buffer %u has no line", k);
			bad++;
		}
	tap_ok(!bad && bounces == nr, "%u lines: each parses, lies in its vCPU's code "
	       "buffer, follows on from the one before, names an EL1 PC of the loop, "
	       "the bounce's first in each buffer (%u)", n, bounces);
	return n - bounces;
}

static void test_perfmap(void)
{
	const struct jit_stats *sa, *sb;
	struct range r[MAX_MAPS];
	struct env a, b;
	unsigned int nr, n;
	FILE *f;

	unlink(path);
	if (make_env(&a, "1") || make_env(&b, "1")) {
		tap_ok(0, "environments");
		return;
	}
	tap_ok(run_loop(&a) && run_loop(&b), "the loop runs on two vCPUs with the JIT");
	sa = cpu_jit_stats(&a.cpu);
	sb = cpu_jit_stats(&b.cpu);
	nr = jit_maps(r);
	tap_ok(nr == 2, "/proc/self/maps shows two code buffers as shared \"/dev/zero\" "
	       "r-xs mappings (perf's anonymous memory): %u", nr);
	f = fopen(path, "r");
	tap_ok(f != NULL, "%s written", path);
	if (f && sa && sb) {
		n = check_lines(f, r, nr);
		tap_ok(sa->blocks >= 2 && !sa->flushes && !sb->flushes &&
		       n == sa->blocks + sb->blocks,
		       "one line a translation: %u lines besides the bounces, %llu + %llu blocks", n,
		       (unsigned long long)sa->blocks, (unsigned long long)sb->blocks);
		fclose(f);
	}
	env_destroy(&a);
	env_destroy(&b);
	unlink(path);
}

static void test_no_perfmap(const char *value)
{
	struct env a;

	unlink(path);
	if (make_env(&a, value)) {
		tap_ok(0, "environment");
		return;
	}
	tap_ok(run_loop(&a) && cpu_jit_stats(&a.cpu)->blocks && access(path, F_OK),
	       "VKVM_JIT_PERFMAP=%s: translations, no %s", value ? value : "(unset)", path);
	env_destroy(&a);
	unlink(path);
}

int main(void)
{
	snprintf(path, sizeof(path), "/tmp/perf-%ld.map", (long)getpid());
	test_perfmap();
	test_no_perfmap(NULL);
	test_no_perfmap("0");
	test_no_perfmap("yes");
	return tap_done();
}
