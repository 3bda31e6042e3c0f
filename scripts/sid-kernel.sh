#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sid-kernel.sh - print the release of Debian sid's current kernel (what
# linux-headers-amd64 in the sid chroot resolves to, e.g. 7.2.1+deb14-amd64)
# and make sure its image is unpacked under $SCHED_CACHE/kernels/REL/:
#
#   vmlinuz   the kernel (a copy of image/boot/vmlinuz-REL or, in sid's
#             split packaging, image/usr/lib/modules/REL/vmlinuz)
#   image/    dpkg-deb -x of linux-image-REL and the REL packages it
#             depends on (with lib/modules/REL)
#   release   REL, and .complete, like the other kernels/ entries
#
# Only the release goes to stdout.  Environment as for sid-chroot.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}

exec 3>&1 1>&2

log() {
	printf 'sid-kernel: %s\n' "$*"
}

die() {
	log "error: $*"
	exit 1
}

# The release comes from the installed metapackage, never from a constant:
# sid moves on every few weeks.
release() {
	# shellcheck disable=SC2016 # a dpkg-query format, not a variable
	chroot "$root" dpkg-query -W -f '${Depends}\n' linux-headers-amd64 |
		tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p'
}

dl=
dest=
cleanup() {
	[ -z "$dl" ] || rm -rf "$dl"
	[ -z "$dest" ] || rm -rf "$dest.tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# download REL - fetch the kernel's .debs from sid into $dl, a directory
# inside the chroot.  In sid linux-image-REL is an empty package that
# depends on linux-binary-REL (vmlinuz), linux-modules-REL and
# linux-base-REL, so take it together with its REL-named dependencies; in
# the older single-package layout the list is just linux-image-REL.
# linux-headers-amd64 comes from linux-signed-amd64 like linux-image-REL,
# so the signed image exists for whatever release the headers point to.
download() {
	dl=$(mktemp -d "$root/tmp/sched-dl.XXXXXX")
	# apt drops to the _apt user for downloads; let it write here.
	chmod 0777 "$dl"
	pkgs=$(chroot "$root" apt-cache depends "linux-image-$1" |
		awk -v s="-$1" '$1 == "Depends:" &&
			substr($2, length($2) - length(s) + 1) == s { print $2 }')
	# shellcheck disable=SC2016,SC2086 # inner shell; one word a package
	if chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd "$1" && shift && exec apt-get download -q "$@"' \
		sh "${dl#"$root"}" "linux-image-$1" $pkgs; then
		return 0
	fi
	rm -rf "$dl"
	dl=
	return 1
}

root=$("$here/sid-chroot.sh")
rel=$(release)
[ -n "$rel" ] || die "no linux-headers-amd64 in $root"

mkdir -p "$cache/sid"
# Two runs must not unpack into the same directory at once.
exec 9>"$cache/sid/kernel.lock"
flock 9

if [ ! -f "$cache/kernels/$rel/.complete" ]; then
	mkdir -p "$cache/kernels"
	if ! download "$rel"; then
		# The package lists may predate the archive dropping this
		# release: refresh the chroot (and maybe the release) once.
		log "download failed; refreshing the sid chroot"
		root=$(SID_REFRESH=1 "$here/sid-chroot.sh")
		rel=$(release)
		download "$rel" || die "cannot download linux-image-$rel"
	fi
	dest=$cache/kernels/$rel
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	# Unpack on the host: nothing of it must run, and the result
	# belongs in the cache, not in the chroot.
	for deb in "$dl"/*.deb; do
		dpkg-deb -x "$deb" "$dest.tmp/image"
	done
	# In sid's split packaging the kernel sits next to its modules in
	# usr/lib/modules/REL/vmlinuz and nothing is shipped in /boot.
	# A merged-/usr style lib link keeps image/lib/modules/REL working.
	img=$dest.tmp/image
	if [ ! -e "$img/lib" ] && [ -d "$img/usr/lib" ]; then
		ln -s usr/lib "$img/lib"
	fi
	for k in "boot/vmlinuz-$rel" "lib/modules/$rel/vmlinuz" ""; do
		[ -z "$k" ] && die "no vmlinuz in the linux-image-$rel packages"
		[ -f "$img/$k" ] && break
	done
	cp "$img/$k" "$dest.tmp/vmlinuz"
	printf '%s\n' "$rel" >"$dest.tmp/release"
	: >"$dest.tmp/.complete"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
	log "unpacked linux-image-$rel in $dest"
fi

printf '%s\n' "$rel" >&3
