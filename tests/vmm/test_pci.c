// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge and virtio-pci (devices/pci.c, devices/virtio-pci.c),
 * driven through ECAM and the BARs as Linux's pci-host-generic and
 * virtio_pci_modern would: the header, BAR sizing and programming, the
 * capability list, a virtio-blk request with INTx and then with MSI-X
 * (masked, pending, unmasked), the configuration access window, and the
 * accesses a guest may get wrong.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../devices/pci.h"
#include "../../devices/virtio.h"
#include "../../vmm/memmap.h"
#include "vmm_test.h"

#define GBASE		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define QN		8
#define DESC_GPA	(GBASE + 0x1000)
#define AVAIL_GPA	(GBASE + 0x2000)
#define USED_GPA	(GBASE + 0x3000)
#define DATA_GPA	(GBASE + 0x8000)
#define BAR0		0x60000000u	/* where the test puts function 0's BARs */
#define BAR2		0x60010000u
#define ECAM(dev, reg)	(((uint64_t)(dev) << 15) | (reg))
#define MSI_ADDR	0x3ffd0040ULL

static uint8_t *ram;
static struct pci_bus bus;
static struct pci_func *blk_fn, *rng_fn;
static struct virtio_blk *blk;
static struct virtio_dev_ops blk_ops, rng_ops;
static char disk_path[64];
static int disk_fd = -1;
static int line[128], line_changes;
static unsigned int nr_msi;
static uint64_t msi_addr;
static uint32_t msi_data, msi_devid;
static uint16_t avail_idx;

static void t_irq(void *ctx, int intid, int level)
{
	ck_assert_int_ge(intid, 0);
	ck_assert_int_lt(intid, 128);
	line[intid] = level;
	line_changes++;
}

static int t_msi(void *ctx, uint64_t addr, uint32_t data, uint32_t devid)
{
	nr_msi++;
	msi_addr = addr;
	msi_data = data;
	msi_devid = devid;
	return 0;
}

static int t_blk_setup(struct virtio_mmio *t, struct device *dev)
{
	t->priv = blk;
	virtio_blk_attach(t, blk);
	return 0;
}

static uint32_t cr(unsigned int dev, unsigned int reg, unsigned int len)
{
	return pci_cfg_read(&bus, ECAM(dev, reg), len);
}

static void cw(unsigned int dev, unsigned int reg, unsigned int len, uint32_t v)
{
	pci_cfg_write(&bus, ECAM(dev, reg), len, v);
}

static uint64_t mr(uint64_t addr, unsigned int len)
{
	uint64_t v;

	ck_assert(pci_mmio_read(&bus, addr, len, &v));
	return v;
}

static void mw(uint64_t addr, unsigned int len, uint64_t v)
{
	ck_assert(pci_mmio_write(&bus, addr, len, v));
}

