#!/bin/sh
# Host CPU that an idle vCPU costs: a guest spinning in WFE ("wfe; b .-4")
# and one in WFI, each for SECS seconds under `vmm run --timeout`; prints
# user+system CPU seconds and the percentage of one host CPU.
#   bench/wfe-idle.sh [VMM] [SECS]
VMM=${1:-build/vmm}
SECS=${2:-3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# wfe = d503205f, wfi = d503207f, b .-4 = 17ffffff (little-endian bytes)
printf '\137\040\003\325\377\377\377\027' >"$T/wfe.bin"
printf '\177\040\003\325\377\377\377\027' >"$T/wfi.bin"
for g in wfe wfi; do
	/usr/bin/time -f "%U %S" -o "$T/time" "$VMM" run -m 16 -k "$T/$g.bin" \
		--timeout "$SECS" </dev/null >/dev/null 2>&1
	tail -n 1 "$T/time" | awk -v g="$g" -v s="$SECS" '{ cpu = $1 + $2;
		printf "%s: %.2f s CPU in %d s: %.1f%% of a host CPU\n", g, cpu, s, 100 * cpu / s }'
done
