# SPDX-License-Identifier: GPL-2.0
#
# info.awk -v k=KEY: the value of KEY on the guest's "bench info" line.
$2 == "info" { kv(); print v[k] }
