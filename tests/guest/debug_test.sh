#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
#   tests/guest/debug_test.sh [path/to/sched.ko] [CASE...]: the debug lanes'
#   stress, hotplug, fault injection and kmemleak cases, as KTAP, in a VM of
#   scripts/vm/run.sh (its /init exports VM_REPORTS_EXPECTED and _CHECKED).
set -eu

KO=${1:-$(dirname "$0")/../../sched.ko}
[ $# -eq 0 ] || shift
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

KMEMLEAK=/sys/kernel/debug/kmemleak

# ticks_grow: the counter moves (interval_ms=1).
ticks_grow() { ticks_over 0.2; [ "$b" -gt "$a" ]; }

# 8 readers of /proc/sched, 2 writers of interval_ms (harmless failures while
# the module is out): loops of builtins, since under TCG a fork costs more
# than the read, reniced (busybox has no nice) so as not to starve the cycles.
start_readers_and_writers() {
	for _ in 1 2 3 4 5 6 7 8; do start_loop "read -r _ <$PROC" 19; done
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

# Each cycle opens the windows: a read or a write as the module goes, a tick
# at unload. 300, not 1000: those took 6.5 minutes of the KASAN lane (TCG).
test_stress_cycles_with_readers_and_writers() {
	start_readers_and_writers
	i=0
	while [ $i -lt "$DEBUG_CYCLES" ] && insmod "$KO" interval_ms=1 && rmmod sched; do
		i=$((i + 1))
		[ $((i % 100)) != 0 ] || echo "# $i cycles"
	done
	stop_loops
	echo "# $i load/unload cycles with 8 readers and 2 writers"
	expect "cycle $i failed" [ "$i" = "$DEBUG_CYCLES" ]
}

# shellcheck disable=SC2086 # a list of files
test_cpu_hotplug_keeps_ticking() {
	cpus=$(ls -d /sys/devices/system/cpu/cpu[1-9]*/online 2>/dev/null || :)
	expect "no hotpluggable CPU (boot with 2 or more)" [ -n "$cpus" ]
	load interval_ms=1
	r=0
	while [ $r -lt "$DEBUG_HOTPLUG_ROUNDS" ]; do
		echo 0 | tee $cpus >/dev/null
		expect "not ticking with CPUs offline (round $r)" ticks_grow
		echo 1 | tee $cpus >/dev/null
		expect "not ticking after CPUs came back (round $r)" ticks_grow
		r=$((r + 1))
	done
	echo "# $r rounds of $(echo "$cpus" | wc -w) CPU(s) offline and online"
}

# tests/guest/failnth.c, built by scripts/vm/test.sh. A shell cannot do it:
# fail-nth is per task, and an exec'd insmod spends it in exec itself.
FAILNTH=$(dirname "$0")/failnth

test_every_failed_load_is_clean() {
	expect "no $FAILNTH (build tests/guest/failnth.c)" [ -x "$FAILNTH" ]
	# Slab only, GFP_KERNEL too: a failed page allocation prints warn_alloc's trace.
	echo N >/sys/kernel/debug/failslab/ignore-gfp-wait
	echo 0 >/sys/kernel/debug/failslab/verbose
	echo "$VM_REPORTS_EXPECTED" >/dev/kmsg
	n=0 failed=0 tolerated=0
	while :; do
		n=$((n + 1))
		expect "still reaching fault points at $n" [ "$n" -le 5000 ]
		r=$("$FAILNTH" "$n" "$KO" interval_ms=1)
		case $r in
		"loaded missed") break ;;
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
		*) expect "fault point $n: $r" false ;;
		esac
	done
	echo "$VM_REPORTS_CHECKED" >/dev/kmsg
	expect "the load without faults does not tick" ticks_grow
	rmmod sched
	# Some injected failures get a stack dump (kobject_add_internal); a real
	# report, lockdep's too, still has a headline of its own.
	none "the kernel reported problems during fault injection" \
		"$(dmesg | sed "1,/$VM_REPORTS_EXPECTED/d" | reports | grep -v 'Call Trace' || :)"
	echo "# $((n - 1)) fault points: $failed loads failed cleanly," \
		"$tolerated absorbed the fault and worked; load $n hit none"
}

test_kmemleak_reports_nothing() {
	expect "no $KMEMLEAK" [ -w "$KMEMLEAK" ]
	# Reported once older than 5 s and unreferenced at two scans.
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	none "kmemleak reports leaks" "$(cat "$KMEMLEAK")"
}

# Outside the fault injection, which every_failed_load_is_clean judges.
test_dmesg_shows_no_reports() {
	none "the kernel reported problems since the test began" "$(dmesg_since_start |
		sed "/$VM_REPORTS_EXPECTED/,/$VM_REPORTS_CHECKED/d" | reports)"
}

# Leaks found before the test are not ours: report only what is new.
[ ! -w "$KMEMLEAK" ] || { echo scan >"$KMEMLEAK" && echo clear >"$KMEMLEAK"; }
run_cases "$@"
