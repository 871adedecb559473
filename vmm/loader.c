// SPDX-License-Identifier: GPL-2.0
/* Image header parsing and the boot layout (loader.h). */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "../fdt/fdt.h"
#include "loader.h"

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
	if (info->text_offset >= SZ_256M) {
		snprintf(err, errlen, "has an implausible text_offset %#llx",
			 (unsigned long long)info->text_offset);
		return -1;
	}
	return 0;
}

int boot_layout_plan(struct boot_layout *l, const struct image_info *img,
		     bool firmware, uint64_t file_size, uint64_t initrd_size,
		     char *err, size_t errlen)
{
	uint64_t ram_end = l->ram_base + l->ram_size;
	uint64_t lowmem = l->ram_base + (l->ram_size < SZ_256M ? l->ram_size : SZ_256M);
	uint64_t span = file_size;

	/* the kernel goes at a 2 MiB aligned base + text_offset (booting.rst) */
	if (firmware)
		l->kernel_addr = l->ram_base;
	else
		l->kernel_addr = ALIGN_UP(l->ram_base, SZ_2M) + img->text_offset;
	if (!firmware && img->image_size > span)
		span = img->image_size;
	l->kernel_end = l->kernel_addr + span;
	if (span > l->ram_size || l->kernel_end > ram_end) {
		snprintf(err, errlen, "needs %llu MiB of RAM from %#llx; give more with -m",
			 (unsigned long long)((l->kernel_end - l->ram_base + (1 << 20) - 1) >> 20),
			 (unsigned long long)l->ram_base);
		return -1;
	}
	/* Linux wants the DTB and initrd in lowmem: the top of the first 256 MiB */
	if (lowmem - l->ram_base < FDT_MAX_SIZE) {
		snprintf(err, errlen, "no room for the device tree");
		return -1;
	}
	l->dtb_addr = ALIGN_DOWN(lowmem - FDT_MAX_SIZE, SZ_2M);
	if (l->dtb_addr < l->kernel_end)
		l->dtb_addr = ALIGN_DOWN(lowmem - FDT_MAX_SIZE, 8);
	if (l->dtb_addr < l->kernel_end) {
		snprintf(err, errlen, "leaves no room for the device tree below %#llx; "
			 "give more memory with -m", (unsigned long long)lowmem);
		return -1;
	}
	l->initrd_size = initrd_size;
	l->initrd_addr = 0;
	if (initrd_size) {
		if (initrd_size > l->dtb_addr - l->kernel_end) {
			snprintf(err, errlen, "initrd of %llu bytes does not fit between the "
				 "kernel and the device tree; give more memory with -m",
				 (unsigned long long)initrd_size);
			return -1;
		}
		l->initrd_addr = ALIGN_DOWN(l->dtb_addr - initrd_size, SZ_4K);
		if (l->initrd_addr < l->kernel_end) {
			snprintf(err, errlen, "initrd of %llu bytes does not fit between the "
				 "kernel and the device tree; give more memory with -m",
				 (unsigned long long)initrd_size);
			return -1;
		}
	}
	return 0;
}
