// SPDX-License-Identifier: GPL-2.0
/*
 * The stage-1 walk of the EL1&0 regime (translate.h), VMSAv8-64 as the Arm
 * ARM gives it (D8): TTBR0/TTBR1 by VA bit 55, TnSZ, the 4K/16K/64K
 * granules, table/block/page descriptors, TBI.  What the tables map is
 * returned, permissions and the access flag aside (a debugger wants the
 * address even where the access itself would fault).  48-bit addresses.
 */
#include <endian.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "regs.h"
#include "translate.h"
#include "vcpu.h"
#include "vmm.h"

#define OA_MASK		0x0000fffffffff000ULL	/* descriptor output address, 48 bits */

struct regime {
	uint64_t ttbr;
	unsigned int tnsz;	/* TCR_EL1.T0SZ or T1SZ */
	unsigned int gshift;	/* 12, 14 or 16 */
	bool epd;		/* walks disabled (TCR_EL1.EPDn) */
	bool tbi;		/* top byte ignored */
};

static unsigned int granule(unsigned int tg, bool ttbr1)
{
	/* TG0: 0 4K, 1 64K, 2 16K; TG1: 1 16K, 2 4K, 3 64K; reserved: 4K */
	static const unsigned int tg0[4] = { 12, 16, 14, 12 }, tg1[4] = { 12, 14, 12, 16 };

	return ttbr1 ? tg1[tg & 3] : tg0[tg & 3];
}

static int walk(struct vcpu *vcpu, const struct regime *r, uint64_t va, uint64_t *pa,
		char *why, size_t len)
{
	unsigned int stride = r->gshift - 3, ia = 64 - r->tnsz, level, shift, bits;
	uint64_t table = r->ttbr & 0x0000fffffffffff8ULL, desc;	/* BADDR */
	const uint8_t *p;

	level = 4 - (ia - r->gshift + stride - 1) / stride;
	for (;; level++) {
		shift = r->gshift + stride * (3 - level);
		bits = shift + stride > ia ? ia - shift : stride;
		p = vm_gpa_to_host(vcpu->vm, table + 8 * ((va >> shift) & ((1ULL << bits) - 1)), 8);
		if (!p) {
			snprintf(why, len, "the level %u table at %#" PRIx64 " is not in RAM",
				 level, table);
			return -1;
		}
		memcpy(&desc, p, 8);
		desc = le64toh(desc);
		if (!(desc & 1)) {
			snprintf(why, len, "level %u descriptor %#" PRIx64 " is invalid", level, desc);
			return -1;
		}
		if (level < 3 && (desc & 2)) {
			table = desc & OA_MASK & ~((1ULL << r->gshift) - 1);
			continue;
		}
		if (level == 3 && !(desc & 2)) {
			snprintf(why, len, "level 3 descriptor %#" PRIx64 " is reserved", desc);
			return -1;
		}
		*pa = (desc & OA_MASK & ~((1ULL << shift) - 1)) | (va & ((1ULL << shift) - 1));
		return 0;
	}
}

int vcpu_translate(struct vcpu *vcpu, uint64_t va, uint64_t *pa, char *why, size_t len)
{
	uint64_t sctlr, tcr, top;
	struct regime r;
	bool ttbr1 = (va >> 55) & 1;

	if (vcpu_get_reg(vcpu, REG_SCTLR_EL1, &sctlr) < 0 ||
	    vcpu_get_reg(vcpu, REG_TCR_EL1, &tcr) < 0 ||
	    vcpu_get_reg(vcpu, ttbr1 ? REG_TTBR1_EL1 : REG_TTBR0_EL1, &r.ttbr) < 0) {
		snprintf(why, len, "the translation registers cannot be read");
		return -1;
	}
	if (!(sctlr & 1)) {
		*pa = va;		/* MMU off: flat */
		return 0;
	}
	r.tnsz = ttbr1 ? (tcr >> 16) & 0x3f : tcr & 0x3f;
	r.tnsz = r.tnsz < 16 ? 16 : r.tnsz > 39 ? 39 : r.tnsz;
	r.gshift = granule(ttbr1 ? (tcr >> 30) & 3 : (tcr >> 14) & 3, ttbr1);
	r.epd = (tcr >> (ttbr1 ? 23 : 7)) & 1;
	r.tbi = (tcr >> (ttbr1 ? 38 : 37)) & 1;
	if (r.epd) {
		snprintf(why, len, "TTBR%d walks are disabled (TCR_EL1.EPD%d)", ttbr1, ttbr1);
		return -1;
	}
	/* the bits above the input size must all equal bit 55 */
	top = (r.tbi ? va << 8 >> 8 : va) >> (64 - r.tnsz);
	if (top != (ttbr1 ? ((~0ULL >> (r.tbi ? 8 : 0)) >> (64 - r.tnsz)) : 0)) {
		snprintf(why, len, "%#" PRIx64 " is outside the %u-bit TTBR%d range", va,
			 64 - r.tnsz, ttbr1);
		return -1;
	}
	return walk(vcpu, &r, va, pa, why, len);
}
