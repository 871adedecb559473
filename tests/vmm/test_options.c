// SPDX-License-Identifier: GPL-2.0
/* vmm run's option parser. */
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../vmm/builtin.h"
#include "../../vmm/vmm.h"
#include "vmm_test.h"

static int parse(struct vmm_config *cfg, const char *first, ...)
{
	char *argv[32] = { "run" };
	int argc;
	va_list ap;

	va_start(ap, first);
	argc = argv_append(argv, 1, 32, first, ap);
	va_end(ap);
	return run_parse_options(argc, argv, cfg);
}

START_TEST(defaults_and_values)
{
	struct vmm_config c;

	ck_assert_int_eq(parse(&c, "-k", "Image", NULL), 0);
	ck_assert_str_eq(c.kernel, "Image");
	ck_assert_uint_eq(c.nr_cpus, 1);
	ck_assert_uint_eq(c.ram_mib, 256);
	ck_assert(c.nisv_to_user && c.sea_to_user);
	ck_assert(!c.testdev);
	ck_assert_int_eq(c.policy, POLICY_ABORT);
	ck_assert_int_eq(parse(&c, "--kernel", "I", "-i", "rd", "-p", "quiet", "-c", "4",
			       "-m", "2G", "--sve-vl", "512", "--unhandled-mmio", "stop",
			       "--no-nisv-to-user", "--no-sea-to-user", "--timeout", "9",
			       "--console", "serial", "--network", "mode=none", "--irqchip",
			       "gicv3", "--inject-memory-error", "0x80001000,0x80002000", NULL), 0);
	ck_assert_str_eq(c.initrd, "rd");
	ck_assert_str_eq(c.params, "quiet");
	ck_assert_uint_eq(c.nr_cpus, 4);
	ck_assert_uint_eq(c.ram_mib, 2048);
	ck_assert_uint_eq(c.sve_vl, 512);
	ck_assert_int_eq(c.policy, POLICY_STOP);
	ck_assert(!c.nisv_to_user && !c.sea_to_user);
	ck_assert_uint_eq(c.timeout_s, 9);
	ck_assert_uint_eq(c.nr_memory_errors, 2);
	ck_assert_uint_eq(c.memory_errors[1], 0x80002000);
	ck_assert(!c.virtio_console);
	/* kvmtool's arm64 default transport, its option and its older spelling */
	ck_assert_int_eq(c.virtio_transport, VIRTIO_TRANSPORT_PCI);
	ck_assert_int_eq(parse(&c, "-k", "I", "--virtio-transport", "mmio", NULL), 0);
	ck_assert_int_eq(c.virtio_transport, VIRTIO_TRANSPORT_MMIO);
	ck_assert_int_eq(parse(&c, "-k", "I", "--virtio-transport", "pci", NULL), 0);
	ck_assert_int_eq(c.virtio_transport, VIRTIO_TRANSPORT_PCI);
	ck_assert_int_eq(parse(&c, "-k", "I", "--virtio-transport", "mmio", NULL), 0);
	ck_assert_int_eq(c.virtio_transport, VIRTIO_TRANSPORT_MMIO);
	ck_assert_int_eq(parse(&c, "-k", "I", "--force-pci", NULL), 0);
	ck_assert_int_eq(c.virtio_transport, VIRTIO_TRANSPORT_PCI);
	ck_assert_int_eq(parse(&c, "-k", "I", "--console", "virtio", NULL), 0);
	ck_assert(c.virtio_console);
	ck_assert_int_eq(parse(&c, "-k", "Image", "--testdev", NULL), 0);
	ck_assert(c.testdev);
	ck_assert(!c.rng && !c.nr_disks);
	ck_assert_int_eq(parse(&c, "-k", "Image", "--disk", "a.img", "-d", "b,c.img,ro",
			       "--rng", NULL), 0);
	ck_assert(c.rng);
	ck_assert_uint_eq(c.nr_disks, 2);
	ck_assert_int_eq(c.disks[0].path_len, 5);
	ck_assert(!c.disks[0].ro);
	ck_assert_int_eq(c.disks[1].path_len, 7);
	ck_assert(!strncmp(c.disks[1].path, "b,c.img", 7));
	ck_assert(c.disks[1].ro);
	ck_assert_int_eq(parse(&c, "-k", "Image", "--disk", ",ro", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "Image", "--disk", "", NULL), -1);
	/* --debug is --loglevel debug; the level is the config's */
	ck_assert_int_eq(c.log_level, LOG_WARNING);
	ck_assert_int_eq(parse(&c, "-k", "I", "--loglevel", "info", NULL), 0);
	ck_assert_int_eq(c.log_level, LOG_INFO);
	ck_assert_int_eq(parse(&c, "-k", "I", "--debug", NULL), 0);
	ck_assert_int_eq(c.log_level, LOG_DEBUG);
	vmm_log_level = LOG_WARNING;
	ck_assert_int_eq(parse(&c, "-k", "I", "--unhandled-mmio", "exit", "--sve-max-vl",
			       "256", "--accel", "vkvm", "--console", "serial", NULL), 0);
	ck_assert_int_eq(c.policy, POLICY_EXIT);
	ck_assert_uint_eq(c.sve_vl, 256);
	ck_assert_str_eq(c.sve_vl_opt, "--sve-max-vl");
	ck_assert_str_eq(c.accel, "vkvm");
	ck_assert(!c.virtio_console);
	/* lkvm style: the kernel as an argument */
	ck_assert_int_eq(parse(&c, "--mem", "64", "Image", NULL), 0);
	ck_assert_str_eq(c.kernel, "Image");
	ck_assert_uint_eq(c.ram_mib, 64);
}
END_TEST

