/*
 * arm64 half of the KVM userspace ABI: vCPU state layouts, ONE_REG register
 * IDs, device attributes and the arm64 meaning of generic kvm_run fields.
 *
 * Names, numbers and layouts are Linux's (arch/arm64/include/uapi/asm/kvm.h,
 * up to v6.19); the text is ours.  Documentation/virt/kvm/api.rst is the
 * reference for behaviour.  Include <linux/kvm.h>, not this file.
 */
#ifndef __ARM_KVM_H__
#define __ARM_KVM_H__

/* Banked SPSRs in kvm_regs.spsr[]; the AArch32 names index the same array. */
#define KVM_SPSR_EL1	0
#define KVM_SPSR_SVC	KVM_SPSR_EL1
#define KVM_SPSR_ABT	1
#define KVM_SPSR_UND	2
#define KVM_SPSR_IRQ	3
#define KVM_SPSR_FIQ	4
#define KVM_NR_SPSR	5

#ifndef __ASSEMBLER__
#include <stddef.h>		/* offsetof, for KVM_REG_ARM_CORE_REG */
#include <linux/psci.h>
#include <linux/types.h>
#include <asm/ptrace.h>
#include <asm/sve_context.h>

/*
 * Linux writes some masks below with the kernel's GENMASK() and SZ_64K, which
 * userspace does not have; these private equivalents make them expand.
 */
#define __KVM_ARM_GENMASK(h, l)	\
	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (64 - 1 - (h))))
#define __KVM_ARM_SZ_64K	0x00010000

#define __KVM_HAVE_IRQ_LINE
#define __KVM_HAVE_VCPU_EVENTS

/* Page offsets inside the vCPU mmap. */
#define KVM_COALESCED_MMIO_PAGE_OFFSET	1
#define KVM_DIRTY_LOG_PAGE_OFFSET	64

/* KVM_GET_REGS/KVM_SET_REGS; also the layout ONE_REG core IDs index into. */
struct kvm_regs {
	struct user_pt_regs regs;	/* regs.sp is SP_EL0 */

	__u64	sp_el1;
	__u64	elr_el1;

	__u64	spsr[KVM_NR_SPSR];

	struct user_fpsimd_state fp_regs;
};

/* kvm_vcpu_init.target; new code asks KVM_ARM_PREFERRED_TARGET instead. */
#define KVM_ARM_TARGET_AEM_V8		0
#define KVM_ARM_TARGET_FOUNDATION_V8	1
#define KVM_ARM_TARGET_CORTEX_A57	2
#define KVM_ARM_TARGET_XGENE_POTENZA	3
#define KVM_ARM_TARGET_CORTEX_A53	4
#define KVM_ARM_TARGET_GENERIC_V8	5

#define KVM_ARM_NUM_TARGETS		6

/* KVM_ARM_SET_DEVICE_ADDR: kvm_arm_device_addr.id = device id << 16 | type. */
#define KVM_ARM_DEVICE_TYPE_SHIFT	0
#define KVM_ARM_DEVICE_TYPE_MASK	__KVM_ARM_GENMASK(KVM_ARM_DEVICE_TYPE_SHIFT + 15, \
							  KVM_ARM_DEVICE_TYPE_SHIFT)
#define KVM_ARM_DEVICE_ID_SHIFT		16
#define KVM_ARM_DEVICE_ID_MASK		__KVM_ARM_GENMASK(KVM_ARM_DEVICE_ID_SHIFT + 15, \
							  KVM_ARM_DEVICE_ID_SHIFT)

#define KVM_ARM_DEVICE_VGIC_V2		0

/* Address types (KVM_ARM_SET_DEVICE_ADDR type, or KVM_DEV_ARM_VGIC_GRP_ADDR attr). */
#define KVM_VGIC_V2_ADDR_TYPE_DIST	0
#define KVM_VGIC_V2_ADDR_TYPE_CPU	1

#define KVM_VGIC_V2_DIST_SIZE		0x1000
#define KVM_VGIC_V2_CPU_SIZE		0x2000

#define KVM_VGIC_V3_ADDR_TYPE_DIST	2
#define KVM_VGIC_V3_ADDR_TYPE_REDIST	3
#define KVM_VGIC_ITS_ADDR_TYPE		4
#define KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION	5

