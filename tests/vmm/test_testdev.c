// SPDX-License-Identifier: GPL-2.0
/*
 * The test device (--testdev) agrees with guests/platform.h, the guests' and
 * the harness's view of the test window.  (platform.h and vmm/memmap.h both
 * define the platform's addresses, so this file includes no vmm header; the
 * device itself is exercised in test_fdt.c and by guests/guests.cfg.)
 */
#include "../../devices/testdev.h"
#include "../../guests/platform.h"
#include "vmm_test.h"

START_TEST(registers_match_platform_h)
{
	/* memmap.h's TESTDEV_BASE/SIZE: test_memmap.c checks the same values */
	ck_assert_uint_eq(TESTDEV_BASE, 0x0a000000);
	ck_assert_uint_eq(TESTDEV_SIZE, 0x2000);
	ck_assert_uint_eq(TESTDEV_PATTERN, TESTDEV_BASE + TESTDEV_PATTERN_OFF);
	ck_assert_uint_eq(TESTDEV_SCRATCH, TESTDEV_BASE + TESTDEV_SCRATCH_OFF);
	ck_assert_uint_eq(TESTDEV_SCRATCH_SIZE, TESTDEV_SCRATCH_LEN);
	ck_assert_uint_eq(TESTDEV_PATTERN_OFF + TESTDEV_PATTERN_LEN, TESTDEV_SCRATCH_OFF);
	ck_assert_uint_eq(TESTDEV_CTL, TESTDEV_BASE + TESTDEV_CTL_OFF);
	ck_assert_uint_eq(CTL_SERROR_ESR, TESTDEV_CTL_SERROR_ESR);
	ck_assert_uint_eq(CTL_SERROR, TESTDEV_CTL_SERROR);
	ck_assert_uint_eq(CTL_SEA_MODE, TESTDEV_CTL_SEA_MODE);
	ck_assert_uint_eq(SEA_MODE_TO_USER, TESTDEV_SEA_MODE_TO_USER);
	ck_assert_uint_eq(SEA_MODE_POISONED, TESTDEV_SEA_MODE_POISONED);
	ck_assert_uint_eq(POISON_GPA, TESTDEV_POISON_GPA);
	/* the NISV and instruction-abort targets stay outside the device */
	ck_assert_uint_ge(UNBACKED_DATA, TESTDEV_BASE + TESTDEV_SIZE);
	ck_assert_uint_ge(UNBACKED_CODE, TESTDEV_BASE + TESTDEV_SIZE);
}
END_TEST

START_TEST(pattern_matches_platform_h)
{
	unsigned long a;

	for (a = TESTDEV_PATTERN; a < TESTDEV_SCRATCH; a++)
		ck_assert_uint_eq(testdev_pattern_byte(a), pattern_byte(a));
}
END_TEST

Suite *testdev_suite(void)
{
	return CHECK_SUITE("testdev", 0, registers_match_platform_h,
			   pattern_matches_platform_h);
}
