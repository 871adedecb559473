#!/bin/sh
# Linux boot to power-off under vkvm (build/linux: Debian's 6.1 cloud kernel
# and the busybox initramfs, 1 vCPU) three ways, interleaved run by run:
#   plain    no crypto module loaded (the built-in algorithms' self-tests only)
#   ce       guests/linux/crypto-load ce: the Crypto Extensions and NEON
#            drivers loaded, 25 algorithms resolved to them, self-tested
#   generic  crypto-load generic: the same 25 algorithms from the C code
# Wall time of each whole run, and the guest's own time (/proc/uptime) for
# crypto-load's two steps, loading the modules (the CE drivers' self-tests)
# and instantiating the 25 algorithms (the generic instances' self-tests),
# mean over RUNS.  Usage: bench/boot-ce.sh [RUNS] (default 3).
set -eu
runs=${1:-3}
vmm=${VMM:-build/vmm}
dir=${LINUX_DIR:-build/linux}
[ -x "$vmm" ] && [ -f "$dir/Image" ] && [ -f "$dir/initramfs.cpio" ] ||
	{ echo "build $vmm and $dir first (make all linux)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log" "$log.all"' EXIT
base="rdinit=/init panic=-1 vmm.poweroff=1 cryptomgr.panic_on_fail=1"

now() { date +%s%N; }

# run MODE: prints "WALL_MS MODULES_MS INSTANCES_MS"
run() {
	case $1 in
	plain) p=$base ;;
	*) p="$base vmm.cmd=\"crypto-load $1\"" ;;
	esac
	t0=$(now)
	"$vmm" run --kernel "$dir/Image" --initrd "$dir/initramfs.cpio" -m 512 -c 1 \
		--params "$p" </dev/null >"$log" 2>&1
	t1=$(now)
	grep -q "reboot: Power down" "$log" ||
		{ echo "$1: no power-off; the console:" >&2; cat "$log" >&2; exit 1; }
	if [ "$1" != plain ]; then
		grep -q "^crypto-load: $1: 25 algorithms, 25 self-tested and passed" "$log" ||
			{ echo "$1: crypto-load failed; the console:" >&2; cat "$log" >&2; exit 1; }
	fi
	steps=$(tr -d '\r' <"$log" | awk -v m="$1" '$0 ~ "^crypto-load: " m ": modules " {
		printf "%d %d", $4 * 1000, $7 * 1000 }')
	echo "$(( (t1 - t0) / 1000000 )) ${steps:-0 0}"
}

i=0
echo "mode     wall s  modules s  instances s   (crypto-load's two steps, guest time)"
: >"$log.all"
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for mode in plain ce generic; do
		set -- $(run $mode)
		echo "$mode $1 $2 $3" >>"$log.all"
		awk -v m="$mode" -v w="$1" -v a="$2" -v b="$3" 'BEGIN {
			printf "%-8s %6.2f  %9.2f  %11.2f\n", m, w / 1000, a / 1000, b / 1000 }'
	done
done
awk -v n="$runs" '{ w[$1] += $2; a[$1] += $3; b[$1] += $4 }
	END { printf "mean over %d runs:\n", n
	      for (m in w) printf "%-8s %6.2f  %9.2f  %11.2f\n", m, w[m] / n / 1000, a[m] / n / 1000, b[m] / n / 1000 }' "$log.all"
rm -f "$log.all"
