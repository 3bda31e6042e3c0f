#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# report.sh RAW [DIR]: from bench/run.sh's raw data in RAW (out/bench/LANE)
# alone, write the results and the plot that RAW/meta names into bench/ or DIR.
# shellcheck disable=SC2154 # the names that RAW/meta assigns
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../scripts/lib/harness.sh"

[ $# -ge 1 ] || usage "RAW [DIR]"
raw=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=/dev/null # bench/run.sh's shell assignments
. "$raw/meta"
plot=${2:-$SRC/bench}/$plot
results=${2:-$SRC/bench}/$results

# From the console's "bench drift" and "bench long" lines, into $tmp: the
# drift table (drift), the long-interval one (long), and each module's drift
# at 10 ms for the plot (MODULE: seconds, seconds behind). The wheel
# granularity follows calc_wheel_index() of kernel/time/timer.c: level n
# starts at 63 << 3(n-1) jiffies and rounds up to a multiple of 8^n.
sed -n 's/^.*\(bench [a-z]* \)/\1/p' "$raw/main.log" | awk -v hz="$hz" -v out="$tmp/" '
BEGIN {
	drift = out "drift"; long = out "long"; met = " (met)"; unmet = " (**not met**)"
	printf "" >drift; printf "" >long
}
$2 == "drift" || $2 == "long" {
	for (i = 3; i <= NF; i++) {
		p = index($i, "=")
		v[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
	m = v["file"]
	sub(/^\/proc\//, "", m)
	k = $2 " " v["iv"] " " m
	if (!(k in t0)) {
		keys[++n] = k
		t0[k] = v["t_ns"]; s0[k] = v["synced"] + 0
		r0[k] = $2 == "long" ? 0 : v["ticks"]; m0[k] = $2 == "long" ? 0 : v["missed"]
	}
	dt[k] = (v["t_ns"] - t0[k]) / 1e9
	runs[k] = v["ticks"] - r0[k]; missed[k] = v["missed"] - m0[k]
	synced[k] = s0[k] && v["synced"] + 0
	late[k] = v["max_late_us"] / 1000
	if ($2 == "drift" && v["iv"] == 10)
		printf "%.3f %.4f\n", dt[k], dt[k] - (runs[k] + missed[k]) / 100 >(out m)
	if ($2 == "drift" && m == "sched" && late[k] > short)
		short = late[k]
}
END {
	row = "| %s ms | %s | %.1f | %d (%.2f) | %d | %d | %+d%s%s | %.1f |\n"
	for (i = 1; i <= n; i++) {
		split(keys[i], f, " ")
		k = keys[i]; iv = f[2]; m = f[3]
		if (f[1] == "drift") {
			exact = dt[k] * 1000 / iv
			err = runs[k] + missed[k] - int(exact + 0.5)
			ok = m != "sched" ? "" : err * err <= 1 ? met : unmet
			printf row, iv, m, dt[k], exact + 0.5, exact, runs[k], missed[k], err, ok,
				synced[k] ? "" : " (sample not synced)", late[k] >drift
			continue
		}
		for (lvl = 0; int((iv * hz + 999) / 1000) >= 63 * 8 ^ lvl; lvl++)
			;
		ok = m ~ /naive/ ? "" : late[k] <= short + 1000 / hz ? met : unmet
		sub(/_[0-9]+s$/, "", m)
		printf "| %d s | %s | %d | %d | %.1f%s | %.0f |\n",
			iv / 1000, m, runs[k], missed[k], late[k], ok, 8 ^ lvl * 1000 / hz >long
	}
}'

# verdict TABLE: "met" unless a row of the file TABLE says "not met".
verdict() {
	case $(cat "$1") in
	*"not met"*) echo '**not met**' ;;
	*) echo met ;;
	esac
}

gnuplot -e "set terminal pngcairo size 800,480 font ',10'; set output '$plot'" \
	-e "set title 'Cumulative drift at interval\\_ms=10 ($rel, QEMU $accel)'" \
	-e "set xlabel 'time since the first sample (s)'; set ylabel 'behind schedule (s)'" \
	-e "set key top left; set grid; set style data linespoints" \
	-e "plot '$tmp/sched_naive' pt 7 ps 0.4 \
		title 'sched\\_naive: delay = interval after each run', \
		'$tmp/sched' pt 7 ps 0.4 title 'sched: fixed grid'"

cat >"$results" <<EOF
<!-- SPDX-License-Identifier: GPL-2.0 -->
# sched benchmark results

The drift and lateness of \`sched\` against the design it replaces
([naive.patch](naive.patch): sched.c re-queuing with \`delay = interval\`
after each run, as the original guide did), side by side in one VM boot. Written by
\`$command\` ([run.sh](run.sh), [guest.sh](guest.sh),
[report.sh](report.sh)); do not edit by hand. What the benchmark no longer
measures, and why: [docs/testing.md](../docs/testing.md).

- kernel: $rel (HZ=$hz, so one jiffy is $jiffy_ms ms), booted in QEMU
  with **$accel** ($qemu), 2 vCPUs, 1 GiB; clock source:
  $(sed -n 's/^.*bench info clocksource=//p' "$raw/main.log")
- date: $date; whole run (build, boot) $seconds s
- host: $host
- host load (\`uptime\`) before: \`$load_before\`
- host load after: \`$load_after\`

## Goals

| goal | result | why |
|---|---|---|
| drift: runs + missed = periods elapsed +- 1, at every interval | $(verdict "$tmp/drift") | sched counts each period of its grid once, as a run or as missed, however late the run; sched_naive loses the timer's rounding and the wake-up latency in every period |
| lateness at 10 s and 60 s no more than at 1 s and below (the largest "max late" of sched's drift rows), plus a jiffy | $(verdict "$tmp/long") | sched.c steps a long wait by 7/8, so that its last leg is in the timer wheel's level 0, which does not round; sched_naive arms each wait whole, which the wheel rounds up by as much as its granularity |

## What TCG distorts

No usable KVM here: QEMU emulates the CPU (TCG). The guest's clocks follow
the host's real time, so counts and drift are measured right, but a
kworker's wake-up latency is milliseconds, not microseconds, and the vCPUs
compete with whatever else the host runs (the load above): at 1 jiffy many
periods are missed, and sched_naive's drift, which adds up every run's
latency, is larger than on hardware. The wheel's rounding of sched_naive's
long waits is the same on hardware.

## Drift

Both modules load together at each interval and are sampled once a second
for $drift_s s ([sample.c](sample.c)): the counts are the differences of the
first and the last sample, each taken just after a run, the periods the
guest's CLOCK_MONOTONIC between those runs over the interval (the exact
quotient in brackets). "max late" is sched's against its grid (load time +
k x interval), and sched_naive's largest overshoot of one wait (the
previous run + interval): each is close, yet they add up into its drift.

| interval | module | seconds | periods elapsed | runs | missed | runs + missed - periods | max late (ms) |
|---|---|---|---|---|---|---|---|
$(cat "$tmp/drift")

![cumulative drift at 10 ms]($(basename "$plot"))

## Lateness at long intervals

Both modules at 10 s and 60 s, loaded for the whole boot and sampled at
its end; the columns as above. "wheel granularity" is what the timer wheel
may add to one wait of that length at HZ=$hz.

| interval | module | runs | missed | max late (ms) | wheel granularity (ms) |
|---|---|---|---|---|---|
$(cat "$tmp/long")
EOF
echo "bench: wrote $results and $plot" >&2
