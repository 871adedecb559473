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

/*
 * Guest writes wholly inside [@addr, @addr + @size) stop exiting (@on) and
 * go to the coalesced-MMIO ring, or exit again (!@on): -1 when the
 * hypervisor has no ring or refuses the zone.
 */
int mmio_coalesce(struct vm *vm, uint64_t addr, uint64_t size, bool on);

/*
 * Apply the ring's writes, oldest first, as if each had exited on vCPU
 * @vcpu: before an exit is handled, so that a device sees its accesses in
 * the guest's order.
 */
void mmio_coalesced_drain(struct vm *vm, unsigned int vcpu);

/* The thread that drains the ring (and flushes the console) every 10 ms runs. */
bool mmio_coalesced_flushing(struct vm *vm);

/* Stop the thread that drains the ring every 10 ms (if it was started). */
void mmio_coalesced_stop(struct vm *vm);

#endif
