/* SPDX-License-Identifier: GPL-2.0 */
/* Running a differential case under vkvm (vkvm_side.c). */
#ifndef VKVM_SIDE_H
#define VKVM_SIDE_H

#include <fcntl.h>
#include <stdint.h>

#include "diffcase.h"

struct kvm_run;

struct vside {
	int sys, vm, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
};

/* diff_result.fault on the vkvm side: what ended the case, if not the end. */
#define DIFF_FAULT_ESR		(1ULL << 60)	/* an exception: | ESR_EL1 */
#define DIFF_FAULT_EXIT		(2ULL << 60)	/* another exit: | exit_reason */
#define DIFF_FAULT_RUN		(3ULL << 60)	/* KVM_RUN failed: | errno */

int vside_open(struct vside *v);
void vside_close(struct vside *v);
int vside_run(struct vside *v, const struct diff_case *c, struct diff_result *r);

#endif
