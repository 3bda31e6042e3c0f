#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of tests/lifecycle_test.sh, run at boot by the image's
# sched-lifecycle.service from the payload disk (mounted at /run/payload)
# in a Debian system booted in QEMU. Runs the steps named in
# /run/payload/steps, in order, and prints for each "guest: result.STEP=ok"
# or "=fail", with "# FAIL: ..." lines saying why; ends with
# "sched-lifecycle: done" (the service then powers off).
#
# Steps: install (apt-get install ./sched-dkms_*.deb; DKMS builds, signs
# and installs sched.ko; the examples go to /etc), boot (sched was loaded at
# boot by systemd-modules-load with the examples' options), upgrade (a newer
# kernel and its headers: DKMS builds sched for it unasked; its kernel and
# initramfs are copied to the payload disk for the next boot), newkernel
# (the boot of that kernel: sched loaded there too), purge (apt-get purge
# leaves nothing behind), clone (dkms add, build, install and remove from a
# clone, as README says). POSIX sh.
set -eu

# Straight to the console: through the journal, systemd would prefix every
# line with a timestamp and the process.
exec >/dev/console 2>&1
payload=/run/payload
# expect, matches, lacks, field.
# shellcheck source=tests/lib.sh
. "$payload/lib.sh"
export DEBIAN_FRONTEND=noninteractive
deb=$(ls "$payload"/sched-dkms_*_all.deb)
version=$(dpkg-deb -f "$deb" Version)
examples=/usr/share/doc/sched-dkms/examples

# logged COMMAND...: run it, its output on the console as "  | " lines
# (the host shows only "# " lines: the console log keeps the rest) and in
# /root/steps.log (the image persists between boots); on failure say so.
logged() {
	echo "\$ $*" >>/root/steps.log
	rm -f /tmp/logged.rc
	{ "$@" 2>&1 || echo "$?" >/tmp/logged.rc; } | tee -a /root/steps.log | sed 's/^/  | /'
	if [ -e /tmp/logged.rc ]; then
		echo "# FAIL: $* (exit $(cat /tmp/logged.rc)); its last lines:"
		tail -n 25 /root/steps.log | sed 's/^/#   /'
		return 1
	fi
}

# The file modprobe would load for sched in kernel $1 (DKMS may compress it).
module_file() { find "/lib/modules/$1" -name 'sched.ko*' | head -n 1; }

# dkms_installed RELEASE: DKMS says sched is installed for RELEASE.
dkms_installed() {
	s=$(dkms status -m sched -v "$version" -k "$1")
	echo "# dkms status: $s"
	matches "$s" ': installed'
}

# The CN of DKMS's own signing certificate.
dkms_key_cn() {
	openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject |
		sed 's/^subject=[[:space:]]*CN[[:space:]]*=[[:space:]]*//'
}

# built_and_signed RELEASE: sched.ko for RELEASE is where modprobe finds it,
# has the package's version and is signed with DKMS's key.
built_and_signed() {
	expect "DKMS does not say sched $version is installed for $1" dkms_installed "$1"
	ko=$(module_file "$1")
	expect "no sched.ko under /lib/modules/$1" [ -n "$ko" ]
	echo "# $ko"
	got=$(modinfo -k "$1" -F filename sched)
	expect "modprobe would load '$got', not $ko" [ "$got" = "$ko" ]
	got=$(modinfo -F version "$ko")
	expect "module version '$got', want $version" [ "$got" = "$version" ]
	signer=$(modinfo -F signer "$ko")
	echo "# signer: $signer"
	expect "no /var/lib/dkms/mok.pub" [ -f /var/lib/dkms/mok.pub ]
	expect "sched.ko is not signed" [ -n "$signer" ]
	expect "signer '$signer', want DKMS's key '$(dkms_key_cn)'" \
		[ "$signer" = "$(dkms_key_cn)" ]
}

