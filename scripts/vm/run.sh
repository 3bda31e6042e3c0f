#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [-i] VMLINUZ OVERLAY COMMAND: boot VMLINUZ in QEMU with a busybox
# initramfs holding the files of directory OVERLAY, run COMMAND (sh) in it,
# stream the serial console, and exit with COMMAND's exit status. With -i the
# console is also QEMU's standard input (a terminal: `make shell`).
#
# Fails, printing the tail of the console, when the kernel reports a problem
# (tests/kernel-reports, except between $VM_REPORTS_EXPECTED and
# $VM_REPORTS_CHECKED) or the guest hangs. Settings: the VM_* and ACCEL
# of scripts/lib/harness.sh.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

interactive=
[ "${1:-}" != -i ] || { interactive=1 && shift; }
[ $# = 3 ] || usage "[-i] VMLINUZ OVERLAY-DIR COMMAND"
kernel=$1
overlay=$2
timeout=${VM_TIMEOUT:-900}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=${VM_LOG:-$work/console.log}

# The architecture and busybox of a scripts/kernels/kernel.sh directory; else
# (a debug tree) the host's.
kdir=$(dirname "$kernel")
arch=$(cat "$kdir/arch" 2>/dev/null || echo amd64)
busybox=/bin/busybox
[ ! -e "$kdir/busybox" ] || busybox=$kdir/busybox
cmd=$3
fields=$(arch "$arch") || die "no 'arch $arch' line in tests/lanes"
# shellcheck disable=SC2086 # triplet, emulator, package, console, options
set -- $fields
emulator=$2 package=$3 console=$4
shift 4
machine=$*
# socat: the monitor, for waking a suspended guest.
"$SRC/scripts/ci/install-deps.sh" "$package" socat

# qemu SECONDS ARGS...: boot the kernel, killed after SECONDS.
qemu() {
	t=$1 && shift
	# --foreground: an interactive QEMU must be in the terminal's process
	# group to read from it.
	# shellcheck disable=SC2086 # the machine's options; --foreground or nothing
	timeout ${interactive:+--foreground} -k 10 "$t" "$emulator" $machine -nographic \
		-no-reboot -nic none -m "$VM_MEM" -smp "$VM_CPUS" \
		-kernel "$kernel" "$@"
}

# KVM only when the CPU has it and a probe boot (no initramfs: the kernel
# panics at once, and -no-reboot ends QEMU) runs; then the host's CPU, not
# the emulated one of tests/lanes (the last -cpu wins).
accel() {
	if [ -n "$ACCEL" ]; then
		echo "$ACCEL"
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
# The markers of scripts/lib/harness.sh, as shell assignments for /init.
set | grep -E '^VM_(START|EXIT|SUSPEND|REPORTS_[A-Z]+)=' >"$root/etc/sched-vm"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd"

acc=$(accel)
[ "$acc" != kvm ] || machine="$machine -cpu host"
# bench/run.sh reads the accelerator from this line, for its report.
echo "vm-run: booting $(basename "$kernel") with $acc" >&2
# The firmware's terminal escapes (clear screen, reset) stay out of the log
# and off the user's terminal.
esc=$(printf '\033')
# oops=panic and panic=-1: an oops ends the VM at once instead of letting
# the run limp on; loglevel=5 keeps warnings on the console.
boot() {
	rc=0
	qemu "$timeout" -accel "$acc" -initrd "$work/initrd" \
		-monitor "unix:$work/monitor,server=on,wait=off" \
		-append "console=$console panic=-1 oops=panic loglevel=5 $VM_APPEND" ||
		rc=$?
	echo "$rc" >"$work/qemu.rc"
}

# The host's end of a suspend to RAM: each time the guest announces one
# ($VM_SUSPEND), wait until QEMU says it is suspended, give it VM_SLEEP
# seconds, then wake it through the monitor (an RTC alarm set by the guest
# could ring before a slow emulated suspend is done). A guest that is not
# suspended after SUSPEND_LIMIT seconds has stalled: a 5.10 guest taking
# its second CPU down under TCG was seen to print RCU stalls until the VM's
# timeout. End it then, marking it stalled.
VM_SLEEP=5
SUSPEND_LIMIT=120
monitor() { echo "$1" | socat -t 2 - "UNIX-CONNECT:$work/monitor" 2>/dev/null; }
waker() {
	woken=0
	while [ -d "$work" ] && [ ! -e "$work/qemu.rc" ]; do
		sleep 1
		asked=$(grep -c "^$VM_SUSPEND" "$1" 2>/dev/null) || asked=0
		[ "$asked" -gt "$woken" ] || continue
		t0=$(date +%s)
		while ! monitor 'info status' | grep -q 'paused (suspended)'; do
			[ ! -e "$work/qemu.rc" ] || return 0
			if [ $(($(date +%s) - t0)) -gt "$SUSPEND_LIMIT" ]; then
				touch "$work/stalled"
				monitor quit >/dev/null || :
				return 0
			fi
			sleep 1
		done
		sleep "$VM_SLEEP"
		monitor system_wakeup >/dev/null || :
		woken=$((woken + 1))
	done
}
clean() { stdbuf -oL tr -d '\r' | sed -u "s/${esc}[^a-zA-Z]*[a-zA-Z]//g"; }
attempt() {
	rm -f "$work/qemu.rc" "$work/stalled"
	if [ -n "$interactive" ]; then
		waker "$work/raw.log" &
		# A terminal wants every byte at once (a prompt ends no line);
		# the log is cleaned afterwards.
		boot 2>&1 | tee "$work/raw.log"
		clean <"$work/raw.log" >"$log"
	else
		waker "$log" &
		boot </dev/null 2>&1 | clean | tee "$log"
	fi
	wait
}
attempt
# Boot once more, saying why and keeping the first console, only when the
# kernel failed where nothing of ours runs: before /init ran the command
# (sid's 7.2 once oopsed at 1.3 s under TCG, patching a static branch), or
# entering suspend (above; a module that kept tasks from freezing makes
# the kernel abort the suspend, not stall). A guest never gets a third.
why=
if [ -e "$work/stalled" ]; then
	why="the guest stalled entering suspend"
elif ! grep -q "^$VM_START" "$log"; then
	why=$(reports <"$log" | head -n 1)
	why="the kernel failed before the guest began (${why:-QEMU exit $(cat "$work/qemu.rc")})"
fi
if [ -z "$interactive" ] && [ -n "$why" ]; then
	mv "$log" "$log.first"
	echo "vm-run: $why: booting once more" >&2
	attempt
fi

# fail WHY: fail the run, saying WHY and, when the guest ended (or hung) in
# the middle of a case, failing that case by name, the cases before it
# counted. scripts/ci/check.sh knows the "vm-run: | " prefix of the tail.
fail() {
	died=$(died_in "$log")
	[ -z "$died" ] || echo "$died" | tee -a "$log"
	echo "vm-run: FAILED: $1${died:+ in case $(echo "$died" | awk 'NR == 1 { print $4 }')};" \
		"console tail:" >&2
	tail -n 40 "$log" | sed 's/^/vm-run: | /' >&2
	exit 1
}

[ "$(cat "$work/qemu.rc")" != 124 ] || fail "timed out after ${timeout}s"
[ ! -e "$work/stalled" ] || fail "not suspended ${SUSPEND_LIMIT}s after the guest began to"
bad=$(sed "/$VM_REPORTS_EXPECTED/,/$VM_REPORTS_CHECKED/d" "$log" | reports | head -n 5)
[ -z "$bad" ] || fail "the kernel reported: $(echo "$bad" | head -n 1)"
verdict=$(sed -n "s/^$VM_EXIT \\([0-9]*\\)\$/\\1/p" "$log" | tail -n 1)
[ -n "$verdict" ] || fail "the guest ended without a verdict"
exit "$verdict"
