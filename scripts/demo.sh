#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [LANE]: build sched.ko for a Debian kernel (default: the lane of the
# Debian release this host runs, else trixie) and show it working in a
# throwaway VM (tests/guest/demo.sh), without touching the host's kernel.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/lib/harness.sh"

lane=$(default_lane "${1:-}")
dir=$SRC/out/demo
mkdir -p "$SRC/out"

cat <<EOT
sched demo: sched.ko is built for Debian's $lane kernel and loaded in a
throwaway QEMU VM; your own kernel is not touched. Inside the VM you will
see the module load, /proc/sched count its runs once a second (10 a second at
the default interval_ms=100), the interval changed to 10 ms at run time,
and the module unloaded. The first run downloads the kernel (30-120 MB).

EOT
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
echo "booting Debian kernel $(cat "$kernel/release") in QEMU..."
SCHED_VM_APPEND=quiet "$SRC/scripts/vm/test.sh" "$kernel" "$dir" "sh /tests/demo.sh" \
	>/dev/null 2>"$dir.err" || {
	cat "$dir.err" >&2
	die "the demo failed; the VM's console is in $dir/console.log"
}
# Only the demo's own lines, wherever they begin (tests/guest/demo.sh).
sed -n 's/^.*demo| //p' "$dir/console.log"
