#!/bin/sh
# Issue 18's three ratios, the interpreter and the JIT side by side,
# against Debian's QEMU (7.2, the host's) and the sid chroot's (11.1,
# DESIGN §10): bench/cpu_bench's integer workload and `make bench-simd`'s
# FP/SIMD one (vkvm: `cpu_bench -V`, qemu: `qemu-aarch64 USER ITERS`, each
# timing the work alone), and Debian's Linux boot to power-off as
# bench/boot.sh (`vmm run` against `qemu-system-aarch64 -M virt -cpu
# cortex-a72`, whole process); then callgrind's host instructions per
# guest instruction for cpu_bench.
#
# The four contestants of a part run one after the other in each round,
# in reverse order every other round (A B C D, D C B A, ...); a ratio is
# vkvm's time over qemu's in the same round: medians and ranges over the
# rounds.  The 1-minute load average is sampled before every run.
#
# Usage: bench/jit.sh [ROUNDS] (default 5; the boot part: BOOT_ROUNDS, 3)
# Environment: VMM, BENCH_DIR (cpu_bench and its programs), LINUX_DIR,
# SID_CHROOT (the sid chroot, tests/rig/sid.sh; none: QEMU 7.2 only),
# PARTS (default "cpu simd boot callgrind"), CPU_ITERS (600), SIMD_ITERS
# (200), JIT_THRESHOLD (VKVM_JIT_THRESHOLD for the JIT runs; unset: the
# library's default).  The JIT is switched through the environment
# (VKVM_JIT=0|1) for cpu_bench, with `vmm run --jit|--no-jit` for the boot.
set -eu
ROUNDS=${1:-5}
BOOT_ROUNDS=${BOOT_ROUNDS:-3}
VMM=${VMM:-build/vmm}
BENCH_DIR=${BENCH_DIR:-build/bench}
LINUX_DIR=${LINUX_DIR:-build/linux}
SID_CHROOT=${SID_CHROOT-build/sid/chroot}
PARTS=${PARTS:-cpu simd boot callgrind}
CPU_ITERS=${CPU_ITERS:-600}
SIMD_ITERS=${SIMD_ITERS:-200}
QEMU_USER=${QEMU_USER:-qemu-aarch64}
QEMU_SYSTEM=${QEMU_SYSTEM:-qemu-system-aarch64}

die() { echo "bench/jit.sh: $*" >&2; exit 1; }
case $ROUNDS in ''|*[!0-9]*|0) die "ROUNDS '$ROUNDS': expects a number from 1" ;; esac
case $BOOT_ROUNDS in ''|*[!0-9]*|0) die "BOOT_ROUNDS '$BOOT_ROUNDS': expects a number from 1" ;; esac

