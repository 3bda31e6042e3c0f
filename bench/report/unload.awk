# SPDX-License-Identifier: GPL-2.0
#
# The unload table: per module and interval, the medians (and some maxima)
# of each kind of unload, and the traced ones split into their parts. The
# goal, delete_module <= 50 ms, is judged on the median.
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
		med = stat("syscall", k)
		mx = s_max
		ok = med <= 50 ? "met" : "**not met**"
		printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f", p[1],
			interval(p[2]), med, mx, stat("traced", k), stat("pre", k),
			stat("exit", k), stat("notify", k), stat("free", k)
		med = stat("rmmod", k)
		printf " | %.1f | %.1f | %s |\n", med, s_max, ok
	}
}
