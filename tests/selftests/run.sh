#!/bin/bash
# Build and run one set of Linux's KVM selftests against vkvm (make
# selftests; tests/selftests/selftests.mk says how they are linked).
#
#   tests/selftests/run.sh VERSION      VERSION: 6.12 (bookworm's
#                                       linux-source-6.12) or 7 (sid's newest
#                                       linux-source-7.*)
# Environment: ST_DIR (the cache and output folder), ST_WRAPPED (the calls
# the shim wraps), RIG_SID_DIR (tests/rig/sid.sh's cache: its private apt
# configuration reaches sid), ST_TIMEOUT (per test, default 300 s: qemu-user
# runs vkvm's interpreter, itself emulated), ST_ONLY (test names, space
# separated, to run a subset), QEMU_AARCH64 (default qemu-aarch64).
#
# tests/selftests/args gives some tests smaller sizes than their defaults.
# Prints one row per test (PASS, FAIL, SKIP with kselftest's reason, TIMEOUT)
# and last "N passed, N failed, N skipped"; logs in ST_DIR/logs-VERSION/.
# Exit status 0 whatever the tests did, 2 when the set could not be built.
set -u
ver=${1:?usage: tests/selftests/run.sh 6.12|7}
st=${ST_DIR:-build/selftests}
wrapped=${ST_WRAPPED:-open open64 openat ioctl mmap mmap64 close read write pread pread64 pwrite pwrite64 ftruncate ftruncate64 fallocate fallocate64 madvise}
tmo=${ST_TIMEOUT:-300}
qemu=${QEMU_AARCH64:-qemu-aarch64}
# the tests are dynamic aarch64 programs: Debian's cross libc is their root
sysroot=${ST_SYSROOT:-/usr/aarch64-linux-gnu}
argsfile=$(cd "$(dirname "$0")" && pwd)/args
mkdir -p "$st/debs"
st=$(cd "$st" && pwd)

say() { echo "selftests: $*" >&2; }
bail() { say "$*"; exit 2; }

# ---- the source package ----------------------------------------------------
case $ver in
6.12)
	pkg=linux-source-6.12
	deb=$(ls "$st"/debs/${pkg}_*_all.deb 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		say "apt-get download $pkg (~150 MB, once)"
		(cd "$st/debs" && apt-get download "$pkg") >"$st/debs/apt.log" 2>&1 ||
			bail "apt-get download $pkg failed (see $st/debs/apt.log)"
		deb=$(ls "$st"/debs/${pkg}_*_all.deb | sort -V | tail -n 1)
	fi
	;;
7)
	deb=$(ls "$st"/debs/linux-source-7.*_all.deb 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		RIG_SID_DIR=${RIG_SID_DIR:-build/sid}
		[ -d "$RIG_SID_DIR/apt" ] ||
			bail "no sid apt configuration in $RIG_SID_DIR/apt (make rig-check-sid makes it)"
		RIG_SID_DIR=$(cd "$RIG_SID_DIR" && pwd)
		# sid_apt and the mirror lookup, without the rest of the rig
		say() { echo "selftests: $*" >&2; }
		skip() { bail "$*"; }
		# shellcheck source=../rig/sid.sh
		. "$(dirname "$0")/../rig/sid.sh"
		pkg=$(sid_apt apt-cache search --names-only '^linux-source-7\.[0-9]+$' 2>/dev/null |
			awk '{print $1}' | sort -V | tail -n 1)
		if [ -z "$pkg" ]; then
			say "refreshing sid's package lists"
			sid_apt apt-get update >"$st/debs/apt.log" 2>&1 ||
				bail "apt-get update (sid) failed (see $st/debs/apt.log)"
			pkg=$(sid_apt apt-cache search --names-only '^linux-source-7\.[0-9]+$' |
				awk '{print $1}' | sort -V | tail -n 1)
		fi
		[ -n "$pkg" ] || bail "sid has no linux-source-7.*"
		say "apt-get download $pkg (sid, once)"
		(cd "$st/debs" && sid_apt apt-get download "$pkg") >>"$st/debs/apt.log" 2>&1 ||
			bail "apt-get download $pkg failed (see $st/debs/apt.log)"
		deb=$(ls "$st"/debs/linux-source-7.*_all.deb | sort -V | tail -n 1)
	fi
	;;
*) bail "unknown set $ver (6.12 or 7)" ;;
esac
[ -f "$deb" ] || bail "no source package for $ver"
name=$(basename "$deb" _all.deb)

