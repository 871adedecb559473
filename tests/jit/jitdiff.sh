#!/bin/sh
# jitdiff.sh MODE PROG [ARGS...]: run the differential test PROG (tests/diff,
# tests/fpdiff, tests/svediff, tests/mtediff) with the JIT on and every block
# translated at its first check (VKVM_JIT_THRESHOLD=0), MODE "lockstep"
# (each inlined instruction also run by its handler and compared,
# VKVM_JIT_LOCKSTEP=1) or "plain".  PROG's TAP goes through; a run in which
# the JIT translated no block at all fails, so that a JIT silently off
# cannot pass.
mode=$1
shift
export VKVM_JIT=1 VKVM_JIT_THRESHOLD=0 VKVM_JIT_STATS=1
if [ "$mode" = lockstep ]; then
	export VKVM_JIT_LOCKSTEP=1
else
	unset VKVM_JIT_LOCKSTEP
fi
err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT
"$@" 2>"$err"
rc=$?
grep -v '^vkvm: JIT vcpu' "$err" >&2
# each counter is the number before its name (jit_destroy()'s line)
awk -v mode="$mode" '/^vkvm: JIT vcpu/ { n++
		for (f = 5; f < NF; f++) {
			w = $(f + 1); sub(/,$/, "", w); v[w] += $f
		} }
	END { printf "# JIT (%s): %d vCPUs, %d blocks, %d inline, %d calls, %d branches, " \
		"%d chained, %d registers cached, %d lockstep mismatches\n", mode, n,
		v["blocks"], v["inline"], v["calls"], v["branches"], v["chained"],
		v["registers"], v["mismatches"] }' "$err"
blocks=$(awk '/^vkvm: JIT vcpu/ { b += $5 } END { print b + 0 }' "$err")
if [ "$blocks" -eq 0 ]; then
	echo "not ok 1000 - the JIT translated no block"
	exit 1
fi
exit $rc
