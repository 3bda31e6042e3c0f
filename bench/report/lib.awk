# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the report's awk programs (bench/report.sh runs each with this
# file first). Their input is the console's "bench KIND key=value ..." lines
# that bench/guest.sh prints; $2 is KIND.

# kv(): the key=value fields of the current line into v[], numbers as numbers.
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

# Insertion sort of a[1..n]: the samples are a few hundred at most.
function sort_num(a, n,   i, j, x) {
	for (i = 2; i <= n; i++) {
		x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
}

# median(a, n): sorts a[1..n] too, so that a[1] and a[n] are min and max.
function median(a, n) {
	sort_num(a, n)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

# modname("/proc/sched"): "sched".
function modname(f) {
	sub(/^\/proc\//, "", f)
	return f
}

# interval(ms): "10 ms", "1 s", "1 h".
function interval(ms) {
	return ms >= 3600000 ? "1 h" : ms >= 1000 ? ms / 1000 " s" : ms " ms"
}
