// SPDX-License-Identifier: GPL-2.0
/* vmm: command dispatch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "run", cmd_run, "boot a kernel or bare-metal binary (lkvm run's options)" },
	{ "test", cmd_test, "run scripted guest tests from spec files; TAP output" },
	{ "info", cmd_info, "probe the hypervisor: capabilities, limits, SVE lengths" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this list" },
};

/* "vmm", or "lkvm" when invoked through kvmtool's name (make install's link) */
static const char *prog = "vmm";

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	return NULL;
}

/*
 * The list keeps lkvm's heading: scripts (kvm-unit-tests' runner) find a
 * kvmtool-compatible binary by "The most commonly used" in its --help.
 * `help COMMAND` is COMMAND --help, as lkvm's.
 */
int cmd_help(int argc, char **argv)
{
	const struct cmd *c;
	size_t i;

	if (argc > 1 && strcmp(argv[1], "help")) {
		char help[] = "--help";
		char *args[] = { argv[1], help, NULL };

		c = find_cmd(argv[1]);
		if (!c) {
			fprintf(stderr, "vmm: help: '%s' is not a %s command\n", argv[1], prog);
			return 1;
		}
		return c->fn(2, args);
	}
	printf("usage: %s [--version] [--help] COMMAND [ARGS]\n\n"
	       "The most commonly used %s commands are:\n", prog, prog);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("   %-10s %s\n", cmds[i].name, cmds[i].help);
	printf("\nSee '%s help COMMAND' (or '%s COMMAND --help') for a command's options.\n",
	       prog, prog);
	return 0;
}

int cmd_version(int argc, char **argv)
{
	printf("vmm %s\n", VMM_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	const char *base;

	base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : (argc > 0 && argv[0] ? argv[0] : "");
	if (!strcmp(base, "lkvm") || !strcmp(base, "lkvm-static")) {
		prog = "lkvm";
		vmm_as_lkvm = true;
	}
	if (argc < 2) {
		cmd_help(0, NULL);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	c = find_cmd(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "vmm: '%s' is not a %s command; see '%s help'\n", argv[1], prog, prog);
	return 1;
}
