#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox): mount the kernel's filesystems, run the
# command in /vm-cmd, print its exit status where vm-run.sh looks for it, and
# power off. No errexit: if init exits, the kernel panics.
/bin/busybox --install -s /bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
export PATH=/bin:/sbin HOME=/root
cd /
sh /vm-cmd
echo "sched-vm: exit $?"
poweroff -f
