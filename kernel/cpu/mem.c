// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory access: the soft TLB and its slow paths.
 *
 * The TLB is direct-mapped, one array per mmu_idx (EL0, EL1, EL1 with PAN,
 * EL2, EL2 with PAN), 4 KiB entries whatever the granule (a larger page or
 * block is entered piecewise).  There is one such set of arrays for each
 * of the last TLB_SETS translation contexts (tlb.h: HCR_EL2's translation
 * bits, VMID and stage 2, the ASIDs): a write of HCR_EL2, VTTBR_EL2,
 * VTCR_EL2 or a TTBR that changes the context switches sets
 * (cpu_tlb_context()), keeping the entries of each, and a global entry
 * (nG 0) of another set with the same context but for its ASIDs serves
 * the current one (tlb_global_copy()).  Writes to TCR/SCTLR/MAIR that
 * change what the entries were made with flush every set
 * (cpu_tlb_shaped_by(), cpu_flush_tlb()).  TLBI drops its regime's,
 * VMID's, ASID's entries by VA or all (tlb_invalidate()); by VA it also empties the
 * arrays that hold pieces of larger translations (blocks) when the VA lies
 * within the span of VAs those blocks cover (tlb_set.large_lo/hi): a TLBI
 * of a user page keeps the pieces of the kernel's block mappings.  Only
 * pages that lie wholly inside one memory region are entered; everything else takes the slow path on every
 * access, which bounds-checks against the region.
 *
 * An access outside every region (or a write to a read-only one) stops the
 * engine with CPU_EXIT_ABORT shaped as KVM's stage-2 data abort.  ESR rule:
 * EC DABT_LOW/IABT_LOW (the guest is always "lower" than KVM's EL2), IL=1,
 * ISV with SAS/SSE/SRT/SF/AR only for single-register loads/stores without
 * writeback, WnR, CM for cache maintenance, and DFSC as the stage-2 walk of
 * a VM with no mapping there would report: translation fault, level 3
 * (0x07); a write to a read-only region is a permission fault, level 3
 * (0x0f).
 *
 * Stores enter a page in the TLB only after cpu_host_writable() found the
 * host page writable (KVM's get_user_pages(FOLL_WRITE) at a stage-2 fault);
 * a store the process may not make stops the engine with CPU_EXIT_EFAULT
 * (KVM_RUN: EFAULT), PC at the store.  Every KVM_RUN forgets those
 * findings (cpu_forget_host_writes): a protection change userspace made
 * between runs is seen by the next store.
 *
 * Dirty logging (KVM_MEM_LOG_DIRTY_PAGES) rides on the same rule: the
 * slow path of a store sets the page's bit in its region's bitmap before
 * entering the page writable, so each page costs one slow store per log
 * round; the backend write-protects again by bumping memmap_gen (a TLB
 * flush on every vCPU) and waiting for the vCPUs in the engine to see it.
 */
#include "internal.h"
#include "id_regs.h"

#define S2_FSC_TRANS	(FSC_TRANS | 3)
#define S2_FSC_PERM	(FSC_PERM | 3)

#define MASK_ALL	((1u << MMU_NR) - 1)
#define MASK_EL10	((1u << MMU_EL0) | (1u << MMU_EL1) | (1u << MMU_EL1_PAN))
#define MASK_EL2	((1u << MMU_EL2) | (1u << MMU_EL2_PAN))

/* The bits of a VA a TLBI by VA compares (the top byte is not). */
#define VA_BITS56	0x00ffffffffffffffULL

/* Array idx of ts holds pieces of a translation spanning VAs lo..hi. */
static void large_note(struct tlb_set *ts, enum mmu_idx idx, uint64_t lo, uint64_t hi)
{
	if (!(ts->large & (1u << idx))) {
		ts->large |= 1u << idx;
		ts->large_lo[idx] = lo;
		ts->large_hi[idx] = hi;
		return;
	}
	if (lo < ts->large_lo[idx])
		ts->large_lo[idx] = lo;
	if (hi > ts->large_hi[idx])
		ts->large_hi[idx] = hi;
}

/* The arrays of mask in ts that may hold a piece of a larger translation
 * of va (whose TLBI by VA must drop all its pieces). */
static unsigned int large_covering(const struct tlb_set *ts, unsigned int mask, uint64_t va)
{
	unsigned int m = ts->large & mask, out = 0, i;
	uint64_t v = va & VA_BITS56;

	for (i = 0; i < MMU_NR; i++)
		if ((m & (1u << i)) && v >= ts->large_lo[i] && v <= ts->large_hi[i])
			out |= 1u << i;
	return out;
}

/* Empty the arrays of set ts that mask (bits of mmu_idx) selects. */
static void set_empty(struct tlb_set *ts, unsigned int mask)
{
	unsigned int i, n = 0;

	if (ts->nfilled > TLB_FILL_LOG) {
		for (i = 0; i < MMU_NR; i++)
			if (mask & ts->arrays & (1u << i))
				memset(ts->tlb[i], 0xff, sizeof(ts->tlb[i]));
		ts->big_empty++;
	} else {
		for (i = 0; i < ts->nfilled; i++) {
			unsigned int k = ts->filled[i];

			if (mask & (1u << (k >> TLB_BITS)))
				memset(&ts->tlb[k >> TLB_BITS][k & (TLB_SIZE - 1)], 0xff,
				       sizeof(struct tlb_entry));
			else
				ts->filled[n++] = (uint16_t)k;
		}
	}
	ts->large &= ~mask;
	ts->arrays &= ~mask;
	if ((mask & MASK_ALL) == MASK_ALL)
		ts->nfilled = 0;
	else if (ts->nfilled <= TLB_FILL_LOG)
		ts->nfilled = n;
}

/* The ASID of a TTBR pair: TCR.A1 picks TTBR1's, TCR.AS says 16 bits. */
static uint32_t asid_of(const struct cpu_state *s, int tcr, int ttbr0, int ttbr1)
{
	uint64_t t = s->sysreg[tcr];
	uint64_t v = s->sysreg[(t >> 22) & 1 ? ttbr1 : ttbr0] >> 48;

	return (uint32_t)((t >> 36) & 1 ? v & 0xffff : v & 0xff);
}

/* VTTBR_EL2's VMID, 8 bits unless VTCR_EL2.VS */
uint32_t tlb_vmid(const struct cpu_state *s)
{
	uint64_t vmid = s->sysreg[SR_VTTBR_EL2] >> 48;

	return (uint32_t)((s->sysreg[SR_VTCR_EL2] >> 19) & 1 ? vmid & 0xffff : vmid & 0xff);
}

/* The current translation context (tlb.h). */
static void tlb_key(const struct cpu_state *s, struct tlb_key *k)
{
	uint64_t hcr = s->sysreg[SR_HCR_EL2];
	bool e2h_tge = (hcr & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE);

	memset(k, 0, sizeof(*k));
	k->valid = 1;
	k->hcr = hcr & HCR_TLB_BITS;
	if (!e2h_tge) {
		k->vmid = tlb_vmid(s);
		if (hcr & HCR_VM) {
			k->vttbr = s->sysreg[SR_VTTBR_EL2];
			k->vtcr = s->sysreg[SR_VTCR_EL2];
		}
		k->asid1 = asid_of(s, SR_TCR_EL1, SR_TTBR0_EL1, SR_TTBR1_EL1);
	}
	if (hcr & HCR_E2H)
		k->asid2 = asid_of(s, SR_TCR_EL2, SR_TTBR0_EL2, SR_TTBR1_EL2);
}

/* Make the set of the current context current: one that holds it, or the
 * least recently current one emptied. */
void cpu_tlb_context(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	struct tlb_set *ts, *old = NULL;
	struct tlb_key k;
	unsigned int i;

	if (!e)
		return;
	tlb_key(&c->state, &k);
	e->tlb->used = ++e->tlb_clock;
	if (memcmp(&k, &e->tlb->key, sizeof(k))) {
		e->s1_last_va = TLB_INVALID;
		e->st.set_switch++;
		for (i = 0; i < TLB_SETS; i++) {
			ts = &e->tlbs[i];
			if (!memcmp(&k, &ts->key, sizeof(k)))
				break;
			if (!old || ts->used < old->used)
				old = ts;
		}
		if (i == TLB_SETS) {
			ts = old;
			if (ts->key.valid)
				e->st.set_evict++;
			set_empty(ts, MASK_ALL);
			ts->key = k;
		}
		e->tlb = ts;
		e->tlb->used = e->tlb_clock;
	}
	c->cur_tlb = e->tlb->tlb[mmu_idx_of(&c->state, 0)];
}

void tlb_flush_all(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	unsigned int i;

	e->st.flush_all++;
	for (i = 0; i < TLB_SETS; i++) {
		set_empty(&e->tlbs[i], MASK_ALL);
		e->tlbs[i].key.valid = 0;
	}
	e->s1_last_va = TLB_INVALID;
	cpu_tlb_context(c);
}

/* Note entry t of mmu_idx idx as filled in the current set. */
static void tlb_note_fill(struct cpu_engine *e, enum mmu_idx idx, const struct tlb_entry *t)
{
	struct tlb_set *ts = e->tlb;

	ts->arrays |= 1u << idx;
	if (ts->nfilled < TLB_FILL_LOG)
		ts->filled[ts->nfilled] =
			(uint16_t)(((unsigned int)idx << TLB_BITS) | (unsigned int)(t - ts->tlb[idx]));
	if (ts->nfilled <= TLB_FILL_LOG)
		ts->nfilled++;
}

/* Drop entry t if it holds the page of va (any top byte) and, with
 * global_only, it is global. */
static void entry_drop_va(struct tlb_entry *t, uint64_t va, bool global_only)
{
	uint64_t page = va & 0x00fffffffffff000ULL;
	uint64_t tag = t->tag_r != TLB_INVALID ? t->tag_r :
		       t->tag_w != TLB_INVALID ? t->tag_w : t->tag_x;

	if (tag == TLB_INVALID)
		return;
	if ((tag & 0x00fffffffffff000ULL) != page)
		return;
	if (global_only && !(t->attrs & TLBA_GLOBAL))
		return;
	memset(t, 0xff, sizeof(*t));
}

/* Drop the non-global entries of the arrays mask selects in ts. */
static void set_drop_nonglobal(struct tlb_set *ts, unsigned int mask)
{
	unsigned int i, j;

	if (ts->nfilled > TLB_FILL_LOG) {
		for (i = 0; i < MMU_NR; i++)
			if (mask & (1u << i))
				for (j = 0; j < TLB_SIZE; j++)
					if (!(ts->tlb[i][j].attrs & TLBA_GLOBAL))
						memset(&ts->tlb[i][j], 0xff, sizeof(struct tlb_entry));
		return;
	}
	for (i = 0; i < ts->nfilled; i++) {
		unsigned int k = ts->filled[i];
		struct tlb_entry *t = &ts->tlb[k >> TLB_BITS][k & (TLB_SIZE - 1)];

		if ((mask & (1u << (k >> TLB_BITS))) && !(t->attrs & TLBA_GLOBAL))
			memset(t, 0xff, sizeof(*t));
	}
}

/*
 * TLB maintenance (exec_maint.c): drop, in every set, the entries of
 * regime op->regime (and of VMID op->vmid for EL1&0 when by_vmid), of
 * ASID op->asid when by_asid (global ones stay, unless by VA: a TLBI by VA
 * and ASID drops the global entry of that VA too), of op->va's page when
 * by_va.  An ASID-less regime (EL2 without E2H) matches by_asid as all.
 */
void tlb_invalidate(struct cpu *c, const struct tlbi_op *op)
{
	struct cpu_engine *e = c->engine;
	unsigned int i;

	e->s1_last_va = TLB_INVALID;
	for (i = 0; i < TLB_SETS; i++) {
		struct tlb_set *ts = &e->tlbs[i];
		bool e2h = ts->key.hcr & HCR_E2H;
		bool e2h_tge = e2h && (ts->key.hcr & HCR_TGE);
		unsigned int mask;
		uint32_t asid;

		if (!ts->key.valid)
			continue;
		switch (op->regime) {
		case TLBI_EL10:
			if (e2h_tge)
				continue;	/* its EL0 is EL2&0's, EL1 unused */
			if (op->by_vmid && ts->key.vmid != op->vmid)
				continue;
			mask = MASK_EL10;
			asid = ts->key.asid1;
			break;
		case TLBI_EL20:
			if (!e2h)
				continue;
			mask = MASK_EL2 | (e2h_tge ? 1u << MMU_EL0 : 0);
			asid = ts->key.asid2;
			break;
		default:		/* EL2, no E2H */
			if (e2h)
				continue;
			mask = MASK_EL2;
			asid = op->asid;
			break;
		}
		if (op->by_va) {
			unsigned int j;

			e->st.tlbi_va++;
			unsigned int big = large_covering(ts, mask, op->va);

			if (big)			/* a block's pieces */
				set_empty(ts, big);
			for (j = 0; j < MMU_NR; j++)
				if (mask & (1u << j))
					entry_drop_va(&ts->tlb[j][(op->va >> PAGE_SHIFT) &
								  (TLB_SIZE - 1)],
						      op->va, op->by_asid && asid != op->asid);
		} else if (op->by_asid) {
			e->st.tlbi_asid++;
			if (asid == op->asid)
				set_drop_nonglobal(ts, mask);
		} else {
			e->st.tlbi_all++;
			set_empty(ts, mask);
		}
	}
}

void tlb_flush_va(struct cpu *c, uint64_t va)
{
	struct cpu_engine *e = c->engine;
	unsigned int i, j;

	e->s1_last_va = TLB_INVALID;
	for (i = 0; i < TLB_SETS; i++) {
		struct tlb_set *ts = &e->tlbs[i];

		unsigned int big = large_covering(ts, MASK_ALL, va);

		if (big)
			set_empty(ts, big);
		for (j = 0; j < MMU_NR; j++)
			entry_drop_va(&ts->tlb[j][(va >> PAGE_SHIFT) & (TLB_SIZE - 1)], va, false);
	}
}

/*
 * The SCTLR_ELx bits a TLB fill or the inline paths depend on: M, WXN,
 * TCF/TCF0 (Tagged pages stay out while checked) and, though no fill reads
 * them today, A, nAA, the endianness, ATA/ATA0 and EPAN.  SCTLR_EL1's
 * pointer-authentication enables, which Linux switches per task, are not.
 */
#define SCTLR_TLB_BITS	(SCTLR_M | SCTLR_A | SCTLR_NAA | SCTLR_WXN | SCTLR_E0E | \
			 SCTLR_EE | (15ULL << SCTLR_TCF0_SHIFT) | SCTLR_ATA0 | SCTLR_ATA | \
			 (1ULL << 57))

bool cpu_tlb_shaped_by(int slot, uint64_t old, uint64_t val)
{
	if (slot == SR_SCTLR_EL1 || slot == SR_SCTLR_EL2)
		return (old ^ val) & SCTLR_TLB_BITS;
	return old != val;		/* TCR, MAIR: any change */
}

/* Forget every page e->wverified holds: the next generation. */
static void wverified_forget(struct cpu_engine *e)
{
	e->wepoch++;
	if (++e->wgen >= PAGE_SIZE || e->wgen == 1) {
		memset(e->wverified, 0, sizeof(e->wverified));
		e->wgen = 1;
	}
}

void cpu_forget_host_writes(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	unsigned int i;

	if (!e)
		return;
	wverified_forget(e);
	for (i = 0; i < TLB_SETS; i++) {
		struct tlb_set *ts = &e->tlbs[i];
		unsigned int j;

		if (ts->nfilled > TLB_FILL_LOG) {
			set_empty(ts, MASK_ALL);
			continue;
		}
		for (j = 0; j < ts->nfilled; j++) {
			unsigned int k = ts->filled[j];

			ts->tlb[k >> TLB_BITS][k & (TLB_SIZE - 1)].tag_w = TLB_INVALID;
		}
	}
}

void engine_sync_vm(struct cpu *c)
{
	struct cpu_engine *e = c->engine;
	uint64_t gen = atomic_load_explicit(&c->vm->memmap_gen, memory_order_acquire);

	if (gen != e->memmap_gen || !e->map) {
		e->memmap_gen = gen;
		e->map = atomic_load_explicit(&c->vm->memmap, memory_order_acquire);
		tlb_flush_all(c);
		wverified_forget(e);
	}
	/* at least as new as gen (published before gen was bumped) */
	atomic_store_explicit(&c->memmap_busy, e->memmap_gen + 1, memory_order_release);
}

void raise_data_abort(struct cpu *c, uint64_t va, uint32_t acc, int fsc)
{
	bool lower = cpu_current_el(&c->state) == 0;
	uint32_t iss = (acc & (ESR_CM | ESR_WNR)) | (uint32_t)fsc;

	/* ISV is only valid for stage-2 aborts; cache maintenance reports WnR=1 */
	if (acc & ESR_CM)
		iss |= ESR_WNR;
	if (acc & ACC_FETCH)
		cpu_take_exception(&c->state, CPU_VEC_SYNC,
				   esr_make(lower ? EC_IABT_LOW : EC_IABT_CUR,
					    (uint32_t)fsc), va, true);
	else
		cpu_take_exception(&c->state, CPU_VEC_SYNC,
				   esr_make(lower ? EC_DABT_LOW : EC_DABT_CUR, iss),
				   va, true);
}

void exit_stage2_abort(struct cpu *c, uint64_t va, uint64_t ipa, uint32_t acc,
		       int fsc, uint64_t data)
{
	uint32_t iss;

	if (acc & ACC_FETCH) {
		iss = 0;
	} else {
		iss = acc & ACC_ISS_MASK;
		if (!(iss & ESR_ISV))
			iss &= ESR_CM | ESR_WNR;
		if (iss & ESR_CM)
			iss |= ESR_WNR;
	}
	if (fsc == FSC_SEA)
		iss &= ~(ACC_ISS_MASK & ~(ESR_CM | ESR_WNR));	/* no syndrome */
	iss |= (uint32_t)fsc;
	c->exit.reason = CPU_EXIT_ABORT;
	c->exit.esr = esr_make((acc & ACC_FETCH) ? EC_IABT_LOW : EC_DABT_LOW, iss);
	c->exit.far = va;
	c->exit.ipa = ipa;
	c->exit.data = (iss & ESR_ISV) && (acc & ACC_WRITE) ? data : 0;
}

static unsigned int perm_needed(uint32_t acc)
{
	if (acc & ACC_FETCH)
		return PERM_X;
	if (acc & ACC_RMW)
		return PERM_R | PERM_W;
	/* cache maintenance other than invalidation needs only read permission */
	if ((acc & ESR_CM) && !(acc & ACC_RMW))
		return PERM_R;
	return (acc & ACC_WRITE) ? PERM_W : PERM_R;
}

/*
 * A fault of the guest hypervisor's stage 2 (HCR_EL2.VM): to EL2 with
 * EC 0x20/0x24, S1PTW for a stage-1 walk, the access's syndrome (ISV...)
 * for a data access, FAR_EL2 the VA and HPFAR_EL2.FIPA the faulting IPA.
 */
static void s2_guest_fault(struct cpu *c, uint64_t va, uint32_t acc,
			   const struct s1_result *r)
{
	struct cpu_state *s = &c->state;
	uint32_t iss = 0;

	if (r->s1ptw) {
		iss = ESR_S1PTW | (acc & ESR_CM);
	} else if (!(acc & ACC_FETCH)) {
		iss = acc & ACC_ISS_MASK;
		if (!(iss & ESR_ISV))
			iss &= ESR_CM | ESR_WNR;
		if (iss & ESR_CM)
			iss |= ESR_WNR;
	}
	iss |= (uint32_t)r->fsc;
	s->sysreg[SR_HPFAR_EL2] = ((r->s2_ipa & 0x0000ffffffffffffULL) >> 12) << 4;
	cpu_take_exception_to(s, 2, CPU_VEC_SYNC,
			      esr_make((acc & ACC_FETCH) ? EC_IABT_LOW : EC_DABT_LOW, iss),
			      va, true);
}

/*
 * AT S1E1*, S1E0* executed at EL1 while stage 2 translates (HCR_EL2.VM):
 * a stage-2 fault on a descriptor read of stage 1's walk is not reported
 * in PAR_EL1 but taken to EL2 as a Data Abort, so that the hypervisor can
 * map the table and the AT run again (Arm ARM D8, synchronous faults of
 * address translation instructions; QEMU's do_ats_write() does the same).
 * ISS: S1PTW, CM (an address translation instruction) and WnR, which the
 * Arm ARM has read 1 for those; FAR_EL2 the VA given, HPFAR_EL2 the
 * descriptor's IPA, ELR_EL2 the AT itself.
 */
void mem_at_walk_abort(struct cpu *c, uint64_t va, const struct s1_result *r)
{
	struct cpu_state *s = &c->state;
	uint32_t iss = ESR_S1PTW | ESR_CM | ESR_WNR | (uint32_t)r->fsc;

	s->sysreg[SR_HPFAR_EL2] = ((r->s2_ipa & 0x0000ffffffffffffULL) >> 12) << 4;
	cpu_take_exception_to(s, 2, CPU_VEC_SYNC, esr_make(EC_DABT_LOW, iss), va, true);
}

/* A stage-1 fault: to EL1, or (walk outside memory) an S1PTW exit. */
static void s1_fault(struct cpu *c, uint64_t va, uint32_t acc,
		     const struct s1_result *r)
{
	if (unlikely(r->s2)) {
		s2_guest_fault(c, va, acc, r);
		return;
	}
	if ((r->fsc & ~3) == FSC_SEA_WALK) {
		/* outside memory: a stage-2 translation fault on the walk; a
		 * poisoned table: an external abort on the walk (0x14 + level) */
		exit_stage2_abort(c, va, r->walk_ipa, acc & ~(ACC_ISS_MASK & ~ESR_CM),
				  r->walk_poison ? r->fsc : S2_FSC_TRANS, 0);
		c->exit.esr |= ESR_S1PTW;
		c->exit.walk_level = (unsigned int)r->fsc & 3;
		return;
	}
	raise_data_abort(c, va, acc, r->fsc);
}

static bool alignment_checked(const struct cpu_state *s, uint32_t acc)
{
	return (acc & ACC_ALIGN) || (cur_sctlr(s) & SCTLR_A);
}

/*
 * Enter the page of va, translated as r into region reg, in the TLB of idx.
 * Stores hit it only once one found the host page writable (@writing).
 */
static void tlb_enter(struct cpu *c, enum mmu_idx idx, uint64_t va,
		      const struct s1_result *r, const struct cpu_mem_region *reg,
		      uint32_t acc, bool writing, bool tagged)
{
	struct cpu_engine *e = c->engine;
	struct tlb_entry *t = tlb_entry_of(c, idx, va);
	uint64_t vpage = va & PAGE_MASK, page_pa = r->pa & PAGE_MASK;
	bool ro = reg->flags & CPU_MEM_READONLY;
	unsigned int perms = r->perms & r->s2_perms;	/* stage 2's too */

	/*
	 * A watched page, or a Tagged one whose accesses may be tag checked:
	 * every data access takes the slow path
	 */
	bool watched = (unlikely(e->dbg_watch) && dbg_watch_page(c, vpage)) ||
		       (tagged && mte_checking(&c->state, idx));

	tlb_note_fill(e, idx, t);
	e->st.fills[idx]++;
	if (acc & ACC_FETCH)
		e->st.fill_fetch++;
	if ((t->tag_r != TLB_INVALID && t->tag_r != vpage) ||
	    (t->tag_x != TLB_INVALID && t->tag_x != vpage) ||
	    (t->tag_w != TLB_INVALID && t->tag_w != vpage))
		e->st.fill_conflict++;
	t->tag_r = (perms & PERM_R) && !watched ? vpage : TLB_INVALID;
	t->tag_w = (perms & PERM_W) && !ro && writing && !watched ? vpage : TLB_INVALID;
	t->tag_x = (perms & PERM_X) ? vpage : TLB_INVALID;
	t->addend = (uintptr_t)(reg->hva + (page_pa - reg->gpa)) - (uintptr_t)vpage;
	t->pa = page_pa;
	/*
	 * attrs describe data accesses: a fetch with the MMU off translates
	 * as Normal, but data there is Device-nGnRnE.  Device pages keep
	 * unaligned accesses off the fast path anyway.
	 */
	t->attrs = r->device || ((acc & ACC_FETCH) &&
				 !(cur_sctlr(&c->state) & SCTLR_M)) ?
		   TLBA_DEVICE : 0;
	if (r->guarded)
		t->attrs |= TLBA_GUARDED;
	if (r->global)
		t->attrs |= TLBA_GLOBAL;
	if (tagged)
		t->attrs |= TLBA_TAGGED;
	if (perms & PERM_W)
		t->attrs |= TLBA_S12W;
	if (r->block_shift > PAGE_SHIFT) {
		uint64_t lo = 0, hi = ~0ULL;	/* 48 bits or more: all VAs */

		if (r->block_shift < 48) {
			lo = va & VA_BITS56 & ~((1ULL << r->block_shift) - 1);
			hi = lo + (1ULL << r->block_shift) - 1;
		}
		large_note(e->tlb, idx, lo, hi);
	}
}

enum access_kind { ACCESS_RAM, ACCESS_OUTSIDE, ACCESS_FAULT };

/*
 * A global entry (nG 0) for va's page in another set whose context differs
 * from the current one in its ASIDs only: it serves every ASID, so it is
 * copied into the current set, as if the current set had held it (an
 * access that would have hit it).  True: *host and *ipa are va's.
 */
static bool tlb_global_copy(struct cpu *c, enum mmu_idx idx, uint64_t va, uint32_t acc,
			    uint8_t **host, uint64_t *ipa)
{
	struct cpu_engine *e = c->engine;
	struct tlb_key cur = e->tlb->key;
	uint64_t vpage = va & PAGE_MASK;
	unsigned int i;

	if (acc & ESR_CM)
		return false;
	cur.asid1 = cur.asid2 = 0;
	for (i = 0; i < TLB_SETS; i++) {
		struct tlb_set *ts = &e->tlbs[i];
		struct tlb_entry *t = &ts->tlb[idx][(va >> PAGE_SHIFT) & (TLB_SIZE - 1)], *d;
		struct tlb_key k = ts->key;
		bool hit;

		if (ts == e->tlb || !(t->attrs & TLBA_GLOBAL) || (t->attrs & TLBA_DEVICE))
			continue;
		if (acc & ACC_FETCH)
			hit = t->tag_x == vpage;
		else if (acc & ACC_RMW)
			hit = t->tag_r == vpage && t->tag_w == vpage;
		else if (acc & ACC_WRITE)
			hit = t->tag_w == vpage;
		else
			hit = t->tag_r == vpage;
		k.asid1 = k.asid2 = 0;
		if (!hit || memcmp(&k, &cur, sizeof(k)))
			continue;
		d = tlb_entry_of(c, idx, va);
		*d = *t;
		tlb_note_fill(e, idx, d);
		e->st.global_copies++;
		if (ts->large & (1u << idx))
			large_note(e->tlb, idx, ts->large_lo[idx], ts->large_hi[idx]);
		*host = (uint8_t *)(uintptr_t)(va + t->addend);
		*ipa = t->pa | (va & ~PAGE_MASK);
		e->last_tagged = t->attrs & TLBA_TAGGED;
		return true;
	}
	return false;
}

/* cpu_host_writable(), remembered for the page while e->wverified holds it. */
static bool host_page_writable(struct cpu_engine *e, uint8_t *h)
{
	uintptr_t page = (uintptr_t)h & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t *slot = &e->wverified[(page >> PAGE_SHIFT) & (WVERIFIED_SIZE - 1)];

	if (*slot == (page | e->wgen))
		return true;
	if (!cpu_host_writable(h, &e->wmaps, e->wepoch))
		return false;
	*slot = page | e->wgen;
	return true;
}

/*
 * A store's (or atomic's) miss on an entry that holds va's page for reads,
 * whose translation both stages let write (TLBA_S12W): the walk's result
 * from the entry, as access_page() would have it; the region, the host's
 * protection and dirty logging are then checked as after a walk.  Its
 * pieces of a block are in the array's span already (the entry is valid:
 * the array was not emptied since).  A Linux boot reads ~65K pages it
 * then writes.
 */
static bool tlb_reuse_for_write(struct cpu *c, enum mmu_idx idx, uint64_t va, uint32_t acc,
				struct s1_result *r)
{
	const struct tlb_entry *t = tlb_entry_of(c, idx, va);
	uint64_t vpage = va & PAGE_MASK;

	if (!(acc & (ACC_WRITE | ACC_RMW)) || (acc & (ACC_FETCH | ESR_CM)) ||
	    t->tag_r != vpage || !(t->attrs & TLBA_S12W))
		return false;
	memset(r, 0, sizeof(*r));
	r->pa = t->pa | (va & ~PAGE_MASK);
	r->block_shift = PAGE_SHIFT;
	r->level = 3;
	r->perms = PERM_R | PERM_W | (t->tag_x == vpage ? PERM_X : 0);
	r->s2_perms = PERM_R | PERM_W | PERM_X;
	r->s2_memattr = 0xf;
	r->device = t->attrs & TLBA_DEVICE;
	r->guarded = t->attrs & TLBA_GUARDED;
	r->global = t->attrs & TLBA_GLOBAL;
	r->attr = (t->attrs & TLBA_TAGGED) ? MTE_MAIR_TAGGED : 0;
	return true;
}

/*
 * Translate the page holding va for acc, checking permissions and Device
 * alignment, entering the TLB on the way.  RAM: *host points at va.
 * OUTSIDE: *ipa is where it went (not RAM, or a write to read-only RAM;
 * *fsc says which).  FAULT: an exception was taken or an exit prepared.
 */
static enum access_kind access_page(struct cpu *c, uint64_t va, unsigned int size,
				    uint32_t acc, uint8_t **host, uint64_t *ipa,
				    int *fsc)
{
	struct cpu_engine *e = c->engine;
	enum mmu_idx idx = (acc & ACC_FETCH) ? mmu_idx_of(&c->state, 0) :
					      mmu_idx_of(&c->state, acc);
	const struct cpu_mem_region *reg;
	struct s1_result r;
	uint64_t page_pa, off;
	bool writing, tagged;

	if (tlb_global_copy(c, idx, va, acc, host, ipa))
		return ACCESS_RAM;
	if (tlb_reuse_for_write(c, idx, va, acc, &r)) {
		/* the page's translation from its entry */
	} else if (!(acc & ACC_FETCH) && (va & PAGE_MASK) == e->s1_last_va &&
	    idx == e->s1_last_idx && !(c->state.sysreg[SR_HCR_EL2] & HCR_VM)) {
		/* the page translated last time, not in the TLB (MMIO) */
		r.pa = e->s1_last_pa | (va & ~PAGE_MASK);
		r.perms = e->s1_last_perms;
		r.level = e->s1_last_level;
		r.block_shift = e->s1_last_shift;
		r.device = e->s1_last_device;
		r.guarded = e->s1_last_guarded;
		r.global = e->s1_last_global;
		r.attr = e->s1_last_attr;
		r.s2_perms = PERM_R | PERM_W | PERM_X;
		r.s2 = false;
	} else if (e->st.walks++, mmu_translate(c, va, idx, acc & ACC_FETCH,
						perm_needed(acc), &r)) {
		s1_fault(c, va, acc, &r);
		return ACCESS_FAULT;
	} else if (!(acc & ACC_FETCH)) {
		e->s1_last_va = va & PAGE_MASK;
		e->s1_last_idx = idx;
		e->s1_last_pa = r.pa & PAGE_MASK;
		e->s1_last_perms = r.perms;
		e->s1_last_level = r.level;
		e->s1_last_shift = r.block_shift;
		e->s1_last_device = r.device;
		e->s1_last_guarded = r.guarded;
		e->s1_last_global = r.global;
		e->s1_last_attr = r.attr;
	}
	if ((perm_needed(acc) & r.perms) != perm_needed(acc)) {
		raise_data_abort(c, va, acc, FSC_PERM | (int)r.level);
		return ACCESS_FAULT;
	}
	if (unlikely((perm_needed(acc) & r.s2_perms) != perm_needed(acc))) {
		r.s2 = true;		/* stage 2's permission fault, to EL2 */
		r.s1ptw = false;
		r.fsc = FSC_PERM | (int)r.s2_level;
		s2_guest_fault(c, va, acc, &r);
		return ACCESS_FAULT;
	}
	if (r.device && ((va & (size - 1)) || (acc & ACC_DEVFAULT)) &&
	    !(acc & ACC_FETCH)) {
		raise_data_abort(c, va, acc, FSC_ALIGN);
		return ACCESS_FAULT;
	}
	/* a watchpoint, on the bytes of this page (AArch64.CheckDebug) */
	if (unlikely(e->dbg_watch) && !(acc & ACC_FETCH) &&
	    dbg_watch_check(c, va, (va & ~PAGE_MASK) + size > PAGE_SIZE ?
			    (unsigned int)(PAGE_SIZE - (va & ~PAGE_MASK)) : size, acc))
		return ACCESS_FAULT;
	*ipa = r.pa;
	reg = cpu_memmap_find(e->map, r.pa);
	if (!reg) {
		*fsc = S2_FSC_TRANS;
		return ACCESS_OUTSIDE;
	}
	/* FEAT_MTE2: a Tagged page, and the Tag Check of a data access to it */
	tagged = reg->tags && !r.device && r.attr == MTE_MAIR_TAGGED;
	if (tagged && !(acc & (ACC_FETCH | ESR_CM | ACC_NOTAG)) &&
	    mte_check(c, va, r.pa, size, reg, acc, idx))
		return ACCESS_FAULT;
	if (unlikely(reg->flags & CPU_MEM_NOACCESS)) {
		/* KVM: kvm_gmem_get_pfn() of a closed guest_memfd, EFAULT */
		c->exit.reason = CPU_EXIT_EFAULT;
		c->exit.far = va;
		c->exit.ipa = r.pa;
		return ACCESS_FAULT;
	}
	if ((acc & (ACC_WRITE | ACC_RMW)) && !(acc & ESR_CM) &&
	    (reg->flags & CPU_MEM_READONLY)) {
		*fsc = S2_FSC_PERM;
		return ACCESS_OUTSIDE;
	}
	/* An emulated memory error: a synchronous external abort, never cached */
	if (e->map->nr_poison && cpu_memmap_poisoned(e->map, r.pa)) {
		*fsc = FSC_SEA;
		return ACCESS_OUTSIDE;
	}
	off = r.pa - reg->gpa;
	*host = reg->hva + off;
	/* KVM's get_user_pages(FOLL_WRITE): write-protected host memory is EFAULT */
	writing = (acc & (ACC_WRITE | ACC_RMW)) && !(acc & ESR_CM);
	if (writing && !host_page_writable(e, *host)) {
		c->exit.reason = CPU_EXIT_EFAULT;
		c->exit.far = va;
		c->exit.ipa = r.pa;
		return ACCESS_FAULT;
	}
	/*
	 * dirty logging: the bit first, then the page may be writable in the
	 * TLB; with a dirty ring, room for the page first (else stop, as a
	 * stage-2 fault would, and redo the store once userspace harvested)
	 */
	if (writing && reg->dirty && !cpu_page_dirty(reg, r.pa)) {
		if (!cpu_hook_dirty_ring_room(c)) {
			c->exit.reason = CPU_EXIT_KICK;
			return ACCESS_FAULT;
		}
		if (cpu_mark_page_dirty(reg, r.pa))
			cpu_hook_page_dirtied(c, reg, r.pa);
	}

	/* Enter the 4K page if the region holds all of it. */
	page_pa = r.pa & PAGE_MASK;
	if (page_pa >= reg->gpa && page_pa - reg->gpa + PAGE_SIZE <= reg->size)
		tlb_enter(c, idx, va, &r, reg, acc, writing, tagged);
	e->last_tagged = tagged;
	return ACCESS_RAM;
}

static int check_align(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc)
{
	if ((va & (size - 1)) && alignment_checked(&c->state, acc)) {
		raise_data_abort(c, va, acc, FSC_ALIGN);
		return -1;
	}
	return 0;
}

/* Find the TLB entry for an access that missed only on alignment. */
static uint8_t *tlb_hit_unaligned(struct cpu *c, uint64_t va, unsigned int size,
				  uint32_t acc, bool write)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, acc), va);
	uint64_t tag = write ? t->tag_w : t->tag_r;

	if (tag != (va & PAGE_MASK) || (t->attrs & TLBA_DEVICE))
		return NULL;
	if ((va & ~PAGE_MASK) + size > PAGE_SIZE)
		return NULL;
	return (uint8_t *)(uintptr_t)(va + t->addend);
}

