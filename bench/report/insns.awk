# SPDX-License-Identifier: GPL-2.0
#
# insns.awk -v fn=FUNCTION: from `objdump -dr --no-show-raw-insn` output,
# the size of FUNCTION's body as "INSTRUCTIONS<tab>CLOCK-READS<tab>CALLS":
# instructions without the alignment padding; calls out (a call, or a jmp
# that is a tail call, with a relocation to a symbol), "f(), g()", without
# __fentry__ (the ftrace hook, a nop unless traced) and __x86_return_thunk (a
# return); and how many of those calls read the clock (ktime_get*()).
$2 == "<" fn ">:" { on = 1; next }
!on { next }
/^$/ { exit }
# An instruction line ("  5:\tcall ..."); relocations read "  6: R_X86_...".
/:\t/ {
	branch = $0 ~ /:\t(call|jmp) /
	if (!/\tnop|\tint3|\txchg   %ax,%ax|\tcs nopw|\tdata16/)
		n++
	next
}
branch && / R_X86_64_(PLT32|PC32)\t/ {
	branch = 0
	sym = $NF
	sub(/[-+]0x[0-9a-f]+$/, "", sym)
	if (sym == "__fentry__" || sym == "__x86_return_thunk")
		next
	calls = calls (calls == "" ? "" : ", ") sym "()"
	if (sym ~ /^ktime_get/)
		clock++
}
END { printf "%d\t%d\t%s\n", n, clock, calls }
