// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the differential tests (see difftest.h).
 *
 * vkvm runs the cases in one VM with one vCPU at EL1h, driven only through
 * the KVM ioctls (vkvm_ioctl).  Guest RAM is identity mapped by a stage-1
 * table the host writes and turns on through ONE_REG, because with
 * SCTLR_EL1.M = 0 every data access would be Device memory and misaligned
 * ones would fault where qemu-user's Normal memory does not:
 *
 *	0x00000000  1 GiB block, Device-nGnRnE: SP_EL1 points at an unbacked
 *		    IPA there, so "str xzr, [sp]" ends a case (KVM_EXIT_MMIO)
 *	0x40000000  2 MiB block, Normal WB, EL1 only: code, vectors, tables
 *	0x40200000  4 KiB page, Normal WB, EL0 and EL1: the data buffer
 *		    (LDTR/STTR need EL0 access; a page EL0 can write is not
 *		    executable at EL1, hence the split); the rest of that
 *		    2 MiB is unmapped, as under qemu-user, so that an access
 *		    past the buffer faults alike (SVE first-fault loads)
 *	0x40800000  2 x 2 MiB blocks, Normal WB, EL1 only: the code slots
 *		    (difflayout.h), one a case of a run, as under qemu
 *
 * A case that takes an exception lands in a vector that stores to
 * [sp, #8]: a second MMIO address, reported with ESR_EL1.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "difftest.h"

extern char **environ;

#define RAM_GPA		DIFF_CODE_VA
#define RAM_SIZE	(DIFF_SLOTS_VA + DIFF_SLOTS * DIFF_SLOT_SIZE - RAM_GPA)
#define VBAR_GPA	(RAM_GPA + 0x1000)
#define L1_GPA		(RAM_GPA + 0x100000)
#define L2_GPA		(RAM_GPA + 0x101000)
#define L3_GPA		(RAM_GPA + 0x102000)
#define END_IPA		0x10000000ULL

#define ESR_EL1		ARM64_SYS_REG(3, 0, 5, 2, 0)
#define VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

#define STR_XZR_SP	0xf90003ffu	/* str xzr, [sp] */
#define STR_XZR_SP8	0xf90007ffu	/* str xzr, [sp, #8] */

/* diff_vm_stubs(): the stubs and the register block they move */
#define ENTER_GPA	(RAM_GPA + 0x2000)	/* loads the block, runs the case */
#define EXIT_GPA	(RAM_GPA + 0x3000)	/* the case's end: stores it */
#define FAULT_GPA	(RAM_GPA + 0x3800)	/* an exception: stores it */
#define TRAMP_GPA	(RAM_GPA + 0x2ffc)	/* the entry stub's last word: b case */
#define SPSEL_GPA	(RAM_GPA + 0xfff0)	/* SPSel to run the case with */
#define BLOCK_GPA	(RAM_GPA + 0x10000)	/* the register block */
#define BLOCK_SIZE	0x3000u

/* ---- the vkvm side ---------------------------------------------------- */

static struct kvm_run *alarm_run;

/* diff_vm_stubs()'s state: how registers travel for the open VM */
static int stubs = -1;		/* -1: through ONE_REG, else an enum diff_state */

/* the page diff_vm_load() puts the case in: its code slot (diff_run()) */
static uint64_t code_va = DIFF_CODE_VA;

static void on_alarm(int sig)
{
	if (alarm_run)
		alarm_run->immediate_exit = 1;
}

int diff_vm_open(struct vmc *v, const uint64_t *sve_vls)
{
	return diff_vm_open_features(v, sve_vls, 0);
}

int diff_vm_open_features(struct vmc *v, const uint64_t *sve_vls, uint32_t features)
{
	uint64_t *l1, *l2, *l3;
	uint32_t *vec;
	int ret;

	ret = vmc_open_features(v, RAM_GPA, RAM_SIZE, sve_vls, features);
	if (ret)
		return ret;
	l1 = vmc_ram(v, L1_GPA);
	l2 = vmc_ram(v, L2_GPA);
	l1[0] = VMC_BLOCK(0ULL, VMC_ATTR_DEVICE, 0);
	l1[1] = VMC_TABLE(L2_GPA);
	l2[0] = VMC_BLOCK(RAM_GPA, VMC_ATTR_NORMAL, 0);
	l2[1] = VMC_TABLE(L3_GPA);
	l3 = vmc_ram(v, L3_GPA);
	l3[0] = VMC_BLOCK(DIFF_BUF_VA, VMC_ATTR_NORMAL, 1) | 2;	/* a page */
	for (uint64_t va = DIFF_SLOTS_VA; va < RAM_GPA + RAM_SIZE; va += 0x200000)
		l2[(va - RAM_GPA) >> 21] = VMC_BLOCK(va, VMC_ATTR_NORMAL, 0);
	vec = vmc_ram(v, VBAR_GPA);
	for (int i = 0; i < 16; i++)
		vec[i * 32] = STR_XZR_SP8;
	ret = vmc_mmu_on(v, L1_GPA);
	ret = ret ?: vmc_set_reg(v, VBAR_EL1, VBAR_GPA);
	if (ret)
		return ret;

	alarm_run = v->run;
	signal(SIGALRM, on_alarm);
	return 0;
}

void diff_vm_close(struct vmc *v)
{
	alarm_run = NULL;
	stubs = -1;
	vmc_close(v);
}

/* ---- the stubs: the guest loads and stores a case's registers ---------- */

/* The A64 encodings the stubs are made of (Arm ARM C6.2) */
#define SR(op0, op1, crn, crm, op2)	((uint32_t)((op0) & 1) << 19 | (op1) << 16 | \
					 (crn) << 12 | (crm) << 8 | (op2) << 5)
