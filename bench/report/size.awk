# SPDX-License-Identifier: GPL-2.0
#
# The size table, from the output of `size` on the modules as built.
NR > 1 { printf "| %s | %d | %d | %d |\n", $6, $1, $2, $3 }
