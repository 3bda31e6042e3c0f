#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [-i] VMLINUZ OVERLAY COMMAND: boot VMLINUZ in QEMU with a busybox
# initramfs holding the files of directory OVERLAY, run COMMAND (sh) in it,
# stream the serial console, and exit with COMMAND's exit status. With -i the
# console is also QEMU's standard input (a terminal: `make shell`), passed
# through untouched.
#
# Fails, printing the tail of the console, when the kernel reports a problem
# (tests/kernel-reports) or the guest hangs. A guest test that provokes the
# kernel's reports on purpose (fault injection) and checks them itself
# brackets them with the kernel log lines "vm-run: reports expected" and
# "vm-run: reports checked". Environment: SCHED_VM_TIMEOUT (seconds, default
# 900), SCHED_VM_CPUS (2), SCHED_VM_MEM (1024M), SCHED_VM_APPEND (extra
# kernel command line), SCHED_VM_LOG (keep the console log there),
# SCHED_ACCEL (kvm or tcg; default: kvm only when it really works).
set -eu

interactive=
if [ "${1:-}" = -i ]; then
	interactive=1
	shift
fi
if [ $# -ne 3 ]; then
	echo "usage: $0 [-i] VMLINUZ OVERLAY-DIR COMMAND" >&2
	exit 2
fi
kernel=$1
overlay=$2
timeout=${SCHED_VM_TIMEOUT:-900}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=${SCHED_VM_LOG:-$work/console.log}

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

# The architecture and busybox of a scripts/kernels/kernel.sh directory; else (a
# debug tree) the host's.
kdir=$(dirname "$kernel")
arch=$(cat "$kdir/arch" 2>/dev/null || echo amd64)
busybox=/bin/busybox
[ ! -e "$kdir/busybox" ] || busybox=$kdir/busybox
cmd=$3
fields=$(arch "$arch") || die "no 'arch $arch' line in tests/lanes"
# shellcheck disable=SC2086 # triplet, emulator, package, console, options
set -- $fields
emulator=$2 package=$3 console=$4
# For the KVM probe; the boot's own are set once the accelerator is known.
machine=$(qemu_options "$arch" tcg)
"$SRC/scripts/ci/install-deps.sh" "$package"

# qemu SECONDS ARGS...: boot the kernel, killed after SECONDS.
qemu() {
	t=$1
	shift
	# --foreground: an interactive QEMU must be in the terminal's process
	# group to read from it.
	# shellcheck disable=SC2086 # the machine's options; --foreground or nothing
	timeout ${interactive:+--foreground} -k 10 "$t" "$emulator" $machine -nographic \
		-no-reboot -nic none -m "${SCHED_VM_MEM:-1024M}" -smp "${SCHED_VM_CPUS:-2}" \
		-kernel "$kernel" "$@"
}

# KVM only when the CPU has it and a probe boot (kernel without initramfs:
# it panics at once, and -no-reboot ends QEMU) actually runs.
accel() {
	if [ -n "${SCHED_ACCEL:-}" ]; then
		echo "$SCHED_ACCEL"
	elif [ "$arch" = amd64 ] && grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] &&
		qemu 60 -accel kvm -append "console=$console panic=-1" </dev/null 2>&1 |
		grep -q 'Kernel panic'; then
		echo kvm
	else
		echo tcg
	fi
}

# The initramfs: static busybox, our /init, the overlay, the command.
root=$work/root
mkdir -p "$root/bin" "$root/dev" "$root/etc" "$root/proc" "$root/root" "$root/sys" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$SRC/scripts/vm/init.sh" "$root/init"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
cp -R "$overlay/." "$root/"
printf '%s\n' "$cmd" >"$root/vm-cmd"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd"

acc=$(accel)
machine=$(qemu_options "$arch" "$acc")
echo "vm-run: booting $(basename "$kernel") with $acc" >&2
# The firmware's terminal escapes (clear screen, reset) stay out of the log
# and off the user's terminal.
esc=$(printf '\033')
# oops=panic and panic=-1: an oops ends the VM at once instead of letting
# the run limp on; loglevel=5 keeps warnings on the console.
boot() {
	rc=0
	qemu "$timeout" -accel "$acc" -initrd "$work/initrd" \
		-append "console=$console panic=-1 oops=panic loglevel=5 ${SCHED_VM_APPEND:-}" ||
		rc=$?
	echo "$rc" >"$work/qemu.rc"
}
clean() { stdbuf -oL tr -d '\r' | sed -u "s/${esc}[^a-zA-Z]*[a-zA-Z]//g"; }
if [ -n "$interactive" ]; then
	# A terminal wants every byte at once (a prompt ends no line); the
	# log is cleaned afterwards.
	boot 2>&1 | tee "$work/raw.log"
	clean <"$work/raw.log" >"$log"
else
	boot </dev/null 2>&1 | clean | tee "$log"
fi

fail() {
	echo "vm-run: FAILED: $1; console tail:" >&2
	tail -n 40 "$log" | sed 's/^/vm-run: | /' >&2
	exit 1
}

[ "$(cat "$work/qemu.rc")" != 124 ] || fail "timed out after ${timeout}s"
bad=$(sed '/vm-run: reports expected/,/vm-run: reports checked/d' "$log" | reports | head -n 5)
[ -z "$bad" ] || fail "the kernel reported: $(echo "$bad" | head -n 1)"
verdict=$(sed -n 's/^sched-vm: exit \([0-9]*\)$/\1/p' "$log" | tail -n 1)
[ -n "$verdict" ] || fail "the guest ended without a verdict"
exit "$verdict"
