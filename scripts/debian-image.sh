#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debian-image.sh SUITE: make sure a bootable Debian SUITE system image for
# tests/lifecycle_test.sh is in the cache, and print its directory:
#
#   disk.img     ext4 root file system (boot it with root=/dev/vda)
#   vmlinuz, initrd.img   the image's own kernel and initramfs, for -kernel
#   versions     the archive's versions the image was made from (its key)
#
# The image is a real Debian system made with mmdebstrap: systemd as init,
# apt, kmod, openssl, the suite's default kernel and its headers. Nothing
# in it needs the network: apt's cache already holds dkms (with what it
# pulls in) and the newer kernel of the lane's upgrade, so the guest's
# `apt-get install` works with QEMU's -nic none.
#
# At boot, sched-lifecycle.service mounts the second disk (/dev/vdb) and runs
# its guest.sh, its output on the serial console, then powers off.
#
# The cache ($SCHED_CACHE/images/SUITE-KEY) is keyed by the archive's
# versions of the packages that matter and by this script: a new kernel,
# dkms or systemd in the archive makes a new image. Needs root.
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ $# -ne 1 ]; then
	echo "usage: $0 SUITE" >&2
	exit 2
fi
suite=$1

# Each suite's newer kernel for the upgrade step (metapackages: apt
# resolves the ABI), and the suite apt takes it from when not its own.
case $suite in
bookworm)
	upgrade_from=
	upgrade="linux-image-6.12-amd64 linux-headers-6.12-amd64"
	;;
trixie)
	upgrade_from=trixie-backports
	upgrade="linux-image-amd64 linux-headers-amd64"
	;;
*) die "no lane for suite '$suite' (bookworm, trixie)" ;;
esac
# zstd: without it update-initramfs falls back to gzip, minutes slower
# under TCG.
include=systemd-sysv,udev,kmod,apt,openssl,initramfs-tools,zstd,linux-image-amd64,linux-headers-amd64
# What the guest's apt must find in its cache: dkms for the package, and
# the newer kernel. Resolved by name in the image (never an ABI here).
keyed="linux-image-amd64 linux-headers-amd64 dkms systemd $upgrade"

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, mkfs)"

# dpkg leaves out the drivers, networking and sound modules, which no VM of
# the test loads, of every kernel the image gets: depmod, which each DKMS
# build and removal runs, then reads about 330 modules rather than 4,230
# (about a minute each time under TCG with 6.12's xz-compressed modules).
modules_left_out() {
	for m in /lib/modules /usr/lib/modules; do
		printf "path-exclude=$m/*/kernel/%s/*\n" drivers net sound
		printf "path-include=$m/*/kernel/drivers/%s/*\n" block virtio char
	done
}

# The suite's sources and the upgrade's, Debian's keyring named as the
# guest's own apt will need it.
sources() {
	{
		debian_sources "$suite"
		[ -z "$upgrade_from" ] || echo "deb $MIRROR $upgrade_from main"
	} | sed 's#^deb #deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] #'
}

# versions: what the archive offers now for $keyed, through an apt of its
# own in the cache (the host's apt state and sources are left alone).
a=$CACHE/images/apt-$suite
versions() {
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	sources >"$a/sources.list"
	# For mmdebstrap's apt, which reads none of the host's settings.
	network_apt_conf >"$a/apt.conf"
	: >"$a/status"
	set -- -o Dir::State::Lists="$a/lists" -o Dir::State::Status="$a/status" \
		-o Dir::Cache="$a/cache" -o Dir::Etc::SourceList="$a/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent -o APT::Architecture=amd64 \
		-o Dir::Etc::Preferences=/nonexistent -o Dir::Etc::PreferencesParts=/nonexistent
	apt-get "$@" -qq update >&2
	# shellcheck disable=SC2086 # a list of package names
	apt-cache "$@" madison $keyed | sort -u
}

