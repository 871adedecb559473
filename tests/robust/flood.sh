#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Output floods by hostile guests (issue 11, item 4), TAP.
#
# The guests (tests/robust/flood-*.c, built by flood.mk) loop on unhandled
# accesses under every --unhandled-mmio policy, and write megabytes through
# the UART and gigabytes through virtio-console, with stdout /dev/null, a
# file, a pipe nobody reads for a while then read slowly, and a pipe nobody
# ever reads.  Checked: no crash or hang (every run has a watchdog), stderr
# stays small, every rate-limited diagnostic is either printed or counted in
# a 'N more like "..." suppressed' line (they add up to the exits the guest
# made), guest output arrives complete and in order, vmm's memory does not
# grow with what is written or waiting, and a run whose output nobody reads
# still ends on --timeout, SIGTERM and Ctrl-A x.
#
# VMM: the vmm binary; GUESTS: the folder of the flood guests.
set -u

VMM=${VMM:-build/vmm}
GUESTS=${GUESTS:-build/guests/robust}
HANG=${FLOOD_HANG:-120}		# seconds: a run that takes longer has hung
ERR_MAX=16384			# bytes of stderr a flood may cost at most

T=$(mktemp -d /tmp/vmm-flood.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: one test point
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
note() { sed 's/^/# /' "$@" | head -n 30; }

# start OUT ERR ARGS...: vmm in the background, stdin as the caller's, with
# a watchdog; `finish` waits for it and sets rc (137: the watchdog killed it).
start() {
	local out=$1 err=$2
	shift 2
	# <&0: a background job's stdin would be /dev/null otherwise; the
	# redirections are vmm's only: the shell's own "Killed" stays on ours
	"$VMM" run "$@" <&0 >"$out" 2>"$err" &
	vpid=$!
	# not on vmm's stdio: its sleep would hold a reader's pipe open
	( sleep "$HANG"; kill -9 "$vpid" ) </dev/null >/dev/null 2>&1 &
	dog=$!
}
finish() {
	wait "$vpid"
	rc=$?
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
}
# run OUT ERR ARGS...: start and finish
run() {
	start "$@"
	finish
}
# hold FIFO: keep a reader on it that never reads (until release)
hold() {
	# longer than any watchdog: a killed vmm is reported on this stderr
	sleep $((HANG * 3)) <>"$1" >/dev/null 2>&1 &
	holder=$!
}
release() {
	kill "$holder"
	wait "$holder" 2>/dev/null
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }

# A reader that waits $1 s, or for file $1 to exist (at most $HANG s), then
# reads at most 64 KiB every 10 ms into $2.
slow_reader() {
	local i=0

	case $1 in
	[0-9]*) sleep "$1" ;;
	*)	while [ ! -e "$1" ] && [ "$i" -lt $((HANG * 20)) ]; do
			sleep 0.05
			i=$((i + 1))
		done ;;
	esac
	: >"$2"
	while dd bs=65536 count=1 status=none >"$T/chunk" && [ -s "$T/chunk" ]; do
		cat "$T/chunk" >>"$2"
		sleep 0.01
	done
}

# printed LABEL_REGEX FILE: full diagnostics whose first line matches
printed() { grep -c -E "^vmm: $1\$" "$2"; }
# counted LABEL_REGEX FILE: the sum of the 'N more like "..." suppressed' lines
counted() {
	awk -v re="^vmm: [0-9]+ more like \"$1\" suppressed" \
		'$0 ~ re { s += $2 } END { print s + 0 }' "$2"
}
# adds_up LABEL_REGEX FILE EXITS: every one printed or counted, and some counted
adds_up() {
	local p c
	p=$(printed "$1" "$2")
	c=$(counted "$1" "$2")
	[ "$p" -ge 1 ] && [ "$c" -ge 1 ] && [ $((p + c)) -eq "$3" ] && return 0
	echo "# $1: $p printed + $c counted, want $3 exits"
	return 1
}
small() {
	local s
	s=$(wc -c <"$1")
	[ "$s" -le "$ERR_MAX" ] && return 0
	echo "# $1: $s bytes"
	return 1
}

MMIO='unhandled MMIO on vCPU 0'
NISV='unhandled MMIO without a valid syndrome \(KVM_EXIT_ARM_NISV\) on vCPU 0'
SEA='unhandled synchronous external abort \(KVM_EXIT_ARM_SEA\) on vCPU 0'


# ---- (a) unhandled accesses in a loop -------------------------------------

