/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FEAT_MTE2 in the engine (mte_tags.c, exec_mte.c): allocation tags in
 * the memory regions' tag storage, logical tags in bits 59:56 of an
 * address, and the Tag Check of data accesses (mem.c's access_page).
 */
#ifndef VKVM_CPU_MTE_H
#define VKVM_CPU_MTE_H

/* Included at the end of internal.h. */

#define MTE_GRANULE		16u
#define MTE_MAIR_TAGGED		0xf0	/* Tagged Normal, Inner/Outer WB RW-allocate */
#define MTE_GM_BYTES		(4u << CPU_MTE_GMID_BS)	/* LDGM, STGM */

/* The vCPU has FEAT_MTE2: its VM enabled KVM_CAP_ARM_MTE (ID_AA64PFR1_EL1.MTE) */
static inline bool mte_on(const struct cpu_state *s)
{
	return ((s->sysreg[SR_ID_AA64PFR1_EL1] >> 8) & 0xf) >= 2;
}

/* AArch64.AllocationTagAccessIsEnabled at EL el: SCTLR_EL1.ATA0 / .ATA */
static inline bool mte_ata(const struct cpu_state *s, unsigned int el)
{
	return s->sysreg[SR_SCTLR_EL1] & (el ? SCTLR_ATA : SCTLR_ATA0);
}

/* The logical tag of an address, and the address with another */
static inline unsigned int mte_addr_tag(uint64_t va)
{
	return (unsigned int)(va >> 56) & 0xf;
}

static inline uint64_t mte_with_tag(uint64_t va, unsigned int tag)
{
	return (va & ~(0xfULL << 56)) | ((uint64_t)(tag & 0xf) << 56);
}

/* ChooseNonExcludedTag: tag, stepped offset times over the excluded ones */
unsigned int mte_choose_tag(unsigned int tag, unsigned int offset, uint16_t exclude);
/* AArch64.RandomTag: four bits of RGSR_EL1.SEED's LFSR, which steps */
unsigned int mte_random_tag(struct cpu_state *s);

/* The allocation tag of the granule at IPA pa of a region with tags */
static inline unsigned int mte_tag_load(const struct cpu_mem_region *reg, uint64_t pa)
{
	uint64_t g = (pa - reg->gpa) >> 4;

	return (atomic_load_explicit(&reg->tags[g >> 1], memory_order_relaxed) >>
		((g & 1) * 4)) & 0xf;
}

void mte_tag_store(const struct cpu_mem_region *reg, uint64_t pa, unsigned int tag);

/*
 * SCTLR_EL1.TCF (TCF0 for EL0) for a data access through mmu_idx idx: 0,
 * unchecked; 1 sync, 2 async, 3 asymmetric.  Tagged pages stay out of the
 * TLB for data while it is not 0 (a write of SCTLR_EL1 flushes the TLB).
 */
static inline unsigned int mte_checking(const struct cpu_state *s, enum mmu_idx idx)
{
	unsigned int shift = idx == MMU_EL0 ? SCTLR_TCF0_SHIFT : SCTLR_TCF_SHIFT;

	return (s->sysreg[SR_SCTLR_EL1] >> shift) & 3;
}

/* mem.h's mem_tag_precheck_slow(), where checks may apply: one test else */
static inline int mem_tag_precheck(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc)
{
	if (likely(!mte_checking(&c->state, mmu_idx_of(&c->state, acc))))
		return 0;
	return mem_tag_precheck_slow(c, va, size, acc);
}

/*
 * The Tag Check of a data access of size bytes at va (its logical tag in
 * bits 59:56) to a Tagged page, at IPA pa of reg, through idx: 0 to go
 * on (it matched, was unchecked, or failed asynchronously: TFSR), -1 when
 * a synchronous Tag Check fault was taken.
 */
int mte_check(struct cpu *c, uint64_t va, uint64_t pa, unsigned int size,
	      const struct cpu_mem_region *reg, uint32_t acc, enum mmu_idx idx);

/*
 * Would such an access fail its Tag Check (checking enabled, not TCO, TBI,
 * TCMA, and a granule in this page whose tag differs)?  No side effect.
 */
bool mte_mismatch(struct cpu *c, uint64_t va, uint64_t pa, unsigned int size,
		  const struct cpu_mem_region *reg, enum mmu_idx idx);

/*
 * A tag access (LDG, STG...) of the granules [va, va + size), within one
 * page: translate it for a read or (acc & ACC_WRITE) a write, which may
 * fault.  1 with *reg and *pa when the page is Tagged RAM and tag access
 * is enabled at the current EL, 0 when the tags read as 0 and writes of
 * them are ignored (*host still set for data if RAM, else NULL), -1 when
 * an exception was taken or an exit prepared.
 */
int mem_tag_access(struct cpu *c, uint64_t va, unsigned int size, uint32_t acc,
		   const struct cpu_mem_region **reg, uint64_t *pa, uint8_t **host);

#endif /* VKVM_CPU_MTE_H */
