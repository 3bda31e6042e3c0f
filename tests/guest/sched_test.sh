#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runtime tests for the sched module, printed as KTAP.
#
#   sudo tests/guest/sched_test.sh [path/to/sched.ko]
#
# Needs root and a kernel that can load modules; loads and unloads sched.ko
# many times. POSIX sh: runs under dash and busybox ash (the test VM).
set -eu

# The module: the argument, else the one make built (the guest's /sched.ko).
KO=${1:-$(dirname "$0")/../../sched.ko}
# Copies of it with another housekeeping (tests/variants/*.patch), built by
# scripts/vm/test.sh; the cases that need one SKIP where there are none.
VARIANTS=$(dirname "$KO")/variants
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# --- helpers ---------------------------------------------------------------

# Monotonic time in centiseconds (/proc/uptime has two decimals).
now_cs() { awk '{ printf "%d\n", $1 * 100 + 0.5 }' /proc/uptime; }

# "CENTISECONDS TICKS MISSED": the time and the counters, read by one
# process a moment apart.
clock_and_counters() {
	cat /proc/uptime "$PROC" | awk 'NR == 1 { t = $1 * 100 + 0.5 }
		/^(ticks|missed): / { c[$1] = $2 }
		END { printf "%d %d %d\n", t, c["ticks:"], c["missed:"] }'
}

# The same from CLOCK_MONOTONIC, which the grid runs on and which, unlike
# /proc/uptime, stops while the system is suspended: "now at" of
# /proc/timer_list (root only) is ktime_get(). One cat reads both: a starved
# VM can take a second to start a second process.
mono_and_counters() {
	cat "$PROC" /proc/timer_list | awk '/^(ticks|missed): / { c[$1] = $2 }
		/^now at / { t = $3 / 10000000 + 0.5; exit }
		END { printf "%d %d %d\n", t, c["ticks:"], c["missed:"] }'
}

# The same just after a run: a run that comes late counts the periods it
# finds missed only when it runs, so counters read while it is overdue lag
# the clock, by seconds when the host starves the VM's CPU.
fresh_mono_and_counters() {
	a=$(field ticks)
	i=0
	while [ "$(field ticks)" = "$a" ] && [ $i -lt 1000 ]; do
		i=$((i + 1))
	done
	mono_and_counters
}

# Run shell command CMD as an unprivileged user.
as_nobody() { su -s /bin/sh -c "$1" nobody; }

# variant NAME: use tests/variants/NAME.patch's module as KO, or skip the case.
variant() {
	KO=$VARIANTS/$1.ko
	[ -r "$KO" ] || { echo "# SKIP: no $KO (scripts/vm/test.sh builds it)" && return 4; }
}

# on_time: load KO at the default 100 ms and judge its lateness over 2 s: every
# run within LATE_MS of its grid point, none missed. A run's lateness is a
# jiffy plus the wake-up (under 25 ms in a VM under TCG, even with the host
# busy); one that includes the slow variant's 60 ms run is longer than
# LATE_MS. A stalled VM makes any window late, so a late window is
# measured again, up to three.
LATE_MS=40
on_time() {
	for try in 1 2 3; do
		load
		sleep 2
		late=$(field max_late_us)
		missed=$(field missed)
		echo "# window $try: max_late_us $late, missed $missed, ticks $(field ticks)"
		[ "$late" -ge $((LATE_MS * 1000)) ] || [ "$missed" != 0 ] || break
	done
	expect "max_late_us $late, want < $((LATE_MS * 1000))" [ "$late" -lt $((LATE_MS * 1000)) ]
	expect "missed $missed, want 0" [ "$missed" = 0 ]
}

BAD_VALUES="0 3600001 -1 abc 99999999999 10x 1.5"

# --- cases -----------------------------------------------------------------

test_module_loads_with_default_interval() {
	load
	expect "interval_ms is $(cat "$PARAM"), want 100" [ "$(cat "$PARAM")" = 100 ]
}

test_proc_file_has_mode_0444() {
	load
	mode=$(stat -c %a "$PROC")
	expect "mode of $PROC is $mode, want 444" [ "$mode" = 444 ]
}

test_proc_file_is_readable_by_non_root() {
	load
	expect "nobody cannot read $PROC" as_nobody "cat $PROC" >/dev/null
}

