// SPDX-License-Identifier: GPL-2.0
/*
 * Pointer authentication's memo and stack (kernel/cpu/pauth.c pac_op):
 * what PACIASP and AUTIASP return must not depend on what was asked
 * before.  A key written (KVM_SET_ONE_REG or MSR), TCR_EL1.TBI1 or
 * SCTLR_EL1.EnIA changed between two questions changes the answer as the
 * Arm ARM says; an Auth after such a change fails with the error code.
 * EL1 code on el2_vm.h's vCPU (HCR_EL2.API, APK set: nothing traps), the
 * pointer in X30 and SP from X2, an upper-half address with T1SZ 16.
 */
#include "el2_vm.h"

#define MOV_SP_X2	0x9100005fu
#define PACIASP		0xd503233fu
#define AUTIASP		0xd50323bfu
#define MSR_APIAKEYLO_X3 0xd5182103u
#define SCTLR_BASE	0x00c50078ULL
#define SCTLR_ENIA	(1ULL << 31)
#define TCR_SZ		(16ULL << 16 | 16)
#define TCR_TBI1	(1ULL << 38)
#define PTR		0xffff800008123450ULL
#define SPV		0xffff80000a00fe40ULL

static const uint32_t sign[] = { MOV_SP_X2, PACIASP, HVC(3) };
static const uint32_t aut[] = { MOV_SP_X2, AUTIASP, HVC(3) };
static const uint32_t msr_sign[] = { MOV_SP_X2, MSR_APIAKEYLO_X3, PACIASP, HVC(3) };

/* Run code with X30 = lr: X30 after it */
static uint64_t lr_after(struct el2vm *v, const uint32_t *code, unsigned int n, uint64_t lr)
{
	el2vm_put(v, X(30), lr);
	ck_assert_uint_eq(el2vm_run(v, EL1H, code, n), VBAR2 + LOW_SYNC);
	return el2vm_reg(v, X(30));
}

static void setup(struct el2vm *v, uint64_t tcr)
{
	el2vm_create_f(v, F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC));
	el2vm_put(v, SYSREG(HCR_EL2), HCR_RW | HCR_API | HCR_APK);
	el2vm_put(v, SYSREG(SCTLR_EL1), SCTLR_BASE | SCTLR_ENIA);
	el2vm_put(v, SYSREG(TCR_EL1), tcr);
	el2vm_put(v, SYSREG(APIAKEYLO_EL1), 0x0123456789abcdefULL);
	el2vm_put(v, SYSREG(APIAKEYHI_EL1), 0xfedcba9876543210ULL);
	el2vm_put(v, X(2), SPV);
}

/* A key write between two signs: another PAC; the first key back: the first */
START_TEST(pauth_key_write)
{
	struct el2vm v;
	uint64_t s1, s2;

	setup(&v, TCR_SZ | TCR_TBI1);
	s1 = lr_after(&v, sign, 3, PTR);
	ck_assert_uint_ne(s1, PTR);
	ck_assert_uint_eq(lr_after(&v, aut, 3, s1), PTR);
	/* KVM_SET_ONE_REG */
	el2vm_put(&v, SYSREG(APIAKEYLO_EL1), 0x0123456789abcdeeULL);
	s2 = lr_after(&v, sign, 3, PTR);
	ck_assert_uint_ne(s2, s1);
	ck_assert_uint_ne(s2, PTR);
	/* AUTIASP of the old key's pointer fails: error code 01 in bits 54:53 */
	ck_assert_uint_eq(lr_after(&v, aut, 3, s1), 0xffbf800008123450ULL);
	ck_assert_uint_eq(lr_after(&v, aut, 3, s2), PTR);
	/* MSR in the guest, then PACIASP */
	el2vm_put(&v, X(3), 0x0123456789abcdefULL);
	ck_assert_uint_eq(lr_after(&v, msr_sign, 4, PTR), s1);
	el2vm_put(&v, X(3), 0x0123456789abcdeeULL);
	ck_assert_uint_eq(lr_after(&v, msr_sign, 4, PTR), s2);
	el2vm_destroy(&v);
}
END_TEST

/* TBI1 on: the top byte kept; off: the PAC in it, errors in bits 62:61 */
START_TEST(pauth_tbi)
{
	struct el2vm v;
	uint64_t on, off;

	setup(&v, TCR_SZ | TCR_TBI1);
	on = lr_after(&v, sign, 3, PTR);
	ck_assert_uint_eq(on >> 55, PTR >> 55);
	el2vm_put(&v, SYSREG(TCR_EL1), TCR_SZ);
	off = lr_after(&v, sign, 3, PTR);
	ck_assert_uint_ne(off, on);
	ck_assert_uint_ne(off >> 56, 0xff);
	ck_assert_uint_eq(lr_after(&v, aut, 3, off), PTR);
	/* the pointer signed with TBI1 fails without it, and the reverse */
	ck_assert_uint_eq(lr_after(&v, aut, 3, on), 0xbfff800008123450ULL);
	el2vm_put(&v, SYSREG(TCR_EL1), TCR_SZ | TCR_TBI1);
	ck_assert_uint_eq(lr_after(&v, aut, 3, on), PTR);
	ck_assert_uint_ne(lr_after(&v, aut, 3, off), PTR);
	/* a flipped PAC bit (bit 50): the error code, the pointer's extension restored */
	ck_assert_uint_eq(lr_after(&v, aut, 3, on ^ (1ULL << 50)), 0xffbf800008123450ULL);
	/* a badly extended pointer signed: AUTIASP of that fails */
	ck_assert_uint_eq(lr_after(&v, aut, 3, lr_after(&v, sign, 3, 0xfffe800008123450ULL)),
			  0xffbf800008123450ULL);
	el2vm_destroy(&v);
}
END_TEST

/* EnIA clear: PACIASP and AUTIASP leave X30; set again: they sign */
START_TEST(pauth_enia)
{
	struct el2vm v;
	uint64_t s1;

	setup(&v, TCR_SZ | TCR_TBI1);
	s1 = lr_after(&v, sign, 3, PTR);
	ck_assert_uint_ne(s1, PTR);
	el2vm_put(&v, SYSREG(SCTLR_EL1), SCTLR_BASE);
	ck_assert_uint_eq(lr_after(&v, sign, 3, PTR), PTR);
	ck_assert_uint_eq(lr_after(&v, aut, 3, s1), s1);
	ck_assert_uint_eq(lr_after(&v, aut, 3, s1 ^ (1ULL << 50)), s1 ^ (1ULL << 50));
	el2vm_put(&v, SYSREG(SCTLR_EL1), SCTLR_BASE | SCTLR_ENIA);
	ck_assert_uint_eq(lr_after(&v, sign, 3, PTR), s1);
	ck_assert_uint_eq(lr_after(&v, aut, 3, s1), PTR);
	el2vm_destroy(&v);
}
END_TEST

Suite *pauth_suite(void)
{
	Suite *s = suite_create("pauth");
	TCase *tc = tcase_create("pauth");

	tcase_add_test(tc, pauth_key_write);
	tcase_add_test(tc, pauth_tbi);
	tcase_add_test(tc, pauth_enia);
	suite_add_tcase(s, tc);
	return s;
}
