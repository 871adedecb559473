// SPDX-License-Identifier: GPL-2.0
/* rt_main, PASS/FAIL bookkeeping and the way out (test-exit device, else PSCI SYSTEM_OFF). */
#include "rt.h"

u64 rt_dtb;
static unsigned int checks, failures, excused;

void rt_main(u64 dtb);

void rt_main(u64 dtb)
{
	rt_dtb = dtb;
	rt_exit((unsigned int)main());
}

int check(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!ok)
		failures++;
	puts_raw(ok ? "PASS: " : "FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	return ok;
}

int check_known(int ok, int known, const char *tag, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!ok && !known)
		failures++;
	else if (!ok)
		excused++;
	puts_raw(ok ? "PASS: " : !known ? "FAIL: " : tag);
	if (!ok && known)
		puts_raw(": ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	return ok;
}

void rt_skip(const char *fmt, ...)
{
	va_list ap;

	puts_raw("SKIP: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	uart_putc('\n');
}

int rt_report(const char *guest)
{
	if (failures)
		printf("RESULT: %s FAIL (%u of %u checks failed)\n", guest, failures, checks);
	else if (excused)
		printf("RESULT: %s PASS (%u checks, %u excused)\n", guest, checks, excused);
	else
		printf("RESULT: %s PASS (%u checks)\n", guest, checks);
	return failures ? 1 : 0;
}

/* Another platform's exit (guests/el2.c under QEMU's virt), or NULL */
void (*rt_exit_hook)(unsigned int status);

noreturn void rt_exit(unsigned int status)
{
	if (rt_exit_hook)
		rt_exit_hook(status);
	writel(status, TEST_EXIT_BASE);
	/* no test-exit device: the platform may still offer PSCI */
	psci_system_off();
}
