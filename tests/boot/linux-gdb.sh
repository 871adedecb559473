#!/bin/sh
# The "debug a kernel with gdb" recipe of docs/vmm.md, run as written: the
# boot guest's kernel (Debian's cloud Image, no symbols shipped) with
# nokaslr, its start_kernel and _stext taken from the guest's own
# /proc/kallsyms in a first boot, then a second boot paused under the GDB
# stub, gdb-multiarch attached: a hardware breakpoint on start_kernel,
# continue, the vCPU thread, memory at a kernel virtual address (compared
# with the Image's bytes), stepi, kill.  TAP.
#
#   linux-gdb.sh VMM LINUX_DIR LOGDIR
VMM=$1 LINUX_DIR=$2 LOGDIR=$3
GDB=${GDB:-gdb-multiarch}
[ -x "$VMM" ] || { echo "1..0 # skip no $VMM: make check builds it"; exit 0; }
command -v "$GDB" >/dev/null 2>&1 ||
	{ echo "1..0 # skip no $GDB (tools/deps.sh installs it)"; exit 0; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmm-linux-gdb.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$LOGDIR"
echo "1..4"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] && sed 's/^/# /' "$2" | tail -n 25
	return 0
}
Image=$LINUX_DIR/Image
initrd=$LINUX_DIR/initramfs.cpio

# 1: the symbols' addresses, from the guest (nokaslr: the same every boot)
log1=$LOGDIR/linux-gdb-kallsyms.log
"$VMM" run -k "$Image" -i "$initrd" -m 512 --accel vkvm --timeout 120 \
	-p 'rdinit=/init nokaslr panic=-1 vmm.poweroff=1 vmm.cmd="grep -w -e start_kernel -e _stext /proc/kallsyms"' \
	</dev/null >"$log1" 2>&1
sym() { tr -d '\r' <"$log1" | awk -v s="$1" '$2 == "T" && $3 == s { print $1; exit }'; }
start=$(sym start_kernel)
stext=$(sym _stext)
if [ -n "$start" ] && [ -n "$stext" ]; then
	ok "start_kernel at 0x$start, _stext at 0x$stext (/proc/kallsyms, nokaslr)"
else
	notok "start_kernel and _stext from /proc/kallsyms" "$log1"
	echo "# $failed failed"
	exit 1
fi

# 2: paused under the stub (port 0: any free one; -s would take 1234)
log2=$LOGDIR/linux-gdb.log
"$VMM" run -k "$Image" -i "$initrd" -m 512 -p nokaslr --gdb tcp:127.0.0.1:0 --start-paused \
	--accel vkvm --timeout 120 </dev/null >"$log2" 2>&1 &
pid=$!
port=
i=0
while [ -z "$port" ] && [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
	port=$(sed -n "s/^vmm: gdbstub: listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p" "$log2")
	[ -n "$port" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || { notok "vmm --gdb tcp:127.0.0.1:0 listens" "$log2"; exit 1; }
"$GDB" -batch -nx -ex "target remote 127.0.0.1:$port" -ex "hbreak *0x$start" \
	-ex continue -ex 'info threads' -ex 'p/x $pc' -ex "x/4wx 0x$start" \
	-ex stepi -ex 'p/x $pc' -ex kill >"$dir/gdb.out" 2>&1
gst=$?
cp "$dir/gdb.out" "$LOGDIR/linux-gdb.gdb.log"
if [ $gst = 0 ] && grep -q "^Hardware assisted breakpoint 1 at 0x$start" "$dir/gdb.out" &&
   grep -Eq "^(Thread 1 .*hit Hardware assisted b|B)reakpoint 1, 0x0*$start in" "$dir/gdb.out" &&
   grep -Eq '^\* 1 +Thread 1 \(vCPU 0\)' "$dir/gdb.out" &&
   grep -q "^\$1 = 0x$start$" "$dir/gdb.out"; then
	ok "hbreak *0x$start, continue: vCPU 0 stops at start_kernel"
else
	notok "hbreak on start_kernel, continue: vCPU 0 stops there" "$dir/gdb.out"
fi

# 3: the word at start_kernel's virtual address is the Image's (the
# kernel image starts 64 KiB, SEGMENT_ALIGN, below _stext).  The shell's
# arithmetic is signed 64-bit: only the low 32 bits of the addresses, as
# the image is far smaller than 4 GiB.
low() { echo "$1" | sed 's/.*\(........\)$/\1/'; }
off=$(( ((0x$(low "$start") - 0x$(low "$stext")) & 0xffffffff) + 65536 ))
want=$(od -A n -t x4 -j "$off" -N 16 "$Image" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
got=$(grep "^0x0*${start}:" "$dir/gdb.out" | cut -d: -f2 | tr -s ' \t' '  ' | sed 's/0x//g; s/^ //; s/ $//')
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	ok "x/4wx 0x$start reads the Image's 16 bytes at offset $off ($want)"
else
	notok "x/4wx at start_kernel reads the Image's 16 bytes at offset $off ($want, got $got)" "$dir/gdb.out"
fi

# 4: stepi moves one instruction; kill ends vmm with status 0
next=${start%????????}$(printf '%08x' $(( (0x$(low "$start") + 4) & 0xffffffff )))
st=
i=0
while [ $i -lt 100 ]; do
	kill -0 "$pid" 2>/dev/null || { wait "$pid"; st=$?; break; }
	sleep 0.1
	i=$((i + 1))
done
left=$pid
pid=
if grep -q "^\$2 = 0x$next$" "$dir/gdb.out" && [ "$st" = 0 ]; then
	ok "stepi: pc 0x$next; kill: vmm exits 0"
else
	kill "$left" 2>/dev/null
	cat "$log2" >>"$dir/gdb.out"
	notok "stepi: pc 0x$next; kill: vmm exits 0 (status ${st:-none})" "$dir/gdb.out"
fi
echo "# $((n - failed)) passed, $failed failed (logs: $LOGDIR/linux-gdb*.log)"
[ $failed = 0 ]
