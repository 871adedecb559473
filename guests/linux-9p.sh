#!/bin/sh
# The 9p Linux guest (guests/linux.mk, tests/boot/linux-9p.spec): Debian's
# generic arm64 kernel of the same version as the rig's cloud kernel (the
# cloud flavour is built without CONFIG_NET_9P), and an initramfs like the
# boot guest's with virtio-mmio, virtio-pci and the 9p modules (fs/9p/9p.ko and what
# modinfo says it depends on).  Fetched once, as root, with apt-get download
# next to the cloud kernel's .deb.
#
#   guests/linux-9p.sh RIG_DIR MKCPIO OUTDIR
#
# Writes OUTDIR/Image, OUTDIR/initramfs.cpio and OUTDIR/busybox (for a root
# directory to share); without root and without
# the .deb cached it says so and writes nothing (the test then skips).
set -eu
rig=$1 mkcpio=$2 out=$3
debs=$rig/debs
# in load order; all uncompressed .ko in Debian 12 (virtio_blk: to compare)
mods="kernel/drivers/virtio/virtio_mmio kernel/drivers/virtio/virtio_pci_legacy_dev
      kernel/drivers/virtio/virtio_pci_modern_dev kernel/drivers/virtio/virtio_pci kernel/drivers/block/virtio_blk kernel/fs/netfs/netfs kernel/fs/fscache/fscache
      kernel/net/9p/9pnet kernel/net/9p/9pnet_virtio kernel/fs/9p/9p"

cdeb=$(ls "$debs"/linux-image-*-cloud-arm64-unsigned_*_arm64.deb 2>/dev/null | sort -V | tail -n 1)
[ -n "$cdeb" ] || { echo "linux-9p.sh: no cloud kernel .deb in $debs" >&2; exit 1; }
base=${cdeb##*/}
pkg=$(echo "${base%%_*}" | sed 's/-cloud-arm64-/-arm64-/')
ver=$(echo "$base" | cut -d_ -f2)
gdeb=$debs/${pkg}_${ver}_arm64.deb
if [ ! -f "$gdeb" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "linux-9p.sh: $gdeb is not cached and fetching it needs root: skipped" >&2
		exit 0
	fi
	echo "linux-9p.sh: apt-get download $pkg:arm64=$ver"
	(cd "$debs" && apt-get download "$pkg:arm64=$ver") >"$rig/apt-9p.log" 2>&1 || {
		echo "linux-9p.sh: apt-get download $pkg:arm64=$ver failed (see $rig/apt-9p.log)" >&2
		exit 1
	}
fi

rm -rf "$out/x" && mkdir -p "$out/x"
pats='./boot/vmlinuz-*'
for m in $mods; do pats="$pats ./lib/modules/*/$m.ko"; done
# shellcheck disable=SC2086 # the patterns are words for tar
dpkg-deb --fsys-tarfile "$gdeb" | tar -x -C "$out/x" --wildcards $pats
mv "$out"/x/boot/vmlinuz-* "$out/Image.tmp"
{
	printf '%s\n' 'dir dev 755' 'nod dev/console 600 c 5 1' 'nod dev/null 666 c 1 3' \
		'dir proc 555' 'dir sys 555' 'dir tmp 1777' 'dir bin 755' 'slink sbin bin 777' \
		"file bin/busybox $(cd "$rig" && pwd)/busybox 755" \
		"file init $(pwd)/guests/linux/init 755" 'dir lib 755' 'dir lib/modules 755' \
		'dir mnt 755'
	for m in $mods; do
		echo "file lib/modules/${m##*/}.ko $(cd "$out" && pwd)/$(cd "$out" && ls x/lib/modules/*/"$m".ko) 644"
	done
	for a in sh mount mkdir cat echo poweroff setsid cttyhack; do
		echo "slink bin/$a busybox 777"
	done
} | "$mkcpio" >"$out/initramfs.cpio.tmp"
mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
# for a root directory shared over 9p (tests/boot/linux-9p.sh)
cp "$rig/busybox" "$out/busybox"
mv "$out/Image.tmp" "$out/Image"
rm -rf "$out/x"
