#!/bin/sh
# DNS over --network mode=user (tests/boot/net-dns.spec) under `vmm test`,
# in a private network and mount namespace (unshare -n -m), so that the
# host's resolver is never touched: there /etc/resolv.conf says
# "nameserver 127.0.0.1" (a bind mount), where net_server --dns answers
# for vmm-host.test; net_server also serves a 1 MiB random file on
# 127.0.0.1.  Root only (port 53, the namespaces), else a SKIP.  TAP.
#
#   net-dns.sh VMM LOGDIR SPEC SERVER
VMM=$1 LOGDIR=$2 SPEC=$3 SERVER=$4
[ -x "$VMM" ] || { echo "1..0 # SKIP no $VMM: make check builds it"; exit 0; }
if [ "${NET_DNS_INNER:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP a resolver of its own needs root"; exit 0; }
	for t in unshare ip mount; do
		command -v $t >/dev/null ||
			{ echo "1..0 # SKIP $t not found (util-linux, iproute2)"; exit 0; }
	done
	unshare -n -m true 2>/dev/null ||
		{ echo "1..0 # SKIP unshare -n -m: cannot make the namespaces here"; exit 0; }
	NET_DNS_INNER=1 exec unshare -n -m "$0" "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vmm-net-dns.XXXXXX") || exit 1
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP

echo "nameserver 127.0.0.1" >"$dir/resolv.conf"
# the namespaces exist but this host may still refuse what follows (a
# read-only /etc, a container's limits): a SKIP that says so, not a failure
ip link set lo up 2>"$dir/err" && mount --bind "$dir/resolv.conf" /etc/resolv.conf 2>>"$dir/err" ||
	{ echo "1..0 # SKIP cannot set up lo and /etc/resolv.conf in the namespace: $(head -n 1 "$dir/err")"; exit 0; }
head -c 1048576 /dev/urandom >"$dir/file"
NET_SHA=$(sha256sum <"$dir/file" | cut -d' ' -f1)
"$SERVER" "$dir/file" "$dir/port" 600 >/dev/null &
pids="$pids $!"
"$SERVER" --dns vmm-host.test 10.0.2.2 "$dir/dns-ready" &
pids="$pids $!"
n=0
while { [ ! -s "$dir/port" ] || [ ! -e "$dir/dns-ready" ]; } && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
NET_PORT=$(cat "$dir/port" 2>/dev/null)
[ -n "$NET_PORT" ] && [ -e "$dir/dns-ready" ] ||
	{ echo "Bail out! net_server could not listen on 127.0.0.1 (HTTP, or DNS on :53)"; exit 1; }
export NET_PORT NET_SHA
"$VMM" test -j 1 --accel vkvm --log-dir "$LOGDIR" "$SPEC"
