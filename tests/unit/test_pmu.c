// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 through the KVM ABI (kernel/pmu-emul.c, the PMU rows of
 * kernel/sys_regs.c): the vCPU feature, KVM_CAP_ARM_PMU_V3, the
 * KVM_ARM_VCPU_PMU_V3_CTRL attributes with KVM's error codes and ordering
 * rules, ID_AA64DFR0_EL1.PMUVer, the registers REG_LIST shows, and
 * PMCR_EL0.N chosen by userspace.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "el2_vm.h"

static long pmu_attr(int vcpu, unsigned long ioctl, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr,
		.addr = (uint64_t)(uintptr_t)addr,
	};

	return kio(vcpu, ioctl, &a);
}

/* How many of the vCPU's REG_LIST registers are PMU registers (CRn 9 or 14, op1 3 or 0)? */
static unsigned int listed_pmu_regs(int vcpu)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	unsigned int n = 0;
	uint64_t i;

	ck_assert_int_eq(kio(vcpu, KVM_GET_REG_LIST, &probe), -E2BIG);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	list->n = probe.n;
	ck_assert_int_eq(kio(vcpu, KVM_GET_REG_LIST, list), 0);
	for (i = 0; i < list->n; i++) {
		uint64_t id = list->reg[i], enc = id & 0xffff;

		if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SYSREG)
			continue;
		if (SYS_REG_OP0(enc) == 3 &&
		    ((SYS_REG_CRN(enc) == 9 && SYS_REG_CRM(enc) >= 12) ||
		     (SYS_REG_OP1(enc) == 3 && SYS_REG_CRN(enc) == 14 && SYS_REG_CRM(enc) >= 8)))
			n++;
	}
	free(list);
	return n;
}

static unsigned int pmuver(int vcpu)
{
	return (get_reg64(vcpu, ONE_REG_SYS(SYS_ID_AA64DFR0_EL1)) >> 8) & 0xf;
}

START_TEST(without_pmu)
{
	struct tvm t;
	int irq = 23;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, NULL),
			 -ENXIO);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq),
			 -ENODEV);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL),
			 -ENODEV);
	ck_assert_uint_eq(pmuver(t.vcpu), 0);
	ck_assert_uint_eq(listed_pmu_regs(t.vcpu), 0);
	ck_assert_int_eq(get_reg(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0), &irq), -ENOENT);
	tvm_destroy(&t);
}
END_TEST

START_TEST(with_pmu)
{
	struct kvm_pmu_event_filter f = { .base_event = 0, .nevents = 0x20,
					  .action = KVM_PMU_EVENT_ALLOW };
	uint64_t pmcr;
	struct tvm t;
	int irq = 23;

	ck_assert_int_eq(kio_val(t.sys = vkvm_open(O_RDWR), KVM_CHECK_EXTENSION,
				 KVM_CAP_ARM_PMU_V3), 1);
	vkvm_close(t.sys);
	tvm_create_init(&t, F(PSCI_0_2) | F(PMU_V3));
	ck_assert_uint_eq(pmuver(t.vcpu), 6);		/* PMUv3p5 */
	/* KVM's list: PMINTEN{SET,CLR}, 9 of CRn 9, 31 + 31 PMEV*, PMCCFILTR */
	ck_assert_uint_eq(listed_pmu_regs(t.vcpu), 11 + 62 + 1);
	pmcr = get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0));
	ck_assert_uint_eq((pmcr >> PMCR_N_SHIFT) & 0x1f, 6);
	ck_assert(pmcr & PMCR_LC);
	ck_assert(!(pmcr & PMCR_E));
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, NULL), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, NULL), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR, 99, NULL), -ENXIO);
	/* no in-kernel GIC: no interrupt to set or get */
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq),
			 -EINVAL);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq),
			 -EINVAL);
	/* the filter: a range past 0xffff or an unknown action */
	f.base_event = 0xfff0;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f),
			 -EINVAL);
	f.base_event = 0;
	f.action = 2;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f),
			 -EINVAL);
	f.action = KVM_PMU_EVENT_ALLOW;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, NULL),
			 -EFAULT);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, 99, NULL), -ENXIO);
	/* INIT, then everything is fixed */
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f),
			 -EBUSY);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL),
			 -EBUSY);
	/* ONE_REG: the SET/CLR pairs store the value, masked to the counters */
	pmcr = ~0ULL;
	ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(SYS_PMCNTENCLR_EL0), &pmcr), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCNTENSET_EL0)), 0x8000003fULL);
	tvm_destroy(&t);
}
END_TEST