#define SR_NZCV		SR(3, 3, 4, 2, 0)
#define SR_FPCR		SR(3, 3, 4, 4, 0)
#define SR_FPSR		SR(3, 3, 4, 4, 1)
#define SR_SP_EL0	SR(3, 0, 4, 1, 0)
#define SR_SPSEL	SR(3, 0, 4, 2, 0)
#define SR_TPIDR_EL1	SR(3, 0, 13, 0, 4)
#define MSR_SPSEL_1	0xd50041bfu	/* msr spsel, #1 */
#define XTMP		29		/* the stubs' scratch register... */
#define XBASE		30		/* ...and their base: the block */

struct emit {
	uint32_t *w;
	uint64_t pc;
};

static void put(struct emit *e, uint32_t insn)
{
	*e->w++ = insn;
	e->pc += 4;
}

static uint32_t a64_b(uint64_t pc, uint64_t to)
{
	return 0x14000000u | (uint32_t)((to - pc) >> 2 & 0x3ffffff);
}

static void adr(struct emit *e, unsigned int d, uint64_t to)
{
	uint64_t off = to - e->pc;

	put(e, 0x10000000u | (uint32_t)(off & 3) << 29 | (uint32_t)(off >> 2 & 0x7ffff) << 5 | d);
}

static void msr(struct emit *e, uint32_t sr, unsigned int t)
{
	put(e, 0xd5100000u | sr | t);
}

static void mrs(struct emit *e, uint32_t sr, unsigned int t)
{
	put(e, 0xd5300000u | sr | t);
}

/* LDR/STR Xt, [Xn, #off] (unsigned offset) */
static void ldst_x(struct emit *e, bool load, unsigned int t, unsigned int n, unsigned int off)
{
	put(e, (load ? 0xf9400000u : 0xf9000000u) | (off / 8) << 10 | n << 5 | t);
}

/* LDP/STP Xt, Xt2 or Qt, Qt2, [Xn, #off] (signed offset) */
static void ldst_pair(struct emit *e, bool load, bool q, unsigned int t, unsigned int n,
		      unsigned int off)
{
	uint32_t op = q ? (load ? 0xad400000u : 0xad000000u) : (load ? 0xa9400000u : 0xa9000000u);

	put(e, op | (off / (q ? 16 : 8) & 0x7f) << 15 | (t + 1) << 10 | n << 5 | t);
}

/* XTMP = XBASE + off */
static void tmp_at(struct emit *e, unsigned int off)
{
	unsigned int n = XBASE;

	if (off >> 12) {
		put(e, 0x91400000u | (off >> 12) << 10 | n << 5 | XTMP);	/* lsl #12 */
		n = XTMP;
	}
	put(e, 0x91000000u | (off & 0xfff) << 10 | n << 5 | XTMP);
}

