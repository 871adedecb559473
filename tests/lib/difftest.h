/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the differential tests (difftest.c): the vkvm VM the
 * cases run in, the batch of cases under qemu-aarch64, the options every
 * test takes and the lines it reports.  What a test compares, and how its
 * cases are made, stays with the test.
 */
#ifndef TESTS_LIB_DIFFTEST_H
#define TESTS_LIB_DIFFTEST_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "difflayout.h"
#include "vmc.h"

/* A result's fault on the vkvm side: what ended the case, if not its end */
#define DIFF_FAULT_ESR		(1ULL << 60)	/* an exception: | ESR_EL1 */
#define DIFF_FAULT_EXIT		(2ULL << 60)	/* another exit: | exit_reason */
#define DIFF_FAULT_RUN		(3ULL << 60)	/* KVM_RUN failed: | errno */

/*
 * The VM, reused for every case: RAM over the layout, stage 1 on, the
 * exception vectors ending the case.  With sve_vls, the vCPU has SVE at
 * those lengths.  0 or -errno.
 */
int diff_vm_open(struct vmc *v, const uint64_t *sve_vls);
/* the same with KVM_ARM_VCPU_INIT features (bits of features[0]) */
int diff_vm_open_features(struct vmc *v, const uint64_t *sve_vls, uint32_t features);
void diff_vm_close(struct vmc *v);
/*
 * The register block a test's cases travel in (difflayout.h: X0-X30 and
 * NZCV; with FP, FPCR, FPSR and V0-V31 as struct fpd_regs; with SVE, also
 * Z0-Z31, P0-P15 and FFR as struct svd_regs).
 */
enum diff_state { DIFF_STATE_GP, DIFF_STATE_FP, DIFF_STATE_SVE };
/*
 * After diff_vm_open() and the test's own setup (CPACR_EL1): let the
 * guest load and store each case's registers itself, through stubs
 * around the case and in the exception vectors, from and to a block in
 * guest RAM, instead of a ONE_REG ioctl for each (each costs vkvm a few
 * system calls: with the stubs a run takes 3 to 6 times less CPU).  Then the
 * test's run() puts its registers beyond X0-X30 and NZCV in
 * diff_vm_block() and takes them from there.  One case in 64 still goes
 * through ONE_REG (VKVM_DIFF_REGS=one-reg: every case; =stubs: none).
 * 1 if installed, 0 if not (one-reg).
 */
int diff_vm_stubs(struct vmc *v, enum diff_state state);
/*
 * The block for the case about to run (diff_run() chooses its way), or
 * NULL when that case's registers go through ONE_REG.
 */
void *diff_vm_block(struct vmc *v);
/* A case's code, literal pool, buffer, X0-X30, NZCV, PC and SP: 0 or -errno */
int diff_vm_load(struct vmc *v, const uint32_t *words, unsigned int nwords,
		 const uint64_t *x, uint64_t nzcv, const uint8_t *buf);
/*
 * After diff_vm_load(): run the case at EL1t, its SP being SP_EL0, for a
 * case that moves SP; the exception vectors keep SP_EL1.  0 or -errno.
 */
int diff_vm_sp_el0(struct vmc *v);
/* Run the loaded case (5 s at most): 0 at its end, else a DIFF_FAULT_* value */
uint64_t diff_vm_run(struct vmc *v);
/* X0-X30, NZCV and the buffer after the run: 0 or -errno */
int diff_vm_save(struct vmc *v, uint64_t *x, uint64_t *nzcv, uint8_t *buf);

/* The options every test takes: see diff_opt() */
struct diff_opts {
	uint64_t seed;
	unsigned int cases, maxshow;
	int index, verbose;
	unsigned int variants;		/* -k: cases a code, 1 to DIFF_MAX_VARIANTS */
	const char *cls;		/* -c CLASS, or NULL for all */
	const char *qemu, *runner;
	char runner_path[PATH_MAX];
};

/* The defaults, with runner the program of that name next to argv0 */
void diff_opts_init(struct diff_opts *o, const char *argv0, const char *runner,
		    uint64_t seed, unsigned int cases);
/*
 * Take opt if it is one of -s SEED, -n CASES, -c CLASS, -i INDEX, -k K,
 * -m MAXSHOW, -v, -R RUNNER and -Q QEMU: 1, or 0 if it is none of them.
 * A K out of 1..DIFF_MAX_VARIANTS: an error, exit 2.
 *
 * -k K (variants): case i runs the code of base case i / K, in its slot
 * (i / K) % DIFF_SLOTS, with inputs of its own: variant 0 (i % K = 0)
 * is the base case itself, exactly the case i / K of -k 1; variant j > 0
 * has the base's code and the inputs the generator's fill makes from a
 * seed of its own (seed ^ DIFF_VARIANT_SEED, class, i), then every
 * input the generator's code constrains (base registers, pointers,
 * predicates...) set again over them.  qemu translates a code once for
 * K cases (a run's CPU is mostly that translation).
 */
