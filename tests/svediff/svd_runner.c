// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the SVE differential test (a copy of
 * tests/fpdiff/fpd_runner.c with the SVE state): run under
 * qemu-aarch64 -cpu max,sve-max-vq=N,sve-default-vector-length=16N.
 * The reference side of the FP/SIMD differential test: a static aarch64
 * Linux program run once per batch under qemu-aarch64 (the approach of
 * tests/diff/qemu_runner.c, with the SIMD&FP state carried too).  Reads
 * struct svd_case records from stdin, runs each and writes a struct
 * svd_result per case; a signal is reported with the registers of its
 * frame (general and FPSIMD).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <asm/sigcontext.h>

#include "svecase.h"

const struct svd_regs *svd_enter(const struct svd_regs *regs, uint64_t entry, void *stack);
void svd_exit(void);

static sigjmp_buf fault_jmp;
static uint64_t test_stack[8192] __attribute__((aligned(16)));
static uint8_t alt_stack[65536];
static struct svd_regs fault_regs;

static void on_fault(int sig, siginfo_t *si, void *uc_)
{
	const ucontext_t *uc = uc_;
	const struct _aarch64_ctx *h = (const void *)uc->uc_mcontext.__reserved;

	(void)si;
	memcpy(fault_regs.x, uc->uc_mcontext.regs, 31 * 8);
	fault_regs.nzcv = uc->uc_mcontext.pstate & 0xf0000000u;
	(void)h;	/* the SVE state of a faulting case is not compared */
	siglongjmp(fault_jmp, sig);
}

static void *map_fixed(uint64_t va, size_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)va, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)(uintptr_t)va) {
		fprintf(stderr, "svd_runner: cannot map %#llx\n", (unsigned long long)va);
		exit(2);
	}
	return p;
}

static void put_code(uint32_t *code, const struct svd_case *c)
{
	uint8_t *pool = (uint8_t *)code;
	uint32_t *w = code + (SVD_ENTRY_VA - SVD_CODE_VA) / 4;
	uint64_t exit_va = (uint64_t)(uintptr_t)svd_exit;

	memset(code, 0, 4096);
	for (unsigned int i = 0; i < SVD_POOL_SIZE; i++)
		pool[i] = svd_pool_byte(i);
	w[-1] = 0xf84107fe;			/* ldr x30, [sp], #16 */
	memcpy(w, c->words, 4 * c->nwords);
	w += c->nwords;
	*w++ = 0xf81f0ffe;			/* str x30, [sp, #-16]! */
	*w++ = 0x5800005e;			/* ldr x30, .+8 */
	*w++ = 0xd61f03c0;			/* br  x30 */
	*w++ = (uint32_t)exit_va;
	*w++ = (uint32_t)(exit_va >> 32);
	__builtin___clear_cache((char *)code, (char *)code + 4096);
}

int main(void)
{
	static struct svd_case c;
	static struct svd_result r;
	uint32_t *code = map_fixed(SVD_CODE_VA, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	uint8_t *buf = map_fixed(SVD_BUF_VA, SVD_BUF_SIZE, PROT_READ | PROT_WRITE);
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_ONSTACK | SA_SIGINFO };
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };

	sigaltstack(&ss, NULL);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);

	while (fread(&c, sizeof(c), 1, stdin) == 1) {
		int sig;

		uint64_t vl;

		if (c.nwords > SVD_MAX_WORDS)
			return 2;
		asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
		if (vl != c.vl) {
			fprintf(stderr, "svd_runner: VL %llu bytes, the case wants %u\n",
				(unsigned long long)vl, c.vl);
			return 3;
		}
		put_code(code, &c);
		memcpy(buf, c.buf, SVD_BUF_SIZE);
		memset(&r, 0, sizeof(r));
		sig = sigsetjmp(fault_jmp, 1);
		if (!sig) {
			const struct svd_regs *out = svd_enter(&c.r, SVD_ENTRY_VA - 4,
				test_stack + sizeof(test_stack) / sizeof(test_stack[0]));

			r.r = *out;
			r.r.nzcv &= 0xf0000000u;
		} else {
			r.fault = (uint64_t)sig;
			r.r = fault_regs;
		}
		memcpy(r.buf, buf, SVD_BUF_SIZE);
		if (fwrite(&r, sizeof(r), 1, stdout) != 1)
			return 2;
	}
	return 0;
}