tmp=$(mktemp -d)
stage=
cleanup() { rm -rf "$tmp"; [ -z "$stage" ] || rm -rf "$SID_CHROOT$stage"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Copies: a build beside this run must not change the programs under it.
mkdir "$tmp/bin"
for f in cpu_bench workload_guest.bin workload_user simd_guest.bin simd_user; do
	[ -f "$BENCH_DIR/$f" ] || die "$BENCH_DIR/$f missing (make bench-build)"
	cp "$BENCH_DIR/$f" "$tmp/bin/"
done
[ -x "$VMM" ] || die "$VMM missing (make all)"
cp "$VMM" "$tmp/bin/vmm"
bin=$tmp/bin

# The sid QEMU runs in its chroot: the files it opens go inside.
who_all="interp q7 jit q11"
if [ -n "$SID_CHROOT" ]; then
	[ -x "$SID_CHROOT/usr/bin/qemu-aarch64" ] && [ -x "$SID_CHROOT/usr/bin/qemu-system-aarch64" ] ||
		die "no QEMU in $SID_CHROOT (tests/rig/sid.sh makes it; SID_CHROOT= to skip 11.1)"
	[ "$(id -u)" -eq 0 ] || die "chroot needs root (SID_CHROOT= to skip 11.1)"
	stage=/bench-jit.$$
	mkdir "$SID_CHROOT$stage"
	cp "$bin/workload_user" "$bin/simd_user" "$SID_CHROOT$stage/"
	q11v=$(chroot "$SID_CHROOT" qemu-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
else
	who_all="interp q7 jit"
fi
q7v=$("$QEMU_USER" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')

load1() { cut -d' ' -f1 /proc/loadavg; }
jit_env() {
	if [ "$1" = jit ]; then
		echo "VKVM_JIT=1 VKVM_JIT_STATS=1${JIT_THRESHOLD:+ VKVM_JIT_THRESHOLD=$JIT_THRESHOLD}"
	else
		echo "VKVM_JIT=0"
	fi
}
# round order: forward on odd rounds, reversed on even ones
order() {
	if [ $(($1 % 2)) -eq 1 ]; then echo "$2"; else echo "$2" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }'; fi
}

# A JIT run that translated nothing (no code buffer, say) measured the
# interpreter: FILE holds VKVM_JIT_STATS' lines
jit_ran() {	# FILE PART
	awk '/JIT vcpu [0-9]+: [0-9]+ blocks/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^blocks/) n += $i }
		END { exit n == 0 }' "$1" ||
		die "$2: the JIT translated nothing: $(grep -m1 'JIT off' "$1" || echo 'no block translated (VKVM_JIT_STATS)')"
}

# samples: PART ROUND WHO SECONDS LOAD CHECKSUM
samples=$tmp/samples
: >"$samples"
note() { echo "$1 $2 $3 $4 $5 $6" >>"$samples"; }

# One user-mode run: cpu_bench -V (vkvm) or the static program (qemu).
user_run() {	# PART ROUND WHO ITERS GUEST USER
	part=$1 r=$2 who=$3 n=$4 g=$5 u=$6 l=$(load1)
	case $who in
	interp|jit)
		env $(jit_env "$who") "$bin/cpu_bench" -V -n "$n" -G "$bin/$g" -U "$bin/$u" \
			>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; die "$part: vkvm ($who) failed"; }
		s=$(sed -n 's/^vkvm: *\([0-9.]*\) s.*/\1/p' "$tmp/out")
		c=$(sed -n 's/^vkvm:.*checksum \([0-9a-f]*\).*/\1/p' "$tmp/out")
		sed -n 's/^instructions: \([0-9]*\) + \([0-9]*\) per iteration.*/\1 \2/p' "$tmp/out" >"$tmp/count.$part"
		if [ "$who" = jit ]; then
			jit_ran "$tmp/err" "$part"
			[ "$r" -ne 1 ] || grep 'JIT vcpu' "$tmp/err" | tail -1 | sed "s/^/$part: /" >>"$tmp/jitstats"
		fi ;;
	q7)
		o=$("$QEMU_USER" "$bin/$u" "$n") || die "$part: $QEMU_USER failed"
		set -- $o
		c=$1 s=$(awk -v ns="$2" 'BEGIN { printf "%.6f", ns / 1e9 }') ;;
	q11)
		o=$(chroot "$SID_CHROOT" qemu-aarch64 "$stage/$u" "$n") || die "$part: sid qemu-aarch64 failed"
		set -- $o
		c=$1 s=$(awk -v ns="$2" 'BEGIN { printf "%.6f", ns / 1e9 }') ;;
	esac
	[ -n "$s" ] && [ -n "$c" ] || die "$part: $who printed no time or checksum"
	note "$part" "$r" "$who" "$s" "$l" "$c"
}

