// SPDX-License-Identifier: GPL-2.0
/* MMIO dispatch through the memory map (mmio.h). */
#include <inttypes.h>
#include <string.h>

#include "../devices/device.h"
#include "mmio.h"
#include "vmm.h"

bool mmio_dispatch(struct vm *vm, unsigned int vcpu, uint64_t addr, uint8_t *data,
		   unsigned int len, bool is_write)
{
	const struct region *r = memmap_find(&vm->map, addr);
	struct device *dev;
	uint64_t off, val = 0;
	unsigned int i;

	if (!r || r->type != REGION_DEVICE)
		return false;
	dev = vm->region_dev[r - vm->map.r];
	if (!dev || (len != 1 && len != 2 && len != 4 && len != 8))
		return false;
	off = addr - r->base;
	if (off + len > r->size)
		return false;
	if (is_write) {
		for (i = 0; i < len; i++)
			val |= (uint64_t)data[i] << (8 * i);
		if (vm->cfg->debug_mmio)
			pr_diag("mmio: vCPU %u write %u bytes %#" PRIx64 " at %#" PRIx64
				" (%s+%#" PRIx64 ")\n", vcpu, len, val, addr, r->name, off);
		if (dev->ops->write)
			dev->ops->write(dev, vcpu, off, len, val);
	} else {
		if (dev->ops->read)
			val = dev->ops->read(dev, vcpu, off, len);
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)(val >> (8 * i));
		if (vm->cfg->debug_mmio)
			pr_diag("mmio: vCPU %u read  %u bytes %#" PRIx64 " at %#" PRIx64
				" (%s+%#" PRIx64 ")\n", vcpu, len, val, addr, r->name, off);
	}
	return true;
}
