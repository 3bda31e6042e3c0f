#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh: the checks a kernel reviewer runs before reading a line, each
# reporting nothing: checkpatch.pl --strict, sparse (C=2), clang-format with
# the kernel's .clang-format, shellcheck; and that a kernel below sched.c's
# floor stops the build with its message. checkpatch.pl and .clang-format
# come from Debian's linux-source-6.12 (the headers do not ship them).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

cd "$SRC"
pkg=linux-source-6.12
ver=$(dpkg-query -W -f='${Version}' "$pkg")
tools=$CACHE/lint/$ver
if [ ! -e "$tools/.complete" ]; then
	echo "# extracting checkpatch.pl and .clang-format from $pkg $ver" >&2
	rm -rf "$tools"
	mkdir -p "$tools"
	tar -xJf "/usr/src/$pkg.tar.xz" -C "$tools" --strip-components=1 \
		"$pkg/.clang-format" "$pkg/scripts/checkpatch.pl" \
		"$pkg/scripts/spelling.txt" "$pkg/scripts/const_structs.checkpatch"
	touch "$tools/.complete"
fi

# The kernel of sparse and the floor: the host's own release, built natively.
lane=$(default_lane "")
csources=$(git ls-files '*.c')
# The package's DEP-8 tests are shell scripts without .sh.
shsources=$(git ls-files '*.sh' .ci/run; git grep -l '^#!/bin/sh' -- 'debian/tests/*' ':!*.sh')

checkpatch() {
	# Both ignored types fire only on sched.c's version guard, which an
	# out-of-tree module needs (checkpatch takes KERNEL_VERSION() for a
	# variable).
	# shellcheck disable=SC2086 # lists of file names
	perl "$tools/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON --file $csources
}

sparse() {
	dir=$SRC/out/sparse
	rm -rf "$dir"
	mkdir -p "$dir"
	cp Kbuild dkms.conf sched.c "$dir/"
	kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
	"$SRC/scripts/kernels/kmake.sh" -p sparse "$kernel" -s M="$dir" C=2 modules >"$dir/sparse.log" 2>&1 ||
		{ cat "$dir/sparse.log"; return 1; }
	! grep -E 'warning|error' "$dir/sparse.log"
}

# The headers with Linux 5.4.0's version: the build must fail, saying why.
floor() {
	kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
	dir=$SRC/out/floor
	rm -rf "$dir"
	mkdir -p "$dir/src"
	cp "$kernel"/arch "$kernel"/suite "$kernel"/tools "$dir/"
	cp -RL "$kernel/build/" "$dir/build"
	printf '%s\n' '#define LINUX_VERSION_CODE 328704' \
		'#define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + (c))' \
		>"$dir/build/include/generated/uapi/linux/version.h"
	cp Kbuild dkms.conf sched.c "$dir/src/"
	! "$SRC/scripts/kernels/kmake.sh" "$dir" -s M="$dir/src" modules >"$dir/build.log" 2>&1 ||
		{ echo "the build against 5.4 headers succeeded"; return 1; }
	grep 'error: #error "sched needs Linux 5.10 or later"' "$dir/build.log" ||
		{ cat "$dir/build.log"; return 1; }
}

clang_format() {
	# shellcheck disable=SC2086
	clang-format --style="file:$tools/.clang-format" --dry-run --Werror $csources
}

shellcheck_all() {
	# shellcheck disable=SC2086
	shellcheck -x $shsources
}

ktap_plan 5
for c in checkpatch sparse floor clang_format shellcheck_all; do
	rc=0
	out=$("$c" 2>&1) || rc=$?
	[ "$rc" = 0 ] || echo "$out" | sed 's/^/# /'
	ktap_case "$rc" "$c"
done
ktap_end
