/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal libvkvm client for test harnesses and benchmarks (vmc.c): one
 * VM, one memslot of anonymous RAM, one vCPU, registers through ONE_REG and
 * the stage-1 MMU turned on by the host before the first KVM_RUN.
 */
#ifndef TESTS_LIB_VMC_H
#define TESTS_LIB_VMC_H

#include <stddef.h>
#include <stdint.h>

struct kvm_run;

struct vmc {
	int sys, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *ram;
	uint64_t ram_gpa, ram_size;
};

#define VMC_CORE(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_CORE_REG(name))
#define VMC_X(n)	VMC_CORE(regs.regs[n])

/* PSTATE: EL1h, D, A, I and F masked */
#define VMC_PSTATE_EL1H	0x3c5ULL

/* MAIR_EL1 as vmc_mmu_on() sets it: the AttrIndx of a block */
#define VMC_ATTR_NORMAL	0		/* Normal write-back, RW-allocate */
#define VMC_ATTR_DEVICE	1		/* Device-nGnRnE */

/* Stage-1 block descriptor: AF, inner shareable, AP[2:1], AttrIndx (Arm ARM D8.3) */
#define VMC_BLOCK(pa, attr, ap)	((pa) | 1ULL << 10 | 3ULL << 8 | (uint64_t)(ap) << 6 | \
				 (uint64_t)(attr) << 2 | 1)
#define VMC_TABLE(pa)		((pa) | 3)

/*
 * Create the VM with ram_size bytes of RAM at ram_gpa and its vCPU; with
 * sve_vls (KVM_REG_ARM64_SVE_VLS words), the vCPU has SVE at those vector
 * lengths, finalized.  0 or -errno; vmc_close() either way.
 */
int vmc_open(struct vmc *v, uint64_t ram_gpa, uint64_t ram_size, const uint64_t *sve_vls);
/*
 * The same with more KVM_ARM_VCPU_INIT feature bits (PTRAUTH_*...); and
 * VMC_FEATURE_MTE, not one of them: KVM_CAP_ARM_MTE enabled on the VM
 */
#define VMC_FEATURE_MTE	(1u << 31)
int vmc_open_features(struct vmc *v, uint64_t ram_gpa, uint64_t ram_size,
		      const uint64_t *sve_vls, uint32_t features);
void vmc_close(struct vmc *v);

/* The host address of guest RAM at gpa */
static inline void *vmc_ram(const struct vmc *v, uint64_t gpa)
{
	return v->ram + (gpa - v->ram_gpa);
}

/* ONE_REG: 0 or -errno.  The _p forms take a register of any size at p. */
int vmc_set_reg(struct vmc *v, uint64_t id, uint64_t val);
int vmc_get_reg(struct vmc *v, uint64_t id, uint64_t *val);
int vmc_set_reg_p(struct vmc *v, uint64_t id, const void *p);
int vmc_get_reg_p(struct vmc *v, uint64_t id, void *p);

/*
 * Turn the MMU on with the translation table at ttbr0: 4K granule, T0SZ 25
 * (the walk starts at level 1), the attributes above, caches on, alignment
 * checks off.  0 or -errno.
 */
int vmc_mmu_on(struct vmc *v, uint64_t ttbr0);

/* KVM_RUN once: 0 or -errno */
int vmc_run(struct vmc *v);

#endif
