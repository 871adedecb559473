// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/robust/cli_hostile.c: open() of a path ending in
 * ".hang" never returns, as on a file system that stopped answering.  What
 * vmm does about it (--timeout must still end the run) is the test.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void hang_if_asked(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	if (n >= 5 && !strcmp(path + n - 5, ".hang"))
		for (;;)
			pause();
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define SHIM_OPEN(name)							\
int name(const char *path, int flags, ...)				\
{									\
	static int (*real)(const char *, int, ...);			\
	va_list ap;							\
	mode_t mode;							\
									\
	va_start(ap, flags);						\
	mode = mode_arg(flags, ap);					\
	va_end(ap);							\
	hang_if_asked(path);						\
	if (!real)							\
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	return real(path, flags, mode);					\
}

#define SHIM_OPENAT(name)						\
int name(int dirfd, const char *path, int flags, ...)			\
{									\
	static int (*real)(int, const char *, int, ...);		\
	va_list ap;							\
	mode_t mode;							\
									\
	va_start(ap, flags);						\
	mode = mode_arg(flags, ap);					\
	va_end(ap);							\
	hang_if_asked(path);						\
	if (!real)							\
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	return real(dirfd, path, flags, mode);				\
}

SHIM_OPEN(open)
SHIM_OPEN(open64)
SHIM_OPENAT(openat)
SHIM_OPENAT(openat64)

/* the _FORTIFY_SOURCE entry points */
int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags)
{
	return open(path, flags);
}
