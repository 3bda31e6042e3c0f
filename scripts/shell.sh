#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shell.sh [LANE]: boot LANE's kernel (default: as `make demo`) in QEMU with sched.ko
# built for it as /sched.ko, and give a busybox shell on its console; the VM ends when it
# exits (or at Ctrl-A x). Not from a terminal, the commands of standard input run in the
# guest, each echoed, and the exit status is the last one's. A kernel report fails the run.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/lib/harness.sh"

lane=$(default_lane "${1:-}")
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
dir=$SRC/out/shell/$lane
input=$dir.input
mkdir -p "$input"
log "$lane: Debian kernel $(cat "$kernel/release"); console log in $dir/console.log"
if [ -t 0 ]; then
	# No timeout unless set; cttyhack: the console as the shell's ctty, so Ctrl-C reaches it.
	SCHED_VM_TIMEOUT=${VM_TIMEOUT:-0} exec "$SRC/scripts/vm/test.sh" -i "$kernel" "$dir" \
		"echo 'sched shell: insmod /sched.ko; cat /proc/sched; exit ends the VM'; setsid cttyhack sh"
fi
# Into the guest as a script: nothing is lost while it boots.
cat >"$input/commands"
SCHED_VM_OVERLAY=$input exec "$SRC/scripts/vm/test.sh" "$kernel" "$dir" "sh -v /commands"
