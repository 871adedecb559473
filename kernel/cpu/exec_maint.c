// SPDX-License-Identifier: GPL-2.0
/*
 * SYS instructions: data and instruction cache maintenance (DC, IC), TLB
 * maintenance (TLBI) and address translation (AT).
 *
 * Caches: the engine has no data caches and CTR_EL0 advertises IDC=1 and
 * DIC=1, and decoded code is checked against memory at every execution, so
 * DC and IC only have to fault where the architecture says they may: a DC
 * by VA on an address that does not translate faults like a load (DC IVAC
 * like a store), reporting CM=1 and WnR=1; outside memory it exits as a
 * stage-2 abort with CM=1 (KVM skips it).  Set/way operations are no-ops.
 *
 * TLBI: the soft TLBs are tagged by VMID and ASID (tlb.h, mem.c): each
 * form drops the entries of its regime, VMID, ASID and VA in every set;
 * inner-shareable forms also bump the VM's tlbi_gen, which every other
 * vCPU of the VM compares at each block boundary and flushes all on.
 */
#include "internal.h"

/* DC ZVA: DCZID_EL0.BS = 4, 64-byte blocks */
#define ZVA_BLOCK	64

/*
 * SYS at EL0 (those rows that EL0 may execute at all; the others are
 * UNDEFINED there): gated by SCTLR_EL1.DZE for DC ZVA and .UCI for the
 * other cache maintenance (cpu_el0_gate).
 */
static inline int sys_el0(struct cpu *c, const struct dinsn *d, uint64_t gate)
{
	int r = cpu_el0_gate(&c->state, SR_SCTLR_EL1, gate);

	return r == SYSREG_OK ? EXEC_NEXT : raise_sysreg_result(c, d->insn, r);
}

/* An EL1-only SYS at EL0 is UNDEFINED. */
static inline bool sys_el0_undef(struct cpu *c)
{
	return cpu_current_el(&c->state) == 0;
}

/*
 * The HCR_EL2 traps of a SYS below EL2, after EL1's own (UNDEFINED at EL0,
 * SCTLR_EL1's gates): TTLB (TLBI), TSW (DC by set/way), TPC (DC to the PoC
 * or PoP), TPU (IC and DC CVAU), TDZ (DC ZVA).  EC 0x18 with the SYS's ISS.
 * True when it trapped.  HCR_EL2 is 0 without EL2.
 */
static inline bool sys_hcr_trap(struct cpu *c, const struct dinsn *d, uint64_t bit)
{
	const struct cpu_state *s = &c->state;

	/* HCR_EL2.{E2H,TGE} {1,1}: TDZ, TPC, TPU... act as 0 at EL0 (the host's) */
	if (likely(!(s->sysreg[SR_HCR_EL2] & bit)) || cpu_current_el(s) == 2 ||
	    (cpu_current_el(s) == 0 && cpu_e2h_tge(s)))
		return false;
	raise_sync_el2(c, EC_SYS64, ESR_SYS64_ISS(d->insn));
	return true;
}

static inline uint64_t xt_va(struct cpu *c, const struct dinsn *d)
{
	return va_untag(&c->state, xreg(&c->state, d->rd), false);
}

/*
 * The other vCPUs flush their whole TLBs when they see the generation
 * move; the issuer, which did its own part, need not, unless it had not
 * yet seen an earlier one.
 */
void tlbi_broadcast(struct cpu *c)
{
	uint64_t old = atomic_fetch_add_explicit(&c->vm->tlbi_gen, 1, memory_order_acq_rel);

	if (old == c->engine->tlbi_gen)
		c->engine->tlbi_gen = old + 1;
}

/* Cache maintenance by VA: translate (no data moves); fault as the rules say. */
static int dc_va(struct cpu *c, uint64_t va, bool inval)
{
	uint32_t acc = ESR_CM | (inval ? (ACC_RMW | ACC_WRITE) : 0);

	if (!mem_host_ptr(c, va & ~(uint64_t)(ZVA_BLOCK - 1), 1, acc))
		return EXEC_STOP;
	return EXEC_NEXT;
}

