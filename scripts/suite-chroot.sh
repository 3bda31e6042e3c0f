#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# suite-chroot.sh SUITE SRC OUT COMMAND: run COMMAND (sh -c) as root in a
# fresh minbase chroot of Debian SUITE (bookworm, trixie...), with the
# directory SRC bind-mounted read-only at /src and OUT read-write at /out.
#
# STOPGAP: the lead's shared lane-chroot helper replaces this script when it
# lands; its callers (scripts/deb.sh) need only a chroot of SUITE with
# $SUITE_CHROOT_INCLUDE installed and the two bind mounts.
#
# The chroot is made once with mmdebstrap and kept as a tarball in
# $SCHED_CACHE/chroot/, keyed by suite and package list and made anew when
# older than a day (so that it has the suite's current packages); each run
# unpacks it into a new directory, so nothing from an earlier run is left.
# Environment: SUITE_CHROOT_INCLUDE (packages, comma-separated),
# SCHED_CACHE, SCHED_MIRROR (default http://deb.debian.org/debian).
set -eu

if [ $# -ne 4 ]; then
	echo "usage: $0 SUITE SRC OUT COMMAND" >&2
	exit 2
fi
suite=$1
src=$(cd "$2" && pwd)
out=$(cd "$3" && pwd)
cmd=$4
cache=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}/chroot
mirror=${SCHED_MIRROR:-http://deb.debian.org/debian}
include=${SUITE_CHROOT_INCLUDE:-}

[ "$(id -u)" = 0 ] || { echo "$0: must run as root (chroot, mount)" >&2; exit 1; }

key=$(printf '%s %s %s' "$suite" "$mirror" "$include" | sha256sum | cut -c1-12)
tarball=$cache/$suite-$key.tar
mkdir -p "$cache"
if [ -z "$(find "$tarball" -mmin -1440 2>/dev/null)" ]; then
	echo "suite-chroot: making the $suite chroot ($include)" >&2
	mmdebstrap --variant=minbase --include="$include" --quiet \
		"$suite" "$tarball.new.tar" "$mirror" >&2
	mv "$tarball.new.tar" "$tarball"
fi

root=$(mktemp -d "$cache/run.XXXXXX")
# The mounts live in a private mount namespace (unshare -m), so they vanish
# with the command even when it is killed: the rm -rf below can never walk
# into the bind-mounted source.
trap 'rm -rf "$root"' EXIT
tar -C "$root" -xf "$tarball"
mkdir -p "$root/src" "$root/out"
rc=0
# shellcheck disable=SC2016 # expanded by the inner sh
unshare -m sh -eu -c '
	root=$1
	mount --bind "$2" "$root/src"
	mount -o remount,bind,ro "$root/src"
	mount --bind "$3" "$root/out"
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	exec chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 sh -eu -c "$4"
' suite-chroot "$root" "$src" "$out" "$cmd" || rc=$?
exit "$rc"
