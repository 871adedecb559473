// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction fuzzer: pages of random and of structured instruction
 * words run through the whole KVM_RUN path of libvkvm, chained (threaded
 * dispatch, as every guest runs) and single-stepped, with the MMU off and
 * on (identity tables with 4K, 16K and 64K granules).  The guest's
 * exception vectors count each exception and skip the instruction that
 * took it, so a page runs to its end, where a store to TERM_IPA ends the
 * case; a POSIX timer bounds each case (it sets kvm_run.immediate_exit,
 * which the engine polls, and its signal ends a WFI sleep), so a guest
 * loop costs a few milliseconds, never a hang.
 *
 * Random words mostly decode as undefined; structured words are made from
 * the engine's own decode patterns (match | random don't-care bits), so
 * that every class is reached.  The coverage figure is the number of
 * distinct decode patterns the engine decoded while running (decode.c's
 * decode_coverage), per mode.
 *
 * Guest RAM has PROT_NONE guard pages on both sides: the engine touching
 * host memory outside it faults.  Fails on a KVM_EXIT_INTERNAL_ERROR (the
 * engine could not go on) or a KVM_RUN error.  FUZZ_CASES, FUZZ_SEED and
 * FUZZ_CASE_MS override the defaults; FUZZ_VERBOSE=1 lists the patterns
 * never reached, FUZZ_TRACE=1 single-steps every case and prints each step.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

/* kernel/cpu/decode.c: coverage for this fuzzer */
extern uint32_t *decode_coverage;
unsigned int decode_nr_patterns(void);
bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name);

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	(4ULL << 20)
#define VEC_GPA		RAM_GPA			/* VBAR_EL1: 2 KiB of vectors */
#define CODE_GPA	(RAM_GPA + 0x10000)	/* the fuzzed page */
#define CODE_WORDS	1024
#define TERM_GPA	(CODE_GPA + 4 * CODE_WORDS)
#define PT_GPA		(RAM_GPA + 0x100000)	/* stage-1 tables */
#define TERM_IPA	0x0a000000ULL		/* no memslot: an MMIO exit */
#define GUARD		65536

#define REG_CORE(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_CORE_REG(name))
#define REG_SYS(...)	ARM64_SYS_REG(__VA_ARGS__)
#define SCTLR_EL1	REG_SYS(3, 0, 1, 0, 0)
#define CPACR_EL1	REG_SYS(3, 0, 1, 0, 2)
#define TTBR0_EL1	REG_SYS(3, 0, 2, 0, 0)
#define TCR_EL1		REG_SYS(3, 0, 2, 0, 2)
#define MAIR_EL1	REG_SYS(3, 0, 10, 2, 0)
#define VBAR_EL1	REG_SYS(3, 0, 12, 0, 0)
#define TPIDRRO_EL0	REG_SYS(3, 3, 13, 0, 3)

/*
 * Each of the 16 vectors: count the exception in TPIDRRO_EL0 and return
 * past the instruction that took it; when that is outside the fuzzed page
 * (a branch left it), to one of 256 places in the page picked by the count;
 * after EXC_LIMIT exceptions, to the terminator.  x0 and x1 are saved in
 * TPIDR_EL1 and TPIDR_EL0; NZCV comes back from SPSR_EL1.
 */
