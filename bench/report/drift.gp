# SPDX-License-Identifier: GPL-2.0
#
# The cumulative drift of sched and sched_naive at 10 ms (bench/drift.png).
# bench/report.sh sets out (the PNG), sched and naive (the data files, from
# plot.awk) and rel and accel (the kernel release, QEMU's accelerator).
set terminal pngcairo size 800,480 font ",10"
set output out
set title sprintf("Cumulative drift at interval\\_ms=10 (%s, QEMU %s)", rel, accel)
set xlabel "time since the first sample (s)"
set ylabel "behind schedule (s)"
set key top left
set grid
plot naive using 1:2 with linespoints pt 7 ps 0.4 \
	title "sched\\_naive: re-queue with delay = interval after each run", \
     sched using 1:2 with linespoints pt 7 ps 0.4 \
	title "sched: fixed grid"
