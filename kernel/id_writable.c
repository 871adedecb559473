// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace writes of the feature ID registers (api.rst "Writable ID
 * registers", KVM_ARM_GET_REG_WRITABLE_MASKS), as Linux 7.2's
 * arch/arm64/kvm/sys_regs.c allows them.
 *
 * Each writable register has KVM's writable mask (what
 * KVM_ARM_GET_REG_WRITABLE_MASKS reports) and the fields the host's
 * cpufeature tables describe, each with its safety rule.  A write is
 * accepted when every writable, described field is "safe" against the
 * value vkvm gives the register at reset (the limit: a lower value for
 * FTR_LOWER_SAFE, and so on) and every other bit equals the limit's
 * (arm64_check_features()).  sys_regs.c stores what is accepted, VM-wide.
 *
 * Fields the engine consults (ID_AA64PFR1_EL1.BT, ID_AA64MMFR2_EL1.AT)
 * read the stored value, so hiding them hides the feature; the others
 * describe instructions no real CPU can trap either, as under KVM.
 */
#include "kvm_host.h"

enum ftr_type {
	FTR_LOWER_SAFE,			/* the smaller value */
	FTR_HIGHER_SAFE,		/* the bigger value */
	FTR_HIGHER_OR_ZERO_SAFE,	/* the bigger one, but 0 is the biggest */
	FTR_EXACT,			/* .safe only */
};

/* A field with other than the usual rule (4 bits, unsigned, FTR_LOWER_SAFE). */
struct id_ftr {
	u8 shift;
	u8 width;
	bool sign;
	u8 type;
	u8 safe;			/* FTR_EXACT's safe value */
};

enum id_kind {
	ID_FEATURE,			/* arm64_check_features() */
	ID_CLIDR,			/* set_clidr(): RES0 bits only */
	ID_IMPLEMENTATION,		/* any value in the mask, if the VM allows */
};

struct id_writable {
	u32 enc;
	u8 kind;
	u64 writable;			/* KVM's sys_reg_desc .val */
	u64 ftr;			/* the bits cpufeature.c's fields cover */
	const struct id_ftr *special;	/* fields not of the usual rule */
	unsigned int nr_special;
};

#define F(s, w, sg, t, sf)	{ .shift = s, .width = w, .sign = sg, .type = t, .safe = sf }
#define SPECIAL(a)		.special = a, .nr_special = ARRAY_SIZE(a)

static const struct id_ftr pfr0_ftr[] = {
	F(20, 4, true, FTR_LOWER_SAFE, 0),	/* AdvSIMD */
	F(16, 4, true, FTR_LOWER_SAFE, 0),	/* FP */
};
static const struct id_ftr pfr1_ftr[] = {
	F(40, 4, true, FTR_LOWER_SAFE, 0),	/* MTE_frac */
};
static const struct id_ftr fpfr0_ftr[] = {
	F(31, 1, false, FTR_EXACT, 0), F(30, 1, false, FTR_EXACT, 0),
	F(29, 1, false, FTR_EXACT, 0), F(28, 1, false, FTR_EXACT, 0),
	F(27, 1, false, FTR_EXACT, 0), F(26, 1, false, FTR_EXACT, 0),
	F(15, 1, false, FTR_EXACT, 0), F(1, 1, false, FTR_EXACT, 0),
	F(0, 1, false, FTR_EXACT, 0),
};
/* PMUVer and DebugVer: FTR_EXACT to the host, lower is safe to KVM */
static const struct id_ftr dfr0_ftr[] = {
	F(36, 4, true, FTR_LOWER_SAFE, 0),	/* DoubleLock */
};
static const struct id_ftr isar1_ftr[] = {
	F(8, 4, false, FTR_EXACT, 0),		/* API */
	F(4, 4, false, FTR_EXACT, 0),		/* APA */
};
static const struct id_ftr isar2_ftr[] = {
	F(12, 4, false, FTR_EXACT, 0),		/* APA3 */
};
static const struct id_ftr mmfr0_ftr[] = {
	F(40, 4, false, FTR_EXACT, 1),		/* TGran4_2 */
	F(36, 4, false, FTR_EXACT, 1),		/* TGran64_2 */
	F(32, 4, false, FTR_EXACT, 1),		/* TGran16_2 */
	F(28, 4, true, FTR_LOWER_SAFE, 0),	/* TGran4 */
	F(24, 4, true, FTR_LOWER_SAFE, 0),	/* TGran64 */
};
static const struct id_ftr mmfr1_ftr[] = {
	F(24, 4, false, FTR_HIGHER_SAFE, 0),	/* SpecSEI */
};
static const struct id_ftr mmfr4_ftr[] = {
	F(24, 4, true, FTR_LOWER_SAFE, 0),	/* E2H0 */
};
static const struct id_ftr ctr_ftr[] = {
	F(31, 1, false, FTR_EXACT, 1),		/* RES1 */
	F(29, 1, false, FTR_LOWER_SAFE, 0),	/* DIC */
	F(28, 1, false, FTR_LOWER_SAFE, 0),	/* IDC */
	F(24, 4, false, FTR_HIGHER_OR_ZERO_SAFE, 0),	/* CWG */
	F(20, 4, false, FTR_HIGHER_OR_ZERO_SAFE, 0),	/* ERG */
	F(16, 4, false, FTR_LOWER_SAFE, 0),	/* DminLine */
	F(14, 2, false, FTR_EXACT, 2),		/* L1Ip */
	F(0, 4, false, FTR_LOWER_SAFE, 0),	/* IminLine */
};