#define EXC_LIMIT	4095
static const uint32_t vector_code[] = {
	0xd518d080,	/* msr tpidr_el1, x0 */
	0xd51bd041,	/* msr tpidr_el0, x1 */
	0xd53bd060,	/* mrs x0, tpidrro_el0 */
	0x91000400,	/* add x0, x0, #1 */
	0xd51bd060,	/* msr tpidrro_el0, x0 */
	0xd5384021,	/* mrs x1, elr_el1 */
	0x91001021,	/* add x1, x1, #4 */
	0xf13ffc1f,	/* cmp x0, #4095		EXC_LIMIT */
	0x540001a2,	/* b.hs term */
	0xd2b00020,	/* movz x0, #0x8001, lsl #16	CODE_GPA */
	0xcb000020,	/* sub x0, x1, x0 */
	0xf140041f,	/* cmp x0, #1, lsl #12		4 * CODE_WORDS */
	0x540000a3,	/* b.lo done */
	0xd53bd060,	/* mrs x0, tpidrro_el0 */
	0xd37c1c00,	/* ubfiz x0, x0, #4, #8 */
	0xd2b00021,	/* movz x1, #0x8001, lsl #16	CODE_GPA */
	0xaa000021,	/* orr x1, x1, x0 */
	0xd5184021,	/* done: msr elr_el1, x1 */
	0xd53bd041,	/* mrs x1, tpidr_el0 */
	0xd538d080,	/* mrs x0, tpidr_el1 */
	0xd69f03e0,	/* eret */
	0xd2b00021,	/* term: movz x1, #0x8001, lsl #16 */
	0xf2820001,	/* movk x1, #0x1000		TERM_GPA */
	0x17fffffa,	/* b done */
};

/* Past the page: a store to TERM_IPA ends the case. */
static const uint32_t term_code[] = {
	0xd2a14000,	/* movz x0, #0x0a00, lsl #16	TERM_IPA */
	0xf9000000,	/* str x0, [x0] */
	0x17fffffe,	/* b .-8 */
};

struct fuzz {
	int sys, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *ram;
	struct kvm_vcpu_init init;
	timer_t timer;
	long case_ns;
};

enum { MODE_RANDOM, MODE_STRUCTURED, NR_MODES };
enum { MMU_OFF, MMU_4K, MMU_16K, MMU_64K, NR_MMU };
static const char *const mode_name[] = { "random", "structured" };
static const char *const mmu_name[] = { "MMU off", "4K", "16K", "64K" };

struct stats {
	unsigned long cases, words, ended, timed_out, exits, mmio, nisv;
	unsigned long sysevent, other, steps;
	uint64_t exceptions;
	unsigned long internal, run_errors;
};

static uint64_t rng;
static volatile sig_atomic_t armed;
static struct kvm_run *volatile timer_run;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The per-case bound: a timer signal sets immediate_exit, as a VMM's kick does. */
static void on_timer(int sig)
{
	(void)sig;
	if (armed && timer_run)
		timer_run->immediate_exit = 1;
}

static int arm_timer(struct fuzz *f, bool on)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (on) {
		f->run->immediate_exit = 0;
		its.it_value.tv_nsec = f->case_ns;
		/* again every millisecond: a signal that lands between the
		 * WFI path's look at immediate_exit and its sleep is not lost */
		its.it_interval.tv_nsec = 1000000;
		armed = 1;
	} else {
		armed = 0;
	}
	if (timer_settime(f->timer, 0, &its, NULL))
		return -errno;
	if (!on)
		f->run->immediate_exit = 0;
	return 0;
}

