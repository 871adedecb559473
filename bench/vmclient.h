/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' VM (vmclient.c, on tests/lib/vmc.c): one vCPU at EL1h,
 * guest RAM at RAM_GPA identity mapped with the MMU on (Normal WB),
 * everything below 1 GiB Device memory (unbacked: each access is
 * KVM_EXIT_MMIO).
 */
#ifndef BENCH_VMCLIENT_H
#define BENCH_VMCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "vmc.h"

#define RAM_GPA		0x40000000ULL
#define MMIO_GPA	0x10000000ULL

/*
 * Create the VM, copy image to RAM_GPA, PC there, SP_EL1 at the top of RAM;
 * features as vmc_open_features() (VMC_FEATURE_MTE: an MTE VM).  0 or
 * -errno; vmc_close() either way.
 */
int bench_vm_create(struct vmc *v, uint64_t ram_size, const void *image, size_t len,
		    uint32_t features);

#endif
