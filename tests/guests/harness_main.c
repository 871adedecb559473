// SPDX-License-Identifier: GPL-2.0
/*
 * guest-harness: run one guest binary through the harness by hand.
 *
 *   guest-harness [--accel kvm|vkvm] [--vcpus N] [--mem MiB] [--timeout S]
 *                 [--raw-offset N] [--no-nisv] [--sea-to-user] [--poison]
 *                 [--sve] [--sve-vl BITS] FILE
 *
 * Exit status: the guest's (test-exit device), 0 after a PSCI shutdown or
 * reset, or one of the HARNESS_RC_* values of harness.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--accel kvm|vkvm] [--vcpus N] [--mem MiB] [--timeout S]\n"
		"       [--raw-offset N] [--no-nisv] [--sea-to-user] [--poison] [--sve]\n"
		"       [--sve-vl BITS] FILE\n", prog);
	return HARNESS_RC_ERROR;
}

static int number(const char *opt, const char *s, unsigned long long max,
		  unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *v > max || s[0] == '-' ||
	    (!*v && strcmp(opt, "--raw-offset") && strcmp(opt, "--sve-vl"))) {
		fprintf(stderr, "guest-harness: %s: bad value '%s'\n", opt, s);
		return -1;
	}
	return 0;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL, *nb;

	if (!f)
		return NULL;
	for (;;) {
		nb = realloc(buf, cap);
		if (!nb)
			goto fail;
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap >= (256u << 20)) {
			errno = EFBIG;
			goto fail;
		}
		cap *= 2;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*size = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	struct harness_opts o;
	unsigned long long v;
	const char *file = NULL;
	int a;

	harness_defaults(&o);
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(arg, "--accel") && val) {
			a++;
			if (!strcmp(val, "kvm"))
				o.hv = &hv_kvm;
#ifdef USE_VKVM
			else if (!strcmp(val, "vkvm"))
				o.hv = &hv_vkvm;
#endif
			else {
				fprintf(stderr, "guest-harness: --accel: unknown '%s'\n", val);
				return HARNESS_RC_ERROR;
			}
		} else if (!strcmp(arg, "--vcpus") && val) {
			if (number(arg, argv[++a], 8, &v) < 0)
				return HARNESS_RC_ERROR;
			o.vcpus = (unsigned int)v;
		} else if (!strcmp(arg, "--mem") && val) {
			if (number(arg, argv[++a], 4096, &v) < 0)
				return HARNESS_RC_ERROR;
			o.ram_size = (size_t)v << 20;
		} else if (!strcmp(arg, "--timeout") && val) {
			if (number(arg, argv[++a], 3600, &v) < 0)
				return HARNESS_RC_ERROR;
			o.timeout = (unsigned int)v;
		} else if (!strcmp(arg, "--raw-offset") && val) {
			if (number(arg, argv[++a], 1ULL << 32, &v) < 0)
				return HARNESS_RC_ERROR;
			o.raw_offset = v;
		} else if (!strcmp(arg, "--sve-vl") && val) {
			if (number(arg, argv[++a], 2048, &v) < 0)
				return HARNESS_RC_ERROR;
			o.sve = 1;
			o.sve_vl = (unsigned int)v;
		} else if (!strcmp(arg, "--no-nisv")) {
			o.nisv_to_user = 0;
		} else if (!strcmp(arg, "--sea-to-user")) {
			o.sea_to_user = 1;
		} else if (!strcmp(arg, "--poison")) {
			o.poison = 1;
		} else if (!strcmp(arg, "--sve")) {
			o.sve = 1;
		} else if (arg[0] == '-' || file) {
			return usage(argv[0]);
		} else {
			file = arg;
		}
	}
	if (!file)
		return usage(argv[0]);
	o.image = read_file(file, &o.image_size);
	if (!o.image) {
		fprintf(stderr, "guest-harness: %s: %s\n", file, strerror(errno));
		return HARNESS_RC_ERROR;
	}
	o.name = file;
	return harness_run(&o);
}
