#!/bin/sh
# Read throughput of a host file in a Linux guest: virtio-9p (--9p) against
# virtio-blk (--disk: the same file as a raw disk), in the same guest.
# The 9p guest of guests/linux.mk (Debian's generic arm64 kernel, whose
# initramfs has the 9p modules and virtio_blk; ext4 is a module it lacks)
# reads a file of SIZE_MIB (default 64) random bytes with dd bs=1M, RUNS
# times (default 5) each, the guest's page cache dropped before each read:
#   blk      /dev/vda, read-only: the block layer and its readahead
#   9p-8k    the share mounted with Linux's default msize (8 KiB in 6.1)
#   9p-256k  the share mounted with msize=262144 (vmm's largest)
# 9p is mounted without a cache (cache=none, the default): every read is
# a Tread.  The host's page cache holds the file (read once before the
# guest starts).  Times are the guest's (busybox
# time, 10 ms steps); the figure is the median run, in MB/s.
# Usage: bench/9p.sh [RUNS [SIZE_MIB]].  The line "9p: ..." sums the
# run up for a note, with the host's 1-minute load average sampled every
# 5 s during it (min-max, mean).
set -eu
runs=${1:-5}
size=${2:-64}
vmm=${VMM:-build/vmm}
dir=${LINUX_9P_DIR:-build/linux/9p}
image=$dir/Image
initrd=$dir/initramfs.cpio
[ -x "$vmm" ] && [ -f "$image" ] && [ -f "$initrd" ] ||
	{ echo "build $vmm and $dir first (make all build/linux/9p/.done)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmm-bench-9p.XXXXXX")
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 5; done) >"$tmp/load" &
loadpid=$!
trap 'kill "$loadpid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/share"
head -c $((size * 1048576)) /dev/urandom >"$tmp/share/f"

# the guest's part: copied to /tmp and run from there (one 9p mount at a
# time per tag: virtio-9p channels are exclusive)
cat >"$tmp/share/bench.sh" <<EOF
mkdir -p /p
n=0
while [ ! -b /dev/vda ] && [ \$n -lt 20 ]; do sleep 0.1; n=\$((n + 1)); done
one() {
	echo 3 >/proc/sys/vm/drop_caches
	echo "bench: \$1"
	time dd if=\$2 of=/dev/null bs=1M status=none
}
mount -t 9p -o trans=virtio,version=9p2000.L share /p || exit 1
i=0
while [ \$i -lt $runs ]; do one blk /dev/vda; one 9p-8k /p/f; i=\$((i + 1)); done
umount /p
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share /p || exit 1
i=0
while [ \$i -lt $runs ]; do one blk /dev/vda; one 9p-256k /p/f; i=\$((i + 1)); done
grep ' /p ' /proc/mounts
umount /p
EOF
params='rdinit=/init panic=-1 vmm.poweroff=1 vmm.cmd="mkdir -p /p; mount -t 9p -o trans=virtio,version=9p2000.L share /p && cp /p/bench.sh /tmp/b.sh && umount /p && sh /tmp/b.sh"'
"$vmm" run --kernel "$image" --initrd "$initrd" -m 512 -c 1 --no-sve --virtio-transport mmio \
	--9p "$tmp/share,share" --disk "$tmp/share/f,ro" --timeout 1800 \
	--params "$params" </dev/null >"$tmp/vmm.log" 2>&1 || true

# "bench: KIND" then busybox time's "real\t0m 1.23s": per kind, the runs
# and the median in MB/s
kill "$loadpid" 2>/dev/null || true
load=$(awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	END { printf "%.1f-%.1f, mean %.1f", lo, hi, NR ? s / NR : 0 }' "$tmp/load")
tr -d '\r' <"$tmp/vmm.log" | awk -v mib="$size" -v load="$load" -v runs="$runs" \
	-v day="$(date -u +%Y-%m-%d)" '
	/^bench: / { kind = $2 }
	/^real/ && kind != "" {
		t = $2; sub(/m.*/, "", t); s = $3; sub(/s$/, "", s)
		sec = t * 60 + s
		if (sec > 0) { n[kind]++; r[kind, n[kind]] = mib * 1.048576 / sec }
		kind = ""
	}
	END {
		split("blk 9p-8k 9p-256k", order, " ")
		for (k = 1; k <= 3; k++) {
			K = order[k]
			if (n[K] == 0) { printf "%s: no runs\n", K; bad = 1; continue }
			for (i = 1; i <= n[K]; i++) for (j = i + 1; j <= n[K]; j++)
				if (r[K, j] < r[K, i]) { x = r[K, i]; r[K, i] = r[K, j]; r[K, j] = x }
			line = ""
			for (i = 1; i <= n[K]; i++) line = line sprintf(" %.1f", r[K, i])
			m = (n[K] % 2) ? r[K, (n[K] + 1) / 2] : (r[K, n[K] / 2] + r[K, n[K] / 2 + 1]) / 2
			med[K] = m
			sum[K] = sprintf("%.1f (%.1f-%.1f)", m, r[K, 1], r[K, n[K]])
			printf "%-8s %2d runs, MB/s sorted:%s; median %.1f\n", K, n[K], line, m
		}
		if (bad) exit 1
		printf "read %d MiB: 9p (msize 8 KiB) %.2fx, 9p (msize 256 KiB) %.2fx the MB/s of virtio-blk\n",
		       mib, med["9p-8k"] / med["blk"], med["9p-256k"] / med["blk"]
		printf "9p: %s %d x %d MiB read, MB/s median (min-max): virtio-blk %s, " \
		       "9p msize 8 KiB %s = %.2fx, msize 256 KiB %s = %.2fx; load %s\n",
		       day, runs, mib, sum["blk"], sum["9p-8k"], med["9p-8k"] / med["blk"],
		       sum["9p-256k"], med["9p-256k"] / med["blk"], load
	}' || { cp "$tmp/vmm.log" /tmp/bench-9p-vmm.log; echo "see /tmp/bench-9p-vmm.log" >&2; exit 1; }
grep -h '^share /p ' "$tmp/vmm.log" | tr -d '\r' | sed 's/^/guest mount: /'
