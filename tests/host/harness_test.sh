#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# harness_test.sh: the verdicts a green `make check` rests on, as KTAP:
# scripts/ci/check.sh on fake steps, scripts/lib/harness.sh's functions, the
# guest's runner on a throwaway suite, where settings are read. A second or two.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# step NAME STATUS LINE...: a fake step that prints the lines and exits.
step() {
	f=$dir/$1 st=$2 && shift 2
	{ printf "echo '%s'\n" "$@" && echo "exit $st"; } >"$f"
}
step pass 0 '3 passed, 0 failed'
step fail 1 '[    1.0] ACPI Error: kernel noise' 'not ok 2 two' '# FAIL: why two' \
	'1 passed, 1 failed'
step silent 0 'no counts at all'
step liar 1 '2 passed, 0 failed'

# check ARG...: what check.sh prints for the fake steps.
check() { (cd "$dir" && "$SRC/scripts/ci/check.sh" "$@" 2>&1) || :; }

# is WHAT GOT WANT: unless GOT is WANT, say so and fail the case that
# end_case NAME reports next.
ok=0
is() { [ "$2" = "$3" ] || { echo "# $1: '$2', want '$3'" && ok=1; }; }
end_case() { ktap_case "$ok" "$1"; ok=0; }
# is_case NAME GOT WANT: is, and end_case NAME.
is_case() { is "$@" && end_case "$1"; }

# check_case NAME WANT STEP...: check.sh's last line for the steps, one after
# the other and side by side ("&STEP"), is WANT.
check_case() {
	n=$1 want=$2 && shift 2
	is "$n" "$(check "$@" | tail -n 1)" "$want"
	for s; do shift && set -- "$@" "&$s"; done
	is "$n (&)" "$(check "$@" | tail -n 1)" "$want"
	end_case "$n"
}

ktap_plan 11
check_case a_step_without_counts_is_one_failure "0 passed, 1 failed" "sh silent"
check_case a_failed_step_that_says_all_passed_fails_once "2 passed, 1 failed" "sh liar"
check_case counts_of_steps_are_kept_and_summed "6 passed, 3 failed" "sh pass" "sh fail" \
	"sh silent" "sh liar"

# The lines after the summary name the failed case and leave out the
# kernel's log and the steps that passed; -o FILE keeps the table and the
# total under a line naming the command.
why=$(check -o table "sh pass" "sh fail" | sed -n '/^=== why/,$p')
is_case why_names_the_failed_case "$why" "=== why: sh fail
not ok 2 two
# FAIL: why two
4 passed, 1 failed"
is_case table_file_keeps_the_steps "$(sed -e '1s/,.*//' -e 2,3d -e 's/  *[0-9]*  sh/ N sh/' "$dir/table")" \
	"# Written by scripts/ci/check.sh -o table
     3      0 N sh pass
     1      1 N sh fail
4 passed, 1 failed"