int mem_read_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		  uint64_t *val)
{
	uint8_t *h1, *h2;
	uint64_t ipa;
	unsigned int n1;
	int fsc;

	if (check_align(c, va, size, acc))
		return -1;
	h1 = tlb_hit_unaligned(c, va, size, acc, false);
	if (h1) {
		*val = load_le(h1, size);
		return 0;
	}
	n1 = (unsigned int)(PAGE_SIZE - (va & ~PAGE_MASK));
	if (n1 >= size) {
		switch (access_page(c, va, size, acc, &h1, &ipa, &fsc)) {
		case ACCESS_RAM:
			*val = (va & (size - 1)) ? load_le(h1, size) : host_load(h1, size);
			return 0;
		case ACCESS_OUTSIDE:
			exit_stage2_abort(c, va, ipa, acc, fsc, 0);
			return -1;
		default:
			return -1;
		}
	}
	/* crosses a page: both halves must be RAM, or no syndrome */
	switch (access_page(c, va, size, acc, &h1, &ipa, &fsc)) {
	case ACCESS_RAM:
		break;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, va, ipa, acc & ~ACC_ISS_MASK, fsc, 0);
		return -1;
	default:
		return -1;
	}
	switch (access_page(c, va + n1, size, acc, &h2, &ipa, &fsc)) {
	case ACCESS_RAM:
		break;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, va + n1, ipa, acc & ~ACC_ISS_MASK, fsc, 0);
		return -1;
	default:
		return -1;
	}
	{
		uint8_t buf[8];

		memcpy(buf, h1, n1);
		memcpy(buf + n1, h2, size - n1);
		*val = load_le(buf, size);
	}
	return 0;
}

