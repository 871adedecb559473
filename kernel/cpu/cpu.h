/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AArch64 execution engine: the interface between the engine
 * (kernel/cpu/) and the KVM backend (kernel/).
 *
 * The backend owns a struct cpu per vCPU and a struct cpu_vm per VM.  It
 * calls cpu_run() from the thread that issued KVM_RUN; the engine executes
 * guest instructions until something needs the backend (an exit), then
 * returns with struct cpu_exit filled in.  Everything the engine does not
 * handle itself (system registers, hypercalls, aborts outside memory)
 * crosses this interface.
 */
#ifndef VKVM_CPU_H
#define VKVM_CPU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* ---- guest physical memory, as published by the backend ---------------- */

#define CPU_MEM_READONLY	(1u << 0)	/* KVM_MEM_READONLY: writes exit as MMIO */
#define CPU_MEM_NOACCESS	(1u << 1)	/* no memory behind it: any access EFAULT */

struct cpu_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	uint32_t flags;
	uint32_t slot;
	/*
	 * KVM_MEM_LOG_DIRTY_PAGES: one bit per 4 KiB page of the region, set
	 * (atomically) by the store that makes the page dirty; NULL when the
	 * slot does not log.  A store enters its page writable in the TLB
	 * only after setting the bit, so the backend, having cleared bits,
	 * bumps memmap_gen and waits until no vCPU can hold the old TLB
	 * entries (memmap_busy) before it reports or clears again.
	 */
	_Atomic uint64_t *dirty;
	/*
	 * FEAT_MTE2 allocation tags (mte.c): 4 bits per 16-byte granule, two
	 * granules a byte (the even one in the low nibble), NULL unless the
	 * VM enabled KVM_CAP_ARM_MTE.  Owned by the backend's memslot.
	 */
	_Atomic uint8_t *tags;
};

/* Set the dirty bit of the page holding gpa in region reg (which logs). */
static inline bool cpu_page_dirty(const struct cpu_mem_region *reg, uint64_t gpa)
{
	uint64_t pn = (gpa - reg->gpa) >> 12;

	return atomic_load_explicit(&reg->dirty[pn >> 6], memory_order_relaxed) &
	       (1ULL << (pn & 63));
}

/* Sets @gpa's bit in @reg's dirty bitmap: true when this call set it. */
static inline bool cpu_mark_page_dirty(const struct cpu_mem_region *reg, uint64_t gpa)
{
	uint64_t pn = (gpa - reg->gpa) >> 12, bit = 1ULL << (pn & 63);
	_Atomic uint64_t *w = &reg->dirty[pn >> 6];

	/* a plain load first: a page stored to again costs no locked op */
	if (atomic_load_explicit(w, memory_order_relaxed) & bit)
		return false;
	return !(atomic_fetch_or_explicit(w, bit, memory_order_relaxed) & bit);
}

struct cpu;

/*
 * The backend's dirty ring (KVM_CAP_DIRTY_LOG_RING_ACQ_REL): before a store
 * makes a clean page dirty, may it?  false: the ring is full, the store
 * must not happen yet (the engine stops with CPU_EXIT_KICK, PC at it).
 * Then, the page's bit newly set, the backend logs it.
 */
bool cpu_hook_dirty_ring_room(struct cpu *cpu);
void cpu_hook_page_dirtied(struct cpu *cpu, const struct cpu_mem_region *reg, uint64_t gpa);

/* Immutable once published; sorted by gpa, non-overlapping. */
struct cpu_memmap {
	unsigned int nr;
	/*
	 * Pages holding an emulated uncorrected memory error (vkvm's
	 * VKVM_SET_MEMORY_ERROR): sorted page-aligned IPAs.  An access to one
	 * is a synchronous external abort (FSC 0x10, or 0x14 + level for a
	 * stage-1 table walk, with S1PTW) exited as CPU_EXIT_ABORT.
	 */
	unsigned int nr_poison;
	const uint64_t *poison;
	struct cpu_mem_region r[];
};

