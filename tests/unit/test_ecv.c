// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_ECV, level 1 (ID_AA64MMFR0_EL1.ECV 1): the self-synchronized
 * counts CNTPCTSS_EL0 and CNTVCTSS_EL0, CNTHCTL_EL2's EL1TVT, EL1TVCT,
 * EL1NVPCT and EL1NVVCT traps (EC 0x18 with the MRS/MSR ISS) in both
 * E2H layouts and under NV2, and EVNTIS in both event streams.
 */
#include <stdlib.h>

#include "el2_vm.h"

#define MMFR0		SYSREG(ID_AA64MMFR0_EL1)
#define MRS(rt, enc)	(0xd5200000u | ((uint32_t)(enc) << 5) | (rt))
#define MSR(enc, rt)	(0xd5000000u | ((uint32_t)(enc) << 5) | (rt))
#define EL02(enc)	(((enc) & ~(7u << 11)) | (5u << 11))
#define SVC0		0xd4000001u
#define WFE		0xd503205fu
#define ESR_UNDEF	0x02000000u
#define ESR_HVC5	0x5a000005u
#define ESR_SVC0	0x56000000u
#define CNTVOFF		(1ULL << 40)
#define VNCR_PAGE	(RAM_GPA + 0x8000)
#define CNTHCTL_EVNTEN	(1ULL << 2)
#define EVNTI(n)	((uint64_t)(n) << 4)

/* ESR of an MRS (read) or MSR of @enc with Rt @rt trapped: EC 0x18, IL, ISS */
static uint64_t esr_sys(uint32_t enc, unsigned int rt, bool read)
{
	return 0x62000000u | ((uint32_t)SYS_REG_OP0(enc) << 20) |
	       ((uint32_t)SYS_REG_OP2(enc) << 17) | ((uint32_t)SYS_REG_OP1(enc) << 14) |
	       ((uint32_t)SYS_REG_CRN(enc) << 10) | (rt << 5) |
	       ((uint32_t)SYS_REG_CRM(enc) << 1) | read;
}

/* @insn then HVC #5 at @pstate (below EL2) end at EL2 with @esr, ELR_EL2 @elr */
static void to_el2(struct el2vm *v, uint64_t pstate, uint32_t insn, uint64_t esr, uint64_t elr)
{
	const uint32_t code[] = { insn, HVC(5) };

	ck_assert_uint_eq(el2vm_run(v, pstate, code, 2), VBAR2 + LOW_SYNC);
	ck_assert_msg(el2vm_reg(v, SYSREG(ESR_EL2)) == esr, "insn %#x: ESR_EL2 %#lx, not %#lx",
		      insn, (unsigned long)el2vm_reg(v, SYSREG(ESR_EL2)), (unsigned long)esr);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ELR_EL2)), elr);
}

/* @insn at @pstate traps to EL2 with @esr, ELR_EL2 at it */
static void trap2(struct el2vm *v, uint64_t pstate, uint32_t insn, uint64_t esr)
{
	to_el2(v, pstate, insn, esr, CODE);
}

/* @insn at EL1 completes: the HVC after it is taken */
static void done1(struct el2vm *v, uint32_t insn)
{
	to_el2(v, EL1H, insn, ESR_HVC5, CODE + 8);
}

/* @insn at EL0 completes: the SVC after it is taken (to EL1, or EL2 under TGE) */
static void done0(struct el2vm *v, uint32_t insn, bool tge)
{
	const uint32_t code[] = { insn, SVC0 };

	ck_assert_uint_eq(el2vm_run(v, 0, code, 2), (tge ? VBAR2 : VBAR1) + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(v, tge ? SYSREG(ESR_EL2) : SYSREG(ESR_EL1)), ESR_SVC0);
}

