// SPDX-License-Identifier: GPL-2.0
/*
 * its: LPIs through the GICv3 ITS (`vmm run --irqchip gicv3-its --testdev`,
 * issue 15 item 4).  The guest programs the redistributor's property and
 * pending tables, the ITS's device and collection tables and its command
 * queue, maps (DeviceID 1, EventID n) to LPIs with MAPD/MAPC/MAPTI, and
 * checks each command by the interrupts it takes: INT, an MSI from the
 * test device (KVM_SIGNAL_MSI on the doorbell, as a device's write to
 * GITS_TRANSLATER), INV after a property change, CLEAR, DISCARD, MOVI,
 * INVALL and MOVALL.  A CPU store to GITS_TRANSLATER is no MSI under KVM
 * (its ITS frame has no such register): checked too.
 */
#include <stdbool.h>

#include "rt.h"

#define GICD_BASE	0x3fff0000UL
#define GICR_BASE	(GICD_BASE - 0x20000UL)		/* one vCPU */
#define ITS_BASE	(GICR_BASE - 0x20000UL)		/* kvmtool's place */

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078
#define GICR_INVLPIR	0x00a0
#define GICR_INVALLR	0x00b0
#define GICR_SYNCR	0x00c0
#define GITS_CTLR	0x0000
#define GITS_TYPER	0x0008
#define GITS_CBASER	0x0080
#define GITS_CWRITER	0x0088
#define GITS_CREADR	0x0090
#define GITS_BASER(n)	(0x0100 + 8 * (n))
#define GITS_TRANSLATER	0x10040

#define TESTDEV_CTL_MSI		(TESTDEV_CTL + 0x18)
#define TESTDEV_CTL_MSI_RESULT	(TESTDEV_CTL + 0x20)

#define LPI(n)		(8192 + (n))
#define DEVID		1
#define PRIO		0xa0

/* the tables, 64K-aligned as the ITS's page size wants */
static u8 prop_table[65536] __attribute__((aligned(65536)));
static u8 pend_table[65536] __attribute__((aligned(65536)));
static u64 device_table[8192] __attribute__((aligned(65536)));
static u64 coll_table[8192] __attribute__((aligned(65536)));
static u64 cmdq[8192] __attribute__((aligned(65536)));	/* 64K: 2048 commands */
static u64 itt[32] __attribute__((aligned(256)));	/* 32 events, 8-byte entries */

static unsigned int cmd_next;			/* in commands */
static volatile unsigned int nr_irqs;
static volatile u32 last_intid;

static int irq_handler(struct rt_frame *f, unsigned int vec)
{
	u64 intid;

	asm volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid));	/* ICC_IAR1_EL1 */
	if (intid >= 1020 && intid <= 1023)
		return 1;				/* special INTIDs: spurious */
	last_intid = (u32)intid;
	nr_irqs++;
	asm volatile("msr S3_0_C12_C12_1, %0" : : "r"(intid));	/* ICC_EOIR1_EL1 */
	isb();
	return 1;
}

static void its_cmd(u64 d0, u64 d1, u64 d2, u64 d3)
{
	u64 *c = &cmdq[4 * cmd_next];
	unsigned int spins;

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	cmd_next = (cmd_next + 1) % (ARRAY_SIZE(cmdq) / 4);
	dsb(sy);
	writeq((u64)cmd_next * 32, ITS_BASE + GITS_CWRITER);
	for (spins = 0; spins < 1000000; spins++)
		if (readq(ITS_BASE + GITS_CREADR) == (u64)cmd_next * 32)
			break;
}

static void mapd(u32 dev, u64 itt_addr, unsigned int bits, bool valid)
{
	its_cmd(0x08 | (u64)dev << 32, bits - 1, itt_addr | (u64)valid << 63, 0);
}

/* PTA is 0: a redistributor is named by its processor number */
static void mapc(u32 icid, u32 cpu)
{
	its_cmd(0x09, 0, icid | (u64)cpu << 16 | 1UL << 63, 0);
}

static void mapti(u32 dev, u32 event, u32 intid, u32 icid)
{
	its_cmd(0x0a | (u64)dev << 32, event | (u64)intid << 32, icid, 0);
}

static void dev_event_cmd(u8 cmd, u32 dev, u32 event, u32 icid)
{
	its_cmd(cmd | (u64)dev << 32, event, icid, 0);
}

