#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lifecycle_test.sh [SUITE]: the sched-dkms package's life in a real Debian
# SUITE system (bookworm or trixie) booted in QEMU, printed as KTAP, one
# case a step:
#
#   1. apt-get install ./sched-dkms_VERSION_all.deb: DKMS builds sched.ko
#      for the image's kernel, signs it with its own key and installs it;
#   2. a boot with the examples' modprobe.d and modules-load.d files in
#      /etc: systemd-modules-load loads sched with interval_ms=250, it ticks,
#      modprobe -r unloads it;
#   3. a newer kernel and its headers installed (scripts/debian-image.sh
#      names which): DKMS builds sched for it unasked, and a boot of that
#      kernel loads sched there too;
#   4. apt-get purge sched-dkms: no sched.ko under /lib/modules, no
#      /var/lib/dkms/sched, no /usr/src/sched-*;
#   5. README's DKMS from a clone (dkms add ., build, install; the module
#      loads with its options; dkms remove --all) leaves nothing either.
#
# The .deb comes from scripts/deb.sh SUITE, the image from
# scripts/debian-image.sh SUITE (cached); the guest side is
# tests/lifecycle_guest.sh. Three boots, all offline. Needs root; installs
# on the host only what README lists. Works in out/lifecycle/SUITE/.
set -eu

suite=${1:-bookworm}
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/out/lifecycle/$suite

# expect, ktap, skip_all.
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"

# boot NAME STEPS VMLINUZ INITRD: boot the image (its state kept in
# out/.../disk.qcow2 from one boot to the next) with a payload disk holding
# the guest script, the .deb and STEPS; console in out/.../NAME.console.log.
boot() {
	p=$out/$1.payload
	rm -rf "$p" "$p.img"
	mkdir -p "$p"
	cp "$src/tests/lifecycle_guest.sh" "$p/guest.sh"
	cp "$src/tests/lib.sh" "$deb" "$p/"
	mkdir "$p/src"
	(cd "$src" && cp dkms.conf Kbuild Makefile sched.c "$p/src/")
	echo "$2" >"$p/steps"
	echo "${new:-}" >"$p/release"
	# Room for the new kernel and initramfs that the upgrade step copies.
	mkfs.ext4 -q -F -d "$p" "$p.img" 512M >/dev/null
	t0=$(date +%s)
	rc=0
	"$src/scripts/vm-debian.sh" "$out/disk.qcow2" "$3" "$4" "$p.img" \
		"$out/$1.console.log" 2>"$out/$1.vm.err" || rc=$?
	echo "# boot $1 ($2): $(($(date +%s) - t0)) s"
	# What the guest said, and why the VM failed if it did.
	grep -E '^(# |guest: )' "$out/$1.console.log" || :
	if [ "$rc" != 0 ]; then
		sed 's/^/# /' "$out/$1.vm.err"
		return 1
	fi
}

# passed NAME STEP: the guest reported STEP ok in boot NAME.
passed() {
	r=$(sed -n "s/^guest: result\.$2=//p" "$out/$1.console.log" 2>/dev/null | tail -n 1)
	expect "step $2 in boot $1: '${r:-no result}'" [ "$r" = ok ]
}

# --- cases -----------------------------------------------------------------

apt_installs_the_deb_and_dkms_builds_and_signs_sched() {
	boot 1-install install "$image/vmlinuz" "$image/initrd.img"
	passed 1-install install
}

systemd_modules_load_loads_sched_at_boot_with_its_options() {
	# The same boot goes on to the upgrade (case 3): one boot fewer.
	boot 2-boot "boot upgrade" "$image/vmlinuz" "$image/initrd.img"
	passed 2-boot boot
}

kernel_upgrade_builds_sched_unasked_and_it_loads_at_boot() {
	passed 2-boot upgrade
	new=$(sed -n 's/^guest: new=//p' "$out/2-boot.console.log" | tail -n 1)
	# The new kernel and initramfs, as the guest made them, off its disk.
	for f in vmlinuz initrd.img; do
		debugfs -R "dump /$f $out/new-$f" "$out/2-boot.payload.img" 2>/dev/null
		expect "no $f of the new kernel on the payload disk" [ -s "$out/new-$f" ]
	done
	boot 3-newkernel "newkernel purge clone" "$out/new-vmlinuz" "$out/new-initrd.img"
	passed 3-newkernel newkernel
}

purge_leaves_no_module_source_or_dkms_state() {
	passed 3-newkernel purge
}

dkms_from_a_clone_builds_installs_and_removes_cleanly() {
	passed 3-newkernel clone
}

CASES="
apt_installs_the_deb_and_dkms_builds_and_signs_sched
systemd_modules_load_loads_sched_at_boot_with_its_options
kernel_upgrade_builds_sched_unasked_and_it_loads_at_boot
purge_leaves_no_module_source_or_dkms_state
dkms_from_a_clone_builds_installs_and_removes_cleanly
"

# --- setup and runner ------------------------------------------------------

[ "$(id -u)" = 0 ] || skip_all "must be root"
t0=$(date +%s)
"$src/scripts/install-deps.sh" mmdebstrap qemu-utils e2fsprogs >&2
rm -rf "$out"
mkdir -p "$out"
deb=$("$src/scripts/deb.sh" "$suite" 2>"$src/out/deb-$suite.log") || {
	tail -n 20 "$src/out/deb-$suite.log"
	echo "Bail out! sched-dkms does not build for $suite (out/deb-$suite.log)"
	exit 1
}
image=$("$src/scripts/debian-image.sh" "$suite")
# The image stays as cached; each run's changes go to an overlay.
qemu-img create -q -f qcow2 -b "$image/disk.img" -F raw "$out/disk.qcow2"
echo "# $suite image $(basename "$image"), $(basename "$deb"), ready after $(($(date +%s) - t0)) s"
sed 's/^/# archive: /' "$image/versions" | tr -s ' '

rc=0
# shellcheck disable=SC2086 # one case name a word
ktap $CASES || rc=$?
echo "# lifecycle $suite: $(($(date +%s) - t0)) s in all"
# Kept after a failure, to look into.
[ "$rc" != 0 ] || rm -f "$out/disk.qcow2"
[ "$rc" = 0 ]
