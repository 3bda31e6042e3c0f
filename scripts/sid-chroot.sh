#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sid-chroot.sh - make sure a Debian sid chroot holding the newest Debian
# kernel headers (and the gcc they were built with) exists, and print its
# path on stdout.  All other output goes to stderr.
#
# sid's headers need a newer gcc than the host has, and installing sid
# packages on the host would drag in a newer libc, so sid lives only here.
#
# Environment:
#   SCHED_CACHE  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/sched)
#   SID_ROOT     chroot directory (default $SCHED_CACHE/sid/root)
#   SID_REFRESH  1: look for newer sid headers now, 0: never (offline),
#                unset: at most once a day
#   SID_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#
# The chroot is also kept as $SCHED_CACHE/sid/root.tar.zst, unpacked when
# the directory is missing.  Needs root (debootstrap, chroot, mount).
set -eu

cache=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}
dir=$cache/sid
root=${SID_ROOT:-$dir/root}
tarball=$dir/root.tar.zst
stamp=$dir/refreshed
mirror=${SID_MIRROR:-http://deb.debian.org/debian}
# make is what the headers package does not pull in; gcc comes with it.
include=linux-headers-amd64,make

# Keep stdout for the path alone, so callers can use $(sid-chroot.sh).
exec 3>&1 1>&2

log() {
	printf 'sid-chroot: %s\n' "$*"
}

die() {
	log "error: $*"
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mount)"

# Host tools come from the host's own (stable) archive, never from sid.
"$(dirname "$0")/install-deps.sh" debootstrap zstd

# Refuse to delete or archive a tree that still has something mounted in
# it: rm -rf would walk into a bind-mounted source tree.
assert_unmounted() {
	if awk -v p="$1" '$5 == p || index($5, p "/") == 1 { f = 1 }
		END { exit !f }' /proc/self/mountinfo; then
		die "$1 has mounts under it; unmount them first"
	fi
}

# in_chroot DIR CMD... - run CMD in the chroot DIR with /proc mounted (apt
# and maintainer scripts want it) and a clean environment.  The mount lives
# in a private mount namespace, so it vanishes with the command even if we
# are killed; the trap unmounts it explicitly anyway.
in_chroot() {
	r=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -eu -c '
		r=$1
		shift
		trap "umount \"\$r/proc\" 2>/dev/null || :" EXIT
		trap "exit 129" HUP
		trap "exit 130" INT
		trap "exit 143" TERM
		mount -t proc proc "$r/proc"
		chroot "$r" "$@"
	' sh "$r" env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# The tarball may come from another machine: use this host's resolver.
fix_resolv() {
	rm -f "$1/etc/resolv.conf"
	cp -L /etc/resolv.conf "$1/etc/resolv.conf" 2>/dev/null || :
}

# configure DIR - apt settings for a fresh chroot.
configure() {
	# Indexes stay compressed; recommends would bloat the chroot; no pty
	# for dpkg, as the chroot has no /dev/pts.
	cat >"$1/etc/apt/apt.conf.d/90sched" <<-'EOF'
		Acquire::GzipIndexes "true";
		Acquire::Languages "none";
		APT::Install-Recommends "false";
		Dpkg::Use-Pty "false";
	EOF
	# Where the host is told to accept an expired Release file (a frozen
	# mirror, a wrong clock), the chroot must be too or apt cannot update.
	valid=''
	date_ok=''
	eval "$(apt-config shell valid Acquire::Check-Valid-Until/b \
		date_ok Acquire::Check-Date/b)"
	if [ "$valid" = false ]; then
		echo 'Acquire::Check-Valid-Until "false";' \
			>>"$1/etc/apt/apt.conf.d/90sched"
	fi
	if [ "$date_ok" = false ]; then
		echo 'Acquire::Check-Date "false";' \
			>>"$1/etc/apt/apt.conf.d/90sched"
	fi
	fix_resolv "$1"
	# debootstrap marks every package as manually installed; mark the
	# headers' dependencies automatic so that autoremove drops the old
	# headers and compiler once the metapackage moves on.
	in_chroot "$1" sh -eu <<-'EOF'
		dpkg-query -W -f '${binary:Package}\n' |
			xargs -r apt-mark auto >/dev/null
		dpkg-query -W -f '${Priority} ${binary:Package}\n' |
			awk '$1 == "required" { print $2 }' |
			xargs -r apt-mark manual >/dev/null
		apt-mark manual apt make linux-headers-amd64 >/dev/null
	EOF
	in_chroot "$1" apt-get update -qq
	in_chroot "$1" apt-get clean
}

# save_tarball DIR
save_tarball() {
	assert_unmounted "$1"
	log "saving $tarball"
	# --one-file-system: never archive a mount that slipped in; nor
	# what sid-kernel.sh may be downloading into /tmp right now.
	tar -C "$1" --one-file-system --numeric-owner --exclude='./tmp/*' \
		-I 'zstd -q -T0 -6' -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
}

# headers_version Installed|Candidate - of the metapackage.
headers_version() {
	in_chroot "$root" apt-cache policy linux-headers-amd64 |
		awk -v k="$1:" '$1 == k { print $2 }'
}

mkdir -p "$dir"
# One writer at a time: two debootstraps into one directory end badly.
exec 9>"$dir/lock"
flock 9

if [ ! -d "$root" ]; then
	# Build in a side directory and rename when complete, so a killed
	# run never leaves a half-made chroot at $root.
	tmp=$root.tmp
	assert_unmounted "$tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if [ -f "$tarball" ]; then
		log "unpacking cached chroot $tarball"
		tar -C "$tmp" --numeric-owner -I zstd -xpf "$tarball"
	else
		log "creating sid chroot in $root (1.5-4 min, 600 MB)"
		# debootstrap mounts /proc and /sys in the target itself; a
		# private namespace makes sure nothing survives a kill.
		unshare --mount --propagation private -- \
			debootstrap --variant=minbase --include="$include" \
			sid "$tmp" "$mirror"
		configure "$tmp"
		save_tarball "$tmp"
		touch "$stamp"
	fi
	mv "$tmp" "$root"
fi

[ -d "$root/usr/src" ] || die "$root is not a usable chroot"

case ${SID_REFRESH:-} in
1)
	refresh=1 ;;
0)
	refresh=0 ;;
*)
	# A cached run must stay fast and work offline: ask sid once a day.
	refresh=1
	if [ -f "$stamp" ] && [ -n "$(find "$stamp" -mtime -1)" ]; then
		refresh=0
	fi
	;;
esac

if [ "$refresh" = 1 ]; then
	log "checking sid for newer kernel headers"
	fix_resolv "$root"
	if in_chroot "$root" apt-get update -qq; then
		touch "$stamp"
		have=$(headers_version Installed)
		want=$(headers_version Candidate)
		if [ "$have" != "$want" ]; then
			log "updating linux-headers-amd64 $have -> $want"
			in_chroot "$root" apt-get install -y -qq \
				linux-headers-amd64
			in_chroot "$root" apt-get autoremove --purge -y -qq
			in_chroot "$root" apt-get clean
			save_tarball "$root"
		fi
	else
		log "warning: apt-get update failed; using the chroot as is"
	fi
fi

printf '%s\n' "$root" >&3
