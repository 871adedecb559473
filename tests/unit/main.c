// SPDX-License-Identifier: GPL-2.0
/* The Check runner for the vkvm unit tests: TAP on stdout. */
#include <stdlib.h>

#include "vkvm_test.h"

int main(void)
{
	SRunner *sr = srunner_create(system_suite());
	int failed;

	srunner_add_suite(sr, vm_suite());
	srunner_add_suite(sr, vcpu_suite());
	srunner_add_suite(sr, onereg_suite());
	srunner_add_suite(sr, sve_suite());
	srunner_add_suite(sr, events_suite());
	srunner_add_suite(sr, run_suite());
	srunner_add_suite(sr, psci_suite());
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
