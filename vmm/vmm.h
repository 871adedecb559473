/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's core state: the configuration `vmm run` parsed, the VM it built
 * (RAM, vCPUs, devices, memory map) and the run control that the vCPU
 * threads, the console thread, the monitor and the main thread share.
 */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <linux/kvm.h>

#include "hv.h"
#include "memmap.h"

/*
 * Exit statuses of `vmm run` (docs/vmm.md).  A guest that writes V to the
 * test-exit device ends the run with V & 0xff, which may be any of these.
 */
enum vmm_exit {
	VMM_EXIT_OK		= 0,	/* PSCI SYSTEM_OFF, Ctrl-A x, monitor quit */
	VMM_EXIT_SETUP		= 1,	/* bad option, setup failure */
	VMM_EXIT_RESET		= 2,	/* PSCI SYSTEM_RESET: vmm does not reboot */
	VMM_EXIT_CRASH		= 3,	/* KVM_SYSTEM_EVENT_CRASH */
	VMM_EXIT_UNHANDLED	= 4,	/* --unhandled-mmio exit, or stop with no console */
	VMM_EXIT_INTERNAL	= 5,	/* INTERNAL_ERROR, FAIL_ENTRY, unknown exit, KVM_RUN error */
	VMM_EXIT_TIMEOUT	= 124,	/* --timeout expired (as timeout(1)) */
};

enum mmio_policy {
	POLICY_ABORT,		/* inject a synchronous external data abort */
	POLICY_IGNORE,		/* reads as zero, writes dropped */
	POLICY_STOP,		/* pause the VM in the monitor */
	POLICY_EXIT,		/* register dump, exit VMM_EXIT_UNHANDLED */
	POLICY_LKVM,		/* lkvm's default: ignore, a line only with --debug-mmio */
};

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

#define MAX_VCPUS		512
#define MAX_MEMORY_ERRORS	16
#define MAX_DISKS		16
#define TIMEOUT_MAX_S		(1UL << 31)	/* --timeout: about 68 years */
/* arm64 Linux's COMMAND_LINE_SIZE, with the NUL: it cuts longer bootargs */
#define CMDLINE_MAX		2048

struct vmm_disk {
	const char *path;	/* the option's value: the file is its first path_len bytes */
	int path_len;
	bool ro;
};

/* --irqchip */
/* IRQCHIP_GICV3_ITS: a GICv3 and an ITS at GIC_ITS_BASE() */
enum irqchip_model { IRQCHIP_GICV3, IRQCHIP_GICV2, IRQCHIP_GICV3_ITS };
#define GICV2_MAX_CPUS	8	/* GICD_ITARGETSR's CPU interfaces */

/* --9p DIR,TAG[,ro] (virtio-9p) */
#define MAX_9P			8
#define VIRTIO_9P_TAG_MAX_BYTES	32	/* devices/virtio.h's VIRTIO_9P_TAG_MAX */
struct vmm_9p {
	const char *dir;	/* the option's value: the directory is its first dir_len bytes */
	int dir_len;
	char tag[VIRTIO_9P_TAG_MAX_BYTES + 1];
	bool ro;
};

/* --virtio-transport (kvmtool's; mmio is its arm64 default) */
enum virtio_transport { VIRTIO_TRANSPORT_MMIO, VIRTIO_TRANSPORT_PCI };
#define MAX_PCI_FNS		32	/* devices/pci.h's PCI_MAX_DEVICES */

enum net_mode { NET_MODE_NONE, NET_MODE_USER, NET_MODE_TAP };

#define MAX_HOSTFWD		16
/* kvmtool's default guest_mac (locally administered) */
#define NET_DEFAULT_MAC		{ 0x02, 0x15, 0x15, 0x15, 0x15, 0x15 }

/* hostfwd=tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT (addresses in network order) */
struct vmm_hostfwd {
	bool udp;
	uint32_t host_addr, guest_addr;	/* 0: 127.0.0.1 and the DHCP address resp. */
	uint16_t host_port, guest_port;
};

/* --network: one virtio-net device unless mode=none */
struct vmm_net {
	enum net_mode mode;
	char tapif[16];			/* mode=tap: IFNAMSIZ, NUL included */
	uint8_t mac[6];			/* guest_mac= (default NET_DEFAULT_MAC) */
	struct vmm_hostfwd fwd[MAX_HOSTFWD];
	unsigned int nr_fwd;
};

