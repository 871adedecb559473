#!/bin/sh
# Run each libFuzzer target of tests/fuzz/ bounded and report in TAP:
# executions, coverage (libFuzzer's cov: edges and ft: features), and
# whether it found a crash, a hang (-timeout) or a sanitizer report.
#
#   run-fuzz.sh FUZZ_DIR [TARGET...]
#
# FUZZ_SECONDS (default 8) and FUZZ_RUNS (default 200000; -1: no bound)
# bound each target: whichever comes first; FUZZ_SEED (default 1) seeds
# libFuzzer.  The seeds are tests/fuzz/corpus/<target>/; new inputs go to a
# scratch corpus, never into the committed one, or with FUZZ_KEEP=DIR to
# DIR/<target>, kept from run to run (bench-fuzz).  A
# crashing input is kept as FUZZ_DIR/crash-<target>-*: reproduce with
# FUZZ_DIR/fuzz_<target> FILE.
set -u

dir=${1:?usage: run-fuzz.sh FUZZ_DIR [TARGET...]}
shift
targets=${*:-"ioctl loader"}
secs=${FUZZ_SECONDS:-8}
runs=${FUZZ_RUNS:-200000}
n=0
failed=0

for t in $targets; do
	n=$((n + 1))
	bin=$dir/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "ok $n - fuzz_$t # SKIP clang with libFuzzer not installed (tools/deps.sh)"
		continue
	fi
	scratch=$(mktemp -d)
	log=$scratch/log
	corpus=$scratch/corpus
	[ -n "${FUZZ_KEEP:-}" ] && corpus=$FUZZ_KEEP/$t
	mkdir -p "$corpus"
	"$bin" -seed="${FUZZ_SEED:-1}" -runs="$runs" -max_total_time="$secs" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crash-$t-" "$corpus" "tests/fuzz/corpus/$t" \
		>"$log" 2>&1
	rc=$?
	done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1)
	stat=$(grep -E '#[0-9]+.*cov: ' "$log" | tail -n 1 | sed 's/^.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*$/\1 \2/')
	reports=$(grep -c -E '^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer' "$log")
	echo "# fuzz_$t: ${done_line:-no Done line}; $stat; exit $rc"
	if [ "$rc" -eq 0 ] && [ "$reports" -eq 0 ] && [ -n "$done_line" ]; then
		echo "ok $n - fuzz_$t: no crash, hang or sanitizer report"
	else
		failed=1
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -n 20 | sed 's/^/# /'
		echo "not ok $n - fuzz_$t: crash, hang or sanitizer report (log above)"
	fi
	rm -rf "$scratch"
done
echo "1..$n"
exit $failed
