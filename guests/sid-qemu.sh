# SPDX-License-Identifier: GPL-2.0
# Sourced by guests/*-qemu.sh: runs a bare-metal guest under the sid
# chroot's QEMU 11 (tests/rig/sid.sh builds it) through the chroot's own
# dynamic loader, no chroot(2) needed.  Sets build (from $1, default
# build) and out (a temporary directory, removed at exit).
#
#   sid_qemu SECONDS MACHINE KERNEL OUTFILE
set -eu
build=${1:-build}
chroot=$build/sid/chroot
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

sid_qemu()
{
	timeout "$1" "$chroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
		--library-path "$chroot/usr/lib/x86_64-linux-gnu:$chroot/lib/x86_64-linux-gnu" \
		"$chroot/usr/bin/qemu-system-aarch64" -L "$chroot/usr/share/qemu" \
		-M "$2" -cpu max -m 512 -nographic -display none -nic none \
		-kernel "$3" >"$4" 2>&1 || true
}
