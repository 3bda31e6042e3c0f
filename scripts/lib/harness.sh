# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the host side of the harness: where things live, its settings,
# messages and counts; KTAP comes from tests/guest/lib.sh, the guest's.

ME=${0##*/}

log() { printf '%s: %s\n' "$ME" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# usage SYNOPSIS: the script's usage, and exit status 2.
usage() { echo "usage: $0 $*" >&2; exit 2; }

# SRC: the nearest directory above the script that holds sched.c and Kbuild,
# in a clone or in a copy without .git (autopkgtest's).
SRC=$(cd "$(dirname "$0")" && pwd)
until [ -f "$SRC/sched.c" ] && [ -f "$SRC/Kbuild" ]; do
	[ "$SRC" != / ] || die "no sched.c and Kbuild in any directory above $0"
	SRC=$(dirname "$SRC")
done

# --- settings ---------------------------------------------------------------
# The host's settings, read here alone (docs/testing.md); the guest's: tests/guest/lib.sh.
# shellcheck disable=SC2034 # for the sourcing scripts
{
	# HOME may be unset where autopkgtest runs scripts/vm/qemu-accel.sh.
	CACHE=${SCHED_CACHE:-${XDG_CACHE_HOME:-${HOME:-}/.cache}/sched}
	LANES=${SCHED_LANES:-$SRC/tests/lanes}
	MIRROR=${SCHED_MIRROR:-http://deb.debian.org/debian}
	SECURITY_MIRROR=${SCHED_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
	# empty: KVM if a probe boot works
	ACCEL=${SCHED_ACCEL:-}
	# empty: the runner's 900, or the caller's (make shell from a terminal: none)
	VM_TIMEOUT=${SCHED_VM_TIMEOUT:-}
	VM_CPUS=${SCHED_VM_CPUS:-2}
	VM_MEM=${SCHED_VM_MEM:-1024M}
	VM_APPEND=${SCHED_VM_APPEND:-}
	# empty: a temporary file
	VM_LOG=${SCHED_VM_LOG:-}
	VM_OVERLAY=${SCHED_VM_OVERLAY:-}
	BENCH_DRIFT_S=${SCHED_BENCH_DRIFT_S:-60}
}
# --- end of settings --------------------------------------------------------

# The lines a guest prints for scripts/vm/run.sh where KTAP has no word for
# them: run.sh gives them to the guest's /init in /etc/sched-vm.
# shellcheck disable=SC2034 # for scripts/vm/run.sh
{
	# /init is about to run the guest's command: the kernel has booted
	VM_START='sched-vm: start'
	# "VM_EXIT N": /init's last line, the exit status of the guest's command
	VM_EXIT='sched-vm: exit'
	# the guest is about to suspend to RAM: scripts/vm/run.sh wakes it
	VM_SUSPEND='sched-vm: suspending'
	# around kernel reports a guest provokes and checks itself: not failures
	VM_REPORTS_EXPECTED='sched-vm: reports expected'
	VM_REPORTS_CHECKED='sched-vm: reports checked'
}

# host_suite: the Debian release this machine runs (bookworm, trixie...).
host_suite() { sed -n 's/^VERSION_CODENAME=//p' /etc/os-release; }

# debian_sources SUITE: one-line apt sources of a Debian system of SUITE:
# for a stable release, its updates and security fixes too.
debian_sources() {
	echo "deb $MIRROR $1 main"
	case $1 in
	sid | unstable | experimental) ;;
	*) printf 'deb %s %s main\n' "$MIRROR" "$1-updates" "$SECURITY_MIRROR" "$1-security" ;;
	esac
}

# stamp COMMAND: what wrote a table under out/, when and where, for the docs that quote it.
stamp() {
	echo "# Written by $*, $(date -u '+%Y-%m-%d %H:%M UTC'),"
	echo "# on Debian $(cat /etc/debian_version) ($(host_suite)) with $(nproc) CPUs."
}

# network_apt_conf: the host's apt settings that are facts of the network,
# for a system made here: if the host accepts an expired Release file (a
# frozen mirror), that system must too.
network_apt_conf() {
	apt-config dump Acquire::Check-Valid-Until Acquire::Check-Date | grep ' "false";$' || :
}

# private_apt DIR SOURCES ARCH...: point apt (APT_CONFIG) at a configuration
# of its own in DIR, with SOURCES (sources.list lines) for the architectures
# (the first native), leaving the host's alone. A change removes
# DIR/updated, which says the lists are current. Not in a pipeline: it
# exports APT_CONFIG.
private_apt() {
	pa=$1
	shift
	export APT_CONFIG="$pa/apt.conf"
	mkdir -p "$pa/lists/partial" "$pa/archives/partial"
	printf '%s\n' "$1" >"$pa/sources.list.new"
	shift
	cat >"$pa/apt.conf.new" <<-EOF
		Dir::State "$pa";
		Dir::State::status "/dev/null";
		Dir::Cache "$pa";
		Dir::Etc::SourceList "$pa/sources.list";
		Dir::Etc::SourceParts "/nonexistent";
		Dir::Etc::Preferences "/nonexistent";
		Dir::Etc::PreferencesParts "/nonexistent";
		APT::Architecture "$1";
		APT::Architectures { $(printf '"%s"; ' "$@")};
		Acquire::Languages "none";
		APT::Sandbox::User "root";
	EOF
	for f in apt.conf sources.list; do
		if ! cmp -s "$pa/$f.new" "$pa/$f"; then
			mv "$pa/$f.new" "$pa/$f"
			rm -f "$pa/updated"
		fi
		rm -f "$pa/$f.new"
	done
}

# lane NAME [fallback]: the lane's line of tests/lanes, or with "fallback"
# the line of its fallback; or fail.
lane() {
	awk -v l="$1" -v w="${2:-}" '$1 == l && $1 != "arch" && NF >= 6 &&
		($5 == "fallback") == (w == "fallback") { print; found = 1; exit }
		END { exit !found }' "$LANES"
}

# default_lane [LANE]: LANE, or the lane of the Debian release this host
# runs, or trixie when none is.
default_lane() { l=${1:-$(host_suite)}; lane "$l" >/dev/null || l=trixie; echo "$l"; }

# lanes: the names of all lanes, in table order.
lanes() { awk '!/^#/ && NF >= 6 && $1 != "arch" && $5 != "fallback" { print $1 }' "$LANES"; }

# arch ARCH: the fields after "arch ARCH" of tests/lanes: triplet, emulator,
# its package, console, QEMU options.
arch() {
	awk -v a="$1" '$1 == "arch" && $2 == a { $1 = $2 = ""; print; found = 1 }
		END { exit !found }' "$LANES"
}

# patched PATCH OUT [BASE]: BASE (default sched.c) with PATCH applied, into
# OUT. Every hunk must apply exactly: a patch that no longer does fails,
# naming itself, rather than test BASE intact.
patched() {
	command -v patch >/dev/null || die "no patch command: run scripts/ci/install-deps.sh"
	cp "${3:-$SRC/sched.c}" "$2"
	patch -s -F 0 -N -r - --no-backup-if-mismatch "$2" <"$1" >/dev/null 2>&1 ||
		{ log "${1##*/} no longer applies to ${3:-sched.c}" && return 1; }
}

# mutants WHERE: the tests/mutants/ patches caught by WHERE ("suite",
# "build", "kernel report"), one "PATCH WORD..." line each (the cases or
# lanes of its "# Caught by: WHERE WORD..." line).
mutants() {
	for m in "$SRC"/tests/mutants/*.patch; do
		sed -n "s|^# Caught by: $1\( \(.*\)\)*\$|$m \2|p" "$m"
	done
}

# --- KTAP -------------------------------------------------------------------

# ktap_plan, ktap_case, ktap_skip, ktap_end, expect, matches, lacks and
# skip_all: the guest's, one for both sides.
# shellcheck source=tests/guest/lib.sh
REPORTS=$SRC/tests/kernel-reports
. "$SRC/tests/guest/lib.sh"

# bail_out REASON: end a KTAP report that cannot go on.
bail_out() { echo "Bail out! $1"; exit 1; }

# counts [FILE]: "PASSED FAILED" summed over the "N passed, N failed" lines
# of FILE (default stdin), or nothing when it has none.
counts() {
	sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "${1:--}" |
		awk '{ p += $1; f += $2; n++ } END { if (n) print p, f }'
}

# judge STATUS [PASSED FAILED]: "PASSED FAILED" of a run that exited with
# STATUS: one failure more when it failed while every case passed, "0 1"
# when it counted nothing.
judge() {
	if [ $# != 3 ]; then
		echo "0 1"
	elif [ "$1" != 0 ] && [ "$3" = 0 ]; then
		echo "$2 1"
	else
		echo "$2 $3"
	fi
}

# died_in LOG: when the console LOG ends inside a case (announced by "# RUN
# N NAME"), the lines that report it failed and the counts; else nothing.
died_in() {
	awk '/^# RUN [0-9]+ / { run = $3 " " $4 } /^(not )?ok [0-9]+ / { run = "" }
		/^ok [0-9]+ / { p++ } /^not ok [0-9]+ / { f++ }
		END { if (run != "") printf "not ok %s # the guest ended in this case\n%d passed, %d failed\n", run, p, f + 1 }' "$1"
}

# verdict DIR STATUS: "PASSED FAILED" of a scripts/vm/test.sh run in DIR that
# exited with STATUS: judge of the guest's counts, and a failure more for
# build warnings.
verdict() {
	c=$(counts "$1/console.log" 2>/dev/null) || :
	# shellcheck disable=SC2086 # two numbers, or none
	c=$(judge "$2" $c)
	[ "$(cat "$1/warnings" 2>/dev/null)" = 0 ] || c="${c% *} $((${c#* } + 1))"
	echo "$c"
}
