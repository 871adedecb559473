// SPDX-License-Identifier: GPL-2.0
/*
 * `vmm run --gdb` under vkvm: gdb-multiarch in batch mode against the
 * guests/gdb.c guest (breakpoints, registers, memory, step, a hardware
 * watchpoint, the run to its exit), and the protocol spoken by hand over a
 * socket (Ctrl-C, bad packets, detach, one debugger at a time, kill).
 * Each vmm listens on port 0 and prints the port it got, so parallel runs
 * never collide.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmm_test.h"

#define GDB	"/usr/bin/gdb-multiarch"

static char out[1 << 16];

struct vmm_proc {
	pid_t pid;
	int fd;			/* its stdout and stderr */
	int port;
	char log[1 << 14];	/* what it printed */
	size_t len;
};

/* $(BUILD)/guests/NAME(.elf) next to $(BUILD)/vmm */
static const char *guest_path(const char *name)
{
	static char path[2][PATH_MAX];
	static int i;
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", vmm_binary());
	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "%s/guests/%s", dirname(dir), name);
	return path[i];
}

/* Read what vmm printed for up to @ms; true once @what is in it. */
static bool vmm_wait_for(struct vmm_proc *v, const char *what, int ms)
{
	struct pollfd pfd = { .fd = v->fd, .events = POLLIN };
	ssize_t n;

	while (!strstr(v->log, what)) {
		if (ms <= 0 || poll(&pfd, 1, 100) < 0)
			return false;
		ms -= 100;
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(v->fd, v->log + v->len, sizeof(v->log) - 1 - v->len);
		if (n <= 0)
			return strstr(v->log, what) != NULL;
		v->len += (size_t)n;
		v->log[v->len] = '\0';
	}
	return true;
}

/* vmm run ARGS... --gdb tcp:127.0.0.1:0 --timeout 60, up to its listening line */
static void vmm_start(struct vmm_proc *v, const char *a0, ...)
{
	char *argv[32] = { (char *)vmm_binary(), (char *)"run" };
	const char *p;
	va_list ap;
	int argc;

	va_start(ap, a0);
	argc = argv_append(argv, 2, 28, a0, ap);
	va_end(ap);
	argv[argc++] = (char *)"--gdb";
	argv[argc++] = (char *)"tcp:127.0.0.1:0";
	argv[argc++] = (char *)"--timeout";
	argv[argc++] = (char *)"60";
	argv[argc] = NULL;
	memset(v, 0, sizeof(*v));
	v->pid = spawn_piped(argv, &v->fd);
	ck_assert_int_gt(v->pid, 0);
	ck_assert_msg(vmm_wait_for(v, "\n", 20000) &&
		      (p = strstr(v->log, "listening on tcp:127.0.0.1:")),
		      "no listening line from vmm:\n%s", v->log);
	v->port = atoi(p + strlen("listening on tcp:127.0.0.1:"));
	ck_assert_int_gt(v->port, 0);
}