#define KVM_VGIC_V3_DIST_SIZE		__KVM_ARM_SZ_64K
#define KVM_VGIC_V3_REDIST_SIZE		(2 * __KVM_ARM_SZ_64K)	/* RD_base + SGI_base */
#define KVM_VGIC_V3_ITS_SIZE		(2 * __KVM_ARM_SZ_64K)

/* kvm_vcpu_init.features[] bit numbers. */
#define KVM_ARM_VCPU_POWER_OFF		0	/* start powered off (PSCI CPU_ON wakes it) */
#define KVM_ARM_VCPU_EL1_32BIT		1	/* AArch32 EL1 */
#define KVM_ARM_VCPU_PSCI_0_2		2
#define KVM_ARM_VCPU_PMU_V3		3
#define KVM_ARM_VCPU_SVE		4	/* needs KVM_ARM_VCPU_FINALIZE */
#define KVM_ARM_VCPU_PTRAUTH_ADDRESS	5
#define KVM_ARM_VCPU_PTRAUTH_GENERIC	6
#define KVM_ARM_VCPU_HAS_EL2		7	/* nested virtualization */
#define KVM_ARM_VCPU_HAS_EL2_E2H0	8	/* ...with HCR_EL2.E2H RES0 */

struct kvm_vcpu_init {
	__u32 target;
	__u32 features[7];
};

/* Generic ioctls name these; arm64 has nothing to put in them. */
struct kvm_sregs {
};

struct kvm_fpu {
};

/* KVM_SET_GUEST_DEBUG: 64-bit slots for the 16 architectural BRP/WRP pairs. */
#define KVM_ARM_MAX_DBG_REGS 16
struct kvm_guest_debug_arch {
	__u64 dbg_bcr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_bvr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_wcr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_wvr[KVM_ARM_MAX_DBG_REGS];
};

/* kvm_run.debug.arch on KVM_EXIT_DEBUG. */
#define KVM_DEBUG_ARCH_HSR_HIGH_VALID	(1 << 0)
struct kvm_debug_exit_arch {
	__u32 hsr;	/* ESR_EL2[31:0] */
	__u32 hsr_high;	/* upper half of ESR_EL2, if HSR_HIGH_VALID */
	__u64 far;	/* watchpoint address */
};

/* kvm_guest_debug.control, arm64 bits. */
#define KVM_GUESTDBG_USE_SW_BP		(1 << 16)
#define KVM_GUESTDBG_USE_HW		(1 << 17)

struct kvm_sync_regs {
	__u64 device_irq_level;		/* KVM_CAP_ARM_USER_IRQ */
};

/* kvm_run.s.regs.device_irq_level bits. */
#define KVM_ARM_DEV_EL1_VTIMER		(1 << 0)
#define KVM_ARM_DEV_EL1_PTIMER		(1 << 1)
#define KVM_ARM_DEV_PMU			(1 << 2)

/* KVM_ARM_VCPU_PMU_V3_FILTER: allow or deny a range of PMU event numbers. */
struct kvm_pmu_event_filter {
	__u16	base_event;
	__u16	nevents;

#define KVM_PMU_EVENT_ALLOW	0
#define KVM_PMU_EVENT_DENY	1

	__u8	action;
	__u8	pad[3];
};

/*
 * KVM_GET/SET_VCPU_EVENTS.  A pending external abort is delivered at once on
 * SET and never reads back; setting both dabt and iabt is EINVAL.
 * ext_iabt_pending occupies what Linux 6.1 declares as pad[0]: same layout.
 */
struct kvm_vcpu_events {
	struct {
		__u8 serror_pending;
		__u8 serror_has_esr;
		__u8 ext_dabt_pending;
		__u8 ext_iabt_pending;
		__u8 pad[4];
		__u64 serror_esr;	/* ISS for the SError, if serror_has_esr */
	} exception;
	__u32 reserved[12];
};

/* KVM_ARM_MTE_COPY_TAGS */
struct kvm_arm_copy_mte_tags {
	__u64 guest_ipa;
	__u64 length;
	void *addr;
	__u64 flags;
	__u64 reserved[2];
};

