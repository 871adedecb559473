// SPDX-License-Identifier: GPL-2.0
/* KVM_ARM_VCPU_INIT, the before-INIT gates, MP_STATE. */
#include "vkvm_test.h"

START_TEST(init_target)
{
	struct tvm t;
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_CORTEX_A57 };

	tvm_create(&t);
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_INIT, &init), -EINVAL);
	init.target = 1000;
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_INIT, &init), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, 0), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(init_unknown_feature_enoent)
{
	struct tvm t;
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	tvm_create(&t);
	/* bits KVM does not know at all: ENOENT, in any word */
	ck_assert_int_eq(tvm_init(t.vcpu, 1u << 9), -ENOENT);
	ck_assert_int_eq(tvm_init(t.vcpu, 1u << 31), -ENOENT);
	init.features[1] = 1;
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_INIT, &init), -ENOENT);
	init.features[1] = 0;
	init.features[6] = 0x80;
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_INIT, &init), -ENOENT);
	tvm_destroy(&t);
}
END_TEST

START_TEST(init_unsupported_feature_einval)
{
	struct tvm t;

	tvm_create(&t);
	/* known to KVM, not implemented by this CPU: EINVAL */
	ck_assert_int_eq(tvm_init(t.vcpu, F(EL1_32BIT)), -EINVAL);
	/* HAS_EL2_E2H0 qualifies HAS_EL2: alone it is EINVAL */
	ck_assert_int_eq(tvm_init(t.vcpu, F(HAS_EL2_E2H0)), -EINVAL);
	/* pointer authentication: both or neither (KVM's kvm_vcpu_init_check_features) */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PTRAUTH_ADDRESS)), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, F(PTRAUTH_GENERIC)), -EINVAL);
	/* nothing stuck: a good INIT still works */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2) | F(SVE)), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(before_init_enoexec)
{
	struct tvm t;
	struct kvm_reg_list list = { .n = 0 };
	uint64_t v;
	int feature = KVM_ARM_VCPU_SVE;

	tvm_create(&t);
	ck_assert_int_eq(get_reg(t.vcpu, CORE_REG(regs.pc, KVM_REG_SIZE_U64), &v), -ENOEXEC);
	ck_assert_int_eq(set_reg(t.vcpu, CORE_REG(regs.pc, KVM_REG_SIZE_U64), &v), -ENOEXEC);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_REG_LIST, &list), -ENOEXEC);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -ENOEXEC);
	ck_assert_int_eq(kio(t.vcpu, KVM_ARM_VCPU_FINALIZE, &feature), -ENOEXEC);
	tvm_destroy(&t);
}
END_TEST

START_TEST(reinit_resets)
{
	struct tvm t;
	uint64_t pc = 0x1234, x3 = 77;
	uint64_t id_pc = CORE_REG(regs.pc, KVM_REG_SIZE_U64);
	uint64_t id_x3 = CORE_REG(regs.regs[3], KVM_REG_SIZE_U64);

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_int_eq(set_reg(t.vcpu, id_pc, &pc), 0);
	ck_assert_int_eq(set_reg(t.vcpu, id_x3, &x3), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, id_pc), 0x1234);
	/* the same features again: a reset */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, id_pc), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, id_x3), 0);
	/* different features: refused */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2) | F(SVE)), -EINVAL);
	ck_assert_int_eq(tvm_init(t.vcpu, 0), -EINVAL);
	/* POWER_OFF is not a feature of the vCPU: it may differ */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2) | F(POWER_OFF)), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(features_same_on_every_vcpu)
{
	struct tvm t;
	int vcpu1;

	tvm_create_init(&t, F(PSCI_0_2));
	vcpu1 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 1);
	ck_assert_int_ge(vcpu1, 0);
	ck_assert_int_eq(tvm_init(vcpu1, F(PSCI_0_2) | F(SVE)), -EINVAL);
	ck_assert_int_eq(tvm_init(vcpu1, F(PSCI_0_2) | F(POWER_OFF)), 0);
	vkvm_close(vcpu1);
	tvm_destroy(&t);
}
END_TEST

START_TEST(reset_state)
{
	struct tvm t;
	int vcpu1;

	tvm_create_init(&t, F(PSCI_0_2));
	/* EL1h, everything masked; caches and MMU off */
	ck_assert_uint_eq(get_reg64(t.vcpu, CORE_REG(regs.pstate, KVM_REG_SIZE_U64)), 0x3c5);
	ck_assert_uint_eq(get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 1, 0, 0)), 0x00c50078);
	/* MPIDR from the vCPU id, bit 31 RES1 */
	ck_assert_uint_eq(get_reg64(t.vcpu, ARM64_SYS_REG(3, 0, 0, 0, 5)), 0x80000000);
	vcpu1 = (int)kio_val(t.vm, KVM_CREATE_VCPU, 0x123);
	ck_assert_int_eq(tvm_init(vcpu1, F(PSCI_0_2)), 0);
	ck_assert_uint_eq(get_reg64(vcpu1, ARM64_SYS_REG(3, 0, 0, 0, 5)),
			  0x80000000 | (0x12 << 8) | 0x3);
	vkvm_close(vcpu1);
	tvm_destroy(&t);
}
END_TEST

START_TEST(mp_state)
{
	struct tvm t;
	struct kvm_mp_state mp;

	tvm_create_init(&t, F(PSCI_0_2));
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_MP_STATE, &mp), 0);
	ck_assert_int_eq(mp.mp_state, KVM_MP_STATE_RUNNABLE);
	mp.mp_state = KVM_MP_STATE_STOPPED;
	ck_assert_int_eq(kio(t.vcpu, KVM_SET_MP_STATE, &mp), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_MP_STATE, &mp), 0);
	ck_assert_int_eq(mp.mp_state, KVM_MP_STATE_STOPPED);
	mp.mp_state = KVM_MP_STATE_HALTED;	/* x86's, not arm64's */
	ck_assert_int_eq(kio(t.vcpu, KVM_SET_MP_STATE, &mp), -EINVAL);
	mp.mp_state = 1000;
	ck_assert_int_eq(kio(t.vcpu, KVM_SET_MP_STATE, &mp), -EINVAL);
	/* INIT with POWER_OFF leaves it stopped; without, runnable */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_MP_STATE, &mp), 0);
	ck_assert_int_eq(mp.mp_state, KVM_MP_STATE_RUNNABLE);
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2) | F(POWER_OFF)), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_MP_STATE, &mp), 0);
	ck_assert_int_eq(mp.mp_state, KVM_MP_STATE_STOPPED);
	tvm_destroy(&t);
}
END_TEST

START_TEST(run_gates)
{
	struct tvm t;

	tvm_create_init(&t, F(PSCI_0_2));
	/* KVM_RUN takes no argument */
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 1), -EINVAL);
	/* immediate_exit: EINTR before running anything */
	t.run->immediate_exit = 1;
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EINTR);
	tvm_destroy(&t);
}
END_TEST

Suite *vcpu_suite(void)
{
	return CHECK_SUITE("vcpu", 0, init_target, init_unknown_feature_enoent,
			   init_unsupported_feature_einval, before_init_enoexec,
			   reinit_resets, features_same_on_every_vcpu,
			   reset_state, mp_state, run_gates);
}
