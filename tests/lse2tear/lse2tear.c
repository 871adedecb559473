// SPDX-License-Identifier: GPL-2.0
/*
 * FEAT_LSE2's single-copy atomicity across vCPU threads (Arm ARM B2.2.1):
 * in one vkvm VM, vCPU 0 stores alternating 128-bit patterns into one
 * 16-byte quantity with STP X and STR Q (aligned) and an 8-byte pattern
 * with an unaligned STUR inside it, while vCPUs 1 and 2, each on its own
 * thread, read it with LDP X, LDNP X, LDR Q and an unaligned LDUR and
 * count the reads that mix two stores (guest.S).  LDP/LDNP/STP X and the
 * unaligned 8-byte accesses are atomic by the architecture once
 * ID_AA64MMFR2_EL1.AT is 1; LDR/STR Q by vkvm's choice (the architecture
 * asks for two atomic 64-bit halves only).  Each reader runs
 * READER_ROUNDS rounds of 4 loads while the writer stores (it starts
 * first and stops when they are done).  Tearing shows only where the
 * threads run at the same time, not in turns on a loaded host: the readers
 * count the changes they see, and a run with fewer than MIN_CHANGES is
 * repeated, up to ATTEMPTS runs (about half a second each, plain).
 *
 * With 16-byte accesses made two 64-bit ones (OPT="-O2 -DVKVM_TEAR_16",
 * mem.h) the readers see torn values and the test fails: in 6 runs of 6
 * on a loaded 2-core host, 80 to 726,159 torn reads each (also when the
 * threads run in turns: a writer preempted between the two halves leaves
 * a torn value that the readers then see for a whole time slice).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmc.h"

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x200000ULL
#define VBAR_GPA	(RAM_GPA + 0x1000)
#define L1_GPA		(RAM_GPA + 0x100000)
#define DATA_GPA	(RAM_GPA + 0x10000)
#define READER_PC	(RAM_GPA + 0x100)
#define END_IPA		0x10000000ULL
#define NREADERS	2
#define READER_ROUNDS	300000u
#define MIN_CHANGES	5000u
#define ATTEMPTS	4

#define PAT_A		0xaaaaaaaaaaaaaaaaULL
#define PAT_B		0xbbbbbbbbbbbbbbbbULL
#define PAT_C		0xccccccccccccccccULL

#define CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define ID_AA64MMFR2	ARM64_SYS_REG(3, 0, 0, 7, 2)
#define VREG(n)		(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U128 | \
			 KVM_REG_ARM_CORE_REG(fp_regs.vregs[n]))
#define STR_XZR_SP8	0xf90007ffu	/* str xzr, [sp, #8]: an exception */

extern const uint8_t lse2tear_guest[], lse2tear_guest_end[];

static unsigned int tp;

