// SPDX-License-Identifier: GPL-2.0
/*
 * tests/pauthdiff's vkvm side: the guest's flat image on a vCPU with both
 * PTRAUTH features, through libvkvm's KVM ioctls (tests/lib/vmc.c).  Apart
 * from pauthdiff.c, which includes the engine's headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "vmc.h"
#include "pacgen.h"
#include "pauth_vkvm.h"

#define GUEST_GPA	0x40080000ULL
#define STEPS_MAX	(64u << 20)	/* exits: a guest gone wrong ends */

int pauth_run_vkvm(const char *bin, uint64_t *out, unsigned int max, int ptrauth,
		   const uint64_t *param, unsigned int nparam)
{
	struct vmc v;
	char line[64];
	unsigned int n = 0, len = 0, steps;
	size_t size;
	FILE *f;
	int ret = -1;

	if (vmc_open_features(&v, 0x40000000ULL, 16 << 20, NULL,
			      1u << KVM_ARM_VCPU_PSCI_0_2 |
			      (ptrauth ? 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
					 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC : 0)))
		goto out;
	f = fopen(bin, "rb");
	if (!f)
		goto out;
	size = fread(vmc_ram(&v, GUEST_GPA), 1, 8 << 20, f);
	fclose(f);
	if (nparam)
		memcpy(vmc_ram(&v, PAC_PARAM_VA), param, 8 * nparam);
	if (!size || vmc_set_reg(&v, VMC_CORE(regs.pc), GUEST_GPA) ||
	    vmc_set_reg(&v, VMC_CORE(regs.pstate), VMC_PSTATE_EL1H))
		goto out;
	for (steps = 0; steps < STEPS_MAX; steps++) {
		if (vmc_run(&v))
			goto out;
		if (v.run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
			ret = (int)n;
			break;
		}
		if (v.run->exit_reason != KVM_EXIT_MMIO || !v.run->mmio.is_write) {
			fprintf(stderr, "pauthdiff: vkvm exit %u\n", v.run->exit_reason);
			goto out;
		}
		line[len] = (char)v.run->mmio.data[0];
		if (line[len] == '\n' || len == sizeof(line) - 2) {
			line[len + 1] = 0;
			if (n < max)
				out[n++] = strtoull(line, NULL, 16);
			len = 0;
		} else {
			len++;
		}
	}
out:
	vmc_close(&v);
	return ret;
}
