// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO exit round trips through the whole vkvm ioctl path, measured (never
 * asserted): a guest loop of 32-bit stores to an IPA outside every memslot,
 * each one KVM_RUN -> KVM_EXIT_MMIO -> back, with the minimal client a VMM
 * would be (it only checks the exit).  Usage: bench_exit [exits]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/kvm.h>
#include <vkvm.h>

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define MMIO_GPA	0x10000000ULL

#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int set_reg(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	return vkvm_ioctl(fd, KVM_SET_ONE_REG, &reg);
}

static void die(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	uint64_t exits = argc > 1 ? strtoull(argv[1], 0, 0) : 5000000, i;
	/* loop: str w2, [x1]; add w2, w2, #1; b loop */
	static const uint32_t code[] = { 0xb9000022, 0x11000442, 0x17fffffe };
	struct kvm_userspace_memory_region mr;
	struct kvm_vcpu_init vi;
	struct kvm_run *run;
	int sys, vm, vcpu;
	long size;
	uint8_t *ram;
	double t;

	sys = vkvm_open(O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die("vkvm_open");
	vm = vkvm_ioctl(sys, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	memcpy(ram, code, sizeof(code));
	mr = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)ram,
	};
	if (vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	size = vkvm_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("vkvm_mmap");
	if (vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &vi) < 0)
		die("KVM_ARM_PREFERRED_TARGET");
	if (vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &vi) < 0)
		die("KVM_ARM_VCPU_INIT");
	if (set_reg(vcpu, CORE_REG(regs.pc), RAM_GPA) ||
	    set_reg(vcpu, CORE_REG(regs.regs[1]), MMIO_GPA) ||
	    set_reg(vcpu, CORE_REG(regs.regs[2]), 0))
		die("KVM_SET_ONE_REG");

	t = now();
	for (i = 0; i < exits; i++) {
		if (vkvm_ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
		    run->mmio.phys_addr != MMIO_GPA || run->mmio.len != 4 ||
		    *(uint32_t *)run->mmio.data != (uint32_t)i) {
			printf("Bail out! exit %llu: reason %u\n",
			       (unsigned long long)i, run->exit_reason);
			return 1;
		}
	}
	t = now() - t;
	printf("# MMIO store exits through vkvm_ioctl(KVM_RUN): %.2f M/s (%.0f ns each)\n",
	       exits / 1e6 / t, t / exits * 1e9);
	printf("ok 1 - bench ran\n1..1\n");
	vkvm_close(vcpu);
	vkvm_close(vm);
	vkvm_close(sys);
	return 0;
}
