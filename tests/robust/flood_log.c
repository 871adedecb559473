// SPDX-License-Identifier: GPL-2.0
/*
 * The rate limit of vmm/log.c alone (TAP): a site prints its first 10
 * messages and counts the rest; the counts reported add up to what was
 * suppressed, from one thread or many; messages below the log level are
 * neither printed nor counted; a site quiet for its interval starts afresh.
 * stderr goes to a temporary file that the checks read back.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/vmm.h"

static int n, failed;
static char path[] = "/tmp/vmm-flood-log-XXXXXX";

static void check(int ok, const char *what)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++n, what);
	fflush(stdout);
	failed |= !ok;
}

/* Everything written to stderr since the last call. */
static char *take_stderr(void)
{
	static long done;
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	fflush(stderr);
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	len = ftell(f) - done;
	buf = calloc(1, (size_t)len + 1);
	fseek(f, done, SEEK_SET);
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		buf[0] = '\0';
	fclose(f);
	done += len;
	return buf;
}

static unsigned int count(const char *s, const char *what)
{
	unsigned int c = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		c++;
	return c;
}

/* The sum of the N of every 'N more like "LABEL" suppressed'. */
static unsigned long long counted(const char *s, const char *label)
{
	char tail[160];
	unsigned long long sum = 0, v;
	const char *p;

	snprintf(tail, sizeof(tail), " more like \"%s\" suppressed", label);
	for (p = s; (p = strstr(p, "vmm: ")); p += 5)
		if (sscanf(p, "vmm: %llu", &v) == 1 && !strncmp(strchr(p + 5, ' '), tail,
								  strlen(tail)))
			sum += v;
	return sum;
}

static struct log_site threaded;

static void *flood(void *arg)
{
	unsigned int i;

	for (i = 0; i < 100000; i++)
		if (log_site_allow(&threaded, "threaded flood"))
			fprintf(stderr, "vmm: threaded flood\n");
	return arg;
}

static void one_site(void)
{
	pr_warn_rl("guest did %s\n", "it");
}

int main(void)
{
	struct log_site site = { 0 };
	pthread_t t[4];
	unsigned int i, allowed = 0;
	char *out;
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);

	if (fd < 0 || saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
		printf("1..0 # SKIP no temporary file\n");
		return 0;
	}
	close(fd);

	for (i = 0; i < 1000; i++)
		allowed += log_site_allow(&site, "one kind\nsecond line");
	check(allowed == 10, "the first 10 of 1000 are allowed");
	log_report_suppressed();
	out = take_stderr();
	check(counted(out, "one kind") == 990, "the exit report counts the 990 others");
	check(!strstr(out, "in the last"), "the exit report has no period");
	free(out);
	log_report_suppressed();
	out = take_stderr();
	check(!*out, "reported once only");
	free(out);

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, flood, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	log_report_suppressed();
	out = take_stderr();
	check(count(out, "vmm: threaded flood\n") == 10, "4 threads: 10 printed");
	if (count(out, "vmm: threaded flood\n") != 10)
		printf("# %u printed:\n%s", count(out, "vmm: threaded flood\n"), out);
	check(count(out, "vmm: threaded flood\n") + counted(out, "threaded flood") == 400000,
	      "4 threads: printed + counted = 400000");
	free(out);

	vmm_log_level = LOG_WARNING;
	for (i = 0; i < 50; i++)
		pr_debug_rl("below the level %u\n", i);
	for (i = 0; i < 50; i++)
		one_site();
	log_report_suppressed();
	out = take_stderr();
	check(!strstr(out, "below the level"), "below the log level: neither printed nor counted");
	check(count(out, "vmm: warning: guest did it\n") == 10, "pr_warn_rl: 10 printed");
	check(counted(out, "warning: guest did it") == 40,
	      "pr_warn_rl: the label is the line as printed, 40 counted");
	free(out);

	/* a whole interval (5 s) of quiet: a fresh burst, the count reported first */
	for (i = 0; i < 30; i++)
		log_site_allow(&site, "one kind");
	free(take_stderr());
	sleep(6);
	check(log_site_allow(&site, "one kind"), "after 6 s of quiet a message prints again");
	out = take_stderr();
	check(counted(out, "one kind") == 30 && strstr(out, "in the last"),
	      "and the 30 counted before are reported for their period");
	free(out);

	unlink(path);
	/* the sanitizers' reports at exit must be seen */
	dup2(saved, STDERR_FILENO);
	printf("1..%d\n", n);
	return failed;
}
