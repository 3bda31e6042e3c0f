#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo_test.sh [LANE]: `make demo`'s script run as a newcomer would, as KTAP:
# a demo that passes but shows nothing (its lines lost in the console) fails.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

out=$SRC/out/demo.txt
mkdir -p "$SRC/out"
rc=0
"$SRC/scripts/demo.sh" "$@" >"$out" 2>&1 || rc=$?
sed 's/^/# /' "$out"

ktap_plan 4
ktap_case "$rc" demo_succeeds
while read -r c line; do
	ok=0
	grep -Eqx "$line" "$out" || ok=1
	ktap_case "$ok" "demo_shows_$c"
done <<'EOF'
counter_above_zero Timer called [1-9][0-9]* times so far
interval_changed interval_ms: 10
unloaded unloaded; /proc/sched is gone: yes
EOF
ktap_end