struct vmm_config {
	const char *kernel;
	const char *initrd;
	const char *firmware;
	const char *params;
	const char *name;
	const char *dump_dtb;
	const char *accel;
	unsigned int nr_cpus;
	uint64_t ram_mib;
	bool nodefaults;
	bool debug_mmio;
	bool debug_single_step;
	bool start_paused;
	const char *gdb;		/* --gdb ADDR (-s: GDB_DEFAULT_ADDR) */
	bool gdb_default;		/* -s */
	int log_level;			/* enum log_level: --loglevel, --debug */
	unsigned int sve_vl;		/* 0: the hypervisor's default */
	const char *sve_vl_opt;		/* "--sve-vl" or "--sve-max-vl" */
	bool no_sve;
	bool pmu;			/* --pmu: a PMUv3 per vCPU (PMU_PPI) */
	bool mte_disabled;		/* --disable-mte: KVM_CAP_ARM_MTE left off */
	bool nested;			/* --nested: vCPUs with EL2 (KVM_ARM_VCPU_HAS_EL2) */
	bool e2h0;			/* --e2h0: ... without VHE (HAS_EL2_E2H0) */
	bool jit, no_jit;		/* --jit, --no-jit: vkvm's VKVM_JIT set to 1, 0 */
	int irqchip;			/* --irqchip: enum irqchip_model */
	bool nisv_to_user;
	bool sea_to_user;
	bool testdev;			/* --testdev: the test device at TESTDEV_BASE */
	struct vmm_disk disks[MAX_DISKS];	/* --disk FILE[,ro] (virtio-blk) */
	unsigned int nr_disks;
	bool rng;			/* --rng: virtio-rng */
	struct vmm_9p p9[MAX_9P];	/* --9p DIR,TAG[,ro] (virtio-9p) */
	unsigned int nr_9p;
	bool virtio_console;		/* --console virtio: input to virtio-console */
	struct vmm_net net;		/* --network */
	int virtio_transport;		/* enum virtio_transport */
	enum mmio_policy policy;
	uint64_t memory_errors[MAX_MEMORY_ERRORS];
	unsigned int nr_memory_errors;
	unsigned long timeout_s;	/* 0: none */
	struct timespec deadline;	/* CLOCK_MONOTONIC: vmm's start + timeout_s */
};

/* Kernel parameters unless --nodefaults; --params come after them. */
#define DEFAULT_BOOTARGS	"console=ttyS0 earlycon=uart8250,mmio,0x1000000"
/* strlen of the bootargs (defaults, a blank, --params) */
size_t bootargs_len(const struct vmm_config *cfg);

extern enum log_level vmm_log_level;

/* Called before a message is written (the console's held output first), or NULL. */
extern void (*log_before_write)(void);
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Diagnostics for the user on the console (stderr), whatever the log level. */
void pr_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A message a guest can trigger as often as it likes is rate-limited per
 * site (vmm/log.c, docs/vmm.md "Output"): the first few print, the rest are
 * counted and reported as 'N more like "..." suppressed', periodically while
 * they go on and by log_report_suppressed() at exit.  One static site per
 * kind of message: pr_warn_rl() and friends make it at the call.
 */
struct log_site {
	/* all under log.c's lock */
	char label[96];			/* first line of the last one printed */
	unsigned int printed;		/* in this burst */
	uint64_t suppressed;		/* counted since the last report */
	uint64_t reported;		/* counted and reported so far */
	uint64_t first_ns, last_ns, interval_ns;
	bool registered;
	struct log_site *next;
};
/* True if the message (@label: its text) may print now; else it is counted. */
bool log_site_allow(struct log_site *s, const char *label);
/* Report what every site still has counted (at exit). */
void log_report_suppressed(void);
void pr_site(struct log_site *s, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define pr_rl_(level, ...)	\
	pr_site(({ static struct log_site site_; &site_; }), level, __VA_ARGS__)
#define pr_err_rl(...)		pr_rl_(LOG_ERROR, __VA_ARGS__)
#define pr_warn_rl(...)		pr_rl_(LOG_WARNING, __VA_ARGS__)
#define pr_info_rl(...)		pr_rl_(LOG_INFO, __VA_ARGS__)
#define pr_debug_rl(...)	pr_rl_(LOG_DEBUG, __VA_ARGS__)

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
	uint64_t mpidr;
	/* set by whoever handled an exit that must not complete as MMIO */
	bool injected;
};

struct device;
struct gdbstub;

