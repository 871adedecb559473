#!/bin/bash
# The long differential run: many seeds, many cases per class, against
# qemu-aarch64 (make check runs one seed, 400 cases per class).
#
#   bench/diff-long.sh [SEEDS [CASES]]     defaults: 20 seeds, 3000 cases
#
# Needs `make $BUILD/tests/diff/diff` (make bench-build builds it).  Exits
# non-zero if any seed shows a mismatch; each mismatch prints its rerun
# command line.
set -u
BUILD=${BUILD:-build}
DIFF=$BUILD/tests/diff/diff
SEEDS=${1:-20}
CASES=${2:-3000}
fail=0
for seed in $(seq 1 "$SEEDS"); do
	out=$("$DIFF" -s "$seed" -n "$CASES" -m 2)
	rc=$?
	echo "$out" | grep -E '^(not ok|#)' 
	echo "seed $seed: $(echo "$out" | grep -E ' - total:' | sed 's/^.* - //') rc=$rc"
	[ "$rc" -eq 0 ] || fail=1
done
exit $fail
