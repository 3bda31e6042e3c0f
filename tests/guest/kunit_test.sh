#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
#   tests/guest/kunit_test.sh path/to/kunit/sched.ko: KUnit's verdicts on
#   tests/kunit/sched_kunit.c, which runs as the KUnit build of scripts/debug/lane.sh
#   loads, as KTAP. Needs KUnit's debugfs (scripts/debug/debug.config).
set -eu

KO=${1:-}
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# Each case runs in a subshell: the first load's results are kept here.
SAVED=/tmp/sched_kunit.results

# kunit_case CASE: KUnit's verdict on CASE (one subtest a HZ).
kunit_case() {
	if [ ! -s "$SAVED" ]; then
		insmod "$KO"
		cat /sys/kernel/debug/kunit/sched_delay/results >"$SAVED"
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
