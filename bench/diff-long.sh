#!/bin/bash
# The long differential run: every differential harness against its QEMU,
# seed after seed, until each class has TARGET cases (make check runs one
# seed and a bounded number a class).
#
#   bench/diff-long.sh [TARGET [CASES [TOOL...]]]
#	TARGET	cases a class to reach (default 1000000)
#	CASES	cases a class and run (-n; default: the tool's below)
#	TOOL	diff fpdiff svediff mtediff pauthdiff btidiff (default: all),
#		run one after another, each until all its classes are done
#   FIRST_SEED=N	the first seed (default 1)
#   LOG=FILE		append each run's per-class figures ("tool class cases
#			mismatches" lines) and its diagnostics ("# ..." lines)
#			there, so that a killed run's figures survive (default
#			a temporary file); rerunning with the same LOG
#			continues: seeds already in it are skipped
#   UNTIL=EPOCH		start no run after this time (date +%s)
#   bench/diff-long.sh -t LOG [TARGET]	only print LOG's table
#
# The tools must be built (make test-progs).  A run holds at most
# DIFF_CHUNK (4096) cases at once, whatever CASES is; CASES sets how often
# the log gets a run's figures.  pauthdiff's seed picks its cases
# (-s) and -n is its number of cases; btidiff's matrix is exhaustive and
# fixed (4,620 cases), run once.  tests/lse2tear is not differential
# (vkvm's own threads, nothing to compare with) and is not run here.
# Prints the table (tool, class, cases, mismatches; classes short of
# TARGET marked) and exits non-zero if any run showed a mismatch or failed;
# each mismatch prints its rerun command line.
set -u
BUILD=${BUILD:-build}

table() {
	awk -v target="$2" '
	$1 == "#" || NF < 4 { next }
	{ k = $1 "\t" $2; for (i = 3; i <= NF - 2; i++) k = k " " $i
	  cases[k] += $(NF - 1); bad[k] += $NF
	  if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
	END { printf "%-10s %-24s %12s %10s\n", "tool", "class", "cases", "mismatches"
	      for (i = 1; i <= n; i++) {
		split(order[i], f, "\t")
		printf "%-10s %-24s %12d %10d%s\n", f[1], f[2], cases[order[i]],
		       bad[order[i]], cases[order[i]] < target ? "  (short of target)" : ""
	      } }' "$1"
}

if [ "${1:-}" = -t ]; then
	table "$2" "${3:-1000000}"
	exit 0
fi

TARGET=${1:-1000000}
CASES=${2:-}
shift $(($# < 2 ? $# : 2))
TOOLS=${*:-diff fpdiff svediff mtediff pauthdiff btidiff}
first=${FIRST_SEED:-1}
until=${UNTIL:-0}
log=${LOG:-}
if [ -z "$log" ]; then
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
fi
touch "$log"
fail=0

# "tool class cases mismatches" for each class line of a run's TAP
parse() {
	case $1 in
	pauthdiff)
		sed -n 's/^\(not \)\?ok 1 - pauth.c against [^:]*: \([0-9]*\) cases, \([0-9]*\) results compared.* \([0-9]*\) differ$/pauthdiff qemu-vs-model \2 \4/p
			s/^\(not \)\?ok 2 - vkvm guest: \([0-9]*\) results, \([0-9]*\) differ.*/pauthdiff vkvm-vs-model \2 \3/p' ;;
	btidiff)
		sed -n 's/^\(not \)\?ok 1 - model against [^:]*: \([0-9]*\) of [0-9]* cases, \([0-9]*\) differ$/btidiff qemu-vs-model \2 \3/p
			s/^\(not \)\?ok 2 - vkvm against the model: \([0-9]*\) of [0-9]* cases, \([0-9]*\) differ.*/btidiff vkvm-vs-model \2 \3/p' ;;
	*)
		sed -n "s/^\(not \)\?ok [0-9]* - \(.*\): \([0-9]*\) cases, .* \([0-9]*\) mismatch.*/$1 \2 \3 \4/p" ;;
	esac
}

# The fewest cases of a tool's classes in the log (0 if none)
fewest() {
	awk -v t="$1" '$1 == t { k = $0; sub(/ [0-9]+ [0-9]+$/, "", k); c[k] += $(NF - 1) }
		END { m = -1; for (k in c) if (m < 0 || c[k] < m) m = c[k]; print m < 0 ? 0 : m }' "$log"
}

for tool in $TOOLS; do
	case $tool in
	diff|fpdiff|svediff|mtediff|btidiff|pauthdiff) bin=$BUILD/tests/$tool/$tool ;;
	*) echo "unknown tool $tool (diff fpdiff svediff mtediff pauthdiff btidiff)" >&2; exit 2 ;;
	esac
	case $tool in
	diff) n=${CASES:-1000} ;;
	fpdiff) n=${CASES:-500} ;;
	svediff) n=${CASES:-100} ;;
	mtediff) n=${CASES:-3000} ;;
	pauthdiff) n=${CASES:-20000} ;;
	btidiff) n=0 ;;
	esac
	seed=$first
	while :; do
		[ "$until" -gt 0 ] && [ "$(date +%s)" -ge "$until" ] && break
		done_cases=$(fewest "$tool")
		[ "$done_cases" -ge "$TARGET" ] && break
		[ "$tool" = btidiff ] && [ "$done_cases" -gt 0 ] && break
		if grep -q "^# run $tool seed $seed " "$log"; then
			seed=$((seed + 1))
			continue
		fi
		start=$(date +%s)
		case $tool in
		btidiff) out=$("$bin") ;;
		pauthdiff) out=$("$bin" -s "$seed" -n "$n") ;;
		*) out=$("$bin" -s "$seed" -n "$n" -m 2) ;;
		esac
		rc=$?
		{
			echo "# run $tool seed $seed n $n rc $rc $(($(date +%s) - start)) s"
			echo "$out" | grep -E '^(not ok|Bail out)' | sed 's/^/# /'
			echo "$out" | grep -E '^#'
			echo "$out" | parse "$tool"
		} >>"$log"
		echo "$out" | grep -E '^(not ok|Bail out|#)'
		echo "$tool seed $seed: rc=$rc, $(($(date +%s) - start)) s, fewest cases a class $(fewest "$tool")"
		[ "$rc" -eq 0 ] || fail=1
		seed=$((seed + 1))
	done
done
table "$log" "$TARGET"
grep -q '^# run .* rc [1-9]' "$log" && fail=1
exit $fail
