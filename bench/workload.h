/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdint.h>

/* The benchmark's work, `iters` identical rounds; returns a checksum. */
uint64_t workload(uint32_t iters);

#endif
