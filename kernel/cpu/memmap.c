// SPDX-License-Identifier: GPL-2.0
/* Guest physical memory: which published region holds an IPA. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu.h"

const struct cpu_mem_region *cpu_memmap_find(const struct cpu_memmap *map,
					     uint64_t gpa)
{
	unsigned int lo = 0, hi;

	if (!map)
		return NULL;
	hi = map->nr;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct cpu_mem_region *r = &map->r[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa - r->gpa >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool cpu_memmap_poisoned(const struct cpu_memmap *map, uint64_t gpa)
{
	unsigned int lo = 0, hi = map->nr_poison;
	uint64_t page = gpa & ~0xfffULL;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (map->poison[mid] == page)
			return true;
		if (map->poison[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * May the process write the host page at hva?  The question KVM asks before
 * it maps guest RAM writable at stage 2: get_user_pages() with FOLL_WRITE on
 * the VMM's address, which fails (KVM_RUN: EFAULT) when userspace has
 * mprotect()ed it read-only or unmapped it.  madvise(MADV_POPULATE_WRITE)
 * (Linux 5.14) asks the kernel the same question without storing anything:
 * it faults the page in for writing through the same GUP path and VMA
 * checks, or fails (EINVAL: no write permission, or a mapping GUP cannot
 * fault; ENOMEM: unmapped; EFAULT: the write would raise SIGBUS).  A
 * failure is confirmed in /proc/self/maps.
 *
 * qemu-user ignores madvise, but checks a syscall's buffer against its own
 * page protections before the call runs: there read() of no descriptor
 * into a read-only page fails with EFAULT, into a writable one with EBADF
 * (Linux looks at the descriptor first: EBADF for both, so the probe
 * rejects this way there).  Nothing is written either way.
 *
 * Where neither can tell (kernels before 5.14), /proc/self/maps alone
 * answers, and each vCPU keeps what it read for an epoch (a KVM_RUN, a
 * memmap generation): one read costs ~50 us natively and ~13 ms under
 * qemu-user, and a guest's first pass over 1 GiB asks for 262,144 pages.
 */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

enum { WCHK_UNKNOWN, WCHK_MADVISE, WCHK_READ_EFAULT, WCHK_MAPS };
static _Atomic int wchk_mode = WCHK_UNKNOWN;

static _Atomic unsigned long wchk_maps_reads;

/*
 * Read the writable mappings of /proc/self/maps into w (sorted, as the
 * file lists them).  False if the file cannot be read or memory is short.
 */
static bool wmaps_read(struct cpu_wmaps *w)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	w->nr = 0;
	w->epoch = 0;
	if (!f)
		return false;
	atomic_fetch_add_explicit(&wchk_maps_reads, 1, memory_order_relaxed);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3 || perms[1] != 'w')
			continue;
		if (w->nr && w->range[w->nr - 1].hi == lo) {
			w->range[w->nr - 1].hi = hi;	/* one run of writable pages */
			continue;
		}
		if (w->nr == w->cap) {
			unsigned int cap = w->cap ? 2 * w->cap : 64;
			void *r = realloc(w->range, cap * sizeof(*w->range));

			if (!r) {
				fclose(f);
				w->nr = 0;
				return false;
			}
			w->range = r;
			w->cap = cap;
		}
		w->range[w->nr].lo = lo;
		w->range[w->nr].hi = hi;
		w->nr++;
	}
	fclose(f);
	return true;
}

