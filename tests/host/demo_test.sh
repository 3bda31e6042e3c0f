#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo_test.sh [LANE]: `make demo`'s script run as a newcomer would, as KTAP:
# a demo that passes but shows nothing (its lines lost in the console) fails.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

test_demo_succeeds() { [ "$status" = 0 ]; }
test_demo_shows_counter_above_zero() { grep -Eqx 'Timer called [1-9][0-9]* times so far' "$out"; }
test_demo_shows_interval_changed() { grep -Eqx 'interval_ms: 10' "$out"; }
test_demo_shows_unloaded() { grep -Eqx 'unloaded; /proc/sched is gone: yes' "$out"; }

out=$SRC/out/demo.txt
mkdir -p "$SRC/out"
status=0
"$SRC/scripts/demo.sh" "$@" >"$out" 2>&1 || status=$?
sed 's/^/# /' "$out"
ktap
