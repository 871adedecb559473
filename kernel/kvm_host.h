/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vkvm internals: the VM and vCPU objects and the functions the backend's
 * files share.  Cut by concern like Linux's arch/arm64/kvm:
 *
 *	vkvm.c		fds and the four entry points; object table
 *	kvm_main.c	system fd and VM fd ioctls, memslots
 *	arm.c		vCPU fd ioctls, INIT, FINALIZE, MP_STATE, events, RUN
 *	guest.c		ONE_REG (core, SVE) and KVM_GET_REG_LIST
 *	reset.c		vCPU reset and SVE vector-length configuration
 *	sys_regs.c	the one system-register table
 *	hypercalls.c	SMCCC calls, firmware pseudo-registers, the SMCCC filter
 *	pvtime.c	stolen time (KVM_ARM_VCPU_PVTIME_CTRL, SMCCC PV_TIME_*)
 *	trng.c		the SMCCC TRNG 1.0 interface
 *	inject_fault.c	external aborts and SError into the guest
 *	uaccess.c	copying to and from the caller's memory, faults → EFAULT
 *	vgic/		the in-kernel GICv3: device, distributor, redistributors,
 *			ICC_* CPU interface, interrupt delivery
 *	arch_timer.c	the EL1 virtual and physical timers and their PPIs
 *	eventfd.c	KVM_IRQFD and KVM_IOEVENTFD
 */
#ifndef VKVM_KVM_HOST_H
#define VKVM_KVM_HOST_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <linux/kvm.h>

#include "cpu/cpu.h"
#include "vgic/arm_vgic.h"
#include "arch_timer.h"
#include "stats.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

/* Limits, as Linux KVM on arm64 reports them. */
#define KVM_API_VERSION_NR	12
#define KVM_MAX_VCPUS_NR	512
#define KVM_MEM_SLOTS_NR	32767
#define KVM_MEM_MAX_NR_PAGES	((1ULL << 31) - 1)
/* VKVM_SET_MEMORY_ERROR: at most this many poisoned 4 KiB pages (4 GiB) per VM */
#define VKVM_MAX_POISON_PAGES	(1U << 20)
/* access_ok() on arm64 with 48-bit VAs: user addresses end at TASK_SIZE_MAX */
#define KVM_USER_VA_LIMIT	(1ULL << 48)
#define KVM_IPA_LIMIT		48	/* PARange 0b0101 */
#define KVM_IPA_DEFAULT		40	/* KVM_PHYS_SHIFT */
#define KVM_IPA_MIN		32	/* ARM64_MIN_PARANGE_BITS */

/* SVE vector lengths the emulated host implements, as a VQ bitmap. */
/* KVM_SET_GUEST_DEBUG's control bits (KVM_CAP_SET_GUEST_DEBUG2 lists them) */
#define KVM_GUESTDBG_VALID_MASK	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
				 KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW)

#define VKVM_SVE_VQ_MAP		(BIT(1) | BIT(2) | BIT(4) | BIT(8) | BIT(16))
#define VKVM_SVE_VQ_MAX		16

enum vkvm_file_type {
	VKVM_FILE_SYSTEM,
	VKVM_FILE_VM,
	VKVM_FILE_VCPU,
	VKVM_FILE_DEVICE,
	VKVM_FILE_GMEM,
};

struct kvm;
struct kvm_vcpu;

struct kvm_io_device;

/* The in-kernel MMIO bus (virt/kvm/kvm_main.c's kvm_io_bus): IPA range → handler. */
struct kvm_io_device_ops {
	/* 0: handled; -EOPNOTSUPP: not this device's access, try the next */
	int (*read)(struct kvm_vcpu *vcpu, struct kvm_io_device *dev, u64 addr,
		    unsigned int len, void *val);
	int (*write)(struct kvm_vcpu *vcpu, struct kvm_io_device *dev, u64 addr,
		     unsigned int len, const void *val);
};

struct kvm_io_device {
	const struct kvm_io_device_ops *ops;
};

