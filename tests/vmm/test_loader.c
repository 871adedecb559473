// SPDX-License-Identifier: GPL-2.0
/* Image header parsing and the boot layout. */
#include <string.h>

#include "../../vmm/loader.h"
#include "vmm_test.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void make_header(uint8_t *h, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(h, 0, 64);
	put64(h + 0x08, text_offset);
	put64(h + 0x10, image_size);
	put64(h + 0x18, flags);
	memcpy(h + 0x38, "ARM\x64", 4);
}

START_TEST(image_header)
{
	uint8_t h[64];
	struct image_info info;
	char err[128];

	make_header(h, 0, 0x1a00000, 0xa);	/* LE, 4K pages, anywhere */
	ck_assert_int_eq(image_parse(h, sizeof(h), &info, err, sizeof(err)), 0);
	ck_assert(info.has_header);
	ck_assert_uint_eq(info.text_offset, 0);
	ck_assert_uint_eq(info.image_size, 0x1a00000);
	ck_assert_uint_eq(info.page_size, 4096);
	ck_assert(info.phys_anywhere);
	ck_assert(!info.big_endian);
}
END_TEST

START_TEST(image_old_and_raw)
{
	uint8_t h[64], raw[64] = { 0x1f, 0x20, 0x03, 0xd5 };
	struct image_info info;
	char err[128];

	make_header(h, 0x12345, 0, 0);	/* pre-3.17: image_size 0 -> 0x80000 */
	ck_assert_int_eq(image_parse(h, sizeof(h), &info, err, sizeof(err)), 0);
	ck_assert_uint_eq(info.text_offset, 0x80000);
	ck_assert_int_eq(image_parse(raw, sizeof(raw), &info, err, sizeof(err)), 0);
	ck_assert(!info.has_header);
	ck_assert_uint_eq(info.text_offset, 0x80000);	/* kvmtool's assumption */
	ck_assert_int_eq(image_parse(raw, 4, &info, err, sizeof(err)), 0);
	ck_assert(!info.has_header);
}
END_TEST

START_TEST(image_rejected)
{
	uint8_t gz[64] = { 0x1f, 0x8b, 0x08 }, zboot[64] = { 'M', 'Z', 0, 0, 'z', 'i', 'm', 'g' };
	uint8_t be[64];
	struct image_info info;
	char err[128];

	ck_assert_int_eq(image_parse(gz, sizeof(gz), &info, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "gzip"));
	ck_assert_int_eq(image_parse(zboot, sizeof(zboot), &info, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "zboot"));
	make_header(be, 0, 0x100000, 1);
	ck_assert_int_eq(image_parse(be, sizeof(be), &info, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "big-endian"));
}
END_TEST

START_TEST(layout)
{
	struct image_info img = { .has_header = true, .text_offset = 0, .image_size = 0x1a00000 };
	struct boot_layout l = { .ram_base = 0x80000000, .ram_size = 512 << 20 };
	char err[256];

	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 0x1800000, 0x300000, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.kernel_addr, 0x80000000);
	ck_assert_uint_eq(l.kernel_end, 0x81a00000);
	/* DTB: top of the first 256 MiB, 2 MiB aligned; initrd just below, 4K aligned */
	ck_assert_uint_eq(l.dtb_addr, 0x8fe00000);
	ck_assert_uint_eq(l.initrd_addr, 0x8fe00000 - 0x300000);
	ck_assert_uint_eq(l.initrd_addr % 4096, 0);

	/* raw binary: RAM + 0x80000 */
	struct image_info raw = { .text_offset = 0x80000 };
	ck_assert_int_eq(boot_layout_plan(&l, &raw, false, 100, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.kernel_addr, 0x80080000);

	/* firmware: start of RAM */
	ck_assert_int_eq(boot_layout_plan(&l, &raw, true, 100, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.kernel_addr, 0x80000000);
}
END_TEST

START_TEST(layout_too_small)
{
	struct image_info img = { .has_header = true, .image_size = 0x1a00000 };
	struct boot_layout l = { .ram_base = 0x80000000, .ram_size = 16 << 20 };
	char err[256];

	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 0x1800000, 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "-m"));
	l.ram_size = 32 << 20;	/* kernel fits, initrd does not */
	img.image_size = 0x1000000;
	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 0x1000000, 0x1000000, err,
					  sizeof(err)), -2);	/* -2: the initrd's fault */
	ck_assert_ptr_nonnull(strstr(err, "is 16 MiB"));
	ck_assert_ptr_nonnull(strstr(err, "-m"));
}
END_TEST

