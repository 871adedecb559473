// SPDX-License-Identifier: GPL-2.0
/*
 * mte-user: Linux's userspace MTE (Documentation/arch/arm64/
 * memory-tagging-extension.rst) in the guest: a PROT_MTE page, granule 0
 * tagged 5 with STG, then a load and a store through tag 3.  With
 * PR_MTE_TCF_SYNC the load is SIGSEGV with si_code SEGV_MTESERR and
 * si_addr the tagged address (SA_EXPOSE_TAGBITS: FAR_EL1's tag bits); with PR_MTE_TCF_ASYNC the store completes
 * and SIGSEGV SEGV_MTEAERR comes at the next kernel entry (here a
 * syscall).  One line each; exit status 0 when both are as expected.
 * Static, built with -march=armv8.5-a+memtag (guests/linux.mk).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PROT_MTE
#define PROT_MTE		0x20
#endif
#ifndef PR_SET_TAGGED_ADDR_CTRL
#define PR_SET_TAGGED_ADDR_CTRL	55
#define PR_TAGGED_ADDR_ENABLE	(1UL << 0)
#endif
#ifndef PR_MTE_TCF_SYNC
#define PR_MTE_TCF_SYNC		(1UL << 1)
#define PR_MTE_TCF_ASYNC	(1UL << 2)
#define PR_MTE_TAG_SHIFT	3
#endif
#ifndef SA_EXPOSE_TAGBITS
#define SA_EXPOSE_TAGBITS	0x00000800
#endif
#ifndef SEGV_MTEAERR
#define SEGV_MTEAERR		8
#define SEGV_MTESERR		9
#endif

static sigjmp_buf env;
static volatile int si_code_seen;
static void *volatile si_addr_seen;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	si_code_seen = si->si_code;
	si_addr_seen = si->si_addr;
	siglongjmp(env, 1);
}

static int set_mode(unsigned long tcf)
{
	/* IRG may choose any tag but 0 */
	return prctl(PR_SET_TAGGED_ADDR_CTRL,
		     PR_TAGGED_ADDR_ENABLE | tcf | (0xfffeUL << PR_MTE_TAG_SHIFT), 0, 0, 0);
}

static uintptr_t with_tag(uintptr_t p, unsigned int tag)
{
	return (p & ~(0xfUL << 56)) | (uintptr_t)tag << 56;
}

int main(void)
{
	struct sigaction sa;
	uintptr_t page, good, bad;
	volatile int ok = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_EXPOSE_TAGBITS;	/* si_addr with its tag */
	sigaction(SIGSEGV, &sa, NULL);
	if (set_mode(PR_MTE_TCF_SYNC)) {
		perror("mte-user: PR_SET_TAGGED_ADDR_CTRL");
		return 1;
	}
	page = (uintptr_t)mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_MTE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == (uintptr_t)MAP_FAILED) {
		perror("mte-user: mmap PROT_MTE");
		return 1;
	}
	good = with_tag(page, 5);
	bad = with_tag(page, 3);
	asm volatile("stg %0, [%0]" : : "r"(good) : "memory");
	*(volatile long *)good = 1;

	si_code_seen = 0;
	if (!sigsetjmp(env, 1))
		(void)*(volatile long *)bad;
	printf("mte-user: sync: si_code %d (SEGV_MTESERR %d), si_addr %s\n", si_code_seen,
	       SEGV_MTESERR, si_addr_seen == (void *)bad ? "the tagged address" : "other");
	ok &= si_code_seen == SEGV_MTESERR && si_addr_seen == (void *)bad;

	set_mode(PR_MTE_TCF_ASYNC);
	si_code_seen = 0;
	if (!sigsetjmp(env, 1)) {
		*(volatile long *)bad = 2;
		getppid();	/* a kernel entry: where the asynchronous fault is seen */
	}
	printf("mte-user: async: si_code %d (SEGV_MTEAERR %d), store %s\n", si_code_seen,
	       SEGV_MTEAERR, *(volatile long *)good == 2 ? "done" : "not done");
	ok &= si_code_seen == SEGV_MTEAERR && *(volatile long *)good == 2;
	printf("mte-user: %s\n", ok ? "PASS" : "FAIL");
	return !ok;
}