now() { date +%s%N; }
params="rdinit=/init panic=-1 vmm.poweroff=1"
boot_run() {	# ROUND WHO
	r=$1 who=$2 l=$(load1)
	t0=$(now)
	case $who in
	interp|jit)
		if [ "$who" = jit ]; then o=--jit; else o=--no-jit; fi
		env $(jit_env "$who") "$bin/vmm" run --accel vkvm $o --kernel "$LINUX_DIR/Image" \
			--initrd "$LINUX_DIR/initramfs.cpio" -m 512 -c 1 --params "$params" \
			</dev/null >"$tmp/boot.log" 2>&1 || true ;;
	q7)
		"$QEMU_SYSTEM" -M virt -cpu cortex-a72 -m 512 -smp 1 -nographic -nic none \
			-no-reboot -kernel "$LINUX_DIR/Image" -initrd "$LINUX_DIR/initramfs.cpio" \
			-append "console=ttyAMA0 $params" </dev/null >"$tmp/boot.log" 2>&1 || true ;;
	q11)
		chroot "$SID_CHROOT" qemu-system-aarch64 -M virt -cpu cortex-a72 -m 512 -smp 1 \
			-nographic -nic none -no-reboot -kernel "$stage/Image" \
			-initrd "$stage/initramfs.cpio" -append "console=ttyAMA0 $params" \
			</dev/null >"$tmp/boot.log" 2>&1 || true ;;
	esac
	t1=$(now)
	if ! grep -q "reboot: Power down" "$tmp/boot.log"; then
		cp "$tmp/boot.log" "/tmp/bench-jit-boot-$who.log"
		die "boot: $who did not power off (console: /tmp/bench-jit-boot-$who.log)"
	fi
	if [ "$who" = jit ]; then
		jit_ran "$tmp/boot.log" boot
		[ "$r" -ne 1 ] || grep 'JIT vcpu' "$tmp/boot.log" | tail -1 | sed 's/^/boot: /' >>"$tmp/jitstats"
	fi
	note boot "$r" "$who" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" "$l" -
}

: >"$tmp/jitstats"
echo "bench/jit.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), vmm $(git rev-parse --short HEAD 2>/dev/null || echo '?'), QEMU $q7v${q11v:+ and $q11v}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for part in $PARTS; do
	case $part in
	cpu|simd)
		if [ "$part" = cpu ]; then n=$CPU_ITERS g=workload_guest.bin u=workload_user
		else n=$SIMD_ITERS g=simd_guest.bin u=simd_user; fi
		r=1
		while [ "$r" -le "$ROUNDS" ]; do
			for who in $(order "$r" "$who_all"); do user_run "$part" "$r" "$who" "$n" "$g" "$u"; done
			r=$((r + 1))
		done
		# every run of a part computed the same checksum
		awk -v p="$part" '$1 == p { s[$6] = 1 } END { n = 0; for (k in s) n++; exit n != 1 }' "$samples" ||
			die "$part: checksums differ: $(awk -v p="$part" '$1 == p { print $3, $6 }' "$samples" | sort -u | tr '\n' ';')"
		echo "$part $n $(cat "$tmp/count.$part")" >>"$tmp/iters" ;;
	boot)
		[ -f "$LINUX_DIR/Image" ] && [ -f "$LINUX_DIR/initramfs.cpio" ] ||
			die "$LINUX_DIR/Image or initramfs.cpio missing (make linux)"
		if [ -n "$stage" ]; then
			cp "$LINUX_DIR/Image" "$LINUX_DIR/initramfs.cpio" "$SID_CHROOT$stage/"
		fi
		r=1
		while [ "$r" -le "$BOOT_ROUNDS" ]; do
			for who in $(order "$r" "$who_all"); do boot_run "$r" "$who"; done
			r=$((r + 1))
		done ;;
	callgrind)
		command -v valgrind >/dev/null || die "callgrind: valgrind not found"
		for who in interp jit; do
			for n in 10 20; do
				env $(jit_env "$who") valgrind --tool=callgrind \
					--callgrind-out-file="$tmp/cg.$who.$n" "$bin/cpu_bench" -V -n "$n" \
					>"$tmp/cg.out" 2>&1 || { cat "$tmp/cg.out" >&2; die "callgrind: $who -n $n failed"; }
				[ "$who" != jit ] || jit_ran "$tmp/cg.out" "callgrind -n $n"
			done
			b=$(sed -n 's/^instructions: [0-9]* + \([0-9]*\) per iteration.*/\1/p' "$tmp/cg.out")
			i10=$(sed -n 's/^summary: *//p' "$tmp/cg.$who.10")
			i20=$(sed -n 's/^summary: *//p' "$tmp/cg.$who.20")
			echo "$who $i10 $i20 $b" >>"$tmp/callgrind"
		done ;;
	*) die "PARTS: unknown part '$part' (cpu simd boot callgrind)" ;;
	esac
