// SPDX-License-Identifier: GPL-2.0
/*
 * The test-exit device ("vmm,test-exit", ours): a guest writes V (32 bits)
 * at offset 0 and the run ends with exit status V & 0xff.  Reads return 0.
 */
#include <libfdt.h>

#include "../vmm/vmm.h"
#include "device.h"

static uint64_t test_exit_read(struct device *dev, unsigned int vcpu, uint64_t off,
			       unsigned int len)
{
	return 0;
}

static void test_exit_write(struct device *dev, unsigned int vcpu, uint64_t off,
			    unsigned int len, uint64_t val)
{
	if (off != 0 || len < 4) {
		pr_debug_rl("test-exit: %u-byte write at offset %#llx ignored\n",
			 len, (unsigned long long)off);
		return;
	}
	pr_info("test-exit: guest wrote %#llx: exit status %llu\n",
		(unsigned long long)val, (unsigned long long)(val & 0xff));
	vm_stop(dev->vm, (int)(val & 0xff));
}

static int test_exit_fdt_props(struct device *dev, void *fdt)
{
	return fdt_property_string(fdt, "compatible", "vmm,test-exit");
}

static const struct device_ops test_exit_ops = {
	.name = "test-exit",
	.read = test_exit_read,
	.write = test_exit_write,
	.fdt_props = test_exit_fdt_props,
};
DEVICE_REGISTER(test_exit_ops)
