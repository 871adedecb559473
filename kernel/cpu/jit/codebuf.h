/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JIT's code buffer: shared memory mapped twice, writable (rw) and
 * executable (rx) at different addresses, so that no page is ever both
 * (W^X).  Code is appended at used and runs at the same offset in rx;
 * when full it is emptied wholesale (codebuf_reset) after every
 * translation in it has been uninstalled.
 */
#ifndef VKVM_CPU_JIT_CODEBUF_H
#define VKVM_CPU_JIT_CODEBUF_H

#include <stddef.h>
#include <stdint.h>

struct codebuf {
	uint8_t *rw, *rx;
	size_t size, used;
	int perfmap_fd;		/* perf's map of this process's JIT code, or -1 */
};

/*
 * 0, or -errno with nothing mapped.  With VKVM_JIT_PERFMAP=1 in the
 * environment the buffer also appends what codebuf_name() is told to
 * perf's map file, /tmp/perf-PID.map (emptied by the process's first
 * buffer); if that cannot be opened, stderr says why once and the code
 * runs unnamed.
 */
int codebuf_init(struct codebuf *b, size_t size);
void codebuf_free(struct codebuf *b);
void codebuf_reset(struct codebuf *b);
/* the executable address of rw byte p */
static inline const uint8_t *codebuf_rx(const struct codebuf *b, const uint8_t *p)
{
	return b->rx + (p - b->rw);
}

/*
 * Name the len bytes of code written at rw byte p in perf's map, at their
 * executable address: "vkvm-jit EL<el> pc=0x<pc>", pc the guest's virtual
 * address of the first instruction they run.  Nothing without a map.
 */
void codebuf_name(struct codebuf *b, const uint8_t *p, size_t len, uint64_t pc,
		  unsigned int el);

/* ... the len bytes of the bounce (translate.c) at p, first in the
 * buffer: "vkvm-jit bounce" */
void codebuf_name_bounce(struct codebuf *b, const uint8_t *p, size_t len);

static inline int codebuf_holds(const struct codebuf *b, const void *rx)
{
	return (uintptr_t)rx - (uintptr_t)b->rx < b->size;
}

#endif /* VKVM_CPU_JIT_CODEBUF_H */
