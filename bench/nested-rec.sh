#!/bin/bash
# Recursive nested virtualization (issue 17, deliverable 6b), timed level by
# level: sid's Linux 7.2 as L1 under `vmm run --accel vkvm --nested` with
# kvm-arm.mode=nested, the aarch64 vmm inside it starting L2 (the same
# kernel, `--accel kvm --nested`), and the aarch64 vmm inside L2 running a
# bare-metal guest, L3 (build/guests/hello).  Each level's /init prints
# "@@rec" markers; this script stamps every console line with the time since
# L0's vmm started and prints, from the stamps:
#
#   L1 boot   L0's vmm start to L1's /init
#   L2 boot   L1's vmm start to L2's /init
#   L3 run    L2's vmm start to its exit
#   total     L0's vmm start to its exit
#
# and where it stopped if it did not get that far (exit status 1).
# REC_L2_NESTED=0 stops after L2's boot (exit status 0 if it got there).
# REC_DEPTH=N (default 2) stacks N Linux levels, each deeper one started by
# the vmm in the one above it (kvm-arm.mode=nested where it starts another
# hypervisor), the bare-metal guest being L(N+1); a line "Lk boot" each.
#
# Usage: bench/nested-rec.sh (from the top of the tree, after `make all
# build/aarch64/vmm`; the sid rig's packages as tests/rig/sid.sh caches them).
#
# Environment: VMM (build/vmm), VMM_A64 (build/aarch64/vmm), GUEST
# (build/guests/hello), MKCPIO (build/rig/mkcpio), REC_DIR (build/rec: the
# kernel, busybox, initramfs files and console.log), RIG_SID_DIR (build/sid),
# REC_TIMEOUT (seconds for the whole run, 3600), REC_L2_TIMEOUT (each vmm
# that starts a Linux level, 3000), REC_L3_TIMEOUT (the vmm that runs the
# bare-metal guest, 1200), REC_L1_MEM (MiB, 2048), REC_L2_MEM (768; each
# deeper Linux level half the one above), REC_L3_MEM (the bare-metal
# guest's, 64), REC_L1_APPEND (kvm-arm.mode=nested), REC_L2_APPEND (extra
# kernel arguments of L2 and deeper, none), REC_DEPTH (2),
# REC_L2_NESTED (1; 0: L2 without --nested, so no L3: Linux 7.2 as a plain
# guest of L1's KVM), REC_QUIET (1: "quiet" on L1's and L2's command lines;
# 0 for their whole boot logs).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
VMM=${VMM:-build/vmm}
VMM_A64=${VMM_A64:-build/aarch64/vmm}
GUEST=${GUEST:-build/guests/hello}
MKCPIO=${MKCPIO:-build/rig/mkcpio}
REC_DIR=${REC_DIR:-build/rec}
RIG_SID_DIR=${RIG_SID_DIR:-build/sid}
REC_TIMEOUT=${REC_TIMEOUT:-3600}
REC_L2_TIMEOUT=${REC_L2_TIMEOUT:-3000}
REC_L3_TIMEOUT=${REC_L3_TIMEOUT:-1200}
REC_L1_MEM=${REC_L1_MEM:-2048}
REC_L2_MEM=${REC_L2_MEM:-768}
REC_L3_MEM=${REC_L3_MEM:-64}
REC_L1_APPEND=${REC_L1_APPEND-kvm-arm.mode=nested}
REC_L2_APPEND=${REC_L2_APPEND-}
REC_L2_NESTED=${REC_L2_NESTED:-1}
REC_DEPTH=${REC_DEPTH:-2}
REC_QUIET=${REC_QUIET:-1}
APPLETS="sh mount cat echo grep dmesg poweroff sleep uname"

die() { echo "nested-rec: $*" >&2; exit 1; }

for n in REC_TIMEOUT REC_L2_TIMEOUT REC_L3_TIMEOUT REC_L1_MEM REC_L2_MEM REC_L3_MEM REC_DEPTH; do
	case ${!n} in
	'' | *[!0-9]*) die "$n=${!n}: not a number" ;;
	esac
done
case $REC_L2_NESTED in 0 | 1) ;; *) die "REC_L2_NESTED=$REC_L2_NESTED: 0 or 1" ;; esac
[ "$REC_DEPTH" -ge 2 ] || die "REC_DEPTH=$REC_DEPTH: 2 or more"
[ "$REC_L2_NESTED" = 1 ] || [ "$REC_DEPTH" = 2 ] || die "REC_L2_NESTED=0 is for REC_DEPTH=2"
case $REC_QUIET in 0 | 1) ;; *) die "REC_QUIET=$REC_QUIET: 0 or 1" ;; esac
[ -x "$VMM" ] || die "$VMM: not built (make)"
[ -x "$VMM_A64" ] || die "$VMM_A64: not built (make build/aarch64/vmm)"
[ -f "$GUEST" ] || die "$GUEST: not built (make $GUEST)"
[ -x "$MKCPIO" ] || die "$MKCPIO: not built (make $MKCPIO)"
command -v perl >/dev/null 2>&1 || die "perl not found (it stamps the console lines)"
[ "$(od -An -tu2 -j18 -N2 "$VMM_A64" | tr -d ' \n')" = 183 ] ||
	die "$VMM_A64 is not an aarch64 ELF program"

