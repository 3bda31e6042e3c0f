#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# together.sh COMMAND...: run the command lines (each ending by printing
# "N passed, N failed") side by side, then print their outputs one after
# the other and the summed "N passed, N failed". A command that prints no
# counts, or fails while they say all passed, adds one failure (judge in
# scripts/lib/harness.sh).
#
# For steps that leave part of the CPU idle and wait on nothing timed, such
# as the lifecycle test, whose guests spend much of their time in one
# single-threaded compiler or dpkg under TCG: its two suites took 1032 s
# side by side where one after the other took 1371 s. Never for the suites
# that measure time (scripts/ci/matrix.sh): they need the CPU free.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=0
for cmd in "$@"; do
	i=$((i + 1))
	{ sh -c "$cmd" >"$dir/$i" 2>&1 || : >"$dir/$i.failed"; } &
done
wait

pass=0
fail=0
i=0
for cmd in "$@"; do
	i=$((i + 1))
	echo "--- $cmd"
	cat "$dir/$i"
	rc=0
	[ ! -e "$dir/$i.failed" ] || rc=1
	# shellcheck disable=SC2046 # two numbers, or none
	c=$(judge "$rc" $(counts "$dir/$i"))
	pass=$((pass + ${c% *}))
	fail=$((fail + ${c#* }))
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
