#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reprotest_test.sh: Debian's reprotest on the sched source package that
# scripts/pkg/deb.sh makes, as Salsa CI's reprotest job but stricter: every
# variation of reprotest's, where Salsa's default leaves out time and build
# path. The two builds, in the trixie chroot of
# scripts/kernels/chroot.sh, must give byte-identical .debs; on a
# difference diffoscope's report, which names what differs, is printed.
# Needs root. Prints KTAP and "N passed, N failed"; reprotest's log is
# out/reprotest/reprotest.log.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/reprotest

# As root, which the variations need: a second user (user_group), sudo for
# a UTS namespace (domain_host; a chroot may not make a user namespace),
# and FUSE for disorderfs (fileordering), whose fusermount reads
# /etc/mtab. The chroot gets the user, the device and the link once.
# locales-all: the locales variation's LANG is one the system has. On a
# .dsc, reprotest finds the build environment "sufficiently old" and fakes
# no time unless given one; faketime needs a /dev/shm anyone can write.
test_two_varied_builds_give_identical_debs() {
	# shellcheck disable=SC2016 # expanded by the chroot's shell
	(cd "$out/deb" && "$SRC/scripts/kernels/chroot.sh" --root trixie build-essential debhelper \
		dh-dkms reprotest diffoscope-minimal disorderfs faketime sudo locales-all -- sh -euc '
		[ -c /dev/fuse ] || mknod -m 666 /dev/fuse c 10 229
		[ -e /etc/mtab ] || ln -s ../proc/self/mounts /etc/mtab
		id builduser >/dev/null 2>&1 || useradd builduser
		mount -t tmpfs tmpfs /dev/shm
		reprotest --vary=domain_host.use_sudo=1 --vary=time.faketimes+=+398days \
			--vary=user_group.available+=builduser:builduser ./*.dsc -- null' \
		>"$out/reprotest.log" 2>&1) || {
		{ sed -n '/^--- /,$p' "$out/reprotest.log" | head -n 40 | grep . ||
			tail -n 5 "$out/reprotest.log"; } | sed 's/^/#   /'
		return 1
	}
	grep -q '^Reproduction successful$' "$out/reprotest.log"
}

[ "$(id -u)" = 0 ] || skip_all "must be root"
rm -rf "$out"
mkdir -p "$out"
"$SRC/scripts/pkg/deb.sh" trixie "$out/deb" >/dev/null 2>"$out/deb.log" || {
	tail -n 20 "$out/deb.log"
	bail_out "sched does not build ($out/deb.log)"
}
ktap
