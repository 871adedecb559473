// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of system registers.
 *
 * Each entry gives an encoding, where its state lives, its reset value, its
 * MRS/MSR behaviour and how userspace sees it through ONE_REG.  The same
 * table answers the engine's MRS/MSR (sys_reg_lookup/read/write), ONE_REG
 * and KVM_GET_REG_LIST, as arch/arm64/kvm/sys_regs.c does for KVM: adding a
 * register is one line here.
 */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "kvm_host.h"
#include "cpu/id_regs.h"
#include "vgic/vgic.h"

/* Entry flags. */
#define SR_EL0_R	BIT(0)	/* readable at EL0 */
#define SR_EL0_W	BIT(1)	/* writable at EL0 */
#define SR_RO		BIT(2)	/* MSR is UNDEFINED */
#define SR_WO		BIT(3)	/* MRS is UNDEFINED */
#define SR_NO_USER	BIT(4)	/* not a ONE_REG register (core state, RAZ/WI...) */
#define SR_INVARIANT	BIT(5)	/* ONE_REG writes must match the value (EINVAL) */
#define SR_RAZ_WI	BIT(6)	/* reads as zero, writes ignored */
#define SR_FLUSH	BIT(7)	/* a write changes translation: drop engine caches */
#define SR_SVE		BIT(8)	/* exists only on vCPUs with SVE */
#define SR_USER_WI	BIT(9)	/* ONE_REG writes of any value are ignored */
#define SR_PTRAUTH	BIT(10)	/* exists only on vCPUs with PTRAUTH_* (KVM's
				 * ptrauth_visibility(): REG_HIDDEN) */
#define SR_PMU		BIT(11)	/* exists only on vCPUs with KVM_ARM_VCPU_PMU_V3 */
#define SR_EL2		BIT(12)	/* exists only on vCPUs with KVM_ARM_VCPU_HAS_EL2;
				 * UNDEFINED below EL2 (no FEAT_NV) */
#define SR_EL3		BIT(13)	/* accessible only at EL3, which the vCPU lacks:
				 * UNDEFINED to the guest, ONE_REG state only */
#define SR_MTE		BIT(14)	/* exists only in VMs with KVM_CAP_ARM_MTE (KVM's
				 * mte_visibility()) */
#define SR_FP		BIT(15)	/* FP state: CPACR_EL1.FPEN and CPTR_EL2.TFP apply */
#define SR_VHE		BIT(16)	/* exists only on vCPUs with FEAT_VHE (EL2, not E2H0) */
#define SR_E2H_REDIR	BIT(17)	/* at EL2 with HCR_EL2.E2H: the EL2 register .alias */
#define SR_E2H_REDIR0	BIT(18)	/* ... and at EL0 in EL2&0 (E2H, TGE): the timers */
#define SR_E2H_ALIAS	BIT(19)	/* *_EL12, *_EL02: register .alias, at EL2 with
				 * E2H only, else UNDEFINED */
#define SR_NV2		BIT(20)	/* exists only with FEAT_NV2 (cpu_nv_level() 2) */
#define SR_ECV		BIT(21)	/* exists only with FEAT_ECV (ID_AA64MMFR0_EL1.ECV) */
#define SR_TLBCTX	BIT(22)	/* a TTBR (its ASID), VTTBR/VTCR_EL2: pick the soft TLB
				 * (no flush; ONE_REG flushes) */

/*
 * FEAT_NV2 (.vncr): at EL1 under HCR_EL2.{NV,NV2} an access to a register
 * of the VNCR page is a load or store at VNCR_EL2 + its offset (the Arm
 * ARM's table of R_CSRPQ; Linux's vncr_mapping.h), or, for five EL2
 * registers, an access to their EL1 counterpart (.alias).
 */
#define VNCR_OFF_MASK	0x0fffu
#define VNCR_NV1	0x1000u	/* an EL1 (or EL0 timer) encoding: under NV1 only,
				 * after its own traps */
#define VNCR_NO_NV1	0x2000u	/* its _EL12 (_EL02): without NV1 only */
#define VNCR_EL1_REG	0x4000u	/* an EL1 encoding, NV1 or not, after its own traps */
#define VNCR_TO_EL1	0x8000u	/* not memory: the EL1 register .alias */

struct sys_reg_desc {
	const char *name;
	u32 enc;
	int slot;			/* enum cpu_sysreg, or -1 */
	u64 reset;
	u32 flags;
	/* EL0 accesses only when sysreg[gate_slot] & gate (cpu_el0_gate) */
	u64 gate;
	int gate_slot;
	/* MRS/MSR beyond plain slot access; an enum sysreg_result */
	int (*read)(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val);
	int (*write)(struct cpu *cpu, const struct sys_reg_desc *d, u64 val);
	/* ONE_REG beyond plain slot access (KVM's get_user/set_user) */
	u64 (*get_user)(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d);
	int (*set_user)(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val);
	/* SR_E2H_REDIR, SR_E2H_ALIAS, VNCR_TO_EL1: the encoding reached instead */
	u32 alias;
	/* FEAT_NV2: its offset in the VNCR page and VNCR_* flags, or 0 */
	u16 vncr;
};

static struct kvm_vcpu *cpu_vcpu(struct cpu *cpu)
{
	return cpu->backend;
}

/* ---- counters -------------------------------------------------------------- */

static u64 phys_counter(void)
{
	return kvm_phys_counter();
}

/* The guest reading a count raises a timer that count has reached (arch_timer.c). */
static u64 virt_counter(struct cpu *cpu)
{
	u64 now = phys_counter();

	kvm_timer_counter_seen(cpu_vcpu(cpu), now);
	return now - kvm_timer_vcnt_offset(cpu_vcpu(cpu));
}

static u64 phys_count(struct cpu *cpu)
{
	u64 now = phys_counter();

	kvm_timer_counter_seen(cpu_vcpu(cpu), now);
	return now - kvm_timer_poffset(cpu_vcpu(cpu)->kvm);
}

static int read_cntfrq(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = CPU_CNTFRQ_HZ;
	return 0;
}

static int read_cntpct(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = phys_count(cpu);
	return 0;
}

/*
 * CNTVCT_EL0 (and FEAT_ECV's CNTVCTSS_EL0) read directly: the physical
 * count at EL2 with E2H and at EL0 in EL2&0 (E2H, TGE), where CNTVOFF_EL2
 * does not apply (the register's access pseudocode); else the virtual
 * count.
 */
static int read_cntvct(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	const struct cpu_state *s = &cpu->state;
	unsigned int el = cpu_current_el(s);

	if (__builtin_expect(cpu_e2h(s), 0) && (el == 2 || (el == 0 && cpu_e2h_tge(s))))
		*val = phys_count(cpu);
	else
		*val = virt_counter(cpu);
	return 0;
}

/* CNT{V,P}_CTL: ISTATUS (bit 2) is computed from the compare value. */
static u64 timer_ctl(struct cpu_state *s, int ctl, int cval, u64 now)
{
	u64 v = s->sysreg[ctl] & 3;

	if ((v & 1) && now >= s->sysreg[cval])
		v |= 4;
	return v;
}

static bool is_vtimer(const struct sys_reg_desc *d)
{
	return d->slot == SR_CNTV_CTL_EL0 || d->slot == SR_CNTV_CVAL_EL0;
}

static u64 timer_now(struct cpu *cpu, const struct sys_reg_desc *d)
{
	return is_vtimer(d) ? virt_counter(cpu) : phys_count(cpu);
}

static int read_timer_ctl(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = timer_ctl(&cpu->state, d->slot, d->slot + 1, timer_now(cpu, d));
	return 0;
}

static int write_timer_ctl(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[d->slot] = val & 3;	/* ENABLE, IMASK */
	kvm_timer_sync(cpu_vcpu(cpu));
	return 0;
}

static int read_timer_cval(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.sysreg[d->slot];
	return 0;
}

static int write_timer_cval(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[d->slot] = val;
	kvm_timer_sync(cpu_vcpu(cpu));
	return 0;
}

/*
 * CNT{V,P}_TVAL: a signed 32-bit view of CVAL - now.  Reads give its 32
 * bits, bits [63:32] RES0 (not sign-extended); writes sign-extend.
 */
static int read_timer_tval(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = (u32)(cpu->state.sysreg[d->slot] - timer_now(cpu, d));
	return 0;
}

static int write_timer_tval(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[d->slot] = timer_now(cpu, d) + (u64)(int64_t)(int32_t)val;
	kvm_timer_sync(cpu_vcpu(cpu));
	return 0;
}

/* CNTVOFF_EL2 moves the virtual count, and so the virtual timer's output. */
static int write_cntvoff(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[d->slot] = val;
	kvm_timer_sync(cpu_vcpu(cpu));
	return 0;
}

/*
 * CNTHCTL_EL2: the fields of its layout for E2H, and FEAT_ECV's EL1TVT,
 * EL1TVCT, EL1NVPCT, EL1NVVCT, EVNTIS while ID_AA64MMFR0_EL1.ECV says so
 * (ECV, bit 12, and the rest RES0).  EVNTEN..EVNTIS pace the EL2 event
 * stream (arch_timer.c).
 */
static int write_cnthctl(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	u64 mask = cpu_e2h(&cpu->state) ? CNTHCTL_E2H1_MASK : CNTHCTL_E2H0_MASK;

	if (cpu_ecv(&cpu->state))
		mask |= CNTHCTL_ECV1_MASK;
	cpu->state.sysreg[d->slot] = val & mask;
	return 0;
}

/* ---- PSTATE and core state seen through MRS/MSR ----------------------------- */

static int read_nzcv(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.pstate & PSR_NZCV_MASK;
	return 0;
}

static int write_nzcv(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.pstate = (cpu->state.pstate & ~PSR_NZCV_MASK) | (val & PSR_NZCV_MASK);
	return 0;
}

/*
 * RNDR, RNDRRS (FEAT_RNG): 64 bits of the host's getrandom(2) and NZCV
 * 0000, or, when it has none to give at once, 0 and NZCV 0100 (the Arm
 * ARM lets any read fail so).  RNDRRS's reseed is the host's business.
 */
static int read_rndr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	u64 v = 0;
	bool ok = getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v);

	*val = ok ? v : 0;
	cpu->state.pstate = (cpu->state.pstate & ~PSR_NZCV_MASK) | (ok ? 0 : PSR_Z_BIT);
	return 0;
}

static int read_daif(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.pstate & PSR_DAIF_MASK;
	return 0;
}

static int write_daif(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.pstate = (cpu->state.pstate & ~PSR_DAIF_MASK) | (val & PSR_DAIF_MASK);
	return 0;
}

static int read_currentel(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	/* EL1 under HCR_EL2.NV reads EL2 (FEAT_NV) */
	*val = cpu_nv(&cpu->state) ? 0x8 : cpu->state.pstate & 0xc;
	return 0;
}

static int read_spsel(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.pstate & 1;
	return 0;
}

static int write_spsel(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.pstate = (cpu->state.pstate & ~1ULL) | (val & 1);
	return 0;
}

/* PAN, UAO, DIT, SSBS: one PSTATE bit each, at the same position as in SPSR. */
static u64 pstate_bit_of(const struct sys_reg_desc *d)
{
	return d->reset;
}

static int read_pstate_bit(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.pstate & pstate_bit_of(d);
	return 0;
}

static int write_pstate_bit(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	u64 bit = pstate_bit_of(d);

	cpu->state.pstate = (cpu->state.pstate & ~bit) | (val & bit);
	return 0;
}

/* SCTLR_EL1.nAA is RES0 without FEAT_LSE2 (ID_AA64MMFR2_EL1.AT) */
static int write_sctlr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	if (!((cpu->state.sysreg[SR_ID_AA64MMFR2_EL1] >> 32) & 0xf))
		val &= ~SCTLR_NAA;
	cpu->state.sysreg[SR_SCTLR_EL1] = val;
	return 0;
}

/*
 * HCR_EL2: NV, NV1 and AT are RES0 unless FEAT_NV is advertised, NV2
 * unless FEAT_NV2 is, and E2H
 * without FEAT_VHE (ID_AA64MMFR1_EL1.VH: HAS_EL2_E2H0); its virtual
 * interrupt bits are pending interrupts for the engine.
 */
static u64 hcr_res0(const struct cpu_state *s, u64 val)
{
	/* NV, NV1, AT with FEAT_NV (ID_AA64MMFR2_EL1.NV 1), NV2 with FEAT_NV2 (2) */
	unsigned int nv = cpu_nv_level(s);

	if (nv < 2)
		val &= ~HCR_NV2;
	if (nv < 1)
		val &= ~(HCR_NV | HCR_NV1 | HCR_AT);
	if (!((s->sysreg[SR_ID_AA64MMFR1_EL1] >> 8) & 0xf))
		val &= ~HCR_E2H;
	/* HCD is RES0 with EL3 (ID_AA64PFR0_EL1.EL3, as KVM's guest hypervisor sees) */
	if ((s->sysreg[SR_ID_AA64PFR0_EL1] >> 12) & 0xf)
		val &= ~HCR_HCD;
	return val;
}

static int write_hcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	u64 old = cpu->state.sysreg[SR_HCR_EL2];

	val = hcr_res0(&cpu->state, val);
	cpu->state.sysreg[SR_HCR_EL2] = val;
	/* the soft TLB holds translations that VM, PTW, DC, TGE, E2H and FWB
	 * shape; VI/VF/VSE and the traps leave them be */
	if ((old ^ val) & HCR_TLB_BITS)
		cpu_tlb_context(cpu);	/* another soft TLB (kernel/cpu/tlb.h) */
	cpu_hcr_changed(cpu);
	return 0;
}

/*
 * ONE_REG of HCR_EL2: the same RES0 bits (KVM sanitises its guest
 * hypervisor's registers so), and a change of what shapes translation
 * drops the soft TLB, as an MSR does (the run picks up VI/VF/VSE).
 */
static int set_hcr_user(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	struct cpu_state *s = vcpu_state(vcpu);
	u64 old = s->sysreg[SR_HCR_EL2];

	s->sysreg[SR_HCR_EL2] = val = hcr_res0(s, val);
	if ((old ^ val) & HCR_TLB_BITS)
		cpu_flush_tlb(&vcpu->cpu);
	return 0;
}

