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

int cmd_help(int argc, char **argv)
{
	size_t i;

	printf("usage: vmm COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("  %-10s %s\n", cmds[i].name, cmds[i].help);
	printf("\n'vmm COMMAND --help' describes a command's options.\n");
	return 0;
}

int cmd_version(int argc, char **argv)
{
	printf("vmm %s\n", VMM_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cmd_help(0, NULL);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "vmm: '%s' is not a vmm command; see 'vmm help'\n", argv[1]);
	return 1;
}
