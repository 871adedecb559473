// SPDX-License-Identifier: GPL-2.0
/*
 * gicv2: the GICv2 of `vmm run --irqchip gicv2 -c 2` (kvmtool's map: the
 * distributor at 0x3fff0000, the CPU interface at 0x3ffd0000), as a KVM
 * guest sees it: no GICv3 system registers (ID_AA64PFR0_EL1.GIC 0,
 * ICC_SRE_EL1 UNDEFINED); the distributor's identification, banked
 * ITARGETSR and byte access; SGIs through GICD_SGIR (self, target list,
 * all-but-self) taken as IRQ exceptions on both vCPUs with the sender in
 * GICC_IAR.CPUID; an SPI routed by GICD_ITARGETSR to vCPU 1, then to
 * vCPU 0; priorities, PMR, preemption and the binary point; GICC_APR0;
 * GICD_SPENDSGIR/CPENDSGIR; EOImode with GICC_DIR; FIQEn; group 1 with
 * AckCtl, GICC_AIAR/AEOIR.
 */
#include "rt.h"

#define GICD		0x3fff0000UL
#define GICC		0x3ffd0000UL

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IIDR	0x008
#define GICD_IGROUPR	0x080
#define GICD_ISENABLER	0x100
#define GICD_ISPENDR	0x200
#define GICD_ICPENDR	0x280
#define GICD_ISACTIVER	0x300
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICD_CPENDSGIR	0xf10
#define GICD_SPENDSGIR	0xf20

#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_BPR	0x08
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define GICC_RPR	0x14
#define GICC_HPPIR	0x18
#define GICC_AIAR	0x20
#define GICC_AEOIR	0x24
#define GICC_APR0	0xd0
#define GICC_IIDR	0xfc
#define GICC_DIR	0x1000

#define CTLR_GRP0	BIT(0)
#define CTLR_GRP1	BIT(1)
#define CTLR_ACKCTL	BIT(2)
#define CTLR_FIQEN	BIT(3)
#define CTLR_EOIMODE	BIT(9)

#define SGIR(filter, targets, sgi)	((filter) << 24 | (targets) << 16 | (sgi))
#define SPI		40

static u64 stack[1024] __attribute__((aligned(16)));
static struct rt_cpu_boot boot;

/* per vCPU: the last acknowledged GICC_IAR value, and how many */
static volatile u32 last_iar[2], nr_irq[2];
static volatile u32 cpu1_ready;

static unsigned int this_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void dist_write(unsigned int off, u32 v) { writel(v, GICD + off); }
static u32 dist_read(unsigned int off) { return readl(GICD + off); }
static void cpu_write(unsigned int off, u32 v) { writel(v, GICC + off); }
static u32 cpu_read(unsigned int off) { return readl(GICC + off); }

static int irq_handler(struct rt_frame *f, unsigned int vec)
{
	unsigned int cpu = this_cpu() & 1;
	u32 iar = cpu_read(GICC_IAR);

	if ((iar & 0x3ff) >= 1020)
		return 1;	/* spurious: the line fell meanwhile */
	last_iar[cpu] = iar;
	dsb(sy);
	nr_irq[cpu] = nr_irq[cpu] + 1;
	cpu_write(GICC_EOIR, iar);
	return 1;
}

static volatile u32 nr_fiq;
static int fiq_handler(struct rt_frame *f, unsigned int vec)
{
	u32 iar = cpu_read(GICC_IAR);

	if ((iar & 0x3ff) < 1020) {
		nr_fiq = nr_fiq + 1;
		cpu_write(GICC_EOIR, iar);
	}
	return 1;
}

static int undef_seen;
static int undef_handler(struct rt_frame *f, unsigned int vec)
{
	undef_seen = 1;
	f->elr += 4;
	return 1;
}

/* Waits up to 5 s of the generic timer for *p to become @want. */
static int wait_for(volatile u32 *p, u32 want)
{
	u64 freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntvct_el0);

	if (!freq)
		freq = 62500000;
	while (*p != want) {
		if (read_sysreg(cntvct_el0) - start > 5 * freq)
			return 0;
		asm volatile("yield" ::: "memory");	/* no WFE: no one sends an event */
	}
	return 1;
}

static void cpu_interface_on(void)
{
	cpu_write(GICC_PMR, 0xf8);
	cpu_write(GICC_BPR, 0);
	cpu_write(GICC_CTLR, CTLR_GRP0);
}

