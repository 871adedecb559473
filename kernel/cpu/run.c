// SPDX-License-Identifier: GPL-2.0
/* The engine's entry points: vCPU setup and the run loop. */
#include <stdlib.h>

#include "cpu.h"

struct cpu_engine {
	int unused;
};

int cpu_init(struct cpu *cpu, struct cpu_vm *vm, int vcpu_id)
{
	cpu->vm = vm;
	cpu->vcpu_id = vcpu_id;
	cpu->engine = calloc(1, sizeof(*cpu->engine));
	return cpu->engine ? 0 : -12;
}

void cpu_destroy(struct cpu *cpu)
{
	free(cpu->engine);
	cpu->engine = NULL;
}

void cpu_flush_caches(struct cpu *cpu)
{
}

enum cpu_exit_reason cpu_run(struct cpu *cpu)
{
	cpu->exit.reason = CPU_EXIT_INTERNAL;
	cpu->exit.esr = 0;
	return CPU_EXIT_INTERNAL;
}