int mem_write_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		   uint64_t val)
{
	uint8_t *h1, *h2;
	uint64_t ipa;
	unsigned int n1;
	int fsc;

	acc |= ACC_WRITE;
	if (check_align(c, va, size, acc))
		return -1;
	h1 = tlb_hit_unaligned(c, va, size, acc, true);
	if (h1) {
		store_le(h1, size, val);
		thread_note_store(c, h1);
		thread_note_store(c, h1 + size - 1);
		return 0;
	}
	n1 = (unsigned int)(PAGE_SIZE - (va & ~PAGE_MASK));
	if (n1 >= size) {
		switch (access_page(c, va, size, acc, &h1, &ipa, &fsc)) {
		case ACCESS_RAM:
			if (va & (size - 1))
				store_le(h1, size, val);
			else
				host_store(h1, size, val);
			thread_note_store(c, h1);
			thread_note_store(c, h1 + size - 1);
			return 0;
		case ACCESS_OUTSIDE:
			exit_stage2_abort(c, va, ipa, acc, fsc, val);
			return -1;
		default:
			return -1;
		}
	}
	switch (access_page(c, va, size, acc, &h1, &ipa, &fsc)) {
	case ACCESS_RAM:
		break;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, va, ipa, acc & ~(ACC_ISS_MASK & ~ESR_WNR), fsc, 0);
		return -1;
	default:
		return -1;
	}
	switch (access_page(c, va + n1, size, acc, &h2, &ipa, &fsc)) {
	case ACCESS_RAM:
		break;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, va + n1, ipa, acc & ~(ACC_ISS_MASK & ~ESR_WNR),
				  fsc, 0);
		return -1;
	default:
		return -1;
	}
	memcpy(h1, &val, n1);
	memcpy(h2, (uint8_t *)&val + n1, size - n1);
	thread_note_store(c, h1);
	thread_note_store(c, h2);
	return 0;
}

