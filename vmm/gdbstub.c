// SPDX-License-Identifier: GPL-2.0
/*
 * The GDB remote serial protocol stub (gdbstub.h), after the protocol as
 * GDB's manual gives it ("Remote Protocol"): packets $data#cs with +/-
 * acknowledgements (until QStartNoAckMode), 0x03 to interrupt.
 *
 * Run control reuses the monitor's: vm_pause() parks every vCPU outside
 * KVM_RUN, vm->step_vcpu lets one vCPU run while the others stay parked.
 * The debugger's breakpoints, watchpoints and steps are one
 * KVM_SET_GUEST_DEBUG per vCPU, set from this thread while all are parked:
 * software breakpoints are BRK #0 written over the instruction with
 * KVM_GUESTDBG_USE_SW_BP (a BRK then exits to us with EC 0x3c instead of
 * reaching the guest), hardware ones DBGBCR/DBGBVR and DBGWCR/DBGWVR values
 * in kvm_guest_debug_arch with KVM_GUESTDBG_USE_HW, a step
 * KVM_GUESTDBG_SINGLESTEP (Documentation/virt/kvm/api.rst, 4.61).
 *
 * Registers are GDB's aarch64 numbering of org.gnu.gdb.aarch64.core and
 * .fpu: x0-x30, sp, pc, cpsr, v0-v31, fpsr, fpcr.  Memory is read and
 * written at guest virtual addresses through the selected vCPU's stage-1
 * tables (translate.c); with its MMU off they are physical.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gdbstub.h"
#include "regs.h"
#include "sve.h"
#include "translate.h"
#include "vcpu.h"
#include "vmm.h"

#define PKT_MAX		0x5000		/* our PacketSize: a G of 2048-bit SVE fits */
#define MAX_SW_BPS	64
#define MAX_HW		KVM_ARM_MAX_DBG_REGS
#define BRK0		0xd4200000u	/* BRK #0 */

/* GDB's aarch64 numbering; with SVE, z0-z31 take v0-v31's numbers */
#define REGNUM_SP	31
#define REGNUM_PC	32
#define REGNUM_CPSR	33
#define REGNUM_V0	34
#define REGNUM_FPSR	66
#define REGNUM_FPCR	67
#define REGNUM_P0	68
#define REGNUM_FFR	84
#define REGNUM_VG	85
#define REG_MAX_SIZE	256		/* a 2048-bit Z register */
#define REGS_MAX_SIZE	(33 * 8 + 4 + 32 * 256 + 8 + 17 * 32 + 8)

#define CORE_ID(size, field) \
	(KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))
#define REG_V(n)	(CORE_ID(KVM_REG_SIZE_U128, fp_regs.vregs[0]) + 4 * (n))
#define REG_FPSR	CORE_ID(KVM_REG_SIZE_U32, fp_regs.fpsr)
#define REG_FPCR	CORE_ID(KVM_REG_SIZE_U32, fp_regs.fpcr)

/* ESR_ELx.EC of the debug exits (Arm ARM D19.2.36) */
#define EC_BREAKPT_LOW	0x30
#define EC_BREAKPT_CUR	0x31
#define EC_SOFTSTP_LOW	0x32
#define EC_SOFTSTP_CUR	0x33
#define EC_WATCHPT_LOW	0x34
#define EC_WATCHPT_CUR	0x35
#define EC_BRK64	0x3c

#define SIGTRAP_GDB	5
#define SIGINT_GDB	2

enum wp_type { WP_WRITE = 2, WP_READ = 3, WP_ACCESS = 4 };	/* the Z packet's type */

struct sw_bp {
	uint64_t addr, pa;
	uint32_t orig;
};

struct hw_slot {
	bool used;
	uint64_t addr, len;
	enum wp_type type;
	uint64_t ctl, val;		/* DBGxCR, DBGxVR */
};

struct gdbstub {
	struct vm *vm;
	struct sockaddr_in addr;
	int listen_fd, client_fd;
	int wake[2];			/* a pipe: a vCPU stopped, or the run ended */
	pthread_t thread;
	bool started;

	/* under lock: shared with the vCPU threads */
	pthread_mutex_t lock;
	bool running;			/* resumed by the debugger, no stop reported */
	bool stop_pending;
	unsigned int stop_vcpu;
	uint64_t stop_esr, stop_far;
	bool quit;
	int status;

	/* the stub thread's own */
	bool held;			/* the stub holds the VM paused */
	bool no_ack, swbreak_ok, hwbreak_ok;
	unsigned int g_vcpu, c_vcpu;	/* Hg, Hc */
	unsigned int sve_vq;		/* the vCPUs' SVE vector length in quadwords; 0: none */
	char *xml;			/* the target description */
	size_t xml_len;
	char last_stop[96];
	unsigned int nr_hw_bps, nr_hw_wps;
	struct sw_bp sw[MAX_SW_BPS];
	unsigned int nr_sw;
	struct hw_slot bp[MAX_HW], wp[MAX_HW];

	/* packet input */
	enum { RX_IDLE, RX_DATA, RX_CK1, RX_CK2 } rx;
	char in[PKT_MAX + 1];
	size_t in_len;
	bool in_overflow;
	uint8_t sum, ck;
	/* the last packet sent, for a '-' */
	char out[2 * PKT_MAX + 8];
	size_t out_len;
};

/* ---- the address of --gdb -------------------------------------------------- */

int gdbstub_parse_addr(const char *spec, struct sockaddr_in *sa, char *why, size_t len)
{
	char host[64] = "127.0.0.1", *end;
	const char *colon, *port = spec;
	unsigned long p;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!strncmp(spec, "tcp:", 4))
		port = spec += 4;
	colon = strrchr(spec, ':');
	if (colon) {
		if ((size_t)(colon - spec) >= sizeof(host)) {
			snprintf(why, len, "the host is too long");
			return -1;
		}
		if (colon > spec) {
			memcpy(host, spec, (size_t)(colon - spec));
			host[colon - spec] = '\0';
		}
		port = colon + 1;
	}
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		snprintf(why, len, "'%s' is not an IPv4 address", host);
		return -1;
	}
	errno = 0;
	p = isdigit((unsigned char)*port) ? strtoul(port, &end, 10) : 0;
	if (!isdigit((unsigned char)*port) || *end || errno || p > 65535) {
		snprintf(why, len, "expects tcp:HOST:PORT, HOST:PORT or PORT (0 to 65535)");
		return -1;
	}
	sa->sin_port = htons((uint16_t)p);
	return 0;
}

/* ---- registers ------------------------------------------------------------------ */

static int one_reg(struct vcpu *v, uint64_t id, void *buf, bool set)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)buf };

	return v->vm->hv->ioctl(v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &r);
}

static unsigned int nr_regs(const struct gdbstub *g)
{
	return g->sve_vq ? REGNUM_VG + 1 : REGNUM_FPCR + 1;
}

