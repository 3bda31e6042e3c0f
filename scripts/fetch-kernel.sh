#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh LANE: put a Debian kernel image and its headers in the cache,
# installing neither, and print the directory that holds them:
#
#   DIR/release   the kernel release (uname -r of that kernel)
#   DIR/vmlinuz   the image to boot in the test VM
#   DIR/build     the headers, to build against: make KDIR=DIR/build
#
# LANE is 6.1 (Debian 12's default), 6.12 or 6.12-rt (bookworm-security),
# or sid (Debian unstable's newest). The release comes from the lane's
# metapackage, so a new ABI is picked up by itself (after apt-get update).
# Sid's headers need sid's compiler, so that lane has no DIR/build: build
# with scripts/build.sh sid (in the chroot of scripts/sid-chroot.sh).
set -eu

cache=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}

case ${1:-} in
6.1) meta=amd64 ;;
6.12) meta=6.12-amd64 ;;
6.12-rt) meta=6.12-rt-amd64 ;;
sid)
	echo "$cache/kernels/$("$(dirname "$0")/sid-kernel.sh")"
	exit 0
	;;
*)
	echo "usage: $0 6.1|6.12|6.12-rt|sid" >&2
	exit 2
	;;
esac

# depends PKG: the linux-headers/linux-kbuild packages PKG depends on.
depends() {
	apt-cache depends "$1" | sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p'
}

rel=$(depends "linux-headers-$meta" | sed -n 's/^linux-headers-//p' | head -n 1)
if [ -z "$rel" ]; then
	echo "$0: cannot resolve linux-headers-$meta (run apt-get update?)" >&2
	exit 1
fi
dir=$cache/kernels/$rel
if [ -e "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

echo "fetching Debian kernel $rel into $dir" >&2
rm -rf "$dir"
mkdir -p "$dir/debs"
# The headers depend on a -common package (and -common-rt for RT), which
# depends on nothing further of ours; two levels of depends cover it all.
pkgs="linux-image-$rel linux-headers-$rel"
for p in $(depends "linux-headers-$rel"); do
	pkgs="$pkgs $p $(depends "$p")"
done
# shellcheck disable=SC2086 # $pkgs is a list of package names
(cd "$dir/debs" && apt-get download $pkgs) >&2
for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
	dpkg-deb -x "$deb" "$dir/headers"
done
# The headers' Makefile includes the -common tree by absolute path.
sed -i "s#^include /usr/src/#include $dir/headers/usr/src/#" \
	"$dir/headers/usr/src/linux-headers-$rel/Makefile"
ln -s "headers/usr/src/linux-headers-$rel" "$dir/build"

# Only the image itself is kept, not the thousands of in-tree modules.
dpkg-deb --fsys-tarfile "$dir"/debs/linux-image-"$rel"_*.deb |
	tar -xO "./boot/vmlinuz-$rel" >"$dir/vmlinuz"
rm -rf "$dir/debs"
echo "$rel" >"$dir/release"
touch "$dir/.complete"
echo "$dir"
