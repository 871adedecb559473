// SPDX-License-Identifier: GPL-2.0
/*
 * vmm as a hostile user drives it (issue 11): every `vmm run`, `vmm test`
 * and `vmm info` option and file input given absurd numbers, overflowing
 * ones, empty strings, trailing garbage, duplicates, control characters,
 * directories, FIFOs, devices, unreadable and empty files, hostile Image
 * headers and spec files.  Each case must end (no hang: killed after
 * CASE_LIMIT_S), with the expected exit status, in one line naming the
 * option and the limit where it is an error, without a sanitizer report and
 * without unbounded output.  Plain TAP; runs $(BUILD)/vmm next to it, so
 * under SANITIZE=1 the sanitized vmm.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CASE_LIMIT_S	60		/* a case still running then has hung */
#define OUT_MAX		(64 << 10)	/* more output than this is a flood */
#define ANY_FAILURE	(-2)		/* want_rc: any status but 0 */

static char vmm[PATH_MAX], shim[PATH_MAX], dir[64];
static char out[OUT_MAX + 1];
static int test_no, failures;

/* ---- running vmm ---------------------------------------------------------- */

struct run_opts {
	const char *stdin_data;		/* NULL: /dev/null */
	bool hang_shim;			/* LD_PRELOAD cli_hang.so */
	bool as_nobody;			/* drop to uid/gid 65534 when root */
	bool one_cpu;			/* pinned to one CPU: races show more often */
};

/* Run argv[] with stdout+stderr captured in out[]; exit status, or -1 with why */
static int run(char *const argv[], const struct run_opts *o, const char **why)
{
	int pout[2], pin[2], status;
	struct timespec t0, t;
	size_t len = 0;
	bool flood = false, hung = false;
	pid_t pid;

	*why = NULL;
	if (pipe(pout) < 0 || pipe(pin) < 0) {
		*why = "pipe";
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*why = "fork";
		return -1;
	}
	if (!pid) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(pout[1], 2);
		close(pin[0]);
		close(pin[1]);
		close(pout[0]);
		close(pout[1]);
		if (o && o->hang_shim) {
			const char *asan = getenv("ASAN_OPTIONS");
			char opts[1024];

			setenv("LD_PRELOAD", shim, 1);
			/* the sanitized vmm wants its runtime first otherwise */
			snprintf(opts, sizeof(opts), "%s%sverify_asan_link_order=0",
				 asan ? asan : "", asan && *asan ? ":" : "");
			setenv("ASAN_OPTIONS", opts, 1);
		}
		if (o && o->as_nobody && geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(126);
		if (o && o->one_cpu) {
			cpu_set_t all, one;

			if (!sched_getaffinity(0, sizeof(all), &all))
				for (int c = 0; c < CPU_SETSIZE; c++)
					if (CPU_ISSET(c, &all)) {
						CPU_ZERO(&one);
						CPU_SET(c, &one);
						sched_setaffinity(0, sizeof(one), &one);
						break;
					}
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	if (o && o->stdin_data && write(pin[1], o->stdin_data, strlen(o->stdin_data)) < 0)
		*why = "writing stdin";
	close(pin[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = pout[0], .events = POLLIN };
		char sink[4096];
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > CASE_LIMIT_S) {
			hung = true;
			break;
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = read(pout[0], len < OUT_MAX ? out + len : sink,
			 len < OUT_MAX ? OUT_MAX - len : sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len >= OUT_MAX) {
			flood = true;
			break;
		}
		len += (size_t)n;
	}
	out[len] = '\0';
	if (hung || flood)
		kill(pid, SIGKILL);	/* our own child, by its pid */
	close(pout[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (hung) {
		*why = "hung: killed after the case limit";
		return -1;
	}
	if (flood) {
		*why = "unbounded output";
		return -1;
	}
	if (!WIFEXITED(status)) {
		*why = "killed by a signal";
		return -1;
	}
	return WEXITSTATUS(status);
}

/* ---- checking --------------------------------------------------------------- */

static unsigned int lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void diag_out(void)
{
	char *p, *save = NULL;
	int n = 0;

	for (p = strtok_r(out, "\n", &save); p && n < 8; p = strtok_r(NULL, "\n", &save), n++)
		printf("#   | %.200s\n", p);
}

/*
 * One case: argv (NULL-terminated, "@name" = a file of the scratch
 * directory), the exit status wanted, the substrings the output must have
 * ("" none); @one_line: the output is exactly one line.
 */
static void check(const char *name, int want_rc, bool one_line, const char *want1,
		  const char *want2, const struct run_opts *o, const char *const args[])
{
	char *argv[64], paths[64][PATH_MAX];
	const char *why = NULL;
	int argc = 0, rc, i;
	bool ok;

	argv[argc++] = vmm;
	for (i = 0; args[i] && argc < 63; i++) {
		if (args[i][0] == '@') {
			snprintf(paths[argc], sizeof(paths[argc]), "%s/%s", dir, args[i] + 1);
			argv[argc] = paths[argc];
			argc++;
		} else {
			argv[argc++] = (char *)args[i];
		}
	}
	argv[argc] = NULL;
	rc = run(argv, o, &why);
	ok = rc >= 0 && (want_rc == ANY_FAILURE ? rc != 0 : rc == want_rc);
	if (ok && one_line && lines(out) != 1)
		why = "not exactly one line of output";
	if (ok && !why && want1 && *want1 && !strstr(out, want1))
		why = "the expected words are missing";
	if (ok && !why && want2 && *want2 && !strstr(out, want2))
		why = "the expected words are missing";
	if (!why && (strstr(out, "Sanitizer") || strstr(out, "runtime error:")))
		why = "sanitizer report";
	if (ok && why)
		ok = false;
	test_no++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", test_no, name);
	if (!ok) {
		failures++;
		printf("#   exit %d (wanted %d)%s%s; wanted '%s' '%s'\n", rc, want_rc,
		       why ? ": " : "", why ? why : "", want1 ? want1 : "", want2 ? want2 : "");
		diag_out();
	}
	fflush(stdout);
}

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })
/* a bad value: exit 1, one line, naming what it must name */
#define BAD(name, w1, w2, ...)	check(name, 1, true, w1, w2, NULL, ARGS(__VA_ARGS__))

/* ---- the scratch files --------------------------------------------------- */

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void write_file(const char *name, const void *data, size_t len, off_t size)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) ||
	    (size && ftruncate(fd, size) < 0)) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static void write_text(const char *name, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_file(name, buf, (size_t)n, 0);
}

