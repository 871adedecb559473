// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of a differential test (see diffrunner.h).
 *
 * Each case's test words go in its own code slot (difflayout.h) of an RWX
 * mapping at DIFF_SLOTS_VA, behind the literal pool and one word that
 * pops x30 (runner_enter), and are followed by a trailer that pushes x30
 * and branches to runner_exit.  All the slots of a run are written before
 * its first case runs: a write into a page qemu has translated code from
 * costs qemu-user a fault, two mprotect() calls and the invalidation of
 * that code, which, case after case in one page, was half of a run.
 * A signal is caught on an alternate stack and reported in the result's
 * fault with the registers of the signal frame (the state at the faulting
 * instruction).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include <asm/sigcontext.h>

#include "diffrunner.h"

/* x19-x30, SP and d8-d15 while a case runs (diffentry.h) */
uint64_t runner_host_ctx[22] __attribute__((aligned(16)));

static sigjmp_buf fault_jmp;
static uint64_t test_stack[8192] __attribute__((aligned(16)));
static uint8_t alt_stack[65536];

/* The register block at the faulting instruction, from the signal frame */
static uint8_t *fault_regs;
static int fault_fpsimd;

static void on_fault(int sig, siginfo_t *si, void *uc_)
{
	const ucontext_t *uc = uc_;
	const struct _aarch64_ctx *h = (const void *)uc->uc_mcontext.__reserved;
	uint64_t nzcv = uc->uc_mcontext.pstate & DIFF_NZCV_MASK;

	(void)si;
	memcpy(fault_regs, uc->uc_mcontext.regs, 31 * 8);
	memcpy(fault_regs + DIFF_REG_NZCV, &nzcv, 8);
	for (; fault_fpsimd && h->magic; h = (const void *)((const uint8_t *)h + h->size)) {
		const struct fpsimd_context *f = (const void *)h;
		uint64_t fpcr = f->fpcr, fpsr = f->fpsr;

		if (h->magic != FPSIMD_MAGIC)
			continue;
		memcpy(fault_regs + DIFF_REG_FPCR, &fpcr, 8);
		memcpy(fault_regs + DIFF_REG_FPSR, &fpsr, 8);
		memcpy(fault_regs + DIFF_REG_VEC, f->vregs, sizeof(f->vregs));
	}
	siglongjmp(fault_jmp, sig);
}

static void *map_fixed(const struct diff_runner *r, uint64_t va, size_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)va, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)(uintptr_t)va) {
		fprintf(stderr, "%s: cannot map %#llx\n", r->name, (unsigned long long)va);
		exit(2);
	}
	return p;
}

/* A slot (zeroed by mmap) gets its pool, its words and the trailer */
static void put_code(uint32_t *code, const uint32_t *words, unsigned int nwords)
{
	uint8_t *pool = (uint8_t *)code;
	uint32_t *w = code + (DIFF_ENTRY_VA - DIFF_CODE_VA) / 4;
	uint64_t exit_va = (uint64_t)(uintptr_t)runner_exit;

	for (unsigned int i = 0; i < DIFF_POOL_SIZE; i++)
		pool[i] = diff_pool_byte(i);
	w[-1] = 0xf84107fe;			/* ldr x30, [sp], #16 */
	memcpy(w, words, 4 * nwords);
	w += nwords;
	*w++ = 0xf81f0ffe;			/* str x30, [sp, #-16]! */
	*w++ = 0x5800005e;			/* ldr x30, .+8 */
	*w++ = 0xd61f03c0;			/* br  x30 */
	*w++ = (uint32_t)exit_va;
	*w++ = (uint32_t)(exit_va >> 32);
}

/*
 * The run's input, its head and records: stdin mapped when it is a file
 * (the harness's memfd), else read whole.  Reading it through stdio, twice
 * (the code first, then the cases), cost qemu-user and the host a copy of
 * every record each time: with SVE's 13 KiB records, most of qemu's
 * system time.  NULL on an error.  Not inlined into diff_runner_main(),
 * whose sigsetjmp() would have its locals be clobbered.
 */
