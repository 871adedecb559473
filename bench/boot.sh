#!/bin/sh
# Boot time of Debian's arm64 cloud kernel with the busybox initramfs
# (build/linux, `make linux`), from the start of the VMM to the guest's
# power-off: `vmm run` under vkvm against `qemu-system-aarch64 -M virt
# -cpu cortex-a72` with the same kernel, initramfs and 1 vCPU, measured
# pairwise in the same run.  Issue 7's target: vmm within 3.0x of QEMU.
# Usage: bench/boot.sh [RUNS] (default 3).
set -eu
runs=${1:-3}
vmm=${VMM:-build/vmm}
dir=${LINUX_DIR:-build/linux}
image=$dir/Image
initrd=$dir/initramfs.cpio
qemu=${QEMU:-qemu-system-aarch64}
[ -x "$vmm" ] && [ -f "$image" ] && [ -f "$initrd" ] ||
	{ echo "build $vmm and $dir first (make all linux)" >&2; exit 1; }
params="rdinit=/init panic=-1 vmm.poweroff=1"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

i=0
total_v=0
total_q=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now)
	"$vmm" run --kernel "$image" --initrd "$initrd" -m 512 -c 1 \
		--params "$params" </dev/null >/tmp/bench-boot-vmm.log 2>&1
	t1=$(now)
	"$qemu" -M virt -cpu cortex-a72 -m 512 -smp 1 -nographic -nic none \
		-no-reboot -kernel "$image" -initrd "$initrd" \
		-append "console=ttyAMA0 $params" </dev/null >/tmp/bench-boot-qemu.log 2>&1
	t2=$(now)
	grep -q "reboot: Power down" /tmp/bench-boot-vmm.log ||
		{ echo "vmm run did not power off (see /tmp/bench-boot-vmm.log)" >&2; exit 1; }
	grep -q "reboot: Power down" /tmp/bench-boot-qemu.log ||
		{ echo "qemu did not power off (see /tmp/bench-boot-qemu.log)" >&2; exit 1; }
	v=$(ms "$t0" "$t1")
	q=$(ms "$t1" "$t2")
	total_v=$((total_v + v))
	total_q=$((total_q + q))
	i=$((i + 1))
	awk -v i="$i" -v v="$v" -v q="$q" 'BEGIN {
		printf "run %d: vmm (vkvm) %.2f s, qemu-system-aarch64 (TCG, cortex-a72) %.2f s, ratio %.2fx\n",
			i, v / 1000, q / 1000, v / q }'
done
awk -v v="$total_v" -v q="$total_q" -v n="$runs" 'BEGIN {
	printf "mean over %d runs: vmm %.2f s, qemu %.2f s, ratio %.2fx (target <= 3.0x)\n",
		n, v / n / 1000, q / n / 1000, v / q }'
