#!/bin/sh
# Launch-to-exit time of `vmm run` for the bare-metal hello guest under
# vkvm: process start, VM and vCPU setup, loading, DTB, running the guest to
# its test-exit write, teardown.  Issue 5's target: under 50 ms.
# Usage: bench/launch.sh [RUNS] (default 50).
set -eu
runs=${1:-50}
vmm=${VMM:-build/vmm}
guest=${GUEST:-build/guests/hello}
[ -x "$vmm" ] && [ -f "$guest" ] || { echo "build $vmm and $guest first (make all guests)" >&2; exit 1; }

times=""
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(date +%s%N)
	"$vmm" run --kernel "$guest" >/dev/null 2>&1 </dev/null
	t1=$(date +%s%N)
	times="$times $(( (t1 - t0) / 1000 ))"
	i=$((i + 1))
done
echo "$times" | tr ' ' '\n' | grep -v '^$' | sort -n | awk -v runs="$runs" '
	{ v[NR] = $1; sum += $1 }
	END {
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "vmm run (hello guest, vkvm), %d runs: median %.2f ms, min %.2f ms, max %.2f ms, mean %.2f ms (target < 50 ms)\n",
			runs, med / 1000, v[1] / 1000, v[NR] / 1000, sum / NR / 1000
	}'
