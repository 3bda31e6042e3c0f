#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mutation_test.sh [LANE]: proves that the lanes can fail. Each patch of
# tests/mutants/ breaks one behaviour of sched.c, and its "# Caught by:" line
# says where a lane (scripts/vm/test.sh: W=1 build, then the suite in a VM)
# rejects it: "suite CASE..." (those cases of the suite, on LANE, default
# bookworm) or "build LANE...". Prints KTAP; a lane the archive cannot serve
# is SKIP.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"

out=$SRC/out/mutants
mkdir -p "$out"
default=${1:-bookworm}

# caught NAME KERNEL STAGE PATCH [CASE...]: whether the lane rejects the
# mutant at STAGE; for the suite, in those cases or with a kernel report.
caught() {
	dir=$out/$1 k=$2 stage=$3 patch=$4
	shift 4
	mkdir -p "$dir"
	patched "$patch" "$dir/mutant.c" 2>"$dir/patch.err" ||
		{ sed 's/^/# /' "$dir/patch.err" && return 1; }
	status=0
	SCHED_VM_TIMEOUT=600 "$SRC/scripts/vm/test.sh" "$k" "$dir/lane" \
		"SCHED_TEST_FAILFAST=1 /tests/sched_test.sh /sched.ko $*" "$dir/mutant.c" </dev/null \
		>/dev/null 2>"$dir/vm-test.err" || status=$?
	why=
	case $status,$stage in
	3,build)
		# A lane that cannot build sched.c at all would catch everything.
		if "$SRC/scripts/kernels/build.sh" "$k" "$dir/clean" >/dev/null 2>&1; then
			grep -i -m 3 'error:' "$dir/vm-test.err" | sed 's/^/#   /' || :
		else
			why="this lane does not build sched.c itself"
		fi
		;;
	3,*) why="does not build" ;;
	0,*) why="the $stage passed" ;;
	*,suite)
		grep -hE '^not ok|FAIL' "$dir/lane/console.log" "$dir/vm-test.err" |
			sed 's/^/#   /' || :
		;;
	*) why=builds ;;
	esac
	[ -z "$why" ] || { echo "# $1: $why" && return 1; }
}

# One case a mutant and lane: "NAME LANE STAGE PATCH [CASE...]".
cases=$(mutants suite | while read -r patch names; do
		echo "$(basename "$patch" .patch) $default suite $patch $names"
	done
	mutants build | while read -r patch lanes; do
		for l in $lanes; do
			echo "$(basename "$patch" .patch) $l build $patch"
		done
	done)
ktap_plan "$(echo "$cases" | grep -c .)"
# shellcheck disable=SC2086 # the cases, one a word
while read -r name lane stage patch names; do
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
	[ "$rc" != 0 ] || caught "$name-$lane" "$kernel" "$stage" "$patch" $names || ok=$?
	ktap_case "$ok" "${name}_is_caught_on_$lane"
done <<EOF
$cases
EOF
ktap_end