static int set_reg(struct fuzz *f, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return vkvm_ioctl(f->vcpu, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

static int get_reg(struct fuzz *f, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(f->vcpu, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

static void *ram_ptr(struct fuzz *f, uint64_t gpa)
{
	return f->ram + (gpa - RAM_GPA);
}

static int fuzz_open(struct fuzz *f)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	struct kvm_enable_cap nisv = { .cap = KVM_CAP_ARM_NISV_TO_USER };
	uint64_t vls[KVM_ARM64_SVE_VLS_WORDS];
	int feature = KVM_ARM_VCPU_SVE;
	struct sigevent sev;
	struct sigaction sa;
	uint8_t *m;
	long sz;

	f->sys = vkvm_open(O_RDWR);
	if (f->sys < 0)
		return -errno;
	f->vm = vkvm_ioctl(f->sys, KVM_CREATE_VM, 0);
	if (f->vm < 0)
		return -errno;
	m = mmap(NULL, RAM_SIZE + 2 * GUARD, PROT_NONE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	f->ram = m + GUARD;
	if (mprotect(f->ram, RAM_SIZE, PROT_READ | PROT_WRITE))
		return -errno;
	mem.userspace_addr = (uint64_t)(uintptr_t)f->ram;
	if (vkvm_ioctl(f->vm, KVM_SET_USER_MEMORY_REGION, &mem) < 0 ||
	    vkvm_ioctl(f->vm, KVM_ENABLE_CAP, &nisv) < 0)
		return -errno;
	f->vcpu = vkvm_ioctl(f->vm, KVM_CREATE_VCPU, 0);
	if (f->vcpu < 0)
		return -errno;
	f->init.target = KVM_ARM_TARGET_GENERIC_V8;
	f->init.features[0] = 1u << KVM_ARM_VCPU_SVE;
	if (vkvm_ioctl(f->vcpu, KVM_ARM_VCPU_INIT, &f->init) < 0)
		return -errno;
	{
		struct kvm_one_reg r = { .id = KVM_REG_ARM64_SVE_VLS,
					 .addr = (uint64_t)(uintptr_t)vls };

		/* the supported lengths up to 512 bits */
		if (vkvm_ioctl(f->vcpu, KVM_GET_ONE_REG, &r) < 0)
			return -errno;
		vls[0] &= 0xf;
		memset(&vls[1], 0, sizeof(vls) - sizeof(vls[0]));
		if (vkvm_ioctl(f->vcpu, KVM_SET_ONE_REG, &r) < 0 ||
		    vkvm_ioctl(f->vcpu, KVM_ARM_VCPU_FINALIZE, &feature) < 0)
			return -errno;
	}
	sz = vkvm_ioctl(f->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < 0)
		return -errno;
	f->run = vkvm_mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, f->vcpu, 0);
	if (f->run == MAP_FAILED)
		return -errno;
	f->run_size = (size_t)sz;
	timer_run = f->run;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;
	if (sigaction(SIGUSR1, &sa, NULL))
		return -errno;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &f->timer))
		return -errno;
	return 0;
}

static void fuzz_close(struct fuzz *f)
{
	timer_delete(f->timer);
	timer_run = NULL;
	munmap(f->run, f->run_size);
	vkvm_close(f->vcpu);
	vkvm_close(f->vm);
	vkvm_close(f->sys);
	munmap(f->ram - GUARD, RAM_SIZE + 2 * GUARD);
}

/* ---- identity stage-1 tables: [0, 4 GiB), RAM normal, the rest device,
 * [1 GiB, 2 GiB) unmapped (translation faults) ------------------------------ */

#define D_AF		(1ULL << 10)
#define D_SH_IS		(3ULL << 8)
#define D_ATTR(n)	((uint64_t)(n) << 2)

struct pt {
	struct fuzz *f;
	unsigned int g;		/* granule shift */
	uint64_t next, root;
};

static unsigned int pt_start_level(unsigned int g)
{
	return 3 - (48 - g - 1) / (g - 3);
}

static uint64_t pt_alloc(struct pt *m)
{
	uint64_t a = m->next;

	m->next += 1ULL << m->g;
	memset(ram_ptr(m->f, a), 0, 1ULL << m->g);
	return a;
}

static uint64_t *pt_entry(struct pt *m, uint64_t table, unsigned int level, uint64_t va)
{
	unsigned int stride = m->g - 3, shift = m->g + stride * (3 - level);
	unsigned int bits = level == pt_start_level(m->g) ? 48 - shift : stride;

	return (uint64_t *)ram_ptr(m->f, table + 8 * ((va >> shift) & ((1ULL << bits) - 1)));
}

static void pt_map(struct pt *m, uint64_t va, unsigned int level, uint64_t attrs)
{
	uint64_t table = m->root;
	unsigned int l;

	for (l = pt_start_level(m->g); l < level; l++) {
		uint64_t *e = pt_entry(m, table, l, va);

		if (!(*e & 1))
			*e = pt_alloc(m) | 3;
		table = *e & 0x0000fffffffff000ULL & ~((1ULL << m->g) - 1);
	}
	*pt_entry(m, table, level, va) = va | attrs | 1;
}

static int mmu_on(struct fuzz *f, unsigned int g)
{
	static const unsigned int tg0[] = { [12] = 0, [14] = 2, [16] = 1 };
	/* the level of blocks: 1 GiB (4K), 32 MiB (16K), 512 MiB (64K) */
	unsigned int level = g == 12 ? 1 : 2;
	uint64_t bsize = 1ULL << (g + (g - 3) * (3 - level)), va;
	struct pt m = { .f = f, .g = g, .next = PT_GPA };
	int ret;

	m.root = pt_alloc(&m);
	for (va = 0; va < (4ULL << 30); va += bsize) {
		if (va >= (1ULL << 30) && va < (2ULL << 30))
			continue;
		if (va >= RAM_GPA && va < RAM_GPA + (1ULL << 30))
			pt_map(&m, va, level, D_AF | D_SH_IS | D_ATTR(0));
		else
			pt_map(&m, va, level, D_AF | D_ATTR(1));
	}
	ret = set_reg(f, MAIR_EL1, 0x00ff);
	/* T0SZ 16, WB-WA inner shareable walks, TG0, EPD1, IPS 40 bits */
	ret = ret ?: set_reg(f, TCR_EL1, 16 | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 |
			     (uint64_t)tg0[g] << 14 | 16ULL << 16 | 1ULL << 23 |
			     2ULL << 30 | 2ULL << 32);
	ret = ret ?: set_reg(f, TTBR0_EL1, m.root);
	/* RES1, M, C, I */
	ret = ret ?: set_reg(f, SCTLR_EL1, 0x30d00800ULL | 1 | 1 << 2 | 1 << 12);
	return ret;
}

/* ---- the words ----------------------------------------------------------- */

static unsigned int nr_pat;
static uint32_t *pat_mask, *pat_match;

/*
 * System registers the vCPU has (its REG_LIST), as the op0:op1:CRn:CRm:op2
 * field of MRS/MSR: a random encoding is almost never one, so one
 * structured word in sixteen is an MRS or MSR of a real register, or a
 * DC/IC/AT/TLBI (SYS with CRn 7 or 8) with random operands.
 */
#define MAX_SYSREGS	512
static uint32_t sysreg_enc[MAX_SYSREGS];
static unsigned int nr_sysregs;

static void collect_sysregs(struct fuzz *f)
{
	uint64_t buf[1 + 2048];
	struct kvm_reg_list *l = (struct kvm_reg_list *)buf;
	uint64_t i;

	l->n = 2048;
	if (vkvm_ioctl(f->vcpu, KVM_GET_REG_LIST, l) < 0)
		return;
	for (i = 0; i < l->n && nr_sysregs < MAX_SYSREGS; i++)
		if ((l->reg[i] & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SYSREG)
			sysreg_enc[nr_sysregs++] = (uint32_t)(l->reg[i] & 0xffff);
}

static uint32_t system_word(void)
{
	uint32_t rt = (uint32_t)rnd() & 31, e;

	if (!nr_sysregs || rnd() % 4 == 0)	/* SYS op1, C7|C8, CRm, op2 */
		return 0xd5080000 | ((uint32_t)rnd() & 0x70000) | (7 + (uint32_t)(rnd() & 1)) << 12 |
		       ((uint32_t)rnd() & 0xfe0) | rt;
	e = sysreg_enc[rnd() % nr_sysregs];	/* op0:op1:CRn:CRm:op2, 16 bits */
	return (rnd() & 1 ? 0xd5300000 : 0xd5100000) | ((e >> 14) & 1) << 19 | (e & 0x3fff) << 5 | rt;
}

static uint32_t structured_word(void)
{
	unsigned int i = (unsigned int)(rnd() % nr_pat);

	if (rnd() % 16 == 0)
		return system_word();
	return pat_match[i] | ((uint32_t)rnd() & ~pat_mask[i]);
}

/*
 * Most immediate branches of a structured page skip 1-8 words forward: a
 * page of random backward branches loops until the time bound and runs a
 * few dozen of its words; forward ones run most of the page.
 */
static uint32_t tame_branch(uint32_t w)
{
	uint32_t off = 1 + (uint32_t)(rnd() % 8);

	if (rnd() % 8 == 0)
		return w;
	if ((w & 0x7c000000) == 0x14000000)		/* B, BL */
		return (w & ~0x03ffffffu) | off;
	if ((w & 0xff000000) == 0x54000000 ||		/* B.cond, BC.cond */
	    (w & 0x7e000000) == 0x34000000)		/* CBZ, CBNZ */
		return (w & ~(0x7ffffu << 5)) | off << 5;
	if ((w & 0x7e000000) == 0x36000000)		/* TBZ, TBNZ */
		return (w & ~(0x3fffu << 5)) | off << 5;
	return w;
}

static uint64_t interesting(void)
{
	static const uint64_t fixed[] = {
		0, 1, ~0ULL, 0x8000000000000000ULL, TERM_IPA, 0x40000000ULL, 0x09000000ULL,
	};

	switch (rnd() % 5) {
	case 0: return RAM_GPA + RAM_SIZE - (rnd() % 64);
	case 1: return RAM_GPA + (rnd() % 64) - 32;
	case 2: return fixed[rnd() % (sizeof(fixed) / sizeof(fixed[0]))];
	case 3: return rnd();
	default: return RAM_GPA + 0x200000 + (rnd() % (RAM_SIZE - 0x200000));
	}
}

/* ---- one case -------------------------------------------------------------- */

static int inject_dabt(struct fuzz *f)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	return vkvm_ioctl(f->vcpu, KVM_SET_VCPU_EVENTS, &ev) < 0 ? -errno : 0;
}

static int set_guest_debug(struct fuzz *f, bool step)
{
	struct kvm_guest_debug dbg = { 0 };

	if (step)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	return vkvm_ioctl(f->vcpu, KVM_SET_GUEST_DEBUG, &dbg) < 0 ? -errno : 0;
}

static int setup_case(struct fuzz *f, int mode, int mmu, bool step)
{
	uint32_t *code = ram_ptr(f, CODE_GPA);
	unsigned int i;
	int ret;

	if (vkvm_ioctl(f->vcpu, KVM_ARM_VCPU_INIT, &f->init) < 0)
		return -errno;
	/* the last case may have stored anywhere in RAM */
	memcpy(ram_ptr(f, TERM_GPA), term_code, sizeof(term_code));
	for (i = 0; i < 16; i++)
		memcpy(ram_ptr(f, VEC_GPA + 0x80 * i), vector_code, sizeof(vector_code));
	for (i = 0; i < CODE_WORDS; i++)
		code[i] = mode == MODE_RANDOM || rnd() % 10 == 0 ? (uint32_t)rnd()
								 : tame_branch(structured_word());
	ret = set_reg(f, REG_CORE(regs.pc), CODE_GPA);
	ret = ret ?: set_reg(f, REG_CORE(regs.pstate), 0x3c5);	/* EL1h, DAIF masked */
	for (i = 0; i < 31 && !ret; i++)
		ret = set_reg(f, REG_CORE(regs.regs[i]), interesting());
	ret = ret ?: set_reg(f, REG_CORE(regs.sp), interesting());
	ret = ret ?: set_reg(f, REG_CORE(sp_el1), interesting());
	ret = ret ?: set_reg(f, VBAR_EL1, VEC_GPA);
	ret = ret ?: set_reg(f, TPIDRRO_EL0, 0);
	ret = ret ?: set_reg(f, CPACR_EL1, 3 << 20 | 3 << 16);	/* FP, SVE at EL0/1 */
	if (!ret && mmu != MMU_OFF)
		ret = mmu_on(f, mmu == MMU_4K ? 12 : mmu == MMU_16K ? 14 : 16);
	return ret ?: set_guest_debug(f, step);
}

static bool trace;

/* FUZZ_TRACE=1: every case single-stepped, each step's PC, word and X0 */
static void trace_step(struct fuzz *f)
{
	uint64_t pc = 0, x0 = 0;
	uint32_t w = 0;

	get_reg(f, REG_CORE(regs.pc), &pc);
	get_reg(f, REG_CORE(regs.regs[0]), &x0);
	if (pc >= RAM_GPA && pc < RAM_GPA + RAM_SIZE)
		memcpy(&w, ram_ptr(f, pc), 4);
	printf("# step: pc %#llx %08x x0 %#llx\n", (unsigned long long)pc, w,
	       (unsigned long long)x0);
}

/* Run one case to the terminator, the time bound, or a final exit. */
static void run_case(struct fuzz *f, struct stats *st, bool step)
{
	unsigned int exits;
	uint64_t n = 0;

	arm_timer(f, true);
	for (exits = 0; exits < (step ? 4096u : 1000u); exits++) {
		struct kvm_run *run = f->run;

		if (vkvm_ioctl(f->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR) {
				st->timed_out++;
			} else {
				st->run_errors++;
				printf("# KVM_RUN: %s\n", strerror(errno));
			}
			break;
		}
		st->exits++;
		if (run->exit_reason == KVM_EXIT_MMIO) {
			if (run->mmio.is_write && run->mmio.phys_addr == TERM_IPA) {
				st->ended++;
				break;
			}
			st->mmio++;
			if (!run->mmio.is_write) {
				uint64_t v = rnd();

				memcpy(run->mmio.data, &v, sizeof(run->mmio.data));
			}
			continue;
		}
		if (run->exit_reason == KVM_EXIT_ARM_NISV) {
			st->nisv++;
			if (inject_dabt(f))
				break;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_DEBUG) {
			st->steps++;
			if (trace)
				trace_step(f);
			continue;
		}
		if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
			st->sysevent++;
			break;
		}
		if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
			st->internal++;
			printf("# internal error: ESR %#llx PC %#llx\n",
			       (unsigned long long)run->internal.data[0],
			       (unsigned long long)run->internal.data[1]);
			break;
		}
		st->other++;
		printf("# exit reason %u\n", run->exit_reason);
		break;
	}
	arm_timer(f, false);
	/* the count, unless the guest wrote TPIDRRO_EL0 itself */
	if (!get_reg(f, TPIDRRO_EL0, &n) && n <= EXC_LIMIT)
		st->exceptions += n;
	st->cases++;
	st->words += CODE_WORDS;
}