# one PC, one IPA, 100000 times; the abort handler retries each once
run "$T/out" "$T/err" -k "$GUESTS/flood-same" </dev/null
check "same PC, abort: exit 0" [ "$rc" -eq 0 ]
check "same PC, abort: 200000 aborts taken" grep -q "100000 accesses, 200000 aborts" "$T/out"
check "same PC, abort: stderr stays small" small "$T/err"
check "same PC, abort: 10 diagnostics + the suppressed = 200000 exits" \
	adds_up "$MMIO" "$T/err" 200000
check "same PC, abort: the first diagnostic is the full one" \
	grep -q "policy abort: injecting a synchronous external data abort" "$T/err"
check "same PC, abort: IPA and device in it" \
	grep -q "IPA    0x0a100000  inside virtio-mmio (reserved)" "$T/err"

run "$T/out" "$T/err" -k "$GUESTS/flood-same" --unhandled-mmio ignore </dev/null
check "same PC, ignore: exit 0, 100000 reads" \
	eval '[ "$rc" -eq 0 ] && grep -q "100000 accesses, 0 aborts" "$T/out"'
check "same PC, ignore: stderr small, printed + suppressed = 100000" \
	eval 'small "$T/err" && adds_up "$MMIO" "$T/err" 100000'
check "same PC, ignore: first diagnostic says the policy" \
	grep -q "policy ignore: reads as zero, writes dropped" "$T/err"

run "$T/out" "$T/err" -k "$GUESTS/flood-same" --unhandled-mmio exit </dev/null
check "same PC, exit: exit 4 after one diagnostic and the registers" \
	eval '[ "$rc" -eq 4 ] && [ "$(printed "$MMIO" "$T/err")" -eq 1 ] &&
	      grep -q "vCPU 0 registers:" "$T/err"'

run "$T/out" "$T/err" -k "$GUESTS/flood-same" --unhandled-mmio stop </dev/null
# (the monitor finds no input, or opens and then reads the end of it: the
# console thread may see the end of stdin before or after the stop)
check "same PC, stop without console input: exit 4 after one diagnostic" \
	eval '[ "$rc" -eq 4 ] && [ "$(printed "$MMIO" "$T/err")" -eq 1 ] &&
	      { grep -q "no console input for the monitor" "$T/err" ||
	        grep -q "end of console input" "$T/out"; }'

# each stop waits for a 'cont' on stdin: as many stops as lines, then the end
for i in $(seq 30); do echo cont; done >"$T/conts"
run "$T/out" "$T/err" -k "$GUESTS/flood-same" --unhandled-mmio stop <"$T/conts"
# (the end of input reaches the monitor, or the next stop finds no input)
check "same PC, stop with 30 'cont' lines: exit 4 at the end of input" \
	eval '[ "$rc" -eq 4 ] && { grep -q "end of console input" "$T/out" ||
	      grep -q "no console input for the monitor" "$T/err"; }'
check "same PC, stop: at most one stop per line (never rate-limited)" \
	eval 'p=$(printed "$MMIO" "$T/err"); [ "$p" -ge 1 ] && [ "$p" -le 31 ] &&
	      ! grep -q "more like" "$T/err"'

# 64 passes over 512 LDRs and 64 LDPs, each at its own PC and IPA
run "$T/out" "$T/err" -k "$GUESTS/flood-many" </dev/null
check "many PCs, abort: exit 0, 36864 aborts" \
	eval '[ "$rc" -eq 0 ] && grep -q "36864 accesses, 36864 aborts" "$T/out"'
check "many PCs, abort: stderr small" small "$T/err"
check "many PCs, abort: MMIO printed + suppressed = 32768" adds_up "$MMIO" "$T/err" 32768
check "many PCs, abort: NISV printed + suppressed = 4096" adds_up "$NISV" "$T/err" 4096

run "$T/out" "$T/err" -k "$GUESTS/flood-many" --unhandled-mmio ignore </dev/null
check "many PCs, ignore: exit 0, no abort" \
	eval '[ "$rc" -eq 0 ] && grep -q "36864 accesses, 0 aborts" "$T/out"'
check "many PCs, ignore: small, MMIO and NISV add up" \
	eval 'small "$T/err" && adds_up "$MMIO" "$T/err" 32768 && adds_up "$NISV" "$T/err" 4096'

# the poisoned page: KVM_EXIT_ARM_SEA, whatever the policy
run "$T/out" "$T/err" -k "$GUESTS/flood-sea" --testdev --inject-memory-error 0x80c00000 </dev/null
check "SEA loop: exit 0, 200000 aborts" \
	eval '[ "$rc" -eq 0 ] && grep -q "100000 accesses, 200000 aborts" "$T/out"'