/* text_offset: a multiple of 4 KiB below 2 MiB, else not a kernel (PC would be off) */
START_TEST(image_text_offset)
{
	static const uint64_t bad[] = { 1, 2, 0x80004, 0xfff, 0x200000, 0x10000000, ~0ULL };
	uint8_t h[64];
	struct image_info info;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_header(h, bad[i], 0x100000, 0);
		ck_assert_int_eq(image_parse(h, sizeof(h), &info, err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "text_offset"));
	}
	make_header(h, 0x1ff000, 0x100000, 0);
	ck_assert_int_eq(image_parse(h, sizeof(h), &info, err, sizeof(err)), 0);
	ck_assert_uint_eq(info.text_offset, 0x1ff000);
}
END_TEST

/* image_size near 2^64 must not wrap kernel_end into "needs 0 MiB" */
START_TEST(layout_huge_image_size)
{
	static const uint64_t sizes[] = { ~0ULL, ~0ULL - 0x80000, 1ULL << 63, 1ULL << 41 };
	struct boot_layout l = { .ram_base = 0x80000000, .ram_size = 256 << 20 };
	struct image_info img = { .has_header = true, .text_offset = 0x80000 };
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		img.image_size = sizes[i];
		ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 0, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "more than the most RAM vmm gives"), "%s", err);
		ck_assert_msg(!strstr(err, " 0 MiB"), "%s", err);
	}
	img.image_size = 300 << 20;
	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "needs 301 MiB of RAM"), "%s", err);
	ck_assert_msg(strstr(err, "has 256 MiB; give more with -m"), "%s", err);
}
END_TEST

/* DTB and initrd live in the first 256 MiB: -m helps only below that */
START_TEST(layout_window_256m)
{
	struct image_info img = { .has_header = true, .image_size = 0x1000000 };
	struct boot_layout l = { .ram_base = 0x80000000, .ram_size = 1ULL << 30 };
	char err[256];

	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 1 << 20, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.dtb_addr, 0x8fe00000);
	/* 300 MiB of initrd in 1 GiB of RAM: the window is the limit, not -m */
	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 300 << 20, err, sizeof(err)),
			 -2);
	ck_assert_msg(strstr(err, "is 300 MiB; 239 MiB are free for it"), "%s", err);
	ck_assert_msg(strstr(err, "first 256 MiB of RAM"), "%s", err);
	ck_assert_msg(!strstr(err, "-m"), "%s", err);
	/* in 128 MiB, more RAM would help */
	l.ram_size = 128 << 20;
	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 200 << 20, err, sizeof(err)),
			 -2);
	ck_assert_msg(strstr(err, "give more memory with -m"), "%s", err);
	/* a kernel reaching past 256 MiB leaves no room for the DTB: -1, no -m */
	l.ram_size = 1ULL << 30;
	img.image_size = 300 << 20;
	ck_assert_int_eq(boot_layout_plan(&l, &img, false, 4096, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "ends 300 MiB into RAM: no room left for the 64 KiB device "
			      "tree in the first 256 MiB"), "%s", err);
	ck_assert_msg(!strstr(err, "-m"), "%s", err);
}
END_TEST

Suite *loader_suite(void)
{
	return CHECK_SUITE("loader", 0, image_header, image_old_and_raw,
			   image_rejected, layout, layout_too_small,
			   image_text_offset, layout_huge_image_size,
			   layout_window_256m);
}
