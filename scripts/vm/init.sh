#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox): mount the kernel's filesystems, run
# /vm-cmd, print its exit status after $VM_EXIT (/etc/sched-vm, from
# scripts/vm/run.sh) and end the VM. No errexit: if init exits, the kernel
# panics.
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
# A reboot, which -no-reboot turns into QEMU's exit on every machine; a
# power-off needs ACPI or PSCI, and without them QEMU waited for its timeout.
reboot -f
