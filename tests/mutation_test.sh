#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves that the test lane can fail: builds copies of sched.c with one
# behaviour broken each and asserts that the lane (W=1 build, then the suite
# in a VM, scripts/vm-test.sh) rejects every one of them at the stage
# expected. Prints KTAP.
#
#   tests/mutation_test.sh [LANE]    (default bookworm; see tests/lanes)
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"

out=$SRC/out/mutants
kernel=$("$SRC/scripts/kernel.sh" "${1:-bookworm}")

# NAME|STAGE|sed expression that breaks one behaviour; STAGE is where the
# lane must reject it: build or suite. Each is deterministic: a dropped
# _sync on its own is a race the suite hits only by chance.
MUTANTS='
no_validation|suite|/pr_err("interval_ms must/,/return -EINVAL;/d
no_stop_at_exit|suite|/^static void __exit/,/^}/{/schedmod_stop();/d}
drift_from_now|suite|s/next_due = ktime_add(next_due, period);/next_due = ktime_add(now, period);/
plain_delay|suite|s/schedmod_delay(next_due, now))/msecs_to_jiffies(READ_ONCE(interval_ms)))/
change_waits_for_next_tick|suite|/mod_delayed_work(schedmod_wq, &schedmod_work, 0);/d
proc_writable|suite|s/proc_create_single(KBUILD_MODNAME, 0444,/proc_create_single(KBUILD_MODNAME, 0644,/
unguarded_disable_work|build|/^#if KERNEL_VERSION(6, 10, 0)/,/^#endif/d
'

# caught NAME STAGE SED: whether the lane rejects the mutant at STAGE.
caught() {
	dir=$out/$1
	mkdir -p "$dir"
	sed -e "$3" "$SRC/sched.c" >"$dir/mutant.c"
	if cmp -s "$SRC/sched.c" "$dir/mutant.c"; then
		echo "# $1: the sed expression no longer changes sched.c"
		return 1
	fi
	status=0
	SCHED_VM_TIMEOUT=600 "$SRC/scripts/vm-test.sh" "$kernel" "$dir/lane" \
		"/tests/sched_test.sh /sched.ko" "$dir/mutant.c" </dev/null \
		>/dev/null 2>"$dir/vm-test.err" || status=$?
	case $status,$2 in
	3,build)
		grep -m 3 'error:' "$dir/vm-test.err" | sed 's/^/#   /' || :
		;;
	3,*)
		echo "# $1: does not build"
		return 1
		;;
	0,*)
		echo "# $1: the $([ "$2" = build ] && echo build || echo suite) passed"
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

ktap_plan "$(echo "$MUTANTS" | grep -c .)"
while IFS='|' read -r name stage expr; do
	[ -n "$name" ] || continue
	ok=0
	caught "$name" "$stage" "$expr" || ok=$?
	ktap_case "$ok" "${name}_is_caught"
done <<EOF
$MUTANTS
EOF
ktap_end
