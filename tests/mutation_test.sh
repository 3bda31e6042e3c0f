#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves that the lanes can fail: builds copies of sched.c with one
# behaviour broken each and asserts that a lane (W=1 build, then the suite in
# a VM, scripts/vm-test.sh) rejects every one of them at the stage expected.
# Prints KTAP; a lane the archive cannot serve now is SKIP (tests/lanes).
#
#   tests/mutation_test.sh [LANE]    (the default lane; default bookworm)
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"

out=$SRC/out/mutants
default=${1:-bookworm}

# NAME|LANES|STAGE|sed expression that breaks one behaviour; LANES ("-" for
# the default) are where it must be caught, STAGE is where each must reject
# it: build or suite. Each is deterministic: a dropped _sync on its own is a
# race the suite hits only by chance. A plain 64-bit division builds on
# 64-bit kernels and links to libgcc's __divdi3 / __aeabi_ldivmod on 32-bit
# ones, which the kernel does not have: modpost must refuse it there.
MUTANTS='
no_validation|-|suite|/pr_err("interval_ms must/,/return -EINVAL;/d
no_stop_at_exit|-|suite|/^static void __exit/,/^}/{/schedmod_stop();/d}
drift_from_now|-|suite|s/next_due = ktime_add(next_due, period);/next_due = ktime_add(now, period);/
plain_delay|-|suite|s/schedmod_delay(next_due, now))/msecs_to_jiffies(READ_ONCE(interval_ms)))/
change_waits_for_next_tick|-|suite|/mod_delayed_work(schedmod_wq, &schedmod_work, 0);/d
proc_writable|-|suite|s/proc_create_single(KBUILD_MODNAME, 0444,/proc_create_single(KBUILD_MODNAME, 0644,/
plain_64bit_division|i386 armhf|build|s/div64_s64(late, period)/late \/ period/
'

# caught NAME KERNEL STAGE SED: whether the lane rejects the mutant at STAGE.
caught() {
	dir=$out/$1
	kernel=$2
	mkdir -p "$dir"
	sed -e "$4" "$SRC/sched.c" >"$dir/mutant.c"
	if cmp -s "$SRC/sched.c" "$dir/mutant.c"; then
		echo "# $1: the sed expression no longer changes sched.c"
		return 1
	fi
	status=0
	SCHED_VM_TIMEOUT=600 "$SRC/scripts/vm-test.sh" "$kernel" "$dir/lane" \
		"/tests/sched_test.sh /sched.ko" "$dir/mutant.c" </dev/null \
		>/dev/null 2>"$dir/vm-test.err" || status=$?
	case $status,$3 in
	3,build)
		# A lane that cannot build sched.c at all would catch everything.
		if ! "$SRC/scripts/build.sh" "$kernel" "$dir/clean" >/dev/null 2>&1; then
			echo "# $1: this lane does not build sched.c itself"
			return 1
		fi
		grep -i -m 3 'error:' "$dir/vm-test.err" | sed 's/^/#   /' || :
		;;
	3,*)
		echo "# $1: does not build"
		return 1
		;;
	0,*)
		echo "# $1: the $3 passed"
		return 1
		;;
	*,suite)
		grep -hE '^not ok|FAIL' "$dir/lane/console.log" "$dir/vm-test.err" |
			sed 's/^/#   /' || :
		;;
	*)
		echo "# $1: builds"
		return 1
		;;
	esac
}

# One case a mutant and lane.
cases=$(echo "$MUTANTS" | awk -F'|' -v d="$default" 'NF >= 4 {
	n = split($2 == "-" ? d : $2, l, " ")
	for (i = 1; i <= n; i++) print $1 "|" l[i] "|" $3 "|" substr($0, length($1 $2 $3) + 4) }')
ktap_plan "$(echo "$cases" | grep -c .)"
while IFS='|' read -r name lane stage expr; do
	rc=0
	kernel=$("$SRC/scripts/kernel.sh" "$lane" 2>"$out.kernel.err") || rc=$?
	# Suites the lane's kernel was resolved without, or its fallback.
	sed -n -E "s/^kernel.sh: ($lane: (from|without) )/# \1/p" "$out.kernel.err"
	if [ "$rc" = 4 ]; then
		reason=$(tail -n 1 "$out.kernel.err" | sed 's/^kernel.sh: SKIP: //')
		ktap_skip "${name}_is_caught_on_$lane" "$reason"
		continue
	fi
	ok=$rc
	[ "$rc" != 0 ] || caught "$name-$lane" "$kernel" "$stage" "$expr" || ok=$?
	ktap_case "$ok" "${name}_is_caught_on_$lane"
done <<EOF
$cases
EOF
ktap_end