# sid's Image and busybox, extracted as the vkvm rig extracts them; one
# run at a time in REC_DIR (its console.log is the figures' source)
mkdir -p "$REC_DIR" || die "cannot create $REC_DIR"
exec 9>"$REC_DIR/lock" && flock -n 9 || die "$REC_DIR is in use by another run"
RIG_ORACLE=vkvm RIG_VKVM_KERNEL=sid RIG_DIR=$REC_DIR RIG_SID_DIR=$RIG_SID_DIR \
	"$top/tests/rig/run-rig.sh" --fetch-only >"$REC_DIR/fetch.log" 2>&1 ||
	die "cannot get sid's kernel and busybox (see $REC_DIR/fetch.log)"
image=$REC_DIR/Image
busybox=$REC_DIR/busybox
quiet=
[ "$REC_QUIET" = 0 ] || quiet=quiet

# The part of an initramfs both levels share: busybox, the aarch64 vmm.
base_list() {	# INIT
	echo "dir dev 755"
	echo "nod dev/console 600 c 5 1"
	echo "nod dev/null 666 c 1 3"
	echo "dir proc 555"
	echo "dir sys 555"
	echo "dir tmp 1777"
	echo "dir bin 755"
	echo "file bin/busybox $(realpath "$busybox") 755"
	for a in $APPLETS; do
		echo "slink bin/$a busybox 777"
	done
	echo "file bin/vmm $(realpath "$VMM_A64") 755"
	echo "file init $(realpath "$1") 755"
}

# The start of each /init: mounts, the kernel's KVM lines, /dev/kvm.  off()
# lets the console drain first: poweroff -f does not wait for the UART, and
# a nested one is slow.
init_head() {	# LEVEL
	cat <<EOF
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo 1 >/proc/sys/kernel/printk
off() { sleep 2; poweroff -f; }
echo "@@rec $1 init \$(uname -r)"
dmesg | grep -E 'kvm \\[[0-9]+\\]:|Nested Virt|CPU: All CPU' | while read -r l; do echo "@@rec $1 dmesg \$l"; done
if [ ! -c /dev/kvm ]; then echo "@@rec $1 no /dev/kvm"; off; fi
EOF
}

# Level k's memory: L1's REC_L1_MEM, L2's REC_L2_MEM, each deeper one half
# the one above it.
level_mem() {	# K
	local m=$REC_L2_MEM k=$1
	[ "$k" -gt 1 ] || { echo "$REC_L1_MEM"; return; }
	while [ "$k" -gt 2 ]; do m=$((m / 2)); k=$((k - 1)); done
	echo "$m"
}

# From the innermost Linux level out: level REC_DEPTH runs the bare-metal
# guest; each level above it starts the next (the same kernel, --nested,
# and kvm-arm.mode=nested where that one starts another hypervisor).
d=$REC_DEPTH
k=$d
while [ "$k" -ge 1 ]; do
	init=$REC_DIR/init.l$k
	cpio=$REC_DIR/initramfs.l$k.cpio
	n=$((k + 1))
	{
		init_head "L$k"
		echo "echo \"@@rec L$k start L$n\""
		if [ "$k" -eq "$d" ]; then
			echo "vmm run --accel kvm --timeout $REC_L3_TIMEOUT -m $REC_L3_MEM -k /guest </dev/null"
		else
			nested=--nested
			[ "$REC_L2_NESTED" = 1 ] || nested=
			mode=
			[ "$n" -eq "$d" ] || mode=kvm-arm.mode=nested
			echo "vmm run --accel kvm${nested:+ $nested} --disable-mte --timeout $REC_L2_TIMEOUT -m $(level_mem $n) \\"
			echo "	-k /next/Image -i /next/initramfs.cpio -p \"panic=-1 rdinit=/init $mode $REC_L2_APPEND $quiet\" </dev/null"
		fi
		echo "echo \"@@rec L$k exit L$n \$?\""
		echo "off"
	} >"$init"
	{
		base_list "$init"
		if [ "$k" -eq "$d" ]; then
			echo "file guest $(realpath "$GUEST") 644"
		else
			echo "dir next 755"
			echo "file next/Image $(realpath "$image") 644"
			echo "file next/initramfs.cpio $(realpath "$REC_DIR/initramfs.l$n.cpio") 644"
		fi
	} | "$MKCPIO" >"$cpio" || die "cannot write $cpio"
	k=$((k - 1))
