// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 virtualization for a vCPU with EL2 (kernel/vgic/vgic-v3-nested.c,
 * docs/nested.md): the ICH_*_EL2 registers, the virtual CPU interface EL1
 * reaches under HCR_EL2.IMO/FMO, the maintenance interrupt (PPI 25) and
 * hardware-linked list registers.  The code is hand-assembled MRS/MSR
 * words run on el2_vm.h's vCPU, whose every vector exits to an MMIO store.
 */
#include "el2_vm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define GICD_GPA	0x08000000ULL
#define GICR_GPA	0x080a0000ULL

/* MRS Xt, reg / MSR reg, Xt from the SYS_REG() encoding */
#define MRS(reg, t)	(0xd5200000u | (uint32_t)(SYS_##reg) << 5 | (t))
#define MSR(reg, t)	(0xd5000000u | (uint32_t)(SYS_##reg) << 5 | (t))

/* list register fields */
#define LR_PENDING	(1ULL << 62)
#define LR_ACTIVE	(1ULL << 63)
#define LR_HW		(1ULL << 61)
#define LR_GROUP1	(1ULL << 60)
#define LR_EOI		(1ULL << 41)
#define LR_PRIO(p)	((uint64_t)(p) << 48)
#define LR_PINTID(i)	((uint64_t)(i) << 32)
#define VMCR_VENG0	1ULL
#define VMCR_VENG1	2ULL
#define VMCR_VPMR(p)	((uint64_t)(p) << 24)
#define ICH_EN		1ULL

static long gic_attr(int gic, unsigned long req, uint32_t group, uint64_t a, void *val)
{
	struct kvm_device_attr at = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)val };

	return kio(gic, req, &at);
}

static uint32_t redist_reg(struct el2vm *v, uint32_t off)
{
	uint32_t val = 0;

	ck_assert_int_eq(gic_attr(v->gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				  off, &val), 0);
	return val;
}

/* the private interrupts' input levels (KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO) */
static uint32_t ppi_levels(struct el2vm *v)
{
	uint32_t val = 0;

	ck_assert_int_eq(gic_attr(v->gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				  0, &val), 0);
	return val;
}

/*
 * A GICv3 for the VM, initialized (mi_intid: set as the maintenance
 * interrupt before INIT), its distributor enabling group 1 and vCPU 0's
 * redistributor every private interrupt in group 1 and enabled: its fd.
 */
static int gic_create(int vm, uint32_t mi_intid)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t ctlr = 0x12, all = 0xffffffff;	/* ARE, EnableGrp1NS */
	uint64_t addr;
	int gic;

	ck_assert_int_eq(kio(vm, KVM_CREATE_DEVICE, &cd), 0);
	gic = (int)cd.fd;
	if (mi_intid)
		ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR,
					  KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 0, &mi_intid), 0);
	addr = GICD_GPA;
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V3_ADDR_TYPE_DIST, &addr), 0);
	addr = GICR_GPA;
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  0, &ctlr), 0);
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				  0x10080, &all), 0);	/* GICR_IGROUPR0 */
	ck_assert_int_eq(gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				  0x10100, &all), 0);	/* GICR_ISENABLER0 */
	return gic;
}

static void gicvm_add_gic(struct el2vm *v, uint32_t mi_intid)
{
	v->gic = gic_create(v->t.vm, mi_intid);
}

/*
 * el2_vm.h's vCPU and (gic) a GICv3 whose distributor enables group 1 and
 * whose redistributor has every private interrupt in group 1 and enabled.
 */
static void gicvm_create(struct el2vm *v, bool gic)
{
	el2vm_create(v);
	if (gic)
		gicvm_add_gic(v, 0);
}

/* At EL2: X1 to ICH_VMCR_EL2, X2 to ICH_LR0_EL2, X3 to ICH_HCR_EL2. */
static uint64_t set_ich(struct el2vm *v, uint64_t vmcr, uint64_t lr0, uint64_t hcr)
{
	static const uint32_t code[] = {
		MSR(ICH_VMCR_EL2, 1), MSR(ICH_LR0_EL2, 2), MSR(ICH_HCR_EL2, 3), HVC(0),
	};

	el2vm_put(v, X(1), vmcr);
	el2vm_put(v, X(2), lr0);
	el2vm_put(v, X(3), hcr);
	return el2vm_run(v, EL2H, code, 4);
}

