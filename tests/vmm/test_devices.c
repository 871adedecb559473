// SPDX-License-Identifier: GPL-2.0
/* The 8250 UART and PL031 register models. */
#include <string.h>
#include <time.h>

#include "../../devices/pl031.h"
#include "../../devices/serial8250.h"
#include "vmm_test.h"

static char txbuf[256];
static size_t txlen;
static int irq_level, irq_changes;

static void tx(void *ctx, uint8_t c)
{
	if (txlen < sizeof(txbuf))
		txbuf[txlen++] = (char)c;
}

static void irq(void *ctx, int level)
{
	irq_level = level;
	irq_changes++;
}

static struct uart8250 u;

static void uart_setup(void)
{
	txlen = 0;
	irq_level = 0;
	irq_changes = 0;
	uart8250_init(&u, tx, irq, NULL);
}

START_TEST(uart_polled_output)
{
	const char *s = "hi\n";

	uart_setup();
	for (; *s; s++) {
		ck_assert(uart8250_read(&u, UART_LSR) & UART_LSR_THRE);
		uart8250_write(&u, UART_THR, (uint8_t)*s);
	}
	ck_assert_uint_eq(txlen, 3);
	ck_assert(!memcmp(txbuf, "hi\n", 3));
	ck_assert_uint_eq(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_NO_INT);
	ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(uart_divisor_and_scratch)
{
	uart_setup();
	uart8250_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	uart8250_write(&u, UART_DLL, 0x01);
	uart8250_write(&u, UART_DLM, 0x02);
	ck_assert_uint_eq(uart8250_read(&u, UART_DLL), 0x01);
	ck_assert_uint_eq(uart8250_read(&u, UART_DLM), 0x02);
	uart8250_write(&u, UART_LCR, 0x03);
	ck_assert_uint_eq(uart8250_read(&u, UART_LCR), 0x03);
	ck_assert_uint_eq(uart8250_read(&u, UART_IER), 0);
	ck_assert_uint_eq(txlen, 0);	/* DLL writes are not output */
	uart8250_write(&u, UART_SCR, 0xa5);
	ck_assert_uint_eq(uart8250_read(&u, UART_SCR), 0xa5);
}
END_TEST

START_TEST(uart_receive_and_interrupts)
{
	uart_setup();
	uart8250_write(&u, UART_FCR, UART_FCR_ENABLE);
	uart8250_write(&u, UART_IER, UART_IER_RDI);
	ck_assert_int_eq(irq_level, 0);
	ck_assert(uart8250_rx(&u, 'a'));
	ck_assert(uart8250_rx(&u, 'b'));
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(uart8250_read(&u, UART_IIR), UART_IIR_FIFO | UART_IIR_RDI);
	ck_assert(uart8250_read(&u, UART_LSR) & UART_LSR_DR);
	ck_assert_uint_eq(uart8250_read(&u, UART_RBR), 'a');
	ck_assert_uint_eq(uart8250_read(&u, UART_RBR), 'b');
	ck_assert(!(uart8250_read(&u, UART_LSR) & UART_LSR_DR));
	ck_assert_int_eq(irq_level, 0);

	/* THRI: raised when enabled with THR empty, acknowledged by reading IIR */
	uart8250_write(&u, UART_IER, UART_IER_THRI);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_THRI);
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_NO_INT);
	uart8250_write(&u, UART_THR, 'x');
	ck_assert_int_eq(irq_level, 1);
}
END_TEST

START_TEST(uart_overrun)
{
	unsigned int i;

	uart_setup();
	for (i = 0; i < UART_FIFO_SIZE; i++)
		ck_assert(uart8250_rx(&u, (uint8_t)i));
	ck_assert(!uart8250_rx(&u, 0xff));	/* full: the console waits */
	ck_assert_uint_eq(uart8250_read(&u, UART_RBR), 0);
}
END_TEST

START_TEST(uart_loopback)
{
	uart_setup();
	uart8250_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	ck_assert_uint_eq(uart8250_read(&u, UART_MSR) & 0xf0, UART_MSR_CTS | UART_MSR_DCD);
	uart8250_write(&u, UART_THR, 0x55);
	ck_assert_uint_eq(txlen, 0);
	ck_assert_uint_eq(uart8250_read(&u, UART_RBR), 0x55);
	uart8250_write(&u, UART_MCR, UART_MCR_OUT2);
	ck_assert_uint_eq(uart8250_read(&u, UART_MSR) & 0xf0,
			  UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
}
END_TEST

START_TEST(rtc_time_and_id)
{
	struct pl031 rtc;
	uint32_t t;

	pl031_init(&rtc);
	t = pl031_read(&rtc, RTC_DR);
	ck_assert_uint_le((uint32_t)time(NULL) - t, 2);
	ck_assert_uint_eq(pl031_read(&rtc, RTC_CR), 1);
	ck_assert_uint_eq(pl031_read(&rtc, 0xfe0), 0x31);
	ck_assert_uint_eq(pl031_read(&rtc, 0xfe4), 0x10);
	ck_assert_uint_eq(pl031_read(&rtc, 0xff0), 0x0d);
	ck_assert_uint_eq(pl031_read(&rtc, 0xffc), 0xb1);
	pl031_write(&rtc, RTC_LR, 1000);
	t = pl031_read(&rtc, RTC_DR);
	ck_assert(t >= 1000 && t <= 1002);
	/* match interrupt */
	pl031_write(&rtc, RTC_IMSC, 1);
	pl031_write(&rtc, RTC_MR, t);
	ck_assert_uint_eq(pl031_read(&rtc, RTC_MIS), 1);
	pl031_write(&rtc, RTC_ICR, 1);
	ck_assert_uint_eq(pl031_read(&rtc, RTC_RIS), 0);
}
END_TEST

Suite *uart_suite(void)
{
	return CHECK_SUITE("uart8250", 0, uart_polled_output,
			   uart_divisor_and_scratch,
			   uart_receive_and_interrupts, uart_overrun,
			   uart_loopback);
}

Suite *pl031_suite(void)
{
	return CHECK_SUITE("pl031", 0, rtc_time_and_id);
}