done

# The table: per part, each side's median time (MIPS for the user-mode
# parts) and range, then vkvm/qemu per round: median (min-max).
awk -v q7v="$q7v" -v q11v="${q11v:-}" -v itersf="$tmp/iters" '
function sort(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
function median(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
BEGIN {
	while ((getline l < itersf) > 0) { split(l, f, " "); insns[f[1]] = f[3] + f[4] * f[2] }
	name["interp"] = "vkvm interpreter"; name["jit"] = "vkvm JIT"
	name["q7"] = "qemu " q7v; name["q11"] = "qemu " q11v
}
{
	t[$1, $3, $2] = $4 + 0
	if ($2 + 0 > rounds[$1] + 0) rounds[$1] = $2 + 0
	if (!($1 in seen)) { seen[$1] = 1; parts[++np] = $1 }
	if (!(($1, $3) in have)) { have[$1, $3] = 1; whos[$1, ++nw[$1]] = $3 }
	if (ln == 0 || $5 + 0 < lmin) lmin = $5 + 0
	if ($5 + 0 > lmax) lmax = $5 + 0
	lsum += $5; ln++
}
END {
	for (k = 1; k <= np; k++) {
		p = parts[k]; n = rounds[p]
		printf "\n%s (%d rounds)%s\n", p, n, p in insns ? sprintf(", %d guest instructions a run", insns[p]) : ""
		for (w = 1; w <= nw[p]; w++) {
			who = whos[p, w]
			for (r = 1; r <= n; r++) a[r] = t[p, who, r]
			m = median(a, n)
			if (p in insns)
				printf "  %-18s %8.3f s (%.3f-%.3f)  %7.1f MIPS (%.1f-%.1f)\n", name[who], m, a[1], a[n],
					insns[p] / m / 1e6, insns[p] / a[n] / 1e6, insns[p] / a[1] / 1e6
			else
				printf "  %-18s %8.3f s (%.3f-%.3f)\n", name[who], m, a[1], a[n]
		}
		for (v = 1; v <= 2; v++) {
			vk = v == 1 ? "interp" : "jit"
			for (q = 1; q <= 2; q++) {
				qq = q == 1 ? "q7" : "q11"
				if (!((p, qq) in have) || !((p, vk) in have)) continue
				for (r = 1; r <= n; r++) a[r] = t[p, vk, r] / t[p, qq, r]
				m = median(a, n)
				printf "  %-18s / %-12s %5.2fx (%.2f-%.2fx)\n", name[vk], name[qq], m, a[1], a[n]
			}
		}
	}
	if (ln) printf "\nload average (1 min) before the runs: %.1f-%.1f, mean %.1f\n", lmin, lmax, lsum / ln
}' "$samples"
if [ -s "$tmp/jitstats" ]; then
	echo; echo "JIT counters (first round, last vCPU):"; sed 's/^/  /' "$tmp/jitstats"
fi
if [ -s "$tmp/callgrind" ]; then
	echo
	echo "callgrind, cpu_bench -V -n 20 minus -n 10 (10 iterations):"
	awk '{ d = $3 - $2; printf "  %-12s %d host instructions, %.2f a guest instruction\n",
		$1 == "jit" ? "JIT" : "interpreter", d, d / (10 * $4); h[$1] = d / (10 * $4) }
	END { if (h["interp"] && h["jit"]) printf "  JIT / interpreter %.3f\n", h["jit"] / h["interp"] }' "$tmp/callgrind"
fi
