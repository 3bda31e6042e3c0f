#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KERNEL OUTDIR [SOURCE]: build sched.ko with W=1 for KERNEL (a
# directory of scripts/kernels/kernel.sh or scripts/debug/kernel.sh), in OUTDIR (a
# copy of the sources, so that builds for several kernels do not overwrite
# each other). SOURCE replaces sched.c (the mutation tests build broken
# copies). The build log goes to OUTDIR/build.log; prints the number of
# compiler warnings.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

kernel=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
cp "${3:-$SRC/sched.c}" "$out/sched.c"
cp "$SRC/Kbuild" "$SRC/dkms.conf" "$out/"
out=$(cd "$out" && pwd)

if ! "$SRC/scripts/kernels/kmake.sh" "$kernel" M="$out" W=1 modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
grep -c 'warning:' "$out/build.log" || :
