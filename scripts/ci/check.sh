#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [-o FILE] STEP...: run each step (a command line that ends by
# printing "N passed, N failed"), keep going after a failure, and end with
# the total. With -o, the summary table also goes to FILE, headed by the
# command that wrote it, when and where: the figures docs/ quotes.
# A step that prints no counts, or fails while they say all passed, counts
# one failure (judge in scripts/lib/harness.sh). Before the total, the lines that
# say why each failed step failed: CI keeps only the end of a long log.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

table=
if [ "${1:-}" = -o ]; then
	table=$2
	shift 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_pass=0
total_fail=0
summary=
why=

for step in "$@"; do
	echo "=== $step"
	t0=$(date +%s)
	rc=0
	{ sh -c "$step" 2>&1 || echo "$?" >"$log.rc"; } | tee "$log"
	[ ! -e "$log.rc" ] || { rc=$(cat "$log.rc"); rm -f "$log.rc"; }
	# The last counts: a step's total comes after its parts'.
	c=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 | counts -)
	# shellcheck disable=SC2086 # two numbers, or none
	c=$(judge "$rc" $c)
	pass=${c% *}
	fail=${c#* }
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	# KTAP's "not ok" and "# FAIL", the harness's "FAILED", "FAIL" and
	# "error" rows and lines, autopkgtest's "ERROR", apt's "E:"; not the
	# kernel's own log lines.
	if [ "$fail" != 0 ]; then
		lines=$(grep -E 'not ok|FAIL|[Ee]rror|ERROR|^E: ' "$log" |
			grep -vE '^(vm-run: \| )?\[ *[0-9]+\.[0-9]+\]' | awk '!seen[$0]++' | head -n 20)
		why="$why=== why: $step
${lines:-(no line says why: see the output of the step above)}
"
	fi
	summary="$summary$(printf '%6s %6s %7s  %s' "$pass" "$fail" \
		$(($(date +%s) - t0)) "$step")
"
done

steps() {
	printf '%6s %6s %7s  %s\n' passed failed seconds step
	printf '%s' "$summary"
}

total="$total_pass passed, $total_fail failed"
echo
echo "=== summary"
steps
printf '%s' "$why"
echo "$total"
if [ -n "$table" ]; then
	mkdir -p "$(dirname "$table")"
	{
		stamp "scripts/ci/check.sh -o $table"
		steps
		echo "$total"
	} >"$table"
fi
[ "$total_fail" = 0 ]
