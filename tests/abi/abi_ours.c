/* Our include/uapi headers, turned into the abi_items.h array. */
#include <linux/kvm.h>

#include "abi.h"

/* ext_iabt_pending and the shortened pad sit where 6.1 has pad[0] and pad[1]. */
#define ABI_VCPU_EVENTS_IABT_SLOT \
	offsetof(struct kvm_vcpu_events, exception.ext_iabt_pending)

const struct abi_item abi_ours[] = {
#include "abi_items.h"
};

const size_t abi_ours_count = sizeof(abi_ours) / sizeof(abi_ours[0]);
