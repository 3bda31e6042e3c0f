#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-debian.sh DISK VMLINUZ INITRD PAYLOAD LOG: boot a Debian system image
# (scripts/debian-image.sh) in QEMU: VMLINUZ and INITRD, root on DISK
# (/dev/vda, qcow2), PAYLOAD (/dev/vdb, raw ext4) holding the guest.sh that
# the image's sched-lifecycle.service runs before it powers off. Streams
# the serial console into LOG (LOG.raw while it runs).
#
# Fails when the guest times out, panics or oopses, or ends without the
# line "sched-lifecycle: done". Environment: SCHED_VM_TIMEOUT (seconds,
# default 1800: systemd, DKMS builds and update-initramfs under TCG take
# minutes), SCHED_VM_MEM (2048M), SCHED_VM_CPUS (2), SCHED_ACCEL (tcg, or
# kvm where it works).
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ $# -ne 5 ]; then
	echo "usage: $0 DISK VMLINUZ INITRD PAYLOAD LOG" >&2
	exit 2
fi
log=$5
timeout=${SCHED_VM_TIMEOUT:-1800}
acc=${SCHED_ACCEL:-tcg}
machine=$(qemu_options amd64 "$acc")

echo "vm-debian: booting $(basename "$2") with $acc" >&2
rc=0
# -no-reboot: a panic (panic=-1) or a reboot ends QEMU instead of looping.
# cache=unsafe: QEMU ignores the guest's flushes (dpkg syncs every package
# it unpacks); the disks are thrown away after the run, and the guest
# powers off cleanly, which writes everything out.
# shellcheck disable=SC2086 # the machine's options, one a word
timeout -k 10 "$timeout" qemu-system-x86_64 $machine -nographic -no-reboot -nic none \
	-accel "$acc" -m "${SCHED_VM_MEM:-2048M}" -smp "${SCHED_VM_CPUS:-2}" \
	-kernel "$2" -initrd "$3" \
	-append "root=/dev/vda rw console=ttyS0 panic=-1 oops=panic loglevel=4" \
	-drive "file=$1,if=virtio,format=qcow2,cache=unsafe" \
	-drive "file=$4,if=virtio,format=raw,cache=unsafe" </dev/null >"$log.raw" 2>&1 || rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"

fail() {
	echo "vm-debian: FAILED: $1; console tail:" >&2
	tail -n 40 "$log" | sed 's/^/vm-debian: | /' >&2
	exit 1
}

[ "$rc" != 124 ] || fail "timed out after ${timeout}s"
bad=$(grep -E 'Kernel panic|BUG:|Oops|Call Trace|general protection' "$log" |
	head -n 1) || :
[ -z "$bad" ] || fail "the kernel reported: $bad"
grep -q '^sched-lifecycle: done' "$log" || fail "the guest ended without finishing its steps"
