// SPDX-License-Identifier: GPL-2.0
/*
 * `vmm test guests/guests.cfg --accel kvm` inside the QEMU rig: the same
 * specs `make check` runs under vkvm, run by the static aarch64 vmm against
 * Linux KVM.  The rig carries one program, so this one carries vmm, the
 * spec file and the guests, writes them to /tmp/specs and runs vmm test.
 *
 * Built with -DSPECS_EL2 (vmm_el2_rig) it carries guests/el2.cfg and the
 * EL2 guest instead, for the sid rig, whose Linux 7.x KVM offers
 * KVM_CAP_ARM_EL2 under kvm-arm.mode=nested: the EL2 guest is then an L2
 * hypervisor.  Its console logs follow vmm test's TAP as "# SPEC: LINE"
 * comments, for guests/el2-kvm.sh to compare its SYN lines.
 *
 * Built with -DSPECS_NV2 (vmm_nv2_rig) it carries guests/nv2.cfg and the
 * NV2 guest, for the same rig: KVM offers its guest hypervisor FEAT_NV2
 * (the rig's QEMU is -cpu max), and guests/nv2-kvm.sh compares the [nv2]
 * log's SYN lines with vkvm's and QEMU's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DECLARE(name) extern const char name##_start[], name##_end[];

struct rig_file {
	const char *path;
	const char *start, *end;
	mode_t mode;
};

#ifdef SPECS_EL2
DECLARE(vmm) DECLARE(spec) DECLARE(g_el2)

#define SPEC_FILE	"/tmp/specs/el2.cfg"
static const struct rig_file files[] = {
	{ "/tmp/specs/vmm", vmm_start, vmm_end, 0755 },
	{ SPEC_FILE, spec_start, spec_end, 0644 },
	{ "/tmp/specs/el2", g_el2_start, g_el2_end, 0644 },
};
/* the specs whose console logs are printed after the run */
static const char *const logged[] = { "el2-e2h0", "el2-no-e2h0" };
#elif defined(SPECS_NV2)
DECLARE(vmm) DECLARE(spec) DECLARE(g_nv2)

#define SPEC_FILE	"/tmp/specs/nv2.cfg"
static const struct rig_file files[] = {
	{ "/tmp/specs/vmm", vmm_start, vmm_end, 0755 },
	{ SPEC_FILE, spec_start, spec_end, 0644 },
	{ "/tmp/specs/nv2", g_nv2_start, g_nv2_end, 0644 },
};
static const char *const logged[] = { "nv2-e2h0", "nv2-kvm" };
#else
DECLARE(vmm) DECLARE(spec) DECLARE(g_hello) DECLARE(g_hello_raw)
DECLARE(g_nisv_abort) DECLARE(g_iabt) DECLARE(g_psci) DECLARE(g_el0) DECLARE(g_mmu)
DECLARE(g_mmio) DECLARE(g_serror) DECLARE(g_sea) DECLARE(g_sve_vl)
DECLARE(g_smp_stress) DECLARE(g_debug) DECLARE(g_pmu) DECLARE(g_smccc) DECLARE(g_its)
DECLARE(g_mte)

