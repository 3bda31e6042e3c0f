#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmod.sh OVERLAY-DIR: add the host's kmod to a scripts/vm/run.sh overlay,
# so that a test in the VM loads modules with the tools a user has (modprobe
# reading modules.dep and /etc/modprobe.d, modinfo, depmod...) rather than
# with busybox's applets, which behave differently.
#
# Copies /bin/kmod, the shared libraries ldd lists for it and the dynamic
# loader to the same paths in OVERLAY-DIR, and makes /sbin/modprobe, depmod,
# modinfo, insmod, rmmod and lsmod symlinks to it (busybox's --install at
# boot puts its applets in /bin and leaves existing files alone; the kernel
# runs /sbin/modprobe for request_module()).
#
# In the guest, call them by path (/sbin/modprobe): Debian's busybox sh is
# built with FEATURE_SH_STANDALONE and runs its own applet for a bare
# `modprobe` whatever PATH says.
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

# The absolute paths of ldd's answer: "lib => /path (addr)" and, for the
# loader, "/path (addr)"; linux-vdso has no file.
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