/* X0-X29 and NZCV (via XTMP); X30 comes last, apart */
static void gp_regs(struct emit *e, bool load)
{
	if (load) {
		ldst_x(e, true, XTMP, XBASE, DIFF_REG_NZCV);
		msr(e, SR_NZCV, XTMP);
	}
	for (unsigned int i = 0; i < 30; i += 2)
		ldst_pair(e, load, false, i, XBASE, 8 * i);
	if (!load) {
		mrs(e, SR_NZCV, XTMP);
		ldst_x(e, false, XTMP, XBASE, DIFF_REG_NZCV);
	}
}

/* FPCR, FPSR and the vector state of the block (via XTMP and, storing, P0) */
static void vec_regs(struct emit *e, bool load, enum diff_state state)
{
	if (state == DIFF_STATE_GP)
		return;
	if (!load) {
		mrs(e, SR_FPCR, XTMP);
		ldst_x(e, false, XTMP, XBASE, DIFF_REG_FPCR);
		mrs(e, SR_FPSR, XTMP);
		ldst_x(e, false, XTMP, XBASE, DIFF_REG_FPSR);
	} else {
		ldst_x(e, true, XTMP, XBASE, DIFF_REG_FPCR);
		msr(e, SR_FPCR, XTMP);
		ldst_x(e, true, XTMP, XBASE, DIFF_REG_FPSR);
		msr(e, SR_FPSR, XTMP);
	}
	if (state == DIFF_STATE_FP) {
		for (unsigned int i = 0; i < 32; i += 2)
			ldst_pair(e, load, true, i, XBASE, DIFF_REG_VEC + 16 * i);
		return;
	}
	/* SVE: struct svd_regs (tests/svediff/svecase.h), FFR through P0 */
	if (load) {
		tmp_at(e, DIFF_SVE_FFR);
		put(e, 0x85800000u | XTMP << 5);		/* ldr p0, [xtmp] */
		put(e, 0x25289000u);				/* wrffr p0.b */
	}
	for (unsigned int i = 0; i < 32; i++) {
		tmp_at(e, DIFF_REG_VEC + 256 * i);
		put(e, (load ? 0x85804000u : 0xe5804000u) | XTMP << 5 | i);	/* ldr/str zi */
	}
	for (unsigned int i = 0; i < 16; i++) {
		tmp_at(e, DIFF_SVE_P + 32 * i);
		put(e, (load ? 0x85800000u : 0xe5800000u) | XTMP << 5 | i);	/* ldr/str pi */
	}
	if (!load) {
		put(e, 0x2519f000u);				/* rdffr p0.b */
		tmp_at(e, DIFF_SVE_FFR);
		put(e, 0xe5800000u | XTMP << 5);		/* str p0, [xtmp] */
		tmp_at(e, DIFF_SVE_P);
		put(e, 0x85800000u | XTMP << 5);		/* ldr p0, [xtmp] */
	}
}

/*
 * The stub that stores the state after a case (at its end, with X30 in
 * TPIDR_EL1) or at an exception, puts X29 and X30 (and P0) back, so that
 * ONE_REG still reads the case's state, and ends the case with a store
 * to the unbacked IPA at SP_EL1 + end.
 */
static void save_stub(struct emit *e, enum diff_state state, uint32_t end)
{
	adr(e, XBASE, BLOCK_GPA);
	gp_regs(e, false);
	mrs(e, SR_TPIDR_EL1, XTMP);
	ldst_x(e, false, XTMP, XBASE, DIFF_REG_X30);
	vec_regs(e, false, state);
	ldst_x(e, true, XTMP, XBASE, 8 * XTMP);
	ldst_x(e, true, XBASE, XBASE, DIFF_REG_X30);
	put(e, MSR_SPSEL_1);
	put(e, end);
}

