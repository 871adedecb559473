/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU threads, run control and event injection (vcpu.c). */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/* Wait until every running vCPU but @except of them is parked; false on timeout. */
bool vm_wait_parked(struct vm *vm, unsigned int except);
void vcpu_park(struct vcpu *vcpu);
int vcpu_inject_abort(struct vcpu *vcpu, bool iabt);
int vcpu_inject_serror(struct vcpu *vcpu, bool has_esr, uint64_t esr);
int vcpu_set_single_step(struct vcpu *vcpu, bool on);

#endif