/* ECV 1 on every vCPU; lower is safe (0), higher (2) is not */
START_TEST(ecv_id_reg)
{
	static const uint32_t cntvctss[] = { MRS(1, SYS_CNTVCTSS_EL0), HVC(5) };
	static const uint32_t cnthctl[] = { MSR(SYS_CNTHCTL_EL2, 1), HVC(5) };
	struct el2vm v;
	struct tvm t;
	uint64_t val;

	tvm_create_init(&t, 0);
	val = get_reg64(t.vcpu, MMFR0);
	ck_assert_uint_eq(val >> 60, 1);
	val += 1ULL << 60;
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &val), -EINVAL);
	val &= ~(0xfULL << 60);
	ck_assert_int_eq(set_reg(t.vcpu, MMFR0, &val), 0);
	ck_assert_uint_eq(get_reg64(t.vcpu, MMFR0), val);
	tvm_destroy(&t);

	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	ck_assert_uint_eq(el2vm_reg(&v, MMFR0) >> 60, 1);
	el2vm_destroy(&v);
	el2vm_create(&v);
	ck_assert_uint_eq(el2vm_reg(&v, MMFR0) >> 60, 1);
	/* ECV 1: CNTVCTSS_EL0 reads, CNTHCTL_EL2 keeps bits 13-17 */
	el2vm_put(&v, X(1), 0);
	done1(&v, cntvctss[0]);
	ck_assert_uint_ne(el2vm_reg(&v, X(1)), 0);
	el2vm_put(&v, X(1), ~0ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, cnthctl, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CNTHCTL_EL2)), 0xff | (0x1fULL << 13));
	el2vm_destroy(&v);

	/* userspace's ECV 0: no CNTVCTSS_EL0 (UNDEFINED), bits 13-17 RES0 */
	el2vm_create(&v);
	el2vm_put(&v, MMFR0, el2vm_reg(&v, MMFR0) & ~(0xfULL << 60));
	ck_assert_uint_eq(el2vm_run(&v, EL1H, cntvctss, 2), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), ESR_UNDEF);
	el2vm_put(&v, X(1), ~0ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, cnthctl, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CNTHCTL_EL2)), 0xff);
	el2vm_destroy(&v);
}
END_TEST

/*
 * CNTPCTSS_EL0 and CNTVCTSS_EL0 are CNTPCT_EL0 and CNTVCT_EL0: the same
 * offsets at EL1 and EL2 (E2H 0), the same EL0 gates and EL1PCTEN trap.
 */
START_TEST(ecv_self_synchronized)
{
	static const uint32_t counts[] = {
		MRS(1, SYS_CNTPCT_EL0), MRS(2, SYS_CNTVCTSS_EL0),
		MRS(3, SYS_CNTPCTSS_EL0), MRS(4, SYS_CNTVCT_EL0), HVC(5),
	};
	static const uint64_t pstates[] = { EL1H, EL2H };
	struct el2vm v;
	unsigned int i;

	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	el2vm_put(&v, SYSREG(CNTVOFF_EL2), CNTVOFF);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	for (i = 0; i < 2; i++) {
		uint64_t x1, x2, x3, x4;

		ck_assert_uint_eq(el2vm_run(&v, pstates[i], counts, 5),
				  VBAR2 + (i ? CUR_SYNC : LOW_SYNC));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_HVC5);
		x1 = el2vm_reg(&v, X(1));
		x2 = el2vm_reg(&v, X(2));
		x3 = el2vm_reg(&v, X(3));
		x4 = el2vm_reg(&v, X(4));
		ck_assert(x1 <= x3);
		ck_assert(x1 - CNTVOFF <= x2 && x2 <= x3 - CNTVOFF);
		ck_assert(x2 <= x4 && x4 - x2 < (1ULL << 32));
	}
	/* EL0: CNTKCTL_EL1.EL0PCTEN/EL0VCTEN clear trap to EL1 with their ISS */
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), 0);
	ck_assert_uint_eq(el2vm_run(&v, 0, &counts[1], 1), VBAR1 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), esr_sys(SYS_CNTVCTSS_EL0, 2, true));
	ck_assert_uint_eq(el2vm_run(&v, 0, &counts[2], 1), VBAR1 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), esr_sys(SYS_CNTPCTSS_EL0, 3, true));
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0VCTEN | CNTKCTL_EL0PCTEN);
	done0(&v, counts[1], false);
	done0(&v, counts[2], false);
	/* CNTHCTL_EL2.EL1PCTEN clear: CNTPCTSS_EL0 at EL1 and EL0 to EL2 */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCEN);
	trap2(&v, EL1H, counts[2], esr_sys(SYS_CNTPCTSS_EL0, 3, true));
	trap2(&v, 0, counts[2], esr_sys(SYS_CNTPCTSS_EL0, 3, true));
	done1(&v, counts[1]);
	el2vm_destroy(&v);
}
END_TEST

/*
 * E2H 0: EL1TVCT traps CNTVCT_EL0 and CNTVCTSS_EL0 at EL1 and EL0 (after
 * EL0's CNTKCTL_EL1 gate), EL1TVT the virtual timer's CTL, CVAL and TVAL,
 * reads and writes; neither the physical counter or timer, nor EL2.
 */