/* KVM_ARM_SET_COUNTER_OFFSET */
struct kvm_arm_counter_offset {
	__u64 counter_offset;
	__u64 reserved;
};

#define KVM_ARM_TAGS_TO_GUEST		0
#define KVM_ARM_TAGS_FROM_GUEST		1

/*
 * ONE_REG IDs: KVM_REG_ARM64 | KVM_REG_SIZE_* | coprocessor (bits 27..16) |
 * an index whose meaning depends on the coprocessor.
 */
#define KVM_REG_ARM_COPROC_MASK		0x000000000FFF0000
#define KVM_REG_ARM_COPROC_SHIFT	16

/* Core registers: index = offset into struct kvm_regs in 32-bit words. */
#define KVM_REG_ARM_CORE		(0x0010 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_CORE_REG(name)	(offsetof(struct kvm_regs, name) / sizeof(__u32))

/* Demultiplexed registers, e.g. CCSIDR_EL1 selected by CSSELR value. */
#define KVM_REG_ARM_DEMUX		(0x0011 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_DEMUX_ID_MASK	0x000000000000FF00
#define KVM_REG_ARM_DEMUX_ID_SHIFT	8
#define KVM_REG_ARM_DEMUX_ID_CCSIDR	(0x00 << KVM_REG_ARM_DEMUX_ID_SHIFT)
#define KVM_REG_ARM_DEMUX_VAL_MASK	0x00000000000000FF
#define KVM_REG_ARM_DEMUX_VAL_SHIFT	0

/* System registers: index = op0:op1:CRn:CRm:op2, as in MRS/MSR. */
#define KVM_REG_ARM64_SYSREG		(0x0013 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SYSREG_OP0_MASK	0x000000000000c000
#define KVM_REG_ARM64_SYSREG_OP0_SHIFT	14
#define KVM_REG_ARM64_SYSREG_OP1_MASK	0x0000000000003800
#define KVM_REG_ARM64_SYSREG_OP1_SHIFT	11
#define KVM_REG_ARM64_SYSREG_CRN_MASK	0x0000000000000780
#define KVM_REG_ARM64_SYSREG_CRN_SHIFT	7
#define KVM_REG_ARM64_SYSREG_CRM_MASK	0x0000000000000078
#define KVM_REG_ARM64_SYSREG_CRM_SHIFT	3
#define KVM_REG_ARM64_SYSREG_OP2_MASK	0x0000000000000007
#define KVM_REG_ARM64_SYSREG_OP2_SHIFT	0

