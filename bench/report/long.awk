# SPDX-License-Identifier: GPL-2.0
#
# long.awk -v hz=HZ: the lateness table of the long-interval modules. Each
# run's lateness comes from the traced runs ("longrun"), the module's own
# max_late_us from its last sample ("long"). The wheel granularity is what the
# timer wheel may add to a delay of that interval at HZ (calc_wheel_index()
# in kernel/time/timer.c: level n starts at 63 << 3(n-1) jiffies and rounds
# the expiry up to a multiple of 8^n jiffies). The goal, about one jiffy plus
# wake-up latency, is judged on the median, for sched.c as it is.
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
		printf "| %s | %s | %.0f | %d | %d | %.1f%s | %.1f | %.1f | %.0f |\n",
			interval(iv[m]), what, t[m], n[m], missed[m], median(a, n[m]), ok,
			mx, own[m], 8 ^ lvl * 1000 / hz
	}
}