START_TEST(ecv_traps_e2h0)
{
	static const uint32_t vcount[] = { MRS(1, SYS_CNTVCT_EL0), MRS(2, SYS_CNTVCTSS_EL0) };
	static const uint32_t vtimer[] = {
		MRS(1, SYS_CNTV_CTL_EL0), MSR(SYS_CNTV_CTL_EL0, 2),
		MRS(3, SYS_CNTV_CVAL_EL0), MSR(SYS_CNTV_CVAL_EL0, 4),
		MRS(5, SYS_CNTV_TVAL_EL0), MSR(SYS_CNTV_TVAL_EL0, 6),
	};
	static const uint32_t others[] = {
		MRS(1, SYS_CNTPCT_EL0), MRS(1, SYS_CNTPCTSS_EL0), MRS(1, SYS_CNTP_CTL_EL0),
		MSR(SYS_CNTP_CVAL_EL0, 1), MRS(1, SYS_CNTFRQ_EL0),
	};
	const uint64_t base = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
	struct el2vm v;
	unsigned int i;

	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0VCTEN | CNTKCTL_EL0PCTEN |
		  CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN);
	/* neither bit: nothing traps */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base);
	for (i = 0; i < 2; i++)
		done1(&v, vcount[i]);
	for (i = 0; i < 6; i++)
		done1(&v, vtimer[i]);

	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1TVCT);
	for (i = 0; i < 2; i++) {
		trap2(&v, EL1H, vcount[i], esr_sys(i ? SYS_CNTVCTSS_EL0 : SYS_CNTVCT_EL0,
						   i + 1, true));
		trap2(&v, 0, vcount[i], esr_sys(i ? SYS_CNTVCTSS_EL0 : SYS_CNTVCT_EL0,
						i + 1, true));
	}
	for (i = 0; i < 6; i++)
		done1(&v, vtimer[i]);
	for (i = 0; i < 5; i++)
		done1(&v, others[i]);
	/* at EL2 nothing traps (E2H 0: the virtual count, CNTV_CTL_EL0 itself) */
	for (i = 0; i < 2; i++) {
		const uint32_t code[] = { vcount[i], HVC(5) };

		ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 2), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_HVC5);
	}
	/* EL0's own gate first: EL0VCTEN clear traps to EL1 */
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0PCTEN | CNTKCTL_EL0VTEN);
	ck_assert_uint_eq(el2vm_run(&v, 0, vcount, 1), VBAR1 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), esr_sys(SYS_CNTVCT_EL0, 1, true));
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0VCTEN | CNTKCTL_EL0PCTEN |
		  CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN);

	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1TVT);
	for (i = 0; i < 6; i++) {
		uint32_t enc = (vtimer[i] >> 5) & 0xffff;
		bool read = vtimer[i] & (1u << 21);

		trap2(&v, EL1H, vtimer[i], esr_sys(enc, i + 1, read));
		trap2(&v, 0, vtimer[i], esr_sys(enc, i + 1, read));
	}
	for (i = 0; i < 2; i++)
		done1(&v, vcount[i]);
	for (i = 0; i < 5; i++)
		done1(&v, others[i]);
	el2vm_destroy(&v);
}
END_TEST

/*
 * E2H 1 (FEAT_VHE): the same bits of the E2H layout trap EL1, and EL0
 * with TGE clear; in the EL2&0 regime (E2H, TGE) they do not apply, nor
 * at EL2, where CNTV_*_EL0 are CNTHV_* and the _EL02 forms reach EL1's.
 */
