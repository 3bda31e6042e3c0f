# SPDX-License-Identifier: GPL-2.0
#
# meta.awk -v dir=DIR META: each NAME='VALUE' line of bench/run.sh's meta
# file into the file DIR/NAME, as the template's @NAME@ (values keep their
# spaces; none holds a quote).
match($0, /^[a-z_]+='/) {
	f = dir "/" substr($0, 1, RLENGTH - 2)
	s = substr($0, RLENGTH + 1)
	sub(/'$/, "", s)
	print s > f
	close(f)
}
