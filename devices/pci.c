// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge (pci.h): ECAM configuration space for bus 0, BAR
 * decoding in the 32-bit MMIO window, INTx and MSI-X; then its place on the
 * VM's bus (the "pci" region of the memory map) and its DT node
 * (pci-host-ecam-generic, as kvmtool's).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../fdt/fdt.h"
#include "../vmm/vmm.h"
#include "device.h"
#include "pci.h"
#include "virtio.h"

static uint32_t get(const uint8_t *p, unsigned int len)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void put(uint8_t *p, unsigned int len, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void pci_bus_init(struct pci_bus *bus, uint64_t mmio_base, uint64_t mmio_size)
{
	memset(bus, 0, sizeof(*bus));
	bus->mmio_base = mmio_base;
	bus->mmio_size = mmio_size;
	bus->mmio_next = mmio_base;
}

void pci_func_init(struct pci_func *f, pthread_mutex_t *lock, uint16_t vendor,
		   uint16_t device, uint32_t class, uint8_t revision,
		   uint16_t subsys_vendor, uint16_t subsys, int intid)
{
	memset(f, 0, sizeof(*f));
	f->lock = lock;
	f->intid = intid;
	put(f->cfg + PCI_VENDOR_ID, 2, vendor);
	put(f->cfg + PCI_DEVICE_ID, 2, device);
	f->cfg[PCI_REVISION_ID] = revision;
	put(f->cfg + PCI_CLASS_PROG, 3, class);
	put(f->cfg + PCI_SUBSYSTEM_VENDOR_ID, 2, subsys_vendor);
	put(f->cfg + PCI_SUBSYSTEM_ID, 2, subsys);
	/* memory decode, bus mastering, INTx disable: the rest reads as wired */
	put(f->wmask + PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	    PCI_COMMAND_INTX_DISABLE);
	f->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	f->wmask[PCI_LATENCY_TIMER] = 0xff;
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	f->cfg[PCI_INTERRUPT_PIN] = intid >= 0 ? 1 : 0;	/* INTA# */
	f->cap_end = 0x40;
}

void pci_func_add_bar(struct pci_func *f, unsigned int bar, uint32_t size)
{
	if (bar >= PCI_NUM_BARS || size < 16 || (size & (size - 1)))
		return;
	f->bar_size[bar] = size;
	/* a 32-bit, non-prefetchable memory BAR: type bits 0, the size's bits read 0 */
	put(f->wmask + PCI_BASE_ADDRESS_0 + 4 * bar, 4, ~(size - 1));
}

unsigned int pci_func_add_cap(struct pci_func *f, uint8_t id, unsigned int len)
{
	unsigned int off = f->cap_end;

	if (len < 2 || off + len > PCI_CFG_SPACE)
		return 0;
	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	if (f->last_cap)
		f->cfg[f->last_cap + 1] = (uint8_t)off;
	else
		f->cfg[PCI_CAPABILITY_LIST] = (uint8_t)off;
	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	f->last_cap = off;
	f->cap_end = (off + len + 3) & ~3u;
	return off;
}

int pci_func_add_msix(struct pci_func *f, unsigned int nvec, unsigned int bar,
		      uint32_t table_off, uint32_t pba_off)
{
	struct pci_msix *m = &f->msix;
	unsigned int cap, i;

	if (!nvec || nvec > PCI_MSIX_MAX || bar >= PCI_NUM_BARS || !f->bar_size[bar] ||
	    (table_off & 7) || (pba_off & 7) ||
	    table_off + nvec * PCI_MSIX_ENTRY_SIZE > f->bar_size[bar] ||
	    pba_off + 8 > f->bar_size[bar])
		return -1;
	cap = pci_func_add_cap(f, PCI_CAP_ID_MSIX, 12);
	if (!cap)
		return -1;
	m->nvec = nvec;
	m->cap = cap;
	m->bar = bar;
	m->table_off = table_off;
	m->pba_off = pba_off;
	put(f->cfg + cap + PCI_MSIX_FLAGS, 2, nvec - 1);
	put(f->cfg + cap + PCI_MSIX_TABLE, 4, table_off | bar);
	put(f->cfg + cap + PCI_MSIX_PBA, 4, pba_off | bar);
	/* Enable and Function Mask */
	f->wmask[cap + PCI_MSIX_FLAGS + 1] = (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8;
	for (i = 0; i < nvec; i++)
		m->entry[i][3] = PCI_MSIX_ENTRY_MASKED;
	return 0;
}

int pci_bus_add(struct pci_bus *bus, struct pci_func *f)
{
	unsigned int n, b;
	uint64_t next = bus->mmio_next, addr;

	for (n = 0; n < PCI_MAX_DEVICES && bus->fn[n]; n++)
		;
	if (n == PCI_MAX_DEVICES)
		return -1;
	/* what firmware would do; Linux assigns its own anyway */
	for (b = 0; b < PCI_NUM_BARS; b++) {
		if (!f->bar_size[b])
			continue;
		addr = (next + f->bar_size[b] - 1) & ~(uint64_t)(f->bar_size[b] - 1);
		if (addr + f->bar_size[b] > bus->mmio_base + bus->mmio_size ||
		    addr + f->bar_size[b] > (1ULL << 32))
			return -1;
		put(f->cfg + PCI_BASE_ADDRESS_0 + 4 * b, 4, (uint32_t)addr);
		next = addr + f->bar_size[b];
	}
	bus->mmio_next = next;
	f->bus = bus;
	f->devnum = n;
	bus->fn[n] = f;
	return (int)n;
}

void pci_bus_destroy(struct pci_bus *bus)
{
	unsigned int n;

	for (n = 0; n < PCI_MAX_DEVICES; n++) {
		struct pci_func *f = bus->fn[n];

		bus->fn[n] = NULL;
		if (f && f->ops && f->ops->destroy)
			f->ops->destroy(f);
	}
}

/* ---- interrupts ---------------------------------------------------------- */

static void intx_update(struct pci_func *f)
{
	bool out = f->intx && !pci_msix_enabled(f) &&
		   !(get(f->cfg + PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);

	if (f->intx)
		f->cfg[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		f->cfg[PCI_STATUS] &= (uint8_t)~PCI_STATUS_INTERRUPT;
	if (out == f->intx_out || f->intid < 0)
		return;
	f->intx_out = out;
	if (f->bus && f->bus->irq)
		f->bus->irq(f->bus->ctx, f->intid, out);
}

void pci_set_intx(struct pci_func *f, bool level)
{
	f->intx = level;
	intx_update(f);
}

static uint16_t msix_flags(const struct pci_func *f)
{
	return (uint16_t)get(f->cfg + f->msix.cap + PCI_MSIX_FLAGS, 2);
}

bool pci_msix_enabled(const struct pci_func *f)
{
	return f->msix.nvec && (msix_flags(f) & PCI_MSIX_FLAGS_ENABLE);
}

static void msix_deliver(struct pci_func *f, unsigned int vec)
{
	const uint32_t *e = f->msix.entry[vec];
	uint64_t addr = (uint64_t)e[1] << 32 | e[0];
	int ret = -ENODEV;

	if (f->bus && f->bus->msi)
		ret = f->bus->msi(f->bus->ctx, addr, e[2], f->devnum << 3);
	if (ret < 0)
		pr_warn_rl("pci %02x:00.0: MSI-X vector %u (address %#" PRIx64 ", data %#x)"
			   " not delivered: %s\n", f->devnum, vec, addr, e[2], strerror(-ret));
}

bool pci_msix_notify(struct pci_func *f, unsigned int vec)
{
	struct pci_msix *m = &f->msix;

	if (!pci_msix_enabled(f) || vec >= m->nvec)
		return false;
	if ((msix_flags(f) & PCI_MSIX_FLAGS_MASKALL) || (m->entry[vec][3] & PCI_MSIX_ENTRY_MASKED))
		m->pending |= 1ULL << vec;
	else
		msix_deliver(f, vec);
	return true;
}

/* Unmasked (the function, an entry): send what is pending and no longer masked. */
static void msix_unmasked(struct pci_func *f)
{
	struct pci_msix *m = &f->msix;
	unsigned int v;

	if (!pci_msix_enabled(f) || (msix_flags(f) & PCI_MSIX_FLAGS_MASKALL))
		return;
	for (v = 0; v < m->nvec; v++) {
		if (!(m->pending & (1ULL << v)) || (m->entry[v][3] & PCI_MSIX_ENTRY_MASKED))
			continue;
		m->pending &= ~(1ULL << v);
		msix_deliver(f, v);
	}
}

bool pci_msix_read(struct pci_func *f, uint64_t off, unsigned int len, uint64_t *val)
{
	struct pci_msix *m = &f->msix;
	uint64_t t;

	*val = 0;
	if (!m->nvec)
		return false;
	if (off >= m->table_off && off - m->table_off < m->nvec * PCI_MSIX_ENTRY_SIZE) {
		t = off - m->table_off;
		/* DWORD or aligned QWORD accesses (6.8.2); others read 0 */
		if ((len == 4 && !(t & 3)) || (len == 8 && !(t & 7))) {
			*val = m->entry[t / 16][(t % 16) / 4];
			if (len == 8)
				*val |= (uint64_t)m->entry[t / 16][(t % 16) / 4 + 1] << 32;
		}
		return true;
	}
	if (off >= m->pba_off && off - m->pba_off < 8) {
		t = off - m->pba_off;
		if ((len == 4 || len == 8) && !(t & (len - 1)))
			*val = (m->pending >> (8 * t)) & (len == 8 ? ~0ULL : 0xffffffffULL);
		return true;
	}
	return false;
}

static void msix_entry_write(struct pci_func *f, unsigned int vec, unsigned int dw, uint32_t v)
{
	struct pci_msix *m = &f->msix;

	if (dw == 3) {
		bool was = m->entry[vec][3] & PCI_MSIX_ENTRY_MASKED;

		m->entry[vec][3] = v & PCI_MSIX_ENTRY_MASKED;
		if (was && !(v & PCI_MSIX_ENTRY_MASKED))
			msix_unmasked(f);
		return;
	}
	m->entry[vec][dw] = v;
}

bool pci_msix_write(struct pci_func *f, uint64_t off, unsigned int len, uint64_t val)
{
	struct pci_msix *m = &f->msix;
	uint64_t t;

	if (!m->nvec)
		return false;
	if (off >= m->table_off && off - m->table_off < m->nvec * PCI_MSIX_ENTRY_SIZE) {
		t = off - m->table_off;
		if (len == 4 && !(t & 3)) {
			msix_entry_write(f, (unsigned int)(t / 16), (unsigned int)(t % 16) / 4,
					 (uint32_t)val);
		} else if (len == 8 && !(t & 7)) {
			msix_entry_write(f, (unsigned int)(t / 16), (unsigned int)(t % 16) / 4,
					 (uint32_t)val);
			msix_entry_write(f, (unsigned int)(t / 16), (unsigned int)(t % 16) / 4 + 1,
					 (uint32_t)(val >> 32));
		} else {
			pr_debug_rl("pci %02x:00.0: MSI-X table write of %u bytes at %#" PRIx64
				    " ignored\n", f->devnum, len, t);
		}
		return true;
	}
	/* the PBA is read-only */
	return off >= m->pba_off && off - m->pba_off < 8;
}

/* ---- configuration space ------------------------------------------------- */

/* ECAM: bus [27:20], device [19:15], function [14:12], register [11:0] */
static struct pci_func *ecam_func(struct pci_bus *bus, uint64_t off)
{
	if (off >> 20)
		return NULL;
	if ((off >> 12) & 7)
		return NULL;
	return bus->fn[(off >> 15) & 31];
}

uint32_t pci_cfg_read(struct pci_bus *bus, uint64_t off, unsigned int len)
{
	struct pci_func *f = ecam_func(bus, off);
	unsigned int reg = off & 0xfff;
	uint32_t v;

	if (len != 1 && len != 2 && len != 4)
		return 0xffffffff;
	if (!f || (reg & (len - 1)))
		return len == 4 ? 0xffffffff : (1U << (8 * len)) - 1;
	if (reg >= PCI_CFG_SPACE)
		return 0;
	pthread_mutex_lock(f->lock);
	if (f->ops && f->ops->cfg_read)
		f->ops->cfg_read(f, reg, len);
	v = get(f->cfg + reg, len);
	pthread_mutex_unlock(f->lock);
	return v;
}

static bool overlaps(unsigned int reg, unsigned int len, unsigned int at, unsigned int n)
{
	return reg < at + n && at < reg + len;
}

void pci_cfg_write(struct pci_bus *bus, uint64_t off, unsigned int len, uint32_t val)
{
	struct pci_func *f = ecam_func(bus, off);
	unsigned int reg = off & 0xfff, i;
	bool msix_was, maskall_was;

	if (!f || (len != 1 && len != 2 && len != 4) || (reg & (len - 1)) ||
	    reg >= PCI_CFG_SPACE) {
		pr_debug_rl("pci: config write of %u bytes at %#" PRIx64 " ignored\n", len, off);
		return;
	}
	pthread_mutex_lock(f->lock);
	msix_was = pci_msix_enabled(f);
	maskall_was = f->msix.nvec && (msix_flags(f) & PCI_MSIX_FLAGS_MASKALL);
	for (i = 0; i < len; i++) {
		uint8_t b = (uint8_t)(val >> (8 * i)), m = f->wmask[reg + i];

		f->cfg[reg + i] = (uint8_t)((f->cfg[reg + i] & ~m) | (b & m));
	}
	if (f->ops && f->ops->cfg_write)
		f->ops->cfg_write(f, reg, len);
	if (overlaps(reg, len, PCI_COMMAND, 2) ||
	    (f->msix.nvec && overlaps(reg, len, f->msix.cap + PCI_MSIX_FLAGS, 2))) {
		intx_update(f);
		if (f->msix.nvec && ((!msix_was && pci_msix_enabled(f)) ||
				     (maskall_was && !(msix_flags(f) & PCI_MSIX_FLAGS_MASKALL))))
			msix_unmasked(f);
	}
	pthread_mutex_unlock(f->lock);
}

/* ---- BARs ---------------------------------------------------------------- */

/* The function and BAR decoding @addr (its lock taken), or NULL. */
static struct pci_func *bar_find(struct pci_bus *bus, uint64_t addr, unsigned int len,
				 unsigned int *bar, uint64_t *off)
{
	unsigned int n, b;

	for (n = 0; n < PCI_MAX_DEVICES; n++) {
		struct pci_func *f = bus->fn[n];

		if (!f)
			continue;
		pthread_mutex_lock(f->lock);
		if (get(f->cfg + PCI_COMMAND, 2) & PCI_COMMAND_MEMORY) {
			for (b = 0; b < PCI_NUM_BARS; b++) {
				uint64_t base = get(f->cfg + PCI_BASE_ADDRESS_0 + 4 * b, 4) & ~0xfULL;

				if (!f->bar_size[b] || addr < base ||
				    addr - base + len > f->bar_size[b])
					continue;
				*bar = b;
				*off = addr - base;
				return f;
			}
		}
		pthread_mutex_unlock(f->lock);
	}
	return NULL;
}

bool pci_mmio_read(struct pci_bus *bus, uint64_t addr, unsigned int len, uint64_t *val)
{
	unsigned int bar;
	uint64_t off;
	struct pci_func *f = bar_find(bus, addr, len, &bar, &off);

	*val = 0;
	if (!f)
		return false;
	if (f->ops && f->ops->bar_read)
		*val = f->ops->bar_read(f, bar, off, len);
	pthread_mutex_unlock(f->lock);
	return true;
}

bool pci_mmio_write(struct pci_bus *bus, uint64_t addr, unsigned int len, uint64_t val)
{
	unsigned int bar;
	uint64_t off;
	struct pci_func *f = bar_find(bus, addr, len, &bar, &off);

	if (!f)
		return false;
	if (f->ops && f->ops->bar_write)
		f->ops->bar_write(f, bar, off, len, val);
	pthread_mutex_unlock(f->lock);
	return true;
}

/* ---- on the VM's bus: the "pci" region ----------------------------------- */

struct pci_host {
	struct pci_bus bus;
	struct device fn_dev[PCI_MAX_DEVICES];	/* what each virtio device's setup reads */
	struct region fn_region[PCI_MAX_DEVICES];
	char fn_name[PCI_MAX_DEVICES][20];
	struct pci_func *console;		/* takes console input */
	struct vm *vm;
	/* MSIs the functions sent, and those the guest's ITS mappings dropped */
	atomic_ulong msi_sent, msi_blocked;
};

static void host_irq(void *ctx, int intid, int level)
{
	struct pci_host *h = ctx;

	vm_irq_line(h->vm, intid, level);
}

static int host_msi(void *ctx, uint64_t addr, uint32_t data, uint32_t devid)
{
	struct pci_host *h = ctx;
	struct vm *vm = h->vm;
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
		.flags = KVM_MSI_VALID_DEVID,
		.devid = devid,
	};
	int ret;

	if (vm->its_fd < 0)
		return -ENODEV;
	ret = vm->hv->ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
	if (ret < 0)
		return -errno;
	atomic_fetch_add(&h->msi_sent, 1);
	if (ret == 0) {
		atomic_fetch_add(&h->msi_blocked, 1);
		pr_debug_rl("pci: MSI %#x to %#" PRIx64 " blocked by the guest's ITS mappings\n",
			    data, addr);
	}
	return 0;
}

static int host_init(struct device *dev)
{
	struct vm *vm = dev->vm;
	struct pci_host *h = calloc(1, sizeof(*h));
	unsigned int i;

	if (!h)
		return -ENOMEM;
	pci_bus_init(&h->bus, PCI_MMIO_BASE, PCI_MMIO_SIZE);
	h->bus.irq = host_irq;
	h->bus.msi = host_msi;
	h->bus.ctx = h;
	h->vm = vm;
	dev->priv = h;
	for (i = 0; i < vm->nr_pci_fns; i++) {
		const struct device_ops *ops = device_find(vm->pci_fns[i].device);
		struct pci_func *f;

		if (!ops || !ops->data) {
			pr_err("pci: no virtio device '%s'\n", vm->pci_fns[i].device);
			goto out_err;
		}
		snprintf(h->fn_name[i], sizeof(h->fn_name[i]), "pci0000:00:%02x", i);
		h->fn_region[i] = (struct region){ h->fn_name[i], ops->name, 0, 0,
						   (int)(PCI_INTX_INTID + i), REGION_DEVICE,
						   vm->pci_fns[i].arg };
		h->fn_dev[i] = (struct device){ ops, &h->fn_region[i], vm, NULL };
		f = virtio_pci_new(ops->data, &h->fn_dev[i], vm->ram, vm->ram_base, vm->ram_size);
		if (!f)
			goto out_err;
		if (pci_bus_add(&h->bus, f) < 0) {
			pr_err("pci: no room for %s on the bus\n", ops->name);
			f->ops->destroy(f);
			goto out_err;
		}
		if (ops->input && !strcmp(ops->name, "virtio-console"))
			h->console = f;
	}
	return 0;
out_err:
	pci_bus_destroy(&h->bus);
	free(h);
	dev->priv = NULL;
	return -EINVAL;
}

static void host_exit(struct device *dev)
{
	struct pci_host *h = dev->priv;

	if (!h)
		return;
	if (h->msi_sent)
		pr_info("pci: %lu MSIs sent, %lu of them blocked by the guest's ITS mappings\n",
			atomic_load(&h->msi_sent), atomic_load(&h->msi_blocked));
	pci_bus_destroy(&h->bus);
	free(h);
	dev->priv = NULL;
}

static uint64_t host_read(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len)
{
	struct pci_host *h = dev->priv;
	uint64_t v;

	if (off < PCI_CFG_SIZE)
		return pci_cfg_read(&h->bus, off, len);
	if (!pci_mmio_read(&h->bus, PCI_CFG_BASE + off, len, &v))
		pr_debug_rl("pci: read at %#" PRIx64 ": no BAR there\n", (uint64_t)PCI_CFG_BASE + off);
	return v;
}

static void host_write(struct device *dev, unsigned int vcpu, uint64_t off, unsigned int len,
		       uint64_t val)
{
	struct pci_host *h = dev->priv;

	if (off < PCI_CFG_SIZE)
		pci_cfg_write(&h->bus, off, len, (uint32_t)val);
	else if (!pci_mmio_write(&h->bus, PCI_CFG_BASE + off, len, val))
		pr_debug_rl("pci: write at %#" PRIx64 ": no BAR there\n", (uint64_t)PCI_CFG_BASE + off);
}

static bool host_input(struct device *dev, uint8_t c)
{
	struct pci_host *h = dev->priv;
	struct virtio_mmio *t;

	if (!h->console)
		return false;
	t = virtio_pci_transport(h->console);
	return t->ops->input(t, &c, 1);
}

/* the phys.hi cell of a PCI address (IEEE 1275 PCI binding): space code, device */
#define OF_PCI_SS_M32		(2u << 24)
#define OF_PCI_DEVICE(n)	((uint32_t)(n) << 11)
#define GIC_FDT_IRQ_TYPE_SPI	0
#define IRQ_TYPE_LEVEL_HIGH	4

static int host_fdt_node(struct device *dev, void *fdt)
{
	struct pci_host *h = dev->priv;
	struct vm *vm = dev->vm;
	char name[32];
	fdt32_t bus_range[2] = { cpu_to_fdt32(0), cpu_to_fdt32(0) };
	fdt64_t reg[2] = { cpu_to_fdt64(PCI_CFG_BASE), cpu_to_fdt64(PCI_CFG_SIZE) };
	/* <phys.hi mid lo> <cpu address> <size>: the 32-bit window, 1:1 */
	fdt32_t ranges[7] = {
		cpu_to_fdt32(OF_PCI_SS_M32), cpu_to_fdt32((uint32_t)(PCI_MMIO_BASE >> 32)),
		cpu_to_fdt32((uint32_t)PCI_MMIO_BASE),
		cpu_to_fdt32((uint32_t)(PCI_MMIO_BASE >> 32)), cpu_to_fdt32((uint32_t)PCI_MMIO_BASE),
		cpu_to_fdt32((uint32_t)(PCI_MMIO_SIZE >> 32)), cpu_to_fdt32((uint32_t)PCI_MMIO_SIZE),
	};
	/* <device 0 0 pin> <GIC> <0 0> <SPI n level>: 10 cells, the GIC's #address-cells 2 */
	fdt32_t map[PCI_MAX_DEVICES * 10];
	fdt32_t mask[4] = { cpu_to_fdt32(OF_PCI_DEVICE(31)), 0, 0, cpu_to_fdt32(7) };
	unsigned int n, nr = 0;
	int ret;

#define CHECK(expr) do { if ((ret = (expr))) return ret; } while (0)
	snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)PCI_CFG_BASE);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
	CHECK(fdt_property_string(fdt, "device_type", "pci"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 3));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	CHECK(fdt_property_u32(fdt, "#interrupt-cells", 1));
	CHECK(fdt_property(fdt, "dma-coherent", NULL, 0));
	CHECK(fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range)));
	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	CHECK(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
	if (vm->irqchip) {
		for (n = 0; n < PCI_MAX_DEVICES; n++) {
			const struct pci_func *f = h->bus.fn[n];
			fdt32_t *e = &map[10 * nr];

			if (!f || f->intid < 32)
				continue;
			e[0] = cpu_to_fdt32(OF_PCI_DEVICE(n));
			e[1] = e[2] = 0;
			e[3] = cpu_to_fdt32(1);		/* INTA# */
			e[4] = cpu_to_fdt32(FDT_PHANDLE_GIC);
			e[5] = e[6] = 0;
			e[7] = cpu_to_fdt32(GIC_FDT_IRQ_TYPE_SPI);
			e[8] = cpu_to_fdt32((uint32_t)f->intid - 32);
			e[9] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
			nr++;
		}
		if (nr) {
			CHECK(fdt_property(fdt, "interrupt-map", map, 10 * nr * sizeof(map[0])));
			CHECK(fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask)));
		}
	}
	if (vm->its_fd >= 0) {
		/* the ITS's #msi-cells is 1; for PCI the DeviceID is the requester ID */
		fdt32_t msi[2] = { cpu_to_fdt32(FDT_PHANDLE_ITS), 0 };

		CHECK(fdt_property(fdt, "msi-parent", msi, sizeof(msi)));
	}
	return fdt_end_node(fdt);
#undef CHECK
}

static const struct device_ops pci_host_ops = {
	.name = "pci",
	.init = host_init,
	.exit = host_exit,
	.read = host_read,
	.write = host_write,
	.input = host_input,
	.fdt_node = host_fdt_node,
};
DEVICE_REGISTER(pci_host_ops);
