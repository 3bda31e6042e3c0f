#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Packaging tests for the sched module, printed as KTAP: what modinfo shows,
# `make sign`, `make install` and `make uninstall` into a staging tree, all
# for the default kernel of the Debian release the host runs (Debian 12 or
# 13: lane bookworm or trixie of tests/lanes), built against its headers as
# scripts/kernels/kernel.sh unpacks them into the cache (never installed).
# The staged module is then loaded inside that kernel in a VM by kmod's
# modprobe, through the modules.dep that depmod made, with the options of
# examples/modprobe.d/sched.conf.
#
#   sudo tests/host/install_test.sh
#
# Changes nothing on the host outside out/install/ and the cache: it
# installs only openssl when missing (through scripts/ci/install-deps.sh).
# DKMS, and the sched-dkms package, are tested inside a booted Debian
# system by tests/host/lifecycle_test.sh.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/install
# What a packager ships to build the module: the DKMS source tree.
SOURCES="dkms.conf Kbuild Makefile sched.c"
KEY_CN="sched install_test key"

# --- helpers ---------------------------------------------------------------

# run COMMAND...: run it with its output in out/install/commands.log; on
# failure show the end of it.
run() {
	echo "\$ $*" >>"$out/commands.log"
	if ! "$@" >>"$out/commands.log" 2>&1; then
		echo "# FAIL: $*"
		tail -n 15 "$out/commands.log" | sed 's/^/#   /'
		return 1
	fi
}

# pkg_make ARGS...: make in the packaged source tree, for the test kernel.
pkg_make() { run make -C "$out/src" KDIR="$kdir" "$@"; }

# info MODULE NAME: modinfo's NAME field of MODULE (a file).
info() { modinfo -F "$2" "$1"; }

# installed_ko DIR: the sched module installed in DIR, as sched.ko or, by a
# kernel built with CONFIG_MODULE_COMPRESS_* (Debian 13's), compressed.
installed_ko() { find "$1" -maxdepth 1 -name 'sched.ko*' | head -n 1; }

# plain FILE: the module FILE, decompressed if it is.
plain() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# signatures FILE: how many module signatures FILE carries.
signatures() { grep -c -a '~Module signature appended~' "$1" || :; }

# The guest side of the VM cases: load sched as the overlay's /etc says
# (modules-load.d if it is there, else a plain modprobe), print what the
# kernel shows, unload. kmod by path: see scripts/vm/kmod.sh.
guest_script() {
	cat <<'EOF'
set -eu
echo "guest: tool=$(/sbin/modprobe --version | head -n 1)"
if [ -e /etc/modules-load.d/sched.conf ]; then
	# What systemd-modules-load does at boot: load every module named there.
	for m in $(grep -Ev '^[#;]|^$' /etc/modules-load.d/sched.conf); do
		/sbin/modprobe "$m"
	done
else
	/sbin/modprobe sched
fi
echo "guest: interval_ms=$(cat /sys/module/sched/parameters/interval_ms)"
echo "guest: filename=$(/sbin/modinfo -F filename sched)"
/sbin/modprobe -r sched
echo "guest: unloaded=$(test -d /sys/module/sched && echo no || echo yes)"
EOF
}

# guest_says NAME: the value of the guest's last "guest: NAME=value" line.
guest_says() { sed -n "s/^guest: $1=//p" "$log" | tail -n 1; }

# boot_and_modprobe OVERLAY MODULE-PATH: boot the test kernel with OVERLAY
# plus kmod, load sched there and check that it came from MODULE-PATH (in the
# guest) with interval_ms from examples/modprobe.d.
boot_and_modprobe() {
	overlay=$1
	path=$2
	log=$overlay.console.log
	"$SRC/scripts/vm/kmod.sh" "$overlay"
	guest_script >"$overlay/load-sched.sh"
	if ! SCHED_VM_LOG=$log "$SRC/scripts/vm/run.sh" "$kernel/vmlinuz" "$overlay" \
		"sh /load-sched.sh" </dev/null >/dev/null 2>"$overlay.vm-run.err"; then
		echo "# FAIL: the VM run failed; console in $log"
		{ grep '^guest: ' "$log" || :; tail -n 10 "$overlay.vm-run.err"; } | sed 's/^/#   /'
		return 1
	fi
	tool=$(guest_says tool)
	expect "modprobe in the guest is '$tool', not kmod's" matches "$tool" '^kmod version'
	got=$(guest_says interval_ms)
	expect "interval_ms is '$got', want $want from modprobe.d" [ "$got" = "$want" ]
	got=$(guest_says filename)
	expect "modprobe loaded '$got', want $path" [ "$got" = "$path" ]
	expect "modprobe -r left sched loaded" [ "$(guest_says unloaded)" = yes ]
}

# new_overlay NAME: an empty VM overlay with the example configuration.
new_overlay() {
	overlay=$out/$1
	rm -rf "$overlay"
	mkdir -p "$overlay/etc/modprobe.d"
	cp "$SRC/examples/modprobe.d/sched.conf" "$overlay/etc/modprobe.d/"
}

# --- cases -----------------------------------------------------------------

test_modinfo_shows_description_author_license_version_and_parameter() {
	ko=$out/src/sched.ko
	modinfo "$ko" | sed 's/^/#   /'
	for f in description author srcversion; do
		expect "modinfo shows no $f" [ -n "$(info "$ko" "$f")" ]
	done
	expect "license '$(info "$ko" license)' is not one the kernel takes as GPL" \
		matches "$(info "$ko" license)" '^(GPL|GPL v2|GPL and additional rights|Dual [A-Z]+/GPL)$'
	v=$(info "$ko" version)
	expect "version '$v', want '$version' from dkms.conf" [ "$v" = "$version" ]
	expect "no interval_ms parameter with a description" \
		matches "$(info "$ko" parm)" '^interval_ms:[^:]*[a-z]{4}'
}

