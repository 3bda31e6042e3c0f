# SPDX-License-Identifier: GPL-2.0
#
# fill.awk -v dir=DIR TEMPLATE: TEMPLATE with every @NAME@ replaced by the
# contents of the file DIR/NAME, less its last newline (a table's rows, or
# one value). A NAME without a file is an error, so that no placeholder can
# reach the results unfilled.
function value(name,   f, line, s, r, k) {
	f = dir "/" name
	s = ""
	k = 0
	while ((r = (getline line < f)) > 0)
		s = s (k++ ? "\n" : "") line
	if (r < 0) {
		print "fill.awk: nothing for @" name "@ (no " f ")" > "/dev/stderr"
		failed = 1
		exit 1
	}
	close(f)
	return s
}
{
	rest = $0
	out = ""
	while (match(rest, /@[a-z0-9_]+@/)) {
		out = out substr(rest, 1, RSTART - 1) value(substr(rest, RSTART + 1, RLENGTH - 2))
		rest = substr(rest, RSTART + RLENGTH)
	}
	print out rest
}
END {
	if (failed)
		exit 1
}