START_TEST(ecv_traps_e2h1)
{
	static const uint32_t cntvct = MRS(1, SYS_CNTVCT_EL0), cntv_ctl = MRS(1, SYS_CNTV_CTL_EL0);
	static const uint32_t el2[] = {
		MRS(1, SYS_CNTVCT_EL0), MRS(2, SYS_CNTV_CTL_EL0), MRS(3, EL02(SYS_CNTV_CTL_EL0)),
		MSR(EL02(SYS_CNTV_CVAL_EL0), 4), MSR(EL02(SYS_CNTP_CTL_EL0), 5), HVC(5),
	};
	const uint64_t traps = CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT | CNTHCTL_EL1NVPCT |
			       CNTHCTL_EL1NVVCT;
	struct el2vm v;

	el2vm_create(&v);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_E2H | HCR_RW);
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), CNTKCTL_EL0VCTEN | CNTKCTL_EL0VTEN);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_E2H_EL1PCTEN | CNTHCTL_E2H_EL1PTEN | traps);
	trap2(&v, EL1H, cntvct, esr_sys(SYS_CNTVCT_EL0, 1, true));
	trap2(&v, EL1H, cntv_ctl, esr_sys(SYS_CNTV_CTL_EL0, 1, true));
	trap2(&v, 0, cntvct, esr_sys(SYS_CNTVCT_EL0, 1, true));
	trap2(&v, 0, cntv_ctl, esr_sys(SYS_CNTV_CTL_EL0, 1, true));
	ck_assert_uint_eq(el2vm_run(&v, EL2H, el2, 6), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), ESR_HVC5);
	/* EL0 in EL2&0: its gates are CNTHCTL_EL2's EL0 bits, not these */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_E2H | HCR_TGE | HCR_RW);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTKCTL_EL0VCTEN | CNTKCTL_EL0VTEN | traps);
	done0(&v, cntvct, true);
	done0(&v, cntv_ctl, true);
	/* ... and written with E2H, the layout keeps them beside the EL0 bits */
	{
		static const uint32_t msr[] = { MSR(SYS_CNTHCTL_EL2, 1), HVC(5) };

		el2vm_put(&v, X(1), ~0ULL);
		ck_assert_uint_eq(el2vm_run(&v, EL2H, msr, 2), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(CNTHCTL_EL2)), 0xfff | (0x1fULL << 13));
	}
	el2vm_destroy(&v);
}
END_TEST

/* The VNCR page's words, each its index with a tag; the page */
static uint64_t *vncr_fill(struct el2vm *v)
{
	uint64_t *page = (uint64_t *)(void *)(v->ram + (VNCR_PAGE - RAM_GPA) / 4);
	unsigned int i;

	for (i = 0; i < 512; i++)
		page[i] = 0xa5a5000000000000ULL | i;
	return page;
}

/* An MRS of @enc at EL1 under NV2 loads the VNCR page's word at @off */
static void vncr_load(struct el2vm *v, uint32_t enc, uint16_t off)
{
	const uint32_t code[] = { MRS(2, enc), HVC(6) };

	vncr_fill(v);
	ck_assert_uint_eq(el2vm_run(v, EL1H, code, 2), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ESR_EL2)), 0x5a000006);
	ck_assert_uint_eq(el2vm_reg(v, X(2)), 0xa5a5000000000000ULL | (off / 8u));
}

/* An access at EL1 under NV2 traps to EL2, the VNCR page untouched */
static void vncr_trap(struct el2vm *v, uint32_t insn, uint64_t esr)
{
	uint64_t *page = vncr_fill(v);
	unsigned int i;

	trap2(v, EL1H, insn, esr);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(page[i], 0xa5a5000000000000ULL | i);
}

/*
 * Under HCR_EL2.{NV,NV2} (FEAT_NV2, a VHE vCPU's): with NV1 (an E2H 0
 * guest hypervisor) EL1TVT traps CNTV_{CTL,CVAL}_EL0 before the VNCR
 * page; without NV1 (an E2H 1 one) EL1NVVCT traps CNTV_{CTL,CVAL}_EL02,
 * EL1NVPCT CNTP_{CTL,CVAL}_EL02, each alone, which otherwise are memory.
 */
START_TEST(ecv_nv2)
{
	const uint64_t base = CNTHCTL_E2H_EL1PCTEN | CNTHCTL_E2H_EL1PTEN;
	const uint32_t vctl = SYS_CNTV_CTL_EL0, vcval = SYS_CNTV_CVAL_EL0;
	const uint32_t pctl = SYS_CNTP_CTL_EL0, pcval = SYS_CNTP_CVAL_EL0;
	struct el2vm v;

	el2vm_create(&v);
	el2vm_put(&v, SYSREG(VNCR_EL2), VNCR_PAGE);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_E2H | HCR_RW | HCR_NV | HCR_NV1 | HCR_NV2);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base);
	vncr_load(&v, vctl, 0x170);
	vncr_load(&v, vcval, 0x168);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1TVT);
	vncr_trap(&v, MRS(1, vctl), esr_sys(vctl, 1, true));
	vncr_trap(&v, MSR(vcval, 1), esr_sys(vcval, 1, false));
	vncr_load(&v, pctl, 0x180);
	/* EL1NVVCT and EL1NVPCT are not for NV1's EL1 encodings */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1NVVCT | CNTHCTL_EL1NVPCT);
	vncr_load(&v, vctl, 0x170);
	vncr_load(&v, pctl, 0x180);

	el2vm_put(&v, SYSREG(HCR_EL2), HCR_E2H | HCR_RW | HCR_NV | HCR_NV2);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base);
	vncr_load(&v, EL02(vctl), 0x170);
	vncr_load(&v, EL02(pcval), 0x178);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1NVVCT);
	vncr_trap(&v, MRS(1, EL02(vctl)), esr_sys(EL02(vctl), 1, true));
	vncr_trap(&v, MSR(EL02(vcval), 1), esr_sys(EL02(vcval), 1, false));
	vncr_load(&v, EL02(pctl), 0x180);
	vncr_load(&v, EL02(pcval), 0x178);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1NVPCT);
	vncr_trap(&v, MSR(EL02(pctl), 1), esr_sys(EL02(pctl), 1, false));
	vncr_trap(&v, MRS(1, EL02(pcval)), esr_sys(EL02(pcval), 1, true));
	vncr_load(&v, EL02(vctl), 0x170);
	vncr_load(&v, EL02(vcval), 0x168);
	/* EL1TVT without NV1: CNTV_CTL_EL0 is EL1's own register, trapped */
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), base | CNTHCTL_EL1TVT);
	vncr_trap(&v, MRS(1, vctl), esr_sys(vctl, 1, true));
	el2vm_destroy(&v);
}
END_TEST