START_TEST(el2_gic_ich_regs)
{
	static const uint32_t code[] = {
		MSR(ICH_LR0_EL2, 1), MSR(ICH_VMCR_EL2, 2), MSR(ICH_HCR_EL2, 3),
		MRS(ICH_VTR_EL2, 4), MRS(ICH_LR0_EL2, 5), MRS(ICH_VMCR_EL2, 6),
		MRS(ICH_HCR_EL2, 7), MRS(ICH_ELRSR_EL2, 8), MRS(ICH_EISR_EL2, 9),
		MRS(ICH_MISR_EL2, 10), MRS(ICC_SRE_EL2, 11),
		MSR(ICH_VMCR_EL2, 1), MRS(ICH_VMCR_EL2, 12),
		MSR(ICH_HCR_EL2, 31), MSR(ICH_LR0_EL2, 31), HVC(0),
	};
	static const uint32_t vtr[] = { MRS(ICH_VTR_EL2, 1) };
	static const uint32_t vtr_w[] = { MSR(ICH_VTR_EL2, 1) };
	struct el2vm v;

	gicvm_create(&v, true);
	el2vm_put(&v, X(1), ~0ULL);
	el2vm_put(&v, X(2), 0);
	el2vm_put(&v, X(3), ~0ULL);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, code, 16), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000000);
	/* four LRs, five priority and preemption bits, A3V, nV4, TDS */
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 0x90380003);
	/* LR: RES0 bits and the unimplemented priority bits dropped */
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0xf0f803ffffffffffULL);
	/* VMCR 0: VFIQEn RES1, VBPR0 and VBPR1 at their minimum (2, 3) */
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 0x4c0008);
	ck_assert_uint_eq(el2vm_reg(&v, X(7)), 0xf8005cff);
	/* LR0 pending and active: LR1-3 empty, none with EOI */
	ck_assert_uint_eq(el2vm_reg(&v, X(8)), 0xe);
	ck_assert_uint_eq(el2vm_reg(&v, X(9)), 0);
	/* MISR: U (one valid LR), LRENP (EOIcount 31), NP, VGrp0D, VGrp1D */
	ck_assert_uint_eq(el2vm_reg(&v, X(10)), 0xae);
	ck_assert_uint_eq(el2vm_reg(&v, X(11)), 0xf);
	/* VMCR ~0: VAckCtl dropped, VPMR's five bits */
	ck_assert_uint_eq(el2vm_reg(&v, X(12)), 0xf8fc021b);
	/* UNDEFINED at EL1 (to EL1), a write of a read-only one at EL2 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, vtr, 1), VBAR1 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL1)), 0x02000000);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, vtr_w, 1), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	el2vm_destroy(&v);

	/* no in-kernel GIC: UNDEFINED at EL2 too */
	gicvm_create(&v, false);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, vtr, 1), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x02000000);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_gic_virtual_irq)
{
	static const uint32_t hvc[] = { NOP, HVC(4) };
	static const uint32_t ack[] = {
		MRS(ICC_HPPIR1_EL1, 4), MRS(ICC_IAR1_EL1, 5), MRS(ICC_RPR_EL1, 6),
		MRS(ICC_IAR1_EL1, 7), MSR(ICC_EOIR1_EL1, 5), MRS(ICC_RPR_EL1, 8),
		MRS(ICC_PMR_EL1, 9), MRS(ICC_CTLR_EL1, 10), HVC(1),
	};
	static const uint32_t lrs[] = { MRS(ICH_LR0_EL2, 9), MRS(ICH_ELRSR_EL2, 10), HVC(0) };
	static const uint32_t ack0[] = { MRS(ICC_IAR0_EL1, 4), MRS(ICC_IAR1_EL1, 5), HVC(1) };
	static const uint32_t sgi[] = { MSR(ICC_SGI1R_EL1, 1) };
	const uint64_t lr = LR_PENDING | LR_GROUP1 | LR_PRIO(0xa0) | 27;
	struct el2vm v;

	gicvm_create(&v, true);
	ck_assert_uint_eq(set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8), lr, ICH_EN),
			  VBAR2 + CUR_SYNC);
	/* IMO: a virtual IRQ at EL1 with PSTATE.I clear, never at EL2 */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO);
	ck_assert_uint_eq(el2vm_run(&v, EL2H & ~PSR_I_BIT, hvc, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc, 2), VBAR1 + CUR_IRQ);
	/* acknowledge and EOI through ICC_* at EL1: ICV semantics */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ack, 9), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 0xa0);
	ck_assert_uint_eq(el2vm_reg(&v, X(7)), 1023);
	ck_assert_uint_eq(el2vm_reg(&v, X(8)), 0xff);
	ck_assert_uint_eq(el2vm_reg(&v, X(9)), 0xf8);
	ck_assert_uint_eq(el2vm_reg(&v, X(10)), 0x8400);	/* A3V, PRIbits 4 */
	/* the LR is invalid again; the physical interface was untouched */
	ck_assert_uint_eq(el2vm_run(&v, EL2H, lrs, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(9)), LR_GROUP1 | LR_PRIO(0xa0) | 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(10)), 0xf);
	/* VPMR at the interrupt's priority masks it; so does En 0 or no IMO */
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xa0), lr, ICH_EN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc, 2), VBAR2 + LOW_SYNC);
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8), lr, 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc, 2), VBAR2 + LOW_SYNC);
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8), lr, ICH_EN);
	el2vm_put(&v, SYSREG(HCR_EL2), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc, 2), VBAR2 + LOW_SYNC);
	/* group 1 disabled (VENG1 0): not signalled */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO);
	set_ich(&v, VMCR_VPMR(0xf8), lr, ICH_EN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_I_BIT, hvc, 2), VBAR2 + LOW_SYNC);
	/* group 0 under FMO: a virtual FIQ, acknowledged by IAR0 only */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO | HCR_FMO);
	set_ich(&v, VMCR_VENG0 | VMCR_VPMR(0xf8), lr & ~LR_GROUP1, ICH_EN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H & ~PSR_F_BIT, hvc, 2), VBAR1 + CUR_FIQ);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, ack0, 3), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 1023);
	/* ICC_SGI1R_EL1 at EL1 under IMO traps to EL2 */
	ck_assert_uint_eq(el2vm_run(&v, EL1H, sgi, 1), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x623a3036);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_gic_maintenance)
{
	static const uint32_t phys_on[] = {
		MSR(ICC_PMR_EL1, 1), MSR(ICC_IGRPEN1_EL1, 2), MSR(ICH_HCR_EL2, 3), HVC(0),
	};
	static const uint32_t spin[] = { NOP, B_SELF };
	static const uint32_t take_mi[] = {
		MRS(ICC_IAR1_EL1, 4), MRS(ICH_MISR_EL2, 5), MSR(ICH_HCR_EL2, 31),
		MSR(ICC_EOIR1_EL1, 4), HVC(0),
	};
	static const uint32_t eoi[] = {
		MRS(ICC_IAR1_EL1, 5), MSR(ICC_EOIR1_EL1, 5), NOP, HVC(1),
	};
	static const uint32_t state[] = {
		MRS(ICH_EISR_EL2, 6), MRS(ICH_MISR_EL2, 7), MRS(ICH_ELRSR_EL2, 8),
		MRS(ICC_IAR1_EL1, 9), MSR(ICH_HCR_EL2, 31), MSR(ICC_EOIR1_EL1, 9),
		MSR(ICH_LR0_EL2, 31), HVC(0),
	};
	static const uint32_t stray_eoi[] = {
		MSR(ICC_AP1R0_EL1, 1), MSR(ICC_EOIR1_EL1, 2), MRS(ICC_AP1R0_EL1, 3), HVC(1),
	};
	static const uint32_t hcr[] = { MRS(ICH_HCR_EL2, 4), MRS(ICH_MISR_EL2, 5), HVC(0) };
	struct el2vm v;

	gicvm_create(&v, true);
	/* UIE with no valid LR: MISR.U raises PPI 25 at the physical GIC */
	el2vm_put(&v, X(1), 0xf8);
	el2vm_put(&v, X(2), 1);
	el2vm_put(&v, X(3), ICH_EN | 2);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 25), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, phys_on, 4), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 25), 1u << 25);
	/* taken at EL2 from EL1 under IMO; MISR.U; lowered when UIE clears */
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, spin, 2), VBAR2 + LOW_IRQ);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, take_mi, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 25);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 2);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 25), 0);

	/* an LR with EOI: its deactivation by EL1 raises MISR.EOI */
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8),
		LR_PENDING | LR_GROUP1 | LR_EOI | LR_PRIO(0x80) | 40, ICH_EN);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, eoi, 4), VBAR2 + LOW_IRQ);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 40);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, state, 8), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 1);
	ck_assert_uint_eq(el2vm_reg(&v, X(7)), 1);
	ck_assert_uint_eq(el2vm_reg(&v, X(8)), 0xe);
	ck_assert_uint_eq(el2vm_reg(&v, X(9)), 25);

	/* an EOI of an INTID no LR holds: EOIcount, and LRENP under LRENPIE */
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8), 0, ICH_EN);
	el2vm_put(&v, X(1), 1u << (0x80 >> 3));
	el2vm_put(&v, X(2), 99);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, stray_eoi, 4), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(3)), 0);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, hcr, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), ICH_EN | 1u << 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 25), 0);
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8), 0, ICH_EN | 4 | 1u << 27);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, hcr, 3), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 4);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 25), 1u << 25);
	el2vm_destroy(&v);
}
END_TEST

