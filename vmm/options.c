// SPDX-License-Identifier: GPL-2.0
/* Option values shared by the subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "builtin.h"

int parse_uint_option(const char *opt, const char *val, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!val || !*val || *val == '-' || *val == '+') {
		fprintf(stderr, "vmm: %s: expects a number\n", opt);
		return -1;
	}
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || v > max) {
		fprintf(stderr, "vmm: %s %s: not a number between 0 and %lu\n",
			opt, val, max);
		return -1;
	}
	*out = v;
	return 0;
}
