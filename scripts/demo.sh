#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: build sched.ko for Debian 12's kernel and show it working in a
# throwaway VM (scripts/demo-guest.sh), without touching the host's kernel.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
dir=$src/out/demo
kernel=$("$src/scripts/fetch-kernel.sh" 6.1)
"$src/scripts/build.sh" "$kernel/build" "$dir" >/dev/null
mkdir -p "$dir/vm"
cp "$dir/sched.ko" "$dir/vm/"
cp "$src/scripts/demo-guest.sh" "$dir/vm/demo.sh"
SCHED_VM_APPEND=quiet "$src/scripts/vm-run.sh" "$kernel/vmlinuz" "$dir/vm" "sh /demo.sh"