/* kvm_arm_pmu_v3_enable(): a vCPU with a PMU runs only after INIT */
START_TEST(run_needs_init)
{
	static const uint32_t wfi[] = { 0xd503207f };
	struct tvm t;

	tvm_create_init(&t, F(PSCI_0_2) | F(PMU_V3));
	tvm_add_ram(&t, 0x80000000, 0x10000, wfi, sizeof(wfi));
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EINVAL);
	tvm_destroy(&t);
}
END_TEST

#define PMCR_N(v)	(((v) >> PMCR_N_SHIFT) & 0x1f)

/* The guest's view of its counters; an UNDEFINED access counts in x7, ESR in x8. */
static const uint32_t pmcr_n_guest[] = {
	0xd53b9c02,	/* 0x00 mrs  x2, pmcr_el0 */
	0x92800003,	/* 0x04 mov  x3, #-1 */
	0xd51b9c23,	/* 0x08 msr  pmcntenset_el0, x3 */
	0xd5189e23,	/* 0x0c msr  pmintenset_el1, x3 */
	0xd53b9c24,	/* 0x10 mrs  x4, pmcntenset_el0 */
	0xd5389e25,	/* 0x14 mrs  x5, pmintenset_el1 */
	0xd2800041,	/* 0x18 mov  x1, #2 */
	0xd51b9ca1,	/* 0x1c msr  pmselr_el0, x1 */
	0xd5033fdf,	/* 0x20 isb */
	0xd53b9d46,	/* 0x24 mrs  x6, pmxevcntr_el0: counter 2 */
	0xd53be846,	/* 0x28 mrs  x6, pmevcntr2_el0 */
	0xd53be826,	/* 0x2c mrs  x6, pmevcntr1_el0 */
	0xd51bec5f,	/* 0x30 msr  pmevtyper2_el0, xzr */
	0xd53b9cca,	/* 0x34 mrs  x10, pmceid0_el0 */
	0xd2800100,	/* 0x38 mov  x0, #8 */
	0xf2b08000,	/* 0x3c movk x0, #0x8400, lsl #16: PSCI SYSTEM_OFF */
	0xd4000002,	/* 0x40 hvc  #0 */
	0x14000000,	/* 0x44 b    . */
};

/* at VBAR_EL1 + 0x200, synchronous from the current EL: count, skip */
static const uint32_t pmcr_n_vector[] = {
	0x910004e7,	/* add  x7, x7, #1 */
	0xd5385208,	/* mrs  x8, esr_el1 */
	0xd5384029,	/* mrs  x9, elr_el1 */
	0x91001129,	/* add  x9, x9, #4 */
	0xd5184029,	/* msr  elr_el1, x9 */
	0xd69f03e0,	/* eret */
};

/*
 * PMCR_EL0.N written by userspace before the first run (Linux 6.7,
 * vpmu_counter_access): the guest then has exactly n event counters.
 */
