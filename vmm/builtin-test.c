// SPDX-License-Identifier: GPL-2.0
/*
 * vmm test SPEC...: run scripted guest boot tests (spec.h) in parallel,
 * each as a `vmm run` child whose console (stdout and stderr) is checked
 * and kept in LOGDIR/<test>.log.  Prints TAP, then "N passed, N failed";
 * exits 0 only if every test that ran passed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "hv.h"
#include "spec.h"

#define OUTPUT_MAX	(4 << 20)	/* console kept for checking */
#define LOG_MAX		(64 << 20)	/* console kept in the log: a guest may print forever */
#define GRACE_S		5		/* after the spec's timeout, before SIGKILL */

extern char **environ;

enum verdict { PENDING, PASS, FAIL, SKIP };

struct result {
	enum verdict verdict;
	char why[512];
	char log[PATH_MAX];
};

struct runner {
	struct spec_list specs;
	struct result *results;
	const char *accel;		/* resolved: vkvm or kvm */
	const char *accel_opt;		/* passed to vmm run */
	const char *jit_opt;		/* --jit, --no-jit (passed on) or NULL */
	const char *log_dir;
	const char *self;
	size_t next;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: vmm test [-j N] [--accel auto|vkvm|kvm] [--jit | --no-jit] [--log-dir DIR]\n"
"                SPEC...\n"
"\n"
"Runs every [test] of the spec files (keys: kernel, initrd, params, options,\n"
"smp, expect, reject, exit, timeout, accel, skip, skip-vkvm, skip-kvm; see\n"
"docs/vmm.md).  TAP on stdout, then 'N passed, N failed'.  Console logs in\n"
"DIR/<test>.log (default build/test-logs).  --jit, --no-jit: each vmm run\n"
"gets it (vkvm's block translator on, off).\n");
}

