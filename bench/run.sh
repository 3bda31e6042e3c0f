#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [LANE]: measure how well sched keeps time against the design
# it replaces (bench/naive.c), in one VM boot of a Debian kernel (LANE, see
# tests/lanes; default bookworm, Debian 12's), and publish the figures:
# bench/RESULTS.md and bench/drift.png (for another lane RESULTS-LANE.md and
# drift-LANE.png). What runs in the VM is bench/guest.sh; the console logs
# and the plot data stay in out/bench/LANE/.
#
# Two boots: the main one, untouched, has every figure; a second, short one
# with tsc=reliable repeats the two cost figures with the clock source real
# hardware uses (see "TCG" in the results for why).
#
# Environment: BENCH_DRIFT_S (seconds per drift run, default 60) and
# BENCH_TICK_S (seconds of handler tracing per handler, default 30), shorter
# only for trying the script out; SCHED_VM_TIMEOUT (default here 1800).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
lane=${1:-bookworm}
out=$src/out/bench/$lane
drift_s=${BENCH_DRIFT_S:-60}
tick_s=${BENCH_TICK_S:-30}
t_start=$(date +%s)

if [ "$lane" = bookworm ]; then
	results=$src/bench/RESULTS.md
	plot=$src/bench/drift.png
	command="make bench"
else
	results=$src/bench/RESULTS-$lane.md
	plot=$src/bench/drift-$lane.png
	command="make bench KERNEL=$lane"
fi

MAIN_PHASES="long_start drift unload readcost footprint tickcost long_report"
TSC_PHASES="readcost tickcost"

say() {
	echo "bench: $*" >&2
}

# The sed that turns sched.c into "before": no 7/8 stepping of long waits,
# so the timer wheel's rounding shows (as tests/mutation_test.sh's mutants).
NOSTEP='s|j - j / 8|j|'

# build_modules KERNEL DIR: sched.ko, the reference modules and sched's
# long-interval copies (own names, so that all load in one boot), with W=1;
# prints the number of warnings.
build_modules() {
	rm -rf "$2"
	mkdir -p "$2"
	cp "$src/sched.c" "$src/bench/naive.c" "$src/bench/empty.c" "$src/Kbuild" "$2/"
	# Whatever else the top-level Kbuild reads (the version, for one).
	[ ! -e "$src/dkms.conf" ] || cp "$src/dkms.conf" "$2/"
	cat "$src/bench/Kbuild" >>"$2/Kbuild"
	for s in 10s 60s; do
		cp "$src/sched.c" "$2/sched_step$s.c"
		sed "$NOSTEP" "$src/sched.c" >"$2/sched_nostep$s.c"
		if cmp -s "$src/sched.c" "$2/sched_nostep$s.c"; then
			say "the sed '$NOSTEP' no longer changes sched.c; update bench/run.sh"
			return 1
		fi
		echo "obj-m += sched_step$s.o sched_nostep$s.o" >>"$2/Kbuild"
	done
	"$src/scripts/kmake.sh" "$1" M="$2" W=1 modules >"$2/build.log" 2>&1 ||
		{ cat "$2/build.log" >&2; return 1; }
	grep -c 'warning:' "$2/build.log" || :
}

# build_tools DIR: the static guest tools.
build_tools() {
	for t in sample unload readcost; do
		gcc -static -O2 -Wall -Wextra -Werror -o "$1/$t" "$src/bench/$t.c"
	done
}

# run_vm NAME APPEND PHASES: boot, run guest.sh's PHASES, keep the console
# in $out/NAME.log; show the phases as they start. vm-run.sh fails on any
# kernel warning or oops, and on a guest that fails.
run_vm() {
	{
		rc=0
		SCHED_VM_TIMEOUT=${SCHED_VM_TIMEOUT:-1800} SCHED_VM_APPEND="quiet $2" \
			SCHED_VM_LOG=$out/$1.log \
			"$src/scripts/vm-run.sh" "$kernel/vmlinuz" "$out/vm" \
			"sh /bench/guest.sh $jiffy_ms $drift_s $tick_s $3" \
			2>"$out/$1.err" || rc=$?
		echo "$rc" >"$out/$1.rc"
	} | sed -u -n 's/^bench phase /bench: '"$1"': /p' >&2
	if [ "$(cat "$out/$1.rc")" != 0 ] || ! grep -q '^bench done' "$out/$1.log"; then
		say "the $1 boot failed; its console is in $out/$1.log"
		cat "$out/$1.err" >&2
		tail -n 30 "$out/$1.log" >&2
		return 1
	fi
}