test_proc_format_keeps_seed_line_and_keys() {
	load
	sleep 0.3
	out=$(cat "$PROC")
	echo "$out" | sed 's/^/#   /'
	first=$(echo "$out" | head -n 1)
	expect "line 1 '$first' is not the seed's format" \
		matches "$first" '^Timer called [0-9]+ times so far$'
	n=$(echo "$first" | sed 's/^Timer called \([0-9]*\) .*/\1/')
	t=$(echo "$out" | sed -n 's/^ticks: //p')
	expect "ticks: '$t' differs from line 1's $n" [ "$t" = "$n" ]
	for key in missed interval_ms max_late_us; do
		expect "no numeric '$key:' line" matches "$out" "^$key: [0-9]+\$"
	done
}

test_counter_grows() {
	load
	ticks_over 1
	expect "ticks went from $a to $b in 1 s at 100 ms" [ "$b" -ge $((a + 5)) ]
}

test_rate_matches_interval() {
	load interval_ms=10
	sleep 0.5
	# At 10 ms one period is one centisecond: every grid point passed is a
	# run or a missed period. A module that re-queues with a plain delay
	# loses a jiffy or more per period (17 % at HZ=250, more with emulated
	# wake-up latency): it drifts, or, if it still keeps the grid, pushes
	# that share into missed (62 % of periods ran, measured under TCG), in
	# every window. A correct module misses periods only when the VM
	# stalls, which comes and goes (88 % ran with the host's two cores busy
	# building a kernel; once 66 % on a slow CI machine, in the KASAN lane):
	# a window with too few runs is measured again, up to three.
	for try in 1 2 3; do
		# shellcheck disable=SC2046 # three numbers
		set -- $(clock_and_counters) $(sleep 4 && clock_and_counters)
		want=$(($4 - $1))
		ticks=$(($5 - $2))
		missed=$(($6 - $3))
		echo "# window $try: $ticks ticks + $missed missed in $want cs"
		[ "$ticks" -lt $((want * 3 / 4)) ] || break
	done
	expect "ticks+missed $((ticks + missed)), want $want +- 3%" \
		within $((ticks + missed)) "$want" $((want * 3 / 100 + 2))
	expect "only $ticks of $want periods ran" [ "$ticks" -ge $((want * 3 / 4)) ]
}

test_runs_are_on_time() {
	on_time
}

# A housekeeping shorter than the period is on time as well: the delay to
# the next run is counted from the clock after it.
test_slow_housekeeping_runs_on_time() {
	variant slow_housekeeping
	on_time
}

# A housekeeping longer than the period: every grid point it ran past is
# missed, not run late, so ticks + missed still counts the periods, and
# neither a reader nor rmmod waits for more than the run in flight.
test_housekeeping_longer_than_the_period_counts_missed() {
	variant slow_housekeeping
	load interval_ms=40
	sleep 0.3
	# shellcheck disable=SC2046 # three numbers
	set -- $(clock_and_counters) $(sleep 3 && clock_and_counters)
	want=$((($4 - $1) * 10 / 40))
	ticks=$(($5 - $2))
	missed=$(($6 - $3))
	echo "# $ticks ticks + $missed missed in $want periods; max_late_us $(field max_late_us)"
	expect "ticks+missed $((ticks + missed)), want $want +- 3%" \
		within $((ticks + missed)) "$want" $((want * 3 / 100 + 2))
	expect "no run in $want periods" [ "$ticks" -gt 0 ]
	expect "no missed period in $want periods" [ "$missed" -gt 0 ]
	t0=$(now_cs)
	cat "$PROC" >/dev/null
	expect "rmmod failed or hung" timeout 60 rmmod sched
	t1=$(now_cs)
	expect "a read and rmmod took $((t1 - t0)) cs, want < 300" [ $((t1 - t0)) -lt 300 ]
}

test_bad_intervals_are_rejected_at_insmod() {
	unload
	for v in $BAD_VALUES ""; do
		if insmod "$KO" "interval_ms=$v" 2>/dev/null; then
			echo "# FAIL: insmod accepted interval_ms='$v'"
			return 1
		fi
		expect "something left behind after interval_ms='$v'" unloaded
	done
	expect "no clear dmesg line for a bad interval" \
		matches "$(dmesg_since_start)" 'sched: interval_ms must be an integer from 1 to 3600000'
	# The kernel's own, after ours: README lists both.
	expect "no kernel line for a bad interval" \
		matches "$(dmesg_since_start)" "sched: \`abc' invalid for parameter \`interval_ms'"
}