/*
 * What the fuzzer found, as directed cases: each runs its words right
 * before the terminator and checks a result.  Under SANITIZE=1 the
 * undefined behaviour they once had stops the program.
 */
static int run_words(struct fuzz *f, const uint32_t *w, unsigned int n)
{
	unsigned int i;

	memcpy(ram_ptr(f, TERM_GPA - 4 * n), w, 4 * n);
	if (set_reg(f, REG_CORE(regs.pc), TERM_GPA - 4 * n))
		return -1;
	for (i = 0; i < 8; i++) {
		if (vkvm_ioctl(f->vcpu, KVM_RUN, 0) < 0)
			return -1;
		if (f->run->exit_reason == KVM_EXIT_MMIO && f->run->mmio.phys_addr == TERM_IPA)
			return 0;
	}
	return -1;
}

static int regressions(struct fuzz *f, unsigned int *t)
{
	static const uint32_t abs_2d[] = { 0x4ee0b801 };	/* abs v1.2d, v0.2d */
	/* mov z2.h, #-2048; mov z3.d, p0/m, #-32768 */
	static const uint32_t sve_dup[] = { 0x2578ff02, 0x05d07003 };
	uint64_t v[32] = { 0x8000000000000000ULL, (uint64_t)-5 }, r[32];
	/* an SVE vCPU: V registers are the low bits of the Z registers */
	struct kvm_one_reg one = { .id = KVM_REG_ARM64_SVE_ZREG(0, 0),
				   .addr = (uint64_t)(uintptr_t)v };
	int ok, fails = 0;

	/* ABS of INT64_MIN is INT64_MIN (it was a signed negation overflow) */
	ok = !setup_case(f, MODE_STRUCTURED, MMU_OFF, false) &&
	     vkvm_ioctl(f->vcpu, KVM_SET_ONE_REG, &one) == 0 && !run_words(f, abs_2d, 1);
	one.id = KVM_REG_ARM64_SVE_ZREG(1, 0);
	one.addr = (uint64_t)(uintptr_t)r;
	ok = ok && vkvm_ioctl(f->vcpu, KVM_GET_ONE_REG, &one) == 0 &&
	     r[0] == 0x8000000000000000ULL && r[1] == 5;
	printf("%sok %u - regression: ABS Vd.2D of INT64_MIN\n", ok ? "" : "not ", ++*t);
	fails += !ok;

	/* DUP/CPY #imm8, LSL #8 with a negative imm8 (a left shift of a
	 * negative value) */
	memset(v, 0xff, sizeof(v));
	one.id = KVM_REG_ARM64_SVE_PREG(0, 0);
	one.addr = (uint64_t)(uintptr_t)v;
	ok = !setup_case(f, MODE_STRUCTURED, MMU_OFF, false) &&
	     vkvm_ioctl(f->vcpu, KVM_SET_ONE_REG, &one) == 0 && !run_words(f, sve_dup, 2);
	one.id = KVM_REG_ARM64_SVE_ZREG(2, 0);
	one.addr = (uint64_t)(uintptr_t)r;
	ok = ok && vkvm_ioctl(f->vcpu, KVM_GET_ONE_REG, &one) == 0 &&
	     r[0] == 0xf800f800f800f800ULL;
	one.id = KVM_REG_ARM64_SVE_ZREG(3, 0);
	ok = ok && vkvm_ioctl(f->vcpu, KVM_GET_ONE_REG, &one) == 0 &&
	     r[0] == 0xffffffffffff8000ULL;
	printf("%sok %u - regression: SVE DUP/CPY #-imm8, LSL #8\n", ok ? "" : "not ", ++*t);
	return fails + !ok;
}

