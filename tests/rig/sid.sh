# The upstream-newest oracle for tests/rig/run-rig.sh (RIG_ORACLE=sid):
# Debian unstable's QEMU, run from a debootstrap'd sid chroot, and sid's
# arm64 cloud kernel (DESIGN §10).  Sourced by run-rig.sh, which defines
# say, skip and bail.
#
# Cached under $RIG_SID_DIR (default ${BUILD:-build}/sid), made once per
# machine and remade when older than $RIG_SID_MAX_AGE days (default 30):
#   chroot/           debootstrap --variant=minbase --include=qemu-system-arm,
#                     qemu-user sid (~3.5 min, ~900 MB; needs root)
#   apt/              a private apt configuration naming suite sid, arch arm64
#   debs/             linux-binary-unsigned-*-cloud-arm64, busybox-static
#   stamp             when the cache was last made or refreshed
# The mirror is the one the host's apt already uses for its own release, read
# at run time; the host's apt sources and dpkg state are never changed.  If a
# refresh fails (no network), the stale cache is used and the run says so.

RIG_SID_DIR=${RIG_SID_DIR:-${BUILD:-build}/sid}
RIG_SID_MAX_AGE=${RIG_SID_MAX_AGE:-30}
SID_PKGS_CHROOT=qemu-system-arm,qemu-user
SID_KERNEL_META=linux-image-cloud-arm64

# The host's Debian mirror: the URI its apt configuration uses for its own
# release (e.g. bookworm), so that sid comes from the same place.
sid_mirror() {
	local codename

	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 1
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' 2>/dev/null |
		awk -v r="$codename" '$2 == r && $3 == "deb" { print $1; exit }'
}

# Is the file older than RIG_SID_MAX_AGE days (or missing)?
sid_stale() {
	[ ! -e "$1" ] || [ -n "$(find "$1" -mtime +"$RIG_SID_MAX_AGE" 2>/dev/null)" ]
}

sid_apt() {	# apt-get or apt-cache, with the private configuration
	local tool=$1 a=$RIG_SID_DIR/apt

	shift
	"$tool" -o Dir::Etc::sourcelist="$a/sources.list" \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$a/lists" -o Dir::State::status=/dev/null \
		-o Dir::Cache="$a/cache" -o APT::Architecture=arm64 \
		-o APT::Architectures=arm64 -o APT::Sandbox::User=root "$@"
}

# debootstrap into chroot.new, then swap it in: a failed or interrupted run
# never leaves a half-made chroot where a good one was.
sid_make_chroot() {
	local mirror=$1 d=$RIG_SID_DIR log=$RIG_SID_DIR/debootstrap.log t0

	if [ "$(id -u)" -ne 0 ]; then
		sid_why="debootstrap needs root: run $0 once as root with RIG_SID_DIR=$d"
		return 1
	fi
	command -v debootstrap >/dev/null 2>&1 ||
		{ sid_why="debootstrap not found (tools/deps.sh installs it)"; return 1; }
	say "debootstrap --variant=minbase --include=$SID_PKGS_CHROOT sid (~3.5 min, ~900 MB; log: $log)"
	t0=$(date +%s)
	rm -rf "$d/chroot.new"
	if ! debootstrap --variant=minbase --include="$SID_PKGS_CHROOT" sid \
			"$d/chroot.new" "$mirror" >"$log" 2>&1; then
		rm -rf "$d/chroot.new"
		sid_why="debootstrap failed (see $log)"
		return 1
	fi
	rm -rf "$d/chroot.old"
	[ ! -d "$d/chroot" ] || mv "$d/chroot" "$d/chroot.old"
	mv "$d/chroot.new" "$d/chroot" && rm -rf "$d/chroot.old"
	say "  chroot made in $(( $(date +%s) - t0 ))s, $(du -sm "$d/chroot" | cut -f1) MB"
}

# The newest sid cloud kernel binary and busybox-static, arm64.
sid_fetch_debs() {
	local mirror=$1 a=$RIG_SID_DIR/apt dep ver kpkg log=$RIG_SID_DIR/apt.log

	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$RIG_SID_DIR/debs.new" ||
		{ sid_why="cannot create $a"; return 1; }
	echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" \
		>"$a/sources.list"
	: >"$log"
	sid_apt apt-get -q update >>"$log" 2>&1 ||
		{ sid_why="apt-get update (private sid configuration) failed (see $log)"; return 1; }
	# linux-image-cloud-arm64 -> linux-image-VER-cloud-arm64 -> linux-binary[-unsigned]-VER-cloud-arm64
	dep=$(sid_apt apt-cache depends "$SID_KERNEL_META" 2>>"$log" |
		sed -n 's/^ *Depends: linux-image-\([^ :<>]*\)-cloud-arm64$/\1/p' | head -n 1)
	[ -n "$dep" ] || { sid_why="apt-cache finds no kernel behind $SID_KERNEL_META in sid (see $log)"; return 1; }
	kpkg=linux-binary-unsigned-$dep-cloud-arm64
	sid_apt apt-cache show "$kpkg" >/dev/null 2>&1 || kpkg=linux-binary-$dep-cloud-arm64
	say "  apt-get download $kpkg busybox-static (sid, arm64)"
	(cd "$RIG_SID_DIR/debs.new" && sid_apt apt-get download "$kpkg" busybox-static) >>"$log" 2>&1 ||
		{ sid_why="apt-get download $kpkg busybox-static failed (see $log)"; return 1; }
	rm -rf "$RIG_SID_DIR/debs" && mv "$RIG_SID_DIR/debs.new" "$RIG_SID_DIR/debs"
}

sid_cached() {
	[ -x "$RIG_SID_DIR/chroot/usr/bin/qemu-system-aarch64" ] &&
		ls "$RIG_SID_DIR"/debs/linux-binary-*_arm64.deb >/dev/null 2>&1 &&
		ls "$RIG_SID_DIR"/debs/busybox-static_*_arm64.deb >/dev/null 2>&1
}

# Make or refresh the cache; sets sid_chroot, sid_kdeb, sid_bdeb.
sid_provision() {
	local d mirror why

	mkdir -p "$RIG_SID_DIR" || bail "cannot create $RIG_SID_DIR"
	RIG_SID_DIR=$(cd "$RIG_SID_DIR" && pwd)
	d=$RIG_SID_DIR
	# one provisioner at a time (two rigs, or two make invocations)
	exec 8>"$d/.lock" && flock 8
	if sid_stale "$d/stamp" || ! sid_cached; then
		mirror=$(sid_mirror)
		if [ -z "$mirror" ]; then
			why="no Debian mirror for this host's release in its apt configuration"
		else
			sid_why=
			say "making the sid oracle in $d from $mirror (remade after $RIG_SID_MAX_AGE days)"
			if sid_stale "$d/stamp" || ! [ -x "$d/chroot/usr/bin/qemu-system-aarch64" ]; then
				sid_make_chroot "$mirror"
			fi
			[ -n "$sid_why" ] || sid_fetch_debs "$mirror"
			why=$sid_why
			[ -n "$why" ] || touch "$d/stamp"
		fi
		if [ -n "$why" ]; then
			if sid_cached; then
				say "refresh failed, using the cache as it is: $why"
			else
				exec 8>&-
				skip "the sid oracle cannot be made: $why"
			fi
		fi
	fi
	exec 8>&-
	sid_chroot=$d/chroot
	sid_kdeb=$(ls "$d"/debs/linux-binary-*_arm64.deb | sort -V | tail -n 1)
	sid_bdeb=$(ls "$d"/debs/busybox-static_*_arm64.deb | sort -V | tail -n 1)
}
