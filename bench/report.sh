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

# figures PROGRAM [AWK-ARGUMENTS]: bench/report/PROGRAM.awk over the
# "bench" lines of the console.
figures() {
	prog=$1
	shift
	sed -n 's/^.*\(bench [a-z_]* \)/\1/p' "$raw/main.log" |
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

awk -v dir="$val" -f "$lib/meta.awk" "$raw/meta"
hz=$(get hz)
put cs_main "$(figures info -v k=clocksource)"

figures drift >"$val/drift"
figures long -v hz="$hz" >"$val/long"
put drift_goal "$(verdict drift)"
put long_goal "$(verdict long)"

figures plot -v iv=10 -v mod=sched >"$val/sched.dat"
figures plot -v iv=10 -v mod=sched_naive >"$val/naive.dat"
plot=$dest/$(get plot)
results=$dest/$(get results)
gnuplot -e "out = '$plot'; sched = '$val/sched.dat'; naive = '$val/naive.dat'" \
	-e "rel = '$(get rel)'; accel = '$(get accel)'" "$lib/drift.gp"
awk -v dir="$val" -f "$lib/fill.awk" "$lib/RESULTS.md.in" >"$results"
echo "bench: wrote $results and $plot" >&2
