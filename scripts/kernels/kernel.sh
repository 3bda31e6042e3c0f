#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh LANE: resolve LANE (a line of tests/lanes) to a Debian kernel,
# put its image and headers in the cache, installing neither, and print the
# directory that holds them:
#
#   DIR/release   the kernel release (uname -r of that kernel)
#   DIR/vmlinuz   the image to boot in the test VM
#   DIR/build     the headers, a KDIR
#   DIR/suite     the Debian release whose compiler builds for it
#   DIR/tools     the packages a build needs besides make (compiler, ...)
#   DIR/arch      its Debian architecture
#   DIR/busybox   for a foreign architecture, a static busybox for its VM
#
# Packages come through the harness's own apt configuration in
# $SCHED_CACHE/apt, never the host's, so a lane means the same kernel on
# every host; the lists are refreshed when older than an hour. A suite whose
# index failed to download is left out, with a line "LANE: without SUITE
# (WHY): REASON"; a kernel from the lane's fallback says "LANE: from SUITE:
# WHY" (scripts/ci/matrix.sh puts both in its table). Exit status: 4 (SKIP)
# with a one-line reason when the archive cannot give the lane's kernel now;
# 1 with a one-line reason for a broken lane.
set -eu

# shellcheck source=scripts/lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

skip() {
	log "SKIP: $*"
	exit 4
}

# update: refresh the lists, once more if the archive failed us; what still
# fails goes to $adir/failed ("SUITE ARCH REASON" lines, ARCH "all" for a
# whole suite), because apt would go on with the old lists.
update() {
	for try in 1 2; do
		log "updating the package lists of the ${adir##*/} lanes"
		if apt-get update -q >"$adir/update.log" 2>&1; then
			: >"$adir/failed"
			touch "$adir/updated"
			return 0
		fi
		[ "$try" = 2 ] || log "apt-get update failed; trying once more"
	done
	url='^[EW]: Failed to fetch .*/dists/\([^/ ]*\)'
	sed -n -e "s#$url/main/binary-\([^/ ]*\)/[^ ]* *\(.*\)\$#\1 \2 \3#p" \
		-e "s#$url/[^/ ]* *\(.*\)\$#\1 all \2#p" "$adir/update.log" >"$adir/failed"
	[ -s "$adir/failed" ] || die "apt-get update failed: $(tail -n 1 "$adir/update.log")"
	touch "$adir/updated"
}

# depends PKG[=VERSION]: the first alternative of each of its dependencies.
depends() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
		sed -e 's/|.*//' -e 's/(.*//' -e 's/:any//' -e 's/[[:space:]]//g' |
		grep . || :
}

# newest PKG SUITE...: "VERSION SUITE" of the highest version of PKG in any
# of the suites (never from the stale lists of a failed update), or nothing.
newest() {
	p=$1 best=
	shift
	apt-cache madison "$p" | awk -F' [|] ' -v s=" $* " '{
		split($3, w, " "); split(w[2], x, "/")
		if (index(s, " " x[1] " ")) print $2, x[1] }' | {
		while read -r v s; do
			if [ -z "$best" ] || dpkg --compare-versions "$v" gt "${best% *}"; then
				best="$v $s"
			fi
		done
		echo "$best"
	}
}

# pick PKG: PKG=VERSION, its highest version in $from (the suites of the
# lane's kernel), so that what the headers pull in comes from there too.
pick() {
	# shellcheck disable=SC2086 # a list of suites
	v=$(newest "$1" $from)
	[ -n "$v" ] || die "$name: no $1 in $from"
	echo "$1=${v% *}"
}

# vmlinuz DEB OUT: extract the kernel image from DEB to OUT, if it has one
# (boot/vmlinuz-REL, or usr/lib/modules/REL/vmlinuz in 7.x's split
# packaging; vmlinux on ppc64el and riscv64, which boot it uncompressed).
vmlinuz() {
	m=$(dpkg-deb -c "$1" | awk '$6 ~ /\/vmlinu[xz](-[^\/]*)?$/ { print $6 }' | head -n 1)
	[ -n "$m" ] || return 1
	# --occurrence: tar stops once it has the file, sparing the modules'
	# decompression; dpkg-deb's broken pipe is fine.
	dpkg-deb --fsys-tarfile "$1" 2>/dev/null | tar --occurrence -xO "$m" >"$2"
}

# download DIR PKG...: apt-get download into DIR; when the archive fails,
# refresh the lists and try once more, then set $unserved to its reason.
download() {
	d=$1
	shift
	for try in 1 2; do
		if (cd "$d" && apt-get download -q "$@") >"$d/download.log" 2>&1; then
			return 0
		fi
		[ "$try" = 2 ] || { log "download failed; trying once more" && update; }
	done
	unserved="cannot download the packages: $(grep -m 1 '^E:' "$d/download.log" || tail -n 1 "$d/download.log")"
}