/* @path and its parents; -1 with errno if one is not a directory */
static int mkdir_p(const char *path)
{
	char buf[PATH_MAX], *p;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -1;
	if (stat(buf, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static void log_name(char *buf, size_t len, const char *dir, const char *name)
{
	char file[SPEC_NAME_MAX + 1];

	spec_file_name(name, file, sizeof(file));
	snprintf(buf, len, "%s/%s.log", dir, file);
}

/* `vmm run` for @s in @argv (NULL-terminated); returns argc */
static unsigned int run_argv(const struct runner *r, const struct spec *s, char **argv,
			     char *timeout, size_t len)
{
	unsigned int argc = 0, i;

	snprintf(timeout, len, "%lu", s->timeout_s);
	argv[argc++] = (char *)r->self;
	argv[argc++] = "run";
	argv[argc++] = "--accel";
	argv[argc++] = (char *)r->accel_opt;
	if (r->jit_opt)
		argv[argc++] = (char *)r->jit_opt;
	argv[argc++] = "--timeout";
	argv[argc++] = timeout;
	argv[argc++] = "--kernel";
	argv[argc++] = s->kernel;
	if (s->initrd) {
		argv[argc++] = "--initrd";
		argv[argc++] = s->initrd;
	}
	if (s->params) {
		argv[argc++] = "--params";
		argv[argc++] = s->params;
	}
	for (i = 0; i < s->nr_options; i++)
		argv[argc++] = s->options[i];
	argv[argc] = NULL;
	return argc;
}

static void fail(struct result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct result *res, const char *fmt, ...)
{
	va_list ap;

	res->verdict = FAIL;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

/* The log of @s, headed by where the spec is and the command line. */
static FILE *open_log(struct result *res, const struct spec *s, char **argv)
{
	FILE *log = fopen(res->log, "w");

	if (!log) {
		fail(res, "cannot write %.300s: %s", res->log, strerror(errno));
		return NULL;
	}
	fprintf(log, "# %s:%d [%s]\n#", s->file, s->line, s->name);
	for (; *argv; argv++)
		fprintf(log, " %s", *argv);
	fprintf(log, "\n");
	fflush(log);
	return log;
}

/* `vmm run` with stdin from /dev/null, stdout and stderr into *@fd */
static int spawn(struct result *res, const char *self, char **argv, pid_t *pid, int *fd)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2], devnull;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		fail(res, "out of resources");
		return -1;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	if (devnull >= 0)
		posix_spawn_file_actions_adddup2(&fa, devnull, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	errno = posix_spawn(pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (devnull >= 0)
		close(devnull);
	if (errno) {
		fail(res, "cannot start %s: %s", self, strerror(errno));
		close(pipefd[0]);
		return -1;
	}
	*fd = pipefd[0];
	return 0;
}

/*
 * The console of @pid until it ends (killed past the spec's timeout and
 * the grace): into @log (up to LOG_MAX) and @out (up to OUTPUT_MAX, NUL
 * bytes made '?').  Returns the bytes in @out; *@killed if it had to.
 */
static size_t collect(int fd, pid_t pid, const struct spec *s, FILE *log, char *out,
		      bool *killed)
{
	size_t out_len = 0, log_len = 0, put, k;
	struct timespec start, now;
	char buf[4096];
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!*killed && now.tv_sec - start.tv_sec > (time_t)(s->timeout_s + GRACE_S)) {
			kill(pid, SIGKILL);	/* our own child, by its pid */
			*killed = true;
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (log_len < LOG_MAX) {
			put = (size_t)n < LOG_MAX - log_len ? (size_t)n : LOG_MAX - log_len;
			fwrite(buf, 1, put, log);
			log_len += put;
			if (log_len == LOG_MAX)
				fprintf(log, "\n# [vmm test: the log stops at %d MiB; the console "
					"went on]\n", LOG_MAX >> 20);
		}
		put = (size_t)n < OUTPUT_MAX - out_len ? (size_t)n : OUTPUT_MAX - out_len;
		/* the checks read the console as one string: a guest's NUL byte
		 * would hide every line after it from them */
		for (k = 0; k < put; k++)
			out[out_len + k] = buf[k] ? buf[k] : '?';
		out_len += put;
	}
	return out_len;
}

static void judge(struct result *res, const struct spec *s, const char *out, int status,
		  bool killed)
{
	char why[512];

	if (killed)
		fail(res, "did not end within %lu s; killed", s->timeout_s + GRACE_S);
	else if (!WIFEXITED(status))
		fail(res, "vmm died of signal %d", WTERMSIG(status));
	else if (spec_check_output(s, out, why, sizeof(why)))
		fail(res, "%s", why);
	else if (WEXITSTATUS(status) != s->exit_status)
		fail(res, "exit status %d, expected %d%s", WEXITSTATUS(status), s->exit_status,
		     WEXITSTATUS(status) == 124 ? " (timeout)" : "");
	else
		res->verdict = PASS;
}

/* Run one spec: spawn `vmm run`, collect its console, check it. */
static void run_one(struct runner *r, const struct spec *s, struct result *res)
{
	char *argv[SPEC_MAX_ARGS + 24], timeout[32];
	const char *skip = spec_skip_reason(s, r->accel);
	int fd, status = -1;
	bool killed = false;
	size_t out_len;
	FILE *log;
	char *out;
	pid_t pid;

	if (skip) {
		res->verdict = SKIP;
		snprintf(res->why, sizeof(res->why), "%s", skip);
		return;
	}
	log_name(res->log, sizeof(res->log), r->log_dir, s->name);
	run_argv(r, s, argv, timeout, sizeof(timeout));
	log = open_log(res, s, argv);
	if (!log)
		return;
	out = malloc(OUTPUT_MAX + 1);
	if (!out) {
		fail(res, "out of resources");
	} else if (spawn(res, r->self, argv, &pid, &fd) == 0) {
		out_len = collect(fd, pid, s, log, out, &killed);
		close(fd);
		out[out_len] = '\0';
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status))
			fprintf(log, "\n# exit status %d\n", WEXITSTATUS(status));
		else
			fprintf(log, "\n# killed by signal %d\n", WTERMSIG(status));
		judge(res, s, out, status, killed);
	}
	free(out);
	fclose(log);
}

static void *worker(void *arg)
{
	struct runner *r = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&r->lock);
		i = r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->specs.n)
			return NULL;
		struct result res = { .verdict = PENDING };

		run_one(r, &r->specs.v[i], &res);
		pthread_mutex_lock(&r->lock);
		r->results[i] = res;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
}

/* The last lines of a failed test's log, as TAP diagnostics. */
static void tail_log(const char *path, int lines)
{
	FILE *f = fopen(path, "r");
	char buf[64][256];
	int n = 0, i;

	if (!f)
		return;
	while (fgets(buf[n % 64], sizeof(buf[0]), f))
		n++;
	fclose(f);
	for (i = n > lines ? n - lines : 0; i < n; i++) {
		char *l = buf[i % 64], shown[PRINTABLE_MAX * 2];

		l[strcspn(l, "\r\n")] = '\0';
		/* a guest's bytes: nothing that could pass for TAP or drive a terminal */
		printf("#   %s\n", printable(l, shown, sizeof(shown)));
	}
}

static bool given_twice(const char *opt, bool *seen)
{
	if (*seen) {
		fprintf(stderr, "vmm test: %s given twice; give it once\n", opt);
		return true;
	}
	*seen = true;
	return false;
}

