// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_MTE2: allocation tags and the Tag Check (Arm ARM D10, "The Memory
 * Tagging Extension"; the pseudocode's AArch64.CheckTag,
 * ChooseNonExcludedTag, AArch64.RandomTag).
 *
 * Tags live in each memory region's tag storage (cpu_mem_region.tags, the
 * backend's, per memslot): two 4-bit tags a byte.  A page is Tagged when
 * its stage-1 attribute is MAIR 0xf0 and its region has tags.
 *
 * A data access is Tag Checked unless PSTATE.TCO is set, TCR_EL1.TBI
 * is off for its half of the address space, TCR_EL1.TCMA matches the
 * all-zeros (TTBR0) or all-ones (TTBR1) tag, or its instruction is Tag
 * Unchecked (ACC_NOTAG, and instruction fetches, cache maintenance and
 * translation table walks).  A mismatch does what SCTLR_EL1.TCF (TCF0 for
 * EL0 and unprivileged accesses) says: 1, a synchronous Data Abort with
 * DFSC 0x11 and FAR the address; 2, TFSR_EL1 (TFSRE0_EL1 for EL0) bit
 * TF0/TF1 by address bit 55 and the access completes; 3 (FEAT_MTE3),
 * reads as 1 and writes (atomics too) as 2.
 */
#include "internal.h"

#define TCR_TBI0	(1ULL << 37)
#define TCR_TBI1	(1ULL << 38)
#define TCR_TCMA0	(1ULL << 57)
#define TCR_TCMA1	(1ULL << 58)

unsigned int mte_choose_tag(unsigned int tag, unsigned int offset, uint16_t exclude)
{
	if (exclude == 0xffff)
		return 0;
	tag &= 0xf;
	if (!offset)
		while ((exclude >> tag) & 1)
			tag = (tag + 1) & 0xf;
	for (; offset; offset--) {
		tag = (tag + 1) & 0xf;
		while ((exclude >> tag) & 1)
			tag = (tag + 1) & 0xf;
	}
	return tag;
}

unsigned int mte_random_tag(struct cpu_state *s)
{
	uint64_t rgsr = s->sysreg[SR_RGSR_EL1];
	unsigned int lfsr = (unsigned int)(rgsr >> 8) & 0xffff, tag = 0, i;

	for (i = 0; i < 4; i++) {
		unsigned int fb = ((lfsr >> 5) ^ (lfsr >> 3) ^ (lfsr >> 2) ^ lfsr) & 1;

		tag |= (lfsr & 1) << i;
		lfsr = (lfsr >> 1) | (fb << 15);
	}
	s->sysreg[SR_RGSR_EL1] = (rgsr & ~(0xffffULL << 8)) | ((uint64_t)lfsr << 8);
	return tag;
}

void mte_tag_store(const struct cpu_mem_region *reg, uint64_t pa, unsigned int tag)
{
	uint64_t g = (pa - reg->gpa) >> 4;
	_Atomic uint8_t *b = &reg->tags[g >> 1];
	unsigned int sh = (g & 1) * 4;
	uint8_t old = atomic_load_explicit(b, memory_order_relaxed), new;

	do {
		new = (uint8_t)((old & ~(0xfu << sh)) | ((tag & 0xf) << sh));
	} while (!atomic_compare_exchange_weak_explicit(b, &old, new, memory_order_relaxed,
							memory_order_relaxed));
}

bool mte_mismatch(struct cpu *c, uint64_t va, uint64_t pa, unsigned int size,
		  const struct cpu_mem_region *reg, enum mmu_idx idx)
{
	const struct cpu_state *s = &c->state;
	unsigned int bit55 = (va >> 55) & 1, ltag = mte_addr_tag(va);
	uint64_t tcr = s->sysreg[SR_TCR_EL1], end, g;

	if (!mte_checking(s, idx) || (s->pstate & PSR_TCO_BIT))
		return false;
	if (!(tcr & (bit55 ? TCR_TBI1 : TCR_TBI0)))
		return false;
	/* TCMA: bits 59:55 all 0 (or all 1) match any allocation tag */
	if ((tcr & (bit55 ? TCR_TCMA1 : TCR_TCMA0)) && ((ltag + bit55) & 0xf) == 0)
		return false;
	/* every granule of this page the access touches */
	end = pa + size;
	if (((end - 1) ^ pa) & PAGE_MASK)
		end = (pa | ~PAGE_MASK) + 1;
	for (g = pa & ~(uint64_t)(MTE_GRANULE - 1); g < end; g += MTE_GRANULE)
		if (mte_tag_load(reg, g) != ltag)
			return true;
	return false;
}

int mte_check(struct cpu *c, uint64_t va, uint64_t pa, unsigned int size,
	      const struct cpu_mem_region *reg, uint32_t acc, enum mmu_idx idx)
{
	struct cpu_state *s = &c->state;
	unsigned int tcf = mte_checking(s, idx);

	if (!mte_mismatch(c, va, pa, size, reg, idx))
		return 0;
	/* TCF 1, and reads under TCF 3 (FEAT_MTE3's asymmetric mode) */
	if (tcf == 1 || (tcf == 3 && !(acc & (ACC_WRITE | ACC_RMW)))) {
		raise_data_abort(c, va, acc, FSC_TAG_CHECK);
		return -1;
	}
	s->sysreg[idx == MMU_EL0 ? SR_TFSRE0_EL1 : SR_TFSR_EL1] |= 1ULL << ((va >> 55) & 1);
	return 0;
}