struct kvm_io_range {
	u64 addr;
	u64 len;
	struct kvm_io_device *dev;
};

/* Immutable once published, like the memmap: vCPUs read it without locks. */
struct kvm_io_bus {
	unsigned int dev_count;
	struct kvm_io_range range[];
};

#define NR_IOBUS_DEVS		1000

/* A KVM_CREATE_DEVICE object; its state lives in the VM (kvm->vgic). */
struct kvm_device {
	_Atomic int refcount;
	struct kvm *kvm;
	u32 type;
	void *private;			/* an ITS: its struct vgic_its (VM-owned) */
};

struct kvm_eventfds;			/* eventfd.c */
struct kvm_irq_routing_table;		/* irqchip.c */

/*
 * A KVM_MEM_LOG_DIRTY_PAGES slot's bitmap, one bit per 4 KiB page.  The
 * engine's memmaps point at bits; once its slot is deleted or stops
 * logging, it is freed with the last memmap that can point at it (next).
 */
struct kvm_dirty_bitmap {
	struct kvm_dirty_bitmap *next;
	_Atomic u64 bits[];
};

/*
 * A slot's allocation tags (KVM_CAP_ARM_MTE; the layout is
 * cpu_mem_region.tags').  A deleted slot's stay, on kvm->dead_tags, until
 * the VM goes: a retired memmap may still point at them.
 */
struct kvm_mte_tags {
	struct kvm_mte_tags *next;
	_Atomic u8 t[];
};

struct kvm_gmem;

struct kvm_memslot {
	u32 id;
	u32 flags;
	u64 base_gpa;
	u64 size;
	u64 userspace_addr;
	u8 *hva;			/* the guest's memory: userspace_addr, or
					 * vkvm's mapping of its guest_memfd */
	struct kvm_gmem *gmem;		/* KVM_MEM_GUEST_MEMFD: its file, NULL once closed */
	u64 gmem_offset;
	bool gmem_gone;			/* its guest_memfd was closed: EFAULT */
	struct kvm_dirty_bitmap *dirty;	/* KVM_MEM_LOG_DIRTY_PAGES, else NULL */
	struct kvm_mte_tags *tags;	/* KVM_CAP_ARM_MTE, else NULL */
};

/* One KVM_ARM_VM_SMCCC_FILTER range: function IDs first..last */
struct kvm_smccc_range {
	u32 first, last;
	u8 action;			/* enum kvm_smccc_filter_action */
};

struct kvm_retired_map {
	struct cpu_memmap *map;
	u64 gen;			/* the memmap_gen that replaced it */
	struct kvm_dirty_bitmap *bitmaps; /* retired bitmaps it may point at */
};

struct kvm {
	_Atomic int refcount;
	pthread_mutex_t lock;

	struct cpu_vm cpu_vm;		/* what the engine reads: memmap */

	/*
	 * The memslots (under lock): each allocated once, found by guest
	 * address in slots (sorted, binary search) and by id in slot_by_id
	 * (id_cap entries, grown on demand).  A change is published to the
	 * engine as a new memmap at once when a vCPU is in KVM_RUN, else at
	 * the next KVM_RUN (memmap_dirty): adding n slots costs O(n log n).
	 */
	struct kvm_memslot **slots;
	unsigned int nr_slots;
	unsigned int slots_cap;
	struct kvm_memslot **slot_by_id;
	unsigned int id_cap;
	_Atomic bool memmap_dirty;
	/*
	 * Replaced memmaps, each with the generation that replaced it: freed
	 * once every vCPU in the engine holds that one or a newer one
	 * (cpu.memmap_busy), at the next publication.
	 */
	struct kvm_retired_map *retired;
	unsigned int nr_retired;
	unsigned int retired_cap;
	/* MMIO buses replaced: freed when one is published with no vCPU in KVM_RUN */
	_Atomic unsigned int nr_running;	/* vCPUs inside KVM_RUN */
	/* bitmaps of slots that stopped logging, not yet retired with a memmap */
	struct kvm_dirty_bitmap *dead_bitmaps;
	/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2's args[0] (under lock) */
	u64 manual_dirty_log_protect;
	/* KVM_CAP_DIRTY_LOG_RING_ACQ_REL: each vCPU's ring in bytes, 0 without */
	u32 dirty_ring_size;