static void run_with_pmcr_n(unsigned int n)
{
	uint64_t v, pmcr, mask = (1ULL << 31) | ((1ULL << n) - 1);
	uint64_t vbar = RAM_GPA + 0x800;
	struct tvm t;
	char *ram;

	tvm_create_init(&t, F(PSCI_0_2) | F(PMU_V3));
	ram = tvm_add_ram(&t, RAM_GPA, 0x10000, pmcr_n_guest, sizeof(pmcr_n_guest));
	memcpy(ram + 0xa00, pmcr_n_vector, sizeof(pmcr_n_vector));
	v = RAM_GPA;
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(regs.pc, KVM_REG_SIZE_U64), &v), 0);
	ck_assert_int_eq(set_reg(t.vcpu, ARM64_SYS_REG(3, 0, 12, 0, 0), &vbar), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);

	pmcr = get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0));
	ck_assert_uint_eq(PMCR_N(pmcr), 6);
	/* more counters than implemented: ignored, and the write succeeds */
	v = (pmcr & ~(0x1fULL << PMCR_N_SHIFT)) | (7ULL << PMCR_N_SHIFT);
	ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0), &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0)), pmcr);
	v = (pmcr & ~(0x1fULL << PMCR_N_SHIFT)) | ((uint64_t)n << PMCR_N_SHIFT);
	ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0), &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0)), v);
	/* userspace's SET/CLR pairs follow N */
	v = ~0ULL;
	ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(SYS_PMOVSSET_EL0), &v), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMOVSCLR_EL0)), mask);

	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(t.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(PMCR_N(get_reg64(t.vcpu, X(2))), n);
	ck_assert_uint_eq(get_reg64(t.vcpu, X(4)), mask);
	ck_assert_uint_eq(get_reg64(t.vcpu, X(5)), mask);
	/* counter 2 through PMSELR, PMEVCNTR2, PMEVTYPER2; counter 1 */
	ck_assert_uint_eq(get_reg64(t.vcpu, X(7)), (n <= 2 ? 3 : 0) + (n <= 1 ? 1 : 0));
	if (n <= 2)
		ck_assert_uint_eq(get_reg64(t.vcpu, X(8)), 1ULL << 25);	/* EC 0, IL */
	/* PMCEID0_EL0 does not depend on N: SW_INCR, INST_RETIRED, EXC_RETURN... */
	ck_assert_uint_eq(get_reg64(t.vcpu, X(10)), 0x400a0501ULL);

	/* fixed once the VM has run */
	v = (pmcr & ~(0x1fULL << PMCR_N_SHIFT)) | (1ULL << PMCR_N_SHIFT);
	ck_assert_int_eq(set_reg(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0), &v), 0);
	ck_assert_uint_eq(PMCR_N(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0))), n);
	munmap(ram, 0x10000);
	tvm_destroy(&t);
}

START_TEST(pmcr_n_set_by_user)
{
	static const unsigned int ns[] = { 0, 1, 2, 3, 6 };
	unsigned int i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		run_with_pmcr_n(ns[i]);
}
END_TEST

/*
 * KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS (Linux 6.16; 7.2's vpmu_counter_access
 * sets N this way): at most the 6 counters implemented (EINVAL), PMCR_EL0.N
 * follows, refused once the PMU is initialized (EBUSY), and the guest then
 * has exactly that many counters.
 */
START_TEST(nr_counters_attr)
{
	uint64_t v, vbar = RAM_GPA + 0x800;
	unsigned int n;
	struct tvm t;
	char *ram;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR,
				  KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, NULL), -ENXIO);
	tvm_destroy(&t);

	tvm_create_init(&t, F(PSCI_0_2) | F(PMU_V3));
	ram = tvm_add_ram(&t, RAM_GPA, 0x10000, pmcr_n_guest, sizeof(pmcr_n_guest));
	memcpy(ram + 0xa00, pmcr_n_vector, sizeof(pmcr_n_vector));
	v = RAM_GPA;
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(regs.pc, KVM_REG_SIZE_U64), &v), 0);
	ck_assert_int_eq(set_reg(t.vcpu, ARM64_SYS_REG(3, 0, 12, 0, 0), &vbar), 0);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_HAS_DEVICE_ATTR,
				  KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, NULL), 0);
	n = 7;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR,
				  KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, &n), -EINVAL);
	ck_assert_uint_eq(PMCR_N(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0))), 6);
	n = 3;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR,
				  KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, &n), 0);
	ck_assert_uint_eq(PMCR_N(get_reg64(t.vcpu, ONE_REG_SYS(SYS_PMCR_EL0))), 3);
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	n = 2;
	ck_assert_int_eq(pmu_attr(t.vcpu, KVM_SET_DEVICE_ATTR,
				  KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, &n), -EBUSY);

	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	ck_assert_int_eq(t.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(PMCR_N(get_reg64(t.vcpu, X(2))), 3);
	ck_assert_uint_eq(get_reg64(t.vcpu, X(4)), (1ULL << 31) | 7);
	munmap(ram, 0x10000);
	tvm_destroy(&t);
}
END_TEST

/* ---- a guest hypervisor's PMU (a vCPU with EL2, el2_vm.h) ------------------------ */

