#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh [--root] SUITE [PACKAGE...] [-- COMMAND...]: make sure a minbase
# chroot of Debian SUITE with the packages installed is in the cache
# ($SCHED_CACHE/chroots/SUITE, by mmdebstrap), then run COMMAND in it, or
# without one print its path: how a lane builds with the compiler of a
# release the host does not run, never installing that release's packages
# on the host. COMMAND runs as the owner of the repository (with --root as
# root: piuparts), in the current directory, with /proc, the repository, the
# cache and the current directory mounted at their own paths in a private
# mount namespace, so that nothing stays mounted however it ends. Needs root.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

[ $# -ge 1 ] || usage "[--root] SUITE [PACKAGE...] [-- COMMAND...]"
[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot, mount)"
# Build products belong to the owner of the checkout, not to root.
owner=$(stat -c %u:%g "$SRC")
[ "$1" != --root ] || { owner=0:0 && shift; }
suite=$1
shift
# kbuild runs perl (kernel-doc at W=1); the headers do not depend on it.
pkgs="make perl"
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	pkgs="$pkgs $1"
	shift
done
[ $# = 0 ] || shift

root=$CACHE/chroots/$suite

# enter USER COMMAND...: run COMMAND in the chroot as USER, as above.
enter() {
	user=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -euc '
		root=$0 user=$1 src=$2 cache=$3
		shift 3
		mount -t proc proc "$root/proc"
		for d in "$src" "$cache" "$PWD"; do
			mkdir -p "$root$d"
			mount --bind "$d" "$root$d"
		done
		exec chroot --userspec="$user" "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/tmp LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			sh -c "cd \"\$0\" && exec \"\$@\"" "$PWD" "$@"' "$root" "$user" "$SRC" "$CACHE" "$@"
}

mkdir -p "$CACHE/chroots"
# One writer a chroot: two mmdebstraps or apt-gets in one tree end badly.
exec 9>"$CACHE/chroots/$suite.lock"
flock 9
if [ ! -e "$root/.complete" ]; then
	"$SRC/scripts/ci/install-deps.sh" mmdebstrap
	log "creating a Debian $suite chroot in $root (a minute or two)"
	rm -rf "$root"
	{ network_apt_conf && printf '%s\n' 'APT::Install-Recommends "false";' \
		'Acquire::Languages "none";' 'Dpkg::Use-Pty "0";'; } >"$root.apt.conf"
	debian_sources "$suite" | mmdebstrap --quiet --variant=minbase --aptopt="$root.apt.conf" \
		--include="$(echo "$pkgs" | tr ' ' ,)" \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		"$suite" "$root" - >&2
	rm "$root.apt.conf"
	touch "$root/.complete"
fi
m=
for p in $pkgs; do
	# shellcheck disable=SC2016 # dpkg-query's format
	enter 0:0 dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q ' installed$' || m="$m $p"
done
if [ -n "$m" ]; then
	log "installing$m in the $suite chroot"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	enter 0:0 apt-get update -qq >&2
	# shellcheck disable=SC2086 # a list of package names
	enter 0:0 apt-get install -y -qq -o Dpkg::Use-Pty=0 $m >&2
	enter 0:0 apt-get clean
fi

[ $# != 0 ] || { echo "$root" && exit 0; }
# The lock guards the tree's making and its apt, not the commands, which
# may run side by side (the lifecycle's autopkgtests of two suites).
exec 9>&-
enter "$owner" "$@"
