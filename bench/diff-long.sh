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
#   FIRST_SEED=N	the first seed (default: one past the last seed of
#			the tool in RESULTS, else 1)
#   RESULTS=FILE	the record kept in the repository, across sessions
#			(default bench/diff-long-results.txt; RESULTS= for
#			none): each run's per-class figures are added to it,
#			as lines "commit tool first-seed last-seed cases
#			mismatches class", one for a run of consecutive seeds
#			at one commit; the commit is HEAD's, with a "+" when
#			kernel/, tests/ or bench/ differ from it (never
#			counted).  Commit the file with the figures.
#   ENGINE=PATHS	what a recorded run tested (default kernel/cpu but
#			kernel/cpu/jit, the interpreter: these runs set
#			VKVM_JIT=0, and none of the translator's code runs
#			with it): a run counts
#			towards TARGET only if its commit is an ancestor of
#			HEAD and PATHS have not changed since; a change to the
#			engine starts the count again (older lines stay,
#			shown as stale)
#   VARIANTS=K	run each generated code sequence with K input states
#			(the harnesses' -k; default 1): qemu translates a
#			sequence once for K cases (bench/README.md)
#   LOG=FILE		append each run's per-class figures ("tool class cases
#			mismatches" lines) and its diagnostics ("# ..." lines)
#			there, so that a killed run's figures survive (default
#			a temporary file); rerunning with the same LOG
#			continues: seeds already in it are skipped
#   UNTIL=EPOCH		start no run after this time (date +%s)
#   bench/diff-long.sh -t [FILE [TARGET]]	only print the table of FILE,
#			a LOG or the RESULTS file (default RESULTS)
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
# the interpreter alone (the translator is on by default since 2026-12-07)
export VKVM_JIT=0
BUILD=${BUILD:-build}
RESULTS=${RESULTS-$(dirname "$0")/diff-long-results.txt}
ENGINE=${ENGINE:-kernel/cpu :(exclude)kernel/cpu/jit}
VARIANTS=${VARIANTS:-1}

# The commits of RESULTS whose runs count (see ENGINE), one a line
counting_commits() {
	[ -f "$1" ] || return 0
	awk '$1 != "#" && NF >= 7 { print $1 }' "$1" | sort -u | while read -r c; do
		case $c in *+) continue ;; esac
		git merge-base --is-ancestor "$c" HEAD 2>/dev/null &&
			git diff --quiet "$c" HEAD -- $ENGINE 2>/dev/null && echo "$c"
	done
}

# RESULTS' lines as a LOG's "tool class cases mismatches": the counting
# runs, or with stale, the others
results_lines() {
	awk -v stale="${2:-}" 'FNR == NR { ok[$1] = 1; next }
		$1 == "#" || NF < 7 { next }
		(stale == "") == ($1 in ok) { c = $2; for (i = 7; i <= NF; i++) c = c " " $i
			print c, $5, $6 }' <(counting_commits "$1"; echo "#") "$1"
}

table_results() {
	local stale
	stale=$(results_lines "$1" stale | awk '{ n += $(NF - 1) } END { print n + 0 }')
	echo "$1: runs at commits since which $ENGINE has not changed" \
	     "(HEAD $(git rev-parse --short HEAD)); $stale cases of older runs not counted"
	table <(results_lines "$1") "$2"
}

