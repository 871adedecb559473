/* SPDX-License-Identifier: GPL-2.0 */
/* Unit and CLI tests of vmm, devices and fdt (Check, TAP output). */
#ifndef VMM_TEST_H
#define VMM_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/checksuite.h"
#include "../lib/spawn.h"

Suite *memmap_suite(void);
Suite *loader_suite(void);
Suite *fdt_suite(void);
Suite *uart_suite(void);
Suite *pl031_suite(void);
Suite *spec_suite(void);
Suite *options_suite(void);
Suite *cli_suite(void);
Suite *gdbstub_suite(void);
Suite *testdev_suite(void);
Suite *virtio_suite(void);
Suite *p9_suite(void);
Suite *pci_suite(void);

/* $(BUILD)/vmm next to this test program */
const char *vmm_binary(void);
/* Write words as a little-endian raw guest to a new temp file; returns its path. */
char *write_guest(const uint32_t *words, size_t n);
/* Run argv (NULL-terminated), stdin /dev/null; collect stdout+stderr; exit status or -1. */
int run_capture(char *const argv[], char *out, size_t outlen);

#endif
