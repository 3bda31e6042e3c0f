#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh [PACKAGE...]: make sure the Debian packages the VM tests
# need (plus any named) are installed on the host, from the host's own
# archive. Needs root to install; otherwise it only says what is missing.
# Kernels never come this way: see scripts/kernels/kernel.sh.
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
# Steps that run side by side may install at the same time: wait for
# the other's lock rather than fail.
wait=DPkg::Lock::Timeout=600
apt-get update -qq -o "$wait" >&2
# shellcheck disable=SC2086 # a list of package names
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o "$wait" --no-install-recommends \
	$missing >/dev/null
