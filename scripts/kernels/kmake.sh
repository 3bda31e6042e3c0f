#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmake.sh [-p PACKAGE]... KERNEL MAKE-ARGS...: `make -C KERNEL/build
# MAKE-ARGS...` with the compiler KERNEL (a directory of kernel.sh, or a
# debug tree, built with the host's) was built with: here with KERNEL/tools
# and each PACKAGE installed when the host runs KERNEL/suite, else in a
# chroot of that release (scripts/kernels/chroot.sh).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

tools=
while [ "${1:-}" = -p ] && [ $# -ge 2 ]; do
	tools="$tools $2"
	shift 2
done
[ $# -ge 1 ] || usage "[-p PACKAGE]... KERNEL MAKE-ARGS..."
k=$1
shift
# A foreign kernel builds with the cross gcc-N-TRIPLET of KERNEL/tools:
# Debian 12's headers set CROSS_COMPILE only under dpkg-buildpackage.
arch=$(cat "$k/arch" 2>/dev/null || :)
if [ -n "$arch" ] && [ "$arch" != amd64 ]; then
	triplet=$(arch "$arch") || die "no 'arch $arch' line in tests/lanes"
	set -- CROSS_COMPILE="$(echo "$triplet" | awk '{ print $1 }')-" "$@"
fi
suite=$(cat "$k/suite" 2>/dev/null || :)
tools="$tools $(cat "$k/tools" 2>/dev/null || :)"
if [ -z "$suite" ] || [ "$suite" = "$(host_suite)" ]; then
	# shellcheck disable=SC2086 # a list of package names
	"$SRC/scripts/ci/install-deps.sh" $tools >&2
	exec make -C "$k/build" "$@"
fi
# shellcheck disable=SC2086 # a list of package names
exec "$SRC/scripts/kernels/chroot.sh" "$suite" $tools -- make -C "$k/build" "$@"
