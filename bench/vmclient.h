/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KVM client for the benchmarks: one VM, one vCPU at EL1h, guest
 * RAM at RAM_GPA identity mapped with the MMU on (Normal WB), everything
 * below 1 GiB Device memory (unbacked: each access is KVM_EXIT_MMIO).
 */
#ifndef BENCH_VMCLIENT_H
#define BENCH_VMCLIENT_H

#include <stddef.h>
#include <stdint.h>

#define RAM_GPA		0x40000000ULL
#define MMIO_GPA	0x10000000ULL

struct kvm_run;

struct vmc {
	int sys, vm, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
	uint64_t ram_size;
};

/* Create the VM, copy image to RAM_GPA, PC there, SP_EL1 at the top of RAM. */
int vmc_create(struct vmc *v, uint64_t ram_size, const void *image, size_t len);
int vmc_set_reg(struct vmc *v, uint64_t id, uint64_t val);
int vmc_get_reg(struct vmc *v, uint64_t id, uint64_t *val);
/* KVM_RUN once; 0 or -errno. */
int vmc_run(struct vmc *v);
void vmc_destroy(struct vmc *v);

#define VMC_CORE(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_CORE_REG(name))
#define VMC_X(n)	VMC_CORE(regs.regs[n])

#endif
