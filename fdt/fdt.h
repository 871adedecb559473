/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's device tree, built with libfdt from the memory map. */
#ifndef VMM_FDT_H
#define VMM_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAX_SIZE		0x10000
#define FDT_PHANDLE_GIC		1
#define FDT_PHANDLE_APB_PCLK	2	/* the clock every AMBA (primecell) device names */
#define FDT_PHANDLE_ITS		3	/* --irqchip gicv3-its: the msi-controller */

struct vm;

/*
 * Build the DTB for @vm into @buf (FDT_MAX_SIZE bytes): memory, cpus, psci,
 * timer, GIC (when there is an irqchip), a node per device, chosen.
 * Returns 0 or a negative libfdt error.
 */
int fdt_build(struct vm *vm, const char *bootargs, uint64_t kaslr_seed,
	      void *buf, size_t size);

#endif