# The figures, from the console's "bench KIND key=value ..." lines. Each awk
# program below reads them with kv() and prints markdown table rows.
# shellcheck disable=SC2016 # awk code, not shell expansions
AWK_LIB='
function kv(   i, p, val) {
	delete v
	for (i = 3; i <= NF; i++) {
		p = index($i, "=")
		if (!p)
			continue
		val = substr($i, p + 1)
		v[substr($i, 1, p - 1)] = val ~ /^-?[0-9]+(\.[0-9]+)?$/ ? val + 0 : val
	}
}
function sort_num(a, n,   i, j, x) {
	for (i = 2; i <= n; i++) {
		x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
}
function median(a, n) {
	sort_num(a, n)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function modname(f) {
	sub(/^\/proc\//, "", f)
	return f
}
'

# bench_awk LOG PROGRAM [ARGS]: PROGRAM over the "bench" lines of LOG.
bench_awk() {
	f=$1
	prog=$2
	shift 2
	sed -n 's/^.*\(bench [a-z_]* \)/\1/p' "$out/$f.log" | awk "$@" "$AWK_LIB$prog"
}

# info LOG KEY: a value of the guest's "bench info" line.
info() {
	bench_awk "$1" '$2 == "info" { kv(); print v[k] }' -v k="$2"
}

# Drift: first and last sample of each run (both taken just after a run of
# the module, see bench/sample.c); the difference of the counts against the
# periods of the guest's monotonic clock in between.
drift_rows() {
	bench_awk main '
	$2 == "drift" {
		kv()
		k = v["iv"] " " modname(v["file"])
		if (!(k in t0)) {
			keys[++nk] = k
			t0[k] = v["t_ns"]; r0[k] = v["ticks"]; m0[k] = v["missed"]
			s0[k] = v["synced"]
		}
		t1[k] = v["t_ns"]; r1[k] = v["ticks"]; m1[k] = v["missed"]
		s1[k] = v["synced"]
		late[k] = v["max_late_us"]; wait[k] = v["max_wait_late_us"]
	}
	END {
		for (i = 1; i <= nk; i++) {
			k = keys[i]
			split(k, p, " ")
			iv = p[1]
			exact = (t1[k] - t0[k]) / (iv * 1e6)
			periods = int(exact + 0.5)
			runs = r1[k] - r0[k]
			missed = m1[k] - m0[k]
			err = runs + missed - periods
			ok = ""
			if (p[2] == "sched")
				ok = err <= 1 && err >= -1 ? " (met)" : " (**not met**)"
			if (!s0[k] || !s1[k])
				ok = ok " (sample not synced)"
			printf "| %s ms | %s | %.1f | %d (%.2f) | %d | %d | %+d%s | %.1f | %s |\n",
				iv, p[2], (t1[k] - t0[k]) / 1e9, periods, exact, runs, missed,
				err, ok, late[k] / 1000,
				wait[k] < 0 ? "n/a" : sprintf("%.1f", wait[k] / 1000)
		}
	}'
}

# plot_data IV MODULE: seconds since the first sample, and how far the
# module is behind its schedule, in s: elapsed time - (runs + missed) * IV.
plot_data() {
	bench_awk main '
	$2 == "drift" {
		kv()
		if (v["iv"] != iv || modname(v["file"]) != mod)
			next
		c = v["ticks"] + v["missed"]
		if (!seen++) { t0 = v["t_ns"]; c0 = c }
		dt = (v["t_ns"] - t0) / 1e9
		printf "%.3f %.4f\n", dt, dt - (c - c0) * iv / 1000
	}' -v iv="$1" -v mod="$2"
}

# Per-run lateness at long intervals, from the traced runs ("longrun"), and
# the module's own max_late_us beside it. The wheel granularity is what the
# timer wheel may add to a delay of IV ms at HZ (calc_wheel_index() in
# kernel/time/timer.c: level n starts at 63 << 3(n-1) jiffies and rounds the
# expiry up to a multiple of 8^n).
long_rows() {
	bench_awk main '
	$2 == "long_start" { kv(); start = v["t"] }
	$2 == "longrun" { kv(); x[v["mod"], ++n[v["mod"]]] = v["late_ns"] / 1e6 }
	$2 == "long" {
		kv()
		m = v["mod"]
		mods[++nm] = m
		iv[m] = v["iv"]; t[m] = v["t_ns"] / 1e9 - start
		missed[m] = v["missed"]; own[m] = v["max_late_us"] / 1000
	}
	END {
		for (i = 1; i <= nm; i++) {
			m = mods[i]
			mx = 0
			for (j = 1; j <= n[m]; j++) {
				a[j] = x[m, j]
				if (a[j] > mx)
					mx = a[j]
			}
			j = int((iv[m] * hz + 999) / 1000)
			for (lvl = 0; j >= 63 * 8 ^ lvl; lvl++)
				;
			what = m ~ /nostep/ ? "before (no 7/8 steps)" : "after (as is)"
			ok = ""
			if (what ~ /after/)
				ok = median(a, n[m]) <= 1000 / hz + 5 ? " (met)" : " (**not met**)"
			printf "| %d s | %s | %.0f | %d | %d | %.1f%s | %.1f | %.1f | %.0f |\n",
				iv[m] / 1000, what, t[m], n[m], missed[m], median(a, n[m]), ok,
				mx, own[m], 8 ^ lvl * 1000 / hz
		}
	}' -v hz="$hz"
}

unload_rows() {
	bench_awk main '
	function stat(name, k,   j, cnt, mx) {
		cnt = n[k, name]
		mx = 0
		for (j = 1; j <= cnt; j++) {
			a[j] = x[k, name, j]
			if (a[j] > mx)
				mx = a[j]
		}
		s_max = mx
		return median(a, cnt)
	}
	function add(k, name, val) {
		x[k, name, ++n[k, name]] = val / 1e6
	}
	$2 == "unload" {
		kv()
		k = v["mod"] " " v["iv"]
		if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
		if (v["how"] != "traced") {
			add(k, v["how"], v["ns"])
			next
		}
		add(k, "traced", v["ns"])
		add(k, "pre", v["pre_ns"])
		add(k, "exit", v["exit_ns"])
		add(k, "notify", v["notify_ns"])
		add(k, "free", v["free_ns"])
	}
	END {
		for (i = 1; i <= nk; i++) {
			k = keys[i]
			split(k, p, " ")
			iv = p[2] >= 3600000 ? "1 h" : p[2] >= 1000 ? p[2] / 1000 " s" : p[2] " ms"
			med = stat("syscall", k)
			mx = s_max
			ok = med <= 50 ? "met" : "**not met**"
			printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f", p[1], iv,
				med, mx, stat("traced", k), stat("pre", k), stat("exit", k),
				stat("notify", k), stat("free", k)
			med = stat("rmmod", k)
			printf " | %.1f | %.1f | %s |\n", med, s_max, ok
		}
	}'
}

# read_rows LOG: the read cost in the boot of LOG.
read_rows() {
	bench_awk "$1" '
	$2 == "read" {
		kv()
		f = v["file"]
		if (!(f in n))
			files[++nf] = f
		x[f, ++n[f]] = v["ns_per_op"]
	}
	END {
		for (i = 1; i <= nf; i++) {
			f = files[i]
			for (j = 1; j <= n[f]; j++)
				a[j] = x[f, j]
			med[f] = median(a, n[f])
			lo[f] = a[1]
			hi[f] = a[n[f]]
		}
		r = med["/proc/sched"] / med["/proc/uptime"]
		for (i = 1; i <= nf; i++) {
			f = files[i]
			printf "| %s | %s | %d | %.1f | %.1f | %.1f |", cs, f, n[f],
				med[f] / 1000, lo[f] / 1000, hi[f] / 1000
			if (f == "/proc/sched")
				printf " **%.2f** (%s) |\n", r, r <= 1.5 ? "met" : "not met"
			else
				printf " |\n"
		}
	}' -v cs="$(info "$1" clocksource)"
}

# tick_rows LOG: the handler run times in the boot of LOG.
tick_rows() {
	bench_awk "$1" '
	$2 == "tick" {
		kv()
		m = v["mod"]
		mods[++nm] = m
		n[m] = v["n"]; p10[m] = v["p10_ns"]; med[m] = v["median_ns"]; p99[m] = v["p99_ns"]
		mx[m] = v["max_ns"]; ticks[m] = v["ticks"]
	}
	END {
		e = "sched_empty"
		for (i = 1; i <= nm; i++) {
			m = mods[i]
			printf "| %s | %s | %d | %s | %.2f | %.2f | %.2f | %.1f |", cs, m, n[m],
				ticks[m] < 0 ? "" : ticks[m], p10[m] / 1000, med[m] / 1000,
				p99[m] / 1000, mx[m] / 1000
			if (m != e && med[e] > 0) {
				dm = 100 * (med[m] / med[e] - 1)
				dp = 100 * (p99[m] / p99[e] - 1)
				printf " %+.0f %% / %+.0f %% / %+.0f %%", 100 * (p10[m] / p10[e] - 1), dm, dp
				if (m == "sched")
					printf " (%s)", dm <= 10 && dp <= 10 ? "met" : "not met"
			}
			printf " |\n"
		}
	}' -v cs="$(info "$1" clocksource)"
}

slab_rows() {
	bench_awk main '
	function med(name, m,   j) {
		for (j = 1; j <= n[m]; j++)
			a[j] = x[m, name, j]
		return median(a, n[m])
	}
	$2 == "slab" {
		kv()
		m = v["mod"]
		if (!(m in n))
			mods[++nm] = m
		j = ++n[m]
		x[m, "kb", j] = v["after_kb"] - v["before_kb"]
		x[m, "held", j] = v["held_bytes"]
		x[m, "left", j] = v["left_bytes"]
		bytes[m] = v["module_bytes"]
	}
	END {
		for (i = 1; i <= nm; i++) {
			m = mods[i]
			printf "| %s | %d | %d | %d | %d |\n", m, med("kb", m),
				med("held", m), med("left", m), bytes[m]
		}
	}'
}

size_rows() {
	for m in sched sched_naive; do
		size "$out/mods/$m.ko" | awk -v m="$m" 'NR == 2 {
			printf "| %s.ko | %d | %d | %d |\n", m, $1, $2, $3 }'
	done
}

# make_plot: cumulative drift of both modules at 10 ms.
make_plot() {
	plot_data 10 sched >"$out/drift-sched.dat"
	plot_data 10 sched_naive >"$out/drift-naive.dat"
	gnuplot <<-EOF
		set terminal pngcairo size 800,480 font ",10"
		set output "$plot"
		set title "Cumulative drift at interval\\\\_ms=10 ($rel, QEMU $accel)"
		set xlabel "time since the first sample (s)"
		set ylabel "behind schedule (s)"
		set key top left
		set grid
		plot "$out/drift-naive.dat" using 1:2 with linespoints pt 7 ps 0.4 \
			title "sched\\\\_naive: re-queue with delay = interval after each run", \
		     "$out/drift-sched.dat" using 1:2 with linespoints pt 7 ps 0.4 \
			title "sched: fixed grid"
	EOF
}

# verdict TEXT: "met" unless some row of TEXT says "not met".
verdict() {
	if printf '%s\n' "$1" | grep -q 'not met'; then
		echo '**not met**'
	else
		echo met
	fi
}

# insns MODULE FUNCTION: instructions in FUNCTION's body (objdump).
insns() {
	objdump -d --no-show-raw-insn "$out/mods/$1.ko" | awk -v f="<$2>:" '
		$2 == f { on = 1; next }
		on && /^$/ { exit }
		on && /:\t/ && !/\tnop|\tint3|\txchg   %ax,%ax|\tcs nopw|\tdata16/ { n++ }
		END { print n + 0 }'
}

write_results() {
	cs_main=$(info main clocksource)
	cs_tsc=$(info tsc clocksource)
	drift=$(drift_rows)
	long=$(long_rows)
	unload=$(unload_rows)
	reads="$(read_rows main)
$(read_rows tsc)"
	ticks="$(tick_rows main)
$(tick_rows tsc)"
	cat <<-EOF
		<!-- SPDX-License-Identifier: GPL-2.0 -->
		# sched benchmark results

		How well \`sched\` keeps time, against the design it replaces
		([naive.c](naive.c): re-queue with \`delay = interval\` after each
		run, as the original guide did), measured side by side in one VM
		boot. Generated by \`$command\` ([run.sh](run.sh), which runs
		[guest.sh](guest.sh) in the VM); do not edit by hand.

		- kernel: $rel (HZ=$hz, so one jiffy is $jiffy_ms ms), booted in QEMU
		  with **$accel** ($qemu), 2 vCPUs, 1 GiB; clock source of the main
		  boot: $cs_main; of the second (\`tsc=reliable\`): $cs_tsc
		- date: $date; whole run (build, both boots) $seconds s
		- host: $host
		- host load (\`uptime\`) before: \`$load_before\`
		- host load after: \`$load_after\`
		- drift runs of $drift_s s each; handler tracing $tick_s s per
		  handler; W=1 warnings building the modules: $warnings

		## Goals

		| goal | result | why |
		|---|---|---|
		| drift: runs + missed = periods elapsed +- 1, at every interval | $(verdict "$drift") | sched counts each period of its grid once, as a run or as missed, however late the run; sched_naive loses the timer's rounding and the wake-up latency in every period |
		| lateness at 10 s and 60 s about one jiffy plus wake-up latency | $(verdict "$long") | the 7/8 steps end every wait with a leg under 64 jiffies, which the timer wheel does not round; without them a run comes up to the wheel's granularity late |
		| delete_module <= 50 ms at every interval | $(verdict "$unload") | the module's own exit function is the "exit" column, well under a millisecond at every interval; the rest is the kernel's generic teardown (module notifiers, an RCU grace period in free_module()), the same for sched_naive, and emulation stretches it: single unloads over 50 ms are that |
		| read cost <= 1.5x /proc/uptime | $(verdict "$reads") | both are a single_open seq_file; sched formats five short lines |
		| cost per tick within 10 % of the empty handler | $(verdict "$(printf '%s\n' "$ticks" | grep '| sched |')") | under TCG the run time of a handler varies between windows and boots by more than 10 % (compare the empty handler with itself plus two clock reads, and the two boots), so this figure cannot settle a 10 % question here; the steadiest comparison is the uncontended cost (p10). On hardware-independent grounds, sched's handler is $(insns sched schedmod_tick) instructions against the empty one's $(insns sched_empty empty_tick), plus two ktime_get() calls, next to the queue_delayed_work() both make |

		## What TCG distorts

		No usable KVM here: QEMU emulates the CPU (TCG). The guest's clocks
		follow the host's real time, so periods, counts and drift are
		measured right, but every instruction is emulated, many times slower
		than on hardware, and the two vCPUs are host threads that compete
		with whatever else the host runs (see the load above: this host is
		shared with other builds and VM tests). So:

		- **Lateness and missed periods**: a kworker's wake-up latency is
		  milliseconds here, not microseconds. At 1 jiffy that makes many
		  periods missed (a run can only come at a tick, so it is
		  already up to one jiffy late on a grid point that falls between
		  ticks; any latency on top pushes it past the period). The drift
		  accounting (runs + missed against the clock) is not distorted.
		- **sched_naive's drift**: on hardware it loses the jiffy rounding of
		  every delay (10 ms becomes 3 jiffies = 12 ms at HZ=250) and, at
		  1 s, the wheel's rounding; here also the emulated latency, so its
		  drift at 1 jiffy and 100 ms is larger than on hardware.
		- **Unload, read cost, cost per tick**: absolute times are emulation
		  times. Only comparisons made the same way mean something, and even
		  they weigh instructions unlike hardware: the default clock source
		  under TCG is the HPET, an emulated device whose every read is slow,
		  hence the second boot with \`tsc=reliable\` for the two cost
		  figures.
		- **Not distorted**: the "before" lateness at long intervals is the
		  timer wheel's arithmetic (calc_wheel_index()), the same on
		  hardware; footprint.

		What ran concurrently: the four long-interval modules stayed loaded
		through the whole main boot (they wake a few times a minute); in
		each drift run sched and sched_naive ticked side by side. Everything
		else ran alone, one measurement at a time.

		## Drift

		Both modules load together at each interval and are sampled once a
		second for $drift_s s by a static reader ([sample.c](sample.c)); the
		counts are the differences between the first and the last sample,
		both taken just after a run of the module (polled for; the run is
		placed within 1 ms). The periods elapsed are the guest's
		CLOCK_MONOTONIC between those two runs over the interval, rounded to
		whole periods (the exact quotient in brackets: each of the two runs
		may be up to a period late on its grid point, so it is a whole
		number give or take less than one). "max late" is against the grid
		each module was meant to keep (load time + k x interval); for
		sched_naive that is its accumulated drift. "worst single wait" is
		sched_naive's largest overshoot of one wait against its own request
		(the previous run + interval): each wait alone is close, yet they
		add up.

		| interval | module | seconds | periods elapsed | runs | missed | runs + missed - periods | max late (ms) | worst single wait late (ms) |
		|---|---|---|---|---|---|---|---|---|
		$drift

		![cumulative drift at 10 ms](${plot##*/})

		## Lateness at long intervals

		sched.c as it is ("after") against a copy with its 7/8 stepping of
		long waits removed ("before": \`sed '$NOSTEP'\`), each at 10 s and
		60 s, all four loaded for the whole main boot. Every run is traced
		(workqueue_execute_start, trace clock "mono") and its lateness taken
		against the grid; "own max" is the module's max_late_us. "wheel
		granularity" is what the timer wheel may add to one delay of that
		length at HZ=$hz. Goal: about one jiffy plus wake-up latency
		(checked on the median, as <= $jiffy_ms ms + 5 ms).

		| interval | sched.c | seconds loaded | runs | missed | median late (ms) | max late (ms) | own max (ms) | wheel granularity (ms) |
		|---|---|---|---|---|---|---|---|---|
		$long

		## Unload

		Five unloads of each kind per row, each 0.5 s after the load.
		"delete_module" is the system call alone, timed by a static caller
		([unload.c](unload.c)), with no tracing on. Five more, "traced",
		split (medians) from the tracepoints
		syscalls:sys_enter/exit_delete_module and module:module_free and
		kprobes on remove_proc_entry() (the exit function's first call) and
		the return of destroy_workqueue() (its last) into "pre" (syscall
		entry to the exit function), "exit" (the module's own exit
		function), "notify" (the kernel's module notifiers) and "free"
		(free_module(): sysfs teardown, an RCU grace period, freeing the
		module). "rmmod" is busybox rmmod as a whole, fork to exit. All
		times in ms. Goal: delete_module <= 50 ms (judged on the median).

		| module | interval | delete_module median | max | traced median | pre | exit | notify | free | rmmod median | max | goal |
		|---|---|---|---|---|---|---|---|---|---|---|---|
		$unload

		## Read cost

		Open + read to EOF + close, 2000 times per batch, the two files in
		turn, 9 rounds ([readcost.c](readcost.c)), with sched loaded at its
		default 100 ms; /proc/uptime is a built-in single_open seq_file.
		Goal: /proc/sched <= 1.5x /proc/uptime.

		| clock source | file | rounds | median (us) | min (us) | max (us) | ratio (goal <= 1.5) |
		|---|---|---|---|---|---|---|
		$reads

		## Cost per tick

		Run time of the work function, from the workqueue_execute_start to
		the workqueue_execute_end tracepoint (ns timestamps, a tracefs
		instance filtered on the function): sched, an empty delayed_work
		that only re-queues itself ([empty.c](empty.c)), and the same with
		two clock reads (ktime_get(), as sched's handler does), all at
		10 ms, each alone (handlers that fire on the same tick contend for
		the same locks, which under emulation costs more than the handlers
		themselves), in three rounds of $((tick_s / 3)) s windows taken in
		turn. "ticks" is how many of sched's runs were ticks; the others
		are early wake-ups that only re-armed. Goal: within 10 % of the
		empty handler (median and p99; p10 shows the uncontended cost).

		| clock source | handler | runs | ticks | p10 (us) | median (us) | p99 (us) | max (us) | vs empty, p10 / median / p99 |
		|---|---|---|---|---|---|---|---|---|
		$ticks

		## Footprint

		\`size\` of the modules as built:

		| module | text | data | bss |
		|---|---|---|---|
		$(size_rows)

		Memory at load, medians of five loads: the growth of Slab in
		/proc/meminfo (kB granularity: the objects fit in slabs the kernel
		already has); the bytes allocated by kmalloc()/kmem_cache_alloc()
		during the load and still held after it (kmem tracepoints; the
		workqueue, the /proc and sysfs entries, the module's bookkeeping),
		and how many of those were still held 1 s after the unload (a leak
		would show here as a steady amount per load; what shows is a few
		hundred bytes that vary from load to load, for both modules alike:
		the vmap_area of the module's memory, which the kernel frees lazily,
		a SIGCHLD not yet taken, other background allocations); the
		module's own memory (text, data) from /proc/modules.

		| module | Slab growth (kB) | slab bytes held while loaded | still held after unload | module memory (bytes) |
		|---|---|---|---|---|
		$(slab_rows)
	EOF
}

# measure: build, boot twice, and keep what the report needs in $out/meta.
measure() {
	rm -rf "$out"
	mkdir -p "$out"
	load_before=$(uptime)
	kernel=$("$src/scripts/kernel.sh" "$lane")
	rel=$(cat "$kernel/release")
	hz=$(sed -n 's/^CONFIG_HZ=//p' "$kernel/build/.config")
	# One jiffy in whole ms, rounded up (exact for HZ = 100, 250, 1000).
	jiffy_ms=$(((1000 + hz - 1) / hz))
	say "kernel $rel, HZ=$hz; building"
	mkdir -p "$out/vm/bench"
	warnings=$(build_modules "$kernel" "$out/mods")
	cp "$out"/mods/*.ko "$src/bench/guest.sh" "$out/vm/bench/"
	build_tools "$out/vm/bench"
	say "main boot: the guest runs for about $((4 * drift_s + 4 * tick_s + 150)) s"
	run_vm main "" "$MAIN_PHASES"
	say "second boot, tsc=reliable: about $((4 * tick_s + 30)) s"
	run_vm tsc tsc=reliable "$TSC_PHASES"
	{
		printf "rel='%s'\nhz='%s'\njiffy_ms='%s'\nwarnings='%s'\n" \
			"$rel" "$hz" "$jiffy_ms" "$warnings"
		printf "accel='%s'\nqemu='%s'\n" \
			"$(sed -n 's/^vm-run: booting .* with \([a-z]*\)$/\1/p' "$out/main.err")" \
			"$(qemu-system-x86_64 --version | head -n 1)"
		printf "load_before='%s'\nload_after='%s'\n" "$load_before" "$(uptime)"
		printf "date='%s'\nseconds='%s'\n" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
			"$(($(date +%s) - t_start))"
		printf "drift_s='%s'\ntick_s='%s'\n" "$drift_s" "$tick_s"
		printf "host='%s CPUs, %s'\n" "$(nproc)" \
			"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
	} >"$out/meta"
}

# BENCH_REPORT_ONLY=1 only rewrites the results from the last run's logs.
main() {
	[ "${BENCH_REPORT_ONLY:-0}" = 1 ] || measure
	rel='' hz='' jiffy_ms='' warnings='' accel='' qemu='' host=''
	load_before='' load_after='' date='' seconds=''
	# shellcheck source=/dev/null # written by measure()
	. "$out/meta"
	make_plot
	write_results >"$results"
	say "wrote $results and $plot"
}

main