START_TEST(bad_values)
{
	struct vmm_config c;

	ck_assert_int_eq(parse(&c, "-k", "I", "--cpus", "0", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--cpus", "lots", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--mem", "0", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--mem", "12Q", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--mem", "99999999999", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--console", "hv", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--console", "x", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "gicv2", NULL), 0);
	ck_assert_int_eq(c.irqchip, IRQCHIP_GICV2);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "gicv2", "-c", "8", NULL), 0);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "gicv2", "-c", "9", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "gicv3", "-c", "9", NULL), 0);
	ck_assert_int_eq(c.irqchip, IRQCHIP_GICV3);
	ck_assert_int_eq(parse(&c, "-k", "I", "--accel", "xen", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--unhandled-mmio", "maybe", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--sve-vl", "0", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--sve-vl", "512", "--no-sve", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--inject-memory-error", "0x1000", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--aarch32", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--nested", NULL), 0);
	ck_assert(c.nested && !c.e2h0);
	ck_assert_int_eq(parse(&c, "-k", "I", "--nested", "--e2h0", NULL), 0);
	ck_assert(c.nested && c.e2h0);
	ck_assert_int_eq(parse(&c, "-k", "I", "--e2h0", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--pmu", NULL), 0);
	ck_assert(c.pmu);
	ck_assert(!c.jit && !c.no_jit);		/* VKVM_JIT left as it is */
	ck_assert_int_eq(parse(&c, "-k", "I", "--jit", NULL), 0);
	ck_assert(c.jit && !c.no_jit);
	ck_assert_int_eq(parse(&c, "-k", "I", "--no-jit", NULL), 0);
	ck_assert(!c.jit && c.no_jit);
	ck_assert_int_eq(parse(&c, "-k", "I", "--jit", "--no-jit", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--jit=1", NULL), -1);
	ck_assert(!c.mte_disabled);		/* MTE on when offered, as kvmtool */
	ck_assert_int_eq(parse(&c, "-k", "I", "--disable-mte", NULL), 0);
	ck_assert(c.mte_disabled);
	ck_assert_int_eq(parse(&c, "-k", "I", "--disable-mte=1", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--rng=1", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--debug", "--debug", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "gicv2m", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--irqchip", "auto", NULL), 0);
	ck_assert_int_eq(parse(&c, "-k", "I", "--bogus", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", NULL), -1);
	ck_assert_int_eq(parse(&c, NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--firmware", "F", NULL), -1);
	/* issue 11: blanks, signs, empty lists, duplicates */
	ck_assert_int_eq(parse(&c, "-k", "I", "--cpus", " 1", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--timeout", "+5", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--mem", " 64", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--sve-vl", "7", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--inject-memory-error", ",", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--inject-memory-error", "0x80000000,", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-k", "J", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-m", "64", "--mem", "64", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--sve-vl", "128", "--sve-max-vl", "128", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "--rng", "--rng", NULL), 0);	/* flags may repeat */
	ck_assert_int_eq(parse(&c, "-k", "I", "-d", "a", "-d", "b", NULL), 0);
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));	/* usage text */
	ck_assert_int_eq(parse(&c, "--help", NULL), 1);
}
END_TEST

/* --network (-n): kvmtool's keys and QEMU's hostfwd= */
START_TEST(network_values)
{
	struct vmm_config c;

	ck_assert_int_eq(parse(&c, "-k", "I", NULL), 0);
	ck_assert_int_eq(c.net.mode, NET_MODE_NONE);
	ck_assert_int_eq(parse(&c, "-k", "I", "--network", "none", NULL), 0);
	ck_assert_int_eq(c.net.mode, NET_MODE_NONE);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,hostfwd=tcp:127.0.0.1:2222-:22,"
			       "hostfwd=udp::5353-10.0.2.15:53,guest_mac=52:54:00:12:34:56", NULL), 0);
	ck_assert_int_eq(c.net.mode, NET_MODE_USER);
	ck_assert_uint_eq(c.net.nr_fwd, 2);
	ck_assert(!c.net.fwd[0].udp && c.net.fwd[1].udp);
	ck_assert_uint_eq(c.net.fwd[0].host_addr, htonl(0x7f000001));
	ck_assert_uint_eq(c.net.fwd[0].host_port, 2222);
	ck_assert_uint_eq(c.net.fwd[0].guest_addr, 0);
	ck_assert_uint_eq(c.net.fwd[0].guest_port, 22);
	ck_assert_uint_eq(c.net.fwd[1].host_addr, 0);
	ck_assert_uint_eq(c.net.fwd[1].guest_addr, htonl(0x0a00020f));
	ck_assert_uint_eq(c.net.mac[0], 0x52);
	ck_assert_uint_eq(c.net.mac[5], 0x56);
	ck_assert_int_eq(parse(&c, "-k", "I", "--network", "mode=tap,tapif=tap7", NULL), 0);
	ck_assert_int_eq(c.net.mode, NET_MODE_TAP);
	ck_assert_str_eq(c.net.tapif, "tap7");
	ck_assert_uint_eq(c.net.mac[0], 0x02);	/* kvmtool's default */
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user", "-n", "mode=user", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=slirp", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "tapif=x", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,tapif=x", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=tap,hostfwd=tcp::1-:1", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=tap,tapif=0123456789abcdef", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,hostfwd=tcp::0-:22", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,hostfwd=sctp::1-:22", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,hostfwd=tcp::22", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,hostfwd=tcp:x:22-:22", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,guest_mac=01:00:00:00:00:01", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,guest_mac=52:54:00:12:34", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,guest_ip=10.0.2.9", NULL), -1);
	ck_assert_int_eq(parse(&c, "-k", "I", "-n", "mode=user,bogus=1", NULL), -1);
}
END_TEST

/* values echoed in errors: one line, bounded, whatever the buffer */
START_TEST(printable_values)
{
	char big[PRINTABLE_MAX], small[4], line[300];

	ck_assert_str_eq(printable("a\nb\x1b", big, sizeof(big)), "a\\x0ab\\x1b");
	ck_assert_str_eq(printable(NULL, big, sizeof(big)), "");
	ck_assert_uint_lt(strlen(printable("abcdefgh", small, sizeof(small))), sizeof(small));
	ck_assert_uint_lt(strlen(printable("\n\n\n\n", small, sizeof(small))), sizeof(small));
	memset(line, '\n', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	printable(line, big, sizeof(big));
	ck_assert_uint_lt(strlen(big), sizeof(big));
	ck_assert_ptr_null(strchr(big, '\n'));
	ck_assert_ptr_nonnull(strstr(big, "..."));
}
END_TEST

Suite *options_suite(void)
{
	return CHECK_SUITE("options", 0, defaults_and_values, bad_values,
			   network_values, printable_values);
}
