#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The FEAT_NV2 guest (guests/nv2.c) under vkvm and under QEMU 11 (the sid
# chroot's qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu
# max, its reference), its SYN lines compared.  Not in make check: it needs
# build/sid (tests/rig).
#
#   guests/nv2-qemu.sh [BUILD]
#
# A register whose feature a CPU lacks ("absent") is left out on both
# sides: counted when both lack it, named when one does (a difference of
# the CPUs' features, not of NV2).  QEMU's max CPU has FEAT_NMI, so the
# guest clears ALLINT (SPSR bit 13) itself.  QEMU runs with mte=on, as vmm
# gives MTE by default: TFSR_EL1 is a register of the page.  Exit 0 when
# the lines agree.
. "$(dirname "$0")/sid-qemu.sh"

timeout 60 "$build/vmm" run --accel vkvm --nested \
	--testdev "$build/guests/nv2" >"$out/vkvm" 2>&1 || true
sid_qemu 15 virt,virtualization=on,gic-version=3,mte=on "$build/guests/nv2" "$out/qemu"
for f in vkvm qemu; do
	tr -d '\r' <"$out/$f" | grep '^SYN ' >"$out/$f.all" || true
done
if grep -q '^SKIP: no FEAT_NV2' "$out/vkvm"; then
	echo "vkvm: $(grep '^SKIP' "$out/vkvm");" \
		"QEMU: $(tr -d '\r' <"$out/qemu" | grep '^RESULT' || echo 'no RESULT')"
	exit 1
fi
# the registers absent on either side: "SYN nv2[ nv1][ el2] NAME ... absent"
for f in vkvm qemu; do
	sed -n 's/^SYN \(nv2 .*\) absent (.*/\1/p' "$out/$f.all" |
		sed 's/ off 0x[0-9a-f]*$//' | sort -u >"$out/$f.absent"
done
sort -u "$out/vkvm.absent" "$out/qemu.absent" >"$out/absent"
while read -r reg; do
	printf '%s\n' "^SYN $reg "
done <"$out/absent" >"$out/absent.re"
for f in vkvm qemu; do
	if [ -s "$out/absent.re" ]; then
		grep -v -f "$out/absent.re" "$out/$f.all" >"$out/$f.syn" || true
	else
		cp "$out/$f.all" "$out/$f.syn"
	fi
done
n=$(wc -l <"$out/qemu.syn")
echo "left out: $(comm -12 "$out/vkvm.absent" "$out/qemu.absent" | wc -l) absent on both sides"
for f in vkvm qemu; do
	o=vkvm; [ $f = vkvm ] && o=qemu
	comm -23 "$out/$f.absent" "$out/$o.absent" | sed "s/^nv2 /absent on $f only: /"
done
echo "vkvm: $(grep -c '^PASS' "$out/vkvm") PASS, $(grep -c '^FAIL' "$out/vkvm" || true) FAIL," \
	"$(grep -c '^SKIP' "$out/vkvm" || true) SKIP;" \
	"QEMU: $(tr -d '\r' <"$out/qemu" | grep -c '^PASS') PASS, $(tr -d '\r' <"$out/qemu" | grep -c '^FAIL') FAIL;" \
	"$n SYN lines"
grep '^SKIP' "$out/vkvm" || true
[ "$n" -gt 0 ] && diff -u "$out/qemu.syn" "$out/vkvm.syn" && echo "nv2-qemu: the same"
