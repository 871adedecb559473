// SPDX-License-Identifier: GPL-2.0
/*
 * The reference side of the differential test: a static aarch64 Linux
 * program run once per batch under qemu-aarch64.  It reads struct
 * diff_case records from stdin, runs each one natively (that is, under
 * qemu's translator) and writes a struct diff_result per case to stdout.
 *
 * The test words go at DIFF_ENTRY_VA in an RWX page mapped at DIFF_CODE_VA,
 * behind the literal pool and one word that pops x30 (diff_enter), and are
 * followed by a trailer that pushes x30 and branches to diff_exit.  A
 * signal is caught on an alternate stack and reported in diff_result.fault
 * with the registers of the signal frame (the state at the faulting
 * instruction).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "diffcase.h"

void *diff_enter(const uint64_t *regs, uint64_t entry, void *stack);
void diff_exit(void);

static sigjmp_buf fault_jmp;
static uint64_t test_stack[8192] __attribute__((aligned(16)));
static uint8_t alt_stack[65536];

/* The registers and NZCV at the faulting instruction, from the signal frame. */
static uint64_t fault_regs[32];

static void on_fault(int sig, siginfo_t *si, void *uc_)
{
	const ucontext_t *uc = uc_;

	(void)si;

	memcpy(fault_regs, uc->uc_mcontext.regs, 31 * 8);
	fault_regs[31] = uc->uc_mcontext.pstate;
	siglongjmp(fault_jmp, sig);
}

static void *map_fixed(uint64_t va, size_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)va, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)(uintptr_t)va) {
		fprintf(stderr, "qemu_runner: cannot map %#llx\n", (unsigned long long)va);
		exit(2);
	}
	return p;
}

static void put_code(uint32_t *code, const struct diff_case *c)
{
	uint8_t *pool = (uint8_t *)code;
	uint32_t *w = code + (DIFF_ENTRY_VA - DIFF_CODE_VA) / 4;
	uint64_t exit_va = (uint64_t)(uintptr_t)diff_exit;

	memset(code, 0, 4096);
	for (unsigned int i = 0; i < DIFF_POOL_SIZE; i++)
		pool[i] = diff_pool_byte(i);
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
	static struct diff_case c;
	static struct diff_result r;
	uint32_t *code = map_fixed(DIFF_CODE_VA, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	uint8_t *buf = map_fixed(DIFF_BUF_VA, DIFF_BUF_SIZE, PROT_READ | PROT_WRITE);
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_ONSTACK | SA_SIGINFO };
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };

	sigaltstack(&ss, NULL);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);

	while (fread(&c, sizeof(c), 1, stdin) == 1) {
		uint64_t regs[32];
		const uint64_t *out;
		int sig;

		if (c.nwords > DIFF_MAX_WORDS)
			return 2;
		put_code(code, &c);
		memcpy(buf, c.buf, DIFF_BUF_SIZE);
		memcpy(regs, c.r.x, sizeof(c.r.x));
		regs[31] = c.r.nzcv;
		memset(&r, 0, sizeof(r));
		sig = sigsetjmp(fault_jmp, 1);
		if (!sig) {
			out = diff_enter(regs, DIFF_ENTRY_VA - 4,
					 test_stack + sizeof(test_stack) / sizeof(test_stack[0]));
			memcpy(r.r.x, out, sizeof(r.r.x));
			r.r.nzcv = out[31] & 0xf0000000u;
		} else {
			r.fault = (uint64_t)sig;
			memcpy(r.r.x, fault_regs, sizeof(r.r.x));
			r.r.nzcv = fault_regs[31] & 0xf0000000u;
		}
		memcpy(r.buf, buf, DIFF_BUF_SIZE);
		if (fwrite(&r, sizeof(r), 1, stdout) != 1)
			return 2;
	}
	return 0;
}
