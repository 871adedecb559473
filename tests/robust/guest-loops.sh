#!/bin/sh
# Hostile guests that never exit, under `vmm run --timeout`: vmm must stop
# them at the deadline (status 124) without a crash or a sanitizer report,
# in the plain and the ASan/UBSan build (whose engine once overflowed its
# stack on the first loop within a second).  TAP.
#   guest-loops.sh VMM SANITIZED(0|1) GUESTDIR TMPDIR
set -u
VMM=$1
G=$3
T=$4
mkdir -p "$T"
. "$(dirname "$0")/tap.sh"

for g in spin-mem spin-wfe; do
	for smp in 1 2; do
		"$VMM" run -m 16 -c "$smp" -k "$G/$g.bin" --timeout 2 </dev/null \
			>"$T/$g.$smp.out" 2>"$T/$g.$smp.err"
		rc=$?
		bad=$(grep -c -E 'Sanitizer|runtime error|stack-overflow' "$T/$g.$smp.err")
		[ "$rc" -eq 124 ] && [ "$bad" -eq 0 ]
		ok $? "$g, $smp vCPU(s): stopped at the 2 s deadline (status $rc, $bad sanitizer lines)"
	done
done
tap_done
