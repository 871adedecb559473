/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel GICv3 state embedded in struct kvm and struct kvm_vcpu, as
 * Linux keeps it in include/kvm/arm_vgic.h.  Everything here is protected
 * by vgic_dist.lock (one mutex per VM): the distributor is shared by every
 * vCPU thread and by KVM_IRQ_LINE/irqfd callers.
 */
#ifndef VKVM_ARM_VGIC_H
#define VKVM_ARM_VGIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VGIC_MIN_LPI		8192

#define VGIC_NR_SGIS		16
#define VGIC_NR_PPIS		16
#define VGIC_NR_PRIVATE_IRQS	32
#define VGIC_NR_IRQS_LEGACY	64	/* nr_irqs when userspace sets none */
#define VGIC_MAX_RESERVED	1023
#define VGIC_V3_MAX_CPUS	512
#define VGIC_V2_MAX_CPUS	8	/* GICD_ITARGETSR, GICD_SGIR: 8 CPU interfaces */
#define VGIC_ADDR_UNDEF		(~0ULL)
#define VGIC_PRI_BITS		5	/* priority bits the CPU interface keeps */
#define VGIC_PRI_MASK		0xf8
#define VGIC_IDLE_PRIORITY	0xff
#define VGIC_V3_NR_LR		4	/* ICH_VTR_EL2.ListRegs + 1 (vgic-v3-nested.c) */

struct vgic_irq {
	uint8_t priority;
	bool enabled;
	bool pending_latch;	/* edge, ISPENDR, SGI: cleared on acknowledge */
	bool line_level;	/* level-sensitive input */
	bool active;
	bool group;		/* 1: non-secure group 1 */
	bool edge;		/* ICFGR: edge-triggered */
	int resamplefd;		/* irqfd resample (level SPIs), or -1 */
	uint32_t mpidr;		/* GICD_IROUTER affinity (SPIs) */
	uint8_t targets;	/* GICv2 GICD_ITARGETSR (SPIs): CPU interface mask */
	uint8_t source;		/* GICv2 SGIs: the CPU interfaces it is pending from */
	int target;		/* vcpu_idx the SPI routes to, or -1 */
};

/* An LPI (INTID >= 8192), created by an ITS mapping and shared by its ITEs. */
struct vgic_lpi {
	uint32_t intid;
	unsigned int refcount;	/* ITEs naming it */
	struct vgic_irq irq;	/* edge, group 1, never active */
};

struct vgic_its;		/* vgic-its.c */

struct vgic_redist_region {
	uint32_t index;
	uint32_t count;		/* 0: the legacy single region, unbounded */
	uint32_t free_index;	/* redistributors handed out so far */
	uint64_t base;
};

struct vgic_dist {
	bool in_kernel;		/* KVM_CREATE_DEVICE(VGIC_V3) done */
	bool initialized;	/* KVM_DEV_ARM_VGIC_CTRL_INIT done */
	bool ready;		/* MMIO regions mapped (first KVM_RUN) */
	bool enabled;		/* GICD_CTLR.EnableGrp1NS */
	bool imp_rev_2;		/* GICD_IIDR.Revision 2 restored: no GICR_CTLR.{IR,CES} */
	uint32_t model;
	uint32_t mi_intid;	/* the maintenance interrupt's PPI (GRP_MAINT_IRQ) */
	pthread_mutex_t lock;
	uint64_t dist_base;
	struct vgic_redist_region *rd_regions;	/* in index order */
	unsigned int nr_rd_regions;
	uint32_t nr_spis;
	struct vgic_irq *spis;
	void *iodevs;		/* the MMIO handlers on the bus (vgic-mmio-v3.c) */
	unsigned int nr_iodevs;
	uint64_t cpu_base;	/* GICv2: the CPU interface's frames */
	void *v2_iodevs;	/* GICv2: distributor and CPU interface (vgic-mmio-v2.c) */
	/* LPIs and ITSes (vgic-its.c): LPIs sorted by INTID */
	bool has_its;		/* an ITS device exists: LPIs, MSIs need a DevID */
	uint64_t propbaser;	/* GICR_PROPBASER, one for every redistributor as KVM */
	struct vgic_lpi **lpis;
	unsigned int nr_lpis, lpis_cap;
	struct vgic_its **its;	/* owned by the VM, freed with it */
	unsigned int nr_its;
};

/* GICv3 virtualization for a vCPU with EL2: the ICH_*_EL2 state. */
struct vgic_v3_nested {
	uint64_t hcr, vmcr;
	uint64_t lr[VGIC_V3_NR_LR];
	uint32_t ap0r0, ap1r0;	/* ICH_AP{0,1}R0_EL2 = ICV_AP{0,1}R0_EL1 */
	bool mi_level;		/* the maintenance interrupt as last driven */
};

struct vgic_cpu {
	struct vgic_irq private_irqs[VGIC_NR_PRIVATE_IRQS];
	/* the CPU interface (ICC_*_EL1) */
	uint8_t pmr;
	uint8_t bpr0, bpr1;
	bool cbpr, eoimode;
	bool ackctl, fiqen;	/* GICv2 GICC_CTLR */
	bool igrpen0, igrpen1;
	uint32_t ap0r0, ap1r0;	/* active priorities, one bit per group priority */
	/* ICC_CTLR_EL1.{PRIbits,IDbits} as userspace set them (KVM's num_pri/id_bits) */
	uint8_t uctlr_pri_bits, uctlr_id_bits;
	/* the redistributor frame this vCPU owns */
	int rdreg;		/* index into vgic_dist.rd_regions, or -1 */
	uint32_t rdreg_index;
	uint64_t rd_base;	/* VGIC_ADDR_UNDEF until a region is set */
	/* LPIs: GICR_CTLR.EnableLPIs and GICR_PENDBASER */
	bool lpis_enabled;
	uint64_t pendbaser;
	struct vgic_v3_nested nested;
};

#endif