static void secondary(void *arg)
{
	cpu_interface_on();
	asm volatile("msr daifclr, #2" ::: "memory");
	cpu1_ready = 1;
	dsb(sy);
	/* answer each SGI 2 with SGI 3 to all but itself; stop at SGI 15 */
	for (;;) {
		u32 n = nr_irq[1];

		while (nr_irq[1] == n)
			asm volatile("wfi" ::: "memory");
		if ((last_iar[1] & 0x3ff) == 2)
			dist_write(GICD_SGIR, SGIR(1u, 0u, 3u));
		if ((last_iar[1] & 0x3ff) == 15)
			break;
	}
	asm volatile("msr daifset, #2" ::: "memory");
}

static void test_identification(void)
{
	u32 typer = dist_read(GICD_TYPER);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	check(((pfr0 >> 24) & 0xf) == 0, "ID_AA64PFR0_EL1.GIC = 0: no GICv3 system registers");
	rt_set_sync_handler(EC_UNKNOWN, undef_handler);
	undef_seen = 0;
	asm volatile("mrs x0, s3_0_c12_c12_5" ::: "x0", "memory");	/* ICC_SRE_EL1 */
	check(undef_seen, "ICC_SRE_EL1 is UNDEFINED");
	check(((typer >> 5) & 7) == 1, "GICD_TYPER.CPUNumber = 1 (2 vCPUs): 0x%x", typer);
	check((typer & 0x1f) >= 1, "GICD_TYPER.ITLinesNumber: %u INTIDs", ((typer & 0x1f) + 1) * 32);
	check(dist_read(GICD_IIDR) == 0x4b00243b, "GICD_IIDR: KVM, revision 2, Arm (0x%x)",
	      dist_read(GICD_IIDR));
	check(cpu_read(GICC_IIDR) == 0x04b2043b, "GICC_IIDR: KVM, GICv2, Arm (0x%x)",
	      cpu_read(GICC_IIDR));
	check(dist_read(GICD_ITARGETSR) == 0x01010101, "ITARGETSR0 (banked): CPU 0 (0x%x)",
	      dist_read(GICD_ITARGETSR));
	dist_write(GICD_ITARGETSR + SPI, 0xffffffff);
	check(dist_read(GICD_ITARGETSR + SPI) == 0x03030303,
	      "ITARGETSR: bits of CPUs that do not exist are RAZ/WI (0x%x)",
	      dist_read(GICD_ITARGETSR + SPI));
	writeb(0x02, GICD + GICD_ITARGETSR + SPI + 1);
	check(readb(GICD + GICD_ITARGETSR + SPI + 1) == 0x02 &&
	      dist_read(GICD_ITARGETSR + SPI) == 0x03030203, "ITARGETSR byte access");
	writeb(0x47, GICD + GICD_IPRIORITYR + SPI + 2);
	check(dist_read(GICD_IPRIORITYR + SPI) == 0x00400000,
	      "IPRIORITYR byte write keeps 5 priority bits (0x%x)",
	      dist_read(GICD_IPRIORITYR + SPI));
	dist_write(GICD_IPRIORITYR + SPI, 0);
	check(dist_read(GICD_IGROUPR) == 0, "everything in group 0 at reset");
}

/* SGIs taken as IRQ exceptions, with the sender's CPU interface number. */
static void test_sgi(void)
{
	check(cpu1_ready, "vCPU 1 enabled its CPU interface");
	dist_write(GICD_SGIR, SGIR(2u, 0u, 1u));	/* to myself */
	check(wait_for(&nr_irq[0], 1) && last_iar[0] == 1, "SGI 1 to self: IAR 0x%x", last_iar[0]);
	dist_write(GICD_SGIR, SGIR(0u, 2u, 2u));	/* to CPU 1; it answers SGI 3 */
	check(wait_for(&nr_irq[1], 1) && last_iar[1] == 2,
	      "SGI 2 by target list to vCPU 1: IAR 0x%x (CPUID 0)", last_iar[1]);
	check(wait_for(&nr_irq[0], 2) && last_iar[0] == (3 | 1u << 10),
	      "vCPU 1's SGI 3 to all but itself: IAR 0x%x (CPUID 1)", last_iar[0]);
	dist_write(GICD_SGIR, SGIR(0u, 0u, 4u));	/* an empty target list */
	dist_write(GICD_SGIR, SGIR(1u, 0u, 5u));	/* all but myself: CPU 1 only */
	check(wait_for(&nr_irq[1], 2) && last_iar[1] == 5 && nr_irq[0] == 2,
	      "SGI 5 to all but self reached vCPU 1 only (IAR 0x%x)", last_iar[1]);
}