/* Bytes of register @n; 0: no such register. */
static unsigned int reg_size(const struct gdbstub *g, unsigned int n)
{
	if (n >= nr_regs(g))
		return 0;
	if (n < REGNUM_CPSR || n == REGNUM_VG)
		return 8;
	if (n == REGNUM_CPSR || n == REGNUM_FPSR || n == REGNUM_FPCR)
		return 4;
	if (n < REGNUM_FPSR)
		return g->sve_vq ? 16 * g->sve_vq : 16;
	return 2 * g->sve_vq;		/* p0-p15, ffr */
}

/* An SVE register's first (only) slice: @len bytes of it to or from @buf. */
static int sve_access(struct vcpu *v, uint64_t id, uint8_t *buf, unsigned int len, bool set)
{
	uint8_t r[REG_MAX_SIZE];

	if (one_reg(v, id, r, false) < 0)
		return -1;
	if (!set) {
		memcpy(buf, r, len);
		return 0;
	}
	memcpy(r, buf, len);
	return one_reg(v, id, r, true);
}

/* The SP of the current mode: SP_EL1 at EL1h, else SP_EL0 (KVM's regs.sp). */
static uint64_t sp_id(struct vcpu *v)
{
	uint64_t pstate = 0;

	vcpu_get_reg(v, REG_PSTATE, &pstate);
	return (pstate & 0x1f) == 0x5 ? REG_SP_EL1 : REG_SP;
}

/*
 * V register @n: the core register, or, on a vCPU with SVE (where KVM has
 * no V registers in the core set), the low 128 bits of Z@n.
 */
static int vreg_access(struct vcpu *v, unsigned int n, uint8_t *buf, bool set)
{
	uint8_t z[256];

	if (one_reg(v, REG_V(n), buf, set) == 0)
		return 0;
	if (one_reg(v, KVM_REG_ARM64_SVE_ZREG(n, 0), z, false) < 0)
		return -1;
	if (!set) {
		memcpy(buf, z, 16);
		return 0;
	}
	memcpy(z, buf, 16);
	return one_reg(v, KVM_REG_ARM64_SVE_ZREG(n, 0), z, true);
}

/* Register @n of @v to or from @buf (reg_size() bytes, little-endian). */
static int reg_access(struct gdbstub *g, struct vcpu *v, unsigned int n, uint8_t *buf,
		      bool set)
{
	unsigned int size = reg_size(g, n);
	uint64_t x;
	uint32_t w;

	if (!size) {
		errno = ENOENT;
		return -1;
	}
	if (g->sve_vq && n >= REGNUM_V0 && n < REGNUM_FPSR)
		return sve_access(v, KVM_REG_ARM64_SVE_ZREG(n - REGNUM_V0, 0), buf, size, set);
	if (n >= REGNUM_P0 && n < REGNUM_FFR)
		return sve_access(v, KVM_REG_ARM64_SVE_PREG(n - REGNUM_P0, 0), buf, size, set);
	if (n == REGNUM_FFR)
		return sve_access(v, KVM_REG_ARM64_SVE_FFR(0), buf, size, set);
	if (n == REGNUM_VG) {
		/* VG: vector granules (64 bits) of the length KVM gives the vCPU */
		x = 2 * g->sve_vq;
		if (set && memcmp(buf, &x, 8)) {
			errno = EINVAL;		/* fixed for the VM (KVM_ARM_VCPU_FINALIZE) */
			return -1;
		}
		memcpy(buf, &x, 8);
		return 0;
	}

	if (n < 31)
		return one_reg(v, REG_X(n), buf, set);
	if (n == REGNUM_SP)
		return one_reg(v, sp_id(v), buf, set);
	if (n == REGNUM_PC)
		return one_reg(v, REG_PC, buf, set);
	if (n == REGNUM_CPSR) {
		if (vcpu_get_reg(v, REG_PSTATE, &x) < 0)
			return -1;
		if (!set) {
			w = (uint32_t)x;
			memcpy(buf, &w, 4);
			return 0;
		}
		memcpy(&w, buf, 4);
		return vcpu_set_reg(v, REG_PSTATE, (x & ~0xffffffffULL) | w);
	}
	if (n < REGNUM_FPSR)
		return vreg_access(v, n - REGNUM_V0, buf, set);
	if (n == REGNUM_FPSR)
		return one_reg(v, REG_FPSR, buf, set);
	return one_reg(v, n == REGNUM_FPSR ? REG_FPSR : REG_FPCR, buf, set);
}

/* ---- the target description --------------------------------------------------- */

static const char xml_core[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target>\n"
	"<architecture>aarch64</architecture>\n"
	"<feature name=\"org.gnu.gdb.aarch64.core\">\n"
	"<flags id=\"cpsr_flags\" size=\"4\">\n"
	" <field name=\"SP\" start=\"0\" end=\"0\"/>\n"
	" <field name=\"EL\" start=\"2\" end=\"3\"/>\n"
	" <field name=\"nRW\" start=\"4\" end=\"4\"/>\n"
	" <field name=\"F\" start=\"6\" end=\"6\"/>\n"
	" <field name=\"I\" start=\"7\" end=\"7\"/>\n"
	" <field name=\"A\" start=\"8\" end=\"8\"/>\n"
	" <field name=\"D\" start=\"9\" end=\"9\"/>\n"
	" <field name=\"SS\" start=\"21\" end=\"21\"/>\n"
	" <field name=\"V\" start=\"28\" end=\"28\"/>\n"
	" <field name=\"C\" start=\"29\" end=\"29\"/>\n"
	" <field name=\"Z\" start=\"30\" end=\"30\"/>\n"
	" <field name=\"N\" start=\"31\" end=\"31\"/>\n"
	"</flags>\n"
#define X(n) "<reg name=\"x" #n "\" bitsize=\"64\"/>\n"
	"<reg name=\"x0\" bitsize=\"64\" regnum=\"0\"/>\n"
	X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
	X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28)
	X(29) X(30)
#undef X
	"<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	"<reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\"/>\n"
	"</feature>\n";

static const char xml_fpu[] =
	"<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
	"<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	"<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
	"<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
	"<vector id=\"v8f\" type=\"ieee_half\" count=\"8\"/>\n"
	"<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
	"<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
	"<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
	"<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
	"<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
	"<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
	"<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
	"<field name=\"s\" type=\"v2i\"/></union>\n"
	"<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
	"<field name=\"s\" type=\"v4i\"/></union>\n"
	"<union id=\"vnh\"><field name=\"f\" type=\"v8f\"/><field name=\"u\" type=\"v8u\"/>"
	"<field name=\"s\" type=\"v8i\"/></union>\n"
	"<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/>"
	"</union>\n"
	"<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/>"
	"</union>\n"
	"<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
	"<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/>"
	"<field name=\"q\" type=\"vnq\"/></union>\n"
#define V(n) "<reg name=\"v" #n "\" bitsize=\"128\" type=\"aarch64v\"/>\n"
	"<reg name=\"v0\" bitsize=\"128\" type=\"aarch64v\" regnum=\"34\"/>\n"
	V(1) V(2) V(3) V(4) V(5) V(6) V(7) V(8) V(9) V(10) V(11) V(12) V(13) V(14) V(15)
	V(16) V(17) V(18) V(19) V(20) V(21) V(22) V(23) V(24) V(25) V(26) V(27) V(28)
	V(29) V(30) V(31)
