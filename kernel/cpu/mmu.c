// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-1 translation for the EL1&0, EL2 and EL2&0 regimes (Arm ARM D8, "The AArch64
 * Virtual Memory System Architecture"): 4K, 16K and 64K granules, 48-bit
 * VA and PA, no LPA/LVA/LPA2, no hardware AF/dirty management, no HPD.
 *
 * The walk reads descriptors from guest memory through the memmap.  A walk
 * that touches an IPA outside every region is reported as FSC_SEA_WALK with
 * walk_ipa: under KVM that is a stage-2 fault on a stage-1 walk (S1PTW) on
 * an IPA without a memslot, which KVM does not hand to userspace but
 * answers by injecting an external data/prefetch abort; the caller exits to
 * the backend with ESR.S1PTW set so that it can do the same.
 */
#include "internal.h"
#include "pauth.h"

#define TCR_T0SZ(t)	((unsigned int)((t) & 0x3f))
#define TCR_EPD0	(1ULL << 7)
#define TCR_TG0(t)	((unsigned int)(((t) >> 14) & 3))
#define TCR_T1SZ(t)	((unsigned int)(((t) >> 16) & 0x3f))
#define TCR_EPD1	(1ULL << 23)
#define TCR_TG1(t)	((unsigned int)(((t) >> 30) & 3))
#define TCR_IPS(t)	((unsigned int)(((t) >> 32) & 7))
#define TCR_TBI0	(1ULL << 37)
#define TCR_TBI1	(1ULL << 38)
#define TCR_TBID0	(1ULL << 51)
#define TCR_TBID1	(1ULL << 52)

#define DESC_AF		(1ULL << 10)
#define DESC_GP		(1ULL << 50)	/* guarded page (FEAT_BTI) */
#define DESC_PXN	(1ULL << 53)
#define DESC_UXN	(1ULL << 54)
#define DESC_PXNTABLE	(1ULL << 59)
#define DESC_UXNTABLE	(1ULL << 60)
#define DESC_APT_NOEL0	(1ULL << 61)
#define DESC_APT_RO	(1ULL << 62)
#define PA_MASK_48	0x0000ffffffffffffULL

/*
 * The translation regime's TCR in TCR_EL1's layout.  TCR_EL2 (E2H 0) has
 * one VA range, TTBR0_EL2's: T0SZ, TG0 and PS (as IPS) where TCR_EL1 has
 * them, its TBI and TBID for both halves, and the upper half disabled
 * (EPD1), so that an address with bit 55 set faults at level 0.  With
 * E2H, TCR_EL2 has TCR_EL1's layout (the EL2&0 regime, two ranges).
 */
static uint64_t regime_tcr(const struct cpu_state *s, bool el2)
{
	uint64_t t;

	if (likely(!el2))
		return s->sysreg[SR_TCR_EL1];
	t = s->sysreg[SR_TCR_EL2];
	if (cpu_e2h(s))
		return t;
	return (t & 0x3f) | (t & (3ULL << 14)) | (((t >> 16) & 7) << 32) |
	       ((t & (1ULL << 20)) ? TCR_TBI0 | TCR_TBI1 : 0) |
	       ((t & (1ULL << 29)) ? TCR_TBID0 | TCR_TBID1 : 0) | TCR_EPD1;
}

uint64_t cpu_regime_tcr(const struct cpu_state *s)
{
	return regime_tcr(s, cpu_in_el2_regime(s));
}

/* Is the regime of an mmu_idx EL2's (EL2, or EL2&0 for EL0 under E2H+TGE)? */
static bool idx_el2_regime(const struct cpu_state *s, enum mmu_idx idx)
{
	return idx >= MMU_EL2 || (idx == MMU_EL0 && unlikely(cpu_e2h_tge(s)));
}

static bool tbi_in(uint64_t tcr, uint64_t va)
{
	return (va >> 55) & 1 ? (tcr & TCR_TBI1) : (tcr & TCR_TBI0);
}

static bool tbi_applies(const struct cpu_state *s, uint64_t va)
{
	return tbi_in(cpu_regime_tcr(s), va);
}

