# SPDX-License-Identifier: GPL-2.0
#
# The drift table: for each interval and module, the first and last sample
# (both taken just after a run of the module, see bench/sample.c), and the
# difference of the counts against the periods of the guest's monotonic clock
# in between.
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
		if (p[2] == "sched" || p[2] == "sched_slow")
			ok = err <= 1 && err >= -1 ? " (met)" : " (**not met**)"
		if (!s0[k] || !s1[k])
			ok = ok " (sample not synced)"
		printf "| %s ms | %s | %.1f | %d (%.2f) | %d | %d | %+d%s | %.1f | %s |\n",
			iv, p[2], (t1[k] - t0[k]) / 1e9, periods, exact, runs, missed,
			err, ok, late[k] / 1000,
			wait[k] < 0 ? "n/a" : sprintf("%.1f", wait[k] / 1000)
	}
}