# loaded_at_boot: systemd-modules-load loaded sched during this boot, with
# the options of /etc/modprobe.d, and it ticks.
loaded_at_boot() {
	# By identifier, not unit, and the kernel log too: it may run before
	# journald, and then logs to the kernel log.
	journal=$(journalctl -b -o cat -t systemd-modules-load
		dmesg | sed -n 's/^.*systemd-modules-load\[[0-9]*\]: //p')
	printf '%s\n' "$journal" | sed 's/^/# systemd-modules-load: /'
	loaded || journalctl -b -o short-monotonic | grep -i 'sched\|modules-load' | sed 's/^/# journal: /'
	expect "systemd-modules-load did not load sched" \
		matches "$journal" "Inserted module 'sched'"
	expect "sched is not loaded" loaded
	got=$(cat "$PARAM")
	expect "interval_ms is $got, want 250 from modprobe.d" [ "$got" = 250 ]
	t0=$(field ticks)
	sleep 2
	t1=$(field ticks)
	echo "# ticks: $t0, 2 s later $t1"
	expect "/proc/sched does not tick" [ "$t1" -gt "$t0" ]
}

step_install() {
	rel=$(uname -r)
	expect "the image lacks the headers of its kernel $rel" [ -d "/lib/modules/$rel/build" ]
	logged apt-get install -y "$deb"
	expect "no /usr/src/sched-$version/dkms.conf" [ -f "/usr/src/sched-$version/dkms.conf" ]
	built_and_signed "$rel"
	# As README tells users to.
	cp "$examples/modprobe.d/sched.conf" /etc/modprobe.d/
	cp "$examples/modules-load.d/sched.conf" /etc/modules-load.d/
}

step_boot() {
	loaded_at_boot
	logged modprobe -r sched
	expect "modprobe -r left sched loaded" unloaded
}

step_upgrade() {
	before=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n')
	# shellcheck disable=SC2046 # apt arguments, one a word
	logged apt-get install -y $(cat /etc/sched-lifecycle/upgrade)
	new=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -vxF "$before") || :
	echo "guest: new=$new"
	expect "the upgrade installed no new kernel" [ -n "$new" ]
	expect "the upgrade installed more than one kernel: $new" [ "$(echo "$new" | wc -l)" = 1 ]
	# Nobody asked: DKMS's kernel hooks must have built it.
	built_and_signed "$new"
	cp "/boot/vmlinuz-$new" "$payload/vmlinuz"
	cp "/boot/initrd.img-$new" "$payload/initrd.img"
}

step_newkernel() {
	want=$(cat "$payload/release")
	expect "booted $(uname -r), want the new kernel $want" [ "$(uname -r)" = "$want" ]
	loaded_at_boot
	built_and_signed "$want"
}

step_purge() {
	logged apt-get purge -y sched-dkms
	left=$(find /lib/modules -name 'sched.ko*')
	expect "purge left $left" [ -z "$left" ]
	expect "purge left /var/lib/dkms/sched" [ ! -e /var/lib/dkms/sched ]
	left=$(find /usr/src -maxdepth 1 -name 'sched-*')
	expect "purge left $left" [ -z "$left" ]
}

# README's "Install with DKMS", from a clone (payload/src: the files
# sched-dkms ships), after the package is gone; dkms itself stays.
step_clone() {
	rel=$(uname -r)
	rm -rf /root/sched
	cp -R "$payload/src" /root/sched
	cd /root/sched
	logged dkms add .
	logged dkms build "sched/$version" -k "$rel"
	logged dkms install "sched/$version" -k "$rel"
	built_and_signed "$rel"
	logged modprobe sched
	got=$(cat "$PARAM")
	expect "interval_ms is $got, want 250 from modprobe.d" [ "$got" = 250 ]
	logged modprobe -r sched
	logged dkms remove "sched/$version" --all
	rm -rf "/usr/src/sched-$version"
	left=$(find /lib/modules -name 'sched.ko*')
	expect "dkms remove left $left" [ -z "$left" ]
	expect "dkms remove left /var/lib/dkms/sched" [ ! -e /var/lib/dkms/sched ]
}

echo "# kernel $(uname -r), sched-dkms $version"
# shellcheck disable=SC2013 # step names, one a word
for step in $(cat "$payload/steps"); do
	# A subshell with errexit: any failing command ends the step.
	t0=$(date +%s)
	set +e
	(set -e; "step_$step")
	rc=$?
	set -e
	echo "# step $step: $(($(date +%s) - t0)) s"
	if [ "$rc" = 0 ]; then
		echo "guest: result.$step=ok"
	else
		echo "guest: result.$step=fail"
	fi
done
sync
echo "sched-lifecycle: done"
