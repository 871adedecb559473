// SPDX-License-Identifier: GPL-2.0
/*
 * The ID registers against the instructions (issue: "no advertised
 * encoding is UNDEFINED, no unadvertised feature's encoding executes").
 *
 * A vkvm VM with SVE (128-512 bits) as vmm makes it; the guest-visible ID
 * registers are read through ONE_REG, as a guest's MRS sees them.  Each
 * sample of samples.S runs alone at EL1 (FP/SIMD and SVE enabled, every X
 * register pointing into a mapped buffer); it was UNDEFINED when it took an
 * exception with EC 0 at its own address.  A sample of an advertised
 * feature must not be UNDEFINED; one of an absent feature must be.  One
 * TAP point per feature, the samples counted in its description.
 *
 * Then the whole decode table (kernel/cpu/a64.def, table.c): for every
 * row, IW_PER_ROW encodings that decode to it (the row's match with its
 * free bits from a fixed-seed generator; branch offsets pointing at the
 * next word, MSR/MRS on TPIDR_EL1), each run the same way: it must
 * execute iff the feature table.c gives it is advertised.  One TAP point
 * per class.  ESR_EL1, ELR_EL1 and SPSR_EL1 hold sentinels before each
 * run, so that only an exception the word itself takes counts, and ERET
 * returns to the end of the case.
 *
 * All of it three times: a vCPU without any optional feature and with
 * ID_AA64MMFR2_EL1.AT (FEAT_LSE2) hidden through the writable ID
 * registers (the engine consults that field: unaligned atomics must then
 * fault); with SVE; with SVE, pointer authentication and PMUv3.  The
 * other ID fields describe instructions that no CPU can trap (as under
 * KVM, hiding them does not make them UNDEFINED): the vCPU features are
 * what turns features off.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/kvm.h>
#include <vkvm.h>

#include "difftest.h"
#include "idwalk.h"

#define REG(crm, op2)	ARM64_SYS_REG(3, 0, 0, crm, op2)
#define PFR0		REG(4, 0)
#define PFR1		REG(4, 1)
#define ZFR0		REG(4, 4)
#define DFR0		REG(5, 0)
#define ISAR0		REG(6, 0)
#define ISAR1		REG(6, 1)
#define ISAR2		REG(6, 2)
#define MMFR1		REG(7, 1)
#define MMFR2		REG(7, 2)
#define ELR_EL1		VMC_CORE(elr_el1)
#define SPSR_EL1	VMC_CORE(spsr[KVM_SPSR_EL1])
#define ESR_EL1		ARM64_SYS_REG(3, 0, 5, 2, 0)
#define ESR_SENTINEL	(0x3fULL << 26)	/* an EC no exception of ours has */
#define SPSR_EL1H	0x3c5		/* EL1h, DAIF masked */
#define VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define END_IPA		0x10000000ULL	/* difftest.c's: SP at each case's start */
#define CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define ZCR_EL1		ARM64_SYS_REG(3, 0, 1, 2, 0)

extern const uint32_t idwalk_samples[], idwalk_samples_end[];

struct feature {
	const char *name;
	uint64_t reg;		/* ID register (ONE_REG id) */
	unsigned int shift;
	unsigned int min;	/* present when the field is at least this */
	bool is_signed;		/* signed field: 0xf is "not implemented" */
	bool needs_sve;		/* an ID_AA64ZFR0_EL1 field: SVE too */
	bool align;		/* absent: an alignment fault, not UNDEFINED */
};

