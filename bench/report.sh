#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/report.sh RAW [DIR]: write the benchmark's report from the raw data
# that bench/run.sh keeps in RAW (out/bench/LANE): the results and the drift
# plot, named in RAW/meta (RESULTS.md and drift.png for the default lane),
# into bench/ or DIR. It reads nothing but RAW, so a run's report can be
# written again, or checked, from its raw data alone.
#
# The figures come from the awk programs in bench/report/ (one per table,
# each reading the "bench KIND key=value" lines of a boot's console), the
# prose from bench/report/RESULTS.md.in, whose @NAME@ placeholders are filled
# from the files this script writes into a scratch directory.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../scripts/lib/harness.sh"

here=$SRC/bench
lib=$here/report
[ $# -ge 1 ] || usage "RAW [DIR]"
raw=$1
dest=${2:-$here}
val=$(mktemp -d)
trap 'rm -rf "$val"' EXIT

# figures BOOT PROGRAM [AWK-ARGUMENTS]: bench/report/PROGRAM.awk over the
# "bench" lines of the console of BOOT (main or tsc).
figures() {
	boot=$1
	prog=$2
	shift 2
	sed -n 's/^.*\(bench [a-z_]* \)/\1/p' "$raw/$boot.log" |
		awk "$@" -f "$lib/lib.awk" -f "$lib/$prog.awk"
}

# put NAME VALUE: what fills @NAME@ in the template.
put() {
	printf '%s\n' "$2" >"$val/$1"
}

# get NAME: the value put for @NAME@.
get() {
	cat "$val/$1"
}

# verdict NAME: "met" unless some row of the table in @NAME@ says "not met".
verdict() {
	if grep -q 'not met' "$val/$1"; then
		echo '**not met**'
	else
		echo met
	fi
}

# handler MODULE FUNCTION: the row of FUNCTION (the work function of MODULE)
# in the handler table: its size from the disassembly, and beside it the
# traced median run time in each boot ("n/a": not traced); also puts
# @insns_MODULE@, and for sched @calls_sched@ and @clock_reads@.
handler() {
	awk -v fn="$2" -f "$lib/insns.awk" "$raw/handlers.dis" >"$val/facts"
	n=$(cut -f 1 "$val/facts")
	calls=$(cut -f 3 "$val/facts")
	put "insns_${1#sched_}" "$n"
	if [ "$1" = sched ]; then
		put calls_sched "$calls"
		put clock_reads "$(cut -f 2 "$val/facts")"
	fi
	main=$(figures main tick -v mod="$1")
	tsc=$(figures tsc tick -v mod="$1")
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$n" "$calls" \
		"${main:-n/a}" "${tsc:-n/a}"
}

awk -v dir="$val" -f "$lib/meta.awk" "$raw/meta"
hz=$(get hz)
put tick_window_s $(($(get tick_s) / 3))
put cs_main "$(figures main info -v k=clocksource)"
put cs_tsc "$(figures tsc info -v k=clocksource)"

figures main drift >"$val/drift"
figures main long -v hz="$hz" >"$val/long"
figures main unload >"$val/unload"
for boot in main tsc; do
	figures "$boot" read -v cs="$(get "cs_$boot")"
done >"$val/reads"
for boot in main tsc; do
	figures "$boot" tick -v cs="$(get "cs_$boot")"
done >"$val/ticks"
awk -f "$lib/size.awk" "$raw/size.txt" >"$val/sizes"
figures main slab >"$val/slab"
{
	handler sched schedmod_tick
	handler sched_naive naive_tick
	handler sched_empty empty_tick
} >"$val/handlers"
put med_sched "$(figures tsc tick -v mod=sched)"
put med_empty "$(figures tsc tick -v mod=sched_empty)"

put drift_goal "$(verdict drift)"
put long_goal "$(verdict long)"
put unload_goal "$(verdict unload)"
put read_goal "$(verdict reads)"
# A budget that catches a handler that grows, not a measure of time.
put insns_budget 100
if [ "$(get insns_sched)" -le "$(get insns_budget)" ] && [ "$(get clock_reads)" = 1 ]; then
	put tick_goal met
else
	put tick_goal '**not met**'
fi

figures main plot -v iv=10 -v mod=sched >"$val/sched.dat"
figures main plot -v iv=10 -v mod=sched_naive >"$val/naive.dat"
plot=$dest/$(get plot)
results=$dest/$(get results)
gnuplot -e "out = '$plot'; sched = '$val/sched.dat'; naive = '$val/naive.dat'" \
	-e "rel = '$(get rel)'; accel = '$(get accel)'" "$lib/drift.gp"
awk -v dir="$val" -f "$lib/fill.awk" "$lib/RESULTS.md.in" >"$results"
echo "bench: wrote $results and $plot" >&2