static unsigned int covered(const uint32_t *cov)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_pat; i++)
		n += cov[i] != 0;
	return n;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s ? strtoul(s, NULL, 0) : def;
}

int main(void)
{
	unsigned long cases = env_ul("FUZZ_CASES", 2000);
	unsigned long seed = env_ul("FUZZ_SEED", 12345);
	bool verbose = env_ul("FUZZ_VERBOSE", 0);
	struct stats st[2][NR_MODES][NR_MMU];	/* [single step][mode][mmu] */
	uint32_t *cov[NR_MODES], *all;
	struct fuzz f;
	unsigned long c, internal = 0, errors = 0;
	int fails;
	unsigned int i, m, u, s, t = 0;
	const char *name;
	int ret;

	trace = env_ul("FUZZ_TRACE", 0);
	memset(&f, 0, sizeof(f));
	memset(st, 0, sizeof(st));
	f.case_ns = (long)env_ul("FUZZ_CASE_MS", 2) * 1000000;
	if (f.case_ns >= 1000000000)
		f.case_ns = 999999999;
	rng = seed * 2654435761u + 1;
	nr_pat = decode_nr_patterns();
	pat_mask = calloc(nr_pat, sizeof(*pat_mask));
	pat_match = calloc(nr_pat, sizeof(*pat_match));
	all = calloc(nr_pat + 1, sizeof(*all));
	for (m = 0; m < NR_MODES; m++)
		cov[m] = calloc(nr_pat + 1, sizeof(*cov[m]));
	for (i = 0; i < nr_pat; i++)
		decode_pattern(i, &pat_mask[i], &pat_match[i], &name);

	ret = fuzz_open(&f);
	if (ret) {
		printf("not ok 1 - set up the VM: %s\n1..1\n", strerror(-ret));
		return 1;
	}
	collect_sysregs(&f);

	/* the mode and MMU cycle; one round of them in eight single-stepped */
	for (c = 0; c < cases; c++) {
		bool step = trace || (c / (NR_MODES * NR_MMU)) % 8 == 7;

		m = (unsigned int)(c % NR_MODES);
		u = (unsigned int)((c / NR_MODES) % NR_MMU);
		decode_coverage = cov[m];
		ret = setup_case(&f, (int)m, (int)u, step);
		if (ret) {
			printf("# case %lu: set-up failed: %s\n", c, strerror(-ret));
			errors++;
			continue;
		}
		run_case(&f, &st[step][m][u], step);
	}
	decode_coverage = NULL;
	set_guest_debug(&f, false);

	for (s = 0; s < 2; s++)
		for (m = 0; m < NR_MODES; m++)
			for (u = 0; u < NR_MMU; u++) {
				struct stats *x = &st[s][m][u];

				internal += x->internal;
				errors += x->run_errors;
				printf("# %-10s %-11s %-7s: %lu cases, %lu words, %llu exceptions, "
				       "%lu ended, %lu timed out, %lu exits (%lu mmio, %lu nisv, "
				       "%lu steps, %lu system events, %lu other)\n",
				       s ? "single-step" : "chained", mode_name[m], mmu_name[u],
				       x->cases, x->words, (unsigned long long)x->exceptions,
				       x->ended, x->timed_out, x->exits, x->mmio, x->nisv,
				       x->steps, x->sysevent, x->other);
			}
	for (i = 0; i <= nr_pat; i++)
		all[i] = cov[MODE_RANDOM][i] + cov[MODE_STRUCTURED][i];
	for (m = 0; m < NR_MODES; m++) {
		uint64_t dec = 0;

		for (i = 0; i <= nr_pat; i++)
			dec += cov[m][i];
		printf("# coverage %s: %u of %u decode patterns reached; %.1f%% of %llu decoded words undefined\n",
		       mode_name[m], covered(cov[m]), nr_pat,
		       dec ? 100.0 * cov[m][nr_pat] / (double)dec : 0.0, (unsigned long long)dec);
	}
	printf("# coverage: %u of %u decode patterns (%.1f%%)\n", covered(all), nr_pat,
	       100.0 * covered(all) / nr_pat);
	if (verbose)
		for (i = 0; i < nr_pat; i++)
			if (!all[i] && decode_pattern(i, &pat_mask[i], &pat_match[i], &name))
				printf("#   never reached: %s (%08x/%08x)\n", name,
				       pat_match[i], pat_mask[i]);

	printf("ok %u - %lu cases (seed %lu) ran chained and single-stepped, MMU off/4K/16K/64K, "
	       "without a crash\n", ++t, cases, seed);
	printf("%sok %u - no internal error exits (%lu)\n", internal ? "not " : "", ++t, internal);
	printf("%sok %u - no KVM_RUN or set-up errors (%lu)\n", errors ? "not " : "", ++t, errors);
	printf("%sok %u - structured words reach at least 90%% of the decode patterns (%u of %u)\n",
	       covered(cov[MODE_STRUCTURED]) * 10 >= nr_pat * 9 ? "" : "not ", ++t,
	       covered(cov[MODE_STRUCTURED]), nr_pat);
	fails = regressions(&f, &t);
	printf("1..%u\n", t);
	fuzz_close(&f);
	for (m = 0; m < NR_MODES; m++)
		free(cov[m]);
	free(all);
	free(pat_mask);
	free(pat_match);
	return internal || errors || fails;
}
