// SPDX-License-Identifier: GPL-2.0
/*
 * Console output through the ns16550a at UART_BASE (poll LSR.THRE, write
 * THR), and a small printf: %d %i %u %x %X %p %s %c %%, flags '-' and '0',
 * a field width, and the length modifiers l, ll, z.
 */
#include "rt.h"

/* Another platform's console (guests/el2.c under QEMU's virt), or NULL */
void (*rt_putc_hook)(char c);

void uart_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	if (rt_putc_hook) {
		rt_putc_hook(c);
		return;
	}
	while (!(readb(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	writeb((u8)c, UART_BASE + UART_THR);
}

void puts_raw(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

struct out {
	char *buf;	/* NULL: the UART */
	size_t size, len;
};

static void out_c(struct out *o, char c)
{
	if (!o->buf)
		uart_putc(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct out *o, unsigned long long v, int neg, unsigned int base,
		    int upper, int width, int zero, int left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (neg && zero)
		out_c(o, '-');
	if (!left)
		for (; len < width; len++)
			out_c(o, zero ? '0' : ' ');
	if (neg && !zero)
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
	if (left)
		for (; len < width; len++)
			out_c(o, ' ');
}

static int format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, zero = 0, left = 0, lng = 0;
		unsigned long long u;
		long long s;
		const char *str;

		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = 1;
			else if (*fmt == '-')
				left = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		if (left)
			zero = 0;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			out_num(o, u, s < 0, 10, 0, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			out_num(o, u, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero, left);
			break;
		case 'p':
			out_c(o, '0');
			out_c(o, 'x');
			out_num(o, (unsigned long)va_arg(ap, void *), 0, 16, 0, width, zero, left);
			break;
		case 'c':
			out_c(o, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			for (s = (long long)strlen(str); !left && s < width; width--)
				out_c(o, ' ');
			while (*str)
				out_c(o, *str++);
			for (; left && s < width; width--)
				out_c(o, ' ');
			break;
		case '%':
			out_c(o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_c(o, '%');
			out_c(o, *fmt);
			break;
		}
	}
	return (int)o->len;
}

int vprintf(const char *fmt, va_list ap)
{
	struct out o = { 0 };

	return format(&o, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct out o = { .buf = buf, .size = size };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
