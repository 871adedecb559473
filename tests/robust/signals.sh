#!/bin/sh
# vmm's fatal-signal handler gives the terminal back and then lets the
# previous handler see the signal: under ASan/UBSan the sanitizer's report
# must appear (it was hidden when vmm replaced the handler), and without
# sanitizers the process still dies of the signal.  TAP.
#   signals.sh VMM SANITIZED(0|1) TMPDIR
set -u
VMM=$1
SAN=$2
T=$3
mkdir -p "$T"
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# a guest that spins forever: "b ." as a raw image
printf '\000\000\000\024' >"$T/spin.bin"

for spec in SEGV:11 BUS:7 FPE:8 ABRT:6; do
	sig=${spec%:*}
	num=${spec#*:}
	"$VMM" run -m 16 -k "$T/spin.bin" </dev/null >"$T/out.$sig" 2>"$T/err.$sig" &
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
echo "1..$n"
exit $fail
