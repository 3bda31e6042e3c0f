#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# testbed.sh SUITE: make sure an autopkgtest QEMU image of Debian SUITE
# (bookworm, trixie) is in the cache, and print its path. Made by Debian 13's
# mmdebstrap-autopkgtest-build-qemu in the trixie chroot of chroot.sh, which
# also has what tests/host/lifecycle_test.sh runs it with. Needs root.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

[ $# = 1 ] || usage SUITE
suite=$1
[ "$suite" = bookworm ] || [ "$suite" = trixie ] || die "no testbed for '$suite' (bookworm, trixie)"
# One maker an image: make check starts them early (PREBUILD in Makefile).
mkdir -p "$CACHE/autopkgtest"
exec 9>"$CACHE/autopkgtest/$suite.lock"
flock 9

# What the builder needs besides itself (it names any missing), and what runs
# the testbed.
chroot=$("$SRC/scripts/kernels/chroot.sh" trixie mmdebstrap autopkgtest ovmf qemu-system-x86 \
	qemu-utils dpkg-dev binutils-x86-64-linux-gnu dosfstools e2fsprogs fdisk mount mtools \
	passwd uidmap libarchive13t64 systemd-boot-efi)

# The tests' Depends but the package itself ("@"), installed in the image at
# the host's speed: in the emulated testbed a compiler and headers took minutes.
deps=$(sed -n 's/^Depends:[[:space:]]*//p' "$SRC/debian/tests/control" | tr -s ', ' '\n' |
	grep -v -e '^@$' -e '^$' | sort -u | paste -sd, -)

sources=$(debian_sources "$suite" |
	sed 's#^deb #deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] #')

# The key: the archive's versions of what the tests exercise (they install the
# newer kernel by its metapackage), the builder's, the Depends and this script.
private_apt "$CACHE/autopkgtest/apt-$suite" "$sources" amd64
apt-get -qq update >&2
current=$(
	apt-cache madison linux-image-amd64 linux-headers-amd64 systemd dkms | sort -u
	grep -A1 -x 'Package: mmdebstrap' "$chroot/var/lib/dpkg/status" | tail -n 1
)
key=$({ printf '%s\n' "$current" "$deps"; cat "$0"; } | sha256sum | cut -c1-12)
dir=$CACHE/autopkgtest/$suite-$key
img=$dir/$suite.img
[ ! -e "$dir/done" ] || { echo "$img" && exit 0; }

log "making the $suite testbed image ($dir)"
rm -rf "$CACHE/autopkgtest/$suite-"*
mkdir -p "$dir"
# mmdebstrap's options (after "--"): root mode, as a chroot cannot make a user
# namespace (unshare mode); the host's network apt settings, for the image's apt.
set --
while IFS= read -r o; do
	[ -z "$o" ] || set -- "$@" "--aptopt=$o"
done <<EOF
$(network_apt_conf)
EOF
# dpkg leaves out the modules no testbed loads, of every kernel, for the
# depmod of each DKMS build (over a minute under emulation with all 4,000).
# Kept: virtio, the network core, file systems. Before the kernel: essential.
excludes=
for m in /lib/modules /usr/lib/modules; do
	for d in sound drivers/gpu drivers/media drivers/infiniband drivers/iio drivers/staging \
		drivers/hwmon drivers/bluetooth drivers/isdn drivers/mtd drivers/usb \
		drivers/net/ethernet drivers/net/wireless drivers/net/can drivers/net/usb \
		net/wireless net/mac80211 net/bluetooth net/netfilter; do
		excludes="$excludes
path-exclude=$m/*/kernel/$d/*"
	done
done
set -- "$@" --include="$deps" --essential-hook="mkdir -p \"\$1/etc/dpkg/dpkg.cfg.d\"; printf '%s\\n' '$excludes' >\"\$1/etc/dpkg/dpkg.cfg.d/sched-testbed\""
# An initramfs of what mounts the root: MODULES=most took 90 s a run, three
# runs an image and one under emulation for the kernel the tests install.
i=/etc/initramfs-tools/conf.d/sched-testbed m=/usr/share/initramfs-tools/modules.d/sched-testbed
set -- "$@" --essential-hook="mkdir -p \"\$1${i%/*}\" \"\$1${m%/*}\"; echo MODULES=list >\"\$1$i\"; printf '%s\\n' virtio_pci virtio_blk ext4 crc32c >\"\$1$m\""
t0=$(date +%s)
# The updates and security sources from the start (the builder takes one
# mirror): else setup-testbed adds the security fix's kernel to the first
# one, and every DKMS build builds for both. A setup hook runs after
# mmdebstrap writes sources.list, before apt reads it.
set -- "$@" --setup-hook="printf '%s\\n' '$(echo "$sources" | sed 1d)' \
	>>\"\$1/etc/apt/sources.list\""
"$SRC/scripts/kernels/chroot.sh" trixie -- mmdebstrap-autopkgtest-build-qemu --boot=efi \
	--mirror="$MIRROR" --size=12G "$suite" "$img.part" -- --mode=root "$@" >"$dir/build.log" 2>&1 || {
	tail -n 30 "$dir/build.log" >&2
	die "mmdebstrap-autopkgtest-build-qemu failed (log: $dir/build.log)"
}
mv "$img.part" "$img"
printf '%s\n' "$current" >"$dir/versions"
log "made the $suite testbed image in $(($(date +%s) - t0)) s"
touch "$dir/done"
echo "$img"