static const struct feature features[F_NR] = {
	[F_FP16]	= { "FP16 (PFR0.FP)", PFR0, 16, 1, true },
	[F_ASIMDHP]	= { "AdvSIMD FP16 (PFR0.AdvSIMD)", PFR0, 20, 1, true },
	[F_SVE]		= { "SVE (PFR0.SVE)", PFR0, 32, 1 },
	[F_RAS]		= { "RAS (PFR0.RAS)", PFR0, 28, 1 },
	[F_AMU]		= { "AMU (PFR0.AMU)", PFR0, 44, 1 },
	[F_DIT]		= { "DIT (PFR0.DIT)", PFR0, 48, 1 },
	[F_MTE]		= { "MTE (PFR1.MTE)", PFR1, 8, 1 },
	[F_SME]		= { "SME (PFR1.SME)", PFR1, 24, 1 },
	[F_SSBS]	= { "SSBS (PFR1.SSBS)", PFR1, 4, 1 },
	[F_SSBS2]	= { "SSBS2 (PFR1.SSBS=2)", PFR1, 4, 2 },
	[F_SVE2]	= { "SVE2 (ZFR0.SVEver)", ZFR0, 0, 1, false, true },
	[F_SVE_AES]	= { "SVE AES (ZFR0.AES)", ZFR0, 4, 1, false, true },
	[F_SVE_BITPERM]	= { "SVE BitPerm (ZFR0.BitPerm)", ZFR0, 16, 1, false, true },
	[F_SVE_BF16]	= { "SVE BF16 (ZFR0.BF16)", ZFR0, 20, 1, false, true },
	[F_SVE_SHA3]	= { "SVE SHA3 (ZFR0.SHA3)", ZFR0, 32, 1, false, true },
	[F_SVE_SM4]	= { "SVE SM4 (ZFR0.SM4)", ZFR0, 40, 1, false, true },
	[F_SVE_I8MM]	= { "SVE I8MM (ZFR0.I8MM)", ZFR0, 44, 1, false, true },
	[F_SVE_F32MM]	= { "SVE F32MM (ZFR0.F32MM)", ZFR0, 52, 1, false, true },
	[F_SVE_F64MM]	= { "SVE F64MM (ZFR0.F64MM)", ZFR0, 56, 1, false, true },
	[F_PMU]		= { "PMUv3 (DFR0.PMUVer)", DFR0, 8, 1 },
	[F_AES]		= { "AES (ISAR0.AES)", ISAR0, 4, 1 },
	[F_PMULL]	= { "PMULL (ISAR0.AES=2)", ISAR0, 4, 2 },
	[F_SHA1]	= { "SHA1 (ISAR0.SHA1)", ISAR0, 8, 1 },
	[F_SHA256]	= { "SHA256 (ISAR0.SHA2)", ISAR0, 12, 1 },
	[F_SHA512]	= { "SHA512 (ISAR0.SHA2=2)", ISAR0, 12, 2 },
	[F_CRC32]	= { "CRC32 (ISAR0.CRC32)", ISAR0, 16, 1 },
	[F_LSE]		= { "LSE (ISAR0.Atomic=2)", ISAR0, 20, 2 },
	[F_RDM]		= { "RDM (ISAR0.RDM)", ISAR0, 28, 1 },
	[F_SHA3]	= { "SHA3 (ISAR0.SHA3)", ISAR0, 32, 1 },
	[F_SM3]		= { "SM3 (ISAR0.SM3)", ISAR0, 36, 1 },
	[F_SM4]		= { "SM4 (ISAR0.SM4)", ISAR0, 40, 1 },
	[F_DOTPROD]	= { "DotProd (ISAR0.DP)", ISAR0, 44, 1 },
	[F_FHM]		= { "FHM (ISAR0.FHM)", ISAR0, 48, 1 },
	[F_FLAGM]	= { "FlagM (ISAR0.TS)", ISAR0, 52, 1 },
	[F_FLAGM2]	= { "FlagM2 (ISAR0.TS=2)", ISAR0, 52, 2 },
	[F_TLBIOS]	= { "TLBIOS (ISAR0.TLB)", ISAR0, 56, 1 },
	[F_TLBIRANGE]	= { "TLBIRANGE (ISAR0.TLB=2)", ISAR0, 56, 2 },
	[F_RNG]		= { "RNG (ISAR0.RNDR)", ISAR0, 60, 1 },
	[F_DPB]		= { "DPB (ISAR1.DPB)", ISAR1, 0, 1 },
	[F_DPB2]	= { "DPB2 (ISAR1.DPB=2)", ISAR1, 0, 2 },
	[F_PAUTH]	= { "PAuth (ISAR1.APA/API, ISAR2.APA3)", ISAR1, 4, 1 },
	[F_JSCVT]	= { "JSCVT (ISAR1.JSCVT)", ISAR1, 12, 1 },
	[F_FCMA]	= { "FCMA (ISAR1.FCMA)", ISAR1, 16, 1 },
	[F_LRCPC]	= { "LRCPC (ISAR1.LRCPC)", ISAR1, 20, 1 },
	[F_LRCPC2]	= { "LRCPC2 (ISAR1.LRCPC=2)", ISAR1, 20, 2 },
	[F_PACGA]	= { "PACGA (ISAR1.GPA, ISAR2.GPA3)", ISAR1, 24, 1 },
	[F_FRINTTS]	= { "FRINTTS (ISAR1.FRINTTS)", ISAR1, 32, 1 },
	[F_SB]		= { "SB (ISAR1.SB)", ISAR1, 36, 1 },
	[F_SPECRES]	= { "SPECRES (ISAR1.SPECRES)", ISAR1, 40, 1 },
	[F_BF16]	= { "BF16 (ISAR1.BF16)", ISAR1, 44, 1 },
	[F_I8MM]	= { "I8MM (ISAR1.I8MM)", ISAR1, 52, 1 },
	[F_LS64]	= { "LS64 (ISAR1.LS64)", ISAR1, 60, 1 },
	[F_MOPS]	= { "MOPS (ISAR2.MOPS)", ISAR2, 16, 1 },
	[F_HBC]		= { "HBC (ISAR2.BC)", ISAR2, 20, 1 },
	[F_CSSC]	= { "CSSC (ISAR2.CSSC)", ISAR2, 52, 1 },
	[F_TME]		= { "TME (ISAR0.TME)", ISAR0, 24, 1 },
	[F_LOR]		= { "LOR (MMFR1.LO)", MMFR1, 16, 1 },
	[F_PAN]		= { "PAN (MMFR1.PAN)", MMFR1, 20, 1 },
	[F_UAO]		= { "UAO (MMFR2.UAO)", MMFR2, 4, 1 },
	[F_LSE2]	= { "LSE2 (MMFR2.AT)", MMFR2, 32, 1, .align = true },
};

