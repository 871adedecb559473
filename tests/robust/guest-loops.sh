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
# A guest that prints and then waits for ever: its THR stores go to the
# coalesced-MMIO ring (IER 0), and no exit follows them.  The line must
# reach stdout while the guest waits (vmm drains the ring every 10 ms);
# it is looked for for up to 20 s, then vmm is killed with SIGKILL, which
# would lose anything still in the ring.
# the last run's file would be seen before this run's redirection empties it
rm -f "$T/spin-print.out"
"$VMM" run -m 16 -k "$G/spin-print.bin" --timeout 60 </dev/null \
	>"$T/spin-print.out" 2>"$T/spin-print.err" &
pid=$!
polls=0
while ! grep -q "^spin-print: the line before the wait" "$T/spin-print.out" && [ $polls -lt 200 ]; do
	sleep 0.1
	polls=$((polls + 1))
done
grep -q "^spin-print: the line before the wait" "$T/spin-print.out"
seen=$?
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
ok $seen "a line written with no exit after it is printed while the guest waits (after $polls polls)"
tap_done
