#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh JIFFY_MS DRIFT_S: bench/run.sh's guest (busybox sh), with the
# modules and bench/sample.c's sampler in /bench; each figure is a console
# line "bench KIND key=value ..." for bench/report.sh.
set -eu

B=/bench
# MODULE:INTERVAL_MS, renamed copies loaded for the whole boot, to see as many
# long periods as they can.
LONG="sched_10s:10000 sched_60s:60000 sched_naive_10s:10000 sched_naive_60s:60000"

# "bench phase": bench/run.sh shows these as the guest's progress.
phase() {
	echo "bench phase $1 t=$(cut -d' ' -f1 /proc/uptime)"
}

clocksource=/sys/devices/system/clocksource/clocksource0/current_clocksource
echo "bench info clocksource=$(cat "$clocksource")"
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