/* An SPI goes where GICD_ITARGETSR sends it. */
static void test_spi_targets(void)
{
	dist_write(GICD_ISENABLER + 4, 1u << (SPI - 32));
	writeb(0x02, GICD + GICD_ITARGETSR + SPI);
	dist_write(GICD_ISPENDR + 4, 1u << (SPI - 32));
	check(wait_for(&nr_irq[1], 3) && last_iar[1] == SPI && nr_irq[0] == 2,
	      "SPI %d with ITARGETSR 0x02 taken by vCPU 1", SPI);
	writeb(0x01, GICD + GICD_ITARGETSR + SPI);
	dist_write(GICD_ISPENDR + 4, 1u << (SPI - 32));
	check(wait_for(&nr_irq[0], 3) && last_iar[0] == SPI && nr_irq[1] == 3,
	      "SPI %d with ITARGETSR 0x01 taken by vCPU 0", SPI);
}

/* With IRQs masked: acknowledge by hand. */
static void test_priorities(void)
{
	u32 iar;

	dist_write(GICD_IPRIORITYR + 4, 0x00204080);	/* SGI 4: 0x80, 5: 0x40, 6: 0x20 */
	dist_write(GICD_SGIR, SGIR(2u, 0u, 4u));
	dist_write(GICD_SGIR, SGIR(2u, 0u, 5u));
	check(cpu_read(GICC_HPPIR) == 5, "HPPIR: the higher priority SGI 5 (0x%x)",
	      cpu_read(GICC_HPPIR));
	iar = cpu_read(GICC_IAR);
	check(iar == 5, "IAR: SGI 5 first (0x%x)", iar);
	check(cpu_read(GICC_RPR) == 0x40, "RPR: 0x40 running (0x%x)", cpu_read(GICC_RPR));
	check(cpu_read(GICC_APR0) == 1u << (0x40 >> 3), "GICC_APR0: bit 8 (0x%x)",
	      cpu_read(GICC_APR0));
	check(cpu_read(GICC_IAR) == 1023, "SGI 4 (0x80) does not preempt 0x40: IAR 1023");
	cpu_write(GICC_EOIR, iar);
	check(cpu_read(GICC_RPR) == 0xff, "EOIR: running priority idle");
	iar = cpu_read(GICC_IAR);
	check(iar == 4, "then SGI 4 (0x%x)", iar);
	dist_write(GICD_SGIR, SGIR(2u, 0u, 6u));
	check(cpu_read(GICC_IAR) == 6, "SGI 6 (0x20) preempts 0x80");
	check(cpu_read(GICC_RPR) == 0x20, "RPR 0x20 with two active");
	cpu_write(GICC_EOIR, 6);
	check(cpu_read(GICC_RPR) == 0x80, "EOI of 6: back to 0x80");
	cpu_write(GICC_EOIR, iar);
	cpu_write(GICC_BPR, 7);		/* no group priority bits: nothing preempts */
	dist_write(GICD_SGIR, SGIR(2u, 0u, 4u));
	iar = cpu_read(GICC_IAR);
	dist_write(GICD_SGIR, SGIR(2u, 0u, 6u));
	check(iar == 4 && cpu_read(GICC_IAR) == 1023,
	      "BPR 7: SGI 6 (0x20) does not preempt SGI 4 (0x80)");
	cpu_write(GICC_EOIR, iar);
	cpu_write(GICC_BPR, 0);
	check(cpu_read(GICC_BPR) == 2, "BPR's minimum is 2 with 5 priority bits (%u)",
	      cpu_read(GICC_BPR));
	cpu_write(GICC_PMR, 0x20);
	check(cpu_read(GICC_IAR) == 1023, "PMR 0x20 masks priority 0x20");
	cpu_write(GICC_PMR, 0xf8);
	check(cpu_read(GICC_IAR) == 6, "PMR 0xf8: SGI 6 again");
	cpu_write(GICC_EOIR, 6);
}

static void test_sgi_pending_regs(void)
{
	u32 iar;

	writeb(0x02, GICD + GICD_SPENDSGIR + 7);	/* SGI 7 from CPU 1 */
	check(dist_read(GICD_SPENDSGIR + 4) == 0x02000000 &&
	      (dist_read(GICD_ISPENDR) & BIT(7)), "SPENDSGIR: SGI 7 pending from CPU 1");
	dist_write(GICD_ICPENDR, BIT(7));
	check(dist_read(GICD_ISPENDR) & BIT(7), "ICPENDR does not clear an SGI");
	iar = cpu_read(GICC_IAR);
	check(iar == (7 | 1u << 10), "IAR: SGI 7, CPUID 1 (0x%x)", iar);
	cpu_write(GICC_EOIR, iar);
	writeb(0x03, GICD + GICD_SPENDSGIR + 7);
	writeb(0x01, GICD + GICD_CPENDSGIR + 7);
	check(readb(GICD + GICD_SPENDSGIR + 7) == 0x02, "CPENDSGIR clears one source");
	writeb(0x02, GICD + GICD_CPENDSGIR + 7);
	check(!(dist_read(GICD_ISPENDR) & BIT(7)), "and the last: not pending");
}