# Add one run's "tool class cases mismatches" lines (stdin) to RESULTS:
# extend the line of the same commit, tool and class that ends at seed - 1
record() {
	local commit=$1 seed=$2 new
	new=$(cat)
	[ -n "$RESULTS" ] && [ -n "$new" ] || return 0
	# two diff-long.sh at once (one a CPU) may share RESULTS: lock its folder
	exec 9<"$(dirname "$RESULTS")"
	flock -x 9
	[ -f "$RESULTS" ] || printf '%s\n' \
		"# bench/diff-long.sh's long differential runs, kept across sessions:" \
		"# commit tool first-seed last-seed cases mismatches class" >"$RESULTS"
	awk -v commit="$commit" -v seed="$seed" '
		FNR == NR { k = $1; for (i = 2; i <= NF - 2; i++) k = k " " $i
			    cases[k] = $(NF - 1); bad[k] = $NF; order[++n] = k; next }
		$1 == "#" || NF < 7 { print; next }
		{ k = $2; for (i = 7; i <= NF; i++) k = k " " $i }
		$1 == commit && (k in cases) && !(k in done) && $4 == seed - 1 {
			$4 = seed; $5 += cases[k]; $6 += bad[k]; done[k] = 1 }
		{ print }
		END { for (i = 1; i <= n; i++) {
			k = order[i]
			if (k in done) continue
			t = k; sub(/ .*/, "", t); c = substr(k, length(t) + 2)
			print commit, t, seed, seed, cases[k], bad[k], c } }' \
		<(printf '%s\n' "$new") "$RESULTS" >"$RESULTS.tmp.$$" && mv "$RESULTS.tmp.$$" "$RESULTS"
	exec 9<&-
}

table() {
	awk -v target="$2" '
	$1 == "#" || NF < 4 { next }
	{ c = $2; for (i = 3; i <= NF - 2; i++) c = c " " $i
	  k = $1 "\t" c; add(k, $(NF - 1), $NF)
	  # svediff: a class at one length; its target is the class over all
	  if ($1 == "svediff" && c ~ /^vl [0-9]+ /) {
		len[k] = 1; sub(/^vl [0-9]+ /, "", c); add($1 "\t" c " (all lengths)", $(NF - 1), $NF, 1) } }
	function add(k, n, b, late) {
	  cases[k] += n; bad[k] += b
	  if (!(k in seen)) { seen[k] = 1; if (late) lorder[++nl] = k; else order[++nk] = k } }
	END { for (i = 1; i <= nl; i++) order[++nk] = lorder[i]
	      printf "%-10s %-24s %12s %10s\n", "tool", "class", "cases", "mismatches"
	      for (i = 1; i <= nk; i++) {
		split(order[i], f, "\t")
		mark = !(order[i] in len) && cases[order[i]] < target ? "  (short of target)" : ""
		if (f[1] == "btidiff")
			mark = "  (the whole matrix)"
		printf "%-10s %-24s %12d %10d%s\n", f[1], f[2], cases[order[i]],
		       bad[order[i]], mark
	      } }' "$1"
}

if [ "${1:-}" = -t ]; then
	f=${2:-$RESULTS}
	if head -1 "$f" | grep -q "^# bench/diff-long.sh's long"; then
		table_results "$f" "${3:-1000000}"
	else
		table "$f" "${3:-1000000}"
	fi
	exit 0
fi