/* Per-VM state the engine reads. */
struct cpu_vm {
	struct cpu_memmap *_Atomic memmap;
	_Atomic uint64_t memmap_gen;	/* bumped on every change: drop caches */
	unsigned int ipa_bits;
	/* bumped by inner-shareable TLBIs: every other vCPU flushes its TLBs */
	_Atomic uint64_t tlbi_gen;
	/* bumped by SEV: every vCPU's WFE event register is set */
	_Atomic uint64_t sev_gen;
	/* KVM_CAP_ARM_MTE enabled: RAM has allocation tags (cpu_mem_region.tags) */
	bool mte;
};

const struct cpu_mem_region *cpu_memmap_find(const struct cpu_memmap *map,
					     uint64_t gpa);
/* Does the 4 KiB page holding gpa carry an emulated memory error? */
bool cpu_memmap_poisoned(const struct cpu_memmap *map, uint64_t gpa);
/* The writable ranges of /proc/self/maps, as read in one epoch (memmap.c) */
struct cpu_wmaps {
	struct { uintptr_t lo, hi; } *range;
	unsigned int nr, cap;
	uint64_t epoch;			/* 0: nothing read */
};
/*
 * May the process store to the host page at hva (memmap.c)?  Where only
 * /proc/self/maps can tell, w keeps what it said during epoch (non-zero).
 */
bool cpu_host_writable(void *hva, struct cpu_wmaps *w, uint64_t epoch);
void cpu_wmaps_free(struct cpu_wmaps *w);
/* Is [addr, addr + len) readable?  1, 0, or -1: only /proc/self/maps can tell */
int cpu_host_readable(const void *addr, size_t len);
/* Test hooks: ask /proc/self/maps only; its reads; the way in use */
void cpu_host_wchk_use_maps(void);
unsigned long cpu_host_wchk_maps_reads(void);
const char *cpu_host_wchk_way(void);

/* ---- exits --------------------------------------------------------------- */

enum cpu_exit_reason {
	CPU_EXIT_NONE,
	CPU_EXIT_ABORT,		/* stage-2 style abort: IPA outside memory or write to RO */
	CPU_EXIT_HVC,		/* HVC #imm16 at EL1: PC already past it */
	CPU_EXIT_SMC,		/* SMC #imm16 at EL1: PC already past it */
	CPU_EXIT_WFX,		/* WFI/WFE: PC already past it */
	CPU_EXIT_KICK,		/* kick or poll_exit observed */
	CPU_EXIT_DEBUG,		/* single step completed, or a KVM_SET_GUEST_DEBUG
				 * breakpoint or watchpoint (exit.far) */
	CPU_EXIT_INTERNAL,	/* engine cannot continue (bug or unsupported) */
	CPU_EXIT_EFAULT,	/* a store to RAM the process may not write: PC at it */
};

struct cpu_exit {
	enum cpu_exit_reason reason;
	/*
	 * Syndrome as KVM sees it in ESR_EL2: EC (DABT_LOW/CUR, IABT_LOW/CUR,
	 * HVC64, SMC64, WFx), IL and ISS (for data aborts: ISV, SAS, SSE, SRT,
	 * SF, AR, WnR, DFSC; ISV=0 when the instruction has no valid syndrome).
	 */
	uint64_t esr;
	uint64_t far;		/* faulting virtual address */
	uint64_t ipa;		/* faulting intermediate physical address */
	uint64_t data;		/* store data for a write abort with ISV=1 */
	unsigned int walk_level; /* with S1PTW: level of the walk's failed read */
};

/* ---- the vCPU ------------------------------------------------------------- */

struct cpu_engine;		/* engine-private caches, TLB, decode cache */
struct tlb_entry;
struct dinsn;

struct cpu {
	struct cpu_state state;		/* architectural state, see state.h */

