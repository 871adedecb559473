/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical memory map (DESIGN §7, kvmtool's arm64 map): one table
 * that VM setup, the DT generator, MMIO dispatch, the monitor's `mtree` and
 * the unhandled-access diagnostics all read.
 */
#ifndef VMM_MEMMAP_H
#define VMM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX		48

#define RAM_BASE		0x80000000ULL
#define UART_BASE		0x01000000ULL
#define UART_STRIDE		0x1000ULL
#define RTC_BASE		0x01010000ULL
#define PVTIME_BASE		0x01020000ULL
#define PVTIME_SIZE		0x10000ULL
#define TEST_EXIT_BASE		0x01030000ULL
#define FLASH_BASE		0x02000000ULL
#define VIRTIO_MMIO_BASE	0x03000000ULL
#define VIRTIO_MMIO_SLOT	0x200ULL	/* one virtio-mmio device per slot */
#define VIRTIO_MMIO_MAX_SLOTS	32
#define VIRTIO_MMIO_INTID	40		/* slot N: INTID 40 + N (SPI 8 + N) */
#define GIC_DIST_BASE		0x3fff0000ULL
#define GIC_DIST_SIZE		0x10000ULL
#define GIC_REDIST_SIZE		0x20000ULL	/* per vCPU: RD_base + SGI_base */
/* GICv2: the CPU interface just below the distributor (kvmtool's ARM_GIC_CPUI_*) */
#define GIC_CPUI_SIZE		0x20000ULL
#define GIC_CPUI_BASE		(GIC_DIST_BASE - GIC_CPUI_SIZE)
/* --irqchip gicv3-its: the ITS frame (control + doorbell) below the redistributors, as kvmtool */
#define GIC_ITS_SIZE		0x20000ULL
#define GIC_ITS_BASE(nr_cpus)	(GIC_DIST_BASE - (uint64_t)(nr_cpus) * GIC_REDIST_SIZE - GIC_ITS_SIZE)
#define GITS_TRANSLATER		0x10040ULL	/* the doorbell, in the ITS frame */
/* the PMU overflow interrupt: PPI 7, INTID 23, as kvmtool (KVM_ARM_PMUv3_PPI) */
#define PMU_PPI			23
#define GIC_MAINT_INTID		25	/* --nested: the GIC's maintenance interrupt (kvmtool's) */
#define TESTDEV_BASE		0x0a000000ULL	/* only with --testdev */
#define TESTDEV_SIZE		0x2000ULL
#define PCI_BASE		0x40000000ULL
/* --virtio-transport pci: kvmtool's ECAM (256 buses) then its 32-bit MMIO window */
#define PCI_CFG_BASE		PCI_BASE
#define PCI_CFG_SIZE		0x10000000ULL
#define PCI_MMIO_BASE		(PCI_CFG_BASE + PCI_CFG_SIZE)
#define PCI_MMIO_SIZE		(RAM_BASE - PCI_MMIO_BASE)
#define PCI_INTX_INTID		(VIRTIO_MMIO_INTID + VIRTIO_MMIO_MAX_SLOTS)	/* device N: + N */
#define IPA_LIMIT_DEFAULT	(1ULL << 40)	/* KVM's default IPA size */
#define RAM_MAX_BYTES		(IPA_LIMIT_DEFAULT - RAM_BASE)	/* -m's limit */

enum region_type {
	REGION_RAM,
	REGION_DEVICE,		/* emulated by a device in devices/ */
	REGION_RESERVED,	/* kept free (pvtime, flash, virtio, PCI) */
	REGION_GIC,		/* emulated in the hypervisor */
};

struct region {
	const char *name;	/* "uart0", "rtc", ... */
	const char *device;	/* devices/ driver, for REGION_DEVICE */
	uint64_t base;
	uint64_t size;
	int intid;		/* interrupt (GIC INTID), -1 for none */
	enum region_type type;
	int arg;		/* for the device: which --disk a virtio-blk serves */
};

struct memmap {
	struct region r[MEMMAP_MAX];
	unsigned int n;		/* sorted by base */
};

/* memmap_build()'s @gic: none, a GICv3 (true) or a GICv2 */
enum memmap_gic { MEMMAP_NO_GIC, MEMMAP_GICV3, MEMMAP_GICV2 };

/* Build the map for this VM. */
void memmap_build(struct memmap *map, uint64_t ram_size, unsigned int nr_cpus,
		  int gic);
/*
 * Add the test device (`vmm run --testdev`) at TESTDEV_BASE, carved out of
 * the reserved virtio-mmio range (which is split around it).  0 or -1 when
 * the map has no room or nothing reserved there.
 */
int memmap_add_testdev(struct memmap *map);
/* The ITS frame ("gic-its") at @base, carved out of the reserved range; 0 or -1. */
int memmap_add_its(struct memmap *map, uint64_t base);
/*
 * Add a virtio-mmio device (@device: "virtio-blk", "virtio-rng" or
 * "virtio-console") in the next free slot: VIRTIO_MMIO_BASE + N * 0x200, INTID VIRTIO_MMIO_INTID + N,
 * carved out of the reserved virtio-mmio range.  Returns N, or -1 when the
 * map or the slots are full.
 */
int memmap_add_virtio(struct memmap *map, const char *device, int arg);
/*
 * The PCI host bridge ("pci", devices/pci.c) over the whole reserved PCI
 * range: ECAM and the MMIO window.  0 or -1.
 */
int memmap_add_pci(struct memmap *map);
/* The region holding @addr, or NULL. */
const struct region *memmap_find(const struct memmap *map, uint64_t addr);
/* The region closest to @addr (holding it, or at the least distance). */
const struct region *memmap_nearest(const struct memmap *map, uint64_t addr);
const char *region_type_name(enum region_type t);

#endif
