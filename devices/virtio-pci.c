// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-pci, the virtio 1.x "modern" PCI transport (virtio 1.2, 4.1): a
 * non-transitional function (device ID 0x1040 + the virtio ID, revision 1)
 * whose BAR 0 holds the common configuration, ISR, device configuration and
 * notification structures that its vendor capabilities point at, and BAR 2
 * the MSI-X table and PBA.  The device state, rings and back-ends are
 * virtio-mmio's (virtio.h): only the register file differs.
 *
 * Interrupts: with MSI-X enabled, each queue and the configuration signal
 * the vector the driver chose for them (none: nothing); otherwise INTA#
 * follows ISR, which a read clears (4.1.4.5).
 *
 * The PCI configuration access capability (4.1.4.9) is a window onto the
 * BARs through configuration space: the driver sets its BAR, offset and
 * length (1, 2 or 4, the offset aligned to it), and a read of its data
 * field reads the BAR there, a write of it writes there.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../vmm/vmm.h"
#include "device.h"
#include "pci.h"
#include "virtio.h"

struct virtio_pci {
	struct pci_func f;
	struct virtio_mmio t;
	struct device *dev;
	uint16_t config_vector;
	uint16_t queue_vector[VIRTIO_MAX_QUEUES];
	unsigned int cfg_cap;		/* VIRTIO_PCI_CAP_PCI_CFG's offset */
};

/* struct virtio_pci_cfg_cap: the window's BAR, offset and length, then its data */
#define CFG_CAP_BAR	4
#define CFG_CAP_OFF	8
#define CFG_CAP_LEN	12
#define CFG_CAP_DATA	16
#define CFG_CAP_SIZE	20

static struct virtio_pci *to_vp(struct pci_func *f)
{
	return f->priv;
}

struct virtio_mmio *virtio_pci_transport(struct pci_func *f)
{
	return &to_vp(f)->t;
}

static void vp_irq(void *ctx, int level)
{
	struct virtio_pci *vp = ctx;

	pci_set_intx(&vp->f, level);
}

/* lock held: queue @q (or the configuration) has news for the driver */
static void vp_signal(void *ctx, int q)
{
	struct virtio_pci *vp = ctx;
	uint16_t vec;

	if (!pci_msix_enabled(&vp->f)) {
		virtio_update_irq(&vp->t);
		return;
	}
	vec = q < 0 ? vp->config_vector : vp->queue_vector[q];
	if (vec != VIRTIO_PCI_NO_VECTOR)
		pci_msix_notify(&vp->f, vec);
}

/* a vector the driver may choose: one of the table's, or none */
static uint16_t vector(const struct virtio_pci *vp, uint32_t v)
{
	return v < vp->f.msix.nvec ? (uint16_t)v : VIRTIO_PCI_NO_VECTOR;
}

static struct virtq *selected(struct virtio_pci *vp)
{
	struct virtio_mmio *t = &vp->t;

	return t->queue_sel < t->ops->num_queues ? &t->vq[t->queue_sel] : NULL;
}

static uint32_t common_read(struct virtio_pci *vp, uint64_t off)
{
	struct virtio_mmio *t = &vp->t;
	struct virtq *vq = selected(vp);

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		return t->device_features_sel;
	case VIRTIO_PCI_COMMON_DF:
		return t->device_features_sel > 1 ? 0 :
		       (uint32_t)(t->device_features >> (32 * t->device_features_sel));
	case VIRTIO_PCI_COMMON_GFSELECT:
		return t->driver_features_sel;
	case VIRTIO_PCI_COMMON_GF:
		return t->driver_features_sel > 1 ? 0 :
		       (uint32_t)(t->driver_features >> (32 * t->driver_features_sel));
	case VIRTIO_PCI_COMMON_MSIX:
		return vp->config_vector;
	case VIRTIO_PCI_COMMON_NUMQ:
		return t->ops->num_queues;
	case VIRTIO_PCI_COMMON_STATUS:
		return t->status;
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return t->config_generation & 0xff;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		return t->queue_sel;
	case VIRTIO_PCI_COMMON_Q_SIZE:
		/* the maximum until the driver sets it; 0: no such queue */
		return vq ? (vq->num ? vq->num : VIRTQ_NUM_MAX) : 0;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		return vq ? vp->queue_vector[t->queue_sel] : VIRTIO_PCI_NO_VECTOR;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		return vq ? vq->ready : 0;
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return vq ? t->queue_sel : 0;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		return vq ? (uint32_t)vq->desc_gpa : 0;
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		return vq ? (uint32_t)(vq->desc_gpa >> 32) : 0;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		return vq ? (uint32_t)vq->avail_gpa : 0;
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		return vq ? (uint32_t)(vq->avail_gpa >> 32) : 0;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		return vq ? (uint32_t)vq->used_gpa : 0;
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		return vq ? (uint32_t)(vq->used_gpa >> 32) : 0;
	}
	return 0;
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
	if (high)
		*v = (*v & 0xffffffffULL) | ((uint64_t)val << 32);
	else
		*v = (*v & ~0xffffffffULL) | val;
}