# Every mutant, variant and bench/naive.patch applies to sched.c, every
# variant to every mutant (scripts/vm/test.sh builds them so); one that does
# not fails by name. Every case a mutant's "suite" line names is the suite's:
# a name the runner cannot call would fail, and pass for a catch.
patched "$SRC/bench/naive.patch" "$dir/naive.c" || ok=1
for m in "$SRC"/tests/mutants/*.patch; do
	patched "$m" "$dir/mutant.c" || ok=1
	for v in "$SRC"/tests/variants/*.patch; do
		patched "$v" "$dir/variant.c" "$dir/mutant.c" || ok=1
		patched "$v" "$dir/variant.c" || ok=1
	done
done
for c in $(mutants suite | cut -d' ' -f2-); do
	grep -q "^test_$c() {" "$SRC/tests/guest/sched_test.sh" || { echo "# no case $c" && ok=1; }
done
end_case every_mutant_applies_and_names_cases_of_the_suite
sed 's/schedmod_delay(s->next_due, now));/schedmod_gone(s->next_due, now));/' \
	"$SRC/tests/mutants/plain_delay.patch" >"$dir/stale.patch"
msg=$(patched "$dir/stale.patch" "$dir/stale.c" 2>&1) && ok=1
is_case a_stale_mutant_fails_with_its_name "$msg" \
	"harness_test.sh: stale.patch no longer applies to sched.c"

# A "fallback" line is no lane for make matrix, and kernel.sh finds it only
# when it asks for the fallback.
cat >"$dir/lanes" <<'EOF'
armhf  armhf  armmp-lpae  trixie    always    trixie trixie-security
armhf  armhf  armmp-lpae  sid       fallback  sid
i386   i386   686-pae     bookworm  always    bookworm
EOF
LANES=$dir/lanes
is lanes_leave_out_a_fallback "$(lanes | xargs)" "armhf i386"
is lane_is_the_lane_s_own_line "$(lane armhf | awk '{ print $5 }')" always
is lane_fallback_is_its_fallback "$(lane armhf fallback | awk '{ print $6 }')" sid
is "lane i386 fallback" "$(lane i386 fallback || echo none)" none
end_case a_fallback_line_is_no_lane_of_its_own

# A suite's cases are its test_NAME functions, run by tests/guest/lib.sh in
# file order as NAME, under dash and busybox ash; a helper is no case.
cat >"$dir/suite.sh" <<EOF
. "$SRC/tests/guest/lib.sh"
helper() { false; }
test_zebra_comes_first() { :; }
test_apple_fails() { helper; }
test_mango_comes_last() { :; }
ktap
EOF
# suite LINES [SETTING]: those lines (sed's) of the suite's KTAP under $sh.
# shellcheck disable=SC2086 # $sh may be two words, the setting none
suite() { env ${2:-} $sh "$dir/suite.sh" | grep -v '^# RUN' | sed -n "$1"; }
for sh in dash "busybox sh"; do
	$sh -c : 2>/dev/null || { echo "# no $sh here" && ok=1 && continue; }
	is "the suite under $sh" "$(suite "2,5p;\$p")" "1..3
ok 1 zebra_comes_first
not ok 2 apple_fails
ok 3 mango_comes_last
2 passed, 1 failed"
	is "SCHED_TEST_SKIP under $sh" "$(suite 4p SCHED_TEST_SKIP=apple_fails)" "ok 2 apple_fails # SKIP"
	is "SCHED_TEST_FAILFAST under $sh" "$(suite "4,5p;\$p" SCHED_TEST_FAILFAST=1)" "not ok 2 apple_fails
Bail out! SCHED_TEST_FAILFAST: stopped at apple_fails
1 passed, 1 failed"
done
end_case a_suite_s_cases_are_its_test_functions_in_file_order

# A guest that dies in a case fails it by name, the cases before counted;
# one that dies between cases gives nothing to add.
is "died in case 2" "$(printf '1..3\n# RUN 1 zebra\nok 1 zebra\n# RUN 2 apple\n[ 9.1] reboot\n' | died_in -)" \
	"not ok 2 apple # the guest ended in this case
1 passed, 1 failed"
is "died between cases" "$(printf '1..3\n# RUN 1 zebra\nnot ok 1 zebra\n' | died_in -)" ""
end_case a_guest_that_dies_in_a_case_fails_that_case

# Every SCHED_* name of scripts/, tests/, bench/ and the Makefile is a row of
# docs/testing.md's settings table, every row is used, and none is read
# outside the settings blocks of scripts/lib/harness.sh and tests/guest/lib.sh.
files=$(cd "$SRC" && find scripts tests bench Makefile -type f ! -name '*.c' ! -name '*.patch' \
	! -name '*.md' ! -name '*.png' | sort)
# shellcheck disable=SC2086 # a list of file names
used=$(cd "$SRC" && grep -ohE 'SCHED_[A-Z_]*[A-Z]' $files | sort -u)
documented=$(awk -F'|' '/^\| `SCHED_/ { print $2 }' "$SRC/docs/testing.md" |
	grep -oE 'SCHED_[A-Z_]*[A-Z]' | sort -u)
is "names missing from the table" "$(echo "$used" | grep -vxF "$documented" | xargs)" ""
is "rows nothing uses" "$(echo "$documented" | grep -vxF "$used" | xargs)" ""
# shellcheck disable=SC2016,SC2086 # awk's own $; a list of file names
reads=$(cd "$SRC" && awk 'FNR == 1 { s = 0 } /^# --- settings/ { s = 1 } /^# --- end of settings/ { s = 0 }
	!/^[[:space:]]*#/ && /\$\{?SCHED_/ && !(s && (FILENAME == "scripts/lib/harness.sh" ||
	FILENAME == "tests/guest/lib.sh")) { print FILENAME ":" FNR ":" $0 }' $files)
is "read outside the settings blocks" "$reads" ""
end_case every_setting_is_documented_and_read_in_one_place
ktap_end
