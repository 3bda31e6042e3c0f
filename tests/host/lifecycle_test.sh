#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lifecycle_test.sh [SUITE]: the sched-dkms package's own tests
# (debian/tests/control), run by Debian's autopkgtest in a QEMU testbed of
# Debian SUITE (bookworm or trixie): DKMS from a clone; install (DKMS
# builds and signs sched.ko), a boot that loads it with the example's
# options, a newer kernel that gets it built unasked and boots with it,
# purge. Prints autopkgtest's summary, then "N passed, N failed" over the
# declared tests.
#
# lifecycle_test.sh SUITE MUTANT: dkms-from-a-clone alone, on a source tree
# whose sched.c has MUTANT (a patch of tests/mutants/) applied: shows that
# the test fails on what that mutant breaks, as a kernel report (the .deb,
# which the other test installs, stays intact).
#
# The .deb comes from scripts/pkg/deb.sh SUITE, the testbed image from
# scripts/pkg/testbed.sh SUITE (cached); autopkgtest and QEMU run in the
# trixie chroot of scripts/kernels/chroot.sh, which has them. The
# testbed's apt reaches the archive through QEMU's user-mode network.
# Needs root. Works in out/lifecycle/SUITE/: the full log is
# autopkgtest.log, each test's output in autopkgtest/.
set -eu

suite=${1:-bookworm}
mutant=${2:-}
# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/lifecycle/$suite

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP must be root"
	echo "0 passed, 0 failed"
	exit 4
fi
t0=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
deb=$("$SRC/scripts/pkg/deb.sh" "$suite" 2>"$out/deb.log") || {
	tail -n 20 "$out/deb.log"
	bail_out "sched-dkms does not build for $suite ($out/deb.log)"
}
image=$("$SRC/scripts/pkg/testbed.sh" "$suite" 2>"$out/image.log") || {
	tail -n 20 "$out/image.log"
	bail_out "no $suite testbed image ($out/image.log)"
}
# The source tree as a package's would be: what git has, without .git and
# the build products, which autopkgtest would otherwise copy in.
mkdir "$out/src"
tar -C "$SRC" --exclude=./.git --exclude=./out -cf - . | tar -C "$out/src" -xf -
declared=$(sed -n 's/^Tests:[[:space:]]*//p' "$SRC/debian/tests/control" |
	tr -s ', ' '\n' | grep -c .)
set --
if [ -n "$mutant" ]; then
	patched "$mutant" "$out/src/sched.c" || exit 1
	echo "# mutant ${mutant##*/} in the source tree"
	set -- --test-name=dkms-from-a-clone
	declared=1
fi
echo "# $suite testbed $(basename "$(dirname "$image")"), $(basename "$deb")," \
	"ready after $(($(date +%s) - t0)) s"

# Timeouts for emulation, where a boot takes minutes and an install of the
# headers and a compiler tens of them: autopkgtest's defaults (100 s for
# short commands, 60 s for a reboot) would fail a slow machine, not a
# broken package; a boot takes 2 to 3 minutes here even under load. The
# overall limit is the caller's. --show-boot: every boot's console goes
# into the log, the only trace of a testbed that never came up.
# The image's apt lists are empty: its apt must update before autopkgtest
# installs anything. Not --apt-upgrade: the image follows what the tests
# exercise (the archive's kernel, headers, systemd and dkms make a new
# one), and its dist-upgrade of the rest took a minute under emulation even
# with nothing to do. One CPU, autopkgtest's default: the testbeds' work
# is single-threaded (dpkg, one compiler), so two testbeds share two host
# CPUs without contention. With two each, a first boot under load stalled
# in the initramfs, its second CPU idle and never answering RCU.
# No --timeout-poweroff: with it, autopkgtest ends by running poweroff in
# the testbed with a 1 s limit and fails the whole run (exit 20, "error
# cleaning up") if that command exits non-zero or writes to stderr, which
# it may as the guest goes down; that failed a CI run whose tests had all
# passed. Without it, QEMU is terminated: the testbed's overlay is thrown
# away either way.
autopkgtest_run() {
	"$SRC/scripts/kernels/chroot.sh" trixie -- env SCHED_ACCEL="${ACCEL:-tcg}" \
		autopkgtest --setup-commands='apt-get update' --timeout-short=900 --timeout-copy=1800 \
		--timeout-install=5400 --timeout-test=5400 --output-dir="$out/autopkgtest" "$@" \
		"$deb" "$out/src/" -- \
		qemu --boot=efi --ram-size=2048 --cpus=1 --timeout-reboot=900 --show-boot \
		--qemu-architecture=x86_64 \
		--qemu-command="$SRC/scripts/vm/qemu-accel.sh" "$image" \
		>>"$out/autopkgtest.log" 2>&1
}
t1=$(date +%s)
# Appended to: written with ">" it lost its first lines (a process of
# autopkgtest's opens it anew).
: >"$out/autopkgtest.log"
rc=0
autopkgtest_run "$@" || rc=$?
# 16, the testbed failed before any test ran: under load a first boot has
# been seen never to reach a login prompt, where the same image then
# booted in 2 minutes. That is the emulator, not the package: one more
# try, said here and kept in the log. A test that ran is never retried.
if [ "$rc" = 16 ] && ! grep -qE ' (PASS|FAIL|SKIP)' "$out/autopkgtest/summary" 2>/dev/null; then
	echo "# the testbed failed before any test ran ($(tail -n 1 "$out/autopkgtest.log")): once more"
	rm -rf "$out/autopkgtest"
	rc=0
	autopkgtest_run "$@" || rc=$?
fi
echo "# autopkgtest: exit status $rc after $(($(date +%s) - t1)) s"

# autopkgtest's exit status (autopkgtest(1)): 0 all passed, 2 some
# skipped, 4 some failed, 8 no tests or only superficial ones, 12 the
# package could not be installed, 16 the testbed failed, 20 other error,
# 130 interrupted; 2, 4 and 8 may be or-ed together. Every declared test
# must run here and pass: a skipped one, or one missing from the summary,
# counts as failed.
case $rc in
0) ;;
2 | 6) echo "# some test was skipped: its assertions were not checked" ;;
4) echo "# some test failed" ;;
8 | 10 | 12 | 14) echo "# no test ran, or only superficial ones ($rc)" ;;
16) echo "# FAIL: the testbed failed (boot, reboot or connection)" ;;
*) echo "# FAIL: autopkgtest failed ($rc)" ;;
esac
summary=$out/autopkgtest/summary
mkdir -p "$out/autopkgtest"
[ -s "$summary" ] || : >"$summary"
echo "# autopkgtest summary:"
sed 's/^/# | /' "$summary"
passed=$(awk '$2 == "PASS"' "$summary" | wc -l)
failed=$((declared - passed))
if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
	# The tests' own reasons, then the end of autopkgtest's log.
	grep -E '^# FAIL|^E: |FAIL|[Ee]rror|ERROR|failed \(exit' "$out/autopkgtest.log" |
		head -n 20 | sed 's/^/#   /'
	tail -n 30 "$out/autopkgtest.log" | sed 's/^/# log: /'
	[ "$failed" != 0 ] || failed=1
fi
echo "# lifecycle $suite: $(($(date +%s) - t0)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