	/*
	 * Engine-private (kernel/cpu/internal.h): the context of threaded
	 * dispatch, here rather than in struct cpu_engine so that every
	 * instruction handler reaches it without loading the engine pointer.
	 *
	 * cur_tlb: the data TLB of the current PSTATE (EL, PAN), set by the
	 * run loop at every block entry.  Instructions that change EL or PAN
	 * end the block (EXEC_JUMP/EXEC_STOP), so it is current whenever a
	 * handler runs.
	 *
	 * The decoded page being run: for an entry d of it, PC = th_pc_bias +
	 * ((uintptr_t)d >> DINSN_TO_WORD_SHIFT); th_host is the guest page in
	 * host memory.  th_budget bounds taken branches that stay in the page
	 * before the run loop looks at kicks.  th_stack_floor: the lowest
	 * stack pointer a chain may reach before it goes back to the run loop
	 * (see "the stack bound" in internal.h).  th_guarded: the page being
	 * run is guarded (its stage-1 GP bit, bti.c), for BR's BTYPE.
	 */
	struct tlb_entry *cur_tlb;
	struct dinsn *th_base;
	uint64_t th_chain;		/* the block-check epoch (internal.h) */
	unsigned int th_budget;
	uintptr_t th_stack_floor;
	const uint32_t *th_host;
	uintptr_t th_pc_bias;
	uint64_t th_page_va;
	bool th_dirty;			/* a store hit the page being run */
	bool th_guarded;		/* ...and it is a guarded page (FEAT_BTI) */
	bool th_sync;			/* the chain ended at a context
					 * synchronization event (or an own
					 * store into code): a new epoch */

	struct cpu_vm *vm;
	int vcpu_id;
	/*
	 * 0 outside cpu_run(); inside, 1 + the memmap generation the engine
	 * holds (1 while it has not looked yet): the backend frees a replaced
	 * memmap once no vCPU can still hold it.
	 */
	_Atomic uint64_t memmap_busy;

	_Atomic uint32_t kick;		/* non-zero: return CPU_EXIT_KICK soon */
	uint32_t yields;		/* YIELDs executed (exec_YIELD) */
	const volatile uint8_t *poll_exit; /* kvm_run.immediate_exit, polled */
	/* non-zero: engine checks left before a kick that lets the backend
	 * look at pending signals (KVM_SET_SIGNAL_MASK); set outside cpu_run() */
	uint32_t sig_poll_left;
	_Atomic uint32_t irq_lines;	/* CPU_IRQ_*: levels driven by the backend */
	bool single_step;		/* KVM_GUESTDBG_SINGLESTEP */
	/*
	 * KVM_SET_GUEST_DEBUG's breakpoints (kernel/cpu/debug.c): sw_bp, a BRK
	 * exits (USE_SW_BP); hw, these breakpoints and watchpoints replace
	 * the guest's own, which are then inactive (USE_HW), and a match
	 * exits.  Either exit is CPU_EXIT_DEBUG with the ESR_EL2 and FAR KVM
	 * reports.  Written only outside cpu_run().
	 */
	struct cpu_host_debug {
		bool sw_bp, hw;
		uint64_t bcr[16], bvr[16], wcr[16], wvr[16];
	} host_debug;
	/*
	 * PMUv3 (pmu.c): the events KVM_ARM_VCPU_PMU_V3_FILTER lets the
	 * guest count, a bitmap of 65536 (NULL: all), and the level of the
	 * overflow interrupt request last reported (cpu_hook_pmu_irq), and
	 * the event counters the guest has (PMCR_EL0.N, at most
	 * CPU_PMU_COUNTERS): those from pmu_n up are UNDEFINED and their
	 * bits RAZ/WI.  Written only outside cpu_run().
	 */
	const uint64_t *pmu_filter;
	bool pmu_irq_level;
	unsigned int pmu_n;
	unsigned int sve_max_vq;	/* maximum SVE vector length in VQ; 0: no SVE */
	uint64_t vserror_esr;		/* ISS for CPU_IRQ_VSERR (ESR_EL1 EC 0x2f) */

	struct cpu_exit exit;
	struct cpu_engine *engine;
	void *backend;			/* the owning vCPU (struct kvm_vcpu) */
};

#define CPU_IRQ_IRQ	(1u << 0)
#define CPU_IRQ_FIQ	(1u << 1)
#define CPU_IRQ_VSERR	(1u << 2)	/* virtual SError pending (HCR_EL2.VSE) */
/* With EL2: the guest's HCR_EL2 has VI, VF or VSE set (cpu_hcr_changed) */
#define CPU_IRQ_HCRV	(1u << 3)
/* virtual IRQ/FIQ from the GICv3 list registers (vgic-v3-nested.c) */
#define CPU_IRQ_VIRQ	(1u << 4)
#define CPU_IRQ_VFIQ	(1u << 5)

