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
# kernel.sh --update [LANE...]: refresh the package lists of the lanes (by
# default all) now.
#
# Packages come through the harness's own apt configuration in
# $SCHED_CACHE/apt (sources made from tests/lanes, Debian's archive keyring),
# never the host's, so a lane means the same kernel on every host. The lists
# are refreshed when older than an hour, so that `make check` asks the
# archive once. Exit status: 4 (SKIP) with a one-line reason when the
# archive cannot give the lane's kernel now (mid-sync, or no newer kernel
# for a "newest" lane); 1 with a one-line reason for a broken lane.
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

skip() {
	log "SKIP: $*"
	exit 4
}

# sources ARCH: deb822 stanzas for the suites of ARCH's lanes; a foreign
# architecture's with amd64 too, for the kbuild tools that run here.
sources() {
	awk -v m="$MIRROR" -v sm="$SECURITY_MIRROR" -v k="$KEYRING" -v a="$1" '
		!/^#/ && NF >= 6 && $1 != "alias" && $1 != "arch" && $2 == a {
			for (i = 6; i <= NF; i++) suite[$i] = 1
		}
		END {
			arches = a == "amd64" ? a : a " amd64"
			for (s in suite)
				printf "Types: deb\nURIs: %s\nSuites: %s\n" \
				       "Components: main\nArchitectures: %s\n" \
				       "Signed-By: %s\n\n", s ~ /-security$/ ? sm : m,
				       s, arches, k
		}' "$LANES"
}

# use ARCH: the apt configuration of ARCH's lanes, in $CACHE/apt/ARCH. One
# per architecture, because apt drops a whole suite when one of its indexes
# fails: the archive being mid-sync for armhf must not cost the amd64 lanes.
use() {
	adir=$CACHE/apt/$1
	export APT_CONFIG="$adir/apt.conf"
	mkdir -p "$adir/sources.list.d" "$adir/lists/partial" \
		"$adir/archives/partial" "$adir/preferences.d"
	cat >"$adir/apt.conf.new" <<-EOF
		Dir::State "$adir";
		Dir::State::Lists "$adir/lists";
		Dir::State::status "/dev/null";
		Dir::Cache "$adir";
		Dir::Cache::Archives "$adir/archives";
		Dir::Etc::SourceList "/dev/null";
		Dir::Etc::SourceParts "$adir/sources.list.d";
		Dir::Etc::Preferences "/dev/null";
		Dir::Etc::PreferencesParts "$adir/preferences.d";
		APT::Architecture "amd64";
		APT::Architectures { "amd64"; "$1"; };
		Acquire::Languages "none";
		APT::Sandbox::User "root";
	EOF
	sources "$1" >"$adir/sources.list.d/lanes.sources.new"
	for f in apt.conf sources.list.d/lanes.sources; do
		if ! cmp -s "$adir/$f.new" "$adir/$f"; then
			mv "$adir/$f.new" "$adir/$f"
			rm -f "$adir/updated"
		fi
		rm -f "$adir/$f.new"
	done
}

# update: refresh the lists, once more if the archive failed us; what still
# fails goes to $adir/failed ("SUITE ARCH REASON" lines, ARCH "all" for a
# whole suite) for resolve to report: apt would go on with the old lists.
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
# of the suites, or nothing.
newest() {
	p=$1
	shift
	best=
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

# vmlinuz DEB OUT: extract the kernel image from DEB to OUT, if it has one
# (boot/vmlinuz-REL, or in the split packaging of 7.x usr/lib/modules/REL/vmlinuz).
vmlinuz() {
	m=$(dpkg-deb -c "$1" | awk '$6 ~ /\/vmlinuz(-[^\/]*)?$/ { print $6 }' | head -n 1)
	[ -n "$m" ] || return 1
	# tar stops reading once it has the file: dpkg-deb's broken pipe is fine.
	dpkg-deb --fsys-tarfile "$1" 2>/dev/null | tar -xO "$m" >"$2"
}

# download DIR PKG...: apt-get download into DIR; when the archive fails,
# refresh the lists and try once more, then SKIP with the archive's reason.
download() {
	d=$1
	shift
	for try in 1 2; do
		if (cd "$d" && apt-get download -q "$@") >"$d/download.log" 2>&1; then
			return 0
		fi
		[ "$try" = 2 ] || { log "download failed; trying once more" && update; }
	done
	skip "cannot download $*: $(grep -m 1 '^E:' "$d/download.log" || tail -n 1 "$d/download.log")"
}

# fetch REL: the lane's kernel into $CACHE/kernels/REL.
fetch() {
	rel=$1
	dir=$CACHE/kernels/$rel
	[ ! -e "$dir/.complete" ] || return 0
	log "downloading Debian kernel $rel"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	# The headers and every linux-* package they pull in (the -common
	# tree, kbuild's tools, the compiler's metapackage); the rest of
	# their dependencies is what the build machine must have. Only the
	# headers and the image are of the lane's architecture: the rest
	# runs here (kbuild is Multi-Arch: foreign), and a foreign lane's
	# gcc-N is the cross compiler gcc-N-TRIPLET.
	todo=linux-headers-$rel$q
	pkgs=
	tools=
	while [ -n "$todo" ]; do
		p=${todo%% *}
		todo=${todo#"$p"}
		todo=${todo# }
		pkgs="$pkgs $p"
		for d in $(depends "$p"); do
			case $d in
			linux-image-* | linux-base) ;;
			linux-*) case " $pkgs $todo " in *" $d "*) ;; *) todo="$todo $d" ;; esac ;;
			gcc-[0-9]*) tools="$tools $(cross "$d")" ;;
			*) tools="$tools $d" ;;
			esac
		done
		todo=${todo# }
	done
	# The image: linux-image-REL, or what holds it in 7.x's split packaging.
	image=linux-image-$rel$q
	binary=$(depends "$image" | sed -n "s/^linux-binary-.*/&$q/p")
	# shellcheck disable=SC2086 # lists of package names
	download "$dir/debs" $pkgs $image $binary
	log "unpacking $(du -sm "$dir/debs" | cut -f1) MB of packages"
	for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$dir/headers"
	done
	for deb in "$dir"/debs/linux-image-*.deb "$dir"/debs/linux-binary-*.deb; do
		[ -e "$deb" ] && vmlinuz "$deb" "$dir/vmlinuz" && break
	done
	[ -s "$dir/vmlinuz" ] || die "no vmlinuz in the packages of linux-image-$rel"
	# The headers' Makefile names the -common tree (and in 7.x itself)
	# by absolute path.
	sed -i "s#^\(include \|KBUILD_OUTPUT=\)/usr/src/#\1$dir/headers/usr/src/#" \
		"$dir/headers/usr/src/linux-headers-$rel/Makefile"
	ln -s "headers/usr/src/linux-headers-$rel" "$dir/build"
	echo "$tools" | tr ' ' '\n' | sort -u | grep . >"$dir/tools"
	echo "$rel" >"$dir/release"
	rm -rf "$dir/debs"
	touch "$dir/.complete"
}

