#!/bin/sh
# vmm's fatal-signal handler gives the terminal back and then lets the
# previous handler see the signal: under ASan/UBSan the sanitizer's report
# must appear (it was hidden when vmm replaced the handler), and without
# sanitizers the process still dies of the signal.  TAP.
#   signals.sh VMM SANITIZED(0|1) GUESTDIR TMPDIR
set -u
VMM=$1
SAN=$2
G=$3
T=$4
mkdir -p "$T"
. "$(dirname "$0")/tap.sh"

for spec in SEGV:11 BUS:7 FPE:8 ABRT:6; do
	sig=${spec%:*}
	num=${spec#*:}
	"$VMM" run -m 16 -k "$G/spin-mem.bin" </dev/null >"$T/out.$sig" 2>"$T/err.$sig" &
	pid=$!
	sleep 1
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	if [ "$SAN" = 1 ] && [ "$sig" != ABRT ]; then
		# the sanitizers handle SEGV, BUS and FPE (ASan's defaults)
		grep -q 'AddressSanitizer' "$T/err.$sig"
		ok $? "SIG$sig under ASan: the sanitizer's report is printed (rc $rc)"
	else
		[ "$rc" -eq $((128 + num)) ]
		ok $? "SIG$sig: vmm dies of the signal (rc $rc)"
	fi
done
tap_done