check "SEA loop: small, printed + suppressed = 200000" \
	eval 'small "$T/err" && adds_up "$SEA" "$T/err" 200000'

# stderr a pipe nobody reads: the few lines left fit in it
mkfifo "$T/errpipe"
hold "$T/errpipe"
run "$T/out" "$T/errpipe" -k "$GUESTS/flood-same" </dev/null
release
check "same PC, stderr a pipe nobody reads: the guest still ends (exit 0)" [ "$rc" -eq 0 ]

# a virtio device reset 20000 times into DEVICE_NEEDS_RESET
run "$T/out" "$T/err" -k "$GUESTS/flood-vcon-reset" --console virtio --virtio-transport mmio </dev/null
check "virtio NEEDS_RESET loop: exit 0 after 20000 resets" \
	eval '[ "$rc" -eq 0 ] && grep -q "20000 resets" "$T/out"'
check "virtio NEEDS_RESET loop: small, warnings printed + suppressed = 20000" \
	eval 'small "$T/err" &&
	      adds_up "warning: virtio-console: misaligned queue area: device needs reset" "$T/err" 20000'

# ---- (b) console output ----------------------------------------------------

# the UART's 32768 numbered lines, as they must arrive
seq -f 'uart %010.0f ................' 0 32767 >"$T/uart.want"
uart_complete() {
	head -n 32768 "$1" | cmp -s - "$T/uart.want" &&
		grep -q "^flood-uart: 32768 lines" "$1"
}

run /dev/null "$T/err" -k "$GUESTS/flood-uart" </dev/null
check "UART 1 MiB to /dev/null: exit 0, nothing on stderr" \
	eval '[ "$rc" -eq 0 ] && [ ! -s "$T/err" ]'

run "$T/out" "$T/err" -k "$GUESTS/flood-uart" --loglevel debug </dev/null
check "UART 1 MiB to a file: exit 0, every line once, in order" \
	eval '[ "$rc" -eq 0 ] && uart_complete "$T/out"'
# IER is 0 throughout: every store to THR (1 MiB and the last line) takes
# the coalesced-MMIO ring, none exits; the LSR polls still do
ring_stores() { sed -n 's/^vmm: debug: uart0: \([0-9]*\) stores taken through the coalesced-MMIO ring$/\1/p' "$1"; }
check "UART 1 MiB to a file: every store to THR through the coalesced-MMIO ring" \
	eval '[ "$(ring_stores "$T/err")" -ge $((32768 * 32 + 24)) ] 2>/dev/null ||
	      { echo "# ring stores: $(ring_stores "$T/err")"; false; }'

# a byte a store, but not a write() a byte: what the ring's drains give
# the console goes out a buffer at a time (strace counts vmm's write()s
# to stdout; 1 MiB a byte each would be over a million; LeakSanitizer
# cannot run under ptrace)
if command -v strace >/dev/null 2>&1; then
	printf '#!/bin/sh\nASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0; export ASAN_OPTIONS\nexec strace -f --seccomp-bpf -qq -e trace=write -e signal=none -o "%s" "%s" "$@"\n' \
		"$T/strace" "$VMM" >"$T/vmm-strace"
	chmod +x "$T/vmm-strace"
	vmm_plain=$VMM
	VMM=$T/vmm-strace
	run "$T/out" "$T/err" -k "$GUESTS/flood-uart" </dev/null
	VMM=$vmm_plain
	writes=$(grep -c '^[0-9]* *write(1,' "$T/strace")
	check "UART 1 MiB to a file: every line once, in order, in under 4096 write()s" \
		eval '[ "$rc" -eq 0 ] && uart_complete "$T/out" && [ "$writes" -lt 4096 ] ||
		      { echo "# exit $rc, $writes write()s to stdout"; false; }'
else
	ok "# SKIP UART output's write()s: no strace"
fi

# a pipe nobody reads until vmm waits on it (its resident size holds still
# for 0.5 s: start-up under ASan on a loaded machine takes seconds), then
# 1 s more; then read 64 KiB at a time every 10 ms.  A vmm that buffered
# what it cannot write would never hold still, and grow during the second.
mkfifo "$T/pipe"
rm -f "$T/go"
slow_reader "$T/go" "$T/out" <"$T/pipe" &
rpid=$!
start "$T/pipe" "$T/err" -k "$GUESTS/flood-uart" </dev/null
rss2=$(status_kb "$vpid" VmRSS)
for i in $(seq 40); do
	sleep 0.5
	rss1=$rss2
	rss2=$(status_kb "$vpid" VmRSS)
	[ "$rss1" = "$rss2" ] && break
