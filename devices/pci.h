/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI host bridge with ECAM (kvmtool's arm64 map, DESIGN §7): bus 0 only,
 * function 0 of up to PCI_MAX_DEVICES devices, type 0 headers with 32-bit
 * memory BARs in the MMIO window, capabilities, MSI-X, and INTA# of device
 * N on its own SPI.  Apart from the VM (callbacks for interrupts) so that
 * tests drive it directly.
 *
 * Whatever the guest writes is masked by each byte's writable bits, so BAR
 * sizing (write all-ones, read back the size mask) and garbage both end in
 * a valid register; accesses of a bad size or alignment, or to a BDF with
 * no device, read all-ones and write nothing.
 */
#ifndef VMM_PCI_H
#define VMM_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define PCI_CFG_SPACE		256	/* conventional; the rest of each 4 KiB reads 0 */
#define PCI_MAX_DEVICES		32	/* device numbers on bus 0 */
#define PCI_NUM_BARS		6
#define PCI_MSIX_MAX		33	/* vectors of one function */

/* configuration header (type 0) */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06
#define  PCI_STATUS_INTERRUPT	0x0008
#define  PCI_STATUS_CAP_LIST	0x0010
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11
/* MSI-X (PCI Local Bus 3.0, 6.8.2) */
#define PCI_MSIX_FLAGS		2	/* in the capability */
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4
#define PCI_MSIX_PBA		8
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_ENTRY_CTRL	12
#define  PCI_MSIX_ENTRY_MASKED	1

struct pci_func;
struct pci_bus;

struct pci_func_ops {
	/* an access to BAR @bar at @off (len 1, 2, 4 or 8; the function's lock held) */
	uint64_t (*bar_read)(struct pci_func *f, unsigned int bar, uint64_t off,
			     unsigned int len);
	void (*bar_write)(struct pci_func *f, unsigned int bar, uint64_t off,
			  unsigned int len, uint64_t val);
	/* the function is going away */
	void (*destroy)(struct pci_func *f);
	/*
	 * Optional, lock held: configuration bytes [reg, reg + len) are about
	 * to be read (the function may refresh them), or were just written
	 * (through the write mask).
	 */
	void (*cfg_read)(struct pci_func *f, unsigned int reg, unsigned int len);
	void (*cfg_write)(struct pci_func *f, unsigned int reg, unsigned int len);
};

struct pci_msix {
	unsigned int nvec;		/* 0: no MSI-X */
	unsigned int cap;		/* the capability's offset */
	unsigned int bar;
	uint32_t table_off, pba_off;	/* in the BAR */
	uint32_t entry[PCI_MSIX_MAX][4];	/* address lo, hi, data, vector control */
	uint64_t pending;		/* the PBA */
};

struct pci_func {
	struct pci_bus *bus;
	unsigned int devnum;		/* on bus 0; BDF devnum << 3 */
	pthread_mutex_t *lock;		/* guards everything below; the owner's */
	const struct pci_func_ops *ops;
	void *priv;
	uint8_t cfg[PCI_CFG_SPACE];
	uint8_t wmask[PCI_CFG_SPACE];	/* the bits the driver may write */
	uint32_t bar_size[PCI_NUM_BARS];	/* 0: none; 32-bit memory BARs */
	unsigned int cap_end;		/* where the next capability goes */
	unsigned int last_cap;		/* offset of the last one (0: none) */
	int intid;			/* INTA#'s GIC INTID */
	bool intx;			/* the function asserts INTA# */
	bool intx_out;			/* the line as the GIC sees it */
	struct pci_msix msix;
};

struct pci_bus {
	uint64_t mmio_base, mmio_size;	/* the 32-bit memory window */
	uint64_t mmio_next;		/* BARs are given addresses as firmware would */
	struct pci_func *fn[PCI_MAX_DEVICES];
	/* interrupt delivery: the VM's GIC line, and an MSI (0: taken, else -errno) */
	void (*irq)(void *ctx, int intid, int level);
	int (*msi)(void *ctx, uint64_t addr, uint32_t data, uint32_t devid);
	void *ctx;
};

void pci_bus_init(struct pci_bus *bus, uint64_t mmio_base, uint64_t mmio_size);
/*
 * A function's header: IDs, class (base << 16 | sub << 8 | prog-if), INTA#
 * on @intid (< 0: no INTx), its lock (@lock, held by every hook).
 */
void pci_func_init(struct pci_func *f, pthread_mutex_t *lock, uint16_t vendor,
		   uint16_t device, uint32_t class, uint8_t revision,
		   uint16_t subsys_vendor, uint16_t subsys, int intid);
/* A 32-bit memory BAR of @size bytes (a power of two, at least 16). */
void pci_func_add_bar(struct pci_func *f, unsigned int bar, uint32_t size);
/*
 * Append a capability of @len bytes with ID @id to the list: its offset
 * (header filled in, the rest zero and read-only), or 0 when full.
 */
unsigned int pci_func_add_cap(struct pci_func *f, uint8_t id, unsigned int len);
/* MSI-X with @nvec vectors: its table at @table_off, PBA at @pba_off of BAR @bar. 0 or -1. */
int pci_func_add_msix(struct pci_func *f, unsigned int nvec, unsigned int bar,
		      uint32_t table_off, uint32_t pba_off);
/*
 * Put @f on the bus at the next device number, its BARs given addresses in
 * the window: the device number, or -1 when the bus or the window is full.
 */
int pci_bus_add(struct pci_bus *bus, struct pci_func *f);
void pci_bus_destroy(struct pci_bus *bus);

/* ECAM accesses (@off into the configuration window); all-ones where nothing answers */
uint32_t pci_cfg_read(struct pci_bus *bus, uint64_t off, unsigned int len);
void pci_cfg_write(struct pci_bus *bus, uint64_t off, unsigned int len, uint32_t val);
/* An access at guest-physical @addr in the window: false when no enabled BAR holds it. */
bool pci_mmio_read(struct pci_bus *bus, uint64_t addr, unsigned int len, uint64_t *val);
bool pci_mmio_write(struct pci_bus *bus, uint64_t addr, unsigned int len, uint64_t val);

/* For functions, lock held: INTA# (level). */
void pci_set_intx(struct pci_func *f, bool level);
/* MSI-X is enabled (then INTx is not used) */
bool pci_msix_enabled(const struct pci_func *f);
/* Signal vector @vec (pending while masked); false when MSI-X is off or @vec is bad. */
bool pci_msix_notify(struct pci_func *f, unsigned int vec);
/* An access to the MSI-X table or PBA at @off of the MSI-X BAR; false: not theirs. */
bool pci_msix_read(struct pci_func *f, uint64_t off, unsigned int len, uint64_t *val);
bool pci_msix_write(struct pci_func *f, uint64_t off, unsigned int len, uint64_t val);

/* ---- virtio-pci (devices/virtio-pci.c) ---------------------------------- */
struct virtio_dev_ops;
struct virtio_mmio;
struct device;
/*
 * A virtio 1.x modern PCI function for the device @vops; @dev is what its
 * setup() reads (dev->vm, dev->region's name and arg).  NULL with a message
 * when it cannot be set up.
 */
struct pci_func *virtio_pci_new(const struct virtio_dev_ops *vops, struct device *dev,
				uint8_t *ram, uint64_t ram_base, uint64_t ram_size);
/* its transport (for console input, tests) */
struct virtio_mmio *virtio_pci_transport(struct pci_func *f);

/* virtio-pci's layout: BAR 0 the virtio structures, BAR 2 MSI-X */
#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_DEVICE_BASE		0x1040	/* + the virtio device ID */
#define VIRTIO_PCI_BAR			0
#define VIRTIO_PCI_BAR_SIZE		0x4000
#define VIRTIO_PCI_COMMON_OFF		0x0000
#define VIRTIO_PCI_ISR_OFF		0x1000
#define VIRTIO_PCI_DEVICE_OFF		0x2000
#define VIRTIO_PCI_NOTIFY_OFF		0x3000
#define VIRTIO_PCI_NOTIFY_MULT		4
#define VIRTIO_PCI_MSIX_BAR		2
#define VIRTIO_PCI_MSIX_BAR_SIZE	0x1000
#define VIRTIO_PCI_PBA_OFF		0x800
#define VIRTIO_PCI_NO_VECTOR		0xffff
/* virtio 1.2, 4.1.4: the capabilities' cfg_type */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5	/* the access window (4.1.4.9) */
/* common configuration (4.1.4.3) */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00
#define VIRTIO_PCI_COMMON_DF		0x04
#define VIRTIO_PCI_COMMON_GFSELECT	0x08
#define VIRTIO_PCI_COMMON_GF		0x0c
#define VIRTIO_PCI_COMMON_MSIX		0x10
#define VIRTIO_PCI_COMMON_NUMQ		0x12
#define VIRTIO_PCI_COMMON_STATUS	0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION	0x15
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI	0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI	0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI	0x34
#define VIRTIO_PCI_COMMON_SIZE		0x38

#endif
