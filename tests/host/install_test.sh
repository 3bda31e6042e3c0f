#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sudo install_test.sh: modinfo, `make sign`, `make install` and `make
# uninstall` into a staging tree, for the kernel of the host's Debian release
# (headers from scripts/kernels/kernel.sh, never installed), and the staged
# module loaded by kmod's modprobe in that kernel in a VM. Prints KTAP;
# changes nothing outside out/install/ and the cache but for openssl and xz-utils.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../../scripts/lib/harness.sh"
out=$SRC/out/install
KEY_CN="sched install_test key"

# run COMMAND...: with its output in out/install/commands.log, shown on failure.
run() {
	echo "\$ $*" >>"$out/commands.log"
	"$@" >>"$out/commands.log" 2>&1 ||
		{ echo "# FAIL: $*"; tail -n 15 "$out/commands.log" | sed 's/^/#   /'; return 1; }
}

pkg_make() { run make -C "$out/src" KDIR="$kernel/build" "$@"; }
info() { modinfo -F "$1" "$out/src/sched.ko"; }
is_info() { expect "$1 '$(info "$1")', want '$2'" [ "$(info "$1")" = "$2" ]; }

# installed_ko DIR: sched.ko, or sched.ko.xz (Debian 13's CONFIG_MODULE_COMPRESS_XZ).
installed_ko() { find "$1" -maxdepth 1 -name 'sched.ko*' | head -n 1; }
signatures() { grep -c -a '~Module signature appended~' "$out/src/sched.ko" || :; }
guest_says() { sed -n "s/^guest: $1=//p" "$log" | tail -n 1; }

test_modinfo_shows_description_author_license_version_and_parameter() {
	modinfo "$out/src/sched.ko" | sed 's/^/#   /'
	for f in description author srcversion; do
		expect "modinfo shows no $f" [ -n "$(info "$f")" ]
	done
	expect "license '$(info license)' is not one the kernel takes as GPL" \
		matches "$(info license)" '^(GPL|GPL v2|GPL and additional rights|Dual [A-Z]+/GPL)$'
	is_info version "$version"
	expect "no interval_ms parameter with a description" \
		matches "$(info parm)" '^interval_ms:[^:]*[a-z]{4}'
}

test_make_sign_refuses_to_run_without_a_key() {
	make -C "$out/src" KDIR="$kernel/build" sign >"$out/sign-nokey.log" 2>&1 &&
		{ echo "# FAIL: make sign without SIGN_KEY/SIGN_CERT succeeded" && return 1; }
	expect "no message naming SIGN_KEY and SIGN_CERT" \
		grep -q 'SIGN_KEY=.*SIGN_CERT=' "$out/sign-nokey.log"
	expect "the failed make sign touched sched.ko" [ "$(signatures)" = 0 ]
}

test_make_sign_signs_with_the_given_key() {
	run openssl req -new -x509 -newkey rsa:2048 -nodes -days 1 \
		-subj "/CN=$KEY_CN/" -keyout "$out/key.priv" -outform DER -out "$out/key.der"
	# Twice: signing again must replace the signature, not add one.
	for _ in 1 2; do
		pkg_make sign SIGN_KEY="$out/key.priv" SIGN_CERT="$out/key.der"
	done
	modinfo "$out/src/sched.ko" | grep -E '^(sig_id|signer|sig_key|sig_hashalgo):' | sed 's/^/#   /'
	is_info signer "$KEY_CN"
	is_info sig_hashalgo sha256
	is_info sig_id "PKCS#7"
	expect "$(signatures) signatures after signing twice, want 1" [ "$(signatures)" = 1 ]
}

test_make_install_stages_module_and_runs_depmod() {
	rm -rf "$out/stage"
	# Relative, as a packager writes it: make must not resolve it from KDIR.
	pkg_make install DESTDIR=../stage
	ko=$(installed_ko "$stage/updates")
	expect "no $stage/updates/sched.ko*" [ -n "$ko" ]
	expect "modules.dep does not list ${ko#"$stage/"}" \
		grep -q "^${ko#"$stage/"}:" "$stage/modules.dep"
	# xz -f passes an uncompressed file through.
	xz -dcf "$ko" | expect "the installed module differs from the built one" \
		cmp -s "$out/src/sched.ko" -
	expect "installed into the host's /lib/modules instead" \
		[ -z "$(installed_ko "/lib/modules/$rel/updates")" ]
}

