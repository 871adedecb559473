/* SPDX-License-Identifier: GPL-2.0 */
/* Seeded generation of FP/SIMD differential cases, one class at a time. */
#ifndef FPGEN_H
#define FPGEN_H

#include "fpcase.h"

/*
 * Fill c with case idx of class cls; deterministic in (seed, cls, idx,
 * variants).  With variants (-k, difftest.h) cases a code: the code of
 * case idx / variants, and its inputs when idx % variants is 0, else
 * inputs of its own (the code's constraints on them applied again).
 */
void fpd_gen_case(struct fpd_case *c, int cls, uint64_t seed, unsigned int idx,
		  unsigned int variants);
int fpd_nclasses(void);
/* the class's cases end in an UNDEFINED instruction */
int fpd_class_undef(int cls);
const char *fpd_class_name(int cls);
/* qemu-aarch64's -cpu for the class (vkvm's features, or a superset) */
const char *fpd_class_cpu(int cls);
/* the class runs this many times the cases asked for */
unsigned int fpd_class_scale(int cls);

#endif
