#!/bin/sh
# Fetch a pinned file out of a Debian 13 (trixie) binary package, through apt, without
# touching the system's apt configuration or state.
#
# Usage: scripts/fetch-debian.sh [--offline] NAME...
#        scripts/fetch-debian.sh --update-pins NAME...
#
# NAME is a row of scripts/debian-pins.txt (ovmf, kernel, kmod-MODULE). For each NAME the
# script prints the path of the pinned file, extracted from the pinned package version, after
# checking the sha256 of the .deb and of the file against the pins. A file already in the
# cache with the right hash is printed without running apt at all, so re-runs never touch the
# network. The files of one .deb that several NAMEs ask for are extracted in one pass (the
# kernel's takes seconds to unpack).
#
#   --offline        never run `apt-get update` or download; fail unless the cache has it
#   --update-pins    look up what trixie serves now (for `kernel`: the package the
#                    linux-image-amd64 metapackage depends on), download it and rewrite the
#                    row of debian-pins.txt with the new package, version and hashes
#
# kmod-MODULE rows are kernel modules (MODULE.ko.xz) out of the `kernel` row's package: they
# must match that kernel exactly, so `--update-pins kmod-MODULE` pins the module of the pinned
# kernel (adding the row if there is none), and `--update-pins kernel` re-pins every kmod row.
#
# Environment:
#   DEBIAN_CACHE     cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/csvsm/debian);
#                    holds apt's private lists and config, the .debs and the extracted files
#   DEBIAN_MIRROR    archive URI to use instead of the one the system's own sources name
#                    (e.g. a snapshot.debian.org URI once trixie has moved past a pin; the
#                    Release file's Valid-Until is then not enforced: the pins hold the hashes)
#
# How: a private apt configuration (APT_CONFIG) names private lists, cache and state
# directories, an empty dpkg status, no apt.conf.d (so none of the system's update hooks
# run), and a one-line sources.list "deb [signed-by=<the system's Debian archive keyring>]
# <the system's Debian mirror> trixie main". apt checks the Release signature and the .deb's
# hash from the signed index; the pins check that it is the very file we tested with.
set -eu

SUITE=trixie
COMPONENT=main
ARCH=amd64
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PINS=$ROOT/scripts/debian-pins.txt
CACHE=${DEBIAN_CACHE:-${XDG_CACHE_HOME:-${HOME:?}/.cache}/csvsm/debian}

die() {
	echo "fetch-debian: $*" >&2
	exit 1
}

log() {
	echo "fetch-debian: $*" >&2
}

sha256() {
	sha256sum "$1" | cut -d' ' -f1
}

mode=fetch
while [ $# -gt 0 ]; do
	case $1 in
	--offline) mode=offline ;;
	--update-pins) mode=update ;;
	-h | --help)
		sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || die "usage: $0 [--offline | --update-pins] NAME... (see --help)"

# The Debian archive the system's own apt sources use: the URI of the index target whose
# suite is this system's codename (e.g. bookworm), component main. Read through apt, so the
# one-line and the deb822 formats are both understood.
system_mirror() {
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release; set DEBIAN_MIRROR"
	# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
	apt-get indextargets --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' |
		awk -v s="$codename" '$1 == "deb" && $3 == s && $4 == "main" { print $2; exit }'
}

