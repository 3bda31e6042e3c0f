#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [-o FILE] STEP...: run each step (a command line that ends by printing
# "N passed, N failed"), keep going after a failure, and end with a summary table (with -o
# also into FILE, stamped), the lines that say why each failed step failed (CI keeps only a
# long log's end) and the total (harness.sh's judge). A step written "&COMMAND" starts at
# once, beside the others, its output shown at the end: for steps that time nothing, as the
# lifecycle's single-threaded TCG guests (1032 s side by side, 1371 s in turn), or that run
# at idle priority beside the matrix's timed ones.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

table=
[ "${1:-}" != -o ] || { table=$2 && shift 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# run I STEP: STEP's output (also on stdout) into $dir/I, "STATUS SECONDS" into $dir/I.rc.
run() {
	t0=$(date +%s)
	{ sh -c "$2" 2>&1 || echo "$?" >"$dir/$1.st"; } | tee "$dir/$1"
	echo "$(cat "$dir/$1.st" 2>/dev/null || echo 0) $(($(date +%s) - t0))" >"$dir/$1.rc"
}

# The "&" steps first, in the background; then the others, in turn.
i=0
for step in "$@"; do
	i=$((i + 1))
	case $step in "&"*) run "$i" "${step#&}" >/dev/null & ;; esac
done
i=0
for step in "$@"; do
	i=$((i + 1))
	case $step in "&"*) ;; *) echo "=== $step" && run "$i" "$step" ;; esac
done
wait

total_pass=0 total_fail=0 i=0
summary=
why=
for step in "$@"; do
	i=$((i + 1))
	log=$dir/$i
	case $step in "&"*) echo "=== $step" && cat "$log" ;; esac
	read -r rc seconds <"$log.rc"
	# The last counts: a step's total comes after its parts'.
	c=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 | counts -)
	# shellcheck disable=SC2086 # two numbers, or none
	c=$(judge "$rc" $c)
	pass=${c% *} fail=${c#* }
	total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail))
	# KTAP's, the harness's, autopkgtest's and apt's words for a failure, not the kernel's.
	if [ "$fail" != 0 ]; then
		lines=$(grep -E 'not ok|FAIL|[Ee]rror|ERROR|^E: ' "$log" | awk '!seen[$0]++' |
			grep -vE '^(vm-run: \| )?\[ *[0-9]+\.[0-9]+\]' | head -n 20)
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
