// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 ITS and its LPIs (arch/arm64/kvm/vgic/vgic-its.c,
 * Documentation/virt/kvm/devices/arm-vgic-its.rst).
 *
 * An ITS translates (DeviceID, EventID) into an LPI on a redistributor
 * through the command queue the guest fills: devices (MAPD), collections
 * (MAPC) and their translations (MAPTI/MAPI) live here, not in guest
 * memory, until KVM_DEV_ARM_ITS_SAVE_TABLES writes them out in KVM's ABI
 * rev 0 layout (8-byte DTE, CTE and ITE).  As in KVM, a command with bad
 * arguments is dropped and the queue goes on (no stall, no error
 * reported); only KVM_SIGNAL_MSI tells an unmapped event (0) from a
 * delivered one (1).  GITS_TRANSLATER is no register of KVM's ITS frame:
 * a CPU store there is ignored, MSIs come from userspace's devices
 * (KVM_SIGNAL_MSI, MSI routes, irqfds) naming the doorbell address.
 *
 * LPIs are struct vgic_lpi in kvm->vgic.lpis, sorted by INTID, shared by
 * every ITE that maps them; their priority and enable come from the
 * property table (GICR_PROPBASER) when mapped and on INV/INVALL, their
 * pending bit from the pending table (GICR_PENDBASER) when mapped and when
 * EnableLPIs is set, and back to it on KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES.
 */
#include <stdlib.h>

#include "vgic.h"

#define GITS_CTLR		0x0000
#define GITS_IIDR		0x0004
#define GITS_TYPER		0x0008
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GITS_BASER		0x0100
#define GITS_IDREGS_BASE	0xffd0
#define GITS_PIDR0		0xffe0
#define GITS_PIDR1		0xffe4
#define GITS_PIDR2		0xffe8
#define GITS_PIDR4		0xffd0
#define GITS_CIDR0		0xfff0
#define GITS_CIDR1		0xfff4
#define GITS_CIDR2		0xfff8
#define GITS_CIDR3		0xfffc

#define GITS_CTLR_ENABLE	BIT(0)
#define GITS_CTLR_QUIESCENT	BIT(31)

#define GITS_BASER_VALID	BIT_ULL(63)
#define GITS_BASER_INDIRECT	BIT_ULL(62)
#define GITS_BASER_TYPE_SHIFT	56
#define GITS_BASER_TYPE_DEVICE	1ULL
#define GITS_BASER_TYPE_COLL	4ULL
#define GITS_BASER_ESZ_SHIFT	48
#define GITS_BASER_ESZ_MASK	GENMASK_ULL(52, 48)
#define GITS_BASER_RO_MASK	(GENMASK_ULL(52, 48) | GENMASK_ULL(58, 56))
#define GITS_BASER_PAGE_SIZE_MASK GENMASK_ULL(9, 8)
#define GITS_BASER_PAGE_SIZE_64K (2ULL << 8)
#define GITS_CBASER_VALID	BIT_ULL(63)

/* The cacheability and shareability fields KVM sanitises */
#define BASER_SHAREABILITY_SHIFT 10
#define BASER_INNER_CACHE_SHIFT	59
#define BASER_OUTER_CACHE_SHIFT	53
#define GICR_BASER_INNER_SHIFT	7
#define GICR_BASER_OUTER_SHIFT	56
#define GIC_BASER_INNER_SHAREABLE 1ULL
#define GIC_BASER_OUTER_SHAREABLE 2ULL
#define GIC_BASER_CACHE_nCnB	0ULL
#define GIC_BASER_CACHE_nC	1ULL
#define GIC_BASER_CACHE_RaWb	3ULL
#define GIC_BASER_CACHE_SAME	0ULL	/* outer: same as inner */

#define PROPBASER_RES0_MASK	(GENMASK_ULL(63, 59) | GENMASK_ULL(55, 52) | GENMASK_ULL(6, 5))
#define PENDBASER_RES0_MASK	(BIT_ULL(63) | GENMASK_ULL(61, 59) | GENMASK_ULL(55, 52) | \
				 GENMASK_ULL(15, 12) | GENMASK_ULL(6, 0))
#define GICR_PENDBASER_PTZ	BIT_ULL(62)
#define PROPBASER_ADDRESS(x)	((x) & GENMASK_ULL(51, 12))
#define PENDBASER_ADDRESS(x)	((x) & GENMASK_ULL(51, 16))

#define INITIAL_BASER_VALUE	((GIC_BASER_CACHE_RaWb << BASER_INNER_CACHE_SHIFT) | \
				 (GIC_BASER_INNER_SHAREABLE << BASER_SHAREABILITY_SHIFT) | \
				 GITS_BASER_PAGE_SIZE_64K)
#define INITIAL_PROPBASER_VALUE	((GIC_BASER_CACHE_RaWb << GICR_BASER_INNER_SHIFT) | \
				 (GIC_BASER_INNER_SHAREABLE << BASER_SHAREABILITY_SHIFT))

/* KVM's ITS: 16 DeviceID and EventID bits, 8-byte ITEs, PTA 0 (vCPU numbers) */
#define VITS_TYPER_IDBITS	16
#define VITS_TYPER_DEVBITS	16
#define VITS_DTE_MAX_DEVID_OFFSET	(BIT(14) - 1)
#define VITS_ITE_MAX_EVENTID_OFFSET	(BIT(16) - 1)
#define INTERRUPT_ID_BITS_ITS	16
#define ABI_0_ESZ		8
#define NR_ITS_ABIS		1
#define GITS_TYPER_VALUE	(1ULL | ((ABI_0_ESZ - 1ULL) << 4) | \
				 ((VITS_TYPER_IDBITS - 1ULL) << 8) | \
				 ((VITS_TYPER_DEVBITS - 1ULL) << 13))
/* GITS_IIDR: KVM's product ID, the ABI revision, Arm */
#define GITS_IIDR_VALUE(rev)	((0x4bU << 24) | ((rev) << 12) | 0x43bU)

/* The table entries of arm-vgic-its.rst (ABI rev 0) */
#define KVM_ITS_DTE_VALID_SHIFT	63
#define KVM_ITS_DTE_NEXT_SHIFT	49
#define KVM_ITS_DTE_NEXT_MASK	GENMASK_ULL(62, 49)
#define KVM_ITS_DTE_ITTADDR_SHIFT 5
#define KVM_ITS_DTE_ITTADDR_MASK GENMASK_ULL(48, 5)
#define KVM_ITS_DTE_SIZE_MASK	GENMASK_ULL(4, 0)
#define KVM_ITS_CTE_VALID_SHIFT	63
#define KVM_ITS_CTE_RDBASE_SHIFT 16
#define KVM_ITS_CTE_ICID_MASK	GENMASK_ULL(15, 0)
#define KVM_ITS_ITE_NEXT_SHIFT	48
#define KVM_ITS_ITE_PINTID_SHIFT 16
#define KVM_ITS_ITE_PINTID_MASK	GENMASK_ULL(47, 16)
#define KVM_ITS_ITE_ICID_MASK	GENMASK_ULL(15, 0)
#define KVM_ITS_L1E_VALID	BIT_ULL(63)
#define KVM_ITS_L1E_ADDR_MASK	GENMASK_ULL(51, 16)

#define ITS_CMD_SIZE		32
#define ITS_CMD_BUFFER_SIZE(baser)	((((baser) & 0xff) + 1) << 12)
#define ITS_CMD_OFFSET(reg)	((reg) & GENMASK_ULL(19, 5))

enum its_cmd {
	GITS_CMD_MOVI = 0x01, GITS_CMD_INT = 0x03, GITS_CMD_CLEAR = 0x04,
	GITS_CMD_SYNC = 0x05, GITS_CMD_MAPD = 0x08, GITS_CMD_MAPC = 0x09,
	GITS_CMD_MAPTI = 0x0a, GITS_CMD_MAPI = 0x0b, GITS_CMD_INV = 0x0c,
	GITS_CMD_INVALL = 0x0d, GITS_CMD_MOVALL = 0x0e, GITS_CMD_DISCARD = 0x0f,
};

