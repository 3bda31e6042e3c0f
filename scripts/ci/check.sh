#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [-o FILE] [-j] STEP...: run each step (a command line that ends by
# printing "N passed, N failed"), keep going after a failure, and end with
# the total. With -o, the summary table also goes to FILE, headed by the
# command that wrote it, when and where: the figures docs/ quotes.
# A step that prints no counts, or fails while they say all passed, counts
# one failure (judge in scripts/lib/harness.sh). Before the total, the lines that
# say why each failed step failed: CI keeps only the end of a long log.
#
# With -j the steps run side by side and their outputs are printed one after
# the other when all have ended. Only for steps that leave part of the CPU
# idle and wait on nothing timed, such as the lifecycle tests, whose guests
# spend most of their time in one single-threaded compiler or dpkg under
# TCG: its two suites took 1032 s side by side where one after the other
# took 1371 s. Never for the suites that measure time
# (scripts/ci/matrix.sh): they need the CPU, which only a job at idle
# priority may share (make check's PREBUILD).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

table=
jobs=
while :; do
	case ${1:-} in
	-o) table=$2 && shift 2 ;;
	-j) jobs=1 && shift ;;
	*) break ;;
	esac
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# run I STEP: run STEP, its output (also on stdout) into $dir/I, and "STATUS
# SECONDS" into $dir/I.rc.
run() {
	t0=$(date +%s)
	{ sh -c "$2" 2>&1 || echo "$?" >"$dir/$1.st"; } | tee "$dir/$1"
	echo "$(cat "$dir/$1.st" 2>/dev/null || echo 0) $(($(date +%s) - t0))" >"$dir/$1.rc"
}

i=0
for step in "$@"; do
	i=$((i + 1))
	if [ -n "$jobs" ]; then
		run "$i" "$step" >/dev/null &
	else
		echo "=== $step"
		run "$i" "$step"
	fi
done
wait

total_pass=0
total_fail=0
summary=
why=
i=0
for step in "$@"; do
	i=$((i + 1))
	log=$dir/$i
	[ -z "$jobs" ] || { echo "=== $step" && cat "$log"; }
	read -r rc seconds <"$log.rc"
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
	summary="$summary$(printf '%6s %6s %7s  %s' "$pass" "$fail" "$seconds" "$step")
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
