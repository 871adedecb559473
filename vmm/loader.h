/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel, initrd and firmware placement (Documentation/arch/arm64/booting.rst
 * and kvmtool's layout): the arm64 Image header, then the DTB near the top
 * of the first 256 MiB of RAM and the initrd just below it.
 */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SZ_4K			0x1000ULL
#define SZ_1M			0x100000ULL
#define SZ_2M			0x200000ULL
#define SZ_256M			0x10000000ULL
#define SZ_1G			0x40000000ULL
#define SZ_32G			0x800000000ULL
#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" at offset 0x38 */
#define ARM64_IMAGE_HDR_SIZE	64
/* kvmtool's TEXT_OFFSET for a file without the header (and pre-3.17 kernels) */
#define RAW_TEXT_OFFSET		0x80000ULL

struct image_info {
	bool has_header;
	uint64_t text_offset;
	uint64_t image_size;		/* 0 when the header does not say */
	uint64_t flags;
	unsigned int page_size;		/* 0: unspecified */
	bool big_endian;
	bool phys_anywhere;		/* flags bit 3 */
};

struct boot_layout {
	uint64_t ram_base, ram_size;
	uint64_t kernel_addr;		/* where the file is copied; also the entry */
	uint64_t kernel_end;		/* load address + max(file size, image_size) */
	uint64_t dtb_addr;
	uint64_t initrd_addr;
	uint64_t initrd_size;
};

/*
 * Look at the first bytes of a kernel file.  A gzip or EFI-zboot file, a
 * big-endian Image or one whose text_offset is not a multiple of 4 KiB below
 * 2 MiB is an error: a one-line reason goes to @err.
 */
int image_parse(const uint8_t *buf, size_t len, struct image_info *info,
		char *err, size_t errlen);

/*
 * Place kernel (or firmware: @firmware loads at the start of RAM), DTB and
 * initrd in RAM: DTB and initrd at the top of the first 256 MiB as kvmtool
 * does.  Returns 0, or -1 (the kernel is at fault) or -2 (the initrd is)
 * with a one-line reason naming the limit in @err, to follow
 * "OPTION FILE: ".
 */
int boot_layout_plan(struct boot_layout *l, const struct image_info *img,
		     bool firmware, uint64_t file_size, uint64_t initrd_size,
		     char *err, size_t errlen);

#endif
