// SPDX-License-Identifier: GPL-2.0
/*
 * The vmm binary end to end under vkvm: option errors, tiny raw guests and
 * the unhandled-access policies, SVE lengths, --dump-dtb through dtc,
 * `vmm test` TAP output, and the monitor and Ctrl-A escapes over a pty.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vmm_test.h"

/* prints "ok\n" on the UART, reads 0x01000100 (nothing there), LDPs it
 * (no syndrome), then writes 7 + the value read to the test-exit device */
static const uint32_t guest_words[] = {
	0xd2a02001, 0x52800de2, 0x39000022, 0x52800d62, 0x39000022, 0x52800142,
	0x39000022, 0xd2802001, 0xf2a02001, 0xb9400023, 0xa9401424, 0xd2a02064,
	0x11001c65, 0xb9000085, 0x14000000,
};
static const uint32_t loop_words[] = { 0x14000000 };	/* b . */
/* counts x0 down from 1000 (a block the JIT translates after 50 runs),
 * then writes 9 to the test-exit device */
static const uint32_t count_words[] = {
	0xd2807d00, 0xf1000400, 0x54ffffe1, 0xd2a02064, 0x52800125, 0xb9000085,
	0x14000000,
};

static char out[1 << 16];

static int vmm(const char *a0, ...)
{
	char *argv[32] = { (char *)vmm_binary() };
	va_list ap;

	va_start(ap, a0);
	argv_append(argv, 1, 32, a0, ap);
	va_end(ap);
	return run_capture(argv, out, sizeof(out));
}

static unsigned int lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#define ASSERT_OUT(str) ck_assert_msg(strstr(out, str), "output lacks '%s':\n%s", str, out)

