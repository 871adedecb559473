// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST (arch/arm64/kvm/guest.c):
 * core registers by their offset in struct kvm_regs, SVE registers in KVM's
 * slice layout, then firmware and system registers.
 */
#include <stddef.h>

#include "kvm_host.h"

#define NR_CORE_U32	(sizeof(struct kvm_regs) / sizeof(u32))
#define CORE_OFF(name)	KVM_REG_ARM_CORE_REG(name)

static u64 core_reg_offset_from_id(u64 id)
{
	return id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_CORE);
}

static bool core_reg_offset_is_vreg(u64 off)
{
	return off >= CORE_OFF(fp_regs.vregs[0]) &&
	       off <= CORE_OFF(fp_regs.vregs[31]);
}

/* The size of the core register at @off (in u32 units), or -EINVAL. */
static int core_reg_size_from_offset(const struct kvm_vcpu *vcpu, u64 off)
{
	int size;

	if (off <= CORE_OFF(regs.regs[30]) ||
	    off == CORE_OFF(regs.sp) || off == CORE_OFF(regs.pc) ||
	    off == CORE_OFF(regs.pstate) || off == CORE_OFF(sp_el1) ||
	    off == CORE_OFF(elr_el1) ||
	    (off >= CORE_OFF(spsr[0]) && off <= CORE_OFF(spsr[KVM_NR_SPSR - 1])))
		size = sizeof(u64);
	else if (core_reg_offset_is_vreg(off))
		size = sizeof(__uint128_t);
	else if (off == CORE_OFF(fp_regs.fpsr) || off == CORE_OFF(fp_regs.fpcr))
		size = sizeof(u32);
	else
		return -EINVAL;

	if (off % (size / sizeof(u32)))
		return -EINVAL;
	/* On SVE vCPUs the V registers are reached through the Z registers. */
	if (vcpu_has_sve(vcpu) && core_reg_offset_is_vreg(off))
		return -EINVAL;
	return size;
}

static void state_to_kvm_regs(struct kvm_vcpu *vcpu, struct kvm_regs *r)
{
	struct cpu_state *s = vcpu_state(vcpu);
	int i;

	memset(r, 0, sizeof(*r));
	memcpy(r->regs.regs, s->x, sizeof(r->regs.regs));
	r->regs.sp = s->sp_el0;
	r->regs.pc = s->pc;
	r->regs.pstate = s->pstate;
	r->sp_el1 = s->sp_el1;
	r->elr_el1 = s->elr_el1;
	memcpy(r->spsr, s->spsr, sizeof(r->spsr));
	for (i = 0; i < 32; i++)
		memcpy(&r->fp_regs.vregs[i], s->z[i], 16);
	r->fp_regs.fpsr = s->fpsr;
	r->fp_regs.fpcr = s->fpcr;
}

static void kvm_regs_to_state(struct kvm_vcpu *vcpu, const struct kvm_regs *r)
{
	struct cpu_state *s = vcpu_state(vcpu);
	int i;

	memcpy(s->x, r->regs.regs, sizeof(r->regs.regs));
	s->sp_el0 = r->regs.sp;
	s->pc = r->regs.pc;
	s->pstate = r->regs.pstate;
	s->sp_el1 = r->sp_el1;
	s->elr_el1 = r->elr_el1;
	memcpy(s->spsr, r->spsr, sizeof(s->spsr));
	for (i = 0; i < 32; i++)
		memcpy(s->z[i], &r->fp_regs.vregs[i], 16);
	s->fpsr = r->fp_regs.fpsr;
	s->fpcr = r->fp_regs.fpcr;
}

static int validate_core_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg,
			     u64 *offp)
{
	u64 off = core_reg_offset_from_id(reg->id);
	int size;

	if (off >= NR_CORE_U32 ||
	    off + KVM_REG_SIZE(reg->id) / sizeof(u32) >= NR_CORE_U32)
		return -ENOENT;
	size = core_reg_size_from_offset(vcpu, off);
	if (size < 0 || KVM_REG_SIZE(reg->id) != (u64)size)
		return -EINVAL;
	*offp = off;
	return 0;
}

static int get_core_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	struct kvm_regs r;
	u64 off;
	int ret = validate_core_reg(vcpu, reg, &off);

	if (ret)
		return ret;
	state_to_kvm_regs(vcpu, &r);
	return copy_to_user((void *)(uintptr_t)reg->addr, (u32 *)&r + off,
			    KVM_REG_SIZE(reg->id));
}

