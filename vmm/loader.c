// SPDX-License-Identifier: GPL-2.0
/* Image header parsing and the boot layout (loader.h). */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "../fdt/fdt.h"
#include "loader.h"
#include "memmap.h"

#define ALIGN_DOWN(x, a)	((x) & ~((a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, a)

static uint64_t le64_at(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static uint32_t le32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

int image_parse(const uint8_t *buf, size_t len, struct image_info *info,
		char *err, size_t errlen)
{
	static const unsigned int page_sizes[4] = { 0, 4096, 16384, 65536 };

	memset(info, 0, sizeof(*info));
	if (len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b) {
		snprintf(err, errlen, "is gzip-compressed; decompress it first "
			 "(zcat FILE > Image)");
		return -1;
	}
	if (len >= 8 && buf[0] == 'M' && buf[1] == 'Z' && !memcmp(buf + 4, "zimg", 4)) {
		snprintf(err, errlen, "is a compressed EFI zboot image; "
			 "give the uncompressed Image");
		return -1;
	}
	if (len < ARM64_IMAGE_HDR_SIZE || le32_at(buf + 0x38) != ARM64_IMAGE_MAGIC) {
		/* a raw binary: kvmtool assumes TEXT_OFFSET 0x80000 */
		info->text_offset = RAW_TEXT_OFFSET;
		return 0;
	}
	info->has_header = true;
	info->text_offset = le64_at(buf + 0x08);
	info->image_size = le64_at(buf + 0x10);
	info->flags = le64_at(buf + 0x18);
	if (!info->image_size) {
		/* pre-3.17 kernels: text_offset is not reliable (booting.rst) */
		info->text_offset = RAW_TEXT_OFFSET;
		info->flags = 0;
	}
	info->big_endian = info->flags & 1;
	info->page_size = page_sizes[(info->flags >> 1) & 3];
	info->phys_anywhere = (info->flags >> 3) & 1;
	if (info->big_endian) {
		snprintf(err, errlen, "is a big-endian kernel; vmm runs little-endian guests only");
		return -1;
	}
	/*
	 * The entry is the first byte of the Image: booting.rst places it at a
	 * 2 MiB aligned base + text_offset, and arm64's head.S always built
	 * text_offset a multiple of 4 KiB below 2 MiB (0x80000, 0 since v5.8,
	 * or random 4 KiB steps with RANDOMIZE_TEXT_OFFSET).  Anything else is
	 * not a kernel: the vCPU would start at a misaligned or far-off PC.
	 */
	if (info->text_offset % SZ_4K || info->text_offset >= SZ_2M) {
		snprintf(err, errlen, "has text_offset %#llx; an arm64 Image's is a multiple "
			 "of 4 KiB below 2 MiB", (unsigned long long)info->text_offset);
		return -1;
	}
	return 0;
}

static uint64_t mib_up(uint64_t bytes)
{
	return bytes / SZ_1M + (bytes % SZ_1M != 0);
}

/*
 * DTB and initrd below @top, above the kernel: the DTB 2 MiB aligned when
 * that fits (else 8-byte aligned), the initrd 4 KiB aligned just below it.
 * Returns 0, 1 (no room for the DTB) or 2 (no room for the initrd).
 */
static int place_below(struct boot_layout *l, uint64_t top, uint64_t initrd_size)
{
	uint64_t dtb;

	if (top <= l->kernel_end || top - l->kernel_end < FDT_MAX_SIZE)
		return 1;
	dtb = ALIGN_DOWN(top - FDT_MAX_SIZE, SZ_2M);
	if (dtb < l->kernel_end || dtb - l->kernel_end < initrd_size)
		dtb = ALIGN_DOWN(top - FDT_MAX_SIZE, 8);
	if (dtb < l->kernel_end)
		return 1;
	l->dtb_addr = dtb;
	l->initrd_addr = 0;
	if (!initrd_size)
		return 0;
	if (dtb - l->kernel_end < initrd_size)
		return 2;
	l->initrd_addr = ALIGN_DOWN(dtb - initrd_size, SZ_4K);
	return l->initrd_addr < l->kernel_end ? 2 : 0;
}

int boot_layout_plan(struct boot_layout *l, const struct image_info *img,
		     bool firmware, uint64_t file_size, uint64_t initrd_size,
		     char *err, size_t errlen)
{
	uint64_t lowmem = l->ram_base + (l->ram_size < SZ_256M ? l->ram_size : SZ_256M);
	uint64_t offset, room, span = file_size;
	const char *what = "the file";
	/* more RAM helps only while RAM is smaller than the window */
	bool more_ram = l->ram_size < SZ_256M;
	int r;

	/* the kernel goes at a 2 MiB aligned base + text_offset (booting.rst) */
	if (firmware)
		l->kernel_addr = l->ram_base;
	else
		l->kernel_addr = ALIGN_UP(l->ram_base, SZ_2M) + img->text_offset;
	if (!firmware && img->image_size > span) {
		span = img->image_size;
		what = "image_size";
	}
	offset = l->kernel_addr - l->ram_base;
	/* kernel_end without overflow: a header may claim any image_size */
	if (offset > l->ram_size || span > l->ram_size - offset) {
		if (span > RAM_MAX_BYTES - offset) {
			snprintf(err, errlen, "%s of %#llx bytes is more than the most RAM "
				 "vmm gives (%llu MiB)", what, (unsigned long long)span,
				 (unsigned long long)(RAM_MAX_BYTES >> 20));
			return -1;
		}
		snprintf(err, errlen, "needs %llu MiB of RAM (%s of %llu bytes at RAM + %#llx), "
			 "has %llu MiB; give more with -m", (unsigned long long)mib_up(offset + span),
			 what, (unsigned long long)span, (unsigned long long)offset,
			 (unsigned long long)(l->ram_size >> 20));
		return -1;
	}
	l->kernel_end = l->kernel_addr + span;
	l->initrd_size = initrd_size;
	/*
	 * kvmtool's layout, which every arm64 kernel takes: the DTB at the top
	 * of the first 256 MiB (lowmem for 32-bit kernels; within 512 MiB of
	 * the kernel for pre-4.2 ones), the initrd just below it.
	 */
	r = place_below(l, lowmem, initrd_size);
	if (!r)
		return 0;
	room = lowmem > l->kernel_end + FDT_MAX_SIZE ? lowmem - l->kernel_end - FDT_MAX_SIZE : 0;
	if (r == 1)
		snprintf(err, errlen, "ends %llu MiB into RAM: no room left for the %u KiB device "
			 "tree in the first 256 MiB of RAM%s",
			 (unsigned long long)mib_up(l->kernel_end - l->ram_base), FDT_MAX_SIZE >> 10,
			 more_ram ? "; give more memory with -m" : "");
	else
		snprintf(err, errlen, "is %llu MiB; %llu MiB are free for it between the kernel "
			 "and the device tree, in the first 256 MiB of RAM%s",
			 (unsigned long long)mib_up(initrd_size), (unsigned long long)(room >> 20),
			 more_ram ? "; give more memory with -m" : " (where vmm puts both)");
	return r == 1 ? -1 : -2;
}
