#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test.sh [-i] KERNEL DIR COMMAND [SOURCE]: the one way the harness tests a
# module in a VM. Builds sched.ko with W=1 from SOURCE (default sched.c) for
# KERNEL in DIR, and each variant of tests/variants with it; stages the
# module as /sched.ko, the variants as /variants/NAME.ko, tests/guest/ in
# /tests (its C programs built static, for amd64) and SCHED_VM_OVERLAY's
# files; boots KERNEL/vmlinuz and runs COMMAND (scripts/vm/run.sh).
# Leaves DIR/build.log, DIR/warnings (the warning count) and
# DIR/console.log. Exit status: COMMAND's, 1 when the VM failed, 3 when the
# module did not build.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

interactive=
[ "${1:-}" != -i ] || { interactive=-i && shift; }
[ $# -ge 3 ] || usage "[-i] KERNEL DIR COMMAND [SOURCE]"
kernel=$1
dir=$2
source=${4:-$SRC/sched.c}
warnings=$("$SRC/scripts/kernels/build.sh" "$kernel" "$dir" "$source") || exit 3
mkdir -p "$dir/vm/tests" "$dir/vm/variants" "$dir/variants"
cp "$dir/sched.ko" "$dir/vm/"
# The variants' warnings count with the module's.
for p in "$SRC"/tests/variants/*.patch; do
	v=$dir/variants/$(basename "$p" .patch)
	patched "$p" "$v.c" "$source" || exit 3
	w=$("$SRC/scripts/kernels/build.sh" "$kernel" "$v" "$v.c") || exit 3
	warnings=$((warnings + w))
	cp "$v/sched.ko" "$dir/vm/variants/$(basename "$v").ko"
done
echo "$warnings" >"$dir/warnings"
cp "$SRC"/tests/guest/*.sh "$dir/vm/tests/"
cp "$SRC/tests/kernel-reports" "$dir/vm/tests/"
# The programs serve tests/guest/debug_test.sh, run on the amd64 debug
# kernels only.
if [ "$(cat "$kernel/arch" 2>/dev/null || echo amd64)" = amd64 ]; then
	grep -l '^int main(' "$SRC"/tests/guest/*.c | while read -r c; do
		gcc -static -O2 -o "$dir/vm/tests/$(basename "$c" .c)" "$c"
	done
fi
[ -z "$VM_OVERLAY" ] || cp -R "$VM_OVERLAY/." "$dir/vm/"
# shellcheck disable=SC2086 # -i or nothing
SCHED_VM_LOG=$dir/console.log exec "$SRC/scripts/vm/run.sh" $interactive "$kernel/vmlinuz" \
	"$dir/vm" "$3"
