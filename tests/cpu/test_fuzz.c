// SPDX-License-Identifier: GPL-2.0
/*
 * Feed random instruction words to the engine (bounded, seeded): it must
 * never crash nor touch host memory outside the region (the harness puts
 * PROT_NONE guard pages around it), whatever the words do.  Registers are
 * seeded with addresses near the region's edges so that loads and stores
 * probe the boundaries.  FUZZ_WORDS and FUZZ_SEED override the defaults.
 */
#include <stdlib.h>

#include "harness.h"

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t interesting(struct env *v)
{
	static const uint64_t fixed[] = { 0, 1, ~0ULL, 0x8000000000000000ULL, MMIO_GPA };

	switch (rnd() % 4) {
	case 0: return RAM_GPA + v->ram_size - (rnd() % 64);
	case 1: return RAM_GPA + (rnd() % 64) - 32;
	case 2: return fixed[rnd() % 5];
	default: return RAM_GPA + (rnd() % v->ram_size);
	}
}

int main(void)
{
	struct env v;
	unsigned long words = getenv("FUZZ_WORDS") ? strtoul(getenv("FUZZ_WORDS"), 0, 0) : 200000;
	unsigned long seed = getenv("FUZZ_SEED") ? strtoul(getenv("FUZZ_SEED"), 0, 0) : 12345;
	unsigned long done = 0, exits[CPU_EXIT_INTERNAL + 1] = { 0 };
	unsigned int round = 0, i;

	rng = seed * 2654435761u + 1;
	if (env_init(&v, 1 << 20))
		return 1;
	while (done < words) {
		uint32_t *code = env_ptr(&v, RAM_GPA + 0x1000);
		unsigned int steps;

		env_reset(&v, RAM_GPA + 0x1000);
		for (i = 0; i < 1024; i++)
			code[i] = (uint32_t)rnd();
		for (i = 0; i < 31; i++)
			v.cpu.state.x[i] = interesting(&v);
		v.cpu.state.sp_el1 = interesting(&v);
		v.cpu.state.sp_el0 = interesting(&v);
		v.cpu.state.sysreg[SR_VBAR_EL1] = RAM_GPA + 0x1000;	/* vectors in the page */
		if (round & 1)
			v.cpu.state.pstate = PSR_MODE_EL0t;
		v.cpu.single_step = true;
		for (steps = 0; steps < 256 && done < words; steps++) {
			enum cpu_exit_reason r = cpu_run(&v.cpu);

			done++;
			exits[r]++;
			if (r == CPU_EXIT_ABORT || r == CPU_EXIT_INTERNAL)
				v.cpu.state.pc += 4;	/* as a backend completing MMIO would */
			/* keep the fuzzed code in place: stay inside the page */
			if (v.cpu.state.pc < RAM_GPA + 0x1000 || v.cpu.state.pc >= RAM_GPA + 0x2000)
				break;
		}
		round++;
	}
	printf("# %lu words, %u rounds: debug %lu abort %lu hvc %lu smc %lu wfx %lu internal %lu\n",
	       done, round, exits[CPU_EXIT_DEBUG], exits[CPU_EXIT_ABORT], exits[CPU_EXIT_HVC],
	       exits[CPU_EXIT_SMC], exits[CPU_EXIT_WFX], exits[CPU_EXIT_INTERNAL]);
	printf("ok 1 - %lu random instruction words without a crash (seed %lu)\n", done, seed);
	printf("%sok 2 - no internal error exits\n", exits[CPU_EXIT_INTERNAL] ? "not " : "");
	printf("1..2\n");
	env_destroy(&v);
	return exits[CPU_EXIT_INTERNAL] ? 1 : 0;
}
