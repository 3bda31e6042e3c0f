#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh JIFFY_MS DRIFT_S TICK_S PHASE...: the benchmark, run inside the VM
# (busybox sh) by bench/run.sh; bench/report.sh parses what it prints from
# the console that run.sh keeps. Every figure is one line
#
#   bench KIND key=value ...
#
# (a format KTAP has no room for; run.sh itself reads only "bench phase"
# and "bench done", to show progress and to know the guest finished).
#
# The modules and static tools are in /bench. JIFFY_MS is one jiffy of this
# kernel in ms (from CONFIG_HZ), DRIFT_S the length of each drift run, TICK_S
# how long handler run times are traced. The PHASEs are functions below, run
# in the order given.
#
# What runs concurrently: the long-interval lateness modules (252 ms as is;
# 10 s and 60 s with and without sched's 7/8 stepping) stay loaded from
# long_start to long_report, so that they see as many periods as possible;
# the 252 ms one wakes four times a second, the others a few times a minute,
# each run a few tens of us. In each drift run, sched and sched_naive tick
# side by side at the same interval. Everything else runs alone.
set -eu

B=/bench
T=/sys/kernel/tracing
jiffy_ms=$1
drift_s=$2
tick_s=$3
shift 3
# MODULE:INTERVAL_MS. 252 ms is 63 jiffies at HZ=250, the shortest delay the
# timer wheel puts in its level 1 (calc_wheel_index() of kernel/time/timer.c).
LONG="sched_step252ms:252 sched_step10s:10000 sched_step60s:60000
sched_nostep10s:10000 sched_nostep60s:60000"

# load MODULE [INTERVAL_MS]
load() {
	insmod "$B/$1.ko" ${2:+interval_ms=$2}
}

# tagged TAG COMMAND...: run COMMAND, print each line of its output after
# "bench TAG "; fail (showing the output) if COMMAND fails.
tagged() {
	tag=$1
	shift
	"$@" >/tmp/tagged.out || { cat /tmp/tagged.out; return 1; }
	sed "s/^/bench $tag /" /tmp/tagged.out
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

info() {
	echo "bench info release=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
		"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
		"jiffy_ms=$jiffy_ms cmdline=$(tr ' ' , </proc/cmdline)"
}

# long_start: load the long-interval modules and trace every run of each
# (trace clock "mono", the clock sched's grid is on). The function's address
# is known only once the module is loaded, so the grid is restarted (an
# interval_ms write) once the tracing is on: its first traced run is the
# grid's start.
long_start() {
	for m in $LONG; do
		name=${m%:*}
		load "$name" "${m#*:}"
		trace_work "$name" "$name" schedmod_tick workqueue/workqueue_execute_start
		echo mono >"$T/instances/$name/trace_clock"
		echo 1 >"$T/instances/$name/tracing_on"
		echo "${m#*:}" >"/sys/module/$name/parameters/interval_ms"
	done
	echo "bench long_start t=$(uptime_s)"
}

# run_lateness IV_MS: each run's lateness against the grid, from the
# execute_start times of a long_start instance; wake-ups before the due
# time are the intermediate legs of sched's 7/8 steps, not runs.
run_lateness() {
	awk -v iv="$(($1 * 1000000))" -v s="$(event_id workqueue/workqueue_execute_start)" '
		$5 != s { next }
		n++ == 0 { due = $3 + iv; next }
		$3 < due { next }
		{ late = $3 - due; print late; due += (int(late / iv) + 1) * iv }'
}

long_report() {
	for m in $LONG; do
		name=${m%:*}
		echo 0 >"$T/instances/$name/tracing_on"
		"$B/sample" "bench long mod=$name iv=${m#*:}" 0 "/proc/$name"
		grep -v '^#' "$T/instances/$name/trace" | run_lateness "${m#*:}" |
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
}

# unload_split: the last delete_module() in parts, from its tracepoints
# and two kprobes: "pre", from the syscall to the module's exit function
# (whose first call is remove_proc_entry()); "exit", the exit function (to
# the return of destroy_workqueue(), its last call); "notify", the kernel's
# module notifiers; "free", free_module() (sysfs teardown, an RCU grace
# period, freeing the module's memory).
unload_split() {
	d=$T/instances/unload
	awk -v enter="$(event_id syscalls/sys_enter_delete_module)" \
		-v begin="$(event_id bench/exit_begin)" \
		-v end="$(event_id bench/exit_end)" \
		-v free="$(event_id module/module_free)" \
		-v ret="$(event_id syscalls/sys_exit_delete_module)" '
		$5 == enter { t0 = $3 }
		$5 == begin && !t1 { t1 = $3 }
		$5 == end && !t3 { t2 = $3 }
		$5 == free { t3 = $3 }
		$5 == ret { t4 = $3 }
		END {
			printf "pre_ns=%d exit_ns=%d notify_ns=%d free_ns=%d\n",
				t1 - t0, t2 - t1, t3 - t2, t4 - t3
		}' "$d/trace"
	echo >"$d/trace"
}

# unload_once HOW MODULE IV: load MODULE at IV, wait 0.5 s (the work is
# armed, or at 10 ms perhaps running), unload it and print the time:
# HOW=syscall, delete_module() alone; traced, the same under tracing, in
# parts; rmmod, busybox rmmod from fork to exit.
unload_once() {
	load "$2" "$3"
	sleep 0.5
	tag="unload mod=$2 iv=$3 how=$1"
	case $1 in
	syscall)
		tagged "$tag" "$B/unload" "$2"
		;;
	traced)
		echo 1 >"$T/instances/unload/tracing_on"
		ns=$("$B/unload" "$2")
		echo 0 >"$T/instances/unload/tracing_on"
		echo "bench $tag $ns $(unload_split)"
		;;
	rmmod)
		tagged "$tag" "$B/unload" -x rmmod "$2"
		;;
	esac
}

