#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [SUITE [DIR]]: build the sched-dkms source and binary packages in the
# lane chroot of Debian SUITE (default bookworm), then fail on any tag of
# lintian --pedantic. Leaves them and lintian.log in DIR (default
# out/deb/SUITE/, emptied first) and prints the .deb's path.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

suite=${1:-bookworm}
out=${2:-$SRC/out/deb/$suite}

rm -rf "$out"
mkdir -p "$out"
# On a copy in the chroot's /tmp: dpkg-buildpackage writes into the parent of
# the tree. build-essential: dpkg-checkbuilddeps requires it; the rest is
# Build-Depends. As the checkout's owner (Rules-Requires-Root: no).
# shellcheck disable=SC2016 # expanded by the chroot's shell
(cd "$SRC" && "$SRC/scripts/kernels/chroot.sh" "$suite" build-essential debhelper dh-dkms -- \
	sh -euc '
	b=$(mktemp -d)
	trap "rm -rf $b" EXIT
	mkdir "$b/sched"
	tar --exclude=./.git --exclude=./out -cf - . | tar -C "$b/sched" -xf -
	cd "$b/sched"
	dpkg-buildpackage -us -uc
	cp ../*.deb ../*.dsc ../*.tar.* ../*.changes ../*.buildinfo "$0/"' "$out") >&2
# Debian 13's lintian for both suites (docs/packaging.md). On a copy, as nobody
# when the checkout's owner is root (lintian warns against root; nobody cannot
# read a clone under /root).
# shellcheck disable=SC2016 # expanded by the chroot's shell
(cd "$SRC" && "$SRC/scripts/kernels/chroot.sh" trixie lintian -- sh -euc '
	b=$(mktemp -d)
	trap "rm -rf $b" EXIT
	chmod 755 "$b"
	cp "$0"/* "$b/"
	cd "$b"
	[ "$(id -u)" != 0 ] || set -- runuser -u nobody -- env HOME=/tmp
	"$@" lintian --version
	"$@" lintian --pedantic --display-info --fail-on error,warning,info,pedantic ./*.changes >lintian.log 2>&1 ||
		{ cat lintian.log; exit 1; }
	cat lintian.log
	cp lintian.log "$0/"' "$out") >&2
ls "$out"/sched-dkms_*_all.deb