int diff_vm_stubs(struct vmc *v, enum diff_state state)
{
	struct emit e = { vmc_ram(v, ENTER_GPA), ENTER_GPA };
	const char *env = getenv("VKVM_DIFF_REGS");
	uint32_t *vec = vmc_ram(v, VBAR_GPA);

	if (env && !strcmp(env, "one-reg"))
		return 0;
	/* in: SP_EL1 and SP_EL0 the unbacked IPA, SPSel, the block, the case */
	put(&e, 0xd2a00000u | (uint32_t)(END_IPA >> 16) << 5 | XBASE);	/* movz x30, #, lsl 16 */
	put(&e, 0x91000000u | XBASE << 5 | 31);				/* mov sp, x30 */
	msr(&e, SR_SP_EL0, XBASE);
	adr(&e, XBASE, SPSEL_GPA);
	ldst_x(&e, true, XTMP, XBASE, 0);
	msr(&e, SR_SPSEL, XTMP);
	adr(&e, XBASE, BLOCK_GPA);
	vec_regs(&e, true, state);
	gp_regs(&e, true);
	ldst_x(&e, true, XBASE, XBASE, DIFF_REG_X30);
	put(&e, a64_b(e.pc, TRAMP_GPA));	/* diff_vm_load() writes the branch there */

	/* out: the case's trailer branches here */
	e = (struct emit){ vmc_ram(v, EXIT_GPA), EXIT_GPA };
	msr(&e, SR_TPIDR_EL1, XBASE);
	save_stub(&e, state, STR_XZR_SP);

	/* an exception: each vector saves X30 and branches to the same */
	e = (struct emit){ vmc_ram(v, FAULT_GPA), FAULT_GPA };
	save_stub(&e, state, STR_XZR_SP8);
	for (int i = 0; i < 16; i++) {
		vec[i * 32] = 0xd5100000u | SR_TPIDR_EL1 | XBASE;
		vec[i * 32 + 1] = a64_b(VBAR_GPA + 128 * i + 4, FAULT_GPA);
	}
	stubs = (int)state;
	return 1;
}

/*
 * Whether the case about to run takes the stubs: all do but one in 64
 * (or all with VKVM_DIFF_REGS=stubs), which takes ONE_REG so that that
 * way stays tested; chosen by the case's first bytes, its code, so that
 * a rerun of one case (-i) takes the same way.
 */
static bool case_stubs;

static void choose_way(const void *c, size_t size)
{
	const uint8_t *p = c;
	const char *env = getenv("VKVM_DIFF_REGS");
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size && i < 64; i++)
		h = (h ^ p[i]) * 16777619u;
	case_stubs = stubs >= 0 && ((env && !strcmp(env, "stubs")) || (h >> 8) % 64);
}

void *diff_vm_block(struct vmc *v)
{
	return case_stubs ? vmc_ram(v, BLOCK_GPA) : NULL;
}

int diff_vm_load(struct vmc *v, const uint32_t *words, unsigned int nwords,
		 const uint64_t *x, uint64_t nzcv, const uint8_t *buf)
{
	uint64_t entry = code_va + (DIFF_ENTRY_VA - DIFF_CODE_VA);
	uint32_t *w = vmc_ram(v, entry);
	uint8_t *pool = vmc_ram(v, code_va), *block = vmc_ram(v, BLOCK_GPA);
	int ret = 0;

	if (nwords > DIFF_SLOT_WORDS)
		return -EINVAL;
	for (unsigned int i = 0; i < DIFF_POOL_SIZE; i++)
		pool[i] = diff_pool_byte(i);
	memcpy(w, words, 4 * nwords);
	memcpy(vmc_ram(v, DIFF_BUF_VA), buf, DIFF_BUF_SIZE);
	if (case_stubs) {
		uint64_t spsel = 1;

		w[nwords] = a64_b(entry + 4 * nwords, EXIT_GPA);
		*(uint32_t *)vmc_ram(v, TRAMP_GPA) = a64_b(TRAMP_GPA, entry);
		memcpy(block, x, 31 * 8);
		nzcv &= DIFF_NZCV_MASK;
		memcpy(block + DIFF_REG_NZCV, &nzcv, 8);
		memcpy(vmc_ram(v, SPSEL_GPA), &spsel, 8);
		ret = vmc_set_reg(v, VMC_CORE(regs.pc), ENTER_GPA);
		return ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate), VMC_PSTATE_EL1H);
	}
	w[nwords] = STR_XZR_SP;
	for (int i = 0; i < 31 && !ret; i++)
		ret = vmc_set_reg(v, VMC_X(i), x[i]);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pc), entry);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate),
				 VMC_PSTATE_EL1H | (nzcv & DIFF_NZCV_MASK));
	ret = ret ?: vmc_set_reg(v, VMC_CORE(sp_el1), END_IPA);
	return ret;
}

