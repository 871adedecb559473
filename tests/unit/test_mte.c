// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CAP_ARM_MTE and KVM_ARM_MTE_COPY_TAGS (kernel/mte.c): the
 * capability offered, enabled only before vCPUs exist; the MTE registers and ID field only in such a VM;
 * COPY_TAGS's argument checks and a round trip of tags.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define ID_AA64PFR1	ARM64_SYS_REG(3, 0, 0, 4, 1)
#define GCR_EL1		ARM64_SYS_REG(3, 0, 1, 0, 6)
#define TFSR_EL1	ARM64_SYS_REG(3, 0, 5, 6, 0)

static long enable_mte(int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };

	return kio(vm, KVM_ENABLE_CAP, &cap);
}

static long copy_tags(int vm, uint64_t ipa, uint64_t len, void *addr, uint64_t flags)
{
	struct kvm_arm_copy_mte_tags ct = {
		.guest_ipa = ipa, .length = len, .addr = addr, .flags = flags,
	};

	return kio(vm, KVM_ARM_MTE_COPY_TAGS, &ct);
}

/* A VM with MTE and RAM, no vCPU yet */
static int mte_vm(int *sys)
{
	int vm;

	*sys = vkvm_open(O_RDWR);
	ck_assert_int_ge(*sys, 0);
	vm = (int)kio_val(*sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(vm, 0);
	ck_assert_int_eq(enable_mte(vm), 0);
	return vm;
}

START_TEST(cap_before_vcpus)
{
	struct tvm t;
	int sys, vm;

	/* offered, on the system fd as on the VM's, with no switch */
	sys = vkvm_open(O_RDWR);
	ck_assert_int_ge(sys, 0);
	ck_assert_int_eq(kio_val(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_MTE), 1);
	close(sys);
	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_MTE), 1);
	/* a vCPU exists: too late, as KVM */
	ck_assert_int_eq(enable_mte(t.vm), -EINVAL);
	tvm_destroy(&t);
	vm = mte_vm(&sys);
	close(vm);
	close(sys);
}
END_TEST

START_TEST(regs_only_with_mte)
{
	struct tvm t;
	uint64_t v = 0;
	int sys, vm, vcpu;

	tvm_create_init(&t, 0);
	ck_assert_int_eq(get_reg(t.vcpu, ID_AA64PFR1, &v), 0);
	ck_assert_uint_eq((v >> 8) & 0xf, 0);
	ck_assert_int_eq(get_reg(t.vcpu, GCR_EL1, &v), -ENOENT);
	tvm_destroy(&t);

	vm = mte_vm(&sys);
	ck_assert_int_eq(enable_mte(vm), 0);		/* again: harmless */
	vcpu = (int)kio_val(vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(vcpu, 0);
	ck_assert_int_eq(tvm_init(vcpu, 0), 0);
	ck_assert_int_eq(get_reg(vcpu, ID_AA64PFR1, &v), 0);
	ck_assert_uint_eq((v >> 8) & 0xf, 3);		/* FEAT_MTE3 */
	v = 0x1fff0;
	ck_assert_int_eq(set_reg(vcpu, GCR_EL1, &v), 0);
	ck_assert_uint_eq(get_reg64(vcpu, GCR_EL1), 0x1fff0);
	ck_assert_int_eq(get_reg(vcpu, TFSR_EL1, &v), 0);
	close(vcpu);
	close(vm);
	close(sys);
}
END_TEST

START_TEST(copy_tags_checks)
{
	uint8_t tags[2 * 4096 / 16], back[sizeof(tags)];
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	struct kvm_arm_copy_mte_tags ct = { .guest_ipa = RAM_GPA, .length = 4096, .addr = tags };
	struct tvm t;
	void *ram;
	int sys, vm;

	/* no MTE: EINVAL */
	tvm_create(&t);
	tvm_add_ram(&t, RAM_GPA, RAM_SIZE, "", 0);
	ck_assert_int_eq(copy_tags(t.vm, RAM_GPA, 4096, tags, KVM_ARM_TAGS_FROM_GUEST), -EINVAL);
	tvm_destroy(&t);

	/* the slot made after the capability: it has tags */
	vm = mte_vm(&sys);
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(ram, MAP_FAILED);
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	ck_assert_int_eq(kio(vm, KVM_SET_USER_MEMORY_REGION, &mem), 0);

	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 4096, tags, 2), -EINVAL);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA + 16, 4096, tags, 0), -EINVAL);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 4000, tags, 0), -EINVAL);
	ct.reserved[1] = 1;
	ck_assert_int_eq(kio(vm, KVM_ARM_MTE_COPY_TAGS, &ct), -EINVAL);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 4096, NULL, KVM_ARM_TAGS_FROM_GUEST), -EFAULT);
	/* outside every memslot: EFAULT; partly: the bytes copied */
	ck_assert_int_eq(copy_tags(vm, 0x1000, 4096, tags, KVM_ARM_TAGS_FROM_GUEST), -EFAULT);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA + RAM_SIZE - 4096, 8192, tags,
				   KVM_ARM_TAGS_FROM_GUEST), 4096);

	/* fresh RAM has tag 0; what goes in (low 4 bits) comes back */
	memset(back, 0xaa, sizeof(back));
	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 8192, back, KVM_ARM_TAGS_FROM_GUEST), 8192);
	for (unsigned int i = 0; i < sizeof(back); i++)
		ck_assert_uint_eq(back[i], 0);
	for (unsigned int i = 0; i < sizeof(tags); i++)
		tags[i] = (uint8_t)(i * 7 + 0x30);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA + 4096, 8192, tags, KVM_ARM_TAGS_TO_GUEST), 8192);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA + 4096, 8192, back, KVM_ARM_TAGS_FROM_GUEST),
			 8192);
	for (unsigned int i = 0; i < sizeof(tags); i++)
		ck_assert_uint_eq(back[i], tags[i] & 0xf);
	/* the data is not touched */
	for (unsigned int i = 0; i < RAM_SIZE; i++)
		ck_assert_uint_eq(((uint8_t *)ram)[i], 0);
	close(vm);
	close(sys);
	munmap(ram, RAM_SIZE);
}
END_TEST

/* A slot that existed before the capability gets its tags then */
START_TEST(slot_before_cap)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 3, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };
	uint8_t tags[4096 / 16];
	void *ram;
	int sys, vm;

	sys = vkvm_open(O_RDWR);
	vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(vm, 0);
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	ck_assert_int_eq(kio(vm, KVM_SET_USER_MEMORY_REGION, &mem), 0);
	ck_assert_int_eq(kio(vm, KVM_ENABLE_CAP, &cap), 0);
	memset(tags, 5, sizeof(tags));
	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 4096, tags, KVM_ARM_TAGS_TO_GUEST), 4096);
	/* deleted, the slot's tags are gone with it */
	mem.memory_size = 0;
	ck_assert_int_eq(kio(vm, KVM_SET_USER_MEMORY_REGION, &mem), 0);
	ck_assert_int_eq(copy_tags(vm, RAM_GPA, 4096, tags, KVM_ARM_TAGS_FROM_GUEST), -EFAULT);
	close(vm);
	close(sys);
	munmap(ram, RAM_SIZE);
}
END_TEST

Suite *mte_suite(void)
{
	return CHECK_SUITE("mte", 20, cap_before_vcpus, regs_only_with_mte, copy_tags_checks,
			   slot_before_cap);
}