#define SPEC_FILE	"/tmp/specs/guests.cfg"
static const struct rig_file files[] = {
	{ "/tmp/specs/vmm", vmm_start, vmm_end, 0755 },
	{ SPEC_FILE, spec_start, spec_end, 0644 },
	{ "/tmp/specs/hello", g_hello_start, g_hello_end, 0644 },
	{ "/tmp/specs/hello-raw", g_hello_raw_start, g_hello_raw_end, 0644 },
	{ "/tmp/specs/nisv-abort", g_nisv_abort_start, g_nisv_abort_end, 0644 },
	{ "/tmp/specs/iabt", g_iabt_start, g_iabt_end, 0644 },
	{ "/tmp/specs/psci", g_psci_start, g_psci_end, 0644 },
	{ "/tmp/specs/el0", g_el0_start, g_el0_end, 0644 },
	{ "/tmp/specs/mmu", g_mmu_start, g_mmu_end, 0644 },
	{ "/tmp/specs/mmio", g_mmio_start, g_mmio_end, 0644 },
	{ "/tmp/specs/serror", g_serror_start, g_serror_end, 0644 },
	{ "/tmp/specs/sea", g_sea_start, g_sea_end, 0644 },
	{ "/tmp/specs/sve-vl", g_sve_vl_start, g_sve_vl_end, 0644 },
	{ "/tmp/specs/smp-stress", g_smp_stress_start, g_smp_stress_end, 0644 },
	{ "/tmp/specs/debug", g_debug_start, g_debug_end, 0644 },
	{ "/tmp/specs/pmu", g_pmu_start, g_pmu_end, 0644 },
	{ "/tmp/specs/smccc", g_smccc_start, g_smccc_end, 0644 },
	{ "/tmp/specs/its", g_its_start, g_its_end, 0644 },
	{ "/tmp/specs/mte", g_mte_start, g_mte_end, 0644 },
};
/* pmu: its excused checks (KNOWN-KVM, VKVM-ONLY) and their values in the TAP output */
static const char *const logged[] = { "pmu" };
#endif

static int starts(const char *p, size_t n, const char *prefix)
{
	return n >= strlen(prefix) && !strncmp(p, prefix, strlen(prefix));
}

#define QEMU_RIG	"# QEMU rig: "

/* Line p (n bytes, its newline included if it has one) is exactly s */
static int is_line(const char *p, size_t n, const char *s)
{
	if (n && p[n - 1] == '\n')
		n--;
	return n == strlen(s) && !strncmp(p, s, n);
}

/*
 * A guest in the rig runs under KVM in an emulated host (QEMU TCG), several
 * times slower than under vkvm, and the rig shares the machine with the
 * rest of make check: its spec timeouts are the file's times RIG_SPEC_SCALE.
 * Seen: mmu took over 30 s in the sid rig while two make checks ran.
 */
#define RIG_SPEC_SCALE	4

/* Writes line p (n bytes, "timeout = N...") with N scaled; 0 if it is not one */
static int write_scaled_timeout(FILE *f, const char *p, size_t n, int *err)
{
	char line[64], *end;
	unsigned long t;

	if (!starts(p, n, "timeout = ") || n >= sizeof(line))
		return 0;
	memcpy(line, p, n);
	line[n] = '\0';
	t = strtoul(line + 10, &end, 10);
	if (end == line + 10 || (*end && *end != '\n'))
		return 0;
	*err = fprintf(f, "timeout = %lu\n", t * RIG_SPEC_SCALE) < 0;
	return 1;
}

/*
 * The spec file as embedded, its timeouts scaled (above), less its
 * "skip-kvm = QEMU 7.2:" lines unless
 * the rig's QEMU is 7.x (tests/rig/run-rig.sh sets RIG_QEMU_VERSION) or the
 * rig is vkvm's with Linux 6.x (RIG_ORACLE=vkvm, RIG_KERNEL: the same Linux
 * 6.1 under vmm run --nested, whose MMIO loads are zero-extended there
 * too): what QEMU 7.2 gets wrong, the sid rig's QEMU 11 must show right;
 * less its "skip-kvm = no MTE:" lines in the sid rig (QEMU 11, mte=on; the
 * vkvm rig runs --disable-mte), its "skip-kvm = vkvm rig:" lines but in that
 * rig, and its "skip-kvm = vkvm rig, Linux 6.1:" lines but there with Linux
 * 6.x.  Also less
 * its "reject = ^KNOWN-QEMU" lines: a guest prints such a line for what
 * QEMU TCG, the rig's CPU in every version, reports against the Arm ARM;
 * "reject = ^KNOWN-KVM" lines, for what Linux KVM does against it; and
 * "reject = ^VKVM-ONLY" lines, for checks of vkvm's own model (PMUVer,
 * cycle counts) that no other hypervisor or CPU need match; and, but in
 * the vkvm rig, whose KVM counts with vkvm's PMU, "reject = ^VKVM-PMU"
 * lines, for vkvm's exact event counts (guests/pmu.c).  A "# QEMU rig: "
 * line (a comment elsewhere) is the rest of it in the rigs whose host is
 * QEMU TCG, not vkvm: for what only KVM under QEMU cannot run.
 */
