#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` (scripts/demo.sh) runs inside its VM: load sched.ko, show /proc/sched as it
# counts, change interval_ms at run time, unload.
set -eu

show() {
	echo "\$ cat /proc/sched"
	cat /proc/sched
}

echo "\$ insmod sched.ko"
insmod /sched.ko
for _ in 1 2 3; do
	show
	sleep 1
done
echo "\$ echo 10 > /sys/module/sched/parameters/interval_ms"
echo 10 >/sys/module/sched/parameters/interval_ms
sleep 1
show
echo "\$ rmmod sched"
rmmod sched
echo "unloaded; /proc/sched is gone: $(test -e /proc/sched && echo no || echo yes)"
