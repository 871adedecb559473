// SPDX-License-Identifier: GPL-2.0
/*
 * AT at EL2 and the cacheability controls (kernel/cpu/exec_maint.c,
 * at_s1_attr()): with the regime's SCTLR.C clear a data access to Normal
 * memory is Normal Non-cacheable (Arm ARM AArch64.S1Translate, the
 * !AArch64.S1DCacheEnabled() case; AT is not a fetch), so PAR_EL1.ATTR
 * reads 0x44 with SH 0b10 whatever MAIR's byte, Device stays Device.
 * Linux 7.2 KVM's software walk (arch/arm64/kvm/at.c compute_par_s1())
 * does the same; its AT S1E1R fast path loads the nested guest's EL1
 * context through the _EL12 registers with HCR_EL2.E2H set and runs the
 * instruction at EL2 (el2_at_kvm_fast below replays that sequence).
 * The code runs on el2_vm.h's vCPU.
 */
#include "el2_vm.h"

#define PT		(RAM_GPA + 0x4000)
#define S2PT		(RAM_GPA + 0x6000)
#define PAGE		(CODE & ~0xfffULL)
#define MAIR		0x04ffULL	/* index 0 Normal WB, 1 Device-nGnRE */
#define SCTLR1		0x00c50078ULL	/* SCTLR_EL1's reset value: C clear */

/* PAR_EL1's success forms (bit 11 RES1) for CODE's page and for 0x1000 */
#define PAR_WB_ISH	(0xff00000000000980ULL | PAGE)	/* Normal WB, SH 0b11 */
#define PAR_NC		(0x4400000000000900ULL | PAGE)	/* Normal NC, SH 0b10 */
#define PAR_DEV		0x0400000000001900ULL		/* Device-nGnRE, SH 0b10 */

static const uint32_t at_code[] = {
	0xd5087803,	/* at   s1e1r, x3 */
	0xd5387404,	/* mrs  x4, par_el1 */
	0xd5087802,	/* at   s1e1r, x2 */
	0xd5387405,	/* mrs  x5, par_el1 */
	0xd50c7803,	/* at   s1e2r, x3 */
	0xd5387406,	/* mrs  x6, par_el1 */
	0xd50c7883,	/* at   s12e1r, x3 */
	0xd5387407,	/* mrs  x7, par_el1 */
	HVC(6),
};

/*
 * Stage 1 for both regimes (39-bit VA, 4K, level 1): the first GiB
 * Device (AttrIndx 1), RAM's GiB Normal Inner Shareable (AttrIndx 0);
 * stage 2 maps RAM's GiB Normal WB (MemAttr 0xf), not yet enabled.
 */
static void tables(struct el2vm *v)
{
	uint64_t *pt = (uint64_t *)(void *)(v->ram + 0x4000 / 4);
	uint64_t *s2 = (uint64_t *)(void *)(v->ram + 0x6000 / 4);

	pt[0] = 0x405;					/* AF, block, AttrIndx 1 */
	pt[2] = RAM_GPA | 0x401 | (3 << 8);		/* AF, block, AttrIndx 0, ISH */
	s2[0] = 0x401 | (3 << 6);			/* Device: MemAttr 0 */
	s2[2] = RAM_GPA | 0x401 | (3 << 6) | (0xfULL << 2);
	el2vm_put(v, SYSREG(MAIR_EL1), MAIR);
	el2vm_put(v, SYSREG(TCR_EL1), 25);
	el2vm_put(v, SYSREG(TTBR0_EL1), PT);
	el2vm_put(v, SYSREG(MAIR_EL2), MAIR);
	el2vm_put(v, SYSREG(TCR_EL2), 25 | (5ULL << 16));
	el2vm_put(v, SYSREG(TTBR0_EL2), PT);
	el2vm_put(v, SYSREG(VTCR_EL2), 25 | (1ULL << 6) | (5ULL << 16) | (1ULL << 31));
	el2vm_put(v, SYSREG(VTTBR_EL2), S2PT);
	el2vm_put(v, X(3), CODE);
	el2vm_put(v, X(2), 0x1000);
}

