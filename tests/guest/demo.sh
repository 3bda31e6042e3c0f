#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`'s guest (scripts/demo.sh): load sched.ko, show /proc/sched as it counts, change
# interval_ms, unload. Each line starts "demo| ", which scripts/demo.sh finds wherever it is on
# the console: the kernel's messages may leave a line unfinished before ours.
set -eu

say() { printf 'demo| %s\n' "$*"; }

show() {
	say "\$ cat /proc/sched"
	sed 's/^/demo| /' /proc/sched
}

say "\$ insmod sched.ko"
insmod /sched.ko
for _ in 1 2 3; do
	show
	sleep 1
done
say "\$ echo 10 > /sys/module/sched/parameters/interval_ms"
echo 10 >/sys/module/sched/parameters/interval_ms
sleep 1
show
say "\$ rmmod sched"
rmmod sched
say "unloaded; /proc/sched is gone: $(test -e /proc/sched && echo no || echo yes)"