/* (VKVM_TEAR_16 still says yes: it is the defect tests/lse2tear catches) */
bool cpu_host_atomic16(void)
{
#if defined(__x86_64__)
	return __builtin_cpu_supports("avx");
#else
	return false;
#endif
}

int mem_granule(struct cpu *c, uint64_t va, unsigned int esize, unsigned int size,
		uint32_t acc, uint8_t **h)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, acc), va);
	bool w = acc & ACC_WRITE;
	uint64_t ipa;
	int fsc;

	if (check_align(c, va, esize, acc))
		return -1;
	if (unlikely(c->engine->dbg_watch))
		return 0;
	if ((w ? t->tag_w : t->tag_r) == (va & PAGE_MASK)) {
		/* Device memory: element by element, which checks its alignment */
		if (t->attrs & TLBA_DEVICE)
			return 0;
		*h = (uint8_t *)(uintptr_t)(va + t->addend);
	} else {
		switch (access_page(c, va, esize, acc, h, &ipa, &fsc)) {
		case ACCESS_RAM:
			break;
		case ACCESS_OUTSIDE:
			return 0;
		default:
			return -1;
		}
	}
	if (w) {
		thread_note_store(c, *h);
		thread_note_store(c, *h + size - 1);
	}
	return 1;
}

uint8_t *mem_host_ptr(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, acc), va);
	bool w = acc & (ACC_WRITE | ACC_RMW);
	bool r = !(acc & ACC_WRITE) || (acc & ACC_RMW);
	uint64_t page = va & (PAGE_MASK | (size - 1));
	uint8_t *h;
	uint64_t ipa;
	int fsc;

	if (check_align(c, va, size, (acc & ACC_LSE2) ? acc : acc | ACC_ALIGN))
		return NULL;
	if ((!r || t->tag_r == page) && (!w || t->tag_w == page) &&
	    !((acc & ACC_DEVFAULT) && (t->attrs & TLBA_DEVICE))) {
		h = (uint8_t *)(uintptr_t)(va + t->addend);
		if (w)
			thread_note_store(c, h);	/* aligned, or in 16 bytes: one page */
		return h;
	}
	switch (access_page(c, va, size, acc, &h, &ipa, &fsc)) {
	case ACCESS_RAM:
		if (w)
			thread_note_store(c, h);
		return h;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, va, ipa, acc & ~(ACC_ISS_MASK & ~(ESR_WNR | ESR_CM)),
				  fsc, 0);
		return NULL;
	default:
		return NULL;
	}
}