static __attribute__((noinline)) const uint8_t *read_input(size_t *size)
{
	struct stat st;
	uint8_t *p;
	size_t cap = 1 << 20, n = 0;

	if (!fstat(0, &st) && S_ISREG(st.st_mode) && st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, 0, 0);
		if (p != MAP_FAILED) {
			*size = (size_t)st.st_size;
			return p;
		}
	}
	p = malloc(cap);
	for (ssize_t got; p; n += (size_t)got) {
		if (n == cap)
			p = realloc(p, cap *= 2);
		if (!p || (got = read(0, p + n, cap - n)) < 0)
			return NULL;
		if (!got)
			break;
	}
	*size = n;
	return p;
}

/* Every base case's code into its slot, once for the variants that share it */
static int put_all_code(const struct diff_runner *r, const uint8_t *rec, unsigned int n,
			const struct diff_run_head *h)
{
	for (unsigned int k = 0; k < n; k++, rec += r->case_size) {
		uint32_t nwords;

		memcpy(&nwords, rec + r->case_nwords, 4);
		if (nwords > r->max_words)
			return 2;
		if (k && diff_run_base(h, k) == diff_run_base(h, k - 1))
			continue;
		put_code((uint32_t *)(uintptr_t)diff_slot_va(diff_run_base(h, k)),
			 (const uint32_t *)(rec + r->case_words), nwords);
	}
	__builtin___clear_cache((char *)(uintptr_t)DIFF_SLOTS_VA,
				(char *)(uintptr_t)(DIFF_SLOTS_VA + DIFF_SLOTS * DIFF_SLOT_SIZE));
	return 0;
}

int diff_runner_main(const struct diff_runner *r)
{
	struct diff_run_head head;
	uint8_t *buf = map_fixed(r, DIFF_BUF_VA, DIFF_BUF_SIZE,
				 PROT_READ | PROT_WRITE | r->buf_prot);
	const uint8_t *c;
	uint8_t *res = calloc(1, r->result_size);
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
	const uint8_t *in;
	size_t size;
	unsigned int nrec;
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_ONSTACK | SA_SIGINFO };
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };

	map_fixed(r, DIFF_SLOTS_VA, DIFF_SLOTS * DIFF_SLOT_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
	fault_regs = calloc(1, r->regs_size);
	fault_fpsimd = r->fault_fpsimd;
	if (!res || !fault_regs || r->max_words > DIFF_SLOT_WORDS || r->case_size % 8)
		return 2;
	/* whole batches of results a write: each system call costs
	 * qemu-user and the host more than a case's copy */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	sigaltstack(&ss, NULL);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	in = read_input(&size);
	if (!in || size < DIFF_RUN_RECORDS)
		return 2;
	memcpy(&head, in, sizeof(head));
	nrec = head.count;
	if (head.magic != DIFF_RUN_MAGIC || head.variants < 1 ||
	    head.variants > DIFF_MAX_VARIANTS || nrec > DIFF_SLOTS ||
	    (size - DIFF_RUN_RECORDS) / r->case_size < nrec ||
	    put_all_code(r, in + DIFF_RUN_RECORDS, nrec, &head))
		return 2;

	for (unsigned int k = 0; k < nrec; k++) {
		uint64_t fault = 0, nzcv;
		int sig;

		/* in place: the records are aligned (case_size a multiple of 8) */
		c = in + DIFF_RUN_RECORDS + k * r->case_size;
		if (r->check && (sig = r->check(c)))
			return sig;
		memcpy(buf, c + r->case_buf, DIFF_BUF_SIZE);
		if (r->before)
			r->before(c, buf);
		memset(res, 0, r->result_size);
		sig = sigsetjmp(fault_jmp, 1);
		if (!sig) {
			const void *out = runner_enter(c + r->case_regs,
				diff_slot_entry(diff_run_base(&head, k)) - 4,
				test_stack + sizeof(test_stack) / sizeof(test_stack[0]));

			memcpy(res, out, r->regs_size);
			memcpy(&nzcv, res + DIFF_REG_NZCV, 8);
			nzcv &= DIFF_NZCV_MASK;
			memcpy(res + DIFF_REG_NZCV, &nzcv, 8);
		} else {
			fault = (uint64_t)sig;
			memcpy(res, fault_regs, r->regs_size);
		}
		/* first, as the case may have left its tag checks on */
		if (r->after)
			r->after(res, buf);
		memcpy(res + r->result_fault, &fault, 8);
		memcpy(res + r->result_buf, buf, DIFF_BUF_SIZE);
		if (fwrite(res, r->result_size, 1, stdout) != 1)
			return 2;
	}
	return 0;
}
