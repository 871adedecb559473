# TAP for the shell tests of tests/robust/ (sourced): ok STATUS TEXT, then
# tap_done at the end (the plan, and the exit status).
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
tap_done() {
	echo "1..$n"
	exit $fail
}
