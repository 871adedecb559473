/*
 * ABI test driver: compares the item arrays built from our include/uapi and
 * from Linux 6.1's headers, checks our newer-than-6.1 items against upstream
 * literals, and reports one TAP test point per group.
 */
#include <stdio.h>
#include <string.h>

#include "abi.h"

static const char *const group_desc[ABI_NR_GROUPS] = {
#define G(id, desc) [id] = desc,
#include "abi_groups.h"
#undef G
};

static int test_no;
static int failed;

static void tap(int ok, const char *desc)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++test_no, desc);
	if (!ok)
		failed++;
}

static void print_value(unsigned long long v, int is_signed)
{
	if (is_signed && (long long)v < 0)
		printf("%lld", (long long)v);
	else
		printf("%#llx", v);
}

/* Compare ours with Debian's for one group; print a diagnostic per mismatch. */
static int check_shared_group(int g, size_t *count)
{
	int ok = 1;

	*count = 0;
	for (size_t i = 0; i < abi_ours_count; i++) {
		const struct abi_item *o = &abi_ours[i], *d = &abi_debian[i];

		if (o->group != g)
			continue;
		(*count)++;
		if (strcmp(o->name, d->name) || o->group != d->group) {
			printf("# item %zu: list skew (%s vs %s)\n", i, o->name, d->name);
			ok = 0;
			continue;
		}
		if (o->value == d->value && o->size == d->size && o->is_signed == d->is_signed)
			continue;
		printf("# %s: ours=", o->name);
		print_value(o->value, o->is_signed);
		printf(" debian=");
		print_value(d->value, d->is_signed);
		if (o->size != d->size || o->is_signed != d->is_signed)
			printf(" (type: ours %s%u, debian %s%u bytes)",
			       o->is_signed ? "signed " : "unsigned ", o->size,
			       d->is_signed ? "signed " : "unsigned ", d->size);
		printf("\n");
		ok = 0;
	}
	return ok;
}

static int check_newer_group(const struct abi_newer_item *items, size_t n, int g,
			     size_t *count)
{
	int ok = 1;

	*count = 0;
	for (size_t i = 0; i < n; i++) {
		if (items[i].group != g)
			continue;
		(*count)++;
		if (items[i].value == items[i].upstream)
			continue;
		printf("# %s: ours=%#llx upstream=%#llx\n", items[i].name,
		       items[i].value, items[i].upstream);
		ok = 0;
	}
	return ok;
}

int main(void)
{
	static struct abi_newer_item newer[512];
	size_t n_newer = abi_newer(newer, sizeof(newer) / sizeof(newer[0]));
	int shared_groups = 0, newer_groups = 0;
	char why[256], desc[256];

	for (int g = 0; g < ABI_NR_GROUPS; g++) {
		int in_shared = 0, in_newer = 0;

		for (size_t i = 0; i < abi_ours_count; i++)
			in_shared |= abi_ours[i].group == g;
		for (size_t i = 0; i < n_newer; i++)
			in_newer |= newer[i].group == g;
		shared_groups += in_shared;
		newer_groups += in_newer;
	}

	printf("1..%d\n", shared_groups + newer_groups + 3);

	if (abi_debian_present && abi_debian_count != abi_ours_count)
		printf("# item count differs: ours %zu, debian %zu\n",
		       abi_ours_count, abi_debian_count);

	for (int g = 0; g < ABI_NR_GROUPS; g++) {
		size_t n;
		int ok;

		if (!abi_debian_present) {
			n = 0;
			for (size_t i = 0; i < abi_ours_count; i++)
				n += abi_ours[i].group == g;
			if (!n)
				continue;
			snprintf(desc, sizeof(desc), "%s (%zu items) # SKIP Linux 6.1 "
				 "headers (linux-libc-dev-arm64-cross) not installed",
				 group_desc[g], n);
			tap(1, desc);
			continue;
		}
		if (abi_debian_count != abi_ours_count) {
			snprintf(desc, sizeof(desc), "%s: item lists out of step", group_desc[g]);
			tap(0, desc);
			continue;
		}
		ok = check_shared_group(g, &n);
		if (!n)
			continue;
		snprintf(desc, sizeof(desc), "%s (%zu items, same as Linux 6.1)",
			 group_desc[g], n);
		tap(ok, desc);
	}

	snprintf(desc, sizeof(desc), "newer-than-6.1 list built (%zu items)", n_newer);
	tap(n_newer > 0, desc);
	for (int g = 0; g < ABI_NR_GROUPS; g++) {
		size_t n;
		int ok = check_newer_group(newer, n_newer, g, &n);

		if (!n)
			continue;
		snprintf(desc, sizeof(desc), "newer than 6.1: %s (%zu items, as upstream)",
			 group_desc[g], n);
		tap(ok, desc);
	}

	why[0] = '\0';
	tap(abi_coexist(why, sizeof(why)) == 0, "our <linux/kvm.h> after host <asm/ioctl.h>, "
	    "<sys/ioctl.h>, <stdio.h>, <signal.h>, <sys/sysinfo.h>");
	if (why[0])
		printf("# %s\n", why);
	why[0] = '\0';
	tap(abi_coexist_kvm_first(why, sizeof(why)) == 0,
	    "our <linux/kvm.h> before the same host headers");
	if (why[0])
		printf("# %s\n", why);

	return failed ? 1 : 0;
}