#define GICD_GPA	0x08000000ULL
#define GICR_GPA	0x080a0000ULL
#define PMU_PPI		23
#define EV_INST		0x08
#define NSH		PMEVTYPER_NSH
#define SYS_PMEVCNTR(n)	ONE_REG_SYS(SYS_PMEVCNTRn_EL0(n))
#define SYS_PMEVTYPER(n) ONE_REG_SYS(SYS_PMEVTYPERn_EL0(n))
#define EL0T		0x3c0ULL	/* EL0t, DAIF masked */
/* a userspace write of PMCR_EL0 sets N before the first run (set_pmcr): keep 6 */
#define PMCR_N6		(6ULL << PMCR_N_SHIFT)

static long gic_attr(int gic, unsigned long req, uint32_t group, uint64_t a, void *val)
{
	struct kvm_device_attr at = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)val };

	return kio(gic, req, &at);
}

/* el2_vm.h's vCPU with a PMU (PPI 23 on a GICv3 with gic), initialized, HCR_EL2.RW */
static void pmu_el2vm(struct el2vm *v, bool gic)
{
	int irq = PMU_PPI;

	el2vm_create_f(v, F(PMU_V3));
	if (gic) {
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
		uint64_t addr;

		ck_assert_int_eq(kio(v->t.vm, KVM_CREATE_DEVICE, &cd), 0);
		v->gic = (int)cd.fd;
		addr = GICD_GPA;
		ck_assert_int_eq(gic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
					  KVM_VGIC_V3_ADDR_TYPE_DIST, &addr), 0);
		addr = GICR_GPA;
		ck_assert_int_eq(gic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
					  KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr), 0);
		ck_assert_int_eq(gic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
					  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
		ck_assert_int_eq(pmu_attr(v->t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ,
					  &irq), 0);
	}
	ck_assert_int_eq(pmu_attr(v->t.vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT,
				  NULL), 0);
	el2vm_put(v, SYSREG(HCR_EL2), HCR_RW);
}

/* Counters 0-5 and PMCCNTR_EL0 zeroed, no overflow */
static void pmu_zero(struct el2vm *v)
{
	unsigned int i;

	for (i = 0; i < 6; i++)
		el2vm_put(v, SYS_PMEVCNTR(i), 0);
	el2vm_put(v, SYSREG(PMCCNTR_EL0), 0);
	el2vm_put(v, SYSREG(PMOVSSET_EL0), 0);	/* userspace writes the state (set_pmbits) */
}

/* four NOPs, then HVC #3 (not counted as INST_RETIRED), then the vector's STR */
static const uint32_t four_nops[] = { NOP, NOP, NOP, NOP, HVC(3) };

/*
 * PMEVTYPER<n>_EL0.NSH filters counting at EL2 (CountingProhibited() and
 * the filters of the Arm ARM's PMU chapter, as QEMU's
 * pmu_counter_enabled()): without NSH a counter does not count at EL2,
 * whatever P; with it, it does, whatever P and U.  At EL1, P and U alone.
 */
START_TEST(el2_pmu_nsh)
{
	struct el2vm v;

	pmu_el2vm(&v, false);
	el2vm_put(&v, SYS_PMEVTYPER(0), EV_INST);
	el2vm_put(&v, SYS_PMEVTYPER(1), EV_INST | NSH);
	el2vm_put(&v, SYS_PMEVTYPER(2), EV_INST | NSH | PMEVTYPER_P | PMEVTYPER_U);
	el2vm_put(&v, SYSREG(PMCCFILTR_EL0), NSH);
	el2vm_put(&v, SYSREG(PMCNTENSET_EL0), 0x80000007);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVTYPER(1)), EV_INST | NSH);

	/* at EL2: the four NOPs and the vector's STR retire; HVC is a cycle */
	pmu_zero(&v);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, four_nops, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(0)), 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(2)), 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMCCNTR_EL0)), 6);

	/* at EL1 the NOPs (P, U); the vector's STR at EL2 (NSH) */
	pmu_zero(&v);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, four_nops, 5), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(0)), 4);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(2)), 1);
	el2vm_destroy(&v);
}
END_TEST