static void tap(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u - ", ok ? "ok" : "not ok", ++tp);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A further vCPU of v's VM: only vcpu and run are its own. */
static int vcpu_open(struct vmc *c, const struct vmc *v, int id)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	memset(c, 0, sizeof(*c));
	c->vcpu = vkvm_ioctl(v->vm, KVM_CREATE_VCPU, id);
	if (c->vcpu < 0 || vkvm_ioctl(c->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return -errno;
	c->run_size = v->run_size;
	c->run = vkvm_mmap(NULL, c->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->vcpu, 0);
	return c->run == MAP_FAILED ? -errno : 0;
}

static int vcpu_setup(struct vmc *c, uint64_t pc)
{
	uint64_t a[2] = { PAT_A, PAT_A }, b[2] = { PAT_B, PAT_B };
	int ret;

	ret = vmc_mmu_on(c, L1_GPA);
	ret = ret ?: vmc_set_reg(c, VBAR_EL1, VBAR_GPA);
	ret = ret ?: vmc_set_reg(c, CPACR_EL1, 3ULL << 20);	/* FPEN: no traps */
	ret = ret ?: vmc_set_reg(c, VMC_CORE(regs.pc), pc);
	ret = ret ?: vmc_set_reg(c, VMC_CORE(regs.pstate), VMC_PSTATE_EL1H);
	ret = ret ?: vmc_set_reg(c, VMC_CORE(sp_el1), END_IPA);
	ret = ret ?: vmc_set_reg(c, VMC_X(0), DATA_GPA);
	ret = ret ?: vmc_set_reg(c, VMC_X(1), PAT_A);
	ret = ret ?: vmc_set_reg(c, VMC_X(2), PAT_B);
	ret = ret ?: vmc_set_reg(c, VMC_X(3), PAT_C);
	ret = ret ?: vmc_set_reg(c, VMC_X(4), pc == READER_PC ? READER_ROUNDS : 0);
	ret = ret ?: vmc_set_reg(c, VMC_X(5), NREADERS);
	ret = ret ?: vmc_set_reg(c, VMC_X(11), 0);
	ret = ret ?: vmc_set_reg(c, VMC_X(13), 0);
	ret = ret ?: vmc_set_reg(c, VMC_X(15), 0);
	ret = ret ?: vmc_set_reg(c, VMC_X(16), 0);
	ret = ret ?: vmc_set_reg_p(c, VREG(0), a);
	ret = ret ?: vmc_set_reg_p(c, VREG(1), b);
	return ret;
}

struct runner {
	struct vmc *c;
	pthread_t th;
	int ret;		/* 0: ended at END_IPA; else -errno or 1 */
	uint64_t torn, rounds, wrounds, changes;
};

/* KVM_RUN until the guest's final store to END_IPA */
static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	for (;;) {
		r->ret = vmc_run(r->c);
		if (r->ret == -EINTR)
			continue;
		if (r->ret)
			break;
		if (r->c->run->exit_reason != KVM_EXIT_MMIO) {
			r->ret = 1;
			break;
		}
		r->ret = r->c->run->mmio.phys_addr == END_IPA ? 0 : 1;
		/* complete the store now, as KVM would at the next KVM_RUN,
		 * which must start where the next attempt sets PC */
		r->c->run->immediate_exit = 1;
		vmc_run(r->c);
		r->c->run->immediate_exit = 0;
		break;
	}
	if (!r->ret) {
		vmc_get_reg(r->c, VMC_X(11), &r->torn);
		vmc_get_reg(r->c, VMC_X(13), &r->rounds);
		vmc_get_reg(r->c, VMC_X(4), &r->wrounds);
		vmc_get_reg(r->c, VMC_X(16), &r->changes);
	}
	return NULL;
}

int main(void)
{
	struct vmc v, rd[NREADERS];
	struct runner run[1 + NREADERS];
	uint64_t *l1, mmfr2 = 0, torn = 0, rounds = 0, wrounds = 0, changes = 0;
	uint32_t *vec;
	size_t glen = (size_t)(lse2tear_guest_end - lse2tear_guest);
	int ret = 0, i, ok = 1, attempt;

	printf("1..3\n");
	alarm(60);	/* a hang is a failure, not a stuck make check */
	ret = vmc_open(&v, RAM_GPA, RAM_SIZE, NULL);
	if (ret) {
		printf("Bail out! vmc_open: %s\n", strerror(-ret));
		return 1;
	}
	memcpy(vmc_ram(&v, RAM_GPA), lse2tear_guest, glen);
	vec = vmc_ram(&v, VBAR_GPA);
	for (i = 0; i < 16; i++)
		vec[i * 32] = STR_XZR_SP8;
	l1 = vmc_ram(&v, L1_GPA);
	l1[0] = VMC_BLOCK(0ULL, VMC_ATTR_DEVICE, 0);		/* END_IPA: MMIO */
	l1[1] = VMC_BLOCK(RAM_GPA, VMC_ATTR_NORMAL, 0);	/* RAM */

	/* AT = 0: a host without atomic 16-byte accesses (no AVX), no LSE2 */
	vmc_get_reg(&v, ID_AA64MMFR2, &mmfr2);
	if (!((mmfr2 >> 32) & 0xf)) {
		printf("ok 1 - ID_AA64MMFR2_EL1.AT = 0 # SKIP FEAT_LSE2 not advertised\n"
		       "ok 2 # SKIP\nok 3 # SKIP\n");
		vmc_close(&v);
		return 0;
	}
	tap(1, "ID_AA64MMFR2_EL1.AT = %" PRIu64 " (FEAT_LSE2)", (mmfr2 >> 32) & 0xf);

	for (i = 0; i < NREADERS && !ret; i++)
		ret = vcpu_open(&rd[i], &v, i + 1);
	run[0].c = &v;
	for (i = 0; i < NREADERS; i++)
		run[1 + i].c = &rd[i];
	for (attempt = 1; !ret && attempt <= ATTEMPTS; attempt++) {
		uint64_t *data = vmc_ram(&v, DATA_GPA);

		memset(data, 0, 128);	/* the quantity, started, done */
		ret = vcpu_setup(&v, RAM_GPA);
		for (i = 0; i < NREADERS && !ret; i++)
			ret = vcpu_setup(&rd[i], READER_PC);
		if (ret)
			break;
		for (i = 0; i < 1 + NREADERS; i++)
			if (pthread_create(&run[i].th, NULL, run_vcpu, &run[i])) {
				printf("Bail out! pthread_create\n");
				return 1;
			}
		changes = 0;
		for (i = 0; i < 1 + NREADERS; i++) {
			pthread_join(run[i].th, NULL);
			ok &= run[i].ret == 0;
			if (i) {
				torn += run[i].torn;
				rounds += run[i].rounds;
				changes += run[i].changes;
			}
		}
		wrounds += run[0].wrounds;
		printf("# run %d: %" PRIu64 " changes seen, %" PRIu64 " torn reads so far\n",
		       attempt, changes, torn);
		if (!ok || torn || changes >= MIN_CHANGES)
			break;
	}
	if (ret) {
		printf("Bail out! vCPU setup: %s\n", strerror(-ret));
		return 1;
	}
	tap(ok, "writer (%" PRIu64 " rounds of STP X, STR Q, unaligned STUR X) and %d "
	    "readers ran to their end", wrounds, NREADERS);
	tap(ok && torn == 0, "no torn reads: %" PRIu64 " of %" PRIu64
	    " (LDP X, LDR Q, LDNP X, unaligned LDUR X in each of %" PRIu64 " rounds; "
	    "%" PRIu64 " changes seen in the last run%s)", torn, rounds * 4, rounds, changes,
	    changes >= MIN_CHANGES ? "" : ", the threads hardly ran at the same time");
	for (i = 0; i < NREADERS; i++) {
		munmap(rd[i].run, rd[i].run_size);
		vkvm_close(rd[i].vcpu);
	}
	vmc_close(&v);
	return ok && torn == 0 ? 0 : 1;
}
