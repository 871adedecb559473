// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI and SMCCC calls as a guest makes them: HVC (and SMC #0) with the
 * function in x0, the answer in x0, as arch/arm64/kvm/psci.c and
 * hypercalls.c answer them.
 */
#include <sys/mman.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define MMIO_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

#define PSCI_VERSION_FN		0x84000000ULL
#define CPU_SUSPEND_FN		0xc4000001ULL
#define AFFINITY_INFO_FN	0xc4000004ULL
#define MIGRATE_INFO_TYPE_FN	0x84000006ULL
#define SYSTEM_RESET_FN		0x84000009ULL
#define PSCI_FEATURES_FN	0x8400000aULL
#define SYSTEM_RESET2_FN	0xc4000012ULL
#define SYSTEM_OFF2_FN		0x84000015ULL
#define SYSTEM_OFF2_FN64	0xc4000015ULL
#define SMCCC_VERSION_FN	0x80000000ULL
#define SMCCC_ARCH_FEATURES_FN	0x80000001ULL

static const uint32_t hvc_then_report[] = {
	0xd4000002,	/* hvc #0 */
	0xf9000120,	/* str x0, [x9] */
	0x14000000,	/* b . */
	0xd4000003,	/* 0xc: smc #0 */
	0xf9000120,	/* str x0, [x9] */
	0x14000000,	/* b . */
};

struct call {
	struct tvm t;
	void *ram;
};

static void call_setup(struct call *c, uint32_t features)
{
	uint64_t v = MMIO_GPA;

	tvm_create(&c->t);
	c->ram = tvm_add_ram(&c->t, RAM_GPA, 0x10000, hvc_then_report,
			     sizeof(hvc_then_report));
	ck_assert_int_eq(tvm_init(c->t.vcpu, features), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(9), &v), 0);
}

static void call_destroy(struct call *c)
{
	tvm_destroy(&c->t);
	munmap(c->ram, 0x10000);
}

/* Make the call (HVC, or SMC #0 when @smc); returns KVM_RUN's exit reason. */
static uint32_t call(struct call *c, int smc, uint64_t fn, uint64_t a1, uint64_t a2,
		     uint64_t a3, int64_t *ret)
{
	uint64_t pc = RAM_GPA + (smc ? 0xc : 0);

	ck_assert_int_eq(set_reg(c->t.vcpu, PC_ID, &pc), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(0), &fn), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(1), &a1), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(2), &a2), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(3), &a3), 0);
	c->t.run->exit_reason = 0;
	ck_assert_int_eq(kio_val(c->t.vcpu, KVM_RUN, 0), 0);
	*ret = (int64_t)get_reg64(c->t.vcpu, X(0));
	return c->t.run->exit_reason;
}

static int64_t call_ok(struct call *c, uint64_t fn, uint64_t a1, uint64_t a2)
{
	int64_t r;

	ck_assert_int_eq(call(c, 0, fn, a1, a2, 0, &r), KVM_EXIT_MMIO);
	ck_assert_int_eq(*(int64_t *)c->t.run->mmio.data, r);
	return r;
}

START_TEST(versions_and_features)
{
	struct call c;

	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0, 0), 0x10003);
	ck_assert_int_eq(call_ok(&c, SMCCC_VERSION_FN, 0, 0), 0x10001);
	ck_assert_int_eq(call_ok(&c, MIGRATE_INFO_TYPE_FN, 0, 0), 2);	/* no Trusted OS */
	/* PSCI_FEATURES: 0 for what exists, NOT_SUPPORTED (-1) otherwise */
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, CPU_SUSPEND_FN, 0), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_RESET2_FN, 0), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SMCCC_VERSION_FN, 0), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, 0x8400000eULL, 0), -1);	/* SYSTEM_SUSPEND */
	/* SMCCC ARCH_FEATURES: the CPU is unaffected by the Spectre variants */
	ck_assert_int_eq(call_ok(&c, SMCCC_ARCH_FEATURES_FN, 0x80008000ULL, 0), 1);
	ck_assert_int_eq(call_ok(&c, SMCCC_ARCH_FEATURES_FN, 0x80007fffULL, 0), -2);
	ck_assert_int_eq(call_ok(&c, SMCCC_ARCH_FEATURES_FN, 0x80003fffULL, 0), 1);
	ck_assert_int_eq(call_ok(&c, SMCCC_ARCH_FEATURES_FN, 0x12345678ULL, 0), -1);
	/* unknown calls */
	ck_assert_int_eq(call_ok(&c, 0xc2000000ULL, 0, 0), -1);
	ck_assert_int_eq(call_ok(&c, 0x8400001fULL, 0, 0), -1);
	/* with the version set to 1.0 through the firmware register, RESET2 is gone */
	uint64_t v = 0x10000;
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0, 0), 0x10000);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_RESET2_FN, 0), -1);
	call_destroy(&c);
}
END_TEST

START_TEST(smc_conduit)
{
	struct call c;
	int64_t r;

	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call(&c, 1, PSCI_VERSION_FN, 0, 0, 0, &r), KVM_EXIT_MMIO);
	ck_assert_int_eq(r, 0x10003);
	call_destroy(&c);
}
END_TEST

