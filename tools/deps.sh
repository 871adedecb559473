#!/bin/sh
# Install the Debian packages vmm needs to build and test, skipping those
# already installed.  Idempotent; needs root only when something is missing.
set -e

# clang and libclang-rt-14-dev (libFuzzer): the fuzz targets of tests/fuzz/
# debootstrap: the sid chroot of the upstream-newest rig (tests/rig/sid.sh)
# gdb-multiarch: the debugger tests/vmm/test_gdbstub.c runs against vmm --gdb
# libslirp-dev: vmm run --network mode=user (devices/net-user.c)
# openssh-client: ssh into the Debian disk guest (tests/boot/debian-ssh.sh)
PKGS="make gcc libc6-dev pkg-config check libsubunit-dev libfdt-dev
libcap-ng-dev libcapstone-dev device-tree-compiler
gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross
qemu-user qemu-system-arm e2fsprogs debootstrap
clang libclang-rt-14-dev gdb-multiarch libslirp-dev openssh-client"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages and not root; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: done"
