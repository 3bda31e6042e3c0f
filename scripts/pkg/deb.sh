#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [SUITE [DIR]]: build the sched-dkms package with dpkg-buildpackage -b
# in the lane chroot of Debian SUITE (default bookworm; scripts/kernels/chroot.sh),
# then run that suite's lintian on the .changes and the .deb. Leaves the
# .deb, .changes, .buildinfo and lintian.log in DIR (default out/deb/SUITE/,
# emptied first) and prints the .deb's path. Fails on any lintian error or
# warning; info tags are listed in the log (README says which remain and
# why).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

suite=${1:-bookworm}
out=${2:-$SRC/out/deb/$suite}

rm -rf "$out"
mkdir -p "$out"
# In the chroot's own /tmp, on a copy: the build writes nothing into the
# source tree (dpkg-buildpackage leaves its products in the copy's parent),
# and nobody can read it there, which it cannot in a clone under /root.
# build-essential: dpkg-checkbuilddeps requires it; the rest is
# debian/control's Build-Depends, plus the suite's own lintian. As the
# checkout's owner (Rules-Requires-Root: no); lintian, which warns against
# root, as nobody when that owner is root. --fail-on: the exit status says
# whether an error or warning was found.
# shellcheck disable=SC2016 # expanded by the chroot's shell
(cd "$SRC" && "$SRC/scripts/kernels/chroot.sh" "$suite" build-essential debhelper dh-dkms lintian -- \
	sh -euc '
	out=$0
	b=$(mktemp -d)
	trap "rm -rf $b" EXIT
	chmod 755 "$b"
	mkdir "$b/sched"
	tar --exclude=./.git --exclude=./out -cf - . | tar -C "$b/sched" -xf -
	cd "$b/sched"
	dpkg-buildpackage -us -uc -b
	cd ..
	[ "$(id -u)" != 0 ] || set -- runuser -u nobody -- env HOME=/tmp
	"$@" lintian --version
	"$@" lintian --display-info --fail-on error,warning ./*.changes >lintian.log 2>&1 ||
		{ cat lintian.log; exit 1; }
	cat lintian.log
	cp ./*.deb ./*.changes ./*.buildinfo lintian.log "$out/"' "$out") >&2
ls "$out"/sched-dkms_*_all.deb
