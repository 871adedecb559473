#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The MTE guest (guests/mte.c) under vkvm and under QEMU 11 (the sid
# chroot's qemu-system-aarch64 -M virt,mte=on -cpu max, its reference), its
# PASS/FAIL/SKIP lines compared.  Not in make check: it needs build/sid
# (tests/rig).  Addresses differ (RAM at 2 GiB against QEMU's 1 GiB): hex
# numbers are compared as "0x?".  Exit 0 when the lines agree.
#
#   guests/mte-qemu.sh [BUILD]
. "$(dirname "$0")/sid-qemu.sh"

timeout 60 "$build/vmm" run --accel vkvm "$build/guests/mte" >"$out/vkvm" 2>&1 || true
sid_qemu 60 virt,mte=on "$build/guests/mte" "$out/qemu"
for f in vkvm qemu; do
	tr -d '\r' <"$out/$f" | grep -E '^(PASS|FAIL|SKIP|RESULT):' |
		sed 's/0x[0-9a-f]*/0x?/g' >"$out/$f.lines"
done
echo "vkvm: $(grep -c '^PASS' "$out/vkvm.lines" || true) PASS," \
	"$(grep -c '^FAIL' "$out/vkvm.lines" || true) FAIL;" \
	"QEMU: $(grep -c '^PASS' "$out/qemu.lines" || true) PASS," \
	"$(grep -c '^FAIL' "$out/qemu.lines" || true) FAIL"
[ -s "$out/qemu.lines" ] && diff -u "$out/qemu.lines" "$out/vkvm.lines" && echo "mte-qemu: the same"