done
l1cpio=$REC_DIR/initramfs.l1.cpio

log=$REC_DIR/console.log
l1args="panic=-1 rdinit=/init $REC_L1_APPEND $quiet"
echo "# nested-rec: $(cat "$image.from" 2>/dev/null) as L1 to L$d, $(basename "$GUEST") as L$((d + 1))"
echo "# nested-rec: L0: $VMM run --accel vkvm --nested --disable-mte -m $REC_L1_MEM -p \"$l1args\" (timeout ${REC_TIMEOUT}s, console: $log)"
k=1
while [ "$k" -lt "$d" ]; do
	echo "# nested-rec: L$k: vmm run --accel kvm$([ "$REC_L2_NESTED" = 0 ] || echo " --nested") --disable-mte -m $(level_mem $((k + 1)))"
	k=$((k + 1))
done
echo "# nested-rec: L$d: vmm run --accel kvm -m $REC_L3_MEM $(basename "$GUEST")"
# Every console line stamped with the seconds since L0's vmm started; the
# markers and the L3 guest's lines shown as they come.
timeout -k 5 "$REC_TIMEOUT" \
	"$VMM" run --accel vkvm --nested --disable-mte -m "$REC_L1_MEM" \
	-k "$image" -i "$l1cpio" -p "$l1args" </dev/null 2>&1 |
	perl -MTime::HiRes=time -e '
		$| = 1; $t0 = time;
		open(my $f, ">", $ARGV[0]) or die "$ARGV[0]: $!\n";
		select((select($f), $| = 1)[0]);
		while (<STDIN>) {
			s/\r//g;
			my $l = sprintf("%10.3f %s", time - $t0, $_);
			print $f $l;
			print "  $l" if /^\@\@rec |^(Hello from|RESULT:|PASS:|FAIL)/;
		}
		printf $f "%10.3f \@\@rec L0 exit\n", time - $t0;' "$log"
st=("${PIPESTATUS[@]}")
vrc=${st[0]}

# The figures, from the stamps.
at() { sed -n "s/^ *\([0-9.]*\) @@rec $1.*/\1/p" "$log" | head -n 1; }
span() {	# NAME FROM-MARK TO-MARK
	local a b
	if [ "$2" = start ]; then a=0; else a=$(at "$2"); fi
	b=$(at "$3")
	if [ -n "$a" ] && [ -n "$b" ]; then
		awk -v n="$1" -v a="$a" -v b="$b" 'BEGIN { printf "%-9s %8.1f s\n", n, b - a }'
	else
		printf '%-9s %8s\n' "$1" "-"
	fi
}
echo "# nested-rec: L0's vmm exited with status $vrc"
g=$((d + 1))
span "L1 boot" start "L1 init"
k=2
while [ "$k" -le "$d" ]; do
	span "L$k boot" "L$((k - 1)) start L$k" "L$k init"
	k=$((k + 1))
done
span "L$g run" "L$d start L$g" "L$d exit L$g"
span "total" start "L0 exit"
grep -q '^ *[0-9.]* RESULT: .* PASS' "$log" && grep -q "@@rec L$d exit L$g 0\$" "$log" &&
	{ echo "# nested-rec: L$g passed"; exit 0; }
[ "$REC_L2_NESTED" = 1 ] || ! grep -q '@@rec L2 init' "$log" ||
	{ echo "# nested-rec: L2 booted (REC_L2_NESTED=0: no EL2 there, so no KVM and no L3)"; exit 0; }

# Where it stopped, and why as far as the console says.
where="L$g did not pass"
k=$d
while [ "$k" -ge 1 ]; do
	if ! grep -q "@@rec L$k init" "$log"; then where="L$k did not reach its /init"
	elif grep -q "@@rec L$k no /dev/kvm" "$log"; then where="L$k has no /dev/kvm"
	fi
	k=$((k - 1))
done
[ "$vrc" != 124 ] || where="$where (timed out after ${REC_TIMEOUT}s)"
# a KVM without nested virtualization cannot give the next level EL2
k=1
while [ "$REC_L2_NESTED" = 1 ] && [ "$k" -lt "$d" ]; do
	if grep -q "@@rec L$k dmesg.*VHE mode initialized" "$log" &&
		! grep -q "@@rec L$k dmesg.*VHE+NV2 mode initialized" "$log"; then
		where="$where; L$k's KVM is not in VHE+NV2 mode"
		break
	fi
	k=$((k + 1))
done
err=$(sed -n 's/^ *[0-9.]* \(vmm: .*\)/\1/p' "$log" | head -n 1)
[ -z "$err" ] || where="$where; first vmm error: $err"
echo "# nested-rec: stopped: $where; the console's last lines:"
tail -n 15 "$log" | sed 's/^/#   /'
exit 1