/* Command errors (arm-gic-v3.h): positive, never seen by the guest */
#define E_ITS_MOVI_UNMAPPED_INTERRUPT		0x010107
#define E_ITS_MOVI_UNMAPPED_COLLECTION		0x010109
#define E_ITS_INT_UNMAPPED_INTERRUPT		0x010307
#define E_ITS_CLEAR_UNMAPPED_INTERRUPT		0x010507
#define E_ITS_MAPD_DEVICE_OOR			0x010801
#define E_ITS_MAPD_ITTSIZE_OOR			0x010802
#define E_ITS_MAPC_PROCNUM_OOR			0x010902
#define E_ITS_MAPC_COLLECTION_OOR		0x010903
#define E_ITS_MAPTI_UNMAPPED_DEVICE		0x010a04
#define E_ITS_MAPTI_ID_OOR			0x010a05
#define E_ITS_MAPTI_PHYSICALID_OOR		0x010a06
#define E_ITS_INV_UNMAPPED_INTERRUPT		0x010c07
#define E_ITS_INVALL_UNMAPPED_COLLECTION	0x010d09
#define E_ITS_MOVALL_PROCNUM_OOR		0x010e01
#define E_ITS_DISCARD_UNMAPPED_INTERRUPT	0x010f07

#define COLLECTION_NOT_MAPPED	(~0U)

struct its_collection {
	struct its_collection *next;	/* in creation order, as KVM saves them */
	u32 id;
	u32 target_addr;		/* vCPU index, or COLLECTION_NOT_MAPPED */
};

struct its_ite {
	struct its_ite *next;		/* sorted by event_id */
	u32 event_id;
	struct its_collection *coll;	/* NULL once its collection is unmapped */
	struct vgic_lpi *lpi;
};

struct its_device {
	struct its_device *next;	/* sorted by device_id */
	u32 device_id;
	u32 num_eventid_bits;
	u64 itt_addr;
	struct its_ite *ites;
};

struct vgic_its {
	struct kvm_io_device iodev;	/* first: the bus hands us this */
	struct kvm *kvm;
	pthread_mutex_t lock;		/* KVM's its_lock and cmd_lock in one */
	u64 base;			/* VGIC_ADDR_UNDEF until GRP_ADDR */
	bool registered;
	bool enabled;
	u32 abi_rev;
	u64 cbaser, creadr, cwriter;
	u64 baser_device_table, baser_coll_table;
	struct its_device *devices;
	struct its_collection *collections;
};

static inline bool coll_mapped(const struct its_collection *c)
{
	return c && c->target_addr != COLLECTION_NOT_MAPPED;
}

/* ---- LPIs ------------------------------------------------------------------------ */

static unsigned int lpi_index_locked(struct kvm *kvm, u32 intid)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int lo = 0, hi = d->nr_lpis;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (d->lpis[mid]->intid < intid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vgic_lpi *vgic_find_lpi_locked(struct kvm *kvm, u32 intid)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i = lpi_index_locked(kvm, intid);

	return i < d->nr_lpis && d->lpis[i]->intid == intid ? d->lpis[i] : NULL;
}

static int lpi_insert_locked(struct kvm *kvm, struct vgic_lpi *lpi)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i = lpi_index_locked(kvm, lpi->intid);

	if (d->nr_lpis == d->lpis_cap) {
		unsigned int cap = d->lpis_cap ? 2 * d->lpis_cap : 16;
		struct vgic_lpi **n = realloc(d->lpis, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		d->lpis = n;
		d->lpis_cap = cap;
	}
	memmove(&d->lpis[i + 1], &d->lpis[i], (d->nr_lpis - i) * sizeof(*d->lpis));
	d->lpis[i] = lpi;
	d->nr_lpis++;
	return 0;
}

/* vgic_put_irq(): the last ITE naming an LPI is gone, and so is the LPI. */
static void lpi_put(struct kvm *kvm, struct vgic_lpi *lpi)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;

	pthread_mutex_lock(&d->lock);
	if (--lpi->refcount == 0) {
		i = lpi_index_locked(kvm, lpi->intid);
		if (i < d->nr_lpis && d->lpis[i] == lpi) {
			memmove(&d->lpis[i], &d->lpis[i + 1],
				(d->nr_lpis - i - 1) * sizeof(*d->lpis));
			d->nr_lpis--;
		}
		lpi->irq.pending_latch = false;
		vgic_irq_changed_locked(kvm, NULL, &lpi->irq);
		free(lpi);
	}
	pthread_mutex_unlock(&d->lock);
}

static struct kvm_vcpu *its_vcpu_locked(struct kvm *kvm, u32 target)
{
	return target < KVM_MAX_VCPUS_NR ? kvm->vcpu_by_idx[target] : NULL;
}

/* The LPI's priority and enable from the property table (update_lpi_config). */
static int update_lpi_config(struct kvm *kvm, u32 intid, int filter_vcpu)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_lpi *lpi;
	u64 propbase;
	u8 prop;
	int ret;

	pthread_mutex_lock(&d->lock);
	propbase = PROPBASER_ADDRESS(d->propbaser);
	pthread_mutex_unlock(&d->lock);
	ret = kvm_read_guest(kvm, propbase + intid - VGIC_MIN_LPI, &prop, 1);
	if (ret)
		return ret;
	pthread_mutex_lock(&d->lock);
	lpi = vgic_find_lpi_locked(kvm, intid);
	if (lpi && (filter_vcpu < 0 || lpi->irq.target == filter_vcpu)) {
		lpi->irq.priority = prop & 0xfc;
		lpi->irq.enabled = prop & 1;
		vgic_irq_changed_locked(kvm, NULL, &lpi->irq);
	}
	pthread_mutex_unlock(&d->lock);
	return 0;
}

/*
 * vgic_add_lpi(): a reference to the LPI, created with its configuration
 * and, when it targets a vCPU, its pending bit (consumed from the table).
 */
static int vgic_add_lpi(struct kvm *kvm, u32 intid, int vcpu_idx,
			struct vgic_lpi **out)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_lpi *lpi, *n;
	u64 propbase, pendbase = 0, pend_gpa;
	bool has_pend = false;
	u8 prop, pend = 0;
	int ret;

	pthread_mutex_lock(&d->lock);
	lpi = vgic_find_lpi_locked(kvm, intid);
	if (lpi) {
		lpi->refcount++;
		pthread_mutex_unlock(&d->lock);
		*out = lpi;
		return 0;
	}
	propbase = PROPBASER_ADDRESS(d->propbaser);
	if (vcpu_idx >= 0 && its_vcpu_locked(kvm, (u32)vcpu_idx)) {
		pendbase = PENDBASER_ADDRESS(its_vcpu_locked(kvm, (u32)vcpu_idx)->vgic_cpu.pendbaser);
		has_pend = true;
	}
	pthread_mutex_unlock(&d->lock);

	ret = kvm_read_guest(kvm, propbase + intid - VGIC_MIN_LPI, &prop, 1);
	if (ret)
		return ret;
	pend_gpa = pendbase + intid / 8;
	if (has_pend) {
		ret = kvm_read_guest(kvm, pend_gpa, &pend, 1);
		if (ret)
			return ret;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;

	pthread_mutex_lock(&d->lock);
	lpi = vgic_find_lpi_locked(kvm, intid);
	if (lpi) {
		/* another ITS mapped it meanwhile */
		lpi->refcount++;
		pthread_mutex_unlock(&d->lock);
		free(n);
		*out = lpi;
		return 0;
	}
	n->intid = intid;
	n->refcount = 1;
	n->irq.group = true;
	n->irq.edge = true;
	n->irq.resamplefd = -1;
	n->irq.target = vcpu_idx;
	n->irq.priority = prop & 0xfc;
	n->irq.enabled = prop & 1;
	n->irq.pending_latch = has_pend && (pend & (1u << (intid % 8)));
	ret = lpi_insert_locked(kvm, n);
	if (ret) {
		pthread_mutex_unlock(&d->lock);
		free(n);
		return ret;
	}
	vgic_irq_changed_locked(kvm, NULL, &n->irq);
	pthread_mutex_unlock(&d->lock);
	/* vgic_v3_lpi_sync_pending_status(): the bit is consumed */
	if (n->irq.pending_latch) {
		pend &= (u8)~(1u << (intid % 8));
		kvm_write_guest(kvm, pend_gpa, &pend, 1);
	}
	*out = n;
	return 0;
}

