#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh JIFFY_MS DRIFT_S: the benchmark, run in the VM (busybox sh) by
# bench/run.sh, the modules and the sampler (bench/sample.c) in /bench. Each
# figure is a console line "bench KIND key=value ..." for bench/report.sh;
# run.sh reads "bench phase", to show progress, and "bench done". sched and
# sched_naive at 10 s and 60 s stay loaded for the whole boot, to see as
# many periods as they can, while the drift runs load both designs side by
# side at 1 jiffy (JIFFY_MS), 10 ms, 100 ms and 1 s, DRIFT_S seconds each.
set -eu

B=/bench
# MODULE:INTERVAL_MS, renamed copies of sched.ko and sched_naive.ko.
LONG="sched_10s:10000 sched_60s:60000 sched_naive_10s:10000 sched_naive_60s:60000"

phase() {
	echo "bench phase $1 t=$(cut -d' ' -f1 /proc/uptime)"
}

echo "bench info clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
phase long_start
for m in $LONG; do
	insmod "$B/${m%:*}.ko" "interval_ms=${m#*:}"
done
phase drift
for iv in "$1" 10 100 1000; do
	insmod "$B/sched.ko" "interval_ms=$iv"
	insmod "$B/sched_naive.ko" "interval_ms=$iv"
	# Past the first run, which (re)starts sched's grid.
	sleep 1
	"$B/sample" "bench drift iv=$iv" "$2" /proc/sched /proc/sched_naive
	rmmod sched sched_naive
done
phase long_report
for m in $LONG; do
	"$B/sample" "bench long iv=${m#*:}" 0 "/proc/${m%:*}"
	rmmod "${m%:*}"
done
echo "bench done"
