// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' VM (see vmclient.h).  Stage 1: 4K granule, T0SZ 25 (walk
 * from level 1), one level-1 table in the last page of RAM with two 1 GiB
 * blocks: [0, 1 GiB) Device-nGnRnE, [1 GiB, 2 GiB) Normal write-back.
 */
#include <errno.h>
#include <string.h>

#include <linux/kvm.h>

#include "vmclient.h"

int bench_vm_create(struct vmc *v, uint64_t ram_size, const void *image, size_t len,
		    uint32_t features)
{
	uint64_t tables = ram_size - 0x1000, *l1;
	int ret;

	ret = vmc_open_features(v, RAM_GPA, ram_size, NULL, features);
	if (ret)
		return ret;
	if (len > tables - 0x10000)
		return -EFBIG;
	memcpy(v->ram, image, len);
	l1 = vmc_ram(v, RAM_GPA + tables);	/* the stack ends below it */
	l1[0] = VMC_BLOCK(0ULL, VMC_ATTR_DEVICE, 0);
	l1[1] = VMC_BLOCK(RAM_GPA, VMC_ATTR_NORMAL, 0);
	ret = vmc_mmu_on(v, RAM_GPA + tables);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pc), RAM_GPA);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate), VMC_PSTATE_EL1H);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(sp_el1), RAM_GPA + tables);
	return ret;
}