/*
 * The host address of va for a MemNF read, or NULL: a translation or
 * permission fault, Device memory, a watched page, an IPA outside RAM (MMIO)
 * or poisoned.  Nothing is entered in the TLB, no exception taken.
 */
static const uint8_t *nf_host(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
			      enum mmu_idx idx)
{
	struct cpu_engine *e = c->engine;
	const struct cpu_mem_region *reg;
	struct s1_result r;

	if (mmu_translate(c, va, idx, false, 0, &r) || !(r.perms & r.s2_perms & PERM_R) ||
	    r.device)
		return NULL;
	if (unlikely(e->dbg_watch) && dbg_watch_page(c, va & PAGE_MASK))
		return NULL;
	reg = cpu_memmap_find(e->map, r.pa);
	if (!reg || (reg->flags & CPU_MEM_NOACCESS) ||
	    (e->map->nr_poison && cpu_memmap_poisoned(e->map, r.pa)))
		return NULL;
	/* MemNF: a Tag Check that fails declines, neither faults nor sets TFSR */
	if (reg->tags && r.attr == MTE_MAIR_TAGGED && !(acc & ACC_NOTAG) &&
	    mte_mismatch(c, va, r.pa, size, reg, idx))
		return NULL;
	return reg->hva + (r.pa - reg->gpa);
}