int cpu_init(struct cpu *cpu, struct cpu_vm *vm, int vcpu_id);
/* The guest's HCR_EL2 changed (MSR): its virtual interrupt bits are looked at. */
void cpu_hcr_changed(struct cpu *cpu);
void cpu_destroy(struct cpu *cpu);
enum cpu_exit_reason cpu_run(struct cpu *cpu);
/* The name of the instruction-table row (kernel/cpu/a64.def) that decodes
 * insn, or "undefined". */
const char *insn_name(uint32_t insn);

/* Drop cached translations and decoded code (context or memory map change). */
void cpu_flush_caches(struct cpu *cpu);
/* Drop cached translations only: SCTLR/TCR/MAIR writes, ONE_REG. */
void cpu_flush_tlb(struct cpu *cpu);
/* Does a write of system register slot (SR_*) from old to val change what
 * the soft TLB's entries were made with (mem.c)?  False: keep them. */
bool cpu_tlb_shaped_by(int slot, uint64_t old, uint64_t val);
/* A register of the translation context (VMID, ASID, HCR_EL2) changed:
 * switch soft TLBs (kernel/cpu/tlb.h), keeping each one's entries. */
void cpu_tlb_context(struct cpu *cpu);
/*
 * Forget which pages were found writable in host memory: the next store to
 * each asks again (cpu_host_writable), as after userspace changed their
 * protection.  At every KVM_RUN.
 */
void cpu_forget_host_writes(struct cpu *cpu);

/*
 * While the vCPU waits in WFE (after CPU_EXIT_WFX for a WFE): has a wake-up
 * event the engine tracks arrived?  An SEV by any vCPU since this one last
 * consumed one, or the clearing of its exclusive monitor by another
 * agent's store (seen as a change of the value its LDXR read).  Consumes
 * the SEV.
 */
bool cpu_wfe_event(struct cpu *cpu);

/* ---- exceptions ----------------------------------------------------------- */

enum cpu_vector {
	CPU_VEC_SYNC	= 0x000,
	CPU_VEC_IRQ	= 0x080,
	CPU_VEC_FIQ	= 0x100,
	CPU_VEC_SERROR	= 0x180,
};

/*
 * Take an exception from the current state: ELR, SPSR, PSTATE and PC per
 * the architecture (Arm ARM D1.3).  For a synchronous exception, esr and
 * far are written to ESR and FAR (far only when far_valid).  The target is
 * EL1, or EL2 from EL2 or (under HCR_EL2.TGE) from EL0.
 */
void cpu_take_exception(struct cpu_state *s, enum cpu_vector vec,
			uint64_t esr, uint64_t far, bool far_valid);
/* The same to EL el (1, or 2 on a vCPU with EL2), whatever the routing. */
void cpu_take_exception_to(struct cpu_state *s, unsigned int el, enum cpu_vector vec,
			   uint64_t esr, uint64_t far, bool far_valid);

static inline unsigned int cpu_current_el(const struct cpu_state *s)
{
	return (s->pstate >> 2) & 3;
}

/* Does the vCPU have EL2 (KVM_ARM_VCPU_HAS_EL2)?  ID_AA64PFR0_EL1.EL2 says. */
static inline bool el2_on(const struct cpu_state *s)
{
	return (s->sysreg[SR_ID_AA64PFR0_EL1] >> 8) & 0xf;
}

/*
 * FEAT_VHE: HCR_EL2.E2H (0 on a vCPU without EL2, RES0 without VHE).
 * The EL2&0 regime is EL2's when E2H is set, and EL0's too under TGE
 * (the Arm ARM's ELIsInHost()).
 */
static inline bool cpu_e2h(const struct cpu_state *s)
{
	return s->sysreg[SR_HCR_EL2] & HCR_E2H;
}

static inline bool cpu_e2h_tge(const struct cpu_state *s)
{
	return (s->sysreg[SR_HCR_EL2] & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE);
}

/*
 * The FEAT_NV level the ID registers advertise: ID_AA64MMFR2_EL1.NV (1
 * FEAT_NV, 2 FEAT_NV2), or FEAT_NV2 for NV 0 with ID_AA64MMFR4_EL1.NV_frac
 * NV2_ONLY, the form Linux KVM gives its guest hypervisors.
 */