START_TEST(bad_values_one_line)
{
	static const char *const cases[][3] = {
		{ "--cpus", "0", "--cpus" }, { "--mem", "12Q", "--mem" },
		{ "--console", "hv", "not supported yet" }, { "--console", "x", "--console" },
		{ "--irqchip", "gicv2m", "not supported yet" }, { "--irqchip", "x", "--irqchip" },
		{ "--accel", "xen", "--accel 'xen'" }, { "--unhandled-mmio", "maybe", "maybe" },
		{ "--loglevel", "loud", "--loglevel" }, { "--sve-vl", "12x", "--sve-vl" },
		{ "--timeout", "-1", "--timeout" }, { "--network", "mode=bogus", "--network" },
		{ "--network", "mode=user,hostfwd=tcp::99999-:22", "hostfwd=" },
		{ "--network", "tapif=tap0", "needs mode=" },
		{ "--inject-memory-error", "0x1000", "not in guest RAM" },
		{ "--aarch32", NULL, "not supported yet" }, { "--e2h0", NULL, "--e2h0 needs --nested" },
		{ "--bogus", NULL, "unknown option '--bogus'" },
		{ "--rng=1", NULL, "--rng takes no value" },
		{ "--console", "hv", "expected serial or virtio" },
		{ "--virtio-transport", "pci-legacy",
		  "--virtio-transport 'pci-legacy': legacy (pre-1.0) virtio is not emulated; "
		  "use pci or mmio" },
		{ "--virtio-transport", "mmio-legacy", "'mmio-legacy': legacy (pre-1.0) virtio" },
		{ "--virtio-transport", "isa", "--virtio-transport" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cases[i][1] ? vmm("run", "-k", "/dev/null", cases[i][0], cases[i][1], NULL)
				     : vmm("run", "-k", "/dev/null", cases[i][0], NULL);

		ck_assert_msg(rc == 1, "%s: exit %d", cases[i][0], rc);
		ck_assert_msg(lines(out) == 1, "%s: not one line: %s", cases[i][0], out);
		ASSERT_OUT(cases[i][2]);
	}
	/* a GICv2 has 8 CPU interfaces */
	ck_assert_int_eq(vmm("run", "-k", "/dev/null", "--irqchip", "gicv2", "-c", "9", NULL), 1);
	ASSERT_OUT("--irqchip gicv2: a GICv2 serves at most 8 vCPUs, not 9");
	ck_assert_int_eq(lines(out), 1);
	/* lkvm's words, which kvm-unit-tests' runner looks for */
	ck_assert_int_eq(vmm("run", "-k", "/nonexistent", NULL), 1);
	ASSERT_OUT("vmm: Fatal: Unable to open kernel /nonexistent (--kernel): No such file");
	ck_assert_int_eq(lines(out), 1);
	ck_assert_int_eq(vmm("frobnicate", NULL), 1);
	ck_assert_int_eq(vmm("version", NULL), 0);
	ASSERT_OUT("vmm 0.");
	ck_assert_int_eq(vmm("help", NULL), 0);
	ASSERT_OUT("run");
	ASSERT_OUT("test");
}
END_TEST

/*
 * A drop-in lkvm: kvm-unit-tests' runner accepts a binary whose --help has
 * "The most commonly used"; invoked as lkvm (make install's link) the list
 * names lkvm; `help COMMAND` is COMMAND's --help.
 */
START_TEST(lkvm_compatible_help)
{
	char dir[] = "/tmp/vmm-lkvm-XXXXXX", link[64], real[4096];
	char *argv[] = { link, (char *)"--help", NULL };
	char *argv_none[] = { link, NULL };

	ck_assert_int_eq(vmm("--help", NULL), 0);
	ASSERT_OUT("usage: vmm [--version] [--help] COMMAND [ARGS]\n\n"
		   "The most commonly used vmm commands are:\n   run ");
	ck_assert_int_eq(vmm("help", "run", NULL), 0);
	ASSERT_OUT("usage: vmm run [OPTIONS] [--kernel] FILE");
	ck_assert_int_eq(vmm("help", "frob", NULL), 1);
	ASSERT_OUT("'frob' is not a vmm command");

	ck_assert_ptr_nonnull(realpath(vmm_binary(), real));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/lkvm", dir);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(run_capture(argv, out, sizeof(out)), 0);
	ASSERT_OUT("The most commonly used lkvm commands are:");
	ck_assert_int_eq(run_capture(argv_none, out, sizeof(out)), 1);
	ASSERT_OUT("usage: lkvm ");
	unlink(link);
	rmdir(dir);
}
END_TEST

/* the help is made from the option table: every option is in it */
START_TEST(help_lists_every_option)
{
	static const char *const opts[] = {
		"-k, --kernel FILE", "-i, --initrd FILE", "-p, --params STRING", "-c, --cpus N",
		"-m, --mem MiB", "--name NAME", "--console serial|virtio", "--nodefaults",
		"-n, --network mode=user|tap|none[,...]", "--loglevel LEVEL", "--debug ", "-d, --disk FILE[,ro]",
		"--rng ", "--firmware FILE", "--dump-dtb FILE", "--debug-mmio ",
		"--debug-single-step ", "--irqchip gicv3", "--sve-max-vl BITS", "--aarch32 ",
		"--nested ", "--e2h0 ", "--pmu ", "--disable-mte ", "--accel auto|vkvm|kvm", "--sve-vl BITS", "--no-sve ",
		"--jit ", "--no-jit ",
		"--unhandled-mmio abort|ignore|stop|exit", "--no-nisv-to-user ",
		"--no-sea-to-user ", "--inject-memory-error GPA[,GPA...]", "--timeout SECONDS",
		"--start-paused ", "--gdb [tcp:][HOST:]PORT", "-s, --gdb-default ", "--testdev ", "-h, --help ", "(default 256)",
		"--9p DIR,TAG[,ro]",
	};
	size_t i;

	ck_assert_int_eq(vmm("run", "--help", NULL), 0);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		ASSERT_OUT(opts[i]);
	ASSERT_OUT("usage: vmm run [OPTIONS] [--kernel] FILE\n\n");
	ASSERT_OUT("\n124 timeout.\n");
}
END_TEST

/* docs/vmm.md, whole, and the source tree it is in (*root): make check's
 * working directory, or above the build directory of vmm. */
static char *read_doc(char *root, size_t len)
{
	static char doc[1 << 18];
	char path[PATH_MAX + 32];
	const char *dirs[] = { ".", "..", "../.." };
	size_t n = 0, i;
	FILE *f = NULL;

	for (i = 0; i < 6 && !f; i++) {
		if (i < 3)
			snprintf(root, len, "%s", dirs[i]);
		else
			snprintf(root, len, "%s/%s", vmm_binary(), dirs[i - 3]);
		snprintf(path, sizeof(path), "%s/docs/vmm.md", root);
		f = fopen(path, "r");
	}
	ck_assert_msg(f, "docs/vmm.md not found from here nor from %s", vmm_binary());
	n = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	ck_assert_uint_lt(n, sizeof(doc) - 1);
	doc[n] = '\0';
	return doc;
}

static bool opt_char(char c)
{
	return c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* @opt (an option name) in @s..@end, not as part of a longer one */
static bool names(const char *s, const char *end, const char *opt)
{
	size_t n = strlen(opt);

	for (; (s = strstr(s, opt)) && s + n <= end; s++)
		if (!opt_char(s[-1]) && !opt_char(s[n]))
			return true;
	return false;
}

/* the option at @q (an option name's length), copied into @opt */
static size_t take_opt(const char *q, char *opt, size_t len)
{
	size_t n = strspn(q, "-abcdefghijklmnopqrstuvwxyz0123456789");

	ck_assert_uint_lt(n, len);
	memcpy(opt, q, n);
	opt[n] = '\0';
	return n;
}

/*
 * docs/vmm.md against `vmm run --help`: every option the help lists is in
 * the first cell of a row of the option table, and every option those
 * cells name is in the help; each recipe names the test that runs it
 * ("Run by:" under its heading), and the files it names exist.
 */
START_TEST(docs_match_help)
{
	char root[PATH_MAX], path[PATH_MAX + 64], opt[64];
	char *doc = read_doc(root, sizeof(root)), *table, *end, *p, *q, *cell, *next;
	bool found;

	ck_assert_int_eq(vmm("run", "--help", NULL), 0);
	table = strstr(doc, "\n## vmm run\n");
	ck_assert_ptr_nonnull(table);
	end = strstr(table + 1, "\n## ");
	ck_assert_ptr_nonnull(end);
	/* the help's options: "  -x, --opt" or "      --opt" at a line's start */
	for (p = out; (p = strstr(p, "\n  ")); p++) {
		for (q = p + 1; *q == ' '; q++)
			;
		if (q[0] != '-')
			continue;
		if (q[1] != '-' && !strncmp(q + 2, ", --", 4))
			q += 4;
		take_opt(q, opt, sizeof(opt));
		found = false;
		for (cell = table; !found && (cell = strstr(cell, "\n| `")) && cell < end; cell++)
			found = names(cell, strstr(cell + 3, " | "), opt);
		ck_assert_msg(found, "docs/vmm.md's option table has no row for %s", opt);
	}
	/* the table's options, each in the help */
	for (cell = table; (cell = strstr(cell, "\n| `")) && cell < end; cell++) {
		next = strstr(cell + 3, " | ");
		for (q = cell + 3; q < next; q++) {
			if (q[0] != '-' || opt_char(q[-1]))
				continue;
			q += take_opt(q, opt, sizeof(opt)) - 1;
			ck_assert_msg(names(out, out + strlen(out), opt),
				      "docs/vmm.md documents %s, which vmm run --help lacks", opt);
		}
	}
	/* each recipe: "Run by:" before the next heading, its files present */
	p = strstr(doc, "\n## Recipes\n");
	ck_assert_ptr_nonnull(p);
	end = strstr(p + 1, "\n## ");
	ck_assert_ptr_nonnull(end);
	while ((p = strstr(p + 1, "\n### ")) && p < end) {
		next = strstr(p + 1, "\n#");
		q = strstr(p, "\nRun by: ");
		ck_assert_msg(q && q < next, "recipe '%.40s' names no test", p + 5);
		for (cell = strstr(q, "\n\n"); (q = strstr(q, "tests/")) && q < cell; q++) {
			size_t n = strcspn(q, " ,;:()`\n");

			if (q[-1] == '/' || opt_char(q[-1]))
				continue;
			while (n && q[n - 1] == '.')
				n--;
			snprintf(path, sizeof(path), "%s/%.*s", root, (int)n, q);
			ck_assert_msg(!access(path, F_OK), "recipe '%.40s': %s does not exist",
				      p + 5, path);
		}
	}
}
END_TEST

START_TEST(compressed_kernel_rejected)
{
	static const uint32_t gz[] = { 0x00088b1f, 0 };
	char *g = write_guest(gz, 2);

	ck_assert_int_eq(vmm("run", "-k", g, NULL), 1);
	ASSERT_OUT("gzip-compressed");
	ck_assert_int_eq(lines(out), 1);
	unlink(g);
	free(g);
}
END_TEST

START_TEST(policies)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);

	ck_assert_int_eq(vmm("run", "-k", g, "--unhandled-mmio", "ignore", "--timeout", "20",
			     NULL), 7);
	ASSERT_OUT("ok\n");
	ASSERT_OUT("unhandled MMIO on vCPU 0");
	ASSERT_OUT("ldr w3, [x1]");
	ASSERT_OUT("4-byte read");
	ASSERT_OUT("IPA    0x01000100  no device; nearest uart0 (ns16550a)");
	ASSERT_OUT("KVM_EXIT_ARM_NISV");
	ASSERT_OUT("ldp x4, x5, [x1]");
	ASSERT_OUT("instruction skipped (PC + 4)");

	ck_assert_int_eq(vmm("run", "-k", g, "--unhandled-mmio", "exit", "--timeout", "20",
			     NULL), 4);
	ASSERT_OUT("policy exit");
	ASSERT_OUT("vCPU 0 registers:");
	ASSERT_OUT("PC  0000000080080024");

	/* abort: the guest has no vectors, so it spins in aborts until the timeout */
	ck_assert_int_eq(vmm("run", "-k", g, "--timeout", "1", NULL), 124);
	ASSERT_OUT("policy abort: injecting a synchronous external data abort");
	unlink(g);
	free(g);
}
END_TEST