/*
 * VTTBR_EL2 and VTCR_EL2: part of the soft TLB's context (the VMID and
 * stage 2, kernel/cpu/tlb.h), so a change switches soft TLBs.
 */
static int write_s2_reg(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	if (cpu->state.sysreg[d->slot] != val) {
		cpu->state.sysreg[d->slot] = val;
		cpu_tlb_context(cpu);
	}
	return 0;
}

/* VNCR_EL2 (FEAT_NV2): BADDR; bits [11:0] RES0, [63:57] kept as written (RESS:
 * an address not sign-extended from bit 56 faults in the EL2 walk, as QEMU) */
static int write_vncr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_VNCR_EL2] = val & ~0xfffULL;
	return 0;
}

static int set_vncr_user(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	vcpu_state(vcpu)->sysreg[SR_VNCR_EL2] = val & ~0xfffULL;
	return 0;
}

static int read_sp_el0(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	/* At EL1 with SP_EL0 selected, SP_EL0 is the current SP: UNDEFINED */
	if ((cpu->state.pstate & 1) == 0)
		return SYSREG_UNDEF;
	*val = cpu->state.sp_el0;
	return 0;
}

static int write_sp_el0(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	if ((cpu->state.pstate & 1) == 0)
		return SYSREG_UNDEF;
	cpu->state.sp_el0 = val;
	return 0;
}

/* SP_EL1 (op1 = 4): EL2's view of the EL1 stack pointer */
static int read_sp_el1(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.sp_el1;
	return 0;
}

static int write_sp_el1(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sp_el1 = val;
	return 0;
}

/* SP_EL2: core state KVM lists as a system register (EL3's to access) */
static u64 get_sp_el2(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d)
{
	return vcpu_state(vcpu)->sp_el2;
}

static int set_sp_el2(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	vcpu_state(vcpu)->sp_el2 = val;
	return 0;
}

static int read_elr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.elr_el1;
	return 0;
}

static int write_elr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.elr_el1 = val;
	return 0;
}

static int read_spsr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.spsr[CPU_SPSR_EL1];
	return 0;
}

static int write_spsr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.spsr[CPU_SPSR_EL1] = val;
	return 0;
}

static int read_fpcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.fpcr;
	return 0;
}

static int write_fpcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.fpcr = (u32)val;
	return 0;
}

static int read_fpsr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.fpsr;
	return 0;
}

static int write_fpsr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.fpsr = (u32)val;
	return 0;
}

/* ---- identification ------------------------------------------------------------- */

static int read_dczid(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	u64 v = cpu->state.sysreg[SR_DCZID_EL0];

	/* DZP: DC ZVA prohibited at EL0 unless SCTLR_EL1.DZE, and below EL2
	 * under HCR_EL2.TDZ (which traps it) */
	if (cpu_current_el(&cpu->state) == 0 &&
	    !(cpu->state.sysreg[SR_SCTLR_EL1] & SCTLR_DZE))
		v |= BIT(4);
	if (cpu_current_el(&cpu->state) < 2 && (cpu->state.sysreg[SR_HCR_EL2] & HCR_TDZ))
		v |= BIT(4);
	*val = v;
	return 0;
}

/* GMID_EL1.BS: the block of LDGM and STGM (exec_mte.c) */
static int read_gmid(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = CPU_MTE_GMID_BS;
	return 0;
}

static int read_ccsidr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	u64 csselr = cpu->state.sysreg[SR_CSSELR_EL1] & 0xf;

	*val = csselr < CPU_NR_CCSIDR ? cpu->state.ccsidr[csselr] : 0;
	return 0;
}

static int write_csselr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_CSSELR_EL1] = val & 0xf;	/* Level, InD */
	return 0;
}

/*
 * ISR_EL1: which interrupts are pending, masked or not (A, I, F).  Below
 * EL2 with HCR_EL2.AMO/IMO/FMO (TGE clear) a bit shows the virtual one
 * instead: VSE, VI or the GIC's virtual IRQ, VF or its virtual FIQ.
 */
static int read_isr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	u32 lines = atomic_load(&cpu->irq_lines);
	u64 hcr = cpu->state.sysreg[SR_HCR_EL2];	/* 0 without EL2 */
	bool virt = cpu_current_el(&cpu->state) < 2 && !(hcr & HCR_TGE);
	bool a = lines & CPU_IRQ_VSERR, i = lines & CPU_IRQ_IRQ, f = lines & CPU_IRQ_FIQ;

	if (virt && (hcr & HCR_AMO))
		a = hcr & HCR_VSE;
	if (virt && (hcr & HCR_IMO))
		i = (hcr & HCR_VI) || (lines & CPU_IRQ_VIRQ);
	if (virt && (hcr & HCR_FMO))
		f = (hcr & HCR_VF) || (lines & CPU_IRQ_VFIQ);
	*val = (a ? BIT(8) : 0) | (i ? BIT(7) : 0) | (f ? BIT(6) : 0);
	return 0;
}

/* MIDR_EL1, MPIDR_EL1: below EL2, on a vCPU with EL2, VPIDR_EL2's and VMPIDR_EL2's */
static int read_midr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	struct kvm_vcpu *v = cpu_vcpu(cpu);
	int slot = d->slot;

	if (v && vcpu_has_el2(v) && cpu_current_el(&cpu->state) < 2)
		slot = slot == SR_MIDR_EL1 ? SR_VPIDR_EL2 : SR_VMPIDR_EL2;
	*val = cpu->state.sysreg[slot];
	return 0;
}

static int write_zcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_ZCR_EL1] = val & 0xf;	/* LEN */
	return 0;
}

static int write_oslar(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	/* OSLK mirrors into OSLSR_EL1.OSLK (bit 1) */
	u64 *oslsr = &cpu->state.sysreg[SR_OSLSR_EL1];

	*oslsr = (*oslsr & ~BIT(1)) | ((val & 1) << 1);
	return 0;
}

/* DBGCLAIMSET reads which claim tags exist (eight); DBGCLAIMCLR the tags set. */
static int read_claimset(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = 0xff;
	return 0;
}

static int write_claimset(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_DBGCLAIM] |= val & 0xff;
	return 0;
}

static int write_claimclr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_DBGCLAIM] &= ~(val & 0xff);
	return 0;
}

/*
 * The Debug Communications Channel (MDCCSR_EL0, DBGDTR_EL0, DBGDTRRX_EL0/
 * DBGDTRTX_EL0): no external debugger on the other side, RAZ/WI as KVM;
 * at EL0 a trap to EL1 while MDSCR_EL1.TDCC is set.
 */
static int dcc_el0_gate(struct cpu *cpu)
{
	if (cpu_current_el(&cpu->state) == 0 &&
	    (cpu->state.sysreg[SR_MDSCR_EL1] & MDSCR_TDCC))
		return SYSREG_TRAP_EL1;
	return SYSREG_OK;
}

static int read_dcc(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = 0;
	return dcc_el0_gate(cpu);
}

static int write_dcc(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	return dcc_el0_gate(cpu);
}

/* ---- the performance monitors: PMUv3p5, counting in cpu/pmu.c ---------------- */

/* PMCR_EL0 bits with state; LC is RES1 (no AArch32), D and X RAZ/WI */
#define PMCR_STATE	(PMCR_E | PMCR_DP | PMCR_LC | PMCR_LP)
/* PMEVTYPER<n>_EL0: P, U, NSH with EL2 and a 16-bit event (PMUv3p1); no EL3 bits */
#define PMEVTYPER_MASK	(PMEVTYPER_P | PMEVTYPER_U | 0xffffULL)
#define PMCCFILTR_MASK	(PMEVTYPER_P | PMEVTYPER_U)

/*
 * Below EL2 on a vCPU with EL2: MDCR_EL2's PMU traps (TPM: every PMU
 * register; TPMCR: PMCR_EL0) to EL2 with EC 0x18, after EL0's own.
 */
static int pmu_el2_trap(const struct cpu_state *s, u64 mdcr_bits)
{
	if (cpu_current_el(s) < 2 && __builtin_expect(el2_on(s), 0) &&
	    (s->sysreg[SR_MDCR_EL2] & mdcr_bits))
		return SYSREG_TRAP_EL2;
	return SYSREG_OK;
}

/*
 * The event counters EL0 and EL1 see: PMCR_EL0.N, or MDCR_EL2.HPMN below
 * EL2 on a vCPU with EL2 when it is smaller (the counters from HPMN up are
 * EL2's: UNDEFINED and RAZ/WI in the bitmaps below EL2).
 */
static unsigned int pmu_n_seen(const struct cpu *cpu)
{
	const struct cpu_state *s = &cpu->state;
	unsigned int hpmn = s->sysreg[SR_MDCR_EL2] & MDCR_EL2_HPMN;

	if (cpu_current_el(s) < 2 && __builtin_expect(el2_on(s), 0) && hpmn < cpu->pmu_n)
		return hpmn;
	return cpu->pmu_n;
}

/*
 * At EL0 a PMU register is accessible while PMUSERENR_EL0.EN, or one of
 * @bits (SW for PMSWINC, CR for reading PMCCNTR, ER for reading the event
 * counters and PMSELR), is set; otherwise the access traps to EL1.
 */
static int pmu_el0(struct cpu *cpu, u64 bits)
{
	if (cpu_current_el(&cpu->state) == 0 &&
	    !(cpu->state.sysreg[SR_PMUSERENR_EL0] & (PMUSERENR_EN | bits)))
		return SYSREG_TRAP_EL1;
	return pmu_el2_trap(&cpu->state, MDCR_EL2_TPM);
}

/* PMCR_EL0: the same, and MDCR_EL2.TPMCR */
static int pmcr_access(struct cpu *cpu)
{
	int r = pmu_el0(cpu, 0);

	return r != SYSREG_OK ? r : pmu_el2_trap(&cpu->state, MDCR_EL2_TPMCR);
}

/* kvm_vcpu_read_pmcr(): N is the VM's, userspace's choice (set_pmcr) */
static u64 pmcr_value(const u64 *r, unsigned int n)
{
	return (r[SR_PMCR_EL0] & PMCR_STATE) | PMCR_LC | ((u64)n << PMCR_N_SHIFT);
}

static int read_pmcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = pmcr_value(cpu->state.sysreg, pmu_n_seen(cpu));
	return pmcr_access(cpu);
}

static int write_pmcr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	u64 *r = cpu->state.sysreg;
	int i, ret = pmcr_access(cpu);

	if (ret)
		return ret;
	r[SR_PMCR_EL0] = (val & PMCR_STATE) | PMCR_LC;
	if (val & PMCR_C)
		r[SR_PMCCNTR_EL0] = 0;
	if (val & PMCR_P)
		for (i = 0; i < (int)pmu_n_seen(cpu); i++)
			r[SR_PMEVCNTR0_EL0 + i] = 0;
	cpu_pmu_update(cpu);
	return SYSREG_OK;
}

static u64 get_pmcr(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d)
{
	return pmcr_value(vcpu_state(vcpu)->sysreg, vcpu->kvm->pmcr_n);
}

/*
 * The VM's PMCR_EL0.N (under kvm->lock, before any vCPU ran), and the
 * MDCR_EL2.HPMN of its vCPUs with EL2, as KVM's kvm_arm_set_nr_counters().
 */
void kvm_set_nr_counters(struct kvm *kvm, unsigned int n)
{
	unsigned int i;

	kvm->pmcr_n = (u8)n;
	for (i = 0; i < kvm->created_vcpus; i++) {
		struct kvm_vcpu *v = kvm->vcpus[i];

		if (v && vcpu_has_el2(v))
			vcpu_state(v)->sysreg[SR_MDCR_EL2] =
				(vcpu_state(v)->sysreg[SR_MDCR_EL2] & ~MDCR_EL2_HPMN) | n;
	}
}

/*
 * As KVM since Linux 6.7: N sets the VM's number of event counters until
 * a vCPU has run; a larger N than implemented, or N after the first run,
 * is ignored and the write still succeeds.
 */
static int set_pmcr(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned int n = (val >> PMCR_N_SHIFT) & 0x1f;

	pthread_mutex_lock(&kvm->lock);
	if (!kvm->has_run_once && n <= CPU_PMU_COUNTERS)
		kvm_set_nr_counters(kvm, n);
	pthread_mutex_unlock(&kvm->lock);
	vcpu_state(vcpu)->sysreg[SR_PMCR_EL0] = (val & PMCR_STATE) | PMCR_LC;
	return 0;
}

/* PMCNTENSET/CLR_EL0, PMINTENSET/CLR_EL1, PMOVSSET/CLR_EL0: one slot a pair */
static int read_pmbits(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.sysreg[d->slot] & cpu_pmu_counter_mask(pmu_n_seen(cpu));
	return pmu_el0(cpu, 0);
}

static int write_pmset(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int ret = pmu_el0(cpu, 0);

	if (ret)
		return ret;
	cpu->state.sysreg[d->slot] |= val & cpu_pmu_counter_mask(pmu_n_seen(cpu));
	cpu_pmu_update(cpu);
	return SYSREG_OK;
}

static int write_pmclr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int ret = pmu_el0(cpu, 0);

	if (ret)
		return ret;
	cpu->state.sysreg[d->slot] &= ~(val & cpu_pmu_counter_mask(pmu_n_seen(cpu)));
	cpu_pmu_update(cpu);
	return SYSREG_OK;
}

/* As KVM since Linux 6.15 (and its stable trees): the value, masked */
static int set_pmbits(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	vcpu_state(vcpu)->sysreg[d->slot] = val & cpu_pmu_counter_mask(vcpu->kvm->pmcr_n);
	return 0;
}

static u64 get_pmbits(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d)
{
	return vcpu_state(vcpu)->sysreg[d->slot] & cpu_pmu_counter_mask(vcpu->kvm->pmcr_n);
}

static int write_pmswinc(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int ret = pmu_el0(cpu, PMUSERENR_SW);

	if (ret)
		return ret;
	/* the bits of counters from MDCR_EL2.HPMN up are WI below EL2 */
	cpu_pmu_swinc(cpu, val & cpu_pmu_counter_mask(pmu_n_seen(cpu)));
	return SYSREG_OK;
}

