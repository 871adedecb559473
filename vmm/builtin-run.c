// SPDX-License-Identifier: GPL-2.0
/*
 * vmm run: boot a kernel or bare-metal binary.  The options are kvmtool's
 * (lkvm run) where kvmtool has one, so that lkvm command lines and the
 * kvm-unit-tests kvmtool runner work; the rest are ours.  Each is one row
 * of run_options[], from which options.c makes the parser and the help.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "builtin.h"
#include "gdbstub.h"
#include "memmap.h"
#include "options.h"
#include "vmm.h"

#define DEFAULT_RAM_MIB		256
#define MAX_RAM_MIB		(RAM_MAX_BYTES >> 20)
#define STR_(x)			#x
#define STR(x)			STR_(x)

static int bad(const char *opt, const char *val, const char *why)
{
	char shown[PRINTABLE_MAX];

	fprintf(stderr, "vmm: %s '%s': %s\n", opt, printable(val, shown, sizeof(shown)), why);
	return -1;
}

/* ---- the values that want more than a table row says ---------------------- */

static int parse_mem(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	char *end, shown[PRINTABLE_MAX];
	unsigned long long v;

	/* strtoull would take blanks and a sign */
	if (!isdigit((unsigned char)*val))
		return bad(o->flag, val, "expects a size in MiB (e.g. 512, 512M or 2G)");
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
		return bad(o->flag, val, "expects a size in MiB (e.g. 512, 512M or 2G)");
	if (v < 1 || v > MAX_RAM_MIB) {
		fprintf(stderr, "vmm: %s '%s': must be from 1 to %llu MiB (the %d-bit "
			"IPA space above RAM at %#llx)\n", o->flag, printable(val, shown, sizeof(shown)),
			(unsigned long long)MAX_RAM_MIB, __builtin_ctzll(IPA_LIMIT_DEFAULT),
			(unsigned long long)RAM_BASE);
		return -1;
	}
	cfg->ram_mib = v;
	return 0;
}

/*
 * GPA[,GPA...]: each a number (0x... for hex), none empty, at most
 * MAX_MEMORY_ERRORS; read in place, whatever the length of the list.
 */
