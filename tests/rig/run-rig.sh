#!/bin/bash
# The real-KVM rig: run static aarch64 programs inside a Debian arm64 kernel
# booted under qemu-system-aarch64 with virtualization=on, where Linux KVM
# comes up and /dev/kvm is real.  Two oracles (RIG_ORACLE):
#   bookworm  Debian 12's Linux 6.1 under the host's QEMU 7.2 (DESIGN §9),
#             the default: the older ABI
#   sid       Debian unstable's Linux 7.x under sid's QEMU 11, run from a
#             debootstrap'd chroot (tests/rig/sid.sh, DESIGN §10), with
#             kvm-arm.mode=nested: upstream's newest ABI
#   vkvm      bookworm's Linux 6.1 as a guest hypervisor under our own vmm
#             (RIG_VMM, default ${BUILD:-build}/vmm) with vkvm's experimental
#             EL2: `vmm run --accel vkvm --nested` (docs/nested.md); the
#             packages come from bookworm's cache (RIG_DEBS, default
#             ${BUILD:-build}/rig/debs); RIG_APPEND=kvm-arm.mode=nvhe for nVHE.
#             RIG_VKVM_KERNEL=sid boots sid's Linux 7.x and busybox instead,
#             from the sid rig's cache (tests/rig/sid.sh, made if missing);
#             RIG_VKVM_NV=1 adds kvm-arm.mode=nested, so 7.x uses vkvm's
#             FEAT_NV2 and offers KVM_CAP_ARM_EL2
#
#   tests/rig/run-rig.sh PROG...
#   tests/rig/run-rig.sh --fetch-only
#
# Each PROG (a static aarch64 program, or a "#!/bin/sh" script for the
# guest's busybox) is copied into the initramfs as /rig/NAME and run in
# order by /init, with RIG_ORACLE, RIG_QEMU_VERSION and RIG_KERNEL in its
# environment; its output (TAP) is printed here between "# rig:" comment
# lines and kept in $RIG_DIR/out/NAME.txt.  The exit status is non-zero if
# the guest did not reach its end marker, had no /dev/kvm, or any program
# exited non-zero.  If QEMU or the Debian packages cannot be had, it prints
# "1..0 # SKIP <reason>" and exits 0 (RIG_NO_SKIP=1 makes that a failure).
#
# RIG_FILES (space-separated paths) go into the initramfs too, as
# /rig/files/NAME, for the programs to use (RIG_ORACLE=vkvm, say, a kernel
# and an initramfs for a guest of the guest).
#
# bookworm's cache is $RIG_DIR (default ${BUILD:-build}/rig): debs/ holds the
# two arm64 .debs (fetched once, as root, with apt-get download); Image and
# busybox are extracted from them; console.log is the last run's console.
# sid's packages are cached as tests/rig/sid.sh says; its runs use RIG_DIR
# (default ${BUILD:-build}/rig-sid) for Image, busybox and the console.
#
# Environment: RIG_ORACLE, RIG_VKVM_KERNEL, RIG_VKVM_NV, RIG_FILES, RIG_DIR,
# RIG_TIMEOUT (seconds, default 300; sid 600), RIG_QEMU (bookworm), RIG_MEM
# (MiB, 1024), RIG_SMP (2), RIG_SVE_MAX_VQ (4), RIG_APPEND (extra kernel
# arguments), RIG_MACHINE (extra -M options; sid default mte=on), RIG_MKCPIO
# (a built tests/rig/mkcpio; else it is compiled with $CC), RIG_LOCK (a file:
# boots holding a lock on it never overlap), RIG_NO_SKIP, and sid.sh's
# RIG_SID_DIR, RIG_SID_MAX_AGE.
set -u