static int read_pmselr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.sysreg[SR_PMSELR_EL0];
	return pmu_el0(cpu, PMUSERENR_ER);
}

static int write_pmselr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int ret = pmu_el0(cpu, 0);

	if (ret)
		return ret;
	cpu->state.sysreg[SR_PMSELR_EL0] = val & 0x1f;
	return SYSREG_OK;
}

static int read_pmceid(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu_pmu_ceid(cpu, SYS_REG_OP2(d->enc) & 1);
	return pmu_el0(cpu, 0);
}

static int read_pmccntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	*val = cpu->state.sysreg[SR_PMCCNTR_EL0];
	return pmu_el0(cpu, PMUSERENR_CR);
}

static int write_pmccntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int ret = pmu_el0(cpu, 0);

	if (ret)
		return ret;
	cpu->state.sysreg[SR_PMCCNTR_EL0] = val;
	return SYSREG_OK;
}

/*
 * The slot of event counter or type register n (PMEVCNTR0/PMEVTYPER0 +
 * n; PMCCFILTR_EL0 for type 31), or -1: n is not one of the guest's
 * PMCR_EL0.N counters (MDCR_EL2.HPMN below EL2) and the access is UNDEFINED, as KVM's
 * pmu_counter_idx_valid() (CONSTRAINED UNPREDICTABLE through PMSELR_EL0.SEL).
 */
static int pmev_slot(const struct cpu *cpu, int base, u64 n)
{
	if (n < pmu_n_seen(cpu))
		return base + (int)n;
	if (n == PMU_CYCLE_IDX && base == SR_PMEVTYPER0_EL0)
		return SR_PMCCFILTR_EL0;
	return -1;
}

static int read_pmev(struct cpu *cpu, int slot, u64 el0_bits, u64 *val)
{
	if (slot < 0)
		return SYSREG_UNDEF;
	*val = cpu->state.sysreg[slot];
	return pmu_el0(cpu, el0_bits);
}

static int write_pmev(struct cpu *cpu, int slot, u64 val)
{
	int ret;

	if (slot < 0)
		return SYSREG_UNDEF;
	ret = pmu_el0(cpu, 0);
	if (ret)
		return ret;
	if (slot == SR_PMCCFILTR_EL0)
		val &= PMCCFILTR_MASK | (el2_on(&cpu->state) ? PMEVTYPER_NSH : 0);
	else if (slot >= SR_PMEVTYPER0_EL0)
		val &= PMEVTYPER_MASK | (el2_on(&cpu->state) ? PMEVTYPER_NSH : 0);
	cpu->state.sysreg[slot] = val;
	cpu_pmu_update(cpu);
	return SYSREG_OK;
}

/* PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0: slot = base + n */
static int read_pmevcntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	return read_pmev(cpu, pmev_slot(cpu, SR_PMEVCNTR0_EL0, d->slot - SR_PMEVCNTR0_EL0),
			 PMUSERENR_ER, val);
}

static int write_pmevcntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	return write_pmev(cpu, pmev_slot(cpu, SR_PMEVCNTR0_EL0, d->slot - SR_PMEVCNTR0_EL0), val);
}

static int read_pmevtyper(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	if (d->slot == SR_PMCCFILTR_EL0)
		return read_pmev(cpu, d->slot, 0, val);
	return read_pmev(cpu, pmev_slot(cpu, SR_PMEVTYPER0_EL0, d->slot - SR_PMEVTYPER0_EL0),
			 0, val);
}

static int write_pmevtyper(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	if (d->slot == SR_PMCCFILTR_EL0)
		return write_pmev(cpu, d->slot, val);
	return write_pmev(cpu, pmev_slot(cpu, SR_PMEVTYPER0_EL0, d->slot - SR_PMEVTYPER0_EL0), val);
}

/* PMXEVCNTR_EL0, PMXEVTYPER_EL0: the counter PMSELR_EL0.SEL selects */
static int read_pmxevcntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	return read_pmev(cpu, pmev_slot(cpu, SR_PMEVCNTR0_EL0, cpu->state.sysreg[SR_PMSELR_EL0]),
			 PMUSERENR_ER, val);
}

static int write_pmxevcntr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	return write_pmev(cpu, pmev_slot(cpu, SR_PMEVCNTR0_EL0, cpu->state.sysreg[SR_PMSELR_EL0]),
			  val);
}

static int read_pmxevtyper(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	return read_pmev(cpu, pmev_slot(cpu, SR_PMEVTYPER0_EL0, cpu->state.sysreg[SR_PMSELR_EL0]),
			 0, val);
}

static int write_pmxevtyper(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	return write_pmev(cpu, pmev_slot(cpu, SR_PMEVTYPER0_EL0, cpu->state.sysreg[SR_PMSELR_EL0]),
			  val);
}

/* MDCR_EL2: HPMN, HPME, HPMD, HCCD and HLP change what is counted */
static int write_mdcr_el2(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_MDCR_EL2] = val;
	cpu_pmu_update(cpu);
	return SYSREG_OK;
}

static int write_pmuserenr(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	cpu->state.sysreg[SR_PMUSERENR_EL0] = val & 0xf;	/* EN, SW, CR, ER */
	return SYSREG_OK;
}

/* ---- the GICv3 CPU interface: vgic/vgic-sys-reg-v3.c, the register in .reset ---- */

static int read_icc(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	int r;

	/* EL1 under HCR_EL2.IMO/FMO: the virtual CPU interface (ICV_*) */
	if (vgic_v3_icv_read(cpu_vcpu(cpu), (enum vgic_icc_reg)d->reset, val, &r))
		return r;
	return vgic_v3_icc_read(cpu_vcpu(cpu), (enum vgic_icc_reg)d->reset, val);
}

static int write_icc(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	int r;

	if (vgic_v3_icv_write(cpu_vcpu(cpu), (enum vgic_icc_reg)d->reset, val, &r))
		return r;
	return vgic_v3_icc_write(cpu_vcpu(cpu), (enum vgic_icc_reg)d->reset, val);
}

/* ICH_*_EL2, ICC_SRE_EL2: vgic/vgic-v3-nested.c, the register in .reset */
static int read_ich(struct cpu *cpu, const struct sys_reg_desc *d, u64 *val)
{
	return vgic_v3_ich_read(cpu_vcpu(cpu), (enum vgic_ich_reg)d->reset, val);
}

static int write_ich(struct cpu *cpu, const struct sys_reg_desc *d, u64 val)
{
	return vgic_v3_ich_write(cpu_vcpu(cpu), (enum vgic_ich_reg)d->reset, val);
}

/* ---- the table -------------------------------------------------------------------- */

/*
 * Rows name their register: N is the Arm ARM's name, its encoding
 * SYS_N (include/arm64.h).
 */