static int set_core_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	struct kvm_regs r;
	u64 off, val;
	int ret = validate_core_reg(vcpu, reg, &off);

	if (ret)
		return ret;
	state_to_kvm_regs(vcpu, &r);
	ret = copy_from_user((u32 *)&r + off, (void *)(uintptr_t)reg->addr,
			     KVM_REG_SIZE(reg->id));
	if (ret)
		return ret;

	if (off == CORE_OFF(regs.pstate)) {
		val = r.regs.pstate;
		/* AArch64 only; no EL2 without nested virtualisation */
		switch (val & (PSR_MODE32_BIT | PSR_MODE_MASK)) {
		case PSR_MODE_EL0t:
		case PSR_MODE_EL1t:
		case PSR_MODE_EL1h:
			break;
		case PSR_MODE_EL2t:
		case PSR_MODE_EL2h:
			if (!vcpu_has_el2(vcpu))
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	kvm_regs_to_state(vcpu, &r);
	return 0;
}

/* ---- SVE ------------------------------------------------------------------------ */

#define SVE_REG_SLICE_MASK	0x1fULL
#define SVE_REG_ID_SHIFT	5
#define SVE_REG_ID_MASK		0x1fULL

/* Where an SVE register's bytes live, and how many of them there are. */
struct sve_region {
	u8 *kaddr;
	unsigned int klen;	/* bytes of state at the vector length */
	unsigned int upad;	/* zero bytes after them, up to the slice size */
};

static int sve_reg_to_region(struct sve_region *region, struct kvm_vcpu *vcpu,
			     const struct kvm_one_reg *reg)
{
	const u64 zreg_id_min = KVM_REG_ARM64_SVE_ZREG(0, 0);
	const u64 zreg_id_max = KVM_REG_ARM64_SVE_ZREG(KVM_ARM64_SVE_NUM_ZREGS - 1,
						       KVM_ARM64_SVE_MAX_SLICES - 1);
	const u64 preg_id_min = KVM_REG_ARM64_SVE_PREG(0, 0);
	const u64 preg_id_max = KVM_REG_ARM64_SVE_FFR(KVM_ARM64_SVE_MAX_SLICES - 1);
	struct cpu_state *s = vcpu_state(vcpu);
	unsigned int n = (reg->id >> SVE_REG_ID_SHIFT) & SVE_REG_ID_MASK;
	unsigned int vq = vcpu->sve_max_vq;

	if (reg->id >= zreg_id_min && reg->id <= zreg_id_max) {
		/* One 2048-bit slice covers every length up to VQ 16. */
		if (!vcpu_has_sve(vcpu) || (reg->id & SVE_REG_SLICE_MASK) > 0)
			return -ENOENT;
		region->kaddr = s->z[n];
		region->klen = vq * 16;
		region->upad = KVM_REG_SIZE(reg->id) - region->klen;
	} else if (reg->id >= preg_id_min && reg->id <= preg_id_max) {
		if (!vcpu_has_sve(vcpu) || (reg->id & SVE_REG_SLICE_MASK) > 0)
			return -ENOENT;
		region->kaddr = n < 16 ? s->p[n] : s->ffr;
		region->klen = vq * 2;
		region->upad = KVM_REG_SIZE(reg->id) - region->klen;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int get_sve_vls(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	u64 vqs[KVM_ARM64_SVE_VLS_WORDS] = { 0 };
	unsigned int vq;

	if (!vcpu_has_sve(vcpu))
		return -ENOENT;
	for (vq = 1; vq <= vcpu->sve_max_vq; vq++)
		if (kvm_sve_vq_available(vq))
			vqs[(vq - 1) / 64] |= 1ULL << ((vq - 1) % 64);
	return copy_to_user((void *)(uintptr_t)reg->addr, vqs, sizeof(vqs));
}

static int set_sve_vls(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	u64 vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int vq, max_vq = 0;
	int ret;

	if (!vcpu_has_sve(vcpu))
		return -ENOENT;
	if (vcpu->sve_finalized)
		return -EPERM;
	ret = copy_from_user(vqs, (void *)(uintptr_t)reg->addr, sizeof(vqs));
	if (ret)
		return ret;
	for (vq = 1; vq <= KVM_ARM64_SVE_VQ_MAX; vq++)
		if (vqs[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)))
			max_vq = vq;
	if (max_vq > VKVM_SVE_VQ_MAX)
		return -EINVAL;
	/*
	 * Only a maximum can be imposed (as ZCR_EL2.LEN does for KVM): the set
	 * must be exactly the supported lengths up to that maximum.
	 */
	for (vq = 1; vq <= max_vq; vq++)
		if (!!(vqs[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64))) !=
		    kvm_sve_vq_available(vq))
			return -EINVAL;
	if (max_vq < 1)
		return -EINVAL;
	vcpu->sve_max_vq = max_vq;
	return 0;
}

static int get_sve_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	u8 buf[KVM_REG_SIZE(KVM_REG_SIZE_U2048)];
	struct sve_region region;
	int ret;

	if (reg->id == KVM_REG_ARM64_SVE_VLS)
		return get_sve_vls(vcpu, reg);
	ret = sve_reg_to_region(&region, vcpu, reg);
	if (ret)
		return ret;
	if (!vcpu->sve_finalized)
		return -EPERM;
	memcpy(buf, region.kaddr, region.klen);
	memset(buf + region.klen, 0, region.upad);
	return copy_to_user((void *)(uintptr_t)reg->addr, buf,
			    region.klen + region.upad);
}

