#!/bin/bash
# Host CPU that an idle Linux guest costs: boot LINUX_DIR's Image and
# initramfs with CPUS vCPUs (default 2), let /init run "sleep", and once it
# sleeps read the VMM's utime+stime (/proc/PID/stat) over SECS seconds.
#   bench/idle-linux.sh [VMM] [SECS] [CPUS]
VMM=${1:-build/vmm}
SECS=${2:-10}
CPUS=${3:-2}
LINUX_DIR=${LINUX_DIR:-build/linux}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
"$VMM" run -m 512 --cpus "$CPUS" -k "$LINUX_DIR/Image" -i "$LINUX_DIR/initramfs.cpio" \
	-p "rdinit=/init panic=-1 vmm.poweroff=1 vmm.cmd=\"sleep $((SECS + 600))\"" \
	--timeout $((SECS + 600)) </dev/null >"$T/log" 2>&1 &
pid=$!
while ! grep -q "vmm-boot: running" "$T/log"; do
	kill -0 $pid 2>/dev/null || { echo "idle-linux: the guest did not boot" >&2; cat "$T/log" >&2; exit 1; }
	sleep 0.5
done
sleep 2		# the shell forks sleep
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
t0=$(ticks)
sleep "$SECS"
t1=$(ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$SECS" -v n="$CPUS" 'BEGIN {
	printf "idle Linux, %d vCPUs: %.2f s CPU in %d s: %.1f%% of a host CPU\n",
	       n, d / hz, s, 100 * d / hz / s }'