#undef V
	"<reg name=\"fpsr\" bitsize=\"32\"/>\n"
	"<reg name=\"fpcr\" bitsize=\"32\"/>\n"
	"</feature>\n";

/*
 * org.gnu.gdb.aarch64.sve for @vq quadwords: z0-z31 (where v0-v31 were;
 * GDB makes the V registers of their low halves), fpsr, fpcr, p0-p15, ffr
 * and vg, with the element views GDB's own description offers.
 */
static size_t xml_sve(char *out, size_t len, unsigned int vq)
{
	static const struct { const char *id, *type; unsigned int per_q; } vec[] = {
		{ "svevqu", "uint128", 1 }, { "svevqs", "int128", 1 },
		{ "svevdf", "ieee_double", 2 }, { "svevdu", "uint64", 2 }, { "svevds", "int64", 2 },
		{ "svevsf", "ieee_single", 4 }, { "svevsu", "uint32", 4 }, { "svevss", "int32", 4 },
		{ "svevhf", "ieee_half", 8 }, { "svevhu", "uint16", 8 }, { "svevhs", "int16", 8 },
		{ "svevbu", "uint8", 16 }, { "svevbs", "int8", 16 },
	};
	size_t o = 0;
	unsigned int i;

#define OUT(...) o += (size_t)snprintf(out + o, o < len ? len - o : 0, __VA_ARGS__)
	OUT("<feature name=\"org.gnu.gdb.aarch64.sve\">\n");
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
		OUT("<vector id=\"%s\" type=\"%s\" count=\"%u\"/>\n", vec[i].id, vec[i].type,
		    vec[i].per_q * vq);
	OUT("<union id=\"svevnq\"><field name=\"u\" type=\"svevqu\"/>"
	    "<field name=\"s\" type=\"svevqs\"/></union>\n");
	OUT("<union id=\"svevnd\"><field name=\"f\" type=\"svevdf\"/>"
	    "<field name=\"u\" type=\"svevdu\"/><field name=\"s\" type=\"svevds\"/></union>\n");
	OUT("<union id=\"svevns\"><field name=\"f\" type=\"svevsf\"/>"
	    "<field name=\"u\" type=\"svevsu\"/><field name=\"s\" type=\"svevss\"/></union>\n");
	OUT("<union id=\"svevnh\"><field name=\"f\" type=\"svevhf\"/>"
	    "<field name=\"u\" type=\"svevhu\"/><field name=\"s\" type=\"svevhs\"/></union>\n");
	OUT("<union id=\"svevnb\"><field name=\"u\" type=\"svevbu\"/>"
	    "<field name=\"s\" type=\"svevbs\"/></union>\n");
	OUT("<union id=\"svev\"><field name=\"q\" type=\"svevnq\"/>"
	    "<field name=\"d\" type=\"svevnd\"/><field name=\"s\" type=\"svevns\"/>"
	    "<field name=\"h\" type=\"svevnh\"/><field name=\"b\" type=\"svevnb\"/></union>\n");
	OUT("<vector id=\"svep\" type=\"uint8\" count=\"%u\"/>\n", 2 * vq);
	for (i = 0; i < 32; i++)
		OUT("<reg name=\"z%u\" bitsize=\"%u\" type=\"svev\"%s/>\n", i, 128 * vq,
		    i ? "" : " regnum=\"34\"");
	OUT("<reg name=\"fpsr\" bitsize=\"32\"/>\n<reg name=\"fpcr\" bitsize=\"32\"/>\n");
	for (i = 0; i < 16; i++)
		OUT("<reg name=\"p%u\" bitsize=\"%u\" type=\"svep\"/>\n", i, 16 * vq);
	OUT("<reg name=\"ffr\" bitsize=\"%u\" type=\"svep\"/>\n", 16 * vq);
	OUT("<reg name=\"vg\" bitsize=\"64\" type=\"int\"/>\n</feature>\n");
#undef OUT
	return o;
}

/* The target description: core, then fpu or (an SVE vCPU) sve.  0 or -1. */
static int make_xml(struct gdbstub *g)
{
	size_t len = sizeof(xml_core) + sizeof(xml_fpu) + 16384, o;

	g->xml = malloc(len);
	if (!g->xml)
		return -1;
	o = (size_t)snprintf(g->xml, len, "%s", xml_core);
	if (g->sve_vq)
		o += xml_sve(g->xml + o, len - o, g->sve_vq);
	else
		o += (size_t)snprintf(g->xml + o, len - o, "%s", xml_fpu);
	o += (size_t)snprintf(g->xml + o, len > o ? len - o : 0, "</target>\n");
	if (o >= len)
		return -1;
	g->xml_len = o;
	return 0;
}

/* ---- packets ------------------------------------------------------------------ */

static const char hexdigits[] = "0123456789abcdef";

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A hex number at *p, up to a non-hex character; false if there is none. */
static bool parse_hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	int d;

	*v = 0;
	while ((d = hexval((unsigned char)*s)) >= 0) {
		if (*v >> 60)
			return false;	/* more than 64 bits */
		*v = *v << 4 | (uint64_t)d;
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	return true;
}

