#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-host.sh SUITE [COMMAND...]: prove that README's commands work on a fresh Debian
# SUITE machine (bookworm or trixie; docs/ci.md): in a new minbase system of SUITE with
# git added, a clone of HEAD runs each COMMAND in turn as root, by default install make,
# `make demo` twice (cold, warm) and `CI=true bash .ci/run`. Prints each command's seconds
# and counts; the log goes to out/check-host-SUITE.log.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

[ $# -ge 1 ] || usage "bookworm|trixie [COMMAND...]"
suite=$1
shift
[ $# -ge 1 ] || set -- "apt-get update -qq && apt-get install -y -qq make >/dev/null" \
	"make demo" "make demo" "CI=true bash .ci/run"
[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot, mount)"
root=$CACHE/hosts/$suite
log=$SRC/out/check-host-$suite.log
mkdir -p "$SRC/out" "$CACHE/hosts"

"$SRC/scripts/ci/install-deps.sh" mmdebstrap git
log "making a fresh Debian $suite system in $root"
rm -rf "$root"
conf=$CACHE/hosts/$suite.apt.conf
network_apt_conf >"$conf"
debian_sources "$suite" |
	mmdebstrap --quiet --variant=minbase --include=git,ca-certificates \
		--aptopt="$conf" "$suite" "$root" - >&2
git clone -q "$SRC" "$root/root/sched"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

cat >"$root/root/check-host-run" <<'EOF'
cd /root/sched
for c in "$@"; do
	t0=$(date +%s)
	rc=0
	sh -c "$c" || rc=$?
	echo "check-host: $c: exit $rc after $(($(date +%s) - t0)) s"
	[ "$rc" = 0 ] || exit "$rc"
done
EOF

# Its / a mount point, as on a real machine (docs/ci.md); the mounts vanish with their namespace.
log "running in it: $* (log: $log)"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private -- sh -euc '
	r=$0
	mount --bind "$r" "$r"
	mount -t proc proc "$r/proc"
	mount --rbind /sys "$r/sys"
	mount --rbind /dev "$r/dev"
	mount -t tmpfs tmpfs "$r/tmp"
	exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 TERM=dumb sh /root/check-host-run "$@"' "$root" "$@" 2>&1 |
	tee "$log" | grep -E '^check-host: |^[0-9]+ passed, [0-9]+ failed$' || :
[ "$(grep -c '^check-host: .*: exit 0 after' "$log")" = $# ]
