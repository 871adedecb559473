/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in backend for the engine's tests: one VM with one RAM region
 * surrounded by PROT_NONE guard pages, a vCPU at EL1, a tiny system-register
 * table, and TAP output helpers.
 */
#ifndef TESTS_CPU_HARNESS_H
#define TESTS_CPU_HARNESS_H

#include <stdatomic.h>
#include <stdio.h>

#include "../../kernel/cpu/cpu.h"

#define RAM_GPA		0x40000000ULL
#define MMIO_GPA	0x09000000ULL	/* nothing there: stage-2 aborts */

struct env {
	struct cpu_vm vm;
	struct cpu_memmap *map;
	uint8_t *ram;
	size_t ram_size;
	struct cpu cpu;
};

int env_init(struct env *v, size_t ram_size);
void env_destroy(struct env *v);
/* Reset the vCPU: EL1h, DAIF masked, MMU off, PC at gpa. */
void env_reset(struct env *v, uint64_t pc);
void env_load(struct env *v, uint64_t gpa, const void *p, size_t len);
void *env_ptr(struct env *v, uint64_t gpa);
/* Run until an exit other than a kick; returns the exit reason. */
enum cpu_exit_reason env_run(struct env *v);

/* TAP */
void tap_ok(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_done(void);

#define ESR_EC(esr)	((unsigned int)((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)	((uint32_t)(esr) & 0x1ffffff)

#endif