/* 0: run r->specs with *jobs workers; 1: help printed; -1: bad (message printed) */
static int parse_test_options(int argc, char **argv, struct runner *r, unsigned long *jobs)
{
	static const struct option opts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "accel", required_argument, NULL, 'a' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "jit", no_argument, NULL, 'J' },
		{ "no-jit", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool seen_j = false, seen_a = false, seen_l = false;
	char shown[PRINTABLE_MAX];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (given_twice("-j", &seen_j) || parse_uint_option("-j", optarg, 1, 256, jobs))
				return -1;
			break;
		case 'a':
			if (given_twice("--accel", &seen_a) || parse_accel_option(optarg))
				return -1;
			r->accel_opt = optarg;
			break;
		case 'l':
			if (given_twice("--log-dir", &seen_l))
				return -1;
			/* room for "/<name>.log" after it */
			if (!*optarg || strlen(optarg) > PATH_MAX - SPEC_NAME_MAX - 8) {
				fprintf(stderr, "vmm: --log-dir '%s': expects a directory name of 1 "
					"to %d bytes\n", printable(optarg, shown, sizeof(shown)),
					PATH_MAX - SPEC_NAME_MAX - 8);
				return -1;
			}
			r->log_dir = optarg;
			break;
		case 'J':
		case 'N':
			if (r->jit_opt && strcmp(r->jit_opt, c == 'J' ? "--jit" : "--no-jit")) {
				fprintf(stderr, "vmm test: --jit and --no-jit exclude each other\n");
				return -1;
			}
			r->jit_opt = c == 'J' ? "--jit" : "--no-jit";
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "vmm test: %s needs a value\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return -1;
		default:
			fprintf(stderr, "vmm test: unknown option '%s'; see 'vmm test --help'\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return -1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* The spec files, this executable (for `vmm run`) and the log folder. */
static int prepare(struct runner *r, int argc, char **argv, char *self, size_t len)
{
	char err[512], shown[PRINTABLE_MAX];
	ssize_t n;

	for (; optind < argc; optind++)
		if (spec_parse_file(&r->specs, argv[optind], err, sizeof(err))) {
			fprintf(stderr, "vmm test: %s\n", err);
			return -1;
		}
	r->accel = hv_select(r->accel_opt)->name;
	if (r->jit_opt && strcmp(r->accel, hv_vkvm.name)) {
		fprintf(stderr, "vmm test: %s: only with --accel vkvm (KVM runs the guest's code "
			"natively)\n", r->jit_opt);
		return -1;
	}
	n = readlink("/proc/self/exe", self, len - 1);
	if (n <= 0) {
		fprintf(stderr, "vmm test: cannot find my own executable\n");
		return -1;
	}
	self[n] = '\0';
	r->self = self;
	if (mkdir_p(r->log_dir) < 0) {
		fprintf(stderr, "vmm test: --log-dir '%s': %s\n",
			printable(r->log_dir, shown, sizeof(shown)), strerror(errno));
		return -1;
	}
	r->results = calloc(r->specs.n, sizeof(*r->results));
	if (!r->results) {
		fprintf(stderr, "vmm test: out of memory\n");
		return -1;
	}
	return 0;
}

/* TAP lines in spec order, each as soon as its result is in; the failures */
static unsigned int report(struct runner *r, unsigned int *passed, unsigned int *skipped)
{
	unsigned int failed = 0;
	size_t i;

	for (i = 0; i < r->specs.n; i++) {
		struct result *res = &r->results[i];
		const char *name = r->specs.v[i].name;
		char why[sizeof(res->why) + 64];

		pthread_mutex_lock(&r->lock);
		while (res->verdict == PENDING)
			pthread_cond_wait(&r->cond, &r->lock);
		pthread_mutex_unlock(&r->lock);
		switch (res->verdict) {
		case PASS:
			printf("ok %zu - %s\n", i + 1, name);
			(*passed)++;
			break;
		case SKIP:
			printf("ok %zu - %s # SKIP %s\n", i + 1, name,
			       printable(res->why, why, sizeof(why)));
			(*skipped)++;
			break;
		default:
			printf("not ok %zu - %s\n# %s\n", i + 1, name,
			       printable(res->why, why, sizeof(why)));
			if (res->log[0]) {
				printf("# log: %s\n", res->log);
				tail_log(res->log, 12);
			}
			failed++;
			break;
		}
		fflush(stdout);
	}
	return failed;
}

int cmd_test(int argc, char **argv)
{
	struct runner r = { .accel_opt = "auto", .log_dir = "build/test-logs" };
	unsigned int passed = 0, failed, skipped = 0;
	unsigned long jobs = 1;
	pthread_t *threads;
	char self[4096];
	size_t i;
	int c;

	c = parse_test_options(argc, argv, &r, &jobs);
	if (c)
		return c > 0 ? 0 : 1;
	threads = calloc(jobs, sizeof(*threads));
	if (!threads || prepare(&r, argc, argv, self, sizeof(self)) < 0) {
		if (!threads)
			fprintf(stderr, "vmm test: out of memory\n");
		free(r.results);
		free(threads);
		spec_list_free(&r.specs);
		return 1;
	}
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);

	printf("TAP version 13\n1..%zu\n# accel %s\n", r.specs.n, r.accel);
	fflush(stdout);
	for (i = 0; i < jobs && i < r.specs.n; i++)
		if (pthread_create(&threads[i], NULL, worker, &r)) {
			fprintf(stderr, "vmm test: cannot start a worker\n");
			return 1;
		}
	failed = report(&r, &passed, &skipped);
	for (i = 0; i < jobs && i < r.specs.n; i++)
		pthread_join(threads[i], NULL);
	if (skipped)
		printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	else
		printf("%u passed, %u failed\n", passed, failed);
	free(threads);
	free(r.results);
	spec_list_free(&r.specs);
	return failed ? 1 : 0;
}