/*
 * WFE three times at @pstate (the first may find an event pending) with
 * count register @cnt read after the last two: their distance in ticks.
 */
static uint64_t wfe_period(struct el2vm *v, uint64_t pstate, uint32_t cnt)
{
	const uint32_t code[] = { WFE, WFE, MRS(1, cnt), WFE, MRS(2, cnt), HVC(5) };

	ck_assert_uint_eq(el2vm_run(v, pstate, code, 6),
			  VBAR2 + (pstate == EL2H ? CUR_SYNC : LOW_SYNC));
	ck_assert_uint_eq(el2vm_reg(v, SYSREG(ESR_EL2)), ESR_HVC5);
	return el2vm_reg(v, X(2)) - el2vm_reg(v, X(1));
}

/*
 * The event streams, EVNTI 15: an edge of count bit 15 every 2^16 ticks
 * (1 ms), with EVNTIS of bit 23 every 2^23 (134 ms): a WFE woken by the
 * stream ends at the next one.  CNTKCTL_EL1's on the virtual count at
 * EL1; CNTHCTL_EL2's on the physical count at EL2, where nothing else
 * ends that WFE.  With ECV 0 EVNTIS is RES0.
 */
START_TEST(ecv_evntis)
{
	const uint64_t stream = CNTHCTL_EVNTEN | EVNTI(15);
	struct el2vm v;
	uint64_t d;

	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), stream);
	d = wfe_period(&v, EL1H, SYS_CNTVCT_EL0);
	ck_assert_msg(d < (1ULL << 22), "EVNTI 15: %lu ticks", (unsigned long)d);
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), stream | CNTKCTL_EVNTIS);
	d = wfe_period(&v, EL1H, SYS_CNTVCT_EL0);
	ck_assert_msg(d >= (1ULL << 22), "EVNTIS: %lu ticks", (unsigned long)d);

	el2vm_put(&v, SYSREG(CNTKCTL_EL1), 0);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | stream);
	d = wfe_period(&v, EL2H, SYS_CNTPCT_EL0);
	ck_assert_msg(d < (1ULL << 22), "EL2 EVNTI 15: %lu ticks", (unsigned long)d);
	el2vm_put(&v, SYSREG(CNTHCTL_EL2), CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | stream |
		  CNTHCTL_EVNTIS);
	d = wfe_period(&v, EL2H, SYS_CNTPCT_EL0);
	ck_assert_msg(d >= (1ULL << 22), "EL2 EVNTIS: %lu ticks", (unsigned long)d);
	el2vm_destroy(&v);

	/* ECV 0: EVNTIS has no effect (and CNTKCTL_EL1 keeps it as state) */
	el2vm_create_f(&v, F(HAS_EL2_E2H0));
	el2vm_put(&v, MMFR0, el2vm_reg(&v, MMFR0) & ~(0xfULL << 60));
	el2vm_put(&v, SYSREG(CNTKCTL_EL1), stream | CNTKCTL_EVNTIS);
	d = wfe_period(&v, EL1H, SYS_CNTVCT_EL0);
	ck_assert_msg(d < (1ULL << 22), "ECV 0: %lu ticks", (unsigned long)d);
	el2vm_destroy(&v);
}
END_TEST

Suite *ecv_suite(void)
{
	return CHECK_SUITE("ecv", 30, ecv_id_reg, ecv_self_synchronized, ecv_traps_e2h0,
			   ecv_traps_e2h1, ecv_nv2, ecv_evntis);
}