test_boundary_intervals_are_accepted() {
	for v in 1 3600000; do
		load "interval_ms=$v"
		expect "interval_ms=$v not shown" [ "$(field interval_ms)" = "$v" ]
	done
}

test_bad_interval_writes_are_rejected_via_sysfs() {
	load interval_ms=50
	for v in $BAD_VALUES ""; do
		if echo "$v" 2>/dev/null >"$PARAM"; then
			echo "# FAIL: sysfs accepted interval_ms='$v'"
			return 1
		fi
		expect "interval_ms changed by '$v'" [ "$(cat "$PARAM")" = 50 ]
	done
	ticks_over 0.5
	expect "not ticking after rejected writes ($a -> $b)" [ "$b" -gt "$a" ]
}

test_writes_to_proc_are_refused() {
	load
	sleep 0.3
	if echo 0 2>/dev/null >"$PROC"; then
		echo "# FAIL: a write to $PROC succeeded"
		return 1
	fi
	expect "ticks reset by a write" [ "$(field ticks)" -gt 0 ]
}

test_interval_change_takes_effect_at_once() {
	load interval_ms=10
	sleep 0.3
	echo 3600000 >"$PARAM"
	expect "/proc/sched does not show the new interval" [ "$(field interval_ms)" = 3600000 ]
	sleep 0.2
	ticks_over 1
	expect "still ticking after the change to 1 h ($a -> $b)" [ "$b" = "$a" ]
	echo 10 >"$PARAM"
	sleep 0.2
	ticks_over 1
	expect "not ticking at 10 ms after the change back ($a -> $b)" [ "$b" -ge $((a + 50)) ]
}

# A configuration tool that re-applies its settings faster than the period
# must not stall the work: the value already set changes nothing, neither
# the grid nor max_late_us.
test_rewriting_the_same_interval_keeps_the_grid() {
	load interval_ms=100
	sleep 0.5
	late0=$(field max_late_us)
	# shellcheck disable=SC2046 # three numbers
	set -- $(clock_and_counters)
	i=0
	while [ $i -lt 250 ]; do
		echo 100 >"$PARAM"
		sleep 0.02
		i=$((i + 1))
	done
	# shellcheck disable=SC2046
	set -- "$@" $(clock_and_counters)
	late1=$(field max_late_us)
	want=$((($4 - $1) / 10))
	ticks=$(($5 - $2))
	missed=$(($6 - $3))
	echo "# 250 writes of 100 in $(($4 - $1)) cs: $ticks ticks + $missed missed," \
		"max_late_us $late0 -> $late1"
	expect "ticks+missed $((ticks + missed)), want $want +- 3%" \
		within $((ticks + missed)) "$want" $((want * 3 / 100 + 2))
	expect "only $ticks of $want periods ran" [ "$ticks" -ge $((want * 3 / 4)) ]
	expect "max_late_us went down from $late0 to $late1" [ "$late1" -ge "$late0" ]
}

# Writes of two values in turn, faster than either period, for 3 s: the
# new grid keeps the phase of the last run, so the housekeeping still runs
# at least once each longer period. A grid laid from each write would
# never come.
test_alternating_writes_cannot_starve_the_work() {
	load interval_ms=100
	sleep 0.3
	a=$(field ticks)
	t0=$(now_cs)
	i=0
	while [ $i -lt 80 ]; do
		i=$((i + 1))
		echo $((i % 2 ? 200 : 100)) >"$PARAM"
		sleep 0.025
	done
	b=$(field ticks)
	t1=$(now_cs)
	want=$(((t1 - t0) / 20 - 1))
	echo "# 80 writes of 200 and 100 in $((t1 - t0)) cs: $((b - a)) ticks"
	expect "$((b - a)) ticks, want >= $want" [ $((b - a)) -ge "$want" ]
}

test_rmmod_is_prompt_at_one_hour_interval() {
	load interval_ms=3600000
	sleep 0.3
	t0=$(now_cs)
	expect "rmmod failed or hung" timeout 60 rmmod sched
	t1=$(now_cs)
	echo "# rmmod took $((t1 - t0)) cs"
	expect "rmmod took $((t1 - t0)) cs, want < 300" [ $((t1 - t0)) -lt 300 ]
}