static void test_eoimode(void)
{
	u32 iar;

	cpu_write(GICC_CTLR, CTLR_GRP0 | CTLR_EOIMODE);
	dist_write(GICD_SGIR, SGIR(2u, 0u, 8u));
	iar = cpu_read(GICC_IAR);
	cpu_write(GICC_EOIR, iar);
	check(iar == 8 && cpu_read(GICC_RPR) == 0xff, "EOImode: EOIR drops the priority");
	check(dist_read(GICD_ISACTIVER) & BIT(8), "EOImode: SGI 8 still active");
	dist_write(GICD_SGIR, SGIR(2u, 0u, 8u));
	check(cpu_read(GICC_IAR) == 1023, "active and pending: not signalled again");
	cpu_write(GICC_DIR, 8);
	check(!(dist_read(GICD_ISACTIVER) & BIT(8)), "GICC_DIR deactivates it");
	iar = cpu_read(GICC_IAR);
	check(iar == 8, "then the pending SGI 8 (0x%x)", iar);
	cpu_write(GICC_EOIR, iar);
	cpu_write(GICC_DIR, iar);
	cpu_write(GICC_CTLR, CTLR_GRP0);
}

/* FIQEn: group 0 is signalled as FIQ, group 1 stays IRQ. */
static void test_fiq(void)
{
	u32 irqs = nr_irq[0];

	rt_set_handler(VEC_FIQ, fiq_handler);
	cpu_write(GICC_CTLR, CTLR_GRP0 | CTLR_FIQEN);
	asm volatile("msr daifclr, #3" ::: "memory");
	dist_write(GICD_SGIR, SGIR(2u, 0u, 10u));
	check(wait_for(&nr_fiq, 1) && nr_irq[0] == irqs, "FIQEn: group 0's SGI 10 taken as FIQ");
	asm volatile("msr daifset, #3" ::: "memory");
	cpu_write(GICC_CTLR, CTLR_GRP0);
}

static void test_group1(void)
{
	u32 iar;

	dist_write(GICD_IGROUPR, BIT(9));
	check(dist_read(GICD_IGROUPR) == BIT(9), "IGROUPR0: SGI 9 in group 1");
	dist_write(GICD_SGIR, SGIR(2u, 0u, 9u));
	check(cpu_read(GICC_IAR) == 1023, "group 1 disabled: IAR 1023");
	cpu_write(GICC_CTLR, CTLR_GRP0 | CTLR_GRP1);
	check(cpu_read(GICC_IAR) == 1022, "group 1, AckCtl clear: IAR 1022");
	iar = cpu_read(GICC_AIAR);
	check(iar == 9, "GICC_AIAR acknowledges group 1's SGI 9 (0x%x)", iar);
	cpu_write(GICC_AEOIR, iar);
	check(!(dist_read(GICD_ISACTIVER) & BIT(9)) && cpu_read(GICC_RPR) == 0xff,
	      "GICC_AEOIR completes it");
	cpu_write(GICC_CTLR, CTLR_GRP0 | CTLR_GRP1 | CTLR_ACKCTL);
	dist_write(GICD_SGIR, SGIR(2u, 0u, 9u));
	iar = cpu_read(GICC_IAR);
	check(iar == 9, "AckCtl set: IAR acknowledges group 1 (0x%x)", iar);
	cpu_write(GICC_EOIR, iar);
	cpu_write(GICC_CTLR, CTLR_GRP0);
	dist_write(GICD_IGROUPR, 0);
}

int main(void)
{
	boot.stack_top = (u64)(uintptr_t)&stack[ARRAY_SIZE(stack)];
	boot.fn = secondary;
	rt_set_handler(VEC_IRQ, irq_handler);

	dist_write(GICD_CTLR, 1);
	dist_write(GICD_ISENABLER, 0xffff);
	cpu_interface_on();
	test_identification();
	check(rt_cpu_on(1, &boot) == PSCI_SUCCESS, "CPU_ON(vCPU 1)");
	wait_for(&cpu1_ready, 1);

	asm volatile("msr daifclr, #2" ::: "memory");
	test_sgi();
	test_spi_targets();
	asm volatile("msr daifset, #2" ::: "memory");

	test_priorities();
	test_sgi_pending_regs();
	test_eoimode();
	test_fiq();
	test_group1();

	dist_write(GICD_SGIR, SGIR(0u, 2u, 15u));	/* vCPU 1: done */
	return rt_report("gicv2");
}