static struct vmc V;
static uint64_t idreg[32];	/* by (crm - 4) * 8 + op2, crm 4..7 */

static uint64_t *id_slot(uint64_t reg)
{
	unsigned int crm = (reg >> KVM_REG_ARM64_SYSREG_CRM_SHIFT) & 0xf;
	unsigned int op2 = (reg >> KVM_REG_ARM64_SYSREG_OP2_SHIFT) & 0x7;

	return &idreg[((crm - 4) * 8 + op2) & 31];
}

static unsigned int id_field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(*id_slot(reg) >> shift) & 0xf;
}

static bool present(unsigned int f)
{
	const struct feature *ft;
	unsigned int v;

	if (f == IW_BASE || f == IW_HINT)
		return true;
	if (f >= F_NR)
		return false;		/* IW_EL2 at EL1, where the walk runs */
	ft = &features[f];
	v = id_field(ft->reg, ft->shift);

	if (ft->needs_sve && id_field(PFR0, 32) == 0)
		return false;
	/* Address and generic authentication: QARMA5 or IMPDEF, or QARMA3 */
	if (f == F_PAUTH)
		return v || id_field(ISAR1, 8) || id_field(ISAR2, 12);
	if (f == F_PACGA)
		return v || id_field(ISAR1, 28) || id_field(ISAR2, 8);
	if (ft->is_signed)
		return v != 0xf && v >= ft->min;
	return v >= ft->min;
}

/* Run one word: true when it was UNDEFINED (EC 0 at its own address) or,
 * with align, took an alignment fault (EC 0x25, DFSC 0x21) there */