START_TEST(el2_gic_hw_lr)
{
	static const uint32_t host_ack[] = {
		MSR(ICC_PMR_EL1, 1), MSR(ICC_IGRPEN1_EL1, 2), MSR(ICC_CTLR_EL1, 3),
		MRS(ICC_IAR1_EL1, 4), MSR(ICC_EOIR1_EL1, 4), MRS(ICC_RPR_EL1, 5), HVC(0),
	};
	static const uint32_t guest[] = {
		MRS(ICC_IAR1_EL1, 6), MSR(ICC_EOIR1_EL1, 6), NOP, HVC(1),
	};
	struct kvm_irq_level line = {
		.irq = KVM_ARM_IRQ_TYPE_PPI << KVM_ARM_IRQ_TYPE_SHIFT | 27, .level = 1,
	};
	struct el2vm v;

	gicvm_create(&v, true);
	ck_assert_int_eq(kio(v.t.vm, KVM_IRQ_LINE, &line), 0);
	/* the hypervisor takes PPI 27 with EOImode 1: a priority drop, still active */
	el2vm_put(&v, X(1), 0xf8);
	el2vm_put(&v, X(2), 1);
	el2vm_put(&v, X(3), 2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, host_ack, 7), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(4)), 27);
	ck_assert_uint_eq(el2vm_reg(&v, X(5)), 0xff);
	ck_assert_uint_eq(redist_reg(&v, 0x10300) & (1u << 27), 1u << 27);	/* ISACTIVER0 */
	line.level = 0;
	ck_assert_int_eq(kio(v.t.vm, KVM_IRQ_LINE, &line), 0);
	/* and hands it to EL1 hardware-linked: EL1's EOI deactivates it */
	set_ich(&v, VMCR_VENG1 | VMCR_VPMR(0xf8),
		LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0xa0) | LR_PINTID(27) | 27, ICH_EN);
	el2vm_put(&v, SYSREG(HCR_EL2), HCR_IMO);
	ck_assert_uint_eq(redist_reg(&v, 0x10300) & (1u << 27), 1u << 27);
	ck_assert_uint_eq(el2vm_run(&v, EL1H, guest, 4), VBAR2 + LOW_SYNC);
	ck_assert_uint_eq(el2vm_reg(&v, X(6)), 27);
	ck_assert_uint_eq(redist_reg(&v, 0x10300) & (1u << 27), 0);
	el2vm_destroy(&v);
}
END_TEST

/* KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ: a PPI, before INIT; every VM's, as KVM's */
START_TEST(el2_gic_maint_irq_attr)
{
	static const uint32_t uie[] = { MSR(ICH_HCR_EL2, 3), HVC(0) };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct el2vm v;
	uint32_t val = 0;
	struct tvm t;

	tvm_create_init(&t, 0);
	ck_assert_int_eq(kio(t.vm, KVM_CREATE_DEVICE, &cd), 0);
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, NULL), 0);
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), 0);
	ck_assert_uint_eq(val, 25);
	vkvm_close((int)cd.fd);
	tvm_destroy(&t);

	gicvm_create(&v, false);
	ck_assert_int_eq(kio(v.t.vm, KVM_CREATE_DEVICE, &cd), 0);
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, NULL), 0);
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), 0);
	ck_assert_uint_eq(val, 25);
	val = 15;
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), -EINVAL);
	val = 32;
	ck_assert_int_eq(gic_attr((int)cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), -EINVAL);
	vkvm_close((int)cd.fd);
	el2vm_destroy(&v);

	/* PPI 20: UIE raises it, not 25; after INIT the choice is fixed */
	gicvm_create(&v, false);
	gicvm_add_gic(&v, 20);
	ck_assert_int_eq(gic_attr(v.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), 0);
	ck_assert_uint_eq(val, 20);
	ck_assert_int_eq(gic_attr(v.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
				  0, &val), -EBUSY);
	el2vm_put(&v, X(3), ICH_EN | 2);
	ck_assert_uint_eq(el2vm_run(&v, EL2H, uie, 2), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(ppi_levels(&v) & (1u << 20 | 1u << 25), 1u << 20);
	el2vm_destroy(&v);
}
END_TEST

/* ---- KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: the ICH_*_EL2 state from userspace ---------- */

/* the attribute of a register of vCPU 0: the SYS_REG() encoding is its bits 15:0 */
#define ICH_APR(g, n)	SYS_REG(3, 4, 12, 8 + (g), (n))
#define ICH_LR(n)	SYS_REG(3, 4, 12, 12 + (n) / 8, (n) % 8)
#define ICH_ATTRS	28	/* upstream's list: 8 APRs, SRE, HCR, VTR, VMCR, 16 LRs */