int mem_read_nf(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc, uint64_t *val)
{
	enum mmu_idx idx = mmu_idx_of(&c->state, 0);
	struct tlb_entry *t = tlb_entry_of(c, idx, va);
	unsigned int done, n;
	uint8_t buf[8];

	if (t->tag_r == (va & (PAGE_MASK | (size - 1))) && !(t->attrs & TLBA_DEVICE)) {
		*val = host_load((const void *)(uintptr_t)(va + t->addend), size);
		return 0;
	}
	if ((va & (size - 1)) && alignment_checked(&c->state, 0))
		return -1;
	for (done = 0; done < size; done += n) {
		uint64_t a = va + done;
		const uint8_t *h;

		n = (unsigned int)(PAGE_SIZE - (a & ~PAGE_MASK));
		if (n > size - done)
			n = size - done;
		h = nf_host(c, a, n, acc, idx);
		if (!h)
			return -1;
		memcpy(buf + done, h, n);
	}
	*val = load_le(buf, size);
	return 0;
}

int mem_tag_precheck_slow(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc)
{
	unsigned int n = (unsigned int)(PAGE_SIZE - (va & ~PAGE_MASK));
	uint64_t ipa;
	uint8_t *h;
	int fsc;

	if (acc & ACC_NOTAG)
		return 0;
	if (access_page(c, va, size, acc, &h, &ipa, &fsc) == ACCESS_FAULT)
		return -1;
	if (n < size && access_page(c, va + n, size - n, acc, &h, &ipa, &fsc) == ACCESS_FAULT)
		return -1;
	return 0;
}