static inline unsigned int cpu_nv_level(const struct cpu_state *s)
{
	unsigned int nv = (s->sysreg[SR_ID_AA64MMFR2_EL1] >> 24) & 0xf;

	if (!nv && ((s->sysreg[SR_ID_AA64MMFR4_EL1] >> 20) & 0xf) == 1)
		return 2;
	return nv;
}

/*
 * FEAT_NV: EL1 under HCR_EL2.NV, a guest hypervisor deprivileged to EL1
 * (NV is RES0, so 0, unless ID_AA64MMFR2_EL1.NV advertises FEAT_NV).
 */
static inline bool cpu_nv(const struct cpu_state *s)
{
	return __builtin_expect(!!(s->sysreg[SR_HCR_EL2] & HCR_NV), 0) &&
	       cpu_current_el(s) == 1;
}

/* ... and HCR_EL2.NV2 too (FEAT_NV2: the VNCR page, RES0 without it) */
static inline bool cpu_nv2(const struct cpu_state *s)
{
	return cpu_nv(s) && (s->sysreg[SR_HCR_EL2] & HCR_NV2);
}

/* ... and HCR_EL2.NV1 too (the E2H 0 guest hypervisor's registers) */
static inline bool cpu_nv_nv1(const struct cpu_state *s)
{
	return cpu_nv(s) && (s->sysreg[SR_HCR_EL2] & HCR_NV1);
}

/* FEAT_ECV (ID_AA64MMFR0_EL1.ECV >= 1, which userspace may lower to 0) */
static inline bool cpu_ecv(const struct cpu_state *s)
{
	return s->sysreg[SR_ID_AA64MMFR0_EL1] >> 60;
}

/* Is the current EL in an EL2 regime (EL2, or EL0 in EL2&0)? */
static inline bool cpu_in_el2_regime(const struct cpu_state *s)
{
	unsigned int el = cpu_current_el(s);

	return el == 2 || (el == 0 && __builtin_expect(cpu_e2h_tge(s), 0));
}

/*
 * SCTLR of the current EL's regime: SCTLR_EL2 at EL2, and at EL0 in the
 * EL2&0 regime (E2H and TGE), else SCTLR_EL1.
 */
static inline uint64_t cur_sctlr(const struct cpu_state *s)
{
	return s->sysreg[cpu_in_el2_regime(s) ? SR_SCTLR_EL2 : SR_SCTLR_EL1];
}

/* ---- hooks the backend implements (kernel/sys_regs.c) --------------------- */

struct sys_reg_desc;

/*
 * What an MRS, MSR or SYS does at the current EL: completes, is UNDEFINED,
 * or traps with EC 0x18 and the instruction's ISS (ESR_SYS64_ISS) to EL1
 * (EL2 when the engine has one: SYSREG_TRAP_EL2 is the room for it).
 */
enum sysreg_result {
	SYSREG_UNDEF = -1,
	SYSREG_OK = 0,
	SYSREG_TRAP_EL1 = 1,
	SYSREG_TRAP_EL2 = 2,
	/* FP/AdvSIMD disabled (EC 0x07; cpu_fp_trap) */
	SYSREG_FP_EL1 = 3,
	SYSREG_FP_EL2 = 4,
	/* SVE disabled (EC 0x19; cpu_sve_trap) */
	SYSREG_SVE_EL1 = 5,
	SYSREG_SVE_EL2 = 6,
	/* an exception was taken, or an exit prepared (cpu_nv2_access) */
	SYSREG_STOP = 7,
};

#define CPU_CPACR_FPEN(s)	(((s)->sysreg[SR_CPACR_EL1] >> 20) & 3)
#define CPU_CPACR_ZEN(s)	(((s)->sysreg[SR_CPACR_EL1] >> 16) & 3)
#define CPU_CPTR_TZ		(1ULL << 8)	/* CPTR_EL2 (E2H 0) */
#define CPU_CPTR_TFP		(1ULL << 10)
/* CPTR_EL2 (E2H 1): CPACR_EL1's layout, FPEN and ZEN */
#define CPU_CPTR_FPEN(s)	(((s)->sysreg[SR_CPTR_EL2] >> 20) & 3)
#define CPU_CPTR_ZEN(s)		(((s)->sysreg[SR_CPTR_EL2] >> 16) & 3)

