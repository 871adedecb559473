// SPDX-License-Identifier: GPL-2.0
/*
 * Messages of the VMM itself, on stderr, filtered by --loglevel; and the one
 * rate limit for every message a guest can trigger at will (vmm.h).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vmm.h"

enum log_level vmm_log_level = LOG_WARNING;
void (*log_before_write)(void);

static void vlog(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (level > vmm_log_level)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	/* the guest's output before it, when both go to one terminal or file */
	if (log_before_write)
		log_before_write();
	/* one fprintf so that lines of different threads do not interleave */
	fprintf(stderr, "vmm: %s%s", prefix, buf);
	fflush(stderr);
}

#define LOG_FN(fn, level, prefix)			\
	void fn(const char *fmt, ...)			\
	{						\
		va_list ap;				\
		va_start(ap, fmt);			\
		vlog(level, prefix, fmt, ap);		\
		va_end(ap);				\
	}

LOG_FN(pr_err, LOG_ERROR, "")
LOG_FN(pr_warn, LOG_WARNING, "warning: ")
LOG_FN(pr_info, LOG_INFO, "")
LOG_FN(pr_debug, LOG_DEBUG, "debug: ")
LOG_FN(pr_diag, LOG_ERROR, "")

/* ---- rate limit ---------------------------------------------------------- */

/*
 * Each site prints its first LOG_BURST messages; after that it counts them.
 * While the flood lasts, the count is reported when a message arrives at
 * least one interval after the first uncounted one, and the interval doubles
 * (5 s, 10 s, 20 s... up to an hour), so that a guest looping for ever costs
 * a few lines an hour.  A site quiet for a whole interval starts afresh, with
 * its count reported first.  Whatever is still counted at exit is reported
 * by log_report_suppressed().
 */
#define LOG_BURST		10
#define LOG_INTERVAL_NS		(5ULL * 1000000000ULL)
#define LOG_INTERVAL_MAX_NS	(3600ULL * 1000000000ULL)

static pthread_mutex_t site_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_site *sites;		/* those that ever suppressed one */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Lock held.  @since_ns: the report covers that much time (0: at exit). */
static void report(struct log_site *s, uint64_t since_ns)
{
	char when[48] = "";

	if (!s->suppressed)
		return;
	if (since_ns)
		snprintf(when, sizeof(when), " in the last %" PRIu64 " s",
			 (uint64_t)((since_ns + 500000000ULL) / 1000000000ULL));
	fprintf(stderr, "vmm: %" PRIu64 " more like \"%s\" suppressed%s\n", s->suppressed,
		s->label, when);
	fflush(stderr);
	s->reported += s->suppressed;
	s->suppressed = 0;
}

bool log_site_allow(struct log_site *s, const char *label)
{
	uint64_t now;
	bool allow;
	size_t n;

	pthread_mutex_lock(&site_lock);
	/* under the lock: an earlier time than last_ns would look like ages */
	now = now_ns();
	if (!s->interval_ns)
		s->interval_ns = LOG_INTERVAL_NS;
	if (s->printed >= LOG_BURST && now - s->last_ns >= s->interval_ns) {
		report(s, now - s->first_ns);
		s->printed = 0;
	}
	s->last_ns = now;
	allow = s->printed < LOG_BURST;
	if (allow) {
		s->printed++;
		/* the first line of what it says, as the name of its kind */
		n = strcspn(label, "\n");
		if (n >= sizeof(s->label))
			n = sizeof(s->label) - 1;
		memcpy(s->label, label, n);
		s->label[n] = '\0';
	} else {
		if (!s->registered) {
			s->registered = true;
			s->next = sites;
			sites = s;
		}
		if (!s->suppressed)
			s->first_ns = now;
		s->suppressed++;
		if (now - s->first_ns >= s->interval_ns) {
			report(s, now - s->first_ns);
			if (s->interval_ns < LOG_INTERVAL_MAX_NS)
				s->interval_ns *= 2;
		}
	}
	pthread_mutex_unlock(&site_lock);
	return allow;
}

void log_report_suppressed(void)
{
	struct log_site *s;

	pthread_mutex_lock(&site_lock);
	for (s = sites; s; s = s->next)
		report(s, 0);
	pthread_mutex_unlock(&site_lock);
}

void pr_site(struct log_site *s, enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERROR] = "", [LOG_WARNING] = "warning: ", [LOG_INFO] = "", [LOG_DEBUG] = "debug: ",
	};
	char buf[1024], line[1040];
	va_list ap;
	int n;

	if (level > vmm_log_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* the label is the message as printed, "warning: " and all */
	snprintf(line, sizeof(line), "%s%s", prefix[level], buf);
	if (!log_site_allow(s, line))
		return;
	if (log_before_write)
		log_before_write();
	fprintf(stderr, "vmm: %s", line);
	fflush(stderr);
}