/* each regime's SCTLR.C alone decides: EL1&0's SCTLR_EL1, EL2's SCTLR_EL2 */
START_TEST(el2_at_sctlr_c)
{
	static const struct {
		uint64_t c1, c2;	/* SCTLR_EL1.C, SCTLR_EL2.C */
		uint64_t s1e1, s1e2, s12;
	} cases[] = {
		{ SCTLR_C, SCTLR_C, PAR_WB_ISH, PAR_WB_ISH, PAR_WB_ISH },
		{ 0, SCTLR_C, PAR_NC, PAR_WB_ISH, PAR_NC },
		{ SCTLR_C, 0, PAR_WB_ISH, PAR_NC, PAR_WB_ISH },
		{ 0, 0, PAR_NC, PAR_NC, PAR_NC },
	};
	struct el2vm v;
	unsigned int i;

	el2vm_create(&v);
	tables(&v);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* stage 2 on: S12E1R combines its Normal WB (NC wins) */
		el2vm_put(&v, SYSREG(HCR_EL2), HCR_VM | HCR_RW);
		el2vm_put(&v, SYSREG(SCTLR_EL1), SCTLR1 | SCTLR_M | cases[i].c1);
		/* EL2 runs through the same identity table */
		el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M | cases[i].c2);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, at_code, 9), VBAR2 + CUR_SYNC);
		ck_assert_msg(el2vm_reg(&v, X(4)) == cases[i].s1e1, "case %u: S1E1R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(4)));
		/* Device stays Device, C or not */
		ck_assert_uint_eq(el2vm_reg(&v, X(5)), PAR_DEV);
		ck_assert_msg(el2vm_reg(&v, X(6)) == cases[i].s1e2, "case %u: S1E2R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(6)));
		ck_assert_msg(el2vm_reg(&v, X(7)) == cases[i].s12, "case %u: S12E1R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(7)));
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * KVM's AT S1E1R fast path (__kvm_at_s1e01_fast()) as a VHE host runs it:
 * HCR_EL2.E2H set, TGE clear, the nested guest's SCTLR_EL1 and MAIR_EL1
 * written through SCTLR_EL12 and MAIR_EL12, then AT S1E1R at EL2.  The
 * EL1&0 regime's SCTLR_EL1.C decides, not the host's SCTLR_EL2.C.
 */
START_TEST(el2_at_kvm_fast)
{
	static const uint32_t code[] = {
		0xd51d1005,	/* msr  sctlr_el12, x5 */
		0xd51da206,	/* msr  mair_el12, x6 */
		0xd5033fdf,	/* isb */
		0xd5087803,	/* at   s1e1r, x3 */
		0xd5387404,	/* mrs  x4, par_el1 */
		HVC(6),
	};
	struct el2vm v;

	el2vm_create(&v);
	tables(&v);
	el2vm_put(&v, SYSREG(MAIR_EL1), 0);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_E2H | HCR_VM | HCR_RW);
	/* the host's EL2&0: MMU off, caches on */
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_C | SCTLR_I);
	el2vm_put(&v, X(5), SCTLR1 | SCTLR_M);
	el2vm_put(&v, X(6), MAIR);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 6), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), PAR_NC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(MAIR_EL1)), MAIR);
	el2vm_put(&v, X(5), SCTLR1 | SCTLR_M | SCTLR_C);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 6), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), PAR_WB_ISH);
	el2vm_destroy(&v);
}
END_TEST

/*
 * HCR_EL2.CD: with stage 2 on it makes stage 2's Normal memory Normal
 * Non-cacheable for data accesses (Arm ARM AArch64.S2Translate, HCR_EL2.CD),
 * so AT S12E1R reports 0x44 with SH 0b10 where stage 2's Normal WB gave
 * stage 1's WB (Linux 7.2 KVM's compute_par_s12() makes any non-Device
 * final attribute so); Device stays Device.  Stage 1 alone (AT S1E1R,
 * S1E2R) keeps its attributes, and so does S12E1R without HCR_EL2.VM.
 * HCR_EL2.ID is for instruction fetches, which AT is not: no change.
 */
