#!/bin/sh
# TCP throughput through user-mode networking, both ways, under `vmm run
# --network mode=user` (libslirp) and `qemu-system-aarch64 -netdev user`
# (libslirp too, a virtio-net-device) in the same run, with the Linux boot
# guest (build/linux), which takes an address by DHCP:
#   to the guest    the guest's busybox wget -O /dev/null fetches a file of
#                   SIZE_MIB (default 32) random bytes from
#                   tests/boot/net_server.c on the host's 127.0.0.1
#                   (10.0.2.2), RUNS times (default 5); timed by the guest
#                   (busybox time, connection set-up included)
#   from the guest  the host's curl fetches SIZE_MIB from the guest's busybox
#                   httpd through a port forward (hostfwd to its :8080),
#                   RUNS times; timed by curl (time_total)
# The figures are the median runs in MB/s; with them, the guest's eth0
# frame counts (a CGI script of its httpd reads /sys/class/net/eth0/
# statistics): bytes per frame show the offloads at work (TSO: frames from
# the guest longer than the MTU).
# Usage: bench/net.sh [RUNS [SIZE_MIB]]; VMM_BASE=path runs a second vmm
# (e.g. a build without a change) in the same run as well; TRANSPORT=mmio
# (default) or pci: both VMMs' virtio transport, and QEMU's device
# (virtio-net-device or virtio-net-pci).
# NETMODE=tap (root only) measures a tap instead: the script reruns itself
# in a private network namespace (unshare -n) holding the tap vmmtap0 with
# 10.0.9.1/24 on the host's side; each VM in turn attaches to it, vmm with
# `--network mode=tap,tapif=vmmtap0`, QEMU with `-netdev tap,vnet_hdr=on`
# (both pass the virtio_net_hdr through: the host kernel's checksum and
# TSO offloads), the same MAC; the guest takes 10.0.9.2/24, the file comes
# from 10.0.9.1 and the host's curl fetches from 10.0.9.2:8080 directly.
# The last line, "net: ...", sums the run up for a note: medians with
# their spread (slowest-fastest), the ratio vmm/qemu each way, and the
# host's 1-minute load average sampled every 5 s during the run
# (min-max, mean): other work on the machine moves these figures.
set -eu
netmode=${NETMODE:-user}
case $netmode in
user) ;;
tap)
	if [ "${NET_BENCH_INNER:-}" != 1 ]; then
		[ "$(id -u)" = 0 ] || { echo "bench/net.sh: NETMODE=tap needs root" >&2; exit 1; }
		command -v unshare >/dev/null && command -v ip >/dev/null ||
			{ echo "bench/net.sh: NETMODE=tap needs unshare and ip" >&2; exit 1; }
		NET_BENCH_INNER=1 exec unshare -n "$0" "$@"
	fi
	ip link set lo up && ip tuntap add vmmtap0 mode tap &&
		ip addr add 10.0.9.1/24 dev vmmtap0 && ip link set vmmtap0 up ||
		{ echo "bench/net.sh: cannot set up the tap vmmtap0" >&2; exit 1; }
	;;
*) echo "bench/net.sh: NETMODE is user or tap, not '$netmode'" >&2; exit 1 ;;
esac
runs=${1:-5}
size=${2:-32}
transport=${TRANSPORT:-mmio}
case $transport in
mmio) qdev=virtio-net-device ;;
pci) qdev=virtio-net-pci,romfile= ;;	# no option ROM: none is needed
*) echo "bench/net.sh: TRANSPORT is mmio or pci, not '$transport'" >&2; exit 1 ;;
esac
vmm=${VMM:-build/vmm}
server=${NET_SERVER:-build/tests/net_server}
dir=${LINUX_DIR:-build/linux}
image=$dir/Image
initrd=$dir/initramfs.cpio
qemu=${QEMU:-qemu-system-aarch64}
[ -x "$vmm" ] && [ -x "$server" ] && [ -f "$image" ] && [ -f "$initrd" ] ||
	{ echo "build $vmm, $server and $dir first (make all linux $server)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/net.sh needs curl" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmm-bench-net.XXXXXX")
pid="" vm=""
loadpid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$vm" ] && kill "$vm" 2>/dev/null
      [ -n "$loadpid" ] && kill "$loadpid" 2>/dev/null; rm -rf "$tmp"' EXIT
# the host's load average during the run, every 5 s
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 5; done) >"$tmp/load" &
loadpid=$!
head -c $((size * 1048576)) /dev/urandom >"$tmp/file"
if [ "$netmode" = tap ]; then
	NET_SERVER_ADDR=10.0.9.1 "$server" "$tmp/file" "$tmp/port" 3600 &
	host_ip=10.0.9.1
else
	"$server" "$tmp/file" "$tmp/port" 3600 &
	host_ip=10.0.2.2
fi
pid=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
port=$(cat "$tmp/port")

st=/sys/class/net/eth0/statistics
if [ "$netmode" = tap ]; then
	cmd="ip link set eth0 up; ip addr add 10.0.9.2/24 dev eth0"
	cmd="$cmd; n=0; until ping -c 1 -W 1 10.0.9.1 >/dev/null || [ \$n -ge 30 ]; do n=\$((n + 1)); done"
else
	cmd="ip link set eth0 up; udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null || exit 1"
fi
i=0
while [ "$i" -lt "$runs" ]; do
	cmd="$cmd; time wget -q -O /dev/null http://$host_ip:$port/f"
	i=$((i + 1))
done
cmd="$cmd; mkdir -p /www/cgi-bin; head -c $((size * 1048576)) /dev/urandom >/www/f"
cmd="$cmd; printf '%s\\n' '#!/bin/sh' 'echo Content-Type: text/plain' echo 'cat $st/rx_packets $st/rx_bytes $st/tx_packets $st/tx_bytes' 'grep Tcp: /proc/net/snmp | tail -n 1 | cut -d\\  -f13' >/www/cgi-bin/s"
cmd="$cmd; chmod 755 /www/cgi-bin/s; httpd -p 8080 -h /www; echo bench-ready; sleep 3600"
params="rdinit=/init panic=-1 vmm.cmd=\"$cmd\""

# eth0's rx_packets rx_bytes tx_packets tx_bytes, through the guest's httpd
# at URL
stats() {
	curl -s --max-time 60 "$1/cgi-bin/s" | tr '\n' ' '
}

# one_vm NAME URL COMMAND...: boot, the guest's fetches, the host's
# fetches from the guest's httpd at URL (through the forward, or the
# tap), the counters; NAME.log, NAME.up, NAME.stats
one_vm() {
	name=$1 url=$2
	shift 2
	"$@" </dev/null >"$tmp/$name.log" 2>&1 &
	vm=$!
	n=0
	while ! grep -qs '^bench-ready' "$tmp/$name.log"; do
		kill -0 "$vm" 2>/dev/null && [ $n -lt 1200 ] ||
			{ cp "$tmp/$name.log" "/tmp/bench-net-$name.log";
			  echo "$name: not ready (see /tmp/bench-net-$name.log)" >&2; exit 1; }
		sleep 0.5
		n=$((n + 1))
	done
	s0=$(stats "$url")
	: >"$tmp/$name.up"
	i=0
	while [ "$i" -lt "$runs" ]; do
		curl -s --max-time 600 -o "$tmp/got" -w '%{time_total} %{size_download}\n' \
			"$url/f" >>"$tmp/$name.up"
		i=$((i + 1))
	done
	s1=$(stats "$url")
	echo "$s0 $s1" >"$tmp/$name.stats"
	kill "$vm" 2>/dev/null
	wait "$vm" 2>/dev/null || true
	vm=
}

# the median of a list of MB/s (an empty or short list: 0)
median() {
	echo "$1" | awk -v runs="$runs" '{ if (NF != runs) { print 0; exit }
		print (NF % 2) ? $((NF + 1) / 2) : ($(NF / 2) + $(NF / 2 + 1)) / 2 }'
}
# busybox time's "real\t0m 1.23s" lines: MB/s, sorted
down_rates() {
	tr -d '\r' <"$1" | awk -v mib="$size" '
		/^real/ { t = $2; sub(/m.*/, "", t); s = $3; sub(/s$/, "", s);
			  sec = t * 60 + s; if (sec > 0) r[++n] = mib * 1.048576 / sec }
		END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (r[j] < r[i]) { x = r[i]; r[i] = r[j]; r[j] = x }
		      for (i = 1; i <= n; i++) printf "%.2f ", r[i]; print "" }'
}
# curl's "time_total size" lines (whole files only): MB/s, sorted
up_rates() {
	awk -v want=$((size * 1048576)) '$2 == want && $1 > 0 { r[++n] = $2 / 1e6 / $1 }
		END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (r[j] < r[i]) { x = r[i]; r[i] = r[j]; r[j] = x }
		      for (i = 1; i <= n; i++) printf "%.2f ", r[i]; print "" }' "$1"
}
report() {
	name=$1
	d=$(down_rates "$tmp/$name.log")
	u=$(up_rates "$tmp/$name.up")
	# shellcheck disable=SC2046 # ten numbers, one word each
	set -- $(cat "$tmp/$name.stats")
	[ $# -eq 10 ] || { echo "$name: no frame counters" >&2; set -- 0 0 0 0 0 0 0 0 0 0; }
	printf '%-9s to the guest: %6.2f MB/s (sorted: %s), %d frames, %d bytes/frame\n' \
		"$name" "$(median "$d")" "${d% }" "$1" "$(($2 / ($1 > 0 ? $1 : 1)))"
	printf '%-9s from the guest: %6.2f MB/s (sorted: %s), %d frames, %d bytes/frame, %d retransmitted, %d frames back\n' \
		"$name" "$(median "$u")" "${u% }" "$(($8 - $3))" "$((($9 - $4) / ($8 - $3 > 0 ? $8 - $3 : 1)))" \
		"$((${10} - $5))" "$(($6 - $1))"
	[ "$(median "$d")" != 0 ] && [ "$(median "$u")" != 0 ] ||
		{ cp "$tmp/$name.log" "/tmp/bench-net-$name.log"; echo "$name: runs missing (see /tmp/bench-net-$name.log)" >&2; exit 1; }
}

# each VM's --network and -netdev, and where its httpd answers: vmnet,
# qnet, url
vm_net() {
	if [ "$netmode" = tap ]; then
		url=http://10.0.9.2:8080
		vmnet=mode=tap,tapif=vmmtap0
		qnet=tap,id=n0,ifname=vmmtap0,script=no,downscript=no,vnet_hdr=on
	else
		fwd=$("$server" --free-port)
		url=http://127.0.0.1:$fwd
		vmnet=mode=user,hostfwd=tcp:127.0.0.1:$fwd-:8080
		qnet=user,id=n0,hostfwd=tcp:127.0.0.1:$fwd-:8080
	fi
}

vm_net
one_vm vmm "$url" "$vmm" run --kernel "$image" --initrd "$initrd" -m 512 -c 1 \
	--virtio-transport "$transport" --network "$vmnet" --params "$params"
if [ -n "${VMM_BASE:-}" ]; then
	vm_net
	one_vm vmm-base "$url" "$VMM_BASE" run --kernel "$image" --initrd "$initrd" -m 512 -c 1 \
		--virtio-transport "$transport" --network "$vmnet" --params "$params"
fi
vm_net
one_vm qemu "$url" "$qemu" -M virt -cpu cortex-a72 -m 512 -smp 1 -nographic -no-reboot \
	-netdev "$qnet" -device "$qdev,netdev=n0,mac=02:15:15:15:15:15" \
	-kernel "$image" -initrd "$initrd" -append "console=ttyAMA0 $params"

if [ "$netmode" = tap ]; then
	backend="both a tap with its vnet header"
else
	backend="both libslirp"
fi
echo "$runs x $size MiB each way, medians; vmm: vkvm, qemu: TCG cortex-a72, $backend, virtio-$transport"
report vmm
[ -z "${VMM_BASE:-}" ] || report vmm-base
report qemu

# "MEDIAN (LO-HI)" of a sorted list
spread() {
	echo "$1" | awk '{ m = (NF % 2) ? $((NF + 1) / 2) : ($(NF / 2) + $(NF / 2 + 1)) / 2
		printf "%.1f (%.1f-%.1f)", m, $1, $NF }'
}
ratio() {
	awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'
}
kill "$loadpid" 2>/dev/null || true
loadpid=
load=$(awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	END { printf "%.1f-%.1f, mean %.1f", lo, hi, NR ? s / NR : 0 }' "$tmp/load")
vd=$(down_rates "$tmp/vmm.log") vu=$(up_rates "$tmp/vmm.up")
qd=$(down_rates "$tmp/qemu.log") qu=$(up_rates "$tmp/qemu.up")
echo "net: $(date -u +%Y-%m-%d) $netmode virtio-$transport $runs x $size MiB, MB/s median (min-max):" \
	"to the guest vmm $(spread "$vd") qemu $(spread "$qd") = $(ratio "$vd" "$qd");" \
	"from the guest vmm $(spread "$vu") qemu $(spread "$qu") = $(ratio "$vu" "$qu");" \
	${VMM_BASE:+"vmm-base to $(spread "$(down_rates "$tmp/vmm-base.log")")" \
		"from $(spread "$(up_rates "$tmp/vmm-base.up")");"} "load $load"
