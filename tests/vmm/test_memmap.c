// SPDX-License-Identifier: GPL-2.0
/* The memory map: kvmtool's layout, lookups, nearest device. */
#include <string.h>

#include "../../vmm/memmap.h"
#include "vmm_test.h"

static const struct region *by_name(const struct memmap *m, const char *name)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->r[i].name, name))
			return &m->r[i];
	return NULL;
}

START_TEST(layout_without_gic)
{
	struct memmap m;
	unsigned int i;

	memmap_build(&m, 256 << 20, 1, false);
	ck_assert_uint_eq(by_name(&m, "uart0")->base, 0x01000000);
	ck_assert_uint_eq(by_name(&m, "uart0")->size, 8);
	ck_assert_int_eq(by_name(&m, "uart0")->intid, 32);
	ck_assert_uint_eq(by_name(&m, "rtc")->base, 0x01010000);
	ck_assert_uint_eq(by_name(&m, "pvtime")->base, 0x01020000);
	ck_assert_uint_eq(by_name(&m, "test-exit")->base, 0x01030000);
	ck_assert_uint_eq(by_name(&m, "test-exit")->size, 0x1000);
	ck_assert_uint_eq(by_name(&m, "flash")->base, 0x02000000);
	ck_assert_uint_eq(by_name(&m, "virtio-mmio")->base, 0x03000000);
	ck_assert_uint_eq(by_name(&m, "pci")->base, 0x40000000);
	ck_assert_uint_eq(by_name(&m, "ram")->base, 0x80000000);
	ck_assert_uint_eq(by_name(&m, "ram")->size, 256 << 20);
	ck_assert_ptr_null(by_name(&m, "gic-dist"));
	for (i = 1; i < m.n; i++)	/* sorted, no overlap */
		ck_assert(m.r[i - 1].base + m.r[i - 1].size <= m.r[i].base);
}
END_TEST

START_TEST(layout_with_gic)
{
	struct memmap m;
	unsigned int i;

	memmap_build(&m, 64 << 20, 4, true);
	ck_assert_uint_eq(by_name(&m, "gic-dist")->base, 0x3fff0000);
	ck_assert_uint_eq(by_name(&m, "gic-dist")->size, 0x10000);
	ck_assert_uint_eq(by_name(&m, "gic-redist")->base, 0x3fff0000 - 4 * 0x20000);
	ck_assert_uint_eq(by_name(&m, "virtio-mmio")->base + by_name(&m, "virtio-mmio")->size,
			  by_name(&m, "gic-redist")->base);
	for (i = 1; i < m.n; i++)
		ck_assert(m.r[i - 1].base + m.r[i - 1].size <= m.r[i].base);
}
END_TEST

/* GICv2: the CPU interface's 128 KiB below the distributor, whatever the vCPUs */
START_TEST(layout_with_gicv2)
{
	struct memmap m;

	memmap_build(&m, 64 << 20, 8, MEMMAP_GICV2);
	ck_assert_uint_eq(by_name(&m, "gic-dist")->base, 0x3fff0000);
	ck_assert_uint_eq(by_name(&m, "gic-cpu")->base, 0x3ffd0000);
	ck_assert_uint_eq(by_name(&m, "gic-cpu")->size, 0x20000);
	ck_assert_ptr_null(by_name(&m, "gic-redist"));
	ck_assert_uint_eq(by_name(&m, "virtio-mmio")->base + by_name(&m, "virtio-mmio")->size,
			  0x3ffd0000);
}
END_TEST

START_TEST(find_and_nearest)
{
	struct memmap m;

	memmap_build(&m, 256 << 20, 1, false);
	ck_assert_str_eq(memmap_find(&m, 0x01000007)->name, "uart0");
	ck_assert_ptr_null(memmap_find(&m, 0x01000008));
	ck_assert_str_eq(memmap_nearest(&m, 0x01000100)->name, "uart0");
	ck_assert_str_eq(memmap_nearest(&m, 0x0100ff00)->name, "rtc");
	ck_assert_str_eq(memmap_find(&m, 0x80001000)->name, "ram");
	ck_assert_ptr_null(memmap_find(&m, 0x90000000));
	ck_assert_str_eq(memmap_nearest(&m, 0x90000000)->name, "ram");
	ck_assert_ptr_null(memmap_find(&m, 0x00001000));
	ck_assert_str_eq(memmap_nearest(&m, 0)->name, "uart0");
}
END_TEST

/* --testdev: 8 KiB at 0x0a000000 carved out of virtio-mmio; 0x0a100000 stays unbacked */
START_TEST(testdev_carved)
{
	struct memmap m;
	const struct region *r;
	unsigned int i, n;
	bool gic;

	for (gic = false; ; gic = true) {
		memmap_build(&m, 256 << 20, 2, gic);
		ck_assert_ptr_null(by_name(&m, "testdev"));
		n = m.n;
		ck_assert_int_eq(memmap_add_testdev(&m), 0);
		ck_assert_uint_eq(m.n, n + 2);
		r = memmap_find(&m, 0x0a000000);
		ck_assert_str_eq(r->name, "testdev");
		ck_assert_str_eq(r->device, "testdev");
		ck_assert_int_eq(r->type, REGION_DEVICE);
		ck_assert_uint_eq(r->size, 0x2000);
		ck_assert_str_eq(memmap_find(&m, 0x0a001fff)->name, "testdev");
		/* below and above it: what is left of virtio-mmio, reserved */
		ck_assert_str_eq(memmap_find(&m, 0x09ffffff)->name, "virtio-mmio");
		ck_assert_uint_eq(memmap_find(&m, 0x09ffffff)->base, 0x03000000);
		ck_assert_str_eq(memmap_find(&m, 0x0a002000)->name, "virtio-mmio");
		ck_assert_int_eq(memmap_find(&m, 0x0a100000)->type, REGION_RESERVED);
		ck_assert_int_eq(memmap_find(&m, 0x0a200000)->type, REGION_RESERVED);
		ck_assert_uint_eq(memmap_find(&m, 0x0a002000)->base +
				  memmap_find(&m, 0x0a002000)->size,
				  gic ? by_name(&m, "gic-redist")->base : 0x40000000);
		for (i = 1; i < m.n; i++)
			ck_assert(m.r[i - 1].base + m.r[i - 1].size <= m.r[i].base);
		/* no second one */
		ck_assert_int_eq(memmap_add_testdev(&m), -1);
		if (gic)
			break;
	}
}
END_TEST

Suite *memmap_suite(void)
{
	return CHECK_SUITE("memmap", 0, layout_without_gic, testdev_carved,
			   layout_with_gic, layout_with_gicv2, find_and_nearest);
}
