/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 8250/16550A UART register model, apart from its wiring so that tests
 * can drive it: byte-wide registers, reg-shift 0.
 */
#ifndef VMM_SERIAL8250_H
#define VMM_SERIAL8250_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define UART_FIFO_SIZE	64
#define UART_CLOCK_HZ	1843200

/* register offsets */
#define UART_RBR	0	/* read, DLAB=0 */
#define UART_THR	0	/* write, DLAB=0 */
#define UART_DLL	0	/* DLAB=1 */
#define UART_IER	1	/* DLAB=0 */
#define UART_DLM	1	/* DLAB=1 */
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01
#define UART_IER_THRI	0x02
#define UART_IER_RLSI	0x04
#define UART_IER_MSI	0x08

#define UART_IIR_NO_INT	0x01
#define UART_IIR_MSI	0x00
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_RLSI	0x06
#define UART_IIR_FIFO	0xc0

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02
#define UART_FCR_CLR_TX	0x04

#define UART_LCR_DLAB	0x80

#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT1	0x04
#define UART_MCR_OUT2	0x08
#define UART_MCR_LOOP	0x10

#define UART_LSR_DR	0x01
#define UART_LSR_OE	0x02
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

#define UART_MSR_DCTS	0x01
#define UART_MSR_DDSR	0x02
#define UART_MSR_TERI	0x04
#define UART_MSR_DDCD	0x08
#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_RI	0x40
#define UART_MSR_DCD	0x80

struct uart8250 {
	pthread_mutex_t lock;
	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr, dll, dlm;
	bool thri_pending;		/* THR empty interrupt not yet acknowledged */
	uint8_t fifo[UART_FIFO_SIZE];
	unsigned int head, count;
	/* wiring */
	void (*tx)(void *ctx, uint8_t c);
	void (*irq)(void *ctx, int level);
	void *ctx;
	int irq_level;
};

void uart8250_init(struct uart8250 *u, void (*tx)(void *, uint8_t),
		   void (*irq)(void *, int), void *ctx);
uint8_t uart8250_read(struct uart8250 *u, unsigned int reg);
void uart8250_write(struct uart8250 *u, unsigned int reg, uint8_t val);
/* Receive a byte from the outside; false when the FIFO is full. */
bool uart8250_rx(struct uart8250 *u, uint8_t c);

#endif
