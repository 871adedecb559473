/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the Check test programs (tests/unit, tests/vmm, tests/robust) share:
 * a suite of one test case, and the runner that prints TAP on stdout.
 */
#ifndef CHECKSUITE_H
#define CHECKSUITE_H

#include <check.h>
#include <stdlib.h>

/*
 * A suite name holding one test case, case_name (*tc, no test yet), with a
 * timeout in seconds (0: Check's default).
 */
static inline Suite *check_suite_case(const char *name, const char *case_name,
				      double timeout, TCase **tc)
{
	Suite *s = suite_create(name);

	*tc = tcase_create(case_name);
	if (timeout)
		tcase_set_timeout(*tc, timeout);
	suite_add_tcase(s, *tc);
	return s;
}

/*
 * A suite and its one test case, both named name, running tests (a
 * NULL-ended list, in order) with a timeout in seconds (0: Check's default)
 * and, when setup or teardown is set, a checked fixture.
 */
static inline Suite *check_suite(const char *name, double timeout,
				 void (*setup)(void), void (*teardown)(void),
				 const TTest *const *tests)
{
	TCase *tc;
	Suite *s = check_suite_case(name, name, timeout, &tc);

	if (setup || teardown)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (; *tests; tests++)
		tcase_add_test(tc, *tests);
	return s;
}

/* CHECK_SUITE("name", timeout, test, ...) */
#define CHECK_SUITE(name, timeout, ...) \
	check_suite(name, timeout, NULL, NULL, (const TTest *const[]){ __VA_ARGS__, NULL })

/* Runs sr's suites with TAP on stdout, then frees sr; the exit status. */
static inline int check_run_tap(SRunner *sr)
{
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Runs the suites of a NULL-ended list of constructors; the exit status. */
static inline int check_run(Suite *(*const *suites)(void))
{
	SRunner *sr = srunner_create(suites[0]());

	while (*++suites)
		srunner_add_suite(sr, (*suites)());
	return check_run_tap(sr);
}

#endif