static long sysreg_attr(int gic, unsigned long req, uint32_t enc, uint64_t *val)
{
	return gic_attr(gic, req, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, enc, val);
}

/* Upstream's (Linux >= 6.16) ICH_*_EL2 attributes, in its table's order. */
static void ich_attrs(uint32_t enc[ICH_ATTRS])
{
	unsigned int i, n = 0;

	for (i = 0; i < 8; i++)
		enc[n++] = ICH_APR(i / 4, i % 4);
	enc[n++] = SYS_ICC_SRE_EL2;
	enc[n++] = SYS_ICH_HCR_EL2;
	enc[n++] = SYS_ICH_VTR_EL2;
	enc[n++] = SYS_ICH_VMCR_EL2;
	for (i = 0; i < 16; i++)
		enc[n++] = ICH_LR(i);
}

/*
 * Which registers exist (a vCPU with EL2 only; not MISR, EISR, ELRSR), each
 * one's round trip, what a write keeps, the read-only ones (a write must
 * match), APnR1-3 refused with five priority bits, LR4-15 beyond
 * ICH_VTR_EL2.ListRegs, the errors; the guest's MRS sees what was written.
 */
START_TEST(el2_gic_cpu_sysregs)
{
	static const uint32_t read_back[] = {
		MRS(ICH_HCR_EL2, 1), MRS(ICH_VMCR_EL2, 2), MRS(ICH_AP1R0_EL2, 3),
		MRS(ICH_LR3_EL2, 4), HVC(0),
	};
	const uint64_t vals[ICH_ATTRS] = {
		[0] = 0x101, [4] = 0x80000000,
		[9] = 0x48001c06,	/* HCR: EOIcount 9, TALL0/1, TC, UIE, LRENPIE */
		[11] = 0xa870021b,	/* VMCR: VPMR 0xa8, VBPR0 3, VBPR1 4, VEOIM, VCBPR, ... */
		[12] = LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | 32,
		[13] = LR_PENDING | LR_EOI | LR_PRIO(0x48) | 33,
		[14] = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0xf8) | 8192,
		[15] = LR_ACTIVE | LR_HW | LR_PINTID(27) | LR_PRIO(0x10) | 27,
	};
	uint32_t enc[ICH_ATTRS];
	uint64_t v, vtr = 0;
	struct el2vm e;
	struct tvm t;
	unsigned int i;
	int gic;

	ich_attrs(enc);
	gicvm_create(&e, true);
	for (i = 0; i < ICH_ATTRS; i++)
		ck_assert_msg(sysreg_attr(e.gic, KVM_HAS_DEVICE_ATTR, enc[i], NULL) == 0,
			      "attr %#x", enc[i]);
	/* ICH_MISR/EISR/ELRSR_EL2 derive from the rest: not exposed */
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_HAS_DEVICE_ATTR, SYS_ICH_MISR_EL2, NULL), -ENXIO);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_HAS_DEVICE_ATTR, SYS_ICH_EISR_EL2, NULL), -ENXIO);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_HAS_DEVICE_ATTR, SYS_ICH_ELRSR_EL2, NULL), -ENXIO);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_ELRSR_EL2, &v), -ENOENT);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_MISR_EL2, &v), -ENOENT);
	/* no vCPU at affinity 1 */
	ck_assert_int_eq(gic_attr(e.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				  1ULL << 32 | SYS_ICH_HCR_EL2, &v), -EINVAL);

	/* the read-only ones: a write must be what they read */
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_VTR_EL2, &vtr), 0);
	ck_assert_uint_eq(vtr, 0x90380003);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_VTR_EL2, &vtr), 0);
	v = vtr | 7;	/* eight LRs */
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_VTR_EL2, &v), -EINVAL);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICC_SRE_EL2, &v), 0);
	ck_assert_uint_eq(v, 0xf);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICC_SRE_EL2, &v), 0);
	v = 7;		/* Enable clear */
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICC_SRE_EL2, &v), -EINVAL);

	/* five priority bits: APnR1-3 refuse access, as the EL1 ones */
	for (i = 0; i < 8; i++) {
		if (i % 4 == 0)
			continue;
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, enc[i], &v), -EINVAL);
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, enc[i], &v), -EINVAL);
	}
	/* LR4-15 are not this vCPU's: they read 0, only 0 restores */
	for (i = 4; i < 16; i++) {
		v = 1;
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, ICH_LR(i), &v), 0);
		ck_assert_uint_eq(v, 0);
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, ICH_LR(i), &v), 0);
		v = LR_PENDING | 40;
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, ICH_LR(i), &v), -EINVAL);
	}

	/* the round trip of the rest (APnR1-3, SRE and VTR are above) */
	for (i = 0; i < ICH_ATTRS; i++) {
		if ((i < 8 && i % 4) || i == 8 || i == 10)
			continue;
		v = vals[i];
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, enc[i], &v), 0);
	}
	for (i = 0; i < ICH_ATTRS; i++) {
		if ((i < 8 && i % 4) || i == 8 || i == 10)
			continue;
		ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, enc[i], &v), 0);
		ck_assert_msg(v == vals[i], "attr %#x: %#llx", enc[i], (unsigned long long)v);
	}
	/* ... which the guest hypervisor reads at EL2 */
	ck_assert_uint_eq(el2vm_run(&e, EL2H, read_back, 5), VBAR2 + CUR_SYNC);
	ck_assert_uint_eq(el2vm_reg(&e, X(1)), vals[9]);
	ck_assert_uint_eq(el2vm_reg(&e, X(2)), vals[11]);
	ck_assert_uint_eq(el2vm_reg(&e, X(3)), vals[4]);
	ck_assert_uint_eq(el2vm_reg(&e, X(4)), vals[15]);
	/* a write keeps what the guest's MSR keeps: RES0 and unimplemented bits go */
	v = ~0ULL;
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_LR0_EL2, &v), 0);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_LR0_EL2, &v), 0);
	ck_assert_uint_eq(v, 0xf0f803ffffffffffULL);
	v = ~0ULL;
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_HCR_EL2, &v), 0);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_HCR_EL2, &v), 0);
	ck_assert_uint_eq(v, 0xf8005cff);
	v = 0;		/* VBPR0/1 below their minimum, VFIQEn RES1 */
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_SET_DEVICE_ATTR, SYS_ICH_VMCR_EL2, &v), 0);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_VMCR_EL2, &v), 0);
	ck_assert_uint_eq(v, 0x4c0008);
	el2vm_destroy(&e);

	/* before the GIC's INIT: they exist, but wait for it (EBUSY) */
	el2vm_create(&e);
	{
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

		ck_assert_int_eq(kio(e.t.vm, KVM_CREATE_DEVICE, &cd), 0);
		e.gic = (int)cd.fd;
	}
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_HAS_DEVICE_ATTR, SYS_ICH_HCR_EL2, NULL), 0);
	ck_assert_int_eq(sysreg_attr(e.gic, KVM_GET_DEVICE_ATTR, SYS_ICH_HCR_EL2, &v), -EBUSY);
	el2vm_destroy(&e);

	/* a vCPU without EL2 has none of them (the EL1 ones it has) */
	tvm_create_init(&t, 0);
	gic = gic_create(t.vm, 0);
	for (i = 0; i < ICH_ATTRS; i++) {
		ck_assert_int_eq(sysreg_attr(gic, KVM_HAS_DEVICE_ATTR, enc[i], NULL), -ENXIO);
		ck_assert_int_eq(sysreg_attr(gic, KVM_GET_DEVICE_ATTR, enc[i], &v), -ENOENT);
		ck_assert_int_eq(sysreg_attr(gic, KVM_SET_DEVICE_ATTR, enc[i], &v), -ENOENT);
	}
	ck_assert_int_eq(sysreg_attr(gic, KVM_HAS_DEVICE_ATTR, SYS_ICC_CTLR_EL1, NULL), 0);
	vkvm_close(gic);
	tvm_destroy(&t);
}
END_TEST

