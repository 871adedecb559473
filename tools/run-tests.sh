#!/bin/bash
# Run test programs that speak TAP and add up their results.
#
# Each program prints "ok N - ..." / "not ok N - ..." lines.  A program
# that exits non-zero, dies, or times out without reporting a failure counts
# one failure more, so a crash can never pass.  Full output of each program
# is kept in $LOGDIR.  The last line is "N passed, N failed".
set -u

LOGDIR=${LOGDIR:-build/test-logs}
TIMEOUT=${TEST_TIMEOUT:-900}
mkdir -p "$LOGDIR"

passed=0
failed=0
skipped=0
for prog in "$@"; do
	name=$(echo "$prog" | sed 's|^build/||; s|/|_|g')
	log="$LOGDIR/$name.log"
	start=$(date +%s)
	timeout -k 10 "$TIMEOUT" "$prog" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	ok=$(grep -E '^ok [0-9]+' "$log" | grep -c -v -i '# *skip')
	skip=$(grep -E '^ok [0-9]+' "$log" | grep -c -i '# *skip')
	bad=$(grep -c -E '^not ok [0-9]+' "$log")
	# a plan of 1..0 with a reason: the whole program skipped
	if grep -q -i -E '^1\.\.0 *# *skip' "$log"; then
		skip=$((skip + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $prog exited with status $rc" >>"$log"
	fi
	if [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$skip" -eq 0 ]; then
		bad=1
		echo "not ok - $prog reported no test" >>"$log"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
	if [ "$bad" -eq 0 ]; then
		printf 'PASS  %-40s %5d passed, %d skipped  (%ds)\n' "$prog" "$ok" "$skip" "$secs"
		grep -i -E '# *skip' "$log" | head -n 5 | sed 's/^/      /'
	else
		printf 'FAIL  %-40s %5d passed, %d failed  (%ds, log: %s)\n' \
			"$prog" "$ok" "$bad" "$secs" "$log"
		grep -E '^not ok|^#' "$log" | head -n 40 | sed 's/^/      /'
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