/*
 * MDCR_EL2 at EL2: HPMD prohibits counting there by the counters below
 * HPMN, and by PMCCNTR_EL0 only with PMCR_EL0.DP; HCCD (PMUv3p5) stops
 * PMCCNTR_EL0 there.  The counters from HPMN up are EL2's: HPMD spares
 * them, MDCR_EL2.HPME enables them instead of PMCR_EL0.E, and HLP
 * instead of PMCR_EL0.LP makes them overflow at 64 bits.
 */
START_TEST(el2_pmu_mdcr)
{
	struct el2vm v;

	pmu_el2vm(&v, false);
	el2vm_put(&v, SYS_PMEVTYPER(1), EV_INST | NSH);
	el2vm_put(&v, SYS_PMEVTYPER(3), EV_INST | NSH);
	el2vm_put(&v, SYSREG(PMCCFILTR_EL0), NSH);
	el2vm_put(&v, SYSREG(PMCNTENSET_EL0), 0x8000000a);

	/* HPMD: counter 1 stops at EL2, PMCCNTR_EL0 only with DP */
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_HPMD);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(3)), 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMCCNTR_EL0)), 6);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC | PMCR_DP);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMCCNTR_EL0)), 0);
	/* at EL1 HPMD does nothing */
	el2vm_run(&v, EL1H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMCCNTR_EL0)), 5);

	/* HCCD: PMCCNTR_EL0 stops at EL2, counter 1 counts */
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_HCCD);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMCCNTR_EL0)), 0);

	/* HPMN 2: counter 3 is EL2's, under HPME (not PMCR_EL0.E), spared by HPMD */
	el2vm_put(&v, SYSREG(MDCR_EL2), 2 | MDCR_EL2_HPME | MDCR_EL2_HPMD);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_LC);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(3)), 5);
	el2vm_put(&v, SYSREG(MDCR_EL2), 2);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(1)), 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(3)), 0);

	/* HLP, not PMCR_EL0.LP, for counter 3: from 0xfffffffe past 32 bits */
	el2vm_put(&v, SYSREG(MDCR_EL2), 2 | MDCR_EL2_HPME);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC | PMCR_LP);
	pmu_zero(&v);
	el2vm_put(&v, SYS_PMEVCNTR(3), 0xfffffffeULL);
	el2vm_put(&v, SYS_PMEVCNTR(1), 0xfffffffeULL);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(3)), 0x100000003ULL);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMOVSSET_EL0)), 1ULL << 3);
	el2vm_put(&v, SYSREG(MDCR_EL2), 2 | MDCR_EL2_HPME | MDCR_EL2_HLP);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	pmu_zero(&v);
	el2vm_put(&v, SYS_PMEVCNTR(3), 0xfffffffeULL);
	el2vm_put(&v, SYS_PMEVCNTR(1), 0xfffffffeULL);
	el2vm_run(&v, EL2H, four_nops, 5);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(3)), 0x100000003ULL);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(PMOVSSET_EL0)), 1ULL << 1);
	el2vm_destroy(&v);
}
END_TEST

/* PPI 23's input level at the GIC (KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO) */
static bool pmu_irq_level(struct el2vm *v)
{
	uint32_t val = 0;

	ck_assert_int_eq(gic_attr(v->gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				  0, &val), 0);
	return (val >> PMU_PPI) & 1;
}

/*
 * The overflow interrupt request (AArch64.CheckForPMUOverflow): for a
 * counter from MDCR_EL2.HPMN up, MDCR_EL2.HPME gates it instead of
 * PMCR_EL0.E; MDCR_EL2 written at EL2 updates it.
 */
START_TEST(el2_pmu_irq)
{
	static const uint32_t mdcr_x1[] = { 0xd51c1121 /* msr mdcr_el2, x1 */, HVC(3) };
	struct el2vm v;

	pmu_el2vm(&v, true);
	el2vm_put(&v, SYSREG(PMINTENSET_EL1), 1ULL << 3);
	el2vm_put(&v, SYSREG(PMOVSSET_EL0), 1ULL << 3);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_LC);
	el2vm_put(&v, X(1), 2 | MDCR_EL2_HPME);
	el2vm_run(&v, EL2H, mdcr_x1, 2);
	ck_assert(pmu_irq_level(&v));
	el2vm_put(&v, X(1), 2);
	el2vm_run(&v, EL2H, mdcr_x1, 2);
	ck_assert(!pmu_irq_level(&v));
	/* PMCR_EL0.E does not raise it for counter 3 */
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	el2vm_run(&v, EL2H, mdcr_x1, 2);
	ck_assert(!pmu_irq_level(&v));
	/* but does for counter 1, below HPMN */
	el2vm_put(&v, SYSREG(PMINTENSET_EL1), 1ULL << 1);
	el2vm_put(&v, SYSREG(PMOVSSET_EL0), 1ULL << 1);
	el2vm_run(&v, EL2H, mdcr_x1, 2);
	ck_assert(pmu_irq_level(&v));
	el2vm_destroy(&v);
}
END_TEST

