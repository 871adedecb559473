// SPDX-License-Identifier: GPL-2.0
/* Messages of the VMM itself, on stderr, filtered by --loglevel. */
#include <stdarg.h>
#include <stdio.h>

#include "vmm.h"

enum log_level vmm_log_level = LOG_WARNING;

static void vlog(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (level > vmm_log_level)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
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
