#!/bin/sh
# virtio-net over --network mode=tap (tests/boot/net-tap.spec) under
# `vmm test`, in a private network namespace (unshare -n) so that the
# host's own networking is never touched: the tap vmmtap0 made there,
# 10.0.9.1/24 and fd00:9::1/64 on the host's side.  net_server serves a
# 1 MiB random file there for the guest over IPv4 and IPv6; curl fetches
# it back from the guest's httpd over both.  The tap takes TSO while the
# guest's driver has it (vmm's TUNSETOFFLOAD) and no more once vmm is
# gone, whether the guest powered off or vmm was killed (SIGTERM) with
# the driver still up: a persistent tap keeps its offloads, and a next
# reader without a vnet header would get GSO frames it cannot take.
# Then the other ways to a tap: tapif= naming one that does not exist
# (vmm, as root, creates it; it goes with vmm), no tapif= (the kernel
# names it), creating one without CAP_NET_ADMIN (refused, with the
# `ip tuntap` fix named), and the documented unprivileged use: a tap made
# for uid 65534 used by vmm running as 65534 with no capability (its
# /dev/net/tun a node of the namespace's own, mode 0666, on a tmpfs
# over /dev/net, as a distribution's is).  TAP.
# A tap needs root (CAP_NET_ADMIN) and a kernel that lets it make a
# network namespace: without them, a SKIP saying which.
#
#   net-tap.sh VMM LOGDIR SPEC SERVER
VMM=$1 LOGDIR=$2 SPEC=$3 SERVER=$4
[ -x "$VMM" ] || { echo "1..0 # SKIP no $VMM: make check builds it"; exit 0; }
if [ "${NET_TAP_INNER:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP a tap in a private namespace needs root"; exit 0; }
	for t in unshare ip curl; do
		command -v $t >/dev/null ||
			{ echo "1..0 # SKIP $t not found (util-linux, iproute2, curl)"; exit 0; }
	done
	[ -c /dev/net/tun ] || { echo "1..0 # SKIP no /dev/net/tun"; exit 0; }
	unshare -n -m true 2>/dev/null ||
		{ echo "1..0 # SKIP unshare -n -m: cannot make a network namespace here"; exit 0; }
	NET_TAP_INNER=1 exec unshare -n -m "$0" "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vmm-net-tap.XXXXXX") || exit 1
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP

ip link set lo up && ip tuntap add vmmtap0 mode tap && ip addr add 10.0.9.1/24 dev vmmtap0 &&
	ip -6 addr add fd00:9::1/64 dev vmmtap0 nodad &&
	ip link set vmmtap0 up || { echo "Bail out! cannot set up the tap vmmtap0"; exit 1; }
