#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The EL2 guest's SYN lines three ways: vkvm, QEMU 11 TCG (the sid chroot's
# qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max) and
# Linux 7.x KVM with nested virtualization in the sid rig, whose output
# (build/aarch64/vmm_el2_rig's, "# el2-e2h0: LINE") a rig run left in
# RIG_OUT.  Not in make check: it needs build/sid and a rig run
# (`make rig-check-el2`, docs/nested.md).
#
#   guests/el2-kvm.sh [BUILD [RIG_OUT]]
#
# KVM runs the guest as [el2-e2h0] does, with --e2h0 (its vCPU without it
# has no FEAT_E2H0) and el2.no-s2-reload (guests/el2.cfg), so vkvm does
# too: no VHE, no NV checks; QEMU runs the whole guest, its VHE, NV and
# stage-2 reload lines left over.  The CPU differences of
# el2-qemu.sh are normalised the same way, and one more: KVM's VM has
# MTE (the sid rig's QEMU runs mte=on), so an exception to EL1 sets
# PSTATE.TCO (SPSR bit 25; vkvm runs --disable-mte, as in el2-qemu.sh).
# Then the E2H 1 form (guests/el2.c e2h1_form(): the VHE and NV2 checks
# with HCR_EL2.E2H kept 1), KVM's [el2-no-e2h0] log ("# el2-no-e2h0:
# LINE") against vkvm's and QEMU's whole-guest runs, each from its line
# "el2: the E2H 1 form" on, less the watchpoint on a VNCR-page access
# (its SYN lines "NV2: watchpoint"): KVM takes none there (the CPU makes
# the access at KVM's alias of the page, arch/arm64/kvm/nested.c
# kvm_map_l1_vncr()), QEMU takes it as EL1's without ISS.VNCR, both
# KNOWN lines of the guest (guests/el2.c nv_e2h1()); counted apart.
# Exit 0 when KVM's and vkvm's lines agree in both.
. "$(dirname "$0")/sid-qemu.sh"
rig_out=${2:-$build/rig-sid-el2/out/vmm_el2_rig.txt}
[ -f "$rig_out" ] || { echo "el2-kvm: $rig_out: no rig output (make rig-check-el2)" >&2; exit 2; }

sed -n 's/^# el2-e2h0: //p' "$rig_out" >"$out/kvm"
[ -s "$out/kvm" ] || { echo "el2-kvm: $rig_out has no el2-e2h0 log" >&2; exit 2; }
sed -n 's/^# el2-no-e2h0: //p' "$rig_out" >"$out/kvm1"
timeout 60 "$build/vmm" run --accel vkvm --nested \
	--e2h0 --testdev --pmu --disable-mte -p el2.no-s2-reload "$build/guests/el2" >"$out/vkvm" 2>&1 || true
timeout 60 "$build/vmm" run --accel vkvm --nested \
	--testdev --pmu --disable-mte "$build/guests/el2" >"$out/vkvm1" 2>&1 || true
sid_qemu 20 virt,virtualization=on,gic-version=3 "$build/guests/el2" "$out/qemu"
# the SYN lines of a log, normalised (above)
syn() {	# FILE
	grep '^SYN ' "$1" |
		sed -e 's/spsr 0x2*0*23c5$/spsr 0x3c5/' -e 's/spsr 0x20003c5$/spsr 0x3c5/' \
			-e 's/PA+0xff00000000000a00;/PA+0xff00000000000800;/'
}
for f in kvm vkvm qemu kvm1 vkvm1; do
	tr -d '\r' <"$out/$f" >"$out/$f.txt"
done
for f in kvm vkvm qemu; do
	syn "$out/$f.txt" >"$out/$f.syn"
done
# the E2H 1 form: each log from its marker on
cp "$out/qemu.txt" "$out/qemu1.txt"
for f in kvm1 vkvm1 qemu1; do
	sed -n '/^el2: the E2H 1 form$/,$p' "$out/$f.txt" >"$out/$f.form"
	syn "$out/$f.form" | grep -v '^SYN NV2: watchpoint' >"$out/$f.syn" || true