int mem_probe(struct cpu *c, uint64_t va, enum mmu_idx idx, uint32_t acc,
	      struct s1_result *res)
{
	/* AT S1E*: stage 1's output, an IPA (its walk through stage 2) */
	if (mmu_translate_s1(c, va, idx, false, res))
		return -1;
	if ((perm_needed(acc) & res->perms) != perm_needed(acc)) {
		res->fsc = FSC_PERM | (int)res->level;
		return -1;
	}
	return 0;
}

int mem_probe_s12(struct cpu *c, uint64_t va, enum mmu_idx idx, uint32_t acc,
		  struct s1_result *res)
{
	unsigned int need = perm_needed(acc);

	/* AT S12E*: both stages (stage 2 only under HCR_EL2.VM) */
	if (mmu_translate(c, va, idx, false, need, res))
		return -1;
	if ((need & res->perms) != need) {
		res->fsc = FSC_PERM | (int)res->level;
		return -1;
	}
	if ((need & res->s2_perms) != need) {
		res->s2 = true;
		res->fsc = FSC_PERM | (int)res->s2_level;
		return -1;
	}
	return 0;
}

const uint8_t *mem_fetch_page(struct cpu *c, uint64_t pc, uint64_t *pa)
{
	struct tlb_entry *t = tlb_entry_of(c, mmu_idx_of(&c->state, 0), pc);
	uint8_t *h;
	uint64_t ipa;
	int fsc;

	if (likely(t->tag_x == (pc & PAGE_MASK))) {
		*pa = t->pa;
		return (const uint8_t *)(uintptr_t)((pc & PAGE_MASK) + t->addend);
	}
	switch (access_page(c, pc, 4, ACC_FETCH, &h, &ipa, &fsc)) {
	case ACCESS_RAM:
		if (t->tag_x == (pc & PAGE_MASK)) {
			*pa = t->pa;
			return (const uint8_t *)(uintptr_t)((pc & PAGE_MASK) + t->addend);
		}
		/* A page not wholly in one region: execute from it only if the
		 * whole 4K page is RAM, which access_page would have entered. */
		exit_stage2_abort(c, pc, ipa | 0, ACC_FETCH, FSC_TRANS | 3, 0);
		return NULL;
	case ACCESS_OUTSIDE:
		exit_stage2_abort(c, pc, ipa, ACC_FETCH, fsc, 0);
		return NULL;
	default:
		return NULL;
	}
}

