#!/bin/sh
# The "boot a Debian userland from a disk image" and "SSH into the guest"
# recipes of docs/vmm.md, run as written: guests/debian-disk.sh builds the
# image with a key made here, vmm boots it (root=/dev/vda) with a slirp
# port forward to the guest's port 22, ssh runs commands in the guest
# through it, and "ssh ... poweroff" ends the run with status 0.  TAP.
#
#   debian-ssh.sh VMM LINUX_DIR RIG_DIR LOGDIR NET_SERVER
#
# NET_SERVER (tests/boot/net_server.c) --free-port picks the host port.
VMM=$1 LINUX_DIR=$2 RIG_DIR=$3 LOGDIR=$4 SERVER=$5
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$VMM" ] || { echo "1..0 # skip no $VMM: make check builds it"; exit 0; }
# the build's keyless image: guests/debian-disk.sh wrote it, so the .debs are cached
[ -f "$LINUX_DIR/debian.img" ] ||
	{ echo "1..0 # skip no $LINUX_DIR/debian.img: guests/debian-disk.sh fetches its .debs as root once"; exit 0; }
for t in ssh ssh-keygen mke2fs debugfs; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "1..0 # skip no $t (tools/deps.sh installs it)"; exit 0; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmm-debian.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$LOGDIR"
log=$LOGDIR/debian-ssh.log
echo "1..5"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] && sed 's/^/# /' "$2" | tail -n 20
	return 0
}

# 1: the image, with root's authorized key made for this run
ssh-keygen -q -t ed25519 -N '' -C vmm-test -f "$dir/key" >"$dir/build.log" 2>&1 &&
"$here/../../guests/debian-disk.sh" "$RIG_DIR" "$dir/debian.img" "$dir/key.pub" >>"$dir/build.log" 2>&1 &&
[ -f "$dir/debian.img" ] && ok "guests/debian-disk.sh builds the image" ||
	{ notok "guests/debian-disk.sh builds the image" "$dir/build.log"; echo "# $failed failed"; exit 1; }

# 2: boot it with the port forward
port=$("$SERVER" --free-port)
[ -n "$port" ] || { notok "a free port on 127.0.0.1"; exit 1; }
echo "$VMM run -k $LINUX_DIR/Image -i $LINUX_DIR/initramfs.cpio -m 512 -d $dir/debian.img" \
	"--network mode=user,hostfwd=tcp:127.0.0.1:$port-:22 -p 'rdinit=/init root=/dev/vda'" >"$log"
"$VMM" run -k "$LINUX_DIR/Image" -i "$LINUX_DIR/initramfs.cpio" -m 512 -d "$dir/debian.img" \
	--network "mode=user,hostfwd=tcp:127.0.0.1:$port-:22" -p 'rdinit=/init root=/dev/vda' \
	--accel vkvm --timeout 150 </dev/null >>"$log" 2>&1 &
pid=$!

# The forward accepts a connection at once and then waits for the guest,
# whose SYNs slirp retries: ssh would sit out its ConnectTimeout until the
# guest has its address.  So first the console's marker (rcS, after the
# lease, just before init starts dropbear), then ssh until dropbear
# answers: up to 120 s in all on a loaded host.
sshg() {
	ssh -F /dev/null -i "$dir/key" -p "$port" -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=30 \
		-o LogLevel=ERROR root@127.0.0.1 "$@"
}
t0=$(date +%s)
while ! grep -q '^vmm-debian: up' "$log" && kill -0 "$pid" 2>/dev/null &&
      [ $(($(date +%s) - t0)) -lt 120 ]; do
	sleep 0.2
done
while :; do
	sshg 'cat /etc/debian_version; uname -m; id -u; hostname; ip -4 -o addr show eth0' \
		>"$dir/out" 2>"$dir/err" && break
	kill -0 "$pid" 2>/dev/null || break
	[ $(($(date +%s) - t0)) -lt 120 ] || break
	sleep 1
done
if grep -q '^vmm-debian: up (12\.[0-9]*, dropbear on :22)' "$log" &&
   grep -q '^vmm-boot: root on /dev/vda (rw), exec /sbin/init' "$log"; then
	ok "the guest boots from /dev/vda to its busybox init and dropbear"
else
	notok "the guest boots from /dev/vda to its busybox init and dropbear" "$log"
fi

# 3: the commands ran in the guest, their output came back
printf '%s\n' '^12\.[0-9]+$' '^aarch64$' '^0$' '^vmm-debian$' \
	'^[0-9]+: eth0 +inet 10\.0\.2\.15/24 ' >"$dir/want"
i=1 good=1
while read -r re; do
	sed -n "${i}p" "$dir/out" | grep -Eq "$re" || good=0
	i=$((i + 1))
done <"$dir/want"
if [ $good = 1 ]; then
	ok "ssh -p PORT root@127.0.0.1 runs commands in the guest"
	echo "# boot to the first ssh command's output: $(($(date +%s) - t0)) s"
else
	cat "$dir/err" >>"$dir/out"
	notok "ssh -p PORT root@127.0.0.1 runs commands in the guest" "$dir/out"
fi

# 4: a file copied in over ssh comes back intact
head -c 262144 /dev/urandom >"$dir/blob"
if sshg 'cat >/root/blob && sha256sum /root/blob' <"$dir/blob" >"$dir/sum" 2>&1 &&
   [ "$(cut -d' ' -f1 "$dir/sum")" = "$(sha256sum <"$dir/blob" | cut -d' ' -f1)" ]; then
	ok "256 KiB through ssh reach the guest's disk intact"
else
	notok "256 KiB through ssh reach the guest's disk intact" "$dir/sum"
fi

# 5: poweroff over ssh ends vmm with status 0
sshg poweroff >/dev/null 2>&1
st=
i=0
while [ $i -lt 600 ]; do
	kill -0 "$pid" 2>/dev/null || { wait "$pid"; st=$?; break; }
	sleep 0.1
	i=$((i + 1))
done
pid_left=$pid
pid=
if [ "$st" = 0 ] && grep -q 'reboot: Power down' "$log" &&
   ! grep -Eq 'Kernel panic|Internal error|Oops|Call trace|BUG:|WARNING:|vmm: (error|warning)' "$log"; then
	ok "ssh poweroff: vmm exits 0, nothing wrong on the console"
else
	kill "$pid_left" 2>/dev/null
	notok "ssh poweroff: vmm exits 0 (status ${st:-none}), nothing wrong on the console" "$log"
fi
echo "# $((n - failed)) passed, $failed failed (console: $log)"
[ $failed = 0 ]
