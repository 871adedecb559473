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
	const char *log_dir;
	const char *self;
	size_t next;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: vmm test [-j N] [--accel auto|vkvm|kvm] [--log-dir DIR] SPEC...\n"
"\n"
"Runs every [test] of the spec files (keys: kernel, initrd, params, options,\n"
"smp, expect, reject, exit, timeout, accel, skip, skip-vkvm, skip-kvm; see\n"
"docs/vmm.md).  TAP on stdout, then 'N passed, N failed'.  Console logs in\n"
"DIR/<test>.log (default build/test-logs).\n");
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

/* Run one spec: spawn `vmm run`, collect its console, check it. */
static void run_one(struct runner *r, const struct spec *s, struct result *res)
{
	char *argv[SPEC_MAX_ARGS + 24], timeout[32], why[512];
	unsigned int argc = 0, i;
	posix_spawn_file_actions_t fa;
	int pipefd[2], status = -1, devnull;
	pid_t pid;
	FILE *log;
	char *out;
	size_t out_len = 0, log_len = 0;
	struct timespec start, now;
	bool killed = false;
	const char *skip = spec_skip_reason(s, r->accel);

	if (skip) {
		res->verdict = SKIP;
		snprintf(res->why, sizeof(res->why), "%s", skip);
		return;
	}
	log_name(res->log, sizeof(res->log), r->log_dir, s->name);
	snprintf(timeout, sizeof(timeout), "%lu", s->timeout_s);
	argv[argc++] = (char *)r->self;
	argv[argc++] = "run";
	argv[argc++] = "--accel";
	argv[argc++] = (char *)r->accel_opt;
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

	log = fopen(res->log, "w");
	if (!log) {
		res->verdict = FAIL;
		snprintf(res->why, sizeof(res->why), "cannot write %.300s: %s", res->log,
			 strerror(errno));
		return;
	}
	fprintf(log, "# %s:%d [%s]\n#", s->file, s->line, s->name);
	for (i = 0; i < argc; i++)
		fprintf(log, " %s", argv[i]);
	fprintf(log, "\n");
	fflush(log);

	out = malloc(OUTPUT_MAX + 1);
	if (!out || pipe2(pipefd, O_CLOEXEC) < 0) {
		res->verdict = FAIL;
		snprintf(res->why, sizeof(res->why), "out of resources");
		free(out);
		fclose(log);
		return;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	if (devnull >= 0)
		posix_spawn_file_actions_adddup2(&fa, devnull, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &start);
	errno = posix_spawn(&pid, r->self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (devnull >= 0)
		close(devnull);
	if (errno) {
		res->verdict = FAIL;
		snprintf(res->why, sizeof(res->why), "cannot start %s: %s", r->self,
			 strerror(errno));
		close(pipefd[0]);
		free(out);
		fclose(log);
		return;
	}
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char buf[4096];
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!killed && now.tv_sec - start.tv_sec > (time_t)(s->timeout_s + GRACE_S)) {
			kill(pid, SIGKILL);	/* our own child, by its pid */
			killed = true;
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (log_len < LOG_MAX) {
			size_t put = (size_t)n < LOG_MAX - log_len ? (size_t)n : LOG_MAX - log_len;

			fwrite(buf, 1, put, log);
			log_len += put;
			if (log_len == LOG_MAX)
				fprintf(log, "\n# [vmm test: the log stops at %d MiB; the console "
					"went on]\n", LOG_MAX >> 20);
		}
		if (out_len < OUTPUT_MAX) {
			size_t take = (size_t)n < OUTPUT_MAX - out_len ? (size_t)n : OUTPUT_MAX - out_len;

			size_t k;

			/* the checks read the console as one string: a guest's
			 * NUL byte would hide every line after it from them */
			for (k = 0; k < take; k++)
				out[out_len + k] = buf[k] ? buf[k] : '?';
			out_len += take;
		}
	}
	close(pipefd[0]);
	out[out_len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		fprintf(log, "\n# exit status %d\n", WEXITSTATUS(status));
	else
		fprintf(log, "\n# killed by signal %d\n", WTERMSIG(status));
	fclose(log);

	res->verdict = FAIL;
	if (killed) {
		snprintf(res->why, sizeof(res->why), "did not end within %lu s; killed",
			 s->timeout_s + GRACE_S);
	} else if (!WIFEXITED(status)) {
		snprintf(res->why, sizeof(res->why), "vmm died of signal %d", WTERMSIG(status));
	} else if (spec_check_output(s, out, why, sizeof(why))) {
		snprintf(res->why, sizeof(res->why), "%s", why);
	} else if (WEXITSTATUS(status) != s->exit_status) {
		snprintf(res->why, sizeof(res->why), "exit status %d, expected %d%s",
			 WEXITSTATUS(status), s->exit_status,
			 WEXITSTATUS(status) == 124 ? " (timeout)" : "");
	} else {
		res->verdict = PASS;
	}
	free(out);
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

int cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "accel", required_argument, NULL, 'a' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct runner r = { .accel_opt = "auto", .log_dir = "build/test-logs" };
	bool seen_j = false, seen_a = false, seen_l = false;
	char shown[PRINTABLE_MAX];
	const struct hv_ops *hv;
	unsigned long jobs = 1;
	unsigned int passed = 0, failed = 0, skipped = 0;
	pthread_t *threads;
	char err[512], self[4096];
	ssize_t n;
	size_t i;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (given_twice("-j", &seen_j) || parse_uint_option("-j", optarg, 1, 256, &jobs))
				return 1;
			break;
		case 'a':
			if (given_twice("--accel", &seen_a))
				return 1;
			if (parse_accel_option(optarg))
				return 1;
			r.accel_opt = optarg;
			break;
		case 'l':
			if (given_twice("--log-dir", &seen_l))
				return 1;
			/* room for "/<name>.log" after it */
			if (!*optarg || strlen(optarg) > PATH_MAX - SPEC_NAME_MAX - 8) {
				fprintf(stderr, "vmm: --log-dir '%s': expects a directory name of 1 "
					"to %d bytes\n", printable(optarg, shown, sizeof(shown)),
					PATH_MAX - SPEC_NAME_MAX - 8);
				return 1;
			}
			r.log_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "vmm test: %s needs a value\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return 1;
		default:
			fprintf(stderr, "vmm test: unknown option '%s'; see 'vmm test --help'\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	for (; optind < argc; optind++)
		if (spec_parse_file(&r.specs, argv[optind], err, sizeof(err))) {
			fprintf(stderr, "vmm test: %s\n", err);
			spec_list_free(&r.specs);
			return 1;
		}
	hv = hv_select(r.accel_opt);
	r.accel = hv->name;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		fprintf(stderr, "vmm test: cannot find my own executable\n");
		spec_list_free(&r.specs);
		return 1;
	}
	self[n] = '\0';
	r.self = self;
	if (mkdir_p(r.log_dir) < 0) {
		fprintf(stderr, "vmm test: --log-dir '%s': %s\n",
			printable(r.log_dir, shown, sizeof(shown)), strerror(errno));
		spec_list_free(&r.specs);
		return 1;
	}
	r.results = calloc(r.specs.n, sizeof(*r.results));
	threads = calloc(jobs, sizeof(*threads));
	if (!r.results || !threads) {
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
	/* report in spec order as results arrive */
	for (i = 0; i < r.specs.n; i++) {
		struct result *res = &r.results[i];
		const char *name = r.specs.v[i].name;
		char why[sizeof(res->why) + 64];

		pthread_mutex_lock(&r.lock);
		while (res->verdict == PENDING)
			pthread_cond_wait(&r.cond, &r.lock);
		pthread_mutex_unlock(&r.lock);
		switch (res->verdict) {
		case PASS:
			printf("ok %zu - %s\n", i + 1, name);
			passed++;
			break;
		case SKIP:
			printf("ok %zu - %s # SKIP %s\n", i + 1, name,
			       printable(res->why, why, sizeof(why)));
			skipped++;
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
