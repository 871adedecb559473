/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices register themselves (DEVICE_REGISTER) under the name the memory
 * map uses for them; VM setup instantiates one for each REGION_DEVICE region
 * and MMIO dispatch calls its read/write with the offset into the region.
 */
#ifndef VMM_DEVICE_H
#define VMM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct region;
struct device;

struct device_ops {
	const char *name;
	/* set up dev->priv; return 0 or -errno */
	int (*init)(struct device *dev);
	void (*exit)(struct device *dev);
	/*
	 * @len is 1, 2, 4 or 8; values are little-endian as on the bus.
	 * @vcpu is the index (in vm->vcpus) of the vCPU that made the access;
	 * the call runs on that vCPU's thread, between two KVM_RUNs of it, so
	 * the device may inject an event into it (KVM_SET_VCPU_EVENTS).
	 */
	uint64_t (*read)(struct device *dev, unsigned int vcpu, uint64_t off,
			 unsigned int len);
	void (*write)(struct device *dev, unsigned int vcpu, uint64_t off,
		      unsigned int len, uint64_t val);
	/* add this device's properties to its node (reg/interrupts are added for it) */
	int (*fdt_props)(struct device *dev, void *fdt);
	/* or write the whole node (a bus whose reg and interrupts are not the region's) */
	int (*fdt_node)(struct device *dev, void *fdt);
	/* console input for a device that takes it; false when it cannot now */
	bool (*input)(struct device *dev, uint8_t c);
	/* what a family of devices knows of this one (virtio: its virtio_dev_ops) */
	const void *data;
};

struct device {
	const struct device_ops *ops;
	const struct region *region;
	struct vm *vm;
	void *priv;
};

void device_register(const struct device_ops *ops);
const struct device_ops *device_find(const char *name);

#define DEVICE_REGISTER(ops)						\
	static void __attribute__((constructor)) register_##ops(void)	\
	{								\
		device_register(&ops);					\
	}

#endif