#define REG(n, s, rst, fl)						\
	{ .name = #n, .enc = SYS_##n, .slot = s, .reset = rst, .flags = fl }
#define ACC(n, s, rst, fl, rd, wr)					\
	{ .name = #n, .enc = SYS_##n, .slot = s, .reset = rst,		\
	  .flags = fl, .read = rd, .write = wr }
/* The same, with EL0 access under an EL0 gate (see cpu_el0_gate). */
#define GATED(n, s, fl, rd, wr, gslot, gbits)				\
	{ .name = #n, .enc = SYS_##n, .slot = s, .flags = fl,		\
	  .read = rd, .write = wr, .gate_slot = gslot, .gate = gbits }
/* A GICv3 CPU interface register: UNDEFINED without an in-kernel GIC. */
#define ICC(n, r, fl)							\
	ACC(n, -1, r, SR_NO_USER | (fl), read_icc, write_icc)
/*
 * A GICv3 virtualization register: EL2 only, UNDEFINED without an
 * in-kernel GICv3; not in upstream's get-reg-list el2_regs, so no ONE_REG.
 */
#define ICH(n, r, fl)							\
	ACC(n, -1, r, SR_EL2 | SR_NO_USER | (fl), read_ich, write_ich)
/*
 * An ID register: read-only to the guest; to userspace invariant, or
 * writable as id_writable.c says.
 */
#define IDREG(n, s)							\
	REG(n, s, 0, SR_RO | SR_INVARIANT)
/* An ID-space encoding with nothing behind it: RAZ. */
#define IDRAZ(n)							\
	REG(n, -1, 0, SR_RO | SR_INVARIANT | SR_RAZ_WI)
/*
 * An AArch32 ID register of this AArch64-only CPU: RAZ, and userspace
 * writes of any value accepted and ignored (KVM's aa32_id_visibility(),
 * REG_RAZ | REG_USER_WI, for a vCPU without AArch32 EL0).
 */
#define IDAA32(n)							\
	REG(n, -1, 0, SR_RO | SR_RAZ_WI | SR_USER_WI)
/*
 * AArch32 EL1 state KVM keeps in EL2 registers and lists for every vCPU
 * (Linux 6.1 to 7.2), AArch64-only ones included: UNDEFINED to the guest,
 * plain storage to userspace.
 */
/*
 * ID_AFR0_EL1 and ID_DFR1_EL1: KVM's ID_HIDDEN (6.12, 7.2), RAZ with no
 * writable field, so a write of anything but 0 is EINVAL (the selftest
 * aarch32_id_regs), unlike the other AArch32 ID registers.
 */
#define IDHIDDEN(n)	IDRAZ(n)
#define AA32EL2(n, rst)							\
	REG(n, SR_##n, rst, SR_RO | SR_WO)
#define IDRAZ_AT(m, o2)							\
	{ .name = "ID_UNALLOCATED(" #m "," #o2 ")", .enc = SYS_ID_REG(m, o2),	\
	  .slot = -1, .flags = SR_RO | SR_INVARIANT | SR_RAZ_WI }
#define DBGn(reg, n, s)							\
	{ .name = #reg #n "_EL1", .enc = SYS_##reg##n_EL1(n), .slot = s + n }
#define DBG4(n)								\
	DBGn(DBGBVR, n, SR_DBGBVR0_EL1), DBGn(DBGBCR, n, SR_DBGBCR0_EL1),	\
	DBGn(DBGWVR, n, SR_DBGWVR0_EL1), DBGn(DBGWCR, n, SR_DBGWCR0_EL1)
#define NOUSER(n, fl, rd, wr)						\
	ACC(n, -1, 0, SR_NO_USER | (fl), rd, wr)
/* A generic timer register: EL0 access gated by CNTKCTL_EL1 bits gbits. */
#define TIMER(n, s, fl, rd, wr, gbits)					\
	GATED(n, s, SR_NO_USER | SR_EL0_R | SR_EL0_W | (fl), rd, wr,	\
	      SR_CNTKCTL_EL1, gbits)
/* A PMU register: accessors do the EL0 checks (pmu_el0), so SR_EL0_*. */
#define PMU(n, s, fl, rd, wr)						\
	ACC(n, s, 0, SR_PMU | SR_EL0_R | SR_EL0_W | (fl), rd, wr)
#define PMU_USER(n, s, fl, rd, wr, gu, su)				\
	{ .name = #n, .enc = SYS_##n, .slot = s,			\
	  .flags = SR_PMU | SR_EL0_R | SR_EL0_W | (fl), .read = rd,	\
	  .write = wr, .get_user = gu, .set_user = su }
#define PMEVn(n)							\
	{ .name = "PMEVCNTR" #n "_EL0", .enc = SYS_PMEVCNTRn_EL0(n),	\
	  .slot = SR_PMEVCNTR0_EL0 + (n), .flags = SR_PMU | SR_EL0_R | SR_EL0_W, \
	  .read = read_pmevcntr, .write = write_pmevcntr },		\
	{ .name = "PMEVTYPER" #n "_EL0", .enc = SYS_PMEVTYPERn_EL0(n),	\
	  .slot = SR_PMEVTYPER0_EL0 + (n), .flags = SR_PMU | SR_EL0_R | SR_EL0_W, \
	  .read = read_pmevtyper, .write = write_pmevtyper }
#define PMEV8(n)							\
	PMEVn(n), PMEVn(n + 1), PMEVn(n + 2), PMEVn(n + 3),		\
	PMEVn(n + 4), PMEVn(n + 5), PMEVn(n + 6), PMEVn(n + 7)
/* a PSTATE bit, the bit in .reset (pstate_bit_of) */
#define PSTATE_BIT(n, fl)						\
	ACC(n, -1, PSR_##n##_BIT, SR_NO_USER | (fl), read_pstate_bit, write_pstate_bit)

/* An EL2 register with state of its own. */
#define EL2REG(n, rst, fl)						\
	REG(n, SR_##n, rst, SR_EL2 | (fl))

/*
 * FEAT_VHE's *_EL12 and *_EL02: the EL1 (op1 0) or EL0 timer (op1 3)
 * encoding at op1 5, reaching that register from EL2 with E2H.
 */
#define SYS_OP1_MASK	(7u << 11)
#define E2H_ALIAS(n, el1)						\
	{ .name = #n, .enc = (SYS_##el1 & ~SYS_OP1_MASK) | (5u << 11),	\
	  .slot = -1, .flags = SR_EL2 | SR_VHE | SR_NO_USER | SR_E2H_ALIAS, \
	  .alias = SYS_##el1 }

/* SCTLR_EL1 at reset, as KVM resets it: RES1 bits, caches and MMU off. */
#define SCTLR_EL1_RESET	0x00c50078ULL

static struct sys_reg_desc sys_reg_descs[] = {
	/* debug */
	DBG4(0), DBG4(1), DBG4(2), DBG4(3), DBG4(4), DBG4(5), DBG4(6), DBG4(7),
	DBG4(8), DBG4(9), DBG4(10), DBG4(11), DBG4(12), DBG4(13), DBG4(14), DBG4(15),
	REG(MDCCINT_EL1, SR_MDCCINT_EL1, 0, 0),
	REG(MDSCR_EL1, SR_MDSCR_EL1, 0, 0),
	NOUSER(MDRAR_EL1, SR_RO | SR_RAZ_WI, NULL, NULL),
	NOUSER(OSLAR_EL1, SR_WO, NULL, write_oslar),
	REG(OSLSR_EL1, SR_OSLSR_EL1, BIT(3), SR_RO),
	/* not listed by Linux 7.2 (6.1 did): the guest's alone */
	REG(OSDLR_EL1, SR_OSDLR_EL1, 0, SR_NO_USER),
	AA32EL2(DBGVCR32_EL2, 0),
	AA32EL2(DACR32_EL2, 0),		/* UNKNOWN at reset */
	AA32EL2(IFSR32_EL2, 0),		/* UNKNOWN at reset */
	AA32EL2(FPEXC32_EL2, 0x700),
	NOUSER(DBGPRCR_EL1, SR_RAZ_WI, NULL, NULL),
	ACC(DBGCLAIMSET_EL1, -1, 0, SR_NO_USER, read_claimset, write_claimset),
	ACC(DBGCLAIMCLR_EL1, SR_DBGCLAIM, 0, SR_NO_USER, NULL, write_claimclr),
	NOUSER(DBGAUTHSTATUS_EL1, SR_RO | SR_RAZ_WI, NULL, NULL),
	NOUSER(MDCCSR_EL0, SR_RO | SR_EL0_R, read_dcc, NULL),
	NOUSER(DBGDTR_EL0, SR_EL0_R | SR_EL0_W, read_dcc, write_dcc),
	NOUSER(DBGDTRRX_EL0, SR_EL0_R | SR_EL0_W, read_dcc, write_dcc),

	/* identification */
	ACC(MIDR_EL1, SR_MIDR_EL1, 0, SR_RO | SR_INVARIANT, read_midr, NULL),
	ACC(MPIDR_EL1, SR_MPIDR_EL1, 0, SR_RO, read_midr, NULL),
	REG(REVIDR_EL1, SR_REVIDR_EL1, 0, SR_RO | SR_INVARIANT),
	IDAA32(ID_PFR0_EL1), IDAA32(ID_PFR1_EL1),
	IDAA32(ID_DFR0_EL1), IDHIDDEN(ID_AFR0_EL1),
	IDAA32(ID_MMFR0_EL1), IDAA32(ID_MMFR1_EL1),
	IDAA32(ID_MMFR2_EL1), IDAA32(ID_MMFR3_EL1),
	IDAA32(ID_ISAR0_EL1), IDAA32(ID_ISAR1_EL1),
	IDAA32(ID_ISAR2_EL1), IDAA32(ID_ISAR3_EL1),
	IDAA32(ID_ISAR4_EL1), IDAA32(ID_ISAR5_EL1),
	IDAA32(ID_MMFR4_EL1), IDAA32(ID_ISAR6_EL1),
	IDAA32(MVFR0_EL1), IDAA32(MVFR1_EL1),
	IDAA32(MVFR2_EL1), IDRAZ_AT(3, 3),
	IDAA32(ID_PFR2_EL1), IDHIDDEN(ID_DFR1_EL1),
	IDAA32(ID_MMFR5_EL1), IDRAZ_AT(3, 7),
	IDREG(ID_AA64PFR0_EL1, SR_ID_AA64PFR0_EL1),
	IDREG(ID_AA64PFR1_EL1, SR_ID_AA64PFR1_EL1),
	IDREG(ID_AA64PFR2_EL1, SR_ID_AA64PFR2_EL1), IDRAZ_AT(4, 3),
	IDREG(ID_AA64ZFR0_EL1, SR_ID_AA64ZFR0_EL1),
	IDRAZ(ID_AA64SMFR0_EL1), IDRAZ_AT(4, 6),
	IDREG(ID_AA64FPFR0_EL1, SR_ID_AA64FPFR0_EL1),
	IDREG(ID_AA64DFR0_EL1, SR_ID_AA64DFR0_EL1),
	IDREG(ID_AA64DFR1_EL1, SR_ID_AA64DFR1_EL1),
	IDRAZ(ID_AA64DFR2_EL1), IDRAZ_AT(5, 3),
	IDREG(ID_AA64AFR0_EL1, SR_ID_AA64AFR0_EL1),
	IDREG(ID_AA64AFR1_EL1, SR_ID_AA64AFR1_EL1),
	IDRAZ_AT(5, 6), IDRAZ_AT(5, 7),
	IDREG(ID_AA64ISAR0_EL1, SR_ID_AA64ISAR0_EL1),
	IDREG(ID_AA64ISAR1_EL1, SR_ID_AA64ISAR1_EL1),
	IDREG(ID_AA64ISAR2_EL1, SR_ID_AA64ISAR2_EL1),
	IDREG(ID_AA64ISAR3_EL1, SR_ID_AA64ISAR3_EL1), IDRAZ_AT(6, 4),
	IDRAZ_AT(6, 5), IDRAZ_AT(6, 6),
	IDRAZ_AT(6, 7),
	IDREG(ID_AA64MMFR0_EL1, SR_ID_AA64MMFR0_EL1),
	IDREG(ID_AA64MMFR1_EL1, SR_ID_AA64MMFR1_EL1),
	IDREG(ID_AA64MMFR2_EL1, SR_ID_AA64MMFR2_EL1),
	IDREG(ID_AA64MMFR3_EL1, SR_ID_AA64MMFR3_EL1),
	IDREG(ID_AA64MMFR4_EL1, SR_ID_AA64MMFR4_EL1),
	IDRAZ_AT(7, 5), IDRAZ_AT(7, 6),
	IDRAZ_AT(7, 7),

	/* system control, translation, faults */
	ACC(SCTLR_EL1, SR_SCTLR_EL1, SCTLR_EL1_RESET, SR_FLUSH, NULL, write_sctlr),
	REG(ACTLR_EL1, SR_ACTLR_EL1, 0, 0),
	REG(CPACR_EL1, SR_CPACR_EL1, 0, 0),
	ACC(ZCR_EL1, SR_ZCR_EL1, 0, SR_SVE, NULL, write_zcr),
	REG(TTBR0_EL1, SR_TTBR0_EL1, 0, SR_TLBCTX),
	REG(TTBR1_EL1, SR_TTBR1_EL1, 0, SR_TLBCTX),
	REG(TCR_EL1, SR_TCR_EL1, 0, SR_FLUSH),
	REG(APIAKEYLO_EL1, SR_APIAKEYLO_EL1, 0, SR_PTRAUTH),
	REG(APIAKEYHI_EL1, SR_APIAKEYHI_EL1, 0, SR_PTRAUTH),
	REG(APIBKEYLO_EL1, SR_APIBKEYLO_EL1, 0, SR_PTRAUTH),
	REG(APIBKEYHI_EL1, SR_APIBKEYHI_EL1, 0, SR_PTRAUTH),
	REG(APDAKEYLO_EL1, SR_APDAKEYLO_EL1, 0, SR_PTRAUTH),
	REG(APDAKEYHI_EL1, SR_APDAKEYHI_EL1, 0, SR_PTRAUTH),
	REG(APDBKEYLO_EL1, SR_APDBKEYLO_EL1, 0, SR_PTRAUTH),
	REG(APDBKEYHI_EL1, SR_APDBKEYHI_EL1, 0, SR_PTRAUTH),
	REG(APGAKEYLO_EL1, SR_APGAKEYLO_EL1, 0, SR_PTRAUTH),
	REG(APGAKEYHI_EL1, SR_APGAKEYHI_EL1, 0, SR_PTRAUTH),
	NOUSER(SPSR_EL1, 0, read_spsr, write_spsr),
	NOUSER(ELR_EL1, 0, read_elr, write_elr),
	NOUSER(SP_EL0, 0, read_sp_el0, write_sp_el0),
	NOUSER(SPSel, 0, read_spsel, write_spsel),
	NOUSER(CurrentEL, SR_RO | SR_EL0_R, read_currentel, NULL),
	PSTATE_BIT(PAN, 0),
	PSTATE_BIT(UAO, 0),
	/* FEAT_MTE2 */
	PSTATE_BIT(TCO, SR_EL0_R | SR_EL0_W | SR_MTE),
	REG(RGSR_EL1, SR_RGSR_EL1, 0, SR_MTE),
	REG(GCR_EL1, SR_GCR_EL1, 0, SR_MTE),
	REG(TFSR_EL1, SR_TFSR_EL1, 0, SR_MTE),
	REG(TFSRE0_EL1, SR_TFSRE0_EL1, 0, SR_MTE),
	ACC(GMID_EL1, -1, 0, SR_MTE | SR_NO_USER | SR_RO, read_gmid, NULL),
	REG(AFSR0_EL1, SR_AFSR0_EL1, 0, 0),
	REG(AFSR1_EL1, SR_AFSR1_EL1, 0, 0),
	REG(ESR_EL1, SR_ESR_EL1, 0, 0),
	/* RAS: no error records (ERRIDR_EL1.NUM = 0) */
	NOUSER(ERRIDR_EL1, SR_RO | SR_RAZ_WI, NULL, NULL),
	NOUSER(ERRSELR_EL1, SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXFR_EL1, SR_RO | SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXCTLR_EL1, SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXSTATUS_EL1, SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXADDR_EL1, SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXMISC0_EL1, SR_RAZ_WI, NULL, NULL),
	NOUSER(ERXMISC1_EL1, SR_RAZ_WI, NULL, NULL),
	REG(FAR_EL1, SR_FAR_EL1, 0, 0),
	REG(PAR_EL1, SR_PAR_EL1, 0, 0),
	REG(MAIR_EL1, SR_MAIR_EL1, 0, SR_FLUSH),
	REG(AMAIR_EL1, SR_AMAIR_EL1, 0, 0),
	REG(VBAR_EL1, SR_VBAR_EL1, 0, 0),
	NOUSER(ISR_EL1, SR_RO, read_isr, NULL),
	REG(DISR_EL1, SR_DISR_EL1, 0, 0),
	REG(CONTEXTIDR_EL1, SR_CONTEXTIDR_EL1, 0, 0),	/* no part of translation */
	REG(TPIDR_EL1, SR_TPIDR_EL1, 0, 0),
	REG(CNTKCTL_EL1, SR_CNTKCTL_EL1, 0, 0),

	/* performance monitors (PMUv3p5); KVM lists all but PMCEID*, PMXEV*, PMMIR */
	PMU_USER(PMINTENSET_EL1, SR_PMINTENSET_EL1, 0, read_pmbits, write_pmset,
		 get_pmbits, set_pmbits),
	PMU_USER(PMINTENCLR_EL1, SR_PMINTENSET_EL1, 0, read_pmbits, write_pmclr,
		 get_pmbits, set_pmbits),
	ACC(PMMIR_EL1, -1, 0, SR_PMU | SR_NO_USER | SR_RO | SR_RAZ_WI, NULL, NULL),
	PMU_USER(PMCR_EL0, SR_PMCR_EL0, 0, read_pmcr, write_pmcr, get_pmcr, set_pmcr),
	PMU_USER(PMCNTENSET_EL0, SR_PMCNTENSET_EL0, 0, read_pmbits, write_pmset,
		 get_pmbits, set_pmbits),
	PMU_USER(PMCNTENCLR_EL0, SR_PMCNTENSET_EL0, 0, read_pmbits, write_pmclr,
		 get_pmbits, set_pmbits),
	PMU_USER(PMOVSCLR_EL0, SR_PMOVSSET_EL0, 0, read_pmbits, write_pmclr,
		 get_pmbits, set_pmbits),
	PMU_USER(PMOVSSET_EL0, SR_PMOVSSET_EL0, 0, read_pmbits, write_pmset,
		 get_pmbits, set_pmbits),
	PMU(PMSWINC_EL0, -1, SR_WO | SR_USER_WI, NULL, write_pmswinc),
	PMU(PMSELR_EL0, SR_PMSELR_EL0, 0, read_pmselr, write_pmselr),
	PMU(PMCEID0_EL0, -1, SR_NO_USER | SR_RO, read_pmceid, NULL),
	PMU(PMCEID1_EL0, -1, SR_NO_USER | SR_RO, read_pmceid, NULL),
	PMU(PMCCNTR_EL0, SR_PMCCNTR_EL0, 0, read_pmccntr, write_pmccntr),
	PMU(PMXEVTYPER_EL0, -1, SR_NO_USER, read_pmxevtyper, write_pmxevtyper),
	PMU(PMXEVCNTR_EL0, -1, SR_NO_USER, read_pmxevcntr, write_pmxevcntr),
	ACC(PMUSERENR_EL0, SR_PMUSERENR_EL0, 0, SR_PMU | SR_EL0_R, NULL, write_pmuserenr),
	PMEV8(0), PMEV8(8), PMEV8(16),
	PMEVn(24), PMEVn(25), PMEVn(26), PMEVn(27), PMEVn(28), PMEVn(29), PMEVn(30),
	{ .name = "PMCCFILTR_EL0", .enc = SYS_PMCCFILTR_EL0, .slot = SR_PMCCFILTR_EL0,
	  .flags = SR_PMU | SR_EL0_R | SR_EL0_W,
	  .read = read_pmevtyper, .write = write_pmevtyper },

	/*
	 * EL2, as upstream's get-reg-list lists it for a vCPU without the
	 * features this CPU lacks (FGT, HCX, TCRX, S1PIE/S1POE, SCTLRX,
	 * NV3, VH: no HFG*, HDFG*, HAFGRTR, HCRX, TCR2, PIR*, POR, SCTLR2,
	 * NVHCR, CNTHV_* rows; VNCR with FEAT_NV2 only).  State only so far: what each bit
	 * does is the engine's, step by step (docs/nested.md).
	 */
	EL2REG(VPIDR_EL2, 0, 0),
	EL2REG(VMPIDR_EL2, 0, 0),
	EL2REG(SCTLR_EL2, SCTLR_EL2_RES1, SR_FLUSH),
	EL2REG(ACTLR_EL2, 0, 0),
	{ .name = "HCR_EL2", .enc = SYS_HCR_EL2, .slot = SR_HCR_EL2, .flags = SR_EL2,
	  .write = write_hcr, .set_user = set_hcr_user },
	ACC(MDCR_EL2, SR_MDCR_EL2, 0, SR_EL2, NULL, write_mdcr_el2),
	EL2REG(CPTR_EL2, CPTR_EL2_RES1, 0),
	EL2REG(HSTR_EL2, 0, 0),
	EL2REG(HACR_EL2, 0, 0),
	EL2REG(ZCR_EL2, 0, SR_SVE),
	EL2REG(TTBR0_EL2, 0, SR_TLBCTX),
	EL2REG(TTBR1_EL2, 0, SR_TLBCTX),
	EL2REG(TCR_EL2, 0, SR_FLUSH),
	ACC(VTTBR_EL2, SR_VTTBR_EL2, 0, SR_EL2 | SR_TLBCTX, NULL, write_s2_reg),
	ACC(VTCR_EL2, SR_VTCR_EL2, 0, SR_EL2 | SR_TLBCTX, NULL, write_s2_reg),
	{ .name = "VNCR_EL2", .enc = SYS_VNCR_EL2, .slot = SR_VNCR_EL2,
	  .flags = SR_EL2 | SR_NV2, .write = write_vncr, .set_user = set_vncr_user },
	EL2REG(SPSR_EL2, 0, 0),
	EL2REG(ELR_EL2, 0, 0),
	ACC(SP_EL1, -1, 0, SR_EL2 | SR_NO_USER, read_sp_el1, write_sp_el1),
	EL2REG(AFSR0_EL2, 0, 0),
	EL2REG(AFSR1_EL2, 0, 0),
	EL2REG(ESR_EL2, 0, 0),
	/* with MTE: state only (tag check faults at EL2 and in EL2&0 still set
	 * TFSR_EL1; TFSR_EL1 at EL2 with E2H is not redirected to it), not
	 * listed: upstream KVM offers no MTE to a vCPU with EL2 */
	EL2REG(TFSR_EL2, 0, SR_MTE | SR_NO_USER),
	EL2REG(VSESR_EL2, 0, 0),
	EL2REG(FAR_EL2, 0, 0),
	EL2REG(HPFAR_EL2, 0, 0),
	EL2REG(MAIR_EL2, 0, SR_FLUSH),
	EL2REG(AMAIR_EL2, 0, 0),
	EL2REG(VBAR_EL2, 0, 0),
	EL2REG(VDISR_EL2, 0, 0),
	EL2REG(CONTEXTIDR_EL2, 0, 0),
	EL2REG(TPIDR_EL2, 0, 0),
	/* the EL2 physical timer: the ptimer's count, its own PPI (26) */
	ACC(CNTVOFF_EL2, SR_CNTVOFF_EL2, 0, SR_EL2, NULL, write_cntvoff),
	ACC(CNTHCTL_EL2, SR_CNTHCTL_EL2, 0, SR_EL2, NULL, write_cnthctl),
	ACC(CNTHP_CTL_EL2, SR_CNTHP_CTL_EL2, 0, SR_EL2, read_timer_ctl, write_timer_ctl),
	ACC(CNTHP_CVAL_EL2, SR_CNTHP_CVAL_EL2, 0, SR_EL2, read_timer_cval,
	    write_timer_cval),
	ACC(CNTHP_TVAL_EL2, SR_CNTHP_CVAL_EL2, 0, SR_EL2 | SR_NO_USER, read_timer_tval,
	    write_timer_tval),
	/* FEAT_VHE's EL2 virtual timer: the physical count (no offset), PPI 28 */
	ACC(CNTHV_CTL_EL2, SR_CNTHV_CTL_EL2, 0, SR_EL2 | SR_VHE, read_timer_ctl,
	    write_timer_ctl),
	ACC(CNTHV_CVAL_EL2, SR_CNTHV_CVAL_EL2, 0, SR_EL2 | SR_VHE, read_timer_cval,
	    write_timer_cval),
	ACC(CNTHV_TVAL_EL2, SR_CNTHV_CVAL_EL2, 0, SR_EL2 | SR_VHE | SR_NO_USER,
	    read_timer_tval, write_timer_tval),
	E2H_ALIAS(SCTLR_EL12, SCTLR_EL1), E2H_ALIAS(CPACR_EL12, CPACR_EL1),
	E2H_ALIAS(ZCR_EL12, ZCR_EL1), E2H_ALIAS(TTBR0_EL12, TTBR0_EL1),
	E2H_ALIAS(TTBR1_EL12, TTBR1_EL1), E2H_ALIAS(TCR_EL12, TCR_EL1),
	E2H_ALIAS(SPSR_EL12, SPSR_EL1), E2H_ALIAS(ELR_EL12, ELR_EL1),
	E2H_ALIAS(AFSR0_EL12, AFSR0_EL1), E2H_ALIAS(AFSR1_EL12, AFSR1_EL1),
	E2H_ALIAS(ESR_EL12, ESR_EL1), E2H_ALIAS(FAR_EL12, FAR_EL1),
	E2H_ALIAS(MAIR_EL12, MAIR_EL1), E2H_ALIAS(AMAIR_EL12, AMAIR_EL1),
	E2H_ALIAS(VBAR_EL12, VBAR_EL1), E2H_ALIAS(CONTEXTIDR_EL12, CONTEXTIDR_EL1),
	E2H_ALIAS(CNTKCTL_EL12, CNTKCTL_EL1),
	/* with MTE (TFSR_EL1 at EL2 with E2H reaching TFSR_EL2: not yet) */
	{ .name = "TFSR_EL12", .enc = (SYS_TFSR_EL1 & ~SYS_OP1_MASK) | (5u << 11), .slot = -1,
	  .flags = SR_EL2 | SR_VHE | SR_NO_USER | SR_E2H_ALIAS | SR_MTE, .alias = SYS_TFSR_EL1 },
	E2H_ALIAS(CNTP_TVAL_EL02, CNTP_TVAL_EL0), E2H_ALIAS(CNTP_CTL_EL02, CNTP_CTL_EL0),
	E2H_ALIAS(CNTP_CVAL_EL02, CNTP_CVAL_EL0), E2H_ALIAS(CNTV_TVAL_EL02, CNTV_TVAL_EL0),
	E2H_ALIAS(CNTV_CTL_EL02, CNTV_CTL_EL0), E2H_ALIAS(CNTV_CVAL_EL02, CNTV_CVAL_EL0),
	{ .name = "SP_EL2", .enc = SYS_SP_EL2, .slot = -1, .flags = SR_EL2 | SR_EL3,
	  .get_user = get_sp_el2, .set_user = set_sp_el2 },

	/* GICv3 CPU interface */
	ICC(ICC_PMR_EL1, ICC_PMR, 0),
	ICC(ICC_IAR0_EL1, ICC_IAR0, SR_RO),
	ICC(ICC_EOIR0_EL1, ICC_EOIR0, SR_WO),
	ICC(ICC_HPPIR0_EL1, ICC_HPPIR0, SR_RO),
	ICC(ICC_BPR0_EL1, ICC_BPR0, 0),
	ICC(ICC_AP0R0_EL1, ICC_AP0R0, 0),
	ICC(ICC_AP1R0_EL1, ICC_AP1R0, 0),
	ICC(ICC_DIR_EL1, ICC_DIR, SR_WO),
	ICC(ICC_RPR_EL1, ICC_RPR, SR_RO),
	ICC(ICC_SGI1R_EL1, ICC_SGI1R, SR_WO),
	ICC(ICC_ASGI1R_EL1, ICC_ASGI1R, SR_WO),
	ICC(ICC_SGI0R_EL1, ICC_SGI0R, SR_WO),
	ICC(ICC_IAR1_EL1, ICC_IAR1, SR_RO),
	ICC(ICC_EOIR1_EL1, ICC_EOIR1, SR_WO),
	ICC(ICC_HPPIR1_EL1, ICC_HPPIR1, SR_RO),
	ICC(ICC_BPR1_EL1, ICC_BPR1, 0),
	ICC(ICC_CTLR_EL1, ICC_CTLR, 0),
	ICC(ICC_SRE_EL1, ICC_SRE, 0),
	ICC(ICC_IGRPEN0_EL1, ICC_IGRPEN0, 0),
	ICC(ICC_IGRPEN1_EL1, ICC_IGRPEN1, 0),
	ICH(ICH_AP0R0_EL2, ICH_AP0R0, 0),
	ICH(ICH_AP1R0_EL2, ICH_AP1R0, 0),
	ICH(ICC_SRE_EL2, ICC_SRE_EL2, 0),
	ICH(ICH_HCR_EL2, ICH_HCR, 0),
	ICH(ICH_VTR_EL2, ICH_VTR, SR_RO),
	ICH(ICH_MISR_EL2, ICH_MISR, SR_RO),
	ICH(ICH_EISR_EL2, ICH_EISR, SR_RO),
	ICH(ICH_ELRSR_EL2, ICH_ELRSR, SR_RO),
	ICH(ICH_VMCR_EL2, ICH_VMCR, 0),
	ICH(ICH_LR0_EL2, ICH_LR0, 0),
	ICH(ICH_LR1_EL2, ICH_LR1, 0),
	ICH(ICH_LR2_EL2, ICH_LR2, 0),
	ICH(ICH_LR3_EL2, ICH_LR3, 0),

	/* cache identification */
	NOUSER(CCSIDR_EL1, SR_RO, read_ccsidr, NULL),
	REG(CLIDR_EL1, SR_CLIDR_EL1, 0, SR_RO | SR_INVARIANT),
	REG(AIDR_EL1, SR_AIDR_EL1, 0, SR_RO | SR_INVARIANT),
	ACC(CSSELR_EL1, SR_CSSELR_EL1, 0, 0, NULL, write_csselr),
	/* EL0 gates (cpu_el0_gate): SCTLR_EL1.UCT, .UMA; CNTKCTL_EL1.EL0*EN */
	GATED(CTR_EL0, SR_CTR_EL0, SR_RO | SR_INVARIANT | SR_EL0_R, NULL, NULL,
	      SR_SCTLR_EL1, SCTLR_UCT),
	ACC(DCZID_EL0, SR_DCZID_EL0, 0,
	    SR_RO | SR_NO_USER | SR_EL0_R, read_dczid, NULL),

	/* EL0-visible PSTATE and FP control */
	NOUSER(NZCV, SR_EL0_R | SR_EL0_W, read_nzcv, write_nzcv),
	NOUSER(RNDR, SR_RO | SR_EL0_R, read_rndr, NULL),
	NOUSER(RNDRRS, SR_RO | SR_EL0_R, read_rndr, NULL),
	GATED(DAIF, -1, SR_NO_USER | SR_EL0_R | SR_EL0_W, read_daif, write_daif,
	      SR_SCTLR_EL1, SCTLR_UMA),
	PSTATE_BIT(DIT, SR_EL0_R | SR_EL0_W),
	PSTATE_BIT(SSBS, SR_EL0_R | SR_EL0_W),
	NOUSER(FPCR, SR_EL0_R | SR_EL0_W | SR_FP, read_fpcr, write_fpcr),
	NOUSER(FPSR, SR_EL0_R | SR_EL0_W | SR_FP, read_fpsr, write_fpsr),

	/* thread ID */
	REG(TPIDR_EL0, SR_TPIDR_EL0, 0, SR_EL0_R | SR_EL0_W),
	REG(TPIDRRO_EL0, SR_TPIDRRO_EL0, 0, SR_EL0_R),

	/* generic timer; userspace reaches these through KVM_REG_ARM_TIMER_* */
	TIMER(CNTFRQ_EL0, -1, SR_RO, read_cntfrq, NULL,
	      CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN),
	TIMER(CNTPCT_EL0, -1, SR_RO, read_cntpct, NULL, CNTKCTL_EL0PCTEN),
	TIMER(CNTVCT_EL0, -1, SR_RO, read_cntvct, NULL, CNTKCTL_EL0VCTEN),
	/* FEAT_ECV's self-synchronized views: every read here is */
	TIMER(CNTPCTSS_EL0, -1, SR_RO | SR_ECV, read_cntpct, NULL, CNTKCTL_EL0PCTEN),
	TIMER(CNTVCTSS_EL0, -1, SR_RO | SR_ECV, read_cntvct, NULL, CNTKCTL_EL0VCTEN),
	TIMER(CNTP_TVAL_EL0, SR_CNTP_CVAL_EL0, 0, read_timer_tval, write_timer_tval,
	      CNTKCTL_EL0PTEN),
	TIMER(CNTP_CTL_EL0, SR_CNTP_CTL_EL0, 0, read_timer_ctl, write_timer_ctl,
	      CNTKCTL_EL0PTEN),
	TIMER(CNTP_CVAL_EL0, SR_CNTP_CVAL_EL0, 0, read_timer_cval, write_timer_cval,
	      CNTKCTL_EL0PTEN),
	TIMER(CNTV_TVAL_EL0, SR_CNTV_CVAL_EL0, 0, read_timer_tval, write_timer_tval,
	      CNTKCTL_EL0VTEN),
	TIMER(CNTV_CTL_EL0, SR_CNTV_CTL_EL0, 0, read_timer_ctl, write_timer_ctl,
	      CNTKCTL_EL0VTEN),
	TIMER(CNTV_CVAL_EL0, SR_CNTV_CVAL_EL0, 0, read_timer_cval, write_timer_cval,
	      CNTKCTL_EL0VTEN),
};

static int desc_cmp(const void *a, const void *b)
{
	const struct sys_reg_desc *x = a, *y = b;

	return (x->enc > y->enc) - (x->enc < y->enc);
}

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/*
 * FEAT_VHE's redirection at EL2 with E2H (Arm ARM D13.2): each EL1
 * register to its EL2 counterpart; the EL0 timers (el0: at EL0 in EL2&0
 * too) to the EL2 timers.
 */
static const struct {
	u32 enc, el2;
	bool el0;
} e2h_redirects[] = {
	{ SYS_SCTLR_EL1, SYS_SCTLR_EL2, false }, { SYS_CPACR_EL1, SYS_CPTR_EL2, false },
	{ SYS_ZCR_EL1, SYS_ZCR_EL2, false }, { SYS_TTBR0_EL1, SYS_TTBR0_EL2, false },
	{ SYS_TTBR1_EL1, SYS_TTBR1_EL2, false }, { SYS_TCR_EL1, SYS_TCR_EL2, false },
	{ SYS_SPSR_EL1, SYS_SPSR_EL2, false }, { SYS_ELR_EL1, SYS_ELR_EL2, false },
	{ SYS_AFSR0_EL1, SYS_AFSR0_EL2, false }, { SYS_AFSR1_EL1, SYS_AFSR1_EL2, false },
	{ SYS_ESR_EL1, SYS_ESR_EL2, false }, { SYS_FAR_EL1, SYS_FAR_EL2, false },
	{ SYS_MAIR_EL1, SYS_MAIR_EL2, false }, { SYS_AMAIR_EL1, SYS_AMAIR_EL2, false },
	{ SYS_VBAR_EL1, SYS_VBAR_EL2, false }, { SYS_CONTEXTIDR_EL1, SYS_CONTEXTIDR_EL2, false },
	{ SYS_CNTKCTL_EL1, SYS_CNTHCTL_EL2, false },
	{ SYS_CNTP_TVAL_EL0, SYS_CNTHP_TVAL_EL2, true },
	{ SYS_CNTP_CTL_EL0, SYS_CNTHP_CTL_EL2, true },
	{ SYS_CNTP_CVAL_EL0, SYS_CNTHP_CVAL_EL2, true },
	{ SYS_CNTV_TVAL_EL0, SYS_CNTHV_TVAL_EL2, true },
	{ SYS_CNTV_CTL_EL0, SYS_CNTHV_CTL_EL2, true },
	{ SYS_CNTV_CVAL_EL0, SYS_CNTHV_CVAL_EL2, true },
};

/*
 * FEAT_NV2: the registers of the VNCR page vkvm implements, with their
 * offsets (Arm ARM R_CSRPQ, Linux's vncr_mapping.h).  VNCR_NV1 rows are
 * EL1 (EL0 timer) registers: their EL1 encoding goes to memory under NV1,
 * their _EL12 (_EL02) one without it.  The other rows always go there.
 */
static const struct {
	u32 enc;
	u16 vncr;
} vncr_map[] = {
	{ SYS_VTTBR_EL2, 0x020 }, { SYS_VTCR_EL2, 0x040 }, { SYS_VMPIDR_EL2, 0x050 },
	{ SYS_CNTVOFF_EL2, 0x060 }, { SYS_HCR_EL2, 0x078 }, { SYS_HSTR_EL2, 0x080 },
	{ SYS_VPIDR_EL2, 0x088 }, { SYS_TPIDR_EL2, 0x090 }, { SYS_VNCR_EL2, 0x0b0 },
	{ SYS_CPACR_EL1, 0x100 | VNCR_NV1 }, { SYS_CONTEXTIDR_EL1, 0x108 | VNCR_NV1 },
	{ SYS_SCTLR_EL1, 0x110 | VNCR_NV1 }, { SYS_ACTLR_EL1, 0x118 | VNCR_EL1_REG },
	{ SYS_TCR_EL1, 0x120 | VNCR_NV1 }, { SYS_AFSR0_EL1, 0x128 | VNCR_NV1 },
	{ SYS_AFSR1_EL1, 0x130 | VNCR_NV1 }, { SYS_ESR_EL1, 0x138 | VNCR_NV1 },
	{ SYS_MAIR_EL1, 0x140 | VNCR_NV1 }, { SYS_AMAIR_EL1, 0x148 | VNCR_NV1 },
	{ SYS_MDSCR_EL1, 0x158 | VNCR_EL1_REG }, { SYS_SPSR_EL1, 0x160 | VNCR_NV1 },
	{ SYS_CNTV_CVAL_EL0, 0x168 | VNCR_NV1 }, { SYS_CNTV_CTL_EL0, 0x170 | VNCR_NV1 },
	{ SYS_CNTP_CVAL_EL0, 0x178 | VNCR_NV1 }, { SYS_CNTP_CTL_EL0, 0x180 | VNCR_NV1 },
	{ SYS_TFSR_EL1, 0x190 | VNCR_NV1 }, { SYS_ZCR_EL1, 0x1e0 | VNCR_NV1 },
	{ SYS_TTBR0_EL1, 0x200 | VNCR_NV1 }, { SYS_TTBR1_EL1, 0x210 | VNCR_NV1 },
	{ SYS_FAR_EL1, 0x220 | VNCR_NV1 }, { SYS_ELR_EL1, 0x230 | VNCR_NV1 },
	{ SYS_SP_EL1, 0x240 }, { SYS_VBAR_EL1, 0x250 | VNCR_NV1 },
	{ SYS_ICH_LR0_EL2, 0x400 }, { SYS_ICH_LR1_EL2, 0x408 }, { SYS_ICH_LR2_EL2, 0x410 },
	{ SYS_ICH_LR3_EL2, 0x418 }, { SYS_ICH_AP0R0_EL2, 0x480 }, { SYS_ICH_AP1R0_EL2, 0x4a0 },
	{ SYS_ICH_HCR_EL2, 0x4c0 }, { SYS_ICH_VMCR_EL2, 0x4c8 }, { SYS_VDISR_EL2, 0x500 },
	{ SYS_VSESR_EL2, 0x508 },
	/* not memory: the EL2 registers whose state is in the EL1 ones under NV2 */
	{ SYS_SPSR_EL2, VNCR_TO_EL1 }, { SYS_ELR_EL2, VNCR_TO_EL1 },
	{ SYS_ESR_EL2, VNCR_TO_EL1 }, { SYS_FAR_EL2, VNCR_TO_EL1 },
	{ SYS_TFSR_EL2, VNCR_TO_EL1 },
};

static struct sys_reg_desc *find_reg_rw(u32 enc);

static void table_sort(void)
{
	size_t i;

	qsort(sys_reg_descs, ARRAY_SIZE(sys_reg_descs), sizeof(sys_reg_descs[0]),
	      desc_cmp);
	for (i = 0; i < ARRAY_SIZE(e2h_redirects); i++) {
		struct sys_reg_desc *d = find_reg_rw(e2h_redirects[i].enc);

		if (!d)
			continue;
		d->flags |= SR_E2H_REDIR | (e2h_redirects[i].el0 ? SR_E2H_REDIR0 : 0);
		d->alias = e2h_redirects[i].el2;
	}
	for (i = 0; i < ARRAY_SIZE(vncr_map); i++) {
		struct sys_reg_desc *d = find_reg_rw(vncr_map[i].enc), *a;
		u16 v = vncr_map[i].vncr;

		if (!d)
			continue;
		d->vncr = v;
		/* ELR_EL2 and friends reach their EL1 encoding: op1 0 */
		if (v & VNCR_TO_EL1)
			d->alias = vncr_map[i].enc & ~SYS_OP1_MASK;
		if (!(v & VNCR_NV1))
			continue;
		a = find_reg_rw((vncr_map[i].enc & ~SYS_OP1_MASK) | (5u << 11));
		if (a)
			a->vncr = (v & VNCR_OFF_MASK) | VNCR_NO_NV1;
	}
}

/* The sorted table's entry for @enc (table_sort() has run), or NULL. */
static struct sys_reg_desc *find_reg_rw(u32 enc)
{
	size_t lo = 0, hi = ARRAY_SIZE(sys_reg_descs);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sys_reg_descs[mid].enc == enc)
			return &sys_reg_descs[mid];
		if (sys_reg_descs[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct sys_reg_desc *find_reg(u32 enc)
{
	pthread_once(&table_once, table_sort);
	return find_reg_rw(enc);
}

/* Does the register exist for this vCPU at all? */
static bool sysreg_visible(const struct kvm_vcpu *vcpu, const struct sys_reg_desc *d)
{
	if ((d->flags & SR_SVE) && !vcpu_has_sve(vcpu))
		return false;
	if ((d->flags & SR_PTRAUTH) && !vcpu_has_ptrauth(vcpu))
		return false;
	if ((d->flags & SR_PMU) && !vcpu_has_pmu(vcpu))
		return false;
	if ((d->flags & SR_EL2) && !vcpu_has_el2(vcpu))
		return false;
	if ((d->flags & SR_VHE) && !vcpu_has_vhe(vcpu))
		return false;
	if ((d->flags & SR_NV2) && cpu_nv_level(&vcpu->cpu.state) < 2)
		return false;
	if ((d->flags & SR_MTE) && !kvm_has_mte(vcpu->kvm))
		return false;
	if ((d->flags & SR_ECV) && !cpu_ecv(&vcpu->cpu.state))
		return false;
	return true;
}

static bool sysreg_user_visible(const struct kvm_vcpu *vcpu,
				const struct sys_reg_desc *d)
{
	if (d->flags & SR_NO_USER)
		return false;
	return sysreg_visible(vcpu, d);
}

/* ---- the engine's side: MRS and MSR ------------------------------------------------ */

const struct sys_reg_desc *sys_reg_lookup(uint32_t enc)
{
	return find_reg(enc);
}

/*
 * A FEAT_ECV trap of CNTHCTL_EL2 (@bit) at EL0 or EL1: outside the EL2&0
 * regime only (the registers' access pseudocode: HCR_EL2.{E2H,TGE} !=
 * {1,1}), EC 0x18 to EL2.
 */
static int ecv_trap(const struct cpu_state *s, u64 bit)
{
	if (!cpu_ecv(s) || cpu_e2h_tge(s) || !(s->sysreg[SR_CNTHCTL_EL2] & bit))
		return SYSREG_OK;
	return SYSREG_TRAP_EL2;
}

/*
 * The EL2 trap controls of an MRS/MSR below EL2 (Arm ARM D1 and each
 * register's accessibility pseudocode), on a vCPU with EL2: HCR_EL2's
 * TID1, TID2, TID3 (the ID groups), TACR (ACTLR_EL1), TVM and TRVM (the
 * virtual memory controls, writes and reads), APK clear (the PAuth keys);
 * CPTR_EL2.TCPAC (CPACR_EL1); MDCR_EL2's TDA, TDOSA, TDRA and TDE (the
 * debug registers) and TPM (the PMU registers without an accessor; the
 * others check in pmu_el0()).  SYSREG_TRAP_EL2 when one applies.
 */
static int el2_trap(struct cpu *cpu, u32 enc, bool write, unsigned int el)
{
	const struct cpu_state *s = &cpu->state;
	u64 hcr = s->sysreg[SR_HCR_EL2], mdcr = s->sysreg[SR_MDCR_EL2], bit = 0;

	if (SYS_REG_OP0(enc) == 2) {
		/* the debug registers: MDCR_EL2.TDRA, TDOSA, TDA, or TDE for all,
		 * after EL0's MDSCR_EL1.TDCC (the DCC registers' accessors) */
		int r = el == 0 ? dcc_el0_gate(cpu) : SYSREG_OK;

		if (r != SYSREG_OK)
			return r;
		if (enc == SYS_MDRAR_EL1)
			bit = MDCR_EL2_TDRA;
		else if (enc == SYS_OSLAR_EL1 || enc == SYS_OSLSR_EL1 ||
			 enc == SYS_OSDLR_EL1 || enc == SYS_DBGPRCR_EL1)
			bit = MDCR_EL2_TDOSA;
		else
			bit = MDCR_EL2_TDA;
		/* HCR_EL2.TGE: MDCR_EL2.TDE acts as 1 (E2H 1 too: the host's EL0) */
		if (hcr & HCR_TGE)
			mdcr |= MDCR_EL2_TDE;
		return (mdcr & (bit | MDCR_EL2_TDE)) ? SYSREG_TRAP_EL2 : SYSREG_OK;
	}
	switch (enc) {
	case SYS_PMUSERENR_EL0: case SYS_PMMIR_EL1:
		/* the other PMU registers' accessors check (pmu_el0) */
		return pmu_el2_trap(s, MDCR_EL2_TPM);
	case SYS_CTR_EL0:
		bit = HCR_TID2;		/* EL0's too */
		break;
	case SYS_CCSIDR_EL1: case SYS_CLIDR_EL1:
	case SYS_CSSELR_EL1:
		bit = HCR_TID2;
		break;
	case SYS_REVIDR_EL1: case SYS_AIDR_EL1:
		bit = HCR_TID1;
		break;
	case SYS_ACTLR_EL1:
		bit = HCR_TACR;
		break;
	case SYS_SCTLR_EL1: case SYS_TTBR0_EL1: case SYS_TTBR1_EL1:
	case SYS_TCR_EL1: case SYS_ESR_EL1: case SYS_FAR_EL1:
	case SYS_AFSR0_EL1: case SYS_AFSR1_EL1: case SYS_MAIR_EL1:
	case SYS_AMAIR_EL1: case SYS_CONTEXTIDR_EL1:
		bit = write ? HCR_TVM : HCR_TRVM;
		break;
	case SYS_APIAKEYLO_EL1: case SYS_APIAKEYHI_EL1:
	case SYS_APIBKEYLO_EL1: case SYS_APIBKEYHI_EL1:
	case SYS_APDAKEYLO_EL1: case SYS_APDAKEYHI_EL1:
	case SYS_APDBKEYLO_EL1: case SYS_APDBKEYHI_EL1:
	case SYS_APGAKEYLO_EL1: case SYS_APGAKEYHI_EL1:
		/* EL1 only (EL0 cannot reach them): trapped unless APK */
		return (hcr & HCR_APK) ? SYSREG_OK : SYSREG_TRAP_EL2;
	case SYS_CPACR_EL1:
		return (s->sysreg[SR_CPTR_EL2] & CPTR_EL2_TCPAC) ? SYSREG_TRAP_EL2 : SYSREG_OK;
	case SYS_CNTPCT_EL0: case SYS_CNTPCTSS_EL0:
		/* CNTHCTL_EL2: EL0's and EL1's physical count, after EL0's
		 * CNTKCTL_EL1 gate; in EL2&0 (E2H, TGE) its EL0 bits were
		 * EL0's gate (cpu_el0_gate) */
		if (cpu_e2h(s))
			bit = cpu_e2h_tge(s) ? 0 : CNTHCTL_E2H_EL1PCTEN;
		else
			bit = CNTHCTL_EL1PCTEN;
		return (~s->sysreg[SR_CNTHCTL_EL2] & bit) ? SYSREG_TRAP_EL2 : SYSREG_OK;
	case SYS_CNTP_CTL_EL0: case SYS_CNTP_CVAL_EL0: case SYS_CNTP_TVAL_EL0:
		/* ... and their physical timer */
		if (cpu_e2h(s))
			bit = cpu_e2h_tge(s) ? 0 : CNTHCTL_E2H_EL1PTEN;
		else
			bit = CNTHCTL_EL1PCEN;
		return (~s->sysreg[SR_CNTHCTL_EL2] & bit) ? SYSREG_TRAP_EL2 : SYSREG_OK;
	case SYS_CNTVCT_EL0: case SYS_CNTVCTSS_EL0:
		/* FEAT_ECV: EL1TVCT traps EL0's and EL1's virtual count outside
		 * EL2&0, after EL0's CNTKCTL_EL1 gate */
		return ecv_trap(s, CNTHCTL_EL1TVCT);
	case SYS_CNTV_CTL_EL0: case SYS_CNTV_CVAL_EL0: case SYS_CNTV_TVAL_EL0:
		/* ... and EL1TVT their virtual timer (before the VNCR page) */
		return ecv_trap(s, CNTHCTL_EL1TVT);
	default:
		/* ID group 3: op0 3, op1 0, CRn 0, CRm 1-7 */
		if (SYS_REG_OP0(enc) == 3 && SYS_REG_OP1(enc) == 0 &&
		    SYS_REG_CRN(enc) == 0 && SYS_REG_CRM(enc) >= 1 &&
		    SYS_REG_CRM(enc) <= 7)
			bit = HCR_TID3;
		break;
	}
	if (el == 0 && (enc != SYS_CTR_EL0 || cpu_e2h_tge(s)))
		return SYSREG_OK;	/* EL0 cannot reach the others; in EL2&0
					 * HCR_EL2's controls are not EL0's */
	return (hcr & bit) ? SYSREG_TRAP_EL2 : SYSREG_OK;
}

/*
 * May this MRS (no: SR_WO) or MSR (no: SR_RO) complete at the current EL?
 * UNDEFINED where the register is not accessible at all, a trap to EL1
 * where an EL0 gate closes it, the FP and SVE access checks (FPCR, FPSR,
 * ZCR_ELx), then a trap to EL2 where HCR_EL2 or CPTR_EL2 says.
 */
static int sys_reg_access(struct cpu *cpu, const struct sys_reg_desc *d, u32 no, u32 el0)
{
	unsigned int el = cpu_current_el(&cpu->state);

	if (!d || (d->flags & (no | SR_EL3)) || !sysreg_visible(cpu_vcpu(cpu), d))
		return SYSREG_UNDEF;
	if (el == 0 && !(d->flags & el0))
		return SYSREG_UNDEF;
	/* EL2 registers below EL2: UNDEFINED, trapped from EL1 under NV */
	if ((d->flags & SR_EL2) && el < 2)
		return cpu_nv(&cpu->state) ? SYSREG_TRAP_EL2 : SYSREG_UNDEF;
	/* HCR_EL2.{NV,NV1}: EL1's ELR, SPSR, VBAR are the guest hypervisor's
	 * (under NV2 they are its VNCR page's, nv2_access) */
	if (__builtin_expect(cpu_nv_nv1(&cpu->state), 0) && !cpu_nv2(&cpu->state) &&
	    (d->enc == SYS_ELR_EL1 || d->enc == SYS_SPSR_EL1 || d->enc == SYS_VBAR_EL1))
		return SYSREG_TRAP_EL2;
	if (d->gate) {
		int r = cpu_el0_gate(&cpu->state, d->gate_slot, d->gate);

		if (r != SYSREG_OK)
			return r;
	}
	if (d->flags & (SR_FP | SR_SVE)) {
		/* FPCR/FPSR: CheckFPEnabled(); ZCR_ELx: the SVE half of it */
		int r = (d->flags & SR_FP) ? cpu_fp_trap(&cpu->state) :
					     cpu_sve_trap(&cpu->state, true);

		if (r != SYSREG_OK)
			return r;
	}
	if (el < 2 && __builtin_expect(el2_on(&cpu->state), 0))
		return el2_trap(cpu, d->enc, no == SR_RO, el);
	return SYSREG_OK;
}

/*
 * FEAT_VHE's register redirection (Arm ARM D13.2, "Register redirection"):
 * at EL2 with HCR_EL2.E2H an EL1 register's encoding reaches its EL2
 * counterpart, and at EL0 in EL2&0 (E2H, TGE) the EL0 timers' reach the
 * EL2 timers; *_EL12 and *_EL02 reach the EL1 and EL0 registers from EL2
 * with E2H and are UNDEFINED otherwise.  The register the access reaches
 * (its checks are @d's, an alias's those of what it names), or NULL.
 */
static const struct sys_reg_desc *find_reg(u32 enc);

static const struct sys_reg_desc *e2h_target(struct cpu *cpu, const struct sys_reg_desc **d)
{
	const struct cpu_state *s = &cpu->state;
	const struct sys_reg_desc *t = *d;
	unsigned int el = cpu_current_el(s);

	if (!cpu_e2h(s))
		return (t->flags & SR_E2H_ALIAS) ? NULL : t;
	if (t->flags & SR_E2H_ALIAS) {
		if (el != 2)
			return NULL;
		*d = find_reg(t->alias);
		return *d;
	}
	if (el == 2 || (el == 0 && (t->flags & SR_E2H_REDIR0) && cpu_e2h_tge(s)))
		return find_reg(t->alias);
	return t;
}

/* *_EL12, *_EL02 at EL1 under HCR_EL2.NV: trapped to EL2 (EC 0x18), E2H or not */
static bool nv_alias_trap(struct cpu *cpu, const struct sys_reg_desc *d)
{
	return (d->flags & SR_E2H_ALIAS) && cpu_nv(&cpu->state) &&
	       sysreg_visible(cpu_vcpu(cpu), d);
}

/*
 * FEAT_NV2 at EL1 under HCR_EL2.{NV,NV2} (Arm ARM D8, each register's
 * accessibility pseudocode): a register of the VNCR page (.vncr) is a
 * 64-bit load (MRS) or store (MSR) at VNCR_EL2 + its offset; an EL1
 * encoding only under NV1 and after its own traps (TVM, TRVM, TACR,
 * MDCR_EL2.TDA, CPTR_EL2.TCPAC, the FP/SVE checks), an _EL12/_EL02 one
 * only without NV1; ELR_EL2, SPSR_EL2, ESR_EL2, FAR_EL2 and TFSR_EL2
 * reach their EL1 registers.  NV2_PASS where NV2 does not
 * apply: the access goes on as without it (an EL2 register still traps).
 */
#define NV2_PASS	100

static int nv2_access(struct cpu *cpu, const struct sys_reg_desc *d, bool write, u64 *val)
{
	const struct cpu_state *s = &cpu->state;
	bool nv1 = s->sysreg[SR_HCR_EL2] & HCR_NV1;
	const struct sys_reg_desc *t;
	int r;

	if (!sysreg_visible(cpu_vcpu(cpu), d) || (d->flags & SR_EL3))
		return NV2_PASS;
	if ((d->vncr & VNCR_NV1) && !nv1)
		return NV2_PASS;
	if ((d->vncr & VNCR_NO_NV1) && nv1)
		return NV2_PASS;
	/* FEAT_ECV: CNTHCTL_EL2.EL1NVPCT and EL1NVVCT trap the EL1 timers'
	 * _EL02 forms, which would reach the VNCR page */
	if (d->vncr & VNCR_NO_NV1) {
		if (d->alias == SYS_CNTP_CTL_EL0 || d->alias == SYS_CNTP_CVAL_EL0)
			r = ecv_trap(s, CNTHCTL_EL1NVPCT);
		else if (d->alias == SYS_CNTV_CTL_EL0 || d->alias == SYS_CNTV_CVAL_EL0)
			r = ecv_trap(s, CNTHCTL_EL1NVVCT);
		else
			r = SYSREG_OK;
		if (r != SYSREG_OK)
			return r;
	}
	/* the ICH_* registers exist with a GICv3 CPU interface only */
	if (d->read == read_ich && !((s->sysreg[SR_ID_AA64PFR0_EL1] >> 24) & 0xf))
		return NV2_PASS;
	if (d->vncr & (VNCR_NV1 | VNCR_EL1_REG)) {
		r = sys_reg_access(cpu, d, write ? SR_RO : SR_WO, write ? SR_EL0_W : SR_EL0_R);
		if (r != SYSREG_OK)
			return r;
	}
	if (d->vncr & VNCR_TO_EL1) {
		t = find_reg(d->alias);
		if (write && t->write)
			return t->write(cpu, t, *val);
		if (write)
			cpu->state.sysreg[t->slot] = *val;
		else if (t->read)
			return t->read(cpu, t, val);
		else
			*val = s->sysreg[t->slot];
		return SYSREG_OK;
	}
	return cpu_nv2_access(cpu, s->sysreg[SR_VNCR_EL2] + (d->vncr & VNCR_OFF_MASK), write,
			      val);
}

int sys_reg_read(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t *val)
{
	const struct sys_reg_desc *t = d;
	int ret;

	if (d && __builtin_expect(d->vncr != 0, 0) && cpu_nv2(&cpu->state)) {
		u64 v;

		ret = nv2_access(cpu, d, false, &v);
		if (ret == SYSREG_OK)
			*val = v;
		if (ret != NV2_PASS)
			return ret;
	}

	if (d && __builtin_expect(!!(d->flags & (SR_E2H_REDIR | SR_E2H_ALIAS)), 0)) {
		if (nv_alias_trap(cpu, d))
			return SYSREG_TRAP_EL2;
		t = e2h_target(cpu, &d);
		if (!t)
			return SYSREG_UNDEF;
	}
	ret = sys_reg_access(cpu, d, SR_WO, SR_EL0_R);
	if (ret != SYSREG_OK)
		return ret;
	if (t->read)
		return t->read(cpu, t, val);
	*val = (t->flags & SR_RAZ_WI) || t->slot < 0 ? 0 : cpu->state.sysreg[t->slot];
	return SYSREG_OK;
}

int sys_reg_write(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t val)
{
	uint64_t old;
	int ret;

	if (d && __builtin_expect(d->vncr != 0, 0) && cpu_nv2(&cpu->state)) {
		ret = nv2_access(cpu, d, true, &val);
		if (ret != NV2_PASS)
			return ret;
	}

	if (d && __builtin_expect(!!(d->flags & (SR_E2H_REDIR | SR_E2H_ALIAS)), 0)) {
		const struct sys_reg_desc *t;

		if (nv_alias_trap(cpu, d))
			return SYSREG_TRAP_EL2;
		t = e2h_target(cpu, &d);

		if (!t)
			return SYSREG_UNDEF;
		ret = sys_reg_access(cpu, d, SR_RO, SR_EL0_W);
		if (ret != SYSREG_OK)
			return ret;
		d = t;
		goto write;
	}
	ret = sys_reg_access(cpu, d, SR_RO, SR_EL0_W);
	if (ret != SYSREG_OK)
		return ret;
write:
	old = d->slot >= 0 ? cpu->state.sysreg[d->slot] : 0;
	if (d->write) {
		ret = d->write(cpu, d, val);
		if (ret != SYSREG_OK)
			return ret;
	} else if (!(d->flags & SR_RAZ_WI) && d->slot >= 0) {
		cpu->state.sysreg[d->slot] = val;
	}
	/* only a change of what the soft TLB's entries were made with (the
	 * pointer-authentication enables of SCTLR_EL1, switched per task,
	 * keep them) */
	if ((d->flags & SR_FLUSH) &&
	    (d->slot < 0 || cpu_tlb_shaped_by(d->slot, old, cpu->state.sysreg[d->slot])))
		cpu_flush_tlb(cpu);
	else if (d->flags & SR_TLBCTX)
		cpu_tlb_context(cpu);
	return 0;
}

/* ---- reset ------------------------------------------------------------------------------ */

static void vcpu_cpu_features(struct kvm_vcpu *vcpu, struct cpu_features *f)
{
	f->sve = vcpu_has_sve(vcpu);
	f->ptrauth = vcpu_has_ptrauth(vcpu);
	/* what the VM would offer, until it runs without a GIC */
	f->gicv3 = !vcpu->kvm->gic_hidden && !vgic_is_v2(vcpu->kvm);
	f->pmu = vcpu_has_pmu(vcpu);
	f->el2 = vcpu_has_el2(vcpu);
	f->vhe = f->el2 && !vcpu_has_feature(vcpu, KVM_ARM_VCPU_HAS_EL2_E2H0);
	f->nv = f->vhe;
	f->mte = kvm_has_mte(vcpu->kvm);
}

static unsigned int id_range_idx(u32 enc)
{
	return KVM_ARM_FEATURE_ID_RANGE_IDX(SYS_REG_OP0(enc), SYS_REG_OP1(enc),
					    SYS_REG_CRN(enc), SYS_REG_CRM(enc),
					    SYS_REG_OP2(enc));
}

/* Is @d an ID register userspace may change (id_writable.c)? */
static bool is_writable_id_reg(const struct sys_reg_desc *d)
{
	return d->slot >= 0 && (d->flags & SR_INVARIANT) && kvm_id_reg_writable_mask(d->enc);
}

/* The VM's (KVM's per-VM id_regs), not the vCPU's (MPIDR, CLIDR) */
static bool is_vm_id_reg(u32 enc)
{
	return enc != SYS_CLIDR_EL1;
}

/*
 * As KVM's kvm_reset_sys_regs(): the ID registers userspace wrote stay,
 * the VM's from its store, the vCPU's own (MPIDR, CLIDR) once the vCPU
 * was initialised (reset_vcpu_ftr_id_reg()).
 */
void kvm_reset_sys_regs(struct kvm_vcpu *vcpu)
{
	struct cpu_state *s = vcpu_state(vcpu);
	struct kvm *kvm = vcpu->kvm;
	u64 mpidr = s->sysreg[SR_MPIDR_EL1], clidr = s->sysreg[SR_CLIDR_EL1];
	struct cpu_features f;
	size_t i;

	pthread_once(&table_once, table_sort);
	vcpu_cpu_features(vcpu, &f);
	memset(s->sysreg, 0, sizeof(s->sysreg));
	memset(s->ccsidr, 0, sizeof(s->ccsidr));
	for (i = 0; i < ARRAY_SIZE(sys_reg_descs); i++) {
		const struct sys_reg_desc *d = &sys_reg_descs[i];

		if (d->slot >= 0 && !(d->flags & SR_RAZ_WI))
			s->sysreg[d->slot] = d->reset;
	}
	cpu_id_regs_init(s, &f);
	s->sysreg[SR_MPIDR_EL1] = cpu_mpidr_for((int)vcpu->vcpu_id);
	if (vcpu->initialized) {
		s->sysreg[SR_MPIDR_EL1] = mpidr;
		s->sysreg[SR_CLIDR_EL1] = clidr;
	}
	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < ARRAY_SIZE(sys_reg_descs); i++) {
		const struct sys_reg_desc *d = &sys_reg_descs[i];
		unsigned int idx = id_range_idx(d->enc);

		if (is_writable_id_reg(d) && is_vm_id_reg(d->enc) &&
		    (kvm->id_regs_set[idx / 64] & BIT_ULL(idx % 64)))
			s->sysreg[d->slot] = kvm->id_regs[idx];
	}
	if (kvm->gic_hidden)
		s->sysreg[SR_ID_AA64PFR0_EL1] &= ~(0xfULL << 24);
	pthread_mutex_unlock(&kvm->lock);
	if (f.el2) {
		/* what EL1 reads of MIDR/MPIDR under EL2; TZ RES1 without SVE */
		s->sysreg[SR_VPIDR_EL2] = s->sysreg[SR_MIDR_EL1];
		s->sysreg[SR_VMPIDR_EL2] = s->sysreg[SR_MPIDR_EL1];
		if (!f.sve)
			s->sysreg[SR_CPTR_EL2] |= CPTR_EL2_TZ;
		/* MDCR_EL2.HPMN: every counter EL1's, as KVM's reset_mdcr() */
		s->sysreg[SR_MDCR_EL2] = kvm->pmcr_n;
	}
}

/*
 * KVM's set_id_reg() and set_clidr(): a value id_writable.c accepts
 * against this vCPU's reset value, before the VM first runs (EBUSY
 * after, unless unchanged).  The VM's registers are stored once for all
 * its vCPUs.
 */
static int set_id_reg(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d, u64 val)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned int idx = id_range_idx(d->enc), i;
	u64 reset[NR_CPU_SYSREGS] = { 0 }, limit;
	struct cpu_features f;
	int ret;

	vcpu_cpu_features(vcpu, &f);
	cpu_id_regs_values(reset, &f);
	limit = reset[d->slot];
	pthread_mutex_lock(&kvm->lock);
	if (kvm->has_run_once && is_vm_id_reg(d->enc)) {
		ret = val == vcpu_state(vcpu)->sysreg[d->slot] ? 0 : -EBUSY;
		goto out_unlock;
	}
	ret = kvm_id_reg_check(kvm, d->enc, &val, limit);
	if (ret)
		goto out_unlock;
	if (!is_vm_id_reg(d->enc)) {
		vcpu_state(vcpu)->sysreg[d->slot] = val;
		goto out_unlock;
	}
	kvm->id_regs[idx] = val;
	kvm->id_regs_set[idx / 64] |= BIT_ULL(idx % 64);
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpus[i])
			vcpu_state(kvm->vcpus[i])->sysreg[d->slot] = val;
out_unlock:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * kvm_finalize_sys_regs(), at a vCPU's first KVM_RUN: a VM without an
 * in-kernel GIC stops advertising the GICv3 CPU interface, which its ID
 * registers showed userspace until then (Linux's no-vgic-v3 test reads
 * GIC = 1 before the run, its guest 0).
 */
void kvm_finalize_id_regs(struct kvm *kvm)
{
	unsigned int i;

	if (irqchip_in_kernel(kvm))
		return;
	pthread_mutex_lock(&kvm->lock);
	kvm->gic_hidden = true;
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpus[i])
			vcpu_state(kvm->vcpus[i])->sysreg[SR_ID_AA64PFR0_EL1] &=
				~(0xfULL << 24);
	pthread_mutex_unlock(&kvm->lock);
}

/* ---- userspace's side: ONE_REG ------------------------------------------------------------ */

#define SYSREG_ID_MASK	(KVM_REG_ARM64_SYSREG_OP0_MASK | KVM_REG_ARM64_SYSREG_OP1_MASK | \
			 KVM_REG_ARM64_SYSREG_CRN_MASK | KVM_REG_ARM64_SYSREG_CRM_MASK | \
			 KVM_REG_ARM64_SYSREG_OP2_MASK)

static u64 sys_reg_to_index(const struct sys_reg_desc *d)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | d->enc;
}

/* The descriptor userspace means by @id, or NULL (ENOENT). */
static const struct sys_reg_desc *index_to_desc(struct kvm_vcpu *vcpu, u64 id)
{
	const struct sys_reg_desc *d;

	if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64)
		return NULL;
	if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SYSREG)
		return NULL;
	if (id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_COPROC_MASK |
		   SYSREG_ID_MASK))
		return NULL;
	d = find_reg((u32)(id & SYSREG_ID_MASK));
	if (!d || !sysreg_user_visible(vcpu, d))
		return NULL;
	return d;
}

