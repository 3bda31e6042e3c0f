#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [LANE]: sched against bench/naive.patch's design in one VM boot of LANE's kernel
# (default bookworm) running bench/guest.sh; the raw data in out/bench/LANE/
# (main.log, the console; meta), from which bench/report.sh writes the results.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../scripts/lib/harness.sh"

lane=${1:-bookworm}
out=$SRC/out/bench/$lane
mods=$out/mods
t_start=$(date +%s)
sfx=-$lane command="make bench KERNEL=$lane"
[ "$lane" != bookworm ] || sfx='' command="make bench"

rm -rf "$out"
mkdir -p "$mods" "$out/vm/bench"
load_before=$(uptime)
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
rel=$(cat "$kernel/release")
hz=$(sed -n 's/^CONFIG_HZ=//p' "$kernel/build/.config")
# One jiffy in whole ms, rounded up (exact for HZ = 100, 250, 1000).
jiffy_ms=$(((1000 + hz - 1) / hz))

# Both designs, and renamed copies for the long intervals, so that all load
# in one boot (each names its /proc file after itself).
echo "bench: kernel $rel, HZ=$hz; building" >&2
cp "$SRC/sched.c" "$SRC/Kbuild" "$SRC/dkms.conf" "$mods/"
patched "$SRC/bench/naive.patch" "$mods/sched_naive.c"
echo "obj-m += sched_naive.o" >>"$mods/Kbuild"
for s in 10s 60s; do
	cp "$SRC/sched.c" "$mods/sched_$s.c"
	cp "$mods/sched_naive.c" "$mods/sched_naive_$s.c"
	echo "obj-m += sched_$s.o sched_naive_$s.o" >>"$mods/Kbuild"
done
"$SRC/scripts/kernels/kmake.sh" "$kernel" M="$mods" modules >"$mods/build.log" 2>&1 ||
	{ cat "$mods/build.log" >&2; exit 1; }
cp "$mods"/*.ko "$SRC/bench/guest.sh" "$out/vm/bench/"
gcc -static -O2 -Wall -Wextra -Werror -o "$out/vm/bench/sample" "$SRC/bench/sample.c"

# scripts/vm/run.sh fails on a kernel report or a failed guest; show its phases.
echo "bench: the guest runs for about $((4 * BENCH_DRIFT_S + 30)) s" >&2
{
	SCHED_VM_TIMEOUT=${VM_TIMEOUT:-1800} SCHED_VM_APPEND=quiet SCHED_VM_LOG=$out/main.log \
		"$SRC/scripts/vm/run.sh" "$kernel/vmlinuz" "$out/vm" \
		"sh /bench/guest.sh $jiffy_ms $BENCH_DRIFT_S" 2>"$out/main.err" ||
		echo $? >"$out/main.rc"
} | sed -u -n 's/^bench phase /bench: /p' >&2
if [ -e "$out/main.rc" ]; then
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
command='$command' results='RESULTS$sfx.md' plot='drift$sfx.png'
EOF
"$SRC/bench/report.sh" "$out"
