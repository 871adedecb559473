// SPDX-License-Identifier: GPL-2.0
/* The Check runner for the vkvm unit tests: TAP on stdout. */
#include "vkvm_test.h"

int main(void)
{
	static Suite *(*const suites[])(void) = {
		system_suite, vm_suite, vcpu_suite, onereg_suite, sve_suite,
		events_suite, run_suite, psci_suite, pmu_suite, caps_suite,
		vgic_config_suite, hypercalls_suite, vgic_v2_suite, dirty_suite,
		coalesced_suite, id_regs_suite, el2_suite, el2_gic_suite, mte_suite,
		gmem_suite, ecv_suite, el2_debug_suite, el2_at_suite,
		el2_tlb_suite, pauth_suite,
		NULL
	};

	return check_run(suites);
}
