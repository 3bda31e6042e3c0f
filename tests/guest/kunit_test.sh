#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the KUnit suite of tests/kunit/sched_kunit.c and reports each of its cases
# as KTAP. Needs a kernel with KUnit and its debugfs (scripts/debug/debug.config)
# and the KUnit build of sched.ko that scripts/debug/lane.sh makes; the suite
# runs while that module loads.
#
#   tests/guest/kunit_test.sh path/to/kunit/sched.ko
set -eu

KO=${1:-}
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

RESULTS=/sys/kernel/debug/kunit/sched_delay/results
SAVED=/tmp/sched_kunit.results

# kunit_case CASE: KUnit's verdict on CASE (one subtest a HZ), from the
# suite's run at the first load.
kunit_case() {
	if [ ! -s "$SAVED" ]; then
		insmod "$KO"
		cat "$RESULTS" >"$SAVED"
		unload
	fi
	out=$(sed -n "/# Subtest: $1\$/,/ok [0-9]* $1\$/p" "$SAVED")
	echo "$out" | sed '/^ *$/d; s/^ */#   /'
	expect "KUnit did not pass $1" matches "$out" "^ *ok [0-9]+ $1\$"
	expect "a subtest of $1 did not pass" lacks "$out" '^ *not ok'
}

test_last_leg_fires_in_wheel_level_0() { kunit_case last_leg_fires_in_wheel_level_0; }
test_no_leg_fires_after_the_deadline() { kunit_case no_leg_fires_after_the_deadline; }

rm -f "$SAVED"
# shellcheck disable=SC2119 # no names: every case of this file
run_cases
