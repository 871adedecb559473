// SPDX-License-Identifier: GPL-2.0
/*
 * The guest memory map.  kvmtool's arm64 layout, so that guests built for
 * kvmtool run unmodified: devices in the first GiB, the GIC just below
 * 1 GiB, PCI in the second GiB, RAM from 2 GiB.
 */
#include <stddef.h>
#include <string.h>

#include "memmap.h"

/* Fixed part of the map; RAM and the GIC depend on the VM's size. */
static const struct region fixed[] = {
	/* 8 byte-wide registers (reg-shift 0); SPI 0 is INTID 32 (kvmtool) */
	{ "uart0", "ns16550a", UART_BASE, 8, 32, REGION_DEVICE, 0 },
	{ "rtc", "pl031", RTC_BASE, 0x1000, 33, REGION_DEVICE, 0 },
	{ "pvtime", NULL, PVTIME_BASE, PVTIME_SIZE, -1, REGION_RESERVED, 0 },
	{ "test-exit", "test-exit", TEST_EXIT_BASE, 0x1000, -1, REGION_DEVICE, 0 },
	{ "flash", NULL, FLASH_BASE, 0x1000000, -1, REGION_RESERVED, 0 },
	{ "virtio-mmio", NULL, VIRTIO_MMIO_BASE, 0, -1, REGION_RESERVED, 0 },
	{ "pci", NULL, PCI_BASE, RAM_BASE - PCI_BASE, -1, REGION_RESERVED, 0 },
};

const char *region_type_name(enum region_type t)
{
	switch (t) {
	case REGION_RAM:	return "ram";
	case REGION_DEVICE:	return "device";
	case REGION_RESERVED:	return "reserved";
	case REGION_GIC:	return "gic";
	}
	return "?";
}

static void add(struct memmap *map, struct region r)
{
	unsigned int i;

	if (map->n >= MEMMAP_MAX)
		return;
	for (i = map->n; i > 0 && map->r[i - 1].base > r.base; i--)
		map->r[i] = map->r[i - 1];
	map->r[i] = r;
	map->n++;
}

void memmap_build(struct memmap *map, uint64_t ram_size, unsigned int nr_cpus,
		  int gic)
{
	uint64_t redist_size = gic == MEMMAP_GICV2 ? GIC_CPUI_SIZE :
			       (uint64_t)nr_cpus * GIC_REDIST_SIZE;
	uint64_t gic_low = gic ? GIC_DIST_BASE - redist_size : GIC_DIST_BASE + GIC_DIST_SIZE;
	size_t i;

	map->n = 0;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct region r = fixed[i];

		/* virtio-mmio devices live between 0x0300_0000 and the GIC */
		if (r.base == VIRTIO_MMIO_BASE)
			r.size = (gic ? gic_low : PCI_BASE) - VIRTIO_MMIO_BASE;
		add(map, r);
	}
	if (gic == MEMMAP_GICV2)
		add(map, (struct region){ "gic-cpu", NULL, GIC_CPUI_BASE, GIC_CPUI_SIZE, -1,
					  REGION_GIC, 0 });
	else if (gic)
		add(map, (struct region){ "gic-redist", NULL, GIC_DIST_BASE - redist_size,
					  redist_size, -1, REGION_GIC, 0 });
	if (gic)
		add(map, (struct region){ "gic-dist", NULL, GIC_DIST_BASE,
					  GIC_DIST_SIZE, -1, REGION_GIC, 0 });
	add(map, (struct region){ "ram", NULL, RAM_BASE, ram_size, -1, REGION_RAM, 0 });
}

/* Put @dev in place of the part of a reserved region it covers. */
static int carve(struct memmap *map, struct region dev)
{
	const struct region *r = memmap_find(map, dev.base);
	struct region low, high;

	if (!r || r->type != REGION_RESERVED || map->n + 2 > MEMMAP_MAX ||
	    dev.base + dev.size > r->base + r->size)
		return -1;
	low = *r;
	high = *r;
	low.size = dev.base - r->base;
	high.base = dev.base + dev.size;
	high.size = r->base + r->size - high.base;
	/* remove r, then add what is left of it on both sides, and the device */
	map->n--;
	memmove(&map->r[r - map->r], r + 1, (size_t)(map->r + map->n - r) * sizeof(*r));
	if (low.size)
		add(map, low);
	if (high.size)
		add(map, high);
	add(map, dev);
	return 0;
}

int memmap_add_testdev(struct memmap *map)
{
	return carve(map, (struct region){ "testdev", "testdev", TESTDEV_BASE, TESTDEV_SIZE,
					   -1, REGION_DEVICE, 0 });
}

int memmap_add_its(struct memmap *map, uint64_t base)
{
	return carve(map, (struct region){ "gic-its", NULL, base, GIC_ITS_SIZE,
					   -1, REGION_GIC, 0 });
}

int memmap_add_pci(struct memmap *map)
{
	return carve(map, (struct region){ "pci", "pci", PCI_BASE, RAM_BASE - PCI_BASE,
					   -1, REGION_DEVICE, 0 });
}

int memmap_add_virtio(struct memmap *map, const char *device, int arg)
{
	static const char *const names[VIRTIO_MMIO_MAX_SLOTS] = {
		"virtio0", "virtio1", "virtio2", "virtio3", "virtio4", "virtio5",
		"virtio6", "virtio7", "virtio8", "virtio9", "virtio10", "virtio11",
		"virtio12", "virtio13", "virtio14", "virtio15", "virtio16", "virtio17",
		"virtio18", "virtio19", "virtio20", "virtio21", "virtio22", "virtio23",
		"virtio24", "virtio25", "virtio26", "virtio27", "virtio28", "virtio29",
		"virtio30", "virtio31",
	};
	unsigned int slot;
	uint64_t base;

	for (slot = 0; slot < VIRTIO_MMIO_MAX_SLOTS; slot++) {
		base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SLOT;
		if (memmap_find(map, base) && memmap_find(map, base)->type == REGION_RESERVED)
			break;
	}
	if (slot == VIRTIO_MMIO_MAX_SLOTS)
		return -1;
	if (carve(map, (struct region){ names[slot], device, base, VIRTIO_MMIO_SLOT,
					(int)(VIRTIO_MMIO_INTID + slot), REGION_DEVICE, arg }))
		return -1;
	return (int)slot;
}

const struct region *memmap_find(const struct memmap *map, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < map->n; i++)
		if (addr >= map->r[i].base && addr - map->r[i].base < map->r[i].size)
			return &map->r[i];
	return NULL;
}

const struct region *memmap_nearest(const struct memmap *map, uint64_t addr)
{
	const struct region *best = NULL;
	uint64_t best_d = UINT64_MAX, d;
	unsigned int i;

	for (i = 0; i < map->n; i++) {
		const struct region *r = &map->r[i];

		if (addr < r->base)
			d = r->base - addr;
		else if (addr - r->base < r->size)
			return r;
		else
			d = addr - (r->base + r->size) + 1;
		if (d < best_d) {
			best_d = d;
			best = r;
		}
	}
	return best;
}