/* The timer registers' ONE_REG IDs (two of them swapped, as KVM's ABI has it). */
static int timer_reg_get(struct kvm_vcpu *vcpu, u64 id, u64 *val)
{
	struct cpu_state *s = vcpu_state(vcpu);
	u64 now = phys_counter(), vcnt = now - kvm_timer_vcnt_offset(vcpu),
	    pcnt = now - kvm_timer_poffset(vcpu->kvm);

	switch (id) {
	case KVM_REG_ARM_TIMER_CTL:
		*val = timer_ctl(s, SR_CNTV_CTL_EL0, SR_CNTV_CVAL_EL0, vcnt);
		return 0;
	case KVM_REG_ARM_TIMER_CNT:
		*val = vcnt;
		return 0;
	case KVM_REG_ARM_TIMER_CVAL:
		*val = s->sysreg[SR_CNTV_CVAL_EL0];
		return 0;
	case KVM_REG_ARM_PTIMER_CTL:
		*val = timer_ctl(s, SR_CNTP_CTL_EL0, SR_CNTP_CVAL_EL0, pcnt);
		return 0;
	case KVM_REG_ARM_PTIMER_CNT:
		*val = pcnt;
		return 0;
	case KVM_REG_ARM_PTIMER_CVAL:
		*val = s->sysreg[SR_CNTP_CVAL_EL0];
		return 0;
	}
	return -ENOENT;
}