# fetch: the kernel $rel into $CACHE/kernels/$rel, or $unserved set.
fetch() {
	dir=$CACHE/kernels/$rel
	unserved=
	[ ! -e "$dir/.complete" ] || return 0
	log "downloading Debian kernel $rel"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	# The headers and every linux-* package they pull in (the -common tree,
	# kbuild's tools, the compiler's metapackage); their other dependencies
	# are what the build machine must have. Only the headers and the image
	# are of the lane's architecture: kbuild runs here, and a foreign lane's
	# gcc-N (or gcc-N-for-host) is the cross compiler gcc-N-TRIPLET.
	todo=linux-headers-$rel$q seen='' pkgs='' tools=
	while [ -n "$todo" ]; do
		p=${todo%% *}
		todo=${todo#"$p"}
		seen="$seen $p"
		p=$(pick "$p")
		pkgs="$pkgs $p"
		for d in $(depends "$p"); do
			case $d in
			linux-image-* | linux-base) ;;
			linux-*) case " $seen $todo " in *" $d "*) ;; *) todo="$todo $d" ;; esac ;;
			gcc-[0-9]*)
				n=${d#gcc-}
				[ -z "$q" ] || d=gcc-${n%-for-host}-$triplet
				tools="$tools $d"
				;;
			*) tools="$tools $d" ;;
			esac
		done
		todo=${todo# }
	done
	# The image: linux-image-REL, or what holds it in 7.x's split packaging.
	image=$(pick "linux-image-$rel$q")
	for b in $(depends "$image" | sed -n "s/^linux-binary-.*/&$q/p"); do
		image="$image $(pick "$b")"
	done
	# shellcheck disable=SC2086 # lists of package names
	download "$dir/debs" $pkgs $image
	[ -z "$unserved" ] || return 0
	log "unpacking $(du -sm "$dir/debs" | cut -f1) MB of packages"
	for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$dir/headers"
	done
	for deb in "$dir"/debs/linux-image-*.deb "$dir"/debs/linux-binary-*.deb; do
		[ -e "$deb" ] && vmlinuz "$deb" "$dir/vmlinuz" && break
	done
	[ -s "$dir/vmlinuz" ] || die "no vmlinuz in the packages of linux-image-$rel"
	# The headers' Makefile names the -common tree (and in 7.x itself) by
	# absolute path.
	sed -i "s#^\(include \|KBUILD_OUTPUT=\)/usr/src/#\1$dir/headers/usr/src/#" \
		"$dir/headers/usr/src/linux-headers-$rel/Makefile"
	ln -s "headers/usr/src/linux-headers-$rel" "$dir/build"
	echo "$tools" | tr ' ' '\n' | sort -u | grep . >"$dir/tools"
	echo "$rel" >"$dir/release"
	rm -rf "$dir/debs"
	touch "$dir/.complete"
}

# busybox: a static busybox for a foreign lane's VM; amd64's VMs use the
# host's busybox-static.
busybox() {
	[ -n "$q" ] || return 0
	bb=$CACHE/busybox/$arch
	if [ ! -x "$bb/busybox" ]; then
		rm -rf "$bb"
		mkdir -p "$bb/debs"
		download "$bb/debs" "$(pick "busybox-static$q")"
		[ -z "$unserved" ] || skip "$unserved"
		dpkg-deb -x "$bb"/debs/*.deb "$bb/root"
		cp "$bb/root/usr/bin/busybox" "$bb/busybox" 2>/dev/null ||
			cp "$bb/root/bin/busybox" "$bb/busybox"
		rm -rf "$bb/debs" "$bb/root"
	fi
	ln -sfn "$bb/busybox" "$CACHE/kernels/$rel/busybox"
}

# failure SUITE: "ARCH REASON" of SUITE's index that failed to download at
# the last update, or nothing.
failure() {
	awk -v s="$1" '$1 == s { $1 = ""; sub(/^ */, ""); print; exit }' "$adir/failed"
}

# whole SUITE...: those of the suites whose indexes downloaded whole; each
# other one is left out with a line saying why.
whole() {
	for s in "$@"; do
		r=$(failure "$s")
		[ -n "$r" ] || { echo "$s" && continue; }
		case $r in
		*"Mirror sync in progress"* | *"Hash Sum mismatch"*) why="index mid-sync" ;;
		*) why="index failed" ;;
		esac
		log "$name: without $s ($why): the archive's $s ${r%% *} index failed to download: ${r#* }"
	done
}