static int parse_gpas(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	const char *p = val;
	unsigned long long v;
	char *end, *tok;
	size_t n;
	int ret;

	for (;;) {
		n = strcspn(p, ",");
		if (!n)
			return bad(o->flag, val, "an empty address in the list; expects GPA[,GPA...]");
		errno = 0;
		v = isdigit((unsigned char)*p) ? strtoull(p, &end, 0) : 0;
		if (!isdigit((unsigned char)*p) || errno || end != p + n) {
			tok = strndup(p, n);
			ret = bad(o->flag, tok ? tok : val, "not a guest physical address");
			free(tok);
			return ret;
		}
		if (cfg->nr_memory_errors == MAX_MEMORY_ERRORS) {
			fprintf(stderr, "vmm: %s: at most %d addresses\n", o->flag, MAX_MEMORY_ERRORS);
			return -1;
		}
		cfg->memory_errors[cfg->nr_memory_errors++] = v;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* --disk FILE[,ro] (lkvm: -d); the path stays in argv, cut at its length */
static int parse_disk(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	const char *comma = strrchr(val, ',');
	struct vmm_disk *d;
	size_t len = strlen(val);
	bool ro = false;

	if (comma && !strcmp(comma, ",ro")) {
		ro = true;
		len = (size_t)(comma - val);
	}
	if (!len)
		return bad(o->flag, val, "expects FILE or FILE,ro");
	if (len >= PATH_MAX)
		return bad(o->flag, val, "a path longer than PATH_MAX");
	if (cfg->nr_disks == MAX_DISKS) {
		fprintf(stderr, "vmm: %s: at most %d disks\n", o->flag, MAX_DISKS);
		return -1;
	}
	d = &cfg->disks[cfg->nr_disks++];
	d->path = val;
	d->path_len = (int)len;
	d->ro = ro;
	return 0;
}

/*
 * --9p DIR,TAG[,ro] (lkvm's): DIR may hold commas, so TAG is cut from the
 * right; the directory must exist now (opened when the device is made).
 */
static int parse_9p(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	size_t len = strlen(val), tag_len, i;
	char dir[PATH_MAX], shown[PRINTABLE_MAX];
	const char *comma, *tag;
	struct vmm_9p *p;
	struct stat st;
	bool ro = false;

	if (len > 3 && !strcmp(val + len - 3, ",ro")) {
		ro = true;
		len -= 3;
	}
	comma = memrchr(val, ',', len);
	if (!comma)
		return bad(o->flag, val, "expects DIR,TAG or DIR,TAG,ro");
	tag = comma + 1;
	tag_len = len - (size_t)(tag - val);
	len = (size_t)(comma - val);
	if (!len || !tag_len)
		return bad(o->flag, val, "expects DIR,TAG or DIR,TAG,ro (neither empty)");
	if (tag_len > VIRTIO_9P_TAG_MAX_BYTES)
		return bad(o->flag, val, "a tag longer than " STR(VIRTIO_9P_TAG_MAX_BYTES) " bytes");
	for (i = 0; i < tag_len; i++)
		if (!isgraph((unsigned char)tag[i]))
			return bad(o->flag, val, "a tag of printable characters, no blanks");
	if (len >= sizeof(dir))
		return bad(o->flag, val, "a path longer than PATH_MAX");
	memcpy(dir, val, len);
	dir[len] = '\0';
	if (stat(dir, &st) < 0) {
		fprintf(stderr, "vmm: %s '%s': %s\n", o->flag, printable(dir, shown, sizeof(shown)),
			strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return bad(o->flag, val, "not a directory");
	for (i = 0; i < cfg->nr_9p; i++)
		if (strlen(cfg->p9[i].tag) == tag_len && !memcmp(cfg->p9[i].tag, tag, tag_len))
			return bad(o->flag, val, "a tag given twice (the guest mounts by tag)");
	if (cfg->nr_9p == MAX_9P) {
		fprintf(stderr, "vmm: %s: at most %d shared directories\n", o->flag, MAX_9P);
		return -1;
	}
	p = &cfg->p9[cfg->nr_9p++];
	p->dir = val;
	p->dir_len = (int)len;
	memcpy(p->tag, tag, tag_len);
	p->tag[tag_len] = '\0';
	p->ro = ro;
	return 0;
}

/* --sve-vl and lkvm's --sve-max-vl: the spelling given is kept for messages */
static int parse_sve(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	unsigned long v;

	if (parse_sve_vl_option(o->flag, val, &v))
		return -1;
	cfg->sve_vl = (unsigned int)v;
	cfg->sve_vl_opt = o->flag;
	return 0;
}

static int parse_accel(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;

	if (parse_accel_option(val))
		return -1;
	cfg->accel = val;
	return 0;
}

/* a port, 1..65535, from [p, p + n) */
static bool parse_port(const char *p, size_t n, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (!n || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (!v || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* an IPv4 address from [p, p + n); empty: 0 (the default) */
static bool parse_ipv4(const char *p, size_t n, uint32_t *addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	*addr = 0;
	if (!n)
		return true;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	*addr = a.s_addr;
	return true;
}

/* QEMU's hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, [p, p + n) */
static bool parse_hostfwd(const char *p, size_t n, struct vmm_hostfwd *f)
{
	const char *end = p + n, *c1, *dash, *c2;

	memset(f, 0, sizeof(*f));
	c1 = memchr(p, ':', n);
	if (!c1)
		return false;
	if (c1 - p == 3 && !strncmp(p, "udp", 3))
		f->udp = true;
	else if (c1 != p && !(c1 - p == 3 && !strncmp(p, "tcp", 3)))
		return false;
	p = c1 + 1;
	dash = memchr(p, '-', (size_t)(end - p));
	if (!dash)
		return false;
	c1 = memchr(p, ':', (size_t)(dash - p));
	c2 = memchr(dash + 1, ':', (size_t)(end - dash - 1));
	if (!c1 || !c2)
		return false;
	return parse_ipv4(p, (size_t)(c1 - p), &f->host_addr) &&
	       parse_port(c1 + 1, (size_t)(dash - c1 - 1), &f->host_port) &&
	       parse_ipv4(dash + 1, (size_t)(c2 - dash - 1), &f->guest_addr) &&
	       parse_port(c2 + 1, (size_t)(end - c2 - 1), &f->guest_port);
}

/* six hex bytes separated by ':', unicast */
static bool parse_mac(const char *p, size_t n, uint8_t mac[6])
{
	unsigned int i, v;
	char buf[18];

	if (n != 17)
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)buf[3 * i]) || !isxdigit((unsigned char)buf[3 * i + 1]) ||
		    (i < 5 && buf[3 * i + 2] != ':'))
			return false;
		sscanf(buf + 3 * i, "%2x", &v);
		mac[i] = (uint8_t)v;
	}
	return !(mac[0] & 1);
}

/*
 * lkvm's --network (-n) KEY=VALUE[,...]: mode=user|tap|none (mode first,
 * or anywhere), tapif=NAME (tap), guest_mac=MAC, and QEMU's hostfwd=...
 * (user; repeatable).  Read in place; one line on an error.
 */
static int parse_network(void *dst, const struct cli_option *o, const char *val)
{
	static const uint8_t default_mac[6] = NET_DEFAULT_MAC;
	struct vmm_config *cfg = dst;
	struct vmm_net *net = &cfg->net;
	const char *p = val, *eq, *v;
	bool have_mode = false;
	size_t n, k, vn;

	memset(net, 0, sizeof(*net));
	memcpy(net->mac, default_mac, 6);
	if (!strcmp(val, "none"))
		return 0;
	for (;;) {
		n = strcspn(p, ",");
		eq = memchr(p, '=', n);
		if (!eq)
			return bad(o->flag, val, "expects KEY=VALUE[,...]: mode=user|tap|none, "
				   "tapif=NAME, guest_mac=MAC, hostfwd=...");
		k = (size_t)(eq - p);
		v = eq + 1;
		vn = n - k - 1;
#define KEY(s)	(k == sizeof(s) - 1 && !strncmp(p, s, k))
#define VAL(s)	(vn == sizeof(s) - 1 && !strncmp(v, s, vn))
		if (KEY("mode")) {
			if (VAL("user"))
				net->mode = NET_MODE_USER;
			else if (VAL("tap"))
				net->mode = NET_MODE_TAP;
			else if (VAL("none"))
				net->mode = NET_MODE_NONE;
			else
				return bad(o->flag, val, "mode= expects user, tap or none");
			have_mode = true;
		} else if (KEY("tapif")) {
			if (!vn || vn >= sizeof(net->tapif) || memchr(v, '/', vn))
				return bad(o->flag, val, "tapif= expects an interface name of 1 to 15 "
					   "characters");
			memcpy(net->tapif, v, vn);
			net->tapif[vn] = 0;
		} else if (KEY("guest_mac")) {
			if (!parse_mac(v, vn, net->mac))
				return bad(o->flag, val, "guest_mac= expects a unicast MAC, "
					   "XX:XX:XX:XX:XX:XX");
		} else if (KEY("hostfwd")) {
			if (net->nr_fwd == MAX_HOSTFWD)
				return bad(o->flag, val, "at most " STR(MAX_HOSTFWD) " hostfwd=");
			if (!parse_hostfwd(v, vn, &net->fwd[net->nr_fwd]))
				return bad(o->flag, val, "hostfwd= expects [tcp|udp]:[HOSTADDR]:"
					   "HOSTPORT-[GUESTADDR]:GUESTPORT");
			net->nr_fwd++;
		} else if (KEY("guest_ip") || KEY("host_ip") || KEY("host_mac") || KEY("script") ||
			   KEY("vhost") || KEY("fd") || KEY("trans")) {
			return bad(o->flag, val, "that key of lkvm's is not supported yet "
				   "(mode, tapif, guest_mac, hostfwd are)");
		} else {
			return bad(o->flag, val, "unknown key (mode, tapif, guest_mac, hostfwd)");
		}
#undef KEY
#undef VAL
		if (!p[n])
			break;
		p += n + 1;
	}
	if (!have_mode)
		return bad(o->flag, val, "needs mode=user, mode=tap or mode=none");
	if (net->nr_fwd && net->mode != NET_MODE_USER)
		return bad(o->flag, val, "hostfwd= needs mode=user");
	if (net->tapif[0] && net->mode != NET_MODE_TAP)
		return bad(o->flag, val, "tapif= needs mode=tap");
	return 0;
}

/* --gdb: checked here, opened once the VM is made (gdbstub.c) */
static int parse_gdb(void *dst, const struct cli_option *o, const char *val)
{
	struct vmm_config *cfg = dst;
	struct sockaddr_in sa;
	char why[128];

	if (gdbstub_parse_addr(val, &sa, why, sizeof(why)) < 0)
		return bad(o->flag, val, why);
	cfg->gdb = val;
	return 0;
}

bool vmm_as_lkvm;

/* ---- the table ----------------------------------------------------------- */

static const struct opt_word console_words[] = {
	{ "serial", false, 0, NULL }, { "virtio", true, 0, NULL },
	{ "hv", 0, OPT_WORD_UNSUPPORTED, NULL }, { 0 },
};

static const struct opt_word loglevel_words[] = {
	{ "error", LOG_ERROR, 0, NULL }, { "warning", LOG_WARNING, 0, NULL },
	{ "info", LOG_INFO, 0, NULL }, { "debug", LOG_DEBUG, 0, NULL }, { 0 },
};

static const struct opt_word irqchip_words[] = {
	{ "gicv3", IRQCHIP_GICV3, 0, NULL }, { "auto", IRQCHIP_GICV3, OPT_WORD_HIDDEN, NULL },
	{ "gicv2", IRQCHIP_GICV2, 0, NULL }, { "gicv3-its", IRQCHIP_GICV3_ITS, 0, NULL },
	{ "gicv2m", 0, OPT_WORD_UNSUPPORTED, NULL }, { 0 },
};

/* kvmtool's legacy words: virtio 0.9.5 devices, which only pre-4.0 Linux needs */
#define NO_LEGACY "legacy (pre-1.0) virtio is not emulated; use pci or mmio, " \
		  "whose virtio 1.x devices Linux drives since 4.0"

static const struct opt_word transport_words[] = {
	{ "pci", VIRTIO_TRANSPORT_PCI, 0, NULL }, { "mmio", VIRTIO_TRANSPORT_MMIO, 0, NULL },
	{ "pci-legacy", 0, OPT_WORD_UNSUPPORTED, NO_LEGACY },
	{ "mmio-legacy", 0, OPT_WORD_UNSUPPORTED, NO_LEGACY },
	{ 0 },
};

static const struct opt_word policy_words[] = {
	{ "abort", POLICY_ABORT, 0, NULL }, { "ignore", POLICY_IGNORE, 0, NULL },
	{ "stop", POLICY_STOP, 0, NULL }, { "exit", POLICY_EXIT, 0, NULL }, { 0 },
};

#define OPT_CONFIG	struct vmm_config

static const struct cli_option run_options[] = {
	/* lkvm run's */
	OPT_STR('k', "kernel", kernel, "FILE",
		"arm64 Image, or a raw binary (loaded at RAM + 0x80000)"),
	OPT_STR('i', "initrd", initrd, "FILE", "initial ramdisk"),
	OPT_STR('p', "params", params, "STRING", "kernel command line (after the defaults)"),
	OPT_NUM('c', "cpus", nr_cpus, "N", 1, MAX_VCPUS,
		"vCPUs (default 1); all but vCPU 0 start powered off"),
	OPT_CALL('m', "mem", "MiB", parse_mem,
		 "RAM in MiB, or with a suffix M or G (default " STR(DEFAULT_RAM_MIB) ")"),
	OPT_STR(0, "name", name, "NAME", "a name for the guest"),
	OPT_WORDS(0, "console", virtio_console, "serial|virtio", console_words,
		  "where console input goes (default serial; virtio:\n"
		  "a virtio-console, the guest's hvc0; the UART stays)"),
	OPT_BOOL(0, "nodefaults", nodefaults, true, "no default kernel parameters"),
	OPT_CALL('n', "network", "mode=user|tap|none[,...]", parse_network,
		 "a virtio-net NIC: user (libslirp: 10.0.2.0/24, DHCP,\n"
		 "DNS, the host at 10.0.2.2; hostfwd=tcp:[ADDR]:PORT-:PORT\n"
		 "forwards a host port), tap (tapif=NAME), none (default)"),
	OPT_WORDS(0, "loglevel", log_level, "LEVEL", loglevel_words,
		  "error, warning (default), info or debug"),
	OPT_BOOL(0, "debug", log_level, LOG_DEBUG, "same as --loglevel debug",
		 OPT_SAME_AS("loglevel")),
	OPT_CALL('d', "disk", "FILE[,ro]", parse_disk,
		 "a raw disk image or block device on virtio-blk\n"
		 "(repeatable; ,ro: read-only)", OPT_LIST),
	OPT_CALL(0, "9p", "DIR,TAG[,ro]", parse_9p,
		 "share the host directory DIR on virtio-9p, mounted\n"
		 "by the guest as TAG (repeatable; ,ro: read-only)", OPT_LIST),
	OPT_BOOL(0, "rng", rng, true, "a virtio-rng device (entropy from getrandom())"),
	OPT_STR(0, "firmware", firmware, "FILE",
		"boot a raw firmware at the start of RAM instead"),
	OPT_STR(0, "dump-dtb", dump_dtb, "FILE", "write the generated device tree to FILE"),
	OPT_BOOL(0, "debug-mmio", debug_mmio, true, "trace every emulated MMIO access"),
	OPT_BOOL(0, "debug-single-step", debug_single_step, true,
		 "trace every instruction (KVM_GUESTDBG_SINGLESTEP)"),
	OPT_WORDS(0, "irqchip", irqchip, "gicv3|gicv3-its|gicv2", irqchip_words,
		  "the interrupt controller (gicv3: when the hypervisor has\n"
		  "one; gicv3-its adds an ITS for MSIs; gicv2: at most 8 vCPUs)"),
	OPT_CALL(0, "sve-max-vl", "BITS", parse_sve, "same as --sve-vl", OPT_SAME_AS("sve-vl")),
	OPT_NO("aarch32", "not supported yet"),
	OPT_BOOL(0, "nested", nested, true,
		 "vCPUs with EL2 (nested virtualization), starting\n"
		 "there; PSCI over SMC (vkvm: docs/nested.md says\n"
		 "what is not done)"),
	OPT_BOOL(0, "e2h0", e2h0, true,
		 "with --nested: EL2 without VHE (HCR_EL2.E2H RES0)"),
	OPT_BOOL(0, "pmu", pmu, true, "create a PMUv3 for each vCPU"),
	OPT_BOOL(0, "disable-mte", mte_disabled, true,
		 "no Memory Tagging Extension (else on when the\n"
		 "hypervisor offers KVM_CAP_ARM_MTE)"),
	OPT_WORDS(0, "virtio-transport", virtio_transport, "pci|mmio", transport_words,
		  "the virtio devices' transport (default pci:\n"
		  "virtio-pci behind an ECAM host bridge, MSI-X through\n"
		  "the ITS with --irqchip gicv3-its, else INTx; mmio:\n"
		  "virtio-mmio slots from 0x3000000)"),
	OPT_BOOL(0, "force-pci", virtio_transport, VIRTIO_TRANSPORT_PCI,
		 "same as --virtio-transport pci", OPT_SAME_AS("virtio-transport")),
	OPT_BREAK(),
	/* ours */
	OPT_CALL(0, "accel", "auto|vkvm|kvm", parse_accel,
		 "the hypervisor (auto: KVM on arm64 hosts)"),
	OPT_CALL(0, "sve-vl", "BITS", parse_sve,
		 "SVE vector length in bits (default: the hypervisor's)"),
	OPT_BOOL(0, "no-sve", no_sve, true, "no SVE"),
	OPT_BOOL(0, "jit", jit, true,
		 "vkvm: run hot guest code translated to x86-64 (the\n"
		 "block translator; the default unless VKVM_JIT=0)"),
	OPT_BOOL(0, "no-jit", no_jit, true, "vkvm: interpret only, whatever VKVM_JIT says"),
	OPT_WORDS(0, "unhandled-mmio", policy, "abort|ignore|stop|exit", policy_words,
		  "what an access nothing emulates gets (default abort:\n"
		  "an external data abort injected into the guest; invoked\n"
		  "as lkvm, ignore, reported only with --debug-mmio)"),
	OPT_BOOL(0, "no-nisv-to-user", nisv_to_user, false,
		 "leave syndrome-less MMIO to the hypervisor"),
	OPT_BOOL(0, "no-sea-to-user", sea_to_user, false,
		 "leave external aborts to the hypervisor"),
	OPT_CALL(0, "inject-memory-error", "GPA[,GPA...]", parse_gpas,
		 "poison guest pages (vkvm only)", OPT_LIST),
	OPT_NUM(0, "timeout", timeout_s, "SECONDS", 0, TIMEOUT_MAX_S,
		"end the run SECONDS after vmm started, set-up\n"
		"included (exit status 124)"),
	OPT_BOOL(0, "start-paused", start_paused, true,
		 "start in the monitor (like QEMU -S); with --gdb the\n"
		 "vCPUs wait for the debugger's first continue or step"),
	OPT_CALL(0, "gdb", "[tcp:][HOST:]PORT", parse_gdb,
		 "a GDB remote stub on HOST (default 127.0.0.1),\n"
		 "PORT (0: any free one, printed)"),
	OPT_BOOL('s', "gdb-default", gdb_default, true, "same as --gdb " GDB_DEFAULT_ADDR
		 " (QEMU's -s)"),
	OPT_BOOL(0, "testdev", testdev, true,
		 "add the test device at 0xa000000 (guest tests only,\n"
		 "like QEMU's pc-testdev; docs/vmm.md)"),
	OPT_HELPS('h', "help", "this text"),
};

static const struct cli_command run_command = {
	.name = "vmm run",
	.usage = "usage: vmm run [OPTIONS] [--kernel] FILE",
	.footer = "Escapes on the console: Ctrl-A x quits, Ctrl-A c opens the monitor.\n"
		  "Exit status: the guest's test-exit value; 0 power-off, 1 setup error,\n"
		  "2 reset, 3 crash, 4 unhandled access (exit policy), 5 hypervisor error,\n"
		  "124 timeout.\n",
	.opts = run_options,
	.nr_opts = sizeof(run_options) / sizeof(run_options[0]),
};

void run_usage(FILE *f)
{
	cli_usage(&run_command, f);
}

/* ---- the steps of run_parse_options -------------------------------------- */

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
	/* kvmtool ignores an access no device claims (kvm__emulate_mmio) */
	cfg->policy = vmm_as_lkvm ? POLICY_LKVM : POLICY_ABORT;
	cfg->log_level = LOG_WARNING;
	/* kvmtool's arm64 default since its --virtio-transport (2023) */
	cfg->virtio_transport = VIRTIO_TRANSPORT_PCI;
}

/* lkvm takes the kernel as a plain argument too; nothing else is one */
static int take_operands(int argc, char **argv, struct vmm_config *cfg)
{
	char shown[PRINTABLE_MAX];

	if (optind < argc && !cfg->kernel && !cfg->firmware)
		cfg->kernel = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "vmm run: unexpected argument '%s'\n",
			printable(argv[optind], shown, sizeof(shown)));
		return -1;
	}
	return 0;
}