/*
 * An xEN field's verdict (CPACR_EL1, or CPTR_EL2 with E2H): 11 enables,
 * 01 disables EL0 only (@el0: that EL0 is the one trapped), x0 disables.
 */
static inline bool cpu_xen_disabled(unsigned int en, bool el0)
{
	return en == 3 ? false : en == 1 ? el0 : true;
}

/*
 * CheckFPEnabled(): CPACR_EL1.FPEN at EL0 and EL1 outside the EL2&0
 * regime (to EL1; 01 enables EL1 only), then EL2's: with E2H CPTR_EL2.FPEN
 * at every EL (01 disables EL0 under TGE only), else CPTR_EL2.TFP
 * (AArch64.CheckFPAdvSIMDTrap); CPTR_EL2 keeps TFP clear without EL2,
 * where E2H is clear too.  SYSREG_OK or SYSREG_FP_EL1/EL2.
 */
static inline int cpu_fp_trap(const struct cpu_state *s)
{
	unsigned int el = (s->pstate >> 2) & 3, fpen = CPU_CPACR_FPEN(s);

	if (__builtin_expect(cpu_e2h(s), 0)) {
		bool host0 = el == 0 && (s->sysreg[SR_HCR_EL2] & HCR_TGE);

		if (el < 2 && !host0 && cpu_xen_disabled(fpen, el == 0))
			return SYSREG_FP_EL1;
		if (cpu_xen_disabled(CPU_CPTR_FPEN(s), host0))
			return SYSREG_FP_EL2;
		return SYSREG_OK;
	}
	if (el < 2 && fpen != 3 && !(fpen == 1 && el == 1))
		return SYSREG_FP_EL1;
	if (__builtin_expect(!!(s->sysreg[SR_CPTR_EL2] & CPU_CPTR_TFP), 0))
		return SYSREG_FP_EL2;
	return SYSREG_OK;
}

/*
 * CheckSVEEnabled() with its FP check: CPACR_EL1.ZEN then FPEN at EL0 and
 * EL1 (outside the EL2&0 regime), then CPTR_EL2.TZ then TFP (E2H 0), or
 * CPTR_EL2.ZEN then FPEN (E2H 1).  The SVE register ZCR_ELx takes the SVE
 * checks alone (sve_only).
 */
static inline int cpu_sve_trap(const struct cpu_state *s, bool sve_only)
{
	unsigned int el = (s->pstate >> 2) & 3, zen = CPU_CPACR_ZEN(s);
	unsigned int fpen = CPU_CPACR_FPEN(s);

	if (__builtin_expect(cpu_e2h(s), 0)) {
		bool host0 = el == 0 && (s->sysreg[SR_HCR_EL2] & HCR_TGE);

		if (el < 2 && !host0) {
			if (cpu_xen_disabled(zen, el == 0))
				return SYSREG_SVE_EL1;
			if (!sve_only && cpu_xen_disabled(fpen, el == 0))
				return SYSREG_FP_EL1;
		}
		if (cpu_xen_disabled(CPU_CPTR_ZEN(s), host0))
			return SYSREG_SVE_EL2;
		if (!sve_only && cpu_xen_disabled(CPU_CPTR_FPEN(s), host0))
			return SYSREG_FP_EL2;
		return SYSREG_OK;
	}
	if (el < 2) {
		if (zen != 3 && !(zen == 1 && el == 1))
			return SYSREG_SVE_EL1;
		if (!sve_only && fpen != 3 && !(fpen == 1 && el == 1))
			return SYSREG_FP_EL1;
	}
	if (__builtin_expect(!!(s->sysreg[SR_CPTR_EL2] & CPU_CPTR_TZ), 0))
		return SYSREG_SVE_EL2;
	if (!sve_only && __builtin_expect(!!(s->sysreg[SR_CPTR_EL2] & CPU_CPTR_TFP), 0))
		return SYSREG_FP_EL2;
	return SYSREG_OK;
}

/*
 * The EL0 gates of SCTLR_EL1 (UMA: DAIF, UCT: CTR_EL0, DZE: DC ZVA, UCI:
 * cache maintenance) and CNTKCTL_EL1 (EL0PCTEN, EL0VCTEN, EL0PTEN,
 * EL0VTEN: the generic timer): at EL0 the access completes only when one
 * of @bits is set in system register @slot, and otherwise traps to EL1
 * with EC 0x18 (Arm ARM: the fields of SCTLR_EL1 and CNTKCTL_EL1, and
 * each register's accessibility pseudocode).  The one place of the rule, for MSR/MRS
 * (kernel/sys_regs.c) and the instructions with the same gates (MSR
 * DAIFSet/DAIFClr, DC, IC).
 */