static int set_sve_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	struct sve_region region;
	u8 buf[KVM_REG_SIZE(KVM_REG_SIZE_U2048)];
	int ret;

	if (reg->id == KVM_REG_ARM64_SVE_VLS)
		return set_sve_vls(vcpu, reg);
	ret = sve_reg_to_region(&region, vcpu, reg);
	if (ret)
		return ret;
	if (!vcpu->sve_finalized)
		return -EPERM;
	/* bytes beyond the vector length are ignored */
	ret = copy_from_user(buf, (void *)(uintptr_t)reg->addr, region.klen);
	if (ret)
		return ret;
	memcpy(region.kaddr, buf, region.klen);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------------ */

int kvm_arm_get_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	/* only arm64 registers, whatever their size */
	if ((reg->id & ~KVM_REG_SIZE_MASK) >> 32 != KVM_REG_ARM64 >> 32)
		return -EINVAL;
	switch (reg->id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return get_core_reg(vcpu, reg);
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return kvm_arm_get_fw_reg(vcpu, reg);
	case KVM_REG_ARM64_SVE:
		return get_sve_reg(vcpu, reg);
	}
	return kvm_arm_sys_reg_get_reg(vcpu, reg);
}

int kvm_arm_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	if ((reg->id & ~KVM_REG_SIZE_MASK) >> 32 != KVM_REG_ARM64 >> 32)
		return -EINVAL;
	switch (reg->id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return set_core_reg(vcpu, reg);
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return kvm_arm_set_fw_reg(vcpu, reg);
	case KVM_REG_ARM64_SVE:
		return set_sve_reg(vcpu, reg);
	}
	return kvm_arm_sys_reg_set_reg(vcpu, reg);
}

static unsigned int num_core_regs(struct kvm_vcpu *vcpu)
{
	unsigned int i, n = 0;

	for (i = 0; i < NR_CORE_U32; i++)
		if (core_reg_size_from_offset(vcpu, i) > 0)
			n++;
	return n;
}

static unsigned int num_sve_regs(struct kvm_vcpu *vcpu)
{
	if (!vcpu_has_sve(vcpu))
		return 0;
	/* VLS, then Z0-31, P0-15 and FFR in the one slice */
	return 1 + KVM_ARM64_SVE_NUM_ZREGS + KVM_ARM64_SVE_NUM_PREGS + 1;
}

unsigned long kvm_arm_num_regs(struct kvm_vcpu *vcpu)
{
	return num_core_regs(vcpu) + num_sve_regs(vcpu) +
	       kvm_arm_get_fw_num_regs(vcpu) + kvm_arm_num_sys_reg_descs(vcpu);
}

/* Store @id at *@uindices (any alignment) and step past it. */
static int put_index(void **uindices, u64 id)
{
	int ret = copy_to_user(*uindices, &id, sizeof(id));

	*uindices = (u8 *)*uindices + sizeof(id);
	return ret;
}

int kvm_arm_copy_reg_indices(struct kvm_vcpu *vcpu, void *uindices)
{
	unsigned int i;
	int size, ret;

	for (i = 0; i < NR_CORE_U32; i++) {
		u64 id = KVM_REG_ARM64 | KVM_REG_ARM_CORE | i;

		size = core_reg_size_from_offset(vcpu, i);
		if (size < 0)
			continue;
		id |= size == 4 ? KVM_REG_SIZE_U32 :
		      size == 8 ? KVM_REG_SIZE_U64 : KVM_REG_SIZE_U128;
		ret = put_index(&uindices, id);
		if (ret)
			return ret;
	}
	if (vcpu_has_sve(vcpu)) {
		ret = put_index(&uindices, KVM_REG_ARM64_SVE_VLS);
		for (i = 0; !ret && i < KVM_ARM64_SVE_NUM_ZREGS; i++)
			ret = put_index(&uindices, KVM_REG_ARM64_SVE_ZREG(i, 0));
		for (i = 0; !ret && i < KVM_ARM64_SVE_NUM_PREGS; i++)
			ret = put_index(&uindices, KVM_REG_ARM64_SVE_PREG(i, 0));
		if (!ret)
			ret = put_index(&uindices, KVM_REG_ARM64_SVE_FFR(0));
		if (ret)
			return ret;
	}
	ret = kvm_arm_copy_fw_reg_indices(vcpu, uindices);
	if (ret)
		return ret;
	uindices = (u8 *)uindices + kvm_arm_get_fw_num_regs(vcpu) * sizeof(u64);
	return kvm_arm_copy_sys_reg_indices(vcpu, uindices);
}
