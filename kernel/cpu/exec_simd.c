// SPDX-License-Identifier: GPL-2.0
/* Advanced SIMD (Arm ARM C4.1.96, the vector and scalar SIMD groups). */
#include "vreg.h"

static const struct insn_pattern simd_pats[] = {
	PAT(0xffffffff, 0xffffffff, exec_undef, NULL),
};

const struct insn_table simd_insns = {
	simd_pats, sizeof(simd_pats) / sizeof(simd_pats[0]),
};
