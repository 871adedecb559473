// SPDX-License-Identifier: GPL-2.0
/* VM fd: memslots, vCPU creation, preferred target, ENABLE_CAP. */
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

static long set_slot(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		     uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	return kio(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

static void *mem;
#define MEM_SIZE (1 << 20)

static void mem_setup(void)
{
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(mem, MAP_FAILED);
}

static void mem_teardown(void)
{
	munmap(mem, MEM_SIZE);
}

START_TEST(memslot_alignment)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x1000, mem), 0);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x90000800, 0x1000, mem), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x90000000, 0x1800, mem), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x90000000, 0x1000, (char *)mem + 8), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0xfffffffffffff000ULL, 0x2000, mem), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(memslot_ids_and_flags)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(set_slot(t.vm, 32767, 0, 0x80000000, 0x1000, mem), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 1u << 16, 0, 0x80000000, 0x1000, mem), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 0, 1u << 5, 0x80000000, 0x1000, mem), -EINVAL);
	/* dirty logging (tests/unit/test_dirty.c), with or without READONLY */
	ck_assert_int_eq(set_slot(t.vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0x90000000, 0x1000, mem), 0);
	ck_assert_int_eq(set_slot(t.vm, 1, KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY,
				  0x90001000, 0x1000, mem), 0);
	ck_assert_int_eq(set_slot(t.vm, 32766, KVM_MEM_READONLY, 0x80000000, 0x1000, mem), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(memslot_overlap_move_delete)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x10000, mem), 0);
	/* overlapping another slot */
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x8000f000, 0x2000, (char *)mem + 0x20000), -EEXIST);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x80010000, 0x2000, (char *)mem + 0x20000), 0);
	/* an existing slot cannot change size, address or READONLY */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x20000, mem), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x10000, (char *)mem + 0x1000), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 0, KVM_MEM_READONLY, 0x80000000, 0x10000, mem), -EINVAL);
	/* the same again is a no-op */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x10000, mem), 0);
	/* moving it onto slot 1 collides; elsewhere works */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80008000, 0x10000, mem), -EEXIST);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0xa0000000, 0x10000, mem), 0);
	/* delete with size 0; deleting a missing slot is EINVAL */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(set_slot(t.vm, 5, 0, 0, 0, NULL), -EINVAL);
	/* the range is free again */
	ck_assert_int_eq(set_slot(t.vm, 2, 0, 0xa0000000, 0x10000, mem), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(memslot_ipa_limit)
{
	struct tvm t;
	int vm32;

	tvm_create(&t);
	/* default IPA size: 40 bits */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, (1ULL << 40) - 0x1000, 0x1000, mem), 0);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 1ULL << 40, 0x1000, mem), -EFAULT);
	vm32 = (int)kio_val(t.sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_IPA_SIZE(32));
	ck_assert_int_ge(vm32, 0);
	ck_assert_int_eq(set_slot(vm32, 0, 0, 0xfffff000, 0x2000, mem), -EFAULT);
	vkvm_close(vm32);
	tvm_destroy(&t);
}
END_TEST

START_TEST(memslot_host_memory_checked)
{
	struct tvm t;
	char *ro = mmap(NULL, 0x2000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, 0x2000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone;

	tvm_create(&t);
	gone = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 0x2000);
	ck_assert_int_eq(set_slot(t.vm, 0, KVM_MEM_READONLY, 0x80000000, 0x2000, none), -EFAULT);
	/* vkvm reads the memory itself: unmapped host memory is EFAULT */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x2000, gone), -EFAULT);
	/* read-only host memory is a writable slot as in KVM (stores: EFAULT at run) */
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x2000, ro), 0);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0, ro), 0);
	ck_assert_int_eq(set_slot(t.vm, 0, KVM_MEM_READONLY, 0x80000000, 0x2000, ro), 0);
	tvm_destroy(&t);
	munmap(ro, 0x2000);
	munmap(none, 0x2000);
}
END_TEST

START_TEST(create_vcpu_ids)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.vm, KVM_CREATE_VCPU, 0), -EEXIST);
	ck_assert_int_ge(kio_val(t.vm, KVM_CREATE_VCPU, 511), 0);
	ck_assert_int_eq(kio_val(t.vm, KVM_CREATE_VCPU, 512), -EINVAL);
	ck_assert_int_eq(kio_val(t.vm, KVM_CREATE_VCPU, 1UL << 40), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(preferred_target)
{
	struct tvm t;
	struct kvm_vcpu_init init;

	memset(&init, 0xff, sizeof(init));
	tvm_create(&t);
	ck_assert_int_eq(kio(t.vm, KVM_ARM_PREFERRED_TARGET, &init), 0);
	ck_assert_int_eq(init.target, KVM_ARM_TARGET_GENERIC_V8);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(init.features[i], 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(enable_cap)
{
	struct tvm t;
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

	tvm_create(&t);
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), 0);
	cap.cap = KVM_CAP_ARM_SEA_TO_USER;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), 0);
	/* flags must be zero */
	cap.flags = 1;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.flags = 0;
	cap.cap = KVM_CAP_ARM_MTE;	/* the vCPU exists: too late, as KVM */
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.cap = 100000;
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	/* a vCPU fd does not take ENABLE_CAP on arm64 */
	cap.cap = KVM_CAP_ARM_NISV_TO_USER;
	ck_assert_int_eq(kio(t.vcpu, KVM_ENABLE_CAP, &cap), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

static long memory_error(int vm, uint64_t gpa, uint64_t size, uint32_t flags,
			 uint32_t reserved)
{
	struct vkvm_memory_error me = {
		.gpa = gpa, .size = size, .flags = flags, .reserved = reserved,
	};

	return kio(vm, VKVM_SET_MEMORY_ERROR, &me);
}

START_TEST(memory_error_ioctl)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(set_slot(t.vm, 0, 0, 0x80000000, 0x10000, mem), 0);
	ck_assert_int_eq(set_slot(t.vm, 1, 0, 0x80010000, 0x10000, (char *)mem + 0x10000), 0);
	ck_assert_int_eq(memory_error(t.vm, 0x80001000, 0x1000, VKVM_MEMORY_ERROR_POISON, 0), 0);
	/* a range spanning two adjacent slots */
	ck_assert_int_eq(memory_error(t.vm, 0x8000f000, 0x2000, VKVM_MEMORY_ERROR_POISON, 0), 0);
	/* clearing, also what is not poisoned */
	ck_assert_int_eq(memory_error(t.vm, 0x80000000, 0x20000, 0, 0), 0);
	/* outside memory, unaligned, empty, wrapping, unknown flags, reserved */
	ck_assert_int_eq(memory_error(t.vm, 0x90000000, 0x1000, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x8001f000, 0x2000, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x80000800, 0x1000, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x80000000, 0x800, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x80000000, 0, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0xfffffffffffff000ULL, 0x2000, 1, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x80000000, 0x1000, 2, 0), -EINVAL);
	ck_assert_int_eq(memory_error(t.vm, 0x80000000, 0x1000, 1, 1), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

Suite *vm_suite(void)
{
	const TTest *const tests[] = {
		memslot_alignment, memslot_ids_and_flags,
		memslot_overlap_move_delete, memslot_ipa_limit,
		memslot_host_memory_checked, create_vcpu_ids, preferred_target,
		enable_cap, memory_error_ioctl, NULL
	};

	return check_suite("vm", 0, mem_setup, mem_teardown, tests);
}