/*
 * Invoked as lkvm, an access no device claims is ignored (reads as zero)
 * as kvmtool's kvm__emulate_mmio() does, and reported in kvmtool's words
 * only with --debug-mmio: kvm-unit-tests' micro-bench reads such an
 * address under its kvmtool target.
 */
START_TEST(lkvm_ignores_unhandled_mmio)
{
	char dir[] = "/tmp/vmm-lkvm-XXXXXX", link[64], real[4096];
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char *argv[] = { link, (char *)"run", (char *)"-k", g, (char *)"--timeout",
			 (char *)"20", NULL, NULL };

	ck_assert_ptr_nonnull(realpath(vmm_binary(), real));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/lkvm", dir);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(run_capture(argv, out, sizeof(out)), 7);
	ASSERT_OUT("ok\n");
	ck_assert_msg(!strstr(out, "unhandled") && !strstr(out, "Ignoring"),
		      "lkvm reported an ignored access without --debug-mmio:\n%s", out);
	argv[6] = (char *)"--debug-mmio";
	ck_assert_int_eq(run_capture(argv, out, sizeof(out)), 7);
	ASSERT_OUT("Warning: Ignoring MMIO read at 0000000001000100 (length 4)");
	/* vmm's own default stays the abort policy */
	ck_assert_int_eq(vmm("run", "-k", g, "--timeout", "1", NULL), 124);
	ASSERT_OUT("policy abort");
	unlink(link);
	rmdir(dir);
	unlink(g);
	free(g);
}
END_TEST

