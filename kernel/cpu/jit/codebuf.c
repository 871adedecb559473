// SPDX-License-Identifier: GPL-2.0
/*
 * The code buffer (codebuf.h): size bytes of shared anonymous memory
 * mapped PROT_READ | PROT_WRITE once and PROT_READ | PROT_EXEC once (not
 * a memfd: perf takes a memfd's mapping for a file's and would not read
 * its map file for it; a shared anonymous mapping is "/dev/zero", which
 * perf knows as anonymous memory, both views included; a memfd only
 * where the second view cannot be made so, as under valgrind).  x86-64 keeps
 * instruction fetch coherent with stores through another mapping of the
 * same page (cross-modifying code needs no cache maintenance there; the
 * store is complete before the call that runs it), so no flush is needed
 * between writing a block and running it.
 *
 * perf's map (tools/perf/Documentation/jit-interface.txt): perf report
 * names a sample in an anonymous executable mapping from
 * /tmp/perf-PID.map, one line a piece of code, "START SIZE name" with
 * START and SIZE in hex without 0x.  The file has no time in it: when the
 * buffer is emptied (codebuf_reset) and its addresses are used again, the
 * old lines stay, and a sample there may get an older translation's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "codebuf.h"

static bool perfmap_said;	/* a perf map problem told on stderr */

/* VKVM_JIT_PERFMAP=1: a descriptor appending to /tmp/perf-PID.map; else -1 */
static int perfmap_open(void)
{
	static bool opened;
	const char *v = getenv("VKVM_JIT_PERFMAP");
	char path[64];
	int fd, flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW;

	if (!v || !*v || !strcmp(v, "0"))
		return -1;
	if (strcmp(v, "1")) {
		if (!__atomic_exchange_n(&perfmap_said, true, __ATOMIC_RELAXED))
			fprintf(stderr, "vkvm: VKVM_JIT_PERFMAP='%.16s': expected 0 or 1; "
				"no perf map\n", v);
		return -1;
	}
	snprintf(path, sizeof(path), "/tmp/perf-%ld.map", (long)getpid());
	/* the process's first buffer empties a file an earlier process of
	 * the same PID left; the others append to it */
	if (!__atomic_exchange_n(&opened, true, __ATOMIC_RELAXED))
		flags |= O_TRUNC;
	fd = open(path, flags, 0644);
	if (fd < 0 && !__atomic_exchange_n(&perfmap_said, true, __ATOMIC_RELAXED))
		fprintf(stderr, "vkvm: VKVM_JIT_PERFMAP: %s: %s; no perf map\n", path,
			strerror(errno));
	return fd;
}

/* Two views of size bytes of shared anonymous memory: 0 or -errno, nothing mapped */
static int views_anon(size_t size, uint8_t **rw, uint8_t **rx)
{
	void *w, *x;
	int err;

	w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w == MAP_FAILED)
		return -errno;
	/* an old size of 0: a second mapping of the same shared pages (mremap(2)) */
	x = mremap(w, 0, size, MREMAP_MAYMOVE);
	if (x == MAP_FAILED) {
		err = -errno;
		munmap(w, size);
		return err;
	}
	if (mprotect(x, size, PROT_READ | PROT_EXEC) < 0) {
		err = -errno;
		munmap(x, size);
		munmap(w, size);
		return err;
	}
	*rw = w;
	*rx = x;
	return 0;
}

/*
 * The same from a memfd mapped twice: where mremap() of old size 0 is
 * refused (valgrind's emulation of it: EINVAL), so that callgrind still
 * measures translated code.  perf takes these views for a file's
 * ("/memfd:vkvm-jit"), and does not name their samples from the map.
 */
static int views_memfd(size_t size, uint8_t **rw, uint8_t **rx)
{
	void *w, *x;
	int fd, err;

	fd = memfd_create("vkvm-jit", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		goto fail;
	w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		goto fail;
	x = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (x == MAP_FAILED) {
		err = errno;
		munmap(w, size);
		errno = err;
		goto fail;
	}
	close(fd);		/* the mappings keep the memory */
	*rw = w;
	*rx = x;
	return 0;
fail:
	err = -errno;
	close(fd);
	return err;
}

int codebuf_init(struct codebuf *b, size_t size)
{
	int err;

	b->rw = b->rx = NULL;
	b->perfmap_fd = -1;
	err = views_anon(size, &b->rw, &b->rx);
	if (err && views_memfd(size, &b->rw, &b->rx) == 0)
		err = 0;
	if (err)
		return err;
	b->size = size;
	b->used = 0;
	b->perfmap_fd = perfmap_open();
	return 0;
}

void codebuf_free(struct codebuf *b)
{
	if (b->rw)
		munmap(b->rw, b->size);
	if (b->rx)
		munmap(b->rx, b->size);
	if (b->perfmap_fd >= 0)
		close(b->perfmap_fd);
	b->rw = b->rx = NULL;
	b->perfmap_fd = -1;
}

void codebuf_reset(struct codebuf *b)
{
	b->used = 0;
}

static void perfmap_line(struct codebuf *b, const char *line, int n);

void codebuf_name(struct codebuf *b, const uint8_t *p, size_t len, uint64_t pc,
		  unsigned int el)
{
	char line[96];

	if (b->perfmap_fd < 0)
		return;
	perfmap_line(b, line, snprintf(line, sizeof(line),
				       "%" PRIxPTR " %zx vkvm-jit EL%u pc=0x%" PRIx64 "\n",
				       (uintptr_t)codebuf_rx(b, p), len, el, pc));
}

void codebuf_name_bounce(struct codebuf *b, const uint8_t *p, size_t len)
{
	char line[64];

	if (b->perfmap_fd < 0)
		return;
	perfmap_line(b, line, snprintf(line, sizeof(line), "%" PRIxPTR " %zx vkvm-jit bounce\n",
				       (uintptr_t)codebuf_rx(b, p), len));
}

static void perfmap_line(struct codebuf *b, const char *line, int n)
{
	/* one write a line: O_APPEND keeps the vCPUs' lines whole */
	if (write(b->perfmap_fd, line, (size_t)n) != n) {
		if (!__atomic_exchange_n(&perfmap_said, true, __ATOMIC_RELAXED))
			fprintf(stderr, "vkvm: VKVM_JIT_PERFMAP: writing /tmp/perf-%ld.map: %s; "
				"no more lines\n", (long)getpid(), strerror(errno ? errno : EIO));
		close(b->perfmap_fd);
		b->perfmap_fd = -1;
	}
}