/* an arm64 Image header ("b ." as code0) with these fields, nothing after it */
static void write_image(const char *name, uint64_t text_offset, uint64_t image_size,
			uint64_t flags)
{
	uint8_t h[64] = { 0x00, 0x00, 0x00, 0x14 };

	put64(h + 0x08, text_offset);
	put64(h + 0x10, image_size);
	put64(h + 0x18, flags);
	memcpy(h + 0x38, "ARM\x64", 4);
	write_file(name, h, sizeof(h), 0);
}

static void make_scratch(void)
{
	static const uint8_t loop[4] = { 0x00, 0x00, 0x00, 0x14 };	/* b . */
	static const uint8_t gz[8] = { 0x1f, 0x8b, 0x08 };
	static const uint8_t zboot[64] = { 'M', 'Z', 0, 0, 'z', 'i', 'm', 'g' };
	uint8_t partial[63] = { 0x00, 0x00, 0x00, 0x14 };
	char path[PATH_MAX];

	snprintf(dir, sizeof(dir), "/tmp/vmm-robust-cli-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		exit(1);
	}
	chmod(dir, 0755);	/* the uid-65534 case must reach its file */
	write_file("loop.bin", loop, sizeof(loop), 0);
	write_file("empty", NULL, 0, 0);
	write_file("gz", gz, sizeof(gz), 0);
	write_file("zboot", zboot, sizeof(zboot), 0);
	memcpy(partial + 0x38, "ARM", 3);	/* the magic cut short: a raw binary */
	write_file("partial-header", partial, sizeof(partial), 0);
	write_image("text-offset-1", 1, 0x100000, 0);
	write_image("text-offset-2m", 0x200000, 0x100000, 0);
	write_image("text-offset-huge", ~0ULL, 0x100000, 0);
	write_image("image-size-huge", 0x80000, ~0ULL, 0);
	write_image("image-size-wrap", 0x80000, ~0ULL - 0x7ffff, 0);
	write_image("image-size-1g", 0, 1ULL << 30, 0);
	write_image("big-endian", 0, 0x100000, 1);
	write_image("pre-3.17", 0x12345, 0, 0);	/* image_size 0: text_offset ignored */
	write_file("initrd-20m", NULL, 0, 20 << 20);
	write_file("unreadable", loop, sizeof(loop), 0);
	snprintf(path, sizeof(path), "%s/unreadable", dir);
	chmod(path, 0);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	mkfifo(path, 0644);
	snprintf(path, sizeof(path), "%s/subdir", dir);
	mkdir(path, 0755);
	write_file("kernel.hang", loop, sizeof(loop), 0);	/* cli_hang.so blocks its open */
	write_file("disk.img", NULL, 0, 1 << 20);
	write_file("kernel-copy", loop, sizeof(loop), 0);
}