static uint8_t *g(uint64_t gpa) { return ram + (gpa - GBASE); }
static void put16(uint64_t gpa, uint16_t v) { v = htole16(v); memcpy(g(gpa), &v, 2); }
static void put32(uint64_t gpa, uint32_t v) { v = htole32(v); memcpy(g(gpa), &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { v = htole64(v); memcpy(g(gpa), &v, 8); }
static uint16_t get16(uint64_t gpa) { uint16_t v; memcpy(&v, g(gpa), 2); return le16toh(v); }

static void setup(void)
{
	uint8_t sec[VIRTIO_BLK_SECTOR];
	unsigned int s;

	ram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	memset(line, 0, sizeof(line));
	line_changes = 0;
	nr_msi = 0;
	avail_idx = 0;
	strcpy(disk_path, "/tmp/vmm-test-pci-disk-XXXXXX");
	disk_fd = mkstemp(disk_path);
	ck_assert_int_ge(disk_fd, 0);
	for (s = 0; s < 16; s++) {
		memset(sec, (int)s, sizeof(sec));
		ck_assert_int_eq(write(disk_fd, sec, sizeof(sec)), sizeof(sec));
	}
	blk = virtio_blk_new(disk_fd, 16 * VIRTIO_BLK_SECTOR, false, "pci-disk");
	ck_assert_ptr_nonnull(blk);
	/* the VM's setup() reads the VM; these take the test's back-ends */
	blk_ops = virtio_blk_dev_ops;
	blk_ops.setup = t_blk_setup;
	blk_ops.teardown = NULL;
	rng_ops = virtio_rng_dev_ops;
	rng_ops.setup = NULL;
	rng_ops.teardown = NULL;

	pci_bus_init(&bus, PCI_MMIO_BASE, PCI_MMIO_SIZE);
	bus.irq = t_irq;
	bus.msi = t_msi;
	blk_fn = virtio_pci_new(&blk_ops, NULL, ram, GBASE, RAM_SIZE);
	ck_assert_ptr_nonnull(blk_fn);
	blk_fn->intid = PCI_INTX_INTID;		/* no struct device: set here */
	blk_fn->cfg[PCI_INTERRUPT_PIN] = 1;
	ck_assert_int_eq(pci_bus_add(&bus, blk_fn), 0);
	rng_fn = virtio_pci_new(&rng_ops, NULL, ram, GBASE, RAM_SIZE);
	ck_assert_ptr_nonnull(rng_fn);
	ck_assert_int_eq(pci_bus_add(&bus, rng_fn), 1);
}

static void teardown(void)
{
	pci_bus_destroy(&bus);
	virtio_blk_free(blk);
	close(disk_fd);
	unlink(disk_path);
	free(ram);
}

/* The capability of virtio cfg_type @type on device @dev: its offset, or 0. */
static unsigned int vndr_cap(unsigned int dev, uint8_t type)
{
	unsigned int cap = cr(dev, PCI_CAPABILITY_LIST, 1), n;

	for (n = 0; cap && n < 48; n++, cap = cr(dev, cap + 1, 1)) {
		ck_assert_uint_eq(cap & 3, 0);
		ck_assert_uint_ge(cap, 0x40);
		if (cr(dev, cap, 1) == PCI_CAP_ID_VNDR && cr(dev, cap + 3, 1) == type)
			return cap;
	}
	return 0;
}

static unsigned int msix_cap(unsigned int dev)
{
	unsigned int cap = cr(dev, PCI_CAPABILITY_LIST, 1), n;

	for (n = 0; cap && n < 48; n++, cap = cr(dev, cap + 1, 1))
		if (cr(dev, cap, 1) == PCI_CAP_ID_MSIX)
			return cap;
	return 0;
}

START_TEST(header_and_bad_accesses)
{
	uint32_t vendor_device = cr(0, PCI_VENDOR_ID, 4);

	ck_assert_uint_eq(vendor_device, 0x1042u << 16 | 0x1af4);	/* virtio-blk, modern */
	ck_assert_uint_eq(cr(1, PCI_DEVICE_ID, 2), 0x1044);		/* virtio-rng */
	ck_assert_uint_eq(cr(0, PCI_REVISION_ID, 1), 1);		/* non-transitional */
	ck_assert_uint_eq(cr(0, PCI_HEADER_TYPE, 1), 0);
	ck_assert_uint_eq(cr(0, PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	ck_assert_uint_eq(cr(0, PCI_INTERRUPT_PIN, 1), 1);
	ck_assert(cr(0, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	/* no device, another bus, another function: all-ones, writes go nowhere */
	ck_assert_uint_eq(cr(2, PCI_VENDOR_ID, 4), 0xffffffff);
	ck_assert_uint_eq(cr(31, PCI_VENDOR_ID, 2), 0xffff);
	ck_assert_uint_eq(pci_cfg_read(&bus, (1ULL << 20) | ECAM(0, 0), 4), 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&bus, ECAM(0, 0) | (1 << 12), 4), 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&bus, (PCI_CFG_SIZE - 4), 4), 0xffffffff);
	pci_cfg_write(&bus, (1ULL << 20) | ECAM(0, PCI_COMMAND), 2, 0xffff);
	cw(5, PCI_COMMAND, 2, 0xffff);
	ck_assert_uint_eq(cr(0, PCI_COMMAND, 2), 0);
	/* bad sizes and alignments read all-ones, write nothing */
	ck_assert_uint_eq(cr(0, PCI_VENDOR_ID, 8), 0xffffffff);
	ck_assert_uint_eq(cr(0, PCI_VENDOR_ID, 3), 0xffffffff);
	ck_assert_uint_eq(cr(0, 1, 2), 0xffff);
	ck_assert_uint_eq(cr(0, 2, 4), 0xffffffff);
	cw(0, PCI_COMMAND, 8, 0xffffffff);
	cw(0, PCI_COMMAND + 1, 2, 0xffff);
	cw(0, PCI_COMMAND, 3, 0xffffff);
	ck_assert_uint_eq(cr(0, PCI_COMMAND, 2), 0);
	/* read-only fields stay; the extended space reads 0 */
	cw(0, PCI_VENDOR_ID, 4, 0);
	cw(0, PCI_INTERRUPT_PIN, 1, 4);
	cw(0, PCI_CAPABILITY_LIST, 1, 0);
	ck_assert_uint_eq(cr(0, PCI_VENDOR_ID, 4), vendor_device);
	ck_assert_uint_eq(cr(0, PCI_INTERRUPT_PIN, 1), 1);
	ck_assert_uint_ne(cr(0, PCI_CAPABILITY_LIST, 1), 0);
	cw(0, 0x100, 4, 0x12345678);
	ck_assert_uint_eq(cr(0, 0x100, 4), 0);
	cw(0, PCI_INTERRUPT_LINE, 1, 0x2a);
	ck_assert_uint_eq(cr(0, PCI_INTERRUPT_LINE, 1), 0x2a);
	/* only MEM, MASTER and INTx disable are writable in Command */
	cw(0, PCI_COMMAND, 2, 0xffff);
	ck_assert_uint_eq(cr(0, PCI_COMMAND, 2),
			  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
}
END_TEST

START_TEST(bar_sizing_and_decode)
{
	uint64_t v;

	/* as firmware would have: in the window, aligned to their sizes */
	ck_assert_uint_ge(cr(0, PCI_BASE_ADDRESS_0, 4), PCI_MMIO_BASE);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0, 4) % VIRTIO_PCI_BAR_SIZE, 0);
	ck_assert_uint_gt(cr(1, PCI_BASE_ADDRESS_0, 4), cr(0, PCI_BASE_ADDRESS_0 + 8, 4));
	/* sizing: all-ones reads back the size mask (32-bit memory, non-prefetchable) */
	cw(0, PCI_BASE_ADDRESS_0, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0, 4), (uint32_t)~(VIRTIO_PCI_BAR_SIZE - 1));
	cw(0, PCI_BASE_ADDRESS_0 + 8, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0 + 8, 4), (uint32_t)~(VIRTIO_PCI_MSIX_BAR_SIZE - 1));
	/* unimplemented BARs and the ROM read 0 whatever is written */
	cw(0, PCI_BASE_ADDRESS_0 + 4, 4, 0xffffffff);
	cw(0, PCI_BASE_ADDRESS_0 + 20, 4, 0xffffffff);
	cw(0, PCI_ROM_ADDRESS, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0 + 4, 4), 0);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0 + 20, 4), 0);
	ck_assert_uint_eq(cr(0, PCI_ROM_ADDRESS, 4), 0);
	/* garbage keeps only the address bits; byte writes merge */
	cw(0, PCI_BASE_ADDRESS_0, 4, 0x12345677);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0, 4), 0x12344000);
	cw(0, PCI_BASE_ADDRESS_0 + 3, 1, 0x60);
	ck_assert_uint_eq(cr(0, PCI_BASE_ADDRESS_0, 4), 0x60344000);
	cw(0, PCI_BASE_ADDRESS_0, 4, BAR0);
	cw(0, PCI_BASE_ADDRESS_0 + 8, 4, BAR2);
	/* no decode until Command.MEM */
	ck_assert(!pci_mmio_read(&bus, BAR0 + VIRTIO_PCI_COMMON_NUMQ, 2, &v));
	cw(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
	/* the last bytes decode, none past the end, nor an access straddling it */
	ck_assert(pci_mmio_read(&bus, BAR0 + VIRTIO_PCI_BAR_SIZE - 4, 4, &v));
	ck_assert(!pci_mmio_read(&bus, BAR0 + VIRTIO_PCI_BAR_SIZE - 2, 4, &v));
	ck_assert(!pci_mmio_read(&bus, BAR0 + VIRTIO_PCI_BAR_SIZE, 1, &v));
	ck_assert(!pci_mmio_write(&bus, BAR0 - 4, 4, 0));
	/* moved: the old address no longer answers */
	cw(0, PCI_BASE_ADDRESS_0, 4, BAR0 + 0x100000);
	ck_assert(!pci_mmio_read(&bus, BAR0, 4, &v));
	ck_assert_uint_eq(mr(BAR0 + 0x100000 + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
	cw(0, PCI_COMMAND, 2, 0);
	ck_assert(!pci_mmio_read(&bus, BAR0 + 0x100000, 4, &v));
}
END_TEST

START_TEST(virtio_capabilities)
{
	static const uint8_t types[] = {
		VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_CAP_NOTIFY_CFG,
		VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_CAP_DEVICE_CFG,
	};
	static const uint32_t offs[] = {
		VIRTIO_PCI_COMMON_OFF, VIRTIO_PCI_NOTIFY_OFF, VIRTIO_PCI_ISR_OFF,
		VIRTIO_PCI_DEVICE_OFF,
	};
	unsigned int i, cap;

	for (i = 0; i < 4; i++) {
		cap = vndr_cap(0, types[i]);
		ck_assert_uint_ne(cap, 0);
		ck_assert_uint_eq(cr(0, cap + 4, 1), VIRTIO_PCI_BAR);
		ck_assert_uint_eq(cr(0, cap + 8, 4), offs[i]);
		ck_assert_uint_gt(cr(0, cap + 12, 4), 0);
		ck_assert_uint_eq(cr(0, cap + 2, 1), types[i] == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16);
	}
	ck_assert_uint_eq(cr(0, vndr_cap(0, VIRTIO_PCI_CAP_NOTIFY_CFG) + 16, 4),
			  VIRTIO_PCI_NOTIFY_MULT);
	ck_assert_uint_ge(cr(0, vndr_cap(0, VIRTIO_PCI_CAP_COMMON_CFG) + 12, 4),
			  VIRTIO_PCI_COMMON_SIZE);
	/* virtio-rng has no configuration: no DEVICE_CFG capability */
	ck_assert_uint_eq(vndr_cap(1, VIRTIO_PCI_CAP_DEVICE_CFG), 0);
	ck_assert_uint_ne(vndr_cap(1, VIRTIO_PCI_CAP_COMMON_CFG), 0);
	/* MSI-X: a vector per queue and one for the configuration, in BAR 2 */
	cap = msix_cap(0);
	ck_assert_uint_ne(cap, 0);
	ck_assert_uint_eq(cr(0, cap + PCI_MSIX_FLAGS, 2), 1);		/* 2 vectors */
	ck_assert_uint_eq(cr(0, cap + PCI_MSIX_TABLE, 4), VIRTIO_PCI_MSIX_BAR);
	ck_assert_uint_eq(cr(0, cap + PCI_MSIX_PBA, 4), VIRTIO_PCI_PBA_OFF | VIRTIO_PCI_MSIX_BAR);
	/* the capabilities are read-only but for MSI-X's enable and mask */
	cw(0, cap + PCI_MSIX_FLAGS, 2, 0xffff);
	ck_assert_uint_eq(cr(0, cap + PCI_MSIX_FLAGS, 2),
			  PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL | 1);
	cw(0, cap + PCI_MSIX_TABLE, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0, cap + PCI_MSIX_TABLE, 4), VIRTIO_PCI_MSIX_BAR);
}
END_TEST

/* The driver's bring-up of virtio-blk over BAR 0 (at BAR0), queue 0 of QN. */
static void blk_driver_up(void)
{
	uint32_t f0, f1;

	cw(0, PCI_BASE_ADDRESS_0, 4, BAR0);
	cw(0, PCI_BASE_ADDRESS_0 + 8, 4, BAR2);
	cw(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	mw(BAR0 + VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	f0 = (uint32_t)mr(BAR0 + VIRTIO_PCI_COMMON_DF, 4);
	mw(BAR0 + VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
	f1 = (uint32_t)mr(BAR0 + VIRTIO_PCI_COMMON_DF, 4);
	ck_assert_uint_eq(f1 & 1, 1);			/* VERSION_1 */
	ck_assert(f0 & (1u << VIRTIO_BLK_F_FLUSH));
	mw(BAR0 + VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_GF, 4, 1u << VIRTIO_BLK_F_FLUSH);
	mw(BAR0 + VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	mw(BAR0 + VIRTIO_PCI_COMMON_GF, 4, 1);
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	   VIRTIO_STATUS_FEATURES_OK);
	ck_assert(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_SIZE, 2), VIRTQ_NUM_MAX);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SIZE, 2, QN);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_DESCLO, 4, (uint32_t)DESC_GPA);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_DESCHI, 4, (uint32_t)(DESC_GPA >> 32));
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_AVAILLO, 4, (uint32_t)AVAIL_GPA);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_AVAILHI, 4, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_USEDLO, 4, (uint32_t)USED_GPA);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_USEDHI, 4, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_NOFF, 2), 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	   VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* A read of sector @sector (512 bytes at DATA_GPA + 0x100): the status byte. */
static int blk_read(uint64_t sector)
{
	uint16_t before = get16(USED_GPA + 2);

	put32(DATA_GPA, VIRTIO_BLK_T_IN);
	put32(DATA_GPA + 4, 0);
	put64(DATA_GPA + 8, sector);
	*g(DATA_GPA + 0x80) = 0xee;
	put64(DESC_GPA, DATA_GPA);
	put32(DESC_GPA + 8, 16);
	put16(DESC_GPA + 12, VIRTQ_DESC_F_NEXT);
	put16(DESC_GPA + 14, 1);
	put64(DESC_GPA + 16, DATA_GPA + 0x100);
	put32(DESC_GPA + 24, VIRTIO_BLK_SECTOR);
	put16(DESC_GPA + 28, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	put16(DESC_GPA + 30, 2);
	put64(DESC_GPA + 32, DATA_GPA + 0x80);
	put32(DESC_GPA + 40, 1);
	put16(DESC_GPA + 44, VIRTQ_DESC_F_WRITE);
	put16(DESC_GPA + 46, 0);
	put16(AVAIL_GPA + 4 + 2 * (avail_idx % QN), 0);
	avail_idx++;
	put16(AVAIL_GPA + 2, avail_idx);
	mw(BAR0 + VIRTIO_PCI_NOTIFY_OFF, 2, 0);		/* queue 0's notify address */
	ck_assert_uint_eq(get16(USED_GPA + 2), (uint16_t)(before + 1));
	return *g(DATA_GPA + 0x80);
}

START_TEST(blk_over_intx)
{
	blk_driver_up();
	/* the device configuration: capacity in sectors */
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_DEVICE_OFF, 4), 16);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_DEVICE_OFF, 8), 16);
	ck_assert_int_eq(blk_read(3), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100), 3);
	ck_assert_uint_eq(*g(DATA_GPA + 0x2ff), 3);
	/* INTA# up, Status.INTERRUPT set; reading ISR takes it down */
	ck_assert_int_eq(line[PCI_INTX_INTID], 1);
	ck_assert(cr(0, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_ISR_OFF, 1), VIRTIO_MMIO_INT_VRING);
	ck_assert_int_eq(line[PCI_INTX_INTID], 0);
	ck_assert(!(cr(0, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_ISR_OFF, 1), 0);
	/* Command.INTX_DISABLE holds the line down; clearing it lets it up */
	cw(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	ck_assert_int_eq(blk_read(5), VIRTIO_BLK_S_OK);
	ck_assert_int_eq(line[PCI_INTX_INTID], 0);
	ck_assert(cr(0, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	cw(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	ck_assert_int_eq(line[PCI_INTX_INTID], 1);
	mr(BAR0 + VIRTIO_PCI_ISR_OFF, 1);
	ck_assert_int_eq(line[PCI_INTX_INTID], 0);
	ck_assert_uint_eq(nr_msi, 0);
	/* a reset: status 0 reads back, the queue is off */
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1), 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
}
END_TEST

START_TEST(blk_over_msix)
{
	unsigned int cap = msix_cap(0);

	blk_driver_up();
	/* vectors: the configuration 0, queue 0 1; out of range reads back NO_VECTOR */
	mw(BAR0 + VIRTIO_PCI_COMMON_MSIX, 2, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_MSIX, 2), 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2, 7);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_PCI_NO_VECTOR);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2, 1);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2), 1);
	/* the table: entries reset masked */
	ck_assert_uint_eq(mr(BAR2 + 16 + PCI_MSIX_ENTRY_CTRL, 4), PCI_MSIX_ENTRY_MASKED);
	mw(BAR2 + 16, 8, MSI_ADDR);
	mw(BAR2 + 16 + 8, 4, 0x21);
	ck_assert_uint_eq(mr(BAR2 + 16, 4), (uint32_t)MSI_ADDR);
	ck_assert_uint_eq(mr(BAR2 + 16 + 4, 4), 0);
	ck_assert_uint_eq(mr(BAR2 + 16 + 8, 4), 0x21);
	cw(0, cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	/* masked: pending in the PBA, no message, no INTx either */
	ck_assert_int_eq(blk_read(7), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(nr_msi, 0);
	ck_assert_int_eq(line[PCI_INTX_INTID], 0);
	ck_assert_uint_eq(mr(BAR2 + VIRTIO_PCI_PBA_OFF, 4), 2);
	/* unmasked: the pending message goes, the PBA clears */
	mw(BAR2 + 16 + PCI_MSIX_ENTRY_CTRL, 4, 0);
	ck_assert_uint_eq(nr_msi, 1);
	ck_assert_uint_eq(msi_addr, MSI_ADDR);
	ck_assert_uint_eq(msi_data, 0x21);
	ck_assert_uint_eq(msi_devid, 0);			/* 00:00.0 */
	ck_assert_uint_eq(mr(BAR2 + VIRTIO_PCI_PBA_OFF, 4), 0);
	/* each completion a message */
	ck_assert_int_eq(blk_read(8), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(nr_msi, 2);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100), 8);
	/* the function mask holds them, its clearing sends one */
	cw(0, cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	ck_assert_int_eq(blk_read(9), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(nr_msi, 2);
	cw(0, cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	ck_assert_uint_eq(nr_msi, 3);
	/* no vector for the queue: nothing at all */
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2, VIRTIO_PCI_NO_VECTOR);
	ck_assert_int_eq(blk_read(10), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(nr_msi, 3);
	ck_assert_int_eq(line[PCI_INTX_INTID], 0);
	/* MSI-X off again: INTx from ISR */
	cw(0, cap + PCI_MSIX_FLAGS, 2, 0);
	ck_assert_int_eq(blk_read(11), VIRTIO_BLK_S_OK);
	ck_assert_int_eq(line[PCI_INTX_INTID], 1);
}
END_TEST

START_TEST(bad_bar_accesses)
{
	uint64_t v;

	blk_driver_up();
	/* odd sizes and misaligned fields: ignored, read 0 */
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_NUMQ, 4), 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 2), 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_DF + 1, 1), 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 4, 0);		/* not a reset */
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SELECT, 8, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SIZE + 1, 1, 0xff);
	ck_assert(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_DRIVER_OK);
	/* read-only and beyond the structure: nothing */
	mw(BAR0 + VIRTIO_PCI_COMMON_NUMQ, 2, 9);
	mw(BAR0 + VIRTIO_PCI_COMMON_DF, 4, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_SIZE + 4, 4, 0xffffffff);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_SIZE + 4, 4), 0);
	/* a queue that does not exist: size 0, writes go nowhere */
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SELECT, 2, 5);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_MSIX, 2, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	/* queue fields of an enabled queue are frozen */
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_DESCLO, 4, 0xdead0000);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_DESCLO, 4), (uint32_t)DESC_GPA);
	/* notify addresses of no queue, misaligned ones; the device config past its end */
	mw(BAR0 + VIRTIO_PCI_NOTIFY_OFF + 4, 2, 1);
	mw(BAR0 + VIRTIO_PCI_NOTIFY_OFF + 2, 2, 0);
	mw(BAR0 + VIRTIO_PCI_BAR_SIZE - 8, 8, ~0ULL);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_DEVICE_OFF + 0x800, 4), 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_ISR_OFF, 4), 0);
	/* MSI-X table: odd sizes, past the table, the PBA is read-only */
	mw(BAR2 + 2, 2, 0xffff);
	mw(BAR2 + 0x100, 4, 0xffffffff);
	mw(BAR2 + VIRTIO_PCI_PBA_OFF, 4, 0xffffffff);
	ck_assert_uint_eq(mr(BAR2, 4), 0);
	ck_assert_uint_eq(mr(BAR2 + VIRTIO_PCI_PBA_OFF, 8), 0);
	ck_assert_uint_eq(mr(BAR2 + 0x100, 4), 0);
	/* a ring in MMIO space: the device needs a reset, nothing is touched */
	mw(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_DESCLO, 4, BAR0);
	mw(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	ck_assert(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_NEEDS_RESET);
	/* the BARs moved onto each other: the first match answers, nothing breaks */
	cw(1, PCI_BASE_ADDRESS_0, 4, BAR0);
	cw(1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	ck_assert(pci_mmio_read(&bus, BAR0 + VIRTIO_PCI_COMMON_NUMQ, 2, &v));
	ck_assert_uint_eq(v, 1);
}
END_TEST

/* The configuration access window of device 0 at @cap: BAR, offset, length. */
static void window(unsigned int cap, unsigned int bar, uint32_t off, uint32_t len)
{
	cw(0, cap + 4, 1, bar);
	cw(0, cap + 8, 4, off);
	cw(0, cap + 12, 4, len);
}

START_TEST(pci_cfg_window)
{
	unsigned int cap = vndr_cap(0, VIRTIO_PCI_CAP_PCI_CFG);

	/* offered by every function; 20 bytes, its fields zero until set */
	ck_assert_uint_ne(cap, 0);
	ck_assert_uint_ne(vndr_cap(1, VIRTIO_PCI_CAP_PCI_CFG), 0);
	ck_assert_uint_eq(cr(0, cap + 2, 1), 20);
	ck_assert_uint_eq(cr(0, cap + 4, 1), 0);
	ck_assert_uint_eq(cr(0, cap + 8, 4), 0);
	ck_assert_uint_eq(cr(0, cap + 12, 4), 0);
	/* BAR 0 with memory decoding off (the BARs unassigned): the features */
	cw(0, PCI_BASE_ADDRESS_0, 4, BAR0);
	cw(0, PCI_BASE_ADDRESS_0 + 8, 4, BAR2);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_DFSELECT, 4);
	cw(0, cap + 16, 4, 0);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_DF, 4);
	ck_assert(cr(0, cap + 16, 4) & (1u << VIRTIO_BLK_F_FLUSH));
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_DFSELECT, 4);
	cw(0, cap + 16, 4, 1);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_DF, 4);
	ck_assert_uint_eq(cr(0, cap + 16, 4), 1);		/* VERSION_1 */
	ck_assert_uint_eq(cr(0, cap + 8, 4), VIRTIO_PCI_COMMON_DF);
	/* 2 and 1 bytes: the number of queues, the status written and read back */
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_NUMQ, 2);
	ck_assert_uint_eq(cr(0, cap + 16, 2), 1);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_STATUS, 1);
	cw(0, cap + 16, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	ck_assert_uint_eq(cr(0, cap + 16, 1), VIRTIO_STATUS_ACKNOWLEDGE);
	/* the device configuration: virtio-blk's capacity, 16 sectors */
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_DEVICE_OFF, 4);
	ck_assert_uint_eq(cr(0, cap + 16, 4), 16);
	/* the same through BAR 0 once it decodes, and the reverse way */
	cw(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_DFSELECT, 4), 1);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1), VIRTIO_STATUS_ACKNOWLEDGE);
	mw(BAR0 + VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_GFSELECT, 4);
	ck_assert_uint_eq(cr(0, cap + 16, 4), 1);
	/* BAR 2: an MSI-X table entry written through the window */
	window(cap, VIRTIO_PCI_MSIX_BAR, 8, 4);
	cw(0, cap + 16, 4, 0x1234);
	ck_assert_uint_eq(mr(BAR2 + 8, 4), 0x1234);
	/* bad windows: no access (the data keeps its last value), nothing written */
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_GFSELECT, 3);
	cw(0, cap + 16, 4, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_GFSELECT, 4), 1);
	window(cap, VIRTIO_PCI_BAR, VIRTIO_PCI_COMMON_GFSELECT + 2, 4);	/* misaligned */
	cw(0, cap + 16, 4, 0);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_GFSELECT, 4), 1);
	window(cap, 1, 0, 4);						/* no BAR 1 */
	cw(0, cap + 16, 4, 0);
	window(cap, 7, 0, 4);						/* no BAR 7 */
	ck_assert_uint_eq(cr(0, cap + 16, 4), 0);
	window(cap, VIRTIO_PCI_MSIX_BAR, VIRTIO_PCI_MSIX_BAR_SIZE, 4);	/* past its end */
	cw(0, cap + 16, 4, 0xffffffff);
	window(cap, VIRTIO_PCI_MSIX_BAR, 0xfffffffc, 4);		/* and far past */
	cw(0, cap + 16, 4, 0xffffffff);
	ck_assert_uint_eq(mr(BAR2 + 8, 4), 0x1234);
	ck_assert_uint_eq(mr(BAR0 + VIRTIO_PCI_COMMON_STATUS, 1), VIRTIO_STATUS_ACKNOWLEDGE);
	/* the rest of the capability stays read-only */
	cw(0, cap + 3, 1, 0);
	cw(0, cap + 2, 1, 0);
	ck_assert_uint_eq(cr(0, cap + 3, 1), VIRTIO_PCI_CAP_PCI_CFG);
	ck_assert_uint_eq(cr(0, cap + 2, 1), 20);
}
END_TEST

