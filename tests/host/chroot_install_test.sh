#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# chroot_install_test.sh [SUITE]: the sched-dkms package that `make deb`
# builds, installed by apt in a Debian SUITE system (default bullseye, whose
# 5.10 is sched.c's floor): DKMS builds and installs sched.ko for the
# suite's kernel headers, and purge leaves nothing. The system is a copy of
# SUITE's lane chroot (scripts/kernels/chroot.sh) in out/chroot-install/SUITE/,
# thrown away after; a chroot cannot load the module, which
# tests/host/lifecycle_test.sh does in QEMU testbeds of Debian 12 and 13.
# Needs root. Prints KTAP and "N passed, N failed"; apt's output is in
# out/chroot-install/SUITE/apt.log.
set -eu

suite=${1:-bullseye}
# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/chroot-install/$suite
root=$out/root

# The steps inside the system, with debian/tests/common.sh's checks of a
# module DKMS built: what the package's own tests check in a testbed.
steps() {
	cat <<'EOF'
set -eu
cd /src
. debian/tests/common.sh
apt_get() {
	apt-get -y -q "$@" >>/var/log/sched-apt.log 2>&1 ||
		{ tail -n 20 /var/log/sched-apt.log | sed 's/^/#   /'; return 1; }
}
apt_install() {
	apt_get update
	apt_get install "$1" linux-headers-amd64
	rel=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
	echo "# headers $rel, dkms $(dpkg-query -W -f '${Version}' dkms)"
	expect "DKMS does not say sched $version is installed for $rel" dkms_installed "$rel"
	ko=$(module_file "$rel")
	expect "no sched.ko under /lib/modules/$rel" [ -n "$ko" ]
	got=$(modinfo -F vermagic "$ko")
	expect "vermagic '$got', want $rel's" matches "$got" "^$rel "
	got=$(modinfo -F version "$ko")
	expect "module version '$got', want $version" [ "$got" = "$version" ]
}
apt_purge() {
	apt_get purge sched-dkms
	nothing_left purge
}
"$@"
EOF
}

# inside STEP [ARG]: run the step, a function of steps (in the source
# tree), as root in the system, with /proc mounted and the packages apt
# downloads kept in the cache.
inside() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -euc '
		mount -t proc proc "$0/proc"
		mount --bind "$1" "$0/var/cache/apt/archives"
		shift
		exec chroot "$0" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive sh /tmp/steps.sh "$@"' \
		"$root" "$archives" "$@"
}

test_apt_install_makes_dkms_build_and_install_sched() { inside apt_install "/tmp/${deb##*/}"; }
test_purge_leaves_nothing() { inside apt_purge; }

[ "$(id -u)" = 0 ] || skip_all "must be root"
rm -rf "$out"
mkdir -p "$out"
# Into a directory of its own: the lifecycle tests, which may run beside
# this one, build theirs in out/deb/.
deb=$("$SRC/scripts/pkg/deb.sh" bookworm "$out/deb" 2>"$out/deb.log") ||
	{ tail -n 20 "$out/deb.log"; bail_out "sched-dkms does not build ($out/deb.log)"; }
lane_root=$("$SRC/scripts/kernels/chroot.sh" "$suite")
# Under the chroot's lock: no apt of a lane may change it mid-copy.
flock "$lane_root.lock" cp -a "$lane_root" "$root"
trap 'cp "$root/var/log/sched-apt.log" "$out/apt.log" 2>/dev/null || :; rm -rf "$root"' EXIT
mkdir "$root/src"
tar -C "$SRC" --exclude=./.git --exclude=./out -cf - . | tar -C "$root/src" -xf -
cp "$deb" "$root/tmp/"
steps >"$root/tmp/steps.sh"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
archives=$CACHE/chroot-install/$suite
mkdir -p "$archives/partial"
echo "# Debian $(cat "$root/etc/debian_version") ($suite), ${deb##*/}"
ktap
