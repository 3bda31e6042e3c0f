#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lifecycle_test.sh [SUITE [MUTANT]]: the sched-dkms package's DEP-8 tests
# (debian/tests/control) run by autopkgtest in a QEMU testbed of Debian SUITE
# (bookworm or trixie; scripts/pkg/testbed.sh), then "N passed, N failed" over
# the declared tests. With MUTANT (a tests/mutants/ patch) applied to the
# source tree, dkms-from-a-clone alone, which must fail on it. Needs root.
# Logs in out/lifecycle/SUITE/.
set -eu

suite=${1:-bookworm}
mutant=${2:-}
# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/lifecycle/$suite

[ "$(id -u)" = 0 ] || skip_all "must be root"
t0=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
deb=$("$SRC/scripts/pkg/deb.sh" "$suite" 2>"$out/deb.log") || {
	tail -n 20 "$out/deb.log"
	bail_out "sched-dkms does not build for $suite ($out/deb.log)"
}
image=$("$SRC/scripts/pkg/testbed.sh" "$suite" 2>"$out/image.log") ||
	{ tail -n 20 "$out/image.log"; bail_out "no $suite testbed image ($out/image.log)"; }
# The source tree as a package's would be: without .git and build products.
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

# Timeouts: a boot under emulation and load takes 2 to 3 minutes. apt-get update: the
# image's lists are empty. One CPU: with two, a first boot under load stalled in the
# initramfs, its second CPU never answering RCU. No --timeout-poweroff: it fails the run
# (exit 20) when poweroff writes to stderr going down, as in a CI run that had passed.
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
# Appended to: with ">" it lost its first lines (autopkgtest opens it anew).
: >"$out/autopkgtest.log"
rc=0
autopkgtest_run "$@" || rc=$?
summary=$out/autopkgtest/summary
# 16, the testbed failed (autopkgtest(1)); before any test ran, once more (docs/packaging.md).
if [ "$rc" = 16 ] && ! grep -qE ' (PASS|FAIL|SKIP)' "$summary" 2>/dev/null; then
	echo "# the testbed failed before any test ran ($(tail -n 1 "$out/autopkgtest.log")): once more"
	rm -rf "$out/autopkgtest"
	rc=0
	autopkgtest_run "$@" || rc=$?
fi
echo "# autopkgtest: exit status $rc after $(($(date +%s) - t1)) s"

# Every declared test must run and pass: one skipped or missing fails.
[ "$rc" = 0 ] || echo "# FAIL: autopkgtest's exit status $rc"
[ -s "$summary" ] || { mkdir -p "$out/autopkgtest" && : >"$summary"; }
echo "# autopkgtest summary:"
sed 's/^/# | /' "$summary"
passed=$(awk '$2 == "PASS"' "$summary" | wc -l)
failed=$((declared - passed))
if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
	grep -E '^# FAIL|^E: |FAIL|[Ee]rror|ERROR|failed \(exit' "$out/autopkgtest.log" |
		head -n 20 | sed 's/^/#   /'
	tail -n 30 "$out/autopkgtest.log" | sed 's/^/# log: /'
	[ "$failed" != 0 ] || failed=1
fi
echo "# lifecycle $suite: $(($(date +%s) - t0)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