struct vm {
	const struct hv_ops *hv;
	struct vmm_config *cfg;
	int sys_fd;
	int vm_fd;
	int gic_fd;
	bool irqchip;
	bool gicv2;			/* the irqchip is a GICv2 (--irqchip gicv2) */
	bool el2_vhe;			/* --nested vCPUs have FEAT_VHE (ID_AA64MMFR1_EL1.VH) */
	uint32_t gic_maint_irq;		/* --nested: the GIC maintenance interrupt's INTID, or 0 */
	int its_fd;			/* the ITS device, or -1 */
	uint64_t its_base;		/* its frame (doorbell at +GITS_TRANSLATER) */
	size_t run_size;

	/* guest RAM: one private anonymous mapping (setup_ram()) */
	uint8_t *ram;
	uint64_t ram_base;
	uint64_t ram_size;
	/* the stolen-time structures, 64 bytes a vCPU (KVM_CAP_STEAL_TIME) */
	void *pvtime;

	/* --disk files and the --dump-dtb file, opened before privileges go */
	int dtb_fd;
	int disk_fd[MAX_DISKS];
	uint64_t disk_size[MAX_DISKS];
	int tap_fd;			/* --network mode=tap: until virtio-net takes it */

	struct memmap map;
	struct device *devices[MEMMAP_MAX];
	struct device *region_dev[MEMMAP_MAX];	/* by index in map.r */
	struct device *console;			/* takes console input */
	/* --virtio-transport pci: the virtio devices the PCI bridge makes, in order */
	struct { const char *device; int arg; } pci_fns[MAX_PCI_FNS];
	unsigned int nr_pci_fns;
	unsigned int nr_devices;
	pthread_mutex_t mmio_lock;

	struct vcpu vcpus[MAX_VCPUS];
	unsigned int nr_vcpus;

	/*
	 * KVM_CAP_COALESCED_MMIO's ring (in vCPU 0's kvm_run mapping), or
	 * NULL; its entries and its count of writes under coalesced_lock.
	 */
	struct kvm_coalesced_mmio_ring *coalesced;
	unsigned int coalesced_max;
	pthread_mutex_t coalesced_lock;
	uint64_t coalesced_writes;
	/* drains the ring every 10 ms once a zone exists (mmio.c) */
	pthread_t coalesced_flusher;
	bool coalesced_flusher_on;
	atomic_bool coalesced_stop;

	/* what the boot protocol needs */
	uint64_t entry;
	uint64_t dtb_addr;
	uint64_t initrd_start, initrd_end;

	/* capabilities found */
	bool cap_nisv, cap_sea, cap_ext_dabt, cap_serror_esr, cap_guest_debug;
	/* what was turned on: SEA exits to user space; the backend poisoned
	 * the pages of cfg->memory_errors; KVM_CAP_ARM_MTE */
	bool sea_to_user_on, memory_errors_on, mte_on;

	/* run control, under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_bool stopping;
	int exit_status;
	atomic_bool paused;
	unsigned int parked;
	unsigned int running;		/* vCPU threads in their loop */
	int step_vcpu;			/* vCPU allowed to single-step while paused */
	bool step_done;
	bool monitor_active;
	bool monitor_by_policy;
	int monitor_vcpu;
	bool console_eof;
	struct gdbstub *gdb;		/* --gdb: the stub (gdbstub.c) */
};

/* Run control (vcpu.c) */
/* End the run with @status; the first caller wins. */
void vm_stop(struct vm *vm, int status);
/* Pause every vCPU outside KVM_RUN and wait until they are parked. */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
/* Make @vcpu leave KVM_RUN soon (immediate_exit + signal). */
void vcpu_kick(struct vcpu *vcpu);
int vcpu_start(struct vcpu *vcpu);
void vcpu_signals_init(void);
/* Block in this thread the signals meant for the process (SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT, and @extra unless 0), for a thread it is about to
 * create to inherit; the mask before in @old. */
void block_process_signals(sigset_t *old, int extra);

/* Guest RAM access: a host pointer for [gpa, gpa+len) or NULL. */
void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len);

/* Interrupt lines of devices (SPIs, by INTID); a no-op without an irqchip. */
void vm_irq_line(struct vm *vm, int intid, int level);

/* The whole of `vmm run` once options are parsed (vm.c). */
int vm_run(struct vmm_config *cfg);
/* The VM is built: --timeout is wait_for_end()'s from here (builtin-run.c). */
void vm_setup_done(void);

#endif
