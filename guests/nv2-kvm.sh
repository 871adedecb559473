#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The FEAT_NV2 guest's SYN lines three ways: vkvm, QEMU 11 TCG (as
# guests/nv2-qemu.sh runs it) and Linux 7.x KVM with nested virtualization
# in the sid rig, whose output (build/aarch64/vmm_nv2_rig's, "# nv2-kvm: LINE",
# the [nv2-kvm] spec: --nested, no --e2h0) a rig run left in RIG_OUT.  Not in
# make check: it needs build/sid and a rig run (`make rig-check-nv2`,
# docs/nested.md).
#
#   guests/nv2-kvm.sh [BUILD [RIG_OUT]]
#
# As in nv2-qemu.sh, a register of the VNCR page whose feature one side
# lacks ("absent") is left out on every side and named.  If KVM gives its
# guest hypervisor no FEAT_NV2 (ID_AA64MMFR2_EL1.NV below 2) the guest
# stops after that line: the script says so and compares that line only.
# Exit 0 when KVM's and vkvm's lines agree.
. "$(dirname "$0")/sid-qemu.sh"
rig_out=${2:-$build/rig-sid-nv2/out/vmm_nv2_rig.txt}
[ -f "$rig_out" ] || { echo "nv2-kvm: $rig_out: no rig output (make rig-check-nv2)" >&2; exit 2; }

sed -n 's/^# nv2-kvm: //p' "$rig_out" >"$out/kvm"
[ -s "$out/kvm" ] || { echo "nv2-kvm: $rig_out has no nv2 log" >&2; exit 2; }
timeout 60 "$build/vmm" run --accel vkvm --nested \
	--testdev "$build/guests/nv2" >"$out/vkvm" 2>&1 || true
sid_qemu 15 virt,virtualization=on,gic-version=3,mte=on "$build/guests/nv2" "$out/qemu"
sides="kvm vkvm qemu"
for f in $sides; do
	tr -d '\r' <"$out/$f" >"$out/$f.txt"
	grep '^SYN ' "$out/$f.txt" >"$out/$f.all" || true
done
count() {	# FILE TAG
	grep -c "^$2" "$1" || true
}
for f in $sides; do
	echo "$f: $(count "$out/$f.txt" PASS) PASS, $(count "$out/$f.txt" FAIL) FAIL," \
		"$(count "$out/$f.txt" KNOWN-KVM) KNOWN-KVM," \
		"$(count "$out/$f.txt" SKIP) SKIP; $(wc -l <"$out/$f.all") SYN lines;" \
		"$(grep -m1 '^SYN ID_AA64MMFR2_EL1.NV ' "$out/$f.txt" || echo 'no ID_AA64MMFR2_EL1.NV line')"
done
if grep -q '^SKIP: no FEAT_NV2' "$out/kvm.txt"; then
	echo "nv2-kvm: KVM offers no FEAT_NV2: $(grep -m1 '^SKIP' "$out/kvm.txt")"
	echo "--- vkvm, +++ KVM (the ID line):"
	diff -u "$out/vkvm.all" "$out/kvm.all" | grep '^[-+]SYN ID_' || true
	exit 1
fi
# the registers absent on any side: "SYN nv2[ nv1][ el2] NAME ... absent"
for f in $sides; do
	sed -n 's/^SYN \(nv2 .*\) absent (.*/\1/p' "$out/$f.all" |
		sed 's/ off 0x[0-9a-f]*$//' | sort -u >"$out/$f.absent"
done
sort -u "$out/kvm.absent" "$out/vkvm.absent" "$out/qemu.absent" >"$out/absent"
while read -r reg; do
	printf '%s\n' "^SYN $reg "
done <"$out/absent" >"$out/absent.re"
for f in $sides; do
	if [ -s "$out/absent.re" ]; then
		grep -v -f "$out/absent.re" "$out/$f.all" >"$out/$f.syn" || true
	else
		cp "$out/$f.all" "$out/$f.syn"
	fi
	# named where this side has the register (a side that skipped a pass has neither)
	while read -r reg; do
		grep "^SYN $reg " "$out/$f.all" | grep -qv ' absent (' &&
			echo "absent elsewhere, present on $f: ${reg#nv2 }"
	done <"$out/absent"
done
# the lines two files have in common, in order (their longest common subsequence)
common() {
	{ diff --unchanged-line-format='%L' --old-line-format='' --new-line-format='' "$1" "$2" || true; } |
		wc -l
}
n=$(wc -l <"$out/kvm.syn")
echo "KVM and vkvm agree on $(common "$out/kvm.syn" "$out/vkvm.syn") of $n SYN lines;" \
	"KVM and QEMU on $(common "$out/kvm.syn" "$out/qemu.syn")"
echo "--- QEMU, +++ KVM:"
diff -u "$out/qemu.syn" "$out/kvm.syn" | tail -n +3 | grep '^[-+]' || true
echo "--- vkvm, +++ KVM:"
[ "$n" -gt 0 ] && diff -u "$out/vkvm.syn" "$out/kvm.syn" && echo "nv2-kvm: KVM and vkvm the same"
