// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges: once /dev/kvm and the images are open, vmm needs none.  Drop
 * every capability (effective, permitted, inheritable, bounding, ambient)
 * with libcap-ng, and forbid regaining any through execve.
 */
#include <stdio.h>
#include <sys/prctl.h>

#ifdef HAVE_CAPNG
#include <cap-ng.h>
#endif

#include "caps.h"
#include "vmm.h"

int caps_drop(void)
{
#ifdef HAVE_CAPNG
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE) {
		capng_clear(CAPNG_SELECT_ALL);
		if (capng_apply(CAPNG_SELECT_ALL) < 0) {
			/* no CAP_SETPCAP for the bounding set: drop the sets we own */
			capng_clear(CAPNG_SELECT_BOTH);
			if (capng_apply(CAPNG_SELECT_BOTH) < 0) {
				pr_err("cannot drop capabilities\n");
				return -1;
			}
		}
		pr_debug("dropped every capability\n");
	} else {
		pr_debug("no capabilities to drop\n");
	}
#else
	pr_debug("built without libcap-ng: capabilities not dropped\n");
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		pr_debug("PR_SET_NO_NEW_PRIVS failed\n");
	return 0;
}
