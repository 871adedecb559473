// SPDX-License-Identifier: GPL-2.0
/* Guest physical memory: which published region holds an IPA. */
#include <stdatomic.h>
#include <stdio.h>
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
 * failure is confirmed in /proc/self/maps, which alone answers where
 * madvise cannot be trusted (older kernels; qemu-user ignores madvise).
 */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

enum { WCHK_UNKNOWN, WCHK_MADVISE, WCHK_MAPS };
static _Atomic int wchk_mode = WCHK_UNKNOWN;

/* Is the page at addr mapped writable, as /proc/self/maps says? */
static bool maps_writable(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	bool w = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
			continue;
		if (addr >= lo && addr < hi) {
			w = perms[1] == 'w';
			break;
		}
	}
	fclose(f);
	return w;
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
	if (ro != MAP_FAILED)
		munmap(ro, (size_t)pg);
	if (rw != MAP_FAILED)
		munmap(rw, (size_t)pg);
	return mode;
}

bool cpu_host_writable(void *hva)
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
	/* refused, or madvise cannot tell: the VMA's own permission decides */
	return maps_writable(page);
}
