/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU with EL2 for the unit tests of nested virtualization (test_el2.c,
 * test_el2_gic.c): 64 KiB of RAM whose vectors at VBAR_EL2 (RAM + 0x800)
 * and VBAR_EL1 (RAM + 0x1000) are each "str xzr, [x28]" (x27 for EL1's),
 * an MMIO exit whose PC names the vector taken; code runs at RAM + 0x2000.
 * The instruction words are hand-assembled (aarch64-linux-gnu-as).
 */
#ifndef EL2_VM_H
#define EL2_VM_H

#include <stdbool.h>

#include "vkvm_test.h"
#include "arm64.h"

#define RAM_GPA		0x80000000ULL
#define MMIO_GPA	0x0a000000ULL
#define VBAR2		(RAM_GPA + 0x800)
#define VBAR1		(RAM_GPA + 0x1000)
#define CODE		(RAM_GPA + 0x2000)
#define PSTATE_ID	CORE_REG(regs.pstate, KVM_REG_SIZE_U64)
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)
#define SYSREG(n)	ONE_REG_SYS(SYS_##n)

/* vector offsets: from the current EL with SP_ELx, from a lower EL (AArch64) */
#define CUR_SYNC	0x200
#define CUR_IRQ		0x280
#define CUR_FIQ		0x300
#define CUR_SERROR	0x380
#define LOW_SYNC	0x400
#define LOW_IRQ		0x480

#define EL1H		0x3c5ULL	/* EL1h, DAIF masked */
#define EL2H		0x3c9ULL
#define HVC(n)		(0xd4000002u | ((uint32_t)(n) << 5))
#define NOP		0xd503201fu
#define B_SELF		0x14000000u

struct el2vm {
	struct tvm t;
	uint32_t *ram;
	int gic;	/* a GICv3 device the test created, or -1 */
};

/* The VM with the vCPU features f besides HAS_EL2 (SVE: finalized). */
void el2vm_create_f(struct el2vm *v, uint32_t f);
void el2vm_create(struct el2vm *v);
/* ... a VM with KVM_CAP_ARM_MTE, no other vCPU feature */
void el2vm_create_mte(struct el2vm *v);
/* ...closes v->gic if set. */
void el2vm_destroy(struct el2vm *v);

/* Run n words of code at CODE in PSTATE pstate to a vector: its address. */
uint64_t el2vm_run(struct el2vm *v, uint64_t pstate, const uint32_t *code, unsigned int n);

void el2vm_put(struct el2vm *v, uint64_t id, uint64_t val);
uint64_t el2vm_reg(struct el2vm *v, uint64_t id);

#endif
