#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# matrix.sh LANE...: for each lane of tests/lanes, build sched.ko with W=1
# for its kernel and run tests/guest/sched_test.sh in it in a VM
# (scripts/vm/test.sh); print a table and "N passed, N failed", and fail if
# a lane fails (a test, a warning, the VM, a lane that cannot be resolved).
# A lane the archive cannot serve now is SKIP, with the reason; a lane
# without one of its suites, or on its fallback's kernel, says so beside its
# release. Logs in out/LANE/, the table in out/matrix.txt.
#
# matrix.sh --prepare LANE...: only download each lane's kernel and ready its
# compiler (scripts/kernels/kmake.sh), last lane first, so that make check,
# running it at idle priority beside the lanes, meets them half way.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

total_pass=0
total_fail=0
rows=
notes=

# row LANE RELEASE WARNINGS PASSED FAILED SECONDS: the release last, as
# long as it may be.
row() {
	rows="$rows$(printf '%-11s %8s %6s %6s %7s  %s' "$1" "$3" "$4" "$5" "$6" "$2")
"
}

# provenance LINES: kernel.sh's lines on a fallback and the suites left
# out, for beside the release: " (from SUITE; without SUITE: WHY)", or nothing.
provenance() {
	echo "$1" | sed -n -e 's/^kernel.sh: [^:]*: from \([^:]*\): .*/from \1/p' \
		-e 's/^kernel.sh: [^:]*: without \([^ ]*\) (\([^)]*\)): .*/without \1: \2/p' |
		paste -sd';' - | sed 's/;/; /g; s/.\{1,\}/ (&)/'
}

# run_lane LANE: test it and add its row; sets pass and fail, and skipped
# to the reason when the archive cannot serve it now.
run_lane() {
	dir=$SRC/out/$1
	pass=0
	fail=1
	skipped=
	mkdir -p "$dir"
	rc=0
	kernel=$("$SRC/scripts/kernels/kernel.sh" "$1" 2>"$dir/kernel.log") || rc=$?
	if [ "$rc" != 0 ]; then
		cat "$dir/kernel.log" >&2
		why=$(tail -n 1 "$dir/kernel.log" | sed 's/^kernel.sh: //')
		[ "$rc" != 4 ] || { fail=0 && skipped=${why#SKIP: }; }
		row "$1" "$([ "$rc" = 4 ] && echo SKIP || echo FAIL)" - - - -
		notes="$notes$why
"
		return
	fi
	# Suites left out and a fallback: in the row, this log and the notes.
	said=$(grep -E "^kernel.sh: $1: (from|without) " "$dir/kernel.log") || :
	if [ -n "$said" ]; then
		echo "$said" >&2
		notes="$notes$(echo "$said" | sed 's/^kernel.sh: //')
"
	fi
	rel=$(cat "$kernel/release")$(provenance "$said")
	log "$1: $rel"
	t0=$(date +%s)
	rc=0
	"$SRC/scripts/vm/test.sh" "$kernel" "$dir" "/tests/sched_test.sh /sched.ko" || rc=$?
	secs=$(($(date +%s) - t0))
	if [ "$rc" = 3 ]; then
		row "$1" "$rel" error - - "$secs"
		return
	fi
	warnings=$(cat "$dir/warnings")
	v=$(verdict "$dir" "$rc")
	pass=${v% *}
	fail=${v#* }
	row "$1" "$rel" "$warnings" "$pass" "$fail" "$secs"
}

prepare=
[ "${1:-}" != --prepare ] || { prepare=1 && shift; }
# shellcheck disable=SC2046 # one lane name a word
[ $# -ge 1 ] || set -- $(lanes)
if [ -n "$prepare" ]; then
	for l in $(printf '%s\n' "$@" | tac); do
		if k=$("$SRC/scripts/kernels/kernel.sh" "$l"); then
			"$SRC/scripts/kernels/kmake.sh" "$k" -v || :
		fi
	done
	exit 0
fi
# One KTAP case a lane; the total counts the suite's cases.
ktap_plan $#
for l in "$@"; do
	run_lane "$l"
	if [ -n "$skipped" ]; then
		ktap_skip "$l" "$skipped"
	else
		ktap_case "$fail" "$l"
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

# Also into out/matrix.txt, stamped: the figures docs/ points to.
report() {
	printf '%-11s %8s %6s %6s %7s  %s\n%s' lane warnings passed failed seconds release "$rows"
	printf '%s' "$notes" | sed 's/^/# /'
	echo "$total_pass passed, $total_fail failed"
}
echo
report
{
	stamp "scripts/ci/matrix.sh $*"
	report
} >"$SRC/out/matrix.txt"
[ "$total_fail" = 0 ]