here=$(cd "$(dirname "$0")" && pwd)
RIG_ORACLE=${RIG_ORACLE:-bookworm}
case $RIG_ORACLE in
bookworm) RIG_DIR=${RIG_DIR:-${BUILD:-build}/rig} ;;
sid) RIG_DIR=${RIG_DIR:-${BUILD:-build}/rig-sid} ;;
vkvm) RIG_VKVM_KERNEL=${RIG_VKVM_KERNEL:-bookworm}
	case $RIG_VKVM_KERNEL in
	bookworm) RIG_DIR=${RIG_DIR:-${BUILD:-build}/rig-nested}
		RIG_DEBS=${RIG_DEBS:-${BUILD:-build}/rig/debs} ;;
	sid) RIG_DIR=${RIG_DIR:-${BUILD:-build}/rig-nested-sid} ;;
	*) echo "Bail out! RIG_VKVM_KERNEL=$RIG_VKVM_KERNEL: bookworm or sid"; exit 1 ;;
	esac
	RIG_VMM=${RIG_VMM:-${BUILD:-build}/vmm}
	case ${RIG_VKVM_NV:-0} in
	0) ;;
	1) [ "$RIG_VKVM_KERNEL" = sid ] ||
		{ echo "Bail out! RIG_VKVM_NV=1 needs RIG_VKVM_KERNEL=sid (Linux 6.1 has no NV)"; exit 1; }
		RIG_APPEND="kvm-arm.mode=nested ${RIG_APPEND:-}" ;;
	*) echo "Bail out! RIG_VKVM_NV=$RIG_VKVM_NV: 0 or 1"; exit 1 ;;
	esac ;;
*) echo "Bail out! RIG_ORACLE=$RIG_ORACLE: bookworm, sid or vkvm"; exit 1 ;;
esac
# NV2 makes the sid guest's exits dearer: 130-240 s measured on a loaded host
[ "$RIG_ORACLE" = sid ] && RIG_TIMEOUT=${RIG_TIMEOUT:-600}
RIG_TIMEOUT=${RIG_TIMEOUT:-300}
RIG_QEMU=${RIG_QEMU:-qemu-system-aarch64}
RIG_MEM=${RIG_MEM:-1024}
RIG_SMP=${RIG_SMP:-2}
RIG_SVE_MAX_VQ=${RIG_SVE_MAX_VQ:-4}
RIG_APPEND=${RIG_APPEND:-}
# sid's rig gives its host MTE, so KVM offers KVM_CAP_ARM_MTE (guests.cfg [mte])
if [ "$RIG_ORACLE" = sid ]; then RIG_MACHINE=${RIG_MACHINE-mte=on}; fi
RIG_MACHINE=${RIG_MACHINE:+,$RIG_MACHINE}
CC=${CC:-cc}

# The Debian packages: the cloud kernel the metapackage points at, as the
# unsigned build (the same Image without the EFI signature), and busybox.
KERNEL_META=linux-image-cloud-arm64
BUSYBOX_PKG="busybox-static"
APPLETS="sh mount umount cat echo ls mkdir poweroff sleep dmesg wc tail head grep uname date"

say() { echo "# rig: $*"; }
err() { echo "rig: $*" >&2; }

