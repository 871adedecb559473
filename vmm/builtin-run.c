// SPDX-License-Identifier: GPL-2.0
/*
 * vmm run: boot a kernel or bare-metal binary.  The options are kvmtool's
 * (lkvm run) where kvmtool has one, so that lkvm command lines and the
 * kvm-unit-tests kvmtool runner work; the rest are ours.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "memmap.h"
#include "vmm.h"

#define DEFAULT_RAM_MIB		256
#define MAX_RAM_MIB		(RAM_MAX_BYTES >> 20)

enum {
	OPT_NAME = 0x100, OPT_CONSOLE, OPT_NODEFAULTS, OPT_NETWORK, OPT_LOGLEVEL,
	OPT_FIRMWARE, OPT_DUMP_DTB, OPT_DEBUG_MMIO, OPT_DEBUG_SINGLE_STEP, OPT_IRQCHIP,
	OPT_SVE_MAX_VL, OPT_AARCH32, OPT_NESTED, OPT_ACCEL, OPT_SVE_VL, OPT_NO_SVE,
	OPT_UNHANDLED_MMIO, OPT_NO_NISV, OPT_NO_SEA, OPT_INJECT_MEMORY_ERROR,
	OPT_TIMEOUT, OPT_START_PAUSED, OPT_PMU, OPT_DEBUG, OPT_TESTDEV, OPT_DISK, OPT_RNG,
	OPT_END
};

static const struct option run_opts[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "nodefaults", no_argument, NULL, OPT_NODEFAULTS },
	{ "network", required_argument, NULL, OPT_NETWORK },
	{ "loglevel", required_argument, NULL, OPT_LOGLEVEL },
	{ "firmware", required_argument, NULL, OPT_FIRMWARE },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "debug-mmio", no_argument, NULL, OPT_DEBUG_MMIO },
	{ "debug-single-step", no_argument, NULL, OPT_DEBUG_SINGLE_STEP },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "sve-max-vl", required_argument, NULL, OPT_SVE_MAX_VL },
	{ "aarch32", no_argument, NULL, OPT_AARCH32 },
	{ "nested", no_argument, NULL, OPT_NESTED },
	{ "pmu", no_argument, NULL, OPT_PMU },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "sve-vl", required_argument, NULL, OPT_SVE_VL },
	{ "no-sve", no_argument, NULL, OPT_NO_SVE },
	{ "unhandled-mmio", required_argument, NULL, OPT_UNHANDLED_MMIO },
	{ "no-nisv-to-user", no_argument, NULL, OPT_NO_NISV },
	{ "no-sea-to-user", no_argument, NULL, OPT_NO_SEA },
	{ "inject-memory-error", required_argument, NULL, OPT_INJECT_MEMORY_ERROR },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "start-paused", no_argument, NULL, OPT_START_PAUSED },
	{ "testdev", no_argument, NULL, OPT_TESTDEV },
	{ "disk", required_argument, NULL, 'd' },
	{ "rng", no_argument, NULL, OPT_RNG },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

void run_usage(FILE *f)
{
	fprintf(f,
"usage: vmm run [OPTIONS] [--kernel] FILE\n"
"\n"
"  -k, --kernel FILE        arm64 Image, or a raw binary (loaded at RAM + 0x80000)\n"
"  -i, --initrd FILE        initial ramdisk\n"
"  -p, --params STRING      kernel command line (after the defaults)\n"
"  -c, --cpus N             vCPUs (default 1); all but vCPU 0 start powered off\n"
"  -m, --mem MiB            RAM in MiB, or with a suffix M or G (default %d)\n"
"      --name NAME          a name for the guest\n"
"      --console serial|virtio\n"
"                           where console input goes (default serial; virtio:\n"
"                           a virtio-console, the guest's hvc0; the UART stays)\n"
"      --nodefaults         no default kernel parameters\n"
"      --network mode=none  networking (only none for now)\n"
"      --loglevel LEVEL     error, warning (default), info or debug\n"
"  -d, --disk FILE[,ro]     a raw disk image or block device on virtio-blk\n"
"                           (repeatable; ,ro: read-only)\n"
"      --rng                a virtio-rng device (entropy from getrandom())\n"
"      --firmware FILE      boot a raw firmware at the start of RAM instead\n"
"      --dump-dtb FILE      write the generated device tree to FILE\n"
"      --debug-mmio         trace every emulated MMIO access\n"
"      --debug-single-step  trace every instruction (KVM_GUESTDBG_SINGLESTEP)\n"
"      --irqchip gicv3      the interrupt controller (when the hypervisor has one)\n"
"      --sve-max-vl BITS    same as --sve-vl\n"
"      --aarch32, --nested  not supported yet\n"
"\n"
"      --accel auto|vkvm|kvm         the hypervisor (auto: KVM on arm64 hosts)\n"
"      --sve-vl BITS | --no-sve      SVE vector length, or no SVE\n"
"      --unhandled-mmio abort|ignore|stop|exit\n"
"                           what an access nothing emulates gets (default abort:\n"
"                           an external data abort injected into the guest)\n"
"      --no-nisv-to-user    leave syndrome-less MMIO to the hypervisor\n"
"      --no-sea-to-user     leave external aborts to the hypervisor\n"
"      --inject-memory-error GPA[,GPA...]  poison guest pages (vkvm only)\n"
"      --timeout SECONDS    end the run SECONDS after vmm started, set-up\n"
"                           included (exit status 124)\n"
"      --start-paused       start in the monitor (like QEMU -S)\n"
"      --testdev            add the test device at 0xa000000 (guest tests only,\n"
"                           like QEMU's pc-testdev; docs/vmm.md)\n"
"\n"
"Escapes on the console: Ctrl-A x quits, Ctrl-A c opens the monitor.\n"
"Exit status: the guest's test-exit value; 0 power-off, 1 setup error,\n"
"2 reset, 3 crash, 4 unhandled access (exit policy), 5 hypervisor error,\n"
"124 timeout.\n", DEFAULT_RAM_MIB);
}

static int bad(const char *opt, const char *val, const char *why)
{
	char shown[PRINTABLE_MAX];

	fprintf(stderr, "vmm: %s '%s': %s\n", opt, printable(val, shown, sizeof(shown)), why);
	return -1;
}

static int parse_mem(const char *val, uint64_t *mib)
{
	char *end, shown[PRINTABLE_MAX];
	unsigned long long v;

	/* strtoull would take blanks and a sign */
	if (!isdigit((unsigned char)*val))
		return bad("--mem", val, "expects a size in MiB (e.g. 512, 512M or 2G)");
	errno = 0;
	v = strtoull(val, &end, 10);
	if (errno == ERANGE)
		v = ULLONG_MAX;
	if (*end == 'G' || *end == 'g') {
		if (v > MAX_RAM_MIB / 1024)
			v = MAX_RAM_MIB + 1;
		else
			v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		end++;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return bad("--mem", val, "expects a size in MiB (e.g. 512, 512M or 2G)");
	if (v < 1 || v > MAX_RAM_MIB) {
		fprintf(stderr, "vmm: --mem '%s': must be from 1 to %llu MiB (the %d-bit "
			"IPA space above RAM at %#llx)\n", printable(val, shown, sizeof(shown)),
			(unsigned long long)MAX_RAM_MIB, __builtin_ctzll(IPA_LIMIT_DEFAULT),
			(unsigned long long)RAM_BASE);
		return -1;
	}
	*mib = v;
	return 0;
}