static void remove_scratch(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
}

/* ---- vmm run: files ------------------------------------------------------ */

static void run_files(void)
{
	static const char *const file_opts[][2] = {
		{ "--kernel", "-k" }, { "--initrd", "-i" }, { "--firmware", NULL },
		{ "--dump-dtb", NULL }, { "--disk", "-d" },
	};
	static const char *const bad_files[][2] = {
		{ "@fifo", "is a FIFO" }, { "@subdir", "is a directory" },
		{ "/dev/zero", "is a character device" }, { "/dev/null", "is a character device" },
		{ "", "expects" },
	};
	char name[160];
	size_t i, j;

	for (i = 0; i < sizeof(file_opts) / sizeof(file_opts[0]); i++)
		for (j = 0; j < sizeof(bad_files) / sizeof(bad_files[0]); j++) {
			const char *opt = file_opts[i][0], *f = bad_files[j][0];
			bool kernel = !strcmp(opt, "--kernel") || !strcmp(opt, "--firmware");

			snprintf(name, sizeof(name), "run %s '%s': refused, one line", opt, f);
			if (kernel)
				BAD(name, opt, bad_files[j][1], "run", "--timeout", "20", opt, f);
			else
				BAD(name, opt, bad_files[j][1], "run", "--timeout", "20",
				    "-k", "@loop.bin", opt, f);
		}
	/* the short forms the same */
	BAD("run -k FIFO (short form)", "--kernel", "FIFO", "run", "--timeout", "20", "-k", "@fifo");
	BAD("run -i FIFO (short form)", "--initrd", "FIFO", "run", "--timeout", "20",
	    "-k", "@loop.bin", "-i", "@fifo");
	BAD("run -d FIFO,ro", "--disk", "FIFO", "run", "--timeout", "20", "-k", "@loop.bin",
	    "-d", "@fifo,ro");
	BAD("run -d ',ro'", "--disk", "expects FILE", "run", "-k", "@loop.bin", "-d", ",ro");
	BAD("run --kernel empty file", "--kernel", "empty file", "run", "-k", "@empty");
	BAD("run --initrd empty file", "--initrd", "empty file", "run", "-k", "@loop.bin",
	    "-i", "@empty");
	BAD("run --kernel missing file", "Fatal: Unable to open kernel", "No such file", "run", "-k",
	    "@nothing");
	BAD("run --kernel missing file names the option", "(--kernel)", "No such file", "run",
	    "-k", "@nothing");
	BAD("run --kernel a path through a file", "Unable to open kernel", "Not a directory",
	    "run", "-k",
	    "@loop.bin/x");
	{
		static const struct run_opts nobody = { .as_nobody = true };

		check("run --kernel unreadable file", 1, true, "--kernel", "Permission denied",
		      &nobody, ARGS("run", "-k", "@unreadable"));
	}
}

/* ---- vmm run: Image headers and the boot layout -------------------------- */