test_unload_is_safe_while_readers_loop() {
	load interval_ms=1
	for _ in 1 2 3 4; do
		start_loop "cat $PROC"
	done
	sleep 1
	rc=0
	rmmod sched || rc=$?
	stop_loops
	expect "rmmod failed with readers looping" [ "$rc" = 0 ]
	expect "$PROC still there after rmmod" unloaded
}

# CLOCK_MONOTONIC stops while the system sleeps, so the grid does: suspended
# time counts as neither ticks nor missed. Suspend to RAM: QEMU wakes a
# guest only from that, not from suspend-to-idle. In the harness's VM the
# host wakes it once QEMU says it is suspended (scripts/vm/run.sh): an RTC
# alarm set before the suspend can ring while a slow emulated suspend is
# still entering. Elsewhere the RTC alarm wakes it, and the machine is
# suspended only inside a VM (the CPU's hypervisor flag) unless
# SCHED_TEST_SUSPEND is 1.
test_suspend_counts_neither_ticks_nor_missed() {
	[ "$TEST_SUSPEND" = 1 ] || grep -qw hypervisor /proc/cpuinfo || return 4
	alarm=/sys/class/rtc/rtc0/wakealarm
	expect "no suspend to RAM here" grep -qw deep /sys/power/mem_sleep
	[ -n "${VM_SUSPEND:-}" ] || expect "no RTC wake alarm here" [ -w "$alarm" ]
	load interval_ms=10
	sleep 0.5
	# shellcheck disable=SC2046 # three numbers
	set -- $(fresh_mono_and_counters)
	boot0=$(now_cs)
	echo deep >/sys/power/mem_sleep
	if [ -n "${VM_SUSPEND:-}" ]; then
		echo "$VM_SUSPEND"
	else
		echo 0 >"$alarm"
		echo +5 >"$alarm"
	fi
	echo mem >/sys/power/state
	# shellcheck disable=SC2046
	set -- "$@" $(mono_and_counters)
	slept=$(($(now_cs) - boot0 - ($4 - $1)))
	# shellcheck disable=SC2046
	set -- "$@" $(sleep 3 && fresh_mono_and_counters)
	want=$(($7 - $1))
	ticks=$(($8 - $2))
	missed=$(($9 - $3))
	echo "# slept $slept cs; then $ticks ticks + $missed missed in $want cs of CLOCK_MONOTONIC"
	expect "no 'PM: suspend exit' in the kernel log" \
		matches "$(dmesg_since_start)" 'PM: suspend exit'
	# The host or the alarm wakes it 4 to 5 s later.
	expect "CLOCK_MONOTONIC stopped for $slept cs only, want >= 300" [ "$slept" -ge 300 ]
	expect "ticks+missed $((ticks + missed)), want $want +- 3%" \
		within $((ticks + missed)) "$want" $((want * 3 / 100 + 2))
	# It ticks on after resume. Half, not rate_matches_interval's 3/4: the
	# seconds after resume are busy (devices coming back, and a slow kernel
	# stalls there: see scripts/debug/lane.sh), and that case already judges
	# the rate; a work left frozen would run none.
	ticks=$(($8 - $5))
	want=$(($7 - $4))
	expect "only $ticks of $want periods ran after resume" [ "$ticks" -ge $((want / 2)) ]
}

test_load_unload_loop_is_clean() {
	i=0
	while [ $i -lt 25 ]; do
		load interval_ms=1
		cat "$PROC" >/dev/null
		rmmod sched
		i=$((i + 1))
	done
	expect "module left loaded" unloaded
}

test_kernel_survives_after_short_interval_unload() {
	load interval_ms=1
	sleep 0.3
	rmmod sched
	# A timer left behind would fire into freed module memory within these
	# hundreds of periods.
	sleep 0.5
	expect "module left loaded" unloaded
	expect "an oops after unload" lacks "$(dmesg_since_start)" 'Oops|BUG:|general protection'
}

# Also catches the newest kernels' notes about deprecated API use. "bug" as
# a word: suspend says "use no_console_suspend to debug".
test_dmesg_shows_no_warnings() {
	none "the kernel log has warnings since the test began" \
		"$(dmesg_since_start | grep -iE '\<bug\>|warning|oops|call trace|deprecat' || :)"
}

# shellcheck disable=SC2119 # no names: every case of this file
run_cases