# As systemd-modules-load would, with the examples' files; kmod by path: kmod.sh.
test_staged_module_loads_with_modprobe_d_options_in_vm() {
	expect "no staged tree (make install failed?)" [ -d "$stage" ]
	overlay=$out/vm-stage
	log=$overlay.console.log
	rm -rf "$overlay"
	mkdir -p "$overlay/etc"
	cp -R "$out/stage/lib" "$overlay/"
	cp -R "$SRC/examples/modprobe.d" "$SRC/examples/modules-load.d" "$overlay/etc/"
	"$SRC/scripts/vm/kmod.sh" "$overlay"
	cat >"$overlay/load-sched.sh" <<'EOF'
set -eu
echo "guest: tool=$(/sbin/modprobe --version | head -n 1)"
for m in $(grep -Ev '^[#;]|^$' /etc/modules-load.d/sched.conf); do /sbin/modprobe "$m"; done
echo "guest: interval_ms=$(cat /sys/module/sched/parameters/interval_ms)"
echo "guest: filename=$(/sbin/modinfo -F filename sched)"
/sbin/modprobe -r sched
echo "guest: unloaded=$(test -d /sys/module/sched && echo no || echo yes)"
EOF
	if ! SCHED_VM_LOG=$log "$SRC/scripts/vm/run.sh" "$kernel/vmlinuz" "$overlay" \
		"sh /load-sched.sh" </dev/null >/dev/null 2>"$overlay.vm-run.err"; then
		echo "# FAIL: the VM run failed; console in $log"
		{ grep '^guest: ' "$log" || :; tail -n 10 "$overlay.vm-run.err"; } | sed 's/^/#   /'
		return 1
	fi
	got=$(guest_says tool)
	expect "modprobe in the guest is '$got', not kmod's" matches "$got" '^kmod version'
	got=$(guest_says interval_ms)
	expect "interval_ms is '$got', want $want from modprobe.d" [ "$got" = "$want" ]
	got=$(guest_says filename)
	path=/lib/modules/$rel/updates/$(basename "$(installed_ko "$stage/updates")")
	expect "modprobe loaded '$got', want $path" [ "$got" = "$path" ]
	expect "modprobe -r left sched loaded" [ "$(guest_says unloaded)" = yes ]
}

test_make_uninstall_removes_module_and_reruns_depmod() {
	expect "no staged tree (make install failed?)" [ -d "$stage" ]
	pkg_make uninstall INSTALL_MOD_PATH="$out/stage"
	left=$(find "$out/stage" -name 'sched.ko*')
	expect "make uninstall left $left" [ -z "$left" ]
	expect "modules.dep gone" [ -f "$stage/modules.dep" ]
	expect "modules.dep still lists sched" lacks "$(cat "$stage/modules.dep")" '(^|/)sched\.ko'
}

[ "$(id -u)" = 0 ] || skip_all "must be root"
# The user-facing Makefile builds with the host's compiler: for its release's kernel.
lane=$(host_suite)
kernel=$("$SRC/scripts/kernels/kernel.sh" "$lane") || bail_out "no lane for this host's Debian release '$lane'"
rel=$(cat "$kernel/release")
stage=$out/stage/lib/modules/$rel
"$SRC/scripts/ci/install-deps.sh" openssl xz-utils >&2
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$SRC/dkms.conf")
want=$(sed -n 's/^options sched .*interval_ms=\([0-9]*\).*$/\1/p' \
	"$SRC/examples/modprobe.d/sched.conf")
# The VM case can tell that the option arrived only if it is not the default.
[ "${want:-100}" != 100 ] ||
	bail_out "examples/modprobe.d/sched.conf must set interval_ms, to other than 100"
rm -rf "$out"
mkdir -p "$out/src"
# What a packager ships to build the module: the DKMS source tree.
(cd "$SRC" && cp dkms.conf Kbuild Makefile sched.c "$out/src/")
pkg_make || bail_out "sched.ko does not build for $rel"

echo "# kernel $rel, sched $version"
ktap