static void run_images(void)
{
	BAD("run: text_offset 1 refused (the PC would be misaligned)", "text_offset 0x1",
	    "multiple of 4 KiB below 2 MiB", "run", "-k", "@text-offset-1");
	BAD("run: text_offset 2 MiB refused", "text_offset 0x200000", "below 2 MiB",
	    "run", "-k", "@text-offset-2m");
	BAD("run: text_offset 2^64-1 refused", "text_offset 0xffffffffffffffff", "",
	    "run", "-k", "@text-offset-huge");
	BAD("run: image_size 2^64-1 names the RAM limit, not 0 MiB", "image_size",
	    "more than the most RAM vmm gives (1046528 MiB)", "run", "-k", "@image-size-huge");
	BAD("run: image_size wrapping to 0 at the load address", "image_size",
	    "more than the most RAM", "run", "-k", "@image-size-wrap");
	BAD("run: image_size 1 GiB in 256 MiB", "needs 1024 MiB of RAM", "give more with -m",
	    "run", "-k", "@image-size-1g");
	BAD("run: big-endian Image", "--kernel", "big-endian", "run", "-k", "@big-endian");
	BAD("run: gzip kernel", "--kernel", "gzip", "run", "-k", "@gz");
	BAD("run: EFI zboot kernel", "--kernel", "zboot", "run", "-k", "@zboot");
	check("run: a header cut short is a raw binary (runs to --timeout)", 124, false,
	      "--timeout 1", "", NULL, ARGS("run", "--timeout", "1", "-k", "@partial-header"));
	check("run: pre-3.17 header (image_size 0) ignores text_offset", 124, false,
	      "--timeout 1", "", NULL, ARGS("run", "--timeout", "1", "-k", "@pre-3.17"));
	BAD("run: an initrd too big is the initrd's error, not the kernel's",
	    "--initrd '", "is 20 MiB", "run", "-m", "16", "-k", "@loop.bin", "-i", "@initrd-20m");
	BAD("run: ... and says -m helps", "--initrd", "give more memory with -m",
	    "run", "-m", "16", "-k", "@loop.bin", "-i", "@initrd-20m");
	check("run -m 1: a raw binary fits in 1 MiB", 124, false, "--timeout 1", "", NULL,
	      ARGS("run", "--timeout", "1", "-m", "1", "-k", "@loop.bin"));
	BAD("run -m 1: an Image of 1 GiB does not", "needs 1024 MiB", "has 1 MiB",
	    "run", "-m", "1", "-k", "@image-size-1g");
}

/* ---- vmm run: numbers and strings ---------------------------------------- */

