# SPDX-License-Identifier: GPL-2.0
#
# tick.awk -v cs=CLOCKSOURCE: the traced run times of the handlers in one
# boot, against the empty handler's (information only: under TCG they vary
# between windows and boots by more than the differences they would show).
# With -v mod=MODULE, only MODULE's median in us (empty if not traced).
$2 == "tick" {
	kv()
	m = v["mod"]
	mods[++nm] = m
	n[m] = v["n"]; p10[m] = v["p10_ns"]; med[m] = v["median_ns"]; p99[m] = v["p99_ns"]
	mx[m] = v["max_ns"]; ticks[m] = v["ticks"]
}
END {
	if (mod != "") {
		if (mod in med)
			printf "%.2f\n", med[mod] / 1000
		exit
	}
	e = "sched_empty"
	for (i = 1; i <= nm; i++) {
		m = mods[i]
		printf "| %s | %s | %d | %s | %.2f | %.2f | %.2f | %.1f |", cs, m, n[m],
			ticks[m] < 0 ? "" : ticks[m], p10[m] / 1000, med[m] / 1000,
			p99[m] / 1000, mx[m] / 1000
		if (m != e && med[e] > 0)
			printf " %+.0f %% / %+.0f %% / %+.0f %%", 100 * (p10[m] / p10[e] - 1),
				100 * (med[m] / med[e] - 1), 100 * (p99[m] / p99[e] - 1)
		printf " |\n"
	}
}