static int timer_reg_set(struct kvm_vcpu *vcpu, u64 id, u64 val)
{
	struct cpu_state *s = vcpu_state(vcpu);

	switch (id) {
	case KVM_REG_ARM_TIMER_CTL:
		s->sysreg[SR_CNTV_CTL_EL0] = val & 3;
		return 0;
	case KVM_REG_ARM_TIMER_CNT:
		/*
		 * every vCPU's counter reads @val now: the offset is the VM's;
		 * with EL2 the virtual count follows the physical one less
		 * CNTVOFF_EL2, so the physical offset moves
		 */
		if (vcpu_has_el2(vcpu))
			kvm_timer_set_cnt(vcpu->kvm, true, val + s->sysreg[SR_CNTVOFF_EL2]);
		else
			kvm_timer_set_cnt(vcpu->kvm, false, val);
		return 0;
	case KVM_REG_ARM_TIMER_CVAL:
		s->sysreg[SR_CNTV_CVAL_EL0] = val;
		return 0;
	case KVM_REG_ARM_PTIMER_CTL:
		s->sysreg[SR_CNTP_CTL_EL0] = val & 3;
		return 0;
	case KVM_REG_ARM_PTIMER_CNT:
		kvm_timer_set_cnt(vcpu->kvm, true, val);
		return 0;
	case KVM_REG_ARM_PTIMER_CVAL:
		s->sysreg[SR_CNTP_CVAL_EL0] = val;
		return 0;
	}
	return -ENOENT;
}