	/* emulated uncorrected memory errors: sorted page-aligned IPAs */
	u64 *poison;
	unsigned int nr_poison;

	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS_NR];
	unsigned int created_vcpus;
	unsigned int max_vcpus;

	/* KVM_ARM_VCPU_INIT features, identical for every vCPU of a VM */
	bool features_configured;
	u32 features;

	bool has_run_once;
	/* KVM_ARM_VCPU_PMU_V3_FILTER: the events allowed, 65536 bits; NULL: all */
	u64 *pmu_filter;
	/* PMCR_EL0.N of every vCPU (KVM's arch.pmcr_n); fixed at the first KVM_RUN */
	u8 pmcr_n;
	bool gic_hidden;		/* ran without a GIC: ID_AA64PFR0_EL1.GIC 0 */
	/*
	 * The ID registers userspace wrote (id_writable.c), VM-wide as KVM's
	 * arch.id_regs: by KVM_ARM_FEATURE_ID_RANGE_IDX, id_regs_set saying
	 * which; every vCPU reset applies them.  Under lock; fixed once the
	 * VM runs.
	 */
	u64 id_regs[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	u64 id_regs_set[KVM_ARM_FEATURE_ID_RANGE_SIZE / 64];
	/* KVM_CAP_ARM_WRITABLE_IMP_ID_REGS: MIDR, REVIDR, AIDR writable */
	bool writable_imp_id_regs;
	bool nisv_to_user;
	bool sea_to_user;
	/* KVM_CAP_ARM_MTE (mte.c): cpu_vm.mte; the tags of deleted slots */
	struct kvm_mte_tags *dead_tags;

	/* vCPUs in creation order (KVM's vcpu_idx); under vgic.lock */
	struct kvm_vcpu *vcpu_by_idx[KVM_MAX_VCPUS_NR];

	struct vgic_dist vgic;
	struct arch_timer_vm timer;

	pthread_mutex_t bus_lock;	/* writers of mmio_bus */
	struct kvm_io_bus *_Atomic mmio_bus;
	struct kvm_io_bus **old_buses;
	unsigned int nr_old_buses;
	struct kvm_eventfds *eventfds;
	/* KVM_SET_GSI_ROUTING's table (irqchip.c), under irq_lock */
	pthread_mutex_t irq_lock;
	struct kvm_irq_routing_table *irq_routing;

	/* KVM_CAP_ARM_SYSTEM_SUSPEND: SYSTEM_SUSPEND exits to userspace */
	bool system_suspend;
	/* KVM_ARM_SET_COUNTER_OFFSET: both counters' offset, CNT writes ignored */
	bool counter_offset_set;
	u64 counter_offset;
	/* KVM_ARM_VM_SMCCC_FILTER: sorted, disjoint ranges (under lock) */
	struct kvm_smccc_range *smccc_filter;
	unsigned int nr_smccc_filter;

	struct kvm_stats stats;		/* VM_STAT_*, under lock */

	/* coalesced_mmio.c: the ring page and the zones (under lock) */
	struct kvm_coalesced_mmio_ring *coalesced_ring;
	int coalesced_fd;		/* the ring's memfd, or -1: anonymous */
	pthread_mutex_t ring_lock;	/* writers of the ring */
	struct coalesced_mmio_dev **coalesced_zones;
	unsigned int nr_coalesced_zones;

	u32 psci_version;
	u64 fw_std_bmap;
	u64 fw_std_hyp_bmap;
	u64 fw_vendor_hyp_bmap;
	u64 fw_vendor_hyp_bmap_2;
};

/* The last guest fault that exited, as KVM keeps ESR_EL2/FAR_EL2/HPFAR_EL2. */
struct kvm_vcpu_fault {
	u64 esr;
	u64 far;
	u64 ipa;
	unsigned int walk_level;	/* ESR.S1PTW: the walk's failing level */
};

