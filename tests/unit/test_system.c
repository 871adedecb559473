// SPDX-License-Identifier: GPL-2.0
/* The system fd and the seam's file-descriptor behaviour. */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

START_TEST(api_version)
{
	int sys = vkvm_open(O_RDWR);

	ck_assert_int_ge(sys, 0);
	ck_assert_int_eq(kio_val(sys, KVM_GET_API_VERSION, 0), 12);
	ck_assert_int_eq(kio_val(sys, KVM_GET_API_VERSION, 1), -EINVAL);
	vkvm_close(sys);
}
END_TEST

START_TEST(check_extension)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_ADDRESS), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_GENERIC), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE), 48);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 512);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS), 32767);
	ck_assert_int_ge(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS), 1);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3), 1);
	/* not implemented, so not advertised */
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL1_32BIT), 0);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, 100000), 0);
	/* the VM fd answers the same */
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG), 1);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 512);
	tvm_destroy(&t);
}
END_TEST

START_TEST(vcpu_mmap_size)
{
	int sys = vkvm_open(O_RDWR);
	long size = kio_val(sys, KVM_GET_VCPU_MMAP_SIZE, 0);

	ck_assert_int_ge(size, (long)sizeof(struct kvm_run));
	ck_assert_int_eq(size % sysconf(_SC_PAGESIZE), 0);
	ck_assert_int_eq(kio_val(sys, KVM_GET_VCPU_MMAP_SIZE, 1), -EINVAL);
	vkvm_close(sys);
}
END_TEST

START_TEST(unknown_ioctls)
{
	struct tvm t;

	tvm_create(&t);
	/* arm64 answers EINVAL for ioctls it does not know, on every fd */
	ck_assert_int_eq(kio_val(t.sys, _IO(KVMIO, 0x7f), 0), -EINVAL);
	ck_assert_int_eq(kio_val(t.vm, _IO(KVMIO, 0x7f), 0), -EINVAL);
	ck_assert_int_eq(kio_val(t.vcpu, _IO(KVMIO, 0x7f), 0), -EINVAL);
	/* a vCPU ioctl on the VM fd, a VM ioctl on the vCPU fd */
	ck_assert_int_eq(kio_val(t.vm, KVM_RUN, 0), -EINVAL);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_CREATE_VCPU, 1), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

START_TEST(create_vm_ipa_size)
{
	int sys = vkvm_open(O_RDWR), vm;

	vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(vm, 0);
	vkvm_close(vm);
	vm = (int)kio_val(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_IPA_SIZE(32));
	ck_assert_int_ge(vm, 0);
	vkvm_close(vm);
	vm = (int)kio_val(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_IPA_SIZE(48));
	ck_assert_int_ge(vm, 0);
	vkvm_close(vm);
	ck_assert_int_eq(kio_val(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_IPA_SIZE(49)), -EINVAL);
	ck_assert_int_eq(kio_val(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_IPA_SIZE(31)), -EINVAL);
	ck_assert_int_eq(kio_val(sys, KVM_CREATE_VM, 0x100), -EINVAL);
	vkvm_close(sys);
}
END_TEST

START_TEST(real_file_descriptors)
{
	struct tvm t;
	int dupfd;

	tvm_create(&t);
	/* KVM's fds are close-on-exec */
	ck_assert(fcntl(t.vm, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(t.vcpu, F_GETFD) & FD_CLOEXEC);
	/* a dup reaches the same VM, even once the original is closed */
	dupfd = dup(t.vm);
	ck_assert_int_ge(dupfd, 0);
	ck_assert_int_eq(vkvm_close(t.vm), 0);
	ck_assert_int_eq(kio_val(dupfd, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG), 1);
	ck_assert_int_ge(kio_val(dupfd, KVM_CREATE_VCPU, 1), 0);
	t.vm = dupfd;
	/* the vCPU keeps working although its VM fds are gone */
	vkvm_close(t.vm);
	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	vkvm_close(t.vcpu);
	vkvm_close(t.sys);
}
END_TEST

START_TEST(foreign_fd_passes_through)
{
	int fd = open("/dev/null", O_RDWR);

	/* an fd vkvm did not create gets the real system call */
	ck_assert_int_eq(kio_val(fd, KVM_GET_API_VERSION, 0), -ENOTTY);
	ck_assert_int_eq(kio_val(-1, KVM_GET_API_VERSION, 0), -EBADF);
	ck_assert_int_eq(vkvm_close(fd), 0);
}
END_TEST

START_TEST(mmap_kvm_run)
{
	struct tvm t;
	long size;
	void *p;

	tvm_create(&t);
	size = kio_val(t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	/* two mappings of the vCPU fd share one kvm_run */
	p = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, t.vcpu, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	t.run->immediate_exit = 1;
	ck_assert_int_eq(((struct kvm_run *)p)->immediate_exit, 1);
	munmap(p, (size_t)size);
	/* only vCPUs can be mapped */
	p = vkvm_mmap(NULL, 4096, PROT_READ, MAP_SHARED, t.vm, 0);
	ck_assert_ptr_eq(p, MAP_FAILED);
	ck_assert_int_eq(errno, ENODEV);
	p = vkvm_mmap(NULL, 4096, PROT_READ, MAP_SHARED, t.sys, 0);
	ck_assert_ptr_eq(p, MAP_FAILED);
	ck_assert_int_eq(errno, ENODEV);
	/* anonymous memory goes to mmap(2) */
	p = vkvm_mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	munmap(p, 4096);
	tvm_destroy(&t);
}
END_TEST

START_TEST(bad_pointers_fault)
{
	struct tvm t;
	struct kvm_one_reg reg = { .id = CORE_REG(regs.pc, KVM_REG_SIZE_U64), .addr = 8 };

	tvm_create(&t);
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_INIT, NULL), -EFAULT);
	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_ONE_REG, NULL), -EFAULT);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_ONE_REG, &reg), -EFAULT);
	ck_assert_int_eq(kio(t.vcpu, KVM_SET_ONE_REG, &reg), -EFAULT);
	ck_assert_int_eq(kio(t.vm, KVM_SET_USER_MEMORY_REGION, (void *)16), -EFAULT);
	ck_assert_int_eq(kio(t.vm, KVM_ARM_PREFERRED_TARGET, NULL), -EFAULT);
	tvm_destroy(&t);
}
END_TEST

Suite *system_suite(void)
{
	return CHECK_SUITE("system", 0, api_version, check_extension,
			   vcpu_mmap_size, unknown_ioctls, create_vm_ipa_size,
			   real_file_descriptors, foreign_fd_passes_through,
			   mmap_kvm_run, bad_pointers_fault);
}