static void update_affinity(struct kvm *kvm, struct vgic_lpi *lpi, int vcpu_idx)
{
	pthread_mutex_lock(&kvm->vgic.lock);
	lpi->irq.target = vcpu_idx;
	vgic_update_all_locked(kvm);
	pthread_mutex_unlock(&kvm->vgic.lock);
}

/* The INTIDs of the LPIs targeting @vcpu_idx (every LPI if < 0). */
static int copy_lpi_list(struct kvm *kvm, int vcpu_idx, u32 **out)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i, n = 0;
	u32 *ids;

	pthread_mutex_lock(&d->lock);
	ids = malloc((d->nr_lpis + 1) * sizeof(*ids));
	if (!ids) {
		pthread_mutex_unlock(&d->lock);
		return -ENOMEM;
	}
	for (i = 0; i < d->nr_lpis; i++)
		if (vcpu_idx < 0 || d->lpis[i]->irq.target == vcpu_idx)
			ids[n++] = d->lpis[i]->intid;
	pthread_mutex_unlock(&d->lock);
	*out = ids;
	return (int)n;
}

/* its_sync_lpi_pending_table(), when EnableLPIs is set without PTZ. */
void vgic_enable_lpis(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	u64 pendbaser, last = ~0ULL;
	u8 mask = 0;
	u32 *ids;
	int n, i;

	pthread_mutex_lock(&kvm->vgic.lock);
	pendbaser = vcpu->vgic_cpu.pendbaser;
	pthread_mutex_unlock(&kvm->vgic.lock);
	if (pendbaser & GICR_PENDBASER_PTZ)
		return;
	n = copy_lpi_list(kvm, (int)vcpu->vcpu_idx, &ids);
	for (i = 0; i < n; i++) {
		u64 gpa = PENDBASER_ADDRESS(pendbaser) + ids[i] / 8;
		struct vgic_lpi *lpi;

		if (gpa != last) {
			if (kvm_read_guest(kvm, gpa, &mask, 1))
				break;
			last = gpa;
		}
		pthread_mutex_lock(&kvm->vgic.lock);
		lpi = vgic_find_lpi_locked(kvm, ids[i]);
		if (lpi) {
			lpi->irq.pending_latch = mask & (1u << (ids[i] % 8));
			vgic_irq_changed_locked(kvm, NULL, &lpi->irq);
		}
		pthread_mutex_unlock(&kvm->vgic.lock);
	}
	if (n >= 0)
		free(ids);
}

static void invall_vcpu(struct kvm *kvm, int vcpu_idx)
{
	u32 *ids;
	int n, i;

	n = copy_lpi_list(kvm, vcpu_idx, &ids);
	if (n < 0)
		return;
	for (i = 0; i < n; i++)
		update_lpi_config(kvm, ids[i], vcpu_idx);
	free(ids);
}

void vgic_its_inv(struct kvm_vcpu *vcpu, u32 intid)
{
	if (intid)
		update_lpi_config(vcpu->kvm, intid, -1);	/* any LPI, as KVM */
	else
		invall_vcpu(vcpu->kvm, (int)vcpu->vcpu_idx);
}

/* vgic_flush_pending_lpis(): EnableLPIs cleared. */
void vgic_flush_pending_lpis_locked(struct kvm_vcpu *vcpu)
{
	struct vgic_dist *d = &vcpu->kvm->vgic;
	unsigned int i;

	for (i = 0; i < d->nr_lpis; i++)
		if (d->lpis[i]->irq.target == (int)vcpu->vcpu_idx)
			d->lpis[i]->irq.pending_latch = false;
	vgic_update_vcpu_locked(vcpu);
}

/* vgic_v3_save_pending_tables(): each LPI's pending state to its table. */
int vgic_v3_save_pending_tables(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	u64 last = ~0ULL;
	u8 val = 0;
	u32 *ids;
	int n, i, ret = 0;

	n = copy_lpi_list(kvm, -1, &ids);
	if (n < 0)
		return n;
	for (i = 0; i < n && !ret; i++) {
		struct vgic_lpi *lpi;
		struct kvm_vcpu *vcpu;
		bool pending, stored;
		u64 gpa;

		pthread_mutex_lock(&d->lock);
		lpi = vgic_find_lpi_locked(kvm, ids[i]);
		vcpu = lpi && lpi->irq.target >= 0 ? its_vcpu_locked(kvm, (u32)lpi->irq.target) : NULL;
		pending = lpi && lpi->irq.pending_latch;
		gpa = vcpu ? PENDBASER_ADDRESS(vcpu->vgic_cpu.pendbaser) + ids[i] / 8 : 0;
		pthread_mutex_unlock(&d->lock);
		if (!vcpu)
			continue;
		if (gpa != last) {
			ret = kvm_read_guest(kvm, gpa, &val, 1);
			if (ret)
				break;
			last = gpa;
		}
		stored = val & (1u << (ids[i] % 8));
		if (stored == pending)
			continue;
		if (pending)
			val |= (u8)(1u << (ids[i] % 8));
		else
			val &= (u8)~(1u << (ids[i] % 8));
		ret = kvm_write_guest(kvm, gpa, &val, 1);
	}
	free(ids);
	return ret;
}

/* ---- register sanitising (vgic-mmio-v3.c) ------------------------------------------ */

static u64 sanitise_field(u64 reg, unsigned int shift, u64 width_mask,
			  u64 (*fn)(u64))
{
	u64 f = (reg >> shift) & width_mask;

	return (reg & ~(width_mask << shift)) | (fn(f) << shift);
}

static u64 sanitise_shareability(u64 f)
{
	return f == GIC_BASER_OUTER_SHAREABLE ? GIC_BASER_INNER_SHAREABLE : f;
}

/* no inner non-cacheable mapping */
static u64 sanitise_inner(u64 f)
{
	return f == GIC_BASER_CACHE_nCnB || f == GIC_BASER_CACHE_nC ? GIC_BASER_CACHE_RaWb : f;
}

/* non-cacheable or same as inner */
static u64 sanitise_outer(u64 f)
{
	return f == GIC_BASER_CACHE_SAME || f == GIC_BASER_CACHE_nC ? f : GIC_BASER_CACHE_SAME;
}

static u64 sanitise_gicr_baser(u64 reg)
{
	reg = sanitise_field(reg, BASER_SHAREABILITY_SHIFT, 3, sanitise_shareability);
	reg = sanitise_field(reg, GICR_BASER_INNER_SHIFT, 7, sanitise_inner);
	return sanitise_field(reg, GICR_BASER_OUTER_SHIFT, 7, sanitise_outer);
}

u64 vgic_sanitise_propbaser(u64 reg)
{
	return sanitise_gicr_baser(reg) & ~PROPBASER_RES0_MASK;
}

u64 vgic_sanitise_pendbaser(u64 reg)
{
	return sanitise_gicr_baser(reg) & ~PENDBASER_RES0_MASK;
}

static u64 sanitise_its_baser_common(u64 reg)
{
	reg = sanitise_field(reg, BASER_SHAREABILITY_SHIFT, 3, sanitise_shareability);
	reg = sanitise_field(reg, BASER_INNER_CACHE_SHIFT, 7, sanitise_inner);
	return sanitise_field(reg, BASER_OUTER_CACHE_SHIFT, 7, sanitise_outer);
}

/* KVM's ITS takes one page size: 64K */
static u64 sanitise_its_baser(u64 reg)
{
	reg = sanitise_its_baser_common(reg);
	return (reg & ~GITS_BASER_PAGE_SIZE_MASK) | GITS_BASER_PAGE_SIZE_64K;
}

/* and a 64K-aligned command queue */
static u64 sanitise_its_cbaser(u64 reg)
{
	return sanitise_its_baser_common(reg) & ~GENMASK_ULL(15, 12);
}

