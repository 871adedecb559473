#!/bin/bash
# Run test programs that speak TAP and add up their results.
#
# Each program prints "ok N - ..." / "not ok N - ..." lines.  A program
# that exits non-zero, dies, or times out without reporting a failure counts
# one failure more, so a crash can never pass.  Full output of each program
# is kept in $LOGDIR.  The last line is "N passed, N failed"; the one
# before it counts the skipped tests.
#
# TEST_JOBS programs run at once (default: the number of CPUs); their
# results are printed in the order given, each as soon as it and those
# before it are done.
set -u

LOGDIR=${LOGDIR:-build/test-logs}
TIMEOUT=${TEST_TIMEOUT:-900}
JOBS=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p "$LOGDIR"

progs=("$@")
n=${#progs[@]}

log_of() {
	echo "$LOGDIR/$(echo "$1" | sed 's|^build/||; s|/|_|g').log"
}

# run one program; its status and seconds go to LOG.rc
run_one() {
	local prog=$1 log start rc slow
	log=$(log_of "$prog")
	start=$(date +%s)
	# The sanitizer build runs two to four times slower, more on a loaded
	# host: its hang limits (Check's per-test timeouts, flood.sh's HANG)
	# stretch threefold; they catch hangs, they time nothing.
	case $prog in
	*/san/*) slow="CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-3} FLOOD_HANG=${FLOOD_HANG:-360}" ;;
	*) slow= ;;
	esac
	# vkvm's block translator is on by default: the plain build's programs
	# run with it, the sanitizer and -O0 builds' (and the sanitizer boot)
	# with the interpreter alone, so that every test runs both ways; a
	# program that sets VKVM_JIT itself (tests/jit, test_jit) decides.
	case $prog in
	*/san/*|*/o0/*|*_san) slow="$slow VKVM_JIT=0" ;;
	esac
	env $slow timeout -k 10 "$TIMEOUT" "$prog" >"$log" 2>&1 </dev/null
	rc=$?
	echo "$rc $(( $(date +%s) - start ))" >"$log.rc"
}

passed=0
failed=0
skipped=0

# print (and count) program i's result
report() {
	local prog=${progs[$1]} log rc secs ok skip bad
	log=$(log_of "$prog")
	read -r rc secs <"$log.rc"
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
		# the failures first (a summary may keep only its first lines),
		# then each with the comments before it, then the log's opening
		grep -E '^not ok' "$log" | head -n 10 | sed 's/^/      /'
		echo '      (each failure with what the log said before it:)'
		grep -B 12 -E '^not ok' "$log" | grep -E '^not ok|^#|^--' |
			head -n 60 | sed 's/^/      /'
		echo '      (the log opens with:)'
		grep -E '^#' "$log" | head -n 20 | sed 's/^/      /'
	fi
}

start_all=$(date +%s)
next=0		# next program to start
shown=0		# next program to report
running=0
for ((i = 0; i < n; i++)); do
	rm -f "$(log_of "${progs[$i]}").rc"
done
while [ "$shown" -lt "$n" ]; do
	while [ "$running" -lt "$JOBS" ] && [ "$next" -lt "$n" ]; do
		run_one "${progs[$next]}" &
		next=$((next + 1))
		running=$((running + 1))
	done
	if [ "$running" -gt 0 ]; then
		wait -n
		running=$((running - 1))
	fi
	while [ "$shown" -lt "$n" ] && [ -f "$(log_of "${progs[$shown]}").rc" ]; do
		report "$shown"
		shown=$((shown + 1))
	done
done
wait

echo "# $n programs, $JOBS at a time, $(( $(date +%s) - start_all )) s; $skipped tests skipped (each says why in its log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