static const u64 timer_reg_ids[] = {
	KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CVAL,
	KVM_REG_ARM_PTIMER_CTL, KVM_REG_ARM_PTIMER_CNT, KVM_REG_ARM_PTIMER_CVAL,
};

static bool is_timer_reg(u64 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(timer_reg_ids); i++)
		if (timer_reg_ids[i] == id)
			return true;
	return false;
}

/* CCSIDR_EL1 through KVM_REG_ARM_DEMUX: valid per CLIDR_EL1's cache types. */
static bool is_valid_cache(struct kvm_vcpu *vcpu, u32 val)
{
	u64 clidr = vcpu_state(vcpu)->sysreg[SR_CLIDR_EL1];
	u32 level = val >> 1, ctype;

	if (val >= CPU_NR_CCSIDR)
		return false;
	ctype = (clidr >> (level * 3)) & 7;
	switch (ctype) {
	case 1:			/* instruction only */
		return val & 1;
	case 2:			/* data only */
	case 4:			/* unified */
		return !(val & 1);
	case 3:			/* separate I and D */
		return true;
	default:
		return false;
	}
}

static int demux_c15(struct kvm_vcpu *vcpu, u64 id, u64 uaddr, bool set)
{
	u32 val, cur;
	int ret;

	if (id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_COPROC_MASK |
		   ((1 << KVM_REG_ARM_COPROC_SHIFT) - 1)))
		return -ENOENT;
	if ((id & KVM_REG_ARM_DEMUX_ID_MASK) != KVM_REG_ARM_DEMUX_ID_CCSIDR)
		return -ENOENT;
	if (KVM_REG_SIZE(id) != 4)
		return -ENOENT;
	val = (id & KVM_REG_ARM_DEMUX_VAL_MASK) >> KVM_REG_ARM_DEMUX_VAL_SHIFT;
	if (!is_valid_cache(vcpu, val))
		return -ENOENT;
	cur = (u32)vcpu_state(vcpu)->ccsidr[val];
	if (!set)
		return copy_to_user((void *)(uintptr_t)uaddr, &cur, sizeof(cur));
	ret = copy_from_user(&val, (void *)(uintptr_t)uaddr, sizeof(val));
	if (ret)
		return ret;
	/* invariant, as in Linux 6.1: the cache geometry is the CPU's */
	return val == cur ? 0 : -EINVAL;
}

