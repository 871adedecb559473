#!/bin/bash
# Compare vkvm's abi_dump record with a real KVM's, key by key (TAP).
#
#   tests/kvmclient/compare-dump.sh VKVM-RECORD KVM-RECORD DOC SECTION
#
# A record is abi_dump's output: "# key = value" lines.  Every key whose
# values differ (or that one side lacks) must match a row of the table in
# the DOC section whose heading starts with SECTION, rows of the form
#   | `glob` | why |
# (shell globs over the keys; capability numbers are shown as
# cap.KVM_CAP_NAME, the names read from include/uapi/linux/kvm.h).  An
# undocumented difference is "not ok"; so is a row that no longer matches
# any difference, so that the table stays the exact list.
set -u

[ $# -eq 4 ] || { echo "Bail out! usage: $0 VKVM-RECORD KVM-RECORD DOC SECTION"; exit 1; }
vkvm=$1 kvm=$2 doc=$3 section=$4
here=$(cd "$(dirname "$0")" && pwd)
header=$here/../../include/uapi/linux/kvm.h

for f in "$vkvm" "$kvm" "$doc"; do
	[ -r "$f" ] || { echo "Bail out! cannot read $f"; exit 1; }
done
grep -q '^ok 1 - .* keys recorded' "$kvm" ||
	{ echo "Bail out! $kvm is not a complete abi_dump record"; exit 1; }

# key<TAB>value, capability numbers named
records() {
	sed -n 's/^# \([^ ]*\) = \(.*\)$/\1\t\2/p' "$1" |
	awk -F'\t' -v OFS='\t' -v hdr="$header" '
	BEGIN {
		while ((getline l < hdr) > 0)
			if (l ~ /^#define KVM_CAP_[A-Z0-9_]+[ \t]+[0-9]+/) {
				split(l, w, /[ \t]+/)
				if (!(w[3] in name))
					name[w[3]] = w[2]
			}
	}
	{
		# a key recorded again (a second exit of one scenario) gets #2, #3...
		if (++seen[$1] > 1)
			$1 = $1 "#" seen[$1]
		n = split($1, k, ".")
		if (n == 3 && k[2] == "cap" && (k[3] in name))
			$1 = k[1] ".cap." name[k[3]]
		print
	}'
}

# The documented globs: backquoted first cells of the section's table rows.
globs=$(awk -v s="$section" '
	/^## / { on = index($0, "## " s) == 1; next }
	on && /^\| `/ { split($0, c, "`"); print c[2] }' "$doc")
[ -n "$globs" ] || { echo "Bail out! no table of differences under \"## $section\" in $doc"; exit 1; }

diffs=$(join -t $'\t' -a 1 -a 2 -e '(none)' -o 0,1.2,2.2 \
	<(records "$vkvm" | sort -t $'\t' -k1,1) <(records "$kvm" | sort -t $'\t' -k1,1) |
	awk -F'\t' '$2 != $3')
same=$(join -t $'\t' <(records "$vkvm" | sort -t $'\t' -k1,1) \
	<(records "$kvm" | sort -t $'\t' -k1,1) | awk -F'\t' '$2 == $3' | wc -l)

n=0 failed=0 documented=0
declare -A used
while IFS=$'\t' read -r key a b; do
	[ -n "$key" ] || continue
	hit=
	while read -r g; do
		# shellcheck disable=SC2053
		if [[ $key == $g ]]; then
			hit=$g
			used[$g]=1
			break
		fi
	done <<<"$globs"
	if [ -n "$hit" ]; then
		documented=$((documented + 1))
		continue
	fi
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $key: vkvm $a, KVM $b (not in \"$section\" of $doc)"
done <<<"$diffs"
while read -r g; do
	if [ -z "${used[$g]:-}" ]; then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - \`$g\` is documented as a difference but none is left"
	fi
done <<<"$globs"
n=$((n + 1))
echo "ok $n - $same keys identical, $documented differences all documented in \"$section\""
echo "1..$n"
[ "$failed" -eq 0 ]