static int dc_zva(struct cpu *c, uint64_t va)
{
	uint64_t base = va & ~(uint64_t)(ZVA_BLOCK - 1);
	uint8_t *h = mem_host_ptr(c, base, ZVA_BLOCK, ACC_WRITE | ACC_DEVFAULT);

	if (!h)
		return EXEC_STOP;
	memset(h, 0, ZVA_BLOCK);
	return EXEC_NEXT;
}

static uint64_t par_success(const struct s1_result *r)
{
	/* SH: Device and Non-cacheable memory report Outer Shareable */
	uint64_t sh = (r->device || (r->attr & 0xf0) == 0x40) ? 2 : r->sh;

	/* bit 11 is RES1 (QEMU 11 agrees) */
	return ((uint64_t)r->attr << 56) | (r->pa & 0x0000fffffffff000ULL) | (sh << 7) |
	       (1ULL << 11);
}

/*
 * The attributes of a stage 1 + stage 2 translation (CombineS1S2Desc,
 * without FEAT_S2FWB): s1 a MAIR byte, s2 the stage-2 MemAttr[3:0].
 * Device wins, the more restrictive Device type; Normal takes each half's
 * weaker cacheability (Non-cacheable < Write-Through < Write-Back) with
 * stage 1's allocation hints.  Stage 2 off: MemAttr 0xf, stage 1's.
 */
static uint8_t s2_half(uint8_t s1, unsigned int s2)
{
	if (s1 == 0x4 || s2 == 1)
		return 0x4;				/* Non-cacheable */
	if (s2 == 2 && (s1 & 0x4))			/* WB, to WT: hints kept */
		return s1 & ~0x4;
	return s1;
}

static uint8_t s2_combined_attr(uint8_t s1, unsigned int s2)
{
	unsigned int dev1 = (s1 >> 2) & 3, dev2 = s2 & 3;

	if (!(s2 >> 2)) {				/* stage 2 Device */
		if (s1 & 0xf0)
			return (uint8_t)(dev2 << 2);
		return (uint8_t)((dev1 < dev2 ? dev1 : dev2) << 2);
	}
	if (!(s1 & 0xf0))				/* stage 1 Device */
		return s1;
	return (uint8_t)(s2_half(s1 >> 4, s2 >> 2) << 4 | s2_half(s1 & 0xf, s2 & 3));
}

static uint64_t par_fault(const struct s1_result *r)
{
	/* F=1, FST, bit 11 RES1; a stage-2 fault on the walk: S and PTW */
	return (1ULL << 11) | (r->s2 ? (1ULL << 9) : 0) | (r->s1ptw ? (1ULL << 8) : 0) |
	       ((uint64_t)(r->fsc & 0x3f) << 1) | 1;
}

/*
 * Stage 1's attributes as an AT reports them: with the regime's SCTLR.C
 * clear, data accesses to Normal memory are Normal Non-cacheable (Arm ARM
 * AArch64.S1Translate: !AArch64.S1DCacheEnabled(), AT is not a fetch), so
 * MAIR's Normal byte becomes 0x44.  Device (stage 1 off included) stays.
 * The access path keeps the MAIR byte: vkvm has no caches, and MTE's
 * Tagged with C clear is CONSTRAINED UNPREDICTABLE.
 */
static uint8_t at_s1_attr(const struct cpu_state *s, enum mmu_idx idx, uint8_t attr)
{
	bool el2 = idx >= MMU_EL2 || (idx == MMU_EL0 && cpu_e2h_tge(s));

	if ((attr & 0xf0) && !(s->sysreg[el2 ? SR_SCTLR_EL2 : SR_SCTLR_EL1] & SCTLR_C))
		return 0x44;
	return attr;
}

static int at(struct cpu *c, enum mmu_idx idx, uint32_t acc, uint64_t va)
{
	struct cpu_state *s = &c->state;
	struct s1_result r;

	if (mem_probe(c, va, idx, acc, &r)) {
		if (r.s2 && r.s1ptw && cpu_current_el(s) == 1) {
			mem_at_walk_abort(c, va, &r);	/* to EL2, not PAR */
			return EXEC_STOP;
		}
		s->sysreg[SR_PAR_EL1] = par_fault(&r);
	} else {
		r.attr = at_s1_attr(s, idx, r.attr);
		s->sysreg[SR_PAR_EL1] = par_success(&r);
	}
	return EXEC_NEXT;
}

