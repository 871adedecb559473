/* SPDX-License-Identifier: GPL-2.0 */
/* vmm subcommands: one builtin-<name>.c each, as kvmtool does. */
#ifndef VMM_BUILTIN_H
#define VMM_BUILTIN_H

#define VMM_VERSION "0.1.0"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct stat;
struct vmm_config;

/* KVM_ARM64_SVE_VQ_MAX quadwords: the longest length the ONE_REG ABI can name */
#define SVE_VL_BITS_MAX		(512 * 128)

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
/* invoked as lkvm (make install's link): kvmtool's defaults where they differ */
extern bool vmm_as_lkvm;

/*
 * @s for an error line: control and non-ASCII bytes as \xNN, cut with "..."
 * to fit @len (PRINTABLE_MAX is plenty for one line).
 */
#define PRINTABLE_MAX		160
const char *printable(const char *s, char *buf, size_t len);
/*
 * Parse a decimal option value in [min, max]: digits only.  Prints one line
 * naming the option and the range and returns -1 on anything else.
 */
int parse_uint_option(const char *opt, const char *val, unsigned long min,
		      unsigned long max, unsigned long *out);
/* An SVE vector length in bits: a multiple of 128 up to SVE_VL_BITS_MAX. */
int parse_sve_vl_option(const char *opt, const char *val, unsigned long *out);
/* --accel's value (run, test, info): auto, vkvm or kvm; -1 with one line else */
int parse_accel_option(const char *val);
/*
 * Open @path, named by an option, with open(2) @flags (O_CREAT makes it
 * 0644), never blocking: anything but a regular file (or, with @blk_ok, a
 * block device) is refused before it could hang an open() or a read().
 * Returns the fd (O_CLOEXEC, blocking I/O) and its @st, or -1 with a reason
 * for "OPTION PATH: reason" in @why.
 */
int open_option_file(const char *path, int flags, bool blk_ok, struct stat *st,
		     char *why, size_t len);

/* vmm run's options: 0 run, 1 help printed, -1 bad option (message printed). */
int run_parse_options(int argc, char **argv, struct vmm_config *cfg);
void run_config_defaults(struct vmm_config *cfg);
void run_usage(FILE *f);

#endif
