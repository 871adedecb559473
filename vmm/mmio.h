/* SPDX-License-Identifier: GPL-2.0 */
/* MMIO dispatch: the memory map says which device an address belongs to. */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/*
 * Perform a guest access of @len bytes at @addr on the device the memory map
 * puts there (@data little-endian, as in kvm_run.mmio).  False when no
 * device handles it: the caller applies the unhandled-access policy.
 */
bool mmio_dispatch(struct vm *vm, unsigned int vcpu, uint64_t addr, uint8_t *data,
		   unsigned int len, bool is_write);

#endif
