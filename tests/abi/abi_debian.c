/*
 * Linux 6.1's UAPI headers (Debian linux-libc-dev-arm64-cross), turned into
 * the abi_items.h array.  Built with its own flags: -nostdinc, the compiler's
 * own include directory and /usr/aarch64-linux-gnu/include, never our
 * include/uapi.  Without those headers (ABI_NO_DEBIAN) the array is empty and
 * the driver reports the shared groups as skipped.
 */
#include "abi.h"

#ifndef ABI_NO_DEBIAN

/* 6.1's asm/kvm.h uses kernel-internal helpers; define them as a client must. */
#define GENMASK(h, l)	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (64 - 1 - (h))))
#define SZ_64K		0x00010000
#define BIT(n)		(1UL << (n))

#include <linux/kvm.h>
#include <linux/psci.h>

/* 6.1 has pad[5] where we have ext_iabt_pending, pad[4]. */
#define ABI_VCPU_EVENTS_IABT_SLOT \
	offsetof(struct kvm_vcpu_events, exception.pad)

const struct abi_item abi_debian[] = {
#include "abi_items.h"
};

const size_t abi_debian_count = sizeof(abi_debian) / sizeof(abi_debian[0]);
const int abi_debian_present = 1;

#else

const struct abi_item abi_debian[1];
const size_t abi_debian_count = 0;
const int abi_debian_present = 0;

#endif