APTDIR=$CACHE/apt
# Write the private apt configuration (idempotent; the mirror may change between runs).
apt_setup() {
	mirror=${DEBIAN_MIRROR:-$(system_mirror)}
	[ -n "$mirror" ] || die "no Debian archive found in the system's apt sources; set DEBIAN_MIRROR"
	[ -r "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/etc/parts" \
		"$APTDIR/etc/sources.list.d" "$APTDIR/etc/trusted.gpg.d" "$APTDIR/etc/preferences.d"
	: >"$APTDIR/status"
	echo "deb [arch=$ARCH signed-by=$KEYRING] $mirror $SUITE $COMPONENT" >"$APTDIR/etc/sources.list"
	{
		echo "Dir::Etc::main \"/dev/null\";"
		echo "Dir::Etc::parts \"$APTDIR/etc/parts\";"
		echo "Dir::Etc::sourcelist \"$APTDIR/etc/sources.list\";"
		echo "Dir::Etc::sourceparts \"$APTDIR/etc/sources.list.d\";"
		echo "Dir::Etc::trusted \"$APTDIR/etc/trusted.gpg\";"
		echo "Dir::Etc::trustedparts \"$APTDIR/etc/trusted.gpg.d\";"
		echo "Dir::Etc::preferences \"$APTDIR/etc/preferences\";"
		echo "Dir::Etc::preferencesparts \"$APTDIR/etc/preferences.d\";"
		echo "Dir::State \"$APTDIR\";"
		echo "Dir::State::lists \"$APTDIR/lists\";"
		echo "Dir::State::status \"$APTDIR/status\";"
		echo "Dir::Cache \"$APTDIR/cache\";"
		echo "APT::Architecture \"$ARCH\";"
		echo "APT::Architectures { \"$ARCH\"; };"
		echo "Acquire::Languages \"none\";"
		# Small on disk: the index kept compressed, no binary package caches.
		echo "Acquire::GzipIndexes \"true\";"
		echo "Acquire::CompressionTypes::Order { \"gz\"; };"
		echo "Dir::Cache::pkgcache \"\";"
		echo "Dir::Cache::srcpkgcache \"\";"
		echo "Acquire::Retries \"3\";"
		# As root, apt would hand the download to user _apt, who cannot write to a cache
		# under a private home; the files are hash-checked either way.
		[ "$(id -u)" -ne 0 ] || echo "APT::Sandbox::User \"root\";"
		[ -z "${DEBIAN_MIRROR:-}" ] || echo "Acquire::Check-Valid-Until \"false\";"
	} >"$APTDIR/apt.conf"
	export APT_CONFIG="$APTDIR/apt.conf"
}

apt_update() {
	log "apt-get update ($SUITE $COMPONENT from $(cut -d' ' -f4 "$APTDIR/etc/sources.list"))"
	apt-get -q --error-on=any update >"$APTDIR/update.log" 2>&1 || {
		cat "$APTDIR/update.log" >&2
		grep -q NO_PUBKEY "$APTDIR/update.log" &&
			log "$KEYRING lacks the $SUITE signing key: upgrade debian-archive-keyring"
		die "apt-get update failed"
	}
}

# Version VERSION of PACKAGE in the current lists? (apt-cache madison: "pkg | ver | source")
have_version() {
	apt-cache madison "$1" 2>/dev/null | awk -F' [|] ' -v v="$2" '$2 == v { f = 1 } END { exit !f }'
}

# download PACKAGE VERSION: print the path of the verified .deb in the cache.
download() {
	mkdir -p "$CACHE/debs"
	tmp=$(mktemp -d "$CACHE/debs/dl.XXXXXX")
	(cd "$tmp" && apt-get -q download "$1=$2") >&2 || {
		rm -rf "$tmp"
		die "apt-get download $1=$2 failed"
	}
	deb=$(ls "$tmp"/*.deb)
	mv "$deb" "$CACHE/debs/"
	rmdir "$tmp"
	echo "$CACHE/debs/$(basename "$deb")"
}

# extract DEB DEST FILE...: extract the members FILE... of DEB's data into DEST (in one pass),
# leaving DEST's other files alone.
extract() {
	deb=$1 dest=$2
	shift 2
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	# shellcheck disable=SC2046 # one ./FILE member per word (the pinned paths have no blanks)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest.tmp" $(printf './%s ' "$@") ||
		die "$* not all in $(basename "$deb")"
	for f in "$@"; do
		if [ ! -f "$dest.tmp/$f" ] || [ -L "$dest.tmp/$f" ]; then
			die "$f in $(basename "$deb") is not a regular file"
		fi
		mkdir -p "$(dirname "$dest/$f")"
		mv -f "$dest.tmp/$f" "$dest/$f"
	done
	rm -rf "$dest.tmp"
}

# The pins row of NAME: name package version deb_sha256 file file_sha256
pin_row() {
	awk -v n="$1" '$1 == n && NF == 6' "$PINS"
}

# cached_deb NAME PACKAGE VERSION DEB_SHA256: print the path of the .deb with that hash in the
# cache, downloading it first (unless --offline).
cached_deb() {
	for d in "$CACHE"/debs/"$2"_*.deb; do
		[ -f "$d" ] && [ "$(sha256 "$d")" = "$4" ] && echo "$d" && return
	done
	[ "$mode" != offline ] || die "$1: $2 $3 is not in $CACHE and --offline was given"
	apt_setup
	have_version "$2" "$3" || apt_update
	have_version "$2" "$3" || die "$1: $SUITE no longer serves $2 $3" \
		"(it has: $(apt-cache madison "$2" | awk -F' [|] ' '{print $2}' | xargs));" \
		"run --update-pins $1, or set DEBIAN_MIRROR to a snapshot.debian.org URI"
	log "$1: downloading $2 $3"
	d=$(download "$2" "$3")
	got=$(sha256 "$d")
	if [ "$got" != "$4" ]; then
		rm -f "$d"
		die "$1: $(basename "$d") has sha256 $got, the pin says $4"
	fi
	echo "$d"
}

# have FILE SHA256: FILE is there with that hash
have() {
	[ -f "$1" ] && [ "$(sha256 "$1")" = "$2" ]
}

# fetch NAME [OTHER...]: print the path of NAME's file; when it must be extracted, the files
# of the OTHER names from the same .deb that are missing too come out in the same pass.
fetch() {
	row=$(pin_row "$1")
	[ -n "$row" ] || die "no pin named '$1' in $PINS"
	shift
	others=$*
	# shellcheck disable=SC2086 # the row's six fields
	set -- $row
	name=$1 pkg=$2 ver=$3 deb_sha=$4 file=$5 file_sha=$6
	dest=$CACHE/${pkg}_$ver
	if have "$dest/$file" "$file_sha"; then
		echo "$dest/$file"
		return
	fi
	deb=$(cached_deb "$name" "$pkg" "$ver" "$deb_sha")
	files=$file
	for o in $others; do
		# shellcheck disable=SC2046 # the row's six fields
		set -- $(pin_row "$o") - - - - - -
		[ "$4" = "$deb_sha" ] && [ "$5" != "$file" ] && ! have "$dest/$5" "$6" &&
			files="$files $5"
	done
	# shellcheck disable=SC2086 # one path per word
	extract "$deb" "$dest" $files
	got=$(sha256 "$dest/$file")
	[ "$got" = "$file_sha" ] || die "$name: $file has sha256 $got, the pin says $file_sha"
	echo "$dest/$file"
}

# The package and file a NAME stands for, as trixie serves it now.
resolve() {
	case $1 in
	ovmf)
		pkg=ovmf
		file=usr/share/ovmf/OVMF.fd
		;;
	kernel)
		pkg=$(apt-cache depends linux-image-amd64 |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }')
		[ -n "$pkg" ] || die "kernel: linux-image-amd64 depends on no linux-image-*-amd64"
		file=boot/vmlinuz-${pkg#linux-image-}
		;;
	*) die "--update-pins knows no '$1' (add it to resolve())" ;;
	esac
	ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		die "$1: $SUITE has no $pkg"
	fi
}

# write_pin NAME PACKAGE VERSION DEB FILE DEST: rewrite NAME's row (or add it).
write_pin() {
	new="$1 $2 $3 $(sha256 "$4") $5 $(sha256 "$6/$5")"
	awk -v n="$1" -v new="$new" '$1 == n && NF == 6 { print new; done = 1; next } { print }
		END { if (!done) print new }' "$PINS" >"$PINS.tmp"
	mv "$PINS.tmp" "$PINS"
	log "$1: pinned $2 $3 $5"
}

# kmod-MODULE: MODULE.ko.xz out of the package and version of the `kernel` row.
update_kmod_pin() {
	row=$(pin_row kernel)
	[ -n "$row" ] || die "$1: no kernel row in $PINS to take the module from"
	# shellcheck disable=SC2086 # the row's six fields
	set -- "$1" $row
	name=$1 pkg=$3 ver=$4
	deb=$(cached_deb kernel "$pkg" "$ver" "$5")
	mod=${name#kmod-}
	file=$(dpkg-deb --fsys-tarfile "$deb" | tar -t |
		sed -n "s|^\./\(usr/lib/modules/[^/]*/kernel/.*/$mod\.ko\.xz\)\$|\1|p")
	count=$(printf '%s' "$file" | grep -c .) || true
	[ "$count" -eq 1 ] || die "$name: $pkg $ver has $count files named $mod.ko.xz"
	dest=$CACHE/${pkg}_$ver
	extract "$deb" "$dest" "$file"
	write_pin "$name" "$pkg" "$ver" "$deb" "$file" "$dest"
	echo "$dest/$file"
}

update_pin() {
	case $1 in
	kmod-*)
		update_kmod_pin "$1"
		return
		;;
	esac
	resolve "$1"
	log "$1: $SUITE serves $pkg $ver"
	deb=$(download "$pkg" "$ver")
	dest=$CACHE/${pkg}_$ver
	extract "$deb" "$dest" "$file"
	write_pin "$1" "$pkg" "$ver" "$deb" "$file" "$dest"
	log "$1: $(stat -c %s "$deb") bytes"
	echo "$dest/$file"
	# the modules must come from the same kernel
	[ "$1" = kernel ] || return 0
	awk '$1 ~ /^kmod-/ && NF == 6 { print $1 }' "$PINS" | while read -r k; do
		update_kmod_pin "$k" >/dev/null
	done
}

# One run at a time per cache (parallel test cases may all ask for the same file).
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9

# a fresh index for what trixie serves now (kmod rows follow the kernel row: no index needed)
if [ "$mode" = update ] && printf '%s\n' "$@" | grep -qv '^kmod-'; then
	apt_setup
	apt_update
fi
for n in "$@"; do
	if [ "$mode" = update ]; then
		update_pin "$n"
	else
		fetch "$n" "$@"
	fi
done