static int undefined(uint32_t insn, bool align, bool *undef)
{
	static uint8_t buf[DIFF_BUF_SIZE];
	uint64_t x[31], fault, elr = 0;
	int ret;

	for (int i = 0; i < 31; i++)
		x[i] = DIFF_BUF_VA + DIFF_BUF_SIZE / 2;
	ret = diff_vm_load(&V, &insn, 1, x, 0, buf);
	ret = ret ?: vmc_set_reg(&V, ESR_EL1, ESR_SENTINEL);
	ret = ret ?: vmc_set_reg(&V, ELR_EL1, DIFF_ENTRY_VA + 4);
	ret = ret ?: vmc_set_reg(&V, SPSR_EL1, SPSR_EL1H);
	if (ret)
		return ret;
	fault = diff_vm_run(&V);
	/* an access KVM cannot emulate (an MMIO one without a valid
	 * syndrome: KVM_RUN fails with ENOSYS) was still executed */
	if (fault == (DIFF_FAULT_RUN | ENOSYS)) {
		*undef = false;
		return 0;
	}
	if ((fault >> 60) == (DIFF_FAULT_RUN >> 60))
		return -(int)(fault & 0xffff);
	ret = vmc_get_reg(&V, ELR_EL1, &elr);
	*undef = (fault >> 60) == (DIFF_FAULT_ESR >> 60) && elr == DIFF_ENTRY_VA &&
		 (align ? ((fault >> 26) & 0x3f) == 0x25 && (fault & 0x3f) == 0x21 :
			  ((fault >> 26) & 0x3f) == 0);
	return ret;
}

/* ---- the decode table ---------------------------------------------------- */

#define IW_PER_ROW	3		/* encodings run per row */
#define IW_TRIES	4096		/* random fillings tried per row */
#define IW_SHOW		4		/* wrong encodings shown per class */

static uint64_t iw_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Make w safe to run alone: a direct branch goes to the next word (the
 * end of the case, not a loop or a jump into the page tables), MSR and
 * MRS (register) name TPIDR_EL1 rather than a random, maybe unallocated
 * register.  The caller checks that the result still decodes to the row.
 */
static uint32_t iw_fix(const char *name, uint32_t w)
{
	if (!strcmp(name, "B") || !strcmp(name, "BL"))
		return (w & ~0x3ffffffu) | 1;
	if (!strcmp(name, "B_cond") || !strcmp(name, "CBZ") || !strcmp(name, "CBNZ"))
		return (w & ~(0x7ffffu << 5)) | 1u << 5;
	if (!strcmp(name, "TBZ") || !strcmp(name, "TBNZ"))
		return (w & ~(0x3fffu << 5)) | 1u << 5;
	if (!strcmp(name, "MSR_r"))
		return 0xd518d080;	/* msr tpidr_el1, x0 */
	if (!strcmp(name, "MRS"))
		return 0xd538d080;	/* mrs x0, tpidr_el1 */
	return w;
}

static const char *iw_feature_name(int f)
{
	return f == IW_BASE ? "Armv8.0" : f == IW_HINT ? "hint space" :
	       f == IW_EL2 ? "EL2 operation at EL1" :
	       f >= 0 && f < F_NR && features[f].name ? features[f].name : "?";
}

struct iw_class {
	const char *name;
	unsigned int rows, words, wrong, absent, nofind;
};

/*
 * Every row of the table, in this VM: IW_PER_ROW encodings each, TAP points
 * per class from *tp.  0, or 1 after a "Bail out!".
 */
