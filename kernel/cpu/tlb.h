/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soft TLB: one entry per 4 KiB page and translation context, whose
 * tags the inline load/store paths (mem.h) compare with the address.
 */
#ifndef VKVM_CPU_TLB_H
#define VKVM_CPU_TLB_H

#include <stdint.h>

/* ---- the soft TLB ------------------------------------------------------------ */

#define TLB_BITS	10
#define TLB_SIZE	(1u << TLB_BITS)
#define TLB_INVALID	(~0ULL)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ULL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define TLBA_DEVICE	(1u << 0)	/* Device memory: unaligned accesses fault */
#define TLBA_GUARDED	(1u << 1)	/* a guarded page (stage-1 GP, FEAT_BTI) */
#define TLBA_GLOBAL	(1u << 2)	/* nG == 0: not tied to the set's ASID */
#define TLBA_TAGGED	(1u << 3)	/* a Tagged page (FEAT_MTE2) */
#define TLBA_S12W	(1u << 4)	/* both stages permit writes (mem.c: a
					 * store to a page read before skips
					 * the walk) */

/*
 * One 4 KiB page of a translation, for one translation context (mmu_idx):
 * the tag is the accessed VA page (top byte included) when that kind of
 * access is permitted and the page is plain RAM, TLB_INVALID otherwise.
 */
struct tlb_entry {
	uint64_t tag_r, tag_w, tag_x;
	uintptr_t addend;		/* host address = VA + addend */
	uint64_t pa;			/* page's IPA */
	uint32_t attrs;
} __attribute__((aligned(64)));	/* a power of two: indexing is one shift */

enum mmu_idx {
	MMU_EL0,			/* EL0 and unprivileged EL1 accesses (in
					 * EL2&0 under E2H and TGE, which flush) */
	MMU_EL1,			/* EL1, PSTATE.PAN == 0 */
	MMU_EL1_PAN,			/* EL1, PSTATE.PAN == 1 */
	MMU_EL2,			/* EL2: its own regime, or EL2&0 (E2H) */
	MMU_EL2_PAN,			/* EL2 in EL2&0, PSTATE.PAN == 1 */
	MMU_NR,
};

/*
 * A translation context, what a soft TLB's entries were filled under
 * (mem.c, tlb_key()): HCR_EL2's bits that shape translation, the VMID and
 * stage 2 (VTTBR_EL2, VTCR_EL2) when stage 2 applies to EL1&0, EL1&0's
 * ASID (unless EL0 is EL2&0's: E2H and TGE) and EL2&0's (under E2H).
 * The stage-1 registers whose writes flush (SCTLR, TCR, MAIR) are no part
 * of it; the TTBRs are, by their ASID only (a table changed under the
 * same ASID needs a TLBI, as on hardware).  TLB_SETS such contexts keep
 * their entries across a switch, 320 KiB each.
 */
struct tlb_key {
	uint64_t hcr;			/* HCR_EL2 & HCR_TLB_BITS */
	uint64_t vttbr, vtcr;		/* 0 when stage 2 does not apply */
	uint32_t vmid;			/* VTTBR_EL2's VMID, for TLBI */
	uint32_t asid1, asid2;		/* EL1&0's, EL2&0's ASID (0: none) */
	uint32_t valid;			/* 0: the set holds no context */
};

#define TLB_SETS	4

#endif /* VKVM_CPU_TLB_H */
