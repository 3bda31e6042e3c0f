#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shell_test.sh [LANE]: `make shell`'s script driven through standard input, as KTAP.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

test_commands_from_stdin_run_in_the_guest() {
	grep -Eq '^Timer called [1-9][0-9]* times so far' "$out"
	grep -qx 'interval_ms: 50' "$out"
}
test_the_shells_exit_status_comes_back() { [ "$status" = 5 ]; }

out=$SRC/out/shell.txt
mkdir -p "$SRC/out"
status=0
printf '%s\n' 'insmod /sched.ko interval_ms=50' 'sleep 1' 'cat /proc/sched' 'exit 5' |
	"$SRC/scripts/shell.sh" "$@" >"$out" 2>&1 || status=$?
grep -v '^\[' "$out" | sed 's/^/# /'
ktap
