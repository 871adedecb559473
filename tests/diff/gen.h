/* SPDX-License-Identifier: GPL-2.0 */
/* The differential test's instruction-sequence generator (gen.c). */
#ifndef DIFF_GEN_H
#define DIFF_GEN_H

#include "diffcase.h"

enum diff_class {
	CL_ADDSUB_IMM, CL_LOGIC_IMM, CL_MOVE_WIDE, CL_ADR, CL_BITFIELD, CL_EXTR,
	CL_ADDSUB_REG, CL_LOGIC_REG, CL_ADC, CL_CCMP, CL_CSEL, CL_DP1, CL_DP2,
	CL_DP3, CL_LDST_IMM, CL_LDST_WB, CL_LDST_REG, CL_LDST_LIT, CL_LDST_PAIR,
	CL_LDST_UNPRIV, CL_ACQREL, CL_EXCL, CL_LSE, CL_BRANCH, CL_ALIGN, CL_DIRECTED,
	CL_MIXED, CL_FLAGM, CL_RCPC, CL_LSE2, DIFF_NCLASSES
};

const char *diff_class_name(int cls);

/*
 * Fill *c with the case `index` of class `cls` for `seed` (deterministic),
 * with `variants` cases a code (-k, difftest.h): the code of case
 * index / variants, its inputs too when index % variants is 0, else
 * inputs of its own (the code's constraints on them applied again).
 * Returns how many of its words a forward branch may skip, so that the
 * caller can bound the number of executed instructions from below.
 */
unsigned int diff_gen_case(struct diff_case *c, int cls, uint64_t seed, unsigned int index,
			   unsigned int variants);

#endif
