#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mutation_test.sh [LANE]: proves that the lanes can fail. Each patch of
# tests/mutants/ breaks one behaviour of sched.c, and its "# Caught by:" line
# says where a lane (scripts/vm/test.sh: W=1 build, then the suite in a VM)
# rejects it: "suite" (on LANE, default bookworm, or the lanes named after it)
# or "build LANE...". Prints KTAP; a lane the archive cannot serve is SKIP.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

out=$SRC/out/mutants
mkdir -p "$out"
default=${1:-bookworm}

# caught NAME KERNEL STAGE PATCH: whether the lane rejects the mutant at STAGE.
caught() {
	dir=$out/$1
	mkdir -p "$dir"
	patched "$4" "$dir/mutant.c" 2>"$dir/patch.err" || { sed 's/^/# /' "$dir/patch.err" && return 1; }
	status=0
	SCHED_VM_TIMEOUT=600 "$SRC/scripts/vm/test.sh" "$2" "$dir/lane" \
		"SCHED_TEST_FAILFAST=1 /tests/sched_test.sh /sched.ko" "$dir/mutant.c" </dev/null \
		>/dev/null 2>"$dir/vm-test.err" || status=$?
	why=
	case $status,$3 in
	3,build)
		# A lane that cannot build sched.c at all would catch everything.
		if "$SRC/scripts/kernels/build.sh" "$2" "$dir/clean" >/dev/null 2>&1; then
			grep -i -m 3 'error:' "$dir/vm-test.err" | sed 's/^/#   /' || :
		else
			why="this lane does not build sched.c itself"
		fi
		;;
	3,*) why="does not build" ;;
	0,*) why="the $3 passed" ;;
	*,suite)
		grep -hE '^not ok|FAIL' "$dir/lane/console.log" "$dir/vm-test.err" |
			sed 's/^/#   /' || :
		;;
	*) why=builds ;;
	esac
	[ -z "$why" ] || { echo "# $1: $why" && return 1; }
}

# One case a mutant and lane: "NAME LANE STAGE PATCH".
cases=$(for stage in suite build; do
	mutants "$stage" | while read -r patch lanes; do
		for l in ${lanes:-$default}; do
			echo "$(basename "$patch" .patch) $l $stage $patch"
		done
	done
done)
ktap_plan "$(echo "$cases" | grep -c .)"
while read -r name lane stage patch; do
	rc=0
	kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane" 2>"$out.kernel.err") || rc=$?
	# Suites the lane's kernel was resolved without, or its fallback.
	sed -n -E "s/^kernel.sh: ($lane: (from|without) )/# \1/p" "$out.kernel.err"
	if [ "$rc" = 4 ]; then
		reason=$(tail -n 1 "$out.kernel.err" | sed 's/^kernel.sh: SKIP: //')
		ktap_skip "${name}_is_caught_on_$lane" "$reason"
		continue
	fi
	ok=$rc
	[ "$rc" != 0 ] || caught "$name-$lane" "$kernel" "$stage" "$patch" || ok=$?
	ktap_case "$ok" "${name}_is_caught_on_$lane"
done <<EOF
$cases
EOF
ktap_end