uint64_t va_untag(const struct cpu_state *s, uint64_t va, bool fetch)
{
	if (!fetch && tbi_applies(s, va))
		return (uint64_t)sext(va, 56);
	return va;
}

uint64_t branch_addr(const struct cpu_state *s, uint64_t target)
{
	uint64_t tcr = cpu_regime_tcr(s);

	/* EffectiveTBI for an instruction address: TBID only with FEAT_PAuth */
	if (tbi_in(tcr, target) &&
	    !(pauth_on(s) && (tcr & ((target >> 55) & 1 ? TCR_TBID1 : TCR_TBID0))))
		return (uint64_t)sext(target, 56);
	return target;
}

static int walk_fault(struct s1_result *r, int fsc, unsigned int level)
{
	r->fsc = fsc | (int)level;
	r->level = level;
	return -1;
}

/* Granule shift from TG0/TG1; reserved encodings behave as 4K (IMP DEF). */
static unsigned int granule_shift(bool upper, unsigned int tg)
{
	if (upper)
		return tg == 1 ? 14 : tg == 3 ? 16 : 12;
	return tg == 2 ? 14 : tg == 1 ? 16 : 12;
}

static unsigned int pa_bits_of(unsigned int ips)
{
	static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 48, 48 };

	return bits[ips];
}

static bool block_allowed(unsigned int g, unsigned int level)
{
	if (g == 12)
		return level == 1 || level == 2;
	return level == 2;	/* 16K and 64K: no level-1 blocks without LPA/LPA2 */
}

/* -1: outside memory; -2: an emulated memory error (poisoned page) */
static int read_desc(struct cpu *c, uint64_t ipa, uint64_t *desc)
{
	const struct cpu_memmap *map = c->engine->map;
	const struct cpu_mem_region *reg = cpu_memmap_find(map, ipa);

	if (!reg)
		return -1;
	if (map->nr_poison && cpu_memmap_poisoned(map, ipa))
		return -2;
	/* ipa is 8-byte aligned and regions are page multiples: in bounds */
	*desc = __atomic_load_n((uint64_t *)(reg->hva + (ipa - reg->gpa)),
				__ATOMIC_RELAXED);
	return 0;
}

static void flat_result(const struct cpu_state *s, uint64_t va, bool fetch,
			struct s1_result *r)
{
	r->pa = va;
	r->block_shift = 48;
	r->level = 0;
	r->perms = PERM_R | PERM_W | PERM_X;
	/* SCTLR_EL1.M == 0: data accesses are Device-nGnRnE, fetches Normal;
	 * nothing is guarded (no descriptor holds a GP bit; QEMU agrees). */
	r->device = !fetch;
	r->attr = fetch ? 0x44 : 0x00;
	r->guarded = false;
	r->global = true;
}

/*
 * A leaf's permissions for idx, combined with the hierarchical controls
 * gathered from the table descriptors above it (their APTable, PXNTable and
 * UXNTable bits in table), and its memory attributes.
 */
static void leaf_result(const struct cpu_state *s, uint64_t desc,
			enum mmu_idx idx, uint64_t table, struct s1_result *r)
{
	unsigned int ap = (desc >> 6) & 3;	/* AP[2:1] */
	bool el0 = (ap & 1) && !(table & DESC_APT_NOEL0);
	bool ro = (ap & 2) || (table & DESC_APT_RO);
	bool uxn = (desc & DESC_UXN) || (table & DESC_UXNTABLE);
	bool pxn = (desc & DESC_PXN) || (table & DESC_PXNTABLE);
	bool el2 = idx_el2_regime(s, idx);
	bool wxn = s->sysreg[el2 ? SR_SCTLR_EL2 : SR_SCTLR_EL1] & SCTLR_WXN;
	unsigned int attridx = (desc >> 2) & 7;
	unsigned int p;

	/* FEAT_NV, HCR_EL2.{NV,NV1} = {1,1} in EL1&0: bit 54 (60 in tables)
	 * is PXN, UXN is 0, AP[1] and APTable[0] are treated as 0 */
	if (!el2 && unlikely((s->sysreg[SR_HCR_EL2] & (HCR_NV | HCR_NV1)) ==
			     (HCR_NV | HCR_NV1))) {
		pxn = uxn;
		uxn = false;
		el0 = false;
	}