static void common_write(struct virtio_pci *vp, uint64_t off, uint32_t val)
{
	struct virtio_mmio *t = &vp->t;
	struct virtq *vq = selected(vp);
	bool qw = vq && !vq->ready;	/* queue fields: only while not enabled */
	unsigned int q;

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		t->device_features_sel = val;
		break;
	case VIRTIO_PCI_COMMON_GFSELECT:
		t->driver_features_sel = val;
		break;
	case VIRTIO_PCI_COMMON_GF:
		if (t->driver_features_sel <= 1 && !(t->status & VIRTIO_STATUS_FEATURES_OK))
			set_half(&t->driver_features, t->driver_features_sel, val);
		break;
	case VIRTIO_PCI_COMMON_MSIX:
		vp->config_vector = vector(vp, val);
		break;
	case VIRTIO_PCI_COMMON_STATUS:
		virtio_write_status(t, val & 0xff);
		if (!t->status) {
			vp->config_vector = VIRTIO_PCI_NO_VECTOR;
			for (q = 0; q < VIRTIO_MAX_QUEUES; q++)
				vp->queue_vector[q] = VIRTIO_PCI_NO_VECTOR;
		}
		break;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		t->queue_sel = val & 0xffff;
		break;
	case VIRTIO_PCI_COMMON_Q_SIZE:
		if (qw)
			vq->num = val & 0xffff;
		break;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		if (vq)
			vp->queue_vector[t->queue_sel] = vector(vp, val);
		break;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		/* 4.1.4.3.2: the driver writes 1 only; disabling is a reset */
		if (qw && (val & 1)) {
			if (!vq->num)
				vq->num = VIRTQ_NUM_MAX;
			virtio_queue_enable(t, vq);
		}
		break;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		if (qw)
			set_half(&vq->desc_gpa, off == VIRTIO_PCI_COMMON_Q_DESCHI, val);
		break;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		if (qw)
			set_half(&vq->avail_gpa, off == VIRTIO_PCI_COMMON_Q_AVAILHI, val);
		break;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		if (qw)
			set_half(&vq->used_gpa, off == VIRTIO_PCI_COMMON_Q_USEDHI, val);
		break;
	default:
		pr_debug_rl("%s: common configuration write of %#x at %#" PRIx64 " ignored\n",
			    t->ops->name, val, off);
	}
}

/* the width of the common configuration field at @off (0: none there) */
static unsigned int common_width(uint64_t off)
{
	switch (off) {
	case VIRTIO_PCI_COMMON_STATUS:
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return 1;
	case VIRTIO_PCI_COMMON_MSIX:
	case VIRTIO_PCI_COMMON_NUMQ:
	case VIRTIO_PCI_COMMON_Q_SELECT:
	case VIRTIO_PCI_COMMON_Q_SIZE:
	case VIRTIO_PCI_COMMON_Q_MSIX:
	case VIRTIO_PCI_COMMON_Q_ENABLE:
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return 2;
	}
	return off < VIRTIO_PCI_COMMON_SIZE && !(off & 3) ? 4 : 0;
}

static uint64_t vp_bar_read(struct pci_func *f, unsigned int bar, uint64_t off, unsigned int len)
{
	struct virtio_pci *vp = to_vp(f);
	struct virtio_mmio *t = &vp->t;
	uint64_t v = 0;
	unsigned int i;

	if (bar == VIRTIO_PCI_MSIX_BAR) {
		pci_msix_read(f, off, len, &v);
		return v;
	}
	if (off < VIRTIO_PCI_ISR_OFF) {
		/* each field at its own width (4.1.3.1); 64-bit ones as two halves */
		if (common_width(off) == len)
			v = common_read(vp, off);
	} else if (off == VIRTIO_PCI_ISR_OFF && len == 1) {
		v = t->isr;
		t->isr = 0;
		virtio_update_irq(t);
	} else if (off >= VIRTIO_PCI_DEVICE_OFF && off < VIRTIO_PCI_NOTIFY_OFF) {
		off -= VIRTIO_PCI_DEVICE_OFF;
		if (off <= t->config_len && len <= t->config_len - off)
			for (i = 0; i < len; i++)
				v |= (uint64_t)t->config[off + i] << (8 * i);
	}
	return v;
}

