#!/bin/sh
# acle: tests/acle/acle.c as a vkvm guest (vmm run --sve-vl L) and as a
# static Linux program under qemu-aarch64 -cpu max at the same length, at
# 128, 512 and 2048 bits: one TAP point per test line ("NAME=CHECKSUM"),
# which must be identical; a line vkvm's run lacks (it stopped on an
# exception, its frame in the output) is a failure.  TAP.
#
# Environment (set by the wrapper tests/acle/acle.mk generates): VMM,
# GUEST, LINUX_PROG; QEMU (default qemu-aarch64); LENGTHS (default
# "128 512 2048").
set -u

VMM=${VMM:-build/vmm}
GUEST=${GUEST:-build/tests/acle/acle-guest}
LINUX_PROG=${LINUX_PROG:-build/tests/acle/acle-linux}
QEMU=${QEMU:-qemu-aarch64}
LENGTHS=${LENGTHS:-128 512 2048}

. "$(dirname "$0")/../lib/qemu-tap.sh"

for L in $LENGTHS; do
	"$QEMU" -cpu "max,sve-max-vq=$((L / 128)),sve-default-vector-length=$((L / 8))" \
		"$LINUX_PROG" >"$tmp/q.$L" 2>&1
	qrc=$?
	"$VMM" run --timeout 120 --sve-vl "$L" --kernel "$GUEST" >"$tmp/v.$L" 2>&1
	vrc=$?
	tr -d '\r' <"$tmp/v.$L" >"$tmp/v2.$L"
	if [ "$qrc" -ne 0 ] || [ "$(tail -n 1 "$tmp/q.$L")" != end ]; then
		sed "s/^/# qemu $L: /" "$tmp/q.$L"
		notok "$L bits: qemu-aarch64 run failed (status $qrc)"
		continue
	fi
	lines=0
	while IFS= read -r line; do
		name=${line%%=*}
		lines=$((lines + 1))
		v=$(grep -m 1 "^$name=" "$tmp/v2.$L")
		if [ "$v" = "$line" ]; then
			ok "$L bits: $line"
		else
			notok "$L bits: qemu '$line', vkvm '${v:-(none)}'"
		fi
	done <<-EOT
	$(grep '=' "$tmp/q.$L")
	EOT
	if [ "$vrc" -eq 0 ] && [ "$(grep -c '=' "$tmp/v2.$L")" -eq "$lines" ] &&
	   grep -qx end "$tmp/v2.$L"; then
		ok "$L bits: vkvm guest ran to its end, $lines lines, exit status 0"
	else
		sed "s/^/# vkvm $L: /" "$tmp/v2.$L"
		notok "$L bits: vkvm guest: exit status $vrc, $(grep -c '=' "$tmp/v2.$L") of $lines lines"
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
