// SPDX-License-Identifier: GPL-2.0
/* The unit tests' vCPU with EL2 (el2_vm.h). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "el2_vm.h"

#define RAM_SIZE	0x10000

void el2vm_put(struct el2vm *v, uint64_t id, uint64_t val)
{
	ck_assert_int_eq(set_reg(v->t.vcpu, id, &val), 0);
}

uint64_t el2vm_reg(struct el2vm *v, uint64_t id)
{
	return get_reg64(v->t.vcpu, id);
}

/* el2vm_create_f(), with KVM_CAP_ARM_MTE enabled before the vCPU (mte) */
static void el2vm_create_vm(struct el2vm *v, uint32_t f, bool mte)
{
	static const uint32_t none[1];
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };
	int sve = KVM_ARM_VCPU_SVE;
	unsigned int i;
	long size;

	v->t.sys = vkvm_open(O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(v->t.sys, 0);
	v->t.vm = (int)kio_val(v->t.sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(v->t.vm, 0);
	if (mte)
		ck_assert_int_eq(kio(v->t.vm, KVM_ENABLE_CAP, &cap), 0);
	v->t.vcpu = (int)kio_val(v->t.vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(v->t.vcpu, 0);
	size = kio_val(v->t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	ck_assert_int_gt(size, 0);
	v->t.run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
			     v->t.vcpu, 0);
	ck_assert_ptr_ne(v->t.run, MAP_FAILED);
	ck_assert_int_eq(tvm_init(v->t.vcpu, F(HAS_EL2) | f), 0);
	if (f & F(SVE))
		ck_assert_int_eq(kio(v->t.vcpu, KVM_ARM_VCPU_FINALIZE, &sve), 0);
	v->ram = tvm_add_ram(&v->t, RAM_GPA, RAM_SIZE, none, sizeof(none));
	v->gic = -1;
	for (i = 0; i < 16; i++) {
		v->ram[(0x800 + 0x80 * i) / 4] = 0xf900039f;	/* str xzr, [x28] */
		v->ram[(0x800 + 0x80 * i) / 4 + 1] = B_SELF;
		v->ram[(0x1000 + 0x80 * i) / 4] = 0xf900037f;	/* str xzr, [x27] */
		v->ram[(0x1000 + 0x80 * i) / 4 + 1] = B_SELF;
	}
	el2vm_put(v, SYSREG(VBAR_EL2), VBAR2);
	el2vm_put(v, SYSREG(VBAR_EL1), VBAR1);
	el2vm_put(v, X(28), MMIO_GPA);
	el2vm_put(v, X(27), MMIO_GPA + 0x100);
}

void el2vm_create_f(struct el2vm *v, uint32_t f)
{
	el2vm_create_vm(v, f, false);
}

void el2vm_create(struct el2vm *v)
{
	el2vm_create_f(v, 0);
}

void el2vm_create_mte(struct el2vm *v)
{
	el2vm_create_vm(v, 0, true);
}

void el2vm_destroy(struct el2vm *v)
{
	if (v->gic >= 0)
		vkvm_close(v->gic);
	tvm_destroy(&v->t);
	munmap(v->ram, RAM_SIZE);
}

uint64_t el2vm_run(struct el2vm *v, uint64_t pstate, const uint32_t *code, unsigned int n)
{
	uint64_t pc;

	memcpy(v->ram + 0x2000 / 4, code, n * sizeof(*code));
	el2vm_put(v, PC_ID, CODE);
	el2vm_put(v, PSTATE_ID, pstate);
	ck_assert_int_eq(kio_val(v->t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(v->t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(v->t.run->mmio.phys_addr & ~0x100ULL, MMIO_GPA);
	pc = get_reg64(v->t.vcpu, PC_ID);
	/* complete the vector's store now (KVM_RUN with immediate_exit), so
	 * that the next run starts where it is told */
	v->t.run->immediate_exit = 1;
	ck_assert_int_eq(kio_val(v->t.vcpu, KVM_RUN, 0), -EINTR);
	v->t.run->immediate_exit = 0;
	return pc;
}
