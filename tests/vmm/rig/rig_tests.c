// SPDX-License-Identifier: GPL-2.0
/*
 * vmm under real KVM, in the QEMU rig (tests/rig/run-rig.sh): a static
 * aarch64 program that carries the static vmm and a tiny raw guest, runs
 * them with --accel kvm and prints TAP.  Build and run: make vmm-rig-check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../../lib/spawn.h"

extern const char vmm_blob_start[], vmm_blob_end[];

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
		n_fail++;
		say("# output:\n");
		for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
			say("#   %s\n", l);
	}
}

static int has(const char *s)
{
	return strstr(out, s) != NULL;
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
	printf("1..8\n");

	rc = run("info", "--accel", "kvm", NULL);
	check(rc == 0 && has("ARM_NISV_TO_USER"), "vmm info --accel kvm");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--unhandled-mmio", "ignore",
		 "--timeout", "60", NULL);
	check(rc == 7 && has("ok\n") && has("ldr w3, [x1]") && has("KVM_EXIT_ARM_NISV") &&
	      has("nearest uart0"), "kvm: UART output, MMIO and NISV diagnostics, ignore policy");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--unhandled-mmio", "exit",
		 "--timeout", "60", NULL);
	check(rc == 4 && has("vCPU 0 registers:"), "kvm: exit policy dumps registers, status 4");

	rc = run("run", "--accel", "kvm", "-k", "/tmp/guest.bin", "--timeout", "3", NULL);
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
	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