int mem_tag_access(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		   const struct cpu_mem_region **reg, uint64_t *pa, uint8_t **host)
{
	struct cpu_engine *e = c->engine;
	uint64_t ipa;
	int fsc;

	*host = NULL;
	switch (access_page(c, va, size, acc | ACC_NOTAG, host, &ipa, &fsc)) {
	case ACCESS_RAM:
		break;
	case ACCESS_OUTSIDE:
		/* no syndrome: the instruction is not a single load or store */
		exit_stage2_abort(c, va, ipa, acc & ESR_WNR, fsc, 0);
		return -1;
	default:
		return -1;
	}
	if (acc & ACC_WRITE)
		thread_note_store(c, *host);
	if (!e->last_tagged || !mte_ata(&c->state, mmu_idx_of(&c->state, acc) != MMU_EL0))
		return 0;
	*reg = cpu_memmap_find(e->map, ipa);
	*pa = ipa;
	return 1;
}

/* ---- FEAT_NV2: the VNCR page ------------------------------------------------ */

/*
 * The data abort of a VNCR_EL2 access: to EL2 whatever the routing, EC
 * 0x25 (reported as from the same EL although taken from EL1), ISS.VNCR,
 * WnR and the fault status, no ISV; FAR_EL2 the address (Arm ARM
 * AArch64.Abort for AccessType_NV2; QEMU agrees).
 */
static void nv2_abort(struct cpu *c, uint64_t va, bool write, int fsc)
{
	uint32_t iss = ESR_VNCR | (write ? ESR_WNR : 0) | (uint32_t)fsc;

	cpu_take_exception_to(&c->state, 2, CPU_VEC_SYNC, esr_make(EC_DABT_CUR, iss), va,
			      true);
}

int cpu_nv2_access(struct cpu *c, uint64_t va, bool write, uint64_t *val)
{
	struct cpu_engine *e = c->engine;
	const struct cpu_mem_region *reg;
	struct s1_result r;
	uint8_t *h;

	/*
	 * MMU_EL2: the EL2 regime, or EL2&0 with HCR_EL2.E2H (the walk picks
	 * it by E2H), without PAN.  Not through the soft TLB: the EL1 code
	 * running has its own, and these accesses are few.
	 */
	if (mmu_translate(c, va, MMU_EL2, false, 0, &r)) {
		/* a walk outside RAM or poisoned: an external abort on the walk */
		nv2_abort(c, va, write, r.fsc);
		return SYSREG_STOP;
	}
	if (!(r.perms & (write ? PERM_W : PERM_R))) {
		nv2_abort(c, va, write, FSC_PERM | (int)r.level);
		return SYSREG_STOP;
	}
	/* translated: a watchpoint on it (as EL2's, ISS.VNCR; debug.c) */
	if (unlikely(e->dbg_watch) && dbg_watch_check_nv2(c, va, write))
		return SYSREG_STOP;
	reg = cpu_memmap_find(e->map, r.pa);
	if (!reg || (reg->flags & CPU_MEM_NOACCESS) ||
	    (write && (reg->flags & CPU_MEM_READONLY)) ||
	    (e->map->nr_poison && cpu_memmap_poisoned(e->map, r.pa))) {
		/* not RAM the access can be made to: no MMIO emulation of it */
		nv2_abort(c, va, write, FSC_SEA);
		return SYSREG_STOP;
	}
	h = reg->hva + (r.pa - reg->gpa);
	if (!write) {
		*val = host_load(h, 8);
		return SYSREG_OK;
	}
	/* as access_page() for any store: the host's protection, dirty logging */
	if (!host_page_writable(e, h)) {
		c->exit.reason = CPU_EXIT_EFAULT;
		c->exit.far = va;
		c->exit.ipa = r.pa;
		return SYSREG_STOP;
	}
	if (reg->dirty && !cpu_page_dirty(reg, r.pa)) {
		if (!cpu_hook_dirty_ring_room(c)) {
			c->exit.reason = CPU_EXIT_KICK;
			return SYSREG_STOP;
		}
		if (cpu_mark_page_dirty(reg, r.pa))
			cpu_hook_page_dirtied(c, reg, r.pa);
	}
	host_store(h, 8, *val);
	thread_note_store(c, h);
	return SYSREG_OK;
}