START_TEST(sve_lengths)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);

	ck_assert_int_eq(vmm("run", "-k", g, "--sve-vl", "384", NULL), 1);
	ASSERT_OUT("--sve-vl 384: not a supported vector length (supported: 128 256");
	ck_assert_int_eq(lines(out), 1);
	ck_assert_int_eq(vmm("run", "-k", g, "--sve-max-vl", "4096", NULL), 1);
	ASSERT_OUT("--sve-max-vl 4096: not a supported vector length (supported:");
	ck_assert_int_eq(vmm("run", "-k", g, "--sve-vl", "512", "--unhandled-mmio", "ignore",
			     "--timeout", "20", NULL), 7);
	ck_assert_int_eq(vmm("info", "--sve-vl", "512", NULL), 0);
	ASSERT_OUT("SVE configured:  128 256 512 bits");
	ASSERT_OUT(" ARM_PMU_V3 ARM_MTE");	/* vmm run enables MTE when offered */
	unlink(g);
	free(g);
}
END_TEST

/* The DT source of the blob @dtb into out; dtc must accept it without a warning. */
static void dts_of(const char *dtb)
{
	char cmd[128];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts %s 2>&1", dtb);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_msg(!strstr(out, "Warning"), "dtc warns: %s", out);
}

START_TEST(dump_dtb)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char dtb[] = "/tmp/vmm-test-dump-XXXXXX";
	int fd = mkstemp(dtb);

	close(fd);
	ck_assert_int_eq(vmm("run", "-k", g, "-c", "2", "-p", "foo=bar", "--dump-dtb", dtb,
			     "--unhandled-mmio", "ignore", "--timeout", "20", NULL), 7);
	dts_of(dtb);
	ASSERT_OUT("bootargs = \"console=ttyS0 earlycon=uart8250,mmio,0x1000000 foo=bar\"");
	ASSERT_OUT("cpu@1 {");
	ASSERT_OUT("vmm,test-exit");
	/* --nested: vkvm offers EL2 (KVM_CAP_ARM_EL2), the guest runs at EL2 */
	ck_assert_int_eq(vmm("run", "-k", g, "--nested", "--accel", "vkvm",
			     "--unhandled-mmio", "ignore", "--timeout", "20", NULL), 7);
	unlink(dtb);
	unlink(g);
	free(g);
}
END_TEST

