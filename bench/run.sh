#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [LANE]: measure sched against the design it replaces
# (bench/naive.c) in one VM boot of LANE's kernel (tests/lanes; default
# bookworm), running bench/guest.sh; keep the raw data in out/bench/LANE/
# (main.log, the console; meta, shell assignments) and have bench/report.sh
# write bench/RESULTS.md and drift.png from it (RESULTS-LANE.md and
# drift-LANE.png for another lane). Settings (scripts/lib/harness.sh):
# SCHED_BENCH_DRIFT_S; SCHED_VM_TIMEOUT (default here 1800).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../scripts/lib/harness.sh"

lane=${1:-bookworm}
out=$SRC/out/bench/$lane
mods=$out/mods
t_start=$(date +%s)
if [ "$lane" = bookworm ]; then
	results=RESULTS.md plot=drift.png command="make bench"
else
	results=RESULTS-$lane.md plot=drift-$lane.png command="make bench KERNEL=$lane"
fi

rm -rf "$out"
mkdir -p "$mods" "$out/vm/bench"
load_before=$(uptime)
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
rel=$(cat "$kernel/release")
hz=$(sed -n 's/^CONFIG_HZ=//p' "$kernel/build/.config")
# One jiffy in whole ms, rounded up (exact for HZ = 100, 250, 1000).
jiffy_ms=$(((1000 + hz - 1) / hz))

# sched.ko, sched_naive.ko (bench/Kbuild) and renamed copies of both for the
# long intervals, so that all load in one boot.
echo "bench: kernel $rel, HZ=$hz; building" >&2
cp "$SRC/sched.c" "$SRC/bench/naive.c" "$SRC/Kbuild" "$SRC/dkms.conf" "$mods/"
cat "$SRC/bench/Kbuild" >>"$mods/Kbuild"
for s in 10s 60s; do
	cp "$SRC/sched.c" "$mods/sched_$s.c"
	cp "$SRC/bench/naive.c" "$mods/sched_naive_$s.c"
	echo "obj-m += sched_$s.o sched_naive_$s.o" >>"$mods/Kbuild"
done
"$SRC/scripts/kernels/kmake.sh" "$kernel" M="$mods" modules >"$mods/build.log" 2>&1 ||
	{ cat "$mods/build.log" >&2; exit 1; }
cp "$mods"/*.ko "$SRC/bench/guest.sh" "$out/vm/bench/"
gcc -static -O2 -Wall -Wextra -Werror -o "$out/vm/bench/sample" "$SRC/bench/sample.c"

# Boot; scripts/vm/run.sh fails on any kernel warning or oops, and on a
# guest that fails. Show the guest's phases as they start.
echo "bench: the guest runs for about $((4 * BENCH_DRIFT_S + 30)) s" >&2
{
	rc=0
	SCHED_VM_TIMEOUT=${VM_TIMEOUT:-1800} SCHED_VM_APPEND=quiet SCHED_VM_LOG=$out/main.log \
		"$SRC/scripts/vm/run.sh" "$kernel/vmlinuz" "$out/vm" \
		"sh /bench/guest.sh $jiffy_ms $BENCH_DRIFT_S" 2>"$out/main.err" || rc=$?
	echo "$rc" >"$out/main.rc"
} | sed -u -n 's/^bench phase /bench: /p' >&2
if [ "$(cat "$out/main.rc")" != 0 ] || ! grep -q '^bench done' "$out/main.log"; then
	echo "bench: the boot failed; its console is in $out/main.log" >&2
	cat "$out/main.err" >&2
	tail -n 30 "$out/main.log" >&2
	exit 1
fi

cat >"$out/meta" <<EOF
rel='$rel' hz='$hz' jiffy_ms='$jiffy_ms' drift_s='$BENCH_DRIFT_S'
accel='$(sed -n 's/^vm-run: booting .* with \([a-z]*\)$/\1/p' "$out/main.err")'
qemu='$(qemu-system-x86_64 --version | head -n 1)'
host='$(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)'
load_before='$load_before' load_after='$(uptime)'
date='$(date -u '+%Y-%m-%d %H:%M UTC')' seconds='$(($(date +%s) - t_start))'
command='$command' results='$results' plot='$plot'
EOF
"$SRC/bench/report.sh" "$out"
