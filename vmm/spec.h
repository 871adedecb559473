/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest test specs, in the style of kvm-unit-tests' unittests.cfg: one
 * [section] per test, "key = value" lines, '#' comments.  Keys before the
 * first section are defaults for every section.  docs/vmm.md lists the keys.
 */
#ifndef VMM_SPEC_H
#define VMM_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#define SPEC_MAX_PATTERNS	32
#define SPEC_MAX_ARGS		32
#define SPEC_NAME_MAX		100		/* characters of a [test name] */
#define SPEC_FILE_MAX		(1 << 20)	/* bytes of a spec file */

struct spec {
	char *name;
	char *file;			/* spec file it came from */
	int line;
	char *kernel;
	char *initrd;
	char *params;
	char *options[SPEC_MAX_ARGS];	/* extra `vmm run` options */
	unsigned int nr_options;
	char *expect[SPEC_MAX_PATTERNS];	/* console regexes, in order */
	unsigned int nr_expect;
	char *reject[SPEC_MAX_PATTERNS];	/* console regexes that must not appear */
	unsigned int nr_reject;
	int exit_status;
	unsigned long timeout_s;
	char *accel_only;		/* "vkvm", "kvm", "vkvm kvm"; NULL: any */
	char *skip_reason;		/* always skip */
	char *skip_vkvm;		/* skip under vkvm, with this reason */
	char *skip_kvm;			/* skip under kvm, with this reason */
};

struct spec_list {
	struct spec *v;
	size_t n;
};

/*
 * Parse @text (contents of @file) and append its sections to @list.
 * Returns 0, or -1 with a "FILE:LINE: reason" message in @err.
 */
int spec_parse(struct spec_list *list, const char *file, const char *text,
	       char *err, size_t errlen);
int spec_parse_file(struct spec_list *list, const char *file, char *err, size_t errlen);
void spec_list_free(struct spec_list *list);
/* @name as a file name: [A-Za-z0-9._-] kept, anything else '_' */
void spec_file_name(const char *name, char *buf, size_t len);
/* Why @s is skipped under accelerator @accel, or NULL to run it. */
const char *spec_skip_reason(const struct spec *s, const char *accel);

/*
 * Check console output against a spec: expected regexes in order (each on
 * a later line than the previous one), rejected ones nowhere.  Returns 0 or
 * -1 with the first problem in @why.
 */
int spec_check_output(const struct spec *s, const char *out, char *why, size_t len);

#endif