/*
 * Linux 7.2: the writable masks of sys_regs.c (ID_WRITABLE, ID_FILTERED
 * and the open-coded rows), over arch/arm64/tools/sysreg's field layout,
 * and the bits of cpufeature.c's ftr_id_* tables.
 */
static const struct id_writable id_writable[] = {
	{ .enc = SYS_ID_AA64PFR0_EL1, .kind = ID_FEATURE, .writable = 0xffff00f0ff00ffffULL,
	  .ftr = 0xff0fffffffffffffULL, SPECIAL(pfr0_ftr) },
	{ .enc = SYS_ID_AA64PFR1_EL1, .kind = ID_FEATURE, .writable = 0x0f00000f0000f0ffULL,
	  .ftr = 0x0f00ff000f0fffffULL, SPECIAL(pfr1_ftr) },
	{ .enc = SYS_ID_AA64PFR2_EL1, .kind = ID_FEATURE, .writable = 0x0000000f0000fff0ULL,
	  .ftr = 0x0000000f0000fff0ULL },
	{ .enc = SYS_ID_AA64ZFR0_EL1, .kind = ID_FEATURE, .writable = 0x0fffff0f0ffff0ffULL,
	  .ftr = 0x0fffff0f0ffff0ffULL },
	{ .enc = SYS_ID_AA64FPFR0_EL1, .kind = ID_FEATURE, .writable = 0x00000000fc0080ffULL,
	  .ftr = 0x00000000fc008003ULL, SPECIAL(fpfr0_ftr) },
	/* BRPs and CTX_CMPs stay: the breakpoint layout is the CPU's */
	{ .enc = SYS_ID_AA64DFR0_EL1, .kind = ID_FEATURE, .writable = 0x000000f000f00f0fULL,
	  .ftr = 0x000000fff0f0ff0fULL, SPECIAL(dfr0_ftr) },
	{ .enc = SYS_ID_AA64ISAR0_EL1, .kind = ID_FEATURE, .writable = 0xfffffffff0fffff0ULL,
	  .ftr = 0xfffffffff0fffff0ULL },
	/* the pointer authentication algorithm is the vCPU feature's */
	{ .enc = SYS_ID_AA64ISAR1_EL1, .kind = ID_FEATURE, .writable = 0xffffffff00fff00fULL,
	  .ftr = 0xffffffffffffffffULL, SPECIAL(isar1_ftr) },
	{ .enc = SYS_ID_AA64ISAR2_EL1, .kind = ID_FEATURE, .writable = 0xffffffffffff00ffULL,
	  .ftr = 0xffff0000f0ffffffULL, SPECIAL(isar2_ftr) },
	{ .enc = SYS_ID_AA64ISAR3_EL1, .kind = ID_FEATURE, .writable = 0x00000000ff0f00f0ULL,
	  .ftr = 0x00000000ff0f00f0ULL },
	{ .enc = SYS_ID_AA64MMFR0_EL1, .kind = ID_FEATURE, .writable = 0xff00ffffffffff0fULL,
	  .ftr = 0xff00ffffffffffffULL, SPECIAL(mmfr0_ftr) },
	{ .enc = SYS_ID_AA64MMFR1_EL1, .kind = ID_FEATURE, .writable = 0xffffffff0ffff00fULL,
	  .ftr = 0xf0f0ffffffffffffULL, SPECIAL(mmfr1_ftr) },
	{ .enc = SYS_ID_AA64MMFR2_EL1, .kind = ID_FEATURE, .writable = 0xf0ff000ff00fffffULL,
	  .ftr = 0xffff0fffffffffffULL },
	{ .enc = SYS_ID_AA64MMFR3_EL1, .kind = ID_FEATURE, .writable = 0x00000000000f0fffULL,
	  .ftr = 0x00000000000f0fffULL },
	{ .enc = SYS_ID_AA64MMFR4_EL1, .kind = ID_FEATURE, .writable = 0x0000000000f00000ULL,
	  .ftr = 0x000000000ff00000ULL, SPECIAL(mmfr4_ftr) },
	{ .enc = SYS_CTR_EL0, .kind = ID_FEATURE, .writable = 0x00000000300f000fULL,
	  .ftr = 0x00000000bfffc00fULL, SPECIAL(ctr_ftr) },
	/* set_clidr(): its own rules, no cpufeature fields */
	{ .enc = SYS_CLIDR_EL1, .kind = ID_CLIDR, .writable = 0x00007fffffffffffULL },
	/* IMPLEMENTATION_ID(): any value in the mask, with WRITABLE_IMP_ID_REGS */
	{ .enc = SYS_MIDR_EL1, .kind = ID_IMPLEMENTATION, .writable = 0x00000000ffffffffULL },
	{ .enc = SYS_REVIDR_EL1, .kind = ID_IMPLEMENTATION, .writable = ~0ULL },
	{ .enc = SYS_AIDR_EL1, .kind = ID_IMPLEMENTATION, .writable = ~0ULL },
};