static int table_walk(const char *cfg, unsigned int *tp, unsigned int *failed)
{
	struct iw_class cl[32];
	unsigned int ncl = 0, n = iw_nrows();
	uint64_t seed = 0x1d3a1b5c0ffee123ULL;

	memset(cl, 0, sizeof(cl));
	for (unsigned int i = 0; i < n; i++) {
		const char *cls, *name;
		uint32_t mask, match, got[IW_PER_ROW];
		unsigned int ngot = 0;
		struct iw_class *c;

		name = iw_row(i, &cls, &mask, &match);
		if (!name)
			break;
		if (!ncl || strcmp(cl[ncl - 1].name, cls)) {
			if (ncl == sizeof(cl) / sizeof(cl[0])) {
				printf("Bail out! more than %u classes\n", ncl);
				return 1;
			}
			cl[ncl++].name = cls;
		}
		c = &cl[ncl - 1];
		c->rows++;
		for (unsigned int t = 0; t < IW_TRIES && ngot < IW_PER_ROW; t++) {
			/* the first tries: free bits all clear, all set */
			uint64_t r = t == 0 ? 0 : t == 1 ? ~0ULL : iw_rnd(&seed);
			uint32_t w = iw_fix(name, match | ((uint32_t)r & ~mask));
			int row = iw_row_of(w);
			bool dup = false;

			if (row == -2) {
				printf("Bail out! out of memory\n");
				return 1;
			}
			for (unsigned int k = 0; k < ngot; k++)
				dup |= got[k] == w;
			if (row == (int)i && !dup)
				got[ngot++] = w;
		}
		if (!ngot && c->nofind++ < IW_SHOW)
			printf("# %s: row %s (%s): no word decodes to it\n", cfg, name, cls);
		/* WFI and WFE wait for an interrupt or event, which this VM
		 * never has: hint space, decoded (above) but not run */
		if (!strcmp(name, "WFI") || !strcmp(name, "WFE")) {
			c->words += ngot;
			continue;
		}
		for (unsigned int k = 0; k < ngot; k++) {
			int f = iw_feature(cls, name, got[k]);
			bool p, undef = false;
			int ret;

			if (f == IW_UNKNOWN) {
				if (c->wrong++ < IW_SHOW)
					printf("# %s: row %s: class %s unknown to table.c\n",
					       cfg, name, cls);
				continue;
			}
			p = present((unsigned int)f);
			ret = undefined(got[k], false, &undef);

			if (ret) {
				printf("Bail out! %s: %08x (%s): running it: %s\n", cfg, got[k],
				       name, strerror(-ret));
				return 1;
			}
			c->words++;
			c->absent += !p;
			if (undef == p && c->wrong++ < IW_SHOW)
				printf("# %s: %08x, row %s, %s %s: %s\n", cfg, got[k], name,
				       iw_feature_name(f), p ? "advertised" : "absent",
				       undef ? "UNDEFINED" : "executes");
		}
	}
	for (unsigned int k = 0; k < ncl; k++) {
		bool ok = !cl[k].wrong && !cl[k].nofind && cl[k].words;

		*failed += !ok;
		printf("%sok %u - %s: decode table, class %s: %u rows, %u encodings "
		       "(%u of absent features), %u not as advertised, %u rows without one\n",
		       ok ? "" : "not ", ++*tp, cfg, cl[k].name, cl[k].rows, cl[k].words,
		       cl[k].absent, cl[k].wrong, cl[k].nofind);
	}
	return 0;
}

/*
 * difftest.c's vectors store to [SP, #8]: a word that moved SP (ADDPL SP,
 * a pre-index store on SP, MSR SPSel) would fault again in them, forever.
 * These first set SP back to the case's (X0 is not compared here).
 */
static int sp_safe_vectors(void)
{
	static const uint32_t entry[] = {
		0xd2a00000 | (uint32_t)(END_IPA >> 16) << 5,	/* movz x0, #END_IPA */
		0x9100001f,					/* mov sp, x0 */
		0xf90007ff,					/* str xzr, [sp, #8] */
	};
	uint64_t vbar = 0;
	int ret = vmc_get_reg(&V, VBAR_EL1, &vbar);

	if (ret)
		return ret;
	for (int i = 0; i < 16; i++)
		memcpy((uint8_t *)vmc_ram(&V, vbar) + i * 128, entry, sizeof(entry));
	return 0;
}

/*
 * One configuration: a VM whose vCPU has the KVM_ARM_VCPU_INIT features
 * @vcpu_features (PMU_V3 initialized without a GIC, as KVM allows), every
 * sample run, one TAP point per feature.  0, or 1 when the VM could not
 * be made or a sample not run (Bail out! printed).
 */