head -c 1048576 /dev/urandom >"$dir/file"
echo x >"$dir/x"
NET_SHA=$(sha256sum <"$dir/file" | cut -d' ' -f1)
# the file, and the tiny one whose going tells the guest to end
NET_SERVER_ADDR=10.0.9.1 "$SERVER" "$dir/file" "$dir/port" 600 >/dev/null &
pids="$pids $!"
NET_SERVER_ADDR=fd00:9::1 "$SERVER" "$dir/file" "$dir/port6" 600 >/dev/null &
pids="$pids $!"
NET_SERVER_ADDR=10.0.9.1 "$SERVER" "$dir/x" "$dir/done-port" 600 >/dev/null &
done_pid=$!
pids="$pids $!"
n=0
while { [ ! -s "$dir/port" ] || [ ! -s "$dir/port6" ] || [ ! -s "$dir/done-port" ]; } &&
	[ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
NET_PORT=$(cat "$dir/port" 2>/dev/null)
NET_PORT6=$(cat "$dir/port6" 2>/dev/null)
NET_DONE_PORT=$(cat "$dir/done-port" 2>/dev/null)
[ -n "$NET_PORT" ] && [ -n "$NET_PORT6" ] && [ -n "$NET_DONE_PORT" ] ||
	{ echo "Bail out! net_server could not listen on 10.0.9.1 and fd00:9::1"; exit 1; }
export NET_PORT NET_PORT6 NET_SHA NET_DONE_PORT

# the guest's httpd, fetched back over IPv4 once it is up, then over
# IPv6; then the done server stops
(
	n=0
	while [ $n -lt 120 ]; do
		if curl -sf --max-time 60 -o "$dir/back" http://10.0.9.2:8080/f; then
			break
		fi
		sleep 1
		n=$((n + 1))
	done
	curl -sf --max-time 60 -o "$dir/back6" "http://[fd00:9::2]:8080/f"
	"$SERVER" --tso vmmtap0 >"$dir/tso-during"
	kill "$done_pid" 2>/dev/null
) &
pids="$pids $!"
"$VMM" test -j 1 --accel vkvm --log-dir "$LOGDIR" "$SPEC"
rc=$?
"$SERVER" --tso vmmtap0 >"$dir/tso-after"
# again, vmm killed while the driver has the offloads
"$VMM" run --accel vkvm -k "$LINUX_DIR/Image" -i "$LINUX_DIR/initramfs.cpio" -m 512 \
	--network mode=tap,tapif=vmmtap0 -p 'rdinit=/init panic=-1 vmm.cmd="sleep 600"' \
	</dev/null >"$dir/kill.log" 2>&1 &
vm=$!
pids="$pids $vm"
n=0
until [ "$("$SERVER" --tso vmmtap0)" = "tso 1" ] || [ $n -ge 240 ]; do
	sleep 0.5
	n=$((n + 1))
done
"$SERVER" --tso vmmtap0 >"$dir/tso-killed-during"
kill -TERM "$vm"
wait "$vm"
"$SERVER" --tso vmmtap0 >"$dir/tso-killed"
tso=$(cat "$dir/tso-during" "$dir/tso-after" "$dir/tso-killed-during" "$dir/tso-killed" 2>/dev/null |
	tr '\n' /)
if [ "$tso" = "tso 1/tso 0/tso 1/tso 0/" ]; then
	echo "# the tap took TSO while the guest ran, and none after vmm (powered off or killed)"
else
	echo "Bail out! the tap's TSO while the guest ran, after it powered off, while the" \
		"next ran, after a SIGTERM: $tso (want 1, 0, 1, 0)"
	rc=1
fi
for f in back back6; do
	if [ -f "$dir/$f" ] && [ "$(sha256sum <"$dir/$f" | cut -d' ' -f1)" = "$NET_SHA" ]; then
		echo "# the file fetched back from the guest over the tap ($f): sha256 intact"
	else
		echo "Bail out! curl could not fetch the file back from the guest's httpd intact ($f)"
		rc=1
	fi
done

# tap_run NAME [RUNNER...] -- NETWORK: vmm with --network NETWORK under
# RUNNER for 3 s (--timeout: status 124 once set up); the taps that
# exist while it runs in $dir/NAME.taps, its stderr in $dir/NAME.err,
# its status in $dir/NAME.rc
tap_run() {
	name=$1
	shift
	runner=
	while [ "$1" != -- ]; do
		runner="$runner $1"
		shift
	done
	# shellcheck disable=SC2086 # the runner's words
	$runner "$VMM" run --accel vkvm --timeout 3 -k "$LINUX_DIR/Image" \
		-i "$LINUX_DIR/initramfs.cpio" -m 256 --network "$2" -p 'rdinit=/init' \
		</dev/null >/dev/null 2>"$dir/$name.err" &
	vm=$!
	sleep 1.5
	ip -o link show type tun | cut -d: -f2 | tr -d ' ' | sort | tr '\n' ' ' >"$dir/$name.taps"
	wait "$vm"
	echo $? >"$dir/$name.rc"
}
# check WHAT WANT GOT: one TAP comment, or a Bail out
check() {
	if [ "$2" = "$3" ]; then
		echo "# $1: $3"
	else
		echo "Bail out! $1: got '$3', want '$2'"
		rc=1
	fi
}
tap_run create -- mode=tap,tapif=vmmtap1
check "tapif=vmmtap1 made by vmm, gone after it" "124 vmmtap0 vmmtap1 /vmmtap0" \
	"$(cat "$dir/create.rc") $(cat "$dir/create.taps")/$(ip -o link show type tun | cut -d: -f2 | tr -d ' ')"
tap_run kname -- mode=tap
check "no tapif=: the kernel's name" "124 tap0 vmmtap0 " \
	"$(cat "$dir/kname.rc") $(cat "$dir/kname.taps")"
tap_run noadmin setpriv --bounding-set=-net_admin --inh-caps=-all -- mode=tap,tapif=vmmtap1
check "creating without CAP_NET_ADMIN" "1 not permitted ... ip tuntap add vmmtap1 mode tap user \$USER)" \
	"$(cat "$dir/noadmin.rc") $(sed -n 's/.*\(not permitted\).*\(ip tuntap.*\)/\1 ... \2/p' "$dir/noadmin.err")"
mount -t tmpfs -o mode=0755 none /dev/net && mknod -m 0666 /dev/net/tun c 10 200 &&
	ip tuntap add vmmtap2 mode tap user 65534 ||
	{ echo "Bail out! cannot make /dev/net/tun and vmmtap2 in the namespace"; exit 1; }
tap_run user setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all -- mode=tap,tapif=vmmtap2
check "vmmtap2 (user 65534) used by uid 65534 without capabilities" "124 " \
	"$(cat "$dir/user.rc") $(grep -v 'guest is still running' "$dir/user.err")"
tap_run other setpriv --reuid=65533 --regid=65533 --clear-groups --inh-caps=-all \
	--bounding-set=-all -- mode=tap,tapif=vmmtap2
check "vmmtap2 by another user" "1 not permitted" \
	"$(cat "$dir/other.rc") $(grep -o 'not permitted' "$dir/other.err")"
exit $rc
