#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KERNEL OUTDIR [SOURCE]: build sched.ko with W=1 for KERNEL (see
# kmake.sh) from a copy of the sources in OUTDIR, SOURCE for sched.c if
# given; the log goes to OUTDIR/build.log. Prints the number of warnings.
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
