// SPDX-License-Identifier: GPL-2.0
/*
 * The vkvm side of the FP/SIMD differential test: one VM, one vCPU, driven
 * only through the KVM ioctls (vkvm_ioctl), reused for every case; the
 * setup is tests/diff/vkvm_side.c's, with CPACR_EL1.FPEN open and V0-V31,
 * FPCR and FPSR set and read through ONE_REG.
 *
 * Guest RAM is identity mapped by a stage-1 table the host writes and turns
 * on through ONE_REG (4K granule, T0SZ 25, so the walk starts at level 1),
 * because with SCTLR_EL1.M = 0 every data access would be Device memory and
 * misaligned ones would fault where qemu-user's Normal memory does not:
 *
 *	0x00000000  1 GiB block, Device-nGnRnE: SP_EL1 points at an unbacked
 *		    IPA there, so "str xzr, [sp]" ends a case (KVM_EXIT_MMIO)
 *	0x40000000  2 MiB block, Normal WB, EL1 only: code, vectors, tables
 *	0x40200000  2 MiB block, Normal WB, EL0 and EL1: the data buffer
 *		    (LDTR/STTR need EL0 access; a block EL0 can write is not
 *		    executable at EL1, hence the split)
 *
 * A case that takes an exception lands in a vector that stores to
 * [sp, #8]: a second MMIO address, reported with ESR_EL1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "fpd_vside.h"

#define RAM_GPA		FPD_CODE_VA
#define RAM_SIZE	0x400000ULL
#define VBAR_GPA	(RAM_GPA + 0x1000)
#define L1_GPA		(RAM_GPA + 0x100000)
#define L2_GPA		(RAM_GPA + 0x101000)
#define END_IPA		0x10000000ULL
#define FAULT_IPA	(END_IPA + 8)

#define CORE(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_CORE_REG(name))
#define XREG(n)		CORE(regs.regs[n])
#define VREG(n)		(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U128 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.vregs[n]))
#define FPREG32(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U32 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.name))
#define CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define CPACR_FPEN	(3ULL << 20)

#define SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define TCR_EL1		ARM64_SYS_REG(3, 0, 2, 0, 2)
#define ESR_EL1		ARM64_SYS_REG(3, 0, 5, 2, 0)
#define MAIR_EL1	ARM64_SYS_REG(3, 0, 10, 2, 0)
#define VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

/* Block descriptor: AF, inner shareable, AP[2:1], AttrIndx (Arm ARM D8.3). */
#define BLOCK(pa, attr, ap)	((pa) | 1ULL << 10 | 3ULL << 8 | (uint64_t)(ap) << 6 | \
				 (uint64_t)(attr) << 2 | 1)
/* MAIR: Attr0 Normal WB RW-allocate, Attr1 Device-nGnRnE. */
#define MAIR_VAL	0x00ffULL
/* TCR: T0SZ 25, IRGN0/ORGN0 WB-WA, SH0 inner, TG0 4K, EPD1, TG1 4K, IPS 40 bits. */
#define TCR_VAL		(25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | 0ULL << 14 | \
			 25ULL << 16 | 1ULL << 23 | 2ULL << 30 | 2ULL << 32)
/* SCTLR: RES1 bits (11, 20, 22, 23, 28, 29), M, C, SA, I; A = 0. */
#define SCTLR_VAL	(0x30d00800ULL | 1ULL << 0 | 1ULL << 2 | 1ULL << 3 | 1ULL << 12)
#define PSTATE_EL1H	0x3c5ULL

static struct kvm_run *alarm_run;

static void on_alarm(int sig)
{
	if (alarm_run)
		alarm_run->immediate_exit = 1;
}

static int set_reg(int vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static int get_reg(int vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r);
}

/* A register of any size at p (U32, U64, U128) */
static int set_reg_p(int vcpu, uint64_t id, const void *p)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)p };

	return vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static int get_reg_p(int vcpu, uint64_t id, void *p)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)p };

	return vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r);
}

static int set_fp_state(int vcpu, const struct fpd_regs *fr)
{
	uint32_t fpcr = (uint32_t)fr->fpcr, fpsr = (uint32_t)fr->fpsr;

	for (int i = 0; i < 32; i++)
		if (set_reg_p(vcpu, VREG(i), fr->v[i]))
			return -1;
	return set_reg_p(vcpu, FPREG32(fpcr), &fpcr) || set_reg_p(vcpu, FPREG32(fpsr), &fpsr);
}

static int get_fp_state(int vcpu, struct fpd_regs *fr)
{
	uint32_t fpcr, fpsr;

	for (int i = 0; i < 32; i++)
		if (get_reg_p(vcpu, VREG(i), fr->v[i]))
			return -1;
	if (get_reg_p(vcpu, FPREG32(fpcr), &fpcr) || get_reg_p(vcpu, FPREG32(fpsr), &fpsr))
		return -1;
	fr->fpcr = fpcr;
	fr->fpsr = fpsr;
	return 0;
}

int fvside_open(struct fvside *v)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	uint64_t *l1, *l2;
	uint32_t *vec;
	long sz;

	memset(v, 0, sizeof(*v));
	v->sys = vkvm_open(O_RDWR);
	if (v->sys < 0)
		return -errno;
	v->vm = vkvm_ioctl(v->sys, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return -errno;
	v->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return -errno;
	mem.userspace_addr = (uint64_t)(uintptr_t)v->ram;
	if (vkvm_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &mem) < 0)
		return -errno;
	v->vcpu = vkvm_ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return -errno;
	if (vkvm_ioctl(v->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return -errno;
	sz = vkvm_ioctl(v->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	v->run = vkvm_mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return -errno;

	l1 = (uint64_t *)(v->ram + (L1_GPA - RAM_GPA));
	l2 = (uint64_t *)(v->ram + (L2_GPA - RAM_GPA));
	l1[0] = BLOCK(0ULL, 1, 0);
	l1[1] = L2_GPA | 3;				/* table */
	l2[0] = BLOCK(RAM_GPA, 0, 0);
	l2[1] = BLOCK(FPD_BUF_VA, 0, 1);
	vec = (uint32_t *)(v->ram + (VBAR_GPA - RAM_GPA));
	for (int i = 0; i < 16; i++)
		vec[i * 32] = 0xf90007ff;		/* str xzr, [sp, #8] */

	if (set_reg(v->vcpu, MAIR_EL1, MAIR_VAL) || set_reg(v->vcpu, TCR_EL1, TCR_VAL) ||
	    set_reg(v->vcpu, TTBR0_EL1, L1_GPA) || set_reg(v->vcpu, VBAR_EL1, VBAR_GPA) ||
	    set_reg(v->vcpu, SCTLR_EL1, SCTLR_VAL) || set_reg(v->vcpu, CPACR_EL1, CPACR_FPEN))
		return -errno;

	alarm_run = v->run;
	signal(SIGALRM, on_alarm);
	return 0;
}

void fvside_close(struct fvside *v)
{
	alarm_run = NULL;
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, 2 * 4096);
	if (v->vcpu > 0)
		vkvm_close(v->vcpu);
	if (v->vm > 0)
		vkvm_close(v->vm);
	if (v->sys > 0)
		vkvm_close(v->sys);
	if (v->ram && v->ram != MAP_FAILED)
		munmap(v->ram, RAM_SIZE);
}

int fvside_run(struct fvside *v, const struct fpd_case *c, struct fpd_result *r)
{
	uint32_t *w = (uint32_t *)(v->ram + (FPD_ENTRY_VA - RAM_GPA));
	struct itimerval it = { .it_value = { .tv_sec = 5 } };
	uint64_t pstate;
	int ret;

	for (unsigned int i = 0; i < FPD_POOL_SIZE; i++)
		v->ram[i] = fpd_pool_byte(i);
	memcpy(w, c->words, 4 * c->nwords);
	w[c->nwords] = 0xf90003ff;			/* str xzr, [sp] */
	memcpy(v->ram + (FPD_BUF_VA - RAM_GPA), c->buf, FPD_BUF_SIZE);

	for (int i = 0; i < 31; i++)
		if (set_reg(v->vcpu, XREG(i), c->r.x[i]))
			return -errno;
	if (set_reg(v->vcpu, CORE(regs.pc), FPD_ENTRY_VA) ||
	    set_reg(v->vcpu, CORE(regs.pstate), PSTATE_EL1H | (c->r.nzcv & 0xf0000000u)) ||
	    set_reg(v->vcpu, CORE(sp_el1), END_IPA) || set_fp_state(v->vcpu, &c->r))
		return -errno;

	memset(r, 0, sizeof(*r));
	v->run->immediate_exit = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	ret = vkvm_ioctl(v->vcpu, KVM_RUN, 0);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	if (ret < 0) {
		r->fault = FPD_FAULT_RUN | (uint64_t)errno;
	} else if (v->run->exit_reason != KVM_EXIT_MMIO) {
		r->fault = FPD_FAULT_EXIT | v->run->exit_reason;
	} else if (v->run->mmio.phys_addr != END_IPA) {
		uint64_t esr = 0;

		get_reg(v->vcpu, ESR_EL1, &esr);
		r->fault = FPD_FAULT_ESR | esr;
	}
	if (ret >= 0 && v->run->exit_reason == KVM_EXIT_MMIO) {
		/*
		 * Complete the store now, as KVM does on the next KVM_RUN
		 * (immediate_exit returns before running): otherwise the
		 * completion would advance the next case's PC past its first
		 * instruction.
		 */
		v->run->immediate_exit = 1;
		vkvm_ioctl(v->vcpu, KVM_RUN, 0);
		v->run->immediate_exit = 0;
	}

	for (int i = 0; i < 31; i++)
		if (get_reg(v->vcpu, XREG(i), &r->r.x[i]))
			return -errno;
	if (get_reg(v->vcpu, CORE(regs.pstate), &pstate))
		return -errno;
	r->r.nzcv = pstate & 0xf0000000u;
	if (get_fp_state(v->vcpu, &r->r))
		return -errno;
	memcpy(r->buf, v->ram + (FPD_BUF_VA - RAM_GPA), FPD_BUF_SIZE);
	return 0;
}
