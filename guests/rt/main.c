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

/* ---- the DTB's /chosen/bootargs (vmm run -p, a spec's params) ---- */

u32 rt_dtb_be32(unsigned long p)
{
	return (u32)readb(p) << 24 | (u32)readb(p + 1) << 16 | (u32)readb(p + 2) << 8 | readb(p + 3);
}

int rt_dtb_str_eq(unsigned long p, const char *s)
{
	while (*s)
		if (readb(p++) != (u8)*s++)
			return 0;
	return !readb(p);
}

/* Does the string at p (n bytes, maybe NUL-ended) hold word, space-delimited? */
static int has_word(unsigned long p, unsigned long n, const char *word)
{
	size_t len = strlen(word);
	unsigned long i, j;

	for (i = 0; i + len <= n; i++) {
		if (i && readb(p + i - 1) != ' ')
			continue;
		for (j = 0; j < len && readb(p + i + j) == (u8)word[j]; j++)
			;
		if (j == len && (i + len == n || readb(p + i + len) == ' ' || !readb(p + i + len)))
			return 1;
	}
	return 0;
}

int rt_bootarg(const char *word)
{
	unsigned long fdt = rt_dtb, p, strs, end;

	if (!fdt || rt_dtb_be32(fdt) != 0xd00dfeed)
		return 0;
	p = fdt + rt_dtb_be32(fdt + 8);
	strs = fdt + rt_dtb_be32(fdt + 12);
	end = fdt + rt_dtb_be32(fdt + 4);
	while (p + 4 <= end) {
		u32 tok = rt_dtb_be32(p);

		p += 4;
		if (tok == 1) {			/* FDT_BEGIN_NODE: its name, padded */
			while (p < end && readb(p))
				p++;
			p = (p + 4) & ~3UL;
		} else if (tok == 3) {		/* FDT_PROP: len, nameoff, value */
			u32 len = rt_dtb_be32(p);
			unsigned long name = strs + rt_dtb_be32(p + 4), v = p + 8;

			if (rt_dtb_str_eq(name, "bootargs"))
				return has_word(v, len, word);
			p = (v + len + 3) & ~3UL;
		} else if (tok != 2 && tok != 4) {	/* not END_NODE, NOP: the end */
			break;
		}
	}
	return 0;
}