/* ---- DC, IC ------------------------------------------------------------------ */

static int exec_DC_ZVA(struct cpu *c, const struct dinsn *d)
{
	int r = sys_el0(c, d, SCTLR_DZE);

	if (r == EXEC_NEXT && sys_hcr_trap(c, d, HCR_TDZ))
		return EXEC_STOP;
	return r != EXEC_NEXT ? r : dc_zva(c, xt_va(c, d));
}

/*
 * DC ZVA as a THREADED_NOPC fast form: at EL1 without HCR_EL2.TDZ (no
 * trap: SCTLR_EL1.DZE gates EL0 only), a block whose page the current TLB
 * holds writable and not Device (mem_host_ptr()'s hit, which is what
 * dc_zva() takes there) is zeroed here, a store into checked code ending
 * the chain as a store's fast path does; anything else runs the row's
 * reference with PC stored, then the self-modifying-code check of
 * thread_generic() (ldst_slow(), a NOPC entry's slow path).  The zeroing writes no
 * Allocation Tags (DC GZVA does, exec_mte.c).
 */
static int fast_DC_ZVA_tlb(struct cpu *c, const struct dinsn *d)
{
	const struct cpu_state *s = &c->state;
	uint64_t base = xt_va(c, d) & ~(uint64_t)(ZVA_BLOCK - 1);
	const struct tlb_entry *t = &c->cur_tlb[(base >> PAGE_SHIFT) & (TLB_SIZE - 1)];
	uint64_t *h;

	if (unlikely(cpu_current_el(s) != 1 || (s->sysreg[SR_HCR_EL2] & HCR_TDZ) ||
		     t->tag_w != (base & PAGE_MASK) || (t->attrs & TLBA_DEVICE)))
		return ldst_slow(c, d, exec_DC_ZVA);
	h = (uint64_t *)(uintptr_t)(base + t->addend);
	for (unsigned int i = 0; i < ZVA_BLOCK / 8; i++)
		h[i] = 0;
	if (unlikely(thread_hits_code(c, h)))
		return thread_code_written(c, d);
	return EXEC_NEXT;
}

static bool c_dc_zva(const struct dinsn *d)
{
	return true;
}

/* DC IVAC invalidates: it may fault as a store */
static int exec_DC_IVAC(struct cpu *c, const struct dinsn *d)
{
	if (sys_el0_undef(c))
		return raise_undef(c);
	if (sys_hcr_trap(c, d, HCR_TPC))
		return EXEC_STOP;
	return dc_va(c, xt_va(c, d), true);
}

/* Clean (and invalidate) by VA, and IC IVAU: EL0 may, under SCTLR_EL1.UCI */
static inline int dc_va_el0(struct cpu *c, const struct dinsn *d, uint64_t hcr_bit)
{
	int r = sys_el0(c, d, SCTLR_UCI);

	if (r == EXEC_NEXT && sys_hcr_trap(c, d, hcr_bit))
		return EXEC_STOP;
	return r != EXEC_NEXT ? r : dc_va(c, xt_va(c, d), false);
}

#define DC_VA(name, hcr_bit)						\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	return dc_va_el0(c, d, hcr_bit);				\
}
DC_VA(DC_CVAC, HCR_TPC)
DC_VA(DC_CVAU, HCR_TPU)
DC_VA(DC_CVAP, HCR_TPC)
DC_VA(DC_CVADP, HCR_TPC)
DC_VA(DC_CIVAC, HCR_TPC)
DC_VA(IC_IVAU, HCR_TPU)

/* Set/way operations and invalidating all instruction caches: no caches */
#define NO_CACHE(name, hcr_bit)						\
static int exec_##name(struct cpu *c, const struct dinsn *d)		\
{									\
	if (sys_el0_undef(c))						\
		return raise_undef(c);					\
	return sys_hcr_trap(c, d, hcr_bit) ? EXEC_STOP : EXEC_NEXT;	\
}
NO_CACHE(DC_ISW, HCR_TSW)
NO_CACHE(DC_CSW, HCR_TSW)
NO_CACHE(DC_CISW, HCR_TSW)
NO_CACHE(IC_IALLUIS, HCR_TPU)
NO_CACHE(IC_IALLU, HCR_TPU)

