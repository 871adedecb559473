#!/bin/sh
# tests/boot/linux-9p.spec with its share, then the host side of it: TAP.
#
#   tests/boot/linux-9p.sh VMM P9_LINUX_DIR WORKDIR LOGDIR
#
# WORKDIR (under build/) is made afresh: WORKDIR/share is shared, with a
# file to read, a directory, an absolute symlink to /etc, a relative one to
# "..", one to WORKDIR/secret (the canary, beside the share); the guest
# runs tests/boot/linux-9p-run.sh from it.  WORKDIR/root, a static busybox
# root file system, is the root of a third guest.  Afterwards the host checks
# what the guest wrote, and that the canary and WORKDIR are untouched.
set -u
vmm=$1 kdir=$2 work=$3 logs=$4
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$vmm" ] || { echo "1..0 # skip no $vmm: make check builds it"; exit 0; }
[ -f "$kdir/Image" ] || {
	echo "1..0 # skip no $kdir/Image: guests/linux-9p.sh fetches the generic arm64 kernel as root"
	exit 0
}
rm -rf "$work" && mkdir -p "$work/share/sub" || exit 1
echo canary-9p-host >"$work/secret"
echo "hello from the host" >"$work/share/hello"
echo file >"$work/share/sub/file"
ln -s /etc "$work/share/abs"
ln -s .. "$work/share/up"
ln -s "$work/secret" "$work/share/to-secret"
cp "$here/linux-9p-run.sh" "$work/share/run.sh"
# WORKDIR/root: a root file system of static busybox for vmm.9proot
mkdir -p "$work/root/bin" "$work/root/sbin" "$work/root/dev" "$work/root/proc" || exit 1
cp "$kdir/busybox" "$work/root/bin/busybox" || exit 1
for a in sh mount grep cat echo sync poweroff; do ln -s busybox "$work/root/bin/$a"; done
echo "hello from the root" >"$work/root/hello"
cat >"$work/root/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
echo "9proot: $(grep ' / ' /proc/mounts | tail -n 1)"
echo "9proot: pid $$"
echo "9proot: ITS-MSI virtio0 vectors $(grep -c 'ITS-MSI.*virtio0' /proc/interrupts)"
echo "9proot: $(cat /hello)"
echo "written by the root's init" >/from-root && sync && echo "9proot: wrote"
poweroff -f
INIT
chmod 755 "$work/root/sbin/init"
P9_SHARE=$work/share P9_ROOT=$work/root P9_LINUX_DIR=$kdir
export P9_SHARE P9_ROOT P9_LINUX_DIR

"$vmm" test -j 1 --accel vkvm --log-dir "$logs" "$here/linux-9p.spec"
status=$?

n=100 bad=0
check() {	# check DESCRIPTION COMMAND...
	n=$((n + 1))
	desc=$1
	shift
	if "$@"; then
		echo "ok $n - linux-9p host side: $desc"
	else
		echo "not ok $n - linux-9p host side: $desc"
		bad=1
	fi
}
check "the guest's file reads 'written by the guest'" \
	test "$(cat "$work/share/from-guest" 2>/dev/null)" = "written by the guest"
check "the guest's seq 1 20000 arrived whole" \
	sh -c "seq 1 20000 | cmp -s - '$work/share/seq'"
check "the guest's scratch directory is gone" test ! -e "$work/share/d"
check "the read-only share got no new file" \
	sh -c "test ! -e '$work/share/ro-new' && test ! -e '$work/share/ro-dir'"
check "the read-only share's file is unchanged" \
	test "$(cat "$work/share/hello")" = "hello from the host"
check "the canary beside the share is untouched" \
	test "$(cat "$work/secret")" = canary-9p-host
check "the 9p root's init wrote its file" \
	test "$(cat "$work/root/from-root" 2>/dev/null)" = "written by the root's init"
check "nothing new beside the shares" \
	test "$(ls -A "$work" | tr '\n' ' ')" = "root secret share "
[ $status -eq 0 ] && [ $bad -eq 0 ]
