#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh JIFFY_MS DRIFT_S PHASE...: the benchmark, run inside the VM
# (busybox sh) by bench/run.sh; bench/report.sh parses what it prints from
# the console that run.sh keeps. Every figure is one line
#
#   bench KIND key=value ...
#
# (a format KTAP has no room for; run.sh itself reads only "bench phase"
# and "bench done", to show progress and to know the guest finished).
#
# The modules and the sampler are in /bench. JIFFY_MS is one jiffy of this
# kernel in ms (from CONFIG_HZ), DRIFT_S the length of each drift run. The
# PHASEs are functions below, run in the order given.
#
# What runs concurrently: the long-interval lateness modules (252 ms as is;
# 10 s and 60 s with and without sched's 7/8 stepping) stay loaded from
# long_start to long_report, so that they see as many periods as possible;
# the 252 ms one wakes four times a second, the others a few times a minute,
# each run a few tens of us. In each drift run, sched and sched_naive tick
# side by side at the same interval, the last with a slow housekeeping
# each (sched_slow, sched_naive_slow).
set -eu

B=/bench
T=/sys/kernel/tracing
jiffy_ms=$1
drift_s=$2
shift 2
# MODULE:INTERVAL_MS. 252 ms is 63 jiffies at HZ=250, the shortest delay the
# timer wheel puts in its level 1 (calc_wheel_index() of kernel/time/timer.c).
LONG="sched_step252ms:252 sched_step10s:10000 sched_step60s:60000
sched_nostep10s:10000 sched_nostep60s:60000"

# load MODULE [INTERVAL_MS]
load() {
	insmod "$B/$1.ko" ${2:+interval_ms=$2}
}

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

# instance NAME EVENT...: a fresh, stopped tracefs instance recording the
# EVENTs (SYSTEM/EVENT), with the raw output format: "pid cpu ns type: ID",
# whose timestamps are in ns (the default format shows us).
instance() {
	d=$T/instances/$1
	shift
	mkdir "$d"
	echo 0 >"$d/tracing_on"
	echo 1 >"$d/options/raw"
	for e in "$@"; do
		echo 1 >"$d/events/$e/enable"
	done
}

# event_id EVENT: the type ID that raw trace lines show for EVENT.
event_id() {
	cat "$T/events/$1/id"
}

# trace_work NAME MODULE FUNCTION EVENT...: an instance that records the
# EVENTs of FUNCTION of MODULE only.
trace_work() {
	addr=$(awk -v f="$3" -v m="[$2]" '$3 == f && $4 == m { print $1 }' /proc/kallsyms)
	[ -n "$addr" ] || { echo "no $3 in [$2] in /proc/kallsyms"; return 1; }
	name=$1
	shift 3
	instance "$name" "$@"
	for e in "$@"; do
		echo "function == 0x$addr" >"$T/instances/$name/events/$e/filter"
	done
}

info() {
	echo "bench info release=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
		"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
		"jiffy_ms=$jiffy_ms cmdline=$(tr ' ' , </proc/cmdline)"
}

# mono_ns: CLOCK_MONOTONIC now, in ns (ktime_get(), the "now at" line of
# /proc/timer_list), the clock of sched's grid and of trace clock "mono".
mono_ns() {
	awk '/^now at / { print $3; exit }' /proc/timer_list
}

# long_start: load the long-interval modules and trace every run of each
# (trace clock "mono"). The grid starts during insmod: the middle of the
# clock reads just before and after it stands for it. The function's
# address is known only once the module is loaded, so tracing begins later;
# /tmp/long.NAME keeps both times for run_lateness.
long_start() {
	for m in $LONG; do
		name=${m%:*}
		t0=$(mono_ns)
		load "$name" "${m#*:}"
		t0=$((t0 + ($(mono_ns) - t0) / 2))
		trace_work "$name" "$name" schedmod_tick workqueue/workqueue_execute_start
		echo mono >"$T/instances/$name/trace_clock"
		echo 1 >"$T/instances/$name/tracing_on"
		echo "$t0 $(mono_ns)" >"/tmp/long.$name"
	done
	echo "bench long_start t=$(uptime_s)"
}

# run_lateness NAME IV_MS: each run's lateness against the grid, from the
# execute_start times of a long_start instance, from the first grid point
# after tracing began; wake-ups before the due time are the intermediate
# legs of sched's 7/8 steps, not runs. The grid's start is known only to a
# few ms (the load's), so the figures are then shifted to make the least
# late run on time: sched never runs early, and a lateness here is what a
# run was later than the best one.
run_lateness() {
	read -r t0 on <"/tmp/long.$1"
	awk -v iv="$(($2 * 1000000))" -v t0="$t0" -v on="$on" \
		-v s="$(event_id workqueue/workqueue_execute_start)" '
		NR == 1 { due = t0 + (int((on - t0) / iv) + 1) * iv }
		$5 != s || $3 < due { next }
		{ late[++n] = $3 - due; due += (int(late[n] / iv) + 1) * iv }
		END {
			for (i = 1; i <= n; i++)
				if (i == 1 || late[i] < min)
					min = late[i]
			for (i = 1; i <= n; i++)
				print late[i] - min
		}'
}

long_report() {
	for m in $LONG; do
		name=${m%:*}
		echo 0 >"$T/instances/$name/tracing_on"
		"$B/sample" "bench long mod=$name iv=${m#*:}" 0 "/proc/$name"
		grep -v '^#' "$T/instances/$name/trace" | run_lateness "$name" "${m#*:}" |
			sed "s/^/bench longrun mod=$name late_ns=/"
		rmmod "$name"
		rmdir "$T/instances/$name"
	done
}

# Both designs side by side, at each interval, sampled once a second.
drift() {
	for iv in "$jiffy_ms" 10 100 1000; do
		load sched "$iv"
		load sched_naive "$iv"
		# Past the first run, which (re)starts sched's grid.
		sleep 1
		"$B/sample" "bench drift iv=$iv" "$drift_s" /proc/sched /proc/sched_naive
		rmmod sched sched_naive
	done
	# Both with a housekeeping of 60 ms (tests/variants), at 100 ms.
	load sched_slow 100
	load sched_naive_slow 100
	sleep 1
	"$B/sample" "bench drift iv=100" "$drift_s" /proc/sched_slow /proc/sched_naive_slow
	rmmod sched_slow sched_naive_slow
}

info
for phase in "$@"; do
	echo "bench phase $phase t=$(uptime_s)"
	"$phase"
done
echo "bench done"
