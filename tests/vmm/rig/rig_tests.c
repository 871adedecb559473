// SPDX-License-Identifier: GPL-2.0
/*
 * vmm under real KVM, in the QEMU rig (tests/rig/run-rig.sh): a static
 * aarch64 program that carries the static vmm and a tiny raw guest, runs
 * them with --accel kvm and prints TAP.  Build and run: make vmm-rig-check.
 *
 * It also carries guests/gdb.c and debugs it through `vmm run --accel kvm
 * --gdb`: gdb-multiarch is not in the rig, so the remote protocol is spoken
 * here, the packets gdb sends for tests/vmm/test_gdbstub.c's sessions under
 * vkvm (the symbols' addresses come from gdb.elf at build time).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../../lib/spawn.h"

extern const char vmm_blob_start[], vmm_blob_end[];
extern const char gdb_blob_start[], gdb_blob_end[];

/* "ok\n" on the UART; unhandled read of 0x01000100; LDP there (NISV);
 * then 7 + the value read to the test-exit device */
static const unsigned int guest[] = {
	0xd2a02001, 0x52800de2, 0x39000022, 0x52800d62, 0x39000022, 0x52800142,
	0x39000022, 0xd2802001, 0xf2a02001, 0xb9400023, 0xa9401424, 0xd2a02064,
	0x11001c65, 0xb9000085, 0x14000000,
};

static char out[1 << 16];
static volatile pid_t alarm_pid;
static FILE *console;

static void on_alarm(int sig)
{
	(void)sig;
	if (alarm_pid > 0)
		kill(alarm_pid, SIGKILL);	/* our own child, by its pid */
}

/*
 * TAP to stdout and, as progress, to the rig's console as a TAP comment
 * (the rig shows both: the progress copy must not count twice).
 */
static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs(buf, stdout);
	fflush(stdout);
	if (console) {
		fprintf(console, "# progress: %s", buf);
		fflush(console);
	}
}
static int n_test, n_fail;

