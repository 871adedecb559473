// SPDX-License-Identifier: GPL-2.0
#include <sys/mman.h>

#include "vkvm_test.h"

void tvm_create(struct tvm *t)
{
	long size;

	t->sys = vkvm_open(O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(t->sys, 0);
	t->vm = (int)kio_val(t->sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(t->vm, 0);
	t->vcpu = (int)kio_val(t->vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(t->vcpu, 0);
	size = kio_val(t->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	ck_assert_int_gt(size, 0);
	t->run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   t->vcpu, 0);
	ck_assert_ptr_ne(t->run, MAP_FAILED);
}

long tvm_init(int vcpu, uint32_t features)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	init.features[0] = features;
	return kio(vcpu, KVM_ARM_VCPU_INIT, &init);
}

void tvm_create_init(struct tvm *t, uint32_t features)
{
	tvm_create(t);
	ck_assert_int_eq(tvm_init(t->vcpu, features), 0);
}

void tvm_destroy(struct tvm *t)
{
	vkvm_close(t->vcpu);
	vkvm_close(t->vm);
	vkvm_close(t->sys);
}

void *tvm_add_ram(struct tvm *t, uint64_t gpa, size_t size, const void *code,
		  size_t len)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = gpa, .memory_size = size,
	};
	void *ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(ram, MAP_FAILED);
	memcpy(ram, code, len);
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	ck_assert_int_eq(kio(t->vm, KVM_SET_USER_MEMORY_REGION, &mem), 0);
	return ram;
}

long get_reg(int vcpu, uint64_t id, void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kio(vcpu, KVM_GET_ONE_REG, &reg);
}

long set_reg(int vcpu, uint64_t id, const void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kio(vcpu, KVM_SET_ONE_REG, &reg);
}

uint64_t get_reg64(int vcpu, uint64_t id)
{
	uint64_t v = 0;

	ck_assert_int_eq(get_reg(vcpu, id, &v), 0);
	return v;
}