# ---- the tree: extracted once per package, headers made ------------------
src="$st/src-$ver"
if [ "$(cat "$src/.from" 2>/dev/null)" != "$name" ]; then
	say "extracting $name"
	rm -rf "$src" "$src.new" && mkdir -p "$src.new"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './usr/src/linux-source-*.tar.*' |
		tar -x -J -C "$src.new" --strip-components=1 || bail "cannot extract $deb"
	# the uapi headers, as headers_install makes them (without its rsync)
	make -C "$src.new" ARCH=arm64 headers >"$src.new/headers.log" 2>&1 ||
		bail "make headers failed (see $src.new/headers.log)"
	echo "$name" >"$src.new/.from"
	mv "$src.new" "$src"
fi

# ---- build: aarch64, linked with vkvm through the shim ------------------
out="$st/out-$ver"
mkdir -p "$out"
wraps=$(for s in $wrapped; do printf -- '-Wl,--wrap=%s ' "$s"; done)
say "building $name's tools/testing/selftests/kvm (log: $out/build.log)"
make -C "$src/tools/testing/selftests/kvm" -j2 -k ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- OUTPUT="$out" \
	LDFLAGS="-pthread -no-pie $wraps" \
	LDLIBS="$st/shim-a64.o -L$st -lvkvm-a64 -ldl -lm" >"$out/build.log" 2>&1 ||
	say "some tests did not build (see $out/build.log)"

# ---- run -------------------------------------------------------------------
progs=$(make -s -C "$src/tools/testing/selftests/kvm" ARCH=arm64 OUTPUT="$out" \
	CROSS_COMPILE=aarch64-linux-gnu- -f Makefile -f - print-progs 2>/dev/null <<'MK'
print-progs:
	@echo $(TEST_GEN_PROGS)
MK
)
[ -n "$progs" ] || bail "cannot list the set's tests"
logs="$st/logs-$ver"
mkdir -p "$logs"
passed=0 failed=0 skipped=0
printf '%-40s %-7s %s\n' "test ($name)" result note
for p in $progs; do
	t=${p#"$out"/}
	if [ -n "${ST_ONLY:-}" ] && ! grep -qw -- "$t" <<<"$ST_ONLY"; then
		continue
	fi
	log="$logs/${t//\//_}.log"
	if [ ! -x "$p" ]; then
		printf '%-40s %-7s %s\n' "$t" FAIL "did not build"
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086  # the args file's words
	(cd "$out" && LD_LIBRARY_PATH=$st timeout -k 5 "$tmo" "$qemu" -L "$sysroot" "$p" \
		$(awk -v t="$t" '$1 == t { $1 = ""; print }' "$argsfile")) </dev/null >"$log" 2>&1
	rc=$?
	case $rc in
	0) res=PASS; passed=$((passed + 1)); note="" ;;
	4) res=SKIP; skipped=$((skipped + 1))
	   note=$(grep -a -m1 -i 'skip\|not supported\|requires' "$log" | cut -c1-90) ;;
	124|137) res=TIMEOUT; failed=$((failed + 1)); note="after ${tmo}s" ;;
	*) res=FAIL; failed=$((failed + 1))
	   # the assertion (file:line: condition) and its errno, else a hint
	   note=$(awk '/Test Assertion Failure/ { getline a; getline e
			sub(/^ +/, "", a); sub(/.*errno=/, "errno=", e)
			print a " (" e ")"; exit }' "$log" | cut -c1-110)
	   [ -n "$note" ] || note=$(grep -a -m1 -E 'Assertion|FAIL|not ok|error|Illegal|Segmentation' \
			"$log" | cut -c1-110) ;;
	esac
	printf '%-40s %-7s %s\n' "$t" "$res" "$note"
done
echo "$passed passed, $failed failed, $skipped skipped"
