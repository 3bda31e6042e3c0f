#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# matrix.sh LANE...: for each Debian kernel lane, build sched.ko with W=1
# against its headers and run tests/sched_test.sh inside that kernel in a VM.
# Prints one summary table and a final "N passed, N failed" line; exits
# non-zero if any lane fails (a test, a build warning, or the VM itself).
# Logs are kept in out/LANE/ (build.log, console.log).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/out
total_pass=0
total_fail=0
rows=

# Sets rel, warnings, pass, fail and secs for lane $1.
run_lane() {
	lane=$1
	dir=$out/$lane
	rel=-
	warnings=-
	pass=0
	fail=1
	secs=-
	kernel=$("$src/scripts/fetch-kernel.sh" "$lane") || return 0
	rel=$(cat "$kernel/release")
	echo "== $lane: $rel" >&2
	kdir=$kernel/build
	[ "$lane" != sid ] || kdir=sid
	warnings=$("$src/scripts/build.sh" "$kdir" "$dir") || { warnings=error; return 0; }
	mkdir -p "$dir/vm/tests"
	cp "$dir/sched.ko" "$dir/vm/"
	cp "$src"/tests/*.sh "$dir/vm/tests/"
	t0=$(date +%s)
	rc=0
	SCHED_VM_LOG=$dir/console.log "$src/scripts/vm-run.sh" "$kernel/vmlinuz" \
		"$dir/vm" "/tests/sched_test.sh /sched.ko" || rc=$?
	secs=$(($(date +%s) - t0))
	counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
		"$dir/console.log" | tail -n 1)
	# A VM that failed without a count still fails the lane.
	[ -n "$counts" ] || return 0
	pass=${counts% *}
	fail=${counts#* }
	[ "$rc" = 0 ] || [ "$fail" != 0 ] || fail=1
	[ "$warnings" = 0 ] || fail=$((fail + 1))
}

for lane in "$@"; do
	run_lane "$lane"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	rows="$rows$(printf '%-8s %-24s %8s %6s %6s %8s' "$lane" "$rel" "$warnings" \
		"$pass" "$fail" "$secs")
"
done

echo
printf '%-8s %-24s %8s %6s %6s %8s\n' lane release warnings passed failed seconds
printf '%s' "$rows"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
