// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: kernel image parsing, boot layout and device-tree
 * generation (vmm/loader.c, vmm/memmap.c, fdt/).  The input is a small
 * header (RAM size, vCPUs, GIC, test device, virtio devices, firmware or
 * kernel, file and initrd sizes), a kernel command line, then the first
 * bytes of the kernel file (an arm64 Image header or a raw binary).
 *
 * Checked, beyond "no crash, no sanitizer report": a plan that succeeds
 * puts the kernel, the DTB and the initrd inside RAM, in that order,
 * without overlap and the DTB in the first 256 MiB (booting.rst); a DTB
 * that builds passes libfdt's fdt_check_full() and carries the command
 * line.  A violation aborts, which libFuzzer reports as a crash.
 *
 * Seeds: tests/fuzz/corpus/loader/ (tests/fuzz/mkseeds.py writes them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../../devices/device.h"
#include "../../fdt/fdt.h"
#include "../../vmm/loader.h"
#include "../../vmm/memmap.h"
#include "../../vmm/vmm.h"

#define MAX_RAM_MIB	((IPA_LIMIT_DEFAULT - RAM_BASE) >> 20)	/* as --mem allows */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t get(struct in *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "fuzz_loader: %s:%d: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

static void check_layout(const struct boot_layout *l, const struct image_info *img,
			 bool firmware, uint64_t file_size, uint64_t initrd_size)
{
	uint64_t ram_end = l->ram_base + l->ram_size;
	/* booting.rst: the initrd in the 32 GiB window of the kernel's 1 GiB */
	uint64_t window = (l->kernel_addr & ~(SZ_1G - 1)) + SZ_32G;

	CHECK(l->kernel_addr >= l->ram_base);
	CHECK(l->kernel_end >= l->kernel_addr + file_size);
	CHECK(firmware || l->kernel_end >= l->kernel_addr + img->image_size);
	CHECK(l->kernel_end <= ram_end);
	CHECK(firmware || (l->kernel_addr - img->text_offset) % SZ_2M == 0);
	CHECK(l->dtb_addr >= l->kernel_end);
	CHECK(l->dtb_addr % 8 == 0);
	/* the first 256 MiB when they have room, else anywhere in RAM */
	CHECK(l->dtb_addr + FDT_MAX_SIZE <= ram_end);
	if (initrd_size) {
		CHECK(l->initrd_addr >= l->kernel_end);
		CHECK(l->initrd_addr + initrd_size <= l->dtb_addr);
		CHECK(l->initrd_addr + initrd_size <= window);
		CHECK(l->initrd_size == initrd_size);
	}
}

/* The VM fdt_build() reads: the memory map, vCPUs and devices. */
static void make_vm(struct vm *vm, struct vmm_config *cfg, struct device *devs,
		    uint64_t ram_size, unsigned int cpus, bool gic, bool testdev,
		    unsigned int virtio)
{
	static const char *const kinds[] = { "virtio-blk", "virtio-rng", "virtio-console" };
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->ram_base = RAM_BASE;
	vm->ram_size = ram_size;
	vm->nr_vcpus = cpus;
	vm->irqchip = gic;
	for (i = 0; i < cpus; i++)
		vm->vcpus[i].mpidr = 0x80000000ULL | ((i & 0xf) | ((i >> 4) << 8));
	memmap_build(&vm->map, ram_size, cpus, gic);
	if (testdev)
		memmap_add_testdev(&vm->map);
	for (i = 0; i < virtio; i++)
		memmap_add_virtio(&vm->map, kinds[i % 3], (int)i);
	for (i = 0; i < vm->map.n; i++) {
		struct device *dev;

		if (vm->map.r[i].type != REGION_DEVICE)
			continue;
		dev = &devs[vm->nr_devices];
		memset(dev, 0, sizeof(*dev));
		dev->ops = device_find(vm->map.r[i].device);
		CHECK(dev->ops);	/* the map names only devices that exist */
		dev->region = &vm->map.r[i];
		dev->vm = vm;
		vm->devices[vm->nr_devices++] = dev;
		vm->region_dev[i] = dev;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static struct vmm_config cfg;
	static struct device devs[MEMMAP_MAX];
	static uint8_t fdt[FDT_MAX_SIZE];
	struct in in = { data, size };
	struct boot_layout l;
	struct image_info img;
	char err[256], *cmdline;
	unsigned int flags, cpus, cmdlen;
	uint64_t ram_mib, extra, initrd_size, file_size, seed;
	bool firmware, parsed;
	int ret;

	flags = (unsigned int)get(&in, 1);
	cpus = (unsigned int)get(&in, 2);
	cpus = 1 + (flags & 0x40 ? cpus % MAX_VCPUS : cpus % 8);	/* a few, or up to 512 */
	ram_mib = get(&in, 4);
	ram_mib = flags & 0x80 ? 1 + ram_mib % MAX_RAM_MIB : 1 + ram_mib % 4096;
	extra = get(&in, 4) << (get(&in, 1) % 24);	/* file bytes past the input */
	initrd_size = get(&in, 4) << (get(&in, 1) % 16);
	seed = get(&in, 8);
	cmdlen = (unsigned int)get(&in, 2) % 70000;
	if (cmdlen > in.n)
		cmdlen = (unsigned int)in.n;
	cmdline = malloc(cmdlen + 1);
	if (!cmdline)
		return 0;
	memcpy(cmdline, in.p, cmdlen);
	cmdline[cmdlen] = 0;
	in.p += cmdlen;
	in.n -= cmdlen;
	firmware = flags & 1;
	file_size = in.n + extra;

	/* what vmm does with a kernel file: an empty one is refused earlier */
	memset(&img, 0, sizeof(img));
	parsed = firmware || !image_parse(in.p, in.n, &img, err, sizeof(err));
	if (parsed && file_size) {
		memset(&l, 0, sizeof(l));
		l.ram_base = RAM_BASE;
		l.ram_size = ram_mib << 20;
		if (!boot_layout_plan(&l, &img, firmware, file_size, initrd_size, err,
				      sizeof(err)))
			check_layout(&l, &img, firmware, file_size, initrd_size);
		else
			CHECK(memchr(err, 0, sizeof(err)) && err[0]);	/* a reason */
	}

	make_vm(&vm, &cfg, devs, ram_mib << 20, cpus, flags & 2, flags & 4, (flags >> 3) & 7);
	if (initrd_size) {
		vm.initrd_start = RAM_BASE + ((seed & 0xffff) << 12);
		vm.initrd_end = vm.initrd_start + initrd_size;
	}
	ret = fdt_build(&vm, cmdline, seed, fdt, sizeof(fdt));
	if (!ret) {
		int off, len;
		const char *args;

		CHECK(fdt_check_full(fdt, sizeof(fdt)) == 0);
		off = fdt_path_offset(fdt, "/chosen");
		CHECK(off >= 0);
		args = fdt_getprop(fdt, off, "bootargs", &len);
		CHECK(args && !strcmp(args, cmdline));
	}
	free(cmdline);
	return 0;
}