/*
 * A vCPU's dirty ring (virt/kvm/dirty_ring.c): entries in its memfd at
 * KVM_DIRTY_LOG_PAGE_OFFSET, shared with userspace.  dirty_index is the
 * vCPU thread's, reset_index KVM_RESET_DIRTY_RINGS's (under kvm->lock).
 */
struct kvm_dirty_ring {
	struct kvm_dirty_gfn *gfns;
	u32 size;			/* entries, a power of 2 */
	u32 soft_limit;			/* size less the reserved entries */
	_Atomic u32 dirty_index, reset_index;
};

struct kvm_vcpu {
	_Atomic int refcount;
	struct kvm *kvm;
	u32 vcpu_id;
	u32 vcpu_idx;			/* creation order */
	struct kvm_run *run;		/* our own mapping of the kvm_run memfd */
	size_t run_size;
	struct kvm_dirty_ring dirty_ring;	/* gfns NULL without one */

	pthread_mutex_t lock;		/* serialises the vCPU's ioctls */
	int wake_fd;			/* eventfd: wakes a sleeping vCPU */

	bool sigset_active;		/* KVM_SET_SIGNAL_MASK: mask during KVM_RUN */
	sigset_t sigset;
	sigset_t sig_through;		/* the signals sigset lets through */
	int sig_fd;			/* their signalfd */
	_Atomic bool in_wfe;		/* waits in WFE: SEV writes wake_fd */

	bool initialized;		/* KVM_ARM_VCPU_INIT succeeded */
	u32 features;
	bool sve_finalized;
	unsigned int sve_max_vq;	/* the vCPU's maximum vector length, in VQ */

	_Atomic u32 mp_state;
	pthread_mutex_t mp_lock;	/* mp_state transitions, reset_state */
	struct {
		bool pending;		/* PSCI CPU_ON: reset, then start at pc */
		u64 pc;
		u64 r0;
	} reset_state;
	bool has_run_once;

	struct kvm_vcpu_fault fault;
	bool mmio_needed;		/* a KVM_EXIT_MMIO read awaits completion */

	struct vgic_cpu vgic_cpu;
	struct arch_timer_cpu timer;
	struct {
		int irq_num;		/* KVM_ARM_VCPU_PMU_V3_IRQ; 0: not set */
		bool created;		/* KVM_ARM_VCPU_PMU_V3_INIT done */
	} pmu;
	struct kvm_stats stats;		/* VCPU_STAT_*, written by the vCPU thread */
	struct {
		u64 base;		/* the stolen-time structure's IPA, or INVALID_GPA */
		u64 last_steal;		/* run_delay at the last update, ns */
		u64 last_update;	/* CLOCK_MONOTONIC of that update, ns */
		int fd;			/* fd_thread's schedstat, or -1 */
		pthread_t fd_thread;
	} steal;

	struct cpu cpu;			/* architectural state + engine context */
};

static inline bool irqchip_in_kernel(const struct kvm *kvm)
{
	return kvm->vgic.in_kernel;
}

static inline bool vcpu_has_feature(const struct kvm_vcpu *vcpu, int f)
{
	return vcpu->features & BIT(f);
}

static inline bool vcpu_has_sve(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_feature(vcpu, KVM_ARM_VCPU_SVE);
}

/* KVM_ARM_VCPU_INIT takes both PTRAUTH features or neither */
static inline bool vcpu_has_ptrauth(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_feature(vcpu, KVM_ARM_VCPU_PTRAUTH_ADDRESS);
}

static inline bool vcpu_has_pmu(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_feature(vcpu, KVM_ARM_VCPU_PMU_V3);
}

/*
 * KVM_ARM_VCPU_HAS_EL2 (nested virtualization, docs/nested.md): the vCPU
 * has EL2 and starts there.
 */
static inline bool vcpu_has_el2(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_feature(vcpu, KVM_ARM_VCPU_HAS_EL2);
}

