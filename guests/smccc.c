// SPDX-License-Identifier: GPL-2.0
/*
 * smccc: the firmware services a KVM guest finds through SMCCC over
 * HVC #0, as Linux's drivers probe them:
 *  - PV time (Arm DEN0057A; arch/arm64/kernel/paravirt.c): ARCH_FEATURES
 *    of PV_TIME_FEATURES, PV_TIME_FEATURES(PV_TIME_ST), PV_TIME_ST's IPA
 *    (vmm places vCPU n's structure at the pvtime region + 64 n, as
 *    kvmtool), revision 0, attributes 0, stolen_time never going back;
 *  - the TRNG (Arm DEN0098; drivers/char/hw_random/arm_smccc_trng.c):
 *    VERSION, FEATURES, KVM's GET_UUID, RND64/RND32 and INVALID_PARAMETER;
 *  - KVM's vendor calls (drivers/firmware/smccc/kvm_guest.c, ptp_kvm):
 *    the UID, FEATURES with PTP, and KVM_PTP for the virtual and the
 *    physical counter, whose counts must lie between the guest's own
 *    readings of CNTVCT_EL0/CNTPCT_EL0 before and after the call.
 */
#include "rt.h"

#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define TRNG_VERSION		0x84000050U
#define TRNG_FEATURES		0x84000051U
#define TRNG_GET_UUID		0x84000052U
#define TRNG_RND32		0x84000053U
#define TRNG_RND64		0xC4000053U
#define PV_TIME_FEATURES	0xC5000020U
#define PV_TIME_ST		0xC5000021U
#define KVM_FEATURES		0x86000000U
#define KVM_PTP			0x86000001U
#define KVM_CALL_UID		0x8600FF01U
#define PVTIME_IPA		0x01020000UL	/* vmm's memory map, vCPU 0 */
/* 2020-01-01 in ns since the epoch: a wall clock at least that late */
#define Y2020_NS		1577836800000000000UL

struct smccc_res {
	u64 a0, a1, a2, a3;
};

static struct smccc_res hvc(u32 fn, u64 a1)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = 0;
	register u64 x3 asm("x3") = 0;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

static long call1(u32 fn, u64 a1)
{
	return (long)hvc(fn, a1).a0;
}

static void pv_time(void)
{
	volatile u64 *st;
	u64 ipa, t0, t1;
	long r;
	int i;

	r = call1(SMCCC_ARCH_FEATURES, PV_TIME_FEATURES);
	check(r == 0, "ARCH_FEATURES(PV_TIME_FEATURES) = %ld (want 0)", r);
	r = call1(PV_TIME_FEATURES, PV_TIME_ST);
	check(r == 0, "PV_TIME_FEATURES(PV_TIME_ST) = %ld (want 0)", r);
	r = call1(PV_TIME_FEATURES, 0x12345);
	check(r == -1, "PV_TIME_FEATURES(0x12345) = %ld (want -1)", r);
	ipa = (u64)call1(PV_TIME_ST, 0);
	if (!check(ipa == PVTIME_IPA, "PV_TIME_ST = 0x%lx (want 0x%lx)",
		   (unsigned long)ipa, PVTIME_IPA))
		return;
	st = (volatile u64 *)(uintptr_t)ipa;
	check(st[0] == 0, "stolen time: revision 0, attributes 0 (0x%lx)", (unsigned long)st[0]);
	t0 = st[1];
	for (i = 0; i < 2000; i++)
		call1(SMCCC_VERSION, 0);	/* exits: the VMM may run, and other threads */
	t1 = st[1];
	check(t1 >= t0, "stolen_time does not go back (%lu ns, then %lu ns)",
	      (unsigned long)t0, (unsigned long)t1);
}

static void trng(void)
{
	struct smccc_res a, b;
	long r;

	r = call1(TRNG_VERSION, 0);
	check(r == 0x10000, "TRNG_VERSION = 0x%lx (want 1.0)", (unsigned long)r);
	r = call1(TRNG_FEATURES, TRNG_RND64);
	check(r == 0, "TRNG_FEATURES(RND64) = %ld (want 0)", r);
	r = call1(TRNG_FEATURES, 0x84000054);
	check(r == -1, "TRNG_FEATURES(0x84000054) = %ld (want -1)", r);
	a = hvc(TRNG_GET_UUID, 0);
	check(a.a0 == 0x00e0210d && a.a1 == 0xeb118443 && a.a2 == 0x44527080 &&
	      a.a3 == 0x4c5a4e55, "TRNG_GET_UUID: KVM's 0d21e000-4384-11eb-8070-524455 4e5a4c");
	a = hvc(TRNG_RND64, 192);
	b = hvc(TRNG_RND64, 192);
	check(a.a0 == 0 && b.a0 == 0 && (a.a1 != b.a1 || a.a2 != b.a2 || a.a3 != b.a3),
	      "TRNG_RND64(192): two draws differ");
	a = hvc(TRNG_RND64, 8);
	check(a.a0 == 0 && !a.a1 && !a.a2 && a.a3 < 256, "TRNG_RND64(8): 8 bits in x3");
	a = hvc(TRNG_RND32, 96);
	check(a.a0 == 0 && (a.a1 | a.a2 | a.a3) >> 32 == 0, "TRNG_RND32(96): 32-bit words");
	r = call1(TRNG_RND64, 193);
	check(r == -2, "TRNG_RND64(193) = %ld (want INVALID_PARAMETER -2)", r);
}

static u64 cntvct(void)
{
	asm volatile("isb" ::: "memory");
	return read_sysreg(cntvct_el0);
}

static u64 cntpct(void)
{
	asm volatile("isb" ::: "memory");
	return read_sysreg(cntpct_el0);
}

static void ptp(const char *name, u64 which, u64 (*counter)(void))
{
	struct smccc_res r;
	u64 before, after, cycles, real;

	before = counter();
	r = hvc(KVM_PTP, which);
	after = counter();
	real = r.a0 << 32 | r.a1;
	cycles = r.a2 << 32 | r.a3;
	check(real >= Y2020_NS, "KVM_PTP(%s): wall clock %lu ns", name, (unsigned long)real);
	check(cycles >= before && cycles <= after,
	      "KVM_PTP(%s): count 0x%lx between the guest's 0x%lx and 0x%lx", name,
	      (unsigned long)cycles, (unsigned long)before, (unsigned long)after);
}

static void kvm_vendor(void)
{
	struct smccc_res r = hvc(KVM_CALL_UID, 0);
	long f;

	check(r.a0 == 0xb66fb428 && r.a1 == 0xe911c52e && r.a2 == 0x564bcaa9 &&
	      r.a3 == 0x743a004d, "VENDOR_HYP_CALL_UID: KVM's 28b46fb6-2ec5-11e9-a9ca-4b564d003a74");
	f = call1(KVM_FEATURES, 0);
	check((f & 3) == 3, "KVM_FEATURES = 0x%lx (FUNC_FEAT and PTP)", (unsigned long)f);
	ptp("virtual", 0, cntvct);
	ptp("physical", 1, cntpct);
	r = hvc(KVM_PTP, 2);
	check((long)r.a0 == -1, "KVM_PTP(2) = %ld (want -1)", (long)r.a0);
}

int main(void)
{
	long v = call1(SMCCC_VERSION, 0);

	check(v >= 0x10001, "SMCCC_VERSION = 0x%lx (want >= 1.1)", (unsigned long)v);
	pv_time();
	trng();
	kvm_vendor();
	return rt_report("smccc");
}
