/* SPDX-License-Identifier: GPL-2.0 */
/* Running an FP/SIMD differential case under vkvm (fpd_vside.c). */
#ifndef FPD_VSIDE_H
#define FPD_VSIDE_H

#include <fcntl.h>
#include <stdint.h>

#include "fpcase.h"

struct kvm_run;

struct fvside {
	int sys, vm, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
};

/* fpd_result.fault on the vkvm side: what ended the case, if not the end. */
#define FPD_FAULT_ESR		(1ULL << 60)	/* an exception: | ESR_EL1 */
#define FPD_FAULT_EXIT		(2ULL << 60)	/* another exit: | exit_reason */
#define FPD_FAULT_RUN		(3ULL << 60)	/* KVM_RUN failed: | errno */

int fvside_open(struct fvside *v);
void fvside_close(struct fvside *v);
int fvside_run(struct fvside *v, const struct fpd_case *c, struct fpd_result *r);

#endif