static void run_values(void)
{
	static const char *const mems[] = {
		"99999999999", "0", " 5", "5x", "-1", "+5", "1024G", "18446744073709551616",
		"99999999999999999999G", "64MiB", "", "0x100",
	};
	static const char *const cpus[] = { "0", "100000", "-1", "1x", "", " 1", "513", "0x2" };
	static const char *const vls[] = { "7", "0", "99999999999999999999", "127", "65664",
					   "-128", "128x" };
	static const char *const timeouts[] = { "-1", "abc", "2147483649", " 5", "5s", "" };
	char name[160], gpas[1024], params[3100];
	size_t i;

	for (i = 0; i < sizeof(mems) / sizeof(mems[0]); i++) {
		snprintf(name, sizeof(name), "run -m '%s'", mems[i]);
		BAD(name, "--mem", strcmp(mems[i], "99999999999") ? "" : "1 to 1046528 MiB",
		    "run", "-k", "@loop.bin", "-m", mems[i]);
	}
	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		snprintf(name, sizeof(name), "run -c '%s'", cpus[i]);
		BAD(name, "--cpus", "from 1 to 512", "run", "-k", "@loop.bin", "-c", cpus[i]);
	}
	for (i = 0; i < sizeof(vls) / sizeof(vls[0]); i++) {
		snprintf(name, sizeof(name), "run --sve-vl '%s'", vls[i]);
		BAD(name, "--sve-vl", "", "run", "-k", "@loop.bin", "--sve-vl", vls[i]);
	}
	BAD("run --sve-vl 7 says multiple of 128", "--sve-vl 7", "multiple of 128",
	    "run", "-k", "@loop.bin", "--sve-vl", "7");
	BAD("run --sve-vl 4096: the hypervisor's lengths", "--sve-vl 4096", "supported: 128",
	    "run", "-k", "@loop.bin", "--sve-vl", "4096");
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		snprintf(name, sizeof(name), "run --timeout '%s'", timeouts[i]);
		BAD(name, "--timeout", "from 0 to", "run", "-k", "@loop.bin", "--timeout",
		    timeouts[i]);
	}
	check("run -c 512: the most vCPUs start and stop", 124, false, "--timeout", "", NULL,
	      ARGS("run", "--timeout", "2", "-c", "512", "-k", "@loop.bin"));

	/* --inject-memory-error: no empty list, no cut at 511 characters */
	BAD("run --inject-memory-error ','", "--inject-memory-error", "empty address",
	    "run", "-k", "@loop.bin", "--inject-memory-error", ",");
	BAD("run --inject-memory-error 'GPA,'", "--inject-memory-error", "empty address",
	    "run", "-k", "@loop.bin", "--inject-memory-error", "0x80000000,");
	BAD("run --inject-memory-error ',GPA'", "--inject-memory-error", "empty address",
	    "run", "-k", "@loop.bin", "--inject-memory-error", ",0x80000000");
	BAD("run --inject-memory-error 'GPA,,GPA'", "--inject-memory-error", "empty address",
	    "run", "-k", "@loop.bin", "--inject-memory-error", "0x80000000,,0x80001000");
	BAD("run --inject-memory-error ''", "--inject-memory-error", "empty address",
	    "run", "-k", "@loop.bin", "--inject-memory-error", "");
	BAD("run --inject-memory-error -1", "--inject-memory-error", "not a guest physical",
	    "run", "-k", "@loop.bin", "--inject-memory-error", "-1");
	BAD("run --inject-memory-error 0x8000000g", "--inject-memory-error",
	    "not a guest physical", "run", "-k", "@loop.bin", "--inject-memory-error",
	    "0x8000000g");
	BAD("run --inject-memory-error 2^64", "--inject-memory-error", "not a guest physical",
	    "run", "-k", "@loop.bin", "--inject-memory-error", "18446744073709551616");
	/* 0x800000001 zero-padded so that character 511 ends inside it: cut
	 * there it read 0x80000000, which is in RAM */
	snprintf(gpas, sizeof(gpas), "0x%0*d800000001", 511 - 2 - 8, 0);
	BAD("run --inject-memory-error of 520 characters is not cut at 511",
	    "--inject-memory-error 0x800000001", "not in guest RAM",
	    "run", "--timeout", "20", "-k", "@loop.bin", "--inject-memory-error", gpas);
	strcpy(gpas, "0x80000000");
	for (i = 0; i < 16; i++)
		strcat(gpas, ",0x80001000");
	BAD("run --inject-memory-error: 17 addresses", "--inject-memory-error", "at most 16",
	    "run", "-k", "@loop.bin", "--inject-memory-error", gpas);

	/* duplicates: the second would silently win */
	BAD("run -k twice", "--kernel given twice", "", "run", "-k", "@loop.bin", "-k", "@gz");
	BAD("run --mem then -m", "--mem given twice", "", "run", "-k", "@loop.bin",
	    "--mem", "64", "-m", "128");
	BAD("run --sve-vl and --sve-max-vl", "--sve-vl given twice", "", "run", "-k",
	    "@loop.bin", "--sve-vl", "128", "--sve-max-vl", "256");
	BAD("run --debug and --loglevel", "--loglevel given twice", "", "run", "-k",
	    "@loop.bin", "--debug", "--loglevel", "info");
	BAD("run --timeout twice", "--timeout given twice", "", "run", "-k", "@loop.bin",
	    "--timeout", "1", "--timeout", "2");
	BAD("run --console twice", "--console given twice", "", "run", "-k", "@loop.bin",
	    "--console", "serial", "--console", "virtio");
	BAD("run --firmware and --kernel", "exclude each other", "", "run", "-k", "@loop.bin",
	    "--firmware", "@loop.bin");
	BAD("run: a kernel option and a kernel argument", "unexpected argument", "",
	    "run", "-k", "@loop.bin", "@loop.bin");
	/* one file through two options */
	BAD("run --dump-dtb over the kernel", "--dump-dtb would overwrite it", "",
	    "run", "-k", "@kernel-copy", "--dump-dtb", "@kernel-copy");
	{
		static const uint8_t loop[4] = { 0x00, 0x00, 0x00, 0x14 };
		uint8_t buf[16];
		char path[PATH_MAX];
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), "%s/kernel-copy", dir);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
		if (fd >= 0)
			close(fd);
		test_no++;
		if (n == 4 && !memcmp(buf, loop, 4)) {
			printf("ok %d - run --dump-dtb over the kernel: the kernel is intact\n", test_no);
		} else {
			printf("not ok %d - run --dump-dtb over the kernel: the kernel is intact\n"
			       "#   %zd bytes\n", test_no, n);
			failures++;
		}
	}
	BAD("run --disk X --disk X (two writers)", "two writers would corrupt it", "",
	    "run", "-k", "@loop.bin", "-d", "@disk.img", "-d", "@disk.img");
	BAD("run --dump-dtb over a disk", "--dump-dtb would overwrite it", "",
	    "run", "-k", "@loop.bin", "-d", "@disk.img,ro", "--dump-dtb", "@disk.img");
	check("run --disk X,ro twice is fine", 124, false, "--timeout", "", NULL,
	      ARGS("run", "--timeout", "1", "-k", "@loop.bin", "-d", "@disk.img,ro",
		   "-d", "@disk.img,ro"));

	/* strings */
	memset(params, 'a', 3000);
	params[3000] = '\0';
	BAD("run -p of 3000 bytes: COMMAND_LINE_SIZE", "--params", "at most 2047",
	    "run", "-k", "@loop.bin", "-p", params);
	BAD("run --console with a newline: still one line", "--console", "\\x0a",
	    "run", "-k", "@loop.bin", "--console", "x\ny");
	BAD("run: an unknown option with escape codes", "unknown option", "\\x1b",
	    "run", "-k", "@loop.bin", "--\x1b[2Jx");
	BAD("run: a 3000-byte argument stays one short line", "unexpected argument", "...",
	    "run", "-k", "@loop.bin", params);
	BAD("run --accel ''", "--accel", "expected auto", "run", "-k", "@loop.bin", "--accel", "");
	BAD("run --unhandled-mmio ''", "--unhandled-mmio", "expected abort", "run", "-k",
	    "@loop.bin", "--unhandled-mmio", "");
	BAD("run --network ''", "--network", "", "run", "-k", "@loop.bin", "--network", "");
	BAD("run -k (no value)", "needs a value", "", "run", "-k");
	BAD("run (no kernel)", "no kernel", "", "run");
}

