#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmake.sh [-p PACKAGE]... KERNEL MAKE-ARGS...: run `make -C KERNEL/build
# MAKE-ARGS...` with
# the compiler that kernel was built with. KERNEL is a directory of
# scripts/kernel.sh (or the debug tree of scripts/debug-kernel.sh, built here
# with the host's compiler). When the host runs the Debian release named in
# KERNEL/suite, make runs here with that release's packages from KERNEL/tools
# (and each PACKAGE, e.g. sparse) installed; otherwise in a chroot of that
# release (scripts/chroot.sh).
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

tools=
while [ "${1:-}" = -p ] && [ $# -ge 2 ]; do
	tools="$tools $2"
	shift 2
done
[ $# -ge 1 ] || {
	echo "usage: $0 [-p PACKAGE]... KERNEL MAKE-ARGS..." >&2
	exit 2
}
k=$1
shift
suite=$(cat "$k/suite" 2>/dev/null || :)
tools="$tools $(cat "$k/tools" 2>/dev/null || :)"
if [ -z "$suite" ] || [ "$suite" = "$(host_suite)" ]; then
	# shellcheck disable=SC2086 # a list of package names
	"$SRC/scripts/install-deps.sh" $tools >&2
	exec make -C "$k/build" "$@"
fi
# shellcheck disable=SC2086 # a list of package names
exec "$SRC/scripts/chroot.sh" "$suite" $tools -- make -C "$k/build" "$@"
