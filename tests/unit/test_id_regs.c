// SPDX-License-Identifier: GPL-2.0
/*
 * Writable ID registers (kernel/id_writable.c): KVM_CAP_ARM_SUPPORTED_REG_
 * MASK_RANGES, KVM_ARM_GET_REG_WRITABLE_MASKS as Linux 7.2 reports them,
 * writes within the masks and each field's safety rule accepted, the rest
 * EINVAL; the values VM-wide, kept across KVM_ARM_VCPU_INIT, what the
 * guest reads, fixed once the VM runs (EBUSY); KVM_CAP_ARM_WRITABLE_IMP_
 * ID_REGS for MIDR, REVIDR, AIDR.
 */
#include <sys/mman.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define MMIO_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

#define MIDR		ARM64_SYS_REG(3, 0, 0, 0, 0)
#define MPIDR		ARM64_SYS_REG(3, 0, 0, 0, 5)
#define PFR0		ARM64_SYS_REG(3, 0, 0, 4, 0)
#define PFR1		ARM64_SYS_REG(3, 0, 0, 4, 1)
#define DFR0		ARM64_SYS_REG(3, 0, 0, 5, 0)
#define DFR1		ARM64_SYS_REG(3, 0, 0, 5, 1)
#define ISAR0		ARM64_SYS_REG(3, 0, 0, 6, 0)
#define ISAR1		ARM64_SYS_REG(3, 0, 0, 6, 1)
#define MMFR0		ARM64_SYS_REG(3, 0, 0, 7, 0)
#define MMFR1		ARM64_SYS_REG(3, 0, 0, 7, 1)
#define MMFR4		ARM64_SYS_REG(3, 0, 0, 7, 4)
#define CLIDR		ARM64_SYS_REG(3, 1, 0, 0, 1)
#define CTR		ARM64_SYS_REG(3, 3, 0, 0, 1)

/* KVM_ARM_FEATURE_ID_RANGE_IDX of (3, op1, 0, crm, op2) */
static unsigned int idx(unsigned int op1, unsigned int crm, unsigned int op2)
{
	return KVM_ARM_FEATURE_ID_RANGE_IDX(3, op1, 0, crm, op2);
}

static uint64_t field(uint64_t v, unsigned int shift)
{
	return (v >> shift) & 0xf;
}

static uint64_t with_field(uint64_t v, unsigned int shift, uint64_t f)
{
	return (v & ~(0xfULL << shift)) | (f << shift);
}

START_TEST(writable_masks)
{
	uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	struct reg_mask_range range = { .addr = (uintptr_t)masks };
	struct tvm t;

	tvm_create_init(&t, 0);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION,
				 KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES),
			 1 << KVM_ARM_FEATURE_ID_RANGE);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_WRITABLE_IMP_ID_REGS), 1);
	range.reserved[12] = 1;
	ck_assert_int_eq(kio(t.vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range), -EINVAL);
	range.reserved[12] = 0;
	range.range = 1;
	ck_assert_int_eq(kio(t.vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range), -EINVAL);
	range.range = KVM_ARM_FEATURE_ID_RANGE;
	range.addr = 8;
	ck_assert_int_eq(kio(t.vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range), -EFAULT);
	range.addr = (uintptr_t)masks;
	memset(masks, 0xa5, sizeof(masks));
	ck_assert_int_eq(kio(t.vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range), 0);
	/* Linux 7.2's: everything but AMU, MPAM, SVE, AdvSIMD, FP */
	ck_assert_uint_eq(masks[idx(0, 4, 0)], 0xffff00f0ff00ffffULL);
	/* DoubleLock, WRPs, PMUVer, DebugVer; not BRPs, CTX_CMPs */
	ck_assert_uint_eq(masks[idx(0, 5, 0)], 0x000000f000f00f0fULL);
	/* not the pointer authentication fields */
	ck_assert_uint_eq(masks[idx(0, 6, 1)], 0xffffffff00fff00fULL);
	/* not ASIDBits */
	ck_assert_uint_eq(masks[idx(0, 7, 0)], 0xff00ffffffffff0fULL);
	/* CTR_EL0: DIC, IDC, DminLine, IminLine */
	ck_assert_uint_eq(masks[idx(3, 0, 1)], 0x300f000fULL);
	ck_assert_uint_eq(masks[idx(1, 0, 1)], 0x00007fffffffffffULL);	/* CLIDR */
	ck_assert_uint_eq(masks[idx(0, 0, 0)], 0xffffffffULL);		/* MIDR */
	/* fixed: MPIDR (no set_user in KVM), DFR1, the AArch32 ones, unallocated */
	ck_assert_uint_eq(masks[idx(0, 0, 5)], 0);
	ck_assert_uint_eq(masks[idx(0, 5, 1)], 0);
	ck_assert_uint_eq(masks[idx(0, 1, 0)], 0);
	ck_assert_uint_eq(masks[idx(0, 7, 7)], 0);
	tvm_destroy(&t);
}
END_TEST

/* Each field's rule against the reset value: accepted, or EINVAL and unchanged. */
START_TEST(writes_within_the_rules)
{
	uint64_t isar0, v, mmfr0, mmfr1, pfr0, dfr0, ctr, clidr;
	struct tvm t;

	tvm_create_init(&t, 0);
	isar0 = get_reg64(t.vcpu, ISAR0);
	ck_assert_uint_eq(field(isar0, 32), 1);			/* SHA3 */
	/* lower is safe: SHA3 hidden */
	v = with_field(isar0, 32, 0);
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ISAR0), v);
	/* back up to the reset value is safe too; past it is not */
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &isar0), 0);
	v = with_field(isar0, 32, 2);
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &v), -EINVAL);
	ck_assert_uint_eq(get_reg64(t.vcpu, ISAR0), isar0);
	/* RES0 bits (ISAR0[3:0]) stay 0 */
	v = isar0 | 1;
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &v), -EINVAL);

	/* a field outside the mask: PFR0.SVE, even lower; PFR0.FP signed */
	pfr0 = get_reg64(t.vcpu, PFR0);
	v = with_field(pfr0, 16, 0xf);
	ck_assert_int_eq(set_reg(t.vcpu, PFR0, &v), -EINVAL);
	/* EL0 and EL1 cannot go */
	v = with_field(pfr0, 0, 0);
	ck_assert_int_eq(set_reg(t.vcpu, PFR0, &v), -EINVAL);
	v = with_field(pfr0, 4, 0);
	ck_assert_int_eq(set_reg(t.vcpu, PFR0, &v), -EINVAL);
	v = with_field(pfr0, 48, 0);				/* DIT hidden */
	ck_assert_int_eq(set_reg(t.vcpu, PFR0, &v), 0);

	/* signed: TGran4 0 (supported) to 0xf (-1, not supported) is lower */
	mmfr0 = get_reg64(t.vcpu, MMFR0);
	v = with_field(mmfr0, 28, 0xf);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &v), 0);
	v = with_field(mmfr0, 28, 1);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &v), -EINVAL);
	/* FTR_EXACT: TGran4_2 0 to its safe value 1 only */
	v = with_field(mmfr0, 40, 1);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &v), 0);
	v = with_field(mmfr0, 40, 2);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &v), -EINVAL);
	/* ASIDBits is not writable */
	v = with_field(mmfr0, 4, 0);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &v), -EINVAL);
	/* higher is safe: SpecSEI 0 to 1, never back below the reset value */
	mmfr1 = get_reg64(t.vcpu, MMFR1);
	v = with_field(mmfr1, 24, 1);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR1, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, MMFR1), v);

	/* DebugVer below Armv8.0 is EINVAL; WRPs lower; BRPs fixed */
	dfr0 = get_reg64(t.vcpu, DFR0);
	ck_assert_uint_eq(field(dfr0, 0), 6);
	v = with_field(dfr0, 0, 5);
	ck_assert_int_eq(set_reg(t.vcpu, DFR0, &v), -EINVAL);
	v = with_field(dfr0, 20, field(dfr0, 20) - 1);
	ck_assert_int_eq(set_reg(t.vcpu, DFR0, &v), 0);
	v = with_field(dfr0, 12, field(dfr0, 12) - 1);
	ck_assert_int_eq(set_reg(t.vcpu, DFR0, &v), -EINVAL);
	/* PMUVer IMP_DEF reads as none */
	v = with_field(dfr0, 8, 0xf);
	ck_assert_int_eq(set_reg(t.vcpu, DFR0, &v), 0);
	ck_assert_uint_eq(field(get_reg64(t.vcpu, DFR0), 8), 0);

	/* CTR_EL0: IminLine lower, DIC off; L1Ip VPIPT reserved; CWG fixed */
	ctr = get_reg64(t.vcpu, CTR);
	v = (ctr & ~(1ULL << 29)) - 1;
	ck_assert_int_eq(set_reg(t.vcpu, CTR, &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, CTR), v);
	v = ctr & ~(3ULL << 14);
	ck_assert_int_eq(set_reg(t.vcpu, CTR, &v), -EINVAL);
	v = with_field(ctr, 24, 2);
	ck_assert_int_eq(set_reg(t.vcpu, CTR, &v), -EINVAL);

	/* CLIDR_EL1: another hierarchy, its RES0 bits not */
	clidr = get_reg64(t.vcpu, CLIDR) | (4ULL << 6);	/* a unified L3 */
	ck_assert_int_eq(set_reg(t.vcpu, CLIDR, &clidr), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, CLIDR), clidr);
	v = clidr | (1ULL << 63);
	ck_assert_int_eq(set_reg(t.vcpu, CLIDR, &v), -EINVAL);

	/* a register of zeroes: NV_frac writable, but nothing is below 0 */
	v = 1ULL << 20;
	ck_assert_int_eq(set_reg(t.vcpu, MMFR4, &v), -EINVAL);
	v = 0;
	ck_assert_int_eq(set_reg(t.vcpu, MMFR4, &v), 0);
	/* not writable at all: DFR1 */
	v = 1;
	ck_assert_int_eq(set_reg(t.vcpu, DFR1, &v), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

/*
 * The VM's registers are the VM's (every vCPU, later ones too) and survive
 * KVM_ARM_VCPU_INIT; MPIDR and CLIDR are the vCPU's and survive it too.
 */
START_TEST(values_are_the_vms_and_survive_init)
{
	uint64_t isar0, v, mpidr, clidr;
	int vcpu1, vcpu2;
	struct tvm t;

	tvm_create(&t);
	vcpu1 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 1);
	ck_assert_int_ge(vcpu1, 0);
	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	ck_assert_int_eq(tvm_init(vcpu1, 0), 0);
	isar0 = with_field(get_reg64(t.vcpu, ISAR0), 4, 0);	/* no AES */
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &isar0), 0);
	ck_assert_uint_eq(get_reg64(vcpu1, ISAR0), isar0);
	mpidr = get_reg64(t.vcpu, MPIDR) + 0x100;
	ck_assert_int_eq(set_reg(t.vcpu, MPIDR, &mpidr), 0);
	clidr = get_reg64(t.vcpu, CLIDR) | (4ULL << 6);
	ck_assert_int_eq(set_reg(t.vcpu, CLIDR, &clidr), 0);
	ck_assert_uint_ne(get_reg64(vcpu1, CLIDR), clidr);

	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ISAR0), isar0);
	ck_assert_uint_eq(get_reg64(t.vcpu, MPIDR), mpidr);
	ck_assert_uint_eq(get_reg64(t.vcpu, CLIDR), clidr);
	vcpu2 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 2);
	ck_assert_int_ge(vcpu2, 0);
	ck_assert_int_eq(tvm_init(vcpu2, 0), 0);
	ck_assert_uint_eq(get_reg64(vcpu2, ISAR0), isar0);
	v = get_reg64(vcpu2, MPIDR);
	ck_assert_uint_eq(v & 0xff, 2);
	vkvm_close(vcpu2);
	vkvm_close(vcpu1);
	tvm_destroy(&t);
}
END_TEST

/*
 * The guest reads what userspace wrote (the engine's feature checks read
 * the same registers: PFR1.BT, MMFR2.AT); after the first KVM_RUN a change
 * is EBUSY, the same value 0.
 */
START_TEST(the_guest_reads_the_written_values)
{
	static const uint32_t code[] = {
		0xd5380600,	/* mrs x0, id_aa64isar0_el1 */
		0xf9000020,	/* str x0, [x1]: MMIO exit */
		0xd53b0020,	/* mrs x0, ctr_el0 */
		0xf9000020,	/* str x0, [x1] */
		0xd5380420,	/* mrs x0, id_aa64pfr1_el1 */
		0xf9000020,	/* str x0, [x1] */
		0xd5380720,	/* mrs x0, id_aa64mmfr1_el1 */
		0xf9000020,	/* str x0, [x1] */
		0x14000000,	/* b . */
	};
	uint64_t isar0, ctr, pfr1, mmfr1, v;
	struct tvm t;
	void *ram;

	tvm_create(&t);
	ram = tvm_add_ram(&t, RAM_GPA, 0x10000, code, sizeof(code));
	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	v = RAM_GPA;
	ck_assert_int_eq(set_reg(t.vcpu, PC_ID, &v), 0);
	v = MMIO_GPA;
	ck_assert_int_eq(set_reg(t.vcpu, X(1), &v), 0);
	isar0 = with_field(get_reg64(t.vcpu, ISAR0), 60, 0);	/* no RNDR */
	ctr = get_reg64(t.vcpu, CTR) - 1;			/* IminLine */
	pfr1 = with_field(get_reg64(t.vcpu, PFR1), 0, 0);	/* no BTI */
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &isar0), 0);
	ck_assert_int_eq(set_reg(t.vcpu, CTR, &ctr), 0);
	ck_assert_int_eq(set_reg(t.vcpu, PFR1, &pfr1), 0);
	mmfr1 = with_field(get_reg64(t.vcpu, MMFR1), 24, 1);	/* SpecSEI */
	ck_assert_int_eq(set_reg(t.vcpu, MMFR1, &mmfr1), 0);

	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(t.run->exit_reason, KVM_EXIT_MMIO);
	memcpy(&v, t.run->mmio.data, sizeof(v));
	ck_assert_uint_eq(v, isar0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	memcpy(&v, t.run->mmio.data, sizeof(v));
	ck_assert_uint_eq(v, ctr);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	memcpy(&v, t.run->mmio.data, sizeof(v));
	ck_assert_uint_eq(v, pfr1);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	memcpy(&v, t.run->mmio.data, sizeof(v));
	ck_assert_uint_eq(v, mmfr1);

	/* fixed now */
	v = isar0;
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &v), 0);
	v = with_field(isar0, 4, 0);
	ck_assert_int_eq(set_reg(t.vcpu, ISAR0, &v), -EBUSY);
	ck_assert_uint_eq(get_reg64(t.vcpu, ISAR0), isar0);
	tvm_destroy(&t);
	munmap(ram, 0x10000);
}
END_TEST

/* MIDR, REVIDR, AIDR: any value in the mask, only with the capability. */
START_TEST(implementation_id_regs)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_WRITABLE_IMP_ID_REGS };
	uint64_t v;
	int sys, vm, vcpu;
	struct tvm t;

	/* after a vCPU exists: EINVAL, and MIDR stays the CPU's */
	tvm_create_init(&t, 0);
	ck_assert_int_eq(kio(t.vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	v = get_reg64(t.vcpu, MIDR) ^ 1;
	ck_assert_int_eq(set_reg(t.vcpu, MIDR, &v), -EINVAL);
	tvm_destroy(&t);

	sys = vkvm_open(O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(sys, 0);
	vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(vm, 0);
	ck_assert_int_eq(kio(vm, KVM_ENABLE_CAP, &cap), 0);
	vcpu = (int)kio_val(vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(vcpu, 0);
	ck_assert_int_eq(tvm_init(vcpu, 0), 0);
	v = 0x410fd0c0;
	ck_assert_int_eq(set_reg(vcpu, MIDR, &v), 0);
	ck_assert_uint_eq(get_reg64(vcpu, MIDR), 0x410fd0c0);
	v = 1ULL << 32;				/* MIDR_EL1[63:32] RES0 */
	ck_assert_int_eq(set_reg(vcpu, MIDR, &v), -EINVAL);
	v = ~0ULL;
	ck_assert_int_eq(set_reg(vcpu, ARM64_SYS_REG(3, 0, 0, 0, 6), &v), 0);	/* REVIDR */
	ck_assert_uint_eq(get_reg64(vcpu, ARM64_SYS_REG(3, 0, 0, 0, 6)), ~0ULL);
	ck_assert_int_eq(tvm_init(vcpu, 0), 0);
	ck_assert_uint_eq(get_reg64(vcpu, MIDR), 0x410fd0c0);
	vkvm_close(vcpu);
	vkvm_close(vm);
	vkvm_close(sys);
}
END_TEST

/* ESR_EL1 of a trapped MRS (EC 0x18, IL): op0 3, its op1/CRn/CRm/op2 and Rt */
static uint64_t mrs_esr(unsigned int op1, unsigned int crm, unsigned int op2, unsigned int rt)
{
	return (0x18ULL << 26) | 1ULL << 25 | 3u << 20 | op2 << 17 | op1 << 14 | rt << 5 |
	       crm << 1 | 1;
}

/*
 * FEAT_IDST (ID_AA64MMFR2_EL1.IDS 1, as QEMU's max CPU and so KVM on it;
 * Linux 7.2's idreg-idst): a read of the feature ID space that would be
 * UNDEFINED -- GMID_EL1 without MTE, SMIDR_EL1 without SME, CCSIDR2_EL1
 * without FEAT_CCIDX, an ID register at EL0 -- traps with EC 0x18 and the
 * MRS's ISS; outside that space an unknown register stays UNDEFINED.
 */
START_TEST(feat_idst)
{
	static const uint32_t code[] = {
		0xd5390082,	/* 0x00 mrs x2, gmid_el1 */
		0xaa0803ec,	/* 0x04 mov x12, x8 */
		0xd53900c3,	/* 0x08 mrs x3, smidr_el1 */
		0xaa0803ed,	/* 0x0c mov x13, x8 */
		0xd5390044,	/* 0x10 mrs x4, ccsidr2_el1 */
		0xaa0803ee,	/* 0x14 mov x14, x8 */
		0xd538f005,	/* 0x18 mrs x5, s3_0_c15_c0_0 */
		0xaa0803ef,	/* 0x1c mov x15, x8 */
		0x10000081,	/* 0x20 adr x1, 0x30 */
		0xd5184021,	/* 0x24 msr elr_el1, x1 */
		0xd518401f,	/* 0x28 msr spsr_el1, xzr: EL0t */
		0xd69f03e0,	/* 0x2c eret */
		0xd5380406,	/* 0x30 mrs x6, id_aa64pfr0_el1 (EL0) */
		0x14000000,	/* 0x34 b . */
	};
	/* VBAR_EL1 + 0x200: count, ESR to x8, skip; + 0x400 (from EL0): ESR to x10, off */
	static const uint32_t el1_sync[] = {
		0x910004e7, 0xd5385208, 0xd5384029, 0x91001129, 0xd5184029, 0xd69f03e0,
	};
	static const uint32_t el0_sync[] = {
		0xd538520a, 0xd2800100, 0xf2b08000, 0xd4000002,
	};
	uint64_t v, vbar = RAM_GPA + 0x800;
	struct tvm t;
	char *ram;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_uint_eq((get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 7, 2)) >> 36) & 0xf, 1);
	ram = tvm_add_ram(&t, RAM_GPA, 0x10000, code, sizeof(code));
	memcpy(ram + 0xa00, el1_sync, sizeof(el1_sync));
	memcpy(ram + 0xc00, el0_sync, sizeof(el0_sync));
	v = RAM_GPA;
	ck_assert_int_eq(set_reg(t.vcpu, PC_ID, &v), 0);
	ck_assert_int_eq(set_reg(t.vcpu, ARM64_SYS_REG(3, 0, 12, 0, 0), &vbar), 0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(t.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(get_reg64(t.vcpu, X(7)), 4);
	ck_assert_uint_eq(get_reg64(t.vcpu, X(12)), mrs_esr(1, 0, 4, 2));
	ck_assert_uint_eq(get_reg64(t.vcpu, X(13)), mrs_esr(1, 0, 6, 3));
	ck_assert_uint_eq(get_reg64(t.vcpu, X(14)), mrs_esr(1, 0, 2, 4));
	ck_assert_uint_eq(get_reg64(t.vcpu, X(15)), 1ULL << 25);	/* EC 0: UNDEFINED */
	ck_assert_uint_eq(get_reg64(t.vcpu, X(10)), mrs_esr(0, 4, 0, 6));
	munmap(ram, 0x10000);
	tvm_destroy(&t);
}
END_TEST

Suite *id_regs_suite(void)
{
	return CHECK_SUITE("id_regs", 0, writable_masks, writes_within_the_rules,
			   values_are_the_vms_and_survive_init,
			   the_guest_reads_the_written_values, implementation_id_regs,
			   feat_idst);
}
