// SPDX-License-Identifier: GPL-2.0
/*
 * uart-irq: the 8250's THR-empty interrupt, under `vmm run --irqchip
 * gicv2` (the UART is SPI 0, INTID 32).  While IER is 0 vmm lets stores to
 * THR go to KVM's coalesced-MMIO ring without an exit; with IER.THRI set
 * each store must exit, since its THR-empty interrupt follows at once.
 * The guest enables THRI (the interrupt comes at once: THR is empty),
 * acknowledges it by reading IIR, then, IRQs unmasked, stores one byte to
 * THR and waits, touching the UART no more, for the interrupt: a store
 * left in the ring would raise it only at the next exit, which never
 * comes.  Then the same with IER 0 again: no interrupt, the byte arrives.
 */
#include "rt.h"

#define GICD		0x3fff0000UL
#define GICC		0x3ffd0000UL
#define GICD_CTLR	0x000
#define GICD_ISENABLER1	0x104
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10

#define UART_IER	0x1
#define UART_IIR	0x2
#define UART_IER_THRI	0x02
#define UART_IIR_THRI	0x02
#define UART_INTID	32

static volatile u32 nr_uart_irq;
static volatile u32 last_iir;

static int irq_handler(struct rt_frame *f, unsigned int vec)
{
	u32 iar = readl(GICC + GICC_IAR);

	if ((iar & 0x3ff) >= 1020)
		return 1;	/* spurious: the line fell meanwhile */
	if ((iar & 0x3ff) == UART_INTID) {
		last_iir = readb(UART_BASE + UART_IIR);	/* acknowledges THRI */
		nr_uart_irq = nr_uart_irq + 1;
	}
	writel(iar, GICC + GICC_EOIR);
	return 1;
}

/* Waits up to 2 s of the generic timer for *p to become @want. */
static int wait_for(volatile u32 *p, u32 want)
{
	u64 freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntvct_el0);

	if (!freq)
		freq = 62500000;
	while (*p != want) {
		if (read_sysreg(cntvct_el0) - start > 2 * freq)
			return 0;
		asm volatile("yield" ::: "memory");
	}
	return 1;
}

int main(void)
{
	int first, second, none;

	rt_set_handler(VEC_IRQ, irq_handler);
	writel(1, GICD + GICD_CTLR);
	writeb(0xa0, GICD + GICD_IPRIORITYR + UART_INTID);
	writeb(0x01, GICD + GICD_ITARGETSR + UART_INTID);
	writel(1u << (UART_INTID - 32), GICD + GICD_ISENABLER1);
	writel(0xf8, GICC + GICC_PMR);
	writel(1, GICC + GICC_CTLR);

	asm volatile("msr daifclr, #2" ::: "memory");
	writeb(UART_IER_THRI, UART_BASE + UART_IER);
	first = wait_for(&nr_uart_irq, 1);
	/* the handler's IIR read acknowledged it: the line is low */
	writeb('\n', UART_BASE + UART_THR);
	second = wait_for(&nr_uart_irq, 2);
	writeb(0, UART_BASE + UART_IER);
	writeb('\n', UART_BASE + UART_THR);
	none = !wait_for(&nr_uart_irq, 3);
	asm volatile("msr daifset, #2" ::: "memory");

	check(first && (last_iir & 0x0f) == UART_IIR_THRI,
	      "enabling THRI with THR empty interrupts at once (IIR 0x%x)", last_iir);
	check(second, "a store to THR with THRI enabled interrupts (%u interrupts)",
	      nr_uart_irq);
	check(none, "a store to THR with IER 0 does not interrupt");
	return rt_report("uart-irq");
}