/* --disk and --rng: a "virtio,mmio" node per device, 0x200 apart, own SPI */
START_TEST(dump_dtb_virtio)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char dtb[] = "/tmp/vmm-test-dump-XXXXXX", disk[] = "/tmp/vmm-test-disk-XXXXXX";
	char ro[64];
	int fd = mkstemp(dtb);

	close(fd);
	fd = mkstemp(disk);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	snprintf(ro, sizeof(ro), "%s,ro", disk);
	ck_assert_int_eq(vmm("run", "-k", g, "--disk", disk, "--disk", ro, "--rng",
			     "--console", "virtio", "--virtio-transport", "mmio", "--dump-dtb", dtb,
			     "--unhandled-mmio", "ignore", "--timeout", "20", NULL), 7);
	dts_of(dtb);
	ASSERT_OUT("virtio@3000000 {");
	ASSERT_OUT("virtio@3000200 {");
	ASSERT_OUT("virtio@3000400 {");
	ASSERT_OUT("compatible = \"virtio,mmio\"");
	ASSERT_OUT("reg = <0x00 0x3000400 0x00 0x200>;");
	ASSERT_OUT("virtio@3000600 {");	/* the virtio-console, after the rng */
	ck_assert_int_eq(vmm("run", "-k", g, "--disk", "/nonexistent.img", NULL), 1);
	ASSERT_OUT("--disk '/nonexistent.img': No such file or directory");
	unlink(dtb);
	unlink(disk);
	unlink(g);
	free(g);
}
END_TEST

/* virtio-pci, the default: the bridge's node, the virtio-mmio slots empty */
START_TEST(dump_dtb_pci)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char dtb[] = "/tmp/vmm-test-dump-XXXXXX", disk[] = "/tmp/vmm-test-disk-XXXXXX";
	int fd = mkstemp(dtb);

	close(fd);
	fd = mkstemp(disk);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	ck_assert_int_eq(vmm("run", "-k", g, "--disk", disk, "--rng", "--irqchip", "gicv3-its",
			     "--dump-dtb", dtb, "--unhandled-mmio", "ignore", "--timeout", "20", NULL),
			 7);
	dts_of(dtb);
	ASSERT_OUT("pci@40000000 {");
	ASSERT_OUT("compatible = \"pci-host-ecam-generic\"");
	ASSERT_OUT("reg = <0x00 0x40000000 0x00 0x10000000>;");
	ASSERT_OUT("ranges = <0x2000000 0x00 0x50000000 0x00 0x50000000 0x00 0x30000000>;");
	ASSERT_OUT("interrupt-map-mask = <0xf800 0x00 0x00 0x07>;");
	ASSERT_OUT("msi-parent = <");
	ck_assert_msg(!strstr(out, "virtio,mmio"), "a virtio-mmio node: %s", out);
	unlink(dtb);
	unlink(disk);
	unlink(g);
	free(g);
}
END_TEST

/* --9p DIR,TAG[,ro]: one clear line for each bad value; a device in the DT */
START_TEST(p9_option)
{
	static const char *const cases[][2] = {
		{ "/nonexistent-dir,tag", "--9p '/nonexistent-dir': No such file or directory" },
		{ "/dev/null,tag", "not a directory" },
		{ "/tmp", "expects DIR,TAG or DIR,TAG,ro" },
		{ "/tmp,", "neither empty" },
		{ ",tag", "neither empty" },
		{ "/tmp,ro", "expects DIR,TAG or DIR,TAG,ro" },
		{ "/tmp,a b", "a tag of printable characters, no blanks" },
		{ "/tmp,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a tag longer than 32 bytes" },
	};
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char dtb[] = "/tmp/vmm-test-dump-XXXXXX";
	int fd = mkstemp(dtb);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(vmm("run", "-k", g, "--9p", cases[i][0], NULL), 1);
		ASSERT_OUT(cases[i][1]);
		ck_assert_int_eq(lines(out), 1);
	}
	ck_assert_int_eq(vmm("run", "-k", g, "--9p", "/tmp,t", "--9p", "/,t,ro", NULL), 1);
	ASSERT_OUT("a tag given twice");
	close(fd);
	ck_assert_int_eq(vmm("run", "-k", g, "--9p", "/tmp,share", "--9p", "/,root,ro",
			     "--virtio-transport", "mmio", "--dump-dtb", dtb, "--unhandled-mmio",
			     "ignore", "--timeout", "20", NULL), 7);
	dts_of(dtb);
	ASSERT_OUT("virtio@3000000 {");
	ASSERT_OUT("virtio@3000200 {");
	unlink(dtb);
	unlink(g);
	free(g);
}
END_TEST