static const struct id_writable *find_writable(u32 enc)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(id_writable); i++)
		if (id_writable[i].enc == enc)
			return &id_writable[i];
	return NULL;
}

u64 kvm_id_reg_writable_mask(u32 enc)
{
	const struct id_writable *w = find_writable(enc);

	return w ? w->writable : 0;
}

static u64 ftr_mask(const struct id_ftr *f)
{
	return ((1ULL << f->width) - 1) << f->shift;
}

/* arm64_ftr_value(): the field, sign-extended when signed */
static int64_t ftr_value(const struct id_ftr *f, u64 reg)
{
	u64 v = (reg >> f->shift) & ((1ULL << f->width) - 1);

	if (f->sign && (v >> (f->width - 1)))
		return (int64_t)(v | ~((1ULL << f->width) - 1));
	return (int64_t)v;
}

/* arm64_ftr_safe_value(): what a CPU offering @cur may safely show */
static int64_t ftr_safe(const struct id_ftr *f, int64_t new, int64_t cur)
{
	switch (f->type) {
	case FTR_EXACT:
		return f->safe;
	case FTR_LOWER_SAFE:
		return new < cur ? new : cur;
	case FTR_HIGHER_OR_ZERO_SAFE:
		if (!cur || !new)
			return 0;
		/* fall through */
	default:
		return new > cur ? new : cur;
	}
}

/* Is @f's field of @val safe against @limit's?  Adds it to *checked. */
static bool field_ok(const struct id_ftr *f, u64 writable, u64 val, u64 limit,
		     u64 *checked)
{
	int64_t v, l;

	if ((ftr_mask(f) & writable) != ftr_mask(f))
		return true;
	*checked |= ftr_mask(f);
	v = ftr_value(f, val);
	l = ftr_value(f, limit);
	return v == l || ftr_safe(f, v, l) == v;
}

