#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh JIFFY_MS DRIFT_S: bench/run.sh's guest (busybox sh), the modules and
# the sampler (bench/sample.c) in /bench. It prints "bench KIND key=value ..."
# for bench/report.sh and "bench phase NAME" for run.sh's progress.
set -eu

B=/bench
# MODULE:INTERVAL_MS: copies loaded for the whole boot, to see many long periods.
LONG="sched_10s:10000 sched_60s:60000 sched_naive_10s:10000 sched_naive_60s:60000"

clocksource=/sys/devices/system/clocksource/clocksource0/current_clocksource
echo "bench info clocksource=$(cat "$clocksource")"
echo "bench phase long_start"
for m in $LONG; do
	insmod "$B/${m%:*}.ko" "interval_ms=${m#*:}"
done
echo "bench phase drift"
for iv in "$1" 10 100 1000; do
	insmod "$B/sched.ko" "interval_ms=$iv"
	insmod "$B/sched_naive.ko" "interval_ms=$iv"
	# Past the first run, which (re)starts sched's grid.
	sleep 1
	"$B/sample" "bench drift iv=$iv" "$2" /proc/sched /proc/sched_naive
	rmmod sched sched_naive
done
echo "bench phase long_report"
for m in $LONG; do
	"$B/sample" "bench long iv=${m#*:}" 0 "/proc/${m%:*}"
	rmmod "${m%:*}"
done