/* ... and FEAT_VHE: EL2 without KVM_ARM_VCPU_HAS_EL2_E2H0 */
static inline bool vcpu_has_vhe(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_el2(vcpu) && !vcpu_has_feature(vcpu, KVM_ARM_VCPU_HAS_EL2_E2H0);
}

static inline bool vcpu_is_finalized(const struct kvm_vcpu *vcpu)
{
	return !vcpu_has_sve(vcpu) || vcpu->sve_finalized;
}

static inline struct cpu_state *vcpu_state(struct kvm_vcpu *vcpu)
{
	return &vcpu->cpu.state;
}

/* pmu-emul.c: KVM_ARM_VCPU_PMU_V3_CTRL, the first run's check */
int kvm_arm_pmu_v3_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_pmu_v3_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_pmu_v3_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_pmu_v3_enable(struct kvm_vcpu *vcpu);

/* vkvm.c */
int vkvm_new_fd(const char *name, size_t size, int flags);
int vkvm_install_object(int fd, enum vkvm_file_type type, void *obj);
void *vkvm_mmap_unpinned(void *addr, size_t len, int prot, int flags, int fd,
			 off_t off);
void kvm_get(struct kvm *kvm);
void kvm_put(struct kvm *kvm);
/* The guest_memfd @fd names, referenced; -EBADF, or -EINVAL if not one. */
int vkvm_gmem_lookup(int fd, struct kvm_gmem **gp);

/* guest_memfd.c: a guest_memfd lives as long as its file (refcount) */
struct kvm_gmem {
	_Atomic int refcount;
	struct kvm *kvm;		/* pinned: the file pins the VM */
	u64 size;
	u64 flags;			/* GUEST_MEMFD_FLAG_* */
};
u64 kvm_gmem_supported_flags(void);
int kvm_gmem_create(struct kvm *kvm, void *argp, int *new_fd);
void kvm_gmem_get(struct kvm_gmem *g);
void kvm_gmem_put(struct kvm_gmem *g);
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memslot *s, struct kvm_gmem *g, int fd,
		  u64 offset);
void kvm_gmem_unbind(struct kvm_memslot *s);
void *kvm_gmem_mmap(struct kvm_gmem *g, void *addr, size_t len, int prot, int flags,
		    int fd, off_t off);
int kvm_gmem_fallocate(struct kvm_gmem *g, int fd, int mode, off_t off, off_t len);
/* kvm_main.c: @g's file is gone; its slots stay, without memory */
void kvm_memslots_gmem_gone(struct kvm *kvm, struct kvm_gmem *g);
void kvm_vcpu_put_ref(struct kvm_vcpu *vcpu);

/*
 * uaccess.c: every access to the caller's memory.  A user pointer may be
 * misaligned (KVM accepts any address), NULL or unmapped: hold it as void *
 * and never dereference it or form a typed pointer from it.
 */
int copy_from_user(void *dst, const void *usrc, size_t len);
int copy_to_user(void *udst, const void *src, size_t len);

/* kvm_main.c */
long kvm_dev_ioctl(unsigned int ioctl, unsigned long arg, int *new_fd);
long kvm_vm_ioctl(struct kvm *kvm, unsigned int ioctl, unsigned long arg,
		  int *new_fd);
long kvm_vm_check_extension(struct kvm *kvm, long ext);

/* MTE (mte.c) */
int kvm_vm_enable_mte(struct kvm *kvm);
/* A new slot's tags when the VM has MTE (caller holds kvm->lock): 0 or -ENOMEM */
int kvm_mte_slot_init(struct kvm *kvm, struct kvm_memslot *s);
/* A slot going away: its tags wait on kvm->dead_tags */
void kvm_mte_slot_retire(struct kvm *kvm, struct kvm_memslot *s);
void kvm_mte_destroy(struct kvm *kvm);
long kvm_vm_ioctl_mte_copy_tags(struct kvm *kvm, const struct kvm_arm_copy_mte_tags *ct);
static inline bool kvm_has_mte(const struct kvm *kvm)
{
	return kvm->cpu_vm.mte;
}
long kvm_device_ioctl(struct kvm_device *dev, unsigned int ioctl,
		      unsigned long arg);