/* ---- vmm run: the console, the monitor, the deadline --------------------- */

static void run_console(void)
{
	static const struct run_opts quit7 = { .stdin_data = "quit 7\n", .one_cpu = true };
	static const struct run_opts eof = { .one_cpu = true };
	static const struct run_opts hang = { .hang_shim = true };
	char name[96];
	int i;

	/*
	 * The monitor owns the console from the start: no race with its end,
	 * or with the first line.  Before, one run in six on one CPU exited 1
	 * ("no console input for the monitor"), or sent "quit 7" to the guest.
	 */
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "run --start-paused </dev/null: exit 0 (%d/30)", i + 1);
		check(name, 0, false, "end of console input; quitting", "", &eof,
		      ARGS("run", "--timeout", "30", "--start-paused", "-k", "@loop.bin"));
	}
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "run --start-paused <<<'quit 7': exit 7 (%d/30)", i + 1);
		check(name, 7, false, "(vmm)", "", &quit7,
		      ARGS("run", "--timeout", "30", "--start-paused", "-k", "@loop.bin"));
	}
	/* --timeout is a deadline for the whole run, set-up included */
	check("run --timeout 2 with an open() that never returns: 124", 124, false,
	      "--timeout 2: set-up is still going", "", &hang,
	      ARGS("run", "--timeout", "2", "-k", "@kernel.hang"));
	check("run --timeout 2 with a hanging --disk: 124", 124, false,
	      "set-up is still going", "", &hang,
	      ARGS("run", "--timeout", "2", "-k", "@loop.bin", "-d", "@kernel.hang"));
	check("run --dump-dtb into a new file works", 124, false, "--timeout", "", NULL,
	      ARGS("run", "--timeout", "1", "-k", "@loop.bin", "--dump-dtb", "@new.dtb"));
	check("run --disk a regular file works", 124, false, "--timeout", "", NULL,
	      ARGS("run", "--timeout", "1", "-k", "@loop.bin", "-d", "@disk.img,ro"));
	/* --disk takes a block device: any loop device, read-only */
	{
		char dev[32], arg[40];
		struct stat st;
		int fd = -1, n;

		for (n = 0; n < 8 && fd < 0; n++) {
			snprintf(dev, sizeof(dev), "/dev/loop%d", n);
			if (!stat(dev, &st) && S_ISBLK(st.st_mode))
				fd = open(dev, O_RDONLY);
		}
		if (fd >= 0) {
			close(fd);
			snprintf(arg, sizeof(arg), "%s,ro", dev);
			check("run --disk a block device works", 124, false, "--timeout", "", NULL,
			      ARGS("run", "--timeout", "1", "-k", "@loop.bin", "-d", arg));
		} else {
			printf("ok %d - run --disk a block device works # SKIP no readable "
			       "/dev/loopN\n", ++test_no);
		}
	}
}

