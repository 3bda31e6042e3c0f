#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# testbed.sh SUITE: make sure an autopkgtest QEMU testbed image
# of Debian SUITE (bookworm, trixie) is in the cache, and print its path.
#
# The image is made by Debian's own tool, mmdebstrap-autopkgtest-build-qemu,
# which boots by EFI (a unified kernel image on the EFI partition). Debian
# 13's mmdebstrap ships it and Debian 12's does not, so it runs in the
# trixie chroot of scripts/kernels/chroot.sh, whatever the host runs; the trixie
# chroot also has the autopkgtest and QEMU that tests/host/lifecycle_test.sh
# runs the image with.
#
# The cache ($SCHED_CACHE/autopkgtest/SUITE-KEY/SUITE.img, raw) is keyed by
# the archive's versions of the packages the image holds that the tests
# depend on, by the builder's version and by this script: a new kernel or
# systemd in the archive makes a new image. Needs root.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

if [ $# -ne 1 ]; then
	echo "usage: $0 SUITE" >&2
	exit 2
fi
suite=$1
case $suite in
bookworm | trixie) ;;
*) die "no testbed for suite '$suite' (bookworm, trixie)" ;;
esac
[ "$(id -u)" = 0 ] || die "must run as root (scripts/kernels/chroot.sh)"
# One maker an image: make check starts them early (PREBUILD in Makefile).
mkdir -p "$CACHE/autopkgtest"
exec 9>"$CACHE/autopkgtest/$suite.lock"
flock 9

# What the builder needs besides itself (it names them when one is
# missing), and what runs the testbed.
TOOLS="mmdebstrap autopkgtest ovmf qemu-system-x86 qemu-utils dpkg-dev
binutils-x86-64-linux-gnu dosfstools e2fsprogs fdisk mount mtools passwd
uidmap libarchive13t64 systemd-boot-efi"
# shellcheck disable=SC2086 # a list of package names
chroot=$("$SRC/scripts/kernels/chroot.sh" trixie $TOOLS)

# The tests' Depends but the package itself ("@"), installed in the image
# at the host's speed: autopkgtest then finds them there, where installing
# a compiler and kernel headers in the emulated testbed took minutes. It
# still installs any that the image lacks.
deps=$(sed -n 's/^Depends:[[:space:]]*//p' "$SRC/debian/tests/control" | tr -s ', ' '\n' |
	grep -v -e '^@$' -e '^$' | sort -u | paste -sd, -)

# The image's kernel and headers must be the archive's (the tests install
# the newer kernel by the metapackage's name), and so must what the tests
# exercise: a new version of any of these makes a new image.
keyed="linux-image-amd64 linux-headers-amd64 systemd dkms"

# The suite's apt sources (its updates and security fixes too), each
# line naming Debian's keyring.
sources() {
	debian_sources "$suite" |
		sed 's#^deb #deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] #'
}

# versions: what the archive offers now for $keyed.
versions() {
	private_apt "$CACHE/autopkgtest/apt-$suite" "$(sources)" amd64
	apt-get -qq update >&2
	# shellcheck disable=SC2086 # a list of package names
	apt-cache madison $keyed | sort -u
	grep -A1 -x 'Package: mmdebstrap' "$chroot/var/lib/dpkg/status" | tail -n 1
}

current=$(versions)
key=$({ printf '%s\n' "$current" "$deps"; cat "$0"; } | sha256sum | cut -c1-12)
dir=$CACHE/autopkgtest/$suite-$key
img=$dir/$suite.img
if [ -e "$dir/done" ]; then
	echo "$img"
	exit 0
fi

log "making the $suite testbed image ($dir)"
rm -rf "$CACHE/autopkgtest/$suite-"*
mkdir -p "$dir"
# The host's apt settings that are facts of the network (an expired
# Release file accepted) go into the image's apt too, as mmdebstrap
# --aptopt, which the testbed keeps. After "--", options for mmdebstrap
# itself: root mode, because a user namespace (its default, unshare mode)
# cannot be made inside a chroot.
set --
while IFS= read -r o; do
	[ -z "$o" ] || set -- "$@" "--aptopt=$o"
done <<EOF
$(network_apt_conf)
EOF
# dpkg leaves out the modules of drivers, sound and network protocols that
# no testbed loads, of the image's kernel and of the newer one the tests
# install: depmod, which every DKMS build and removal runs, then reads a
# quarter of the kernel's 4,000 modules (over a minute each time under
# emulation with all of them). Kept: virtio (disks, console, network),
# the network core and file systems (the EFI partition's vfat, 9p).
# Before the kernel is installed: an essential hook.
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
# An initramfs of what mounts the testbed's root (virtio disk, ext4), not
# initramfs-tools' default MODULES=most: with it, Debian 12's mkinitramfs
# took over 90 s a run at the host's speed, three runs an image (the
# kernel's postinst, a trigger, setup-testbed), and runs once more under
# emulation for the kernel the tests install.
i=/etc/initramfs-tools/conf.d/sched-testbed
m=/usr/share/initramfs-tools/modules.d/sched-testbed
set -- "$@" --essential-hook="mkdir -p \"\$1${i%/*}\" \"\$1${m%/*}\"; echo MODULES=list >\"\$1$i\"; printf '%s\\n' virtio_pci virtio_blk ext4 crc32c >\"\$1$m\""
t0=$(date +%s)
# The suite's updates and security sources from the start (the builder
# takes a single mirror URL): from the suite alone, mmdebstrap would
# install its first kernel and headers, and setup-testbed then add the
# security fix's, so that every DKMS build in the testbed built for both.
# A setup hook runs after mmdebstrap writes sources.list, before apt reads it.
set -- "$@" --setup-hook="printf '%s\\n' '$(sources | sed 1d)' >>\"\$1/etc/apt/sources.list\""
# Built in the chroot's own /tmp, then moved: the builder's workdir is
# there.
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
