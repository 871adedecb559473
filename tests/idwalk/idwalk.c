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
 * TAP point per feature, the samples counted in its description; the
 * whole walk twice, without and with the optional vCPU features.
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
	const struct feature *ft = &features[f];
	unsigned int v = id_field(ft->reg, ft->shift);

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
	if (ret)
		return ret;
	fault = diff_vm_run(&V);
	if ((fault >> 60) == (DIFF_FAULT_RUN >> 60))
		return -(int)(fault & 0xffff);
	ret = vmc_get_reg(&V, ELR_EL1, &elr);
	*undef = (fault >> 60) == (DIFF_FAULT_ESR >> 60) && elr == DIFF_ENTRY_VA &&
		 (align ? ((fault >> 26) & 0x3f) == 0x25 && (fault & 0x3f) == 0x21 :
			  ((fault >> 26) & 0x3f) == 0);
	return ret;
}

/*
 * One configuration: a VM whose vCPU has the KVM_ARM_VCPU_INIT features
 * @vcpu_features (PMU_V3 initialized without a GIC, as KVM allows), every
 * sample run, one TAP point per feature.  0, or 1 when the VM could not
 * be made or a sample not run (Bail out! printed).
 */
static int walk(const char *cfg, uint32_t vcpu_features, unsigned int *tp,
		unsigned int *failed)
{
	static const uint64_t regs[] = { PFR0, PFR1, ZFR0, DFR0, ISAR0, ISAR1,
					 ISAR2, MMFR1, MMFR2 };
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS] = { 0xb };	/* 128-512 bits */
	unsigned int nsamples[F_NR] = { 0 }, wrong[F_NR] = { 0 };
	uint32_t first_wrong[F_NR] = { 0 };
	const uint32_t *s;
	int ret;

	ret = diff_vm_open_features(&V, vqs, vcpu_features);
	if (!ret && (vcpu_features & 1u << KVM_ARM_VCPU_PMU_V3)) {
		struct kvm_device_attr a = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
					     .attr = KVM_ARM_VCPU_PMU_V3_INIT };

		if (vkvm_ioctl(V.vcpu, KVM_SET_DEVICE_ATTR, &a) < 0)
			ret = -errno;
	}
	ret = ret ?: vmc_set_reg(&V, CPACR_EL1, 3ULL << 20 | 3ULL << 16);
	ret = ret ?: vmc_set_reg(&V, ZCR_EL1, 15);
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]) && !ret; i++)
		ret = vmc_get_reg(&V, regs[i], id_slot(regs[i]));
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
	diff_vm_close(&V);
	return 0;
}

/*
 * Twice: the vCPU as vmc makes it (SVE only), then with every optional
 * vCPU feature vkvm offers (pointer authentication, PMUv3), whose ID
 * fields the features switch on.
 */
int main(void)
{
	unsigned int failed = 0, tp = 0;

	printf("1..%u\n", 2 * (F_NR - 1));
	if (walk("sve", 0, &tp, &failed) ||
	    walk("sve+ptrauth+pmu", 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
		 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC | 1u << KVM_ARM_VCPU_PMU_V3,
		 &tp, &failed))
		return 1;
	return failed ? 1 : 0;
}