	if (unlikely(idx >= MMU_EL2) && !cpu_e2h(s)) {
		/* one privilege level: AP[1] and APTable[0] ignored, XN at UXN's bit */
		p = PERM_R | (!ro ? PERM_W : 0) | (!uxn ? PERM_X : 0);
	} else if (idx == MMU_EL0) {
		p = (el0 ? PERM_R : 0) | (el0 && !ro ? PERM_W : 0) |
		    (!uxn ? PERM_X : 0);
	} else {
		/* EL1 never executes what EL0 may write */
		p = PERM_R | (!ro ? PERM_W : 0) |
		    (!pxn && !(el0 && !ro) ? PERM_X : 0);
		/* EL2 in EL2&0 (E2H) has EL1's two privilege levels */
		if ((idx == MMU_EL1_PAN || idx == MMU_EL2_PAN) && el0)
			p &= ~(PERM_R | PERM_W);
	}
	if (wxn && (p & PERM_W))
		p &= ~PERM_X;
	r->perms = p;
	r->attr = (uint8_t)(s->sysreg[el2 ? SR_MAIR_EL2 : SR_MAIR_EL1] >> (8 * attridx));
	r->device = (r->attr & 0xf0) == 0;
	r->sh = (desc >> 8) & 3;
	r->guarded = (desc & DESC_GP) && bti_on(s);
	r->global = !(desc & (1ULL << 11));	/* nG */
}

/*
 * Stage 2 of the EL1&0 regime (HCR_EL2.VM): VTCR_EL2 (T0SZ, SL0, TG0, PS)
 * and VTTBR_EL2's table, in the VM's memory (our IPA space is the guest
 * hypervisor's PA space).  S2AP[0] reads, S2AP[1] writes, XN[1] no
 * execution, MemAttr[3:2] 0 Device.  The soft TLB is tagged by VMID and
 * stage 2 (tlb.h): VTTBR/VTCR/HCR writes switch soft TLBs.  0, or -1 with o->fsc (stage 2's, level
 * included) and o->level.
 */
struct s2_out {
	uint64_t pa;
	unsigned int perms, level, shift;
	bool device;
	uint8_t memattr;
	int fsc;
};

static int s2_fault(struct s2_out *o, int fsc, unsigned int level)
{
	o->fsc = fsc | (int)level;
	o->level = level;
	return -1;
}

static int s2_walk(struct cpu *c, uint64_t ipa, struct s2_out *o)
{
	const struct cpu_state *s = &c->state;
	uint64_t vtcr = s->sysreg[SR_VTCR_EL2], base, desc = 0;
	unsigned int tsz = (unsigned int)(vtcr & 0x3f), tg = (unsigned int)(vtcr >> 14) & 3;
	unsigned int sl0 = (unsigned int)(vtcr >> 6) & 3, g, stride, inputsize, level;
	unsigned int start, pa_bits = pa_bits_of((unsigned int)(vtcr >> 16) & 7), shift;

	if (tsz < 16)
		tsz = 16;
	if (tsz > 39)
		tsz = 39;
	inputsize = 64 - tsz;
	g = tg == 1 ? 16 : tg == 2 ? 14 : 12;
	stride = g - 3;
	start = g == 12 ? 2 - (sl0 > 2 ? 2 : sl0) : 3 - (sl0 > 2 ? 2 : sl0);
	if (ipa >> inputsize)
		return s2_fault(o, FSC_TRANS, 0);
	/* more index bits than the start level has: an invalid SL0/T0SZ pair */
	if (inputsize - g - stride * (3 - start) > stride + 4)
		return s2_fault(o, FSC_TRANS, start);
	base = s->sysreg[SR_VTTBR_EL2] & PA_MASK_48 & ~1ULL;
	for (level = start;; level++) {
		unsigned int bits = level == start ?
			inputsize - g - stride * (3 - level) : stride;
		uint64_t index, desc_pa;

		shift = g + stride * (3 - level);
		index = (ipa >> shift) & ((1ULL << bits) - 1);
		base &= ~((8ULL << bits) - 1) | ~0ULL << 48;
		desc_pa = base + index * 8;
		if (read_desc(c, desc_pa, &desc))
			return s2_fault(o, FSC_SEA_WALK, level);
		if (!(desc & 1))
			return s2_fault(o, FSC_TRANS, level);
		if (level == 3 || !(desc & 2))
			break;
		base = desc & PA_MASK_48 & ~((1ULL << g) - 1);
		if ((desc & PA_MASK_48) >> pa_bits)
			return s2_fault(o, FSC_ADDR_SIZE, level);
	}
	if (level == 3 ? !(desc & 2) : !block_allowed(g, level))
		return s2_fault(o, FSC_TRANS, level);
	if ((desc & PA_MASK_48) >> pa_bits)
		return s2_fault(o, FSC_ADDR_SIZE, level);
	if (!(desc & DESC_AF))
		return s2_fault(o, FSC_ACCESS, level);
	o->pa = (desc & PA_MASK_48 & ~((1ULL << shift) - 1)) | (ipa & ((1ULL << shift) - 1));
	o->perms = ((desc & (1ULL << 6)) ? PERM_R : 0) | ((desc & (1ULL << 7)) ? PERM_W : 0) |
		   ((desc & DESC_UXN) ? 0 : PERM_X);
	o->device = !((desc >> 4) & 3);		/* MemAttr[3:2] 00: Device */
	o->memattr = (uint8_t)((desc >> 2) & 0xf);
	o->level = level;
	o->shift = shift;
	return 0;
}

