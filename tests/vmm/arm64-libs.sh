#!/bin/sh
# Static arm64 libfdt, capstone and libcap-ng for the static aarch64 vmm:
# Debian's arm64 -dev packages, downloaded (apt-get download) and unpacked
# into DIR/root.  Needs root the first time (dpkg --add-architecture arm64).
set -e
DIR=${1:?usage: $0 DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
LIBS="$DIR/root/usr/lib/aarch64-linux-gnu"
[ -f "$LIBS/libfdt.a" ] && [ -f "$LIBS/libcapstone.a" ] && [ -f "$LIBS/libcap-ng.a" ] && exit 0
mkdir -p "$DIR"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	apt-get update -q >/dev/null
fi
cd "$DIR"
apt-get download libfdt-dev:arm64 libcapstone-dev:arm64 libcap-ng-dev:arm64 >/dev/null 2>&1 || {
	apt-get update -q >/dev/null
	apt-get download libfdt-dev:arm64 libcapstone-dev:arm64 libcap-ng-dev:arm64 >/dev/null
}
for d in ./*.deb; do
	dpkg-deb -x "$d" root
done
[ -f "$LIBS/libfdt.a" ] && [ -f "$LIBS/libcapstone.a" ] && [ -f "$LIBS/libcap-ng.a" ]
