// SPDX-License-Identifier: GPL-2.0
/* Option values shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"

const char *printable(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	if (!s)
		s = "";
	/* room for one escape (4) and "..." (3) and the NUL */
	for (; *s && o + 8 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	if (*s)
		o += (size_t)snprintf(buf + o, len - o, "...");
	if (o >= len)		/* a @len under 8: snprintf cut the escape */
		o = len - 1;
	buf[o] = '\0';
	return buf;
}

int parse_uint_option(const char *opt, const char *val, unsigned long min,
		      unsigned long max, unsigned long *out)
{
	char *end, shown[PRINTABLE_MAX];
	unsigned long v = 0;

	/* strtoul would take blanks, a sign or a 0x prefix: only digits here */
	if (val && isdigit((unsigned char)*val)) {
		errno = 0;
		v = strtoul(val, &end, 10);
	}
	if (!val || !isdigit((unsigned char)*val) || errno || *end || v < min || v > max) {
		fprintf(stderr, "vmm: %s '%s': expects a number from %lu to %lu\n", opt,
			printable(val, shown, sizeof(shown)), min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_sve_vl_option(const char *opt, const char *val, unsigned long *out)
{
	unsigned long v;

	if (parse_uint_option(opt, val, 1, SVE_VL_BITS_MAX, &v))
		return -1;
	/* the architecture's rule; the hypervisor's own set is checked later */
	if (v % 128) {
		fprintf(stderr, "vmm: %s %lu: a vector length is a multiple of 128 bits\n",
			opt, v);
		return -1;
	}
	*out = v;
	return 0;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a regular file";
}

static bool kind_ok(mode_t mode, bool blk_ok)
{
	return S_ISREG(mode) || (blk_ok && S_ISBLK(mode));
}

static int refuse(char *why, size_t len, mode_t mode, bool blk_ok)
{
	snprintf(why, len, "is %s; expected a regular file%s", file_kind(mode),
		 blk_ok ? " or a block device" : "");
	return -1;
}

int open_option_file(const char *path, int flags, bool blk_ok, struct stat *st,
		     char *why, size_t len)
{
	struct stat pre;
	int fd;

	if (!*path) {
		snprintf(why, len, "expects a file name");
		return -1;
	}
	/*
	 * Look before opening: open() of a FIFO waits for the other end, and
	 * O_CREAT would make a new file where a directory entry of another
	 * kind stands.  O_NONBLOCK covers a swap between stat and open.
	 */
	if (stat(path, &pre) == 0 && !kind_ok(pre.st_mode, blk_ok))
		return refuse(why, len, pre.st_mode, blk_ok);
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!kind_ok(st->st_mode, blk_ok)) {
		close(fd);
		return refuse(why, len, st->st_mode, blk_ok);
	}
	/* regular files and block devices never block anyway: plain I/O from here */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