/* Stage 2 of ipa into r (a fault there: r->s2, with s1ptw for a walk). */
static int s2_apply(struct cpu *c, uint64_t ipa, bool s1ptw, struct s1_result *r,
		    uint64_t *pa)
{
	struct s2_out o;

	if (s2_walk(c, ipa, &o) ||
	    (s1ptw && !(o.perms & PERM_R) && (o.fsc = FSC_PERM | (int)o.level, true))) {
		r->s2 = true;
		r->s1ptw = s1ptw;
		r->s2_ipa = ipa;
		r->fsc = o.fsc;
		r->level = o.level;
		return -1;
	}
	*pa = o.pa;
	if (!s1ptw) {
		r->s2_perms = o.perms;
		r->s2_level = o.level;
		r->s2_ipa = ipa;
		r->device |= o.device;
		r->s2_memattr = o.memattr;
		/* block_shift stays stage 1's: a TLBI by VA names stage 1's
		 * entry, all of a block's pieces, whatever stage 2's size */
	}
	return 0;
}

static int translate(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		     unsigned int need, struct s1_result *r, bool final_s2);

int mmu_translate(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		  unsigned int need, struct s1_result *r)
{
	return translate(c, va, idx, fetch, need, r, true);
}

int mmu_translate_s1(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		     struct s1_result *r)
{
	return translate(c, va, idx, fetch, 0, r, false);
}

