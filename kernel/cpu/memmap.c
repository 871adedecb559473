// SPDX-License-Identifier: GPL-2.0
/* Guest physical memory: which published region holds an IPA. */
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