UNLOAD_EVENTS="syscalls/sys_enter_delete_module bench/exit_begin bench/exit_end
module/module_free syscalls/sys_exit_delete_module"

# unload_events 0|1: switch the unload instance's events off or on.
unload_events() {
	for e in $UNLOAD_EVENTS; do
		echo "$1" >"$T/instances/unload/events/$e/enable"
	done
}

# Five unloads of each kind, per module and interval. The events are on
# only around the traced ones: syscall tracepoints slow every system call.
unload() {
	echo "p:bench/exit_begin remove_proc_entry" >>"$T/kprobe_events"
	echo "r:bench/exit_end destroy_workqueue" >>"$T/kprobe_events"
	# shellcheck disable=SC2086 # a list of events
	instance unload $UNLOAD_EVENTS
	unload_events 0
	for m in sched sched_naive; do
		for iv in 10 1000 3600000; do
			for _ in 1 2 3 4 5; do
				unload_once syscall "$m" "$iv"
				unload_events 1
				unload_once traced "$m" "$iv"
				unload_events 0
				unload_once rmmod "$m" "$iv"
			done
		done
	done
	rmdir "$T/instances/unload"
	echo "-:bench/exit_begin" >>"$T/kprobe_events"
	echo "-:bench/exit_end" >>"$T/kprobe_events"
}

readcost() {
	load sched
	sleep 0.5
	tagged read "$B/readcost" 2000 9 /proc/sched /proc/uptime
	rmmod sched
}

slab_kb() {
	sed -n 's/^Slab: *\([0-9]*\) kB$/\1/p' /proc/meminfo
}

# live_bytes: bytes allocated by kmalloc()/kmem_cache_alloc() in the trace
# of the kmem instance and not freed in it (pointers are hashed, but
# consistently within a boot). Allocations of this script's own processes
# (sh, sleep) are not the module's and are left out; their frees count.
live_bytes() {
	awk '/^#/ { next }
	{
		ev = p = b = ""
		for (i = 2; i <= NF; i++) {
			if ($i ~ /^(kmalloc|kmem_cache_alloc|kfree|kmem_cache_free):$/)
				ev = $i
			else if ($i ~ /^ptr=/)
				p = substr($i, 5)
			else if ($i ~ /^bytes_alloc=/)
				b = substr($i, 13)
		}
		if (ev ~ /^(kmalloc|kmem_cache_alloc):$/) {
			if ($1 !~ /^(sh|sleep)-[0-9]+$/)
				live[p] = b
		} else if (ev != "") {
			delete live[p]
		}
	} END { for (p in live) s += live[p]; print s + 0 }' "$T/instances/kmem/trace"
}

# Slab memory in /proc/meminfo before and after load, the kmalloc and
# kmem_cache bytes the load allocated and still held, how many of those
# were still held 1 s after the unload (a leak would show here), and the
# module's own memory from /proc/modules.
footprint() {
	mkdir "$T/instances/kmem"
	for e in kmalloc kmem_cache_alloc kfree kmem_cache_free; do
		echo 1 >"$T/instances/kmem/events/kmem/$e/enable"
	done
	for m in sched sched_naive; do
		for _ in 1 2 3 4 5; do
			sleep 1
			echo >"$T/instances/kmem/trace"
			before=$(slab_kb)
			echo 1 >"$T/instances/kmem/tracing_on"
			load "$m"
			echo 0 >"$T/instances/kmem/tracing_on"
			after=$(slab_kb)
			held=$(live_bytes)
			size=$(awk -v m="$m" '$1 == m { print $2 }' /proc/modules)
			echo 1 >"$T/instances/kmem/tracing_on"
			rmmod "$m"
			# RCU-deferred frees.
			sleep 1
			echo 0 >"$T/instances/kmem/tracing_on"
			echo "bench slab mod=$m before_kb=$before after_kb=$after" \
				"held_bytes=$held left_bytes=$(live_bytes) module_bytes=$size"
		done
	done
	rmdir "$T/instances/kmem"
}