START_TEST(test_runner_tap)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);
	char spec[] = "/tmp/vmm-test-spec-XXXXXX", logdir[] = "/tmp/vmm-test-logs-XXXXXX";
	char log[256];
	int fd = mkstemp(spec);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(mkdtemp(logdir));
	fprintf(f, "timeout = 20\nkernel = %s\noptions = --unhandled-mmio ignore\n\n"
		"[passes]\nexpect = ^ok\nexpect = NISV\nexit = 7\n\n"
		"[wrong status]\nexit = 0\n\n"
		"[missing line]\nexpect = ^never$\nexit = 7\n\n"
		"[kvm only]\naccel = kvm\n", g);
	fclose(f);
	ck_assert_int_eq(vmm("test", "-j", "3", "--accel", "vkvm", "--log-dir", logdir, spec,
			     NULL), 1);
	ASSERT_OUT("1..4\n");
	ASSERT_OUT("\nok 1 - passes\n");
	ASSERT_OUT("\nnot ok 2 - wrong status\n# exit status 7, expected 0\n");
	ASSERT_OUT("\nnot ok 3 - missing line\n# console never showed /^never$/");
	ASSERT_OUT("\nok 4 - kvm only # SKIP accel kvm only\n");
	ASSERT_OUT("\n1 passed, 2 failed, 1 skipped\n");
	snprintf(log, sizeof(log), "%s/passes.log", logdir);
	ck_assert_int_eq(access(log, R_OK), 0);
	ck_assert_int_eq(vmm("test", spec, "--log-dir", logdir, "/nonexistent.spec", NULL), 1);
	ASSERT_OUT("/nonexistent.spec");
	unlink(spec);
	unlink(g);
	free(g);
}
END_TEST

/* vkvm's translated blocks counted in out (VKVM_JIT_STATS' line), -1 without it */
static long jit_blocks(void)
{
	const char *p = strstr(out, "vkvm: JIT vcpu 0: ");
	long n;

	if (!p)
		return -1;
	ck_assert_int_eq(sscanf(p, "vkvm: JIT vcpu 0: %ld blocks", &n), 1);
	return n;
}

/*
 * --jit / --no-jit set VKVM_JIT for the library before the VM exists:
 * each wins over the environment, and vmm test passes it to every run;
 * KVM has nothing to switch, so both are refused there.
 */
START_TEST(jit_switch)
{
	char *g = write_guest(count_words, sizeof(count_words) / 4);
	char spec[] = "/tmp/vmm-test-spec-XXXXXX", logdir[] = "/tmp/vmm-test-logs-XXXXXX";
	char log[256];
	int fd = mkstemp(spec);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(mkdtemp(logdir));
	setenv("VKVM_JIT_STATS", "1", 1);
	unsetenv("VKVM_JIT_THRESHOLD");
	unsetenv("VKVM_JIT");
	/* on by default */
	ck_assert_int_eq(vmm("run", "--accel", "vkvm", "--timeout", "20", "-k", g, NULL), 9);
	ck_assert_int_ge(jit_blocks(), 1);
	setenv("VKVM_JIT", "0", 1);
	ck_assert_int_eq(vmm("run", "--accel", "vkvm", "--timeout", "20", "-k", g, NULL), 9);
	ck_assert_int_eq(jit_blocks(), -1);
	ck_assert_int_eq(vmm("run", "--accel", "vkvm", "--timeout", "20", "-k", g, "--jit", NULL), 9);
	ck_assert_int_ge(jit_blocks(), 1);
	setenv("VKVM_JIT", "1", 1);
	ck_assert_int_eq(vmm("run", "--accel", "vkvm", "--timeout", "20", "-k", g, NULL), 9);
	ck_assert_int_ge(jit_blocks(), 1);
	ck_assert_int_eq(vmm("run", "--accel", "vkvm", "--timeout", "20", "-k", g, "--no-jit",
			     NULL), 9);
	ck_assert_int_eq(jit_blocks(), -1);
	setenv("VKVM_JIT", "0", 1);
	/* refused, one line each */
	ck_assert_int_eq(vmm("run", "--accel", "kvm", "-k", g, "--jit", NULL), 1);
	ASSERT_OUT("vmm: --jit: only with --accel vkvm");
	ck_assert_int_eq(lines(out), 1);
	ck_assert_int_eq(vmm("run", "--accel", "kvm", "-k", g, "--no-jit", NULL), 1);
	ASSERT_OUT("vmm: --no-jit: only with --accel vkvm");
	ck_assert_int_eq(vmm("run", "-k", g, "--no-jit", "--jit", NULL), 1);
	ASSERT_OUT("--jit and --no-jit exclude each other");
	ck_assert_int_eq(lines(out), 1);

	fprintf(f, "[count]\nkernel = %s\nexit = 9\ntimeout = 20\n", g);
	fclose(f);
	ck_assert_int_eq(vmm("test", "--accel", "vkvm", "--jit", "--log-dir", logdir, spec, NULL),
			 0);
	ASSERT_OUT("\nok 1 - count\n");
	snprintf(log, sizeof(log), "%s/count.log", logdir);
	f = fopen(log, "r");
	ck_assert_ptr_nonnull(f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	ASSERT_OUT(" --jit ");
	ck_assert_int_ge(jit_blocks(), 1);
	ck_assert_int_eq(vmm("test", "--accel", "kvm", "--no-jit", "--log-dir", logdir, spec,
			     NULL), 1);
	ASSERT_OUT("vmm test: --no-jit: only with --accel vkvm");
	ck_assert_int_eq(vmm("test", "--jit", "--no-jit", "--log-dir", logdir, spec, NULL), 1);
	ASSERT_OUT("vmm test: --jit and --no-jit exclude each other");
	unlink(log);
	rmdir(logdir);
	unlink(spec);
	unlink(g);
	free(g);
}
END_TEST

/* ---- over a pty ---------------------------------------------------------- */

struct pty_run {
	pid_t pid;
	int fd;
	char buf[1 << 16];
	size_t len;
};

static void pty_start(struct pty_run *p, char *const argv[])
{
	memset(p, 0, sizeof(*p));
	p->pid = forkpty(&p->fd, NULL, NULL, NULL);
	ck_assert_int_ge(p->pid, 0);
	if (!p->pid) {
		execv(argv[0], argv);
		_exit(127);
	}
}

/* Read until @want appears (true) or 10 s pass (false). */
static bool pty_expect(struct pty_run *p, const char *want)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		ssize_t n;

		p->buf[p->len] = '\0';
		if (strstr(p->buf, want))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			return false;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len);
		if (n <= 0)
			return strstr(p->buf, want) != NULL;
		p->len += (size_t)n;
	}
}