int diff_vm_sp_el0(struct vmc *v)
{
	uint64_t pstate;
	int ret;

	if (case_stubs) {
		memset(vmc_ram(v, SPSEL_GPA), 0, 8);	/* the entry stub sets SP_EL0 */
		return 0;
	}
	ret = vmc_get_reg(v, VMC_CORE(regs.pstate), &pstate);
	ret = ret ?: vmc_set_reg(v, VMC_CORE(regs.pstate), (pstate & ~0xfULL) | 4);	/* EL1t */
	return ret ?: vmc_set_reg(v, VMC_CORE(regs.sp), END_IPA);
}

uint64_t diff_vm_run(struct vmc *v)
{
	struct itimerval it = { .it_value = { .tv_sec = 5 } };
	uint64_t fault = 0;
	int ret;

	v->run->immediate_exit = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	ret = vmc_run(v);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	if (ret) {
		fault = DIFF_FAULT_RUN | (uint64_t)-ret;
	} else if (v->run->exit_reason != KVM_EXIT_MMIO) {
		fault = DIFF_FAULT_EXIT | v->run->exit_reason;
	} else if (v->run->mmio.phys_addr != END_IPA) {
		uint64_t esr = 0;

		vmc_get_reg(v, ESR_EL1, &esr);
		fault = DIFF_FAULT_ESR | esr;
	}
	if (!ret && v->run->exit_reason == KVM_EXIT_MMIO) {
		/*
		 * Complete the store now, as KVM does on the next KVM_RUN
		 * (immediate_exit returns before running): otherwise the
		 * completion would advance the next case's PC past its first
		 * instruction.
		 */
		v->run->immediate_exit = 1;
		vmc_run(v);
		v->run->immediate_exit = 0;
	}
	return fault;
}

int diff_vm_save(struct vmc *v, uint64_t *x, uint64_t *nzcv, uint8_t *buf)
{
	uint64_t pstate;
	int ret = 0;

	memcpy(buf, vmc_ram(v, DIFF_BUF_VA), DIFF_BUF_SIZE);
	if (case_stubs) {
		const uint8_t *block = vmc_ram(v, BLOCK_GPA);

		memcpy(x, block, 31 * 8);
		memcpy(nzcv, block + DIFF_REG_NZCV, 8);
		*nzcv &= DIFF_NZCV_MASK;
		return 0;
	}
	for (int i = 0; i < 31 && !ret; i++)
		ret = vmc_get_reg(v, VMC_X(i), &x[i]);
	ret = ret ?: vmc_get_reg(v, VMC_CORE(regs.pstate), &pstate);
	if (ret)
		return ret;
	*nzcv = pstate & DIFF_NZCV_MASK;
	return 0;
}

/* ---- options ---------------------------------------------------------- */

void diff_opts_init(struct diff_opts *o, const char *argv0, const char *runner,
		    uint64_t seed, unsigned int cases)
{
	const char *slash = strrchr(argv0, '/');

	memset(o, 0, sizeof(*o));
	o->seed = seed;
	o->cases = cases;
	o->maxshow = 3;
	o->index = -1;
	o->variants = 1;
	o->qemu = "qemu-aarch64";
	if (slash)
		snprintf(o->runner_path, sizeof(o->runner_path), "%.*s/%s",
			 (int)(slash - argv0), argv0, runner);
	else
		snprintf(o->runner_path, sizeof(o->runner_path), "./%s", runner);
	o->runner = o->runner_path;
}

/* -k K: 1 to DIFF_MAX_VARIANTS, else a clear error and exit 2 */
static unsigned int parse_variants(const char *arg)
{
	char *end;
	unsigned long k = strtoul(arg, &end, 10);

	if (!*arg || *end || k < 1 || k > DIFF_MAX_VARIANTS) {
		fprintf(stderr, "-k %s: the cases a code (variants) must be a number from 1 to %u\n",
			arg, DIFF_MAX_VARIANTS);
		exit(2);
	}
	return (unsigned int)k;
}