test_make_sign_refuses_to_run_without_a_key() {
	if make -C "$out/src" KDIR="$kdir" sign >"$out/sign-nokey.log" 2>&1; then
		echo "# FAIL: make sign without SIGN_KEY/SIGN_CERT succeeded"
		return 1
	fi
	expect "no message naming SIGN_KEY and SIGN_CERT" \
		grep -q 'SIGN_KEY=.*SIGN_CERT=' "$out/sign-nokey.log"
	expect "the failed make sign touched sched.ko" \
		[ "$(signatures "$out/src/sched.ko")" = 0 ]
}

test_make_sign_signs_with_the_given_key() {
	run openssl req -new -x509 -newkey rsa:2048 -nodes -days 1 \
		-subj "/CN=$KEY_CN/" -keyout "$out/key.priv" -outform DER -out "$out/key.der"
	# Twice: signing again must replace the signature, not add one.
	for _ in 1 2; do
		pkg_make sign SIGN_KEY="$out/key.priv" SIGN_CERT="$out/key.der"
	done
	ko=$out/src/sched.ko
	modinfo "$ko" | grep -E '^(sig_id|signer|sig_key|sig_hashalgo):' | sed 's/^/#   /'
	expect "signer '$(info "$ko" signer)', want '$KEY_CN'" [ "$(info "$ko" signer)" = "$KEY_CN" ]
	expect "sig_hashalgo '$(info "$ko" sig_hashalgo)', want sha256" \
		[ "$(info "$ko" sig_hashalgo)" = sha256 ]
	expect "sig_id '$(info "$ko" sig_id)', want PKCS#7" [ "$(info "$ko" sig_id)" = "PKCS#7" ]
	n=$(signatures "$ko")
	expect "$n signatures after signing twice, want 1" [ "$n" = 1 ]
}

test_make_install_stages_module_and_runs_depmod() {
	rm -rf "$out/stage"
	# Relative, as a packager writes it: make must not resolve it from KDIR.
	pkg_make install DESTDIR=../stage
	dir=$out/stage/lib/modules/$rel
	ko=$(installed_ko "$dir/updates")
	expect "no $dir/updates/sched.ko*" [ -n "$ko" ]
	expect "modules.dep does not list ${ko#"$dir/"}" \
		grep -q "^${ko#"$dir/"}:" "$dir/modules.dep"
	# So a module signed with make sign is installed with its signature.
	plain "$ko" >"$out/installed.ko"
	expect "the installed module differs from the built one" \
		cmp -s "$out/src/sched.ko" "$out/installed.ko"
	expect "installed into the host's /lib/modules instead" \
		[ -z "$(installed_ko "/lib/modules/$rel/updates")" ]
}

test_staged_module_loads_with_modprobe_d_options_in_vm() {
	expect "no staged tree (make install failed?)" [ -d "$out/stage/lib/modules/$rel" ]
	new_overlay vm-stage
	cp -R "$out/stage/lib" "$overlay/"
	mkdir -p "$overlay/etc/modules-load.d"
	cp "$SRC/examples/modules-load.d/sched.conf" "$overlay/etc/modules-load.d/"
	ko=$(installed_ko "$out/stage/lib/modules/$rel/updates")
	boot_and_modprobe "$overlay" "/lib/modules/$rel/updates/${ko##*/}"
}

test_make_uninstall_removes_module_and_reruns_depmod() {
	expect "no staged tree (make install failed?)" [ -d "$out/stage/lib/modules/$rel" ]
	pkg_make uninstall INSTALL_MOD_PATH="$out/stage"
	dir=$out/stage/lib/modules/$rel
	left=$(find "$out/stage" -name 'sched.ko*')
	expect "make uninstall left $left" [ -z "$left" ]
	expect "modules.dep gone" [ -f "$dir/modules.dep" ]
	expect "modules.dep still lists sched" lacks "$(cat "$dir/modules.dep")" '(^|/)sched\.ko'
}

# --- setup and runner ------------------------------------------------------

bail_out() {
	echo "Bail out! $1"
	exit 1
}

[ "$(id -u)" = 0 ] || skip_all "must be root"
# The user-facing Makefile builds with the host's compiler: for the kernel
# of the lane of the Debian release this host runs.
lane=$(host_suite)
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane") || bail_out "no lane for this host's Debian release '$lane'"
rel=$(cat "$kernel/release")
kdir=$kernel/build
"$SRC/scripts/ci/install-deps.sh" openssl >&2
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$SRC/dkms.conf")
want=$(sed -n 's/^options sched .*interval_ms=\([0-9]*\).*$/\1/p' \
	"$SRC/examples/modprobe.d/sched.conf")
# A VM case can only tell that the option arrived if it is not the default.
case $want in
'' | 100) bail_out "examples/modprobe.d/sched.conf must set interval_ms, to other than 100" ;;
esac
[ -n "$version" ] || bail_out "no PACKAGE_VERSION in dkms.conf"
rm -rf "$out"
mkdir -p "$out/src"
# shellcheck disable=SC2086 # a list of file names
(cd "$SRC" && cp $SOURCES "$out/src/")
run make -C "$out/src" KDIR="$kdir" || bail_out "sched.ko does not build for $rel"

echo "# kernel $rel, sched $version"
ktap