/* @n bytes of hex at @s into @buf; false on a non-hex character. */
static bool unhex(const char *s, uint8_t *buf, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		hi = hexval((unsigned char)s[2 * i]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[2 * i + 1]);
		if (lo < 0)
			return false;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static size_t tohex(char *out, const uint8_t *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[buf[i] >> 4];
		out[2 * i + 1] = hexdigits[buf[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

static void send_raw(struct gdbstub *g, const char *p, size_t n)
{
	ssize_t r;

	while (n && g->client_fd >= 0) {
		r = send(g->client_fd, p, n, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;		/* the read side sees the end */
		p += r;
		n -= (size_t)r;
	}
}

/* $@data#cs; @data may hold binary (already escaped). */
static void put_packet(struct gdbstub *g, const char *data, size_t n)
{
	uint8_t sum = 0;
	size_t i;

	if (n > sizeof(g->out) - 4)
		n = sizeof(g->out) - 4;
	g->out[0] = '$';
	for (i = 0; i < n; i++)
		sum += (uint8_t)data[i];
	memmove(g->out + 1, data, n);
	g->out[n + 1] = '#';
	g->out[n + 2] = hexdigits[sum >> 4];
	g->out[n + 3] = hexdigits[sum & 15];
	g->out_len = n + 4;
	send_raw(g, g->out, g->out_len);
}

static void reply(struct gdbstub *g, const char *s)
{
	put_packet(g, s, strlen(s));
}

static void reply_err(struct gdbstub *g, int err)
{
	char s[8];

	snprintf(s, sizeof(s), "E%02x", err & 0xff);
	reply(g, s);
}

/* ---- guest memory ------------------------------------------------------------- */

/* The vCPU that memory and register packets act on (Hg). */
static struct vcpu *g_vcpu(struct gdbstub *g)
{
	return &g->vm->vcpus[g->g_vcpu];
}

/*
 * @len bytes at guest virtual @va, a page at a time (each translated by
 * the selected vCPU's stage 1): the bytes done, short at the first page
 * that is not mapped or not RAM.
 */
static size_t mem_access(struct gdbstub *g, uint64_t va, uint8_t *buf, size_t len, bool write)
{
	uint64_t pa, n;
	size_t done;
	uint8_t *p;
	char why[128];

	for (done = 0; done < len; done += n) {
		n = 0x1000 - ((va + done) & 0xfff);
		n = n < len - done ? n : len - done;
		if (vcpu_translate(g_vcpu(g), va + done, &pa, why, sizeof(why)) < 0)
			break;
		p = vm_gpa_to_host(g->vm, pa, n);
		if (!p)
			break;
		if (write)
			memcpy(p, buf + done, n);
		else
			memcpy(buf + done, p, n);
	}
	return done;
}

/* ---- breakpoints, watchpoints and the guest-debug state -------------------------- */

/*
 * An instruction written through our mapping of guest RAM: on an arm64
 * host (KVM) clean it to the point of unification and invalidate the
 * instruction cache for it, as for any cross-modified code; vkvm checks
 * the words at its next KVM_RUN.
 */
static void code_written(uint8_t *p)
{
	__builtin___clear_cache((char *)p, (char *)p + 4);
}

static int sw_find(struct gdbstub *g, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < g->nr_sw; i++)
		if (g->sw[i].addr == addr)
			return (int)i;
	return -1;
}

static int sw_insert(struct gdbstub *g, uint64_t addr)
{
	struct sw_bp *b;
	uint32_t brk = htole32(BRK0);
	char why[128];

	if (sw_find(g, addr) >= 0)
		return 0;
	if (g->nr_sw == MAX_SW_BPS || (addr & 3))
		return -EINVAL;
	b = &g->sw[g->nr_sw];
	b->addr = addr;
	if (vcpu_translate(g_vcpu(g), addr, &b->pa, why, sizeof(why)) < 0 ||
	    !vm_gpa_to_host(g->vm, b->pa, 4))
		return -EFAULT;
	memcpy(&b->orig, vm_gpa_to_host(g->vm, b->pa, 4), 4);
	memcpy(vm_gpa_to_host(g->vm, b->pa, 4), &brk, 4);
	code_written(vm_gpa_to_host(g->vm, b->pa, 4));
	g->nr_sw++;
	return 0;
}

static void sw_remove_at(struct gdbstub *g, unsigned int i)
{
	uint8_t *p = vm_gpa_to_host(g->vm, g->sw[i].pa, 4);

	if (p) {
		memcpy(p, &g->sw[i].orig, 4);
		code_written(p);
	}
	g->sw[i] = g->sw[--g->nr_sw];
}

/*
 * DBGWCR for a watchpoint of @len bytes at @addr (Arm ARM D2.10): within
 * one doubleword, BAS selects the bytes; a naturally aligned power of two
 * of 8 bytes to 2 GiB, MASK gives its size.  False if neither fits.
 */
static bool wp_encode(uint64_t addr, uint64_t len, enum wp_type type, uint64_t *ctl,
		      uint64_t *val)
{
	uint64_t lsc = type == WP_WRITE ? 2 : type == WP_READ ? 1 : 3;
	unsigned int mask;

	if (!len)
		return false;
	*ctl = lsc << 3 | 3 << 1 | 1;		/* LSC, PAC EL0 and EL1, E */
	if ((addr & 7) + len <= 8) {
		*ctl |= ((1ULL << len) - 1) << (5 + (addr & 7));	/* BAS */
		*val = addr & ~7ULL;
		return true;
	}
	if (len & (len - 1) || addr & (len - 1) || len > (1ULL << 31))
		return false;
	mask = (unsigned int)__builtin_ctzll(len);
	*ctl |= 0xffULL << 5 | (uint64_t)mask << 24;
	*val = addr;
	return true;
}

static int hw_insert(struct gdbstub *g, int type, uint64_t addr, uint64_t len)
{
	struct hw_slot *s = type == 1 ? g->bp : g->wp;
	unsigned int n = type == 1 ? g->nr_hw_bps : g->nr_hw_wps, i;
	uint64_t ctl, val;

	if (type == 1) {
		if (addr & 3)
			return -EINVAL;
		ctl = 0xfULL << 5 | 3 << 1 | 1;	/* BAS 0b1111, PMC EL0 and EL1, E */
		val = addr;
	} else if (!wp_encode(addr, len, (enum wp_type)type, &ctl, &val)) {
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if (!s[i].used)
			break;
	if (i == n)
		return -ENOSPC;
	s[i] = (struct hw_slot){ .used = true, .addr = addr, .len = len,
				 .type = (enum wp_type)type, .ctl = ctl, .val = val };
	return 0;
}

static int hw_remove(struct gdbstub *g, int type, uint64_t addr, uint64_t len)
{
	struct hw_slot *s = type == 1 ? g->bp : g->wp;
	unsigned int n = type == 1 ? g->nr_hw_bps : g->nr_hw_wps, i;

	for (i = 0; i < n; i++)
		if (s[i].used && s[i].addr == addr && (type == 1 || (s[i].len == len &&
							s[i].type == (enum wp_type)type))) {
			s[i].used = false;
			return 0;
		}
	return -ENOENT;
}

/* KVM_SET_GUEST_DEBUG on every vCPU (all parked): what is armed, and a
 * step on @step (-1: none). */
static int apply_debug(struct gdbstub *g, int step)
{
	struct kvm_guest_debug dbg;
	struct vm *vm = g->vm;
	unsigned int i, n;
	bool hw = false;

	for (i = 0; i < vm->nr_vcpus; i++) {
		memset(&dbg, 0, sizeof(dbg));
		if (g->nr_sw)
			dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
		for (n = 0; n < MAX_HW; n++) {
			if (g->bp[n].used) {
				dbg.arch.dbg_bcr[n] = g->bp[n].ctl;
				dbg.arch.dbg_bvr[n] = g->bp[n].val;
				hw = true;
			}
			if (g->wp[n].used) {
				dbg.arch.dbg_wcr[n] = g->wp[n].ctl;
				dbg.arch.dbg_wvr[n] = g->wp[n].val;
				hw = true;
			}
		}
		if (hw)
			dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW;
		if ((int)i == step)
			dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
		if (vm->hv->ioctl(vm->vcpus[i].fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
			pr_warn("gdbstub: vCPU %u: KVM_SET_GUEST_DEBUG: %s\n", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ---- run control ------------------------------------------------------------- */

static void pause_all(struct gdbstub *g)
{
	vm_pause(g->vm);
	if (!vm_wait_parked(g->vm, 0))
		pr_warn("gdbstub: the vCPUs did not all stop in time\n");
	g->held = true;
}

/*
 * Resume: @step the vCPU to single-step (-1: none); @all: every vCPU
 * runs, else only @step does while the others stay parked.
 */
static void resume(struct gdbstub *g, int step, bool all)
{
	struct vm *vm = g->vm;

	if (apply_debug(g, step) < 0 && step >= 0) {
		reply_err(g, EIO);
		return;
	}
	pthread_mutex_lock(&g->lock);
	g->running = true;
	g->stop_pending = false;
	pthread_mutex_unlock(&g->lock);
	g->held = false;
	pthread_mutex_lock(&vm->lock);
	if (all)
		vm->paused = false;
	vm->step_vcpu = all ? -1 : step;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

bool gdbstub_debug_exit(struct vcpu *vcpu)
{
	struct gdbstub *g = vcpu->vm->gdb;
	uint64_t esr;

	if (!g)
		return false;
	pthread_mutex_lock(&g->lock);
	if (!g->running) {
		pthread_mutex_unlock(&g->lock);
		return false;
	}
	if (!g->stop_pending) {
		esr = vcpu->run->debug.arch.hsr |
		      (uint64_t)vcpu->run->debug.arch.hsr_high << 32;
		g->stop_pending = true;
		g->stop_vcpu = vcpu->id;
		g->stop_esr = esr;
		g->stop_far = vcpu->run->debug.arch.far;
	}
	pthread_mutex_unlock(&g->lock);
	vm_pause(vcpu->vm);
	if (write(g->wake[1], "s", 1) < 0) {
		/* the pipe is full: the stub has wake-ups to read already */
	}
	return true;
}

/* "T05thread:N;" and why: swbreak, hwbreak or the watchpoint hit. */
static void make_stop(struct gdbstub *g, int sig, unsigned int vcpu, uint64_t esr,
		      uint64_t far, bool debug)
{
	unsigned int ec = (esr >> 26) & 0x3f, i;
	size_t off;
	const struct hw_slot *best = NULL;
	uint64_t pc = 0, d, bestd = ~0ULL;
	static const char *const kind[] = { [WP_WRITE] = "watch", [WP_READ] = "rwatch",
					     [WP_ACCESS] = "awatch" };

	off = (size_t)snprintf(g->last_stop, sizeof(g->last_stop), "T%02xthread:%x;", sig,
			       vcpu + 1);
	if (!debug)
		return;
	if (ec == EC_BRK64) {
		vcpu_get_reg(&g->vm->vcpus[vcpu], REG_PC, &pc);
		if (g->swbreak_ok && sw_find(g, pc) >= 0)
			snprintf(g->last_stop + off, sizeof(g->last_stop) - off, "swbreak:;");
	} else if (ec == EC_BREAKPT_LOW || ec == EC_BREAKPT_CUR) {
		if (g->hwbreak_ok)
			snprintf(g->last_stop + off, sizeof(g->last_stop) - off, "hwbreak:;");
	} else if (ec == EC_WATCHPT_LOW || ec == EC_WATCHPT_CUR) {
		/* the watchpoint nearest the address accessed: GDB wants its own address */
		for (i = 0; i < MAX_HW; i++) {
			const struct hw_slot *s = &g->wp[i];

			if (!s->used)
				continue;
			d = far < s->addr ? s->addr - far : far < s->addr + s->len ? 0 :
			    far - (s->addr + s->len) + 1;
			if (d < bestd) {
				bestd = d;
				best = s;
			}
		}
		if (best)
			snprintf(g->last_stop + off, sizeof(g->last_stop) - off, "%s:%" PRIx64 ";",
				 kind[best->type], best->addr);
	}
}

/* A vCPU stopped while the debugger ran the VM: report it. */
static void report_stop(struct gdbstub *g)
{
	unsigned int vcpu;
	uint64_t esr, far;

	pthread_mutex_lock(&g->lock);
	if (!g->running || !g->stop_pending) {
		pthread_mutex_unlock(&g->lock);
		return;
	}
	g->running = false;
	g->stop_pending = false;
	vcpu = g->stop_vcpu;
	esr = g->stop_esr;
	far = g->stop_far;
	pthread_mutex_unlock(&g->lock);
	pause_all(g);
	g->g_vcpu = g->c_vcpu = vcpu;
	make_stop(g, SIGTRAP_GDB, vcpu, esr, far, true);
	reply(g, g->last_stop);
}

/* Ctrl-C: stop every vCPU, SIGINT on the selected one. */
static void interrupt(struct gdbstub *g)
{
	bool was;

	pthread_mutex_lock(&g->lock);
	was = g->running;
	g->running = false;
	g->stop_pending = false;
	pthread_mutex_unlock(&g->lock);
	if (!was)
		return;
	pause_all(g);
	make_stop(g, SIGINT_GDB, g->c_vcpu, 0, 0, false);
	reply(g, g->last_stop);
}

/* The debugger leaves (D, or the connection ends): everything of its
 * removed, and the guest runs on. */
static void release(struct gdbstub *g)
{
	pthread_mutex_lock(&g->lock);
	g->running = false;
	g->stop_pending = false;
	pthread_mutex_unlock(&g->lock);
	if (!g->held)
		pause_all(g);
	while (g->nr_sw)
		sw_remove_at(g, g->nr_sw - 1);
	memset(g->bp, 0, sizeof(g->bp));
	memset(g->wp, 0, sizeof(g->wp));
	apply_debug(g, -1);
	g->held = false;
	vm_resume(g->vm);
}

/* ---- the packets ---------------------------------------------------------------- */

/* A thread-id: "-1" all, "0" any, else vCPU id + 1 (hex; "pP.T" too).  -2: bad. */
static long parse_tid(struct gdbstub *g, const char *s)
{
	uint64_t v;
	const char *dot;

	if (*s == 'p' && (dot = strchr(s, '.')))
		s = dot + 1;
	if (!strcmp(s, "-1"))
		return -1;
	if (!parse_hex(&s, &v) || *s)
		return -2;
	if (v > g->vm->nr_vcpus)
		return -2;
	return (long)v;
}

static void cmd_H(struct gdbstub *g, const char *p)
{
	long t = parse_tid(g, p + 1);

	if (t == -2 || (p[0] != 'g' && p[0] != 'c')) {
		reply_err(g, EINVAL);
		return;
	}
	if (t > 0) {
		if (p[0] == 'g')
			g->g_vcpu = (unsigned int)(t - 1);
		else
			g->c_vcpu = (unsigned int)(t - 1);
	}
	reply(g, "OK");
}

static void cmd_g(struct gdbstub *g)
{
	static char out[2 * REGS_MAX_SIZE + 1];
	uint8_t buf[REG_MAX_SIZE];
	size_t off = 0;
	unsigned int n;

	for (n = 0; n < nr_regs(g); n++) {
		if (reg_access(g, g_vcpu(g), n, buf, false) < 0) {
			reply_err(g, EIO);
			return;
		}
		off += tohex(out + off, buf, reg_size(g, n));
	}
	put_packet(g, out, off);
}

static void cmd_G(struct gdbstub *g, const char *p)
{
	uint8_t buf[REG_MAX_SIZE];
	unsigned int n, size;

	for (n = 0; n < nr_regs(g); n++) {
		if (!*p)
			break;		/* fewer registers than we have: the rest stays */
		size = reg_size(g, n);
		if (strlen(p) < 2 * size || !unhex(p, buf, size)) {
			reply_err(g, EINVAL);
			return;
		}
		p += 2 * size;
		if (reg_access(g, g_vcpu(g), n, buf, true) < 0) {
			reply_err(g, EIO);
			return;
		}
	}
	reply(g, "OK");
}

static void cmd_p(struct gdbstub *g, const char *p)
{
	uint8_t buf[REG_MAX_SIZE];
	char out[2 * REG_MAX_SIZE + 1];
	uint64_t n;

	if (!parse_hex(&p, &n) || *p) {
		reply_err(g, EINVAL);
		return;
	}
	if (n >= nr_regs(g)) {
		reply(g, "");		/* not ours: GDB then takes it as unavailable */
		return;
	}
	if (reg_access(g, g_vcpu(g), (unsigned int)n, buf, false) < 0) {
		reply_err(g, EIO);
		return;
	}
	put_packet(g, out, tohex(out, buf, reg_size(g, (unsigned int)n)));
}

static void cmd_P(struct gdbstub *g, const char *p)
{
	uint8_t buf[REG_MAX_SIZE];
	uint64_t n;

	if (!parse_hex(&p, &n) || *p++ != '=' || n >= nr_regs(g) ||
	    strlen(p) != 2 * reg_size(g, (unsigned int)n) ||
	    !unhex(p, buf, reg_size(g, (unsigned int)n))) {
		reply_err(g, EINVAL);
		return;
	}
	if (reg_access(g, g_vcpu(g), (unsigned int)n, buf, true) < 0) {
		reply_err(g, EIO);
		return;
	}
	reply(g, "OK");
}

/* "ADDR,LEN" then @sep; false if malformed. */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len, char sep)
{
	if (!parse_hex(p, addr) || *(*p)++ != ',' || !parse_hex(p, len))
		return false;
	if (sep) {
		if (**p != sep)
			return false;
		(*p)++;
	} else if (**p) {
		return false;
	}
	return true;
}

static void cmd_m(struct gdbstub *g, const char *p)
{
	static uint8_t buf[PKT_MAX / 2];
	static char out[PKT_MAX + 1];
	uint64_t addr, len;
	size_t n;

	if (!parse_addr_len(&p, &addr, &len, 0)) {
		reply_err(g, EINVAL);
		return;
	}
	if (len > sizeof(buf) - 8)
		len = sizeof(buf) - 8;
	n = mem_access(g, addr, buf, len, false);
	if (!n && len) {
		reply_err(g, EFAULT);
		return;
	}
	put_packet(g, out, tohex(out, buf, n));
}

static void cmd_M(struct gdbstub *g, const char *p, size_t plen, bool binary)
{
	static uint8_t buf[PKT_MAX];
	const char *end = p + plen;
	uint64_t addr, len;

	if (!parse_addr_len(&p, &addr, &len, ':') || len > sizeof(buf)) {
		reply_err(g, EINVAL);
		return;
	}
	if (binary) {
		/* already unescaped by the reader: exactly @len bytes follow */
		if ((uint64_t)(end - p) != len) {
			reply_err(g, EINVAL);
			return;
		}
		memcpy(buf, p, len);
	} else {
		if ((uint64_t)(end - p) != 2 * len || !unhex(p, buf, len)) {
			reply_err(g, EINVAL);
			return;
		}
	}
	if (mem_access(g, addr, buf, len, true) != len) {
		reply_err(g, EFAULT);
		return;
	}
	reply(g, "OK");
}

static void cmd_Z(struct gdbstub *g, const char *p, bool insert)
{
	uint64_t type, addr, len;
	int i, r;

	if (!parse_hex(&p, &type) || *p++ != ',' || !parse_hex(&p, &addr) || *p++ != ',' ||
	    !parse_hex(&p, &len) || (*p && *p != ';')) {
		reply_err(g, EINVAL);
		return;
	}
	if (type > 4) {
		reply(g, "");
		return;
	}
	if (type == 0) {
		if (insert) {
			r = sw_insert(g, addr);
		} else {
			i = sw_find(g, addr);
			if (i >= 0)
				sw_remove_at(g, (unsigned int)i);
			r = 0;
		}
	} else {
		r = insert ? hw_insert(g, (int)type, addr, len) : hw_remove(g, (int)type, addr, len);
	}
	if (r < 0)
		reply_err(g, -r);
	else
		reply(g, "OK");
}

/* c/s [ADDR]: resume at ADDR if given. */
static void cmd_cs(struct gdbstub *g, const char *p, bool step)
{
	uint64_t addr;
	unsigned int v = g->c_vcpu;

	if (*p) {
		if (!parse_hex(&p, &addr) || *p ||
		    vcpu_set_reg(&g->vm->vcpus[v], REG_PC, addr) < 0) {
			reply_err(g, EINVAL);
			return;
		}
	}
	resume(g, step ? (int)v : -1, !step);
}

/* vCont;ACTION[:TID];...: c, C sig, s, S sig (signals are not delivered). */
static void cmd_vcont(struct gdbstub *g, const char *p)
{
	int step = -1;
	bool cont = false, any = false;
	char act;
	long t;
	char tid[32];
	size_t n;

	while (*p == ';') {
		p++;
		act = *p++;
		if (act == 'C' || act == 'S') {
			if (hexval((unsigned char)p[0]) < 0 || hexval((unsigned char)p[1]) < 0) {
				reply_err(g, EINVAL);
				return;
			}
			p += 2;
			act = (char)tolower((unsigned char)act);
		}
		if (act != 'c' && act != 's') {
			reply_err(g, EINVAL);
			return;
		}
		t = 0;
		if (*p == ':') {
			n = strcspn(++p, ";");
			if (n >= sizeof(tid)) {
				reply_err(g, EINVAL);
				return;
			}
			memcpy(tid, p, n);
			tid[n] = '\0';
			p += n;
			t = parse_tid(g, tid);
			if (t == -2) {
				reply_err(g, EINVAL);
				return;
			}
		}
		any = true;
		if (act == 's' && step < 0)
			step = t > 0 ? (int)t - 1 : (int)g->c_vcpu;
		else if (act == 'c')
			cont = true;	/* a subset cannot run alone: all run */
	}
	if (!any || *p) {
		reply_err(g, EINVAL);
		return;
	}
	resume(g, step, cont || step < 0);
}

static void cmd_qxfer(struct gdbstub *g, const char *p)
{
	static char out[PKT_MAX + 2];
	const char *annex = "features:read:target.xml:";
	uint64_t off, len, i;
	size_t total = g->xml_len, o = 1;
	char c;

	if (strncmp(p, annex, strlen(annex))) {
		reply(g, strncmp(p, "features:read:", 14) ? "" : "E00");
		return;
	}
	p += strlen(annex);
	if (!parse_addr_len(&p, &off, &len, 0)) {
		reply_err(g, EINVAL);
		return;
	}
	if (off >= total) {
		reply(g, "l");
		return;
	}
	if (len > PKT_MAX / 2)
		len = PKT_MAX / 2;
	out[0] = off + len >= total ? 'l' : 'm';
	for (i = off; i < total && i < off + len; i++) {
		c = g->xml[i];
		if (c == '$' || c == '#' || c == '}' || c == '*') {
			out[o++] = '}';
			c ^= 0x20;
		}
		out[o++] = c;
	}
	put_packet(g, out, o);
}

static void cmd_q(struct gdbstub *g, const char *p)
{
	char buf[4096];
	size_t off;
	unsigned int i;

	if (!strncmp(p, "Supported", 9)) {
		g->swbreak_ok = strstr(p, "swbreak+") != NULL;
		g->hwbreak_ok = strstr(p, "hwbreak+") != NULL;
		snprintf(buf, sizeof(buf), "PacketSize=%x;qXfer:features:read+;swbreak+;"
			 "hwbreak+;QStartNoAckMode+;vContSupported+", PKT_MAX);
		reply(g, buf);
	} else if (!strncmp(p, "Xfer:", 5)) {
		cmd_qxfer(g, p + 5);
	} else if (!strcmp(p, "C")) {
		snprintf(buf, sizeof(buf), "QC%x", g->g_vcpu + 1);
		reply(g, buf);
	} else if (!strcmp(p, "fThreadInfo")) {
		off = (size_t)snprintf(buf, sizeof(buf), "m");
		for (i = 0; i < g->vm->nr_vcpus && off + 12 < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%x", i ? "," : "",
						i + 1);
		reply(g, buf);
	} else if (!strcmp(p, "sThreadInfo")) {
		reply(g, "l");
	} else if (!strncmp(p, "ThreadExtraInfo,", 16)) {
		long t = parse_tid(g, p + 16);
		char s[32];

		if (t <= 0) {
			reply_err(g, EINVAL);
			return;
		}
		snprintf(s, sizeof(s), "vCPU %ld", t - 1);
		put_packet(g, buf, tohex(buf, (const uint8_t *)s, strlen(s)));
	} else if (!strcmp(p, "Attached")) {
		reply(g, "1");
	} else {
		reply(g, "");
	}
}

/* One packet (@p, @n bytes, NUL after them). */
static void handle_packet(struct gdbstub *g, char *p, size_t n)
{
	long t;

	switch (p[0]) {
	case '?':
		reply(g, g->last_stop);
		return;
	case 'g':
		cmd_g(g);
		return;
	case 'G':
		cmd_G(g, p + 1);
		return;
	case 'p':
		cmd_p(g, p + 1);
		return;
	case 'P':
		cmd_P(g, p + 1);
		return;
	case 'm':
		cmd_m(g, p + 1);
		return;
	case 'M':
		cmd_M(g, p + 1, n - 1, false);
		return;
	case 'X':
		cmd_M(g, p + 1, n - 1, true);
		return;
	case 'H':
		cmd_H(g, p + 1);
		return;
	case 'T':
		t = parse_tid(g, p + 1);
		if (t > 0)
			reply(g, "OK");
		else
			reply_err(g, ESRCH);
		return;
	case 'c':
		cmd_cs(g, p + 1, false);
		return;
	case 's':
		cmd_cs(g, p + 1, true);
		return;
	case 'C':
	case 'S': {
		/* CSIG[;ADDR]: the signal is not delivered (a guest has none) */
		char *a = strchr(p, ';');

		cmd_cs(g, a ? a + 1 : "", p[0] == 'S');
		return;
	}
	case 'Z':
		cmd_Z(g, p + 1, true);
		return;
	case 'z':
		cmd_Z(g, p + 1, false);
		return;
	case 'q':
		cmd_q(g, p + 1);
		return;
	case 'Q':
		if (!strcmp(p, "QStartNoAckMode")) {
			reply(g, "OK");
			g->no_ack = true;
			return;
		}
		reply(g, "");
		return;
	case 'v':
		if (!strcmp(p, "vCont?")) {
			reply(g, "vCont;c;C;s;S");
		} else if (!strncmp(p, "vCont;", 6)) {
			cmd_vcont(g, p + 5);
		} else if (!strncmp(p, "vKill", 5)) {
			reply(g, "OK");
			pr_info("gdbstub: the debugger killed the guest\n");
			vm_stop(g->vm, VMM_EXIT_OK);
		} else {
			reply(g, "");	/* vMustReplyEmpty and the rest */
		}
		return;
	case 'D':
		reply(g, "OK");
		pr_info("gdbstub: the debugger detached\n");
		release(g);
		close(g->client_fd);
		g->client_fd = -1;
		return;
	case 'k':
		pr_info("gdbstub: the debugger killed the guest\n");
		vm_stop(g->vm, VMM_EXIT_OK);
		return;
	}
	reply(g, "");
}

/* Undo the '}' escapes of binary data in place; the new length. */
static size_t unescape(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		p[o++] = p[i] == '}' && i + 1 < n ? (char)(p[++i] ^ 0x20) : p[i];
	return o;
}

/* The bytes the debugger sent: packets, acks, and 0x03. */
static void receive(struct gdbstub *g, const uint8_t *b, size_t n)
{
	size_t i;
	int d;
	char c;

	for (i = 0; i < n && g->client_fd >= 0; i++) {
		c = (char)b[i];
		switch (g->rx) {
		case RX_IDLE:
			if (c == '$') {
				g->rx = RX_DATA;
				g->in_len = 0;
				g->in_overflow = false;
				g->sum = 0;
			} else if (c == 0x03) {
				interrupt(g);
			} else if (c == '-' && g->out_len) {
				send_raw(g, g->out, g->out_len);
			}
			break;
		case RX_DATA:
			if (c == '#') {
				g->rx = RX_CK1;
				break;
			}
			g->sum += (uint8_t)c;
			if (g->in_len < PKT_MAX)
				g->in[g->in_len++] = c;
			else
				g->in_overflow = true;
			break;
		case RX_CK1:
			d = hexval((unsigned char)c);
			g->ck = (uint8_t)((d < 0 ? 0 : d) << 4);
			g->rx = d < 0 ? RX_IDLE : RX_CK2;
			if (d < 0 && !g->no_ack)
				send_raw(g, "-", 1);
			break;
		case RX_CK2:
			g->rx = RX_IDLE;
			d = hexval((unsigned char)c);
			if (d < 0 || (uint8_t)(g->ck | d) != g->sum) {
				if (!g->no_ack)
					send_raw(g, "-", 1);
				break;
			}
			if (!g->no_ack)
				send_raw(g, "+", 1);
			if (g->in_overflow) {
				reply_err(g, E2BIG);
				break;
			}
			g->in_len = unescape(g->in, g->in_len);
			g->in[g->in_len] = '\0';
			handle_packet(g, g->in, g->in_len);
			break;
		}
	}
}

/* ---- the connection and the thread ------------------------------------------------- */

static void client_open(struct gdbstub *g, int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g->client_fd = fd;
	g->rx = RX_IDLE;
	g->no_ack = false;
	g->out_len = 0;
	g->swbreak_ok = g->hwbreak_ok = false;
	/* GDB expects the target stopped when it connects */
	if (!g->held) {
		pause_all(g);
		g->g_vcpu = g->c_vcpu = 0;
		make_stop(g, SIGTRAP_GDB, 0, 0, 0, false);
	}
	pr_info("gdbstub: a debugger connected\n");
}

static void client_gone(struct gdbstub *g)
{
	pr_info("gdbstub: the debugger went away; the guest runs on\n");
	release(g);
	close(g->client_fd);
	g->client_fd = -1;
}

/* The run ended: W (exit status) or X (signal) for a debugger waiting. */
static void report_end(struct gdbstub *g)
{
	char s[8];
	bool running;

	pthread_mutex_lock(&g->lock);
	running = g->running;
	pthread_mutex_unlock(&g->lock);
	if (g->client_fd < 0)
		return;
	if (running) {
		if (g->status > 128 && g->status < 128 + 32)
			snprintf(s, sizeof(s), "X%02x", g->status - 128);
		else
			snprintf(s, sizeof(s), "W%02x", g->status & 0xff);
		reply(g, s);
	}
	close(g->client_fd);
	g->client_fd = -1;
}

static void *stub_thread(void *arg)
{
	struct gdbstub *g = arg;
	struct pollfd pfd[3];
	uint8_t buf[4096];
	ssize_t n;
	int fd;
	bool quit;

	pthread_setname_np(pthread_self(), "gdbstub");
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = g->wake[0], .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = g->listen_fd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = g->client_fd, .events = POLLIN };
		if (poll(pfd, g->client_fd >= 0 ? 3 : 2, 100) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			while (read(g->wake[0], buf, sizeof(buf)) == (ssize_t)sizeof(buf))
				;
		pthread_mutex_lock(&g->lock);
		quit = g->quit;
		pthread_mutex_unlock(&g->lock);
		if (quit) {
			report_end(g);
			break;
		}
		report_stop(g);
		if (pfd[1].revents & POLLIN) {
			fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0 && g->client_fd >= 0) {
				/* one debugger at a time */
				pr_warn("gdbstub: a second debugger refused (one is connected)\n");
				close(fd);
			} else if (fd >= 0) {
				client_open(g, fd);
				continue;	/* its poll slot was not set up */
			}
		}
		if (g->client_fd >= 0 && (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = recv(g->client_fd, buf, sizeof(buf), 0);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				client_gone(g);
			else
				receive(g, buf, (size_t)n);
		}
	}
	return NULL;
}

int gdbstub_listen(struct vm *vm)
{
	static struct gdbstub stub;
	struct gdbstub *g = &stub;
	socklen_t alen = sizeof(g->addr);
	char why[128], host[INET_ADDRSTRLEN];
	int one = 1;

	if (!vm->cfg->gdb)
		return 0;
	memset(g, 0, sizeof(*g));
	g->vm = vm;
	g->listen_fd = g->client_fd = g->wake[0] = g->wake[1] = -1;
	pthread_mutex_init(&g->lock, NULL);
	if (gdbstub_parse_addr(vm->cfg->gdb, &g->addr, why, sizeof(why)) < 0) {
		pr_err("--gdb '%s': %s\n", vm->cfg->gdb, why);
		return -1;
	}
	g->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->listen_fd < 0 ||
	    setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(g->listen_fd, (struct sockaddr *)&g->addr, sizeof(g->addr)) < 0 ||
	    listen(g->listen_fd, 1) < 0 ||
	    getsockname(g->listen_fd, (struct sockaddr *)&g->addr, &alen) < 0) {
		pr_err("--gdb '%s': %s\n", vm->cfg->gdb, strerror(errno));
		if (g->listen_fd >= 0)
			close(g->listen_fd);
		return -1;
	}
	if (pipe2(g->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		pr_err("gdbstub: pipe: %s\n", strerror(errno));
		close(g->listen_fd);
		return -1;
	}
	inet_ntop(AF_INET, &g->addr.sin_addr, host, sizeof(host));
	pr_diag("gdbstub: listening on tcp:%s:%u%s\n", host, ntohs(g->addr.sin_port),
		vm->cfg->start_paused ? "; the vCPUs wait for the debugger" : "");
	vm->gdb = g;
	return 0;
}

/* The SVE vector length of the vCPUs in quadwords (the longest of the
 * set KVM_ARM_VCPU_FINALIZE fixed); 0 without SVE. */
static unsigned int sve_vq(struct vm *vm)
{
	uint64_t vls[SVE_VLS_WORDS];
	int i;

	if (sve_get_vls(vm->hv, vm->vcpus[0].fd, vls) < 0)
		return 0;
	for (i = SVE_VLS_WORDS * 64 - 1; i >= 0; i--)
		if ((vls[i / 64] >> (i % 64)) & 1)
			return i + 1 > 16 ? 16 : (unsigned int)i + 1;
	return 0;
}

int gdbstub_start(struct vm *vm)
{
	struct gdbstub *g = vm->gdb;
	sigset_t old;
	int r;

	if (!g)
		return 0;
	r = vm->hv->ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);
	g->nr_hw_bps = r > 0 ? (r < MAX_HW ? (unsigned int)r : MAX_HW) : 0;
	r = vm->hv->ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
	g->nr_hw_wps = r > 0 ? (r < MAX_HW ? (unsigned int)r : MAX_HW) : 0;
	g->sve_vq = sve_vq(vm);
	if (make_xml(g) < 0) {
		pr_err("gdbstub: the target description does not fit\n");
		return -1;
	}
	make_stop(g, SIGTRAP_GDB, 0, 0, 0, false);
	if (vm->cfg->start_paused) {
		/* the vCPUs park at once, until the debugger resumes them */
		pthread_mutex_lock(&vm->lock);
		vm->paused = true;
		vm->step_vcpu = -1;
		pthread_mutex_unlock(&vm->lock);
		g->held = true;
	}
	block_process_signals(&old, SIGALRM);
	r = pthread_create(&g->thread, NULL, stub_thread, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		pr_err("gdbstub: cannot start its thread: %s\n", strerror(r));
		return -1;
	}
	g->started = true;
	return 0;
}

void gdbstub_end(struct vm *vm, int status)
{
	struct gdbstub *g = vm->gdb;
	struct timespec ts;

	if (!g || !g->started)
		return;
	pthread_mutex_lock(&g->lock);
	g->quit = true;
	g->status = status;
	pthread_mutex_unlock(&g->lock);
	if (write(g->wake[1], "q", 1) < 0) {
		/* full: the thread wakes anyway */
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	if (pthread_timedjoin_np(g->thread, NULL, &ts))
		return;		/* stuck in a send: process exit ends it */
	g->started = false;
	close(g->listen_fd);
	close(g->wake[0]);
	close(g->wake[1]);
}
