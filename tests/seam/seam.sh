#!/bin/bash
# The seam rule of DESIGN §3 as a test: nothing in vmm/, devices/ or fdt/
# reaches a header of kernel/ (vmm talks to vkvm through include/vkvm.h and
# include/uapi/ only), and nothing in kernel/ reaches a header of the VMM.
# The compiler says what each file includes (-MM, transitively, whatever
# the spelling), so a path through another header is caught too.  Last, the
# check is run on a planted include to show that it can fail.
#
# usage: seam.sh ROOT CC CPPFLAGS...   (TAP on stdout)
set -u
root=$(cd "$1" && pwd)
cc=$2
shift 2
cppflags=("$@")
# ok STATUS TEXT, tap_done
. "$root/tests/robust/tap.sh"

# reaches DIRS -- FILES: "FILE HEADER" for each header under ROOT/DIRS that
# a FILE includes, directly or not (one compiler run for all the files)
reaches() {
	local dirs=() pat
	while [ "$1" != "--" ]; do dirs+=("$1"); shift; done
	shift
	pat=$(printf '%s/|' "${dirs[@]}")
	# -MM: no system headers; -MG: a missing header is named, not an error;
	# each rule's first prerequisite is the file itself
	(cd "$root" && "$cc" "${cppflags[@]}" -MM -MG -x c "$@" 2>/dev/null) |
		sed 's/\\$//' | tr -s ' \t' '\n' | sed '/^$/d' |
		awk -v root="$root" -v pat="^(${pat%|})" '
		# a path as the compiler spells it (vmm/../devices/x.h), from ROOT
		function norm(p,    a, o, n, i, k, out) {
			if (index(p, root "/") == 1)
				p = substr(p, length(root) + 2)
			n = split(p, a, "/")
			for (i = 1; i <= n; i++) {
				if (a[i] == "." || a[i] == "")
					continue
				if (a[i] == ".." && k > 0 && o[k] != "..")
					k--
				else
					o[++k] = a[i]
			}
			for (i = 1; i <= k; i++)
				out = out (i > 1 ? "/" : "") o[i]
			return out
		}
		/:$/ { first = 1; next }
		first { src = $0; first = 0; next }
		norm($0) ~ pat { print src, norm($0) }' | sort -u
}

# check WHAT DIRS -- FILES: one TAP line; every file that reaches DIRS named
check() {
	local what=$1 hits
	shift
	hits=$(reaches "$@")
	[ -z "$hits" ] || echo "$hits" | sed 's/^/# /; s/ / includes /2'
	ok "$([ -z "$hits" ]; echo $?)" "$what"
}

cd "$root" || exit 1
for d in vmm devices fdt; do
	check "$d/ reaches no header of kernel/ (only include/vkvm.h, include/uapi/)" \
		kernel -- $(find $d -name '*.[ch]' | sort)
done
check "kernel/ reaches no header of vmm/, devices/ or fdt/" \
	vmm devices fdt -- $(find kernel -name '*.[ch]' | sort)

# the check itself fails on a planted include (here through a relative
# path and through -I, as a careless #include would spell it)
plant=$(mktemp -d)
trap 'rm -rf "$plant"' EXIT
mkdir -p "$plant/vmm"
printf '#include "%s/kernel/kvm_host.h"\nint x;\n' "$root" >"$plant/vmm/planted.c"
hits=$(reaches kernel -- "$plant/vmm/planted.c")
case $hits in *kernel/kvm_host.h*) r=0 ;; *) r=1 ;; esac
ok $r "a planted #include of kernel/kvm_host.h is caught"

tap_done
