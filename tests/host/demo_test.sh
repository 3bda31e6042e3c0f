#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo_test.sh [LANE]: run `make demo`'s script as a newcomer would and check
# what it shows them, printed as KTAP: a demo that boots and passes but
# shows nothing (its lines lost in the console) fails here.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

out=$SRC/out/demo.txt
mkdir -p "$SRC/out"
rc=0
"$SRC/scripts/demo.sh" "$@" >"$out" 2>&1 || rc=$?
sed 's/^/# /' "$out"

# counter_above_zero: the first /proc/sched line with N > 0 runs.
counter_above_zero() {
	grep -Eq '^Timer called [1-9][0-9]* times so far$' "$out"
}

# interval_changed: /proc/sched shows the interval the demo wrote.
interval_changed() { grep -qx 'interval_ms: 10' "$out"; }

unloaded() { grep -qx 'unloaded; /proc/sched is gone: yes' "$out"; }

ktap_plan 4
ktap_case "$rc" demo_succeeds
for c in counter_above_zero interval_changed unloaded; do
	ok=0
	"$c" || ok=1
	ktap_case "$ok" "demo_shows_$c"
done
ktap_end
