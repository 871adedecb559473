// SPDX-License-Identifier: GPL-2.0
/*
 * The code buffer (codebuf.h): a memfd of size bytes mapped PROT_READ |
 * PROT_WRITE once and PROT_READ | PROT_EXEC once.  x86-64 keeps
 * instruction fetch coherent with stores through another mapping of the
 * same page (cross-modifying code needs no cache maintenance there; the
 * store is complete before the call that runs it), so no flush is needed
 * between writing a block and running it.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "codebuf.h"

int codebuf_init(struct codebuf *b, size_t size)
{
	void *rw, *rx;
	int fd, err;

	b->rw = b->rx = NULL;
	b->fd = -1;
	fd = memfd_create("vkvm-jit", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		goto fail;
	rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rw == MAP_FAILED)
		goto fail;
	rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (rx == MAP_FAILED) {
		err = errno;
		munmap(rw, size);
		errno = err;
		goto fail;
	}
	b->rw = rw;
	b->rx = rx;
	b->size = size;
	b->used = 0;
	b->fd = fd;
	return 0;
fail:
	err = errno;
	close(fd);
	return -err;
}

void codebuf_free(struct codebuf *b)
{
	if (b->rw)
		munmap(b->rw, b->size);
	if (b->rx)
		munmap(b->rx, b->size);
	if (b->fd >= 0)
		close(b->fd);
	b->rw = b->rx = NULL;
	b->fd = -1;
}

void codebuf_reset(struct codebuf *b)
{
	b->used = 0;
}
