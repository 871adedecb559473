// SPDX-License-Identifier: GPL-2.0
/*
 * SVE vector lengths, negotiated as Documentation/virt/kvm/api.rst says:
 * read KVM_REG_ARM64_SVE_VLS after KVM_ARM_VCPU_INIT, write back the set cut
 * at the length the user chose, then KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE).
 * The same code drives Linux KVM and vkvm.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/kvm.h>

#include "sve.h"

static int vq_present(const uint64_t vls[SVE_VLS_WORDS], unsigned int vq)
{
	return !!(vls[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)));
}

int sve_get_vls(const struct hv_ops *hv, int vcpu_fd, uint64_t vls[SVE_VLS_WORDS])
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64_SVE_VLS,
		.addr = (uint64_t)(uintptr_t)vls,
	};

	memset(vls, 0, SVE_VLS_WORDS * sizeof(vls[0]));
	return hv->ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
}

void sve_format_vls(const uint64_t vls[SVE_VLS_WORDS], char *buf, size_t len)
{
	size_t off = 0;
	unsigned int vq;

	buf[0] = '\0';
	for (vq = 1; vq <= 512 && off < len; vq++)
		if (vq_present(vls, vq))
			off += snprintf(buf + off, len - off, "%s%u",
					off ? " " : "", vq * 128);
}

int sve_configure_opt(const struct hv_ops *hv, int vcpu_fd, unsigned int vl_bits,
		      const char *opt)
{
	uint64_t vls[SVE_VLS_WORDS];
	char list[256];
	int feature = KVM_ARM_VCPU_SVE;
	unsigned int vq, want = vl_bits / 128;

	if (sve_get_vls(hv, vcpu_fd, vls) < 0) {
		fprintf(stderr, "vmm: cannot read the SVE vector lengths: %s\n",
			strerror(errno));
		return -1;
	}
	if (vl_bits) {
		sve_format_vls(vls, list, sizeof(list));
		if (vl_bits % 128 || want < 1 || want > 512 || !vq_present(vls, want)) {
			fprintf(stderr, "vmm: %s %u: not a supported vector length"
				" (supported: %s bits)\n", opt, vl_bits, list);
			return -1;
		}
		for (vq = want + 1; vq <= 512; vq++)
			vls[(vq - 1) / 64] &= ~(1ULL << ((vq - 1) % 64));
		struct kvm_one_reg reg = {
			.id = KVM_REG_ARM64_SVE_VLS,
			.addr = (uint64_t)(uintptr_t)vls,
		};
		if (hv->ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg) < 0) {
			fprintf(stderr, "vmm: setting SVE vector length %u: %s\n",
				vl_bits, strerror(errno));
			return -1;
		}
	}
	if (hv->ioctl(vcpu_fd, KVM_ARM_VCPU_FINALIZE, &feature) < 0) {
		fprintf(stderr, "vmm: finalizing SVE: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int sve_configure(const struct hv_ops *hv, int vcpu_fd, unsigned int vl_bits)
{
	return sve_configure_opt(hv, vcpu_fd, vl_bits, "--sve-vl");
}
