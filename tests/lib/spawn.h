/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a program with its output captured, for the test programs that
 * run vmm: tests/vmm and the rig's tests/vmm/rig/rig_tests.c.  Header only:
 * the rig's program is built from its own two sources.
 */
#ifndef TESTS_LIB_SPAWN_H
#define TESTS_LIB_SPAWN_H

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

/* Appends a0 and the arguments after it in ap, up to a NULL, to argv[argc]
 * onwards (argv has room for max pointers, the final NULL included); the
 * new argc. */
static inline int argv_append(char **argv, int argc, int max, const char *a0, va_list ap)
{
	const char *a;

	for (a = a0; a && argc < max - 1; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	return argc;
}

/* Starts argv (NULL-terminated) with stdin on /dev/null, stdout and stderr
 * into a pipe whose read end is *fd; the child's pid, or -1. */
static inline pid_t spawn_piped(char *const argv[], int *fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* Reads fd to its end into out (at most len - 1 bytes, then a NUL), and
 * closes it. */
static inline void read_all(int fd, char *out, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, out + n, len - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fd);
}

#endif