int diff_opt(struct diff_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 'k': o->variants = parse_variants(arg); break;
	case 's': o->seed = strtoull(arg, NULL, 0); break;
	case 'n': o->cases = (unsigned int)strtoul(arg, NULL, 0); break;
	case 'c': o->cls = arg; break;
	case 'i': o->index = atoi(arg); break;
	case 'm': o->maxshow = (unsigned int)strtoul(arg, NULL, 0); break;
	case 'v': o->verbose++; break;
	case 'R': o->runner = arg; break;
	case 'Q': o->qemu = arg; break;
	default: return 0;
	}
	return 1;
}

static void usage(const char *prog, int nclasses, const char *(*class_name)(int))
{
	fprintf(stderr, "usage: %s [-s SEED] [-n CASES] [-c CLASS] [-i INDEX] [-k K] "
		"[-m MAXSHOW] [-v] [-R RUNNER] [-Q QEMU]\nclasses:", prog);
	for (int i = 0; i < nclasses; i++)
		fprintf(stderr, " %s", class_name(i));
	fprintf(stderr, "\n");
	exit(2);
}

int diff_parse_args(struct diff_opts *o, int argc, char **argv, const char *prog,
		    int nclasses, const char *(*class_name)(int))
{
	int opt, cls = -1;

	while ((opt = getopt(argc, argv, "s:n:c:i:k:m:vR:Q:")) != -1) {
		if (!diff_opt(o, opt, optarg))
			usage(prog, nclasses, class_name);
		if (opt != 'c')
			continue;
		for (cls = nclasses - 1; cls >= 0; cls--)
			if (!strcmp(o->cls, class_name(cls)))
				break;
		if (cls < 0)
			usage(prog, nclasses, class_name);
	}
	if (o->index >= 0 && cls < 0)
		usage(prog, nclasses, class_name);
	if (o->index >= 0)
		o->cases = 1;
	return cls;
}

/* ---- both sides ------------------------------------------------------- */

/*
 * A run's cases and results: in memory, not through a file system's
 * write path (an ext4 /tmp cost a run a few per cent), and the same two
 * memfds for every run of the process, so that a run writes over the
 * pages of the one before instead of the kernel allocating and clearing
 * them again (SVE's cases and results: 54 MB a run of 2048).
 */
static int run_fds[2] = { -1, -1 };

static int tmpfile_fd(int which)
{
	if (run_fds[which] < 0)
		run_fds[which] = memfd_create("vkvm-diff", MFD_CLOEXEC);
	return run_fds[which];
}

/* diff_cases_buffer() and diff_results_buffer(): the memfds mapped */
static uint8_t *run_maps[2];
static size_t run_map_sizes[2];

/* room for size bytes from offset at, which stay the memfd's (it never shrinks) */
static void *run_buffer(int which, size_t at, size_t size)
{
	int fd = tmpfile_fd(which);
	void *p;

	if (run_maps[which]) {
		if (run_map_sizes[which] == at + size)
			return run_maps[which] + at;
		printf("Bail out! a run buffer of %zu bytes after one of %zu\n", size,
		       run_map_sizes[which] - at);
		return NULL;
	}
	if (fd < 0 || ftruncate(fd, (off_t)(at + size))) {
		printf("Bail out! run memfd: %s\n", strerror(errno));
		return NULL;
	}
	p = mmap(NULL, at + size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("Bail out! mapping the run memfd: %s\n", strerror(errno));
		return NULL;
	}
	run_maps[which] = p;
	run_map_sizes[which] = at + size;
	return run_maps[which] + at;
}

void *diff_cases_buffer(size_t size)
{
	return run_buffer(0, DIFF_RUN_RECORDS, size);
}

void *diff_results_buffer(size_t size)
{
	return run_buffer(1, 0, size);
}

/* write() and pread() move at most 2 GiB a call: loop (a long run's cases
 * and results can be more) */