static int translate(struct cpu *c, uint64_t va, enum mmu_idx idx, bool fetch,
		     unsigned int need, struct s1_result *r, bool final_s2)
{
	const struct cpu_state *s = &c->state;
	bool el2 = idx_el2_regime(s, idx);
	uint64_t hcr = s->sysreg[SR_HCR_EL2];
	bool s2 = !el2 && (hcr & HCR_VM) && !(hcr & HCR_TGE);
	uint64_t tcr = regime_tcr(s, el2);
	bool upper = (va >> 55) & 1;
	unsigned int tsz, g, stride, inputsize, level, start, pa_bits, shift;
	uint64_t table = 0;	/* the table descriptors' APTable, PXN/UXNTable */
	uint64_t base, desc = 0, top, oa;

	memset(r, 0, sizeof(*r));
	r->s2_perms = PERM_R | PERM_W | PERM_X;
	r->s2_memattr = 0xf;
	/* stage 1 off: SCTLR.M clear, or EL1&0 under HCR_EL2.TGE */
	if (!(s->sysreg[el2 ? SR_SCTLR_EL2 : SR_SCTLR_EL1] & SCTLR_M) ||
	    (!el2 && (s->sysreg[SR_HCR_EL2] & HCR_TGE))) {
		uint64_t pa = !fetch && tbi_in(tcr, va) ? (uint64_t)sext(va, 56) : va;

		if (pa >> 48)
			return walk_fault(r, FSC_ADDR_SIZE, 0);
		flat_result(s, pa, fetch, r);
		if (unlikely(s2) && final_s2)
			return s2_apply(c, pa, false, r, &r->pa);
		return 0;
	}

	if (upper ? (tcr & TCR_EPD1) : (tcr & TCR_EPD0))
		return walk_fault(r, FSC_TRANS, 0);
	tsz = upper ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr);
	if (tsz < 16)
		tsz = 16;	/* 48-bit VA only: smaller TxSZ behaves as 16 */
	if (tsz > 39)
		tsz = 39;
	inputsize = 64 - tsz;
	/* VA bits above the input size must all equal bit 55 (or 63 without TBI) */
	top = (!fetch && tbi_in(tcr, va)) ? (uint64_t)sext(va, 56) : va;
	if ((uint64_t)((int64_t)top >> inputsize) != (upper ? ~0ULL : 0))
		return walk_fault(r, FSC_TRANS, 0);

	g = granule_shift(upper, upper ? TCR_TG1(tcr) : TCR_TG0(tcr));
	stride = g - 3;
	start = 3 - (inputsize - g - 1) / stride;
	pa_bits = pa_bits_of(TCR_IPS(tcr));

	/* the EL2 regime has one range (TTBR0_EL2: EPD1 above), EL2&0 two */
	base = s->sysreg[el2 ? (upper ? SR_TTBR1_EL2 : SR_TTBR0_EL2) :
			 upper ? SR_TTBR1_EL1 : SR_TTBR0_EL1] & PA_MASK_48 & ~1ULL;
	if (base >> pa_bits)
		return walk_fault(r, FSC_ADDR_SIZE, start);

	for (level = start;; level++) {
		unsigned int bits = level == start ?
			inputsize - g - stride * (3 - level) : stride;
		uint64_t index, desc_ipa, desc_pa;

		shift = g + stride * (3 - level);
		index = (va >> shift) & ((1ULL << bits) - 1);
		/* The table is aligned to its size (at least 8 entries' worth) */
		base &= ~((8ULL << bits) - 1) | ~0ULL << 48;
		desc_ipa = base + index * 8;
		desc_pa = desc_ipa;
		/* under stage 2 the descriptor's IPA is translated first */
		if (unlikely(s2) && s2_apply(c, desc_ipa, true, r, &desc_pa))
			return -1;
		switch (read_desc(c, desc_pa, &desc)) {
		case 0:
			break;
		case -2:
			r->walk_poison = true;
			/* fall through */
		default:
			r->walk_ipa = desc_pa;
			return walk_fault(r, FSC_SEA_WALK, level);
		}
		if (!(desc & 1))
			return walk_fault(r, FSC_TRANS, level);
		if (level == 3 || !(desc & 2))
			break;
		/* table descriptor */
		base = desc & PA_MASK_48 & ~((1ULL << g) - 1);
		if ((desc & PA_MASK_48) >> pa_bits)
			return walk_fault(r, FSC_ADDR_SIZE, level);
		table |= desc & (DESC_APT_RO | DESC_APT_NOEL0 |
				 DESC_PXNTABLE | DESC_UXNTABLE);
	}

	if (level == 3 ? !(desc & 2) : !block_allowed(g, level))
		return walk_fault(r, FSC_TRANS, level);
	oa = desc & PA_MASK_48 & ~((1ULL << shift) - 1);
	if ((desc & PA_MASK_48) >> pa_bits)
		return walk_fault(r, FSC_ADDR_SIZE, level);
	if (!(desc & DESC_AF))
		return walk_fault(r, FSC_ACCESS, level);

	leaf_result(s, desc, idx, table, r);
	r->pa = oa | (va & ((1ULL << shift) - 1));
	r->block_shift = shift;
	r->level = level;
	/* stage 1's permission fault first: stage 2 only once stage 1 passed (AArch64.FullTranslate) */
	if ((r->perms & need) != need)
		return walk_fault(r, FSC_PERM, level);
	if (unlikely(s2) && final_s2)
		return s2_apply(c, r->pa, false, r, &r->pa);
	return 0;
}