/* ---- the tables' lookup ------------------------------------------------------------------ */

static u64 baser_addr(u64 baser)
{
	/* 64K pages: PA[51:48] sits in bits [15:12] */
	return (baser & GENMASK_ULL(47, 16)) | ((baser & GENMASK_ULL(15, 12)) << 36);
}

static u64 baser_size(u64 baser)
{
	return ((baser & 0xff) + 1) * SZ_64K;
}

static u32 baser_esz(u64 baser)
{
	return (u32)((baser & GITS_BASER_ESZ_MASK) >> GITS_BASER_ESZ_SHIFT) + 1;
}

/* vgic_its_check_id(): may @id be stored in the table, and where? */
static bool its_check_id(struct vgic_its *its, u64 baser, u32 id, u64 *eaddr)
{
	u64 type = (baser >> GITS_BASER_TYPE_SHIFT) & 7, base = baser_addr(baser);
	u64 l1_size = baser_size(baser), esz = baser_esz(baser), l1e, addr;
	u64 index;

	if (type == GITS_BASER_TYPE_DEVICE) {
		if (id >= BIT_ULL(VITS_TYPER_DEVBITS))
			return false;
	} else if (type == GITS_BASER_TYPE_COLL) {
		if (id >= BIT_ULL(16))
			return false;
	} else {
		return false;
	}
	if (!(baser & GITS_BASER_INDIRECT)) {
		if (id >= l1_size / esz)
			return false;
		addr = base + id * esz;
	} else {
		index = id / (SZ_64K / esz);
		if (index >= l1_size / sizeof(u64))
			return false;
		if (kvm_read_guest(its->kvm, base + index * sizeof(u64), &l1e, sizeof(l1e)))
			return false;
		if (!(l1e & KVM_ITS_L1E_VALID))
			return false;
		addr = (l1e & KVM_ITS_L1E_ADDR_MASK) + (id % (SZ_64K / esz)) * esz;
	}
	if (eaddr)
		*eaddr = addr;
	return kvm_is_visible_gpa(its->kvm, addr);
}

static struct its_device *find_device(struct vgic_its *its, u32 id)
{
	struct its_device *dev;

	for (dev = its->devices; dev; dev = dev->next)
		if (dev->device_id == id)
			return dev;
	return NULL;
}

static struct its_ite *find_ite(struct vgic_its *its, u32 device_id, u32 event_id)
{
	struct its_device *dev = find_device(its, device_id);
	struct its_ite *ite;

	for (ite = dev ? dev->ites : NULL; ite; ite = ite->next)
		if (ite->event_id == event_id)
			return ite;
	return NULL;
}

static struct its_collection *find_collection(struct vgic_its *its, u32 id)
{
	struct its_collection *c;

