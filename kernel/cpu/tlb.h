/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soft TLB: one entry per 4 KiB page and translation context, whose
 * tags the inline load/store paths (mem.h) compare with the address.
 */
#ifndef VKVM_CPU_TLB_H
#define VKVM_CPU_TLB_H

#include <stdint.h>

/* ---- the soft TLB ------------------------------------------------------------ */

#define TLB_BITS	9
#define TLB_SIZE	(1u << TLB_BITS)
#define TLB_INVALID	(~0ULL)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ULL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define TLBA_DEVICE	(1u << 0)	/* Device memory: unaligned accesses fault */
#define TLBA_GUARDED	(1u << 1)	/* a guarded page (stage-1 GP, FEAT_BTI) */

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


#endif /* VKVM_CPU_TLB_H */
