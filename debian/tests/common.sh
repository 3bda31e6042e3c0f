# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the tests of debian/tests/control, which autopkgtest runs as
# root in the testbed with the source tree as the current directory:
# what they check of a module DKMS built. tests/guest/lib.sh gives expect,
# matches, field, ticks_over, loaded, unloaded and PARAM.

# The file of the expressions every VM runner judges the kernel's log by.
REPORTS=$PWD/tests/kernel-reports
# shellcheck source=tests/guest/lib.sh
. tests/guest/lib.sh
export DEBIAN_FRONTEND=noninteractive
# The module's one version number (debian/rules makes the package's agree).
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' dkms.conf)

# step NAME: say which step begins, so that the log reads as the test runs.
step() { echo "# --- $1 ($(date -u +%T), kernel $(uname -r))"; }

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
# has the version of dkms.conf and is signed with DKMS's key.
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

# ticks: /proc/sched's tick count goes up.
ticks() {
	ticks_over 2
	echo "# ticks: $a, 2 s later $b"
	expect "/proc/sched does not tick" [ "$b" -gt "$a" ]
}

# no_kernel_reports: the kernel's log of this boot has no report of a
# problem.
no_kernel_reports() {
	r=$(dmesg | reports)
	printf '%s\n' "$r" | head -n 20 | sed '/^$/d; s/^/# kernel: /'
	expect "the kernel reported a problem" [ -z "$r" ]
}

# nothing_left WHAT: no sched.ko in any kernel, no DKMS state, no source.
nothing_left() {
	left=$(find /lib/modules -name 'sched.ko*')
	expect "$1 left $left" [ -z "$left" ]
	expect "$1 left /var/lib/dkms/sched" [ ! -e /var/lib/dkms/sched ]
	left=$(find /usr/src -maxdepth 1 -name 'sched-*')
	expect "$1 left $left" [ -z "$left" ]
}
