// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the FEAT_MTE2 differential test, under
 * qemu-aarch64 -cpu max (tests/lib/diffrunner.c): the buffer mapped
 * PROT_MTE, its tags set with STG before each case and read back with
 * LDG after it, the case's GCR_EL1 include mask and tag checks (off,
 * PR_MTE_TCF_NONE, or synchronous, PR_MTE_TCF_SYNC) through prctl.
 */
#include <sys/mman.h>
#include <sys/prctl.h>

#include "diffrunner.h"
#include "mtecase.h"

#ifndef PROT_MTE
#define PROT_MTE		0x20
#endif
#ifndef PR_SET_TAGGED_ADDR_CTRL
#define PR_SET_TAGGED_ADDR_CTRL	55
#define PR_TAGGED_ADDR_ENABLE	(1UL << 0)
#endif
#ifndef PR_MTE_TAG_SHIFT
#define PR_MTE_TCF_NONE		0UL
#define PR_MTE_TCF_SYNC		(1UL << 1)
#define PR_MTE_TAG_SHIFT	3
#endif

static void stg(uint64_t addr, unsigned int tag)
{
	register uint64_t a __asm__("x0") = addr;
	register uint64_t t __asm__("x1") = (uint64_t)tag << 56;

	__asm__ __volatile__(".inst 0xd9200801" : : "r"(a), "r"(t) : "memory");	/* stg x1, [x0] */
}

static unsigned int ldg(uint64_t addr)
{
	register uint64_t a __asm__("x0") = addr;
	register uint64_t t __asm__("x1") = 0;

	__asm__ __volatile__(".inst 0xd9600001" : "+r"(t) : "r"(a) : "memory");	/* ldg x1, [x0] */
	return (unsigned int)(t >> 56) & 0xf;
}

static void before(const void *c_, uint8_t *buf)
{
	const struct mte_case *c = c_;

	prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE |
	      (c->tcf ? PR_MTE_TCF_SYNC : PR_MTE_TCF_NONE) |
	      ((unsigned long)(c->incl & 0xffff) << PR_MTE_TAG_SHIFT), 0, 0, 0);
	for (unsigned int i = 0; i < MTE_NTAGS; i++)
		stg((uint64_t)(uintptr_t)buf + 16 * i, c->tags[i]);
}

static void after(void *res_, uint8_t *buf)
{
	struct mte_result *res = res_;

	/* tag checks off before the runner copies the buffer out */
	prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | PR_MTE_TCF_NONE, 0, 0, 0);
	for (unsigned int i = 0; i < MTE_NTAGS; i++)
		res->tags[i] = (uint8_t)ldg((uint64_t)(uintptr_t)buf + 16 * i);
}

static const struct diff_runner mte_runner = {
	.name = "mte_runner",
	DIFF_RUNNER_RECORDS(struct mte_case, struct mte_result, MTE_MAX_WORDS),
	.buf_prot = PROT_MTE,
	.before = before,
	.after = after,
};

int main(void)
{
	return diff_runner_main(&mte_runner);
}