static u64 desc_user_value(struct kvm_vcpu *vcpu, const struct sys_reg_desc *d)
{
	if (d->get_user)
		return d->get_user(vcpu, d);
	if ((d->flags & SR_RAZ_WI) || d->slot < 0)
		return 0;
	return vcpu_state(vcpu)->sysreg[d->slot];
}

int kvm_arm_sys_reg_get_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	const struct sys_reg_desc *d;
	u64 val;
	int ret;

	if ((reg->id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_DEMUX)
		return demux_c15(vcpu, reg->id, reg->addr, false);
	if (is_timer_reg(reg->id)) {
		ret = timer_reg_get(vcpu, reg->id, &val);
	} else {
		d = index_to_desc(vcpu, reg->id);
		if (!d)
			return -ENOENT;
		val = desc_user_value(vcpu, d);
		ret = 0;
	}
	if (ret)
		return ret;
	return copy_to_user((void *)(uintptr_t)reg->addr, &val, sizeof(val));
}

int kvm_arm_sys_reg_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	const struct sys_reg_desc *d = NULL;
	u64 val;
	int ret;

	if ((reg->id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_DEMUX)
		return demux_c15(vcpu, reg->id, reg->addr, true);
	if (!is_timer_reg(reg->id)) {
		d = index_to_desc(vcpu, reg->id);
		if (!d)
			return -ENOENT;
	}
	ret = copy_from_user(&val, (void *)(uintptr_t)reg->addr, sizeof(val));
	if (ret)
		return ret;
	if (!d)
		return timer_reg_set(vcpu, reg->id, val);
	if (d->flags & SR_USER_WI)
		return 0;
	if (is_writable_id_reg(d))
		return set_id_reg(vcpu, d, val);
	/* the other ID registers describe the CPU: any other value is EINVAL */
	if (d->flags & SR_INVARIANT)
		return val == desc_user_value(vcpu, d) ? 0 : -EINVAL;
	if (d->set_user)
		return d->set_user(vcpu, d, val);
	if (d->slot >= 0 && !(d->flags & SR_RAZ_WI)) {
		vcpu_state(vcpu)->sysreg[d->slot] = val;
		if (d->flags & (SR_FLUSH | SR_TLBCTX))
			cpu_flush_tlb(&vcpu->cpu);
	}
	return 0;
}

static unsigned int num_demux_regs(struct kvm_vcpu *vcpu)
{
	unsigned int i, n = 0;

	for (i = 0; i < CPU_NR_CCSIDR; i++)
		n += is_valid_cache(vcpu, i);
	return n;
}

unsigned long kvm_arm_num_sys_reg_descs(struct kvm_vcpu *vcpu)
{
	unsigned long n = ARRAY_SIZE(timer_reg_ids) + num_demux_regs(vcpu);
	size_t i;

	pthread_once(&table_once, table_sort);
	for (i = 0; i < ARRAY_SIZE(sys_reg_descs); i++)
		n += sysreg_user_visible(vcpu, &sys_reg_descs[i]);
	return n;
}

int kvm_arm_copy_sys_reg_indices(struct kvm_vcpu *vcpu, void *uindices)
{
	u64 id;
	size_t i;
	int ret;

	pthread_once(&table_once, table_sort);
	ret = copy_to_user(uindices, timer_reg_ids, sizeof(timer_reg_ids));
	if (ret)
		return ret;
	uindices = (u8 *)uindices + sizeof(timer_reg_ids);
	for (i = 0; i < ARRAY_SIZE(sys_reg_descs); i++) {
		if (!sysreg_user_visible(vcpu, &sys_reg_descs[i]))
			continue;
		id = sys_reg_to_index(&sys_reg_descs[i]);
		ret = copy_to_user(uindices, &id, sizeof(id));
		uindices = (u8 *)uindices + sizeof(id);
		if (ret)
			return ret;
	}
	for (i = 0; i < CPU_NR_CCSIDR; i++) {
		if (!is_valid_cache(vcpu, (u32)i))
			continue;
		id = KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX |
		     KVM_REG_ARM_DEMUX_ID_CCSIDR | i;
		ret = copy_to_user(uindices, &id, sizeof(id));
		uindices = (u8 *)uindices + sizeof(id);
		if (ret)
			return ret;
	}
	return 0;
}
