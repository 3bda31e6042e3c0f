#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane's runtime tests, printed as KTAP: stress, CPU hotplug,
# systematic fault injection on load and kmemleak. Meant for a kernel with
# KASAN or KCSAN, lockdep, debugobjects, kmemleak and fault injection
# (scripts/debug/debug.config); the VM runner fails the run on any report.
#
#   tests/guest/debug_test.sh [path/to/sched.ko] [CASE...]
#
# SCHED_DEBUG_CYCLES, _RACE_SECONDS and _HOTPLUG_ROUNDS size the stress
# (tests/guest/lib.sh's settings). In a VM of scripts/vm/run.sh, whose
# /init exports the markers VM_REPORTS_EXPECTED and VM_REPORTS_CHECKED
# (scripts/lib/harness.sh).
set -eu

KO=${1:-$(dirname "$0")/../../sched.ko}
[ $# -eq 0 ] || shift
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

KMEMLEAK=/sys/kernel/debug/kmemleak

# ticks_grow: the counter moves within a second (interval_ms=1).
ticks_grow() {
	ticks_over 0.2
	[ "$b" -gt "$a" ]
}

# 8 readers looping on /proc/sched (each read runs the whole show
# function), 2 writers flipping interval_ms; both fail harmlessly while the
# module is not loaded. Loops of shell builtins (no fork per iteration:
# under emulation a fork costs more than the read it would wrap), reniced
# (busybox has no nice), so that they use every idle moment without
# starving the load/unload cycles they race with.
start_readers_and_writers() {
	for _ in 1 2 3 4 5 6 7 8; do
		start_loop "read -r _ <$PROC" 19
	done
	start_loop "echo 1 >$PARAM" 19
	start_loop "echo 2 >$PARAM" 19
}

test_readers_writers_and_ticks_race_freely() {
	load interval_ms=1
	start_readers_and_writers
	sleep "$DEBUG_RACE_SECONDS"
	stop_loops
	echo "# $DEBUG_RACE_SECONDS s of 8 readers, 2 writers and ticks at 1-2 ms"
	expect "not ticking after the race" ticks_grow
}

# Each cycle opens the windows this case is after: a read or a parameter
# write as the module goes away, a tick at unload. 300 of them, not 1000:
# those took six and a half minutes of the KASAN lane under TCG, a tenth
# of CI's hour.
test_stress_cycles_with_readers_and_writers() {
	start_readers_and_writers
	i=0
	rc=0
	while [ $i -lt "$DEBUG_CYCLES" ]; do
		insmod "$KO" interval_ms=1 || { rc=1; break; }
		rmmod sched || { rc=1; break; }
		i=$((i + 1))
		[ $((i % 100)) != 0 ] || echo "# $i cycles"
	done
	stop_loops
	echo "# $i load/unload cycles with 8 readers and 2 writers"
	expect "cycle $i failed" [ "$rc" = 0 ]
}

test_cpu_hotplug_keeps_ticking() {
	cpus=$(ls -d /sys/devices/system/cpu/cpu[1-9]*/online 2>/dev/null || :)
	expect "no hotpluggable CPU (boot with 2 or more)" [ -n "$cpus" ]
	load interval_ms=1
	r=0
	while [ $r -lt "$DEBUG_HOTPLUG_ROUNDS" ]; do
		for c in $cpus; do
			echo 0 >"$c"
		done
		expect "not ticking with CPUs offline (round $r)" ticks_grow
		for c in $cpus; do
			echo 1 >"$c"
		done
		expect "not ticking after CPUs came back (round $r)" ticks_grow
		r=$((r + 1))
	done
	echo "# $r rounds of $(echo "$cpus" | wc -w) CPU(s) offline and online"
}

# The fault injector (tests/guest/failnth.c, built static by scripts/vm/test.sh): loads
# the module with the N-th fault point of the load failing and says whether
# the load failed and whether the fault was reached. A shell cannot do it:
# fail-nth is per task, and an exec'd insmod spends it in exec itself.
FAILNTH=$(dirname "$0")/failnth

test_every_failed_load_is_clean() {
	expect "no $FAILNTH (build tests/guest/failnth.c)" [ -x "$FAILNTH" ]
	# Slab allocations only: GFP_KERNEL ones are exempt by default, and a
	# failed page allocation is reported by the kernel itself (warn_alloc,
	# with a call trace), which would drown any real report.
	echo N >/sys/kernel/debug/failslab/ignore-gfp-wait
	echo 0 >/sys/kernel/debug/failslab/verbose
	echo "$VM_REPORTS_EXPECTED" >/dev/kmsg
	n=0
	failed=0
	tolerated=0
	while :; do
		n=$((n + 1))
		expect "still reaching fault points at $n" [ "$n" -le 5000 ]
		r=$("$FAILNTH" "$n" "$KO" interval_ms=1)
		case $r in
		"loaded missed")
			break
			;;
		"loaded hit")
			# The kernel absorbed the failure (an optional allocation).
			tolerated=$((tolerated + 1))
			expect "loaded with fault $n injected but not ticking" ticks_grow
			rmmod sched
			;;
		failed*hit)
			failed=$((failed + 1))
			expect "failed load at fault $n left something behind" unloaded
			;;
		*)
			echo "# FAIL: fault point $n: $r"
			return 1
			;;
		esac
	done
	echo "$VM_REPORTS_CHECKED" >/dev/kmsg
	expect "the load without faults does not tick" ticks_grow
	rmmod sched
	# The kernel answers some injected failures with a stack dump of its
	# own (kobject_add_internal), full of lockdep_* frames; a real report
	# (lockdep's included) still has a headline of its own.
	none "the kernel reported problems during fault injection" \
		"$(dmesg | sed -n "/$VM_REPORTS_EXPECTED/,\$p" | reports | grep -v 'Call Trace' || :)"
	echo "# $((n - 1)) fault points: $failed loads failed cleanly," \
		"$tolerated absorbed the fault and worked; load $n hit none"
}

test_kmemleak_reports_nothing() {
	expect "no $KMEMLEAK" [ -w "$KMEMLEAK" ]
	# An object is reported once it is older than 5 s and was unreferenced
	# at two scans: the first scan only records.
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	leaks=$(cat "$KMEMLEAK")
	none "kmemleak reports leaks" "$leaks"
}

# Outside the fault injection, which every_failed_load_is_clean checks:
# there the kernel dumps stacks and kmemleak complains by design.
test_dmesg_shows_no_reports() {
	none "the kernel reported problems since the test began" \
		"$(dmesg_since_start | sed "/$VM_REPORTS_EXPECTED/,/$VM_REPORTS_CHECKED/d" | reports)"
}

# Leaks found before the test are not ours: report only what is new.
if [ -w "$KMEMLEAK" ]; then
	echo scan >"$KMEMLEAK"
	echo clear >"$KMEMLEAK"
fi
run_cases "$@"