/*
 * GPA[,GPA...]: each a number (0x... for hex), none empty, at most
 * MAX_MEMORY_ERRORS; read in place, whatever the length of the list.
 */
static int parse_gpas(struct vmm_config *cfg, const char *val)
{
	const char *p = val;
	unsigned long long v;
	char *end, *tok;
	size_t n;
	int ret;

	for (;;) {
		n = strcspn(p, ",");
		if (!n)
			return bad("--inject-memory-error", val,
				   "an empty address in the list; expects GPA[,GPA...]");
		errno = 0;
		v = isdigit((unsigned char)*p) ? strtoull(p, &end, 0) : 0;
		if (!isdigit((unsigned char)*p) || errno || end != p + n) {
			tok = strndup(p, n);
			ret = bad("--inject-memory-error", tok ? tok : val,
				  "not a guest physical address");
			free(tok);
			return ret;
		}
		if (cfg->nr_memory_errors == MAX_MEMORY_ERRORS) {
			fprintf(stderr, "vmm: --inject-memory-error: at most %d addresses\n",
				MAX_MEMORY_ERRORS);
			return -1;
		}
		cfg->memory_errors[cfg->nr_memory_errors++] = v;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* --disk FILE[,ro] (lkvm: -d); the path stays in argv, cut at its length */
static int parse_disk(struct vmm_config *cfg, const char *val)
{
	const char *comma = strrchr(val, ',');
	struct vmm_disk *d;
	size_t len = strlen(val);
	bool ro = false;

	if (comma && !strcmp(comma, ",ro")) {
		ro = true;
		len = (size_t)(comma - val);
	}
	if (!len)
		return bad("--disk", val, "expects FILE or FILE,ro");
	if (len >= PATH_MAX)
		return bad("--disk", val, "a path longer than PATH_MAX");
	if (cfg->nr_disks == MAX_DISKS) {
		fprintf(stderr, "vmm: --disk: at most %d disks\n", MAX_DISKS);
		return -1;
	}
	d = &cfg->disks[cfg->nr_disks++];
	d->path = val;
	d->path_len = (int)len;
	d->ro = ro;
	return 0;
}

static int parse_sve(struct vmm_config *cfg, const char *opt, const char *val)
{
	unsigned long v;

	if (parse_sve_vl_option(opt, val, &v))
		return -1;
	cfg->sve_vl = (unsigned int)v;
	cfg->sve_vl_opt = opt;
	return 0;
}

size_t bootargs_len(const struct vmm_config *cfg)
{
	size_t d = cfg->nodefaults ? 0 : strlen(DEFAULT_BOOTARGS);
	size_t p = cfg->params ? strlen(cfg->params) : 0;

	return d + (d && p) + p;
}

void run_config_defaults(struct vmm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->accel = "auto";
	cfg->nr_cpus = 1;
	cfg->ram_mib = DEFAULT_RAM_MIB;
	cfg->nisv_to_user = true;
	cfg->sea_to_user = true;
	cfg->policy = POLICY_ABORT;
}

static const struct option *opt_of(int c)
{
	const struct option *o;

	for (o = run_opts; o->name; o++)
		if (o->val == c)
			return o;
	return NULL;
}

/*
 * Options that take a value may be given once (a second one would silently
 * override the first), except the lists --disk and --inject-memory-error;
 * --sve-vl and --sve-max-vl, --loglevel and --debug are one option each.
 */
static int once(const char **seen, int c, const char *val)
{
	char a[PRINTABLE_MAX], b[PRINTABLE_MAX];
	int slot = c == OPT_SVE_MAX_VL ? OPT_SVE_VL : c == OPT_DEBUG ? OPT_LOGLEVEL : c;

	if (seen[slot]) {
		fprintf(stderr, "vmm: --%s given twice ('%s', then '%s'); give it once\n",
			opt_of(slot)->name, printable(seen[slot], a, sizeof(a)),
			printable(val ? val : "--debug", b, sizeof(b)));
		return -1;
	}
	seen[slot] = val ? val : "--debug";
	return 0;
}

/* 0: run; 1: done (help printed); -1: bad option (message printed). */
int run_parse_options(int argc, char **argv, struct vmm_config *cfg)
{
	const char *seen[OPT_END] = { 0 };
	char shown[PRINTABLE_MAX];
	unsigned long v;
	int c;

	run_config_defaults(cfg);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:i:p:c:m:d:h", run_opts, NULL)) != -1) {
		const struct option *o = opt_of(c);

		if (o && c != 'd' && c != OPT_INJECT_MEMORY_ERROR &&
		    (o->has_arg == required_argument || c == OPT_DEBUG) &&
		    once(seen, c, c == OPT_DEBUG ? NULL : optarg))
			return -1;
		switch (c) {
		case 'k':
			cfg->kernel = optarg;
			break;
		case 'i':
			cfg->initrd = optarg;
			break;
		case 'p':
			cfg->params = optarg;
			break;
		case 'c':
			if (parse_uint_option("--cpus", optarg, 1, MAX_VCPUS, &v))
				return -1;
			cfg->nr_cpus = (unsigned int)v;
			break;
		case 'm':
			if (parse_mem(optarg, &cfg->ram_mib))
				return -1;
			break;
		case OPT_NAME:
			cfg->name = optarg;
			break;
		case OPT_CONSOLE:
			if (!strcmp(optarg, "serial")) {
				cfg->virtio_console = false;
				break;
			}
			if (!strcmp(optarg, "virtio")) {
				cfg->virtio_console = true;
				break;
			}
			if (!strcmp(optarg, "hv"))
				return bad("--console", optarg, "not supported yet (serial or virtio)");
			return bad("--console", optarg, "expected serial or virtio");
		case OPT_NODEFAULTS:
			cfg->nodefaults = true;
			break;
		case OPT_NETWORK:
			if (!strcmp(optarg, "mode=none") || !strcmp(optarg, "none"))
				break;
			return bad("--network", optarg, "not supported yet (only mode=none)");
		case OPT_LOGLEVEL:
			if (!strcmp(optarg, "error"))
				vmm_log_level = LOG_ERROR;
			else if (!strcmp(optarg, "warning"))
				vmm_log_level = LOG_WARNING;
			else if (!strcmp(optarg, "info"))
				vmm_log_level = LOG_INFO;
			else if (!strcmp(optarg, "debug"))
				vmm_log_level = LOG_DEBUG;
			else
				return bad("--loglevel", optarg, "expected error, warning, info or debug");
			break;
		case OPT_DEBUG:
			vmm_log_level = LOG_DEBUG;
			break;
		case OPT_FIRMWARE:
			cfg->firmware = optarg;
			break;
		case OPT_DUMP_DTB:
			cfg->dump_dtb = optarg;
			break;
		case OPT_DEBUG_MMIO:
			cfg->debug_mmio = true;
			break;
		case OPT_DEBUG_SINGLE_STEP:
			cfg->debug_single_step = true;
			break;
		case OPT_IRQCHIP:
			if (!strcmp(optarg, "gicv3") || !strcmp(optarg, "auto"))
				break;
			if (!strcmp(optarg, "gicv2") || !strcmp(optarg, "gicv2m") ||
			    !strcmp(optarg, "gicv3-its"))
				return bad("--irqchip", optarg, "not supported yet (gicv3 only)");
			return bad("--irqchip", optarg, "expected gicv3");
		case OPT_SVE_MAX_VL:
			if (parse_sve(cfg, "--sve-max-vl", optarg))
				return -1;
			break;
		case OPT_SVE_VL:
			if (parse_sve(cfg, "--sve-vl", optarg))
				return -1;
			break;
		case OPT_NO_SVE:
			cfg->no_sve = true;
			break;
		case OPT_AARCH32:
			fprintf(stderr, "vmm: --aarch32: not supported yet\n");
			return -1;
		case OPT_NESTED:
			fprintf(stderr, "vmm: --nested: not supported yet\n");
			return -1;
		case OPT_PMU:
			fprintf(stderr, "vmm: --pmu: not supported yet\n");
			return -1;
		case OPT_ACCEL:
			if (strcmp(optarg, "auto") && strcmp(optarg, "vkvm") && strcmp(optarg, "kvm"))
				return bad("--accel", optarg, "expected auto, vkvm or kvm");
			cfg->accel = optarg;
			break;
		case OPT_UNHANDLED_MMIO:
			if (!strcmp(optarg, "abort"))
				cfg->policy = POLICY_ABORT;
			else if (!strcmp(optarg, "ignore"))
				cfg->policy = POLICY_IGNORE;
			else if (!strcmp(optarg, "stop"))
				cfg->policy = POLICY_STOP;
			else if (!strcmp(optarg, "exit"))
				cfg->policy = POLICY_EXIT;
			else
				return bad("--unhandled-mmio", optarg,
					   "expected abort, ignore, stop or exit");
			break;
		case OPT_NO_NISV:
			cfg->nisv_to_user = false;
			break;
		case OPT_NO_SEA:
			cfg->sea_to_user = false;
			break;
		case OPT_INJECT_MEMORY_ERROR:
			if (parse_gpas(cfg, optarg))
				return -1;
			break;
		case OPT_TIMEOUT:
			if (parse_uint_option("--timeout", optarg, 0, TIMEOUT_MAX_S, &v))
				return -1;
			cfg->timeout_s = v;
			break;
		case OPT_START_PAUSED:
			cfg->start_paused = true;
			break;
		case OPT_TESTDEV:
			cfg->testdev = true;
			break;
		case 'd':
		case OPT_DISK:
			if (parse_disk(cfg, optarg))
				return -1;
			break;
		case OPT_RNG:
			cfg->rng = true;
			break;
		case 'h':
			run_usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "vmm run: %s needs a value\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return -1;
		default:
			if (optopt && optopt < 0x100 && argv[optind - 1][1] != '-') {
				char o[2] = { (char)optopt, 0 };

				fprintf(stderr, "vmm run: unknown option '-%s'; see 'vmm run --help'\n",
					printable(o, shown, sizeof(shown)));
			} else {
				fprintf(stderr, "vmm run: unknown option '%s'; see 'vmm run --help'\n",
					printable(argv[optind - 1], shown, sizeof(shown)));
			}
			return -1;
		}
	}
	/* lkvm takes the kernel as a plain argument too */
	if (optind < argc && !cfg->kernel && !cfg->firmware)
		cfg->kernel = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "vmm run: unexpected argument '%s'\n",
			printable(argv[optind], shown, sizeof(shown)));
		return -1;
	}
	if (cfg->sve_vl && cfg->no_sve) {
		fprintf(stderr, "vmm: %s and --no-sve exclude each other\n", cfg->sve_vl_opt);
		return -1;
	}
	if (cfg->firmware && cfg->kernel) {
		fprintf(stderr, "vmm: --firmware and --kernel exclude each other\n");
		return -1;
	}
	if (!cfg->kernel && !cfg->firmware) {
		fprintf(stderr, "vmm run: no kernel; give one with --kernel FILE\n");
		return -1;
	}
	if (cfg->firmware && cfg->initrd) {
		fprintf(stderr, "vmm: --initrd needs --kernel, not --firmware\n");
		return -1;
	}
	if (bootargs_len(cfg) >= CMDLINE_MAX) {
		fprintf(stderr, "vmm: --params: the kernel command line would be %zu bytes; "
			"arm64 Linux takes at most %d (COMMAND_LINE_SIZE)\n", bootargs_len(cfg),
			CMDLINE_MAX - 1);
		return -1;
	}
	for (unsigned int i = 0; i < cfg->nr_memory_errors; i++) {
		uint64_t gpa = cfg->memory_errors[i];

		if (gpa < RAM_BASE || gpa - RAM_BASE >= cfg->ram_mib << 20) {
			fprintf(stderr, "vmm: --inject-memory-error %#llx: not in guest RAM "
				"(%#llx-%#llx)\n", (unsigned long long)gpa,
				(unsigned long long)RAM_BASE,
				(unsigned long long)(RAM_BASE + (cfg->ram_mib << 20) - 1));
			return -1;
		}
	}
	return 0;
}