/* ---- AT ---------------------------------------------------------------------- */

/*
 * An EL2 SYS (TLBI *E2, *E1 of EL2, AT S1E2*, S12E*) below EL2: trapped
 * from EL1 under HCR_EL2.NV (EC 0x18, FEAT_NV), else UNDEFINED.
 */
static int el2_sys_below(struct cpu *c, const struct dinsn *d)
{
	if (cpu_nv(&c->state))
		return raise_sync_el2(c, EC_SYS64, ESR_SYS64_ISS(d->insn));
	return raise_undef(c);
}

/*
 * AT S1E1*, S1E0*: the EL1&0 regime, but at EL2 under HCR_EL2.{E2H,TGE}
 * {1,1} the EL2&0 one (Arm ARM, AT S1E1R: "the EL2&0 translation
 * regime" then), S1E1* with EL2's privilege.
 */
static inline int at_s1(struct cpu *c, const struct dinsn *d, enum mmu_idx idx, uint32_t acc)
{
	if (sys_el0_undef(c))
		return raise_undef(c);
	if (sys_hcr_trap(c, d, HCR_AT))		/* FEAT_NV's HCR_EL2.AT */
		return EXEC_STOP;
	if (idx == MMU_EL1 && cpu_current_el(&c->state) == 2 && cpu_e2h_tge(&c->state))
		idx = MMU_EL2;
	return at(c, idx, acc, xreg(&c->state, d->rd));
}

/* no PAN2: AT S1E1R/W ignore PSTATE.PAN */
static int exec_AT_S1E1R(struct cpu *c, const struct dinsn *d)
{
	return at_s1(c, d, MMU_EL1, 0);
}

static int exec_AT_S1E1W(struct cpu *c, const struct dinsn *d)
{
	return at_s1(c, d, MMU_EL1, ACC_WRITE);
}

static int exec_AT_S1E0R(struct cpu *c, const struct dinsn *d)
{
	return at_s1(c, d, MMU_EL0, 0);
}

static int exec_AT_S1E0W(struct cpu *c, const struct dinsn *d)
{
	return at_s1(c, d, MMU_EL0, ACC_WRITE);
}

/* EL2's: UNDEFINED below EL2 (trapped under NV), and without EL2 */
static int exec_AT_S1E2R(struct cpu *c, const struct dinsn *d)
{
	if (cpu_current_el(&c->state) < 2)
		return el2_sys_below(c, d);
	return at(c, MMU_EL2, 0, xreg(&c->state, d->rd));
}

static int exec_AT_S1E2W(struct cpu *c, const struct dinsn *d)
{
	if (cpu_current_el(&c->state) < 2)
		return el2_sys_below(c, d);
	return at(c, MMU_EL2, ACC_WRITE, xreg(&c->state, d->rd));
}

/*
 * Stage 2's MemAttr as an AT S12E* reports it: with stage 2 on
 * (HCR_EL2.VM, TGE clear), HCR_EL2.CD makes its Normal memory Normal
 * Non-cacheable for data accesses (Arm ARM AArch64.S2Translate, the
 * walkparams.cd case; HCR_EL2.CD), so the combination with stage 1 is
 * Non-cacheable unless either stage is Device, as Linux 7.2 KVM's
 * compute_par_s12() (arch/arm64/kvm/at.c) makes any non-Device final
 * attribute under CD.  HCR_EL2.ID is the same for instruction fetches
 * alone, and AT is not one (AccessType_AT): it changes nothing here.
 */
static unsigned int at_s2_memattr(const struct cpu_state *s, unsigned int memattr)
{
	uint64_t hcr = s->sysreg[SR_HCR_EL2];

	if ((hcr & HCR_VM) && !(hcr & HCR_TGE) && (hcr & HCR_CD) && (memattr >> 2))
		return 0x5;					/* Normal NC, NC */
	return memattr;
}