static int run(const char *a0, ...)
{
	char *argv[32] = { "/tmp/vmm" };
	int fd, status;
	va_list ap;
	pid_t pid;

	va_start(ap, a0);
	argv_append(argv, 1, 32, a0, ap);
	va_end(ap);
	pid = spawn_piped(argv, &fd);
	if (pid < 0)
		return -1;
	/* a vmm that hangs must not hang the rig: kill it after 90 s */
	alarm_pid = pid;
	alarm(90);
	read_all(fd, out, sizeof(out));
	alarm(0);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void check(int ok, const char *name)
{
	n_test++;
	say("%sok %d - %s\n", ok ? "" : "not ", n_test, name);
	if (!ok) {
		static char copy[sizeof(out)], last[sizeof(out)];

		n_fail++;
		if (!strcmp(out, last)) {	/* a session's later checks */
			say("# output: as above\n");
			return;
		}
		memcpy(last, out, sizeof(out));
		say("# output:\n");
		memcpy(copy, out, sizeof(out));
		for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n"))
			say("#   %s\n", l);
	}
}

static int has(const char *s)
{
	return strstr(out, s) != NULL;
}

/* ---- the GDB remote stub under KVM ------------------------------------------ */

#ifndef GDB_ADD
#error "GDB_ADD, GDB_MESSAGE and GDB_WATCHED: guests/gdb.elf's symbols (tests/vmm/vmm.mk)"
#endif

struct stub {
	pid_t pid;
	int out;		/* vmm's stdout and stderr */
	int fd;			/* the debugger's connection */
	size_t len;		/* of out[]: vmm's output, then the exchanges */
};

/* Appends to out[] (what check() prints on failure). */
static void note(struct stub *s, const char *fmt, ...)
{
	va_list ap;

	if (s->len >= sizeof(out) - 1)
		return;
	va_start(ap, fmt);
	s->len += (size_t)vsnprintf(out + s->len, sizeof(out) - s->len, fmt, ap);
	va_end(ap);
	if (s->len > sizeof(out) - 1)
		s->len = sizeof(out) - 1;
}

/* Reads what vmm printed for up to @ms; true once @what is in it. */
static int stub_wait_log(struct stub *s, const char *what, int ms)
{
	struct pollfd pfd = { .fd = s->out, .events = POLLIN };
	ssize_t n;

	while (!strstr(out, what)) {
		if (ms <= 0 || s->out < 0 || poll(&pfd, 1, 100) < 0)
			return 0;
		ms -= 100;
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(s->out, out + s->len, sizeof(out) - 1 - s->len);
		if (n <= 0) {
			close(s->out);
			s->out = -1;
			return strstr(out, what) != NULL;
		}
		s->len += (size_t)n;
		out[s->len] = '\0';
	}
	return 1;
}

/* The rig's /init leaves lo down: 127.0.0.1 needs it up. */
static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/*
 * vmm run --accel kvm ARGS... --gdb tcp:127.0.0.1:0 --timeout 60, and a
 * connection to the port it printed; 0 if that failed (out[] says why).
 */
static int stub_start(struct stub *s, const char *a0, ...)
{
	char *argv[32] = { "/tmp/vmm", "run", "--accel", "kvm" };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *p;
	va_list ap;
	int argc;

	va_start(ap, a0);
	argc = argv_append(argv, 4, 27, a0, ap);
	va_end(ap);
	argv[argc++] = "--gdb";
	argv[argc++] = "tcp:127.0.0.1:0";
	argv[argc++] = "--timeout";
	argv[argc++] = "60";
	argv[argc] = NULL;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	out[0] = '\0';
	s->pid = spawn_piped(argv, &s->out);
	if (s->pid < 0) {
		note(s, "cannot start /tmp/vmm\n");
		return 0;
	}
	if (!stub_wait_log(s, "listening on tcp:127.0.0.1:", 30000) ||
	    !stub_wait_log(s, "\n", 5000)) {
		note(s, "\n(no listening line from vmm)\n");
		return 0;
	}
	p = strstr(out, "listening on tcp:127.0.0.1:") + strlen("listening on tcp:127.0.0.1:");
	sa.sin_port = htons((uint16_t)atoi(p));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->fd < 0 || connect(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		note(s, "connect to port %d: %m\n", atoi(p));
		return 0;
	}
	note(s, "-- the session:\n");
	return 1;
}

/* The next byte from the stub, or -1 after 30 s (nested KVM under TCG is slow). */
static int get_byte(struct stub *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	unsigned char c;

	if (s->fd < 0 || poll(&pfd, 1, 30000) <= 0 || recv(s->fd, &c, 1, 0) != 1)
		return -1;
	return c;
}

/* Sends @data as a packet ("\x03": that byte alone, an interrupt). */
static void send_pkt(struct stub *s, const char *data)
{
	char pkt[256];
	unsigned int sum = 0;

	for (const char *p = data; *p; p++)
		sum += (unsigned char)*p;
	if (!strcmp(data, "\x03"))
		snprintf(pkt, sizeof(pkt), "\x03");
	else
		snprintf(pkt, sizeof(pkt), "$%s#%02x", data, sum & 0xff);
	if (s->fd >= 0)
		send(s->fd, pkt, strlen(pkt), MSG_NOSIGNAL);
}

/* Sends @data, returns the reply's data ("" if none came in time). */
static const char *xfer(struct stub *s, const char *data)
{
	static char buf[0x5000 + 1];
	size_t n = 0;
	int c;

	send_pkt(s, data);
	buf[0] = '\0';
	while ((c = get_byte(s)) != '$')
		if (c < 0)
			goto done;
	while ((c = get_byte(s)) >= 0 && c != '#' && n < sizeof(buf) - 1)
		buf[n++] = (char)c;
	buf[n] = '\0';
	get_byte(s);
	get_byte(s);
	if (s->fd >= 0)
		send(s->fd, "+", 1, MSG_NOSIGNAL);
done:
	note(s, "> %s\n< %.200s%s\n", data, buf, n > 200 ? "..." : "");
	return buf;
}

/* A packet whose reply must be @want exactly. */
static int xfer_is(struct stub *s, const char *data, const char *want)
{
	return !strcmp(xfer(s, data), want);
}

/* A 64-bit register as the stub sends it: little-endian hex. */
static const char *le64(uint64_t v)
{
	static char buf[4][17];
	static int i;

	i = (i + 1) & 3;
	for (int b = 0; b < 8; b++)
		snprintf(buf[i] + 2 * b, 3, "%02x", (unsigned int)(v >> (8 * b)) & 0xff);
	return buf[i];
}

static const char *pkt(const char *fmt, ...)
{
	static char buf[4][128];
	static int i;
	va_list ap;

	i = (i + 1) & 3;
	va_start(ap, fmt);
	vsnprintf(buf[i], sizeof(buf[i]), fmt, ap);
	va_end(ap);
	return buf[i];
}

/* vmm's exit status once it ended (-1 if it had to be killed), the rest of
 * its output appended to out[]. */
static int stub_finish(struct stub *s)
{
	int status;

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	note(s, "-- vmm, to its end:\n");
	alarm_pid = s->pid;
	alarm(90);
	stub_wait_log(s, "\x01never", 90000);
	waitpid(s->pid, &status, 0);
	alarm(0);
	if (s->out >= 0)
		close(s->out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * tests/vmm/test_gdbstub.c's gdb_session under KVM: a software breakpoint
 * on gdb_add, its arguments, memory, a step, a write watchpoint on
 * gdb_watched (the store is stopped before it is done: step it, then read
 * the value), FP/SIMD registers written and read, on to the exit.
 */
static void gdb_sw_session(void)
{
	struct stub s;
	int ok, rc;
	char want[64];

	ok = stub_start(&s, "--testdev", "-k", "/tmp/gdb.bin", "--start-paused", "--no-sve",
			NULL);
	ok = ok && stub_wait_log(&s, "the vCPUs wait for the debugger", 1000);
	ok = ok && !strncmp(xfer(&s, "qSupported:swbreak+;hwbreak+"), "PacketSize=", 11);
	ok = ok && xfer_is(&s, "?", "T05thread:1;") && xfer_is(&s, "qfThreadInfo", "m1");
	ok = ok && strstr(xfer(&s, "qXfer:features:read:target.xml:0,ffb"), "aarch64");
	check(ok, "kvm gdb: --start-paused, the stub answers, one thread");

	ok = ok && xfer_is(&s, pkt("Z0,%x,4", GDB_ADD), "OK");
	ok = ok && xfer_is(&s, pkt("m%x,4", GDB_ADD), "000020d4");
	ok = ok && xfer_is(&s, "vCont;c", "T05thread:1;swbreak:;");
	ok = ok && xfer_is(&s, "p20", le64(GDB_ADD));
	check(ok, "kvm gdb: software breakpoint (BRK, KVM_GUESTDBG_USE_SW_BP), continue");

	ok = ok && xfer_is(&s, "p0", le64(0x1234)) && xfer_is(&s, "p1", le64(0x5678));
	ok = ok && !strncmp(xfer(&s, "g"), pkt("%s%s", le64(0x1234), le64(0x5678)), 32);
	check(ok, "kvm gdb: registers (p and g): gdb_add's arguments");

	/* "vmm gdbstub" */
	ok = ok && xfer_is(&s, pkt("m%x,b", GDB_MESSAGE), "766d6d2067646273747562");
	ok = ok && xfer_is(&s, pkt("M%x,4:11223344", GDB_WATCHED), "OK");
	ok = ok && xfer_is(&s, pkt("m%x,4", GDB_WATCHED), "11223344");
	ok = ok && xfer_is(&s, pkt("M%x,4:00000000", GDB_WATCHED), "OK");
	check(ok, "kvm gdb: memory read and written at guest virtual addresses");

	ok = ok && xfer_is(&s, pkt("z0,%x,4", GDB_ADD), "OK");
	ok = ok && xfer_is(&s, pkt("m%x,4", GDB_ADD), "0000018b");	/* add x0, x0, x1 */
	ok = ok && xfer_is(&s, "vCont;s:1", "T05thread:1;");
	ok = ok && xfer_is(&s, "p20", le64(GDB_ADD + 4)) && xfer_is(&s, "p0", le64(0x68ac));
	check(ok, "kvm gdb: single step (KVM_GUESTDBG_SINGLESTEP)");

	/* v2 (gdb's 36): the upper half written, both halves read back */
	ok = ok && xfer_is(&s, "P24=00000000000000007700000000000000", "OK");
	ok = ok && xfer_is(&s, "p24", "00000000000000007700000000000000");
	ok = ok && strlen(xfer(&s, "p42")) == 8;		/* fpsr */
	check(ok, "kvm gdb: FP/SIMD registers written and read");

	snprintf(want, sizeof(want), "T05thread:1;watch:%x;", GDB_WATCHED);
	ok = ok && xfer_is(&s, pkt("Z2,%x,8", GDB_WATCHED), "OK");
	ok = ok && xfer_is(&s, "vCont;c", want);
	ok = ok && xfer_is(&s, pkt("m%x,8", GDB_WATCHED), le64(0));
	ok = ok && xfer_is(&s, pkt("z2,%x,8", GDB_WATCHED), "OK");
	ok = ok && xfer_is(&s, "vCont;s:1", "T05thread:1;");
	ok = ok && xfer_is(&s, pkt("m%x,8", GDB_WATCHED), le64(0x68ac));
	check(ok, "kvm gdb: write watchpoint (KVM_GUESTDBG_USE_HW), stopped before the store");

	ok = ok && xfer_is(&s, "vCont;c", "W00");
	rc = stub_finish(&s);
	check(ok && rc == 0 && has("RESULT: gdb PASS"), "kvm gdb: continue to the guest's exit, W00");
}

/*
 * tests/vmm/test_gdbstub.c's gdb_hbreak_and_register_write under KVM: a
 * hardware breakpoint, x0 written, the guest's check fails: W01.
 */
static void gdb_hw_session(void)
{
	struct stub s;
	int ok, rc;

	ok = stub_start(&s, "--testdev", "-k", "/tmp/gdb.bin", "--start-paused", "--sve-vl", "256",
			NULL);
	ok = ok && !strncmp(xfer(&s, "qSupported:swbreak+;hwbreak+"), "PacketSize=", 11);
	/* SVE at 256 bits: z3 (gdb's 37) through KVM_REG_ARM64_SVE, vg (85) 4 */
	ok = ok && strstr(xfer(&s, "qXfer:features:read:target.xml:0,2800"),
			  "<reg name=\"z3\" bitsize=\"256\" type=\"svev\"/>");
	ok = ok && xfer_is(&s, "p55", le64(4));
	ok = ok && xfer_is(&s, pkt("P25=%s%s%s%s", le64(0x55), le64(0), le64(0), le64(0x99)), "OK");
	ok = ok && xfer_is(&s, "p25", pkt("%s%s%s%s", le64(0x55), le64(0), le64(0), le64(0x99)));
	check(ok, "kvm gdb: SVE registers at 256 bits (vg, a Z register written and read)");
	ok = ok && xfer_is(&s, pkt("Z1,%x,4", GDB_ADD), "OK");
	ok = ok && xfer_is(&s, pkt("m%x,4", GDB_ADD), "0000018b");	/* memory untouched */
	ok = ok && xfer_is(&s, "vCont;c", "T05thread:1;hwbreak:;");
	ok = ok && xfer_is(&s, "p20", le64(GDB_ADD));
	check(ok, "kvm gdb: hardware breakpoint (DBGBCR/DBGBVR through KVM_GUESTDBG_USE_HW)");

	ok = ok && xfer_is(&s, pkt("P0=%s", le64(0x1000)), "OK") &&
	     xfer_is(&s, "p0", le64(0x1000));
	ok = ok && xfer_is(&s, pkt("z1,%x,4", GDB_ADD), "OK");
	ok = ok && xfer_is(&s, "vCont;c", "W01");
	rc = stub_finish(&s);
	check(ok && rc == 1 && has("FAIL: gdb_add(0x1234, 0x5678) = 0x6678"),
	      "kvm gdb: a register written changes what the guest computes");
}

/*
 * A running guest on 2 vCPUs (the first one spins, the other waits for
 * PSCI): attaching stops it, Ctrl-C stops it after a continue, k ends vmm.
 */
static void gdb_interrupt_session(void)
{
	static const unsigned int loop[] = { 0x14000000 };	/* b . */
	struct stub s;
	FILE *f;
	int ok, rc;

	f = fopen("/tmp/loop.bin", "wb");
	ok = f && fwrite(loop, 1, sizeof(loop), f) == sizeof(loop) && !fclose(f);
	ok = ok && stub_start(&s, "-k", "/tmp/loop.bin", "-c", "2", NULL);
	ok = ok && xfer_is(&s, "?", "T05thread:1;") && xfer_is(&s, "qfThreadInfo", "m1,2");
	ok = ok && xfer_is(&s, "p20", "0000088000000000");
	if (ok) {
		send_pkt(&s, "vCont;c");
		ok = get_byte(&s) == '+';
		usleep(500000);
		ok = ok && xfer_is(&s, "\x03", "T02thread:1;");
	}
	ok = ok && xfer_is(&s, "p20", "0000088000000000");
	send_pkt(&s, "k");
	rc = stub_finish(&s);
	check(ok && rc == 0, "kvm gdb: attach to a running guest, Ctrl-C, kill");
}

int main(void)
{
	FILE *f;
	int rc;

	signal(SIGALRM, on_alarm);
	console = fopen("/dev/console", "w");

	f = fopen("/tmp/vmm", "wb");
	if (!f || fwrite(vmm_blob_start, 1, (size_t)(vmm_blob_end - vmm_blob_start), f) !=
	    (size_t)(vmm_blob_end - vmm_blob_start) || fclose(f)) {
		printf("Bail out! cannot write /tmp/vmm\n");
		return 1;
	}
	chmod("/tmp/vmm", 0755);
	f = fopen("/tmp/guest.bin", "wb");
	if (!f || fwrite(guest, 1, sizeof(guest), f) != sizeof(guest) || fclose(f)) {
		printf("Bail out! cannot write /tmp/guest.bin\n");
		return 1;
	}
	f = fopen("/tmp/gdb.bin", "wb");
	if (!f || fwrite(gdb_blob_start, 1, (size_t)(gdb_blob_end - gdb_blob_start), f) !=
	    (size_t)(gdb_blob_end - gdb_blob_start) || fclose(f)) {
		printf("Bail out! cannot write /tmp/gdb.bin\n");
		return 1;
	}
	loopback_up();
	printf("1..20\n");

	rc = run("info", "--accel", "kvm", NULL);
	check(rc == 0 && has("ARM_NISV_TO_USER"), "vmm info --accel kvm");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--unhandled-mmio", "ignore",
		 "--timeout", "60", NULL);
	check(rc == 7 && has("ok\n") && has("ldr w3, [x1]") && has("KVM_EXIT_ARM_NISV") &&
	      has("nearest uart0"), "kvm: UART output, MMIO and NISV diagnostics, ignore policy");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--unhandled-mmio", "exit",
		 "--timeout", "60", NULL);
	check(rc == 4 && has("vCPU 0 registers:"), "kvm: exit policy dumps registers, status 4");

	/*
	 * After the injected abort the guest (no vectors) spins: --timeout
	 * ends it.  10 s, not less: under KVM in a loaded QEMU TCG the guest
	 * can need seconds to reach its first unbacked access.
	 */
	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--timeout", "10", NULL);
	check(rc == 124 && has("policy abort: injecting"), "kvm: abort policy injects, timeout 124");

	/* QEMU's max CPU may well support 384 bits (VQ 3): then it must be accepted */
	rc = run("info", "--accel", "kvm", NULL);
	{
		char *l = strstr(out, "SVE lengths:");
		int has384 = l && strstr(l, " 384 ") && strstr(l, " 384 ") < strchr(l, '\n');

		rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--sve-vl", "384",
			 "--unhandled-mmio", "ignore", "--timeout", "60", NULL);
		if (has384)
			check(rc == 7, "kvm: --sve-vl 384 accepted (this CPU supports it)");
		else
			check(rc == 1 && has("--sve-vl 384: not a supported vector length (supported:"),
			      "kvm: --sve-vl 384 rejected with the supported list");
	}

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--sve-vl", "4096", NULL);
	check(rc == 1 && has("(supported:"), "kvm: --sve-vl 4096 rejected");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--sve-vl", "256",
		 "--unhandled-mmio", "ignore", "--timeout", "60", NULL);
	check(rc == 7, "kvm: --sve-vl 256 accepted and the guest runs");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "-c", "2", "--loglevel", "debug",
		 "--dump-dtb", "/tmp/dtb", "--unhandled-mmio", "ignore", "--timeout", "60", NULL);
	{
		char dtb[65536];
		size_t n = 0;
		int gic = 0;

		f = fopen("/tmp/dtb", "rb");
		if (f) {
			n = fread(dtb, 1, sizeof(dtb), f);
			fclose(f);
		}
		for (size_t i = 0; i + 10 < n; i++)
			if (!memcmp(dtb + i, "arm,gic-v3", 10))
				gic = 1;
		check(rc == 7 && gic && has("GICv3: distributor"),
		      "kvm: 2 vCPUs with the in-kernel GICv3 in the DT, caps dropped");
	}

	gdb_sw_session();
	gdb_hw_session();
	gdb_interrupt_session();
	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
