#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/debug/kernel.sh [kasan|kcsan]
#
# Builds, or reuses from the cache, the debug-lane kernel (default: kasan)
# from Debian's linux-source-6.12 and prints one line on stdout: the kernel
# tree. Like a directory of scripts/kernels/kernel.sh it has vmlinuz and build
# (the tree itself, a KDIR), and is built for with the host's compiler.
# Everything else goes to stderr.
#
# Config: tinyconfig + the kernel's kernel/configs/debug.config + ours,
# scripts/debug/debug.config + scripts/debug/VARIANT.config. A tree is
# reused only for the same package version and the same fragments, so
# editing a fragment rebuilds.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

series=6.12
variant=${1:-kasan}
common=$SRC/scripts/debug/debug.config
extra=$SRC/scripts/debug/$variant.config

# Keep stdout for the result alone: make and kconfig chat a lot.
exec 3>&1 1>&2

{ [ $# -le 1 ] && [ -f "$extra" ]; } || usage "[kasan|kcsan]"

"$SRC/scripts/ci/install-deps.sh" "linux-source-$series" gcc libc6-dev bc flex bison \
	libelf-dev xz-utils

# The package version, not just the series, decides whether a tree is still
# current; make it safe as a path component (no ~ or +).
ver=$(dpkg-query -W -f='${Version}' "linux-source-$series" |
	tr -c 'A-Za-z0-9.-' _)
tarball=$(dpkg-query -L "linux-source-$series" |
	grep "/linux-source-$series\.tar\.xz\$")
hash=$(cat "$common" "$extra" | sha256sum | cut -c1-12)

cache=$CACHE/debug
src=$cache/src-$ver
tree=$cache/$variant-$ver-$hash
mkdir -p "$cache"

# The stamp is written last, so an interrupted build is resumed, not reused.
# Checked before and after the lock: a finished tree needs no waiting.
done_already() {
	if [ -f "$tree/.debug-kernel-done" ]; then
		# What scripts/kernels/kernel.sh's directories hold, for
		# scripts/vm/test.sh (also in trees built before they did).
		ln -sf arch/x86/boot/bzImage "$tree/vmlinuz"
		ln -sfn . "$tree/build"
		echo "$tree" >&3
		exit 0
	fi
}
done_already

# One build at a time: two would fight over the same tree and both CPUs.
exec 9>"$cache/.lock"
flock -n 9 || {
	echo "debug-kernel: waiting for another build to finish" >&2
	flock 9
}
done_already

start=$(date +%s)
if [ ! -d "$src" ]; then
	echo "debug-kernel: unpacking $tarball" >&2
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
fi

# One source tree, one O= tree per variant and fragment set.
kmake() {
	make -C "$src" O="$tree" "$@"
}
kmake tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" \
	"$src/kernel/configs/debug.config" "$common" "$extra"
kmake olddefconfig

# Kconfig drops what it cannot satisfy without a word; fail loudly instead
# for our fragments (the kernel's asks for networking, which we leave out).
bad=$(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$common" "$extra" |
	while IFS= read -r want; do
		sym=${want%%=*}
		got=$(sed -n "s/^$sym=//p" "$tree/.config")
		[ "$sym=${got:-n}" = "$want" ] || printf ' %s(got %s)' "$want" "${got:-n}"
	done)
if [ -n "$bad" ]; then
	echo "debug-kernel: .config did not keep:$bad" >&2
	exit 1
fi

# bzImage for QEMU; modules for modules_prepare and Module.symvers.
kmake -j"$(nproc)" bzImage modules
touch "$tree/.debug-kernel-done"
echo "debug-kernel: built $tree in $(($(date +%s) - start))s" >&2

# Drop what can never be reused: older builds of this variant and anything
# from another package version. The other variant's current tree stays.
for d in "$cache"/*; do
	name=${d##*/}
	case $name in
	"src-$ver" | "$variant-$ver-$hash") continue ;;
	"$variant-"*) ;;
	*"-$ver-"*) continue ;;
	esac
	echo "debug-kernel: removing stale $d" >&2
	rm -rf "$d"
done

done_already
