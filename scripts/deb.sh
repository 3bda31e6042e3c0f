#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [SUITE]: build the sched-dkms package with dpkg-buildpackage -b in
# a clean chroot of Debian SUITE (default bookworm), then run that suite's
# lintian on the .changes and the .deb. Leaves the .deb, .changes,
# .buildinfo and lintian.log in out/deb/SUITE/ and prints the .deb's path.
# Fails on any lintian error or warning; info tags are listed in the log
# (README says which remain and why).
set -eu

suite=${1:-bookworm}
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/out/deb/$suite

[ "$(id -u)" = 0 ] || { echo "$0: must run as root (chroot)" >&2; exit 1; }
# Through install-deps.sh only when missing: it runs apt-get update.
command -v mmdebstrap >/dev/null || "$src/scripts/install-deps.sh" mmdebstrap >&2

rm -rf "$out"
mkdir -p "$out"
# build-essential: dpkg-checkbuilddeps requires it; the rest is
# debian/control's Build-Depends, plus the suite's own lintian.
SUITE_CHROOT_INCLUDE=build-essential,debhelper,dh-dkms,lintian \
	"$src/scripts/suite-chroot.sh" "$suite" "$src" "$out" '
	# A copy, so that the build writes nothing into the source tree.
	mkdir -p /build/sched
	tar -C /src --exclude=./.git --exclude=./out -cf - . | tar -C /build/sched -xf -
	cd /build/sched
	dpkg-buildpackage -us -uc -b
	cp ../*.deb ../*.changes ../*.buildinfo /out/
	cd /out
	lintian --version
	# As nobody (lintian warns against root); --fail-on: the exit status
	# says whether an error or warning was found.
	runuser -u nobody -- env HOME=/tmp lintian --display-info --fail-on error,warning ./*.changes \
		>lintian.log 2>&1 || { cat lintian.log; exit 1; }
	cat lintian.log
' >&2
ls "$out"/sched-dkms_*_all.deb
