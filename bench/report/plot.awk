# SPDX-License-Identifier: GPL-2.0
#
# plot.awk -v iv=MS -v mod=MODULE: the plot's data for MODULE's drift run at
# MS: seconds since the first sample, and how far the module is behind its
# schedule, in s: elapsed time - (runs + missed) * interval.
$2 == "drift" {
	kv()
	if (v["iv"] != iv || modname(v["file"]) != mod)
		next
	c = v["ticks"] + v["missed"]
	if (!seen++) { t0 = v["t_ns"]; c0 = c }
	dt = (v["t_ns"] - t0) / 1e9
	printf "%.3f %.4f\n", dt, dt - (c - c0) * iv / 1000
}
