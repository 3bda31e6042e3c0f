#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh [PACKAGE...]: make sure the Debian packages the VM tests need
# (plus any named) are installed, and refresh apt's lists so that the kernel
# metapackages resolve to the current ABI. Needs root to install; otherwise it
# only says what is missing.
set -eu

# pahole: the headers are unpacked, not installed, so their dependencies are
# not pulled in; linux-kbuild-6.12's kbuild runs pahole for modules' BTF.
pkgs="qemu-system-x86 busybox-static cpio gzip kmod make gcc-12 pahole coreutils $*"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
		missing="$missing $p"
done

if [ "$(id -u)" != 0 ]; then
	if [ -n "$missing" ]; then
		echo "missing packages:$missing" >&2
		echo "install them with: sudo apt-get install$missing" >&2
		exit 1
	fi
	exit 0
fi
apt-get update -qq >&2
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	# shellcheck disable=SC2086 # a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi
