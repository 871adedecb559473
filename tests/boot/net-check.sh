#!/bin/sh
# The virtio-net boot test (tests/boot/net.spec) under `vmm test`: a 1 MiB
# random file served by tests/boot/net_server.c on 127.0.0.1 and on ::1,
# whose ports and sha256 the spec reads from the environment (NET_PORT,
# NET_PORT6, NET_SHA), and a free port for the spec's hostfwd=
# (NET_FWD_PORT).  TAP on stdout.
#
#   net-check.sh VMM LOGDIR SPEC SERVER
VMM=$1 LOGDIR=$2 SPEC=$3 SERVER=$4
[ -x "$VMM" ] || { echo "1..0 # skip no $VMM: make check builds it"; exit 0; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmm-net.XXXXXX") || exit 1
pid= pid6=
trap 'for p in $pid $pid6; do kill "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP

head -c 1048576 /dev/urandom >"$dir/file"
NET_SHA=$(sha256sum <"$dir/file" | cut -d' ' -f1)
"$SERVER" "$dir/file" "$dir/port" 600 &
pid=$!
NET_SERVER_ADDR=::1 "$SERVER" "$dir/file" "$dir/port6" 600 &
pid6=$!
n=0
while { [ ! -s "$dir/port" ] || [ ! -s "$dir/port6" ]; } && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
NET_PORT=$(cat "$dir/port" 2>/dev/null)
NET_PORT6=$(cat "$dir/port6" 2>/dev/null)
NET_FWD_PORT=$("$SERVER" --free-port)
[ -n "$NET_PORT" ] && [ -n "$NET_FWD_PORT" ] ||
	{ echo "1..0 # skip net_server could not listen on 127.0.0.1"; exit 0; }
[ -n "$NET_PORT6" ] || { echo "Bail out! net_server could not listen on ::1"; exit 1; }
export NET_PORT NET_PORT6 NET_SHA NET_FWD_PORT
"$VMM" test -j 1 --accel vkvm --log-dir "$LOGDIR" "$SPEC"