static int walk(const char *cfg, bool sve, bool hide_lse2, uint32_t vcpu_features,
		unsigned int *tp, unsigned int *failed)
{
	static const uint64_t regs[] = { PFR0, PFR1, ZFR0, DFR0, ISAR0, ISAR1,
					 ISAR2, MMFR1, MMFR2 };
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS] = { 0xb };	/* 128-512 bits */
	unsigned int nsamples[F_NR] = { 0 }, wrong[F_NR] = { 0 };
	uint32_t first_wrong[F_NR] = { 0 };
	const uint32_t *s;
	int ret;

	ret = diff_vm_open_features(&V, sve ? vqs : NULL, vcpu_features);
	if (!ret && (vcpu_features & 1u << KVM_ARM_VCPU_PMU_V3)) {
		struct kvm_device_attr a = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
					     .attr = KVM_ARM_VCPU_PMU_V3_INIT };

		if (vkvm_ioctl(V.vcpu, KVM_SET_DEVICE_ATTR, &a) < 0)
			ret = -errno;
	}
	ret = ret ?: vmc_set_reg(&V, CPACR_EL1, 3ULL << 20 | 3ULL << 16);
	if (sve)
		ret = ret ?: vmc_set_reg(&V, ZCR_EL1, 15);
	ret = ret ?: sp_safe_vectors();
	/* hide FEAT_LSE2 as a VMM may, before the vCPU first runs */
	ret = ret ?: vmc_get_reg(&V, MMFR2, id_slot(MMFR2));
	if (!ret && hide_lse2 && id_field(MMFR2, 32))
		ret = vmc_set_reg(&V, MMFR2, *id_slot(MMFR2) & ~(0xfULL << 32));
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]) && !ret; i++)
		ret = vmc_get_reg(&V, regs[i], id_slot(regs[i]));
	if (!ret && hide_lse2 && id_field(MMFR2, 32))
		ret = -EINVAL;		/* the write did not stick */
	if (ret) {
		printf("Bail out! %s: the VM: %s\n", cfg, strerror(-ret));
		diff_vm_close(&V);
		return 1;
	}

	for (s = idwalk_samples; s + 1 < idwalk_samples_end; s += 2) {
		unsigned int f = s[0];
		bool undef = false;

		if (f == 0 || f >= F_NR || !features[f].name) {
			printf("Bail out! sample %u: feature %u unknown\n",
			       (unsigned int)(s - idwalk_samples) / 2, f);
			diff_vm_close(&V);
			return 1;
		}
		ret = undefined(s[1], features[f].align, &undef);
		if (ret) {
			printf("Bail out! %s: %08x: running it: %s\n", cfg, s[1],
			       strerror(-ret));
			diff_vm_close(&V);
			return 1;
		}
		nsamples[f]++;
		if (undef == present(f) && !wrong[f]++)
			first_wrong[f] = s[1];
	}

	for (unsigned int f = 1; f < F_NR; f++) {
		bool p = present(f), ok = nsamples[f] && !wrong[f];

		*failed += !ok;
		printf("%sok %u - %s: %s: %s, %u of %u samples %s", ok ? "" : "not ",
		       ++*tp, cfg, features[f].name ? features[f].name : "?",
		       p ? "advertised" : "absent", nsamples[f] - wrong[f],
		       nsamples[f], p ? "execute" : features[f].align ? "fault (alignment)" : "UNDEFINED");
		if (wrong[f])
			printf(" (first wrong: %08x)", first_wrong[f]);
		printf("\n");
	}
	ret = table_walk(cfg, tp, failed);
	diff_vm_close(&V);
	return ret;
}

/*
 * Three times: the vCPU with no optional feature and FEAT_LSE2 hidden;
 * with SVE; with every optional vCPU feature vkvm offers (SVE, pointer
 * authentication, PMUv3), whose ID fields the features switch on.
 */
int main(void)
{
	unsigned int failed = 0, tp = 0, nclasses = 0;
	const char *prev = "", *cls;
	uint32_t mask, match;

	for (unsigned int i = 0; iw_row(i, &cls, &mask, &match); i++)
		if (strcmp(cls, prev)) {
			nclasses++;
			prev = cls;
		}
	printf("1..%u\n", 3 * (F_NR - 1 + nclasses));
	if (walk("base", false, true, 0, &tp, &failed) ||
	    walk("sve", true, false, 0, &tp, &failed) ||
	    walk("sve+ptrauth+pmu", true, false, 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
		 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC | 1u << KVM_ARM_VCPU_PMU_V3,
		 &tp, &failed))
		return 1;
	return failed ? 1 : 0;
}
