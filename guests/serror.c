// SPDX-License-Identifier: GPL-2.0
/*
 * serror: SErrors made pending by the harness (KVM_SET_VCPU_EVENTS) on the
 * guest's request through its control register.
 *
 *  1. with an ESR, while PSTATE.A is masked (as at reset): not taken, but
 *     visible in ISR_EL1.A; taken once A is unmasked, with ESR_EL1 EC 0x2f
 *     and the ISS the harness set;
 *  2. without an ESR, while unmasked: taken at once, with the
 *     implementation-defined syndrome KVM uses (ISS = IDS, bit 24).
 */
#include "rt.h"

#define TEST_ISS	0x01c0ffeeUL	/* IDS set, then implementation-defined bits */
#define ISR_A		BIT(8)

static volatile int isr_undef;

static volatile int trigger_abandoned;

/*
 * The store that asks for an unmasked SError: Linux 7.x KVM delivers the
 * SError with the store abandoned (ELR_EL1 is the store, which would ask
 * again); Linux 6.1 and vkvm complete it first (ELR_EL1 is the next one).
 */
static void trigger_serror(void)
{
	asm volatile(".globl serror_trigger\nserror_trigger:\n\tstr xzr, [%0]"
		     : : "r"(TESTDEV_CTL + CTL_SERROR) : "memory");
}

static int serror_handler(struct rt_frame *f, unsigned int vec)
{
	extern const char serror_trigger[];

	if (f->elr == (u64)(uintptr_t)serror_trigger) {
		trigger_abandoned = 1;
		f->elr += 4;
	}
	return rt_record(f, vec);	/* asynchronous: ELR is where to resume */
}

static int skip_undef(struct rt_frame *f, unsigned int vec)
{
	isr_undef = 1;
	f->elr += 4;
	return 1;
}

/* ISR_EL1, or ~0 (and a FAIL line) if reading it is UNDEFINED here */
static u64 read_isr(void)
{
	u64 v;

	isr_undef = 0;
	rt_set_sync_handler(EC_UNKNOWN, skip_undef);
	v = read_sysreg(isr_el1);
	rt_set_sync_handler(EC_UNKNOWN, 0);
	if (isr_undef) {
		check(0, "MRS ISR_EL1 is UNDEFINED");
		return ~0UL;
	}
	return v;
}

static void spin(void)
{
	for (volatile int i = 0; i < 1000; i++)
		;
	isb();
}

int main(void)
{
	unsigned int caught;
	u64 esr, isr;

	rt_set_handler(VEC_SERROR, serror_handler);

	printf("serror: masked, with ESR ISS 0x%lx\n", TEST_ISS);
	check(read_sysreg(daif) & BIT(8), "PSTATE.A is masked at reset");
	caught = rt_caught;
	writeq(TEST_ISS, TESTDEV_CTL + CTL_SERROR_ESR);
	spin();
	isr = read_isr();
	check(rt_caught == caught, "masked: SError not taken while PSTATE.A is set");
	check(isr != ~0UL && (isr & ISR_A), "masked: ISR_EL1.A shows it pending (ISR_EL1 0x%lx)", (unsigned long)isr);

	asm volatile("msr daifclr, #4\n\tisb" : : : "memory");
	spin();
	asm volatile("msr daifset, #4\n\tisb" : : : "memory");
	esr = rt_last.esr;
	check(rt_caught == caught + 1 && (rt_last.vec & 3) == VEC_SERROR,
	      "unmasked: SError taken (%u, vector %u)", rt_caught - caught, rt_last.vec);
	check(ESR_EC(esr) == EC_SERROR && ESR_ISS(esr) == TEST_ISS,
	      "with ESR: ESR_EL1 0x%08lx: EC 0x%02lx (want 0x2f), ISS 0x%07lx (want 0x%07lx)",
	      (unsigned long)esr, (unsigned long)ESR_EC(esr), (unsigned long)ESR_ISS(esr),
	      TEST_ISS);
	isr = read_isr();
	check(isr != ~0UL && !(isr & ISR_A), "taken: ISR_EL1.A clear again (ISR_EL1 0x%lx)", (unsigned long)isr);

	printf("serror: unmasked, without ESR\n");
	caught = rt_caught;
	asm volatile("msr daifclr, #4\n\tisb" : : : "memory");
	trigger_serror();
	spin();
	asm volatile("msr daifset, #4\n\tisb" : : : "memory");
	esr = rt_last.esr;
	check(rt_caught == caught + 1, "unmasked: SError taken at once (%u), %s", rt_caught - caught,
	      trigger_abandoned ? "the requesting store abandoned (as Linux 7.x)"
				: "after the requesting store (as Linux 6.1)");
	check(ESR_EC(esr) == EC_SERROR && ESR_ISS(esr) == BIT(24),
	      "without ESR: ESR_EL1 0x%08lx: EC 0x%02lx (want 0x2f), ISS 0x%07lx (want IDS only, 0x1000000)",
	      (unsigned long)esr, (unsigned long)ESR_EC(esr), (unsigned long)ESR_ISS(esr));
	return rt_report("serror");
}
