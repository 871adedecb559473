#!/bin/bash
# The long differential run: many seeds, many cases per class, against
# qemu-aarch64 (make check runs one seed and a few hundred cases a class),
# for tests/diff, tests/fpdiff and tests/svediff (every vector length).
#
#   bench/diff-long.sh [SEEDS [CASES [TOOL...]]]
#       defaults: 20 seeds, 3000 cases a class and seed, diff fpdiff svediff
#   FIRST_SEED=N   the first seed (default 1)
#
# Needs the tools built (make test-progs).  Each seed is one run of each
# tool; keep SEEDS x CASES the total and CASES moderate (a run holds all its
# cases and both sides' results in memory: about 10 KiB a case).  Prints
# each run's failing TAP lines and, at the end, the cases and mismatches
# per tool and class over all seeds.  Exits non-zero if any run shows a
# mismatch or fails; each mismatch prints its rerun command line.
set -u
BUILD=${BUILD:-build}
SEEDS=${1:-20}
CASES=${2:-3000}
shift $(($# < 2 ? $# : 2))
TOOLS=${*:-diff fpdiff svediff}
first=${FIRST_SEED:-1}
sum=$(mktemp)
trap 'rm -f "$sum"' EXIT
fail=0
for seed in $(seq "$first" $((first + SEEDS - 1))); do
	for tool in $TOOLS; do
		case $tool in
		diff|fpdiff|svediff) bin=$BUILD/tests/$tool/$tool ;;
		*) echo "unknown tool $tool (diff, fpdiff, svediff)" >&2; exit 2 ;;
		esac
		out=$("$bin" -s "$seed" -n "$CASES" -m 2)
		rc=$?
		echo "$out" | grep -E '^(not ok|Bail out|#)'
		echo "$out" | sed -n "s/^\(not \)\?ok [0-9]* - \(.*\): \([0-9]*\) cases, .* \([0-9]*\) mismatch.*/$tool \2 \3 \4/p" >>"$sum"
		echo "seed $seed $tool: rc=$rc"
		[ "$rc" -eq 0 ] || fail=1
	done
done
awk '{ k = $1 " " $2; for (i = 3; i < NF - 1; i++) k = k " " $i
       cases[k] += $(NF - 1); bad[k] += $NF; if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
     END { for (i = 1; i <= n; i++)
		printf "%-28s %9d cases %3d mismatches\n", order[i], cases[order[i]], bad[order[i]] }' "$sum"
exit $fail
