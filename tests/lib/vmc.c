// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal libvkvm client (see vmc.h), driven only through the KVM ioctls
 * as a /dev/kvm client would be.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmc.h"

#define SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define MAIR_EL1	ARM64_SYS_REG(3, 0, 10, 2, 0)

/* MAIR: Attr0 Normal WB RW-allocate, Attr1 Device-nGnRnE */
#define MAIR_VAL	0x00ffULL
/* TCR: T0SZ 25, IRGN0/ORGN0 WB-WA, SH0 inner, TG0 4K, T1SZ 25, EPD1, TG1 4K, IPS 40 bits */
#define TCR_VAL		(25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | 25ULL << 16 | \
			 1ULL << 23 | 2ULL << 30 | 2ULL << 32)
/* SCTLR: RES1 bits (11, 20, 22, 23, 28, 29), M, C, SA, I; A = 0 */
#define SCTLR_VAL	(0x30d00800ULL | 1ULL << 0 | 1ULL << 2 | 1ULL << 3 | 1ULL << 12)

int vmc_set_reg_p(struct vmc *v, uint64_t id, const void *p)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)p };

	return vkvm_ioctl(v->vcpu, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vmc_get_reg_p(struct vmc *v, uint64_t id, void *p)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)p };

	return vkvm_ioctl(v->vcpu, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vmc_set_reg(struct vmc *v, uint64_t id, uint64_t val)
{
	return vmc_set_reg_p(v, id, &val);
}

int vmc_get_reg(struct vmc *v, uint64_t id, uint64_t *val)
{
	return vmc_get_reg_p(v, id, val);
}

int vmc_run(struct vmc *v)
{
	return vkvm_ioctl(v->vcpu, KVM_RUN, 0) < 0 ? -errno : 0;
}

/* SVE: the feature at KVM_ARM_VCPU_INIT, then the lengths, then finalize (KVM api.rst 4.82) */
static int vmc_init_vcpu(struct vmc *v, const uint64_t *sve_vls, uint32_t features)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int feature = KVM_ARM_VCPU_SVE;

	init.features[0] = features;
	if (sve_vls)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	if (vkvm_ioctl(v->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return -errno;
	if (!sve_vls)
		return 0;
	if (vmc_set_reg_p(v, KVM_REG_ARM64_SVE_VLS, sve_vls) ||
	    vkvm_ioctl(v->vcpu, KVM_ARM_VCPU_FINALIZE, &feature) < 0)
		return -errno;
	return 0;
}

int vmc_open(struct vmc *v, uint64_t ram_gpa, uint64_t ram_size, const uint64_t *sve_vls)
{
	return vmc_open_features(v, ram_gpa, ram_size, sve_vls, 0);
}

int vmc_open_features(struct vmc *v, uint64_t ram_gpa, uint64_t ram_size,
		      const uint64_t *sve_vls, uint32_t features)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = ram_gpa, .memory_size = ram_size,
	};
	long sz;
	int ret;

	memset(v, 0, sizeof(*v));
	v->ram_gpa = ram_gpa;
	v->ram_size = ram_size;
	v->sys = vkvm_open(O_RDWR);
	if (v->sys < 0)
		return -errno;
	v->vm = vkvm_ioctl(v->sys, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return -errno;
	if (features & VMC_FEATURE_MTE) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };

		if (vkvm_ioctl(v->vm, KVM_ENABLE_CAP, &cap) < 0)
			return -errno;
		features &= ~VMC_FEATURE_MTE;
	}
	v->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return -errno;
	mem.userspace_addr = (uint64_t)(uintptr_t)v->ram;
	if (vkvm_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &mem) < 0)
		return -errno;
	v->vcpu = vkvm_ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return -errno;
	ret = vmc_init_vcpu(v, sve_vls, features);
	if (ret)
		return ret;
	sz = vkvm_ioctl(v->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < 0)
		return -errno;
	v->run = vkvm_mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return -errno;
	v->run_size = (size_t)sz;
	return 0;
}

void vmc_close(struct vmc *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, v->run_size);
	if (v->vcpu > 0)
		vkvm_close(v->vcpu);
	if (v->vm > 0)
		vkvm_close(v->vm);
	if (v->sys > 0)
		vkvm_close(v->sys);
	if (v->ram && v->ram != MAP_FAILED)
		munmap(v->ram, v->ram_size);
	memset(v, 0, sizeof(*v));
}

int vmc_mmu_on(struct vmc *v, uint64_t ttbr0)
{
	int ret;

	ret = vmc_set_reg(v, MAIR_EL1, MAIR_VAL);
	ret = ret ?: vmc_set_reg(v, TCR_EL1, TCR_VAL);
	ret = ret ?: vmc_set_reg(v, TTBR0_EL1, ttbr0);
	ret = ret ?: vmc_set_reg(v, SCTLR_EL1, SCTLR_VAL);
	return ret;
}