static bool wmaps_holds(const struct cpu_wmaps *w, uintptr_t addr)
{
	unsigned int lo = 0, hi = w->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (addr < w->range[mid].lo)
			hi = mid;
		else if (addr >= w->range[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * Is the page at addr mapped writable, as /proc/self/maps says?  A yes
 * from the copy read earlier in the same epoch stands (a run's protection
 * changes are seen at the next epoch, as with the TLB); a no is asked
 * again, since a mapping may have been made since.
 */
static bool maps_writable(struct cpu_wmaps *w, uint64_t epoch, uintptr_t addr)
{
	if (epoch && w->epoch == epoch && wmaps_holds(w, addr))
		return true;
	if (!wmaps_read(w))
		return false;
	w->epoch = epoch;
	return wmaps_holds(w, addr);
}

/* read() of no descriptor into addr: 1 for EFAULT, 0 for EBADF, else -1 */
static int read_efault(void *addr)
{
	int saved = errno, r = -1;

	if (read(-1, addr, 1) < 0)
		r = errno == EFAULT ? 1 : errno == EBADF ? 0 : -1;
	errno = saved;
	return r;
}

/* write() of no descriptor from [addr, +len): 1 for EFAULT, 0 for EBADF */
static int write_efault(const void *addr, size_t len)
{
	int saved = errno, r = -1;

	if (write(-1, addr, len) < 0)
		r = errno == EFAULT ? 1 : errno == EBADF ? 0 : -1;
	errno = saved;
	return r;
}

/* Does madvise(MADV_POPULATE_WRITE) tell a read-only page from a writable one? */
static int wchk_probe(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *ro = mmap(NULL, (size_t)pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *rw = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int mode = WCHK_MAPS;

	if (ro != MAP_FAILED && rw != MAP_FAILED &&
	    madvise(ro, (size_t)pg, MADV_POPULATE_WRITE) != 0 &&
	    madvise(rw, (size_t)pg, MADV_POPULATE_WRITE) == 0)
		mode = WCHK_MADVISE;
	else if (ro != MAP_FAILED && rw != MAP_FAILED &&
		 read_efault(ro) == 1 && read_efault(rw) == 0 &&
		 write_efault(rw, (size_t)pg) == 0 && !mprotect(rw, (size_t)pg, PROT_NONE) &&
		 write_efault(rw, (size_t)pg) == 1)
		mode = WCHK_READ_EFAULT;
	if (ro != MAP_FAILED)
		munmap(ro, (size_t)pg);
	if (rw != MAP_FAILED)
		munmap(rw, (size_t)pg);
	return mode;
}

bool cpu_host_writable(void *hva, struct cpu_wmaps *w, uint64_t epoch)
{
	int mode = atomic_load_explicit(&wchk_mode, memory_order_relaxed);
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t page = (uintptr_t)hva & ~(uintptr_t)(pg - 1);

	if (mode == WCHK_UNKNOWN) {
		mode = wchk_probe();
		atomic_store(&wchk_mode, mode);
	}
	if (mode == WCHK_MADVISE &&
	    !madvise((void *)page, (size_t)pg, MADV_POPULATE_WRITE))
		return true;
	if (mode == WCHK_READ_EFAULT)
		return read_efault((void *)page) == 0;
	/* refused (asked afresh), or madvise cannot tell: the VMA decides */
	return maps_writable(w, mode == WCHK_MAPS ? epoch : 0, page);
}

/*
 * Is [addr, addr + len) readable, where one syscall can tell (qemu-user:
 * write() of no descriptor checks its buffer first)?  1 yes, 0 no, -1
 * cannot tell: the caller reads /proc/self/maps.
 */
int cpu_host_readable(const void *addr, size_t len)
{
	int mode = atomic_load_explicit(&wchk_mode, memory_order_relaxed);

	if (mode == WCHK_UNKNOWN) {
		mode = wchk_probe();
		atomic_store(&wchk_mode, mode);
	}
	if (mode != WCHK_READ_EFAULT || !len)
		return -1;
	return write_efault(addr, len) == 0 ? 1 : write_efault(addr, len) == 1 ? 0 : -1;
}

void cpu_wmaps_free(struct cpu_wmaps *w)
{
	free(w->range);
	*w = (struct cpu_wmaps){ 0 };
}

void cpu_host_wchk_use_maps(void)
{
	atomic_store(&wchk_mode, WCHK_MAPS);
}

const char *cpu_host_wchk_way(void)
{
	static const char *const names[] = {
		[WCHK_UNKNOWN] = "unknown", [WCHK_MADVISE] = "madvise",
		[WCHK_READ_EFAULT] = "read-efault", [WCHK_MAPS] = "maps",
	};

	return names[atomic_load(&wchk_mode)];
}

unsigned long cpu_host_wchk_maps_reads(void)
{
	return atomic_load(&wchk_maps_reads);
}