/*
 * AT S12E1R/W, S12E0R/W: EL2's, UNDEFINED below it.  Stage 1 of the EL1&0
 * regime then, under HCR_EL2.VM, stage 2: PAR_EL1 the PA with the two
 * stages' attributes combined (stage 2's under HCR_EL2.CD, above), or the
 * fault (S for stage 2's, PTW for one on stage 1's walk).  Without
 * HCR_EL2.VM, as AT S1E1R/W, S1E0R/W.
 */
static int at_s12(struct cpu *c, const struct dinsn *d, enum mmu_idx idx, uint32_t acc)
{
	struct cpu_state *s = &c->state;
	struct s1_result r;

	if (cpu_current_el(s) < 2)
		return el2_sys_below(c, d);
	if (mem_probe_s12(c, xreg(s, d->rd), idx, acc, &r)) {
		s->sysreg[SR_PAR_EL1] = par_fault(&r);
	} else {
		r.attr = s2_combined_attr(at_s1_attr(s, idx, r.attr),
					  at_s2_memattr(s, r.s2_memattr));
		s->sysreg[SR_PAR_EL1] = par_success(&r);
	}
	return EXEC_NEXT;
}

#define AT_S12(name, idx, acc)						\
static int exec_AT_##name(struct cpu *c, const struct dinsn *d)	\
{									\
	return at_s12(c, d, idx, acc);					\
}
AT_S12(S12E1R, MMU_EL1, 0)
AT_S12(S12E1W, MMU_EL1, ACC_WRITE)
AT_S12(S12E0R, MMU_EL0, 0)
AT_S12(S12E0W, MMU_EL0, ACC_WRITE)

/* ---- TLBI ---------------------------------------------------------------------- */

/* The ASID in Xt[63:48], 8 bits unless the regime's TCR.AS says 16. */
static uint32_t xt_asid(const struct cpu_state *s, uint64_t xt, bool el2)
{
	uint64_t tcr = s->sysreg[el2 ? SR_TCR_EL2 : SR_TCR_EL1];

	return (uint32_t)((xt >> 48) & ((tcr >> 36) & 1 ? 0xffff : 0xff));
}

/* VA[55:12] in Xt[43:0] */
static uint64_t xt_page(uint64_t xt)
{
	return (uint64_t)sext((xt & 0xfffffffffffULL) << 12, 56);
}

/*
 * The EL1 forms: the EL1&0 regime of the current VMID (VTTBR_EL2's, as
 * tagged by tlb_key()), or EL2&0 when executed at EL2 under E2H and TGE.
 */
static void tlbi_e1_op(struct cpu *c, struct tlbi_op *op)
{
	struct cpu_state *s = &c->state;

	if (cpu_current_el(s) == 2 && cpu_e2h_tge(s)) {
		op->regime = TLBI_EL20;
	} else {
		op->regime = TLBI_EL10;
		op->by_vmid = true;
		op->vmid = tlb_vmid(s);
	}
}

enum tlbi_kind { TK_ALL, TK_ASID, TK_VA, TK_VAA };

/* VMALLE1, ASIDE1, VAE1/VALE1 (by VA and ASID: the ASID's entries and the
 * global ones), VAAE1/VAALE1 (by VA, any ASID). */
static inline int tlbi_e1(struct cpu *c, const struct dinsn *d, enum tlbi_kind k, bool is)
{
	struct tlbi_op op = { 0 };
	uint64_t xt = xreg(&c->state, d->rd);

	if (sys_el0_undef(c))
		return raise_undef(c);
	if (sys_hcr_trap(c, d, HCR_TTLB))
		return EXEC_STOP;
	tlbi_e1_op(c, &op);
	op.by_asid = k == TK_ASID || k == TK_VA;
	op.asid = xt_asid(&c->state, xt, op.regime == TLBI_EL20);
	op.by_va = k == TK_VA || k == TK_VAA;
	op.va = xt_page(xt);
	tlb_invalidate(c, &op);
	if (is)
		tlbi_broadcast(c);
	return EXEC_NEXT;
}