/* the options that exclude or need each other */
static int check_combinations(const struct vmm_config *cfg)
{
	if (cfg->sve_vl && cfg->no_sve) {
		fprintf(stderr, "vmm: %s and --no-sve exclude each other\n", cfg->sve_vl_opt);
		return -1;
	}
	if (cfg->jit && cfg->no_jit) {
		fprintf(stderr, "vmm: --jit and --no-jit exclude each other\n");
		return -1;
	}
	if (cfg->e2h0 && !cfg->nested) {
		fprintf(stderr, "vmm: --e2h0 needs --nested\n");
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
	if (cfg->gdb && cfg->gdb_default) {
		fprintf(stderr, "vmm: --gdb and -s exclude each other\n");
		return -1;
	}
	if (cfg->debug_single_step && (cfg->gdb || cfg->gdb_default)) {
		fprintf(stderr, "vmm: --debug-single-step and --gdb exclude each other "
			"(both single-step through KVM_SET_GUEST_DEBUG)\n");
		return -1;
	}
	if (cfg->firmware && cfg->initrd) {
		fprintf(stderr, "vmm: --initrd needs --kernel, not --firmware\n");
		return -1;
	}
	return 0;
}

/* the limits that depend on more than one option */
static int check_limits(const struct vmm_config *cfg)
{
	uint64_t ram = cfg->ram_mib << 20;
	unsigned int i;

	if (cfg->irqchip == IRQCHIP_GICV2 && cfg->nr_cpus > GICV2_MAX_CPUS) {
		fprintf(stderr, "vmm: --irqchip gicv2: a GICv2 serves at most %d vCPUs, "
			"not %u (use gicv3)\n", GICV2_MAX_CPUS, cfg->nr_cpus);
		return -1;
	}
	if (bootargs_len(cfg) >= CMDLINE_MAX) {
		fprintf(stderr, "vmm: --params: the kernel command line would be %zu bytes; "
			"arm64 Linux takes at most %d (COMMAND_LINE_SIZE)\n", bootargs_len(cfg),
			CMDLINE_MAX - 1);
		return -1;
	}
	for (i = 0; i < cfg->nr_memory_errors; i++) {
		uint64_t gpa = cfg->memory_errors[i];

		if (gpa < RAM_BASE || gpa - RAM_BASE >= ram) {
			fprintf(stderr, "vmm: --inject-memory-error %#llx: not in guest RAM "
				"(%#llx-%#llx)\n", (unsigned long long)gpa,
				(unsigned long long)RAM_BASE,
				(unsigned long long)(RAM_BASE + ram - 1));
			return -1;
		}
	}
	return 0;
}

/* 0: run; 1: done (help printed); -1: bad option (message printed). */
int run_parse_options(int argc, char **argv, struct vmm_config *cfg)
{
	int r;

	run_config_defaults(cfg);
	r = cli_parse(&run_command, argc, argv, cfg);
	if (r)
		return r;
	if (take_operands(argc, argv, cfg) || check_combinations(cfg) || check_limits(cfg))
		return -1;
	if (cfg->gdb_default)
		cfg->gdb = GDB_DEFAULT_ADDR;
	vmm_log_level = cfg->log_level;
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
