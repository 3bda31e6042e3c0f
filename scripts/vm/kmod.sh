#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmod.sh OVERLAY-DIR: add the host's kmod, its libraries and loader, and
# /sbin/modprobe, depmod, modinfo, insmod, rmmod and lsmod linked to it, to a
# scripts/vm/run.sh overlay: a test in the VM then loads modules with the
# tools a user has, not busybox's applets. Call them by path in the guest:
# Debian's busybox sh runs its own applet for a bare `modprobe`.
set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 OVERLAY-DIR" >&2
	exit 2
fi
overlay=$1
kmod=/bin/kmod

# copy FILE: copy FILE (following symlinks) to the same path in the overlay.
copy() {
	mkdir -p "$overlay$(dirname "$1")"
	cp -L "$1" "$overlay$1"
}

# The paths ldd prints: "lib => /path (addr)" and the loader's "/path (addr)".
libraries() {
	ldd "$kmod" | sed -n -e 's/^.* => \(\/[^ ]*\) .*$/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) .*$/\1/p'
}

copy "$kmod"
for lib in $(libraries); do
	copy "$lib"
done
mkdir -p "$overlay/sbin"
for tool in modprobe depmod modinfo insmod rmmod lsmod; do
	ln -sf "$kmod" "$overlay/sbin/$tool"
done