static int write_spec(FILE *f, const char *p, const char *end)
{
	const char *v = getenv("RIG_QEMU_VERSION"), *o = getenv("RIG_ORACLE");
	const char *k = getenv("RIG_KERNEL");
	/* the vkvm rig's guest KVM: bookworm's Linux 6.1 or sid's 7.x, no MTE */
	int vkvm = o && !strcmp(o, "vkvm");
	int vkvm_6 = vkvm && (!k || !strncmp(k, "6.", 2));
	int qemu_7 = !v || !strncmp(v, "7.", 2) || vkvm_6;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		int drop = (!qemu_7 && starts(p, n, "skip-kvm = QEMU 7.2:")) ||
			   (!qemu_7 && !vkvm && starts(p, n, "skip-kvm = no MTE:")) ||
			   (!vkvm && starts(p, n, "skip-kvm = vkvm rig:")) ||
			   (!vkvm_6 && starts(p, n, "skip-kvm = vkvm rig, Linux 6.1:")) ||
			   is_line(p, n, "reject = ^KNOWN-QEMU") ||
			   is_line(p, n, "reject = ^KNOWN-KVM") ||
			   is_line(p, n, "reject = ^VKVM-ONLY") ||
			   (!vkvm && is_line(p, n, "reject = ^VKVM-PMU"));

		int err = 0;

		if (starts(p, n, QEMU_RIG)) {
			size_t k = strlen(QEMU_RIG);

			if (!vkvm && fwrite(p + k, 1, n - k, f) != n - k)
				return -1;
		} else if (write_scaled_timeout(f, p, n, &err)) {
			if (err)
				return -1;
		} else if (!drop && fwrite(p, 1, n, f) != n) {
			return -1;
		}
		p += n;
	}
	return 0;
}

/* SPEC's console log as "# SPEC: LINE" comments (TAP), if vmm test made one */
static void print_log(const char *spec)
{
	char path[128], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/specs/logs/%s.log", spec);
	f = fopen(path, "r");
	if (!f) {
		printf("# %s: no log (%s)\n", spec, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		printf("# %s: %.*s\n", spec, (int)n, line);
	}
	fclose(f);
}

int main(void)
{
	size_t i;
	pid_t pid;
	int status;

	if (mkdir("/tmp/specs", 0755) < 0 && errno != EEXIST) {
		printf("Bail out! mkdir /tmp/specs: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = (size_t)(files[i].end - files[i].start);
		FILE *f = fopen(files[i].path, "wb");
		int bad = !f || (files[i].start == spec_start
				 ? write_spec(f, spec_start, spec_end) < 0
				 : fwrite(files[i].start, 1, len, f) != len);

		if (bad || fclose(f) ||
		    chmod(files[i].path, files[i].mode)) {
			printf("Bail out! cannot write %s\n", files[i].path);
			return 1;
		}
	}
	setenv("GUESTS", "/tmp/specs", 1);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid) {
		execl("/tmp/specs/vmm", "vmm", "test", "-j", "1", "--accel", "kvm",
		      "--log-dir", "/tmp/specs/logs", SPEC_FILE, (char *)NULL);
		printf("Bail out! exec vmm: %s\n", strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		printf("Bail out! waitpid: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(logged) / sizeof(logged[0]); i++)
		if (logged[i])
			print_log(logged[i]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	printf("Bail out! vmm test: killed by signal %d\n", WTERMSIG(status));
	return 1;
}
