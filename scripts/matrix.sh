#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# matrix.sh LANE...: for each lane of tests/lanes, build sched.ko with W=1
# for its kernel and run tests/sched_test.sh inside that kernel in a VM
# (scripts/vm-test.sh). Prints one summary table and a final
# "N passed, N failed" line; exits non-zero if any lane fails (a test, a
# build warning, the VM, or a lane that cannot be resolved). A lane the
# archive cannot serve now is SKIP, with the reason, and fails nothing.
# Logs are kept in out/LANE/ (kernel.log, build.log, console.log), the
# table in out/matrix.txt.
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

total_pass=0
total_fail=0
rows=
notes=

# row LANE RELEASE WARNINGS PASSED FAILED SECONDS
row() {
	rows="$rows$(printf '%-10s %-26s %8s %6s %6s %8s' "$@")
"
}

# run_lane LANE: test it and add its row; sets pass and fail.
run_lane() {
	dir=$SRC/out/$1
	pass=0
	fail=1
	mkdir -p "$dir"
	rc=0
	kernel=$("$SRC/scripts/kernel.sh" "$1" 2>"$dir/kernel.log") || rc=$?
	if [ "$rc" != 0 ]; then
		cat "$dir/kernel.log" >&2
		[ "$rc" != 4 ] || fail=0
		row "$1" "$([ "$rc" = 4 ] && echo SKIP || echo FAIL)" - - - -
		notes="$notes$(tail -n 1 "$dir/kernel.log" | sed 's/^kernel.sh: //')
"
		return
	fi
	rel=$(cat "$kernel/release")
	log "$1: $rel"
	t0=$(date +%s)
	rc=0
	"$SRC/scripts/vm-test.sh" "$kernel" "$dir" "/tests/sched_test.sh /sched.ko" || rc=$?
	secs=$(($(date +%s) - t0))
	if [ "$rc" = 3 ]; then
		row "$1" "$rel" error - - "$secs"
		return
	fi
	warnings=$(cat "$dir/warnings")
	v=$(verdict "$dir" "$rc")
	pass=${v% *}
	fail=${v#* }
	row "$1" "$rel" "$warnings" "$pass" "$fail" "$secs"
}

# shellcheck disable=SC2046 # one lane name a word
[ $# -ge 1 ] || set -- $(lanes)
for l in "$@"; do
	run_lane "$l"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

# The table, also into out/matrix.txt under the command and when it ran: the
# releases and figures docs/ points to.
table() {
	printf '%-10s %-26s %8s %6s %6s %8s\n' lane release warnings passed failed seconds
	printf '%s' "$rows"
	printf '%s' "$notes" | sed 's/^/# /'
	echo "$total_pass passed, $total_fail failed"
}
echo
table
{
	stamp "scripts/matrix.sh $*"
	table
} >"$SRC/out/matrix.txt"
[ "$total_fail" = 0 ]
