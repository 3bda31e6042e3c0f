#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` (scripts/demo.sh) runs inside its VM: load sched.ko, show /proc/sched as it
# counts, change interval_ms at run time, unload. Every line it prints starts with "demo| ", and
# demo.sh shows what follows that mark wherever it is: the firmware's last words and the kernel's
# messages share the console and may leave a line unfinished before ours begins.
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
