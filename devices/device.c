// SPDX-License-Identifier: GPL-2.0
/* The registry that devices add themselves to (DEVICE_REGISTER). */
#include <stddef.h>
#include <string.h>

#include "device.h"

#define MAX_DEVICE_OPS	32

static const struct device_ops *registry[MAX_DEVICE_OPS];
static unsigned int nr_registered;

void device_register(const struct device_ops *ops)
{
	if (nr_registered < MAX_DEVICE_OPS)
		registry[nr_registered++] = ops;
}

const struct device_ops *device_find(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < nr_registered; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}