static void vp_bar_write(struct pci_func *f, unsigned int bar, uint64_t off, unsigned int len,
			 uint64_t val)
{
	struct virtio_pci *vp = to_vp(f);
	struct virtio_mmio *t = &vp->t;

	if (bar == VIRTIO_PCI_MSIX_BAR) {
		pci_msix_write(f, off, len, val);
		return;
	}
	if (off < VIRTIO_PCI_ISR_OFF) {
		if (common_width(off) == len)
			common_write(vp, off, (uint32_t)val);
		else
			pr_debug_rl("%s: common configuration write of %u bytes at %#" PRIx64
				    " ignored\n", t->ops->name, len, off);
	} else if (off >= VIRTIO_PCI_NOTIFY_OFF) {
		/* queue q's address: NOTIFY_OFF + q * NOTIFY_MULT; the value is q again */
		off -= VIRTIO_PCI_NOTIFY_OFF;
		if (!(off % VIRTIO_PCI_NOTIFY_MULT) && off / VIRTIO_PCI_NOTIFY_MULT < t->ops->num_queues)
			virtio_mmio_device_notify(t, (unsigned int)(off / VIRTIO_PCI_NOTIFY_MULT));
	} else {
		pr_debug_rl("%s: write at %#" PRIx64 " ignored\n", t->ops->name, off);
	}
}

static uint32_t cfg_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The window the driver set in the configuration access capability, or
 * false (a bad length, a misaligned offset, no such BAR, past its end).
 */
static bool cfg_window(struct virtio_pci *vp, unsigned int *bar, uint32_t *off, uint32_t *len)
{
	const uint8_t *c = vp->f.cfg + vp->cfg_cap;

	*bar = c[CFG_CAP_BAR];
	*off = cfg_get32(c + CFG_CAP_OFF);
	*len = cfg_get32(c + CFG_CAP_LEN);
	if ((*len != 1 && *len != 2 && *len != 4) || (*off & (*len - 1)))
		return false;
	return *bar < PCI_NUM_BARS && vp->f.bar_size[*bar] && *off <= vp->f.bar_size[*bar] - *len;
}

/* does [reg, reg + len) touch the window's data field? */
static bool cfg_data_access(struct virtio_pci *vp, unsigned int reg, unsigned int len)
{
	unsigned int data = vp->cfg_cap + CFG_CAP_DATA;

	return vp->cfg_cap && reg < data + 4 && data < reg + len;
}

static void vp_cfg_read(struct pci_func *f, unsigned int reg, unsigned int len)
{
	struct virtio_pci *vp = to_vp(f);
	unsigned int bar, i;
	uint32_t off, n;
	uint64_t v;

	if (!cfg_data_access(vp, reg, len))
		return;
	if (!cfg_window(vp, &bar, &off, &n)) {
		pr_debug_rl("%s: configuration window read with a bad BAR, offset or length\n",
			    vp->t.ops->name);
		return;
	}
	v = vp_bar_read(f, bar, off, n);
	for (i = 0; i < n; i++)
		f->cfg[vp->cfg_cap + CFG_CAP_DATA + i] = (uint8_t)(v >> (8 * i));
}

static void vp_cfg_write(struct pci_func *f, unsigned int reg, unsigned int len)
{
	struct virtio_pci *vp = to_vp(f);
	unsigned int bar;
	uint32_t off, n;

	if (!cfg_data_access(vp, reg, len))
		return;
	if (!cfg_window(vp, &bar, &off, &n)) {
		pr_debug_rl("%s: configuration window write with a bad BAR, offset or length\n",
			    vp->t.ops->name);
		return;
	}
	vp_bar_write(f, bar, off, n, cfg_get32(f->cfg + vp->cfg_cap + CFG_CAP_DATA) &
		     (n == 4 ? 0xffffffffu : (1u << (8 * n)) - 1));
}

static void vp_destroy(struct pci_func *f)
{
	struct virtio_pci *vp = to_vp(f);

	if (vp->t.ops->teardown)
		vp->t.ops->teardown(&vp->t);
	virtio_mmio_destroy(&vp->t);
	free(vp);
}

static const struct pci_func_ops virtio_pci_ops = {
	.bar_read = vp_bar_read,
	.bar_write = vp_bar_write,
	.destroy = vp_destroy,
	.cfg_read = vp_cfg_read,
	.cfg_write = vp_cfg_write,
};

