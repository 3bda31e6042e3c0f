#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh [kasan|kcsan]: build, or reuse from the cache, a debug-lane kernel
# from Debian's linux-source-6.12 (docs/testing.md) and print its tree, a
# directory like scripts/kernels/kernel.sh's (vmlinuz, build); all else to stderr.
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

# The package version, not just the series, keys a tree: made safe for a path (no ~ or +).
ver=$(dpkg-query -W -f='${Version}' "linux-source-$series" | tr -c 'A-Za-z0-9.-' _)
tarball=/usr/src/linux-source-$series.tar.xz
# Our fragments' settings as SYMBOL=VALUE: the tree's key (so a comment edit
# does not rebuild), and what .config must keep.
want=$(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$common" "$extra")
hash=$(echo "$want" | sha256sum | cut -c1-12)

cache=$CACHE/debug
src=$cache/src-$ver
tree=$cache/$variant-$ver-$hash
mkdir -p "$cache"

# The stamp is written last, so an interrupted build is resumed, not reused.
# Checked before and after the lock: a finished tree needs no waiting.
done_already() {
	[ ! -f "$tree/.debug-kernel-done" ] || { echo "$tree" >&3 && exit 0; }
}
done_already

# One build at a time: two would fight over the same tree and both CPUs.
exec 9>"$cache/.lock"
flock -n 9 || { echo "debug-kernel: waiting for another build to finish" && flock 9; }
done_already

start=$(date +%s)
if [ ! -d "$src" ]; then
	echo "debug-kernel: unpacking $tarball"
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
fi

make -C "$src" O="$tree" tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" \
	"$src/kernel/configs/debug.config" "$common" "$extra"
make -C "$src" O="$tree" olddefconfig

# Kconfig silently drops what it cannot satisfy: ours must all stay (docs/testing.md).
bad=$(echo "$want" | while IFS= read -r w; do
	got=$(sed -n "s/^${w%%=*}=//p" "$tree/.config")
	[ "${w%%=*}=${got:-n}" = "$w" ] || printf ' %s(got %s)' "$w" "${got:-n}"
done)
[ -z "$bad" ] || die ".config did not keep:$bad"

# bzImage for QEMU; modules for modules_prepare and Module.symvers.
make -C "$src" O="$tree" -j"$(nproc)" bzImage modules
ln -sf arch/x86/boot/bzImage "$tree/vmlinuz"
ln -sfn . "$tree/build"
touch "$tree/.debug-kernel-done"
echo "debug-kernel: built $tree in $(($(date +%s) - start))s"

# Drop what can never be reused: older builds of this variant and anything
# from another package version. The other variant's current tree stays.
for d in "$cache"/*; do
	case ${d##*/} in
	"src-$ver" | "$variant-$ver-$hash") continue ;;
	"$variant-"*) ;;
	*"-$ver-"*) continue ;;
	esac
	echo "debug-kernel: removing stale $d"
	rm -rf "$d"
done

done_already
