/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the vkvm unit tests: a VM, a vCPU, ONE_REG shorthands. */
#ifndef VKVM_TEST_H
#define VKVM_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "../lib/checksuite.h"

Suite *system_suite(void);
Suite *vm_suite(void);
Suite *vcpu_suite(void);
Suite *onereg_suite(void);
Suite *sve_suite(void);
Suite *events_suite(void);
Suite *run_suite(void);
Suite *psci_suite(void);
Suite *pmu_suite(void);
Suite *caps_suite(void);
Suite *vgic_config_suite(void);
Suite *hypercalls_suite(void);
Suite *el2_gic_suite(void);
Suite *vgic_v2_suite(void);
Suite *dirty_suite(void);
Suite *coalesced_suite(void);
Suite *id_regs_suite(void);
Suite *el2_suite(void);
Suite *el2_debug_suite(void);
Suite *el2_at_suite(void);
Suite *el2_tlb_suite(void);
Suite *pauth_suite(void);
Suite *mte_suite(void);
Suite *gmem_suite(void);
Suite *ecv_suite(void);

/* ioctl result and errno in one value: >= 0 result, or -errno. */
static inline long kio(int fd, unsigned long req, void *arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static inline long kio_val(int fd, unsigned long req, unsigned long arg)
{
	long r = vkvm_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

struct tvm {
	int sys, vm, vcpu;
	struct kvm_run *run;
};

/* A VM with one vCPU (id 0), not initialized. */
void tvm_create(struct tvm *t);
/* ...and initialized with these feature bits (KVM_ARM_VCPU_*). */
void tvm_create_init(struct tvm *t, uint32_t features);
void tvm_destroy(struct tvm *t);
long tvm_init(int vcpu, uint32_t features);

/* Slot 0 of t's VM: size bytes of shared anonymous memory at gpa, starting
 * with code (len bytes); the mapping, for munmap(). */
void *tvm_add_ram(struct tvm *t, uint64_t gpa, size_t size, const void *code,
		  size_t len);

long get_reg(int vcpu, uint64_t id, void *val);
long set_reg(int vcpu, uint64_t id, const void *val);
uint64_t get_reg64(int vcpu, uint64_t id);

#define CORE_REG(name, size) \
	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (size) | KVM_REG_ARM_CORE_REG(name))
#define F(x) (1u << KVM_ARM_VCPU_##x)

#endif
