// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 through the KVM ABI (kernel/pmu-emul.c, the PMU rows of
 * kernel/sys_regs.c): the vCPU feature, KVM_CAP_ARM_PMU_V3, the
 * KVM_ARM_VCPU_PMU_V3_CTRL attributes with KVM's error codes and ordering
 * rules, ID_AA64DFR0_EL1.PMUVer and the registers REG_LIST shows.
 */
#include <stdlib.h>

#include "vkvm_test.h"
#include "arm64.h"

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

Suite *pmu_suite(void)
{
	return CHECK_SUITE("pmu", 20, without_pmu, with_pmu, run_needs_init);
}