	for (c = its->collections; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static int alloc_collection(struct vgic_its *its, u32 id, struct its_collection **out)
{
	struct its_collection *c, **pp;

	if (!its_check_id(its, its->baser_coll_table, id, NULL))
		return E_ITS_MAPC_COLLECTION_OOR;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->target_addr = COLLECTION_NOT_MAPPED;
	for (pp = &its->collections; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	*out = c;
	return 0;
}

static void free_collection(struct vgic_its *its, u32 id)
{
	struct its_collection *c = find_collection(its, id), **pp;
	struct its_device *dev;
	struct its_ite *ite;

	if (!c)
		return;
	for (dev = its->devices; dev; dev = dev->next)
		for (ite = dev->ites; ite; ite = ite->next)
			if (ite->coll == c)
				ite->coll = NULL;
	for (pp = &its->collections; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	free(c);
}

static struct its_ite *alloc_ite(struct its_device *dev, struct its_collection *c,
				 u32 event_id)
{
	struct its_ite *ite = calloc(1, sizeof(*ite)), **pp;

	if (!ite)
		return NULL;
	ite->event_id = event_id;
	ite->coll = c;
	for (pp = &dev->ites; *pp && (*pp)->event_id < event_id; pp = &(*pp)->next)
		;
	ite->next = *pp;
	*pp = ite;
	return ite;
}

static void free_ite(struct vgic_its *its, struct its_device *dev, struct its_ite *ite)
{
	struct its_ite **pp;

	for (pp = &dev->ites; *pp != ite; pp = &(*pp)->next)
		;
	*pp = ite->next;
	if (ite->lpi)
		lpi_put(its->kvm, ite->lpi);
	free(ite);
}

static struct its_device *alloc_device(struct vgic_its *its, u32 id, u64 itt_addr,
				       u32 num_eventid_bits)
{
	struct its_device *dev = calloc(1, sizeof(*dev)), **pp;

	if (!dev)
		return NULL;
	dev->device_id = id;
	dev->itt_addr = itt_addr;
	dev->num_eventid_bits = num_eventid_bits;
	for (pp = &its->devices; *pp && (*pp)->device_id < id; pp = &(*pp)->next)
		;
	dev->next = *pp;
	*pp = dev;
	return dev;
}

static void free_device(struct vgic_its *its, struct its_device *dev)
{
	struct its_device **pp;

	while (dev->ites)
		free_ite(its, dev, dev->ites);
	for (pp = &its->devices; *pp != dev; pp = &(*pp)->next)
		;
	*pp = dev->next;
	free(dev);
}

static void free_all(struct vgic_its *its)
{
	while (its->devices)
		free_device(its, its->devices);
	while (its->collections)
		free_collection(its, its->collections->id);
}

/* ---- MSIs ----------------------------------------------------------------------------- */

/* vgic_its_trigger_msi(): 0, a positive ITS error, or -errno. */
static int its_trigger_msi(struct vgic_its *its, u32 devid, u32 eventid)
{
	struct kvm *kvm = its->kvm;
	struct kvm_vcpu *vcpu;
	struct its_ite *ite;
	int ret = 0;

	if (!its->enabled)
		return -EBUSY;
	ite = find_ite(its, devid, eventid);
	if (!ite || !coll_mapped(ite->coll))
		return E_ITS_INT_UNMAPPED_INTERRUPT;
	pthread_mutex_lock(&kvm->vgic.lock);
	vcpu = its_vcpu_locked(kvm, ite->coll->target_addr);
	if (!vcpu) {
		ret = E_ITS_INT_UNMAPPED_INTERRUPT;
	} else if (!vcpu->vgic_cpu.lpis_enabled) {
		ret = -EBUSY;
	} else {
		ite->lpi->irq.pending_latch = true;
		vgic_irq_changed_locked(kvm, NULL, &ite->lpi->irq);
	}
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

/* vgic_msi_to_its(): the ITS whose frame holds the doorbell address. */
static struct vgic_its *msi_to_its(struct kvm *kvm, u64 address)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_its *its = NULL;
	unsigned int i;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nr_its; i++) {
		struct vgic_its *t = d->its[i];

		if (t->registered && address >= t->base &&
		    address - t->base < KVM_VGIC_V3_ITS_SIZE) {
			its = t;
			break;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return its;
}

int vgic_its_inject_msi(struct kvm *kvm, const struct kvm_msi *msi)
{
	struct vgic_its *its;
	int ret;

	if (!kvm->vgic.has_its)
		return -ENODEV;
	if (!(msi->flags & KVM_MSI_VALID_DEVID))
		return -EINVAL;
	its = msi_to_its(kvm, (u64)msi->address_hi << 32 | msi->address_lo);
	if (!its)
		return -EINVAL;
	pthread_mutex_lock(&its->lock);
	ret = its_trigger_msi(its, msi->devid, msi->data);
	pthread_mutex_unlock(&its->lock);
	if (ret < 0)
		return ret;
	/* KVM_SIGNAL_MSI: > 0 delivered, 0 blocked by the guest's mappings */
	return ret ? 0 : 1;
}

/* ---- the command queue ------------------------------------------------------------------ */

static u64 cmd_field(const u64 *cmd, int word, int shift, int size)
{
	return (cmd[word] >> shift) & (BIT_ULL(size) - 1);
}

#define cmd_get_command(c)	cmd_field(c, 0, 0, 8)
#define cmd_get_deviceid(c)	((u32)cmd_field(c, 0, 32, 32))
#define cmd_get_size(c)		((u32)cmd_field(c, 1, 0, 5) + 1)
#define cmd_get_id(c)		((u32)cmd_field(c, 1, 0, 32))
#define cmd_get_physical_id(c)	((u32)cmd_field(c, 1, 32, 32))
#define cmd_get_collection(c)	((u32)cmd_field(c, 2, 0, 16))
#define cmd_get_ittaddr(c)	(cmd_field(c, 2, 8, 44) << 8)
#define cmd_get_target_addr(c)	((u32)cmd_field(c, 2, 16, 32))
#define cmd_get_validbit(c)	cmd_field(c, 2, 63, 1)

static bool vcpu_exists(struct kvm *kvm, u32 idx)
{
	bool ret;

	pthread_mutex_lock(&kvm->vgic.lock);
	ret = its_vcpu_locked(kvm, idx) != NULL;
	pthread_mutex_unlock(&kvm->vgic.lock);
	return ret;
}

static int cmd_mapd(struct vgic_its *its, const u64 *cmd)
{
	u32 device_id = cmd_get_deviceid(cmd), bits = cmd_get_size(cmd);
	bool valid = cmd_get_validbit(cmd);
	struct its_device *dev;

	if (!its_check_id(its, its->baser_device_table, device_id, NULL))
		return E_ITS_MAPD_DEVICE_OOR;
	if (valid && bits > VITS_TYPER_IDBITS)
		return E_ITS_MAPD_ITTSIZE_OOR;
	/* remapping a device drops what it had, as KVM does */
	dev = find_device(its, device_id);
	if (dev)
		free_device(its, dev);
	if (!valid)
		return 0;
	return alloc_device(its, device_id, cmd_get_ittaddr(cmd), bits) ? 0 : -ENOMEM;
}

static void update_affinity_collection(struct vgic_its *its, struct its_collection *c)
{
	struct its_device *dev;
	struct its_ite *ite;

	for (dev = its->devices; dev; dev = dev->next)
		for (ite = dev->ites; ite; ite = ite->next)
			if (ite->coll == c && coll_mapped(c))
				update_affinity(its->kvm, ite->lpi, (int)c->target_addr);
}

static int cmd_mapc(struct vgic_its *its, const u64 *cmd)
{
	u32 coll_id = cmd_get_collection(cmd), target = cmd_get_target_addr(cmd);
	struct its_collection *c;
	int ret;

	if (!vcpu_exists(its->kvm, target))
		return E_ITS_MAPC_PROCNUM_OOR;
	if (!cmd_get_validbit(cmd)) {
		free_collection(its, coll_id);
		return 0;
	}
	c = find_collection(its, coll_id);
	if (!c) {
		ret = alloc_collection(its, coll_id, &c);
		if (ret)
			return ret;
		c->target_addr = target;
	} else {
		c->target_addr = target;
		update_affinity_collection(its, c);
	}
	return 0;
}

static u32 max_lpis_propbaser(u64 propbaser)
{
	u32 bits = (u32)(propbaser & 0x1f) + 1;

	return 1U << (bits < INTERRUPT_ID_BITS_ITS ? bits : INTERRUPT_ID_BITS_ITS);
}

static int cmd_mapi(struct vgic_its *its, const u64 *cmd)
{
	u32 device_id = cmd_get_deviceid(cmd), event_id = cmd_get_id(cmd);
	u32 coll_id = cmd_get_collection(cmd), lpi_nr;
	struct its_collection *c, *new_coll = NULL;
	struct its_device *dev;
	struct its_ite *ite;
	u64 propbaser;
	int ret;

	dev = find_device(its, device_id);
	if (!dev)
		return E_ITS_MAPTI_UNMAPPED_DEVICE;
	if (event_id >= BIT_ULL(dev->num_eventid_bits))
		return E_ITS_MAPTI_ID_OOR;
	lpi_nr = cmd_get_command(cmd) == GITS_CMD_MAPTI ? cmd_get_physical_id(cmd) : event_id;
	pthread_mutex_lock(&its->kvm->vgic.lock);
	propbaser = its->kvm->vgic.propbaser;
	pthread_mutex_unlock(&its->kvm->vgic.lock);
	if (lpi_nr < VGIC_MIN_LPI || lpi_nr >= max_lpis_propbaser(propbaser))
		return E_ITS_MAPTI_PHYSICALID_OOR;
	/* an existing mapping: UNPREDICTABLE, KVM keeps the old one */
	if (find_ite(its, device_id, event_id))
		return 0;
	c = find_collection(its, coll_id);
	if (!c) {
		ret = alloc_collection(its, coll_id, &c);
		if (ret)
			return ret;
		new_coll = c;
	}
	ite = alloc_ite(dev, c, event_id);
	if (!ite) {
		if (new_coll)
			free_collection(its, coll_id);
		return -ENOMEM;
	}
	ret = vgic_add_lpi(its->kvm, lpi_nr, coll_mapped(c) ? (int)c->target_addr : -1,
			   &ite->lpi);
	if (ret) {
		if (new_coll)
			free_collection(its, coll_id);
		free_ite(its, dev, ite);
		return ret;
	}
	return 0;
}

static int cmd_movi(struct vgic_its *its, const u64 *cmd)
{
	struct its_ite *ite = find_ite(its, cmd_get_deviceid(cmd), cmd_get_id(cmd));
	struct its_collection *c;

	if (!ite)
		return E_ITS_MOVI_UNMAPPED_INTERRUPT;
	if (!coll_mapped(ite->coll))
		return E_ITS_MOVI_UNMAPPED_COLLECTION;
	c = find_collection(its, cmd_get_collection(cmd));
	if (!coll_mapped(c))
		return E_ITS_MOVI_UNMAPPED_COLLECTION;
	ite->coll = c;
	update_affinity(its->kvm, ite->lpi, (int)c->target_addr);
	return 0;
}

static int cmd_discard(struct vgic_its *its, const u64 *cmd)
{
	u32 device_id = cmd_get_deviceid(cmd);
	struct its_ite *ite = find_ite(its, device_id, cmd_get_id(cmd));

	if (!ite || !coll_mapped(ite->coll))
		return E_ITS_DISCARD_UNMAPPED_INTERRUPT;
	free_ite(its, find_device(its, device_id), ite);
	return 0;
}

static int cmd_clear(struct vgic_its *its, const u64 *cmd)
{
	struct its_ite *ite = find_ite(its, cmd_get_deviceid(cmd), cmd_get_id(cmd));

	if (!ite)
		return E_ITS_CLEAR_UNMAPPED_INTERRUPT;
	pthread_mutex_lock(&its->kvm->vgic.lock);
	ite->lpi->irq.pending_latch = false;
	vgic_irq_changed_locked(its->kvm, NULL, &ite->lpi->irq);
	pthread_mutex_unlock(&its->kvm->vgic.lock);
	return 0;
}

static int cmd_inv(struct vgic_its *its, const u64 *cmd)
{
	struct its_ite *ite = find_ite(its, cmd_get_deviceid(cmd), cmd_get_id(cmd));

	if (!ite)
		return E_ITS_INV_UNMAPPED_INTERRUPT;
	return update_lpi_config(its->kvm, ite->lpi->intid, -1);
}

static int cmd_invall(struct vgic_its *its, const u64 *cmd)
{
	struct its_collection *c = find_collection(its, cmd_get_collection(cmd));

	if (!coll_mapped(c))
		return E_ITS_INVALL_UNMAPPED_COLLECTION;
	invall_vcpu(its->kvm, (int)c->target_addr);
	return 0;
}

/* MOVALL: every LPI of the VM on one redistributor moves to another. */
static int cmd_movall(struct vgic_its *its, const u64 *cmd)
{
	u32 t1 = cmd_get_target_addr(cmd), t2 = (u32)cmd_field(cmd, 3, 16, 32);
	struct vgic_dist *d = &its->kvm->vgic;
	unsigned int i;

	if (!vcpu_exists(its->kvm, t1) || !vcpu_exists(its->kvm, t2))
		return E_ITS_MOVALL_PROCNUM_OOR;
	if (t1 == t2)
		return 0;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nr_lpis; i++)
		if (d->lpis[i]->irq.target == (int)t1)
			d->lpis[i]->irq.target = (int)t2;
	vgic_update_all_locked(its->kvm);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int its_handle_command(struct vgic_its *its, const u64 *cmd)
{
	switch (cmd_get_command(cmd)) {
	case GITS_CMD_MAPD:
		return cmd_mapd(its, cmd);
	case GITS_CMD_MAPC:
		return cmd_mapc(its, cmd);
	case GITS_CMD_MAPI:
	case GITS_CMD_MAPTI:
		return cmd_mapi(its, cmd);
	case GITS_CMD_MOVI:
		return cmd_movi(its, cmd);
	case GITS_CMD_DISCARD:
		return cmd_discard(its, cmd);
	case GITS_CMD_CLEAR:
		return cmd_clear(its, cmd);
	case GITS_CMD_MOVALL:
		return cmd_movall(its, cmd);
	case GITS_CMD_INT:
		return its_trigger_msi(its, cmd_get_deviceid(cmd), cmd_get_id(cmd));
	case GITS_CMD_INV:
		return cmd_inv(its, cmd);
	case GITS_CMD_INVALL:
		return cmd_invall(its, cmd);
	case GITS_CMD_SYNC:
		return 0;	/* always in sync */
	}
	return -ENODEV;
}

/*
 * vgic_its_process_commands(): a command that cannot be read (CBASER
 * outside memory) or fails is skipped (GICv3 §6.3.2 lets the ITS ignore
 * it); CREADR always reaches CWRITER.
 */
static void its_process_commands(struct vgic_its *its)
{
	u64 cbase = its->cbaser & GENMASK_ULL(51, 12), cmd[4];

	if (!its->enabled)
		return;
	while (its->cwriter != its->creadr) {
		if (!kvm_read_guest(its->kvm, cbase + its->creadr, cmd, ITS_CMD_SIZE))
			its_handle_command(its, cmd);
		its->creadr += ITS_CMD_SIZE;
		if (its->creadr == ITS_CMD_BUFFER_SIZE(its->cbaser))
			its->creadr = 0;
	}
}

/* ---- the registers ----------------------------------------------------------------------- */

static u64 extract_bytes(u64 data, unsigned int offset, unsigned int len)
{
	return (data >> (offset * 8)) & (len == 8 ? ~0ULL : (1ULL << (len * 8)) - 1);
}

static u64 update_64bit_reg(u64 reg, unsigned int offset, unsigned int len, u64 val)
{
	unsigned int lower = (offset & 4) * 8;
	u64 mask = len == 8 ? ~0ULL : ((1ULL << (len * 8)) - 1);

	return (reg & ~(mask << lower)) | ((val & mask) << lower);
}

struct its_reg {
	u32 offset, len;
	bool access64;		/* 64-bit register: 32- and 64-bit accesses */
};

/* KVM's its_registers[]: everything else in the frame is RAZ/WI */
static const struct its_reg its_regs[] = {
	{ GITS_CTLR, 4, false }, { GITS_IIDR, 4, false }, { GITS_TYPER, 8, true },
	{ GITS_CBASER, 8, true }, { GITS_CWRITER, 8, true }, { GITS_CREADR, 8, true },
	{ GITS_BASER, 0x40, true }, { GITS_IDREGS_BASE, 0x30, false },
};

static const struct its_reg *find_reg(u64 off)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(its_regs); i++)
		if (off >= its_regs[i].offset && off < its_regs[i].offset + its_regs[i].len)
			return &its_regs[i];
	return NULL;
}

static u64 *baser_reg(struct vgic_its *its, u64 off)
{
	switch ((off - GITS_BASER) / 8) {
	case 0:
		return &its->baser_device_table;
	case 1:
		return &its->baser_coll_table;
	}
	return NULL;
}

static u64 its_read(struct vgic_its *its, u64 off, unsigned int len)
{
	u64 *r;

	switch (find_reg(off)->offset) {
	case GITS_CTLR:
		return (its->creadr == its->cwriter ? GITS_CTLR_QUIESCENT : 0) |
		       (its->enabled ? GITS_CTLR_ENABLE : 0);
	case GITS_IIDR:
		return GITS_IIDR_VALUE(its->abi_rev);
	case GITS_TYPER:
		return extract_bytes(GITS_TYPER_VALUE, off & 7, len);
	case GITS_CBASER:
		return extract_bytes(its->cbaser, off & 7, len);
	case GITS_CWRITER:
		return extract_bytes(its->cwriter, off & 7, len);
	case GITS_CREADR:
		return extract_bytes(its->creadr, off & 7, len);
	case GITS_BASER:
		r = baser_reg(its, off);
		return r ? extract_bytes(*r, off & 7, len) : 0;
	case GITS_IDREGS_BASE:
		switch (off) {
		case GITS_PIDR0: return 0x92;
		case GITS_PIDR1: return 0xb4;
		case GITS_PIDR2: return 0x30 | 0x0b;
		case GITS_PIDR4: return 0x40;
		case GITS_CIDR0: return 0x0d;
		case GITS_CIDR1: return 0xf0;
		case GITS_CIDR2: return 0x05;
		case GITS_CIDR3: return 0xb1;
		}
		return 0;
	}
	return 0;
}

static void its_write_baser(struct vgic_its *its, u64 off, unsigned int len, u64 val)
{
	u64 *r = baser_reg(its, off), reg, type, clear = 0;

	if (its->enabled || !r)
		return;
	type = r == &its->baser_device_table ? GITS_BASER_TYPE_DEVICE : GITS_BASER_TYPE_COLL;
	if (type == GITS_BASER_TYPE_COLL)
		clear = GITS_BASER_INDIRECT;	/* a flat collection table */
	reg = update_64bit_reg(*r, off & 7, len, val);
	reg &= ~(GITS_BASER_RO_MASK | clear);
	reg |= (ABI_0_ESZ - 1ULL) << GITS_BASER_ESZ_SHIFT;
	reg |= type << GITS_BASER_TYPE_SHIFT;
	*r = sanitise_its_baser(reg);
	if (!(reg & GITS_BASER_VALID)) {
		if (type == GITS_BASER_TYPE_DEVICE) {
			while (its->devices)
				free_device(its, its->devices);
		} else {
			while (its->collections)
				free_collection(its, its->collections->id);
		}
	}
}

static void its_write(struct vgic_its *its, u64 off, unsigned int len, u64 val)
{
	u64 reg;

	switch (find_reg(off)->offset) {
	case GITS_CTLR:
		/* enabling with an invalid CBASER or BASER is UNPREDICTABLE: refused */
		if (!its->enabled && (val & GITS_CTLR_ENABLE) &&
		    (!(its->baser_device_table & GITS_BASER_VALID) ||
		     !(its->baser_coll_table & GITS_BASER_VALID) ||
		     !(its->cbaser & GITS_CBASER_VALID)))
			return;
		its->enabled = val & GITS_CTLR_ENABLE;
		its_process_commands(its);
		return;
	case GITS_CBASER:
		if (its->enabled)
			return;
		its->cbaser = sanitise_its_cbaser(update_64bit_reg(its->cbaser, off & 7, len, val));
		its->creadr = 0;
		its->cwriter = its->creadr;
		return;
	case GITS_CWRITER:
		reg = ITS_CMD_OFFSET(update_64bit_reg(its->cwriter, off & 7, len, val));
		if (reg >= ITS_CMD_BUFFER_SIZE(its->cbaser))
			return;
		its->cwriter = reg;
		its_process_commands(its);
		return;
	case GITS_BASER:
		its_write_baser(its, off, len, val);
		return;
	}
	/* IIDR, TYPER, CREADR, the ID registers: WI */
}

static int its_mmio(struct kvm_io_device *dev, u64 addr, unsigned int len,
		    bool write, void *buf)
{
	struct vgic_its *its = (struct vgic_its *)dev;
	u64 off = addr - its->base, val = 0;
	const struct its_reg *r = find_reg(off);
	bool ok = r && !(off & (len - 1)) &&
		  (len == 4 || (len == 8 && r->access64));
	unsigned int i;

	if (write) {
		for (i = 0; i < len; i++)
			val |= (u64)((const u8 *)buf)[i] << (8 * i);
	}
	pthread_mutex_lock(&its->lock);
	if (ok && write)
		its_write(its, off, len, val);
	else if (ok)
		val = its_read(its, off, len);
	pthread_mutex_unlock(&its->lock);
	if (!write) {
		for (i = 0; i < len; i++)
			((u8 *)buf)[i] = (u8)(val >> (8 * i));
	}
	return 0;
}

static int its_mmio_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			 u64 addr, unsigned int len, void *val)
{
	return its_mmio(dev, addr, len, false, val);
}

static int its_mmio_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			  u64 addr, unsigned int len, const void *val)
{
	return its_mmio(dev, addr, len, true, (void *)val);
}

static const struct kvm_io_device_ops its_io_ops = {
	.read = its_mmio_read,
	.write = its_mmio_write,
};

/* ---- save and restore (ABI rev 0) ------------------------------------------------------------ */

static int save_itt(struct vgic_its *its, struct its_device *dev)
{
	struct its_ite *ite;
	int ret;

	for (ite = dev->ites; ite; ite = ite->next) {
		u64 next = ite->next ? ite->next->event_id - ite->event_id : 0, val;

		if (next > VITS_ITE_MAX_EVENTID_OFFSET)
			next = VITS_ITE_MAX_EVENTID_OFFSET;
		val = (next << KVM_ITS_ITE_NEXT_SHIFT) |
		      ((u64)ite->lpi->intid << KVM_ITS_ITE_PINTID_SHIFT) |
		      (ite->coll ? ite->coll->id : 0);
		ret = kvm_write_guest(its->kvm, dev->itt_addr + ite->event_id * ABI_0_ESZ,
				      &val, ABI_0_ESZ);
		if (ret)
			return ret;
	}
	return 0;
}

static int save_device_tables(struct vgic_its *its)
{
	u64 baser = its->baser_device_table, eaddr, val, next;
	struct its_device *dev;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;
	for (dev = its->devices; dev; dev = dev->next) {
		if (!its_check_id(its, baser, dev->device_id, &eaddr))
			return -EINVAL;
		ret = save_itt(its, dev);
		if (ret)
			return ret;
		next = dev->next ? dev->next->device_id - dev->device_id : 0;
		if (next > VITS_DTE_MAX_DEVID_OFFSET)
			next = VITS_DTE_MAX_DEVID_OFFSET;
		val = (1ULL << KVM_ITS_DTE_VALID_SHIFT) | (next << KVM_ITS_DTE_NEXT_SHIFT) |
		      ((dev->itt_addr >> 8) << KVM_ITS_DTE_ITTADDR_SHIFT) |
		      (dev->num_eventid_bits - 1);
		ret = kvm_write_guest(its->kvm, eaddr, &val, ABI_0_ESZ);
		if (ret)
			return ret;
	}
	return 0;
}

static int save_collection_table(struct vgic_its *its)
{
	u64 baser = its->baser_coll_table, gpa = baser_addr(baser), val, filled = 0;
	struct its_collection *c;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;
	for (c = its->collections; c; c = c->next) {
		val = (1ULL << KVM_ITS_CTE_VALID_SHIFT) |
		      ((u64)c->target_addr << KVM_ITS_CTE_RDBASE_SHIFT) | c->id;
		ret = kvm_write_guest(its->kvm, gpa, &val, ABI_0_ESZ);
		if (ret)
			return ret;
		gpa += ABI_0_ESZ;
		filled += ABI_0_ESZ;
	}
	if (filled == baser_size(baser))
		return 0;
	/* a table not full ends with an invalid entry */
	val = 0;
	return kvm_write_guest(its->kvm, gpa, &val, ABI_0_ESZ);
}

typedef int (*entry_fn)(struct vgic_its *its, u32 id, u64 entry, void *opaque);

/* scan_its_table(): < 0 error, 0 the last entry was found, 1 otherwise */
static int scan_table(struct vgic_its *its, u64 gpa, int64_t len, u32 id, entry_fn fn,
		      void *opaque)
{
	u64 entry;
	int ret, next;

	while (len > 0) {
		ret = kvm_read_guest(its->kvm, gpa, &entry, ABI_0_ESZ);
		if (ret)
			return ret;
		next = fn(its, id, entry, opaque);
		if (next <= 0)
			return next;
		id += (u32)next;
		gpa += (u64)next * ABI_0_ESZ;
		len -= (int64_t)next * ABI_0_ESZ;
	}
	return 1;
}

static int restore_ite(struct vgic_its *its, u32 event_id, u64 val, void *opaque)
{
	struct its_device *dev = opaque;
	u32 coll_id = (u32)(val & KVM_ITS_ITE_ICID_MASK);
	u32 lpi_id = (u32)((val & KVM_ITS_ITE_PINTID_MASK) >> KVM_ITS_ITE_PINTID_SHIFT);
	u32 offset = (u32)(val >> KVM_ITS_ITE_NEXT_SHIFT);
	struct its_collection *c;
	struct its_ite *ite;
	int ret;

	if (!lpi_id)
		return 1;	/* invalid entry: scan the next */
	if (lpi_id < VGIC_MIN_LPI)
		return -EINVAL;
	if ((u64)event_id + offset >= BIT_ULL(dev->num_eventid_bits))
		return -EINVAL;
	c = find_collection(its, coll_id);
	if (!c)
		return -EINVAL;
	ite = alloc_ite(dev, c, event_id);
	if (!ite)
		return -ENOMEM;
	ret = vgic_add_lpi(its->kvm, lpi_id, coll_mapped(c) ? (int)c->target_addr : -1,
			   &ite->lpi);
	if (ret) {
		free_ite(its, dev, ite);
		return ret;
	}
	return (int)offset;
}

static int restore_dte(struct vgic_its *its, u32 id, u64 entry, void *opaque)
{
	u32 bits = (u32)(entry & KVM_ITS_DTE_SIZE_MASK) + 1;
	u64 itt = ((entry & KVM_ITS_DTE_ITTADDR_MASK) >> KVM_ITS_DTE_ITTADDR_SHIFT) << 8;
	u32 offset = (u32)((entry & KVM_ITS_DTE_NEXT_MASK) >> KVM_ITS_DTE_NEXT_SHIFT);
	struct its_device *dev;
	int ret;

	if (!(entry >> KVM_ITS_DTE_VALID_SHIFT))
		return 1;
	if (bits > VITS_TYPER_IDBITS)
		return -EINVAL;
	dev = alloc_device(its, id, itt, bits);
	if (!dev)
		return -ENOMEM;
	ret = scan_table(its, itt, (int64_t)BIT_ULL(bits) * ABI_0_ESZ, 0, restore_ite, dev);
	if (ret < 0) {
		free_device(its, dev);
		return ret;
	}
	return (int)offset;
}

static int handle_l1_dte(struct vgic_its *its, u32 id, u64 entry, void *opaque)
{
	if (!(entry & KVM_ITS_L1E_VALID))
		return 1;
	return scan_table(its, entry & KVM_ITS_L1E_ADDR_MASK, SZ_64K,
			  id * (u32)(SZ_64K / ABI_0_ESZ), restore_dte, NULL);
}

static int restore_device_tables(struct vgic_its *its)
{
	u64 baser = its->baser_device_table;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;
	if (baser & GITS_BASER_INDIRECT)
		ret = scan_table(its, baser_addr(baser), (int64_t)baser_size(baser), 0,
				 handle_l1_dte, NULL);
	else
		ret = scan_table(its, baser_addr(baser), (int64_t)baser_size(baser), 0,
				 restore_dte, NULL);
	return ret > 0 ? 0 : ret;
}

static int restore_collection_table(struct vgic_its *its)
{
	u64 baser = its->baser_coll_table, gpa = baser_addr(baser), size, read = 0, val;
	struct its_collection *c;
	u32 target, id;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;
	size = baser_size(baser);
	while (read < size) {
		ret = kvm_read_guest(its->kvm, gpa, &val, ABI_0_ESZ);
		if (ret)
			return ret;
		if (!(val >> KVM_ITS_CTE_VALID_SHIFT))
			return 0;
		target = (u32)(val >> KVM_ITS_CTE_RDBASE_SHIFT);
		id = (u32)(val & KVM_ITS_CTE_ICID_MASK);
		if (target != COLLECTION_NOT_MAPPED && !vcpu_exists(its->kvm, target))
			return -EINVAL;
		if (find_collection(its, id))
			return -EEXIST;
		ret = alloc_collection(its, id, &c);
		if (ret)
			return ret > 0 ? -EINVAL : ret;
		c->target_addr = target;
		gpa += ABI_0_ESZ;
		read += ABI_0_ESZ;
	}
	return 0;
}

/* ---- the device ------------------------------------------------------------------------- */

int vgic_its_create(struct kvm *kvm, struct kvm_device *dev)
{
	struct vgic_dist *d = &kvm->vgic;
	struct vgic_its *its = calloc(1, sizeof(*its)), **n;

	if (!its)
		return -ENOMEM;
	its->iodev.ops = &its_io_ops;
	its->kvm = kvm;
	pthread_mutex_init(&its->lock, NULL);
	its->base = VGIC_ADDR_UNDEF;
	its->baser_device_table = INITIAL_BASER_VALUE |
				  (GITS_BASER_TYPE_DEVICE << GITS_BASER_TYPE_SHIFT) |
				  ((ABI_0_ESZ - 1ULL) << GITS_BASER_ESZ_SHIFT);
	its->baser_coll_table = INITIAL_BASER_VALUE |
				(GITS_BASER_TYPE_COLL << GITS_BASER_TYPE_SHIFT) |
				((ABI_0_ESZ - 1ULL) << GITS_BASER_ESZ_SHIFT);
	pthread_mutex_lock(&d->lock);
	n = realloc(d->its, (d->nr_its + 1) * sizeof(*n));
	if (!n) {
		pthread_mutex_unlock(&d->lock);
		pthread_mutex_destroy(&its->lock);
		free(its);
		return -ENOMEM;
	}
	d->its = n;
	d->its[d->nr_its++] = its;
	d->has_its = true;
	d->propbaser = INITIAL_PROPBASER_VALUE;
	pthread_mutex_unlock(&d->lock);
	dev->private = its;
	return 0;
}

void vgic_its_destroy_all(struct kvm *kvm)
{
	struct vgic_dist *d = &kvm->vgic;
	unsigned int i;

	for (i = 0; i < d->nr_its; i++) {
		struct vgic_its *its = d->its[i];

		if (its->registered)
			kvm_io_bus_unregister_dev(kvm, &its->iodev);
		free_all(its);
		pthread_mutex_destroy(&its->lock);
		free(its);
	}
	free(d->its);
	d->its = NULL;
	d->nr_its = 0;
	for (i = 0; i < d->nr_lpis; i++)
		free(d->lpis[i]);
	free(d->lpis);
	d->lpis = NULL;
	d->nr_lpis = 0;
}

static void its_reset(struct vgic_its *its)
{
	/* the ABI's fields stay */
	its->baser_coll_table &= ~GITS_BASER_VALID;
	its->baser_device_table &= ~GITS_BASER_VALID;
	its->cbaser = 0;
	its->creadr = 0;
	its->cwriter = 0;
	its->enabled = false;
	free_all(its);
}

static int its_set_addr(struct vgic_its *its, u64 addr)
{
	int ret;

	pthread_mutex_lock(&its->lock);
	ret = vgic_check_iorange(its->kvm, its->base, addr, SZ_64K, KVM_VGIC_V3_ITS_SIZE);
	if (!ret)
		ret = kvm_io_bus_register_dev(its->kvm, addr, KVM_VGIC_V3_ITS_SIZE, &its->iodev);
	if (!ret) {
		pthread_mutex_lock(&its->kvm->vgic.lock);
		its->base = addr;
		its->registered = true;
		pthread_mutex_unlock(&its->kvm->vgic.lock);
	}
	pthread_mutex_unlock(&its->lock);
	return ret;
}

/* KVM_DEV_ARM_VGIC_GRP_ITS_REGS: 32-bit registers 4-aligned, 64-bit ones 8-aligned */
static int its_regs_check(u64 offset)
{
	u64 align = offset < GITS_TYPER || offset >= GITS_PIDR4 ? 3 : 7;

	if (offset & align)
		return -EINVAL;
	return find_reg(offset) ? 0 : -ENXIO;
}

static int its_regs_access(struct vgic_its *its, u64 offset, u64 *reg, bool write)
{
	const struct its_reg *r;
	unsigned int len;
	int ret = its_regs_check(offset);

	if (ret)
		return ret;
	pthread_mutex_lock(&its->lock);
	if (its->base == VGIC_ADDR_UNDEF) {
		ret = -ENXIO;
		goto out;
	}
	r = find_reg(offset);
	len = r->access64 ? 8 : 4;
	if (!write) {
		*reg = its_read(its, offset, len);
	} else if (r->offset == GITS_IIDR) {
		/* the ABI revision: only 0 exists */
		if (((*reg >> 12) & 0xf) >= NR_ITS_ABIS)
			ret = -EINVAL;
	} else if (r->offset == GITS_CREADR) {
		if (its->enabled)
			ret = -EBUSY;
		else if (ITS_CMD_OFFSET(*reg) >= ITS_CMD_BUFFER_SIZE(its->cbaser))
			ret = -EINVAL;
		else
			its->creadr = ITS_CMD_OFFSET(*reg);
	} else {
		its_write(its, offset, len, *reg);
	}
out:
	pthread_mutex_unlock(&its->lock);
	return ret;
}

static int its_ctrl(struct vgic_its *its, u64 attr)
{
	int ret = 0;

	if (attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
		return 0;	/* nothing to do */
	pthread_mutex_lock(&its->lock);
	switch (attr) {
	case KVM_DEV_ARM_ITS_CTRL_RESET:
		its_reset(its);
		break;
	case KVM_DEV_ARM_ITS_SAVE_TABLES:
		ret = save_device_tables(its);
		if (!ret)
			ret = save_collection_table(its);
		break;
	case KVM_DEV_ARM_ITS_RESTORE_TABLES:
		ret = restore_collection_table(its);
		if (!ret)
			ret = restore_device_tables(its);
		break;
	}
	pthread_mutex_unlock(&its->lock);
	return ret;
}

int vgic_its_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct vgic_its *its = dev->private;
	void *uaddr = (void *)(uintptr_t)attr->addr;
	u64 val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr->attr != KVM_VGIC_ITS_ADDR_TYPE)
			return -ENODEV;
		ret = copy_from_user(&val, uaddr, sizeof(val));
		return ret ? ret : its_set_addr(its, val);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return its_ctrl(its, attr->attr);
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		ret = copy_from_user(&val, uaddr, sizeof(val));
		return ret ? ret : its_regs_access(its, attr->attr, &val, true);
	}
	return -ENXIO;
}

int vgic_its_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct vgic_its *its = dev->private;
	void *uaddr = (void *)(uintptr_t)attr->addr;
	u64 val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr->attr != KVM_VGIC_ITS_ADDR_TYPE)
			return -ENODEV;
		pthread_mutex_lock(&its->lock);
		val = its->base;
		pthread_mutex_unlock(&its->lock);
		return copy_to_user(uaddr, &val, sizeof(val));
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		ret = its_regs_access(its, attr->attr, &val, false);
		return ret ? ret : copy_to_user(uaddr, &val, sizeof(val));
	}
	return -ENXIO;
}

int vgic_its_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return attr->attr == KVM_VGIC_ITS_ADDR_TYPE ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr->attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
		case KVM_DEV_ARM_ITS_CTRL_RESET:
		case KVM_DEV_ARM_ITS_SAVE_TABLES:
		case KVM_DEV_ARM_ITS_RESTORE_TABLES:
			return 0;
		}
		break;
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		return its_regs_check(attr->attr);
	}
	return -ENXIO;
}
