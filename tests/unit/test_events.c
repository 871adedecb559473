// SPDX-License-Identifier: GPL-2.0
/* KVM_GET/SET_VCPU_EVENTS: SError with and without ESR, external aborts. */
#include "vkvm_test.h"

#define ESR_EL1		ARM64_SYS_REG(3, 0, 5, 2, 0)
#define FAR_EL1		ARM64_SYS_REG(3, 0, 6, 0, 0)
#define VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define PC		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define PSTATE		CORE_REG(regs.pstate, KVM_REG_SIZE_U64)
#define ELR_EL1		CORE_REG(elr_el1, KVM_REG_SIZE_U64)
#define SPSR_EL1	CORE_REG(spsr[KVM_SPSR_EL1], KVM_REG_SIZE_U64)

static long set_events(int vcpu, struct kvm_vcpu_events *ev)
{
	return kio(vcpu, KVM_SET_VCPU_EVENTS, ev);
}

START_TEST(defaults)
{
	struct tvm t;
	struct kvm_vcpu_events ev;

	tvm_create_init(&t, F(PSCI_0_2));
	memset(&ev, 0xff, sizeof(ev));
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.serror_pending, 0);
	/* the CPU has RAS: an SError may carry a syndrome */
	ck_assert_int_eq(ev.exception.serror_has_esr, 1);
	ck_assert_int_eq(ev.exception.ext_dabt_pending, 0);
	ck_assert_int_eq(ev.exception.ext_iabt_pending, 0);
	ck_assert_uint_eq(ev.exception.serror_esr, 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(bad_events_einval)
{
	struct tvm t;
	struct kvm_vcpu_events ev;
	uint64_t pc0;

	tvm_create_init(&t, F(PSCI_0_2));
	pc0 = get_reg64(t.vcpu, PC);
	/* both external abort flags at once */
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	ev.exception.ext_iabt_pending = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), -EINVAL);
	/* reserved and padding must be zero */
	memset(&ev, 0, sizeof(ev));
	ev.reserved[11] = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), -EINVAL);
	memset(&ev, 0, sizeof(ev));
	ev.exception.pad[3] = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), -EINVAL);
	/* an SError syndrome outside ISS (bits 24:0): bit 25 */
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 1ULL << 25;
	ck_assert_int_eq(set_events(t.vcpu, &ev), -EINVAL);
	/* none of those did anything */
	ck_assert_uint_eq(get_reg64(t.vcpu, PC), pc0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.serror_pending, 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(serror_pending_reads_back)
{
	struct tvm t;
	struct kvm_vcpu_events ev;

	tvm_create_init(&t, F(PSCI_0_2));
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 0x1ffffff;	/* bit 24 is the last allowed */
	ck_assert_int_eq(set_events(t.vcpu, &ev), 0);
	memset(&ev, 0, sizeof(ev));
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.serror_pending, 1);
	ck_assert_uint_eq(ev.exception.serror_esr, 0x1ffffff);
	/* without an ESR: an implementation-defined one (ISV) */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), 0);
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.serror_pending, 1);
	ck_assert_uint_eq(ev.exception.serror_esr, 1ULL << 24);
	/* a reset clears it */
	ck_assert_int_eq(tvm_init(t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.serror_pending, 0);
	tvm_destroy(&t);
}
END_TEST

/* A vCPU with VBAR_EL1, PC and PSTATE set */
static void vcpu_at(struct tvm *t, uint64_t vbar, uint64_t pc, uint64_t pstate)
{
	tvm_create_init(t, F(PSCI_0_2));
	ck_assert_int_eq(set_reg(t->vcpu, VBAR_EL1, &vbar), 0);
	ck_assert_int_eq(set_reg(t->vcpu, PC, &pc), 0);
	ck_assert_int_eq(set_reg(t->vcpu, PSTATE, &pstate), 0);
}

static void check_ext_abort(int iabt)
{
	struct tvm t;
	struct kvm_vcpu_events ev;
	uint64_t vbar = 0x40000000, pc = 0x80001000;

	vcpu_at(&t, vbar, pc, 0x5);	/* EL1h, exceptions unmasked */
	memset(&ev, 0, sizeof(ev));
	if (iabt)
		ev.exception.ext_iabt_pending = 1;
	else
		ev.exception.ext_dabt_pending = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), 0);
	/* delivered at once: never read back as pending */
	memset(&ev, 0xff, sizeof(ev));
	ck_assert_int_eq(kio(t.vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	ck_assert_int_eq(ev.exception.ext_dabt_pending, 0);
	ck_assert_int_eq(ev.exception.ext_iabt_pending, 0);
	/* taken to EL1 from EL1h: current EL with SP_ELx, synchronous, +0x200 */
	ck_assert_uint_eq(get_reg64(t.vcpu, PC), vbar + 0x200);
	ck_assert_uint_eq(get_reg64(t.vcpu, ELR_EL1), pc);
	ck_assert_uint_eq(get_reg64(t.vcpu, SPSR_EL1), 0x5);
	ck_assert_uint_eq(get_reg64(t.vcpu, PSTATE) & 0x3cf, 0x3c5);
	/* EC DABT_CUR 0x25 / IABT_CUR 0x21, FSC external abort; no exit yet, so IL 0 */
	ck_assert_uint_eq(get_reg64(t.vcpu, ESR_EL1), ((iabt ? 0x21ULL : 0x25ULL) << 26) | 0x10);
	ck_assert_uint_eq(get_reg64(t.vcpu, FAR_EL1), 0);
	tvm_destroy(&t);
}

START_TEST(ext_dabt_delivered)
{
	check_ext_abort(0);
}
END_TEST

START_TEST(ext_iabt_delivered)
{
	check_ext_abort(1);
}
END_TEST

START_TEST(ext_abort_from_el0)
{
	struct tvm t;
	struct kvm_vcpu_events ev;
	uint64_t vbar = 0x10000, pc = 0x4000;

	vcpu_at(&t, vbar, pc, 0);	/* EL0t */
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	ck_assert_int_eq(set_events(t.vcpu, &ev), 0);
	/* from a lower EL: +0x400, EC DABT_LOW 0x24 */
	ck_assert_uint_eq(get_reg64(t.vcpu, PC), vbar + 0x400);
	ck_assert_uint_eq(get_reg64(t.vcpu, ESR_EL1) >> 26, 0x24);
	ck_assert_uint_eq(get_reg64(t.vcpu, ELR_EL1), pc);
	tvm_destroy(&t);
}
END_TEST

Suite *events_suite(void)
{
	return CHECK_SUITE("events", 0, defaults, bad_events_einval,
			   serror_pending_reads_back, ext_dabt_delivered,
			   ext_iabt_delivered, ext_abort_from_el0);
}
