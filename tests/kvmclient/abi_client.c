// SPDX-License-Identifier: GPL-2.0
/*
 * A small KVM client, written for /dev/kvm, that checks the answers Linux
 * KVM gives for the SVE, FINALIZE, INIT, RUN and VCPU_EVENTS rules.
 *
 * It is ported to vkvm by swapping the four calls of kclient.h and nothing else
 * (build with -DUSE_VKVM); built for aarch64 without it, the same source
 * runs against Linux KVM.  Output is TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kclient.h"

static int n, failed;

static void check(int ok, const char *what)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", n, what);
}

/* The ioctl's result: 0 or -errno. */
static int res(int r)
{
	return r < 0 ? -errno : 0;
}

static int sys_fd, vm_fd;

static int new_vcpu(int id, uint32_t features, int init)
{
	struct kvm_vcpu_init vi;
	int fd = k_ioctl(vm_fd, KVM_CREATE_VCPU, id);

	if (fd < 0) {
		printf("Bail out! KVM_CREATE_VCPU: %s\n", strerror(errno));
		exit(1);
	}
	if (init) {
		k_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &vi);
		vi.features[0] = features;
		if (k_ioctl(fd, KVM_ARM_VCPU_INIT, &vi) < 0) {
			printf("Bail out! KVM_ARM_VCPU_INIT: %s\n", strerror(errno));
			exit(1);
		}
	}
	return fd;
}

static int one_reg(int fd, unsigned long req, uint64_t id, void *buf)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)buf };

	return res(k_ioctl(fd, req, &reg));
}

static int init_with(int fd, uint32_t features)
{
	struct kvm_vcpu_init vi;

	k_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &vi);
	vi.features[0] = features;
	return res(k_ioctl(fd, KVM_ARM_VCPU_INIT, &vi));
}

int main(void)
{
	uint64_t vls[8], vls2[8];
	uint8_t z[256];
	struct kvm_reg_list list = { .n = 0 };
	struct kvm_vcpu_events ev;
	int sve, plain, fresh, feature = KVM_ARM_VCPU_SVE, id = 0;
	unsigned int vq, max = 0;
	long size;
	void *run;

	sys_fd = k_open(O_RDWR | O_CLOEXEC);
	if (sys_fd < 0) {
		printf("1..0 # SKIP no KVM: %s\n", strerror(errno));
		return 0;
	}
	vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0) {
		printf("Bail out! KVM_CREATE_VM: %s\n", strerror(errno));
		return 1;
	}
	size = k_ioctl(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	printf("1..18\n");

	/* RUN before INIT */
	fresh = new_vcpu(id++, 0, 0);
	run = k_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fresh, 0);
	check(run != MAP_FAILED, "kvm_run maps");
	check(res(k_ioctl(fresh, KVM_RUN, 0)) == -ENOEXEC, "KVM_RUN before INIT: ENOEXEC");
	/* INIT with an unknown feature bit, with one pointer-auth flag */
	check(init_with(fresh, 1u << 30) == -ENOENT, "INIT, unknown feature bit: ENOENT");
	check(init_with(fresh, 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS) == -EINVAL,
	      "INIT, PTRAUTH_ADDRESS alone: EINVAL");
	check(init_with(fresh, 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC) == -EINVAL,
	      "INIT, PTRAUTH_GENERIC alone: EINVAL");

	if (k_ioctl(sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE) <= 0) {
		printf("# no SVE: skipping the SVE rules\n");
		while (n < 15)
			printf("ok %d # SKIP no SVE\n", ++n);
		sve = -1;
	} else {
		sve = new_vcpu(id++, (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_SVE), 1);
		/* VLS: readable and writable before finalize */
		check(one_reg(sve, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_VLS, vls) == 0,
		      "VLS read before finalize");
		for (vq = 1; vq <= 512; vq++)
			if (vls[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)))
				max = vq;
		memcpy(vls2, vls, sizeof(vls));
		check(one_reg(sve, KVM_SET_ONE_REG, KVM_REG_ARM64_SVE_VLS, vls2) == 0,
		      "VLS write before finalize");
		check(one_reg(sve, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_ZREG(0, 0), z) == -EPERM,
		      "Z0 read before finalize: EPERM");
		check(res(k_ioctl(sve, KVM_RUN, 0)) == -EPERM, "KVM_RUN before finalize: EPERM");
		check(res(k_ioctl(sve, KVM_GET_REG_LIST, &list)) == -EPERM,
		      "KVM_GET_REG_LIST before finalize: EPERM");
		check(res(k_ioctl(sve, KVM_ARM_VCPU_FINALIZE, &feature)) == 0, "finalize");
		check(res(k_ioctl(sve, KVM_ARM_VCPU_FINALIZE, &feature)) == -EPERM,
		      "second finalize: EPERM");
		check(one_reg(sve, KVM_SET_ONE_REG, KVM_REG_ARM64_SVE_VLS, vls2) == -EPERM,
		      "VLS write after finalize: EPERM");
		check(one_reg(sve, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_ZREG(0, 0), z) == 0,
		      "Z0 read after finalize");
		/* one 2048-bit slice covers every length up to VQ 16 */
		check(2048 * 1 >= 128 * max &&
		      one_reg(sve, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_ZREG(0, 1), z) == -ENOENT,
		      "out-of-range SVE slice: ENOENT");
	}

	plain = new_vcpu(id++, 1u << KVM_ARM_VCPU_PSCI_0_2, 0);
	if (sve >= 0)
		init_with(plain, (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_SVE));
	else
		init_with(plain, 1u << KVM_ARM_VCPU_PSCI_0_2);
	/* both external-abort flags (on Linux 6.1 the second byte is padding: EINVAL too) */
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	((uint8_t *)&ev.exception)[3] = 1;	/* ext_iabt_pending */
	check(res(k_ioctl(plain, KVM_SET_VCPU_EVENTS, &ev)) == -EINVAL,
	      "VCPU_EVENTS with both abort flags: EINVAL");
	/* an SError ESR with bit 25 set, outside the ISS */
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 1ULL << 25;
	check(res(k_ioctl(plain, KVM_SET_VCPU_EVENTS, &ev)) == -EINVAL,
	      "SError ESR with bit 25: EINVAL");
	check(n == 17, "plan complete");

	k_close(plain);
	if (sve >= 0)
		k_close(sve);
	k_close(fresh);
	k_close(vm_fd);
	k_close(sys_fd);
	return failed ? 1 : 0;
}
