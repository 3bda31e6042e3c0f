# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared by the runtime test scripts (sourced, not run): helpers around the
# module under test and a KTAP runner. POSIX sh: dash and busybox ash. In the
# guest this folder is /tests (scripts/vm/test.sh).
#
# A suite names each case function test_NAME (KTAP reports it as NAME), sets
# KO (path to sched.ko) and calls run_cases, which runs them in file order.

# --- settings ---------------------------------------------------------------
# Every SCHED_* variable the guest side reads is read here and nowhere else;
# docs/testing.md's settings table lists them all. The host's are in
# scripts/lib/harness.sh.
# shellcheck disable=SC2034 # for the sourcing scripts
{
	# cases reported as SKIP without running (names, space-separated)
	TEST_SKIP=${SCHED_TEST_SKIP:-}
	# 1: run the suspend case outside a VM too
	TEST_SUSPEND=${SCHED_TEST_SUSPEND:-0}
	# 1: stop at the first failing case
	TEST_FAILFAST=${SCHED_TEST_FAILFAST:-0}
	# tests/guest/debug_test.sh's load/unload cycles, seconds of readers
	# and writers racing the ticks, and CPU offline/online rounds
	DEBUG_CYCLES=${SCHED_DEBUG_CYCLES:-300}
	DEBUG_RACE_SECONDS=${SCHED_DEBUG_RACE_SECONDS:-20}
	DEBUG_HOTPLUG_ROUNDS=${SCHED_DEBUG_HOTPLUG_ROUNDS:-50}
}
# --- end of settings --------------------------------------------------------

PROC=/proc/sched
# shellcheck disable=SC2034 # used by the sourcing scripts
PARAM=/sys/module/sched/parameters/interval_ms
MARK="sched_test: begin $$"
# tests/kernel-reports: the guest's copy (scripts/vm/test.sh); the host and
# debian/tests name theirs before sourcing this file.
REPORTS=${REPORTS:-/tests/kernel-reports}

# --- helpers ---------------------------------------------------------------

# reports: the lines of stdin in which the kernel reports a problem, by the
# expressions of $REPORTS. A file that is missing or empty gives the empty
# expression, which matches every line: it fails, never passes unread.
reports() {
	grep -E "$(awk '!/^#/ && NF { p = p (p ? "|" : "") $0 } END { print p }' "$REPORTS")" || :
}

# expect DESCRIPTION COMMAND...: run COMMAND; if it fails, say why and fail the case.
expect() {
	desc=$1
	shift
	"$@" || { echo "# FAIL: $desc" && return 1; }
}

loaded() { [ -d /sys/module/sched ]; }
unloaded() { [ ! -d /sys/module/sched ] && [ ! -e "$PROC" ]; }

# matches TEXT ERE / lacks TEXT ERE: whether some line of TEXT matches ERE.
matches() { printf '%s\n' "$1" | grep -Eq "$2"; }
lacks() { ! matches "$@"; }

unload() { ! loaded || rmmod sched; }

# load [PARAM=VALUE...]: (re)load the module under test.
load() {
	unload
	insmod "$KO" "$@"
}

# field NAME: the value of a "NAME: value" line of /proc/sched.
field() { sed -n "s/^$1: //p" "$PROC"; }

# ticks_over SECONDS: the tick count now, in a, and SECONDS later, in b.
ticks_over() {
	a=$(field ticks)
	sleep "$1"
	b=$(field ticks)
}

# Kernel log written since this run began.
dmesg_since_start() { dmesg | sed -n "/$MARK/,\$p"; }

# none DESCRIPTION TEXT: show TEXT's lines; fail the case if there are any.
none() {
	printf '%s\n' "$2" | sed '/^$/d; s/^/#   /'
	expect "$1" [ -z "$2" ]
}

# within VALUE EXPECTED TOLERANCE
within() { [ "$1" -ge $(($2 - $3)) ] && [ "$1" -le $(($2 + $3)) ]; }

# start_loop COMMAND [NICE]: run COMMAND over and over in the background,
# quietly and reniced to NICE if given, until stop_loops.
loops=
start_loop() {
	sh -c "while :; do $1; done" >/dev/null 2>&1 &
	loops="$loops $!"
	[ -z "${2:-}" ] || renice -n "$2" -p $! >/dev/null
}
stop_loops() {
	# shellcheck disable=SC2086 # a list of pids
	kill $loops
	wait
	loops=
}

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	echo "0 passed, 0 failed"
	exit 4	# kselftest's skip code
}

# cases FILE: NAME for each test_NAME() defined at a line's start, in order.
cases() { sed -n 's/^test_\([A-Za-z0-9_]*\)() {.*$/\1/p' "$1"; }

# ktap [NAME...]: run test_NAME for each NAME, by default every case of $0,
# and print KTAP; the exit status says whether all passed. A case that returns 4 (kselftest's skip code) before
# it fails is reported as skipped, and so is, without running, a case named
# in SCHED_TEST_SKIP. $AFTER_CASE, if set, runs after each. With
# SCHED_TEST_FAILFAST=1 the first failure ends the run with "Bail out!".
ktap() {
	# shellcheck disable=SC2046 # one case name a word
	[ $# != 0 ] || set -- $(cases "$0")
	ktap_plan $#
	for c in "$@"; do
		# For the host, if the guest dies in the case (scripts/vm/run.sh).
		echo "# RUN $((ktap_n + 1)) $c"
		# A subshell with errexit, so that any failing command ends the
		# case; run as a plain command: errexit is ignored in a condition.
		rc=4
		set +e
		case " $TEST_SKIP " in
		*" $c "*) ;;
		*) (set -e; "test_$c"); rc=$? ;;
		esac
		set -e
		if [ "$rc" = 4 ]; then
			ktap_skip "$c"
		else
			ktap_case "$rc" "$c"
		fi
		${AFTER_CASE:-}
		if [ "$ktap_fail" != 0 ] && [ "$TEST_FAILFAST" = 1 ]; then
			echo "Bail out! SCHED_TEST_FAILFAST: stopped at $c"
			break
		fi
	done
	ktap_end
}

# --- KTAP -------------------------------------------------------------------
# The one KTAP emitter, for the guest's suites (ktap above) and the host's
# steps, which build their reports case by case (scripts/lib/harness.sh
# sources this file).

# ktap_plan N: start a KTAP report of N cases.
ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
	ktap_n=0 ktap_pass=0 ktap_fail=0 ktap_skipped=0
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

# ktap_skip NAME [REASON]: report a case that could not run here.
ktap_skip() {
	ktap_n=$((ktap_n + 1))
	ktap_skipped=$((ktap_skipped + 1))
	echo "ok $ktap_n $1 # SKIP${2:+ $2}"
}

# ktap_end: kselftest's totals line, then the harness's; the status says
# whether every case passed.
ktap_end() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skipped error:0"
	echo "$ktap_pass passed, $ktap_fail failed"
	[ "$ktap_fail" = 0 ]
}

unload_quietly() { unload 2>/dev/null || :; }

# run_cases [NAME...]: check that the module can be tested here, then run
# the cases as ktap does, each starting from an unloaded module and left
# unloaded.
run_cases() {
	[ "$(id -u)" = 0 ] || skip_all "must be root"
	[ -e /proc/modules ] || skip_all "this kernel cannot load modules"
	[ -r "$KO" ] || skip_all "no module at $KO (build it with make)"
	if loaded; then
		echo "Bail out! sched is already loaded; rmmod it first"
		exit 1
	fi

	echo "$MARK" >/dev/kmsg
	AFTER_CASE=unload_quietly
	ktap "$@"
}
