#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh [PACKAGE...]: install on the host, from its own archive,
# the Debian packages the VM tests need and those named; not as root, say
# what is missing. Kernels never come this way (scripts/kernels/kernel.sh).
set -eu

pkgs="qemu-system-x86 busybox-static cpio gzip kmod make gcc libc6-dev coreutils patch $*"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "missing packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
# Steps side by side may install at once: wait for the other's lock.
wait=DPkg::Lock::Timeout=600
apt-get update -qq -o "$wait" >&2
# shellcheck disable=SC2086 # a list of package names
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o "$wait" --no-install-recommends \
	$missing >/dev/null