#define ARM64_SYS_REG_SHIFT_MASK(x, n)				\
	(((x) << KVM_REG_ARM64_SYSREG_ ## n ## _SHIFT) &	\
	 KVM_REG_ARM64_SYSREG_ ## n ## _MASK)

#define __ARM64_SYS_REG(op0, op1, crn, crm, op2)		\
	(KVM_REG_ARM64 | KVM_REG_ARM64_SYSREG |			\
	 ARM64_SYS_REG_SHIFT_MASK(op0, OP0) |			\
	 ARM64_SYS_REG_SHIFT_MASK(op1, OP1) |			\
	 ARM64_SYS_REG_SHIFT_MASK(crn, CRN) |			\
	 ARM64_SYS_REG_SHIFT_MASK(crm, CRM) |			\
	 ARM64_SYS_REG_SHIFT_MASK(op2, OP2))

#define ARM64_SYS_REG(...) (__ARM64_SYS_REG(__VA_ARGS__) | KVM_REG_SIZE_U64)

/* EL0 physical timer: CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTPCT_EL0. */
#define KVM_REG_ARM_PTIMER_CTL		ARM64_SYS_REG(3, 3, 14, 2, 1)
#define KVM_REG_ARM_PTIMER_CVAL		ARM64_SYS_REG(3, 3, 14, 2, 2)
#define KVM_REG_ARM_PTIMER_CNT		ARM64_SYS_REG(3, 3, 14, 0, 1)

/*
 * EL0 virtual timer.  CVAL and CNT carry each other's encodings (CNTVCT_EL0
 * is 3,3,14,0,2 and CNTV_CVAL_EL0 is 3,3,14,3,2): a historical mistake that
 * is now ABI, so use these names, never IDs derived from the encodings.
 */
#define KVM_REG_ARM_TIMER_CTL		ARM64_SYS_REG(3, 3, 14, 3, 1)
#define KVM_REG_ARM_TIMER_CVAL		ARM64_SYS_REG(3, 3, 14, 0, 2)
#define KVM_REG_ARM_TIMER_CNT		ARM64_SYS_REG(3, 3, 14, 3, 2)

/* Firmware pseudo-registers (PSCI/SMCCC state the hypervisor implements). */
#define KVM_REG_ARM_FW			(0x0014 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_REG(r)		(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
					 KVM_REG_ARM_FW | ((r) & 0xffff))
#define KVM_REG_ARM_PSCI_VERSION	KVM_REG_ARM_FW_REG(0)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1	KVM_REG_ARM_FW_REG(1)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED	2

/* Reads return NOT_AVAIL or NOT_REQUIRED only; writes accept every value. */
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2	KVM_REG_ARM_FW_REG(2)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL		2
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED	3
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED		(1U << 4)

#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3	KVM_REG_ARM_FW_REG(3)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_AVAIL		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED	2

/*
 * SVE registers.  Each Z (2048-bit) or P/FFR (256-bit) ID names one slice i
 * of the register; only slice 0 exists while VQ <= 16.  Values are stored in
 * the endian-invariant layout of the SVE signal frame.
 */
#define KVM_REG_ARM64_SVE		(0x15 << KVM_REG_ARM_COPROC_SHIFT)

#define KVM_REG_ARM64_SVE_ZREG_BASE	0
#define KVM_REG_ARM64_SVE_PREG_BASE	0x400
#define KVM_REG_ARM64_SVE_FFR_BASE	0x600

#define KVM_ARM64_SVE_NUM_ZREGS		__SVE_NUM_ZREGS
#define KVM_ARM64_SVE_NUM_PREGS		__SVE_NUM_PREGS

#define KVM_ARM64_SVE_MAX_SLICES	32

#define KVM_REG_ARM64_SVE_ZREG(n, i)					\
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_ZREG_BASE | \
	 KVM_REG_SIZE_U2048 |						\
	 (((n) & (KVM_ARM64_SVE_NUM_ZREGS - 1)) << 5) |			\
	 ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))

#define KVM_REG_ARM64_SVE_PREG(n, i)					\
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_PREG_BASE | \
	 KVM_REG_SIZE_U256 |						\
	 (((n) & (KVM_ARM64_SVE_NUM_PREGS - 1)) << 5) |			\
	 ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))

#define KVM_REG_ARM64_SVE_FFR(i)					\
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_FFR_BASE | \
	 KVM_REG_SIZE_U256 |						\
	 ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))

#define KVM_ARM64_SVE_VQ_MIN __SVE_VQ_MIN
#define KVM_ARM64_SVE_VQ_MAX __SVE_VQ_MAX

/*
 * Vector-length set: bit (vq - 1) of a __u64[KVM_ARM64_SVE_VLS_WORDS] array.
 * Writable only before KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE).
 */
#define KVM_REG_ARM64_SVE_VLS		(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | \
					 KVM_REG_SIZE_U512 | 0xffff)
#define KVM_ARM64_SVE_VLS_WORDS	\
	((KVM_ARM64_SVE_VQ_MAX - KVM_ARM64_SVE_VQ_MIN) / 64 + 1)

/* Firmware feature bitmaps: which hypercall services the guest may see. */
#define KVM_REG_ARM_FW_FEAT_BMAP	(0x0016 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_FEAT_BMAP_REG(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
					 KVM_REG_ARM_FW_FEAT_BMAP |	\
					 ((r) & 0xffff))

#define KVM_REG_ARM_STD_BMAP		KVM_REG_ARM_FW_FEAT_BMAP_REG(0)

enum {
	KVM_REG_ARM_STD_BIT_TRNG_V1_0	= 0,
};

#define KVM_REG_ARM_STD_HYP_BMAP	KVM_REG_ARM_FW_FEAT_BMAP_REG(1)

enum {
	KVM_REG_ARM_STD_HYP_BIT_PV_TIME	= 0,
};

/* Vendor hypervisor service calls 0..63. */
#define KVM_REG_ARM_VENDOR_HYP_BMAP	KVM_REG_ARM_FW_FEAT_BMAP_REG(2)

enum {
	KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT	= 0,
	KVM_REG_ARM_VENDOR_HYP_BIT_PTP		= 1,
};

/* Vendor hypervisor service calls 64..127. */
#define KVM_REG_ARM_VENDOR_HYP_BMAP_2	KVM_REG_ARM_FW_FEAT_BMAP_REG(3)

enum {
	KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_VER	= 0,
	KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_CPUS	= 1,
};

/* VM-fd device attributes. */
#define KVM_ARM_VM_SMCCC_CTRL		0
#define   KVM_ARM_VM_SMCCC_FILTER	0

/* VGIC device attribute groups (KVM_DEV_TYPE_ARM_VGIC_V2/V3/ITS). */
#define KVM_DEV_ARM_VGIC_GRP_ADDR	0
#define KVM_DEV_ARM_VGIC_GRP_DIST_REGS	1
#define KVM_DEV_ARM_VGIC_GRP_CPU_REGS	2
#define   KVM_DEV_ARM_VGIC_CPUID_SHIFT	32
#define   KVM_DEV_ARM_VGIC_CPUID_MASK	(0xffULL << KVM_DEV_ARM_VGIC_CPUID_SHIFT)
#define   KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT 32
#define   KVM_DEV_ARM_VGIC_V3_MPIDR_MASK \
			(0xffffffffULL << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT)
#define   KVM_DEV_ARM_VGIC_OFFSET_SHIFT	0
#define   KVM_DEV_ARM_VGIC_OFFSET_MASK	(0xffffffffULL << KVM_DEV_ARM_VGIC_OFFSET_SHIFT)
#define   KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK (0xffff)
#define KVM_DEV_ARM_VGIC_GRP_NR_IRQS	3
#define KVM_DEV_ARM_VGIC_GRP_CTRL	4
#define KVM_DEV_ARM_VGIC_GRP_REDIST_REGS 5
#define KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS 6
#define KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO	7
#define KVM_DEV_ARM_VGIC_GRP_ITS_REGS	8
#define KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ	9
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT	10
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK \
			(0x3fffffULL << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT)
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK	0x3ff
#define VGIC_LEVEL_INFO_LINE_LEVEL	0

/* KVM_DEV_ARM_VGIC_GRP_CTRL attributes. */
#define   KVM_DEV_ARM_VGIC_CTRL_INIT		0
#define   KVM_DEV_ARM_ITS_SAVE_TABLES		1
#define   KVM_DEV_ARM_ITS_RESTORE_TABLES	2
#define   KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES	3
#define   KVM_DEV_ARM_ITS_CTRL_RESET		4

/* vCPU-fd device attributes: groups, then their attributes. */
#define KVM_ARM_VCPU_PMU_V3_CTRL	0
#define   KVM_ARM_VCPU_PMU_V3_IRQ		0
#define   KVM_ARM_VCPU_PMU_V3_INIT		1
#define   KVM_ARM_VCPU_PMU_V3_FILTER		2
#define   KVM_ARM_VCPU_PMU_V3_SET_PMU		3
#define   KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS	4
#define KVM_ARM_VCPU_TIMER_CTRL		1
#define   KVM_ARM_VCPU_TIMER_IRQ_VTIMER		0
#define   KVM_ARM_VCPU_TIMER_IRQ_PTIMER		1
#define   KVM_ARM_VCPU_TIMER_IRQ_HVTIMER	2
#define   KVM_ARM_VCPU_TIMER_IRQ_HPTIMER	3
#define KVM_ARM_VCPU_PVTIME_CTRL	2
#define   KVM_ARM_VCPU_PVTIME_IPA		0

/*
 * KVM_IRQ_LINE irq field: vcpu2_index[31:28] type[27:24] vcpu_index[23:16]
 * irq_id[15:0]; the vCPU number is vcpu2_index << 8 | vcpu_index.
 */
#define KVM_ARM_IRQ_VCPU2_SHIFT		28
#define KVM_ARM_IRQ_VCPU2_MASK		0xf
#define KVM_ARM_IRQ_TYPE_SHIFT		24
#define KVM_ARM_IRQ_TYPE_MASK		0xf
#define KVM_ARM_IRQ_VCPU_SHIFT		16
#define KVM_ARM_IRQ_VCPU_MASK		0xff
#define KVM_ARM_IRQ_NUM_SHIFT		0
#define KVM_ARM_IRQ_NUM_MASK		0xffff