int diff_opt(struct diff_opts *o, int opt, const char *arg);

/* -k: the base case whose code case idx runs */
static inline unsigned int diff_base(const struct diff_opts *o, unsigned int idx)
{
	return idx / o->variants;
}

/*
 * -k: a case that is not its base's first (idx % K != 0) must have the
 * same code as the case before it, prev (code_size bytes from the
 * record's start: its word count and words).  0, or -1 after a
 * "Bail out!" line.
 */
int diff_check_variant(const struct diff_opts *o, unsigned int idx, const void *prev,
		       const void *c, size_t code_size);

/* Per class: the cases, and those that faulted under qemu by signal */
struct diff_faults {
	unsigned int cases;
	unsigned int n[5];		/* SIGSEGV, SIGBUS, SIGILL, SIGTRAP, other */
};

void diff_count_fault(struct diff_faults *f, uint64_t qemu_fault);
/* "# NAME: N cases, qemu faults: SIGSEGV n ..." */
void diff_show_faults(const char *name, const struct diff_faults *f);
/*
 * The command line of a test with nclasses classes named by class_name():
 * those options, -c one of the names, -i only with -c (then one case).  On
 * a bad one, print prog's usage and exit 2.  The -c class, or -1 for all.
 */
int diff_parse_args(struct diff_opts *o, int argc, char **argv, const char *prog,
		    int nclasses, const char *(*class_name)(int));

/* A test's records and its vkvm side, for diff_run() */
struct diff_test {
	const char *cpu;		/* qemu-aarch64 -cpu, or NULL */
	size_t case_size, result_size;
	/* the batch's VM: diff_vm_open() and the test's own setup (NULL: the
	 * former alone); 0 or -errno */
	int (*vm_open)(struct vmc *v, void *arg);
	/* one case under vkvm (diff_vm_load(), _run(), _save()): 0 or -errno */
	int (*run)(struct vmc *v, const void *c, void *r);
};

/*
 * The most cases a test holds at once: a class of more is run in chunks
 * of this many, each a diff_run() (a qemu-aarch64 process and a VM),
 * so that memory stays bounded (fpdiff: 15 KiB a case and its results;
 * svediff: 40 KiB) however many cases are asked for.  One code slot a
 * base case: a chunk holds the cases of one class whose indexes start at
 * a multiple of DIFF_CHUNK (or -i's one case), so that case i runs in
 * slot (i / K) % DIFF_SLOTS (-k K), in a run and in its rerun alike.
 */
#define DIFF_CHUNK	DIFF_SLOTS

/*
 * Where a test makes its cases, and where qemu's results arrive, so that
 * no copy of them is made (SVE's: 27 MB each a run of 2048): the cases
 * in the runner's input, the results in its output, each a memfd mapped
 * (MAP_SHARED) for the whole process.  Room for cases or results of
 * size bytes (the same size at every call); NULL after a "Bail out!"
 * line.  diff_run() takes other buffers too, and copies them.
 */
void *diff_cases_buffer(size_t size);
void *diff_results_buffer(size_t size);

/*
 * Run n cases both ways: all of them in one runner process under
 * qemu-aarch64, in the background, and meanwhile one after another under
 * vkvm; their results in qres and vres.  Case j has index first + j (or
 * o->index with -i) and runs in the code slot of its base (diff_base()).
 * 0, or -1 after a "Bail out!" line.
 */
int diff_run(const struct diff_test *t, const struct diff_opts *o, void *arg,
	     const void *cases, void *qres, void *vres, unsigned int n, unsigned int first);

/* vkvm's exception as the signal Linux would deliver for it (qemu's side) */
uint64_t diff_fault_signal(uint64_t fault);

/* TAP diagnostics ("# ..."): a case's heading, its code, its buffer's changes */
void diff_show_head(const struct diff_opts *o, const char *cls, unsigned int idx, int differ);
void diff_disassemble(const uint32_t *words, unsigned int nwords, unsigned int idx);
void diff_show_buf(const uint8_t *in, const uint8_t *q, const uint8_t *v);

/*
 * The test point of one class: "ok N - NAME: ..." or "not ok" with
 * fault_note when cases faulted unexpectedly.  1 if not ok.
 */
int diff_tap(unsigned int n, const char *name, unsigned int cases, uint64_t words,
	     unsigned int bad, unsigned int faults, const char *fault_note);

#endif
