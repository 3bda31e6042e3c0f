# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared by the host side of the harness (sourced, from any folder of
# scripts/, tests/host/ or bench/): where things live, messages, KTAP and
# the "N passed, N failed" counts. What runs inside the VM uses
# tests/guest/lib.sh instead.

ME=${0##*/}

log() { printf '%s: %s\n' "$ME" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# SRC, the source tree: the nearest directory above the running script that
# holds sched.c and Kbuild. One answer from a folder of any depth, in a clone
# or in a copy without .git (autopkgtest's).
SRC=$(cd "$(dirname "$0")" && pwd)
until [ -f "$SRC/sched.c" ] && [ -f "$SRC/Kbuild" ]; do
	[ "$SRC" != / ] || die "no sched.c and Kbuild in any directory above $0"
	SRC=$(dirname "$SRC")
done
# shellcheck disable=SC2034 # for the sourcing scripts
CACHE=${SCHED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sched}
LANES=${SCHED_LANES:-$SRC/tests/lanes}
MIRROR=${SCHED_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SCHED_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# host_suite: the Debian release this machine runs (bookworm, trixie...).
host_suite() { sed -n 's/^VERSION_CODENAME=//p' /etc/os-release; }

# debian_sources SUITE: one-line apt sources of a Debian system of SUITE:
# for a stable release, its updates and security fixes too.
debian_sources() {
	echo "deb $MIRROR $1 main"
	case $1 in
	sid | unstable | experimental) ;;
	*)
		echo "deb $MIRROR $1-updates main"
		echo "deb $SECURITY_MIRROR $1-security main"
		;;
	esac
}

# stamp COMMAND: the lines that head a table a command writes under out/:
# what wrote it, when and where, for the docs that quote its figures.
stamp() {
	echo "# Written by $*, $(date -u '+%Y-%m-%d %H:%M UTC'),"
	echo "# on Debian $(cat /etc/debian_version) ($(host_suite)) with $(nproc) CPUs."
}

# network_apt_conf: the host's apt settings that are facts of the network,
# for a system made here: where the host accepts an expired Release file (a
# frozen mirror, a wrong clock), that system must too, or its apt cannot
# update.
network_apt_conf() {
	apt-config dump Acquire::Check-Valid-Until Acquire::Check-Date |
		grep ' "false";$' || :
}

# lane NAME [fallback]: the lane's line of tests/lanes (aliases resolved),
# or with "fallback" the line of its fallback; or fail.
lane() {
	awk -v l="$1" -v w="${2:-}" 'NR == FNR { if ($1 == "alias" && $2 == l) l = $3; next }
		$1 == l && $1 != "arch" && NF >= 6 && ($5 == "fallback") == (w == "fallback") {
			print; found = 1; exit }
		END { exit !found }' "$LANES" "$LANES"
}

# default_lane [LANE]: LANE, or the lane of the Debian release this host
# runs, or trixie when none is.
default_lane() {
	l=${1:-$(host_suite)}
	lane "$l" >/dev/null || l=trixie
	echo "$l"
}

# lanes: the names of all lanes, in table order.
lanes() {
	awk '!/^#/ && NF >= 6 && $1 != "alias" && $1 != "arch" && $5 != "fallback" { print $1 }' "$LANES"
}

# arch ARCH: the fields after "arch ARCH" of tests/lanes: triplet, emulator,
# its package, console, QEMU options.
arch() {
	awk -v a="$1" '$1 == "arch" && $2 == a { $1 = $2 = ""; print; found = 1 }
		END { exit !found }' "$LANES"
}

# qemu_options ARCH ACCEL: QEMU's machine options for a guest of ARCH, the
# last fields of its "arch" line; under KVM also the host's CPU, not the
# emulated one of tests/lanes (the last -cpu wins).
qemu_options() {
	f=$(arch "$1") || die "no 'arch $1' line in tests/lanes"
	echo "$f" | awk -v a="$2" '{ $1 = $2 = $3 = $4 = ""; print $0 (a == "kvm" ? " -cpu host" : "") }'
}

# report_pattern: the expressions of tests/kernel-reports as one ERE, which
# scripts/vm/test.sh also gives the guest as /tests/reports.ere.
report_pattern() {
	grep -v -e '^#' -e '^$' "$SRC/tests/kernel-reports" | paste -sd'|' -
}

# reports: the lines of stdin in which the kernel reports a problem.
reports() { grep -E "$(report_pattern)" || :; }

# patched PATCH OUT: sched.c with PATCH (a mutant of tests/mutants/) applied,
# into OUT. Lines may have moved, but every hunk must apply exactly: a patch
# that no longer does fails, naming itself, rather than test sched.c intact.
patched() {
	cp "$SRC/sched.c" "$2"
	patch -s -F 0 -N -r - --no-backup-if-mismatch "$2" <"$1" >/dev/null 2>&1 ||
		{ log "${1##*/} no longer applies to sched.c" && return 1; }
}

# mutants WHERE: the tests/mutants/ patches caught by WHERE ("suite",
# "build", "kernel report"), one "PATCH LANE..." line each.
mutants() {
	for m in "$SRC"/tests/mutants/*.patch; do
		sed -n "s|^# Caught by: $1\( \(.*\)\)*\$|$m \2|p" "$m"
	done
}

# --- KTAP -------------------------------------------------------------------

# ktap_plan N: start a KTAP report of N cases.
ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
	ktap_n=0
	ktap_pass=0
	ktap_fail=0
}

# ktap_case STATUS NAME: report a case as passed when STATUS is 0.
ktap_case() {
	ktap_n=$((ktap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $ktap_n $2"
		ktap_pass=$((ktap_pass + 1))
	else
		echo "not ok $ktap_n $2"
		ktap_fail=$((ktap_fail + 1))
	fi
}

# ktap_skip NAME REASON: report a case that could not run here.
ktap_skip() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

# ktap_end: the totals line; the status says whether every case passed.
ktap_end() {
	echo "$ktap_pass passed, $ktap_fail failed"
	[ "$ktap_fail" = 0 ]
}

# counts [FILE]: "PASSED FAILED" summed over the "N passed, N failed" lines
# of FILE (default stdin), or nothing when it has none.
counts() {
	sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "${1:--}" |
		awk '{ p += $1; f += $2; n++ } END { if (n) print p, f }'
}

# judge STATUS [PASSED FAILED]: "PASSED FAILED" of a run that exited with
# STATUS and counted PASSED and FAILED: one failure more when it failed
# while every counted case passed, and "0 1" when it counted nothing.
judge() {
	if [ $# != 3 ]; then
		echo "0 1"
	elif [ "$1" != 0 ] && [ "$3" = 0 ]; then
		echo "$2 1"
	else
		echo "$2 $3"
	fi
}

# verdict DIR STATUS: "PASSED FAILED" of a scripts/vm/test.sh run in DIR that
# exited with STATUS: judge of the guest's counts (a VM that failed while
# they say all passed is a kernel report or a crash), and a failure more for
# build warnings.
verdict() {
	c=$(counts "$1/console.log" 2>/dev/null) || :
	# shellcheck disable=SC2086 # two numbers, or none
	c=$(judge "$2" $c)
	[ "$(cat "$1/warnings" 2>/dev/null)" = 0 ] || c="${c% *} $((${c#* } + 1))"
	echo "$c"
}
