# SPDX-License-Identifier: GPL-2.0
#
# The memory table: medians over the loads of each module.
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
}