current=$(versions)
key=$({ printf '%s\n' "$current"; cat "$0"; } | sha256sum | cut -c1-12)
dir=$CACHE/images/$suite-$key
if [ -e "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

log "making the $suite image ($dir)"
rm -rf "$CACHE/images/$suite-"*
mkdir -p "$dir"
root=$dir/root

# The unit that runs the test's guest script at boot. journal+console: its
# output goes to the serial console, where the host reads it.
unit='[Unit]
Description=sched lifecycle test: run guest.sh from /dev/vdb, then power off
Requires=dev-vdb.device
After=dev-vdb.device multi-user.target

[Service]
Type=oneshot
TimeoutStartSec=infinity
StandardOutput=journal+console
StandardError=journal+console
ExecStart=/bin/sh -c "mkdir -p /run/payload && mount /dev/vdb /run/payload && exec sh /run/payload/guest.sh"
ExecStopPost=/bin/systemctl poweroff --no-block

[Install]
WantedBy=multi-user.target'

modules_left_out >"$a/dpkg.cfg"

# The hooks run in mmdebstrap with the new system at "$1". In order: no
# Recommends (the guest's apt then pulls in exactly what was downloaded
# here); initramfs with only the modules this machine needs (the kernel
# upgrade makes one under TCG; the image's first one is made here, with
# all of them); a machine-id, so that systemd does not take a boot for the first
# (systemd-firstboot would prompt on the console); no apt timers, which
# could take apt's lock in the middle of a step; the unit; then apt's cache
# emptied and filled with what the guest will install.
# shellcheck disable=SC2016 # "$1" is expanded by mmdebstrap's hook shell
mmdebstrap --quiet --variant=minbase --include="$include" --skip=cleanup/apt --aptopt="$a/apt.conf" \
	--dpkgopt="$a/dpkg.cfg" \
	--customize-hook='echo "APT::Install-Recommends \"false\";" >"$1/etc/apt/apt.conf.d/90sched-lifecycle"' \
	--customize-hook='od -An -N16 -tx1 /dev/urandom | tr -d " \n" >"$1/etc/machine-id"; echo >>"$1/etc/machine-id"' \
	--customize-hook='for u in apt-daily.timer apt-daily-upgrade.timer systemd-firstboot.service; do ln -sf /dev/null "$1/etc/systemd/system/$u"; done' \
	--customize-hook='echo sched-lifecycle >"$1/etc/hostname"; echo "/dev/vda / ext4 defaults 0 1" >"$1/etc/fstab"' \
	--customize-hook="printf '%s\n' '$unit' >\"\$1/etc/systemd/system/sched-lifecycle.service\"" \
	--customize-hook='mkdir -p "$1/etc/systemd/system/multi-user.target.wants"; ln -s /etc/systemd/system/sched-lifecycle.service "$1/etc/systemd/system/multi-user.target.wants/"' \
	--customize-hook='echo MODULES=dep >"$1/etc/initramfs-tools/conf.d/sched-lifecycle"' \
	--customize-hook="mkdir -p \"\$1/etc/sched-lifecycle\"; echo '${upgrade_from:+-t $upgrade_from }$upgrade' >\"\$1/etc/sched-lifecycle/upgrade\"" \
	--customize-hook='chroot "$1" apt-get clean' \
	--customize-hook='chroot "$1" apt-get install -qq --download-only -y dkms' \
	--customize-hook="chroot \"\$1\" apt-get install -qq --download-only -y ${upgrade_from:+-t $upgrade_from} $upgrade" \
	"$suite" "$root" "$(sources)" >&2

cp "$root"/boot/vmlinuz-* "$dir/vmlinuz"
cp "$root"/boot/initrd.img-* "$dir/initrd.img"
# Room for a second kernel, its headers and initramfs, and DKMS's builds.
size=$(($(du -sm "$root" | cut -f1) + 3072))M
mkfs.ext4 -q -F -L sched-root -d "$root" "$dir/disk.img" "$size" >&2
rm -rf "$root"
printf '%s\n' "$current" >"$dir/versions"
touch "$dir/done"
echo "$dir"
