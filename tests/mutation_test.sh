#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves that the test lane can fail: builds copies of sched.c with one
# behaviour broken each and asserts that the lane (W=1 build, then the suite
# in a VM on Debian 12's kernel) rejects every one of them at the stage
# expected. Prints KTAP.
#
#   tests/mutation_test.sh [LANE]    (default lane 6.1; see scripts/fetch-kernel.sh)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/out/mutants
kernel=$("$src/scripts/fetch-kernel.sh" "${1:-6.1}")

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
'

echo "TAP version 13"
echo "1..$(echo "$MUTANTS" | grep -c .)"
n=0
pass=0
fail=0
while IFS= read -r m; do
	[ -n "$m" ] || continue
	name=${m%%|*}
	stage=${m#*|}
	stage=${stage%%|*}
	n=$((n + 1))
	dir=$out/$name
	mkdir -p "$dir"
	sed -e "${m#*|*|}" "$src/sched.c" >"$dir/mutant.c"
	caught=no
	if cmp -s "$src/sched.c" "$dir/mutant.c"; then
		echo "# $name: the sed expression no longer changes sched.c"
	elif ! "$src/scripts/build.sh" "$kernel/build" "$dir/build" "$dir/mutant.c" \
		>/dev/null 2>"$dir/build.err"; then
		grep -m 3 'error:' "$dir/build.err" | sed 's/^/#   /' || :
		if [ "$stage" = build ]; then
			caught=yes
		else
			echo "# $name: does not build"
		fi
	elif [ "$stage" = build ]; then
		echo "# $name: builds"
	else
		mkdir -p "$dir/vm/tests"
		cp "$dir/build/sched.ko" "$dir/vm/"
		cp "$src"/tests/*.sh "$dir/vm/tests/"
		if SCHED_VM_LOG=$dir/console.log SCHED_VM_TIMEOUT=600 \
			"$src/scripts/vm-run.sh" "$kernel/vmlinuz" "$dir/vm" \
			"/tests/sched_test.sh /sched.ko" </dev/null >/dev/null 2>"$dir/vm-run.err"; then
			echo "# $name: the suite passed"
		else
			caught=yes
			grep -hE '^not ok|FAIL' "$dir/console.log" "$dir/vm-run.err" | sed 's/^/#   /' || :
		fi
	fi
	if [ "$caught" = yes ]; then
		echo "ok $n ${name}_is_caught"
		pass=$((pass + 1))
	else
		echo "not ok $n ${name}_is_caught"
		fail=$((fail + 1))
	fi
done <<EOF
$MUTANTS
EOF
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
