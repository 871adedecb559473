// SPDX-License-Identifier: GPL-2.0
/* vmm test: placeholder until the spec runner lands. */
#include <stdio.h>

#include "builtin.h"

int cmd_test(int argc, char **argv)
{
	fprintf(stderr, "vmm test: not implemented yet\n");
	return 1;
}