/*
 * The guest hypervisor's GICv3 virtualization state, saved from one VM
 * through GRP_CPU_SYSREGS and restored into a fresh one, delivers the same
 * virtual interrupts there: the same virtual IRQ at EL1, the same INTID
 * and priorities through ICV, the same maintenance interrupt.
 */
START_TEST(el2_gic_cpu_sysregs_restore)
{
	static const uint32_t program[] = {
		MSR(ICH_VMCR_EL2, 1), MSR(ICH_LR0_EL2, 2), MSR(ICH_LR1_EL2, 3),
		MSR(ICH_AP1R0_EL2, 4), MSR(ICH_HCR_EL2, 5), HVC(0),
	};
	static const uint32_t hvc[] = { NOP, HVC(4) };
	static const uint32_t ack[] = {
		MRS(ICC_HPPIR1_EL1, 4), MRS(ICC_IAR1_EL1, 5), MRS(ICC_RPR_EL1, 6),
		MRS(ICC_IAR1_EL1, 7), HVC(1),
	};
	static const uint32_t state[] = {
		MRS(ICH_MISR_EL2, 8), MRS(ICH_ELRSR_EL2, 9), MRS(ICH_LR1_EL2, 10), HVC(0),
	};
	uint64_t saved[ICH_ATTRS], v;
	uint32_t enc[ICH_ATTRS];
	struct el2vm vm[2];
	unsigned int i, k;
	long ret[ICH_ATTRS];

	ich_attrs(enc);
	/* the first VM's hypervisor programs two pending LRs over an active priority */
	gicvm_create(&vm[0], true);
	el2vm_put(&vm[0], X(1), VMCR_VENG1 | VMCR_VPMR(0xf8));
	el2vm_put(&vm[0], X(2), LR_PENDING | LR_GROUP1 | LR_PRIO(0xa0) | 27);
	el2vm_put(&vm[0], X(3), LR_PENDING | LR_GROUP1 | LR_EOI | LR_PRIO(0x90) | 40);
	el2vm_put(&vm[0], X(4), 1u << (0xc0 >> 3));
	el2vm_put(&vm[0], X(5), ICH_EN | 1u << 6);	/* VGrp1EIE */
	ck_assert_uint_eq(el2vm_run(&vm[0], EL2H, program, 6), VBAR2 + CUR_SYNC);
	for (i = 0; i < ICH_ATTRS; i++)
		ret[i] = sysreg_attr(vm[0].gic, KVM_GET_DEVICE_ATTR, enc[i], &saved[i]);

	/* a fresh one gets it all back (what refuses access in one, in both) */
	gicvm_create(&vm[1], true);
	ck_assert_uint_eq(ppi_levels(&vm[1]) & (1u << 25), 0);
	for (i = 0; i < ICH_ATTRS; i++) {
		v = saved[i];
		ck_assert_int_eq(sysreg_attr(vm[1].gic, KVM_SET_DEVICE_ATTR, enc[i], &v), ret[i]);
		ck_assert_int_eq(sysreg_attr(vm[1].gic, KVM_GET_DEVICE_ATTR, enc[i], &v), ret[i]);
		if (!ret[i])
			ck_assert_uint_eq(v, saved[i]);
	}

	for (k = 0; k < 2; k++) {
		struct el2vm *e = &vm[k];

		/* VGrp1E: the maintenance interrupt at once */
		ck_assert_uint_eq(ppi_levels(e) & (1u << 25), 1u << 25);
		/* IMO: LR1 (priority 0x90) preempts the running 0xc0 at EL1 */
		el2vm_put(e, SYSREG(HCR_EL2), HCR_IMO);
		ck_assert_uint_eq(el2vm_run(e, EL1H & ~PSR_I_BIT, hvc, 2), VBAR1 + CUR_IRQ);
		ck_assert_uint_eq(el2vm_run(e, EL1H, ack, 5), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(e, X(4)), 40);
		ck_assert_uint_eq(el2vm_reg(e, X(5)), 40);
		ck_assert_uint_eq(el2vm_reg(e, X(6)), 0x90);
		/* LR0 (0xa0) does not preempt 0x90 */
		ck_assert_uint_eq(el2vm_reg(e, X(7)), 1023);
		ck_assert_uint_eq(el2vm_run(e, EL2H, state, 4), VBAR2 + CUR_SYNC);
		ck_assert_uint_eq(el2vm_reg(e, X(8)), 1u << 6);		/* VGrp1E */
		ck_assert_uint_eq(el2vm_reg(e, X(9)), 0xc);
		ck_assert_uint_eq(el2vm_reg(e, X(10)),
				  LR_ACTIVE | LR_GROUP1 | LR_EOI | LR_PRIO(0x90) | 40);
	}
	el2vm_destroy(&vm[1]);
	el2vm_destroy(&vm[0]);
}
END_TEST

