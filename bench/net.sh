#!/bin/sh
# Guest -> host TCP throughput through user-mode networking: the Linux boot
# guest (build/linux) takes an address by DHCP and fetches a file of
# SIZE_MIB (default 32) random bytes from tests/boot/net_server.c on the
# host's 127.0.0.1 with busybox wget -O /dev/null, RUNS times (default 3),
# under `vmm run --network mode=user` (libslirp) and under
# `qemu-system-aarch64 -netdev user` (libslirp too) with a
# virtio-net-device, in the same run.  The time is the guest's own
# (busybox time around wget, connection set-up included).
# Usage: bench/net.sh [RUNS [SIZE_MIB]].
set -eu
runs=${1:-3}
size=${2:-32}
vmm=${VMM:-build/vmm}
server=${NET_SERVER:-build/tests/net_server}
dir=${LINUX_DIR:-build/linux}
image=$dir/Image
initrd=$dir/initramfs.cpio
qemu=${QEMU:-qemu-system-aarch64}
[ -x "$vmm" ] && [ -x "$server" ] && [ -f "$image" ] && [ -f "$initrd" ] ||
	{ echo "build $vmm, $server and $dir first (make all linux $server)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmm-bench-net.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
head -c $((size * 1048576)) /dev/urandom >"$tmp/file"
"$server" "$tmp/file" "$tmp/port" 3600 &
pid=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
port=$(cat "$tmp/port")

fetch="ip link set eth0 up; udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null || exit 1"
i=0
while [ "$i" -lt "$runs" ]; do
	fetch="$fetch; time wget -q -O /dev/null http://10.0.2.2:$port/f"
	i=$((i + 1))
done
params="rdinit=/init panic=-1 vmm.poweroff=1 vmm.cmd=\"$fetch\""

"$vmm" run --kernel "$image" --initrd "$initrd" -m 512 -c 1 --network mode=user \
	--params "$params" </dev/null >"$tmp/vmm.log" 2>&1 || true
"$qemu" -M virt -cpu cortex-a72 -m 512 -smp 1 -nographic -no-reboot \
	-netdev user,id=n0 -device virtio-net-device,netdev=n0 \
	-kernel "$image" -initrd "$initrd" -append "console=ttyAMA0 $params" \
	</dev/null >"$tmp/qemu.log" 2>&1 || true

# busybox time: "real\t0m 1.23s"; the mean of the runs, in MB/s
rate() {
	tr -d '\r' <"$1" | awk -v mib="$size" -v runs="$runs" '
		/^real/ { t = $2; sub(/m.*/, "", t); s = $3; sub(/s$/, "", s);
			  sum += t * 60 + s; n++ }
		END { if (n != runs || sum == 0) { print "0"; exit }
		      printf "%.2f", mib * 1.048576 * n / sum }'
}
grep -h "^real" "$tmp/vmm.log" | tr -d "\r" | sed "s/^/vmm: /"
grep -h "^real" "$tmp/qemu.log" | tr -d "\r" | sed "s/^/qemu: /"
v=$(rate "$tmp/vmm.log")
q=$(rate "$tmp/qemu.log")
[ "$v" != 0 ] || { cp "$tmp/vmm.log" /tmp/bench-net-vmm.log; echo "vmm: no $runs fetches (see /tmp/bench-net-vmm.log)" >&2; exit 1; }
[ "$q" != 0 ] || { cp "$tmp/qemu.log" /tmp/bench-net-qemu.log; echo "qemu: no $runs fetches (see /tmp/bench-net-qemu.log)" >&2; exit 1; }
awk -v v="$v" -v q="$q" -v r="$runs" -v s="$size" 'BEGIN {
	printf "guest -> host TCP, %d x %d MiB over HTTP: vmm (vkvm, libslirp) %.2f MB/s, " \
	       "qemu-system-aarch64 (TCG cortex-a72, -netdev user) %.2f MB/s, ratio %.2fx\n",
	       r, s, v, q, v / q }'