#define its_int(e)		dev_event_cmd(0x03, DEVID, e, 0)
#define its_clear(e)		dev_event_cmd(0x04, DEVID, e, 0)
#define its_inv(e)		dev_event_cmd(0x0c, DEVID, e, 0)
#define its_discard(e)		dev_event_cmd(0x0f, DEVID, e, 0)
#define its_movi(e, icid)	dev_event_cmd(0x01, DEVID, e, icid)
#define its_sync()		its_cmd(0x05, 0, 0, 0)
#define its_invall(icid)	its_cmd(0x0d, 0, icid, 0)
#define its_movall(from, to)	its_cmd(0x0e, 0, (u64)(from) << 16, (u64)(to) << 16)

/*
 * How many interrupts arrived since the last call, after a short while
 * (a command's LPI is usually taken as soon as CWRITER is written).
 */
static unsigned int take_irqs(void)
{
	static unsigned int seen;
	unsigned int i, n;

	for (i = 0; i < 200000; i++)
		asm volatile("" ::: "memory");
	n = nr_irqs - seen;
	seen += n;
	return n;
}

static void set_prop(u32 intid, bool enable)
{
	prop_table[intid - 8192] = PRIO | (enable ? 1 : 0);
	dsb(sy);
}

int main(void)
{
	u64 typer, r;
	u32 dtyper;
	unsigned int n;

	rt_set_handler(VEC_IRQ, irq_handler);

	dtyper = readl(GICD_BASE + GICD_TYPER);
	check(dtyper & BIT(17), "GICD_TYPER.LPIS set (0x%x)", dtyper);
	check(((dtyper >> 19) & 0x1f) == 15, "GICD_TYPER.IDbits 16 bits (%u)",
	      ((dtyper >> 19) & 0x1f) + 1);
	check(readq(GICR_BASE + GICR_TYPER) & 1, "GICR_TYPER.PLPIS set");
	typer = readq(ITS_BASE + GITS_TYPER);
	check((typer & 1) && ((typer >> 4) & 0xf) == 7,
	      "GITS_TYPER: Physical, ITT entry size 8 (0x%lx)", (unsigned long)typer);
	check(((readq(ITS_BASE + GITS_BASER(0)) >> 56) & 7) == 1 &&
	      ((readq(ITS_BASE + GITS_BASER(1)) >> 56) & 7) == 4,
	      "GITS_BASER0 is the device table, BASER1 the collection table");

	/* the redistributor: property and pending tables, then EnableLPIs */
	set_prop(LPI(0), true);
	set_prop(LPI(1), true);
	set_prop(LPI(2), false);
	writeq((u64)(uintptr_t)prop_table | 15, GICR_BASE + GICR_PROPBASER);
	writeq((u64)(uintptr_t)pend_table, GICR_BASE + GICR_PENDBASER);
	r = readq(GICR_BASE + GICR_PROPBASER);
	check((r & ~0xfffUL) == (u64)(uintptr_t)prop_table && (r & 0x1f) == 15,
	      "GICR_PROPBASER reads back (0x%lx)", (unsigned long)r);
	writel(1, GICR_BASE + GICR_CTLR);
	check(readl(GICR_BASE + GICR_CTLR) & 1, "GICR_CTLR.EnableLPIs set");

	/* the ITS: one 64K page per table, the command queue, then Enabled */
	writeq((u64)(uintptr_t)device_table | 1UL << 63, ITS_BASE + GITS_BASER(0));
	writeq((u64)(uintptr_t)coll_table | 1UL << 63, ITS_BASE + GITS_BASER(1));
	writeq((u64)(uintptr_t)cmdq | 1UL << 63 | 15, ITS_BASE + GITS_CBASER);
	writeq(0, ITS_BASE + GITS_CWRITER);
	writel(1, ITS_BASE + GITS_CTLR);
	check(readl(ITS_BASE + GITS_CTLR) & 1, "GITS_CTLR.Enabled set");

	/* the CPU interface: group 1 on, every priority unmasked */
	write_sysreg(1, S3_0_C12_C12_5);	/* ICC_SRE_EL1.SRE */
	isb();
	write_sysreg(0xff, S3_0_C4_C6_0);	/* ICC_PMR_EL1 */
	write_sysreg(1, S3_0_C12_C12_7);	/* ICC_IGRPEN1_EL1 */
	writel(BIT(1) | BIT(4), GICD_BASE + GICD_CTLR);	/* EnableGrp1NS, ARE_NS */
	isb();
	asm volatile("msr daifclr, #2");

	mapd(DEVID, (u64)(uintptr_t)itt, 5, true);
	mapc(0, 0);
	mapti(DEVID, 0, LPI(0), 0);
	mapti(DEVID, 1, LPI(1), 0);
	mapti(DEVID, 2, LPI(2), 0);
	its_sync();
	check(readq(ITS_BASE + GITS_CREADR) == readq(ITS_BASE + GITS_CWRITER) &&
	      (readl(ITS_BASE + GITS_CTLR) & BIT(31)),
	      "the queue is drained: CREADR == CWRITER, GITS_CTLR.Quiescent");

	its_int(0);
	n = take_irqs();
	check(n == 1 && last_intid == LPI(0), "INT: LPI %u taken (%u interrupts, INTID %u)",
	      LPI(0), n, last_intid);

	writeq((u64)DEVID << 32 | 1, TESTDEV_CTL_MSI);
	n = take_irqs();
	r = readq(TESTDEV_CTL_MSI_RESULT);
	check(r == 1 && n == 1 && last_intid == LPI(1),
	      "MSI to the doorbell (KVM_SIGNAL_MSI %ld): LPI %u taken (%u, INTID %u)",
	      (long)r, LPI(1), n, last_intid);

	writel(1, ITS_BASE + GITS_TRANSLATER);
	n = take_irqs();
	check(n == 0, "a CPU store to GITS_TRANSLATER is no MSI, as in KVM (%u)", n);

	/* a disabled LPI stays pending until INV reads it enabled */
	its_int(2);
	n = take_irqs();
	check(n == 0, "INT on a disabled LPI: nothing taken (%u)", n);
	set_prop(LPI(2), true);
	its_inv(2);
	n = take_irqs();
	check(n == 1 && last_intid == LPI(2), "INV after enabling it: LPI %u taken (%u, %u)",
	      LPI(2), n, last_intid);

	/* GICR_CTLR.IR: the redistributor's own invalidation registers, as Linux uses them */
	check(readl(GICR_BASE + GICR_CTLR) & BIT(2), "GICR_CTLR.IR: GICR_INVLPIR/INVALLR exist");
	set_prop(LPI(2), false);
	writeq(LPI(2), GICR_BASE + GICR_INVLPIR);
	while (readl(GICR_BASE + GICR_SYNCR) & 1)
		;
	its_int(2);
	n = take_irqs();
	check(n == 0, "GICR_INVLPIR read the LPI disabled: nothing taken (%u)", n);
	set_prop(LPI(2), true);
	writeq(0, GICR_BASE + GICR_INVALLR);
	while (readl(GICR_BASE + GICR_SYNCR) & 1)
		;
	n = take_irqs();
	check(n == 1 && last_intid == LPI(2), "GICR_INVALLR read it enabled: LPI %u taken (%u)",
	      LPI(2), n);

	/* CLEAR drops the pending state */
	set_prop(LPI(0), false);
	its_inv(0);
	its_int(0);
	its_clear(0);
	set_prop(LPI(0), true);
	its_inv(0);
	n = take_irqs();
	check(n == 0, "CLEAR: the pending LPI is gone (%u)", n);

	/* MOVI to another collection, INVALL of it, MOVALL onto the same CPU */
	mapc(1, 0);
	its_movi(0, 1);
	set_prop(LPI(0), false);
	its_invall(1);
	its_int(0);
	n = take_irqs();
	check(n == 0, "MOVI, then INVALL of the new collection disables the LPI (%u)", n);
	set_prop(LPI(0), true);
	its_invall(1);
	n = take_irqs();
	check(n == 1 && last_intid == LPI(0), "INVALL enables it again: LPI %u taken (%u)",
	      LPI(0), n);
	its_movall(0, 0);
	its_int(0);
	n = take_irqs();
	check(n == 1, "MOVALL to the same redistributor: INT still taken (%u)", n);

	/* DISCARD: the event is gone, the MSI is blocked */
	its_discard(1);
	writeq((u64)DEVID << 32 | 1, TESTDEV_CTL_MSI);
	n = take_irqs();
	r = readq(TESTDEV_CTL_MSI_RESULT);
	check(r == 0 && n == 0, "DISCARD: the MSI is blocked (KVM_SIGNAL_MSI %ld, %u taken)",
	      (long)r, n);

	/* MAPD V=0 unmaps the device, and with it every event */
	mapd(DEVID, 0, 1, false);
	its_int(2);
	n = take_irqs();
	check(n == 0, "MAPD V=0: INT on the unmapped device does nothing (%u)", n);
	return rt_report("its");
}