START_TEST(memmap_pci)
{
	struct memmap map;
	const struct region *r;

	memmap_build(&map, 512 << 20, 1, MEMMAP_GICV3);
	ck_assert_int_eq(memmap_add_pci(&map), 0);
	r = memmap_find(&map, PCI_CFG_BASE);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "pci");
	ck_assert_int_eq(r->type, REGION_DEVICE);
	ck_assert_uint_eq(r->size, RAM_BASE - PCI_BASE);
	ck_assert_ptr_eq(memmap_find(&map, RAM_BASE - 1), r);
	/* kvmtool's: 256 MiB of ECAM, the window to RAM */
	ck_assert_uint_eq(PCI_MMIO_BASE, 0x50000000ULL);
	ck_assert_uint_eq(PCI_MMIO_BASE + PCI_MMIO_SIZE, RAM_BASE);
	ck_assert_int_eq(memmap_add_pci(&map), -1);
	/* past the virtio-mmio INTIDs, within the GIC's 128 */
	ck_assert_uint_ge(PCI_INTX_INTID, VIRTIO_MMIO_INTID + VIRTIO_MMIO_MAX_SLOTS);
	ck_assert_uint_lt(PCI_INTX_INTID + PCI_MAX_DEVICES, 128);
}
END_TEST

Suite *pci_suite(void)
{
	return check_suite("pci", 0, setup, teardown, (const TTest *const[]){
			   header_and_bad_accesses, bar_sizing_and_decode,
			   virtio_capabilities, blk_over_intx, blk_over_msix, bad_bar_accesses,
			   pci_cfg_window, memmap_pci, NULL });
}