static int write_all(int fd, const void *p, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, (const char *)p + done, size - done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int pread_all(int fd, void *p, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = pread(fd, (char *)p + done, size - done, (off_t)done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The runner under qemu-aarch64, over a temporary file of cases */
struct qemu {
	const char *qemu, *runner;
	int in_fd, out_fd;
	pid_t pid;
};

static int qemu_start(struct qemu *q, const struct diff_opts *o, const char *cpu,
		      const void *cases, size_t size, unsigned int n, unsigned int first)
{
	posix_spawn_file_actions_t fa;
	char *argv[5];
	int argc = 0, err;
	uint8_t page[DIFF_RUN_RECORDS] = { 0 };
	struct diff_run_head head = {
		.magic = DIFF_RUN_MAGIC,
		.first = o->index >= 0 ? (uint32_t)o->index : first,
		.variants = o->variants,
		.count = n,
	};
	bool in_place = run_maps[0] && cases == run_maps[0] + DIFF_RUN_RECORDS;

	q->qemu = o->qemu;
	q->runner = o->runner;
	q->in_fd = tmpfile_fd(0);
	q->out_fd = tmpfile_fd(1);
	memcpy(page, &head, sizeof(head));
	/* the head, then the cases unless made in place (diff_cases_buffer());
	 * the output from its start (qemu_finish() checks where it ends) */
	if (q->in_fd < 0 || q->out_fd < 0 || lseek(q->in_fd, 0, SEEK_SET) != 0 ||
	    write_all(q->in_fd, page, sizeof(page)) ||
	    (!in_place && write_all(q->in_fd, cases, size)) ||
	    lseek(q->in_fd, 0, SEEK_SET) != 0 || lseek(q->out_fd, 0, SEEK_SET) != 0) {
		printf("Bail out! temporary files: %s\n", strerror(errno));
		return -1;
	}
	/*
	 * posix_spawn(), not fork(): a fork() of this process (its cases,
	 * results and VM: tens of MB) copied its page tables and made every
	 * page it wrote next a copy-on-write fault
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, q->in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, q->out_fd, 1);
	argv[argc++] = (char *)q->qemu;
	if (cpu) {
		argv[argc++] = (char *)"-cpu";
		argv[argc++] = (char *)cpu;
	}
	argv[argc++] = (char *)q->runner;
	argv[argc] = NULL;
	err = posix_spawnp(&q->pid, q->qemu, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		printf("Bail out! %s: %s\n", q->qemu, strerror(err));
		return -1;
	}
	return 0;
}

static int qemu_finish(struct qemu *q, void *results, size_t size)
{
	int status = 0, ret = -1;

	if (waitpid(q->pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		printf("Bail out! %s %s failed (status %#x)\n", q->qemu, q->runner, status);
	else if (lseek(q->out_fd, 0, SEEK_CUR) != (off_t)size ||
		 (results != run_maps[1] && pread_all(q->out_fd, results, size)))
		printf("Bail out! short output from %s\n", q->runner);
	else
		ret = 0;
	return ret;
}

int diff_run(const struct diff_test *t, const struct diff_opts *o, void *arg,
	     const void *cases, void *qres, void *vres, unsigned int n, unsigned int first)
{
	struct qemu q;
	struct vmc v;
	int ret;

	if (n > DIFF_SLOTS) {
		printf("Bail out! %u cases in a run, at most %u\n", n, DIFF_SLOTS);
		return -1;
	}
	if (qemu_start(&q, o, t->cpu, cases, n * t->case_size, n, first))
		return -1;
	ret = t->vm_open ? t->vm_open(&v, arg) : diff_vm_open(&v, NULL);
	if (ret) {
		printf("Bail out! vkvm VM setup: %s\n", strerror(-ret));
		return -1;
	}
	for (unsigned int j = 0; j < n; j++) {
		/* case j has index first + j, or -i's: its base's slot (diff_slot_va()) */
		code_va = diff_slot_va(diff_base(o, o->index >= 0 ? (unsigned int)o->index
								  : first + j));
		choose_way((const uint8_t *)cases + j * t->case_size, t->case_size);
		ret = t->run(&v, (const uint8_t *)cases + j * t->case_size,
			     (uint8_t *)vres + j * t->result_size);
		if (ret) {
			printf("Bail out! vkvm run: %s\n", strerror(-ret));
			return -1;
		}
	}
	code_va = DIFF_CODE_VA;
	diff_vm_close(&v);
	return qemu_finish(&q, qres, n * t->result_size);
}

/* ---- reports ---------------------------------------------------------- */

uint64_t diff_fault_signal(uint64_t fault)
{
	uint64_t esr = fault & ~(0xfULL << 60), ec = esr >> 26 & 0x3f;

	if ((fault >> 60) != (DIFF_FAULT_ESR >> 60))
		return fault;
	if (ec == 0x25 && (esr & 0x3f) == 0x21)
		return SIGBUS;		/* alignment fault */
	if (ec == 0x25 || ec == 0x21)
		return SIGSEGV;
	if (ec == 0x00)
		return SIGILL;
	if (ec == 0x3c)
		return SIGTRAP;
	return fault;
}

void diff_show_head(const struct diff_opts *o, const char *cls, unsigned int idx, int differ)
{
	printf("# %s class %s seed %#" PRIx64 " case %u (rerun: -s %#" PRIx64
	       " -c %s -i %u -k %u)\n", differ ? "MISMATCH" : "case", cls, o->seed, idx, o->seed,
	       cls, idx, o->variants);
}

int diff_check_variant(const struct diff_opts *o, unsigned int idx, const void *prev,
		       const void *c, size_t code_size)
{
	if (!(idx % o->variants) || !memcmp(prev, c, code_size))
		return 0;
	printf("Bail out! case %u (-k %u) has not the code of case %u, its base's: "
	       "the generator's code depends on its inputs\n", idx, o->variants, idx - 1);
	return -1;
}

void diff_count_fault(struct diff_faults *f, uint64_t fault)
{
	static const uint64_t sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP };
	unsigned int i = 0;

	while (i < 4 && fault != sigs[i])
		i++;
	f->cases++;
	if (fault)
		f->n[i]++;
}

void diff_show_faults(const char *name, const struct diff_faults *f)
{
	printf("# %s: %u cases, qemu faults: SIGSEGV %u SIGBUS %u SIGILL %u SIGTRAP %u "
	       "other %u\n", name, f->cases, f->n[0], f->n[1], f->n[2], f->n[3], f->n[4]);
}

/* objdump's listing of the words of base case idx (diff_base()) at its slot's address,
 * or the words themselves */
void diff_disassemble(const uint32_t *words, unsigned int nwords, unsigned int idx)
{
	char path[] = "/tmp/vkvm-diff-XXXXXX", cmd[256], line[256];
	FILE *f, *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	f = fdopen(fd, "wb");
	fwrite(words, 4, nwords, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=%#llx %s 2>&1",
		 (unsigned long long)diff_slot_entry(idx), path);
	p = popen(cmd, "r");
	if (p) {
		int body = 0;

		while (fgets(line, sizeof(line), p)) {
			if (strstr(line, ">:"))
				body = 1;
			else if (body && line[0] != '\n')
				printf("#   %s", line);
		}
		pclose(p);
	} else {
		for (unsigned int i = 0; i < nwords; i++)
			printf("#   %08x\n", words[i]);
	}
	unlink(path);
}

/* The buffer's doublewords that differ, by their offset from x28 */
void diff_show_buf(const uint8_t *in, const uint8_t *q, const uint8_t *v)
{
	for (unsigned int i = 0; i < DIFF_BUF_SIZE; i += 8) {
		uint64_t a, b, c;

		memcpy(&c, in + i, 8);
		memcpy(&a, q + i, 8);
		memcpy(&b, v + i, 8);
		if (a != b)
			printf("#   buf[x28%+d] in %016" PRIx64 " qemu %016" PRIx64
			       " vkvm %016" PRIx64 "  <--\n",
			       (int)i - (int)(DIFF_BUF_SIZE / 2), c, a, b);
	}
}

int diff_tap(unsigned int n, const char *name, unsigned int cases, uint64_t words,
	     unsigned int bad, unsigned int faults, const char *fault_note)
{
	printf("%s %u - %s: %u cases, %" PRIu64 " instructions, %u mismatches%s\n",
	       bad || faults ? "not ok" : "ok", n, name, cases, words, bad,
	       faults ? fault_note : "");
	return bad || faults;
}