#define KVM_ARM_IRQ_TYPE_CPU		0	/* IRQ/FIQ line, no in-kernel GIC */
#define KVM_ARM_IRQ_TYPE_SPI		1
#define KVM_ARM_IRQ_TYPE_PPI		2

/* irq_id for KVM_ARM_IRQ_TYPE_CPU. */
#define KVM_ARM_IRQ_CPU_IRQ		0
#define KVM_ARM_IRQ_CPU_FIQ		1

/* Obsolete (the SPI count is KVM_DEV_ARM_VGIC_GRP_NR_IRQS); kept for old code. */
#define KVM_ARM_IRQ_GIC_MAX		127

#define KVM_NR_IRQCHIPS			1

/* PSCI 0.1 function IDs (KVM-defined, before PSCI 0.2 fixed them). */
#define KVM_PSCI_FN_BASE		0x95c1ba5e
#define KVM_PSCI_FN(n)			(KVM_PSCI_FN_BASE + (n))

#define KVM_PSCI_FN_CPU_SUSPEND		KVM_PSCI_FN(0)
#define KVM_PSCI_FN_CPU_OFF		KVM_PSCI_FN(1)
#define KVM_PSCI_FN_CPU_ON		KVM_PSCI_FN(2)
#define KVM_PSCI_FN_MIGRATE		KVM_PSCI_FN(3)

#define KVM_PSCI_RET_SUCCESS		PSCI_RET_SUCCESS
#define KVM_PSCI_RET_NI			PSCI_RET_NOT_SUPPORTED
#define KVM_PSCI_RET_INVAL		PSCI_RET_INVALID_PARAMS
#define KVM_PSCI_RET_DENIED		PSCI_RET_DENIED

/* kvm_run.system_event.data[0] flags: RESET from SYSTEM_RESET2... */
#define KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2	(1ULL << 0)
/* ...and SHUTDOWN from SYSTEM_OFF2 (hibernate). */
#define KVM_SYSTEM_EVENT_SHUTDOWN_FLAG_PSCI_OFF2	(1ULL << 0)

/* kvm_run.fail_entry.hardware_entry_failure_reason */
#define KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED	(1ULL << 0)

/* KVM_ARM_VM_SMCCC_FILTER: what to do with a range of SMCCC function IDs. */
enum kvm_smccc_filter_action {
	KVM_SMCCC_FILTER_HANDLE = 0,
	KVM_SMCCC_FILTER_DENY,
	KVM_SMCCC_FILTER_FWD_TO_USER,
};

struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};

/* kvm_run.hypercall.flags on arm64 (SMCCC forwarded to userspace). */
#define KVM_HYPERCALL_EXIT_SMC		(1U << 0)
#define KVM_HYPERCALL_EXIT_16BIT	(1U << 1)

/*
 * KVM_ARM_GET_REG_WRITABLE_MASKS: the feature-ID space is op0 == 3,
 * op1 in {0, 1, 3}, CRn == 0, CRm in 0..7, op2 in 0..7 (Arm ARM DDI0487J.a
 * D19.2.66), flattened to op1':CRm:op2 with op1' = 0, 1, 2.
 */
#define KVM_ARM_FEATURE_ID_RANGE_IDX(op0, op1, crn, crm, op2)		\
	({								\
		__u64 __op1 = (op1) & 3;				\
		__op1 -= (__op1 == 3);					\
		(__op1 << 6 | ((crm) & 7) << 3 | (op2));		\
	})

#define KVM_ARM_FEATURE_ID_RANGE	0
#define KVM_ARM_FEATURE_ID_RANGE_SIZE	(3 * 8 * 8)

struct reg_mask_range {
	__u64 addr;		/* user pointer to __u64[RANGE_SIZE] */
	__u32 range;		/* KVM_ARM_FEATURE_ID_RANGE */
	__u32 reserved[13];
};

#endif /* __ASSEMBLER__ */

#endif /* __ARM_KVM_H__ */