# search LINE...: for the fields of a tests/lanes line, set suite, meta,
# from (its suites that downloaded whole) and ver ("VERSION SUITE" of the
# newest $meta in them, or empty).
search() {
	suite=$4 meta=linux-headers-$3$q ver=
	shift 5
	from=$(whole "$@" | xargs)
	# shellcheck disable=SC2086 # a list of suites
	[ -z "$from" ] || ver=$(newest "$meta" $from)
}

# resolve LINE...: set rel, suite, arch, q (":ARCH" for a foreign
# architecture) and from for the lane of a tests/lanes line: the newest
# kernel of its flavour in its suites that downloaded whole, else its
# fallback's.
resolve() {
	name=$1 arch=$2 when=$5 q=
	if [ "$arch" != amd64 ]; then
		q=:$arch
		triplet=$(arch "$arch") || die "$name: no 'arch $arch' line in tests/lanes"
		triplet=$(echo "$triplet" | awk '{ print $1 }')
	fi
	search "$@"
	shift 5
	if [ -z "$from" ]; then
		r=$(failure "$1")
		skip "$name: every suite left out: the archive's $1 ${r%% *} index failed to download: ${r#* }"
	fi
	# The fallback is for a kernel the lane's suites do not have, not for
	# one they may have but could not be read.
	if [ -z "$ver" ]; then
		[ "$from" = "$*" ] ||
			skip "$name: no $meta in $from, and its other suites were left out"
		fallback "$from have no $meta" || die "$name: no $meta in $from"
		return 0
	fi
	if [ "$when" = newest ]; then
		others=$(awk -v a="$arch" '$2 == a && $5 == "always" { for (i = 6; i <= NF; i++) print $i }' \
			"$LANES" | sort -u)
		# shellcheck disable=SC2046,SC2086 # lists of suites
		top=$(newest "$meta" $(whole $others 2>/dev/null))
		[ -z "$top" ] || dpkg --compare-versions "${ver% *}" gt "${top% *}" || skip \
			"$name: $from has $meta ${ver% *}, not newer than ${top% *} in ${top#* }"
	fi
	release
}

# fallback WHY: resolve the lane's kernel from its fallback line instead,
# saying WHY; false when the lane has none. Called in a condition, so
# set -e is off here: each step checks its own result.
fallback() {
	why=$1
	fb=$(lane "$name" fallback) || return 1
	# shellcheck disable=SC2086 # the fields of the line
	search $fb
	[ -n "$from" ] || skip "$name: $why, and its fallback was left out"
	[ -n "$ver" ] || die "$name: $why, nor $meta in $from"
	log "$name: from ${ver#* }: $why"
	release
}

# release: rel, the kernel release that $meta $ver is the headers of.
release() {
	rel=$(depends "$meta=${ver% *}" | sed -n 's/^linux-headers-//p' | head -n 1)
	rel=${rel%"$q"}
	[ -n "$rel" ] || die "$name: $meta ${ver% *} depends on no linux-headers-RELEASE"
}

[ $# = 1 ] || usage "LANE (lanes: $(lanes | tr '\n' ' '))"
mkdir -p "$CACHE/kernels"
# One kernel.sh at a time: they share the package lists and the cache.
exec 9>"$CACHE/kernels/.lock"
flock 9
line=$(lane "$1") || die "no lane '$1' in tests/lanes (lanes: $(lanes | tr '\n' ' '))"
# shellcheck disable=SC2086 # the fields of the line
set -- $line
# An apt configuration an architecture (a foreign one's with amd64 too, for
# the kbuild tools that run here): apt drops a whole suite when one of its
# indexes fails, and armhf's mid-sync must not cost amd64 lanes.
adir=$CACHE/apt/$2
private_apt "$adir" "$(awk -v m="$MIRROR" -v sm="$SECURITY_MIRROR" -v a="$2" '
	!/^#/ && NF >= 6 && $1 != "arch" && $2 == a { for (i = 6; i <= NF; i++) suite[$i] = 1 }
	END {
		k = "/usr/share/keyrings/debian-archive-keyring.gpg"
		as = a == "amd64" ? a : a ",amd64"
		for (s in suite)
			printf "deb [arch=%s signed-by=%s] %s %s main\n", as, k,
			       s ~ /-security$/ ? sm : m, s
	}' "$LANES")" amd64 "$2"
if [ ! -e "$adir/updated" ] || [ -n "$(find "$adir/updated" -mmin +60)" ]; then
	update
fi
resolve "$@"
fetch
# An index can list kernels that the archive does not serve (seen here:
# trixie's ppc64el and s390x): the lane then takes its fallback's.
if [ -n "$unserved" ]; then
	fallback "$from: $unserved" || skip "$unserved"
	fetch
	[ -z "$unserved" ] || skip "$unserved"
fi
busybox
echo "$suite" >"$CACHE/kernels/$rel/suite"
echo "$arch" >"$CACHE/kernels/$rel/arch"
echo "$CACHE/kernels/$rel"