/*
 * The register-specific rules of KVM's set_id_*() before the generic
 * check; may rewrite *val.  0, or -EINVAL.
 */
static int id_reg_quirks(u32 enc, u64 *val)
{
	u64 v = *val;

	switch (enc) {
	case SYS_ID_AA64PFR0_EL1:
		/* an AArch64 EL0 and EL1 cannot be taken away */
		if (!(v & 0xf) || !((v >> 4) & 0xf))
			return -EINVAL;
		break;
	case SYS_ID_AA64DFR0_EL1:
		/* PMUVer IMP_DEF, which old KVMs showed, reads as none */
		if (((v >> 8) & 0xf) == 0xf)
			v &= ~(0xfULL << 8);
		/* DebugVer below Armv8.0 does not exist */
		if ((v & 0xf) < 6)
			return -EINVAL;
		break;
	case SYS_CTR_EL0:
		/* L1Ip VPIPT and AIVIVT are reserved */
		if (((v >> 14) & 3) < 2)
			return -EINVAL;
		break;
	}
	*val = v;
	return 0;
}

/*
 * May @kvm's userspace set the ID register @enc, whose reset value is
 * @limit, to *val?  0 (*val as it is to be stored) or -EINVAL.
 */
int kvm_id_reg_check(const struct kvm *kvm, u32 enc, u64 *val, u64 limit)
{
	const struct id_writable *w = find_writable(enc);
	u64 checked = 0, covered = 0, v;
	unsigned int i, shift;
	int ret;

	if (!w || *val == limit)
		return *val == limit ? 0 : -EINVAL;
	if (w->kind == ID_CLIDR)
		/* the CPU has CTR_EL0.IDC: any hierarchy will do */
		return (*val & ~w->writable) ? -EINVAL : 0;
	if (w->kind == ID_IMPLEMENTATION)
		return kvm->writable_imp_id_regs && !(*val & ~w->writable) ? 0 : -EINVAL;
	ret = id_reg_quirks(enc, val);
	if (ret)
		return ret;
	v = *val;
	for (i = 0; i < w->nr_special; i++) {
		covered |= ftr_mask(&w->special[i]);
		if (!field_ok(&w->special[i], w->writable, v, limit, &checked))
			return -EINVAL;
	}
	/* the other described fields: 4 bits, unsigned, lower is safe */
	for (shift = 0; shift < 64; shift += 4) {
		struct id_ftr f = F(shift, 4, false, FTR_LOWER_SAFE, 0);

		if ((w->ftr & ftr_mask(&f)) != ftr_mask(&f) || (covered & ftr_mask(&f)))
			continue;
		if (!field_ok(&f, w->writable, v, limit, &checked))
			return -EINVAL;
	}
	return (v & ~checked) == (limit & ~checked) ? 0 : -EINVAL;
}

/*
 * KVM_ARM_GET_REG_WRITABLE_MASKS: one u64 per feature-ID encoding, 0
 * for the registers userspace cannot change.
 */
int kvm_vm_ioctl_get_reg_writable_masks(struct kvm *kvm, const struct reg_mask_range *range)
{
	u64 masks[KVM_ARM_FEATURE_ID_RANGE_SIZE] = { 0 };
	size_t i;

	(void)kvm;
	if (range->range != KVM_ARM_FEATURE_ID_RANGE)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(range->reserved); i++)
		if (range->reserved[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(id_writable); i++) {
		u32 enc = id_writable[i].enc;

		masks[KVM_ARM_FEATURE_ID_RANGE_IDX(SYS_REG_OP0(enc), SYS_REG_OP1(enc),
						   SYS_REG_CRN(enc), SYS_REG_CRM(enc),
						   SYS_REG_OP2(enc))] = id_writable[i].writable;
	}
	return copy_to_user((void *)(uintptr_t)range->addr, masks, sizeof(masks));
}