# cross GCC: the package of GCC (gcc-N or gcc-N-for-host) that builds for
# the lane's architecture here.
cross() {
	[ -n "$q" ] || { echo "$1" && return; }
	n=${1#gcc-}
	echo "gcc-${n%-for-host}-$triplet"
}

# busybox: a static busybox for the lane's architecture, for its VM's
# initramfs; nothing for amd64, whose VMs use the host's busybox-static.
busybox() {
	[ -n "$q" ] || return 0
	bb=$CACHE/busybox/$arch
	if [ ! -x "$bb/busybox" ]; then
		rm -rf "$bb"
		mkdir -p "$bb/debs"
		download "$bb/debs" "busybox-static$q"
		dpkg-deb -x "$bb"/debs/*.deb "$bb/root"
		cp "$bb/root/usr/bin/busybox" "$bb/busybox" 2>/dev/null ||
			cp "$bb/root/bin/busybox" "$bb/busybox"
		rm -rf "$bb/debs" "$bb/root"
	fi
	ln -sfn "$bb/busybox" "$CACHE/kernels/$rel/busybox"
}

# resolve LINE...: set rel, suite, arch and q (":ARCH" for a foreign
# architecture) for the fields of a tests/lanes line.
resolve() {
	name=$1 arch=$2 flavour=$3 suite=$4 when=$5
	shift 5
	q=
	if [ "$arch" != amd64 ]; then
		q=:$arch
		triplet=$(arch "$arch") || die "$name: no 'arch $arch' line in tests/lanes"
		triplet=$(echo "$triplet" | awk '{ print $1 }')
	fi
	for s in "$@"; do
		reason=$(awk -v s="$s" -v a="$arch" '$1 == s && ($2 == a || $2 == "all") {
			$1 = $2 = ""; sub(/^ */, ""); print; exit }' "$adir/failed")
		[ -z "$reason" ] || skip "$name: the archive's $s $arch index failed to download: $reason"
	done
	meta=linux-headers-$flavour$q
	ver=$(newest "$meta" "$@")
	[ -n "$ver" ] || die "$name: no $meta in $*"
	ver=${ver% *}
	if [ "$when" = newest ]; then
		others=$(awk -v a="$arch" '$2 == a && $5 == "always" { for (i = 6; i <= NF; i++) print $i }' \
			"$LANES" | sort -u)
		# shellcheck disable=SC2086 # a list of suites
		top=$(newest "$meta" $others)
		if [ -n "$top" ] && ! dpkg --compare-versions "$ver" gt "${top% *}"; then
			skip "$name: $* has $meta $ver, not newer than ${top% *} in ${top#* }"
		fi
	fi
	rel=$(depends "$meta=$ver" | sed -n 's/^linux-headers-//p' | head -n 1)
	rel=${rel%"$q"}
	[ -n "$rel" ] || die "$name: $meta $ver depends on no linux-headers-RELEASE"
}

[ $# -ge 1 ] || {
	echo "usage: $0 LANE | --update [LANE...] (lanes: $(lanes | tr '\n' ' '))" >&2
	exit 2
}
if [ "$1" = --update ]; then
	shift
	# shellcheck disable=SC2046 # one lane name a word
	[ $# -ge 1 ] || set -- $(lanes)
	for a in $(for l in "$@"; do lane "$l" | awk '{ print $2 }'; done | sort -u); do
		use "$a"
		update
	done
	exit 0
fi
line=$(lane "$1") || die "no lane '$1' in tests/lanes (lanes: $(lanes | tr '\n' ' '))"
use "$(echo "$line" | awk '{ print $2 }')"
mkdir -p "$CACHE/kernels"
exec 9>"$CACHE/kernels/.lock"
flock 9
if [ ! -e "$adir/updated" ] || [ -n "$(find "$adir/updated" -mmin +60)" ]; then
	update
fi
# shellcheck disable=SC2086 # the fields of the line
resolve $line
fetch "$rel"
busybox
echo "$suite" >"$CACHE/kernels/$rel/suite"
echo "$arch" >"$CACHE/kernels/$rel/arch"
echo "$CACHE/kernels/$rel"
