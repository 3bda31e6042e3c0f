#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [LANE]: measure how well sched keeps time against the design
# it replaces (bench/naive.c), in VM boots of a Debian kernel (LANE, see
# tests/lanes; default bookworm, Debian 12's), keep the raw data in
# out/bench/LANE/, and have bench/report.sh turn it into bench/RESULTS.md and
# bench/drift.png (for another lane RESULTS-LANE.md and drift-LANE.png).
# What runs in the VM is bench/guest.sh. To rewrite the report from the last
# run's raw data alone: bench/report.sh out/bench/LANE.
#
# The raw data, all that bench/report.sh reads:
#   main.log  the console, with guest.sh's "bench ..." lines
#   meta      shell assignments: kernel, host, load, run length, the
#             report's file names
# (and, for a look, the modules in mods/ and the boot's stderr in main.err).
#
# Settings (scripts/lib/harness.sh): SCHED_BENCH_DRIFT_S, seconds per drift
# run; SCHED_VM_TIMEOUT (default here 1800).
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../scripts/lib/harness.sh"

# The lane whose results are bench/RESULTS.md (make bench's default).
default_lane=bookworm
lane=${1:-$default_lane}
out=$SRC/out/bench/$lane
drift_s=$BENCH_DRIFT_S
t_start=$(date +%s)

if [ "$lane" = "$default_lane" ]; then
	results=RESULTS.md
	plot=drift.png
	command="make bench"
else
	results=RESULTS-$lane.md
	plot=drift-$lane.png
	command="make bench KERNEL=$lane"
fi

PHASES="long_start drift long_report"

say() {
	echo "bench: $*" >&2
}

# build_modules KERNEL DIR: sched.ko, the reference modules and sched's
# long-interval copies (own names, so that all load in one boot: as is at
# 252 ms, 10 s and 60 s, without the 7/8 steps at 10 s and 60 s; 252 ms
# checks the limit for a short wait, not the steps), with W=1; prints the
# number of warnings.
build_modules() {
	rm -rf "$2"
	mkdir -p "$2"
	cp "$SRC/sched.c" "$SRC/bench/naive.c" "$SRC/Kbuild" "$2/"
	# Whatever else the top-level Kbuild reads (the version, for one).
	[ ! -e "$SRC/dkms.conf" ] || cp "$SRC/dkms.conf" "$2/"
	cat "$SRC/bench/Kbuild" >>"$2/Kbuild"
	cp "$SRC/sched.c" "$2/sched_step252ms.c"
	echo "obj-m += sched_step252ms.o" >>"$2/Kbuild"
	# Both designs with the slow housekeeping of tests/variants.
	patched "$SRC/tests/variants/slow_housekeeping.patch" "$2/sched_slow.c" || return 1
	sed -e 's|^#include <linux/atomic.h>$|&\n#include <linux/delay.h>|' \
		-e 's|^\tatomic64_inc(&ticks);$|&\n\tmsleep(60);|' "$SRC/bench/naive.c" >"$2/naive_slow.c"
	printf 'obj-m += sched_slow.o sched_naive_slow.o\nsched_naive_slow-y := naive_slow.o\n' >>"$2/Kbuild"
	for s in 10s 60s; do
		cp "$SRC/sched.c" "$2/sched_step$s.c"
		# "Before": no 7/8 steps, so the timer wheel's rounding shows.
		patched "$SRC/bench/nostep.patch" "$2/sched_nostep$s.c" || return 1
		echo "obj-m += sched_step$s.o sched_nostep$s.o" >>"$2/Kbuild"
	done
	"$SRC/scripts/kernels/kmake.sh" "$1" M="$2" W=1 modules >"$2/build.log" 2>&1 ||
		{ cat "$2/build.log" >&2; return 1; }
	grep -c 'warning:' "$2/build.log" || :
}

# run_vm: boot, run guest.sh's PHASES, keep the console in $out/main.log;
# show the phases as they start. scripts/vm/run.sh fails on any kernel
# warning or oops, and on a guest that fails.
run_vm() {
	{
		rc=0
		SCHED_VM_TIMEOUT=${VM_TIMEOUT:-1800} SCHED_VM_APPEND=quiet \
			SCHED_VM_LOG=$out/main.log \
			"$SRC/scripts/vm/run.sh" "$kernel/vmlinuz" "$out/vm" \
			"sh /bench/guest.sh $jiffy_ms $drift_s $PHASES" \
			2>"$out/main.err" || rc=$?
		echo "$rc" >"$out/main.rc"
	} | sed -u -n 's/^bench phase /bench: /p' >&2
	if [ "$(cat "$out/main.rc")" != 0 ] || ! grep -q '^bench done' "$out/main.log"; then
		say "the boot failed; its console is in $out/main.log"
		cat "$out/main.err" >&2
		tail -n 30 "$out/main.log" >&2
		return 1
	fi
}

# measure: build, boot, and keep the raw data in $out.
measure() {
	rm -rf "$out"
	mkdir -p "$out"
	load_before=$(uptime)
	kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane")
	rel=$(cat "$kernel/release")
	hz=$(sed -n 's/^CONFIG_HZ=//p' "$kernel/build/.config")
	# One jiffy in whole ms, rounded up (exact for HZ = 100, 250, 1000).
	jiffy_ms=$(((1000 + hz - 1) / hz))
	say "kernel $rel, HZ=$hz; building"
	mkdir -p "$out/vm/bench"
	warnings=$(build_modules "$kernel" "$out/mods")
	cp "$out"/mods/*.ko "$SRC/bench/guest.sh" "$out/vm/bench/"
	gcc -static -O2 -Wall -Wextra -Werror -o "$out/vm/bench/sample" "$SRC/bench/sample.c"
	say "the guest runs for about $((5 * drift_s + 30)) s"
	run_vm
	{
		printf "rel='%s'\nhz='%s'\njiffy_ms='%s'\nwarnings='%s'\n" \
			"$rel" "$hz" "$jiffy_ms" "$warnings"
		printf "accel='%s'\nqemu='%s'\n" \
			"$(sed -n 's/^vm-run: booting .* with \([a-z]*\)$/\1/p' "$out/main.err")" \
			"$(qemu-system-x86_64 --version | head -n 1)"
		printf "load_before='%s'\nload_after='%s'\n" "$load_before" "$(uptime)"
		printf "date='%s'\nseconds='%s'\n" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
			"$(($(date +%s) - t_start))"
		printf "drift_s='%s'\n" "$drift_s"
		printf "command='%s'\nresults='%s'\nplot='%s'\n" "$command" "$results" "$plot"
		printf "host='%s CPUs, %s'\n" "$(nproc)" \
			"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
	} >"$out/meta"
}

measure
"$SRC/bench/report.sh" "$out"