START_TEST(affinity_info_levels)
{
	struct call c;
	int vcpu1;

	call_setup(&c, F(PSCI_0_2));
	vcpu1 = (int)kio_val(c.t.vm, KVM_CREATE_VCPU, 1);
	ck_assert_int_eq(tvm_init(vcpu1, F(PSCI_0_2) | F(POWER_OFF)), 0);
	ck_assert_int_eq(call_ok(&c, AFFINITY_INFO_FN, 0, 0), 0);	/* itself: ON */
	ck_assert_int_eq(call_ok(&c, AFFINITY_INFO_FN, 1, 0), 1);	/* OFF */
	ck_assert_int_eq(call_ok(&c, AFFINITY_INFO_FN, 1, 4), -2);	/* bad level */
	/* level 1: the cluster of both (Aff1 0) has one vCPU on */
	ck_assert_int_eq(call_ok(&c, AFFINITY_INFO_FN, 0x1, 1), 0);
	vkvm_close(vcpu1);
	call_destroy(&c);
}
END_TEST

START_TEST(system_reset_and_reset2)
{
	struct call c;
	int64_t r;

	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call(&c, 0, SYSTEM_RESET_FN, 0, 0, 0, &r), KVM_EXIT_SYSTEM_EVENT);
	ck_assert_int_eq(c.t.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	ck_assert_uint_eq(c.t.run->system_event.data[0], 0);
	ck_assert_int_eq(r, -6);	/* INTERNAL_FAILURE if resumed */
	call_destroy(&c);

	call_setup(&c, F(PSCI_0_2));
	/* SYSTEM_RESET2: an architectural type other than warm reset is invalid */
	ck_assert_int_eq(call(&c, 0, SYSTEM_RESET2_FN, 1, 0, 0, &r), KVM_EXIT_MMIO);
	ck_assert_int_eq(r, -2);
	ck_assert_int_eq(call(&c, 0, SYSTEM_RESET2_FN, 0, 0, 0, &r), KVM_EXIT_SYSTEM_EVENT);
	ck_assert_int_eq(c.t.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	ck_assert_uint_eq(c.t.run->system_event.data[0], KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
	call_destroy(&c);

	/* a vendor-specific reset type is handed to userspace too */
	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call(&c, 0, SYSTEM_RESET2_FN, 0x80000001ULL, 0, 0, &r),
			 KVM_EXIT_SYSTEM_EVENT);
	call_destroy(&c);
}
END_TEST

/*
 * PSCI 1.3's SYSTEM_OFF2 as Linux 7.2's psci_test uses it: PSCI_FEATURES
 * gives the types (HIBERNATE_OFF, bit 0); type 0 or HIBERNATE_OFF with a
 * zero cookie is a shutdown event flagged PSCI_OFF2, anything else
 * INVALID_PARAMETERS; at PSCI 1.2 the call does not exist.
 */
START_TEST(system_off2)
{
	struct call c;
	uint64_t v;
	int64_t r;

	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_OFF2_FN, 0), 1);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_OFF2_FN64, 0), 1);
	ck_assert_int_eq(call_ok(&c, SYSTEM_OFF2_FN64, 2, 0), -2);	/* a type it lacks */
	ck_assert_int_eq(call_ok(&c, SYSTEM_OFF2_FN64, 1, 5), -2);	/* a cookie */
	ck_assert_int_eq(call_ok(&c, SYSTEM_OFF2_FN64, 1ULL << 32, 1), -2);
	ck_assert_int_eq(call(&c, 0, SYSTEM_OFF2_FN64, 1, 0, 0, &r), KVM_EXIT_SYSTEM_EVENT);
	ck_assert_int_eq(c.t.run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
	ck_assert_uint_eq(c.t.run->system_event.ndata, 1);
	ck_assert_uint_eq(c.t.run->system_event.data[0], KVM_SYSTEM_EVENT_SHUTDOWN_FLAG_PSCI_OFF2);
	ck_assert_int_eq(r, -6);	/* INTERNAL_FAILURE if resumed */
	call_destroy(&c);		/* the event stopped every vCPU */

	/* SMC32: the cookie's upper half is not looked at; type 0 is hibernation */
	call_setup(&c, F(PSCI_0_2));
	ck_assert_int_eq(call(&c, 0, SYSTEM_OFF2_FN, 0, 1ULL << 32, 0, &r),
			 KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(c.t.run->system_event.data[0], KVM_SYSTEM_EVENT_SHUTDOWN_FLAG_PSCI_OFF2);
	call_destroy(&c);

	call_setup(&c, F(PSCI_0_2));
	v = 0x10002;	/* 1.2: no SYSTEM_OFF2 */
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0, 0), 0x10002);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_OFF2_FN64, 0), -1);
	ck_assert_int_eq(call_ok(&c, SYSTEM_OFF2_FN64, 1, 0), -1);
	v = 0x10004;
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_PSCI_VERSION, &v), -EINVAL);
	call_destroy(&c);
}
END_TEST

START_TEST(psci_0_1)
{
	struct call c;

	/* without PSCI_0_2: only KVM's 0.1 function numbers; 0.2 ones are unknown */
	call_setup(&c, 0);
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0, 0), -1);
	call_destroy(&c);
}
END_TEST

Suite *psci_suite(void)
{
	return CHECK_SUITE("psci", 20, versions_and_features, smc_conduit,
			   affinity_info_levels, system_reset_and_reset2,
			   system_off2, psci_0_1);
}
