#!/bin/bash
# Run kvm-unit-tests' arm64 groups through vmm the way kvm-unit-tests'
# kvmtool runner drives lkvm, on any host (its own runner insists on an
# arm64 host with /dev/kvm).
#
#   tools/kut-run.sh KUT_DIR [GROUP...]
#
# KUT_DIR: a kvm-unit-tests tree built with
#   ./configure --arch=arm64 --cross-prefix=aarch64-linux-gnu- --target=kvmtool
#   make
# (fetch it yourself; nothing of it belongs in this repository).  GROUP
# limits the run to the named tests or groups of arm/unittests.cfg.
# VMM (default build/vmm) and VMM_ARGS (extra options, e.g. --accel kvm)
# choose the VMM.  Prints one line per test and, last,
# "N passed, N failed, N skipped".
#
# For each test, as the runner does: the command line is (VMM through a
# link named lkvm)
#   timeout -k 1s --foreground T VMM run --nodefaults --network mode=none
#     --loglevel=warning --kernel FILE [--cpus N] [--params ARGS] [PARAMS]
# with PARAMS the test's kvmtool_params; first with a kernel that does not
# exist, and the test is skipped with the VMM's message unless that says
# "Fatal: Unable to open kernel _NO_FILE_4Uhere_" (the VMM refused an
# option).  A test ends with "EXIT: STATUS=S": as the runner reads it, 1
# passes, 77 skips, anything else fails; so do a timeout and a VMM that
# exits without the line.  MAX_SMP (default: the host's CPUs) is what the
# tests' smp expressions see, as in the runner.
set -u

kut=${1:?usage: tools/kut-run.sh KUT_DIR [GROUP...]}
shift
vmm=${VMM:-build/vmm}
cfg="$kut/arm/unittests.cfg"
[ -f "$cfg" ] || { echo "kut-run: no $cfg (build kvm-unit-tests for arm64 first)" >&2; exit 2; }
[ -x "$vmm" ] || { echo "kut-run: no VMM at $vmm (make, or set VMM)" >&2; exit 2; }
logdir=${LOGDIR:-build/kut-logs}
mkdir -p "$logdir"
# the runner runs lkvm: invoked under that name vmm takes kvmtool's defaults
# (an access no device claims is ignored, as kvm__emulate_mmio does)
ln -sf "$(readlink -f "$vmm")" "$logdir/lkvm"
vmm="$logdir/lkvm"
TARGET=kvmtool
ARCH=arm64
MAX_SMP=${MAX_SMP:-$(getconf _NPROCESSORS_ONLN)}
export TARGET ARCH MAX_SMP

passed=0 failed=0 skipped=0

wanted() {
	local name=$1 groups=$2 w
	[ ${#only[@]} -eq 0 ] && return 0
	for w in "${only[@]}"; do
		[ "$w" = "$name" ] && return 0
		case " $groups " in *" $w "*) return 0 ;; esac
	done
	return 1
}

result() {
	printf '%-4s  %-32s %s\n' "$1" "$2" "$3"
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

run_one() {
	local name=$1 file=$2 smp=$3 args=$4 params=$5 groups=$6 arch=$7 \
	      disabled=$8 tmo=$9 log cmd status code out
	log="$logdir/$name.log"
	if [ -n "$arch" ] && [ "$arch" != arm64 ]; then
		result SKIP "$name" "$arch only"
		return
	fi
	if [ -n "$disabled" ] && (eval "$disabled"); then
		result SKIP "$name" "disabled for kvmtool: $disabled"
		return
	fi
	if [ ! -f "$kut/arm/$file" ]; then
		result SKIP "$name" "arm/$file not built"
		return
	fi
	cmd="timeout -k 1s --foreground ${tmo:-90s} $vmm run --nodefaults --network mode=none"
	cmd+=" --loglevel=warning ${VMM_ARGS:-} --kernel"
	local rest=""
	[ -n "$smp" ] && rest+=" --cpus $smp"
	[ -n "$args" ] && rest+=" --params $args"
	[ -n "$params" ] && rest+=" $params"
	out=$(eval "$cmd _NO_FILE_4Uhere_ $rest" 2>&1)
	if ! grep -q 'Fatal: Unable to open kernel _NO_FILE_4Uhere_' <<<"$out"; then
		result SKIP "$name" "$(tail -1 <<<"$out")"
		return
	fi
	echo "$cmd $kut/arm/$file $rest" >"$log"
	eval "$cmd $kut/arm/$file $rest" </dev/null >>"$log" 2>&1
	status=$?
	code=$(grep -a '^EXIT: STATUS=' "$log" | head -1 | sed 's/.*STATUS=\([0-9]*\).*/\1/')
	if [ "$status" -eq 124 ]; then
		result FAIL "$name" "timeout (${tmo:-90s}); log: $log"
	elif [ -z "$code" ]; then
		result FAIL "$name" "vmm exited $status without EXIT: STATUS; log: $log"
	elif [ "$code" -eq 1 ]; then
		result PASS "$name" "$(grep -a '^SUMMARY:' "$log" | tail -1)"
	elif [ "$code" -eq 77 ]; then
		result SKIP "$name" "$(grep -a '^SUMMARY:\|^SKIP' "$log" | tail -1)"
	else
		result FAIL "$name" "$(grep -a '^SUMMARY:\|^FAIL' "$log" | tail -1); log: $log"
	fi
}

only=("$@")
name="" file="" smp="" args="" params="" groups="" arch="" disabled="" tmo=""
flush() {
	[ -n "$name" ] && wanted "$name" "$groups" &&
		run_one "$name" "$file" "$smp" "$args" "$params" "$groups" "$arch" "$disabled" "$tmo"
	name="" file="" smp="" args="" params="" groups="" arch="" disabled="" tmo=""
}
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'* | '') continue ;;
	'['*']') flush; name=${line#[}; name=${name%]} ;;
	file\ =*) file=${line#*= } ;;
	smp\ =*) smp=${line#*= } ;;
	test_args\ =*) args=${line#*= } ;;
	kvmtool_params\ =*) params=${line#*= } ;;
	groups\ =*) groups=${line#*= } ;;
	arch\ =*) arch=${line#*= } ;;
	disabled_if\ =*) disabled=${line#*= } ;;
	timeout\ =*) tmo=${line#*= } ;;
	esac
done <"$cfg"
flush
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