/*
 * --timeout bounds the whole run.  Until the guest starts a watchdog ends
 * a set-up still going at the deadline (a file system that hangs a read,
 * a hypervisor that hangs an ioctl); from then on wait_for_end() (vm.c)
 * stops the guest cleanly.  Nothing to restore yet: the terminal goes raw
 * only after vm_setup_done().
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	struct timespec deadline;
	char msg[96];
} watch = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *setup_watchdog(void *arg)
{
	pthread_mutex_lock(&watch.lock);
	while (!watch.done)
		if (pthread_cond_timedwait(&watch.cond, &watch.lock, &watch.deadline) == ETIMEDOUT)
			break;
	if (!watch.done) {
		ssize_t n = write(STDERR_FILENO, watch.msg, strlen(watch.msg));

		(void)n;
		_exit(VMM_EXIT_TIMEOUT);
	}
	pthread_mutex_unlock(&watch.lock);
	return NULL;
}

void vm_setup_done(void)
{
	pthread_mutex_lock(&watch.lock);
	watch.done = true;
	pthread_cond_broadcast(&watch.cond);
	pthread_mutex_unlock(&watch.lock);
}

static int start_watchdog(const struct vmm_config *cfg)
{
	pthread_condattr_t ca;
	pthread_t t;
	int ret;

	snprintf(watch.msg, sizeof(watch.msg), "vmm: --timeout %lu: set-up is still going; "
		 "giving up\n", cfg->timeout_s);
	watch.deadline = cfg->deadline;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&watch.cond, &ca);
	pthread_condattr_destroy(&ca);
	ret = pthread_create(&t, NULL, setup_watchdog, NULL);
	if (ret) {
		fprintf(stderr, "vmm: --timeout: cannot start its thread: %s\n", strerror(ret));
		return -1;
	}
	pthread_detach(t);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct vmm_config cfg;
	struct timespec start;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	r = run_parse_options(argc, argv, &cfg);
	if (r)
		return r > 0 ? 0 : VMM_EXIT_SETUP;
	if (cfg.timeout_s) {
		cfg.deadline = start;
		cfg.deadline.tv_sec += (time_t)cfg.timeout_s;
		if (start_watchdog(&cfg) < 0)
			return VMM_EXIT_SETUP;
	}
	return vm_run(&cfg);
}
