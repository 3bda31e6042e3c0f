#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# piuparts_test.sh: Debian's piuparts on the sched-dkms package, as Salsa
# CI's piuparts job but with piuparts' own default that a file left after
# purge is an error: install and purge in a minimal Debian 12 and 13
# system, and the package installed in Debian 12 through the upgrade to 13,
# then purged. The .debs come from scripts/pkg/deb.sh; piuparts runs in the
# trixie chroot of scripts/kernels/chroot.sh, as root, from a base tarball
# per suite cached in $SCHED_CACHE/piuparts/. Needs root. Prints KTAP and
# "N passed, N failed"; piuparts' logs are in out/piuparts/.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/piuparts

# base SUITE: the base system piuparts' own debootstrap would make (minbase,
# SUITE's main alone: the sources piuparts gives it), made once.
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

# piuparts NAME ARG...: piuparts with its log in out/piuparts/NAME.log; on
# failure, its verdicts with the files they name.
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

test_install_and_purge_in_debian_12() {
	piuparts bookworm -d bookworm -b "$(base bookworm)" "$out/bookworm/$deb"
}

test_install_and_purge_in_debian_13() {
	piuparts trixie -d trixie -b "$(base trixie)" "$out/trixie/$deb"
}

# From an apt repository of the Debian 12 .deb, which piuparts installs in
# Debian 12 before the upgrade (without one, it would install the .deb only
# after). /etc/kernel/install.d/ is dkms's: Debian 12's ships a file there,
# Debian 13's does not and leaves the directory after its purge (piuparts
# --apt dkms alone shows it).
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
ktap