TARGET=${1:-1000000}
CASES=${2:-}
shift $(($# < 2 ? $# : 2))
TOOLS=${*:-diff fpdiff svediff mtediff pauthdiff btidiff}
until=${UNTIL:-0}
commit=$(git rev-parse --short=12 HEAD)
git diff --quiet HEAD -- kernel tests bench ':!bench/diff-long-results.txt' || commit=$commit+
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

# A class's cases per class name (svediff's "vl L CLASS" lines count
# towards CLASS: a class's cases spread over the vector lengths), from
# "tool class cases mismatches" lines: "class total" lines for tool $1
class_totals() {
	awk -v t="$1" '$1 == t { k = $2; for (i = 3; i <= NF - 2; i++) k = k " " $i
			if (t == "svediff") sub(/^vl [0-9]+ /, "", k); c[k] += $(NF - 1) }
		END { for (k in c) print k, c[k] }'
}

# The log's and the counting runs' lines, as RESULTS was when the tool started
tool_lines() {
	cat "$log"
	printf '%s\n' "$counted"
}

# "class cases" for each class of tool $1, listed by the tool or seen in
# its runs (class names are one word)
class_cases() {
	{ tool_lines | class_totals "$1"; for k in $(tool_classes "$1"); do echo "$k 0"; done; } |
		awk '{ if (!($1 in c) || $2 > c[$1]) c[$1] = $2 } END { for (k in c) print k, c[k] }'
}

# The fewest cases of a tool's classes (0 if none)
fewest() {
	class_cases "$1" | awk '{ if (m == "" || $2 < m) m = $2 } END { print m == "" ? 0 : m }'
}

# The classes a tool's usage lists (svediff lists none: its classes come
# from its runs)
tool_classes() {
	"$BUILD/tests/$1/$1" -\? 2>&1 | sed -n 's/^classes: //p'
}

# The classes of tool $1 short of TARGET, and all of them, one a line
short_classes() {
	class_cases "$1" | awk -v target="$TARGET" '$2 < target { print $1 }' | sort
}
all_classes() {
	class_cases "$1" | awk '{ print $1 }' | sort
}

# The first seed of a tool: FIRST_SEED, else one past its last in RESULTS
first_seed() {
	if [ -n "${FIRST_SEED:-}" ]; then
		echo "$FIRST_SEED"
	elif [ -n "$RESULTS" ] && [ -f "$RESULTS" ]; then
		awk -v t="$1" '$1 != "#" && $2 == t && $4 >= m { m = $4 + 1 }
			END { print m ? m : 1 }' "$RESULTS"
	else
		echo 1
	fi
}

for tool in $TOOLS; do
	case $tool in
	diff|fpdiff|svediff|mtediff|btidiff|pauthdiff) bin=$BUILD/tests/$tool/$tool ;;
	*) echo "unknown tool $tool (diff fpdiff svediff mtediff pauthdiff btidiff)" >&2; exit 2 ;;
	esac
	case $tool in
	# a run costs a qemu-aarch64 start and a VM (~30 ms) a class (and
	# length) and DIFF_CHUNK cases: runs of a few thousand cases a class
	diff) n=${CASES:-4096} ;;
	fpdiff) n=${CASES:-2048} ;;
	svediff) n=${CASES:-2048} ;;
	mtediff) n=${CASES:-4096} ;;
	pauthdiff) n=${CASES:-20000} ;;
	btidiff) n=0 ;;
	esac
	seed=$(first_seed "$tool")
	counted=
	[ -n "$RESULTS" ] && [ -f "$RESULTS" ] && counted=$(results_lines "$RESULTS")
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
		kopt=
		[ "$VARIANTS" -gt 1 ] && kopt="-k $VARIANTS"
		case $tool in
		btidiff) out=$("$bin"); rc=$? ;;
		pauthdiff) out=$("$bin" -s "$seed" -n "$n"); rc=$? ;;
		*)
			# once some classes have TARGET, only the others run, a
			# class at a time (fpdiff's crypto classes make 6 times
			# the cases of the rest: they would run 6 times too long)
			short=$(short_classes "$tool")
			if [ "$short" = "$(all_classes "$tool")" ]; then
				out=$("$bin" -s "$seed" -n "$n" -m 2 $kopt); rc=$?
			else
				out= rc=0
				for cl in $short; do
					o=$("$bin" -s "$seed" -n "$n" -c "$cl" -m 2 $kopt) || rc=$?
					out=$out$'\n'$o
				done
			fi ;;
		esac
		{
			echo "# run $tool seed $seed n $n k $VARIANTS rc $rc $(($(date +%s) - start)) s"
			echo "$out" | grep -E '^(not ok|Bail out)' | sed 's/^/# /'
			echo "$out" | grep -E '^#'
			echo "$out" | parse "$tool"
		} >>"$log"
		echo "$out" | parse "$tool" | record "$commit" "$seed"
		echo "$out" | grep -E '^(not ok|Bail out|#)'
		echo "$tool seed $seed: rc=$rc, $(($(date +%s) - start)) s, fewest cases a class $(fewest "$tool")"
		[ "$rc" -eq 0 ] || fail=1
		seed=$((seed + 1))
	done
done
table "$log" "$TARGET"
if [ -n "$RESULTS" ] && [ -f "$RESULTS" ]; then
	echo
	table_results "$RESULTS" "$TARGET"
fi
grep -q '^# run .* rc [1-9]' "$log" && fail=1
exit $fail