/* Its exit status, once it printed everything (-1: killed after 60 s). */
static int vmm_finish(struct vmm_proc *v)
{
	int status, i;

	vmm_wait_for(v, "\x01never", 60000);
	for (i = 0; i < 100; i++) {
		if (waitpid(v->pid, &status, WNOHANG) == v->pid)
			break;
		usleep(100000);
	}
	if (i == 100) {
		kill(v->pid, SIGKILL);
		waitpid(v->pid, &status, 0);
	}
	close(v->fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* gdb-multiarch -batch on guests/gdb.elf, connected to @v, then @cmds (-ex each) */
static int gdb_batch(const struct vmm_proc *v, const char *const *cmds)
{
	char *argv[64] = { (char *)GDB, (char *)"-batch", (char *)"-nx" };
	char file[PATH_MAX + 8], target[64];
	int argc = 3;

	snprintf(file, sizeof(file), "file %s", guest_path("gdb.elf"));
	snprintf(target, sizeof(target), "target remote 127.0.0.1:%d", v->port);
	argv[argc++] = (char *)"-ex";
	argv[argc++] = file;
	argv[argc++] = (char *)"-ex";
	argv[argc++] = target;
	for (; *cmds && argc < 62; cmds++) {
		argv[argc++] = (char *)"-ex";
		argv[argc++] = (char *)*cmds;
	}
	argv[argc] = NULL;
	return run_capture(argv, out, sizeof(out));
}

#define ASSERT_OUT(str) ck_assert_msg(strstr(out, str), "gdb's output lacks '%s':\n%s", str, out)
#define ASSERT_LOG(v, str) \
	ck_assert_msg(strstr((v)->log, str), "vmm's output lacks '%s':\n%s", str, (v)->log)

static void need_gdb(void)
{
	ck_assert_msg(access(GDB, X_OK) == 0,
		      GDB " is missing: tools/deps.sh installs it (gdb-multiarch)");
}

/* The session: break at a symbol, registers, memory, step, a
 * hardware write watchpoint, then a read one (the guest's check reads the
 * value back), on to the exit. */
START_TEST(gdb_session)
{
	static const char *const cmds[] = {
		"info threads",
		"break gdb_add", "continue",
		"p/x $x0", "p/x $x1",
		"x/s gdb_message",
		"stepi", "p $pc",
		"watch gdb_watched", "continue",
		"p/x gdb_watched",
		"delete",
		"set var $v2.d.u[1] = 0x77", "p/x $v2.d.u", "p/x $q2.u",
		"rwatch gdb_watched", "continue", "delete",
		"continue", NULL,
	};
	struct vmm_proc v;

	need_gdb();
	/* no SVE: the fpu feature's V registers are KVM's core ones */
	vmm_start(&v, "--testdev", "-k", guest_path("gdb"), "--start-paused", "--no-sve", NULL);
	ASSERT_LOG(&v, "the vCPUs wait for the debugger");
	ck_assert_msg(gdb_batch(&v, cmds) == 0, "gdb failed:\n%s", out);
	ASSERT_OUT("Thread 1 (vCPU 0)");
	ASSERT_OUT("Breakpoint 1, gdb_add (a=");
	ASSERT_OUT("$1 = 0x1234\n");
	ASSERT_OUT("$2 = 0x5678\n");
	ASSERT_OUT("<gdb_message>:\t\"vmm gdbstub\"");
	ASSERT_OUT("<gdb_add+4>\n");
	ASSERT_OUT("Hardware watchpoint 2: gdb_watched");
	ASSERT_OUT("Old value = 0\nNew value = 26796\n");
	ASSERT_OUT("$4 = 0x68ac\n");
	ASSERT_OUT("$5 = {0x0, 0x77}\n$6 = 0x770000000000000000\n");
	ASSERT_OUT("Hardware read watchpoint 3: gdb_watched\n\nValue = 26796\n");
	ASSERT_OUT("[Inferior 1 (Remote target) exited normally]");
	ck_assert_int_eq(vmm_finish(&v), 0);
	ASSERT_LOG(&v, "RESULT: gdb PASS");
}
END_TEST

/*
 * A hardware breakpoint, then a register written through the stub changes
 * what the guest computes: it fails its check and exits 1.  SVE at 512
 * bits: the sve feature (z, p, ffr, vg; v the low half of z).  An access
 * watchpoint stops at the write and at the read.
 */
START_TEST(gdb_hbreak_and_register_write)
{
	static const char *const cmds[] = {
		"hbreak gdb_add", "continue",
		"set var $x0 = 0x1000", "p/x $x0",
		"p $vg", "p sizeof($z0)", "p sizeof($p0)",
		"set var $z3.d.u[7] = 0x99", "set var $z3.s.u[0] = 0x55", "p/x $z3.d.u",
		"set var $p1[1] = 0x11", "p/x $p1", "p/x $v3.d.u",
		"awatch gdb_watched", "continue", "continue", "delete",
		"continue", NULL,
	};
	struct vmm_proc v;

	need_gdb();
	vmm_start(&v, "--testdev", "-k", guest_path("gdb"), "--start-paused", "--sve-vl", "512",
		  NULL);
	ck_assert_msg(gdb_batch(&v, cmds) == 0, "gdb failed:\n%s", out);
	ASSERT_OUT("Hardware assisted breakpoint 1 at");
	ASSERT_OUT("Breakpoint 1, gdb_add (a=");
	ASSERT_OUT("$1 = 0x1000\n");
	ASSERT_OUT("$2 = 8\n$3 = 64\n$4 = 8\n");
	ASSERT_OUT("$5 = {0x55, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x99}\n");
	ASSERT_OUT("$6 = {0x0, 0x11, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0}\n$7 = {0x55, 0x0}\n");
	/* an access watchpoint stops at the store, then at the check's load */
	ASSERT_OUT("Hardware access (read/write) watchpoint 2: gdb_watched\n\n"
		   "Old value = 0\nNew value = 26232\n");
	ASSERT_OUT("Hardware access (read/write) watchpoint 2: gdb_watched\n\nValue = 26232\n");
	ASSERT_OUT("exited with code 01]");
	ck_assert_int_eq(vmm_finish(&v), 1);
	ASSERT_LOG(&v, "FAIL: gdb_add(0x1234, 0x5678) = 0x6678");
}
END_TEST

/* ---- the protocol by hand ------------------------------------------------- */

static int connect_to(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_str(int fd, const char *s)
{
	ck_assert_int_eq(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void send_pkt(int fd, const char *data)
{
	char buf[1024];
	unsigned int sum = 0;
	const char *p;

	for (p = data; *p; p++)
		sum += (unsigned char)*p;
	snprintf(buf, sizeof(buf), "$%s#%02x", data, sum & 0xff);
	send_str(fd, buf);
}

/* The next byte, or -1 after 10 s. */
static int get_byte(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned char c;

	if (poll(&pfd, 1, 10000) <= 0 || recv(fd, &c, 1, 0) != 1)
		return -1;
	return c;
}

/* The next packet's data (acks skipped, ours sent), "" if none came. */
static const char *get_pkt(int fd)
{
	static char buf[4096];
	size_t n = 0;
	int c;

	while ((c = get_byte(fd)) != '$')
		if (c < 0)
			return "";
	while ((c = get_byte(fd)) >= 0 && c != '#' && n < sizeof(buf) - 1)
		buf[n++] = (char)c;
	buf[n] = '\0';
	get_byte(fd);
	get_byte(fd);
	send_str(fd, "+");
	return buf;
}

static const char *transact(int fd, const char *data)
{
	send_pkt(fd, data);
	return get_pkt(fd);
}

#define ASSERT_REPLY(fd, pkt, want) do {					\
	const char *r_ = transact(fd, pkt);					\
	ck_assert_msg(!strcmp(r_, want), "'%s' got '%s', want '%s'", pkt, r_, want); \
} while (0)

static const uint32_t loop_words[] = { 0x14000000 };	/* b . */

/*
 * A running guest: attaching stops it, Ctrl-C stops it again after a
 * continue, bad packets get E or the empty reply and a bad checksum a '-',
 * a second debugger is refused, a breakpoint is BRK #0 in memory while
 * set, D lets the guest run on and a new debugger can attach; k ends vmm
 * with status 0.
 */
START_TEST(protocol_by_hand)
{
	char *g = write_guest(loop_words, 1);
	struct vmm_proc v;
	int fd, fd2;

	vmm_start(&v, "-k", g, NULL);
	fd = connect_to(v.port);
	ASSERT_REPLY(fd, "qSupported:swbreak+;hwbreak+",
		     "PacketSize=5000;qXfer:features:read+;swbreak+;hwbreak+;"
		     "QStartNoAckMode+;vContSupported+");
	ASSERT_REPLY(fd, "?", "T05thread:1;");
	ASSERT_REPLY(fd, "qfThreadInfo", "m1");
	ASSERT_REPLY(fd, "qsThreadInfo", "l");
	ASSERT_REPLY(fd, "qC", "QC1");
	ASSERT_REPLY(fd, "p20", "0000088000000000");		/* PC: RAM + 0x80000 */
	ASSERT_REPLY(fd, "m80080000,4", "00000014");
	ASSERT_REPLY(fd, "Z0,80080000,4", "OK");
	ASSERT_REPLY(fd, "m80080000,4", "000020d4");		/* BRK #0 */
	ASSERT_REPLY(fd, "z0,80080000,4", "OK");
	ASSERT_REPLY(fd, "m80080000,4", "00000014");
	/* bad input: errors, never a crash */
	ASSERT_REPLY(fd, "m1,4", "E0e");			/* not RAM */
	ASSERT_REPLY(fd, "mzz", "E16");
	ASSERT_REPLY(fd, "P20=zz", "E16");
	ASSERT_REPLY(fd, "Hg9", "E16");
	ASSERT_REPLY(fd, "T2", "E03");
	ASSERT_REPLY(fd, "Z2,80000000,3", "OK");
	ASSERT_REPLY(fd, "Z2,80000001,9", "E16");		/* not encodable */
	ASSERT_REPLY(fd, "z2,80000000,3", "OK");
	ASSERT_REPLY(fd, "Xfoo", "E16");
	ASSERT_REPLY(fd, "vFrob", "");
	ASSERT_REPLY(fd, "M80080000,4:0000001", "E16");	/* odd length */
	send_str(fd, "$g#00");
	ck_assert_int_eq(get_byte(fd), '-');
	/* one debugger at a time */
	fd2 = connect_to(v.port);
	{
		struct pollfd pfd = { .fd = fd2, .events = POLLIN };
		char c;

		ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		ck_assert_int_eq(recv(fd2, &c, 1, 0), 0);	/* closed at once */
	}
	close(fd2);
	/* continue, then Ctrl-C */
	send_pkt(fd, "vCont;c");
	ck_assert_int_eq(get_byte(fd), '+');
	usleep(200000);
	send_str(fd, "\x03");
	ck_assert_str_eq(get_pkt(fd), "T02thread:1;");
	ASSERT_REPLY(fd, "p20", "0000088000000000");
	/* detach: the guest runs on, and another debugger may come */
	ASSERT_REPLY(fd, "D", "OK");
	close(fd);
	usleep(200000);
	ck_assert_int_eq(waitpid(v.pid, NULL, WNOHANG), 0);
	fd = connect_to(v.port);
	ASSERT_REPLY(fd, "?", "T05thread:1;");
	send_pkt(fd, "k");
	ck_assert_int_eq(vmm_finish(&v), 0);
	close(fd);
	unlink(g);
	free(g);
}
END_TEST

/*
 * Two vCPUs, both running: vCPU 0 starts vCPU 1 (PSCI CPU_ON) at
 * 0x80080020, then each counts in its own register for ever (x5, x6).
 */
static const uint32_t smp_words[] = {
	0xd2800060,	/* mov x0, #3 */
	0xf2b88000,	/* movk x0, #0xc400, lsl #16: CPU_ON (SMC64) */
	0xd2800021,	/* mov x1, #1: MPIDR of vCPU 1 */
	0x100000a2,	/* adr x2, 0x80080020 */
	0xd2800003,	/* mov x3, #0 */
	0xd4000002,	/* hvc #0 */
	0x910004a5,	/* 0x80080018: add x5, x5, #1 */
	0x17ffffff,	/* b 0x80080018 */
	0x910004c6,	/* 0x80080020: add x6, x6, #1 */
	0x17ffffff,	/* b 0x80080020 */
};

/* register @reg (hex, as 'p' names it) of thread @thr: its value */
static uint64_t reg_of(int fd, int thr, const char *reg)
{
	char pkt[32];
	const char *r;
	uint64_t v = 0;
	int i;

	snprintf(pkt, sizeof(pkt), "Hg%d", thr);
	ASSERT_REPLY(fd, pkt, "OK");
	snprintf(pkt, sizeof(pkt), "p%s", reg);
	r = transact(fd, pkt);
	ck_assert_msg(strlen(r) == 16, "'%s' got '%s'", pkt, r);
	for (i = 7; i >= 0; i--) {
		char byte[3] = { r[2 * i], r[2 * i + 1], 0 };

		v = v << 8 | strtoul(byte, NULL, 16);
	}
	return v;
}

/*
 * Each vCPU a thread, on a guest whose two vCPUs both run: both listed,
 * each one's registers through Hg, a step of one with the other parked
 * (vCont;s:2), a breakpoint that only vCPU 1 reaches reported as thread 2,
 * Ctrl-C stopping both.
 */
START_TEST(threads_on_two_running_vcpus)
{
	char *g = write_guest(smp_words, sizeof(smp_words) / sizeof(smp_words[0]));
	uint64_t x5, x6, pc;
	struct vmm_proc v;
	const char *r;
	int fd, i;

	vmm_start(&v, "-k", g, "-c", "2", NULL);
	usleep(300000);				/* vCPU 1 on and counting */
	fd = connect_to(v.port);
	ASSERT_REPLY(fd, "qSupported:swbreak+;hwbreak+",
		     "PacketSize=5000;qXfer:features:read+;swbreak+;hwbreak+;"
		     "QStartNoAckMode+;vContSupported+");
	ASSERT_REPLY(fd, "?", "T05thread:1;");
	ASSERT_REPLY(fd, "qfThreadInfo", "m1,2");
	ASSERT_REPLY(fd, "qsThreadInfo", "l");
	ASSERT_REPLY(fd, "T2", "OK");
	ASSERT_REPLY(fd, "T3", "E03");
	ASSERT_REPLY(fd, "qThreadExtraInfo,2", "764350552031");	/* "vCPU 1" */
	/* a loaded host may not have run vCPU 1 yet: let it, within 10 s */
	for (i = 0; i < 50 && reg_of(fd, 2, "6") == 0; i++) {
		send_pkt(fd, "vCont;c");
		ck_assert_int_eq(get_byte(fd), '+');
		usleep(200000);
		send_str(fd, "\x03");
		r = get_pkt(fd);
		ck_assert_msg(!strncmp(r, "T02thread:", 10), "Ctrl-C got '%s'", r);
	}
	/* each vCPU its own registers: x5 counts on vCPU 0, x6 on vCPU 1 */
	x5 = reg_of(fd, 1, "5");
	ck_assert_uint_gt(x5, 0);
	ck_assert_uint_eq(reg_of(fd, 1, "6"), 0);
	ck_assert_uint_eq(reg_of(fd, 2, "5"), 0);
	x6 = reg_of(fd, 2, "6");
	ck_assert_uint_gt(x6, 0);
	pc = reg_of(fd, 2, "20");
	ck_assert_msg(pc == 0x80080020 || pc == 0x80080024, "vCPU 1's PC %#lx", (unsigned long)pc);
	/* stopped: nothing moves */
	ck_assert_uint_eq(reg_of(fd, 1, "5"), x5);
	ck_assert_uint_eq(reg_of(fd, 2, "6"), x6);
	/* step vCPU 1 twice (one loop: add, b), vCPU 0 parked */
	ASSERT_REPLY(fd, "vCont;s:2", "T05thread:2;");
	ASSERT_REPLY(fd, "vCont;s:2", "T05thread:2;");
	ck_assert_uint_eq(reg_of(fd, 2, "20"), pc);
	ck_assert_uint_eq(reg_of(fd, 2, "6"), x6 + 1);
	ck_assert_uint_eq(reg_of(fd, 1, "5"), x5);
	/* a breakpoint in vCPU 1's loop: thread 2 stops there, vCPU 0 ran meanwhile */
	ASSERT_REPLY(fd, "Z0,80080020,4", "OK");
	ASSERT_REPLY(fd, "vCont;c", "T05thread:2;swbreak:;");
	ck_assert_uint_eq(reg_of(fd, 2, "20"), 0x80080020);
	ASSERT_REPLY(fd, "z0,80080020,4", "OK");
	/* and in vCPU 0's: thread 1 */
	ASSERT_REPLY(fd, "Z0,80080018,4", "OK");
	ASSERT_REPLY(fd, "vCont;c", "T05thread:1;swbreak:;");
	ASSERT_REPLY(fd, "z0,80080018,4", "OK");
	/* both run, then Ctrl-C stops both */
	x5 = reg_of(fd, 1, "5");
	x6 = reg_of(fd, 2, "6");
	send_pkt(fd, "vCont;c");
	ck_assert_int_eq(get_byte(fd), '+');
	usleep(200000);
	send_str(fd, "\x03");
	r = get_pkt(fd);
	ck_assert_msg(!strncmp(r, "T02thread:", 10), "Ctrl-C got '%s'", r);
	ck_assert_uint_gt(reg_of(fd, 1, "5"), x5);
	ck_assert_uint_gt(reg_of(fd, 2, "6"), x6);
	x5 = reg_of(fd, 1, "5");
	x6 = reg_of(fd, 2, "6");
	usleep(100000);
	ck_assert_uint_eq(reg_of(fd, 1, "5"), x5);
	ck_assert_uint_eq(reg_of(fd, 2, "6"), x6);
	send_pkt(fd, "k");
	ck_assert_int_eq(vmm_finish(&v), 0);
	close(fd);
	unlink(g);
	free(g);
}
END_TEST

/* A debugger that goes away without a word: the guest resumes and ends. */
START_TEST(disconnect_resumes_guest)
{
	struct vmm_proc v;
	int fd;

	vmm_start(&v, "--testdev", "-k", guest_path("gdb"), "--start-paused", NULL);
	fd = connect_to(v.port);
	ASSERT_REPLY(fd, "?", "T05thread:1;");
	ASSERT_REPLY(fd, "Z0,80000000,4", "OK");		/* removed when it goes */
	close(fd);
	ck_assert_int_eq(vmm_finish(&v), 0);
	ASSERT_LOG(&v, "RESULT: gdb PASS");
}
END_TEST

Suite *gdbstub_suite(void)
{
	return CHECK_SUITE("gdbstub", 300, gdb_session, gdb_hbreak_and_register_write,
			   protocol_by_hand, threads_on_two_running_vcpus,
			   disconnect_resumes_guest);
}
