/* SPDX-License-Identifier: GPL-2.0 */
/* vmm subcommands: one builtin-<name>.c each, as kvmtool does. */
#ifndef VMM_BUILTIN_H
#define VMM_BUILTIN_H

#define VMM_VERSION "0.1.0"

#include <stdio.h>

struct vmm_config;

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Parse a decimal unsigned option value; prints an error and returns -1. */
int parse_uint_option(const char *opt, const char *val, unsigned long max,
		      unsigned long *out);

/* vmm run's options: 0 run, 1 help printed, -1 bad option (message printed). */
int run_parse_options(int argc, char **argv, struct vmm_config *cfg);
void run_config_defaults(struct vmm_config *cfg);
void run_usage(FILE *f);

#endif
