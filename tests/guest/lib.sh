# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the runtime suites (in the guest, /tests) and by the host for its
# KTAP emitter and checks. POSIX sh: dash and busybox ash. A suite names each
# case test_NAME, sets KO (the sched.ko to test) and calls run_cases.

# --- settings ---------------------------------------------------------------
# The guest's settings, read here alone (docs/testing.md); the host's: scripts/lib/harness.sh.
# shellcheck disable=SC2034 # for the sourcing scripts
{
	TEST_SKIP=${SCHED_TEST_SKIP:-}	# cases reported as SKIP, space-separated
	TEST_SUSPEND=${SCHED_TEST_SUSPEND:-0}	# 1: the suspend case outside a VM too
	TEST_FAILFAST=${SCHED_TEST_FAILFAST:-0}	# 1: stop at the first failing case
	# debug_test.sh: load/unload cycles, seconds of racing, CPU offline/online rounds
	DEBUG_CYCLES=${SCHED_DEBUG_CYCLES:-300}
	DEBUG_RACE_SECONDS=${SCHED_DEBUG_RACE_SECONDS:-20}
	DEBUG_HOTPLUG_ROUNDS=${SCHED_DEBUG_HOTPLUG_ROUNDS:-50}
}
# --- end of settings --------------------------------------------------------

# shellcheck disable=SC2034 # PARAM: for the sourcing scripts
PROC=/proc/sched PARAM=/sys/module/sched/parameters/interval_ms
MARK="sched_test: begin $$"
# The guest's copy; the host and debian/tests set theirs before sourcing this.
REPORTS=${REPORTS:-/tests/kernel-reports}

# reports: the lines of stdin in which the kernel reports a problem. A missing or empty
# $REPORTS gives the empty expression, which matches every line: it never passes unread.
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
load() { unload; insmod "$KO" "$@"; }

# field NAME: the value of a "NAME: value" line of /proc/sched.
field() { sed -n "s/^$1: //p" "$PROC"; }

# ticks_over SECONDS: the tick count now, in a, and SECONDS later, in b.
ticks_over() { a=$(field ticks); sleep "$1"; b=$(field ticks); }

dmesg_since_start() { dmesg | sed -n "/$MARK/,\$p"; }

# none DESCRIPTION TEXT: show TEXT's lines; fail the case if there are any.
none() {
	printf '%s\n' "$2" | sed '/^$/d; s/^/#   /'
	expect "$1" [ -z "$2" ]
}

# start_loop COMMAND [NICE]: run COMMAND over and over, quietly, until stop_loops.
loops=
start_loop() {
	sh -c "while :; do $1; done" >/dev/null 2>&1 &
	loops="$loops $!"
	[ -z "${2:-}" ] || renice -n "$2" -p $! >/dev/null
}
# shellcheck disable=SC2086 # a list of pids
stop_loops() { kill $loops; wait; loops=; }

skip_all() {
	ktap_plan "0 # SKIP $1"
	ktap_end
	exit 4	# kselftest's skip code
}

# ktap [NAME...]: run test_NAME for each NAME (default: each test_NAME() of $0, in order) as
# KTAP; the status says whether all passed. A case that returns 4 (kselftest's skip code)
# before it fails, or is in SCHED_TEST_SKIP, is SKIP. A suite's KO is unloaded after each.
ktap() {
	# shellcheck disable=SC2046 # one case name a word
	[ $# != 0 ] || set -- $(sed -n 's/^test_\([A-Za-z0-9_]*\)() {.*$/\1/p' "$0")
	ktap_plan $#
	for c in "$@"; do
		echo "# RUN $((ktap_n + 1)) $c"
		# errexit ends the case at any failure, but a condition would ignore it.
		set +e
		case " $TEST_SKIP " in
		*" $c "*) rc=4 ;;
		*) (set -e; "test_$c"); rc=$? ;;
		esac
		set -e
		case $rc in
		4) ktap_skip "$c" ;;
		*) ktap_case "$rc" "$c" ;;
		esac
		[ -z "${KO:-}" ] || unload 2>/dev/null || :
		if [ "$ktap_fail" != 0 ] && [ "$TEST_FAILFAST" = 1 ]; then
			echo "Bail out! SCHED_TEST_FAILFAST: stopped at $c"
			break
		fi
	done
	ktap_end
}

# ktap_plan N: the one KTAP emitter begins, for the guest's suites and the host's steps.
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

# ktap_skip NAME [REASON]
ktap_skip() {
	ktap_n=$((ktap_n + 1))
	ktap_skipped=$((ktap_skipped + 1))
	echo "ok $ktap_n $1 # SKIP${2:+ $2}"
}

# ktap_end: kselftest's totals line, then the harness's; the status says whether all passed.
ktap_end() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skipped error:0"
	echo "$ktap_pass passed, $ktap_fail failed"
	[ "$ktap_fail" = 0 ]
}

# run_cases [NAME...]: ktap, where the module can be tested.
run_cases() {
	[ "$(id -u)" = 0 ] || skip_all "must be root"
	[ -e /proc/modules ] || skip_all "this kernel cannot load modules"
	[ -r "$KO" ] || skip_all "no module at $KO (build it with make)"
	! loaded || { echo "Bail out! sched is already loaded; rmmod it first" && exit 1; }
	echo "$MARK" >/dev/kmsg
	ktap "$@"
}