done
rss1=$rss2
sleep 1
rss2=$(status_kb "$vpid" VmRSS)
touch "$T/go"
finish
wait "$rpid"
check "UART to a pipe read late and slowly: exit 0, every line once, in order" \
	eval '[ "$rc" -eq 0 ] && uart_complete "$T/out"'
check "UART to a pipe nobody reads: vmm's memory does not grow while it waits" \
	eval '[ -n "$rss1" ] && [ -n "$rss2" ] && [ $((rss2 - rss1)) -lt 1024 ] ||
	      { echo "# VmRSS ${rss1:-?} kB then ${rss2:-?} kB"; false; }'

# a pipe nobody ever reads: the run still ends
hold "$T/pipe"
run "$T/pipe" "$T/err" -k "$GUESTS/flood-uart" --timeout 2 </dev/null
check "UART to a pipe nobody reads: --timeout 2 ends it (124)" [ "$rc" -eq 124 ]

start "$T/pipe" "$T/err" -k "$GUESTS/flood-uart" </dev/null
sleep 1
kill -TERM "$vpid"
finish
check "UART to a pipe nobody reads: SIGTERM ends it (143)" [ "$rc" -eq 143 ]

(sleep 1; printf "\001x"; sleep 3) | { start "$T/pipe" "$T/err" -k "$GUESTS/flood-uart"; finish; exit "$rc"; }
rc=$?
check "UART to a pipe nobody reads: Ctrl-A x ends it (0)" [ "$rc" -eq 0 ]

start "$T/pipe" "$T/err" -k "$GUESTS/flood-vcon-giant" --console virtio --virtio-transport mmio --timeout 2 </dev/null
finish
check "virtio-console 2 GiB chain to a pipe nobody reads: --timeout 2 ends it" [ "$rc" -eq 124 ]
release

# one request of 256 x 8 MiB, counted by a reader; vmm's peak memory is
# compared with that of a run that writes 1 MiB in small requests
giant_msg="flood-vcon: one chain of 256 x 8388608 bytes used"
run /dev/null "$T/err" -k "$GUESTS/flood-vcon-giant" --console virtio --virtio-transport mmio </dev/null
check "virtio-console 2 GiB chain to /dev/null: exit 0" [ "$rc" -eq 0 ]

peak_of() {
	local p=0 q
	# until it exits (a zombie has no VmHWM line)
	while q=$(status_kb "$vpid" VmHWM) && [ -n "$q" ]; do
		p=$q
		sleep 0.1
	done
	echo "$p"
}
mkfifo "$T/pipe2"
wc -c <"$T/pipe2" >"$T/count" &
rpid=$!
start "$T/pipe2" "$T/err" -k "$GUESTS/flood-vcon-giant" --console virtio --virtio-transport mmio </dev/null
hwm_giant=$(peak_of)
finish
wait "$rpid"
check "virtio-console 2 GiB chain to a pipe: every byte arrives once" \
	eval '[ "$rc" -eq 0 ] && [ "$(cat "$T/count")" -eq $((2147483648 + ${#giant_msg} + 2)) ] ||
	      { echo "# rc $rc, $(cat "$T/count") bytes"; false; }'

seq -f 'vcon %010.0f' 0 65535 >"$T/vcon.want"
slow_reader 0.5 "$T/out" <"$T/pipe" &
rpid=$!
start "$T/pipe" "$T/err" -k "$GUESTS/flood-vcon-many" --console virtio --virtio-transport mmio </dev/null
hwm_many=$(peak_of)
finish
wait "$rpid"
check "virtio-console 65536 requests to a slow pipe: every line once, in order" \
	eval '[ "$rc" -eq 0 ] && head -n 65536 "$T/out" | cmp -s - "$T/vcon.want" &&
	      grep -q "^flood-vcon: 65536 requests used" "$T/out"'
check "virtio-console: 2 GiB written costs no more memory than 1 MiB (+ the 8 MiB of guest RAM it reads)" \
	eval '[ "$hwm_giant" -gt 0 ] && [ "$hwm_many" -gt 0 ] &&
	      [ $((hwm_giant - hwm_many)) -lt 32768 ] ||
	      { echo "# VmHWM ${hwm_giant} kB (2 GiB), ${hwm_many} kB (1 MiB)"; false; }'

run "$T/out" "$T/err" -k "$GUESTS/flood-vcon-many" --console virtio --virtio-transport mmio </dev/null
check "virtio-console 65536 requests to a file: every line once, in order" \
	eval '[ "$rc" -eq 0 ] && head -n 65536 "$T/out" | cmp -s - "$T/vcon.want"'

echo "1..$n"