static inline int cpu_el0_gate(const struct cpu_state *s, unsigned int slot, uint64_t bits)
{
	if (cpu_current_el(s) != 0)
		return SYSREG_OK;
	/* in the EL2&0 regime SCTLR_EL2 and CNTHCTL_EL2 (its E2H layout has
	 * CNTKCTL_EL1's EL0 bits) gate EL0, and TGE takes the trap to EL2 */
	if (__builtin_expect(cpu_e2h_tge(s), 0))
		slot = slot == SR_SCTLR_EL1 ? SR_SCTLR_EL2 :
		       slot == SR_CNTKCTL_EL1 ? SR_CNTHCTL_EL2 : slot;
	if (s->sysreg[slot] & bits)
		return SYSREG_OK;
	return SYSREG_TRAP_EL1;
}

/* The descriptor for an encoding, or NULL: the encoding is UNDEFINED. */
const struct sys_reg_desc *sys_reg_lookup(uint32_t enc);
/*
 * FEAT_NV2 (HCR_EL2.{NV,NV2} at EL1): the 64-bit load (MRS) or store (MSR)
 * an access to a register of the VNCR page becomes, at address va (its
 * offset from VNCR_EL2) through the EL2 or, with E2H, the EL2&0
 * translation regime, as if PSTATE.PAN were 0.  A fault there is a data
 * abort to EL2, EC 0x25, ISS.VNCR set, FAR_EL2 va; an address outside
 * RAM (or a store to read-only memory) a synchronous external abort so.
 * SYSREG_OK, or SYSREG_STOP (the exception taken, or an exit prepared).
 */
int cpu_nv2_access(struct cpu *cpu, uint64_t va, bool write, uint64_t *val);

/* MRS/MSR semantics: an enum sysreg_result. */
int sys_reg_read(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t *val);
int sys_reg_write(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t val);

/* SEV was executed (cpu_vm.sev_gen bumped): wake the vCPUs waiting in WFE. */
void cpu_hook_sev(struct cpu *cpu);
/* Every CPU_YIELD_SPIN-th YIELD: the guest spins, waiting (backend). */
#define CPU_YIELD_SPIN	1024
void cpu_hook_yield(struct cpu *cpu);

/* ---- FEAT_MTE2 (mte_tags.c) ------------------------------------------------ */

/* GMID_EL1.BS: LDGM and STGM move 4 << 6 = 256 bytes, 16 tags, one X register */
#define CPU_MTE_GMID_BS		6

/* ---- PMUv3 (pmu.c) -------------------------------------------------------- */

/* Event counters implemented, PMCR_EL0.N's reset (PMUv3p5: 64-bit counters). */
#define CPU_PMU_COUNTERS	6

/* The bits of PMCNTEN*, PMINTEN*, PMOVS*, PMSWINC: PMCCNTR and n counters. */
static inline uint64_t cpu_pmu_counter_mask(unsigned int n)
{
	return (1ULL << PMU_CYCLE_IDX) | ((1ULL << n) - 1);
}

/*
 * After a write to PMCR_EL0, PMCNTENSET/CLR_EL0, PMINTENSET/CLR_EL1,
 * PMOVSSET/CLR_EL0, PMEVTYPER<n>_EL0 or PMCCFILTR_EL0 (or the filter):
 * recompute what is counted and the overflow interrupt request.
 */
void cpu_pmu_update(struct cpu *cpu);
/* PMSWINC_EL0 written with mask. */
void cpu_pmu_swinc(struct cpu *cpu, uint64_t mask);
/* PMCEID0_EL0 (n = 0) or PMCEID1_EL0 (n = 1): the events counted. */
uint64_t cpu_pmu_ceid(const struct cpu *cpu, unsigned int n);
/* The PMU's overflow interrupt request changed to level (backend). */
void cpu_hook_pmu_irq(struct cpu *cpu, bool level);

#endif /* VKVM_CPU_H */