done
count() {	# FILE TAG
	grep -c "^$2" "$1" || true
}
# the lines two files have in common, in order (their longest common subsequence)
common() {
	{ diff --unchanged-line-format='%L' --old-line-format='' --new-line-format='' "$1" "$2" || true; } |
		wc -l
}
n=$(wc -l <"$out/kvm.syn")
echo "KVM: $(count "$out/kvm.txt" PASS) PASS, $(count "$out/kvm.txt" FAIL) FAIL," \
	"$(count "$out/kvm.txt" KNOWN-KVM) KNOWN-KVM; $n SYN lines"
echo "vkvm (--e2h0): $(count "$out/vkvm.txt" PASS) PASS, $(count "$out/vkvm.txt" FAIL) FAIL;" \
	"$(wc -l <"$out/vkvm.syn") SYN lines"
echo "QEMU: $(count "$out/qemu.txt" PASS) PASS, $(count "$out/qemu.txt" FAIL) FAIL;" \
	"$(wc -l <"$out/qemu.syn") SYN lines"
diff --unchanged-line-format='%L' --old-line-format='' --new-line-format='' \
	"$out/kvm.syn" "$out/vkvm.syn" >"$out/both.syn" || true
echo "KVM and vkvm agree on $(wc -l <"$out/both.syn") of $n SYN lines;" \
	"KVM and QEMU on $(common "$out/kvm.syn" "$out/qemu.syn"); all three on" \
	"$(common "$out/both.syn" "$out/qemu.syn")"
echo "--- QEMU, +++ KVM:"
diff -u "$out/qemu.syn" "$out/kvm.syn" | tail -n +3 | grep '^[-+]' || true
echo "--- vkvm, +++ KVM:"
st=1
[ "$n" -gt 0 ] && diff -u "$out/vkvm.syn" "$out/kvm.syn" && echo "el2-kvm: KVM and vkvm the same" && st=0

n=$(wc -l <"$out/kvm1.syn")
echo "E2H 1 form: KVM: $(count "$out/kvm1.form" PASS) PASS, $(count "$out/kvm1.form" FAIL) FAIL," \
	"$(count "$out/kvm1.form" KNOWN-KVM) KNOWN-KVM; $n SYN lines;" \
	"vkvm: $(count "$out/vkvm1.form" PASS) PASS, $(count "$out/vkvm1.form" FAIL) FAIL;" \
	"QEMU: $(count "$out/qemu1.form" PASS) PASS, $(count "$out/qemu1.form" FAIL) FAIL"
echo "E2H 1 form: the watchpoint on VNCR+0x78 (left out): KVM" \
	"$(grep -c '^KNOWN-KVM: NV2: watchpoint' "$out/kvm1.form" || true) KNOWN-KVM, QEMU" \
	"$(grep -c '^KNOWN-QEMU: NV2: watchpoint' "$out/qemu1.form" || true) KNOWN-QEMU, vkvm" \
	"$(grep -c '^PASS: NV2: watchpoint' "$out/vkvm1.form" || true) PASS"
echo "E2H 1 form: KVM and vkvm agree on $(common "$out/kvm1.syn" "$out/vkvm1.syn") of $n SYN lines;" \
	"KVM and QEMU on $(common "$out/kvm1.syn" "$out/qemu1.syn");" \
	"vkvm and QEMU on $(common "$out/vkvm1.syn" "$out/qemu1.syn") of $(wc -l <"$out/qemu1.syn")"
echo "--- QEMU, +++ KVM (E2H 1 form):"
diff -u "$out/qemu1.syn" "$out/kvm1.syn" | tail -n +3 | grep '^[-+]' || true
echo "--- vkvm, +++ KVM (E2H 1 form):"
if [ "$n" -gt 0 ] && diff -u "$out/vkvm1.syn" "$out/kvm1.syn"; then
	echo "el2-kvm: E2H 1 form: KVM and vkvm the same"
else
	st=1
fi
exit $st