#define TLBI_E1(name, k, is)						\
static int exec_TLBI_##name(struct cpu *c, const struct dinsn *d)	\
{									\
	return tlbi_e1(c, d, k, is);					\
}
TLBI_E1(VMALLE1IS, TK_ALL, true)
TLBI_E1(VAE1IS, TK_VA, true)
TLBI_E1(ASIDE1IS, TK_ASID, true)
TLBI_E1(VAAE1IS, TK_VAA, true)
TLBI_E1(VALE1IS, TK_VA, true)
TLBI_E1(VAALE1IS, TK_VAA, true)
TLBI_E1(VMALLE1, TK_ALL, false)
TLBI_E1(VAE1, TK_VA, false)
TLBI_E1(ASIDE1, TK_ASID, false)
TLBI_E1(VAAE1, TK_VAA, false)
TLBI_E1(VALE1, TK_VA, false)
TLBI_E1(VAALE1, TK_VAA, false)

/*
 * EL2's, UNDEFINED below EL2 (trapped under HCR_EL2.NV): ALLE2 the EL2
 * and EL2&0 regimes; VAE2/VALE2 a VA of the EL2 regime, or of EL2&0 (with
 * Xt's ASID) under E2H; ALLE1 EL1&0 of every VMID; VMALLS12E1 and the
 * IPAS2 forms EL1&0 of the current VMID (the soft TLB holds stage 1 and 2
 * combined, by VA: an IPA cannot pick entries out of it).
 */
enum tlbi_e2_kind { TK2_ALLE2, TK2_VAE2, TK2_ALLE1, TK2_VMID };

static inline int tlbi_el2(struct cpu *c, const struct dinsn *d, enum tlbi_e2_kind k, bool is)
{
	struct cpu_state *s = &c->state;
	struct tlbi_op op = { 0 };
	uint64_t xt = xreg(s, d->rd);

	if (cpu_current_el(s) < 2)
		return el2_sys_below(c, d);
	switch (k) {
	case TK2_ALLE2:
		op.regime = TLBI_EL2;
		tlb_invalidate(c, &op);
		op.regime = TLBI_EL20;
		break;
	case TK2_VAE2:
		op.regime = cpu_e2h(s) ? TLBI_EL20 : TLBI_EL2;
		op.by_asid = cpu_e2h(s);
		op.asid = xt_asid(s, xt, true);
		op.by_va = true;
		op.va = xt_page(xt);
		break;
	case TK2_ALLE1:
		op.regime = TLBI_EL10;
		break;
	case TK2_VMID:
		op.regime = TLBI_EL10;
		op.by_vmid = true;
		op.vmid = tlb_vmid(s);
		break;
	}
	tlb_invalidate(c, &op);
	if (is)
		tlbi_broadcast(c);
	return EXEC_NEXT;
}
#define TLBI_EL2(name, k, is)						\
static int exec_TLBI_##name(struct cpu *c, const struct dinsn *d)	\
{									\
	return tlbi_el2(c, d, k, is);					\
}
TLBI_EL2(ALLE2, TK2_ALLE2, false)
TLBI_EL2(ALLE2IS, TK2_ALLE2, true)
TLBI_EL2(VAE2, TK2_VAE2, false)
TLBI_EL2(VAE2IS, TK2_VAE2, true)
TLBI_EL2(VALE2, TK2_VAE2, false)
TLBI_EL2(VALE2IS, TK2_VAE2, true)
TLBI_EL2(ALLE1, TK2_ALLE1, false)
TLBI_EL2(ALLE1IS, TK2_ALLE1, true)
TLBI_EL2(VMALLS12E1, TK2_VMID, false)
TLBI_EL2(VMALLS12E1IS, TK2_VMID, true)
TLBI_EL2(IPAS2E1, TK2_VMID, false)
TLBI_EL2(IPAS2E1IS, TK2_VMID, true)
TLBI_EL2(IPAS2LE1, TK2_VMID, false)
TLBI_EL2(IPAS2LE1IS, TK2_VMID, true)

#define INSN_CLASS	maint
#define INSN_DEF	"insn/maint.def"
#include "a64_table.h"
