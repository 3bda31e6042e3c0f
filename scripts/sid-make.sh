#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sid-make.sh [make args...] - build the module against Debian sid's newest
# kernel headers: runs
#
#   make -C SRC KDIR=/usr/src/linux-headers-REL [make args...]
#
# inside the sid chroot (see sid-chroot.sh), with SRC bind-mounted at the
# same path, so build products land in SRC as in a host build and compiler
# messages name host paths.  SRC defaults to the repository root (the
# parent of this script's directory).  The exit status is make's.
#
# Environment: SRC, plus SCHED_CACHE, SID_ROOT, SID_REFRESH, SID_MIRROR as
# for sid-chroot.sh.  Needs root (chroot, mount).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}
src=$(cd "${SRC:-$here/..}" && pwd -P)

die() {
	printf 'sid-make: error: %s\n' "$*" >&2
	exit 1
}

root=$("$here/sid-chroot.sh")
# shellcheck disable=SC2016 # a dpkg-query format, not a variable
rel=$(chroot "$root" dpkg-query -W -f '${Depends}\n' linux-headers-amd64 |
	tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p')
kdir=/usr/src/linux-headers-$rel
if [ -z "$rel" ] || [ ! -d "$root$kdir" ]; then
	die "no kernel headers in $root"
fi

# A shared hold on sid-chroot.sh's lock keeps a concurrent refresh from
# swapping the headers out from under this build.
exec 9>"$cache/sid/lock"
flock -s 9

# Build as the owner of the tree, so a root run leaves no root-owned files
# in someone's checkout.
owner=$(stat -c %u:%g "$src")

# The mounts live in a private mount namespace: they vanish with the build
# even if it is killed, and the host never sees them.  The trap unmounts
# them explicitly all the same.  objtool needs /proc (read_stack_limit:
# fopen failed), so it is mounted for the build's duration.  exec, so that
# a signal sent to this script reaches the shell that forwards it to make.
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private -- sh -eu -c '
	r=$1 s=$2 owner=$3 kdir=$4
	shift 4
	pid=
	cleanup() {
		umount "$r/proc" 2>/dev/null || :
		umount "$r$s" 2>/dev/null || :
	}
	# Stop every process of the build, let them finish, and only then
	# unmount.  Always TERM: a background job starts with SIGINT ignored.
	stop() {
		if [ -n "$pid" ]; then
			kill -TERM -"$pid" 2>/dev/null || :
			wait "$pid" 2>/dev/null || :
		fi
		exit "$1"
	}
	trap cleanup EXIT
	trap "stop 129" HUP
	trap "stop 130" INT
	trap "stop 143" TERM
	mkdir -p "$r$s"
	mount --bind "$s" "$r$s"
	mount -t proc proc "$r/proc"
	# In the background, so the traps run at once rather than when make
	# ends, and in a process group of its own, for stop to signal.
	setsid -w chroot --userspec="$owner" "$r" env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 \
		make -C "$s" KDIR="$kdir" "$@" &
	pid=$!
	wait "$pid"
' sh "$root" "$src" "$owner" "$kdir" "$@"
