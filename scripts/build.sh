#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KDIR OUTDIR [SOURCE]: build sched.ko with W=1 against the kernel
# headers in KDIR, in OUTDIR (a copy of the sources, so that builds for
# several kernels do not overwrite each other). SOURCE replaces sched.c (the
# mutation tests build broken copies). KDIR "sid" builds against Debian
# sid's headers inside the sid chroot (scripts/sid-make.sh). The build log
# goes to OUTDIR/build.log; prints the number of compiler warnings.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
cp "${3:-$src/sched.c}" "$out/sched.c"
cp "$src/Kbuild" "$src/dkms.conf" "$out/"
out=$(cd "$out" && pwd)

kbuild() {
	if [ "$kdir" = sid ]; then
		cp "$src/Makefile" "$out/"
		SRC=$out "$src/scripts/sid-make.sh" W=1 modules
	else
		make -C "$kdir" M="$out" W=1 modules
	fi
}

if ! kbuild >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
grep -c 'warning:' "$out/build.log" || :
