#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shell_test.sh [LANE]: `make shell`'s script driven through standard input,
# as KTAP: the commands run in the guest, on the module built for it, and the
# shell's exit status comes back.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

out=$SRC/out/shell.txt
mkdir -p "$SRC/out"
rc=0
printf '%s\n' 'insmod /sched.ko interval_ms=50' 'sleep 1' 'cat /proc/sched' 'exit 5' |
	"$SRC/scripts/shell.sh" "$@" >"$out" 2>&1 || rc=$?
grep -v '^\[' "$out" | sed 's/^/# /'

ktap_plan 2
ok=0
{ grep -Eq '^Timer called [1-9][0-9]* times so far' "$out" && grep -qx 'interval_ms: 50' "$out"; } || ok=1
ktap_case "$ok" commands_from_stdin_run_in_the_guest
ktap_case "$([ "$rc" = 5 ] && echo 0 || echo 1)" the_shells_exit_status_comes_back
ktap_end
