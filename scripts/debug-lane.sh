#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debug-lane.sh [kasan|kcsan]: run the module under a debug kernel built by
# scripts/debug-kernel.sh, where the kernel itself reports what a normal
# kernel lets pass: use-after-free (KASAN), data races (KCSAN), lock order
# (lockdep), live timers and works in freed memory (debugobjects), leaks
# (kmemleak). Any such report fails the lane (scripts/vm-run.sh).
#
#   kasan (default): tests/sched_test.sh, the KUnit suite of
#     tests/sched_kunit.c (tests/kunit_test.sh) and tests/debug_test.sh,
#     then two broken copies of sched.c, which the kernel must report: one
#     that never stops its work at exit, one that destroys the workqueue
#     first.
#   kcsan: readers, ticks and interval_ms writers racing (debug_test.sh).
#
# Prints KTAP and "N passed, N failed"; logs in out/debug-VARIANT/.
set -eu

variant=${1:-kasan}
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/out/debug-$variant
tree=$("$src/scripts/debug-kernel.sh" "$variant")
export SCHED_VM_CPUS=2 SCHED_VM_MEM=2048M SCHED_VM_TIMEOUT="${SCHED_VM_TIMEOUT:-3600}"
# A lockup or a hung task ends the VM at once rather than at the timeout.
export SCHED_VM_APPEND="softlockup_panic=1 hung_task_panic=1 hung_task_timeout_secs=60"
pass=0
fail=0

# vm NAME SOURCE COMMAND: build SOURCE against the debug tree and run
# COMMAND in a VM with it as /sched.ko, the KUnit build (if made) as
# /kunit/sched.ko and tests/ beside them; the console log is kept in
# out/debug-VARIANT/NAME.log.
vm() {
	"$src/scripts/build.sh" "$tree" "$out/$1" "$2" >/dev/null
	mkdir -p "$out/$1/vm/tests" "$out/$1/vm/kunit"
	cp "$out/$1/sched.ko" "$out/$1/vm/"
	[ ! -f "$out/kunit/sched.ko" ] || cp "$out/kunit/sched.ko" "$out/$1/vm/kunit/"
	cp "$src"/tests/*.sh "$out/$1/vm/tests/"
	gcc -static -O2 -o "$out/$1/vm/tests/failnth" "$src/tests/failnth.c"
	SCHED_VM_LOG=$out/$1.log "$src/scripts/vm-run.sh" "$tree/arch/x86/boot/bzImage" \
		"$out/$1/vm" "$3"
}

# Sum of the guest suites' "N passed, N failed" lines in a console log.
count() {
	sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$1" |
		awk '{ p += $1; f += $2 } END { printf "%d %d\n", p, f }'
}

suites() {
	case $variant in
	kasan) echo "/tests/sched_test.sh /sched.ko; a=\$?;" \
		"/tests/kunit_test.sh /kunit/sched.ko || a=1;" \
		"/tests/debug_test.sh /sched.ko && [ \$a = 0 ]" ;;
	kcsan) echo "RACE_SECONDS=60 /tests/debug_test.sh /sched.ko readers_writers_and_ticks_race_freely dmesg_shows_no_reports" ;;
	esac
}

# A teardown race needs the timer to fire inside a short window: try often.
# shellcheck disable=SC2016 # expanded in the guest
MUTANT_RUN='i=0; while [ $i -lt 20 ]; do insmod /sched.ko interval_ms=1;
	sleep 0.3; rmmod sched; i=$((i + 1)); done; sleep 2'

# mutant NAME SED: the kernel must report a copy of sched.c broken by SED.
mutant() {
	sed -e "$2" "$src/sched.c" >"$out/$1.c"
	if cmp -s "$src/sched.c" "$out/$1.c"; then
		echo "# $1: the sed expression no longer changes sched.c"
	elif SCHED_VM_TIMEOUT=600 vm "$1" "$out/$1.c" "$MUTANT_RUN" >/dev/null 2>&1; then
		echo "# $1: the kernel reported nothing"
	elif report=$(grep -m 1 -E 'KASAN|ODEBUG|BUG:|WARNING:' "$out/$1.log"); then
		echo "# $1: $report"
		echo "ok $n ${1}_is_reported"
		pass=$((pass + 1))
		return
	else
		echo "# $1: the VM failed, but with no kernel report"
	fi
	echo "not ok $n ${1}_is_reported"
	fail=$((fail + 1))
}

# The KUnit build of sched.ko: sched.c with tests/sched_kunit.c appended,
# which reaches its static functions; only this lane ever builds it. W=1
# warnings fail the lane as they do in scripts/matrix.sh.
kunit_build() {
	cat "$src/sched.c" "$src/tests/sched_kunit.c" >"$out/kunit.c"
	w=$("$src/scripts/build.sh" "$tree" "$out/kunit" "$out/kunit.c")
	[ "$w" = 0 ] || { grep 'warning:' "$out/kunit/build.log" >&2; return 1; }
}

mkdir -p "$out"
rm -rf "$out/kunit"
rc=0
if [ "$variant" = kasan ] && ! kunit_build; then
	echo "# the KUnit build of sched.ko failed or warned"
	rc=1
fi
vm suites "$src/sched.c" "$(suites)" || rc=1
counts=$(count "$out/suites.log")
pass=${counts% *}
fail=${counts#* }
# A kernel report or a crash fails the lane even when the suites passed.
[ "$rc" = 0 ] || [ "$fail" != 0 ] || fail=1

if [ "$variant" = kasan ]; then
	echo "TAP version 13"
	echo "1..2"
	n=1
	mutant no_stop_at_exit '/^static void __exit/,/^}/{/schedmod_stop();/d}'
	n=2
	mutant destroy_before_stop '/^static void __exit/,/^}/{/schedmod_stop();/{s/schedmod_stop();/destroy_workqueue(schedmod_wq);\n\tschedmod_stop();/;};/^\tdestroy_workqueue(schedmod_wq);$/d}'
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
