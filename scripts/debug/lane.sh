#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lane.sh [kasan|kcsan]: the tests under a debug kernel of scripts/debug/kernel.sh
# (docs/testing.md says which); a kernel report, a crash or a build warning
# fails the lane. Prints KTAP and "N passed, N failed"; logs in out/debug-VARIANT/.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

variant=${1:-kasan}
out=$SRC/out/debug-$variant
tree=$("$SRC/scripts/debug/kernel.sh" "$variant")
export SCHED_VM_CPUS=2 SCHED_VM_MEM=2048M SCHED_VM_TIMEOUT="${VM_TIMEOUT:-3600}"
# A lockup or a hung task ends the VM at once rather than at the timeout.
export SCHED_VM_APPEND="softlockup_panic=1 hung_task_panic=1 hung_task_timeout_secs=60"

# Up to 200 tries (docs/testing.md): 20 once missed the race on Debian 12's QEMU.
# shellcheck disable=SC2016 # expanded in the guest
MUTANT_RUN='. /tests/lib.sh; i=0; while [ $i -lt 200 ] && [ -z "$(dmesg | reports)" ]; do
	insmod /sched.ko interval_ms=1; sleep 0.3; rmmod sched; i=$((i + 1)); done; sleep 2'

# reported PATCH: whether the kernel reports a copy of sched.c broken by PATCH.
reported() {
	n=$(basename "$1" .patch)
	if ! patched "$1" "$out/$n.c" 2>"$out/$n.err"; then
		sed 's/^/# /' "$out/$n.err"
	elif SCHED_VM_TIMEOUT=600 "$SRC/scripts/vm/test.sh" "$tree" "$out/$n" "$MUTANT_RUN" \
		"$out/$n.c" >/dev/null 2>&1; then
		echo "# $n: the kernel reported nothing"
	elif report=$(reports <"$out/$n/console.log" | grep -m 1 .); then
		echo "# $n: $report"
		return 0
	else
		echo "# $n: the VM failed, but with no kernel report"
	fi
	return 1
}

# The guest's /kunit/sched.ko (docs/testing.md); W=1 warnings fail, as on every lane.
kunit_build() {
	cat "$SRC/sched.c" "$SRC/tests/kunit/sched_kunit.c" >"$out/kunit.c"
	w=$("$SRC/scripts/kernels/build.sh" "$tree" "$out/kunit" "$out/kunit.c")
	[ "$w" = 0 ] || { grep 'warning:' "$out/kunit/build.log" >&2; return 1; }
	mkdir "$out/overlay/kunit"
	cp "$out/kunit/sched.ko" "$out/overlay/kunit/"
}

rm -rf "$out/kunit" "$out/overlay"
mkdir -p "$out/overlay"
rc=0
if [ "$variant" = kasan ]; then
	# The timing cases are left to Debian's kernels (docs/testing.md).
	suites="SCHED_TEST_SKIP='rate_matches_interval suspend_counts_neither_ticks_nor_missed'"
	suites="$suites /tests/sched_test.sh /sched.ko; a=\$?;"
	suites="$suites /tests/kunit_test.sh /kunit/sched.ko || a=1;"
	suites="$suites /tests/debug_test.sh /sched.ko && [ \$a = 0 ]"
	kunit_build || { echo "# the KUnit build of sched.ko failed or warned" && rc=1; }
else
	suites="SCHED_DEBUG_RACE_SECONDS=60 /tests/debug_test.sh /sched.ko"
	suites="$suites readers_writers_and_ticks_race_freely dmesg_shows_no_reports"
fi
SCHED_VM_OVERLAY=$out/overlay "$SRC/scripts/vm/test.sh" "$tree" "$out/suites" "$suites" ||
	rc=1
v=$(verdict "$out/suites" "$rc")
pass=${v% *} fail=${v#* }

if [ "$variant" = kasan ]; then
	patches=$(mutants "kernel report")
	ktap_plan "$(echo "$patches" | grep -c .)"
	for p in $patches; do
		ok=0
		reported "$p" || ok=$?
		ktap_case "$ok" "$(basename "$p" .patch)_is_reported"
	done
	pass=$((pass + ktap_pass)) fail=$((fail + ktap_fail))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
