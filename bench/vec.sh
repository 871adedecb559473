#!/bin/sh
# bench-vec: bench/vec_workload.c under vkvm (vmm run --sve-vl L) and under
# qemu-aarch64 -cpu max at the same length, at each of LENGTHS (default
# 128 512 2048): each kernel's MB/s on both sides (the generic timer's
# ticks the program reads around it) and vkvm's time over qemu's.  Exits
# non-zero if a kernel's checksum differs between the two.
# Environment: VMM, GUEST, USER_PROG (make bench-vec sets them), QEMU.
set -u
VMM=${VMM:-build/vmm}
GUEST=${GUEST:-build/bench/vec_guest}
USER_PROG=${USER_PROG:-build/bench/vec_user}
QEMU=${QEMU:-qemu-aarch64}
LENGTHS=${LENGTHS:-128 512 2048}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

printf '%-5s %-12s %10s %10s %8s\n' bits kernel "vkvm MB/s" "qemu MB/s" "ratio"
for L in $LENGTHS; do
	"$QEMU" -cpu "max,sve-max-vq=$((L / 128)),sve-default-vector-length=$((L / 8))" \
		"$USER_PROG" >"$tmp/q" 2>&1 || { echo "qemu-aarch64 failed:"; cat "$tmp/q"; exit 1; }
	"$VMM" run --timeout 600 --sve-vl "$L" --kernel "$GUEST" 2>&1 | tr -d '\r' >"$tmp/v"
	grep -q "^vl=$L\$" "$tmp/v" || { echo "vkvm guest failed at $L bits:"; cat "$tmp/v"; exit 1; }
	awk -v L="$L" '
		FNR == 1 { side++ }
		/ bytes=/ {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			mbs = f["bytes"] / (f["ticks"] / f["freq"]) / 1e6
			if (side == 1) { q[$1] = mbs; qs[$1] = f["sum"]; order[++n] = $1 }
			else { v[$1] = mbs; vs[$1] = f["sum"] }
		}
		END {
			for (i = 1; i <= n; i++) {
				k = order[i]
				printf "%-5s %-12s %10.1f %10.1f %7.2fx%s\n", L, k, v[k], q[k], q[k] / v[k],
				       vs[k] == qs[k] ? "" : "  CHECKSUM DIFFERS"
				if (vs[k] != qs[k]) bad = 1
			}
			exit bad
		}' "$tmp/q" "$tmp/v" || bad=1
done
echo "(ratio: vkvm's time over qemu-aarch64's for the same work; < 1 means vkvm is faster)"
exit $bad
