// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' KVM client (see vmclient.h).  Stage 1: 4K granule, T0SZ
 * 25 (walk from level 1), one level-1 table with two 1 GiB blocks:
 * [0, 1 GiB) Device-nGnRnE, [1 GiB, 2 GiB) Normal write-back.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmclient.h"

#define BLOCK(pa, attr)	((pa) | 1ULL << 10 | 3ULL << 8 | (uint64_t)(attr) << 2 | 1)
#define SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define MAIR_EL1	ARM64_SYS_REG(3, 0, 10, 2, 0)
/* T0SZ 25, IRGN0/ORGN0 WB-WA, SH0 inner, TG0 4K, T1SZ 25, EPD1, TG1 4K, IPS 40 bits */
#define TCR_VAL		(25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | 25ULL << 16 | \
			 1ULL << 23 | 2ULL << 30 | 2ULL << 32)
/* RES1 bits, M, C, SA, I */
#define SCTLR_VAL	(0x30d00800ULL | 1ULL << 0 | 1ULL << 2 | 1ULL << 3 | 1ULL << 12)

int vmc_set_reg(struct vmc *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return vkvm_ioctl(v->vcpu, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vmc_get_reg(struct vmc *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(v->vcpu, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vmc_run(struct vmc *v)
{
	return vkvm_ioctl(v->vcpu, KVM_RUN, 0) < 0 ? -errno : 0;
}

int vmc_create(struct vmc *v, uint64_t ram_size, const void *image, size_t len)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = ram_size,
	};
	uint64_t tables = ram_size - 0x1000, *l1;
	long sz;
	int ret;

	memset(v, 0, sizeof(*v));
	v->ram_size = ram_size;
	if (len > tables - 0x10000)
		return -EFBIG;
	v->sys = vkvm_open(O_RDWR);
	if (v->sys < 0)
		return -errno;
	v->vm = vkvm_ioctl(v->sys, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return -errno;
	v->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return -errno;
	mem.userspace_addr = (uint64_t)(uintptr_t)v->ram;
	if (vkvm_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &mem) < 0)
		return -errno;
	v->vcpu = vkvm_ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return -errno;
	if (vkvm_ioctl(v->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return -errno;
	sz = vkvm_ioctl(v->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	v->run = vkvm_mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return -errno;

	memcpy(v->ram, image, len);
	l1 = (uint64_t *)(v->ram + tables);	/* the last page; the stack ends below it */
	l1[0] = BLOCK(0ULL, 1);
	l1[1] = BLOCK(RAM_GPA, 0);
	ret = vmc_set_reg(v, MAIR_EL1, 0x00ff);
	ret = ret ?: vmc_set_reg(v, TCR_EL1, TCR_VAL);
	ret = ret ?: vmc_set_reg(v, TTBR0_EL1, RAM_GPA + tables);
	ret = ret ?: vmc_set_reg(v, SCTLR_EL1, SCTLR_VAL);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pc), RAM_GPA);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate), 0x3c5);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(sp_el1), RAM_GPA + tables);
	return ret;
}

void vmc_destroy(struct vmc *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, 2 * 4096);
	if (v->vcpu > 0)
		vkvm_close(v->vcpu);
	if (v->vm > 0)
		vkvm_close(v->vm);
	if (v->sys > 0)
		vkvm_close(v->sys);
	if (v->ram && v->ram != MAP_FAILED)
		munmap(v->ram, v->ram_size);
}