# trace_work NAME MODULE FUNCTION [EVENT...]: an instance that records the
# EVENTs (default: workqueue execute_start and execute_end) of FUNCTION of
# MODULE only.
trace_work() {
	addr=$(awk -v f="$3" -v m="[$2]" '$3 == f && $4 == m { print $1 }' /proc/kallsyms)
	[ -n "$addr" ] || { echo "no $3 in [$2] in /proc/kallsyms"; return 1; }
	name=$1
	shift 3
	[ $# -gt 0 ] ||
		set -- workqueue/workqueue_execute_start workqueue/workqueue_execute_end
	instance "$name" "$@"
	for e in "$@"; do
		echo "function == 0x$addr" >"$T/instances/$name/events/$e/filter"
	done
}

# durations NAME: the start-to-end times, in ns, of the runs in the trace
# of instance NAME (paired per pid).
durations() {
	grep -v '^#' "$T/instances/$1/trace" |
		awk -v s="$(event_id workqueue/workqueue_execute_start)" '
			$5 == s { t[$1] = $3; next }
			($1 in t) { print $3 - t[$1]; delete t[$1] }'
}

# tick_stats NAME: p10, median, p99 and max of the run times in
# /tmp/ticks.NAME; "ticks", how many ticks the handler counted meanwhile
# (-1: it does not count them).
tick_stats() {
	ticks=$(awk '{ s += $1 } END { print NR ? s : -1 }' "/tmp/ticks.$1.n" 2>/dev/null || echo -1)
	sort -n "/tmp/ticks.$1" | awk -v m="$1" -v ticks="$ticks" '{ d[NR] = $1 }
		END {
			if (NR == 0) { print "bench tick mod=" m " n=0"; exit }
			printf "bench tick mod=%s n=%d p10_ns=%d median_ns=%d p99_ns=%d max_ns=%d ticks=%d\n",
				m, NR, d[int((NR + 9) / 10)], d[int((NR + 1) / 2)],
				d[int((NR * 99 + 99) / 100)], d[NR], ticks
		}'
}

# field FILE KEY: the value of the "KEY: value" line of FILE.
field() {
	sed -n "s/^$2: //p" "$1"
}

# tick_window NAME MODULE FUNCTION [PARAM...]: load MODULE, trace the runs
# of FUNCTION for one window, add their times to /tmp/ticks.NAME (and the
# ticks counted meanwhile, if MODULE has a /proc file, to /tmp/ticks.NAME.n),
# unload.
tick_window() {
	name=$1
	mod=$2
	fn=$3
	shift 3
	insmod "$B/$mod.ko" interval_ms=10 "$@"
	sleep 1
	trace_work "$name" "$mod" "$fn"
	[ ! -e "/proc/$mod" ] || t0=$(field "/proc/$mod" ticks)
	echo 1 >"$T/instances/$name/tracing_on"
	sleep "$((tick_s / 3))"
	echo 0 >"$T/instances/$name/tracing_on"
	[ ! -e "/proc/$mod" ] ||
		echo $(($(field "/proc/$mod" ticks) - t0)) >>"/tmp/ticks.$name.n"
	durations "$name" >>"/tmp/ticks.$name"
	rmdir "$T/instances/$name"
	rmmod "$mod"
}

# Handler run times of sched and of the empty yardstick (with and without
# two clock reads), each alone at 10 ms, in three rounds of windows taken in
# turn: run alone, because handlers that fire on the same tick contend for
# the same locks, which under emulation costs more than the handlers do.
# sched's runs are compared with its ticks: runs that are not ticks are the
# early wake-ups its "before the due time" check re-arms.
tickcost() {
	rm -f /tmp/ticks.*
	for _ in 1 2 3; do
		tick_window sched sched schedmod_tick
		tick_window sched_empty sched_empty empty_tick
		tick_window sched_empty_clock sched_empty empty_tick clock_reads=2
	done
	for name in sched sched_empty sched_empty_clock; do
		tick_stats "$name"
	done
}

info
for phase in "$@"; do
	echo "bench phase $phase t=$(uptime_s)"
	"$phase"
done
echo "bench done"