void kvm_device_put(struct kvm_device *dev);
int kvm_io_bus_register_dev(struct kvm *kvm, u64 addr, u64 len,
			    struct kvm_io_device *dev);
int kvm_io_bus_unregister_dev(struct kvm *kvm, struct kvm_io_device *dev);
int kvm_io_bus_write(struct kvm_vcpu *vcpu, u64 addr, unsigned int len,
		     const void *val);
int kvm_io_bus_read(struct kvm_vcpu *vcpu, u64 addr, unsigned int len,
		    void *val);
void kvm_destroy_vm(struct kvm *kvm);
/*
 * Every vCPU's ioctl lock, by trylock (KVM's kvm_trylock_all_vcpus()): false,
 * holding none, when a vCPU is in an ioctl (KVM_RUN...).  Caller holds
 * kvm->lock, so no vCPU is created meanwhile.
 */
bool kvm_trylock_all_vcpus(struct kvm *kvm);
void kvm_unlock_all_vcpus(struct kvm *kvm);
size_t kvm_vcpu_mmap_size(void);
/* Guest memory through the memslots (-EFAULT outside them); take kvm->lock */
int kvm_read_guest(struct kvm *kvm, u64 gpa, void *data, size_t len);
int kvm_write_guest(struct kvm *kvm, u64 gpa, const void *data, size_t len);
bool kvm_is_visible_gpa(struct kvm *kvm, u64 gpa);

/* coalesced_mmio.c */
u32 kvm_coalesced_mmio_max(void);
int kvm_coalesced_mmio_init(struct kvm *kvm);
void kvm_coalesced_mmio_free(struct kvm *kvm);
int kvm_coalesced_mmio_map(struct kvm *kvm, void *p, size_t len, off_t off,
			   int prot, int flags);
int kvm_vm_ioctl_register_coalesced_mmio(struct kvm *kvm,
					 const struct kvm_coalesced_mmio_zone *zone);
int kvm_vm_ioctl_unregister_coalesced_mmio(struct kvm *kvm,
					   const struct kvm_coalesced_mmio_zone *zone);

/* arm.c */
long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl,
		    unsigned long arg);
struct kvm_vcpu *kvm_vcpu_create(struct kvm *kvm, u32 id, int *fd);
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);

/* guest.c */
int kvm_arm_get_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
int kvm_arm_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
unsigned long kvm_arm_num_regs(struct kvm_vcpu *vcpu);
int kvm_arm_copy_reg_indices(struct kvm_vcpu *vcpu, void *uindices);

/* reset.c */
void kvm_reset_vcpu(struct kvm_vcpu *vcpu);
int kvm_arm_vcpu_finalize(struct kvm_vcpu *vcpu, int feature);
void kvm_vcpu_apply_pending_reset(struct kvm_vcpu *vcpu);
bool kvm_sve_vq_available(unsigned int vq);

/* sys_regs.c */
void kvm_reset_sys_regs(struct kvm_vcpu *vcpu);
void kvm_set_nr_counters(struct kvm *kvm, unsigned int n);	/* under kvm->lock */
void kvm_finalize_id_regs(struct kvm *kvm);
/* id_writable.c */
u64 kvm_id_reg_writable_mask(u32 enc);
int kvm_id_reg_check(const struct kvm *kvm, u32 enc, u64 *val, u64 limit);
int kvm_vm_ioctl_get_reg_writable_masks(struct kvm *kvm, const struct reg_mask_range *range);
/* At KVM_RUN, counted in nr_running: publish memslot changes not yet seen. */
int kvm_memslots_sync(struct kvm *kvm);
/* kvm_read_guest()/kvm_write_guest() (kvm_main.c): 0, or -EFAULT outside a
 * memslot (a write: or in a read-only or write-protected one). */
