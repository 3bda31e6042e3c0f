#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# qemu-accel.sh QEMU-ARGS...: qemu-system-x86_64 for autopkgtest-virt-qemu
# (its --qemu-command), with the accelerator the harness chose. The
# backend adds -enable-kvm whenever /dev/kvm exists, and there are
# machines where /dev/kvm exists and KVM fails ("KVM internal error ...
# emulation failure"): unless SCHED_ACCEL=kvm says the harness's probe
# passed (scripts/vm/run.sh), drop it and emulate with TCG.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

if [ "$ACCEL" = kvm ]; then
	exec qemu-system-x86_64 "$@"
fi
for a do
	shift
	[ "$a" = -enable-kvm ] || set -- "$@" "$a"
done
exec qemu-system-x86_64 "$@" -accel tcg