/* a struct virtio_pci_cap (4.1.4): cfg_type, BAR 0, the structure's offset and length */
static int add_vndr_cap(struct pci_func *f, uint8_t type, uint32_t off, uint32_t len,
			unsigned int extra)
{
	unsigned int cap = pci_func_add_cap(f, PCI_CAP_ID_VNDR, 16 + extra);
	unsigned int i;

	if (!cap)
		return -1;
	f->cfg[cap + 2] = (uint8_t)(16 + extra);	/* cap_len */
	f->cfg[cap + 3] = type;
	f->cfg[cap + 4] = VIRTIO_PCI_BAR;
	for (i = 0; i < 4; i++) {
		f->cfg[cap + 8 + i] = (uint8_t)(off >> (8 * i));
		f->cfg[cap + 12 + i] = (uint8_t)(len >> (8 * i));
	}
	if (extra)
		f->cfg[cap + 16] = VIRTIO_PCI_NOTIFY_MULT;	/* notify_off_multiplier */
	return 0;
}

/* the configuration access capability: its BAR, offset, length and data writable */
static int add_cfg_cap(struct virtio_pci *vp)
{
	struct pci_func *f = &vp->f;
	unsigned int cap = pci_func_add_cap(f, PCI_CAP_ID_VNDR, CFG_CAP_SIZE);

	if (!cap)
		return -1;
	f->cfg[cap + 2] = CFG_CAP_SIZE;		/* cap_len */
	f->cfg[cap + 3] = VIRTIO_PCI_CAP_PCI_CFG;
	f->wmask[cap + CFG_CAP_BAR] = 0xff;
	memset(f->wmask + cap + CFG_CAP_OFF, 0xff, CFG_CAP_SIZE - CFG_CAP_OFF);
	vp->cfg_cap = cap;
	return 0;
}

/* PCI class codes: storage, network, communication, else unclassified */
static uint32_t class_of(uint32_t device_id)
{
	switch (device_id) {
	case VIRTIO_ID_BLOCK:	return 0x018000;
	case VIRTIO_ID_NET:	return 0x020000;
	case VIRTIO_ID_CONSOLE:	return 0x078000;
	}
	return 0xff0000;
}

struct pci_func *virtio_pci_new(const struct virtio_dev_ops *vops, struct device *dev,
				uint8_t *ram, uint64_t ram_base, uint64_t ram_size)
{
	struct virtio_pci *vp = calloc(1, sizeof(*vp));
	struct pci_func *f;
	unsigned int q;

	if (!vp) {
		pr_err("%s: out of memory\n", vops->name);
		return NULL;
	}
	f = &vp->f;
	virtio_mmio_init(&vp->t, vops, NULL, ram, ram_base, ram_size, vp_irq, vp);
	vp->t.signal = vp_signal;
	vp->dev = dev;
	vp->config_vector = VIRTIO_PCI_NO_VECTOR;
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vp->queue_vector[q] = VIRTIO_PCI_NO_VECTOR;
	pci_func_init(f, &vp->t.lock, VIRTIO_PCI_VENDOR,
		      (uint16_t)(VIRTIO_PCI_DEVICE_BASE + vops->device_id), class_of(vops->device_id),
		      1, VIRTIO_PCI_VENDOR, (uint16_t)(VIRTIO_PCI_DEVICE_BASE + vops->device_id),
		      dev && dev->region ? dev->region->intid : -1);
	f->ops = &virtio_pci_ops;
	f->priv = vp;
	pci_func_add_bar(f, VIRTIO_PCI_BAR, VIRTIO_PCI_BAR_SIZE);
	pci_func_add_bar(f, VIRTIO_PCI_MSIX_BAR, VIRTIO_PCI_MSIX_BAR_SIZE);
	if (vops->setup && vops->setup(&vp->t, dev) < 0) {
		virtio_mmio_destroy(&vp->t);
		free(vp);
		return NULL;	/* setup said why */
	}
	if (add_vndr_cap(f, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF,
			 VIRTIO_PCI_COMMON_SIZE, 0) ||
	    add_vndr_cap(f, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF, 1, 0) ||
	    (vp->t.config_len && add_vndr_cap(f, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF,
					      vp->t.config_len, 0)) ||
	    add_vndr_cap(f, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF,
			 VIRTIO_PCI_NOTIFY_MULT * vops->num_queues, 4) ||
	    add_cfg_cap(vp) ||
	    pci_func_add_msix(f, vops->num_queues + 1, VIRTIO_PCI_MSIX_BAR, 0,
			      VIRTIO_PCI_PBA_OFF)) {
		pr_err("%s: PCI capabilities do not fit\n", vops->name);
		vp_destroy(f);
		return NULL;
	}
	return f;
}