skip() {
	err "$1"
	if [ -n "${RIG_NO_SKIP:-}" ]; then
		echo "Bail out! $1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

bail() {
	err "$1"
	echo "Bail out! $1"
	exit 1
}

# --fetch-only: fetch and extract Image and busybox into $RIG_DIR, then stop
# (guests/linux.mk builds the Linux boot guest from them; RIG_ORACLE=vkvm
# extracts them from the cache RIG_VKVM_KERNEL names); failing is an error.
fetch_only=
if [ "${1:-}" = --fetch-only ]; then
	fetch_only=1
	RIG_NO_SKIP=1
	shift
	[ $# -eq 0 ] || bail "usage: $0 --fetch-only"
else
	[ $# -gt 0 ] || bail "usage: $0 PROG..."
fi
for p in "$@"; do
	[ -f "$p" ] && [ -x "$p" ] || bail "$p: not an executable file"
	[ "$(head -c 10 "$p" | tr -d '\0')" != '#!/bin/sh' ] || continue
	# ELF, 64-bit, e_machine EM_AARCH64 (183)
	magic=$(od -An -tx1 -N4 "$p" | tr -d ' \n')
	mach=$(od -An -tu2 -j18 -N2 "$p" | tr -d ' \n')
	[ "$magic" = 7f454c46 ] && [ "$mach" = 183 ] ||
		bail "$p: neither an aarch64 ELF program nor a #!/bin/sh script"
done
rig_files=()
for f in ${RIG_FILES:-}; do
	[ -f "$f" ] && [ -r "$f" ] || bail "RIG_FILES: $f: not a readable file"
	rig_files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done

mkdir -p "$RIG_DIR/debs" || bail "cannot create $RIG_DIR"
RIG_DIR=$(cd "$RIG_DIR" && pwd)
debs=${RIG_DEBS:-$RIG_DIR/debs}

cached_debs() {
	kdeb=$(ls "$debs"/linux-image-*-cloud-arm64-unsigned_*_arm64.deb 2>/dev/null | sort -V | tail -n 1)
	bdeb=$(ls "$debs"/${BUSYBOX_PKG}_*_arm64.deb 2>/dev/null | sort -V | tail -n 1)
	[ -n "$kdeb" ] && [ -n "$bdeb" ]
}

fetch_debs() {
	local log=$RIG_DIR/apt.log dep kpkg

	if [ "$(id -u)" -ne 0 ]; then
		skip "the arm64 kernel and busybox are not cached in $debs and fetching them needs root: run $0 once as root with RIG_DIR=$RIG_DIR"
	fi
	say "fetching $KERNEL_META and $BUSYBOX_PKG (arm64) with apt-get download (apt's output: $log)"
	: >"$log"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		say "  dpkg --add-architecture arm64 (the host may then fetch arm64 package lists)"
		dpkg --add-architecture arm64 >>"$log" 2>&1 ||
			skip "dpkg --add-architecture arm64 failed (see $log)"
	fi
	say "  apt-get update"
	apt-get update -q >>"$log" 2>&1 || skip "apt-get update failed (see $log)"
	say "  $(grep -c -E '^(Get|Hit):' "$log") package lists fetched or current"
	dep=$(apt-cache depends "$KERNEL_META:arm64" 2>>"$log" |
		sed -n 's/^ *Depends: \(linux-image-[^ :<>]*\).*/\1/p' | head -n 1)
	[ -n "$dep" ] || skip "apt-cache finds no dependency of $KERNEL_META:arm64 (see $log)"
	kpkg=${dep%-unsigned}-unsigned
	apt-cache show "$kpkg:arm64" >/dev/null 2>&1 || kpkg=$dep
	say "  apt-get download $kpkg:arm64 $BUSYBOX_PKG:arm64 ($(deb_size "$kpkg:arm64" "$BUSYBOX_PKG:arm64") MB)"
	# apt-get download writes into the current directory
	(cd "$debs" && apt-get download "$kpkg:arm64" "$BUSYBOX_PKG:arm64") >>"$log" 2>&1 ||
		skip "apt-get download $kpkg:arm64 $BUSYBOX_PKG:arm64 failed (see $log)"
	cached_debs || skip "apt-get download gave no $kpkg or $BUSYBOX_PKG .deb (see $log)"
	say "  done: $(du -cm "$kdeb" "$bdeb" | tail -n 1 | cut -f1) MB in $debs"
}

# The download size of these packages in MB, from apt-cache ("?" if unknown).
deb_size() {
	apt-cache show --no-all-versions "$@" 2>/dev/null |
		awk '/^Size:/ { s += $2 } END { if (s) printf "%.0f", s / 1048576; else print "?" }'
}

# bookworm: the host's QEMU, Debian 12's kernel and busybox.  vkvm: our vmm
# instead of QEMU, with the same kernel and busybox (fetched by the bookworm
# rig) or sid's (RIG_VKVM_KERNEL=sid, fetched as the sid rig fetches them).
if [ "$RIG_ORACLE" = vkvm ]; then
	[ -n "$fetch_only" ] || [ -x "$RIG_VMM" ] || skip "$RIG_VMM: not built"
	if [ "$RIG_VKVM_KERNEL" = sid ]; then
		. "$here/sid.sh"
		sid_provision
		kdeb=$sid_kdeb
		bdeb=$sid_bdeb
		kglob='usr/lib/modules/*/vmlinuz*'
		bglob='bin/busybox usr/bin/busybox'
	else
		cached_debs || skip "no bookworm kernel and busybox in $debs: run the bookworm rig first"
		kglob='boot/vmlinuz-*'
		bglob='bin/busybox'
	fi
elif [ "$RIG_ORACLE" = bookworm ]; then
	[ -n "$fetch_only" ] || command -v "$RIG_QEMU" >/dev/null 2>&1 ||
		skip "$RIG_QEMU not found (Debian package qemu-system-arm)"
	cached_debs || fetch_debs
	qemu=("$RIG_QEMU")
	kglob='boot/vmlinuz-*'
	bglob='bin/busybox'
else
	[ -z "$fetch_only" ] || bail "--fetch-only is for RIG_ORACLE=bookworm or vkvm"
	command -v chroot >/dev/null 2>&1 || skip "chroot not found"
	. "$here/sid.sh"
	sid_provision
	kdeb=$sid_kdeb
	bdeb=$sid_bdeb
	qemu=(chroot "$sid_chroot" qemu-system-aarch64)
	kglob='usr/lib/modules/*/vmlinuz*'
	bglob='bin/busybox usr/bin/busybox'
	[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
fi
say "kernel  $(dpkg-deb -W --showformat='${Package} ${Version}' "$kdeb")"
say "busybox $(dpkg-deb -W --showformat='${Package} ${Version}' "$bdeb")"

# Extract what is missing or older than its .deb.
extract() {	# DEB PATH-GLOB-IN-DEB OUT
	local tmp=$RIG_DIR/extract.$$ f

	rm -rf "$tmp"
	dpkg-deb -x "$1" "$tmp" || { rm -rf "$tmp"; bail "dpkg-deb -x $1 failed"; }
	f=$(cd "$tmp" && ls $2 2>/dev/null | head -n 1)
	[ -z "$f" ] || f=$tmp/$f
	[ -n "$f" ] || { rm -rf "$tmp"; bail "$1 holds no $2"; }
	cp "$f" "$3.tmp" && mv "$3.tmp" "$3"
	rm -rf "$tmp"
}

image=$RIG_DIR/Image
busybox=$RIG_DIR/busybox
# Extracted again when the .deb changed (a refresh may bring an older mtime).
fresh() {	# OUT DEB
	[ -e "$1" ] && [ "$1" -nt "$2" ] && [ "$(cat "$1.from" 2>/dev/null)" = "$(basename "$2")" ]
}
fresh "$image" "$kdeb" || { extract "$kdeb" "$kglob" "$image" && basename "$kdeb" >"$image.from"; }
fresh "$busybox" "$bdeb" || { extract "$bdeb" "$bglob" "$busybox" && basename "$bdeb" >"$busybox.from"; }

# arm64 Image header: "ARM\x64" at offset 56 (Documentation/arm64/booting.rst).
if [ "$(od -An -tx1 -N2 "$image" | tr -d ' \n')" = 1f8b ]; then
	gzip -dc <"$image" >"$image.tmp" && mv "$image.tmp" "$image" ||
		bail "cannot decompress $image"
fi
[ "$(od -An -tx1 -j56 -N4 "$image" | tr -d ' \n')" = 41524d64 ] ||
	bail "$image is not an arm64 Image (no ARM\\x64 magic at offset 56)"
[ "$(od -An -tu2 -j18 -N2 "$busybox" | tr -d ' \n')" = 183 ] ||
	bail "$busybox is not an aarch64 ELF program"
[ -z "$fetch_only" ] || exit 0

# The cpio writer: a host program, built here unless make gave us one.
mkcpio=${RIG_MKCPIO:-$RIG_DIR/mkcpio}
if [ -z "${RIG_MKCPIO:-}" ] && ! [ "$mkcpio" -nt "$here/mkcpio.c" ]; then
	$CC -O2 -Wall -Wextra -o "$mkcpio" "$here/mkcpio.c" || bail "cannot build $mkcpio"
fi
[ -x "$mkcpio" ] || bail "$mkcpio: not built"

if [ "$RIG_ORACLE" = vkvm ]; then
	# no QEMU: its version tells the programs nothing (RIG_ORACLE=vkvm does)
	qemu_version=none
else
	qemu_version=$("${qemu[@]}" --version 2>/dev/null |
		sed -n '1s/^QEMU emulator version \([0-9.]*\).*/\1/p')
	[ -n "$qemu_version" ] || skip "${qemu[*]} does not run"
fi

# /init: mount, report /dev/kvm, run each program between markers, power off.
# A program's output goes to a file first and is printed whole, so that
# kernel messages cannot land in the middle of it; the kernel messages of
# the run follow the programs.
names=()
for p in "$@"; do
	names+=("$(basename "$p")")
done
{
	cat <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo 1 >/proc/sys/kernel/printk
EOF
	# what the programs may need to know of the oracle they run under
	echo "export RIG_ORACLE=$RIG_ORACLE RIG_QEMU_VERSION=$qemu_version"
	cat <<'EOF'
export RIG_KERNEL=$(uname -r)
echo "@@rig-kernel $(uname -r)"
if [ -c /dev/kvm ]; then echo "@@rig-kvm yes"; else echo "@@rig-kvm no"; fi
n0=$(dmesg | wc -l)
EOF
	i=0
	for name in "${names[@]}"; do
		i=$((i + 1))
		cat <<EOF
echo "@@rig-start $i $name"
/rig/$i-$name >/tmp/out 2>&1
rc=\$?
cat /tmp/out
echo "@@rig-end $i $name \$rc"
EOF
	done
	cat <<'EOF'
echo "@@rig-dmesg"
dmesg | tail -n +$((n0 + 1))
echo "@@rig-done"
poweroff -f
EOF
} >"$RIG_DIR/init"

initrd=$RIG_DIR/initramfs.cpio
{
	echo "dir dev 755"
	echo "nod dev/console 600 c 5 1"
	echo "nod dev/null 666 c 1 3"
	echo "dir proc 555"
	echo "dir sys 555"
	echo "dir tmp 1777"
	echo "dir bin 755"
	echo "file bin/busybox $busybox 755"
	for a in $APPLETS; do
		echo "slink bin/$a busybox 777"
	done
	echo "file init $RIG_DIR/init 755"
	echo "dir rig 755"
	i=0
	for p in "$@"; do
		i=$((i + 1))
		echo "file rig/$i-$(basename "$p") $(cd "$(dirname "$p")" && pwd)/$(basename "$p") 755"
	done
	[ ${#rig_files[@]} -eq 0 ] || echo "dir rig/files 755"
	for f in "${rig_files[@]}"; do
		if [ -x "$f" ]; then m=755; else m=644; fi
		echo "file rig/files/$(basename "$f") $f $m"
	done
} | "$mkcpio" >"$initrd" || bail "cannot write $initrd"

log=$RIG_DIR/console.log
# The files QEMU opens: under sid it runs in the chroot, so they go inside.
kernel_args=(-kernel "$image" -initrd "$initrd")
stage=
if [ "$RIG_ORACLE" = sid ]; then
	stage=$sid_chroot/rig.$$
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage" || bail "cannot create $stage"
	for f in "$image" "$initrd"; do
		ln -f "$f" "$stage/" 2>/dev/null || cp "$f" "$stage/" || bail "cannot copy $f into $stage"
	done
	kernel_args=(-kernel "/rig.$$/$(basename "$image")" -initrd "/rig.$$/$(basename "$initrd")")
	RIG_APPEND="kvm-arm.mode=nested $RIG_APPEND"
fi

# One boot at a time (both oracles in one make check): the machine may
# have as few cores as the guest has vCPUs.
[ -z "${RIG_LOCK:-}" ] || { exec 9>"$RIG_LOCK" && flock 9; }
t0=$(date +%s.%N)
if [ "$RIG_ORACLE" = vkvm ]; then
	# the same machine as QEMU's: GICv3 with an ITS, PMUv3, SVE up to RIG_SVE_MAX_VQ
	say "booting $(basename "$kdeb" .deb) under $RIG_VMM run --accel vkvm --nested (timeout ${RIG_TIMEOUT}s, console: $log)"
	timeout -k 5 "$RIG_TIMEOUT" "$RIG_VMM" run --accel vkvm \
		--nested --pmu --disable-mte --irqchip gicv3-its --sve-vl $((RIG_SVE_MAX_VQ * 128)) \
		-m "$RIG_MEM" -c "$RIG_SMP" -k "$image" -i "$initrd" \
		-p "panic=-1 rdinit=/init $RIG_APPEND" </dev/null >"$log" 2>&1
else
	say "booting $(basename "$kdeb" .deb) under ${qemu[*]} $qemu_version (timeout ${RIG_TIMEOUT}s, console: $log)"
	timeout -k 5 "$RIG_TIMEOUT" "${qemu[@]}" \
		-M virt,virtualization=on,gic-version=3"$RIG_MACHINE" \
		-cpu max,pauth-impdef=on,sve-max-vq="$RIG_SVE_MAX_VQ" \
		-m "$RIG_MEM" -smp "$RIG_SMP" -nographic -no-reboot -nic none \
		"${kernel_args[@]}" \
		-append "console=ttyAMA0 panic=-1 rdinit=/init $RIG_APPEND" \
		</dev/null >"$log" 2>&1
fi
qrc=$?
t1=$(date +%s.%N)
[ -z "${RIG_LOCK:-}" ] || exec 9>&-
[ -z "$stage" ] || rm -rf "$stage"
secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')

# The console as plain lines: no carriage returns.
clog=$RIG_DIR/console.txt
tr -d '\r' <"$log" >"$clog"

sed -n 's/^@@rig-kernel /# rig: guest kernel /p' "$clog"
grep -E '\bkvm \[[0-9]+\]:' "$clog" | sed 's/^\[[ 0-9.]*\] */# rig: /'
if [ "$RIG_ORACLE" = vkvm ]; then say "vmm exited with status $qrc after ${secs}s"
else say "qemu exited with status $qrc after ${secs}s"; fi

# The programs' output, as they printed it, and each in out/NAME.txt.
rm -rf "$RIG_DIR/out" && mkdir -p "$RIG_DIR/out"
awk -v out="$RIG_DIR/out" '
/^@@rig-start / { f = out "/" $3 ".txt"; printf "" >f }
/^@@rig-end /   { close(f); f = "" }
!/^@@rig-/ && f != "" { print >>f }
' "$clog"
awk '
/^@@rig-start / { on = 1; print "# rig: start " $3; next }
/^@@rig-end /   { on = 0; print "# rig: end " $3 ", exit status " $4; next }
on
' "$clog"

status=0
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "not ok - rig: the guest timed out after ${RIG_TIMEOUT}s"
	status=1
fi
if ! grep -q '^@@rig-kvm yes' "$clog"; then
	echo "not ok - rig: the guest has no /dev/kvm"
	status=1
fi
i=0
for name in "${names[@]}"; do
	i=$((i + 1))
	rc=$(sed -n "s/^@@rig-end $i $name \([0-9]*\)$/\1/p" "$clog")
	if [ -z "$rc" ]; then
		echo "not ok - rig: $name did not finish"
		status=1
	elif [ "$rc" -ne 0 ]; then
		echo "not ok - rig: $name exited with status $rc"
		status=1
	fi
done
if grep -q '^@@rig-done' "$clog"; then
	say "guest reached its end marker in ${secs}s"
else
	echo "not ok - rig: the guest did not reach its end marker (see $log)"
	tail -n 20 "$clog" | sed 's/^/# /'
	status=1
fi
exit $status