int kvm_read_guest(struct kvm *kvm, u64 gpa, void *data, size_t len);
int kvm_write_guest(struct kvm *kvm, u64 gpa, const void *data, size_t len);
/* Is @gpa inside a memslot? */
bool kvm_gpa_in_memslot(struct kvm *kvm, u64 gpa);

/* kvm_main.c, for dirty_log.c (caller holds kvm->lock) */
struct kvm_memslot *kvm_id_to_memslot(struct kvm *kvm, u32 id);
struct kvm_memslot *kvm_gpa_to_memslot(struct kvm *kvm, u64 gpa);

/* dirty_log.c: KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG */
int kvm_dirty_log_prepare(struct kvm *kvm, const struct kvm_memslot *old,
			  u32 flags, u64 size, struct kvm_dirty_bitmap **dirty);
void kvm_dirty_log_retire(struct kvm *kvm, struct kvm_dirty_bitmap *b);
void kvm_dirty_bitmaps_free(struct kvm_dirty_bitmap *b);
int kvm_dirty_log_enable_cap(struct kvm *kvm, const struct kvm_enable_cap *cap);
int kvm_vm_ioctl_get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log);
int kvm_vm_ioctl_clear_dirty_log(struct kvm *kvm, const struct kvm_clear_dirty_log *log);
/* the dirty ring: KVM_CAP_DIRTY_LOG_RING_ACQ_REL, KVM_RESET_DIRTY_RINGS */
#define KVM_DIRTY_RING_MAX_BYTES	(65536 * sizeof(struct kvm_dirty_gfn))
int kvm_dirty_ring_enable_cap(struct kvm *kvm, u64 size);
int kvm_dirty_ring_alloc(struct kvm_vcpu *vcpu, int fd);
void kvm_dirty_ring_free(struct kvm_vcpu *vcpu);
bool kvm_dirty_ring_soft_full(struct kvm_vcpu *vcpu);
int kvm_vm_ioctl_reset_dirty_rings(struct kvm *kvm);
int kvm_dirty_ring_check_mmap(struct kvm_vcpu *vcpu, size_t len, off_t off, int prot, int flags);
/* set while this thread is in a vCPU's KVM_RUN: where vkvm's own writes log */
extern __thread struct kvm_vcpu *kvm_running_vcpu;
/* Write-protect again: every vCPU drops its TLB (caller holds kvm->lock). */
u64 kvm_flush_remote_tlbs(struct kvm *kvm);
/* Wait until no vCPU in the engine holds a memmap generation below gen. */
void kvm_wait_memmap_gen(struct kvm *kvm, u64 gen);
/*
 * vkvm's own stores to guest memory (on the guest's behalf) mark the page
 * dirty as a guest store would.  Caller does not hold kvm->lock.
 */
void kvm_mark_page_dirty(struct kvm *kvm, u64 gpa);
/* The same for [gpa, gpa + len) inside slot s; caller holds kvm->lock. */
void kvm_memslot_mark_dirty(const struct kvm_memslot *s, u64 gpa, u64 len);
int kvm_arm_sys_reg_get_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
int kvm_arm_sys_reg_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
unsigned long kvm_arm_num_sys_reg_descs(struct kvm_vcpu *vcpu);
int kvm_arm_copy_sys_reg_indices(struct kvm_vcpu *vcpu, void *uindices);

/* hypercalls.c */
void kvm_arm_init_hypercalls(struct kvm *kvm);
int kvm_arm_get_fw_num_regs(struct kvm_vcpu *vcpu);
int kvm_arm_copy_fw_reg_indices(struct kvm_vcpu *vcpu, void *uindices);
int kvm_arm_get_fw_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
int kvm_arm_set_fw_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg);
int kvm_vm_smccc_has_attr(struct kvm *kvm, const struct kvm_device_attr *attr);
int kvm_vm_smccc_set_attr(struct kvm *kvm, const struct kvm_device_attr *attr);