/*
 * At the EL0 of the EL2&0 host (HCR_EL2.E2H and TGE), the PMU registers
 * trap to EL2: under PMUSERENR_EL0 (EC 0x18, routed by TGE), and under
 * MDCR_EL2.TPM and TPMCR even where PMUSERENR_EL0.EN allows the access,
 * as QEMU 11 (access_tpm(), pmreg_access(): arm_mdcr_el2_eff() at EL0
 * whatever TGE).
 */
START_TEST(el2_pmu_host_el0)
{
	static const uint32_t pmccntr[] = { 0xd53b9d01 /* mrs x1, pmccntr_el0 */, HVC(3) };
	static const uint32_t pmcr[] = { 0xd53b9c01 /* mrs x1, pmcr_el0 */, HVC(3) };
	struct el2vm v;

	pmu_el2vm(&v, false);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW | HCR_E2H | HCR_TGE);
	el2vm_put(&v, SYSREG(PMUSERENR_EL0), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL0T, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6230e43b);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_put(&v, SYSREG(PMUSERENR_EL0), PMUSERENR_EN);
	/* SVC-less EL0: HVC is UNDEFINED there (EC 0), after the read */
	ck_assert_uint_eq(el2vm_run(&v, EL0T, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TPM);
	ck_assert_uint_eq(el2vm_run(&v, EL0T, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6230e43b);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_put(&v, SYSREG(MDCR_EL2), 6 | MDCR_EL2_TPMCR);
	ck_assert_uint_eq(el2vm_run(&v, EL0T, pmccntr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE + 4);
	ck_assert_uint_eq(el2vm_run(&v, EL0T, pmcr, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x6230e439);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	el2vm_destroy(&v);
}
END_TEST

/*
 * PMSWINC_EL0 counts like any event: only in a counter that counts at the
 * EL of the MSR (NSH at EL2, P at EL1), as AArch64.PMUSwIncrement() and
 * QEMU's pmswinc_write().
 */
START_TEST(el2_pmu_swinc)
{
	static const uint32_t swinc_x1[] = {
		0xd5000000u | (uint32_t)SYS_PMSWINC_EL0 << 5 | 1,	/* msr pmswinc_el0, x1 */
		HVC(3),
	};
	struct el2vm v;

	pmu_el2vm(&v, false);
	el2vm_put(&v, SYS_PMEVTYPER(0), 0);			/* SW_INCR */
	el2vm_put(&v, SYS_PMEVTYPER(2), NSH | PMEVTYPER_P);	/* SW_INCR */
	el2vm_put(&v, SYSREG(PMCNTENSET_EL0), 5);
	el2vm_put(&v, SYSREG(PMCR_EL0), PMCR_N6 | PMCR_E | PMCR_LC);
	el2vm_put(&v, X(1), 5);
	pmu_zero(&v);
	el2vm_run(&v, EL2H, swinc_x1, 2);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(0)), 0);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(2)), 1);
	el2vm_run(&v, EL1H, swinc_x1, 2);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(0)), 1);
	ck_assert_uint_eq(el2vm_reg(&v, SYS_PMEVCNTR(2)), 1);
	el2vm_destroy(&v);
}
END_TEST

Suite *pmu_suite(void)
{
	return CHECK_SUITE("pmu", 20, without_pmu, with_pmu, run_needs_init, pmcr_n_set_by_user,
			   nr_counters_attr, el2_pmu_nsh, el2_pmu_mdcr, el2_pmu_irq, el2_pmu_host_el0,
			   el2_pmu_swinc);
}