static void pty_send(struct pty_run *p, const char *s)
{
	ck_assert_int_eq(write(p->fd, s, strlen(s)), (ssize_t)strlen(s));
}

static int pty_wait(struct pty_run *p)
{
	int status, i;

	for (i = 0; i < 100; i++) {
		char tmp[4096];

		while (read(p->fd, tmp, sizeof(tmp)) > 0)
			;
		if (waitpid(p->pid, &status, WNOHANG) == p->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(100000);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
	return -1;
}

#define EXPECT(p, s) ck_assert_msg(pty_expect(p, s), "no '%s' in:\n%s", s, (p)->buf)

START_TEST(monitor_over_pty)
{
	char *g = write_guest(loop_words, 1);
	char *argv[] = { (char *)vmm_binary(), "run", "-k", g, "--start-paused",
			 "--timeout", "60", NULL };
	struct pty_run p;
	char path[64], status[4096];
	FILE *f;
	size_t n;

	fcntl(0, F_GETFL);
	pty_start(&p, argv);
	EXPECT(&p, "vmm monitor: VM paused");
	EXPECT(&p, "(vmm) ");
	/* privileges are gone once the VM is built */
	snprintf(path, sizeof(path), "/proc/%d/status", p.pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(status, 1, sizeof(status) - 1, f);
	status[n] = '\0';
	fclose(f);
	ck_assert_msg(strstr(status, "CapEff:\t0000000000000000"), "%s", status);
	ck_assert_msg(strstr(status, "CapPrm:\t0000000000000000"), "%s", status);

	pty_send(&p, "regs\r");
	EXPECT(&p, "PC  0000000080080000");
	EXPECT(&p, "x0  000000008fe00000");
	pty_send(&p, "x 0x80080000 4\r");
	EXPECT(&p, "0000000080080000: 00 00 00 14");
	pty_send(&p, "x/w p:0x80080000 4\r");
	EXPECT(&p, "0000000080080000: 14000000");
	pty_send(&p, "disas 0x80080000 1\r");
	EXPECT(&p, "0000000080080000:  14000000  b");
	pty_send(&p, "x 0x10 4\r");
	EXPECT(&p, "is not guest RAM");
	pty_send(&p, "mtree\r");
	EXPECT(&p, "test-exit    device    test-exit");
	pty_send(&p, "inject serror 0x1234\r");
	EXPECT(&p, "SError pending on vCPU 0");
	pty_send(&p, "inject dabt 5\r");
	EXPECT(&p, "an ESR applies to serror only");
	pty_send(&p, "frob\r");
	EXPECT(&p, "unknown command 'frob'");
	pty_send(&p, "step\r");
	EXPECT(&p, "vCPU 0 PC 0x");
	pty_send(&p, "cont\r");
	EXPECT(&p, "resumed");
	pty_send(&p, "\001c");			/* Ctrl-A c: back in the monitor */
	EXPECT(&p, "vmm monitor: VM paused (vCPU 0 selected)");
	pty_send(&p, "quit 3\r");
	ck_assert_int_eq(pty_wait(&p), 3);
	unlink(g);
	free(g);
}
END_TEST

START_TEST(ctrl_a_x_restores_terminal)
{
	char *g = write_guest(loop_words, 1);
	char *argv[] = { (char *)vmm_binary(), "run", "-k", g, "--timeout", "60", NULL };
	struct pty_run p;
	struct termios t;

	pty_start(&p, argv);
	/* raw mode while running */
	for (int i = 0; i < 50; i++) {
		tcgetattr(p.fd, &t);
		if (!(t.c_lflag & ICANON))
			break;
		usleep(100000);
	}
	ck_assert(!(t.c_lflag & (ICANON | ECHO)));
	pty_send(&p, "\001x");
	EXPECT(&p, "terminated (Ctrl-A x)");
	ck_assert_int_eq(pty_wait(&p), 0);
	tcgetattr(p.fd, &t);
	ck_assert(t.c_lflag & ICANON);
	ck_assert(t.c_lflag & ECHO);
	close(p.fd);

	/* and on SIGTERM */
	pty_start(&p, argv);
	for (int i = 0; i < 50; i++) {
		tcgetattr(p.fd, &t);
		if (!(t.c_lflag & ICANON))
			break;
		usleep(100000);
	}
	kill(p.pid, SIGTERM);
	ck_assert_int_eq(pty_wait(&p), 128 + SIGTERM);
	tcgetattr(p.fd, &t);
	ck_assert(t.c_lflag & ICANON);
	close(p.fd);
	unlink(g);
	free(g);
}
END_TEST

/*
 * The terminal hangs up (its window closes) while vmm is not the session
 * leader, as under `make run`: the kernel signals only the leader, so vmm
 * must notice the hang-up on its own input and stop as SIGHUP would.
 */
START_TEST(terminal_hangup_stops_vmm)
{
	char *g = write_guest(loop_words, 1);
	char *argv[] = { (char *)vmm_binary(), "run", "-k", g, "--timeout", "60", NULL };
	struct termios t;
	int fd, status, i;
	pid_t leader;

	leader = forkpty(&fd, NULL, NULL, NULL);
	ck_assert_int_ge(leader, 0);
	if (!leader) {
		pid_t child;

		signal(SIGHUP, SIG_IGN);	/* a leader that outlives the hang-up */
		child = fork();
		if (!child) {
			signal(SIGHUP, SIG_DFL);
			execv(argv[0], argv);
			_exit(127);
		}
		if (child < 0 || waitpid(child, &status, 0) != child)
			_exit(126);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 125);
	}
	for (i = 0; i < 50; i++) {
		tcgetattr(fd, &t);
		if (!(t.c_lflag & ICANON))
			break;
		usleep(100000);
	}
	ck_assert_msg(!(t.c_lflag & ICANON), "vmm never set the terminal raw");
	close(fd);				/* the hang-up */
	for (i = 0; i < 100 && waitpid(leader, &status, WNOHANG) != leader; i++)
		usleep(100000);
	if (i == 100) {
		kill(leader, SIGKILL);
		waitpid(leader, &status, 0);
		ck_abort_msg("vmm still running 10 s after its terminal hung up");
	}
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 128 + SIGHUP);
	unlink(g);
	free(g);
}
END_TEST

START_TEST(stop_policy_without_console)
{
	char *g = write_guest(guest_words, sizeof(guest_words) / 4);

	/*
	 * stdin is /dev/null: no monitor possible, so registers and exit 4.
	 * Which thread sees it first is a race with two correct outcomes: the
	 * console thread reads the end of input before the access (no monitor
	 * at all), or after the monitor opened (it quits at once).
	 */
	ck_assert_int_eq(vmm("run", "-k", g, "--unhandled-mmio", "stop", "--timeout", "20",
			     NULL), 4);
	ck_assert_msg(strstr(out, "no console input for the monitor") ||
		      strstr(out, "end of console input; quitting"),
		      "output says nothing of the missing console input:\n%s", out);
	ASSERT_OUT("vCPU 0 registers:");
	unlink(g);
	free(g);
}
END_TEST

Suite *cli_suite(void)
{
	/*
	 * Each command is bounded on its own (run_capture(): 180 s, or the
	 * --timeout a booting vmm carries); this is only the outer guard, under
	 * tools/run-tests.sh's 900 s for the whole program, so that load alone
	 * (a test of 23 quick commands under ASan on a busy machine) cannot fail it.
	 */
	return CHECK_SUITE("cli", 600, bad_values_one_line,
			   help_lists_every_option, docs_match_help, lkvm_compatible_help,
			   lkvm_ignores_unhandled_mmio,
			   compressed_kernel_rejected,
			   policies, sve_lengths, dump_dtb, dump_dtb_virtio, dump_dtb_pci, p9_option,
			   test_runner_tap, jit_switch, monitor_over_pty,
			   ctrl_a_x_restores_terminal, terminal_hangup_stops_vmm,
			   stop_policy_without_console);
}
