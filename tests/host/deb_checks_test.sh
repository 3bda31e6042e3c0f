#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deb_checks_test.sh: sched-dkms installed in a copy of the Debian 11 lane
# chroot, where DKMS builds sched.ko, and purged; piuparts in Debian 12, 13 and
# through the upgrade, and reprotest, stricter than Salsa CI's jobs
# (docs/packaging.md). Needs root. Prints KTAP; logs in out/deb-checks/.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/deb-checks
root=$out/bullseye-root

# in_bullseye STEP [ARG]: run a function of steps.sh as root in the Debian 11
# system, with /proc mounted and the packages apt downloads kept in the cache.
in_bullseye() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -euc '
		mount -t proc proc "$0/proc"
		mount --bind "$1" "$0/var/cache/apt/archives"
		shift
		exec chroot "$0" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive sh /tmp/steps.sh "$@"' \
		"$root" "$CACHE/chroot-install/bullseye" "$@"
}

test_apt_install_in_debian_11_has_dkms_install_sched() { in_bullseye apt_install "/tmp/$deb"; }
test_apt_purge_in_debian_11_leaves_nothing() { in_bullseye apt_purge; }

# base SUITE: SUITE's base tarball for piuparts (docs/packaging.md), made once.
base() {
	t=$CACHE/piuparts/$1.tar
	if [ ! -e "$t" ]; then
		mkdir -p "$CACHE/piuparts"
		network_apt_conf >"$t.apt.conf"
		mmdebstrap --quiet --variant=minbase --aptopt="$t.apt.conf" "$1" "$t.new.tar" \
			"deb $MIRROR $1 main" >&2
		mv "$t.new.tar" "$t"
	fi
	echo "$t"
}

# piuparts NAME ARG...: with its log in out/deb-checks/NAME.log; on failure,
# its verdicts with the files they name.
piuparts() {
	n=$1
	shift
	"$SRC/scripts/kernels/chroot.sh" --root trixie piuparts -- \
		piuparts -m "$MIRROR" -l "$out/$n.log" "$@" >/dev/null 2>&1 || {
		awk '/ ERROR: / { p = 1; print; next } p && /^  / { print; next } { p = 0 }' \
			"$out/$n.log" | head -n 30 | sed 's/^/#   /'
		return 1
	}
}

in_suite() { piuparts "$1" -d "$1" -b "$(base "$1")" "$out/$1/$deb"; }
test_install_and_purge_in_debian_12() { in_suite bookworm; }
test_install_and_purge_in_debian_13() { in_suite trixie; }

# From an apt repository, and without dkms's own leftover: docs/packaging.md.
test_installed_through_the_upgrade_from_debian_12_to_13() {
	repo=$out/repo
	mkdir -p "$repo"
	cp "$out/bookworm/$deb" "$repo/"
	# shellcheck disable=SC2016 # expanded by the chroot's shell
	"$SRC/scripts/kernels/chroot.sh" trixie dpkg-dev -- \
		sh -c 'cd "$0" && dpkg-scanpackages . >Packages 2>/dev/null' "$repo"
	piuparts upgrade -d bookworm -d trixie -b "$(base bookworm)" --bindmount="$repo" \
		--extra-repo="deb [trusted=yes] file://$repo ./" -i /etc/kernel/install.d/ "$repo/$deb"
}

# As root, with what the variations need (docs/packaging.md says which needs what).
test_two_varied_builds_give_identical_debs() {
	# shellcheck disable=SC2016 # expanded by the chroot's shell
	(cd "$out/trixie" && "$SRC/scripts/kernels/chroot.sh" --root trixie build-essential debhelper \
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
for s in bookworm trixie; do
	"$SRC/scripts/pkg/deb.sh" "$s" "$out/$s" >/dev/null 2>"$out/deb-$s.log" || {
		tail -n 20 "$out/deb-$s.log"
		bail_out "sched-dkms does not build for $s ($out/deb-$s.log)"
	}
done
deb=$(cd "$out/bookworm" && echo sched-dkms_*_all.deb)
lane_root=$("$SRC/scripts/kernels/chroot.sh" bullseye)
# Under the chroot's lock: no apt of a lane may change it mid-copy.
flock "$lane_root.lock" cp -a "$lane_root" "$root"
trap 'cp "$root/var/log/sched-apt.log" "$out/apt.log" 2>/dev/null || :; rm -rf "$root"' EXIT
mkdir -p "$root/src" "$CACHE/chroot-install/bullseye/partial"
tar -C "$SRC" --exclude=./.git --exclude=./out -cf - . | tar -C "$root/src" -xf -
cp "$out/bookworm/$deb" "$root/tmp/"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
cat >"$root/tmp/steps.sh" <<'EOF'
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
apt_purge() { apt_get purge sched-dkms; nothing_left purge; }
"$@"
EOF
echo "# Debian $(cat "$root/etc/debian_version") (bullseye), $deb"
ktap
