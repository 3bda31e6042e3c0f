#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox): mount the kernel's filesystems, run the
# command in /vm-cmd, print its exit status where scripts/vm/run.sh looks
# for it (VM_EXIT, one of the markers run.sh puts in /etc/sched-vm, which
# the command sees too), and end the VM. No errexit: if init exits, the
# kernel panics.
/bin/busybox --install -s /bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
export PATH=/bin:/sbin HOME=/root
set -a
# shellcheck source=/dev/null # written by scripts/vm/run.sh
. /etc/sched-vm
set +a
cd /
echo "$VM_START"
sh /vm-cmd
echo "$VM_EXIT $?"
# A reboot, which QEMU's -no-reboot (scripts/vm/run.sh) turns into its exit
# on every machine, rather than a power-off, which needs the kernel to drive
# ACPI (or PSCI): a kernel that cannot only halts, and QEMU waits for the
# timeout (seen once, an hour, with a debug kernel built without PCI).
reboot -f