/* ---- vmm test: spec files ---------------------------------------------- */

static void spec_n(const char *name, const char *text, size_t len, const char *want1,
		   const char *want2)
{
	char file[64];

	snprintf(file, sizeof(file), "s%d.spec", test_no);
	write_file(file, text, len, 0);
	snprintf(file, sizeof(file), "@s%d.spec", test_no);
	check(name, 1, true, want1, want2, NULL, ARGS("test", "--log-dir", "@logs", file));
}

static void spec(const char *name, const char *text, const char *want1, const char *want2)
{
	spec_n(name, text, strlen(text), want1, want2);
}

static void test_specs(void)
{
	char path[PATH_MAX], *big;

	BAD("test FIFO spec", "is a FIFO", "", "test", "@fifo");
	BAD("test /dev/zero spec", "is a character device", "", "test", "/dev/zero");
	BAD("test directory spec", "is a directory", "", "test", "@subdir");
	BAD("test empty spec", "no [test] section", "", "test", "@empty");
	BAD("test missing spec", "No such file", "", "test", "@nothing.spec");
	spec_n("spec with a NUL byte", "[a]\nkernel = k\n\0\n", 16, "NUL byte", "");
	big = malloc((1 << 20) + 2);
	memset(big, '#', (1 << 20) + 1);
	big[(1 << 20) + 1] = '\0';
	spec("spec over 1 MiB", big, "at most 1048576", "");
	free(big);
	spec("spec: kernel twice in a section", "[a]\nkernel = k\nkernel = j\n",
	     ":3: kernel given twice", "");
	spec("spec: two tests of one name", "[a]\nkernel = k\n[a]\nkernel = k\n",
	     "same name", "");
	spec("spec: two names, one log file", "[a b]\nkernel = k\n[a_b]\nkernel = k\n",
	     "log file a_b.log", "");
	spec("spec: empty name", "[ ]\nkernel = k\n", "1 to 100 characters", "");
	spec("spec: name with '#' (a TAP directive)", "[x # SKIP]\nkernel = k\n", "'#'", "");
	spec("spec: options with --timeout", "[a]\nkernel = k\noptions = --timeout 5\n",
	     "--timeout is set by vmm test", "timeout key");
	spec("spec: options with -k", "[a]\nkernel = k\noptions = -k x\n",
	     "-k is set by vmm test", "");
	spec("spec: smp with more options in it", "[a]\nkernel = k\nsmp = 2 --rng\n",
	     "expected a number of vCPUs", "");
	spec("spec: an unclosed quote", "[a]\nkernel = k\noptions = 'x\n", "unclosed", "");
	spec("spec: 33 options", "[a]\nkernel = k\noptions = 1 2 3 4 5 6 7 8 9 10 11 12 13 "
	     "14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33\n", "more than 32", "");
	spec("spec: exit 256", "[a]\nkernel = k\nexit = 256\n", "0..255", "");
	spec("spec: timeout 0", "[a]\nkernel = k\ntimeout = 0\n", "1..86400", "");
	spec("spec: kernel empty", "[a]\nkernel =\n", "expects a file name", "");
	spec("spec: a bad regex", "[a]\nkernel = k\nexpect = (\n", "bad regex", "");
	/* glibc takes exponential time on back-references, and copies intervals */
	spec("spec: a back-reference", "[a]\nkernel = k\nexpect = ^(a+)+\\1b\n",
	     "back-reference", "");
	spec("spec: a back-reference in reject", "[a]\nkernel = k\nreject = (.*)\\1\n",
	     "back-reference", "");
	spec("spec: (a{32767}){32767} (regcomp never ends)",
	     "[a]\nkernel = k\nexpect = (a{32767}){32767}\n", "more than 100000", "");
	spec("spec: ((a{100}){100}){100}", "[a]\nkernel = k\nexpect = ((a{100}){100}){100}\n",
	     "more than 100000", "");
	spec("spec: groups 40 deep", "[a]\nkernel = k\nexpect = ((((((((((((((((((((((((("
	     "(((((((((((((((a)))))))))))))))))))))))))))))))))))))))\n", "deeper than 32", "");
	spec("spec: no kernel", "[a]\nparams = x\n", "has no kernel", "");
	/*
	 * An option of 1500 bytes reaches vmm run whole (it was cut at 1023): a
	 * zero-padded GPA in RAM, which cut short would read 0, not in RAM.
	 */
	big = malloc(4096);
	snprintf(big, 4096, "[long]\nkernel = %s/loop.bin\ntimeout = 1\nexit = 124\n"
		 "options = --inject-memory-error 0x%01500d80001000\n", dir, 0);
	write_file("long.spec", big, strlen(big), 0);
	free(big);
	check("test: a 1500-byte option is not cut at 1023", 0, false, "ok 1 - long", "", NULL,
	      ARGS("test", "--accel", "vkvm", "--log-dir", "@logs", "@long.spec"));
	write_text("ok.spec", "[a]\nkernel = %s/loop.bin\ntimeout = 1\nexit = 124\n", dir);
	check("test: a good spec passes", 0, false, "ok 1 - a", "1 passed, 0 failed", NULL,
	      ARGS("test", "--accel", "vkvm", "--log-dir", "@logs", "@ok.spec"));
	BAD("test --log-dir ''", "--log-dir", "1 to", "test", "--log-dir", "", "@ok.spec");
	BAD("test --log-dir a file", "--log-dir", "Not a directory", "test", "--log-dir",
	    "@loop.bin", "@ok.spec");
	memset(path, 'd', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	BAD("test --log-dir of PATH_MAX bytes", "--log-dir", "bytes", "test", "--log-dir",
	    path, "@ok.spec");
	BAD("test -j 0", "-j", "from 1 to 256", "test", "-j", "0", "@ok.spec");
	BAD("test -j 257", "-j", "from 1 to 256", "test", "-j", "257", "@ok.spec");
	BAD("test -j twice", "-j given twice", "", "test", "-j", "1", "-j", "2", "@ok.spec");
	BAD("test --accel xen", "--accel", "expected auto", "test", "--accel", "xen", "@ok.spec");
	BAD("test --bogus", "unknown option", "", "test", "--bogus", "@ok.spec");
	BAD("test the same spec twice", "same name", "", "test", "--log-dir", "@logs",
	    "@ok.spec", "@ok.spec");
}

/* ---- vmm info, and the command itself --------------------------------------- */

static void info_and_main(void)
{
	BAD("info --bogus: one line on stderr", "unknown option '--bogus'", "", "info", "--bogus");
	BAD("info --sve-vl 7", "--sve-vl 7", "multiple of 128", "info", "--sve-vl", "7");
	BAD("info --sve-vl 2^64", "--sve-vl", "from 1 to", "info", "--sve-vl",
	    "18446744073709551616");
	BAD("info --accel ''", "--accel", "expected auto", "info", "--accel", "");
	BAD("info --sve-vl and --no-sve", "exclude each other", "", "info", "--sve-vl", "128",
	    "--no-sve");
	BAD("info extra argument", "unexpected argument", "", "info", "extra");
	BAD("info --accel (no value)", "needs a value", "", "info", "--accel");
	BAD("info --accel twice", "--accel given twice", "", "info", "--accel", "vkvm",
	    "--accel", "vkvm");
	BAD("info --sve-vl twice", "--sve-vl given twice", "", "info", "--sve-vl", "128",
	    "--sve-vl", "256");
	BAD("vmm ''", "is not a vmm command", "", "");
	BAD("vmm --bogus", "is not a vmm command", "", "--bogus");
}

int main(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		printf("Bail out! cannot find myself\n");
		return 1;
	}
	self[n] = '\0';
	snprintf(vmm, sizeof(vmm), "%s/../../vmm", dirname(self));
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n] = '\0';
	snprintf(shim, sizeof(shim), "%s/cli_hang.so", dirname(self));
	if (access(vmm, X_OK) || access(shim, R_OK)) {
		printf("Bail out! no %s or %s\n", vmm, shim);
		return 1;
	}
	printf("TAP version 13\n");
	make_scratch();
	run_files();
	run_images();
	run_values();
	run_console();
	test_specs();
	info_and_main();
	printf("1..%d\n", test_no);
	remove_scratch();
	return failures ? 1 : 0;
}
