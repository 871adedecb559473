# Sourced by the TAP scripts that compare a vkvm guest with the same
# program under $QEMU (tests/acle/acle.sh, tests/svediff/sve-loops.sh):
# the whole test is a SKIP without $QEMU; $tmp is a scratch directory
# removed on exit; ok/notok print numbered TAP points, counting failures
# in $fails.
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "1..0 # SKIP $QEMU not found"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
