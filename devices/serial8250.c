// SPDX-License-Identifier: GPL-2.0
/*
 * 8250/16550A UART ("ns16550a"): what Linux's 8250 driver and a polled
 * early console need.  Transmission is instantaneous (THR is always empty
 * again when the guest next looks: while stdout is full, the store to THR
 * waits instead, see vmm/console.c), reception goes through a FIFO fed by
 * the console.  Interrupt identification follows the 16550A priority:
 * line status > received data > THR empty > modem status.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../vmm/vmm.h"
#include "../vmm/console.h"
#include "../vmm/mmio.h"
#include "device.h"
#include "serial8250.h"

static uint8_t iir_of(struct uart8250 *u)
{
	uint8_t fifo = (u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO : 0;

	if ((u->ier & UART_IER_RLSI) && (u->lsr & UART_LSR_OE))
		return fifo | UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->count)
		return fifo | UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thri_pending)
		return fifo | UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && (u->msr & 0x0f))
		return fifo | UART_IIR_MSI;
	return fifo | UART_IIR_NO_INT;
}

static void update_irq(struct uart8250 *u)
{
	int level = !(iir_of(u) & UART_IIR_NO_INT);

	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->irq)
			u->irq(u->ctx, level);
	}
}

/* Modem status as the lines are: looped back from MCR in loopback mode. */
static void update_msr(struct uart8250 *u)
{
	uint8_t old = u->msr, lines;

	if (u->mcr & UART_MCR_LOOP)
		lines = ((u->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
			((u->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
			((u->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
			((u->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0);
	else
		lines = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	u->msr = (old & 0x0f) | lines;
	if ((old ^ lines) & UART_MSR_CTS)
		u->msr |= UART_MSR_DCTS;
	if ((old ^ lines) & UART_MSR_DSR)
		u->msr |= UART_MSR_DDSR;
	if ((old ^ lines) & UART_MSR_DCD)
		u->msr |= UART_MSR_DDCD;
	if ((old & UART_MSR_RI) && !(lines & UART_MSR_RI))
		u->msr |= UART_MSR_TERI;
}

void uart8250_init(struct uart8250 *u, void (*tx)(void *, uint8_t),
		   void (*irq)(void *, int), void *ctx)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	u->lsr = UART_LSR_THRE | UART_LSR_TEMT;
	u->mcr = UART_MCR_OUT2;
	u->dll = 12;		/* 9600 baud at 1.8432 MHz */
	u->tx = tx;
	u->irq = irq;
	u->ctx = ctx;
	update_msr(u);
	u->msr &= 0xf0;
}

static bool rx_locked(struct uart8250 *u, uint8_t c)
{
	if (u->count == UART_FIFO_SIZE) {
		u->lsr |= UART_LSR_OE;
		return false;
	}
	u->fifo[(u->head + u->count) % UART_FIFO_SIZE] = c;
	u->count++;
	u->lsr |= UART_LSR_DR;
	return true;
}

bool uart8250_rx(struct uart8250 *u, uint8_t c)
{
	bool ok;

	pthread_mutex_lock(&u->lock);
	/* in loopback the receiver hears only the transmitter */
	ok = (u->mcr & UART_MCR_LOOP) || u->count < UART_FIFO_SIZE;
	if (ok && !(u->mcr & UART_MCR_LOOP))
		rx_locked(u, c);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return ok;
}

uint8_t uart8250_read(struct uart8250 *u, unsigned int reg)
{
	uint8_t v = 0;

	pthread_mutex_lock(&u->lock);
	switch (reg) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB) {
			v = u->dll;
			break;
		}
		if (u->count) {
			v = u->fifo[u->head];
			u->head = (u->head + 1) % UART_FIFO_SIZE;
			u->count--;
		}
		if (!u->count)
			u->lsr &= ~UART_LSR_DR;
		break;
	case UART_IER:
		v = (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
		break;
	case UART_IIR:
		v = iir_of(u);
		/* reading IIR acknowledges a THR-empty interrupt it reports */
		if ((v & 0x0f) == UART_IIR_THRI)
			u->thri_pending = false;
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		v = u->lsr;
		u->lsr &= ~UART_LSR_OE;		/* error bits clear on read */
		break;
	case UART_MSR:
		v = u->msr;
		u->msr &= 0xf0;			/* deltas clear on read */
		break;
	case UART_SCR:
		v = u->scr;
		break;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return v;
}

void uart8250_write(struct uart8250 *u, unsigned int reg, uint8_t val)
{
	pthread_mutex_lock(&u->lock);
	switch (reg) {
	case UART_THR:
		if (u->lcr & UART_LCR_DLAB) {
			u->dll = val;
			break;
		}
		if (u->mcr & UART_MCR_LOOP)
			rx_locked(u, val);
		else if (u->tx)
			u->tx(u->ctx, val);
		/* sent at once: THR is empty again */
		u->thri_pending = true;
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = val;
			break;
		}
		/* enabling THRI with THR empty raises it at once (16550A) */
		if ((val & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
			u->thri_pending = true;
		u->ier = val & 0x0f;
		break;
	case UART_FCR:
		u->fcr = val & 0xc9;
		if (val & UART_FCR_CLR_RX) {
			u->head = u->count = 0;
			u->lsr &= ~UART_LSR_DR;
		}
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & 0x1f;
		update_msr(u);
		break;
	case UART_LSR:
	case UART_MSR:
		break;			/* read-only here */
	case UART_SCR:
		u->scr = val;
		break;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

/* ---- wiring into the VM ------------------------------------------------- */

/*
 * The device: the register model, and whether THR's byte is a
 * coalesced-MMIO zone.  While IER is 0 a store to THR (or to DLL) has no
 * effect the guest can see before it next reads the UART, as no interrupt
 * can follow from it: those stores stay in KVM's coalesced-MMIO ring
 * instead of exiting (QEMU's memory_region_add_coalescing), and vcpu.c
 * drains the ring, in order, before it handles any exit, that read
 * included.  Linux's console writes with IER cleared, so a printk
 * character costs its LSR poll's exit and no exit for THR.  Writes to
 * any other register exit, an IER write among them: each is where the
 * zone comes or goes.
 */
struct serial {
	struct uart8250 u;
	bool coalesced;			/* the zone is registered */
	bool refused;			/* no ring, or the zone was refused */
};

/*
 * While the ring's flusher runs (a zone was registered), a character can
 * wait to go out with the next ones: the flusher writes it within 10 ms.
 */
static void serial_tx(void *ctx, uint8_t c)
{
	struct device *dev = ctx;

	if (mmio_coalesced_flushing(dev->vm))
		console_out_held(&c, 1);
	else
		console_out(&c, 1);
}

static void serial_irq(void *ctx, int level)
{
	struct device *dev = ctx;

	vm_irq_line(dev->vm, dev->region->intid, level);
}

static int serial_init(struct device *dev)
{
	struct serial *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	uart8250_init(&s->u, serial_tx, serial_irq, dev);
	dev->priv = s;
	return 0;
}

static void serial_exit(struct device *dev)
{
	struct serial *s = dev->priv;

	/* the vCPU threads are gone: every store was drained */
	if (s->coalesced || dev->vm->coalesced_writes)
		pr_debug("%s: %" PRIu64 " stores taken through the coalesced-MMIO ring\n",
			 dev->region->name, dev->vm->coalesced_writes);
	free(dev->priv);
	dev->priv = NULL;
}

static void serial_coalesce(struct device *dev)
{
	struct serial *s = dev->priv;
	bool want;

	pthread_mutex_lock(&s->u.lock);
	want = !s->u.ier;
	if (want != s->coalesced && !s->refused) {
		if (mmio_coalesce(dev->vm, dev->region->base + UART_THR, 1, want) < 0)
			s->refused = true;
		else
			s->coalesced = want;
	}
	pthread_mutex_unlock(&s->u.lock);
}

static uint64_t serial_read(struct device *dev, unsigned int vcpu, uint64_t off,
			    unsigned int len)
{
	struct serial *s = dev->priv;
	uint8_t v = uart8250_read(&s->u, (unsigned int)off);

	serial_coalesce(dev);		/* a guest that never writes IER too */
	return v;
}

static void serial_write(struct device *dev, unsigned int vcpu, uint64_t off,
			 unsigned int len, uint64_t val)
{
	struct serial *s = dev->priv;

	uart8250_write(&s->u, (unsigned int)off, (uint8_t)val);
	if (off != UART_THR)
		serial_coalesce(dev);
}

static bool serial_input(struct device *dev, uint8_t c)
{
	struct serial *s = dev->priv;

	return uart8250_rx(&s->u, c);
}

static int serial_fdt_props(struct device *dev, void *fdt)
{
	int ret = fdt_property_string(fdt, "compatible", "ns16550a");

	if (!ret)
		ret = fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ);
	return ret;
}

static const struct device_ops serial8250_ops = {
	.name = "ns16550a",
	.init = serial_init,
	.exit = serial_exit,
	.read = serial_read,
	.write = serial_write,
	.fdt_props = serial_fdt_props,
	.input = serial_input,
};
DEVICE_REGISTER(serial8250_ops)

