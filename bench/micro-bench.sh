#!/bin/bash
# kvm-unit-tests' arm/micro-bench (hypercall, MMIO exits, EOI, IPI, timer
# latency) under vmm and, when given a build of it for the qemu target,
# under qemu-system-aarch64 TCG, one after the other: average ns per
# operation and vmm's ratio to QEMU.
#   bench/micro-bench.sh KUT_KVMTOOL_DIR [KUT_QEMU_DIR]
# KUT_KVMTOOL_DIR: kvm-unit-tests built with --target=kvmtool (as for
# tools/kut-run.sh); KUT_QEMU_DIR: built without it (qemu target), whose
# micro-bench exits through QEMU's chr-testdev.  VMM (default build/vmm)
# runs as lkvm, as kvm-unit-tests' runner runs it; QEMU_TIMEOUT (default
# 600 s) bounds QEMU's run (its lpi test is slow under TCG).
set -u
kut=${1:?usage: bench/micro-bench.sh KUT_KVMTOOL_DIR [KUT_QEMU_DIR]}
kutq=${2:-}
vmm=${VMM:-build/vmm}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ln -s "$(readlink -f "$vmm")" "$T/lkvm"

avg() { awk '$1 ~ /^(hyp_call|mmio_read_user|mmio_read_vgic|eoi|ipi|lpi|timer_10ms)$/ && NF >= 3 {
	if ($3 ~ /^[0-9.]+$/) { sub(/\..*/, "", $3); print $1, $3 } }' "$1"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$T/lkvm" run --nodefaults --network mode=none --loglevel=warning \
	--kernel "$kut/arm/micro-bench.flat" --cpus 2 </dev/null >"$T/vmm.log" 2>&1
avg "$T/vmm.log" >"$T/vmm"
if [ -n "$kutq" ]; then
	timeout "${QEMU_TIMEOUT:-600}" qemu-system-aarch64 -nodefaults \
		-machine virt,gic-version=3 -accel tcg -cpu max -smp 2 -m 256 \
		-display none -serial stdio -device virtio-serial-device \
		-device virtconsole,chardev=ctd -chardev testdev,id=ctd \
		-kernel "$kutq/arm/micro-bench.flat" </dev/null >"$T/qemu.log" 2>&1
fi
[ -f "$T/qemu.log" ] && avg "$T/qemu.log" >"$T/qemu" || : >"$T/qemu"
printf '%-16s %12s %12s %8s\n' test "vmm ns" "QEMU ns" ratio
awk 'NR == FNR { q[$1] = $2; next }
	{ r = ($1 in q && q[$1] > 0) ? sprintf("%.2f", $2 / q[$1]) : "-";
	  printf "%-16s %12s %12s %8s\n", $1, $2, ($1 in q) ? q[$1] : "-", r }' "$T/qemu" "$T/vmm"
grep -q "EXIT: STATUS=1" "$T/vmm.log" || { echo "micro-bench failed under vmm:"; tail -5 "$T/vmm.log"; exit 1; }