/*
 * FEAT_NV2: at EL1 under HCR_EL2.{NV,NV2} the
 * ICH_* registers of the VNCR page (offsets from Linux's vncr_mapping.h)
 * are memory at VNCR_EL2 + offset, E2H or not: an MSR stores there and
 * leaves the register as it was, an MRS loads what was planted there.
 * The ones outside the page (ICH_VTR, MISR, EISR, ELRSR) still trap.
 */
#define NV2_PAGE	(RAM_GPA + 0x8000)
#define NV2_TAG		0xa5a5000000000000ULL

START_TEST(el2_gic_nv2)
{
	static const struct {
		const char *what;
		uint32_t enc;
		uint16_t off;
	} regs[] = {
		{ "ICH_LR0_EL2", SYS_ICH_LR0_EL2, 0x400 },
		{ "ICH_LR1_EL2", SYS_ICH_LR1_EL2, 0x408 },
		{ "ICH_LR2_EL2", SYS_ICH_LR2_EL2, 0x410 },
		{ "ICH_LR3_EL2", SYS_ICH_LR3_EL2, 0x418 },
		{ "ICH_AP0R0_EL2", SYS_ICH_AP0R0_EL2, 0x480 },
		{ "ICH_AP1R0_EL2", SYS_ICH_AP1R0_EL2, 0x4a0 },
		{ "ICH_HCR_EL2", SYS_ICH_HCR_EL2, 0x4c0 },
		{ "ICH_VMCR_EL2", SYS_ICH_VMCR_EL2, 0x4c8 },
	};
	static const uint32_t trapped[] = { SYS_ICH_VTR_EL2, SYS_ICH_MISR_EL2, SYS_ICH_EISR_EL2,
					    SYS_ICH_ELRSR_EL2 };
	const uint64_t nv2 = HCR_RW | HCR_NV | HCR_NV2;
	uint64_t *page;
	struct el2vm v;
	unsigned int i, w, e2h;

	gicvm_create(&v, true);
	page = (uint64_t *)(void *)(v.ram + (NV2_PAGE - RAM_GPA) / 4);
	for (e2h = 0; e2h < 2; e2h++) {
		for (i = 0; i < ARRAY_SIZE(regs); i++) {
			const uint32_t at2[] = { 0xd5000003u | regs[i].enc << 5,	/* msr, x3 */
						 0xd5200004u | regs[i].enc << 5, HVC(0) };
			const uint32_t msr[] = { 0xd5000001u | regs[i].enc << 5, HVC(0) };
			const uint32_t mrs[] = { 0xd5200002u | regs[i].enc << 5, HVC(0) };
			uint64_t val = 0x0123456789abc000ULL ^ regs[i].off, reg;

			/* the register's own value, as EL2 reads it back */
			el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
			el2vm_put(&v, X(3), 0);
			ck_assert_uint_eq(el2vm_run(&v, EL2H, at2, 3), VBAR2 + CUR_SYNC);
			reg = el2vm_reg(&v, X(4));
			for (w = 0; w < 512; w++)
				page[w] = NV2_TAG | w;
			el2vm_put(&v, SYSREG(HCR_EL2), nv2 | (e2h ? HCR_E2H : 0));
			el2vm_put(&v, SYSREG(VNCR_EL2), NV2_PAGE);
			el2vm_put(&v, X(1), val);
			ck_assert_msg(el2vm_run(&v, EL1H, msr, 2) == VBAR2 + LOW_SYNC, "%s: msr",
				      regs[i].what);
			ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x5a000000);
			for (w = 0; w < 512; w++)
				ck_assert_msg(page[w] == (w == regs[i].off / 8u ? val : NV2_TAG | w),
					      "%s: word %#x of the VNCR page", regs[i].what, w * 8);
			page[regs[i].off / 8] = ~val;
			ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs, 2), VBAR2 + LOW_SYNC);
			ck_assert_msg(el2vm_reg(&v, X(2)) == ~val, "%s: mrs", regs[i].what);
			el2vm_put(&v, SYSREG(HCR_EL2), HCR_RW);
			ck_assert_uint_eq(el2vm_run(&v, EL2H, at2 + 1, 2), VBAR2 + CUR_SYNC);
			ck_assert_msg(el2vm_reg(&v, X(4)) == reg, "%s: the register changed",
				      regs[i].what);
		}
	}
	for (i = 0; i < ARRAY_SIZE(trapped); i++) {
		const uint32_t mrs[] = { 0xd5200002u | trapped[i] << 5, HVC(0) };

		el2vm_put(&v, SYSREG(HCR_EL2), nv2);
		ck_assert_uint_eq(el2vm_run(&v, EL1H, mrs, 2), VBAR2 + LOW_SYNC);
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ESR_EL2)), 0x62000000u | ESR_SYS64_ISS(mrs[0]));
		ck_assert_uint_eq(el2vm_reg(&v, SYSREG(ELR_EL2)), CODE);
	}
	el2vm_destroy(&v);
}
END_TEST

Suite *el2_gic_suite(void)
{
	Suite *s = suite_create("el2_gic");
	TCase *tc = tcase_create("el2_gic");

	tcase_add_test(tc, el2_gic_ich_regs);
	tcase_add_test(tc, el2_gic_virtual_irq);
	tcase_add_test(tc, el2_gic_maintenance);
	tcase_add_test(tc, el2_gic_hw_lr);
	tcase_add_test(tc, el2_gic_maint_irq_attr);
	tcase_add_test(tc, el2_gic_cpu_sysregs);
	tcase_add_test(tc, el2_gic_cpu_sysregs_restore);
	tcase_add_test(tc, el2_gic_nv2);
	suite_add_tcase(s, tc);
	return s;
}
