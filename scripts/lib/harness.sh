# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared by the host side of the harness (sourced, from any folder of
# scripts/, tests/host/ or bench/): where things live, the harness's
# settings, messages and the "N passed, N failed" counts; KTAP and the
# checks of a case come from tests/guest/lib.sh, which the guest uses alone.

ME=${0##*/}

log() { printf '%s: %s\n' "$ME" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
# usage SYNOPSIS: the script's usage, and exit status 2.
usage() {
	echo "usage: $0 $*" >&2
	exit 2
}

# SRC, the source tree: the nearest directory above the running script that
# holds sched.c and Kbuild. One answer from a folder of any depth, in a clone
# or in a copy without .git (autopkgtest's).
SRC=$(cd "$(dirname "$0")" && pwd)
until [ -f "$SRC/sched.c" ] && [ -f "$SRC/Kbuild" ]; do
	[ "$SRC" != / ] || die "no sched.c and Kbuild in any directory above $0"
	SRC=$(dirname "$SRC")
done

# --- settings ---------------------------------------------------------------
# Every SCHED_* variable the host side reads is read here and nowhere else;
# docs/testing.md's settings table says what each does
# (tests/host/harness_test.sh checks both). The guest's are in
# tests/guest/lib.sh. To change one for a command the harness runs, set
# SCHED_* in that command's environment.
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
# them, defined here alone: run.sh gives them to every guest in
# /etc/sched-vm, which its /init (scripts/vm/init.sh) exports, and reads
# them back from the console.
# shellcheck disable=SC2034 # for scripts/vm/run.sh
{
	# /init is about to run the guest's command: the kernel has booted
	VM_START='sched-vm: start'
	# "VM_EXIT N": /init's last line, the exit status of the guest's command
	VM_EXIT='sched-vm: exit'
	# the guest is about to suspend to RAM: scripts/vm/run.sh wakes it
	VM_SUSPEND='sched-vm: suspending'
	# kernel log lines around reports a guest test provokes on purpose and
	# checks itself (tests/guest/debug_test.sh): not counted as the kernel's
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

# private_apt DIR SOURCES ARCH...: point apt (APT_CONFIG) at a configuration
# of its own in DIR, with SOURCES (sources.list lines) for the architectures
# given (the first native), so that the host's apt state and sources are
# left alone. A change to either removes DIR/updated, which says that the
# lists are current. Not in a pipeline: it exports APT_CONFIG.
private_apt() {
	pa=$1
	shift
	export APT_CONFIG="$pa/apt.conf"
	mkdir -p "$pa/lists/partial" "$pa/archives/partial"
	printf '%s\n' "$1" >"$pa/sources.list.new"
	shift
	cat >"$pa/apt.conf.new" <<-EOF
		Dir::State "$pa";
		Dir::State::Lists "$pa/lists";
		Dir::State::status "/dev/null";
		Dir::Cache "$pa";
		Dir::Cache::Archives "$pa/archives";
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

# patched PATCH OUT [BASE]: BASE (default sched.c) with PATCH (of
# tests/mutants/ or tests/variants/) applied, into OUT. Lines may have
# moved, but every hunk must apply exactly: a patch that no longer does
# fails, naming itself, rather than test BASE intact.
patched() {
	command -v patch >/dev/null || die "no patch command: run scripts/ci/install-deps.sh"
	cp "${3:-$SRC/sched.c}" "$2"
	patch -s -F 0 -N -r - --no-backup-if-mismatch "$2" <"$1" >/dev/null 2>&1 ||
		{ log "${1##*/} no longer applies to ${3:-sched.c}" && return 1; }
}

# mutants WHERE: the tests/mutants/ patches caught by WHERE ("suite",
# "build", "kernel report"), one "PATCH LANE..." line each.
mutants() {
	for m in "$SRC"/tests/mutants/*.patch; do
		sed -n "s|^# Caught by: $1\( \(.*\)\)*\$|$m \2|p" "$m"
	done
}

# --- KTAP -------------------------------------------------------------------

# ktap_plan, ktap_case, ktap_skip, ktap_end: the guest's emitter, one for
# both sides; also expect, matches, lacks and skip_all.
# shellcheck source=tests/guest/lib.sh
REPORTS=$SRC/tests/kernel-reports
. "$SRC/tests/guest/lib.sh"

# bail_out REASON: end a KTAP report that cannot go on.
bail_out() {
	echo "Bail out! $1"
	exit 1
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

# died_in LOG: when the guest's console LOG ends in the middle of a KTAP
# case (tests/guest/lib.sh announces each with "# RUN N NAME"), the lines
# that report that case failed and the counts so far with it; else nothing.
died_in() {
	awk '/^# RUN [0-9]+ / { run = $3 " " $4 } /^(not )?ok [0-9]+ / { run = "" }
		/^ok [0-9]+ / { p++ } /^not ok [0-9]+ / { f++ }
		END { if (run != "") printf "not ok %s # the guest ended in this case\n%d passed, %d failed\n", run, p, f + 1 }' "$1"
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
