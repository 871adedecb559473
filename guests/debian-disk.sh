#!/bin/sh
# A small Debian arm64 userland on an ext4 disk image, built without root:
# busybox-static, dropbear (SSH server) with the libraries it links, and
# base-files (/etc/debian_version, /etc/os-release), all from Debian 12's
# arm64 packages (fetched once with apt-get download into RIG_DIR/debs,
# next to the boot guest's kernel and busybox .debs), staged in a
# directory and written into the image by mke2fs -d.
#
#   guests/debian-disk.sh RIG_DIR OUT.img [AUTHORIZED_KEYS]
#
# AUTHORIZED_KEYS (an OpenSSH public key file) becomes root's
# ~/.ssh/authorized_keys.  Boot it with the boot guest's kernel and
# initramfs, whose /init mounts root=/dev/vda and switch_roots to it
# (docs/vmm.md, "Recipes"):
#
#   vmm run -k build/linux/Image -i build/linux/initramfs.cpio -m 512 \
#       -d OUT.img --network mode=user,hostfwd=tcp:127.0.0.1:2222-:22 \
#       -p 'rdinit=/init root=/dev/vda'
#
# The disk's /sbin/init is busybox init: /etc/init.d/rcS mounts the
# kernel's file systems, takes a DHCP lease on eth0 and prints
# "vmm-debian: up"; then dropbear serves SSH on port 22 (host keys made
# at the first connection, -R) and the console asks for Enter to give a
# shell.  Files are owned by root in the image whoever builds it
# (debugfs rewrites the owners mke2fs -d copied).  Without the packages
# cached and without root to fetch them, it says so and writes nothing.
set -eu
[ $# -ge 2 ] && [ $# -le 3 ] || {
	echo "usage: guests/debian-disk.sh RIG_DIR OUT.img [AUTHORIZED_KEYS]" >&2
	exit 1
}
rig=$1 out=$2 keys=${3:-}
debs=$rig/debs
here=$(cd "$(dirname "$0")" && pwd)
pkgs="busybox-static dropbear-bin libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g base-files"
[ -z "$keys" ] || [ -f "$keys" ] || { echo "debian-disk.sh: $keys: no such file" >&2; exit 1; }

# the newest cached .deb of package $1, or nothing
cached() {
	ls "$debs/$1"_*_arm64.deb 2>/dev/null | sort -V | tail -n 1
}

missing=
for p in $pkgs; do
	[ -n "$(cached "$p")" ] || missing="$missing $p:arm64"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "debian-disk.sh:$missing not cached in $debs and fetching needs root: skipped" >&2
		exit 0
	fi
	mkdir -p "$debs"
	echo "debian-disk.sh: apt-get download$missing"
	# shellcheck disable=SC2086 # one word a package
	(cd "$debs" && apt-get download $missing) >"$rig/apt-debian.log" 2>&1 || {
		echo "debian-disk.sh: apt-get download$missing failed (see $rig/apt-debian.log)" >&2
		exit 1
	}
fi

st=$out.d
rm -rf "$st" "$out.tmp"
mkdir -p "$st"
trap 'rm -rf "$st" "$out.tmp" "$out.debugfs"' EXIT
for p in $pkgs; do
	dpkg-deb -x "$(cached "$p")" "$st"
done
# documentation, locales and character-set converters: not needed to boot
rm -rf "$st/usr/share/doc" "$st/usr/share/man" "$st/usr/share/lintian" \
	"$st/usr/share/locale" "$st/usr/lib/aarch64-linux-gnu/gconv"

mkdir -p "$st/sbin" "$st/proc" "$st/sys" "$st/dev" "$st/tmp" "$st/run" \
	"$st/root/.ssh" "$st/etc/dropbear" "$st/etc/init.d" "$st/etc/udhcpc" \
	"$st/var/log" "$st/mnt"
chmod 1777 "$st/tmp"
chmod 700 "$st/root" "$st/root/.ssh"
ln -sf busybox "$st/bin/sh"
ln -sf ../bin/busybox "$st/sbin/init"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' >"$st/etc/passwd"
printf '%s\n' 'root:*:19000:0:99999:7:::' >"$st/etc/shadow"
chmod 600 "$st/etc/shadow"
printf '%s\n' 'root:x:0:' >"$st/etc/group"
printf '%s\n' '/bin/sh' >"$st/etc/shells"
printf '%s\n' 'vmm-debian' >"$st/etc/hostname"
printf '%s\n' '127.0.0.1 localhost' '127.0.1.1 vmm-debian' >"$st/etc/hosts"
cp "$here/linux/udhcpc.script" "$st/etc/udhcpc/default.script"
chmod 755 "$st/etc/udhcpc/default.script"
if [ -n "$keys" ]; then
	cp "$keys" "$st/root/.ssh/authorized_keys"
	chmod 600 "$st/root/.ssh/authorized_keys"
fi

cat >"$st/etc/inittab" <<'EOF'
# busybox init (guests/debian-disk.sh)
::sysinit:/etc/init.d/rcS
::respawn:/usr/sbin/dropbear -F -E -R -p 22
::askfirst:-/bin/sh
::ctrlaltdel:/sbin/poweroff
::shutdown:/bin/umount -a -r
EOF
cat >"$st/etc/init.d/rcS" <<'EOF'
#!/bin/sh
# busybox init's sysinit (guests/debian-disk.sh): the kernel's file
# systems, every busybox applet, the loopback and a DHCP lease on eth0
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname -F /etc/hostname
ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
	ip link set eth0 up
	udhcpc -i eth0 -b -t 5 -T 2 -p /run/udhcpc.pid
fi
echo "vmm-debian: up ($(cat /etc/debian_version), dropbear on :22)"
EOF
chmod 755 "$st/etc/init.d/rcS"

# mke2fs -d copies the builder's uid/gid: make every inode root's
size=$(du -sk "$st" | cut -f1)
mke2fs -q -F -t ext4 -O ^has_journal -L debian -d "$st" "$out.tmp" $((size * 2 + 8192))k >/dev/null
(cd "$st" && find . -mindepth 1) | sed 's|^\.||' | while read -r f; do
	echo "sif $f uid 0"
	echo "sif $f gid 0"
done >"$out.debugfs"
echo "sif / uid 0" >>"$out.debugfs"
echo "sif / gid 0" >>"$out.debugfs"
debugfs -w -f "$out.debugfs" "$out.tmp" >/dev/null 2>&1 ||
	{ echo "debian-disk.sh: debugfs could not set the owners" >&2; exit 1; }
mv "$out.tmp" "$out"
