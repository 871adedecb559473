/* SPDX-License-Identifier: GPL-2.0 */
/* SVE vector-length negotiation through KVM_REG_ARM64_SVE_VLS. */
#ifndef VMM_SVE_H
#define VMM_SVE_H

#include <stdint.h>

#include "hv.h"

#define SVE_VLS_WORDS	8

/* Read the vCPU's vector-length set (after INIT with the SVE feature). */
int sve_get_vls(const struct hv_ops *hv, int vcpu_fd, uint64_t vls[SVE_VLS_WORDS]);
/* Print "128 256 ..." for a set into buf. */
void sve_format_vls(const uint64_t vls[SVE_VLS_WORDS], char *buf, size_t len);
/*
 * Cut the set at @vl_bits and finalize.  @vl_bits 0 keeps the hypervisor's
 * default.  On error prints one line naming the problem and returns -1.
 */
int sve_configure(const struct hv_ops *hv, int vcpu_fd, unsigned int vl_bits);
/* The same, naming option @opt in its messages. */
int sve_configure_opt(const struct hv_ops *hv, int vcpu_fd, unsigned int vl_bits,
		      const char *opt);

#endif
