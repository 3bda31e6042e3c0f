# SPDX-License-Identifier: GPL-2.0
#
# read.awk -v cs=CLOCKSOURCE: the read cost table of one boot. The goal,
# /proc/sched <= 1.5x /proc/uptime, is judged on the medians.
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
}