START_TEST(el2_at_hcr_cd)
{
	static const uint32_t code[] = {
		0xd5087803,	/* at   s1e1r, x3 */
		0xd5387404,	/* mrs  x4, par_el1 */
		0xd50c7803,	/* at   s1e2r, x3 */
		0xd5387405,	/* mrs  x5, par_el1 */
		0xd50c7883,	/* at   s12e1r, x3 */
		0xd5387406,	/* mrs  x6, par_el1 */
		0xd50c7882,	/* at   s12e1r, x2 */
		0xd5387407,	/* mrs  x7, par_el1 */
		HVC(6),
	};
	static const struct {
		uint64_t hcr;
		uint64_t s12;		/* S12E1R of CODE's page */
	} cases[] = {
		{ HCR_VM, PAR_WB_ISH },
		{ HCR_VM | HCR_CD, PAR_NC },
		{ HCR_VM | HCR_ID, PAR_WB_ISH },
		{ HCR_VM | HCR_CD | HCR_ID, PAR_NC },
		{ HCR_CD, PAR_WB_ISH },		/* stage 2 off: CD does nothing */
	};
	struct el2vm v;
	uint64_t dev = 0;
	unsigned int i;

	el2vm_create(&v);
	tables(&v);
	el2vm_put(&v, SYSREG(SCTLR_EL1), SCTLR1 | SCTLR_M | SCTLR_C);
	el2vm_put(&v, SYSREG(SCTLR_EL2), SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		el2vm_put(&v, SYSREG(HCR_EL2), cases[i].hcr | HCR_RW);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 9), VBAR2 + CUR_SYNC);
		ck_assert_msg(el2vm_reg(&v, X(4)) == PAR_WB_ISH, "case %u: S1E1R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(4)));
		ck_assert_msg(el2vm_reg(&v, X(5)) == PAR_WB_ISH, "case %u: S1E2R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(5)));
		ck_assert_msg(el2vm_reg(&v, X(6)) == cases[i].s12, "case %u: S12E1R 0x%llx", i,
			      (unsigned long long)el2vm_reg(&v, X(6)));
		/* Device (both stages' at 0x1000): what stage 2 on gives, CD or not */
		if (i == 0)
			dev = el2vm_reg(&v, X(7));
		if (cases[i].hcr & HCR_VM)
			ck_assert_msg(el2vm_reg(&v, X(7)) == dev && !(dev >> 60), "case %u: S12E1R "
				      "of Device 0x%llx", i, (unsigned long long)el2vm_reg(&v, X(7)));
	}
	el2vm_destroy(&v);
}
END_TEST

/*
 * AT S1E1R at EL1 while stage 2 translates, of a VA whose stage-1 walk
 * reads a descriptor at an IPA stage 2 lacks: a Data Abort to EL2 (EC
 * 0x24; ISS S1PTW, CM and WnR, DFSC the stage-2 translation fault, level
 * 1), ELR_EL2 the AT, FAR_EL2 the VA, HPFAR_EL2 the descriptor's page; not
 * a PAR_EL1 with S and PTW, which only AT executed at EL2 reports (QEMU's
 * do_ats_write() agrees).  Linux's KVM maps the table and runs the AT
 * again: reporting it in PAR broke the rig's mmu spec under a nested KVM.
 */
START_TEST(el2_at_s1ptw_at_el1)
{
	static const uint32_t code[] = {
		0xd5087802,	/* at   s1e1r, x2 */
		0xd5387404,	/* mrs  x4, par_el1 */
		HVC(6),
	};
	const uint64_t va = 0xffffffffc0000000ULL;	/* TTBR1's last GiB */
	struct el2vm v;

	el2vm_create(&v);
	tables(&v);
	/* TTBR1_EL1 at IPA 0xc0000000, a GiB stage 2 does not map; T1SZ 25,
	 * TG1 4K; code fetched through TTBR0's identity map */
	el2vm_put(&v, SYSREG(TCR_EL1), 25 | (25ULL << 16) | (2ULL << 30));
	el2vm_put(&v, SYSREG(TTBR1_EL1), 0xc0000000ULL);
	el2vm_put(&v, SYSREG(SCTLR_EL1), SCTLR1 | SCTLR_M);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_VM | HCR_RW);
	el2vm_put(&v, X(2), va);
	el2vm_put(&v, X(4), 0x5a5a);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, code, 3), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x920001c5);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(FAR_EL2)), va);
	/* the level-1 descriptor of the VA: 0xc0000000 + 511 * 8 */
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(HPFAR_EL2)), 0xc00000);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x5a5a);		/* the MRS never ran */
	/* the same AT at EL2 (stage 1 of EL1&0 through stage 2): in PAR_EL1,
	 * F, FST 0x05, PTW and S, bit 11 RES1 */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0xb0b);
	el2vm_destroy(&v);
}
END_TEST

Suite *el2_at_suite(void)
{
	Suite *s = suite_create("el2_at");
	TCase *tc = tcase_create("el2_at");

	tcase_add_test(tc, el2_at_sctlr_c);
	tcase_add_test(tc, el2_at_kvm_fast);
	tcase_add_test(tc, el2_at_hcr_cd);
	tcase_add_test(tc, el2_at_s1ptw_at_el1);
	suite_add_tcase(s, tc);
	return s;
}