/* pvtime.c */
#define INVALID_GPA	(~(u64)0)
bool kvm_arm_pvtime_supported(void);
void kvm_pvtime_vcpu_destroy(struct kvm_vcpu *vcpu);
void kvm_update_stolen_time(struct kvm_vcpu *vcpu);
/* Between guest entries: the update again once STEAL_TICK_NS have passed */
void kvm_steal_time_tick(struct kvm_vcpu *vcpu);
long kvm_hypercall_pv_features(struct kvm_vcpu *vcpu);
u64 kvm_init_stolen_time(struct kvm_vcpu *vcpu);
int kvm_arm_pvtime_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_pvtime_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_pvtime_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);

/* trng.c: the call's results, x0 to x3 */
void kvm_trng_call(struct kvm_vcpu *vcpu, u32 fn, u64 val[4]);

/* arch_timer.c */
void kvm_timer_vm_init(struct kvm *kvm);
void kvm_timer_vm_destroy(struct kvm *kvm);
void kvm_timer_vcpu_destroy(struct kvm_vcpu *vcpu);
u64 kvm_phys_counter(void);
/* The physical count and CLOCK_REALTIME (ns) read together (KVM_PTP). */
u64 kvm_counter_snapshot(u64 *real_ns);
/* The VM's virtual and physical counter offsets (counter = host - offset). */
u64 kvm_timer_voffset(struct kvm *kvm);
u64 kvm_timer_poffset(struct kvm *kvm);
/* The offset of the vCPU's virtual count (CNTVOFF_EL2 with EL2). */
u64 kvm_timer_vcnt_offset(struct kvm_vcpu *vcpu);
/* KVM_REG_ARM_TIMER_CNT / PTIMER_CNT: the VM's count reads @cnt now. */
void kvm_timer_set_cnt(struct kvm *kvm, bool ptimer, u64 cnt);
/* kvm_timer_vcpu_init(): a new vCPU restarts the VM's virtual count at 0. */
void kvm_timer_vcpu_init(struct kvm_vcpu *vcpu);
/* Re-evaluate the timers' outputs and the kicker's deadline (vCPU thread). */
void kvm_timer_sync(struct kvm_vcpu *vcpu);
/* The guest read counter @now_cnt: raise a timer it has reached (vCPU thread). */
void kvm_timer_counter_seen(struct kvm_vcpu *vcpu, u64 now_cnt);
/* Nanoseconds (CLOCK_MONOTONIC) of the earliest armed deadline, or 0. */
u64 kvm_timer_next_deadline_ns(struct kvm_vcpu *vcpu);
/* The next event-stream edge (CNTKCTL_EL1.EVNTEN), host ns; 0 if off */
u64 kvm_timer_evtstrm_next_ns(struct kvm_vcpu *vcpu);
bool kvm_timer_should_wake(struct kvm_vcpu *vcpu);
int kvm_timer_enable(struct kvm_vcpu *vcpu);
int kvm_arm_timer_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_timer_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_arm_timer_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr);
int kvm_vm_ioctl_set_counter_offset(struct kvm *kvm,
				    const struct kvm_arm_counter_offset *offset);

/* eventfd.c */
int kvm_irqfd(struct kvm *kvm, const struct kvm_irqfd *args);
int kvm_ioeventfd(struct kvm *kvm, const struct kvm_ioeventfd *args);
void kvm_eventfd_destroy(struct kvm *kvm);

/* irqchip.c: GSI routing and MSIs */
int kvm_vm_ioctl_set_gsi_routing(struct kvm *kvm, unsigned long arg);
int kvm_irq_routing_set_default(struct kvm *kvm, u32 nr_spis);
void kvm_irq_routing_destroy(struct kvm *kvm);
void kvm_set_irq_gsi(struct kvm *kvm, u32 gsi, int resamplefd);
int kvm_send_userspace_msi(struct kvm *kvm, const struct kvm_msi *msi);

/* inject_fault.c */
void kvm_inject_sea(struct kvm_vcpu *vcpu, bool iabt, u64 addr);
void kvm_inject_serror_esr(struct kvm_vcpu *vcpu, u64 esr);
bool kvm_serror_pending(struct kvm_vcpu *vcpu);

#endif /* VKVM_KVM_HOST_H */
